"""``python -m helpers diff RUN_A RUN_B``: what changed between two runs.

A run is its reports folder: ``manifest.json`` (parameters, inputs with their sha256) and the figures
record — ``figures.json`` beside the manifest when the run was archived that way, else the one in the
run's ``paths.processed_dir``. The diff lists the figures that changed (id, old, new, delta), the
figures added or removed, the input files changed, added or removed, and the parameters changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import paths


@dataclass
class Run:
    """One run as :func:`load` finds it."""

    folder: Path
    params: dict[str, Any]
    inputs: dict[str, str]  # file → sha256
    figures: dict[str, Any]  # id → value


@dataclass
class Diff:
    figures: list[tuple[str, Any, Any]] = field(default_factory=list)  # changed: id, old, new
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    inputs: list[tuple[str, str]] = field(default_factory=list)  # file, "changed" | "added" | "removed"
    params: list[tuple[str, Any, Any]] = field(default_factory=list)


def load(folder: str | Path) -> Run:
    """The run whose reports folder (or ``manifest.json``) is ``folder``."""
    folder = paths.resolve(folder)
    folder = folder.parent if folder.name == "manifest.json" else folder
    manifest_file = folder / "manifest.json"
    if not manifest_file.is_file():
        raise FileNotFoundError(f"{folder}: no manifest.json (give the reports folder of a run)")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    figures_file = folder / "figures.json"
    if not figures_file.is_file():
        figures_file = paths.resolve(manifest["params"]["paths.processed_dir"]) / "figures.json"
    record = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file.is_file() else {"figures": {}}
    return Run(folder, manifest["params"], {i["file"]: i["sha256"] for i in manifest["inputs"]},
               {k: v["value"] for k, v in record.get("figures", record).items()})


def compare(a: Run, b: Run) -> Diff:
    """What changed from run ``a`` to run ``b``."""
    d = Diff()
    d.figures = [(k, a.figures[k], b.figures[k]) for k in sorted(a.figures.keys() & b.figures.keys()) if a.figures[k] != b.figures[k]]
    d.added, d.removed = sorted(b.figures.keys() - a.figures.keys()), sorted(a.figures.keys() - b.figures.keys())
    d.inputs = sorted([(f, "changed") for f in a.inputs.keys() & b.inputs.keys() if a.inputs[f] != b.inputs[f]]
                      + [(f, "added") for f in b.inputs.keys() - a.inputs.keys()]
                      + [(f, "removed") for f in a.inputs.keys() - b.inputs.keys()])
    d.params = [(k, a.params.get(k), b.params.get(k)) for k in sorted(a.params.keys() | b.params.keys())
                if a.params.get(k) != b.params.get(k)]
    return d


def _delta(old: Any, new: Any) -> str:
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (old, new))
    return f"{new - old:+.4g}" if numbers else ""


def text(d: Diff, a: Run, b: Run) -> str:
    """The diff as the terminal shows it."""
    lines = [f"runs: {a.folder} -> {b.folder}",
             f"figures: {len(d.figures)} changed, {len(d.added)} added, {len(d.removed)} removed; "
             f"inputs: {len(d.inputs)} changed; parameters: {len(d.params)} changed"]
    lines += [f"  figure  {k}: {old!r} -> {new!r}" + (f"  ({_delta(old, new)})" if _delta(old, new) else "") for k, old, new in d.figures]
    lines += [f"  figure  {k}: added ({b.figures[k]!r})" for k in d.added]
    lines += [f"  figure  {k}: removed (was {a.figures[k]!r})" for k in d.removed]
    lines += [f"  input   {f}: {what}" for f, what in d.inputs]
    lines += [f"  param   {k}: {old!r} -> {new!r}" for k, old, new in d.params]
    return "\n".join(lines)
