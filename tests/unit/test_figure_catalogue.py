"""The figure catalogue: which entry labels an id, how its texts are filled, and what stops a figure."""

import pytest

from helpers import paths
from helpers.figure_catalogue import Catalogue, CatalogueError, Labels


def entry(ru: str = "р", kk: str = "қ", unit: str = "count", **more: str) -> dict[str, str]:
    return {"unit": unit, "ru": ru, "kk": kk, **more}


class TestEntryOf:
    CAT = Catalogue({"clean.{survey}.n": entry(), "clean.journal.n": entry(), "clean.{x}.rows_in": entry(),
                     "clean.journal.{office}.rows_in": entry(), "reported.{key}": entry(),
                     "reported.stats_whole.{table}.{code}": entry()})

    @pytest.mark.parametrize(("id", "key"), [
        ("clean.journal.n", "clean.journal.n"),  # the id itself before any pattern
        ("clean.nonprof.n", "clean.{survey}.n"),
        ("clean.journal.AKM.rows_in", "clean.journal.{office}.rows_in"),  # the most fixed characters
        ("clean.population_ru.rows_in", "clean.{x}.rows_in"),
        ("reported.ind.T1-01.fact", "reported.{key}"),  # a part spans dots
        ("reported.stats_whole.age.23-27", "reported.stats_whole.{table}.{code}"),
    ])
    def test__entry_of__the_id_itself_else_the_most_specific_pattern(self, id, key):
        assert self.CAT.entry_of(id) == key

    def test__entry_of__two_patterns_as_specific_are_an_error(self):
        cat = Catalogue({"a.{x}.pct": entry(), "{y}.b.pct": entry()}, "cat.yaml")
        with pytest.raises(CatalogueError, match=r"'a\.b\.pct': entries 'a\.\{x\}\.pct' and '\{y\}\.b\.pct' of cat\.yaml"):
            cat.entry_of("a.b.pct")

    def test__entry_of__no_entry_names_the_id_and_the_file(self):
        with pytest.raises(CatalogueError, match=r"'aspect9\.n' has no entry in cat\.yaml"):
            Catalogue({"aspect1.n": entry()}, "cat.yaml").entry_of("aspect9.n")


class TestLabels:
    CAT = Catalogue({"aspect1.ready.by_{var}.p": entry("p: готовность × {var}", "p: дайындық × {var}", "p", source="{table}: {var}"),
                     "verdict.x": entry("Вывод", "Қорытынды", "verdict", source="p_holm < {alpha:g}")}, "cat.yaml")

    def test__labels__fill_the_ids_parts_and_the_names_given(self):
        assert self.CAT.labels("aspect1.ready.by_region.p", {"table": "core"}) == \
            Labels(unit="p", ru="p: готовность × region", kk="p: дайындық × region", source="core: region")

    def test__labels__a_format_spec_formats_the_name(self):
        assert self.CAT.labels("verdict.x", {"alpha": 0.05000000001}).source == "p_holm < 0.05"

    @pytest.mark.parametrize(("names", "message"), [
        ({}, r"uses \{alpha\}, which is neither a part of the id nor a name given"),
        ({"alpha": 0.05, "alpah": 0.05}, r"no text of entry 'verdict\.x' of cat\.yaml uses \['alpah'\]"),
    ])
    def test__labels__a_name_missing_or_unused_is_an_error(self, names, message):
        with pytest.raises(CatalogueError, match=message):
            self.CAT.labels("verdict.x", names)

    def test__labels__a_name_that_is_a_part_of_the_id_is_an_error(self):
        with pytest.raises(CatalogueError, match=r"\['var'\] are parts of the id"):
            self.CAT.labels("aspect1.ready.by_region.p", {"table": "core", "var": "sex"})


class TestLoad:
    @pytest.mark.parametrize(("text", "message"), [
        ("a.n: {unit: count, ru: р}\n", "entry 'a.n' lacks kk"),
        ("a.n: {ru: р, kk: ' '}\n", "entry 'a.n' lacks unit, kk"),
        ("a.n: {unit: count, ru: р, kk: қ, label_ru: р}\n", r"has unknown keys \['label_ru'\]"),
        ("a n: {unit: count, ru: р, kk: қ}\n", "is no figure id or id pattern"),
        ("a.{x}.{x}: {unit: count, ru: р, kk: қ}\n", "names a part twice"),
        ("a.n: текст\n", "must map unit, ru, kk"),
    ])
    def test__load__a_malformed_entry_names_it_and_the_file(self, tmp_path, text, message):
        path = tmp_path / "figures.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CatalogueError, match=message) as err:
            Catalogue.load(path)
        assert str(path) in str(err.value)

    def test__load__the_workbooks_catalogue_reads(self):
        cat = Catalogue.load(paths.FIGURES)
        assert cat.entry_of("aspect1.ready.pct") == "aspect1.ready.pct" and cat.entry_of("aspect1.ready.ci_low") == "{share}.ci_low"
