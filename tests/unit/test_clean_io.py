import pandas as pd
import pytest

from helpers.clean import CleaningError
from helpers.clean.accounting import account, reject
from helpers.clean.io import detect_delimiter, detect_encoding, read_csv


@pytest.mark.parametrize("enc, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251")])
def test__detect_encoding__three_encodings(enc, expected):
    assert detect_encoding("Отметка времени,Ваш пол".encode(enc)) == expected


def test__detect_delimiter__ignores_quoted_commas():
    assert detect_delimiter('"a, b";"c, d";e') == ";"


def test__read_csv__cp1251_semicolon_and_source_rows(tmp_path):
    f = tmp_path / "x.csv"
    f.write_bytes("Дата;ФИО\r\n01.05.2021;Ким Алия\r\n;\r\n02.05.2021;Омаров Ерлан\r\n\r\n".encode("cp1251"))
    df = read_csv(f)
    assert df["source_row"].tolist() == [2, 3, 4] and df["ФИО"].isna().tolist() == [False, True, False]


def test__read_csv__duplicated_header(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b,a\n1,2,3\n", encoding="utf-8")
    with pytest.raises(CleaningError, match=r"x.csv: row 1: duplicated column header\(s\): 'a' \(columns 1, 3\)"):
        read_csv(f)


def test__account__balances_and_counts_duplicates():
    df = pd.DataFrame({"source_row": [2, 3, 4, 5]})
    rej = pd.concat([reject(df, df.source_row.eq(2), "test_submission", "t"), reject(df, df.source_row.eq(3), "duplicate_x", "d")])
    assert account("f.csv", 4, 2, rej) == {"source_file": "f.csv", "rows_in": 4, "rows_kept": 2, "rows_rejected": 1, "rows_duplicate": 1}
    with pytest.raises(CleaningError, match="does not balance"):
        account("f.csv", 5, 2, rej)
