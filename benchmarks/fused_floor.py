"""How fast could a survey cleaning fused into one lazy Polars query be? A feasibility measurement for the
5x budget of issue 17, not used by the workbook.

The query does the core of what stage 10 does to the two population exports of ``benchmarks/run.py``
(run that first): it parses the CSV as text, turns blank cells into nulls, and codes single and Likert
labels by the codebook (ru and kk labels). It reads ages as whole numbers and timestamps in one fixed
order, splits the checkbox cell into one flag per option, and keeps the rows that break none of three
rules (no timestamp, age out of range, a repeated e-mail). It then hashes a respondent id and writes one
parquet file.

It leaves out what the stage does beyond that:
- the short-row check and the decision on the date order;
- unknown labels, region spellings, test submissions and the 24-hour duplicate rule;
- the rejected-rows records, masking, validation and the accounting.

So the time is a floor for a fused design, not a result::

    .venv/bin/python benchmarks/fused_floor.py [--size 1000000]
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
from pathlib import Path

import polars as pl

from helpers.clean.codebook import load_codebooks

HERE = Path(__file__).resolve().parent


def export_query(path: Path, lang: str, cb: dict) -> pl.LazyFrame:
    """One export as a lazy query: parse, blanks, codes, the kept rows with a hashed respondent id."""
    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    frame = pl.scan_csv(path, schema={h: pl.String for h in header}).with_columns(
        pl.when(pl.col(h).str.strip_chars() == "").then(None).otherwise(pl.col(h)).alias(h) for h in header
    ).with_row_index("source_row", offset=2)
    email = header[1] if lang == "ru" else None  # the kk form asks no e-mail
    columns = [pl.col(header[0]).str.strptime(pl.Datetime("us"), "%d.%m.%Y %H:%M:%S", strict=False).alias("submitted_at"),
               (pl.col(email).str.to_lowercase() if email else pl.lit(None, dtype=pl.String)).alias("_email")]
    for q, h in zip(cb["questions"], header[2 if email else 1:]):
        if q["type"] in ("single", "likert"):
            labels = {o[lg]: o["code"] for o in q["options"] for lg in ("ru", "kk") if lg in o}
            columns.append(pl.col(h).str.strip_chars().replace_strict(labels, default=None, return_dtype=pl.String).alias(q["id"]))
        elif q["type"] == "number":
            columns.append(pl.col(h).cast(pl.Int64, strict=False).alias(q["id"]))
        elif q["type"] == "multi":
            columns += [pl.col(h).str.contains(o.get(lang, o["ru"]), literal=True).alias(f"{q['id']}__{o['code']}") for o in q["options"]]
    rejected = (pl.col("submitted_at").is_null() | ~pl.col("age").is_between(13, 100)
                | (pl.col("_email").is_not_null() & pl.col("_email").is_duplicated()))
    return frame.select("source_row", *columns).filter(~rejected).with_columns(respondent_id=pl.col("_email").hash(42))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000)
    size = ap.parse_args().size
    cb = load_codebooks(HERE.parent / "config")["population"]
    raw = HERE / "work" / f"n{size}" / "raw" / "surveys"
    t0, cpu0 = time.perf_counter(), os.times()
    kept = pl.concat([export_query(raw / f"population_{lang}.csv", lang, cb) for lang in ("ru", "kk")]).collect()
    with tempfile.TemporaryDirectory() as tmp:
        kept.write_parquet(Path(tmp) / "kept.parquet", compression="snappy", statistics=False)
        wall, cpu = time.perf_counter() - t0, os.times()
    print(f"n={size:,}: {kept.height:,} rows kept, wall {wall:.2f} s, CPU user {cpu.user - cpu0.user:.2f} s + "
          f"system {cpu.system - cpu0.system:.2f} s")


if __name__ == "__main__":
    main()
