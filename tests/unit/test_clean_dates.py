"""Dates in any locale (helpers.clean.dates): the day/month order decided per file and column, every
layout read to the right timestamp, the fieldwork window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_series_equal

from helpers import paths
from helpers.clean import CleaningError
from helpers.clean.dates import DateOrder, decide_order, default_order, fieldwork_window, outside_window, parse

D = dt.datetime


def _decide(values: list, *, column: str = "Дата", default=None) -> DateOrder:
    rows = pl.Series("source_row", range(2, len(values) + 2))
    return decide_order(pl.Series(column, values, dtype=pl.String), source_rows=rows,
                        name="journals/KAR.xlsx", column=column, default=default)


def _parse(values: list, order: str = "day_first") -> list:
    return parse(pl.Series("v", values), order).to_list()


class TestDecideOrder:
    def test__decide_order__a_first_part_above_12_means_day_first(self):
        order = _decide(["03/04/2021", "25/03/2021", None, "2021-04-05 00:00:00"])
        assert order == DateOrder("day_first", "journals/KAR.xlsx, column «Дата»: day first: row 3 reads 25/03/2021 "
                                               "(1 date with a first part above 12, none with a second)")

    def test__decide_order__a_second_part_above_12_means_month_first(self):
        order = _decide(["4/3/2021 9:03:11 AM", "3/25/2021 4:05:06 PM", "3/26/2021 4:05:06 PM"], column="Timestamp")
        assert order.order == "month_first"
        assert order.reason == ("journals/KAR.xlsx, column «Timestamp»: month first: row 3 reads 3/25/2021 4:05:06 PM "
                                "(2 dates with a second part above 12, none with a first)")

    def test__decide_order__both_orders_in_one_file__raises_naming_a_row_of_each(self):
        values = ["01/02/2021", "02/02/2021", "03/02/2021", "25/03/2021", "04/02/2021", "05/02/2021", "06/02/2021",
                  "03/25/2021"]
        with pytest.raises(CleaningError) as err:
            _decide(values)
        assert str(err.value) == ("journals/KAR.xlsx, column «Дата»: day and month in both orders: "
                                  "row 5 reads 25/03/2021 (day first), row 9 reads 03/25/2021 (month first)")

    def test__decide_order__no_evidence__follows_the_locale_of_the_header(self):
        order = _decide(["03.04.2021 9:03:11", "05.06.2021 10:00:00"], column="Отметка времени")
        assert order == DateOrder("day_first", "journals/KAR.xlsx, column «Отметка времени»: day first: no evidence "
                                               "(no real date with a day or month part above 12 among 2 day/month dates): "
                                               "the export's locale (header «Отметка времени»)")
        assert _decide(["4/3/2021 9:03:11"], column="Timestamp").order == "month_first"

    def test__decide_order__no_evidence__a_given_default_wins_over_the_header(self):
        order = _decide(["03.04.2021"], column="Отметка времени", default="month_first")
        assert order.order == "month_first"
        assert order.reason.endswith(": the order given for this file")

    def test__decide_order__iso_dates_and_serials_tell_nothing(self):
        order = _decide(["2021-04-25", "44327", None])
        assert order.order == "day_first"
        assert "no evidence (no day/month dates)" in order.reason

    def test__decide_order__a_value_that_is_no_date_in_either_order_is_no_evidence(self):
        order = _decide(["4/3/2021", "31.02.2021 25:61:00", "45.13.2021", "3/25/2021"], column="Timestamp")
        assert order.order == "month_first"  # no error: rows 3 and 4 are bad dates, for the rules to reject


class TestDefaultOrder:
    @pytest.mark.parametrize(("header", "order"), [
        ("Отметка времени", "day_first"), ("Уақыт белгісі", "day_first"), ("  TIMESTAMP ", "month_first"),
        ("Дата консультации", "day_first"), ("Күні", "day_first"), ("Something else", "day_first"),
    ])
    def test__default_order__the_locale_of_the_export(self, header, order):
        assert default_order(header) == order


class TestParse:
    def test__parse__day_first_layouts_and_times(self):
        values = ["22.04.2021 9:03:11", "22/04/2021 09:03", "22-04-2021", " 5.4.2021 ", "22.04.2021, 23:59:59",
                  "27.05. 2021г.", "27.05.2021 года", "10.09.21", "10.09.69", "22.04.2021\u00a09:03:11"]
        assert _parse(values) == [D(2021, 4, 22, 9, 3, 11), D(2021, 4, 22, 9, 3), D(2021, 4, 22), D(2021, 4, 5),
                                  D(2021, 4, 22, 23, 59, 59), D(2021, 5, 27), D(2021, 5, 27), D(2021, 9, 10),
                                  D(1969, 9, 10), D(2021, 4, 22, 9, 3, 11)]

    def test__parse__month_first_with_a_12_hour_clock(self):
        values = ["4/22/2021 3:03:11 PM", "4/22/2021 12:30:00 AM", "4/22/2021 12:30 PM", "4/22/2021 11:59 pm",
                  "4/22/2021 1:00:00\u202fAM", "4/22/2021 9:03:11", "04.22.2021"]
        assert _parse(values, "month_first") == [D(2021, 4, 22, 15, 3, 11), D(2021, 4, 22, 0, 30), D(2021, 4, 22, 12, 30),
                                                 D(2021, 4, 22, 23, 59), D(2021, 4, 22, 1), D(2021, 4, 22, 9, 3, 11),
                                                 D(2021, 4, 22)]

    def test__parse__russian_excel_dp_pp(self):
        assert _parse(["22.04.2021 1:05 ПП", "22.04.2021 12:05 ДП"]) == [D(2021, 4, 22, 13, 5), D(2021, 4, 22, 0, 5)]

    def test__parse__iso_in_any_order(self):
        values = ["2021-04-22", "2021-04-22 09:03", "2021-04-22 09:03:11", "2021-04-22T09:03:11", "2021-04-22 09:03:11.25"]
        expected = [D(2021, 4, 22), D(2021, 4, 22, 9, 3), D(2021, 4, 22, 9, 3, 11), D(2021, 4, 22, 9, 3, 11),
                    D(2021, 4, 22, 9, 3, 11, 250000)]
        assert _parse(values, "day_first") == expected
        assert _parse(values, "month_first") == expected

    def test__parse__excel_serial_numbers_1900_system(self):
        values = ["1", "59", "61", "44197", "44327.5", "44327,25", "2958465"]
        assert _parse(values) == [D(1900, 1, 1), D(1900, 2, 28), D(1900, 3, 1), D(2021, 1, 1), D(2021, 5, 11, 12),
                                  D(2021, 5, 11, 6), D(9999, 12, 31)]

    def test__parse__numbers_and_temporal_columns_are_read_too(self):
        assert parse(pl.Series([44327.5, None]), "day_first").to_list() == [D(2021, 5, 11, 12), None]
        assert parse(pl.Series([44327]), "day_first").to_list() == [D(2021, 5, 11)]
        assert parse(pl.Series([dt.date(2021, 5, 11)]), "month_first").to_list() == [D(2021, 5, 11)]
        assert parse(pl.Series([D(2021, 5, 11, 9, 3, 11, 5)]), "month_first").to_list() == [D(2021, 5, 11, 9, 3, 11, 5)]

    def test__parse__what_is_no_date_is_null(self):
        values = ["вчера вечером", "", "   ", None, "45.13.2021", "31.02.2021", "29.02.2021", "22.04.2021 25:00:00",
                  "22.04.2021 9:61", "22.04.2021 0:30 AM", "22.04.2021 13:30 PM", "22.04/2021", "22.04.202", "0", "60",
                  "2958466", "-5", "21-04-22", "2021-13-01", "22.04.2021 9:03:11 extra", "٢٢.٠٤.٢٠٢١"]
        assert _parse(values) == [None] * len(values)

    def test__parse__google_forms_layout_as_the_rules_read_it(self):
        # the export's own layout is read by Polars' strptime: where strptime alone would differ
        # (two-digit or zero year, a leap second, one-digit minutes, spaces), the rules decide
        values = ["22.04.2021 9:03:11", "1.9.2021 09:03:11", "10.09.21 9:03:11", "10.09.0021 9:03:11", "10.09.0000 9:03:11",
                  "10.09.2021 23:59:60", "10.09.2021 24:00:00", "10.09.2021 9:3:11", "10.09.2021 9: 03:11",
                  "10.09.20219:03:11", "10.09/2021 9:03:11"]
        assert _parse(values) == [D(2021, 4, 22, 9, 3, 11), D(2021, 9, 1, 9, 3, 11), D(2021, 9, 10, 9, 3, 11),
                                  D(21, 9, 10, 9, 3, 11)] + [None] * 7
        assert _parse(["4/22/2021 9:03:11", "22.04.2021 9:03:11"], "month_first") == [D(2021, 4, 22, 9, 3, 11), None]

    def test__parse__leap_days(self):
        assert _parse(["29.02.2024", "29.02.2000", "29.02.1900", "2100-02-29"]) == [D(2024, 2, 29), D(2000, 2, 29), None, None]

    def test__parse__a_date_order_and_an_expression(self):
        order = DateOrder("month_first", "given")
        frame = pl.DataFrame({"ts": ["3/25/2021 4:05:06 PM", "x"]})
        out = frame.select(parse(pl.col("ts"), order).alias("at"))
        assert_series_equal(out["at"], pl.Series("at", [D(2021, 3, 25, 16, 5, 6), None], dtype=pl.Datetime("us")))

    def test__parse__keeps_the_name_and_gives_microseconds(self):
        out = parse(pl.Series("Отметка времени", ["22.04.2021 9:03:11"]), "day_first")
        assert_series_equal(out, pl.Series("Отметка времени", [D(2021, 4, 22, 9, 3, 11)], dtype=pl.Datetime("us")))


class TestOutsideWindow:
    def test__outside_window__margin_days_and_the_whole_last_day(self):
        ts = pl.Series([D(2021, 3, 24, 23, 59), D(2021, 3, 25), D(2021, 12, 2, 23, 59, 59), D(2021, 12, 3), None])
        out = outside_window(ts, dt.date(2021, 4, 1), dt.date(2021, 11, 25), 7)
        assert_series_equal(out, pl.Series([True, False, False, True, None]), check_names=False)

    def test__outside_window__as_an_expression(self):
        frame = pl.DataFrame({"at": [D(1899, 12, 30), D(2031, 1, 1), D(2021, 5, 10, 12)]})
        out = frame.select(outside_window(pl.col("at"), dt.date(2021, 4, 1), dt.date(2021, 11, 25), 0))
        assert out["at"].to_list() == [True, True, False]

    def test__fieldwork_window__is_the_period_widened_by_the_margin(self):
        assert fieldwork_window(dt.date(2021, 4, 1), dt.date(2021, 11, 25), 0) == (dt.date(2021, 4, 1), dt.date(2021, 11, 25))


# ---- the demo exports: read exactly as the old pandas parser reads them --------------------------

