"""The masker's figures on the labelled corpus (tests/unit/test_pii_masker.py and benchmarks/pii_masker.py).

A planted item counts as **found** when none of its pieces survives: a piece is a maximal run of
letters or digits of the item («+7 (701) 123-45-67» → 7, 701, 123, 45, 67; «Иванова М.А.» →
Иванова, М, А), and it survives when the masked answer holds more whole-word occurrences of it
than the answer holds outside its planted items (so «45 минут» elsewhere in the answer does not
count against a phone ending in 45). A clean answer is **altered** when its masked text differs
from it in any way.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from helpers.clean.pii import mask_text

PIECE = re.compile(r"[^\W_]+")
TOKENS = re.compile(r"\[(?:phone|IIN|e-mail|name)\]")  # the masker's own words («mail» of «[e-mail]») are not survivors
KINDS = ("phone", "iin", "email", "name")


def _count(piece: str, text: str) -> int:
    return len(re.findall(rf"(?<![^\W_]){re.escape(piece)}(?![^\W_])", text))


def found(text: str, spans: list[dict], item: dict, masked: str) -> bool:
    """None of ``item``'s pieces survives in ``masked`` (see the module docstring)."""
    outside = list(text)
    for s in spans:
        outside[s["start"] : s["end"]] = " " * (s["end"] - s["start"])
    rest, masked = "".join(outside), TOKENS.sub(" ", masked)
    return all(_count(p, masked) <= _count(p, rest) for p in PIECE.findall(text[item["start"] : item["end"]]))


@dataclass
class Figures:
    planted: Counter = field(default_factory=Counter)  # items per kind
    found: Counter = field(default_factory=Counter)
    clean: int = 0
    altered: int = 0
    words: int = 0  # words (3+ letters) outside the planted items of planted answers
    words_lost: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (kind and form, item, masked answer)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)  # (clean answer, masked)

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.planted[kind] if self.planted[kind] else 1.0

    @property
    def altered_rate(self) -> float:
        return self.altered / self.clean if self.clean else 0.0

    def lines(self) -> list[str]:
        out = [f"{k:6} recall {self.recall(k):7.2%}  ({self.found[k]}/{self.planted[k]})" for k in KINDS]
        out.append(f"clean answers altered {self.altered_rate:6.2%}  ({self.altered}/{self.clean})")
        out.append(f"words outside planted items lost {self.words_lost / max(self.words, 1):6.2%}  ({self.words_lost}/{self.words})")
        return out


def measure(rows: list[dict], names: tuple[str, ...] = ()) -> Figures:
    """Mask every answer with :func:`helpers.clean.pii.mask_text` (the path the cleaning stage uses) and count."""
    masked = mask_text(pl.Series([r["text"] for r in rows], dtype=pl.String), names).to_list()
    f = Figures()
    for row, out in zip(rows, masked):
        text, spans = row["text"], row["spans"]
        if not spans:
            f.clean += 1
            if out != text:
                f.altered += 1
                f.false_alarms.append((text, out))
            continue
        for item in spans:
            f.planted[item["kind"]] += 1
            if found(text, spans, item, out):
                f.found[item["kind"]] += 1
            else:
                f.misses.append((f"{item['kind']}: {item['form']}", text[item["start"] : item["end"]], out))
        outside = list(text)
        for s in spans:
            outside[s["start"] : s["end"]] = " " * (s["end"] - s["start"])
        for w, n in Counter(p for p in PIECE.findall("".join(outside)) if len(p) >= 3 and not p.isdigit()).items():
            f.words += n
            f.words_lost += max(0, n - _count(w, TOKENS.sub(" ", out)))
    return f
