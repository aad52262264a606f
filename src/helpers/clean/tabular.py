"""Shared steps of the hand-typed tables (consultation journals, participant lists):
header variants → canonical names, value lists → codes, test rows, person keys."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.clean import CleaningError
from helpers.clean.accounting import reject
from helpers.clean.codebook import Unknown, map_single, unknown_list
from helpers.clean.normalise import band_of, clean_text_columns, map_regions, match_key, to_number
from helpers.clean.reference import Reference

TEST_PATTERN = r"^(?:тест|test|сынақ|сынак|проверка)(?:\W|\d|$)"


@dataclass
class ExportResult:
    """What cleaning one hand-typed file gives: clean rows, rejected rows, accounting, unknown labels."""

    clean: pd.DataFrame
    rejected: pd.DataFrame
    accounting: dict
    unknown: list[Unknown] = field(default_factory=list)
    region_fixes: pd.DataFrame = field(default_factory=pd.DataFrame)


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


def prepare(raw: pd.DataFrame, spec: dict, source_file: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Canonical columns (header variants mapped, optional ones added empty), text cleaned.

    Returns the frame and the map canonical name → the header as the file wrote it (for messages).
    """
    plan = map_headers([c for c in raw.columns if c != "source_row"], spec, source_file)
    df = raw.rename(columns=plan)
    for opt in spec["optional"]:
        if opt not in df:
            df[opt] = pd.Series(pd.NA, index=df.index, dtype="str")
    df = clean_text_columns(df, [c for c in df.columns if c != "source_row"])
    return df, {v: k for k, v in plan.items()}


class Rejections:
    """Rows rejected by successive rules; a row belongs to the first rule that hits it.

    >>> df = pd.DataFrame({"source_row": [2, 3, 4], "x": ["a", None, "a"]})
    >>> rj = Rejections(df, {"x": "Колонка X"})
    >>> rj.rule(df["x"].isna(), "missing_value", "x is empty", "x", df["x"])
    >>> rj.duplicates(df["x"], "duplicate", "same as row")
    >>> rj.kept.tolist(), rj.frame()[["source_row", "rule", "column"]].values.tolist()
    ([True, False, False], [[3, 'missing_value', 'Колонка X'], [4, 'duplicate', '']])
    """

    def __init__(self, df: pd.DataFrame, header_of: dict[str, str]) -> None:
        self.df = df
        self.header_of = header_of
        self.done = pd.Series(False, index=df.index)
        self._parts: list[pd.DataFrame] = []

    @property
    def kept(self) -> pd.Series:
        return ~self.done

    def rule(self, mask: pd.Series, rule: str, reason: str | pd.Series, column: str = "",
             value: pd.Series | None = None) -> None:
        """Reject the rows of ``mask`` not yet rejected, naming the column as the file wrote it."""
        m = mask.fillna(False).astype(bool) & ~self.done
        if m.any():
            self._parts.append(reject(self.df, m, rule, reason, self.header_of.get(column, column), value))
            self.done = self.done | m

    def empty_and_test_rows(self, rules: dict[str, str], test_columns: list[str]) -> None:
        """The opening rules of every hand-typed table: empty lines, then test entries
        (a name or text cell reading «тест»/«test»/«сынақ»), reported on the name column."""
        content = [c for c in self.df.columns if c not in ("source_row", "row_no")]
        self.rule(self.df[content].isna().all(axis=1), "empty_row", rules["empty_row"])
        self.rule(test_rows(self.df, test_columns), "test_submission", rules["test_submission"], "name",
                  self.df["name"])

    def duplicates(self, key: pd.Series | pd.DataFrame, rule: str, reason: str) -> None:
        """Reject repeats of ``key`` among the rows still kept; the reason names the kept row."""
        live = ~self.done
        k = key[live]
        dup = k.duplicated(keep="first").reindex(self.df.index, fill_value=False)
        groups = [k[c] for c in k.columns] if isinstance(k, pd.DataFrame) else k
        first = self.df.loc[live, "source_row"].groupby(groups).transform("first").reindex(self.df.index)
        self.rule(dup, rule, f"{reason} " + first.astype("Int64").astype("str") + " (kept)")

    def frame(self) -> pd.DataFrame:
        """Every rejected row with its rule and reason (an empty frame with the columns if none)."""
        if self._parts:
            return pd.concat(self._parts, ignore_index=True)
        return reject(self.df, pd.Series(False, index=self.df.index), "", "")
