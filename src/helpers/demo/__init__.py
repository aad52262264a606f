"""Seeded generator of the bundled SYNTHETIC demo data (``python -m helpers.demo``).

Built from the most granular figures of the 2021 grant report (per office, per event), never
from its totals; everything the report does not give is invented and listed in data/raw/README.md.
"""

from helpers.demo.generate import generate_demo, generate_fixture
from helpers.demo.surveys import write_population_export

__all__ = ["generate_demo", "generate_fixture", "write_population_export"]
