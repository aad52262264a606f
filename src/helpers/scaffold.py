"""``python -m helpers new DIR``: a project folder for a new wave or another organisation.

It holds a parameters file (``params.yaml``: real data, paths into the folder, no hand-made report, no
published figure), a copy of the configuration to adapt (codebooks, offices, indicator registry,
report texts, value lists; the run's stage graph, the parameter schema and the figure catalogue stay
the workbook's own) and an empty raw-data layout with a README of what goes where. Each copied file
starts with a line saying what to edit in it. Nothing is overwritten: the folder must not exist or be empty.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from helpers import paths
from helpers.config_files import read_yaml

#: what to edit in each copied configuration file (by name, or by folder)
HINTS: dict[str, str] = {
    "codebooks": "one codebook per survey: question texts (and header_aliases of re-worded questions), options and their aliases",
    "offices.yaml": "your offices: id (the start of each journal's file name), ru/kk names, region, city, opening date",
    "indicators.yaml": "your grant's indicators: plan values and how each fact is computed (the audit checks need a hand-made report)",
    "texts": "the report texts: your project's wording; numbers only as {{ figure.id }} placeholders",
    "journal_headers.yaml": "the column headers your journals use (add variants)",
    "journal_values.yaml": "the values your journals use (add variants)",
    "regions.yaml": "only if a region spelling of your data is missing",
    "age_bands.yaml": "the age bands of your donor's form",
    "social_categories.yaml": "the social categories of your donor's form",
    "personal_data.yaml": "words the masker must never take for a name (organisations, places)",
    "headline.yaml": "the headline shares compared with a previous wave (compare.previous): figure ids, their questions, labels",
}
SKIP = ("params", "pipeline.yaml", "figures.yaml")
RAW_README = """# Raw data of this project (read-only: files exactly as downloaded or sent)

- `surveys/` — the survey exports, named `<survey>_<ru|kk>.csv` (or `.xlsx`), one per codebook and language
  (`python -m helpers inspect surveys/<file>` shows how a file maps to the codebooks);
- `journals/` — one consultation journal per office (or several), its file name starting with the office's id
  of `config/offices.yaml` (`KOS_journal.xlsx`, `KOS_журнал май.xlsx`); csv, xlsx, xls or ods;
- `events/register.csv` — the event register (event number, type, date, time, topic, regions, trainer,
  participants, source);
- `events/participants/` — one participant list per event, named by its id (`RT-01.xlsx`, `TR-05.csv`);
- `report/` — only if a hand-made grant report is to be audited: its transcription, then set
  `grant.report_dir: report` in `params.yaml`.
"""


def _hint(path: Path, hint: str) -> None:
    """Put the hint as the first line of a copied text file (a YAML comment or an HTML comment)."""
    text = path.read_text(encoding="utf-8")
    line = f"<!-- Edit for your project: {hint}. -->" if path.suffix == ".md" else f"# Edit for your project: {hint}."
    path.write_text(line + "\n" + text, encoding="utf-8")


def _copy_config(target: Path) -> None:
    target.mkdir(parents=True)
    for item in sorted(paths.CONFIG.iterdir()):
        if item.name in SKIP:
            continue
        dest = target / item.name
        if item.is_dir():
            shutil.copytree(item, dest)
            for f in sorted(dest.rglob("*")):
                if f.is_file() and f.suffix in (".yaml", ".md"):
                    _hint(f, HINTS.get(item.name, "as needed"))
        else:
            shutil.copy2(item, dest)
            _hint(dest, HINTS.get(item.name, "as needed"))


def _shown(path: Path) -> str:
    return path.relative_to(paths.ROOT).as_posix() if path.is_relative_to(paths.ROOT) else path.as_posix()


def _params(folder: Path) -> str:
    data = read_yaml(paths.DEFAULT_PARAMS)
    data["data_label"] = "real"
    data["project"] = {f"{k}_{lang}": f"EDIT: {what} ({lang})" for k, what in
                       (("grantee", "grant recipient"), ("topic", "grant topic"), ("grantor", "grant-giver")) for lang in ("ru", "kk")}
    data["project"]["grant_amount_kzt"] = 0
    data["paths"] = {"raw_dir": _shown(folder / "raw"), "processed_dir": _shown(folder / "processed"),
                     "reports_dir": _shown(folder / "reports"), "config_dir": _shown(folder / "config")}
    data["inputs"] = {"surveys": "surveys", "journals": "journals", "participants": "events/participants",
                      "register": "events/register.csv"}
    data["cleaning"]["pii_salt"] = None
    data["analysis"]["published_ready_pct"] = None
    data["grant"]["report_dir"] = None
    head = ("# Parameters of this project, made by `python -m helpers new`. Edit: project (organisation, topic,\n"
            "# grantor, amount), period, languages. The salt is never written here: export MEDIATION_PII_SALT=...\n"
            "# Check with: python -m helpers validate --params " + _shown(folder / "params.yaml") + "\n")
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def new_project(folder: str | Path) -> list[Path]:
    """Create the project folder; return the files written."""
    folder = Path(folder).resolve()
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder}: not empty (nothing is overwritten)")
    for sub in ("raw/surveys", "raw/journals", "raw/events/participants"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "raw" / "README.md").write_text(RAW_README, encoding="utf-8")
    _copy_config(folder / "config")
    (folder / "params.yaml").write_text(_params(folder), encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())
