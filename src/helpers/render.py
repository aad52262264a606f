"""Convert executed notebooks: nbconvert HTML (self-contained) and WeasyPrint PDF (A4, page numbers).

nbconvert's LaTeX route silently drops Cyrillic and its webpdf route needs a browser, so PDFs
are WeasyPrint renderings of our own HTML with DejaVu fonts (every Kazakh letter).
"""

from __future__ import annotations

import html
import logging
from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter

from helpers import paths


@lru_cache(maxsize=1)
def _css() -> str:
    return (paths.TEMPLATES / "report.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _code_css() -> str:
    return HtmlFormatter(style="default").get_style_defs(".highlight")


_QUIET = logging.getLogger("helpers.render.nbconvert")
_QUIET.setLevel(logging.ERROR)  # nbconvert warns about chart images without alt text; it adds a default


@lru_cache(maxsize=2)
def _exporter(reader: bool) -> HTMLExporter:
    return HTMLExporter(
        log=_QUIET,
        template_name="basic",
        exclude_input=reader,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def notebook_html(nb_path: str | Path, *, title: str, lang: str, reader: bool) -> str:
    """One self-contained HTML page (inline CSS, images as data URIs, no external links) of a notebook.

    ``reader=True`` is the reader edition (code hidden); ``False`` the reviewer edition.
    """
    nb = nbformat.read(str(nb_path), as_version=4)
    body, _ = _exporter(reader).from_notebook_node(nb)
    css = _css() + ("" if reader else _code_css())
    kind = "reader" if reader else "review"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        f'<body class="{kind}">\n{body}\n</body>\n</html>\n'
    )


def write_html(nb_path: str | Path, out_html: str | Path, *, title: str, lang: str, reader: bool) -> Path:
    """Write :func:`notebook_html` to ``out_html``."""
    out = Path(out_html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(notebook_html(nb_path, title=title, lang=lang, reader=reader), encoding="utf-8")
    return out


def html_to_pdf(html_path: str | Path, pdf_path: str | Path) -> Path:
    """Render an HTML file to an A4 PDF with WeasyPrint."""
    from weasyprint import HTML  # imported here: it is slow to import and only this step needs it

    out = Path(pdf_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    HTML(filename=str(html_path)).write_pdf(str(out))
    return out


def convert(nb_path: str | Path, *, review: str | None, reader: str | None, pdf: str | None, title: str,
            lang: str) -> None:
    """The editions of one executed notebook: the reviewer HTML (code shown) at ``review``, the
    reader HTML (code hidden) at ``reader`` and its PDF at ``pdf`` (each skipped when None).
    The runner calls this in the kernel that executed the notebook."""
    if review:
        write_html(nb_path, review, title=Path(nb_path).stem, lang=lang, reader=False)
    if reader:
        write_html(nb_path, reader, title=title, lang=lang, reader=True)
        if pdf:
            html_to_pdf(reader, pdf)
