"""``python -m helpers inspect FILE``: a draft of how an unknown file maps to the configuration, read
the way a user meets it (the printed lines and the draft file next to the input)."""

from __future__ import annotations

import shutil

import polars as pl
import yaml

from helpers import paths
from helpers.cli import main
from helpers.clean import draft

FIX = paths.TESTS / "fixtures" / "raw"


def _export(tmp_path):
    """The fixture's population export of a «next wave»: one question re-worded, unknown region labels
    (one of them a person's name and phone typed into the answer)."""
    f = pl.read_csv(FIX / "surveys" / "population_ru.csv", infer_schema=False)
    sex = next(c for c in f.columns if c.startswith("Ваш пол"))
    region = next(c for c in f.columns if c.startswith("Ваш регион"))
    row = pl.int_range(pl.len())
    f = f.rename({sex: "Укажите Ваш пол"}).with_columns(
        pl.when(row < 3).then(pl.lit("Северо-Казахстанская обл. (СКО)"))
        .when(row == 3).then(pl.lit("Канареечкин Берик 87011234567")).otherwise(pl.col(region)).alias(region))
    path = tmp_path / "population_ru.csv"
    f.write_csv(path)
    return path, region


def test__inspect__survey_export_headers_and_labels(tmp_path):
    path, region = _export(tmp_path)
    found = draft.inspect_file(path, paths.CONFIG)
    assert found.kind == "survey population"
    assert found.mapped[region] == "region" and "Укажите Ваш пол" not in found.mapped
    assert found.unmapped == [{"header": "Укажите Ваш пол", "closest": "sex", "closest_header": "Ваш пол"}]
    labels = {x["value"]: x["count"] for x in found.unknown_labels[region]}
    assert labels["Северо-Казахстанская обл. (СКО)"] == 3
    assert not any("Канареечкин" in v or "701" in v for v in labels)  # masked, yet counted
    assert sum(labels.values()) == 4


def test__inspect__journal_is_told_from_a_survey(tmp_path):
    src = FIX / "journals" / "KOS_journal_2021.csv"
    found = draft.inspect_file(shutil.copy(src, tmp_path / src.name), paths.CONFIG)
    assert found.kind == "journal" and not found.unmapped and "date" in found.mapped.values()


def test__inspect__command_prints_and_writes_the_draft_next_to_the_file(tmp_path, capsys):
    path, region = _export(tmp_path)
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "a survey population file" in out and "'Укажите Ваш пол' — closest: sex" in out
    assert "Канареечкин" not in out and "87011234567" not in out
    written = yaml.safe_load((tmp_path / "population_ru.csv.draft.yaml").read_text(encoding="utf-8"))
    assert written["kind"] == "survey population" and written["unmapped"][0]["closest"] == "sex"


def test__inspect__a_file_it_cannot_read_is_an_error_naming_it(tmp_path, capsys):
    bad = tmp_path / "export.csv"
    bad.write_bytes(b"")
    assert main(["inspect", str(bad)]) == 2
    assert "export.csv: empty file" in capsys.readouterr().err


def test__inspect__its_draft_beside_an_input_is_skipped_by_the_run_with_a_log_line(tmp_path):
    from helpers.clean import read

    path, _ = _export(tmp_path)
    draft.write(draft.inspect_file(path, paths.CONFIG), path)
    files, log = read.discover(tmp_path, tmp_path)
    assert files == [path] and log == ["skipped population_ru.csv.draft.yaml: a draft written by `python -m helpers inspect`"]
