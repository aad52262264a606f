import pandas as pd
import pytest

import polars as pl

from helpers.clean.handtyped import person_key
from helpers.clean.pii import mask_text, pseudonymise
from helpers.clean.text import match_key


def _keys(names, phones=None):
    frame = pl.DataFrame({"n": names, "p": phones if phones is not None else [None] * len(names)}, schema={"n": pl.String, "p": pl.String})
    return pd.Series(frame.select(person_key(pl.col("n"), pl.col("p")))["n"].to_list(), dtype="str")


def test__pseudonymise__same_person_written_differently():
    ids = pseudonymise(_keys(["Иванова Мария", "  иванова  МАРИЯ"], ["+7 701 123 45 67", "87011234567"]), "s")
    assert ids.iloc[0] == ids.iloc[1]


def test__pseudonymise__salt_changes_ids_and_empty_salt_refused():
    v = pd.Series(["a@b.kz"])
    assert pseudonymise(v, "s1").iloc[0] != pseudonymise(v, "s2").iloc[0]
    with pytest.raises(ValueError):
        pseudonymise(v, "")


def test__pseudonymise__ids_never_look_like_numbers():
    ids = pseudonymise(pd.Series([f"x{i}" for i in range(2000)]), "s")
    assert not ids.str.contains(r"\d{10}").any()


def test__mask_text__phones_emails_iin_names():
    s = pd.Series(["Звоните +7(701)123-45-67 или 8 777 000 11 22", "a.b@mail.ru", "ИИН: 900101300123", "Медиатор Жакупов помог", None])
    out = mask_text(s, ["Жакупов"])
    assert out.tolist()[:4] == ["Звоните [phone] или [phone]", "[e-mail]", "ИИН: [IIN]", "Медиатор [name] помог"]
    assert pd.isna(out.iloc[4])


def test__person_key__phone_prefixes_agree():
    assert _keys([None, None], ["+77011234567", "8 (701) 123-45-67"]).nunique() == 1


def test__pseudonymise__normalised_keys_give_the_same_ids():
    v = ["  Ivan@Mail.KZ", "email:a@x.kz", "Иванова  МАРИЯ|7011234567", None]
    keys = pl.DataFrame({"v": v}, schema={"v": pl.String}).select(match_key(pl.col("v")))["v"].to_list()
    assert pseudonymise(pd.Series(keys, dtype="str"), "s", normalised=True).tolist() == pseudonymise(pd.Series(v, dtype="str"), "s").tolist()
