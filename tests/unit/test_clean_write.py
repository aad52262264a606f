"""Writing core tables: validated with pandera's Polars backend, read back by pandas with their types."""

import datetime as dt

import pandas as pd
import pandera.polars as pa
import polars as pl
import pytest

from helpers.clean import CleaningError
from helpers.clean.write import to_pandas, validate, write_table

SCHEMA = pa.DataFrameSchema({
    "consultation_id": pa.Column(pl.String, unique=True),
    "date": pa.Column(pl.Datetime),
    "n_parties": pa.Column(pl.Int64, pa.Check.in_range(1, 50), nullable=True),
    "vulnerable": pa.Column(pl.Boolean, nullable=True),
    "source_file": pa.Column(pl.String),
    "source_row": pa.Column(pl.Int64, pa.Check.ge(2)),
}, strict=True)


def _frame(**change) -> pl.DataFrame:
    data = {"consultation_id": ["KAR-3", "KAR-2"], "date": [dt.datetime(2021, 5, 3), dt.datetime(2021, 5, 2)],
            "n_parties": [2, None], "vulnerable": [None, True], "source_file": ["journals/KAR.xlsx"] * 2,
            "source_row": [3, 2]}
    return pl.DataFrame({**data, **change}, schema_overrides={"n_parties": pl.Int64, "vulnerable": pl.Boolean})


def test__validate_then_write_table__rows_in_their_order_read_back_with_the_documented_types(tmp_path):
    write_table(validate(_frame(), SCHEMA, "core_t"), tmp_path / "core_t.parquet", SCHEMA)
    back = pd.read_parquet(tmp_path / "core_t.parquet")
    assert back["consultation_id"].tolist() == ["KAR-3", "KAR-2"]
    assert back.dtypes.astype(str).to_dict() == {"consultation_id": "str", "date": "datetime64[us]", "n_parties": "Int64",
                                                 "vulnerable": "boolean", "source_file": "str", "source_row": "int64"}
    assert back["n_parties"].isna().tolist() == [False, True]


def test__validate__names_file_row_column_and_value_of_every_problem(tmp_path):
    bad = _frame(n_parties=[80, 0])
    with pytest.raises(CleaningError) as err:
        write_table(validate(bad, SCHEMA, "core_t"), tmp_path / "core_t.parquet", SCHEMA)
    msg = str(err.value)
    assert "column 'n_parties': 2 value(s) fail in_range(1, 50)" in msg
    assert "journals/KAR.xlsx row 3 (80)" in msg and "journals/KAR.xlsx row 2 (0)" in msg
    assert not (tmp_path / "core_t.parquet").exists() and not list(tmp_path.iterdir())


def test__validate__masks_the_values_it_quotes(tmp_path):
    schema = pa.DataFrameSchema({"note": pa.Column(pl.String, pa.Check.str_length(max_value=5))})
    with pytest.raises(CleaningError, match=r"\(\[masked\]\)"):
        validate(pl.DataFrame({"note": ["8 701 123 45 67"]}), schema, "t", mask=lambda t: "[masked]")


def test__to_pandas__a_column_of_an_unknown_type_is_an_error():
    with pytest.raises(TypeError, match="no pandas type"):
        to_pandas(pl.DataFrame({"x": [[1, 2]]}))
