"""Reading workbooks (xlsx, xls, ods: python-calamine) into the text frames of :mod:`helpers.clean.read`.

The sheet is the one visible sheet whose first rows hold the expected header (a hidden sheet is
never read silently; several matching sheets are an error naming them); rows above the header are
title rows. Date cells read as ``2021-04-02 00:00:00``, whole numbers without ``.0``. Hidden rows,
which calamine does not report, come from the sheet's XML (xlsx), ``content.xml`` (ods) or the
row records xlrd reads (xls).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import polars as pl
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from helpers.clean import CleaningError
from helpers.clean.read import SCAN_ROWS, RawTable, find_header, frame_under

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def read_workbook(path: Path, name: str, expected: frozenset[str]) -> RawTable:
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - any reader failure is a file problem
        raise CleaningError(f"{name}: cannot be read as {path.suffix.lower().lstrip('.')}: {exc}") from exc
    sheet, h, log = _choose_sheet(_scan(wb, expected), name)
    rows = _cells(wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
    finder = {".xlsx": _hidden_rows_xlsx, ".ods": _hidden_rows_ods, ".xls": _hidden_rows_xls}[path.suffix.lower()]
    schema = [(f"c{j}", pl.String) for j in range(len(rows[h]))]
    frame, more = frame_under(rows[h], pl.DataFrame(rows[h + 1:], schema=schema, orient="row"), h + 1,
                              finder(path, sheet, len(rows)), name)
    return RawTable(frame, sheet, h + 1, log + more)


def _cell_text(v: object) -> str | None:
    """A calamine cell as text (dates and datetimes ``%Y-%m-%d %H:%M:%S``, as the old reader)."""
    if v is None or v == "":
        return None
    if isinstance(v, dt.date):  # datetime too
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _cells(rows: list[list[object]]) -> list[list[str | None]]:
    return [[_cell_text(v) for v in r] for r in rows]


@dataclass(frozen=True)
class _Sheet:
    name: str
    visible: bool
    header: int | None  # index of the header row in ``head``
    head: list[list[str | None]]


def _scan(wb: CalamineWorkbook, expected: frozenset[str]) -> list[_Sheet]:
    """Every worksheet's first rows and where its header is."""
    out = []
    for meta in (m for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet):
        head = _cells(wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False, nrows=SCAN_ROWS))
        out.append(_Sheet(meta.name, meta.visible == SheetVisibleEnum.Visible, find_header(head, expected), head))
    return out


def _choose_sheet(sheets: list[_Sheet], name: str) -> tuple[str, int, list[str]]:
    """The single visible sheet with the header: (sheet, header index, log lines)."""
    visible = [s for s in sheets if s.visible and s.header is not None]
    hidden = [s for s in sheets if not s.visible and s.header is not None]
    if len(visible) > 1:
        where = ", ".join(f"{s.name!r} (row {s.header + 1})" for s in visible)
        raise CleaningError(f"{name}: several sheets have the expected header: {where} — keep the journal on one sheet")
    if hidden and not visible:
        raise CleaningError(f"{name}: the sheet with the expected header, {hidden[0].name!r}, is hidden — "
                            "unhide it (or delete it if it is an old copy)")
    if not visible:
        listing = "; ".join(f"{s.name!r}: {_first_filled(s.head)}" for s in sheets) or "no worksheet"
        raise CleaningError(f"{name}: no sheet has the expected header in its first {SCAN_ROWS} rows ({listing})")
    s = visible[0]
    log = [f"sheet {s.name!r}: header in row {s.header + 1}"
           + (f"; {s.header} row(s) above it skipped (title rows)" if s.header else "")]
    log += [f"sheet {o.name!r} skipped: " + ("no expected header" if o.visible else "hidden") for o in sheets if o is not s]
    return s.name, s.header, log


def _first_filled(rows: list[list[str | None]]) -> str:
    filled = [(i, " | ".join(c for c in r if c and c.strip())) for i, r in enumerate(rows)]
    i, text = next(((i, t) for i, t in filled if t), (None, ""))
    return "empty" if i is None else f"row {i + 1} {text if len(text) <= 80 else text[:80] + '…'!r}"


def _hidden_rows_xlsx(path: Path, sheet: str, height: int) -> set[int]:
    """The (1-based) rows of ``sheet`` marked ``hidden`` in its worksheet XML (found through the workbook's relationships)."""
    with zipfile.ZipFile(path) as z:
        ids = {s.get("name"): s.get(f"{_REL}id") for s in ElementTree.fromstring(z.read("xl/workbook.xml")).iter(f"{_XLSX}sheet")}
        rels = {r.get("Id"): r.get("Target") for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        target = rels[ids[sheet]]
        hidden = set()
        with z.open(target.lstrip("/") if target.startswith("/") else f"xl/{target}") as f:
            for _, el in ElementTree.iterparse(f):
                if el.tag == f"{_XLSX}row":
                    if el.get("hidden") in ("1", "true") and int(el.get("r")) <= height:
                        hidden.add(int(el.get("r")))
                    el.clear()
    return hidden


def _hidden_rows_ods(path: Path, sheet: str, height: int) -> set[int]:
    """Rows of ``sheet`` whose ``table:visibility`` is collapse or filter (``number-rows-repeated`` counted)."""
    hidden, row, inside = set(), 1, False
    with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
        for event, el in ElementTree.iterparse(f, events=("start", "end")):
            if el.tag == f"{_TABLE}table" and el.get(f"{_TABLE}name") == sheet:
                if event == "end":
                    break
                inside = True
            elif inside and event == "start" and el.tag == f"{_TABLE}table-row":
                n = int(el.get(f"{_TABLE}number-rows-repeated", "1"))
                if el.get(f"{_TABLE}visibility", "visible") != "visible":
                    hidden.update(range(row, min(row + n, height + 1)))
                row += n
            elif event == "end" and not inside:
                el.clear()
    return hidden


def _hidden_rows_xls(path: Path, sheet: str, height: int) -> set[int]:
    """The (1-based) rows of ``sheet`` whose row record is hidden (xlrd, with the formatting it reads)."""
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True, logfile=io.StringIO())  # its warnings are not ours
    return {r + 1 for r, info in book.sheet_by_name(sheet).rowinfo_map.items() if info.hidden and r < height}
