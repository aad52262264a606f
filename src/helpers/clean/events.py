"""Event register (round tables and trainings) and participant lists → ``core_events__events``
and ``core_events__participants``, on Polars.

Transformations include: event type → code and id (``RT-01``…, ``TR-13``…), dates as the typist
wrote them (``27.05. 2021г.``, ``10.09.21``), participant numbers from text (``25 человек``),
several regions in one cell → ';'-joined codes (``ALL`` = all Kazakhstan), trainers → pseudonyms, the
topic masked (a contact typed into it: :mod:`helpers.clean.masking`);
participant lists (one file per event, ``<event_id>.<csv|xlsx|xls|ods>``): header variants, values
→ codes, ages as whole numbers in range, and the rules of :data:`RULES`. An event listed twice in
the register (:func:`check_register`) or two lists of one event (:func:`events_of_lists`) stop the
run naming both rows or files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

import polars as pl

from helpers.clean import CleaningError, answers, dates, handtyped, read, regions, rules
from helpers.clean.masking import mask
from helpers.clean.pii import pseudonymise
from helpers.clean.reference import Reference
from helpers.clean.surveys import age_band
from helpers.clean.text import clean_text, is_totals_row, whole_number

RULES: dict[str, str] = {
    "hidden_row": "the row is hidden in the workbook",
    "empty_row": "an empty line",
    "totals_row": "a totals or subtotal line (Итого, Всего, Барлығы …), not a record",
    "test_submission": "a test entry: the name reads «тест»/«test»/«сынақ»",
    "bad_date": "the event date is missing or in no known format",
    "not_a_number": "the age or the participant number is text, not a number",
    "out_of_range": "age outside 13–100",
    "duplicate_participant": "the same person (name and phone) listed twice for the same event: the first line is kept",
}
REGISTER_COLUMNS = ["event_no", "event_type", "date", "time", "topic", "regions", "trainer", "participants", "source"]
TRAINER_SPLIT = r"\s+и\s+|\s+және\s+|;"
PARTICIPANT_COLUMNS = ["participant_id", "event_id", "sex", "age", "age_band", "social_category", "vulnerable", "region",
                       "country", "source_file", "source_row"]


def read_register(path: Path, name: str) -> read.RawTable:
    """Read the event register (its columns are named as in :data:`REGISTER_COLUMNS`)."""
    return read.read_table(path, name, set(REGISTER_COLUMNS))


def _trainer_ids(trainers: pl.Series, salt: str) -> pl.Series:
    """Each register row's trainers (several in one cell) → their sorted ';'-joined pseudonyms."""
    parts = [re.split(TRAINER_SPLIT, t) if t else [] for t in trainers.to_list()]
    flat = sorted({p for ps in parts for p in ps})
    keys = pl.DataFrame({"n": flat}, schema={"n": pl.String}).select(handtyped.person_key(pl.col("n")).alias("k"))["k"]
    ids = dict(zip(flat, pseudonymise(keys, salt).to_list()))
    joined = [";".join(sorted(i for p in ps if isinstance(i := ids.get(p), str))) or None for ps in parts]
    return pl.Series(joined, dtype=pl.String)


def id_prefixes(values: Mapping) -> dict[str, str]:
    """Event type code → the prefix of its event ids (``id_prefix`` in ``config/journal_values.yaml``,
    else the code in capitals): event ``<prefix>-<number, two digits or more>``.

    >>> id_prefixes({"event_type": [{"code": "round_table", "id_prefix": "RT"}, {"code": "webinar"}]})
    {'round_table': 'RT', 'webinar': 'WEBINAR'}
    """
    return {o["code"]: str(o.get("id_prefix") or o["code"].upper()) for o in values["event_type"]}


def clean_register(raw: read.RawTable, ref: Reference, source_file: str, salt: str) -> handtyped.FileResult:
    """Clean the event register."""
    missing = [c for c in REGISTER_COLUMNS if c not in raw.frame.columns]
    if missing:
        raise CleaningError(f"{source_file}: missing column(s): {', '.join(missing)}")
    frame = raw.frame.with_columns(clean_text(pl.col(c)).alias(c) for c in REGISTER_COLUMNS)
    etype, unknown_type = handtyped.values(frame, "event_type", ref)
    order = dates.decide_order(frame["date"], source_rows=frame["source_row"], name=source_file, column="date")
    frame = frame.with_columns(pl.lit(etype).alias("_type"), whole_number(pl.col("event_no")).value.alias("_no"),
                               order.values.alias("_date"))
    marked = rules.apply(frame, [
        rules.Rule("hidden_row", RULES["hidden_row"], pl.col("hidden")),
        rules.Rule("totals_row", RULES["totals_row"], is_totals_row(REGISTER_COLUMNS)),
        rules.Rule("not_a_number", "the event number is not a number", pl.col("_no").is_null(), column="event_no",
                   value=pl.col("event_no")),
        rules.Rule("bad_date", RULES["bad_date"], pl.col("_date").is_null(), column="date", value=pl.col("date")),
    ])
    trainers = frozenset(p for t in frame["trainer"].drop_nulls().to_list() for p in re.split(TRAINER_SPLIT, t))
    masker = partial(mask, names=trainers)
    outcome = rules.collect(marked, source_file, mask=masker)
    kept = outcome.kept
    still = marked["_rule"].is_null()  # a rejected row's type is no label to learn (a totals line's «Итого: 18»)
    prefix = pl.col("_type").replace_strict(id_prefixes(ref.values), default=None)
    topic = _masked("topic", masker).str.strip_chars("\"«»' ").str.replace(r"^[\"«]|[\"»]$", "")
    clean = kept.with_columns(
        pl.concat_str([prefix, pl.lit("-"), pl.col("_no").cast(pl.String).str.zfill(2)]).alias("event_id"),
        pl.col("_type").alias("event_type"), pl.col("_date").alias("date"), topic.alias("topic"),
        pl.Series("regions", [regions.extract(t, ref.region_lookup) for t in kept["regions"].to_list()], dtype=pl.String),
        _trainer_ids(kept["trainer"], salt).alias("trainer_ids"),
        # the number of participants read after masking: not a phone's digits
        _masked("participants", masker).str.extract(r"(\d+)").cast(pl.Int64).alias("participants_reported"),
        pl.lit(source_file).alias("source_file"),
    ).select("event_id", "event_type", "date", "topic", "regions", "trainer_ids", "participants_reported", "source_file",
             "source_row")
    unknown = answers.unknown_labels(frame["event_type"].filter(unknown_type & still), source_file, "event_type", masker)
    return handtyped.FileResult(clean, outcome, unknown, log=[order.reason])


def check_register(clean: pl.DataFrame) -> None:
    """Stop when the clean register (:func:`clean_register`) lists an event twice (a row pasted
    again, a number typed twice), naming both rows."""
    rules.check_repeats(clean, ["event_id"], "the event register lists an event twice")


def events_of_lists(files: Sequence[Path], root: Path, known: Sequence[str]) -> list[str]:
    """The event of each participant list (:func:`event_of`, ``files`` under ``root``); two lists of
    one event (``RT-02.csv`` and ``rt-02.xlsx``) stop the run naming both files."""
    ids = [event_of(p, known) for p in files]
    names = [p.relative_to(root).as_posix() for p in files]
    frame = pl.DataFrame({"event_id": ids, "source_file": names, "source_row": [1] * len(ids)},
                         schema={"event_id": pl.String, "source_file": pl.String, "source_row": pl.Int64})
    rules.check_repeats(frame, ["event_id"], "two participant lists of one event")
    return ids


def _masked(column: str, masker: Callable[[str], str]) -> pl.Expr:
    """A text column with personal data masked (a name or a contact typed into a register cell)."""
    return pl.col(column).map_elements(masker, return_dtype=pl.String, skip_nulls=True)


def event_of(path: str | Path, known: Sequence[str]) -> str:
    """Event id from the participant list's file name (``TR-05.xlsx`` → ``TR-05``)."""
    eid = Path(path).stem.upper()
    if eid not in known:
        raise CleaningError(f"{Path(path).name}: the file name must be an event id of the register ({', '.join(known)})")
    return eid


def read_participants(path: Path, name: str, ref: Reference) -> read.RawTable:
    """Read one participant list, its header found by the header variants."""
    return read.read_table(path, name, handtyped.expected_headers(ref.headers["participants"]))


def clean_participants(raw: read.RawTable, ref: Reference, source_file: str, salt: str, event_id: str) -> handtyped.FileResult:
    """Clean one participant list (read by :func:`read_participants`)."""
    frame, header_of = handtyped.prepare(raw, ref.headers["participants"], source_file)
    coded = {c: handtyped.values(frame, c, ref) for c in ("sex", "social_category", "country")}
    region, region_unknown, fixes = handtyped.region_column(frame, "region", ref, source_file)
    frame = frame.with_columns(
        handtyped.read_count("age", ref.age_bands["min_age"], ref.age_bands["max_age"]).alias("_age"),
        handtyped.person_key(pl.col("name"), pl.col("phone")).alias("_person"),
        *(pl.lit(code).alias(f"_{c}") for c, (code, _) in coded.items()), pl.lit(region).alias("_region"))
    marked = rules.apply(frame, [
        *handtyped.opening_rules(frame, ["name"], RULES, header_of["name"]),
        *handtyped.count_rules("_age", "age", header_of["age"], RULES),
        rules.Duplicate("duplicate_participant", "same person as row {kept} (kept)", key=["_person"]),
    ])
    masker = partial(mask, names=frozenset(frame["name"].drop_nulls().unique().to_list()))
    outcome = rules.collect(marked, source_file, mask=masker)
    still = marked.select(rules.NOT_REJECTED).to_series()
    pairs = [(header_of.get(c, c), flag, frame[c]) for c, (_, flag) in coded.items()]
    pairs.append((header_of["region"], region_unknown, frame["region"]))
    unknown = handtyped.unknown_labels(pairs, still, source_file, masker)
    clean = outcome.kept.with_columns(
        pseudonymise(outcome.kept["_person"], salt).alias("participant_id"), pl.lit(event_id).alias("event_id"),
        pl.col("_region").alias("region"), pl.lit(source_file).alias("source_file"), *(pl.col(f"_{c}").alias(c) for c in coded),
        *handtyped.demographics(handtyped.count_value("_age"), pl.col("_social_category"), ref, age_band),
    ).select(PARTICIPANT_COLUMNS)
    return handtyped.FileResult(clean, outcome, unknown, fixes, [f"{source_file}: {line}" for line in raw.log])
