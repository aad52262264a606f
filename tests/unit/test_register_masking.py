"""The event register's texts leave cleaning and the grant stage masked (issue 17, «Nothing leaked»;
found by tests/test_canary.py): a name or a contact typed into a register cell reaches no table,
and a participant number is never a contact's digits."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.clean import events
from helpers.clean.reference import load_reference
from helpers.clean.schemas import EVENT_ID
from helpers.grant import transcripts

REPORT = paths.TESTS / "fixtures" / "raw" / "report_2021"
TOPIC = "Медиация в семье, запись: Канареечкин Берик, +7 701 318 42 96"


def _report_dir(tmp: Path, **first_row: str) -> Path:
    """A copy of the fixture's report transcription whose register has ``first_row``'s cells in row 1."""
    folder = tmp / "report_2021"
    shutil.copytree(REPORT, folder)
    register = pd.read_csv(folder / "events_register.csv", dtype=str, keep_default_na=False)
    for column, text in first_row.items():
        register.loc[0, column] = text
    register.to_csv(folder / "events_register.csv", index=False)
    return folder


def test__clean_register__topic_masked_and_participants_not_a_contacts_digits(tmp_path):
    f = _report_dir(tmp_path, topic=TOPIC, participants="тел. 87019876543, 25 человек") / "events_register.csv"
    res = events.clean_register(events.read_register(f, "r.csv"), load_reference(paths.CONFIG), "r.csv", "salt")
    row = res.clean.row(0, named=True)
    assert (row["topic"], row["participants_reported"]) == ("Медиация в семье, запись: [name], [phone]", 25)


def test__read_transcriptions__register_masked_the_other_files_as_printed(tmp_path):
    folder = _report_dir(tmp_path, topic=TOPIC, participants="ИИН 910523 400456, Синицына А. Б. — 25 человек")
    frames = transcripts.read_transcriptions(folder)
    first = frames["events_register"].iloc[0]
    assert (first["topic"], first["participants"]) == ("Медиация в семье, запись: [name], [phone]", "ИИН [IIN], [name] — 25 человек")
    assert transcripts.values_from(frames, transcripts.label_codes(paths.CONFIG))["reported.event.RT-01"] == 25
    partners = pd.read_csv(folder / "partners.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(frames["partners"], partners)  # «Восточно-Казахстанский центр»: no name


def test__clean_register__a_new_event_type_gets_ids_from_its_configured_prefix(tmp_path):
    """Event types are data: another organisation's «Вебинар» (``id_prefix: WEB``) gives ``WEB-<number>``."""
    f = _report_dir(tmp_path, event_type="Вебинар", event_no="7") / "events_register.csv"
    ref = load_reference(paths.CONFIG)
    values = {**ref.values, "event_type": [*ref.values["event_type"], {"code": "webinar", "id_prefix": "WEB", "ru": "Вебинар", "kk": "Вебинар"}]}
    res = events.clean_register(events.read_register(f, "r.csv"), dataclasses.replace(ref, values=values), "r.csv", "salt")
    assert res.clean.row(0, named=True)["event_id"] == "WEB-07" and res.clean.row(0, named=True)["event_type"] == "webinar"
    assert res.clean["event_id"].str.contains(EVENT_ID).all()
