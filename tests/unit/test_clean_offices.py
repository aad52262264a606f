"""helpers.clean.offices: offices as data, the office of a journal file, safe ids, regions of a period."""

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers import paths
from helpers.clean import CleaningError
from helpers.clean.offices import Office, load_offices, office_of, regions_for_period, safe_id
from helpers.config_files import read_yaml

REGIONS = """\
regions:
  - {code: ALA, ru: г. Алматы, kk: Алматы қаласы, en: Almaty}
  - {code: VKO, ru: Восточно-Казахстанская область, kk: Шығыс Қазақстан облысы, en: East Kazakhstan Region}
  - {code: KAR, ru: Карагандинская область, kk: Қарағанды облысы, en: Karaganda Region}
new_2022:
  - {code: ABA, ru: Абайская область, kk: Абай облысы, en: Abai Region, maps_to: VKO, valid_from: 2022-06-08}
  - {code: ULY, ru: Улытауская область, kk: Ұлытау облысы, en: Ulytau Region, maps_to: KAR, valid_from: 2022-06-08}
"""

# three offices in one city and region, Cyrillic ids, one id a prefix of another, one office in a 2022 region
OFFICES = """\
offices:
  - id: ALA
    ru: Кабинет медиации в г. Алматы
    kk: Алматы қаласындағы медиация кабинеті
    region: ALA
    city: {ru: Алматы, kk: Алматы}
    opened: 2021-04-01
  - id: Алматы-2
    ru: Второй кабинет медиации в г. Алматы
    kk: Алматы қаласындағы екінші медиация кабинеті
    region: ALA
    city: {ru: Алматы, kk: Алматы}
    opened: '2022-09-01'
  - id: Алматы
    ru: Кабинет медиации «Алматы»
    kk: «Алматы» медиация кабинеті
    region: ALA
    city: {ru: Алматы, kk: Алматы}
    opened: 2021-04-01
  - id: Семей
    ru: Кабинет медиации в г. Семей
    kk: Семей қаласындағы медиация кабинеті
    region: ABA
    city: {ru: Семей, kk: Семей}
    opened: 2022-07-01
"""

ONE = """\
offices:
  - id: KAR
    ru: Кабинет медиации в г. Караганда
    kk: Қарағанды қаласындағы медиация кабинеті
    region: KAR
    city: {ru: Караганда, kk: Қарағанды}
    opened: 2021-04-01
"""


def _config(tmp_path: Path, offices: str = OFFICES, regions: str = REGIONS) -> Path:
    (tmp_path / "regions.yaml").write_text(regions, encoding="utf-8")
    (tmp_path / "offices.yaml").write_text(offices, encoding="utf-8")
    return tmp_path


@pytest.fixture
def offices(tmp_path) -> dict[str, Office]:
    return load_offices(_config(tmp_path))


class TestLoadOffices:
    def test__load_offices__reads_fields_in_file_order(self, offices):
        assert list(offices) == ["ALA", "Алматы-2", "Алматы", "Семей"]
        assert offices["Алматы-2"] == Office("Алматы-2", "Второй кабинет медиации в г. Алматы", "Алматы қаласындағы екінші медиация кабинеті",
                                             "ALA", "Алматы", "Алматы", dt.date(2022, 9, 1))

    def test__load_offices__two_offices_share_a_city_and_a_region(self, offices):
        in_almaty = [o.id for o in offices.values() if (o.region, o.city_ru) == ("ALA", "Алматы")]
        assert in_almaty == ["ALA", "Алматы-2", "Алматы"]

    def test__load_offices__a_2022_region_is_known(self, offices):
        assert offices["Семей"].region == "ABA"

    @pytest.mark.parametrize("edit, message", [
        (lambda t: t.replace("    region: KAR\n", ""), r"offices\.yaml: office KAR: field 'region' is missing"),
        (lambda t: t.replace("kk: Қарағанды}", "en: Karaganda}"), r"office KAR: field 'city\.kk': expected a text"),
        (lambda t: t.replace("region: KAR", "region: QQQ"), r"office KAR: field 'region': 'QQQ' is not a code of regions\.yaml"),
        (lambda t: t.replace("opened: 2021-04-01", "opened: весной"), r"office KAR: field 'opened': expected a date"),
        (lambda t: t.replace("opened: 2021-04-01", "opened: 2021-04-01\n    opend: 2021-04-01"), r"office KAR: unknown field 'opend'"),
        (lambda t: t.replace("id: KAR", "id: NO"), r"office #1: field 'id': expected a text, got False \(quote it"),
        (lambda t: t.replace("id: KAR", "id: data/KAR"), r"office data/KAR: field 'id': 'data/KAR' must start a file name"),
        (lambda t: t + t.split("offices:\n")[1].replace("id: KAR", "id: kar"), r"office kar: field 'id': same id \(ignoring case\) as office KAR"),
        (lambda t: t + t.split("offices:\n")[1].replace("id: KAR", "id: КАР"), r"office КАР: field 'id': same safe id 'KAR' as office KAR"),
        (lambda t: "offices: []\n", r"offices\.yaml: expected a non-empty list under 'offices:'"),
    ])
    def test__load_offices__error_names_file_office_and_field(self, tmp_path, edit, message):
        with pytest.raises(CleaningError, match=message):
            load_offices(_config(tmp_path, edit(ONE)))

    def test__load_offices__missing_file(self, tmp_path):
        (tmp_path / "regions.yaml").write_text(REGIONS, encoding="utf-8")
        with pytest.raises(CleaningError, match=r"offices\.yaml: not found"):
            load_offices(tmp_path)


class TestOfficeOf:
    @pytest.mark.parametrize("file_name, office", [
        ("ALA_journal_2021.xlsx", "ALA"),
        ("ala-journal.csv", "ALA"),
        ("ALA.xlsx", "ALA"),
        ("Алматы-2_журнал.xlsx", "Алматы-2"),  # longest id first, though «Алматы» is followed by «-»
        ("АЛМАТЫ-2 журнал за 2022 год.xlsx", "Алматы-2"),  # case, spaces and Cyrillic words
        ("Алматы журнал.csv", "Алматы"),
        ("Алматы-3_журнал.xlsx", "Алматы"),  # no office «Алматы-3»: «Алматы» followed by «-»
        ("data/raw/journals/Семей 2022.xlsx", "Семей"),  # folders ignored
        ("Семеи\u0306 2022.xlsx", "Семей"),  # «й» decomposed, as file names from macOS come
    ])
    def test__office_of__id_starts_the_name(self, offices, file_name, office):
        assert office_of(file_name, offices).id == office

    @pytest.mark.parametrize("file_name", ["ALAX_journal.xlsx", "journal_ALA.xlsx", "Алматы2.xlsx", "Семейный журнал.xlsx"])
    def test__office_of__unknown_office_names_file_and_offices_yaml(self, offices, file_name):
        with pytest.raises(CleaningError) as err:
            office_of(file_name, offices)
        msg = str(err.value)
        assert msg.startswith(file_name + ":")
        assert "config/offices.yaml" in msg and "ALA, Алматы-2, Алматы, Семей" in msg


class TestSafeId:
    @pytest.mark.parametrize("text, expected", [
        ("AKM", "AKM"),
        ("Алматы-2", "Almaty-2"),
        ("Әә Ғғ Құ Ңң Өө Ұұ Үү Һһ Іі", "Aa_Gg_Qu_Ngng_Oo_Uu_Uu_Hh_Ii"),
        ("Жетісу облысы", "Zhetisu_oblysy"),
        ("  Щучинск / офис №1 ", "Shchuchinsk_ofis_1"),
        ("v1.2_a-b", "v1.2_a-b"),
    ])
    def test__safe_id__transliterates_to_a_figure_id(self, text, expected):
        assert safe_id(text) == expected
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+", expected)

    def test__safe_id__deterministic_and_other_scripts_kept_apart(self):
        assert safe_id("北京") == safe_id("北京") == "u5317u4eac" != safe_id("上海")

    def test__safe_id__nothing_left(self):
        assert safe_id(" / ") == ""


class TestRegionsForPeriod:
    @pytest.fixture
    def cfg(self, tmp_path):
        return read_yaml(_config(tmp_path) / "regions.yaml")

    def test__regions_for_period__2022_regions_out_of_a_2021_period(self, cfg):
        assert regions_for_period(cfg, dt.date(2021, 4, 1), dt.date(2021, 11, 25)) == ["ALA", "VKO", "KAR"]

    def test__regions_for_period__2022_regions_from_valid_from(self, cfg):
        assert regions_for_period(cfg, dt.date(2022, 1, 1), dt.date(2022, 6, 7)) == ["ALA", "VKO", "KAR"]
        assert regions_for_period(cfg, dt.date(2022, 1, 1), dt.date(2022, 6, 8)) == ["ALA", "VKO", "KAR", "ABA", "ULY"]

    def test__regions_for_period__regions_split_from_stay_valid(self, cfg):
        assert {"VKO", "KAR"} <= set(regions_for_period(cfg, dt.date(2023, 1, 1), dt.date(2023, 12, 31)))

    def test__regions_for_period__start_after_end(self, cfg):
        with pytest.raises(ValueError, match="start is after the end"):
            regions_for_period(cfg, dt.date(2022, 1, 2), dt.date(2022, 1, 1))


class TestRepositoryConfig:
    def test__offices_yaml__every_demo_journal_has_its_office(self):
        offices = load_offices(paths.CONFIG)
        files = sorted((paths.ROOT / "data" / "raw" / "journals").iterdir())
        assert len(offices) == 17 and files
        assert sorted(office_of(f.name, offices).id for f in files) == sorted(f.name.split("_")[0] for f in files)

    def test__regions_yaml__2021_period_offers_the_2021_regions(self):
        ref_codes = [r["code"] for r in read_yaml(paths.CONFIG / "regions.yaml")["regions"]]
        assert regions_for_period(read_yaml(paths.CONFIG / "regions.yaml"), dt.date(2021, 4, 1), dt.date(2021, 11, 25)) == ref_codes
