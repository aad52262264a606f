"""Answers → codes on Polars: single-choice labels, checkbox cells, unknown labels."""

import polars as pl
import pytest

from helpers.clean import CleaningError
from helpers.clean.answers import code_single, label_codes, split_multi, unknown_labels

YES_NO = [{"code": "yes", "ru": "Да", "kk": "Иә", "aliases": ["Ага"]}, {"code": "no", "ru": "Нет", "kk": "Жоқ"}]
SPHERES = [{"code": "family", "ru": "Семейные (развод, алименты)", "kk": "Отбасылық (ажырасу, алимент)"},
           {"code": "labour", "ru": "Трудовые", "kk": "Еңбек"}, {"code": "land", "ru": "Земельные", "kk": "Жер"}]


class TestLabelCodes:
    def test__label_codes__every_language_and_alias_by_match_key(self):
        assert label_codes(YES_NO) == {"да": "yes", "иә": "yes", "ага": "yes", "нет": "no", "жоқ": "no"}

    def test__label_codes__one_label_for_two_codes_is_a_codebook_error(self):
        with pytest.raises(CleaningError, match="'НЕТ' is given to two codes: no and maybe"):
            label_codes([*YES_NO, {"code": "maybe", "ru": "НЕТ"}])


class TestCodeSingle:
    def test__code_single__labels_in_any_case_language_spacing_and_lookalike_letters(self):
        code, unknown = code_single(pl.Series(["ДА", " иә ", "Hет", "жоқ", None]), label_codes(YES_NO))  # "Hет": Latin H
        assert code.to_list() == ["yes", "yes", "no", "no", None]
        assert unknown.to_list() == [False, False, False, False, False]

    def test__code_single__an_unknown_label_is_flagged_not_dropped(self):
        code, unknown = code_single(pl.Series(["Может быть"]), label_codes(YES_NO))
        assert (code.to_list(), unknown.to_list()) == ([None], [True])

    def test__code_single__invisible_characters_do_not_make_a_label_unknown(self):
        code, unknown = code_single(pl.Series(["\u200bДа\u00ad"]), label_codes(YES_NO))
        assert (code.to_list(), unknown.to_list()) == (["yes"], [False])


class TestSplitMulti:
    def test__split_multi__labels_with_commas_found_intact_in_any_order(self):
        f = pl.DataFrame({"q": ["Трудовые, Семейные (развод, алименты)", "Жер, Отбасылық (ажырасу, алимент)"]})
        out = split_multi(f, "q", SPHERES)
        assert out.select("family", "labour", "land").rows() == [(True, True, False), (True, False, True)]
        assert out["rest"].to_list() == [None, None]

    def test__split_multi__what_no_label_matches_is_the_rest(self):
        out = split_multi(pl.DataFrame({"q": ["Трудовые, наследство, дарение"]}), "q", SPHERES)
        assert out.row(0) == (False, True, False, True, "наследство, дарение")

    def test__split_multi__an_empty_cell_is_not_answered(self):
        out = split_multi(pl.DataFrame({"q": [None, "  "]}, schema={"q": pl.String}), "q", SPHERES)
        assert out["answered"].to_list() == [False, False]
        assert out.select("family", "labour", "land").rows() == [(False, False, False)] * 2

    def test__split_multi__a_label_inside_another_text_is_not_a_tick(self):
        out = split_multi(pl.DataFrame({"q": ["Нетрудовые"]}), "q", SPHERES)
        assert out.row(0) == (False, False, False, True, "Нетрудовые")


class TestUnknownLabels:
    def test__unknown_labels__counted_most_frequent_first_and_masked(self):
        got = unknown_labels(pl.Series(["Иногда", "иногда", " Иногда", "Иван, 87011234567"]), "surveys/p.csv", "Q1",
                             mask=lambda t: t.replace("87011234567", "[phone]"))
        assert [(u.value, u.count) for u in got] == [("Иногда", 2), ("Иван, [phone]", 1), ("иногда", 1)]
