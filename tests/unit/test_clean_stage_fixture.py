"""Both cleaning stages on the small fixture (tests/fixtures/raw): balanced accounting, valid tables,
no personal data in the output."""

import datetime as dt
import sys

import pandas as pd

from helpers import paths
from helpers.clean import stage

FIX = paths.TESTS / "fixtures" / "raw"


def test__stages_on_fixture__balance_and_no_personal_data(tmp_path):
    r10 = stage.clean_surveys(FIX, tmp_path, paths.CONFIG, "fixture-salt", "csv")
    r11 = stage.clean_journals_events(FIX, tmp_path, paths.CONFIG, "fixture-salt", (dt.date(2021, 4, 1), dt.date(2021, 11, 25)))
    acc = pd.read_csv(tmp_path / "row_accounting.csv")
    assert (acc.rows_in == acc.rows_kept + acc.rows_rejected + acc.rows_duplicate).all()
    assert set(acc.source_file) == set(r10.accounting.source_file) | set(r11.accounting.source_file)
    assert len(r11.tables["core_journal__consultations"]) == 20 + 15 + 18 + 5
    pop = r10.tables["core_survey__population"]
    assert round(100 * pop.ready.isin(["yes", "rather_yes"]).sum() / pop.ready.notna().sum(), 1) == 88.1
    sys.path.insert(0, str(paths.TESTS))
    from test_no_personal_data import find_personal_data

    assert find_personal_data(tmp_path, FIX) == []


def test__stage_10__xlsx_and_csv_downloads_agree(tmp_path):
    a = stage.clean_surveys(FIX, tmp_path / "a", paths.CONFIG, "s", "csv").tables
    b = stage.clean_surveys(FIX, tmp_path / "b", paths.CONFIG, "s", "xlsx").tables
    for k in a:
        cols = [c for c in a[k].columns if c != "source_file"]
        pd.testing.assert_frame_equal(a[k][cols], b[k][cols])
