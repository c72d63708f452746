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
