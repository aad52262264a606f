"""Reading the core tables an analysis notebook needs: only the columns it uses.

A core survey table carries id columns (``response_id``, ``respondent_id``: a distinct text per
row) that no aspect analysis reads; at a million rows they are most of the reading time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def used_columns(names: Iterable[str], questions: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    """The columns of ``names`` (in table order) that belong to ``questions`` — the question's own
    column or its ``<question>__<part>`` columns (multi-select ticks, grid rows) — or are in ``extra``.

    A question or extra column with no column at all is an error (a renamed question, a typo).

    >>> used_columns(["response_id", "ready", "info__tv", "info__answered", "region"], ["ready", "info"], ["region"])
    ['ready', 'info__tv', 'info__answered', 'region']
    """
    names, questions, extra = list(names), list(questions), list(extra)
    qset, eset = set(questions), set(extra)
    cols = [c for c in names if c in qset or c in eset or c.split("__", 1)[0] in qset]
    missing = [q for q in questions if not any(c == q or c.startswith(q + "__") for c in cols)]
    missing += [e for e in extra if e not in cols]
    if missing:
        raise KeyError(f"no column(s) for {missing} in the table (columns: {', '.join(names)})")
    return cols


def read_columns(path: str | Path, questions: Iterable[str], extra: Iterable[str] = (), *,
                 categorical: bool = False) -> pd.DataFrame:
    """``pd.read_parquet(path)`` restricted to :func:`used_columns` (same values and dtypes, fewer columns).

    ``categorical=True``: text columns come back as pandas categoricals (the same values; the
    categories are the distinct texts). The parquet file stores answer codes dictionary-encoded,
    so they are read as they are stored, without building a million texts, and counting them
    works on small integer codes. The ``helpers.analysis`` functions accept either form.
    """
    path = Path(path)
    schema = pq.read_schema(path)
    try:
        cols = used_columns(schema.names, questions, extra)
    except KeyError as exc:
        raise KeyError(f"{path.name}: {exc.args[0]}") from None
    if not categorical:
        return pd.read_parquet(path, columns=cols)
    text = [c for c in cols if pa.types.is_string(schema.field(c).type) or pa.types.is_large_string(schema.field(c).type)]
    return pd.read_parquet(path, columns=cols, read_dictionary=text)
