import pandas as pd
import pytest

from helpers import paths
from helpers.clean.normalise import (band_of, clean_text, extract_regions, fix_lookalikes, load_regions, map_regions, match_key,
                                     parse_dates, region_lookup, to_number)

LOOKUP = region_lookup(load_regions(paths.CONFIG))


def test__clean_text__collapses_whitespace_and_empties_to_na():
    assert clean_text(pd.Series([" a \u00a0 b ", "   ", None])).tolist() == ["a b", None, None] or clean_text(pd.Series([" a \u00a0 b ", "   ", None])).isna().tolist() == [False, True, True]


def test__fix_lookalikes__latin_inside_cyrillic_word_only():
    assert fix_lookalikes(pd.Series(["Kостанай", "Instagram", "c-mediation.kz"])).tolist() == ["Костанай", "Instagram", "c-mediation.kz"]


def test__match_key__case_yo_and_lookalikes():
    assert match_key(pd.Series(["ПОЛОЖИТЕЛЬНО", "Её", "Oтрицательно"])).tolist() == ["положительно", "ее", "отрицательно"]


@pytest.mark.parametrize("text, expected", [
    ("22.04.2021 15:03:11", "2021-04-22 15:03:11"),
    ("22.04.2021 9:03:11", "2021-04-22 09:03:11"),
    ("4/22/2021 15:03:11", "2021-04-22 15:03:11"),
    ("2021-04-22 15:03:11", "2021-04-22 15:03:11"),
    ("27.05. 2021г.", "2021-05-27 00:00:00"),
    ("10.09.21", "2021-09-10 00:00:00"),
])
def test__parse_dates__locale_formats(text, expected):
    assert parse_dates(pd.Series([text])).iloc[0] == pd.Timestamp(expected)


def test__parse_dates__unparseable_is_nat():
    assert parse_dates(pd.Series(["31.02.2021", "вчера", None])).isna().all()


def test__to_number__decimal_comma_and_text():
    assert to_number(pd.Series(["2,5", "x"])).iloc[0] == 2.5
    assert pd.isna(to_number(pd.Series(["x"])).iloc[0])


@pytest.mark.parametrize("text, code", [
    ("Алматы облысы", "ALM"), ("г. Алматы", "ALA"), ("Алматы", "ALA"), ("ВКО", "VKO"), ("Астана", "NUR"),
    ("Абай облысы", "VKO"), ("Жетісу облысы", "ALM"), ("Ұлытау облысы", "KAR"), ("Карагандинская обл.", "KAR"),
    ("Kарагандинская обл.", "KAR"), ("Южно-Казахстанская область", "TUR"), ("Қзылординская обл.", "KZY"),
])
def test__map_regions__spellings_old_and_new_names(text, code):
    codes, _ = map_regions(pd.Series([text]), LOOKUP)
    assert codes.iloc[0] == code


def test__map_regions__typo_fixed_and_reported():
    codes, fixed = map_regions(pd.Series(["Павлодарска обл", "Марс"]), LOOKUP)
    assert codes.iloc[0] == "PAV" and fixed.notna().tolist() == [True, False] and pd.isna(codes.iloc[1])


def test__extract_regions__several_in_one_cell():
    s = pd.Series(["ВКО Павлодарская Алматинская область", "ЗКО,Жамбылская и Туркестанская обл.", "По всему РК", None])
    assert extract_regions(s, LOOKUP).tolist()[:3] == ["ALM;PAV;VKO", "TUR;ZHA;ZKO", "ALL"]


def test__band_of__edges():
    bands = [{"code": "17-22", "min": 17, "max": 22}, {"code": "23-27", "min": 23, "max": 27}]
    assert band_of(pd.Series([17, 22, 23], dtype="Int64"), bands).tolist() == ["17-22", "17-22", "23-27"]


def test__band_of__categorical_same_values():
    bands = [{"code": "17-22", "min": 17, "max": 22}, {"code": "23-27", "min": 23, "max": 27}]
    age = pd.Series([17, None, 30, 23, 5], dtype="Int64", index=[4, 3, 2, 1, 0])
    coded = band_of(age, bands, categorical=True)
    assert coded.cat.categories.tolist() == ["17-22", "23-27"] and coded.index.tolist() == [4, 3, 2, 1, 0]
    pd.testing.assert_series_equal(coded.astype("str"), band_of(age, bands))
