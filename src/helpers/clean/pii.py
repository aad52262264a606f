"""Personal data: salted pseudonymous ids and masking of free text.

Law of the RK «О медиации» art. 8 (confidentiality) and «О персональных данных и их защите»:
names, phone numbers, e-mails and IINs never reach ``data/processed``. Ids are a salted
sha256 of the *normalised* value, so the same person written differently (case, spaces,
phone punctuation) gets the same id. The salt comes from :meth:`helpers.params.Params.salt`.
"""

from __future__ import annotations

import hashlib
import re
from operator import methodcaller
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.clean.normalise import _match_key_values, match_key, per_unique

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IIN = re.compile(r"(?<!\d)\d{12}(?!\d)")
PHONE = re.compile(r"(?<![\w])(?:\+7|8|7)?[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")
ID_LENGTH = 12


def phone_key(s: pd.Series) -> pd.Series:
    """Digits of a Kazakh phone number, the last 10 (so +7 / 8 prefixes agree).

    >>> phone_key(pd.Series(["+7 (701) 123-45-67", "87011234567", None])).tolist()
    ['7011234567', '7011234567', nan]
    """
    d = s.astype("str").str.replace(r"\D", "", regex=True).str[-10:]
    return d.where(d.ne("") & s.notna())


def person_key(name: pd.Series, phone: pd.Series | None = None) -> pd.Series:
    """Normalised ``name|phone`` used for applicant and participant ids (journals and events alike).

    >>> person_key(pd.Series(["Иванова  Мария"]), pd.Series(["8 701 123 45 67"])).tolist()
    ['иванова мария|7011234567']
    """
    n = match_key(name).str.replace(r"[.,]", " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    p = phone_key(phone) if phone is not None else pd.Series(pd.NA, index=name.index, dtype="str")
    key = n.fillna("") + "|" + p.fillna("")
    return key.where(n.notna() | p.notna())


def pseudonymise(values: pd.Series, salt: str) -> pd.Series:
    """Salted pseudonymous ids (``p`` + 12 base32 characters of sha256) of normalised values; NA stays NA.

    Base32 (letters and the digits 2–7) rather than hex, so that an id never looks like a phone
    number or a 12-digit IIN. Hashing runs once per unique value.

    >>> pseudonymise(pd.Series(["A@x.kz", " a@x.kz", None]), "s").tolist()
    ['pxwr45terrqb3', 'pxwr45terrqb3', nan]
    """
    if not salt:
        raise ValueError("pseudonymise: an empty salt is not allowed")
    def ids_of(u: pd.Series) -> pd.Series:  # once per distinct raw value
        key = _match_key_values(u)
        given = key.notna().to_numpy()
        ids = _ids(key[given], salt)
        pos = np.cumsum(given) - 1
        taken = ids.take(pa.array(pos, mask=~given)) if len(ids) else pa.nulls(len(key), pa.large_string())
        return pd.Series(taken.to_pandas(types_mapper={pa.large_string(): pd.StringDtype(na_value=np.nan)}.get), index=u.index, dtype="str")

    return per_unique(values, ids_of)


_B32 = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz234567", dtype=np.uint8)


def _ids(uniques, salt: str) -> pa.Array:
    """``p`` + the first 12 lower-case base32 characters of ``sha256(salt 0x1f value)``, one per value.

    The base32 step is done with numpy on the first 8 digest bytes (12 characters = 60 bits),
    equal to ``base64.b32encode(digest).decode().lower()[:12]``.

    >>> import base64, hashlib
    >>> d = hashlib.sha256(b"s\x1fa@x.kz").digest()
    >>> _ids(["a@x.kz"], "s").to_pylist() == ["p" + base64.b32encode(d).decode().lower()[:ID_LENGTH]]
    True
    """
    values = pa.array([str(u) for u in uniques] if not isinstance(uniques, pd.Series) else uniques.astype("str").array, type=pa.large_string())
    n, width = len(values), ID_LENGTH + 1
    if not n:
        return pa.array([], type=pa.large_string())
    # salt + 0x1f + value as bytes, built by Arrow; sha256 and digest called through map (no Python loop body)
    prefix = pa.scalar(salt + "\x1f", type=pa.large_string())
    keyed = pc.binary_join_element_wise(prefix, values, pa.scalar("", type=pa.large_string())).cast(pa.large_binary()).to_pylist()
    digests = np.frombuffer(b"".join(map(methodcaller("digest"), map(hashlib.sha256, keyed))), dtype=np.uint8).reshape(n, 32)
    head = np.ascontiguousarray(digests[:, :8]).view(">u8").ravel()
    shifts = np.arange(64 - 5, 64 - 5 * (ID_LENGTH + 1), -5, dtype=np.uint64)
    chars = _B32[(head[:, None] >> shifts[None, :]) & np.uint64(31)]
    text = np.concatenate([np.full((n, 1), ord("p"), dtype=np.uint8), chars], axis=1)
    offsets = np.arange(0, n * width + 1, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(text).tobytes()))


def mask_text(s: pd.Series, names: Iterable[str] = ()) -> pd.Series:
    """Mask e-mails, 12-digit IINs, phone numbers and the given known names in free text.

    >>> mask_text(pd.Series(["пишите ivan@mail.kz или 8 701 123 45 67, ИИН 900101300123, Иванов"]), ["Иванов"]).tolist()
    ['пишите [e-mail] или [phone], ИИН [IIN], [name]']
    """
    parts = sorted({str(n).strip() for n in names if isinstance(n, str) and len(str(n).strip()) >= 3}, key=len, reverse=True)

    def values(u: pd.Series) -> pd.Series:
        out = u.astype("str")
        out = out.str.replace(EMAIL, "[e-mail]", regex=True).str.replace(IIN, "[IIN]", regex=True).str.replace(PHONE, "[phone]", regex=True)
        for i in range(0, len(parts), 500):
            pat = r"(?i)(?<!\w)(?:" + "|".join(re.escape(p) for p in parts[i : i + 500]) + r")(?!\w)"
            out = out.str.replace(pat, "[name]", regex=True)
        return out.where(u.notna())

    return per_unique(s, values)


def contains_personal_data(s: pd.Series) -> pd.Series:
    """True where a text still contains an e-mail, a phone number or a 12-digit number."""
    t = s.astype("str").fillna("")
    return t.str.contains(EMAIL) | t.str.contains(IIN) | t.str.contains(PHONE)
