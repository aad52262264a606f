"""Satisfaction with consultations: share of positive ratings with a Wilson interval and its base.

The hand-made report computed 99.6 % = 749/752 by a proportion by hand (and the negative share as
3/749 instead of 3/752); here the share, its 95 % Wilson interval and the base come from the
rated consultations of the journal, overall and per office / month / sphere, with small bases flagged.
The Wilson interval is the shared one, :func:`helpers.analysis.intervals.wilson`
(749/752 → 98.83–99.86 %).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis.intervals import wilson

__all__ = ["share_table", "wilson"]


def share_table(
    df: pd.DataFrame,
    by: str | None = None,
    *,
    rating: str = "rating",
    positive: str = "positive",
    confidence: float = 0.95,
    small_base: int = 30,
) -> pd.DataFrame:
    """Share of positive ratings (in %) with its Wilson interval, per group of ``by`` (or overall).

    Transformations include: rows without a rating dropped from the base (counted in
    ``n_unrated``); ``small_base`` = the base is below ``small_base``; sorted by ``by``.

    >>> df = pd.DataFrame({"office": ["a", "a", "b"], "rating": ["positive", "negative", pd.NA]})
    >>> share_table(df, "office")[["office", "n_rated", "n_positive", "share_positive_pct"]]
      office  n_rated  n_positive  share_positive_pct
    0      a        2           1                50.0
    1      b        0           0                 NaN
    """
    d = df.assign(_all="all") if by is None else df
    key = "_all" if by is None else by
    r = d[rating]
    g = pd.DataFrame({
        key: d[key],
        "_rated": r.notna().astype(int),
        "_pos": (r == positive).fillna(False).astype(int),
        "_neg": (r.notna() & (r != positive)).fillna(False).astype(int),
    }).groupby(key, sort=True, dropna=False)
    out = g.agg(n_records=("_rated", "size"), n_rated=("_rated", "sum"),
                n_positive=("_pos", "sum"), n_negative=("_neg", "sum")).reset_index()
    out["n_unrated"] = out["n_records"] - out["n_rated"]
    low, high = wilson(out["n_positive"].to_numpy(), out["n_rated"].to_numpy(), confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_positive_pct"] = np.where(out["n_rated"] > 0, 100 * out["n_positive"] / out["n_rated"], np.nan)
    out["ci_low_pct"] = 100 * low
    out["ci_high_pct"] = 100 * high
    out["small_base"] = out["n_rated"] < small_base
    if by is None:
        out = out.drop(columns=key)
    cols = [c for c in out.columns if c != "n_records"]
    return out[cols].reset_index(drop=True)


def by_dimensions(df: pd.DataFrame, dimensions: list[str], **kwargs) -> pd.DataFrame:
    """:func:`share_table` overall and per dimension, stacked: ``dimension, group`` + the share columns.

    >>> df = pd.DataFrame({"office": ["a", "b"], "rating": ["positive", "positive"]})
    >>> by_dimensions(df, ["office"])[["dimension", "group", "n_rated"]].to_dict("records")
    [{'dimension': 'all', 'group': 'all', 'n_rated': 2}, {'dimension': 'office', 'group': 'a', 'n_rated': 1}, {'dimension': 'office', 'group': 'b', 'n_rated': 1}]
    """
    parts = [share_table(df, None, **kwargs).assign(dimension="all", group="all")]
    for dim in dimensions:
        t = share_table(df, dim, **kwargs).rename(columns={dim: "group"})
        parts.append(t.assign(dimension=dim, group=t["group"].astype("str")))
    out = pd.concat(parts, ignore_index=True)
    return out[["dimension", "group"] + [c for c in out.columns if c not in ("dimension", "group")]]
