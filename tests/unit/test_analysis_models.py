"""Chi-square on a 2x2 with a hand-computed statistic; odds ratios on tiny frames."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from helpers.analysis.crosstab import breakdown, chi_square, counts
from helpers.analysis.regression import covariate_patterns, logit_odds_ratios


def test__chi_square__2x2_known_statistic():
    # expected 12, 18, 28, 42: chi2 = 4/12 + 4/18 + 4/28 + 4/42
    r = chi_square(pd.DataFrame([[10, 20], [30, 40]]))
    assert r.statistic == pytest.approx(4 / 12 + 4 / 18 + 4 / 28 + 4 / 42)
    assert r.df == 1
    assert r.p_value == pytest.approx(0.373, abs=1e-3)
    assert r.min_expected == pytest.approx(12)
    assert not r.warning
    assert r.cramers_v == pytest.approx(math.sqrt(r.statistic / 100))


def test__chi_square__small_expected_counts_warn():
    r = chi_square(pd.DataFrame([[1, 2], [3, 1]]))
    assert r.warning


def test__counts__reindexed_categories():
    d = pd.DataFrame({"sex": ["male", "female", "male"], "ready": ["yes", "no", "no"]})
    t = counts(d, "sex", "ready", row_order=["female", "male"], col_order=["yes", "no", "dont_know"])
    assert t.to_numpy().tolist() == [[0, 1, 0], [1, 1, 0]]


def test__breakdown__shares_by_level_with_missing_level():
    d = pd.DataFrame({"sex": ["m", "m", "f", None], "flag": pd.array([True, False, True, True], dtype="boolean")})
    b = breakdown(d, "sex", "flag", order=["f", "m"])
    assert b["level"].tolist() == ["f", "m", "NONRESPONSE"]
    assert b["x"].tolist() == [1, 1, 1]
    assert b["n"].tolist() == [1, 2, 1]


def test__logit_odds_ratios__two_by_two_equals_cross_product_ratio():
    # group a: 3 yes / 1 no; group b: 1 yes / 3 no  -> OR(b vs a) = (1/3)/(3/1) = 1/9
    d = pd.DataFrame({"y": [1, 1, 1, 0, 1, 0, 0, 0], "g": list("aaaabbbb")})
    r = logit_odds_ratios(d, "y", ["g"], reference={"g": "a"}, decimals=6)
    row = r.table.iloc[0]
    assert (row["variable"], row["level"], row["reference"]) == ("g", "b", "a")
    assert row["odds_ratio"] == pytest.approx(1 / 9, abs=1e-5)
    # Wald interval: exp(log(1/9) ± z*sqrt(1/3+1+1+1/3))
    se = math.sqrt(1 / 3 + 1 + 1 + 1 / 3)
    assert row["ci_low"] == pytest.approx(math.exp(math.log(1 / 9) - 1.959964 * se), rel=1e-4)
    assert row["ci_high"] == pytest.approx(math.exp(math.log(1 / 9) + 1.959964 * se), rel=1e-4)
    assert r.n == 8 and r.n_dropped == 0


def test__logit_odds_ratios__drops_incomplete_rows_and_picks_modal_reference():
    d = pd.DataFrame({"y": [1, 0, 1, 0, 1, 0, None], "g": ["a", "a", "a", "a", "b", "b", "b"]})
    r = logit_odds_ratios(d, "y", ["g"])
    assert r.table["reference"].tolist() == ["a"]
    assert r.n == 6 and r.n_dropped == 1


def test__logit_odds_ratios__patterns_equal_row_level_logit():
    r = np.random.default_rng(1)
    n = 400
    d = pd.DataFrame({"g": r.choice(["a", "b", "c"], n), "h": r.choice(["u", "v"], n)})
    d["y"] = r.random(n) < np.where(d["g"].eq("b"), 0.7, 0.4)
    res = logit_odds_ratios(d, "y", ["g", "h"], reference={"g": "a", "h": "u"}, decimals=10)
    X = np.column_stack([np.ones(n), d["g"].eq("b"), d["g"].eq("c"), d["h"].eq("v")]).astype(float)
    fit = sm.Logit(d["y"].astype(float).to_numpy(), X).fit(disp=0, method="newton", tol=1e-12)
    assert res.table["level"].tolist() == ["b", "c", "v"]
    np.testing.assert_allclose(res.table["odds_ratio"], np.exp(fit.params[1:]), atol=1e-8)
    np.testing.assert_allclose(res.table["ci_low"], np.exp(fit.conf_int()[1:, 0]), atol=1e-8)
    np.testing.assert_allclose(res.table["p_value"], fit.pvalues[1:], atol=1e-8)
    assert res.pseudo_r2 == pytest.approx(fit.prsquared, abs=1e-9)
    assert res.llr_p_value == pytest.approx(fit.llr_pvalue, abs=1e-9)
    assert res.n == n and len(covariate_patterns(d, "y", ["g", "h"])) <= 12
