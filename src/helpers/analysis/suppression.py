"""Small-cell suppression of published counts: primary and secondary (complementary).

Primary: a count with ``0 < n < threshold`` is hidden and shown as ``"<threshold"``.
Secondary: a row or column whose total is published and which holds exactly one hidden cell
would let a reader recover that cell by subtraction, so the smallest other cell of that row or
column is hidden too (repeated until no line has a single hidden cell). Zeros are not primary
suppressed (nothing to disclose); they are chosen as secondary cells only when no non-zero
candidate is left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.figures import format_number


def suppression_mask(counts: pd.DataFrame | pd.Series, threshold: int, *, row_totals: bool = True,
                     col_totals: bool = True) -> pd.DataFrame | pd.Series:
    """Which cells to hide (True), primary and secondary, for a table of counts without totals.

    Parameters
    ----------
    counts : DataFrame (rows x columns) or Series (one column) of non-negative counts.
    threshold : cells below it (and above 0) are primary-suppressed.
    row_totals, col_totals : whether row sums / column sums are published (then lines with a
        single hidden cell get a secondary one). A Series is a single column with its total.

    Examples
    --------
    >>> suppression_mask(pd.Series([10, 3, 7, 20]), 5).tolist()
    [False, True, True, False]
    """
    if isinstance(counts, pd.Series):
        mask = suppression_mask(counts.to_frame(), threshold, row_totals=False, col_totals=col_totals)
        return mask.iloc[:, 0]
    values = counts.to_numpy(dtype=float)
    if np.any(values < 0):
        raise ValueError("counts must be non-negative")
    hide = (values > 0) & (values < threshold)
    axes = ([1] if row_totals else []) + ([0] if col_totals else [])
    changed = True
    while changed:
        changed = False
        for axis in axes:
            lines = hide.shape[0] if axis == 1 else hide.shape[1]
            for i in range(lines):
                line_hide = hide[i, :] if axis == 1 else hide[:, i]
                line_val = values[i, :] if axis == 1 else values[:, i]
                if line_hide.sum() != 1 or len(line_hide) < 2:
                    continue
                # candidates: visible cells, non-zero first, then smallest
                cand = np.where(~line_hide)[0]
                key = np.lexsort((cand, line_val[cand], line_val[cand] == 0))
                j = cand[key[0]]
                if axis == 1:
                    hide[i, j] = True
                else:
                    hide[j, i] = True
                changed = True
    return pd.DataFrame(hide, index=counts.index, columns=counts.columns)


def display_counts(counts: pd.DataFrame | pd.Series, threshold: int, *, total_label: str = "Итого",
                   row_totals: bool = True, col_totals: bool = True) -> pd.DataFrame:
    """Counts as display strings with suppression applied and totals added.

    A total below the threshold is hidden as well (it would disclose the small group).

    Examples
    --------
    >>> display_counts(pd.Series([10, 3, 7, 20], index=list("abcd"), name="n"), 5)["n"].tolist()
    ['10', '<5', '<5', '20', '40']
    """
    series = isinstance(counts, pd.Series)
    frame = counts.to_frame() if series else counts.copy()
    mask = suppression_mask(frame, threshold, row_totals=row_totals and not series, col_totals=col_totals)
    hidden = f"<{threshold}"
    out = frame.astype("int64").map(lambda v: format_number(v)).where(~mask, hidden).astype("str")

    def _tot(v: int) -> str:
        return hidden if 0 < v < threshold else format_number(v)

    if row_totals and not series:
        out[total_label] = [_tot(int(v)) for v in frame.sum(axis=1)]
    if col_totals:
        tot = [_tot(int(v)) for v in frame.sum(axis=0)]
        if row_totals and not series:
            tot.append(_tot(int(frame.to_numpy().sum())))
        out.loc[total_label] = tot
    return out


def suppress_freq(table: pd.DataFrame, threshold: int, *, secondary: bool = True, decimals: int = 1) -> pd.DataFrame:
    """A frequency table (``helpers.analysis.tables``) as display strings with small cells hidden.

    ``n`` below the threshold becomes ``"<threshold"`` and its ``pct``/``ci`` become "—" (so the
    count cannot be recovered from the share and the base). With ``secondary`` (single-choice
    tables, whose option counts add up to the published base), one more option is hidden when
    only one would be. Multi-select tables pass ``secondary=False``: each option is its own
    yes/no count over the base, and the "no" count is not published. The non-response row
    follows the same rule.

    Examples
    --------
    >>> t = pd.DataFrame({"code": ["a", "b", "c"], "n": [10, 3, 7], "base": [20, 20, 20],
    ...                   "pct": [50.0, 15.0, 35.0], "ci_low": [29.9, 5.2, 18.1], "ci_high": [70.1, 36.0, 56.7]})
    >>> suppress_freq(t, 5)[["n", "pct"]].to_dict("list")
    {'n': ['10', '<5', '<5'], 'pct': ['50,0', '—', '—']}
    """
    from helpers.analysis.tables import NONRESPONSE

    opts = table["code"] != NONRESPONSE
    n = table["n"].astype("int64")
    mask = pd.Series(False, index=table.index)
    if secondary:
        mask[opts] = suppression_mask(n[opts], threshold, col_totals=True).to_numpy()
    else:
        mask[opts] = ((n[opts] > 0) & (n[opts] < threshold)).to_numpy()
    mask[~opts] = ((n[~opts] > 0) & (n[~opts] < threshold)).to_numpy()
    out = table.copy()
    hidden = f"<{threshold}"
    out["n"] = [hidden if m else format_number(v) for v, m in zip(n, mask)]
    out["base"] = [hidden if 0 < v < threshold else format_number(v) for v in table["base"].astype("int64")]
    for col in [c for c in ("pct", "ci_low", "ci_high", "pct_responses") if c in table.columns]:
        out[col] = ["—" if (m or pd.isna(v)) else format_number(v, decimals) for v, m in zip(table[col], mask)]
    return out.astype({c: "str" for c in out.columns if c not in table.columns or c in ("n", "base", "pct", "ci_low", "ci_high", "pct_responses")})
