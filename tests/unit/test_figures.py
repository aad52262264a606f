"""The figures record and the placeholder filling of report texts."""

import json
import re

import numpy as np
import pytest

from helpers import figures
from helpers.figure_catalogue import Catalogue

#: the labels of the figures these tests record
CAT = Catalogue({k: {"unit": unit, "ru": k, "kk": k} for k, unit in
                 [("a.{x}", "count"), ("b.share", "percent"), ("x", "count"), ("z", "percent"), ("a", "count")]})


class TestFiguresRecord:
    def test__save__merges_and_replaces_own_entries(self, tmp_path):
        path = tmp_path / "figures.json"
        a = figures.FiguresRecord(path, "nb_a", CAT)
        a.add("a.one", 1)
        a.add("a.old", 2)
        a.save()
        b = figures.FiguresRecord(path, "nb_b", CAT)
        b.add("b.share", np.float64(0.123456789012345), base=np.int64(10))
        b.save()
        a2 = figures.FiguresRecord(path, "nb_a", CAT)
        a2.add("a.one", 3)
        a2.save()
        figs = figures.load(path)
        assert sorted(figs) == ["a.one", "b.share"]  # a.old dropped: nb_a no longer records it
        assert figs["a.one"]["value"] == 3
        assert figs["b.share"]["value"] == 0.123456789  # rounded to 10 places, plain float
        assert figs["b.share"]["base"] == 10
        assert json.loads(path.read_text(encoding="utf-8"))["figures"]["a.one"]["notebook"] == "nb_a"

    def test__save__same_id_from_another_notebook_is_an_error(self, tmp_path):
        path = tmp_path / "figures.json"
        a = figures.FiguresRecord(path, "nb_a", CAT)
        a.add("x", 1)
        a.save()
        b = figures.FiguresRecord(path, "nb_b", CAT)
        b.add("x", 2)
        with pytest.raises(ValueError, match="another notebook"):
            b.save()

    def test__add__twice_and_bad_id(self, tmp_path):
        rec = figures.FiguresRecord(tmp_path / "f.json", "nb", CAT)
        rec.add("x", 1)
        with pytest.raises(ValueError, match="twice"):
            rec.add("x", 1)
        with pytest.raises(ValueError, match="use letters"):
            rec.add("bad id", 1)

    def test__add__takes_unit_labels_and_source_from_the_catalogue(self, tmp_path):
        cat = Catalogue({"plan.{id}.plan": {"unit": "{unit}", "ru": "План: {name_ru}", "kk": "Жоспар: {name_kk}",
                                            "source": "{registry}"}})
        rec = figures.FiguresRecord(tmp_path / "f.json", "nb", cat)
        assert rec.add("plan.t1.plan", 500.0, unit="count", name_ru="Консультации", name_kk="Кеңестер", registry="r.yaml") == 500.0
        rec.save()
        fig = figures.load(tmp_path / "f.json")["plan.t1.plan"]
        assert (fig["unit"], fig["label_ru"], fig["label_kk"], fig["source"], fig["base"]) == \
            ("count", "План: Консультации", "Жоспар: Кеңестер", "r.yaml", None)

    def test__add__a_figure_without_an_entry_is_an_error_naming_the_catalogue(self, tmp_path):
        path = tmp_path / "figures.yaml"
        path.write_text("a.{x}: {unit: count, ru: р, kk: қ}\n", encoding="utf-8")
        rec = figures.FiguresRecord(tmp_path / "f.json", "nb", path)
        with pytest.raises(ValueError, match=rf"'new\.figure' has no entry in {re.escape(str(path))}"):
            rec.add("new.figure", 1)
        assert len(rec) == 0

    def test__save__is_byte_identical_on_rerun(self, tmp_path):
        path = tmp_path / "figures.json"
        written = []
        for _ in range(2):
            rec = figures.FiguresRecord(path, "nb", CAT)
            rec.add("z", 0.1 + 0.2)
            rec.add("a", 5)
            rec.save()
            written.append(path.read_bytes())
        assert written[0] == written[1]


class TestSummary:
    def test__summary__a_hidden_cell_and_its_interval_show_the_mark_figures_json_keeps_the_value(self, tmp_path):
        cat = Catalogue({"a.spheres.{code}.{end}": {"unit": "percent", "ru": "{code}: {end}", "kk": "{code}: {end}"}})
        rec = figures.FiguresRecord(tmp_path / "figures.json", "nb", cat)
        for code, pct in (("family", 74.4), ("other", 1.2)):
            for end, v in (("pct", pct), ("ci_low", pct - 1), ("ci_high", pct + 1)):
                rec.add(f"a.spheres.{code}.{end}", v, base=250)
        lines = rec.summary(hidden=["a.spheres.other"]).splitlines()
        assert [ln for ln in lines if "×" in ln] == [f"a.spheres.other.{e} = ×  (n=250)" for e in ("ci_high", "ci_low", "pct")]
        assert "a.spheres.family.pct = 74,4\xa0%  (n=250)" in lines
        rec.save()
        assert figures.load(tmp_path / "figures.json")["a.spheres.other.pct"]["value"] == 1.2


class TestFill:
    FIGS = {"n": {"value": 1894, "unit": "count"}, "p": {"value": 99.6010638, "unit": "percent"},
            "kzt": {"value": 9950000, "unit": "kzt"}, "t": {"value": "family", "unit": "code"}}

    def test__fill__formats_per_language(self):
        assert figures.fill("{{ n }} чел.; {{p}}; {{ kzt }}", self.FIGS, "ru") == \
            "1\u00a0894 чел.; 99,6\u00a0%; 9\u00a0950\u00a0000\u00a0тг"
        assert figures.fill("{{ kzt }}", self.FIGS, "kk") == "9\u00a0950\u00a0000\u00a0теңге"

    def test__fill__format_override(self):
        assert figures.fill("{{ p|pct2 }} / {{ p|raw }}", self.FIGS, "ru") == "99,60\u00a0% / 99,6"

    def test__fill__unknown_placeholder_lists_all_missing(self):
        with pytest.raises(figures.MissingFigureError, match=r"\['missing\.a', 'missing\.b'\]"):
            figures.fill("{{ missing.b }} {{ n }} {{ missing.a }}", self.FIGS, "ru")

    def test__fill__text_without_placeholders_is_unchanged(self):
        assert figures.fill("Нет чисел.", self.FIGS, "kk") == "Нет чисел."

    def test__format_value__none_and_text(self):
        assert figures.format_value(None, "count", "ru") == "—"
        assert figures.fill("{{ t }}", self.FIGS, "ru") == "family"


class TestFormatNumber:
    def test__format_number__groups_with_no_break_space_and_decimal_comma_in_both_languages(self):
        for lang in ("ru", "kk"):
            assert figures.format_number(1274753, lang=lang) == "1\u00a0274\u00a0753"
            assert figures.format_number(1234.5, 2, lang=lang) == "1\u00a0234,50"
            assert figures.format_number(-9950000, lang=lang) == "-9\u00a0950\u00a0000"

    def test__format_number__rounds_as_python_prints_and_drops_the_sign_of_zero(self):
        assert figures.format_number(88.06, 1) == "88,1"
        assert figures.format_number(0.125, 2) == "0,12"  # an exact tie: half to even, as f"{0.125:.2f}"
        assert figures.format_number(2.675, 2) == "2,67"  # the float is 2.67499…
        assert figures.format_number(-0.04, 1) == "0,0"
        assert figures.format_number(999.96, 1) == "1\u00a0000,0"

    def test__format_number__numpy_scalars_and_nan(self):
        assert figures.format_number(np.int64(1894)) == "1\u00a0894"
        assert figures.format_number(np.float64(12.345), 1) == "12,3"
        assert figures.format_number(float("nan"), 1) == "—"

    def test__format_value__units_formats_and_p_values_per_language(self):
        assert figures.format_value(2.04, "pp", "ru") == "2,0\u00a0п.п."
        assert figures.format_value(2.04, "pp", "kk") == "2,0\u00a0п.т."
        assert figures.format_value(9950000.0, "kzt", "ru", "raw") == "9\u00a0950\u00a0000"
        assert figures.format_value(5.5, "experience_years", "ru") == "5,50"
        assert figures.format_value(0.0315, "p", "kk") == "0,032"
        assert figures.format_value(0.2, "count", "ru", "p") == "0,200"


class TestFillPlural:
    FORMS = "{{ x|n:принятая анкета/принятые анкеты/принятых анкет }}"

    @staticmethod
    def _fill(text, value, unit="count", lang="ru"):
        return figures.fill(text, {"x": {"value": value, "unit": unit}}, lang)

    def test__fill__noun_agrees_with_the_number(self):
        got = [self._fill(self.FORMS, v) for v in (1, 2, 5, 11, 21, 22, 92, 111, 821, 1000)]
        assert got == ["1 принятая анкета", "2 принятые анкеты", "5 принятых анкет", "11 принятых анкет",
                       "21 принятая анкета", "22 принятые анкеты", "92 принятые анкеты",
                       "111 принятых анкет", "821 принятая анкета", "1\u00a0000 принятых анкет"]

    def test__fill__fraction_takes_the_second_form_or_the_fourth(self):
        assert self._fill("{{ x|n:год/года/лет }}", 5.5) == "5,50 года"
        assert self._fill("{{ x|n:год/года/лет }}", 5.0) == "5 лет"  # a whole float prints as an integer
        four = "{{ x|n:принятая анкета/принятые анкеты/принятых анкет/принятой анкеты }}"
        assert self._fill(four, 2.5) == "2,50 принятой анкеты"
        assert self._fill(four, 2) == "2 принятые анкеты"

    def test__fill__format_and_forms_combined_agree_with_the_number_as_shown(self):
        assert self._fill("{{ x|int|n:год/года/лет }}", 20.6) == "21 год"
        assert self._fill("{{ x | num1 | n: год / года / лет }}", 1) == "1,0 года"

    def test__fill__hash_places_the_number_so_a_verb_agrees(self):
        text = "Опрос {{ x|n:прошёл # человек/прошли # человека/прошли # человек }}."
        assert [self._fill(text, v) for v in (1, 2, 5, 21)] == [
            "Опрос прошёл 1 человек.", "Опрос прошли 2 человека.", "Опрос прошли 5 человек.",
            "Опрос прошёл 21 человек."]

    def test__fill__kazakh_one_form_and_no_forms(self):
        assert self._fill("{{ x|n:адам }}", 21, lang="kk") == "21 адам"
        assert self._fill("{{ x }} адам", 1000, lang="kk") == "1\u00a0000 адам"

    def test__fill__missing_value_takes_the_many_form(self):
        assert self._fill(self.FORMS, None) == "— принятых анкет"

    def test__fill__malformed_plural_spec_is_a_value_error_naming_the_placeholder(self):
        for bad in ("{{ x|n:анкета/анкеты }}", "{{ x|n:анкета//анкет }}", "{{ x|n: }}",
                    "{{ x|n:# анкета/анкеты/# анкет }}", "{{ x|n:a/b/c|n:a/b/c }}"):
            with pytest.raises(ValueError, match=re.escape(repr(bad))):
                self._fill(f"Всего {bad}.", 5)

    def test__fill__unknown_format_or_bad_id_is_a_value_error(self):
        with pytest.raises(ValueError, match=r"unknown format 'pct'"):
            self._fill("{{ x|pct }}", 5)
        with pytest.raises(ValueError, match=r"'\{\{ x y \}\}'"):
            self._fill("{{ x y }}", 5)

    def test__fill__forms_after_a_percentage_or_a_text_are_a_value_error(self):
        with pytest.raises(ValueError, match="not a count"):
            self._fill("{{ x|n:ответ/ответа/ответов }}", 12.5, unit="percent")
        with pytest.raises(ValueError, match="not a count"):
            self._fill("{{ x|n:ответ/ответа/ответов }}", "family", unit="code")
        assert self._fill("{{ x|raw|n:тенге }}", 9950000, unit="kzt") == "9\u00a0950\u00a0000 тенге"

    def test__fill__unknown_id_with_forms_is_still_a_missing_figure_error(self):
        with pytest.raises(figures.MissingFigureError, match=r"\['nope'\]"):
            figures.fill("{{ nope|n:анкета/анкеты/анкет }}", {}, "ru")


class TestFillPunctuation:
    def test__fill__unit_ending_in_a_dot_before_a_sentence_dot_gives_one_dot(self):
        figs = {"d": {"value": 2.04, "unit": "pp"}, "n": {"value": 5, "unit": "count"}}
        assert figures.fill("Разница {{ d }}.", figs, "ru") == "Разница 2,0\u00a0п.п."
        assert figures.fill("Айырмасы {{ d }}. Келесі.", figs, "kk") == "Айырмасы 2,0\u00a0п.т. Келесі."
        assert figures.fill("({{ d }}), {{ d }}", figs, "ru") == "(2,0\u00a0п.п.), 2,0\u00a0п.п."
        assert figures.fill("Всего {{ n }}.", figs, "ru") == "Всего 5."


class TestPlaceholders:
    def test__placeholders__ids_in_order_whatever_the_filters(self):
        text = "{{ a.n|n:анкета/анкеты/анкет }} и {{a.p|pct1}}, {{ b-c_d.e|int|n:год/года/лет }}; {{ a.n }}."
        assert figures.placeholders(text) == ["a.n", "a.p", "b-c_d.e", "a.n"]

    def test__placeholders__malformed_one_is_a_value_error(self):
        with pytest.raises(ValueError, match="a/b"):
            figures.placeholders("{{ a.n|n:a/b }}")


class TestFillKazakhAblative:
    @staticmethod
    def _fill(text, value, unit="count", lang="kk"):
        return figures.fill(text, {"x": {"value": value, "unit": unit}}, lang)

    def test__fill__ablative_ending_follows_the_last_word_of_the_number(self):
        got = {v: self._fill("{{ x|abl }} астам", v) for v in (1, 3, 5, 6, 10, 40, 80, 100, 280, 15000, 1274753)}
        assert got == {1: "1-ден астам", 3: "3-тен астам", 5: "5-тен астам", 6: "6-дан астам",
                       10: "10-нан астам", 40: "40-тан астам", 80: "80-нен астам", 100: "100-ден астам",
                       280: "280-нен астам", 15000: "15\u00a0000-нан астам",
                       1274753: "1\u00a0274\u00a0753-тен астам"}
        assert self._fill("{{ x|abl }}", 5.5) == "5,50-ден"  # «бес бүтін жүзден елу»
        assert self._fill("{{ x|num1|abl }}", 5.5) == "5,5-тен"  # «бес бүтін оннан бес»
        assert self._fill("{{ x|abl }} астам", None) == "— астам"

    def test__fill__ablative_outside_kazakh_or_after_a_unit_is_a_value_error(self):
        with pytest.raises(ValueError, match="Kazakh ablative"):
            self._fill("{{ x|abl }}", 5, lang="ru")
        with pytest.raises(ValueError, match="not a count"):
            self._fill("{{ x|abl }}", 12.5, unit="percent")
        with pytest.raises(ValueError, match="do not go together"):
            self._fill("{{ x|abl|n:адам }}", 5)
