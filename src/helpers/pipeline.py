"""One run: execute every stage notebook with papermill (in-process), then convert the results.

Called from the master notebook ``notebooks/00_run_all.ipynb``. Everything is written into a
staging folder; the command line (:mod:`helpers.cli`) swaps it into ``reports/`` only when the
whole run succeeded, so a failed run never destroys the last good reports.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import papermill as pm
import yaml
from jupyter_client.manager import AsyncKernelManager

from helpers import paths
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
    return yaml.safe_load(path.read_text(encoding="utf-8"))


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


def execute(nb: str, out_nb: Path, parameters: dict, label: str) -> None:
    """Execute one notebook with papermill; on error raise :class:`StageFailed` naming the cell."""
    out_nb.parent.mkdir(parents=True, exist_ok=True)
    try:
        pm.execute_notebook(
            str(paths.NOTEBOOKS / nb),
            str(out_nb),
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(paths.ROOT),
            progress_bar=False,
            log_output=False,
            kernel_manager_class=kernel_manager(out_nb.parent.parent / "logs" / f"{label}.kernel.log"),
        )
    except pm.PapermillExecutionError as exc:
        raise StageFailed(
            f"stage {label} ({paths.relative_to_root(paths.NOTEBOOKS / nb)}) failed in cell {exc.cell_index} "
            f"(execution count {exc.exec_count}): {exc.ename}: {exc.evalue} — the executed notebook with "
            f"the error is kept at {out_nb}"
        ) from None


def run_stages(P: Params, staging_dir: str | Path) -> RunSummary:
    """Run every stage and report notebook of ``config/pipeline.yaml`` into ``staging_dir``.

    Layout of the staging folder: ``review/<stage>.ipynb|html`` (reviewer editions, code shown),
    ``<report>.<lang>.html|pdf`` (reader editions, code hidden), ``run_summary.json``.
    """
    staging = paths.resolve(staging_dir)
    review = staging / "review"
    cfg = load_pipeline()
    langs: list[str] = P["languages"]
    base_params = P.as_notebook_parameters()
    jobs: list[tuple[str, str, dict, str | None, str | None]] = [
        (s["notebook"], Path(s["notebook"]).stem, base_params, None, None) for s in cfg["stages"]
    ]
    for rep in cfg["reports"]:
        for lang in langs:
            jobs.append((rep["notebook"], f"{Path(rep['notebook']).stem}.{lang}", {**base_params, "lang": lang},
                         rep["name"], lang))
    summary = RunSummary()
    total = len(jobs)
    for i, (nb, label, parameters, report_name, lang) in enumerate(jobs, start=1):
        t0 = time.perf_counter()
        out_nb = review / f"{label}.ipynb"
        execute(nb, out_nb, parameters, label)
        dt = time.perf_counter() - t0
        summary.timings.append(StageTiming(label, "execute", round(dt, 3)))
        _say(f"[{i:>2}/{total}] {label:<34} {dt:6.1f} s")
        t0 = time.perf_counter()
        if P["report.review"]:
            render.write_html(out_nb, review / f"{label}.html", title=label, lang=lang or "ru", reader=False)
            summary.outputs.append(f"review/{label}.html")
        if report_name is not None:
            title = TITLES.get(report_name, {}).get(lang, report_name)
            html_path = render.write_html(out_nb, staging / f"{report_name}.{lang}.html", title=title, lang=lang,
                                          reader=True)
            summary.outputs.append(html_path.name)
            if P["report.pdf"]:
                render.html_to_pdf(html_path, staging / f"{report_name}.{lang}.pdf")
                summary.outputs.append(f"{report_name}.{lang}.pdf")
        summary.timings.append(StageTiming(label, "convert", round(time.perf_counter() - t0, 3)))
    (staging / "run_summary.json").write_text(summary.to_json(), encoding="utf-8")
    return summary


def summary_table(summary: RunSummary):
    """Per-step wall times as a table (shown at the end of the master notebook)."""
    import pandas as pd

    df = pd.DataFrame([asdict(t) for t in summary.timings])
    return df.pivot_table(index="step", columns="kind", values="seconds", aggfunc="sum", sort=False).reset_index()
