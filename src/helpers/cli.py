"""Command line: ``python -m helpers run`` (the whole run), ``validate``, ``refresh-notebooks``, ``preview``.

``run`` validates the parameters, executes the master notebook ``notebooks/00_run_all.ipynb``
with papermill (which executes every stage), writes the manifest and swaps the new reports
into place only when everything succeeded. Exit codes: 0 success, 1 a stage failed, 2 bad
parameters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import shutil
import sys
import time
from pathlib import Path

from helpers import manifest, paths, pipeline, preflight, render
from helpers.params import ParamsError, load, parse_override

MASTER = "00_run_all.ipynb"
KEEP_IN_REPORTS = {"README.md", ".gitignore"}
_PROGRESS = re.compile(r"^\[\s*\d+/\d+\] ")


class _StreamToTerminal(logging.Handler):
    """Show the master notebook's progress lines (papermill logs its output) and nothing else."""

    def emit(self, record: logging.LogRecord) -> None:
        for line in record.getMessage().splitlines():
            if _PROGRESS.match(line):
                print(line, flush=True)


def _rmtree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def swap_in(staging: Path, reports: Path) -> None:
    """Replace the generated content of ``reports`` by the staging folder's (README kept)."""
    reports.mkdir(parents=True, exist_ok=True)
    old = reports.with_name(reports.name + ".old")
    _rmtree(old)
    old.mkdir()
    for item in reports.iterdir():
        if item.name not in KEEP_IN_REPORTS:
            item.rename(old / item.name)
    for item in staging.iterdir():
        item.rename(reports / item.name)
    staging.rmdir()
    shutil.rmtree(old)


def run(params_file: str, overrides: dict) -> int:
    """The whole run. Returns the process exit code."""
    import papermill as pm

    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    try:
        P = load(params_file, overrides)
    except ParamsError as exc:
        print(f"error: invalid parameters: {exc}", file=sys.stderr)
        return 2
    reports = P.path("reports_dir")
    staging = reports.with_name(reports.name + ".new")
    failed = reports.with_name(reports.name + ".failed")
    _rmtree(staging)
    (staging / "review").mkdir(parents=True)
    label = "demo data (synthetic)" if P.is_demo else "real data"
    print(f"Run {P.source} — {label} — reports to {paths.relative_to_root(reports)}", flush=True)
    log = logging.getLogger("papermill")
    log.setLevel(logging.INFO)
    handler = _StreamToTerminal()
    log.addHandler(handler)
    master_out = staging / "review" / MASTER
    try:
        pm.execute_notebook(
            str(paths.NOTEBOOKS / MASTER), str(master_out),
            parameters={"params_file": P.source, "overrides": overrides, "staging_dir": paths.relative_to_root(staging)},
            kernel_name="python3", cwd=str(paths.ROOT), progress_bar=False, log_output=True,
            kernel_manager_class=pipeline.kernel_manager(staging / "logs" / "00_run_all.kernel.log"),
        )
    except pm.PapermillExecutionError as exc:
        _rmtree(failed)
        staging.rename(failed)
        message = f"{exc.ename}: {exc.evalue}".replace(str(staging), str(failed))
        print(f"\nFAILED — {message}\nThe last good reports in {paths.relative_to_root(reports)} are unchanged; "
              f"the executed notebooks of this run are in {paths.relative_to_root(failed)}/review/.", file=sys.stderr)
        return 1
    finally:
        log.removeHandler(handler)
    render.write_html(master_out, staging / "review" / "00_run_all.html", title="00_run_all", lang="ru", reader=False)
    summary = json.loads((staging / "run_summary.json").read_text(encoding="utf-8"))
    (staging / "run_summary.json").unlink()
    finished = dt.datetime.now().astimezone()
    steps = summary["timings"] + [{"step": "00_run_all (total, incl. kernel start-ups)", "kind": "total",
                                   "seconds": round(time.perf_counter() - t0, 3)}]
    outputs = summary["outputs"] + ["review/00_run_all.html", "manifest.json"]
    manifest.write(manifest.build(P, started=started, finished=finished, timings=steps, outputs=outputs),
                   staging / "manifest.json")
    swap_in(staging, reports)
    _rmtree(failed)
    n_exec = sum(1 for s in summary["timings"] if s["kind"] == "execute")
    print(f"\nDone in {time.perf_counter() - t0:.1f} s: {n_exec} notebook executions. Reports in "
          f"{paths.relative_to_root(reports)}/:")
    for name in sorted(p.name for p in reports.iterdir() if p.suffix in (".html", ".pdf")):
        print(f"  {name}")
    print(f"  review/ (reviewer editions), manifest.json; figures in "
          f"{paths.relative_to_root(P.path('processed_dir'))}/figures.json", flush=True)
    return 0


def _strip_volatile(nb_path: Path) -> None:
    """Make a stored notebook independent of the run that produced it, so baselines do not churn:
    papermill's timing metadata dropped, its injected cell given a fixed id, execution counts
    renumbered 1, 2, … as a fresh kernel would (a worker's shared kernel counts on)."""
    import nbformat

    nb = nbformat.read(str(nb_path), as_version=4)
    nb.metadata.pop("papermill", None)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = count
    nbformat.write(nb, str(nb_path))


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
            _strip_volatile(target)
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
    return run(args.params, overrides)
