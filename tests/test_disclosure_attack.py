"""The promise of the small-cell rule, attacked the way a reader could: from the produced reader HTML alone.

For every protected table of the analytic report (frequency tables, multi-select tables with their
"% of responses", share-by-category tables with their totals row, Likert items by group) the attacker
reads the published counts, shares and bases, turns every share with its base back into a count,
writes down what the table's margins say (options add up to the base, ticks to the total behind
"% of responses", categories to the totals row, "agree", the rest and "don't know" to the base) and solves,
for every hidden cell, the smallest and the largest integer value it can take
(``scipy.optimize.milp``; a hidden count shown on its own is at least 1 because zeros are published as
0; the two counts behind a hidden share — ready and not ready, agree and the rest — are only at least
0, since a share hides both, a zero too).

The test fails when a hidden cell is pinned to one value, or when any published or derivable count
(a count, the complement of a count within its base, a count recovered from a share) is between 1
and the threshold minus one. The one exception is written in the methods section and here: the
number of respondents who skipped a question (the non-response row of a one-way table), which is the
difference of two published totals. The attacker is written here, independently of
``helpers.analysis.disclosure``: it reads only what a reader receives.

The reviewer edition of the report notebook is attacked the same way: it publishes the same tables.

Switching the secondary rule off (``secondary=False``) must make the attack succeed: the last tests
render tables without it and show that the attacker recovers hidden cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from scipy.optimize import Bounds, LinearConstraint, milp

from conftest import FIXTURE
from helpers import params, paths, report

P = params.load(FIXTURE)
K = P["analysis.suppression_threshold"]
UI = {lang: yaml.safe_load(report.load_texts(P, "analytic_report", lang)["ui"]) for lang in ("ru", "kk")}
BASE = re.compile(r"\bn\s*=\s*(\d[\d\s\u00a0\u202f]*)")


def number(text: str) -> float | None:
    """A published number ('1 234', '50,8'), or None for a mark or a dash."""
    t = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".").replace("−", "-")
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class System:
    """What an attacker knows of one table: integer cells (known value or unknown) and equations."""

    name: str
    kind: str = ""
    known: dict[str, int] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)  # cell -> lower bound (0 or 1)
    equations: list[tuple[dict[str, int], tuple[int, int]]] = field(default_factory=list)  # coefs, (lo, hi)
    exempt: set[str] = field(default_factory=set)

    def cell(self, name: str, value: float | None, *, at_least: int = 1) -> None:
        if value is None:
            self.hidden[name] = at_least
        else:
            self.known[name] = int(round(value))

    def equation(self, coefs: dict[str, int], lo: int, hi: int | None = None) -> None:
        self.equations.append((coefs, (lo, lo if hi is None else hi)))

    def attack(self) -> tuple[list[str], list[str]]:
        """(pinned hidden cells, published or derivable counts between 1 and K - 1)."""
        small = [f"{c} = {v}" for c, v in self.known.items() if 0 < v < K and c not in self.exempt]
        names = list(self.hidden)
        if not names:
            return [], small
        pos = {c: i for i, c in enumerate(names)}
        rows, lo, hi = [], [], []
        for coefs, (a, b) in self.equations:
            row = np.zeros(len(names))
            shift = 0
            for c, w in coefs.items():
                if c in pos:
                    row[pos[c]] += w
                else:
                    shift += w * self.known[c]
            if row.any():
                rows.append(row)
                lo.append(a - shift)
                hi.append(b - shift)
        cons = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
        box = Bounds([self.hidden[c] for c in names], np.inf)
        pinned = []
        for c in names:
            ends = []
            for sign in (1.0, -1.0):
                goal = np.zeros(len(names))
                goal[pos[c]] = sign
                res = milp(goal, constraints=cons, integrality=np.ones(len(names)), bounds=box)
                assert res.status in (0, 3), f"{self.name}: the attacker's system is infeasible ({res.message})"
                ends.append(np.inf if res.status == 3 else sign * res.fun)
            if ends[0] == ends[1]:
                pinned.append(f"{c} = {ends[0]:g}")
        return pinned, small


def _count(pct: float | None, base: float | None) -> float | None:
    """The count a share of a known base gives (shares are printed to 0.1 %: exact below a base of 1000)."""
    if pct is None or base is None:
        return None
    return round(pct * base / 100)


def _rows(table) -> tuple[list[str], list[list[str]]]:
    head = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    body = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    return head, body


def one_way_system(name: str, head: list[str], body: list[list[str]], base: int, ui: dict) -> System:
    """Single choice: options add up to the base. Multi-select: each option and its complement add up
    to the base, and the ticks add up to the total the "% of responses" gives away."""
    s = System(name, "one-way")
    multi = ui["pct_responses"] in head
    ticks = []
    for i, row in enumerate(body):
        cells = dict(zip(head, row))
        n = number(cells["n"])
        if cells[head[0]] == ui["nonresponse"]:
            s.cell(f"nonresponse", n)
            s.exempt.add("nonresponse")
            continue
        if n is None and number(cells["%"]) is not None:
            n = _count(number(cells["%"]), base)
        s.cell(f"option{i}", n)
        if multi:
            s.cell(f"not{i}", None if n is None else base - n)
            s.equation({f"option{i}": 1, f"not{i}": 1}, base)
            share = number(cells[ui["pct_responses"]])
            if n is not None and share:
                ticks.append((n, share))
    options = [c for c in [*s.known, *s.hidden] if c.startswith("option")]
    if not multi:
        s.equation({c: 1 for c in options}, base)
    elif ticks:  # each visible option's % of responses bounds the total of ticks
        lo = max(int(np.ceil(100 * n / (p + 0.05 + 1e-9))) for n, p in ticks)
        hi = min(int(np.floor(100 * n / max(p - 0.05, 1e-9))) for n, p in ticks)
        s.equation({c: 1 for c in options}, lo, hi)
    return s


def breakdown_system(name: str, head: list[str], body: list[list[str]], ui: dict) -> System:
    """Share by category with a totals row: ready and not ready add up to each category's n, and each
    column adds up to the totals row."""
    s = System(name, "breakdown")
    yes_all, no_all, n_all = {}, {}, {}
    for i, row in enumerate(body):
        cells = dict(zip(head, row))
        n, pct = number(cells["n"]), number(cells["%"])
        if cells[head[0]] == ui["total"]:
            total = (int(n), _count(pct, n))
            continue
        yes = 0 if n == 0 else _count(pct, n)
        s.cell(f"yes{i}", yes, at_least=0)
        s.cell(f"no{i}", None if yes is None else n - yes, at_least=0)
        if n is not None:
            s.cell(f"n{i}", n)
        else:
            s.cell(f"n{i}", None)
        s.equation({f"yes{i}": 1, f"no{i}": 1, f"n{i}": -1}, 0)
        yes_all[f"yes{i}"], no_all[f"no{i}"], n_all[f"n{i}"] = 1, 1, 1
    s.equation(n_all, total[0])
    s.equation(yes_all, total[1])
    s.equation(no_all, total[0] - total[1])
    return s


def likert_group_systems(name: str, head: list[str], body: list[list[str]], ui: dict) -> list[System]:
    """Likert items by group: per item, agree, the rest of the scale and "don't know" add up to each
    group's n (those who answered), and every column adds up to the item's totals row."""
    systems, s, cols = [], None, None
    ci = [h for h in head if h.endswith(ui["ci"])][0]
    for i, row in enumerate(body):
        cells = dict(zip(head, row))
        item = cells[ui["item"]]
        if s is None or s.name != f"{name}: {item}":
            s = System(f"{name}: {item}", "likert by group")
            cols = {"agree": {}, "rest": {}, "dk": {}}
            systems.append(s)
        n, pct, dk = number(cells["n"]), number(cells[ui["agree"]]), number(cells[ui["dk"]])
        a, dk_n = _count(pct, n), _count(dk, n)
        if cells[ui["group"]] == ui["total"]:
            if a is not None:
                s.equation(cols["agree"], a)
            if dk_n is not None:
                s.equation(cols["dk"], dk_n)
            if a is not None and dk_n is not None:
                s.equation(cols["rest"], int(n) - a - dk_n)
            continue
        s.cell(f"agree{i}", a, at_least=0)
        s.cell(f"dk{i}", dk_n)
        s.cell(f"rest{i}", None if a is None or dk_n is None else n - a - dk_n, at_least=0)
        if n is not None:
            s.cell(f"n{i}", n)
        else:
            s.cell(f"n{i}", None)
        s.equation({f"agree{i}": 1, f"rest{i}": 1, f"dk{i}": 1, f"n{i}": -1}, 0)
        cols["agree"][f"agree{i}"] = cols["rest"][f"rest{i}"] = cols["dk"][f"dk{i}"] = 1
    return systems


def systems_of(html: str, lang: str) -> tuple[list[System], list[str]]:
    """The attacker's systems of every protected table of a page, and every count of 1..K-1 printed
    in an ``n`` column of the other tables."""
    ui = UI[lang]
    soup = BeautifulSoup(html, "html.parser")
    out, loose = [], []
    for t in soup.find_all("table"):
        caption = " ".join(t.find("caption").get_text(" ").split())
        head, body = _rows(t)
        m = BASE.search(caption)
        base = int(re.sub(r"\D", "", m.group(1))) if m else None
        if head[0] == ui["option"]:
            out.append(one_way_system(caption, head, body, base, ui))
        elif head[0] == ui["level"]:
            out.append(breakdown_system(caption, head, body, ui))
        elif head[:2] == [ui["item"], ui["group"]]:
            out.extend(likert_group_systems(caption, head, body, ui))
        elif "n" in head:
            j = head.index("n")
            loose += [f"{caption}: {row[0]} = {row[j]}" for row in body
                      if number(row[j]) is not None and 0 < number(row[j]) < K]
    return out, loose


@pytest.mark.parametrize("edition", ["reader", "reviewer"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test__report_html__no_hidden_cell_is_recovered_and_no_small_count_is_published(reader_html, report_review_html,
                                                                                   lang, edition):
    page = reader_html[f"analytic_report.{lang}"] if edition == "reader" else report_review_html[f"90_analytic_report.{lang}"]
    html = page.read_text(encoding="utf-8")
    systems, loose = systems_of(html, lang)
    kinds = pd.Series([s.kind for s in systems]).value_counts().to_dict()
    assert kinds == {"one-way": 13, "breakdown": 4, "likert by group": 6}, kinds  # every protected table was read
    assert any(s.hidden for s in systems), "the fixture hides no cell at all: the attack proves nothing"
    found = {}
    for s in systems:
        pinned, small = s.attack()
        if pinned or small:
            found[s.name] = {"pinned": pinned, "small counts": small}
    assert not found and not loose, (found, loose)


# --- with the secondary rule switched off the same attacker recovers hidden cells -----------------------

def _page(frame: pd.DataFrame, title: str, base: int) -> str:
    return report.table(frame, title=title, base=base, lang="ru").data


def test__attack__recovers_a_cell_of_a_frequency_table_without_the_secondary_rule():
    from helpers.analysis import present, tables

    answers = pd.Series(["a"] * 40 + ["b"] * 30 + ["c"] * 3 + ["d"] * 12 + [None])
    t = tables.single_choice(answers, ["a", "b", "c", "d"])
    results = {}
    for secondary in (False, True):
        shown = present.freq_display(t, {}, UI["ru"], threshold=K, confidence=0.95, secondary=secondary)
        systems, _ = systems_of(_page(shown, "T", int(t["base"].iloc[0])), "ru")
        results[secondary] = systems[0].attack()[0]
    assert len(results[False]) == 1 and results[False][0].endswith("= 3") and results[True] == []


def test__attack__recovers_a_region_and_a_multi_select_option_without_the_secondary_rule():
    from helpers.analysis import present, tables

    by = pd.DataFrame({"level": ["A", "B", "C", "D"], "x": [20, 30, 2, 40], "n": [25, 33, 3, 50]})
    by = by.assign(pct=100 * by["x"] / by["n"], ci_low=0.0, ci_high=100.0)
    multi = tables.multi_select(pd.DataFrame({"q__a": [True] * 60 + [False] * 20, "q__b": [True] * 3 + [False] * 77,
                                              "q__c": [True] * 30 + [False] * 50}), "q")
    for secondary, expect in ((False, True), (True, False)):
        page = (_page(present.breakdown_display(by, {}, UI["ru"], threshold=K, confidence=0.95, secondary=secondary), "B", 111)
                + _page(present.freq_display(multi, {}, UI["ru"], threshold=K, confidence=0.95, secondary=secondary,
                                             responses=True), "M", 80))
        systems, _ = systems_of(page, "ru")
        pinned = [p for s in systems for p in s.attack()[0]]
        assert bool(pinned) is expect, (secondary, pinned)


def test__report_text__no_quoted_share_gives_away_a_small_count(fixture_run):
    """A share quoted in the text with its base is a count too: neither it nor its complement is 1..K-1."""
    import json

    from helpers import figures

    figs = json.loads((fixture_run[0] / "processed" / "figures.json").read_text(encoding="utf-8"))["figures"]
    quoted = set()
    for lang in ("ru", "kk"):
        quoted |= set(figures.placeholders((paths.CONFIG / "texts" / f"analytic_report.{lang}.md").read_text(encoding="utf-8")))
    shares = [f for fid, f in figs.items() if fid in quoted and f["unit"] == "percent" and f.get("base")
              and not fid.endswith((".ci_low", ".ci_high"))]
    assert len(shares) >= 10
    small = {}
    for f in shares:
        x = round(f["value"] * f["base"] / 100)
        if any(0 < c < K for c in (x, f["base"] - x)):
            small[f["id"]] = (f["value"], f["base"])
    assert not small, small
