"""The stage cache: a job whose inputs have not changed is restored instead of executed.

A job (a stage notebook, or a report notebook in one language) is keyed by the sha256 of

- its notebook (each cell's type, id, source and tags; the outputs stored with it do not count);
- the source of the ``helpers`` package and the versions of the packages that shape results;
- the configuration (every file under ``config/`` except the report texts and the parameters
  files, which count by what is read: see below), and the figure catalogue ``config/figures.yaml``
  of the workbook also when ``paths.config_dir`` is a project's own folder;
- its injected parameters (its parameters cell shows them) and the editions rendered;
- every file in the processed folder it runs in: the outputs of the stages it ``needs``;
- the values it read when it last ran with all of the above — parameters, the salt, sections of
  the report texts, and for ``paths.raw_dir`` the sha256 of every raw file, for ``compare.previous``
  of every file of the earlier run's processed folder (see
  :data:`helpers.params.STAGE`). The same inputs make a notebook read the same values again, so a
  parameter that a stage does not read never re-runs it.

An entry holds the job's outputs: its files in the processed folder — of ``figures.json`` and
``row_accounting.csv``, which several stages write, only its own entries (its *part*) — and its
executed notebook and editions under ``reports/``. Restoring copies the bytes back; the record
files of a run are always assembled from the parts (:func:`assemble`), so a reused stage gives
the same bytes as a fresh execution.

Layout: ``<cache>/<job>/<base>.reads.json`` (what the job read, for the base key ``<base>``) and
``<cache>/<job>/<key>/{processed,reports}/``. Entries are written to a temporary folder and
renamed into place, so a killed run never leaves half an entry.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import helpers
from helpers import manifest, paths
from helpers.figures import load as load_figures
from helpers.figures import write_record
from helpers.params import Params, ParamsError

#: files that several stages write, each its own entries (figures by id, rows by their first column)
RECORDS = ("figures.json", "row_accounting.csv")
#: entries kept per job (older ones are removed when a new one is stored)
KEEP = 4


def digest(data: Any) -> str:
    """sha256 of a JSON-able value (dates and paths as text)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digests(root: Path, skip=lambda rel: False) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root`` (none when it does not exist)."""
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    return {rel: manifest.sha256(p) for p in files if not skip(rel := p.relative_to(root).as_posix())}


def notebook_digest(path: Path) -> str:
    """What of a notebook shapes its execution: each cell's type, id, source and tags."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return digest([(c["cell_type"], c.get("id"), c["source"], c.get("metadata", {}).get("tags")) for c in nb["cells"]])


def _not_keyed_config(rel: str) -> bool:
    """Config files counted by what a stage reads of them, or not read by stages at all."""
    return (rel.startswith("texts/") and rel.endswith(".md")) or rel == "pipeline.yaml" or (
        rel.startswith("params/") and rel != "params/schema.yaml")


def _entries(path: Path) -> dict[str | None, str]:
    """A record file as ``{entry id: text}``: figures by id; CSV rows by first column (None: the header)."""
    if path.suffix == ".json":
        return {k: json.dumps(v, sort_keys=True, ensure_ascii=False) for k, v in load_figures(path).items()}
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return {None: lines[0]} | {next(csv.reader([line]))[0]: line for line in lines[1:]}


def _write_entries(entries: dict[str | None, str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        write_record({k: json.loads(v) for k, v in entries.items()}, path)
    else:
        rows = sorted(k for k in entries if k is not None)
        path.write_text(entries[None] + "".join(entries[k] for k in rows), encoding="utf-8")


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def assemble(parts: Iterable[Path], target: Path) -> dict[str, dict]:
    """Copy the parts (outputs of jobs) into ``target``; record files merged entry by entry.

    Returns the merged entries of each record file. Two jobs writing the same file, or the same
    entry differently, is an error naming the file.
    """
    records: dict[str, dict] = {}
    owner: dict[str, str] = {}
    for part in parts:
        for rel in file_digests(part):
            if Path(rel).name in RECORDS:
                merged = records.setdefault(rel, {})
                for k, v in _entries(part / rel).items():
                    if merged.setdefault(k, v) != v and k is not None:
                        raise ValueError(f"{rel}: entry {k!r} written differently by two stages (one is {part.name})")
                continue
            if rel in owner:
                raise ValueError(f"{rel} is written by two stages: {owner[rel]} and {part.name}")
            owner[rel] = part.name
            _copy(part / rel, target / rel)
    for rel, entries in records.items():
        _write_entries(entries, target / rel)
    target.mkdir(parents=True, exist_ok=True)
    return records


def extract_part(view: Path, given: dict[str, str], records: dict[str, dict], part: Path) -> None:
    """Copy into ``part`` what a job wrote in its processed folder ``view``: new or changed files
    (hidden ones, such as lock files, aside); of a record file only its new or changed entries.
    ``given``: sha256 of the files it was given; ``records``: their entries (:func:`assemble`)."""
    for rel, sha in file_digests(view, skip=lambda r: Path(r).name.startswith(".")).items():
        if given.get(rel) == sha:
            continue
        if Path(rel).name not in RECORDS:
            _copy(view / rel, part / rel)
            continue
        old = records.get(rel, {})
        _write_entries({k: v for k, v in _entries(view / rel).items() if k is None or old.get(k) != v}, part / rel)


class StageCache:
    """The cache folder of a run: keys, look-ups, storing and restoring entries."""

    def __init__(self, folder: Path, P: Params, settings: dict) -> None:
        self.folder, self.P = folder, P
        self.run_digest = digest({
            "helpers": file_digests(Path(helpers.__file__).parent, skip=lambda r: "__pycache__" in r),
            "versions": manifest.versions(),
            "config": file_digests(P.path("config_dir"), skip=_not_keyed_config),
            "figure_catalogue": manifest.sha256(paths.FIGURES),  # the workbook's own, whatever config_dir is
            "settings": settings,
        })
        self._values: dict[str, Any] = {}

    def base(self, notebook: Path, parameters: dict, given: dict[str, str]) -> str:
        """The key of a job apart from the values it reads."""
        return digest([self.run_digest, notebook_digest(notebook), parameters, given])[:32]

    def value(self, name: str) -> Any:
        """The current value of something a stage read (``param:…``, ``salt``, ``text:…``)."""
        if name not in self._values:
            self._values[name] = self._resolve(name)
        return self._values[name]

    def _resolve(self, name: str) -> Any:
        kind, _, what = name.partition(":")
        if kind == "salt":
            try:  # the secret itself never enters a key: a slow hash of it
                return hashlib.pbkdf2_hmac("sha256", self.P.salt().encode(), b"stage-cache", 100_000).hex()
            except ParamsError:
                return None
        if kind == "text":
            from helpers import report  # imported here: it brings pandas, which the command line does not need

            file, _, section = what.partition("#")
            path = self.P.path("config_dir") / "texts" / f"{file}.md"
            sections = report.text_sections(path) if path.is_file() else {}
            return sections.get(section) if section else sorted(sections)
        try:
            value = self.P[what]
        except KeyError:
            return "(no such parameter)"
        if what == "paths.raw_dir":
            return [value, file_digests(self.P.path("raw_dir"))]
        if what == "compare.previous" and value is not None:  # an earlier run's processed folder: its files
            return [value, file_digests(paths.resolve(value))]
        return value

    def key(self, job: str, base: str) -> str | None:
        """The full key of a job, if it ran before with this base key (else None: it must run)."""
        reads = self.folder / job / f"{base}.reads.json"
        if not reads.is_file():
            return None
        names = json.loads(reads.read_text(encoding="utf-8"))
        full = bytes.fromhex(digest([base, {n: self.value(n) for n in names}]))
        return base64.b32encode(full[:20]).decode().lower()  # letters and 2-7: never read as a long number

    def get(self, job: str, key: str | None) -> Path | None:
        """The entry of ``key``, if stored."""
        entry = self.folder / job / key if key else None
        return entry if entry is not None and entry.is_dir() else None

    def put(self, job: str, base: str, reads: list[str], files: dict[str, Path]) -> str:
        """Store ``files`` (entry path -> file) under the job's key; returns the key."""
        folder = self.folder / job
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".tmp-{os.getpid()}-{base}"
        shutil.rmtree(tmp, ignore_errors=True)
        for rel, src in files.items():
            _copy(src, tmp / rel)
        (tmp / "reads.json").write_text(json.dumps(sorted(reads)), encoding="utf-8")
        (folder / f"{base}.reads.json").write_text(json.dumps(sorted(reads)), encoding="utf-8")
        key = self.key(job, base)
        assert key is not None
        if (folder / key).exists():
            shutil.rmtree(tmp)
        else:
            tmp.rename(folder / key)
        self._prune(folder)
        return key

    @staticmethod
    def _prune(folder: Path) -> None:
        entries = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)


def restore(entry: Path, targets: dict[str, Path]) -> None:
    """Copy an entry's ``processed/`` and ``reports/`` files into ``targets`` (same keys)."""
    os.utime(entry)  # recently used: kept by pruning
    for name, target in targets.items():
        for rel in file_digests(entry / name):
            _copy(entry / name / rel, target / rel)


def folder_for(P: Params) -> Path:
    """The cache folder of a parameters set: beside the processed folder (``data/processed.cache``)."""
    processed = paths.resolve(P.values["paths"]["processed_dir"])
    return processed.with_name(processed.name + ".cache")
