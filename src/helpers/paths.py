"""The one paths module: every location the workbook uses, anchored on the repository root.

Notebooks never hard-code paths: they get a parameters file (relative to the repository
root) and resolve everything through :func:`resolve` and the constants below.
"""

from __future__ import annotations

from pathlib import Path

ROOT: Path = Path(__file__).resolve().parents[2]
NOTEBOOKS: Path = ROOT / "notebooks"
CONFIG: Path = ROOT / "config"
PARAMS_DIR: Path = CONFIG / "params"
PARAMS_SCHEMA: Path = PARAMS_DIR / "schema.yaml"
DEFAULT_PARAMS: Path = PARAMS_DIR / "demo.yaml"
PIPELINE: Path = CONFIG / "pipeline.yaml"
#: the figure catalogue: unit, labels and source of every recorded figure (helpers.figure_catalogue)
FIGURES: Path = CONFIG / "figures.yaml"
TEMPLATES: Path = Path(__file__).resolve().parent / "templates"
TESTS: Path = ROOT / "tests"


def resolve(path: str | Path, base: Path = ROOT) -> Path:
    """Return ``path`` as an absolute path, relative paths taken from ``base`` (the repo root).

    >>> resolve("data/raw") == ROOT / "data" / "raw"
    True
    >>> resolve("/tmp/x") == Path("/tmp/x")
    True
    """
    p = Path(path).expanduser()
    return p if p.is_absolute() else (base / p)


def relative_to_root(path: str | Path) -> str:
    """Show ``path`` relative to the repository root when it lies inside it (for reports).

    >>> relative_to_root(ROOT / "data" / "raw")
    'data/raw'
    """
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()
