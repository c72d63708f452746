"""Plots have labelled axes and the house colours; explorers build and redraw."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.text  # noqa: E402
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


FONT_SIZE_KEYS = ("font.size",)   # plus every *.labelsize, *.titlesize and *fontsize below


def _points(size) -> float:
    """A font size as matplotlib draws it, in points ('large' etc. resolved against font.size)."""
    from matplotlib.font_manager import FontProperties
    return FontProperties(size=size).get_size_in_points()


def test_house_style_text_is_at_least_10_points():
    plots.use_style()
    keys = [k for k in matplotlib.rcParams
            if k in FONT_SIZE_KEYS or k.endswith(("labelsize", "titlesize", "fontsize"))]
    assert {"font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
            "legend.fontsize"} <= set(keys)
    small = {k: _points(matplotlib.rcParams[k]) for k in keys
             if matplotlib.rcParams[k] is not None and _points(matplotlib.rcParams[k]) < 10}
    assert not small, f"font sizes below 10 pt in the house style: {small}"


FONT_ARGUMENT = re.compile(r"""(?:fontsize|labelsize|titlesize)\s*=\s*(['"]?[\w.-]+['"]?)""")


def test_no_figure_code_sets_text_below_10_points():
    """Every figure's text is at least 10 pt: no plotting code in klteach or a notebook asks for less."""
    import json

    root = Path(__file__).resolve().parents[1]
    sources = {str(p.relative_to(root)): p.read_text(encoding="utf-8")
               for p in sorted((root / "klteach").glob("*.py"))}
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


_NAMED_SIZES = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "smaller", "larger"}


def _texts_below(fig, points=10.0) -> list[tuple[str, float]]:
    fig.canvas.draw()
    return [(t.get_text(), t.get_fontsize()) for t in fig.findobj(matplotlib.text.Text)
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < points]


def test_code_lengths_bar_text_is_at_least_10_points():
    plots.use_style()
    ax = plots.code_lengths_bar([0.5, 0.25, 0.25], [0.25, 0.25, 0.5], symbols="abc",
                                names=("English", "German"), title="title")
    assert _texts_below(ax.figure) == []
    assert len(ax.get_legend().get_texts()) == 4


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


# --- notebook 06: binning loss vs plug-in bias, the bias formula, false alarms, the explorer's first draw ---


def _exact_binned_kl(k, shift, dps=40):
    """D(N(0,1) || N(shift,1)) on k bins cut at the true k-quantiles of N(0, 1), by mpmath."""
    import mpmath
    with mpmath.workdps(dps):
        cuts = ([-mpmath.inf] + [mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(i) / k - 1) for i in range(1, k)]
                + [mpmath.inf])
        total = mpmath.mpf(0)
        for a, b in zip(cuts[:-1], cuts[1:]):
            p = mpmath.ncdf(b) - mpmath.ncdf(a)
            q = mpmath.ncdf(b - shift) - mpmath.ncdf(a - shift)
            total += p * mpmath.log(p / q)
    return total


def test_binning_loses_divergence_exactly_as_the_data_processing_inequality_says():
    from scipy import stats
    continuous = 0.25 ** 2 / 2                       # closed form of D(N(0,1) || N(0.25,1))
    exact = {k: _exact_binned_kl(k, 0.25) for k in (2, 5, 10, 20, 50, 100)}
    for k, value in exact.items():
        assert 0 < value < continuous, k             # strictly below: binning loses divergence
        # the notebook's scipy recipe agrees with 40-digit arithmetic
        cuts = np.concatenate([[-np.inf], stats.norm.ppf(np.arange(1, k) / k), [np.inf]])
        p, q = np.diff(stats.norm.cdf(cuts)), np.diff(stats.norm.cdf(cuts, loc=0.25))
        assert np.sum(p * np.log(p / q)) == pytest.approx(float(value), rel=1e-9)
    for coarse, fine in [(2, 10), (10, 20), (20, 100), (5, 10), (10, 50), (50, 100)]:   # nested partitions
        assert exact[coarse] < exact[fine]
    assert continuous - float(exact[2]) > 0.011      # 2 bins lose more than a third of 0.03125 nats


def _mean_plugin_kl(n, k, shift, repeats, seed):
    from klteach import drift
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(repeats):
        ref, cur = rng.normal(0, 1, n), rng.normal(shift, 1, n)
        e = drift.bin_edges(ref, k)
        values.append(drift.drift_measures(drift.bin_counts(ref, e), drift.bin_counts(cur, e)).kl_ref_cur)
    return np.mean(values), np.std(values, ddof=1) / np.sqrt(repeats)


def test_plugin_estimate_is_below_the_truth_with_2_bins_and_above_with_many():
    continuous = 0.25 ** 2 / 2
    mean2, se2 = _mean_plugin_kl(1000, 2, 0.25, 1600, seed=11)
    assert mean2 + 5 * se2 < continuous               # the binning loss outweighs the plug-in bias
    assert mean2 - 5 * se2 > float(_exact_binned_kl(2, 0.25))   # ... but the bias is there: above the binned truth
    mean100, se100 = _mean_plugin_kl(1000, 100, 0.25, 100, seed=12)
    assert mean100 - 5 * se100 > 3 * continuous        # with 100 bins the bias dominates


def test_plugin_bias_with_no_drift_follows_the_chi_square_approximation():
    from scipy import stats
    from klteach import drift
    rng = np.random.default_rng(13)
    # fixed bins (true deciles): 2 nm/(n+m) D is close to chi-square with K - 1 = 9 degrees of freedom
    cuts = stats.norm.ppf(np.arange(1, 10) / 10)
    n = 4000
    scaled = []
    for _ in range(600):
        a = np.bincount(np.searchsorted(cuts, rng.normal(size=n)), minlength=10)
        b = np.bincount(np.searchsorted(cuts, rng.normal(size=n)), minlength=10)
        scaled.append(2 * (n * n / (2 * n)) * drift.drift_measures(a, b).kl_ref_cur)
    assert np.mean(scaled) == pytest.approx(9, rel=0.08)
    assert stats.kstest(scaled, stats.chi2(9).cdf).pvalue > 0.001
    # bins learned from the reference, 2 overflow bins (K = 12): the mean is near (K - 1)(1/n + 1/m)/2
    for size in (100, 1000):
        mean, se = _mean_plugin_kl(size, 10, 0.0, 400, seed=size)
        assert mean == pytest.approx(11 / size, rel=0.15)


def test_kl_vs_bins_draws_the_given_values_and_refuses_a_wrong_shape():
    estimates = np.array([[0.01, 0.02, 0.03], [0.05, 0.06, 0.10]])
    ax = plots.kl_vs_bins([2, 10], estimates, binned=[0.02, 0.03], continuous=0.03125, single=[0.025, 0.07])
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["mean plug-in estimate"].get_ydata()) == pytest.approx([0.02, 0.07])
    assert list(lines["binned truth (exact, from the CDFs)"].get_ydata()) == pytest.approx([0.02, 0.03])
    assert "0.03125" in lines["continuous truth = 0.03125 nats"].get_label()
    styles = {(line.get_linestyle(), line.get_marker()) for line in lines.values()}
    assert len(styles) == len(lines) == 4              # no two series differ by colour alone
    assert "nats" in ax.get_ylabel() and ax.get_xlabel()
    with pytest.raises(ValueError, match="one row per bin count"):
        plots.kl_vs_bins([2, 5, 10], estimates)


def test_plugin_bias_draws_the_mean_and_the_approximation():
    estimates = np.array([[0.1, 0.2], [0.01, 0.02]])
    ax = plots.plugin_bias([100, 1000], estimates, n_bins_total=12)
    mean_line, approx_line = ax.get_lines()
    assert list(mean_line.get_ydata()) == pytest.approx([0.15, 0.015])
    assert list(approx_line.get_ydata()) == pytest.approx([11 * (2 / 100) / 2, 11 * (2 / 1000) / 2])
    assert mean_line.get_linestyle() != approx_line.get_linestyle()
    with pytest.raises(ValueError, match="one row per sample size"):
        plots.plugin_bias([100], estimates, n_bins_total=12)


def test_false_alarm_bars_show_the_rates_and_their_intervals():
    from scipy import stats
    counts = {"permutation p <= 0.05": [52, 61], "PSI > 0.1": [990, 0]}
    rates = {rule: np.array(k) / 1000 for rule, k in counts.items()}
    intervals = {rule: [tuple(stats.binomtest(x, 1000).proportion_ci()) for x in k] for rule, k in counts.items()}
    ax = plots.false_alarm_rates([25, 1000], rates, intervals=intervals, n_trials=1000)
    bars = [c for c in ax.containers if isinstance(c, matplotlib.container.BarContainer)]
    assert [b.get_height() for b in bars[0]] == pytest.approx([0.052, 0.061])
    # the error bar of the first rate spans its Clopper-Pearson interval, from the beta quantiles
    low, high = stats.beta.ppf(0.025, 52, 1000 - 52 + 1), stats.beta.ppf(0.975, 52 + 1, 1000 - 52)
    segments = [seg for coll in ax.collections for seg in getattr(coll, "get_segments", lambda: [])()]
    assert any(np.allclose(sorted(seg[:, 1]), [low, high]) for seg in segments)
    assert "1000 trials" in ax.get_ylabel()
    with pytest.raises(ValueError, match="one rate per size"):
        plots.false_alarm_rates([25], rates)


def test_drift_explorer_starts_on_the_static_figure_with_the_same_shuffles(monkeypatch):
    from klteach import drift
    monkeypatch.setattr(plt, "show", lambda: None)
    used = []
    real_test = drift.drift_test
    monkeypatch.setattr(drift, "drift_test", lambda *a, **kw: used.append(kw) or real_test(*a, **kw))
    static = widgets.show_drift(0.25, 200, seed=widgets.DRIFT_SEED)
    widgets.drift_explorer(shift=0.25, n=200)         # draws its first view on creation
    assert len(used) == 2 and used[0]["n_permutations"] == used[1]["n_permutations"] == 999
    assert static.n_permutations == 999


def test_drift_explorer_first_draw_reads_sensibly(monkeypatch):
    # At shift 0 every "drift" is a false alarm: the first draw shows none at any offered size,
    # and at the default 0.25 sd shift with 200 values per side it detects the drift.
    monkeypatch.setattr(plt, "show", lambda: None)
    box = widgets.drift_explorer()
    sizes = box.children[0].children[1].options
    for n in sizes:
        assert widgets.show_drift(0.0, n, seed=widgets.DRIFT_SEED).pvalue > 0.05, n
        plt.close("all")
    assert widgets.show_drift(0.25, 200, seed=widgets.DRIFT_SEED).pvalue <= 0.05


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
    ax = plots.false_alarm_rates([20], {"permutation": [0.05], "PSI > 0.1": [0.9], "PSI > 0.25": [0.5]})
    assert len(set(_hatches(ax))) == len(ax.containers) == 3


def test_lines_of_different_series_differ_in_style_or_marker():
    from scipy import stats
    ax = plots.density_pair(stats.norm(0, 1), stats.norm(1, 2))
    assert len({line.get_linestyle() for line in ax.get_lines()}) == 2
    ax = plots.estimates_vs_n([10, 100], {"a": np.ones((2, 3)), "b": np.zeros((2, 3)), "c": np.ones((2, 3))}, 1.0)
    markers = [c.lines[0].get_marker() for c in ax.containers]     # one error-bar series per estimator
    assert len(markers) == len(set(markers)) == 3
    ax = plots.kl_vs_bins([2, 5], np.ones((2, 3)), binned=[0.5, 0.8], single=[1.0, 1.1])
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
