"""Audit of the hand-made report: every stated total / share against its parts, and every
reported fact against the figure recomputed from the record-level data.

A check is data (``audit_checks`` in ``config/indicators.yaml``)::

    - id: budget.purchases_share
      kind: internal_consistency        # or vs_record_data
      source: "§1, social-effect table, row 8"
      reported: reported.budget.purchases.share
      recomputed: {pct: [reported.budget.purchases.amount, reported.budget.grant_total.amount]}
      decimals: 1                       # compare at the report's printed precision

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

KINDS: tuple[str, ...] = ("internal_consistency", "vs_record_data")
COLUMNS: list[str] = ["check", "kind", "source", "reported", "recomputed", "difference", "status",
                      "rule", "label_ru", "label_kk", "note"]


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


def row(check: str, reported: float, recomputed: float, *, kind: str, source: str, label_ru: str,
        label_kk: str, decimals: int | None = None, tolerance: float = 0.0, relation: str = "eq",
        note: str = "") -> dict[str, Any]:
    """One audit row (a dict with :data:`COLUMNS`)."""
    if kind not in KINDS:
        raise ValueError(f"audit kind must be one of {KINDS}, got {kind!r}")
    return {"check": check, "kind": kind, "source": source, "reported": float(reported),
            "recomputed": float(recomputed), "difference": float(reported) - float(recomputed),
            "status": compare(float(reported), float(recomputed), decimals=decimals, tolerance=tolerance,
                              relation=relation),
            "rule": rule_text(decimals, tolerance, relation), "label_ru": label_ru, "label_kk": label_kk, "note": note}


def run_checks(checks: Sequence[Mapping[str, Any]], values: Mapping[str, float]) -> tuple[pd.DataFrame, list[str]]:
    """Evaluate the declared checks; return the audit frame and the ids of skipped checks.

    A check whose expressions refer to a value that was not computed (e.g. no record-level data
    for it) is skipped and listed, never silently reported as ``ok``.
    """
    rows, skipped = [], []
    for c in checks:
        try:
            rep = evaluate(c["reported"], values)
            rec = evaluate(c["recomputed"], values)
        except MissingValue:
            skipped.append(c["id"])
            continue
        rows.append(row(c["id"], rep, rec, kind=c["kind"], source=c.get("source", ""),
                        label_ru=c["label_ru"], label_kk=c.get("label_kk", c["label_ru"]),
                        decimals=c.get("decimals"), tolerance=float(c.get("tolerance", 0.0)),
                        relation=c.get("relation", "eq"), note=c.get("note", "")))
    return frame(rows), sorted(skipped)


def events_vs_record(reported: Mapping[str, float], recorded: Mapping[str, int], *, source: str) -> pd.DataFrame:
    """Per event: participants stated in the register vs participant rows recorded for that event.

    >>> events_vs_record({"TR-01": 41.0}, {"TR-01": 41}, source="s")[["check", "status"]].to_dict("records")
    [{'check': 'event.TR-01.participants', 'status': 'ok'}]
    """
    rows = [row(f"event.{eid}.participants", rep, float(recorded.get(eid, 0)), kind="vs_record_data",
                source=source, label_ru=f"Участники мероприятия {eid}: реестр отчёта vs записи участников",
                label_kk=f"{eid} іс-шарасының қатысушылары: есеп тізілімі мен қатысушылар жазбалары")
            for eid, rep in sorted(reported.items())]
    return frame(rows)


def pairs_vs_record(values: Mapping[str, float], reported_prefix: str, recorded_prefix: str, *,
                    check_prefix: str, source: str, labels: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """One ``vs_record_data`` row per category present under ``reported_prefix`` (e.g. the report's
    age bands), compared with the same category under ``recorded_prefix`` (0 when none recorded).

    ``labels`` maps a category code to its (ru, kk) label.

    >>> v = {"rep.a": 5.0, "rep.b": 2.0, "rec.a": 5.0}
    >>> pairs_vs_record(v, "rep.", "rec.", check_prefix="x", source="s", labels={})["status"].tolist()
    ['ok', 'mismatch']
    """
    rows = []
    for key in sorted(k for k in values if k.startswith(reported_prefix)):
        code = key[len(reported_prefix):]
        if code == "total" or "." in code:
            continue
        ru, kk = labels.get(code, (code, code))
        rows.append(row(f"{check_prefix}.{code}", values[key], float(values.get(recorded_prefix + code, 0.0)),
                        kind="vs_record_data", source=source, label_ru=ru, label_kk=kk))
    return frame(rows)


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
    out = frame(df.to_dict("records"))
    for col in ("reported", "recomputed", "difference"):
        out[col] = out[col].map(fmt_number)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, lineterminator="\n")
    return path
