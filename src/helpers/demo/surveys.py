"""Synthetic survey exports (Google Forms, ru and kk versions) in the exact download formats.

Invented (the report gives nothing): sample sizes, regions, answer distributions. Calibrated:
the population readiness item gives exactly 88.1 % (yes + rather_yes over all who answered) in
the CLEAN data, because the messy rows added afterwards are all removed by the cleaning rules.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.demo.common import AGE_BAND_COUNTS, ages_for_bands, allocate, emails, rng

READY_SHARE = 0.881
REGION_WEIGHTS = {"AKM": 4, "AKT": 5, "ALM": 11, "ATY": 4, "VKO": 7, "ZHA": 6, "ZKO": 4, "KAR": 7, "KOS": 5, "KZY": 4, "MAN": 4, "PAV": 4, "SKO": 3, "TUR": 11, "NUR": 7, "ALA": 11, "SHY": 6}
SINGLE_WEIGHTS: dict[str, dict[str, dict[str, float]]] = {
    "population": {
        "sex": {"male": 42, "female": 58},
        "aware": {"yes": 46, "heard_only": 38, "no": 16},
        "experience": {"mediation": 14, "other_adr": 21, "none": 65},
        "preferred_way": {"court": 22, "mediation": 34, "negotiation": 24, "state_body": 8, "notary_lawyer": 9, "other": 3},
        "pretrial_convenient": {"strongly_agree": 38, "agree": 33, "neutral": 12, "disagree": 7, "strongly_disagree": 4, "dont_know": 6},
    },
    "courts_mediators": {
        "group": {"court_staff": 40, "prof_mediator": 60},
        "sex": {"male": 38, "female": 62},
        "city": {"city_republican": 35, "city_regional": 40, "district": 15, "village": 10},
        "education": {"law": 55, "psychology": 20, "pedagogy": 10, "economics": 8, "other": 7},
    },
    "nonprof": {
        "group": {"akimat": 30, "ank": 30, "nonprof_mediator": 40},
        "sex": {"male": 45, "female": 55},
        "trained": {"yes": 55, "no": 45},
    },
    "barriers": {
        "group": {"state_body": 18, "court": 12, "prof_mediator": 28, "nonprof_mediator": 17, "ank": 10, "ngo": 15},
        "sex": {"male": 40, "female": 60},
    },
}
MULTI_P: dict[str, dict[str, float]] = {
    "info_sources": {"tv": 0.35, "internet_social": 0.62, "friends": 0.30, "court": 0.12, "lawyer": 0.15, "none": 0.08},
    "spheres": {"civil": 0.55, "labour": 0.35, "family": 0.75, "criminal": 0.30, "administrative": 0.20, "housing": 0.25, "medical": 0.10, "land": 0.12, "consumer": 0.15, "corporate": 0.10},
    "barriers": {"low_awareness": 0.70, "distrust": 0.40, "enforcement": 0.25, "cost": 0.20, "court_preference": 0.45, "mentality": 0.35, "few_qualified": 0.30, "weak_law": 0.28, "no_state_support": 0.33},
}
OTHER_P = 0.04
GRID_WEIGHTS = {
    "trained": [10, 30, 25, 20, 8, 7], "demanded": [25, 35, 18, 10, 5, 7], "regulated": [8, 22, 28, 22, 10, 10],
    "supported_by_akimat": [15, 30, 25, 15, 8, 7], "needs_training": [45, 35, 10, 4, 2, 4], "effective": [20, 38, 22, 10, 4, 6],
}
OTHER_TEXTS = {
    "ru": ["От коллег на работе", "Из лекции в университете", "На курсах повышения квалификации", "Из рассылки на ivan.petrov77@mail.ru",
           "Семейные споры о наследстве", "Споры с банками, кредиты", "Звонок с номера 8 701 234 56 78", "Отсутствие помещений для медиации",
           "Нотариус посоветовал", "В ЦОНе"],
    "kk": ["Жұмыстағы әріптестерден", "Университеттегі дәрістен", "Біліктілікті арттыру курсында", "Мұра туралы даулар",
           "Банктермен даулар, несиелер", "ХҚКО-да", "Медиацияға арналған бөлменің болмауы", "Нотариус кеңес берді"],
}
TIMESTAMP_STYLE = {  # (survey, lang) -> header language and format of the timestamp column
    ("courts_mediators", "kk"): "en",
}
SURVEY_START, SURVEY_END = pd.Timestamp("2021-05-10 08:00:00"), pd.Timestamp("2021-10-31 22:00:00")


def _pick(r: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return keys[r.choice(len(keys), size=n, p=p / p.sum())]


def _ready(r: np.random.Generator, n: int, n_blank: int) -> np.ndarray:
    """Exactly calibrated readiness answers: round(100 * ready / answered, 1) == 88.1."""
    n_ans = n - n_blank
    k = int(round(READY_SHARE * n_ans))
    ok = [c for c in (k, k - 1, k + 1) if round(100 * c / n_ans, 1) == round(100 * READY_SHARE, 1)]
    if not ok:
        raise ValueError(f"{n_ans} answers cannot give exactly {100 * READY_SHARE:.1f} %: choose another sample size")
    k = ok[0]
    yes = int(round(k * 0.58))
    rest = allocate({"rather_no": 4.2, "no": 3.1, "dont_know": 4.6}, n_ans - k)
    vals = np.concatenate([np.repeat("yes", yes), np.repeat("rather_yes", k - yes), rest, np.repeat(None, n_blank)]).astype(object)
    return vals[r.permutation(n)]


def base_answers(cb: dict, n: int, r: np.random.Generator) -> pd.DataFrame:
    """Answer *codes* of ``n`` valid respondents (no messiness), one column per question/grid row/multi option."""
    sid = cb["survey"]
    out: dict[str, np.ndarray] = {}
    w = SINGLE_WEIGHTS[sid]
    for q in cb["questions"]:
        qid, kind = q["id"], q["type"]
        if qid == "region":
            out[qid] = _pick(r, REGION_WEIGHTS, n)
        elif qid == "age":
            if sid == "population":
                bands = allocate({k: v for k, v in AGE_BAND_COUNTS.items()}, n)[r.permutation(n)]
                out[qid] = ages_for_bands(r, bands)
            else:
                out[qid] = np.clip(np.round(r.normal(42, 10, n)), 23, 72).astype(int)
        elif qid == "ready":
            out[qid] = _ready(r, n, max(1, n // 100))
        elif qid == "experience_years":
            out[qid] = np.clip(np.round(r.gamma(2.0, 3.5, n)), 0, 40).astype(int)
        elif qid == "n_mediations":
            out[qid] = r.poisson(28, n)
        elif kind in ("single", "likert") and qid in w:
            out[qid] = _pick(r, w[qid], n)
        elif kind == "multi":
            p = MULTI_P[qid]
            ticks = {c: r.random(n) < pc for c, pc in p.items()}
            if "none" in ticks:
                others = np.zeros(n, dtype=bool)
                for c in ticks:
                    if c != "none":
                        others |= ticks[c]
                ticks["none"] = ticks["none"] & ~others | ~others
            any_tick = np.zeros(n, dtype=bool)
            for c in ticks:
                any_tick |= ticks[c]
            first = np.array(list(p))[r.choice(len(p), size=n)]
            for c in ticks:
                ticks[c] = ticks[c] | (~any_tick & (first == c))
            for c, t in ticks.items():
                out[f"{qid}__{c}"] = t
            out[f"{qid}__other"] = r.random(n) < OTHER_P
            if qid == "barriers":
                codes = list(p)
                score = np.stack([np.where(ticks[c], np.log(p[c]) + r.gumbel(size=n), -np.inf) for c in codes], axis=1)
                out["main_barrier"] = np.array(codes, dtype=object)[score.argmax(axis=1)]
        elif kind == "grid":
            for row in q["rows"]:
                out[f"{qid}__{row['code']}"] = _pick(r, dict(zip([o["code"] for o in q["options"]], GRID_WEIGHTS[row["code"]])), n)
    order = ["region", "sex", "age"]
    return pd.DataFrame(out)[[c for c in order if c in out] + [c for c in out if c not in order]]


def _labels(codes: pd.Series | np.ndarray, options: list[dict], lang: str) -> pd.Series:
    m = {o["code"]: o[lang] for o in options}
    return pd.Series(codes).map(m).astype(object)


def render(cb: dict, ans: pd.DataFrame, lang: str, r: np.random.Generator) -> pd.DataFrame:
    """Answer codes → the export's columns as the form writes them in ``lang`` (no timestamp yet)."""
    cols: dict[str, pd.Series] = {}
    for q in cb["questions"]:
        qid, kind = q["id"], q["type"]
        if kind in ("single", "likert"):
            cols[q[lang]] = _labels(ans[qid].to_numpy(), q["options"], lang).where(ans[qid].notna().to_numpy(), None)
        elif kind == "number":
            cols[q[lang]] = ans[qid].astype("int64").astype(str).astype(object)
        elif kind == "multi":
            cell = pd.Series("", index=range(len(ans)), dtype=object)
            for o in q["options"]:
                cell = cell + np.where(ans[f"{qid}__{o['code']}"].to_numpy(), o[lang] + ", ", "")
            if q.get("other"):
                texts = np.array(OTHER_TEXTS[lang], dtype=object)[r.integers(0, len(OTHER_TEXTS[lang]), len(ans))]
                cell = cell + np.where(ans[f"{qid}__other"].to_numpy(), texts, "")
            cols[q[lang]] = cell.str.rstrip(", ").astype(object)
        elif kind == "grid":
            for row in q["rows"]:
                cols[f"{q[lang]} [{row[lang]}]"] = _labels(ans[f"{qid}__{row['code']}"].to_numpy(), q["options"], lang)
    return pd.DataFrame(cols)


def timestamps(r: np.random.Generator, n: int) -> pd.Series:
    """Submission times, uniformly over the fieldwork period, whole seconds."""
    span = int((SURVEY_END - SURVEY_START).total_seconds())
    return pd.Series(SURVEY_START + pd.to_timedelta(np.sort(r.integers(0, span, n)), unit="s"))


def format_timestamp(ts: pd.Series, style: str) -> pd.Series:
    """Google Sheets text of a timestamp: ru/kk ``22.04.2021 9:03:11``; en ``4/22/2021 15:03:11``."""
    t = pd.to_datetime(ts)
    hms = t.dt.hour.astype(str) + ":" + t.dt.strftime("%M:%S")
    if style == "en":
        return (t.dt.month.astype(str) + "/" + t.dt.day.astype(str) + "/" + t.dt.year.astype(str) + " " + hms).astype(object)
    return (t.dt.strftime("%d.%m.%Y") + " " + hms).astype(object)


def export_frame(cb: dict, ans: pd.DataFrame, ts: pd.Series, lang: str, r: np.random.Generator, with_email: bool) -> tuple[pd.DataFrame, str]:
    """The export as a frame (timestamp still a datetime column) and its timestamp style."""
    style = TIMESTAMP_STYLE.get((cb["survey"], lang), lang)
    ts_header = cb["timestamp_header"]["en" if style == "en" else lang]
    body = render(cb, ans, lang, r)
    head = {ts_header: ts.to_numpy()}
    if with_email:
        head[cb["email_header"][lang]] = ans["__email"].to_numpy()
    return pd.concat([pd.DataFrame(head), body], axis=1), style


def add_mess(cb: dict, ans: pd.DataFrame, ts: pd.Series, r: np.random.Generator, lang: str, n_dup: int, with_email: bool, bad_ts: bool) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Append duplicates, a test submission and invalid rows (all removed by the cleaning rules).

    Returns answers, timestamps and a text override column ``__ts_text`` (for an unparseable stamp)."""
    n = len(ans)
    extra, extra_ts, notes = [], [], []
    src = r.choice(n, size=n_dup, replace=False)
    for i in src:  # the same respondent again, minutes later
        row = ans.iloc[[i]].copy()
        extra.append(row)
        extra_ts.append(ts.iloc[i] + pd.Timedelta(minutes=int(r.integers(3, 90))))
        notes.append("dup")
    test = ans.iloc[[int(r.integers(0, n))]].copy()
    multi = [q for q in cb["questions"] if q["type"] == "multi"]
    if multi:
        test[f"{multi[0]['id']}__other"] = True
        test["__other_text"] = "тест"
    else:
        test["region"] = "__TEST__"
    if with_email:
        test["__email"] = "test@test.kz"
    extra.append(test)
    extra_ts.append(ts.iloc[0] - pd.Timedelta(hours=2))
    notes.append("test")
    for bad in ("тридцать пять", "7"):
        row = ans.iloc[[int(r.integers(0, n))]].copy()
        row["age"] = bad
        if with_email:
            row["__email"] = f"x{len(extra)}.{lang}@inbox.kz"
        extra.append(row)
        extra_ts.append(ts.iloc[int(r.integers(0, n))] + pd.Timedelta(seconds=17))
        notes.append("bad_age")
    if bad_ts:
        row = ans.iloc[[int(r.integers(0, n))]].copy()
        if with_email:
            row["__email"] = f"y.{lang}@inbox.kz"
        extra.append(row)
        extra_ts.append(ts.iloc[n // 2])
        notes.append("bad_ts")
    mess = pd.concat(extra, ignore_index=True)
    all_ans = pd.concat([ans.assign(__note=""), mess.assign(__note=notes)], ignore_index=True)
    all_ts = pd.concat([ts, pd.Series(extra_ts)], ignore_index=True)
    order = np.lexsort((np.arange(len(all_ts)), all_ts.to_numpy()))
    return all_ans.iloc[order].reset_index(drop=True), all_ts.iloc[order].reset_index(drop=True), all_ans["__note"].iloc[order].reset_index(drop=True)


def survey_frames(cb: dict, n_ru: int, n_kk: int, seed: int, mess: bool = True) -> dict[str, tuple[pd.DataFrame, str]]:
    """Both exports of one survey: ``{lang: (frame, timestamp style)}``."""
    r = rng(seed, "survey", cb["survey"])
    n = n_ru + n_kk
    ans = base_answers(cb, n, r)
    with_email_lang = "ru" if "email_header" in cb else None
    out = {}
    for lang, sl in (("ru", slice(0, n_ru)), ("kk", slice(n_ru, n))):
        part = ans.iloc[sl].reset_index(drop=True)
        ts = timestamps(r, len(part))
        with_email = lang == with_email_lang
        if with_email:
            part["__email"] = emails(r, len(part))
        notes = pd.Series("", index=part.index)
        if mess:
            part, ts, notes = add_mess(cb, part, ts, r, lang, n_dup=2 if lang == "ru" else 3, with_email=with_email, bad_ts=(cb["survey"] == "population" and lang == "kk"))
        other_override = part.pop("__other_text") if "__other_text" in part else None
        region_test = part["region"].eq("__TEST__")
        part.loc[region_test, "region"] = "AKM"
        ages = part["age"].astype(str)
        part["age"] = 0
        frame, style = export_frame(cb, part.drop(columns=["__note"], errors="ignore"), ts, lang, r, with_email)
        q_age = next(q for q in cb["questions"] if q["id"] == "age")
        frame[q_age[lang]] = ages.to_numpy()
        if other_override is not None:
            q = next(q for q in cb["questions"] if q["type"] == "multi")
            m = other_override.notna().to_numpy()
            frame.loc[m, q[lang]] = other_override[m].to_numpy()
        if region_test.any():
            q = next(q for q in cb["questions"] if q["id"] == "region")
            frame.loc[region_test.to_numpy(), q[lang]] = "Тест"
        ts_col = frame.columns[0]
        frame[ts_col] = frame[ts_col].astype(object)
        bad = (notes == "bad_ts").to_numpy()
        frame.loc[bad, ts_col] = "31.02.2021 25:61:00"
        out[lang] = (frame, style)
    return out


def to_csv_frame(frame: pd.DataFrame, style: str) -> pd.DataFrame:
    """Timestamps as the CSV download writes them."""
    f = frame.copy()
    col = f.columns[0]
    is_ts = f[col].map(lambda v: isinstance(v, pd.Timestamp))
    f.loc[is_ts, col] = format_timestamp(pd.Series(f.loc[is_ts, col].tolist()), style).to_numpy()
    return f


def write_population_export(path: str | Path, n: int, seed: int = 2021, lang: str = "ru", codebook: dict | None = None) -> Path:
    """A population export of ``n`` valid rows (CSV, Google format) — for the 1-million-row benchmark.

    Vectorised (no Python loop per row).
    """
    from helpers import paths
    from helpers.clean.codebook import load_codebook
    from helpers.demo.writers import write_csv

    cb = codebook or load_codebook(paths.CONFIG / "codebooks" / "population.yaml")
    r = rng(seed, "bench", n)
    ans = base_answers(cb, n, r)
    ts = timestamps(r, n)
    if lang == "ru":
        ans["__email"] = emails(r, n)
    frame, style = export_frame(cb, ans, ts, lang, r, lang == "ru")
    frame[frame.columns[0]] = format_timestamp(ts, style).to_numpy()
    return write_csv(frame, Path(path))
