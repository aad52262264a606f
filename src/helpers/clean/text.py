r"""Text cells as a person means them, as Polars expressions: clean text, match keys, numbers, totals rows.

Every function takes an expression (a column of cells) and returns one, so the rules compose inside
``df.with_columns(...)`` / ``df.select(...)``; nothing here reads a file, loops over rows or raises on a bad cell:

* :func:`clean_text`: invisible characters removed, Unicode spaces → one space, full-width forms and Arabic-Indic
  digits → ASCII, Unicode NFC, stripped, empty → null;
* :func:`match_key`: the key labels are compared on (case folded, ё → е, Latin look-alike letters inside Cyrillic
  words made Cyrillic; punctuation kept as typed);
* :func:`to_number` and :func:`whole_number`: numbers with a decimal comma and thousands separated by spaces; a
  count is a whole number in its range, else a short reason;
* :func:`is_totals_row`: «Итого», «Барлығы», «Total» … in the first filled cells of a row.

>>> pl.DataFrame({"x": ["\u200b Да\u00a0", "ОТРИЦАТЕЛЬНО", "  "]}).select(
...     text=clean_text(pl.col("x")), key=match_key(pl.col("x")), answered=is_answered(pl.col("x"))).rows()
[('Да', 'да', True), ('ОТРИЦАТЕЛЬНО', 'отрицательно', True), (None, None, False)]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

import polars as pl

#: format characters that print as nothing: zero-width space, non-joiner, joiner, left-to-right and
#: right-to-left marks, soft hyphen, byte order mark (zero-width no-break space), word joiner.
INVISIBLE: tuple[str, ...] = ("\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u00ad", "\ufeff", "\u2060")

#: characters read as their ASCII twin: full-width forms U+FF01–U+FF5E (``５``, ``Ａ``, ``，``),
#: Arabic-Indic digits U+0660–U+0669 and Extended Arabic-Indic digits U+06F0–U+06F9.
ASCII_TWINS: dict[str, str] = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {
    chr(start + d): str(d) for start in (0x0660, 0x06F0) for d in range(10)}

#: runs of white space: Unicode White_Space (NBSP, narrow NBSP, thin and ideographic spaces, line
#: breaks …) and the ASCII separators U+001C–U+001F that Python's ``str.split`` also counts as space.
_SPACES = r"[\s\x1c-\x1f]+"
_NON_ASCII = r"[^\x00-\x7f]"

#: Latin letters that look like Cyrillic ones (typed on the wrong keyboard layout).
LOOKALIKES: dict[str, str] = dict(zip("aceopxykmthbABCEHKMOPTXY", "асеорхукмтнвАВСЕНКМОРТХУ"))
_CYRILLIC = "(?i)[а-яёәғқңөұүһі]"  # Russian and Kazakh letters, either case
#: words and what lies between them: a word is a run of letters, digits (``²`` too), ``_`` and combining marks.
_WORDS = r"[\w\p{No}]+|[^\w\p{No}]+"

#: full case folding beyond lower case (``ß`` → ``ss``, ``ς`` → ``σ``, ligatures …): Python's
#: ``str.casefold`` of every BMP character where it differs from ``str.lower`` (125 characters).
_CASEFOLD: dict[str, str] = {c: c.casefold() for c in map(chr, range(0x10000))
                             if c.lower() != c.casefold() == c.casefold().lower()}

#: words that open a totals or subtotal row, as match keys (lower case, ё → е), each a whole word:
#: «Итого:», «Итого по области», not «Итоговый». «В т.ч.», «из них», «оның ішінде» open the
#: breakdown rows under a total: not records either.
TOTALS_WORDS: tuple[str, ...] = (
    "итого", "всего", "барлығы", "барлыгы", "жиыны", "жалпы", "total", "subtotal", "sub-total", "grand total",
    "в том числе", "в т.ч", "в т. ч", "из них", "оның ішінде",
)
#: a cell (as a match key) that marks a test entry: «тест», «test», «сынақ», «проверка» as its first word.
TEST_PATTERN = r"^(?:тест|test|сынақ|сынак|проверка)(?:\W|\d|$)"
#: columns the reader adds (where a row came from): not cells of the table.
PROVENANCE: tuple[str, ...] = ("source_file", "source_row")


def _mapping(table: dict[str, str]) -> tuple[pl.Expr, pl.Expr]:
    """``table`` as the two list literals of ``str.replace_many``, made once (not per call)."""
    return pl.lit(pl.Series(list(table)).implode()), pl.lit(pl.Series(list(table.values())).implode())


_UNICODE_FIXES = _mapping({**dict.fromkeys(INVISIBLE, ""), **ASCII_TWINS})
_FOLDS = _mapping({**_CASEFOLD, "ё": "е"})


def _let(e: pl.Expr, body: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """``body(e)`` with ``e`` computed once however often ``body`` reads it (a struct field: Polars does not
    share a subexpression between the branches of ``when``, nor in an eager ``select``)."""
    out = pl.struct(e.alias("e")).struct.with_fields(body(pl.field("e")).alias("out")).struct.field("out")
    name = e.meta.output_name(raise_if_undetermined=False)
    return out.alias(name) if name else out  # named as ``e`` is


def clean_text(e: pl.Expr) -> pl.Expr:
    r"""The cell as a person means it: what prints as nothing removed, spaces collapsed, empty → null.

    Transformations include: :data:`INVISIBLE` characters removed; :data:`ASCII_TWINS`
    (full-width forms, Arabic-Indic digits) → ASCII; Unicode NFC (``и`` + combining breve → ``й``);
    every run of white space (NBSP, narrow NBSP, tabs, line breaks …) → one space; stripped;
    an empty result → null. A column that is not text is cast to text first.

    >>> pl.DataFrame({"x": ["  Да\u00a0 нет ", "\u200b\u00ad", "１２\u202f٣", None]}).select(clean_text(pl.col("x"))).to_series().to_list()
    ['Да нет', None, '12 3', None]
    """
    def unicode(text: pl.Expr) -> pl.Expr:  # steps that concern non-ASCII texts only
        fixed = text.str.replace_many(*_UNICODE_FIXES).str.normalize("NFC")
        return pl.when(text.str.contains(_NON_ASCII)).then(fixed).otherwise(text)

    return _let(e.cast(pl.String), unicode).str.replace_all(_SPACES, " ").str.strip_chars(" ").replace("", None)


def is_answered(e: pl.Expr) -> pl.Expr:
    r"""True where the cell holds more than white space and invisible characters (never null).

    >>> pl.DataFrame({"x": [" Да ", " \u200b ", None]}).select(is_answered(pl.col("x"))).to_series().to_list()
    [True, False, False]
    """
    return clean_text(e).is_not_null()


def fix_lookalikes(e: pl.Expr) -> pl.Expr:
    """Latin :data:`LOOKALIKES` made Cyrillic inside words that also hold a Cyrillic letter.

    Words wholly in Latin script (``Instagram``) are left alone; a word is a run of letters,
    digits, ``_`` and combining marks, so «Instagram-канал» keeps its Latin half. Case is kept.

    >>> pl.DataFrame({"x": ["Кapaганда", "Instagram-канал", "c-mediation.kz"]}).select(fix_lookalikes(pl.col("x"))).to_series().to_list()
    ['Караганда', 'Instagram-канал', 'c-mediation.kz']
    """
    def mixed(text: pl.Expr) -> pl.Expr:
        return text.str.contains(_CYRILLIC) & text.str.contains(f"[{''.join(LOOKALIKES)}]")

    def fix(text: pl.Expr) -> pl.Expr:  # word by word, in the texts that hold both kinds of letters
        word = pl.element()
        words = text.str.extract_all(_WORDS).list.eval(pl.when(mixed(word)).then(word.str.replace_many(LOOKALIKES)).otherwise(word))
        return pl.when(mixed(text)).then(words.list.join("")).otherwise(text)

    return _let(e, fix)


def match_key(e: pl.Expr) -> pl.Expr:
    """The key labels are matched on: :func:`clean_text`, :func:`fix_lookalikes`, case folded, ё → е.

    Punctuation is kept as typed («Нет, не слышал(а)»): a codebook label and its answer differ in
    case, spaces, ё and look-alike letters, not in commas. Folding is Python's ``str.casefold``
    (``ß`` → ``ss``), so the keys are those of the pandas stage.

    >>> pl.DataFrame({"x": [" Положительно ", "ОТРИЦАТЕЛЬНО", "Нет, не слышал(а)", "Kарагандинская", "Её"]}).select(match_key(pl.col("x"))).to_series().to_list()
    ['положительно', 'отрицательно', 'нет, не слышал(а)', 'карагандинская', 'ее']
    """
    return fix_lookalikes(clean_text(e)).str.to_lowercase().str.replace_many(*_FOLDS)


# --- numbers ---------------------------------------------------------------------------------

#: digits in groups of three separated by single spaces (``1 000``, ``12 500,5``; up to 10^21):
#: one number, its groups captured to be joined without the spaces.
_GROUPED = r"^([+-]?[0-9]{1,3}) ([0-9]{3})" + r"(?: ([0-9]{3}))?" * 5 + r"([.,][0-9]+)?$"
_JOINED = "".join(f"${{{i}}}" for i in range(1, 9))
#: a whole number written as digits (``007``, ``+5``, ``12.``, ``12.00``): read exactly, not as a float.
_DIGITS = r"^[+-]?[0-9]+(?:\.0*)?$"
_F = pl.field


def _number_text(e: pl.Expr) -> pl.Expr:
    """:func:`clean_text` with the spaces of digit groups dropped and decimal commas made points."""
    return clean_text(e).str.replace(_GROUPED, _JOINED).str.replace_all(",", ".", literal=True)


def to_number(e: pl.Expr) -> pl.Expr:
    """Text → Float64: decimal comma or point, ``1e3``, digits grouped by spaces; anything else → null.

    ``NaN``, ``inf`` and numbers too large for a float are not numbers a person typed: null too,
    so a rule ``is_answered(x) & to_number(x).is_null()`` finds every one of them.

    >>> pl.DataFrame({"x": ["34", " 2,5", "1 000", "５", "тридцать", "inf", "NaN", None]}).select(to_number(pl.col("x"))).to_series().to_list()
    [34.0, 2.5, 1000.0, 5.0, None, None, None, None]
    """
    number = _number_text(e).cast(pl.Float64, strict=False)
    return number.replace([float("inf"), float("-inf"), float("nan")], None)  # NaN too: replace matches NaN


class Count(NamedTuple):
    """A count read from text: ``value`` (Int64; null where ``problem`` is set, and where the cell is empty), the
    ``problem`` (String, null when fine), and ``parts``, the struct both are fields of (its column reads once)."""

    value: pl.Expr
    problem: pl.Expr
    parts: pl.Expr


def whole_number(e: pl.Expr, lo: int | None = None, hi: int | None = None) -> Count:
    """A count: a whole number in ``lo``–``hi``, or a short reason why the cell is not one.

    The text is read as :func:`to_number` reads it (``1 000`` → 1000, ``５`` and ``٣`` are digits,
    ``5,0`` → 5); digits are read exactly (no rounding through a float), so a 20-digit number is
    «too large», never wrapped or rounded. Reasons, first that applies: «not a number» (text,
    ``NaN``, ``inf``), «not a whole number» (``2.5``, ``3,7``), «below the minimum <lo>»,
    «above the maximum <hi>» (``1e9``), «too large». Never raises.

    >>> c = whole_number(pl.col("x"), 1, 20)
    >>> pl.DataFrame({"x": ["2", "2.5", "NaN", "inf", "1e9", "0", " 1 000", "٣", None]}).select(c.value, c.problem).rows()
    [(2, None), (None, 'not a whole number'), (None, 'not a number'), (None, 'not a number'), (None, 'above the maximum 20'), (None, 'below the minimum 1'), (None, 'above the maximum 20'), (3, None), (None, None)]
    """
    number = _F("number")
    checks = [
        (number.is_null() | ~number.is_finite(), "not a number"),
        (number != number.floor(), "not a whole number"),
        *([(number < lo, f"below the minimum {lo}")] if lo is not None else []),
        *([(number > hi, f"above the maximum {hi}")] if hi is not None else []),
        (_F("value").is_null(), "too large"),
    ]
    problem = pl.when(_F("text").is_null()).then(pl.lit(None, pl.String))  # the first reason that applies
    for failed, reason in checks:
        problem = problem.when(failed).then(pl.lit(reason))
    exact = _F("text").str.replace(r"\.0*$", "").str.to_integer(strict=False)  # null beyond Int64
    rounded = pl.when(number.abs() <= 2**53).then(number.cast(pl.Int64, strict=False))  # exact up to 2**53
    parts = (
        pl.struct(text=_number_text(e))  # a struct: each step reads the fields, the text is made once
        .struct.with_fields(number=_F("text").cast(pl.Float64, strict=False))
        .struct.with_fields(value=pl.when(_F("text").str.contains(_DIGITS)).then(exact).otherwise(rounded))
        .struct.with_fields(problem=problem)
        .struct.with_fields(value=pl.when(_F("problem").is_null()).then(_F("value")))
    )
    return Count(parts.struct.field("value"), parts.struct.field("problem"), parts)


# --- totals rows -----------------------------------------------------------------------------

_CELL = "\x00"  # between the cells of a row joined into one text (taken out of the cells first)


def totals_pattern(words: Sequence[str] = TOTALS_WORDS) -> str:
    """Regex for a match key that opens with one of ``words`` as a whole word («Итого:», «Итого по
    области», not «Итоговый»); a word ending in punctuation («в т.ч.») may run into the next one.

    >>> bool(re.search(totals_pattern(), "итого:")), bool(re.search(totals_pattern(), "итоговый"))
    (True, False)
    """
    alts = (re.escape(w) + (r"(?:\W|\d|$)" if w[-1].isalnum() else "") for w in sorted(words, key=len, reverse=True))
    return rf"(?:^|{_CELL})(?:{'|'.join(alts)})"


def is_totals_row(frame_columns: Sequence[str], n_first: int = 2, words: Sequence[str] = TOTALS_WORDS) -> pl.Expr:
    """True where one of the first ``n_first`` filled cells of a row opens with a totals word.

    Cells are those of ``frame_columns`` in order, without the reader's :data:`PROVENANCE`
    columns, as :func:`clean_text` gives them (a blank cell is null); blank cells are skipped, so
    «Итого» typed in the name column under empty «№» and date cells is found. Matching is on
    :func:`match_key` (case, ё, look-alike letters, «Итого:»).

    >>> df = pl.DataFrame({"source_row": [2, 3, 4, 5], "no": ["1", None, "ИТОГО:", None], "date": ["01.04.2021", None, None, "в т.ч. женщины"],
    ...                    "name": ["Всеволод", "Итого", None, "3"]})
    >>> df.select(is_totals_row(df.columns)).to_series().to_list()
    [False, True, True, True]
    """
    cells = [pl.col(c).cast(pl.String).str.replace_all(_CELL, "", literal=True) for c in frame_columns if c not in PROVENANCE]
    if not cells or n_first < 1:
        return pl.lit(False)
    joined = pl.concat_str(cells, separator=_CELL, ignore_nulls=True)  # the filled cells, in order
    head = joined.str.extract(rf"^((?:[^{_CELL}]*{_CELL}){{0,{n_first - 1}}}[^{_CELL}]*)")
    return match_key(head).str.contains(totals_pattern(words)).fill_null(False)
