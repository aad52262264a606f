"""Engine choice for the cleaning stage: Polars against DuckDB on two representative steps.

Usage (in a throwaway virtualenv, so the project's ``.venv`` is not changed)::

    python3 -m venv /tmp/engine-venv
    /tmp/engine-venv/bin/pip install polars duckdb pyarrow pandas pandera python-calamine psutil \
        pyyaml openpyxl 'ibis-framework[duckdb]'
    /tmp/engine-venv/bin/python benchmarks/engine_choice/measure.py [--sizes 1000000] [--repeat 5] [--json FILE]
    /tmp/engine-venv/bin/python benchmarks/engine_choice/measure.py --sizes 10000000 --repeat 3 --engines polars
    /tmp/engine-venv/bin/python benchmarks/engine_choice/measure.py --check 1000000  # same output from both?

The input is one Google-Forms export of the population survey (``population_ru.csv`` shape), made by
the project's own generator (``benchmarks/run.py``: duplicates, test and empty rows, a broken
timestamp, label case/space noise, region spellings, "Other" texts with e-mails and phones) plus
invisible characters (zero-width space, soft hyphen, BOM, word joiner), e-mails in other case with
spaces, and timestamps outside the fieldwork period. 10 M rows are the 1 M file ten times, with the
e-mails of each copy made distinct. Files go to ``--data-dir`` (default /tmp/engine_choice), not into
the repository.

Every measurement runs in a fresh subprocess (``ru_maxrss`` is then its own peak, imports included);
wall and CPU times exclude interpreter start and imports. One warm-up round (file in the page cache),
then ``--repeat`` rounds, the measurements in a new random order each round; the table gives the
median, the fastest run, user and system CPU time and every run's wall time (the machine is shared:
other work shows up as slow runs).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import importlib.util
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CODEBOOK = ROOT / "config" / "codebooks" / "population.yaml"
REGIONS = ROOT / "config" / "regions.yaml"
SEED = 2021
GEN_VERSION = "1"  # bump when the generated file changes

# --- parameters: plain data from config/, the same for both engines ------------------------------

EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
IIN = r"\b\d{12}\b"
PHONE = r"(?:\+7|8|7)?[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b"


@dataclass(frozen=True)
class Params:
    """What the cleaning steps need to know about one export, read from the codebook and region list."""

    columns: dict[str, str]  # export header → column name (question id, timestamp_text, email)
    single: list[str]  # single-choice and Likert questions (label → code)
    numbers: list[str]  # whole-number questions
    multi: dict[str, list[tuple[str, str]]]  # multi-select question → (code, label in the export's language)
    labels: list[tuple[str, str, str]]  # (question, label, code): every language, aliases, region spellings
    codes: dict[str, list[str]]  # question → its option codes
    timestamp_formats: list[str]
    period: tuple[dt.datetime, dt.datetime]  # fieldwork, [start, end)
    masks: list[tuple[str, str]]  # (regex, placeholder) applied to reported values

    @property
    def answers(self) -> list[str]:
        return [*self.single, *self.numbers, *self.multi]

    @property
    def multi_columns(self) -> list[str]:
        return [f"{q}__{code}" for q, options in self.multi.items() for code, _ in options] + [f"{q}__other_text" for q in self.multi]

    @property
    def core_columns(self) -> list[str]:
        return ["source_row", "submitted_at", *self.single, *self.numbers, *self.multi_columns]


def load_params(lang: str = "ru") -> Params:
    import yaml

    cb = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    regions = yaml.safe_load(REGIONS.read_text(encoding="utf-8"))["regions"]
    questions = [q for q in cb["questions"] if q["type"] in ("single", "likert", "number", "multi")]
    single = [q for q in questions if q["type"] in ("single", "likert")]
    labels = [(q["id"], label, o["code"]) for q in single for o in q["options"] for label in (o["ru"], o["kk"], *o.get("aliases", []))]
    labels += [("region", label, r["code"]) for r in regions for label in (r["ru"], r["kk"], r["en"], *r["abbr"], *r["aliases"])]
    return Params(
        columns={cb["timestamp_header"][lang]: "timestamp_text", cb["email_header"][lang]: "email", **{q[lang]: q["id"] for q in questions}},
        single=[q["id"] for q in single],
        numbers=[q["id"] for q in questions if q["type"] == "number"],
        multi={q["id"]: [(o["code"], o[lang]) for o in q["options"]] for q in questions if q["type"] == "multi"},
        labels=labels,
        codes={q["id"]: [o["code"] for o in q["options"]] for q in single},
        timestamp_formats=["%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S"],
        period=(dt.datetime(2021, 5, 1), dt.datetime(2021, 12, 1)),
        masks=[(EMAIL, "[e-mail]"), (IIN, "[IIN]"), (PHONE, "[phone]")],
    )


# --- the input file ------------------------------------------------------------------------------


def _project_generator():
    """``benchmarks/run.py`` of the project, as a module (its ``_messy_export`` makes the export)."""
    sys.path.insert(0, str(ROOT / "src"))
    spec = importlib.util.spec_from_file_location("project_benchmark", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _more_mess(frame, seed: int):
    """Invisible characters in answers, e-mails in other case with spaces, timestamps outside the period."""
    import numpy as np

    r = np.random.default_rng([seed, len(frame), 7])
    cols = list(frame.columns)
    ts_col, email_col, answer_cols = cols[0], cols[1], cols[2:]
    for c in answer_cols:
        v = frame[c]
        given = v.notna() & v.ne("")
        u = r.random(len(frame))
        v = v.where(~(given & (u < 0.002)), "\u200b" + v)  # zero-width space before
        v = v.where(~(given & (u >= 0.002) & (u < 0.004)), v + "\u2060")  # word joiner after
        v = v.where(~(given & (u >= 0.004) & (u < 0.005)), "\ufeff" + v)  # BOM before
        v = v.where(~(given & (u >= 0.005) & (u < 0.006)), v.str.slice(0, 3) + "\u00ad" + v.str.slice(3))  # soft hyphen inside
        frame[c] = v
    e = frame[email_col]
    u = r.random(len(frame))
    frame[email_col] = e.where(~(e.notna() & (u < 0.01)), " " + e.str.upper() + " ")
    out = r.choice(len(frame), size=max(2, len(frame) // 10_000), replace=False)
    frame.loc[out, ts_col] = np.where(np.arange(len(out)) % 2 == 0, "15.03.2020 10:00:00", "02.01.2022 9:05:00")
    return frame


def export_file(size: int, data_dir: Path) -> Path:
    """The generated export of ``size`` responses (written once, reused while its stamp matches)."""
    path = data_dir / f"population_ru_{size}.csv"
    stamp = path.with_suffix(".stamp")
    key = f"{GEN_VERSION} {size} {SEED}"
    if path.is_file() and stamp.is_file() and stamp.read_text() == key:
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if size > 1_000_000 and size % 1_000_000 == 0:  # copies of the 1 M file, each with its own e-mails
        lines = export_file(1_000_000, data_dir).read_bytes().split(b"\r\n", 1)
        with path.open("wb") as f:
            f.write(lines[0] + b"\r\n")
            for k in range(size // 1_000_000):
                f.write(lines[1].replace(b"@", b"@c%d." % k) if k else lines[1])
    else:
        bench = _project_generator()
        from helpers.clean.codebook import load_codebook
        from helpers.demo.writers import write_csv

        frame = bench._messy_export(load_codebook(CODEBOOK), size, "ru", SEED)
        write_csv(_more_mess(frame, SEED), path)
    stamp.write_text(key)
    print(f"  generated {path} in {time.perf_counter() - t0:.1f} s", flush=True)
    return path


# --- one measurement (in a fresh process) ------------------------------------------------------

ENGINES = ("polars", "duckdb")
MODES = ("step1", "steps", "validate")  # step 1 alone; steps 1+2 and the handoff to pandas; + pandera


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> tuple[float, float]:
    """User and system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def child(engine: str, mode: str, path: Path) -> dict:
    """Run one measurement; wall times after the imports."""
    t0 = time.perf_counter()
    import pandas as pd
    import pyarrow.csv

    if engine in ENGINES:
        sys.path.insert(0, str(HERE))
        steps = __import__(f"{engine}_steps")
        p = load_params()
    import_s, base_mb, cpu0 = time.perf_counter() - t0, _peak_mb(), _cpu_s()
    times, counts = {}, {}
    t = time.perf_counter()
    if engine == "pyarrow":  # the reference of the 5x budget
        rows = pyarrow.csv.read_csv(path).num_rows
    elif engine == "pandas":  # the project's bare read, as benchmarks/run.py measures it
        rows = len(pd.read_csv(path, engine="pyarrow"))
    elif engine == "polars":
        coded = steps.coded_export(path, p).collect()
        times["step1_s"] = time.perf_counter() - t
        rows = coded.height
        if mode in ("steps", "validate"):
            t = time.perf_counter()
            marked = steps.mark_duplicates(coded.lazy()).collect()
            times["step2_s"] = time.perf_counter() - t
            t = time.perf_counter()
            core, rejected = steps.core_table(marked, p), steps.rejected_rows(marked)
            times["to_pandas_s"] = time.perf_counter() - t
            counts = {"kept": len(core), "not_kept": len(rejected)}
            if mode == "validate":
                t = time.perf_counter()
                steps.validate(marked, p)
                times["validate_s"] = time.perf_counter() - t
    else:
        import duckdb

        con = duckdb.connect()
        steps.coded_export(con, path, p).to_table("coded")
        times["step1_s"] = time.perf_counter() - t
        rows = len(con.table("coded"))
        if mode in ("steps", "validate"):
            t = time.perf_counter()
            steps.mark_duplicates(con.table("coded")).to_table("marked")
            times["step2_s"] = time.perf_counter() - t
            t = time.perf_counter()
            marked = con.table("marked")
            core, rejected = steps.core_table(marked, p), steps.rejected_rows(marked).to_arrow_table()
            times["to_pandas_s"] = time.perf_counter() - t
            counts = {"kept": len(core), "not_kept": len(rejected)}
            if mode == "validate":
                t = time.perf_counter()
                steps.validate(con, "marked", p)
                times["validate_s"] = time.perf_counter() - t
    wall = time.perf_counter() - t0 - import_s
    (user0, sys0), (user1, sys1) = cpu0, _cpu_s()
    return {"engine": engine, "mode": mode, "rows": rows, **counts, "wall_s": wall, "user_s": user1 - user0, "sys_s": sys1 - sys0, **times,
            "import_s": import_s,
            "peak_rss_mb": _peak_mb(), "rss_after_import_mb": base_mb}


def measure(engine: str, mode: str, path: Path) -> dict:
    """One measurement in a fresh process. ``pyarrow-system`` is the bare read with Arrow's system
    allocator: on this VM the default (mimalloc) takes 2 MB pages whose first touch costs 1–2 s of
    system time per GB, which makes the reference read itself 2–3x slower than its CPU work."""
    env = dict(os.environ, ARROW_DEFAULT_MEMORY_POOL="system") if engine == "pyarrow-system" else None
    proc = subprocess.run([sys.executable, __file__, "--child", engine.removesuffix("-system"), mode, str(path)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} {mode} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- lines of code -------------------------------------------------------------------------------


def code_lines(path: Path) -> dict[str, int]:
    """Lines of code per section of a steps file (``# --- step 1``, ``# --- step 2``, ``# --- handoff``;
    lines before the first marker count as "shared"): no blank, comment or docstring lines."""
    text = path.read_text(encoding="utf-8")
    docstrings = set()
    for node in ast.walk(ast.parse(text)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    counts, section = {"shared": 0, "step1": 0, "step2": 0, "handoff": 0}, "shared"
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        for marker, name in (("# --- step 1", "step1"), ("# --- step 2", "step2"), ("# --- handoff", "handoff")):
            if stripped.startswith(marker):
                section = name
        if stripped and not stripped.startswith("#") and number not in docstrings:
            counts[section] += 1
    return counts


def _validation_loc(engine: str) -> int:
    """Code lines of ``core_schema`` and ``validate`` (counted apart from the rest of the handoff section)."""
    text = (HERE / f"{engine}_steps.py").read_text(encoding="utf-8")
    lines = text.splitlines()
    total = 0
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name in ("core_schema", "validate"):
            doc = node.body[0]
            skip = set(range(doc.lineno, doc.end_lineno + 1)) if isinstance(doc, ast.Expr) else set()
            total += sum(1 for i in range(node.lineno, node.end_lineno + 1)
                         if i not in skip and lines[i - 1].strip() and not lines[i - 1].strip().startswith("#"))
    return total


# --- cross-check: both engines give the same table ----------------------------------------------


def check(size: int, data_dir: Path) -> None:
    """Run both engines in this process on one file, compare every column of the marked table and
    the pandas handoff, and check that both pandera schemas pass the result and reject a bad code."""
    import duckdb
    import polars as pl

    sys.path.insert(0, str(HERE))
    import duckdb_steps
    import polars_steps

    path, p = export_file(size, data_dir), load_params()
    marked_pl = polars_steps.mark_duplicates(polars_steps.coded_export(path, p)).collect()
    con = duckdb.connect()
    duckdb_steps.mark_duplicates(duckdb_steps.coded_export(con, path, p)).to_table("marked")
    a, b = marked_pl.to_pandas(), con.table("marked").to_arrow_table().to_pandas()
    print(f"rows: polars {len(a):,}, duckdb {len(b):,}; same columns: {list(a.columns) == list(b.columns)}")
    for c in a.columns:
        differ = ~((a[c] == b[c]) | (a[c].isna() & b[c].isna()))
        if differ.any():
            first = differ.idxmax()
            print(f"  {c}: {int(differ.sum())} rows differ, e.g. row {a.at[first, 'source_row']}: {a.at[first, c]!r} vs {b.at[first, c]!r}")
    print(a.groupby(["status", "rule"], dropna=False).size().rename("rows").reset_index().to_string(index=False))
    with pl.Config(fmt_str_lengths=80, tbl_rows=20):
        print(polars_steps.rejected_rows(marked_pl).group_by("rule", maintain_order=True).head(2))
    core, core_d = polars_steps.core_table(marked_pl, p), duckdb_steps.core_table(con.table("marked"), p)
    print("core table dtypes:", dict(core.dtypes.astype(str).value_counts()), "| equal from both engines:", core.equals(core_d))
    polars_steps.validate(marked_pl, p)
    duckdb_steps.validate(con, "marked", p)
    print("pandera: the kept rows pass both schemas")
    bad = marked_pl.filter(pl.col("status") == "kept").head(3).with_columns(region=pl.lit("XXX"))
    con.register("bad_arrow", bad.to_arrow())
    con.execute("CREATE TABLE bad AS SELECT * FROM bad_arrow")
    for name, run in (("pandera.polars", lambda: polars_steps.validate(bad, p)), ("pandera.ibis", lambda: duckdb_steps.validate(con, "bad", p))):
        try:
            run()
            print(f"{name}: an unknown region code PASSED: the schema does not check")
        except Exception as e:  # pandera's SchemaError
            print(f"{name}: an unknown region code is rejected ({type(e).__name__}: {str(e).splitlines()[0][:120]})")


# --- driver --------------------------------------------------------------------------------------


def versions() -> dict:
    from importlib.metadata import version

    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "")
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024**2, 1), "cpu": cpu, "python": platform.python_version(),
            **{pkg: version(pkg) for pkg in ("polars", "duckdb", "pyarrow", "pandas", "pandera", "ibis-framework", "numpy")}}


def run(sizes: list[int], repeat: int, data_dir: Path, engines: list[str]) -> dict:
    plan = [("pyarrow", "read"), ("pyarrow-system", "read"), ("pandas", "read")] + [(e, m) for e in engines for m in MODES]
    results = {"machine": versions(), "loc": {e: code_lines(HERE / f"{e}_steps.py") for e in ENGINES}, "runs": {}}
    for size in sizes:
        path = export_file(size, data_dir)
        print(f"N = {size:,}: {path} ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        done: dict[tuple[str, str], list[dict]] = {k: [] for k in plan}
        for round_ in range(repeat + 1):  # round 0 warms the page cache and is not counted
            for engine, mode in random.Random(round_).sample(plan, len(plan)):  # a new order each round: no fixed neighbours
                r = measure(engine, mode, path)
                if round_:
                    done[(engine, mode)].append(r)
        for (engine, mode), rs in done.items():
            numbers = [k for k, v in rs[0].items() if isinstance(v, float)]
            results["runs"][f"{engine}:{mode}:{size}"] = {
                **{k: statistics.median(r[k] for r in rs) for k in numbers},
                "best_wall_s": min(r["wall_s"] for r in rs),
                "all_wall_s": [round(r["wall_s"], 2) for r in rs],
                "rows": rs[0]["rows"],
            }
        results["load_average"] = {**results.get("load_average", {}), size: Path("/proc/loadavg").read_text().split()[:3]}
        print(table(results, size), f"(1/5/15-min load average at the end: {' '.join(results['load_average'][size])}; "
              "other work on this shared machine shows up as slow runs and system CPU time)", sep="\n", flush=True)
    return results


def table(results: dict, size: int) -> str:
    """The results of one size as a markdown table: medians, with the fastest run and every run's wall time."""
    runs, loc = results["runs"], results["loc"]
    read = runs[f"pyarrow:read:{size}"]
    out = [f"N = {size:,} rows, median of {len(read['all_wall_s'])} warm runs (fresh process each; imports excluded)", "",
           "| engine | measurement | wall s | fastest s | user CPU s | system CPU s | every run, wall s | peak RSS MB | / bare read | LOC |",
           "|---|---|---:|---:|---:|---:|---|---:|---:|---:|"]

    def row(engine: str, label: str, r: dict, key: str = "wall_s", loc_: int | str = "", whole: bool = True) -> None:
        every = ", ".join(f"{x:.2f}" for x in r["all_wall_s"]) if whole else ""
        best = f"{r['best_wall_s']:.2f}" if whole else ""
        cpu = f"{r['user_s']:.2f} | {r['sys_s']:.2f}" if whole else " | "
        peak = f"{r['peak_rss_mb']:.0f}" if whole else ""
        out.append(f"| {engine} | {label} | {r[key]:.2f} | {best} | {cpu} | {every} | {peak} | {r[key] / read['wall_s']:.1f} | {loc_} |")

    row("pyarrow", "`pyarrow.csv.read_csv` (the budget's reference)", read)
    row("pyarrow", "the same, Arrow's system allocator (`ARROW_DEFAULT_MEMORY_POOL=system`)", runs[f"pyarrow-system:read:{size}"])
    row("pandas", "`pandas.read_csv(engine=\"pyarrow\")` (what `benchmarks/run.py` calls the bare read)", runs[f"pandas:read:{size}"])
    for engine in ENGINES:
        if f"{engine}:steps:{size}" not in runs:
            continue
        step1, steps, valid = (runs[f"{engine}:{m}:{size}"] for m in MODES)
        n, n_valid = loc[engine], _validation_loc(engine)
        row(engine, "step 1: read, clean, code, rule marks", step1, loc_=n["shared"] + n["step1"])
        row(engine, "step 2: duplicates (after step 1)", steps, "step2_s", n["step2"], whole=False)
        row(engine, "handoff: kept rows → pandas, rejected rows", steps, "to_pandas_s", n["handoff"] - n_valid, whole=False)
        row(engine, "**steps 1 + 2 + handoff**", steps)
        row(engine, "pandera validation of the kept rows", valid, "validate_s", n_valid, whole=False)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/engine_choice"))
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--check", type=int, metavar="N", help="compare both engines' output on an N-row file and exit")
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "MODE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        engine, mode, path = args.child
        print(json.dumps(child(engine, mode, Path(path))))
    elif args.check:
        check(args.check, args.data_dir)
    else:
        results = run(args.sizes, args.repeat, args.data_dir, args.engines)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
