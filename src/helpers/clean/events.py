"""Event register (round tables and trainings) and participant lists →
``core_events__events`` and ``core_events__participants``.

Transformations include: event type → code and id (``RT-01``…, ``TR-13``…), dates as the typist
wrote them (``27.05. 2021г.``, ``10.09.21``), participant numbers from text (``25 человек``),
several regions in one cell → ';'-joined codes (``ALL`` = all Kazakhstan), trainers → pseudonyms;
participant lists (one file per event, ``<event_id>.csv|xlsx``): header variants, values → codes,
ages in range, test rows and the same person listed twice removed by :data:`RULES`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.clean import CleaningError
from helpers.clean.accounting import account
from helpers.clean.codebook import Unknown, map_single, unknown_list
from helpers.clean.normalise import clean_text, extract_regions, parse_dates, to_number
from helpers.clean.pii import mask_text, person_key, pseudonymise
from helpers.clean.reference import Reference
from helpers.clean.tabular import ExportResult, Rejections, demographics, map_field, map_region_field, prepare

RULES: dict[str, str] = {
    "empty_row": "an empty line",
    "test_submission": "a test entry: the name reads «тест»/«test»/«сынақ»",
    "bad_date": "the event date is missing or in no known format",
    "not_a_number": "the age or the participant number is text, not a number",
    "out_of_range": "age outside 13–100",
    "duplicate_participant": "the same person (name and phone) listed twice for the same event: the first line is kept",
}
REGISTER_COLUMNS = ["event_no", "event_type", "date", "time", "topic", "regions", "trainer", "participants", "source"]
TRAINER_SPLIT = r"\s+и\s+|\s+және\s+|;"


def clean_register(raw: pd.DataFrame, ref: Reference, source_file: str, salt: str) -> ExportResult:
    """Clean the event register (``report_2021/events_register.csv``)."""
    missing = [c for c in REGISTER_COLUMNS if c not in raw.columns]
    if missing:
        raise CleaningError(f"{source_file}: missing column(s): {', '.join(missing)}")
    df = raw.apply(lambda c: clean_text(c) if c.name != "source_row" else c)
    rj = Rejections(df, {})
    etype, unk = map_single(df["event_type"], ref.value_map("event_type"))
    unknown = unknown_list(source_file, "event_type", df.loc[unk, "event_type"])
    no = to_number(df["event_no"])
    rj.rule(no.isna(), "not_a_number", "the event number is not a number", "event_no", df["event_no"])
    date = parse_dates(df["date"])
    rj.rule(date.isna(), "bad_date", RULES["bad_date"], "date", df["date"])
    prefix = etype.map({"round_table": "RT", "training": "TR"})
    event_id = prefix + "-" + no.fillna(0).astype("int64").astype("str").str.zfill(2)
    reported = df["participants"].str.extract(r"(\d+)", expand=False)
    trainers = df["trainer"].str.split(TRAINER_SPLIT, regex=True).explode()
    trainer_ids = pseudonymise(person_key(trainers), salt).groupby(level=0).agg(lambda s: ";".join(sorted(s.dropna())) or pd.NA)
    topic = df["topic"].str.strip("\"«»' ").str.replace(r"^[\"«]|[\"»]$", "", regex=True)
    keep = rj.kept
    clean = pd.DataFrame(
        {
            "event_id": event_id,
            "event_type": etype,
            "date": date,
            "topic": topic,
            "regions": extract_regions(df["regions"], ref.region_lookup),
            "trainer_ids": trainer_ids.reindex(df.index).astype("str"),
            "participants_reported": pd.to_numeric(reported).astype("Int64"),
            "source_file": source_file,
            "source_row": df["source_row"].astype("int64"),
        }
    ).loc[keep]
    rejected = rj.frame()
    return ExportResult(clean.reset_index(drop=True), rejected, account(source_file, len(df), int(keep.sum()), rejected), unknown)


def event_of(path: str | Path, known: list[str]) -> str:
    """Event id from the participant list's file name (``TR-05.xlsx`` → ``TR-05``)."""
    eid = Path(path).stem.upper()
    if eid not in known:
        raise CleaningError(f"{Path(path).name}: the file name must be an event id of the register ({', '.join(known)})")
    return eid


def clean_participants(raw: pd.DataFrame, ref: Reference, source_file: str, salt: str, event_id: str) -> ExportResult:
    """Clean one participant list."""
    df, header_of = prepare(raw, ref.headers["participants"], source_file)
    rj = Rejections(df, header_of)
    unknown: list[Unknown] = []

    rj.empty_and_test_rows(RULES, ["name"])
    age = to_number(df["age"])
    rj.rule(df["age"].notna() & age.isna(), "not_a_number", RULES["not_a_number"], "age", df["age"])
    rj.rule((age < ref.age_bands["min_age"]) | (age > ref.age_bands["max_age"]), "out_of_range", RULES["out_of_range"], "age", df["age"])
    mapped = {}
    for col in ["sex", "social_category", "country"]:
        mapped[col], unk = map_field(df, col, ref, source_file, header_of.get(col, col), rj.done)
        unknown += unk
    region, unk, fixes = map_region_field(df["region"], ref, source_file, header_of["region"], rj.done)
    unknown += unk
    pkey = person_key(df["name"], df["phone"])
    rj.duplicates(pkey, "duplicate_participant", "same person as row")
    keep = rj.kept
    clean = pd.DataFrame(
        {
            "participant_id": pseudonymise(pkey, salt),
            "event_id": event_id,
            "sex": mapped["sex"],
            "social_category": mapped["social_category"],
            "region": region,
            "country": mapped["country"],
            "source_file": source_file,
            "source_row": df["source_row"].astype("int64"),
        }
    )
    clean = clean.join(demographics(pd.DataFrame({"age": df["age"], "social_category": mapped["social_category"]}), ref))
    clean = clean[["participant_id", "event_id", "sex", "age", "age_band", "social_category", "vulnerable", "region", "country", "source_file", "source_row"]].loc[keep]
    rejected = rj.frame()
    rejected["value"] = mask_text(rejected["value"], df["name"].dropna().unique().tolist())
    return ExportResult(clean.reset_index(drop=True), rejected, account(source_file, len(df), int(keep.sum()), rejected), unknown, fixes)
