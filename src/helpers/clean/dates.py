"""Dates and timestamps of the raw exports in any locale → ``pl.Datetime("us")``, and the fieldwork window.

The day/month order of a file's column is decided from the column's own values (:func:`decide_order`): a real
date whose first part is above 12 means day first, one whose second part is above 12 month first; both in one
column is an error naming a row of each kind. A column with no such value follows the export's locale, read from
its header (:func:`default_order`). The decision carries a sentence for the run log and the reviewer edition
(:attr:`DateOrder.reason`) and the column read in that order (:attr:`DateOrder.values`).

:func:`parse` then reads, in that order, ``d.m.yyyy``, ``d/m/yyyy``, ``d-m-yyyy`` (or ``m/d/…``; two-digit years
after dots or slashes), with an optional ``H:MM`` / ``H:MM:SS`` time on a 24-hour clock or a 12-hour one
(``AM/PM``, ``ДП/ПП``); and in any order ISO ``yyyy-mm-dd[ HH:MM[:SS[.ffffff]]]`` (also with ``T``), and Excel
serial numbers of the 1900 date system, as numbers or as text. The typist's ``27.05. 2021г.`` is tolerated.
Anything else is null, for the rules layer to reject with its reason. A Series is read faster than an expression:
its values in Google Forms' own layout (``22.04.2021 9:03:11``) by Polars' ``strptime``, only the others by these
rules. :func:`outside_window` is the ``out_of_period`` test.

Usage per file and column::

    order = decide_order(raw["Отметка времени"], source_rows=raw["source_row"],
                         name="surveys/population_ru.csv", column="Отметка времени")
    log.info(order.reason)                                        # and the reviewer edition shows it
    frame = raw.with_columns(order.values.alias("submitted_at"))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import polars as pl

from helpers.clean import CleaningError

Order = Literal["day_first", "month_first"]
Values = TypeVar("Values", pl.Series, pl.Expr)

#: the export's locale by its date header (case, spaces and ё/е aside): Google Forms writes
#: ``22.04.2021 9:03:11`` under «Отметка времени»/«Уақыт белгісі» and, in an en-US locale,
#: ``4/22/2021 9:03:11`` under «Timestamp»; the journals' date headers are Russian/Kazakh.
LOCALE_OF_HEADER: dict[str, Order] = {
    "timestamp": "month_first",
    **dict.fromkeys(["отметка времени", "уақыт белгісі", "дата", "дата консультации", "дата обращения", "күні",
                     "кеңес берілген күн"], "day_first"),
}

_D = "[0-9]"  # ASCII digits only (Rust's \d is any Unicode digit); \s is any Unicode space (NBSP too)
#: the typist's «г.», «года», «ж.», «жыл» after a date (``27.05.2021г.``)
_TAIL = r"(?:\s*(?:г\.?|года|ж\.?|жыл))?$"
#: day and month in either order (``27.05. 2021`` too), year last (4 or 2 digits), optional time
_NUMERIC = (rf"^(?P<a>{_D}{{1,2}})(?P<s1>[./-])\s*(?P<b>{_D}{{1,2}})(?P<s2>[./-])\s*(?P<y>{_D}{{2}}(?:{_D}{{2}})?)"
            rf"(?:,?\s+(?P<H>{_D}{{1,2}}):(?P<M>{_D}{{2}})(?::(?P<S>{_D}{{2}}))?"
            rf"(?:\s*(?P<p>[AaPp]\.?[Mm]\.?|[ДдПп][Пп]))?)?{_TAIL}")
_ISO = (rf"^(?P<y>{_D}{{4}})-(?P<m>{_D}{{1,2}})-(?P<d>{_D}{{1,2}})"
        rf"(?:(?:T|\s+)(?P<H>{_D}{{1,2}}):(?P<M>{_D}{{2}})(?::(?P<S>{_D}{{2}})(?:\.(?P<f>{_D}{{1,9}}))?)?)?{_TAIL}")
_SERIAL = rf"^{_D}{{1,7}}(?:[.,]{_D}+)?$"
#: a timestamp as Google Forms writes it, ``22.04.2021 9:03:11`` (ru, kk) or ``4/22/2021 9:03:11`` (en-US), with a
#: year from 1000 and seconds 00–59: read by Polars' ``strptime`` with a format of the column's order
#: (:data:`_FORMS_FORMAT`, after ``/`` → ``.``), which reads such a text exactly as the rules above do.
_FORMS = rf"^{_D}{{1,2}}(?:\.{_D}{{1,2}}\.|/{_D}{{1,2}}/)[1-9]{_D}{{3}} {_D}{{1,2}}:[0-5]{_D}:[0-5]{_D}$"
_FORMS_FORMAT: dict[Order, str] = {"day_first": "%d.%m.%Y %H:%M:%S", "month_first": "%m.%d.%Y %H:%M:%S"}
#: Excel's serial numbers: 1 = 1900-01-01 … 2958465 = 9999-12-31; 60 is Lotus' 29 February 1900
SERIAL_RANGE: tuple[int, int] = (1, 2_958_465)
_EXCEL_EPOCH_US = -25_569 * 86_400_000_000  # 1899-12-30 (serial 0 after the 1900 bug) from 1970-01-01
_DAY_US = 86_400_000_000


@dataclass(frozen=True)
class DateOrder:
    """How a column writes day and month, and why: ``reason`` is the run log's sentence; ``values``
    the column read in that order (:func:`decide_order` reads it in both)."""

    order: Order
    reason: str
    values: pl.Series | None = field(default=None, repr=False, compare=False)


def default_order(header: str) -> Order:
    """The export's locale from its date header (:data:`LOCALE_OF_HEADER`), else the project's (ru, kk): day first.

    >>> default_order(" Отметка  времени"), default_order("Timestamp"), default_order("Date")
    ('day_first', 'month_first', 'day_first')
    """
    return LOCALE_OF_HEADER.get(" ".join(header.replace("ё", "е").replace("Ё", "Е").split()).casefold(), "day_first")


_PARTS = ("year", "month", "day", "hour", "minute", "second", "micro")


def _field(name: str) -> pl.Expr:
    """A part of the date as an integer (inside ``struct.with_fields``: each regex runs once)."""
    return pl.field(name).cast(pl.Int64)


def _days_in_month(y: pl.Expr, m: pl.Expr) -> pl.Expr:
    """28–31 by the Gregorian calendar (1900 is no leap year, 2000 is).

    >>> pl.DataFrame({"y": [2000, 1900, 2021], "m": [2, 2, 4]}).select(_days_in_month(pl.col("y"), pl.col("m"))).to_series().to_list()
    [29, 28, 30]
    """
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    return pl.when(m == 2).then(28 + leap.cast(pl.Int64)).when(m.is_in([4, 6, 9, 11])).then(30).otherwise(31)


def _at(parts: pl.Expr) -> pl.Expr:
    """The timestamp of a struct of integer :data:`_PARTS`; a date or time that does not exist → null.

    Staged ``with_fields``: every part is computed once (no common-subexpression elimination
    inside a struct), and ``pl.datetime``, which raises on an impossible date, sees only real ones.
    """
    y, m, d, hour, minute, second, micro = (pl.field(n) for n in _PARTS)
    ok = (y.is_between(1, 9999) & m.is_between(1, 12) & d.is_between(1, _days_in_month(y, m))
          & hour.is_between(0, 23) & minute.is_between(0, 59) & second.is_between(0, 59) & micro.is_between(0, 999_999))
    safe = (pl.when(pl.field("ok")).then(pl.field(n)).otherwise(1) for n in _PARTS)
    at = pl.when(pl.field("ok")).then(pl.datetime(*safe))
    return parts.struct.with_fields(ok=ok.fill_null(False)).struct.with_fields(at=at).struct.field("at")


def _hour() -> pl.Expr:
    """The hour on a 24-hour clock: with AM/PM (ДП/ПП) only 1–12 is a clock hour, 12 AM is 0, 12 PM is 12."""
    hour = _field("H").fill_null(0)
    mark = pl.field("p").str.to_lowercase().str.slice(0, 1)  # a(m), p(m); Cyrillic д(п) before, п(п) after noon
    pm = pl.when(mark.is_in(["p", "п"])).then(12).otherwise(0)
    return pl.when(mark.is_null()).then(hour).when(hour.is_between(1, 12)).then(hour % 12 + pm)


def _numeric(t: pl.Expr, order: Order) -> pl.Expr:
    """``d.m.yyyy`` and its kin in ``order`` (the same separator twice). A two-digit year is
    2000–2068 or 1969–1999, as Python's ``%y``, after dots or slashes only: ``21-04-22`` may as
    well be ``yy-mm-dd``, so it stays unread."""
    day, month = ("a", "b") if order == "day_first" else ("b", "a")
    y, short = _field("y"), pl.field("y").str.len_chars() == 2
    year = pl.when(short & (y <= 68)).then(y + 2000).when(short).then(y + 1900).otherwise(y)
    sep = pl.field("s1")
    parts = t.str.extract_groups(_NUMERIC).struct.with_fields(
        year=pl.when((sep == pl.field("s2")) & ~(short & (sep == "-"))).then(year), month=_field(month), day=_field(day),
        hour=_hour(), minute=_field("M").fill_null(0), second=_field("S").fill_null(0), micro=pl.lit(0))
    return _at(parts)


def _iso(t: pl.Expr) -> pl.Expr:
    """``yyyy-mm-dd``, with ``HH:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff`` after a space or ``T``."""
    parts = t.str.extract_groups(_ISO).struct.with_fields(
        year=_field("y"), month=_field("m"), day=_field("d"), hour=_field("H").fill_null(0),
        minute=_field("M").fill_null(0), second=_field("S").fill_null(0),
        micro=pl.field("f").str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64).fill_null(0))
    return _at(parts)


def _serial(t: pl.Expr) -> pl.Expr:
    """An Excel serial number (1900 system): whole days since 1899-12-31 before serial 60, since
    1899-12-30 after it (Lotus' 1900-02-29, serial 60, is no date → null); the fraction is the
    time of day, to the millisecond."""
    x = pl.when(t.str.contains(_SERIAL)).then(t.str.replace(",", ".", literal=True)).cast(pl.Float64, strict=False)
    ok = x.is_between(SERIAL_RANGE[0], SERIAL_RANGE[1] + 1, closed="left") & (x.floor() != 60)
    us = (x * (_DAY_US // 1000)).round(0).cast(pl.Int64) * 1000 + _EXCEL_EPOCH_US
    us = us + pl.when(x < 60).then(_DAY_US).otherwise(0)
    return pl.when(ok).then(us).cast(pl.Datetime("us"))


def _parse_expr(values: pl.Expr, order: Order) -> pl.Expr:
    t = values.cast(pl.String).str.strip_chars()
    return pl.coalesce(_numeric(t, order), _iso(t), _serial(t))


def _parse_series(values: pl.Series, orders: Sequence[Order]) -> pl.DataFrame:
    """:func:`_parse_expr` of a Series in each of ``orders`` (a column each): Google Forms' own layout
    (:data:`_FORMS`) by ``strptime``, only the other texts by the rules (they are few: the slow part
    runs on them alone)."""
    v = pl.col("v")
    frame = values.cast(pl.String).alias("v").to_frame().with_columns(
        forms=pl.when(v.str.contains(_FORMS)).then(v.str.replace_all("/", ".", literal=True)))
    out = frame.select(pl.col("forms").str.strptime(pl.Datetime("us"), _FORMS_FORMAT[o], strict=False).alias(o) for o in orders)
    other = frame.with_row_index("i").filter(pl.col("forms").is_null() & v.is_not_null())
    rest = other.select(_parse_expr(v, o).alias(o) for o in orders)
    return out.with_columns(out[o].scatter(other["i"], rest[o]) for o in orders)


def parse(values: Values, order: DateOrder | Order) -> Values:
    """Dates and timestamps → ``pl.Datetime("us")``: a Series gives a Series, an expression an expression.

    Any dtype is read as its text (a Datetime/Date column as ISO, a number as a serial). Day and
    month of ``d.m.yyyy``-like values follow ``order``; ISO dates and serials need none.
    Unreadable values, dates that do not exist and hours outside the clock are null.

    >>> s = pl.Series(["22.04.2021 9:03:11", "27.05. 2021г.", "10.09.21", "2021-04-02 00:00:00", "44327.5", "x"])
    >>> parse(s, "day_first").dt.to_string("%Y-%m-%d %H:%M:%S").to_list()
    ['2021-04-22 09:03:11', '2021-05-27 00:00:00', '2021-09-10 00:00:00', '2021-04-02 00:00:00', '2021-05-11 12:00:00', None]
    >>> parse(pl.Series(["4/22/2021 3:03:11 PM", "4/22/2021 12:30 AM"]), "month_first").to_list()
    [datetime.datetime(2021, 4, 22, 15, 3, 11), datetime.datetime(2021, 4, 22, 0, 30)]
    """
    how = order.order if isinstance(order, DateOrder) else order
    if isinstance(values, pl.Expr):
        return _parse_expr(values, how)
    return _parse_series(values, [how]).to_series().alias(values.name)


def _shown(frame: pl.DataFrame) -> str:
    """«row 14 reads 25/03/2021» for the first evidence row."""
    value, row = frame.row(0)[:2]
    return f"row {row} reads {' '.join(value.split())}"


def _dates(n: int, kind: str = "") -> str:
    return f"{n} {kind}date{'' if n == 1 else 's'}"


def _by_evidence(found: pl.DataFrame, order: Order) -> str:
    part, other = ("first", "second") if order == "day_first" else ("second", "first")
    return f"{_shown(found)} ({_dates(found.height)} with a {part} part above 12, none with a {other})"


def _by_locale(texts: pl.Series, column: str, given: bool) -> str:
    n = texts.str.strip_chars().str.contains(_NUMERIC).sum()  # values with a day/month layout
    source = "the order given for this file" if given else f"the export's locale (header «{column}»)"
    seen = f"no real date with a day or month part above 12 among {_dates(n, 'day/month ')}" if n else "no day/month dates"
    return f"no evidence ({seen}): {source}"


def decide_order(values: pl.Series, *, source_rows: pl.Series, name: str, column: str,
                 default: Order | None = None) -> DateOrder:
    """The day/month order of one column (``values``, any dtype, read as text) of one file, from its own values.

    ``source_rows`` numbers the values as the file shows them; ``name`` (the file as the run names it) and
    ``column`` (its header) go into the reason and the error; ``default`` is the order when no value tells
    (``None``: :func:`default_order` of ``column``). The result carries the column read in that order.
    A :class:`CleaningError` names a row of each kind when one value reads day first and another month first.

    >>> s, rows = pl.Series(["03.04.2021", "25.04.2021"]), pl.Series([2, 3])
    >>> order = decide_order(s, source_rows=rows, name="j.csv", column="Дата")
    >>> order.reason
    'j.csv, column «Дата»: day first: row 3 reads 25.04.2021 (1 date with a first part above 12, none with a second)'
    >>> order.values.dt.to_string("%Y-%m-%d").to_list()
    ['2021-04-03', '2021-04-25']
    """
    both = pl.DataFrame({"v": values.cast(pl.String), "row": source_rows}).hstack(
        _parse_series(values, ["day_first", "month_first"]))
    day = both.filter(pl.col("day_first").is_not_null() & pl.col("month_first").is_null())  # a first part above 12
    month = both.filter(pl.col("month_first").is_not_null() & pl.col("day_first").is_null())  # a second part above 12
    where = f"{name}, column «{column}»"
    if day.height and month.height:
        raise CleaningError(f"{where}: day and month in both orders: {_shown(day)} (day first), {_shown(month)} (month first)")
    if day.height or month.height:
        order: Order = "day_first" if day.height else "month_first"
        reason = _by_evidence(day if day.height else month, order)
    else:
        order = default or default_order(column)
        reason = _by_locale(both["v"], column, default is not None)
    return DateOrder(order, f"{where}: {order.replace('_', ' ')}: {reason}", both[order].alias(values.name))


def fieldwork_window(start: dt.date, end: dt.date, margin_days: int) -> tuple[dt.date, dt.date]:
    """The first and last day a timestamp may fall on: ``[start − margin, end + margin]``.

    >>> fieldwork_window(dt.date(2021, 4, 1), dt.date(2021, 11, 25), 7)
    (datetime.date(2021, 3, 25), datetime.date(2021, 12, 2))
    """
    margin = dt.timedelta(days=margin_days)
    return start - margin, end + margin


def outside_window(ts: Values, start: dt.date, end: dt.date, margin_days: int) -> Values:
    """True where a timestamp falls outside :func:`fieldwork_window` (any time of its last day is
    inside); null where the timestamp is null — a missing date is another rule's business.

    >>> ts = pl.Series([dt.datetime(2021, 3, 31, 23, 59), dt.datetime(2021, 4, 30, 23, 59), None])
    >>> outside_window(ts, dt.date(2021, 4, 1), dt.date(2021, 4, 30), 0).to_list()
    [True, False, None]
    """
    first, last = fieldwork_window(start, end, margin_days)
    lo, hi = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    return (ts < lo) | (ts >= hi)
