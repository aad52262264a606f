"""``python -m helpers diff RUN_A RUN_B``: what changed between two runs, as the terminal shows it."""

from __future__ import annotations

import json

from helpers.cli import main


def _run(folder, figures: dict, inputs: dict, params: dict):
    folder.mkdir(parents=True)
    manifest = {"params": {"paths.processed_dir": "build/nowhere", **params},
                "inputs": [{"file": f, "bytes": 1, "sha256": h, "rows": None} for f, h in inputs.items()]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "figures.json").write_text(json.dumps({"figures": {k: {"value": v, "unit": "count"} for k, v in figures.items()}}),
                                         encoding="utf-8")
    return folder


def test__diff__figures_inputs_and_parameters(tmp_path, capsys):
    a = _run(tmp_path / "a", {"reach.n": 752, "aspect1.ready.pct": 88.1, "old.only": 1},
             {"journals/KOS.csv": "aa", "surveys/x.csv": "bb"}, {"period.start": "2021-04-01"})
    b = _run(tmp_path / "b", {"reach.n": 801, "aspect1.ready.pct": 88.1, "new.only": 2},
             {"journals/KOS.csv": "cc", "journals/ALA.csv": "dd"}, {"period.start": "2022-04-01"})
    assert main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "figures: 1 changed, 1 added, 1 removed; inputs: 3 changed; parameters: 1 changed" in out
    assert "figure  reach.n: 752 -> 801  (+49)" in out and "aspect1.ready.pct" not in out
    assert "figure  new.only: added (2)" in out and "figure  old.only: removed (was 1)" in out
    assert "input   journals/KOS.csv: changed" in out and "journals/ALA.csv: added" in out and "surveys/x.csv: removed" in out
    assert "param   period.start: '2021-04-01' -> '2022-04-01'" in out


def test__diff__a_folder_without_a_manifest_is_named(tmp_path, capsys):
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 2
    assert "no manifest.json" in capsys.readouterr().err
