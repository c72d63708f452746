"""Plots have labelled axes and the house colours; explorers build and redraw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from klteach import plots, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_palette_is_okabe_ito_and_style_applies():
    plots.use_style()
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert cycle[:3] == [plots.P_COLOR, plots.Q_COLOR, plots.M_COLOR]
    assert plots.P_COLOR.lower() == "#0072b2" and plots.Q_COLOR.lower() == "#d55e00"


def test_bar_pair_labels_and_colours():
    ax = plots.bar_pair([0.2, 0.8], [0.5, 0.5], labels=["a", "b"], title="t")
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    colours = {mcolors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert colours == {plots.P_COLOR.lower(), plots.Q_COLOR.lower()}
    heights = sorted(round(p.get_height(), 12) for p in ax.patches)
    assert heights == [0.2, 0.5, 0.5, 0.8]


def test_contributions_bar_heights_are_the_terms_and_inf_is_marked():
    p, q = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    ax = plots.contributions_bar(p, q)
    forward = [b.get_height() for b in ax.containers[0]]
    assert forward[0] == pytest.approx(0.5 * np.log(0.5))
    assert np.isnan(forward[1])                       # infinite term, drawn as a label
    assert any(t.get_text() == "inf" for t in ax.texts)
    assert "nats" in ax.get_ylabel()
    assert "inf" in ax.get_legend().get_texts()[0].get_text()


def test_show_pair_prints_both_directions(capsys):
    widgets.show_pair([0.5, 0.5], [0.9, 0.1], base=2)
    out = capsys.readouterr().out
    d_pq = 0.5 * np.log2(0.5 / 0.9) + 0.5 * np.log2(0.5 / 0.1)
    d_qp = 0.9 * np.log2(0.9 / 0.5) + 0.1 * np.log2(0.1 / 0.5)
    assert f"D(P||Q) = {d_pq:.4f} bits" in out and f"D(Q||P) = {d_qp:.4f} bits" in out


def test_coin_explorer_redraws_when_a_slider_moves(monkeypatch):
    calls = []
    monkeypatch.setattr(widgets, "show_pair", lambda p, q, **kw: calls.append((p, q)))
    box = widgets.coin_explorer(p_heads=0.5, q_heads=0.9)
    p_slider, q_slider = box.children[0].children
    q_slider.value = 0.2
    assert calls[-1][1] == pytest.approx([0.2, 0.8])
    assert p_slider.description.startswith("P(heads)")


def test_drift_explorer_redraws_with_new_samples(monkeypatch):
    calls = []
    monkeypatch.setattr(widgets, "show_drift", lambda s, n, **kw: calls.append((s, n, kw["seed"])))
    box = widgets.drift_explorer(shift=0.0, n=200)
    shift_slider, n_slider, seed_slider = box.children[0].children
    seed_slider.value = 7
    assert calls[-1] == (0.0, 200, 7)
    n_slider.value = 1000
    assert calls[-1] == (0.0, 1000, 7)
