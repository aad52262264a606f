"""Offices as data (``config/offices.yaml``): which office a journal belongs to, safe ids, regions of a period.

A journal belongs to the office whose id starts its file name (any Unicode id, longest first);
several offices may share a region or a city. Figure and table ids derived from an office id go
through :func:`safe_id`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from helpers import paths
from helpers.clean import CleaningError
from helpers.clean.regions import in_period, region_entries, regions_for_period
from helpers.config_files import read_yaml

__all__ = ["Office", "load_offices", "office_of", "regions_for_period", "safe_id"]

#: characters that may follow an office id at the start of a file name
SEPARATORS = "_- ."
FIELDS = ("id", "ru", "kk", "region", "city", "opened")
#: Cyrillic (Russian and Kazakh) → Latin, lower case; upper case letters are capitalised.
TRANSLIT: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}


@dataclass(frozen=True)
class Office:
    """One office of ``config/offices.yaml``."""

    id: str
    ru: str
    kk: str
    region: str
    city_ru: str
    city_kk: str
    opened: dt.date


def safe_id(text: str) -> str:
    """A figure/table-id-safe form of ``text``: ASCII letters, digits, ``.``, ``_`` and ``-`` only.

    Cyrillic (Russian and Kazakh letters) is transliterated by :data:`TRANSLIT`, other accented
    letters lose their accents, letters of other scripts become ``u<hex code>``, spaces and other
    signs become ``_`` (runs collapsed, none at the ends). Deterministic; collisions are the
    caller's check (:func:`load_offices` checks them between offices).

    >>> safe_id("AKM"), safe_id("Алматы-2"), safe_id("Өскемен № 1")
    ('AKM', 'Almaty-2', 'Oskemen_1')
    >>> safe_id("Ұлытау Жезқазған"), safe_id("ШҚО/ВКО"), safe_id("Café"), safe_id("北京")
    ('Ulytau_Zhezqazgan', 'ShQO_VKO', 'Cafe', 'u5317u4eac')
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        if low in TRANSLIT:
            lat = TRANSLIT[low]
            out.append(lat.capitalize() if ch != low else lat)
        elif ch.isascii() and (ch.isalnum() or ch in "._-"):
            out.append(ch)
        elif ch.isalnum():
            plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii() and c.isalnum())
            out.append(plain or f"u{ord(ch):04x}")
        else:
            out.append("_")
    return re.sub(r"_+", "_", "".join(out)).strip("_")


def _key(text: str) -> str:
    """Case- and normalisation-free form for matching (file names from macOS come decomposed)."""
    return unicodedata.normalize("NFC", text).casefold()


def office_of(file_name: str | PurePath, offices: Mapping[str, Office]) -> Office:
    """The office whose id starts ``file_name`` (a name or a path; its folders are ignored).

    The id must be followed by ``_``, ``-``, a space, ``.`` or the end of the name; case does not
    matter; the longest matching id wins (``Алматы-2`` before ``Алматы``). Else a
    :class:`CleaningError` names the file and the known ids.

    >>> o = Office("Алматы-2", "Кабинет 2", "2-кабинет", "ALA", "Алматы", "Алматы", dt.date(2021, 4, 1))
    >>> office_of("data/raw/journals/алматы-2 журнал.xlsx", {o.id: o}).id
    'Алматы-2'
    """
    name = PurePath(file_name).name
    key = _key(name)
    for oid in sorted(offices, key=lambda i: len(_key(i)), reverse=True):
        k = _key(oid)
        if key.startswith(k) and (len(key) == len(k) or key[len(k)] in SEPARATORS):
            return offices[oid]
    known = ", ".join(offices) or "(none)"
    raise CleaningError(
        f"{name}: no office's id starts this file name. Add the office of this journal to config/offices.yaml "
        f"with an id that starts the name (followed by '_', '-', a space or '.'), or rename the file to start "
        f"with a known id: {known}")


def load_offices(config_dir: str | Path, period: tuple[dt.date, dt.date] | None = None) -> dict[str, Office]:
    """Read and check ``offices.yaml`` of ``config_dir`` (regions from ``regions.yaml`` beside it).

    Checks: every field present (``id``, ``ru``, ``kk``, ``region``, ``city`` with ``ru`` and ``kk``,
    ``opened``) and no other; texts non-empty; ``opened`` a date; ``region`` a code of
    ``regions.yaml`` (2021 or 2022); ids unique ignoring case, and so are their :func:`safe_id` forms;
    errors name the file, the office (its id, or its position) and the field. With a ``period``
    (start, end), each office's region is a region of that period: an office in a 2022 oblast (Abai,
    Zhetisu, Ulytau) belongs, for a period before the oblast existed, to the region it was split from.
    """
    file = Path(config_dir) / "offices.yaml"
    path = paths.relative_to_root(file)
    if not file.is_file():
        raise CleaningError(f"{path}: not found; list the offices there (id, ru, kk, region, city, opened)")
    data = read_yaml(file)
    items = data.get("offices") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        raise CleaningError(f"{path}: expected a non-empty list under 'offices:'")
    regions_cfg = read_yaml(Path(config_dir) / "regions.yaml")
    known_regions = {r["code"] for r in region_entries(regions_cfg)}
    out: dict[str, Office] = {}
    seen: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        office = _office(item, path, n, known_regions)
        safe = safe_id(office.id)
        for k, what in ((_key(office.id), "id (ignoring case)"), ("safe:" + safe, f"safe id {safe!r}")):
            if k in seen:
                raise CleaningError(f"{path}: office {office.id}: field 'id': same {what} as office {seen[k]}")
            seen[k] = office.id
        out[office.id] = office
    if period is None:
        return out
    valid = regions_for_period(regions_cfg, *period)
    return {oid: replace(o, region=in_period(o.region, regions_cfg, valid)) for oid, o in out.items()}


def _office(item: Any, path: str, n: int, known_regions: set[str]) -> Office:
    """Entry ``n`` (from 1) of ``offices.yaml`` → :class:`Office`; errors name it by its id, else by ``n``."""
    if not isinstance(item, Mapping):
        raise CleaningError(f"{path}: office #{n}: expected a mapping with {', '.join(FIELDS)}, got {item!r}")
    named = isinstance(item.get("id"), str) and item["id"].strip()
    where = f"{path}: office {item['id']}" if named else f"{path}: office #{n}"
    _check_fields(item, where)
    oid, city = item["id"], item["city"]
    if oid != oid.strip() or "/" in oid or "\\" in oid or not safe_id(oid):
        raise CleaningError(f"{where}: field 'id': {oid!r} must start a file name (letters or digits, no '/', no outer spaces)")
    if item["region"] not in known_regions:
        known = ", ".join(sorted(known_regions))
        raise CleaningError(f"{where}: field 'region': {item['region']!r} is not a code of regions.yaml ({known})")
    return Office(oid, item["ru"].strip(), item["kk"].strip(), item["region"], city["ru"].strip(), city["kk"].strip(),
                  _opened(item["opened"], where))


def _check_fields(item: Mapping, where: str) -> None:
    """Every field of :data:`FIELDS` present and no other; ``city`` a mapping; the texts non-empty."""
    missing = [f for f in FIELDS if f not in item]
    if missing:
        raise CleaningError(f"{where}: field {missing[0]!r} is missing")
    extra = sorted(set(item) - set(FIELDS), key=str)
    if extra:
        raise CleaningError(f"{where}: unknown field {extra[0]!r} (fields: {', '.join(FIELDS)})")
    city = item["city"]
    if not isinstance(city, Mapping):
        raise CleaningError(f"{where}: field 'city': expected {{ru: …, kk: …}}, got {city!r}")
    texts = {f: item[f] for f in ("id", "ru", "kk", "region")} | {f"city.{k}": city.get(k) for k in ("ru", "kk")}
    bad = [(f, v) for f, v in texts.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise CleaningError(f"{where}: field {bad[0][0]!r}: expected a text, got {bad[0][1]!r} (quote it in YAML)")


def _opened(value: Any, where: str) -> dt.date:
    """The ``opened`` field: a YAML date or a quoted ``YYYY-MM-DD``."""
    try:
        opened = dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        opened = None
    if not isinstance(opened, dt.date) or isinstance(opened, dt.datetime):
        raise CleaningError(f"{where}: field 'opened': expected a date YYYY-MM-DD, got {value!r}")
    return opened
