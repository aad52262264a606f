"""Building blocks of the reader editions: banner, parameters table, texts with figures, tables, charts.

Report notebooks (``90_…``, ``91_…``) call these and display the returned objects; nbconvert
then renders them with the code hidden. Texts live in ``config/texts/<report>.<lang>.md``,
split into sections by ``<!-- section: <id> -->`` lines, with ``{{ figure.id }}`` placeholders.
"""

from __future__ import annotations

import base64
import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown

from helpers import figures as figures_mod
from helpers.config_files import read_yaml
from helpers.params import Params

_SECTION = re.compile(r"^<!--\s*section:\s*([A-Za-z0-9_.\-]+)\s*-->\s*$", re.M)


@lru_cache(maxsize=8)
def _ui(config_dir: str) -> dict[str, dict[str, str]]:
    return read_yaml(Path(config_dir) / "texts" / "ui.yaml")


def ui(P: Params, key: str, lang: str) -> str:
    """A short interface string from ``config/texts/ui.yaml``."""
    return _ui(str(P.path("config_dir")))[key][lang]


def banner(P: Params, lang: str) -> HTML:
    """The 'demo data (synthetic)' banner, shown on every report run on demo data (else nothing)."""
    if not P.is_demo:
        return HTML("")
    return HTML(f'<div class="demo-banner">{html.escape(ui(P, "demo_banner", lang))}</div>')


def params_table(P: Params, lang: str) -> HTML:
    """The run parameters as a table (shown at the top of every report)."""
    body = P.table(lang).to_html(index=False, escape=True, classes="params")
    return HTML(f'<details open class="params"><summary>{html.escape(ui(P, "params_heading", lang))}</summary>{body}</details>')


def load_texts(P: Params, report: str, lang: str) -> dict[str, str]:
    """Sections of ``config/texts/<report>.<lang>.md`` by id."""
    path = P.path("config_dir") / "texts" / f"{report}.{lang}.md"
    text = path.read_text(encoding="utf-8")
    parts = _SECTION.split(text)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if not sections:
        raise ValueError(f"{path}: no '<!-- section: id -->' markers")
    return sections


def text(sections: dict[str, str], section: str, figs: dict[str, dict[str, Any]], lang: str) -> Markdown:
    """One section of a report text with its placeholders filled from the figures record."""
    if section not in sections:
        raise KeyError(f"text section {section!r} missing (have: {sorted(sections)})")
    return Markdown(figures_mod.fill(sections[section], figs, lang))


def table(df: pd.DataFrame, *, title: str, base: int | str | None = None, note: str | None = None,
          lang: str = "ru") -> HTML:
    """A captioned table; states its base n (every table does) and an optional note."""
    caption = html.escape(title)
    if base is not None:
        caption += f' <span class="base">(n = {html.escape(str(base))})</span>'
    body = df.to_html(index=False, escape=True, na_rep="—", border=0, classes="data")
    body = body.replace('<table border="0" class="dataframe data">', f'<table class="dataframe data"><caption>{caption}</caption>', 1)
    foot = f'<p class="table-note">{html.escape(note)}</p>' if note else ""
    return HTML(body + foot)


def chart(path: str | Path, *, title: str, alt: str | None = None) -> HTML:
    """A chart PNG embedded in the page (self-contained HTML), with its title as figure caption."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return HTML(
        f'<figure class="chart"><img alt="{html.escape(alt or title)}" src="data:image/png;base64,{data}"/>'
        f"<figcaption>{html.escape(title)}</figcaption></figure>"
    )
