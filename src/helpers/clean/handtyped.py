"""Shared steps of the hand-typed tables (consultation journals, participant lists, the event
register), on Polars: header variants → canonical names, value lists → codes, person keys,
demographics, and the rules every such table starts with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from helpers.clean import CleaningError, answers, read, regions, rules
from helpers.clean.codebook import Unknown
from helpers.clean.reference import Reference
from helpers.clean.text import TEST_PATTERN, clean_text, is_totals_row, match_key, whole_number


@dataclass
class FileResult:
    """One hand-typed file cleaned: its kept rows, the outcome of its rules, unknown labels, region
    spellings corrected, decisions made while reading."""

    clean: pl.DataFrame
    outcome: rules.Outcome
    unknown: list[Unknown] = field(default_factory=list)
    region_fixes: pl.DataFrame = field(default_factory=pl.DataFrame)
    log: list[str] = field(default_factory=list)


def expected_headers(spec: Mapping) -> set[str]:
    """Every header variant of a table kind (``config/journal_headers.yaml``), keyed."""
    return {read.header_key(v) for vs in spec["columns"].values() for v in vs}


def header_plan(columns: Sequence[str], spec: Mapping, name: str) -> dict[str, str]:
    """Header as written → canonical column name; one error lists every unknown header and every
    missing required column."""
    variants = {read.header_key(v): canon for canon, vs in spec["columns"].items() for v in vs}
    plan = {c: variants[read.header_key(c)] for c in columns if read.header_key(c) in variants}
    unknown = [f"column {j + 1} {c!r}" for j, c in enumerate(columns) if c not in plan]
    canon = list(plan.values())
    twice = sorted({c for c in canon if canon.count(c) > 1})
    problems = {"missing required column(s)": [c for c in spec["required"] if c not in canon],
                "row 1: header(s) not in config/journal_headers.yaml": unknown, "two headers mean the same column": twice}
    parts = [f"{what}: {', '.join(items)}" for what, items in problems.items() if items]
    if parts:
        raise CleaningError(f"{name}: " + "; ".join(parts))
    return plan


def prepare(raw: read.RawTable, spec: Mapping, source_file: str) -> tuple[pl.DataFrame, dict[str, str]]:
    """Canonical columns (optional ones added empty), text cleaned; and canonical name → header as written."""
    data = [c for c in raw.frame.columns if c not in ("source_row", "hidden")]
    plan = header_plan(data, spec, source_file)
    frame = raw.frame.rename(plan).with_columns(clean_text(pl.col(c)).alias(c) for c in plan.values())
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(o) for o in spec["optional"] if o not in frame.columns)
    return frame, {v: k for k, v in plan.items()}


def opening_rules(frame: pl.DataFrame, texts: Sequence[str], reasons: Mapping[str, str], name_header: str) -> list[rules.Rule]:
    """The rules every hand-typed table starts with: hidden rows, empty lines (a row number alone is
    one), totals rows («Итого» in any of the first filled cells, the row-number column too), test
    entries (a name or text cell reading «тест»/«test»/«сынақ», reported on the name column as the
    file calls it)."""
    cells = [c for c in frame.columns if c not in ("source_row", "hidden") and not c.startswith("_")]
    content = [c for c in cells if c != "row_no"]
    test = pl.any_horizontal(match_key(pl.col(c)).str.contains(TEST_PATTERN) for c in texts)
    return [
        rules.Rule("hidden_row", "the row is hidden in the workbook", pl.col("hidden")),
        rules.Rule("empty_row", reasons["empty_row"], pl.all_horizontal(pl.col(c).is_null() for c in content)),
        rules.Rule("totals_row", "a totals or subtotal line (Итого, Всего, Барлығы …), not a record", is_totals_row(cells)),
        rules.Rule("test_submission", reasons["test_submission"], test, column=name_header, value=pl.col("name")),
    ]


def read_count(column: str, lo: int, hi: int) -> pl.Expr:
    """A count column read once (:func:`helpers.clean.text.whole_number`): a struct whose ``value`` is the
    whole number in ``lo``–``hi`` and whose ``problem`` says why a cell is not one (for :func:`count_rules`)."""
    return whole_number(pl.col(column), lo, hi).parts


def count_rules(read_column: str, column: str, header: str, reasons: Mapping[str, str]) -> list[rules.Rule]:
    """The two rules of a count read by :func:`read_count` into ``read_column``: ``not_a_number`` for
    text, fractions, NaN, infinity; ``out_of_range`` outside the range, with the value and why;
    ``header``: the column as the file calls it."""
    bad = pl.col(read_column).struct.field("problem")
    out = bad.str.starts_with("below") | bad.str.starts_with("above")
    return [
        rules.Rule("not_a_number", reasons["not_a_number"], bad.is_not_null() & ~out, column=header,
                   value=pl.col(column), detail=pl.when(bad != "not a number").then(bad)),
        rules.Rule("out_of_range", reasons["out_of_range"], out, column=header, value=pl.col(column), detail=bad),
    ]


def count_value(read_column: str) -> pl.Expr:
    """The whole number of a count read by :func:`read_count` (null where a rule rejects the cell)."""
    return pl.col(read_column).struct.field("value")


def values(frame: pl.DataFrame, column: str, ref: Reference) -> tuple[pl.Series, pl.Series]:
    """A value-list column (``config/journal_values.yaml``, social categories) → codes, unknown flags."""
    options = ref.social["categories"] if column == "social_category" else ref.values[column]
    return answers.code_single(frame[column], ref.label_codes(options))


def region_column(frame: pl.DataFrame, column: str, ref: Reference, source_file: str) -> tuple[pl.Series, pl.Series, pl.DataFrame]:
    """A region column → codes (``ALL`` is no region here), unknown flags, and the typos fixed."""
    code, fixed = regions.map_column(frame[column], ref.region_lookup)
    code = code.replace("ALL", None)
    unknown = frame[column].is_not_null() & code.is_null() & fixed.is_null()
    fixes = pl.DataFrame({"source_file": source_file, "value": frame[column], "region": code}).filter(fixed.is_not_null())
    return code, unknown, fixes


def person_key(name: pl.Expr, phone: pl.Expr | None = None) -> pl.Expr:
    """Normalised ``name|phone`` (the last 10 digits) the applicant, participant and trainer ids are made of.

    >>> pl.DataFrame({"n": ["Иванова  Мария"], "p": ["8 701 123 45 67"]}).select(person_key(pl.col("n"), pl.col("p"))).item()
    'иванова мария|7011234567'
    """
    n = match_key(name).str.replace_all(r"[.,]", " ").str.replace_all(r"\s+", " ").str.strip_chars().fill_null("")
    p = phone.cast(pl.String).str.replace_all(r"\D", "").str.slice(-10).fill_null("") if phone is not None else pl.lit("")
    return pl.when((n != "") | (p != "")).then(pl.concat_str([n, pl.lit("|"), p]))


def demographics(age: pl.Expr, social: pl.Expr, ref: Reference, band: Callable[[pl.Expr, list], pl.Expr]) -> list[pl.Expr]:
    """``age`` (whole years), ``age_band``, ``vulnerable`` (null where the category is not given)."""
    vulnerable = pl.when(social.is_not_null()).then(social.is_in(ref.vulnerable_codes))
    return [age.alias("age"), band(age, ref.age_bands["bands"]).alias("age_band"), vulnerable.alias("vulnerable")]


def unknown_labels(pairs: Sequence[tuple[str, pl.Series, pl.Series]], still: pl.Series, source_file: str,
                   mask: Callable[[str], str]) -> list[Unknown]:
    """The unknown labels of the rows no rule rejected, per column (``(header, unknown?, values)``)."""
    return [u for header, flag, vals in pairs for u in answers.unknown_labels(vals.filter(flag & still), source_file, header, mask)]
