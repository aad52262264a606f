"""Unit tests of helpers.grant: tiny inline frames, hand-computed expectations."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from helpers.grant import audit, planfact, reach, satisfaction, transcripts


class TestWilson:
    def test__749_of_752__hand_computed(self):
        # p = 0.996011, z = 1.959964: centre 0.993490, half-width 0.005153
        lo, hi = satisfaction.wilson(749, 752)
        assert float(lo) == pytest.approx(0.98834, abs=5e-5)
        assert float(hi) == pytest.approx(0.99864, abs=5e-5)

    def test__share_table__base_excludes_unrated_and_flags_small_base(self):
        df = pd.read_csv(io.StringIO("office,rating\na,positive\na,positive\na,negative\nb,positive\nb,\n"))
        t = satisfaction.share_table(df, "office", small_base=3)
        assert t["n_rated"].tolist() == [3, 1]
        assert t["n_unrated"].tolist() == [0, 1]
        assert t["share_positive_pct"].tolist() == pytest.approx([200 / 3, 100.0])
        assert t["small_base"].tolist() == [False, True]


class TestLargestRemainder:
    def test__seed_social_status__keeps_total_whole_numbers(self):
        printed = [0, 189.4, 340.92, 208.34, 75.76, 303.04, 416.68, 256.16, 79.68, 24.02]
        out = reach.largest_remainder(printed, 1894)
        assert sum(out) == 1894
        assert all(isinstance(x, int) for x in out)
        assert out == [0, 189, 341, 208, 76, 303, 417, 256, 80, 24]

    def test__ties_go_to_the_earlier_value(self):
        assert reach.largest_remainder([1 / 3, 1 / 3, 1 / 3], 1) == [1, 0, 0]

    def test__shares_scaled_to_total(self):
        assert reach.largest_remainder([50.0, 25.0, 25.0], 7) == [3, 2, 2]  # 3.5, 1.75, 1.75

    def test__negative_value__raises(self):
        with pytest.raises(ValueError):
            reach.largest_remainder([-1, 2])


class TestTranscripts:
    @pytest.mark.parametrize(("text", "value", "qualifier"), [
        ("~ 1.274 753", 1274753.0, "approx"),
        ("3 240 000 т. (32,6%)", 3240000.0, "exact"),
        ("Не менее 80%", 80.0, "at_least"),
        ("Не менее 80 %", 80.0, "at_least"),
        ("880 +(400 дополнительно)", 1280.0, "exact"),
        ("189,4", 189.4, "exact"),
        ("Более 1.000.000", 1000000.0, "more_than"),
        ("10(5 на каз.яз/5 на рус.яз)", 10.0, "exact"),
        ("752 (в т.ч. онлайн консультации с сайта)", 752.0, "exact"),
        ("Более 100 (папка 1, задача 3)", 100.0, "more_than"),
        ("не менее 3 источников", 3.0, "at_least"),
        ("99.6%", 99.6, "exact"),
        ("0.40053404539385845%", 0.40053404539385845, "exact"),
        ("25 человек", 25.0, "exact"),
        ("более 15.000", 15000.0, "more_than"),
    ])
    def test__parse_reported__odd_formats(self, text, value, qualifier):
        r = transcripts.parse_reported(text)
        assert r.value == pytest.approx(value)
        assert r.qualifier == qualifier

    def test__share_in_brackets_is_a_part(self):
        assert transcripts.parse_reported("335 664т. (3,4%)").parts == (3.4,)

    def test__folder_reference_is_not_a_part(self):
        assert transcripts.parse_reported("Более 100 (папка 1, задача 3)").parts == ()

    def test__empty_cell__no_value(self):
        assert transcripts.parse_reported("").value is None

    def test__not_a_number__raises(self):
        with pytest.raises(ValueError):
            transcripts.parse_number("12a")


class TestAudit:
    def test__percent_at_printed_precision(self):
        assert audit.compare(32.6, 100 * 3240000 / 9950000, decimals=1) == "ok"
        assert audit.compare(6.2, 100 * 6215164 / 9950000, decimals=1) == "mismatch"

    def test__exact_totals(self):
        assert audit.compare(926, 710) == "mismatch"
        assert audit.compare(215, 56 + 15 + 25 + 74 + 45) == "ok"

    def test__tolerance(self):
        assert audit.compare(1894, 1893, tolerance=1) == "ok"

    def test__lower_bound(self):
        assert audit.compare(1280, 1200, relation="gte") == "ok"
        assert audit.compare(710, 900, relation="gte") == "mismatch"

    TEXTS = {"label_ru": "Итог", "label_kk": "Жиыны", "source_ru": "§1, задача 2", "source_kk": "§1, 2-міндет"}

    def test__run_checks__sum_prefix_and_skipped(self):
        values = {"r.total": 926.0, "r.ev.1": 41.0, "r.ev.2": 669.0}
        checks = [
            {"id": "sum", "kind": "internal_consistency", **self.TEXTS, "reported": "r.total", "recomputed": {"sum": ["r.ev.*"]}},
            {"id": "rec", "kind": "vs_record_data", **self.TEXTS, "reported": "r.total", "recomputed": "reach.none"},
        ]
        df, skipped = audit.run_checks(checks, values)
        assert df[["check", "reported", "recomputed", "difference", "status"]].to_dict("records") == [
            {"check": "sum", "reported": 926.0, "recomputed": 710.0, "difference": 216.0, "status": "mismatch"}]
        assert skipped == ["rec"]

    def test__bad_kind__raises(self):
        with pytest.raises(ValueError):
            audit.row("x", 1, 1, kind="other", source_ru="", source_kk="", label_ru="", label_kk="")

    def test__write_csv__deterministic_format(self, tmp_path):
        df = audit.frame([audit.row("b", 6.2, 100 * 6215164 / 9950000, kind="internal_consistency", **self.TEXTS, decimals=1),
                          audit.row("a", 752, 752, kind="vs_record_data", **self.TEXTS)])
        path = audit.write_csv(df, tmp_path / "audit.csv")
        out = pd.read_csv(path, dtype=str)
        assert out["check"].tolist() == ["b", "a"]  # internal_consistency first, then vs_record_data
        assert out.loc[0, "recomputed"] == "62.464"
        assert out.loc[1, "reported"] == "752"
        assert set(out["status"]) == {"ok", "mismatch"}
        assert out.columns.tolist() == audit.COLUMNS

    def test__run_checks__texts_quote_and_note_per_language_reach_the_row(self):
        checks = [{"id": "q", "kind": "internal_consistency", **self.TEXTS, "quote": "Всего приняли участие: 926",
                   "note_ru": "примечание", "note_kk": "ескертпе", "reported": "r.total", "recomputed": 926}]
        df, _ = audit.run_checks(checks, {"r.total": 926.0})
        got = df[["source_ru", "source_kk", "quote", "note_ru", "note_kk", "status"]].to_dict("records")
        assert got == [{"source_ru": "§1, задача 2", "source_kk": "§1, 2-міндет", "quote": "Всего приняли участие: 926",
                        "note_ru": "примечание", "note_kk": "ескертпе", "status": "ok"}]

    @pytest.mark.parametrize("change", [
        {"source": "§1 task 2, list of trainings"},          # the one-language source of earlier registries
        {"source_kk": ""},                                   # a language missing
        {"label_kk": None},
        {"note_ru": "примечание"},                           # a note in one language only
    ])
    def test__run_checks__a_check_without_its_texts_in_both_languages__raises(self, change):
        check = {"id": "c", "kind": "internal_consistency", **self.TEXTS, "reported": 1, "recomputed": 1} | change
        check = {k: v for k, v in check.items() if v is not None}
        with pytest.raises(audit.AuditConfigError, match="'c'"):
            audit.run_checks([check], {})

    GEN = {"source_ru": "§4, «Возрастной показатель»", "source_kk": "§4, «Жас көрсеткіші»",
           "label_ru": "Возраст {name}: отчёт и записи", "label_kk": "{name}: есеп пен жазбалар"}

    def test__pairs_vs_record__names_from_the_registries_and_printed_words_as_quote(self):
        from helpers import paths
        values = {"rep.age.59plus": 75.0, "rep.age.total": 1894.0, "rec.age.59plus": 8.0}
        out = audit.pairs_vs_record(values, "rep.age.", "rec.age.", check_prefix="record.age", texts=self.GEN,
                                    names=audit.category_names(paths.CONFIG), quotes={"59plus": "59 лет и выше"})
        assert out[["check", "label_ru", "label_kk", "source_kk", "quote", "status"]].to_dict("records") == [
            {"check": "record.age.59plus", "label_ru": "Возраст 59 лет и выше: отчёт и записи",
             "label_kk": "59 жас және одан жоғары: есеп пен жазбалар", "source_kk": "§4, «Жас көрсеткіші»",
             "quote": "59 лет и выше", "status": "mismatch"}]

    def test__pairs_vs_record__a_category_without_a_name__raises(self):
        with pytest.raises(audit.AuditConfigError, match="'nobody'"):
            audit.pairs_vs_record({"rep.nobody": 1.0}, "rep.", "rec.", check_prefix="x", texts=self.GEN, names={})

    def test__events_vs_record__event_id_in_both_languages(self):
        texts = {"source_ru": "§1, задача 2", "source_kk": "§1, 2-міндет",
                 "label_ru": "Участники мероприятия {code}", "label_kk": "{code} іс-шарасының қатысушылары"}
        out = audit.events_vs_record({"RT-01": 56.0}, {}, texts=texts)
        assert out[["label_ru", "label_kk", "source_kk", "quote", "recomputed"]].to_dict("records") == [
            {"label_ru": "Участники мероприятия RT-01", "label_kk": "RT-01 іс-шарасының қатысушылары",
             "source_kk": "§1, 2-міндет", "quote": "", "recomputed": 0.0}]

    def test__category_names__every_age_band_and_social_category_with_figure_id_codes(self):
        from helpers import paths
        names = audit.category_names(paths.CONFIG)
        assert names["59plus"] == ("59 лет и выше", "59 жас және одан жоғары")
        assert names["elderly"][1] == "Егде жастағы адамдар (50 жастан асқан)"
        assert "59+" not in names


class TestAuditAnnex:
    LABELS = {"columns": {"check": "Тексеру", "reported": "Есепте", "recomputed": "Қайта есептелді", "difference": "Айырма",
                          "status": "Мәртебесі", "source": "Есептің қай жерінде", "quote": "Дәйексөз", "note": "Ескертпе"},
              "status": {"ok": "сәйкес", "mismatch": "сәйкессіздік"}}

    def _audit(self):
        return audit.frame([audit.row("a", 1894, 1504 + 215 + 926, kind="internal_consistency",
                                      source_ru="§1, строка 1", source_kk="§1, 1-жол", label_ru="Бенефициары",
                                      label_kk="Бенефициарлар", quote="помогли 1 504 гражданам",
                                      note_ru="консультации, а не люди", note_kk="адамдар емес, консультациялар")])

    def test__audit_annex__texts_in_the_language_and_the_quote_verbatim(self):
        from helpers.grant import tables
        kk = tables.audit_annex(self._audit(), self.LABELS, "kk")
        assert kk.columns.tolist() == list(self.LABELS["columns"].values())
        assert kk.iloc[0].tolist() == ["Бенефициарлар", "1\xa0894", "2\xa0645", "-751", "сәйкессіздік", "§1, 1-жол",
                                       "помогли 1 504 гражданам", "адамдар емес, консультациялар"]
        ru = tables.audit_annex(self._audit(), self.LABELS, "ru")
        assert ru.iloc[0, 5] == "§1, строка 1" and ru.iloc[0, 6] == "помогли 1 504 гражданам"

    def test__audit_annex__repository_checks_show_no_english_source(self):
        import re

        from helpers import paths
        from helpers.grant import tables
        checks = planfact.load_registry(paths.CONFIG / "indicators.yaml")["audit_checks"]
        df = audit.frame([audit.row(c["id"], 1, 1, kind=c["kind"], source_ru=c["source_ru"], source_kk=c["source_kk"],
                                    label_ru=c["label_ru"], label_kk=c["label_kk"], quote=c.get("quote", ""),
                                    note_ru=c.get("note_ru", ""), note_kk=c.get("note_kk", "")) for c in checks])
        for lang in ("ru", "kk"):
            shown = tables.audit_annex(df, self.LABELS, lang).drop(columns=["Дәйексөз"])
            words = {w for cell in shown.to_numpy().ravel() for tok in str(cell).split()
                     if not re.search(r"[A-Za-z]\d|\b[A-Z]{1,4}-\d", tok) for w in re.findall(r"[A-Za-z]{2,}", tok)
                     if not re.fullmatch(r"[IVX]+", w)}  # codes (T1-01, IW-04) and section numbers (IV) pass
            assert not words, (lang, words)


class TestReviewerEditionProtection:
    """What the reviewer editions of stages 30 and 31 show of the section-4 counts: what the grant report shows."""

    DIS = pd.read_csv(io.StringIO(
        "dimension,category,n,share_pct,order\n"
        "sex,male,77,40.5,0\nsex,female,113,59.5,1\n"
        "social_category,youth,60,31.6,0\nsocial_category,elderly,80,42.1,1\nsocial_category,business,9,4.7,2\n"
        "social_category,disabled,3,1.6,3\nsocial_category,unemployed,38,20.0,4\n"
        "age_band,17-22,100,52.6,0\nage_band,59+,90,47.4,1\n"))

    def test__hidden_people__a_small_category_cannot_be_solved_from_the_total_and_the_vulnerable_sum(self):
        from helpers.analysis.disclosure import bounds
        from helpers.grant import tables
        vulnerable = ["elderly", "disabled", "unemployed"]  # their sum is published too
        hidden = tables.hidden_people(self.DIS, 5, vulnerable=vulnerable)
        soc = self.DIS[self.DIS["dimension"] == "social_category"]
        hide = soc["category"].isin(hidden["social_category"]).tolist()
        cats = soc["category"].tolist()
        lo, hi = bounds(soc["n"].tolist(), [list(range(len(cats))), [cats.index(v) for v in vulnerable]], hide)
        assert "disabled" in hidden["social_category"] and hidden["sex"] == [] and hidden["age_band"] == []
        assert all(lo[i] < hi[i] for i, h in enumerate(hide) if h)

    def test__published_people_and_people_ids__the_hidden_counts_are_not_shown(self):
        from helpers.grant import tables
        hidden = {"sex": [], "social_category": ["business", "disabled"], "age_band": ["59+"]}
        shown = tables.published_people(self.DIS, hidden).set_index("category")
        assert shown.loc[["business", "disabled", "59+"], ["n", "share_pct"]].isna().all().all()
        assert shown.loc["youth", "n"] == 60
        assert tables.people_ids(hidden, "figure") == {"reach.by_social.business", "reach.by_social.disabled", "reach.by_age.59plus"}
        assert tables.people_ids(hidden, "check") == {"record.social.business", "record.social.disabled", "record.age.59plus"}

    def test__audit_published__a_hidden_check_shows_neither_the_count_nor_its_difference_nor_its_status(self):
        df = audit.frame([audit.row("record.social.other", 24, 3, kind="vs_record_data", source_ru="§4", source_kk="§4",
                                    label_ru="Другие", label_kk="Басқалар"),
                          audit.row("record.offices", 17, 17, kind="vs_record_data", source_ru="§1", source_kk="§1",
                                    label_ru="Кабинеты", label_kk="Кабинеттер")])
        shown = audit.published(df, {"record.social.other"}).set_index("check")
        assert shown.loc["record.social.other", ["recomputed", "difference"]].isna().all()
        assert shown.loc["record.social.other", "status"] == "hidden" and shown.loc["record.offices", "status"] == "ok"
        assert shown.loc["record.social.other", "reported"] == 24  # the hand-made report's own figure is published


class TestDedup:
    def test__people__dedup_across_sources_and_missing_ids(self):
        cons = pd.DataFrame({"applicant_id": ["p1", "p2", None], "source_file": "j", "source_row": [2, 3, 4],
                             "sex": ["female", "male", "male"], "vulnerable": [True, False, False]})
        parts = pd.DataFrame({"participant_id": ["p1", "p3", "p3"], "event_id": ["RT-01", "TR-01", "TR-02"],
                              "source_file": "r", "source_row": [2, 3, 4], "sex": ["male", "female", "female"],
                              "vulnerable": [False, True, True]})
        ppl = reach.people(cons, parts)
        assert len(ppl) == 4  # p1 (both sources), p2, p3 (two events), the applicant without id
        p1 = ppl.set_index("person_id").loc["p1"]
        assert (p1["n_consultations"], p1["n_events"], p1["sex"]) == (1, 1, "female")  # consultation first
        assert int(ppl["vulnerable"].sum()) == 2

    def test__counts__whole_numbers_and_not_stated(self):
        t = reach.counts(pd.DataFrame({"sex": ["male", "female", None]}), "sex", categories=["male", "female"])
        assert t["n"].dtype == np.int64
        assert t["n"].sum() == 3


class TestPlanFact:
    REG = [
        {"id": "a", "task": "t", "name_ru": "А", "name_kk": "Ә", "unit": "count", "plan": {"value": 500},
         "fact": {"reported": "rep.a", "figure": "fig.a"}, "period": "cumulative", "source": "s"},
        {"id": "b", "task": "t", "name_ru": "Б", "name_kk": "Б", "unit": "percent", "plan": {"value": 80, "qualifier": "at_least"},
         "fact": {"reported": "rep.b", "reported_only": True}, "period": "cumulative", "source": "s"},
    ]

    def test__build__record_fact_preferred_and_pct(self):
        t = planfact.build(self.REG, {"rep.a": 752, "fig.a": 700, "rep.b": 100}, "kk")
        assert t["fact"].tolist() == [700.0, 100.0]
        assert t["fact_basis"].tolist() == ["record_data", "reported_only"]
        # a count gets its % achieved; a share against its threshold only met / not met (no % of a %)
        assert t["pct_achieved"].iloc[0] == pytest.approx(140.0) and np.isnan(t["pct_achieved"].iloc[1])
        assert t["achieved"].tolist() == [True, True]
        assert t["indicator"].tolist() == ["Ә", "Б"]

    def test__plan_vs_fact__share_indicator_shows_threshold_met(self):
        from helpers.grant import tables

        t = planfact.build(self.REG, {"rep.a": 752, "fig.a": 400, "rep.b": 79.5}, "ru").assign(indicator_kk="")
        labels = {"columns": {"indicator": "И", "plan": "П", "fact": "Ф", "fact_reported": "О", "pct_achieved": "%",
                              "fact_basis": "Б"}, "qualifier": {"exact": "", "at_least": "не менее"},
                  "basis": {}, "threshold": {"met": "порог достигнут", "not_met": "порог не достигнут"}}
        assert tables.plan_vs_fact(t, labels, "ru")["%"].tolist() == ["80,0\u00a0%", "порог не достигнут"]

    def test__validate__fact_rule_must_be_one(self):
        bad = [dict(self.REG[0], fact={"reported": "x"})]
        with pytest.raises(planfact.RegistryError):
            planfact.validate(bad)

    def test__repository_registry_is_valid(self):
        from helpers import paths
        reg = planfact.load_registry(paths.CONFIG / "indicators.yaml")
        assert len(reg["indicators"]) >= 30
        assert {c["kind"] for c in reg["audit_checks"]} <= set(audit.KINDS)
