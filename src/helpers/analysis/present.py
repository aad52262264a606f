"""From analysis tables to what a reader sees: labelled, suppressed display tables; ui strings;
figure values that are codes turned into labels in the report language; writing ``out_`` tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.analysis import disclosure
from helpers.analysis.labels import Codebook
from helpers.analysis.tables import NONRESPONSE
from helpers.config_files import load_yaml


def ui_strings(sections: Mapping[str, str]) -> dict[str, str]:
    """The ``ui`` section of a report text (a YAML mapping of short strings: column headers etc.)."""
    return load_yaml(sections["ui"])


def ci_header(ui: Mapping[str, str], confidence: float) -> str:
    """'95 % ДИ' from the confidence parameter (the level is never typed in a text)."""
    return f"{confidence * 100:g}\u00a0% {ui['ci']}"


def _fmt(value: Any, hidden: bool, mark: str, decimals: int = 0) -> str:
    """A published number: the hidden mark, "—" for none, else the number in the report format."""
    from helpers.figures import format_number

    if hidden:
        return mark
    if pd.isna(value):
        return "—"
    return format_number(int(round(value)) if decimals == 0 else value, decimals)


def _ci(lo: Any, hi: Any, hidden: bool, mark: str) -> str:
    from helpers.figures import format_number

    if hidden:
        return mark
    if pd.isna(lo) or pd.isna(hi):
        return "—"
    return f"{format_number(lo, 1)}–{format_number(hi, 1)}"


def freq_display(table: pd.DataFrame, labels: Mapping[str, str], ui: Mapping[str, str], *, threshold: int,
                 confidence: float, secondary: bool = True, responses: bool = False) -> pd.DataFrame:
    """A frequency table as the reader sees it: option label, n, % of those who answered, interval,
    (multi-select) % of responses; cells protected by :func:`helpers.analysis.disclosure.one_way`.

    Hidden cells show ``ui['hidden_mark']``; the non-response row (``ui['nonresponse']``) shows its
    count only: the shares are of those who answered and add up to 100 (single choice).
    ``secondary=False`` switches the secondary rule off (only to show what it protects).
    """
    pub = disclosure.one_way(table, threshold, secondary=secondary)
    mark = ui["hidden_mark"]
    label = [ui["nonresponse"] if c == NONRESPONSE else labels.get(c, c) for c in pub["code"]]
    hid = pub["hidden"].to_numpy()
    out = pd.DataFrame({
        ui["option"]: label,
        "n": [_fmt(v, h, mark) for v, h in zip(pub["n"], hid)],
        "%": [_fmt(v, h, mark, 1) for v, h in zip(pub["pct"], hid)],
        ci_header(ui, confidence): [_ci(lo, hi, h, mark) for lo, hi, h in zip(pub["ci_low"], pub["ci_high"], hid)],
    })
    if responses and "pct_responses" in pub:
        out[ui["pct_responses"]] = [_fmt(v, h, mark, 1) for v, h in zip(pub["pct_responses"], hid)]
    return out.astype("str")


def breakdown_display(table: pd.DataFrame, labels: Mapping[str, str], ui: Mapping[str, str], *, threshold: int,
                      confidence: float, secondary: bool = True) -> pd.DataFrame:
    """A share-by-level table (``crosstab.breakdown``) as the reader sees it: level, n, share, interval,
    and a last row for all levels (``ui['total']``); protected by :func:`helpers.analysis.disclosure.breakdown`."""
    pub = disclosure.breakdown(table, threshold, secondary=secondary)
    mark = ui["hidden_mark"]
    names = {NONRESPONSE: ui["nonresponse"], disclosure.TOTAL: ui["total"]}
    hid, hid_n = pub["hidden"].to_numpy(), pub["hidden_n"].to_numpy()
    return pd.DataFrame({
        ui["level"]: [names.get(lv, labels.get(lv, lv)) for lv in pub["level"]],
        "n": [_fmt(v, h, mark) for v, h in zip(pub["n"], hid_n)],
        "%": [_fmt(v, h, mark, 1) for v, h in zip(pub["pct"], hid)],
        ci_header(ui, confidence): [_ci(lo, hi, h, mark) for lo, hi, h in zip(pub["ci_low"], pub["ci_high"], hid)],
    }).astype("str")


def likert_group_display(lik_g: pd.DataFrame, scale: Sequence[str], item_labels: Mapping[str, str],
                         group_labels: Mapping[str, str], ui: Mapping[str, str], *, threshold: int, confidence: float,
                         secondary: bool = True) -> pd.DataFrame:
    """Likert items by group (``likert.likert_table`` with ``group``) as the reader sees them, protected by
    :func:`helpers.analysis.disclosure.likert_groups`: item, group (the last row of an item: all groups,
    ``ui['total']``), n on the scale, agreement share with its interval, "don't know" share of those who
    answered the item."""
    mark = ui["hidden_mark"]
    p = disclosure.likert_groups(lik_g, scale, threshold, confidence=confidence, secondary=secondary)
    return pd.DataFrame({
        ui["item"]: [item_labels.get(i, i) for i in p["item"]],
        ui["group"]: [ui["total"] if g == disclosure.TOTAL else group_labels.get(g, g) for g in p["group"]],
        "n": [_fmt(v, h, mark) for v, h in zip(p["n"], p["hidden_n"])],
        ui["agree"]: [_fmt(v, h, mark, 1) for v, h in zip(p["pct"], p["hidden"])],
        ci_header(ui, confidence): [_ci(lo, hi, h, mark) for lo, hi, h in zip(p["ci_low"], p["ci_high"], p["hidden"])],
        ui["dk"]: [_fmt(v, h, mark, 1) for v, h in zip(p["pct_dont_know"], p["hidden_dk"])],
    }).astype("str")


def code_figures(figs: Mapping[str, Mapping[str, Any]], config_dir: str | Path, lang: str) -> dict[str, dict[str, Any]]:
    """Figures whose unit is ``code:<survey>.<qid>`` (an option code), ``codes:<survey>.<qid>`` (option
    codes joined by commas: a group of options) or ``row:<survey>.<qid>`` (a grid row code) get their
    value replaced by the codebook labels in ``lang`` («A», «B» и «C»); others unchanged."""
    out: dict[str, dict[str, Any]] = {}
    for fid, fig in figs.items():
        unit = str(fig.get("unit", ""))
        if unit.startswith(("code:", "codes:", "row:")) and isinstance(fig.get("value"), str):
            kind, ref = unit.split(":", 1)
            survey, qid = ref.split(".", 1)
            cb = Codebook.load(config_dir, survey)
            names = cb.row_labels(qid, lang) if kind == "row" else cb.labels(qid, lang)
            labels = [f"«{names.get(c, c)}»" for c in fig["value"].split(",")] if kind == "codes" else [f"«{names.get(fig['value'], fig['value'])}»"]
            joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + {"ru": " и ", "kk": " және "}[lang] + labels[-1]
            out[fid] = {**fig, "value": joined, "unit": "text"}
        else:
            out[fid] = dict(fig)
    return out


def write_out(df: pd.DataFrame, processed_dir: str | Path, name: str) -> Path:
    """Write an analysis table ``out_<name>.parquet`` (index dropped)."""
    path = Path(processed_dir) / f"out_{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    df.reset_index(drop=True).to_parquet(path, index=False)
    return path


def record_share(rec: Any, fid: str, x: int, n: int, *, confidence: float, method: str = "wilson",
                 **names: Any) -> dict[str, float]:
    """Record ``<fid>.pct``, ``<fid>.ci_low``, ``<fid>.ci_high`` (percent, base n) in a FiguresRecord.

    ``names`` fill the catalogue entry of ``<fid>.pct``; the interval's entries take its labels
    (``{share_ru}``, ``{share_kk}``) and the ``{method}`` and ``{confidence}`` of the interval.
    """
    from helpers.analysis.intervals import proportion

    est = {k: float(v) for k, v in proportion(x, n, confidence, method).items()}
    rec.add(f"{fid}.pct", est["pct"], base=n, **names)
    share = rec[f"{fid}.pct"]
    for end in ("ci_low", "ci_high"):
        rec.add(f"{fid}.{end}", est[end], base=n, share_ru=share.label_ru, share_kk=share.label_kk,
                method=method, confidence=confidence)
    return {"x": x, "n": n, **est}


def tests_display(tests: pd.DataFrame, ui: Mapping[str, str], labels: Mapping[str, str], key: str = "variable",
                  lang: str = "ru") -> pd.DataFrame:
    """A table of chi-square results (columns of ``ChiSquare.as_dict`` plus ``key``) for readers.

    Headers come from the ``ui`` texts (``p_holm`` for the Holm-adjusted p when ``tests`` has it);
    p-values are formatted for ``lang``; the last column says how p was obtained (``p_method``:
    chi-square distribution, Fisher's exact test, Monte-Carlo, Kruskal–Wallis), so a sparse table is
    never read off the asymptotic distribution. V is the bias-corrected Cramér's V; ordinal tests
    (``epsilon2`` column, :func:`helpers.analysis.crosstab.ordinal_group_tests`) show H and ε².
    """
    from helpers.figures import format_number, format_value

    out = pd.DataFrame({
        ui["variable"]: [labels.get(v, v) for v in tests[key]],
        "n": [format_number(v) for v in tests["n"]],
        ui["statistic_h" if "epsilon2" in tests else "statistic"]: ["—" if pd.isna(v) else format_number(v, 2) for v in tests["statistic"]],
        ui["df"]: [format_number(v) for v in tests["df"]],
        ui["p_value"]: [format_value(v, "p", lang) for v in tests["p_value"]],
        **({ui["epsilon2"]: ["—" if pd.isna(v) else format_number(v, 2) for v in tests["epsilon2"]]} if "epsilon2" in tests
           else {ui["cramers_v"]: ["—" if pd.isna(v) else format_number(v, 2) for v in tests["cramers_v"]]}),
        ui["p_method"]: [ui[f"p_method_{m}"] for m in (tests["p_method"] if "p_method" in tests
                                                       else ["asymptotic"] * len(tests))],
    })
    if "p_holm" in tests:
        out.insert(5, ui["p_holm"], [format_value(v, "p", lang) for v in tests["p_holm"]])
    return out.astype("str")


def merged_label(ui: Mapping[str, str], variable: str) -> str:
    """Reader label of the level :func:`helpers.analysis.regression.collapse_rare` merges rare levels
    into: ``ui["merged_<variable>"]`` (e.g. «Другие регионы (объединены)»), else ``ui["merged_level"]``."""
    return ui.get(f"merged_{variable}", ui["merged_level"])


def logit_display(table: pd.DataFrame, ui: Mapping[str, str], variables: Mapping[str, str],
                  levels: Mapping[str, Mapping[str, str]], *, threshold: int, confidence: float,
                  lang: str = "ru") -> pd.DataFrame:
    """Odds ratios (``regression.logit_odds_ratios(...).table``) as the reader sees them: characteristic,
    level and reference level by their labels in ``lang``, n (between 0 and ``threshold`` hidden),
    odds ratio, interval, p.

    ``levels`` maps a variable to its code → label mapping; the merged level of
    ``regression.collapse_rare`` is labelled by :func:`merged_label`. A level with no label stops
    the run rather than show a code.

    >>> t = pd.DataFrame({"variable": ["region"], "level": ["other"], "reference": ["ALA"], "n_level": [22],
    ...     "odds_ratio": [1.3359], "ci_low": [0.2778], "ci_high": [6.4254], "p_value": [0.7178]})
    >>> ui = {"variable": "Признак", "level": "Категория", "reference": "Категория сравнения", "odds_ratio": "ОШ",
    ...       "ci": "ДИ", "p_value": "p", "merged_level": "Другие (объединены)", "merged_region": "Другие регионы (объединены)",
    ...       "hidden_mark": "×"}
    >>> logit_display(t, ui, {"region": "Регион"}, {"region": {"ALA": "г. Алматы"}}, threshold=5, confidence=0.95).iloc[0].tolist()
    ['Регион', 'Другие регионы (объединены)', 'г. Алматы', '22', '1,34', '0,28–6,43', '0,718']
    """
    from helpers.analysis.regression import MERGED
    from helpers.figures import format_number, format_value

    def label(var: str, code: str) -> str:
        if code == MERGED and code not in levels.get(var, {}):
            return merged_label(ui, var)
        if code not in levels.get(var, {}):
            raise KeyError(f"logit table: no {lang} label for level {code!r} of {var!r}")
        return levels[var][code]

    return pd.DataFrame({
        ui["variable"]: [variables.get(v, v) for v in table["variable"]],
        ui["level"]: [label(v, lv) for v, lv in zip(table["variable"], table["level"])],
        ui["reference"]: [label(v, r) for v, r in zip(table["variable"], table["reference"])],
        "n": [ui["hidden_mark"] if 0 < n < threshold else format_number(n) for n in table["n_level"]],
        ui["odds_ratio"]: [format_number(v, 2) for v in table["odds_ratio"]],
        ci_header(ui, confidence): [f"{format_number(a, 2)}–{format_number(b, 2)}"
                                    for a, b in zip(table["ci_low"], table["ci_high"])],
        ui["p_value"]: [format_value(p, "p", lang) for p in table["p_value"]],
    }).astype("str")


def numbers_display(nums: pd.DataFrame, ui: Mapping[str, str], *, threshold: int) -> pd.DataFrame:
    """Numeric answers (``question, n, median, q1, q3, mean``) as the reader sees them: measure, n, median,
    quartiles, mean; a measure answered by fewer than ``threshold`` respondents shows the hidden mark
    only (its quantiles would be single answers)."""
    from helpers.figures import format_number

    small = ((nums["n"] > 0) & (nums["n"] < threshold)).to_numpy()
    mark = ui["hidden_mark"]

    def num(v: Any, s: bool) -> str:
        return mark if s else format_number(v, 1)

    return pd.DataFrame({
        ui["measure"]: [ui[q] for q in nums["question"]],
        "n": [mark if s else format_number(int(v)) for v, s in zip(nums["n"], small)],
        ui["median"]: [num(v, s) for v, s in zip(nums["median"], small)],
        ui["quartiles"]: [mark if s else f"{format_number(a, 1)}–{format_number(b, 1)}"
                          for a, b, s in zip(nums["q1"], nums["q3"], small)],
        ui["mean"]: [num(v, s) for v, s in zip(nums["mean"], small)],
    }).astype("str")


def logit_blocks_display(blocks: pd.DataFrame, ui: Mapping[str, str], variables: Mapping[str, str],
                         lang: str = "ru") -> pd.DataFrame:
    """Likelihood-ratio tests of each characteristic of the model (``regression.logit_model(...).blocks``)
    as the reader sees them: characteristic, degrees of freedom, statistic, p.

    >>> b = pd.DataFrame({"variable": ["sex"], "df": [1], "statistic": [0.2356], "p_value": [0.6274]})
    >>> logit_blocks_display(b, {"variable": "Признак", "df": "Ст. св.", "lr_statistic": "χ²", "p_value": "p"}, {"sex": "Пол"}).iloc[0].tolist()
    ['Пол', '1', '0,24', '0,627']
    """
    from helpers.figures import format_number, format_value

    return pd.DataFrame({
        ui["variable"]: [variables.get(v, v) for v in blocks["variable"]],
        ui["df"]: [format_number(int(v)) for v in blocks["df"]],
        ui["lr_statistic"]: [format_number(v, 2) for v in blocks["statistic"]],
        ui["p_value"]: [format_value(v, "p", lang) for v in blocks["p_value"]],
    }).astype("str")


def composition_display(by: pd.DataFrame, population: Mapping[str, float], labels: Mapping[str, str], ui: Mapping[str, str],
                        *, threshold: int, secondary: bool = True) -> pd.DataFrame:
    """The sample against the population for one characteristic: category, n, % of the sample, % of the
    population (``population``: code -> percent).

    The counts are those of the readiness-by-category table (``crosstab.breakdown``), protected the same
    way (:func:`helpers.analysis.disclosure.breakdown`), so the two tables publish the same numbers and
    hide the same ones; the sample % is of those counts. A category with no population share shows "—".
    """
    from helpers.figures import format_number

    pub = disclosure.breakdown(by, threshold, secondary=secondary).iloc[:-1]
    mark = ui["hidden_mark"]
    total = float(by["n"].sum())
    hid = pub["hidden_n"].to_numpy()
    pop = [population.get(c) for c in pub["level"]]
    return pd.DataFrame({
        ui["option"]: [ui["nonresponse"] if c == NONRESPONSE else labels.get(c, c) for c in pub["level"]],
        "n": [_fmt(v, h, mark) for v, h in zip(pub["n"], hid)],
        "%": [_fmt(100 * v / total if total else float("nan"), h, mark, 1) for v, h in zip(pub["n"], hid)],
        ui["population_pct"]: ["—" if p is None else format_number(p, 1) for p in pop],
    }).astype("str")


def weighted_display(head: pd.DataFrame, names: Mapping[str, str], ui: Mapping[str, str], *, confidence: float) -> pd.DataFrame:
    """Headline shares unweighted and weighted side by side (``weights.headline_table``): measure, n,
    % and interval without weights, % and interval with raking weights, effective n, Kish's design effect."""
    from helpers.figures import format_number

    ci = ci_header(ui, confidence)
    return pd.DataFrame({
        ui["measure"]: [names.get(m, m) for m in head["measure"]],
        "n": [format_number(int(v)) for v in head["n"]],
        ui["pct_unweighted"]: [format_number(v, 1) for v in head["pct"]],
        f"{ci} ({ui['unweighted']})": [_ci(a, b, False, "") for a, b in zip(head["ci_low"], head["ci_high"])],
        ui["pct_weighted"]: [format_number(v, 1) for v in head["pct_w"]],
        f"{ci} ({ui['weighted']})": [_ci(a, b, False, "") for a, b in zip(head["ci_low_w"], head["ci_high_w"])],
        ui["n_effective"]: [format_number(v, 0) for v in head["n_effective"]],
        ui["deff"]: [format_number(v, 2) for v in head["deff"]],
    }).astype("str")
