"""Run parameters: validation before any stage runs."""

import datetime as dt

import pytest
import yaml

from helpers import params
from helpers.params import ParamsError


@pytest.fixture
def demo_dict():
    return yaml.safe_load(open(params.paths.DEFAULT_PARAMS, encoding="utf-8"))


def _write(tmp_path, data):
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


class TestLoad:
    def test__load__demo_file_is_valid_and_fills_defaults(self):
        P = params.load()
        assert P["analysis.suppression_threshold"] == 5
        assert P["period.start"] == dt.date(2021, 4, 1)
        assert P["report.pdf"] is True  # default from the schema
        assert P.path("raw_dir").is_absolute()

    def test__load__unknown_key_names_it_and_suggests(self, tmp_path, demo_dict):
        demo_dict["analysis"]["supression_threshold"] = 3
        with pytest.raises(ParamsError, match=r"analysis\.supression_threshold: unknown key — did you mean 'suppression_threshold'"):
            params.load(_write(tmp_path, demo_dict))

    def test__load__wrong_type_names_key_and_value(self, tmp_path, demo_dict):
        demo_dict["analysis"]["confidence"] = "high"
        with pytest.raises(ParamsError, match=r"analysis\.confidence: expected float, got 'high' \(str\)"):
            params.load(_write(tmp_path, demo_dict))

    def test__load__bool_is_not_an_int(self, tmp_path, demo_dict):
        demo_dict["analysis"]["suppression_threshold"] = True
        with pytest.raises(ParamsError, match="expected int"):
            params.load(_write(tmp_path, demo_dict))

    def test__load__missing_required_key(self, tmp_path, demo_dict):
        del demo_dict["period"]["end"]
        with pytest.raises(ParamsError, match=r"period\.end: missing"):
            params.load(_write(tmp_path, demo_dict))

    def test__load__out_of_range_and_bad_choice(self, tmp_path, demo_dict):
        with pytest.raises(ParamsError, match="below the minimum"):
            params.load(_write(tmp_path, demo_dict), {"analysis.suppression_threshold": 0})
        with pytest.raises(ParamsError, match="'en' is not one of"):
            params.load(_write(tmp_path, demo_dict), {"languages": ["ru", "en"]})

    def test__load__period_end_before_start(self, tmp_path, demo_dict):
        with pytest.raises(ParamsError, match="period.end is before period.start"):
            params.load(_write(tmp_path, demo_dict), {"period.end": "2020-01-01"})

    def test__load__override_applies_and_is_recorded(self):
        P = params.load(overrides={"paths.processed_dir": "/tmp/elsewhere"})
        assert str(P.path("processed_dir")) == "/tmp/elsewhere"
        assert P.as_notebook_parameters() == {"params_file": "config/params/demo.yaml",
                                              "overrides": {"paths.processed_dir": "/tmp/elsewhere"}}

    def test__load__missing_file(self, tmp_path):
        with pytest.raises(ParamsError, match="not found"):
            params.load(tmp_path / "nope.yaml")


class TestSalt:
    def test__salt__environment_wins(self, monkeypatch):
        monkeypatch.setenv(params.SALT_ENV, "from-env")
        assert params.load().salt() == "from-env"

    def test__salt__real_data_without_env_stops(self, monkeypatch):
        monkeypatch.delenv(params.SALT_ENV, raising=False)
        P = params.load(overrides={"data_label": "real"})
        with pytest.raises(ParamsError, match="MEDIATION_PII_SALT"):
            P.salt()

    def test__table__hides_the_salt(self):
        table = params.load().table("kk")
        assert list(table.columns) == ["Параметр", "Мәні"]
        assert "demo-salt" not in " ".join(table["Мәні"])
