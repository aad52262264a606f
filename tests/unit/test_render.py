"""Rendering: self-contained HTML, A4 PDF with every Kazakh and Russian letter."""

import re

import nbformat
import pytest
from pypdf import PdfReader

from helpers import render

KAZAKH = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"
RUSSIAN = "ЁЙЩЪЫЭЮЯёйщъыэюя"


@pytest.fixture
def notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("secret_code_line = 1")
    code.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>Таблица</p>", "text/plain": "x"})]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Есеп {KAZAKH}\n\nТекст {RUSSIAN}"), code]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test__notebook_html__reader_hides_code_reviewer_shows_it(notebook):
    reader = render.notebook_html(notebook, title="t", lang="kk", reader=True)
    review = render.notebook_html(notebook, title="t", lang="kk", reader=False)
    assert "secret_code_line" not in reader and "secret_code_line" in review
    assert "<p>Таблица</p>" in reader
    assert '<html lang="kk">' in reader


def test__notebook_html__is_self_contained(notebook):
    page = render.notebook_html(notebook, title="t", lang="ru", reader=False)
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)
    assert "@page" in page  # print CSS inlined


def test__html_to_pdf__a4_page_numbers_and_every_letter(notebook, tmp_path):
    html_path = render.write_html(notebook, tmp_path / "r.html", title="t", lang="kk", reader=True)
    pdf = render.html_to_pdf(html_path, tmp_path / "r.pdf")
    reader = PdfReader(str(pdf))
    page = reader.pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (page.mediabox.width, page.mediabox.height))
    assert (round(width_mm), round(height_mm)) == (210, 297)
    text = page.extract_text()
    for letter in KAZAKH + RUSSIAN:
        assert letter in text, f"letter {letter!r} missing from the PDF text"
    assert "1 / 1" in text  # page number footer
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVu" in f for f in fonts), fonts
