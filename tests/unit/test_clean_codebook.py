import pytest

from helpers import paths
from helpers.clean.answers import label_codes
from helpers.clean.codebook import Unknown, UnknownLabelError, load_codebooks, raise_unknown



def test__raise_unknown__lists_every_value():
    u = [Unknown("a.csv", "Ваш пол", "X", 2), Unknown("a.csv", "Ваш пол", "Y", 1), Unknown("b.csv", "Регион", "Марс", 1)]
    with pytest.raises(UnknownLabelError) as e:
        raise_unknown(u)
    msg = str(e.value)
    assert "a.csv | column 'Ваш пол' | value 'X' | 2 row(s)" in msg and "'Y'" in msg and "b.csv" in msg and "'Марс'" in msg


def test__codebooks__required_questions_present():
    cbs = load_codebooks(paths.CONFIG)
    need = {"population": {"region", "sex", "age", "aware", "experience", "ready", "preferred_way", "pretrial_convenient", "info_sources"},
            "courts_mediators": {"region", "sex", "age", "group", "spheres", "education", "city", "n_mediations", "experience_years"},
            "nonprof": {"region", "sex", "age", "group", "state", "trained"},
            "barriers": {"region", "sex", "age", "group", "barriers", "main_barrier"}}
    for sid, qids in need.items():
        assert qids <= {q["id"] for q in cbs[sid]["questions"]}


def test__codebooks__labels_unambiguous_per_question():
    for cb in load_codebooks(paths.CONFIG).values():
        for q in cb["questions"]:
            if q.get("options"):
                label_codes(q["options"])  # raises on a label given to two codes
