"""Plan vs fact from the indicator registry (``config/indicators.yaml``).

The registry is data: a new grant needs a new registry, not new code. Each indicator names its
plan (target, with ``at_least``/``exact``), the fact as the report states it (a ``reported.…``
value id) and how the workbook computes the fact (``fact.figure``: a figures.json id), or
``fact.reported_only: true`` when no record-level data exists. % achieved = fact / plan × 100 for
counts and sums; a share (unit ``percent``) against its threshold has no % achieved, only
``achieved`` (met / not met),
with the recomputed fact when there is one, else the reported fact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.config_files import read_yaml

REQUIRED: tuple[str, ...] = ("id", "task", "name_ru", "name_kk", "unit", "plan", "fact", "period", "source")


class RegistryError(ValueError):
    """The indicator registry is malformed."""


def load_registry(path: str | Path) -> dict[str, Any]:
    """Read and check the registry: unique ids, required keys, one way to get the fact."""
    data = read_yaml(Path(path))
    validate(data.get("indicators", []))
    return data


def validate(indicators: Sequence[Mapping[str, Any]]) -> None:
    """Raise :class:`RegistryError` on a missing key, a duplicate id or an unclear fact rule.

    >>> validate([{"id": "a", "task": "t", "name_ru": "x", "name_kk": "x", "unit": "count",
    ...            "plan": {"value": 1}, "fact": {"reported_only": True}, "period": "cumulative", "source": "s"}])
    >>> validate([{"id": "a"}])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    RegistryError: indicator 'a': missing task, name_ru, name_kk, unit, plan, fact, period, source
    """
    seen: set[str] = set()
    for ind in indicators:
        iid = ind.get("id", "?")
        missing = [k for k in REQUIRED if k not in ind]
        if missing:
            raise RegistryError(f"indicator {iid!r}: missing {', '.join(missing)}")
        if iid in seen:
            raise RegistryError(f"indicator {iid!r}: duplicate id")
        seen.add(iid)
        fact = ind["fact"]
        if bool(fact.get("figure")) == bool(fact.get("reported_only")):
            raise RegistryError(f"indicator {iid!r}: fact needs exactly one of 'figure' or 'reported_only: true'")
        if ind["period"] not in ("cumulative", "period"):
            raise RegistryError(f"indicator {iid!r}: period must be 'cumulative' or 'period'")


def build(indicators: Sequence[Mapping[str, Any]], values: Mapping[str, float], lang: str = "ru") -> pd.DataFrame:
    """The plan-vs-fact table, one row per indicator in registry order.

    Parameters
    ----------
    indicators : list of dict
        ``indicators`` of the registry.
    values : mapping
        Value ids → numbers: the ``reported.…`` values of the transcription and the figures.json values.
    lang : str
        Language of the ``indicator`` column.

    >>> ind = [{"id": "c", "task": "t1", "name_ru": "Консультации", "name_kk": "Кеңестер", "unit": "count",
    ...         "plan": {"value": 500}, "fact": {"figure": "reach.n", "reported": "rep.n"},
    ...         "period": "cumulative", "source": "s"}]
    >>> build(ind, {"reach.n": 750, "rep.n": 752})[["id", "plan", "fact_reported", "fact", "pct_achieved"]]
      id   plan  fact_reported   fact  pct_achieved
    0  c  500.0          752.0  750.0         150.0
    """
    rows = []
    for ind in indicators:
        fact = ind["fact"]
        reported = values.get(fact["reported"]) if fact.get("reported") else None
        recomputed = values.get(fact["figure"]) if fact.get("figure") else None
        value = recomputed if recomputed is not None else reported
        plan = ind["plan"].get("value")
        rows.append({
            "id": ind["id"],
            "task": ind["task"],
            "indicator": ind[f"name_{lang}"],
            "unit": ind["unit"],
            "plan": np.nan if plan is None else float(plan),
            "plan_qualifier": ind["plan"].get("qualifier", "exact"),
            "fact_reported": np.nan if reported is None else float(reported),
            "fact_recomputed": np.nan if recomputed is None else float(recomputed),
            "fact": np.nan if value is None else float(value),
            "fact_basis": "record_data" if recomputed is not None else ("reported_only" if reported is not None else "none"),
            "period": ind["period"],
            "source": ind["source"],
        })
    out = pd.DataFrame(rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        # a share against its threshold is met or not met: "98 % of a plan of 80 %" (122 %) means nothing
        out["pct_achieved"] = np.where((out["plan"] > 0) & (out["unit"] != "percent"), 100 * out["fact"] / out["plan"], np.nan)
    out["achieved"] = pd.array(np.where(out["fact"].isna() | out["plan"].isna(), None, out["fact"] >= out["plan"]),
                               dtype="boolean")
    return out
