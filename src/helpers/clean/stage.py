"""The two cleaning stages as functions the notebooks call: find the inputs, clean each file,
stop on unknown labels (listing all of them), then write tables, rejected rows and accounting.

Nothing is written when a file fails or a label is unknown.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import polars as pl

from helpers.clean import CleaningError, events, handtyped, journals, name_lexicon, ner, offices, read, rules, surveys, write
from helpers.clean.accounting import update_accounting, write_rejected
from helpers.clean.codebook import raise_unknown
from helpers.clean.csv_safety import write_csv
from helpers.clean.masking import mask
from helpers.clean.reference import Reference, load_reference
from helpers.clean.schemas import events_schema, journal_schema, participants_schema, survey_schema

LOG = logging.getLogger("helpers.clean")
#: the wording each survey question was read under (written by :func:`clean_surveys`; compared between waves)
QUESTIONS = "questions.csv"



@dataclass(frozen=True)
class Inputs:
    """Where the inputs lie, relative to ``raw_dir`` (the parameters ``inputs.*``)."""

    surveys: str = "surveys"
    journals: str = "journals"
    participants: str = "events/participants"
    register: str = "events/register.csv"


@dataclass
class StageResult:
    """What a cleaning stage did: the tables it wrote, the accounting, the rejected rows, fixes.

    ``tables`` hold the rows as written (Polars; pandas reads the files with the types of
    docs/data_model.md); ``log`` the
    decisions made while reading (skipped files, date orders, sheets, encodings); ``holds`` what each
    source file holds, named by the configuration and never by the file's name (``population_ru``,
    ``journal.AKM``, ``participants.RT-01``, ``register``): the same in every wave.
    """

    tables: dict[str, pl.DataFrame]
    accounting: pd.DataFrame
    rejected: pd.DataFrame
    region_fixes: pd.DataFrame = field(default_factory=pd.DataFrame)
    written: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    holds: dict[str, str] = field(default_factory=dict)

    def rows_by_input(self) -> pd.DataFrame:
        """Rows read and kept per input (what :attr:`holds` names it; an office's several journals summed)."""
        acc = self.accounting.assign(input=self.accounting["source_file"].map(self.holds))
        return acc.groupby("input", as_index=False)[["rows_in", "rows_kept"]].sum()

    def rejected_summary(self) -> pd.DataFrame:
        """Rows not kept, by file and rule (the reviewer's overview)."""
        if self.rejected.empty:
            return pd.DataFrame(columns=["source_file", "rule", "reason", "rows"])
        r = self.rejected.assign(reason=self.rejected["reason"].str.replace(r" row \d+", " row N", regex=True))
        return r.groupby(["source_file", "rule", "reason"], as_index=False).size().rename(columns={"size": "rows"})


def _rel(path: Path, raw_dir: Path) -> str:
    return path.relative_to(raw_dir).as_posix()


def survey_files(raw_dir: Path, ref: Reference, fmt: str, log: list[str], folder: str = "surveys") -> list[tuple[str, str, Path]]:
    """``(survey, lang, path)`` of every export to read (``<survey>_<ru|kk>.<format>``): the file in
    ``fmt`` (``cleaning.survey_format``), else the one file of that name in another format (a Kobo
    XLSX beside Google Forms CSVs). Every file of the folder is read or named: another download of the
    same export is logged as not read; a missing export, two other formats and no ``fmt``, or a file
    that is no export of a known survey stop the run."""
    found, skipped = read.discover(raw_dir / folder, raw_dir)
    log += skipped
    exports = {f"{survey}_{lang}": (survey, lang) for survey in ref.codebooks for lang in ("ru", "kk")}
    strangers = [_rel(f, raw_dir) for f in found if f.stem not in exports]
    if strangers:
        raise CleaningError(f"{folder}/: file(s) that are no export of a codebook's survey (named <survey>_<ru|kk>.<format>, "
                            f"surveys: {', '.join(ref.codebooks)}): {', '.join(strangers)}")
    out, missing = [], []
    for stem, (survey, lang) in exports.items():
        files = [f for f in found if f.stem == stem]
        chosen = next((f for f in files if f.suffix.lower() == f".{fmt}"), files[0] if len(files) == 1 else None)
        if chosen is None:
            missing.append(f"{folder}/{stem}.{fmt}" + (f" (found {', '.join(f.name for f in files)}: which one?)" if files else ""))
            continue
        out.append((survey, lang, chosen))
        log += [f"{_rel(f, raw_dir)}: not read ({chosen.name} is read: cleaning.survey_format is {fmt})" for f in files if f != chosen]
    if missing:
        raise CleaningError("survey export(s) not found: " + ", ".join(missing))
    return out


def _finish(per_file: list[tuple[str, pd.DataFrame, dict]], processed_dir: Path, prefixes: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write each file's rejected rows and the stage's accounting; remove stale rejected files.
    ``per_file``: ``(source file, its rejected rows, its accounting row)``."""
    rej = []
    for source_file, rejected, _ in per_file:
        write_rejected(processed_dir, source_file, rejected)
        if len(rejected):
            rej.append(rejected.assign(source_file=source_file))
    rej_dir = processed_dir / "rejected"
    current = {str(Path(s).with_suffix(".csv")) for s, r, _ in per_file if len(r)}
    if rej_dir.exists():
        for f in rej_dir.rglob("*.csv"):
            rel = f.relative_to(rej_dir).as_posix()
            if rel.startswith(prefixes) and rel not in current:
                f.unlink()
    acc = update_accounting(processed_dir, [a for _, _, a in per_file], prefixes)
    mine = acc.loc[acc["source_file"].str.startswith(prefixes)].reset_index(drop=True)
    rejected = pd.concat(rej, ignore_index=True) if rej else pd.DataFrame(columns=["source_file", "source_row", "rule", "reason", "column", "value"])
    return mine, rejected[["source_file", "source_row", "rule", "reason", "column", "value"]]


def _write_surveys(results: list[tuple[str, str, surveys.ExportResult]], ref: Reference,
                   processed_dir: Path) -> dict[str, pl.DataFrame]:
    """Each survey's exports as one table, its free texts masked (the name models have loaded meanwhile), all
    validated, then written."""
    frames = {}
    for survey, cb in ref.codebooks.items():
        frame = pl.concat([r.clean for s, _, r in results if s == survey], how="vertical_relaxed")
        frames[survey] = surveys.mask_free_texts(frame, cb)
    schemas = {survey: survey_schema(cb, ref.region_codes, ref.band_codes) for survey, cb in ref.codebooks.items()}
    for survey, frame in frames.items():
        write.validate(frame, schemas[survey], f"core_survey__{survey}", mask)
    return {f"core_survey__{survey}": write.write_table(frame, processed_dir / f"core_survey__{survey}.parquet", schemas[survey])
            for survey, frame in frames.items()}


def clean_surveys(raw_dir: Path, processed_dir: Path, config_dir: Path, salt: str, fmt: str = "csv", *,
                  period: tuple[dt.date, dt.date], margin_days: int = 7, max_rejected_share: float = 0.5,
                  inputs: Inputs = Inputs()) -> StageResult:
    """Stage 10: the eight survey exports → ``core_survey__<survey>.parquet`` ×4.

    Every export is read and cleaned, a file that loses more than ``max_rejected_share`` of its rows
    stops the run, then every unknown label of every file is listed at once; only when all tables are
    valid are they written. Timestamps outside ``period`` ± ``margin_days`` are rejected.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    ner.start()  # the name masker's models, loaded while the exports are read
    name_lexicon.load()
    ref = load_reference(config_dir, period)
    results = []
    log: list[str] = []
    held: dict[str, str] = {}
    for survey, lang, path in survey_files(raw_dir, ref, fmt, log, inputs.surveys):
        rel, cb = _rel(path, raw_dir), ref.codebooks[survey]
        res = surveys.clean_export(surveys.read_export(path, rel, cb), cb, ref, rel, lang, salt, (*period, margin_days))
        rules.check_share(res.outcome, max_rejected_share)
        results.append((survey, rel, res))
        held[rel] = f"{survey}_{lang}"
    raise_unknown([u for *_, r in results for u in r.unknown], "codebooks (config/codebooks)")
    tables = _write_surveys(results, ref, processed_dir)
    questions = pl.concat([r.questions for *_, r in results]).sort(surveys.QUESTION_COLUMNS)
    write_csv(questions.to_pandas(), processed_dir / QUESTIONS)
    acc, rejected = _finish([(rel, r.outcome.rejected.to_pandas(), r.outcome.accounting) for _, rel, r in results],
                            processed_dir, (f"{inputs.surveys}/",))
    fixes = [r.region_fixes.to_pandas() for *_, r in results if r.region_fixes.height]
    log += [line for *_, r in results for line in r.log]
    for line in log:
        LOG.info(line)
    return StageResult(tables, acc, rejected, pd.concat(fixes, ignore_index=True) if fixes else pd.DataFrame(columns=["source_file", "value", "region"]),
                       [f"{name}.parquet" for name in tables] + [QUESTIONS], log, held)


def _hand_typed(folder: Path, raw_dir: Path, log: list[str]) -> list[Path]:
    files, skipped = read.discover(folder, raw_dir)
    log += skipped
    return files


def _held(results: list[tuple[str, str, handtyped.FileResult]], office_list: dict[str, offices.Office],
          event: dict[str, str]) -> dict[str, str]:
    """What each file of stage 11 holds, named by the configuration: ``journal.<office's safe id>``,
    ``register``, ``participants.<event id>`` (``event``: the event of each participant list)."""

    def what(rel: str, kind: str) -> str:
        if kind == "journal":
            return f"journal.{offices.safe_id(offices.office_of(rel, office_list).id)}"
        return "register" if kind == "events" else f"participants.{event[rel]}"

    return {rel: what(rel, kind) for rel, kind, _ in results}


def clean_journals_events(raw_dir: Path, processed_dir: Path, config_dir: Path, salt: str, period: tuple[dt.date, dt.date], *,
                          max_rejected_share: float = 0.5, inputs: Inputs = Inputs()) -> StageResult:
    """Stage 11: office journals, the event register and participant lists → three ``core_*`` tables.

    Every file of the journal and participant-list folders is read or named; each is cleaned by its
    rules; the same consultation in two journals, an event listed twice in the register or two lists
    of one event stop the run naming both files or rows; a file losing more than ``max_rejected_share``
    of its rows stops the run, every unknown label of every file is listed at once, and the tables
    are written only when all are valid. Regions and offices' regions are those of ``period``.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    name_lexicon.load()  # the name masker's dictionary, loaded while the files are read
    ref = load_reference(config_dir, period)
    office_list = offices.load_offices(config_dir, period)
    log: list[str] = []
    jfiles = _hand_typed(raw_dir / inputs.journals, raw_dir, log)
    if not jfiles:
        raise CleaningError(f"no consultation journals in {inputs.journals}/")
    results: list[tuple[str, str, handtyped.FileResult]] = [
        (rel, "journal", r) for rel, r in journals.clean_journals(jfiles, raw_dir, ref, salt, period, office_list)]
    reg = events.clean_register(events.read_register(raw_dir / inputs.register, inputs.register), ref, inputs.register, salt)
    results.append((inputs.register, "events", reg))
    events.check_register(reg.clean)
    lists = _hand_typed(raw_dir / inputs.participants, raw_dir, log)
    event_ids = events.events_of_lists(lists, raw_dir, reg.clean["event_id"].to_list())
    for p, event_id in zip(lists, event_ids):
        rel = _rel(p, raw_dir)
        results.append((rel, "participants", events.clean_participants(events.read_participants(p, rel, ref), ref, rel, salt, event_id)))
    for _, _, r in results:
        rules.check_share(r.outcome, max_rejected_share)
        log += r.log
    raise_unknown([u for *_, r in results for u in r.unknown], "value lists (config/journal_values.yaml, regions.yaml, social_categories.yaml)")
    specs = {
        "core_journal__consultations": (pl.concat([r.clean for _, k, r in results if k == "journal"], how="vertical_relaxed"),
                                        journal_schema(ref.region_codes, ref.band_codes, ref.social_codes, ref.values, list(office_list))),
        "core_events__events": (reg.clean, events_schema(ref.values)),
        "core_events__participants": (pl.concat([r.clean for _, k, r in results if k == "participants"], how="vertical_relaxed"),
                                      participants_schema(ref.region_codes, ref.band_codes, ref.social_codes, ref.values)),
    }
    for name, (frame, schema) in specs.items():
        write.validate(frame, schema, name, mask)
    tables = {name: write.write_table(frame, processed_dir / f"{name}.parquet", schema) for name, (frame, schema) in specs.items()}
    acc, rejected = _finish([(rel, r.outcome.rejected.to_pandas(), r.outcome.accounting) for rel, _, r in results],
                            processed_dir, (f"{inputs.journals}/", f"{inputs.participants}/", inputs.register))
    fixes = [r.region_fixes.to_pandas() for *_, r in results if r.region_fixes.height]
    for line in log:
        LOG.info(line)
    return StageResult(tables, acc, rejected, pd.concat(fixes, ignore_index=True) if fixes else pd.DataFrame(columns=["source_file", "value", "region"]),
                       [f"{k}.parquet" for k in specs], log,
                       _held(results, office_list, {_rel(p, raw_dir): e for p, e in zip(lists, event_ids)}))
