"""The figure catalogue (``config/figures.yaml``): unit, Russian and Kazakh label and source of every
figure a run records, so that a notebook records ``rec.add(id, value, base=n)`` and its code is about
the analysis.

An entry's key is a figure id, or an id pattern whose ``{name}`` stands for any part of an id (dots
included): ``clean.{survey}.n``. An id takes the entry written as the id itself, else the most specific
pattern that matches it (the one with the most fixed characters); two patterns as specific as each
other are an error. The texts of an entry are ``str.format`` templates: ``{name}`` is filled from the
id's parts and from the names the caller gives to :meth:`helpers.figures.FiguresRecord.add`
(``rec.add(f"plan.{r.id}.plan", r.plan, indicator_ru=r.indicator, ...)``); a format spec works
(``{alpha:g}``). An id with no entry, a template naming a name nobody gave, or a name given that no
template uses is an error naming the id and the catalogue file: a figure cannot be recorded without
its labels.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from helpers.config_files import read_yaml

#: what an entry holds: the three required texts, then the optional one
REQUIRED = ("unit", "ru", "kk")
OPTIONAL = ("source",)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ID_TEXT = re.compile(r"[A-Za-z0-9_.\-]*")


class CatalogueError(ValueError):
    """A figure the catalogue cannot label, or a malformed catalogue."""


@dataclass(frozen=True)
class Labels:
    """What the catalogue gives a recorded figure."""

    unit: str
    ru: str
    kk: str
    source: str


@dataclass(frozen=True)
class _Entry:
    key: str
    texts: dict[str, str]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = _PLACEHOLDER.split(self.key)  # literal, name, literal, name, ..., literal
        return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[A-Za-z0-9_.\\-]+?)"
                                  for i, p in enumerate(parts)))

    @cached_property
    def fixed(self) -> int:
        """Fixed characters of the key: the more, the more specific the pattern."""
        return len(_PLACEHOLDER.sub("", self.key))

    @cached_property
    def fields(self) -> set[str]:
        """The names the entry's texts use."""
        return {f.split(".")[0].split("[")[0] for t in self.texts.values()
                for _, f, _, _ in string.Formatter().parse(t) if f}


def _check_entry(key: Any, item: Any, where: str) -> _Entry:
    if not isinstance(key, str) or not _ID_TEXT.fullmatch(_PLACEHOLDER.sub("", key)):
        raise CatalogueError(f"{where}: {key!r} is no figure id or id pattern (letters, digits, '.', '_', '-', "
                             f"and {{name}} for a part)")
    names = _PLACEHOLDER.findall(key)
    if len(names) != len(set(names)):
        raise CatalogueError(f"{where}: {key!r} names a part twice")
    if not isinstance(item, Mapping):
        raise CatalogueError(f"{where}: {key!r} must map unit, ru, kk (and source) to texts")
    missing = [k for k in REQUIRED if not isinstance(item.get(k), str) or not item[k].strip()]
    unknown = sorted(set(item) - set(REQUIRED) - set(OPTIONAL))
    if missing or unknown:
        raise CatalogueError(f"{where}: entry {key!r}" + (f" lacks {', '.join(missing)}" if missing else "")
                             + (f" has unknown keys {unknown}" if unknown else ""))
    return _Entry(key, {k: str(item.get(k) or "") for k in (*REQUIRED, *OPTIONAL)})


class Catalogue:
    """The entries of a figure catalogue, checked when read.

    >>> cat = Catalogue({"clean.{survey}.n": {"unit": "respondents", "ru": "Анкет: {survey}", "kk": "Сауалнамалар: {survey}"},
    ...                  "plan.{id}.plan": {"unit": "{unit}", "ru": "План: {name_ru}", "kk": "Жоспар: {name_kk}",
    ...                                     "source": "{registry}"}})
    >>> cat.labels("clean.nonprof.n", {})
    Labels(unit='respondents', ru='Анкет: nonprof', kk='Сауалнамалар: nonprof', source='')
    >>> cat.labels("plan.t1.plan", {"unit": "count", "name_ru": "Консультации", "name_kk": "Кеңестер", "registry": "indicators.yaml"})
    Labels(unit='count', ru='План: Консультации', kk='Жоспар: Кеңестер', source='indicators.yaml')
    """

    def __init__(self, entries: Mapping[Any, Any], where: str = "the figure catalogue") -> None:
        self.where = where
        checked = [_check_entry(k, v, where) for k, v in entries.items()]
        self._fixed = {e.key: e for e in checked if "{" not in e.key}
        self._patterns = sorted((e for e in checked if "{" in e.key), key=lambda e: -e.fixed)

    @classmethod
    def load(cls, path: str | Path) -> Catalogue:
        """Read a catalogue file (a YAML mapping of ids and id patterns to their texts)."""
        data = read_yaml(path)
        if not isinstance(data, Mapping):
            raise CatalogueError(f"{path}: a mapping of figure ids to unit, ru, kk and source")
        return cls(data, str(path))

    @property
    def keys(self) -> list[str]:
        """Every entry's key."""
        return [*self._fixed, *(e.key for e in self._patterns)]

    def _find(self, id: str) -> tuple[_Entry, dict[str, str]]:
        if id in self._fixed:
            return self._fixed[id], {}
        found = [(e, m.groupdict()) for e in self._patterns if (m := e.pattern.fullmatch(id))]
        if not found:
            raise CatalogueError(f"figure {id!r} has no entry in {self.where}: add one (unit, ru, kk, source) "
                                 f"under the id or a pattern of it")
        if len(found) > 1 and found[1][0].fixed == found[0][0].fixed:
            raise CatalogueError(f"figure {id!r}: entries {found[0][0].key!r} and {found[1][0].key!r} of {self.where} "
                                 f"match it equally; make one more specific")
        return found[0]

    def entry_of(self, id: str) -> str:
        """The key of the entry that labels ``id``.

        >>> cat = Catalogue({k: {"unit": "u", "ru": "р", "kk": "қ"} for k in ("a.{x}", "a.{x}.pct", "a.b.pct")})
        >>> cat.entry_of("a.c.pct"), cat.entry_of("a.b.pct"), cat.entry_of("a.c.d")
        ('a.{x}.pct', 'a.b.pct', 'a.{x}')
        """
        return self._find(id)[0].key

    def labels(self, id: str, names: Mapping[str, Any]) -> Labels:
        """The entry's texts for ``id``, filled from its parts and ``names``."""
        entry, parts = self._find(id)
        clash = sorted(set(parts) & set(names))
        unused = sorted(set(names) - entry.fields)
        if clash or unused:
            raise CatalogueError(f"figure {id!r}: " + (f"{clash} are parts of the id, not names to give; " if clash else "")
                                 + (f"no text of entry {entry.key!r} of {self.where} uses {unused}" if unused else ""))
        values = {**parts, **names}
        try:
            return Labels(**{k: t.format_map(values) for k, t in entry.texts.items()})
        except KeyError as e:
            raise CatalogueError(f"figure {id!r}: entry {entry.key!r} of {self.where} uses {{{e.args[0]}}}, which is "
                                 f"neither a part of the id nor a name given to add()") from None
