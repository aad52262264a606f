"""Engine candidate B: DuckDB (SQL over relations) for the two representative cleaning steps.

Step 1 — survey export → coded table with rule marks:
    the CSV is read as text; every answer loses invisible characters and surrounding whitespace;
    single-choice labels become codes by a join with the codebook's label table (unknown labels
    caught); a multi-select becomes one boolean per option plus the "Other" text; the timestamp is
    parsed (day-first, or any format listed in the parameters); each row gets the first rule it breaks.
Step 2 — duplicates: among kept rows, the same normalised e-mail is a duplicate of the earliest
    submission (ties by row number).

Every row stays in one table with ``status`` (kept / rejected / duplicate), ``rule``, ``reason``,
``value`` (masked) and ``duplicate_of``: the rejected rows are a filter of that table, not a side list.
The SQL is composed in Python from the parameters (column names, label table, formats, period,
masks), which are plain data: see ``measure.Params``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import ibis
import ibis.expr.datatypes as dt
import pandas as pd
import pandera.ibis as pa
import pyarrow as arrow

if TYPE_CHECKING:
    from measure import Params


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A SQL identifier (the export's headers are question texts)."""
    return '"' + name.replace('"', '""') + '"'


# --- step 1: export → coded table with rule marks ------------------------------------------------

MACROS = """
CREATE OR REPLACE MACRO clean_text(s) AS
    nullif(regexp_replace(regexp_replace(replace(s, chr(160), ' '), '[\u200b\u00ad\ufeff\u2060]', '', 'g'), '^\\s+|\\s+$', '', 'g'), '');
CREATE OR REPLACE MACRO match_key(s) AS regexp_replace(replace(lower(s), 'ё', 'е'), '\\s+', ' ', 'g');
"""


def mask(sql: str, p: Params) -> str:
    """Personal data in a reported value replaced by placeholders (e-mails, IINs, phones)."""
    for pattern, placeholder in p.masks:
        sql = f"regexp_replace({sql}, {lit(pattern)}, {lit(placeholder)}, 'g')"
    return sql


def ticks(text: str, question: str, options: list[tuple[str, str]], p: Params) -> list[str]:
    """A multi-select cell → one boolean per option and the rest as the "Other" text (masked).

    Labels are matched as whole items between ", " separators, longest first (a label may contain
    commas or end with another label); each match is taken out, what remains is the "Other" text.
    """
    rest = f"', ' || {text} || ', '"
    out = []
    for code, label in sorted(options, key=lambda o: -len(o[1])):
        item = lit(f", {label}, ")
        out.append(f"coalesce(contains({rest}, {item}), false) AS {question}__{code}")
        rest = f"replace({rest}, {item}, ', ')"
    other = f"nullif(trim({rest}, ', '), '')"
    return [*out, f"{mask(other, p)} AS {question}__other_text"]


@dataclass(frozen=True)
class Rule:
    """A named row rule: rows where ``when`` holds are rejected with ``reason`` and the (masked) ``value``."""

    name: str
    reason: str
    when: str
    value: str = "NULL::VARCHAR"


def rules(p: Params) -> list[Rule]:
    """The row rules, in order: a row is reported under the first one it breaks."""
    start, end = (f"TIMESTAMP '{t:%Y-%m-%d %H:%M:%S}'" for t in p.period)
    return [
        Rule("empty_row", "no answer in any question column", f"coalesce({', '.join(f'{q}__text' for q in p.answers)}) IS NULL"),
        Rule("bad_timestamp", "timestamp missing or in no known format", "submitted_at IS NULL", "timestamp_text"),
        Rule("outside_period", f"submitted outside {p.period[0]:%d.%m.%Y}–{p.period[1]:%d.%m.%Y}",
             f"NOT (submitted_at >= {start} AND submitted_at < {end})", "timestamp_text"),
        *(Rule("unknown_label", f"{q}: label not in the codebook", f"{q}__text IS NOT NULL AND {q}__code IS NULL", f"{q}__text")
          for q in p.single),
        *(Rule("not_a_number", f"{q}: not a whole number", f"{q}__text IS NOT NULL AND {q}__number IS NULL", f"{q}__text")
          for q in p.numbers),
    ]


def first_broken(rules: list[Rule]) -> str:
    """(rule, reason, value) of the first rule a row breaks; NULL where it breaks none."""
    whens = "\n".join(f"WHEN {r.when} THEN {{'rule': {lit(r.name)}, 'reason': {lit(r.reason)}, 'value': {r.value}}}" for r in rules)
    return f"CASE {whens} END"


def per_distinct(column: str, derived: list[str]) -> str:
    """A CTE with ``derived`` (SQL of ``column``) computed once per distinct value of ``raw``: answers
    repeat, 1 M rows hold about a hundred distinct texts per question."""
    return f"{column}_distinct AS (SELECT {column}, {', '.join(derived)} FROM (SELECT DISTINCT {column} FROM raw))"


def coded_export(con: duckdb.DuckDBPyConnection, path: str | Path, p: Params) -> duckdb.DuckDBPyRelation:
    """Step 1: one survey export (CSV) → coded table, one row per response, each marked kept or rejected."""
    con.execute(MACROS)
    con.register("label_rows", arrow.table(dict(zip(["question", "label", "code"], zip(*p.labels)))))
    con.execute("CREATE OR REPLACE TEMP TABLE labels AS "
                "SELECT DISTINCT ON (question, match_key(label)) question, match_key(label) AS key, code FROM label_rows")
    renamed = ", ".join(f"{ident(header)} AS {name}" for header, name in p.columns.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw AS SELECT row_number() OVER () + 1 AS source_row, {renamed} "  # line 1: header
                f"FROM read_csv({lit(str(path))}, all_varchar = true, header = true)")
    derived = {
        **{q: [f"(SELECT code FROM labels WHERE question = {lit(q)} AND key = match_key(clean_text({q}))) AS {q}__code"] for q in p.single},
        **{q: [f"TRY_CAST(clean_text({q}) AS BIGINT) AS {q}__number"] for q in p.numbers},
        **{q: ticks(f"clean_text({q})", q, options, p) for q, options in p.multi.items()},
    }
    distinct = ",\n".join(per_distinct(q, [f"clean_text({q}) AS {q}__text", *sql]) for q, sql in derived.items())
    joins = "\n".join(f"LEFT JOIN {q}_distinct ON raw.{q} IS NOT DISTINCT FROM {q}_distinct.{q}" for q in derived)
    formats = "[" + ", ".join(lit(f) for f in p.timestamp_formats) + "]"
    return con.sql(f"""
        WITH {distinct},
        coded AS (
            SELECT raw.source_row, clean_text(raw.email) AS email, clean_text(raw.timestamp_text) AS timestamp_text,
                try_strptime(timestamp_text, {formats}) AS submitted_at,
                {", ".join(f"{q}_distinct.* EXCLUDE ({q})" for q in derived)}
            FROM raw {joins}
        ),
        marked AS (SELECT *, {first_broken(rules(p))} AS rejected FROM coded)
        SELECT source_row, submitted_at, email,
            {", ".join(f"{q}__code AS {q}" for q in p.single)},
            {", ".join(f"{q}__number AS {q}" for q in p.numbers)},
            {", ".join(p.multi_columns)},
            CASE WHEN rejected IS NULL THEN 'kept' ELSE 'rejected' END AS status,
            rejected.rule AS rule, rejected.reason AS reason, {mask("rejected.value", p)} AS value
        FROM marked
        ORDER BY source_row
    """)


# --- step 2: duplicates ------------------------------------------------------------------------


def mark_duplicates(coded: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Step 2: a kept row whose normalised e-mail was submitted earlier is a duplicate of the earliest
    submission of that e-mail (by timestamp, then row number)."""
    return coded.query("coded", """
        WITH keyed AS (
            SELECT *, CASE WHEN status = 'kept' THEN lower(trim(email)) END AS email_key FROM coded
        ),
        earliest AS (  -- the row with the smallest (submitted_at, source_row) among the same e-mail
            SELECT *, arg_min(source_row, (submitted_at, source_row)) OVER (PARTITION BY email_key) AS earliest FROM keyed
        ),
        flagged AS (
            SELECT *, email_key IS NOT NULL AND earliest <> source_row AS is_dup FROM earliest
        )
        SELECT * EXCLUDE (email_key, earliest, is_dup) REPLACE (
                CASE WHEN is_dup THEN 'duplicate' ELSE status END AS status,
                CASE WHEN is_dup THEN 'duplicate_respondent' ELSE rule END AS rule,
                CASE WHEN is_dup THEN 'duplicate of row ' || earliest ELSE reason END AS reason),
            CASE WHEN is_dup THEN earliest END AS duplicate_of
        FROM flagged
        ORDER BY source_row
    """)


# --- handoff to the pandas analysis, and validation ----------------------------------------------


def core_table(marked: duckdb.DuckDBPyRelation, p: Params) -> pd.DataFrame:
    """The kept rows with the ``core_*`` columns and pandas types (str, datetime64[us], Int64, bool)."""
    kept = marked.filter("status = 'kept'").select(", ".join(p.core_columns))
    return kept.to_arrow_table().to_pandas().astype({q: "Int64" for q in p.numbers})


def rejected_rows(marked: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Every row not kept, with its rule, reason, masked value and the row it duplicates."""
    return marked.filter("status <> 'kept'").select("source_row, status, rule, reason, value, duplicate_of")


def core_schema(p: Params) -> pa.DataFrameSchema:
    """pandera (ibis backend) schema of the kept rows."""
    return pa.DataFrameSchema(
        {
            "source_row": pa.Column(dt.Int64, pa.Check.ge(2), unique=True),
            "submitted_at": pa.Column(dt.Timestamp(scale=6), pa.Check.in_range(*p.period)),
            **{q: pa.Column(dt.String, pa.Check.isin(p.codes[q]), nullable=True) for q in p.single},
            **{q: pa.Column(dt.Int64, nullable=True) for q in p.numbers},
            **{c: pa.Column(dt.Boolean) for c in p.multi_columns if not c.endswith("__other_text")},
            **{c: pa.Column(dt.String, nullable=True) for c in p.multi_columns if c.endswith("__other_text")},
        },
        strict=True,
        name="core_survey__population (engine benchmark)",
    )


def validate(con: duckdb.DuckDBPyConnection, marked_table: str, p: Params) -> ibis.Table:
    """The kept rows of a DuckDB table, validated through ibis on the same connection."""
    kept = ibis.duckdb.from_connection(con).table(marked_table).filter(ibis._.status == "kept").select(p.core_columns)
    return core_schema(p).validate(kept)
