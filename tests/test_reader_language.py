"""The language a reader receives (issue 16, part 5): the Kazakh editions are Kazakh throughout, the
Russian editions have no English text.

Read from the produced HTML as a reader gets it (the reader editions and the outputs of the reviewer
editions of the report notebooks). Left out of the check:

* ``<style>``, ``<script>`` and ``<code>`` (file names, parameter keys, table names are code);
* quotations of the hand-made 2021 report. The data convention: a verbatim quotation never sits inside
  a label or source text; it is a field of its own (``quote`` in the audit checks, ``…_as_printed`` in
  the transcription) and the reader sees it as ``<q lang="ru">…</q>``. Only ``<q>``/``<blockquote>``
  elements are dropped, and in a Kazakh page every ``<q>`` must say ``lang="ru"``;
* the run-parameter table (an annex of parameter keys and values, tested elsewhere);
* identifiers: a token with a letter followed by a digit (``T1-01``), a short code with a number
  (``RT-02``), ``_``, ``/`` or a dot between letters (``figures.json``) is a code, not a word.

What remains fails on:

(a) an English word: a run of 2+ Latin letters, except ``ALLOWED_LATIN`` (product names) and Roman
    numerals (section numbers). Statistical symbols (n, p, V) are single letters and pass;
(b) in a Kazakh page: a Russian label of the config (codebooks, regions, age bands, social categories,
    indicator and audit labels, ui texts) that differs from its Kazakh counterpart and is not itself
    used by the Kazakh texts — an untranslated label; and a Russian word of ``RUSSIAN_WORDS`` (function
    words, «лет», «человек»), which no Kazakh sentence contains;
(c) in a Kazakh page: an answer option, category or group shown in a table that is not a Kazakh label
    of the codebooks / category files / ui texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURE
from helpers import params, paths
from helpers.analysis.labels import Codebook
from helpers.report import load_texts

#: product names a text may name as they are
ALLOWED_LATIN = frozenset({"Google", "Forms", "KoboToolbox", "Instagram"})
ROMAN = re.compile(r"^[IVXLC]+$")
LATIN = re.compile(r"[A-Za-z]{2,}")
#: Russian function words and the report's commonest Russian words (лет, года, человек): no Kazakh
#: sentence uses them as words (the Kazakh words «не», «да» are left out)
RUSSIAN_WORDS = frozenset({"и", "в", "во", "на", "по", "для", "от", "из", "при", "или", "что", "это", "как",
                           "также", "был", "были", "было", "который", "которые", "лет", "года", "человек"})
SURVEYS = ("population", "courts_mediators", "nonprof", "barriers")


# --------------------------------------------------------------------------------------- reading
def _page_lang(name: str) -> str:
    return name.rsplit(".", 1)[1]


@cache
def _ui() -> dict:
    return yaml.safe_load((paths.CONFIG / "texts" / "ui.yaml").read_text(encoding="utf-8"))


@cache
def _ui_section(report: str, lang: str) -> dict:
    """The YAML sections of a report text: ``ui`` (analytic report), ``labels`` (grant report)."""
    sec = load_texts(params.load(FIXTURE), report, lang)
    return {k: yaml.safe_load(sec[k]) for k in ("ui", "labels") if k in sec}


def reader_soup(path: Path, lang: str, *, review: bool = False) -> BeautifulSoup:
    """The page with what is not reader text removed (see the module docstring)."""
    return strip_non_reader(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"), lang, review=review)


def strip_non_reader(soup: BeautifulSoup, lang: str, *, review: bool = False) -> BeautifulSoup:
    """Remove from ``soup`` (in place) style, script, code, quotations, the parameter table; return it."""
    drop = ["style", "script", "code", "q", "blockquote", "details.params"]
    if review:
        drop.append("div.input")  # the reviewer edition's code cells
    for el in soup.select(", ".join(drop)):
        el.decompose()
    heading = _ui()["params_heading"][lang]
    for cap in soup.select("table > caption"):
        if cap.get_text(" ", strip=True).startswith(heading):
            cap.find_parent("table").decompose()
    return soup


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


#: a code, file or table name: letter+digit (T1-01), a short code with a number (RT-02), _, /, a.b
IDENTIFIER = re.compile(r"_|/|[A-Za-z]\.[A-Za-z]|[A-Za-z]\d|\b[A-Z]{1,4}-\d")


def _is_identifier(token: str) -> bool:
    return bool(IDENTIFIER.search(token))


def english_words(text: str) -> list[str]:
    """Latin-letter words (2+ letters) of a reader text, minus identifiers, Roman numerals and the allowed names.

    >>> english_words("p (Holm) = 0,5; T1-01, figures.json, Google Forms, раздел IV, Крамер V, other")
    ['Holm', 'other']
    """
    out = []
    for token in text.split():
        if _is_identifier(token):
            continue
        out += [w for w in LATIN.findall(token) if w not in ALLOWED_LATIN and not ROMAN.match(w)]
    return out


def russian_words(text: str) -> list[str]:
    """Russian function words of a text that should be Kazakh.

    >>> russian_words("Жасы 59 лет и выше: есеп пен жазбалар; не істеу керек")
    ['лет', 'и']
    """
    return [w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in RUSSIAN_WORDS]


# ------------------------------------------------------------------------------- config labels
def _pairs(obj) -> Iterator[tuple[str, str]]:
    """(ru, kk) text pairs of a config tree: mappings with ``ru`` and ``kk``, and ``x_ru`` / ``x_kk`` siblings."""
    if isinstance(obj, Mapping):
        if isinstance(obj.get("ru"), str) and isinstance(obj.get("kk"), str):
            yield obj["ru"], obj["kk"]
        for k, v in obj.items():
            if isinstance(k, str) and k.endswith("_ru") and isinstance(v, str) and isinstance(obj.get(k[:-3] + "_kk"), str):
                yield v, obj[k[:-3] + "_kk"]
            yield from _pairs(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _pairs(v)


def _parallel(ru, kk) -> Iterator[tuple[str, str]]:
    """(ru, kk) pairs of two YAML trees with the same keys (the ui/labels sections of a report text)."""
    if isinstance(ru, Mapping) and isinstance(kk, Mapping):
        for k in ru.keys() & kk.keys():
            yield from _parallel(ru[k], kk[k])
    elif isinstance(ru, str) and isinstance(kk, str):
        yield ru, kk


@cache
def label_pairs() -> tuple[tuple[str, str], ...]:
    """Every (ru, kk) label pair of the config files a report shows."""
    files = sorted((paths.CONFIG / "codebooks").glob("*.yaml")) + [
        paths.CONFIG / f for f in ("age_bands.yaml", "social_categories.yaml", "regions.yaml", "indicators.yaml",
                                   "journal_values.yaml", "texts/ui.yaml")]
    pairs = [p for f in files for p in _pairs(yaml.safe_load(f.read_text(encoding="utf-8")))]
    for report in ("analytic_report", "grant_report"):
        pairs += _parallel(_ui_section(report, "ru"), _ui_section(report, "kk"))
    return tuple(dict.fromkeys((" ".join(r.split()), " ".join(k.split())) for r, k in pairs))


@cache
def kazakh_corpus() -> str:
    """All Kazakh text of the config: a Russian label found in it is also a Kazakh word (e.g. «Медиация»)."""
    kk_texts = [k for _, k in label_pairs()]
    kk_texts += [(paths.CONFIG / "texts" / f"{r}.kk.md").read_text(encoding="utf-8") for r in ("analytic_report", "grant_report")]
    return "\n".join(" ".join(t.split()) for t in kk_texts)


def _word_re(label: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(label) + r"(?!\w)")


@cache
def russian_only_labels() -> tuple[str, ...]:
    """Russian labels that differ from their Kazakh counterpart and do not occur in any Kazakh text."""
    corpus = kazakh_corpus()
    out = {ru for ru, kk in label_pairs()
           if ru != kk and "{" not in ru and re.search("[А-Яа-яЁё]", ru) and not _word_re(ru).search(corpus)}
    return tuple(sorted(out, key=len, reverse=True))


def untranslated_labels(text: str) -> list[str]:
    """The Russian-only labels of the config found in a Kazakh page text.

    >>> untranslated_labels("Санат: Безработные; Жұмыссыздар; Медиация")
    ['Безработные']
    """
    return [ru for ru in russian_only_labels() if _word_re(ru).search(text)]


@cache
def kazakh_category_labels() -> frozenset[str]:
    """What a table may show as an answer option, category or group in a Kazakh page."""
    out: set[str] = set()
    for survey in SURVEYS:
        cb = Codebook.load(paths.CONFIG, survey)
        for q in cb.data["questions"]:
            out |= set(cb.labels(q["id"], "kk").values()) | set(cb.row_labels(q["id"], "kk").values())
        out |= set(cb.labels("region", "kk").values()) | set(cb.labels("age_band", "kk").values())
    for f in ("age_bands.yaml", "social_categories.yaml"):
        data = yaml.safe_load((paths.CONFIG / f).read_text(encoding="utf-8"))
        out |= {item["kk"] for key in ("bands", "categories") for item in data.get(key, [])}
    ui = _ui_section("analytic_report", "kk")["ui"]
    labels = _ui_section("grant_report", "kk")["labels"]
    out |= {v for v in ui.values() if isinstance(v, str)} | set(labels["categories"].values())
    return frozenset(" ".join(x.split()) for x in out)


def category_cells(soup: BeautifulSoup) -> list[str]:
    """The cells of the table columns that show options / categories / groups (by their kk headers)."""
    ui = _ui_section("analytic_report", "kk")["ui"]
    heads = {ui[k] for k in ("option", "level", "reference", "group")} | {_ui_section("grant_report", "kk")["labels"]["columns"]["category"]}
    cells = []
    for table in soup.find_all("table"):
        names = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        for row in table.select("tbody tr"):
            tds = row.find_all("td")
            cells += [" ".join(td.get_text(" ").split()) for name, td in zip(names, tds) if name in heads]
    return cells


# ------------------------------------------------------------------------------------- the tests
def _listing(found: Mapping[str, list[str]]) -> str:
    return "\n" + "\n".join(f"{page}: {' | '.join(items)}" for page, items in found.items())


def _pages(reader_html, report_review_html) -> dict[str, tuple[Path, str, bool]]:
    pages = {name: (p, _page_lang(name), False) for name, p in reader_html.items()}
    pages |= {f"review/{name}": (p, _page_lang(name), True) for name, p in report_review_html.items()}
    assert len(pages) == 8, sorted(pages)
    return pages


def test__reader_pages__have_no_english_words(reader_html, report_review_html):
    found = {}
    for name, (path, lang, review) in _pages(reader_html, report_review_html).items():
        words = sorted(set(english_words(text_of(reader_soup(path, lang, review=review)))))
        if words:
            found[name] = words
    assert not found, _listing(found)


@pytest.mark.parametrize("report", ["analytic_report", "grant_report"])
def test__kazakh_pages__have_no_untranslated_russian(reader_html, report_review_html, report):
    pages = {n: v for n, v in _pages(reader_html, report_review_html).items() if v[1] == "kk" and report in n}
    assert len(pages) == 2
    found = {}
    for name, (path, lang, review) in pages.items():
        text = text_of(reader_soup(path, lang, review=review))
        labels, words = untranslated_labels(text), sorted(set(russian_words(text)))
        if labels or words:
            found[name] = [f"label «{x}»" for x in labels] + [f"word «{x}»" for x in words]
    assert not found, _listing(found)


def test__kazakh_pages__quotations_are_marked_as_russian(reader_html):
    for name in ("analytic_report.kk", "grant_report.kk"):
        soup = BeautifulSoup(reader_html[name].read_text(encoding="utf-8"), "html.parser")
        assert all(q.get("lang") == "ru" for q in soup.find_all("q")), name


def test__kazakh_tables__show_options_and_categories_from_the_kazakh_codebooks(reader_html):
    allowed = kazakh_category_labels()
    for name in ("analytic_report.kk", "grant_report.kk"):
        cells = category_cells(reader_soup(reader_html[name], "kk"))
        assert len(cells) >= 10, (name, cells)  # the check is not vacuous
        bad = sorted({c for c in cells if c not in allowed})
        assert not bad, (name, bad)


def test__rules__catch_what_they_are_for():
    """The rules of this file on made-up text: each catches its case and passes the allowed ones."""
    assert english_words("Крамер V, p (Холм түзетуі), VI бөлім, Google Forms, RT-01, figures.json") == []
    assert english_words("Басқа өңірлер; other; 0,00–inf") == ["other", "inf"]
    assert untranslated_labels("59 жас және одан жоғары: есеп пен жазбалар") == []
    assert "59 лет и выше" in untranslated_labels("Жасы 59 лет и выше: есеп пен жазбалар")
    assert russian_words("Информационная поддержка при разработке программ и методик") == ["при", "и"]
    soup = BeautifulSoup('<p>Есеп: <q lang="ru">Всего участие приняли 215 человек</q></p>', "html.parser")
    assert russian_words(text_of(strip_non_reader(soup, "kk"))) == []
    assert "Павлодар облысы" in kazakh_category_labels() and "Павлодарская область" not in kazakh_category_labels()
    assert "Басқа өңірлер (біріктірілген)" in kazakh_category_labels() and "other" not in kazakh_category_labels()
