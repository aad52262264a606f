"""The grant indicators of two periods side by side (parameter ``compare.previous``): plan and fact of each
indicator of the registry in this run and in an earlier one (its ``out_grant__plan_vs_fact.parquet``),
matched by the indicator's id in the registry — never by position or file name.

Transformations include: an outer match on ``id`` (this period's order first, then indicators only the
previous period had); names and units from this period, else from the previous one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers import figures

PLAN_VS_FACT = "out_grant__plan_vs_fact.parquet"


def both_periods(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """``id, indicator, indicator_kk, unit, plan_prev, fact_prev, plan, fact`` for every indicator of either period.

    >>> cur = pd.DataFrame({"id": ["a", "b"], "indicator": ["A", "B"], "indicator_kk": ["A", "B"], "unit": ["count"] * 2,
    ...                     "plan": [5.0, 1.0], "fact": [7.0, 1.0]})
    >>> both_periods(cur.iloc[[1]].assign(id="c"), cur)[["id", "fact_prev", "fact"]].to_dict("list")
    {'id': ['a', 'b', 'c'], 'fact_prev': [nan, nan, 1.0], 'fact': [7.0, 1.0, nan]}
    """
    cols = ["id", "indicator", "indicator_kk", "unit", "plan", "fact"]
    both = current[cols].merge(previous[cols], on="id", how="outer", suffixes=("", "_prev"), validate="1:1", sort=False)
    for c in ("indicator", "indicator_kk", "unit"):
        both[c] = both[c].fillna(both[f"{c}_prev"])
    order = {i: k for k, i in enumerate(dict.fromkeys([*current["id"], *previous["id"]]))}
    both = both.sort_values("id", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return both[["id", "indicator", "indicator_kk", "unit", "plan_prev", "fact_prev", "plan", "fact"]]


def _value(v: Any) -> Any:
    return None if pd.isna(v) else float(v)


def record(rec: Any, both: pd.DataFrame) -> None:
    """Record ``compare.indicator.<id>.{previous,current}.{plan,fact}`` (the registry's unit) and
    ``compare.indicators.n``; labels from the figure catalogue (``config/figures.yaml``)."""
    for r in both.itertuples(index=False):
        for period, plan, fact in (("previous", r.plan_prev, r.fact_prev), ("current", r.plan, r.fact)):
            for key, v in (("plan", plan), ("fact", fact)):
                rec.add(f"compare.indicator.{r.id}.{period}.{key}", _value(v), unit=r.unit,
                        indicator_ru=r.indicator, indicator_kk=r.indicator_kk)
    rec.add("compare.indicators.n", len(both))


def display(both: pd.DataFrame, labels: Mapping[str, Any], waves: tuple[str, str], lang: str) -> pd.DataFrame:
    """The indicators of both periods as the reader sees them: indicator, plan and fact of the previous
    period, plan and fact of this one («—» where a period has no such indicator or no value)."""
    c = labels["columns"]

    def shown(values: pd.Series) -> list[str]:
        return [figures.format_value(_value(v), u, lang) for v, u in zip(values, both["unit"])]

    return pd.DataFrame({
        c["indicator"]: both["indicator"] if lang == "ru" else both["indicator_kk"],
        c["plan_wave"].format(wave=waves[0]): shown(both["plan_prev"]),
        c["fact_wave"].format(wave=waves[0]): shown(both["fact_prev"]),
        c["plan_wave"].format(wave=waves[1]): shown(both["plan"]),
        c["fact_wave"].format(wave=waves[1]): shown(both["fact"]),
    }).astype("str")
