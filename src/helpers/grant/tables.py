"""Reader-edition tables of the grant report: formatted text cells, headers in the report language.

Column headers and category words come from the ``labels`` section of
``config/texts/grant_report.<lang>.md`` (YAML), so the tables and the text are edited in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.analysis.disclosure import protect
from helpers.config_files import read_yaml
from helpers.figures import fill, format_number
from helpers.grant.transcripts import safe_code


def _num(x: Any, decimals: int = 0) -> str:
    return "—" if x is None or pd.isna(x) else format_number(float(x), decimals)


def _value(x: Any, unit: str) -> str:
    if x is None or pd.isna(x):
        return "—"
    if unit == "percent":
        return _num(x, 1) + "\u00a0%"
    return _num(x, 0 if float(x).is_integer() else 2)


def _qualified(qualifier: str, plan: Any, unit: str, lang: str) -> str:
    """A plan with its qualifier: a word before the number («не менее 240»), or a text template whose
    ``{{ plan }}`` placeholder is filled like a report text («{{ plan|abl }} астам» → «1 000 000-нан астам»).

    >>> _qualified("{{ plan|abl }} астам", 1000000, "count", "kk")
    '1\xa0000\xa0000-нан астам'
    >>> _qualified("не менее", 80.0, "percent", "ru")
    'не менее 80,0\xa0%'
    """
    if "{{" in qualifier and plan is not None and not pd.isna(plan):
        return fill(qualifier, {"plan": {"value": float(plan), "unit": unit}}, lang)
    return (qualifier + " " + _value(plan, unit)).strip()


def _achieved(pct: float, unit: str, achieved: Any, labels: Mapping[str, Any]) -> str:
    """% achieved of a count; «threshold met / not met» of a share (no % of a %)."""
    if unit == "percent":
        return "—" if pd.isna(achieved) else labels["threshold"]["met" if bool(achieved) else "not_met"]
    return _num(pct, 1) + "\u00a0%" if pd.notna(pct) else "—"


def plan_vs_fact(pvf: pd.DataFrame, labels: Mapping[str, Any], lang: str, tasks: list[str] | None = None) -> pd.DataFrame:
    """Plan-vs-fact rows of ``tasks`` as display text (indicator, plan, fact, reported fact, % achieved, basis);
    without a hand-made report (no reported fact at all) the reported-fact column is left out.

    A share indicator (unit ``percent``) shows whether its threshold is met, not a % of a %.

    >>> pvf = pd.DataFrame({"task": ["t"], "indicator": ["Консультации"], "indicator_kk": ["Кеңестер"], "unit": ["count"],
    ...     "plan": [500.0], "plan_qualifier": ["exact"], "fact": [752.0], "fact_reported": [752.0],
    ...     "fact_basis": ["record_data"], "pct_achieved": [150.4]})
    >>> labels = {"columns": {"indicator": "И", "plan": "П", "fact": "Ф", "fact_reported": "О", "pct_achieved": "%",
    ...     "fact_basis": "Б"}, "qualifier": {"exact": ""}, "basis": {"record_data": "записи"}}
    >>> plan_vs_fact(pvf, labels, "ru").iloc[0].tolist()
    ['Консультации', '500', '752', '752', '150,4\\xa0%', 'записи']
    """
    d = pvf if tasks is None else pvf[pvf["task"].isin(tasks)]
    c = labels["columns"]
    q = labels["qualifier"]
    out = pd.DataFrame({
        c["indicator"]: d["indicator"] if lang == "ru" else d["indicator_kk"],
        c["plan"]: [_qualified(q.get(qq, ""), p, u, lang) for p, u, qq in zip(d["plan"], d["unit"], d["plan_qualifier"])],
        c["fact"]: [_value(f, u) for f, u in zip(d["fact"], d["unit"])],
        c["fact_reported"]: [_value(f, u) for f, u in zip(d["fact_reported"], d["unit"])],
        c["pct_achieved"]: [_achieved(x, u, a, labels) for x, u, a in zip(d["pct_achieved"], d["unit"],
                                                                          d.get("achieved", pd.Series([pd.NA] * len(d))))],
        c["fact_basis"]: [labels["basis"].get(b, b) for b in d["fact_basis"]],
    })
    if pvf["fact_reported"].isna().all():  # no hand-made report: no column of its figures
        out = out.drop(columns=c["fact_reported"])
    return out.reset_index(drop=True)


def hidden_categories(dis: pd.DataFrame, dimension: str, threshold: int, *, secondary: bool = True,
                      published_groups: Sequence[Sequence[str]] = ()) -> list[str]:
    """The categories of a section-4 table whose count of people is not published (:func:`disaggregation`).

    >>> dis = pd.DataFrame({"dimension": "sex", "category": ["male", "female", "not_stated"], "n": [40, 57, 3], "order": [0, 1, 2]})
    >>> hidden_categories(dis, "sex", 5)
    ['male', 'not_stated']
    """
    d = dis[dis["dimension"] == dimension].sort_values("order")
    n, cats = d["n"].astype(int).tolist(), list(d["category"])
    if not threshold:
        return []
    sums = [list(range(len(n)))] + [[cats.index(k) for k in group if k in cats] for group in published_groups]
    hidden = protect(n, sums, threshold, secondary=secondary, keep_published=range(len(sums))).hidden
    return [k for k, h in zip(cats, hidden) if h]


#: the three section-4 tables: per dimension, the figure id and the audit check of a category's people count
PEOPLE_IDS: dict[str, tuple[str, str]] = {"sex": ("reach.direct_{}", "record.sex_{}"),
                                         "social_category": ("reach.by_social.{}", "record.social.{}"),
                                         "age_band": ("reach.by_age.{}", "record.age.{}")}


def vulnerable_categories(config_dir: str | Path) -> list[str]:
    """The social categories counted as socially vulnerable (``vulnerable: true`` in
    ``config/social_categories.yaml``): their sum of people is published (``reach.direct_vulnerable``)."""
    cats = read_yaml(Path(config_dir) / "social_categories.yaml")["categories"]
    return [c["code"] for c in cats if c.get("vulnerable")]


def hidden_people(dis: pd.DataFrame, threshold: int, *, secondary: bool = True,
                  vulnerable: Sequence[str] = ()) -> dict[str, list[str]]:
    """Per section-4 table (sex, social category, age band), the categories whose count of people is not
    published (:func:`hidden_categories`; the social categories also against the published sum of the
    ``vulnerable`` ones). One rule for the grant report and the reviewer editions.

    >>> dis = pd.DataFrame({"dimension": ["sex"] * 2 + ["social_category"] * 3, "order": [0, 1, 0, 1, 2],
    ...                     "category": ["male", "female", "youth", "other", "elderly"], "n": [40, 60, 50, 3, 47]})
    >>> hidden_people(dis, 5, vulnerable=["elderly"])
    {'sex': [], 'social_category': ['youth', 'other'], 'age_band': []}
    """
    return {dim: hidden_categories(dis, dim, threshold, secondary=secondary,
                                   published_groups=[list(vulnerable)] if dim == "social_category" else [])
            for dim in PEOPLE_IDS}


def people_ids(hidden: Mapping[str, Sequence[str]], kind: str) -> set[str]:
    """The figure ids (``kind="figure"``: ``reach.by_social.other`` …) or the audit checks (``kind="check"``:
    ``record.social.other`` …) of the hidden categories of :func:`hidden_people`.

    >>> sorted(people_ids({"sex": ["male"], "age_band": ["59+"]}, "check"))
    ['record.age.59plus', 'record.sex_male']
    """
    col = {"figure": 0, "check": 1}[kind]
    return {PEOPLE_IDS[dim][col].format(safe_code(k)) for dim, cats in hidden.items() for k in cats}


def published_people(dis: pd.DataFrame, hidden: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The disaggregation (``out_grant__reach_disaggregation``) as a reviewer edition shows it: ``n`` and
    ``share_pct`` are NaN for the hidden categories of :func:`hidden_people`, as in the grant report.

    >>> dis = pd.DataFrame({"dimension": ["sex", "sex"], "category": ["male", "female"], "n": [3, 97], "share_pct": [3.0, 97.0]})
    >>> published_people(dis, {"sex": ["male", "female"]})["n"].isna().tolist()
    [True, True]
    """
    hide = np.array([k in hidden.get(d, ()) for d, k in zip(dis["dimension"], dis["category"])], dtype=bool)
    out = dis.copy()
    for c in ("n", "share_pct"):
        out[c] = out[c].astype("float64").where(~hide)
    return out


def disaggregation(dis: pd.DataFrame, dimension: str, names: Mapping[str, str], reported: Mapping[str, int] | None,
                   labels: Mapping[str, Any], threshold: int = 0, *, secondary: bool = True,
                   published_groups: Sequence[Sequence[str]] = ()) -> pd.DataFrame:
    """One section-4 table: category, people (whole), share, and the hand-made report's whole number.

    With ``threshold``, counts of ``0 < n < threshold`` people are hidden (``labels["hidden_mark"]``),
    with their share, and so many more cells that none can be recovered from the published total
    (:func:`helpers.analysis.disclosure.protect`), nor from the sums of ``published_groups`` the report
    states elsewhere (the socially vulnerable: a group of categories); the hand-made report's own
    figures are a published document and stay.

    >>> dis = pd.DataFrame({"dimension": "sex", "category": ["male", "female", "not_stated"], "n": [40, 57, 3],
    ...                     "share_pct": [40.0, 57.0, 3.0], "order": [0, 1, 2]})
    >>> labels = {"columns": {"category": "К", "people": "Ч", "share": "Д"}, "categories": {}, "hidden_mark": "×"}
    >>> disaggregation(dis, "sex", {}, None, labels, 5)["Ч"].tolist()
    ['×', '57', '×']
    """
    c = labels["columns"]
    d = dis[dis["dimension"] == dimension].sort_values("order")
    n = d["n"].astype(int).tolist()
    hidden = set(hidden_categories(dis, dimension, threshold, secondary=secondary, published_groups=published_groups))
    hide = [k in hidden for k in d["category"]]
    mark = labels.get("hidden_mark", "×")
    out = pd.DataFrame({
        c["category"]: [names.get(k, labels["categories"].get(k, k)) for k in d["category"]],
        c["people"]: [mark if h else _num(x) for x, h in zip(n, hide)],
        c["share"]: [mark if h else _num(s, 1) + "\u00a0%" for s, h in zip(d["share_pct"], hide)],
    })
    if reported is not None:
        out[c["reported_whole"]] = [_num(reported[k]) if k in reported else "—" for k in d["category"]]
    return out.reset_index(drop=True)


def audit_annex(audit_df: pd.DataFrame, labels: Mapping[str, Any], lang: str, hidden: Collection[str] = ()) -> pd.DataFrame:
    """The audit as a reader table: check, reported, recomputed, difference, status, where in the report
    and note — each in ``lang`` — and the report's own words. The checks in ``hidden`` compare a count the
    report does not publish (a small category of people): their recomputed value, difference and status
    show ``labels["hidden_mark"]``.

    The column ``labels["columns"]["quote"]`` holds verbatim quotations of the hand-made report (Russian,
    as printed; empty when the check quotes nothing): show it as quotations
    (``report.table(..., quote_columns=[labels["columns"]["quote"]])``).

    >>> df = pd.DataFrame({"label_ru": ["Итог"], "label_kk": ["Жиыны"], "reported": [926.0], "recomputed": [920.0],
    ...     "difference": [6.0], "status": ["mismatch"], "source_ru": ["§1, задача 2"], "source_kk": ["§1, 2-міндет"],
    ...     "quote": ["Всего приняли участие: 926"], "note_ru": [""], "note_kk": [""]})
    >>> labels = {"columns": {"check": "Т", "reported": "Е", "recomputed": "Қ", "difference": "А", "status": "М",
    ...     "source": "Д", "quote": "Ү", "note": "Ес"}, "status": {"mismatch": "сәйкессіздік"}}
    >>> audit_annex(df, labels, "kk").iloc[0].tolist()
    ['Жиыны', '926', '920', '6', 'сәйкессіздік', '§1, 2-міндет', 'Всего приняли участие: 926', '']
    """
    c = labels["columns"]
    mark = labels.get("hidden_mark", "×")
    secret = audit_df["check"].isin(list(hidden)).tolist() if "check" in audit_df.columns else [False] * len(audit_df)
    return pd.DataFrame({
        c["check"]: audit_df[f"label_{lang}"],
        c["reported"]: [_value(x, "") for x in audit_df["reported"]],
        c["recomputed"]: [mark if h else _value(round(x, 4), "") for x, h in zip(audit_df["recomputed"], secret)],
        c["difference"]: [mark if h else _value(round(x, 4), "") for x, h in zip(audit_df["difference"], secret)],
        c["status"]: [mark if h else labels["status"][s] for s, h in zip(audit_df["status"], secret)],
        c["source"]: audit_df[f"source_{lang}"],
        c["quote"]: audit_df["quote"],
        c["note"]: audit_df[f"note_{lang}"],
    }).reset_index(drop=True)


def reported_whole_by_dimension(stats: pd.DataFrame) -> dict[str, dict[str, int]]:
    """The report's section-4 tables (whole people after rounding) as ``{dimension: {code: n}}``.

    >>> stats = pd.DataFrame({"table": ["sex", "age"], "code": ["male", "59plus"], "n_whole": [758, 75]})
    >>> reported_whole_by_dimension(stats)
    {'sex': {'male': 758}, 'social_category': {}, 'age_band': {'59+': 75}}
    """
    dims = {"sex": "sex", "social_status": "social_category", "age": "age_band"}
    out: dict[str, dict[str, int]] = {d: {} for d in dims.values()}
    codes = stats["code"].str.replace("plus", "+", regex=False)
    for table, code, n in zip(stats["table"], codes, stats["n_whole"], strict=True):
        out[dims[table]][code] = int(n)
    return out


def satisfaction_offices(published: pd.DataFrame, names: Mapping[str, str], labels: Mapping[str, Any],
                         confidence: float) -> pd.DataFrame:
    """Positive share of the rated consultations per office, as published
    (:func:`helpers.grant.satisfaction.published`): office, rated consultations, share and interval;
    a share hidden to protect a small count of negative ratings shows ``labels["hidden_mark"]``.

    >>> pub = pd.DataFrame({"dimension": ["office"] * 2, "group": ["A", "B"], "n_rated": [40.0, 36.0],
    ...                     "share_positive_pct": [100.0, float("nan")], "ci_low_pct": [91.2, float("nan")],
    ...                     "ci_high_pct": [100.0, float("nan")]})
    >>> labels = {"columns": {"office": "Кабинет", "rated": "Оценок", "share_positive": "Доля"}, "hidden_mark": "×", "ci": "ДИ"}
    >>> satisfaction_offices(pub, {"A": "Кабинет А"}, labels, 0.95).iloc[:, 3].tolist()
    ['91,2–100,0', '×']
    """
    c = labels["columns"]
    d = published[published["dimension"] == "office"]
    mark = labels["hidden_mark"]
    ci = f"{confidence * 100:g}\u00a0% {labels['ci']}"
    return pd.DataFrame({
        c["office"]: [names.get(g, g) for g in d["group"]],
        c["rated"]: [_num(n) for n in d["n_rated"]],
        c["share_positive"]: [mark if pd.isna(v) else _num(v, 1) + "\u00a0%" for v in d["share_positive_pct"]],
        ci: [mark if pd.isna(lo) else f"{_num(lo, 1)}–{_num(hi, 1)}" for lo, hi in zip(d["ci_low_pct"], d["ci_high_pct"])],
    }).reset_index(drop=True)
