"""Writing the clean ``core_*`` tables: validated with pandera's Polars backend, written by
Polars as parquet (rows in the order of the input files, each file's rows in its own order) whose pandas metadata makes the analysis (pandas) read them with the documented
types (docs/data_model.md), replacing the old file only when all went well.

A failed validation says, in a sentence per problem, which check failed in which column, for which
input file and row (the tables carry ``source_file`` and ``source_row``), with the value masked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import pandas as pd
import pandera.polars as pa
import polars as pl
import pyarrow

from helpers.clean import CleaningError

#: pandas dtype of each Polars dtype (nullable integers and booleans keep their missing values)
_PANDAS: dict[type[pl.DataType], tuple[str, str]] = {  # (dtype without nulls, dtype with nulls allowed)
    pl.String: ("str", "str"),
    pl.Int64: ("int64", "Int64"),
    pl.Float64: ("float64", "float64"),
    pl.Boolean: ("bool", "boolean"),
}
MAX_LISTED = 5
_NULLABLE = {pyarrow.int64(): pd.Int64Dtype(), pyarrow.bool_(): pd.BooleanDtype()}  # arrow → pandas dtypes that keep NA


def problems(error: pa.errors.SchemaErrors, frame: pl.DataFrame, table: str,
             mask: Callable[[str], str] = str) -> list[str]:
    """One sentence per failed check: the table, column, check, and where the first rows came from.

    >>> schema = pa.DataFrameSchema({"age": pa.Column(pl.Int64, pa.Check.in_range(0, 110))})
    >>> f = pl.DataFrame({"age": [30, 130], "source_file": ["j.csv", "j.csv"], "source_row": [2, 3]})
    >>> try:
    ...     schema.validate(f, lazy=True)
    ... except pa.errors.SchemaErrors as e:
    ...     problems(e, f, "core_x")
    ["core_x, column 'age': 1 value(s) fail in_range(0, 110): j.csv row 3 (130)"]
    """
    cases = error.failure_cases
    out = []
    for (column, check), group in cases.group_by(["column", "check"], maintain_order=True):
        where = []
        for row in group.head(MAX_LISTED).iter_rows(named=True):
            i = row["index"]
            if i is not None and {"source_file", "source_row"} <= set(frame.columns):
                src = f"{frame['source_file'][i]} row {frame['source_row'][i]}"
            else:
                src = "the table"
            where.append(f"{src} ({mask(str(row['failure_case']))})")
        more = f" and {group.height - MAX_LISTED} more" if group.height > MAX_LISTED else ""
        out.append(f"{table}, column {column!r}: {group.height} value(s) fail {check}: {', '.join(where)}{more}")
    return out


def validate(frame: pl.DataFrame, schema: pa.DataFrameSchema, table: str,
             mask: Callable[[str], str] = str) -> pl.DataFrame:
    """``frame`` checked against ``schema`` (every problem reported at once, as :func:`problems`)."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise CleaningError(f"{table} does not match its schema:\n  " + "\n  ".join(problems(exc, frame, table, mask))) from None


def to_pandas(frame: pl.DataFrame, nullable: Collection[str] = ()) -> pd.DataFrame:
    """The frame as the analysis reads it: ``str`` texts, ``Int64``/``boolean`` where values may be
    missing (a column in ``nullable``, or one that has a missing value), ``int64``/``bool`` where
    none may be, ``datetime64[us]`` timestamps.

    >>> to_pandas(pl.DataFrame({"n": [1, None], "k": [1, 2], "t": ["a", None], "b": [True, None]})).dtypes.astype(str).tolist()
    ['Int64', 'int64', 'str', 'boolean']
    """
    unknown = [f"{n} ({t})" for n, t in frame.schema.items() if type(t) not in _PANDAS and not isinstance(t, pl.Datetime)]
    if unknown:
        raise TypeError(f"no pandas type for column(s) {unknown}")
    frame = frame.with_columns(pl.col(pl.Datetime).cast(pl.Datetime("us")))
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest()).to_pandas(types_mapper=_NULLABLE.get)  # no copy of texts to Arrow
    for name, dtype in frame.schema.items():
        kinds = _PANDAS.get(type(dtype))
        if kinds is not None:
            table[name] = table[name].astype(kinds[1] if name in nullable or frame[name].null_count() else kinds[0])
    return table


def arrow_schema(frame: pl.DataFrame, nullable: Collection[str] = ()) -> pyarrow.Schema:
    """The Arrow schema ``frame`` is written with: Polars' own types, and the pandas metadata that makes
    ``pandas.read_parquet`` give the types of :func:`to_pandas` (no pandas copy of the rows is made)."""
    empty = to_pandas(frame.head(0), [*nullable, *(n for n in frame.columns if frame[n].null_count())])
    return frame.head(0).to_arrow().schema.with_metadata(pyarrow.Schema.from_pandas(empty, preserve_index=False).metadata)


def write_table(frame: pl.DataFrame, path: Path, schema: pa.DataFrameSchema) -> pl.DataFrame:
    """Write a validated frame to ``path`` (through a temporary file), rows in their order, so that
    pandas reads it with the types of :func:`to_pandas`; return the frame as written."""
    path = Path(path)
    nullable = [name for name, column in schema.columns.items() if column.nullable]
    frame = frame.with_columns(pl.col(pl.Datetime).cast(pl.Datetime("us")))
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # no column statistics: nothing filters on them, and at a million rows they cost half the writing
        frame.write_parquet(tmp, compression="snappy", statistics=False, arrow_schema=arrow_schema(frame, nullable))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return frame
