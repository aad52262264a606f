"""Shared pieces of the demo generator: seeded random streams, synthetic people, exact allocation
of the report's proportions. All names, phones and e-mails are invented."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The report's section 4 (seed 000): participants by sex, age band and social category (of 1894).
SEX_COUNTS = {"male": 758, "female": 1136}
AGE_BAND_COUNTS = {"13-16": 0, "17-22": 189, "23-27": 238, "28-32": 436, "33-45": 728, "46-58": 228, "59+": 75}
AGE_BAND_RANGES = {"13-16": (13, 16), "17-22": (17, 22), "23-27": (23, 27), "28-32": (28, 32), "33-45": (33, 45), "46-58": (46, 58), "59+": (59, 80)}
SOCIAL_COUNTS = {
    "children": 0.0, "youth": 189.4, "civil_servants": 340.92, "budget_workers": 208.34, "disabled": 75.76,
    "elderly": 303.04, "unemployed": 416.68, "ngo": 256.16, "business": 79.68, "other": 24.02,
}

FIRST_M = ["Алибек", "Ерлан", "Данияр", "Нурлан", "Серик", "Арман", "Бахыт", "Тимур", "Асхат", "Максим", "Дмитрий", "Сергей", "Андрей", "Ержан", "Кайрат", "Руслан", "Марат", "Олжас"]
FIRST_F = ["Айгерим", "Гульнара", "Динара", "Асель", "Жанар", "Сауле", "Алия", "Мадина", "Елена", "Ольга", "Наталья", "Татьяна", "Айжан", "Гаухар", "Камила", "Жулдыз", "Салтанат", "Ирина"]
LAST = ["Ахметов", "Жумабаев", "Сейткали", "Омаров", "Касымов", "Иванов", "Петров", "Ким", "Нургалиев", "Смагулов", "Абдрахманов", "Бекмуханов", "Султанов", "Исаев", "Мусин", "Тулегенов", "Кузнецов", "Ермеков", "Байжанов", "Садыков"]
LATIN_FIRST = ["alibek", "erlan", "daniyar", "aigerim", "gulnara", "dinara", "asel", "zhanar", "saule", "timur", "maksim", "elena", "olga", "arman", "madina", "ruslan"]
LATIN_LAST = ["akhmetov", "zhumabaev", "omarova", "kasymov", "ivanova", "kim", "nurgaliev", "smagulov", "sultanov", "musina", "ermekov", "sadykova"]
DOMAINS = ["mail.ru", "gmail.com", "inbox.kz", "mail.kz", "yandex.kz", "bk.ru"]


def rng(seed: int, *stream: int | str) -> np.random.Generator:
    """An independent, reproducible stream per artefact (``stream`` = e.g. ("survey", "population"))."""
    key = [seed] + [int.from_bytes(str(s).encode("utf-8")[:8].ljust(8, b"\0"), "little") if isinstance(s, str) else int(s) for s in stream]
    return np.random.default_rng(key)


def allocate(counts: dict[str, float], n: int) -> np.ndarray:
    """Exact allocation of ``n`` items to categories in the given proportions (largest remainder), unshuffled.

    >>> allocate({"a": 758, "b": 1136}, 10).tolist().count("a")
    4
    """
    keys = list(counts)
    w = np.array([counts[k] for k in keys], dtype=float)
    raw = w / w.sum() * n
    base = np.floor(raw).astype(int)
    rest = n - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return np.repeat(np.array(keys, dtype=object), base)


def people(r: np.random.Generator, sex: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic full names (matching sex) and Kazakh mobile numbers in assorted typing styles."""
    n = len(sex)
    last = np.array(LAST, dtype=object)[r.integers(0, len(LAST), n)]
    female = sex == "female"
    last = np.where(female, np.char.add(last.astype(str), np.where(np.char.endswith(last.astype(str), "в") | np.char.endswith(last.astype(str), "н"), "а", "")), last)
    first = np.where(female, np.array(FIRST_F, dtype=object)[r.integers(0, len(FIRST_F), n)], np.array(FIRST_M, dtype=object)[r.integers(0, len(FIRST_M), n)])
    names = pd.Series(last.astype(str)) + " " + pd.Series(first.astype(str))
    op = np.array(["701", "702", "705", "707", "747", "771", "775", "777", "778"])[r.integers(0, 9, n)]
    num = pd.Series(r.integers(0, 10_000_000, n)).astype(str).str.zfill(7)
    a, b, c = num.str[:3], num.str[3:5], num.str[5:]
    style = r.integers(0, 4, n)
    p0 = "+7 " + pd.Series(op) + " " + a + " " + b + " " + c
    p1 = "8" + pd.Series(op) + num
    p2 = "+7(" + pd.Series(op) + ")" + a + "-" + b + "-" + c
    p3 = "8 " + pd.Series(op) + " " + a + " " + b + c
    phone = np.select([style == 0, style == 1, style == 2], [p0, p1, p2], p3)
    return names.to_numpy(dtype=object), phone.astype(object)


def emails(r: np.random.Generator, n: int) -> np.ndarray:
    """Unique synthetic e-mail addresses."""
    f = np.array(LATIN_FIRST)[r.integers(0, len(LATIN_FIRST), n)]
    l = np.array(LATIN_LAST)[r.integers(0, len(LATIN_LAST), n)]
    d = np.array(DOMAINS)[r.integers(0, len(DOMAINS), n)]
    k = pd.Series(np.arange(n) + 10).astype(str).to_numpy()
    return (pd.Series(f) + "." + pd.Series(l) + pd.Series(k) + "@" + pd.Series(d)).to_numpy(dtype=object)


def ages_for_bands(r: np.random.Generator, bands: np.ndarray) -> np.ndarray:
    """A uniform age inside each band."""
    lo = np.array([AGE_BAND_RANGES[b][0] for b in bands], dtype=int)
    hi = np.array([AGE_BAND_RANGES[b][1] for b in bands], dtype=int)
    return lo + np.floor(r.random(len(bands)) * (hi - lo + 1)).astype(int)
