"""Nothing of the 2021 project in code, notebooks, report texts or the figure catalogue (issue 18, part 1):
its organisation, grantor, amount, year and figures come from the parameters, the data and the
transcription — the demo data, its generator (``helpers.demo``) and the demo's configuration are the
only places they live.

Code is read without its docstrings and comments (examples there are documentation, not behaviour).
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from pathlib import Path

import pytest

from helpers import paths

#: what the 2021 project would leave behind: its year, its organisation and grantor, its grant amount,
#: the figures of its hand-made report (consultations, participants, beneficiaries, readiness) and folder
LITERALS = re.compile(r"(?<![\d.,])(?:2021|752|749|926|1[ \u00a0]?894|9[ \u00a0]?950[ \u00a0]?000|88[.,]1)(?![\d])"
                      r"|«?МИР»|ЦПГИ|АБҚО|report_2021")


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """The lines of a Python file with docstrings and comments blanked."""
    source = path.read_text(encoding="utf-8")
    skip: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            skip.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = source.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col]
    return [(i, line) for i, line in enumerate(lines, 1) if i not in skip]


def _sources() -> list[tuple[str, str]]:
    out = []
    for path in sorted(paths.ROOT.joinpath("src", "helpers").rglob("*.py")):
        if "demo" not in path.relative_to(paths.ROOT / "src" / "helpers").parts:
            out += [(f"{path.relative_to(paths.ROOT)}:{i}", line) for i, line in _code_lines(path)]
    for nb in sorted((paths.ROOT / "notebooks").glob("*.ipynb")):
        for k, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            out += [(f"{nb.relative_to(paths.ROOT)} cell {k}", line) for line in "".join(cell["source"]).splitlines()]
    for text in [*sorted((paths.CONFIG / "texts").iterdir()), paths.FIGURES]:  # the figure catalogue: the workbook's own too
        out += [(f"{text.relative_to(paths.ROOT)}:{i}", line) for i, line in enumerate(text.read_text(encoding="utf-8").splitlines(), 1)]
    return out


def test__no_literal_of_the_2021_project_in_code_notebooks_or_texts():
    found = [f"{where}: {line.strip()[:100]}" for where, line in _sources() if LITERALS.search(line)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("line", ["label='отчёт 2021'", "n = 1 894", "amount = 9950000", "ЦПГИ", "center «МИР»", "x = 88,1"])
def test__the_pattern_finds_each_kind_of_literal(line):
    assert LITERALS.search(line)


@pytest.mark.parametrize("line", ["n = 20215", "ratio = 0.7521", "period.start", "mirror"])
def test__the_pattern_leaves_other_numbers_and_words(line):
    assert not LITERALS.search(line)
