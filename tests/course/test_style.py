"""Tests of klteach/course/style.py: the house style's palette and font sizes, and no figure code
(klteach or a notebook) asking for text below 10 pt.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import pytest

from klteach import plots

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


FONT_SIZE_KEYS = ("font.size",)   # plus every *.labelsize, *.titlesize and *fontsize below


def _points(size) -> float:
    """A font size as matplotlib draws it, in points ('large' etc. resolved against font.size)."""
    from matplotlib.font_manager import FontProperties
    return FontProperties(size=size).get_size_in_points()


FONT_ARGUMENT = re.compile(r"""(?:fontsize|labelsize|titlesize)\s*=\s*(['"]?[\w.-]+['"]?)""")


_NAMED_SIZES = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "smaller", "larger"}


def test_palette_is_okabe_ito_and_style_applies():
    plots.use_style()
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert cycle[:3] == [plots.P_COLOR, plots.Q_COLOR, plots.M_COLOR]
    assert plots.P_COLOR.lower() == "#0072b2" and plots.Q_COLOR.lower() == "#d55e00"


def test_house_style_text_is_at_least_10_points():
    plots.use_style()
    keys = [k for k in matplotlib.rcParams
            if k in FONT_SIZE_KEYS or k.endswith(("labelsize", "titlesize", "fontsize"))]
    assert {"font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
            "legend.fontsize"} <= set(keys)
    small = {k: _points(matplotlib.rcParams[k]) for k in keys
             if matplotlib.rcParams[k] is not None and _points(matplotlib.rcParams[k]) < 10}
    assert not small, f"font sizes below 10 pt in the house style: {small}"


def test_no_figure_code_sets_text_below_10_points():
    """Every figure's text is at least 10 pt: no plotting code in klteach or a notebook asks for less."""
    import json

    root = Path(__file__).resolve().parents[2]
    sources = {str(p.relative_to(root)): p.read_text(encoding="utf-8")
               for p in sorted((root / "klteach").rglob("*.py"))}
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code":
                sources[f"{nb.name} cell {i}"] = "".join(cell["source"])
    small = []
    for where, text in sources.items():
        for m in FONT_ARGUMENT.finditer(text):
            size = m.group(1).strip("'\"")
            if not re.fullmatch(r"[A-Za-z_][\w.]*", size) or size in _NAMED_SIZES:   # a literal, not a variable
                if _points(size) < 10:
                    small.append(f"{where}: {m.group(0)}")
    assert not small, "text below 10 pt: " + "; ".join(small)
