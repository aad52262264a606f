"""Raking weights (``helpers.analysis.weights``): the margins are hit, the cap holds, Kish's design effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import weights


def _sample(n: int = 600, seed: int = 1) -> pd.DataFrame:
    """An opt-in-like sample: every level present, the last level of each margin over-represented."""
    rng = np.random.default_rng(seed)
    m = weights.load_margins(paths.CONFIG)
    out = {}
    for var, share in m.shares.items():
        p = np.ones(len(share))
        p[-1] = 4
        out[var] = rng.choice(list(share.index), n, p=p / p.sum())
    return pd.DataFrame(out)


class TestRake:
    def test__weighted_sample_hits_every_margin(self):
        m = weights.load_margins(paths.CONFIG)
        d = _sample()
        w = weights.rake(d, m, cap=50)
        for var, share in m.shares.items():
            got = w.groupby(d[var]).sum() / w.sum()
            assert got.reindex(share.index).to_numpy() == pytest.approx(share.to_numpy(), abs=1e-6)

    def test__cap_holds_and_mean_is_one(self):
        m = weights.load_margins(paths.CONFIG)
        w = weights.rake(_sample(), m, cap=3)
        assert w.max() <= 3 + 1e-9 and w.mean() == pytest.approx(1.0)

    def test__respondent_without_a_raking_characteristic_gets_no_weight(self):
        m = weights.load_margins(paths.CONFIG)
        d = _sample()
        d.loc[0, "sex"] = None
        w = weights.rake(d, m)
        assert np.isnan(w[0]) and w.drop(index=0).notna().all()

    def test__a_margin_level_nobody_has_is_spread_over_the_others(self):
        m = weights.load_margins(paths.CONFIG)
        d = _sample()
        d = d[d["region"] != "SKO"]
        w = weights.rake(d, m, cap=50)
        got = w.groupby(d["region"]).sum() / w.sum()
        share = m.shares["region"].drop("SKO")
        assert got.reindex(share.index).to_numpy() == pytest.approx((share / share.sum()).to_numpy(), abs=1e-6)


def test__kish__equal_weights_cost_nothing_unequal_ones_do():
    assert weights.kish(pd.Series([2.0] * 10))["deff"] == pytest.approx(1.0)
    k = weights.kish(pd.Series([1.0] * 5 + [3.0] * 5))
    assert k["deff"] == pytest.approx(10 * 50 / 20**2) and k["n_effective"] == pytest.approx(8.0)


def test__weighted_share__interval_at_the_effective_n_is_wider():
    flag = pd.Series([True] * 60 + [False] * 40)
    even = weights.weighted_share(flag, pd.Series([1.0] * 100))
    uneven = weights.weighted_share(flag, pd.Series([0.2, 1.8] * 50))
    assert even["pct"] == pytest.approx(60.0) and uneven["pct"] == pytest.approx(60.0)
    assert uneven["ci_high"] - uneven["ci_low"] > even["ci_high"] - even["ci_low"]


def test__margins_file__every_margin_adds_up_to_100_and_is_marked_illustrative():
    m = weights.load_margins(paths.CONFIG)
    assert m.illustrative and m.year == 2021
    assert all(abs(s.sum() - 1) < 1e-9 for s in m.shares.values())
