"""Rebuild the malformed-file corpus from the small fixture set: ``python tests/bad_inputs/build_corpus.py``.

Each file breaks one thing; tests/test_bad_inputs.py says what the cleaning must do with it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.demo.writers import write_csv, write_xlsx

HERE = Path(__file__).resolve().parent
FIX = HERE.parent / "fixtures" / "raw"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(FIX / name, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None, engine="python")


def main() -> None:
    pop = _csv("surveys/population_ru.csv").head(12)
    nonprof = _csv("surveys/nonprof_ru.csv").head(12)
    jour = _csv("journals/KOS_journal_2021.csv".replace("KOS", "KOS")) if False else None
    jour = pd.read_csv(FIX / "journals" / "KOS_journal_2021.csv", dtype=str, keep_default_na=False, encoding="cp1251", sep=";").head(10)
    part = pd.read_csv(FIX / "events" / "participants" / "RT-02.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=";").head(8)
    out = HERE
    w = lambda df, n, **kw: write_csv(df, out / n, **kw)  # noqa: E731
    # --- survey exports -----------------------------------------------------------------------
    (out / "population_ru__wrong_encoding_utf16.csv").write_bytes(pop.to_csv(index=False).encode("utf-16"))
    (out / "population_ru__wrong_encoding_koi8.csv").write_bytes(pop.to_csv(index=False).encode("koi8-r", errors="replace"))
    (out / "population_ru__empty.csv").write_bytes(b"")
    w(pop.head(0), "population_ru__header_only.csv")
    w(pop.drop(columns=["Ваш пол"]), "population_ru__missing_column.csv")
    w(pop.rename(columns={"Ваш возраст (полных лет)": "Возраст"}), "population_ru__renamed_column.csv")
    bad = pop.copy()
    bad.loc[2, "Ваш регион"] = "Марс"
    bad.loc[5, "Ваш регион"] = "Марс"
    bad.loc[3, "Ваш пол"] = "Другой"
    w(bad, "population_ru__unknown_label.csv")
    bad = pop.copy()
    bad.loc[4, "Отметка времени"] = "вчера вечером"
    w(bad, "population_ru__unparseable_date.csv")
    dup = pd.concat([pop, pop[["Ваш пол"]]], axis=1)
    w(dup, "population_ru__duplicated_columns.csv")
    bad = pop.copy()
    bad.loc[6, "Ваш возраст (полных лет)"] = "сорок"
    w(bad, "population_ru__numeric_text.csv")
    bad = pop.copy()
    bad.loc[7, "Ваш возраст (полных лет)"] = "250"
    w(bad, "population_ru__age_out_of_range.csv")
    bad = pop.copy()
    q = "Откуда Вы получаете информацию о медиации?"
    bad.loc[8, q] = "тест"
    w(bad, "population_ru__test_submission.csv")
    text = pop.to_csv(index=False, lineterminator="\r\n").splitlines()
    text[3] = text[3] + ",лишняя ячейка"
    (out / "population_ru__ragged_row.csv").write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    x = pop.copy()
    x[x.columns[0]] = pd.to_datetime(x[x.columns[0]], format="%d.%m.%Y %H:%M:%S")
    write_xlsx(x, out / "population_ru__merged_header.xlsx", title_rows=[["Ответы на форму (1)"] + [None] * (len(x.columns) - 1)], merge=f"A1:E1")
    (out / "population_ru__not_an_xlsx.xlsx").write_bytes(b"this is not a zip file\n")
    bad = nonprof.copy()
    grid = [c for c in bad.columns if c.endswith("]")][0]
    bad.loc[1, grid] = "Иногда"
    w(bad, "nonprof_ru__unknown_grid_label.csv")
    bad = pop.copy()
    bad.loc[9, "Адрес электронной почты"] = bad.loc[2, "Адрес электронной почты"]
    w(bad, "population_ru__duplicate_email.csv")
    # --- journals (file name starts with the office code) ---------------------------------------
    w(jour.drop(columns=["Оценка заявителя"]), "KOS_journal__missing_column.csv")
    w(jour.assign(**{"Адрес проживания": "ул. Абая 1"}), "KOS_journal__unknown_header.csv")
    w(jour, "journal_kostanay__bad_file_name.csv")
    bad = jour.copy()
    bad.loc[2, "Категория спора"] = "Космический"
    w(bad, "KOS_journal__unknown_value.csv")
    bad = jour.copy()
    bad.loc[3, "Дата консультации"] = "45.13.2021"
    w(bad, "KOS_journal__bad_date.csv")
    bad = jour.copy()
    bad.loc[4, "Количество сторон"] = "три"
    w(bad, "KOS_journal__n_parties_text.csv")
    bad = jour.copy()
    bad.loc[5, "Дата консультации"] = "15.01.2020"
    w(bad, "KOS_journal__out_of_period.csv")
    bad = pd.concat([jour, jour.iloc[[1]]], ignore_index=True)
    w(bad, "KOS_journal__duplicate_entry.csv")
    # --- participant lists (file name = event id) -----------------------------------------------
    bad = part.copy()
    bad.loc[1, "Страна"] = "Атлантида"
    (out / "participants_unknown_country").mkdir(exist_ok=True)
    w(bad, "participants_unknown_country/RT-02.csv")
    bad = part.copy()
    bad.loc[2, "Возраст"] = "двадцать"
    (out / "participants_age_text").mkdir(exist_ok=True)
    w(bad, "participants_age_text/RT-02.csv")


if __name__ == "__main__":
    main()
