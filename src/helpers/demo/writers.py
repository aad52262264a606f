"""Writers that give byte-identical files on every run: CSV as Google Sheets downloads it and
xlsx with fixed document properties and zip timestamps."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

FIXED_TIME = dt.datetime(2021, 11, 26, 12, 0, 0)
_ZIP_TIME = (2021, 11, 26, 12, 0, 0)


def write_csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8", sep: str = ",", lineterminator: str = "\r\n") -> Path:
    """CSV with every cell as text (empty for NA), quoted only where needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.astype(object).where(df.notna(), "").to_csv(index=False, sep=sep, lineterminator=lineterminator)
    path.write_bytes(text.encode(encoding))
    return path


def _deterministic_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2", body)
            zi = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def write_xlsx(
    df: pd.DataFrame,
    path: Path,
    sheet: str = "Ответы на форму (1)",
    date_format: str = "dd.mm.yyyy h:mm:ss",
    title_rows: list[list] | None = None,
    merge: str | None = None,
) -> Path:
    """xlsx with datetime cells for datetime columns; fixed created/modified time and zip stamps.

    ``title_rows`` (written above the header) and ``merge`` (a cell range) only serve the
    malformed-file corpus of the tests.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in title_rows or []:
        ws.append(row)
    ws.append([str(c) for c in df.columns])
    cols = list(df.columns)
    kinds = [pd.api.types.is_datetime64_any_dtype(df[c]) for c in cols]
    values = df.astype(object).where(df.notna(), None).to_numpy()
    for row in values:
        ws.append([(v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for v in row])
    for j, is_dt in enumerate(kinds):
        if is_dt:
            for cell in ws.iter_cols(min_col=j + 1, max_col=j + 1, min_row=2 + len(title_rows or [])):
                for c in cell:
                    c.number_format = date_format
    if merge:
        ws.merge_cells(merge)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "helpers.demo (synthetic demo data)"
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_deterministic_zip(buf.getvalue()))
    return path
