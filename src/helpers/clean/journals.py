"""Consultation journals (one file per office: xlsx, xls, ods or csv; header variants) →
``core_journal__consultations``, on Polars.

Transformations include: header variants → canonical names (``config/journal_headers.yaml``), the
office from the file name (``config/offices.yaml``), the dates' day/month order decided from the
file's own values, values (form, sphere, outcome, rating, sex, social category) → codes, region
typos fixed, counts as whole numbers in range, the rules of :data:`RULES`, applicant and mediator
names and phones → salted pseudonyms. An office may send several journals (one per month, per
half-year); the same consultation in two of them stops the run (:func:`check_across`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from helpers.clean import dates, handtyped, offices, read, rules
from helpers.clean.masking import mask
from helpers.clean.pii import pseudonymise
from helpers.clean.reference import Reference
from helpers.clean.surveys import age_band

RULES: dict[str, str] = {
    "hidden_row": "the row is hidden in the workbook",
    "empty_row": "an empty line inside the journal",
    "totals_row": "a totals or subtotal line (Итого, Всего, Барлығы …), not a record",
    "test_submission": "a test entry: the applicant's name reads «тест»/«test»/«сынақ»",
    "missing_value": "neither the applicant's name nor phone is given",
    "bad_date": "the date is missing or in no known format",
    "out_of_period": "the date is outside the project period",
    "not_a_number": "the number of parties or the age is text, not a number",
    "out_of_range": "number of parties outside 1–50 or age outside 13–100",
    "duplicate_consultation":
        "the same consultation entered twice (same office, date, applicant and sphere): the first entry is kept",
}
#: what makes two rows of different journals the same consultation (the applicant is its pseudonym)
SAME_CONSULTATION = ["applicant_id", "office", "date"]
MAPPED = ["form", "sphere", "outcome", "rating", "sex", "social_category"]
COLUMNS = ["consultation_id", "office", "source_file", "source_row", "date", "month", "region", "form", "sphere", "n_parties",
           "mediator_id", "applicant_id", "outcome", "rating", "sex", "age", "age_band", "social_category", "vulnerable"]


def read_journal(path: Path, name: str, ref: Reference) -> read.RawTable:
    """Read one journal, its header found by the header variants."""
    return read.read_table(path, name, handtyped.expected_headers(ref.headers["journal"]))


def clean_journal(raw: read.RawTable, ref: Reference, source_file: str, salt: str, period: tuple[dt.date, dt.date],
                  office_list: Mapping[str, offices.Office], part: int | None = None) -> handtyped.FileResult:
    """Clean one office journal (read by :func:`read_journal`). ``part``: the file's number among
    its office's journals when the office sent several (consultation ids ``<office>-<part>.<row>``, so
    they stay unique and never look like another office's ``<office>-<row>``)."""
    office = offices.office_of(source_file, office_list).id
    frame, header_of = handtyped.prepare(raw, ref.headers["journal"], source_file)
    order = dates.decide_order(frame["date"], source_rows=frame["source_row"], name=source_file, column=header_of["date"])
    coded = {c: handtyped.values(frame, c, ref) for c in MAPPED}
    region, region_unknown, fixes = handtyped.region_column(frame, "region", ref, source_file)
    start, end = period
    frame = frame.with_columns(
        order.values.alias("_date"), handtyped.read_count("n_parties", 1, 50).alias("_parties"),
        handtyped.read_count("age", ref.age_bands["min_age"], ref.age_bands["max_age"]).alias("_age"),
        handtyped.person_key(pl.col("name"), pl.col("phone")).alias("_person"),
        *(pl.lit(code).alias(f"_{c}") for c, (code, _) in coded.items()), pl.lit(region).alias("_region"),
    )
    same = [pl.col("_date").dt.strftime("%Y-%m-%d %H:%M:%S"), pl.col("_person"), pl.col("_sphere")]
    frame = frame.with_columns(pl.concat_str([c.fill_null("") for c in same], separator="|").alias("_same"))
    date_value = {"column": header_of["date"], "value": pl.col("date")}
    marked = rules.apply(frame, [
        *handtyped.opening_rules(frame, ["name", "comment", "mediator"], RULES, header_of["name"]),
        rules.Rule("missing_value", RULES["missing_value"], pl.col("name").is_null() & pl.col("phone").is_null(),
                   column=header_of["name"]),
        rules.Rule("bad_date", RULES["bad_date"], pl.col("_date").is_null(), **date_value),
        rules.Rule("out_of_period", f"{RULES['out_of_period']} ({start} – {end})",
                   ~pl.col("_date").is_between(*(pl.lit(d).cast(pl.Datetime("us")) for d in period)), **date_value),
        *(r for pair in zip(handtyped.count_rules("_parties", "n_parties", header_of["n_parties"], RULES),
                            handtyped.count_rules("_age", "age", header_of.get("age", "age"), RULES)) for r in pair),
        rules.Duplicate("duplicate_consultation", "same consultation as row {kept} (kept)", key=["_same"]),
    ])
    names = frozenset(v for c in ("name", "mediator") for v in frame[c].drop_nulls().unique().to_list())
    outcome = rules.collect(marked, source_file, mask=lambda t: mask(t, names))
    still = marked.select(rules.NOT_REJECTED).to_series()
    pairs = [(header_of.get(c, c), flag, frame[c]) for c, (_, flag) in coded.items()]
    pairs.append((header_of["region"], region_unknown, frame["region"]))
    unknown = handtyped.unknown_labels(pairs, still, source_file, lambda t: mask(t, names))
    return handtyped.FileResult(_table(outcome.kept, office, part, source_file, salt, ref), outcome, unknown, fixes,
                                [order.reason, *(f"{source_file}: {line}" for line in raw.log)])


def clean_journals(files: Sequence[Path], root: Path, ref: Reference, salt: str, period: tuple[dt.date, dt.date],
                   office_list: Mapping[str, offices.Office]) -> list[tuple[str, handtyped.FileResult]]:
    """Every journal of a folder (``files`` under ``root``, named relative to it), each cleaned by
    :func:`clean_journal`; an office's several files are its parts in name order. Then
    :func:`check_across`: the same consultation in two journals stops the run before anything is written.
    """
    names = [p.relative_to(root).as_posix() for p in files]
    office_ids = [offices.office_of(name, office_list).id for name in names]
    sent, seen = Counter(office_ids), Counter()
    out = []
    for path, name, office in zip(files, names, office_ids):
        seen[office] += 1
        part = seen[office] if sent[office] > 1 else None
        out.append((name, clean_journal(read_journal(path, name, ref), ref, name, salt, period, office_list, part)))
    check_across([res.clean for _, res in out])
    return out


def check_across(tables: Sequence[pl.DataFrame]) -> None:
    """Stop when the same consultation (same applicant, office and date: :data:`SAME_CONSULTATION`)
    stands in two journal files, naming both files and rows; the message shows the office and the
    date, never the applicant. Rows repeated inside one file are its ``duplicate_consultation`` rule's.

    >>> row = {"office": "KOS", "date": dt.datetime(2021, 4, 29), "applicant_id": "pabcdefghijkl"}
    >>> check_across([pl.DataFrame([row | {"source_file": "journals/KOS_апрель.xlsx", "source_row": 6}]),
    ...               pl.DataFrame([row | {"source_file": "journals/KOS_май.xlsx", "source_row": 2}])])
    Traceback (most recent call last):
    ...
    helpers.clean.CleaningError: the same consultation (same applicant, office and date) in two journals — keep it in one: KOS, 29.04.2021: journals/KOS_апрель.xlsx row 6, journals/KOS_май.xlsx row 2
    """
    if not tables:
        return
    frame = pl.concat([t.select(*SAME_CONSULTATION, "source_file", "source_row") for t in tables], how="vertical_relaxed")
    what = "the same consultation (same applicant, office and date) in two journals — keep it in one"
    label = pl.format("{}, {}", pl.col("office"), pl.col("date").dt.strftime("%d.%m.%Y"))
    rules.check_repeats(frame, SAME_CONSULTATION, what, label=label, across_files=True)


def totals(cons: pl.DataFrame) -> pl.DataFrame:
    """The totals of the clean consultations (``measure``, ``value``) the grant report states: consultations,
    in offices and online (the grant's indicators), and the ratings of the whole project.

    Only totals: the cross of form and rating, or the online channels apart, are small cells of people
    (all negative ratings may lie in one form); a reviewer edition publishes the same protected tables as
    the reports, so satisfaction by office, month, sphere and form is shown protected by the satisfaction
    stage (``helpers.grant.satisfaction.published``).

    >>> cons = pl.DataFrame({"form": ["office", "office", "online_site"], "rating": ["positive", "negative", None]})
    >>> dict(totals(cons).iter_rows())
    {'consultations': 3, 'in_offices': 2, 'online': 1, 'rated_positive': 1, 'rated_negative': 1, 'not_rated': 1}
    """
    row = cons.select(
        consultations=pl.len(),
        in_offices=(pl.col("form") == "office").sum(),
        online=(pl.col("form") != "office").sum(),
        rated_positive=(pl.col("rating") == "positive").sum(),
        rated_negative=(pl.col("rating") == "negative").sum(),
        not_rated=pl.col("rating").is_null().sum(),
    ).cast(pl.Int64)
    return row.transpose(include_header=True, header_name="measure", column_names=["value"])


def _ids(kept: pl.DataFrame, key: pl.Expr, salt: str) -> pl.Series:
    return pseudonymise(kept.select(key.alias("k"))["k"], salt)


def _table(kept: pl.DataFrame, office: str, part: int | None, source_file: str, salt: str, ref: Reference) -> pl.DataFrame:
    """The kept rows as the core table: ids, provenance, codes, pseudonyms, demographics."""
    row = pl.col("source_row").cast(pl.String) if part is None else pl.format("{}.{}", pl.lit(part), pl.col("source_row"))
    return kept.with_columns(
        pl.format("{}-{}", pl.lit(office), row).alias("consultation_id"), pl.lit(office).alias("office"),
        pl.lit(source_file).alias("source_file"), pl.col("_date").alias("date"),
        pl.col("_date").dt.strftime("%Y-%m").alias("month"), pl.col("_region").alias("region"),
        handtyped.count_value("_parties").alias("n_parties"),
        _ids(kept, handtyped.person_key(pl.col("mediator")), salt).alias("mediator_id"),
        _ids(kept, pl.col("_person"), salt).alias("applicant_id"),
        *(pl.col(f"_{c}").alias(c) for c in MAPPED),
        *handtyped.demographics(handtyped.count_value("_age"), pl.col("_social_category"), ref, age_band),
    ).select(COLUMNS)
