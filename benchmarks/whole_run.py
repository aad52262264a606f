"""Benchmark of the whole master run on the demo data, with the stage cache (warm environment).

Each repetition runs, one after the other in one sitting (the machine's speed drifts):

1. a full run (``--force``: every stage executed; default settings: 2 workers, shared kernels);
2. a re-run with nothing changed (every stage reused);
3. a re-run after one sentence is added to ``config/texts/analytic_report.ru.md``;
4. a re-run after ``analysis.suppression_threshold`` is changed in the parameters file;
5. a full run with one worker and a fresh kernel per notebook (the reference of the budget).

The run works on copies (parameters file and ``config/``) in a temporary folder, so the
repository is not touched. Medians of ``--repeat`` repetitions, the budgets of issue 20 and the
stages each change re-ran are written to ``benchmarks/whole_run.json`` and the "Whole demo run"
section of ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/whole_run.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- whole-run:start -->", "<!-- whole-run:end -->"
TEXT = "analytic_report.ru.md"
#: (name, what is measured against, budget as a share of it)
BUDGETS = {
    "nothing changed": ("full run", 0.10),
    "one text edited": ("full run", 0.40),
    "threshold changed": ("full run", None),
    "full run": ("1 worker, fresh kernels", 0.45),
    "1 worker, fresh kernels": (None, None),
}


def run(params: Path, *extra: str) -> tuple[float, dict]:
    """One run; wall seconds and the manifest's status of each stage."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "helpers", "run", "--params", str(params), *extra], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    wall = time.perf_counter() - t0
    manifest = params.parent / "reports" / "manifest.json"
    return round(wall, 2), json.loads(manifest.read_text(encoding="utf-8"))["stages"]


def repetition(work: Path, params: Path, i: int) -> dict[str, tuple[float, dict]]:
    text = work / "config" / "texts" / TEXT
    out = {"full run": run(params, "--force"), "nothing changed": run(params)}
    marker = "<!-- section: methods -->\n"
    text.write_text(text.read_text(encoding="utf-8").replace(marker, f"{marker}Предложение правки {i}. "),
                    encoding="utf-8")
    out["one text edited"] = run(params)
    source = params.read_text(encoding="utf-8")
    threshold = next(line for line in source.splitlines() if "suppression_threshold:" in line)
    params.write_text(source.replace(threshold, f"  suppression_threshold: {6 + i}"), encoding="utf-8")
    out["threshold changed"] = run(params)
    out["1 worker, fresh kernels"] = run(params, "--force", "--set", "run.workers=1", "--set", "run.share_kernels=false")
    return out


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def markdown(results: dict) -> str:
    med = {name: statistics.median(r["walls"]) for name, r in results["measurements"].items()}
    lines = [
        START, "## Whole demo run (every stage, both reports, both languages, HTML and PDF)", "",
        f"Machine: {results['machine']}. Command: `.venv/bin/python benchmarks/whole_run.py --repeat "
        f"{results['repeat']}`: each repetition runs the five measurements one after the other (side by side in "
        "one sitting), on copies of the demo parameters file and `config/`; median shown.", "",
        "| measurement | wall (median) | runs | budget | met |", "|---|---:|---|---|---|",
    ]
    for name, r in results["measurements"].items():
        against, share = BUDGETS[name]
        walls = ", ".join(f"{w:.1f}" for w in r["walls"])
        budget = met = ""
        if share is not None:
            ratio = med[name] / med[against]
            budget, met = f"≤ {share:.2f} × {against} (is {ratio:.2f})", "yes" if ratio <= share else "**no**"
        lines.append(f"| {name} | **{med[name]:.1f} s** | {walls} | {budget} | {met} |")
    lines += ["", "Stages each change re-ran (last repetition; every other stage was reused):", ""]
    for name in ("nothing changed", "one text edited", "threshold changed"):
        ran = [s for s, status in results["measurements"][name]["stages"].items() if status.startswith("ran")]
        lines.append(f"- {name}: {', '.join(ran) or 'none'}")
    return "\n".join(lines + [END])


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
    results: dict = {"machine": machine(), "repeat": args.repeat, "measurements": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "config", work / "config")
        params = work / "params.yaml"
        text = (ROOT / "config" / "params" / "demo.yaml").read_text(encoding="utf-8")
        params.write_text(text.replace("  processed_dir: data/processed", f"  processed_dir: {work / 'processed'}")
                          .replace("  reports_dir: reports", f"  reports_dir: {work / 'reports'}\n"
                                                             f"  config_dir: {work / 'config'}"), encoding="utf-8")
        run(params)  # warm the file cache and compiled bytecode
        for i in range(args.repeat):
            for name, (wall, stages) in repetition(work, params, i).items():
                entry = results["measurements"].setdefault(name, {"walls": []})
                entry["walls"].append(wall)
                entry["stages"] = stages
            print(f"repetition {i + 1}: " + ", ".join(f"{k} {v['walls'][-1]:.1f} s"
                                                      for k, v in results["measurements"].items()), flush=True)
    order = list(BUDGETS)
    results["measurements"] = {k: results["measurements"][k] for k in order}
    (ROOT / "benchmarks" / "whole_run.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                                        encoding="utf-8")
    write_section(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
