import numpy as np
import pandas as pd

from helpers import paths
from helpers.clean.codebook import load_codebook
from helpers.clean import read
from helpers.demo.common import allocate
from helpers.demo.journals import OFFICE_COUNTS, ONLINE_COUNTS, consultations
from helpers.demo.surveys import _ready, format_timestamp, write_population_export


def test__allocate__exact_report_proportions():
    out = allocate({"male": 758, "female": 1136}, 1894)
    assert (out == "male").sum() == 758


def test__ready__calibrated_to_88_1():
    r = np.random.default_rng(1)
    for n in (119, 1000, 1013, 54321, 1_000_000):
        v = pd.Series(_ready(r, n, n // 100))
        assert round(100 * v.isin(["yes", "rather_yes"]).sum() / v.notna().sum(), 1) == 88.1


def test__consultations__granular_report_figures():
    df = consultations(2021, OFFICE_COUNTS, ONLINE_COUNTS, 3)
    assert len(OFFICE_COUNTS) == 17 and (df.form == "office").sum() == 701 and (df.form != "office").sum() == 51
    assert df.rating.value_counts().to_dict() == {"positive": 749, "negative": 3}
    assert df.date.min() >= pd.Timestamp("2021-04-01") and df.date.max() <= pd.Timestamp("2021-11-25")


def test__format_timestamp__google_locales():
    ts = pd.Series(pd.to_datetime(["2021-04-22 09:03:11"]))
    assert format_timestamp(ts, "ru").iloc[0] == "22.04.2021 9:03:11"
    assert format_timestamp(ts, "en").iloc[0] == "4/22/2021 9:03:11"


def test__write_population_export__n_rows_readable(tmp_path):
    f = write_population_export(tmp_path / "p.csv", 5000, seed=3)
    df = read.read_table(f, "p.csv", set()).frame
    assert df.height == 5000 and df.columns[2] == "Адрес электронной почты"
    assert df.columns[3:][:1] == [load_codebook(paths.CONFIG / "codebooks" / "population.yaml")["questions"][0]["ru"]]


def test__ready__impossible_size_is_an_error():
    import pytest

    with pytest.raises(ValueError, match="cannot give exactly"):
        _ready(np.random.default_rng(1), 120, 1)
