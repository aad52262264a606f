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
    # bias-corrected V (Bergsma): phi2 - (r-1)(c-1)/(n-1) is below 0 here, so V = 0
    assert r.cramers_v == 0.0
    assert r.p_method == "asymptotic" and r.p_value == r.p_asymptotic


def test__chi_square__bias_corrected_v_below_the_uncorrected_one():
    from scipy.stats.contingency import association

    t = np.array([[30, 10], [10, 30]])
    r = chi_square(pd.DataFrame(t))
    assert 0 < r.cramers_v < association(t, method="cramer")
    assert r.cramers_v == pytest.approx(math.sqrt((r.statistic / 80 - 1 / 79) / (1 - 1 / 79)))


def test__chi_square__small_expected_counts_warn_and_a_2x2_gets_fishers_exact_p():
    from scipy.stats import fisher_exact

    r = chi_square(pd.DataFrame([[1, 2], [3, 1]]))
    assert r.warning and r.p_method == "fisher"
    assert r.p_value == pytest.approx(fisher_exact([[1, 2], [3, 1]]).pvalue)


def test__chi_square__sparse_larger_table_gets_a_reproducible_monte_carlo_p():
    t = pd.DataFrame([[1, 2, 5], [3, 1, 0], [0, 4, 1]])
    r1, r2 = chi_square(t), chi_square(t)
    assert r1.p_method == "monte_carlo" and r1.p_value == r2.p_value
    assert r1.p_value != r1.p_asymptotic and 0 < r1.p_value < 1


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


def test__logit_model__levels_merged_and_characteristics_left_out_below_ten_events_per_parameter():
    from helpers.analysis.regression import MERGED, logit_model

    rng = np.random.default_rng(3)
    n = 600
    d = pd.DataFrame({"y": rng.random(n) < 0.12, "sex": rng.choice(["m", "f"], n),
                      "region": rng.choice([f"r{i}" for i in range(15)], n), "lang": rng.choice(["ru", "kk"], n)})
    d.loc[:4, "sex"] = None
    m = logit_model(d, "y", ["sex", "region", "lang"], min_epv=10)
    assert m.n_params <= m.n_events / 10 and m.events_per_parameter >= 10
    assert m.fit.n_dropped == 5 and m.fit.n == n - 5
    assert set(m.kept) | set(m.left_out) == {"sex", "region", "lang"}
    regions = m.fit.table.loc[m.fit.table["variable"] == "region", ["level", "reference"]].to_numpy().ravel()
    assert "region" not in m.kept or MERGED in regions  # rare regions merged, or the characteristic left out
    assert list(m.blocks["variable"]) == m.kept and (m.blocks["p_value"].between(0, 1)).all()


def test__logit_odds_ratios__profile_interval_is_where_the_likelihood_ratio_test_stops_rejecting():
    from scipy import stats as st

    d = pd.DataFrame({"y": [1] * 15 + [0] * 5 + [1] * 8 + [0] * 12, "g": ["a"] * 20 + ["b"] * 20})
    prof = logit_odds_ratios(d, "y", ["g"], reference={"g": "a"}, ci="profile", decimals=8).table.iloc[0]
    wald = logit_odds_ratios(d, "y", ["g"], reference={"g": "a"}, decimals=8).table.iloc[0]
    assert prof["odds_ratio"] == pytest.approx(wald["odds_ratio"])
    assert prof["ci_low"] != pytest.approx(wald["ci_low"], rel=1e-3)
    # at the profile bound, the LR statistic of "log OR fixed at the bound" equals the chi-square quantile
    y = d["y"].to_numpy(float)
    x = (d["g"] == "b").to_numpy(float)
    full = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
    fixed = sm.GLM(y, np.ones((len(y), 1)), family=sm.families.Binomial(), offset=np.log(prof["ci_high"]) * x).fit()
    assert 2 * (full.llf - fixed.llf) == pytest.approx(st.chi2.ppf(0.95, 1), abs=1e-4)
