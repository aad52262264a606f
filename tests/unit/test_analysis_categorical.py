"""Aspect 1 reads its answer columns as categoricals (``read_columns(categorical=True)``): every
analysis function gives the same result on them as on the text columns."""

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import crosstab, inputs, likert, regression, tables


@pytest.fixture
def frames(tmp_path):
    rng = np.random.default_rng(11)
    n = 3000
    text = pd.DataFrame({
        "ready": pd.array(rng.choice(["yes", "rather_yes", "no", None], n, p=[.4, .3, .2, .1]), dtype="str"),
        "conv": pd.array(rng.choice(["agree", "disagree", "dont_know", None], n), dtype="str"),
        "region": pd.array(rng.choice(["ALA", "AST", "KAR", "ZZZ", None], n, p=[.4, .3, .25, .001, .049]), dtype="str"),
        "sex": pd.array(rng.choice(["female", "male", None], n), dtype="str"),
        "form_lang": pd.array(rng.choice(["ru", "kk"], n), dtype="str"),
        "q__a": rng.random(n) < .5,
        "q__answered": np.ones(n, dtype=bool),
        "id": pd.array([f"r{i}" for i in range(n)], dtype="str"),
    })
    path = tmp_path / "t.parquet"
    text.to_parquet(path, index=False)
    coded = inputs.read_columns(path, ["ready", "conv", "region", "sex", "q"], ["form_lang"], categorical=True)
    plain = inputs.read_columns(path, ["ready", "conv", "region", "sex", "q"], ["form_lang"])
    return plain, coded


def test__read_columns__categorical_has_the_same_values(frames):
    plain, coded = frames
    assert "id" not in coded.columns and list(coded.columns) == list(plain.columns)
    assert all(isinstance(coded[c].dtype, pd.CategoricalDtype) for c in ["ready", "conv", "region", "sex", "form_lang"])
    assert coded["q__a"].dtype == bool
    pd.testing.assert_frame_equal(coded.astype({c: "str" for c in coded.columns if coded[c].dtype == "category"}), plain)


def test__analysis_functions__same_result_on_categorical_and_text(frames):
    plain, coded = frames
    # a category nobody has (a parquet dictionary may list one; the codebook order differs from the data's)
    coded["ready"] = coded["ready"].cat.add_categories(["maybe"])
    pd.testing.assert_frame_equal(tables.single_choice(coded["ready"], ["yes", "rather_yes", "no", "maybe"]),
                                  tables.single_choice(plain["ready"], ["yes", "rather_yes", "no", "maybe"]))
    with pytest.raises(ValueError, match="not among the options"):
        tables.single_choice(coded["ready"], ["yes", "no"])
    pd.testing.assert_frame_equal(likert.likert_table(coded, ["conv"], ["agree", "disagree"]),
                                  likert.likert_table(plain, ["conv"], ["agree", "disagree"]))
    pd.testing.assert_frame_equal(tables.multi_select(coded, "q"), tables.multi_select(plain, "q"))
    results = []
    for df in (plain, coded):
        sub = df[["region", "sex", "form_lang"]].assign(flag=df["ready"].isin(["yes", "rather_yes"]).astype("boolean").where(df["ready"].notna()))
        by = crosstab.breakdown(sub, "region", "flag", order=["ALA", "AST", "KAR", "ZZZ"])
        ct = crosstab.counts(sub.dropna(subset=["flag"]), "sex", "flag")
        collapsed = regression.collapse_rare(sub["region"], 50)
        fit = regression.logit_odds_ratios(sub.assign(region=collapsed), "flag", ["sex", "form_lang", "region"])
        results.append((by, ct, collapsed, fit.table))
    (by0, ct0, col0, fit0), (by1, ct1, col1, fit1) = results
    pd.testing.assert_frame_equal(by1, by0)
    pd.testing.assert_frame_equal(ct1, ct0)
    assert isinstance(col1.dtype, pd.CategoricalDtype) and "other" in set(col1.dropna())
    pd.testing.assert_series_equal(col1.astype("str"), col0)
    pd.testing.assert_frame_equal(fit1, fit0)


def test__flags__boolean_codes_give_the_factorised_results():
    """``text_codes`` and ``_float_codes`` take a boolean column's flags as its codes (no hashing);
    counts, breakdowns and covariate patterns equal those of the same flags as objects, which are
    factorised."""
    from helpers.analysis.grouping import text_codes

    rng = np.random.default_rng(5)
    n = 2000
    flag = pd.Series(rng.choice([True, False, None], n, p=[.5, .4, .1]), dtype="boolean")
    by = pd.Series(rng.choice(["a", "b", None], n), dtype="str")
    as_objects = flag.astype(object)
    codes, labels = text_codes(flag)
    ref_codes, ref_labels = text_codes(as_objects)
    assert (labels[codes[codes >= 0]] == ref_labels[ref_codes[ref_codes >= 0]]).all() and ((codes < 0) == (ref_codes < 0)).all()
    d, o = pd.DataFrame({"by": by, "f": flag}), pd.DataFrame({"by": by, "f": as_objects})
    pd.testing.assert_frame_equal(crosstab.counts(d, "by", "f"), crosstab.counts(o, "by", "f"))
    pd.testing.assert_frame_equal(crosstab.breakdown(d, "by", "f"), crosstab.breakdown(o, "by", "f"))
    pd.testing.assert_frame_equal(regression.covariate_patterns(d.dropna(), "f", ["by"]),
                                  regression.covariate_patterns(o.dropna(), "f", ["by"]))
    numpy_flags = pd.Series(rng.random(n) < .3)
    c, lab = text_codes(numpy_flags)
    assert lab[c].tolist() == numpy_flags.astype(str).tolist()
