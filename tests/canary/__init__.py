"""Canaries for the leak test of issue 17 (tests/test_canary.py): personal data planted in every kind
of cell of every source of a copy of the fixture's raw folder (:mod:`canary.plant`), and a scanner
that looks for them in every file a run writes (:mod:`canary.scan`).

A canary is one person's name, phone, IIN or e-mail in one spelling, with what the scanner looks
for: a phone's national digits and an IIN's 12 digits inside any run of digits and separators, a
name's parts as words (case endings allowed), an e-mail's local part. Each canary is distinct from
the others and from the fixture's own data, so a find names the canary that leaked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Canary:
    """One planted item: its id, kind (name, phone, iin, email), text and what the scanner looks for
    (digit strings for phones and IINs, :func:`canary.scan.norm` texts for names and e-mails)."""

    id: str
    kind: str
    text: str
    needles: tuple[str, ...]


CANARIES: tuple[Canary, ...] = (
    Canary("name_ru", "name", "Канареечкин Берик Ахметович", ("канареечкин", "берик", "ахметович")),
    Canary("name_kk", "name", "Айгерім Серікқызы", ("сериккызы",)),  # Айгерим alone: a name the fixture has too
    Canary("name_kk_uly", "name", "Қанат Торғайұлы", ("канат", "торгаиулы")),
    Canary("name_initials", "name", "Синицына А. Б.", ("синицын",)),
    Canary("name_latin", "name", "Kanareechkin Berik Akhmetovich", ("kanareechkin", "berik", "akhmetovich")),
    Canary("phone_dots", "phone", "8.701.318.42.96", ("7013184296",)),
    Canary("phone_city", "phone", "+7 (7102) 73-45-67", ("7102734567",)),
    Canary("phone_uz", "phone", "+998 90 123 45 67", ("901234567",)),
    Canary("phone_plain", "phone", "87019876543", ("7019876543",)),
    Canary("phone_spaced", "phone", "8 702 555 41 29", ("7025554129",)),
    Canary("iin_plain", "iin", "880412300123", ("880412300123",)),
    Canary("iin_spaced", "iin", "910523 400456", ("910523400456",)),
    Canary("email_plain", "email", "kanareyka@mail.ru", ("kanareyka",)),
    Canary("email_spaced", "email", "sinitsa.b @ mail.ru", ("sinitsa",)),
    Canary("email_at", "email", "shchegol(at)mail.ru", ("shchegol",)),
    Canary("email_brackets", "email", "strizh[at]inbox.kz", ("strizh",)),
)
KINDS: tuple[str, ...] = ("name", "phone", "iin", "email")
