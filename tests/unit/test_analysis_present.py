"""Reader tables of the analytic report (``helpers.analysis.present``): headers and labels in the
report language from the ui texts, never a code or an English word."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import present, regression
from helpers.analysis.labels import Codebook
from helpers.report import load_texts


def _ui(lang: str) -> dict[str, str]:
    from helpers import params

    return present.ui_strings(load_texts(params.load("tests/fixtures/params.yaml"), "analytic_report", lang))


TESTS = pd.read_csv(io.StringIO(
    "variable,n,statistic,df,p_value,p_holm,cramers_v,warning\n"
    "sex,118,0.2356,1,0.6274,1.0,0.0447,False\n"
    "region,118,25.1,16,0.0004,0.0016,0.46,True\n"))
LOGIT = pd.read_csv(io.StringIO(
    "variable,level,reference,n_level,odds_ratio,ci_low,ci_high,p_value\n"
    "sex,male,female,51,0.7507,0.235,2.3985,0.6285\n"
    "region,other,ALA,22,1.3359,0.2778,6.4254,0.7178\n"
    "region,KAR,ALA,3,0.5,0.1,2.5,0.4\n"))


class TestTestsDisplay:
    @pytest.mark.parametrize("lang", ["ru", "kk"])
    def test__holm_header_from_the_ui_texts(self, lang):
        ui = _ui(lang)
        out = present.tests_display(TESTS, ui, {"sex": ui["sex"], "region": ui["region"]}, lang=lang)
        assert ui["p_holm"] in out.columns and "p (Holm)" not in out.columns
        assert out.columns.tolist().index(ui["p_holm"]) == out.columns.tolist().index(ui["p_value"]) + 1
        assert out[ui["p_holm"]].tolist() == ["1,000", "0,002"]
        assert out[ui["p_value"]].tolist()[1] == "<\u00a00,001"

    def test__default_language_is_russian__the_earlier_call_still_works(self):
        ui = _ui("ru")
        pd.testing.assert_frame_equal(present.tests_display(TESTS, ui, {}), present.tests_display(TESTS, ui, {}, lang="ru"))

    def test__without_holm_column__no_holm_header(self):
        ui = _ui("kk")
        assert ui["p_holm"] not in present.tests_display(TESTS.drop(columns="p_holm"), ui, {}, lang="kk").columns


class TestLogitDisplay:
    @pytest.mark.parametrize("lang, merged", [("ru", "Другие регионы (объединены)"), ("kk", "Басқа өңірлер (біріктірілген)")])
    def test__merged_level_labelled_in_the_language_and_codes_never_shown(self, lang, merged):
        ui = _ui(lang)
        cb = Codebook.load(paths.CONFIG, "population")
        levels = {"region": cb.labels("region", lang), "sex": cb.labels("sex", lang)}
        out = present.logit_display(LOGIT, ui, {"sex": ui["sex"], "region": ui["region"]}, levels,
                                    threshold=5, confidence=0.95, lang=lang)
        assert out[ui["level"]].tolist() == [levels["sex"]["male"], merged, levels["region"]["KAR"]]
        assert out[ui["reference"]].tolist()[1] == levels["region"]["ALA"]
        assert out["n"].tolist() == ["51", "22", ui["hidden_mark"]]
        assert not ({regression.MERGED, "ALA", "KAR", "male"} & set(out.to_numpy().ravel()))

    def test__merged_code_is_the_one_collapse_rare_writes(self):
        merged = regression.collapse_rare(pd.Series(["a", "a", "b"], dtype="str"), 2)
        assert merged.tolist() == ["a", "a", regression.MERGED]

    def test__merged_level_of_another_variable__generic_label(self):
        ui = _ui("kk")
        t = LOGIT.assign(variable="age_band", level="other", reference="33-45").iloc[[0]]
        out = present.logit_display(t, ui, {}, {"age_band": {"33-45": "33-45 жас"}}, threshold=5, confidence=0.95, lang="kk")
        assert out[ui["level"]].tolist() == [ui["merged_level"]]

    def test__level_without_a_label__raises(self):
        ui = _ui("ru")
        with pytest.raises(KeyError, match="KAR"):
            present.logit_display(LOGIT, ui, {}, {"region": {"ALA": "г. Алматы"}, "sex": {"male": "М", "female": "Ж"}},
                                  threshold=5, confidence=0.95)
