"""Normalisation of raw text: whitespace, case, Cyrillic/Latin look-alikes, dates, regions.

All functions take and return pandas objects and are vectorised; where a Python-level step is
unavoidable (fuzzy region matching) it runs on the *unique* values only.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.config_files import read_yaml

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


_DISTINCT_MIN = 50_000  # below this, factorising costs little either way
_SAMPLE = 5_000


def _mostly_distinct(s: pd.Series) -> bool:
    """True when more than half of the first rows are distinct values (per-value work would not shrink)."""
    return s.iloc[:_SAMPLE].nunique(dropna=False) > _SAMPLE // 2


def distinct(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(codes, values)`` with ``s == values.take(codes)``: the distinct values of ``s`` (as ``str``)
    and NA last, so that every row has a code (NA rows point at the NA). A categorical ``s`` gives
    its categories (unused ones included) without factorising.

    >>> codes, u = distinct(pd.Series(["b", None, "b", "a"]))
    >>> codes.tolist(), u.tolist()
    ([0, 2, 0, 1], ['b', 'a', nan])
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes, uniques = s.cat.codes.to_numpy(), s.cat.categories
    else:
        codes, uniques = pd.factorize(s)  # NA → -1 (faster than use_na_sentinel=False on Arrow strings)
    u = pd.concat([pd.Series(uniques, dtype="str"), pd.Series([None], dtype="str")], ignore_index=True)
    return np.where(codes < 0, len(uniques), codes), u


def decode(s: pd.Series) -> pd.Series:
    """A categorical column of texts back to ``str`` (other columns are returned as they are).

    >>> decode(pd.Series(["b", None, "a"], dtype="category")).tolist()
    ['b', nan, 'a']
    """
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return s
    values = pd.array(s.cat.categories, dtype="str")
    return pd.Series(values.take(s.cat.codes.to_numpy(), allow_fill=True), index=s.index, name=s.name)


def per_unique(s: pd.Series, fn: Callable[[pd.Series], pd.Series | pd.DataFrame]) -> pd.Series | pd.DataFrame:
    """Apply an element-wise ``fn`` to the distinct values of ``s`` only, then broadcast back.

    Survey columns hold a handful of distinct labels in a million rows, so every normalisation
    step runs once per label. NA is one of the values ``fn`` sees (as NA), so ``fn`` decides what
    it becomes, exactly as before. ``fn`` may return a frame (several results per value). A long
    column whose first rows are mostly distinct (e-mails, timestamps) goes to ``fn`` whole: the
    result is the same (``fn`` is element-wise), without the cost of factorising.

    >>> per_unique(pd.Series(["a", "b", "a", None]), lambda u: u.str.upper()).tolist()
    ['A', 'B', 'A', nan]
    """
    if isinstance(s.dtype, pd.CategoricalDtype):  # read dictionary-encoded: the distinct values are known
        codes, u = distinct(s)
        res = fn(u)
        out = res.take(codes)
        out.index = s.index
        return out
    dtype = s.dtype if isinstance(s.dtype, pd.StringDtype) else object
    if len(s) >= _DISTINCT_MIN and _mostly_distinct(s):  # e-mails, timestamps, ids: nothing to share, skip factorising
        res = fn(s if dtype is not object else s.astype(object))
        res.index = s.index
        return res
    codes, uniques = pd.factorize(s)  # NA → -1 (faster than use_na_sentinel=False on Arrow strings)
    u = pd.Series(list(uniques) + [None], dtype=dtype) if dtype is object else pd.concat(
        [pd.Series(uniques, dtype=dtype), pd.Series([None], dtype=dtype)], ignore_index=True)
    codes = np.where(codes < 0, len(uniques), codes)
    res = fn(u)
    out = res.take(codes)
    out.index = s.index
    return out


#: printable ASCII words separated by single spaces: already clean (a fixed point of clean_text).
_PLAIN = r"^[!-~]+(?: [!-~]+)*$"
_NON_ASCII = r"[^\x00-\x7f]"


def _clean_text_full(s: pd.Series) -> pd.Series:
    out = (
        s.astype("str")
        .str.normalize("NFC")
        .str.replace("\u00a0", " ", regex=False)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
    return out.where(out.ne("") & s.notna())


def _only_where(s: pd.Series, todo: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn`` applied to the ``todo`` part of ``s`` only (the rest is left as it is)."""
    if todo.all():
        return fn(s)
    out = s.copy()
    if todo.any():
        out[todo] = fn(s[todo])
    return out


def _is_plain(s: pd.Series) -> pd.Series:
    """Whether each value matches :data:`_PLAIN` (NA: False); a long column is checked on its UTF-8 bytes."""
    if len(s) >= _DISTINCT_MIN:
        plain = _plain_bytes(s)
        if plain is not None:
            return pd.Series(plain, index=s.index)
    # no line break either: Python's re, which pandas uses when a value holds one, lets '$' match before a final '\n'
    return (s.str.contains(_PLAIN, regex=True) & ~s.str.contains("\n", regex=False)).fillna(False).astype(bool)


def _utf8_bytes(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The Arrow form of a text column as numpy views: ``(offsets, data, valid)``, value i being
    ``data[offsets[i]:offsets[i + 1]]`` (UTF-8) where ``valid[i]``. ``None`` when Arrow cannot take ``s`` as text."""
    import pyarrow as pa

    try:
        arr = pa.array(s.astype("str").array)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    n, bufs = len(arr), arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset: arr.offset + n + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    valid = np.ones(n, dtype=bool) if arr.null_count == 0 else ~arr.is_null().to_numpy(zero_copy_only=False)
    return offsets, data, valid


def _plain_bytes(s: pd.Series) -> np.ndarray | None:
    """:data:`_PLAIN` tested on the Arrow bytes: every byte printable ASCII (``!``–``~``) or a space,
    no space first, last or next to another, not empty. ``None`` when ``s`` is not text Arrow can take.
    """
    bufs = _utf8_bytes(s)
    if bufs is None:
        return None
    offsets, data, valid = bufs
    b = data[offsets[0]: offsets[-1]]
    starts, ends = offsets[:-1] - offsets[0], offsets[1:] - offsets[0]
    plain = valid & (ends > starts)  # not NA, not empty
    space = b == 0x20
    odd = np.flatnonzero((b < 0x20) | (b > 0x7E))  # few: control bytes, UTF-8 bytes of other letters
    pair = np.flatnonzero(space[:-1] & space[1:])  # two spaces, at i and i + 1
    owner = np.searchsorted(ends, odd, side="right")  # the value a byte belongs to
    plain[owner] = False
    first, second = np.searchsorted(ends, pair, side="right"), np.searchsorted(ends, pair + 1, side="right")
    plain[first[first == second]] = False  # both spaces in one value
    some = np.flatnonzero(plain)
    plain[some[space[starts[some]] | space[ends[some] - 1]]] = False  # a space first or last
    return plain


def _clean_text_and_plain(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`clean_text` of every value (not per distinct value) and whether the result is plain ASCII.

    Plain values (e-mails, timestamps, ids) are clean already; only the others are cleaned, and
    tested again, since cleaning can make a value plain.
    """
    s = s.astype("str")
    plain = _is_plain(s)
    if plain.all():
        return s, plain
    t = _only_where(s, ~plain, _clean_text_full)
    plain = plain.copy()
    plain[~plain] = _is_plain(t[~plain])
    return t, plain


def _clean_text_values(s: pd.Series) -> pd.Series:
    return _clean_text_and_plain(s)[0]


def clean_text(s: pd.Series) -> pd.Series:
    """Unicode NFC, no-break spaces → spaces, whitespace collapsed and stripped, '' → NA.

    Runs on the distinct values (:func:`per_unique`).

    >>> clean_text(pd.Series(["  Да\\u00a0 ", "", None])).tolist()
    ['Да', nan, nan]
    """
    return per_unique(s, _clean_text_cached)


def clean_text_columns(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``df`` with :func:`clean_text` applied to each of ``columns``, the distinct values of all its
    ``str`` columns cleaned in one pass: a hand-typed table of a dozen short columns then costs
    what one column did (other dtypes are cleaned one by one).

    >>> clean_text_columns(pd.DataFrame({"a": [" x ", None], "b": ["x", "  "], "n": [1, 2]}), ["a", "b"]).to_dict("list")
    {'a': ['x', nan], 'b': ['x', nan], 'n': [1, 2]}
    """
    columns = list(columns)
    text = [c for c in columns if df[c].dtype == "str"]
    out = {c: clean_text(df[c]) for c in columns if c not in text}
    if text:
        parts = [distinct(df[c]) for c in text]
        cleaned = clean_text(pd.concat([u for _, u in parts], ignore_index=True)).array
        starts = np.cumsum([0] + [len(u) for _, u in parts])
        out.update((c, pd.Series(cleaned.take(codes + start), index=df.index, name=c))
                   for c, (codes, _), start in zip(text, parts, starts))
    return df.assign(**out) if out else df


def answered(s: pd.Series) -> pd.Series:
    """``clean_text(s).notna()`` (a cell with more than whitespace), computed per distinct value.

    >>> answered(pd.Series([" Да ", " ", None])).tolist()
    [True, False, False]
    """
    return per_unique(s, lambda u: _clean_text_cached(u).notna()).astype(bool)


def fix_lookalikes(s: pd.Series) -> pd.Series:
    """Replace Latin look-alike letters inside words that also contain Cyrillic letters.

    Words written wholly in Latin script (``Instagram``) are left alone. Values in plain ASCII
    (e-mails, ids) cannot contain a Cyrillic letter and skip the (slow, Python-level) regex.

    >>> fix_lookalikes(pd.Series(["Кapaганда", "Instagram"])).tolist()
    ['Караганда', 'Instagram']
    """
    s = s.astype("str")
    todo = s.str.contains(_NON_ASCII, regex=True).fillna(False).astype(bool)
    return _only_where(s, todo, lambda x: x.str.replace(_MIXED_WORD, lambda m: m.group(0).translate(_TRANS), regex=True))


def _match_key_values(u: pd.Series) -> pd.Series:
    """Plain printable ASCII (e-mails, ids: already clean, no look-alikes) needs only ``lower``; the rest the full path."""
    s = u.astype("str")
    plain = _is_plain(s)
    if not plain.any():
        return _match_key_full(s)
    out = s.str.lower()
    if not plain.all():
        rest = np.flatnonzero(~plain.to_numpy(dtype=bool))  # by position: few values of a long column
        values = out.array.copy()
        values[rest] = _match_key_full(s.iloc[rest]).array
        out = pd.Series(values, index=s.index)
    return out


def _match_key_full(u: pd.Series) -> pd.Series:
    t = _clean_text_full(u)  # called with the values that are not plain ASCII
    f = fix_lookalikes(t)
    non_ascii = f.str.contains(_NON_ASCII, regex=True).fillna(False).astype(bool)
    folded = _only_where(f.str.lower(), non_ascii, lambda _: f[non_ascii].str.casefold())  # casefold = lower on ASCII
    return folded.str.replace("ё", "е", regex=False).where(t.notna())


_MISSING = object()


class _Memo:
    """A pure element-wise text function (NA → NA) that remembers its results for short value lists.

    Labels, offices and header-like cells recur in every file and column, so the pandas string
    calls run once per new value instead of once per column. Long lists (e-mails, names of a big
    table) go straight to the function, and only short texts (up to ``max_len`` characters) are
    kept, so the cache stays small (≤ ``max_size`` values, then it is cleared). Thread-safe: the
    survey exports are cleaned in threads (:mod:`helpers.clean.stage`).
    """

    small = 2_000
    max_len = 200

    def __init__(self, fn: Callable[[pd.Series], pd.Series], max_size: int = 200_000) -> None:
        self.fn, self.max_size = fn, max_size
        self.cache: dict[str, object] = {}
        self.lock = threading.Lock()

    def __call__(self, u: pd.Series) -> pd.Series:
        if len(u) > self.small:
            return self.fn(u)
        vals = u.tolist()
        if not all(isinstance(v, str) or v is None or (isinstance(v, float) and np.isnan(v)) for v in vals):
            return self.fn(u)  # numbers etc.: the text conversion decides
        cache = self.cache
        known = {v: cache.get(v, _MISSING) for v in vals if isinstance(v, str)}  # a local view: other threads may clear the cache
        todo = [v for v, k in known.items() if k is _MISSING]
        if todo:
            known.update(zip(todo, self.fn(pd.Series(todo, dtype="str")).tolist()))
            with self.lock:
                if len(cache) > self.max_size:
                    cache.clear()
                cache.update((v, known[v]) for v in todo if len(v) <= self.max_len)
        return pd.Series([known[v] if isinstance(v, str) else None for v in vals], index=u.index, dtype="str")


#: match keys of short label lists already computed.
_match_key_cached = _Memo(_match_key_values)
#: clean texts of short value lists already computed.
_clean_text_cached = _Memo(_clean_text_values)


def match_key(s: pd.Series) -> pd.Series:
    """The key labels are matched on: cleaned, case-folded, ё→е, look-alikes fixed.

    >>> match_key(pd.Series([" Положительно ", "ОТРИЦАТЕЛЬНО", "Нет, не слышал(а)"])).tolist()
    ['положительно', 'отрицательно', 'нет, не слышал(а)']
    """
    return per_unique(s, _match_key_cached)


def _parse_dates_values(s: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    t, plain = _clean_text_and_plain(s)
    # the typist's suffixes and «27.05. 2021» need a Cyrillic letter or '. ': plain ASCII without '. ' skips both
    todo = ~(plain & ~t.str.contains(". ", regex=False).fillna(False).astype(bool))
    t = _only_where(t, todo, lambda x: x.str.replace(r"\s*(г\.?|года|ж\.?|жыл)\s*$", "", regex=True)
                    .str.replace(r"(\d)\.\s+(\d)", r"\1.\2", regex=True))
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    if formats and formats[0] == "%d.%m.%Y %H:%M:%S":
        out = _fast_dmy_hms(t)
    for fmt in formats:
        todo = out.isna() & t.notna()
        if not todo.any():
            break
        out.loc[todo] = pd.to_datetime(t[todo], format=fmt, errors="coerce")
    return out


_DMY_HMS = r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}) (?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})$"


def _fast_dmy_hms(t: pd.Series) -> pd.Series:
    """``22.04.2021 9:03:11`` (the Google Forms ru/kk timestamp) parsed by pyarrow and integer arithmetic.

    Gives exactly what ``pd.to_datetime(format="%d.%m.%Y %H:%M:%S")`` gives for the texts it
    accepts here (valid calendar date, hour ≤ 23, minute and second ≤ 59); anything else is NaT
    here and left to the general format loop.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[us]")
    arr = pa.array(t.astype("str").array)  # the Arrow data itself, no Python objects
    parts = pc.extract_regex(arr, _DMY_HMS)
    names = ["year", "month", "day", "hour", "minute", "second"]
    cols = {k: pc.cast(pc.struct_field(parts, k), pa.int64()).to_numpy(zero_copy_only=False) for k in names}
    frame = pd.DataFrame(cols, index=t.index)
    ok = frame.notna().all(axis=1) & frame["hour"].le(23) & frame["minute"].le(59) & frame["second"].le(59)
    if ok.any():
        stamp = pd.to_datetime(frame.loc[ok, names].astype("int64"), errors="coerce")
        out.loc[ok] = stamp.astype("datetime64[us]")
    return out


#: ``DD.MM.YYYY HH:MM:SS`` and ``DD.MM.YYYY H:MM:SS``: where the separators and digits are.
_FIXED_LAYOUTS: dict[int, tuple[dict[str, tuple[int, int]], dict[int, int]]] = {
    length: (
        {"day": (0, 2), "month": (3, 2), "year": (6, 4), "hour": (11, h), "minute": (12 + h, 2), "second": (15 + h, 2)},
        {2: ord("."), 5: ord("."), 10: ord(" "), 11 + h: ord(":"), 14 + h: ord(":")},
    )
    for h, length in ((2, 19), (1, 18))
}


def _fixed_width_dmy_hms(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The Google Forms timestamps in their usual layouts, read straight from the Arrow bytes.

    Returns ``(timestamps, done)``: ``done`` marks the rows parsed here, the ones whose text is
    exactly ``DD.MM.YYYY HH:MM:SS`` or ``DD.MM.YYYY H:MM:SS`` (ASCII digits, nothing around)
    with a real calendar date, hour ≤ 23, minute and second ≤ 59 and a year 1900–2200. Such a
    text is clean already and :func:`_fast_dmy_hms` gives it the same timestamp; every other row
    (NaT, ``done`` False) is left to the general path.
    """
    n = len(s)
    res = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    done = np.zeros(n, dtype=bool)
    bufs = _utf8_bytes(s) if n else None
    if bufs is None:
        return pd.Series(res, index=s.index), done
    offsets, data, valid = bufs
    starts, lengths = offsets[:-1], np.diff(offsets)
    for length, (fields, seps) in _FIXED_LAYOUTS.items():
        rows = np.flatnonzero(valid & (lengths == length))
        if not len(rows):
            continue
        windows = np.lib.stride_tricks.sliding_window_view(data, length)  # a view: window i = data[i:i + length]
        block = windows[starts[rows]]  # one gather: line k = the bytes of the k-th such text
        digits = block - np.uint8(48)  # uint8: a byte below '0' wraps round to a large value, so digit ⇔ ≤ 9
        ok = np.ones(len(rows), dtype=bool)
        for p in range(length):  # column by column: no temporary the size of the block
            ok &= (block[:, p] == seps[p]) if p in seps else (digits[:, p] <= 9)
        v = {}
        for name, (pos, width) in fields.items():
            x = np.zeros(len(rows), dtype=np.int64)
            for p in range(pos, pos + width):
                x = x * 10 + digits[:, p]
            v[name] = x
        ok &= (v["year"] >= 1900) & (v["year"] <= 2200) & (v["month"] >= 1) & (v["month"] <= 12) & (v["day"] >= 1)
        ok &= (v["hour"] <= 23) & (v["minute"] <= 59) & (v["second"] <= 59)
        month = (np.where(ok, v["year"], 1970) - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (np.where(ok, v["month"], 1) - 1)
        first = month.astype("datetime64[D]")
        ok &= v["day"] <= ((month + 1).astype("datetime64[D]") - first).astype(np.int64)
        micro = (v["hour"] * 3600 + v["minute"] * 60 + v["second"]) * 1_000_000
        stamp = first.astype("datetime64[us]") + ((v["day"] - 1) * 86_400_000_000 + micro).astype("timedelta64[us]")
        done[rows[ok]] = True
        res[rows[ok]] = stamp[ok]
    return pd.Series(res, index=s.index), done


def parse_dates(s: pd.Series, formats: Iterable[str] = DATE_FORMATS) -> pd.Series:
    """Parse dates written in any of ``formats`` (first match wins); unparseable → NaT.

    Also tolerates the typist's habits seen in the registers: ``27.05. 2021г.``. Each distinct
    text is parsed once.

    >>> parse_dates(pd.Series(["22.04.2021 9:03:11", "4/22/2021 15:03:11", "27.05. 2021г.", "10.09.21", "x"])).dt.strftime("%Y-%m-%d").tolist()
    ['2021-04-22', '2021-04-22', '2021-05-27', '2021-09-10', nan]
    """
    formats = tuple(formats)
    if formats and formats[0] == "%d.%m.%Y %H:%M:%S":  # vectorised fast path: distinct values would not save time
        out, done = _fixed_width_dmy_hms(s)
        rest = np.flatnonzero(~done)  # by position: a few rows of a long column
        if len(rest):
            values = out.to_numpy(copy=True)
            values[rest] = _parse_dates_values(s.iloc[rest], formats).to_numpy(dtype="datetime64[us]")
            out = pd.Series(values, index=s.index)
        return out
    return per_unique(s, lambda u: _parse_dates_values(u, formats))


def to_number(s: pd.Series) -> pd.Series:
    """Text → float (decimal comma accepted); text that is not a number → NaN.

    >>> to_number(pd.Series(["34", " 2,5", "тридцать", None])).tolist()
    [34.0, 2.5, nan, nan]
    """
    def values(u: pd.Series) -> pd.Series:
        t = _clean_text_cached(u).str.replace(",", ".", regex=False)
        return pd.to_numeric(t, errors="coerce").astype("float64")

    return per_unique(s, values)


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
    return read_yaml(Path(config_dir) / "regions.yaml")


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
    res = per_unique(s, lambda u: _map_region_values(u, lookup, cutoff))
    return res["code"], res["fixed"]


def _map_region_values(s: pd.Series, lookup: Mapping[str, str], cutoff: float) -> pd.DataFrame:
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
    return pd.DataFrame({"code": codes.astype("str").where(codes.notna()), "fixed": fixed})


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


def band_of(age: pd.Series, bands: list[Mapping], categorical: bool = False) -> pd.Series:
    """Age → band code of ``config/age_bands.yaml`` (``categorical``: as a categorical of the band codes).

    >>> band_of(pd.Series([16, 17, 60, None], dtype="Int64"), [{"code": "13-16", "min": 13, "max": 16}, {"code": "17-22", "min": 17, "max": 22}, {"code": "59+", "min": 59, "max": 100}]).tolist()
    ['13-16', '17-22', '59+', nan]
    """
    edges = [b["min"] for b in bands] + [bands[-1]["max"] + 1]
    cut = pd.cut(age.astype("float64"), bins=edges, right=False, labels=[b["code"] for b in bands])
    labels = pd.array([b["code"] for b in bands], dtype="str")  # the codes of the bins, taken by bin number (-1: NA)
    if categorical:
        return pd.Series(pd.Categorical.from_codes(np.asarray(cut.cat.codes), categories=pd.Index(labels)), index=age.index)
    return pd.Series(labels.take(np.asarray(cut.cat.codes), allow_fill=True), index=age.index)
