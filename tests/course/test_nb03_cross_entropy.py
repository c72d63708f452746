"""Tests of klteach/course/nb03_cross_entropy.py: notebook 03's figures, explorers and exercise checks.

Expected values come from independent formulas written here or in test_feedback.py (or scipy),
never from the checks themselves.
"""

from __future__ import annotations

import numpy as np
import pytest

import klteach as kt

pytestmark = pytest.mark.usefixtures("fifty_digits")   # mpmath at 50 digits (tests/course/conftest.py)


def test_cross_entropy_and_kl_curves_avoid_the_p_and_q_colours(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt

    from klteach import plots, widgets

    monkeypatch.setattr(plt, "show", lambda: None)
    reserved = {plots.P_COLOR.lower(), plots.Q_COLOR.lower()}
    widgets.show_cross_entropy(p_dog=0.8, q_dog=0.3)
    curves = [line for line in plt.gca().get_lines() if len(line.get_xdata()) > 2]
    assert len(curves) == 2 and not {mcolors.to_hex(c.get_color()) for c in curves} & reserved
    assert curves[0].get_linestyle() != curves[1].get_linestyle()
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    fit = kt.softmax_regression(X, np.eye(2)[[0, 1, 1]], steps=5, learning_rate=0.5)
    ax = plots.training_curves(fit)
    curves = ax.get_lines()[:2]
    assert not {mcolors.to_hex(c.get_color()) for c in curves} & reserved
    assert curves[0].get_linestyle() != curves[1].get_linestyle()
    plt.close("all")


def test_03_ex2_a_two_figure_sum_of_rounded_terms_is_asked_about_the_terms():
    # 03 Ex2: 0.086 (terms to 3 decimals: 0.236 - 0.081 - 0.069) got only "Did you round one?"
    import math

    from klteach import exercises

    P, Q = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])
    terms = [a * math.log(a / b) for a, b in zip(P, Q)]
    assert [round(t, 3) for t in terms] == [0.236, -0.081, -0.069]
    right = sum(terms)
    assert 0 < abs(0.086 - right) <= 0.015 * right and round(right, 3) != 0.086
    msg = str(exercises.check_kl(0.086, P, Q, names=("P_target", "Q_pred")))
    assert msg.startswith("Close") and "round the terms before summing" in msg, msg
