"""Reading raw input files (csv, xlsx, xls, ods) into Polars text frames (issue 17: the read concern).

A :class:`RawTable` holds one ``pl.String`` column per header, named by the header as written
(whitespace collapsed), null for an empty or whitespace-only cell, plus ``source_row`` (the row
number a spreadsheet shows) and ``hidden`` (hidden in the workbook: the rules layer rejects the row
as ``hidden_row``). A problem with the file raises :class:`CleaningError` naming file, row and
column; what the reader decided is in ``RawTable.log``. Decisions (as the old ``clean.io`` unless said):

* an empty row between data rows stays as a row of nulls; empty rows after the last data row go;
* a csv ``sep=;`` first line sets the delimiter and is not a row (Excel does not show it);
* date cells read as the old reader wrote them (``2021-04-02 00:00:00``), whole numbers without ``.0``;
* workbooks (xlsx, xls, ods) are read by :mod:`helpers.clean.workbooks`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import polars as pl

from helpers.clean import CleaningError

SUPPORTED: tuple[str, ...] = (".csv", ".xlsx", ".xls", ".ods")
DELIMITERS: tuple[str, ...] = (",", ";", "\t")
SCAN_ROWS = 20  # the header is looked for in the first rows of a sheet or file
_HEAD = 1 << 20  # bytes of a csv decoded to find the header
#: zero-width space, non-joiner, joiner, LRM, RLM, soft hyphen, BOM, word joiner: out; NBSP: a space
_INVISIBLE = {**dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u00ad\ufeff\u2060")), 0xA0: " "}
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # a cell of only these is empty


@dataclass(frozen=True)
class RawTable:
    """A file as read: the frame, the sheet (None for csv), the header's row number, the decisions."""

    frame: pl.DataFrame
    sheet: str | None
    header_row: int
    log: list[str]


def header_key(text: str) -> str:
    """How headers are compared: invisible characters out, whitespace collapsed, case-folded,
    ё → е, a trailing '.' or ':' dropped.

    >>> header_key(" Кол-во\\u00a0 учёных\\u200b: ")
    'кол-во ученых'
    """
    return " ".join(str(text).translate(_INVISIBLE).split()).casefold().replace("ё", "е").rstrip(".:").strip()


def discover(folder: Path, root: Path) -> tuple[list[Path], list[str]]:
    """The :data:`SUPPORTED` files of ``folder`` (by name, not recursive) and log lines of the files skipped.

    Raises
    ------
    CleaningError
        No such folder, or files of another type (named relative to ``root``, with the supported types).
    """
    if not folder.is_dir():
        raise CleaningError(f"{_rel(folder, root)}: input folder not found")
    files, log, other = [], [], []
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        why = _skip_reason(p)
        if why:
            log.append(f"skipped {_rel(p, root)}: {why}")
        elif p.suffix.lower() in SUPPORTED:
            files.append(p)
        else:
            other.append(_rel(p, root))
    if other:
        raise CleaningError(f"{_rel(folder, root)}: file(s) of an unsupported type: {', '.join(other)}; "
                            f"supported types: {', '.join(SUPPORTED)} (move other files out of the folder)")
    return files, log


def _rel(p: Path, root: Path) -> str:
    return p.relative_to(root).as_posix() if p.is_relative_to(root) else p.as_posix()


def _skip_reason(p: Path) -> str | None:
    if p.name.startswith("~$"):
        return "an Excel lock file (the workbook is open somewhere)"
    if p.name.startswith(".~lock."):
        return "a LibreOffice lock file (the workbook is open somewhere)"
    if p.name.endswith(".draft.yaml"):
        return "a draft written by `python -m helpers inspect`"
    if p.name.startswith(".") or p.name.lower() in ("thumbs.db", "desktop.ini"):
        return "a hidden or system file"
    return "a folder (folders are not read)" if p.is_dir() else None


def read_table(path: Path, name: str, expected: Collection[str]) -> RawTable:
    """Read a ``.csv``, ``.xlsx``, ``.xls`` or ``.ods`` file; ``name`` is the file as messages name it.

    Parameters
    ----------
    expected : Collection[str]
        The :func:`header_key` of every header the caller can map. The header is the first of the
        first 20 rows where at least half of the non-empty cells (and at least 2, or all expected
        when fewer) are expected (nothing expected: the first non-empty row). A workbook's sheet is
        the one visible sheet with such a row; a csv without one takes its first row.

    Raises
    ------
    CleaningError
        Unreadable file, no or several matching sheets, bad header, ragged rows, no data row.
    """
    expected = frozenset(expected)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, name, expected)
    if suffix in SUPPORTED:
        from helpers.clean.workbooks import read_workbook  # it builds on this module: imported when needed

        return read_workbook(path, name, expected)
    raise CleaningError(f"{name}: unsupported file type {path.suffix!r} (supported: {', '.join(SUPPORTED)})")


# --- header and frame (both formats) ----------------------------------------------------------


def _hits(cells: list[str | None], expected: frozenset[str]) -> tuple[int, int]:
    """(cells that are expected headers, non-empty cells) of a row."""
    keys = [header_key(c) for c in cells if c is not None and c.strip()]
    return sum(k in expected for k in keys), len(keys)


def find_header(rows: list[list[str | None]], expected: frozenset[str]) -> int | None:
    for i, row in enumerate(rows[:SCAN_ROWS]):
        hits, filled = _hits(row, expected)
        if filled and (not expected or hits >= min(2, len(expected)) and 2 * hits >= filled):
            return i
    return None


def frame_under(header: list[str | None], body: pl.DataFrame, header_row: int, hidden: set[int], name: str) -> tuple[pl.DataFrame, list[str]]:
    """``body`` (columns ``c0…``, the rows under the header) named by ``header``: blank cells → null,
    empty trailing columns and rows dropped, ``source_row`` and ``hidden`` added."""
    body = body.with_columns(pl.when(pl.all().str.strip_chars(_SPACES) == "").then(None).otherwise(pl.all()).name.keep())
    cols = [" ".join((c or "").split()) for c in header]
    while cols and not cols[-1] and body[f"c{len(cols) - 1}"].null_count() == body.height:
        cols.pop()
    log = [f"{len(header) - len(cols)} empty trailing column(s) dropped (no header, no values)"] if len(cols) < len(header) else []
    _check_header(cols, body, header_row, name)
    rows = pl.int_range(header_row + 1, header_row + 1 + body.height, dtype=pl.Int64, eager=True)
    frame = body.select([pl.col(f"c{j}").alias(c) for j, c in enumerate(cols)]).with_columns(
        source_row=rows, hidden=rows.is_in(pl.Series(sorted(hidden), dtype=pl.Int64).implode()))
    last = frame.select(pl.any_horizontal(pl.col(cols).is_not_null()).arg_true().max()).item()
    if last is None:
        raise CleaningError(f"{name}: row {header_row + 1}: no data rows (header only)")
    return frame.head(last + 1).select("source_row", *cols, "hidden"), log


def _check_header(cols: list[str], body: pl.DataFrame, header_row: int, name: str) -> None:
    """Header cells must be non-empty and unique."""
    if not cols:
        raise CleaningError(f"{name}: empty file (no header row)")
    for j in (j for j, c in enumerate(cols) if not c):
        first = body.select(pl.col(f"c{j}").is_not_null().arg_true().first()).item()
        under = f" above values (first in row {header_row + 1 + first})" if first is not None else ""
        raise CleaningError(f"{name}: row {header_row}, column {j + 1}: empty header cell{under} — merged header cells, or a column without a name?")
    dup = [c for c, n in Counter(cols).items() if n > 1]
    if dup:
        where = ", ".join(f"{c!r} (columns {', '.join(str(j + 1) for j, x in enumerate(cols) if x == c)})" for c in dup)
        raise CleaningError(f"{name}: row {header_row}: duplicated column header(s): {where}")


# --- csv ------------------------------------------------------------------------------------------


def _read_csv(path: Path, name: str, expected: frozenset[str]) -> RawTable:
    """UTF-8 (with or without BOM) unless a byte is not UTF-8: then cp1251, as the old reader."""
    data = path.read_bytes()
    if not data or data.isspace():
        raise CleaningError(f"{name}: empty file (0 bytes or only whitespace)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise CleaningError(f"{name}: wrong encoding: looks like UTF-16 or a binary file (NUL bytes); save it as CSV UTF-8")
    try:
        return _parse_csv(data.removeprefix(codecs.BOM_UTF8), "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8", name, expected)
    except UnicodeDecodeError:
        return _parse_csv(_cp1251(data, name), "cp1251", name, expected)


def _cp1251(data: bytes, name: str) -> bytes:
    """The cp1251 file as UTF-8, unless charset-normalizer finds another Cyrillic code page more likely."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_HEAD], cp_isolation=["cp1251", "koi8_r", "cp866", "mac_cyrillic"]).best()
    try:
        if best is not None and best.encoding != "cp1251":
            raise ValueError(f"looks like {best.encoding}")
        return data.decode("cp1251").encode("utf-8")
    except ValueError as exc:  # UnicodeDecodeError too: cp1251 leaves byte 0x98 undefined
        raise CleaningError(f"{name}: wrong encoding: neither UTF-8 nor cp1251 ({exc}); save it as CSV UTF-8") from None


def _parse_csv(utf8: bytes, encoding: str, name: str, expected: frozenset[str]) -> RawTable:
    """Raises UnicodeDecodeError when Polars (or Python) finds a byte that is not UTF-8."""
    delim, before, header, header_row, log = _layout(utf8[:_HEAD].decode("utf-8", errors="ignore"), expected)
    if offset := len(before.encode("utf-8")):
        utf8 = utf8[offset:]  # from the header line on
    if not header:
        raise CleaningError(f"{name}: empty file (no header row)")
    grid, error = _grid(utf8, delim, len(header))
    if grid is None or not _regular(utf8, grid, delim):
        _check_records(utf8.decode("utf-8"), delim, len(header), header_row, name)
    if grid is None:
        raise CleaningError(f"{name}: cannot be read as CSV (delimiter {delim!r}): {error.splitlines()[0]}")
    frame, more = frame_under(header, grid.slice(1), header_row, set(), name)
    return RawTable(frame, None, header_row, [f"encoding {encoding}", *log, *more])


def _layout(head: str, expected: frozenset[str]) -> tuple[str, str, list[str], int, list[str]]:
    """(delimiter, text before the header line, header cells, its row number, log) from the file's head.

    A ``sep=X`` first line sets the delimiter; else the delimiter whose first rows hold the header
    with most expected cells wins; with no header found, the most frequent of ``, ; tab`` in the
    first line, and the first row is the header.
    """
    sep = re.match(r'"?sep=(.)"?(\r\n|\n|\r)', head)
    text, options = (head[sep.end():], (sep.group(1),)) if sep else (head, DELIMITERS)
    parsed = {d: list(islice(csv.reader(io.StringIO(text), delimiter=d), SCAN_ROWS)) for d in options}
    found = {d: h for d, rows in parsed.items() if (h := find_header(rows, expected)) is not None}
    delim = max(found, key=lambda d: _hits(parsed[d][found[d]], expected)[0], default=None) or _most_frequent(text, options)
    h = found.get(delim, 0)
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    for _ in range(h):
        next(reader)
    before = (sep.group(0) if sep else "") + "".join(islice(io.StringIO(text), reader.line_num))
    log = [f"delimiter {delim!r}" + (" (from the sep= first line, which is not a row)" if sep else "")]
    log += [f"{h} row(s) above the header skipped (title rows)"] if h else []
    return delim, before, (parsed[delim] or [[]])[h], h + 1, log


def _most_frequent(text: str, options: tuple[str, ...]) -> str:
    """The most frequent of ``options`` outside quotes in the first line (ties: their order)."""
    unquoted = "".join(part for i, part in enumerate(text.split("\n", 1)[0].split('"')) if i % 2 == 0)
    return max(options, key=lambda d: (unquoted.count(d), -options.index(d)))


def _grid(utf8: bytes, delim: str, width: int) -> tuple[pl.DataFrame | None, str]:
    """Every record from the header on as ``c0…`` text columns; None (and Polars' message) when a
    record has more cells than the header or the quoting is broken."""
    try:
        schema = {f"c{j}": pl.String for j in range(width)}
        return pl.read_csv(utf8, has_header=False, separator=delim, schema=schema, raise_if_empty=False), ""
    except pl.exceptions.ComputeError as exc:
        if "invalid utf-8" in str(exc):
            raise UnicodeDecodeError("utf-8", b"", 0, 0, str(exc)) from None
        return None, str(exc)


def _regular(utf8: bytes, grid: pl.DataFrame, delim: str) -> bool:
    """Whether no record is short (Polars fills those with nulls): the file's delimiters must be
    width − 1 per record plus those inside (quoted) cells."""
    inside = grid.select(pl.sum_horizontal(pl.all().str.count_matches(delim, literal=True).sum())).item()
    return utf8.count(delim.encode()) == (grid.width - 1) * grid.height + inside


def _check_records(text: str, delim: str, width: int, header_row: int, name: str) -> None:
    """Raise naming the first non-blank record whose number of cells is not the header's."""
    bad = [(header_row + i, len(r)) for i, r in enumerate(csv.reader(io.StringIO(text), delimiter=delim))
           if len(r) != width and any(c.strip() for c in r)]
    if bad:
        raise CleaningError(f"{name}: row {bad[0][0]}: {bad[0][1]} cells but the header has {width} "
                            f"(and {len(bad) - 1} more such rows) — delimiter {delim!r}")
