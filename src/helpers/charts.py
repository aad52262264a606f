"""One chart style for the workbook: palette, fonts that cover Kazakh, deterministic PNG files."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

#: the one palette of the workbook (colour-blind safe), and a diverging one for Likert scales
PALETTE: list[str] = sns.color_palette("colorblind").as_hex()
DIVERGING: list[str] = sns.color_palette("RdBu", 5).as_hex()
MAIN_COLOR: str = PALETTE[0]


def setup() -> None:
    """Seaborn theme with DejaVu Sans (every Kazakh and Russian letter), called once per notebook."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font="DejaVu Sans",
                  rc={"figure.dpi": 100, "savefig.dpi": 150, "svg.hashsalt": "mediation",
                      "axes.titlesize": 11, "axes.labelsize": 10})


def chart_path(processed_dir: Path, chart_id: str, lang: str) -> Path:
    """Where a chart goes: ``<processed>/charts/<chart_id>.<lang>.png``."""
    return Path(processed_dir) / "charts" / f"{chart_id}.{lang}.png"


def save(fig: plt.Figure, path: Path, *, close: bool = True) -> Path:
    """Save a figure as a PNG with no volatile metadata, so re-runs give identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", bbox_inches="tight", metadata={"Software": None})
    if close:
        plt.close(fig)
    return path
