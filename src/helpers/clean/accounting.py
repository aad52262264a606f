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
from helpers.clean.rules import ACCOUNTING_COLUMNS, REJECTED_COLUMNS
from helpers.figures import locked


def write_rejected(processed_dir: Path, source_file: str, rejected: pd.DataFrame) -> Path | None:
    """Write (or remove, when empty) the rejected rows of one source file (``surveys/population_ru.xlsx`` →
    ``rejected/surveys/population_ru.csv``)."""
    path = Path(processed_dir) / "rejected" / Path(source_file).with_suffix(".csv")
    if rejected.empty:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(rejected[list(REJECTED_COLUMNS)].sort_values(["source_row", "rule"]), path)


def update_accounting(processed_dir: Path, rows: Iterable[dict], owned_prefixes: Iterable[str]) -> pd.DataFrame:
    """Replace this stage's rows (``source_file`` under ``owned_prefixes``) in ``row_accounting.csv``."""
    path = Path(processed_dir) / "row_accounting.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):  # the two cleaning stages may run side by side
        new = pd.DataFrame(list(rows), columns=list(ACCOUNTING_COLUMNS))
        if path.exists():
            old = pd.read_csv(path, dtype={"source_file": "str"})
            new = pd.concat([old.loc[~old["source_file"].str.startswith(tuple(owned_prefixes))], new], ignore_index=True)
        new = new.sort_values("source_file").reset_index(drop=True).astype(dict.fromkeys(ACCOUNTING_COLUMNS[1:], "int64"))
        bad = new.loc[new["rows_in"] != new["rows_kept"] + new["rows_rejected"] + new["rows_duplicate"]]
        if len(bad):
            raise CleaningError(f"row accounting does not balance for: {bad['source_file'].tolist()}")
        write_csv(new, path)
    return new
