"""Reading raw files (encoding and delimiter detection, csv and xlsx) and writing validated tables.

Every reader returns a frame of text columns (``str``, NA for empty cells) with the original
headers, plus the 1-based spreadsheet row number of each data row (header = row 1) in
``source_row``. Problems with the file itself raise :class:`CleaningError` naming the file,
row, column and value.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io as _io
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.clean import CleaningError
from helpers.clean.normalise import decode

if TYPE_CHECKING:
    import pyarrow

ENCODINGS: tuple[str, ...] = ("utf-8-sig", "utf-8", "cp1251")
DELIMITERS: tuple[str, ...] = (",", ";", "\t")
_HEAD = 1 << 22  # bytes of a utf-8 file decoded to find the header


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


#: the characters ``str.isspace`` accepts (so ``str.strip`` removes), as ranges of code points.
SPACE_RANGES: tuple[tuple[int, int], ...] = (
    (0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
    (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
)
_SPACES = "".join(chr(i) for a, b in SPACE_RANGES for i in range(a, b + 1))


def _blank_to_na(c: pd.Series) -> pd.Series:
    """Cells that are empty or only whitespace (what ``str.strip`` empties) → NA, in Arrow.

    A categorical column (read dictionary-encoded) stays categorical: its blank categories go.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(c.dtype, pd.CategoricalDtype):
        cats = c.cat.categories
        blank = _blank_to_na(pd.Series(cats, dtype="str")).isna().to_numpy()
        return c.cat.remove_categories(cats[blank]) if blank.any() else c
    arr = pa.array(c.astype("str").array)
    blank = pc.fill_null(pc.equal(pc.utf8_trim(arr, characters=_SPACES), ""), False)
    if not pc.any(blank).as_py():
        return c.astype("str")
    out = pc.if_else(blank, pa.scalar(None, arr.type), arr)
    return pd.Series(out.to_pandas(types_mapper={arr.type: pd.StringDtype(na_value=np.nan)}.get), index=c.index, dtype="str")


def _finish(df: pd.DataFrame, cols: list[str], name: str) -> pd.DataFrame:
    """Name the columns, empty cells → NA, add ``source_row``; trailing blank rows are not rows."""
    df.columns = cols
    df = pd.DataFrame({c: _blank_to_na(df.iloc[:, j]) for j, c in enumerate(cols)}, index=df.index)
    df.insert(0, "source_row", pd.RangeIndex(2, len(df) + 2))
    if len(df):
        filled = df.drop(columns="source_row").notna().any(axis=1).to_numpy()
        last = filled.nonzero()[0].max() + 1 if filled.any() else 0
        df = df.iloc[:last].reset_index(drop=True)
    return df


def _first_line(text: str) -> str:
    """``text.splitlines()[0]`` without splitting the whole file."""
    k = 1 << 16
    while True:
        lines = text[:k].splitlines()
        if len(lines) > 1 or k >= len(text):
            return lines[0] if lines else ""
        k *= 4


def _header_cells(text: str, delim: str) -> list[str]:
    """The first CSV record (the header), parsed by the csv module from a prefix of the text."""
    k = 1 << 16
    while True:
        prefix = text[:k]
        reader = csv.reader(_io.StringIO(prefix), delimiter=delim)
        row = next(reader, [])
        if k >= len(text) or next(reader, None) is not None:
            return row
        k *= 4


#: which columns to read dictionary-encoded: all (True), none (False), or those whose header passes a test
Dictionary = bool | Callable[[str], bool]


def _read_arrow(data: bytes | memoryview | pyarrow.NativeFile, delim: str, header: list[str], dictionary: Dictionary = False) -> pd.DataFrame | None:
    """The body of a utf-8 CSV parsed by pyarrow (all columns text, empty cells NA).

    ``data``: the file's bytes, or a pyarrow input stream of them (read block by block).

    With ``dictionary`` the parser dictionary-encodes the columns it selects (all, or those whose
    header passes the test), and those with few distinct values (answer labels) come back
    categorical (categories: ``str``), so that later steps work on the distinct labels without
    factorising a million texts again; a selected column where more than a quarter of the rows
    are distinct is decoded to ``str`` as usual. The values are the same either way.

    Returns ``None`` (the caller then uses the csv module, which gives the row-level error
    messages) when the file is not regular: a record whose cell count differs from the header
    (blank or whitespace lines included) or a header that pyarrow reads differently.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n = len(header)
    names = [f"f{j}" for j in range(n)]
    coded = [bool(dictionary(h)) if callable(dictionary) else bool(dictionary) for h in header]
    types = {c: pa.dictionary(pa.int32(), pa.large_string()) if coded[j] else pa.large_string() for j, c in enumerate(names)}
    try:
        table = pacsv.read_csv(
            data if isinstance(data, pa.NativeFile) else pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),  # 4 MB: blocks for every core
            parse_options=pacsv.ParseOptions(delimiter=delim, quote_char='"', double_quote=True, escape_char=False,
                                              newlines_in_values=True, ignore_empty_lines=False),
            # empty cells (quoted or not) → null right away; whitespace-only cells are left to _finish
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                                 quoted_strings_can_be_null=True, null_values=[""], check_utf8=False),
        )
        # UTF-8 checked on the result, as strictly as the parser would: a coded column's distinct
        # texts once (its dictionary), not every cell
        table.validate(full=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows == 0 or [table.column(j)[0].as_py() for j in range(n)] != header:
        return None
    table = table.slice(1)
    if any(coded):
        many = [j for j in range(n) if coded[j] and 4 * sum(len(ch.dictionary) for ch in table.column(j).chunks) > table.num_rows]
        for j in many:
            table = table.set_column(j, names[j], table.column(j).cast(pa.large_string()))
    df = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype(na_value=np.nan)}.get)
    df.columns = range(n)
    return df


def read_csv(path: str | Path, name: str | None = None, dictionary: Dictionary = False) -> pd.DataFrame:
    """Read a CSV export (encoding and delimiter detected) as text columns + ``source_row``.

    ``dictionary``: columns with few distinct values may come back categorical (see
    :func:`_read_arrow`); the cleaning of survey exports accepts either form.

    Regular files (every record has the header's number of cells) are parsed by pyarrow; the
    rest by the csv module, which names the offending row. Both give the same frame. A plain
    utf-8 file is parsed by pyarrow straight away (Arrow checks the UTF-8 as strictly as Python's
    decoder, so the file is never decoded in Python); cp1251 is decoded once and handed to
    pyarrow as utf-8.
    """
    path = Path(path)
    name = name or path.name
    out = _read_utf8_arrow(path, name, dictionary)
    if out is not None:
        return out
    data = path.read_bytes()
    if not data or data.isspace():  # as `not data.strip()`, without copying the file
        raise CleaningError(f"{name}: empty file (0 bytes or only whitespace)")
    enc = detect_encoding(data, name)
    if enc == "utf-8-sig":
        data = memoryview(data)[3:]
    text: str | None = None
    if enc == "cp1251":
        text = data.decode(enc)
        data = text.encode("utf-8")
    head = text if text is not None else bytes(data[:_HEAD]).decode("utf-8", errors="ignore")
    if len(data) > _HEAD and len(head[: _HEAD // 2].splitlines()) < 3:  # a header longer than 2 MB: decode it all
        text = head = bytes(data).decode("utf-8")
    delim = detect_delimiter(_first_line(head))
    header = _header_cells(head, delim)
    cols = _check_header(header, name)
    df = _read_arrow(_without_trailing_breaks(data), delim, header, dictionary) if enc != "utf-8" else None  # utf-8: tried already
    if df is None:
        return _read_csv_python(text if text is not None else bytes(data).decode("utf-8"), cols, delim, name)
    del text, data, head
    out = _finish(df, cols, name)
    if out.empty:
        raise CleaningError(f"{name}: row 2: no data rows (header only)")
    return out


def _without_trailing_breaks(data: bytes | memoryview) -> memoryview:
    end = len(data)
    while end and data[end - 1] in (10, 13):  # no copy of the file
        end -= 1
    return memoryview(data)[:end]


def _read_utf8_arrow(path: Path, name: str, dictionary: Dictionary = False) -> pd.DataFrame | None:
    """The fast path for a regular utf-8 file (no BOM): the frame, or ``None`` to take the checked path.

    pyarrow reads the file itself, block by block, so the file is never held in memory as one
    ``bytes`` object (at a million rows that copy, and the fresh memory it takes, cost more than
    the parsing it saves). Only the head (the header, the encoding checks) and the last bytes
    (trailing line breaks, left out) are read here. ``None`` whenever anything is unusual (empty,
    a BOM, NUL bytes, not utf-8, a header problem, an irregular record, no data rows), so that the
    checked path, which reads the whole file, gives exactly its result or its error message.
    """
    import pyarrow as pa

    try:
        f = pa.OSFile(str(path))
    except OSError:
        return None  # the checked path names the problem
    with f:
        size = f.size()
        data = f.read_at(min(size, _HEAD), 0)
        if not data or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
            return None
        try:
            head = codecs.getincrementaldecoder("utf-8")().decode(data, final=size <= _HEAD)
        except UnicodeDecodeError:
            return None
        if size > _HEAD and len(head[: _HEAD // 2].splitlines()) < 3:
            return None
        delim = detect_delimiter(_first_line(head))
        header = _header_cells(head, delim)
        try:
            cols = _check_header(header, name)
        except CleaningError:
            return None
        end = size  # trailing line breaks are not records: the stream stops before them
        while end:
            chunk = f.read_at(min(end, 1 << 16), end - min(end, 1 << 16))
            kept = chunk.rstrip(b"\r\n")
            end -= len(chunk) - len(kept)
            if kept:
                break
        df = _read_arrow(f.get_stream(0, end), delim, header, dictionary) if end else None
    if df is None:
        return None
    out = _finish(df, cols, name)
    return None if out.empty else out


def _read_csv_python(text: str, cols: list[str], delim: str, name: str) -> pd.DataFrame:
    """The csv-module reader: irregular files (blank lines, rows with a wrong number of cells)."""
    rows = list(csv.reader(_io.StringIO(text), delimiter=delim))
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


def read_table(path: str | Path, name: str | None = None, dictionary: Dictionary = False) -> pd.DataFrame:
    """Read a csv or xlsx file by its extension (``dictionary``: see :func:`read_csv`)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path, name)
    if path.suffix.lower() in (".csv", ".txt"):
        return read_csv(path, name, dictionary)
    raise CleaningError(f"{name or path.name}: unsupported file type {path.suffix!r} (expected .csv or .xlsx)")


def text_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its categorical columns (answer codes kept as small integers) back as ``str``.

    >>> text_frame(pd.DataFrame({"k": [1, 2], "v": pd.Series(["a", None], dtype="category")})).dtypes.astype(str).tolist()
    ['int64', 'str']
    """
    coded = {c: decode(df[c]) for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)}
    return df.assign(**coded) if coded else df


def write_table(df: pd.DataFrame, path: str | Path, schema: pa.DataFrameSchema, sort_by: list[str]) -> Path:
    """Validate ``df`` with ``schema``, sort it, drop the index and write parquet (deterministic bytes).

    The schema does not coerce, so validation and writing are independent: the parquet file is
    written (to a temporary name) while pandera validates in a second thread, and it replaces
    ``path`` only when validation passes. A validation error wins over a writing error.

    Categorical columns (answer codes) are checked as the texts they stand for
    (:func:`validate_coded`) and written as Arrow dictionaries: sorting moves their integer
    codes, and the parquet writer uses their categories as its dictionary instead of hashing a
    million texts again. The file records the ``str`` form (pandas metadata of the text frame,
    no Arrow schema), so it reads back exactly as if the texts had been written.
    """
    path = Path(path)
    stage_validated(df, path, schema, sort_by)[0].replace(path)
    return path


def stage_validated(df: pd.DataFrame | list[pd.DataFrame], path: str | Path, schema: pa.DataFrameSchema,
                    sort_by: list[str]) -> tuple[Path, pd.DataFrame]:
    """:func:`write_table` up to the last step: the validated table is in a temporary file beside
    ``path``, which the caller renames to ``path`` (``tmp.replace(path)``) or deletes. A stage
    that writes several tables uses it to replace the old ones only when all of them are valid.
    On an error no temporary file is left. Returns the temporary file and the table.

    ``df`` may be given in parts (a survey's exports), as a list: the table is their
    :func:`concat_coded`, built and validated in the second thread while the parts are written
    (they go to the file as they are when they follow one another in key order).
    """
    path = Path(path)
    frames = [df] if isinstance(df, pd.DataFrame) else list(df)

    def check() -> pd.DataFrame:
        table = frames[0] if len(frames) == 1 else concat_coded(frames)
        validate_coded(table, schema)
        return table

    if not all(set(sort_by) <= set(f.columns) for f in frames):
        check()  # the schema names the missing column
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=1) as ex:
        validated = ex.submit(check)
        try:
            try:
                _write_sorted(frames, tmp, sort_by)
            finally:
                table = validated.result()  # a validation error wins over a writing error
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return tmp, table


def concat_coded(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)`` that keeps categorical columns categorical: where the
    parts' categories differ (a region code found by the fuzzy match in one export only), each part
    gets the union of the categories, in order of first appearance. Values are unchanged.
    """
    frames = list(frames)
    for c in sorted({c for f in frames for c in f.columns if isinstance(f[c].dtype, pd.CategoricalDtype)}):
        parts = [f[c] for f in frames if c in f]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            union = pd.Index(list(dict.fromkeys(x for p in parts for x in p.cat.categories)), dtype="str")
            frames = [f.assign(**{c: f[c].cat.set_categories(union)}) if c in f else f for f in frames]
        else:  # categorical in some parts only: all as text
            frames = [f.assign(**{c: decode(f[c])}) if c in f else f for f in frames]
    return pd.concat(frames, ignore_index=True)


#: pandera's built-in checks that test each value on its own: a column passes them exactly when
#: each of its distinct values does
_ELEMENT_WISE = frozenset({
    "isin", "notin", "str_matches", "str_contains", "str_startswith", "str_endswith", "str_length", "in_range",
    "equal_to", "not_equal_to", "greater_than", "greater_than_or_equal_to", "less_than", "less_than_or_equal_to",
})


def validate_coded(df: pd.DataFrame, schema: pa.DataFrameSchema) -> None:
    """``schema.validate(text_frame(df), lazy=True)`` without building a million texts per categorical column.

    A categorical column whose schema has only element-wise checks (``isin``, ``str_matches`` …,
    not ``unique``) passes exactly when each distinct value in it does, NA included: those
    columns are checked on one row per value present (the categories nobody has are not
    values). A ``unique`` text column whose values increase from row to row is unique (one
    comparison of neighbours instead of hashing). The other columns and checks run as usual.
    When anything fails, the whole text frame is validated, so the error is pandera's usual
    report with the failing rows.
    """
    if schema.checks or schema.unique or schema.index is not None:
        schema.validate(text_frame(df), lazy=True)
        return
    coded = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype) and c in schema.columns
             and _by_value(schema.columns[c])]
    # a key column in ascending order (the tables are built in key order): unique exactly when each
    # value is greater than the one before, checked in one pass instead of hashing a million texts
    ordered = [c for c in df.columns if c in schema.columns and schema.columns[c].unique and _increasing(df[c])]
    plain = schema.update_columns({c: {"unique": False} for c in ordered}) if ordered else schema
    try:
        plain.remove_columns(coded).validate(text_frame(df.drop(columns=coded)), lazy=True)
        if coded:
            plain.select_columns(coded).validate(_values_present(df[coded]), lazy=True)
    except pa.errors.SchemaErrors:
        schema.validate(text_frame(df), lazy=True)  # the report with rows (raises: the same values fail)
        raise


def _increasing(s: pd.Series) -> bool:
    """Whether a text column has no NA and each value is greater than the one before (so no two are equal)."""
    import pyarrow as pa_arrow

    if not pd.api.types.is_string_dtype(s.dtype):  # not text (a categorical is not: it is checked as usual)
        return False
    try:
        a = pa_arrow.array(s.array)
    except (pa_arrow.ArrowInvalid, pa_arrow.ArrowTypeError, TypeError):
        return False
    return _in_order(a, strict=True)


def _in_order(a: pyarrow.Array | pyarrow.ChunkedArray, strict: bool) -> bool:
    """No missing value, and each value ≥ (``strict``: >) the one before, in Arrow's order (of the UTF-8 bytes for text)."""
    import pyarrow.compute as pc

    if a.null_count:
        return False
    before = pc.less if strict else pc.less_equal
    return len(a) < 2 or bool(pc.all(before(a.slice(0, len(a) - 1), a.slice(1))).as_py())


def _by_value(col: pa.Column) -> bool:
    return not col.unique and not col.coerce and not col.regex and all(c.name in _ELEMENT_WISE for c in col.checks)


def _values_present(df: pd.DataFrame) -> pd.DataFrame:
    """Each categorical column's values present (NA if present), as ``str``, padded to one length
    by repeating the first value (a repeated value passes or fails as it does once)."""
    cols = {}
    for c in df.columns:
        codes = df[c].cat.codes.to_numpy()
        seen = np.bincount(codes.astype(np.int64) + 1, minlength=len(df[c].cat.categories) + 1) > 0
        values = list(df[c].cat.categories[seen[1:]]) + ([None] if seen[0] else [])
        cols[c] = values
    n = max((len(v) for v in cols.values()), default=0)
    return pd.DataFrame({c: pd.array(v + v[:1] * (n - len(v)), dtype="str") for c, v in cols.items()}, index=pd.RangeIndex(n))


def _ascending(keys: pyarrow.Table) -> bool:
    """Whether the rows are in sorted order already (one key, no missing values, never decreasing):
    then a stable sort leaves them as they are (the survey tables come cleaned in key order)."""
    return keys.num_rows < 2 or (keys.num_columns == 1 and _in_order(keys.column(0), strict=False))


def _write_sorted(frames: list[pd.DataFrame], tmp: Path, sort_by: list[str]) -> None:
    """Write the rows of ``frames`` (in this order), sorted by ``sort_by``, to ``tmp``."""
    if not any(isinstance(t, pd.CategoricalDtype) for f in frames for t in f.dtypes):
        df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        df.sort_values(sort_by, kind="stable").reset_index(drop=True).to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")
        return
    import pyarrow as pa_arrow
    import pyarrow.parquet as pq

    import pyarrow.compute as pc

    def arrow(df: pd.DataFrame) -> pyarrow.Table:
        return pa_arrow.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)

    tables = [arrow(f) for f in frames]
    if all(t.schema.equals(tables[0].schema) for t in tables):  # the parts as they are (their chunks), one dictionary per column
        table = pa_arrow.concat_tables(tables).unify_dictionaries()
        first = frames[0]
    else:  # parts typed differently (a column categorical in one part only): as concat_coded makes them
        first = concat_coded(frames)
        table = arrow(first)
    keys = pa_arrow.concat_tables([pa_arrow.Table.from_pandas(text_frame(f[sort_by]), preserve_index=False) for f in frames])
    if not _ascending(keys):
        # the order of df.sort_values(sort_by, kind="stable"): stable, each key ascending, missing last
        table = table.take(pc.sort_indices(keys, sort_keys=[(c, "ascending", "at_end") for c in sort_by]))
    meta = pa_arrow.Schema.from_pandas(text_frame(first.iloc[:0]), preserve_index=False).metadata  # the dtypes of the str form
    # dictionary pages for the coded columns and the other texts; not for numbers and times (a distinct value per row).
    # Min/max statistics for every column but the coded ones, whose few values the dictionary page lists anyway
    texts = [f.name for f in table.schema if not (pa_arrow.types.is_integer(f.type) or pa_arrow.types.is_timestamp(f.type))]
    stats = [f.name for f in table.schema if not pa_arrow.types.is_dictionary(f.type)]
    with pq.ParquetWriter(tmp, table.schema, compression="zstd", store_schema=False, use_dictionary=texts,
                          write_statistics=stats) as writer:  # no Arrow schema: read as str
        writer.write_table(table)
        writer.add_key_value_metadata({"pandas": meta[b"pandas"]})
