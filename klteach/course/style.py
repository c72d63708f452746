"""The course's house plot style: one palette, hatches and markers for every notebook.

One colour-blind-safe palette (Okabe and Ito, 2008) is used everywhere: P is
always blue, Q always vermillion, a third distribution (a mixture, a
midpoint) bluish green. Colour is never the only cue: Q's bars are hatched
(``Q_HATCH``) and its lines dashed, series get their own markers, and every
series is named in a legend. :func:`use_style` applies it; each notebook's
figures (``klteach.course.nbNN_*``) draw with these colours.
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler

__all__ = ["PALETTE", "P_COLOR", "Q_COLOR", "M_COLOR", "Q_HATCH", "MARKERS", "HATCHES", "use_style",
           "REVERSE_COLOR", "CE_COLOR", "KL_COLOR"]


#: Okabe-Ito colours, in the order the style cycles through them.
PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish green": "#009E73",
    "reddish purple": "#CC79A7",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}


P_COLOR = PALETTE["blue"]


Q_COLOR = PALETTE["vermillion"]


M_COLOR = PALETTE["bluish green"]


#: Hatching of Q's bars, so P and Q differ in more than colour (P's bars are plain).
Q_HATCH = "//"


#: Markers and hatches for series beyond P and Q, one per series, in order.
MARKERS = ["o", "s", "^", "D", "v", "P"]


HATCHES = ["", "//", "..", "xx", "\\\\", "--"]


_STYLE = {
    "axes.prop_cycle": cycler(color=list(PALETTE.values())),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    # Every text at least 10 pt (about 14 pixels at the notebooks' 100 dpi, at which
    # JupyterLab shows a figure that fits its width): tests/course/test_style.py checks it.
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 12,
    "figure.labelsize": 11,
    "legend.frameon": False,
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "image.cmap": "cividis",
}


def use_style() -> None:
    """Apply the house style (palette, light grid, no top/right spines).

    Used in: the first code cell of every notebook, notebooks/01_definition.ipynb to
    08_where_kl_comes_from.ipynb.

    Examples
    --------
    >>> use_style()
    >>> mpl.rcParams["axes.spines.top"]
    False
    """
    mpl.rcParams.update(_STYLE)


REVERSE_COLOR = PALETTE["reddish purple"]   # the reverse-KL fit, beside Q's vermillion


#: Cross-entropy and KL curves (notebook 03): colours other than P's blue and Q's vermillion,
#: so those keep meaning "P" and "Q"; the curves also differ in line style (solid, dashed).
CE_COLOR = PALETTE["orange"]


KL_COLOR = PALETTE["reddish purple"]


_ESTIMATOR_COLORS = [PALETTE["orange"], PALETTE["reddish purple"], PALETTE["bluish green"],
                     PALETTE["sky blue"], PALETTE["black"]]
