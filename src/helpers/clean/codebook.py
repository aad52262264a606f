"""Codebooks (``config/codebooks/<survey>.yaml``) and value lists: labels → canonical codes.

A label that no codebook knows is never dropped: mapping functions return the unknown values,
the stage collects them over all files, and :func:`raise_unknown` stops the run with the list
of every unknown value (file, column, value, count).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.clean import CleaningError
from helpers.clean.normalise import clean_text, match_key, per_unique
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


def map_single(values: pd.Series, mapping: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """Map single-choice labels to codes. Returns ``(codes, unknown_mask)``; empty → NA (non-response).

    >>> codes, unknown = map_single(pd.Series(["Да", " нет", "Может", None]), {"да": "yes", "нет": "no"})
    >>> codes.tolist(), unknown.tolist()
    (['yes', 'no', nan, nan], [False, False, True, False])
    """
    def of_labels(u: pd.Series) -> pd.DataFrame:  # once per distinct label
        key = match_key(u)
        c = key.map(mapping)
        return pd.DataFrame({"code": c.astype("str").where(c.notna()), "unknown": key.notna() & c.isna()})

    res = per_unique(values, of_labels)
    return res["code"], res["unknown"].astype(bool)


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
