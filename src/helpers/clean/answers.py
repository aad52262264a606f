"""Answers → codes, on Polars: labels of single-choice, Likert and grid questions through the
codebook (either language, aliases), checkbox cells split against the known labels, and the
unknown labels of every file gathered for one message.

A label nobody listed is never dropped: :func:`unknown_labels` counts it (masked) and the stage
stops the run with all of them (:func:`helpers.clean.codebook.raise_unknown`). Everything is
worked out once per distinct cell text and joined back to the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import polars as pl

from helpers.clean import CleaningError
from helpers.clean.codebook import Unknown
from helpers.clean.text import clean_text, match_key

LANGS: tuple[str, ...] = ("ru", "kk")
SEPARATOR = ", "  # Google Forms and Kobo join ticked labels with ", "


def labels(options: Iterable[Mapping], langs: Sequence[str] = LANGS) -> list[tuple[str, str]]:
    """``(label, code)`` of every option in every language, aliases included, in codebook order.

    >>> labels([{"code": "yes", "ru": "Да", "kk": "Иә", "aliases": ["Ага"]}])
    [('Да', 'yes'), ('Иә', 'yes'), ('Ага', 'yes')]
    """
    return [(str(lab), o["code"]) for o in options for lab in [*(o[l] for l in langs if l in o), *o.get("aliases", [])]]


def label_codes(options: Iterable[Mapping], langs: Sequence[str] = LANGS) -> dict[str, str]:
    """Match key (:func:`helpers.clean.text.match_key`) of every label → its option code; a key
    given to two codes is an error in the codebook.

    >>> label_codes([{"code": "yes", "ru": "Да", "kk": "Иә"}, {"code": "no", "ru": "Нет", "aliases": [" НЕТ "]}])
    {'да': 'yes', 'иә': 'yes', 'нет': 'no'}
    """
    pairs = labels(options, langs)
    keys = pl.Series([lab for lab, _ in pairs], dtype=pl.String).to_frame("l").select(match_key(pl.col("l"))).to_series()
    out: dict[str, str] = {}
    for key, (lab, code) in zip(keys, pairs):
        if out.setdefault(key, code) != code:
            raise CleaningError(f"codebook: label {lab!r} is given to two codes: {out[key]} and {code}")
    return out


def code_single(values: pl.Series, codes: Mapping[str, str]) -> tuple[pl.Series, pl.Series]:
    """The option code of each cell (null when empty or unknown) and whether its label is unknown;
    each distinct label is keyed once (:func:`helpers.clean.text.match_key`) and looked up.

    >>> code, unknown = code_single(pl.Series(["Да", " нет", "Может", None]), {"да": "yes", "нет": "no"})
    >>> code.to_list(), unknown.to_list()
    (['yes', 'no', None, None], [False, False, True, False])
    """
    distinct = values.cast(pl.String).unique().drop_nulls()
    keys = distinct.to_frame("v").select(match_key(pl.col("v")))["v"]
    found = {v: codes.get(k) for v, k in zip(distinct.to_list(), keys.to_list()) if k is not None}
    code = values.cast(pl.String).replace_strict({v: c for v, c in found.items() if c}, default=None, return_dtype=pl.String)
    unknown = values.cast(pl.String).is_in(pl.Series([v for v, c in found.items() if c is None], dtype=pl.String).implode()).fill_null(False)
    return code.alias(values.name), unknown.alias(values.name)


def _split(text: str | None, patterns: Sequence[tuple[re.Pattern, str]]) -> tuple[list[str], str | None]:
    """The codes ticked in one checkbox cell and what no label matched (the "Other" text or unknown)."""
    if text is None:
        return [], None
    ticked, rest = [], f"{SEPARATOR}{text}{SEPARATOR}"
    for pattern, code in patterns:
        rest, n = pattern.subn(SEPARATOR, rest)
        if n and code not in ticked:
            ticked.append(code)
    rest = re.sub(r"(?:, )+", SEPARATOR, rest).strip(", ").strip()
    return ticked, rest or None


def split_multi(frame: pl.DataFrame, column: str, options: Sequence[Mapping], langs: Sequence[str] = LANGS) -> pl.DataFrame:
    """A checkbox column split against the known option labels: one bool column per option code
    (``<code>``), ``answered`` (anything ticked or written) and ``rest`` (the text no label matched).

    Labels are searched as whole ``", "``-separated segments, longest first and case-insensitively,
    so a label holding a comma is found intact; nothing is split on commas blindly.

    >>> opts = [{"code": "family", "ru": "Семейные (развод, алименты)"}, {"code": "labour", "ru": "Трудовые"}]
    >>> f = pl.DataFrame({"q": ["Трудовые, семейные (развод, алименты), наследство", None]})
    >>> split_multi(f, "q", opts).rows()
    [(True, True, True, 'наследство'), (False, False, False, None)]
    """
    pairs = sorted(labels(options, langs), key=lambda p: -len(p[0]))
    patterns = [(re.compile(re.escape(f"{SEPARATOR}{lab}{SEPARATOR}"), re.I), code) for lab, code in pairs]
    codes = list(dict.fromkeys(o["code"] for o in options))
    texts = frame.select(clean_text(pl.col(column)).alias("_text"))["_text"]
    distinct = texts.unique(maintain_order=True).drop_nulls().to_list()
    split = {t: _split(t, patterns) for t in distinct}
    table = pl.DataFrame({
        "_text": distinct,
        **{c: [c in split[t][0] for t in distinct] for c in codes},
        "rest": [split[t][1] for t in distinct],
    }, schema={"_text": pl.String, **dict.fromkeys(codes, pl.Boolean), "rest": pl.String})
    out = texts.to_frame().join(table, on="_text", how="left", maintain_order="left")
    return out.select(*(pl.col(c).fill_null(False) for c in codes),
                      pl.col("_text").is_not_null().alias("answered"), pl.col("rest"))


def unknown_labels(values: pl.Series, source_file: str, column: str, mask: Callable[[str], str] = str) -> list[Unknown]:
    """The unknown labels of one column (``values``: the cells found unknown), counted, most frequent
    first, each masked (a respondent may write a name or a phone where a label was expected).

    >>> unknown_labels(pl.Series(["Может", " Может", "Иван 8 701 123 45 67"]), "s.csv", "q", mask=lambda t: t.split()[0])
    [Unknown(file='s.csv', column='q', value='Может', count=2), Unknown(file='s.csv', column='q', value='Иван', count=1)]
    """
    counts = (values.to_frame("v").select(clean_text(pl.col("v")).alias("v")).drop_nulls()
              .group_by("v").len().sort(["len", "v"], descending=[True, False]))
    return [Unknown(source_file, column, mask(v), int(n)) for v, n in counts.iter_rows()]
