"""``python -m helpers validate``: every problem a run would meet, all at once, each saying where it comes
from (file and line, the ``--set`` argument, the parameter or the input file) — read as the user reads it."""

from __future__ import annotations

import shutil

import pytest

from helpers import paths
from helpers.cli import main

FIXTURE = "tests/fixtures/params.yaml"


def _validate(capsys, *args: str) -> tuple[int, str]:
    code = main(["validate", "--params", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test__validate__the_fixture_is_ready_to_run(capsys):
    code, text = _validate(capsys, FIXTURE)
    assert code == 0 and "valid" in text


def test__validate__every_parameter_problem_with_its_line_or_set_argument(tmp_path, capsys):
    params = tmp_path / "my.yaml"
    text = (paths.ROOT / FIXTURE).read_text(encoding="utf-8").replace("  suppression_threshold: 5", "  suppression_threshold: 0")
    params.write_text(text.replace("languages: [ru, kk]", "languages: [ru, en]"), encoding="utf-8")
    line = next(i for i, t in enumerate(params.read_text(encoding="utf-8").splitlines(), 1) if "suppression_threshold" in t)
    code, out = _validate(capsys, str(params), "--set", "analysis.confidence=2")
    assert code == 2
    assert f"my.yaml:{line}: analysis.suppression_threshold: 0 is below the minimum 1" in out
    assert "languages: 'en' is not one of" in out
    assert "--set analysis.confidence=2: analysis.confidence: 2.0 is above the maximum" in out


def test__validate__inputs_configuration_salt_and_files_before_a_run(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MEDIATION_PII_SALT", raising=False)
    raw = tmp_path / "raw"
    shutil.copytree(paths.TESTS / "fixtures" / "raw", raw)
    code, out = _validate(capsys, FIXTURE, "--set", f"paths.raw_dir={raw}", "--set", "data_label=real",
                          "--set", "inputs.register=events/register.csv", "--set", "grant.report_dir=report_2022")
    assert code == 2
    for expected in ("inputs.register: file not found", "grant.report_dir: folder not found",
                     "cleaning.pii_salt: no PII salt: set the environment variable MEDIATION_PII_SALT"):
        assert expected in out, out


@pytest.mark.parametrize("stray, expected", [
    ("journals/SEM_journal_2022.csv", "inputs.journals: SEM_journal_2022.csv: "),
    ("surveys/population_en.csv", "inputs.surveys: surveys/: file(s) that are no export"),
])
def test__validate__a_journal_of_no_office_or_an_export_of_no_codebook(tmp_path, capsys, stray, expected):
    raw = tmp_path / "raw"
    shutil.copytree(paths.TESTS / "fixtures" / "raw", raw)
    shutil.copy(raw / "journals" / "KOS_journal_2021.csv" if "journal" in stray else raw / "surveys" / "population_ru.csv", raw / stray)
    code, out = _validate(capsys, FIXTURE, "--set", f"paths.raw_dir={raw}")
    assert code == 2 and expected in out, out
    assert "config/offices.yaml" in out if "journal" in stray else "population_en.csv" in out


def test__validate__a_missing_raw_folder_is_named(capsys):
    code, out = _validate(capsys, FIXTURE, "--set", "paths.raw_dir=nowhere/raw")
    assert code == 2 and "paths.raw_dir: folder not found: nowhere/raw" in out


def test__validate__compare_previous_must_be_the_processed_folder_of_an_earlier_run(tmp_path, capsys):
    (tmp_path / "figures.json").write_text('{"figures": {}}', encoding="utf-8")
    code, out = _validate(capsys, FIXTURE, "--set", f"compare.previous={tmp_path}")
    assert code == 2 and "no questions.csv, out_grant__plan_vs_fact.parquet" in out, out
    code, out = _validate(capsys, FIXTURE, "--set", "compare.previous=build/fixture/processed")  # the fixture's own
    assert code == 2 and "compare.previous: build/fixture/processed is this run's paths.processed_dir" in out, out
