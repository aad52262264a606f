"""Planting canaries in a copy of the fixture's raw folder, in every kind of cell of every source.

Each file is edited as an office or a respondent would: a csv in its own encoding (cp1251 too: a
canary it cannot hold gives way to the next), delimiter and line ends; a workbook through openpyxl.
Columns are found by the project's own header lists (codebooks, ``config/journal_headers.yaml``,
the register's columns) and given a *role*:

* kept roles, on the first rows that are no test entries: names in name columns, phones in phone
  columns, e-mails in e-mail columns, a *bundle* (a name, a phone, an IIN and an e-mail in one
  sentence) in free texts («Other» answers, journal notes, an organisation column, the register's
  topic, time and source, after its regions and participant numbers), trainers' names;
* rejected roles, each on a row of its own from the end: a bundle in a timestamp or a date, a bare
  IIN, a bare phone or a bundle in a number cell (the row is rejected: its value goes to rejected/);
* labels (answers to closed questions, coded journal and list values, the event type): a name and a
  phone, only when the run is meant to fail (an unknown label stops it).

Spellings rotate over all files, so every canary lands in every source.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from canary import CANARIES, Canary
from canary.scan import norm
from helpers import paths
from helpers.clean import read, surveys
from helpers.clean.reference import load_reference

BUNDLES: tuple[str, ...] = ("{name}, тел. {phone}, ИИН {iin}, почта {email}",
                            "{name} {phone} хабарласыңыз, ЖСН {iin}, {email}",
                            "позвоните {phone} ({name}), {email}, ИИН {iin}")
#: kept roles → how many rows of each column
KEPT = {"name": 3, "phone": 3, "email": 4, "other": 2, "comment": 2, "row_no": 1, "trainer": 2, "regions": 1, "participants": 2}
REJECT = ("timestamp", "date", "number")
#: canonical columns of journals and participant lists (config/journal_headers.yaml) → role; others: label
HAND_TYPED = {"name": "name", "mediator": "name", "phone": "phone", "email": "email", "comment": "comment",
              "organisation": "comment", "row_no": "row_no", "date": "date", "n_parties": "number", "age": "number"}
#: columns of the event register → role (``event_no`` makes the event ids: left alone)
REGISTER = {"topic": "comment", "time": "comment", "source": "comment", "trainer": "trainer", "regions": "regions",
            "participants": "participants", "date": "date", "event_type": "label"}
#: the free-text column a file may lack, added with its header as offices write it
ADDED = {"journals": ("comment", "Примечание"), "events/participants": ("organisation", "Организация")}
_TEST = re.compile(r"^(?:тест|test|сынак|проверка)")


class _Sheet:
    """The first sheet of a workbook, or a csv file: header and data rows as text; :meth:`save` writes
    them back in the file's own format."""

    def __init__(self, path: Path) -> None:
        self.path, self.xlsx = path, path.suffix == ".xlsx"
        if self.xlsx:
            self.wb = openpyxl.load_workbook(path)
            self.ws = self.wb.worksheets[0]
            grid = [[None if v is None else str(v) for v in r] for r in self.ws.iter_rows(values_only=True)]
            self.encoding = "utf-8"
        else:
            data = path.read_bytes()
            try:
                text, self.encoding = data.decode("utf-8"), "utf-8"  # a BOM stays in the first header
            except UnicodeDecodeError:
                text, self.encoding = data.decode("cp1251"), "cp1251"
            self.delimiter = max(",;\t", key=text.splitlines()[0].count)
            self.newline = "\r\n" if "\r\n" in text else "\n"
            grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))
        self.header = [h or "" for h in grid[0]]
        self.rows = [list(r) for r in grid[1:]]

    def fits(self, text: str) -> bool:
        """Whether the file's encoding holds ``text`` (cp1251 has no Kazakh letters)."""
        try:
            text.encode(self.encoding)
            return True
        except UnicodeEncodeError:
            return False

    def get(self, i: int, j: int) -> str:
        return (self.rows[i][j] if j < len(self.rows[i]) else None) or ""

    def set(self, i: int, j: int, value: str) -> None:
        """Data row ``i`` (0: the row below the header), column ``j``."""
        self.rows[i] += [""] * (j + 1 - len(self.rows[i]))
        self.rows[i][j] = value
        if self.xlsx:
            self.ws.cell(row=i + 2, column=j + 1, value=value)

    def add_column(self, header: str) -> int:
        self.header.append(header)
        if self.xlsx:
            self.ws.cell(row=1, column=len(self.header), value=header)
        return len(self.header) - 1

    def save(self) -> None:
        if self.xlsx:
            self.wb.save(self.path)
            return
        out, width = io.StringIO(), len(self.header)
        csv.writer(out, delimiter=self.delimiter, lineterminator=self.newline).writerows(
            [self.header, *(r + [""] * (width - len(r)) for r in self.rows)])
        self.path.write_bytes(out.getvalue().encode(self.encoding))


@dataclass
class Planted:
    """One planted cell: file (under the raw folder), column as the file calls it, role, row as a
    spreadsheet shows it, the canaries in it."""

    file: str
    column: str
    role: str
    row: int
    canaries: tuple[str, ...]


@dataclass
class _Planter:
    """Fills cells with the next canaries of each kind; :attr:`log` lists every planted cell."""

    log: list[Planted] = field(default_factory=list)
    turns: dict[str, int] = field(default_factory=dict)

    def turn(self, what: str) -> int:
        self.turns[what] = self.turns.get(what, -1) + 1
        return self.turns[what]

    def pick(self, kind: str, fits: Callable[[str], bool]) -> Canary:
        pool = [c for c in CANARIES if c.kind == kind]
        return next(c for c in (pool[self.turn(kind) % len(pool)] for _ in pool) if fits(c.text))

    def template(self, role: str, old: str, fits: Callable[[str], bool]) -> str:
        """What a cell of ``role`` gets (``old``: the cell as it was), with ``{name}`` … placeholders."""
        bundle = next(b for b in (BUNDLES[self.turn("bundle") % len(BUNDLES)] for _ in BUNDLES) if fits(b))
        k = self.turn(f"role {role}")  # apart from the kinds: a role may be called like one
        return {
            "name": "{name}", "phone": "{phone}", "email": "{email}", "trainer": "{name} и {name}", "label": "{name} {phone}",
            "comment": bundle, "row_no": bundle, "timestamp": bundle, "date": bundle,
            "other": f"{old}, {bundle}" if old else bundle, "regions": f"{old}, координатор {bundle}",
            "participants": (f"{old}, {bundle}", f"ИИН {{iin}}, {{name}} — {old}")[k % 2],  # a contact's digits first
            "number": ("{iin}", "{phone}", bundle)[k % 3],
        }[role]

    def fill(self, template: str, fits: Callable[[str], bool]) -> tuple[str, tuple[str, ...]]:
        picked: list[Canary] = []

        def one(m: re.Match) -> str:
            picked.append(self.pick(m.group(1), fits))
            return picked[-1].text

        return re.sub(r"\{(name|phone|iin|email)\}", one, template), tuple(c.id for c in picked)

    def plant(self, sheet: _Sheet, rel: str, roles: dict[str, list[int]], failing: bool) -> None:
        """Plant every role's columns of one file, then save it."""
        clean = [i for i, r in enumerate(sheet.rows) if any(r) and not any(_TEST.match(norm(v or "")) for v in r)]
        tail = iter(reversed(clean))
        for role, columns in roles.items():
            for j in columns:
                if role in KEPT:
                    rows = clean[:KEPT[role]]
                elif role in REJECT:
                    rows = [next(tail)]
                else:
                    rows = clean[:1] if role == "label" and failing else []
                for i in rows:
                    text, ids = self.fill(self.template(role, sheet.get(i, j), sheet.fits), sheet.fits)
                    sheet.set(i, j, text)
                    self.log.append(Planted(rel, sheet.header[j], role, i + 2, ids))
        sheet.save()


def _roles(columns: dict[int, str], role_of: dict[str, str]) -> dict[str, list[int]]:
    """Column index → canonical column, as role → column indexes (unknown canonical columns: labels)."""
    out: dict[str, list[int]] = {}
    for j, canon in columns.items():
        out.setdefault(role_of.get(canon, "label"), []).append(j)
    return out


def _survey_roles(sheet: _Sheet, cb: dict) -> dict[str, list[int]]:
    role_of = {q["id"]: "number" if q["type"] == "number" else "other" if q["type"] == "multi" and q.get("other") else "label"
               for q in cb["questions"]} | {"__timestamp": "timestamp", "__email": "email"}
    expected = surveys.expected_headers(cb)
    return _roles({j: expected[read.header_key(h)][0] for j, h in enumerate(sheet.header)}, role_of)


def _hand_typed_roles(sheet: _Sheet, spec: dict, folder: str) -> dict[str, list[int]]:
    variants = {read.header_key(v): canon for canon, vs in spec["columns"].items() for v in vs}
    columns = {j: variants[read.header_key(h)] for j, h in enumerate(sheet.header) if h}
    canon, header = ADDED[folder]
    if canon not in columns.values():
        columns[sheet.add_column(header)] = canon
    return _roles(columns, HAND_TYPED)


def plant(src: Path, dst: Path, *, failing: bool = False) -> list[Planted]:
    """Copy the raw folder ``src`` to ``dst`` and plant canaries in every kind of cell of every survey
    export (the csv downloads the run reads), journal, participant list and the event register;
    ``failing``: in label cells too."""
    ref = load_reference(paths.CONFIG)
    shutil.copytree(src, dst)
    planter = _Planter()
    for f in sorted((dst / "surveys").glob("*.csv")):
        sheet = _Sheet(f)
        planter.plant(sheet, f"surveys/{f.name}", _survey_roles(sheet, ref.codebooks[f.stem.rsplit("_", 1)[0]]), failing)
    for folder, spec in (("journals", ref.headers["journal"]), ("events/participants", ref.headers["participants"])):
        for f in sorted((dst / folder).iterdir()):
            sheet = _Sheet(f)
            planter.plant(sheet, f"{folder}/{f.name}", _hand_typed_roles(sheet, spec, folder), failing)
    sheet = _Sheet(dst / "report_2021" / "events_register.csv")
    planter.plant(sheet, "report_2021/events_register.csv",
                  _roles(dict(enumerate(sheet.header)), REGISTER | {"event_no": "left alone"}), failing)
    return planter.log
