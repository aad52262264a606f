"""Shared fixtures: one master run on the small fixture, used by every test of what a run produces.

The run is the real command line (``python -m helpers run``) in a subprocess, as ``make report``
does, writing into a temporary folder; tests of the reader editions (HTML, PDF, browser) read its
files, as a reader would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths

FIXTURE = "tests/fixtures/params.yaml"


def run_fixture(tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    """``python -m helpers run`` on the fixture with outputs under ``tmp``."""
    cmd = [sys.executable, "-m", "helpers", "run", "--params", FIXTURE,
           "--set", f"paths.processed_dir={tmp / 'processed'}", "--set", f"paths.reports_dir={tmp / 'reports'}", *extra]
    return subprocess.run(cmd, cwd=paths.ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def fixture_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One successful run on the fixture: ``(folder with processed/ and reports/, process)``."""
    tmp = tmp_path_factory.mktemp("run1")
    proc = run_fixture(tmp)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return tmp, proc


@pytest.fixture(scope="session")
def reader_html(fixture_run) -> dict[str, Path]:
    """The reader HTML files of the fixture run by name (``analytic_report.ru`` …)."""
    reports = fixture_run[0] / "reports"
    return {p.stem: p for p in sorted(reports.glob("*.html"))}


@pytest.fixture(scope="session")
def report_review_html(fixture_run) -> dict[str, Path]:
    """The reviewer editions of the report notebooks (``90_…``, ``91_…``) of the fixture run."""
    review = fixture_run[0] / "reports" / "review"
    return {p.stem: p for p in sorted(review.glob("9*.html"))}
