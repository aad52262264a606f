"""Personal data: salted pseudonymous ids and masking of free text.

Law of the RK «О медиации» art. 8 (confidentiality) and «О персональных данных и их защите»:
names, phone numbers, e-mails and IINs never reach ``data/processed`` (free text is masked by
:mod:`helpers.clean.masking`, once per distinct text: :func:`mask_text`). Ids are a keyed hash
(SipHash-2-4, a pseudorandom function designed for exactly this: short inputs, secret key) of
the *normalised* value, so the same person written differently (case, spaces, phone
punctuation) gets the same id; the 128-bit key is derived from the salt, which comes from
:meth:`helpers.params.Params.salt`. Without the salt an id cannot be linked back to a value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from helpers.clean.masking import mask, mask_contacts
from helpers.clean.text import match_key

ID_LENGTH = 12


def per_distinct(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn`` applied once per distinct non-missing value of ``s`` (NA stays NA), in ``s``'s order.

    >>> per_distinct(pd.Series(["a", None, "a", "b"]), lambda u: u.str.upper()).tolist()
    ['A', nan, 'A', 'B']
    """
    codes, uniques = pd.factorize(s)
    done = fn(pd.Series(uniques, dtype=s.dtype if len(uniques) else "str"))
    out = done.reindex(range(len(uniques))).to_numpy() if len(uniques) else np.array([], dtype=object)
    result = pd.Series(np.where(codes >= 0, out[np.maximum(codes, 0)] if len(out) else None, None), index=s.index)
    return result.astype(done.dtype) if len(uniques) else result.astype("str")


def _keys(values: pd.Series) -> pd.Series:
    """The match keys (:func:`helpers.clean.text.match_key`) of texts."""
    keyed = pl.Series("v", values.astype("str").tolist(), dtype=pl.String).to_frame().select(match_key(pl.col("v")))["v"]
    return pd.Series(keyed.to_list(), index=values.index, dtype="str")


def pseudonymise(values: pd.Series, salt: str, *, normalised: bool = False) -> pd.Series:
    """Salted pseudonymous ids (``p`` + 12 base32 characters of a keyed hash) of normalised values; NA stays NA.

    Base32 (letters and the digits 2–7) rather than hex, so that an id never looks like a phone
    number or a 12-digit IIN. Hashing runs once per unique value. ``normalised=True``: the values
    are :func:`~helpers.clean.text.match_key` results already (the key is idempotent, so the
    ids are the same), and the normalising step is skipped.

    >>> pseudonymise(pd.Series(["A@x.kz", " a@x.kz", None]), "s").tolist()
    ['portpz52t3faj', 'portpz52t3faj', nan]
    """
    if not salt:
        raise ValueError("pseudonymise: an empty salt is not allowed")
    def ids_of(u: pd.Series) -> pd.Series:  # once per distinct raw value
        key = u.astype("str") if normalised else _keys(u)
        given = key.notna().to_numpy()
        ids = _ids(key[given], salt)
        pos = np.cumsum(given) - 1
        taken = ids.take(pa.array(pos, mask=~given)) if len(ids) else pa.nulls(len(key), pa.large_string())
        values = taken.to_pandas(types_mapper={pa.large_string(): pd.StringDtype(na_value=np.nan)}.get).array  # not aligned on labels
        return pd.Series(values, index=u.index, dtype="str")

    return per_distinct(values, ids_of)


_B32 = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz234567", dtype=np.uint8)


def hash_key(salt: str) -> str:
    """The SipHash key of ``salt``: 16 ASCII characters (112 key bits) from ``sha256("pseudonymise" 0x1f salt)``.

    ``pandas.util.hash_array`` takes its 128-bit key as a 16-character text.
    """
    digest = hashlib.sha256(("pseudonymise\x1f" + salt).encode("utf-8")).digest()
    return bytes(b & 0x7F for b in digest[:16]).decode("ascii")


def _ids(uniques, salt: str) -> pa.Array:
    """``p`` + 12 lower-case base32 characters (the top 60 bits) of the keyed 64-bit hash of each value.

    The hash is :func:`key_hashes`; a test recomputes ids with an independent pure-Python SipHash.
    """
    values = pd.Series([str(u) for u in uniques] if not isinstance(uniques, pd.Series) else uniques, dtype="str")
    return ids_of_hashes(key_hashes(values, salt))


def key_hashes(values: pd.Series, salt: str) -> np.ndarray:
    """The keyed 64-bit hash (``uint64``) an id is made of, of each value (texts, no NA).

    ``pandas.util.hash_array(values, hash_key=hash_key(salt), categorize=False)``: SipHash-2-4 of
    the value's UTF-8 bytes under the key, then pandas' fixed bijective bit mixing (so distinct
    hashes stay distinct). It runs in C over the whole array.
    """
    if not len(values):
        return np.zeros(0, dtype=np.uint64)
    text = pa.array(values.astype("str").array)
    if text.null_count:
        raise ValueError("key_hashes: a missing value has no id")
    # the UTF-8 bytes as Python bytes: hash_array hashes them as they are (the same hash as the
    # text's), without encoding each text again while holding the GIL
    data = text.cast(pa.large_binary()).to_numpy(zero_copy_only=False)
    return pd.util.hash_array(data, encoding="utf8", hash_key=hash_key(salt), categorize=False)


def ids_of_hashes(head: np.ndarray) -> pa.Array:
    """The ids (``p`` + 12 base32 characters of the top 60 bits) of :func:`key_hashes` results, built in numpy."""
    n, width = len(head), ID_LENGTH + 1
    if not n:
        return pa.array([], type=pa.large_string())
    text = np.empty((n, width), dtype=np.uint8)
    text[:, 0] = ord("p")
    for j in range(ID_LENGTH):  # 5 bits per character, from the top
        text[:, j + 1] = _B32[(head >> np.uint64(59 - 5 * j)) & np.uint64(31)]
    offsets = np.arange(0, n * width + 1, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(text).tobytes()))


def mask_text(s: pd.Series, names: Iterable[str] = ()) -> pd.Series:
    """Mask phone numbers, IINs, e-mails and people's names in free text (:func:`helpers.clean.masking.mask`),
    once per distinct text; NA stays NA. ``names``: people's names known from elsewhere in the run.

    >>> mask_text(pd.Series(["пишите ivan@mail.kz или 8 701 123 45 67, ИИН 900101300123, Жакупов", None]), ["Жакупов"]).tolist()
    ['пишите [e-mail] или [phone], ИИН [IIN], [name]', nan]
    """
    known = frozenset(n.strip() for n in names if isinstance(n, str) and len(n.strip()) >= 3)

    def values(u: pd.Series) -> pd.Series:
        return pd.Series([mask(t, known) if isinstance(t, str) else None for t in u.astype("str")], index=u.index, dtype="str")

    return per_distinct(s, values)


def contains_personal_data(s: pd.Series) -> pd.Series:
    """True where a text still contains an e-mail, a phone number or an IIN (names are not looked for)."""

    def found(u: pd.Series) -> pd.Series:
        return pd.Series([isinstance(t, str) and mask_contacts(t) != t for t in u.astype("str")], index=u.index, dtype=bool)

    return per_distinct(s, found)
