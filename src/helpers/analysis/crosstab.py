"""Cross-tabulations and chi-square tests of independence (scipy), with p-values that fit sparse tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from helpers.analysis.grouping import group_sizes, text_codes, text_order, with_missing_label
from helpers.analysis.intervals import proportion


@dataclass(frozen=True)
class ChiSquare:
    """Pearson chi-square test of independence on a table of counts, with the p-value that fits the table."""

    statistic: float
    df: int
    #: the p-value quoted: asymptotic, or exact / Monte-Carlo when the table is sparse (``p_method``)
    p_value: float
    n: int
    #: bias-corrected Cramér's V (Bergsma 2013)
    cramers_v: float
    min_expected: float
    share_expected_below_5: float
    #: True when more than 20 % of expected counts are below 5 or any is below 1 (Cochran's rule)
    warning: bool
    #: ``asymptotic`` (chi-square distribution), ``fisher`` (2 x 2 exact) or ``monte_carlo``
    p_method: str = "asymptotic"
    #: the asymptotic p-value, kept for comparison
    p_asymptotic: float = np.nan

    def as_dict(self) -> dict[str, float | int | bool | str]:
        return asdict(self)


#: resamples and seed of the Monte-Carlo p-values (fixed: two runs give the same p)
MONTE_CARLO_RESAMPLES = 9999
MONTE_CARLO_SEED = 20_240_517


def cramers_v_corrected(statistic: float, n: int, rows: int, cols: int) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013): φ² and the table's dimensions corrected for n.

    scipy's ``contingency.association`` gives the uncorrected V, which overstates the association
    in small samples (a table of independent answers of 50 people shows V ≈ 0.2); the correction
    pulls it to 0.

    >>> round(cramers_v_corrected(0.793651, 100, 2, 2), 4)
    0.0
    >>> round(cramers_v_corrected(20.0, 100, 2, 2), 4)
    0.438
    """
    if n <= 1:
        return np.nan
    phi2 = max(0.0, statistic / n - (rows - 1) * (cols - 1) / (n - 1))
    r = rows - (rows - 1) ** 2 / (n - 1)
    k = cols - (cols - 1) ** 2 / (n - 1)
    denom = min(r - 1, k - 1)
    return float(np.sqrt(phi2 / denom)) if denom > 0 else np.nan


def counts(df: pd.DataFrame, row: str, col: str, *, row_order: Sequence[str] | None = None,
           col_order: Sequence[str] | None = None) -> pd.DataFrame:
    """Counts of ``row`` x ``col`` over rows where both are answered (missing categories get 0).

    >>> d = pd.DataFrame({"a": ["x", "y", "x", None], "b": ["u", "u", "v", "v"]})
    >>> counts(d, "a", "b").to_dict()
    {'u': {'x': 1, 'y': 1}, 'v': {'x': 1, 'y': 0}}
    """
    rc, rl = text_codes(df[row])
    cc, cl = text_codes(df[col])
    keys, n = group_sizes([rc, cc], [len(rl), len(cl)])
    if len(n):  # = pd.crosstab on the texts of the answered rows, counted on codes
        r_used, r_pos = _sorted_used(keys[:, 0], rl)
        c_used, c_pos = _sorted_used(keys[:, 1], cl)
        values = np.zeros((len(r_used), len(c_used)), dtype=np.int64)
        values[r_pos[keys[:, 0]], c_pos[keys[:, 1]]] = n
        tab = pd.DataFrame(values, index=pd.Index(rl[r_used], dtype="str", name=row),
                           columns=pd.Index(cl[c_used], dtype="str", name=col))
    else:
        empty = df[[row, col]].iloc[:0].astype("str")
        tab = pd.crosstab(empty[row], empty[col])
    if row_order is not None:
        tab = tab.reindex(index=list(row_order), fill_value=0)
    if col_order is not None:
        tab = tab.reindex(columns=list(col_order), fill_value=0)
    tab.index.name, tab.columns.name = row, col
    return tab.astype("int64")


def _sorted_used(codes: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The codes that occur, ordered by their label, and each code's position in that order."""
    used = np.unique(codes)
    used = used[text_order(labels[used])]
    pos = np.full(len(labels), -1, dtype=np.intp)
    pos[used] = np.arange(len(used))
    return used, pos


def chi_square(table: pd.DataFrame) -> ChiSquare:
    """Pearson chi-square (no continuity correction, ``scipy.stats.chi2_contingency``) with a p-value
    that fits the table.

    Rows and columns with a zero total are dropped first (they carry no information). When more than
    a fifth of the expected counts are below 5 (or one is below 1) the asymptotic p-value is not
    trusted: a 2 x 2 table gets Fisher's exact p (``scipy.stats.fisher_exact``), a larger one a
    Monte-Carlo p (``MonteCarloMethod``, 9 999 tables with the same margins, fixed seed).

    Examples
    --------
    >>> r = chi_square(pd.DataFrame([[10, 20], [30, 40]]))
    >>> round(r.statistic, 6), r.df, r.p_method
    (0.793651, 1, 'asymptotic')
    >>> chi_square(pd.DataFrame([[1, 2], [3, 1]])).p_method
    'fisher'
    """
    from scipy import stats

    values = np.asarray(table, dtype=float)
    values = values[values.sum(axis=1) > 0][:, values.sum(axis=0) > 0]
    n = int(values.sum())
    if values.shape[0] < 2 or values.shape[1] < 2:
        return ChiSquare(np.nan, 0, np.nan, n, np.nan, np.nan, np.nan, True, "none", np.nan)
    res = stats.chi2_contingency(values, correction=False)
    expected = res.expected_freq
    below5 = float((expected < 5).mean())
    sparse = bool(below5 > 0.2 or expected.min() < 1)
    p, method = float(res.pvalue), "asymptotic"
    if sparse and values.shape == (2, 2):
        p, method = float(stats.fisher_exact(values.astype(int)).pvalue), "fisher"
    elif sparse:
        mc = stats.MonteCarloMethod(n_resamples=MONTE_CARLO_RESAMPLES, rng=np.random.default_rng(MONTE_CARLO_SEED))
        p, method = float(stats.chi2_contingency(values.astype(int), correction=False, method=mc).pvalue), "monte_carlo"
    return ChiSquare(
        statistic=float(res.statistic), df=int(res.dof), p_value=p, n=n,
        cramers_v=cramers_v_corrected(float(res.statistic), n, *values.shape),
        min_expected=float(expected.min()), share_expected_below_5=below5, warning=sparse,
        p_method=method, p_asymptotic=float(res.pvalue),
    )


def breakdown(df: pd.DataFrame, by: str, flag: str, *, order: Sequence[str] | None = None,
              confidence: float = 0.95, method: str = "wilson") -> pd.DataFrame:
    """Share of ``flag`` (boolean, NA = not answered) within each category of ``by``, with intervals.

    Returns columns ``level, x, n, pct, ci_low, ci_high`` (levels in ``order`` or by n descending;
    a level ``NONRESPONSE`` counts respondents whose ``by`` is missing).
    """
    flags = df[flag]
    answered = flags.notna().to_numpy()
    yes = flags.to_numpy(dtype=bool, na_value=False)[answered]
    codes, labels = text_codes(df[by])
    codes, labels = with_missing_label(codes[answered], labels, "NONRESPONSE")
    both = np.bincount(2 * codes + yes, minlength=2 * len(labels)).reshape(-1, 2)  # [no, yes] per level
    n_all, x_all = both.sum(axis=1), both[:, 1]
    used = np.flatnonzero(n_all)
    used = used[text_order(labels[used])]
    out = pd.DataFrame({"level": pd.Index(labels[used], dtype="str"), "x": x_all[used].astype("int64"),
                        "n": n_all[used].astype("int64")})
    if order is not None:
        levels = list(order) + (["NONRESPONSE"] if "NONRESPONSE" in out["level"].tolist() else [])
        out = out.set_index("level").reindex(levels, fill_value=0).reset_index()
    else:
        out = out.sort_values(["n", "level"], ascending=[False, True], kind="stable")
    est = proportion(out["x"].to_numpy(), out["n"].to_numpy(), confidence, method)
    for k, v in est.items():
        out[k] = v
    return out.reset_index(drop=True).astype({"level": "str"})


def group_tests(df: pd.DataFrame, group: str, columns: Sequence[str], *, exclude: Sequence[str] = (),
                mask: pd.Series | None = None) -> pd.DataFrame:
    """Chi-square of ``group`` x each column (one test per column), with Holm-adjusted p-values.

    Parameters
    ----------
    columns : answer columns (option codes, or bools for multi-select options).
    exclude : answer codes left out of the test (e.g. "dont_know", kept apart from the scale).
    mask : rows to use (e.g. those who answered a multi-select question).

    Returns
    -------
    Frame ``column, n, statistic, df, p_value, p_holm, cramers_v, min_expected,
    share_expected_below_5, warning, p_method, p_asymptotic``.
    """
    sub = df if mask is None else df[mask.to_numpy()]
    rows = []
    for col in columns:
        vals = sub[col]
        keep = vals.notna() & sub[group].notna() & ~vals.astype("str").isin(list(exclude))
        part = sub.loc[keep, [group, col]].astype({col: "str"})
        res = chi_square(counts(part, group, col)) if len(part) else chi_square(pd.DataFrame())
        rows.append({"column": col, **res.as_dict()})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p_value"])
    cols = ["column", "n", "statistic", "df", "p_value", "p_holm", "cramers_v", "min_expected",
            "share_expected_below_5", "warning", "p_method", "p_asymptotic"]
    return out[cols].astype({"column": "str"})


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm-adjusted p-values (``statsmodels`` ``multipletests``) of one family of tests — all the
    tests of an aspect; a missing p stays missing.

    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(3).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype=float)
    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out


def verdict(p_holm: Sequence[float], alpha: float) -> str:
    """Which sentence a text may say about a family of tests: ``differ`` when an adjusted p is below
    ``alpha``, else ``no_difference`` (a difference is claimed only when a test supports it).

    >>> verdict([0.2, 0.04], 0.05), verdict([0.2, float("nan")], 0.05)
    ('differ', 'no_difference')
    """
    p = np.asarray(p_holm, dtype=float)
    return "differ" if bool((p[~np.isnan(p)] < alpha).any()) else "no_difference"


def ordinal_group_tests(df: pd.DataFrame, group: str, columns: Sequence[str], scale: Sequence[str]) -> pd.DataFrame:
    """Kruskal–Wallis test (``scipy.stats.kruskal``, ties corrected) of the position on an ordered scale
    between groups, one test per Likert item, with Holm-adjusted p-values across the items.

    The answers are ranked by their place on ``scale`` ("don't know" and skipped answers are not on
    the scale and are left out). The effect size is ε² = H / (n − 1).

    Returns ``column, n, statistic, df, p_value, p_holm, epsilon2, p_method`` (``kruskal``).

    >>> d = pd.DataFrame({"g": list("aaaabbbb"), "q": ["hi", "hi", "hi", "lo", "lo", "lo", "lo", "hi"]})
    >>> t = ordinal_group_tests(d, "g", ["q"], ["hi", "lo"])
    >>> t[["n", "df"]].to_dict("records"), round(float(t["statistic"].iloc[0]), 3)
    ([{'n': 8, 'df': 1}], 1.75)
    """
    from scipy import stats

    rank = {c: i + 1 for i, c in enumerate(scale)}
    groups = sorted(df[group].dropna().astype("str").unique().tolist())
    g = df[group].astype("str")
    rows = []
    for col in columns:
        pos = df[col].astype("str").map(rank)
        samples = [pos[(g == grp) & pos.notna()].to_numpy(dtype=float) for grp in groups]
        samples = [x for x in samples if len(x)]
        n = int(sum(len(x) for x in samples))
        if len(samples) < 2 or len(np.unique(np.concatenate(samples))) < 2:
            rows.append({"column": col, "n": n, "statistic": np.nan, "df": 0, "p_value": np.nan, "epsilon2": np.nan})
            continue
        h, p = stats.kruskal(*samples)
        rows.append({"column": col, "n": n, "statistic": float(h), "df": len(samples) - 1, "p_value": float(p),
                     "epsilon2": float(h) / (n - 1)})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p_value"])
    out["p_method"] = "kruskal"
    return out[["column", "n", "statistic", "df", "p_value", "p_holm", "epsilon2", "p_method"]].astype({"column": "str"})
