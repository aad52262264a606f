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

**The grant report and the reviewer editions.** Every reviewer edition of a stage (``reports/review``)
is published like the reports, so it is attacked too: its protected tables (the displays have no
caption there, so the base of a frequency table is an unknown the visible shares bound), every ``n``
column of its other tables, and its figures summary (a count of people, or a share whose count or
complement is small: the figure's unit is read from the run's ``figures.json``). A table of any other
kind fails the test until it is declared in :data:`AS_THEY_ARE` with the reason it is published as it
is. What a reviewer receives is also attacked as a whole: the beneficiaries by sex, social category
and age band and the satisfaction by office, month, sphere and form are read from the grant report
(reader and reviewer editions, both languages: section 4, the offices' table, the plan-vs-fact totals,
the audit annex) and from the reviewer editions of stages 11, 30 and 31 (their tables, audit rows and
figures summaries) into one system per table, with the published sums (people in total, the socially
vulnerable, the project's ratings): a count one page hides and another shows is found. The printed
labels of the audit rows are mapped to their checks with the run's ``audit.csv``, as a reader maps
«Другие категории: отчёт и записи» to the category it names; every value comes from the HTML.

Published as they are (``docs/data_model.md``): process counts (rows of the input files, per rule), the
grant's own totals (consultations, events and participants, beneficiaries, the socially vulnerable, the
project's positive and negative ratings: the satisfaction indicator), item non-response, weighted
estimates (not counts) and counts that are not people.

Switching the secondary rule off must make the attack succeed: a second run of the fixture with
``--set analysis.secondary_suppression=false`` is attacked the same way and the attacker pins cells of
the analytic report, of the grant report with the reviewer editions, and of the stages' reviewer
editions; the last tests also render small tables without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from scipy.optimize import Bounds, LinearConstraint, milp

from conftest import FIXTURE, run_fixture
from helpers import figures, params, paths, report

P = params.load(FIXTURE)
K = P["analysis.suppression_threshold"]
UI = {lang: yaml.safe_load(report.load_texts(P, "analytic_report", lang)["ui"]) for lang in ("ru", "kk")}
GRANT = {lang: yaml.safe_load(report.load_texts(P, "grant_report", lang)["labels"]) for lang in ("ru", "kk")}
#: columns of a table that count people (any other table: see the module docstring for what is published as it is)
PEOPLE_COLUMNS = {"n", "n_rated", "count", GRANT["ru"]["columns"]["people"], GRANT["kk"]["columns"]["people"]}
BASE = re.compile(r"\bn\s*=\s*(\d[\d\s\u00a0\u202f]*)")


def number(text: str) -> float | None:
    """A published number ('1 234', '50,8'), or None for a mark or a dash."""
    t = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".").replace("−", "-").removesuffix("%")
    try:
        x = float(t)
    except ValueError:
        return None
    return None if np.isnan(x) else x


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
    """Header and body cells of a table; a pandas table's index column (``th`` in every row) is left out."""
    head = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    body = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    if body and len(head) == len(body[0]) + 1:
        head = head[1:]
    return head, body


def _tables(html: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(caption or "", header, body) of every table of a page."""
    out = []
    for t in BeautifulSoup(html, "html.parser").find_all("table"):
        if t.find("thead") is None or t.find("tbody") is None:
            continue
        cap = t.find("caption")
        out.append((" ".join(cap.get_text(" ").split()) if cap else "", *_rows(t)))
    return out


def _base_bounds(body: list[list[str]], head: list[str]) -> tuple[int, int]:
    """The bases a one-way table's visible counts and shares allow (a stage's reviewer edition prints no
    base): each share is printed to 0.1 %, so n / (p ± 0.05) bounds the base."""
    lo, hi = 1, 10 ** 7
    for row in body:
        cells = dict(zip(head, row))
        n, p = number(cells["n"]), number(cells["%"])
        if n and p:
            lo = max(lo, int(np.ceil(100 * n / (p + 0.05 + 1e-9))), int(n))
            hi = min(hi, int(np.floor(100 * n / max(p - 0.05, 1e-9))))
    return lo, hi


def one_way_system(name: str, head: list[str], body: list[list[str]], base: int | None, ui: dict) -> System:
    """Single choice: options add up to the base. Multi-select: each option and its complement add up
    to the base, and the ticks add up to the total the "% of responses" gives away. Without a printed
    base (a stage's reviewer edition) the base is an unknown the visible shares bound."""
    s = System(name, "one-way")
    multi = ui["pct_responses"] in head
    ticks = []
    if base is None:
        lo, hi = _base_bounds(body, head)
        if lo == hi:
            base = lo
        else:
            s.cell("base", None)
            s.equation({"base": 1}, lo, hi)
    for i, row in enumerate(body):
        cells = dict(zip(head, row))
        n = number(cells["n"])
        if cells[head[0]] == ui["nonresponse"]:
            s.cell("nonresponse", n)
            s.exempt.add("nonresponse")
            continue
        if n is None and number(cells["%"]) is not None:
            n = _count(number(cells["%"]), base)
        s.cell(f"option{i}", n)
        if multi:
            s.cell(f"not{i}", None if n is None or base is None else base - n)
            s.equation({f"option{i}": 1, f"not{i}": 1} | ({} if base else {"base": -1}), base or 0)
            share = number(cells[ui["pct_responses"]])
            if n is not None and share:
                ticks.append((n, share))
    options = [c for c in [*s.known, *s.hidden] if c.startswith("option")]
    if not multi:
        s.equation({c: 1 for c in options} | ({} if base else {"base": -1}), base or 0)
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
    out, loose = [], []
    for k, (caption, head, body) in enumerate(_tables(html)):
        caption = caption or f"table {k + 1}: {' | '.join(head)}"
        m = BASE.search(caption)
        base = int(re.sub(r"\D", "", m.group(1))) if m else None
        if head[0] == ui["option"]:
            out.append(one_way_system(caption, head, body, base, ui))
        elif head[0] == ui["level"]:
            out.append(breakdown_system(caption, head, body, ui))
        elif head[:2] == [ui["item"], ui["group"]]:
            out.extend(likert_group_systems(caption, head, body, ui))
        else:
            for j in [j for j, h in enumerate(head) if h in PEOPLE_COLUMNS]:
                loose += [f"{caption}: {row[0]} {head[j]} = {row[j]}" for row in body
                          if number(row[j]) is not None and 0 < number(row[j]) < K]
    return out, loose


# --- the grant report and the reviewer editions, attacked together -------------------------------------------
# A reviewer receives the reports and every reviewer edition: what one page hides, no other page may show, and
# the published sums (people in total, the socially vulnerable, ratings in total) hold across pages. The
# beneficiaries by sex, social category and age band (grant report section 4, stage 30's table and figures
# summary, the audit rows of stage 31 and of the annex) and the satisfaction by office, month, sphere and form
# (grant report, stage 30) are pooled into one system per table.

DIMENSIONS = ("sex", "social_category", "age_band")
SAT_DIMENSIONS = ("office", "month", "sphere", "form")
SUMMARY_LINE = re.compile(r"^(?P<id>[A-Za-z0-9_\-+]+(?:\.[A-Za-z0-9_\-+]+)+) = (?P<value>.+?)(?:  \(n=(?P<base>\d+)\))?$")


@dataclass
class Pool:
    """What the pages publish of one kind of cell: ``cells[key]`` is a published value, or None where
    every page hides it; ``sums[name]`` a published total."""

    cells: dict[tuple, int | None] = field(default_factory=dict)
    sums: dict[tuple, float] = field(default_factory=dict)

    def put(self, key: tuple, value: float | None) -> None:
        if value is None:
            self.cells.setdefault(key, None)
            return
        old = self.cells.get(key)
        assert old is None or old == round(value), f"{key}: pages publish {old} and {value}"
        self.cells[key] = int(round(value))

    def total(self, key: tuple, value: float | None) -> None:
        if value is not None:
            self.sums[key] = value

    def count(self, key: tuple) -> int | None:
        return None if key not in self.sums else int(round(self.sums[key]))


def _config_names() -> tuple[dict[str, dict[str, tuple[str, str]]], dict[str, str]]:
    """{lang: {printed category name: (dimension, code)}} from the public registries, and
    {figure-id code: code} ('59plus' -> '59+')."""
    from helpers.config_files import read_yaml

    bands = read_yaml(paths.CONFIG / "age_bands.yaml")["bands"]
    cats = read_yaml(paths.CONFIG / "social_categories.yaml")["categories"]
    names = {lang: {**{b[lang]: ("age_band", b["code"]) for b in bands}, **{c[lang]: ("social_category", c["code"]) for c in cats},
                    **{GRANT[lang]["categories"][k]: ("sex", k) for k in ("male", "female")}} for lang in ("ru", "kk")}
    return names, {str(i["code"]).replace("+", "plus"): i["code"] for i in bands + cats}


NAMES, SAFE = _config_names()


def _people_key(figure_or_check: str) -> tuple | None:
    """('people', dimension, code) of a figure (reach.by_social.other …) or an audit check (record.social.other …)."""
    m = re.fullmatch(r"(?:reach\.by_|record\.)(age|social)\.(.+)|(?:reach\.direct_|record\.sex_)(male|female)", figure_or_check)
    if not m:
        return None
    if m.group(3):
        return ("people", "sex", m.group(3))
    return ("people", {"age": "age_band", "social": "social_category"}[m.group(1)], SAFE.get(m.group(2), m.group(2)))


def _caption_base(caption: str) -> int | None:
    m = BASE.search(caption)
    return int(re.sub(r"\D", "", m.group(1))) if m else None


def grant_facts(html: str, lang: str, pool: Pool, checks: dict[str, str]) -> int:
    """Read a grant report page (reader edition, or the reviewer edition of notebook 91) into the pool:
    section 4, the offices' satisfaction, the plan-vs-fact totals and the audit annex's recomputed counts
    (``checks``: printed label -> check id). Returns how many protected tables it read."""
    from helpers.clean.offices import load_offices
    from helpers.grant import planfact

    col = GRANT[lang]["columns"]
    indicators = {i[f"name_{lang}"]: i["id"] for i in planfact.load_registry(paths.CONFIG / "indicators.yaml")["indicators"]}
    offices = {getattr(o, lang): o.id for o in load_offices(paths.CONFIG).values()}
    read = 0
    for caption, head, body in _tables(html):
        base = _caption_base(caption)
        if head[:2] == [col["category"], col["people"]]:
            read += 1
            for row in body:
                cells = dict(zip(head, row))
                dim, code = NAMES[lang][cells[col["category"]]] if cells[col["category"]] in NAMES[lang] else ("sex", "not_stated")
                pool.total(("people", dim), base)
                n = number(cells[col["people"]])
                pool.put(("people", dim, code), n if n is not None else _count(number(cells[col["share"]]), base))
        elif head[0] == col["office"]:
            read += 1
            pool.total(("sat", "n"), base)
            for row in body:
                cells = dict(zip(head, row))
                _sat_put(pool, "office", offices[cells[col["office"]]], number(cells[col["rated"]]), number(cells[col["share_positive"]]))
        elif head[0] == col["indicator"]:
            for row in body:
                cells = dict(zip(head, row))
                kind = {"se_direct_beneficiaries": ("people", "total"), "se_direct_vulnerable": ("people", "vulnerable"),
                        "t1_satisfaction": ("sat", "share")}.get(indicators.get(cells[col["indicator"]]))
                if kind:
                    pool.total(kind, number(cells[col["fact"]]))
        elif head[0] == col["check"]:
            read += 1
            for row in body:
                cells = dict(zip(head, row))
                key = _people_key(checks.get(cells[col["check"]], ""))
                if key:
                    pool.put(key, number(cells[col["recomputed"]]))
    return read


def _sat_put(pool: Pool, dim: str, group: str, n: float | None, pct: float | None) -> None:
    """A group's rated consultations and positive share: its positive and negative ratings (a hidden
    share hides both, a zero too)."""
    pool.put(("sat", dim, group, "n"), n)
    yes = None if pct is None or n is None else _count(pct, n)
    pool.put(("sat", dim, group, "yes"), yes)
    pool.put(("sat", dim, group, "no"), None if yes is None else n - yes)


def reviewer_facts(html: str, pool: Pool) -> None:
    """Read the reviewer editions of stages 11, 30 and 31 into the pool: the disaggregation, the
    satisfaction tables and the totals of stage 30, the audit rows of stage 31, the figures summaries."""
    for _, head, body in _tables(html):
        rows = [dict(zip(head, row)) for row in body]
        if head[:3] == ["dimension", "category", "n"]:
            for r in rows:
                pool.put(("people", r["dimension"], r["category"]), number(r["n"]))
        elif head[:4] == ["dimension", "group", "n_rated", "share_positive_pct"]:
            for r in rows:
                if r["dimension"] == "all":
                    pool.total(("sat", "n"), number(r["n_rated"]))
                    pool.total(("sat", "share"), number(r["share_positive_pct"]))
                else:
                    _sat_put(pool, r["dimension"], r["group"], number(r["n_rated"]), number(r["share_positive_pct"]))
        elif head[:2] == ["measure", "value"]:
            for r in rows:
                key = {"direct_beneficiaries": ("people", "total"), "direct_vulnerable": ("people", "vulnerable"),
                       "rated_positive": ("sat", "yes"), "rated_negative": ("sat", "no")}.get(r["measure"])
                if key:
                    pool.total(key, number(r["value"]))
        elif "check" in head and "recomputed" in head:
            for r in rows:
                key = _people_key(r["check"])
                if key:
                    pool.put(key, number(r["recomputed"]))
    for line in summary_lines(html):
        key = _people_key(line["id"])
        if key:
            pool.put(key, number(line["value"]))


def summary_lines(html: str) -> list[dict[str, str]]:
    """The lines ``id = value  (n=base)`` of the figures summaries printed in a reviewer edition."""
    out = []
    for pre in BeautifulSoup(html, "html.parser").find_all("pre"):
        for line in pre.get_text().splitlines():
            m = SUMMARY_LINE.match(line.strip())
            if m:
                out.append(m.groupdict())
    return out


def pooled_systems(pool: Pool) -> list[System]:
    """One system per section-4 table and per satisfaction dimension, from the pooled cells and sums."""
    from helpers.grant.tables import vulnerable_categories

    vulnerable = set(vulnerable_categories(paths.CONFIG))
    out = []
    total = pool.count(("people", "total"))
    for dim in DIMENSIONS:
        keys = [k for k in pool.cells if k[:2] == ("people", dim)]
        if not keys:
            continue
        s = System(f"people by {dim}", "beneficiaries")
        for k in keys:
            s.cell(k[2], pool.cells[k])
        s.equation({k[2]: 1 for k in keys}, pool.count(("people", dim)) or total)
        if dim == "social_category" and ("people", "vulnerable") in pool.sums:
            s.equation({k[2]: 1 for k in keys if k[2] in vulnerable}, pool.count(("people", "vulnerable")))
        out.append(s)
    n = pool.count(("sat", "n"))
    yes = pool.count(("sat", "yes")) if ("sat", "yes") in pool.sums else _count(pool.sums.get(("sat", "share")), n)
    for dim in SAT_DIMENSIONS:
        groups = sorted({k[2] for k in pool.cells if k[:2] == ("sat", dim)})
        if not groups:
            continue
        s = System(f"satisfaction by {dim}", "satisfaction")
        for g in groups:
            for part in ("n", "yes", "no"):
                s.cell(f"{g}.{part}", pool.cells[("sat", dim, g, part)], at_least=1 if part == "n" else 0)
            s.equation({f"{g}.yes": 1, f"{g}.no": 1, f"{g}.n": -1}, 0)
        s.equation({f"{g}.n": 1 for g in groups}, n)
        s.equation({f"{g}.yes": 1 for g in groups}, yes)
        s.equation({f"{g}.no": 1 for g in groups}, n - yes)
        out.append(s)
    return out


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


def _attack(systems: list[System]) -> dict[str, dict[str, list[str]]]:
    """{table: pinned hidden cells and published small counts} of every table the attacker solved."""
    found = {}
    for s in systems:
        pinned, small = s.attack()
        if pinned or small:
            found[s.name] = {"pinned": pinned, "small counts": small}
    return found


#: the protected tables each stage's reviewer edition shows (the attacker must read them all)
STAGES = {"10_clean_surveys": {}, "11_clean_journals": {}, "20_aspect1_interest": {"one-way": 8, "breakdown": 2},
          "21_aspect2_spheres": {"one-way": 3}, "22_aspect3_nonprof": {"likert by group": 6, "one-way": 1},
          "23_aspect4_barriers": {"one-way": 2}, "30_satisfaction_reach": {}, "31_plan_vs_fact_audit": {}}
#: figures a summary prints as they are (module docstring): the grant's satisfaction indicator (the
#: project's ratings), item non-response, weighted estimates (not counts)
SUMMARY_EXEMPT = ("satisfaction.", "clean.journal.", ".nonresponse", "aspect1.logit.n_dropped", "aspect1.weighted.")
PEOPLE_UNITS = {"respondents", "people", "consultations", "participants"}


def small_summary_figures(html: str, units: dict[str, str]) -> list[str]:
    """Figures of a summary that give away a count of 1..K-1: a count of people, or a share whose count or
    complement within its base is that small (``units``: the unit of each figure id)."""
    out = []
    for line in summary_lines(html):
        fid, v = line["id"], number(line["value"])
        if line["base"] is None or v is None or fid.endswith((".ci_low", ".ci_high")) or any(e in fid for e in SUMMARY_EXEMPT):
            continue
        b = int(line["base"])
        counts = {"percent": lambda: (round(v * b / 100), b - round(v * b / 100))}.get(units.get(fid), lambda: (v,))()
        if (units.get(fid) == "percent" or units.get(fid) in PEOPLE_UNITS) and any(0 < c < K for c in counts):
            out.append(f"{fid} = {line['value']} (n={b})")
    return out


#: the other tables of a reviewer edition, by their first two columns, and why they are published as they
#: are (module docstring); a table of none of these kinds and not protected fails the test until it is declared
AS_THEY_ARE = {
    ("rule", "meaning"): "the cleaning rules' texts", ("rule", "applies_to"): "the cleaning rules' texts",
    ("source_file", "rows_in"): "process counts: rows of each input file",
    ("source_file", "rule"): "process counts: rejected rows per file and rule",
    ("source_file", "value"): "region spellings corrected",
    ("table", "rows"): "process counts: rows of the clean tables",
    ("measure", "value"): "the grant's totals (read by the pooled attack)",
    ("event_id", "event_type"): "participants per event: the register the hand-made report prints",
    ("event_id", "participants_recorded"): "participants per event: the register the hand-made report prints",
    ("question", "n"): "medians and quartiles of numeric answers (n: those who answered)",
    ("dimension", "group"): "satisfaction per office, month, sphere, form: protected (read by the pooled attack)",
    ("dimension", "category"): "beneficiaries by sex, social category, age band: protected (read by the pooled attack)",
    ("row_id", "indicator"): "the hand-made report's indicator table (a published document)",
    ("table", "column"): "the hand-made report's beneficiary tables (a published document)",
    ("id", "plan"): "plan vs fact of the grant's indicators",
    ("check", "reported"): "the audit: protected rows read by the pooled attack",
    ("check", "kind"): "the audit: protected rows read by the pooled attack",
}


def undeclared_tables(html: str, lang: str) -> list[str]:
    """Tables of a page that are neither a protected display nor of a kind published as it is."""
    ui = UI[lang]
    protected = {ui["option"], ui["level"], ui["item"]}
    declared = set(AS_THEY_ARE) | {(ui["variable"], "n"), (ui["variable"], ui["level"]), (ui["measure"], "n")}
    out = []
    for _, head, _ in _tables(html):
        h = [x for x in head if x]
        if h and h[0] not in protected and tuple(h[:2]) not in declared:
            out.append(" | ".join(h))
    return out



@pytest.mark.parametrize("stage", list(STAGES))
def test__reviewer_edition__no_hidden_cell_is_recovered_and_no_small_count_is_published(fixture_run, stage):

    html = (fixture_run[0] / "reports" / "review" / f"{stage}.html").read_text(encoding="utf-8")
    systems, loose = systems_of(html, "ru")
    assert pd.Series([s.kind for s in systems], dtype="str").value_counts().to_dict() == STAGES[stage]
    units = {k: v["unit"] for k, v in figures.load(fixture_run[0] / "processed" / "figures.json").items()}
    assert summary_lines(html), "the figures summary was not read"
    small = small_summary_figures(html, units)
    found = _attack(systems)
    assert not found and not loose and not small, (found, loose, small)
    assert not undeclared_tables(html, "ru"), undeclared_tables(html, "ru")


def pooled_attack(run: Path) -> tuple[dict[str, dict[str, list[str]]], Pool, list[int]]:
    """The attack on the grant report (reader and reviewer editions, both languages) and the reviewer editions
    of stages 11, 30 and 31 together: (what it recovers, the pool, protected tables read per grant page)."""
    reports = run / "reports"
    aud = pd.read_csv(run / "processed" / "audit.csv", keep_default_na=False)
    checks = {**dict(zip(aud["label_ru"], aud["check"])), **dict(zip(aud["label_kk"], aud["check"]))}
    pool, read = Pool(), []
    for lang in ("ru", "kk"):
        for page in (reports / f"grant_report.{lang}.html", reports / "review" / f"91_grant_report.{lang}.html"):
            read.append(grant_facts(page.read_text(encoding="utf-8"), lang, pool, checks))
    for stage in ("11_clean_journals", "30_satisfaction_reach", "31_plan_vs_fact_audit"):
        reviewer_facts((reports / "review" / f"{stage}.html").read_text(encoding="utf-8"), pool)
    return _attack(pooled_systems(pool)), pool, read


def test__grant_report_and_reviewer_editions__no_hidden_cell_is_recovered_from_all_of_them_together(fixture_run):
    found, pool, read = pooled_attack(fixture_run[0])
    assert read == [5, 5, 5, 5], read  # section 4 (3 tables), the offices, the annex: in each grant page
    hidden = {k[1:] for k, v in pool.cells.items() if v is None and k[0] == "people"}
    assert hidden, "the fixture hides no count of beneficiaries: the attack proves nothing"
    assert {("people", "total"), ("people", "vulnerable"), ("sat", "n")} <= set(pool.sums), pool.sums
    assert not found, found


def test__grant_report__audit_counts_leave_out_the_checks_of_hidden_categories(fixture_run):
    """A hidden category's check has no published status, and the counts of «сходится»/«расхождений» leave
    it out: were it counted, the count minus the statuses shown would give its status, and an «ok» its
    number (the hand-made report's own figure)."""
    figs = figures.load(fixture_run[0] / "processed" / "figures.json")
    n = {k: figs[f"audit.{k}"]["value"] for k in ("n_checks", "n_ok", "n_mismatch", "n_hidden")}
    assert n["n_hidden"] >= 1, "the fixture hides no category: the test proves nothing"
    assert n["n_ok"] + n["n_mismatch"] + n["n_hidden"] == n["n_checks"], n
    text = " ".join(BeautifulSoup((fixture_run[0] / "reports" / "grant_report.ru.html").read_text(encoding="utf-8"), "html.parser").get_text().split())
    assert f"сходится {n['n_ok']}, расхождений {n['n_mismatch']}" in text and f"Проверок без статуса: {n['n_hidden']}" in text


# --- with the secondary rule switched off the same attacker recovers hidden cells -----------------------

@pytest.fixture(scope="module")
def run_without_secondary(tmp_path_factory) -> Path:
    """The fixture run again with ``--set analysis.secondary_suppression=false``."""
    tmp = tmp_path_factory.mktemp("no_secondary")
    proc = run_fixture(tmp, "--set", "analysis.secondary_suppression=false")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return tmp


def pinned_per_report(run: Path) -> dict[str, int]:
    """How many hidden cells the attacker pins in each report, and in the grant report with the reviewer
    editions together."""
    reports = run / "reports"
    out = {}
    for lang in ("ru", "kk"):
        systems, _ = systems_of((reports / f"analytic_report.{lang}.html").read_text(encoding="utf-8"), lang)
        out[f"analytic_report.{lang}"] = sum(len(f["pinned"]) for f in _attack(systems).values())
    out["grant report + reviewer editions"] = sum(len(f["pinned"]) for f in pooled_attack(run)[0].values())
    for stage in STAGES:
        systems, _ = systems_of((reports / "review" / f"{stage}.html").read_text(encoding="utf-8"), "ru")
        out[f"review/{stage}"] = sum(len(f["pinned"]) for f in _attack(systems).values())
    return out


def test__secondary_rule_off__the_attack_recovers_cells_of_every_report(run_without_secondary, fixture_run):
    off, on = pinned_per_report(run_without_secondary), pinned_per_report(fixture_run[0])
    assert not any(on.values()), on
    assert off["analytic_report.ru"] and off["analytic_report.kk"] and off["grant report + reviewer editions"], off
    assert sum(v for k, v in off.items() if k.startswith("review/")) > 0, off



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
