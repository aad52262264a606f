"""Cross-tabulations and chi-square tests of independence (statsmodels), with expected-count checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.contingency_tables import Table

from helpers.analysis.grouping import group_sizes, text_codes, text_order, with_missing_label
from helpers.analysis.intervals import proportion


@dataclass(frozen=True)
class ChiSquare:
    """Pearson chi-square test of independence on a table of counts."""

    statistic: float
    df: int
    p_value: float
    n: int
    cramers_v: float
    min_expected: float
    share_expected_below_5: float
    #: True when more than 20 % of expected counts are below 5 or any is below 1 (Cochran's rule)
    warning: bool

    def as_dict(self) -> dict[str, float | int | bool]:
        return asdict(self)


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
    """Pearson chi-square (no continuity correction) via ``statsmodels`` ``Table``.

    Rows and columns with a zero total are dropped first (they carry no information).

    Examples
    --------
    >>> r = chi_square(pd.DataFrame([[10, 20], [30, 40]]))
    >>> round(r.statistic, 6), r.df
    (0.793651, 1)
    """
    values = np.asarray(table, dtype=float)
    values = values[values.sum(axis=1) > 0][:, values.sum(axis=0) > 0]
    n = int(values.sum())
    if values.shape[0] < 2 or values.shape[1] < 2:
        return ChiSquare(np.nan, 0, np.nan, n, np.nan, np.nan, np.nan, True)
    tab = Table(values, shift_zeros=False)
    res = tab.test_nominal_association()
    expected = tab.fittedvalues
    k = min(values.shape) - 1
    v = float(np.sqrt(res.statistic / (n * k))) if n and k else np.nan
    below5 = float((expected < 5).mean())
    return ChiSquare(
        statistic=float(res.statistic), df=int(res.df), p_value=float(res.pvalue), n=n, cramers_v=v,
        min_expected=float(expected.min()), share_expected_below_5=below5,
        warning=bool(below5 > 0.2 or expected.min() < 1),
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
    share_expected_below_5, warning``.
    """
    from statsmodels.stats.multitest import multipletests

    sub = df if mask is None else df[mask.to_numpy()]
    rows = []
    for col in columns:
        vals = sub[col]
        keep = vals.notna() & sub[group].notna() & ~vals.astype("str").isin(list(exclude))
        part = sub.loc[keep, [group, col]].astype({col: "str"})
        res = chi_square(counts(part, group, col)) if len(part) else chi_square(pd.DataFrame())
        rows.append({"column": col, **res.as_dict()})
    out = pd.DataFrame(rows)
    out["p_holm"] = np.nan
    ok = out["p_value"].notna()
    if ok.any():
        out.loc[ok, "p_holm"] = multipletests(out.loc[ok, "p_value"].to_numpy(), method="holm")[1]
    cols = ["column", "n", "statistic", "df", "p_value", "p_holm", "cramers_v", "min_expected",
            "share_expected_below_5", "warning"]
    return out[cols].astype({"column": "str"})
