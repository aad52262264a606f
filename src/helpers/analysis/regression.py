"""Logistic regression (statsmodels) reported as odds ratios with intervals.

The model is fitted on covariate patterns with frequency weights (GLM Binomial), which gives the
estimates of ``sm.Logit`` on the rows at a cost that does not grow with the number of respondents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from helpers.analysis.grouping import group_sizes, is_boolean, text_codes, text_ranks, value_counts


@dataclass(frozen=True)
class LogitResult:
    """Odds-ratio table and fit statistics of :func:`logit_odds_ratios`."""

    table: pd.DataFrame
    n: int
    n_dropped: int
    pseudo_r2: float
    llr_p_value: float
    converged: bool
    #: log-likelihood of the fit (for likelihood-ratio tests between nested models)
    llf: float = float("nan")
    #: parameters besides the constant
    n_params: int = 0


@dataclass(frozen=True)
class LogitModel:
    """:func:`logit_model`: the fit, the block tests of each characteristic, and what entered the model."""

    fit: LogitResult
    #: ``variable, df, statistic, p_value``: likelihood-ratio test of each characteristic (the model
    #: without it against the full model)
    blocks: pd.DataFrame
    kept: list[str]
    left_out: list[str]
    n_events: int
    n_params: int
    events_per_parameter: float


#: code of the level :func:`collapse_rare` merges rare levels into (a code in the data; readers see
#: ``present.merged_label``, e.g. «Другие регионы (объединены)»)
MERGED = "other"


def collapse_rare(s: pd.Series, min_n: int, other: str = MERGED) -> pd.Series:
    """Merge categories with fewer than ``min_n`` observations into ``other`` (NA stays NA).

    A categorical ``s`` stays categorical (``other`` becomes one of its categories when needed).
    The merged level is a code: the reader tables label it (``present.logit_display``).

    >>> collapse_rare(pd.Series(["a", "a", "b", None]), 2).tolist()
    ['a', 'a', 'other', nan]
    """
    vc = value_counts(s)
    rare = vc.index[vc.to_numpy() < min_n]
    if isinstance(s.dtype, pd.CategoricalDtype) and len(rare) and other not in s.cat.categories:
        s = s.cat.add_categories([other])
    return s.where(~s.isin(rare), other)


def logit_odds_ratios(df: pd.DataFrame, outcome: str, predictors: Sequence[str], *,
                      reference: Mapping[str, str] | None = None, confidence: float = 0.95,
                      decimals: int = 4, ci: str = "wald") -> LogitResult:
    """Fit ``outcome ~ predictors`` (all categorical) by maximum likelihood; odds ratios with intervals.

    Parameters
    ----------
    df : frame with a boolean ``outcome`` and categorical ``predictors`` (NA rows dropped: complete cases).
    reference : predictor -> reference level; default the most frequent level (ties: first in sort order).
    decimals : rounding of the reported numbers (deterministic output).
    ci : ``wald`` or ``profile`` (profile-likelihood intervals: the values of a coefficient whose
        likelihood-ratio test against the fit is not rejected; they stay finite and asymmetric where
        Wald intervals break down, and are infinite on the side of a separated level).

    Returns
    -------
    LogitResult with ``table`` columns ``variable, level, reference, n_level, odds_ratio, ci_low,
    ci_high, p_value``.

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1, 0, 1, 0, 1, 1, 0, 0], "g": list("aaaabbbb")})
    >>> r = logit_odds_ratios(d, "y", ["g"], reference={"g": "a"})
    >>> r.table[["variable", "level", "odds_ratio"]].to_dict("list")
    {'variable': ['g'], 'level': ['b'], 'odds_ratio': [1.0]}
    """
    reference = dict(reference or {})
    cols = [outcome, *predictors]
    n_complete = int(df[cols].notna().all(axis=1).sum())
    n_dropped = len(df) - n_complete
    pat = covariate_patterns(df, outcome, predictors)  # incomplete rows are left out there
    y = pat[outcome].to_numpy(dtype=float)
    w = pat["n"].to_numpy(dtype=float)
    blocks, meta = [], []
    for var in predictors:
        x = pat[var]
        vc = pat.groupby(var, sort=False)["n"].sum()
        levels = sorted(vc.index.tolist())
        ref = reference.get(var) or sorted(levels, key=lambda lv: (-vc[lv], lv))[0]
        if ref not in levels:
            raise ValueError(f"{var}: reference level {ref!r} not in data {levels}")
        for lv in levels:
            if lv == ref:
                continue
            blocks.append((x == lv).to_numpy(dtype=float))
            meta.append((var, lv, ref, int(vc[lv])))
    X = np.column_stack([np.ones(len(pat))] + blocks) if blocks else np.ones((len(pat), 1))
    # the same likelihood as sm.Logit on the rows: one row per covariate pattern and outcome, frequency-weighted
    model = sm.GLM(y, X, family=sm.families.Binomial(), freq_weights=w)
    fit = model.fit(method="IRLS", tol=1e-12, maxiter=100)
    bounds = np.asarray(fit.conf_int(alpha=1 - confidence))
    if ci == "profile":
        for j in range(1, X.shape[1]):
            bounds[j] = _profile_interval(y, X, w, fit, j, confidence)
    elif ci != "wald":
        raise ValueError(f"ci must be 'wald' or 'profile', not {ci!r}")
    params = np.asarray(fit.params)
    pvals = np.asarray(fit.pvalues)
    llf, llnull = float(fit.llf), float(fit.llnull)
    pseudo_r2 = 1 - llf / llnull
    llr_p = float(stats.chi2.sf(2 * (llf - llnull), X.shape[1] - 1)) if X.shape[1] > 1 else float("nan")
    rows = [
        {"variable": var, "level": lv, "reference": ref, "n_level": n_lv,
         "odds_ratio": np.exp(params[i + 1]), "ci_low": np.exp(bounds[i + 1, 0]), "ci_high": np.exp(bounds[i + 1, 1]),
         "p_value": pvals[i + 1]}
        for i, (var, lv, ref, n_lv) in enumerate(meta)
    ]
    table = pd.DataFrame(rows, columns=["variable", "level", "reference", "n_level", "odds_ratio", "ci_low",
                                        "ci_high", "p_value"])
    num = ["odds_ratio", "ci_low", "ci_high", "p_value"]
    table[num] = table[num].astype(float).round(decimals)
    table = table.astype({"variable": "str", "level": "str", "reference": "str", "n_level": "int64"})
    return LogitResult(table=table, n=n_complete, n_dropped=n_dropped,
                       pseudo_r2=round(float(pseudo_r2), decimals),
                       llr_p_value=round(llr_p, decimals),
                       converged=bool(fit.converged), llf=llf, n_params=X.shape[1] - 1)


def _profile_interval(y: np.ndarray, X: np.ndarray, w: np.ndarray, fit, j: int, confidence: float) -> tuple[float, float]:
    """Profile-likelihood interval of coefficient ``j``: where twice the drop of the log-likelihood,
    the other coefficients refitted with ``j`` held fixed (``statsmodels`` GLM with an offset), reaches
    the chi-square quantile; ``±inf`` when it never does (separation)."""
    from scipy.optimize import brentq

    crit = float(stats.chi2.ppf(confidence, 1))
    b0, se = float(fit.params[j]), float(fit.bse[j])
    others = np.delete(X, j, axis=1)

    def excess(b: float) -> float:
        m = sm.GLM(y, others, family=sm.families.Binomial(), freq_weights=w, offset=b * X[:, j])
        return 2 * (fit.llf - m.fit(method="IRLS", tol=1e-10, maxiter=100).llf) - crit

    ends = []
    for direction in (-1.0, 1.0):
        step, near, far = max(min(se, 5.0), 0.05), b0, None
        for _ in range(10):
            cand = near + direction * step
            if excess(cand) > 0:
                far = cand
                break
            near, step = cand, step * 2
        ends.append(direction * np.inf if far is None else brentq(excess, min(near, far), max(near, far), xtol=1e-8))
    return ends[0], ends[1]


def logit_model(df: pd.DataFrame, outcome: str, predictors: Sequence[str], *, min_epv: int = 10,
                confidence: float = 0.95, decimals: int = 4) -> LogitModel:
    """A logistic regression that the data can carry: at least ``min_epv`` events per parameter.

    The events are the rarer outcome among the complete cases. Transformations include: the levels
    of a characteristic with fewer than ``min_epv`` events are merged (``MERGED``; a characteristic
    left with one level does not enter); characteristics enter in the given order while the model
    keeps at least ``min_epv`` events per parameter, the others are left out; each characteristic
    that entered is tested as a block (likelihood-ratio test of the model without it); odds ratios
    get profile-likelihood intervals.

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"y": rng.random(400) < 0.3, "a": rng.choice(["x", "z"], 400), "b": rng.choice(list("pqrstuvw"), 400)})
    >>> m = logit_model(d, "y", ["a", "b"])
    >>> m.kept, m.n_params <= m.n_events / 10, list(m.blocks["variable"])
    (['a', 'b'], True, ['a', 'b'])
    """
    cols = [outcome, *predictors]
    d = df.loc[df[cols].notna().all(axis=1), cols].copy()
    y = d[outcome].astype(bool).to_numpy()
    rare = y if y.sum() <= len(y) - y.sum() else ~y
    n_events = int(rare.sum())
    budget = n_events // min_epv
    kept, left_out, used = [], [], 0
    for var in predictors:
        x = d[var].astype("str")
        events = pd.Series(rare).groupby(x.to_numpy()).sum()
        small = events.index[events.to_numpy() < min_epv]
        if len(small):
            x = x.where(~x.isin(small), MERGED)
        d[var] = x
        k = x.nunique() - 1
        if k >= 1 and used + k <= budget:
            kept.append(var)
            used += k
        else:
            left_out.append(var)
    fit = logit_odds_ratios(d, outcome, kept, confidence=confidence, decimals=decimals, ci="profile")
    fit = replace(fit, n_dropped=len(df) - len(d))  # incomplete rows were left out above
    blocks = []
    for var in kept:
        rest = [v for v in kept if v != var]
        reduced = logit_odds_ratios(d, outcome, rest, confidence=confidence, decimals=decimals)
        stat = max(0.0, 2 * (fit.llf - reduced.llf))
        dof = fit.n_params - reduced.n_params
        blocks.append({"variable": var, "df": dof, "statistic": round(stat, decimals),
                       "p_value": round(float(stats.chi2.sf(stat, dof)), decimals)})
    blocks = pd.DataFrame(blocks, columns=["variable", "df", "statistic", "p_value"])
    return LogitModel(fit=fit, blocks=blocks, kept=kept, left_out=left_out, n_events=n_events, n_params=used,
                      events_per_parameter=n_events / used if used else float("nan"))


def covariate_patterns(data: pd.DataFrame, outcome: str, predictors: Sequence[str]) -> pd.DataFrame:
    """Complete cases (rows with no missing value in ``predictors`` and ``outcome``) collapsed to one
    row per (predictors, outcome) combination with its count ``n``, in sorted order.

    Predictors become text; a million respondents have a few hundred patterns, so the model is
    fitted on those, weighted by ``n`` (the log-likelihood, estimates and standard errors are
    those of the row-level fit).

    >>> covariate_patterns(pd.DataFrame({"y": [1, 1, 0], "g": ["a", "a", "b"]}), "y", ["g"]).to_dict("list")
    {'g': ['a', 'b'], 'y': [1.0, 0.0], 'n': [2, 1]}
    """
    predictors = list(predictors)
    factors = [text_codes(data[p]) for p in predictors]
    y_codes, y_values = _float_codes(data[outcome])
    keys, n = group_sizes([c for c, _ in factors] + [y_codes], [len(lab) for _, lab in factors] + [len(y_values)])
    texts = [lab[keys[:, i]] for i, (_, lab) in enumerate(factors)]
    y = y_values[keys[:, -1]]
    # rows in the order of a sorted groupby: by each predictor's text, then the outcome
    ranks = [text_ranks(lab)[keys[:, i]] for i, (_, lab) in enumerate(factors)]
    order = np.lexsort([y, *reversed(ranks)])
    pat = pd.DataFrame({p: pd.array(t[order], dtype="str") for p, t in zip(predictors, texts)})
    pat[outcome] = y[order]
    pat["n"] = n[order]
    return pat


def _float_codes(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``s.astype(float)`` (-1 = missing) and the distinct float values they index.

    The column is factorised as it is and only its distinct values are converted (cheaper than
    converting every row); values that become the same number share a code.

    >>> codes, values = _float_codes(pd.Series([True, None, False, True], dtype="boolean"))
    >>> codes.tolist(), values.tolist()
    ([1, -1, 0, 1], [0.0, 1.0])
    >>> codes, values = _float_codes(pd.Series([2, None, 0.5, 2]))
    >>> codes.tolist(), values.tolist()
    ([0, -1, 1, 0], [2.0, 0.5])
    """
    if is_boolean(s.dtype):  # the flags themselves are the codes (missing: -1)
        return s.to_numpy(dtype=np.intp, na_value=-1), np.array([0.0, 1.0])
    codes, uniques = pd.factorize(s)
    merged, values = pd.factorize(pd.Series(uniques).astype(float).to_numpy())  # NaN gets -1
    codes = np.where(codes >= 0, merged[np.maximum(codes, 0)], -1) if len(values) < len(uniques) else codes
    return np.asarray(codes, dtype=np.intp), np.asarray(values, dtype=float)
