"""The canary test of issue 17 («Bad input», «Nothing leaked»): names, phones, IINs and e-mails planted
in every kind of cell and free text of every source of the fixture (:mod:`canary`), the whole
workbook run on them, and every file the run writes scanned for them — every column of every
parquet table, every CSV (rejected rows too), the HTML and the PDFs' text, the executed notebooks,
the manifest, the logs — and what the run printed. A second run, stopped by unknown labels that
carry a name and a phone, must show neither in its message, its log or its notebooks.

Messages name a canary by its id, with digits and canary words masked (:func:`canary.scan.masked`).
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

import canary
from canary.plant import REJECT, Planted, plant
from canary.scan import Hit, find, masked, scan
from conftest import run_fixture
from helpers import paths

RAW = paths.TESTS / "fixtures" / "raw"
SOURCES = {"surveys": "surveys/", "journals": "journals/", "participant lists": "events/participants/",
           "event register": "report_2021/events_register"}
ALL = {c.id for c in canary.CANARIES}

Run = tuple[Path, list[Planted], subprocess.CompletedProcess]


def _run(tmp: Path, failing: bool) -> Run:
    planted = plant(RAW, tmp / "raw", failing=failing)
    return tmp, planted, run_fixture(tmp, "--set", f"paths.raw_dir={tmp / 'raw'}")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, list[Planted]]:
    """The planted inputs of the failing run (labels too), without a run."""
    raw = tmp_path_factory.mktemp("canary_planted") / "raw"
    return raw, plant(RAW, raw, failing=True)


@pytest.fixture(scope="module")
def success(tmp_path_factory) -> Run:
    return _run(tmp_path_factory.mktemp("canary"), failing=False)


@pytest.fixture(scope="module")
def failure(tmp_path_factory) -> Run:
    return _run(tmp_path_factory.mktemp("canary_failing"), failing=True)


def _source(file: str) -> str:
    return next(s for s, prefix in SOURCES.items() if file.startswith(prefix))


def _leaks(run: Run) -> list[Hit]:
    """Every canary in the files the run wrote (all but the planted inputs) and in what it printed."""
    tmp, _, proc = run
    return scan(tmp, skip=tmp / "raw") + find(proc.stdout, "stdout") + find(proc.stderr, "stderr")


def _report(hits: list[Hit]) -> str:
    return f"personal data leaked ({len(hits)} finds):\n" + "\n".join(map(str, hits))


def _printed(proc: subprocess.CompletedProcess) -> str:
    return masked(proc.stdout[-2000:] + proc.stderr[-3000:])


def test__canary__planted_in_every_kind_of_cell_of_every_source(planted):
    _, log = planted
    roles: dict[str, set[str]] = defaultdict(set)
    found: dict[str, set[str]] = defaultdict(set)
    for p in log:
        roles[_source(p.file)].add(p.role)
        found[_source(p.file)] |= set(p.canaries)
    assert roles == {"surveys": {"timestamp", "email", "number", "other", "label"},
                     "journals": {"row_no", "date", "name", "phone", "number", "comment", "label"},
                     "participant lists": {"row_no", "name", "phone", "email", "number", "comment", "label"},
                     "event register": {"date", "comment", "regions", "trainer", "participants", "label"}}
    for source, ids in found.items():
        assert ids == ALL, f"{source}: not planted: {sorted(ALL - ids)}"


def test__canary__scanner_finds_every_canary_in_the_planted_inputs(planted):
    raw, _ = planted
    hits = scan(raw)
    for source, prefix in SOURCES.items():
        missed = ALL - {h.canary for h in hits if h.where.startswith(f"raw/{prefix}")}
        assert not missed, f"{source}: the scanner does not see {sorted(missed)}"


def test__canary__scanner_finds_nothing_in_the_fixture_as_it_is():
    assert scan(RAW) == [], "a canary matches the fixture's own data: it cannot tell a leak"


@pytest.mark.parametrize("text, found", [
    ("Канареечкину Берику Ахметовичу", "name_ru"), ("СЕРІКҚЫЗЫНА", "name_kk"), ("KANAREECHKIN", "name_latin"),
    ("тел. 8 (701) 318-42-96", "phone_dots"), ("8 701\n318 42 96", "phone_dots"), ("＋７ ７１０２ ７３４５６７", "phone_city"),
    ("880412-300-123", "iin_plain"), ("Kanareyka@Mail.Ru", "email_plain"), ("sinitsa.b@mail.ru", "email_spaced"),
])
def test__canary__scanner_finds_a_canary_respelt(text, found):
    assert [h.canary for h in find(text, "x")] == [found]


def test__canary__scanner_shows_no_canary_in_its_report():
    hits = find(" ".join(c.text for c in canary.CANARIES), "x")
    assert {h.canary for h in hits} == ALL
    assert find(_report(hits), "report") == []


def test__canary__every_planted_row_reaches_the_outputs(success):
    """The planted rows were read: each rejected one is in its rejected/ file, each other one in its core table."""
    tmp, planted, proc = success
    assert proc.returncode == 0, _printed(proc)
    processed = tmp / "processed"
    tables = [f for f in processed.glob("core_*.parquet") if not f.name.startswith("core_report__")]  # the transcription: no rows of a source
    core = pd.concat([pd.read_parquet(f, columns=["source_file", "source_row"]) for f in tables])
    kept = set(zip(core["source_file"], core["source_row"]))
    missing = []
    for p in planted:
        if p.role in REJECT:
            rejected = pd.read_csv(processed / "rejected" / Path(p.file).with_suffix(".csv"), dtype=str)
            ok = str(p.row) in set(rejected["source_row"])
        else:
            ok = (p.file, p.row) in kept
        if not ok:
            missing.append(f"{p.file} row {p.row} ({p.role})")
    assert not missing, "planted rows neither kept nor rejected as planted: " + "; ".join(missing)


def test__canary__nothing_leaks_from_a_successful_run(success):
    tmp, _, proc = success
    assert proc.returncode == 0, _printed(proc)
    assert any((tmp / "processed" / "rejected").rglob("*.csv")) and any((tmp / "reports").glob("*.pdf"))
    hits = _leaks(success)
    assert not hits, _report(hits)


def test__canary__a_run_stopped_by_labels_carrying_names_shows_none(failure):
    tmp, planted, proc = failure
    assert any(p.role == "label" for p in planted)
    assert proc.returncode == 1 and "UnknownLabelError" in proc.stderr and "[name] [phone]" in proc.stderr, _printed(proc)
    assert any((tmp / "reports.failed" / "review").glob("*.ipynb"))
    hits = _leaks(failure)
    assert not hits, _report(hits)
