"""Consultation journals (one file per office, xlsx or csv, header variants) →
``core_journal__consultations``.

Transformations include: header variants → canonical names, office from the file name
(``<REGION CODE>_…``), dates in any format, values (form, sphere, outcome, rating, sex, social
category) → codes, region typos fixed, numbers in range, test rows and duplicate entries removed
by the explicit rules in :data:`RULES`, applicant and mediator names/phones → salted pseudonyms.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from helpers.clean import CleaningError
from helpers.clean.accounting import account
from helpers.clean.codebook import Unknown
from helpers.clean.normalise import parse_dates, to_number
from helpers.clean.pii import mask_text, person_key, pseudonymise
from helpers.clean.reference import Reference
from helpers.clean.tabular import ExportResult, Rejections, demographics, map_field, map_region_field, prepare

RULES: dict[str, str] = {
    "empty_row": "an empty line inside the journal",
    "test_submission": "a test entry: the applicant's name reads «тест»/«test»/«сынақ»",
    "missing_value": "neither the applicant's name nor phone is given",
    "bad_date": "the date is missing or in no known format",
    "out_of_period": "the date is outside the project period",
    "not_a_number": "the number of parties or the age is text, not a number",
    "out_of_range": "number of parties outside 1–50 or age outside 13–100",
    "duplicate_consultation": "the same consultation entered twice (same office, date, applicant and sphere): the first entry is kept",
}
MAPPED = ["form", "sphere", "outcome", "rating", "sex", "social_category"]


def office_of(path: str | Path, ref: Reference) -> str:
    """Office code from the file name ``<REGION CODE>_…`` (e.g. ``KAR_journal_2021.xlsx`` → ``KAR``)."""
    code = Path(path).name.split("_")[0].upper()
    if code not in ref.region_codes:
        raise CleaningError(f"{Path(path).name}: the file name must start with the office's region code (one of {', '.join(ref.region_codes)})")
    return code


def clean_journal(raw: pd.DataFrame, ref: Reference, source_file: str, salt: str, period: tuple[dt.date, dt.date]) -> ExportResult:
    """Clean one office journal (already read by :func:`helpers.clean.io.read_table`)."""
    office = office_of(source_file, ref)
    df, header_of = prepare(raw, ref.headers["journal"], source_file)
    rj = Rejections(df, header_of)
    unknown: list[Unknown] = []

    rj.empty_and_test_rows(RULES, ["name", "comment", "mediator"])
    rj.rule(df["name"].isna() & df["phone"].isna(), "missing_value", RULES["missing_value"], "name")
    date = parse_dates(df["date"])
    rj.rule(date.isna(), "bad_date", RULES["bad_date"], "date", df["date"])
    start, end = (pd.Timestamp(p) for p in period)
    rj.rule((date < start) | (date > end), "out_of_period", f"{RULES['out_of_period']} ({period[0]} – {period[1]})", "date", df["date"])
    n_parties = to_number(df["n_parties"])
    age = to_number(df["age"])
    rj.rule(df["n_parties"].notna() & n_parties.isna(), "not_a_number", RULES["not_a_number"], "n_parties", df["n_parties"])
    rj.rule(df["age"].notna() & age.isna(), "not_a_number", RULES["not_a_number"], "age", df["age"])
    rj.rule((n_parties < 1) | (n_parties > 50), "out_of_range", RULES["out_of_range"], "n_parties", df["n_parties"])
    rj.rule((age < ref.age_bands["min_age"]) | (age > ref.age_bands["max_age"]), "out_of_range", RULES["out_of_range"], "age", df["age"])

    mapped = {}
    for col in MAPPED:
        mapped[col], unk = map_field(df, col, ref, source_file, header_of.get(col, col), rj.done)
        unknown += unk
    region, unk, fixes = map_region_field(df["region"], ref, source_file, header_of["region"], rj.done)
    unknown += unk
    pkey = person_key(df["name"], df["phone"])
    dup_key = pd.DataFrame({"d": date, "p": pkey, "s": mapped["sphere"]}).astype("str").fillna("")
    rj.duplicates(dup_key, "duplicate_consultation", "same consultation as row")
    keep = rj.kept
    mapped_df = pd.DataFrame(mapped)
    clean = pd.DataFrame(
        {
            "consultation_id": office + "-" + df["source_row"].astype("str"),
            "office": office,
            "source_file": source_file,
            "source_row": df["source_row"].astype("int64"),
            "date": date,
            "month": date.dt.strftime("%Y-%m"),
            "region": region,
            "form": mapped_df["form"],
            "sphere": mapped_df["sphere"],
            "n_parties": n_parties.round().astype("Int64"),
            "mediator_id": pseudonymise(person_key(df["mediator"]), salt),
            "applicant_id": pseudonymise(pkey, salt),
            "outcome": mapped_df["outcome"],
            "rating": mapped_df["rating"],
            "sex": mapped_df["sex"],
            "social_category": mapped_df["social_category"],
        }
    )
    demo = demographics(pd.DataFrame({"age": df["age"], "social_category": mapped_df["social_category"]}), ref)
    clean = clean.join(demo)[
        ["consultation_id", "office", "source_file", "source_row", "date", "month", "region", "form", "sphere", "n_parties",
         "mediator_id", "applicant_id", "outcome", "rating", "sex", "age", "age_band", "social_category", "vulnerable"]
    ].loc[keep]
    rejected = rj.frame()
    names = pd.concat([df["name"], df["mediator"]]).dropna().unique().tolist()
    rejected["value"] = mask_text(rejected["value"], names)
    return ExportResult(clean.reset_index(drop=True), rejected, account(source_file, len(df), int(keep.sum()), rejected), unknown, fixes)
