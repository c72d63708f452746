"""Notebook 03, Cross-entropy and KL (notebooks/03_cross_entropy.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..discrete import cross_entropy, entropy, kl_divergence
from .explorer import _explorer, _slider
from .style import CE_COLOR, KL_COLOR, M_COLOR

__all__ = ["training_curves", "show_cross_entropy", "cross_entropy_explorer"]


def training_curves(fit, *, units="nats", ax=None, title=None):
    """Cross-entropy and KL during training: the same shape, offset by the targets' entropy.

    Used in: notebooks/03_cross_entropy.ipynb (section "4. Train a classifier: watch both curves").

    Plots, against the number of gradient steps taken (1 to the last, on a
    logarithmic axis, because the first steps change the most), the mean over
    the training examples of H(P_i, Q_i) and of D(P_i||Q_i), and the mean
    target entropy H(P_i) that separates them. The values before the first
    step (``fit.cross_entropy[0]``, ``fit.kl[0]``) have no place on a log axis
    and are not drawn.

    Parameters
    ----------
    fit : klteach.training.SoftmaxFit
        A training run (its ``cross_entropy``, ``kl`` and ``target_entropy``).
    units : str
        Units of the run's history, for the axis label.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots()
    steps = np.arange(1, len(fit.cross_entropy))   # after 1, 2, ... steps
    ax.plot(steps, fit.cross_entropy[1:], color=CE_COLOR, lw=2, label="mean cross-entropy H(P, Q)")
    ax.plot(steps, fit.kl[1:], color=KL_COLOR, lw=2, ls="--", label="mean KL D(P||Q)")
    ax.axhline(fit.target_entropy, color=M_COLOR, lw=1, ls=":",
               label=f"mean H(P) = {fit.target_entropy:.4f} {units}")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlim(1, steps[-1])
    ax.set_xlabel("gradient steps taken (logarithmic axis)")
    ax.set_ylabel(f"mean over the training examples [{units}]")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def show_cross_entropy(p_dog=1.0, q_dog=0.9):
    """Two-class labels: print H(P), H(P, Q) and D(P||Q) in bits; plot them against Q(dog).

    Used in: notebooks/03_cross_entropy.ipynb (sections "2. Same minimiser, different minimum", "7.
    Explore: when do cross-entropy and KL coincide?").

    Parameters
    ----------
    p_dog : float
        Target probability of "dog" (1 for a hard label, between for a soft one).
    q_dog : float
        The model's probability of "dog", strictly between 0 and 1.
    """
    P, Q = [p_dog, 1 - p_dog], [q_dog, 1 - q_dog]
    h, ce, kl = entropy(P, base=2), cross_entropy(P, Q, base=2), kl_divergence(P, Q, base=2)
    print(f"P = ({p_dog:.2f}, {1 - p_dog:.2f}), Q = ({q_dog:.2f}, {1 - q_dog:.2f}): "
          f"H(P) = {h:.4f} bits, H(P,Q) = {ce:.4f} bits, D(P||Q) = {kl:.4f} bits")
    grid = np.linspace(0.005, 0.995, 199)
    batch = np.column_stack([grid, 1 - grid])
    _, ax = plt.subplots()
    ax.plot(grid, cross_entropy(P, batch, base=2), color=CE_COLOR, lw=2, label="cross-entropy H(P, Q)")
    ax.plot(grid, kl_divergence(P, batch, base=2), color=KL_COLOR, lw=2, ls="--", label="D(P||Q)")
    ax.axhline(h, color=M_COLOR, lw=1, ls=":", label=f"H(P) = {h:.4f} bits")
    ax.axvline(p_dog, color="grey", lw=0.8, ls="-.", label="Q = P")
    ax.plot([q_dog, q_dog], [kl, ce], "o", color="black", ms=5)
    ax.set_ylim(0, max(4.0, 1.1 * ce))
    ax.set_xlabel("Q(dog), the model's probability")
    ax.set_ylabel("bits")
    ax.set_title("Same minimiser, curves a constant H(P) apart")
    ax.legend()
    plt.show()


def cross_entropy_explorer(p_dog=0.8, q_dog=0.3):
    """Sliders for the label P(dog) and the prediction Q(dog): when does cross-entropy equal KL?

    Used in: notebooks/03_cross_entropy.ipynb (section "7. Explore: when do cross-entropy and KL
    coincide?").

    Returns
    -------
    ipywidgets.VBox
    """
    p_slider = _slider(p_dog, 0, 1, 0.05, "label P(dog)")
    q_slider = _slider(q_dog, 0.01, 0.99, 0.01, "model Q(dog)")
    return _explorer(show_cross_entropy, {"p_dog": p_slider, "q_dog": q_slider}, [[p_slider, q_slider]])
