"""Benchmark of the whole master run on the demo data (warm environment).

Runs ``python -m helpers run`` in four configurations (1 or 2 workers, fresh or shared
kernels), each ``--repeat`` times, and reads the per-step times from ``reports/manifest.json``.
Also measures what a notebook costs before any of our code runs: a fresh kernel executing an
empty notebook, and one that only imports the libraries the stages use. Writes
``benchmarks/whole_run.json`` and the "Whole demo run" section of ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/whole_run.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- whole-run:start -->", "<!-- whole-run:end -->"
CONFIGS = [
    ("1 worker, fresh kernel per notebook", 1, False),
    ("2 workers, fresh kernel per notebook", 2, False),
    ("1 worker, shared kernel", 1, True),
    ("2 workers, shared kernels (default)", 2, True),
]
IMPORTS = "import pandas, numpy, seaborn, matplotlib.pyplot, statsmodels.api, pyarrow.parquet, pandera.pandas, helpers"


def run_once(workers: int, share: bool, out: Path) -> dict:
    """One whole run into ``out``; returns wall time and the manifest's step times."""
    cmd = [sys.executable, "-m", "helpers", "run", "--set", f"run.workers={workers}",
           "--set", f"run.share_kernels={str(share).lower()}",
           "--set", f"paths.processed_dir={out / 'processed'}", "--set", f"paths.reports_dir={out / 'reports'}"]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    manifest = json.loads((out / "reports" / "manifest.json").read_text(encoding="utf-8"))
    steps = manifest["steps"]
    return {
        "wall_s": round(wall, 2),
        "execute_s": round(sum(s["seconds"] for s in steps if s["kind"] == "execute"), 2),
        "convert_s": round(sum(s["seconds"] for s in steps if s["kind"] == "convert"), 2),
        "steps": steps,
    }


def notebook_overhead(repeat: int) -> dict:
    """Seconds for papermill to run an empty notebook, and an imports-only notebook, in a fresh kernel."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in (("empty", "pass"), ("imports", IMPORTS)):
            nb = nbformat.v4.new_notebook()
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            nb.cells = [nbformat.v4.new_code_cell(source)]
            path = Path(tmp) / f"{name}.ipynb"
            nbformat.write(nb, path)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                pm.execute_notebook(str(path), str(path), kernel_name="python3", progress_bar=False, cwd=str(ROOT))
                times.append(time.perf_counter() - t0)
            out[name] = round(statistics.median(times), 2)
    return out


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def markdown(results: dict) -> str:
    lines = [
        START,
        "## Whole demo run (every stage, both reports, both languages, HTML and PDF)",
        "",
        f"Machine: {results['machine']}. Command: `.venv/bin/python benchmarks/whole_run.py --repeat "
        f"{results['repeat']}` (each configuration run {results['repeat']}×, median shown; warm environment: "
        "`.venv` installed, OS file cache warm).",
        "",
        "| configuration | wall (median) | runs | notebook execution (sum) | conversions (sum) |",
        "|---|---:|---|---:|---:|",
    ]
    for r in results["configs"]:
        walls = ", ".join(f"{w:.1f}" for w in r["walls"])
        lines.append(f"| {r['name']} | **{r['wall_median']:.1f} s** | {walls} | {r['execute_median']:.1f} s | "
                     f"{r['convert_median']:.1f} s |")
    o = results["overhead"]
    n_nb = results["notebook_executions"]
    base = results["configs"][0]
    lines += [
        "",
        f"What a notebook costs before our code runs (fresh kernel, papermill, median): empty notebook "
        f"{o['empty']:.2f} s; a notebook that only imports the stages' libraries {o['imports']:.2f} s. "
        f"With a fresh kernel for each of the {n_nb} executions that is up to about {n_nb * o['imports']:.0f} s (not every stage imports all of them) of the "
        f"{base['execute_median']:.0f} s of execution in the first configuration; sharing one kernel per worker "
        "pays it once per worker. Conversions (nbconvert HTML for every notebook in the master process, WeasyPrint "
        "PDF for the four report editions in processes of their own, one per worker) are the other fixed cost; a "
        "worker starts its next notebook as soon as the previous one has executed, so conversions overlap with "
        "execution (a conversion's time includes waiting for a core and, for a PDF, for a free PDF process).",
        "",
        "Per-step times of the default configuration (last run):",
        "",
        "| step | execute s | convert s |",
        "|---|---:|---:|",
    ]
    steps = results["configs"][-1]["last_steps"]
    labels = list(dict.fromkeys(s["step"] for s in steps if s["kind"] in ("execute", "convert")))
    for label in labels:
        ex = next((s["seconds"] for s in steps if s["step"] == label and s["kind"] == "execute"), 0)
        cv = next((s["seconds"] for s in steps if s["step"] == label and s["kind"] == "convert"), 0)
        lines.append(f"| {label} | {ex:.2f} | {cv:.2f} |")
    total = next(s["seconds"] for s in steps if s["kind"] == "total")
    lines += ["", f"Master total (incl. master kernel start, manifest, swap): {total:.1f} s.", END]
    return "\n".join(lines)


def write_section(text: str) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in old and END in old:
        new = old[: old.index(START)] + text + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {"machine": machine(), "repeat": args.repeat, "configs": []}
    with tempfile.TemporaryDirectory() as tmp:
        run_once(2, True, Path(tmp) / "warmup")  # warm the file cache and compiled bytecode
        for name, workers, share in CONFIGS:
            runs = [run_once(workers, share, Path(tmp) / f"w{workers}s{int(share)}r{i}") for i in range(args.repeat)]
            results["configs"].append({
                "name": name, "workers": workers, "share_kernels": share,
                "walls": [r["wall_s"] for r in runs],
                "wall_median": statistics.median(r["wall_s"] for r in runs),
                "execute_median": statistics.median(r["execute_s"] for r in runs),
                "convert_median": statistics.median(r["convert_s"] for r in runs),
                "last_steps": runs[-1]["steps"],
            })
            print(f"{name}: {results['configs'][-1]['walls']}", flush=True)
        results["notebook_executions"] = sum(1 for s in runs[-1]["steps"] if s["kind"] == "execute")
    results["overhead"] = notebook_overhead(args.repeat)
    (ROOT / "benchmarks" / "whole_run.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                                        encoding="utf-8")
    write_section(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
