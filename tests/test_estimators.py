"""Tests of the sample-based estimators, by seeded simulation against closed-form truths.

Tolerances come from the standard error: an unbiased estimate must land
within 4 standard errors of the truth (a false alarm about once in 16,000
runs for a normal estimate; the seeds are fixed, so the runs never flake).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.spatial.distance
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as st_h

import klteach as kt
from klteach import DistributionError

P, Q = st.norm(0, 1), st.norm(1, 2)
TRUTH = kt.gaussian_kl(0, 1, 1, 2)          # 0.4431 nats, itself tested against mpmath


def log_densities(n, seed, p=P, q=Q):
    x = p.rvs(size=n, random_state=np.random.default_rng(seed))
    return p.logpdf(x), q.logpdf(x)


# --- Monte Carlo: k1, k2, k3 -----------------------------------------------------------

@pytest.mark.parametrize("estimator, p, q", [
    ("k1", P, Q),
    ("k1", Q, P),
    ("k3", Q, P),
    # Not k3 for P = N(0, 1), Q = N(1, 2^2): there q/p grows like exp(3x^2/8), so
    # E_P[(q/p)^2] is infinite and so is k3's variance (its standard error is meaningless).
], ids=["k1 forward", "k1 reverse", "k3 reverse"])
@pytest.mark.parametrize("seed", range(3))
def test_unbiased_estimators_land_within_four_standard_errors(estimator, p, q, seed):
    logp, logq = log_densities(50_000, seed, p, q)
    truth = kt.gaussian_kl(p.mean(), p.std(), q.mean(), q.std())
    est = kt.mc_kl(logp, logq, estimator=estimator)
    assert isinstance(est, kt.MCEstimate) and type(est.estimate) is float
    assert abs(est.estimate - truth) < 4 * est.stderr
    assert est.stderr < 0.02      # the estimate is informative, not just uncertain


def expected_k2(p, q):
    """E_P[(log p - log q)^2 / 2] by mpmath quadrature: what k2 estimates (not the KL)."""
    mu_p, s_p = p.mean(), p.std()
    mu_q, s_q = q.mean(), q.std()
    with mpmath.workdps(30):
        def integrand(x):
            lp = -((x - mu_p) / s_p) ** 2 / 2 - mpmath.log(s_p)
            lq = -((x - mu_q) / s_q) ** 2 / 2 - mpmath.log(s_q)
            return mpmath.npdf(x, mu_p, s_p) * (lp - lq) ** 2 / 2
        return float(mpmath.quad(integrand, [-mpmath.inf, mu_p, mpmath.inf]))


@pytest.mark.slow
def test_k2_estimates_its_own_expectation_which_is_biased():
    logp, logq = log_densities(50_000, 7)
    est = kt.mc_kl(logp, logq, estimator="k2")
    target = expected_k2(P, Q)
    assert abs(est.estimate - target) < 4 * est.stderr
    assert abs(target - TRUTH) > 10 * est.stderr    # far apart: k2 is biased for these P and Q
    # For nearly equal P and Q the bias is small relative to the KL.
    near = st.norm(0.1, 1.05)
    assert expected_k2(P, near) == pytest.approx(kt.gaussian_kl(0, 1, 0.1, 1.05), rel=0.1)


@pytest.mark.slow
@pytest.mark.parametrize("estimator, p, q", [("k1", P, Q), ("k1", Q, P), ("k3", Q, P)],
                         ids=["k1 forward", "k1 reverse", "k3 reverse"])
def test_standard_error_matches_the_spread_of_repeated_estimates(estimator, p, q):
    truth = kt.gaussian_kl(p.mean(), p.std(), q.mean(), q.std())
    estimates, reported = [], []
    for seed in range(300):
        est = kt.mc_kl(*log_densities(400, 1000 + seed, p, q), estimator=estimator)
        estimates.append(est.estimate)
        reported.append(est.stderr)
    spread = np.std(estimates, ddof=1)
    # 300 replications: the sample sd is within about +-8% (2 sd) of the true one.
    assert np.mean(reported) == pytest.approx(spread, rel=0.2)
    assert abs(np.mean(estimates) - truth) < 4 * spread / math.sqrt(300)


def test_k3_has_lower_variance_than_k1_when_p_and_q_are_close():
    logp, logq = log_densities(20_000, 3, q=st.norm(0.1, 1))
    k1 = kt.mc_kl(logp, logq, estimator="k1")
    k3 = kt.mc_kl(logp, logq, estimator="k3")
    assert k3.stderr < k1.stderr / 5


def test_k3_is_never_negative_and_exact_for_tiny_log_ratios():
    rng = np.random.default_rng(4)
    logq = rng.normal(-1, 0.3, size=1000)
    logp = logq + 1e-9 * rng.standard_normal(1000)
    est = kt.mc_kl(logp, logq, estimator="k3")
    with mpmath.workdps(60):
        ref = mpmath.fsum(mpmath.expm1(mpmath.mpf(float(b)) - mpmath.mpf(float(a)))
                          - (mpmath.mpf(float(b)) - mpmath.mpf(float(a))) for a, b in zip(logp, logq)) / 1000
    assert est.estimate > 0
    # The only error left is the rounding of logp - logq itself (about 1e-16 / 1e-9).
    assert est.estimate == pytest.approx(float(ref), rel=1e-6)
    assert kt.mc_kl(logq, logq, estimator="k3") == (0.0, 0.0)


def test_zero_density_under_q_gives_infinity_and_bases():
    logp, logq = np.array([-1.0, -1.2, -0.9]), np.array([-1.1, -np.inf, -1.0])
    assert kt.mc_kl(logp, logq) == (math.inf, math.inf)
    logp, logq = log_densities(1000, 5)
    nats, bits = kt.mc_kl(logp, logq), kt.mc_kl(logp, logq, base=2)
    assert bits.estimate == pytest.approx(nats.estimate / math.log(2), rel=1e-15)
    assert bits.stderr == pytest.approx(nats.stderr / math.log(2), rel=1e-15)


@pytest.mark.parametrize("logp, logq, kwargs, pattern", [
    ([0.0, 1.0], [0.0], {}, r"logp has 2 values but logq has 1"),
    ([0.0], [0.0], {}, r"at least 2 samples"),
    ([0.0, np.nan], [0.0, 0.0], {}, r"logp contains NaN at index 1"),
    ([0.0, -np.inf], [0.0, 0.0], {}, r"logp contains -inf at index 1"),
    ([0.0, 0.0], [0.0, np.inf], {}, r"logq contains inf at index 1"),
    ([0.0, 0.0], [np.nan, 0.0], {}, r"logq contains NaN at index 0"),
    ([[0.0, 0.0]], [[0.0, 0.0]], {}, r"logp must be a 1-D array"),
    ([0.0, 0.0], [0.0, 0.0], {"estimator": "k4"}, r"estimator must be 'k1', 'k2' or 'k3', got 'k4'"),
    ("abc", [0.0, 0.0], {}, r"logp must be a log density"),
])
def test_mc_bad_input(logp, logq, kwargs, pattern):
    with pytest.raises(DistributionError, match=pattern):
        kt.mc_kl(logp, logq, **kwargs)


# --- k-nearest neighbours --------------------------------------------------------------

def brute_force_knn_kl(x, y, k):
    """The Wang-Kulkarni-Verdu formula from full distance matrices (small n only)."""
    x, y = np.atleast_2d(x.T).T, np.atleast_2d(y.T).T
    n, d = x.shape
    m = len(y)
    dxx = scipy.spatial.distance.cdist(x, x)
    np.fill_diagonal(dxx, np.inf)
    dxy = scipy.spatial.distance.cdist(x, y)
    rho = np.sort(dxx, axis=1)[:, k - 1]
    nu = np.sort(dxy, axis=1)[:, k - 1]
    return d / n * np.sum(np.log(nu / rho)) + math.log(m / (n - 1))


@pytest.mark.parametrize("d, k", [(1, 1), (2, 1), (3, 4)])
def test_knn_matches_brute_force_distances(d, k):
    rng = np.random.default_rng(d * 10 + k)
    x, y = rng.normal(size=(300, d)), rng.normal(0.5, 1.5, size=(250, d))
    assert kt.knn_kl(x, y, k=k) == pytest.approx(brute_force_knn_kl(x, y, k), rel=1e-12)


@pytest.mark.slow
def test_knn_2d_with_20000_samples_is_within_a_few_hundredths():
    # P = N(0, I), Q = N((1, 1), 4 I): D = 2 * 0.4431 = 0.8863 nats.
    truth = kt.mvn_kl([0, 0], np.eye(2), [1, 1], 4 * np.eye(2))
    estimates = []
    for seed in range(8):
        rng = np.random.default_rng(seed)
        estimates.append(kt.knn_kl(rng.normal(0, 1, (20_000, 2)), rng.normal(1, 2, (20_000, 2))))
    estimates = np.array(estimates)
    sd = estimates.std(ddof=1)
    assert sd < 0.04
    assert np.all(np.abs(estimates - truth) < 0.1)
    # Averaging 8 runs: within 4 standard errors, plus 0.01 for the estimator's small-n bias.
    assert abs(estimates.mean() - truth) < 4 * sd / math.sqrt(8) + 0.01


@pytest.mark.slow
def test_knn_1d_small_samples_unbiased_on_average():
    estimates = []
    for seed in range(40):
        rng = np.random.default_rng(100 + seed)
        estimates.append(kt.knn_kl(rng.normal(0, 1, 2000), rng.normal(1, 2, 2000), k=3))
    sd = np.std(estimates, ddof=1)
    assert abs(np.mean(estimates) - TRUTH) < 4 * sd / math.sqrt(40) + 0.01


@settings(max_examples=25, deadline=None)
@given(st_h.floats(-50, 50), st_h.floats(0, 2 * math.pi), st_h.integers(0, 10**6))
def test_knn_invariant_under_rigid_motions(shift, angle, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(200, 2)), rng.normal(0.3, 1.2, size=(150, 2))
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    moved = kt.knn_kl(x @ rot.T + shift, y @ rot.T + shift)
    assert moved == pytest.approx(kt.knn_kl(x, y), rel=1e-6, abs=1e-9)


def test_knn_1d_input_and_base():
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=500), rng.normal(1, 2, size=400)
    assert kt.knn_kl(x, y) == kt.knn_kl(x[:, None], y[:, None])
    assert kt.knn_kl(x, y, base=2) == pytest.approx(kt.knn_kl(x, y) / math.log(2), rel=1e-15)


@pytest.mark.parametrize("x, y, kwargs, pattern", [
    (np.zeros((5, 2)) + np.arange(5)[:, None], np.ones((5, 3)), {}, r"x has dimension 2 but y has dimension 3"),
    ([0.0, 1.0, 2.0], [0.5, 1.5], {"k": 0}, r"k must be a positive integer"),
    ([0.0, 1.0, 2.0], [0.5, 1.5], {"k": 1.5}, r"k must be a positive integer"),
    ([0.0, 1.0, 2.0], [0.5, 1.5], {"k": 3}, r"needs at least 4 samples of P and 3 of Q, got n = 3 and m = 2"),
    ([0.0], [0.5, 1.5], {}, r"needs at least 2 samples of P"),
    ([0.0, np.nan, 2.0], [0.5, 1.5], {}, r"x contains NaN at index 1"),
    (np.zeros((2, 2, 2)), np.zeros((2, 2)), {}, r"x must be an array of samples with shape \(n,\) or \(n, d\)"),
    ([0.0, 1.0, 1.0, 3.0], [0.5, 1.5], {}, r"2 sample\(s\) of x coincide with another sample of x.*noise"),
    ([0.0, 1.0, 2.0], [0.5, 1.0], {}, r"1 sample\(s\) of x coincide with a sample of y \(first: x\[1\]\)"),
])
def test_knn_bad_input(x, y, kwargs, pattern):
    with pytest.raises(DistributionError, match=pattern):
        kt.knn_kl(x, y, **kwargs)


def test_knn_duplicates_beyond_the_kth_neighbour_are_fine():
    # With k = 2, a pair of equal x's still has a positive distance to the 2nd neighbour.
    x = np.array([0.0, 1.0, 1.0, 3.0, 4.5])
    y = np.array([0.5, 1.5, 2.5])
    assert kt.knn_kl(x, y, k=2) == pytest.approx(brute_force_knn_kl(x, y, 2), rel=1e-12)


# --- histogram plug-in -----------------------------------------------------------------

def test_histogram_two_bins_by_hand():
    # Edges 0.1, 0.5, 0.9: P = (1/2, 1/2), Q = (1/4, 3/4).
    got = kt.histogram_kl([0.1, 0.2, 0.8, 0.9], [0.1, 0.6, 0.7, 0.9], bins=2)
    assert got == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3), rel=1e-15)


def test_histogram_with_many_samples_approaches_the_binned_truth():
    rng = np.random.default_rng(2)
    edges = np.linspace(-4, 4, 9)
    x = np.clip(rng.normal(0, 1, 200_000), -3.999, 3.999)
    y = np.clip(rng.normal(0, 1.5, 200_000), -3.999, 3.999)
    got = kt.histogram_kl(x, y, bins=edges)
    # Binned (and clipped) truth: KL between the bin probabilities, which is below the
    # continuous KL (data processing inequality).
    cdf_p = st.norm(0, 1).cdf(edges)
    cdf_q = st.norm(0, 1.5).cdf(edges)
    cdf_p[0], cdf_p[-1], cdf_q[0], cdf_q[-1] = 0, 1, 0, 1
    binned = kt.kl_divergence(np.diff(cdf_p), np.diff(cdf_q))
    assert got == pytest.approx(binned, abs=0.002)
    assert binned < kt.gaussian_kl(0, 1, 0, 1.5)


def test_histogram_empty_q_bin_is_infinite_and_bad_input():
    assert kt.histogram_kl([0.0, 1.0, 2.0, 3.0], [0.0, 0.1, 0.2, 3.0], bins=3) == math.inf
    with pytest.raises(DistributionError, match=r"1-D samples"):
        kt.histogram_kl(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(DistributionError, match=r"bins=-1 was rejected"):
        kt.histogram_kl([0.0, 1.0], [0.0, 1.0], bins=-1)
    with pytest.raises(DistributionError, match=r"outside the given bin edges"):
        kt.histogram_kl([0.0, 1.0, 5.0], [0.0, 1.0], bins=[0.0, 0.5, 1.0])


# --- extreme values and bad bin edges ---------------------------------------------------

def test_histogram_nan_bin_edges_are_refused():
    # numpy accepts NaN edges and silently drops samples; here the binned KL would be inf.
    with pytest.raises(DistributionError, match=r"bins=.* NaN"):
        kt.histogram_kl([0.5, 0.6, 3.0], [3.0, 3.5, 3.2], bins=[0.0, np.nan, 4.0])
    # Infinite outer edges are fine: catch-all bins.
    assert kt.histogram_kl([0.5, 0.6, 3.0], [3.0, 3.5, 3.2], bins=[-np.inf, 2.0, np.inf]) == math.inf


@pytest.mark.parametrize("scale", [2.0**-1000, 2.0**-540, 2.0**540, 2.0**1000])
def test_knn_is_exact_under_extreme_units(scale):
    # The estimator is scale-invariant; squared distances must not underflow
    # (false ties) or overflow (NaN) on data in extreme units.
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 1, (200, 2)), rng.normal(0.5, 1, (300, 2))
    xs, ys = x * scale, y * scale
    with np.errstate(all="raise"):
        got = kt.knn_kl(xs, ys, k=2)
    assert got == pytest.approx(kt.knn_kl(x, y, k=2), rel=1e-12)


def test_mc_k2_overflow_is_infinite_without_warnings():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kt.mc_kl([0.0, 0.0], [1e200, 0.0], estimator="k2") == (math.inf, math.inf)


# --- huge log-ratio terms: finite mean and standard error where the true ones are ----------

def mp_mc_kl(logp, logq, estimator, dps=60):
    """Mean and standard error of the per-sample terms, in dps-digit arithmetic."""
    with mpmath.workdps(dps):
        lr = [mpmath.mpf(float(a)) - mpmath.mpf(float(b)) for a, b in zip(logp, logq)]
        terms = {"k1": lr, "k2": [v * v / 2 for v in lr],
                 "k3": [mpmath.expm1(-v) + v for v in lr]}[estimator]
        n = len(terms)
        mean = mpmath.fsum(terms) / n
        sd = mpmath.sqrt(mpmath.fsum((t - mean) ** 2 for t in terms) / (n - 1)) / mpmath.sqrt(n)
        return mean, sd


def _close_or_both_overflow(value, exact, rel):
    if abs(exact) > np.finfo(float).max:
        return value == math.copysign(math.inf, exact)
    return abs(mpmath.mpf(value) - exact) <= rel * abs(exact)


@pytest.mark.parametrize("logp, logq", [
    ([1e155, -3e154, 2e154], [0.0, 0.0, 0.0]),      # k2 and k3 overflow truly, k1 does not
    ([1.2e154, -1.3e154, 1.1e154], [0.0, 0.0, 0.0]),   # (log r)^2 overflows, (log r)^2 / 2 does not
    ([1e308, -1e308, 5e307], [-5e307, 1e308, 0.0]),  # log p - log q overflows a float, the mean not
    ([0.0] * 4, [705.0, 709.0, 709.5, 0.0]),         # k3: sum of the terms overflows, the mean not
    ([0.0] * 1000, [714.0] + [0.0] * 999),           # k3: one term above float max, the mean below
    ([0.0] * 3, [711.0, 709.0, -5.0]),
    ([0.0, 0.0], [720.0, 0.0]),
])
@pytest.mark.parametrize("estimator", ["k1", "k2", "k3"])
def test_mc_mean_and_stderr_are_finite_where_the_true_values_are(logp, logq, estimator):
    import warnings
    mean, sd = mp_mc_kl(logp, logq, estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = kt.mc_kl(logp, logq, estimator=estimator)
    assert _close_or_both_overflow(got.estimate, mean, 1e-14), (got, float(mean))
    assert _close_or_both_overflow(got.stderr, sd, 1e-14), (got, float(sd))


def test_mc_huge_terms_are_finite_in_the_cases_that_motivated_the_scaling():
    # k2 mean (1.2e154^2 + ...) / 6 and k3 mean exp(714) / 1000 are floats: not inf
    k2 = kt.mc_kl([1.2e154, -1.3e154, 1.1e154], [0.0, 0.0, 0.0], estimator="k2")
    k3 = kt.mc_kl([0.0] * 1000, [714.0] + [0.0] * 999, estimator="k3")
    assert math.isfinite(k2.estimate) and math.isfinite(k2.stderr)
    assert math.isfinite(k3.estimate) and math.isfinite(k3.stderr)


# --- k-NN with data spread over hundreds of orders of magnitude ---------------------------

def exact_knn_kl(x, y, k, dps=40):
    """The estimator with squared distances as exact fractions of the float coordinates."""
    from fractions import Fraction
    xf = [[Fraction(float(v)) for v in row] for row in x]
    yf = [[Fraction(float(v)) for v in row] for row in y]
    n, d = np.shape(x)

    def kth(a, points):
        return sorted(sum((u - v) ** 2 for u, v in zip(a, b)) for b in points)[k - 1]

    with mpmath.workdps(dps):
        total = mpmath.mpf(0)
        for i, a in enumerate(xf):
            sx, sy = kth(a, xf[:i] + xf[i + 1:]), kth(a, yf)
            total += (mpmath.log(mpmath.mpf(sy.numerator) / sy.denominator)
                      - mpmath.log(mpmath.mpf(sx.numerator) / sx.denominator)) / 2
        return d * total / n + mpmath.log(mpmath.mpf(len(yf)) / (n - 1))


@pytest.mark.slow
@pytest.mark.parametrize("scale, outlier", [(1e-5, 1e150), (1.0, 1e154), (1e-160, 1e150),
                                            (1e-300, 1e10), (1e-5, 1e300)])
@pytest.mark.parametrize("k", [1, 3])
def test_knn_one_far_outlier_loses_no_digits_and_makes_no_false_ties(scale, outlier, k):
    # Rescaled by the outlier, the other points' squared distances were subnormal: digits
    # lost (5e-11 relative) or false ties (an error about duplicates that are not there).
    import warnings
    rng = np.random.default_rng(int(-math.log10(scale)) + k)
    x, y = rng.normal(size=(60, 2)) * scale, rng.normal(0.5, 1.3, size=(50, 2)) * scale
    x[0] = [outlier, -outlier]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = kt.knn_kl(x, y, k=k)
    assert got == pytest.approx(float(exact_knn_kl(x, y, k)), rel=1e-12)


def test_knn_true_duplicates_next_to_a_far_outlier_are_still_refused():
    x = np.array([[1e-200, 0.0], [1e-200, 0.0], [3e-200, 1e-200], [1e150, 0.0]])
    y = np.array([[2e-200, 0.0], [5e-200, 0.0]])
    with pytest.raises(DistributionError, match="coincide with another sample of x"):
        kt.knn_kl(x, y)


def test_knn_points_near_the_float_limits_against_brute_force():
    # coordinates of +-1e308 with others near 0: the max-norm search runs in scaled units
    import warnings
    from fractions import Fraction
    x, y = [1e308, -1e308, 0.0, 1.0, 3.5], [1.5e308, -1.2e308, 2.0, -0.5]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = kt.knn_kl(x, y)
    xf, yf = [Fraction(v) for v in x], [Fraction(v) for v in y]
    with mpmath.workdps(40):
        total = mpmath.mpf(0)
        for i, a in enumerate(xf):
            rho = min(abs(a - b) for j, b in enumerate(xf) if j != i)
            nu = min(abs(a - b) for b in yf)
            total += mpmath.log(mpmath.mpf(nu.numerator) / nu.denominator) - mpmath.log(
                mpmath.mpf(rho.numerator) / rho.denominator)
        exact = total / len(x) + mpmath.log(mpmath.mpf(len(y)) / (len(x) - 1))
    assert got == pytest.approx(float(exact), rel=1e-12)


def test_histogram_of_samples_whose_range_overflows_a_float():
    # max - min = 2e308 is inf: numpy refuses such a range; the edges are -1e308, 0, 1e308
    import warnings
    x = [1e308, -1e308, 0.0]                       # P = (1/3, 2/3) over [-1e308, 0), [0, 1e308]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kt.histogram_kl(x, [1e308, -1e308, 1.0], bins=2) == 0.0
        got = kt.histogram_kl(x, [1e308, -1e308, -1.0], bins=2)   # Q = (2/3, 1/3)
    assert got == pytest.approx(math.log(2) / 3, rel=1e-15)


def test_mc_kl_refuses_a_masked_logq_like_a_masked_logp():
    logq = np.ma.array([-1.0, -1.0, -50.0], mask=[0, 0, 1])
    with pytest.raises(DistributionError, match=r"^logq is a masked array with 1 masked entry"):
        kt.mc_kl([-1.0, -1.0, -1.0], logq)
    with pytest.raises(DistributionError, match=r"^logp is a masked array with 1 masked entry"):
        kt.mc_kl(logq, [-1.0, -1.0, -1.0])
