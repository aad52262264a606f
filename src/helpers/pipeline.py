"""The runner: every job of ``config/pipeline.yaml`` executed, or restored from the stage cache.

Called from the master notebook ``notebooks/00_run_all.ipynb`` (which the command line executes
with papermill). A job is a stage notebook, or a report notebook in one language. Jobs are
ordered by :class:`graphlib.TopologicalSorter` from the stages' ``needs`` and handed to a pool of
``run.workers`` threads; a job whose key is in the cache (:mod:`helpers.cache`) is restored,
any other is executed by a worker's kernel, which then converts it (reviewer HTML; reader HTML
and PDF of a report). The runner prints one line per job: its time, and "ran" or "reused".

Everything goes into the run's staging area (:mod:`helpers.publish`)::

    work/<job>/    the processed folder the job runs in: the outputs of the stages it needs, then its own
    parts/<job>/   what the job wrote there (its part of figures.json and row_accounting.csv)
    processed/     all parts together: published as data/processed
    reports/       review/<job>.ipynb|html, <report>.<lang>.html|pdf, logs/: published as reports
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import nbformat
import papermill as pm
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from helpers import cache, paths
from helpers.config_files import read_yaml
from helpers.params import Params

KERNEL = "python3"
TITLES = {
    "analytic_report": {"ru": "Аналитический отчёт", "kk": "Талдамалық есеп"},
    "grant_report": {"ru": "Отчёт по гранту", "kk": "Грант бойынша есеп"},
}


class StageFailed(RuntimeError):
    """A stage notebook raised: names the notebook, the cell and where the executed copy is kept."""


@dataclass(frozen=True)
class Job:
    """One notebook execution of the run (a stage, or a report in one language)."""

    stage: str  # the id other stages name in `needs` (notebook stem)
    label: str  # stage id, plus the language for reports
    notebook: str
    parameters: dict
    needs: tuple[str, ...]
    report: str | None = None
    lang: str | None = None

    def editions(self, P: Params) -> dict[str, str | None]:
        """The files the job writes under ``reports/`` (None: not rendered in this run)."""
        reader = f"{self.report}.{self.lang}" if self.report else None
        return {"notebook": f"review/{self.label}.ipynb",
                "review": f"review/{self.label}.html" if P["report.review"] else None,
                "reader": f"{reader}.html" if reader else None,
                "pdf": f"{reader}.pdf" if reader and P["report.pdf"] else None}


@dataclass
class RunSummary:
    """What a run did: per job "ran"/"reused" with its key, its steps with durations."""

    stages: dict[str, str] = field(default_factory=dict)
    timings: list[dict] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


def load_pipeline(path: Path = paths.PIPELINE) -> dict:
    """The stage list (``config/pipeline.yaml``)."""
    return read_yaml(path)


def plan(P: Params, cfg: dict, only: list[str] | tuple[str, ...] = ()) -> list[Job]:
    """Every execution of the run, in the order of ``config/pipeline.yaml``; with ``only``, just
    those stages and the stages they need. Unknown stage names are a ValueError."""
    base = P.as_notebook_parameters()
    jobs = [Job(Path(s["notebook"]).stem, Path(s["notebook"]).stem, s["notebook"], base, tuple(s.get("needs", [])))
            for s in cfg["stages"]]
    for rep in cfg["reports"]:
        stem = Path(rep["notebook"]).stem
        jobs += [Job(stem, f"{stem}.{lang}", rep["notebook"], {**base, "lang": lang}, tuple(rep.get("needs", [])),
                     rep["name"], lang) for lang in P["languages"]]
    known = {j.stage for j in jobs}
    for name, needs in [("--only", only)] + [(j.stage, j.needs) for j in jobs]:
        if set(needs) - known:
            raise ValueError(f"config/pipeline.yaml: {name} names unknown stages {sorted(set(needs) - known)}")
    if not only:
        return jobs
    wanted = set(only)
    for j in reversed(jobs):  # needs come before the stages that need them
        if j.stage in wanted:
            wanted.update(j.needs)
    return [j for j in jobs if j.stage in wanted]


def _say(text: str) -> None:
    """A progress line on the terminal (in the master kernel: the console the run was started from)."""
    print(text, file=sys.__stdout__, flush=True)


def kernel_manager(log_path: Path) -> type[AsyncKernelManager]:
    """A kernel manager whose kernel writes its own stderr (start-up chatter) to ``log_path``."""

    class LoggedKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            kw["stderr"] = log_path.open("ab")
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return LoggedKernelManager


#: run once when a shared kernel starts: import the stages' libraries (their import is the cost
#: sharing saves) and snapshot the global state a notebook can change
SNAPSHOT_CODE = """
import os as _os, random as _random, sys as _sys, warnings as _warnings
import matplotlib as _mpl, matplotlib.pyplot as _plt, numpy as _np, pandas as _pd
import pyarrow.parquet, seaborn, statsmodels.api  # noqa: F401  (warm the module cache)
_sys.modules['_workbook_state'] = type(_sys)('_workbook_state')
_st = _sys.modules['_workbook_state']
_st.rc = _mpl.rcParams.copy()
_st.np_print = _np.get_printoptions()
_st.np_random = _np.random.get_state()
_st.py_random = _random.getstate()
_st.warnings = list(_warnings.filters)
_st.environ = dict(_os.environ)
del _os, _random, _sys, _warnings, _mpl, _plt, _np, _pd, _st
"""

#: run before each further notebook in a shared kernel: a fresh namespace and the snapshot
#: restored, so a notebook sees what a fresh kernel would show it (pandas options, matplotlib rc,
#: numpy print options, random states, warning filters, environment, working directory)
RESET_CODE = """
get_ipython().run_line_magic('reset', '-f')
import os as _os, random as _random, sys as _sys, warnings as _warnings
import matplotlib as _mpl, matplotlib.pyplot as _plt, numpy as _np, pandas as _pd
_st = _sys.modules['_workbook_state']
_plt.close('all')
with _warnings.catch_warnings():
    _warnings.simplefilter('ignore')
    _pd.reset_option('all')
_mpl.rcParams.clear()
_mpl.rcParams.update(_st.rc)
_np.set_printoptions(**_st.np_print)
_np.random.set_state(_st.np_random)
_random.setstate(_st.py_random)
_warnings.filters[:] = _st.warnings
_os.environ.clear()
_os.environ.update(_st.environ)
_os.chdir(ROOT)
del _os, _random, _sys, _warnings, _mpl, _plt, _np, _pd, _st
""".replace("ROOT", repr(str(paths.ROOT)))


def strip_volatile(nb_path: Path) -> None:
    """Make an executed notebook independent of the moment it ran: papermill's timing metadata
    dropped, its injected cell given a fixed id, execution counts 1, 2, … as a fresh kernel counts."""
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


class Worker:
    """One kernel of the pool. With ``share`` it is kept for the worker's next notebook (namespace
    reset in between: start-up and imports paid once); otherwise each notebook gets a fresh one."""

    def __init__(self, log: Path, share: bool) -> None:
        self.log, self.share = log, share
        self.km: AsyncKernelManager | None = None

    def _code(self, code: str) -> None:
        async def run() -> dict:
            kc = self.km.client()
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=60)
                return await kc.execute_interactive(code, store_history=False, timeout=600)
            finally:
                kc.stop_channels()

        content = run_sync(run)()["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"worker kernel: {content.get('ename')}: {content.get('evalue')}")

    def _ready(self) -> AsyncKernelManager:
        if self.km is not None and self.share:
            self._code(RESET_CODE)
            return self.km
        self.close()
        self.km = kernel_manager(self.log)(kernel_name=KERNEL)
        run_sync(self.km.start_kernel)(cwd=str(paths.ROOT))
        if self.share:
            self._code(SNAPSHOT_CODE)
        return self.km

    def execute(self, job: Job, view: Path, out: dict[str, Path | None]) -> tuple[float, float, list[str]]:
        """Execute ``job``'s notebook with ``view`` as its processed folder, then convert it.
        Returns the seconds of each step and what the notebook read (:data:`helpers.params.STAGE`)."""
        t0 = time.perf_counter()
        km = self._ready()
        reads = view.with_name(view.name + ".reads.json")
        out["notebook"].parent.mkdir(parents=True, exist_ok=True)
        self._code(f"from helpers import params as _p; _p.begin_stage({str(view)!r})")
        try:
            pm.execute_notebook(str(paths.NOTEBOOKS / job.notebook), str(out["notebook"]), parameters=job.parameters,
                                kernel_name=KERNEL, cwd=str(paths.ROOT), progress_bar=False, log_output=False, km=km)
        except pm.PapermillExecutionError as exc:
            raise StageFailed(
                f"stage {job.label} ({paths.relative_to_root(paths.NOTEBOOKS / job.notebook)}) failed in cell "
                f"{exc.cell_index} (execution count {exc.exec_count}): {exc.ename}: {exc.evalue} — the executed "
                f"notebook with the error is kept at {out['notebook']}") from None
        t1 = time.perf_counter()
        strip_volatile(out["notebook"])
        args = {k: (str(v) if v else None) for k, v in out.items() if k != "notebook"}
        title = TITLES.get(job.report or "", {}).get(job.lang, job.report or job.label)
        self._code(f"import json as _j; from helpers import params as _p, render as _r\n"
                   f"_r.convert({str(out['notebook'])!r}, **{args!r}, title={title!r}, lang={job.lang or 'ru'!r})\n"
                   f"open({str(reads)!r}, 'w').write(_j.dumps(sorted(_p.STAGE['reads'])))")
        return t1 - t0, time.perf_counter() - t1, json.loads(reads.read_text(encoding="utf-8"))

    def close(self) -> None:
        if self.km is not None and run_sync(self.km.is_alive)():
            run_sync(self.km.shutdown_kernel)(now=True)
        self.km = None


class Run:
    """One run of the jobs into a staging area, with the stage cache."""

    def __init__(self, P: Params, staging: Path, jobs: list[Job], force: bool | list[str]) -> None:
        self.P, self.staging, self.jobs, self.force = P, staging, {j.label: j for j in jobs}, force
        self.cache = cache.StageCache(cache.folder_for(P), P, {k: P[k] for k in ("report.review", "report.pdf")})
        self.workers: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self.n_workers = max(1, min(P["run.workers"], len(jobs)))
        for i in range(1, self.n_workers + 1):
            self.workers.put(Worker(staging / "reports" / "logs" / f"worker{i}.kernel.log", P["run.share_kernels"]))
        self.summary, self.lock = RunSummary(), threading.Lock()

    def needs(self, job: Job) -> set[str]:
        """Labels of the jobs ``job`` needs, directly."""
        return {j.label for j in self.jobs.values() if j.stage in job.needs}

    def upstream(self, job: Job) -> set[str]:
        """Labels of every job ``job`` needs, directly or through others."""
        found = self.needs(job)
        for label in list(found):
            found |= self.upstream(self.jobs[label])
        return found

    def _forced(self, job: Job) -> bool:
        return self.force is True or (isinstance(self.force, list) and job.stage in self.force)

    def job(self, job: Job) -> None:
        """Restore ``job`` from the cache, or execute it and store it there."""
        t0 = time.perf_counter()
        view, part = self.staging / "work" / job.label, self.staging / "parts" / job.label
        records = cache.assemble([self.staging / "parts" / u for u in sorted(self.upstream(job))], view)
        given = cache.file_digests(view)
        base = self.cache.base(paths.NOTEBOOKS / job.notebook, job.parameters, given)
        key = None if self._forced(job) else self.cache.key(job.label, base)
        entry = self.cache.get(job.label, key)
        out = {k: (self.staging / "reports" / v if v else None) for k, v in job.editions(self.P).items()}
        if entry is not None:
            cache.restore(entry, {"processed": part, "reports": self.staging / "reports"})
            status, steps = f"reused (key {key})", [{"step": job.label, "kind": "reused",
                                                     "seconds": round(time.perf_counter() - t0, 3)}]
        else:
            worker = self.workers.get()
            try:
                t_exec, t_conv, reads = worker.execute(job, view, out)
            finally:
                self.workers.put(worker)
            cache.extract_part(view, given, records, part)
            files = {f"processed/{rel}": part / rel for rel in cache.file_digests(part)}
            files |= {f"reports/{v.relative_to(self.staging / 'reports').as_posix()}": v for v in out.values() if v}
            key = self.cache.put(job.label, base, reads, files)
            status, steps = f"ran (key {key})", [{"step": job.label, "kind": "execute", "seconds": round(t_exec, 3)},
                                                 {"step": job.label, "kind": "convert", "seconds": round(t_conv, 3)}]
        with self.lock:
            self.summary.stages[job.label] = status
            self.summary.timings += steps
            _say(f"[{len(self.summary.stages):>2}/{len(self.jobs)}] {job.label:<28} "
                 f"{time.perf_counter() - t0:5.1f} s  {status.split(' (')[0]}")

    def run(self) -> RunSummary:
        """Every job, each once all it needs is done, ``run.workers`` at a time; the first failure
        stops the run (the jobs already running finish, no new one starts) and is raised."""
        graph = TopologicalSorter({label: self.needs(j) for label, j in self.jobs.items()})
        graph.prepare()  # a circular `needs` is a graphlib.CycleError naming the stages
        running = {}
        with ThreadPoolExecutor(self.n_workers) as pool:
            try:
                while graph.is_active():
                    running |= {pool.submit(self.job, self.jobs[label]): label for label in graph.get_ready()}
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
                        graph.done(running.pop(future))
            finally:
                pool.shutdown(cancel_futures=True)
                while not self.workers.empty():
                    self.workers.get().close()
        order = list(self.jobs)
        self.summary.timings.sort(key=lambda s: order.index(s["step"]))
        self.summary.stages = {label: self.summary.stages[label] for label in order}
        return self.summary


def run_stages(P: Params, staging_dir: str | Path, *, force: bool | list[str] = False,
               only: list[str] | tuple[str, ...] = ()) -> RunSummary:
    """Run (or restore) every job of ``config/pipeline.yaml`` — with ``only``, those stages and
    what they need — into the staging area ``staging_dir``; ``force``: True or stage names to
    execute even when cached. Writes ``processed/`` (all parts assembled) and ``run_summary.json``."""
    staging = paths.resolve(staging_dir)
    jobs = plan(P, load_pipeline(), only)
    summary = Run(P, staging, jobs, force).run()
    cache.assemble([staging / "parts" / j.label for j in jobs], staging / "processed")
    (staging / "run_summary.json").write_text(summary.to_json(), encoding="utf-8")
    return summary


def summary_table(summary: RunSummary):
    """Per-job status and wall times as a table (shown at the end of the master notebook)."""
    import pandas as pd

    df = pd.DataFrame(summary.timings)
    times = df.pivot_table(index="step", columns="kind", values="seconds", aggfunc="sum", sort=False)
    return times.assign(status=[summary.stages[s] for s in times.index]).reset_index()
