import pandas as pd
import pytest

from helpers.clean.pii import mask_text, person_key, phone_key, pseudonymise


def test__pseudonymise__same_person_written_differently():
    ids = pseudonymise(person_key(pd.Series(["Иванова Мария", "  иванова  МАРИЯ"]), pd.Series(["+7 701 123 45 67", "87011234567"])), "s")
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


def test__phone_key__prefixes_agree():
    assert phone_key(pd.Series(["+77011234567", "8 (701) 123-45-67"])).nunique() == 1


def test__pseudonymise__normalised_keys_give_the_same_ids():
    from helpers.clean.normalise import match_key

    v = pd.Series(["  Ivan@Mail.KZ", "email:a@x.kz", "Иванова  МАРИЯ|7011234567", None], dtype="str")
    assert pseudonymise(match_key(v), "s", normalised=True).tolist() == pseudonymise(v, "s").tolist()
