"""Optional inputs make optional sections (issue 18, part 2): a run without a hand-made report's
transcription and without a published reference figure builds both reports from the data and the
indicator registry, says that no hand-made report was given, and quotes nothing of one.

One run of the fixture with ``grant.report_dir: null`` and ``analysis.published_ready_pct: null``;
the tests read what it wrote, as a reader would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import run_fixture
from helpers import paths


@pytest.fixture(scope="module")
def bare_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("no_report")
    proc = run_fixture(tmp, "--set", "grant.report_dir=null", "--set", "analysis.published_ready_pct=null")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return tmp


def _words(text: str) -> str:
    """Text as compared here: markdown marks, quotes and brackets out, whitespace collapsed."""
    return " ".join(re.sub(r"[*#`«»()]", " ", text).split())


def _text(path: Path) -> str:
    return _words(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" "))


def _paragraphs(report: str, lang: str, condition: str) -> list[str]:
    """The openings of the paragraphs of ``config/texts/<report>.<lang>.md`` marked ``<!-- needs: <condition> -->``:
    their words before the first placeholder, without markup — what a reader sees when they are shown."""
    text = (paths.CONFIG / "texts" / f"{report}.{lang}.md").read_text(encoding="utf-8")
    blocks = re.split(r"\n[ \t]*\n", text)
    out = []
    for block in blocks:
        m = re.match(r"\s*<!--\s*needs:\s*(.*?)\s*-->", block)
        if m and condition in m.group(1).split():
            out.append(" ".join(_words(block[m.end():].split("{{")[0]).split()[:8]))
    return out


def test__no_transcription__no_reported_figure_no_report_table(bare_run):
    figs = json.loads((bare_run / "processed" / "figures.json").read_text(encoding="utf-8"))
    figs = figs.get("figures", figs)
    assert not [k for k in figs if k.startswith("reported.") or "published" in k]
    assert not list((bare_run / "processed").glob("core_report__*.parquet"))
    assert "plan.t1_consultations.plan" in figs  # plans come from the registry


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__no_transcription__grant_report_says_so_and_leaves_its_paragraphs_out(bare_run, fixture_run, lang):
    bare = _text(bare_run / "reports" / f"grant_report.{lang}.html")
    full = _text(fixture_run[0] / "reports" / f"grant_report.{lang}.html")
    without = _paragraphs("grant_report", lang, "!reported.*")
    with_report = [p for p in _paragraphs("grant_report", lang, "reported.*") if len(p.split()) >= 4]  # a shorter opening may recur in a heading
    assert len(without) >= 3 and len(with_report) >= 5
    for p in without:
        assert p in bare and p not in full, p
    for p in with_report:
        assert p in full and p not in bare, p
    ui = yaml.safe_load((paths.CONFIG / "texts" / "ui.yaml").read_text(encoding="utf-8"))
    assert ui["params_heading"][lang] in bare  # the rest of the report is there


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__no_published_figure__analytic_report_compares_with_nothing(bare_run, fixture_run, lang):
    paragraphs = _paragraphs("analytic_report", lang, "aspect1.ready.published")
    assert paragraphs
    bare = _text(bare_run / "reports" / f"analytic_report.{lang}.html")
    full = _text(fixture_run[0] / "reports" / f"analytic_report.{lang}.html")
    for p in paragraphs:
        assert p in full and p not in bare, p
