"""Row rules: every cleaning rule is a named expression that marks a row kept, rejected (rule,
reason, column, the masked value) or a duplicate of an earlier row; one collector serves surveys,
journals, participant lists and the register.

A source declares its rules in order; a row gets the first rule it breaks::

    rules = [
        Rule("hidden_row", "the row is hidden in the workbook", pl.col("hidden")),
        Rule("bad_timestamp", "the timestamp is missing or in no known format",
             pl.col("submitted_at").is_null(), column="Отметка времени", value=pl.col("Отметка времени")),
        Duplicate("duplicate_respondent", "same e-mail as row {kept} (the earliest submission, kept)",
                  key=["email_key"], order=["submitted_at"]),
    ]
    marked = apply(frame, rules)           # + _rule, _reason, _column, _value, _kept_row
    result = collect(marked, "surveys/population_ru.csv", mask=masking.mask)

:func:`collect` splits the marked frame into the kept rows and the rejected-rows records, and
gives the file's row accounting (``rows_in = rows_kept + rows_rejected + rows_duplicate``), which
it checks. :func:`check_share` stops a run where a file loses more than a given share of its rows:
a wholesale format problem is not data. :func:`check_repeats` stops a run where one record stands
in two files (or twice in one where no rule may choose between them), naming every file and row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby

import polars as pl

from helpers.clean import CleaningError

#: columns :func:`apply` adds (and :func:`collect` removes from the kept rows)
MARKS: tuple[str, ...] = ("_rule", "_reason", "_column", "_value", "_kept_row")
#: the columns of a rejected-rows file (``rejected/<source>.csv``) besides ``source_file``
#: rows :func:`apply` kept or marked as duplicates of a kept row (whose labels still count as the file's)
NOT_REJECTED = pl.col("_rule").is_null() | pl.col("_rule").str.starts_with("duplicate")
REJECTED_COLUMNS: tuple[str, ...] = ("source_row", "rule", "reason", "column", "value")
ACCOUNTING_COLUMNS: tuple[str, ...] = ("source_file", "rows_in", "rows_kept", "rows_rejected", "rows_duplicate")


@dataclass(frozen=True)
class Rule:
    """A row breaks the rule where ``when`` is true (null counts as false).

    ``reason`` is the text of the rejected-rows file; ``detail``, when given, is a per-row text
    appended to it (e.g. the value that is not a whole number). ``value`` is what the reviewer
    sees of the offending cell (masked by :func:`collect`).
    """

    name: str
    reason: str
    when: pl.Expr
    column: str = ""
    value: pl.Expr | None = None
    detail: pl.Expr | None = None


@dataclass(frozen=True)
class Duplicate:
    """Rows with equal ``key`` values (none null) among those no earlier rule rejected: the first by
    ``order`` (then ``source_row``) is kept, the others are duplicates of it. ``reason`` may hold
    ``{kept}``, the kept row's number as the file shows it. With ``window = (column, span)`` a row is
    a duplicate only when its ``column`` is at most ``span`` after the kept row's.
    """

    name: str
    reason: str
    key: Sequence[str]
    order: Sequence[str] = ()
    window: tuple[str, dt.timedelta] | None = None
    column: str = ""


def _reason(rule: Rule) -> pl.Expr:
    """The rule's reason, with ``: <detail>`` where the row has a detail."""
    if rule.detail is None:
        return pl.lit(rule.reason)
    return pl.concat_str([pl.lit(rule.reason), pl.lit(": ") + rule.detail.cast(pl.String)], ignore_nulls=True)


def _apply_rules(frame: pl.DataFrame, rules: Sequence[Rule]) -> pl.DataFrame:
    """A run of plain rules in one pass: the index of the first rule each unmarked row breaks, then
    that rule's marks (a plain rule leaves ``_kept_row`` null)."""
    first = pl.coalesce([pl.when(rule.when).then(pl.lit(i, pl.Int32)) for i, rule in enumerate(rules)])
    out = frame.with_columns(pl.when(pl.col("_rule").is_null()).then(first).alias("_first"))

    def by_rule(mark: str, values: Sequence[pl.Expr]) -> pl.Expr:
        chosen = pl.when(pl.col("_first") == 0).then(values[0])
        for i, v in enumerate(values[1:], 1):
            chosen = chosen.when(pl.col("_first") == i).then(v)
        return chosen.otherwise(pl.col(mark)).alias(mark)

    none = pl.lit(None, dtype=pl.String)
    return out.with_columns(
        by_rule("_rule", [pl.lit(r.name) for r in rules]),
        by_rule("_reason", [_reason(r) for r in rules]),
        by_rule("_column", [pl.lit(r.column) for r in rules]),
        by_rule("_value", [r.value.cast(pl.String) if r.value is not None else none for r in rules]),
    ).drop("_first")


def _apply_duplicate(frame: pl.DataFrame, rule: Duplicate) -> pl.DataFrame:
    """Only the open rows whose key another open row holds are ordered and grouped; the few
    duplicates found among them are marked by their row index."""
    key, order = list(rule.key), [*rule.order, "source_row"]
    first = [pl.col("source_row").first().over(key).alias("_kept_row")]
    hit = pl.col("_kept_row") != pl.col("source_row")
    if rule.window:
        column, span = rule.window
        first.append(pl.col(column).first().over(key).alias("_first_at"))
        hit = hit & ((pl.col(column) - pl.col("_first_at")) <= pl.lit(span))
    head, *rest = rule.reason.split("{kept}")
    reason = pl.concat_str([pl.lit(head)] + [e for part in rest for e in (pl.col("_kept_row").cast(pl.String), pl.lit(part))])
    found = (frame.lazy().with_row_index("_i")
             .filter(pl.col("_rule").is_null() & pl.all_horizontal(pl.col(k).is_not_null() for k in key))
             .filter(pl.struct(key).is_duplicated())
             .sort(order, nulls_last=True).with_columns(first).filter(hit)
             .select("_i", "_kept_row", reason.alias("_reason")).collect())
    at = found["_i"]
    return frame.with_columns(frame[mark].clone().scatter(at, value) for mark, value in (
        ("_rule", rule.name), ("_reason", found["_reason"]), ("_column", rule.column), ("_kept_row", found["_kept_row"])))


def apply(frame: pl.DataFrame, rules: Sequence[Rule | Duplicate]) -> pl.DataFrame:
    """``frame`` (with ``source_row``) plus the marks of the first rule each row breaks (:data:`MARKS`;
    null on kept rows). Rules apply in order; a duplicate rule looks only at rows still kept.

    >>> f = pl.DataFrame({"source_row": [2, 3, 4, 5], "mail": ["a", "b", "a", None], "n": ["1", "x", "2", "3"]})
    >>> out = apply(f, [Rule("not_a_number", "not a number", pl.col("n").cast(pl.Int64, strict=False).is_null(),
    ...                      column="n", value=pl.col("n")),
    ...                 Duplicate("duplicate_mail", "same e-mail as row {kept}", key=["mail"])])
    >>> out.select("source_row", "_rule", "_reason", "_kept_row").rows()
    [(2, None, None, None), (3, 'not_a_number', 'not a number', None), (4, 'duplicate_mail', 'same e-mail as row 2', 2), (5, None, None, None)]
    """
    if "source_row" not in frame.columns:
        raise ValueError("rules.apply: the frame has no source_row column")
    out = frame.with_columns(pl.lit(None, dtype=pl.String).alias(m) for m in MARKS[:-1]).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("_kept_row"))
    for plain, run in groupby(rules, key=lambda rule: isinstance(rule, Rule)):  # consecutive plain rules: one pass
        if plain:
            out = _apply_rules(out, list(run))
        else:
            for rule in run:
                out = _apply_duplicate(out, rule)
    return out


@dataclass(frozen=True)
class Outcome:
    """One file after its rules: the kept rows, the rejected-rows records, the accounting row."""

    kept: pl.DataFrame
    rejected: pl.DataFrame
    accounting: dict[str, int | str]


def collect(marked: pl.DataFrame, source_file: str, *, mask: Callable[[str], str] | None = None) -> Outcome:
    """Split a frame marked by :func:`apply` into kept rows and rejected-rows records (values masked
    once per distinct value by ``mask``), with the file's accounting; a rule whose name starts with
    ``duplicate`` counts as a duplicate.

    >>> f = apply(pl.DataFrame({"source_row": [2, 3, 4], "a": ["x", None, "x"]}),
    ...           [Rule("empty_row", "no answer", pl.col("a").is_null()), Duplicate("duplicate_row", "as row {kept}", key=["a"])])
    >>> o = collect(f, "s.csv")
    >>> o.kept.columns, o.accounting
    (['source_row', 'a'], {'source_file': 's.csv', 'rows_in': 3, 'rows_kept': 1, 'rows_rejected': 1, 'rows_duplicate': 1})
    """
    out = marked.filter(pl.col("_rule").is_not_null()).select(
        pl.col("source_row").cast(pl.Int64), pl.col("_rule").alias("rule"), pl.col("_reason").alias("reason"),
        pl.col("_column").alias("column"), pl.col("_value").alias("value"))
    if mask is not None and out.height:
        out = out.with_columns(pl.col("value").map_elements(mask, return_dtype=pl.String, skip_nulls=True))
    kept = marked.filter(pl.col("_rule").is_null()).drop(MARKS)
    duplicates = out.filter(pl.col("rule").str.starts_with("duplicate")).height
    acc = {"source_file": source_file, "rows_in": marked.height, "rows_kept": kept.height,
           "rows_rejected": out.height - duplicates, "rows_duplicate": duplicates}
    if acc["rows_in"] != acc["rows_kept"] + acc["rows_rejected"] + acc["rows_duplicate"]:
        raise CleaningError(f"{source_file}: row accounting does not balance: {acc}")
    return Outcome(kept, out.sort("source_row", "rule"), acc)


def check_share(outcome: Outcome, max_share: float) -> None:
    """Stop when more than ``max_share`` of a file's rows were rejected (duplicates aside), naming its
    three most frequent reasons: a wholesale format problem (a locale, a sheet, a column) is not data.

    >>> o = collect(apply(pl.DataFrame({"source_row": [2, 3]}), [Rule("bad", "bad date", pl.lit(True))]), "j.xlsx")
    >>> check_share(o, 0.5)
    Traceback (most recent call last):
    ...
    helpers.clean.CleaningError: j.xlsx: 2 of 2 rows rejected (100 %, more than the 50 % allowed by cleaning.max_rejected_share): bad date (2 rows)
    """
    n, bad = outcome.accounting["rows_in"], outcome.accounting["rows_rejected"]
    if not n or bad / n <= max_share:
        return
    top = (outcome.rejected.filter(~pl.col("rule").str.starts_with("duplicate"))
           .group_by("reason").len().sort(["len", "reason"], descending=[True, False]).head(3))
    reasons = "; ".join(f"{r} ({k} rows)" for r, k in top.iter_rows())
    raise CleaningError(f"{outcome.accounting['source_file']}: {bad} of {n} rows rejected ({100 * bad / n:.0f} %, "
                        f"more than the {100 * max_share:.0f} % allowed by cleaning.max_rejected_share): {reasons}")


def _place(source_file: str, source_row: int) -> str:
    """«journals/KOS.xlsx row 5»; a whole file (``source_row`` 1, its header) by its name alone."""
    return f"{source_file} row {source_row}" if source_row > 1 else source_file


def check_repeats(frame: pl.DataFrame, key: Sequence[str], what: str, *, label: pl.Expr | None = None,
                  across_files: bool = False) -> None:
    """Stop when rows of ``frame`` (with ``source_file`` and ``source_row``) share their ``key`` (no
    part null), naming every file and row of each such group, before anything is written.

    ``label`` (default: the key) is what the message shows of a group: a key that is a pseudonym
    says nothing to the office, and personal data must not be shown. With ``across_files`` only
    groups that span two or more files count (repeats inside one file are its own rules' business).

    >>> f = pl.DataFrame({"event_id": ["RT-01", "RT-02", "RT-01"], "source_file": ["reg.csv"] * 3, "source_row": [2, 3, 9]})
    >>> check_repeats(f, ["event_id"], "the event register lists an event twice")
    Traceback (most recent call last):
    ...
    helpers.clean.CleaningError: the event register lists an event twice: RT-01: reg.csv row 2, reg.csv row 9
    """
    key = list(key)
    shown = (label if label is not None else pl.concat_str(key, separator=", ")).alias("_label")
    found = (frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
             .with_columns(shown, pl.len().over(key).alias("_n"), pl.col("source_file").n_unique().over(key).alias("_files"))
             .filter((pl.col("_files") if across_files else pl.col("_n")) > 1)
             .sort("_label", "source_file", "source_row"))
    if not found.height:
        return
    groups = found.group_by(key, maintain_order=True).agg("_label", "source_file", "source_row")
    where = "; ".join(f"{labels[0]}: " + ", ".join(_place(f, r) for f, r in zip(files, rows))
                      for labels, files, rows in groups.select("_label", "source_file", "source_row").iter_rows())
    raise CleaningError(f"{what}: {where}")
