"""Statistical disclosure control of every published table and chart: one rule, applied once, checked by attack.

**Primary rule.** A count of respondents with ``0 < n < threshold`` (parameter
``analysis.suppression_threshold``) is hidden, and so is every published sum (a base, a margin)
in that range, with its cells. Zeros are shown as 0: hiding them would imply respondents who do not
exist. A share with its base is a count (the base times the share), so a hidden cell hides its share
and interval too, and a cell whose complement is small (the "no" of a multi-select option, the "not
ready" of a region) is hidden like the small cell itself.

**Secondary rule.** A hidden cell must not be recoverable from what is published. Each table is a
set of integer cells and of published sums of cells (bases, margins, totals, the total of ticks
behind "% of responses"); :func:`bounds` solves, as an attacker would, for the smallest and largest
value of every hidden cell given the visible cells and the published sums (integer programming,
``scipy.optimize.milp``; a hidden cell is known to be at least 1 because zeros are shown). While a
hidden cell is pinned to one value, the smallest non-zero visible cell of the sum that pins it is
hidden as well (:func:`protect`).

The layouts (:func:`one_way`, :func:`breakdown`, :func:`likert_items`, :func:`likert_groups`,
:func:`multi_by_group`) say which cells and sums a published table (or the data of a chart) holds,
and return the table with ``NaN`` in every hidden count, share and interval, and a ``hidden``
column. Displays (``helpers.analysis.present``) and charts use only these: a hidden cell is shown as
the ``hidden_mark`` of the report texts and is not drawn. The unsuppressed tables stay in
``data/processed`` (``out_*``).

Item non-response of a one-way table (the count of those who skipped the question) is published
as it is: it equals the respondents minus the base of the table, both of which are published, so it
cannot be hidden without hiding the base of every share; it tells nothing about what anybody
answered. Crossed with an answer (a characteristic not stated × ready) it is a cell like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

NONRESPONSE = "NONRESPONSE"
TOTAL = "TOTAL"


@dataclass(frozen=True)
class Protection:
    """Which cells are hidden, and which sums are published, for cells ``values`` and sums ``sums``."""

    values: np.ndarray
    sums: tuple[np.ndarray, ...]
    hidden: np.ndarray
    published: np.ndarray


def _system(values: np.ndarray, sums: Sequence[np.ndarray], hidden: np.ndarray, published: np.ndarray,
            in_units: frozenset[int] = frozenset()):
    """The attacker's integer program: hidden cells >= 1 (>= 0 in ``in_units``), each published sum equal
    to its total, and a sum that is not published but not zero (a category's size shown as hidden, never
    as 0) at least 1."""
    idx = np.flatnonzero(hidden)
    pos = {int(c): i for i, c in enumerate(idx)}
    rows, lo, hi = [], [], []
    for s, pub in zip(sums, published):
        if not hidden[s].any() or (not pub and values[s].sum() == 0):
            continue
        row = np.zeros(len(idx))
        for c in s[hidden[s]]:
            row[pos[int(c)]] += 1
        rows.append(row)
        if pub:
            lo.append(values[s][hidden[s]].sum())
            hi.append(values[s][hidden[s]].sum())
        else:
            lo.append(max(0, 1 - values[s][~hidden[s]].sum()))
            hi.append(np.inf)
    cons = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
    # a hidden cell shown on its own is at least 1 (zeros are shown); a cell of a display unit (a row's
    # share stands for its two counts) may be hidden with its partner, so it is only at least 0
    lower = np.where(np.isin(idx, np.asarray(list(in_units), dtype=int)), 0.0, 1.0)
    return idx, pos, cons, Bounds(lower, np.full(len(idx), np.inf))


def _extremes(values: np.ndarray, sums: Sequence[np.ndarray], hidden: np.ndarray, published: np.ndarray,
              target: Sequence[int], system=None, in_units: frozenset[int] = frozenset()) -> tuple[float, float]:
    """Smallest and largest value of the total of the cells ``target`` an attacker can infer."""
    idx, pos, cons, box = system or _system(values, sums, hidden, published, in_units)
    target = np.asarray(target, dtype=int)
    known = float(values[target][~hidden[target]].sum())
    goal = np.zeros(len(idx))
    for c in target[hidden[target]]:
        goal[pos[int(c)]] += 1
    if not goal.any():
        return known, known
    ends = []
    for sign in (1.0, -1.0):
        res = milp(sign * goal, constraints=cons, integrality=np.ones(len(idx)), bounds=box)
        if res.status == 0:
            ends.append(known + round(sign * res.fun))
        elif sign < 0:  # the minimum exists, so the maximum is unbounded: no published sum bounds it
            ends.append(np.inf)
        else:
            raise ValueError(f"disclosure bounds: infeasible table ({res.message})")
    return ends[0], ends[1]


def bounds(values: Sequence[int], sums: Sequence[Sequence[int]], hidden: Sequence[bool],
           published: Sequence[bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest integer value of each hidden cell given the visible cells and the published sums.

    ``sums`` are index lists of cells whose total is published (``published`` says which, default
    all). Hidden cells are at least 1 (zeros are shown). Visible cells get their own value as both
    bounds; a hidden cell in no published sum has no upper bound (``inf``).

    >>> lo, hi = bounds([10, 3, 7], [[0, 1, 2]], [False, True, True])
    >>> lo.tolist(), hi.tolist()
    ([10.0, 1.0, 1.0], [10.0, 9.0, 9.0])
    >>> lo, hi = bounds([10, 1, 1], [[0, 1, 2]], [False, True, True])  # two hidden ones: both pinned to 1
    >>> lo.tolist(), hi.tolist()
    ([10.0, 1.0, 1.0], [10.0, 1.0, 1.0])
    """
    values = np.asarray(values, dtype=np.int64)
    hidden = np.asarray(hidden, dtype=bool)
    sums = [np.asarray(s, dtype=int) for s in sums]
    published = np.ones(len(sums), dtype=bool) if published is None else np.asarray(published, dtype=bool)
    lo, hi = values.astype(float), values.astype(float)
    system = _system(values, sums, hidden, published)
    for c in np.flatnonzero(hidden):
        lo[c], hi[c] = _extremes(values, sums, hidden, published, [c], system)
    return lo, hi


def protect(values: Sequence[int], sums: Sequence[Sequence[int]], threshold: int, *, secondary: bool = True,
            together: Sequence[Sequence[int]] = (), hideable: Sequence[int] = (), keep_published: Sequence[int] = (),
            units: Sequence[Sequence[int]] = ()) -> Protection:
    """Primary and secondary suppression of integer cells whose ``sums`` (index lists) are published.

    Primary: cells with ``0 < value < threshold``; a sum in that range is not published and its
    cells are hidden. ``together`` lists groups of sums (by position) that are published together or
    not at all (a count and its complement within a published base: when one is small, neither is
    published). Secondary (``secondary=True``): while a hidden cell, or the total of a sum that is not
    published, is pinned to one value by what is published, one more cell is hidden, or one more sum
    of ``hideable`` (positions: a category's size) is not published, with its cells hidden
    (:func:`_secondary_choice`). ``keep_published`` (positions) are sums published whatever their size
    (a total the report states elsewhere); ``units`` are groups of cells shown or hidden together (a
    row's share stands for both of its counts: hiding it hides a zero count too).

    >>> p = protect([10, 3, 7, 20], [[0, 1, 2, 3]], 5)
    >>> p.hidden.tolist()
    [False, True, True, False]
    >>> protect([10, 3, 7, 20], [[0, 1, 2, 3]], 5, secondary=False).hidden.tolist()
    [False, True, False, False]
    >>> protect([0, 4, 9, 30], [[0, 1, 2, 3]], 5).hidden.tolist()  # a zero is shown, never hidden
    [False, True, True, False]
    """
    values = np.asarray(values, dtype=np.int64)
    if np.any(values < 0):
        raise ValueError("counts must be non-negative")
    sums = tuple(np.asarray(s, dtype=int) for s in sums)
    units = [np.asarray(u, dtype=int) for u in units]
    hidden, published = _primary(values, sums, threshold, together, keep_published)
    _hide_units(hidden, units)
    if secondary:
        _secondary(values, sums, hidden, published, hideable, units)
    return Protection(values, sums, hidden, published)


def _primary(values: np.ndarray, sums: tuple[np.ndarray, ...], threshold: int, together: Sequence[Sequence[int]],
             keep_published: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The primary rule: (hidden cells, published sums). A small cell is hidden; a small sum is not
    published (unless kept) and its non-zero cells are hidden; a group of ``together`` is published
    only if all of it is."""
    hidden = (values > 0) & (values < threshold)
    keep = {int(j) for j in keep_published}
    published = np.array([j in keep or not (0 < values[s].sum() < threshold) for j, s in enumerate(sums)], dtype=bool)
    for s, pub in zip(sums, published):
        if not pub:
            hidden[s[values[s] > 0]] = True
    for group in together:
        if not published[list(group)].all():
            published[list(group)] = False
    return hidden, published


def _hide_units(hidden: np.ndarray, units: Sequence[np.ndarray]) -> None:
    """A display unit with a hidden cell is hidden whole (in place)."""
    for u in units:
        if hidden[u].any():
            hidden[u] = True


def _apply(kind: str, j: Any, values: np.ndarray, sums: tuple[np.ndarray, ...], hidden: np.ndarray,
           published: np.ndarray) -> None:
    """Hide the cells ``j`` (``kind == "cells"``), or stop publishing the sum ``j`` and hide its non-zero cells (in place)."""
    if kind == "cells":
        hidden[list(j)] = True
    else:
        published[j] = False
        hidden[sums[j][values[sums[j]] > 0]] = True


def _first_pinned(values: np.ndarray, sums: tuple[np.ndarray, ...], hidden: np.ndarray, published: np.ndarray,
                  targets: Sequence[Sequence[int]], in_units: frozenset[int]) -> list[int] | None:
    """The first of ``targets`` (cell index lists) whose total an attacker pins to one value, or None."""
    system = _system(values, sums, hidden, published, in_units)
    for t in targets:
        lo, hi = _extremes(values, sums, hidden, published, t, system, in_units)
        if lo == hi:
            return list(t)
    return None


def _secondary(values: np.ndarray, sums: tuple[np.ndarray, ...], hidden: np.ndarray, published: np.ndarray,
               hideable: Sequence[int], units: Sequence[np.ndarray]) -> None:
    """The secondary rule (in place): while a hidden cell or the total of an unpublished sum is pinned,
    hide what :func:`_secondary_choice` chooses."""
    in_units = frozenset(int(c) for u in units for c in u)
    protected_sums = [s for s, pub in zip(sums, published) if not pub and values[s].sum() > 0]
    while True:
        targets = [[int(c)] for c in np.flatnonzero(hidden)] + [list(s) for s in protected_sums]
        target = _first_pinned(values, sums, hidden, published, targets, in_units)
        if target is None:
            return
        choice = _secondary_choice(target, values, sums, hidden, published, hideable, units)
        if choice is None:
            raise ValueError(f"disclosure: no visible non-zero cell can protect cells {target} (total {values[target].sum()})")
        _apply(*choice, values, sums, hidden, published)
        if choice[0] == "sum":
            protected_sums.append(sums[choice[1]])
        _hide_units(hidden, units)


def _linked_cells(target: Sequence[int], values: np.ndarray, lines: Sequence[np.ndarray],
                  hidden: np.ndarray) -> tuple[list[int], set[int]]:
    """The non-zero visible cells of the published sums (``lines``) through the target's cells, then
    through the hidden cells linked to them (nearest first, smallest first); and every cell those sums touch."""
    seen = {int(c) for c in target}
    frontier, order, touched = sorted(seen), [], set()
    while frontier:
        through = [s for s in lines if np.isin(s, frontier).any()]
        touched |= {int(c) for s in through for c in s}
        cand = sorted({int(c) for s in through for c in s[~hidden[s] & (values[s] > 0)]} - set(order) - seen,
                      key=lambda c: (values[c], c))
        order += cand
        nxt = {int(c) for s in through for c in s[hidden[s]]} - seen
        seen |= nxt
        frontier = sorted(nxt)
    return order, touched


def _cell_options(order: Sequence[int], values: np.ndarray, unit_of: dict[int, tuple[int, ...]]) -> list[tuple[str, Any]]:
    """Candidate cells as options ``("cells", [cells of its display unit])``, smallest unit first, each unit once."""
    options, seen_units = [], set()
    for c in sorted(set(order), key=lambda c: (values[list(unit_of.get(c, (c,)))].sum(), c)):
        cells = unit_of.get(c, (c,))
        if cells not in seen_units:
            seen_units.add(cells)
            options.append(("cells", list(cells)))
    return options


def _unit_candidates(units: Sequence[np.ndarray], values: np.ndarray, hidden: np.ndarray, touched: set[int]) -> list[int]:
    """A visible, non-zero display unit touched by the sums through the target is a candidate through its
    largest cell (a unit with a hidden cell is hidden whole already)."""
    return [int(u[np.argmax(values[u])]) for u in units
            if not hidden[u].any() and np.isin(u, list(touched)).any() and values[u].sum() > 0]


def _sum_options(hideable: Sequence[int], values: np.ndarray, sums: tuple[np.ndarray, ...], published: np.ndarray,
                 touched: set[int]) -> list[tuple[str, Any]]:
    """The published ``hideable`` sums sharing a cell with the sums through the target, smallest first."""
    return sorted((("sum", int(j)) for j in hideable if published[j] and np.isin(sums[j], list(touched)).any()),
                  key=lambda o: (values[sums[o[1]]].sum(), o[1]))


def _frees(target: Sequence[int], option: tuple[str, Any], values: np.ndarray, sums: tuple[np.ndarray, ...],
           hidden: np.ndarray, published: np.ndarray, in_units: frozenset[int]) -> bool:
    """Whether taking ``option`` leaves the target's total with more than one possible value."""
    trial, pub = hidden.copy(), published.copy()
    _apply(*option, values, sums, trial, pub)
    lo, hi = _extremes(values, sums, trial, pub, target, in_units=in_units)
    return lo != hi


def _fallback(target: Sequence[int], lines: Sequence[np.ndarray], values: np.ndarray, hidden: np.ndarray,
              unit_of: dict[int, tuple[int, ...]]) -> tuple[str, Any] | None:
    """The smallest visible non-zero cell of the published sum through the target with the fewest hidden cells."""
    for s in sorted((s for s in lines if np.isin(s, target).any()), key=lambda s: int(hidden[s].sum())):
        cand = s[~hidden[s] & (values[s] > 0)]
        if len(cand):
            c = int(cand[np.lexsort((cand, values[cand]))[0]])
            return "cells", list(unit_of.get(c, (c,)))
    return None


def _secondary_choice(target: Sequence[int], values: np.ndarray, sums: tuple[np.ndarray, ...], hidden: np.ndarray,
                      published: np.ndarray, hideable: Sequence[int] = (),
                      units: Sequence[np.ndarray] = ()) -> tuple[str, Any] | None:
    """What to hide next to protect the total of the cells ``target`` (one hidden cell, or a sum that is
    not published): ``("cells", [i, ...])`` (a cell, or the display unit it belongs to) or ``("sum", j)``.

    Candidates: the non-zero visible cells of the published sums through the target's cells, then
    through the hidden cells linked to them (nearest first, smallest first), then the published
    ``hideable`` sums sharing a cell with those sums (smallest first). The first candidate whose hiding
    leaves the target with more than one possible value is chosen; failing that, the smallest visible
    cell of the published sum through the target with the fewest hidden cells."""
    lines = [s for s, pub in zip(sums, published) if pub]
    order, touched = _linked_cells(target, values, lines, hidden)
    unit_of = {int(c): tuple(int(x) for x in u) for u in units for c in u}
    options = _cell_options(order + _unit_candidates(units, values, hidden, touched), values, unit_of)
    options += _sum_options(hideable, values, sums, published, touched)
    for option in options:
        if _frees(target, option, values, sums, hidden, published, frozenset(unit_of)):
            return option
    return _fallback(target, lines, values, hidden, unit_of) or (options[0] if options else None)


def _nan_where(out: pd.DataFrame, mask: np.ndarray, columns: Sequence[str]) -> None:
    for c in columns:
        if c in out.columns:
            out[c] = out[c].astype("float64").where(~mask)


def one_way(table: pd.DataFrame, threshold: int, *, secondary: bool = True) -> pd.DataFrame:
    """A frequency table (``helpers.analysis.tables``) as published: hidden rows have ``NaN`` counts and shares.

    Single choice: the option counts add up to the base. Multi-select (a ``pct_responses`` column):
    each option is a "ticked" and a "not ticked" cell adding up to the base, and the ticks add up to
    the total behind "% of responses". The non-response row is published as it is (see the module
    docstring), with no share: the shares are of those who answered. Adds ``hidden`` (bool).

    >>> t = pd.DataFrame({"code": ["a", "b", "c", "NONRESPONSE"], "n": [10, 3, 7, 2], "base": [20, 20, 20, 22],
    ...                   "pct": [50.0, 15.0, 35.0, 9.1], "ci_low": [29.9, 5.2, 18.1, None], "ci_high": [70.1, 36.0, 56.7, None]})
    >>> one_way(t, 5)[["n", "pct", "hidden"]].to_dict("list")
    {'n': [10.0, nan, nan, 2.0], 'pct': [50.0, nan, nan, nan], 'hidden': [False, True, True, False]}
    """
    opts = (table["code"] != NONRESPONSE).to_numpy()
    n = table["n"].to_numpy(dtype=np.int64)
    m = int(opts.sum())
    pos = np.flatnonzero(opts)
    if "pct_responses" in table.columns:
        base = int(table.loc[opts, "base"].iloc[0]) if m else 0
        values = np.r_[n[pos], base - n[pos]]
        sums = [[i, m + i] for i in range(m)] + [list(range(m))]
        prot = protect(values, sums, threshold, secondary=secondary)
        hide_opt = prot.hidden[:m] | prot.hidden[m:]
    else:
        prot = protect(n[pos], [list(range(m))], threshold, secondary=secondary)
        hide_opt = prot.hidden
    hide = np.zeros(len(table), dtype=bool)
    hide[pos] = hide_opt
    out = table.copy()
    _nan_where(out, hide, ["n", "pct", "ci_low", "ci_high", "pct_responses"])
    for c in ("pct", "ci_low", "ci_high", "pct_responses"):
        if c in out.columns:
            out.loc[~opts, c] = np.nan
    out["hidden"] = hide
    return out


def breakdown(table: pd.DataFrame, threshold: int, *, secondary: bool = True, totals_published: bool = False) -> pd.DataFrame:
    """A share-by-level table (``crosstab.breakdown``: ``level, x, n, pct, ci_low, ci_high``) as published.

    Cells: yes and no of every level; published sums: each level's n, and the totals of yes and
    of no (a ``TOTAL`` row is appended: the whole base and its share). A level whose n is below the
    threshold has its n hidden (and another level's n when the hidden one could be found from the
    total); a level with a small yes or no has its share hidden (its share stands for both counts:
    hiding it hides a zero too). ``totals_published``: the totals of yes and no are stated elsewhere
    whatever their size (the report's own total). Adds
    ``hidden_n`` and ``hidden`` (share hidden).

    >>> t = pd.DataFrame({"level": ["a", "b", "c"], "x": [20, 9, 12], "n": [22, 10, 20],
    ...                   "pct": [90.9, 90.0, 60.0], "ci_low": [1.0, 1.0, 1.0], "ci_high": [2.0, 2.0, 2.0]})
    >>> b = breakdown(t, 5)
    >>> b["level"].tolist(), b["n"].tolist(), b["hidden"].tolist(), round(float(b["pct"].iloc[-1]), 1)
    (['a', 'b', 'c', 'TOTAL'], [22.0, 10.0, 20.0, 52.0], [True, True, False, False], 78.8)
    """
    x = table["x"].to_numpy(dtype=np.int64)
    n = table["n"].to_numpy(dtype=np.int64)
    k = len(table)
    values = np.r_[x, n - x]
    sums = [[i, k + i] for i in range(k)] + [list(range(k)), list(range(k, 2 * k))]
    prot = protect(values, sums, threshold, secondary=secondary, together=[] if totals_published else [[k, k + 1]],
                   hideable=range(k), keep_published=[k, k + 1] if totals_published else [],
                   units=[[i, k + i] for i in range(k)])
    hide = prot.hidden[:k] | prot.hidden[k:]
    hide_n = ~prot.published[:k]
    hide_total = not prot.published[k]
    out = table.copy()
    _nan_where(out, hide, ["x", "pct", "ci_low", "ci_high"])
    _nan_where(out, hide_n, ["n"])
    total = {"level": TOTAL, "x": np.nan if hide_total else float(x.sum()), "n": float(n.sum()),
             "pct": 100 * x.sum() / n.sum() if n.sum() and not hide_total else np.nan, "ci_low": np.nan, "ci_high": np.nan}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["hidden"] = np.r_[hide, hide_total]
    out["hidden_n"] = np.r_[hide_n, False]
    return out


def likert_items(lik: pd.DataFrame, scale: Sequence[str], threshold: int, *, dont_know_col: str = "n_dont_know",
                 secondary: bool = True) -> pd.DataFrame:
    """A Likert table of all respondents (``likert.likert_table``, one group) as drawn: per item the scale
    codes and "don't know" are cells; their total, the base of the shares (all who answered the item),
    is published. Hidden cells get ``pct`` = NaN and, for
    "don't know", ``pct_dont_know`` = NaN; adds ``hidden``."""
    out = []
    for _, part in lik.groupby(["group", "item"], sort=False):
        part = part.set_index("code").reindex(list(scale)).reset_index()
        n = part["n"].to_numpy(dtype=np.int64)
        dk = int(part[dont_know_col].iloc[0])
        m = len(scale)
        values = np.r_[n, dk]
        sums = [list(range(m + 1))]
        prot = protect(values, sums, threshold, secondary=secondary)
        part = part.copy()
        _nan_where(part, prot.hidden[:m], ["pct"])
        if prot.hidden[m]:
            part["pct_dont_know"] = np.nan
        part["hidden"] = prot.hidden[:m]
        part["hidden_dk"] = bool(prot.hidden[m])
        out.append(part)
    return pd.concat(out, ignore_index=True)


def _agree_rest_dont_know(part: pd.DataFrame, groups: Sequence[str], agree: Sequence[str]) -> np.ndarray:
    """Per group (rows) the counts agree, the rest of the scale, and "don't know" of one item."""
    cnt = np.zeros((len(groups), 3), dtype=np.int64)
    for i, grp in enumerate(groups):
        p = part[part["group"] == grp]
        on_scale = int(p["base_scale"].iloc[0])
        a = int(p.loc[p["code"].isin(agree), "n"].sum())
        cnt[i] = [a, on_scale - a, int(p["n_dont_know"].iloc[0])]
    return cnt


def _likert_group_row(item: Any, group: Any, c: np.ndarray, h: np.ndarray, base_shown: bool, confidence: float) -> dict[str, Any]:
    """One published row of :func:`likert_groups`: counts ``c`` (agree, rest, don't know), hidden flags ``h``."""
    from helpers.analysis.intervals import proportion

    base = int(c.sum())
    est = proportion(c[0], base, confidence)
    hide = bool(h[0] or h[1])
    return {
        "item": item, "group": group, "n": float(base) if base_shown else np.nan,
        "agree": np.nan if hide else float(c[0]), "not_agree": np.nan if hide else float(c[1]),
        "dont_know": np.nan if h[2] else float(c[2]),
        "pct": np.nan if hide else float(est["pct"]), "ci_low": np.nan if hide else float(est["ci_low"]),
        "ci_high": np.nan if hide else float(est["ci_high"]),
        "pct_not_agree": np.nan if hide or not base else 100 * c[1] / base,
        "pct_dont_know": np.nan if h[2] or not base else 100 * c[2] / base,
        "hidden_n": not base_shown, "hidden": hide, "hidden_dk": bool(h[2]),
    }


def likert_groups(lik_g: pd.DataFrame, scale: Sequence[str], threshold: int, *, confidence: float,
                  secondary: bool = True) -> pd.DataFrame:
    """Likert items by group (``likert.likert_table`` with ``group``) as published: one row per item and
    group plus a ``TOTAL`` row per item, with the scale (most positive first) split into agree (the
    first two codes) and the rest of the scale ("not agree"), and "don't know" apart.

    Cells: per group agree, not agree and "don't know"; published sums: each group's base (all who
    answered the item) and the three totals over groups. Returns ``item, group, n`` (the base),
    ``agree, not_agree, dont_know`` (counts), ``pct, ci_low, ci_high`` (agree share),
    ``pct_not_agree``, ``pct_dont_know`` (all of the same base), with ``NaN`` where hidden, and
    ``hidden_n``, ``hidden`` (agree and not agree), ``hidden_dk``.
    """
    rows = []
    for item, part in lik_g.groupby("item", sort=False):
        groups = list(dict.fromkeys(part["group"]))
        g = len(groups)
        cnt = _agree_rest_dont_know(part, groups, list(scale[:2]))
        sums = [[3 * i, 3 * i + 1, 3 * i + 2] for i in range(g)] + [[3 * i + j for i in range(g)] for j in range(3)]
        prot = protect(cnt.ravel(), sums, threshold, secondary=secondary, together=[[g, g + 1, g + 2]], hideable=range(g),
                       units=[[3 * i, 3 * i + 1] for i in range(g)])
        hid = prot.hidden.reshape(g, 3)
        rows += [_likert_group_row(item, grp, cnt[i], hid[i], bool(prot.published[i]), confidence) for i, grp in enumerate(groups)]
        rows.append(_likert_group_row(item, TOTAL, cnt.sum(axis=0), ~prot.published[g:], True, confidence))
    return pd.DataFrame(rows)


def multi_by_group(by_group: pd.DataFrame, threshold: int, *, secondary: bool = True) -> pd.DataFrame:
    """A multi-select table by group (``tables.by_group(..., tables.multi_select, ...)``) as drawn.

    Per option: the ticked and not-ticked cells of every group; published sums: each group's base,
    and the option's ticked and not-ticked totals over groups (the whole-sample table).
    Hidden rows get ``NaN`` in ``n, pct, ci_low, ci_high, pct_responses`` and ``hidden`` True.
    """
    out = by_group.copy()
    out["hidden"] = False
    opts = out[out["code"] != NONRESPONSE]
    for code, part in opts.groupby("code", sort=False):
        idx = part.index.to_numpy()
        n = part["n"].to_numpy(dtype=np.int64)
        b = part["base"].to_numpy(dtype=np.int64)
        g = len(idx)
        values = np.r_[n, b - n]
        sums = [[i, g + i] for i in range(g)] + [list(range(g)), list(range(g, 2 * g))]
        prot = protect(values, sums, threshold, secondary=secondary, together=[[g, g + 1]], units=[[i, g + i] for i in range(g)])
        out.loc[idx, "hidden"] = prot.hidden[:g] | prot.hidden[g:]
    hide = out["hidden"].to_numpy()
    _nan_where(out, hide, ["n", "pct", "ci_low", "ci_high", "pct_responses"])
    return out


def hidden_figures(pub: pd.DataFrame, pattern: str, *, key: str = "code", flag: str = "hidden") -> list[str]:
    """The ids of the figures recorded for the hidden cells of a published table: ``pattern`` filled with
    the ``key`` of every row whose ``flag`` is set. A reviewer edition's figures summary shows them as
    hidden (:meth:`helpers.figures.FiguresRecord.summary`), as its tables do.

    >>> pub = pd.DataFrame({"code": ["a", "b", "c"], "hidden": [False, True, True]})
    >>> hidden_figures(pub, "aspect2.spheres.{}")
    ['aspect2.spheres.b', 'aspect2.spheres.c']
    """
    return [pattern.format(k) for k in dict.fromkeys(pub.loc[pub[flag].astype(bool), key])]
