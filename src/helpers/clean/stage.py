"""The two cleaning stages as functions the notebooks call: find the inputs, clean each file,
stop on unknown labels (listing all of them), then write tables, rejected rows and accounting.

Nothing is written when a file fails or a label is unknown.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from helpers.clean import CleaningError, events, journals, surveys
from helpers.clean.accounting import update_accounting, write_rejected
from helpers.clean.codebook import raise_unknown
from helpers.clean.io import read_table, stage_validated, write_table
from helpers.clean.reference import Reference, load_reference
from helpers.clean.schemas import events_schema, journal_schema, participants_schema, survey_schema

T = TypeVar("T")
R = TypeVar("R")
SURVEY_PREFIXES = ("surveys/",)
JOURNAL_PREFIXES = ("journals/", "events/", "report_2021/events_register")
REGISTER = "report_2021/events_register.csv"


@dataclass
class StageResult:
    """What a cleaning stage did: the tables it wrote, the accounting, the rejected rows, fixes.

    ``tables`` hold the rows as written; in the survey tables the answer codes and provenance
    texts are categorical (:func:`helpers.clean.io.text_frame` gives the ``str`` form of the file).
    """

    tables: dict[str, pd.DataFrame]
    accounting: pd.DataFrame
    rejected: pd.DataFrame
    region_fixes: pd.DataFrame = field(default_factory=pd.DataFrame)
    written: list[str] = field(default_factory=list)

    def rejected_summary(self) -> pd.DataFrame:
        """Rows not kept, by file and rule (the reviewer's overview)."""
        if self.rejected.empty:
            return pd.DataFrame(columns=["source_file", "rule", "reason", "rows"])
        r = self.rejected.assign(reason=self.rejected["reason"].str.replace(r" row \d+", " row N", regex=True))
        return r.groupby(["source_file", "rule", "reason"], as_index=False).size().rename(columns={"size": "rows"})


def _rel(path: Path, raw_dir: Path) -> str:
    return path.relative_to(raw_dir).as_posix()


def survey_files(raw_dir: Path, ref: Reference, fmt: str) -> list[tuple[str, str, Path]]:
    """``(survey, lang, path)`` of every export to read; a missing export stops the run."""
    out, missing = [], []
    for survey in ref.codebooks:
        for lang in ("ru", "kk"):
            p = raw_dir / "surveys" / f"{survey}_{lang}.{fmt}"
            (out if p.is_file() else missing).append((survey, lang, p))
    if missing:
        raise CleaningError("survey export(s) not found: " + ", ".join(_rel(p, raw_dir) for _, _, p in missing))
    return out


def _finish(res_list, raw_dir, processed_dir, prefixes, tables_to_write) -> tuple[pd.DataFrame, pd.DataFrame]:
    rej = []
    for source_file, res in res_list:
        write_rejected(processed_dir, source_file, res.rejected)
        if len(res.rejected):
            rej.append(res.rejected.assign(source_file=source_file))
    # stale rejected files of this stage
    rej_dir = processed_dir / "rejected"
    current = {str(Path(s).with_suffix(".csv")) for s, r in res_list if len(r.rejected)}
    if rej_dir.exists():
        for f in rej_dir.rglob("*.csv"):
            rel = f.relative_to(rej_dir).as_posix()
            if rel.startswith(prefixes) and rel not in current:
                f.unlink()
    acc = update_accounting(processed_dir, [r.accounting for _, r in res_list], prefixes)
    mine = acc.loc[acc["source_file"].str.startswith(prefixes)].reset_index(drop=True)
    rejected = pd.concat(rej, ignore_index=True) if rej else pd.DataFrame(columns=["source_file", "source_row", "rule", "reason", "column", "value"])
    return mine, rejected[["source_file", "source_row", "rule", "reason", "column", "value"]]


def in_threads(fn: Callable[[T], R], items: list[T], sizes: list[int], threads: int | None = None,
               done: Callable[[int, R], None] | None = None) -> list[R]:
    """``[fn(x) for x in items]`` run in up to ``threads`` threads (default: the CPU count), biggest first.

    Reading and cleaning spend most of their time in Arrow and numpy, which release the GIL, so the
    two large exports of a survey are cleaned side by side. Results come back in the order of
    ``items``, and when several items fail, the error of the first in that order is raised (as in a
    plain loop), so messages do not depend on timing. ``done(i, result)``, if given, is called as
    soon as item ``i`` succeeds (in the thread that ran it), so that later work can start early.
    """
    def run(i: int) -> R:
        r = fn(items[i])
        if done is not None:
            done(i, r)
        return r

    threads = min(len(items), threads or os.cpu_count() or 1)
    if threads <= 1:
        return [run(i) for i in range(len(items))]
    with ThreadPoolExecutor(max_workers=threads) as ex:
        order = sorted(range(len(items)), key=lambda i: -sizes[i])
        futures = dict(zip(order, (ex.submit(run, i) for i in order)))
        return [futures[i].result() for i in range(len(items))]


def clean_surveys(raw_dir: Path, processed_dir: Path, config_dir: Path, salt: str, fmt: str = "csv", threads: int | None = None) -> StageResult:
    """Stage 10: the eight survey exports → ``core_survey__<survey>.parquet`` ×4 (files read and cleaned in threads).

    A survey's table is written (to a temporary file, validated beside it) as soon as all its
    exports are clean, while the other exports are still being cleaned. The temporary files
    replace the tables only when every export is clean, every label known and every table valid;
    otherwise they are deleted and the first error (in file order, then unknown labels, then
    tables in codebook order) is raised, as a plain loop would.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    ref = load_reference(config_dir)
    files = survey_files(raw_dir, ref, fmt)
    schemas = {survey: survey_schema(cb, ref.region_codes, ref.band_codes) for survey, cb in ref.codebooks.items()}

    def one(item: tuple[str, str, Path]) -> surveys.ExportResult:
        survey, lang, path = item
        rel = _rel(path, raw_dir)
        return surveys.clean_export(surveys.read_export(path, rel, ref.codebooks[survey]), ref.codebooks[survey], ref, rel, lang, salt)

    targets = {survey: processed_dir / f"core_survey__{survey}.parquet" for survey in ref.codebooks}
    by_survey = {survey: [i for i, f in enumerate(files) if f[0] == survey] for survey in ref.codebooks}
    cleaned: dict[int, surveys.ExportResult] = {}
    staged: dict[str, Future] = {}
    lock = threading.Lock()

    def write(survey: str, parts: list[surveys.ExportResult]) -> tuple[Path, pd.DataFrame]:
        # each export's rows come in key order, and the ru and kk ids do not interleave: parts in
        # the order of their first id make the table's order (the writer checks, and sorts if not)
        frames = [r.clean for r in sorted(parts, key=lambda r: r.clean["response_id"].iloc[0] if len(r.clean) else "")]
        return stage_validated(frames, targets[survey], schemas[survey], ["response_id"])

    with ThreadPoolExecutor(max_workers=min(len(files), threads or os.cpu_count() or 1)) as writers:

        def done(i: int, res: surveys.ExportResult) -> None:  # the survey's last export: write its table
            survey = files[i][0]
            with lock:
                cleaned[i] = res
                parts = [cleaned[j] for j in by_survey[survey] if j in cleaned]
            if len(parts) == len(by_survey[survey]) and not any(r.unknown for r in parts):  # unknown labels stop the run
                staged[survey] = writers.submit(write, survey, parts)

        try:
            exports = in_threads(one, files, [p.stat().st_size for _, _, p in files], threads, done)
            raise_unknown([u for r in exports for u in r.unknown], "codebooks (config/codebooks)")
            written = {survey: staged[survey].result() for survey in ref.codebooks}
        except BaseException:
            for f in staged.values():  # wait for the writes under way, then delete what they wrote
                if f.exception() is None:
                    f.result()[0].unlink(missing_ok=True)
            raise
    for survey, (tmp, _) in written.items():
        tmp.replace(targets[survey])
    tables = {targets[survey].stem: table for survey, (_, table) in written.items()}  # rows in key order, answer codes categorical
    per_file = [(_rel(path, raw_dir), res) for (_, _, path), res in zip(files, exports)]
    acc, rejected = _finish(per_file, raw_dir, processed_dir, SURVEY_PREFIXES, tables)
    fixes = pd.concat([r.region_fixes for _, r in per_file], ignore_index=True)
    return StageResult(tables, acc, rejected, fixes, [f"{name}.parquet" for name in tables])


def clean_journals_events(raw_dir: Path, processed_dir: Path, config_dir: Path, salt: str, period) -> StageResult:
    """Stage 11: office journals, the event register and participant lists → three ``core_*`` tables."""
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    ref = load_reference(config_dir)
    results, unknown = [], []
    jfiles = sorted(p for p in (raw_dir / "journals").glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    if not jfiles:
        raise CleaningError(f"no consultation journals in {_rel(raw_dir / 'journals', raw_dir.parent)}")
    offices = [journals.office_of(p, ref) for p in jfiles]
    dup_off = sorted({o for o in offices if offices.count(o) > 1})
    if dup_off:
        raise CleaningError(f"two journal files for the same office: {dup_off}")
    for p in jfiles:
        rel = _rel(p, raw_dir)
        res = journals.clean_journal(read_table(p, rel), ref, rel, salt, period)
        results.append((rel, "journal", res))
        unknown += res.unknown
    reg_path = raw_dir / REGISTER
    reg = events.clean_register(read_table(reg_path, REGISTER), ref, REGISTER, salt)
    results.append((REGISTER, "events", reg))
    unknown += reg.unknown
    known = reg.clean["event_id"].tolist()
    for p in sorted(p for p in (raw_dir / "events" / "participants").glob("*") if p.suffix.lower() in (".csv", ".xlsx")):
        rel = _rel(p, raw_dir)
        res = events.clean_participants(read_table(p, rel), ref, rel, salt, events.event_of(p, known))
        results.append((rel, "participants", res))
        unknown += res.unknown
    raise_unknown(unknown, "value lists (config/journal_values.yaml, regions.yaml, social_categories.yaml)")
    cons = pd.concat([r.clean for _, k, r in results if k == "journal"], ignore_index=True)
    parts = pd.concat([r.clean for _, k, r in results if k == "participants"], ignore_index=True)
    specs = {
        "core_journal__consultations": (cons, journal_schema(ref.region_codes, ref.band_codes, ref.social_codes, ref.values), ["consultation_id"]),
        "core_events__events": (reg.clean, events_schema(ref.values), ["event_id"]),
        "core_events__participants": (parts, participants_schema(ref.region_codes, ref.band_codes, ref.social_codes, ref.values), ["event_id", "source_row"]),
    }
    for name, (df, schema, key) in specs.items():
        write_table(df, processed_dir / f"{name}.parquet", schema, key)
    acc, rejected = _finish([(rel, r) for rel, _, r in results], raw_dir, processed_dir, JOURNAL_PREFIXES, None)
    fixes = pd.concat([r.region_fixes for _, _, r in results], ignore_index=True)
    return StageResult({k: v[0] for k, v in specs.items()}, acc, rejected, fixes, [f"{k}.parquet" for k in specs])
