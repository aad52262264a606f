"""Reading the YAML files under ``config/`` (codebooks, reference lists, texts, parameters).

libyaml's C parser (``yaml.CSafeLoader``, shipped in the PyYAML wheels) reads the codebooks
about ten times faster than the pure-Python ``SafeLoader``; both build the same data from these
files (a test compares them on every file in ``config/``). Without libyaml the Python loader is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with the C loader when available.

    >>> load_yaml("a: [1, ja]")
    {'a': [1, 'ja']}
    """
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader


def read_yaml(path: str | Path) -> Any:
    """The data of a UTF-8 YAML file."""
    return load_yaml(Path(path).read_text(encoding="utf-8"))
