"""CSV injection: text cells that a spreadsheet would run as a formula when the file is opened.

OWASP's rule (https://owasp.org/www-community/attacks/CSV_Injection): a cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with a single quote, which
spreadsheet programs read as "this is text". Free text from respondents ("Other" answers,
journal notes) reaches CSV files a reader opens in Excel, so every CSV the workbook writes goes
through :func:`neutralise_csv` first.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells starting with :data:`FORMULA_START` begin with ``'``.

    Transformations include: text cells of text, object and categorical columns (the categories
    renamed, so a column stays categorical); numbers, dates, booleans and NA are left as they are,
    and so are the column labels and the index (written by code, not by respondents).

    >>> neutralise_csv(pd.DataFrame({"t": ["=1+2", "ok", None], "n": [-1, 2, 3]})).to_dict("list")
    {'t': ["'=1+2", 'ok', nan], 'n': [-1, 2, 3]}
    """
    out = df.copy()
    for i, (_, s) in enumerate(df.items()):
        if isinstance(s.dtype, pd.CategoricalDtype):
            new = _neutral(pd.Series(s.cat.categories, dtype=object))
            if new.is_unique:
                out.isetitem(i, s.cat.rename_categories(new.tolist()))
            else:  # «=x» and «'=x» both there: the categories merge
                out.isetitem(i, _neutral(s.astype(object)).astype("category"))
        elif s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            out.isetitem(i, _neutral(s))
    return out


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` (no index, UTF-8, LF line ends) with its text cells neutralised (:func:`neutralise_csv`)."""
    neutralise_csv(df).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)


def _neutral(s: pd.Series) -> pd.Series:
    """``s`` with ``'`` before each text that starts like a formula (other values untouched)."""
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        risky = s.str.startswith(FORMULA_START, na=False).astype(bool)
    else:  # object: numbers and texts mixed
        risky = s.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START)).astype(bool)
    if not risky.any():
        return s
    out = s.copy()
    out[risky] = "'" + s[risky].astype("str")
    return out
