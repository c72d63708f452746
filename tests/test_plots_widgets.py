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


# --- no information carried by colour alone ---


def _hatches(ax):
    """The hatch of each bar series (container), in drawing order."""
    return [c.patches[0].get_hatch() or "" for c in ax.containers]


def test_bar_pairs_differ_in_hatch_not_only_colour():
    ax = plots.bar_pair([0.2, 0.8], [0.5, 0.5])
    assert _hatches(ax) == ["", plots.Q_HATCH]
    ax = plots.contributions_bar([0.2, 0.8], [0.5, 0.5])
    assert len(set(_hatches(ax))) == 2
    ax = plots.code_lengths_bar([0.5, 0.25, 0.25], [0.25, 0.25, 0.5])
    assert len(set(_hatches(ax))) == 2
    assert len({line.get_marker() for line in ax.get_lines()}) == 2


def test_drift_histograms_hatch_the_current_sample():
    from klteach import drift
    rng = np.random.default_rng(0)
    result = drift.drift_test(rng.normal(0, 1, 200), rng.normal(0.5, 1, 200), n_permutations=50, seed=1)
    [ax] = plots.drift_histograms(result)
    assert _hatches(ax) == ["", plots.Q_HATCH]


def test_false_alarm_bars_each_have_their_own_hatch():
    ax, _ = plots.false_alarm_rates(sizes=(20,), n_trials=3, n_permutations=19)
    assert len(set(_hatches(ax))) == len(ax.containers) == 3


def test_lines_of_different_series_differ_in_style_or_marker():
    from scipy import stats
    ax = plots.density_pair(stats.norm(0, 1), stats.norm(1, 2))
    assert len({line.get_linestyle() for line in ax.get_lines()}) == 2
    ax = plots.estimates_vs_n([10, 100], {"a": np.ones((2, 3)), "b": np.zeros((2, 3)), "c": np.ones((2, 3))}, 1.0)
    markers = [c.lines[0].get_marker() for c in ax.containers]     # one error-bar series per estimator
    assert len(markers) == len(set(markers)) == 3
    ax = plots.kl_vs_bins(np.linspace(-2, 2, 200), np.linspace(-1.5, 2.5, 200), n_bins=(2, 5))
    assert len({line.get_marker() for line in ax.get_lines()}) == 3


def test_gaussian_fits_three_curves_three_line_styles():
    from klteach import fits
    w, m, s = [0.6, 0.4], [-2, 2], [1, 1]
    ax = plots.gaussian_fits(w, m, s, fits.fit_gaussian(w, m, s, direction="forward"),
                             fits.fit_gaussian(w, m, s, direction="reverse"))
    assert len({line.get_linestyle() for line in ax.get_lines()}) == 3


def test_fit_scan_draws_each_fit_per_separation_with_its_own_line_style():
    from klteach.fits import GaussianFit
    seps = [0.0, 4.0, 8.0]
    fwd = [GaussianFit(-0.1 * d, 1 + d, 0.0) for d in seps]
    rev = [GaussianFit(-d / 2, 1.0, 0.0) for d in seps]
    left, right = plots.fit_scan(seps, fwd, rev)
    assert [list(line.get_ydata()) for line in left.get_lines()[:2]] == [[0.0, -0.4, -0.8], [0.0, -2.0, -4.0]]
    assert [list(line.get_ydata()) for line in right.get_lines()[:2]] == [[1.0, 5.0, 9.0], [1.0, 1.0, 1.0]]
    assert len({line.get_linestyle() for line in left.get_lines()}) == 3
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in (left, right))

def test_show_gaussians_integrands_differ_in_line_and_hatch(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda: None)
    widgets.show_gaussians(0, 1, 1, 2)
    right = plt.gcf().axes[1]
    styles = {line.get_linestyle() for line in right.get_lines() if line.get_color() != "black"}
    assert len(styles) == 2
    assert {c.get_hatch() or "" for c in right.collections} == {"", plots.Q_HATCH}
