"""The figure catalogue against what a run records: every entry of ``config/figures.yaml`` labels a
figure of the fixture run, so none is left over when a notebook stops recording a figure (a figure
without an entry stops the run itself: ``tests/unit/test_figure_catalogue.py``)."""

from __future__ import annotations

from helpers import figures, paths
from helpers.figure_catalogue import Catalogue

#: entries the fixture cannot use, and why (the demo run uses them): checked both ways
NOT_IN_FIXTURE = {
    "aspect1.logit.block.{variable}.p": "the fixture's population survey has too few events per parameter: "
                                        "every characteristic is left out of the model, none is tested as a block",
}


def test__catalogue__every_entry_labels_a_figure_of_the_fixture_run(fixture_run):
    cat = Catalogue.load(paths.FIGURES)
    used = {cat.entry_of(fid) for fid in figures.load(fixture_run[0] / "processed" / "figures.json")}
    assert sorted(set(cat.keys) - used) == sorted(NOT_IN_FIXTURE)
