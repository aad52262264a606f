"""The figures record: every number a report quotes, by a stable id, with where it came from.

Stage notebooks add figures with :meth:`FiguresRecord.add` (their unit, labels and source from the
figure catalogue ``config/figures.yaml``) and :meth:`FiguresRecord.save` them into
``data/processed/figures.json``; report texts carry placeholders that :func:`fill` replaces
with the formatted value. A placeholder whose id is not in the record stops the report: the text
can never quote a number nobody computed.

Placeholders
------------
``{{ id }}``
    the value, formatted for the report's language (babel, CLDR data of ``ru`` / ``kk``:
    no-break space between thousands, decimal comma) with its unit (``%``, ``п.п.``, ``тг`` …).
``{{ id|fmt }}``
    a format: ``int``, ``num1``, ``num2`` (0/1/2 decimals), ``pct0``, ``pct1``, ``pct2`` (the same
    for percentages), ``raw`` (no unit), ``p`` (a p-value). An unknown format is an error.
``{{ id|n:one/few/many }}``
    the number followed by the noun that agrees with it, chosen by the CLDR plural rule of the
    language (``babel.Locale.plural_form``). Forms in the order one/few/many (1, 21 · 2, 22 · 5, 11);
    ``other`` (a number shown with decimals) takes the second form, right for a bare noun («5,50
    года»); a fourth form ``one/few/many/other`` is for an adjective that differs («2 принятые
    анкеты» but «2,5 принятой анкеты»). The forms are in whatever case the sentence needs:
    ``из {{ id|n:сферы/сфер/сфер }}``.
    ``{{ id|n:адам }}`` (one form) uses it for every number: a Kazakh noun after a numeral stays
    singular, so Kazakh texts need no forms at all. A ``#`` in the forms stands for the number, for
    words before it that agree too: ``{{ id|n:проведена # консультация/проведено # консультации/
    проведено # консультаций }}`` (then every form has one ``#``). Forms suit counts only: a value
    with a unit (``%``, ``тг``, p-value) or a text value with forms is an error.
``{{ id|fmt|n:… }}``
    both: the plural form follows the number as shown (``int`` of 20.6 is «21 год»).
``{{ id|abl }}`` (Kazakh)
    the number with the ablative ending its last spoken word takes, for «… астам», «… кем»,
    «… бастап»: «280-нен», «15 000-нан», «5-тен» (see :data:`KK_ABLATIVE`).

A value ending in a dot (``п.п.``) followed by a sentence dot gives one dot, not two.
"""

from __future__ import annotations

import fcntl
import json
import math
import re
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from helpers import paths
from helpers.figure_catalogue import Catalogue

Number = int | float

#: units with their own formatting; any other unit is printed as a plain number plus the unit.
UNITS_TEXT: dict[str, dict[str, str]] = {
    "percent": {"ru": "%", "kk": "%"},
    "pp": {"ru": "п.п.", "kk": "п.т."},
    "kzt": {"ru": "тг", "kk": "теңге"},
}

#: ``{{ id|fmt }}`` formats and the decimals they show (None: by the unit and the value).
FORMATS: dict[str, int | None] = {"int": 0, "num1": 1, "num2": 2, "pct0": 0, "pct1": 1, "pct2": 2,
                                  "raw": None, "p": 3, "p_rel": 3}

_NBSP = "\u00a0"
#: what a figures summary shows for the figure of a hidden cell (the reports' ``hidden_mark``)
HIDDEN_MARK = "×"
#: anything between ``{{`` and ``}}`` (parsed by :func:`_parse`), and a sentence dot right after it.
_PLACEHOLDER = re.compile(r"\{\{(?P<body>[^{}]*)\}\}(?P<dot>\.)?")
_ID = re.compile(r"[A-Za-z0-9_.\-]+")
#: Kazakh ablative ending after a number, by the last word of the number read aloud (its last nonzero
#: digit group): vowel harmony and the last sound of «бір», «үш», «сексен», «мың» … decide it.
KK_ABLATIVE: dict[str, str] = {
    "нөл": "ден", "бір": "ден", "екі": "ден", "үш": "тен", "төрт": "тен", "бес": "тен", "алты": "дан",
    "жеті": "ден", "сегіз": "ден", "тоғыз": "дан", "он": "нан", "жиырма": "дан", "отыз": "дан",
    "қырық": "тан", "елу": "ден", "алпыс": "тан", "жетпіс": "тен", "сексен": "нен", "тоқсан": "нан",
    "жүз": "ден", "мың": "нан", "миллион": "нан", "миллиард": "тан",
}
_KK_UNITS = ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
_KK_TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")

#: CLDR plural category -> position in ``n:one/few/many[/other]``; without a 4th form ``other``
#: (decimals shown) takes the ``few`` form.
_FORM_OF_CATEGORY = {"one": 0, "few": 1, "many": 2, "other": 3}


@dataclass(frozen=True)
class Figure:
    """One recorded figure."""

    id: str
    value: Number | str | None
    unit: str
    label_ru: str
    label_kk: str
    notebook: str
    source: str
    base: int | None = None


def _clean_value(value: Any) -> Number | str | None:
    """Plain JSON-able, deterministic value (numpy scalars unwrapped, floats rounded to 10 places)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return round(value, 10)
    if isinstance(value, (int, str)):
        return value
    raise TypeError(f"figure value must be a number or text, got {value!r} ({type(value).__name__})")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``<path>.lock`` (for read-modify-write of shared files)."""
    lock = path.with_name(f".{path.name}.lock")
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class FiguresRecord:
    """The figures one notebook computes; saving replaces that notebook's earlier entries.

    Each figure's unit, labels and source come from the figure catalogue (``config/figures.yaml``,
    :mod:`helpers.figure_catalogue`).
    """

    def __init__(self, path: str | Path, notebook: str, catalogue: Catalogue | str | Path = paths.FIGURES) -> None:
        self.path = Path(path)
        self.notebook = notebook
        self.catalogue = catalogue if isinstance(catalogue, Catalogue) else Catalogue.load(catalogue)
        self._figures: dict[str, Figure] = {}

    def add(self, id: str, value: Any, /, *, base: int | None = None, **names: Any) -> Any:
        """Record a figure and return its value (so it can be used inline).

        ``base``: the number the value is a share or statistic of; ``names``: what the catalogue
        entry's texts name beyond the id's parts.

        >>> cat = Catalogue({"x.{what}": {"unit": "percent", "ru": "доля: {what}", "kk": "үлес: {what}",
        ...                               "source": "{table}: {what} / answered"}})
        >>> rec = FiguresRecord("/nonexistent/figures.json", "demo", cat)
        >>> rec.add("x.share", 0.5, base=10, table="t")
        0.5
        >>> rec["x.share"].label_kk, rec["x.share"].source
        ('үлес: share', 't: share / answered')
        """
        if not _ID.fullmatch(id):
            raise ValueError(f"figure id {id!r}: use letters, digits, '.', '_' or '-' only")
        if id in self._figures:
            raise ValueError(f"figure id {id!r} recorded twice in {self.notebook}")
        labels = self.catalogue.labels(id, names)
        self._figures[id] = Figure(
            id=id,
            value=_clean_value(value),
            unit=labels.unit,
            label_ru=labels.ru,
            label_kk=labels.kk,
            notebook=self.notebook,
            source=labels.source,
            base=None if base is None else int(base),
        )
        return value

    def __len__(self) -> int:
        return len(self._figures)

    def __getitem__(self, id: str) -> Figure:
        return self._figures[id]

    def save(self) -> Path:
        """Merge into the JSON file: entries of other notebooks kept, this notebook's replaced.

        The read-merge-write holds an exclusive lock, so stages running side by side cannot
        lose each other's figures.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with locked(self.path):
            existing = load(self.path) if self.path.exists() else {}
            clash = [k for k, v in existing.items() if k in self._figures and v["notebook"] != self.notebook]
            if clash:
                raise ValueError(f"figure ids already recorded by another notebook: {clash}")
            merged = {k: v for k, v in existing.items() if v["notebook"] != self.notebook}
            merged.update({k: asdict(f) for k, f in self._figures.items()})
            write_record(merged, self.path)
        return self.path

    def summary(self, lang: str = "ru", hidden: Collection[str] = ()) -> str:
        """One line per figure (``id = formatted value``): the key figures nbval compares.

        The summary is part of a reviewer edition, which publishes the same protected tables as the
        reports: a figure of a cell those tables hide (an id in ``hidden``, or a sub-figure of one:
        ``<id>.pct``, ``<id>.ci_low`` …; :func:`helpers.analysis.disclosure.hidden_figures`) shows ``×``
        in place of its value; ``figures.json`` keeps the value.

        >>> rec = FiguresRecord("/nonexistent/figures.json", "demo", Catalogue({"q.{x}.n": {"unit": "respondents", "ru": "{x}", "kk": "{x}"}}))
        >>> _ = rec.add("q.a.n", 12, base=40), rec.add("q.b.n", 3, base=40)
        >>> print(rec.summary(hidden=["q.b"]))
        q.a.n = 12  (n=40)
        q.b.n = ×  (n=40)
        """
        def shown(f: Figure) -> str:
            if f.id in hidden or f.id.rsplit(".", 1)[0] in hidden:
                return HIDDEN_MARK
            return format_value(f.value, f.unit, lang)

        return "\n".join(
            f"{f.id} = {shown(f)}" + (f"  (n={f.base})" if f.base is not None else "")
            for f in sorted(self._figures.values(), key=lambda f: f.id)
        )


def write_record(entries: Mapping[str, Mapping[str, Any]], path: Path) -> Path:
    """Write ``figures.json`` (entries sorted by id; the same bytes for the same entries)."""
    text = json.dumps({"figures": dict(sorted(entries.items()))}, ensure_ascii=False, indent=1, sort_keys=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def load(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read ``figures.json`` into ``{id: {value, unit, label_ru, ...}}``."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["figures"]


def _shown(value: Number, decimals: int) -> Decimal:
    """The value as printed with ``decimals`` places: the float's exact value rounded half to even
    (what ``f"{value:.{decimals}f}"`` prints), and never a negative zero."""
    shown = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    return shown.copy_abs() if shown.is_zero() else shown


def format_number(value: Number, decimals: int = 0, *, lang: str = "ru") -> str:
    """A number in the language's format (babel, CLDR): no-break space between thousands, decimal comma.

    ``decimals`` places are always shown; a rounded zero has no sign; NaN prints as «—».

    >>> format_number(1274753)
    '1\\xa0274\\xa0753'
    >>> format_number(88.06, 1)
    '88,1'
    >>> format_number(-0.04, 1)
    '0,0'
    >>> format_number(-1234.5, 2, lang="kk")
    '-1\\xa0234,50'
    """
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return "—" if math.isnan(value) else format_decimal(value, locale=lang)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(_shown(value, decimals), format=pattern, locale=lang)


def _decimals(value: Number, unit: str, fmt: str | None) -> int:
    """Decimals shown: those of ``fmt``, else 1 for percentages, 0 for whole numbers, 2 otherwise."""
    decimals = FORMATS.get(fmt or "")
    if decimals is not None:
        return decimals
    if unit in ("percent", "pp"):
        return 1
    return 0 if isinstance(value, int) or float(value).is_integer() else 2


def format_value(value: Number | str | None, unit: str, lang: str, fmt: str | None = None) -> str:
    """Format a recorded value for the text of a report in ``lang``.

    ``fmt`` (from ``{{ id|fmt }}``, see :data:`FORMATS`) chooses the decimals: ``int``, ``num1``,
    ``num2``, ``pct0``, ``pct1``, ``pct2``, ``raw`` (no unit), ``p`` (a p-value), ``p_rel`` (a p-value with
    its relation, to follow the letter p: «= 0,200», «< 0,001»).

    >>> format_value(99.6010638, "percent", "ru")
    '99,6\\xa0%'
    >>> format_value(9950000, "kzt", "kk")
    '9\\xa0950\\xa0000\\xa0теңге'
    >>> format_value(0.0004, "p", "ru")
    '<\\xa00,001'
    >>> format_value(0.0004, "p", "ru", "p_rel"), format_value(0.2, "p", "ru", "p_rel")  # after «p»: its relation too
    ('<\\xa00,001', '=\\xa00,200')
    >>> format_value(752, "consultations", "ru")
    '752'
    >>> format_value(1.25, "pp", "kk")
    '1,2\\xa0п.т.'
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "p" or fmt in ("p", "p_rel"):
        small = 0.001
        if value < small:
            return f"<{_NBSP}{format_number(small, 3, lang=lang)}"
        return ("=" + _NBSP if fmt == "p_rel" else "") + format_number(value, 3, lang=lang)
    text = format_number(value, _decimals(value, unit, fmt), lang=lang)
    if fmt == "raw" or unit not in UNITS_TEXT:
        return text
    return f"{text}{_NBSP}{UNITS_TEXT[unit][lang]}"


class MissingFigureError(KeyError):
    """A report text refers to figure ids that are not in the record."""


@dataclass(frozen=True)
class _Placeholder:
    """One parsed ``{{ id|fmt|n:forms }}``."""

    source: str
    id: str
    fmt: str | None
    forms: tuple[str, ...] | None
    ablative: bool = False


def _parse(body: str) -> _Placeholder:
    """Parse what stands between ``{{`` and ``}}``; a malformed placeholder is a ValueError naming it."""
    source = "{{" + body + "}}"
    id, *filters = (part.strip() for part in body.split("|"))
    if not _ID.fullmatch(id):
        raise ValueError(f"placeholder {source!r}: a figure id has letters, digits, '.', '_' or '-' only")
    fmt = forms = None
    ablative = False
    for f in filters:
        if f == "abl":
            ablative = True
        elif f.startswith("n:"):
            if forms is not None:
                raise ValueError(f"placeholder {source!r}: plural forms given twice")
            forms = tuple(" ".join(w.split()) for w in f[2:].split("/"))
            if len(forms) not in (1, 3, 4) or not all(forms):
                raise ValueError(f"placeholder {source!r}: give the noun in 3 forms 'one/few/many' "
                                 f"(«анкета/анкеты/анкет», a 4th for fractions if it differs) "
                                 f"or in 1 form for every number, not {f!r}")
            marks = {w.count("#") for w in forms}
            if marks not in ({0}, {1}):
                raise ValueError(f"placeholder {source!r}: put one '#' (the number) in every form or in none")
        elif f in FORMATS:
            if fmt is not None:
                raise ValueError(f"placeholder {source!r}: two formats, {fmt!r} and {f!r}")
            fmt = f
        else:
            raise ValueError(f"placeholder {source!r}: unknown format {f!r} "
                             f"(formats: {', '.join(FORMATS)}; plural forms: 'n:one/few/many'; 'abl')")
    if ablative and forms is not None:
        raise ValueError(f"placeholder {source!r}: 'abl' (Kazakh) and plural forms do not go together")
    return _Placeholder(source, id, fmt, forms, ablative)


@lru_cache(maxsize=None)
def _plural_form(lang: str) -> Any:
    return Locale.parse(lang).plural_form


def _require_count(ph: _Placeholder, value: Number | str | None, unit: str) -> None:
    """Plural forms and endings go with a count: not a text, nor a value printed with its unit."""
    if isinstance(value, str) or unit == "p" or ph.fmt == "p" or (unit in UNITS_TEXT and ph.fmt != "raw"):
        raise ValueError(f"placeholder {ph.source!r}: figure {ph.id!r} ({value!r}, unit {unit!r}) is not a "
                         f"count; plural forms and 'abl' go with counts (a word after %, тг or a p-value "
                         f"agrees with the unit, not with the number)")


def _with_noun(ph: _Placeholder, value: Number | None, unit: str, text: str, lang: str) -> str:
    """The formatted number ``text`` with the form of the noun that agrees with it."""
    assert ph.forms is not None
    _require_count(ph, value, unit)
    if len(ph.forms) == 1:
        form = ph.forms[0]
    elif value is None:  # «— анкет»
        form = ph.forms[2]
    else:
        category = _plural_form(lang)(_shown(value, _decimals(value, unit, ph.fmt)))
        position = _FORM_OF_CATEGORY.get(category, 2)
        form = ph.forms[position if position < len(ph.forms) else 1]
    return form.replace("#", text) if "#" in form else f"{text} {form}"


def _kk_last_word(shown: Decimal) -> str:
    """The last word of a number read aloud in Kazakh (of its decimals, if any: «5,5» ends in «бес»)."""
    places = max(0, -int(shown.as_tuple().exponent))
    n = int(shown.copy_abs() % 1 * 10**places) if places else int(shown.copy_abs())
    if n % 10 or n == 0:
        return _KK_UNITS[n % 10]
    if n % 100:
        return _KK_TENS[n % 100 // 10]
    for power, word in ((1000, "жүз"), (10**6, "мың"), (10**9, "миллион")):
        if n % power:
            return word
    return "миллиард"


def _with_ablative(ph: _Placeholder, value: Number | None, unit: str, text: str, lang: str) -> str:
    """The formatted number ``text`` with its Kazakh ablative ending: «280-нен»."""
    if lang != "kk":
        raise ValueError(f"placeholder {ph.source!r}: 'abl' is the Kazakh ablative, not for a {lang!r} text")
    _require_count(ph, value, unit)
    if value is None:  # «—», no ending
        return text
    shown = _shown(value, _decimals(value, unit, ph.fmt))
    return f"{text}-{KK_ABLATIVE[_kk_last_word(shown)]}"


def placeholders(text: str) -> list[str]:
    """The figure ids a text refers to, in order (a malformed placeholder is a ValueError).

    >>> placeholders("Готовы {{ a1.ready }} из {{ a1.n|int|n:анкеты/анкет/анкет }}.")
    ['a1.ready', 'a1.n']
    """
    return [_parse(m["body"]).id for m in _PLACEHOLDER.finditer(text)]


def fill(text: str, figures: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    """Replace every placeholder (``{{ id }}``, ``{{ id|fmt }}``, ``{{ id|n:one/few/many }}``,
    ``{{ id|abl }}``, see the module docstring) with the formatted recorded value.

    Ids missing from the record raise :class:`MissingFigureError` (listing all of them); a malformed
    placeholder, or plural forms after a value that is not a count, raise ValueError naming it.

    >>> figs = {"a.n": {"value": 752, "unit": "count"}, "a.p": {"value": 99.601, "unit": "percent"}}
    >>> fill("n = {{ a.n }}, {{a.p|pct2}}", figs, "ru")
    'n = 752, 99,60\\xa0%'

    The noun agrees with the number as shown (forms one/few/many; a fraction takes the second, or a
    fourth form if given):

    >>> text = "{{ x|n:принятая анкета/принятые анкеты/принятых анкет }}"
    >>> [fill(text, {"x": {"value": v, "unit": "count"}}, "ru") for v in (1000, 821, 92)]
    ['1\\xa0000 принятых анкет', '821 принятая анкета', '92 принятые анкеты']
    >>> [fill("{{ x|num1|n:год/года/лет }}", {"x": {"value": v, "unit": "years"}}, "ru") for v in (1, 5.5)]
    ['1,0 года', '5,5 года']

    ``#`` places the number among the forms, so that a verb before it agrees too:

    >>> fill("Опрос {{ x|n:прошёл # человек/прошли # человека/прошли # человек }}.",
    ...      {"x": {"value": 21, "unit": "respondents"}}, "ru")
    'Опрос прошёл 21 человек.'

    A unit ending in a dot before the sentence's dot gives one dot:

    >>> fill("Айырмасы — {{ d }}.", {"d": {"value": 2.04, "unit": "pp"}}, "kk")
    'Айырмасы — 2,0\\xa0п.т.'
    """
    found = [(m, _parse(m["body"])) for m in _PLACEHOLDER.finditer(text)]
    missing = sorted({ph.id for _, ph in found if ph.id not in figures})
    if missing:
        raise MissingFigureError(f"text refers to figures not in the record: {missing}")
    parsed = {m.start(): ph for m, ph in found}

    def repl(m: re.Match[str]) -> str:
        ph = parsed[m.start()]
        fig = figures[ph.id]
        out = format_value(fig["value"], fig["unit"], lang, ph.fmt)
        if ph.forms is not None:
            out = _with_noun(ph, fig["value"], fig["unit"], out, lang)
        if ph.ablative:
            out = _with_ablative(ph, fig["value"], fig["unit"], out, lang)
        return out + ("." if m["dot"] and not out.endswith(".") else "")

    return _PLACEHOLDER.sub(repl, text)
