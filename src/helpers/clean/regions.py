"""Regions as people write them → region codes of ``config/regions.yaml``, for the regions of a period.

The oblasts created in 2022 (``new_2022``: Abai, Zhetisu, Ulytau) are regions of their own for a
period that reaches their ``valid_from`` (:func:`regions_for_period`); before that their spellings
and codes stand for the region they were split from (``maps_to``). Every spelling (name in
ru/kk/en, abbreviation, alias, «обл.», «г.»/«қаласы») is keyed the same way; a key found exactly
gives its code, a typo gets the one region an unambiguous close match points to (and is listed, so
the reviewer sees each correction). Work is done once per distinct text: a column of a million
answers holds a few dozen spellings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from helpers.clean.text import match_key
from helpers.config_files import read_yaml

_CITY_WORDS = re.compile(r"(?<![\w-])(?:г|гор|город|города|қаласы|каласы|қ)(?![\w-])\.?")
_OBL_ABBR = re.compile(r"(?<![\w-])обл(?![\w-])\.?")
_OBL_WORDS = re.compile(r"(?<![\w-])(?:область|облысы)(?![\w-])")
CUTOFF = 0.88


def load_regions(config_dir: Path) -> dict:
    """Read ``config/regions.yaml``."""
    return read_yaml(Path(config_dir) / "regions.yaml")


def keys(texts: Sequence[str | None], *, strip: bool = False) -> list[str | None]:
    """The matching key of each text: :func:`helpers.clean.text.match_key`, «обл.» → «область»,
    «г.»/«қаласы» and punctuation dropped; with ``strip`` also without «область/облысы».

    >>> keys(["г. Нур-Султан", "Карагандинская обл.", "ВКО", None])
    ['нур-султан', 'карагандинская область', 'вко', None]
    >>> keys(["Карагандинская обл."], strip=True)
    ['карагандинская']
    """
    matched = pl.Series("v", list(texts), dtype=pl.String).to_frame().select(match_key(pl.col("v")))["v"].to_list()
    out = []
    for k in matched:
        if k is not None:
            k = re.sub(r"[.,;:«»\"()]", " ", _CITY_WORDS.sub(" ", _OBL_ABBR.sub(" область ", k)))
            k = " ".join((_OBL_WORDS.sub(" ", k) if strip else k).split())
        out.append(k)
    return out


def region_entries(regions_cfg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every region of ``config/regions.yaml``: those of 2021 (``regions``), then those of 2022 (``new_2022``)."""
    return [*regions_cfg.get("regions", []), *regions_cfg.get("new_2022", [])]


def regions_for_period(regions_cfg: Mapping[str, Any], start: dt.date, end: dt.date) -> list[str]:
    """Region codes valid at some day of ``start``–``end``, in the order of ``config/regions.yaml``.

    A region with ``valid_from`` is offered only when the period reaches that day (the 2022
    oblasts: from 2022-06-08); one with ``valid_to`` only when the period starts by then. The
    regions the 2022 oblasts were split from stay valid: people still write them.

    >>> cfg = {"regions": [{"code": "VKO"}], "new_2022": [{"code": "ABA", "maps_to": "VKO", "valid_from": dt.date(2022, 6, 8)}]}
    >>> regions_for_period(cfg, dt.date(2021, 4, 1), dt.date(2021, 11, 25))
    ['VKO']
    >>> regions_for_period(cfg, dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    ['VKO', 'ABA']
    """
    if start > end:
        raise ValueError(f"period {start} – {end}: the start is after the end")
    return [r["code"] for r in region_entries(regions_cfg)
            if r.get("valid_from", dt.date.min) <= end and r.get("valid_to", dt.date.max) >= start]


def in_period(code: str, regions_cfg: Mapping[str, Any], valid: Collection[str]) -> str:
    """``code`` as a region of the period whose codes are ``valid``: a 2022 oblast outside its
    period is the region it was split from (``maps_to``); any other code is itself.

    >>> cfg = {"regions": [{"code": "ALM"}], "new_2022": [{"code": "ZHE", "maps_to": "ALM"}]}
    >>> in_period("ZHE", cfg, ["ALM"]), in_period("ZHE", cfg, ["ALM", "ZHE"]), in_period("ALM", cfg, ["ALM"])
    ('ALM', 'ZHE', 'ALM')
    """
    parent = {r["code"]: r["maps_to"] for r in regions_cfg.get("new_2022", [])}
    return code if code in valid or code not in parent else parent[code]


def lookup(regions: Mapping, own: Collection[str] = ()) -> dict[str, str]:
    """Every spelling of every region (its key) → the region's code; «all Kazakhstan» → ``ALL``.

    A 2022 oblast whose code is in ``own`` (:func:`regions_for_period` of a period from 2022-06-08)
    is a region of its own (its code is a spelling too); otherwise its spellings give the 2021
    region it was split from (``maps_to``). Full spellings must be unambiguous (else an error);
    spellings without «область/облысы» are added only where unambiguous (so «Алматы облысы» → ALM
    while «Алматы» → ALA).

    >>> cfg = {"regions": [{"code": "VKO", "ru": "Восточно-Казахстанская область", "kk": "Шығыс Қазақстан облысы", "en": "East"}],
    ...        "new_2022": [{"code": "ABA", "ru": "Абайская область", "kk": "Абай облысы", "en": "Abai", "maps_to": "VKO"}]}
    >>> own = lookup(cfg, own=["ABA"])
    >>> lookup(cfg)["абай облысы"], own["абай облысы"], own["восточно-казахстанская"]
    ('VKO', 'ABA', 'VKO')
    """
    pairs = [(label, r["code"]) for r in regions["regions"]
             for label in [r["code"], r["ru"], r["kk"], r["en"], *r.get("abbr", []), *r.get("aliases", [])]]
    for r in regions.get("new_2022", []):
        code = r["code"] if r["code"] in own else r["maps_to"]
        own_code = [code] if code == r["code"] else []
        pairs += [(label, code) for label in [*own_code, r["ru"], r["kk"], r["en"], *r.get("aliases", [])]]
    if regions.get("all_country"):
        pairs += [(a, regions["all_country"]["code"]) for a in regions["all_country"]["aliases"]]
    labels = [p[0] for p in pairs]
    out: dict[str, str] = {}
    for key, (_, code) in zip(keys(labels), pairs):
        if out.setdefault(key, code) != code:
            raise ValueError(f"config/regions.yaml: the spelling {key!r} is given to {out[key]} and {code}")
    loose: dict[str, set[str]] = {}
    for key, (_, code) in zip(keys(labels, strip=True), pairs):
        loose.setdefault(key, set()).add(code)
    out |= {key: next(iter(codes)) for key, codes in loose.items() if key not in out and len(codes) == 1}
    return out


def _close(key: str, known: list[str], table: Mapping[str, str]) -> str | None:
    """The one spelling a typo stands for: the closest key when it is clearly the closest region."""
    near = difflib.get_close_matches(key, known, n=2, cutoff=CUTOFF)
    if not near:
        return None
    if len(near) == 1 or table[near[0]] == table[near[1]]:
        return near[0]
    gap = difflib.SequenceMatcher(None, key, near[0]).ratio() - difflib.SequenceMatcher(None, key, near[1]).ratio()
    return near[0] if gap > 0.05 else None


def codes_of(texts: Iterable[str], table: Mapping[str, str]) -> dict[str, tuple[str | None, str | None]]:
    """Each text → ``(code, the close spelling used to fix a typo or None)``; ``(None, None)`` when unknown.

    >>> codes_of(["Карагандинкая обл.", "Марс", "КАРАГАНДИНСКАЯ"], {"карагандинская": "KAR"})
    {'Карагандинкая обл.': ('KAR', 'карагандинская'), 'Марс': (None, None), 'КАРАГАНДИНСКАЯ': ('KAR', None)}
    """
    texts = list(texts)
    known = list(table)
    out = {}
    for text, key, loose in zip(texts, keys(texts), keys(texts, strip=True)):
        code = table.get(key) or table.get(loose)
        fix = None if code or key is None else _close(loose, known, table)
        out[text] = (code or (table[fix] if fix else None), fix)
    return out


def map_column(values: pl.Series, table: Mapping[str, str]) -> tuple[pl.Series, pl.Series]:
    """A region column → codes (null where empty or unknown) and the close spelling used (null where none)."""
    found = codes_of(values.drop_nulls().unique().to_list(), table)
    code = values.replace_strict({t: c for t, (c, _) in found.items() if c}, default=None, return_dtype=pl.String)
    fixed = values.replace_strict({t: f for t, (_, f) in found.items() if f}, default=None, return_dtype=pl.String)
    return code, fixed


def extract(text: str | None, table: Mapping[str, str]) -> str | None:
    """Several regions in one cell (event registers) → ';'-joined codes, sorted; spellings searched
    longest first as whole words.

    >>> extract("ВКО Павлодарская Алматинская область", {"вко": "VKO", "павлодарская": "PAV", "алматинская": "ALM"})
    'ALM;PAV;VKO'
    """
    if text is None:
        return None
    rest = f" {keys([text])[0] or ''} "
    found = set()
    for key in sorted(table, key=len, reverse=True):
        pattern = r"(?<![\w-])" + re.escape(key) + r"(?![\w-])"
        if re.search(pattern, rest):
            found.add(table[key])
            rest = re.sub(pattern, " ", rest)
    return ";".join(sorted(found)) or None
