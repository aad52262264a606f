"""Reach: consultations, people reached, direct beneficiaries deduplicated by pseudonymous id.

Rules (stated in the reports):

* a **direct beneficiary** is a distinct person: the applicant of a consultation or a participant
  of an event, deduplicated across both sources by the pseudonymous id (``applicant_id`` and
  ``participant_id`` come from the same pseudonymisation function). A record without an id cannot
  be matched and counts as one distinct person;
* a person's sex / age band / social category / vulnerability is taken from their first record,
  consultations before events, then by source file and row (deterministic);
* counts of people are always whole numbers; where only shares are known (the report's
  social-status table), counts are rebuilt by **largest-remainder rounding** (:func:`largest_remainder`),
  which keeps the total.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PERSON_ATTRS: tuple[str, ...] = ("sex", "age_band", "social_category", "vulnerable")


def largest_remainder(values: Sequence[float], total: int | None = None) -> list[int]:
    """Round non-negative values to whole numbers that add up to ``total`` (Hamilton's method).

    Each value is floored; the units still missing go one by one to the largest fractional
    remainders (ties: the earlier value first). ``total`` defaults to the rounded sum.

    >>> largest_remainder([0, 189.4, 340.92, 208.34, 75.76, 303.04, 416.68, 256.16, 79.68, 24.02])
    [0, 189, 341, 208, 76, 303, 417, 256, 80, 24]
    >>> largest_remainder([1/3, 1/3, 1/3], 1)
    [1, 0, 0]
    """
    v = np.asarray(values, dtype=float)
    if (v < 0).any() or not np.isfinite(v).all():
        raise ValueError("largest_remainder: values must be finite and non-negative")
    target = int(round(float(v.sum()))) if total is None else int(total)
    if v.sum() == 0:
        if target != 0:
            raise ValueError("largest_remainder: all values are zero but the total is not")
        return [0] * len(v)
    scaled = v if total is None else v * target / v.sum()
    floors = np.floor(scaled + 1e-9).astype(int)
    missing = target - int(floors.sum())
    rema = scaled - floors
    order = sorted(range(len(v)), key=lambda i: (-round(float(rema[i]), 9), i))
    for i in order[:missing]:
        floors[i] += 1
    return [int(x) for x in floors]


def people(consultations: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct person across consultations (applicants) and event participants.

    Parameters
    ----------
    consultations : DataFrame
        ``core_journal__consultations`` (``applicant_id``, ``source_file``, ``source_row`` and the
        person attributes).
    participants : DataFrame
        ``core_events__participants`` (``participant_id``, ``event_id``, …).

    Returns
    -------
    DataFrame
        ``person_id, n_consultations, n_events, in_consultations, in_events`` + person attributes,
        sorted by ``person_id``.

    >>> c = pd.DataFrame({"applicant_id": ["p1", "p2", None], "source_file": "j", "source_row": [2, 3, 4],
    ...                   "sex": ["female", "male", "male"]})
    >>> e = pd.DataFrame({"participant_id": ["p1", "p3"], "event_id": ["TR-01", "TR-01"],
    ...                   "source_file": "r", "source_row": [2, 3], "sex": ["male", "female"]})
    >>> people(c, e)[["person_id", "n_consultations", "n_events", "sex"]]
      person_id  n_consultations  n_events     sex
    0        p1                1         1  female
    1        p2                1         0    male
    2        p3                0         1  female
    3   row:j:4                1         0    male
    """
    def _norm(df: pd.DataFrame, id_col: str, src: int) -> pd.DataFrame:
        ids = df[id_col].astype("str")
        fallback = "row:" + df["source_file"].astype("str") + ":" + df["source_row"].astype("str")
        out = pd.DataFrame({"person_id": ids.where(ids.notna(), fallback), "_src": src,
                            "_file": df["source_file"].astype("str"), "_row": df["source_row"].astype("int64")})
        for a in PERSON_ATTRS:
            out[a] = df[a] if a in df.columns else pd.NA
        return out

    both = pd.concat([_norm(consultations, "applicant_id", 0), _norm(participants, "participant_id", 1)],
                     ignore_index=True).sort_values(["person_id", "_src", "_file", "_row"], kind="stable")
    g = both.groupby("person_id", sort=True)
    out = pd.DataFrame({
        "n_consultations": g["_src"].apply(lambda s: int((s == 0).sum())),
        "n_events": g["_src"].apply(lambda s: int((s == 1).sum())),
    })
    for a in PERSON_ATTRS:
        out[a] = g[a].first()  # first non-missing value, in the priority order above
    out["in_consultations"] = out["n_consultations"] > 0
    out["in_events"] = out["n_events"] > 0
    return out.reset_index()


def counts(df: pd.DataFrame, by: str, *, categories: Sequence[str] | None = None,
           missing_label: str = "not_stated") -> pd.DataFrame:
    """Whole-number counts and shares (%) of ``df`` by ``by``; a missing value gets its own row.

    >>> counts(pd.DataFrame({"sex": ["male", "female", "female", None]}), "sex", categories=["male", "female"])
              sex  n  share_pct
    0        male  1       25.0
    1      female  2       50.0
    2  not_stated  1       25.0
    """
    s = df[by].astype("str").fillna(missing_label)
    vc = s.value_counts()
    cats = list(categories) if categories is not None else sorted(c for c in vc.index if c != missing_label)
    extra = sorted(c for c in vc.index if c not in cats and c != missing_label)
    order = cats + extra + ([missing_label] if missing_label in vc.index else [])
    n = [int(vc.get(c, 0)) for c in order]
    total = sum(n)
    out = pd.DataFrame({by: order, "n": pd.array(n, dtype="int64")})
    out["share_pct"] = [100 * x / total if total else np.nan for x in n]
    return out


def shares_to_people(table: pd.DataFrame, value: str, total: int) -> pd.DataFrame:
    """Rebuild whole numbers of people from printed fractional counts (or shares) by largest remainder.

    Adds ``n_whole`` (int) that adds up to ``total`` and ``share_pct`` (= value / sum × 100).

    >>> t = pd.DataFrame({"cat": ["a", "b", "c"], "v": [0.5, 1.25, 1.25]})
    >>> shares_to_people(t, "v", 3)["n_whole"].tolist()
    [1, 1, 1]
    """
    out = table.copy()
    vals = out[value].astype(float).to_numpy()
    out["n_whole"] = pd.array(largest_remainder(vals, total), dtype="int64")
    out["share_pct"] = 100 * vals / vals.sum()
    return out
