"""Survey exports (Google Forms or KoboToolbox, ru and kk versions) → ``core_survey__<survey>`` tables, on Polars.

Transformations include: finding the header and matching it to the codebook (question text in
either language; grid columns ``Question [Row]``), deciding the timestamps' day/month order from
the file's own values, mapping answer labels to codes (single, Likert, grid), splitting checkbox
cells against the known options (the rest is the "Other" text), numbers in range, and the row
rules of :data:`RULES` (:mod:`helpers.clean.rules`); e-mails become salted pseudonyms and free
text is masked (:mod:`helpers.clean.masking`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from helpers.clean import CleaningError, answers, dates, kobo, pii, read, regions, rules
from helpers.clean.codebook import Unknown, option_codes
from helpers.clean.masking import mask
from helpers.clean.reference import Reference
from helpers.clean.text import TEST_PATTERN, clean_text, is_answered, match_key, to_number

#: the row rules, in the order they are applied (a row gets the first that applies).
RULES: dict[str, str] = {
    "hidden_row": "the row is hidden in the workbook",
    "empty_row": "no answer in any question column",
    "test_submission": "a test submission: an answer or the e-mail reads «тест»/«test»/«сынақ»/«проверка»",
    "bad_timestamp": "the timestamp is missing or in no known format",
    "out_of_period": "submitted outside the fieldwork window (the period ± cleaning.fieldwork_margin_days)",
    "not_a_number": "a number question holds text that is not a number",
    "out_of_range": "a number outside the range the codebook allows (age 13–100 …)",
    "duplicate_respondent": "the same e-mail submitted the form again: the earliest submission is kept",
    "duplicate_submission": "identical answers to every question within 24 h of an earlier submission: the earliest is kept",
}
DUPLICATE_WINDOW = dt.timedelta(hours=24)
Plan = dict[str, tuple[str, str | None]]  # header as written → (question id, grid row code | None)
QUESTION_COLUMNS = ["survey", "question", "row", "lang", "header"]


@dataclass
class ExportResult:
    """One export cleaned: its kept rows (columns of the core table), the outcome of its rules
    (rejected rows, accounting), unknown labels, region spellings corrected, decisions made."""

    clean: pl.DataFrame  # free texts not masked yet: :func:`mask_free_texts` (the stage, once all exports are read)
    outcome: rules.Outcome
    unknown: list[Unknown] = field(default_factory=list)
    region_fixes: pl.DataFrame = field(default_factory=pl.DataFrame)
    log: list[str] = field(default_factory=list)
    questions: pl.DataFrame = field(default_factory=pl.DataFrame)


def expected_headers(cb: Mapping) -> dict[str, tuple[str, str | None]]:
    """Header key (:func:`helpers.clean.read.header_key`, every language) → ``(question id, grid row | None)``;
    the timestamp and e-mail columns are ``__timestamp`` and ``__email``."""
    out = {read.header_key(cb["timestamp_header"][lang]): ("__timestamp", None) for lang in cb["timestamp_header"]}
    out |= {read.header_key(text): ("__email", None) for text in cb.get("email_header", {}).values()}
    for q in cb["questions"]:
        for lang in answers.LANGS:
            for text in header_texts(q, lang):
                if q["type"] != "grid":
                    out[read.header_key(text)] = (q["id"], None)
                    continue
                out |= {read.header_key(f"{text} [{row}]"): (q["id"], r["code"]) for r in q["rows"] for row in header_texts(r, lang)}
    return out


def header_texts(item: Mapping, lang: str) -> list[str]:
    """The header texts of a question (or grid row) in ``lang``: its text, then its ``header_aliases``
    (wordings of other waves: «2020–2021» → «2021–2022»).

    >>> header_texts({"ru": "Обращались ли вы в 2020–2021 гг.?", "header_aliases": {"ru": ["Обращались ли вы в 2021–2022 гг.?"]}}, "ru")
    ['Обращались ли вы в 2020–2021 гг.?', 'Обращались ли вы в 2021–2022 гг.?']
    """
    return [item[lang], *item.get("header_aliases", {}).get(lang, [])] if lang in item else []


def column_plan(cb: Mapping, headers: list[str], name: str) -> Plan:
    """Map the export's headers to questions; a missing, unexpected or doubled column stops with one message."""
    expected = expected_headers(cb)
    plan = {h: expected[read.header_key(h)] for h in headers if read.header_key(h) in expected}
    need = [("__timestamp", None)] + [(q["id"], r["code"] if r else None) for q in cb["questions"]
                                      for r in (q["rows"] if q["type"] == "grid" else [None])]
    got = list(plan.values())
    missing = [f"{q}{'[' + r + ']' if r else ''}" for q, r in need if (q, r) not in got]
    unexpected = [h for h in headers if h not in plan]
    twice = sorted({v for v in got if got.count(v) > 1})
    parts = []
    if missing:
        parts.append(f"missing column(s) for question(s): {', '.join(missing)}")
    if unexpected:
        cols = ", ".join(f"column {headers.index(h) + 1} {h!r}" for h in unexpected)
        parts.append(f"row 1: column(s) not in codebook '{cb['survey']}' (renamed? wrong encoding?): {cols}")
    if twice:
        parts.append(f"question(s) present twice (ru and kk header?): {twice}")
    if parts:
        raise CleaningError(f"{name}: " + "; ".join(parts))
    return plan


def question_headers(plan: Plan, survey: str, lang: str) -> pl.DataFrame:
    """The wording each question was read under (``questions.csv``): one row per answer column — survey,
    question id, grid row code (empty for other questions), form language, the header as written.

    >>> question_headers({"Отметка времени": ("__timestamp", None), "Готовы ли Вы?": ("ready", None)}, "population", "ru").rows()
    [('population', 'ready', '', 'ru', 'Готовы ли Вы?')]
    """
    rows = [(survey, q, row or "", lang, header) for header, (q, row) in plan.items() if not q.startswith("__")]
    return pl.DataFrame(rows, schema={c: pl.String for c in QUESTION_COLUMNS}, orient="row")


def read_export(path: Path, name: str, cb: Mapping) -> read.RawTable:
    """Read one export (Google Forms or KoboToolbox), its header found by the codebook's question texts
    or Kobo names."""
    return read.read_table(path, name, expected_headers(cb).keys() | kobo.names(cb).keys() | kobo.META)


def _regions(values: pl.Series, code: pl.Series, unknown: pl.Series, ref: Reference,
             source_file: str) -> tuple[pl.Series, pl.Series, pl.DataFrame]:
    """Region labels no codebook lists, matched to one region by an unambiguous close spelling."""
    odd = values.filter(unknown).unique(maintain_order=True).drop_nulls()
    if not odd.len():
        return code, unknown, pl.DataFrame()
    found = {v: c for v, (c, _) in regions.codes_of(odd.to_list(), ref.region_lookup).items() if c}
    fixes = pl.DataFrame({"source_file": source_file, "value": list(found), "region": list(found.values())},
                         schema={"source_file": pl.String, "value": pl.String, "region": pl.String})
    repaired = values.replace_strict(found, default=None, return_dtype=pl.String)
    return code.fill_null(repaired), unknown & repaired.is_null(), fixes


@dataclass
class _Answers:
    """The answer columns of one export, worked out once per distinct cell and given back row by row."""

    frame: pl.DataFrame  # the core table's answer columns, then the helper columns of the rules (:func:`_cells`)
    columns: list[str]  # the core table's answer columns, in codebook order
    unknown: list[tuple[str, str]]  # (header, helper column: the cell's label where no codebook lists it)
    checks: list[rules.Rule]  # number questions: not a number, out of range
    region_fixes: pl.DataFrame


def _cells(cells: pl.DataFrame, q: Mapping, name: str, j: int, ref: Reference,
           source_file: str) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """What the distinct ``cells`` (column ``v``) of one column of question ``q`` give: the core
    columns (``name`` for a coded one), the helper columns of the rules, suffixed with the column's
    number ``j`` (``_test``: reads «тест»…; ``_unknown``: the label no codebook lists; ``_nan``, ``_range``:
    a number question's rules; ``_answer``: the answer, "Other" texts aside, as a number, for the
    duplicate-submission rule) and, for the region, the spellings corrected."""
    qid, kind, v = q["id"], q["type"], pl.col("v")
    out: dict[str, pl.Series | pl.Expr] = {f"_test{j}": match_key(v).str.contains(TEST_PATTERN).fill_null(False)}
    fixes = None
    if kind in ("single", "likert", "grid"):
        code, unknown = answers.code_single(cells["v"], ref.label_codes(q["options"]))
        if qid == "region":
            code, unknown, fixes = _regions(cells["v"], code, unknown, ref, source_file)
        out |= {name: code, f"_unknown{j}": pl.when(unknown).then(v)}
    elif kind == "multi":
        split = answers.split_multi(cells, "v", q["options"])
        out |= {f"{qid}__{c}": split[c] for c in option_codes(q)}
        if q.get("other"):
            out |= {f"{qid}__other": split["rest"].is_not_null(),
                    f"{qid}__other_text": split["rest"]}
        else:
            out[f"_unknown{j}"] = split["rest"]
        out[f"{qid}__answered"] = split["answered"]
    elif kind == "number":
        num = to_number(v)
        lo, hi = q.get("min"), q.get("max")
        out |= {qid: num.round().cast(pl.Int64) if qid == "age" else num, f"_nan{j}": is_answered(v) & num.is_null()}
        if lo is not None or hi is not None:
            out[f"_range{j}"] = (num < (lo if lo is not None else -float("inf"))) | (num > (hi if hi is not None else float("inf")))
    elif kind == "open":
        out[qid] = clean_text(v)
    done = cells.with_columns(**out)
    answer = [pl.col(c).cast(pl.String).fill_null("\x00") for c in out if not c.startswith("_") and not c.endswith("__other_text")]
    return done.with_columns(pl.concat_str(answer, separator="\x1f").rank("dense").alias(f"_answer{j}")), fixes


def _answers(frame: pl.DataFrame, cb: Mapping, inv: Mapping, ref: Reference, source_file: str) -> _Answers:
    """The answer columns of the core table and the helper columns of the rules: each column's distinct
    cells worked out once (:func:`_cells`) and given back to the rows by their number among them."""
    parts, columns, unknown, checks, fixes = [], [], [], [], []
    for q in cb["questions"]:
        qid = q["id"]
        for row in q["rows"] if q["type"] == "grid" else [None]:
            col, j = inv[(qid, row and row["code"])], len(parts)
            values = frame[col].cast(pl.String)
            distinct = values.unique(maintain_order=True).drop_nulls()
            cells = pl.concat([distinct, pl.Series([None], dtype=pl.String)]).to_frame("v")  # the empty cell last
            done, fix = _cells(cells, q, f"{qid}__{row['code']}" if row else qid, j, ref, source_file)
            columns += [c for c in done.columns[1:] if not c.startswith("_")]
            parts.append(done.drop("v")[values.cast(pl.Enum(distinct)).to_physical().fill_null(distinct.len())])
            unknown += [(col, f"_unknown{j}")] if f"_unknown{j}" in done.columns else []
            if f"_nan{j}" in done.columns:
                checks.append(rules.Rule("not_a_number", f"{RULES['not_a_number']} (question {qid})", pl.col(f"_nan{j}"),
                                         column=col, value=pl.col(col)))
            if f"_range{j}" in done.columns:
                checks.append(rules.Rule("out_of_range", f"{qid} outside {q.get('min')}–{q.get('max')}", pl.col(f"_range{j}"),
                                         column=col, value=pl.col(col)))
            if fix is not None and fix.height:
                fixes.append(fix)
    return _Answers(pl.concat(parts, how="horizontal"), columns, unknown, checks,
                    pl.concat(fixes) if fixes else pl.DataFrame())


def mask_free_texts(frame: pl.DataFrame, cb: Mapping) -> pl.DataFrame:
    """The core table's free texts (open questions, "Other" texts) masked (:func:`helpers.clean.pii.mask_text`):
    done by the stage (:func:`helpers.clean.stage.clean_surveys`) once all exports are read, so the name
    models load meanwhile.

    >>> f = pl.DataFrame({"why": ["звоните 8 701 123 45 67"], "src__other_text": [None]})
    >>> mask_free_texts(f, {"questions": [{"id": "why", "type": "open"}, {"id": "src", "type": "multi", "other": True}]}).row(0)
    ('звоните [phone]', None)
    """
    columns = [q["id"] if q["type"] == "open" else f"{q['id']}__other_text" for q in cb["questions"]
               if q["type"] == "open" or (q["type"] == "multi" and q.get("other"))]
    return frame.with_columns(pii.mask_text(frame[c]) for c in columns)


def age_band(age: pl.Expr, bands: list[Mapping]) -> pl.Expr:
    """Age → band code of ``config/age_bands.yaml`` (null outside every band).

    >>> pl.DataFrame({"a": [16, 17, 60, None]}).select(age_band(pl.col("a"), [{"code": "13-16", "min": 13, "max": 16},
    ...     {"code": "17-22", "min": 17, "max": 22}, {"code": "59+", "min": 59, "max": 100}])).to_series().to_list()
    ['13-16', '17-22', '59+', None]
    """
    out = pl.lit(None, dtype=pl.String)
    for b in reversed(bands):
        out = pl.when(age.is_between(b["min"], b["max"])).then(pl.lit(b["code"])).otherwise(out)
    return out


def clean_export(raw: read.RawTable, cb: Mapping, ref: Reference, source_file: str, lang: str, salt: str,
                 window: tuple[dt.date, dt.date, int]) -> ExportResult:
    """Clean one export (read by :func:`read_export`). ``window``: the period and its margin in days."""
    survey = cb["survey"]
    frame, kobo_log = kobo.to_forms(raw.frame, cb) if kobo.is_kobo(raw.frame.columns) else (raw.frame, [])
    plan = column_plan(cb, [c for c in frame.columns if c not in ("source_row", "hidden")], source_file)
    inv = {v: k for k, v in plan.items()}
    ts_col, email_col = inv[("__timestamp", None)], inv.get(("__email", None))
    answer_cols = [h for h, (qid, _) in plan.items() if not qid.startswith("__")]
    order = dates.decide_order(frame[ts_col], source_rows=frame["source_row"], name=source_file, column=ts_col)
    coded = _answers(frame, cb, inv, ref, source_file)
    email = match_key(pl.col(email_col)) if email_col else pl.lit(None, dtype=pl.String)
    frame = frame.hstack(coded.frame).with_columns(order.values.alias("submitted_at"), email.alias("_email"))
    frame = frame.with_columns(
        pl.any_horizontal(pl.col(r"^_test\d+$"), pl.col("_email").str.contains(TEST_PATTERN).fill_null(False)).alias("_test"),
        pl.when(pl.col("_email").is_null()).then(pl.struct(pl.col(r"^_answer\d+$"))).alias("_answers"))
    start, end, margin = window
    marked = rules.apply(frame, [
        rules.Rule("hidden_row", RULES["hidden_row"], pl.col("hidden")),
        rules.Rule("empty_row", RULES["empty_row"], pl.all_horizontal(pl.col(c).is_null() for c in answer_cols)),
        rules.Rule("test_submission", RULES["test_submission"], pl.col("_test")),
        rules.Rule("bad_timestamp", RULES["bad_timestamp"], pl.col("submitted_at").is_null(), column=ts_col,
                   value=pl.col(ts_col)),
        rules.Rule("out_of_period", RULES["out_of_period"], dates.outside_window(pl.col("submitted_at"), start, end, margin),
                   column=ts_col, value=pl.col(ts_col)),
        *coded.checks,
        rules.Duplicate("duplicate_respondent", "same e-mail as row {kept} (the earliest submission, kept)",
                        key=["_email"], order=["submitted_at"], column=email_col or ""),
        rules.Duplicate("duplicate_submission", "identical answers to row {kept} within 24 h (earliest kept)",
                        key=["_answers"], order=["submitted_at"], window=("submitted_at", DUPLICATE_WINDOW)),
    ])
    outcome = rules.collect(marked.select("source_row", "submitted_at", "_email", *coded.columns, *rules.MARKS), source_file,
                            mask=mask)
    still = marked.select(*(name for _, name in coded.unknown), "_rule").filter(rules.NOT_REJECTED)
    unknown = [u for col, name in coded.unknown
               for u in answers.unknown_labels(still[name].drop_nulls(), source_file, col, mask)]
    return ExportResult(_table(outcome.kept, coded.columns, ref, survey, lang, source_file, salt), outcome, unknown,
                        coded.region_fixes, [order.reason, *(f"{source_file}: {line}" for line in raw.log + kobo_log)],
                        question_headers(plan, survey, lang))


def _table(kept: pl.DataFrame, columns: list[str], ref: Reference, survey: str, lang: str, source_file: str,
           salt: str) -> pl.DataFrame:
    """The kept rows as the core table: provenance, respondent pseudonyms, answer columns, age band."""
    response_id = pl.format("{}-{}-{}", pl.lit(survey), pl.lit(lang), pl.col("source_row"))
    keyed = kept.with_columns(response_id.alias("response_id")).with_columns(
        pl.when(pl.col("_email").is_not_null()).then(pl.format("email:{}", pl.col("_email")))
        .otherwise(pl.format("response:{}", pl.col("response_id"))).alias("_who"))
    ids = pii.pseudonymise(keyed["_who"], salt, normalised=True)
    answer_cols = list(columns)
    if "age" in answer_cols:
        answer_cols.insert(answer_cols.index("age") + 1, "age_band")
    return keyed.with_columns(
        ids.alias("respondent_id"), pl.lit(survey).alias("survey"),
        pl.lit(lang).alias("form_lang"), pl.lit(source_file).alias("source_file"),
        (age_band(pl.col("age"), ref.age_bands["bands"]) if "age" in columns else pl.lit(None, dtype=pl.String)).alias("age_band"),
    ).select("response_id", "respondent_id", "survey", "form_lang", "source_file", "source_row", "submitted_at",
             *answer_cols, *([] if "age" in columns else ["age_band"]))
