"""Pandera schemas of the clean ``core_*`` tables (see docs/data_model.md).

The survey schema is built from the codebook, so a new survey needs a codebook, not code. It uses
pandera's Polars backend (the survey stage runs on Polars); the journal and event schemas are still
pandas ones until their stage moves too.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandera.pandas as pa
import pandera.polars as pl_pa
import polars as pl

from helpers.clean.codebook import option_codes

STR = "str"
DT = "datetime64[us]"
ID = r"^p[a-z2-7]{12}$"


def survey_schema(cb: Mapping, region_codes: list[str], band_codes: list[str]) -> pl_pa.DataFrameSchema:
    """Schema of ``core_survey__<survey>`` (pandera's Polars backend): provenance columns plus one
    column set per question."""
    cols: dict[str, pl_pa.Column] = {
        "response_id": pl_pa.Column(pl.String, pl_pa.Check.str_startswith(cb["survey"] + "-"), unique=True),
        "respondent_id": pl_pa.Column(pl.String, pl_pa.Check.str_matches(ID)),
        "survey": pl_pa.Column(pl.String, pl_pa.Check.isin([cb["survey"]])),
        "form_lang": pl_pa.Column(pl.String, pl_pa.Check.isin(["ru", "kk"])),
        "source_file": pl_pa.Column(pl.String),
        "source_row": pl_pa.Column(pl.Int64, pl_pa.Check.ge(2)),
        "submitted_at": pl_pa.Column(pl.Datetime("us")),
        "age_band": pl_pa.Column(pl.String, pl_pa.Check.isin(band_codes), nullable=True),
    }
    for q in cb["questions"]:
        qid, kind = q["id"], q["type"]
        if qid == "region":
            cols[qid] = pl_pa.Column(pl.String, pl_pa.Check.isin(region_codes), nullable=True)
        elif kind in ("single", "likert"):
            cols[qid] = pl_pa.Column(pl.String, pl_pa.Check.isin(option_codes(q)), nullable=True)
        elif kind == "number":
            lo, hi = q.get("min"), q.get("max")
            checks = [pl_pa.Check.in_range(lo, hi)] if lo is not None and hi is not None else []
            cols[qid] = pl_pa.Column(pl.Int64 if qid == "age" else pl.Float64, checks, nullable=True)
        elif kind == "multi":
            for code in option_codes(q):
                cols[f"{qid}__{code}"] = pl_pa.Column(pl.Boolean)
            cols[f"{qid}__answered"] = pl_pa.Column(pl.Boolean)
            if q.get("other"):
                cols[f"{qid}__other"] = pl_pa.Column(pl.Boolean)
                cols[f"{qid}__other_text"] = pl_pa.Column(pl.String, nullable=True)
        elif kind == "grid":
            for row in q["rows"]:
                cols[f"{qid}__{row['code']}"] = pl_pa.Column(pl.String, pl_pa.Check.isin(option_codes(q)), nullable=True)
        elif kind == "open":
            cols[qid] = pl_pa.Column(pl.String, nullable=True)
    return pl_pa.DataFrameSchema(cols, strict=True, coerce=False, name=f"core_survey__{cb['survey']}")


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
