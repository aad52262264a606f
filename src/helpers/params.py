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


def _coerce(key: str, kind: str, value: Any) -> Any:
    """``value`` as the schema's ``kind`` (a date from ISO text, a float from an int), or ParamsError."""
    if kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ParamsError(f"{key}: expected a date YYYY-MM-DD, got {value!r}") from exc
    wrong = (not isinstance(value, _TYPES[kind]) or (kind in ("int", "float") and isinstance(value, bool))
             or (kind == "date" and isinstance(value, dt.datetime)))
    if wrong:
        raise ParamsError(f"{key}: expected {kind}, got {value!r} ({type(value).__name__})")
    return float(value) if kind == "float" else value


def _check_leaf(key: str, spec: Mapping[str, Any], value: Any) -> Any:
    """Validate one value against its schema leaf; return it, normalised."""
    if value is None:
        if spec.get("nullable", False):
            return None
        raise ParamsError(f"{key}: a value is required (got null)")
    value = _coerce(key, spec["type"], value)
    bad = [v for v in (value if spec["type"] == "list" else [value]) if spec.get("choices") is not None and v not in spec["choices"]]
    if bad:
        raise ParamsError(f"{key}: {bad[0]!r} is not one of {spec['choices']}")
    if "min" in spec and value < spec["min"]:
        raise ParamsError(f"{key}: {value!r} is below the minimum {spec['min']}")
    if "max" in spec and value > spec["max"]:
        raise ParamsError(f"{key}: {value!r} is above the maximum {spec['max']}")
    return value


def validate(data: Mapping[str, Any], schema: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Return ``data`` checked against ``schema`` with defaults filled in; every problem at once
    (one line each) in the :class:`ParamsError`.

    >>> schema = {"a": {"type": "int", "min": 0}, "b": {"c": {"type": "str", "default": "x"}}}
    >>> validate({"a": 1, "b": {}}, schema)
    {'a': 1, 'b': {'c': 'x'}}
    >>> validate({"a": -1, "b": {}, "zz": 2}, schema)
    Traceback (most recent call last):
    ...
    helpers.params.ParamsError: zz: unknown key (known here: a, b)
    a: -1 is below the minimum 0
    """
    problems: list[str] = []
    out = _validate(data, schema, prefix, problems)
    if problems:
        raise ParamsError("\n".join(problems))
    return out


def _validate(data: Any, schema: Mapping[str, Any], prefix: str, problems: list[str]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        problems.append(f"{prefix.rstrip('.') or 'parameters'}: expected a mapping, got {data!r}")
        data = {}
    out: dict[str, Any] = {}
    for key in (k for k in data if k not in schema):
        near = difflib.get_close_matches(str(key), list(schema), n=1)
        problems.append(f"{prefix}{key}: unknown key" + (f" — did you mean {near[0]!r}?" if near else f" (known here: {', '.join(schema)})"))
    for key, spec in schema.items():
        full = f"{prefix}{key}"
        if not _is_leaf(spec):
            out[key] = _validate(data.get(key, {}), spec, f"{full}.", problems)
        elif key in data or "default" not in spec:
            try:
                out[key] = _check_leaf(full, spec, data[key]) if key in data else _missing(full, spec)
            except ParamsError as exc:
                problems.append(str(exc))
        else:
            out[key] = spec["default"]
    return out


def _missing(key: str, spec: Mapping[str, Any]) -> Any:
    raise ParamsError(f"{key}: missing ({spec.get('doc', 'required')})")


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
    where = _key_lines(file)
    try:
        values = validate(data, schema)
    except ParamsError as exc:
        raise ParamsError("\n".join(_origin(line, file, where, overrides) for line in str(exc).splitlines())) from None
    if values["period"]["end"] < values["period"]["start"]:
        raise ParamsError(_origin("period.end: period.end is before period.start", file, where, overrides))
    return Params(values=values, source=paths.relative_to_root(file), overrides=overrides)


def _key_lines(file: Path) -> dict[str, int]:
    """Dotted key → the line of ``file`` it is written on."""
    out: dict[str, int] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        for k, v in node.value if isinstance(node, yaml.MappingNode) else []:
            out[prefix + str(k.value)] = k.start_mark.line + 1
            walk(v, f"{prefix}{k.value}.")

    root = yaml.compose(file.read_text(encoding="utf-8"))
    if root is not None:
        walk(root, "")
    return out


def _origin(problem: str, file: Path, where: Mapping[str, int], overrides: Mapping[str, Any]) -> str:
    """A problem prefixed by where it came from: ``--set key=…``, ``file:line`` or the file.

    >>> _origin("a.b: missing", Path("p.yaml"), {"a.b": 3}, {}), _origin("a.b: x", Path("p.yaml"), {}, {"a.b": 1})
    ('p.yaml:3: a.b: missing', '--set a.b=1: a.b: x')
    """
    key = problem.split(":", 1)[0]
    if key in overrides:
        return f"--set {key}={overrides[key]}: {problem}"
    line = where.get(key) or next((n for k, n in where.items() if key.startswith(k + ".")), None)
    return f"{paths.relative_to_root(file)}{f':{line}' if line else ''}: {problem}"


def parse_override(text: str) -> tuple[str, Any]:
    """Parse a command-line override ``key.sub=value`` (the value read as YAML).

    >>> parse_override("analysis.suppression_threshold=10")
    ('analysis.suppression_threshold', 10)
    """
    if "=" not in text:
        raise ParamsError(f"override {text!r}: expected key=value")
    key, raw = text.split("=", 1)
    return key.strip(), load_yaml(raw)
