"""Masking personal data in one free text: phone numbers, IINs, e-mail addresses, people's names.

:func:`mask` works on one Python string and knows nothing of pandas, so any engine can call it once
per distinct text (:func:`helpers.clean.pii.mask_text` does so for a Series). Each find is replaced
by a token: ``[phone]``, ``[IIN]``, ``[e-mail]``, ``[name]``. Hex digests (40 or 64 hex characters:
commit ids, SHA-256) are left alone.

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
- names: capitalised words (Cyrillic, or Latin read through a transliteration) with evidence of a
  name: a patronymic (-ович/-евна…, -ұлы/-қызы, «Серік қызы»), a surname ending (-ов/-ева/-ин/-ский/
  -енко…) on a word the Russian dictionary (pymorphy3) does not know as an ordinary word, a first
  name or surname of that dictionary or a first name of natasha's list (Kazakh letters and case
  endings allowed), a word of a name the caller knows, or a person cue beside it («медиатор
  Тұрсынай», «Назым апайға рахмет»). A word without such evidence joins an adjacent name; initials
  take the word beside them («Иванова М.А.», «Пак З.»). natasha's Russian NER adds its PER spans
  in Russian texts that still hold an undecided capitalised word inside a sentence (a few % of
  texts). Never names: places (``regions.yaml``, ``config/personal_data.yaml``), organisations,
  documents, words in quotes («О медиации»), words the dictionary knows only as ordinary words
  («Итогов»), and a first name alone opening a Kazakh sentence (Kazakh sentences open with ordinary
  words that are names too: «Талап», «Мұра»).

natasha's and pymorphy3's models are loaded once per process, on first need (well under a second).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from helpers import paths
from helpers.config_files import read_yaml

PHONE_TOKEN, IIN_TOKEN, EMAIL_TOKEN, NAME_TOKEN = "[phone]", "[IIN]", "[e-mail]", "[name]"

DIGEST = re.compile(r"(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9A-Za-z])")
_HOLD = "\ue000"  # stands in for a digest while the text is masked

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

# --- names -----------------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_UPPER = re.compile(r"[^\W\d_a-zа-яёәғқңөұүһі]")  # an upper-case letter anywhere
_KZ = str.maketrans("әғқңөұүһі", "агкноуухи")
_KEY = str.maketrans({"ё": "е", "й": "и", "ь": None, "ъ": None, "'": None, "’": None})
_LATIN = [("shch", "щ"), ("sch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ya", "я"),
          ("yu", "ю"), ("yo", "е"), ("ye", "е"), ("ay", "ай"), ("ey", "ей"), ("oy", "ой"), ("uy", "уй"), ("iy", "ий")]
_LATIN1 = str.maketrans({"a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ж", "k": "к",
                         "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в",
                         "w": "у", "x": "кс", "y": "ы", "z": "з"})
_PATRONYMIC = re.compile(r"(?:[ое]вич(?:а|у|ем|е)?|[ое]вн(?:а|ы|е|у|ои|ою)|ичн(?:а|ы|е|у|ои|ою)|.{3}(?:улы|кызы)(?:на|нын|нан|мен|га|ны|да)?)$")
_SURNAME = re.compile(r"(?:[оеё]в(?:а|у|ым|ой|е|ых|ы)?|ин(?:а|у|ым|ой|е|ых|ы)?|[сц]к(?:ий|ая|ого|ому|им|ой|ую)|енко)$")
_WEAK_SURNAME = re.compile(r"(?:ын(?:а|у|ым)?|[уюя]к|ян|ич|швили|дзе|бай|бек)$")
_ENDINGS = sorted("""ами ями ыми ого его ому ему ои еи ом ем ым им ых их ую юю ая яя ою ею а я у ю е ы и о
    ымен имен мен бен пен нын нин дын дин тын тин нан нен дан ден тан тен га ге ка ке на не да де та те
    ны ни ды ди ты ти ына ине ын ин сы си сын син сына сине сында синде сынан синен сынын синин сымен симен""".split(), key=len, reverse=True)


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
        out = _mask_names(out, names)
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


# --- e-mails, IINs, phones -------------------------------------------------------------------------


def _email(m: re.Match) -> str:
    spelled = not re.search(r"@|[(\[{<]", m.group("at"))  # «ivan at mail dot ru»: bare words
    if spelled and (m.group("tld").lower() not in _lexicon().mail_domains or not m.group("local").isascii()):
        return m.group(0)
    return EMAIL_TOKEN


def _iin(m: re.Match) -> str:
    """12 digits in a row: an IIN; in groups: when the first six can be a birth date (not 125 000 000 000)."""
    d = re.sub(r"\D", "", m.group(0))
    return IIN_TOKEN if d == m.group(0) or (1 <= int(d[2:4]) <= 12 and 1 <= int(d[4:6]) <= 31) else m.group(0)


def _phones(m: re.Match) -> str:
    """The phone numbers among one run of digit groups, each replaced; the other groups kept."""
    run, start = m.group(0), m.start()
    groups = [(g.start(), g.end()) for g in _GROUP.finditer(run)]
    digits = [run[a:b] for a, b in groups]
    seps = [run[groups[k][1] : groups[k + 1][0]] for k in range(len(groups) - 1)]
    plus = "+" in run[: groups[0][0]]
    cue = bool(_lexicon().phone_cue.search(m.string[max(0, start - 24) : start]))
    out, done, i = [], 0, 0
    while i < len(groups):
        for j in range(len(groups) - 1, i - 1, -1):  # the longest phone starting at group i
            if _is_phone(digits[i : j + 1], seps[i:j], plus and i == 0, cue and i == 0):
                a = 0 if i == 0 else groups[i][0]
                while a > done and run[a - 1] in "(+":  # «2021 (701) 123 45 67»: the bracket goes too
                    a -= 1
                out += [run[done:a], PHONE_TOKEN]
                done, i = groups[j][1], j
                break
        i += 1
    return "".join(out) + run[done:]


def _is_phone(digits: list[str], seps: list[str], plus: bool, cue: bool) -> bool:
    d = "".join(digits)
    n = len(d)
    if any(_date_like(digits[k : k + 3], seps[k : k + 2]) for k in range(len(digits) - 2)):
        return False
    if plus:
        return 10 <= n <= 15 and (d[0] != "7" or n == 11)
    thousands = len(digits) > 1 and len(digits[0]) <= 3 and all(len(g) == 3 for g in digits[1:])
    if thousands and len({s.strip(_SPACES) or " " for s in seps}) == 1 and seps[0].strip(_SPACES) in ("", ".", ","):
        return False  # 9 950 000, 7.500.000.000
    if n == 11:
        return d[0] in "78"
    if n == 10:
        return d[0] in "79"
    return cue and 5 <= n <= 7 and len(digits) >= 3 and len(digits[-1]) == len(digits[-2]) == 2


def _date_like(g: list[str], s: list[str]) -> bool:
    """Three groups that read as a date: 12.05.2021, 12/05/21, 2021-05-12."""
    if len(g) < 3 or s[0] != s[1] or s[0] not in (".", "/", "-"):
        return False
    if s[0] != "-" and len(g[0]) <= 2 and len(g[1]) <= 2 and len(g[2]) in (2, 4):
        return 1 <= int(g[0]) <= 31 and 1 <= int(g[1]) <= 12
    return len(g[0]) == 4 and len(g[1]) <= 2 and len(g[2]) <= 2 and 1 <= int(g[1]) <= 12 and 1 <= int(g[2]) <= 31


# --- names -------------------------------------------------------------------------------------------

NEVER, COMMON, UNKNOWN, WEAK, STRONG = -1, 0, 1, 2, 3  # evidence that a word is part of a person's name


@dataclass(frozen=True)
class _Lexicon:
    """The word lists of ``config/personal_data.yaml`` and ``regions.yaml`` as normalised keys."""

    first: frozenset[str]  # first names (natasha's dictionary)
    not_names: frozenset[str]  # one-word places, organisations, documents … and their stems
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # the same of several words, by the first word
    place_or_name: frozenset[str]  # a place only beside a place word («Абай облысы»), else a name
    ambiguous: frozenset[str]
    place_words: frozenset[str]
    cues_before: frozenset[str]  # a word before a name: «медиатор», «спасибо»
    cues_after: frozenset[str]  # a word after a name: «апай», «рахмет»
    kazakh_words: frozenset[str]
    phone_cue: re.Pattern
    mail_domains: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    from natasha.data import FIRST, load_dict

    cfg = read_yaml(paths.CONFIG / "personal_data.yaml")
    regions = read_yaml(paths.CONFIG / "regions.yaml")
    fields = ("ru", "kk", "en", "abbr", "aliases", "old")
    spellings = [v for group in ("regions", "new_2022") for r in regions[group] for k in fields for v in _as_list(r.get(k))]
    spellings += regions["all_country"]["aliases"]
    place_words = frozenset(_key(w) for w in cfg["place_words"])
    words = [w for s in spellings for w in _WORD.findall(s) if w[0].isupper() and len(w) >= 3 and _key(w) not in place_words]
    words += [w for group in cfg["not_names"].values() for w in group]
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for w in words:
        keys = tuple(_key(x) for x in _WORD.findall(w))
        if len(keys) > 1:
            phrases.setdefault(keys[0], []).append(keys)
    place_or_name = frozenset(s for w in cfg["place_or_name"] for s in _stems(_key(w)))
    one = {_key(w) for w in words if len(_WORD.findall(w)) == 1} - place_or_name
    keys = lambda words: frozenset(_key(w) for w in words)  # noqa: E731
    return _Lexicon(
        first=frozenset(k for k in (_key(w) for w in load_dict(FIRST) if w) if len(k) >= 3),
        not_names=frozenset(s for k in one for s in _stems(k)),
        phrases={k: tuple(v) for k, v in phrases.items()},
        place_or_name=place_or_name,
        ambiguous=keys(cfg["ambiguous"]),
        place_words=place_words,
        cues_before=keys(cfg["person_cues"]["before"]),
        cues_after=keys(cfg["person_cues"]["after"]),
        kazakh_words=keys(cfg["kazakh_words"]),
        phone_cue=re.compile(r"(?i)(?<![^\W\d_])(?:" + "|".join(map(re.escape, cfg["phone_cues"])) + ")"),
        mail_domains=frozenset(d.lower() for d in cfg["mail_domains"]),
    )


def _as_list(v) -> list[str]:
    return [] if v is None else [v] if isinstance(v, str) else list(v)


@lru_cache(maxsize=200_000)
def _key(word: str) -> str:
    """Lower case, Latin transliterated, Kazakh letters as Russian ones, ё→е, й→и, no ь/ъ: «Айгерім» → «аигерим»."""
    return _cyrillic(word).translate(_KZ).translate(_KEY)


def _cyrillic(word: str) -> str:
    """Lower case; a Latin word transliterated («Akhmetov» → «ахметов»)."""
    low = word.lower().replace("ё", "е")
    if low.isascii():
        for a, b in _LATIN:
            low = low.replace(a, b)
        low = low.translate(_LATIN1)
    return low


@lru_cache(maxsize=200_000)
def _stems(key: str) -> frozenset[str]:
    """``key`` and ``key`` less one case ending (Russian or Kazakh), at least 3 letters left."""
    return frozenset({key} | {key[: -len(e)] for e in _ENDINGS if key.endswith(e) and len(key) - len(e) >= 3})


@lru_cache(maxsize=100_000)
def _word_class(word: str) -> str:
    """What the Russian dictionary's first reading of ``word`` is: ``first`` (a first name),
    ``surname`` (a surname or patronymic), ``place`` (a place or an organisation), ``ambiguous``
    (an ordinary word that is a name in a later reading: «вера», «роман»), ``common`` or ``unknown``."""
    parses = [p for p in _morph().parse(word) if p.is_known]
    if not parses:
        return "unknown"
    top = parses[0].tag
    if "Name" in top:
        return "first"
    if "Surn" in top or "Patr" in top:
        return "surname"
    if "Geox" in top or "Orgn" in top:
        return "place"
    return "ambiguous" if any(t in p.tag for p in parses for t in ("Name", "Surn", "Patr")) else "common"


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _ner():
    from natasha import NewsEmbedding, NewsNERTagger
    from threadpoolctl import ThreadpoolController

    return NewsNERTagger(NewsEmbedding()), ThreadpoolController()


def _person_spans(text: str) -> list[tuple[int, int]]:
    """natasha's PER spans of ``text``."""
    tagger, pools = _ner()
    with pools.limit(limits=1, user_api="blas"):  # a few tiny matrices: BLAS threads cost 5–20× the work
        markup = tagger(text)
    return [(s.start, s.stop) for s in markup.spans if s.type == "PER"]


@dataclass(slots=True)
class _Tok:
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


_KZ_LETTERS = re.compile("[әғқңөұүһі]")
_KZ_PATRONYMIC = frozenset({"улы", "кызы"})
_QUOTES = re.compile('[«“„"]')
_OPENERS = " \t\u00a0«\"'“„(—–-•*>"


def _tokens(text: str) -> list[_Tok]:
    inside, depth, quote = [], 0, False
    if _QUOTES.search(text):
        for c in text:
            depth += (c in "«“„") - (c in "»”")
            quote ^= c == '"'
            inside.append(depth > 0 or quote)
    else:
        inside = [False] * len(text)
    toks: list[_Tok] = []
    for m in _WORD.finditer(text):
        w, (s, e) = m.group(), m.span()
        initial = len(w) == 1 and w.isupper() and text[e : e + 1] == "."
        toks.append(_Tok(s, e + initial, w, _key(w), initial, w[0].isupper() and (len(w) >= 4 or not w.isupper()),
                         _opening(text, s, toks[-1] if toks else None), inside[s]))
    return toks


def _opening(text: str, start: int, prev: _Tok | None) -> bool:
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


def _evidence(t: _Tok, lex: _Lexicon, known: frozenset[str], near: list[_Tok], before: _Tok | None, after: list[_Tok],
              kazakh: bool) -> int:
    """How much ``t`` (a capitalised word) looks like part of a person's name.

    ``near``: the words right before and after it; ``before``: the word before it in the same
    clause, ``after``: up to two words after it in the same clause; ``kazakh``: the text is Kazakh.
    """
    if t.quoted or t.key in lex.place_words:
        return NEVER
    stems = _stems(t.key)
    if known and (t.key in known or {x for x in stems if len(x) >= 4} & known):
        return STRONG
    if stems & lex.place_or_name and any(x.key in lex.place_words for x in near):
        return NEVER
    if t.key in lex.not_names or {x for x in stems if len(x) >= 4} & lex.not_names:  # not «Богдан» → «Бог»
        return NEVER
    low = _cyrillic(t.word)
    cls = _word_class(low.translate(_KZ))
    if cls == "common":
        return COMMON
    if cls == "place":  # «Берлин», «Ростов»; a name only beside one («Назым Серікқызы»)
        return UNKNOWN
    if _PATRONYMIC.search(t.key) or _SURNAME.search(low):
        return STRONG
    if cls == "ambiguous" or stems & lex.ambiguous:
        return WEAK
    cue = (before is not None and bool(_stems(before.key) & lex.cues_before)) or any(_stems(x.key) & lex.cues_after for x in after)
    if cls in ("first", "surname") or t.key in lex.first or {x for x in stems if len(x) >= 4} & lex.first:
        # a Kazakh sentence may open with an ordinary word that is a name too («Талап», «Мұра», «Кеңес»)
        return WEAK if t.opening and not cue and (kazakh or _KZ_LETTERS.search(low)) else STRONG
    if cue:  # «медиатор Тұрсынай», «Назым апайға рахмет»
        return STRONG
    return WEAK if _WEAK_SURNAME.search(low) else UNKNOWN


def _clause(text: str, toks: list[_Tok], i: int) -> tuple[_Tok | None, list[_Tok]]:
    """The word before ``toks[i]`` and up to two words after it, with only spaces between (the same clause)."""
    before = toks[i - 1] if i and not toks[i].opening and not text[toks[i - 1].end : toks[i].start].strip() else None
    after, prev = [], toks[i]
    for x in toks[i + 1 : i + 3]:
        if text[prev.end : x.start].strip():
            break
        after.append(x)
        prev = x
    return before, after


def _adjacent(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 2 and gap.strip(" \t\u00a0") == ""


def _mask_names(text: str, names: frozenset[str]) -> str:
    toks = _tokens(text)
    if not toks:
        return text
    lex = _lexicon()
    seqs, known, known_words = _known(names) if names else ({}, frozenset(), frozenset())
    _mark_sequences(toks, seqs, text)
    _mark_sequences(toks, lex.phrases, text, value=False)
    kazakh = any(not t.cap and (_KZ_LETTERS.search(t.word) or t.key in lex.kazakh_words) for t in toks)
    for i, t in enumerate(toks):
        if t.name or t.evidence == NEVER:
            continue
        if t.cap and not t.initial:
            t.evidence = _evidence(t, lex, known, toks[max(0, i - 1) : i + 2], *_clause(text, toks, i), kazakh)
        elif t.key in _KZ_PATRONYMIC and i and toks[i - 1].cap and _adjacent(text, toks[i - 1], t):  # «Серік қызы»
            t.evidence = STRONG
        elif known_words and ({t.key} | {x for x in _stems(t.key) if len(x) >= 4}) & known_words:  # in lower case: «смағұлова»
            t.name = True
    _decide_chunks(toks, text, kazakh)
    open_words = [t for t in toks if t.cap and not t.name and not t.opening and t.evidence in (UNKNOWN, WEAK)]
    if open_words and not kazakh:  # natasha reads Russian: on Kazakh it finds persons in ordinary words
        for a, b in _person_spans(text):
            inner = [t for t in toks if a <= t.start and t.end <= b + 1 and (t.evidence >= UNKNOWN or t.name)]
            if any(not t.opening or t.evidence >= WEAK for t in inner):
                for t in inner:
                    t.name = True
    return _replace(text, [t for t in toks if t.name])


def _mark_sequences(toks: list[_Tok], seqs: dict, text: str, value: bool = True) -> None:
    """Words of a known name (``value``: a name) or of a place/organisation phrase (never a name)."""
    for i, t in enumerate(toks):
        for seq in seqs.get(t.key, ()):
            part = toks[i : i + len(seq)]
            if len(part) == len(seq) and all(x.key == k for x, k in zip(part, seq)) and all(
                len(text[x.end : y.start]) <= 3 for x, y in zip(part, part[1:])
            ):
                for x in part:
                    if value or not x.name:  # a known name stays one inside a place phrase
                        x.name, x.evidence = value, (STRONG if value else NEVER)


def _decide_chunks(toks: list[_Tok], text: str, kazakh: bool) -> None:
    """Runs of adjacent capitalised words and initials: a name where the run holds enough evidence.

    A run with a word that is a name by itself (STRONG), or with two WEAK words («Алла Шевчук»),
    is a name but for the words :func:`_in_name` leaves out. Initials take the word after them
    («И. Голубев»), else the word before («Пак З.»), even an ordinary word if it does not open the
    sentence.
    """
    chunk: list[_Tok] = []
    for t in [*toks, None]:
        if t is not None and (t.cap or t.initial or t.evidence == STRONG) and (not chunk or _adjacent(text, chunk[-1], t)):
            chunk.append(t)
            continue
        words = [x for x in chunk if not x.initial]
        if any(x.evidence == STRONG or x.name for x in words) or sum(x.evidence == WEAK for x in words) >= 2:
            for x, after in zip(chunk, [*chunk[1:], None]):
                x.name = x.name or _in_name(x, after, kazakh)
        else:
            _attach_initials(chunk)
        chunk = [t] if t is not None and (t.cap or t.initial) else []


def _in_name(t: _Tok, after: _Tok | None, kazakh: bool) -> bool:
    """Whether a word of a run that is a name is part of it: not an ordinary word, nor an unknown
    Kazakh word opening the sentence («Тренингті Асель өткізді»); but an ordinary word right before
    a patronymic is the first name («Қанат Торғайұлы»: қанат, a wing; «Канат Серикович») unless it
    is a cue («Спасибо Ахметовичу»)."""
    if t.initial or t.evidence >= WEAK:
        return True
    if t.evidence == UNKNOWN:
        return not (t.opening and (kazakh or bool(_KZ_LETTERS.search(t.word.lower()))))
    return (t.evidence == COMMON and after is not None and bool(_PATRONYMIC.search(after.key))
            and not _stems(t.key) & _lexicon().cues_before)


def _attach_initials(chunk: list[_Tok]) -> None:
    k = 0
    while k < len(chunk):
        if not chunk[k].initial:
            k += 1
            continue
        end = k
        while end + 1 < len(chunk) and chunk[end + 1].initial:
            end += 1
        beside = [x for x in (chunk[end + 1] if end + 1 < len(chunk) else None, chunk[k - 1] if k else None) if x is not None]
        beside = [x for x in beside if x.evidence >= UNKNOWN or (x.evidence == COMMON and not x.opening)]
        if beside:
            max(beside, key=lambda x: x.evidence).name = True
            for x in chunk[k : end + 1]:
                x.name = True
        k = end + 1


@lru_cache(maxsize=16)
def _known(names: frozenset[str]) -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[str], frozenset[str]]:
    """Known names as word sequences (matched in any case), the stems (4+ letters) and keys of their
    words that are not ordinary words (a capitalised word sharing a stem is a name), and those keys
    alone (a lower-case word is a name only in one of these forms, a case ending added at most)."""
    seqs: dict[str, list[tuple[str, ...]]] = {}
    stems: set[str] = set()
    words: set[str] = set()
    lex = _lexicon()
    for n in names:
        toks = _tokens(n)
        keys = tuple(t.key for t in toks)
        if sum(map(len, keys)) < 3:
            continue
        seqs.setdefault(keys[0], []).append(keys)
        for t in toks:
            ordinary = _stems(t.key) & (lex.not_names | lex.ambiguous) or _word_class(_cyrillic(t.word).translate(_KZ)) == "common"
            if len(t.key) >= 3 and not ordinary:
                stems |= {x for x in _stems(t.key) if len(x) >= 4} | {t.key}
                words |= {t.key} if len(t.key) >= 4 else set()
    return {k: tuple(v) for k, v in seqs.items()}, frozenset(stems), frozenset(words)


def _replace(text: str, found: list[_Tok]) -> str:
    """``text`` with each run of name words (only spaces between them) replaced by one ``[name]``."""
    out, done = [], 0
    for t in found:
        if out and text[done : t.start].strip(" \t\u00a0") == "":
            done = t.end  # the same run: one [name]
            continue
        out += [text[done : t.start], NAME_TOKEN]
        done = t.end
    return "".join(out) + text[done:]
