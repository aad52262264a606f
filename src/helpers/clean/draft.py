"""``python -m helpers inspect FILE``: what the workbook makes of an unknown file, as a draft to edit.

The file (a survey export, a consultation journal or a participant list; csv, xlsx, xls or ods) is read
as the cleaning stage reads it. Its kind is the one whose headers it matches most: a survey's codebook
(question texts and ``header_aliases``) or the header variants of ``config/journal_headers.yaml``. The
draft, written next to the file as ``<file>.draft.yaml``, lists each header and the question (or
column) it maps to; each header nothing maps, with the closest known header and its question (to add
to that question's ``header_aliases``, or to the header variants, if it is the same question
re-worded); for a survey, every answer label its codebook does not list, with its count (to add to an
option's ``aliases``, or to correct in the export). Values are masked
(:func:`helpers.clean.masking.mask`): a name or phone typed into a cell reaches neither the screen nor
the draft.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
import yaml

from helpers.clean import answers, read, surveys
from helpers.clean.masking import mask
from helpers.clean.reference import load_reference


@dataclass
class Draft:
    """What :func:`inspect_file` found (see the module docstring)."""

    file: str
    kind: str  # ``survey <id>``, ``journal`` or ``participants``
    mapped: dict[str, str]
    unmapped: list[dict[str, str]] = field(default_factory=list)
    unknown_labels: dict[str, list[dict[str, str | int]]] = field(default_factory=dict)


def _kinds(config_dir: Path) -> dict[str, tuple[dict[str, str], dict[str, str], Mapping | None]]:
    """Each kind of file: (header key → question id or column, header key → header as configured, codebook)."""
    ref = load_reference(config_dir)
    out = {}
    for sid, cb in ref.codebooks.items():
        keys = {k: f"{q}[{r}]" if r else q for k, (q, r) in surveys.expected_headers(cb).items()}
        texts = {read.header_key(t): t for q in cb["questions"] for lang in answers.LANGS for t in surveys.header_texts(q, lang)}
        out[f"survey {sid}"] = keys, texts, cb
    for kind in ("journal", "participants"):
        columns = ref.headers[kind]["columns"]
        out[kind] = ({read.header_key(v): c for c, vs in columns.items() for v in vs},
                     {read.header_key(v): v for vs in columns.values() for v in vs}, None)
    return out


def inspect_file(path: str | Path, config_dir: str | Path) -> Draft:
    """Read ``path`` and draft how it maps to the configuration of ``config_dir``."""
    path = Path(path)
    kinds = _kinds(Path(config_dir))
    raw = read.read_table(path, path.name, {k for keys, _, _ in kinds.values() for k in keys})
    headers = [c for c in raw.frame.columns if c not in ("source_row", "hidden")]
    kind = max(kinds, key=lambda k: sum(read.header_key(h) in kinds[k][0] for h in headers))
    keys, texts, cb = kinds[kind]
    mapped = {h: keys[read.header_key(h)] for h in headers if read.header_key(h) in keys}
    draft = Draft(path.name, kind, mapped)
    for h in (h for h in headers if h not in mapped):
        close = difflib.get_close_matches(read.header_key(h), list(texts), n=1, cutoff=0.4)
        hint = {"closest": keys[close[0]], "closest_header": texts[close[0]]} if close else {}
        draft.unmapped.append({"header": mask(h), **hint})
    if cb is not None:
        draft.unknown_labels = _unknown_labels(raw.frame, mapped, cb)
    return draft


def _unknown_labels(frame: pl.DataFrame, mapped: Mapping[str, str], cb: Mapping) -> dict[str, list[dict[str, str | int]]]:
    """Per coded question, the labels of ``frame`` its options (and aliases) do not list, with counts."""
    questions = {q["id"]: q for q in cb["questions"]}
    out: dict[str, list[dict[str, str | int]]] = {}
    for header, target in mapped.items():
        q = questions.get(target.split("[")[0])
        if q is None or q["type"] not in ("single", "likert", "grid", "multi") or (q["type"] == "multi" and q.get("other")):
            continue
        counts = frame[header].drop_nulls().value_counts(sort=True)
        values = counts[header]
        if q["type"] == "multi":  # the part of a checkbox cell no option matches
            label = answers.split_multi(values.to_frame("v"), "v", q["options"])["rest"]
        else:
            unknown = answers.code_single(values, answers.label_codes(q["options"]))[1]
            label = [v if u else None for v, u in zip(values, unknown)]
        if found := [{"value": mask(v), "count": int(n)} for v, n in zip(label, counts["count"]) if v is not None]:
            out[header] = found
    return out


def to_yaml(draft: Draft) -> str:
    """The draft as YAML, with a header saying what to do with it."""
    head = (f"# Draft of `python -m helpers inspect` for {draft.file}: it looks like a {draft.kind} file.\n"
            "# unmapped: add a header that is the same question re-worded to `header_aliases` of the closest\n"
            "#   question in its codebook (or to config/journal_headers.yaml); unknown_labels: add each label to\n"
            "#   the `aliases` of its option (or correct the export). Values are masked.\n")
    return head + yaml.safe_dump(asdict(draft), allow_unicode=True, sort_keys=False, width=120)


def summary(draft: Draft) -> str:
    """The lines printed on the terminal."""
    lines = [f"{draft.file}: a {draft.kind} file; {len(draft.mapped)} header(s) mapped, {len(draft.unmapped)} not"]
    lines += [f"  not mapped: {u['header']!r}"
              + (f" — closest: {u['closest']} ({u['closest_header']!r})" if "closest" in u else "") for u in draft.unmapped]
    lines += [f"  unknown label in {header!r}: {x['value']!r} × {x['count']}"
              for header, xs in draft.unknown_labels.items() for x in xs]
    return "\n".join(lines)


def write(draft: Draft, path: str | Path) -> Path:
    """Write the draft next to the inspected file as ``<file>.draft.yaml``."""
    out = Path(path).with_name(Path(path).name + ".draft.yaml")
    out.write_text(to_yaml(draft), encoding="utf-8")
    return out
