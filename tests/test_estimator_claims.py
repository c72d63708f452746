"""What notebook 05 says about the estimators of klteach.estimators, checked independently.

* k3's variance is finite exactly when E_P[r^2] = integral of q^2/p is; for
  normals that is when sigma_q^2 < 2 sigma_p^2, with a closed form.
* k2 is biased: E_P[(log r)^2 / 2] differs from D(P||Q) at the notebook's Q,
  and the bias is of third order in the gap between P and Q.
* k-NN estimation needs data without ties, and its bias grows with dimension.

References: mpmath quadrature at 30 digits, Gaussian moments, and seeded
simulations with known truths.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from scipy import stats

import klteach as kt
from klteach import DistributionError


def mp_integral(f, points):
    with mpmath.workdps(30):
        return mpmath.quad(f, points)


def mp_ratio_second_moment(mu_p, s_p, mu_q, s_q, lo=-mpmath.inf, hi=mpmath.inf):
    """Integral of q(x)^2 / p(x) over [lo, hi], by mpmath quadrature."""
    return mp_integral(lambda x: mpmath.npdf(x, mu_q, s_q) ** 2 / mpmath.npdf(x, mu_p, s_p),
                       [lo, mu_p, mu_q, hi])


def ratio_second_moment(mu_p, s_p, mu_q, s_q):
    """The closed form of E_P[(q/p)^2] for two normals stated in notebook 05."""
    gap = 2 * s_p**2 - s_q**2
    if gap <= 0:
        return math.inf
    return s_p**2 / (s_q * math.sqrt(gap)) * math.exp((mu_q - mu_p) ** 2 / gap)


# --- k3: when is its variance finite? -------------------------------------------------------

@pytest.mark.parametrize("mu_p, s_p, mu_q, s_q", [
    (0, 1, 0.3, 0.9), (0, 1, 0.5, 1.2), (0, 1, 1, 1.4), (2, 0.5, 1, 0.7), (-1, 2, 1, 0.5), (0, 1, 0, 1),
])
def test_ratio_second_moment_closed_form_matches_quadrature(mu_p, s_p, mu_q, s_q):
    assert ratio_second_moment(mu_p, s_p, mu_q, s_q) == pytest.approx(
        float(mp_ratio_second_moment(mu_p, s_p, mu_q, s_q)), rel=1e-9)


@pytest.mark.parametrize("mu_p, s_p, mu_q, s_q", [
    (0, 1, 1, 2),                # the notebook's Q = N(1, 2²): four times P's variance
    (0, 1, 0, math.sqrt(2)),     # exactly twice P's variance: the boundary is included
    (0, 1, 3, 1.5),
    (1, 0.5, 1, 0.75),
])
def test_ratio_second_moment_diverges_when_q_variance_is_at_least_twice_p(mu_p, s_p, mu_q, s_q):
    assert s_q**2 >= 2 * s_p**2 - 1e-12
    assert ratio_second_moment(mu_p, s_p, mu_q, s_q) == math.inf
    partial = [mp_ratio_second_moment(mu_p, s_p, mu_q, s_q, mu_p - L, mu_p + L) for L in (10, 20, 40)]
    # the integral over [-L, L] keeps growing (at least linearly) as L doubles
    assert partial[1] > 1.9 * partial[0] and partial[2] > 1.9 * partial[1]


@pytest.mark.parametrize("mu_q, s_q", [(0.5, 1.2), (0.3, 0.9), (0, 1.3)])
def test_ratio_second_moment_is_finite_for_wider_q_below_the_boundary(mu_q, s_q):
    # Q wider than P (heavier tails) is not enough for an infinite variance.
    partial = [mp_ratio_second_moment(0, 1, mu_q, s_q, -L, L) for L in (20, 40)]
    assert partial[1] == pytest.approx(float(partial[0]), rel=1e-12)
    assert float(partial[1]) == pytest.approx(ratio_second_moment(0, 1, mu_q, s_q), rel=1e-9)


def exact_k3_sd(mu_q, s_q):
    """Standard deviation of k3 = (r - 1) - log r under P = N(0, 1), by mpmath quadrature."""
    def k3(x):
        log_r = mpmath.log(mpmath.npdf(x, mu_q, s_q)) - mpmath.log(mpmath.npdf(x, 0, 1))
        return mpmath.expm1(log_r) - log_r

    second = mp_integral(lambda x: mpmath.npdf(x) * k3(x) ** 2, [-mpmath.inf, 0, mpmath.inf])
    return math.sqrt(float(second) - kt.gaussian_kl(0, 1, mu_q, s_q) ** 2)


@pytest.mark.parametrize("mu_q, s_q", [(0.3, 0.9), (0.5, 1.0)])
def test_mc_kl_k3_stderr_matches_the_exact_spread_when_finite(mu_q, s_q):
    p, q = stats.norm(0, 1), stats.norm(mu_q, s_q)
    d = kt.gaussian_kl(0, 1, mu_q, s_q)
    sd = exact_k3_sd(mu_q, s_q)
    n = 400_000
    x = p.rvs(size=n, random_state=np.random.default_rng(11))
    est = kt.mc_kl(p.logpdf(x), q.logpdf(x), estimator="k3")
    assert est.stderr * math.sqrt(n) == pytest.approx(sd, rel=0.03)
    assert abs(est.estimate - d) < 4 * est.stderr


def test_k3_spread_keeps_growing_with_n_when_the_variance_is_infinite():
    # The per-sample spread that mc_kl reports (stderr * sqrt(n)), median of 8 seeded
    # runs: with Q = N(1, 2²) (E_P[r^2] infinite) it grows with n instead of settling;
    # with Q = N(0.5, 1.2²) it settles near the exact value.
    p = stats.norm(0, 1)

    def median_spread(q, n):
        spreads = []
        for seed in range(8):
            x = p.rvs(size=n, random_state=np.random.default_rng(seed))
            spreads.append(kt.mc_kl(p.logpdf(x), q.logpdf(x), estimator="k3").stderr * math.sqrt(n))
        return float(np.median(spreads))

    infinite = stats.norm(1, 2)
    assert median_spread(infinite, 1_000_000) > 3 * median_spread(infinite, 10_000)
    assert median_spread(stats.norm(0.5, 1.2), 1_000_000) == pytest.approx(exact_k3_sd(0.5, 1.2), rel=0.15)


# --- k2: biased, with a bias of third order --------------------------------------------------

def k2_expectation_by_moments(mu_q, s_q):
    """E_P[(log r)^2 / 2] for P = N(0, 1), from the moments of a standard normal.

    log r = a + b x + c x^2 with the coefficients below; E[x^k] = 1, 0, 3 for k = 2, 3, 4.
    """
    a = -math.log(s_q) - mu_q**2 / (2 * s_q**2)
    b = mu_q / s_q**2
    c = 0.5 - 1 / (2 * s_q**2)
    # E[(a + b x + c x^2)^2] = a^2 + b^2 + 3 c^2 + 2 a c
    return 0.5 * (a**2 + b**2 + 3 * c**2 + 2 * a * c)


def test_k2_expectation_matches_quadrature_and_is_25_percent_above_d():
    def half_log_r_squared(x):
        return mpmath.npdf(x) * (mpmath.log(mpmath.npdf(x, 0.3, 0.9)) - mpmath.log(mpmath.npdf(x))) ** 2 / 2

    by_quad = float(mp_integral(half_log_r_squared, [-mpmath.inf, 0, mpmath.inf]))
    assert k2_expectation_by_moments(0.3, 0.9) == pytest.approx(by_quad, rel=1e-12)
    d = kt.gaussian_kl(0, 1, 0.3, 0.9)
    assert round(by_quad, 4) == 0.0846 and round(d, 4) == 0.0675
    assert 0.25 < (by_quad - d) / d < 0.26
    # and kt.mc_kl's k2 average converges to that expectation, not to D
    p, q = stats.norm(0, 1), stats.norm(0.3, 0.9)
    x = p.rvs(size=400_000, random_state=np.random.default_rng(3))
    est = kt.mc_kl(p.logpdf(x), q.logpdf(x), estimator="k2")
    assert abs(est.estimate - by_quad) < 4 * est.stderr
    assert est.estimate - d > 30 * est.stderr


def test_k2_bias_is_third_order_in_the_gap():
    # Q = N(0.3 t, (1 - 0.1 t)^2): as t halves, D falls about 4-fold, the bias 8- to 10-fold.
    ts = [1, 0.5, 0.25, 0.125, 0.0625]
    d = [kt.gaussian_kl(0, 1, 0.3 * t, 1 - 0.1 * t) for t in ts]
    bias = [k2_expectation_by_moments(0.3 * t, 1 - 0.1 * t) - dt for t, dt in zip(ts, d)]
    assert all(b > 0 for b in bias)
    for i in range(len(ts) - 1):
        assert 3.9 < d[i] / d[i + 1] < 4.5
        assert 7.9 < bias[i] / bias[i + 1] < 10.5
    assert bias[-1] / d[-1] < 0.013


# --- k-NN: ties and dimension ----------------------------------------------------------------

def test_knn_refuses_rounded_data_with_ties():
    rng = np.random.default_rng(0)
    x = np.round(rng.normal(0, 1, 1000), 1)
    with pytest.raises(DistributionError):
        kt.knn_kl(x, rng.normal(1, 2, 1000))


@pytest.mark.parametrize("seed", [0, 1])
def test_knn_bias_grows_with_dimension(seed):
    # D(N(0, I_d) || N(shift 1, I_d)) = d shift^2 / 2 = 1.25 nats in every dimension
    rng = np.random.default_rng(seed)
    estimates = {}
    for d in (1, 10):
        shift = math.sqrt(2 * 1.25 / d)
        assert kt.mvn_kl(np.zeros(d), np.eye(d), np.full(d, shift), np.eye(d)) == pytest.approx(1.25)
        x, y = rng.normal(0, 1, size=(10_000, d)), rng.normal(shift, 1, size=(10_000, d))
        estimates[d] = kt.knn_kl(x, y)
    assert abs(estimates[1] - 1.25) < 0.08
    assert estimates[10] < 1.12
