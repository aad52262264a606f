"""pyproject.toml, environment.yml and requirements.lock name the same packages and versions."""

import re
import tomllib

import yaml

from helpers import paths


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> set[str]:
    deps = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return {_norm(re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0]) for d in deps}


def _environment() -> dict[str, str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for dep in env["dependencies"]:
        assert isinstance(dep, str), f"environment.yml: nested entry {dep!r}: list conda packages directly"
        name, _, version = dep.partition("=")
        out[_norm(name)] = version
    return {k: v for k, v in out.items() if k not in ("python", "pip")}


def _lock() -> dict[str, str]:
    out = {}
    for line in (paths.ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            out[_norm(name)] = version.strip()
    return out


def test__environment_yml__has_exactly_the_pyproject_packages():
    env, pyproject = set(_environment()), _pyproject()
    assert env == pyproject, f"only in environment.yml: {env - pyproject}; only in pyproject: {pyproject - env}"


def test__environment_yml__pins_the_locked_versions():
    lock = _lock()
    wrong = {k: (v, lock.get(k)) for k, v in _environment().items() if lock.get(k) != v}
    assert not wrong, f"environment.yml vs requirements.lock: {wrong}"


def test__lock__pins_every_direct_dependency_exactly():
    lock = _lock()
    assert _pyproject() <= set(lock), f"not in requirements.lock: {_pyproject() - set(lock)}"
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", v) for v in lock.values())
