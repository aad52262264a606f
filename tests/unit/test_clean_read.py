"""helpers.clean.read: every case through the public functions, on small files built in tmp_path."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from helpers.clean import CleaningError
from helpers.clean.read import RawTable, discover, header_key, read_table

HEADER = ["Дата", "ФИО", "Пол"]
EXPECTED = {header_key(h) for h in HEADER}


def frame(rows: list[int], data: dict[str, list[str | None]], hidden: list[bool] | None = None) -> pl.DataFrame:
    """The frame read_table should give: source_row, the text columns, hidden."""
    return pl.DataFrame({"source_row": rows, **data, "hidden": hidden or [False] * len(rows)},
                        schema={"source_row": pl.Int64, **dict.fromkeys(data, pl.String), "hidden": pl.Boolean})


def write_xlsx(path: Path, sheets: list[tuple[str, list[list], str]], hidden_rows: tuple[int, ...] = ()) -> Path:
    """Sheets (name, rows, "visible"/"hidden"); ``hidden_rows`` are hidden in the last sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, state in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    wb.active = next(i for i, (_, _, state) in enumerate(sheets) if state == "visible")
    wb.save(path)
    return path


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')


def write_ods(path: Path, sheets: list[tuple[str, list[list], bool]], hidden_rows: tuple[int, ...] = ()) -> Path:
    """A minimal OpenDocument spreadsheet written by hand: sheets (name, rows, hidden?); each row is
    written twice with ``table:number-rows-repeated="2"`` when its first cell is "×2"; rows in
    ``hidden_rows`` (of the last sheet) get ``table:visibility="collapse"``."""
    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'

    tables = []
    for k, (name, rows, hidden) in enumerate(sheets):
        xml = [f'<table:table table:name="{name}"' + (' table:style-name="hidden"' if hidden else "") + ">"]
        for i, row in enumerate(rows, start=1):
            attrs = ' table:visibility="collapse"' if k == len(sheets) - 1 and i in hidden_rows else ""
            if row and row[0] == "×2":
                attrs, row = attrs + ' table:number-rows-repeated="2"', row[1:]
            xml.append(f"<table:table-row{attrs}>" + "".join(cell(v) for v in row) + "</table:table-row>")
        tables.append("".join(xml) + "</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
               '<office:automatic-styles><style:style style:name="hidden" style:family="table">'
               '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return path


# --- header_key, discover --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ФИО", " фио ", "Ф\u200bИО", "ФИ\u00adО", "\ufeffФИО", "ФИО\u2060", "ФИО:", "фио."])
def test__header_key__invisible_characters_case_and_trailing_colon(text):
    assert header_key(text) == "фио"


def test__header_key__yo_and_no_break_space():
    assert header_key("Кол-во\u00a0 учёных") == "кол-во ученых"


def test__discover__supported_files_sorted_and_skipped_files_logged(tmp_path):
    folder = tmp_path / "journals"
    folder.mkdir()
    for name in ["ZKO.xlsx", "AKM.csv", "KOS.ods", "ATY.XLS", "~$AKM.xlsx", ".DS_Store", "Thumbs.db", "desktop.ini", ".~lock.KOS.ods#"]:
        (folder / name).write_bytes(b"")
    files, log = discover(folder, tmp_path)
    assert [p.name for p in files] == ["AKM.csv", "ATY.XLS", "KOS.ods", "ZKO.xlsx"]
    assert log == [
        "skipped journals/.DS_Store: a hidden or system file",
        "skipped journals/.~lock.KOS.ods#: a LibreOffice lock file (the workbook is open somewhere)",
        "skipped journals/Thumbs.db: a hidden or system file",
        "skipped journals/desktop.ini: a hidden or system file",
        "skipped journals/~$AKM.xlsx: an Excel lock file (the workbook is open somewhere)",
    ]


def test__discover__other_file_types_stop_the_run(tmp_path):
    folder = tmp_path / "journals"
    folder.mkdir()
    for name in ["AKM.xlsx", "notes.docx", "KOS.txt"]:
        (folder / name).write_bytes(b"")
    with pytest.raises(CleaningError) as info:
        discover(folder, tmp_path)
    assert str(info.value) == ("journals: file(s) of an unsupported type: journals/KOS.txt, journals/notes.docx; "
                               "supported types: .csv, .xlsx, .xls, .ods (move other files out of the folder)")


def test__discover__missing_folder(tmp_path):
    with pytest.raises(CleaningError, match=r"^journals: input folder not found$"):
        discover(tmp_path / "journals", tmp_path)


# --- csv -------------------------------------------------------------------------------------


def read_csv_bytes(tmp_path: Path, data: bytes) -> RawTable:
    f = tmp_path / "j.csv"
    f.write_bytes(data)
    return read_table(f, "j.csv", EXPECTED)


def test__read_table__csv_cp1251_semicolon_blank_rows(tmp_path):
    """A whitespace-only cell is empty; an empty row between data rows stays (all null), empty rows at the end go."""
    got = read_csv_bytes(tmp_path, "Дата;ФИО;Пол\r\n01.05.2021;Ким Алия;Ж\r\n;;\r\n02.05.2021;  ;М\r\n\r\n;;\r\n".encode("cp1251"))
    assert_frame_equal(got.frame, frame([2, 3, 4], {"Дата": ["01.05.2021", None, "02.05.2021"], "ФИО": ["Ким Алия", None, None], "Пол": ["Ж", None, "М"]}))
    assert (got.sheet, got.header_row, got.log) == (None, 1, ["encoding cp1251", "delimiter ';'"])


def test__read_table__csv_utf8_sig_quoted_line_break_is_one_row(tmp_path):
    got = read_csv_bytes(tmp_path, '\ufeffДата,ФИО,Пол\n01.05.2021,"Ким\nАлия",Ж\n02.05.2021,"Омаров, Ерлан",М\n'.encode("utf-8"))
    assert_frame_equal(got.frame, frame([2, 3], {"Дата": ["01.05.2021", "02.05.2021"], "ФИО": ["Ким\nАлия", "Омаров, Ерлан"], "Пол": ["Ж", "М"]}))
    assert got.log == ["encoding utf-8-sig", "delimiter ','"]


def test__read_table__csv_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path):
    got = read_csv_bytes(tmp_path, "sep=;\r\nДата;ФИО, имя;Пол\r\n01.05.2021;Ким, Алия;Ж\r\n".encode("utf-8"))
    assert_frame_equal(got.frame, frame([2], {"Дата": ["01.05.2021"], "ФИО, имя": ["Ким, Алия"], "Пол": ["Ж"]}))
    assert (got.header_row, got.log) == (1, ["encoding utf-8", "delimiter ';' (from the sep= first line, which is not a row)"])


def test__read_table__csv_title_rows_above_the_header(tmp_path):
    got = read_csv_bytes(tmp_path, "Журнал консультаций, Костанай;;\r\n;;\r\n Дата ;ФИО;Пол\r\n01.05.2021;Ким Алия;Ж\r\n".encode("utf-8"))
    assert_frame_equal(got.frame, frame([4], {"Дата": ["01.05.2021"], "ФИО": ["Ким Алия"], "Пол": ["Ж"]}))
    assert (got.header_row, got.log) == (3, ["encoding utf-8", "delimiter ';'", "2 row(s) above the header skipped (title rows)"])


def test__read_table__csv_trailing_empty_columns_dropped(tmp_path):
    got = read_csv_bytes(tmp_path, "Дата;ФИО;Пол;;\r\n01.05.2021;Ким Алия;Ж;;\r\n".encode("utf-8"))
    assert_frame_equal(got.frame, frame([2], {"Дата": ["01.05.2021"], "ФИО": ["Ким Алия"], "Пол": ["Ж"]}))
    assert got.log[-1] == "2 empty trailing column(s) dropped (no header, no values)"


def test__read_table__csv_no_expected_header_falls_back_to_the_first_row(tmp_path):
    """The caller then names the unknown headers (as with the old reader)."""
    got = read_csv_bytes(tmp_path, "a;b\r\n1;2\r\n".encode("utf-8"))
    assert_frame_equal(got.frame, frame([2], {"a": ["1"], "b": ["2"]}))


@pytest.mark.parametrize("line, cells", [("02.05.2021;Омаров;М;лишняя", 4), ("02.05.2021;Омаров", 2)])
def test__read_table__csv_ragged_row(tmp_path, line, cells):
    data = f"Дата;ФИО;Пол\r\n01.05.2021;Ким;Ж\r\n\r\n{line}\r\n03.05.2021;Ли;Ж\r\n".encode("utf-8")
    with pytest.raises(CleaningError) as info:
        read_csv_bytes(tmp_path, data)
    assert str(info.value) == f"j.csv: row 4: {cells} cells but the header has 3 (and 0 more such rows) — delimiter ';'"


def test__read_table__csv_utf16(tmp_path):
    with pytest.raises(CleaningError) as info:
        read_csv_bytes(tmp_path, "Дата,ФИО,Пол\r\n".encode("utf-16"))
    assert str(info.value) == "j.csv: wrong encoding: looks like UTF-16 or a binary file (NUL bytes); save it as CSV UTF-8"


def test__read_table__csv_koi8(tmp_path):
    with pytest.raises(CleaningError) as info:
        read_csv_bytes(tmp_path, "Дата консультации,ФИО заявителя,Пол\r\n01.05.2021,Ким Алия,Женский\r\n".encode("koi8-r"))
    assert str(info.value) == "j.csv: wrong encoding: neither UTF-8 nor cp1251 (looks like koi8_r); save it as CSV UTF-8"


def test__read_table__csv_a_cp1251_word_after_the_first_megabyte(tmp_path):
    rows = "".join(f"01.05.2021;Kim {i};F\r\n" for i in range(60_000))  # ≈ 1.4 MB of ASCII
    got = read_csv_bytes(tmp_path, b"Data;FIO;Pol\r\n" + rows.encode() + "01.06.2021;Ли;Ж\r\n".encode("cp1251"))
    assert got.frame.height == 60_001 and got.frame.row(-1) == (60_002, "01.06.2021", "Ли", "Ж", False)
    assert got.log[0] == "encoding cp1251"


def test__read_table__csv_empty_and_header_only(tmp_path):
    with pytest.raises(CleaningError, match=r"^j\.csv: empty file \(0 bytes or only whitespace\)$"):
        read_csv_bytes(tmp_path, b" \r\n")
    with pytest.raises(CleaningError, match=r"^j\.csv: row 2: no data rows \(header only\)$"):
        read_csv_bytes(tmp_path, "Дата,ФИО,Пол\r\n,,\r\n".encode())


def test__read_table__csv_duplicated_header(tmp_path):
    with pytest.raises(CleaningError) as info:
        read_csv_bytes(tmp_path, "Дата,ФИО,Пол,ФИО\r\n1,2,3,4\r\n".encode())
    assert str(info.value) == "j.csv: row 1: duplicated column header(s): 'ФИО' (columns 2, 4)"


# --- xlsx --------------------------------------------------------------------------------------


JOURNAL = [HEADER, [dt.datetime(2021, 5, 1), "Ким Алия", "Ж"], ["02.05.2021", "Омаров Ерлан", "М"]]
JOURNAL_FRAME = {"Дата": ["2021-05-01 00:00:00", "02.05.2021"], "ФИО": ["Ким Алия", "Омаров Ерлан"], "Пол": ["Ж", "М"]}


def test__read_table__xlsx_hidden_first_sheet_is_not_read(tmp_path):
    old = [HEADER, ["01.01.2020", "Старая копия", "М"]]
    f = write_xlsx(tmp_path / "j.xlsx", [("Копия", old, "hidden"), ("Журнал", JOURNAL, "visible")])
    got = read_table(f, "j.xlsx", EXPECTED)
    assert_frame_equal(got.frame, frame([2, 3], JOURNAL_FRAME))
    assert (got.sheet, got.header_row, got.log) == ("Журнал", 1, ["sheet 'Журнал': header in row 1", "sheet 'Копия' skipped: hidden"])


def test__read_table__xlsx_the_only_matching_sheet_is_hidden(tmp_path):
    f = write_xlsx(tmp_path / "j.xlsx", [("Лист1", [["пусто"]], "visible"), ("Журнал", JOURNAL, "hidden")])
    with pytest.raises(CleaningError) as info:
        read_table(f, "j.xlsx", EXPECTED)
    assert str(info.value) == "j.xlsx: the sheet with the expected header, 'Журнал', is hidden — unhide it (or delete it if it is an old copy)"


def test__read_table__xlsx_instruction_sheet_first_and_two_title_rows(tmp_path):
    instruction = [["Как заполнять журнал"], ["Дата — дата консультации, ФИО — полностью"]]
    titled = [["Журнал консультаций"], ["Костанайская область", None, "2021"], *JOURNAL]
    f = write_xlsx(tmp_path / "j.xlsx", [("Инструкция", instruction, "visible"), ("Журнал", titled, "visible")])
    got = read_table(f, "j.xlsx", EXPECTED)
    assert_frame_equal(got.frame, frame([4, 5], JOURNAL_FRAME))
    assert (got.header_row, got.log) == (3, ["sheet 'Журнал': header in row 3; 2 row(s) above it skipped (title rows)",
                                             "sheet 'Инструкция' skipped: no expected header"])


def test__read_table__xlsx_hidden_rows_are_flagged_not_dropped(tmp_path):
    rows = [*JOURNAL, ["03.05.2021", "Ли Ирина", "Ж"]]
    f = write_xlsx(tmp_path / "j.xlsx", [("Журнал", rows, "visible")], hidden_rows=(3,))
    got = read_table(f, "j.xlsx", EXPECTED)
    assert got.frame.select("source_row", "hidden").rows() == [(2, False), (3, True), (4, False)]


def test__read_table__xlsx_cells_as_text_and_trailing_empty_columns(tmp_path):
    rows = [[*HEADER, " ", None], [dt.datetime(2021, 5, 1, 9, 30), 2.0, 2.5, None, None], [dt.date(2021, 5, 2), 17, True, None, None]]
    f = write_xlsx(tmp_path / "j.xlsx", [("Журнал", rows, "visible")])
    got = read_table(f, "j.xlsx", EXPECTED)
    assert_frame_equal(got.frame, frame([2, 3], {"Дата": ["2021-05-01 09:30:00", "2021-05-02 00:00:00"], "ФИО": ["2", "17"], "Пол": ["2.5", "True"]}))
    assert got.log[-1] == "1 empty trailing column(s) dropped (no header, no values)"


def test__read_table__xlsx_two_matching_sheets(tmp_path):
    f = write_xlsx(tmp_path / "j.xlsx", [("2021", JOURNAL, "visible"), ("Лист2", [["Итоги"], *JOURNAL], "visible")])
    with pytest.raises(CleaningError) as info:
        read_table(f, "j.xlsx", EXPECTED)
    assert str(info.value) == "j.xlsx: several sheets have the expected header: '2021' (row 1), 'Лист2' (row 2) — keep the journal on one sheet"


def test__read_table__xlsx_no_matching_sheet(tmp_path):
    f = write_xlsx(tmp_path / "j.xlsx", [("Инструкция", [[None], ["Как заполнять", "журнал"]], "visible"), ("Лист2", [], "visible")])
    with pytest.raises(CleaningError) as info:
        read_table(f, "j.xlsx", EXPECTED)
    assert str(info.value) == ("j.xlsx: no sheet has the expected header in its first 20 rows "
                               "('Инструкция': row 2 'Как заполнять | журнал'; 'Лист2': empty)")


def test__read_table__xlsx_empty_header_cell_above_values(tmp_path):
    rows = [["Дата", None, "ФИО", "Пол"], ["01.05.2021", None, "Ким Алия", "Ж"], ["02.05.2021", "x", "Ли", "Ж"]]
    f = write_xlsx(tmp_path / "j.xlsx", [("Журнал", rows, "visible")])
    with pytest.raises(CleaningError) as info:
        read_table(f, "j.xlsx", EXPECTED)
    assert str(info.value) == "j.xlsx: row 1, column 2: empty header cell above values (first in row 3) — merged header cells, or a column without a name?"


def test__read_table__not_a_workbook(tmp_path):
    f = tmp_path / "j.xlsx"
    f.write_bytes(b"this is not a zip file\n")
    with pytest.raises(CleaningError, match=r"^j\.xlsx: cannot be read as xlsx: "):
        read_table(f, "j.xlsx", EXPECTED)


def test__read_table__unsupported_suffix(tmp_path):
    with pytest.raises(CleaningError, match=r"^j\.txt: unsupported file type '\.txt' \(supported: \.csv, \.xlsx, \.xls, \.ods\)$"):
        read_table(tmp_path / "j.txt", "j.txt", EXPECTED)


# --- ods, xls ----------------------------------------------------------------------------------


def test__read_table__ods_hidden_sheet_title_row_repeated_and_hidden_rows(tmp_path):
    rows = [["Журнал 2021"], HEADER, ["×2", "01.05.2021", "Ким Алия", "Ж"], ["02.05.2021", "Омаров Ерлан", 3]]
    f = write_ods(tmp_path / "j.ods", [("Копия", [HEADER, ["x", "y", "z"]], True), ("Журнал", rows, False)], hidden_rows=(3,))
    got = read_table(f, "j.ods", EXPECTED)
    want = {"Дата": ["01.05.2021", "01.05.2021", "02.05.2021"], "ФИО": ["Ким Алия", "Ким Алия", "Омаров Ерлан"], "Пол": ["Ж", "Ж", "3"]}
    assert_frame_equal(got.frame, frame([3, 4, 5], want, hidden=[True, True, False]))
    assert (got.sheet, got.header_row) == ("Журнал", 2) and "sheet 'Копия' skipped: hidden" in got.log


def test__read_table__xls_hidden_sheet_skipped_hidden_rows_flagged(tmp_path):
    import xlwt  # pinned (test-only): writes a real BIFF .xls

    wb = xlwt.Workbook()
    old = wb.add_sheet("Копия")
    old.write(0, 0, "Дата")
    old.write(0, 1, "ФИО")
    old.visibility = 1
    ws = wb.add_sheet("Журнал")
    for i, row in enumerate([HEADER, ["01.05.2021", "Ким Алия", 1.0], ["02.05.2021", "Омаров Ерлан", 2.0]]):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    ws.row(1).hidden = True  # the first data row (row 2 as Excel shows it)
    wb.active_sheet = 1
    wb.save(str(tmp_path / "j.xls"))
    got = read_table(tmp_path / "j.xls", "j.xls", EXPECTED)
    want = {"Дата": ["01.05.2021", "02.05.2021"], "ФИО": ["Ким Алия", "Омаров Ерлан"], "Пол": ["1", "2"]}
    assert_frame_equal(got.frame, frame([2, 3], want, hidden=[True, False]))
    assert (got.sheet, got.header_row) == ("Журнал", 1) and "sheet 'Копия' skipped: hidden" in got.log
