"""Audit of the hand-made report: every stated total / share against its parts, and every
reported fact against the figure recomputed from the record-level data.

A check is data (``audit_checks`` in ``config/indicators.yaml``)::

    - id: budget.purchases_share
      kind: internal_consistency        # or vs_record_data
      source_ru: "§1, таблица социального и экономического эффекта, строка 8"
      source_kk: "§1, әлеуметтік және экономикалық әсер кестесі, 8-жол"
      label_ru: "Покупка товаров и услуг 6 215 164 = 6,2 % от 9 950 000"
      label_kk: "Тауарлар мен қызметтерді сатып алу 6 215 164 = 9 950 000-нан 6,2 %"
      reported: reported.budget.purchases.share
      recomputed: {pct: [reported.budget.purchases.amount, reported.budget.grant_total.amount]}
      decimals: 1                       # compare at the report's printed precision

Every text a reader sees is given in both report languages (``label_*``, ``source_*``, optional
``note_*``). A verbatim quotation of the hand-made report is ``quote`` (as printed, Russian): it never
sits inside a label or source, and the reader editions show it as a quotation in both languages.

Expressions: a value id, a number, ``{sum: [ids]}`` (an id ending in ``*`` = every id with that
prefix), ``{count: [ids]}`` (how many ids match), ``{pct: [num, den]}`` (num / den × 100),
``{product: [ids]}``, ``{diff: [a, b]}``.

Tolerance rules: the recomputed value is first rounded to ``decimals`` (the precision the report
prints; none = exact), then ``status`` is ``ok`` when ``|reported − rounded| ≤ tolerance``
(default 0, plus 1e-9 for float noise), else ``mismatch``. A check with ``relation: gte`` tests a
printed lower bound ('более 1200'): ``ok`` when reported ≥ the bound. ``difference`` = reported − recomputed
(unrounded).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.clean.csv_safety import neutralise_csv

from helpers.config_files import read_yaml
from helpers.grant.transcripts import safe_code

KINDS: tuple[str, ...] = ("internal_consistency", "vs_record_data")
LANGS: tuple[str, ...] = ("ru", "kk")
COLUMNS: list[str] = ["check", "kind", "source_ru", "source_kk", "quote", "reported", "recomputed", "difference",
                      "status", "rule", "label_ru", "label_kk", "note_ru", "note_kk"]
#: the texts every declared check gives in each language (``note_*`` is optional, but both or none)
TEXTS: tuple[str, ...] = ("label", "source")


class AuditConfigError(ValueError):
    """A declared check lacks a text in one of the languages (or still has an untranslated one)."""


class MissingValue(KeyError):
    """An expression refers to a value id that was not computed (the check is skipped)."""


def _ids(spec: str, values: Mapping[str, float]) -> list[str]:
    if spec.endswith("*"):
        hits = sorted(k for k in values if k.startswith(spec[:-1]))
        if not hits:
            raise MissingValue(spec)
        return hits
    if spec not in values:
        raise MissingValue(spec)
    return [spec]


def evaluate(expr: Any, values: Mapping[str, float]) -> float:
    """Value of an audit expression.

    >>> v = {"a.1": 2.0, "a.2": 3.0, "t": 10.0}
    >>> evaluate({"sum": ["a.*"]}, v), evaluate({"pct": ["a.1", "t"]}, v), evaluate({"product": ["a.1", 4]}, v)
    (5.0, 20.0, 8.0)
    """
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return float(expr)
    if isinstance(expr, str):
        return float(values[_ids(expr, values)[0]]) if not expr.endswith("*") else math.fsum(
            float(values[k]) for k in _ids(expr, values))
    if isinstance(expr, Mapping) and len(expr) == 1:
        (op, args), = expr.items()
        if op == "count":
            return float(sum(len(_ids(a, values)) for a in args))
        if op == "sum":
            return math.fsum(float(values[k]) if not isinstance(a, (int, float)) else float(a)
                             for a in args for k in (_ids(a, values) if isinstance(a, str) else [a]))
        vals = [evaluate(a, values) for a in args]
        if op == "pct":
            return 100.0 * vals[0] / vals[1]
        if op == "product":
            return math.prod(vals)
        if op == "diff":
            return vals[0] - vals[1]
    raise ValueError(f"bad audit expression: {expr!r}")


def compare(reported: float, recomputed: float, *, decimals: int | None = None, tolerance: float = 0.0,
            relation: str = "eq") -> str:
    """``ok`` or ``mismatch`` by the module's tolerance rules.

    >>> compare(99.6, 100 * 749 / 752, decimals=1), compare(6.2, 62.46, decimals=1), compare(1894, 1893)
    ('ok', 'mismatch', 'mismatch')
    >>> compare(1280, 1200, relation="gte")
    'ok'
    """
    target = round(recomputed, decimals) if decimals is not None else recomputed
    if relation == "gte":
        return "ok" if reported >= target - tolerance - 1e-9 else "mismatch"
    if relation != "eq":
        raise ValueError(f"relation must be 'eq' or 'gte', got {relation!r}")
    return "ok" if abs(reported - target) <= tolerance + 1e-9 else "mismatch"


def rule_text(decimals: int | None, tolerance: float, relation: str = "eq") -> str:
    """Human-readable tolerance rule of one check."""
    base = "exact" if decimals is None else f"at printed precision ({decimals} dp)"
    if relation == "gte":
        base = "reported >= stated lower bound"
    return base if not tolerance else f"{base}, tolerance ±{tolerance:g}"


def row(check: str, reported: float, recomputed: float, *, kind: str, source_ru: str, source_kk: str,
        label_ru: str, label_kk: str, quote: str = "", decimals: int | None = None, tolerance: float = 0.0,
        relation: str = "eq", note_ru: str = "", note_kk: str = "") -> dict[str, Any]:
    """One audit row (a dict with :data:`COLUMNS`)."""
    if kind not in KINDS:
        raise ValueError(f"audit kind must be one of {KINDS}, got {kind!r}")
    return {"check": check, "kind": kind, "source_ru": source_ru, "source_kk": source_kk, "quote": quote,
            "reported": float(reported), "recomputed": float(recomputed),
            "difference": float(reported) - float(recomputed),
            "status": compare(float(reported), float(recomputed), decimals=decimals, tolerance=tolerance,
                              relation=relation),
            "rule": rule_text(decimals, tolerance, relation), "label_ru": label_ru, "label_kk": label_kk,
            "note_ru": note_ru, "note_kk": note_kk}


def validate_checks(checks: Sequence[Mapping[str, Any]]) -> None:
    """Raise :class:`AuditConfigError` when a check lacks a reader text in a language.

    Every check needs ``label_ru``, ``label_kk``, ``source_ru``, ``source_kk``; ``note_ru`` and
    ``note_kk`` come together; the one-language ``source`` / ``note`` of earlier registries is refused.

    >>> validate_checks([{"id": "a", "label_ru": "x", "label_kk": "y", "source_ru": "s", "source_kk": "t"}])
    >>> validate_checks([{"id": "a", "label_ru": "x", "source": "row 1"}])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    AuditConfigError: audit check 'a': missing label_kk, source_ru, source_kk; 'source' in one language
    """
    for c in checks:
        missing = [f"{t}_{lang}" for t in TEXTS for lang in LANGS if not str(c.get(f"{t}_{lang}", "")).strip()]
        problems = [f"missing {', '.join(missing)}"] if missing else []
        if bool(c.get("note_ru")) != bool(c.get("note_kk")):
            problems.append("note_ru without note_kk or the reverse")
        problems += [f"{k!r} in one language" for k in ("source", "note") if k in c]
        if problems:
            raise AuditConfigError(f"audit check {c.get('id', '?')!r}: {'; '.join(problems)}")


def run_checks(checks: Sequence[Mapping[str, Any]], values: Mapping[str, float]) -> tuple[pd.DataFrame, list[str]]:
    """Evaluate the declared checks; return the audit frame and the ids of skipped checks.

    A check whose expressions refer to a value that was not computed (e.g. no record-level data
    for it) is skipped and listed, never silently reported as ``ok``. A check without its texts in
    both languages stops the run (:func:`validate_checks`).
    """
    validate_checks(checks)
    rows, skipped = [], []
    for c in checks:
        try:
            rep = evaluate(c["reported"], values)
            rec = evaluate(c["recomputed"], values)
        except MissingValue:
            skipped.append(c["id"])
            continue
        rows.append(row(c["id"], rep, rec, kind=c["kind"], source_ru=c["source_ru"], source_kk=c["source_kk"],
                        quote=c.get("quote", ""), label_ru=c["label_ru"], label_kk=c["label_kk"],
                        decimals=c.get("decimals"), tolerance=float(c.get("tolerance", 0.0)),
                        relation=c.get("relation", "eq"), note_ru=c.get("note_ru", ""), note_kk=c.get("note_kk", "")))
    return frame(rows), sorted(skipped)


def _texts(spec: Mapping[str, str], **fields: str | tuple[str, str]) -> dict[str, str]:
    """``source_*`` and ``label_*`` of a generated check: the spec's texts with ``fields`` filled in
    (a field is one text for every language, or a (ru, kk) pair)."""
    missing = [f"{t}_{lang}" for t in TEXTS for lang in LANGS if f"{t}_{lang}" not in spec]
    if missing:
        raise AuditConfigError(f"generated checks: texts missing {', '.join(missing)}")
    out = {}
    for i, lang in enumerate(LANGS):
        filled = {k: v[i] if isinstance(v, tuple) else v for k, v in fields.items()}
        out |= {f"{t}_{lang}": spec[f"{t}_{lang}"].format(**filled) for t in TEXTS}
    return out


def events_vs_record(reported: Mapping[str, float], recorded: Mapping[str, int], *,
                     texts: Mapping[str, str]) -> pd.DataFrame:
    """Per event: participants stated in the register vs participant rows recorded for that event.

    ``texts``: ``source_ru``, ``source_kk``, ``label_ru``, ``label_kk`` (``{code}`` = the event id),
    e.g. ``audit_generated.events`` of the registry.

    >>> t = {"source_ru": "§1", "source_kk": "§1", "label_ru": "Участники {code}", "label_kk": "{code} қатысушылары"}
    >>> events_vs_record({"TR-01": 41.0}, {"TR-01": 41}, texts=t)[["check", "status", "label_kk"]].to_dict("records")
    [{'check': 'event.TR-01.participants', 'status': 'ok', 'label_kk': 'TR-01 қатысушылары'}]
    """
    rows = [row(f"event.{eid}.participants", rep, float(recorded.get(eid, 0)), kind="vs_record_data",
                **_texts(texts, code=eid))
            for eid, rep in sorted(reported.items())]
    return frame(rows)


def pairs_vs_record(values: Mapping[str, float], reported_prefix: str, recorded_prefix: str, *,
                    check_prefix: str, texts: Mapping[str, str], names: Mapping[str, tuple[str, str]],
                    quotes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One ``vs_record_data`` row per category present under ``reported_prefix`` (e.g. the report's
    age bands), compared with the same category under ``recorded_prefix`` (0 when none recorded).

    ``names`` maps a category code to its (ru, kk) name (:func:`category_names`), put into the
    ``{name}`` of ``texts`` (``source_*``, ``label_*``); ``quotes`` maps a code to the category as the
    report printed it (the row's ``quote``). A category without a name stops the run: a reader never
    sees a bare code.

    >>> v = {"rep.a": 5.0, "rep.b": 2.0, "rec.a": 5.0}
    >>> t = {"source_ru": "§4", "source_kk": "§4", "label_ru": "{name}: отчёт", "label_kk": "{name}: есеп"}
    >>> out = pairs_vs_record(v, "rep.", "rec.", check_prefix="x", texts=t, names={"a": ("А", "Ә"), "b": ("Б", "Б")},
    ...                       quotes={"a": "А, в т.ч."})
    >>> out[["check", "status", "label_kk", "quote"]].to_dict("list")
    {'check': ['x.a', 'x.b'], 'status': ['ok', 'mismatch'], 'label_kk': ['Ә: есеп', 'Б: есеп'], 'quote': ['А, в т.ч.', '']}
    """
    quotes = quotes or {}
    rows = []
    for key in sorted(k for k in values if k.startswith(reported_prefix)):
        code = key[len(reported_prefix):]
        if code == "total" or "." in code:
            continue
        if code not in names:
            raise AuditConfigError(f"{check_prefix}: no ru/kk name for category {code!r} (have {sorted(names)})")
        rows.append(row(f"{check_prefix}.{code}", values[key], float(values.get(recorded_prefix + code, 0.0)),
                        kind="vs_record_data", quote=quotes.get(code, ""), **_texts(texts, name=tuple(names[code]))))
    return frame(rows)


def category_names(config_dir: str | Path) -> dict[str, tuple[str, str]]:
    """Code → (ru, kk) name of every age band and social category of the registries
    (``config/age_bands.yaml``, ``config/social_categories.yaml``), codes as in figure ids ('59plus')."""
    config_dir = Path(config_dir)
    items = read_yaml(config_dir / "age_bands.yaml")["bands"] + read_yaml(config_dir / "social_categories.yaml")["categories"]
    return {safe_code(i["code"]): (i["ru"], i["kk"]) for i in items}


def frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The audit rows as a frame, sorted by kind then check (deterministic)."""
    df = pd.DataFrame(list(rows), columns=COLUMNS)
    if df.empty:
        return df
    df["kind"] = pd.Categorical(df["kind"], categories=list(KINDS), ordered=True)
    df = df.sort_values(["kind", "check"], kind="stable").reset_index(drop=True)
    df["kind"] = df["kind"].astype("str")
    return df


def fmt_number(x: float) -> str:
    """Fixed formatting for audit.csv: whole numbers without decimals, others to 4 dp.

    >>> fmt_number(752.0), fmt_number(99.6010638), fmt_number(float("nan"))
    ('752', '99.6011', '')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write audit.csv deterministically (sorted rows, fixed number format, UTF-8, LF)."""
    out = neutralise_csv(frame(df.to_dict("records")))  # the texts; the numbers below are numbers, not formulas
    for col in ("reported", "recomputed", "difference"):
        out[col] = out[col].map(fmt_number)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, lineterminator="\n")
    return path


def published(audit_df: pd.DataFrame, hidden: Sequence[str] | set[str]) -> pd.DataFrame:
    """The audit as a reviewer edition shows it: a check in ``hidden`` compares a count of people the
    reports do not publish (a small category of section 4, :func:`helpers.grant.tables.people_ids`), so
    its recomputed value and difference are NaN and its status ``hidden``, as in the grant report's annex;
    ``audit.csv`` keeps them.

    >>> df = pd.DataFrame({"check": ["record.social.other", "record.offices"], "reported": [24.0, 17.0],
    ...                    "recomputed": [3.0, 17.0], "difference": [21.0, 0.0], "status": ["mismatch", "ok"]})
    >>> published(df, {"record.social.other"})[["recomputed", "status"]].to_dict("list")
    {'recomputed': [nan, 17.0], 'status': ['hidden', 'ok']}
    """
    secret = audit_df["check"].isin(list(hidden)).to_numpy()
    out = audit_df.copy()
    for c in ("recomputed", "difference"):
        out[c] = out[c].astype("float64").where(~secret)
    out["status"] = out["status"].where(~secret, "hidden")
    return out
