"""Checks before a run (``python -m helpers validate``): everything that can be known without running.

The parameters are valid (:func:`helpers.params.load` lists every problem with its file line or
``--set`` argument); then :func:`problems` checks, and reports all at once, each naming the parameter
or file it comes from: every configured folder and file exists, the salt is set for real data, the
codebooks, offices, indicator registry, headline shares and report texts parse, an earlier run to
compare with (``compare.previous``) holds what the comparison reads, every journal maps to an office of
``config/offices.yaml`` and every survey export to a codebook.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers import paths
from helpers.params import Params, ParamsError

Check = Callable[[], object]


def _failed(what: str, check: Check) -> list[str]:
    """``[what: the error]`` when ``check`` raises a configuration or data error, else ``[]``."""
    from helpers.clean import CleaningError
    from helpers.grant.planfact import RegistryError

    try:
        check()
    except (CleaningError, RegistryError, ParamsError, ValueError, KeyError, OSError) as exc:
        return [f"{what}: {exc}"]
    return []


def _shown(path: Path) -> str:
    return paths.relative_to_root(path)


def _inputs(P: Params) -> list[str]:
    """The folders and files the parameters name exist."""
    raw = P.path("raw_dir")
    if not raw.is_dir():
        return [f"paths.raw_dir: folder not found: {_shown(raw)}"]
    out = [f"inputs.{key}: folder not found: {_shown(raw / P[f'inputs.{key}'])}"
           for key in ("surveys", "journals", "participants") if not (raw / P[f"inputs.{key}"]).is_dir()]
    if not (raw / P["inputs.register"]).is_file():
        out.append(f"inputs.register: file not found: {_shown(raw / P['inputs.register'])}")
    if P["grant.report_dir"] and not (raw / P["grant.report_dir"]).is_dir():
        out.append(f"grant.report_dir: folder not found: {_shown(raw / P['grant.report_dir'])} (null: no hand-made report)")
    return out + _previous(P)


def _previous(P: Params) -> list[str]:
    """``compare.previous`` is the processed folder of an earlier run (not this run's own)."""
    from helpers.waves import missing_files

    if P["compare.previous"] is None:
        return []
    folder = paths.resolve(P["compare.previous"])
    if folder.resolve() == P.path("processed_dir").resolve():
        return [f"compare.previous: {_shown(folder)} is this run's paths.processed_dir (give a copy of the earlier run's folder)"]
    missing = missing_files(folder)
    if missing:
        return [f"compare.previous: {_shown(folder)} is not the processed folder of a run: no {', '.join(missing)}"]
    return []


def _config(P: Params) -> list[str]:
    """The configuration parses: codebooks, offices, registry, texts of every report and language."""
    from helpers import report
    from helpers.waves import load_headline
    from helpers.clean.codebook import load_codebooks
    from helpers.clean.offices import load_offices
    from helpers.clean.reference import load_reference
    from helpers.grant.planfact import load_registry

    cfg = P.path("config_dir")
    if not cfg.is_dir():
        return [f"paths.config_dir: folder not found: {_shown(cfg)}"]
    period = (P["period.start"], P["period.end"])
    out = _failed("config: reference lists and codebooks", lambda: load_reference(cfg, period))
    out += _failed("config/offices.yaml", lambda: load_offices(cfg, period))
    out += _failed(f"grant.registry ({P['grant.registry']})", lambda: load_registry(cfg / P["grant.registry"]))
    out += _failed("config/headline.yaml", lambda: load_headline(cfg, load_codebooks(cfg)))
    for name in ("analytic_report", "grant_report"):
        for lang in P["languages"]:
            out += _failed(f"config/texts/{name}.{lang}.md", lambda: report.load_texts(P, name, lang))
    return out


def _data(P: Params) -> list[str]:
    """Every journal maps to an office and every export to a codebook."""
    from helpers.clean import read
    from helpers.clean.offices import load_offices, office_of
    from helpers.clean.reference import load_reference
    from helpers.clean.stage import survey_files

    raw, cfg, period = P.path("raw_dir"), P.path("config_dir"), (P["period.start"], P["period.end"])
    try:
        ref, offices = load_reference(cfg, period), load_offices(cfg, period)
        journals, _ = read.discover(raw / P["inputs.journals"], raw)
    except Exception:  # noqa: BLE001 - reported by the checks of inputs and configuration
        return []
    out = [p for f in journals for p in _failed(f"inputs.journals: {f.name}", lambda f=f: office_of(f.name, offices))]
    return out + _failed("inputs.surveys", lambda: survey_files(raw, ref, P["cleaning.survey_format"], [], P["inputs.surveys"]))


def problems(P: Params) -> list[str]:
    """Every problem a run would meet in its inputs and configuration (empty: ready to run)."""
    out = _inputs(P) + _config(P) + _failed("cleaning.pii_salt", P.salt)
    return out + (_data(P) if not out else [])
