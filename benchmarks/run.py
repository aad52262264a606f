"""Scaling benchmark: a national-scale population survey through the cleaning stage and aspect 1.

Usage (``make bench`` runs the default)::

    .venv/bin/python benchmarks/run.py [--sizes 10000 100000 1000000] [--repeat 3]

For every size N it writes population-survey exports in the real Google-Forms CSV format into
``benchmarks/work/n<N>/raw/surveys/`` — ``population_ru.csv`` (with the e-mail column) and
``population_kk.csv``, N/2 responses each, the way cleaning consumes real exports — with the
usual messiness (duplicate submissions, test submissions, bad ages, a broken timestamp, empty
rows, label case/whitespace noise, region spellings from the aliases and a typo, "Other" texts
with e-mails/phones). The other three surveys' exports are the small demo files.

Then, each in a FRESH subprocess (so the peak RSS is that measurement's alone):

(a) ``read``  — bare ``pandas.read_csv(engine="pyarrow")`` of the eight exports (the floor);
(b) ``clean`` — ``helpers.clean.stage.clean_surveys`` (what notebooks/10_clean_surveys calls);
(c) ``full``  — (b) and then the aspect-1 analysis of notebooks/20_aspect1_interest (the same
    ``helpers.analysis`` calls, incl. the logistic regression; charts, the figures record and
    display are left out: their cost does not depend on N).

The three run in rounds, (a) (b) (c) in turn, ``--repeat`` rounds (default 3), so that the
machine's drift weighs on them alike; the fastest run of each is reported, with every run's time.
Wall times exclude the interpreter start and the imports (reported separately as ``import_s``; (c) imports
the analysis after the cleaning, as notebook 20's kernel does, never notebook 10's);
peak RSS is the child's peak (``VmHWM``), imports included (the baseline after imports is reported too),
plus the peak of the NER worker process the cleaning starts (:mod:`helpers.clean.ner`).
Results go to ``benchmarks/RESULTS.md`` and ``benchmarks/results.json``. The section
"Whole demo run" of RESULTS.md (between the ``whole-run`` markers, written by
``benchmarks/whole_run.py``) is kept as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
RESULTS_MD = HERE / "RESULTS.md"
RESULTS_JSON = HERE / "results.json"
PARAMS_FILE = ROOT / "config" / "params" / "demo.yaml"
GEN_VERSION = "2"  # bump when the generated exports change
WHOLE_RUN_START = "<!-- whole-run:start -->"  # the markers benchmarks/whole_run.py writes between
WHOLE_RUN_END = "<!-- whole-run:end -->"
MODES = ("read", "clean", "full")
#: pyarrow's memory pool in every measurement (the floor's reader and the analysis alike). Its default here,
#: mimalloc, hands freed memory back to the OS at once; on a virtual machine whose host reclaims freed
#: pages every new touch faults to the host, and the bare read at 1 M took 1.7–3.3 s (0.8 s user, 2.3–5.1 s
#: system) against 0.68 s (0.8 s user, 0.4 s system) with the C library's allocator: the floor measured
#: the host, not the read. ``ARROW_DEFAULT_MEMORY_POOL`` set in the environment wins.
ARROW_POOL = os.environ.get("ARROW_DEFAULT_MEMORY_POOL", "system")


# --- generation ------------------------------------------------------------------------------


def _messy_export(cb: dict, n: int, lang: str, seed: int):
    """A population export of exactly ``n`` rows in ``lang`` with the usual messiness (a frame of text)."""
    import numpy as np
    import pandas as pd

    from helpers.clean.regions import keys as region_keys
    from helpers.clean.regions import load_regions
    from helpers.clean.regions import lookup as region_lookup
    from helpers.demo.common import emails
    from helpers.demo.surveys import base_answers, export_frame, format_timestamp, timestamps

    r = np.random.default_rng([seed, n, 0 if lang == "ru" else 1])
    with_email = lang == "ru"
    n_dup, n_test, n_badage, n_badts, n_empty = max(3, n // 200), max(1, n // 2000), max(2, n // 2000), max(1, n // 20000), max(1, n // 5000)
    n_valid = n - n_dup - n_test - n_badage - n_badts - n_empty
    ans = base_answers(cb, n_valid, r)
    ts = timestamps(r, n_valid)
    if with_email:
        ans["__email"] = emails(r, n_valid)
    frame, style = export_frame(cb, ans, ts, lang, r, with_email)
    cols = list(frame.columns)
    ts_col = cols[0]
    email_col = cols[1] if with_email else None
    q = {x["id"]: x for x in cb["questions"]}
    age_col, multi_col, region_col = q["age"][lang], q["info_sources"][lang], q["region"][lang]
    answer_cols = [c for c in cols if c not in (ts_col, email_col)]
    ts = pd.Series(pd.to_datetime(frame[ts_col]).to_numpy())
    frame[ts_col] = ""

    def rows(k: int):
        idx = r.choice(n_valid, size=k, replace=False)
        return frame.iloc[idx].copy().reset_index(drop=True), ts.iloc[idx].reset_index(drop=True)

    def unique_mail(part, tag: str):
        if with_email:
            part[email_col] = [f"{tag}{i}.{lang}@inbox.kz" for i in range(len(part))]
        return part

    parts, part_ts, bad_ts_text = [frame], [ts], []
    d, dts = rows(n_dup)  # the same respondent again minutes later (ru: same e-mail; kk: identical answers)
    parts.append(d)
    part_ts.append(dts + pd.to_timedelta(r.integers(3, 90, n_dup), unit="min"))
    t, tts = rows(n_test)  # test submissions
    if with_email:
        t[email_col] = "test@test.kz"
    else:
        t[multi_col] = "тест"
    parts.append(t)
    part_ts.append(tts - pd.Timedelta(seconds=5))
    b, bts = rows(n_badage)  # a number question holding text / out of range
    b[age_col] = np.where(np.arange(n_badage) % 2 == 0, "тридцать пять", "7")
    parts.append(unique_mail(b, "x"))
    part_ts.append(bts + pd.Timedelta(seconds=17))
    e, ets = rows(n_empty)  # a submission with no answer at all
    e[answer_cols] = ""
    if with_email:
        e[email_col] = ""
    parts.append(e)
    part_ts.append(ets + pd.Timedelta(seconds=29))
    bt, btts = rows(n_badts)  # a broken timestamp
    parts.append(unique_mail(bt, "y"))
    part_ts.append(btts + pd.Timedelta(seconds=41))
    bad_ts_text = [False] * (len(parts) - 1)

    out = pd.concat(parts, ignore_index=True)
    all_ts = pd.concat(part_ts, ignore_index=True)
    is_bad_ts = np.zeros(len(out), dtype=bool)
    is_bad_ts[len(out) - n_badts:] = True
    del bad_ts_text
    # label noise: upper case, stray spaces, a no-break space (the key functions must absorb them)
    noisy_cols = [c for c in answer_cols if c not in (age_col, multi_col)]
    for c in noisy_cols:
        v = out[c]
        u = r.random(len(out))
        has = v.ne("") & v.notna()
        out[c] = v.where(~(has & (u < 0.01)), v.str.upper()).where(~(has & (u >= 0.01) & (u < 0.02)), "  " + v + " ").where(
            ~(has & (u >= 0.02) & (u < 0.025)), v.str.replace(" ", "\u00a0", n=1, regex=False)
        )
    # region spellings: aliases / abbreviations from config/regions.yaml and one typo
    regions = load_regions(ROOT / "config")
    lookup = region_lookup(regions)
    label_to_code = {o[lang]: o["code"] for o in q["region"]["options"]}
    spellings = {code: [] for code in label_to_code.values()}
    for reg in regions["regions"]:
        cand = [*reg.get("abbr", []), *reg.get("aliases", []), "г. " + reg["ru"] if reg["code"] in ("ALA", "NUR", "SHY") else reg["ru"]]
        keys = region_keys(cand)
        spellings.setdefault(reg["code"], []).extend(c for c, k in zip(cand, keys) if lookup.get(k) == reg["code"])
    code = out[region_col].str.strip().str.casefold().map({k.casefold(): v for k, v in label_to_code.items()})
    u = r.random(len(out))
    pick = (u < 0.03) & code.notna().to_numpy()
    alt = [spellings[c][int(x * len(spellings[c]))] if spellings.get(c) else lab for c, lab, x in zip(code[pick], out.loc[pick, region_col], r.random(int(pick.sum())))]
    out.loc[pick, region_col] = alt
    typo = (u > 0.999) & code.eq("KAR").to_numpy()
    out.loc[typo, region_col] = "Карагандинкая обл."
    # timestamps as the CSV download writes them; rows in submission order
    text_ts = format_timestamp(all_ts, style).to_numpy(dtype=object).copy()
    text_ts[is_bad_ts] = "31.02.2021 25:61:00"
    out[ts_col] = text_ts
    order = np.lexsort((np.arange(len(out)), all_ts.to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def generate(size: int, seed: int = 2021) -> Path:
    """Write (once) the raw folder of one size; returns it."""
    from helpers import paths
    from helpers.clean.codebook import load_codebook
    from helpers.demo.writers import write_csv

    raw = WORK / f"n{size}" / "raw"
    stamp = raw / ".generated"
    key = f"{GEN_VERSION} {size} {seed}"
    if stamp.is_file() and stamp.read_text() == key:
        return raw
    shutil.rmtree(raw, ignore_errors=True)
    surveys = raw / "surveys"
    surveys.mkdir(parents=True)
    for f in sorted((ROOT / "data" / "raw" / "surveys").glob("*.csv")):
        if not f.name.startswith("population_"):
            shutil.copy2(f, surveys / f.name)
    cb = load_codebook(paths.CONFIG / "codebooks" / "population.yaml")
    n_ru = size // 2
    for lang, n in (("ru", n_ru), ("kk", size - n_ru)):
        t0 = time.perf_counter()
        write_csv(_messy_export(cb, n, lang, seed), surveys / f"population_{lang}.csv")
        print(f"  generated population_{lang}.csv ({n} rows) in {time.perf_counter() - t0:.1f} s", flush=True)
    stamp.write_text(key)
    return raw


# --- what is measured ------------------------------------------------------------------------


def aspect1(processed_dir: Path, config_dir: Path, P) -> dict:
    """The computations of notebooks/20_aspect1_interest.ipynb (helpers.analysis calls, same order)."""
    import pandas as pd

    from helpers.analysis import crosstab, inputs, likert, present, regression, tables
    from helpers.analysis.labels import Codebook

    OUT, CONF, METHOD = processed_dir, P["analysis.confidence"], P["analysis.interval_method"]
    cb = Codebook.load(config_dir, "population")
    df = inputs.read_columns(OUT / "core_survey__population.parquet", ["ready", "aware", "experience", "preferred_way", "info_sources",
                             "pretrial_convenient", "region", "age_band", "sex"], extra=["form_lang", "source_file", "submitted_at"],
                             categorical=True)
    rows = pd.read_csv(OUT / "row_accounting.csv")
    rows = rows[rows["source_file"].isin(df["source_file"].unique())]
    READY_CODES = ["yes", "rather_yes"]
    ready = tables.single_choice(df["ready"], cb.codes("ready"), confidence=CONF, method=METHOD, sort=False)
    present.write_out(ready, OUT, "aspect1__ready")
    x, n = tables.pooled(ready, READY_CODES)
    aware = tables.single_choice(df["aware"], cb.codes("aware"), confidence=CONF, method=METHOD, sort=False)
    experience = tables.single_choice(df["experience"], cb.codes("experience"), confidence=CONF, method=METHOD, sort=False)
    preferred = tables.single_choice(df["preferred_way"], cb.codes("preferred_way"), confidence=CONF, method=METHOD)
    info = tables.multi_select(df, "info_sources", confidence=CONF, method=METHOD)
    for name, t in [("aware", aware), ("experience", experience), ("preferred_way", preferred), ("info_sources", info)]:
        present.write_out(t, OUT, f"aspect1__{name}")
    SCALE = [c for c in cb.codes("pretrial_convenient") if c != "dont_know"]
    conv = likert.likert_table(df, ["pretrial_convenient"], SCALE, confidence=CONF)
    present.write_out(conv, OUT, "aspect1__convenient")
    sub = df[["region", "age_band", "sex", "form_lang"]].assign(ready_flag=df["ready"].isin(READY_CODES).astype("boolean").where(df["ready"].notna()))
    answered = sub.dropna(subset=["ready_flag"])
    ORDERS = {"region": cb.codes("region"), "age_band": cb.codes("age_band"), "sex": cb.codes("sex"), "form_lang": ["ru", "kk"]}
    by, tests_rows = [], []
    for var, order in ORDERS.items():
        b = crosstab.breakdown(sub, var, "ready_flag", order=order, confidence=CONF, method=METHOD)
        by.append(b.assign(variable=var))
        res = crosstab.chi_square(crosstab.counts(answered, var, "ready_flag"))
        tests_rows.append({"variable": var, **res.as_dict()})
    by = pd.concat(by, ignore_index=True)
    present.write_out(by, OUT, "aspect1__ready_by")
    present.write_out(pd.DataFrame(tests_rows), OUT, "aspect1__ready_tests")
    model_df = sub.assign(region=regression.collapse_rare(sub["region"], P["analysis.min_level_n"]))
    fit = regression.logit_odds_ratios(model_df, "ready_flag", ["sex", "age_band", "form_lang", "region"], confidence=CONF)
    present.write_out(fit.table, OUT, "aspect1__logit")
    return {"respondents": len(df), "ready_pct": round(100 * x / n, 1), "logit_n": fit.n, "logit_converged": fit.converged,
            "rows_in": int(rows["rows_in"].sum())}


def peak_rss_mb(pid: int | str = "self") -> float:
    """The process's peak resident set (``VmHWM``: unlike ``ru_maxrss``, not inherited across fork and exec), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def _clock() -> tuple[float, float, float]:
    """Wall time, and the user and system CPU of this process's threads (system: page faults among it), in s."""
    cpu = os.times()
    return time.perf_counter(), cpu.user, cpu.system


def child(mode: str, size: int) -> None:
    """One measurement in this (fresh) process; prints one JSON line."""
    t0 = time.perf_counter()
    import pandas as pd

    from helpers import params
    from helpers.clean import ner, stage

    import_s = time.perf_counter() - t0
    rss_base = peak_rss_mb()
    raw = WORK / f"n{size}" / "raw"
    processed = WORK / f"n{size}" / f"processed_{mode}"
    shutil.rmtree(processed, ignore_errors=True)
    processed.mkdir(parents=True)
    P = params.load(PARAMS_FILE)
    config_dir = P.path("config_dir") if "config_dir" in P.values["paths"] else ROOT / "config"
    info: dict = {}
    spans = []  # (start, end) clocks of the timed spans
    start = _clock()
    if mode == "read":
        def detect_encoding(data: bytes, name: str) -> str:  # the small demo exports: BOM, utf-8 or cp1251
            if data.startswith(b"\xef\xbb\xbf"):
                return "utf-8-sig"
            try:
                data.decode("utf-8")
                return "utf-8"
            except UnicodeDecodeError:
                return "cp1251"

        def detect_delimiter(line: str) -> str:
            return max((",", ";", "\t"), key=line.count)

        n_rows = 0
        for f in sorted((raw / "surveys").glob("*.csv")):
            if f.name.startswith("population_"):  # the big files: the bare call
                n_rows += len(pd.read_csv(f, engine="pyarrow"))
            else:  # the small demo exports of the other surveys (some are cp1251 with ';'): same reader, told the dialect
                data = f.read_bytes()
                enc = detect_encoding(data, f.name)
                sep = detect_delimiter(data.decode(enc).splitlines()[0])
                n_rows += len(pd.read_csv(f, engine="pyarrow", encoding="utf-8-sig" if enc == "utf-8-sig" else enc, sep=sep))
        info["rows_read"] = n_rows
    else:
        res = stage.clean_surveys(raw, processed, config_dir, P.salt(), "csv", period=(P["period.start"], P["period.end"]),
                                  margin_days=P["cleaning.fieldwork_margin_days"], max_rejected_share=P["cleaning.max_rejected_share"])
        info["rows_clean_population"] = len(res.tables["core_survey__population"])
        del res  # notebook 20 runs in a kernel of its own: the cleaning's frames are gone by then
        if mode == "full":  # ... and the cleaning's kernel never imports the analysis: imported between the spans
            spans.append((start, _clock()))
            info["clean_s"] = round(spans[0][1][0] - spans[0][0][0], 3)
            t2 = time.perf_counter()
            from helpers.analysis import crosstab, inputs, likert, present, regression, tables  # noqa: F401
            import_s += time.perf_counter() - t2
            start = _clock()
            info.update(aspect1(processed, config_dir, P))
    spans.append((start, _clock()))
    wall, user, system = (sum(end[i] - begin[i] for begin, end in spans) for i in range(3))
    info |= {"cpu_user_s": round(user, 2), "cpu_sys_s": round(system, 2)}
    peak = peak_rss_mb()
    if mode != "read":  # the NER worker process the cleaning started: its peak counts too
        info["ner_worker_peak_rss_mb"] = peak_rss_mb(ner.start().pid)
        peak += info["ner_worker_peak_rss_mb"]
    print(json.dumps({"mode": mode, "size": size, "wall_s": round(wall, 3), "import_s": round(import_s, 3),
                      "peak_rss_mb": round(peak, 1), "rss_after_import_mb": round(rss_base, 1), **info}))


# --- driver ----------------------------------------------------------------------------------


def measure(mode: str, size: int) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0", ARROW_DEFAULT_MEMORY_POOL=ARROW_POOL)
    p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", mode, "--size", str(size)],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"{mode} n={size} failed:\n{p.stderr[-4000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def machine() -> dict:
    import numpy
    import pandas
    import pyarrow

    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024**2, 1), "cpu": cpu, "os": platform.platform(),
            "python": platform.python_version(), "pandas": pandas.__version__, "numpy": numpy.__version__, "pyarrow": pyarrow.__version__,
            "arrow_pool": ARROW_POOL}


def _fmt(x: float, d: int = 2) -> str:
    return f"{x:.{d}f}"


def write_results(results: dict) -> None:
    m, runs = results["machine"], results["runs"]
    lines = [
        "# Scaling benchmark: cleaning + aspect 1 against the bare read",
        "",
        f"Generated by `{results['command']}` on {results['date']} (`make bench` runs the default sizes).",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, {m['os']}; "
        f"Python {m['python']}, pandas {m['pandas']}, numpy {m['numpy']}, pyarrow {m['pyarrow']} "
        f"(memory pool `{m.get('arrow_pool', 'default')}` in every measurement: see `ARROW_POOL` in run.py).",
        "",
        "Input per size N: `population_ru.csv` + `population_kk.csv` (N/2 responses each, Google-Forms CSV, "
        "with duplicates, test submissions, bad ages, a broken timestamp, empty rows, label and region-spelling noise) "
        "plus the six small demo exports of the other surveys. Each measurement runs in a fresh subprocess: "
        "wall time excludes interpreter start-up and imports (`import s`; (c) imports the analysis after the cleaning, "
        "as notebook 20's kernel does and notebook 10's never does); peak RSS is the child's peak (`VmHWM`, "
        "imports included) plus the peak of the NER worker process the cleaning starts (an upper bound of the two together).",
        "",
        "- (a) read: `pandas.read_csv(engine=\"pyarrow\")` of the two population exports (bare call) and of the six small demo exports (told their encoding and delimiter) — the floor",
        "- (b) clean: `helpers.clean.stage.clean_surveys` (notebook 10), incl. validation and parquet writing",
        "- (c) clean + aspect 1: (b), then the `helpers.analysis` calls of notebook 20 (tables, Likert, breakdowns, "
        "chi-square, logistic regression; charts and the figures record excluded)",
        "",
    ]
    sizes = sorted({r["size"] for r in runs.values()})
    for size in sizes:
        a, b, c = (runs[f"{mode}:{size}"] for mode in MODES)
        lines += [f"## N = {size:,} responses", "",
                  "| measurement | wall s (fastest) | every run, s | CPU user + system s | peak RSS MB | ratio to (a) | import s |",
                  "|---|---:|---|---:|---:|---:|---:|"]
        for label, r in (("(a) bare read", a), ("(b) cleaning", b), ("(c) cleaning + aspect 1", c)):
            every = ", ".join(_fmt(w) for w in r.get("all_wall_s", [r["wall_s"]]))
            cpu = f"{r['cpu_user_s']:.2f} + {r['cpu_sys_s']:.2f}" if "cpu_user_s" in r else "–"
            lines.append(f"| {label} | {_fmt(r['wall_s'])} | {every} | {cpu} | {r['peak_rss_mb']:.0f} | {_fmt(r['wall_s'] / a['wall_s'], 1)} | {_fmt(r['import_s'])} |")
        lines += ["", f"Rows kept in core_survey__population: {c.get('rows_clean_population', '?'):,}; "
                      f"of (c) {c.get('clean_s', 0):.2f} s cleaning, {c['wall_s'] - c.get('clean_s', 0):.2f} s aspect 1.", ""]
    if 100_000 in sizes and 1_000_000 in sizes:
        lines += ["## Scaling: time(1M) / time(100k)", "", "| measurement | ratio |", "|---|---:|"]
        for mode, label in zip(MODES, ("(a) bare read", "(b) cleaning", "(c) cleaning + aspect 1")):
            lines.append(f"| {label} | {_fmt(runs[f'{mode}:1000000']['wall_s'] / runs[f'{mode}:100000']['wall_s'])} |")
        c1m, a1m = runs["full:1000000"], runs["read:1000000"]
        ok_ratio = c1m["wall_s"] / a1m["wall_s"] <= 5
        peak = max(runs["clean:1000000"]["peak_rss_mb"], c1m["peak_rss_mb"])  # (b) is part of (c)'s work
        ok_rss = peak <= 1536  # 1.5 GiB (issue 17)
        ok_scale = all(runs[f"{m_}:1000000"]["wall_s"] / runs[f"{m_}:100000"]["wall_s"] <= 11 for m_ in ("clean", "full"))
        per_round = [c_ / a_ for a_, c_ in zip(a1m.get("all_wall_s", []), c1m.get("all_wall_s", []))]
        rounds = f"; round by round (c)/(a): {', '.join(f'{x:.1f}x' for x in per_round)}" if per_round else ""
        lines += ["", "Targets at 1 M responses (fastest (c) over fastest (a)):", "",
                  f"- cleaning + aspect 1 within 5x the bare read: {'met' if ok_ratio else 'NOT met'} ({c1m['wall_s'] / a1m['wall_s']:.1f}x{rounds})",
                  f"- peak RSS at most 1.5 GB (1536 MB): {'met' if ok_rss else 'NOT met'} ({peak:.0f} MB, the higher of (b) and (c))",
                  f"- 10x rows cost at most 11x time: {'met' if ok_scale else 'NOT met'}", ""]
    old = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else ""
    if WHOLE_RUN_START in old and WHOLE_RUN_END in old:
        whole = old[old.index(WHOLE_RUN_START): old.index(WHOLE_RUN_END) + len(WHOLE_RUN_END)]
    else:
        whole = "\n".join([WHOLE_RUN_START, "## Whole demo run", "",
                           "(Not measured by this script: `benchmarks/whole_run.py` writes this section from the master run "
                           "on the demo data; this script keeps whatever is between the markers.)", WHOLE_RUN_END])
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    RESULTS_MD.write_text("\n".join(lines) + "\n" + whole + "\n", encoding="utf-8")
    RESULTS_JSON.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest is reported (the machine is shared: noise)")
    ap.add_argument("--no-write", action="store_true", help="print only, do not write RESULTS.md / results.json")
    ap.add_argument("--rewrite", action="store_true", help="rebuild RESULTS.md from results.json (and NOTES.md) without measuring")
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.size)
        return
    if args.generate:
        generate(args.generate)
        return
    if args.rewrite:
        write_results(json.loads(RESULTS_JSON.read_text(encoding="utf-8")))
        print(f"rewrote {RESULTS_MD.relative_to(ROOT)} from {RESULTS_JSON.relative_to(ROOT)}")
        return
    sys.path.insert(0, str(ROOT / "src"))
    command = ".venv/bin/python benchmarks/run.py" + ("" if args.sizes == [10_000, 100_000, 1_000_000] else " --sizes " + " ".join(map(str, args.sizes)))
    if args.repeat != 3:
        command += f" --repeat {args.repeat}"
    runs = {}
    for size in args.sizes:
        print(f"N = {size}", flush=True)
        # in a process of its own: Linux keeps a process's peak RSS across fork and exec, so a parent grown
        # by the generator would hand its peak to every measurement
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--generate", str(size)], check=True)
        # rounds of (a), (b), (c) in turn, so that the machine's drift weighs on the three alike
        done: dict[str, list[dict]] = {mode: [] for mode in MODES}
        for _ in range(args.repeat):
            for mode in MODES:
                done[mode].append(measure(mode, size))
        for mode in MODES:
            best = dict(min(done[mode], key=lambda r: r["wall_s"]), all_wall_s=[r["wall_s"] for r in done[mode]])
            runs[f"{mode}:{size}"] = best
            print(f"  {mode:5s} wall {best['wall_s']:8.2f} s (runs {best['all_wall_s']})  peak RSS {best['peak_rss_mb']:7.0f} MB  "
                  f"(imports {best['import_s']:.2f} s)", flush=True)
    results = {"command": command, "date": dt.date.today().isoformat(), "machine": machine(), "runs": runs}
    if not args.no_write:
        write_results(results)
        print(f"wrote {RESULTS_MD.relative_to(ROOT)} and {RESULTS_JSON.relative_to(ROOT)}")
    else:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
