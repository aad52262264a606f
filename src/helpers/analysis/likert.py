"""Likert items: counts on the scale and "don't know", shares of those who answered, diverging stacked bars.

The base of every share follows the workbook's one policy (``helpers.analysis.tables``): all who
answered the item, "don't know" included; skipping the item is reported apart, never in a base.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.analysis.grouping import value_counts
from helpers.analysis.intervals import proportion


def likert_table(df: pd.DataFrame, items: Sequence[str], scale: Sequence[str], *, dont_know: str = "dont_know",
                 group: str | None = None, groups: Sequence[str] | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """Counts and shares of a set of Likert items, one row per (group,) item and scale point.

    Parameters
    ----------
    items : column names (e.g. ``state__<row>``).
    scale : scale codes from most positive to most negative (e.g. strongly_agree … strongly_disagree).
    dont_know : the "don't know / N/A" code: counted in ``n_dont_know``; it is an answer, in the base
        of the shares (``n_answered``), but not a point of the scale (``base_scale``: the ordinal tests).
    group : optional column to split by (``group`` = "all" when None).

    Returns
    -------
    Long frame: ``group, item, code, n, base_scale, n_answered, pct`` (% of those who answered the
    item), ``n_dont_know, n_missing, n_total, pct_dont_know`` (% of the same base).

    Examples
    --------
    >>> d = pd.DataFrame({"s__a": ["agree", "agree", "disagree", "dont_know", None]})
    >>> t = likert_table(d, ["s__a"], ["agree", "disagree"])
    >>> t[["code", "n", "base_scale", "n_dont_know", "n_missing"]].to_dict("list")
    {'code': ['agree', 'disagree'], 'n': [2, 1], 'base_scale': [3, 3], 'n_dont_know': [1, 1], 'n_missing': [1, 1]}
    """
    if group is None:
        parts = [("all", df)]
    else:
        keys = list(groups) if groups is not None else sorted(df[group].dropna().unique().tolist())
        parts = [(g, df[df[group] == g]) for g in keys]
    rows = []
    for g, sub in parts:
        for item in items:
            s = sub[item]
            vc = value_counts(s)  # one pass: the codes present and their counts
            unknown = sorted(set(vc.index) - set(scale) - {dont_know})
            if unknown:
                raise ValueError(f"{item}: codes outside the scale: {unknown}")
            n_scale = vc.reindex(list(scale), fill_value=0).to_numpy()
            base = int(n_scale.sum())
            n_dk = int(vc.get(dont_know, 0))
            n_missing = int(s.isna().sum())
            for code, n in zip(scale, n_scale):
                rows.append({"group": g, "item": item, "code": code, "n": int(n), "base_scale": base,
                             "n_dont_know": n_dk, "n_missing": n_missing, "n_total": int(len(s))})
    out = pd.DataFrame(rows)
    out["n_answered"] = out["base_scale"] + out["n_dont_know"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pct"] = np.where(out["n_answered"] > 0, 100 * out["n"] / out["n_answered"], np.nan)
        out["pct_dont_know"] = np.where(out["n_answered"] > 0, 100 * out["n_dont_know"] / out["n_answered"], np.nan)
    return out.astype({"group": "str", "item": "str", "code": "str"})


def agree_share(table: pd.DataFrame, positive: Sequence[str], *, confidence: float = 0.95,
                method: str = "wilson") -> pd.DataFrame:
    """Per (group, item): share of the positive codes among all who answered the item ("don't know"
    included), with its interval.

    Returns ``group, item, x, n_answered, base_scale, pct, ci_low, ci_high, n_dont_know, pct_dont_know, n_missing``.
    """
    pos = table[table["code"].isin(list(positive))]
    keys = ["group", "item"]
    x = pos.groupby(keys, sort=False)["n"].sum()
    first = table.groupby(keys, sort=False)[["n_answered", "base_scale", "n_dont_know", "pct_dont_know", "n_missing"]].first()
    out = first.join(x.rename("x")).reset_index()
    out["x"] = out["x"].fillna(0).astype("int64")
    est = proportion(out["x"].to_numpy(), out["n_answered"].to_numpy(), confidence, method)
    for k, v in est.items():
        out[k] = v
    return out[["group", "item", "x", "n_answered", "base_scale", "pct", "ci_low", "ci_high", "n_dont_know", "pct_dont_know",
                "n_missing"]]


def diverging_chart(table: pd.DataFrame, *, item_labels: Mapping[str, str], code_labels: Mapping[str, str],
                    scale: Sequence[str], colors: Sequence[str], title: str, base_text: str, dk_label: str,
                    group_labels: Mapping[str, str] | None = None, wrap: int = 45, hidden_mark: str = ""):
    """Diverging stacked bars: negative codes left of 0, positive right, a neutral middle split.

    ``table`` is :func:`likert_table` output; ``scale`` from most positive to most negative;
    ``colors`` one per scale code in the same order. "Don't know" is drawn in its own panel on
    the right (share of all who answered), never inside the scale. Items sorted by the positive
    share (highest on top). ``table`` is a published table (``helpers.analysis.disclosure``): a
    hidden cell (NaN) is not drawn, and a row or "don't know" share with nothing drawn is marked with
    ``hidden_mark``. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    k = len(scale)
    half = k // 2
    positive, negative = list(scale[:half]), list(scale[k - half:])
    neutral = list(scale[half:k - half])
    t = table.copy()
    t["row"] = t["item"].map(lambda i: item_labels.get(i, i))
    if group_labels is not None and t["group"].nunique() > 1:
        t["row"] = t["row"] + " — " + t["group"].map(lambda g: group_labels.get(g, g))
    wide = t.pivot_table(index="row", columns="code", values="pct", sort=False, dropna=False)
    wide = wide.reindex(index=list(dict.fromkeys(t["row"])), columns=list(scale))
    empty = wide.isna().all(axis=1)
    wide = wide.fillna(0)
    dk = t.groupby("row", sort=False)["pct_dont_know"].first().reindex(wide.index)
    score = wide[positive].sum(axis=1) + wide[neutral].sum(axis=1) / 2
    rows = t.drop_duplicates("row").set_index("row")
    item_score = score.groupby(rows.loc[score.index, "item"].to_numpy()).transform("mean")
    group_rank = rows.loc[score.index, "group"].map({g: -i for i, g in enumerate(dict.fromkeys(t["group"]))})
    keys = pd.DataFrame({"item": item_score.to_numpy(), "group": group_rank.to_numpy()}, index=score.index)
    order = keys.sort_values(["item", "group"], kind="stable").index
    wide, dk, empty = wide.loc[order], dk.loc[order], empty.loc[order]
    ylabels = ["\n".join(textwrap.wrap(str(r), wrap)) for r in wide.index]
    y = np.arange(len(wide))
    fig, (ax, ax_dk) = plt.subplots(1, 2, figsize=(10, 0.55 * len(wide) + 1.8), sharey=True,
                                    gridspec_kw={"width_ratios": [5, 1], "wspace": 0.05})
    color = dict(zip(scale, colors))
    left = -(wide[negative].sum(axis=1) + wide[neutral].sum(axis=1) / 2).to_numpy()
    # draw from the far negative end to the far positive end
    draw = [*negative[::-1], *neutral, *positive[::-1]]
    start = left.copy()
    for code in draw:
        w = wide[code].to_numpy()
        ax.barh(y, w, left=start, color=color[code], edgecolor="white", linewidth=0.5,
                label=code_labels.get(code, code))
        for yi, (s0, wi) in enumerate(zip(start, w)):
            if wi >= 7:
                ax.text(s0 + wi / 2, yi, f"{wi:.0f}", ha="center", va="center", fontsize=8)
        start = start + w
    for yi, e in enumerate(empty.to_numpy()):
        if e:
            ax.text(0, yi, hidden_mark, ha="center", va="center", fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    lim = max(100.0, float(np.nanmax(np.abs(np.r_[left, start]))) + 5)
    ax.set_xlim(-lim, lim)
    ticks = np.arange(-100, 101, 50)
    ax.set_xticks(ticks, [f"{abs(v)}" for v in ticks])
    ax.set_yticks(y, ylabels)
    ax.set_xlabel("%")
    handles, labels = ax.get_legend_handles_labels()
    order_idx = [labels.index(code_labels.get(c, c)) for c in scale]
    ax.legend([handles[i] for i in order_idx], [labels[i] for i in order_idx], loc="upper center",
              bbox_to_anchor=(0.5, -0.12 if len(wide) > 3 else -0.25), ncol=min(k, 5), frameon=False, fontsize=8)
    ax_dk.barh(y, dk.to_numpy(), color="#9e9e9e")
    for yi, v in enumerate(dk.to_numpy()):
        if np.isnan(v):
            ax_dk.text(1, yi, hidden_mark, va="center", fontsize=8)
        else:
            ax_dk.text(v + 1, yi, f"{v:.0f}", va="center", fontsize=8)
    ax_dk.set_xlim(0, max(30.0, float(np.nanmax(dk.to_numpy())) * 1.4 if len(dk) else 30.0))
    ax_dk.set_title("\n".join(textwrap.wrap(dk_label, 18)), fontsize=9)
    ax_dk.set_xlabel("%")
    fig.suptitle(f"{title}\n{base_text}", fontsize=11, x=0.02, ha="left")
    return fig


def collapsed(published: pd.DataFrame) -> pd.DataFrame:
    """Likert items by group as published (:func:`helpers.analysis.disclosure.likert_groups`) in the long
    form :func:`diverging_chart` draws: ``group, item, code`` (``agree``, ``not_agree``), ``pct`` (of the
    scale base) and ``pct_dont_know``; hidden cells stay ``NaN`` (not drawn); the ``TOTAL`` rows are
    left out.

    >>> p = pd.DataFrame({"item": ["i"], "group": ["g"], "pct": [60.0], "pct_not_agree": [40.0], "pct_dont_know": [5.0]})
    >>> collapsed(p)[["code", "pct"]].to_dict("list")
    {'code': ['agree', 'not_agree'], 'pct': [60.0, 40.0]}
    """
    p = published[published["group"] != "TOTAL"]
    parts = [p.assign(code=code, pct=p[col]) for code, col in (("agree", "pct"), ("not_agree", "pct_not_agree"))]
    out = pd.concat(parts).sort_index(kind="stable")
    return out[["group", "item", "code", "pct", "pct_dont_know"]].reset_index(drop=True)
