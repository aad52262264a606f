from pathlib import Path

import pytest
import yaml

from helpers import paths
from helpers.config_files import SafeLoader, load_yaml, read_yaml

CONFIG_YAML = sorted(paths.CONFIG.rglob("*.yaml"))


def test__config_files__libyaml_loader_is_used():
    assert SafeLoader is yaml.CSafeLoader  # the wheels ship libyaml; without it reading config is ~10x slower


@pytest.mark.parametrize("path", CONFIG_YAML, ids=lambda p: p.relative_to(paths.CONFIG).as_posix())
def test__read_yaml__same_data_as_pure_python_safe_load(path: Path):
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test__load_yaml__safe_loader_refuses_python_objects():
    with pytest.raises(yaml.constructor.ConstructorError):
        load_yaml("!!python/object/apply:os.system ['true']")
