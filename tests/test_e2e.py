"""End to end: the master notebook on the small fixture; again with the stage cache (the same bytes);
once more in a fresh folder (determinism); then a failing run.

Runs the real command line (`python -m helpers run`) in a subprocess, as `make report` does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_fixture
from helpers import paths, pipeline

KAZAKH_LETTERS = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")


@pytest.fixture(scope="module")
def first_run(fixture_run):
    return fixture_run


@pytest.fixture(scope="module")
def second_run(tmp_path_factory, first_run):
    tmp = tmp_path_factory.mktemp("run2")
    proc = run_fixture(tmp)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return tmp, proc


@pytest.fixture(scope="module")
def cached_run(first_run):
    """The same run again in the same folders: every stage restored from the stage cache."""
    tmp, _ = first_run
    before = _published(tmp)
    proc = run_fixture(tmp)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return before, _published(tmp), proc


def _published(tmp: Path) -> dict[str, bytes]:
    """Every published file but those of the run itself (manifest, master notebook, kernel logs)."""
    return {p.relative_to(tmp).as_posix(): p.read_bytes() for name in ("processed", "reports")
            for p in sorted((tmp / name).rglob("*")) if p.is_file() and p.name != "manifest.json"
            and "00_run_all" not in p.name and p.parent.name != "logs"}


def _first_heading(report: str, lang: str) -> str:
    text = (paths.CONFIG / "texts" / f"{report}.{lang}.md").read_text(encoding="utf-8")
    return re.search(r"^#\s+(.+)$", text, re.M).group(1).strip()


def test__run__writes_every_report_file(first_run):
    tmp, _ = first_run
    reports = tmp / "reports"
    for report in ("analytic_report", "grant_report"):
        for lang in ("ru", "kk"):
            for ext in ("html", "pdf"):
                f = reports / f"{report}.{lang}.{ext}"
                assert f.is_file() and f.stat().st_size > 1000, f
    stages = [Path(s["notebook"]).stem for s in pipeline.load_pipeline()["stages"]]
    for stage in stages:
        assert (reports / "review" / f"{stage}.html").stat().st_size > 1000
    assert (tmp / "processed" / "figures.json").is_file()
    assert not (tmp / "reports.new").exists()


def test__run__prints_one_line_per_stage_and_a_summary(first_run):
    _, proc = first_run
    n_jobs = len(pipeline.load_pipeline()["stages"]) + 2 * len(pipeline.load_pipeline()["reports"])
    progress = [line for line in proc.stdout.splitlines() if re.match(r"^\[\s*\d+/\d+\] ", line)]
    assert len(progress) == n_jobs
    assert "Done in" in proc.stdout and "analytic_report.kk.pdf" in proc.stdout


def test__run__manifest_records_commit_inputs_versions_and_timings(first_run):
    tmp, _ = first_run
    m = json.loads((tmp / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert set(m) >= {"git", "params", "inputs", "versions", "started", "finished", "steps"}
    assert m["inputs"] and all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in m["inputs"])
    assert any(i["rows"] for i in m["inputs"])
    assert m["versions"]["pandas"] and m["params"]["cleaning.pii_salt"] == "(hidden)"
    assert {s["kind"] for s in m["steps"]} >= {"execute", "convert", "total"}
    assert m["stages"] and all(re.fullmatch(r"(ran|reused) \(key [a-z2-7]{32}\)", s) for s in m["stages"].values())


def test__cached_run__reuses_every_stage_and_gives_byte_identical_files(first_run, cached_run):
    before, after, proc = cached_run
    n_jobs = len(pipeline.load_pipeline()["stages"]) + 2 * len(pipeline.load_pipeline()["reports"])
    assert f"0 notebook executions ran, {n_jobs} reused" in proc.stdout
    stages = json.loads((first_run[0] / "reports" / "manifest.json").read_text(encoding="utf-8"))["stages"]
    assert len(stages) == n_jobs and all(re.fullmatch(r"reused \(key [a-z2-7]{32}\)", s) for s in stages.values())
    assert sorted(after) == sorted(before) and len(before) > 50
    differ = [f for f in before if after[f] != before[f]]
    assert not differ, f"restored from the cache, these differ from the fresh execution: {differ}"


def test__run__kazakh_pdf_carries_its_kazakh_heading(first_run):
    tmp, _ = first_run
    for report in ("analytic_report", "grant_report"):
        heading = _first_heading(report, "kk")
        assert KAZAKH_LETTERS & set(heading), f"the kk heading of {report} has no Kazakh-specific letter: {heading}"
        text = PdfReader(str(tmp / "reports" / f"{report}.kk.pdf")).pages[0].extract_text()
        assert heading in " ".join(text.split()), f"{heading!r} not on page 1 of {report}.kk.pdf"


def test__run__reader_editions_hide_code_and_show_demo_label(first_run):
    tmp, _ = first_run
    for lang, label in (("ru", "ДЕМО-ДАННЫЕ (СИНТЕТИЧЕСКИЕ)"), ("kk", "ДЕМО-ДЕРЕКТЕР (СИНТЕТИКАЛЫҚ)")):
        page = (tmp / "reports" / f"analytic_report.{lang}.html").read_text(encoding="utf-8")
        assert label in page
        assert "params.load(" not in page
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)
    # the grant report's title page gives the surveys' fieldwork, recorded by the aspect stages it needs
    assert "опросы проводились с" in (tmp / "reports" / "grant_report.ru.html").read_text(encoding="utf-8")


def test__run__processed_files_are_byte_identical_between_runs(first_run, second_run):
    a, b = first_run[0] / "processed", second_run[0] / "processed"
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b and files_a
    differ = [str(f) for f in files_a if (a / f).read_bytes() != (b / f).read_bytes()]
    assert not differ, f"differ between two runs on the same inputs: {differ}"


def test__run__failing_stage_names_notebook_and_cell_and_keeps_old_reports(first_run, cached_run, tmp_path):
    tmp, _ = first_run
    before = {p: p.read_bytes() for name in ("processed", "reports") for p in (tmp / name).rglob("*") if p.is_file()}
    empty_raw = tmp_path / "empty_raw"
    empty_raw.mkdir()
    proc = run_fixture(tmp, "--set", f"paths.raw_dir={empty_raw}")
    assert proc.returncode == 1
    # both cleaning stages read the raw folder and may run side by side: either may be the one named
    m = re.search(r"stage (\S+) \(notebooks/(\S+)\.ipynb\) failed in cell (\d+) \(execution count \d+\): "
                  r"\w+(Error|Exception)", proc.stderr)
    assert m, proc.stderr[-2000:]
    stage, notebook = m.group(1), m.group(2)
    cleaning = [Path(s["notebook"]).stem for s in pipeline.load_pipeline()["stages"] if not s["needs"]]
    assert stage == notebook and stage in cleaning
    after = {p: p.read_bytes() for name in ("processed", "reports") for p in (tmp / name).rglob("*") if p.is_file()}
    assert after == before, "a failed run changed the last good processed files or reports"
    assert "are unchanged (those of the last complete run)" in proc.stderr
    kept = tmp / "reports.failed" / "review" / f"{stage}.ipynb"
    assert kept.is_file(), "the executed notebook with the error is not kept"


def test__run__invalid_parameters_stop_before_any_stage(tmp_path):
    proc = run_fixture(tmp_path, "--set", "analysis.suppression_threshold=many")
    assert proc.returncode == 2
    assert "analysis.suppression_threshold: expected int, got 'many'" in proc.stderr
    assert not (tmp_path / "reports.new").exists() and not (tmp_path / "processed").exists()


def test__run__no_personal_data_in_processed_or_reports(first_run, tmp_path):
    from test_no_personal_data import find_personal_data  # the scanner of the cleaning tests

    tmp, _ = first_run
    raw = paths.ROOT / "tests" / "fixtures" / "raw"
    # PDFs are scanned through their text layer
    for pdf in (tmp / "reports").glob("*.pdf"):
        text = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
        (tmp_path / f"{pdf.stem}.pdf.txt").write_text(text, encoding="utf-8")
    hits = (find_personal_data(tmp / "processed", raw) + find_personal_data(tmp / "reports", raw)
            + find_personal_data(tmp_path, raw))
    assert hits == []
