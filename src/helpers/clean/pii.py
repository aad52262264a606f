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
import pandas as pd  # hash_array: the keyed SipHash
import polars as pl
import pyarrow as pa

from helpers.clean.masking import mask, mask_contacts
from helpers.clean.text import match_key

ID_LENGTH = 12


def per_distinct(s: pl.Series, fn: Callable[[str], object], dtype: pl.DataType = pl.String) -> pl.Series:
    """``fn`` applied once per distinct non-null value of ``s`` (null stays null), in ``s``'s order.

    >>> per_distinct(pl.Series(["a", None, "a", "b"]), str.upper).to_list()
    ['A', None, 'A', 'B']
    """
    u = s.drop_nulls().unique()
    done = pl.Series([fn(v) for v in u], dtype=dtype)
    return s.replace_strict(u, done, default=None, return_dtype=dtype)


def pseudonymise(values: pl.Series, salt: str, *, normalised: bool = False) -> pl.Series:
    """Salted pseudonymous ids (``p`` + 12 base32 characters of a keyed hash) of normalised values; null stays null.

    Base32 (letters and the digits 2–7) rather than hex, so that an id never looks like a phone
    number or a 12-digit IIN. ``normalised=True``: the values are
    :func:`~helpers.clean.text.match_key` results already (the key is idempotent, so the ids are the
    same), and the normalising step is skipped.

    >>> pseudonymise(pl.Series(["A@x.kz", " a@x.kz", None]), "s").to_list()
    ['portpz52t3faj', 'portpz52t3faj', None]
    """
    if not salt:
        raise ValueError("pseudonymise: an empty salt is not allowed")
    keys = values if normalised else values.to_frame("v").select(match_key(pl.col("v"))).to_series()
    ids = pl.Series(values.name, ids_of_hashes(key_hashes(keys.fill_null(""), salt)))
    return pl.select(pl.when(keys.is_not_null()).then(ids)).to_series().alias(values.name)


_B32 = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz234567", dtype=np.uint8)


def hash_key(salt: str) -> str:
    """The SipHash key of ``salt`` as ``pandas.util.hash_array`` takes it (a 16-character text): 16 ASCII
    characters (112 key bits) from ``sha256("pseudonymise" 0x1f salt)``."""
    digest = hashlib.sha256(("pseudonymise\x1f" + salt).encode("utf-8")).digest()
    return bytes(b & 0x7F for b in digest[:16]).decode("ascii")


def key_hashes(values: pl.Series, salt: str) -> np.ndarray:
    """The keyed 64-bit hash (``uint64``) an id is made of, of each value (texts, no null).

    ``pandas.util.hash_array(values, hash_key=hash_key(salt), categorize=False)``: SipHash-2-4 of
    the value's UTF-8 bytes (given as Python bytes: hashed as they are, not encoded again) under the key,
    then pandas' fixed bijective bit mixing (so distinct hashes stay distinct). It runs in C over the whole array.
    """
    if values.null_count():
        raise ValueError("key_hashes: a missing value has no id")
    data = values.cast(pl.String).to_arrow().cast(pa.large_binary()).to_numpy(zero_copy_only=False)
    return pd.util.hash_array(data, encoding="utf8", hash_key=hash_key(salt), categorize=False)


def ids_of_hashes(head: np.ndarray) -> pa.Array:
    """The ids (``p`` + 12 base32 characters of the top 60 bits) of :func:`key_hashes` results, built in numpy."""
    n, width = len(head), ID_LENGTH + 1
    text = np.empty((n, width), dtype=np.uint8)
    text[:, 0] = ord("p")
    for j in range(ID_LENGTH):  # 5 bits per character, from the top
        text[:, j + 1] = _B32[(head >> np.uint64(59 - 5 * j)) & np.uint64(31)]
    offsets = np.arange(0, n * width + 1, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text.tobytes()))


def mask_text(s: pl.Series, names: Iterable[str] = ()) -> pl.Series:
    """Mask phone numbers, IINs, e-mails and people's names in free text (:func:`helpers.clean.masking.mask`),
    once per distinct text; null stays null. ``names``: people's names known from elsewhere in the run.

    >>> mask_text(pl.Series(["пишите ivan@mail.kz или 8 701 123 45 67, ИИН 900101300123, Жакупов", None]), ["Жакупов"]).to_list()
    ['пишите [e-mail] или [phone], ИИН [IIN], [name]', None]
    """
    known = frozenset(n.strip() for n in names if isinstance(n, str) and len(n.strip()) >= 3)
    return per_distinct(s, lambda t: mask(t, known))


def contains_personal_data(s: pl.Series) -> pl.Series:
    """True where a text still contains an e-mail, a phone number or an IIN (names are not looked for); null: False."""
    return per_distinct(s, lambda t: mask_contacts(t) != t, pl.Boolean).fill_null(False)
