"""The figures record: every number a report quotes, by a stable id, with where it came from.

Stage notebooks add figures with :meth:`FiguresRecord.add` and :meth:`FiguresRecord.save` them
into ``data/processed/figures.json``; report texts carry placeholders ``{{ id }}`` (or
``{{ id|fmt }}``) that :func:`fill` replaces with the formatted value. A placeholder whose id is
not in the record stops the report: the text can never quote a number nobody computed.
"""

from __future__ import annotations

import fcntl
import json
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

Number = int | float

#: units with their own formatting; any other unit is printed as a plain number plus the unit.
UNITS_TEXT: dict[str, dict[str, str]] = {
    "percent": {"ru": "%", "kk": "%"},
    "pp": {"ru": "п.п.", "kk": "п.т."},
    "kzt": {"ru": "тг", "kk": "теңге"},
}

_NBSP = "\u00a0"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*(?:\|\s*([a-z0-9_]+)\s*)?\}\}")


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
    """The figures one notebook computes; saving replaces that notebook's earlier entries."""

    def __init__(self, path: str | Path, notebook: str) -> None:
        self.path = Path(path)
        self.notebook = notebook
        self._figures: dict[str, Figure] = {}

    def add(
        self,
        id: str,
        value: Any,
        *,
        unit: str,
        label_ru: str,
        label_kk: str | None = None,
        source: str = "",
        base: int | None = None,
    ) -> Any:
        """Record a figure and return its value (so it can be used inline).

        >>> rec = FiguresRecord("/nonexistent/figures.json", "demo")
        >>> rec.add("x.share", 0.5, unit="percent", label_ru="доля")
        0.5
        """
        if not re.fullmatch(r"[A-Za-z0-9_.\-]+", id):
            raise ValueError(f"figure id {id!r}: use letters, digits, '.', '_' or '-' only")
        if id in self._figures:
            raise ValueError(f"figure id {id!r} recorded twice in {self.notebook}")
        self._figures[id] = Figure(
            id=id,
            value=_clean_value(value),
            unit=unit,
            label_ru=label_ru,
            label_kk=label_kk or label_ru,
            notebook=self.notebook,
            source=source,
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
            text = json.dumps({"figures": dict(sorted(merged.items()))}, ensure_ascii=False, indent=1,
                              sort_keys=True)
            tmp = self.path.with_suffix(".json.tmp")
            tmp.write_text(text + "\n", encoding="utf-8")
            tmp.replace(self.path)
        return self.path

    def summary(self, lang: str = "ru") -> str:
        """One line per figure (``id = formatted value``): the key figures nbval compares."""
        return "\n".join(
            f"{f.id} = {format_value(f.value, f.unit, lang)}" + (f"  (n={f.base})" if f.base is not None else "")
            for f in sorted(self._figures.values(), key=lambda f: f.id)
        )


def load(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read ``figures.json`` into ``{id: {value, unit, label_ru, ...}}``."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["figures"]


def _group(digits: str) -> str:
    """'1894' -> '1 894' with no-break spaces."""
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return _NBSP.join(out)


def format_number(value: Number, decimals: int = 0) -> str:
    """Russian/Kazakh number format: grouped thousands, decimal comma.

    >>> format_number(1274753)
    '1\\xa0274\\xa0753'
    >>> format_number(88.06, 1)
    '88,1'
    >>> format_number(-0.04, 1)
    '0,0'
    """
    text = f"{value:.{decimals}f}"
    if set(text) <= set("-0.,"):
        text = text.lstrip("-")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    return sign + _group(whole) + ("," + frac if frac else "")


def format_value(value: Number | str | None, unit: str, lang: str, fmt: str | None = None) -> str:
    """Format a recorded value for the text of a report in ``lang``.

    ``fmt`` (from ``{{ id|fmt }}``) chooses the decimals: ``int``, ``num1``, ``num2``, ``pct0``,
    ``pct1``, ``pct2``, ``raw`` (no unit), ``p`` (a p-value).

    >>> format_value(99.6010638, "percent", "ru")
    '99,6\\xa0%'
    >>> format_value(9950000, "kzt", "kk")
    '9\\xa0950\\xa0000\\xa0теңге'
    >>> format_value(0.0004, "p", "ru")
    '<\\xa00,001'
    >>> format_value(752, "consultations", "ru")
    '752'
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "p" or fmt == "p":
        return f"<{_NBSP}0,001" if value < 0.001 else format_number(value, 3)
    decimals = {"int": 0, "num1": 1, "num2": 2, "pct0": 0, "pct1": 1, "pct2": 2, "raw": None}.get(fmt or "", None)
    if decimals is None:
        if unit in ("percent", "pp"):
            decimals = 1
        elif isinstance(value, int) or float(value).is_integer():
            decimals = 0
        else:
            decimals = 2
    text = format_number(value, decimals)
    if fmt == "raw" or unit not in UNITS_TEXT:
        return text
    return f"{text}{_NBSP}{UNITS_TEXT[unit][lang]}"


class MissingFigureError(KeyError):
    """A report text refers to figure ids that are not in the record."""


def placeholders(text: str) -> list[str]:
    """The figure ids a text refers to, in order.

    >>> placeholders("Готовы {{ a1.ready }} из {{ a1.n|int }}.")
    ['a1.ready', 'a1.n']
    """
    return [m.group(1) for m in _PLACEHOLDER.finditer(text)]


def fill(text: str, figures: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    """Replace every ``{{ id }}`` / ``{{ id|fmt }}`` with the formatted recorded value.

    >>> figs = {"a.n": {"value": 752, "unit": "count"}, "a.p": {"value": 99.601, "unit": "percent"}}
    >>> fill("n = {{ a.n }}, {{a.p|pct2}}", figs, "ru")
    'n = 752, 99,60\\xa0%'
    """
    missing = sorted({i for i in placeholders(text) if i not in figures})
    if missing:
        raise MissingFigureError(f"text refers to figures not in the record: {missing}")

    def repl(m: re.Match[str]) -> str:
        fig = figures[m.group(1)]
        return format_value(fig["value"], fig["unit"], lang, m.group(2))

    return _PLACEHOLDER.sub(repl, text)
