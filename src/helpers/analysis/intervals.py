"""Confidence intervals for proportions (Wilson score, Clopper-Pearson), vectorised.

With online opt-in samples an interval expresses the *precision given n* of a share among the
respondents, not a margin of error for the population.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence!r}")
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def _arrays(x: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x_arr = np.asarray(x, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if np.any(x_arr < 0) or np.any(x_arr > n_arr):
        raise ValueError("counts must satisfy 0 <= x <= n")
    return np.broadcast_arrays(x_arr, n_arr)


def wilson(x: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x successes out of n (as proportions in [0, 1]).

    Parameters
    ----------
    x, n : array-like
        Successes and trials (broadcast together). ``n == 0`` gives NaN bounds.
    confidence : float
        Confidence level, e.g. 0.95.

    Returns
    -------
    (low, high) : tuple of numpy arrays
        Exactly 0 as the lower bound when x = 0 and exactly 1 as the upper bound when x = n.

    Examples
    --------
    >>> lo, hi = wilson(0, 10)
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.2775)
    """
    x_arr, n_arr = _arrays(x, n)
    z = _z(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x_arr / n_arr
        denom = 1 + z**2 / n_arr
        centre = (p + z**2 / (2 * n_arr)) / denom
        half = z * np.sqrt(p * (1 - p) / n_arr + z**2 / (4 * n_arr**2)) / denom
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    low = np.where(x_arr == 0, 0.0, low)
    high = np.where(x_arr == n_arr, 1.0, high)
    empty = n_arr == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def clopper_pearson(x: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper-Pearson) interval for x successes out of n, from beta quantiles.

    Examples
    --------
    >>> lo, hi = clopper_pearson(0, 10)
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.3085)
    """
    x_arr, n_arr = _arrays(x, n)
    alpha = 1 - confidence
    _z(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = stats.beta.ppf(alpha / 2, x_arr, n_arr - x_arr + 1)
        high = stats.beta.ppf(1 - alpha / 2, x_arr + 1, n_arr - x_arr)
    low = np.where(x_arr == 0, 0.0, low)
    high = np.where(x_arr == n_arr, 1.0, high)
    empty = n_arr == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


METHODS = {"wilson": wilson, "clopper_pearson": clopper_pearson}


def proportion(x: ArrayLike, n: ArrayLike, confidence: float = 0.95, method: str = "wilson") -> dict[str, np.ndarray]:
    """Share in percent with its interval bounds in percent: ``{"pct", "ci_low", "ci_high"}``.

    >>> {k: round(float(v), 2) for k, v in proportion(5, 10).items()}
    {'pct': 50.0, 'ci_low': 23.66, 'ci_high': 76.34}
    """
    x_arr, n_arr = _arrays(x, n)
    low, high = METHODS[method](x_arr, n_arr, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(n_arr == 0, np.nan, 100 * x_arr / n_arr)
    return {"pct": pct, "ci_low": 100 * low, "ci_high": 100 * high}
