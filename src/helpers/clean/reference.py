"""Reference lists of ``config/`` loaded once per stage: regions, age bands, social categories,
journal headers and values, codebooks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.clean.codebook import load_codebooks
from helpers.clean.regions import load_regions, lookup
from helpers.config_files import read_yaml


def _yaml(path: Path) -> dict:
    return read_yaml(path)


@dataclass(frozen=True)
class Reference:
    """Everything the cleaning functions look labels up in."""

    regions: dict
    region_lookup: dict[str, str]
    age_bands: dict
    social: dict
    headers: dict
    values: dict
    codebooks: dict[str, dict]

    @property
    def region_codes(self) -> list[str]:
        return [r["code"] for r in self.regions["regions"]]

    @property
    def band_codes(self) -> list[str]:
        return [b["code"] for b in self.age_bands["bands"]]

    @property
    def social_codes(self) -> list[str]:
        return [c["code"] for c in self.social["categories"]]

    @property
    def vulnerable_codes(self) -> list[str]:
        return [c["code"] for c in self.social["categories"] if c["vulnerable"]]

    def region_labels(self, lang: str) -> pd.Series:
        """Region code → name in ``lang``."""
        return pd.Series({r["code"]: r[lang] for r in self.regions["regions"]})


def load_reference(config_dir: str | Path) -> Reference:
    """Read the reference lists of ``config_dir``."""
    c = Path(config_dir)
    regions = load_regions(c)
    return Reference(
        regions=regions,
        region_lookup=lookup(regions),
        age_bands=_yaml(c / "age_bands.yaml"),
        social=_yaml(c / "social_categories.yaml"),
        headers=_yaml(c / "journal_headers.yaml"),
        values=_yaml(c / "journal_values.yaml"),
        codebooks=load_codebooks(c),
    )
