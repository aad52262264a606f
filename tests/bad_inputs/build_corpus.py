"""Rebuild the malformed-file corpus: ``.venv/bin/python tests/bad_inputs/build_corpus.py``.

Each file breaks one thing, as an office or a respondent really produces it; tests/test_bad_inputs.py
says what the cleaning must do with it. The first cases (and the journal and participant cases) come
from the small fixture set (``tests/fixtures/raw``); the survey and reader cases of issue 17 from the
demo exports (``data/raw/surveys``): a seeded sample of rows that break no rule, then written as a
spreadsheet program, an office or a respondent would (openpyxl, xlwt, a hand-written ODS, csv in
other encodings and layouts); the journal, participant-list and register cases of issue 17
(:func:`build_journals`) from the fixture's KOS journal, RT-02 list and event register the same way,
a folder where several files must be read together. Every run gives byte-identical files (fixed document properties and
zip timestamps; no clock, no unseeded randomness).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import xlwt
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.styles import Border, Side

from helpers.demo.writers import FIXED_TIME, _deterministic_zip, write_csv, write_xlsx

HERE = Path(__file__).resolve().parent
FIX = HERE.parent / "fixtures" / "raw"
DEMO = HERE.parents[1] / "data" / "raw" / "surveys"
SEED = 17
N = 12  # rows of each sampled export

# headers of the population export (ru; kk below)
TS, EMAIL, REGION, SEX, AGE = "Отметка времени", "Адрес электронной почты", "Ваш регион", "Ваш пол", "Ваш возраст (полных лет)"
AWARE, READY = "Слышали ли Вы о медиации?", "Готовы ли Вы использовать внесудебные способы урегулирования правовых споров?"
INFO = "Откуда Вы получаете информацию о медиации?"
TS_KK, AGE_KK = "Уақыт белгісі", "Жасыңыз (толық жыл)"
INFO_KK = "Медиация туралы ақпаратты қайдан аласыз?"
SHEET = "Ответы на форму (1)"  # the sheet of a Google Forms xlsx download
NOT_SHOWN = "########"  # what Excel shows (and a copy keeps) of a date in a column too narrow for it


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(FIX / name, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None, engine="python")


# --- the demo sample ----------------------------------------------------------------------------


def _sample(name: str, ts: str, email: str | None, age: str, rng: random.Random,
            when: Callable[[pd.Series], pd.Series] | None = None) -> pd.DataFrame:
    """:data:`N` rows of a demo export that break no rule, in file order: a timestamp, an e-mail used
    once and not a test one (when the form asks for it), an age in 13–100, no «тест» answer, answers
    that no other row repeats; ``when`` (on the timestamps) narrows the choice."""
    df = pd.read_csv(DEMO / name, dtype=str, keep_default_na=False, encoding="utf-8")
    at = pd.to_datetime(df[ts], format="%d.%m.%Y %H:%M:%S", errors="coerce")
    mail = df[email].str.strip().str.lower() if email else pd.Series("", index=df.index)
    answers = df.drop(columns=[ts, *([email] if email else [])])
    test = answers.apply(lambda c: c.str.strip().str.lower().isin(["тест", "test", "сынақ"])).any(axis=1)
    ok = (at.notna() & ~(mail.duplicated(keep=False) & mail.ne("")) & ~mail.str.startswith("test") & ~test
          & pd.to_numeric(df[age], errors="coerce").between(13, 100) & ~answers.duplicated(keep=False))
    if when is not None:
        ok &= when(at)
    return df.loc[sorted(rng.sample(list(df.index[ok]), N))].reset_index(drop=True)


def _times(df: pd.DataFrame, ts: str = TS) -> list[dt.datetime]:
    return [dt.datetime.strptime(v, "%d.%m.%Y %H:%M:%S") for v in df[ts]]


def _ru(t: dt.datetime) -> str:
    """As Google Forms writes a timestamp in a ru/kk export: ``14.05.2021 4:35:50``."""
    return f"{t:%d.%m.%Y} {t.hour}:{t:%M:%S}"


def _en_us(t: dt.datetime, ampm: bool = False) -> str:
    """As an en-US locale writes it: ``5/14/2021 16:35:50`` (Google) or ``5/14/2021 4:35:50 PM`` (Excel)."""
    if not ampm:
        return f"{t.month}/{t.day}/{t.year} {t.hour}:{t:%M:%S}"
    return f"{t.month}/{t.day}/{t.year} {t.hour % 12 or 12}:{t:%M:%S} {'PM' if t.hour >= 12 else 'AM'}"


def _serial(t: dt.datetime) -> float:
    """Excel's serial number of a timestamp (1900 date system)."""
    return (t - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1)


def _stamped(df: pd.DataFrame, fmt: Callable[[dt.datetime], object], ts: str = TS, header: str | None = None) -> pd.DataFrame:
    """``df`` with its timestamps rewritten by ``fmt`` (and the column renamed to ``header``)."""
    out = df.copy()
    out[ts] = [fmt(t) for t in _times(df, ts)]
    return out.rename(columns={ts: header}) if header else out


def _rows(df: pd.DataFrame, ts: str = TS, age: str = AGE) -> list[list]:
    """Header and rows as a spreadsheet holds them: timestamps as dates, ages as numbers."""
    at = _times(df, ts)
    body = [[at[i] if c == ts else int(v) if c == age else (v or None) for c, v in row.items()] for i, row in df.iterrows()]
    return [list(df.columns), *body]


# --- writers (byte-identical on every run) --------------------------------------------------------


def _text(df: pd.DataFrame, sep: str = ",") -> str:
    return df.to_csv(index=False, sep=sep, lineterminator="\r\n")


def _xlsx(path: Path, sheets: Sequence[tuple[str, list[list], str]], hidden_rows: Sequence[int] = (),
          touch: Callable[[Workbook], None] | None = None) -> None:
    """Sheets ``(name, rows, "visible"/"hidden")``; ``hidden_rows`` (as numbered in Excel) hidden in
    the last sheet; ``touch`` edits the workbook before it is saved."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows, state in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    wb.active = next(i for i, (_, _, state) in enumerate(sheets) if state == "visible")
    if touch:
        touch(wb)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "tests/bad_inputs/build_corpus.py"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_deterministic_zip(buf.getvalue()))


def _xls(path: Path, sheets: Sequence[tuple[str, list[list], str]], hidden_rows: Sequence[int] = ()) -> None:
    """A real BIFF8 ``.xls`` (xlwt, as Excel 97–2003 saves it); timestamps as date cells;
    ``hidden_rows`` (as numbered in Excel) hidden in the last sheet."""
    wb = xlwt.Workbook(encoding="utf-8")
    stamp = xlwt.easyxf(num_format_str="DD.MM.YYYY h:mm:ss")
    for name, rows, state in sheets:
        ws = wb.add_sheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, dt.datetime):
                    ws.write(i, j, v, stamp)
                elif v is not None:
                    ws.write(i, j, v)
        ws.visibility = int(state == "hidden")
    for r in hidden_rows:
        ws.row(r - 1).hidden = True
    wb.active_sheet = next(i for i, (_, _, state) in enumerate(sheets) if state == "visible")
    wb.save(str(path))


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')
_ZIP_TIME = (2021, 11, 26, 12, 0, 0)


def _ods(path: Path, sheets: Sequence[tuple[str, list[list], str]], hidden_rows: Sequence[int] = ()) -> None:
    """A minimal OpenDocument spreadsheet written by hand (as LibreOffice saves one: dates as date
    cells, numbers as floats); ``hidden_rows`` of the last sheet get ``table:visibility="collapse"``."""
    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, dt.datetime):
            return (f'<table:table-cell office:value-type="date" office:date-value="{v:%Y-%m-%dT%H:%M:%S}">'
                    f"<text:p>{_ru(v)}</text:p></table:table-cell>")
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'

    tables = []
    for k, (name, rows, state) in enumerate(sheets):
        xml = [f'<table:table table:name="{escape(name)}"' + (' table:style-name="hidden"' if state == "hidden" else "") + ">"]
        for i, row in enumerate(rows, start=1):
            attrs = ' table:visibility="collapse"' if k == len(sheets) - 1 and i in hidden_rows else ""
            xml.append(f"<table:table-row{attrs}>" + "".join(cell(v) for v in row) + "</table:table-row>")
        tables.append("".join(xml) + "</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
               '<office:automatic-styles><style:style style:name="hidden" style:family="table">'
               '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        for name, body, how in [("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
                                ("content.xml", content, zipfile.ZIP_DEFLATED), ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = how
            info.external_attr = 0o600 << 16
            z.writestr(info, body)


def _pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF (what "print the responses" gives), ASCII text, written by hand."""
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({t}) '" for t in lines) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"]
    out, offsets = "%PDF-1.4\n", []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")


def _lock(user: str) -> bytes:
    """Excel's owner file ``~$name.xlsx`` (165 bytes: the user's name, once in ANSI, once in UTF-16)."""
    ansi = bytes([len(user)]) + user.encode("ascii").ljust(53, b" ")
    wide = struct.pack("<H", len(user)) + (user + " " * (54 - len(user))).encode("utf-16-le")
    return (ansi + wide).ljust(165, b" ")


# --- the survey and reader cases (issue 17) -------------------------------------------------------


def build_surveys(out: Path) -> None:
    """The survey exports and folder contents of issue 17 (see the module docstring)."""
    rng = random.Random(SEED)
    pop = _sample("population_ru.csv", TS, EMAIL, AGE, rng)
    # days 1–12 only, never day == month: a file that says nothing of its order, where a swap shows
    low = _sample("population_ru.csv", TS, EMAIL, AGE, rng, when=lambda at: (at.dt.day <= 12) & (at.dt.day != at.dt.month))
    kk = _sample("population_kk.csv", TS_KK, None, AGE_KK, rng)  # the kk form asks no e-mail
    at = _times(pop)
    assert any(t.day > 12 for t in at), "the control sample needs a day above 12"

    def csv(df: pd.DataFrame, name: str, **kw) -> None:
        write_csv(df, out / name, **kw)

    def edited(df: pd.DataFrame = pop, **cells: dict[int, str]) -> pd.DataFrame:
        """A copy with cells replaced: ``edited(age={3: "сорок"})`` (column keys: see ``cols``)."""
        cols = {"ts": TS, "email": EMAIL, "region": REGION, "sex": SEX, "age": AGE, "aware": AWARE, "ready": READY,
                "info": INFO}
        df = df.copy()
        for key, values in cells.items():
            for i, v in values.items():
                df.loc[i, cols[key]] = v
        return df

    def other(i: int, text: str, df: pd.DataFrame = pop, column: str = INFO) -> pd.DataFrame:
        """Row ``i`` ticks its options and writes ``text`` in «Другое» (Google joins them with ", ")."""
        df = df.copy()
        df.loc[i, column] = f"{df.loc[i, column]}, {text}" if df.loc[i, column] else text
        return df

    # the control: the sample as Google Forms downloads it (the other formats must read the same)
    csv(pop, "population_ru__control_as_downloaded.csv")

    # --- workbooks: sheets, title rows, hidden rows, xls, ods --------------------------------------
    rows = _rows(pop)
    old_copy = rows[:7]  # the first six answers, an earlier download kept in the file
    _xlsx(out / "population_ru__hidden_old_copy_first.xlsx", [(f"Копия {SHEET}", old_copy, "hidden"), (SHEET, rows, "visible")])
    instruction = [["Инструкция по заполнению"], ["1. Не меняйте заголовки столбцов и порядок листов."],
                   ["2. Одна строка — одна анкета; пустые строки не оставляйте."], ["3. Файл сохраняйте как .xlsx."]]
    _xlsx(out / "population_ru__instruction_sheet_first.xlsx", [("Инструкция", instruction, "visible"), ("Анкеты", rows, "visible")])
    title = [["Анкета «Заинтересованность граждан в досудебном урегулировании споров»"],
             ["Выгрузка ответов на 26.11.2021, Костанайский филиал"]]
    _xlsx(out / "population_ru__two_title_rows.xlsx", [(SHEET, title + rows, "visible")])
    _xlsx(out / "population_ru__hidden_rows.xlsx", [(SHEET, rows, "visible")], hidden_rows=(4, 9))
    _ods(out / "population_ru__hidden_rows.ods", [(SHEET, rows, "visible")], hidden_rows=(6,))
    _xlsx(out / "population_ru__two_visible_sheets.xlsx", [(SHEET, rows, "visible"), (f"{SHEET} испр", rows[:1] + rows[5:], "visible")])
    summary = [["Сводка"], ["Всего анкет", N], ["Из них на русском", N]]
    _xlsx(out / "population_ru__only_hidden_sheet_matches.xlsx", [("Сводка", summary, "visible"), (SHEET, rows, "hidden")])
    _xls(out / "population_ru__export.xls", [(SHEET, rows, "visible")])
    _xls(out / "population_ru__hidden_old_copy_first.xls", [(f"Копия {SHEET}", old_copy, "hidden"), (SHEET, rows, "visible")])
    _ods(out / "population_ru__export.ods", [(SHEET, rows, "visible")])
    _ods(out / "population_ru__hidden_old_copy_first.ods", [(f"Копия {SHEET}", old_copy, "hidden"), (SHEET, rows, "visible")])
    _xls(out / "population_ru__hidden_rows.xls", [(SHEET, rows, "visible")], hidden_rows=(4, 9))

    def mac_1904(wb: Workbook) -> None:  # Excel for Mac's 1904 date system: the cells' numbers count from 1904
        wb.epoch = CALENDAR_MAC_1904
    _xlsx(out / "population_ru__mac_1904_dates.xlsx", [(SHEET, rows, "visible")], touch=mac_1904)
    _xlsx(out / "population_ru__header_only.xlsx", [(SHEET, rows[:1], "visible")])
    _xlsx(out / "population_ru__empty_sheet_only.xlsx", [("Лист1", [], "visible")])

    def borders(wb: Workbook) -> None:  # a table "prepared" for 40 answers: empty bordered rows and columns
        line = Side(style="thin")
        for r in range(len(rows) + 1, 42):
            for c in range(1, len(rows[0]) + 4):
                wb.active.cell(r, c).border = Border(left=line, right=line, top=line, bottom=line)
    _xlsx(out / "population_ru__formatted_empty_rows.xlsx", [(SHEET, rows, "visible")], touch=borders)

    # --- csv as Excel and other programs save it -------------------------------------------------
    (out / "population_ru__sep_semicolon.csv").write_bytes(("sep=;\r\n" + _text(pop, ";")).encode("utf-8"))
    (out / "population_ru__trailing_empty_columns.csv").write_bytes(
        "".join(line + ",,,\r\n" for line in _text(pop).splitlines()).encode("utf-8"))
    csv(pop, "population_ru__cp1251_semicolon.csv", encoding="cp1251", sep=";")
    csv(pop, "population_ru__utf8_bom.csv", encoding="utf-8-sig")
    csv(pop, "population_ru__tab_separated.csv", sep="\t")
    (out / "population_ru__trailing_empty_rows.csv").write_bytes(
        (_text(pop, ";") + (";" * (len(pop.columns) - 1) + "\r\n") * 5).encode("utf-8"))
    lines = [";".join([t[0]] + [""] * (len(pop.columns) - 1)) for t in title]
    (out / "population_ru__two_title_rows.csv").write_bytes(("\r\n".join(lines) + "\r\n" + _text(pop, ";")).encode("utf-8"))
    csv(other(3, "Из лекции в университете.\nПотом читала сама"), "population_ru__line_break_in_other.csv")

    # --- timestamps --------------------------------------------------------------------------------
    csv(_stamped(pop, lambda t: _en_us(t, ampm=True), header="Timestamp"), "population_ru__ampm_en_us.csv")
    csv(_stamped(pop, lambda t: _ru(t).replace(f" {t.hour}:", f" {t.hour % 12 or 12}:") + (" ПП" if t.hour >= 12 else " ДП")),
        "population_ru__ampm_ru_dp_pp.csv")
    noon = {1: at[1].replace(hour=0, minute=15), 4: at[4].replace(hour=12, minute=5)}  # 12:15 AM and 12:05 PM
    csv(pop.assign(**{TS: [_en_us(noon.get(i, t), ampm=True) for i, t in enumerate(at)]}).rename(columns={TS: "Timestamp"}),
        "population_ru__ampm_midnight_noon.csv")
    serial_rows = [rows[0]] + [[_serial(r[0]), *r[1:]] for r in rows[1:]]
    _xlsx(out / "population_ru__excel_serial.xlsx", [(SHEET, serial_rows, "visible")])
    csv(_stamped(pop, lambda t: f"{_serial(t):.15g}".replace(".", ",")), "population_ru__excel_serial_text.csv", sep=";")
    csv(_stamped(low, _en_us, header="Timestamp"), "population_ru__month_first_low_days.csv")
    csv(_stamped(low, lambda t: f"{t:%d/%m/%Y %H:%M:%S}"), "population_ru__day_first_slashes.csv")
    half = N // 2  # an en-US colleague's download pasted under the ru rows
    assert any(t.day > 12 for t in at[:half]) and any(t.day > 12 for t in at[half:]), "both halves need a day above 12"
    csv(_stamped(pop, lambda t: _ru(t) if t < at[half] else _en_us(t)), "population_ru__mixed_date_orders.csv")
    csv(edited(ts={5: f"30.12.1899 {at[5]:%H:%M:%S}"}), "population_ru__timestamp_1899.csv")
    csv(edited(ts={7: _ru(at[7].replace(year=2031))}), "population_ru__timestamp_2031.csv")
    # the period ends 25.11.2021, cleaning.fieldwork_margin_days is 7: 30.11 is in, 03.12 out
    csv(edited(ts={10: "30.11.2021 9:12:00", 11: "03.12.2021 9:12:00"}), "population_ru__submitted_after_fieldwork.csv")
    csv(edited(ts={i: NOT_SHOWN for i in range(0, 12, 2)}), "population_ru__half_timestamps_not_shown.csv")
    csv(edited(ts={**{i: NOT_SHOWN for i in range(6)}, 6: _ru(at[6].replace(year=2031))}, age={7: "сорок"}),
        "population_ru__most_timestamps_not_shown.csv")

    # --- text: invisible characters, other digits, look-alike letters ---------------------------------
    def pasted(i: int, label: str) -> str:  # a BOM or word joiner before, NBSP for a space, a soft hyphen, a zero-width space after
        return ("\ufeff" if i % 3 == 0 else "\u2060") + label.replace(" ", "\u00a0", 1).replace("а", "\u00adа", 1) + "\u200b"
    inv = pop.copy()
    for c in (REGION, SEX, AWARE, READY, INFO):
        inv[c] = [pasted(i, v) if v else v for i, v in enumerate(inv[c])]
    csv(inv, "population_ru__invisible_characters_in_labels.csv")
    csv(pop.rename(columns={c: c.replace(" ", "\u00a0", 2) + "\u200b" for c in pop.columns}), "population_ru__invisible_characters_in_header.csv")
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    csv(edited(age={i: pop.loc[i, AGE].translate(fullwidth) for i in range(0, N, 2)}), "population_ru__fullwidth_digits_age.csv")
    arabic, persian = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"), str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    csv(edited(age={i: pop.loc[i, AGE].translate(arabic if i % 2 else persian) for i in range(1, N, 3)}),
        "population_ru__arabic_indic_digits_age.csv")
    latin = str.maketrans("аеорсх", "aeopcx")
    csv(edited(region={i: pop.loc[i, REGION].translate(latin) for i in (1, 4)}, sex={i: pop.loc[i, SEX].translate(latin) for i in (2, 8)}),
        "population_ru__latin_lookalike_letters.csv")

    # --- numbers ---------------------------------------------------------------------------------------
    for value, name in [("2.5", "2_5"), ("NaN", "nan"), ("inf", "inf"), ("1e9", "1e9")]:
        csv(edited(age={4: value}), f"population_ru__age_{name}.csv")
    csv(edited(age={9: '=HYPERLINK("http://x","y")'}), "population_ru__age_formula.csv")
    csv(edited(age={2: "35, тел. 8 701 234 56 78"}), "population_ru__age_with_phone.csv")

    # --- personal data in «Другое» and in a label no codebook lists ------------------------------------
    for name, text in [("phone_dots", "звоните 8.701.234.56.78"), ("phone_city_code", "тел. +7 (7102) 73-45-67"),
                       ("phone_uzbek", "родственники в Ташкенте +998 90 123 45 67"), ("iin_spaced", "мой ИИН 880412 300123"),
                       ("email_spaced_at", "пишите aigerim.s @ mail.ru"), ("email_at_word", "пишите aigerim.s(at)mail.ru"),
                       ("person_name", "рассказала соседка Сейтказиева Айгерим Болатовна"),
                       ("person_name_latin", "рассказала Aigerim Seitkazieva")]:
        csv(other(6, text), f"population_ru__other_{name}.csv")
    csv(other(3, "көршім Айгүл Серікқызы айтып берді", kk, INFO_KK), "population_kk__other_person_name.csv")
    csv(edited(region={8: "Иванова Марина 87012345678"}), "population_ru__unknown_label_name_phone.csv")

    # --- row rules ---------------------------------------------------------------------------------------
    csv(edited(info={10: "ТЕСТ"}), "population_ru__test_submission_caps.csv")
    kk_test = kk.copy()
    kk_test.loc[0, INFO_KK] = "сынақ"
    csv(kk_test, "population_kk__test_submission_synaq.csv")
    csv(edited(email={9: "  " + pop.loc[3, EMAIL].upper() + " "}), "population_ru__duplicate_email_case_spaces.csv")
    again = pop.iloc[[4]].assign(**{TS: _ru(at[4] + dt.timedelta(minutes=3))})
    twice = pd.concat([pop.iloc[:5], again, pop.iloc[5:]], ignore_index=True).drop(columns=[EMAIL])
    csv(twice, "population_ru__double_submission_no_email.csv")
    later = pop.iloc[[4]].assign(**{TS: _ru(at[4] + dt.timedelta(hours=30))})
    next_day = pd.concat([pop, later], ignore_index=True).assign(**{EMAIL: ""})
    csv(next_day.sort_values(TS, key=lambda s: pd.to_datetime(s, format="%d.%m.%Y %H:%M:%S"), kind="stable"),
        "population_ru__same_answers_next_day.csv")
    blank = pd.DataFrame([[""] * len(pop.columns)], columns=pop.columns)
    csv(pd.concat([pop.iloc[:6], blank, pop.iloc[6:]], ignore_index=True), "population_ru__blank_row_between.csv")

    # --- what else lands in the surveys folder -------------------------------------------------------------
    (out / "~$population_ru.xlsx").write_bytes(_lock("Office-KOS"))
    (out / ".~lock.population_ru.ods#").write_bytes(
        ",Office-KOS,OFFICE-KOS-PC,26.11.2021 12:00,file:///C:/Users/office/AppData/Roaming/LibreOffice/4;".encode("utf-8"))
    (out / "desktop.ini").write_bytes("[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-112\r\n".encode("utf-8"))
    (out / "population_ru__notes.txt").write_bytes("Выгрузка из Google Forms 26.11.2021, ответы на русском.\r\n".encode("utf-8"))
    (out / "population_ru__printout.pdf").write_bytes(_pdf(["Google Forms: responses", "population_ru, 26.11.2021"]))


# --- the journal, participant-list and register cases (issue 17) ------------------------------------

J_NO, J_DATE, J_NAME, J_REGION, J_PARTIES, J_AGE = "№ п/п", "Дата консультации", "ФИО", "Область", "Количество сторон", "Возраст"
#: the Kazakh template's headers (config/journal_headers.yaml), column by column
J_KK = {J_NO: "Р/с", J_DATE: "Кеңес берілген күн", J_NAME: "Өтініш берушінің аты-жөні", "Контактный телефон": "Байланыс телефоны",
        J_REGION: "Облыс", "Форма": "Кеңес беру нысаны", "Категория спора": "Дау санаты", J_PARTIES: "Тараптар саны",
        "ФИО медиатора": "Медиатордың аты-жөні", "Итог консультации": "Нәтижесі", "Оценка заявителя": "Бағалау", "Пол": "Жынысы",
        J_AGE: "Жасы", "Соц. категория": "Әлеуметтік санаты", "Примечание": "Ескерту"}
J_SHEET = "Журнал"


def _journal() -> pd.DataFrame:
    """Ten rows of the fixture's KOS journal that break no rule (the line without a name left out),
    numbered 1–10, every date written ``dd.mm.yyyy``."""
    df = pd.read_csv(FIX / "journals" / "KOS_journal_2021.csv", dtype=str, keep_default_na=False, encoding="cp1251", sep=";")
    df = df[df[J_NAME] != ""].head(10).reset_index(drop=True)
    return df.assign(**{J_NO: [str(i) for i in range(1, 11)], J_DATE: [f"{d:%d.%m.%Y}" for d in _jdates(df)]})


def _jdates(df: pd.DataFrame) -> list[dt.datetime]:
    return [dt.datetime.strptime(v, "%d.%m.%Y" if len(v) == 10 else "%d.%m.%y") for v in df[J_DATE]]


def _jrows(df: pd.DataFrame, date: Callable[[dt.datetime], object] = lambda d: d) -> list[list]:
    """Header and rows as a spreadsheet holds a journal: dates as ``date`` gives them (date cells by
    default), the row number, parties and age as numbers."""
    at = _jdates(df)
    numbers = (J_NO, J_PARTIES, J_AGE)
    body = [[date(at[i]) if c == J_DATE else int(v) if c in numbers and v.isdigit() else (v or None) for c, v in row.items()]
            for i, row in df.iterrows()]
    return [list(df.columns), *body]


def _totals(header: list, first: str, column: str, rows: list[list]) -> list:
    """A totals line: ``first`` in ``column``, the parties summed under their header."""
    line = [None] * len(header)
    line[header.index(column)] = first
    k = header.index(J_PARTIES) if J_PARTIES in header else header.index(J_KK[J_PARTIES])
    line[k] = sum(r[k] for r in rows)
    return line


def build_journals(out: Path) -> None:
    """Journals, participant lists and the register as offices send them (issue 17): formats, sheets,
    totals lines, counts, dates, file names, offices, and records that stand in two files."""
    jour = _journal()
    rows = _jrows(jour)
    head, body = rows[0], rows[1:]

    def csv(df: pd.DataFrame, name: str, **kw) -> None:
        write_csv(df, out / name, **({"encoding": "cp1251", "sep": ";"} | kw))  # as the office's Excel saves it

    def edited(**cells: dict[int, str]) -> pd.DataFrame:
        cols = {"date": J_DATE, "parties": J_PARTIES, "age": J_AGE}
        df = jour.copy()
        for key, values in cells.items():
            for i, v in values.items():
                df.loc[i, cols[key]] = v
        return df

    # the control, as the fixture's office writes it; the formats below must give its clean table
    csv(jour, "KOS_journal__control.csv")
    _xls(out / "KOS_journal__export.xls", [(J_SHEET, rows, "visible")])
    _ods(out / "KOS_journal__export.ods", [(J_SHEET, rows, "visible")])
    title = [["Журнал учёта консультаций кабинета медиации г. Костанай"], ["за апрель – октябрь 2021 года"]]
    _xlsx(out / "KOS_journal__two_title_rows.xlsx", [(J_SHEET, title + rows, "visible")])
    instruction = [["Инструкция по ведению журнала"], ["1. Каждая консультация — одна строка."],
                   ["2. Дату пишите в формате ДД.ММ.ГГГГ."], ["3. Итоговые строки не добавляйте."]]
    _xlsx(out / "KOS_journal__instruction_sheet_first.xlsx", [("Инструкция", instruction, "visible"), (J_SHEET, rows, "visible")])
    _xlsx(out / "KOS_journal__hidden_old_copy_first.xlsx", [("Журнал (старый)", rows[:6], "hidden"), (J_SHEET, rows, "visible")])
    _xlsx(out / "KOS_журнал октябрь.xlsx", [(J_SHEET, rows, "visible")])
    _xlsx(out / "SEM_журнал 2021.xlsx", [(J_SHEET, [head, *([*r[:4], "ВКО", *r[5:]] for r in body)], "visible")])

    # totals lines: a monthly «Итого» after April and «Всего» at the end; «Барлығы» in a Kazakh template
    april = [r for r, d in zip(body, _jdates(jour)) if d.month == 4]
    monthly = [head, *april, _totals(head, "Итого за апрель:", J_NO, april), *body[len(april):], _totals(head, "Всего:", J_NO, body)]
    _xlsx(out / "KOS_journal__totals_rows.xlsx", [(J_SHEET, monthly, "visible")])
    kk_head = [J_KK[c] for c in head]
    _ods(out / "KOS_journal__kk_totals_barlygy.ods",
         [("Журнал", [kk_head, *body, _totals(kk_head, "Барлығы", J_KK[J_NAME], body)], "visible")])

    # party counts that are no whole number of parties, and full-width digits that are
    k = head.index(J_PARTIES)  # a number cell of 2.5 (a formula's result pasted as a value)
    _xlsx(out / "KOS_journal__parties_2_5.xlsx", [(J_SHEET, [head, *body[:3], [*body[3][:k], 2.5, *body[3][k + 1:]], *body[4:]], "visible")])
    for value, name in [("NaN", "nan"), ("inf", "inf"), ("1e9", "1e9")]:
        csv(edited(parties={5: value}), f"KOS_journal__parties_{name}.csv")
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    csv(edited(parties={i: jour.loc[i, J_PARTIES].translate(fullwidth) for i in range(0, 10, 2)},
               age={i: jour.loc[i, J_AGE].translate(fullwidth) for i in range(1, 10, 3)}),
        "KOS_journal__parties_fullwidth_digits.csv", encoding="utf-8", sep=";")

    # dates: an English-locale export, two orders in one file, serial numbers in a column formatted "General"
    at = _jdates(jour)
    csv(jour.assign(**{J_DATE: [f"{d.month}/{d.day}/{d.year}" for d in at]}), "KOS_journal__dates_en_us.csv", encoding="utf-8-sig", sep=",")
    csv(jour.assign(**{J_DATE: [f"{d:%d.%m.%Y}" if i < 5 else f"{d.month}/{d.day}/{d.year}" for i, d in enumerate(at)]}),
        "KOS_journal__mixed_date_orders.csv")
    _xlsx(out / "KOS_journal__excel_serial_dates.xlsx", [(J_SHEET, _jrows(jour, lambda d: int(_serial(d))), "visible")])

    # every row lost: dates shown as ######## (a column too narrow, copied), one of last year, one count 2,5
    csv(edited(date={**{i: NOT_SHOWN for i in range(8)}, 8: "15.07.2020"}, parties={9: "2,5"}), "KOS_journal__all_rows_rejected.csv")

    # several journals of one office (a file per period); the same consultation in two of them; two offices in one city
    may = len(april)
    folder = out / "journals__monthly"
    folder.mkdir(exist_ok=True)
    _xlsx(folder / "KOS_журнал апрель.xlsx", [(J_SHEET, [head, *body[:may]], "visible")])
    _xlsx(folder / "KOS_журнал май-октябрь.xlsx", [(J_SHEET, [head, *body[may:]], "visible")])
    folder = out / "journals__same_consultation_twice"
    folder.mkdir(exist_ok=True)
    _xlsx(folder / "KOS_журнал апрель.xlsx", [(J_SHEET, [head, *body[:may]], "visible")])
    _xlsx(folder / "KOS_журнал май-октябрь.xlsx", [(J_SHEET, [head, body[may - 1], *body[may:]], "visible")])  # April's last carried over
    folder = out / "journals__two_offices_one_city"
    folder.mkdir(exist_ok=True)
    almaty = jour.assign(**{J_REGION: "г. Алматы"})
    csv(almaty.head(may), "journals__two_offices_one_city/ALA_journal_2021.csv")
    # the second office saw one of the first office's applicants on the same day: another office, another consultation
    _xlsx(folder / "Алматы-2 журнал.xlsx", [(J_SHEET, _jrows(almaty.iloc[may - 1:].reset_index(drop=True)), "visible")])

    # participant lists: one person listed twice (name in capitals, phone written otherwise); two lists of one event
    part = pd.read_csv(FIX / "events" / "participants" / "RT-02.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=";").head(8)
    again = part.iloc[[1]].assign(**{"№": "9", "ФИО участника": part.loc[1, "ФИО участника"].upper().replace(" ", "  "),
                                     "Телефон": "8" + "".join(ch for ch in part.loc[1, "Телефон"] if ch.isdigit())[1:]})
    (out / "participants_duplicate_person").mkdir(exist_ok=True)
    write_csv(pd.concat([part, again], ignore_index=True), out / "participants_duplicate_person" / "RT-02.csv")
    folder = out / "participants__two_lists_one_event"
    folder.mkdir(exist_ok=True)
    write_csv(part, folder / "RT-02.csv")
    _xlsx(folder / "rt-02.xlsx", [("Лист1", [list(part.columns), *part.values.tolist()], "visible")])

    # the event register: a row pasted again at the end; a totals line under the events
    reg = pd.read_csv(FIX / "report_2021" / "events_register.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    write_csv(pd.concat([reg, reg.iloc[[1]]], ignore_index=True), out / "events_register__pasted_row.csv")
    total = pd.DataFrame([{**dict.fromkeys(reg.columns, ""), "event_type": f"Итого: {len(reg)} мероприятий"}])
    write_csv(pd.concat([reg, total], ignore_index=True), out / "events_register__totals_row.csv")


def main() -> None:
    pop = _csv("surveys/population_ru.csv").head(12)
    nonprof = _csv("surveys/nonprof_ru.csv").head(12)
    jour = _csv("journals/KOS_journal_2021.csv".replace("KOS", "KOS")) if False else None
    jour = pd.read_csv(FIX / "journals" / "KOS_journal_2021.csv", dtype=str, keep_default_na=False, encoding="cp1251", sep=";").head(10)
    part = pd.read_csv(FIX / "events" / "participants" / "RT-02.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=";").head(8)
    out = HERE
    w = lambda df, n, **kw: write_csv(df, out / n, **kw)  # noqa: E731
    # --- survey exports -----------------------------------------------------------------------
    (out / "population_ru__wrong_encoding_utf16.csv").write_bytes(pop.to_csv(index=False).encode("utf-16"))
    (out / "population_ru__wrong_encoding_koi8.csv").write_bytes(pop.to_csv(index=False).encode("koi8-r", errors="replace"))
    (out / "population_ru__empty.csv").write_bytes(b"")
    w(pop.head(0), "population_ru__header_only.csv")
    w(pop.drop(columns=["Ваш пол"]), "population_ru__missing_column.csv")
    w(pop.rename(columns={"Ваш возраст (полных лет)": "Возраст"}), "population_ru__renamed_column.csv")
    bad = pop.copy()
    bad.loc[2, "Ваш регион"] = "Марс"
    bad.loc[5, "Ваш регион"] = "Марс"
    bad.loc[3, "Ваш пол"] = "Другой"
    w(bad, "population_ru__unknown_label.csv")
    bad = pop.copy()
    bad.loc[4, "Отметка времени"] = "вчера вечером"
    w(bad, "population_ru__unparseable_date.csv")
    dup = pd.concat([pop, pop[["Ваш пол"]]], axis=1)
    w(dup, "population_ru__duplicated_columns.csv")
    bad = pop.copy()
    bad.loc[6, "Ваш возраст (полных лет)"] = "сорок"
    w(bad, "population_ru__numeric_text.csv")
    bad = pop.copy()
    bad.loc[7, "Ваш возраст (полных лет)"] = "250"
    w(bad, "population_ru__age_out_of_range.csv")
    bad = pop.copy()
    q = "Откуда Вы получаете информацию о медиации?"
    bad.loc[8, q] = "тест"
    w(bad, "population_ru__test_submission.csv")
    text = pop.to_csv(index=False, lineterminator="\r\n").splitlines()
    text[3] = text[3] + ",лишняя ячейка"
    (out / "population_ru__ragged_row.csv").write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    x = pop.copy()
    x[x.columns[0]] = pd.to_datetime(x[x.columns[0]], format="%d.%m.%Y %H:%M:%S")
    write_xlsx(x, out / "population_ru__merged_header.xlsx", title_rows=[["Ответы на форму (1)"] + [None] * (len(x.columns) - 1)], merge=f"A1:E1")
    (out / "population_ru__not_an_xlsx.xlsx").write_bytes(b"this is not a zip file\n")
    bad = nonprof.copy()
    grid = [c for c in bad.columns if c.endswith("]")][0]
    bad.loc[1, grid] = "Иногда"
    w(bad, "nonprof_ru__unknown_grid_label.csv")
    bad = pop.copy()
    bad.loc[9, "Адрес электронной почты"] = bad.loc[2, "Адрес электронной почты"]
    w(bad, "population_ru__duplicate_email.csv")
    # --- journals (file name starts with the office code) ---------------------------------------
    w(jour.drop(columns=["Оценка заявителя"]), "KOS_journal__missing_column.csv")
    w(jour.assign(**{"Адрес проживания": "ул. Абая 1"}), "KOS_journal__unknown_header.csv")
    w(jour, "journal_kostanay__bad_file_name.csv")
    bad = jour.copy()
    bad.loc[2, "Категория спора"] = "Космический"
    w(bad, "KOS_journal__unknown_value.csv")
    bad = jour.copy()
    bad.loc[3, "Дата консультации"] = "45.13.2021"
    w(bad, "KOS_journal__bad_date.csv")
    bad = jour.copy()
    bad.loc[4, "Количество сторон"] = "три"
    w(bad, "KOS_journal__n_parties_text.csv")
    bad = jour.copy()
    bad.loc[5, "Дата консультации"] = "15.01.2020"
    w(bad, "KOS_journal__out_of_period.csv")
    bad = pd.concat([jour, jour.iloc[[1]]], ignore_index=True)
    w(bad, "KOS_journal__duplicate_entry.csv")
    # --- participant lists (file name = event id) -----------------------------------------------
    # Kept as committed: tests/fixtures/raw/events/participants/RT-02.csv has changed since these two
    # were built (other regions), and the journals/participants rebuild owns them; written only when missing.
    bad = part.copy()
    bad.loc[1, "Страна"] = "Атлантида"
    (out / "participants_unknown_country").mkdir(exist_ok=True)
    if not (out / "participants_unknown_country/RT-02.csv").exists():
        w(bad, "participants_unknown_country/RT-02.csv")
    bad = part.copy()
    bad.loc[2, "Возраст"] = "двадцать"
    (out / "participants_age_text").mkdir(exist_ok=True)
    if not (out / "participants_age_text/RT-02.csv").exists():
        w(bad, "participants_age_text/RT-02.csv")
    # --- survey exports and folders as offices and respondents send them (issue 17) -------------
    build_surveys(out)
    build_journals(out)


if __name__ == "__main__":
    main()
