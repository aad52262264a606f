"""Previews of the reader editions, and the one place that starts Chromium.

``python -m helpers preview`` (``make preview``) writes into ``<reports>/preview/`` a PNG of
page 1 of each reader PDF (``pdftoppm``) and a screenshot of the first screen of each reader
HTML at desktop and at phone width, so a reader sees the reports before opening them. The
browser tests (``tests/test_reader_browser.py``) start Chromium through :func:`browser` too,
with the same flags.

The browser is Debian's ``chromium`` driven by its ``chromedriver`` (packages ``chromium``,
``chromium-driver``; ``make system-deps`` installs them with ``poppler-utils``). Selenium is
given the driver's path, and ``SE_OFFLINE=true`` is set, so Selenium Manager never runs and
nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

#: The command-line tools a preview or a browser test needs (each on ``PATH``).
TOOLS: tuple[str, ...] = ("chromium", "chromedriver", "pdftoppm")

#: Flags for headless Chromium run as root with no network use of its own. ``--hide-scrollbars``
#: gives overlay-free layout as on a phone: the page's width is the viewport's.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=1",
)

#: Viewports (width, height in CSS px) of the HTML screenshots: a laptop and a phone.
VIEWPORTS: tuple[tuple[int, int], ...] = ((1280, 800), (390, 844))

#: How many times a viewport is measured and corrected before giving up.
ATTEMPTS = 6

#: Long side in px of the page-1 thumbnail of a PDF (``pdftoppm -scale-to``).
PDF_THUMBNAIL_PX: int = 800


def missing_tools() -> list[str]:
    """The tools of :data:`TOOLS` not found on ``PATH`` (empty when all are there).

    Returns
    -------
    list[str]
        Names, in the order of :data:`TOOLS`.
    """
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@contextlib.contextmanager
def browser() -> Iterator[WebDriver]:
    """Start headless Chromium with :data:`CHROMIUM_FLAGS` and a fresh profile; quit it on exit.

    Yields
    ------
    selenium.webdriver.remote.webdriver.WebDriver
        The driver; size its viewport with :func:`set_viewport` before loading a page.

    Raises
    ------
    FileNotFoundError
        When ``chromium`` or ``chromedriver`` is not on ``PATH`` (``make system-deps``).
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        raise FileNotFoundError("chromium or chromedriver not on PATH: run `make system-deps` "
                                "(apt-get install chromium chromium-driver)")
    os.environ["SE_OFFLINE"] = "true"
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        try:
            driver.set_page_load_timeout(120)
            yield driver
        finally:
            driver.quit()


def set_viewport(driver: WebDriver, width: int, height: int) -> None:
    """Size the window so that the *viewport* (``window.innerWidth`` × ``innerHeight``) is the one asked.

    The window is set to the size, the viewport measured, and the window grown by the
    difference (the browser's frame); headless Chromium's window can be narrower than its
    minimum outer width, so the measure, not the window, is what counts.

    Parameters
    ----------
    driver
        A driver from :func:`browser`.
    width, height
        The viewport in CSS px.

    Raises
    ------
    RuntimeError
        When the viewport still differs after the correction.
    """
    driver.set_window_size(width, height)
    for attempt in range(ATTEMPTS):
        inner_w, inner_h = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        if (inner_w, inner_h) == (width, height):
            return
        if attempt:
            time.sleep(0.2 * attempt)  # a busy machine applies a resize late: measure again before correcting
            inner_w, inner_h = driver.execute_script("return [window.innerWidth, window.innerHeight]")
            if (inner_w, inner_h) == (width, height):
                return
        size = driver.get_window_size()
        driver.set_window_size(size["width"] + width - inner_w, size["height"] + height - inner_h)
    raise RuntimeError(f"viewport is {inner_w}x{inner_h}, not {width}x{height}")


def open_page(driver: WebDriver, html: Path, width: int, height: int) -> None:
    """Load a local HTML file at the given viewport and wait for its images and fonts.

    Parameters
    ----------
    driver
        A driver from :func:`browser`.
    html
        The HTML file.
    width, height
        The viewport in CSS px (:func:`set_viewport`).
    """
    set_viewport(driver, width, height)
    driver.get(html.resolve().as_uri())
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const images = [...document.images].map(img => img.decode().catch(() => null));"
        "Promise.all([document.fonts.ready, ...images]).then(() => done(true));")
    driver.execute_script("window.scrollTo(0, 0)")


def pdf_thumbnail(pdf: Path, out: Path, size: int = PDF_THUMBNAIL_PX) -> Path:
    """Write page 1 of ``pdf`` as a PNG whose long side is ``size`` px (``pdftoppm -scale-to``).

    Parameters
    ----------
    pdf
        The PDF file.
    out
        The PNG to write (``.png`` suffix).
    size
        Long side of the image in px.

    Returns
    -------
    Path
        ``out``.
    """
    subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to", str(size), "-singlefile",
                    str(pdf), str(out.with_suffix(""))], check=True, capture_output=True, text=True)
    return out


def html_screenshot(driver: WebDriver, html: Path, out: Path, width: int, height: int) -> Path:
    """Write the first screen (above the fold) of ``html`` at a ``width`` × ``height`` viewport as a PNG.

    Parameters
    ----------
    driver
        A driver from :func:`browser`.
    html
        The HTML file.
    out
        The PNG to write.
    width, height
        The viewport in CSS px; the image has these dimensions.

    Returns
    -------
    Path
        ``out``.
    """
    open_page(driver, html, width, height)
    out.write_bytes(driver.get_screenshot_as_png())
    return out


def write_previews(reports: Path, out: Path | None = None) -> list[Path]:
    """Write the previews of every reader edition in ``reports`` (its ``*.pdf`` and ``*.html``).

    For ``<name>.pdf``: ``<name>.page1.png`` (long side :data:`PDF_THUMBNAIL_PX`); for
    ``<name>.html``: ``<name>.<width>px.png`` per viewport of :data:`VIEWPORTS`.

    Parameters
    ----------
    reports
        Folder of a run's reports.
    out
        Folder of the previews (created); default ``reports/preview``.

    Returns
    -------
    list[Path]
        The PNG files written.

    Raises
    ------
    FileNotFoundError
        When ``reports`` holds no reader edition, or a tool of :data:`TOOLS` is missing.
    """
    pdfs, htmls = sorted(reports.glob("*.pdf")), sorted(reports.glob("*.html"))
    if not pdfs and not htmls:
        raise FileNotFoundError(f"no reader editions (*.pdf, *.html) in {reports}: run `make report` first")
    if missing := missing_tools():
        raise FileNotFoundError(f"not on PATH: {', '.join(missing)}: run `make system-deps`")
    out = out or reports / "preview"
    out.mkdir(parents=True, exist_ok=True)
    written = [pdf_thumbnail(pdf, out / f"{pdf.stem}.page1.png") for pdf in pdfs]
    if htmls:
        with browser() as driver:
            written += [html_screenshot(driver, html, out / f"{html.stem}.{w}px.png", w, h)
                        for html in htmls for w, h in VIEWPORTS]
    return written
