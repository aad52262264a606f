"""The words the name masker (:mod:`helpers.clean.names`) reads, and the forms and lists it compares them with.

Transformations include:

- a text's words (:func:`tokens`): each with its key, whether it is an initial («М.»), capitalised
  (not an abbreviation such as РК), the first word of a sentence (not after «г.», «ул.», «М.»), or
  inside quotes; a :class:`Token` also carries the evidence (``NEVER`` … ``STRONG``) and the
  decision of :mod:`helpers.clean.names`;
- a word's key (:func:`key`): lower case, a Latin word transliterated («Akhmetov» → «ахметов»),
  Kazakh letters as Russian ones, ё→е, й→и, no ь/ъ or apostrophes: «Айгерім» → «аигерим»;
- a key's stems (:func:`stems`): the key and the key less one Russian or Kazakh case ending, at
  least 3 letters left; a word matches a list (:func:`matches`) by its key or a stem of 4+ letters;
- the Russian dictionary's reading of a word (:func:`word_class`, pymorphy3): a first name, a
  surname or patronymic, a place or organisation, an ordinary word that is a name in a later
  reading («вера», «роман»), an ordinary word, or an unknown word;
- the word lists (:func:`lexicon`) of ``config/personal_data.yaml`` and ``regions.yaml`` (places,
  organisations, documents, person cues, Kazakh words) and natasha's first names, as keys;
- the names the caller knows (:func:`known_names`), as key sequences, keys and stems.

pymorphy3's dictionary and the lists are loaded once per process, in a background thread (:func:`load`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from helpers import paths
from helpers.config_files import read_yaml

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
KZ_LETTERS = re.compile("[әғқңөұүһі]")
_KZ = str.maketrans("әғқңөұүһі", "агкноуухи")
_KEY = str.maketrans({"ё": "е", "й": "и", "ь": None, "ъ": None, "'": None, "’": None})
_LATIN = [("shch", "щ"), ("sch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ya", "я"), ("yu", "ю"),
          ("yo", "е"), ("ye", "е"), ("ay", "ай"), ("ey", "ей"), ("oy", "ой"), ("uy", "уй"), ("iy", "ий")]  # in this order
_LATIN1 = str.maketrans({**dict(zip("abcdefghijklmnopqrstuvwyz", "абкдефгхижклмнопкрстувуыз")), "x": "кс"})
_ENDINGS = """ами ями ыми ого его ому ему ои еи ом ем ым им ых их ую юю ая яя ою ею а я у ю е ы и о ымен имен мен
    бен пен нын нин дын дин тын тин нан нен дан ден тан тен га ге ка ке на не да де та те ны ни ды ди ты ти ына ине ын
    ин сы си сын син сына сине сында синде сынан синен сынын синин сымен симен""".split()
# the dictionary's grammemes of a word's first reading, in order, and the class each gives
_CLASSES = (("Name", "first"), ("Surn", "surname"), ("Patr", "surname"), ("Geox", "place"), ("Orgn", "place"))
_NAME_GRAMMEMES = ("Name", "Surn", "Patr")
_QUOTES = re.compile('[«“„"]')
_OPENERS = " \t\u00a0«\"'“„(—–-•*>"
NEVER, COMMON, UNKNOWN, WEAK, STRONG = -1, 0, 1, 2, 3  # evidence that a word is part of a person's name


@dataclass(slots=True)
class Token:
    """A word of a text, with what the name masker decides of it (:mod:`helpers.clean.names`)."""

    start: int
    end: int
    word: str
    key: str
    initial: bool  # «М.»: one capital letter and a dot
    cap: bool  # capitalised (not an abbreviation such as РК, ТОО)
    opening: bool  # first word of a sentence
    quoted: bool  # inside «…» or "…"
    evidence: int = COMMON
    name: bool = False


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (initials with their dot), each with its key and where it stands."""
    inside = _quoted(text)
    toks: list[Token] = []
    for m in WORD.finditer(text):
        w, (s, e) = m.group(), m.span()
        initial = len(w) == 1 and w.isupper() and text[e : e + 1] == "."
        toks.append(Token(s, e + initial, w, key(w), initial, w[0].isupper() and (len(w) >= 4 or not w.isupper()),
                         _opening(text, s, toks[-1] if toks else None), inside[s]))
    return toks


def _quoted(text: str) -> list[bool]:
    """For each character of ``text``: whether it is inside «…», “…”, „…“ or "…"."""
    if not _QUOTES.search(text):
        return [False] * len(text)
    inside, depth, quote = [], 0, False
    for c in text:
        depth += (c in "«“„") - (c in "»”")
        quote ^= c == '"'
        inside.append(depth > 0 or quote)
    return inside


def _opening(text: str, start: int, prev: Token | None) -> bool:
    """Whether the word at ``start`` opens a sentence (``prev``: the word before it)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0 or text[i] in "\n!?…":
        return True
    if text[i] != ".":
        return False
    if prev is not None and prev.end >= i:  # «М. Иванов», «г. Алматы», «ул. Абая»: not the end of a sentence
        return not (prev.initial or (len(prev.word) <= 3 and prev.word.islower()))
    return True


@lru_cache(maxsize=200_000)
def key(word: str) -> str:
    """Lower case, Latin transliterated, Kazakh letters as Russian ones, ё→е, й→и, no ь/ъ: «Айгерім» → «аигерим».

    >>> key("Akhmetov"), key("Айгерім")
    ('ахметов', 'аигерим')
    """
    return cyrillic(word).translate(_KZ).translate(_KEY)


def cyrillic(word: str) -> str:
    """Lower case; a Latin word transliterated («Akhmetov» → «ахметов»)."""
    low = word.lower().replace("ё", "е")
    if low.isascii():
        for a, b in _LATIN:
            low = low.replace(a, b)
        low = low.translate(_LATIN1)
    return low


@lru_cache(maxsize=200_000)
def stems(k: str) -> frozenset[str]:
    """A key (:func:`key`) and the key less one case ending (Russian or Kazakh), at least 3 letters left.

    >>> sorted(stems("ахметовым"))
    ['ахметов', 'ахметовым']
    """
    return frozenset({k} | {k[: -len(e)] for e in _ENDINGS if k.endswith(e) and len(k) - len(e) >= 3})


@lru_cache(maxsize=200_000)
def long_stems(k: str) -> frozenset[str]:
    """The stems (:func:`stems`) of a key of 4+ letters: a shorter stem says little («Богдан» → «Бог»)."""
    return frozenset(x for x in stems(k) if len(x) >= 4)


def matches(k: str, words: frozenset[str]) -> bool:
    """Whether the word of key ``k`` is in ``words``: by its key, or by a stem of 4+ letters."""
    return k in words or not words.isdisjoint(long_stems(k))


@lru_cache(maxsize=100_000)
def word_class(word: str) -> str:
    """What the Russian dictionary's first reading of ``word`` (read as Cyrillic, Kazakh letters as
    Russian ones) is: ``first`` (a first name), ``surname`` (a surname or patronymic), ``place`` (a
    place or an organisation), ``ambiguous`` (an ordinary word that is a name in a later reading:
    «вера», «роман»), ``common`` or ``unknown``."""
    parses = [p for p in _morph().parse(cyrillic(word).translate(_KZ)) if p.is_known]
    if not parses:
        return "unknown"
    first = next((cls for gram, cls in _CLASSES if gram in parses[0].tag), None)
    return first or ("ambiguous" if any(g in p.tag for p in parses for g in _NAME_GRAMMEMES) else "common")


@lru_cache(maxsize=1)
def load() -> Future:
    """Start loading pymorphy3's dictionary and the word lists (:func:`lexicon`; natasha's first names) in a
    background thread, once per process: a stage starts it before reading its files, and the first text
    to mask waits for what is not loaded yet."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="lexicon").submit(lambda: (_load_morph(), _read_lexicon()))


def _morph():
    return load().result()[0]


def _load_morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``config/personal_data.yaml`` and ``regions.yaml`` as keys (:func:`key`)."""

    first: frozenset[str]  # first names (natasha's dictionary)
    not_names: frozenset[str]  # one-word places, organisations, documents … and their stems
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # the same of several words, by the first word
    place_or_name: frozenset[str]  # a place only beside a place word («Абай облысы»), else a name
    ambiguous: frozenset[str]
    place_words: frozenset[str]
    cues_before: frozenset[str]  # a word before a name: «медиатор», «спасибо»
    cues_after: frozenset[str]  # a word after a name: «апай», «рахмет»
    kazakh_words: frozenset[str]


def lexicon() -> Lexicon:
    """The word lists, read once per process (:func:`load`)."""
    return load().result()[1]


def _read_lexicon() -> Lexicon:
    from natasha.data import FIRST, load_dict

    cfg = read_yaml(paths.CONFIG / "personal_data.yaml")
    place_words = _keys(cfg["place_words"])
    words = _region_words(place_words) + [w for group in cfg["not_names"].values() for w in group]
    place_or_name = _all_stems(_keys(cfg["place_or_name"]))
    return Lexicon(
        first=frozenset(k for k in (key(w) for w in load_dict(FIRST) if w) if len(k) >= 3),
        not_names=_all_stems(_keys(w for w in words if len(WORD.findall(w)) == 1) - place_or_name),
        phrases=_by_first(k for k in (tuple(map(key, WORD.findall(w))) for w in words) if len(k) > 1),
        place_or_name=place_or_name,
        ambiguous=_keys(cfg["ambiguous"]),
        place_words=place_words,
        cues_before=_keys(cfg["person_cues"]["before"]),
        cues_after=_keys(cfg["person_cues"]["after"]),
        kazakh_words=_keys(cfg["kazakh_words"]),
    )


def _region_words(place_words: frozenset[str]) -> list[str]:
    """The capitalised words (3+ letters, not place words such as «облысы») of every spelling of a region of
    ``regions.yaml`` (names in each language, abbreviations, aliases, old names)."""
    regions = read_yaml(paths.CONFIG / "regions.yaml")
    fields = ("ru", "kk", "en", "abbr", "aliases", "old")
    spellings = [v for group in ("regions", "new_2022") for r in regions[group] for k in fields for v in _as_list(r.get(k))]
    spellings += regions["all_country"]["aliases"]
    return [w for s in spellings for w in WORD.findall(s) if w[0].isupper() and len(w) >= 3 and key(w) not in place_words]


def _by_first(seqs: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Key sequences (the keys of a phrase's or a name's words) by their first key."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for keys in seqs:
        out.setdefault(keys[0], []).append(keys)
    return {k: tuple(v) for k, v in out.items()}


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(key(w) for w in words)


def _all_stems(keys: Iterable[str]) -> frozenset[str]:
    return frozenset(s for k in keys for s in stems(k))


def _as_list(v) -> list[str]:
    return [] if v is None else [v] if isinstance(v, str) else list(v)


class KnownNames(NamedTuple):
    """Names the caller knows (:func:`known_names`)."""

    sequences: dict[str, tuple[tuple[str, ...], ...]]  # each name's keys, by its first key: matched in any case
    stems: set[str]  # keys and 4+-letter stems of their non-ordinary words: a capitalised word sharing one is a name
    words: frozenset[str]  # those keys of 4+ letters: a lower-case word is a name only in one of these forms (or a stem of it)


@lru_cache(maxsize=16)
def known_names(names: frozenset[str]) -> KnownNames:
    """Known names as key sequences, and the keys and stems of their words that are not ordinary words.

    >>> known = known_names(frozenset({"Роза Бақыт", "Смағұлова Ақерке"}))
    >>> known.sequences["роза"], "смагулов" in known.stems, "роза" in known.stems
    ((('роза', 'бакыт'),), True, False)
    """
    named = [(words, tuple(map(key, words))) for words in map(WORD.findall, names)]
    named = [(words, keys) for words, keys in named if sum(map(len, keys)) >= 3]
    lex = lexicon()
    ordinary = lex.not_names | lex.ambiguous  # with the dictionary's ordinary words: not a name by itself («Роза»)
    found = {k for words, keys in named for w, k in zip(words, keys)
             if len(k) >= 3 and not stems(k) & ordinary and word_class(w) != "common"}
    return KnownNames(_by_first(keys for _, keys in named), found.union(*map(long_stems, found)),
                      frozenset(k for k in found if len(k) >= 4))
