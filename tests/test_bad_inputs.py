"""The malformed-file corpus (tests/bad_inputs, rebuilt by build_corpus.py): every file gives either
a clear error naming the file, row/column and value, or quarantined rows with a rule and a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import paths
from helpers.clean import CleaningError, events, journals, surveys
from helpers.clean.codebook import UnknownLabelError, raise_unknown
from helpers.clean.io import read_table
from helpers.clean.reference import load_reference

BAD = Path(__file__).resolve().parent / "bad_inputs"
REF = load_reference(paths.CONFIG)
SALT = "test-salt"
PERIOD = (dt.date(2021, 4, 1), dt.date(2021, 11, 25))

#: file → ("error", [texts the message must contain]), ("quarantine", rule, column, value), or ("read",): read
#: as it is meant (its data rows kept)
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
    "journal_kostanay__bad_file_name.csv": ("error", ["journal_kostanay__bad_file_name.csv", "region code"]),
    "KOS_journal__unknown_value.csv": ("unknown", ["KOS_journal__unknown_value.csv", "'Категория спора'", "'Космический'"]),
    "KOS_journal__bad_date.csv": ("quarantine", "bad_date", "Дата консультации", "45.13.2021"),
    "KOS_journal__n_parties_text.csv": ("quarantine", "not_a_number", "Количество сторон", "три"),
    "KOS_journal__out_of_period.csv": ("quarantine", "out_of_period", "Дата консультации", "15.01.2020"),
    "KOS_journal__duplicate_entry.csv": ("quarantine", "duplicate_consultation", "", None),
    "participants_unknown_country/RT-02.csv": ("unknown", ["RT-02.csv", "'Страна'", "'Атлантида'"]),
    "participants_age_text/RT-02.csv": ("quarantine", "not_a_number", "Возраст", "двадцать"),
}


def clean_one(rel: str):
    """Clean one corpus file with the cleaner its name implies (read as its stage reads it); raise on
    unknown labels like the stage does."""
    path = BAD / rel
    name = Path(rel).name
    if "/" in rel:
        res = events.clean_participants(read_table(path, rel), REF, rel, SALT, events.event_of(path, ["RT-02"]))
    elif name.split("__")[0].endswith(("_ru", "_kk")):
        survey, lang = name.split("__")[0].rsplit("_", 1)
        cb = REF.codebooks[survey]
        res = surveys.clean_export(surveys.read_export(path, rel, cb), cb, REF, rel, lang, SALT, (*PERIOD, 7))
        res = SimpleNamespace(unknown=res.unknown, rejected=res.outcome.rejected.to_pandas(), accounting=res.outcome.accounting)
    else:
        res = journals.clean_journal(read_table(path, rel), REF, rel, SALT, PERIOD)
    raise_unknown(res.unknown)
    return res


def test__corpus__has_at_least_20_cases():
    files = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*") if p.is_file() and p.suffix in (".csv", ".xlsx")}
    assert len(files) >= 20
    assert files == set(CASES), "every corpus file needs a case (and every case a file)"


@pytest.mark.parametrize("rel", sorted(CASES))
def test__bad_input(rel):
    expect = CASES[rel]
    if expect[0] in ("error", "unknown"):
        exc = UnknownLabelError if expect[0] == "unknown" else CleaningError
        with pytest.raises(exc) as info:
            clean_one(rel)
        msg = str(info.value)
        for part in expect[1]:
            assert part in msg, f"{part!r} not in: {msg}"
        return
    if expect[0] == "read":
        acc = clean_one(rel).accounting
        assert acc["rows_in"] == acc["rows_kept"] + acc["rows_rejected"] + acc["rows_duplicate"] and acc["rows_kept"] >= 10, acc
        return
    _, rule, column, value = expect
    res = clean_one(rel)
    rej = res.rejected
    hit = rej[rej["rule"] == rule]
    if column:
        hit = hit[hit["column"] == column]
    if value is not None:
        hit = hit[hit["value"] == value]
    assert len(hit) >= 1, rej
    assert hit["reason"].str.len().gt(0).all() and hit["source_row"].ge(2).all()
    acc = res.accounting
    assert acc["rows_in"] == acc["rows_kept"] + acc["rows_rejected"] + acc["rows_duplicate"]
