"""Tests of :mod:`helpers.clean.text`: each expression on small inline frames (happy and error
paths)."""

from __future__ import annotations

import re

import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal, assert_series_equal

from helpers import paths
from helpers.clean.text import (ASCII_TWINS, INVISIBLE, TOTALS_WORDS, clean_text, fix_lookalikes, is_answered, is_totals_row,
                                match_key, to_number, totals_pattern, whole_number)


def run(fn, values: list, dtype: pl.DataType = pl.String) -> pl.Series:
    """``fn(pl.col("x"))`` evaluated on a one-column frame of ``values``."""
    return pl.DataFrame({"x": pl.Series(values, dtype=dtype)}).select(fn(pl.col("x"))).to_series()


def series(values: list, dtype: pl.DataType = pl.String) -> pl.Series:
    return pl.Series("x", values, dtype=dtype)


def counts(values: list, lo: int | None = None, hi: int | None = None, dtype: pl.DataType = pl.String) -> pl.DataFrame:
    """``whole_number`` of ``values`` as a frame ``value, problem``."""
    c = whole_number(pl.col("x"), lo, hi)
    return pl.DataFrame({"x": pl.Series(values, dtype=dtype)}).select(value=c.value, problem=c.problem)


# --- clean_text ------------------------------------------------------------------------------

def test__clean_text__invisible_characters_removed():
    got = run(clean_text, [f"Д{c}а" for c in INVISIBLE] + ["\ufeffДа", "\u200b", "\u00ad \u2060"])
    assert_series_equal(got, series(["Да"] * len(INVISIBLE) + ["Да", None, None]))


def test__clean_text__unicode_spaces_become_one_space():
    spaces = ["\u00a0", "\u202f", "\u2009", "\u3000", "\t", "\n", "\r\n", "\x0b", "\x1c", "\x85", "\u2028", " \u00a0 "]
    assert_series_equal(run(clean_text, [f" a{s}b " for s in spaces]), series(["a b"] * len(spaces)))


def test__clean_text__fullwidth_forms_and_arabic_indic_digits_to_ascii():
    got = run(clean_text, ["５", "１２，５", "Ａｂ！", "٣", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"])
    assert_series_equal(got, series(["5", "12,5", "Ab!", "3", "0123456789", "0123456789"]))
    assert len(ASCII_TWINS) == 94 + 10 + 10


def test__clean_text__unicode_nfc():
    assert_series_equal(run(clean_text, ["и\u0306", "е\u0308"]), series(["й", "ё"]))


def test__clean_text__keeps_case_punctuation_and_other_symbols():
    values = ["Нет, не слышал(а)", "№ 5", "ОЧНО", "«Итого»", "м²", "e-mail@x.kz"]
    assert_series_equal(run(clean_text, values), series(values))


def test__clean_text__blank_and_missing_become_null():
    assert_series_equal(run(clean_text, ["", "   ", "\t\n", None]), series([None, None, None, None]))


def test__clean_text__column_that_is_not_text_is_cast():
    assert_series_equal(run(clean_text, [5, None], pl.Int64), series(["5", None]))
    assert_series_equal(run(clean_text, [None, None], pl.Null), series([None, None]))


def test__clean_text__empty_column():
    assert_series_equal(run(clean_text, []), series([]))


# --- is_answered ---------------------------------------------------------------------------

def test__is_answered__text_is_an_answer():
    assert_series_equal(run(is_answered, [" Да ", "0", "-"]), series([True, True, True], pl.Boolean))


def test__is_answered__blank_invisible_or_missing_is_not():
    assert_series_equal(run(is_answered, ["", " \u00a0", "\u200b\ufeff", None]), series([False] * 4, pl.Boolean))


# --- fix_lookalikes ----------------------------------------------------------------------------

def test__fix_lookalikes__latin_letters_inside_cyrillic_words_fixed_case_kept():
    got = run(fix_lookalikes, ["Kарагандинская обл.", "Костанайская oбл.", "КOСТАНАЙ", "Итoгo:"])
    assert_series_equal(got, series(["Карагандинская обл.", "Костанайская обл.", "КОСТАНАЙ", "Итого:"]))


def test__fix_lookalikes__latin_words_left_alone():
    values = ["Instagram", "Instagram-канал", "c-mediation.kz", "test@test.kz", "Онлайн (Instagram)", "Kazakhstan РК"]
    assert_series_equal(run(fix_lookalikes, values), series(values))


def test__fix_lookalikes__missing_stays_missing():
    assert_series_equal(run(fix_lookalikes, [None, ""]), series([None, ""]))


# --- match_key ---------------------------------------------------------------------------------

def test__match_key__case_yo_spaces_and_lookalikes():
    got = run(match_key, ["  ПОЛОЖИТЕЛЬНО\u00a0", "Её", "Oтрицательно", "Kарагандинская  обл.", "Instagram"])
    assert_series_equal(got, series(["положительно", "ее", "отрицательно", "карагандинская обл.", "instagram"]))


def test__match_key__punctuation_kept():
    values = ["нет, не слышал(а)", "онлайн (сайт)", "муж.", "+", "-", "«да»"]
    assert_series_equal(run(match_key, values), series(values))


def test__match_key__full_case_folding():
    assert_series_equal(run(match_key, ["Straße", "STRASSE", "ﬁ", "ΣΑΣ"]), series(["strasse", "strasse", "fi", "σασ"]))


def test__match_key__variants_of_one_label_share_the_key():
    variants = ["Положительно", " положительно ", "ПОЛОЖИТЕЛЬНО", "Пoлoжительнo", "По\u200bложительно", "Положительно\ufeff"]
    assert run(match_key, variants).unique().to_list() == ["положительно"]


def test__match_key__is_idempotent():
    values = ["Kарагандинская обл.", "Ёлка, ＡＢ", "  x\u00a0y ", "Straße"]
    once = run(match_key, values)
    assert_series_equal(run(match_key, once.to_list()), once)


def test__match_key__blank_and_missing_are_null():
    assert_series_equal(run(match_key, ["", " \u200b ", None]), series([None, None, None]))


# --- to_number ---------------------------------------------------------------------------------

def test__to_number__decimal_comma_groups_and_other_digits():
    got = run(to_number, ["34", " 2,5 ", "2.5", "1 000", "1\u00a0000,5", "-3", "+5", "1e3", "５", "٣", "۴,۵"])
    assert_series_equal(got, series([34.0, 2.5, 2.5, 1000.0, 1000.5, -3.0, 5.0, 1000.0, 5.0, 3.0, 4.5], pl.Float64))


def test__to_number__what_is_not_a_finite_number_is_null():
    values = ["тридцать", "NaN", "nan", "inf", "-inf", "Infinity", "1e400", "12 34", "1,000.5", "0x10", "", None]
    assert_series_equal(run(to_number, values), series([None] * len(values), pl.Float64))


# --- whole_number ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("5", 5), ("+5", 5), ("007", 7), ("5.0", 5), ("5,00", 5), ("5.", 5), ("1 000", 1000), ("1\u202f000", 1000),
    ("５", 5), ("٣", 3), ("۷", 7), (" 12\u00a0", 12), ("1e3", 1000), ("-0", 0), ("9007199254740993", 9007199254740993),
])
def test__whole_number__whole_numbers_read(text, value):
    assert_frame_equal(counts([text]), pl.DataFrame({"value": [value], "problem": [None]}, schema={"value": pl.Int64, "problem": pl.String}))


@pytest.mark.parametrize("text, problem", [
    ("2.5", "not a whole number"), ("3,7", "not a whole number"), ("1 000,5", "not a whole number"),
    ("NaN", "not a number"), ("nan", "not a number"), ("inf", "not a number"), ("-inf", "not a number"),
    ("два", "not a number"), ("2 стороны", "not a number"), ("12 34", "not a number"), ("1e400", "not a number"),
    ("1e9", "above the maximum 50"), ("51", "above the maximum 50"), ("0", "below the minimum 1"), ("-3", "below the minimum 1"),
    ("99999999999999999999", "above the maximum 50"),
])
def test__whole_number__problems_named(text, problem):
    assert_frame_equal(counts([text], 1, 50), pl.DataFrame({"value": [None], "problem": [problem]}, schema={"value": pl.Int64, "problem": pl.String}))


def test__whole_number__beyond_int64_is_too_large_not_wrapped():
    got = counts(["99999999999999999999", "1e30", "1e9", "-9223372036854775809"])
    expected = pl.DataFrame({"value": [None, None, 1_000_000_000, None], "problem": ["too large", "too large", None, "too large"]},
                            schema={"value": pl.Int64, "problem": pl.String})
    assert_frame_equal(got, expected)


def test__whole_number__empty_cell_is_missing_not_a_problem():
    got = counts(["", "  ", "\u200b", None], 1, 50)
    assert_frame_equal(got, pl.DataFrame({"value": [None] * 4, "problem": [None] * 4}, schema={"value": pl.Int64, "problem": pl.String}))


def test__whole_number__float_column():
    got = counts([2.0, 2.5, float("nan"), float("inf"), None], 1, 50, pl.Float64)
    expected = pl.DataFrame({"value": [2, None, None, None, None], "problem": [None, "not a whole number", "not a number", "not a number", None]},
                            schema={"value": pl.Int64, "problem": pl.String})
    assert_frame_equal(got, expected)


def test__whole_number__never_raises_and_value_only_where_no_problem():
    texts = ["2", "2.5", "NaN", "inf", "-inf", "1e9", "1e400", "9" * 40, "-" + "9" * 40, "x", "", None, "1 000", "٣"]
    got = counts(texts, 1, 50)
    assert got.schema == pl.Schema({"value": pl.Int64, "problem": pl.String})
    assert got.filter(pl.col("value").is_not_null() & pl.col("problem").is_not_null()).is_empty()
    assert got["value"].to_list() == [2] + [None] * 12 + [3]


def test__whole_number__without_range_any_whole_number():
    assert_frame_equal(counts(["-5", "0", "1000000"]), pl.DataFrame({"value": [-5, 0, 1_000_000], "problem": [None] * 3},
                                                                      schema={"value": pl.Int64, "problem": pl.String}))


# --- is_totals_row ----------------------------------------------------------------------------

def totals(rows: list[tuple], n_first: int = 2, **kw) -> list[bool]:
    df = pl.DataFrame(rows, schema=["source_row", "no", "date", "name", "n"], orient="row")
    df = df.with_columns(pl.col("source_row").cast(pl.Int64))
    return df.select(is_totals_row(df.columns, n_first, **kw)).to_series().to_list()


@pytest.mark.parametrize("first", [
    "Итого", "ИТОГО:", "Итого по области", "итого", "Всего", "Всего:", "Барлығы", "БАРЛЫҒЫ", "Жиыны", "Total", "TOTAL:", "Subtotal",
    "Grand total", "В том числе:", "в т.ч. женщины", "В т. ч.", "Из них", "Оның ішінде", "Итoгo", " \u00a0Итого\u200b", "Итого2",
])
def test__is_totals_row__totals_word_in_the_first_cell(first):
    assert totals([(2, first, None, None, "25")]) == [True]


def test__is_totals_row__blank_cells_skipped():
    """Cells as clean_text gives them: a blank cell is null."""
    rows = [(2, None, None, "Итого", "25"), (3, None, "Всего", None, None), (4, None, None, None, "Итого"), (5, "2", "Total", None, None)]
    assert totals(rows) == [True, True, True, True]


def test__is_totals_row__records_are_not_totals():
    rows = [(2, "1", "01.04.2021", "Всеволод Итогов", "2"), (3, "Итоговый", "Всегда", "Totally", "2"),
            (4, None, None, None, None), (5, "тотал", "итог", "в т", "из")]
    assert totals(rows) == [False, False, False, False]


def test__is_totals_row__only_the_first_n_filled_cells():
    row = [(2, "15", "01.04.2021", "Итого", "25")]
    assert totals(row) == [False]
    assert totals(row, n_first=3) == [True]
    assert totals(row, n_first=0) == [False]


def test__is_totals_row__provenance_columns_are_not_cells():
    df = pl.DataFrame({"source_file": ["Итого.csv"], "source_row": [2], "no": ["1"], "name": ["Асем"]})
    assert df.select(is_totals_row(df.columns)).item() is False
    assert pl.DataFrame({"source_row": [2]}).select(is_totals_row(["source_row"])).item() is False


def test__is_totals_row__own_words():
    assert totals([(2, "Жиынтығы", None, None, None)]) == [False]
    assert totals([(2, "Жиынтығы", None, None, None)], words=(*TOTALS_WORDS, "жиынтығы")) == [True]


def test__totals_pattern__whole_words_only():
    pat = re.compile(totals_pattern())
    assert [bool(pat.search(k)) for k in ["итого:", "итого по району", "итоговый", "в т.ч. мужчины", "в т.ч", "totally"]] == \
        [True, True, False, True, True, False]


# --- the module --------------------------------------------------------------------------------

def test__text_module__polars_only_no_row_loops():
    source = (paths.ROOT / "src/helpers/clean/text.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+(pandas|numpy)", source, re.M)
    assert "map_elements" not in source and "map_batches" not in source
    assert len(source.splitlines()) <= 300


def test__match_key__combining_mark_stays_inside_its_word():
    """A stress mark inside a word does not split it: «стро́ka» is one mixed word, its Latin «ka» made Cyrillic."""
    assert run(match_key, ["стро\u0301ka"]).to_list() == ["стро\u0301ка"]
