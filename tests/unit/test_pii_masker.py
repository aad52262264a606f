"""The personal-data masker (helpers.clean.masking) measured on the labelled corpus, and its tricky cases.

The corpus (tests/pii_corpus/corpus.csv, rebuilt by ``python tests/pii_corpus/build.py``) holds
free-text answers with planted phones, IINs, e-mails and names, each labelled with its span, and
clean answers with hard negatives. How an item counts as found: tests/pii_corpus/measure.py.
"""

from __future__ import annotations

import sys

import polars as pl
import pytest

from helpers import paths
from helpers.clean.masking import mask, mask_contacts
from helpers.clean.pii import contains_personal_data, mask_text

sys.path.insert(0, str(paths.TESTS))
from pii_corpus import build, measure  # noqa: E402

RECALL = {"phone": 0.99, "iin": 0.99, "email": 0.99, "name": 0.95}
CLEAN_ALTERED_MAX = 0.02


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return build.read()


def test__corpus__is_what_the_generator_writes(corpus):
    fresh = build.corpus()
    assert [(str(r["id"]), r["text"], r["spans"]) for r in fresh] == [(r["id"], r["text"], r["spans"]) for r in corpus]


def test__corpus__size_and_kinds(corpus):
    planted = [r for r in corpus if r["spans"]]
    assert len(corpus) >= 300 and abs(len(planted) - len(corpus) / 2) <= 1
    assert {s["kind"] for r in planted for s in r["spans"]} == set(measure.KINDS)
    assert {r["lang"] for r in corpus} == {"ru", "kk"}
    for r in planted:
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]].strip() == r["text"][s["start"] : s["end"]] != ""


def test__mask_text__recall_per_kind_and_clean_answers_altered(corpus):
    f = measure.measure(corpus)
    print("\n" + "\n".join(f.lines()))
    for kind, bar in RECALL.items():
        assert f.recall(kind) >= bar, f"{kind}: recall {f.recall(kind):.2%} < {bar:.0%}; missed: {[m for m in f.misses if m[0].startswith(kind)][:10]}"
    assert f.altered_rate <= CLEAN_ALTERED_MAX, f"clean answers altered {f.altered_rate:.2%}: {f.false_alarms[:10]}"


@pytest.mark.parametrize("text", [
    "8 701 123 45 67", "+7 701 123 45 67", "+7(701)123-45-67", "87011234567", "+77011234567", "8.701.234.56.78", "8-701-123-45-67",
    "+7 (7102) 73-45-67", "8 (7172) 55-12-34", "+7 (72153) 5-45-67", "8 (727) 2 50-50-50", "8 727 250 50 50", "701 234 56 78",
    "+998 90 123 45 67", "+996 555 123 456", "+375 29 123-45-67", "+49 30 12345678", "+7 926 123-45-67", "(8-701) 123-45-67",
])
def test__mask__phone_forms(text):
    assert mask(f"звоните {text}, спасибо") == "звоните [phone], спасибо"


def test__mask__short_city_number_only_after_a_phone_word():
    assert mask("тел. 250-50-50") == "тел. [phone]"
    assert mask("счёт 250-50-50") == "счёт 250-50-50"


@pytest.mark.parametrize("text", ["880412300123", "880412 300123", "880412-300-123", "880412-300123", "880412 300 123", "ИИН880412300123"])
def test__mask__iin_forms(text):
    assert "880412" not in mask(f"ИИН: {text}.") and "[IIN]" in mask(f"ИИН: {text}.")


@pytest.mark.parametrize("text", [
    "ivan.petrov77@mail.ru", "name @ mail.ru", "name@ mail.kz", "name(at)mail.ru", "name (at) mail.ru", "name [at] mail [dot] ru",
    "name{at}gmail{dot}com", "ivan at mail dot ru", "ivan собака mail.ru", "ivan(собака)inbox.kz",
])
def test__mask__email_forms(text):
    assert mask(f"пишите на {text} в любое время") == "пишите на [e-mail] в любое время"


@pytest.mark.parametrize("text, expected", [
    ("Медиатор Канареечкин Берик Ахметович помог", "Медиатор [name] помог"),
    ("Спасибо Айгерім Серікқызы", "Спасибо [name]"),
    ("Звонила Иванова М.А. вчера", "Звонила [name] вчера"),
    ("Решили с М. А. Ивановой", "Решили с [name]"),
    ("Приходил Ахметов Б.", "Приходил [name]"),
    ("Өтініш беруші Ерлан Серік ұлы келді", "Өтініш беруші [name] келді"),
    ("Благодарю Сауле Кенжебаевну", "Благодарю [name]"),
    ("Жалоба на Нуртаева", "Жалоба на [name]"),
    ("Спасибо медиатору Жанболату Тілеуберді", "Спасибо медиатору [name]"),
    ("Медиатор Тұрсынай Оразбаева көмектесті", "Медиатор [name] көмектесті"),
    ("Айгерімге үлкен рахмет!", "[name] үлкен рахмет!"),
    ("Рекомендовала Aigerim Serikkyzy", "Рекомендовала [name]"),
    ("Contact: Ivanov B.", "Contact: [name]"),
    ("Абай Кенжебаев помог", "[name] помог"),
    ("Приходила Вера Ивановна", "Приходила [name]"),
    ("Қанат Торғайұлы хабарласты", "[name] хабарласты"),  # қанат, a wing: a first name before a patronymic
    ("Звонил Канат Серикович", "Звонил [name]"),
    ("Спасибо Ахметовичу", "Спасибо [name]"),  # a cue before a patronymic stays
])
def test__mask__name_forms(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", [
    "Встреча 12.05.2021 в 10:30", "С 01.06.2021 по 30.06.2021", "Решение от 2021-05-12", "Сумма иска 9 950 000 тенге",
    "Бюджет 7.500.000.000 тг", "В 2020-2021 гг. обращались 45 % опрошенных", "Пришли 87 человек", "Мероприятие T1-01 плана",
    "Дело № 2-1234/2021", "Площадь 8 701 кв. м", "Приказ № 401-IV от 28.01.2011", "Горячая линия 1414",
    "commit ec588194262520abcdef0123456789abcdef0123",
    "Семинары в Алматы, Астане, Нур-Султане и Шымкенте", "Абай облысы, Семей қаласы", "ул. Абая, 15", "Жиналыс Талғарда өтті",
    "Центр медиации «МИР»", "Партия «Аманат» проводила встречу", "Статья 8 Закона «О медиации»",
    "Итогов пока нет. Бюджетов не хватает", "Из Казахстанских НПО только одно", "Очень Полезный Тренинг!", "Спасибо Вам за работу",
    "Рахмет! Өте пайдалы тренинг", "Мұра туралы даулар", "Выставка в Берлине и в Ростове", "Вера в медиацию растёт",
    "Құрметті ұйымдастырушылар, рахмет!", "Тренингті жақсы өткізді",
])
def test__mask__hard_negatives_unchanged(text):
    assert mask(text) == text


def test__mask__known_names_in_any_case_and_ending():
    names = frozenset({"Тоқтарбек Жасұлан", "Смағұлова Ақерке", "Роза Бақыт"})
    assert mask("жасұлан тоқтарбек звонил", names) == "[name] звонил"
    assert mask("Передайте Смағұловой", names) == "Передайте [name]"
    assert mask("розы и бақыт", names) == "розы и бақыт"  # ordinary words of a known name: only as the whole name
    assert mask("пришла роза бақыт", names) == "пришла [name]"


def test__mask_text__once_per_distinct_value_na_stays_na(monkeypatch):
    from helpers.clean import pii

    seen = []
    monkeypatch.setattr(pii, "mask", lambda t, names: seen.append(t) or t.upper())
    out = mask_text(pl.Series(["a", None, "a", "b"], dtype=pl.String))
    assert out.to_list() == ["A", None, "A", "B"]
    assert sorted(seen) == ["a", "b"] and out.dtype == pl.String


def test__contains_personal_data__contacts_not_names():
    s = pl.Series(["звоните 8.701.234.56.78", "ИИН 880412 300123", "a (at) b.kz", "Иванов", "12.05.2021", None])
    assert contains_personal_data(s).to_list() == [True, True, True, False, False, False]


def test__mask_contacts__leaves_names():
    assert mask_contacts("Иванов, 8 701 123 45 67") == "Иванов, [phone]"
