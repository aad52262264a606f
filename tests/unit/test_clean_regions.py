"""The 2022 oblasts (Abai, Zhetisu, Ulytau) are regions of their own for periods from 2022, and the
regions they were split from (VKO, ALM, KAR) before (issue 17, part 5): in the region lookup, the
survey respondents' region answers, the journals' region cells, the event register and the schemas."""

import datetime as dt
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from helpers import paths
from helpers.clean import CleaningError, events, journals, regions, surveys, write
from helpers.clean.masking import mask
from helpers.clean.offices import load_offices
from helpers.clean.reference import load_reference
from helpers.clean.schemas import survey_schema
from helpers.demo.writers import write_csv

P2021 = (dt.date(2021, 4, 1), dt.date(2021, 11, 25))
P2022 = (dt.date(2022, 4, 1), dt.date(2022, 11, 25))  # reaches 2022-06-08, when the three oblasts were formed
NEW = ["ABA", "ZHE", "ULY"]
#: as respondents and office staff write them → (region in a 2021 period, region in a 2022 period)
SPELLINGS = {
    "Абайская область": ("VKO", "ABA"),
    "Абай облысы": ("VKO", "ABA"),
    "область Жетісу": ("ALM", "ZHE"),
    "Жетысуская обл.": ("ALM", "ZHE"),
    "Ұлытау облысы": ("KAR", "ULY"),
    "г. Семей": ("VKO", "ABA"),
    "Восточно-Казахстанская область": ("VKO", "VKO"),
    "Алматы облысы": ("ALM", "ALM"),
}
PERIODS = [pytest.param(P2021, 0, id="2021"), pytest.param(P2022, 1, id="2022")]
#: twelve responses that break no rule (the corpus' control export)
CONTROL = paths.TESTS / "bad_inputs" / "population_ru__control_as_downloaded.csv"


class TestReference:
    @pytest.mark.parametrize("period, k", PERIODS)
    def test__load_reference__spellings_give_the_regions_of_the_period(self, period, k):
        ref = load_reference(paths.CONFIG, period)
        found = regions.codes_of(list(SPELLINGS), ref.region_lookup)
        assert {text: code for text, (code, _) in found.items()} == {text: codes[k] for text, codes in SPELLINGS.items()}

    def test__load_reference__region_codes_of_the_period(self):
        codes_2021 = load_reference(paths.CONFIG, P2021).region_codes
        assert len(codes_2021) == 17 and not set(NEW) & set(codes_2021)
        assert load_reference(paths.CONFIG, P2022).region_codes == [*codes_2021, *NEW]
        assert load_reference(paths.CONFIG, (dt.date(2022, 1, 1), dt.date(2022, 6, 7))).region_codes == codes_2021

    def test__load_reference__without_a_period_the_2021_regions(self):
        assert load_reference(paths.CONFIG) == load_reference(paths.CONFIG, P2021)

    def test__lookup__a_2022_code_is_a_spelling_only_in_its_period(self):
        cfg = regions.load_regions(paths.CONFIG)
        assert regions.lookup(cfg, own=NEW)["aba"] == "ABA" and "aba" not in regions.lookup(cfg)


class TestSurveys:
    def _export(self, tmp_path: Path, year: int) -> Path:
        df = pd.read_csv(CONTROL, dtype=str, keep_default_na=False)
        df["Ваш регион"] = [*SPELLINGS, *df["Ваш регион"][len(SPELLINGS):]]
        df["Отметка времени"] = df["Отметка времени"].str.replace(".2021 ", f".{year} ", regex=False)
        return write_csv(df, tmp_path / "population_ru.csv")

    @pytest.mark.parametrize("period, k", PERIODS)
    def test__clean_export__respondents_region_answers_by_period(self, tmp_path, period, k):
        ref = load_reference(paths.CONFIG, period)
        cb = ref.codebooks["population"]
        raw = surveys.read_export(self._export(tmp_path, period[0].year), "surveys/population_ru.csv", cb)
        res = surveys.clean_export(raw, cb, ref, "surveys/population_ru.csv", "ru", "salt", (*period, 7))
        assert res.outcome.accounting["rows_kept"] == 12
        region = dict(zip(res.clean["source_row"], res.clean["region"]))
        assert [region[row] for row in range(2, 2 + len(SPELLINGS))] == [codes[k] for codes in SPELLINGS.values()]
        write.validate(res.clean, survey_schema(cb, ref.region_codes, ref.band_codes), "core_survey__population", mask)

    def test__survey_schema__a_2021_period_admits_no_2022_region(self, tmp_path):
        ref = load_reference(paths.CONFIG, P2022)
        cb = ref.codebooks["population"]
        raw = surveys.read_export(self._export(tmp_path, 2022), "surveys/population_ru.csv", cb)
        clean = surveys.clean_export(raw, cb, ref, "surveys/population_ru.csv", "ru", "salt", (*P2022, 7)).clean
        with pytest.raises(CleaningError, match="region"):
            write.validate(clean, survey_schema(cb, load_reference(paths.CONFIG, P2021).region_codes, ref.band_codes), "core_survey__population", mask)


class TestJournalsAndRegister:
    @pytest.mark.parametrize("period, k", PERIODS)
    def test__clean_journal__region_cells_by_period(self, tmp_path, period, k):
        y = period[0].year
        lines = [f"0{i + 1}.07.{y};Заявитель {chr(0x410 + i)};8 701 000 00 0{i};{text};В кабинете;Семейный;2;Медиатор А;Соглашение;+"
                 for i, text in enumerate(SPELLINGS)]
        path = tmp_path / "VKO_journal.csv"
        path.write_text("Дата;ФИО;Телефон;Область;Форма;Категория спора;Количество сторон;Медиатор;Итог;Оценка\n" + "\n".join(lines) + "\n",
                        encoding="utf-8")
        ref = load_reference(paths.CONFIG, period)
        res = journals.clean_journal(journals.read_journal(path, path.name, ref), ref, path.name, "salt", period,
                                     load_offices(paths.CONFIG, period))
        assert res.clean["region"].to_list() == [codes[k] for codes in SPELLINGS.values()]

    @pytest.mark.parametrize("period, expected", [pytest.param(P2021, "KAR;VKO", id="2021"), pytest.param(P2022, "ABA;ULY", id="2022")])
    def test__clean_register__several_regions_in_one_cell_by_period(self, tmp_path, period, expected):
        path = tmp_path / "events_register.csv"
        frame = pl.DataFrame({c: [""] for c in events.REGISTER_COLUMNS}).with_columns(
            event_no=pl.lit("1"), event_type=pl.lit("Круглый стол"), date=pl.lit(f"15.09.{period[0].year}"), topic=pl.lit("Медиация"),
            regions=pl.lit("Абай облысы, Ұлытау облысы"), participants=pl.lit("20"))
        frame.write_csv(path)
        ref = load_reference(paths.CONFIG, period)
        res = events.clean_register(events.read_register(path, path.name), ref, path.name, "salt")
        assert res.clean["regions"].to_list() == [expected]


class TestOffices:
    def test__load_offices__an_office_of_a_2022_oblast_belongs_to_its_parent_before_2022(self, tmp_path):
        (tmp_path / "regions.yaml").write_bytes((paths.CONFIG / "regions.yaml").read_bytes())
        text = (paths.CONFIG / "offices.yaml").read_text(encoding="utf-8")
        (tmp_path / "offices.yaml").write_text(text.replace("    region: ALM\n", "    region: ZHE\n"), encoding="utf-8")
        assert load_offices(tmp_path)["ALM"].region == "ZHE"
        assert load_offices(tmp_path, P2021)["ALM"].region == "ALM"
        assert load_offices(tmp_path, P2022)["ALM"].region == "ZHE"
        assert {o.region for o in load_offices(paths.CONFIG, P2022).values()} == {o.region for o in load_offices(paths.CONFIG).values()}
