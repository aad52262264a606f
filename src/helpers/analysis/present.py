"""From analysis tables to what a reader sees: labelled, suppressed display tables; ui strings;
figure values that are codes turned into labels in the report language; writing ``out_`` tables."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.analysis.labels import Codebook
from helpers.analysis.suppression import suppress_freq
from helpers.analysis.tables import NONRESPONSE
from helpers.config_files import load_yaml


def ui_strings(sections: Mapping[str, str]) -> dict[str, str]:
    """The ``ui`` section of a report text (a YAML mapping of short strings: column headers etc.)."""
    return load_yaml(sections["ui"])


def ci_header(ui: Mapping[str, str], confidence: float) -> str:
    """'95 % ДИ' from the confidence parameter (the level is never typed in a text)."""
    return f"{confidence * 100:g}\u00a0% {ui['ci']}"


def freq_display(table: pd.DataFrame, labels: Mapping[str, str], ui: Mapping[str, str], *, threshold: int,
                 confidence: float, secondary: bool = True, responses: bool = False) -> pd.DataFrame:
    """A frequency table as the reader sees it: option label, n, %, interval; small cells hidden.

    The non-response row is kept (labelled ``ui['nonresponse']``, its % is of all respondents).
    """
    shown = suppress_freq(table, threshold, secondary=secondary)
    label = [ui["nonresponse"] if c == NONRESPONSE else labels.get(c, c) for c in table["code"]]
    ci = [("—" if lo == "—" else f"{lo}–{hi}") for lo, hi in zip(shown["ci_low"], shown["ci_high"])]
    out = pd.DataFrame({ui["option"]: label, "n": shown["n"], "%": shown["pct"], ci_header(ui, confidence): ci})
    if responses and "pct_responses" in shown:
        out[ui["pct_responses"]] = shown["pct_responses"]
    return out.astype("str")


def breakdown_display(table: pd.DataFrame, labels: Mapping[str, str], ui: Mapping[str, str], *, threshold: int,
                      confidence: float) -> pd.DataFrame:
    """A share-by-level table (``crosstab.breakdown``): level, base n, share, interval; levels with
    a base below the threshold are shown as '<threshold' with no share."""
    from helpers.figures import format_number

    hidden = f"<{threshold}"
    small = table["n"] < threshold
    lab = [ui["nonresponse"] if lv == NONRESPONSE else labels.get(lv, lv) for lv in table["level"]]
    n = [hidden if s else format_number(v) for v, s in zip(table["n"], small)]
    pct = ["—" if s or pd.isna(v) else format_number(v, 1) for v, s in zip(table["pct"], small)]
    ci = ["—" if s or pd.isna(lo) else f"{format_number(lo, 1)}–{format_number(hi, 1)}"
          for lo, hi, s in zip(table["ci_low"], table["ci_high"], small)]
    return pd.DataFrame({ui["level"]: lab, "n": n, "%": pct, ci_header(ui, confidence): ci}).astype("str")


def code_figures(figs: Mapping[str, Mapping[str, Any]], config_dir: str | Path, lang: str) -> dict[str, dict[str, Any]]:
    """Figures whose unit is ``code:<survey>.<qid>`` (an option code) or ``row:<survey>.<qid>`` (a
    grid row code) get their value replaced by the codebook label in ``lang``; others unchanged."""
    out: dict[str, dict[str, Any]] = {}
    for fid, fig in figs.items():
        unit = str(fig.get("unit", ""))
        if unit.startswith(("code:", "row:")) and isinstance(fig.get("value"), str):
            kind, ref = unit.split(":", 1)
            survey, qid = ref.split(".", 1)
            cb = Codebook.load(config_dir, survey)
            names = cb.labels(qid, lang) if kind == "code" else cb.row_labels(qid, lang)
            label = names.get(fig["value"], fig["value"])
            out[fid] = {**fig, "value": f"«{label}»" if lang == "ru" else f"«{label}»", "unit": "text"}
        else:
            out[fid] = dict(fig)
    return out


def write_out(df: pd.DataFrame, processed_dir: str | Path, name: str) -> Path:
    """Write an analysis table ``out_<name>.parquet`` (index dropped)."""
    path = Path(processed_dir) / f"out_{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    df.reset_index(drop=True).to_parquet(path, index=False)
    return path


def record_share(rec: Any, fid: str, x: int, n: int, *, label_ru: str, label_kk: str, source: str,
                 confidence: float, method: str = "wilson") -> dict[str, float]:
    """Record ``<fid>.pct``, ``<fid>.ci_low``, ``<fid>.ci_high`` (percent, base n) in a FiguresRecord."""
    from helpers.analysis.intervals import proportion

    est = {k: float(v) for k, v in proportion(x, n, confidence, method).items()}
    rec.add(f"{fid}.pct", est["pct"], unit="percent", label_ru=label_ru, label_kk=label_kk, source=source, base=n)
    rec.add(f"{fid}.ci_low", est["ci_low"], unit="percent", label_ru=f"{label_ru}: нижняя граница интервала",
            label_kk=f"{label_kk}: аралықтың төменгі шегі", source=f"{method} {confidence:g}", base=n)
    rec.add(f"{fid}.ci_high", est["ci_high"], unit="percent", label_ru=f"{label_ru}: верхняя граница интервала",
            label_kk=f"{label_kk}: аралықтың жоғарғы шегі", source=f"{method} {confidence:g}", base=n)
    return {"x": x, "n": n, **est}


def tests_display(tests: pd.DataFrame, ui: Mapping[str, str], labels: Mapping[str, str], key: str = "variable",
                  lang: str = "ru") -> pd.DataFrame:
    """A table of chi-square results (columns of ``ChiSquare.as_dict`` plus ``key``) for readers.

    Headers come from the ``ui`` texts (``p_holm`` for the Holm-adjusted p when ``tests`` has it);
    p-values are formatted for ``lang``.
    """
    from helpers.figures import format_number, format_value

    out = pd.DataFrame({
        ui["variable"]: [labels.get(v, v) for v in tests[key]],
        "n": [format_number(v) for v in tests["n"]],
        ui["statistic"]: [format_number(v, 2) for v in tests["statistic"]],
        ui["df"]: [format_number(v) for v in tests["df"]],
        ui["p_value"]: [format_value(v, "p", lang) for v in tests["p_value"]],
        ui["cramers_v"]: [format_number(v, 2) for v in tests["cramers_v"]],
        ui["expected_warning"]: [ui["warning_yes"] if w else ui["warning_no"] for w in tests["warning"]],
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
    level and reference level by their labels in ``lang``, n (below ``threshold`` shown as '<threshold'),
    odds ratio, interval, p.

    ``levels`` maps a variable to its code → label mapping; the merged level of
    ``regression.collapse_rare`` is labelled by :func:`merged_label`. A level with no label stops
    the run rather than show a code.

    >>> t = pd.DataFrame({"variable": ["region"], "level": ["other"], "reference": ["ALA"], "n_level": [22],
    ...     "odds_ratio": [1.3359], "ci_low": [0.2778], "ci_high": [6.4254], "p_value": [0.7178]})
    >>> ui = {"variable": "Признак", "level": "Категория", "reference": "Категория сравнения", "odds_ratio": "ОШ",
    ...       "ci": "ДИ", "p_value": "p", "merged_level": "Другие (объединены)", "merged_region": "Другие регионы (объединены)"}
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
        "n": [f"<{threshold}" if n < threshold else format_number(n) for n in table["n_level"]],
        ui["odds_ratio"]: [format_number(v, 2) for v in table["odds_ratio"]],
        ci_header(ui, confidence): [f"{format_number(a, 2)}–{format_number(b, 2)}"
                                    for a, b in zip(table["ci_low"], table["ci_high"])],
        ui["p_value"]: [format_value(p, "p", lang) for p in table["p_value"]],
    }).astype("str")
