"""Small-cell suppression: primary cells and the secondary cell that protects them from a total."""

import pandas as pd

from helpers.analysis.suppression import display_counts, suppress_freq, suppression_mask


def test__suppression_mask__single_column_primary_and_secondary():
    # 3 is primary; with the total published it could be recovered, so the smallest other (7) goes too
    mask = suppression_mask(pd.Series([10, 3, 7, 20]), 5)
    assert mask.tolist() == [False, True, True, False]


def test__suppression_mask__two_primaries_need_no_secondary():
    mask = suppression_mask(pd.Series([10, 3, 2, 20]), 5)
    assert mask.tolist() == [False, True, True, False]


def test__suppression_mask__zero_is_not_sensitive_nor_a_first_choice_secondary():
    mask = suppression_mask(pd.Series([0, 4, 9, 30]), 5)
    assert mask.tolist() == [False, True, True, False]


def test__suppression_mask__2d_rows_and_columns():
    counts = pd.DataFrame({"a": [20, 2, 30], "b": [15, 12, 40], "c": [25, 18, 10]}, index=["x", "y", "z"])
    mask = suppression_mask(counts, 5)
    # (y, a) primary; row y -> hide smallest other in row (12 at (y, b));
    # column a -> hide smallest other (20 at (x, a)); column b now has (y, b) alone -> hide (x, b)=15;
    # row x then has (x, a), (x, b) hidden: 2 cells, ok.
    expected = pd.DataFrame({"a": [True, True, False], "b": [True, True, False], "c": [False, False, False]},
                            index=["x", "y", "z"])
    pd.testing.assert_frame_equal(mask, expected)
    # every row and column has 0 or at least 2 hidden cells
    assert set(mask.sum(axis=0)) <= {0, 2, 3} and set(mask.sum(axis=1)) <= {0, 2, 3}


def test__display_counts__strings_with_threshold_and_total():
    out = display_counts(pd.Series([10, 3, 7, 20], index=list("abcd"), name="n"), 5, total_label="Итого")
    assert out["n"].tolist() == ["10", "<5", "<5", "20", "40"]
    assert out.index.tolist()[-1] == "Итого"


def test__suppress_freq__threshold_is_a_parameter_and_shares_hidden():
    t = pd.DataFrame({"code": ["a", "b", "c", "NONRESPONSE"], "n": [10, 8, 12, 2], "base": [30, 30, 30, 32],
                      "pct": [33.3, 26.7, 40.0, 6.25], "ci_low": [19.2, 14.2, 24.6, None],
                      "ci_high": [51.2, 44.4, 57.7, None]})
    out10 = suppress_freq(t, 10)
    assert out10["n"].tolist() == ["<10", "<10", "12", "<10"]
    assert out10["pct"].tolist() == ["—", "—", "40,0", "—"]
    out5 = suppress_freq(t, 5)
    assert out5["n"].tolist() == ["10", "8", "12", "<5"]


def test__suppress_freq__multi_select_has_no_secondary():
    t = pd.DataFrame({"code": ["a", "b"], "n": [3, 9], "base": [12, 12], "pct": [25.0, 75.0],
                      "ci_low": [8.9, 46.8], "ci_high": [53.2, 91.1]})
    assert suppress_freq(t, 5, secondary=False)["n"].tolist() == ["<5", "9"]
