"""One run: execute every stage notebook with papermill (in-process), then convert the results.

Called from the master notebook ``notebooks/00_run_all.ipynb``. Everything is written into a
staging folder; the command line (:mod:`helpers.cli`) swaps it into ``reports/`` only when the
whole run succeeded, so a failed run never destroys the last good reports.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import papermill as pm
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from helpers import paths
from helpers.config_files import read_yaml
from helpers.params import Params
from helpers import render

KERNEL = "python3"
TITLES = {
    "analytic_report": {"ru": "Аналитический отчёт", "kk": "Талдамалық есеп"},
    "grant_report": {"ru": "Отчёт по гранту", "kk": "Грант бойынша есеп"},
}


class StageFailed(RuntimeError):
    """A stage notebook raised: names the notebook, the cell and where the executed copy is kept."""


@dataclass
class StageTiming:
    """Wall time of one step of the run."""

    step: str
    kind: str  # execute | convert
    seconds: float


@dataclass
class RunSummary:
    """What a run did: steps with durations, and the files it produced (relative to the staging folder)."""

    timings: list[StageTiming] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


def load_pipeline(path: Path = paths.PIPELINE) -> dict:
    """The stage list (``config/pipeline.yaml``)."""
    return read_yaml(path)


def _say(text: str) -> None:
    print(text, flush=True)


def kernel_manager(log_path: Path) -> type[AsyncKernelManager]:
    """A kernel manager whose kernel writes its own stderr (start-up chatter) to ``log_path``.

    Cell errors and outputs still arrive through the notebook; only the kernel process's
    console noise leaves the terminal, which then shows one line per stage.
    """

    class LoggedKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            kw["stderr"] = log_path.open("ab")
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return LoggedKernelManager


#: run once when a worker's kernel starts: import the stages' libraries (their import is the
#: cost sharing saves) and snapshot the global state a notebook can change
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

#: run before each further notebook: a fresh namespace and the snapshot restored, so a notebook
#: sees what a fresh kernel would show it (pandas options, matplotlib rc, numpy print options,
#: random states, warning filters, environment, working directory); modules stay imported
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


class Lane:
    """One worker of the run. With ``share=True`` it keeps one kernel for all its notebooks,
    resetting the namespace in between, so start-up and imports are paid once per worker."""

    def __init__(self, index: int, log_dir: Path, share: bool) -> None:
        self.index = index
        self.log = log_dir / f"worker{index}.kernel.log"
        self.share = share
        self.km: AsyncKernelManager | None = None
        self.used = 0

    def _kernel(self) -> AsyncKernelManager:
        if self.km is None:
            self.km = kernel_manager(self.log)(kernel_name=KERNEL)
            run_sync(self.km.start_kernel)(cwd=str(paths.ROOT))
            run_sync(self._run)(SNAPSHOT_CODE)
        elif self.used:
            run_sync(self._run)(RESET_CODE)
        return self.km

    async def _run(self, code: str) -> None:
        kc = self.km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            reply = await kc.execute_interactive(code, store_history=False, timeout=120)
            if reply["content"]["status"] != "ok":
                content = reply["content"]
                raise RuntimeError(f"worker kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")
        finally:
            kc.stop_channels()

    def execute(self, nb: str, out_nb: Path, parameters: dict, label: str) -> None:
        """Execute one notebook; on error raise :class:`StageFailed` naming the cell."""
        out_nb.parent.mkdir(parents=True, exist_ok=True)
        engine: dict = {"km": self._kernel()} if self.share else {"kernel_manager_class": kernel_manager(self.log)}
        self.used += 1
        try:
            pm.execute_notebook(
                str(paths.NOTEBOOKS / nb), str(out_nb), parameters=parameters, kernel_name=KERNEL,
                cwd=str(paths.ROOT), progress_bar=False, log_output=False, **engine,
            )
        except pm.PapermillExecutionError as exc:
            raise StageFailed(
                f"stage {label} ({paths.relative_to_root(paths.NOTEBOOKS / nb)}) failed in cell {exc.cell_index} "
                f"(execution count {exc.exec_count}): {exc.ename}: {exc.evalue} — the executed notebook with "
                f"the error is kept at {out_nb}"
            ) from None

    def close(self) -> None:
        if self.km is not None and run_sync(self.km.is_alive)():
            run_sync(self.km.shutdown_kernel)(now=True)
        self.km = None


@dataclass(frozen=True)
class Job:
    """One notebook execution of the run (a stage, or a report in one language)."""

    stage: str  # the id other jobs name in `needs` (notebook stem)
    label: str  # stage id, plus the language for reports
    notebook: str
    parameters: dict
    needs: tuple[str, ...]
    report: str | None = None
    lang: str | None = None


def plan(P: Params, cfg: dict) -> list[Job]:
    """Every execution of the run, in the order of ``config/pipeline.yaml`` (dependencies checked)."""
    base = P.as_notebook_parameters()
    jobs = [Job(Path(s["notebook"]).stem, Path(s["notebook"]).stem, s["notebook"], base, tuple(s.get("needs", [])))
            for s in cfg["stages"]]
    for rep in cfg["reports"]:
        stem = Path(rep["notebook"]).stem
        jobs += [Job(stem, f"{stem}.{lang}", rep["notebook"], {**base, "lang": lang}, tuple(rep.get("needs", [])),
                     rep["name"], lang) for lang in P["languages"]]
    known = {j.stage for j in jobs}
    for j in jobs:
        unknown = set(j.needs) - known
        if unknown:
            raise ValueError(f"config/pipeline.yaml: {j.stage} needs unknown stages {sorted(unknown)}")
    return jobs


def _convert(P: Params, job: Job, out_nb: Path, staging: Path, pdf_pool: Executor | None = None) -> list[str]:
    """Reviewer edition of every notebook; reader HTML and PDF of report notebooks (the PDF in
    ``pdf_pool``, a process of its own, when given)."""
    outputs = []
    if P["report.review"]:
        render.write_html(out_nb, out_nb.with_suffix(".html"), title=job.label, lang=job.lang or "ru", reader=False)
        outputs.append(f"review/{job.label}.html")
    if job.report is not None:
        title = TITLES.get(job.report, {}).get(job.lang, job.report)
        html_path = render.write_html(out_nb, staging / f"{job.report}.{job.lang}.html", title=title, lang=job.lang,
                                      reader=True)
        outputs.append(html_path.name)
        if P["report.pdf"]:
            pdf_path = staging / f"{job.report}.{job.lang}.pdf"
            if pdf_pool is None:
                render.html_to_pdf(html_path, pdf_path)
            else:
                pdf_pool.submit(render.html_to_pdf, html_path, pdf_path).result()
            outputs.append(f"{job.report}.{job.lang}.pdf")
    return outputs


def _pdf_pool(P: Params, jobs: list[Job]) -> ProcessPoolExecutor | None:
    """Processes for the PDFs, one per worker: WeasyPrint is pure Python, and in the master it would
    share one core (the GIL) with every HTML conversion and the scheduler. The processes are
    spawned on demand (see :func:`run_stages`: when the first report notebook starts)."""
    if not P["report.pdf"] or not any(j.report for j in jobs):
        return None
    return ProcessPoolExecutor(max_workers=max(1, P["run.workers"]), mp_context=multiprocessing.get_context("spawn"))


def run_stages(P: Params, staging_dir: str | Path) -> RunSummary:
    """Run every stage and report notebook of ``config/pipeline.yaml`` into ``staging_dir``.

    A notebook starts as soon as every stage it ``needs`` has finished, on one of
    ``run.workers`` workers. A worker is free again as soon as its notebook has executed: the
    conversions (HTML in the master, PDF in a process of its own) run beside the next notebooks.
    Layout of the staging folder: ``review/<stage>.ipynb|html`` (reviewer editions, code shown),
    ``<report>.<lang>.html|pdf`` (reader editions, code hidden), ``logs/`` (kernel consoles),
    ``run_summary.json``.
    """
    staging = paths.resolve(staging_dir)
    review = staging / "review"
    jobs = plan(P, load_pipeline())
    workers = max(1, min(P["run.workers"], len(jobs)))
    lanes: queue.SimpleQueue[Lane] = queue.SimpleQueue()
    all_lanes = [Lane(i, staging / "logs", P["run.share_kernels"]) for i in range(1, workers + 1)]
    for lane in all_lanes:
        lanes.put(lane)
    summary = RunSummary()
    finished: list[str] = []
    lock = threading.Lock()

    def execute(job: Job) -> tuple[float, int]:
        lane = lanes.get()
        try:
            t0 = time.perf_counter()
            lane.execute(job.notebook, review / f"{job.label}.ipynb", job.parameters, job.label)
            return time.perf_counter() - t0, lane.index
        finally:
            lanes.put(lane)

    def convert(job: Job, t_exec: float, lane_index: int) -> None:
        t0 = time.perf_counter()
        outputs = _convert(P, job, review / f"{job.label}.ipynb", staging, pdf_pool)
        t_conv = time.perf_counter() - t0
        with lock:
            summary.timings += [StageTiming(job.label, "execute", round(t_exec, 3)),
                                StageTiming(job.label, "convert", round(t_conv, 3))]
            summary.outputs += outputs
            finished.append(job.label)
            _say(f"[{len(finished):>2}/{len(jobs)}] {job.label:<30} {t_exec:5.1f} s  (+{t_conv:.1f} s conversion, "
                 f"worker {lane_index})")

    pending = list(jobs)
    done_labels: set[str] = set()
    running: dict[Future, Job] = {}
    converting: list[Future] = []
    pdf_warm = False
    failure: BaseException | None = None
    pdf_pool = _pdf_pool(P, jobs)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool, ThreadPoolExecutor(max_workers=workers) as conversions:
            while (pending and failure is None) or running:
                if failure is None:
                    for job in [j for j in pending if all(_stage_done(n, jobs, done_labels) for n in j.needs)]:
                        if len(running) >= workers:
                            break
                        pending.remove(job)
                        running[pool.submit(execute, job)] = job
                        if job.report and pdf_pool is not None and not pdf_warm:  # the PDF processes import while it runs
                            for _ in range(workers):
                                pdf_pool.submit(render.warm_up_pdf)
                            pdf_warm = True
                if not running:
                    raise RuntimeError(f"config/pipeline.yaml: circular needs among {[j.stage for j in pending]}")
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    job = running.pop(fut)
                    exc = fut.exception()
                    if exc is not None and failure is None:
                        failure = exc
                    elif exc is None:
                        done_labels.add(job.label)
                        converting.append(conversions.submit(convert, job, *fut.result()))
            for fut in converting:  # every conversion of the executed notebooks, also after a failure
                exc = fut.exception()
                if exc is not None and failure is None:
                    failure = exc
    finally:
        for lane in all_lanes:
            lane.close()
        if pdf_pool is not None:
            pdf_pool.shutdown(cancel_futures=True)
    if failure is not None:
        raise failure
    order = {j.label: i for i, j in enumerate(jobs)}
    summary.timings.sort(key=lambda t: (order[t.step], t.kind != "execute"))
    summary.outputs.sort()
    (staging / "run_summary.json").write_text(summary.to_json(), encoding="utf-8")
    return summary


def _stage_done(stage: str, jobs: list[Job], done_labels: set[str]) -> bool:
    """A stage is done when every execution of it (all languages of a report) has finished."""
    return all(j.label in done_labels for j in jobs if j.stage == stage)


def summary_table(summary: RunSummary):
    """Per-step wall times as a table (shown at the end of the master notebook)."""
    import pandas as pd

    df = pd.DataFrame([asdict(t) for t in summary.timings])
    return df.pivot_table(index="step", columns="kind", values="seconds", aggfunc="sum", sort=False).reset_index()
