"""No personal data in data/processed: no name from the raw files, no phone number, no e-mail,
no 12-digit number (IIN). Run after the cleaning notebooks; ``PROCESSED_DIR`` / ``RAW_DIR``
point it elsewhere (the unit tests run it on the fixture)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import paths
from helpers.clean import handtyped, read
from helpers.clean.reference import load_reference

PHONE = re.compile(r"(?<!\d)(?<!\d[.,])(?:\+7|8)[\s(-]*7\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IIN = re.compile(r"(?<!\d)(?<!\d[.,])\d{12}(?![\d])")
#: git commit ids and SHA-256 digests (the run manifest): hex, not personal data, but a run of 12
#: digits inside one (commit ...ec588194262520) would read as an IIN
DIGEST = re.compile(r"(?<![0-9a-f])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9a-f])")
NAME_HEADERS = {"ФИО", "ФИО заявителя", "Өтініш берушінің аты-жөні", "ФИО медиатора", "Медиатор", "Медиатордың аты-жөні", "ФИО участника", "Қатысушының аты-жөні"}
TEXT_SUFFIXES = {".csv", ".json", ".md", ".txt", ".html", ".yaml"}


def _expected() -> set[str]:
    """Every header variant of journals and participant lists (how the reader finds their header)."""
    headers = load_reference(paths.CONFIG).headers
    return handtyped.expected_headers(headers["journal"]) | handtyped.expected_headers(headers["participants"])


def raw_names(raw_dir: Path) -> set[str]:
    """Every person's name in the raw journals and participant lists (and trainers of the register)."""
    names: set[str] = set()
    files = list((raw_dir / "journals").glob("*")) + list((raw_dir / "events" / "participants").glob("*"))
    for f in files:
        if f.suffix.lower() not in read.SUPPORTED:
            continue
        df = read.read_table(f, f.name, _expected()).frame
        for c in df.columns:
            if c in NAME_HEADERS:
                names |= {v.strip() for v in df[c].drop_nulls().to_list()}
    reg = raw_dir / "report_2021" / "events_register.csv"
    if reg.exists():
        t = pd.read_csv(reg, dtype=str)["trainer"].dropna()
        names |= set(t.str.split(r"\s+и\s+", regex=True).explode().str.strip())
    return {n for n in names if len(n) >= 5 and not re.match(r"(?i)^(тест|test)", n)}


def texts(processed: Path):
    """(file, text) of every text file and every string column of every parquet file."""
    for f in sorted(processed.rglob("*")):
        if f.suffix == ".parquet":
            df = pd.read_parquet(f)
            for c in df.columns:
                if df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
                    yield f"{f.name}:{c}", "\n".join(df[c].dropna().astype(str).unique())
        elif f.suffix in TEXT_SUFFIXES:
            yield f.name, f.read_text(encoding="utf-8", errors="replace")


def find_personal_data(processed: Path, raw_dir: Path) -> list[str]:
    """Every hit: ``where: what``."""
    names = raw_names(raw_dir)
    name_re = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None
    hits = []
    for where, text in texts(processed):
        text = DIGEST.sub("<digest>", text)
        for label, rx in (("phone", PHONE), ("e-mail", EMAIL), ("12-digit number", IIN)):
            m = rx.search(text)
            if m:
                hits.append(f"{where}: {label} {m.group(0)!r}")
        if name_re is not None:
            m = name_re.search(text)
            if m:
                hits.append(f"{where}: name {m.group(0)!r}")
    return hits


def test__no_personal_data_in_processed():
    processed = Path(os.environ.get("PROCESSED_DIR", paths.ROOT / "data" / "processed"))
    raw_dir = Path(os.environ.get("RAW_DIR", paths.ROOT / "data" / "raw"))
    if not any(processed.glob("core_*.parquet")):
        pytest.skip(f"no clean tables in {processed}: run the cleaning notebooks first")
    assert find_personal_data(processed, raw_dir) == []


def test__scanner_finds_planted_personal_data(tmp_path):
    raw = paths.TESTS / "fixtures" / "raw"
    name = sorted(raw_names(raw))[0]
    (tmp_path / "leak.csv").write_text(f"a,b\n{name},+7 701 123 45 67\nx@y.kz,900101300123\n", encoding="utf-8")
    hits = find_personal_data(tmp_path, raw)
    assert {h.split(": ")[1].split(" ")[0] for h in hits} == {"phone", "e-mail", "12-digit", "name"}


def test__scanner_skips_digests_not_numbers(tmp_path):
    raw = paths.TESTS / "fixtures" / "raw"
    (tmp_path / "manifest.json").write_text('{"commit": "a57a8b2f0881ad46b5f421f870ec588194262520"}', encoding="utf-8")
    assert find_personal_data(tmp_path, raw) == []
    (tmp_path / "manifest.json").write_text('{"commit": "a57a8b2f0881ad46b5f421f870ec588194262520", "note": "ИИН 900101300123"}', encoding="utf-8")
    assert find_personal_data(tmp_path, raw) == ["manifest.json: 12-digit number '900101300123'"]
