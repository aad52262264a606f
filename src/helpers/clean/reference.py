"""Reference lists of ``config/`` loaded once per stage: regions (those of the run's period), age
bands, social categories, journal headers and values, codebooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from helpers.clean.answers import label_codes
from helpers.clean.codebook import load_codebooks
from helpers.clean.regions import load_regions, lookup, regions_for_period
from helpers.config_files import read_yaml


@dataclass(frozen=True)
class Reference:
    """Everything the cleaning functions look labels up in.

    ``region_codes`` are the regions of the period the reference was loaded for (the 2022 oblasts
    only from their ``valid_from``); ``region_lookup`` maps every spelling to one of them.
    """

    regions: dict
    region_lookup: dict[str, str]
    region_codes: list[str]
    age_bands: dict
    social: dict
    headers: dict
    values: dict
    codebooks: dict[str, dict]
    _codes: dict[int, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def band_codes(self) -> list[str]:
        return [b["code"] for b in self.age_bands["bands"]]

    @property
    def social_codes(self) -> list[str]:
        return [c["code"] for c in self.social["categories"]]

    @property
    def vulnerable_codes(self) -> list[str]:
        return [c["code"] for c in self.social["categories"] if c["vulnerable"]]

    def label_codes(self, options: list[Mapping]) -> dict[str, str]:
        """:func:`helpers.clean.answers.label_codes` of one option list of this reference, worked out once per stage."""
        if id(options) not in self._codes:
            self._codes[id(options)] = label_codes(options)
        return self._codes[id(options)]


def load_reference(config_dir: str | Path, period: tuple[dt.date, dt.date] | None = None) -> Reference:
    """Read the reference lists of ``config_dir`` for the regions of ``period`` (start, end);
    without a period, the regions of 2021 (the 2022 oblasts stand for the regions they were split from)."""
    c = Path(config_dir)
    regions = load_regions(c)
    codes = regions_for_period(regions, *period) if period else [r["code"] for r in regions["regions"]]
    return Reference(
        regions=regions,
        region_lookup=lookup(regions, own=codes),
        region_codes=codes,
        age_bands=read_yaml(c / "age_bands.yaml"),
        social=read_yaml(c / "social_categories.yaml"),
        headers=read_yaml(c / "journal_headers.yaml"),
        values=read_yaml(c / "journal_values.yaml"),
        codebooks=load_codebooks(c),
    )
