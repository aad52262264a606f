"""Build the labelled corpus the personal-data masker is measured on: ``python tests/pii_corpus/build.py``.

Free-text answers of the kinds respondents write in "Other" fields and mediators write in journal
notes, in Russian and Kazakh: half with planted personal data (phones, IINs, e-mails, people's
names in the forms seen in real exports), each planted item labelled with its exact span, kind
and form; half clean, many of them hard negatives (dates, sums, article numbers, ids, places,
organisations, capitalised ordinary words). Seeded: the same file every time.

The name lists here are the generator's own (common and rare Russian and Kazakh first names,
surnames, patronymics, Latin spellings); the masker does not read them, and many of them are in
no list the masker uses. :func:`answers` also makes the large sets the benchmark times.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.csv"
SEED = 20210517
SIZE = 600

# --- names (the generator's own lists) ---------------------------------------------------------------
RU_MALE = ["Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Михаил", "Игорь", "Владимир", "Евгений", "Николай",
           "Олег", "Виктор", "Павел", "Константин", "Геннадий", "Вячеслав", "Анатолий", "Роман", "Станислав", "Эдуард",
           "Всеволод", "Ярослав", "Тимофей", "Родион"]
RU_FEMALE = ["Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Людмила", "Галина", "Оксана",
             "Юлия", "Валентина", "Екатерина", "Марина", "Лариса", "Нина", "Зоя", "Алла", "Вероника", "Снежана", "Ангелина",
             "Таисия", "Милана"]
KZ_MALE = ["Берик", "Ерлан", "Нурлан", "Асхат", "Даулет", "Айдос", "Ерасыл", "Жанболат", "Нұрдәулет", "Әлихан", "Бауыржан",
           "Ержан", "Серік", "Марат", "Талгат", "Қайрат", "Бекзат", "Дархан", "Ерболат", "Мирас", "Санжар", "Темірлан",
           "Жандос", "Құрманғазы", "Елдос", "Ділмұрат", "Абылай", "Нұрсұлтан", "Ақылбек", "Бақытжан", "Олжас", "Арман"]
KZ_FEMALE = ["Айгерім", "Асель", "Гүлнар", "Жанар", "Сәуле", "Динара", "Айнұр", "Ақбота", "Толқын", "Балауса", "Іңкәр",
             "Жансая", "Мөлдір", "Назым", "Аружан", "Гүлмира", "Ботагөз", "Меруерт", "Әсем", "Дана", "Перизат", "Салтанат",
             "Шынар", "Ләззат", "Қарлығаш", "Үміт", "Раушан", "Бибігүл"]
RU_SURNAMES = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов",
               "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Канареечкин",
               "Пустовойтов", "Синицын", "Ершов", "Щукин", "Трофимов", "Белоусов", "Журавлёв", "Коноплёв", "Тарасенко",
               "Шевчук", "Ковальчук", "Бондаренко", "Литвиненко", "Мельник", "Гринберг", "Шмидт", "Вольф", "Пак", "Ким", "Цой"]
KZ_SURNAMES = ["Ахметов", "Жумабаев", "Нуртаев", "Сыздыков", "Оразбаев", "Кенжебаев", "Серікбаев", "Әбілқасымов", "Байжанов",
               "Жакупов", "Сәрсенбаев", "Ермеков", "Омаров", "Бекмұхамбетов", "Қасымов", "Есенов", "Нусипбеков", "Абдрахманов",
               "Мұқанов", "Ысқақов", "Тілеуов", "Жұмағұлов", "Құрманов", "Досмағамбетов", "Ыбыраев", "Төлеубаев",
               "Тілеуберді", "Сейітқали", "Бектұрсын", "Қалдыбай", "Тоқтарұлы", "Әбдіхалық"]
LATIN = {"Айгерім": "Aigerim", "Асель": "Assel", "Берик": "Berik", "Ерлан": "Yerlan", "Нурлан": "Nurlan", "Динара": "Dinara",
         "Жанар": "Zhanar", "Даулет": "Daulet", "Мария": "Maria", "Ирина": "Irina", "Сергей": "Sergey", "Олжас": "Olzhas",
         "Ахметов": "Akhmetov", "Жумабаев": "Zhumabayev", "Нуртаев": "Nurtayev", "Иванов": "Ivanov", "Оразбаев": "Orazbayev",
         "Сыздыков": "Syzdykov", "Кенжебаев": "Kenzhebayev", "Петров": "Petrov", "Құрманов": "Kurmanov", "Ким": "Kim"}
FRONT = set("әеіөүиэ")
VOWELS = set("аәеёиоөуұүыіэюя")


@dataclass(frozen=True)
class Source:
    """Name lists and templates of one part of the corpus."""

    ru_male: list[str]
    ru_female: list[str]
    kz_male: list[str]
    kz_female: list[str]
    ru_surnames: list[str]
    kz_surnames: list[str]
    latin_first: dict[str, str]  # Cyrillic → Latin spelling
    latin_surnames: dict[str, str]
    planted: dict[str, list[str]]
    clean: dict[str, list[str]]


@dataclass(frozen=True)
class Person:
    first: str
    surname: str
    father: str  # the father's first name (patronymics are made from it)
    female: bool
    kazakh: bool


def person(r: random.Random, src: Source) -> Person:
    kazakh = r.random() < 0.6
    female = r.random() < 0.55
    if kazakh:
        return Person(r.choice(src.kz_female if female else src.kz_male), r.choice(src.kz_surnames), r.choice(src.kz_male), female, True)
    return Person(r.choice(src.ru_female if female else src.ru_male), r.choice(src.ru_surnames), r.choice(src.ru_male), female, False)


def _ru_case(word: str, case: str, female: bool, kind: str) -> str:
    """A simple Russian declension of a name word: ``case`` in nom/gen/dat/acc."""
    if case == "nom":
        return word
    if kind == "surname":
        if re.search(r"(ов|ев|ёв|ин|ын)$", word):
            return word + ("ой" if case in ("gen", "dat") else "у") if female else word + {"gen": "а", "dat": "у", "acc": "а"}[case]
        if female or word[-1] in VOWELS:
            return word
        return word + {"gen": "а", "dat": "у", "acc": "а"}[case]
    if kind == "patronymic":
        if word.endswith("на"):
            return word[:-1] + {"gen": "ы", "dat": "е", "acc": "у"}[case]
        return word + {"gen": "а", "dat": "у", "acc": "а"}[case]
    if word.endswith("а"):
        return word[:-1] + {"gen": "и" if word[-2] in "гкхжшчщ" else "ы", "dat": "е", "acc": "у"}[case]
    if word.endswith("я"):
        return word[:-1] + {"gen": "и", "dat": "и" if word.endswith("ия") else "е", "acc": "ю"}[case]
    if word[-1] in "йь" and not female:
        return word[:-1] + {"gen": "я", "dat": "ю", "acc": "я"}[case]
    if female or word[-1] in VOWELS:
        return word
    return word + {"gen": "а", "dat": "у", "acc": "а"}[case]


def _surname(p: Person) -> str:
    s = p.surname
    if p.female and re.search(r"(ов|ев|ёв|ин|ын)$", s):
        return s + "а"
    if p.female and s.endswith("ұлы"):
        return s[:-3] + "қызы"
    return s


def _patronymic(p: Person, style: str) -> str:
    f = p.father
    if style == "kz":
        return f + ("қызы" if p.female else "ұлы")
    base = f.translate(str.maketrans("әұқғүіөӘҰҚҒҮІӨ", "аукгуиоАУКГУИО"))
    if base.endswith(("й", "ь")):
        return base[:-1] + ("евна" if p.female else "евич")
    if base[-1] in "ыи":
        return base[:-1] + ("иевна" if p.female else "иевич")
    if base[-1] in "аяуо":
        return base[:-1] + ("ична" if p.female else "ич")
    return base + ("овна" if p.female else "ович")


def _kz_dative(word: str) -> str:
    vowels = [c for c in word.lower() if c in VOWELS]
    front = bool(vowels) and vowels[-1] in FRONT
    voiceless = word[-1] in "кқпстфхшщ"
    if word[-1] == "ь":
        return word + "ге"
    return word + (("ке" if front else "қа") if voiceless else ("ге" if front else "ға"))


NAME_FORMS = ["surname first patronymic", "first patronymic", "first surname", "surname initials", "initials surname",
              "surname initial", "kz first patronymic", "kz first patronymic spaced", "surname", "first", "first patronymic surname",
              "latin first surname", "latin surname initial", "kz dative first"]


def name(r: random.Random, src: Source, case: str = "nom", lang: str = "ru", form: str | None = None) -> tuple[str, str]:
    """A person's name in one of :data:`NAME_FORMS` (``case`` for Russian templates) and the form's label."""
    p = person(r, src)
    form = form or ("kz dative first" if lang == "kk" and case == "dat" else r.choice(NAME_FORMS[:-1]))
    if form.startswith("kz") and not p.kazakh:
        p = Person(r.choice(src.kz_female if p.female else src.kz_male), r.choice(src.kz_surnames), r.choice(src.kz_male), p.female, True)
    if form.startswith("latin"):
        p = Person(r.choice(list(src.latin_first)), r.choice(list(src.latin_surnames)), r.choice(src.kz_male), p.female, p.kazakh)
    c = case if lang == "ru" else "nom"
    fi = _ru_case(p.first, c, p.female, "first")
    sn = _ru_case(_surname(p), c, p.female, "surname")
    pa = _ru_case(_patronymic(p, "ru"), c, p.female, "patronymic")
    ini = p.first[0] + "." + (p.father[0] + "." if r.random() < 0.7 else "")
    ini = ini.replace(".", ". ").strip() if r.random() < 0.25 else ini
    latin_surname = src.latin_surnames.get(p.surname, "")
    latin_surname += "a" if p.female and latin_surname.endswith(("ov", "ev")) else ""
    forms = {
        "surname first patronymic": lambda: f"{sn} {fi} {pa}",
        "first patronymic": lambda: f"{fi} {pa}",
        "first surname": lambda: f"{fi} {sn}" if r.random() < 0.6 else f"{sn} {fi}",
        "surname initials": lambda: f"{sn} {ini}",
        "initials surname": lambda: f"{ini} {sn}",
        "surname initial": lambda: f"{sn} {p.first[0]}.",
        "kz first patronymic": lambda: f"{p.first} {_patronymic(p, 'kz')}",
        "kz first patronymic spaced": lambda: f"{p.first} {p.father} {'қызы' if p.female else 'ұлы'}",
        "surname": lambda: sn,
        "first": lambda: fi,
        "first patronymic surname": lambda: f"{fi} {pa} {sn}",
        "latin first surname": lambda: f"{src.latin_first[p.first]} {latin_surname}",
        "latin surname initial": lambda: f"{latin_surname} {src.latin_first[p.first][0]}.",
        "kz dative first": lambda: _kz_dative(p.first),
    }
    text = forms[form]()
    return text, form


# --- phones, IINs, e-mails ---------------------------------------------------------------------------
MOBILE = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"]
CITY4 = ["7102", "7112", "7132", "7142", "7152", "7162", "7172", "7182", "7212", "7222", "7232", "7242", "7252", "7262", "7282", "7292"]
CITY5 = ["72153", "71543", "72631", "71838", "72437", "72838"]


def phone(r: random.Random) -> tuple[str, str]:
    d = lambda n: "".join(str(r.randint(0, 9)) for _ in range(n))  # noqa: E731
    m, a, b, c = r.choice(MOBILE), str(r.randint(200, 999)), d(2), d(2)
    forms = {
        "+7 mobile spaced": f"+7 {m} {a} {b} {c}",
        "+7 mobile brackets": f"+7({m}){a}-{b}-{c}",
        "+7 mobile brackets spaced": f"+7 ({m}) {a}-{b}-{c}",
        "8 mobile spaced": f"8 {m} {a} {b} {c}",
        "8 mobile dashes": f"8-{m}-{a}-{b}-{c}",
        "8 mobile dots": f"8.{m}.{a}.{b}.{c}",
        "8 mobile plain": f"8{m}{a}{b}{c}",
        "+7 mobile plain": f"+7{m}{a}{b}{c}",
        "mobile 10 digits": f"{m} {a} {b} {c}",
        "8 mobile 7 digits": f"8 {m} {a}{b}{c}",
        "+7 city4": f"+7 ({r.choice(CITY4)}) {d(2)}-{d(2)}-{d(2)}",
        "8 city4": f"8 ({r.choice(CITY4)}) {d(2)}-{d(2)}-{d(2)}",
        "+7 city5": f"+7 ({r.choice(CITY5)}) {d(1)}-{d(2)}-{d(2)}",
        "8 city3 split": f"8 (727) {d(1)} {d(2)}-{d(2)}-{d(2)}",
        "8 city3 plain": f"8 727 {a} {b} {c}",
        "+998": f"+998 {r.choice(['90', '91', '93', '97'])} {a} {b} {c}",
        "+996": f"+996 {r.choice(['555', '700', '772'])} {d(3)} {d(3)}",
        "+375": f"+375 {r.choice(['29', '33', '44'])} {a}-{b}-{c}",
        "+49": f"+49 {r.choice(['30', '89', '40'])} {d(8)}",
        "+7 russia": f"+7 9{d(2)} {a}-{b}-{c}",
    }
    form = r.choice(list(forms))
    return forms[form], form


def iin(r: random.Random) -> tuple[str, str]:
    birth = f"{r.randint(50, 99):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    rest = f"{r.choice('3456')}{r.randint(0, 99999):05d}"
    forms = {"12 digits": birth + rest, "6+6 space": f"{birth} {rest}", "6+6 dash": f"{birth}-{rest}", "6+3+3 dash": f"{birth}-{rest[:3]}-{rest[3:]}",
             "6+3+3 space": f"{birth} {rest[:3]} {rest[3:]}"}
    form = r.choice(list(forms))
    return forms[form], form


DOMAINS = [("mail", "ru"), ("gmail", "com"), ("inbox", "kz"), ("yandex", "kz"), ("bk", "ru"), ("list", "ru"), ("mail", "kz"), ("outlook", "com"), ("ngo-mir", "kz")]
LOCALS = ["aigerim.s88", "ivanov_1975", "b.akhmetov", "dinara.k", "nurlan77", "assel_zh", "m.petrova", "yerlan.b", "zhanar1990", "kairat.t", "olga.smirnova",
          "mediator.kst", "saule_k", "dauletov.a", "b_serikbayev"]


def email(r: random.Random) -> tuple[str, str]:
    local, (dom, tld) = r.choice(LOCALS), r.choice(DOMAINS)
    forms = {"standard": f"{local}@{dom}.{tld}", "spaced @": f"{local} @ {dom}.{tld}", "@ space after": f"{local}@ {dom}.{tld}",
             "(at)": f"{local}(at){dom}.{tld}", "spaced (at)": f"{local} (at) {dom}.{tld}", "[at] [dot]": f"{local} [at] {dom} [dot] {tld}",
             "{at}{dot}": f"{local}{{at}}{dom}{{dot}}{tld}", "at dot words": f"{local} at {dom} dot {tld}", "собака": f"{local} собака {dom}.{tld}",
             "(собака)": f"{local}(собака){dom}.{tld}"}
    form = r.choice(list(forms))
    return forms[form], form


# --- templates -------------------------------------------------------------------------------------------
# Slots: {phone} {iin} {email} {name} (nominative), {name_dat} {name_gen} {name_acc} (Russian cases).
PLANTED = {
    "ru": [
        "Спасибо медиатору {name_dat} за помощь", "Медиатор {name} очень помогла разобраться в ситуации",
        "Обращалась к {name_dat}, тел. {phone}", "Мой номер {phone}, звоните после 18:00", "Прошу связаться: {email}",
        "Заявитель {name}, ИИН {iin}, конфликт с соседом по участку", "Стороны: {name} и {name}. Достигнуто соглашение",
        "Рекомендовал знакомый юрист {name}", "Информацию получила от {name_gen}", "Жалоба на {name_acc}, звонить по номеру {phone}",
        "Повторная встреча назначена на 12.05.2021, заявитель {name} ({phone})", "Тренер {name} провела семинар в г. Алматы",
        "Участник {name} просил прислать сертификат на {email}", "Из рассылки на {email}", "Звонок с номера {phone}",
        "Пришла по совету {name_gen}. Контакт: {phone}, {email}", "ИИН {iin}, заявление принято 03.06.2021",
        "{name} — соседка, спор о заборе, медиатор {name}", "Связь через WhatsApp {phone}", "Благодарю {name_acc} и {name_acc}!",
        "Вторая сторона ({name}) не пришла, перезвонить {phone}", "Консультацию провёл {name}, 2 часа",
        "Данные заявителя: {name}, ИИН {iin}, тел. {phone}", "Оплата 15 000 тг, квитанция на {email}",
        "Очень благодарна {name_dat}! Побольше бы таких специалистов", "Пишите мне на почту {email} или в телеграм",
        "Спор между {name} и ТОО «Береке» урегулирован", "На семинаре выступала {name}, было интересно",
        "Номер для связи {phone} ({name})", "Ответственный: {name}, каб. 305", "Прошу выслать ответ на {email}, ИИН {iin}",
        "Участник {name}, ИИН {iin}, e-mail {email}", "Мой ИИН {iin}, почта {email}", "e-mail: {email}", "ИИН заявителя {iin}",
    ],
    "kk": [
        "Медиатор {name} көп көмектесті", "{name} апайға үлкен рахмет", "Байланыс телефоны: {phone}", "Поштам: {email}",
        "Өтініш беруші {name}, ЖСН {iin}", "Тренингті {name} өткізді, өте пайдалы болды", "Менің нөмірім {phone}",
        "Екінші тарап {name} келмеді, қайта қоңырау шалу {phone}", "Сертификатты {email} поштасына жіберіңіз",
        "Медиатор {name} мен {name} екі тарапты татуластырды", "ЖСН {iin}, өтініш 12.04.2021 қабылданды",
        "Кеңес берген {name}, тел. {phone}", "{name} ағайға рахмет, дау шешілді", "Хабарласыңыз: {phone}, {email}",
        "Көршім {name} екеуміз келісімге келдік", "WhatsApp арқылы {phone} нөміріне жазыңыз",
        "{name_dat} үлкен рахмет!", "Медиатор {name_dat} алғысымды білдіремін", "ЖСН: {iin}", "Электрондық пошта: {email}, ЖСН {iin}",
    ],
}
CLEAN = {
    "ru": [
        "Узнала о медиации 12.05.2021 на семинаре в Алматы", "Сумма иска 9 950 000 тенге, урегулировали за 2 встречи",
        "Статья 8 Закона РК «О медиации»", "ст. 8, п. 2.1 Закона", "Центр медиации «МИР», г. Шымкент", "В 2020-2021 гг. обращались 45% опрошенных",
        "Мероприятие T1-01 плана, тренинг T2-03", "Очень Полезный Тренинг!", "Спасибо Большое Организаторам", "Итогов пока нет, ждём решения суда",
        "Бюджетов на медиацию в районах не хватает", "Из Казахстанских НПО только одно работает с медиацией", "Партия «Аманат» проводила встречу",
        "Акимат Костанайской области помог с помещением", "Участвовали 120 человек из 17 регионов", "Дело № 2-1234/2021 рассмотрено 15.03.2021",
        "Кабинет 305, время 10:30–12:00", "Узнал в Telegram и Instagram", "Звонил на горячую линию 1414", "Бюджет проекта 12 500 000 тг",
        "Доход семьи около 150 000 тг в месяц", "С 01.06.2021 по 30.06.2021 был в отпуске", "Нотариус посоветовал", "Медиатор очень помог, спасибо!",
        "Семейные споры о наследстве", "Споры с банками, кредиты", "В ЦОНе", "Из лекции в университете", "От коллег на работе",
        "Живу в Ушарале, медиаторов у нас нет", "Ездили в Есик и Каскелен", "Из газеты «Казахстанская правда»", "Реклама на Kaspi и в 2ГИС",
        "Верховный суд рекомендует медиацию", "Прочитала на сайте Генпрокуратуры", "Плата 5 000 тг за сессию, 3 сессии",
        "Кредит 2 300 000 тг, просрочка 90 дней", "Нур-Султан, Астана — одно и то же", "Приезжали из Караганды и Темиртау",
        "Ассамблея народа Казахстана проводила круглый стол", "Семинар ОФ «Согласие» в Усть-Каменогорске", "Работаю в ТОО «Береке» бухгалтером",
        "Оценка 5 из 5", "Курс валют 420,5 тг за доллар", "Приказ № 401-IV от 28.01.2011", "Договор № 17/2021 от 01.02.2021",
        "Через Zoom неудобно, лучше очно", "Площадь 8 701 кв. м, спор о границах участка", "Штраф 1 250 000 тг, обжаловали",
        "Рассмотрено 1 234 567 обращений за 2020 год", "Пенсия 87 000 тг", "В Шымкенте и Туркестане мало медиаторов",
        "Нужна помощь в Жамбылской области", "Решение суда от 2021-03-15", "Телефон не работал, пришла лично",
        "Бесплатная юридическая помощь, НПО «Жеті Жарғы»", "Спасибо Вам за работу", "Горячая линия 8 800 в выходные не отвечает",
        "Соседи, Споры, Наследство", "Проект USAID и ООН в 2019 году", "Итоги Года в «Новостях» на Хабаре",
    ],
    "kk": [
        "Алматы қаласында 2021 жылы 15 наурызда семинар өтті", "Медиация туралы Заңның 8-бабы", "Абай облысы, Семей қаласы",
        "Нұр-Сұлтан қаласындағы ХҚКО", "Рахмет! Өте пайдалы тренинг", "Жиналыс Талғарда өтті", "Ұзынағашта медиатор жоқ",
        "Шелек ауылынан келдік", "Қарасай ауданы, 2021 жыл", "Бурабайда демалыста болдым", "Талап сомасы 2 500 000 теңге",
        "Жұмыстағы әріптестерден", "Университеттегі дәрістен", "Мұра туралы даулар", "Банктермен даулар, несиелер", "ХҚКО-да",
        "Нотариус кеңес берді", "«Аманат» партиясы кездесу өткізді", "Қазақстан Республикасының Конституциясы", "Сот шешімі 12.03.2021",
        "Біліктілікті арттыру курсында", "Медиацияға арналған бөлменің болмауы", "Тренинг ұнады, Рахмет!", "Өте Жақсы Ұйымдастырылған",
        "2020-2021 жылдары 45% азаматтар", "Шымкент пен Түркістанда медиатор аз", "Жамбыл облысы, Мерке ауданы", "Instagram арқылы білдім",
        "Ақтөбе мен Атырауда семинар болды", "Ұлттық банк несиесі 1 500 000 теңге", "Т1-01 іс-шарасы", "Заңның 2-бабы 1-тармағы",
        "Құдайға шүкір, дау шешілді", "Бағасы 5 000 теңге", "Маңғыстау облысы, Жаңаөзен қаласы", "Қостанай облысының әкімдігі көмектесті",
    ],
}
MAIN = Source(RU_MALE, RU_FEMALE, KZ_MALE, KZ_FEMALE, RU_SURNAMES, KZ_SURNAMES, dict(list(LATIN.items())[:12]),
              dict(list(LATIN.items())[12:]), PLANTED, CLEAN)

# A second part, written after the masker's first version and measured once before any change
# to the masker (benchmarks/PII.md gives both figures): other names, other templates.
HOLDOUT = Source(
    ru_male=["Аркадий", "Фёдор", "Прохор", "Глеб", "Лев", "Богдан", "Арсений", "Семён", "Захар", "Илья"],
    ru_female=["Лидия", "Эльвира", "Полина", "Кира", "Варвара", "Дарья", "Ксения", "Любовь", "Инна", "Римма"],
    kz_male=["Аян", "Ермек", "Нұрболат", "Ғалым", "Сұлтан", "Біржан", "Ілияс", "Қуаныш", "Ерназар", "Айбар", "Ақан", "Шыңғыс"],
    kz_female=["Аяулым", "Гаухар", "Мадина", "Жазира", "Ұлжан", "Әйгерім", "Нұргүл", "Сымбат", "Лаура", "Камила", "Қымбат", "Жібек"],
    ru_surnames=["Баранов", "Кудрявцев", "Воронцов", "Рябинин", "Ильин", "Гусев", "Сорокин", "Мартыненко", "Савчук", "Ткач",
                 "Левченко", "Гольдман", "Ли", "Хан", "Тен", "Дорофеев", "Богомолов"],
    kz_surnames=["Тұрсынбаев", "Мұхамедиев", "Сағындықов", "Әбішев", "Жаманқұлов", "Қуанышбаев", "Бейсенов", "Тәжібаев",
                 "Шәкенов", "Ысмағұлов", "Оспанов", "Мамыров", "Әлібек", "Нұрлыбек", "Серікбай", "Бекбосын", "Ахметжан"],
    latin_first={"Мадина": "Madina", "Сұлтан": "Sultan", "Ермек": "Yermek", "Гаухар": "Gaukhar", "Аян": "Ayan", "Лидия": "Lidiya"},
    latin_surnames={"Оспанов": "Ospanov", "Бейсенов": "Beisenov", "Тәжібаев": "Tazhibayev", "Гусев": "Gusev", "Сорокин": "Sorokin"},
    planted={
        "ru": ["Консультировала {name}, очень вежливо", "Хочу поблагодарить {name_acc} из центра", "По вопросу обращаться к {name_dat}",
               "Ведущий дела — {name}", "Контакты: {name}, {phone}", "Вопрос решили с помощью {name_gen}", "{name} обещал перезвонить на {phone}",
               "Адрес для документов: {email}", "Был на приёме у {name_gen} 14.07.2021", "Моя соседка {name} посоветовала",
               "Второй участник — {name} (ИИН {iin})", "Присылайте на {email}, спросить {name_acc}", "Тел.: {phone}; эл. почта: {email}",
               "ИИН ответчика {iin}, истец {name}", "Звонила {name} с номера {phone}"],
        "kk": ["{name} бізге көп көмек көрсетті", "Медиатормен ({name}) сөйлестім", "{name} арқылы келісімге келдік", "Телефон: {phone}, {name}",
               "Хат жіберу үшін: {email}", "Жиналысты {name} жүргізді", "Қатысушы {name}, ЖСН {iin}", "{name} апай хабарласты, нөмірі {phone}",
               "{name_dat} көп алғыс", "Пошта: {email}; тел.: {phone}"],
    },
    clean={
        "ru": ["Форум в Павлодаре 22.09.2021 прошёл хорошо", "Иск на 3 450 000 тг отозван", "Согласно п. 3 ст. 12 ГПК РК", "Проект «Бірге» в Кызылорде",
               "Узнал из передачи на Первом канале", "Группа в Facebook «Медиация KZ»", "Срок 30 дней, продлили до 60",
               "Вебинар 15:00–17:00 по времени Нур-Султана", "Решение Апелляционной коллегии", "Сайт adilet.zan.kz, раздел «Законодательство»",
               "Семинар в Экибастузе, 35 участников", "Кредит в Хоум Кредит Банке", "Народный банк, Сбербанк, Евразийский банк",
               "Помощь Красного Полумесяца", "Обращались в Комитет по правам человека", "Услуги ЦОН платные? Нет, бесплатно",
               "Майский семинар перенесли на Июнь", "Инструкция № 12-3/45", "Оценка 4,5 балла из 5", "Телефон доверия 150",
               "Арбитраж и медиация — разные вещи", "Фонд «Сорос-Казахстан»", "Церковь и мечеть помогают мирить соседей",
               "Депутат маслихата приходил на встречу", "Встреча в Сарыагаше, затем в Жетысае"],
        "kk": ["Павлодарда 22.09.2021 форум өтті", "Талап 3 450 000 теңгеге кері қайтарылды", "АПК 12-бабы 3-тармағы", "«Бірге» жобасы Қызылордада",
               "Бірінші арнадан көрдім", "Facebook-тегі «Медиация KZ» тобы", "Екібастұзда семинар, 35 қатысушы", "Жетісайда медиатор жоқ",
               "Сенім телефоны 150", "Халық банкі, Каспи банк", "Құрметті ұйымдастырушылар, рахмет!",
               "Мешіт пен шіркеу көршілерді татуластыруға көмектеседі", "Маслихат депутаты кездесуге келді", "Қызылжар ауданы, Бескөл ауылы"],
    },
)
HOLDOUT_SIZE = 300

_SLOT = re.compile(r"\{(name|name_dat|name_gen|name_acc|phone|iin|email)\}")


def planted(r: random.Random, lang: str, src: Source) -> tuple[str, list[dict]]:
    """One answer with planted items, and their spans."""
    template = r.choice(src.planted[lang])
    out, spans, done = [], [], 0
    for m in _SLOT.finditer(template):
        out.append(template[done : m.start()])
        slot = m.group(1)
        if slot == "phone":
            text, form = phone(r)
        elif slot == "iin":
            text, form = iin(r)
        elif slot == "email":
            text, form = email(r)
        else:
            case = slot.partition("_")[2] or "nom"
            text, form = name(r, src, case, lang)
            if text[0].islower():
                text = text[0].upper() + text[1:]
        start = sum(map(len, out))
        out.append(text)
        spans.append({"start": start, "end": start + len(text), "kind": "name" if slot.startswith("name") else slot, "form": form})
        done = m.end()
    out.append(template[done:])
    return "".join(out), spans


def clean(r: random.Random, lang: str, src: Source, longer: bool = False) -> str:
    """A clean answer: one sentence, sometimes two (a journal note); ``longer``: up to four."""
    text = r.choice(src.clean[lang])
    for _ in range(r.randint(1, 3) if longer else int(r.random() < 0.3)):
        text = text + (". " if not text.endswith(("!", ".")) else " ") + r.choice([t for t in src.clean[lang] if t not in text])
    return text


def answers(n: int, seed: int = SEED, distinct: bool = False, src: Source = MAIN, part: str = "main") -> list[dict]:
    """``n`` labelled answers: planted and clean alternate, 60 % Russian, 40 % Kazakh.

    ``distinct``: every text different (for timing: a text is masked once per distinct value).
    """
    r = random.Random(seed)
    rows, seen = [], set()
    while len(rows) < n:
        i = len(rows)
        lang = "ru" if r.random() < 0.6 else "kk"
        if i % 2 == 0:
            text, spans = planted(r, lang, src)
        else:
            text, spans = clean(r, lang, src, longer=distinct), []
        if distinct:
            if text in seen:
                continue
            seen.add(text)
        rows.append({"id": i + 1, "part": part, "lang": lang, "kind": "planted" if spans else "clean", "text": text, "spans": spans})
    return rows


def corpus() -> list[dict]:
    """The committed corpus: :data:`SIZE` answers of :data:`MAIN`, then :data:`HOLDOUT_SIZE` of :data:`HOLDOUT`."""
    rows = answers(SIZE) + answers(HOLDOUT_SIZE, SEED + 1, src=HOLDOUT, part="holdout")
    return [{**row, "id": i + 1} for i, row in enumerate(rows)]


def write(rows: list[dict], path: Path = CORPUS) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "part", "lang", "kind", "text", "spans"])
        for row in rows:
            w.writerow([row["id"], row["part"], row["lang"], row["kind"], row["text"], json.dumps(row["spans"], ensure_ascii=False)])


def read(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{**row, "spans": json.loads(row["spans"])} for row in csv.DictReader(f)]


if __name__ == "__main__":
    rows = corpus()
    write(rows)
    print(f"{CORPUS.relative_to(HERE.parent.parent)}: {len(rows)} answers")
