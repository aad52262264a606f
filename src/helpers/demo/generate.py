"""Write the bundled demo data set (``data/raw``) or the small test fixture (``tests/fixtures/raw``).

Same seed → byte-identical files. Every file is SYNTHETIC; ``data/raw/README.md`` says how it
was made and which distributions were invented.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.clean.codebook import load_codebooks
from helpers.clean.regions import load_regions
from helpers.clean.regions import lookup as region_lookup
from helpers.config_files import read_yaml
from helpers.demo import journals as J
from helpers.demo import surveys as S
from helpers.demo.common import rng
from helpers.demo.writers import write_csv, write_xlsx

SEED = 2021
#: invented sample sizes of VALID responses per export (ru, kk): the report gives none.
DEMO_SIZES = {"population": (550, 450), "courts_mediators": (140, 110), "nonprof": (110, 90), "barriers": (165, 135)}
FIXTURE_SIZES = {"population": (70, 49), "courts_mediators": (45, 35), "nonprof": (40, 30), "barriers": (45, 35)}
#: exports saved again by someone in Excel: (survey, lang) → (encoding, delimiter) of the CSV.
CSV_QUIRKS = {("barriers", "ru"): ("cp1251", ";"), ("nonprof", "kk"): ("utf-8-sig", ",")}
FIXTURE_OFFICES = {"KAR": 20, "KOS": 15, "NUR": 18}
FIXTURE_ONLINE = {"NUR": (3, 2)}
FIXTURE_EVENTS = ["RT-02", "TR-03", "TR-09", "TR-11"]
REGISTER = Path("report_2021") / "events_register.csv"


def write_surveys(out: Path, sizes: dict[str, tuple[int, int]], seed: int, config_dir: Path) -> list[Path]:
    """Eight exports × (csv, xlsx)."""
    written = []
    for sid, cb in load_codebooks(config_dir).items():
        frames = S.survey_frames(cb, *sizes[sid], seed=seed)
        for lang, (frame, style) in frames.items():
            enc, sep = CSV_QUIRKS.get((sid, lang), ("utf-8", ","))
            written.append(write_csv(S.to_csv_frame(frame, style), out / "surveys" / f"{sid}_{lang}.csv", encoding=enc, sep=sep))
            written.append(write_xlsx(frame, out / "surveys" / f"{sid}_{lang}.xlsx"))
    return written


def write_journals(out: Path, office_counts: dict, online_counts: dict, n_negative: int, seed: int, config_dir: Path) -> list[Path]:
    """One journal per office in its own template and format."""
    regions = load_regions(config_dir)
    values = read_yaml(config_dir / "journal_values.yaml")
    social = read_yaml(config_dir / "social_categories.yaml")
    df = J.consultations(seed, office_counts, online_counts, n_negative)
    written = []
    for office in office_counts:
        r = rng(seed, "journal", office)
        fmt, enc, sep = J.OFFICE_FORMAT.get(office, ("xlsx", None, None))
        frame = J.journal_frame(df[df["office"] == office], office, regions, values, social, r, fmt)
        name = f"{office}_journal_2021.{fmt}"
        if fmt == "xlsx":
            written.append(write_xlsx(frame, out / "journals" / name, sheet="Журнал", date_format="dd.mm.yyyy"))
        else:
            written.append(write_csv(frame, out / "journals" / name, encoding=enc, sep=sep))
    return written


def write_participants(out: Path, register_csv: Path, seed: int, config_dir: Path, only: list[str] | None = None, cap: int | None = None) -> list[Path]:
    """One participant list per event: round tables as csv (Excel, BOM), trainings as xlsx."""
    regions = load_regions(config_dir)
    values = read_yaml(config_dir / "journal_values.yaml")
    social = read_yaml(config_dir / "social_categories.yaml")
    events = J.event_table(pd.read_csv(register_csv, dtype=str))
    if only:
        events = events[events["event_id"].isin(only)].reset_index(drop=True)
    if cap:
        events = events.assign(n=events["n"].clip(upper=cap))
    lists = J.participants(seed, events, regions, region_lookup(regions), values, social)
    written = []
    for eid, frame in lists.items():
        if eid.startswith("RT"):
            written.append(write_csv(frame, out / "events" / "participants" / f"{eid}.csv", encoding="utf-8-sig", sep=";"))
        else:
            written.append(write_xlsx(frame, out / "events" / "participants" / f"{eid}.xlsx", sheet="Участники"))
    return written


def generate_demo(out: Path = paths.ROOT / "data" / "raw", seed: int = SEED, config_dir: Path = paths.CONFIG, register_csv: Path | None = None) -> list[Path]:
    """The bundled demo data: surveys, 17 journals, 18 participant lists (into ``out``)."""
    out = Path(out)
    register_csv = register_csv or (paths.ROOT / "data" / "raw" / REGISTER)
    for sub in ("surveys", "journals", "events"):
        shutil.rmtree(out / sub, ignore_errors=True)
    w = write_surveys(out, DEMO_SIZES, seed, config_dir)
    w += write_journals(out, J.OFFICE_COUNTS, J.ONLINE_COUNTS, J.N_NEGATIVE, seed, config_dir)
    w += write_participants(out, register_csv, seed, config_dir)
    return w


def generate_fixture(out: Path = paths.TESTS / "fixtures" / "raw", seed: int = SEED, config_dir: Path = paths.CONFIG, register_csv: Path | None = None) -> list[Path]:
    """The small fixture set: same layout, ~60–150 rows per export, 3 journals, 4 short participant lists,
    and a copy of the transcribed 2021 report tables (``report_2021/``)."""
    out = Path(out)
    register_csv = register_csv or (paths.ROOT / "data" / "raw" / REGISTER)
    for sub in ("surveys", "journals", "events", "report_2021"):
        shutil.rmtree(out / sub, ignore_errors=True)
    # the transcriptions of the 2021 report (register, indicators, budget, …) are the same for the fixture
    shutil.copytree(register_csv.parent, out / "report_2021")
    w = write_surveys(out, FIXTURE_SIZES, seed, config_dir)
    w += write_journals(out, FIXTURE_OFFICES, FIXTURE_ONLINE, 1, seed, config_dir)
    w += write_participants(out, register_csv, seed, config_dir, only=FIXTURE_EVENTS)
    return w + sorted((out / "report_2021").iterdir())
