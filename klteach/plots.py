"""The course's house plot style and the figures that recur across notebooks.

One colour-blind-safe palette (Okabe and Ito, 2008) is used everywhere: P is
always blue, Q always vermillion, a third distribution (a mixture, a
midpoint) bluish green. Plots call the maths in :mod:`klteach.discrete`;
they never compute divergences themselves.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

from .discrete import kl_contributions

__all__ = ["PALETTE", "P_COLOR", "Q_COLOR", "M_COLOR", "use_style", "bar_pair",
           "contributions_bar"]

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

_STYLE = {
    "axes.prop_cycle": cycler(color=list(PALETTE.values())),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "image.cmap": "cividis",
}


def use_style() -> None:
    """Apply the house style (palette, light grid, no top/right spines).

    Examples
    --------
    >>> use_style()
    >>> mpl.rcParams["axes.spines.top"]
    False
    """
    mpl.rcParams.update(_STYLE)


def bar_pair(p, q, *, labels=None, names=("P", "Q"), ax=None, title=None,
             ylabel="probability"):
    """Side-by-side bars of two distributions over the same outcomes.

    Parameters
    ----------
    p, q : array_like
        Probabilities of each outcome.
    labels : sequence of str, optional
        Outcome names (default ``0, 1, ...``).
    names : (str, str)
        Legend names of the two distributions.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure if omitted.
    title, ylabel : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    p, q = np.asarray(p, float), np.asarray(q, float)
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(p))
    width = 0.4
    ax.bar(x - width / 2, p, width, color=P_COLOR, label=names[0])
    ax.bar(x + width / 2, q, width, color=Q_COLOR, label=names[1])
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_xlabel("outcome")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def contributions_bar(p, q, *, labels=None, base=None, ax=None, title=None):
    """Per-outcome terms of D(P||Q) and of D(Q||P), as grouped bars.

    Bars above zero add to the divergence, bars below subtract; each
    direction's bars sum to its divergence, shown in the legend.

    Returns
    -------
    matplotlib.axes.Axes
    """
    units = "bits" if base == 2 else "nats" if base is None else f"log base {base} units"
    forward = kl_contributions(p, q, base=base)
    reverse = kl_contributions(q, p, base=base)
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(forward))
    width = 0.4
    ax.bar(x - width / 2, np.where(np.isinf(forward), np.nan, forward), width,
           color=P_COLOR, label=f"D(P||Q) terms, sum {forward.sum():.4f} {units}")
    ax.bar(x + width / 2, np.where(np.isinf(reverse), np.nan, reverse), width,
           color=Q_COLOR, hatch="//", label=f"D(Q||P) terms, sum {reverse.sum():.4f} {units}")
    for xi, value in zip(x, forward):
        if np.isinf(value):
            ax.annotate("inf", (xi - width / 2, 0), ha="center", va="bottom", color=P_COLOR)
    for xi, value in zip(x, reverse):
        if np.isinf(value):
            ax.annotate("inf", (xi + width / 2, 0), ha="center", va="bottom", color=Q_COLOR)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_xlabel("outcome")
    ax.set_ylabel(f"contribution [{units}]")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
    return ax


# --- notebooks 02-04 (issue 3) ---


# --- notebook 05 (issue 4) ---


# --- notebook 06 (issue 5) ---
