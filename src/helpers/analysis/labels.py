"""Question and option texts in the report language, read from the codebooks (data, not code).

Codebooks: ``config/codebooks/<survey>.yaml`` (questions with ``id``, ``type``, ``ru``/``kk``
texts, ``options``/``rows`` with ``code`` and texts). Options without texts (e.g. region codes
in some codebooks) fall back to ``config/regions.yaml`` and ``config/age_bands.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any


from helpers.config_files import read_yaml


@lru_cache(maxsize=32)
def _read(path: str) -> dict[str, Any]:
    return read_yaml(Path(path))


#: label of the free "Other" field of multi-select questions (``other: true`` in a codebook)
_OTHER = {"ru": "Другое", "kk": "Басқа"}


@dataclass(frozen=True)
class Codebook:
    """One survey's codebook with label lookups for ``lang`` (``ru`` / ``kk``)."""

    survey: str
    data: dict[str, Any]
    config_dir: Path

    @classmethod
    def load(cls, config_dir: str | Path, survey: str) -> "Codebook":
        config_dir = Path(config_dir)
        return cls(survey, _read(str(config_dir / "codebooks" / f"{survey}.yaml")), config_dir)

    def title(self, lang: str) -> str:
        return self.data["title"][lang]

    def audience(self, lang: str) -> str:
        return self.data.get("audience", {}).get(lang, "")

    def question(self, qid: str) -> dict[str, Any]:
        for q in self.data["questions"]:
            if q["id"] == qid:
                return q
        raise KeyError(f"{self.survey}: no question {qid!r} in the codebook")

    def text(self, qid: str, lang: str) -> str:
        """The question text."""
        return self.question(qid)[lang]

    def codes(self, qid: str) -> list[str]:
        """Option codes in codebook order (derived ``age_band``: the registry's bands)."""
        if qid == "age_band" and not any(q["id"] == qid for q in self.data["questions"]):
            return age_band_codes(self.config_dir)
        return [str(o["code"]) for o in self.question(qid).get("options", [])]

    def rows(self, qid: str) -> list[str]:
        """Grid row codes in codebook order."""
        return [str(r["code"]) for r in self.question(qid).get("rows", [])]

    def labels(self, qid: str, lang: str) -> dict[str, str]:
        """Option code -> label (fallback registries for regions and age bands)."""
        fallback = self._fallback(qid, lang)
        if fallback and not any(q["id"] == qid for q in self.data["questions"]):
            return fallback
        other = {"other": _OTHER[lang]} if self.question(qid).get("other") else {}
        return other | {str(o["code"]): o.get(lang) or fallback.get(str(o["code"]), str(o["code"]))
                for o in self.question(qid).get("options", [])} | {k: v for k, v in fallback.items()
                                                                   if k not in self.codes(qid)}

    def row_labels(self, qid: str, lang: str) -> dict[str, str]:
        """Grid row code -> row text."""
        return {str(r["code"]): r[lang] for r in self.question(qid).get("rows", [])}

    def _fallback(self, qid: str, lang: str) -> dict[str, str]:
        if qid == "region":
            regs = _read(str(self.config_dir / "regions.yaml"))["regions"]
            return {r["code"]: r[lang] for r in regs}
        if qid == "age_band":
            bands = _read(str(self.config_dir / "age_bands.yaml"))["bands"]
            return {str(b["code"]): b[lang] for b in bands}
        return {}


def age_band_codes(config_dir: str | Path) -> list[str]:
    """Age band codes in order, from ``config/age_bands.yaml``."""
    return [str(b["code"]) for b in _read(str(Path(config_dir) / "age_bands.yaml"))["bands"]]


def age_band_labels(config_dir: str | Path, lang: str) -> dict[str, str]:
    """Age band code -> label."""
    return {str(b["code"]): b[lang] for b in _read(str(Path(config_dir) / "age_bands.yaml"))["bands"]}


def region_codes(config_dir: str | Path) -> list[str]:
    """Region codes in registry order."""
    return [r["code"] for r in _read(str(Path(config_dir) / "regions.yaml"))["regions"]]
