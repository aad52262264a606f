"""Masking people's names in one free text (Russian or Kazakh): :func:`mask_names`, called by
:func:`helpers.clean.masking.mask` after the contacts, with the words, forms and word lists of
:mod:`helpers.clean.name_lexicon`. Each run of words of a name becomes one ``[name]``.

Transformations include:

- evidence that a capitalised word is part of a name (:func:`_weigh`): a patronymic (-ович/-евна…,
  -ұлы/-қызы, «Серік қызы»), a surname ending (-ов/-ева/-ин/-ский/-енко…) on a word the Russian
  dictionary (pymorphy3) does not know as an ordinary word, a first name or surname of that
  dictionary or a first name of natasha's list (Kazakh letters and case endings allowed), a word of
  a name the caller knows, or a person cue beside it («медиатор Тұрсынай», «Назым апайға рахмет»);
- never names: places (``regions.yaml``, ``config/personal_data.yaml``), organisations, documents,
  words in quotes («О медиации»), words the dictionary knows only as ordinary words («Итогов»), and
  a first name alone opening a Kazakh sentence (Kazakh sentences open with ordinary words that are
  names too: «Талап», «Мұра»);
- a run of adjacent capitalised words and initials is a name when it holds a word that is a name by
  itself or two weaker ones (:func:`_decide_run`); a word without evidence joins it; initials take
  the word beside them («Иванова М.А.», «Пак З.»);
- natasha's Russian NER adds its PER spans in Russian texts that still hold an undecided capitalised
  word inside a sentence (a few % of texts); it runs in a process of its own (:mod:`helpers.clean.ner`),
  started by the survey stage before reading, or on first need;
- names the caller knows (journal columns) are masked in any case and, word by word (but for
  ordinary words: «Роза»), in any case ending.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby

from helpers.clean import ner
from helpers.clean.name_lexicon import (COMMON, KZ_LETTERS, NEVER, STRONG, UNKNOWN, WEAK, Lexicon, Token, cyrillic, known_names,
                                        lexicon, matches, stems, tokens, word_class)

NAME_TOKEN = "[name]"
_BY_CLASS = {"common": COMMON, "place": UNKNOWN}  # the dictionary's reading settles these («Итогов»; «Берлин», «Ростов»)

_PATRONYMIC = re.compile(r"(?:[ое]вич(?:а|у|ем|е)?|[ое]вн(?:а|ы|е|у|ои|ою)|ичн(?:а|ы|е|у|ои|ою)"
                         r"|.{3}(?:улы|кызы)(?:на|нын|нан|мен|га|ны|да)?)$")
_SURNAME = re.compile(r"(?:[оеё]в(?:а|у|ым|ой|е|ых|ы)?|ин(?:а|у|ым|ой|е|ых|ы)?|[сц]к(?:ий|ая|ого|ому|им|ой|ую)|енко)$")
_WEAK_SURNAME = re.compile(r"(?:ын(?:а|у|ым)?|[уюя]к|ян|ич|швили|дзе|бай|бек)$")
_KZ_PATRONYMIC = frozenset({"улы", "кызы"})


def mask_names(text: str, names: frozenset[str] = frozenset()) -> str:
    """``text`` with people's names replaced by ``[name]``; ``names``: names known from elsewhere in the run.

    >>> mask_names("Спасибо медиатору Ахметовой Сауле Серикқызы, тренинг в г. Алматы")
    'Спасибо медиатору [name], тренинг в г. Алматы'
    """
    toks = tokens(text)
    if not toks:
        return text
    lex = lexicon()
    seqs, known, known_words = known_names(names)
    _mark_sequences(toks, seqs, text)
    _mark_sequences(toks, lex.phrases, text, value=False)
    # Kazakh: a lower-case word with a Kazakh letter, or a Kazakh word of the list («туралы», «мен»)
    kazakh = any(not t.cap and (KZ_LETTERS.search(t.word) or t.key in lex.kazakh_words) for t in toks)
    _weigh(text, toks, lex, known, known_words, kazakh)
    for run in _runs(toks, text):
        _decide_run(run, kazakh)
    # natasha reads Russian (on Kazakh it finds persons in ordinary words), for an undecided capitalised word inside a sentence
    if not kazakh and any(t.cap and not t.name and not t.opening and t.evidence in (UNKNOWN, WEAK) for t in toks):
        _add_persons(text, toks)
    return _replace(text, [t for t in toks if t.name])


def _mark_sequences(toks: list[Token], seqs: dict, text: str, value: bool = True) -> None:
    """Words of a known name (``value``: a name) or of a place/organisation phrase (never a name): the words
    whose keys are one of ``seqs``, at most 3 characters apart."""
    for i, t in enumerate(toks):
        for seq in seqs.get(t.key, ()):
            part = toks[i : i + len(seq)]
            spelled = len(part) == len(seq) and all(x.key == k for x, k in zip(part, seq))
            if not spelled or any(len(text[x.end : y.start]) > 3 for x, y in zip(part, part[1:])):
                continue
            for x in part:
                if value or not x.name:  # a known name stays one inside a place phrase
                    x.name, x.evidence = value, (STRONG if value else NEVER)


def _weigh(text: str, toks: list[Token], lex: Lexicon, known: frozenset[str], known_words: frozenset[str], kazakh: bool) -> None:
    """Each capitalised word's evidence of being part of a name: the word lists first (:func:`_listed`), then
    its form and the dictionary (:func:`_read`); a lower-case «қызы»/«ұлы» after a capitalised word is a
    patronymic; a lower-case word of a known name («смағұлова») is a name."""
    for i, t in enumerate(toks):
        if t.name or t.evidence == NEVER:
            continue
        if t.cap and not t.initial:
            listed = _listed(t, lex, known, toks[max(0, i - 1) : i + 2])
            t.evidence = _read(t, lex, _cue(text, toks, i, lex), kazakh) if listed is None else listed
        elif t.key in _KZ_PATRONYMIC and i and toks[i - 1].cap and _adjacent(text, toks[i - 1], t):  # «Серік қызы»
            t.evidence = STRONG
        elif matches(t.key, known_words):
            t.name = True


def _listed(t: Token, lex: Lexicon, known: frozenset[str], near: list[Token]) -> int | None:
    """What the word lists say: a known name, never a name (quoted, a place or an organisation), or nothing.
    ``near``: the words right before and after ``t``."""
    if t.quoted or t.key in lex.place_words:
        return NEVER
    if matches(t.key, known):
        return STRONG
    if stems(t.key) & lex.place_or_name and any(x.key in lex.place_words for x in near):  # «Абай облысы»
        return NEVER
    if matches(t.key, lex.not_names):  # by a stem of 4+ letters: not «Богдан» → «Бог»
        return NEVER
    return None


def _read(t: Token, lex: Lexicon, cue: bool, kazakh: bool) -> int:
    """What the word's form and the Russian dictionary say (a place: a name only beside one, «Назым Серікқызы»);
    ``cue``: a person cue in its clause."""
    cls = word_class(t.word)
    if cls in _BY_CLASS:
        return _BY_CLASS[cls]
    if _PATRONYMIC.search(t.key) or _SURNAME.search(cyrillic(t.word)):
        return STRONG
    if cls == "ambiguous" or stems(t.key) & lex.ambiguous:
        return WEAK
    if cue:  # «медиатор Тұрсынай», «Назым апайға рахмет»
        return STRONG
    if cls in ("first", "surname") or matches(t.key, lex.first):
        return WEAK if _opens_kazakh(t, kazakh) else STRONG
    return WEAK if _WEAK_SURNAME.search(cyrillic(t.word)) else UNKNOWN


def _opens_kazakh(t: Token, kazakh: bool) -> bool:
    """``t`` opens a Kazakh sentence, which may open with an ordinary word that is a name too («Талап», «Мұра», «Кеңес»)."""
    return t.opening and (kazakh or bool(KZ_LETTERS.search(t.word.lower())))


def _cue(text: str, toks: list[Token], i: int, lex: Lexicon) -> bool:
    """A person cue in the clause of ``toks[i]`` (only spaces between): the word before it, or one of the two after it."""
    t = toks[i]
    if i and not t.opening and not text[toks[i - 1].end : t.start].strip() and stems(toks[i - 1].key) & lex.cues_before:
        return True
    for prev, x in zip(toks[i : i + 2], toks[i + 1 : i + 3]):
        if text[prev.end : x.start].strip():
            return False
        if stems(x.key) & lex.cues_after:
            return True
    return False


def _adjacent(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 2 and gap.strip(" \t\u00a0") == ""


def _runs(toks: list[Token], text: str) -> Iterator[list[Token]]:
    """Runs of adjacent capitalised words and initials; a STRONG lower-case word («қызы») continues one (or
    starts one after a word outside every run)."""
    run: list[Token] = []
    for t in toks:
        if (t.cap or t.initial or t.evidence == STRONG) and (not run or _adjacent(text, run[-1], t)):
            run.append(t)
            continue
        yield run
        run = [t] if t.cap or t.initial else []
    yield run


def _decide_run(run: list[Token], kazakh: bool) -> None:
    """A run with a word that is a name by itself (STRONG), or with two WEAK words («Алла Шевчук»),
    is a name but for the words :func:`_in_name` leaves out; in another run only initials and the word
    beside them are (:func:`_attach_initials`)."""
    words = [x for x in run if not x.initial]
    if any(x.evidence == STRONG or x.name for x in words) or sum(x.evidence == WEAK for x in words) >= 2:
        for x, after in zip(run, [*run[1:], None]):
            x.name = x.name or _in_name(x, after, kazakh)
    else:
        _attach_initials(run)


def _in_name(t: Token, after: Token | None, kazakh: bool) -> bool:
    """Whether a word of a run that is a name is part of it: not an ordinary word, nor an unknown
    Kazakh word opening the sentence («Тренингті Асель өткізді»); but an ordinary word right before
    a patronymic is the first name («Қанат Торғайұлы»: қанат, a wing; «Канат Серикович») unless it
    is a cue («Спасибо Ахметовичу»)."""
    if t.initial or t.evidence >= WEAK:
        return True
    if t.evidence == UNKNOWN:
        return not _opens_kazakh(t, kazakh)
    return (t.evidence == COMMON and after is not None and bool(_PATRONYMIC.search(after.key))
            and not stems(t.key) & lexicon().cues_before)


def _attach_initials(run: list[Token]) -> None:
    """Each group of initials takes the word after it («И. Голубев»), else the word before («Пак З.»), the
    more evident of the two, even an ordinary word if it does not open the sentence."""
    k = 0
    for initial, group in groupby(run, key=lambda x: x.initial):
        end = k + len(list(group))
        beside = [x for x in (*run[end : end + 1], *run[max(k - 1, 0) : k])
                  if x.evidence >= UNKNOWN or (x.evidence == COMMON and not x.opening)]
        if initial and beside:
            max(beside, key=lambda x: x.evidence).name = True
            for x in run[k:end]:
                x.name = True
        k = end


def _add_persons(text: str, toks: list[Token]) -> None:
    """The words of natasha's PER spans that may be a name, all of them when one does not open a sentence or is WEAK+."""
    for a, b in ner.person_spans(text):
        inner = [t for t in toks if a <= t.start and t.end <= b + 1 and (t.evidence >= UNKNOWN or t.name)]
        if any(not t.opening or t.evidence >= WEAK for t in inner):
            for t in inner:
                t.name = True


def _replace(text: str, found: list[Token]) -> str:
    """``text`` with each run of name words (only spaces between them) replaced by one ``[name]``."""
    out, done = [], 0
    for t in found:
        if out and text[done : t.start].strip(" \t\u00a0") == "":
            done = t.end  # the same run: one [name]
            continue
        out += [text[done : t.start], NAME_TOKEN]
        done = t.end
    return "".join(out) + text[done:]
