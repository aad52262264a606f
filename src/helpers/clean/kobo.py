"""KoboToolbox survey exports (XLSX or CSV) → the columns of a Google Forms export, so that one
codebook and one cleaning path serve both.

Kobo exports in two header modes: **labels** (the question texts, which the codebook knows already) or
**XML names** (the question names, with group paths such as ``group_1/region``). A question's Kobo
name is its codebook ``kobo`` key, else its id; a choice's name is the option's ``kobo`` key, else its
code; a grid row's name is the row's ``kobo`` key, else ``<question id>_<row code>``. Select-multiple
questions come as one column of space-separated choice names, or as one 0/1 column per choice
(``question/choice``, in either mode). Kobo's own columns (``start``, ``end``, ``_id``, ``_uuid``,
``_submission_time``, …) are dropped, except ``_submission_time``, which becomes the timestamp.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from helpers.clean.answers import SEPARATOR
from helpers.clean.read import header_key

#: Kobo's own columns (compared as header keys); ``_submission_time`` is the timestamp
META: frozenset[str] = frozenset({
    "start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid", "audit",
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
    "__version__", "_version_", "_tags", "_index", "meta/instanceid", "meta/rootuuid", "formhub/uuid",
})
TIMESTAMP = "_submission_time"
TICKED = ["1", "1.0", "true", "yes"]


def is_kobo(columns: list[str]) -> bool:
    """Whether the columns are a Kobo export's (its ``_uuid`` or ``_submission_time`` column)."""
    return bool({header_key(c) for c in columns} & {"_uuid", TIMESTAMP})


def _name(item: Mapping, default: str) -> str:
    return header_key(item.get("kobo", default))


def names(cb: Mapping) -> dict[str, tuple[str, Mapping, Mapping | None]]:
    """Kobo name (header key) → (what it is, question, option or row): ``question``, ``row`` of a
    grid, ``choice`` of a select-multiple (``question/choice``, by name and by label)."""
    out: dict[str, tuple[str, Mapping, Mapping | None]] = {}
    for q in cb["questions"]:
        qname = _name(q, q["id"])
        out[qname] = ("question", q, None)
        for row in q.get("rows", []) if q["type"] == "grid" else []:
            out[_name(row, f"{q['id']}_{row['code']}")] = ("row", q, row)
        for o in q.get("options", []) if q["type"] == "multi" else []:
            for lang in ("ru", "kk"):
                out[header_key(f"{q[lang]}/{o[lang]}")] = ("choice", q, o)
            out[f"{qname}/{_name(o, o['code'])}"] = ("choice", q, o)
    return out


def _find(key: str, known: Mapping[str, tuple]) -> tuple | None:
    """The entry of a header key, its group path dropped one level at a time (``grp/sub/region``)."""
    while key:
        if key in known:
            return known[key]
        key = key.partition("/")[2]
    return None


def _labels(values: pl.Expr, q: Mapping) -> pl.Expr:
    """Choice names → the option's Russian label (labels already written stay as they are)."""
    to_label = {_name(o, o["code"]): o["ru"] for o in q.get("options", [])}
    if q["type"] == "multi":  # space-separated names → «label, label»
        return values.str.split(" ").list.eval(pl.element().replace(to_label)).list.join(SEPARATOR)
    return values.replace(to_label)


def to_forms(frame: pl.DataFrame, cb: Mapping) -> tuple[pl.DataFrame, list[str]]:
    """A Kobo export's frame as a Google Forms export's columns (and the log lines of what was done)."""
    known = names(cb)
    keep, ticks, log = [pl.col("source_row"), pl.col("hidden")], {}, []
    for col in (c for c in frame.columns if c not in ("source_row", "hidden")):
        key = header_key(col)
        if key == TIMESTAMP:
            keep.append(pl.col(col).alias(cb["timestamp_header"]["ru"]))
        elif key in META:
            log.append(f"Kobo column {col!r} not read (Kobo's own)")
        elif (found := _find(key, known)) is None:
            keep.append(pl.col(col))  # a question text (labels mode) or a column column_plan will name
        elif found[0] == "choice":
            ticks.setdefault(found[1]["id"], (found[1], []))[1].append((col, found[2]))
        else:
            kind, q, row = found
            header = f"{q['ru']} [{row['ru']}]" if kind == "row" else q["ru"]
            keep.append(_labels(pl.col(col).cast(pl.String), q).alias(header))
    for q, columns in ticks.values():  # one 0/1 column per choice → the ticked labels in one cell
        ticked = [pl.when(pl.col(c).cast(pl.String).str.to_lowercase().is_in(TICKED)).then(pl.lit(o["ru"])) for c, o in columns]
        keep.append(pl.concat_str(ticked, separator=SEPARATOR, ignore_nulls=True).replace("", None).alias(q["ru"]))
        log.append(f"Kobo select-multiple {q['id']!r}: {len(columns)} 0/1 column(s) joined into one")
    return frame.select(keep), log
