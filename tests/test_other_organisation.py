"""Another organisation re-runs the workbook with data and configuration only (issue 18, "done means"):
five offices with Cyrillic ids, two of them in one city, journals with file names in Cyrillic and
headers of their own (added as header variants), the population survey as a KoboToolbox export, a
4-indicator registry without audit checks, no hand-made report — the project made by
``python -m helpers new`` and filled in, run by the command line, no code or text edited.

The reports must name this organisation and contain nothing of the demo organisation.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import paths
from helpers.cli import main

FIX = paths.TESTS / "fixtures" / "raw"
ORG = {"grantee_ru": "ОФ «Келісім-Медиация»", "grantee_kk": "«Келісім-Медиация» ҚҚ", "topic_ru": "Медиация в шаговой доступности",
       "topic_kk": "Қолжетімді медиация", "grantor_ru": "Фонд поддержки медиации", "grantor_kk": "Медиацияны қолдау қоры",
       "grant_amount_kzt": 4200000}
#: the five offices: id → (fixture journal, region, city); ШЫМ-1 and ШЫМ-2 in one city
OFFICES = {"ШЫМ-1": ("KOS_journal_2021.csv", "SHY", "Шымкент"), "ШЫМ-2": ("KAR_journal_2021.xlsx", "SHY", "Шымкент"),
           "НУР": ("NUR_journal_2021.xlsx", "NUR", "Астана"), "ҚОС": ("KOS_journal_2021.csv", "KOS", "Қостанай"),
           "ҚАР": ("KAR_journal_2021.xlsx", "KAR", "Қарағанды")}
OWN_HEADERS = {"Дата консультации": "Дата приёма", "Итог консультации": "Результат приёма"}  # headers of this organisation's template
REGISTRY = {"indicators": [
    {"id": "consultations", "task": "task1", "name_ru": "Консультации", "name_kk": "Кеңестер", "unit": "count",
     "plan": {"value": 40, "qualifier": "exact", "text": "40"}, "fact": {"figure": "reach.consultations_total"},
     "period": "cumulative", "source": "план проекта"},
    {"id": "online", "task": "task1", "name_ru": "Онлайн-консультации", "name_kk": "Онлайн-кеңестер", "unit": "count",
     "plan": {"value": 10, "qualifier": "exact", "text": "10"}, "fact": {"figure": "reach.consultations_online"},
     "period": "cumulative", "source": "план проекта"},
    {"id": "satisfaction", "task": "task1", "name_ru": "Доля положительных оценок", "name_kk": "Оң бағалар үлесі", "unit": "percent",
     "plan": {"value": 75, "qualifier": "at_least", "text": "не менее 75%"}, "fact": {"figure": "satisfaction.positive_share"},
     "period": "cumulative", "source": "план проекта"},
    {"id": "round_tables", "task": "task2", "name_ru": "Круглые столы", "name_kk": "Дөңгелек үстелдер", "unit": "count",
     "plan": {"value": 3, "qualifier": "exact", "text": "3"}, "fact": {"figure": "reach.rt_events"},
     "period": "cumulative", "source": "план проекта"}]}


def _journal(src: Path, dest: Path) -> None:
    """A fixture journal under this organisation's name and headers (csv kept in its encoding)."""
    if src.suffix == ".csv":
        text = src.read_bytes().decode("cp1251")
        header, _, rest = text.partition("\n")
        for old, new in OWN_HEADERS.items():
            header = header.replace(old, new)
        dest.write_bytes((header + "\n" + rest).encode("cp1251"))
    else:
        import openpyxl

        wb = openpyxl.load_workbook(src)
        for row in wb.active.iter_rows(max_row=5):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip() in OWN_HEADERS:
                    cell.value = OWN_HEADERS[cell.value.strip()]
        wb.save(dest)


def _kobo_population(dest: Path) -> None:
    """The population survey as a KoboToolbox XLSX export in labels mode (Kobo's own columns, ISO times)."""
    forms = pl.read_csv(FIX / "surveys" / "population_ru.csv", infer_schema=False)
    ts = forms["Отметка времени"].str.strptime(pl.Datetime, "%d.%m.%Y %H:%M:%S", strict=False).dt.strftime("%Y-%m-%dT%H:%M:%S")
    kobo = forms.drop("Отметка времени").with_columns(start=ts, end=ts, _id=pl.int_range(pl.len()).cast(pl.String),
                                                      _uuid=pl.lit("f1a2") + pl.int_range(pl.len()).cast(pl.String), _submission_time=ts)
    kobo.to_pandas().to_excel(dest, index=False)


def build_project(out: Path) -> Path:
    assert main(["new", str(out)]) == 0
    raw, config = out / "raw", out / "config"
    for sub in ("surveys",):
        for f in (FIX / sub).glob("*.csv"):
            shutil.copy(f, raw / sub / f.name)
    (raw / "surveys" / "population_ru.csv").unlink()
    _kobo_population(raw / "surveys" / "population_ru.csv".replace(".csv", ".xlsx"))
    for office, (src, *_rest) in OFFICES.items():
        _journal(FIX / "journals" / src, raw / "journals" / f"{office} журнал консультаций{Path(src).suffix}")
    shutil.copytree(FIX / "events" / "participants", raw / "events" / "participants", dirs_exist_ok=True)
    shutil.copy(FIX / "report_2021" / "events_register.csv", raw / "events" / "register.csv")
    offices = {"offices": [{"id": o, "ru": f"Кабинет {o}", "kk": f"{o} кабинеті", "region": region, "city": {"ru": city, "kk": city},
                            "opened": "2021-04-01"} for o, (_, region, city) in OFFICES.items()]}
    (config / "offices.yaml").write_text(yaml.safe_dump(offices, allow_unicode=True), encoding="utf-8")
    (config / "indicators.yaml").write_text(yaml.safe_dump(REGISTRY, allow_unicode=True), encoding="utf-8")
    headers = config / "journal_headers.yaml"
    text = headers.read_text(encoding="utf-8")
    text = text.replace('    date: ["Дата",', '    date: ["Дата приёма", "Дата",').replace('    outcome: ["Результат",', '    outcome: ["Результат приёма", "Результат",')
    headers.write_text(text, encoding="utf-8")
    params_file = out / "params.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    params["project"] = ORG
    params["data_label"] = "demo"  # synthetic data: the documented demo salt, and the reports say so
    params["cleaning"]["pii_salt"] = "demo-salt-of-another-organisation"
    params["cleaning"]["survey_format"] = "csv"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return params_file


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("org") / "kelisim"
    params = build_project(out)
    assert main(["validate", "--params", str(params)]) == 0
    proc = subprocess.run([sys.executable, "-m", "helpers", "run", "--params", str(params)], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


def test__other_organisation__offices_kobo_and_registry_as_configured(org):
    cons = pl.read_parquet(org / "processed" / "core_journal__consultations.parquet")
    assert sorted(cons["office"].unique()) == sorted(OFFICES)
    record = json.loads((org / "processed" / "figures.json").read_text(encoding="utf-8"))
    figs = record.get("figures", record)
    assert figs["plan.n_indicators"]["value"] == 4 and not [k for k in figs if k.startswith("reported.")]
    pop = pl.read_parquet(org / "processed" / "core_survey__population.parquet")
    assert pop.filter(pl.col("form_lang") == "ru").height > 20  # the Kobo export read


@pytest.mark.parametrize("report", ["analytic_report", "grant_report"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__other_organisation__reports_name_it_and_nothing_of_the_demo_organisation(org, report, lang):
    text = " ".join(BeautifulSoup((org / "reports" / f"{report}.{lang}.html").read_text(encoding="utf-8"), "html.parser")
                    .get_text(" ").split())
    assert ORG[f"grantee_{lang}"] in text
    demo = yaml.safe_load((paths.CONFIG / "params" / "demo.yaml").read_text(encoding="utf-8"))["project"]
    for key, value in demo.items():
        assert str(value) not in text, key
    assert not re.search(r"«?МИР»|ЦПГИ|АБҚО|9\s950\s000", text)
