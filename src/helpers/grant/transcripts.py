"""Parse the numbers of the hand-made report as printed ('~ 1.274 753', '189,4', 'Не менее 80%').

The transcriptions (``<raw_dir>/<grant.report_dir>``, optional) keep the text exactly as printed; these functions
turn one printed cell into a number plus what the text says about it (a lower bound, an
approximation, parts in brackets). Number format rules (stated, because the report mixes them):

* a comma followed by digits is a decimal comma (``189,4``, ``32,6``);
* spaces (also no-break) between digit groups are thousands separators (``3 240 000``);
* a dot is a thousands separator when the number has several dots (``1.000.000``), is also grouped
  by spaces (``1.274 753``), or is a single dot followed by exactly three digits after a non-zero
  integer part (``15.000``); otherwise it is a decimal point (``99.6``, ``0.4005…``).
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass

import pandas as pd

from helpers.clean.masking import mask
from helpers.config_files import read_yaml
from helpers.grant import reach
from helpers.grant.io import write_out

_NUM = re.compile(r"\d+(?:[ \u00a0.,]\d+)*")


@dataclass(frozen=True)
class Reported:
    """One printed figure: its value, qualifier and parts.

    Attributes
    ----------
    value : float or None
        The main number (for ``a +(b ...)`` the sum ``a + b``); None when the cell has no number.
    qualifier : str
        ``exact``, ``at_least`` ('не менее'), ``more_than`` ('более'), ``approx`` ('~').
    percent : bool
        The text has a '%' right after the main number.
    parts : tuple of float
        Numbers inside brackets (e.g. the share in '3 240 000 т. (32,6%)', or 5 and 5 in
        '10(5 на каз.яз/5 на рус.яз)').
    text : str
        The printed text.
    """

    value: float | None
    qualifier: str
    percent: bool
    parts: tuple[float, ...]
    text: str


def parse_number(token: str) -> float:
    """Parse one printed number token by the rules of the module docstring.

    >>> parse_number("1.274 753"), parse_number("189,4"), parse_number("3 240 000")
    (1274753.0, 189.4, 3240000.0)
    >>> parse_number("1.000.000"), parse_number("15.000"), parse_number("99.6"), parse_number("0.400")
    (1000000.0, 15000.0, 99.6, 0.4)
    """
    t = token.strip().replace("\u00a0", " ")
    if not t or not re.fullmatch(r"\d+(?:[ .,]\d+)*", t):
        raise ValueError(f"not a printed number: {token!r}")
    whole, comma, frac = t.partition(",")
    if comma and ("," in frac or not frac.isdigit()):
        raise ValueError(f"not a printed number: {token!r}")
    n_dots = whole.count(".")
    groups_after_dot = whole.split(".")[1:]
    dot_is_thousands = n_dots > 1 or (n_dots == 1 and " " in whole) or (
        n_dots == 1 and len(groups_after_dot[0]) == 3 and whole.split(".")[0].lstrip("0") != ""
    )
    if dot_is_thousands:
        whole = whole.replace(".", "")
    whole = whole.replace(" ", "")
    return float(f"{whole}.{frac}" if comma else whole)


def parse_reported(text: object) -> Reported:
    """Parse one printed cell of the report.

    >>> parse_reported("~ 1.274 753").value, parse_reported("~ 1.274 753").qualifier
    (1274753.0, 'approx')
    >>> r = parse_reported("3 240 000 т. (32,6%)"); (r.value, r.parts)
    (3240000.0, (32.6,))
    >>> r = parse_reported("Не менее 80%"); (r.value, r.qualifier, r.percent)
    (80.0, 'at_least', True)
    >>> parse_reported("880 +(400 дополнительно)").value
    1280.0
    >>> parse_reported("10(5 на каз.яз/5 на рус.яз)").parts
    (5.0, 5.0)
    >>> parse_reported("Более 100 (папка 1, задача 3)").value
    100.0
    >>> parse_reported("").value is None
    True
    """
    raw = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    t = raw.replace("\u00a0", " ").strip()
    low = t.lower()
    if low.startswith("не менее"):
        qualifier = "at_least"
    elif low.startswith("более"):
        qualifier = "more_than"
    elif low.startswith("~") or low.startswith("≈"):
        qualifier = "approx"
    else:
        qualifier = "exact"
    # the bracketed parts ('(32,6%)', '(5 на каз.яз/5 на рус.яз)'), parsed separately
    inside = " ".join(re.findall(r"\(([^)]*)\)", t))
    outside = re.sub(r"\([^)]*\)", " ", t)
    plus = re.match(r"^\s*(\d[\d \.,]*?)\s*\+\s*\(\s*(\d[\d \.,]*)", t)
    parts = tuple(parse_number(m.group(0)) for m in _NUM.finditer(inside) if _is_part(m, inside))
    if plus:
        value: float | None = parse_number(plus.group(1)) + parse_number(plus.group(2))
        percent = False
    else:
        m = _NUM.search(outside)
        value = parse_number(m.group(0).strip()) if m else None
        percent = bool(m) and outside[m.end():].lstrip().startswith("%")
    return Reported(value=value, qualifier=qualifier, percent=percent, parts=parts, text=raw)


def _is_part(m: re.Match[str], inside: str) -> bool:
    """Numbers in brackets count as parts unless they label a folder ('папка 1, задача 3')."""
    before = inside[max(0, m.start() - 8):m.start()].lower()
    return not any(w in before for w in ("папка", "задача", "п."))


def parse_cells(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Add ``<col>_value``, ``<col>_qualifier``, ``<col>_percent`` for each printed column.

    Transformations include: every cell parsed with :func:`parse_reported`; the text columns kept.
    """
    out = df.copy()
    for col in columns:
        parsed = [parse_reported(v) for v in out[col]]
        out[f"{col}_value"] = pd.array([p.value for p in parsed], dtype="Float64")
        out[f"{col}_qualifier"] = pd.array([p.qualifier for p in parsed], dtype="str")
        out[f"{col}_percent"] = pd.array([p.percent for p in parsed], dtype="boolean")
    return out


#: event types of the register → id prefix of ``core_events__events`` (RT-01 … / TR-01 …)
EVENT_PREFIX: dict[str, str] = {
    "Круглый стол": "RT",
    "Диалоговая площадка": "RT",
    "Дискуссионная площадка": "RT",
    "Семинар-тренинг": "TR",
}


def event_ids(register: pd.DataFrame) -> pd.Series:
    """``RT-01`` … / ``TR-13`` for the rows of the transcribed events register.

    >>> event_ids(pd.DataFrame({"event_type": ["Круглый стол", "Семинар-тренинг"], "event_no": [1, 13]})).tolist()
    ['RT-01', 'TR-13']
    """
    prefix = register["event_type"].map(EVENT_PREFIX)
    if prefix.isna().any():
        raise ValueError(f"unknown event types: {sorted(set(register.loc[prefix.isna(), 'event_type']))}")
    return prefix + "-" + register["event_no"].astype(int).map("{:02d}".format)


def _label_code(label: str, codes: dict[str, str]) -> str:
    """Code of a printed column label: exact match, else the longest known label it starts with."""
    norm = label.strip()
    if norm in codes:
        return codes[norm]
    hits = [k for k in codes if norm.startswith(k)]
    if not hits:
        raise KeyError(f"no code for printed label {label!r}")
    return codes[max(hits, key=len)]


def safe_code(code: str) -> str:
    """A category code usable inside a figure id ('59+' → '59plus').

    >>> safe_code("59+")
    '59plus'
    """
    return str(code).replace("+", "plus")


def reported_values(
    *,
    indicators: pd.DataFrame,
    social_effect: pd.DataFrame,
    stats: pd.DataFrame,
    budget: pd.DataFrame,
    info_work: pd.DataFrame,
    narrative: pd.DataFrame,
    register: pd.DataFrame,
    partners: pd.DataFrame,
    label_codes: dict[str, str],
) -> dict[str, float]:
    """Every number the transcribed report states, by a stable id (``reported.…``).

    Ids: ``reported.ind.<row_id>.plan|fact``; ``reported.social.<row>.plan|fact`` (a sub-row is
    ``<row>a``); ``reported.stats.<table>.<code>`` (``total`` for the total column);
    ``reported.budget.<line>.amount|share``; ``reported.info.<item>.<k>`` and ``….<k>.part<j>``;
    ``reported.text.<statement_id>``; ``reported.event.<RT-01…>``; ``reported.partners.listed``
    (rows of the partners table); ``reported.stats.social_status_fractional_cells`` (cells of the
    social-status table that hold a fractional number of people). Empty cells give no id.
    """
    out: dict[str, float] = {}

    def put(key: str, text: object, share: bool = False) -> None:
        r = parse_reported(text)
        if r.value is not None:
            out[key] = r.value
        if share and r.parts:
            out[key.rsplit(".", 1)[0] + ".share"] = r.parts[0]

    for row in indicators.itertuples(index=False):
        put(f"reported.ind.{row.row_id}.plan", row.plan_text)
        put(f"reported.ind.{row.row_id}.fact", row.fact_text)
    last = ""
    for row in social_effect.itertuples(index=False):
        no = str(row.row_no).strip().rstrip(".") if pd.notna(row.row_no) and str(row.row_no).strip() else f"{last}a"
        last = no if not no.endswith("a") else last
        put(f"reported.social.{no}.plan", row.plan_text)
        put(f"reported.social.{no}.fact", row.fact_text)
    for row in stats.itertuples(index=False):
        code = "total" if str(row.column).startswith("Количество участников") else safe_code(
            _label_code(row.column, label_codes))
        put(f"reported.stats.{row.table}.{code}", row.value_text)
    for row in budget.itertuples(index=False):
        put(f"reported.budget.{row.line}.amount", row.amount_text, share=True)
    seen: dict[str, int] = {}
    for row in info_work.itertuples(index=False):
        k = seen[row.item] = seen.get(row.item, 0) + 1
        r = parse_reported(row.number_text)
        if r.value is not None:
            out[f"reported.info.{row.item}.{k}"] = r.value
        for j, part in enumerate(r.parts, start=1):
            out[f"reported.info.{row.item}.{k}.part{j}"] = part
    for row in narrative.itertuples(index=False):
        put(f"reported.text.{row.statement_id}", row.number_text)
    ids = event_ids(register)
    for eid, text in zip(ids, register["participants"], strict=True):
        put(f"reported.event.{eid}", text)
    out["reported.partners.listed"] = float(len(partners))
    social = [v for k, v in out.items() if k.startswith("reported.stats.social_status.") and not k.endswith(".total")]
    out["reported.stats.social_status_fractional_cells"] = float(sum(1 for v in social if not float(v).is_integer()))
    return dict(sorted(out.items()))


#: the transcription files of a hand-made report (``<raw_dir>/<grant.report_dir>/<name>.csv``; no
#: ``grant.report_dir``: no hand-made report, and the grant report is built from the registry and the data)
FILES: tuple[str, ...] = ("indicators_reported", "social_effect", "beneficiary_stats", "budget", "info_work",
                          "narrative_figures", "events_register", "partners")


def read_transcriptions(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read the transcription CSVs as text exactly as printed (no NA conversion, no type guessing),
    but for personal data in the event register (the lead's transcription names trainers, and a
    contact may be typed into any of its cells): masked (:func:`helpers.clean.masking.mask`)."""
    folder = Path(folder)
    frames = {name: pd.read_csv(folder / f"{name}.csv", dtype="str", keep_default_na=False, encoding="utf-8")
              for name in FILES}
    frames["events_register"] = frames["events_register"].map(mask)
    return frames


def label_codes(config_dir: str | Path) -> dict[str, str]:
    """Printed column labels of §4 → category codes, from the age-band and social-category registries."""
    config_dir = Path(config_dir)
    bands = read_yaml(config_dir / "age_bands.yaml")["bands"]
    cats = read_yaml(config_dir / "social_categories.yaml")["categories"]
    codes = {b["ru"]: b["code"] for b in bands} | {c["ru"]: c["code"] for c in cats}
    return codes | {"Мужчин": "male", "Женщин": "female"}


def beneficiary_stats_whole(stats: pd.DataFrame, codes: dict[str, str]) -> pd.DataFrame:
    """§4's tables in whole people: each table's printed (fractional) cells rebuilt by largest remainder
    so that they add up to the table's own printed total (``Количество участников…``)."""
    stats = stats.assign(value=[parse_reported(v).value for v in stats["value_text"]],
                         is_total=stats["column"].str.startswith("Количество участников"))
    parts = []
    for table, grp in stats[~stats["is_total"]].groupby("table", sort=True):
        total = int(stats.loc[stats["is_total"] & (stats["table"] == table), "value"].iloc[0])
        t = reach.shares_to_people(grp[["table", "column", "value_text", "value"]], "value", total)
        parts.append(t.assign(code=[safe_code(_label_code(c, codes)) for c in t["column"]], order=range(len(t))))
        if int(t["n_whole"].sum()) != total:
            raise ValueError(f"beneficiary_stats, table {table}: whole people add up to {int(t['n_whole'].sum())}, not {total}")
    return pd.concat(parts, ignore_index=True)


def core_tables(frames: dict[str, pd.DataFrame], codes: dict[str, str]) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    """The ``core_report__*`` tables of a transcription (name → frame, sort key): the printed cells
    parsed (:func:`parse_cells`), the events with their ids, the partners as printed, §4 in whole people."""
    reg = frames["events_register"].assign(event_id=lambda d: event_ids(d))
    return {
        "core_report__indicators": (parse_cells(frames["indicators_reported"], ["plan_text", "fact_text"]), ["row_id"]),
        "core_report__social_effect": (parse_cells(frames["social_effect"], ["plan_text", "fact_text"])
                                       .assign(order=range(len(frames["social_effect"]))), ["order"]),
        "core_report__budget": (parse_cells(frames["budget"], ["amount_text"]), ["line"]),
        "core_report__events": (parse_cells(reg, ["participants"])[["event_id", "event_type", "date", "topic", "participants",
                                                                     "participants_value", "source"]], ["event_id"]),
        "core_report__partners": (frames["partners"][["partner_no", "name_as_printed", "role_as_printed", "source"]], ["partner_no"]),
        "core_report__beneficiary_stats": (beneficiary_stats_whole(frames["beneficiary_stats"], codes), ["table", "order"]),
    }


def write_core_tables(tables: dict[str, tuple[pd.DataFrame, list[str]]], processed: Path) -> list[str]:
    """Write :func:`core_tables` (none without a transcription) and remove the ``core_report__*`` files of
    an earlier run that are not among them, so that no table of another report stays behind."""
    for stale in Path(processed).glob("core_report__*.parquet"):
        if stale.stem not in tables:
            stale.unlink()
    for name, (frame, key) in tables.items():
        write_out(frame, Path(processed) / f"{name}.parquet", key)
    return sorted(f"{name}.parquet" for name in tables)


def values_from(frames: dict[str, pd.DataFrame], codes: dict[str, str]) -> dict[str, float]:
    """:func:`reported_values` of the frames returned by :func:`read_transcriptions`."""
    return reported_values(indicators=frames["indicators_reported"], social_effect=frames["social_effect"],
                           stats=frames["beneficiary_stats"], budget=frames["budget"], info_work=frames["info_work"],
                           narrative=frames["narrative_figures"], register=frames["events_register"],
                           partners=frames["partners"], label_codes=codes)
