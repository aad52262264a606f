"""Charts draw their text in the reports' font, DejaVu Sans, with a glyph for every letter.

nbval never compares images, so the charts are tested through what they draw: each text artist's
font file and its glyphs.
"""

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.font_manager import findfont
from matplotlib.ft2font import FT2Font

from helpers import charts
from helpers.analysis import plots

KAZAKH = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"


def _texts(fig) -> list:
    fig.canvas.draw()
    return [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontproperties"))
            if t.get_text().strip()]


def test__bar_ci__every_text_in_dejavu_sans_with_every_kazakh_letter():
    charts.setup()
    table = pd.DataFrame({"code": ["a", "b"], "pct": [60.0, 40.0], "ci_low": [50.0, 30.0], "ci_high": [70.0, 50.0]})
    fig = plots.bar_ci(table, labels={"a": f"Иә {KAZAKH}", "b": "Жоқ"}, title=f"Дайындық {KAZAKH}",
                       subtitle=plots.base_text(120, "kk"))
    texts = _texts(fig)
    assert any(KAZAKH in t.get_text() for t in texts)
    for t in texts:
        path = findfont(t.get_fontproperties(), fallback_to_default=False)
        assert "DejaVuSans" in path, (t.get_text(), path)
        font = FT2Font(path)
        missing = [ch for ch in t.get_text() if not ch.isspace() and font.get_char_index(ord(ch)) == 0]
        assert not missing, (t.get_text(), missing)
    plt.close(fig)


def test__bar_ci__a_font_without_kazakh_letters_is_detected():
    path = findfont("DejaVu Sans Mono")
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in KAZAKH)  # the check can see glyphs
    assert font.get_char_index(0x10FFFD) == 0  # and their absence
