"""The fast paths written for the scaling benchmark give exactly what the plain code gave.

Each test builds a tiny input and compares the fast helper with the straightforward version
(the csv module, Python ``str.strip``, ``pd.to_datetime`` per format, ``base64`` with a pure-Python SipHash, ``sm.Logit``).
"""

import base64
import sys

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from helpers.clean import io
from helpers.clean.normalise import DATE_FORMATS, _clean_text_full, parse_dates, per_unique
from helpers.clean.pii import ID_LENGTH, hash_key, pseudonymise
from helpers.analysis.regression import covariate_patterns, logit_odds_ratios

CSV = (  # '|' stands for the delimiter
    'Отметка времени|"Ваш пол, укажите"|Комментарий\r\n'
    '22.04.2021 9:03:11|Женский|"Трудовые, Семейные (развод, алименты)"\r\n'
    '22.04.2021 9:04:00||"две\r\nстроки"\r\n'
    '22.04.2021 9:05:00|  |"  "\r\n'
    '||\r\n'
    '23.04.2021 10:00:00|Мужской|""\r\n'
    '||\r\n'
)


def _python_reader(path, name="x.csv"):
    """The csv-module path on the same file (what read_csv did for every file before)."""
    data = path.read_bytes()
    enc = io.detect_encoding(data, name)
    text = data.decode(enc)
    delim = io.detect_delimiter(text.splitlines()[0])
    cols = io._check_header(io._header_cells(text, delim), name)
    return io._read_csv_python(text, cols, delim, name)


class TestReadCsvArrow:
    @pytest.mark.parametrize("enc, sep", [("utf-8", ","), ("utf-8-sig", ","), ("cp1251", ";"), ("utf-8", "\t")])
    def test__read_csv__arrow_equals_csv_module(self, tmp_path, enc, sep):
        text = CSV.replace("|", sep)
        f = tmp_path / "x.csv"
        f.write_bytes(text.encode(enc))
        got = io.read_csv(f)
        pd.testing.assert_frame_equal(got, _python_reader(f))
        assert got["source_row"].tolist() == [2, 3, 4, 5, 6]  # the blank record 5 stays a row, trailing one goes
        assert got.iloc[0, 3] == "Трудовые, Семейные (развод, алименты)"
        assert got.iloc[1, 3] == "две\r\nстроки"
        assert got.iloc[2, 2:].isna().all() and pd.isna(got.iloc[4, 3])  # whitespace-only and "" cells are NA

    def test__read_csv__blank_line_inside_falls_back_to_csv_module(self, tmp_path):
        f = tmp_path / "x.csv"
        f.write_text("a,b\n1,2\n\n3,4\n", encoding="utf-8")
        got = io.read_csv(f)
        assert got["source_row"].tolist() == [2, 3, 4] and got["a"].isna().tolist() == [False, True, False]

    def test__read_csv__wrong_cell_count_names_the_row(self, tmp_path):
        f = tmp_path / "x.csv"
        f.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
        with pytest.raises(io.CleaningError, match=r"x.csv: row 3: 3 cells but the header has 2"):
            io.read_csv(f)

    def test__read_csv__utf8_invalid_later_in_file_is_cp1251(self, tmp_path):
        f = tmp_path / "x.csv"
        f.write_bytes("a;b\r\n1;2\r\n".encode("utf-8") + "Да;Нет\r\n".encode("cp1251"))
        assert io.read_csv(f)["a"].tolist() == ["1", "Да"]

    @pytest.mark.parametrize("breaks", ["", "\n", "\r\n\r\n", "\n" * 70_000])
    def test__read_csv__streamed_file_trailing_breaks_are_not_rows(self, tmp_path, breaks):
        f = tmp_path / "x.csv"
        f.write_text("a,b\n1,2\n3,\n" + breaks, encoding="utf-8")
        got = io.read_csv(f)
        pd.testing.assert_frame_equal(got, _python_reader(f))
        assert got["source_row"].tolist() == [2, 3] and got["b"].isna().tolist() == [False, True]

    def test__read_csv__missing_empty_and_blank_files(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            io.read_csv(tmp_path / "none.csv")
        for name, body in [("empty.csv", ""), ("blank.csv", " \r\n\n")]:
            (tmp_path / name).write_text(body, encoding="utf-8")
            with pytest.raises(io.CleaningError, match=f"{name}: empty file"):
                io.read_csv(tmp_path / name)

    def test__space_ranges__are_what_str_strip_removes(self):
        spaces = {i for i in range(sys.maxunicode + 1) if chr(i).isspace()}
        assert spaces == {i for a, b in io.SPACE_RANGES for i in range(a, b + 1)}

    def test__blank_to_na__matches_python_strip(self):
        values = ["a", " ", "", None, "\x1c \u3000", "\u200b", " x ", "\u00a0"]
        got = io._blank_to_na(pd.Series(values, dtype="str"))
        want = pd.Series([v if isinstance(v, str) and v.strip() else None for v in values], dtype="str")
        pd.testing.assert_series_equal(got, want)


class TestPerUnique:
    def test__per_unique__na_is_passed_to_fn(self):
        s = pd.Series([" a", None, " a", "b "], dtype="str")
        pd.testing.assert_series_equal(per_unique(s, _clean_text_full), _clean_text_full(s))

    def test__per_unique__keeps_index_and_frames(self):
        s = pd.Series(["x", "y", "x"], index=[10, 20, 30], dtype="str")
        out = per_unique(s, lambda u: pd.DataFrame({"up": u.str.upper(), "n": u.str.len()}))
        assert out.index.tolist() == [10, 20, 30] and out["up"].tolist() == ["X", "Y", "X"]

    def test__per_unique__empty(self):
        assert per_unique(pd.Series([], dtype="str"), _clean_text_full).tolist() == []


def _parse_dates_plain(s, formats):
    t = _clean_text_full(s)
    t = t.str.replace(r"\s*(г\.?|года|ж\.?|жыл)\s*$", "", regex=True).str.replace(r"(\d)\.\s+(\d)", r"\1.\2", regex=True)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = out.isna() & t.notna()
        if todo.any():
            out.loc[todo] = pd.to_datetime(t[todo], format=fmt, errors="coerce")
    return out


@pytest.mark.parametrize("formats", [DATE_FORMATS, ("%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M")])
def test__parse_dates__fast_path_equals_to_datetime(formats):
    s = pd.Series(["31.02.2021 10:00:00", "1.1.2021 0:00:00", "01.01.2021 24:00:00", "01.01.2021 23:59:60",
                   "29.02.2020 1:02:03", " 5.05.2021 1:02:03", "5.05.2021  1:02:03", "27.05. 2021г.", "05.13.2021 10:00:00",
                   "4/22/2021 15:03:11", "22.04.2021 9:03", None, "", "x", "01.01.0999 10:00:00", "01.01.2021 1:2:03"], dtype="str")
    pd.testing.assert_series_equal(parse_dates(s, formats), _parse_dates_plain(s, formats))


def test__parse_dates__fixed_width_layouts_equal_to_datetime():
    """Texts of the two fixed layouts, valid and not (bad digits, separators, calendar, ranges), and noise."""
    r = np.random.default_rng(7)
    vals = []
    for _ in range(3000):
        d, m, y, h, mi, se = r.integers(0, 35), r.integers(0, 14), r.integers(1890, 2210), r.integers(0, 26), r.integers(0, 62), r.integers(0, 62)
        vals.append(f"{d:02d}.{m:02d}.{y:04d} " + (f"{h}:{mi:02d}:{se:02d}" if r.random() < 0.5 else f"{h:02d}:{mi:02d}:{se:02d}"))
        vals.append("".join(r.choice(list("0123456789.: /"), int(r.choice([18, 19])))))
    s = pd.Series(vals + [None, "29.02.2020 10:00:00", "29.02.2100 10:00:00", "٣١.01.2021 1:00:00"], dtype="str")
    formats = ("%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M")
    got = parse_dates(s, formats)
    pd.testing.assert_series_equal(got, _parse_dates_plain(s, formats))
    assert got.notna().sum() > 500  # the valid dates of the sample were parsed, not only rejected
    tail = s.iloc[-7:-1]  # a slice (an Arrow offset), ending on the last bytes of the data
    pd.testing.assert_series_equal(parse_dates(tail, formats), _parse_dates_plain(tail, formats))


def test__pseudonymise__any_index_mostly_distinct():
    """A long, mostly distinct column (hashed whole, not per distinct value) with gaps in its index."""
    s = pd.Series([f"response:{i}" for i in range(60_000)], index=np.arange(60_000) * 2 + 7, dtype="str")
    got = pseudonymise(s, "salt", normalised=True)
    assert got.index.equals(s.index) and got.notna().all()
    assert got.tolist() == pseudonymise(s.reset_index(drop=True), "salt", normalised=True).tolist()


def _siphash24(key: bytes, msg: bytes) -> int:
    """SipHash-2-4 written out from the paper (Aumasson & Bernstein 2012), independent of pandas."""
    mask = (1 << 64) - 1

    def rotl(x, b):
        return ((x << b) | (x >> (64 - b))) & mask

    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rounds(n):
        for _ in range(n):
            v[0] = (v[0] + v[1]) & mask; v[1] = rotl(v[1], 13) ^ v[0]; v[0] = rotl(v[0], 32)  # noqa: E702
            v[2] = (v[2] + v[3]) & mask; v[3] = rotl(v[3], 16) ^ v[2]  # noqa: E702
            v[0] = (v[0] + v[3]) & mask; v[3] = rotl(v[3], 21) ^ v[0]  # noqa: E702
            v[2] = (v[2] + v[1]) & mask; v[1] = rotl(v[1], 17) ^ v[2]; v[2] = rotl(v[2], 32)  # noqa: E702

    tail = len(msg) % 8
    for i in range(0, len(msg) - tail, 8):
        m = int.from_bytes(msg[i:i + 8], "little")
        v[3] ^= m
        rounds(2)
        v[0] ^= m
    b = ((len(msg) & 0xFF) << 56) | int.from_bytes(msg[len(msg) - tail:], "little")
    v[3] ^= b
    rounds(2)
    v[0] ^= b
    v[2] ^= 0xFF
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _mix(x: int) -> int:  # pandas.util.hash_array's documented-in-code final mixing (splitmix64 finaliser)
    mask = (1 << 64) - 1
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & mask
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


def test__siphash24__reference_vector():
    # the paper's test vector: key 00..0f, message 00..0e → a129ca6149be45e5
    assert _siphash24(bytes(range(16)), bytes(range(15))) == 0xA129CA6149BE45E5


def test__pseudonymise__ids_are_keyed_siphash_base32():
    values = pd.Series(["A@x.kz", " a@x.kz", None, "Иванова Мария", "response:population-kk-2", "ab"], dtype="str")
    got = pseudonymise(values, "salt")
    key = hash_key("salt").encode("ascii")
    assert len(key) == 16 and hash_key("salt") != hash_key("salt2")
    want = []
    for k in ["a@x.kz", "a@x.kz", "иванова мария", "response:population-kk-2", "ab"]:
        h = _mix(_siphash24(key, k.encode("utf-8"))).to_bytes(8, "big")
        want.append("p" + base64.b32encode(h).decode().lower()[:ID_LENGTH])
    assert got.dropna().tolist() == want and got.isna().tolist() == [False, False, True, False, False, False]


def test__logit_odds_ratios__patterns_equal_row_level_logit():
    r = np.random.default_rng(1)
    n = 400
    d = pd.DataFrame({"g": r.choice(["a", "b", "c"], n), "h": r.choice(["u", "v"], n)})
    d["y"] = r.random(n) < np.where(d["g"].eq("b"), 0.7, 0.4)
    res = logit_odds_ratios(d, "y", ["g", "h"], reference={"g": "a", "h": "u"}, decimals=10)
    X = np.column_stack([np.ones(n), d["g"].eq("b"), d["g"].eq("c"), d["h"].eq("v")]).astype(float)
    fit = sm.Logit(d["y"].astype(float).to_numpy(), X).fit(disp=0, method="newton", tol=1e-12)
    assert res.table["level"].tolist() == ["b", "c", "v"]
    np.testing.assert_allclose(res.table["odds_ratio"], np.exp(fit.params[1:]), atol=1e-8)
    np.testing.assert_allclose(res.table["ci_low"], np.exp(fit.conf_int()[1:, 0]), atol=1e-8)
    np.testing.assert_allclose(res.table["p_value"], fit.pvalues[1:], atol=1e-8)
    assert res.pseudo_r2 == pytest.approx(fit.prsquared, abs=1e-9)
    assert res.llr_p_value == pytest.approx(fit.llr_pvalue, abs=1e-9)
    assert res.n == n and len(covariate_patterns(d, "y", ["g", "h"])) <= 12


def test__match_key__cached_equals_plain():
    from helpers.clean.normalise import _match_key_values, match_key

    for values in ([" Положительно ", "ОТРИЦАТЕЛЬНО", None, "Кapaганда", "", "  ", "a\u00a0b", 5, "Ёлка"],
                   ["ВКО", np.nan, "Ёлка", "ВКО"]):
        s = pd.Series(values, dtype=object)
        pd.testing.assert_series_equal(match_key(s), _match_key_values(s))
        pd.testing.assert_series_equal(match_key(s), _match_key_values(s))  # second call: from the cache


def test__clean_text__cached_equals_plain_and_memo_is_per_function():
    from helpers.clean.normalise import _clean_text_cached, _clean_text_values, _match_key_cached, clean_text, per_unique

    for values in ([" Положительно ", "ОТРИЦАТЕЛЬНО", None, "Кapaганда", "", "  ", "a\u00a0b", 5, "Ёлка"],
                   ["ВКО", np.nan, " ВКО ", "ВКО"], ["x"] * 3):
        s = pd.Series(values, dtype=object)
        plain = per_unique(s, _clean_text_values)
        pd.testing.assert_series_equal(clean_text(s), plain)
        pd.testing.assert_series_equal(clean_text(s), plain)  # second call: from the cache
    assert _clean_text_cached.cache[" ВКО "] == "ВКО" and _match_key_cached.cache.get(" ВКО ") in (None, "вко")
    assert _clean_text_cached.cache is not _match_key_cached.cache
    long_text = "  слово " * 40  # longer than max_len: cleaned every time, not kept
    assert clean_text(pd.Series([long_text, "x"])).tolist() == [" ".join(["слово"] * 40), "x"]
    assert long_text not in _clean_text_cached.cache and "x" in _clean_text_cached.cache


def test__clean_text_columns__equals_clean_text_per_column():
    from helpers.clean.normalise import clean_text, clean_text_columns

    df = pd.DataFrame({"source_row": [2, 3, 4, 5],
                       "a": pd.array([" Да ", None, "  ", "Нет\u00a0 "], dtype="str"),
                       "b": pd.array(["Да", "Да ", None, "x  y"], dtype="str"),
                       "c": pd.array([None] * 4, dtype="str")}, index=[10, 11, 12, 13])
    got = clean_text_columns(df, ["a", "b", "c"])
    want = df.assign(**{c: clean_text(df[c]) for c in ["a", "b", "c"]})
    pd.testing.assert_frame_equal(got, want)
    assert got["a"].isna().tolist() == [False, True, True, False] and got.loc[[10, 13], "a"].tolist() == ["Да", "Нет"]
    pd.testing.assert_frame_equal(clean_text_columns(df.iloc[:0], ["a", "b"]), df.iloc[:0].assign(a=clean_text(df["a"].iloc[:0]), b=clean_text(df["b"].iloc[:0])))
    assert clean_text_columns(df, []) is df


def test__match_key__ascii_fast_path_equals_full_path():
    from helpers.clean.normalise import _match_key_full, _match_key_values

    s = pd.Series(["A@B.KZ", "  a@b.kz ", "x  y", "Ivan.Petrov@Mail.ru", "Кapaганда", "ОТРИЦАТЕЛЬНО", None, "", "a\u00a0b",
                   "Straße", "response:population-kk-2", "Ёлка", "tab\there"], dtype="str")
    pd.testing.assert_series_equal(_match_key_values(s), _match_key_full(s))
    ascii_only = s[[0, 3, 10]]
    pd.testing.assert_series_equal(_match_key_values(ascii_only), _match_key_full(ascii_only))


def test__per_unique__mostly_distinct_column_skips_factorising_same_result(monkeypatch):
    import helpers.clean.normalise as N
    from helpers.clean.pii import pseudonymise

    s = pd.Series([f" A{i}@X.kz " if i % 7 else None for i in range(60_000)], dtype="str")
    ts = pd.Series([f"{1 + i % 28}.04.2021 {i % 24}:{i % 60:02d}:{(i // 60) % 60:02d}" for i in range(60_000)], dtype="str")
    assert N._mostly_distinct(s) and len(s) >= N._DISTINCT_MIN
    direct = (N.match_key(s), pseudonymise(s, "salt"), N.parse_dates(ts))
    monkeypatch.setattr(N, "_DISTINCT_MIN", 10**9)  # force the factorised route
    for a, b in zip(direct, (N.match_key(s), pseudonymise(s, "salt"), N.parse_dates(ts))):
        pd.testing.assert_series_equal(a, b)


class TestCodedColumns:
    """Answer codes kept as categoricals from the reader to the parquet writer give the same data as texts."""

    def test__read_csv__dictionary_same_values(self, tmp_path):
        f = tmp_path / "x.csv"
        rows = [f"2{i % 7}.04.2021 9:0{i % 10}:11,{['Да', ' да ', 'Нет', '', '  '][i % 5]},{i}@x.kz" for i in range(40)]
        f.write_text("Отметка времени,Ответ,Почта\n" + "\n".join(rows) + "\n", encoding="utf-8")
        plain, coded = io.read_csv(f), io.read_csv(f, dictionary=True)
        assert isinstance(coded["Ответ"].dtype, pd.CategoricalDtype) and coded["Почта"].dtype == "str"  # distinct e-mails stay text
        assert "  " not in coded["Ответ"].cat.categories  # blank categories removed (NA)
        pd.testing.assert_frame_equal(io.text_frame(coded), plain)

    def test__concat_coded__different_categories_keep_values(self):
        from helpers.clean.io import concat_coded

        a = pd.DataFrame({"r": pd.Categorical(["ALA", None], categories=["ALA", "AST"]), "n": [1, 2]})
        b = pd.DataFrame({"r": pd.Categorical(["KAR", "ALA"], categories=["ALA", "AST", "KAR"]), "n": [3, 4]})
        got = concat_coded([a, b])
        assert isinstance(got["r"].dtype, pd.CategoricalDtype) and got["r"].cat.categories.tolist() == ["ALA", "AST", "KAR"]
        assert got["r"].astype(object).where(got["r"].notna(), None).tolist() == ["ALA", None, "KAR", "ALA"] and got["n"].tolist() == [1, 2, 3, 4]

    def test__write_table__categorical_written_and_read_as_text(self, tmp_path):
        import pandera.pandas as pa

        df = pd.DataFrame({"k": pd.array(["b10", "b2", "a1", "b1"], dtype="str"),
                           "v": pd.Categorical(["x", None, "y", "x"], categories=["y", "x", "unused"]),
                           "age": pd.array([30, None, 41, 7], dtype="Int64"),
                           "t": pd.to_datetime(["2021-05-01 10:00:01"] * 4).astype("datetime64[us]")}, index=[9, 8, 7, 6])
        schema = pa.DataFrameSchema({"k": pa.Column("str", unique=True), "v": pa.Column("str", pa.Check.isin(["x", "y"]), nullable=True),
                                     "age": pa.Column("Int64", nullable=True), "t": pa.Column("datetime64[us]")}, strict=True)
        path = io.write_table(df, tmp_path / "t.parquet", schema, ["k"])
        want = io.text_frame(df).sort_values(["k"], kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(pd.read_parquet(path), want)  # str, Int64 and datetime64[us] as if the texts were written
        with pytest.raises(Exception, match="isin"):  # the schema checks the texts the codes stand for
            io.write_table(df.assign(v=pd.Categorical(["x", "z", "y", "x"])), tmp_path / "u.parquet", schema, ["k"])
        assert not (tmp_path / "u.parquet").exists() and not (tmp_path / "u.parquet.tmp").exists()

    def test__write_table__order_of_sort_values_on_several_keys_with_missing(self, tmp_path):
        import pandera.pandas as pa

        rng = np.random.default_rng(3)
        n = 400
        df = pd.DataFrame({"e": pd.array(rng.choice(["e10", "e2", "E1", None], n), dtype="str"),
                           "r": pd.array(rng.choice([3, 1, 2, None], n), dtype="Int64"),
                           "v": pd.Categorical(rng.choice(["x", "y", None], n), categories=["y", "x"]),
                           "i": np.arange(n)}, index=np.arange(n)[::-1])
        schema = pa.DataFrameSchema({c: pa.Column(t, nullable=True) for c, t in [("e", "str"), ("r", "Int64"), ("v", "str"), ("i", "int64")]})
        for keys in (["e", "r"], ["v", "e"], ["r"]):
            path = io.write_table(df, tmp_path / "t.parquet", schema, keys)
            want = io.text_frame(df).sort_values(keys, kind="stable").reset_index(drop=True)
            pd.testing.assert_frame_equal(pd.read_parquet(path), want)

    def test__validate_coded__same_verdict_and_report_as_validating_the_texts(self):
        import pandera.pandas as pa

        schema = pa.DataFrameSchema({
            "k": pa.Column("str", unique=True),
            "v": pa.Column("str", pa.Check.isin(["x", "y"]), nullable=True),
            "w": pa.Column("str", [pa.Check.str_matches(r"^[a-z]$"), pa.Check.str_length(1, 1)]),
            "u": pa.Column("str", unique=True),
        }, strict=True)
        ok = pd.DataFrame({"k": pd.array(["a", "b", "c", "d"], dtype="str"),
                           "v": pd.Categorical(["x", None, "y", "x"], categories=["y", "x", "never used: not checked"]),
                           "w": pd.Categorical(["q", "q", "r", "q"]),
                           "u": pd.Categorical(["a", "b", "c", "d"])})
        io.validate_coded(ok, schema)
        schema.validate(io.text_frame(ok), lazy=True)
        bad_cases = {
            "v": ok.assign(v=pd.Categorical(["x", "z", "y", "x"])),  # a value not allowed, row 1
            "w": ok.assign(w=pd.Categorical(["q", None, "r", "q"])),  # NA in a column that may not have it
            "u": ok.assign(u=pd.Categorical(["a", "b", "a", "d"])),  # unique: checked on the rows, not the values
            "k": ok.assign(k=pd.array(["a", "b", "b", "d"], dtype="str")),  # in order, but not increasing
        }
        for col, bad in bad_cases.items():
            with pytest.raises(pa.errors.SchemaErrors) as want:
                schema.validate(io.text_frame(bad), lazy=True)
            with pytest.raises(pa.errors.SchemaErrors) as got:
                io.validate_coded(bad, schema)
            assert got.value.failure_cases.equals(want.value.failure_cases), col
            assert col in set(got.value.failure_cases["column"])
        with pytest.raises(pa.errors.SchemaErrors, match="unique"):  # a key out of order is checked by pandera
            io.validate_coded(ok.assign(k=pd.array(["b", "a", "b", "d"], dtype="str")), schema)
        io.validate_coded(ok.assign(k=pd.array(["b", "a", "c", "d"], dtype="str")), schema)
        with pytest.raises(pa.errors.SchemaErrors, match="extra"):  # strict: a column the schema does not name
            io.validate_coded(ok.assign(extra=pd.Categorical(["x"] * 4)), schema)
        with pytest.raises(pa.errors.SchemaErrors, match="column 'w' not in dataframe"):
            io.validate_coded(ok.drop(columns="w"), schema)
        io.validate_coded(ok.iloc[:0], schema)

def test__is_plain__bytes_of_a_long_column_same_as_the_regex():
    """The byte test of a long column and the regex of short ones agree (control bytes, other letters,
    spaces first/last/doubled, a final line break, empty, NA); a value ending in a line break is not plain."""
    from helpers.clean import normalise as N

    r = np.random.default_rng(4)
    alpha = list("ab Z~!\t\n\x7f\x1fяё@.\\") + [" ", " ", "\u00a0"]
    vals = ["".join(r.choice(alpha, int(r.integers(0, 6)))) for _ in range(N._DISTINCT_MIN + 5000)]
    s = pd.Series(vals + [None, "", " ", "a", "a ", " a", "a  b", "a b", "a\n"], dtype="str")
    for part in (s, s.iloc[7:-3]):  # the whole column, and a slice (an Arrow offset)
        by_regex = pd.concat([N._is_plain(part.iloc[i:i + 1000]) for i in range(0, len(part), 1000)])
        pd.testing.assert_series_equal(N._is_plain(part), by_regex)
    assert N._is_plain(s).iloc[-6:].tolist() == [True, False, False, False, True, False]
    assert N.clean_text(pd.Series(["a\n"])).tolist() == ["a"]
