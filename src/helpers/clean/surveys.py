"""Survey exports (Google Forms, ru and kk versions) → ``core_survey__<survey>`` tables.

Transformations include: matching the export's headers to the codebook (question text in the
form's language; grid columns ``Question [Row]``), parsing the locale timestamps, mapping answer
labels to codes (single, Likert, grid), splitting checkbox cells against the known options
(longest first, option texts may contain commas; the rest is the "Other" text), numbers in range,
removing empty rows, test submissions and duplicate submissions by the explicit rules in
:data:`RULES`, pseudonymising e-mails and masking free text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers.clean import CleaningError
from helpers.clean.accounting import account, reject
from helpers.clean.codebook import Unknown, label_map, map_single, match_multiselect, option_codes, unknown_list
from helpers.clean.io import read_table
from helpers.clean.normalise import answered, band_of, clean_text, map_regions, match_key, parse_dates, to_number
from helpers.clean.pii import ids_of_hashes, key_hashes, mask_text
from helpers.clean.reference import Reference

#: the explicit row rules, in the order they are applied (a row gets the first that applies).
RULES: dict[str, str] = {
    "empty_row": "no answer in any question column",
    "test_submission": "a test submission: an answer or the e-mail reads «тест»/«test»/«сынақ»/«проверка»",
    "bad_timestamp": "the timestamp is missing or in no known format",
    "not_a_number": "a number question holds text that is not a number",
    "out_of_range": "a number outside the range the codebook allows (age 13–100 …)",
    "duplicate_respondent": "the same e-mail submitted the form again: the earliest submission is kept",
    "duplicate_submission": "identical answers to every question within 24 h of an earlier submission: the earliest is kept",
}
TIMESTAMP_FORMATS = ("%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M")
TEST_WORDS = ("тест", "test", "сынақ", "сынак", "проверка")
TEST_PATTERN = rf"^(?:{'|'.join(TEST_WORDS)})(?:\W|\d|$)"
DUPLICATE_WINDOW = pd.Timedelta(hours=24)


@dataclass
class ExportResult:
    """What cleaning one export gives: the clean rows (in key order, ``response_id``), the rejected
    rows, accounting, unknown labels.

    In ``clean`` the answer codes and the provenance texts are categorical (small integers for a
    million rows); :func:`helpers.clean.io.text_frame` gives the ``str`` form the schema describes.
    """

    clean: pd.DataFrame
    rejected: pd.DataFrame
    accounting: dict
    unknown: list[Unknown] = field(default_factory=list)
    region_fixes: pd.DataFrame = field(default_factory=pd.DataFrame)


def _repeat(text: str, index: pd.Index) -> pd.Series:
    """``text`` on every row of ``index``, as a categorical of one category (no million Python strings)."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(len(index), dtype=np.int8), categories=pd.Index([text], dtype="str")), index=index)


def _hkey(text: str) -> str:
    return " ".join(str(text).split()).casefold().replace("ё", "е")


def _expected_headers(cb: dict) -> dict[str, tuple[str, str | None]]:
    """Header key (:func:`_hkey`, both languages) → ``(question id, grid row code | None)``."""
    expected: dict[str, tuple[str, str | None]] = {}
    for lang in ("ru", "kk", "en"):
        if lang in cb["timestamp_header"]:
            expected[_hkey(cb["timestamp_header"][lang])] = ("__timestamp", None)
        if "email_header" in cb and lang in cb["email_header"]:
            expected[_hkey(cb["email_header"][lang])] = ("__email", None)
    for q in cb["questions"]:
        for lang in ("ru", "kk"):
            if q["type"] == "grid":
                for row in q["rows"]:
                    expected[_hkey(f"{q[lang]} [{row[lang]}]")] = (q["id"], row["code"])
            else:
                expected[_hkey(q[lang])] = (q["id"], None)
    return expected


def column_plan(cb: dict, headers: list[str], name: str) -> dict[str, tuple[str, str | None]]:
    """Map the export's headers to ``(question id, grid row code | None)``; special columns get ids
    ``__timestamp`` and ``__email``. Any missing or unexpected column stops with one message.

    Question texts are accepted in both languages (some forms were copied without translating a title).
    """
    expected = _expected_headers(cb)
    plan = {}
    unexpected = []
    for h in headers:
        if _hkey(h) in expected:
            plan[h] = expected[_hkey(h)]
        else:
            unexpected.append(h)
    got = set(plan.values())
    need = [("__timestamp", None)] + [
        (q["id"], r["code"]) if q["type"] == "grid" else (q["id"], None)
        for q in cb["questions"]
        for r in (q["rows"] if q["type"] == "grid" else [None])
    ]
    missing = [f"{qid}{'[' + r + ']' if r else ''}" for qid, r in need if (qid, r) not in got]
    twice = sorted({v for v in plan.values() if list(plan.values()).count(v) > 1})
    if missing or unexpected or twice:
        parts = []
        if missing:
            parts.append(f"missing column(s) for question(s): {', '.join(missing)}")
        if unexpected:
            cols = ", ".join(f"column {headers.index(h) + 1} {h!r}" for h in unexpected)
            parts.append(f"row 1: column(s) not in codebook '{cb['survey']}' (renamed? wrong encoding?): {cols}")
        if twice:
            parts.append(f"question(s) present twice (ru and kk header?): {twice}")
        raise CleaningError(f"{name}: " + "; ".join(parts))
    return plan


def _test_rows(raw: pd.DataFrame, cols: list[str], keys: dict[str, pd.Series] | None = None) -> pd.Series:
    """Rows where a cell reads «тест»/«test»/…; ``keys`` are :func:`match_key` results already computed.

    The distinct values of all the other columns are pooled and tested once (answer labels recur
    across columns), then each column looks its rows up by their codes.
    """
    keys = keys or {}
    hit = np.zeros(len(raw), dtype=bool)
    coded = {}
    for c in cols:
        if c in keys:
            hit |= _is_test_key(keys[c]).to_numpy(dtype=bool)
        elif isinstance(raw[c].dtype, pd.CategoricalDtype):  # read dictionary-encoded: codes known (NA → -1)
            coded[c] = (raw[c].cat.codes.to_numpy(), pd.Series(raw[c].cat.categories, dtype="str"))
        else:
            codes, uniques = pd.factorize(raw[c])  # NA → -1: never a test
            coded[c] = (codes, pd.Series(uniques, dtype="str"))
    pooled = pd.Index(pd.concat([u for _, u in coded.values()], ignore_index=True).unique()) if coded else pd.Index([])
    if len(pooled):
        is_test = _is_test(pd.Series(pooled, dtype="str")).to_numpy(dtype=bool)
        for codes, uniques in coded.values():
            flags = np.append(is_test[pooled.get_indexer(uniques)], False)
            hit |= flags[codes]  # code -1 (NA) picks the appended False
    return pd.Series(hit, index=raw.index)


def _is_test(u: pd.Series) -> pd.Series:
    return _is_test_key(match_key(u))


def _is_test_key(key: pd.Series) -> pd.Series:
    """:data:`TEST_PATTERN` on match keys; the regex runs only where a key starts with one of its words."""
    hit = pd.Series(False, index=key.index)
    maybe = key.str.startswith(TEST_WORDS).fillna(False).astype(bool)
    if maybe.any():
        hit[maybe] = key[maybe].str.contains(TEST_PATTERN, regex=True).fillna(False).astype(bool)
    return hit


def _content_hash(df: pd.DataFrame) -> pd.Series:
    """A hash per row that is equal exactly when the rows' answers are equal (as text, NA = NA).

    Columns are hashed as they are (equal values ⇔ equal hashes, NA included) instead of
    converted to text first; float columns keep the text form (``-0.0`` and ``0.0`` differ as text).
    """
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c].dtype)]
    as_text = {c: df[c].astype("str").fillna("<NA>") for c in floats}
    return pd.util.hash_pandas_object(df.assign(**as_text) if as_text else df, index=False)


def _row_reason(mask: pd.Series, prefix: str, rows: pd.Series, suffix: str) -> pd.Series:
    """``prefix + row + suffix`` on the rows of ``mask`` (None elsewhere: only rejected rows get a reason,
    and :func:`reject` keeps only those, as text)."""
    out = np.full(len(mask), None, dtype=object)
    m = mask.to_numpy(dtype=bool)
    if m.any():
        out[m] = (prefix + rows[m].astype("str") + suffix).to_numpy(dtype=object)
    return pd.Series(out, index=mask.index, dtype=object)


def _earliest(group: np.ndarray, ts: np.ndarray, row: np.ndarray) -> np.ndarray:
    """For each element, the position of the earliest element of its group: the first by ``ts``,
    then ``row`` (a missing ``ts`` last), as ``groupby(group).transform("first")`` after
    ``sort_values([ts, row])`` picks it. ``group``: integer codes 0 … G-1.
    """
    if not len(group):
        return np.zeros(0, dtype=np.intp)
    t = ts.view(np.int64).copy()
    t[np.isnat(ts)] = np.iinfo(np.int64).max  # NaT sorts last, as in sort_values
    order = np.lexsort((row, t))
    rank = np.full(int(group.max()) + 1, len(order), dtype=np.intp)
    np.minimum.at(rank, group[order], np.arange(len(order)))  # each group's first place in that order
    return order[rank[group]]


def _decimal_text_order(x: np.ndarray) -> np.ndarray:
    """The stable order of integers by their decimal texts, as sorting ``x.astype(str)`` gives it
    ("10" before "2"): compared digit by digit, a text before the longer texts it begins.

    >>> _decimal_text_order(np.array([2, 10, 1, 100, 11])).tolist()
    [2, 1, 3, 4, 0]
    """
    if not len(x) or x.min() < 0 or x.max() >= 10**17:  # signs, or too many digits to scale: sort the texts
        return pd.Series(x).astype("str").argsort(kind="stable").to_numpy()
    digits = np.ones(len(x), dtype=np.int64)
    for k in range(1, 18):
        digits += x >= 10**k
    lead = x * 10 ** (int(digits.max()) - digits)  # the digits left-aligned: "1" and "10" → 1000…, "2" → 2000…
    return np.lexsort((digits, lead))


def _marked(n: int, pos: np.ndarray, flag: np.ndarray, kept: np.ndarray, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """``flag`` and the ``kept`` row at positions ``pos`` of ``n`` rows (False / NA elsewhere)."""
    f = np.zeros(n, dtype=bool)
    f[pos] = flag
    k = np.zeros(n, dtype=np.int64)
    k[pos] = kept
    has = np.zeros(n, dtype=bool)
    has[pos] = True
    return pd.Series(f, index=index), pd.Series(pd.arrays.IntegerArray(k, ~has), index=index)


def mail_groups(email: pd.Series, salt: str) -> tuple[np.ndarray, np.ndarray]:
    """Group codes of the e-mail keys (NA → -1) and the keyed hash of each row's ``email:<key>`` (0 where NA).

    The hash is the one the respondent id is made of (:func:`helpers.clean.pii.key_hashes`), so
    each row is hashed once and the rows are grouped on 64-bit integers instead of factorising
    half a million texts. The grouping is then checked on the texts: the rows that share a hash
    (the repeated e-mails, few) must share the key; should two different e-mails ever share a
    hash, the keys themselves are factorised. Either way the codes are those of
    ``pandas.factorize(email)`` (numbered in order of first appearance).
    """
    has = email.notna().to_numpy()
    keys = email[has]
    h = np.zeros(len(email), dtype=np.uint64)
    h[has] = key_hashes(keys.radd("email:"), salt)
    codes, _ = pd.factorize(h[has])
    is_first = np.ones(len(codes), dtype=bool)  # codes are numbered in order of first appearance
    is_first[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    again = np.flatnonzero(~is_first)
    first = np.flatnonzero(is_first)[codes[again]]
    if len(again) and not (keys.iloc[again].to_numpy() == keys.iloc[first].to_numpy()).all():
        codes, _ = pd.factorize(keys)  # a hash shared by two e-mails: group on the texts
    out = np.full(len(email), -1, dtype=np.int64)
    out[has] = codes
    return out, h


def _respondent_ids(mail_code: np.ndarray, mail_hash: np.ndarray, response_id: pd.Series, salt: str) -> pd.Series:
    """Pseudonymous respondent ids: of ``email:<match key>`` where the row has an e-mail
    (``mail_code`` ≥ 0; its hash from :func:`mail_groups`), else of ``response:<response id>``.
    The same ids as ``pseudonymise`` of those keys (``normalised=True``: they are match keys already).
    """
    has = mail_code >= 0
    h = mail_hash.copy()
    h[~has] = key_hashes(response_id[~has].radd("response:"), salt)
    ids = ids_of_hashes(h).to_pandas(types_mapper={pa.large_string(): pd.StringDtype(na_value=np.nan)}.get)
    return pd.Series(ids.array, index=response_id.index, dtype="str")


def read_export(path: str | Path, name: str, cb: dict) -> pd.DataFrame:
    """Read a survey export for :func:`clean_export`: the columns of coded questions (choices,
    grids, checkboxes, numbers: few distinct labels) come back categorical (see
    :func:`helpers.clean.io.read_csv`), which :func:`clean_export` uses to work on the labels
    instead of the rows; timestamps, e-mails and open answers stay text. The result of
    :func:`clean_export` is the same as for ``str`` columns.
    """
    coded_questions = {q["id"] for q in cb["questions"] if q["type"] != "open"}
    coded = {key for key, (qid, _) in _expected_headers(cb).items() if qid in coded_questions}
    return read_table(path, name, dictionary=lambda header: _hkey(header) in coded)


def clean_export(raw: pd.DataFrame, cb: dict, ref: Reference, source_file: str, lang: str, salt: str) -> ExportResult:
    """Clean one survey export (already read by :func:`helpers.clean.io.read_table`)."""
    survey = cb["survey"]
    plan = column_plan(cb, [c for c in raw.columns if c != "source_row"], source_file)
    inv = {v: k for k, v in plan.items()}
    ts_col, email_col = inv[("__timestamp", None)], inv.get(("__email", None))
    answer_cols = [h for h, (qid, _) in plan.items() if not qid.startswith("__")]
    n = len(raw)
    out = pd.DataFrame(index=raw.index)
    unknown: list[Unknown] = []
    region_fixes = []
    rejected_parts = []
    done = pd.Series(False, index=raw.index)

    def _rule(mask: pd.Series, rule: str, reason, column: str = "", value: pd.Series | None = None) -> None:
        nonlocal done
        m = mask.fillna(False).astype(bool) & ~done
        if m.any():
            rejected_parts.append(reject(raw, m, rule, reason, column, value))
            done = done | m

    def _unknown(col: str, unk: pd.Series) -> list[Unknown]:
        """The unknown labels of ``col`` in rows not rejected so far (none: nothing to count)."""
        m = unk & ~done
        return unknown_list(source_file, col, raw.loc[m, col]) if m.any() else []

    _rule(raw[answer_cols].isna().all(axis=1), "empty_row", RULES["empty_row"])
    text_cols = answer_cols + ([email_col] if email_col else [])
    email = match_key(raw[email_col]) if email_col else pd.Series(pd.NA, index=raw.index, dtype="str")
    _rule(_test_rows(raw, text_cols, {email_col: email} if email_col else None), "test_submission", RULES["test_submission"])
    ts = parse_dates(raw[ts_col], TIMESTAMP_FORMATS)
    _rule(ts.isna(), "bad_timestamp", RULES["bad_timestamp"], ts_col, raw[ts_col])

    for q in cb["questions"]:
        qid, kind = q["id"], q["type"]
        if kind == "grid":
            mapping = label_map(q["options"])
            for row in q["rows"]:
                col = inv[(qid, row["code"])]
                codes, unk = map_single(raw[col], mapping, option_codes(q))
                out[f"{qid}__{row['code']}"] = codes
                unknown += _unknown(col, unk)
            continue
        col = inv[(qid, None)]
        if kind in ("single", "likert"):
            codes, unk = map_single(raw[col], label_map(q["options"]), option_codes(q) + (ref.region_codes if qid == "region" else []))
            if qid == "region" and unk.any():
                fixed_codes, fixed = map_regions(raw.loc[unk, col], ref.region_lookup)
                new = [c for c in fixed_codes.dropna().unique() if c not in codes.cat.categories]
                codes = codes.cat.add_categories(new) if new else codes
                codes.loc[unk] = fixed_codes
                region_fixes.append(pd.DataFrame({"source_file": source_file, "value": raw.loc[unk, col].astype("str"), "region": fixed_codes}).dropna())
                unk = unk & codes.isna()
            out[qid] = codes
            unknown += _unknown(col, unk)
        elif kind == "multi":
            ticks, other, unk_text = match_multiselect(raw[col], q["options"], bool(q.get("other")))
            for code in ticks.columns:
                out[f"{qid}__{code}"] = ticks[code]
            if q.get("other"):
                out[f"{qid}__other"] = other.notna()
                out[f"{qid}__other_text"] = mask_text(other)
            out[f"{qid}__answered"] = answered(raw[col])
            bad = unk_text.notna() & ~done
            unknown += unknown_list(source_file, col, unk_text[bad])
        elif kind == "number":
            num = to_number(raw[col])
            given = answered(raw[col])
            _rule(given & num.isna(), "not_a_number", f"{RULES['not_a_number']} (question {qid})", col, raw[col])
            lo, hi = q.get("min", -np.inf), q.get("max", np.inf)
            _rule(num.notna() & ((num < lo) | (num > hi)), "out_of_range", f"{qid} outside {lo}–{hi}", col, raw[col])
            out[qid] = num.round().astype("Int64") if qid == "age" else num
        elif kind == "open":
            out[qid] = mask_text(clean_text(raw[col]))

    # duplicates among the rows still in: same e-mail → keep the earliest submission
    mail_code, mail_hash = mail_groups(email, salt)  # grouping on integer codes, not on the e-mail texts (NA → -1)
    ts_v, row_v = ts.to_numpy(dtype="datetime64[us]"), raw["source_row"].to_numpy(dtype=np.int64)
    sel = np.flatnonzero(~done.to_numpy(dtype=bool) & (mail_code >= 0))
    first = sel[_earliest(mail_code[sel], ts_v[sel], row_v[sel])]
    dup_mail, kept_of = _marked(n, sel, row_v[first] != row_v[sel], row_v[first], raw.index)
    _rule(dup_mail, "duplicate_respondent", _row_reason(dup_mail, "same e-mail as row ", kept_of, " (the earliest submission, kept)"), email_col or "", None)
    # identical answers within 24 h (rows without e-mail)
    content_cols = [c for c in out.columns if not c.endswith("__other_text")]
    h = _content_hash(out[content_cols]).to_numpy()
    sel = np.flatnonzero(~done.to_numpy(dtype=bool) & (mail_code < 0))
    first = sel[_earliest(pd.factorize(h[sel])[0], ts_v[sel], row_v[sel])]
    dup = (row_v[first] != row_v[sel]) & (ts_v[sel] - ts_v[first] <= DUPLICATE_WINDOW.to_timedelta64())
    dup_sub, kept_sub = _marked(n, sel, dup, row_v[first], raw.index)
    _rule(dup_sub, "duplicate_submission", _row_reason(dup_sub, "identical answers to row ", kept_sub, " within 24 h (earliest kept)"))

    keep = ~done
    pos = np.flatnonzero(keep.to_numpy(dtype=bool))  # the rows kept, then put in the table's key order:
    rows = raw["source_row"].to_numpy(dtype="int64")[pos]
    ids = pd.Series(rows, dtype="int64").astype("str").radd(f"{survey}-{lang}-")
    order = _decimal_text_order(rows)  # response_id as text: row 10 before row 2
    pos, index = pos[order], pd.RangeIndex(len(pos))
    response_id = pd.Series(ids.array.take(order), index=index)
    clean = pd.DataFrame(
        {
            "response_id": response_id,
            "respondent_id": _respondent_ids(mail_code[pos], mail_hash[pos], response_id, salt),
            "survey": _repeat(survey, index),
            "form_lang": _repeat(lang, index),
            "source_file": _repeat(source_file, index),
            "source_row": pd.Series(rows[order], index=index),
            "submitted_at": ts.iloc[pos].set_axis(index),
        }
    )
    clean = pd.concat([clean, out.iloc[pos].set_axis(index)], axis=1)  # answer codes stay categorical (see helpers.clean.io.write_table)
    if "age" in clean:
        clean.insert(clean.columns.get_loc("age") + 1, "age_band", band_of(clean["age"], ref.age_bands["bands"], categorical=True))
    else:
        clean["age_band"] = pd.Series(pd.NA, index=clean.index, dtype="str")
    rejected = pd.concat(rejected_parts, ignore_index=True) if rejected_parts else reject(raw, pd.Series(False, index=raw.index), "", "")
    rejected["value"] = mask_text(rejected["value"])
    fixes = pd.concat(region_fixes, ignore_index=True) if region_fixes else pd.DataFrame(columns=["source_file", "value", "region"])
    return ExportResult(clean, rejected, account(source_file, n, len(clean), rejected), unknown, fixes)
