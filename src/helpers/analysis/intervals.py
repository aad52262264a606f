"""Confidence intervals for proportions, from ``statsmodels.stats.proportion.proportion_confint``.

Wilson score (``method="wilson"``) and exact Clopper-Pearson (``"clopper_pearson"``, statsmodels'
``"beta"``), vectorised; an empty base gives NaN bounds. With online opt-in samples an interval
expresses the *precision given n* of a share among the respondents, not a margin of error for the
population.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from statsmodels.stats.proportion import proportion_confint

#: the workbook's method names -> statsmodels' names
METHODS = {"wilson": "wilson", "clopper_pearson": "beta"}


def _arrays(x: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x_arr = np.asarray(x, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if np.any(x_arr < 0) or np.any(x_arr > n_arr):
        raise ValueError("counts must satisfy 0 <= x <= n")
    return np.broadcast_arrays(x_arr, n_arr)


def interval(x: ArrayLike, n: ArrayLike, confidence: float = 0.95, method: str = "wilson") -> tuple[np.ndarray, np.ndarray]:
    """Interval for x successes out of n as proportions in [0, 1] (``proportion_confint``).

    Exactly 0 as the lower bound when x = 0 and 1 as the upper bound when x = n; NaN when n = 0.

    >>> lo, hi = interval(0, 10)
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.2775)
    >>> lo, hi = interval(0, 10, method="clopper_pearson")
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.3085)
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence!r}")
    if method not in METHODS:
        raise ValueError(f"interval method {method!r}: one of {sorted(METHODS)}")
    x_arr, n_arr = _arrays(x, n)
    empty = n_arr == 0
    low, high = proportion_confint(x_arr, np.where(empty, 1.0, n_arr), alpha=1 - confidence, method=METHODS[method])
    low = np.where(x_arr == 0, 0.0, np.clip(low, 0.0, 1.0))
    high = np.where(x_arr == n_arr, 1.0, np.clip(high, 0.0, 1.0))
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def wilson(x: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (:func:`interval` with ``method="wilson"``)."""
    return interval(x, n, confidence, "wilson")


def clopper_pearson(x: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact Clopper-Pearson interval (:func:`interval` with ``method="clopper_pearson"``)."""
    return interval(x, n, confidence, "clopper_pearson")


def proportion(x: ArrayLike, n: ArrayLike, confidence: float = 0.95, method: str = "wilson") -> dict[str, np.ndarray]:
    """Share in percent with its interval bounds in percent: ``{"pct", "ci_low", "ci_high"}``.

    >>> {k: round(float(v), 2) for k, v in proportion(5, 10).items()}
    {'pct': 50.0, 'ci_low': 23.66, 'ci_high': 76.34}
    """
    x_arr, n_arr = _arrays(x, n)
    low, high = interval(x_arr, n_arr, confidence, method)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(n_arr == 0, np.nan, 100 * x_arr / np.where(n_arr == 0, 1.0, n_arr))
    return {"pct": pct, "ci_low": 100 * low, "ci_high": 100 * high}
