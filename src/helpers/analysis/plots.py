"""Charts of the four-aspect analysis (seaborn, the workbook palette): sorted bars with intervals.

Every chart has a title and states its base; labels come in the report language from the
caller (codebook texts), so one function draws both the ru and the kk edition.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from helpers import charts
from helpers.figures import format_number


def base_text(n: int | Mapping[str, int], lang: str, labels: Mapping[str, str] | None = None) -> str:
    """'n = 1 234' (or 'n: A = 10, B = 20' for several groups) for chart subtitles.

    >>> base_text(1234, "ru")
    'n\\xa0=\\xa01\\xa0234'
    """
    if isinstance(n, Mapping):
        parts = [f"{(labels or {}).get(k, k)}\u00a0=\u00a0{format_number(int(v))}" for k, v in n.items()]
        return "n: " + "; ".join(parts)
    return f"n\u00a0=\u00a0{format_number(int(n))}"


def _wrap(labels: Sequence[str], width: int) -> list[str]:
    return ["\n".join(textwrap.wrap(str(x), width)) or str(x) for x in labels]


def bar_ci(table: pd.DataFrame, *, labels: Mapping[str, str], title: str, subtitle: str, xlabel: str = "%",
           label_col: str = "code", wrap: int = 40, color: str | None = None, sort: bool = True,
           hidden_mark: str = ""):
    """Horizontal bars of ``pct`` with ``ci_low``–``ci_high`` whiskers, sorted (largest on top).

    ``table`` rows are the options to draw (the non-response row is dropped): a published table
    (``helpers.analysis.disclosure``), whose hidden rows have no ``pct`` — they are not drawn, only
    labelled with ``hidden_mark`` (listed last). ``sort=False`` keeps the given order (ordered
    scales). Returns the Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    t = table[table[label_col] != "NONRESPONSE"]
    if sort:
        t = t.sort_values(["pct", label_col], ascending=[False, True], kind="stable", na_position="last")
    t = t.reset_index(drop=True)
    t = t.assign(label=_wrap([labels.get(c, c) for c in t[label_col]], wrap))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(t) + 1.5))
    sns.barplot(data=t, x="pct", y="label", color=color or charts.MAIN_COLOR, errorbar=None, ax=ax, orient="h")
    err = np.vstack([t["pct"] - t["ci_low"], t["ci_high"] - t["pct"]])
    ax.errorbar(t["pct"], np.arange(len(t)), xerr=err, fmt="none", ecolor="#333333", capsize=3, linewidth=1)
    for i, v in enumerate(t["pct"]):
        if pd.isna(v):
            ax.text(1, i, hidden_mark, va="center", fontsize=8)
        else:
            ax.text(min(float(t["ci_high"].iloc[i]) + 1, 101), i, format_number(v, 1), va="center", fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(f"{title}\n{subtitle}", loc="left")
    return fig


def grouped_bar_ci(table: pd.DataFrame, *, labels: Mapping[str, str], group_labels: Mapping[str, str], title: str,
                   subtitle: str, xlabel: str = "%", label_col: str = "code", group_col: str = "group",
                   order: Sequence[str] | None = None, wrap: int = 35):
    """Bars of ``pct`` per option and group (hue), with interval whiskers; options in ``order``
    (default: by overall ``pct`` mean, largest on top)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    t = table[table[label_col] != "NONRESPONSE"].copy()  # a published table: hidden cells (NaN) are not drawn
    if order is None:
        order = t.groupby(label_col)["pct"].mean().sort_values(ascending=False, kind="stable").index.tolist()
    groups = list(dict.fromkeys(t[group_col]))
    t["label"] = t[label_col].map(lambda c: "\n".join(textwrap.wrap(labels.get(c, c), wrap)))
    t["hue"] = t[group_col].map(lambda g: group_labels.get(g, g))
    ylabels = ["\n".join(textwrap.wrap(labels.get(c, c), wrap)) for c in order]
    hue_order = [group_labels.get(g, g) for g in groups]
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(order) * max(len(groups), 2) + 1.8))
    sns.barplot(data=t, x="pct", y="label", hue="hue", order=ylabels, hue_order=hue_order, errorbar=None, ax=ax,
                orient="h", palette=charts.PALETTE[: len(groups)])
    width = 0.8 / len(groups)
    for gi, g in enumerate(groups):
        sub = t[t[group_col] == g].set_index(label_col).reindex(order)
        yy = np.arange(len(order)) - 0.4 + width * (gi + 0.5)
        err = np.vstack([sub["pct"] - sub["ci_low"], sub["ci_high"] - sub["pct"]])
        ax.errorbar(sub["pct"], yy, xerr=err, fmt="none", ecolor="#333333", capsize=2, linewidth=0.8)
    ax.set_xlim(0, 105)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.legend(title=None, loc="lower right", fontsize=8)
    ax.set_title(f"{title}\n{subtitle}", loc="left")
    return fig


def save_both(make, processed_dir, chart_id: str, langs: Sequence[str] = ("ru", "kk")) -> dict[str, str]:
    """Draw a chart once per language with ``make(lang) -> Figure`` and save it deterministically.

    Returns ``{lang: path relative to processed_dir}``.
    """
    out = {}
    for lang in langs:
        path = charts.chart_path(processed_dir, chart_id, lang)
        charts.save(make(lang), path)
        out[lang] = path.relative_to(processed_dir).as_posix()
    return out
