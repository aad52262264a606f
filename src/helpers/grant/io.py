"""Writing the grant stage's tables deterministically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_out(df: pd.DataFrame, path: str | Path, sort_by: list[str]) -> Path:
    """Write a parquet table sorted by ``sort_by``, index dropped (two runs give identical bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.sort_values(sort_by, kind="stable").reset_index(drop=True).to_parquet(path, index=False)
    return path


def read_optional(path: str | Path) -> pd.DataFrame | None:
    """A table an optional input makes (e.g. ``core_report__*`` of a hand-made report), or None without it."""
    path = Path(path)
    return pd.read_parquet(path) if path.exists() else None
