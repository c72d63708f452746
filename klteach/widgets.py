"""Interactive explorers for the notebooks (ipywidgets).

Each explorer answers one question and is built on a plain function that
draws the same figure for fixed values, so a notebook can show a static
figure that nbval compares and that renders where widgets do not.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt

from .discrete import kl_divergence
from .plots import bar_pair, contributions_bar

__all__ = ["show_pair", "coin_explorer"]


def _units(base):
    return "bits" if base == 2 else "nats" if base is None else f"base-{base} units"


def show_pair(p, q, *, labels=None, base=2, title=None):
    """Print D(P||Q) and D(Q||P), and plot P, Q and each direction's per-outcome terms.

    Parameters
    ----------
    p, q : array_like
        Two distributions over the same outcomes.
    labels : sequence of str, optional
        Outcome names.
    base : float, optional
        2 for bits (default), None for nats.
    title : str, optional
        Title of the left panel.
    """
    units = _units(base)
    forward = kl_divergence(p, q, base=base)
    reverse = kl_divergence(q, p, base=base)
    print(f"D(P||Q) = {forward:.4f} {units}   D(Q||P) = {reverse:.4f} {units}")
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    bar_pair(p, q, labels=labels, ax=left, title=title or "P (reference) and Q (model)")
    contributions_bar(p, q, labels=labels, base=base, ax=right,
                      title="Per-outcome terms: they sum to each direction's KL")
    plt.show()


def coin_explorer(p_heads=0.5, q_heads=0.9, *, base=2):
    """Two coins with sliders: when does D(P||Q) blow up, and is it symmetric?

    Drag Q's probability of heads to 0 or 1 while P's stays strictly between:
    D(P||Q) becomes infinite because Q says an outcome P produces is impossible.

    Returns
    -------
    ipywidgets.VBox
    """
    style = {"description_width": "initial"}
    p_slider = widgets.FloatSlider(value=p_heads, min=0, max=1, step=0.01,
                                   description="P(heads) of coin P", style=style,
                                   continuous_update=False)
    q_slider = widgets.FloatSlider(value=q_heads, min=0, max=1, step=0.01,
                                   description="Q(heads) of coin Q", style=style,
                                   continuous_update=False)

    def draw(ph, qh):
        show_pair([ph, 1 - ph], [qh, 1 - qh], labels=["heads", "tails"], base=base,
                  title=f"P = ({ph:.2f}, {1 - ph:.2f}), Q = ({qh:.2f}, {1 - qh:.2f})")

    out = widgets.interactive_output(draw, {"ph": p_slider, "qh": q_slider})
    return widgets.VBox([widgets.HBox([p_slider, q_slider]), out])


# --- notebooks 02-04 (issue 3) ---


# --- notebook 05 (issue 4) ---


# --- notebook 06 (issue 5) ---
