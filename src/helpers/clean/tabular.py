"""Shared steps of the hand-typed tables (consultation journals, participant lists):
header variants → canonical names, value lists → codes, test rows, person keys."""

from __future__ import annotations

import pandas as pd

from helpers.clean import CleaningError
from helpers.clean.codebook import Unknown, map_single, unknown_list
from helpers.clean.normalise import band_of, map_regions, match_key, to_number
from helpers.clean.reference import Reference

TEST_PATTERN = r"^(?:тест|test|сынақ|сынак|проверка)(?:\W|\d|$)"


def header_key(h: str) -> str:
    """Normalised header: whitespace collapsed, case-folded, ё→е, trailing '.'/':' dropped.

    >>> header_key(" Кол-во  сторон: ")
    'кол-во сторон'
    """
    return " ".join(str(h).split()).casefold().replace("ё", "е").rstrip(".:").strip()


def map_headers(columns: list[str], spec: dict, name: str) -> dict[str, str]:
    """Original header → canonical column name (``config/journal_headers.yaml``); one error lists
    every unknown header and every missing required column."""
    variants = {header_key(v): canon for canon, vs in spec["columns"].items() for v in vs}
    plan, unknown = {}, []
    for j, c in enumerate(columns):
        if header_key(c) in variants:
            plan[c] = variants[header_key(c)]
        else:
            unknown.append(f"column {j + 1} {c!r}")
    canon = list(plan.values())
    twice = sorted({c for c in canon if canon.count(c) > 1})
    missing = [c for c in spec["required"] if c not in canon]
    if unknown or missing or twice:
        parts = []
        if missing:
            parts.append(f"missing required column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"row 1: header(s) not in config/journal_headers.yaml: {', '.join(unknown)}")
        if twice:
            parts.append(f"two headers mean the same column: {', '.join(twice)}")
        raise CleaningError(f"{name}: " + "; ".join(parts))
    return plan


def test_rows(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    """Rows where a name or text cell reads «тест»/«test»/«сынақ»/«проверка»."""
    hit = pd.Series(False, index=df.index)
    for c in cols:
        if c in df:
            hit |= match_key(df[c]).str.contains(TEST_PATTERN, regex=True).fillna(False).astype(bool)
    return hit


def map_field(df: pd.DataFrame, col: str, ref: Reference, file: str, header: str, skip: pd.Series) -> tuple[pd.Series, list[Unknown]]:
    """Map one value-list column to codes; unknown labels (outside ``skip`` rows) are returned."""
    codes, unk = map_single(df[col], ref.value_map(col))
    return codes, unknown_list(file, header, df.loc[unk & ~skip, col])


def map_region_field(s: pd.Series, ref: Reference, file: str, header: str, skip: pd.Series) -> tuple[pd.Series, list[Unknown], pd.DataFrame]:
    """Region column → codes (typos fixed by an unambiguous fuzzy match, listed in ``fixes``)."""
    codes, fixed = map_regions(s, ref.region_lookup)
    codes = codes.where(codes.ne("ALL"))
    unk = s.notna() & codes.isna() & fixed.isna()
    fixes = pd.DataFrame({"source_file": file, "value": s[fixed.notna()], "region": codes[fixed.notna()]})
    return codes, unknown_list(file, header, s[unk & ~skip]), fixes


def demographics(df: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """``age`` (Int64), ``age_band``, ``vulnerable`` from the mapped ``age`` and ``social_category``."""
    age = to_number(df["age"]).round().astype("Int64") if "age" in df else pd.Series(pd.NA, index=df.index, dtype="Int64")
    vuln = df["social_category"].isin(ref.vulnerable_codes).astype("boolean").where(df["social_category"].notna())
    return pd.DataFrame({"age": age, "age_band": band_of(age, ref.age_bands["bands"]), "vulnerable": vuln}, index=df.index)
