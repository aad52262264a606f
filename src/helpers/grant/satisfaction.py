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


def published(sat: pd.DataFrame, threshold: int, *, secondary: bool = True) -> pd.DataFrame:
    """The satisfaction table (:func:`by_dimensions`) as a reviewer edition may show it: per dimension
    and group the rated consultations, the positive share and its interval, protected by
    :func:`helpers.analysis.disclosure.breakdown` (positive and negative ratings of each group are
    its cells; a group with few negative ratings has its share hidden, NaN); the whole project's row
    is the figure the grant report quotes and is shown as it is, so the totals of positive and negative
    ratings count as published when the offices are protected. The counts of positive
    and negative ratings themselves are not shown; the unsuppressed table stays in ``data/processed``.

    >>> sat = pd.DataFrame({"dimension": ["all", "office", "office", "office"], "group": ["all", "a", "b", "c"],
    ...                     "n_rated": [60, 20, 20, 20], "n_positive": [57, 19, 18, 20],
    ...                     "share_positive_pct": [95.0, 95.0, 90.0, 100.0], "ci_low_pct": [1.0] * 4, "ci_high_pct": [2.0] * 4})
    >>> published(sat, 5)["share_positive_pct"].tolist()
    [95.0, nan, nan, 100.0]
    """
    from helpers.analysis import disclosure

    parts = []
    for dim, part in sat.groupby("dimension", sort=False):
        t = pd.DataFrame({"level": part["group"].to_numpy(), "x": part["n_positive"].to_numpy(),
                          "n": part["n_rated"].to_numpy(), "pct": part["share_positive_pct"].to_numpy(),
                          "ci_low": part["ci_low_pct"].to_numpy(), "ci_high": part["ci_high_pct"].to_numpy()})
        pub = t if dim == "all" else disclosure.breakdown(t, threshold, secondary=secondary, totals_published=True).iloc[:-1]
        parts.append(pd.DataFrame({"dimension": dim, "group": pub["level"].to_numpy(), "n_rated": pub["n"].to_numpy(),
                                   "share_positive_pct": pub["pct"].to_numpy(), "ci_low_pct": pub["ci_low"].to_numpy(),
                                   "ci_high_pct": pub["ci_high"].to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def clustering(df: pd.DataFrame, cluster: str = "office", *, rating: str = "rating", positive: str = "positive",
               confidence: float = 0.95) -> dict[str, float]:
    """How much the offices differ: the design effect of clustering the rated consultations by office.

    The ratings are a full count, not a sample; but a consultation's rating depends on its office,
    so if the ratings are read as a sample of the offices' work they carry less information than
    as many independent ratings. Returns:

    - ``icc``: intra-office correlation, the exchangeable working correlation of a GEE
      (``statsmodels``, binomial, intercept only);
    - ``deff``: Kish's design effect, the cluster-robust variance of the share (OLS of the rating on a
      constant, ``cov_type="cluster"`` by office) over the variance of a simple random sample;
    - ``n_effective``: rated consultations divided by the design effect (at least 1: a design effect
      below 1 is not used to narrow the interval);
    - ``ci_low``, ``ci_high``: the Wilson interval of the share at the effective n, in percent;
    - ``n``, ``n_clusters``, ``mean_cluster``, ``share`` (percent).

    >>> d = pd.DataFrame({"office": list("aaaabbbbcccc"), "rating": ["positive"] * 4 + ["negative"] * 4 + ["positive"] * 4})
    >>> r = clustering(d)
    >>> r["n"], r["n_clusters"], r["deff"] > 1
    (12, 3, True)
    """
    import statsmodels.api as sm

    d = df[df[rating].notna()]
    y = (d[rating] == positive).to_numpy(dtype=float)
    codes = pd.factorize(d[cluster].astype("str"))[0]
    n, k = len(y), int(codes.max()) + 1 if len(codes) else 0
    share = float(y.mean()) if n else np.nan
    x = np.ones((n, 1))
    var_srs = share * (1 - share) / n if n else np.nan
    if n == 0 or k < 2 or var_srs == 0:
        deff, icc = np.nan, np.nan
    else:
        robust = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": codes})
        deff = float(robust.bse[0] ** 2 / var_srs)
        gee = sm.GEE(y, x, groups=codes, family=sm.families.Binomial(), cov_struct=sm.cov_struct.Exchangeable()).fit()
        icc = float(np.asarray(gee.model.cov_struct.dep_params).ravel()[0])
    used = 1.0 if np.isnan(deff) else max(1.0, deff)
    n_eff = n / used
    low, high = wilson(share * n_eff, n_eff, confidence) if n else (np.nan, np.nan)
    return {"n": n, "n_clusters": k, "mean_cluster": n / k if k else np.nan, "share": 100 * share, "icc": icc,
            "deff": deff, "n_effective": n_eff, "ci_low": 100 * float(low), "ci_high": 100 * float(high)}
