import pandas as pd
import pytest

from helpers.clean import CleaningError
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


@pytest.mark.parametrize("dictionary", [False, True])
@pytest.mark.parametrize("column", [0, 1])
def test__read_csv__a_cp1251_word_after_the_head_is_not_read_as_utf8(tmp_path, monkeypatch, dictionary, column):
    """The fast path checks the UTF-8 of what pyarrow read (every cell, or a coded column's
    dictionary); a byte that is not UTF-8 beyond the 4 MB head sends the file to the checked path,
    so the result is what the checked path gives (here: the file read as cp1251), never a text
    holding an invalid byte."""
    from helpers.clean import io

    rows = [f"{i % 97},Да {i % 5}" for i in range(500_000)]  # ≈ 5 MB of UTF-8
    cells = ["17".encode(), "Да 1".encode()]
    cells[column] = "Нет".encode("cp1251")  # a word saved by Excel in cp1251
    data = ("Номер,Ответ\n" + "\n".join(rows) + "\n").encode("utf-8") + b",".join(cells) + b"\n"
    assert len(data) > io._HEAD
    f = tmp_path / "x.csv"
    f.write_bytes(data)
    got = read_csv(f, dictionary=dictionary)
    monkeypatch.setattr(io, "_read_utf8_arrow", lambda *a, **k: None)  # the checked path only
    want = read_csv(f, dictionary=dictionary)
    pd.testing.assert_frame_equal(io.text_frame(got), io.text_frame(want))
    assert got.iloc[-1, column + 1] == "Нет" and len(got) == 500_001


def test__read_csv__duplicated_header(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b,a\n1,2,3\n", encoding="utf-8")
    with pytest.raises(CleaningError, match=r"x.csv: row 1: duplicated column header\(s\): 'a' \(columns 1, 3\)"):
        read_csv(f)


def _schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema({"k": pa.Column("int64", pa.Check.ge(0)), "v": pa.Column("str", pa.Check.isin(["a", "b"]))}, strict=True)


def test__write_table__sorted_and_validated(tmp_path):
    from helpers.clean.io import write_table

    df = pd.DataFrame({"k": [2, 1], "v": pd.Series(["a", "b"], dtype="str")})
    p = write_table(df, tmp_path / "t.parquet", _schema(), ["k"])
    assert pd.read_parquet(p)["k"].tolist() == [1, 2] and sorted(f.name for f in tmp_path.iterdir()) == ["t.parquet"]


def test__write_table__invalid_data_leave_the_old_file_and_no_temporary(tmp_path):
    import pandera.errors

    from helpers.clean.io import write_table

    target = tmp_path / "t.parquet"
    target.write_bytes(b"old")
    bad = pd.DataFrame({"k": [1, -1], "v": pd.Series(["a", "z"], dtype="str")})
    with pytest.raises(pandera.errors.SchemaErrors, match="isin"):
        write_table(bad, target, _schema(), ["k"])
    assert target.read_bytes() == b"old" and [f.name for f in tmp_path.iterdir()] == ["t.parquet"]
    mixed = pd.DataFrame({"k": [1, 2], "v": pd.Series(["a", 3], dtype=object)})  # parquet cannot write it either: the schema speaks
    with pytest.raises(pandera.errors.SchemaErrors):
        write_table(mixed, target, _schema(), ["k"])
    with pytest.raises(pandera.errors.SchemaErrors, match="k"):  # a missing sort column: the schema names it
        write_table(bad.drop(columns="k"), target, _schema(), ["k"])
    assert target.read_bytes() == b"old" and [f.name for f in tmp_path.iterdir()] == ["t.parquet"]

