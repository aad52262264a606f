"""Command line: ``python -m helpers run`` (the whole run), ``validate``, ``refresh-notebooks``, ``preview``.

``run`` validates the parameters, finishes what an interrupted earlier run left (see
:mod:`helpers.publish`), executes the master notebook ``notebooks/00_run_all.ipynb`` with
papermill (which runs every stage, or restores it from the stage cache: :mod:`helpers.pipeline`),
writes the manifest and publishes ``data/processed`` and ``reports`` together, only when
everything succeeded. Exit codes: 0 success, 1 a stage failed, 2 bad parameters or stage names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path

from helpers import cache, manifest, paths, pipeline, preflight, render
from helpers.params import Params, ParamsError, load, parse_override
from helpers.publish import Staging

MASTER = "00_run_all.ipynb"


def _stage_names() -> list[str]:
    cfg = pipeline.load_pipeline()
    return [Path(s["notebook"]).stem for s in cfg["stages"] + cfg["reports"]]


def _selection(args: argparse.Namespace) -> tuple[bool | list[str], list[str]]:
    """``force`` and ``only`` for the master notebook from ``--force``, ``--force-stage``, ``--only``, ``--until``."""
    names = _stage_names()
    unknown = sorted(set(args.force_stage + args.only + ([args.until] if args.until else [])) - set(names))
    if unknown:
        raise ParamsError(f"unknown stage(s) {unknown}; the stages are: {', '.join(names)}")
    only = list(args.only) + (names[: names.index(args.until) + 1] if args.until else [])
    return (True if args.force else list(args.force_stage)), only


def _execute_master(P: Params, staging: Path, overrides: dict, force: bool | list[str], only: list[str]) -> None:
    """The master notebook, executed by papermill into ``<staging>/reports/review/``."""
    import papermill as pm

    pm.execute_notebook(
        str(paths.NOTEBOOKS / MASTER), str(staging / "reports" / "review" / MASTER),
        parameters={"params_file": P.source, "overrides": overrides, "staging_dir": paths.relative_to_root(staging),
                    "force": force, "only": only},
        kernel_name="python3", cwd=str(paths.ROOT), progress_bar=False, log_output=False,
        kernel_manager_class=pipeline.kernel_manager(staging / "reports" / "logs" / "00_run_all.kernel.log"),
    )


def _write_manifest(P: Params, staging: Path, started: dt.datetime, t0: float) -> dict:
    """The master's reviewer edition and ``manifest.json`` in the staged reports; returns the run summary."""
    reports = staging / "reports"
    render.write_html(reports / "review" / MASTER, reports / "review" / "00_run_all.html", title="00_run_all",
                      lang="ru", reader=False)
    summary = json.loads((staging / "run_summary.json").read_text(encoding="utf-8"))
    steps = summary["timings"] + [{"step": "00_run_all (total, incl. kernel start-ups)", "kind": "total",
                                   "seconds": round(time.perf_counter() - t0, 3)}]
    outputs = [p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file()] + ["manifest.json"]
    m = manifest.build(P, started=started, finished=dt.datetime.now().astimezone(), timings=steps, outputs=outputs)
    manifest.write(m | {"stages": summary["stages"]}, reports / "manifest.json")
    return summary


def _report_done(P: Params, summary: dict, seconds: float, published: Path, processed: Path) -> None:
    statuses = [s.split(" ")[0] for s in summary["stages"].values()]
    print(f"\nDone in {seconds:.1f} s: {statuses.count('ran')} notebook executions ran, {statuses.count('reused')} "
          f"reused from the stage cache ({paths.relative_to_root(cache.folder_for(P))}). Reports in "
          f"{paths.relative_to_root(published)}/:")
    for name in sorted(p.name for p in published.iterdir() if p.suffix in (".html", ".pdf")):
        print(f"  {name}")
    print(f"  review/ (reviewer editions), manifest.json; figures in {paths.relative_to_root(processed)}/figures.json",
          flush=True)


def run(params_file: str, overrides: dict, force: bool | list[str] = False, only: list[str] | None = None) -> int:
    """The whole run (with ``only``: those stages and what they need, not published). Returns the exit code."""
    import papermill as pm

    started, t0 = dt.datetime.now().astimezone(), time.perf_counter()
    try:
        P = load(params_file, overrides)
    except ParamsError as exc:
        print(f"error: invalid parameters: {exc}", file=sys.stderr)
        return 2
    area = Staging(P.path("processed_dir"), P.path("reports_dir"))
    with area.lock():
        note = area.recover()
        if note:
            print(f"Note: {note}.", flush=True)
        staging = area.create()
        label = "demo data (synthetic)" if P.is_demo else "real data"
        print(f"Run {P.source} — {label} — reports to {paths.relative_to_root(area.targets['reports'])}", flush=True)
        try:
            _execute_master(P, staging, overrides, force, only or [])
        except pm.PapermillExecutionError as exc:
            failed = area.fail()
            message = f"{exc.ename}: {exc.evalue}".replace(str(staging / "reports"), str(failed))
            print(f"\nFAILED — {message}\n{area.names()} are unchanged (those of the last complete run); the "
                  f"executed notebooks of this run are in {paths.relative_to_root(failed)}/review/.", file=sys.stderr)
            return 1
        summary = _write_manifest(P, staging, started, t0)
        if only:
            kept = area.keep_partial()
            _report_done(P, summary, time.perf_counter() - t0, kept / "reports", kept / "processed")
            print(f"A partial run (--only/--until) is not published: {area.names()} are unchanged.")
            return 0
        area.publish()
        shutil.rmtree(area.failed, ignore_errors=True)
    _report_done(P, summary, time.perf_counter() - t0, area.targets["reports"], area.targets["processed"])
    return 0


def refresh_notebooks(reports_dir: str) -> int:
    """Copy the executed stage notebooks of the last run back into ``notebooks/`` (nbval baselines)."""
    review = paths.resolve(reports_dir) / "review"
    if not review.is_dir():
        print(f"error: no {review}: run `make report` first", file=sys.stderr)
        return 2
    copied = 0
    for target in sorted(paths.NOTEBOOKS.glob("[1-9]*.ipynb")):
        source = review / target.name
        if not source.exists():
            source = review / f"{target.stem}.ru.ipynb"
        if source.exists():
            shutil.copyfile(source, target)
            pipeline.strip_volatile(target)
            copied += 1
            print(f"  {target.relative_to(paths.ROOT)} <- {source.relative_to(paths.ROOT)}")
    print(f"{copied} notebooks refreshed with the outputs of the last run")
    return 0


def preview(params_file: str, reports_dir: str | None) -> int:
    """PNG previews of the reader editions in ``<reports>/preview/`` (see :mod:`helpers.preview`)."""
    from helpers.preview import write_previews

    try:
        reports = paths.resolve(reports_dir) if reports_dir else load(params_file).path("reports_dir")
        written = write_previews(reports)
    except (ParamsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for png in written:
        print(f"  {paths.relative_to_root(png)}")
    print(f"{len(written)} previews written")
    return 0


def inspect(file: str, config: str) -> int:
    """``inspect FILE``: print what the workbook makes of the file and write the draft next to it."""
    from helpers.clean import CleaningError, draft

    try:
        found = draft.inspect_file(Path(file).resolve(), paths.resolve(config))
    except CleaningError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(draft.summary(found))
    print(f"draft written: {draft.write(found, Path(file).resolve())}")
    return 0


def new(folder: str) -> int:
    """``new DIR``: scaffold a project and say what to do next."""
    from helpers import scaffold

    try:
        files = scaffold.new_project(folder)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    params = Path(folder).resolve() / "params.yaml"
    print(f"{len(files)} files written under {Path(folder).resolve()}. Next: edit {params} (project, period),\n"
          f"put the data in raw/ (raw/README.md says what goes where), export MEDIATION_PII_SALT=..., then\n"
          f"  python -m helpers validate --params {params}\n  python -m helpers run --params {params}")
    return 0


def diff(run_a: str, run_b: str) -> int:
    """``diff RUN_A RUN_B``: print what changed between two runs."""
    from helpers import rundiff

    try:
        a, b = rundiff.load(run_a), rundiff.load(run_b)
    except (OSError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(rundiff.text(rundiff.compare(a, b), a, b))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "validate"):
        p = sub.add_parser(name, help=f"{name} the pipeline" if name == "run" else "validate a parameters file")
        p.add_argument("--params", default=str(paths.DEFAULT_PARAMS.relative_to(paths.ROOT)),
                       help="YAML parameters file (default: %(default)s)")
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help="override a parameter, e.g. --set analysis.suppression_threshold=10")
        if name == "run":
            p.add_argument("--force", action="store_true", help="execute every stage, even those in the stage cache")
            p.add_argument("--force-stage", action="append", default=[], metavar="STAGE",
                           help="execute this stage even if it is in the stage cache (repeatable)")
            p.add_argument("--only", action="append", default=[], metavar="STAGE",
                           help="run only this stage and the stages it needs (not published: see reports.partial/)")
            p.add_argument("--until", metavar="STAGE",
                           help="run the stages of config/pipeline.yaml up to this one (not published)")
    r = sub.add_parser("refresh-notebooks", help="store the last run's outputs in notebooks/ (nbval baselines)")
    r.add_argument("--reports", default="reports")
    v = sub.add_parser("preview", help="PNG previews of the reader PDFs and HTML in <reports>/preview/")
    v.add_argument("--params", default=str(paths.DEFAULT_PARAMS.relative_to(paths.ROOT)),
                   help="YAML parameters file whose paths.reports_dir is used (default: %(default)s)")
    v.add_argument("--reports", metavar="DIR", help="the reports folder (instead of the one of --params)")
    i = sub.add_parser("inspect", help="draft how an unknown export, journal or participant list maps to the codebooks")
    i.add_argument("file", help="the file to inspect (csv, xlsx, xls, ods)")
    i.add_argument("--config", default="config", help="the configuration folder (default: %(default)s)")
    d = sub.add_parser("diff", help="what changed between two runs (figures, inputs, parameters)")
    d.add_argument("run_a", help="reports folder (with manifest.json) of the earlier run")
    d.add_argument("run_b", help="reports folder of the later run")
    n = sub.add_parser("new", help="a project folder for a new wave or organisation: params, config copy, raw-data layout")
    n.add_argument("folder", help="the folder to create (must not exist or be empty)")
    args = parser.parse_args(argv)
    if args.command == "new":
        return new(args.folder)
    if args.command == "diff":
        return diff(args.run_a, args.run_b)
    if args.command == "inspect":
        return inspect(args.file, args.config)
    if args.command == "refresh-notebooks":
        return refresh_notebooks(args.reports)
    if args.command == "preview":
        return preview(args.params, args.reports)
    try:
        overrides = dict(parse_override(s) for s in args.set)
        force, only = _selection(args) if args.command == "run" else (False, [])
    except ParamsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "validate":
        try:
            P = load(args.params, overrides)
        except ParamsError as exc:
            print("error: invalid parameters:\n  " + str(exc).replace("\n", "\n  "), file=sys.stderr)
            return 2
        found = preflight.problems(P)
        if found:
            print(f"error: {P.source}: {len(found)} problem(s) before a run:\n  " + "\n  ".join(found), file=sys.stderr)
            return 2
        print(f"{P.source}: valid ({len(P.flat())} parameters; inputs, configuration and salt checked)")
        return 0
    return run(args.params, overrides, force, only)
