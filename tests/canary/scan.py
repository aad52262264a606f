"""Finding canaries in what a run wrote, however they were re-spelt.

Texts are compared normalised (:func:`norm`): NFKC, lower case, Kazakh letters, ё and й folded,
invisible characters out, every digit ASCII. Phones and IINs are found as their digits inside a run
of digits and the separators people type (spaces, line breaks, dots, dashes, brackets, ``+``);
name parts as words with a case ending of up to three letters; e-mails by their local part.
Embedded images (base64) and hex digests are left out. A hit names the canary by its id, with
the text around it masked (:func:`masked`): digits → ``#``, canary words → ``*``.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq

from canary import CANARIES, Canary

_FOLD = str.maketrans({**dict(zip("әғқңөұүһіёй", "агкноуухиеи")),
                       **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-–—()+/\[\]]{0,4}\d)*")
_BLOB = re.compile(r"(?:data:[\w/+.-]+;base64,)?[A-Za-z0-9+/=\n]{200,}")  # embedded images
_DIGEST = re.compile(r"(?<![0-9a-f])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9a-f])")  # commit ids, sha256
_LETTER = r"[^\W\d_]"


def norm(text: str) -> str:
    """How texts are compared.

    >>> norm("Серікқызы ＡＩＧ ٣ Ёлка")
    'сериккызы aig 3 елка'
    """
    out = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    if _NON_ASCII.search(out):
        out = re.sub(r"\d", lambda m: str(unicodedata.digit(m.group())), out)
    return out


#: name parts as words, e-mails' local parts anywhere
_LETTER_NEEDLES = [(c, re.compile("|".join(rf"(?<!{_LETTER}){re.escape(n)}{_LETTER}{{0,3}}(?!{_LETTER})" if c.kind == "name"
                                           else re.escape(n) for n in c.needles)))
                   for c in CANARIES if c.kind in ("name", "email")]
_DIGIT_NEEDLES = [c for c in CANARIES if c.kind in ("phone", "iin")]
_CANARY_WORDS = re.compile("|".join(sorted({w for c in CANARIES for w in re.findall(f"{_LETTER}{{3,}}", norm(c.text))},
                                           key=len, reverse=True)))


@dataclass(frozen=True)
class Hit:
    """A canary found: where (a file, ``file:column`` of a parquet table, ``stderr`` …), which, and the
    text around it, masked."""

    where: str
    canary: str
    context: str

    def __str__(self) -> str:
        return f"{self.where}: {self.canary} in «{self.context}»"


def masked(text: str) -> str:
    """``text`` fit for a test's message: digits → ``#``, words of a canary → ``*``.

    >>> masked("Канареечкин Берик: 8.701.318.42.96")
    '* *: #.###.###.##.##'
    """
    return _CANARY_WORDS.sub("*", re.sub(r"\d", "#", norm(text)))


def find(text: str, where: str) -> list[Hit]:
    """Every canary in ``text`` (the first place of each).

    >>> [str(h) for h in find("звоните 8 (701) 318-42-96, Канареечкину", "x")]
    ['x: name_ru in «звоните # (###) ###-##-##, *у»', 'x: phone_dots in «звоните # (###) ###-##-##, *у»']
    """
    text = norm(_DIGEST.sub(" ", _BLOB.sub(" ", text)))
    found: dict[str, Hit] = {}

    def hit(c: Canary, start: int, end: int) -> None:
        found.setdefault(c.id, Hit(where, c.id, masked(text[max(0, start - 30):end + 30].replace("\n", " "))))

    for c, pattern in _LETTER_NEEDLES:
        if m := pattern.search(text):
            hit(c, m.start(), m.end())
    for run in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", run.group())
        for c in _DIGIT_NEEDLES:
            if any(n in digits for n in c.needles):
                hit(c, run.start(), run.end())
    return list(found.values())


def _strings(obj: object) -> Iterator[str]:
    """Every string of a parsed JSON document, keys too."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def texts(path: Path) -> Iterator[tuple[str, str]]:
    """``(part, text)`` of one file as a reader gets it: each parquet column (every value as text),
    a PDF's text layer (poppler's ``pdftotext``), the strings of a notebook or JSON file (escapes
    resolved), HTML unescaped, a workbook's cells, any other file as UTF-8 (a csv: or cp1251; a
    binary file: its UTF-8 pieces)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = pq.read_table(path)
        for name in table.column_names:
            values = sorted({str(v) for v in table.column(name).to_pylist() if v is not None})
            yield f":{name}", "\n;\n".join(values)  # ';' ends a digit run: two cells never make one number
    elif suffix == ".pdf":
        yield "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    elif suffix in (".ipynb", ".json"):
        raw = path.read_text(encoding="utf-8", errors="ignore")
        try:
            yield "", "\n".join(_strings(json.loads(raw)))
        except json.JSONDecodeError:
            yield "", raw
    elif suffix in (".html", ".htm"):
        yield "", html.unescape(path.read_text(encoding="utf-8", errors="ignore"))
    elif suffix == ".xlsx":
        cells = (v for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows(values_only=True) for v in row)
        yield "", "\n;\n".join(str(v) for v in cells if v is not None)
    else:
        data = path.read_bytes()
        try:
            yield "", data.decode("utf-8-sig")
        except UnicodeDecodeError:
            yield "", data.decode("cp1251") if suffix == ".csv" else data.decode("utf-8", errors="ignore")


def scan(root: Path, *, skip: Path | None = None) -> list[Hit]:
    """Every canary in every file under ``root`` but those under ``skip``, named from ``root``'s parent."""
    hits = []
    for f in sorted(p for p in root.rglob("*") if p.is_file() and not (skip and p.is_relative_to(skip))):
        for part, text in texts(f):
            hits += find(text, f.relative_to(root.parent).as_posix() + part)
    return hits
