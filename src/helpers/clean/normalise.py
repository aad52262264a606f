"""Normalisation of raw text: whitespace, case, Cyrillic/Latin look-alikes, dates, regions.

All functions take and return pandas objects and are vectorised; where a Python-level step is
unavoidable (fuzzy region matching) it runs on the *unique* values only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

#: Latin letters that look like Cyrillic ones (typed on the wrong keyboard layout).
LATIN_TO_CYRILLIC: dict[str, str] = dict(zip("aceopxykmthbABCEHKMOPTXY", "асеорхукмтнвАВСЕНКМОРТХУ"))
_CYR = "а-яёәғқңөұүһі"
_MIXED_WORD = re.compile(rf"\b(?=\w*[{_CYR}])\w*[a-z]\w*\b", re.IGNORECASE)
_TRANS = str.maketrans(LATIN_TO_CYRILLIC)

#: date formats tried in order (day first: the forms and journals are Kazakh/Russian locale).
DATE_FORMATS: tuple[str, ...] = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
)


def clean_text(s: pd.Series) -> pd.Series:
    """Unicode NFC, no-break spaces → spaces, whitespace collapsed and stripped, '' → NA.

    >>> clean_text(pd.Series(["  Да\\u00a0 ", "", None])).tolist()
    ['Да', nan, nan]
    """
    out = (
        s.astype("str")
        .str.normalize("NFC")
        .str.replace("\u00a0", " ", regex=False)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
    return out.where(out.ne("") & s.notna())


def fix_lookalikes(s: pd.Series) -> pd.Series:
    """Replace Latin look-alike letters inside words that also contain Cyrillic letters.

    Words written wholly in Latin script (``Instagram``) are left alone.

    >>> fix_lookalikes(pd.Series(["Кapaганда", "Instagram"])).tolist()
    ['Караганда', 'Instagram']
    """
    return s.str.replace(_MIXED_WORD, lambda m: m.group(0).translate(_TRANS), regex=True)


def match_key(s: pd.Series) -> pd.Series:
    """The key labels are matched on: cleaned, case-folded, ё→е, look-alikes fixed.

    >>> match_key(pd.Series([" Положительно ", "ОТРИЦАТЕЛЬНО", "Нет, не слышал(а)"])).tolist()
    ['положительно', 'отрицательно', 'нет, не слышал(а)']
    """
    t = clean_text(s)
    codes, uniques = pd.factorize(t)
    u = pd.Series(uniques, dtype="str")
    u = fix_lookalikes(u).str.casefold().str.replace("ё", "е", regex=False)
    out = pd.Series(np.asarray(u, dtype=object)[codes] if len(u) else np.full(len(t), None), index=s.index, dtype="str")
    return out.where(codes >= 0)


def parse_dates(s: pd.Series, formats: Iterable[str] = DATE_FORMATS) -> pd.Series:
    """Parse dates written in any of ``formats`` (first match wins); unparseable → NaT.

    Also tolerates the typist's habits seen in the registers: ``27.05. 2021г.``.

    >>> parse_dates(pd.Series(["22.04.2021 9:03:11", "4/22/2021 15:03:11", "27.05. 2021г.", "10.09.21", "x"])).dt.strftime("%Y-%m-%d").tolist()
    ['2021-04-22', '2021-04-22', '2021-05-27', '2021-09-10', nan]
    """
    t = clean_text(s)
    t = t.str.replace(r"\s*(г\.?|года|ж\.?|жыл)\s*$", "", regex=True).str.replace(r"(\d)\.\s+(\d)", r"\1.\2", regex=True)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = out.isna() & t.notna()
        if not todo.any():
            break
        out.loc[todo] = pd.to_datetime(t[todo], format=fmt, errors="coerce")
    return out


def to_number(s: pd.Series) -> pd.Series:
    """Text → float (decimal comma accepted); text that is not a number → NaN.

    >>> to_number(pd.Series(["34", " 2,5", "тридцать", None])).tolist()
    [34.0, 2.5, nan, nan]
    """
    t = clean_text(s).str.replace(",", ".", regex=False)
    return pd.to_numeric(t, errors="coerce").astype("float64")


# --- regions ---------------------------------------------------------------------------------

_CITY_WORDS = re.compile(r"(?<![\w-])(?:г|гор|город|города|қаласы|каласы|қ)(?![\w-])\.?")
_OBL_ABBR = re.compile(r"(?<![\w-])обл(?![\w-])\.?")
_OBL_WORDS = re.compile(r"(?<![\w-])(?:область|облысы)(?![\w-])")


def region_key(s: pd.Series, strip: bool = False) -> pd.Series:
    """Key for region matching: :func:`match_key`, «обл.» → «область», «г./қаласы» and punctuation dropped;
    with ``strip`` also without «область/облысы» (a second, looser key).

    >>> region_key(pd.Series(["г. Нур-Султан", "Карагандинская обл.", "ВКО", "Алматы облысы"])).tolist()
    ['нур-султан', 'карагандинская область', 'вко', 'алматы облысы']
    >>> region_key(pd.Series(["Карагандинская обл."]), strip=True).tolist()
    ['карагандинская']
    """
    k = match_key(s).str.replace(_OBL_ABBR, " область ", regex=True).str.replace(_CITY_WORDS, " ", regex=True)
    k = k.str.replace(r"[.,;:«»\"()]", " ", regex=True)
    if strip:
        k = k.str.replace(_OBL_WORDS, " ", regex=True)
    return k.str.replace(r"\s+", " ", regex=True).str.strip()


def load_regions(config_dir: Path) -> dict:
    """Read ``config/regions.yaml``."""
    return yaml.safe_load((Path(config_dir) / "regions.yaml").read_text(encoding="utf-8"))


def region_lookup(regions: Mapping) -> dict[str, str]:
    """Every spelling of every region (normalised key) → its 2021 region code (2022 oblasts mapped).

    Keys come in two kinds: the full spelling (must be unambiguous, else an error) and the
    spelling without «область/облысы», added only where it is unambiguous (so «Алматы облысы»
    → ALM while «Алматы» → ALA).
    """
    pairs: list[tuple[str, str]] = []
    for r in regions["regions"]:
        for label in [r["code"], r["ru"], r["kk"], r["en"], *r.get("abbr", []), *r.get("aliases", [])]:
            pairs.append((label, r["code"]))
    for r in regions.get("new_2022", []):
        for label in [r["ru"], r["kk"], r["en"], *r.get("aliases", [])]:
            pairs.append((label, r["maps_to"]))
    allc = regions.get("all_country")
    if allc:
        pairs += [(a, allc["code"]) for a in allc["aliases"]]
    labels = pd.Series([p[0] for p in pairs], dtype="str")
    lookup: dict[str, str] = {}
    for key, (_, code) in zip(region_key(labels), pairs):
        if key in lookup and lookup[key] != code:
            raise ValueError(f"config/regions.yaml: the spelling {key!r} is given to {lookup[key]} and {code}")
        lookup[key] = code
    loose: dict[str, set[str]] = {}
    for key, (_, code) in zip(region_key(labels, strip=True), pairs):
        loose.setdefault(key, set()).add(code)
    for key, codes in loose.items():
        if key not in lookup and len(codes) == 1:
            lookup[key] = next(iter(codes))
    return lookup


def map_regions(s: pd.Series, lookup: Mapping[str, str], cutoff: float = 0.88) -> tuple[pd.Series, pd.Series]:
    """Map region spellings to codes: exact key first, then one unambiguous fuzzy match (typos).

    Returns ``(codes, fixed)``: ``codes`` is NA where the value was empty or unknown; ``fixed`` is
    the fuzzy match used (NA where none), so the notebook can show every correction it made.

    >>> lk = {"карагандинская": "KAR", "костанайская": "KOS"}
    >>> codes, fixed = map_regions(pd.Series(["Карагандинкая обл.", "Марс"]), lk)
    >>> codes.tolist(), fixed.tolist()
    (['KAR', nan], ['карагандинская', nan])
    """
    key = region_key(s)
    loose = region_key(s, strip=True)
    codes = key.map(lookup).fillna(loose.map(lookup)).astype("str")
    fixed = pd.Series(pd.NA, index=s.index, dtype="str")
    todo = codes.isna() & key.notna()
    if todo.any():
        known = list(lookup)
        fuzzy: dict[str, str] = {}
        for u in loose[todo].unique():
            near = difflib.get_close_matches(u, known, n=2, cutoff=cutoff)
            if near and (len(near) == 1 or lookup[near[0]] == lookup[near[1]] or
                         difflib.SequenceMatcher(None, u, near[0]).ratio() - difflib.SequenceMatcher(None, u, near[1]).ratio() > 0.05):
                fuzzy[u] = near[0]
        f = pd.Series(loose[todo].map(fuzzy), dtype="str")
        fixed.loc[todo] = f
        codes.loc[todo] = pd.Series(f.map(lookup), dtype="str")
    return codes.astype("str").where(codes.notna()), fixed


def extract_regions(s: pd.Series, lookup: Mapping[str, str]) -> pd.Series:
    """Several regions in one cell (event registers: «ВКО Павлодарская Алматинская область») → ';'-joined codes.

    Spellings are searched longest first, as whole words; the codes keep the order of
    ``config/regions.yaml``. Empty cells → NA.

    >>> lk = {"вко": "VKO", "павлодарская": "PAV", "алматинская": "ALM"}
    >>> extract_regions(pd.Series(["ВКО Павлодарская Алматинская область", None]), lk).tolist()
    ['ALM;PAV;VKO', nan]
    """
    rest = " " + region_key(s).fillna("") + " "
    found: dict[str, pd.Series] = {}
    for key in sorted(lookup, key=len, reverse=True):
        pat = r"(?<![\w-])" + re.escape(key) + r"(?![\w-])"
        hit = rest.str.contains(pat, regex=True)
        if hit.any():
            code = lookup[key]
            found[code] = found.get(code, pd.Series(False, index=s.index)) | hit
            rest = rest.str.replace(pat, " ", regex=True)
    parts = pd.DataFrame(found, index=s.index)
    if parts.empty:
        return pd.Series(pd.NA, index=s.index, dtype="str")
    parts = parts[sorted(parts.columns)]
    joined = parts.apply(lambda col: col.map({True: col.name + ";", False: ""})).sum(axis=1).str.rstrip(";")
    return joined.where(joined.ne("")).astype("str")


def band_of(age: pd.Series, bands: list[Mapping]) -> pd.Series:
    """Age → band code of ``config/age_bands.yaml``.

    >>> band_of(pd.Series([16, 17, 60, None], dtype="Int64"), [{"code": "13-16", "min": 13, "max": 16}, {"code": "17-22", "min": 17, "max": 22}, {"code": "59+", "min": 59, "max": 100}]).tolist()
    ['13-16', '17-22', '59+', nan]
    """
    edges = [b["min"] for b in bands] + [bands[-1]["max"] + 1]
    cut = pd.cut(age.astype("float64"), bins=edges, right=False, labels=[b["code"] for b in bands])
    return cut.astype("str").where(cut.notna())
