"""Pandera schemas of the clean ``core_*`` tables (see docs/data_model.md).

The survey schema is built from the codebook, so a new survey needs a codebook, not code. All
schemas use pandera's Polars backend: the cleaning stages run on Polars.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandera.polars as pa
import polars as pl

from helpers.clean.codebook import option_codes

ID = r"^p[a-z2-7]{12}$"
#: an event id: the event type's id prefix (``config/journal_values.yaml``), a dash, its number (two digits or more)
EVENT_ID = r"^[A-Za-z0-9_]+-\d{2,}$"


def _coded(codes: list[str], nullable: bool = True) -> pa.Column:
    return pa.Column(pl.String, pa.Check.isin(codes), nullable=nullable)


def _source() -> dict[str, pa.Column]:
    return {"source_file": pa.Column(pl.String), "source_row": pa.Column(pl.Int64, pa.Check.ge(2))}


def _person(values: Mapping, band_codes: list[str], social_codes: list[str]) -> dict[str, pa.Column]:
    """The columns a consultation and a participant share: sex, age and social category."""
    return {"sex": _coded([o["code"] for o in values["sex"]]),
            "age": pa.Column(pl.Int64, pa.Check.in_range(0, 110), nullable=True), "age_band": _coded(band_codes),
            "social_category": _coded(social_codes), "vulnerable": pa.Column(pl.Boolean, nullable=True)}


def survey_schema(cb: Mapping, region_codes: list[str], band_codes: list[str]) -> pa.DataFrameSchema:
    """Schema of ``core_survey__<survey>``: provenance columns plus one column set per question."""
    cols: dict[str, pa.Column] = {
        "response_id": pa.Column(pl.String, pa.Check.str_startswith(cb["survey"] + "-"), unique=True),
        "respondent_id": pa.Column(pl.String, pa.Check.str_matches(ID)),
        "survey": _coded([cb["survey"]], nullable=False),
        "form_lang": _coded(["ru", "kk"], nullable=False),
        **_source(),
        "submitted_at": pa.Column(pl.Datetime("us")),
        "age_band": _coded(band_codes),
    }
    for q in cb["questions"]:
        qid, kind = q["id"], q["type"]
        if qid == "region":
            cols[qid] = _coded(region_codes)
        elif kind in ("single", "likert"):
            cols[qid] = _coded(option_codes(q))
        elif kind == "number":
            lo, hi = q.get("min"), q.get("max")
            checks = [pa.Check.in_range(lo, hi)] if lo is not None and hi is not None else []
            cols[qid] = pa.Column(pl.Int64 if qid == "age" else pl.Float64, checks, nullable=True)
        elif kind == "multi":
            cols |= {f"{qid}__{code}": pa.Column(pl.Boolean) for code in [*option_codes(q), "answered"]}
            if q.get("other"):
                cols |= {f"{qid}__other": pa.Column(pl.Boolean), f"{qid}__other_text": pa.Column(pl.String, nullable=True)}
        elif kind == "grid":
            cols |= {f"{qid}__{row['code']}": _coded(option_codes(q)) for row in q["rows"]}
        elif kind == "open":
            cols[qid] = pa.Column(pl.String, nullable=True)
    return pa.DataFrameSchema(cols, strict=True, coerce=False, name=f"core_survey__{cb['survey']}")


def journal_schema(region_codes: list[str], band_codes: list[str], social_codes: list[str], values: Mapping,
                   office_ids: list[str]) -> pa.DataFrameSchema:
    """Schema of ``core_journal__consultations``."""
    v = {k: [o["code"] for o in opts] for k, opts in values.items()}
    return pa.DataFrameSchema({
        "consultation_id": pa.Column(pl.String, unique=True),
        "office": _coded(office_ids, nullable=False),
        **_source(),
        "date": pa.Column(pl.Datetime("us")),
        "month": pa.Column(pl.String, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
        "region": _coded(region_codes),
        "form": _coded(v["form"], nullable=False),
        "sphere": _coded(v["sphere"], nullable=False),
        "n_parties": pa.Column(pl.Int64, pa.Check.in_range(1, 50), nullable=True),
        "mediator_id": pa.Column(pl.String, pa.Check.str_matches(ID), nullable=True),
        "applicant_id": pa.Column(pl.String, pa.Check.str_matches(ID)),
        "outcome": _coded(v["outcome"]),
        "rating": _coded(v["rating"]),
        **_person(values, band_codes, social_codes),
    }, strict=True, name="core_journal__consultations")


def events_schema(values: Mapping) -> pa.DataFrameSchema:
    """Schema of ``core_events__events``."""
    return pa.DataFrameSchema({
        "event_id": pa.Column(pl.String, pa.Check.str_matches(EVENT_ID), unique=True),
        "event_type": _coded([o["code"] for o in values["event_type"]], nullable=False),
        "date": pa.Column(pl.Datetime("us")),
        "topic": pa.Column(pl.String),
        "regions": pa.Column(pl.String, nullable=True),
        "trainer_ids": pa.Column(pl.String, nullable=True),
        "participants_reported": pa.Column(pl.Int64, pa.Check.ge(0), nullable=True),
        **_source(),
    }, strict=True, name="core_events__events")


def participants_schema(region_codes: list[str], band_codes: list[str], social_codes: list[str],
                        values: Mapping) -> pa.DataFrameSchema:
    """Schema of ``core_events__participants``."""
    return pa.DataFrameSchema({
        "participant_id": pa.Column(pl.String, pa.Check.str_matches(ID)),
        "event_id": pa.Column(pl.String, pa.Check.str_matches(EVENT_ID)),
        **_person(values, band_codes, social_codes),
        "region": _coded(region_codes),
        "country": _coded([o["code"] for o in values["country"]]),
        **_source(),
    }, strict=True, name="core_events__participants")
