"""Building blocks of the reader editions: title page, texts with figures, captioned tables, charts,
the parameters annex.

Report notebooks (``90_…``, ``91_…``) call these and display the returned objects; nbconvert
then renders them with the code hidden. Texts live in ``config/texts/<report>.<lang>.md``,
split into sections by ``<!-- section: <id> -->`` lines, with ``{{ figure.id }}`` placeholders;
short interface strings in ``config/texts/ui.yaml``.

Every table is built here element by element (never by editing a library's HTML): its
``<caption>`` says what it shows and its base ``(n = …)``, and it sits in a box of its own that
scrolls sideways on a narrow screen, so the page itself never does.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import logging
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown

from helpers import figures as figures_mod
from helpers import paths
from helpers.config_files import read_yaml
from helpers.params import Params, record

LOG = logging.getLogger("helpers.report")
_NEEDS = re.compile(r"^\s*<!--\s*needs:\s*(.*?)\s*-->[ \t]*\n?")
_SECTION = re.compile(r"^<!--\s*section:\s*([A-Za-z0-9_.\-]+)\s*-->\s*$", re.M)
_CODE = re.compile(r"`([^`]+)`")
_FIELDWORK = re.compile(r"^aspect\d+\.fieldwork\.(start|end)$")


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


def _date(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


def fieldwork(figs: Mapping[str, Mapping[str, Any]]) -> tuple[str, str] | None:
    """First and last fieldwork day over the surveys (recorded ``aspectN.fieldwork.start/end``).

    >>> fieldwork({"aspect1.fieldwork.start": {"value": "10.05.2021"}, "aspect1.fieldwork.end": {"value": "31.10.2021"},
    ...            "aspect2.fieldwork.start": {"value": "01.05.2021"}, "aspect2.fieldwork.end": {"value": "30.10.2021"}})
    ('01.05.2021', '31.10.2021')
    """
    days: dict[str, list[dt.date]] = {"start": [], "end": []}
    for fid, fig in figs.items():
        m = _FIELDWORK.match(fid)
        if m and fig.get("value"):
            days[m.group(1)].append(dt.datetime.strptime(str(fig["value"]), "%d.%m.%Y").date())
    if not days["start"] or not days["end"]:
        return None
    return _date(min(days["start"])), _date(max(days["end"]))


def wave(P: Params, figs: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    """The wave line of a title page: year(s) and project period, and the surveys' fieldwork when recorded."""
    start, end = P["period.start"], P["period.end"]
    years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    text = ui(P, "wave", lang).format(years=years, start=_date(start), end=_date(end))
    days = fieldwork(figs)
    if days:
        text += "; " + ui(P, "wave_fieldwork", lang).format(start=days[0], end=days[1])
    return text


def title_page(P: Params, sections: Mapping[str, str], figs: Mapping[str, Mapping[str, Any]], lang: str,
               *, section: str = "heading", facts: Mapping[str, str] | None = None) -> HTML:
    """Page 1 above the findings: the demo banner, the organisation, the title and the wave.

    The text section's first line is the title (``# …``); its further paragraphs are shown under it,
    then ``facts`` (label → value, e.g. the grant's topic and amount) as a definition list.
    """
    org = html.escape(P[f"project.grantee_{lang}"])
    heading = figures_mod.fill(section_text(sections, section, figs), figs, lang)
    title, _, rest = heading.partition("\n")
    title = html.escape(title.lstrip("#").strip())
    paras = [re.sub(r"[ \t\n]+", " ", p).strip() for p in re.split(r"\n[ \t]*\n", rest) if p.strip()]
    sub = "".join('<p class="subtitle">' + _CODE.sub(r"<code>\1</code>", html.escape(p)) + "</p>" for p in paras)
    dl = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in (facts or {}).items())
    return HTML(f'{banner(P, lang).data}<header class="title-page"><p class="organisation">{org}</p>'
                f'<h1>{title}</h1>{sub}<p class="wave">{html.escape(wave(P, figs, lang))}</p>'
                + (f'<dl class="facts">{dl}</dl>' if dl else "") + "</header>")


def shown_path(path: str | Path, raw_dir: Path | None = None) -> str:
    """A path as a report may show it: relative to the raw-data folder or the repository, else its name.

    No absolute local path ever reaches a report.

    >>> shown_path(paths.ROOT / "data" / "raw" / "surveys" / "a.csv", paths.ROOT / "data" / "raw")
    'surveys/a.csv'
    >>> shown_path("/tmp/run-7/processed")
    'processed'
    """
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    for base in (raw_dir, paths.ROOT):
        if base is not None and p.is_relative_to(base):
            return p.relative_to(base).as_posix() or "."
    return p.name


def params_annex(P: Params, lang: str) -> HTML:
    """The annex of run parameters: its heading and a table: key (as code), what it means in ``lang``, value.

    Labels come from ``config/params/schema.yaml`` (``ru``/``kk`` of each parameter); paths (``paths.*``,
    ``compare.previous``) are shown relative to the repository (else by their last part), the salt is never
    shown, yes/no in the report language.
    """
    schema = read_yaml(paths.PARAMS_SCHEMA)
    rows = []
    other_langs = tuple(f"_{other}" for other in ("ru", "kk") if other != lang)
    for key, value in P.flat().items():
        if key.startswith("project.") and key.endswith(other_langs):
            continue  # the organisation's name etc. in the other language belongs to the other edition
        spec: Any = schema
        for part in key.split("."):
            spec = spec[part]
        if key == "cleaning.pii_salt":
            value = ui(P, "salt_demo" if value else "salt_env", lang)
        elif key.startswith("paths.") or (key == "compare.previous" and value):
            value = shown_path(paths.resolve(value))
        elif isinstance(value, bool):
            value = ui(P, "yes" if value else "no", lang)
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        elif value is None:
            value = "—"
        rows.append((key, spec.get(lang, spec.get("doc", "")), str(value)))
    cols = [ui(P, "param_key", lang), ui(P, "param_meaning", lang), ui(P, "param_value", lang)]
    df = pd.DataFrame(rows, columns=cols)
    tab = table(df, title=ui(P, "params_heading", lang), base=len(df), base_label=ui(P, "params_base", lang),
                code_columns=[cols[0], cols[2]], lang=lang)
    return HTML(annex(P, "annex_params", lang).data + tab.data)


def annex(P: Params, key: str, lang: str) -> HTML:
    """The heading of an annex, its text from ``config/texts/ui.yaml`` (``annex_params``, ``annex_rows``)."""
    return HTML(f'<h2 class="annex">{html.escape(ui(P, key, lang))}</h2>')


def text_sections(path: Path) -> dict[str, str]:
    """Sections of a report text file by id (``<!-- section: id -->`` lines split them)."""
    parts = _SECTION.split(path.read_text(encoding="utf-8"))
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if not sections:
        raise ValueError(f"{path}: no '<!-- section: id -->' markers")
    return sections


class Sections(Mapping[str, str]):
    """The sections of one report text; each section a stage reads is recorded for its cache key
    (:func:`helpers.params.record`), so editing one paragraph re-runs only the stages that show it."""

    def __init__(self, sections: dict[str, str], name: str) -> None:
        self._sections, self._name = sections, name

    def __getitem__(self, section: str) -> str:
        record(f"text:{self._name}#{section}")
        return self._sections[section]

    def __iter__(self):
        record(f"text:{self._name}")  # the list of section ids
        return iter(self._sections)

    def __len__(self) -> int:
        return len(self._sections)


def load_texts(P: Params, report: str, lang: str) -> Sections:
    """Sections of ``config/texts/<report>.<lang>.md`` by id."""
    return Sections(text_sections(P.path("config_dir") / "texts" / f"{report}.{lang}.md"), f"{report}.{lang}")


def _blocks(text: str) -> list[str]:
    return [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def _unmet(block: str, figs: Mapping[str, Any]) -> list[str]:
    """The conditions of a block's ``<!-- needs: … -->`` line the record does not meet: an id it lacks,
    a ``prefix*`` under which it has no figure, or a ``!id`` / ``!prefix*`` it has."""
    m = _NEEDS.match(block)

    def has(w: str) -> bool:
        return any(f.startswith(w[:-1]) for f in figs) if w.endswith("*") else w in figs

    return [("has " if w.startswith("!") else "no ") + w.lstrip("!")
            for w in (m.group(1).split() if m else []) if has(w.lstrip("!")) == w.startswith("!")]


def section_text(sections: Mapping[str, str], section: str, figs: Mapping[str, Any]) -> str:
    """A section's text without the paragraphs whose ``<!-- needs: … -->`` conditions the record does
    not meet (each left out with a log line); placeholders not filled yet.

    A paragraph that begins with ``<!-- needs: id … prefix* !other* -->`` is shown only when the
    record holds each id (and some figure under each prefix) and none of the ``!`` ones: a hand-made
    report's transcription, a published reference figure or a previous wave switch their paragraphs
    on (and a ``!`` paragraph says what is shown in their absence).

    >>> section_text({"s": "Always.\\n\\n<!-- needs: reported.* a.b -->\\nWith a report: {{ reported.x }}.\\n\\n"
    ...                    "<!-- needs: !reported.* -->\\nNo hand-made report was given."}, "s", {"a.b": {}})
    'Always.\\n\\nNo hand-made report was given.'
    """
    if section not in sections:
        raise KeyError(f"text section {section!r} missing (have: {sorted(sections)})")
    kept = []
    for i, block in enumerate(_blocks(sections[section]), 1):
        unmet = _unmet(block, figs)
        if unmet:
            LOG.info("text section %s, paragraph %d left out: the figures record %s", section, i, "; ".join(unmet))
        else:
            kept.append(_NEEDS.sub("", block, count=1))
    return "\n\n".join(kept)


def text(sections: dict[str, str], section: str, figs: dict[str, dict[str, Any]], lang: str) -> Markdown:
    """One section of a report text (:func:`section_text`) with its placeholders filled from the figures record."""
    return Markdown(figures_mod.fill(section_text(sections, section, figs), figs, lang))


def _cell(value: Any) -> str:
    return "—" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def caption(title: str, base: int | None, *, base_label: str | None = None, share_of: str | None = None,
            lang: str = "ru") -> str:
    """The ``<caption>`` element of a table: what it shows, what its % is a share of, and its base.

    >>> caption("Готовность", 990, share_of="% готовых среди ответивших")
    '<caption><div class="cap"><span class="title">Готовность</span> <span class="base">(n\\xa0=\\xa0990)</span> <span class="share">% готовых среди ответивших</span></div></caption>'
    """
    out = f'<span class="title">{html.escape(title)}</span>'
    if base is not None:
        n = figures_mod.format_number(int(base), lang=lang)
        label = f", {html.escape(base_label)}" if base_label else ""
        out += f' <span class="base">(n\u00a0=\u00a0{n}{label})</span>'
    if share_of:
        out += f' <span class="share">{html.escape(share_of)}</span>'
    return f'<caption><div class="cap">{out}</div></caption>'


def table_html(df: pd.DataFrame, caption_html: str, *, code_columns: Iterable[str] = (),
               quote_columns: Iterable[str] = ()) -> str:
    """A table built element by element: caption, header row, body; wrapped in its own scroll box.

    >>> table_html(pd.DataFrame({"a": ["x<y"]}), "<caption>T</caption>")
    '<div class="table-box"><table class="data"><caption>T</caption><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td>x&lt;y</td></tr></tbody></table></div>'
    """
    code, quote = set(code_columns), set(quote_columns)

    def cell(column: Any, value: Any) -> str:
        text = html.escape(_cell(value))
        if column in code:
            return f"<code>{text}</code>"
        if column in quote and _cell(value) not in ("", "—"):
            return f'<q lang="ru">{text}</q>'  # the hand-made report's own words, verbatim (Russian)
        return text

    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in df.columns)
    rows = []
    for values in df.itertuples(index=False, name=None):
        cells = (cell(c, v) for c, v in zip(df.columns, values))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f'<div class="table-box"><table class="data">{caption_html}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def table(df: pd.DataFrame, *, title: str, base: int | None, base_label: str | None = None,
          share_of: str | None = None, note: str | None = None, code_columns: Iterable[str] = (),
          quote_columns: Iterable[str] = (), lang: str = "ru") -> HTML:
    """A captioned table: its title, what its % is a share of, its base n, and an optional note.

    ``base`` is required (``None`` only for a table with no count behind it); ``base_label`` says what
    n counts when it is not respondents («уникальные люди», «индикаторы»). ``code_columns`` are shown
    as code (file names, parameter keys); ``quote_columns`` hold the hand-made report's words verbatim
    (Russian, as printed) and are shown as quotations, ``<q lang="ru">`` — in the Kazakh edition too.
    """
    body = table_html(df, caption(title, base, base_label=base_label, share_of=share_of, lang=lang),
                      code_columns=code_columns, quote_columns=quote_columns)
    foot = f'<p class="table-note">{html.escape(note)}</p>' if note else ""
    return HTML(body + foot)


def row_accounting(P: Params, acc: pd.DataFrame, prefixes: Iterable[str], *, title: str, lang: str) -> HTML:
    """The row accounting of the input files under ``prefixes`` (e.g. ``surveys/``), file names as code.

    The base n is the rows received; every row adds up: received = kept + rejected + duplicates.
    """
    rows = acc[acc["source_file"].str.startswith(tuple(prefixes))]
    cols = ["source_file", "rows_in", "rows_kept", "rows_rejected", "rows_duplicate"]
    shown = pd.DataFrame({ui(P, c, lang): rows[c] if c == "source_file" else [figures_mod.format_number(int(v), lang=lang) for v in rows[c]]
                          for c in cols})
    return table(shown, title=title, base=int(rows["rows_in"].sum()), base_label=ui(P, "rows_base", lang),
                 code_columns=[ui(P, "source_file", lang)], lang=lang)


def chart(path: str | Path, *, title: str, alt: str | None = None) -> HTML:
    """A chart PNG embedded in the page (self-contained HTML). Its title and base n are drawn in the
    image (in the report's font), so the page adds no caption of its own; ``alt`` repeats the title
    for screen readers."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return HTML(f'<figure class="chart"><img alt="{html.escape(alt or title)}" src="data:image/png;base64,{data}"/></figure>')
