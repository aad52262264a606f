"""Engine candidate A: Polars (lazy frames and expressions) for the two representative cleaning steps.

Step 1 — survey export → coded table with rule marks:
    the CSV is read as text; every answer loses invisible characters and surrounding whitespace;
    single-choice labels become codes through the codebook's label table (unknown labels caught);
    a multi-select becomes one boolean per option plus the "Other" text; the timestamp is parsed
    (day-first, or any format listed in the parameters); each row gets the first rule it breaks.
Step 2 — duplicates: among kept rows, the same normalised e-mail is a duplicate of the earliest
    submission (ties by row number).

Every row stays in one table with ``status`` (kept / rejected / duplicate), ``rule``, ``reason``,
``value`` (masked) and ``duplicate_of``: the rejected rows are a filter of that table, not a side list.
The parameters (column names, label table, formats, period, masks) are plain data: see ``measure.Params``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pandera.polars as pa
import polars as pl

if TYPE_CHECKING:
    from measure import Params

# --- step 1: export → coded table with rule marks ------------------------------------------------


def clean_text(text: pl.Expr) -> pl.Expr:
    """Invisible characters removed (NBSP → space), surrounding whitespace trimmed; empty → null."""
    invisible = {"\u200b": "", "\u00ad": "", "\ufeff": "", "\u2060": "", "\u00a0": " "}
    return text.str.replace_many(list(invisible), list(invisible.values())).str.strip_chars().replace("", None)


def match_key(text: pl.Expr) -> pl.Expr:
    """The form labels are matched on: lower case, ё → е, runs of spaces as one."""
    return text.str.to_lowercase().str.replace("ё", "е", literal=True, n=-1).str.replace_all(r"\s+", " ")


def mask(text: pl.Expr, p: Params) -> pl.Expr:
    """Personal data in a reported value replaced by placeholders (e-mails, IINs, phones)."""
    for pattern, placeholder in p.masks:
        text = text.str.replace_all(pattern, placeholder)
    return text


def code_of(text: pl.Expr, question: str, labels: pl.DataFrame) -> pl.Expr:
    """The option code of each answer; null for no answer and for a label the codebook does not know."""
    table = labels.filter(pl.col("question") == question)
    return match_key(text).replace_strict(table["key"], table["code"], default=None).alias(f"{question}__code")


def ticks(text: pl.Expr, question: str, options: list[tuple[str, str]], p: Params) -> list[pl.Expr]:
    """A multi-select cell → one boolean per option and the rest as the "Other" text (masked).

    Labels are matched as whole items between ", " separators, longest first (a label may contain
    commas or end with another label); each match is taken out, what remains is the "Other" text.
    """
    rest = ", " + text + ", "
    out = []
    for code, label in sorted(options, key=lambda o: -len(o[1])):
        item = f", {label}, "
        out.append(rest.str.contains(item, literal=True).fill_null(False).alias(f"{question}__{code}"))
        rest = rest.str.replace(item, ", ", literal=True)
    other = rest.str.strip_chars(", ")
    return [*out, pl.when(other != "").then(mask(other, p)).alias(f"{question}__other_text")]


@dataclass(frozen=True)
class Rule:
    """A named row rule: rows where ``when`` holds are rejected with ``reason`` and the (masked) ``value``."""

    name: str
    reason: str
    when: pl.Expr
    value: pl.Expr = pl.lit(None, pl.String)


def rules(p: Params) -> list[Rule]:
    """The row rules, in order: a row is reported under the first one it breaks."""
    start, end = p.period
    text = {q: pl.col(f"{q}__text") for q in p.answers}
    return [
        Rule("empty_row", "no answer in any question column", pl.all_horizontal(t.is_null() for t in text.values())),
        Rule("bad_timestamp", "timestamp missing or in no known format", pl.col("submitted_at").is_null(), pl.col("timestamp_text")),
        Rule("outside_period", f"submitted outside {start:%d.%m.%Y}–{end:%d.%m.%Y}",
             ~pl.col("submitted_at").is_between(start, end, closed="left"), pl.col("timestamp_text")),
        *(Rule("unknown_label", f"{q}: label not in the codebook", text[q].is_not_null() & pl.col(f"{q}__code").is_null(), text[q])
          for q in p.single),
        *(Rule("not_a_number", f"{q}: not a whole number", text[q].is_not_null() & pl.col(f"{q}__number").is_null(), text[q])
          for q in p.numbers),
    ]


def first_broken(rules: list[Rule]) -> pl.Expr:
    """(rule, reason, value) of the first rule a row breaks; null where it breaks none."""
    return pl.coalesce(pl.when(r.when).then(pl.struct(rule=pl.lit(r.name), reason=pl.lit(r.reason), value=r.value)) for r in rules)


def per_distinct(rows: pl.LazyFrame, raw: pl.DataFrame, column: str, *derived: pl.Expr) -> pl.LazyFrame:
    """``derived`` (expressions of ``column``) computed once per distinct value of ``raw`` and joined
    back to the rows: answers repeat, 1 M rows hold about a hundred distinct texts per question."""
    distinct = raw.select(pl.col(column).unique()).with_columns(derived)
    return rows.join(distinct.lazy(), on=column, how="left", nulls_equal=True, validate="m:1", maintain_order="left")


def coded_export(path: str | Path, p: Params) -> pl.LazyFrame:
    """Step 1: one survey export (CSV) → coded table, one row per response, each marked kept or rejected."""
    labels = pl.DataFrame(p.labels, schema=["question", "label", "code"], orient="row")
    labels = labels.with_columns(key=match_key(pl.col("label"))).unique(["question", "key"], keep="first", maintain_order=True)
    text = {q: clean_text(pl.col(q).cast(pl.String)) for q in p.answers}
    derived = {
        **{q: [code_of(text[q], q, labels)] for q in p.single},
        **{q: [text[q].cast(pl.Int64, strict=False).alias(f"{q}__number")] for q in p.numbers},
        **{q: ticks(text[q], q, options, p) for q, options in p.multi.items()},
    }
    # Read once, eagerly: each per_distinct join takes its distinct values from this frame (taken from
    # the lazy frame itself, every join doubled the plan: 2^9 CSV scans, 137 s instead of 1.5 s).
    # Answers are read as Categorical (a hundred distinct texts in 1 M rows): joins move integers.
    answers = {header: pl.Categorical for header, name in p.columns.items() if name in p.answers}
    raw = pl.read_csv(path, infer_schema=False, schema_overrides=answers).rename(p.columns)
    rows = raw.lazy().with_row_index("source_row", offset=2)  # the file's line number (line 1 is the header)
    for q, exprs in derived.items():
        rows = per_distinct(rows, raw, q, text[q].alias(f"{q}__text"), *exprs)
    return (
        rows.with_columns(clean_text(pl.col(c)) for c in ("timestamp_text", "email"))
        .with_columns(submitted_at=pl.coalesce(pl.col("timestamp_text").str.strptime(pl.Datetime("us"), f, strict=False)
                                               for f in p.timestamp_formats))
        .with_columns(first_broken(rules(p)).alias("rejected"))
        .unnest("rejected")
        .select(
            pl.col("source_row").cast(pl.Int64),
            "submitted_at",
            "email",
            *(pl.col(f"{q}__code").alias(q) for q in p.single),
            *(pl.col(f"{q}__number").alias(q) for q in p.numbers),
            pl.col(p.multi_columns),
            status=pl.when(pl.col("rule").is_null()).then(pl.lit("kept")).otherwise(pl.lit("rejected")),
            rule="rule",
            reason="reason",
            value=mask(pl.col("value"), p),
        )
    )


# --- step 2: duplicates ------------------------------------------------------------------------


def mark_duplicates(coded: pl.LazyFrame) -> pl.LazyFrame:
    """Step 2: a kept row whose normalised e-mail was submitted earlier is a duplicate of the earliest
    submission of that e-mail (by timestamp, then row number)."""
    key = pl.when(pl.col("status") == "kept").then(pl.col("email").str.strip_chars().str.to_lowercase())
    earliest = pl.col("source_row").sort_by("submitted_at", "source_row").first().over(key)
    is_dup = key.is_not_null() & (earliest != pl.col("source_row"))
    return coded.with_columns(
        status=pl.when(is_dup).then(pl.lit("duplicate")).otherwise("status"),
        rule=pl.when(is_dup).then(pl.lit("duplicate_respondent")).otherwise("rule"),
        reason=pl.when(is_dup).then(pl.format("duplicate of row {}", earliest)).otherwise("reason"),
        duplicate_of=pl.when(is_dup).then(earliest),
    )


# --- handoff to the pandas analysis, and validation ----------------------------------------------


def core_table(marked: pl.DataFrame, p: Params) -> pd.DataFrame:
    """The kept rows with the ``core_*`` columns and pandas types (str, datetime64[us], Int64, bool)."""
    kept = marked.filter(pl.col("status") == "kept").select(p.core_columns)
    return kept.to_pandas().astype({q: "Int64" for q in p.numbers})


def rejected_rows(marked: pl.DataFrame) -> pl.DataFrame:
    """Every row not kept, with its rule, reason, masked value and the row it duplicates."""
    return marked.filter(pl.col("status") != "kept").select("source_row", "status", "rule", "reason", "value", "duplicate_of")


def core_schema(p: Params) -> pa.DataFrameSchema:
    """pandera (Polars backend) schema of the kept rows."""
    return pa.DataFrameSchema(
        {
            "source_row": pa.Column(pl.Int64, pa.Check.ge(2), unique=True),
            "submitted_at": pa.Column(pl.Datetime("us"), pa.Check.in_range(*p.period)),
            **{q: pa.Column(pl.String, pa.Check.isin(p.codes[q]), nullable=True) for q in p.single},
            **{q: pa.Column(pl.Int64, nullable=True) for q in p.numbers},
            **{c: pa.Column(pl.Boolean) for c in p.multi_columns if not c.endswith("__other_text")},
            **{c: pa.Column(pl.String, nullable=True) for c in p.multi_columns if c.endswith("__other_text")},
        },
        strict=True,
        name="core_survey__population (engine benchmark)",
    )


def validate(marked: pl.DataFrame, p: Params) -> pl.DataFrame:
    """The kept rows, validated (pandera raises on the first failing check with the failure cases)."""
    return core_schema(p).validate(marked.filter(pl.col("status") == "kept").select(p.core_columns))
