"""Two waves compared (helpers.waves, helpers.grant.periods) on small inline inputs: the headline shares'
difference with Newcombe's interval (his published examples), Holm over the shares tested, the re-worded
question flagged, a share absent in one wave, and what a wrong previous folder or figure gives."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import paths
from helpers import waves
from helpers.figures import FiguresRecord, load
from helpers.grant import periods

# Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10 (hybrid score): x1/n1 - x2/n2
NEWCOMBE = [((56, 70, 48, 80), (5.24, 33.39)), ((9, 10, 3, 10), (17.05, 80.90)), ((6, 7, 2, 7), (5.82, 80.62)),
            ((5, 56, 0, 29), (-3.81, 19.26))]
UI = {"hidden_mark": "×", "measure": "Показатель", "wave_share": "{wave}: % (n)", "change_pp": "Разница, п.п.", "ci": "ДИ",
      "p_holm": "p (Холм)", "reworded": "Формулировка", "reworded_yes": "изменилась", "reworded_no": "прежняя"}


def _share(x: int, n: int) -> dict:
    return {"value": round(100 * x / n, 10), "unit": "percent", "base": n}


def _questions(header: str = "Сколько медиаций в 2020–2021?") -> pd.DataFrame:
    return pd.DataFrame({"survey": ["s", "s"], "question": ["ready", "n_med"], "row": ["", ""], "lang": ["ru", "ru"],
                         "header": ["Готовы ли Вы?", header]})


def _wave(label: str, shares: dict[str, tuple[int, int]], questions: pd.DataFrame | None = None) -> waves.Wave:
    return waves.Wave(label, {fid: _share(*xn) for fid, xn in shares.items()}, _questions() if questions is None else questions)


HEAD = [waves.Headline("a.ready.pct", ("s.ready",), "Готовы", "Дайын"), waves.Headline("a.med.pct", ("s.n_med",), "Медиаторы", "Медиаторлар")]


@pytest.mark.parametrize("counts, published", NEWCOMBE)
def test__compare_shares__newcombe_interval_as_published(counts, published):
    x1, n1, x0, n0 = counts
    row = waves.compare_shares(_wave("2021", {"a.ready.pct": (x0, n0)}), _wave("2022", {"a.ready.pct": (x1, n1)}), HEAD[:1],
                               confidence=0.95).iloc[0]
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(published, abs=0.006)
    assert row["diff"] == pytest.approx(100 * (x1 / n1 - x0 / n0))
    assert row["pct_prev"] == pytest.approx(100 * x0 / n0) and tuple(row[["x", "n", "x_prev", "n_prev"]]) == (x1, n1, x0, n0)


def test__compare_shares__holm_over_the_tested_shares_and_the_reworded_question_flagged():
    before = _wave("2021", {"a.ready.pct": (80, 100), "a.med.pct": (30, 60)})
    after = _wave("2022", {"a.ready.pct": (60, 100), "a.med.pct": (33, 60)}, _questions("Сколько медиаций в 2021–2022?"))
    t = waves.compare_shares(before, after, HEAD, confidence=0.95).set_index("figure")
    assert t.loc["a.ready.pct", "p_value"] < 0.01 < t.loc["a.med.pct", "p_value"]
    smaller, larger = t["p_value"].sort_values()
    assert t["p_holm"].sort_values().tolist() == pytest.approx([2 * smaller, max(2 * smaller, larger)])  # Holm, 2 tests
    assert t["reworded"].to_dict() == {"a.ready.pct": False, "a.med.pct": True}


def test__reworded__case_spaces_and_yo_do_not_count():
    assert not waves.reworded(_questions("Сколько  медиаций в 2020–2021?"), _questions("сколько медиаций в 2020–2021?"), ["s.n_med"])
    assert waves.reworded(_questions(), _questions().iloc[:1], ["s.n_med"])  # read in one wave only


def test__compare_shares__a_share_absent_in_one_wave_has_no_difference_and_no_test():
    before = _wave("2021", {"a.ready.pct": (80, 100)})
    after = _wave("2022", {"a.ready.pct": (60, 100), "a.med.pct": (33, 60)})
    t = waves.compare_shares(before, after, HEAD, confidence=0.95).set_index("figure")
    med = t.loc["a.med.pct"]
    assert pd.isna(med["pct_prev"]) and med["pct"] == pytest.approx(55.0)
    assert med[["diff", "diff_ci_low", "diff_ci_high", "p_value", "p_holm"]].isna().all()
    assert t.loc["a.ready.pct", "p_holm"] == pytest.approx(t.loc["a.ready.pct", "p_value"])  # a family of one
    shown = waves.display(t.reset_index(), HEAD, UI, ("2021", "2022"), threshold=5, secondary=True, confidence=0.95, lang="ru")
    assert shown.iloc[1].tolist() == ["Медиаторы", "—", "55,0 (n\u00a0=\u00a060)", "—", "—", "—", "прежняя"]


def test__compare_shares__all_or_none_in_both_waves_has_an_interval_but_no_test():
    t = waves.compare_shares(_wave("2021", {"a.ready.pct": (40, 40)}), _wave("2022", {"a.ready.pct": (52, 52)}), HEAD[:1],
                             confidence=0.95)
    assert t["diff"].iloc[0] == 0 and t["diff_ci_low"].iloc[0] < 0 < t["diff_ci_high"].iloc[0]
    assert t[["p_value", "p_holm"]].isna().all(axis=None)


def test__compare_shares__errors_name_the_figure():
    with pytest.raises(ValueError, match="a.med.pct is recorded in neither wave"):
        waves.compare_shares(_wave("2021", {"a.ready.pct": (8, 10)}), _wave("2022", {"a.ready.pct": (6, 10)}), HEAD, confidence=0.95)
    odd = _wave("2021", {"a.ready.pct": (8, 10)})
    odd.figures["a.ready.pct"]["value"] = 81.3  # a weighted share: no whole count behind it
    with pytest.raises(ValueError, match="a.ready.pct: not a share of counted respondents"):
        waves.compare_shares(odd, _wave("2022", {"a.ready.pct": (6, 10)}), HEAD[:1], confidence=0.95)


def test__display__a_small_count_hides_its_share_and_the_difference():
    t = waves.compare_shares(_wave("2021", {"a.ready.pct": (3, 40)}), _wave("2022", {"a.ready.pct": (20, 52)}), HEAD[:1],
                             confidence=0.95)
    row = waves.display(t, HEAD, UI, ("2021", "2022"), threshold=5, secondary=True, confidence=0.95, lang="kk").iloc[0].tolist()
    assert row[1] == "× (n\u00a0=\u00a040)" and row[2] == "38,5 (n\u00a0=\u00a052)" and row[3:6] == ["×"] * 3
    assert row[0] == "Дайын"


def test__record__stable_ids_from_the_headline_not_from_files(tmp_path):
    before = _wave("2021", {"a.ready.pct": (80, 100), "a.med.pct": (30, 60)})
    t = waves.compare_shares(before, _wave("2022", {"a.ready.pct": (60, 100)}), HEAD, confidence=0.95)
    rec = FiguresRecord(tmp_path / "figures.json", "40_compare_waves")
    waves.record(rec, t, HEAD, before, alpha=0.05, confidence=0.95)
    rec.save()
    figs = load(tmp_path / "figures.json")
    assert figs["compare.previous.wave"]["value"] == "2021"
    assert (figs["compare.a.ready.previous"]["value"], figs["compare.a.ready.previous"]["base"]) == (80.0, 100)
    assert figs["compare.a.ready.diff"]["value"] == pytest.approx(-20.0) and figs["compare.a.ready.diff"]["unit"] == "pp"
    assert figs["compare.a.med.current"]["value"] is None and figs["compare.a.med.p_holm"]["value"] is None
    assert (figs["compare.n_shares"]["value"], figs["compare.n_tested"]["value"], figs["compare.n_changed"]["value"]) == (2, 1, 1)


def test__load_wave__a_folder_that_is_not_a_run_is_named(tmp_path):
    (tmp_path / "figures.json").write_text(json.dumps({"figures": {}}), encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"no questions.csv, out_grant__plan_vs_fact.parquet"):
        waves.load_wave(tmp_path)
    _questions().to_csv(tmp_path / "questions.csv", index=False)
    pd.DataFrame({"id": []}).to_parquet(tmp_path / periods.PLAN_VS_FACT)
    with pytest.raises(ValueError, match="no wave.label"):
        waves.load_wave(tmp_path)
    assert waves.load_wave(tmp_path, "2022").questions["row"].tolist() == ["", ""]


def test__load_headline__the_shipped_list_names_codebook_questions(tmp_path):
    from helpers.clean.codebook import load_codebooks

    head = waves.load_headline(paths.CONFIG, load_codebooks(paths.CONFIG))
    assert head and all(h.figure.endswith(".pct") and h.ru and h.kk for h in head)
    (tmp_path / "headline.yaml").write_text("headline:\n  - {figure: a.pct, questions: [population.nope], ru: A, kk: A}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="questions in no codebook.*population.nope"):
        waves.load_headline(tmp_path, load_codebooks(paths.CONFIG))


def _pvf(ids: list[str], facts: list[float], unit: str = "count") -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "indicator": [i.upper() for i in ids], "indicator_kk": [i.upper() + "_kk" for i in ids],
                         "unit": unit, "plan": 10.0, "fact": facts})


def test__both_periods__matched_by_id_not_by_position():
    both = periods.both_periods(_pvf(["b", "a", "old"], [2.0, 1.0, 9.0]), _pvf(["a", "b", "new"], [10.0, 20.0, 30.0]))
    assert both["id"].tolist() == ["a", "b", "new", "old"]
    assert both[["fact_prev", "fact"]].to_numpy().tolist()[:2] == [[1.0, 10.0], [2.0, 20.0]]
    assert both.loc[2, "fact_prev"] != both.loc[2, "fact_prev"] and both.loc[3, "indicator"] == "OLD"
    labels = {"columns": {"indicator": "Индикатор", "plan_wave": "План, {wave}", "fact_wave": "Факт, {wave}"}}
    shown = periods.display(both, labels, ("2021", "2022"), "kk")
    assert shown.columns.tolist() == ["Индикатор", "План, 2021", "Факт, 2021", "План, 2022", "Факт, 2022"]
    assert shown.iloc[2].tolist() == ["NEW_kk", "—", "—", "10", "30"]


def test__periods_record__ids_from_the_registry_and_units_kept(tmp_path):
    both = periods.both_periods(_pvf(["sat"], [97.5], "percent"), _pvf(["sat"], [98.25], "percent"))
    rec = FiguresRecord(tmp_path / "figures.json", "40_compare_waves")
    periods.record(rec, both)
    assert rec["compare.indicator.sat.previous.fact"].value == 97.5 and rec["compare.indicator.sat.current.fact"].unit == "percent"
    assert rec["compare.indicators.n"].value == 1


def test__stage_cache__what_a_stage_read_of_compare_previous_includes_its_files(tmp_path):
    """A stage that read ``compare.previous`` runs again when the earlier run's files change, not only its path."""
    from helpers import cache, params

    prev = tmp_path / "previous"
    prev.mkdir()
    (prev / "figures.json").write_text('{"figures": {}}', encoding="utf-8")
    P = params.load("tests/fixtures/params.yaml", {"compare.previous": str(prev)})
    before = cache.StageCache(tmp_path / "cache", P, {}).value("param:compare.previous")
    (prev / "figures.json").write_text('{"figures": {"a": {}}}', encoding="utf-8")
    assert cache.StageCache(tmp_path / "cache", P, {}).value("param:compare.previous") != before
    assert before[0] == str(prev)
