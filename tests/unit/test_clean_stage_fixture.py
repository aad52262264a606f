"""Both cleaning stages on the small fixture (tests/fixtures/raw): balanced accounting, valid tables,
no personal data in the output."""

import datetime as dt
import sys

import pandas as pd

from helpers import paths
from helpers.clean import stage

FIX = paths.TESTS / "fixtures" / "raw"
PERIOD = (dt.date(2021, 4, 1), dt.date(2021, 11, 25))
INPUTS = stage.Inputs(register="report_2021/events_register.csv")  # where the fixture keeps its register


def _surveys(raw, out, salt: str = "s", fmt: str = "csv"):
    return stage.clean_surveys(raw, out, paths.CONFIG, salt, fmt, period=PERIOD)


def test__stages_on_fixture__balance_and_no_personal_data(tmp_path):
    r10 = _surveys(FIX, tmp_path, "fixture-salt")
    r11 = stage.clean_journals_events(FIX, tmp_path, paths.CONFIG, "fixture-salt", PERIOD, inputs=INPUTS)
    acc = pd.read_csv(tmp_path / "row_accounting.csv")
    assert (acc.rows_in == acc.rows_kept + acc.rows_rejected + acc.rows_duplicate).all()
    assert set(acc.source_file) == set(r10.accounting.source_file) | set(r11.accounting.source_file)
    # the inputs named by the configuration (survey and language), whatever the files are called
    assert r10.rows_by_input()["input"].tolist() == sorted(f"{s}_{lang}" for s in ("barriers", "courts_mediators", "nonprof", "population")
                                                            for lang in ("kk", "ru"))
    assert len(pd.read_parquet(tmp_path / "core_journal__consultations.parquet")) == 20 + 15 + 18 + 5
    pop = pd.read_parquet(tmp_path / "core_survey__population.parquet")
    assert round(100 * pop.ready.isin(["yes", "rather_yes"]).sum() / pop.ready.notna().sum(), 1) == 88.1
    sys.path.insert(0, str(paths.TESTS))
    from test_no_personal_data import find_personal_data

    assert find_personal_data(tmp_path, FIX) == []


def test__stage_10__xlsx_and_csv_downloads_agree(tmp_path):
    written = _surveys(FIX, tmp_path / "a").written
    assert written == _surveys(FIX, tmp_path / "b", fmt="xlsx").written
    assert (tmp_path / "a" / "questions.csv").read_bytes() == (tmp_path / "b" / "questions.csv").read_bytes()
    for name in (n for n in written if n.endswith(".parquet")):
        a, b = (pd.read_parquet(tmp_path / d / name) for d in "ab")
        cols = [c for c in a.columns if c != "source_file"]
        pd.testing.assert_frame_equal(a[cols], b[cols])


def test__stage_10__records_the_header_each_question_was_read_under(tmp_path):
    """``questions.csv``: one row per answer column of every export (the wording compared between waves)."""
    from helpers.clean.codebook import load_codebooks

    _surveys(FIX, tmp_path)
    q = pd.read_csv(tmp_path / "questions.csv", dtype="str", keep_default_na=False)
    ready = q[(q["survey"] == "population") & (q["question"] == "ready")]
    cb = {c["id"]: c for c in load_codebooks(paths.CONFIG)["population"]["questions"]}
    assert sorted(zip(ready["lang"], ready["header"])) == [("kk", cb["ready"]["kk"]), ("ru", cb["ready"]["ru"])]
    assert set(q["survey"]) == set(load_codebooks(paths.CONFIG)) and set(q["lang"]) == {"ru", "kk"}
    assert not q["question"].str.startswith("__").any()


def test__stage_10__a_failing_export_or_unknown_label_writes_nothing(tmp_path):
    """Tables replace the old ones only when every export is clean and every label known; otherwise
    nothing changes."""
    import shutil

    import pytest

    from helpers.clean import CleaningError

    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(FIX / "surveys", raw / "surveys")
    _surveys(raw, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    assert len(before) == 4

    f = raw / "surveys" / "nonprof_ru.csv"
    good = f.read_bytes()
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df.iloc[:, 3] = "Космонавт"  # the sex question: not an option
    df.to_csv(f, index=False)
    with pytest.raises(CleaningError, match="Космонавт"):
        _surveys(raw, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before and not list(out.glob("*.tmp"))

    f.write_bytes(good)
    (raw / "surveys" / "barriers_kk.csv").write_text("a,a\n1,2\n", encoding="utf-8")
    with pytest.raises(CleaningError, match="barriers_kk.csv"):
        _surveys(raw, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before and not list(out.glob("*.tmp"))


def test__stage_10__every_file_of_the_surveys_folder_is_read_or_named(tmp_path):
    import shutil

    import pytest

    from helpers.clean import CleaningError

    raw = tmp_path / "raw"
    shutil.copytree(FIX / "surveys", raw / "surveys")
    res = _surveys(raw, tmp_path / "out")
    assert any("surveys/population_ru.xlsx: not read (population_ru.csv is read: cleaning.survey_format is csv)" in line
               for line in res.log)
    (raw / "surveys" / "nonprof_kk.csv").unlink()  # only the other format of an export: that one is read
    res = _surveys(raw, tmp_path / "out")
    assert not any("nonprof_kk.xlsx: not read" in line for line in res.log) and "core_survey__nonprof.parquet" in res.written
    shutil.copy(raw / "surveys" / "nonprof_kk.xlsx", raw / "surveys" / "nonprof_kk.ods")
    with pytest.raises(CleaningError, match=r"surveys/nonprof_kk\.csv \(found nonprof_kk\.ods, nonprof_kk\.xlsx: which one\?\)"):
        _surveys(raw, tmp_path / "out")
    (raw / "surveys" / "nonprof_kk.ods").unlink()
    shutil.copy(raw / "surveys" / "population_ru.csv", raw / "surveys" / "population_ru (2).csv")
    with pytest.raises(CleaningError, match=r"no export of a codebook's survey.*surveys/population_ru \(2\)\.csv"):
        _surveys(raw, tmp_path / "out")
    (raw / "surveys" / "population_ru (2).csv").unlink()
    (raw / "surveys" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CleaningError, match=r"surveys/notes\.txt"):
        _surveys(raw, tmp_path / "out")


def test__stage_11__two_lists_of_one_event_or_a_register_row_twice_name_both(tmp_path):
    import shutil

    import pytest

    from helpers.clean import CleaningError

    raw = tmp_path / "raw"
    shutil.copytree(FIX, raw)
    lists = sorted((raw / "events" / "participants").iterdir())
    first = lists[0]
    twin = first.with_name(first.stem.lower() + (".xlsx" if first.suffix == ".csv" else ".csv"))
    if first.suffix == ".csv":
        pd.read_csv(first, dtype=str).to_excel(twin, index=False)
    else:
        pd.read_excel(first, dtype=str).to_csv(twin, index=False)
    with pytest.raises(CleaningError, match=rf"two participant lists of one event: {first.stem}: .*{first.name}.*{twin.name}|"
                                            rf"two participant lists of one event: {first.stem}: .*{twin.name}.*{first.name}"):
        stage.clean_journals_events(raw, tmp_path / "out", paths.CONFIG, "s", PERIOD, inputs=INPUTS)
    twin.unlink()
    register = raw / "report_2021" / "events_register.csv"
    text = register.read_text(encoding="utf-8").splitlines()
    register.write_text("\n".join([*text, text[1]]) + "\n", encoding="utf-8")
    with pytest.raises(CleaningError, match=r"the event register lists an event twice: \S+: report_2021/events_register.csv row 2, "
                                            rf"report_2021/events_register.csv row {len(text) + 1}"):
        stage.clean_journals_events(raw, tmp_path / "out", paths.CONFIG, "s", PERIOD, inputs=INPUTS)


def test__stage_11__an_office_may_send_several_journals_but_a_consultation_stands_in_one(tmp_path):
    """The KOS journal split in two files (April, May–November) gives the same consultations; the
    same consultation in both stops the run naming both files and rows, before anything is written."""
    import shutil

    import pytest

    from helpers.clean import CleaningError

    r_whole = stage.clean_journals_events(FIX, tmp_path / "whole", paths.CONFIG, "s", PERIOD, inputs=INPUTS)
    whole = pd.read_parquet(tmp_path / "whole" / "core_journal__consultations.parquet")
    raw = tmp_path / "raw"
    shutil.copytree(FIX, raw)
    kos = raw / "journals" / "KOS_journal_2021.csv"
    lines = kos.read_bytes().decode("cp1251").splitlines()
    kos.unlink()
    april, later = raw / "journals" / "KOS_журнал апрель.csv", raw / "journals" / "KOS_журнал май-ноябрь.csv"
    april.write_bytes(("\r\n".join(lines[:6]) + "\r\n").encode("cp1251"))  # rows 1–5: 02.04 … 29.04
    later.write_bytes(("\r\n".join([lines[0], *lines[6:]]) + "\r\n").encode("cp1251"))
    r_split = stage.clean_journals_events(raw, tmp_path / "split", paths.CONFIG, "s", PERIOD, inputs=INPUTS)
    split = pd.read_parquet(tmp_path / "split" / "core_journal__consultations.parquet")
    key = ["office", "date", "applicant_id", "sphere", "n_parties"]
    pd.testing.assert_frame_equal(split[key].sort_values(key, ignore_index=True), whole[key].sort_values(key, ignore_index=True))
    assert split["consultation_id"].is_unique and split.loc[split["office"] == "KOS", "consultation_id"].str.match(r"^KOS-[12]\.\d+$").all()
    # rows counted by office, event and register, never by file name: one journal or two, the same inputs and sums
    by_input = r_split.rows_by_input()
    pd.testing.assert_frame_equal(by_input, r_whole.rows_by_input())
    assert {"journal.KOS", "register", "participants.RT-02"} <= set(by_input["input"]) and not by_input["input"].str.contains("2021").any()

    later.write_bytes(("\r\n".join([lines[0], *lines[5:]]) + "\r\n").encode("cp1251"))  # 29.04 carried over into the May file
    out = tmp_path / "out"
    with pytest.raises(CleaningError, match=r"in two journals — keep it in one: KOS, 29\.04\.2021: journals/KOS_журнал апрель\.csv row 6, "
                                            r"journals/KOS_журнал май-ноябрь\.csv row 2$"):
        stage.clean_journals_events(raw, out, paths.CONFIG, "s", PERIOD, inputs=INPUTS)
    assert not out.exists() or not any(out.rglob("*"))
