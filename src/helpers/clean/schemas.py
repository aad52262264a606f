"""Pandera schemas of the clean ``core_*`` tables (see docs/data_model.md).

The survey schema is built from the codebook, so a new survey needs a codebook, not code.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandera.pandas as pa

from helpers.clean.codebook import option_codes

STR = "str"
DT = "datetime64[us]"
ID = r"^p[a-z2-7]{12}$"


def survey_schema(cb: Mapping, region_codes: list[str], band_codes: list[str]) -> pa.DataFrameSchema:
    """Schema of ``core_survey__<survey>``: provenance columns plus one column set per question."""
    cols: dict[str, pa.Column] = {
        "response_id": pa.Column(STR, unique=True, checks=pa.Check.str_startswith(cb["survey"] + "-")),
        "respondent_id": pa.Column(STR, pa.Check.str_matches(ID)),
        "survey": pa.Column(STR, pa.Check.isin([cb["survey"]])),
        "form_lang": pa.Column(STR, pa.Check.isin(["ru", "kk"])),
        "source_file": pa.Column(STR),
        "source_row": pa.Column("int64", pa.Check.ge(2)),
        "submitted_at": pa.Column(DT),
        "age_band": pa.Column(STR, pa.Check.isin(band_codes), nullable=True),
    }
    for q in cb["questions"]:
        qid, kind = q["id"], q["type"]
        if qid == "region":
            cols[qid] = pa.Column(STR, pa.Check.isin(region_codes), nullable=True)
        elif kind in ("single", "likert"):
            cols[qid] = pa.Column(STR, pa.Check.isin(option_codes(q)), nullable=True)
        elif kind == "number":
            lo, hi = q.get("min"), q.get("max")
            checks = [pa.Check.in_range(lo, hi)] if lo is not None and hi is not None else []
            cols[qid] = pa.Column("Int64" if qid == "age" else "float64", checks, nullable=True)
        elif kind == "multi":
            for code in option_codes(q):
                cols[f"{qid}__{code}"] = pa.Column(bool)
            cols[f"{qid}__answered"] = pa.Column(bool)
            if q.get("other"):
                cols[f"{qid}__other"] = pa.Column(bool)
                cols[f"{qid}__other_text"] = pa.Column(STR, nullable=True)
        elif kind == "grid":
            for row in q["rows"]:
                cols[f"{qid}__{row['code']}"] = pa.Column(STR, pa.Check.isin(option_codes(q)), nullable=True)
        elif kind == "open":
            cols[qid] = pa.Column(STR, nullable=True)
    return pa.DataFrameSchema(cols, strict=True, coerce=False, name=f"core_survey__{cb['survey']}")


def journal_schema(region_codes: list[str], band_codes: list[str], social_codes: list[str], values: Mapping) -> pa.DataFrameSchema:
    """Schema of ``core_journal__consultations``."""
    v = {k: [o["code"] for o in opts] for k, opts in values.items()}
    return pa.DataFrameSchema(
        {
            "consultation_id": pa.Column(STR, unique=True),
            "office": pa.Column(STR, pa.Check.isin(region_codes)),
            "source_file": pa.Column(STR),
            "source_row": pa.Column("int64", pa.Check.ge(2)),
            "date": pa.Column(DT),
            "month": pa.Column(STR, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
            "region": pa.Column(STR, pa.Check.isin(region_codes), nullable=True),
            "form": pa.Column(STR, pa.Check.isin(v["form"])),
            "sphere": pa.Column(STR, pa.Check.isin(v["sphere"])),
            "n_parties": pa.Column("Int64", pa.Check.in_range(1, 50), nullable=True),
            "mediator_id": pa.Column(STR, pa.Check.str_matches(ID), nullable=True),
            "applicant_id": pa.Column(STR, pa.Check.str_matches(ID)),
            "outcome": pa.Column(STR, pa.Check.isin(v["outcome"]), nullable=True),
            "rating": pa.Column(STR, pa.Check.isin(v["rating"]), nullable=True),
            "sex": pa.Column(STR, pa.Check.isin(v["sex"]), nullable=True),
            "age": pa.Column("Int64", pa.Check.in_range(0, 110), nullable=True),
            "age_band": pa.Column(STR, pa.Check.isin(band_codes), nullable=True),
            "social_category": pa.Column(STR, pa.Check.isin(social_codes), nullable=True),
            "vulnerable": pa.Column("boolean", nullable=True),
        },
        strict=True,
        name="core_journal__consultations",
    )


def events_schema(values: Mapping) -> pa.DataFrameSchema:
    """Schema of ``core_events__events``."""
    return pa.DataFrameSchema(
        {
            "event_id": pa.Column(STR, pa.Check.str_matches(r"^(RT|TR)-\d{2}$"), unique=True),
            "event_type": pa.Column(STR, pa.Check.isin([o["code"] for o in values["event_type"]])),
            "date": pa.Column(DT),
            "topic": pa.Column(STR),
            "regions": pa.Column(STR, nullable=True),
            "trainer_ids": pa.Column(STR, nullable=True),
            "participants_reported": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "source_file": pa.Column(STR),
            "source_row": pa.Column("int64", pa.Check.ge(2)),
        },
        strict=True,
        name="core_events__events",
    )


def participants_schema(region_codes: list[str], band_codes: list[str], social_codes: list[str], values: Mapping) -> pa.DataFrameSchema:
    """Schema of ``core_events__participants``."""
    return pa.DataFrameSchema(
        {
            "participant_id": pa.Column(STR, pa.Check.str_matches(ID)),
            "event_id": pa.Column(STR, pa.Check.str_matches(r"^(RT|TR)-\d{2}$")),
            "sex": pa.Column(STR, pa.Check.isin([o["code"] for o in values["sex"]]), nullable=True),
            "age": pa.Column("Int64", pa.Check.in_range(0, 110), nullable=True),
            "age_band": pa.Column(STR, pa.Check.isin(band_codes), nullable=True),
            "social_category": pa.Column(STR, pa.Check.isin(social_codes), nullable=True),
            "vulnerable": pa.Column("boolean", nullable=True),
            "region": pa.Column(STR, pa.Check.isin(region_codes), nullable=True),
            "country": pa.Column(STR, pa.Check.isin([o["code"] for o in values["country"]]), nullable=True),
            "source_file": pa.Column(STR),
            "source_row": pa.Column("int64", pa.Check.ge(2)),
        },
        strict=True,
        name="core_events__participants",
    )
