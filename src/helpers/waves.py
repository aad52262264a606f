"""Two waves side by side (parameter ``compare.previous``): each headline share of this run and of an
earlier one, the difference with its interval and test, and whether a question was re-worded.

An earlier run is its processed folder, kept as it was: ``figures.json`` (each share in percent with
its base n, so its count is value × n / 100), ``questions.csv`` (the header each survey question was
read under, written by the cleaning stage) and ``out_grant__plan_vs_fact.parquet`` (the grant
indicators, :mod:`helpers.grant.periods`). Which shares are compared is data (``config/headline.yaml``),
and their figure ids are the same in every wave.

Transformations include: counts from recorded shares and bases; the difference (this wave minus the
previous, percentage points) with the Newcombe hybrid score interval (statsmodels
``confint_proportions_2indep``, ``method="newcomb"``) and the score test of two independent proportions
(``test_proportions_2indep``), p-values Holm-adjusted over the shares tested (``multipletests``); a
share absent in one wave is shown without a difference; shares that are 0 % or 100 % in both waves
have no test (nothing varies) and are left out of the Holm family.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import figures
from helpers.config_files import read_yaml

#: what a comparison reads of an earlier run's processed folder
PREVIOUS_FILES = ("figures.json", "questions.csv", "out_grant__plan_vs_fact.parquet")
HEADLINE = "headline.yaml"


@dataclass(frozen=True)
class Headline:
    """One compared share: its figure id, the questions it is computed from, its label in each language."""

    figure: str
    questions: tuple[str, ...]
    ru: str
    kk: str

    @property
    def stem(self) -> str:
        """The id the comparison's figures start with: ``compare.<figure without .pct>``."""
        return "compare." + self.figure.removesuffix(".pct")


@dataclass(frozen=True)
class Wave:
    """One run as a comparison reads it."""

    label: str
    figures: Mapping[str, Mapping[str, Any]]
    questions: pd.DataFrame


def years(start: Any, end: Any) -> str:
    """The wave's label: the year of its period, or its first and last year.

    >>> import datetime as dt
    >>> years(dt.date(2022, 4, 1), dt.date(2022, 11, 25)), years(dt.date(2021, 9, 1), dt.date(2022, 6, 30))
    ('2022', '2021–2022')
    """
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


def load_headline(config_dir: Path, codebooks: Mapping[str, Mapping] | None = None) -> list[Headline]:
    """The shares of ``config/headline.yaml``; with ``codebooks`` (by survey) every question is checked to exist."""
    entries = [Headline(e["figure"], tuple(e["questions"]), e["ru"], e["kk"]) for e in read_yaml(Path(config_dir) / HEADLINE)["headline"]]
    ids = [h.figure for h in entries]
    if len(set(ids)) < len(ids):
        raise ValueError(f"{HEADLINE}: a figure listed twice: {sorted({i for i in ids if ids.count(i) > 1})}")
    known = {f"{s}.{q['id']}" for s, cb in (codebooks or {}).items() for q in cb["questions"]}
    unknown = [q for h in entries for q in h.questions if codebooks is not None and q not in known]
    if unknown:
        raise ValueError(f"{HEADLINE}: questions in no codebook (write <survey>.<question id>): {', '.join(unknown)}")
    return entries


def missing_files(folder: Path) -> list[str]:
    """The files of :data:`PREVIOUS_FILES` that ``folder`` (an earlier run's processed folder) lacks."""
    return [f for f in PREVIOUS_FILES if not (folder / f).is_file()]


def load_wave(folder: Path, label: str | None = None) -> Wave:
    """The run whose processed folder is ``folder``; its label is ``label``, else the ``wave.label`` it recorded.

    Raises FileNotFoundError naming the files a processed folder of a run should hold and this one lacks.
    """
    missing = missing_files(folder)
    if missing:
        raise FileNotFoundError(f"{folder}: not the processed folder of a run of this workbook: no {', '.join(missing)}")
    figs = figures.load(folder / "figures.json")
    if label is None and "wave.label" not in figs:
        raise ValueError(f"{folder}/figures.json: no wave.label (a run of an earlier version: run it again with this one)")
    questions = pd.read_csv(folder / "questions.csv", dtype="str", keep_default_na=False)
    return Wave(label or str(figs["wave.label"]["value"]), figs, questions)


def _count(figs: Mapping[str, Mapping[str, Any]], fid: str) -> tuple[int, int] | None:
    """``(count, base)`` of a recorded share, or None when the wave has no such share (or no answers)."""
    fig = figs.get(fid)
    if fig is None or fig["value"] is None or not fig.get("base"):
        return None
    n = int(fig["base"])
    x = float(fig["value"]) * n / 100
    if fig["unit"] != "percent" or abs(x - round(x)) > 1e-6:
        raise ValueError(f"{fid}: not a share of counted respondents ({fig['value']} {fig['unit']} of n = {n})")
    return round(x), n


def _wording(table: pd.DataFrame, question: str) -> set[tuple[str, str, str]]:
    from helpers.clean.read import header_key

    survey, qid = question.split(".", 1)
    rows = table[(table["survey"] == survey) & (table["question"] == qid)]
    return {(r.lang, r.row, header_key(r.header)) for r in rows.itertuples(index=False)}


def reworded(previous: pd.DataFrame, current: pd.DataFrame, questions: Sequence[str]) -> bool:
    """Whether any of ``questions`` was read under another header in one wave than in the other (headers
    compared as the cleaning matches them: case, spaces and ё do not count).

    >>> q = lambda h: pd.DataFrame({"survey": ["s"], "question": ["q"], "row": [""], "lang": ["ru"], "header": [h]})
    >>> reworded(q("Сколько в 2020–2021?"), q("сколько  в 2020–2021?"), ["s.q"]), reworded(q("… 2020–2021?"), q("… 2021–2022?"), ["s.q"])
    (False, True)
    """
    return any(_wording(previous, q) != _wording(current, q) for q in questions)


def _difference(prev: tuple[int, int], cur: tuple[int, int], confidence: float) -> dict[str, float]:
    """This wave minus the previous one, in percentage points: the difference, its Newcombe interval, the score test's p."""
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    (x0, n0), (x1, n1) = prev, cur
    low, high = confint_proportions_2indep(x1, n1, x0, n0, compare="diff", method="newcomb", alpha=1 - confidence)
    varies = 0 < x0 + x1 < n0 + n1  # both 0 % or both 100 %: no test
    with np.errstate(divide="ignore", invalid="ignore"):
        p = test_proportions_2indep(x1, n1, x0, n0, method="score").pvalue if varies else math.nan
    return {"diff": 100 * (x1 / n1 - x0 / n0), "diff_ci_low": 100 * float(low), "diff_ci_high": 100 * float(high), "p_value": float(p)}


def compare_shares(previous: Wave, current: Wave, headline: Sequence[Headline], *, confidence: float) -> pd.DataFrame:
    """One row per headline share: ``figure, x_prev, n_prev, pct_prev, x, n, pct, diff, diff_ci_low, diff_ci_high,
    p_value, p_holm, reworded``. A share absent in one wave has no difference; absent in both, it is an error."""
    rows = []
    for h in headline:
        if h.figure not in previous.figures and h.figure not in current.figures:
            raise ValueError(f"{HEADLINE}: {h.figure} is recorded in neither wave ({previous.label}, {current.label})")
        prev, cur = _count(previous.figures, h.figure), _count(current.figures, h.figure)
        row: dict[str, Any] = {"figure": h.figure, "reworded": reworded(previous.questions, current.questions, h.questions)}
        for key, c in (("prev", prev), ("cur", cur)):
            x, n = c or (None, None)
            row |= {f"x_{key}": x, f"n_{key}": n, f"pct_{key}": None if c is None else 100 * x / n}
        rows.append(row | (_difference(prev, cur, confidence) if prev and cur else {}))
    out = pd.DataFrame(rows).rename(columns={"x_cur": "x", "n_cur": "n", "pct_cur": "pct"})
    for c in ("diff", "diff_ci_low", "diff_ci_high", "p_value"):
        out[c] = out[c].astype("float64") if c in out else math.nan
    from helpers.analysis.crosstab import holm  # the analysis package (imported here: validate reads this module)

    out["p_holm"] = holm(out["p_value"])
    return out[["figure", "x_prev", "n_prev", "pct_prev", "x", "n", "pct", "diff", "diff_ci_low", "diff_ci_high",
                "p_value", "p_holm", "reworded"]]


def _value(v: Any) -> Any:
    return None if v is None or pd.isna(v) else v


def record(rec: Any, shares: pd.DataFrame, headline: Sequence[Headline], previous: Wave, *, alpha: float, confidence: float) -> None:
    """Record the comparison: the previous wave's label, per share ``compare.<id>.previous`` / ``.current``
    (percent, base n), ``.diff``, ``.diff_ci_low``, ``.diff_ci_high`` (p.p.), ``.p``, ``.p_holm``,
    ``.reworded`` (1/0); and ``compare.n_shares``, ``.n_tested``, ``.n_changed`` (Holm p < ``alpha``), ``.n_reworded``.
    Labels: the figure catalogue (``config/figures.yaml``), with the share's own label of ``config/headline.yaml``."""
    rec.add("compare.previous.wave", previous.label)
    by_id = {h.figure: h for h in headline}
    for r in shares.itertuples(index=False):
        h = by_id[r.figure]
        names = {"share_ru": h.ru, "share_kk": h.kk, "figure": r.figure}
        rec.add(f"{h.stem}.previous", _value(r.pct_prev), base=_value(r.n_prev), **names)
        rec.add(f"{h.stem}.current", _value(r.pct), base=_value(r.n), **names)
        rec.add(f"{h.stem}.diff", _value(r.diff), **names)
        for key in ("diff_ci_low", "diff_ci_high"):
            rec.add(f"{h.stem}.{key}", _value(getattr(r, key)), confidence=confidence, **names)
        rec.add(f"{h.stem}.p", _value(r.p_value), **names)
        rec.add(f"{h.stem}.p_holm", _value(r.p_holm), **names)
        rec.add(f"{h.stem}.reworded", int(r.reworded), questions=", ".join(h.questions), share_ru=h.ru, share_kk=h.kk)
    rec.add("compare.n_shares", len(shares))
    rec.add("compare.n_tested", int(shares["p_value"].notna().sum()))
    rec.add("compare.n_changed", int((shares["p_holm"] < alpha).sum()), alpha=alpha)
    rec.add("compare.n_reworded", int(shares["reworded"].sum()))


def _protected(x: Any, n: Any, threshold: int, secondary: bool) -> tuple[bool, bool]:
    """(share hidden, base hidden) of one share by the disclosure rule of every table."""
    from helpers.analysis import disclosure  # the analysis package (imported here: validate reads this module)

    if x is None or pd.isna(x):
        return False, False
    p = disclosure.protect([int(x), int(n) - int(x)], [[0, 1]], threshold, secondary=secondary, units=[[0, 1]])
    return bool(p.hidden.any()), not bool(p.published[0])


def _share(pct: Any, n: Any, hidden: tuple[bool, bool], mark: str, lang: str) -> str:
    """«88,1 (n = 118)»; a hidden share or base shows the mark; no share: «—»."""
    if pct is None or pd.isna(pct):
        return "—"
    shown = mark if hidden[0] else figures.format_number(pct, 1, lang=lang)
    return f"{shown} (n\u00a0=\u00a0{mark if hidden[1] else figures.format_number(int(n), lang=lang)})"


def _change(r: Any, mark: str, hidden: bool, lang: str) -> list[str]:
    """Difference (signed), its interval, the Holm-adjusted p: «—» without both waves, the mark when hidden."""
    if pd.isna(r.diff):
        return ["—"] * 3
    if hidden:
        return [mark] * 3
    diff = figures.format_number(r.diff, 1, lang=lang)
    sign = "+" if r.diff > 0 and diff != figures.format_number(0, 1, lang=lang) else ""
    ci = f"{figures.format_number(r.diff_ci_low, 1, lang=lang)}; {figures.format_number(r.diff_ci_high, 1, lang=lang)}"
    return [sign + diff, ci, "—" if pd.isna(r.p_holm) else figures.format_value(r.p_holm, "p", lang)]


def display(shares: pd.DataFrame, headline: Sequence[Headline], ui: Mapping[str, str], waves: tuple[str, str], *,
            threshold: int, secondary: bool, confidence: float, lang: str) -> pd.DataFrame:
    """The comparison as the reader sees it: share, each wave's % (n), difference in p.p. with its interval,
    Holm-adjusted p, whether the question was re-worded. A share hidden by the disclosure rule in either
    wave hides the difference, interval and p too (they would give it away)."""
    from helpers.analysis.present import ci_header

    mark, labels = ui["hidden_mark"], {h.figure: getattr(h, lang) for h in headline}
    rows = []
    for r in shares.itertuples(index=False):
        prev, cur = _protected(r.x_prev, r.n_prev, threshold, secondary), _protected(r.x, r.n, threshold, secondary)
        rows.append([labels[r.figure], _share(r.pct_prev, r.n_prev, prev, mark, lang), _share(r.pct, r.n, cur, mark, lang),
                     *_change(r, mark, prev[0] or cur[0], lang), ui["reworded_yes" if r.reworded else "reworded_no"]])
    heads = [ui["measure"], ui["wave_share"].format(wave=waves[0]), ui["wave_share"].format(wave=waves[1]), ui["change_pp"],
             ci_header(ui, confidence), ui["p_holm"], ui["reworded"]]
    return pd.DataFrame(rows, columns=heads).astype("str")
