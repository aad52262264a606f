"""The reader editions as a reader sees them: headless Chromium at 1280 px and at 390 px wide; previews.

Each reader HTML of the fixture run is opened at both viewport widths (Chromium started by
``helpers.preview.browser``, the same as ``make preview``), and what the page shows is checked:
every image loaded, nothing wider than the screen (wide tables and charts scroll or scale in
their own box), every table has a visible caption that gives its base ("n = …"). The previews
(``make preview``) of the same run are written and read back as PNG files.

Skipped when chromium, chromedriver (or, for the previews, pdftoppm) is missing, except in CI
(``CI=true``), where their absence is a failure: ``make test`` installs them (``make system-deps``).
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.preview import PDF_THUMBNAIL_PX, VIEWPORTS, browser, open_page, write_previews

WIDTHS = (1280, 390)
HEIGHT = 800

# One pass over the rendered DOM: images, sideways overflow, table captions.
_FACTS_JS = r"""
const vw = window.innerWidth;
const short = s => (s || '').replace(/\s+/g, ' ').trim().slice(0, 40);
const name = el => el.tagName.toLowerCase()
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
const images = [...document.images].filter(img => !(img.complete && img.naturalWidth > 0))
    .map(img => `img alt="${short(img.alt)}" src="${(img.getAttribute('src') || '').slice(0, 40)}"`);
// The outermost elements that stick out to the right of the viewport, not counting what a
// scrolling or clipping box (overflow-x other than visible) keeps inside itself.
const overflowing = [];
const walk = parent => {
    for (const el of parent.children) {
        const rect = el.getBoundingClientRect();
        if (rect.right > vw + 0.5) {
            overflowing.push({el, right: rect.right});
        } else if (getComputedStyle(el).overflowX === 'visible') {
            const before = overflowing.length;
            walk(el);
            const right = rect.left + el.scrollWidth;  // its own text, e.g. a long unbreakable word
            if (overflowing.length === before && right > vw + 0.5) overflowing.push({el, right});
        }
    }
};
walk(document.body);
const baseRe = /(^|[^\p{L}\p{N}_])n\s*=\s*\d/iu;
const tables = [];
document.querySelectorAll('table').forEach((table, i) => {
    const caption = table.caption;
    const visible = caption && caption.getClientRects().length > 0 && getComputedStyle(caption).visibility !== 'hidden';
    const text = visible ? caption.innerText.trim() : '';
    if (!text || !baseRe.test(text)) {
        const cell = table.querySelector('th, td');
        tables.push(`table #${i + 1} (${name(table)}, first cell "${short(cell && cell.innerText)}"): `
            + (!caption ? 'no <caption>' : !text ? 'caption empty or hidden' : `caption "${short(text)}" has no "n = <number>"`));
    }
});
return {
    viewport: vw,
    scrollWidth: document.documentElement.scrollWidth,
    brokenImages: images,
    nImages: document.images.length,
    overflowing: overflowing.map(o => `${name(o.el)} "${short(o.el.innerText || o.el.textContent)}" right=${Math.round(o.right)}px`),
    badTables: tables,
    nTables: document.querySelectorAll('table').length,
};
"""


def _require(*tools: str) -> None:
    """Skip (fail in CI) before the fixture run starts when a tool is not on ``PATH``."""
    if missing := [tool for tool in tools if shutil.which(tool) is None]:
        reason = (f"{', '.join(missing)} not on PATH "
                  "(`make system-deps` installs chromium, chromium-driver, poppler-utils)")
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file; AssertionError when it is not a complete PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path.name}: not a PNG"
    assert data[-8:-4] == b"IEND", f"{path.name}: truncated PNG"
    return struct.unpack(">II", data[16:24])


def _facts(driver, html: Path, width: int) -> dict:
    """What ``html`` shows at a viewport ``width`` px wide (:data:`_FACTS_JS`)."""
    open_page(driver, html, width, HEIGHT)
    facts = driver.execute_script(_FACTS_JS)
    assert facts["viewport"] == width, f"{html.name}: viewport {facts['viewport']} px, not {width}"
    return facts


@pytest.fixture(scope="module")
def driver():
    """One headless Chromium for the module (started before the fixture run, to skip early)."""
    _require("chromium", "chromedriver")
    with browser() as drv:
        yield drv


@pytest.fixture(scope="module")
def pages(driver, request) -> dict[tuple[int, str], dict]:
    """What each reader HTML of the fixture run shows, by ``(width, name)``."""
    reader_html = request.getfixturevalue("reader_html")
    assert reader_html, "the fixture run wrote no reader HTML"
    return {(width, name): _facts(driver, path, width) for width in WIDTHS for name, path in reader_html.items()}


def test__facts__catch_a_page_with_every_fault(driver, tmp_path):
    """The checks are not vacuous: a page with each fault is caught, a scrolling table is not."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><body style="margin:0"><img src="missing.png" alt="gone">'
        "<table><tr><td>no caption</td></tr></table>"
        "<table><caption>Share of answers</caption><tr><td>no base</td></tr></table>"
        '<table><caption style="display:none">n = 5</caption><tr><td>hidden</td></tr></table>'
        "<table><caption>Ответы, n\u00a0=\u00a01\u202f234</caption><tr><td>good</td></tr></table>"
        '<div style="overflow-x:auto"><table style="width:900px"><caption>n = 3</caption>'
        "<tr><td>scrolls in its own box</td></tr></table></div>"
        '<div class="wide" style="width:700px">too wide</div><p>' + "x" * 200 + "</p></body></html>",
        encoding="utf-8")
    facts = _facts(driver, page, 390)
    assert [s.split('"')[1] for s in facts["brokenImages"]] == ["gone"]
    assert [s.split(":")[1].strip() for s in facts["badTables"]] == [
        "no <caption>", 'caption "Share of answers" has no "n = <number>"', "caption empty or hidden"]
    assert facts["scrollWidth"] > 390
    assert [s.split(" ")[0] for s in facts["overflowing"]] == ["div.wide", "p"]


def _problems(pages: dict, width: int, describe) -> str:
    lines = [f"{name} at {w} px: {msg}" for (w, name), facts in sorted(pages.items())
             if w == width and (msg := describe(facts))]
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test__reader_html__every_image_loads(pages, width):
    problems = _problems(pages, width, lambda f: f["brokenImages"] and
                         f"{len(f['brokenImages'])} of {f['nImages']} images not loaded: {f['brokenImages'][:3]}")
    assert not problems, "\n" + problems


@pytest.mark.parametrize("width", WIDTHS)
def test__reader_html__does_not_overflow_sideways(pages, width):
    problems = _problems(pages, width, lambda f: f["scrollWidth"] > f["viewport"] and
                         f"page is {f['scrollWidth']} px wide in a {f['viewport']} px viewport; "
                         f"{len(f['overflowing'])} elements stick out, first: {f['overflowing'][:3]}")
    assert not problems, "\n" + problems


@pytest.mark.parametrize("width", WIDTHS)
def test__reader_html__every_table_has_a_caption_with_its_base(pages, width):
    problems = _problems(pages, width, lambda f: f["badTables"] and
                         f"{len(f['badTables'])} of {f['nTables']} tables without a visible caption "
                         f"giving the base (n = …), first: {f['badTables'][:3]}")
    assert not problems, "\n" + problems


def test__write_previews__one_png_per_pdf_page1_and_per_html_and_width(request, tmp_path):
    _require("chromium", "chromedriver", "pdftoppm")
    reports = request.getfixturevalue("fixture_run")[0] / "reports"
    written = write_previews(reports, tmp_path)
    pdfs, htmls = sorted(reports.glob("*.pdf")), sorted(reports.glob("*.html"))
    expected = {f"{p.stem}.page1.png" for p in pdfs} | {f"{p.stem}.{w}px.png" for p in htmls for w, _ in VIEWPORTS}
    assert pdfs and htmls
    assert {p.name for p in written} == {p.name for p in tmp_path.iterdir()} == expected
    for pdf in pdfs:
        box = PdfReader(pdf).pages[0].mediabox
        scale = PDF_THUMBNAIL_PX / max(box.width, box.height)  # pdftoppm -scale-to: the long side
        width, height = _png_size(tmp_path / f"{pdf.stem}.page1.png")
        assert abs(width - box.width * scale) <= 1 and abs(height - box.height * scale) <= 1, \
            f"{pdf.name}: page-1 thumbnail is {width}x{height}, the page {box.width}x{box.height} pt"
    for html in htmls:
        for w, h in VIEWPORTS:
            assert _png_size(tmp_path / f"{html.stem}.{w}px.png") == (w, h), f"{html.name} at {w} px"
