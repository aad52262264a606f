"""A next wave re-run with data and configuration only (issue 18, "done means"): the fixture's files as the
same organisation would send them a year later — every date a year on, the journals named for the new
year, the survey question that names its years re-worded («2020–2021» → «2021–2022», handled by a
``header_aliases`` line in a copy of the configuration), answers changed, the register in its own folder,
no hand-made report, no published figure — run by the real command line with a parameters file, no code
or text edited, and compared with the 2021 fixture run (``compare.previous``: its processed folder).

The reports must name the new period, quote the new wave's figures, and none of the old wave's; the
figures keep their ids (never built from file names); the analytic report shows each headline share of
both waves (read from the two ``figures.json``) with the re-worded question's row flagged, the grant
report the indicators of both periods.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import polars as pl
import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import paths, report
from helpers.figure_catalogue import Catalogue
from helpers.waves import load_headline
from helpers.figures import format_number

FIX = paths.TESTS / "fixtures"
REWORDED = {"2020–2021": "2021–2022"}
NEW_HEADER = ("Сколько медиаций Вы провели (или в скольких участвовали) в 2021–2022 годах?",
              "2021–2022 жылдары қанша медиация жүргіздіңіз (немесе қаншасына қатыстыңыз)?")


def _year_on(text: str) -> str:
    """Every 2021 a year on, and the question's «2020–2021» re-worded, in one pass."""
    return re.sub(r"2020–2021|(?<!\d)2021(?!\d)", lambda m: REWORDED.get(m.group(), "2022"), text)


def _csv_year_on(path: Path) -> None:
    data = path.read_bytes()
    encoding = "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp1251"
    path.write_bytes(_year_on(data.decode(encoding)).encode(encoding))


def _xlsx_year_on(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.value = cell.value.replace(year=cell.value.year + 1)
                elif isinstance(cell.value, str):
                    cell.value = _year_on(cell.value)
    wb.save(path)


def build_wave(out: Path, previous: Path | None = None) -> Path:
    """The next wave's raw folder, configuration and parameters under ``out``, compared with the run whose
    processed folder is ``previous`` (if given); returns the parameters file."""
    raw = out / "raw"
    for sub in ("surveys", "journals", "events"):
        shutil.copytree(FIX / "raw" / sub, raw / sub)
    shutil.copy(FIX / "raw" / "report_2021" / "events_register.csv", raw / "events" / "register.csv")
    for f in sorted(raw.rglob("*2021*")):  # KAR_journal_2021.xlsx → KAR_journal_2022.xlsx
        f.rename(f.with_name(_year_on(f.name)))
    for f in sorted(raw.rglob("*")):
        if f.suffix == ".csv":
            _csv_year_on(f)
        elif f.suffix == ".xlsx":
            _xlsx_year_on(f)
    pop = raw / "surveys" / "population_ru.csv"  # answers changed: the first 25 respondents not ready
    frame = pl.read_csv(pop, infer_schema=False)
    ready = next(c for c in frame.columns if c.startswith("Готовы ли Вы"))
    frame.with_columns(pl.when(pl.int_range(pl.len()) < 25).then(pl.lit("Нет")).otherwise(pl.col(ready)).alias(ready)).write_csv(pop)
    config = out / "config"
    shutil.copytree(paths.CONFIG, config)
    cb_file = config / "codebooks" / "courts_mediators.yaml"
    text = cb_file.read_text(encoding="utf-8")
    alias = f"  header_aliases: {{ru: [\"{NEW_HEADER[0]}\"], kk: [\"{NEW_HEADER[1]}\"]}}\n"
    cb_file.write_text(text.replace("- id: n_mediations\n  type: number\n", "- id: n_mediations\n  type: number\n" + alias), encoding="utf-8")
    params = yaml.safe_load((FIX / "params.yaml").read_text(encoding="utf-8"))
    params["period"] = {"start": "2022-04-01", "end": "2022-11-25"}
    params["paths"] = {"raw_dir": str(raw), "processed_dir": str(out / "processed"), "reports_dir": str(out / "reports"),
                       "config_dir": str(config)}
    params.pop("inputs", None)  # the default layout: events/register.csv
    params["grant"] = {"registry": "indicators.yaml"}  # no hand-made report
    params["analysis"] = {"suppression_threshold": 5}  # no published figure
    if previous is not None:
        params["compare"] = {"previous": str(previous)}
    file = out / "params.yaml"
    file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return file


@pytest.fixture(scope="module")
def wave(tmp_path_factory, fixture_run) -> Path:
    out = tmp_path_factory.mktemp("wave2022")
    params = build_wave(out, fixture_run[0] / "processed")
    proc = subprocess.run([sys.executable, "-m", "helpers", "run", "--params", str(params)], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


def _figures(processed: Path) -> dict:
    record = json.loads((processed / "figures.json").read_text(encoding="utf-8"))
    return {k: v["value"] for k, v in record.get("figures", record).items()}


def _text(path: Path) -> str:
    return " ".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())


def test__new_wave__the_reworded_question_is_read_and_every_file_accounted(wave):
    figs = _figures(wave / "processed")
    assert figs["aspect2.mediators.n_mediations.median"] > 0  # the question read under its new wording
    acc = pl.read_csv(wave / "processed" / "row_accounting.csv")
    assert (acc["rows_in"] == acc["rows_kept"] + acc["rows_rejected"] + acc["rows_duplicate"]).all()
    assert "events/register.csv" in acc["source_file"].to_list()
    assert not [k for k in figs if k.startswith("reported.")]


def test__new_wave__row_counts_keep_their_figure_ids(wave, fixture_run):
    """Rows are counted per survey and language, office, event and register: files named for another
    year, or the register moved, give the same figure ids."""
    new, old = _figures(wave / "processed"), _figures(fixture_run[0] / "processed")
    assert sorted(k for k in new if k.startswith("clean.")) == sorted(k for k in old if k.startswith("clean."))
    assert "clean.journal.KAR.rows_in" in new


@pytest.mark.parametrize("report", ["analytic_report", "grant_report"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__new_wave__reports_name_the_new_period_and_its_figures_not_the_old(wave, fixture_run, report, lang):
    html = wave / "reports" / f"{report}.{lang}.html"
    new = _text(html)
    assert "01.04.2022" in new and "25.11.2022" in new and "01.04.2021" not in new
    new_figs, old_figs = _figures(wave / "processed"), _figures(fixture_run[0] / "processed")
    key = "aspect1.ready.pct" if report == "analytic_report" else "reach.consultations_total"  # the first key finding
    if report == "analytic_report":
        assert new_figs[key] < old_figs[key]  # the changed answers
    first = " ".join(BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find("li").get_text(" ").split())
    shown = {v: f"{v:.1f}".replace(".", ",") if isinstance(v, float) else str(v) for v in (new_figs[key], old_figs[key])}
    assert shown[new_figs[key]] in first, first
    assert new_figs[key] == old_figs[key] or shown[old_figs[key]] not in first, first


def _records(processed: Path) -> dict:
    return json.loads((processed / "figures.json").read_text(encoding="utf-8"))["figures"]


def _table(html: Path, title: str) -> tuple[list[str], list[list[str]], str]:
    """The header cells, body rows and preceding heading of the table captioned ``title`` (empty when none)."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    table = next((t for t in soup.find_all("table") if t.caption and title in t.caption.get_text()), None)
    if table is None:
        return [], [], ""
    cells = [[" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    return cells[0], cells[1:], table.find_previous(["h2", "h3"]).get_text(" ", strip=True)


def _shown(value: float, decimals: int, lang: str) -> str:
    return " ".join(format_number(value, decimals, lang=lang).split())  # spaces as the table's text has them


def _share(fig: dict, lang: str) -> str:
    return f"{_shown(fig['value'], 1, lang)} (n = {_shown(fig['base'], 0, lang)})"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__new_wave__the_analytic_report_shows_each_headline_share_of_both_waves(wave, fixture_run, lang):
    texts = report.text_sections(paths.CONFIG / "texts" / f"analytic_report.{lang}.md")
    ui = yaml.safe_load(texts["ui"])
    new, old = _records(wave / "processed"), _records(fixture_run[0] / "processed")
    head, rows, heading = _table(wave / "reports" / f"analytic_report.{lang}.html", texts["title.changes"])
    assert old["wave.label"]["value"] in heading and old["wave.label"]["value"] != new["wave.label"]["value"]
    assert old["wave.label"]["value"] in head[1] and new["wave.label"]["value"] in head[2]
    by_label = {r[0]: r for r in rows}
    headline = load_headline(paths.CONFIG)
    assert len(rows) == len(headline)
    for h in headline:
        row = by_label[getattr(h, lang)]
        assert row[1:3] == [_share(old[h.figure], lang), _share(new[h.figure], lang)], row
        reworded = "courts_mediators.n_mediations" in h.questions  # the question build_wave re-words
        assert row[-1] == ui["reworded_yes" if reworded else "reworded_no"], row
    ready = by_label[getattr(headline[0], lang)]
    assert ready[3] == _shown(new["aspect1.ready.pct"]["value"] - old["aspect1.ready.pct"]["value"], 1, lang)  # the changed answers


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__new_wave__the_grant_report_shows_the_indicators_of_both_periods(wave, fixture_run, lang):
    labels = yaml.safe_load(report.text_sections(paths.CONFIG / "texts" / f"grant_report.{lang}.md")["labels"])
    new, old = _records(wave / "processed"), _records(fixture_run[0] / "processed")
    head, rows, _ = _table(wave / "reports" / f"grant_report.{lang}.html", labels["tables"]["periods"])
    assert [old["wave.label"]["value"] in h for h in head[1:]] == [True, True, False, False]
    pvf = {p: pd.read_parquet(folder / "processed" / "out_grant__plan_vs_fact.parquet").set_index("id")
           for p, folder in (("old", fixture_run[0]), ("new", wave))}
    name = pvf["new"].loc["t1_consultations", "indicator" if lang == "ru" else "indicator_kk"]
    row = next(r for r in rows if r[0] == name)
    facts = [_shown(pvf[p].loc["t1_consultations", "fact"], 0, lang) for p in ("old", "new")]
    assert [row[2], row[4]] == facts and facts[0] != facts[1]
    assert new["reach.consultations_total"]["value"] == pvf["new"].loc["t1_consultations", "fact"]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__a_run_without_compare_previous_has_no_comparison(fixture_run, lang):
    texts = report.text_sections(paths.CONFIG / "texts" / f"analytic_report.{lang}.md")
    labels = yaml.safe_load(report.text_sections(paths.CONFIG / "texts" / f"grant_report.{lang}.md")["labels"])
    reports = fixture_run[0] / "reports"
    assert _table(reports / f"analytic_report.{lang}.html", texts["title.changes"]) == ([], [], "")
    assert _table(reports / f"grant_report.{lang}.html", labels["tables"]["periods"]) == ([], [], "")
    figs = _records(fixture_run[0] / "processed")
    assert "wave.label" in figs and not [k for k in figs if k.startswith("compare.")]
    assert yaml.safe_load(texts["ui"])["changes_note"] not in _text(reports / f"analytic_report.{lang}.html")


# --- the figure catalogue against what the two runs record ------------------------------------------------

def test__catalogue__every_entry_labels_a_figure_of_the_fixture_runs(wave, fixture_run):
    """Every entry of ``config/figures.yaml`` labels a figure of the 2021 fixture run or of the 2022 wave
    compared with it, so none is left over when a notebook stops recording a figure (a figure without an
    entry stops the run itself: ``tests/unit/test_figure_catalogue.py``)."""
    cat = Catalogue.load(paths.FIGURES)
    ids = {*_figures(fixture_run[0] / "processed"), *_figures(wave / "processed")}
    assert sorted(set(cat.keys) - {cat.entry_of(fid) for fid in ids}) == []
