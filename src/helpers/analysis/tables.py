"""Frequency tables of single-choice and multi-select questions, with base n and non-response.

**The policy for "don't know" and item non-response** (one for every share of the workbook, stated
in the methods section of the analytic report):

- the base of a share is everyone who answered the question: "don't know" is an answer, a row of
  its own, and stays in the base (single choice, Likert items alike: ``helpers.analysis.likert``);
- skipping the question (item non-response) is never in a base: it is counted apart (the
  ``NONRESPONSE`` row, with no share), so the shares of a single-choice table add up to 100;
- the headline share is also given with "don't know" out of the base, as a sensitivity line
  (:func:`pooled` with ``without``).

Every table has one row per answer option plus a row ``NONRESPONSE`` (item non-response), and
columns

- ``code``: option code (``NONRESPONSE`` for the non-response row),
- ``n``: respondents who chose it,
- ``base``: the denominator of ``pct`` (respondents who answered the question; for the
  non-response row: all respondents, and no share),
- ``pct``, ``ci_low``, ``ci_high``: share of the base in percent with its interval
  (for multi-select: % of respondents — the shares add up to more than 100),
- ``pct_responses`` (multi-select only): share of all ticks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.analysis.grouping import value_counts
from helpers.analysis.intervals import proportion

NONRESPONSE = "NONRESPONSE"
_NOT_OPTIONS = ("answered", "other_text")


def _finish(codes: Sequence[str], counts: np.ndarray, base: int, n_total: int, confidence: float,
            method: str, extra: dict[str, np.ndarray] | None = None, sort: bool = True) -> pd.DataFrame:
    est = proportion(counts, base, confidence, method)
    out = pd.DataFrame({"code": pd.array(list(codes), dtype="str"), "n": counts.astype("int64"),
                        "base": np.full(len(codes), base, dtype="int64"), **est, **(extra or {})})
    if sort:
        out["_order"] = np.arange(len(out))
        out = out.sort_values(["n", "_order"], ascending=[False, True], kind="stable").drop(columns="_order")
    nonresp = n_total - base
    row = {"code": NONRESPONSE, "n": nonresp, "base": n_total, "pct": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    if extra:
        row.update({k: np.nan for k in extra})
    out = pd.concat([out, pd.DataFrame([row]).astype({"n": "int64", "base": "int64", "code": "str"})],
                    ignore_index=True)
    return out.reset_index(drop=True)


def single_choice(answers: pd.Series, options: Sequence[str] | None = None, *, confidence: float = 0.95,
                  method: str = "wilson", sort: bool = True) -> pd.DataFrame:
    """Frequency table of a single-choice question (NA = item non-response).

    Parameters
    ----------
    answers : Series of option codes (text or categorical), NA where the respondent skipped the question.
    options : all option codes in codebook order (options nobody chose get n = 0); default: the
        codes present. Codes not in ``options`` raise ``ValueError`` (a cleaning defect).
    sort : rank options by n (descending, ties in codebook order); False keeps codebook order
        (use it for ordered scales).

    Examples
    --------
    >>> t = single_choice(pd.Series(["a", "b", "a", None]), ["a", "b", "c"])
    >>> t[["code", "n", "base"]].to_dict("list")
    {'code': ['a', 'b', 'c', 'NONRESPONSE'], 'n': [2, 1, 0, 1], 'base': [3, 3, 3, 4]}
    """
    counts = value_counts(answers)  # text or categorical codes: the codes present
    present = [str(c) for c in counts.index]
    if options is None:
        options = sorted(present)
    unknown = sorted(set(present) - set(options))
    if unknown:
        raise ValueError(f"{answers.name}: codes not among the options: {unknown}")
    values = counts.reindex(list(options), fill_value=0).to_numpy()
    base = int(values.sum())
    return _finish(list(options), values, base, len(answers), confidence, method, sort=sort)


def multi_options(columns: Sequence[str], qid: str) -> list[str]:
    """The option codes of a multi-select question from the clean table's column names.

    >>> multi_options(["x", "q__a", "q__b", "q__answered", "q__other_text"], "q")
    ['a', 'b']
    """
    prefix = f"{qid}__"
    return [c[len(prefix):] for c in columns if c.startswith(prefix) and c[len(prefix):] not in _NOT_OPTIONS]


def multi_select(df: pd.DataFrame, qid: str, options: Sequence[str] | None = None, *, confidence: float = 0.95,
                 method: str = "wilson", sort: bool = True) -> pd.DataFrame:
    """Frequency table of a multi-select question stored as bool columns ``<qid>__<option>``.

    The base of % of respondents is those who ticked at least one option (``<qid>__answered``,
    derived from the option columns when absent); % of responses divides by all ticks.

    Examples
    --------
    >>> df = pd.DataFrame({"q__a": [True, True, False], "q__b": [True, False, False],
    ...                    "q__answered": [True, True, False]})
    >>> t = multi_select(df, "q")
    >>> t[["code", "n", "base", "pct", "pct_responses"]].round(1).to_dict("list")
    {'code': ['a', 'b', 'NONRESPONSE'], 'n': [2, 1, 1], 'base': [2, 2, 3], 'pct': [100.0, 50.0, nan], 'pct_responses': [66.7, 33.3, nan]}
    """
    options = list(options) if options is not None else multi_options(df.columns, qid)
    cols = [f"{qid}__{o}" for o in options]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(f"multi-select columns missing: {missing}")
    ticks = df[cols].fillna(False).astype(bool).to_numpy()
    answered_col = f"{qid}__answered"
    answered = (df[answered_col].fillna(False).astype(bool).to_numpy() if answered_col in df.columns
                else ticks.any(axis=1))
    ticks = ticks & answered[:, None]
    counts = ticks.sum(axis=0)
    base = int(answered.sum())
    total_ticks = counts.sum()
    pct_resp = 100 * counts / total_ticks if total_ticks else np.full(len(counts), np.nan)
    return _finish(options, counts, base, len(df), confidence, method, extra={"pct_responses": pct_resp}, sort=sort)


def split_multi(raw: pd.Series, options: dict[str, str], sep: str = ",") -> pd.DataFrame:
    """Split exported multi-select answers (labels joined by ``sep``) into bool option columns.

    Google Forms joins ticked labels with ", ", and an option label may itself contain a comma,
    so the text is matched against the known labels (longest first), never split blindly.
    What remains is returned in ``other_text`` (an "Other" answer), NA when nothing remains.

    Parameters
    ----------
    raw : Series of exported answers (NA = nothing ticked).
    options : option label -> code.

    Examples
    --------
    >>> opts = {"Семья, дети": "family", "Труд": "labour"}
    >>> split_multi(pd.Series(["Семья, дети, Труд", "Труд", None]), opts).to_dict("list")
    {'family': [True, False, False], 'labour': [True, True, False], 'other_text': [nan, nan, nan], 'answered': [True, True, False]}
    """
    rest = raw.astype("str").fillna("")
    out: dict[str, pd.Series] = {}
    for label in sorted(options, key=len, reverse=True):
        pattern = rf"(?:^|{re.escape(sep)})\s*{re.escape(label)}\s*(?={re.escape(sep)}|$)"
        hit = rest.str.contains(pattern, regex=True)
        out[options[label]] = hit.astype(bool)
        rest = rest.str.replace(pattern, "", regex=True)
    rest = rest.str.strip().str.strip(sep).str.strip()
    frame = pd.DataFrame({code: out[code] for code in dict.fromkeys(options.values())}, index=raw.index)
    frame = frame.astype(bool)
    frame["other_text"] = rest.where(rest != "", pd.NA).astype("str")
    frame["answered"] = frame[list(dict.fromkeys(options.values()))].any(axis=1) | frame["other_text"].notna()
    return frame


def by_group(df: pd.DataFrame, group: str, fn, *args, groups: Sequence[str] | None = None, **kwargs) -> pd.DataFrame:
    """Apply a table function (``single_choice``/``multi_select`` style) within each group; long format.

    ``fn(frame_or_series, *args, **kwargs)`` receives the group's rows; the result gets a ``group``
    column first. Groups in ``groups`` order (default: sorted codes); rows with NA group dropped.
    """
    groups = list(groups) if groups is not None else sorted(df[group].dropna().unique().tolist())
    parts = []
    for g in groups:
        sub = df[df[group] == g]
        res = fn(sub, *args, **kwargs)
        res.insert(0, "group", g)
        parts.append(res)
    return pd.concat(parts, ignore_index=True).astype({"group": "str"})


def share(flag: pd.Series, *, confidence: float = 0.95, method: str = "wilson") -> dict[str, float]:
    """Share of True among non-missing values of a boolean series: ``{"x", "n", "pct", "ci_low", "ci_high"}``.

    >>> {k: round(v, 1) for k, v in share(pd.Series([True, False, None], dtype="boolean")).items()}
    {'x': 1, 'n': 2, 'pct': 50.0, 'ci_low': 9.5, 'ci_high': 90.5}
    """
    valid = flag.dropna().astype(bool)
    x, n = int(valid.sum()), int(len(valid))
    est = proportion(x, n, confidence, method)
    return {"x": x, "n": n, **{k: float(v) for k, v in est.items()}}


def pooled(table: pd.DataFrame, codes: Sequence[str], *, without: Sequence[str] = ()) -> tuple[int, int]:
    """Respondents choosing any of ``codes`` in a single-choice table, and the base: ``(x, base)``.

    ``without``: answers taken out of the base — only for the sensitivity line the policy asks for
    (the headline share also without "don't know"); the shares of the report keep them in.

    >>> t = single_choice(pd.Series(["a", "b", "c", None]), ["a", "b", "c"])
    >>> pooled(t, ["a", "b"]), pooled(t, ["a", "b"], without=["c"])
    ((2, 3), (2, 2))
    """
    opts = table[table["code"] != NONRESPONSE]
    out = int(opts.loc[opts["code"].isin(list(without)), "n"].sum())
    return int(opts.loc[opts["code"].isin(list(codes)), "n"].sum()), int(opts["base"].iloc[0]) - out


def nonresponse(table: pd.DataFrame) -> int:
    """The item non-response count of a frequency table."""
    return int(table.loc[table["code"] == NONRESPONSE, "n"].iloc[0])


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """The option rows of a frequency table ranked by n (ties in table order), non-response dropped."""
    opts = table[table["code"] != NONRESPONSE].reset_index(drop=True)
    order = np.lexsort((np.arange(len(opts)), -opts["n"].to_numpy()))
    return opts.iloc[order].reset_index(drop=True)


def rank_groups(df: pd.DataFrame, qid: str, options: Sequence[str], *, alpha: float) -> pd.DataFrame:
    """Options of a multi-select question in rank order, grouped by paired tests.

    The same respondents answer every option, so two options are compared with the exact McNemar
    test (``statsmodels``) on those who answered the question. Options are ranked by n (ties in the
    given order); each is tested against the next one, the p-values Holm-adjusted across these
    neighbour pairs, and a new group starts only where the adjusted p is below ``alpha``: options of
    one group cannot be told apart, so a report names the groups, not a strict order.

    Returns ``code, n, base, pct, p_next, p_next_holm, group`` (group 1 = the top group).

    >>> d = pd.DataFrame({"q__a": [True] * 40 + [False] * 10, "q__b": [True] * 38 + [False] * 12,
    ...                   "q__c": [True] * 5 + [False] * 45})
    >>> rank_groups(d, "q", ["a", "b", "c"], alpha=0.05)[["code", "group"]].to_dict("list")
    {'code': ['a', 'b', 'c'], 'group': [1, 1, 2]}
    """
    from statsmodels.stats.contingency_tables import mcnemar

    cols = [f"{qid}__{o}" for o in options]
    ticks = df[cols].fillna(False).astype(bool).to_numpy()
    answered_col = f"{qid}__answered"
    answered = (df[answered_col].fillna(False).astype(bool).to_numpy() if answered_col in df.columns
                else ticks.any(axis=1))
    ticks = ticks[answered]
    n = ticks.sum(axis=0)
    order = np.lexsort((np.arange(len(options)), -n))
    p_next = np.full(len(options), np.nan)
    for i, (a, b) in enumerate(zip(order[:-1], order[1:])):
        x, y = ticks[:, a], ticks[:, b]
        table = np.array([[np.sum(x & y), np.sum(x & ~y)], [np.sum(~x & y), np.sum(~x & ~y)]])
        p_next[i] = float(mcnemar(table, exact=True).pvalue)
    from helpers.analysis.crosstab import holm

    p_holm = holm(p_next)
    group = np.ones(len(options), dtype=int)
    for i in range(1, len(options)):
        group[i] = group[i - 1] + int(p_holm[i - 1] < alpha)
    base = int(answered.sum())
    return pd.DataFrame({"code": [options[i] for i in order], "n": n[order].astype("int64"), "base": base,
                         "pct": 100 * n[order] / base if base else np.nan, "p_next": p_next, "p_next_holm": p_holm,
                         "group": group})


def cochran_q(df: pd.DataFrame, qid: str, options: Sequence[str]) -> dict[str, float]:
    """Cochran's Q test (``statsmodels``) that all options of a multi-select are ticked equally often,
    on those who answered: ``{"statistic", "df", "p_value", "n"}``."""
    from statsmodels.stats.contingency_tables import cochrans_q

    cols = [f"{qid}__{o}" for o in options]
    ticks = df[cols].fillna(False).astype(bool).to_numpy()
    answered_col = f"{qid}__answered"
    answered = (df[answered_col].fillna(False).astype(bool).to_numpy() if answered_col in df.columns
                else ticks.any(axis=1))
    res = cochrans_q(ticks[answered].astype(int))
    return {"statistic": float(res.statistic), "df": int(res.df), "p_value": float(res.pvalue), "n": int(answered.sum())}
