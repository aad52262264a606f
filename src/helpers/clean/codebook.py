"""Codebooks (``config/codebooks/<survey>.yaml``) and value lists: labels → canonical codes.

A label that no codebook knows is never dropped: mapping functions return the unknown values,
the stage collects them over all files, and :func:`raise_unknown` stops the run with the list
of every unknown value (file, column, value, count).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.clean import CleaningError
from helpers.clean.normalise import clean_text, distinct, match_key, per_unique
from helpers.config_files import read_yaml


class UnknownLabelError(CleaningError):
    """Answer labels that the codebook does not know (all of them, in one message)."""


@dataclass(frozen=True)
class Unknown:
    """One unknown label: where it was found and how often."""

    file: str
    column: str
    value: str
    count: int


def load_codebook(path: str | Path) -> dict:
    """Read one codebook and check its structure (ids unique, option codes unique per question)."""
    path = Path(path)
    cb = read_yaml(path)
    ids = [q["id"] for q in cb["questions"]]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise CleaningError(f"{path.name}: question ids used twice: {dup}")
    for q in cb["questions"]:
        if q["type"] not in {"single", "multi", "likert", "grid", "number", "open"}:
            raise CleaningError(f"{path.name}: question {q['id']}: unknown type {q['type']!r}")
        codes = option_codes(q)
        if len(codes) != len(set(codes)):
            raise CleaningError(f"{path.name}: question {q['id']}: option codes used twice")
    return cb


def load_codebooks(config_dir: str | Path) -> dict[str, dict]:
    """All codebooks of ``config/codebooks``, by survey id (file order = sorted file names)."""
    out = {}
    for f in sorted((Path(config_dir) / "codebooks").glob("*.yaml")):
        cb = load_codebook(f)
        out[cb["survey"]] = cb
    return out


def option_codes(q: Mapping) -> list[str]:
    """The option codes of a question, in codebook order (none for number/open questions)."""
    return [o["code"] for o in q.get("options", [])]


def label_map(options: Iterable[Mapping], langs: Iterable[str] = ("ru", "kk")) -> dict[str, str]:
    """Normalised label (every language + aliases) → option code.

    >>> label_map([{"code": "yes", "ru": "Да", "kk": "Иә", "aliases": ["ДА!"]}])
    {'да': 'yes', 'иә': 'yes', 'да!': 'yes'}
    """
    pairs = []
    for o in options:
        labels = [o[l] for l in langs if l in o] + list(o.get("aliases", []))
        pairs += [(str(lab), o["code"]) for lab in labels]
    return dict(_label_map(tuple(pairs)))  # a copy: the cached map stays as built


@functools.lru_cache(maxsize=1024)
def _label_map(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """:func:`label_map` of ``(label, code)`` pairs, built once per option list (every export asks again)."""
    keys = match_key(pd.Series([p[0] for p in pairs], dtype="str"))
    out: dict[str, str] = {}
    for k, (_, code) in zip(keys, pairs):
        if k in out and out[k] != code:
            raise CleaningError(f"label {k!r} is given to two codes: {out[k]} and {code}")
        out[k] = code
    return out


def map_single(values: pd.Series, mapping: Mapping[str, str], categories: Iterable[str] | None = None) -> tuple[pd.Series, pd.Series]:
    """Map single-choice labels to codes. Returns ``(codes, unknown_mask)``; empty → NA (non-response).

    With ``categories`` the codes come back categorical (those categories, then any other code of
    ``mapping``): a million rows then carry small integers instead of texts until
    :func:`helpers.clean.normalise.decode` turns them back into ``str``; the values are the same.

    >>> codes, unknown = map_single(pd.Series(["Да", " нет", "Может", None]), {"да": "yes", "нет": "no"})
    >>> codes.tolist(), unknown.tolist()
    (['yes', 'no', nan, nan], [False, False, True, False])
    >>> map_single(pd.Series(["Нет", None]), {"да": "yes", "нет": "no"}, ["yes", "no"])[0].cat.codes.tolist()
    [1, -1]
    """
    def of_labels(u: pd.Series) -> pd.DataFrame:  # once per distinct label
        key = match_key(u)
        c = key.map(mapping)
        return pd.DataFrame({"code": c.astype("str").where(c.notna()), "unknown": key.notna() & c.isna()})

    if categories is None:
        res = per_unique(values, of_labels)
        return res["code"], res["unknown"].astype(bool)
    rows, u = distinct(values)
    # the few distinct labels looked up one by one (a dict per label, not a pandas call per step)
    cats, position = _categories(tuple(categories), tuple(mapping.values()))
    keys = match_key(u).tolist()
    found = [mapping.get(k) if isinstance(k, str) else None for k in keys]  # NA key (empty cell): no code
    code_of = np.array([-1 if c is None else position[c] for c in found], dtype=np.int64)
    unknown = np.array([isinstance(k, str) and c is None for k, c in zip(keys, found)], dtype=bool)
    codes = pd.Categorical.from_codes(code_of[rows], categories=cats, validate=False)  # NA code → -1
    return pd.Series(codes, index=values.index, name="code"), pd.Series(unknown[rows], index=values.index, name="unknown")


@functools.lru_cache(maxsize=1024)
def _categories(categories: tuple[str, ...], codes: tuple[str, ...]) -> tuple[pd.Index, dict[str, int]]:
    """The categories of :func:`map_single` (``categories``, then any other code) and each one's position."""
    cats = pd.Index(list(dict.fromkeys([*categories, *codes])), dtype="str")
    return cats, {c: i for i, c in enumerate(cats)}


def _segment_pattern(label: str) -> str:
    """Regex for one option label as a whole ', '-separated segment of a checkbox cell."""
    return r"(?:^|(?<=, ))" + re.escape(label) + r"(?=, |$)"


@functools.lru_cache(maxsize=4096)
def _segment_regex(label: str) -> re.Pattern:
    """:func:`_segment_pattern` of ``label`` compiled, case-insensitive."""
    return re.compile("(?i)" + _segment_pattern(label))


def match_multiselect(
    values: pd.Series, options: list[Mapping], allow_other: bool, langs: Iterable[str] = ("ru", "kk")
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Split checkbox answers (labels joined with ', ' by Google Forms) against the known options.

    Never splits on commas blindly: every known option label (both languages, aliases) is
    searched as a whole segment, longest label first, so labels that contain commas are found
    intact. What remains is the free "Other" text (when the question has one) or unknown.
    Vectorised over the *unique* answer strings, then broadcast back to the rows.

    Returns ``(ticks, other_text, unknown_text)``: a bool frame with one column per option code,
    the "Other" text (NA if none) and the unmatched remainder for questions without "Other".

    >>> opts = [{"code": "family", "ru": "Семейные (развод, алименты)"}, {"code": "labour", "ru": "Трудовые"}]
    >>> ticks, other, unknown = match_multiselect(pd.Series(["Трудовые, Семейные (развод, алименты), наследство", None]), opts, True, ["ru"])
    >>> ticks.to_dict("list"), other.tolist()
    ({'family': [True, False], 'labour': [True, False]}, ['наследство', nan])
    """
    langs = list(langs)
    raw_codes, raw_u = distinct(values)  # each distinct cell is cleaned once; equal clean texts are merged
    text_codes, uniques = pd.factorize(clean_text(raw_u))
    codes = text_codes[raw_codes]  # row → its clean text (-1: empty)
    u = pd.Series(uniques, dtype="str")
    labels = sorted(
        ((str(lab), o["code"]) for o in options for lab in [*(o[l] for l in langs if l in o), *o.get("aliases", [])]),
        key=lambda p: -len(p[0]),
    )
    # each label (longest first) searched in each distinct text, and taken out where found: Python's
    # re, as pandas' str.contains/str.replace use for these patterns (RE2 has no look-behind)
    hit = {o["code"]: np.zeros(len(u), dtype=bool) for o in options}
    texts = u.tolist()
    for lab, code in labels:
        pat = _segment_regex(lab)
        for i, t in enumerate(texts):
            if isinstance(t, str) and pat.search(t):
                hit[code][i] = True
                texts[i] = pat.sub("", t)
    hits = {code: pd.Series(h, index=u.index) for code, h in hit.items()}
    rest = pd.Series(texts, index=u.index, dtype="str")
    rest = rest.str.replace(r"(?:, )+", ", ", regex=True).str.strip(", ").str.strip()
    rest = rest.where(rest.ne(""))
    idx = np.where(codes >= 0, codes, 0)
    valid = codes >= 0
    ticks = pd.DataFrame(
        {c: np.where(valid, h.to_numpy(dtype=bool)[idx] if len(u) else False, False) for c, h in hits.items()},
        index=values.index,
    )
    rest_rows = pd.Series(pd.array(rest, dtype="str").take(np.where(valid, idx, -1), allow_fill=True), index=values.index)
    if allow_other:
        return ticks, rest_rows, pd.Series(pd.NA, index=values.index, dtype="str")
    return ticks, pd.Series(pd.NA, index=values.index, dtype="str"), rest_rows


def unknown_list(file: str, column: str, values: pd.Series) -> list[Unknown]:
    """Count the unknown values of one column (``values`` = the unknown cells only)."""
    if values.empty:  # the usual case: every label known
        return []
    vc = clean_text(values).dropna().value_counts()
    return [Unknown(file, column, str(v), int(n)) for v, n in sorted(vc.items(), key=lambda kv: (-kv[1], kv[0]))]


def raise_unknown(unknown: list[Unknown], what: str = "codebook") -> None:
    """Stop the run listing every unknown label (file, column, value, count); no-op when none."""
    if not unknown:
        return
    lines = [f"  {u.file} | column {u.column!r} | value {u.value!r} | {u.count} row(s)" for u in unknown]
    raise UnknownLabelError(
        f"{len(unknown)} answer label(s) not in the {what} — add them (as an option or an alias) "
        "to the codebook/value list, or correct the export:\n" + "\n".join(lines)
    )
