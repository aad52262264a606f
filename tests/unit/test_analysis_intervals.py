"""Intervals (statsmodels ``proportion_confint``) against values computed by hand (Wilson: closed form;
Clopper-Pearson: beta quantiles)."""

import numpy as np
import pytest

from helpers.analysis.intervals import clopper_pearson, proportion, wilson

Z = 1.959963984540054


def test__wilson__x_equals_zero():
    lo, hi = wilson(0, 10)
    assert lo == 0.0
    # upper = (z²/n) / (1 + z²/n) when x = 0
    assert hi == pytest.approx((Z**2 / 10) / (1 + Z**2 / 10), abs=1e-12)
    assert hi == pytest.approx(0.27753, abs=1e-5)


def test__wilson__x_equals_n():
    lo, hi = wilson(10, 10)
    assert hi == 1.0
    assert lo == pytest.approx(1 - 0.27753, abs=1e-5)


def test__wilson__half():
    lo, hi = wilson(5, 10)
    # centre 0.5, half-width z*sqrt(0.025 + z²/400)/(1 + z²/10)
    half = Z * np.sqrt(0.25 / 10 + Z**2 / 400) / (1 + Z**2 / 10)
    assert (lo, hi) == (pytest.approx(0.5 - half), pytest.approx(0.5 + half))


def test__wilson__vectorised_and_empty_base():
    lo, hi = wilson([0, 5, 0], [10, 10, 0])
    assert lo.shape == (3,)
    assert np.isnan(lo[2]) and np.isnan(hi[2])


def test__clopper_pearson__x_equals_zero():
    lo, hi = clopper_pearson(0, 10)
    assert lo == 0.0
    assert hi == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-10)  # 0.30850


def test__clopper_pearson__x_equals_n():
    lo, hi = clopper_pearson(10, 10)
    assert hi == 1.0
    assert lo == pytest.approx(0.025 ** (1 / 10), abs=1e-10)  # 0.69150


def test__clopper_pearson__one_of_one_at_90_percent():
    lo, hi = clopper_pearson(1, 1, confidence=0.90)
    assert (lo, hi) == (pytest.approx(0.05), 1.0)


def test__proportion__percent_scale():
    est = proportion(881, 1000)
    assert est["pct"] == pytest.approx(88.1)
    assert est["ci_low"] < 88.1 < est["ci_high"]


def test__wilson__x_above_n_raises():
    with pytest.raises(ValueError):
        wilson(11, 10)


def test__unknown_method__raises():
    from helpers.analysis.intervals import interval

    with pytest.raises(ValueError, match="interval method"):
        interval(1, 10, method="wald")
