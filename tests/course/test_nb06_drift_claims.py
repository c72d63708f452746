"""Claims made in the prose of notebook 06 (notebooks/06_drift.ipynb), checked against
independent references.

Each test names the notebook section whose sentence it backs. References are mpmath at
high precision, scipy quadrature, brute-force sums or closed forms; none calls the function a claim
is about to compute its own expected value.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


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


def _mean_plugin_kl(n, k, shift, repeats, seed):
    from klteach import drift
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(repeats):
        ref, cur = rng.normal(0, 1, n), rng.normal(shift, 1, n)
        e = drift.bin_edges(ref, k)
        values.append(drift.drift_measures(drift.bin_counts(ref, e), drift.bin_counts(cur, e)).kl_ref_cur)
    return np.mean(values), np.std(values, ddof=1) / np.sqrt(repeats)


@pytest.mark.slow
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


@pytest.mark.slow
def test_plugin_estimate_is_below_the_truth_with_2_bins_and_above_with_many():
    continuous = 0.25 ** 2 / 2
    mean2, se2 = _mean_plugin_kl(1000, 2, 0.25, 1600, seed=11)
    assert mean2 + 5 * se2 < continuous               # the binning loss outweighs the plug-in bias
    assert mean2 - 5 * se2 > float(_exact_binned_kl(2, 0.25))   # ... but the bias is there: above the binned truth
    mean100, se100 = _mean_plugin_kl(1000, 100, 0.25, 100, seed=12)
    assert mean100 - 5 * se100 > 3 * continuous        # with 100 bins the bias dominates


@pytest.mark.slow
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


def _smoothed_measures(ref_counts, cur_counts, a=0.5):
    """D(P||Q), PSI and JS in nats from counts, smoothed with pseudo-count a, in plain numpy."""
    p = (np.asarray(ref_counts, float) + a) / (np.sum(ref_counts) + len(ref_counts) * a)
    q = (np.asarray(cur_counts, float) + a) / (np.sum(cur_counts) + len(cur_counts) * a)
    m = (p + q) / 2

    def kl(x, y):
        keep = x > 0
        return float(np.sum(x[keep] * np.log(x[keep] / y[keep])))
    return kl(p, q), kl(p, q) + kl(q, p), (kl(p, m) + kl(q, m)) / 2


@pytest.mark.slow
def test_no_drift_psi_is_about_twice_kl_and_js_about_a_quarter():
    # Section 5, "What fixed thresholds get wrong": with bins fixed in advance, one direction of KL averages
    # (K - 1)(1/n + 1/m)/2, PSI twice that, JS a quarter, and the JS distance is chi_{K-1} * sqrt((1/n + 1/m)/8).
    from scipy import stats
    rng = np.random.default_rng(31)
    cuts, n = stats.norm.ppf(np.arange(1, 10) / 10), 1000             # K = 10 bins, none empty at this n
    values = np.array([_smoothed_measures(np.bincount(np.searchsorted(cuts, rng.normal(size=n)), minlength=10),
                                          np.bincount(np.searchsorted(cuts, rng.normal(size=n)), minlength=10), 0)
                       for _ in range(1500)])
    kl, psi, js = values.mean(axis=0)
    assert kl == pytest.approx(9 * (2 / n) / 2, rel=0.06)
    assert psi / kl == pytest.approx(2, rel=0.02)
    assert js / kl == pytest.approx(0.25, rel=0.03)
    assert np.mean(np.sqrt(values[:, 2])) == pytest.approx(stats.chi(9).mean() * np.sqrt(2 / n / 8), rel=0.03)


@pytest.mark.slow
def test_fixed_thresholds_cross_as_the_expected_values_say():
    # Section 5: with the table's bins (10 quantile bins of the reference + 2 overflow bins, pseudo-count 0.5),
    # at n = m = 100 without drift PSI and the JS distance average well above 0.1 and cross it in most trials,
    # D(ref||cur) averages about 0.1 and crosses in about half; at n = m = 1000 a 0.25 sd shift averages PSI and
    # D(ref||cur) below 0.1 and a JS distance at 0.1.
    from klteach import drift
    rng = np.random.default_rng(32)

    def sample(n, shift):
        out = []
        for _ in range(800):
            r, c = rng.normal(0, 1, n), rng.normal(shift, 1, n)
            e = drift.bin_edges(r, 10)
            out.append(_smoothed_measures(drift.bin_counts(r, e), drift.bin_counts(c, e)))
        kl, psi, js = np.array(out).T
        return kl, psi, np.sqrt(js)

    kl, psi, jsd = sample(100, 0.0)
    assert psi.mean() > 0.18 and jsd.mean() > 0.14
    assert np.mean(psi >= 0.1) > 0.8 and np.mean(jsd >= 0.1) > 0.85
    assert 0.09 < kl.mean() < 0.115 and 0.35 < np.mean(kl >= 0.1) < 0.6
    kl, psi, jsd = sample(1000, 0.25)
    assert psi.mean() < 0.09 and kl.mean() < 0.05
    assert 0.09 < jsd.mean() < 0.11 and 0.3 < np.mean(jsd >= 0.1) < 0.8


def test_kl_and_ks_rank_the_three_changes_as_section_5_says():
    import mpmath
    with mpmath.workdps(30):
        _check_kl_and_ks_ranking(mpmath)


def _check_kl_and_ks_ranking(mpmath):
    phi, Phi = mpmath.npdf, mpmath.ncdf
    shift = mpmath.mpf(0.25) ** 2 / 2                                   # closed forms of D(N(0,1)||cur)
    spread = mpmath.log(1.5) + 1 / (2 * mpmath.mpf(1.5) ** 2) - mpmath.mpf(1) / 2
    assert round(float(spread / shift), 1) == 4.1
    # KS: the largest gaps, where the densities cross
    gap_shift = 2 * Phi(mpmath.mpf(0.125)) - 1
    x_star = mpmath.sqrt(2 * mpmath.log(1.5) / (1 - 1 / mpmath.mpf(2.25)))
    gap_spread = Phi(x_star) - Phi(x_star / 1.5)
    assert abs(gap_shift - gap_spread) < 0.003 and round(float(gap_shift), 3) == 0.099
    # the wider spread: lower density at the centre, higher in both tails
    assert phi(0) > phi(0, 0, 1.5) and phi(3) < phi(3, 0, 1.5) and phi(-3) < phi(-3, 0, 1.5)

    def mix_pdf(x):
        return (phi(x, -0.8, 0.6) + phi(x, 0.8, 0.6)) / 2

    def mix_cdf(x):
        return (Phi((x + 0.8) / 0.6) + Phi((x - 0.8) / 0.6)) / 2
    def kl_term(x):                                                     # the integrand of D(N(0,1)||mixture)
        return phi(x) * mpmath.log(phi(x) / mix_pdf(x))
    bimodal = mpmath.quad(kl_term, [-mpmath.inf, -0.8, 0, 0.8, mpmath.inf])
    deciles = [mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(i) / 10 - 1) for i in range(1, 10)]
    cuts = [-mpmath.inf] + deciles + [mpmath.inf]

    def binned(cdf):
        return [(Phi(b) - Phi(a)) * mpmath.log((Phi(b) - Phi(a)) / (cdf(b) - cdf(a)))
                for a, b in zip(cuts[:-1], cuts[1:])]
    binned_shift = sum(binned(lambda x: Phi(x - 0.25)))
    binned_spread = sum(binned(lambda x: Phi(x / 1.5)))
    binned_bimodal = binned(mix_cdf)
    assert [round(float(v), 3) for v in (binned_shift, binned_spread, sum(binned_bimodal), bimodal)] == \
        [0.030, 0.091, 0.023, 0.047]
    # the two-humped shape: smaller than the shift on the bins, larger before binning; binning loses about half
    assert sum(binned_bimodal) < binned_shift < bimodal
    assert 0.45 < 1 - sum(binned_bimodal) / bimodal < 0.55
    # ... almost all of it in the two outermost bins (the chain rule: loss = sum of within-bin divergences)
    outer = sum(mpmath.quad(kl_term, span) - binned_bimodal[i]
                for i, span in ((0, [-mpmath.inf, cuts[1]]), (9, [cuts[9], mpmath.inf])))
    assert outer / (bimodal - sum(binned_bimodal)) > 0.9
    x = mpmath.linspace(float(cuts[9]), 6, 200)                         # the outermost bin: density ratio falls
    ratios = [mix_pdf(v) / phi(v) for v in x]                           # from above 1 to far below it
    assert ratios[0] > 1 and ratios[-1] < 0.01


def test_missing_values_enter_each_measure_as_section_8_says():
    # Section 8: May has no missing values, June a share s. Unsmoothed, D(May||June) is exactly the divergence
    # of the values alone plus -ln(1 - s); smoothed (pseudo-count 0.5, 5 million a month) about so. D(June||May)
    # is dominated by s ln(s / p0) (p0: May's smoothed share of the empty bin), infinite without smoothing and
    # larger for a smaller pseudo-count; JS's missing-bin term is about (s / 2) ln 2, finite without smoothing.
    import mpmath
    from scipy import stats

    from klteach import drift
    rng = np.random.default_rng(33)
    probs = np.diff(stats.norm.cdf(np.concatenate([[-np.inf], stats.norm.ppf(np.arange(1, 10) / 10), [np.inf]])))
    may = np.append(rng.multinomial(5_000_000, probs), 0)
    june = np.append(rng.multinomial(4_995_000, np.diff(stats.norm.cdf(
        np.concatenate([[-np.inf], stats.norm.ppf(np.arange(1, 10) / 10), [np.inf]]), loc=0.02))), 5_000)
    with mpmath.workdps(40):
        _check_missing_share(mpmath, drift, may, june)


def _check_missing_share(mpmath, drift, may, june):
    s = mpmath.mpf(5_000) / int(june.sum())
    # unsmoothed identity, 40 digits
    P = [mpmath.mpf(int(v)) / int(may.sum()) for v in may]
    Q = [mpmath.mpf(int(v)) / int(june.sum()) for v in june]
    Qv = [mpmath.mpf(int(v)) / int(june[:-1].sum()) for v in june[:-1]]
    full = sum(p * mpmath.log(p / q) for p, q in zip(P, Q) if p > 0)
    values_only = sum(p * mpmath.log(p / q) for p, q in zip(P[:-1], Qv))
    assert abs(full - values_only + mpmath.log(1 - s)) < mpmath.mpf(10) ** -30
    # smoothed, as drift_measures computes it
    with_bin, without = drift.drift_measures(may, june), drift.drift_measures(may[:-1], june[:-1])
    assert with_bin.kl_ref_cur - without.kl_ref_cur == pytest.approx(float(-mpmath.log(1 - s)), rel=0.02)
    p0 = mpmath.mpf(0.5) / (int(may.sum()) + 13 * mpmath.mpf(0.5))
    q_missing = (5_000 + mpmath.mpf(0.5)) / (int(june.sum()) + 13 * mpmath.mpf(0.5))
    missing_term = q_missing * mpmath.log(q_missing / p0)
    assert float(missing_term) > with_bin.kl_cur_ref > 0.8 * float(missing_term)
    assert 0.8 * with_bin.psi < float(missing_term) < with_bin.psi
    assert with_bin.js - without.js == pytest.approx(float(s / 2 * mpmath.log(2)), rel=0.05)
    reverse = [drift.drift_measures(may, june, pseudo_count=a).kl_cur_ref for a in (0.5, 0.05, 0.005, 0)]
    assert reverse[0] < reverse[1] < reverse[2] < reverse[3] == np.inf
    assert np.isfinite(drift.drift_measures(may, june, pseudo_count=0).js)


@pytest.mark.slow
def test_counts_test_with_edges_from_the_compared_reference_is_liberal():
    # Section 8: with edges learned from the very reference being compared, the permutation test on counts
    # raises more false alarms than it promises (drift_test on raw values learns the edges again instead).
    from scipy import stats

    from klteach import drift
    rng = np.random.default_rng(34)
    trials, alarms = 800, 0
    for _ in range(trials):
        r, c = rng.normal(0, 1, 100), rng.normal(0, 1, 100)           # no drift
        e = drift.bin_edges(r, 10)
        alarms += drift.drift_test_counts(drift.bin_counts(r, e), drift.bin_counts(c, e),
                                          n_permutations=199, seed=rng).pvalue <= 0.05
    assert stats.binomtest(alarms, trials).proportion_ci().low > 0.05


@pytest.mark.slow
def test_overflow_bins_own_terms_explain_the_bias_formulas_overstatement():
    """Section 4: the inner bins carry about K - 1 = 11, the reference's empty overflow bins pull it down
    through the pseudo-count (scipy.special.rel_entr on hand-made histograms, no klteach binning)."""
    from scipy.special import rel_entr
    sim = np.random.default_rng(117)
    parts = {0.5: [], 0.01: []}
    for _ in range(400):
        ref, cur = sim.normal(0, 1, 1000), sim.normal(0, 1, 1000)
        cuts = np.quantile(ref, np.linspace(0, 1, 11))               # deciles; np.histogram leaves out values beyond
        a = np.r_[0, np.histogram(ref, cuts)[0], 0]
        b = np.r_[np.sum(cur < cuts[0]), np.histogram(cur, cuts)[0], np.sum(cur > cuts[-1])]
        for pc in parts:
            t = rel_entr((a + pc) / (a + pc).sum(), (b + pc) / (b + pc).sum())
            parts[pc].append([t[1:-1].sum(), t[[0, -1]].sum()])
    inner_05, outer_05 = 1000 * np.mean(parts[0.5], axis=0)
    inner_001, outer_001 = 1000 * np.mean(parts[0.01], axis=0)
    assert 10.3 < inner_05 < 12 and outer_05 < -0.5                 # inner about 11, overflow negative
    assert -0.2 < outer_001 < 0 and 10.4 < inner_001 + outer_001 < 12


@pytest.mark.slow
def test_w_over_sd_noise_depends_mostly_on_the_smaller_sample():
    """Section 5: no drift; W/sd >= 0.1 often with a large reference and a small current window (scipy)."""
    import scipy.stats
    sim = np.random.default_rng(137)

    def rate(n_ref, n_cur, trials=300):
        w = [scipy.stats.wasserstein_distance(r, c) / np.std(r, ddof=1)
             for r, c in ((sim.normal(size=n_ref), sim.normal(size=n_cur)) for _ in range(trials))]
        return np.mean(np.asarray(w) >= 0.1), np.median(w)

    big_small, small_big, both = rate(5000, 100), rate(100, 5000), rate(2000, 500)
    assert big_small[0] > 0.6 and abs(big_small[1] - small_big[1]) < 0.02
    assert both[0] < 0.1


@pytest.mark.slow
def test_negligible_drift_needs_samples_large_enough_to_measure_the_effect():
    """Section 5: at n = m = 100 the no-drift noise of W/sd exceeds a 0.05 sd shift's W/sd and 0.1, so
    drift_report never says negligible; at 50,000 a detected 0.05 sd shift is negligible."""
    from klteach import drift
    sim = np.random.default_rng(136)
    verdicts = [drift.drift_report({"x": sim.normal(0, 1, 100)}, {"x": sim.normal(0.05, 1, 100)},
                                   n_permutations=199, min_effect=0.1,
                                   seed=int(sim.integers(2**32))).rows[0].verdict for _ in range(80)]
    assert "negligible drift" not in verdicts
    row = drift.drift_report({"x": sim.normal(0, 1, 50_000)}, {"x": sim.normal(0.05, 1, 50_000)},
                             n_permutations=199, min_effect=0.1, seed=1).rows[0]
    assert row.verdict == "negligible drift" and row.effect + row.effect_noise < 0.1


def test_newly_missing_values_are_drift_in_the_report():
    """Section 9: 30% newly missing, the rest unmoved: D(ref||cur) near -ln 0.7, verdict drift."""
    import math

    from klteach import drift
    gone = np.random.default_rng(159)
    ref, cur = gone.normal(0, 1, 2000), gone.normal(0, 1, 2000)
    cur[gone.permutation(2000)[:600]] = np.nan
    row = drift.drift_report({"x": ref}, {"x": cur}, nan="bin", min_effect=0.1, seed=1).rows[0]
    assert abs(row.kl_ref_cur + math.log(0.7)) < 0.02
    assert row.verdict == "drift" and row.missing_change == 0.3


def test_counts_test_at_warehouse_sizes_agrees_with_pearsons_chi_square():
    """Section 8: 720 million and 1.2 billion rows a side, against scipy's chi2_contingency."""
    import scipy.stats

    from klteach import drift
    for per_bin, null in ((60_000_000, "permutation"), (100_000_000, "chi-square")):
        ref = np.full(12, per_bin)
        cur = ref + np.array([20_000, -20_000] + [0] * 10)
        r = drift.drift_test_counts(ref, cur, n_permutations=2000, seed=12)
        pearson = scipy.stats.chi2_contingency(np.vstack([ref, cur]), correction=False).pvalue
        assert r.null.startswith(null)
        assert abs(r.pvalue - pearson) < 0.05


def test_inner_bins_carry_about_9_plus_the_current_overflow_count():
    """Section 4: the ten inner bins' n x mean D is close to 11, not 9, because the current sample puts
    about 2m/(n + 1) values beyond the reference's range (exact for continuous data: each current value
    falls outside n reference values with probability 2/(n + 1)); that mass, missing from the inner
    current shares, adds about n x 2/n to their terms (scipy.special.rel_entr, numpy histograms)."""
    from scipy.special import rel_entr
    sim = np.random.default_rng(161)
    inner, overflow = [], []
    for _ in range(400):
        ref, cur = sim.normal(0, 1, 1000), sim.normal(0, 1, 1000)
        cuts = np.quantile(ref, np.linspace(0, 1, 11))
        a = np.r_[0, np.histogram(ref, cuts)[0], 0]
        b = np.r_[np.sum(cur < cuts[0]), np.histogram(cur, cuts)[0], np.sum(cur > cuts[-1])]
        inner.append(1000 * rel_entr((a + 0.5) / (a + 0.5).sum(), (b + 0.5) / (b + 0.5).sum())[1:-1].sum())
        overflow.append(b[0] + b[-1])
    se = np.std(overflow, ddof=1) / np.sqrt(400)
    assert abs(np.mean(overflow) - 2 * 1000 / 1001) < 4 * se
    assert abs(np.mean(inner) - (9 + np.mean(overflow))) < 4 * np.std(inner, ddof=1) / np.sqrt(400)
    assert abs(np.mean(inner) - 11) < 4 * np.std(inner, ddof=1) / np.sqrt(400)   # "close to 11"


def test_js_distance_bias_falls_only_by_about_the_square_root_of_ten():
    """Section 5: from 100 to 1,000 values per side the divergences' no-drift bias falls ten-fold, the JS
    distance's only about sqrt(10) (bins fixed at the true deciles, scipy's jensenshannon)."""
    from scipy import stats
    from scipy.spatial.distance import jensenshannon
    rng = np.random.default_rng(162)
    cuts = stats.norm.ppf(np.arange(1, 10) / 10)

    def means(n):
        h = [(np.bincount(np.searchsorted(cuts, rng.normal(size=n)), minlength=10) + 0.5,
              np.bincount(np.searchsorted(cuts, rng.normal(size=n)), minlength=10) + 0.5) for _ in range(600)]
        return np.mean([jensenshannon(p, q) for p, q in h]), np.mean([jensenshannon(p, q) ** 2 for p, q in h])

    (dist_100, js_100), (dist_1000, js_1000) = means(100), means(1000)
    assert 8 < js_100 / js_1000 < 12
    assert 2.8 < dist_100 / dist_1000 < 3.6 and abs(dist_100 / dist_1000 - np.sqrt(10)) < 0.4


def test_a_tenth_sd_shift_moves_four_percent_of_a_normal():
    """Section 9: the total variation between N(0, 1) and N(0.1, 1) is 2 Phi(0.05) - 1 = 0.040 (quadrature)."""
    from scipy import integrate, stats
    tv = integrate.quad(lambda x: abs(stats.norm.pdf(x) - stats.norm.pdf(x, 0.1)) / 2, -12, 12, points=[0.05])[0]
    assert tv == pytest.approx(2 * stats.norm.cdf(0.05) - 1, rel=1e-9)
    assert round(tv, 3) == 0.040


def test_five_percent_newly_missing_is_drift_although_the_values_did_not_move():
    """Section 9: 5% of 20,000 current values newly missing, the rest from the same normal: the values'
    W/sd (scipy) is below 0.1, yet the report says drift (the missing share's own bar is 0.01)."""
    import scipy.stats

    from klteach import drift
    sim = np.random.default_rng(163)
    ref, cur = sim.normal(0, 1, 20_000), sim.normal(0, 1, 20_000)
    cur[sim.permutation(20_000)[:1000]] = np.nan
    present = cur[~np.isnan(cur)]
    assert scipy.stats.wasserstein_distance(ref, present) / np.std(ref, ddof=1) < 0.05
    row = drift.drift_report({"y": ref}, {"y": cur}, nan="bin", min_effect=0.1, n_permutations=199,
                             seed=3).rows[0]
    assert row.missing_change == pytest.approx(0.05) and row.verdict == "drift"
