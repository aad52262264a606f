"""The run manifest (``reports/manifest.json``): commit, parameters, inputs, versions, timings.

This is the only place with timestamps: ``data/processed`` and ``figures.json`` stay
byte-identical between runs on the same inputs.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from helpers import paths
from helpers.params import Params

PACKAGES = (
    "jupyterlab", "papermill", "pandas", "numpy", "seaborn", "matplotlib", "statsmodels", "scipy",
    "nbconvert", "nbval", "pyarrow", "openpyxl", "python-calamine", "pandera", "weasyprint", "pyyaml",
)


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def count_rows(path: Path) -> int | None:
    """Data rows of a table file (header excluded): csv/tsv records, first sheet of xlsx; else None."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            text = _decode(path.read_bytes())
            if not text.strip():
                return 0
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if suffix != ".tsv" else csv.excel_tab
            rows = sum(1 for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row))
            return max(rows - 1, 0)
        if suffix == ".xlsx":
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            rows = sum(1 for row in sheet if any(str(c).strip() for c in row))
            return max(rows - 1, 0)
    except Exception:  # a malformed input is the cleaning stage's to report, not the manifest's
        return None
    return None


def inputs(raw_dir: Path) -> list[dict[str, Any]]:
    """Every file under ``raw_dir`` with its sha256 and row count, sorted by path."""
    out = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        out.append({
            "file": path.relative_to(raw_dir).as_posix(),
            "bytes": path.stat().st_size,
            "sha256": sha256(path),
            "rows": count_rows(path),
        })
    return out


def git_commit() -> dict[str, Any]:
    """The commit the run used, and whether the work tree had uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, check=True).stdout.strip()

    try:
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (subprocess.CalledProcessError, FileNotFoundError):
        return {"commit": None, "dirty": None}


def versions() -> dict[str, str | None]:
    """Installed versions of the packages that shape the results."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def build(P: Params, *, started: dt.datetime, finished: dt.datetime, timings: list[dict[str, Any]],
          outputs: list[str]) -> dict[str, Any]:
    """The manifest as a dict."""
    return {
        "git": git_commit(),
        "params_file": P.source,
        "overrides": P.overrides,
        "params": P.flat() | {"cleaning.pii_salt": "(hidden)"},
        "inputs": inputs(P.path("raw_dir")),
        "versions": versions(),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 2),
        "steps": timings,
        "outputs": sorted(outputs),
    }


def write(manifest: dict[str, Any], path: Path) -> Path:
    """Write the manifest as pretty JSON."""
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
