"""Frequency tables: base n, non-response row, % of respondents vs % of responses, comma options."""

import io

import pandas as pd
import pytest

from helpers.analysis.tables import NONRESPONSE, multi_select, single_choice, split_multi


def test__single_choice__counts_base_and_nonresponse_row():
    s = pd.Series(["yes", "no", "yes", None, "yes"], name="ready")
    t = single_choice(s, ["yes", "no", "dont_know"])
    assert t["code"].tolist() == ["yes", "no", "dont_know", NONRESPONSE]
    assert t["n"].tolist() == [3, 1, 0, 1]
    assert t["base"].tolist() == [4, 4, 4, 5]
    # the shares of those who answered add up to 100; skipping is counted apart, with no share
    assert t["pct"].iloc[:3].tolist() == pytest.approx([75.0, 25.0, 0.0]) and t["pct"].iloc[:3].sum() == 100
    assert pd.isna(t["pct"].iloc[3])


def test__single_choice__unknown_code_raises():
    with pytest.raises(ValueError):
        single_choice(pd.Series(["maybe"], name="q"), ["yes", "no"])


def test__multi_select__pct_of_respondents_and_of_responses():
    df = pd.read_csv(io.StringIO(
        "s__civil,s__family,s__labour,s__answered\n"
        "True,True,False,True\n"
        "True,False,False,True\n"
        "False,False,True,True\n"
        "False,False,False,False\n"))
    t = multi_select(df, "s")
    assert t["code"].tolist() == ["civil", "family", "labour", NONRESPONSE]
    assert t["n"].tolist() == [2, 1, 1, 1]
    assert t["base"].tolist() == [3, 3, 3, 4]
    # % of respondents: 2/3, 1/3, 1/3 ; % of responses: 2/4, 1/4, 1/4
    assert t["pct"].iloc[:3].tolist() == pytest.approx([200 / 3, 100 / 3, 100 / 3])
    assert t["pct_responses"].iloc[:3].tolist() == pytest.approx([50.0, 25.0, 25.0])


def test__split_multi__option_containing_a_comma():
    opts = {"Семейные (развод, алименты)": "family", "Трудовые": "labour", "Гражданские": "civil"}
    raw = pd.Series(["Семейные (развод, алименты), Трудовые", "Гражданские, Семейные (развод, алименты)",
                     "Трудовые, соседские споры", None])
    out = split_multi(raw, opts)
    assert out["family"].tolist() == [True, True, False, False]
    assert out["labour"].tolist() == [True, False, True, False]
    assert out["civil"].tolist() == [False, True, False, False]
    assert out["other_text"].tolist()[2] == "соседские споры"
    assert out["answered"].tolist() == [True, True, True, False]
    # and the table built on it counts each respondent once per option
    frame = out.drop(columns="other_text").add_prefix("s__")
    t = multi_select(frame, "s", ["family", "labour", "civil"])
    assert dict(zip(t["code"], t["n"])) == {"family": 2, "labour": 2, "civil": 1, NONRESPONSE: 1}
