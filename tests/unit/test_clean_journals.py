"""helpers.clean.journals: several journals of one office, and the same consultation in two journals
(issue 17: reported with both files and rows, before anything is written; the applicant never shown)."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from helpers import paths
from helpers.clean import CleaningError, journals
from helpers.clean.offices import load_offices
from helpers.clean.reference import load_reference

PERIOD = (dt.date(2021, 4, 1), dt.date(2021, 11, 25))
REF = load_reference(paths.CONFIG, PERIOD)
OFFICES = load_offices(paths.CONFIG, PERIOD)
HEADER = "Дата;ФИО;Телефон;Область;Форма;Категория спора;Количество сторон;Медиатор;Итог;Оценка\n"
APRIL = """\
02.04.2021;Нургалиев Асхат;8 777 146 8475;Костанайская обл.;В кабинете;Гражданский;2;Касымов Асхат;Соглашение;+
20.04.2021;Омарова Камила;8 702 276 7014;Костанайская обл.;Очно;Семейный;2;Касымов Асхат;Консультация;+
29.04.2021;Ермекова Айгерим;8 747 640 4075;Костанайская обл.;Кабинет;Семейный;2;Касымов Асхат;Соглашение;+
"""
MAY = """\
04.05.2021;Петрова Гаухар;+7(707)964-09-42;Костанайская обл.;Очно;Другое;2;Касымов Асхат;Соглашение;+
23.05.2021;Тулегенов Данияр;8 705 460 4352;Костанайская обл.;Кабинет;Медицинские;2;Касымов Асхат;Консультация;+
"""


def _clean(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, pl.DataFrame]]:
    folder = tmp_path / "journals"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_text(HEADER + body, encoding="utf-8")
    out = journals.clean_journals(sorted(folder.iterdir()), tmp_path, REF, "salt", PERIOD, OFFICES)
    return [(name, res.clean) for name, res in out]


class TestCleanJournals:
    def test__clean_journals__one_file_of_an_office_keeps_its_ids(self, tmp_path):
        (name, clean), = _clean(tmp_path, {"KOS_journal_2021.csv": APRIL})
        assert name == "journals/KOS_journal_2021.csv"
        assert clean["consultation_id"].to_list() == ["KOS-2", "KOS-3", "KOS-4"]

    def test__clean_journals__an_office_may_send_a_journal_per_month(self, tmp_path):
        out = _clean(tmp_path, {"KOS_журнал май.csv": MAY, "KOS_журнал апрель.csv": APRIL})
        assert [name for name, _ in out] == ["journals/KOS_журнал апрель.csv", "journals/KOS_журнал май.csv"]
        ids = pl.concat([clean for _, clean in out])["consultation_id"].to_list()
        assert ids == ["KOS-1.2", "KOS-1.3", "KOS-1.4", "KOS-2.2", "KOS-2.3"]

    def test__clean_journals__the_same_consultation_in_two_journals_names_both_files_and_rows(self, tmp_path):
        carried = APRIL.splitlines()[2] + "\n"  # 29 April, carried over into the May journal
        with pytest.raises(CleaningError) as info:
            _clean(tmp_path, {"KOS_журнал апрель.csv": APRIL, "KOS_журнал май.csv": MAY + carried})
        msg = str(info.value)
        assert msg == ("the same consultation (same applicant, office and date) in two journals — keep it in one: "
                       "KOS, 29.04.2021: journals/KOS_журнал апрель.csv row 4, journals/KOS_журнал май.csv row 4")
        assert not any(word in msg for word in ("Ермекова", "Айгерим", "640", "4075"))

    def test__clean_journals__the_applicant_is_matched_as_pseudonymised(self, tmp_path):
        """Case, spaces and the phone's layout are not what tells two people apart."""
        retyped = "29.04.2021;ЕРМЕКОВА  айгерим;+7 (747) 640-40-75;Костанайская обл.;Кабинет;Семейный;2;Касымов Асхат;Соглашение;+\n"
        with pytest.raises(CleaningError, match=r"KOS, 29\.04\.2021: journals/KOS_a\.csv row 4, journals/KOS_b\.csv row 2$"):
            _clean(tmp_path, {"KOS_a.csv": APRIL, "KOS_b.csv": retyped})

    @pytest.mark.parametrize("other", [
        pytest.param({"KAR_journal.csv": APRIL.replace("Костанайская", "Карагандинская")}, id="same applicant and day, another office"),
        pytest.param({"KOS_b.csv": APRIL.splitlines()[2].replace("29.04.2021", "30.04.2021") + "\n"}, id="same office and applicant, another day"),
        pytest.param({"KOS_b.csv": APRIL.splitlines()[2].replace("8 747 640 4075", "8 701 000 0000") + "\n"}, id="another applicant of the same name"),
    ])
    def test__clean_journals__another_office_day_or_person_is_another_consultation(self, tmp_path, other):
        out = _clean(tmp_path, {"KOS_a.csv": APRIL, **other})
        assert sum(clean.height for _, clean in out) == 3 + sum(body.count("\n") for body in other.values())

    def test__clean_journals__a_repeat_inside_one_journal_is_left_to_its_rule(self, tmp_path):
        (_, clean), = _clean(tmp_path, {"KOS_a.csv": APRIL + APRIL.splitlines()[2] + "\n"})
        assert clean.height == 3  # the copy is a duplicate_consultation of row 4, not a stop


class TestCheckAcross:
    def test__check_across__no_journal_nothing_to_check(self):
        journals.check_across([])

    def test__check_across__compares_the_pseudonym_office_and_date(self):
        row = {"office": "KOS", "date": dt.datetime(2021, 4, 29), "applicant_id": "pabcdefghijkl", "source_file": "a.xlsx", "source_row": 6}
        journals.check_across([pl.DataFrame([row]), pl.DataFrame([row | {"applicant_id": "pmnopqrstuvwx", "source_file": "b.xlsx"}])])
        with pytest.raises(CleaningError, match=r"KOS, 29\.04\.2021: a\.xlsx row 6, b\.xlsx row 2$"):
            journals.check_across([pl.DataFrame([row]), pl.DataFrame([row | {"source_file": "b.xlsx", "source_row": 2}])])


def test__totals__only_the_indicators_and_the_project_ratings_no_cross_of_form_and_rating():
    import polars as pl

    from helpers.clean import journals

    cons = pl.DataFrame({"form": ["office"] * 5 + ["online_site", "online_instagram"],
                         "rating": ["positive"] * 4 + ["negative", "positive", None]})
    t = dict(journals.totals(cons).iter_rows())
    assert t == {"consultations": 7, "in_offices": 5, "online": 2, "rated_positive": 5, "rated_negative": 1, "not_rated": 1}
