"""Regenerating the demo data gives byte-identical files (xlsx included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import paths
from helpers.demo import generate_demo, generate_fixture

RAW = paths.ROOT / "data" / "raw"
REGISTER = RAW / "report_2021" / "events_register.csv"


def _files(root: Path, subs: tuple[str, ...]) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for s in subs for p in sorted((root / s).rglob("*")) if p.is_file()}


@pytest.mark.skipif(not (RAW / "surveys").exists(), reason="no bundled demo data")
def test__generate_demo__byte_identical_to_bundled(tmp_path):
    generate_demo(out=tmp_path, register_csv=REGISTER)
    subs = ("surveys", "journals", "events")
    new, old = _files(tmp_path, subs), _files(RAW, subs)
    assert sorted(new) == sorted(old)
    differ = [k for k in new if new[k] != old[k]]
    assert differ == []


def test__generate_fixture__byte_identical_to_committed(tmp_path):
    generate_fixture(out=tmp_path, register_csv=REGISTER)
    subs = ("surveys", "journals", "events", "report_2021")
    new, old = _files(tmp_path, subs), _files(paths.TESTS / "fixtures" / "raw", subs)
    assert sorted(new) == sorted(old)
    assert [k for k in new if new[k] != old[k]] == []
