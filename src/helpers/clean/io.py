"""Reading raw files (encoding and delimiter detection, csv and xlsx) and writing validated tables.

Every reader returns a frame of text columns (``str``, NA for empty cells) with the original
headers, plus the 1-based spreadsheet row number of each data row (header = row 1) in
``source_row``. Problems with the file itself raise :class:`CleaningError` naming the file,
row, column and value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
from collections import Counter
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.clean import CleaningError

ENCODINGS: tuple[str, ...] = ("utf-8-sig", "utf-8", "cp1251")
DELIMITERS: tuple[str, ...] = (",", ";", "\t")


def detect_encoding(data: bytes, name: str = "file") -> str:
    """utf-8 with BOM, utf-8, or cp1251 (Excel on a Russian Windows); anything else is an error.

    >>> detect_encoding("Да".encode("cp1251"))
    'cp1251'
    >>> detect_encoding(b"\\xef\\xbb\\xbfabc")
    'utf-8-sig'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise CleaningError(f"{name}: wrong encoding: looks like UTF-16 or a binary file (NUL bytes); save it as CSV UTF-8")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1251", errors="replace")
    if "\ufffd" in text:
        raise CleaningError(f"{name}: wrong encoding: neither UTF-8 ({utf8_error}) nor cp1251")
    return "cp1251"


def detect_delimiter(header_line: str) -> str:
    """The most frequent of ',', ';', tab in the header line outside quotes.

    >>> detect_delimiter('"Отметка времени";"Ваш пол, укажите"')
    ';'
    """
    unquoted = "".join(part for i, part in enumerate(header_line.split('"')) if i % 2 == 0)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def _check_header(columns: list, name: str) -> list[str]:
    """Header cells must be non-empty and unique."""
    cols = ["" if c is None or (isinstance(c, float) and pd.isna(c)) else " ".join(str(c).split()) for c in columns]
    if not cols:
        raise CleaningError(f"{name}: empty file (no header row)")
    for j, c in enumerate(cols):
        if c == "" or c.startswith("Unnamed:"):
            raise CleaningError(
                f"{name}: row 1, column {j + 1}: empty header cell (value {c!r}) — merged header rows or a title row above the header?"
            )
    dup = [c for c, n in Counter(cols).items() if n > 1]
    if dup:
        where = ", ".join(f"{c!r} (columns {', '.join(str(j + 1) for j, x in enumerate(cols) if x == c)})" for c in dup)
        raise CleaningError(f"{name}: row 1: duplicated column header(s): {where}")
    return cols


def _finish(df: pd.DataFrame, cols: list[str], name: str) -> pd.DataFrame:
    """Name the columns, empty cells → NA, add ``source_row``; trailing blank rows are not rows."""
    df.columns = cols
    df = df.astype("str").apply(lambda c: c.where(c.str.strip().ne("")))
    df.insert(0, "source_row", pd.RangeIndex(2, len(df) + 2))
    if len(df):
        filled = df.drop(columns="source_row").notna().any(axis=1).to_numpy()
        last = filled.nonzero()[0].max() + 1 if filled.any() else 0
        df = df.iloc[:last].reset_index(drop=True)
    return df


def read_csv(path: str | Path, name: str | None = None) -> pd.DataFrame:
    """Read a CSV export (encoding and delimiter detected) as text columns + ``source_row``."""
    path = Path(path)
    name = name or path.name
    data = path.read_bytes()
    if not data.strip():
        raise CleaningError(f"{name}: empty file (0 bytes or only whitespace)")
    enc = detect_encoding(data, name)
    text = data.decode(enc)
    first = text.splitlines()[0]
    delim = detect_delimiter(first)
    rows = list(csv.reader(_io.StringIO(text), delimiter=delim))
    cols = _check_header(rows[0], name)
    body = rows[1:]
    # trailing fully-empty lines are not rows
    while body and all(not c.strip() for c in body[-1]):
        body.pop()
    if not body:
        raise CleaningError(f"{name}: row 2: no data rows (header only)")
    bad = [(i + 2, len(r)) for i, r in enumerate(body) if len(r) != len(cols) and any(c.strip() for c in r)]
    if bad:
        row, n = bad[0]
        raise CleaningError(f"{name}: row {row}: {n} cells but the header has {len(cols)} (and {len(bad) - 1} more such rows) — delimiter {delim!r}")
    body = [r if len(r) == len(cols) else [""] * len(cols) for r in body]
    df = pd.DataFrame(body, columns=range(len(cols)), dtype="str") if body else pd.DataFrame(columns=range(len(cols)), dtype="str")
    return _finish(df, cols, name)


def _cell_text(v: object) -> object:
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v


def read_xlsx(path: str | Path, name: str | None = None) -> pd.DataFrame:
    """Read the first sheet of an xlsx download as text columns + ``source_row`` (dates as ISO text)."""
    path = Path(path)
    name = name or path.name
    try:
        raw = pd.read_excel(path, sheet_name=0, header=None, engine="calamine", dtype=object)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a file problem
        raise CleaningError(f"{name}: cannot be read as xlsx: {exc}") from exc
    if raw.empty:
        raise CleaningError(f"{name}: empty file (no header row)")
    raw = raw.map(_cell_text)
    cols = _check_header(list(raw.iloc[0]), name)
    body = raw.iloc[1:].reset_index(drop=True)
    if body.isna().all(axis=None):
        raise CleaningError(f"{name}: row 2: no data rows (header only)")
    body.columns = range(len(cols))
    return _finish(body.astype(object).where(body.notna(), ""), cols, name)


def read_table(path: str | Path, name: str | None = None) -> pd.DataFrame:
    """Read a csv or xlsx file by its extension."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path, name)
    if path.suffix.lower() in (".csv", ".txt"):
        return read_csv(path, name)
    raise CleaningError(f"{name or path.name}: unsupported file type {path.suffix!r} (expected .csv or .xlsx)")


def write_table(df: pd.DataFrame, path: str | Path, schema: pa.DataFrameSchema, sort_by: list[str]) -> Path:
    """Validate ``df`` with ``schema``, sort it, drop the index and write parquet (deterministic bytes)."""
    path = Path(path)
    checked = schema.validate(df, lazy=True)
    out = checked.sort_values(sort_by, kind="stable").reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
    return path
