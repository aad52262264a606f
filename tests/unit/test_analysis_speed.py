"""The code-based counting of helpers.analysis (factorise once, ``np.bincount``) gives exactly what
the straightforward pandas versions (text keys, groupby / crosstab) give: same values, labels,
order and dtypes — with missing values, empty frames, unseen orders, bools and categoricals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import crosstab, likert, regression
from helpers.analysis.grouping import group_sizes, text_codes, text_order, with_missing_label
from helpers.analysis.intervals import proportion


# ---- reference implementations: text keys and pandas groupby, as the code did before ----------

def ref_counts(df: pd.DataFrame, row: str, col: str, *, row_order: Sequence[str] | None = None,
               col_order: Sequence[str] | None = None) -> pd.DataFrame:
    sub = df[[row, col]].dropna()
    r, c = sub[row].astype("str").rename(row), sub[col].astype("str").rename(col)
    tab = r.groupby([r, c], sort=True).size().unstack(fill_value=0) if len(sub) else pd.crosstab(r, c)
    if row_order is not None:
        tab = tab.reindex(index=list(row_order), fill_value=0)
    if col_order is not None:
        tab = tab.reindex(columns=list(col_order), fill_value=0)
    tab.index.name, tab.columns.name = row, col
    return tab.astype("int64")


def ref_breakdown(df: pd.DataFrame, by: str, flag: str, *, order: Sequence[str] | None = None,
                  confidence: float = 0.95, method: str = "wilson") -> pd.DataFrame:
    sub = df[[by, flag]]
    sub = sub[sub[flag].notna()]
    key = sub[by].astype("str").fillna("NONRESPONSE")
    grp = sub[flag].astype(bool).groupby(key, sort=True)
    x, n = grp.sum().astype("int64"), grp.size().astype("int64")
    out = pd.DataFrame({"level": x.index.astype("str"), "x": x.to_numpy(), "n": n.to_numpy()})
    if order is not None:
        levels = list(order) + (["NONRESPONSE"] if "NONRESPONSE" in out["level"].tolist() else [])
        out = out.set_index("level").reindex(levels, fill_value=0).reset_index()
    else:
        out = out.sort_values(["n", "level"], ascending=[False, True], kind="stable")
    est = proportion(out["x"].to_numpy(), out["n"].to_numpy(), confidence, method)
    for k, v in est.items():
        out[k] = v
    return out.reset_index(drop=True).astype({"level": "str"})


def ref_patterns(data: pd.DataFrame, outcome: str, predictors: Sequence[str]) -> pd.DataFrame:
    keys = data[list(predictors)].astype("str").assign(**{outcome: data[outcome].astype(float).to_numpy()})
    pat = keys.groupby([*predictors, outcome], sort=True, observed=True).size().rename("n").reset_index()
    return pat.astype({p: "str" for p in predictors})


# ---- inputs ---------------------------------------------------------------------------------------

def _frame() -> pd.DataFrame:
    """Small survey-like frame: text with NA, bools, nullable bools, a categorical, ints, object."""
    return pd.DataFrame({
        "region": pd.array(["b", "a", None, "b", "c", "a", "B", "b", "a", None], dtype="str"),
        "sex": pd.array(["m", "f", "f", None, "m", "m", "f", "f", "m", "f"], dtype="str"),
        "flag": pd.array([True, False, None, True, True, False, True, None, False, True], dtype="boolean"),
        "tick": np.array([True, False, False, True, True, False, True, True, False, True]),
        "cat": pd.Categorical(["x", "y", None, "x", "x", "y", "y", "x", "x", "y"], categories=["z", "y", "x"]),
        "num": np.array([3, 1, 2, 3, 1, 1, 2, 3, 3, 10]),
        "obj": pd.Series([1, "1", None, 2.5, "a", True, "b", 1, "a", "b"], dtype=object),
        "nonresp": pd.array(["NONRESPONSE", "a", None, "a", "b", "b", None, "a", "a", "b"], dtype="str"),
        "nint": pd.array([1, None, 2, 1, 1, 20, 2, None, 1, 2], dtype="Int64"),
        "flt": [0.0, -0.0, np.nan, 1.5, 1.5, 0.0, 2.0, np.nan, 1.0, 0.0],
        "nastr": pd.array(["b", "a", None, "b", "a", "a", "b", None, "b", "a"], dtype="string"),
        "arrow": pd.array([True, False, None, True, True, False, False, True, None, True], dtype="bool[pyarrow]"),
    }, index=[9, 3, 5, 1, 0, 2, 8, 7, 6, 4])


KEYS = ["region", "sex", "flag", "tick", "cat", "num", "obj", "nonresp", "nint", "flt", "nastr", "arrow"]


@pytest.mark.parametrize("col", KEYS)
def test_text_codes_spell_astype_str(col):
    s = _frame()[col]
    codes, labels = text_codes(s)
    expected = s.astype("str")
    assert len(set(labels.tolist())) == len(labels)
    assert (codes < 0).tolist() == expected.isna().tolist()
    got = [labels[c] if c >= 0 else None for c in codes]
    assert got == [None if pd.isna(v) else v for v in expected.tolist()]


def test_missing_label_and_order():
    codes, labels = with_missing_label(np.array([0, -1, 1]), np.array(["b", "a"], dtype=object), "NONRESPONSE")
    assert codes.tolist() == [0, 2, 1] and labels.tolist() == ["b", "a", "NONRESPONSE"]
    assert labels[text_order(labels)].tolist() == ["NONRESPONSE", "a", "b"]


@pytest.mark.parametrize("sizes", [(3, 2), (10**7, 10**7)])  # dense count, then the sparse path
def test_group_sizes_as_groupby(sizes):
    rng = np.random.default_rng(1)
    a, b = rng.integers(-1, 3, 200), rng.integers(-1, 2, 200)
    keys, n = group_sizes([a, b], list(sizes))
    ok = (a >= 0) & (b >= 0)
    ref = pd.Series(1, index=pd.MultiIndex.from_arrays([a[ok], b[ok]])).groupby(level=[0, 1]).size()
    assert [tuple(k) for k in keys.tolist()] == ref.index.tolist()
    assert n.tolist() == ref.tolist() and n.dtype == np.int64


def test_group_sizes_empty_and_all_missing():
    keys, n = group_sizes([np.array([], dtype=np.intp)], [0])
    assert keys.shape == (0, 1) and len(n) == 0
    keys, n = group_sizes([np.array([-1, -1]), np.array([0, 1])], [1, 2])
    assert keys.shape == (0, 2) and len(n) == 0
    keys, n = group_sizes([np.array([-1, -1]), np.array([0, 1])], [10**7, 10**7])
    assert keys.shape == (0, 2) and len(n) == 0


# ---- crosstab.counts --------------------------------------------------------------------------

PAIRS = [("region", "flag"), ("sex", "tick"), ("cat", "region"), ("num", "sex"), ("obj", "flag"),
         ("tick", "flag"), ("nonresp", "cat"), ("region", "region_copy"), ("nint", "flt"), ("nastr", "arrow")]


@pytest.mark.parametrize("row,col", PAIRS)
def test_counts_as_groupby(row, col):
    df = _frame().assign(region_copy=lambda d: d["region"])
    pd.testing.assert_frame_equal(crosstab.counts(df, row, col), ref_counts(df, row, col))


@pytest.mark.parametrize("row,col", PAIRS[:4])
def test_counts_orders_with_unseen_levels(row, col):
    df = _frame().assign(region_copy=lambda d: d["region"])
    kw = {"row_order": ["zz", "a", "m", "3", "x", "b"], "col_order": ["True", "nope", "f", "a"]}
    pd.testing.assert_frame_equal(crosstab.counts(df, row, col, **kw), ref_counts(df, row, col, **kw))


@pytest.mark.parametrize("rows", [slice(0, 0), [2]])  # no rows; one row with a missing value
def test_counts_empty(rows):
    df = _frame().iloc[rows]
    pd.testing.assert_frame_equal(crosstab.counts(df, "region", "flag"), ref_counts(df, "region", "flag"))
    kw = {"row_order": ["a"], "col_order": ["True", "False"]}
    pd.testing.assert_frame_equal(crosstab.counts(df, "region", "flag", **kw), ref_counts(df, "region", "flag", **kw))


def test_counts_equals_pd_crosstab():
    df = _frame().dropna(subset=["region", "sex"])
    expected = pd.crosstab(df["region"], df["sex"])
    pd.testing.assert_frame_equal(crosstab.counts(df, "region", "sex"), expected, check_dtype=False,
                                  check_index_type=False, check_column_type=False)


# ---- crosstab.breakdown -------------------------------------------------------------------------

@pytest.mark.parametrize("by,flag", [(by, flag) for flag in ["flag", "tick", "arrow"]
                                     for by in ["region", "sex", "cat", "num", "obj", "tick", "nonresp", "nint", "flt", "nastr", "arrow"]
                                     if by != flag])
@pytest.mark.parametrize("order", [None, ["c", "a", "unseen", "b", "x", "m"]])
def test_breakdown_as_groupby(by, flag, order):
    df = _frame()
    pd.testing.assert_frame_equal(crosstab.breakdown(df, by, flag, order=order),
                                  ref_breakdown(df, by, flag, order=order))


@pytest.mark.parametrize("order", [None, ["a", "b"]])
def test_breakdown_empty_and_unanswered(order):
    empty = _frame().iloc[:0]
    pd.testing.assert_frame_equal(crosstab.breakdown(empty, "region", "flag", order=order),
                                  ref_breakdown(empty, "region", "flag", order=order))
    unanswered = _frame().assign(flag=pd.array([None] * 10, dtype="boolean"))
    pd.testing.assert_frame_equal(crosstab.breakdown(unanswered, "region", "flag", order=order),
                                  ref_breakdown(unanswered, "region", "flag", order=order))


def test_breakdown_object_flag_with_none():
    df = _frame().assign(flag=pd.Series([True, None, False, True, 1, 0, None, True, False, True], dtype=object,
                                        index=_frame().index))
    pd.testing.assert_frame_equal(crosstab.breakdown(df, "region", "flag", method="clopper_pearson"),
                                  ref_breakdown(df, "region", "flag", method="clopper_pearson"))


# ---- regression.covariate_patterns and the fit on them ----------------------------------------------

@pytest.mark.parametrize("outcome,predictors", [
    (outcome, predictors) for outcome in ["flag", "tick", "arrow"]
    for predictors in [["sex"], ["region", "sex"], ["cat", "tick", "num"], ["cat", "flag", "num"], ["obj", "region"],
                       ["nint", "flt", "nastr", "arrow"]]
    if outcome not in predictors])
def test_covariate_patterns_as_groupby(predictors, outcome):
    df = _frame()
    data = df[[outcome, *predictors]].dropna()
    expected = ref_patterns(data, outcome, predictors)
    pd.testing.assert_frame_equal(regression.covariate_patterns(data, outcome, predictors), expected)
    # incomplete rows are left out by the function itself
    pd.testing.assert_frame_equal(regression.covariate_patterns(df, outcome, predictors), expected)


def test_covariate_patterns_empty_and_float_outcome():
    df = _frame()
    empty = df.iloc[:0]
    pd.testing.assert_frame_equal(regression.covariate_patterns(empty, "flag", ["region", "sex"]),
                                  ref_patterns(empty, "flag", ["region", "sex"]))
    y = df.assign(y=[0.0, 1.0, np.nan, 1.0, -0.0, 0.0, 1.0, 1.0, np.nan, 0.0])
    pd.testing.assert_frame_equal(regression.covariate_patterns(y, "y", ["sex"]),
                                  ref_patterns(y.dropna(subset=["y", "sex"]), "y", ["sex"]))


def test_logit_counts_complete_cases():
    rng = np.random.default_rng(7)
    n = 400
    df = pd.DataFrame({
        "y": pd.array(rng.random(n) < 0.4, dtype="boolean"),
        "g": pd.array(rng.choice(["a", "b", "c"], n), dtype="str"),
        "h": rng.random(n) < 0.5,
    })
    df.loc[rng.random(n) < 0.1, "y"] = pd.NA
    df.loc[rng.random(n) < 0.1, "g"] = None
    res = regression.logit_odds_ratios(df, "y", ["g", "h"])
    data = df.dropna()
    assert (res.n, res.n_dropped) == (len(data), n - len(data))
    ref = regression.logit_odds_ratios(data, "y", ["g", "h"])
    pd.testing.assert_frame_equal(res.table, ref.table)
    text = {"g": data["g"].astype("str"), "h": data["h"].astype("str")}
    assert res.table["n_level"].tolist() == [int((text[v] == lv).sum()) for v, lv in
                                             zip(res.table["variable"], res.table["level"])]


# ---- likert -------------------------------------------------------------------------------------

def test_likert_categorical_with_unused_categories():
    s = pd.Categorical(["agree", "dont_know", None, "agree"], categories=["agree", "disagree", "dont_know", "zzz"])
    t = likert.likert_table(pd.DataFrame({"q": s}), ["q"], ["agree", "disagree"])
    assert t[["code", "n", "base_scale", "n_dont_know", "n_missing"]].to_dict("list") == {
        "code": ["agree", "disagree"], "n": [2, 0], "base_scale": [2, 2], "n_dont_know": [1, 1], "n_missing": [1, 1]}
    with pytest.raises(ValueError, match="outside the scale"):
        likert.likert_table(pd.DataFrame({"q": ["agree", "zzz", None]}), ["q"], ["agree", "disagree"])
