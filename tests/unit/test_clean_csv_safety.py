import io

import pandas as pd

from helpers.clean.csv_safety import neutralise_csv


def _frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype={"text": "str"})


def test__neutralise_csv__formula_starts_prefixed_numbers_untouched():
    df = _frame("text,n\n=SUM(A1:A9),-1\n+7 701 123 45 67,2.5\n-,3\n@import,4\nплохо=хорошо,5\n,6\n")
    out = neutralise_csv(df)
    expected = df.assign(text=pd.Series(["'=SUM(A1:A9)", "'+7 701 123 45 67", "'-", "'@import", "плохо=хорошо", None], dtype="str"))
    pd.testing.assert_frame_equal(out, expected)
    assert df.loc[0, "text"] == "=SUM(A1:A9)"  # the input is not changed


def test__neutralise_csv__tab_and_carriage_return():
    out = neutralise_csv(pd.DataFrame({"t": ["\tcmd", "\r=1", "ok\t"]}))
    assert out["t"].tolist() == ["'\tcmd", "'\r=1", "ok\t"]


def test__neutralise_csv__object_column_mixed_values():
    out = neutralise_csv(pd.DataFrame({"v": pd.Series([-5, "-5", 1.5, None, True], dtype=object)}))
    assert out["v"].tolist() == [-5, "'-5", 1.5, None, True]


def test__neutralise_csv__categorical_stays_categorical():
    df = pd.DataFrame({"c": pd.Categorical(["=a", "b", "=a", None]), "c2": pd.Categorical(["=a", "'=a", "b", "b"])})
    out = neutralise_csv(df)
    assert isinstance(out["c"].dtype, pd.CategoricalDtype) and out["c"].tolist()[:3] == ["'=a", "b", "'=a"] and pd.isna(out["c"].iloc[3])
    assert out["c2"].tolist() == ["'=a", "'=a", "b", "b"]


def test__neutralise_csv__written_file_opens_as_text():
    buf = io.StringIO()
    neutralise_csv(pd.DataFrame({"note": ['=HYPERLINK("http://x","click")'], "age": [34]})).to_csv(buf, index=False)
    assert buf.getvalue().splitlines()[1] == '"\'=HYPERLINK(""http://x"",""click"")",34'


def test__neutralise_csv__empty_frame():
    pd.testing.assert_frame_equal(neutralise_csv(pd.DataFrame({"a": pd.Series([], dtype="str")})), pd.DataFrame({"a": pd.Series([], dtype="str")}))
