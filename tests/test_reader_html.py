"""What a reader receives: the produced HTML and PDF reports of a run on the fixture.

Every table carries a caption with its base n; page 1 is for readers (organisation, title, wave,
key findings) and the run parameters are an annex at the end; the analytic report accounts for the
survey files, the grant report for the journals and participant lists; no absolute local path.
"""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from helpers import paths

BASE = re.compile(r"\bn\s*=\s*\d[\d\s\u00a0]*")
UI = yaml.safe_load((paths.CONFIG / "texts" / "ui.yaml").read_text(encoding="utf-8"))


def _soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _lang(name: str) -> str:
    return name.rsplit(".", 1)[1]


def uncaptioned(soup: BeautifulSoup) -> list[str]:
    """The tables of a page without a non-empty caption that states its base ``n = …`` (their first header cells)."""
    bad = []
    for table in soup.find_all("table"):
        cap = table.find("caption")
        text = " ".join(cap.get_text(" ").split()) if cap else ""
        if not text or not BASE.search(text):
            head = " | ".join(th.get_text(" ", strip=True) for th in table.find_all("th")[:3])
            bad.append(f"caption {text!r} on the table headed {head!r}")
    return bad


def test__reports__every_table_has_a_caption_with_its_base(reader_html, report_review_html):
    pages = {**{f"reports/{k}.html": v for k, v in reader_html.items()},
             **{f"reports/review/{k}.html": v for k, v in report_review_html.items()}}
    assert len(pages) == 8, sorted(pages)
    problems = {}
    for name, path in pages.items():
        soup = _soup(path)
        assert soup.find_all("table"), f"{name}: no table at all"
        bad = uncaptioned(soup)
        if bad:
            problems[name] = bad
    assert not problems, problems


def test__uncaptioned__finds_a_table_whose_caption_was_removed(reader_html):
    soup = _soup(reader_html["analytic_report.ru"])
    assert uncaptioned(soup) == []
    soup.find("caption").decompose()
    soup.find_all("caption")[3].string = "Готовность без базы"
    assert len(uncaptioned(soup)) == 2


@pytest.mark.parametrize("report", ["analytic_report", "grant_report"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__page_one__organisation_title_wave_and_key_findings_then_parameters_at_the_end(reader_html, report, lang):
    from helpers import params

    P = params.load("tests/fixtures/params.yaml")
    soup = _soup(reader_html[f"{report}.{lang}"])
    header = soup.find("header", class_="title-page")
    assert header is not None
    assert header.find(class_="organisation").get_text(strip=True) == P[f"project.grantee_{lang}"]
    assert header.find("h1").get_text(strip=True)
    wave = header.find(class_="wave").get_text(" ", strip=True)
    assert str(P["period.start"].year) in wave and P["period.start"].strftime("%d.%m.%Y") in wave
    # the first section after the title page is the key findings: one line each, with its base
    first_h2 = soup.find("h2")
    assert first_h2.find_previous("header") is header and not header.find_all_previous("table")
    findings = first_h2.find_next("ul").find_all("li")
    assert len(findings) >= 5
    shares = [li.get_text(" ") for li in findings if "%" in li.get_text()]
    assert shares and all(BASE.search(t) for t in shares), shares
    assert first_h2.find_next("table") is None or first_h2.find_next("ul").sourceline <= first_h2.find_next("table").sourceline
    # the parameters: the last heading is their annex, the last table theirs, keys as code
    assert soup.find_all("h2")[-1].get_text(strip=True) == UI["annex_params"][lang]
    last = soup.find_all("table")[-1]
    assert last.find("caption").find(class_="title").get_text(strip=True) == UI["params_heading"][lang]
    assert "run.share_kernels" in [c.get_text() for c in last.find_all("code")]


@pytest.mark.parametrize("report", ["analytic_report", "grant_report"])
def test__pdf_page_one__shows_the_title_and_key_findings_not_parameters(fixture_run, reader_html, report):
    for lang in ("ru", "kk"):
        soup = _soup(reader_html[f"{report}.{lang}"])
        page1 = " ".join(PdfReader(str(fixture_run[0] / "reports" / f"{report}.{lang}.pdf")).pages[0].extract_text().split())
        title = " ".join(soup.find("h1").get_text(" ").split())
        findings = " ".join(soup.find("h2").get_text(" ").split())
        assert title in page1 and findings in page1, page1[:500]
        assert "run.share_kernels" not in page1 and UI["params_heading"][lang] not in page1


def _accounted_files(path) -> list[str]:
    """Input files named in a report's tables, the parameters annex aside (it shows the configured paths)."""
    soup = _soup(path)
    params = {UI["params_heading"][lang] for lang in ("ru", "kk")}
    return [c.get_text() for t in soup.find_all("table") if not any(p in t.caption.get_text() for p in params)
            for c in t.select("td code") if "/" in c.get_text() and c.get_text().rsplit(".", 1)[-1] in ("csv", "xlsx", "xls", "ods")]


def test__row_accounting__surveys_in_the_analytic_report_journals_and_lists_in_the_grant_report(reader_html):
    for lang in ("ru", "kk"):
        analytic = _accounted_files(reader_html[f"analytic_report.{lang}"])
        grant = _accounted_files(reader_html[f"grant_report.{lang}"])
        assert analytic and all(f.startswith("surveys/") for f in analytic), analytic
        assert any(f.startswith("journals/") for f in grant) and any(f.startswith("events/") for f in grant), grant
        assert not any(f.startswith("surveys/") for f in grant)


def test__reports__show_no_absolute_local_path(fixture_run, reader_html, report_review_html):
    run_dir = str(fixture_run[0])
    texts = {name: p.read_text(encoding="utf-8") for name, p in reader_html.items()}
    for pdf in (fixture_run[0] / "reports").glob("*.pdf"):
        texts[pdf.name] = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    leaks = {name: sorted(set(re.findall(re.escape(s) + r"\S*", t)))[:3]
             for name, t in texts.items() for s in (str(paths.ROOT), run_dir) if s in t}
    # reviewer editions show the run's own overrides as given; never the repository's location
    leaks |= {f"review/{name}": "repository path" for name, p in report_review_html.items()
              if str(paths.ROOT) in p.read_text(encoding="utf-8")}
    assert not leaks, leaks


def test__charts__drawn_once_with_a_text_alternative(reader_html):
    for name, path in reader_html.items():
        figures = _soup(path).select("figure.chart")
        assert figures or name.startswith("grant_report"), f"{name}: no chart"
        for fig in figures:
            assert fig.find("figcaption") is None, f"{name}: chart title in the image and in a caption"
            assert fig.find("img").get("alt"), f"{name}: chart without alt text"
