"""Counting by categorical keys without pandas groupby: integer codes and ``np.bincount``.

A key column is factorised once (:func:`text_codes`: the codes of its values *as text*, as
``s.astype("str")`` would give them); combinations of keys are counted on the codes
(:func:`group_sizes`). At a million rows this is several times cheaper than converting the keys
to text and grouping, and the few distinct labels are sorted afterwards, not the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: dtypes whose values map one-to-one to their text (``astype("str")``), so they are factorised as
#: they are: text, numpy bools and integers, pandas' nullable bools and integers
_DIRECT = (pd.StringDtype, pd.BooleanDtype,
           *(type(pd.api.types.pandas_dtype(f"{u}Int{b}")) for u in ("", "U") for b in (8, 16, 32, 64)))


def _direct(dtype: object) -> bool:
    """True when equal values of ``dtype`` have equal texts and distinct values distinct texts."""
    return isinstance(dtype, _DIRECT) or (isinstance(dtype, np.dtype) and dtype.kind in ("b", "i", "u"))


def is_boolean(dtype: object) -> bool:
    """numpy ``bool`` or pandas' nullable ``boolean``."""
    return isinstance(dtype, pd.BooleanDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "b")


def text_codes(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``s.astype("str")``: ``(codes, labels)`` with ``labels[codes[i]]`` the text of row i.

    ``codes`` is an integer array with -1 where ``s`` is missing; ``labels`` an object array of
    distinct texts (no duplicates; unsorted; a category nobody has may be listed). Text, bool and
    integer columns are factorised as they are, a categorical one by its codes; other dtypes
    (object, float, dates) are converted to text first, so the texts are exactly ``astype("str")``'s.

    >>> codes, labels = text_codes(pd.Series(["b", None, "a", "b"]))
    >>> codes.tolist(), labels.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    >>> codes, labels = text_codes(pd.Series([1, "1", 2.5], dtype=object))
    >>> codes.tolist(), labels.tolist()
    ([0, 0, 1], ['1', '2.5'])
    >>> codes, labels = text_codes(pd.Series([True, None, False], dtype="boolean"))
    >>> codes.tolist(), labels.tolist()
    ([1, -1, 0], ['False', 'True'])
    """
    if is_boolean(s.dtype):  # False → 0, True → 1, missing → -1: no hashing of a million flags
        return s.to_numpy(dtype=np.intp, na_value=-1), np.array(["False", "True"], dtype=object)
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.intp)
        uniques = s.cat.categories
    else:
        values = s if _direct(s.dtype) else s.astype("str")
        codes, uniques = pd.factorize(values)
    labels = np.asarray(pd.Index(uniques).astype("str"), dtype=object)
    merged, distinct = pd.factorize(labels)  # two values with one text (category 1 and "1") are one label
    if len(distinct) < len(labels):
        codes = np.where(codes >= 0, merged[np.maximum(codes, 0)], -1)
        labels = np.asarray(distinct, dtype=object)
    return np.asarray(codes, dtype=np.intp), labels


def value_counts(s: pd.Series) -> pd.Series:
    """``s.value_counts()`` of the values that occur, on a plain index.

    A categorical column (text read dictionary-encoded, see
    :func:`helpers.analysis.inputs.read_columns`) lists every category, chosen or not, on a
    ``CategoricalIndex``; here the categories nobody has are left out and the index holds the
    values themselves, as for a text column.

    >>> value_counts(pd.Series(pd.Categorical(["b", "a", "b"], categories=["a", "b", "c"]))).to_dict()
    {'b': 2, 'a': 1}
    """
    vc = s.value_counts()
    if isinstance(vc.index, pd.CategoricalIndex):
        vc = vc[vc.to_numpy() > 0]
        vc.index = vc.index.astype(vc.index.categories.dtype).rename(vc.index.name)
    return vc


def with_missing_label(codes: np.ndarray, labels: np.ndarray, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Missing values (code -1) given the text ``label`` (merged with a value already spelt so).

    >>> c, lab = with_missing_label(np.array([0, -1, 1]), np.array(["x", "NA"], dtype=object), "NA")
    >>> c.tolist(), lab.tolist()
    ([0, 1, 1], ['x', 'NA'])
    """
    if not (codes < 0).any():
        return codes, labels
    hit = np.flatnonzero(labels == label)
    if len(hit):
        return np.where(codes < 0, hit[0], codes), labels
    return np.where(codes < 0, len(labels), codes), np.append(labels, np.array([label], dtype=object))


def text_order(labels: np.ndarray) -> np.ndarray:
    """Positions that sort text labels (code-point order, as pandas sorts ``str`` keys).

    >>> text_order(np.array(["b", "B", "a"], dtype=object)).tolist()
    [1, 2, 0]
    """
    return np.argsort(np.asarray(labels, dtype=object), kind="stable")


def text_ranks(labels: np.ndarray) -> np.ndarray:
    """Rank of each of distinct text labels in code-point order.

    >>> text_ranks(np.array(["b", "B", "a"], dtype=object)).tolist()
    [2, 0, 1]
    """
    ranks = np.empty(len(labels), dtype=np.intp)
    ranks[text_order(labels)] = np.arange(len(labels))
    return ranks


def group_sizes(codes: Sequence[np.ndarray], sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The combinations of codes that occur (rows with a -1 in any array left out) and their counts.

    ``codes`` are equally long integer arrays with values in ``[-1, size)``. Returns ``(keys, n)``:
    ``keys`` a ``(groups, len(codes))`` array in lexicographic order of the codes, ``n`` int64 counts.

    >>> keys, n = group_sizes([np.array([1, 0, 1, -1]), np.array([0, 1, 0, 0])], [2, 2])
    >>> keys.tolist(), n.tolist()
    ([[0, 1], [1, 0]], [1, 2])
    """
    k = len(codes)
    if k == 0 or len(codes[0]) == 0 or min(sizes) == 0:
        return np.zeros((0, k), dtype=np.intp), np.zeros(0, dtype=np.int64)
    shape = tuple(int(size) + 1 for size in sizes)  # code + 1: a missing value is 0
    if float(np.prod([float(s) for s in shape])) <= max(4 * len(codes[0]), 1 << 16):  # one dense count
        key = np.zeros(len(codes[0]), dtype=np.int64)
        for c, size in zip(codes, shape):
            key *= size
            key += c
            key += 1
        n = np.bincount(key, minlength=int(np.prod(shape)))
        found = np.flatnonzero(n)
        keys = np.stack(np.unravel_index(found, shape), axis=1).astype(np.intp) - 1
        complete = (keys >= 0).all(axis=1)
        return keys[complete], n[found[complete]].astype(np.int64)
    ok = np.logical_and.reduce([c >= 0 for c in codes])
    keys, n = np.unique(np.stack([np.asarray(c)[ok] for c in codes], axis=1), axis=0, return_counts=True)
    return keys.astype(np.intp).reshape(-1, k), n.astype(np.int64)
