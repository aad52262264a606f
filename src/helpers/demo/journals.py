"""Synthetic consultation journals (one file per office) and participant lists of the events.

From the report (seed 000): 17 offices open from 1 April 2021; 701 office consultations to
25 November plus 51 online (752); 749 positive and 3 negative ratings; participants' sex, age
bands and social categories in the proportions of section 4; one participant list per event
with exactly the number the register states. Invented: consultations per office, which offices
kept the online ones, spheres, outcomes, numbers of parties, names and phones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.demo.common import AGE_BAND_COUNTS, SEX_COUNTS, SOCIAL_COUNTS, ages_for_bands, allocate, emails, people, rng

#: invented split of the 701 office consultations over the 17 offices (sums to 701).
OFFICE_COUNTS = {"AKM": 36, "AKT": 38, "ALM": 44, "ATY": 33, "VKO": 45, "ZHA": 40, "ZKO": 34, "KAR": 46, "KOS": 37, "KZY": 35, "MAN": 31, "PAV": 39, "SKO": 30, "TUR": 48, "NUR": 52, "ALA": 60, "SHY": 53}
#: invented: the 51 online consultations (site / Instagram) were kept in three offices' journals.
ONLINE_COUNTS = {"NUR": (12, 8), "ALA": (9, 8), "SHY": (7, 7)}
N_NEGATIVE = 3
PERIOD = (pd.Timestamp("2021-04-01"), pd.Timestamp("2021-11-25"))
SPHERE_W = {"family": 38, "civil": 18, "housing": 10, "labour": 8, "property": 10, "criminal": 4, "administrative": 3, "medical": 4, "other": 5}
OUTCOME_W = {"agreement": 55, "no_agreement": 15, "consultation": 30}
PARTIES_W = {1: 10, 2: 80, 3: 7, 4: 3}
TEMPLATES = {
    "ru_a": ["№", "Дата", "ФИО заявителя", "Телефон", "Регион", "Форма консультации", "Сфера спора", "Кол-во сторон", "Медиатор", "Результат", "Оценка", "Пол", "Возраст", "Социальная категория"],
    "ru_b": ["№ п/п", "Дата консультации", "ФИО", "Контактный телефон", "Область", "Форма", "Категория спора", "Количество сторон", "ФИО медиатора", "Итог консультации", "Оценка заявителя", "Пол", "Возраст", "Соц. категория", "Примечание"],
    "kk": ["№", "Күні", "Өтініш берушінің аты-жөні", "Байланыс телефоны", "Өңір", "Нысаны", "Дау саласы", "Тараптар саны", "Медиатордың аты-жөні", "Нәтиже", "Бағалау", "Жынысы", "Жасы", "Әлеуметтік санаты"],
}
CANON = ["no", "date", "name", "phone", "region", "form", "sphere", "n_parties", "mediator", "outcome", "rating", "sex", "age", "social_category", "comment"]
OFFICE_TEMPLATE = {**{o: "ru_a" for o in OFFICE_COUNTS}, **{o: "kk" for o in ("KZY", "TUR", "ZHA", "MAN", "ATY")}, **{o: "ru_b" for o in ("KAR", "PAV", "KOS", "SKO", "AKM", "VKO")}}
#: office → (format, encoding, delimiter); the rest are xlsx.
OFFICE_FORMAT = {"AKT": ("csv", "utf-8", ","), "MAN": ("csv", "utf-8", ","), "SHY": ("csv", "utf-8-sig", ";"), "KOS": ("csv", "cp1251", ";")}
REGION_TYPOS = {"KAR": ["Карагандинкая обл.", "Kарагандинская обл."], "PAV": ["Павлодарска обл"], "ALM": ["Алматинсая область"], "KOS": ["Костанайская oбл."], "TUR": ["Туркестанкая область"], "NUR": ["г. Нур-Султн"], "VKO": ["Восточно-Казахстанкая"]}
#: extra rows the cleaning must remove: office → list of (kind) — duplicates, tests, invalid rows.
MESS = {"KAR": ["dup", "dup"], "ALA": ["dup", "test"], "TUR": ["dup"], "NUR": ["dup", "test"], "PAV": ["dup"], "AKT": ["bad_date"], "SHY": ["out_of_period"], "VKO": ["nan_parties"], "ZHA": ["empty"], "KOS": ["no_name"]}


def _w(r, weights, n):
    k = list(weights)
    p = np.array(list(weights.values()), float)
    return np.array(k, dtype=object)[r.choice(len(k), size=n, p=p / p.sum())]


def _labels(values_cfg: dict, field: str, codes: np.ndarray, lang: str, r: np.random.Generator, variety: float = 0.3) -> np.ndarray:
    """Codes → labels as staff type them: the main label in ``lang``, sometimes an alias."""
    main = {o["code"]: o[lang] for o in values_cfg[field]}
    kk_letters = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
    alias = {o["code"]: ([a for a in o.get("aliases", []) if not set(str(a)) & kk_letters] or [o[lang]]) for o in values_cfg[field]}
    out = pd.Series(codes).map(main).to_numpy(dtype=object)
    pick = r.random(len(codes)) < variety if lang == "ru" else np.zeros(len(codes), bool)
    for i in np.nonzero(pick)[0]:
        al = alias[codes[i]]
        out[i] = al[int(r.integers(0, len(al)))]
    return out


def _region_cells(regions_cfg: dict, codes: np.ndarray, lang: str, r: np.random.Generator) -> np.ndarray:
    by = {x["code"]: x for x in regions_cfg["regions"]}
    out = []
    for c in codes:
        reg = by[c]
        variants = [reg[lang]] + ([reg["ru"].replace("область", "обл.")] if lang == "ru" and "область" in reg["ru"] else []) + (reg.get("abbr", [])[:1] if lang == "ru" else [])
        out.append(variants[int(r.integers(0, len(variants)))])
    out = np.array(out, dtype=object)
    for i, c in enumerate(codes):
        if c in REGION_TYPOS and r.random() < 0.06:
            t = REGION_TYPOS[c]
            out[i] = t[int(r.integers(0, len(t)))]
    return out


def demographics(r: np.random.Generator, n: int) -> pd.DataFrame:
    """Sex, age, social category of ``n`` people in the report's proportions (exact allocation, shuffled)."""
    sex = allocate(SEX_COUNTS, n)[r.permutation(n)]
    bands = allocate(AGE_BAND_COUNTS, n)[r.permutation(n)]
    social = allocate(SOCIAL_COUNTS, n)[r.permutation(n)]
    return pd.DataFrame({"sex": sex, "age": ages_for_bands(r, bands), "social_category": social})


def consultations(seed: int, office_counts: dict[str, int], online_counts: dict[str, tuple[int, int]], n_negative: int) -> pd.DataFrame:
    """All valid consultations (codes), one row each, with the office that recorded it."""
    r = rng(seed, "journals")
    rows = []
    for office, n in office_counts.items():
        rows.append(pd.DataFrame({"office": office, "form": "office"}, index=range(n)))
        site, ig = online_counts.get(office, (0, 0))
        rows.append(pd.DataFrame({"office": office, "form": ["online_site"] * site + ["online_instagram"] * ig}))
    df = pd.concat(rows, ignore_index=True)
    n = len(df)
    days = (PERIOD[1] - PERIOD[0]).days
    start_online = pd.Timestamp("2021-05-01")
    off = np.where(df["form"].eq("office"), r.integers(0, days + 1, n), (start_online - PERIOD[0]).days + r.integers(0, (PERIOD[1] - start_online).days + 1, n))
    df["date"] = PERIOD[0] + pd.to_timedelta(off, unit="D")
    df["sphere"] = _w(r, SPHERE_W, n)
    df["outcome"] = _w(r, OUTCOME_W, n)
    df["n_parties"] = _w(r, PARTIES_W, n).astype(int)
    rating = np.array(["positive"] * n, dtype=object)
    rating[r.choice(n, size=n_negative, replace=False)] = "negative"
    df["rating"] = rating
    df = pd.concat([df, demographics(r, n)], axis=1)
    df["name"], df["phone"] = people(r, df["sex"].to_numpy())
    other = r.random(n) < 0.03
    rc = list(office_counts)
    df["region"] = np.where(other, np.array(rc, dtype=object)[r.integers(0, len(rc), n)], df["office"])
    return df


def journal_frame(df: pd.DataFrame, office: str, regions_cfg: dict, values_cfg: dict, social_cfg: dict, r: np.random.Generator, fmt: str) -> pd.DataFrame:
    """One office's journal in its template (header variant, language, label habits, messiness)."""
    tpl = OFFICE_TEMPLATE[office]
    lang = "kk" if tpl == "kk" else "ru"
    d = df.sort_values(["date", "name"], kind="stable").reset_index(drop=True)
    n = len(d)
    mediators, _ = people(r, np.where(r.random(3) < 0.6, "female", "male").astype(object))
    soc = {c["code"]: c[lang] for c in social_cfg["categories"]}
    cells = pd.DataFrame(
        {
            "no": np.arange(1, n + 1).astype(str),
            "date": d["date"].dt.strftime("%d.%m.%Y").to_numpy(dtype=object),
            "name": d["name"],
            "phone": d["phone"],
            "region": _region_cells(regions_cfg, d["region"].to_numpy(), lang, r),
            "form": _labels(values_cfg, "form", d["form"].to_numpy(), lang, r),
            "sphere": _labels(values_cfg, "sphere", d["sphere"].to_numpy(), lang, r),
            "n_parties": d["n_parties"].astype(str).to_numpy(dtype=object),
            "mediator": np.array(mediators, dtype=object)[r.integers(0, 3, n)],
            "outcome": _labels(values_cfg, "outcome", d["outcome"].to_numpy(), lang, r),
            "rating": _labels(values_cfg, "rating", d["rating"].to_numpy(), lang, r),
            "sex": _labels(values_cfg, "sex", d["sex"].to_numpy(), lang, r, 0.5),
            "age": d["age"].astype(str).to_numpy(dtype=object),
            "social_category": pd.Series(d["social_category"]).map(soc).to_numpy(dtype=object),
            "comment": "",
        }
    )
    if fmt == "xlsx":
        as_date = r.random(n) < 0.85
        cells["date"] = [(t.to_pydatetime() if a else s) for t, a, s in zip(d["date"], as_date, cells["date"])]
    else:
        short = r.random(n) < 0.3
        cells.loc[short, "date"] = d.loc[short, "date"].dt.strftime("%d.%m.%y").to_numpy()
    # lower-case / look-alike habits
    low = r.random(n) < 0.1
    cells.loc[low, "rating"] = cells.loc[low, "rating"].str.lower()
    rows = [cells.iloc[[i]] for i in range(n)]
    for k, kind in enumerate(MESS.get(office, [])):
        i = int(r.integers(0, n))
        row = cells.iloc[[i]].copy()
        if kind == "dup":
            rows[i] = pd.concat([rows[i], row])
            continue
        if kind == "test":
            row["name"] = "Тест Тестов" if k % 2 else "test"
            row["phone"] = "87770000000"
        elif kind == "bad_date":
            row["date"] = "31.04.2021"
        elif kind == "out_of_period":
            row["date"] = "15.03.2021"
        elif kind == "nan_parties":
            row["n_parties"] = "два"
        elif kind == "empty":
            row.loc[:, :] = None
        elif kind == "no_name":
            row["name"], row["phone"] = None, None
        rows[i] = pd.concat([rows[i], row])
    out = pd.concat(rows, ignore_index=True)
    out["no"] = np.arange(1, len(out) + 1).astype(str)
    cols = TEMPLATES[tpl]
    return out[CANON[: len(cols)] if tpl != "ru_b" else CANON].set_axis(cols, axis=1)


# --- participants -----------------------------------------------------------------------------

PART_HEADERS = {
    "ru": ["№", "ФИО участника", "Пол", "Возраст", "Социальная категория", "Регион", "Страна", "Телефон", "E-mail"],
    "kk": ["№", "Қатысушының аты-жөні", "Жынысы", "Жасы", "Әлеуметтік санаты", "Өңір", "Ел", "Байланыс телефоны", "Электрондық пошта"],
}
FOREIGN = ["RU", "UA", "BY", "LT", "IL", "AE", "US"]
#: events whose list carries one foreign participant of each of the 7 countries the report names (invented placement).
FOREIGN_EVENTS = {"TR-05": FOREIGN[:3], "TR-06": FOREIGN[3:5], "TR-11": FOREIGN[5:]}
PART_MESS = {"RT-01": ["dup"], "TR-07": ["dup"], "TR-11": ["test"]}
#: invented: this share of each training's participants (after the first training) attended an
#: earlier training too — the same person (name, phone, e-mail, sex, age, category) listed again,
#: so distinct people are fewer than participations and the reach stage must deduplicate
REPEAT_SHARE = 0.15


def event_table(register: pd.DataFrame) -> pd.DataFrame:
    """Event ids and stated participant numbers from the register (types as the cleaning maps them)."""
    is_tr = register["event_type"].str.contains("Семинар|Тренинг|тренинг", regex=True)
    eid = np.where(is_tr, "TR-", "RT-") + register["event_no"].astype(int).astype(str).str.zfill(2)
    n = register["participants"].astype(str).str.extract(r"(\d+)", expand=False).astype(int)
    kk = register["topic"].astype(str).str.contains("[әғқңөұүһі]", regex=True)
    return pd.DataFrame({"event_id": eid, "n": n, "regions": register["regions"], "lang": np.where(kk, "kk", "ru")})


def _repeat_attendance(r: np.random.Generator, events: pd.DataFrame, names: np.ndarray, phones: np.ndarray,
                       mails: np.ndarray, demo: pd.DataFrame) -> None:
    """In place: in each training after the first, :data:`REPEAT_SHARE` of the places go to people
    who attended an earlier training (distinct people, first-time attendees only, so nobody is
    listed twice in one event)."""
    start = np.concatenate([[0], np.cumsum(events["n"].to_numpy())[:-1]])
    originals: list[int] = []
    for (_, ev), pos in zip(events.iterrows(), start):
        n = int(ev["n"])
        if not ev["event_id"].startswith("TR-"):
            continue
        k = min(int(round(REPEAT_SHARE * n)), len(originals)) if originals else 0
        if k:
            src = r.choice(np.array(originals), size=k, replace=False)
            dst = pos + np.sort(r.choice(n, size=k, replace=False))
            names[dst], phones[dst], mails[dst] = names[src], phones[src], mails[src]
            for col in demo.columns:
                values = demo[col].to_numpy().copy()
                values[dst] = values[src]
                demo[col] = values
            repeated = set(dst.tolist())
            originals += [i for i in range(pos, pos + n) if i not in repeated]
        else:
            originals += list(range(pos, pos + n))


def participants(seed: int, events: pd.DataFrame, regions_cfg: dict, lookup: dict, values_cfg: dict, social_cfg: dict) -> dict[str, pd.DataFrame]:
    """One participant list per event (frames in the list's language, messiness included)."""
    from helpers.clean.regions import extract

    r = rng(seed, "participants")
    total = int(events["n"].sum())
    demo = demographics(r, total)
    names, phones = people(r, demo["sex"].to_numpy())
    mails = emails(r, total)
    _repeat_attendance(r, events, names, phones, mails, demo)
    ev_regions = pd.Series([extract(t if isinstance(t, str) else None, lookup) for t in events["regions"]], index=events.index, dtype="str")
    codes = [x["code"] for x in regions_cfg["regions"]]
    country = {c["code"]: c for c in values_cfg["country"]}
    out, pos = {}, 0
    for (_, ev), regs in zip(events.iterrows(), ev_regions):
        n, lang = int(ev["n"]), ev["lang"]
        sl = slice(pos, pos + n)
        pos += n
        pool = codes if (pd.isna(regs) or regs == "ALL") else regs.split(";")
        reg = np.array(pool, dtype=object)[r.integers(0, len(pool), n)]
        cty = np.array(["KZ"] * n, dtype=object)
        for j, c in enumerate(FOREIGN_EVENTS.get(ev["event_id"], [])):
            cty[n - 1 - j] = c
        by = {x["code"]: x for x in regions_cfg["regions"]}
        soc = {c["code"]: c[lang] for c in social_cfg["categories"]}
        sexl = {o["code"]: o[lang] for o in values_cfg["sex"]}
        frame = pd.DataFrame(
            {
                "no": np.arange(1, n + 1).astype(str),
                "name": names[sl],
                "sex": pd.Series(demo["sex"].to_numpy()[sl]).map(sexl).to_numpy(dtype=object),
                "age": demo["age"].to_numpy()[sl].astype(str),
                "social_category": pd.Series(demo["social_category"].to_numpy()[sl]).map(soc).to_numpy(dtype=object),
                "region": np.where(cty == "KZ", [by[c][lang] for c in reg], None),
                "country": [country[c][lang] for c in cty],
                "phone": phones[sl],
                "email": mails[sl],
            }
        )
        rows = [frame]
        for kind in PART_MESS.get(ev["event_id"], []):
            row = frame.iloc[[int(r.integers(0, n))]].copy()
            if kind == "test":
                row["name"], row["phone"], row["email"] = "Тест", "", ""
            rows.append(row)
        full = pd.concat(rows, ignore_index=True)
        full["no"] = np.arange(1, len(full) + 1).astype(str)
        out[ev["event_id"]] = full.set_axis(PART_HEADERS[lang], axis=1)
    return out


