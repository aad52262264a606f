"""``python -m helpers new DIR``: a project folder a newcomer can fill and run — checked the way they
would: the files written, then ``validate`` on the new parameters before and after the data is in."""

from __future__ import annotations

import shutil

from helpers import paths
from helpers.cli import main


def test__new__a_project_that_validate_guides_to_a_run(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "wave2022"
    assert main(["new", str(folder)]) == 0
    assert "python -m helpers validate --params" in capsys.readouterr().out
    params = folder / "params.yaml"
    text = params.read_text(encoding="utf-8")
    assert text.startswith("# Parameters of this project") and "data_label: real" in text and "report_2021" not in text
    assert (folder / "raw" / "README.md").is_file() and (folder / "raw" / "journals").is_dir()
    for f in [folder / "config" / "offices.yaml", folder / "config" / "codebooks" / "population.yaml", folder / "config" / "texts" / "grant_report.kk.md"]:
        assert f.read_text(encoding="utf-8").splitlines()[0].lstrip("<!-# ").startswith("Edit for your project")
    assert not (folder / "config" / "params").exists()
    assert not (folder / "config" / "figures.yaml").exists()  # the figure catalogue is the workbook's own

    monkeypatch.delenv("MEDIATION_PII_SALT", raising=False)
    assert main(["validate", "--params", str(params)]) == 2
    err = capsys.readouterr().err
    assert "inputs.register: file not found" in err and "MEDIATION_PII_SALT" in err

    fixture = paths.TESTS / "fixtures" / "raw"
    shutil.rmtree(folder / "raw")
    shutil.copytree(fixture, folder / "raw")
    shutil.copy(fixture / "report_2021" / "events_register.csv", folder / "raw" / "events" / "register.csv")
    monkeypatch.setenv("MEDIATION_PII_SALT", "a-secret-of-this-test")
    assert main(["validate", "--params", str(params)]) == 0, capsys.readouterr().err


def test__new__never_overwrites(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(tmp_path / "x")]) == 2
    assert "not empty" in capsys.readouterr().err and (tmp_path / "x" / "keep.txt").read_text(encoding="utf-8") == "mine"
