"""Masking personal data in one free text: phone numbers, IINs, e-mail addresses, people's names.

:func:`mask` works on one Python string, so any engine can call it once per distinct text
(:func:`helpers.clean.pii.mask_text`). Each find becomes ``[phone]``, ``[IIN]``, ``[e-mail]`` or
``[name]``; hex digests (40 or 64 hex characters: commit ids, SHA-256) are left alone. People's names
are masked by :mod:`helpers.clean.names`.

Transformations include:

- e-mails: an address with ``@`` (spaces around it allowed), ``(at)``/``[at]``/``{at}``/``(собака)``
  and ``(dot)``/``[dot]``; spelled with bare words (``ivan at mail dot ru``, ``собака``, ``точка``)
  only when it ends in a domain of ``config/personal_data.yaml``;
- IINs: 12 digits not inside a longer run of digits; written in groups (6+6, 6+3+3, 4+4+4, 3+3+3+3,
  spaces or dashes) when the first six digits can be a birth date (YYMMDD);
- phones: a run of digit groups (spaces, dots, dashes, brackets) holding ``+`` and a country code
  with 10–15 digits, 11 digits from 8/7 (+7 written 8, 3–5-digit city codes), 10 digits from 7/9, or
  a 5–7-digit city number ending in two 2-digit groups after a word like «тел.»; never a date
  (12.05.2021, 2021-05-12) nor a sum grouped by thousands (9 950 000);
- names: capitalised words with evidence of a person's name (a patronymic, a surname ending, a first
  name, a known name, a person cue beside it), initials with the word beside them, natasha's NER for
  what remains: see :mod:`helpers.clean.names`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from helpers import paths
from helpers.clean.names import mask_names
from helpers.config_files import read_yaml

PHONE_TOKEN, IIN_TOKEN, EMAIL_TOKEN = "[phone]", "[IIN]", "[e-mail]"

DIGEST = re.compile(r"(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9A-Za-z])")
_HOLD = "\ue000"  # stands in for a digest while the text is masked
_UPPER = re.compile(r"[^\W\d_a-zа-яёәғқңөұүһі]")  # an upper-case letter anywhere: a name is possible

# --- e-mails -------------------------------------------------------------------------------------
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT = rf"(?P<at>\s*@\s*|\s*{_OPEN}\s*(?:at|@|собака)\s*{_CLOSE}\s*|\s+(?:at|собака)\s+)"
_AT_WORD = re.compile(r"(?i)at|собака")  # no e-mail without one of these (or @)
_DOT = rf"(?:\.|\s*{_OPEN}\s*(?:dot|точка)\s*{_CLOSE}\s*|\s+(?:dot|точка)\s+)"
EMAIL = re.compile(rf"(?i)(?<![\w.%+-])(?P<local>[\w%+-]+(?:\.[\w%+-]+)*){_AT}"
                   rf"[\w-]+(?:{_DOT}[\w-]+)*?{_DOT}(?P<tld>[^\W\d_]{{2,24}})(?![\w-])")

# --- IINs ------------------------------------------------------------------------------------------
_S = r"[ \u00a0\-–]"
IIN = re.compile(rf"(?<!\d)(?:\d{{12}}|\d{{6}}{_S}(?:\d{{6}}|\d{{3}}{_S}\d{{3}})|\d{{4}}{_S}\d{{4}}{_S}\d{{4}}"
                 rf"|\d{{3}}{_S}\d{{3}}{_S}\d{{3}}{_S}\d{{3}})(?!\d)")

# --- phones ----------------------------------------------------------------------------------------
_RUN = re.compile(r"(?<![0-9A-Za-z_])(?<!\d[.,])(?:\(?\+\s?)?\(?\d+(?:[ \t\u00a0\u202f.\-–()]{1,4}\d+)*")
_GROUP = re.compile(r"\d+")
_SPACES = " \t\u00a0\u202f"
_FIRST_DIGITS = {11: "78", 10: "79"}  # a phone of 11 or 10 digits without «+» starts with one of these


def mask(text: str, names: frozenset[str] = frozenset()) -> str:
    """``text`` with phones, IINs, e-mails and people's names replaced by ``[phone]`` … ``[name]``.

    ``names`` are people's names known from elsewhere in the run (journal columns): masked in
    any case and, word by word (but for ordinary words: «Роза»), in any case ending.

    >>> mask("Иванова М.А. (ИИН 880412 300123): +7 (7102) 73-45-67, ivan(at)mail.kz, 12.05.2021, 9 950 000 тг")
    '[name] (ИИН [IIN]): [phone], [e-mail], 12.05.2021, 9 950 000 тг'
    """
    digests = DIGEST.findall(text) if _HOLD not in text else []
    out = DIGEST.sub(_HOLD, text) if digests else text
    out = mask_contacts(out)
    if names or _UPPER.search(out):
        out = mask_names(out, names)
    for d in digests:
        out = out.replace(_HOLD, d, 1)
    return out


def mask_contacts(text: str) -> str:
    """``text`` with e-mails, IINs and phones masked (not names, not digests' insides: see :func:`mask`).

    >>> mask_contacts("name [at] mail [dot] ru, 880412-300-123, 8.701.234.56.78, T1-01, 45 %")
    '[e-mail], [IIN], [phone], T1-01, 45 %'
    """
    if "@" in text or _AT_WORD.search(text):
        text = EMAIL.sub(_email, text)
    text = IIN.sub(_iin, text)
    return _RUN.sub(_phones, text)


@lru_cache(maxsize=1)
def _contact_words() -> tuple[re.Pattern, frozenset[str]]:
    """From ``config/personal_data.yaml``: a word like «тел.» before a short city number, and the domains an
    e-mail spelled with bare words may end in."""
    cfg = read_yaml(paths.CONFIG / "personal_data.yaml")
    cue = re.compile(r"(?i)(?<![^\W\d_])(?:" + "|".join(map(re.escape, cfg["phone_cues"])) + ")")
    return cue, frozenset(d.lower() for d in cfg["mail_domains"])


def _email(m: re.Match) -> str:
    spelled = not re.search(r"@|[(\[{<]", m.group("at"))  # «ivan at mail dot ru»: bare words
    if spelled and (m.group("tld").lower() not in _contact_words()[1] or not m.group("local").isascii()):
        return m.group(0)
    return EMAIL_TOKEN


def _iin(m: re.Match) -> str:
    """12 digits in a row: an IIN; in groups: when the first six can be a birth date (not 125 000 000 000)."""
    d = re.sub(r"\D", "", m.group(0))
    return IIN_TOKEN if d == m.group(0) or (1 <= int(d[2:4]) <= 12 and 1 <= int(d[4:6]) <= 31) else m.group(0)


def _phones(m: re.Match) -> str:
    """The phone numbers among one run of digit groups, each replaced; the other groups kept."""
    run, start = m.group(0), m.start()
    groups = [g.span() for g in _GROUP.finditer(run)]
    digits = [run[a:b] for a, b in groups]
    seps = [run[groups[k][1] : groups[k + 1][0]] for k in range(len(groups) - 1)]
    plus = "+" in run[: groups[0][0]]
    cue = bool(_contact_words()[0].search(m.string[max(0, start - 24) : start]))
    out, done, i = [], 0, 0
    while i < len(groups):  # the longest phone starting at group i, if any
        ends = range(len(groups) - 1, i - 1, -1)
        j = next((j for j in ends if _is_phone(digits[i : j + 1], seps[i:j], plus and not i, cue and not i)), None)
        if j is not None:
            a = groups[i][0] if i else 0
            while a > done and run[a - 1] in "(+":  # the brackets and «+» before it: «2021 (701) 123 45 67»
                a -= 1
            out += [run[done:a], PHONE_TOKEN]
            done, i = groups[j][1], j
        i += 1
    return "".join(out) + run[done:]


def _is_phone(digits: list[str], seps: list[str], plus: bool, cue: bool) -> bool:
    d = "".join(digits)
    n = len(d)
    if any(_date_like(digits[k : k + 3], seps[k : k + 2]) for k in range(len(digits) - 2)):
        return False
    if plus:
        return 10 <= n <= 15 and (d[0] != "7" or n == 11)
    if _thousands(digits, seps):
        return False
    if n in _FIRST_DIGITS:
        return d[0] in _FIRST_DIGITS[n]
    return cue and 5 <= n <= 7 and len(digits) >= 3 and len(digits[-1]) == len(digits[-2]) == 2  # after «тел.»: 250-50-50


def _thousands(digits: list[str], seps: list[str]) -> bool:
    """A sum grouped by thousands with one kind of separator: 9 950 000, 7.500.000.000."""
    if len(digits) < 2 or len(digits[0]) > 3 or any(len(g) != 3 for g in digits[1:]):
        return False
    return len({s.strip(_SPACES) or " " for s in seps}) == 1 and seps[0].strip(_SPACES) in ("", ".", ",")


def _date_like(g: list[str], s: list[str]) -> bool:
    """Three groups (two separators) that read as a date: 12.05.2021, 12/05/21, 2021-05-12."""
    if s[0] != s[1] or s[0] not in (".", "/", "-"):
        return False
    if s[0] != "-" and len(g[0]) <= 2 and len(g[1]) <= 2 and len(g[2]) in (2, 4):
        return _day_month(g[0], g[1])
    return len(g[0]) == 4 and len(g[1]) <= 2 and len(g[2]) <= 2 and _day_month(g[2], g[1])


def _day_month(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12
