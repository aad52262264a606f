"""The row rules of the intake: each rule marks rows rejected or duplicate; the collector balances."""

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from helpers.clean import CleaningError
from helpers.clean.rules import Duplicate, Rule, apply, check_repeats, check_share, collect


def _marks(frame: pl.DataFrame) -> list[tuple]:
    return frame.select("source_row", "_rule", "_kept_row").rows()


class TestApply:
    def test__apply__the_first_rule_a_row_breaks_is_its_rule(self):
        f = pl.DataFrame({"source_row": [2, 3], "a": [None, "x"]})
        out = apply(f, [Rule("empty_row", "no answer", pl.col("a").is_null()),
                        Rule("always", "second rule", pl.lit(True))])
        assert out["_rule"].to_list() == ["empty_row", "always"]

    def test__apply__a_null_condition_keeps_the_row(self):
        f = pl.DataFrame({"source_row": [2], "n": [None]}, schema={"source_row": pl.Int64, "n": pl.Int64})
        out = apply(f, [Rule("too_big", "above 5", pl.col("n") > 5)])
        assert out["_rule"].to_list() == [None]

    def test__apply__detail_and_value_are_per_row(self):
        f = pl.DataFrame({"source_row": [2, 3], "parties": ["2.5", "2"]})
        bad = pl.col("parties").cast(pl.Int64, strict=False).is_null()
        out = apply(f, [Rule("not_whole", "a count must be a whole number", bad, column="parties",
                             value=pl.col("parties"), detail=pl.col("parties"))])
        assert out.select("_reason", "_column", "_value").row(0) == (
            "a count must be a whole number: 2.5", "parties", "2.5")
        assert out.select("_reason").row(1) == (None,)

    def test__apply__a_null_detail_adds_nothing_to_the_reason(self):
        f = pl.DataFrame({"source_row": [2], "n": ["x"]})
        out = apply(f, [Rule("not_a_number", "not a number", pl.lit(True), detail=pl.lit(None, dtype=pl.String))])
        assert out["_reason"].to_list() == ["not a number"]

    def test__apply__a_rule_after_a_duplicate_rule_sees_its_marks(self):
        f = pl.DataFrame({"source_row": [2, 3], "mail": ["a", "a"]})
        out = apply(f, [Duplicate("duplicate_mail", "as row {kept}", key=["mail"]), Rule("always", "any row", pl.lit(True))])
        assert _marks(out) == [(2, "always", None), (3, "duplicate_mail", 2)]

    def test__apply__without_source_row__raises(self):
        with pytest.raises(ValueError, match="source_row"):
            apply(pl.DataFrame({"a": [1]}), [])


class TestDuplicate:
    def test__duplicate__the_earliest_by_order_is_kept_not_the_first_row(self):
        f = pl.DataFrame({"source_row": [2, 3, 4], "mail": ["a", "a", "b"],
                          "at": [dt.datetime(2021, 5, 2), dt.datetime(2021, 5, 1), dt.datetime(2021, 5, 1)]})
        out = apply(f, [Duplicate("duplicate_respondent", "same e-mail as row {kept}", key=["mail"], order=["at"])])
        assert _marks(out) == [(2, "duplicate_respondent", 3), (3, None, None), (4, None, None)]
        assert out["_reason"][0] == "same e-mail as row 3"

    def test__duplicate__rows_rejected_earlier_are_not_kept_copies(self):
        f = pl.DataFrame({"source_row": [2, 3, 4], "mail": ["a", "a", "a"], "test": [True, False, False]})
        out = apply(f, [Rule("test_submission", "a test", pl.col("test")),
                        Duplicate("duplicate_respondent", "as row {kept}", key=["mail"])])
        assert _marks(out) == [(2, "test_submission", None), (3, None, None), (4, "duplicate_respondent", 3)]

    def test__duplicate__null_keys_are_never_duplicates(self):
        f = pl.DataFrame({"source_row": [2, 3], "mail": [None, None]}, schema={"source_row": pl.Int64, "mail": pl.String})
        out = apply(f, [Duplicate("duplicate_respondent", "as row {kept}", key=["mail"])])
        assert out["_rule"].to_list() == [None, None]

    def test__duplicate__window_limits_how_late_a_copy_may_come(self):
        t0 = dt.datetime(2021, 5, 1, 10)
        f = pl.DataFrame({"source_row": [2, 3, 4], "answers": ["x", "x", "x"],
                          "at": [t0, t0 + dt.timedelta(hours=23), t0 + dt.timedelta(hours=25)]})
        out = apply(f, [Duplicate("duplicate_submission", "identical to row {kept}", key=["answers"], order=["at"],
                                  window=("at", dt.timedelta(hours=24)))])
        assert _marks(out) == [(2, None, None), (3, "duplicate_submission", 2), (4, None, None)]

    def test__duplicate__several_key_columns(self):
        f = pl.DataFrame({"source_row": [2, 3, 4], "who": ["p1", "p1", "p1"], "day": ["d1", "d2", "d1"]})
        out = apply(f, [Duplicate("duplicate_consultation", "as row {kept}", key=["who", "day"])])
        assert _marks(out) == [(2, None, None), (3, None, None), (4, "duplicate_consultation", 2)]


class TestCollect:
    def test__collect__kept_rows_rejected_records_and_a_balanced_accounting(self):
        f = apply(pl.DataFrame({"source_row": [2, 3, 4, 5], "mail": ["a", "a", None, "b"], "age": ["30", "40", "x", "50"]}),
                  [Rule("not_a_number", "age is not a number", pl.col("age").cast(pl.Int64, strict=False).is_null(),
                        column="age", value=pl.col("age")),
                   Duplicate("duplicate_respondent", "same e-mail as row {kept}", key=["mail"])])
        o = collect(f, "surveys/x.csv")
        assert_frame_equal(o.kept, pl.DataFrame({"source_row": [2, 5], "mail": ["a", "b"], "age": ["30", "50"]}))
        assert o.rejected.rows() == [(3, "duplicate_respondent", "same e-mail as row 2", "", None),
                                     (4, "not_a_number", "age is not a number", "age", "x")]
        assert o.accounting == {"source_file": "surveys/x.csv", "rows_in": 4, "rows_kept": 2,
                                "rows_rejected": 1, "rows_duplicate": 1}

    def test__collect__masks_the_values_it_records(self):
        f = apply(pl.DataFrame({"source_row": [2], "phone": ["8 701 123 45 67"]}),
                  [Rule("bad_phone", "not a count", pl.lit(True), column="phone", value=pl.col("phone"))])
        o = collect(f, "journals/a.csv", mask=lambda text: "[phone]")
        assert o.rejected["value"].to_list() == ["[phone]"]


class TestCheckShare:
    def _outcome(self, bad: int, good: int):
        f = pl.DataFrame({"source_row": list(range(2, 2 + bad + good)), "ok": [False] * bad + [True] * good})
        return collect(apply(f, [Rule("bad_date", "the date is in no known format", ~pl.col("ok"))]), "journals/a.xlsx")

    def test__check_share__half_rejected_is_allowed(self):
        check_share(self._outcome(2, 2), 0.5)

    def test__check_share__more_stops_the_run_naming_the_reasons(self):
        with pytest.raises(CleaningError, match=r"journals/a.xlsx: 3 of 4 rows rejected \(75 %.*the date is in no known format \(3 rows\)"):
            check_share(self._outcome(3, 1), 0.5)


class TestCheckRepeats:
    def _rows(self, rows: list[tuple]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema={"key": pl.String, "shown": pl.String, "source_file": pl.String, "source_row": pl.Int64}, orient="row")

    def test__check_repeats__no_key_twice_passes(self):
        check_repeats(self._rows([("a", "A", "x.csv", 2), ("b", "B", "x.csv", 3), (None, None, "y.csv", 2), (None, None, "y.csv", 3)]), ["key"], "twice")

    def test__check_repeats__names_every_file_and_row_of_each_repeat(self):
        f = self._rows([("b", "B", "y.csv", 4), ("a", "A", "x.csv", 2), ("b", "B", "x.csv", 7), ("c", "C", "x.csv", 3), ("a", "A", "x.csv", 9)])
        with pytest.raises(CleaningError) as info:
            check_repeats(f, ["key"], "recorded twice")
        assert str(info.value) == "recorded twice: a: x.csv row 2, x.csv row 9; b: x.csv row 7, y.csv row 4"

    def test__check_repeats__a_whole_file_is_named_without_a_row(self):
        with pytest.raises(CleaningError, match=r"^two lists: a: RT-02\.csv, rt-02\.xlsx$"):
            check_repeats(self._rows([("a", "A", "rt-02.xlsx", 1), ("a", "A", "RT-02.csv", 1)]), ["key"], "two lists")

    def test__check_repeats__label_shows_a_group_instead_of_its_key(self):
        with pytest.raises(CleaningError) as info:
            check_repeats(self._rows([("p-secret", "KOS, 29.04.2021", "a.xlsx", 6), ("p-secret", "KOS, 29.04.2021", "b.xlsx", 2)]),
                          ["key"], "the same", label=pl.col("shown"))
        assert "p-secret" not in str(info.value) and "KOS, 29.04.2021: a.xlsx row 6, b.xlsx row 2" in str(info.value)

    def test__check_repeats__across_files_leaves_repeats_inside_one_file(self):
        inside = self._rows([("a", "A", "x.csv", 2), ("a", "A", "x.csv", 5)])
        check_repeats(inside, ["key"], "twice", across_files=True)
        with pytest.raises(CleaningError, match=r"twice: a: x\.csv row 2, x\.csv row 5, y\.csv row 3$"):
            check_repeats(pl.concat([inside, self._rows([("a", "A", "y.csv", 3)])]), ["key"], "twice", across_files=True)
