"""Row accounting: for every input file, ``rows_in = rows_kept + rows_rejected + rows_duplicate``.

Rejected and duplicate rows go to ``rejected/<source_file without extension>.csv`` with the rule,
a human-readable reason, the column and the (masked) value. Each stage replaces only its own
rows of ``row_accounting.csv`` (the files under the raw folders it owns).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from helpers.clean import CleaningError
from helpers.clean.csv_safety import write_csv
from helpers.figures import locked

ACCOUNTING_COLUMNS = ["source_file", "rows_in", "rows_kept", "rows_rejected", "rows_duplicate"]
REJECTED_COLUMNS = ["source_row", "rule", "reason", "column", "value"]
DUPLICATE_RULES_PREFIX = "duplicate"


def rejected_path(processed_dir: Path, source_file: str) -> Path:
    """``rejected/<source_file without extension>.csv``, e.g. ``rejected/surveys/population_ru.csv``."""
    return Path(processed_dir) / "rejected" / Path(source_file).with_suffix(".csv")


def write_rejected(processed_dir: Path, source_file: str, rejected: pd.DataFrame) -> Path | None:
    """Write (or remove, when empty) the rejected rows of one source file."""
    path = rejected_path(processed_dir, source_file)
    if rejected.empty:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(rejected[REJECTED_COLUMNS].sort_values(["source_row", "rule"]), path)


def update_accounting(processed_dir: Path, rows: Iterable[dict], owned_prefixes: Iterable[str]) -> pd.DataFrame:
    """Replace this stage's rows (``source_file`` under ``owned_prefixes``) in ``row_accounting.csv``."""
    path = Path(processed_dir) / "row_accounting.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):  # the two cleaning stages may run side by side
        new = pd.DataFrame(list(rows), columns=ACCOUNTING_COLUMNS)
        prefixes = tuple(owned_prefixes)
        if path.exists():
            old = pd.read_csv(path, dtype={"source_file": "str"})
            old = old.loc[~old["source_file"].str.startswith(prefixes)]
            new = pd.concat([old, new], ignore_index=True)
        new = new.sort_values("source_file").reset_index(drop=True)
        for c in ACCOUNTING_COLUMNS[1:]:
            new[c] = new[c].astype("int64")
        bad = new.loc[new["rows_in"] != new["rows_kept"] + new["rows_rejected"] + new["rows_duplicate"]]
        if len(bad):
            raise CleaningError(f"row accounting does not balance for: {bad['source_file'].tolist()}")
        write_csv(new, path)
    # stale rejected files of this stage's sources that no longer have rejected rows
    return new
