"""Run parameters: load a YAML file, apply overrides, validate against ``config/params/schema.yaml``.

Validation happens before any stage runs: an unknown key, a missing key or a value of the
wrong type stops the run with a message that names the file, the key and the value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers import paths
from helpers.config_files import load_yaml, read_yaml

SALT_ENV = "MEDIATION_PII_SALT"

#: What the stage being executed reads, recorded for its cache key (see :mod:`helpers.cache`):
#: ``param:<dotted key>``, ``salt``, ``text:<report>.<lang>#<section>``. The runner clears it
#: and sets ``processed_dir`` (the stage's folder in the run's staging area) before each stage;
#: outside a run (a notebook opened by hand, nbval) nothing is redirected.
STAGE: dict[str, Any] = {"reads": set(), "processed_dir": None}


def begin_stage(processed_dir: str | None) -> None:
    """Called by the runner in a stage's kernel: forget earlier reads, write to ``processed_dir``."""
    STAGE["reads"] = set()
    STAGE["processed_dir"] = processed_dir


def record(name: str) -> None:
    """Note that the stage read ``name`` (a parameter, the salt, a text section)."""
    STAGE["reads"].add(name)


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "date": (dt.date,),
    "list": (list,),
    "dict": (dict,),
}


class ParamsError(ValueError):
    """Raised when a parameters file or an override does not match the schema."""


def _is_leaf(node: Mapping[str, Any]) -> bool:
    return isinstance(node, Mapping) and "type" in node and not isinstance(node["type"], Mapping)


def _check_type(key: str, kind: str, value: Any) -> Any:
    """The value in its schema type (a date may be given as ISO text); a wrong type is a ParamsError."""
    if kind == "date" and isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ParamsError(f"{key}: expected a date YYYY-MM-DD, got {value!r}") from exc
    ok = isinstance(value, _TYPES[kind]) and not (kind in ("int", "float") and isinstance(value, bool))
    if not ok or (kind == "date" and isinstance(value, dt.datetime)):
        raise ParamsError(f"{key}: expected {kind}, got {value!r} ({type(value).__name__})")
    return float(value) if kind == "float" else value


def _check_leaf(key: str, spec: Mapping[str, Any], value: Any) -> Any:
    """Validate one value against its schema leaf; return it, normalised."""
    if value is None:
        if spec.get("nullable", False):
            return None
        raise ParamsError(f"{key}: a value is required (got null)")
    value = _check_type(key, spec["type"], value)
    choices = spec.get("choices")
    if choices is not None:
        bad = [v for v in (value if spec["type"] == "list" else [value]) if v not in choices]
        if bad:
            raise ParamsError(f"{key}: {bad[0]!r} is not one of {choices}")
    if "min" in spec and value < spec["min"]:
        raise ParamsError(f"{key}: {value!r} is below the minimum {spec['min']}")
    if "max" in spec and value > spec["max"]:
        raise ParamsError(f"{key}: {value!r} is above the maximum {spec['max']}")
    return value


def validate(data: Mapping[str, Any], schema: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Return ``data`` checked against ``schema`` with defaults filled in.

    >>> schema = {"a": {"type": "int", "min": 0}, "b": {"c": {"type": "str", "default": "x"}}}
    >>> validate({"a": 1, "b": {}}, schema)
    {'a': 1, 'b': {'c': 'x'}}
    >>> validate({"a": 1, "b": {}, "zz": 2}, schema)
    Traceback (most recent call last):
    ...
    helpers.params.ParamsError: zz: unknown key (known here: a, b)
    """
    if not isinstance(data, Mapping):
        raise ParamsError(f"{prefix or 'parameters'}: expected a mapping, got {data!r}")
    out: dict[str, Any] = {}
    for key in data:
        if key not in schema:
            near = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f" — did you mean {near[0]!r}?" if near else f" (known here: {', '.join(schema)})"
            raise ParamsError(f"{prefix}{key}: unknown key{hint}")
    for key, spec in schema.items():
        full = f"{prefix}{key}"
        if _is_leaf(spec):
            if key in data:
                out[key] = _check_leaf(full, spec, data[key])
            elif "default" in spec:
                out[key] = spec["default"]
            else:
                raise ParamsError(f"{full}: missing ({spec.get('doc', 'required')})")
        else:
            out[key] = validate(data.get(key, {}), spec, prefix=f"{full}.")
    return out


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    node = data
    *parents, leaf = dotted.split(".")
    for part in parents:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ParamsError(f"override {dotted}: {part} is not a section")
    node[leaf] = value


@dataclass(frozen=True)
class Params:
    """Validated run parameters. ``P["analysis.confidence"]`` reads a value by its dotted key."""

    values: dict[str, Any]
    source: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, dotted: str) -> Any:
        record(f"param:{dotted}")
        node: Any = self.values
        for part in dotted.split("."):
            node = node[part]
        return node

    def path(self, name: str) -> Path:
        """An absolute folder from the ``paths`` section, e.g. ``P.path("processed_dir")``.

        During a run a stage's ``processed_dir`` is its folder in the staging area (the run
        publishes ``data/processed`` and ``reports`` together at the end)."""
        record(f"param:paths.{name}")
        if name == "processed_dir" and STAGE["processed_dir"]:
            return Path(STAGE["processed_dir"])
        return paths.resolve(self.values["paths"][name])

    @property
    def is_demo(self) -> bool:
        return self["data_label"] == "demo"

    def salt(self) -> str:
        """The pseudonymisation salt: from the environment, or the documented demo salt."""
        record("salt")
        env = os.environ.get(SALT_ENV)
        if env:
            return env
        salt = self.values["cleaning"]["pii_salt"]
        if salt and self.is_demo:
            return salt
        raise ParamsError(
            f"no PII salt: set the environment variable {SALT_ENV} "
            "(cleaning.pii_salt in a parameters file is accepted only for data_label: demo)"
        )

    def flat(self) -> dict[str, Any]:
        """Dotted key -> value, JSON-friendly (dates as ISO text)."""
        STAGE["reads"].update(f"param:{k}" for k, _ in _flatten(self.values))
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in _flatten(self.values)}

    def table(self, lang: str = "ru"):
        """The parameters as a two-column table for the top of a report (secret salt hidden)."""
        import pandas as pd

        header = {"ru": ("Параметр", "Значение"), "kk": ("Параметр", "Мәні")}[lang]
        rows = []
        for key, value in self.flat().items():
            if key == "cleaning.pii_salt":
                value = "(demo salt)" if value else "(из окружения)" if lang == "ru" else "(ортадан)"
            if isinstance(value, list):
                value = ", ".join(map(str, value))
            rows.append((key, str(value)))
        return pd.DataFrame(rows, columns=list(header))

    def as_notebook_parameters(self) -> dict[str, Any]:
        """What papermill passes to every stage: the file and the overrides (re-validated there)."""
        return {"params_file": self.source, "overrides": dict(self.overrides)}


def load(params_file: str | Path = paths.DEFAULT_PARAMS, overrides: Mapping[str, Any] | None = None) -> Params:
    """Read, override and validate a parameters file; raise :class:`ParamsError` naming the file."""
    file = paths.resolve(params_file)
    if not file.is_file():
        raise ParamsError(f"parameters file not found: {file}")
    try:
        data = read_yaml(file) or {}
    except yaml.YAMLError as exc:
        raise ParamsError(f"{file}: not valid YAML: {exc}") from exc
    overrides = dict(overrides or {})
    for dotted, value in overrides.items():
        _set_dotted(data, dotted, value)
    schema = read_yaml(paths.PARAMS_SCHEMA)
    try:
        values = validate(data, schema)
    except ParamsError as exc:
        raise ParamsError(f"{paths.relative_to_root(file)}: {exc}") from None
    if values["period"]["end"] < values["period"]["start"]:
        raise ParamsError(f"{paths.relative_to_root(file)}: period.end is before period.start")
    return Params(values=values, source=paths.relative_to_root(file), overrides=overrides)


def parse_override(text: str) -> tuple[str, Any]:
    """Parse a command-line override ``key.sub=value`` (the value read as YAML).

    >>> parse_override("analysis.suppression_threshold=10")
    ('analysis.suppression_threshold', 10)
    """
    if "=" not in text:
        raise ParamsError(f"override {text!r}: expected key=value")
    key, raw = text.split("=", 1)
    return key.strip(), load_yaml(raw)
