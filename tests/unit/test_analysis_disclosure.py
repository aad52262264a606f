"""Disclosure control (``helpers.analysis.disclosure``): the primary rule, the secondary cells chosen so
that no hidden cell is pinned by the published sums, and the layouts of published tables."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import disclosure, present, tables
from helpers.report import load_texts


def _ui() -> dict[str, str]:
    from helpers import params

    return present.ui_strings(load_texts(params.load("tests/fixtures/params.yaml"), "analytic_report", "ru"))


class TestBounds:
    def test__one_hidden_cell_under_a_published_total__pinned(self):
        lo, hi = disclosure.bounds([10, 3, 7], [[0, 1, 2]], [False, True, False])
        assert (lo[1], hi[1]) == (3, 3)

    def test__unpublished_sum__no_upper_bound(self):
        lo, hi = disclosure.bounds([10, 3], [[0, 1]], [False, True], published=[False])
        assert lo[1] == 1 and hi[1] == np.inf


class TestProtect:
    def test__threshold_is_a_parameter(self):
        values, sums = [10, 8, 12, 30], [[0, 1, 2, 3]]
        assert disclosure.protect(values, sums, 5).hidden.tolist() == [False] * 4
        assert disclosure.protect(values, sums, 9).hidden.tolist() == [True, True, False, False]  # 8, and 10 for it
        assert disclosure.protect(values, sums, 13).hidden.tolist() == [True, True, True, False]

    def test__two_small_cells_of_one_each__a_third_is_hidden(self):
        # 1 + 1 = 2 under the total pins both to 1: the smallest visible cell goes too
        p = disclosure.protect([1, 1, 9, 30], [[0, 1, 2, 3]], 5)
        assert p.hidden.tolist() == [True, True, True, False]

    def test__zeros_are_never_hidden(self):
        p = disclosure.protect([0, 4, 0, 9, 30], [[0, 1, 2, 3, 4]], 5)
        assert p.hidden.tolist() == [False, True, False, True, False]

    def test__small_total__not_published_and_its_cells_hidden(self):
        p = disclosure.protect([2, 1, 20], [[0, 1], [0, 1, 2]], 5)
        assert p.published.tolist() == [False, True] and p.hidden[:2].all()

    def test__two_way_table__no_hidden_cell_pinned_after_protection(self):
        counts = np.array([[20, 15, 25], [2, 12, 18], [30, 40, 10]])
        r, c = counts.shape
        sums = [[i * c + j for j in range(c)] for i in range(r)] + [[i * c + j for i in range(r)] for j in range(c)]
        p = disclosure.protect(counts.ravel(), sums, 5)
        lo, hi = disclosure.bounds(counts.ravel(), sums, p.hidden)
        assert p.hidden[3] and p.hidden.sum() >= 4 and not (p.hidden & (lo == hi)).any()

    def test__negative_count__raises(self):
        with pytest.raises(ValueError, match="non-negative"):
            disclosure.protect([-1, 5], [[0, 1]], 5)


class TestLayouts:
    def test__one_way__nonresponse_shown_without_a_share(self):
        t = tables.single_choice(pd.Series(["a"] * 20 + ["b"] * 3 + ["c"] * 9 + [None] * 2), ["a", "b", "c"])
        out = disclosure.one_way(t, 5)
        assert out["hidden"].tolist() == [False, True, True, False]  # c (9) protects b (3); rows ranked by n
        assert out["n"].tolist()[-1] == 2 and np.isnan(out["pct"].iloc[-1])

    def test__multi_select__an_option_ticked_by_nearly_all_is_hidden_with_another(self):
        df = pd.DataFrame({"q__a": [True] * 38 + [False] * 2, "q__b": [True] * 20 + [False] * 20,
                           "q__c": [False] * 30 + [True] * 10})
        out = disclosure.one_way(tables.multi_select(df, "q"), 5)
        hidden = dict(zip(out["code"], out["hidden"]))
        assert hidden["a"] and sum(hidden.values()) >= 2

    def test__breakdown__small_not_ready_hides_the_share_and_the_totals_row_is_published(self):
        t = pd.DataFrame({"level": ["A", "B", "C"], "x": [17, 30, 10], "n": [20, 40, 20]}).assign(pct=0.0, ci_low=0.0, ci_high=0.0)
        out = disclosure.breakdown(t, 5)
        assert out["hidden"].tolist() == [True, False, True, False]  # A (3 not ready) and C, which protects it
        lo_hi = disclosure.bounds([17, 30, 10, 3, 10, 10], [[0, 3], [1, 4], [2, 5], [0, 1, 2], [3, 4, 5]],
                                  [True, False, True, True, False, True])
        assert (lo_hi[0] != lo_hi[1])[[0, 2, 3, 5]].all()
        assert out["level"].iloc[-1] == disclosure.TOTAL and out["n"].iloc[-1] == 80

    def test__likert_groups__a_small_dont_know_hidden_and_not_recoverable_from_the_totals(self):
        lik = pd.read_csv(io.StringIO(
            "group,item,code,n,base_scale,n_dont_know\n"
            "g1,i,yes,10,20,2\ng1,i,no,10,20,2\ng2,i,yes,12,20,6\ng2,i,no,8,20,6\ng3,i,yes,9,20,7\ng3,i,no,11,20,7\n"))
        out = disclosure.likert_groups(lik, ["yes", "yes2", "no2", "no"], 5, confidence=0.95)
        assert out["hidden_dk"].tolist() == [True, True, False, False]
        assert out["group"].tolist()[-1] == disclosure.TOTAL and out["dont_know"].iloc[-1] == 15


class TestDisplays:
    def test__hidden_cells_show_the_mark_zeros_show_0(self):
        ui = _ui()
        t = tables.single_choice(pd.Series(["a"] * 20 + ["b"] * 3 + ["c"] * 9), ["a", "b", "c", "d"])
        out = present.freq_display(t, {}, ui, threshold=5, confidence=0.95)
        assert out["n"].tolist() == ["20", "9" if False else ui["hidden_mark"], ui["hidden_mark"], "0", "0"]
        assert out["%"].tolist()[-2:] == ["0,0", "—"]

    def test__breakdown_display__empty_level_is_0_not_hidden(self):
        ui = _ui()
        t = pd.DataFrame({"level": ["A", "B"], "x": [0, 30], "n": [0, 40], "pct": [np.nan, 75.0],
                          "ci_low": [np.nan, 60.0], "ci_high": [np.nan, 86.0]})
        out = present.breakdown_display(t, {}, ui, threshold=5, confidence=0.95)
        assert out["n"].tolist() == ["0", "40", "40"] and out["%"].tolist()[0] == "—"
