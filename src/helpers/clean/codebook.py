"""Codebooks (``config/codebooks/<survey>.yaml``): loading and checking them, and the one message
listing every unknown label.

A label that no codebook or value list knows is never dropped: :mod:`helpers.clean.answers` counts
the unknown values, the stage collects them over all files, and :func:`raise_unknown` stops the run
with the list of every one (file, column, value masked, count).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from helpers.clean import CleaningError
from helpers.clean.read import header_key
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
    """Read one codebook and check its structure (ids unique, option codes unique per question, header
    aliases well formed and owned by one question)."""
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
    _check_header_aliases(cb, path.name)
    return cb


def _check_header_aliases(cb: Mapping, name: str) -> None:
    """``header_aliases`` (of a question or a grid row) is ``{language: [header text, …]}``, and no
    header text of a question is also one of another question's."""
    owner: dict[str, str] = {}
    for q in cb["questions"]:
        for item in [q, *q.get("rows", [])]:
            aliases = item.get("header_aliases", {})
            if not isinstance(aliases, Mapping) or not all(
                    isinstance(v, list) and all(isinstance(t, str) and t.strip() for t in v) for v in aliases.values()):
                raise CleaningError(f"{name}: question {q['id']}: header_aliases must be {{language: [header text, …]}}")
        texts = [q[lang] for lang in ("ru", "kk") if lang in q] + [t for v in q.get("header_aliases", {}).values() for t in v]
        for text in texts:
            other = owner.setdefault(header_key(text), q["id"])
            if other != q["id"]:
                raise CleaningError(f"{name}: header {text!r} belongs to questions {other} and {q['id']}")


def load_codebooks(config_dir: str | Path) -> dict[str, dict]:
    """All codebooks of ``config/codebooks``, by survey id (file order = sorted file names)."""
    books = [load_codebook(f) for f in sorted((Path(config_dir) / "codebooks").glob("*.yaml"))]
    return {cb["survey"]: cb for cb in books}


def option_codes(q: Mapping) -> list[str]:
    """The option codes of a question, in codebook order (none for number/open questions)."""
    return [o["code"] for o in q.get("options", [])]


def raise_unknown(unknown: list[Unknown], what: str = "codebook") -> None:
    """Stop the run listing every unknown label (file, column, value, count); no-op when none."""
    if not unknown:
        return
    lines = [f"  {u.file} | column {u.column!r} | value {u.value!r} | {u.count} row(s)" for u in unknown]
    raise UnknownLabelError(
        f"{len(unknown)} answer label(s) not in the {what} — add them (as an option or an alias) "
        "to the codebook/value list, or correct the export:\n" + "\n".join(lines)
    )
