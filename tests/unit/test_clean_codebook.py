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


def _codebook(tmp_path, question_extra: dict):
    import yaml

    cb = {"survey": "s", "timestamp_header": {"ru": "Отметка времени"},
          "questions": [{"id": "used", "type": "single", "ru": "Обращались ли вы в 2020–2021 гг.?", "kk": "2020–2021 жж. жүгіндіңіз бе?",
                         "options": [{"code": "yes", "ru": "Да", "kk": "Иә"}], **question_extra},
                        {"id": "age", "type": "number", "ru": "Ваш возраст", "kk": "Жасыңыз"}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(cb, allow_unicode=True), encoding="utf-8")
    return path


def test__header_aliases__a_reworded_question_maps_to_the_same_column(tmp_path):
    from helpers.clean.codebook import load_codebook
    from helpers.clean.surveys import column_plan

    cb = load_codebook(_codebook(tmp_path, {"header_aliases": {"ru": ["Обращались ли вы в 2021–2022 гг.?"]}}))
    plan = column_plan(cb, ["Отметка времени", "Обращались ли вы в 2021–2022 гг.?", "Ваш возраст"], "s_ru.csv")
    assert plan["Обращались ли вы в 2021–2022 гг.?"] == ("used", None)
    with pytest.raises(Exception, match="missing column"):  # without the alias the new wording is unknown
        column_plan(load_codebook(_codebook(tmp_path, {})), ["Отметка времени", "Обращались ли вы в 2021–2022 гг.?", "Ваш возраст"], "s_ru.csv")


@pytest.mark.parametrize("aliases, message", [
    ({"ru": "one text, not a list"}, "header_aliases must be"),
    ({"ru": ["Ваш возраст"]}, "belongs to questions age and used|belongs to questions used and age"),
])
def test__header_aliases__malformed_or_ambiguous_stop_with_the_codebook_named(tmp_path, aliases, message):
    from helpers.clean import CleaningError
    from helpers.clean.codebook import load_codebook

    with pytest.raises(CleaningError, match=f"s.yaml: .*({message})"):
        load_codebook(_codebook(tmp_path, {"header_aliases": aliases}))
