"""The personal-data masker: recall and clean answers altered on the labelled corpus, and its cost.

Usage::

    .venv/bin/python benchmarks/pii_masker.py [--sizes 10000 100000] [--no-write]

Figures: the same as tests/unit/test_pii_masker.py (tests/pii_corpus/measure.py says how an item
counts as found), on the whole corpus and on each of its parts, then with the planted names
passed as known names (as the journal cleaning passes the names of its name columns).
Timing: ``helpers.clean.pii.mask_text`` on N distinct realistic answers (tests/pii_corpus/build.py,
half with planted data, clean journal notes of one to four sentences), in this process after a
first call that loads the models; the load itself is timed in a fresh process. The generated block of
benchmarks/PII.md (between the ``pii-masker`` markers) is rewritten unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.clean import masking  # noqa: E402
from helpers.clean import ner  # noqa: E402
from helpers.clean.pii import mask_text  # noqa: E402
from pii_corpus import build, measure  # noqa: E402

PII_MD = HERE / "PII.md"
START, END = "<!-- pii-masker:start -->", "<!-- pii-masker:end -->"


def figures() -> list[str]:
    rows = build.read()
    out = ["| set | answers | phone | IIN | e-mail | name | clean answers altered | words lost beside planted items |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    parts = [("whole corpus", rows, ())] + [(f"part «{p}»", [r for r in rows if r["part"] == p], ()) for p in ("main", "holdout")]
    planted_names = tuple({r["text"][s["start"] : s["end"]] for r in rows for s in r["spans"] if s["kind"] == "name"})
    parts.append(("whole corpus, planted names known", rows, planted_names))
    for label, sub, names in parts:
        f = measure.measure(sub, names)
        print(f"{label}:\n  " + "\n  ".join(f.lines()))
        for kind, item, masked in f.misses:
            print(f"  missed {kind}: {item!r} in {masked!r}")
        cells = [f"{f.recall(k):.1%} ({f.found[k]}/{f.planted[k]})" for k in measure.KINDS]
        out.append(f"| {label} | {len(sub)} | " + " | ".join(cells) + f" | {f.altered_rate:.1%} ({f.altered}/{f.clean}) | "
                   f"{f.words_lost / max(f.words, 1):.1%} ({f.words_lost}/{f.words}) |")
    return out


FIRST_CALL = """
import time
t = time.perf_counter()
from helpers.clean.masking import mask
imported = time.perf_counter() - t
mask("Встреча с Жанболатом прошла в Ушарале, звонил 8 701 123 45 67")  # word lists, dictionary, NER model
print(imported, time.perf_counter() - t - imported)
"""


def timing(sizes: list[int]) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    imported, load = map(float, subprocess.run([sys.executable, "-c", FIRST_CALL], env=env, capture_output=True, text=True, check=True).stdout.split())
    print(f"fresh process: import {imported:.2f} s, first call (loads the word lists, pymorphy3's dictionary, natasha's NER) {load:.2f} s")
    masking.mask("Встреча с Жанболатом прошла в Ушарале")  # loaded here too before timing
    out = [f"In a fresh process: import {imported:.2f} s; the first call, which loads the word lists, pymorphy3's dictionary and "
           f"natasha's NER model, **{load:.2f} s**. Then, in one process:", "",
           "| distinct answers | mask_text s | µs per answer | answers NER ran on |", "|---:|---:|---:|---:|"]
    for n in sizes:
        texts = pl.Series([r["text"] for r in build.answers(n, seed=n, distinct=True)], dtype=pl.String)
        spans, runs = ner.person_spans, [0]

        def counted(text: str, spans=spans, runs=runs):
            runs[0] += 1
            return spans(text)

        ner.person_spans = counted
        try:
            t = time.perf_counter()
            mask_text(texts)
            took = time.perf_counter() - t
        finally:
            ner.person_spans = spans
        print(f"{n:>9,} distinct answers: {took:.2f} s ({took / n * 1e6:.0f} µs each), NER on {runs[0]:,} ({runs[0] / n:.1%})")
        out.append(f"| {n:,} | {took:.2f} | {took / n * 1e6:.0f} | {runs[0]:,} ({runs[0] / n:.1%}) |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/PII.md as it is")
    args = ap.parse_args()
    block = ["", f"Measured by `benchmarks/pii_masker.py` on {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}.", "", "### Recall and clean answers altered", "", *figures(), "",
             "### Cost", "", *timing(args.sizes), ""]
    if not args.no_write:
        text = PII_MD.read_text(encoding="utf-8")
        head, _, rest = text.partition(START)
        PII_MD.write_text(head + START + "\n".join(block) + END + rest.partition(END)[2], encoding="utf-8")
        print(f"written: {PII_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
