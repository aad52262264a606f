"""All-or-nothing publish: ``data/processed`` and ``reports`` change together, or not at all.

A run writes both into one staging area, ``<reports>.new/`` (``processed/`` and ``reports/``
in it). Only when everything succeeded does it publish them: it writes the journal
``<reports>.new/PUBLISHING.json`` (the moment the run commits), then renames each published
folder to ``<folder>.old`` and the staged one into its place, then removes the journal and the
old folders. A run killed at any moment leaves either the previous pair (no journal: the
staging area is discarded by the next run — rolled back) or a journal, from which the next run
completes the renames (rolled forward). Files kept in the published folders across runs
(``README.md``) are copied into the staged ones.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers import paths
from helpers.figures import locked

KEEP = ("README.md", ".gitignore")


def _rmtree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def _old(path: Path) -> Path:
    return path.with_name(path.name + ".old")


class Staging:
    """The staging area of the run that publishes ``processed`` and ``reports``."""

    def __init__(self, processed: Path, reports: Path) -> None:
        self.root = reports.with_name(reports.name + ".new")
        self.failed = reports.with_name(reports.name + ".failed")
        self.partial = reports.with_name(reports.name + ".partial")
        self.targets = {"processed": processed, "reports": reports}
        self.journal = self.root / "PUBLISHING.json"

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One run at a time per staging area (released when the process ends, however it ends)."""
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with locked(self.root):
            yield

    def recover(self) -> str | None:
        """Finish what an interrupted run left: returns what was done (for the log), or None."""
        message = None
        if self.journal.is_file():
            self._complete()
            message = ("the previous run was interrupted while publishing: its publish was completed "
                       f"({self.names()} are that run's)")
        elif self.root.exists():
            _rmtree(self.root)
            message = (f"the previous run was interrupted before publishing: its staging area was discarded "
                       f"({self.names()} are those of the last complete run)")
        for target in self.targets.values():
            _rmtree(_old(target))
        return message

    def names(self) -> str:
        return " and ".join(paths.relative_to_root(t) for t in self.targets.values())

    def create(self) -> Path:
        """A fresh, empty staging area (``processed/``, ``reports/review/``)."""
        _rmtree(self.root)
        for name in self.targets:
            (self.root / name).mkdir(parents=True)
        (self.root / "reports" / "review").mkdir()
        return self.root

    def publish(self) -> None:
        """Publish the staged ``processed`` and ``reports`` together."""
        pairs = []
        for name, target in self.targets.items():
            staged = self.root / name
            for keep in KEEP:
                if (target / keep).is_file() and not (staged / keep).exists():
                    shutil.copyfile(target / keep, staged / keep)
            _rmtree(_old(target))
            pairs.append([str(staged), str(target)])
        tmp = self.journal.with_suffix(".tmp")
        tmp.write_text(json.dumps(pairs), encoding="utf-8")
        tmp.replace(self.journal)  # committed: from here on the publish is completed, even after a kill
        self._complete()

    def _complete(self) -> None:
        pairs = [(Path(staged), Path(target)) for staged, target in json.loads(self.journal.read_text(encoding="utf-8"))]
        for staged, target in pairs:
            if staged.exists():
                if target.exists():
                    target.rename(_old(target))
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.rename(target)
        self.journal.unlink()
        _rmtree(self.root)
        for _, target in pairs:
            _rmtree(_old(target))

    def fail(self) -> Path:
        """Discard a failed run, keeping its executed notebooks in ``<reports>.failed/review/``."""
        _rmtree(self.failed)
        (self.root / "reports").rename(self.failed)
        _rmtree(self.root)
        return self.failed

    def keep_partial(self) -> Path:
        """A partial run (``--only``/``--until``) is not published: its files go to ``<reports>.partial/``."""
        _rmtree(self.partial)
        for scratch in ("work", "parts"):
            _rmtree(self.root / scratch)
        self.root.rename(self.partial)
        return self.partial
