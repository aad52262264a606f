"""Representativeness of the population survey: the sample against population margins, raking weights,
and weighted headline shares beside the unweighted ones.

The margins are data (``config/population_margins.yaml``: region, sex and age band shares, with their
source and year). The weights rake the respondents to the three margins by iterative proportional
fitting and are trimmed at ``cap`` times their mean (raking again after each trim), so no respondent
counts for more than ``cap`` average ones. Meta's ``balance`` package owns this problem, but its
current release (0.23) requires numpy < 2 on Python 3.11, which the pinned environment cannot take;
the raking here is the textbook algorithm (Deming–Stephan), tested against the margins it must hit.

Kish's design effect of unequal weights, ``n Σw² / (Σw)²``, and the effective sample size
``(Σw)² / Σw²`` say what the weighting costs in precision; weighted shares get Wilson intervals at the
effective n. The samples are opt-in: weights correct the composition on the raking variables only,
and no margin of error for the population is claimed (AAPOR).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.analysis.intervals import proportion
from helpers.config_files import read_yaml


@dataclass(frozen=True)
class Margins:
    """Population shares (proportions adding up to 1) per raking variable, and where they come from."""

    shares: dict[str, pd.Series]
    source: dict[str, str]
    year: int
    illustrative: bool


def load_margins(config_dir: str | Path) -> Margins:
    """Read ``population_margins.yaml``; every margin must add up to 100 (± 0.05).

    >>> from helpers import paths
    >>> m = load_margins(paths.CONFIG)
    >>> sorted(m.shares), round(float(m.shares["sex"].sum()), 6)
    (['age_band', 'region', 'sex'], 1.0)
    """
    data = read_yaml(Path(config_dir) / "population_margins.yaml")
    shares = {}
    for var, levels in data["margins"].items():
        s = pd.Series({str(k): float(v) for k, v in levels.items()})
        if abs(s.sum() - 100) > 0.05 or (s < 0).any():
            raise ValueError(f"population_margins.yaml: the {var} margin adds up to {s.sum():g}, not 100")
        shares[var] = s / s.sum()
    return Margins(shares, dict(data["source"]), int(data["year"]), bool(data.get("illustrative", False)))


def composition(df: pd.DataFrame, margins: Margins) -> pd.DataFrame:
    """The sample against the population: ``variable, level, n, sample_pct`` (of respondents who
    stated the characteristic), ``population_pct`` and ``difference_pp``.

    >>> m = Margins({"sex": pd.Series({"female": 0.5, "male": 0.5})}, {}, 2021, True)
    >>> composition(pd.DataFrame({"sex": ["female", "female", "male", None]}), m)[["level", "n", "difference_pp"]].round(2).to_dict("list")
    {'level': ['female', 'male'], 'n': [2, 1], 'difference_pp': [16.67, -16.67]}
    """
    rows = []
    for var, pop in margins.shares.items():
        counts = df[var].astype("str").where(df[var].notna()).value_counts().reindex(pop.index, fill_value=0)
        base = int(df[var].notna().sum())
        for level, p in pop.items():
            n = int(counts[level])
            rows.append({"variable": var, "level": level, "n": n, "sample_pct": 100 * n / base if base else np.nan,
                         "population_pct": 100 * p, "difference_pp": (100 * n / base if base else np.nan) - 100 * p})
    return pd.DataFrame(rows)


def rake(df: pd.DataFrame, margins: Margins, *, cap: float = 5.0, max_iter: int = 200, tol: float = 1e-10) -> pd.Series:
    """Raking weights (mean 1 over the weighted respondents) to the margins, trimmed at ``cap`` × mean.

    Respondents with a raking characteristic not stated, or in a level the margins do not list, get
    no weight (NaN) and stay out of the weighted estimates. A level of a margin nobody in the sample
    has cannot be reached: its population share is spread over the other levels (the composition
    table shows the gap).

    >>> d = pd.DataFrame({"sex": ["f", "f", "f", "m", "m"], "age": ["y", "o", "o", "y", "o"]})
    >>> m = Margins({"sex": pd.Series({"f": 0.5, "m": 0.5}), "age": pd.Series({"y": 0.5, "o": 0.5})}, {}, 2021, True)
    >>> w = rake(d, m)
    >>> [round(float(w[d[v] == lv].sum() / w.sum()), 6) for v, lv in (("sex", "f"), ("sex", "m"), ("age", "y"))]
    [0.5, 0.5, 0.5]
    """
    variables = list(margins.shares)
    keep = np.ones(len(df), dtype=bool)
    codes = {}
    for var in variables:
        x = df[var].astype("str").where(df[var].notna())
        levels = list(margins.shares[var].index)
        keep &= x.isin(levels).to_numpy()
        codes[var] = pd.Categorical(x, categories=levels).codes
    targets = {}
    for var in variables:
        present = np.bincount(codes[var][keep], minlength=len(margins.shares[var]))
        share = margins.shares[var].to_numpy() * (present > 0)  # a group nobody in the sample belongs to
        targets[var] = share / share.sum()                      # cannot be reached: its share is spread
    w = np.ones(int(keep.sum()))
    sub = {var: c[keep] for var, c in codes.items()}
    n = len(w)
    for _ in range(50):  # rake, trim, rake again until the cap holds
        for _ in range(max_iter):
            worst = 0.0
            for var in variables:
                target = targets[var] * w.sum()
                have = np.bincount(sub[var], weights=w, minlength=len(target))
                factor = np.where(have > 0, target / np.where(have > 0, have, 1), 1.0)
                w = w * factor[sub[var]]
                worst = max(worst, float(np.max(np.abs(have - target))) / w.sum())
            if worst < tol:
                break
        w = w * n / w.sum()
        if w.max() <= cap * (1 + 1e-9):
            break
        w = np.minimum(w, cap)
    for _ in range(100):  # the cap wins over the last bit of fit to the margins; the mean stays 1
        w = w * n / w.sum()
        if w.max() <= cap * (1 + 1e-9):
            break
        w = np.minimum(w, cap)
    out = pd.Series(np.nan, index=df.index)
    out[keep] = w
    return out


def kish(weights: pd.Series) -> dict[str, float]:
    """Kish's design effect of unequal weights and the effective sample size.

    >>> kish(pd.Series([1.0, 1.0, 1.0, 1.0]))
    {'n': 4, 'deff': 1.0, 'n_effective': 4.0}
    >>> kish(pd.Series([0.5, 1.5, None]))["deff"]
    1.25
    """
    w = weights.dropna().to_numpy(dtype=float)
    s1, s2 = w.sum(), (w**2).sum()
    return {"n": int(len(w)), "deff": float(len(w) * s2 / s1**2), "n_effective": float(s1**2 / s2)}


def weighted_share(flag: pd.Series, weights: pd.Series, *, confidence: float = 0.95,
                   method: str = "wilson") -> dict[str, float]:
    """Weighted share of True among respondents with a weight and an answer, in percent, with the
    interval at the effective sample size of those respondents: ``{"pct", "ci_low", "ci_high",
    "n", "n_effective", "deff"}``.

    >>> r = weighted_share(pd.Series([True, False, True, None]), pd.Series([1.0, 1.0, 2.0, 1.0]))
    >>> round(r["pct"], 2), r["n"]
    (75.0, 3)
    """
    ok = flag.notna() & weights.notna()
    x = flag[ok].astype(bool).to_numpy()
    w = weights[ok].to_numpy(dtype=float)
    k = kish(pd.Series(w))
    p = float((w * x).sum() / w.sum()) if len(w) else np.nan
    est = proportion(p * k["n_effective"], k["n_effective"], confidence, method)
    return {"pct": 100 * p, "ci_low": float(est["ci_low"]), "ci_high": float(est["ci_high"]), **k}


def headline_table(flags: Mapping[str, pd.Series], weights: pd.Series, *, confidence: float = 0.95,
                   method: str = "wilson") -> pd.DataFrame:
    """Each headline share unweighted and weighted side by side: ``measure, n, pct, ci_low, ci_high,
    pct_w, ci_low_w, ci_high_w, n_effective, deff``."""
    rows = []
    for name, flag in flags.items():
        valid = flag.dropna().astype(bool)
        est = proportion(int(valid.sum()), len(valid), confidence, method)
        wt = weighted_share(flag, weights, confidence=confidence, method=method)
        rows.append({"measure": name, "n": len(valid), "pct": float(est["pct"]), "ci_low": float(est["ci_low"]),
                     "ci_high": float(est["ci_high"]), "pct_w": wt["pct"], "ci_low_w": wt["ci_low"],
                     "ci_high_w": wt["ci_high"], "n_effective": wt["n_effective"], "deff": wt["deff"]})
    return pd.DataFrame(rows)
