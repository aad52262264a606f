"""KoboToolbox exports are cleaned by the same codebooks into the same answers as Google Forms exports.

The fixture's Google Forms exports are rewritten the way Kobo exports them — XML names (question ids,
choice names, select-multiple as one 0/1 column per choice or as one column of space-separated names)
or labels, Kobo's own columns added, ``_submission_time`` in ISO — saved as XLSX, read and cleaned, and
the coded answers compared with those of the original export, row by row.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from helpers import paths
from helpers.clean import answers, dates, surveys
from helpers.clean.reference import load_reference

FIX = paths.TESTS / "fixtures" / "raw" / "surveys"
REF = load_reference(paths.CONFIG)
WINDOW = (dt.date(2021, 4, 1), dt.date(2021, 11, 25), 7)


def _clean(path, survey: str) -> surveys.ExportResult:
    cb = REF.codebooks[survey]
    return surveys.clean_export(surveys.read_export(path, path.name, cb), cb, REF, path.name, "ru", "salt", WINDOW)


def _kobo(survey: str, multi_as: str, headers: str) -> pl.DataFrame:
    """The fixture's Forms export of ``survey`` as Kobo would export it."""
    cb = REF.codebooks[survey]
    forms = pl.read_csv(FIX / f"{survey}_ru.csv", infer_schema=False)
    plan = surveys.column_plan(cb, forms.columns, "x")
    inv = {v: k for k, v in plan.items()}
    ts = dates.parse(forms[inv[("__timestamp", None)]], "day_first").dt.strftime("%Y-%m-%dT%H:%M:%S")
    out = {"start": ts, "end": ts, "_id": pl.Series(range(forms.height)).cast(pl.String), "_uuid": ts, "_submission_time": ts}
    if ("__email", None) in inv:  # the e-mail question keeps its label
        out[cb["email_header"]["ru"]] = forms[inv[("__email", None)]]
    for q in cb["questions"]:
        for row in q["rows"] if q["type"] == "grid" else [None]:
            col = forms[inv[(q["id"], row and row["code"])]]
            name = f"{q['id']}_{row['code']}" if row else q["id"]
            if headers == "labels":
                out[f"{q['ru']} [{row['ru']}]" if row else q["ru"]] = col
            elif q["type"] in ("single", "likert", "grid"):
                out[name] = answers.code_single(col, answers.label_codes(q["options"]))[0]
            elif q["type"] == "multi":
                split = answers.split_multi(col.to_frame("v"), "v", q["options"])
                codes = [o["code"] for o in q["options"]]
                if multi_as == "columns":
                    out |= {f"{name}/{c}": split[c].cast(pl.Int8).cast(pl.String) for c in codes}
                else:
                    ticked = [pl.when(pl.col(c)).then(pl.lit(c)) for c in codes]
                    out[name] = split.select(pl.concat_str(ticked, separator=" ", ignore_nulls=True))[:, 0]
            else:
                out[name] = col
    return pl.DataFrame(out)


def _answers(frame: pl.DataFrame) -> pl.DataFrame:
    keep = [c for c in frame.columns if c not in ("response_id", "respondent_id", "source_file", "submitted_at")
            and not c.endswith(("__other", "__other_text", "__answered"))]
    return frame.select(keep).sort("source_row")


@pytest.mark.parametrize("survey, multi_as, headers", [("population", "columns", "names"), ("population", "names", "names"),
                                                       ("population", "columns", "labels"), ("nonprof", "columns", "names"),
                                                       ("courts_mediators", "names", "names")])
def test__kobo_export__same_answers_as_the_forms_export(tmp_path, survey, multi_as, headers):
    kobo = _kobo(survey, multi_as, headers)
    path = tmp_path / f"{survey}_ru.xlsx"
    kobo.to_pandas().to_excel(path, index=False)  # openpyxl, as Kobo's XLSX
    forms_res, got_res = _clean(FIX / f"{survey}_ru.csv", survey), _clean(path, survey)
    forms, got = forms_res.clean, got_res.clean
    other = [c for c in forms.columns if c.endswith("__other")]  # Kobo's «other» is a question of its own
    with_other = forms.filter(pl.any_horizontal(other) if other else pl.lit(False))["source_row"]
    # a «тест» typed into a choice question marks a Forms test submission; a Kobo choice cannot hold it
    typed_test = forms_res.outcome.rejected.filter(pl.col("rule") == "test_submission")["source_row"]
    assert set(got["source_row"]) - set(forms["source_row"]) <= set(typed_test)
    drop = pl.col("source_row").is_in(pl.concat([with_other, typed_test]).implode())
    expected, actual = _answers(forms.filter(~drop)), _answers(got.filter(~drop))
    assert actual.height == expected.height > 20
    assert actual.equals(expected)
    assert got["submitted_at"].dt.date().min() >= WINDOW[0]
