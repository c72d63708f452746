"""Notebook 08's Rényi figure and explorer: the curve is the divergence the library computes, the explorer redraws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from klteach import plots, widgets  # noqa: E402

P, Q = np.array([0.36, 0.48, 0.16]), np.full(3, 1 / 3)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_renyi_orders_draws_the_curve_each_special_order_with_its_own_marker_and_the_limit():
    ax = plots.renyi_orders([0, 1, 2], [0.0, 0.1, 0.15], special={0.5: 0.05, 1.0: 0.1, 2.0: 0.15},
                            limit=0.36, current=(1.5, 0.12))
    markers = [line.get_marker() for line in ax.get_lines()[1:4]]
    assert len(set(markers)) == 3
    assert ax.get_lines()[0].get_ydata().tolist() == [0.0, 0.1, 0.15]
    assert "$D_\\infty$" in ax.get_legend().get_texts()[-2].get_text()      # mathtext, not a literal underscore
    assert "[nats]" in ax.get_ylabel() and "α" in ax.get_xlabel()


def test_show_renyi_prints_the_special_orders_by_their_closed_forms(capsys):
    value = widgets.show_renyi(P, Q, 2.0)
    out = capsys.readouterr().out
    chi2 = np.sum((P - Q) ** 2 / Q)
    assert value == pytest.approx(math.log1p(chi2), rel=1e-12)
    assert f"2: {math.log1p(chi2):.4f}" in out
    assert f"inf: {math.log(0.48 * 3):.4f}" in out
    bc = np.sum(np.sqrt(P * Q))
    assert f"1/2: {-2 * math.log(bc):.4f}" in out
    kl = float(np.sum(P * np.log(P / Q)))
    assert f"1 (KL): {kl:.4f}" in out


def test_renyi_explorer_redraws_when_the_slider_moves(monkeypatch):
    calls = []
    monkeypatch.setattr(widgets, "show_renyi", lambda p, q, alpha, **kw: calls.append(alpha))
    box = widgets.renyi_explorer(P, Q, alpha=0.5)
    (slider,) = box.children[0].children
    slider.value = 3.0
    assert calls[-1] == 3.0
    assert slider.description == "order α"


def test_show_renyi_title_starts_where_the_curve_starts():
    """D_0 = -log Q(supp P): 0 when Q has no mass outside P's support, and the title says so; else its value."""
    widgets.show_renyi(P, Q, 2.0)
    assert "from 0 at α = 0" in plt.gca().get_title()
    plt.close("all")
    p, q = [0.5, 0.5, 0.0], [0.2, 0.3, 0.5]
    widgets.show_renyi(p, q, 2.0)
    d0 = -math.log(0.2 + 0.3)                       # 0.6931: Q puts 0.5 where P has nothing
    title = plt.gca().get_title()
    assert f"from {d0:.4f} nats at α = 0" in title and "from 0 " not in title


def test_the_highlighted_order_stays_visible_on_a_special_marker():
    ax = plots.renyi_orders([0, 1, 2], [0.0, 0.1, 0.15], special={1.0: 0.1}, current=(1.0, 0.1))
    circle, diamond = ax.get_lines()[1], ax.get_lines()[2]
    assert circle.get_markerfacecolor() == "none"               # open: the diamond under it shows through
    assert diamond.get_markersize() < circle.get_markersize()


def test_show_renyi_with_q_zero_where_p_is_positive_marks_where_it_becomes_infinite():
    """show_renyi([.5, .5], [1., 0.], 0.5): the x-axis stopped at 0.95, the curve jumped to 13 nats in 0.05
    steps, and the legend listed KL and alpha = 2 markers that were not drawn (both infinite)."""
    widgets.show_renyi([0.5, 0.5], [1.0, 0.0], 0.5)
    ax = plt.gca()
    assert ax.get_xlim() == (0.0, 10.0)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any("KL" in t or "χ²" in t or "D_\\infty$ = log" in t for t in labels)      # infinite: not listed
    assert any("α ≥ 1" in t and "infty" in t for t in labels)
    assert "infinite from α = 1 on" in ax.get_title()
    curve = ax.get_lines()[0]
    x, y = np.asarray(curve.get_xdata()), np.asarray(curve.get_ydata())
    finite = np.isfinite(y)
    assert x[finite].max() >= 0.999                                 # the rise towards alpha = 1 is drawn
    # the curve is D_alpha = alpha log 2 / (1 - alpha) (sum p^a q^(1-a) = 0.5^a), on a fine grid near 1
    assert np.allclose(y[finite], x[finite] * math.log(2) / (1 - x[finite]), rtol=1e-12)
    top = ax.get_ylim()[1]
    assert top < 100                                                # the axis shows the rise, not the 700 nats near 1
    shown = finite & (y <= top)
    assert np.any(finite & (y > top))                               # the curve leaves the frame at the top
    first_out = np.argmax(finite & (y > top))
    path = y[: first_out + 1]                                       # up to and including the first point above it
    assert np.max(np.diff(path[np.isfinite(path)])) < 0.1 * top or y[first_out - 1] > 0.9 * top
    assert shown.sum() > 30


def test_show_renyi_without_infinite_orders_has_no_infinity_marks():
    widgets.show_renyi(P, Q, 2.0)
    ax = plt.gca()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sum("α = " in t for t in labels) == 4 and not any("α ≥" in t for t in labels)
    assert "infinite" not in ax.get_title()
