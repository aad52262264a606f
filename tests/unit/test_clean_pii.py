import polars as pl
import pytest

from helpers.clean.handtyped import person_key
from helpers.clean.pii import mask_text, pseudonymise
from helpers.clean.text import match_key


def _keys(names, phones=None):
    frame = pl.DataFrame({"n": names, "p": phones if phones is not None else [None] * len(names)}, schema={"n": pl.String, "p": pl.String})
    return frame.select(person_key(pl.col("n"), pl.col("p")))["n"]


def test__pseudonymise__same_person_written_differently():
    ids = pseudonymise(_keys(["Иванова Мария", "  иванова  МАРИЯ"], ["+7 701 123 45 67", "87011234567"]), "s")
    assert ids[0] == ids[1]


def test__pseudonymise__salt_changes_ids_and_empty_salt_refused():
    v = pl.Series(["a@b.kz"])
    assert pseudonymise(v, "s1")[0] != pseudonymise(v, "s2")[0]
    with pytest.raises(ValueError):
        pseudonymise(v, "")


def test__pseudonymise__ids_never_look_like_numbers():
    ids = pseudonymise(pl.Series([f"x{i}" for i in range(2000)]), "s")
    assert not ids.str.contains(r"\d{10}").any()


def test__mask_text__phones_emails_iin_names():
    s = pl.Series(["Звоните +7(701)123-45-67 или 8 777 000 11 22", "a.b@mail.ru", "ИИН: 900101300123", "Медиатор Жакупов помог", None])
    out = mask_text(s, ["Жакупов"])
    assert out.to_list() == ["Звоните [phone] или [phone]", "[e-mail]", "ИИН: [IIN]", "Медиатор [name] помог", None]


def test__person_key__phone_prefixes_agree():
    assert _keys([None, None], ["+77011234567", "8 (701) 123-45-67"]).n_unique() == 1


def test__pseudonymise__normalised_keys_give_the_same_ids():
    v = ["  Ivan@Mail.KZ", "email:a@x.kz", "Иванова  МАРИЯ|7011234567", None]
    keys = pl.DataFrame({"v": v}, schema={"v": pl.String}).select(match_key(pl.col("v")))["v"].to_list()
    assert pseudonymise(pl.Series(keys, dtype=pl.String), "s", normalised=True).to_list() == pseudonymise(pl.Series(v, dtype=pl.String), "s").to_list()
