"""The malformed-file corpus (tests/bad_inputs, rebuilt by build_corpus.py): every file gives either
a clear error naming the file, row/column and value, quarantined rows with a rule and a reason, or
is read as it is meant; personal data never leaves the stage unmasked (issue 17: one test per file)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from helpers import params, paths
from helpers.clean import CleaningError, events, journals, rules, surveys
from helpers.clean.accounting import write_rejected
from helpers.clean.codebook import UnknownLabelError, raise_unknown
from helpers.clean.masking import EMAIL_TOKEN, IIN_TOKEN, PHONE_TOKEN
from helpers.clean.names import NAME_TOKEN
from helpers.clean.offices import Office, load_offices
from helpers.clean.read import discover
from helpers.clean.reference import load_reference

BAD = Path(__file__).resolve().parent / "bad_inputs"
REF = load_reference(paths.CONFIG)
#: the offices of config/offices.yaml and a second office in Almaty (two offices in one city)
OFFICES = load_offices(paths.CONFIG) | {"Алматы-2": Office("Алматы-2", "Второй кабинет медиации в г. Алматы", "Алматы қаласындағы екінші медиация кабинеті",
                                                          "ALA", "Алматы", "Алматы", dt.date(2021, 4, 1))}
SALT = "test-salt"
PERIOD = (dt.date(2021, 4, 1), dt.date(2021, 11, 25))
P = params.load()  # the demo run's parameters: the survey stage's margin and largest rejected share

#: file → what the cleaning must do with it:
#:
#: * ``("error", [texts])``: the file stops the run (:class:`CleaningError`), the message holds every text;
#: * ``("unknown", [texts][, {"absent": [personal data]}])``: unknown labels stop the run, listed and masked;
#: * ``("quarantine", rule or (rules), column, value[, {...}])``: rows rejected by the rule with that value;
#:   ``"rows"``: how many; ``"csv_value"``: a value of the rejected-rows CSV (``accounting.write_rejected``);
#:   ``"absent"``: personal data no value of that CSV holds;
#:   ``"kept"``: how many rows the file keeps; ``"reason"``: a text every such row's reason holds;
#: * ``("read"[, {...}])``: read as meant, rows kept (at least 10); ``"rows_kept"``, ``"rows_rejected"``,
#:   ``"rows_duplicate"``, ``"sheet"``, ``"header_row"`` as given, ``"submitted"``: the earliest and latest
#:   timestamp, ``"at_rows"``: the timestamp of some rows (by row number), ``"same_as"``: the corpus file
#:   whose clean table (provenance aside) it must equal; ``"offices"``: consultations per office,
#:   ``"regions"``: the regions of the consultations (consultation ids are always unique);
#: * ``("masked", column, token, [personal data])``: every row kept, the clean table's column shows the
#:   token and nothing of the personal data (no word of it, no run of its digits);
#: * ``("discover", {"skipped": log line} | {"error": [texts]})``: the file in a surveys folder beside an
#:   export, listed by :func:`helpers.clean.read.discover`.
#:
#: A case ending in ``/`` is a folder of files that must be read together (several journals, several
#: participant lists): ``read`` and ``error`` then concern the folder, accounting summed over its files.
CASES = {
    "population_ru__wrong_encoding_utf16.csv": ("error", ["population_ru__wrong_encoding_utf16.csv", "wrong encoding"]),
    "population_ru__wrong_encoding_koi8.csv": ("error", ["population_ru__wrong_encoding_koi8.csv", "wrong encoding", "koi8_r", "save it as CSV UTF-8"]),
    "population_ru__empty.csv": ("error", ["population_ru__empty.csv", "empty file"]),
    "population_ru__header_only.csv": ("error", ["population_ru__header_only.csv", "row 2", "header only"]),
    "population_ru__missing_column.csv": ("error", ["population_ru__missing_column.csv", "missing column", "sex"]),
    "population_ru__renamed_column.csv": ("error", ["population_ru__renamed_column.csv", "row 1", "column 5 'Возраст'", "age"]),
    # the unknown value is masked like any text that leaves the stage («Марс» reads as a name)
    "population_ru__unknown_label.csv": ("unknown", ["population_ru__unknown_label.csv", "'Ваш регион'", "2 row(s)", "'Ваш пол'", "'Другой'"]),
    "population_ru__unparseable_date.csv": ("quarantine", "bad_timestamp", "Отметка времени", "вчера вечером"),
    "population_ru__duplicated_columns.csv": ("error", ["population_ru__duplicated_columns.csv", "row 1", "duplicated column", "'Ваш пол'"]),
    "population_ru__numeric_text.csv": ("quarantine", "not_a_number", "Ваш возраст (полных лет)", "сорок"),
    "population_ru__age_out_of_range.csv": ("quarantine", "out_of_range", "Ваш возраст (полных лет)", "250"),
    "population_ru__test_submission.csv": ("quarantine", "test_submission", "", None),
    "population_ru__duplicate_email.csv": ("quarantine", "duplicate_respondent", "Адрес электронной почты", None),
    "population_ru__ragged_row.csv": ("error", ["population_ru__ragged_row.csv", "row 4", "cells but the header has"]),
    # a merged title row above the header: the header is found below it, every row read
    "population_ru__merged_header.xlsx": ("read",),
    "population_ru__not_an_xlsx.xlsx": ("error", ["population_ru__not_an_xlsx.xlsx", "cannot be read as xlsx"]),
    "nonprof_ru__unknown_grid_label.csv": ("unknown", ["nonprof_ru__unknown_grid_label.csv", "[", "'Иногда'"]),
    "KOS_journal__missing_column.csv": ("error", ["KOS_journal__missing_column.csv", "missing required column", "rating"]),
    "KOS_journal__unknown_header.csv": ("error", ["KOS_journal__unknown_header.csv", "row 1", "'Адрес проживания'"]),
    "journal_kostanay__bad_file_name.csv": ("error", ["journal_kostanay__bad_file_name.csv", "config/offices.yaml"]),
    "KOS_journal__unknown_value.csv": ("unknown", ["KOS_journal__unknown_value.csv", "'Категория спора'", "'Космический'"]),
    "KOS_journal__bad_date.csv": ("quarantine", "bad_date", "Дата консультации", "45.13.2021"),
    "KOS_journal__n_parties_text.csv": ("quarantine", "not_a_number", "Количество сторон", "три"),
    "KOS_journal__out_of_period.csv": ("quarantine", "out_of_period", "Дата консультации", "15.01.2020"),
    "KOS_journal__duplicate_entry.csv": ("quarantine", "duplicate_consultation", "", None),
    "participants_unknown_country/RT-02.csv": ("unknown", ["RT-02.csv", "'Страна'", "'Атлантида'"]),
    "participants_age_text/RT-02.csv": ("quarantine", "not_a_number", "Возраст", "двадцать"),
}

# --- issue 17: survey exports and folders as offices and respondents send them (build_corpus.build_surveys) --
TS, AGE, REGION, INFO_OTHER = "Отметка времени", "Ваш возраст (полных лет)", "Ваш регион", "info_sources__other_text"
SAME = {"same_as": "population_ru__control_as_downloaded.csv", "rows_kept": 12, "rows_rejected": 0, "rows_duplicate": 0}
CASES |= {
    # the control: the sample as Google Forms downloads it; the formats below must give its clean table
    "population_ru__control_as_downloaded.csv": ("read", {"rows_kept": 12, "rows_rejected": 0, "rows_duplicate": 0,
                                                          "submitted": ("2021-05-17 06:47:35", "2021-10-28 20:17:18")}),
    # workbooks: the visible sheet with the header, below title rows; hidden rows counted
    "population_ru__hidden_old_copy_first.xlsx": ("read", SAME | {"sheet": "Ответы на форму (1)"}),
    "population_ru__hidden_old_copy_first.xls": ("read", SAME | {"sheet": "Ответы на форму (1)"}),
    "population_ru__hidden_old_copy_first.ods": ("read", SAME | {"sheet": "Ответы на форму (1)"}),
    "population_ru__instruction_sheet_first.xlsx": ("read", SAME | {"sheet": "Анкеты"}),
    "population_ru__two_title_rows.xlsx": ("read", SAME | {"header_row": 3}),
    "population_ru__two_title_rows.csv": ("read", SAME | {"header_row": 3}),
    "population_ru__hidden_rows.xlsx": ("quarantine", "hidden_row", "", None, {"rows": 2}),
    "population_ru__hidden_rows.ods": ("quarantine", "hidden_row", "", None, {"rows": 1}),
    "population_ru__hidden_rows.xls": ("quarantine", "hidden_row", "", None, {"rows": 2}),
    "population_ru__two_visible_sheets.xlsx": ("error", ["population_ru__two_visible_sheets.xlsx", "several sheets",
                                                         "'Ответы на форму (1)' (row 1)", "'Ответы на форму (1) испр' (row 1)"]),
    "population_ru__only_hidden_sheet_matches.xlsx": ("error", ["population_ru__only_hidden_sheet_matches.xlsx",
                                                                "'Ответы на форму (1)', is hidden"]),
    "population_ru__export.xls": ("read", SAME),
    "population_ru__export.ods": ("read", SAME),
    "population_ru__formatted_empty_rows.xlsx": ("read", SAME),
    "population_ru__header_only.xlsx": ("error", ["population_ru__header_only.xlsx", "row 2", "header only"]),
    "population_ru__empty_sheet_only.xlsx": ("error", ["population_ru__empty_sheet_only.xlsx", "no sheet has the expected header", "'Лист1': empty"]),
    # csv as Excel and other programs save it
    "population_ru__sep_semicolon.csv": ("read", SAME),
    "population_ru__trailing_empty_columns.csv": ("read", SAME),
    "population_ru__trailing_empty_rows.csv": ("read", SAME),
    "population_ru__cp1251_semicolon.csv": ("read", SAME),
    "population_ru__utf8_bom.csv": ("read", SAME),
    "population_ru__tab_separated.csv": ("read", SAME),
    "population_ru__line_break_in_other.csv": ("read", {"rows_kept": 12, "rows_rejected": 0}),
    # timestamps: AM/PM, Excel serials, the day/month order decided per file, the fieldwork window
    "population_ru__ampm_en_us.csv": ("read", SAME),
    "population_ru__ampm_ru_dp_pp.csv": ("read", SAME),
    "population_ru__ampm_midnight_noon.csv": ("read", {"rows_kept": 12, "rows_rejected": 0,
                                                       "at_rows": {3: "2021-06-15 00:15:35", 6: "2021-08-08 12:05:17"}}),
    "population_ru__excel_serial.xlsx": ("read", SAME),
    "population_ru__excel_serial_text.csv": ("read", SAME),
    "population_ru__mac_1904_dates.xlsx": ("read", SAME),
    # days 1–12 only: the order comes from the export's locale (header «Timestamp»: month first; Russian: day first)
    "population_ru__day_first_slashes.csv": ("read", {"rows_kept": 12, "rows_rejected": 0,
                                                      "submitted": ("2021-06-03 20:27:34", "2021-10-12 16:06:09")}),
    "population_ru__month_first_low_days.csv": ("read", {"rows_kept": 12, "rows_rejected": 0, "same_as": "population_ru__day_first_slashes.csv",
                                                         "submitted": ("2021-06-03 20:27:34", "2021-10-12 16:06:09")}),
    "population_ru__mixed_date_orders.csv": ("error", ["population_ru__mixed_date_orders.csv", f"column «{TS}»", "both orders",
                                                       "row 2 reads 17.05.2021 6:47:35 (day first)", "row 8 reads 8/17/2021 2:50:19 (month first)"]),
    "population_ru__submitted_after_fieldwork.csv": ("quarantine", "out_of_period", TS, "03.12.2021 9:12:00", {"rows": 1}),
    "population_ru__timestamp_1899.csv": ("quarantine", "out_of_period", TS, "30.12.1899 15:51:21"),
    "population_ru__timestamp_2031.csv": ("quarantine", "out_of_period", TS, "08.09.2031 1:09:15"),
    # half the rows lost still runs; more than half stops the run with the file's top three reasons
    "population_ru__half_timestamps_not_shown.csv": ("quarantine", "bad_timestamp", TS, "########", {"rows": 6}),
    "population_ru__most_timestamps_not_shown.csv": ("error", [
        "population_ru__most_timestamps_not_shown.csv", "8 of 12 rows rejected", "cleaning.max_rejected_share",
        "the timestamp is missing or in no known format (6 rows)", "submitted outside the fieldwork window",
        "a number question holds text that is not a number"]),
    # text as typed or pasted: invisible characters, other digits, Latin look-alike letters
    "population_ru__invisible_characters_in_labels.csv": ("read", SAME),
    "population_ru__invisible_characters_in_header.csv": ("read", SAME),
    "population_ru__fullwidth_digits_age.csv": ("read", SAME),
    "population_ru__arabic_indic_digits_age.csv": ("read", SAME),
    "population_ru__latin_lookalike_letters.csv": ("read", SAME),
    # numbers that are not ages: rejected with the value as written
    "population_ru__age_2_5.csv": ("quarantine", ("not_a_number", "out_of_range"), AGE, "2.5"),
    "population_ru__age_nan.csv": ("quarantine", ("not_a_number", "out_of_range"), AGE, "NaN"),
    "population_ru__age_inf.csv": ("quarantine", ("not_a_number", "out_of_range"), AGE, "inf"),
    "population_ru__age_1e9.csv": ("quarantine", ("not_a_number", "out_of_range"), AGE, "1e9"),
    # the rejected-rows CSV: a formula is written as text, personal data masked
    "population_ru__age_formula.csv": ("quarantine", "not_a_number", AGE, '=HYPERLINK("http://x","y")',
                                       {"csv_value": '\'=HYPERLINK("http://x","y")'}),
    "population_ru__age_with_phone.csv": ("quarantine", "not_a_number", AGE, None, {"absent": ["8 701 234 56 78"]}),
    # personal data in «Другое»: masked in the clean table
    "population_ru__other_phone_dots.csv": ("masked", INFO_OTHER, "[phone]", ["8.701.234.56.78"]),
    "population_ru__other_phone_city_code.csv": ("masked", INFO_OTHER, "[phone]", ["+7 (7102) 73-45-67"]),
    "population_ru__other_phone_uzbek.csv": ("masked", INFO_OTHER, "[phone]", ["+998 90 123 45 67"]),
    "population_ru__other_iin_spaced.csv": ("masked", INFO_OTHER, "[IIN]", ["880412 300123"]),
    "population_ru__other_email_spaced_at.csv": ("masked", INFO_OTHER, "[e-mail]", ["aigerim.s @ mail.ru"]),
    "population_ru__other_email_at_word.csv": ("masked", INFO_OTHER, "[e-mail]", ["aigerim.s(at)mail.ru"]),
    "population_ru__other_person_name.csv": ("masked", INFO_OTHER, "[name]", ["Сейтказиева Айгерим Болатовна"]),
    "population_ru__other_person_name_latin.csv": ("masked", INFO_OTHER, "[name]", ["Aigerim Seitkazieva"]),
    "population_kk__other_person_name.csv": ("masked", INFO_OTHER, "[name]", ["Айгүл Серікқызы"]),
    "population_ru__unknown_label_name_phone.csv": ("unknown", ["population_ru__unknown_label_name_phone.csv", f"'{REGION}'",
                                                                "'[name] [phone]'"], {"absent": ["Иванова Марина 87012345678"]}),
    # row rules
    "population_ru__test_submission_caps.csv": ("quarantine", "test_submission", "", None, {"rows": 1}),
    "population_kk__test_submission_synaq.csv": ("quarantine", "test_submission", "", None, {"rows": 1}),
    "population_ru__duplicate_email_case_spaces.csv": ("quarantine", "duplicate_respondent", "Адрес электронной почты", None, {"rows": 1}),
    "population_ru__double_submission_no_email.csv": ("quarantine", "duplicate_submission", "", None, {"rows": 1}),
    "population_ru__same_answers_next_day.csv": ("read", {"rows_kept": 13, "rows_rejected": 0, "rows_duplicate": 0}),
    "population_ru__blank_row_between.csv": ("quarantine", "empty_row", "", None, {"rows": 1}),
    # what else lands in the surveys folder
    "~$population_ru.xlsx": ("discover", {"skipped": "skipped surveys/~$population_ru.xlsx: an Excel lock file (the workbook is open somewhere)"}),
    ".~lock.population_ru.ods#": ("discover", {"skipped": "skipped surveys/.~lock.population_ru.ods#: a LibreOffice lock file (the workbook is open somewhere)"}),
    "desktop.ini": ("discover", {"skipped": "skipped surveys/desktop.ini: a hidden or system file"}),
    "population_ru__notes.txt": ("discover", {"error": ["surveys/population_ru__notes.txt", "supported types: .csv, .xlsx, .xls, .ods"]}),
    "population_ru__printout.pdf": ("discover", {"error": ["surveys/population_ru__printout.pdf", "supported types: .csv, .xlsx, .xls, .ods"]}),
}
# --- issue 17: journals, participant lists and the register as offices send them (build_corpus.build_journals) --
DATE, PARTIES = "Дата консультации", "Количество сторон"
JSAME = {"same_as": "KOS_journal__control.csv", "rows_kept": 10, "rows_rejected": 0, "rows_duplicate": 0, "offices": {"KOS": 10}}
SAME_TWICE = "the same consultation (same applicant, office and date) in two journals"
CASES |= {
    # the control: ten clean rows of an office's journal; the formats and layouts below must give its clean table
    "KOS_journal__control.csv": ("read", {"rows_kept": 10, "rows_rejected": 0, "rows_duplicate": 0, "offices": {"KOS": 10}}),
    "KOS_journal__export.xls": ("read", JSAME),
    "KOS_journal__export.ods": ("read", JSAME),
    "KOS_journal__two_title_rows.xlsx": ("read", JSAME | {"header_row": 3}),
    "KOS_journal__instruction_sheet_first.xlsx": ("read", JSAME | {"sheet": "Журнал"}),
    "KOS_journal__hidden_old_copy_first.xlsx": ("read", JSAME | {"sheet": "Журнал"}),
    # file names: Cyrillic words and spaces after a known office id; an office config/offices.yaml does not list
    "KOS_журнал октябрь.xlsx": ("read", JSAME),
    "SEM_журнал 2021.xlsx": ("error", ["SEM_журнал 2021.xlsx", "no office's id starts this file name",
                                      "Add the office of this journal to config/offices.yaml"]),
    # totals lines are no consultations (and no bad dates)
    "KOS_journal__totals_rows.xlsx": ("quarantine", "totals_row", "", None, {"rows": 2, "kept": 10}),
    "KOS_journal__kk_totals_barlygy.ods": ("quarantine", "totals_row", "", None, {"rows": 1, "kept": 10}),
    # party counts: whole numbers 1–50, full-width digits read as digits
    "KOS_journal__parties_2_5.xlsx": ("quarantine", "not_a_number", PARTIES, "2.5", {"rows": 1, "reason": "not a whole number"}),
    "KOS_journal__parties_nan.csv": ("quarantine", "not_a_number", PARTIES, "NaN", {"rows": 1}),
    "KOS_journal__parties_inf.csv": ("quarantine", "not_a_number", PARTIES, "inf", {"rows": 1}),
    "KOS_journal__parties_1e9.csv": ("quarantine", "out_of_range", PARTIES, "1e9", {"rows": 1, "reason": "above the maximum 50"}),
    "KOS_journal__parties_fullwidth_digits.csv": ("read", JSAME),
    # dates: month first in an English-locale export (a day above 12 tells), both orders in one file, serial numbers
    "KOS_journal__dates_en_us.csv": ("read", JSAME),
    "KOS_journal__mixed_date_orders.csv": ("error", ["KOS_journal__mixed_date_orders.csv", f"column «{DATE}»", "both orders",
                                                     "row 3 reads 20.04.2021 (day first)", "row 8 reads 6/23/2021 (month first)"]),
    "KOS_journal__excel_serial_dates.xlsx": ("read", JSAME),
    # every row lost stops the run with the file's top three reasons
    "KOS_journal__all_rows_rejected.csv": ("error", ["KOS_journal__all_rows_rejected.csv", "10 of 10 rows rejected", "cleaning.max_rejected_share",
                                                     "the date is missing or in no known format (8 rows)",
                                                     "the date is outside the project period (2021-04-01 – 2021-11-25) (1 rows)",
                                                     "not a whole number (1 rows)"]),
    # several journals of one office; the same consultation in two of them; two offices in one city
    "journals__monthly/": ("read", JSAME),
    "journals__same_consultation_twice/": ("error", [
        SAME_TWICE, "KOS, 29.04.2021: journals__same_consultation_twice/KOS_журнал апрель.xlsx row 6, "
                    "journals__same_consultation_twice/KOS_журнал май-октябрь.xlsx row 2"], {"absent": ["Ермекова Айгерим"]}),
    "journals__two_offices_one_city/": ("read", {"rows_kept": 11, "rows_rejected": 0, "rows_duplicate": 0,
                                                 "offices": {"ALA": 5, "Алматы-2": 6}, "regions": {"ALA"}}),
    # participant lists: a person listed twice (capitals, another phone format); two lists of one event
    "participants_duplicate_person/RT-02.csv": ("quarantine", "duplicate_participant", "", None,
                                                {"rows": 1, "reason": "same person as row 3", "absent": ["Нургалиев Арман", "+7 777 493 32 33"]}),
    "participants__two_lists_one_event/": ("error", ["two participant lists of one event: RT-02: participants__two_lists_one_event/RT-02.csv, "
                                                     "participants__two_lists_one_event/rt-02.xlsx"]),
    # the event register: a row pasted again (the fixture's 18 events in rows 2–19, the copy of row 3 in row 20); a totals line
    "events_register__pasted_row.csv": ("error", ["the event register lists an event twice: RT-02: events_register__pasted_row.csv row 3, "
                                                  "events_register__pasted_row.csv row 20"]),
    "events_register__totals_row.csv": ("quarantine", "totals_row", "", None, {"rows": 1, "kept": 18}),
}
#: cases where the code does not (yet) do what issue 17 asks: the expectation stands, the test must fail
XFAIL: dict[str, str] = {}


def _namespace(results: list, **more) -> SimpleNamespace:
    """What the checks read of one or more cleaned files: kept rows, rejected rows, summed accounting."""
    outcomes = [r.outcome for r in results]
    acc = {k: sum(o.accounting[k] for o in outcomes) for k in ("rows_in", "rows_kept", "rows_rejected", "rows_duplicate")}
    return SimpleNamespace(unknown=[u for r in results for u in r.unknown], rejected=pl.concat([o.rejected for o in outcomes]).to_pandas(),
                           accounting=acc, clean=pl.concat([r.clean for r in results], how="vertical_relaxed"), outcomes=outcomes, **more)


def clean_folder(rel: str) -> SimpleNamespace:
    """Clean a folder case as the stage cleans its folder: several participant lists (their events from
    their names), or several journals (:func:`helpers.clean.journals.clean_journals`)."""
    files = sorted((BAD / rel).iterdir())
    if rel.startswith("participants__"):
        ids = events.events_of_lists(files, BAD, ["RT-02"])
        names = [f.relative_to(BAD).as_posix() for f in files]
        results = [events.clean_participants(events.read_participants(f, n, REF), REF, n, SALT, e) for f, n, e in zip(files, names, ids)]
    else:
        results = [r for _, r in journals.clean_journals(files, BAD, REF, SALT, PERIOD, OFFICES)]
    return _namespace(results)


def clean_one(rel: str):
    """Clean one corpus file (or folder) with the cleaner its name implies (read as its stage reads it,
    with the stage's checks); raise on unknown labels like the stage does."""
    path = BAD / rel
    name = Path(rel).name
    if rel.endswith("/"):
        res = clean_folder(rel)
    elif name.startswith("events_register"):
        reg = events.clean_register(events.read_register(path, rel), REF, rel, SALT)
        events.check_register(reg.clean)
        res = _namespace([reg])
    elif rel.startswith("participants_"):
        res = _namespace([events.clean_participants(events.read_participants(path, rel, REF), REF, rel, SALT, events.event_of(path, ["RT-02"]))])
    elif name.split("__")[0].endswith(("_ru", "_kk")):
        survey, lang = name.split("__")[0].rsplit("_", 1)
        cb = REF.codebooks[survey]
        raw = surveys.read_export(path, rel, cb)
        res = surveys.clean_export(raw, cb, REF, rel, lang, SALT, (*PERIOD, P["cleaning.fieldwork_margin_days"]))
        res.clean = surveys.mask_free_texts(res.clean, cb)  # as the stage does once all exports are read
        res = _namespace([res], sheet=raw.sheet, header_row=raw.header_row)
    else:
        raw = journals.read_journal(path, rel, REF)
        res = _namespace([journals.clean_journal(raw, REF, rel, SALT, PERIOD, OFFICES)], sheet=raw.sheet, header_row=raw.header_row)
    for outcome in res.outcomes:
        rules.check_share(outcome, P["cleaning.max_rejected_share"])  # as the stages do
    raise_unknown(res.unknown)
    return res


def test__corpus__at_least_70_cases_one_per_file():
    folders = [c for c in CASES if c.endswith("/")]
    files = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*")
             if p.is_file() and p.name != "build_corpus.py" and "__pycache__" not in p.parts}
    cases = {next((f for f in folders if rel.startswith(f)), rel) for rel in files}
    assert len(cases) >= 70
    assert cases == set(CASES), "every corpus file needs a case (and every case a file)"
    assert all(len([f for f in files if f.startswith(folder)]) >= 2 for folder in folders), "a folder case holds several files"
    assert set(XFAIL) <= set(CASES)


def _leaks(personal: str, text: str) -> list[str]:
    """What of ``personal`` is left in ``text``: its words (3+ letters, any case) and the runs of 2+
    digits of ``text`` that are part of its digits (the mask's tokens aside)."""
    for token in (PHONE_TOKEN, IIN_TOKEN, EMAIL_TOKEN, NAME_TOKEN):
        text = text.replace(token, " ")
    digits = re.sub(r"\D", "", personal)
    words = [w for w in re.findall(r"[^\W\d_]{3,}", personal.casefold()) if w in text.casefold()]
    return words + [run for run in re.findall(r"\d{2,}", text) if digits and run in digits]


def _content(clean: pl.DataFrame) -> pl.DataFrame:
    """A clean survey or journal table without what says where a row came from."""
    return clean.drop("source_file", "source_row", "response_id", "respondent_id", "consultation_id", strict=False)


def _check_read(res, want: dict) -> None:
    acc = res.accounting
    assert acc["rows_kept"] >= 10, acc
    for key in ("rows_kept", "rows_rejected", "rows_duplicate"):
        assert acc[key] == want.get(key, acc[key]), (key, acc, res.rejected)
    for key in ("sheet", "header_row"):
        assert key not in want or getattr(res, key) == want[key], key
    if "offices" in want:
        assert dict(res.clean["office"].value_counts().iter_rows()) == want["offices"]
    if "regions" in want:
        assert set(res.clean["region"].to_list()) == want["regions"]
    if "consultation_id" in res.clean.columns:
        assert res.clean["consultation_id"].is_unique().all()
    if "submitted" in want:
        at = res.clean["submitted_at"]
        assert (str(at.min()), str(at.max())) == want["submitted"]
    if "at_rows" in want:
        at = dict(zip(res.clean["source_row"], res.clean["submitted_at"]))
        assert {row: str(at.get(row)) for row in want["at_rows"]} == want["at_rows"]
    if "same_as" in want:
        assert_frame_equal(_content(res.clean), _content(clean_one(want["same_as"]).clean))


def _check_quarantine(res, rel: str, rule: str | tuple[str, ...], column: str, value: str | None, want: dict, tmp_path: Path) -> None:
    rej = res.rejected
    hit = rej[rej["rule"].isin([rule] if isinstance(rule, str) else rule)]
    if column:
        hit = hit[hit["column"] == column]
    if value is not None:
        hit = hit[hit["value"] == value]
    assert len(hit) >= 1, rej
    assert hit["reason"].str.len().gt(0).all() and hit["source_row"].ge(2).all()
    if "rows" in want:
        assert len(hit) == want["rows"], rej
    if "kept" in want:
        assert res.accounting["rows_kept"] == want["kept"], res.accounting
    if "reason" in want:
        assert hit["reason"].str.contains(want["reason"], regex=False).all(), hit["reason"].tolist()
    if "csv_value" in want or "absent" in want:
        with write_rejected(tmp_path, rel, rej).open(encoding="utf-8", newline="") as f:
            written = [row["value"] for row in csv.DictReader(f)]
        if "csv_value" in want:
            assert want["csv_value"] in written, written
        for personal in want.get("absent", []):
            assert not [v for v in written if _leaks(personal, v)], written


def _check_masked(res, column: str, token: str, personal: list[str]) -> None:
    acc = res.accounting
    assert acc["rows_kept"] == acc["rows_in"], res.rejected
    texts = res.clean[column].drop_nulls().to_list()
    assert any(token in t for t in texts), texts
    for p in personal:
        assert not [t for t in texts if _leaks(p, t)], texts


def _check_discover(rel: str, want: dict, tmp_path: Path) -> None:
    folder = tmp_path / "surveys"
    folder.mkdir()
    shutil.copy(BAD / "population_ru__control_as_downloaded.csv", folder / "population_ru.csv")
    shutil.copy(BAD / rel, folder / Path(rel).name)
    if "error" in want:
        with pytest.raises(CleaningError) as info:
            discover(folder, tmp_path)
        for part in want["error"]:
            assert part in str(info.value), f"{part!r} not in: {info.value}"
        return
    files, log = discover(folder, tmp_path)
    assert [p.name for p in files] == ["population_ru.csv"] and log == [want["skipped"]]


@pytest.mark.parametrize("rel", [pytest.param(rel, marks=pytest.mark.xfail(strict=True, reason=XFAIL[rel])) if rel in XFAIL else rel
                                 for rel in sorted(CASES)])
def test__bad_input(rel, tmp_path):
    kind, *expect = CASES[rel]
    if kind == "discover":
        _check_discover(rel, expect[0], tmp_path)
        return
    if kind in ("error", "unknown"):
        exc = UnknownLabelError if kind == "unknown" else CleaningError
        with pytest.raises(exc) as info:
            clean_one(rel)
        msg = str(info.value)
        for part in expect[0]:
            assert part in msg, f"{part!r} not in: {msg}"
        shown = re.findall(r"value '(.*)' \| \d+ row", msg) if kind == "unknown" else [msg]  # the unknown labels as shown
        for personal in (expect[1] if len(expect) > 1 else {}).get("absent", []):
            assert shown and not [v for v in shown if _leaks(personal, v)], msg
        return
    res = clean_one(rel)
    acc = res.accounting
    assert acc["rows_in"] == acc["rows_kept"] + acc["rows_rejected"] + acc["rows_duplicate"], acc
    if kind == "read":
        _check_read(res, expect[0] if expect else {})
    elif kind == "masked":
        _check_masked(res, *expect)
    else:
        _check_quarantine(res, rel, *expect[:3], expect[3] if len(expect) > 3 else {}, tmp_path)
