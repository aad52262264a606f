"""Personal data: salted pseudonymous ids and masking of free text.

Law of the RK «О медиации» art. 8 (confidentiality) and «О персональных данных и их защите»:
names, phone numbers, e-mails and IINs never reach ``data/processed``. Ids are a salted
sha256 of the *normalised* value, so the same person written differently (case, spaces,
phone punctuation) gets the same id. The salt comes from :meth:`helpers.params.Params.salt`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.clean.normalise import clean_text, match_key

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
    key = match_key(values)
    codes, uniques = pd.factorize(key)
    salt_b = salt.encode("utf-8") + b"\x1f"
    ids = np.array(
        ["p" + base64.b32encode(hashlib.sha256(salt_b + str(u).encode("utf-8")).digest()).decode("ascii").lower()[:ID_LENGTH] for u in uniques],
        dtype=object,
    )
    out = pd.Series(ids[np.where(codes >= 0, codes, 0)] if len(ids) else None, index=values.index, dtype="str")
    return out.where(codes >= 0)


def mask_text(s: pd.Series, names: Iterable[str] = ()) -> pd.Series:
    """Mask e-mails, 12-digit IINs, phone numbers and the given known names in free text.

    >>> mask_text(pd.Series(["пишите ivan@mail.kz или 8 701 123 45 67, ИИН 900101300123, Иванов"]), ["Иванов"]).tolist()
    ['пишите [e-mail] или [phone], ИИН [IIN], [name]']
    """
    out = s.astype("str")
    out = out.str.replace(EMAIL, "[e-mail]", regex=True).str.replace(IIN, "[IIN]", regex=True).str.replace(PHONE, "[phone]", regex=True)
    parts = sorted({str(n).strip() for n in names if isinstance(n, str) and len(str(n).strip()) >= 3}, key=len, reverse=True)
    for i in range(0, len(parts), 500):
        pat = r"(?i)(?<!\w)(?:" + "|".join(re.escape(p) for p in parts[i : i + 500]) + r")(?!\w)"
        out = out.str.replace(pat, "[name]", regex=True)
    return out.where(s.notna())


def contains_personal_data(s: pd.Series) -> pd.Series:
    """True where a text still contains an e-mail, a phone number or a 12-digit number."""
    t = s.astype("str").fillna("")
    return t.str.contains(EMAIL) | t.str.contains(IIN) | t.str.contains(PHONE)
