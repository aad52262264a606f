"""The figures record and the placeholder filling of report texts."""

import json

import numpy as np
import pytest

from helpers import figures


class TestFiguresRecord:
    def test__save__merges_and_replaces_own_entries(self, tmp_path):
        path = tmp_path / "figures.json"
        a = figures.FiguresRecord(path, "nb_a")
        a.add("a.one", 1, unit="count", label_ru="один")
        a.add("a.old", 2, unit="count", label_ru="старое")
        a.save()
        b = figures.FiguresRecord(path, "nb_b")
        b.add("b.share", np.float64(0.123456789012345), unit="percent", label_ru="доля", base=np.int64(10))
        b.save()
        a2 = figures.FiguresRecord(path, "nb_a")
        a2.add("a.one", 3, unit="count", label_ru="один")
        a2.save()
        figs = figures.load(path)
        assert sorted(figs) == ["a.one", "b.share"]  # a.old dropped: nb_a no longer records it
        assert figs["a.one"]["value"] == 3
        assert figs["b.share"]["value"] == 0.123456789  # rounded to 10 places, plain float
        assert figs["b.share"]["base"] == 10
        assert json.loads(path.read_text(encoding="utf-8"))["figures"]["a.one"]["notebook"] == "nb_a"

    def test__save__same_id_from_another_notebook_is_an_error(self, tmp_path):
        path = tmp_path / "figures.json"
        a = figures.FiguresRecord(path, "nb_a")
        a.add("x", 1, unit="count", label_ru="x")
        a.save()
        b = figures.FiguresRecord(path, "nb_b")
        b.add("x", 2, unit="count", label_ru="x")
        with pytest.raises(ValueError, match="another notebook"):
            b.save()

    def test__add__twice_and_bad_id(self, tmp_path):
        rec = figures.FiguresRecord(tmp_path / "f.json", "nb")
        rec.add("x", 1, unit="count", label_ru="x")
        with pytest.raises(ValueError, match="twice"):
            rec.add("x", 1, unit="count", label_ru="x")
        with pytest.raises(ValueError, match="use letters"):
            rec.add("bad id", 1, unit="count", label_ru="x")

    def test__save__is_byte_identical_on_rerun(self, tmp_path):
        path = tmp_path / "figures.json"
        written = []
        for _ in range(2):
            rec = figures.FiguresRecord(path, "nb")
            rec.add("z", 0.1 + 0.2, unit="percent", label_ru="z")
            rec.add("a", 5, unit="count", label_ru="a")
            rec.save()
            written.append(path.read_bytes())
        assert written[0] == written[1]


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
