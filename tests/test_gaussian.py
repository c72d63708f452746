"""Tests of klteach.gaussian against mpmath at high precision and numerical integration."""

from __future__ import annotations

import math
import re
import warnings

import mpmath
import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import klteach as kt
from klteach import DistributionError, mvn_kl

LN2 = math.log(2)


# --- mpmath references: the textbook formulas with enough digits (350 survive the
# cancellation down to results near 1e-300; 60 suffice for matrices) ---------------

def mp_gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, dps=350):
    with mpmath.workdps(dps):
        mp_, sp, mq, sq = (mpmath.mpf(float(v)) for v in (mu_p, sigma_p, mu_q, sigma_q))
        return mpmath.log(sq / sp) + (sp**2 + (mp_ - mq) ** 2) / (2 * sq**2) - mpmath.mpf(1) / 2


def mp_mvn_kl(mean_p, cov_p, mean_q, cov_q, dps=60):
    """Inverse and determinants in 60-digit arithmetic, on the exact float64 inputs."""
    with mpmath.workdps(dps):
        sp = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in cov_p])
        sq = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in cov_q])
        diff = mpmath.matrix([mpmath.mpf(float(b)) - mpmath.mpf(float(a)) for a, b in zip(mean_p, mean_q)])
        sq_inv = mpmath.inverse(sq)
        d = len(mean_p)
        trace = mpmath.fsum((sq_inv * sp)[i, i] for i in range(d))
        quad = (diff.T * sq_inv * diff)[0, 0]
        return (trace + quad - d + mpmath.log(mpmath.det(sq) / mpmath.det(sp))) / 2


def random_covariance(rng, d, condition):
    """A symmetric positive definite matrix with eigenvalues from 1 down to 1 / condition."""
    basis, _ = np.linalg.qr(rng.standard_normal((d, d)))
    eigenvalues = np.logspace(0, -math.log10(condition), d)
    cov = (basis * eigenvalues) @ basis.T
    return (cov + cov.T) / 2


# --- the kernel behind every formula here: expm1(x) - x --------------------------------

@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(-700, 700), st.floats(-1e-3, 1e-3), st.floats(-1e-150, 1e-150)))
def test_expm1mx_matches_mpmath(x):
    from klteach._numerics import expm1mx
    with mpmath.workdps(400):
        ref = float(mpmath.expm1(mpmath.mpf(x)) - mpmath.mpf(x))
    got = float(expm1mx(x))
    assert got >= 0
    assert got == pytest.approx(ref, rel=1e-14, abs=1e-300)


# --- univariate -----------------------------------------------------------------------

def test_course_values():
    # COURSE.md: N(0,1)||N(1,2^2) = 0.4431 nats, reverse 1.3069 nats.
    assert kt.gaussian_kl(0, 1, 1, 2) == pytest.approx(float(mp_gaussian_kl(0, 1, 1, 2)), rel=1e-15)
    assert kt.gaussian_kl(1, 2, 0, 1) == pytest.approx(float(mp_gaussian_kl(1, 2, 0, 1)), rel=1e-15)
    assert round(kt.gaussian_kl(0, 1, 1, 2), 4) == 0.4431
    assert round(kt.gaussian_kl(1, 2, 0, 1), 4) == 1.3069
    assert kt.gaussian_kl(0, 1, 1, 2, base=2) == pytest.approx(kt.gaussian_kl(0, 1, 1, 2) / LN2, rel=1e-15)


@pytest.mark.slow
def test_univariate_matches_direct_integration_of_the_densities():
    # Independent of klteach: quad over p(x) log(p(x)/q(x)) with scipy.stats densities.
    for mu_p, s_p, mu_q, s_q in [(0, 1, 1, 2), (1, 2, 0, 1), (-3, 0.5, 2, 4), (0, 1, 0, 1.1)]:
        p, q = scipy.stats.norm(mu_p, s_p), scipy.stats.norm(mu_q, s_q)
        ref, _ = scipy.integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)),
                                      -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12)
        assert kt.gaussian_kl(mu_p, s_p, mu_q, s_q) == pytest.approx(ref, rel=1e-9)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.floats(-1e3, 1e3), st.floats(1e-3, 1e3), st.floats(-1e3, 1e3), st.floats(1e-3, 1e3))
def test_univariate_matches_mpmath(mu_p, sigma_p, mu_q, sigma_q):
    ref = float(mp_gaussian_kl(mu_p, sigma_p, mu_q, sigma_q))
    assert kt.gaussian_kl(mu_p, sigma_p, mu_q, sigma_q) == pytest.approx(ref, rel=1e-12, abs=1e-300)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.floats(1e-2, 1e2), st.floats(-12, -2), st.floats(-1, 1))
def test_univariate_nearly_identical_keeps_its_digits(sigma, log_eps, sign):
    # D ~ eps^2: the textbook formula in float64 would lose every digit here.
    sigma_q = sigma * (1 + math.copysign(10.0**log_eps, sign))
    ref = float(mp_gaussian_kl(0.0, sigma, 0.0, sigma_q))
    assert kt.gaussian_kl(0.0, sigma, 0.0, sigma_q) == pytest.approx(ref, rel=1e-10)


def test_identical_is_zero_and_broadcasting():
    assert kt.gaussian_kl(1.5, 0.3, 1.5, 0.3) == 0.0
    out = kt.gaussian_kl(0, 1, np.array([0.0, 1.0, 2.0]), np.array([[1.0], [2.0]]))
    assert out.shape == (2, 3)
    for i, s in enumerate([1.0, 2.0]):
        for j, m in enumerate([0.0, 1.0, 2.0]):
            assert out[i, j] == pytest.approx(float(mp_gaussian_kl(0, 1, m, s)), rel=1e-14)
    assert type(kt.gaussian_kl(0, 1, 1, 2)) is float


def test_equal_variances_give_a_symmetric_kl():
    # Why a demo with two equal-variance Gaussians cannot show asymmetry (misconception 7).
    assert kt.gaussian_kl(0, 1.5, 2, 1.5) == pytest.approx(kt.gaussian_kl(2, 1.5, 0, 1.5), rel=1e-15)
    assert kt.gaussian_kl(0, 1, 2, 1.5) != pytest.approx(kt.gaussian_kl(2, 1.5, 0, 1), rel=1e-3)


@pytest.mark.parametrize("args, pattern", [
    ((0, 0, 0, 1), r"sigma_p must be > 0 \(a standard deviation\), got 0\.0"),
    ((0, 1, 0, -2), r"sigma_q must be > 0.*-2\.0"),
    ((np.nan, 1, 0, 1), r"mu_p contains NaN"),
    ((0, 1, np.inf, 1), r"mu_q contains inf"),
    ((0, [1, -1], 0, 1), r"sigma_p must be > 0.*index 1"),
    (("0", 1, 0, 1), r"mu_p must be a mean, got the string"),
    ((0, 1j, 0, 1), r"sigma_p must be real numbers"),
    ((0, [1, 2], 0, [1, 2, 3]), r"do not broadcast"),
])
def test_univariate_bad_input(args, pattern):
    with pytest.raises(DistributionError, match=pattern):
        kt.gaussian_kl(*args)


def test_bad_base():
    with pytest.raises(DistributionError, match="base"):
        kt.gaussian_kl(0, 1, 1, 2, base=1)
    with pytest.raises(DistributionError, match="base"):
        kt.mvn_kl([0], [[1]], [0], [[1]], base=-2)


# --- multivariate ---------------------------------------------------------------------

def test_mvn_reduces_to_univariate_and_to_sums_over_independent_coordinates():
    assert kt.mvn_kl([0], [[1]], [1], [[4]]) == pytest.approx(float(mp_gaussian_kl(0, 1, 1, 2)), rel=1e-15)
    mu_p, s_p = np.array([0.0, 1.0, -2.0]), np.array([1.0, 0.5, 3.0])
    mu_q, s_q = np.array([1.0, 1.0, 0.0]), np.array([2.0, 0.7, 1.0])
    ref = mpmath.fsum(mp_gaussian_kl(*args) for args in zip(mu_p, s_p, mu_q, s_q))
    got = kt.mvn_kl(mu_p, np.diag(s_p**2), mu_q, np.diag(s_q**2))
    assert got == pytest.approx(float(ref), rel=1e-14)


@pytest.mark.parametrize("condition", [1e2, 1e4, 1e6, 1e8])
@pytest.mark.parametrize("seed", range(4))
def test_mvn_ill_conditioned_matches_mpmath(condition, seed):
    rng = np.random.default_rng(seed)
    d = 2 + seed
    cov_p = random_covariance(rng, d, condition)
    cov_q = random_covariance(rng, d, condition)
    mean_p, mean_q = rng.standard_normal(d), rng.standard_normal(d)
    assert np.linalg.cond(cov_q) > condition / 10
    ref = float(mp_mvn_kl(mean_p, cov_p, mean_q, cov_q))
    assert kt.mvn_kl(mean_p, cov_p, mean_q, cov_q) == pytest.approx(ref, rel=1e-8)
    # Same covariance, different means: only the Mahalanobis term is left.
    ref = float(mp_mvn_kl(mean_p, cov_q, mean_q, cov_q))
    assert kt.mvn_kl(mean_p, cov_q, mean_q, cov_q) == pytest.approx(ref, rel=1e-8)


@pytest.mark.parametrize("condition", [1e4, 1e8])
@pytest.mark.parametrize("eps", [1e-1, 1e-3, 1e-6, 1e-9])
def test_mvn_nearly_identical_ill_conditioned_matches_mpmath(condition, eps):
    rng = np.random.default_rng(11)
    d = 5
    cov_q = random_covariance(rng, d, condition)
    chol = np.linalg.cholesky(cov_q)
    # cov_p = L B B^T L^T with B = I + eps * noise: P differs from Q by about eps
    # in every direction, however thin Q is in that direction. D is about eps^2.
    b = np.eye(d) + eps * rng.standard_normal((d, d))
    cov_p = chol @ b @ b.T @ chol.T
    cov_p = (cov_p + cov_p.T) / 2
    mean_q = rng.standard_normal(d)
    mean_p = mean_q + eps * (chol @ rng.standard_normal(d))
    ref = float(mp_mvn_kl(mean_p, cov_p, mean_q, cov_q))
    assert eps**2 / 100 < ref < 100 * eps**2
    assert kt.mvn_kl(mean_p, cov_p, mean_q, cov_q) == pytest.approx(ref, rel=1e-8)


def test_mvn_far_apart_and_nearly_singular_p():
    # P much narrower than Q in some directions: the eigenvalues of W approach -1.
    rng = np.random.default_rng(12)
    cov_q = random_covariance(rng, 4, 1e3)
    cov_p = 1e-7 * random_covariance(rng, 4, 1e1)
    mean_p, mean_q = np.zeros(4), np.ones(4)
    ref = float(mp_mvn_kl(mean_p, cov_p, mean_q, cov_q))
    assert kt.mvn_kl(mean_p, cov_p, mean_q, cov_q) == pytest.approx(ref, rel=1e-10)
    ref = float(mp_mvn_kl(mean_q, cov_q, mean_p, cov_p))
    assert kt.mvn_kl(mean_q, cov_q, mean_p, cov_p) == pytest.approx(ref, rel=1e-10)


def test_mvn_of_a_distribution_with_itself_is_zero():
    rng = np.random.default_rng(3)
    cov = random_covariance(rng, 4, 1e6)
    mean = rng.standard_normal(4)
    assert kt.mvn_kl(mean, cov, mean, cov) == 0.0


@pytest.mark.parametrize("cov_q, pattern", [
    ([[1.0, 0.5], [0.4, 1.0]], r"cov_q is not symmetric: cov_q\[\d, \d\] = 0\.\d+ but cov_q\[\d, \d\] = 0\.\d+"),
    ([[1.0, 2.0], [2.0, 1.0]], r"cov_q is not positive definite \(its smallest eigenvalue is -1\)"),
    ([[1.0, 1.0], [1.0, 1.0]], r"cov_q is not positive definite"),
    ([[1.0, 0.0], [0.0, np.nan]], r"cov_q contains NaN at index \(1, 1\)"),
    ([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], r"cov_q has shape \(3, 3\), but the mean vectors have 2"),
    ([1.0, 1.0], r"cov_q has shape \(2,\)"),
])
def test_mvn_bad_covariance(cov_q, pattern):
    with pytest.raises(DistributionError, match=pattern):
        kt.mvn_kl([0, 0], np.eye(2), [0, 0], cov_q)


def test_mvn_bad_means():
    with pytest.raises(DistributionError, match=r"mean_p has 2 coordinates but mean_q has 3"):
        kt.mvn_kl([0, 0], np.eye(2), [0, 0, 0], np.eye(3))
    with pytest.raises(DistributionError, match=r"mean_p must be a 1-D mean vector"):
        kt.mvn_kl(0.0, [[1.0]], [0.0], [[1.0]])
    with pytest.raises(DistributionError, match=r"cov_p is not positive definite"):
        kt.mvn_kl([0, 0], -np.eye(2), [0, 0], np.eye(2))


def test_mvn_symmetrises_rounding_level_asymmetry():
    cov = np.array([[2.0, 0.3], [0.3 * (1 + 1e-15), 1.0]])
    sym = (cov + cov.T) / 2
    assert kt.mvn_kl([0, 0], cov, [1, 0], np.eye(2)) == kt.mvn_kl([0, 0], sym, [1, 0], np.eye(2))


# --- the VAE term ---------------------------------------------------------------------

def mp_vae_kl(mu, log_var, dps=350):
    with mpmath.workdps(dps):
        return mpmath.fsum((mpmath.expm1(mpmath.mpf(float(lv))) - mpmath.mpf(float(lv))
                            + mpmath.mpf(float(m)) ** 2) / 2 for m, lv in zip(mu, log_var))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.floats(-10, 10), st.floats(-20, 5)), min_size=1, max_size=16))
def test_vae_kl_matches_mpmath(pairs):
    mu, log_var = np.array(pairs).T
    assert kt.vae_kl(mu, log_var) == pytest.approx(float(mp_vae_kl(mu, log_var)), rel=1e-13, abs=1e-300)


def test_vae_kl_near_the_prior_keeps_its_digits():
    mu, log_var = np.array([1e-9, -2e-9]), np.array([3e-8, -1e-7])
    assert kt.vae_kl(mu, log_var) == pytest.approx(float(mp_vae_kl(mu, log_var)), rel=1e-13)


def test_vae_kl_is_the_kl_to_the_standard_normal():
    rng = np.random.default_rng(5)
    mu, log_var = rng.standard_normal(4), rng.standard_normal(4)
    expected = kt.mvn_kl(mu, np.diag(np.exp(log_var)), np.zeros(4), np.eye(4))
    assert kt.vae_kl(mu, log_var) == pytest.approx(expected, rel=1e-13)
    assert kt.vae_kl(mu, log_var, base=2) == pytest.approx(expected / LN2, rel=1e-13)


def test_vae_kl_batches():
    rng = np.random.default_rng(6)
    mu, log_var = rng.standard_normal((8, 3)), rng.standard_normal((8, 3))
    batch = kt.vae_kl(mu, log_var)
    assert batch.shape == (8,)
    np.testing.assert_allclose(batch, [float(mp_vae_kl(m, lv)) for m, lv in zip(mu, log_var)], rtol=1e-13)
    np.testing.assert_allclose(kt.vae_kl(mu.T, log_var.T, axis=0), batch, rtol=1e-15)
    assert kt.vae_kl([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert type(kt.vae_kl(0.5, 0.1)) is float


def test_vae_kl_bad_input():
    with pytest.raises(DistributionError, match=r"log_var contains NaN"):
        kt.vae_kl([0.0], [np.nan])
    with pytest.raises(DistributionError, match=r"do not broadcast"):
        kt.vae_kl([0.0, 1.0], [0.0, 1.0, 2.0])
    with pytest.raises(DistributionError, match=r"axis must be an integer between -1 and 0"):
        kt.vae_kl([0.0, 1.0], [0.0, 1.0], axis=1)


# --- the notebook's explorer prints these numbers ----------------------------------------

@pytest.mark.slow
def test_show_gaussians_prints_both_directions(capsys):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klteach import widgets

    widgets.show_gaussians(0, 1, 1, 2)
    out = capsys.readouterr().out
    forward, reverse = float(mp_gaussian_kl(0, 1, 1, 2)), float(mp_gaussian_kl(1, 2, 0, 1))
    assert out.strip() == f"D(P||Q) = {forward:.4f} nats   D(Q||P) = {reverse:.4f} nats"
    box = widgets.gaussian_explorer(0, 1, 1, 2)
    sliders = [child for row in box.children[:2] for child in row.children]
    assert [s.value for s in sliders] == [0, 1, 1, 2]
    plt.close("all")


# --- extreme scales ---------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    (0, 1e-200, 0, 1e200),          # sigma_p / sigma_q underflows to 0
    (0, 5e-324, 0, 1e10),           # a subnormal standard deviation
    (1.5e308, 1e300, -1.5e308, 1e300),   # mu_p - mu_q overflows, D does not
    (0, 1, 0, 1e-100),              # D = 5e199, finite
])
def test_univariate_extreme_scales_are_finite_and_exact(args):
    import warnings
    ref = float(mp_gaussian_kl(*args))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kt.gaussian_kl(*args) == pytest.approx(ref, rel=1e-13)


def test_univariate_infinite_only_when_the_true_value_overflows():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no RuntimeWarning from an overflowing ratio
        assert kt.gaussian_kl(0, 1, 0, 5e-324) == math.inf   # 1 / (2 * 5e-324**2) > float max
        assert kt.gaussian_kl(0, 1e200, 0, 1e-200) == math.inf


@pytest.mark.slow
@pytest.mark.parametrize("args", [(0, 1, 1, 2), (0, 1, 0, 0.5), (2, 0.5, -1, 3), (0, 1, 3, 1)])
def test_show_gaussians_legend_sits_above_both_integrands(monkeypatch, args):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klteach import widgets

    monkeypatch.setattr(plt, "show", lambda: None)
    widgets.show_gaussians(*args)
    right = plt.gcf().axes[1]
    plt.gcf().canvas.draw()
    box = right.get_legend().get_window_extent().transformed(right.transData.inverted())
    curves = [line for line in right.get_lines() if line.get_color() != "black"]     # not the zero line
    assert len(curves) == 2
    for line in curves:
        x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        under = (x >= box.x0) & (x <= box.x1)
        assert np.all(y[under] < box.y0), "a curve runs under the legend"
    plt.close("all")


# --- notebook 05, section 1: binning a normal -------------------------------------------

def test_binned_entropy_diverges_while_binned_kl_converges():
    # Quantisation (Cover & Thomas, Thm 8.3.1): H(X^h) + log h -> h(X); H(X^h) itself grows
    # like log(1/h). The KL of the same bins tends to D(P||Q) (closed form at 350 digits).
    def bins(h, mu, sigma):
        edges = np.concatenate([[-np.inf], np.arange(-20, 20 + h, h), [np.inf]])
        return np.diff(scipy.stats.norm(mu, sigma).cdf(edges))

    h_exact = 0.5 * math.log(2 * math.pi * math.e)
    entropies = {}
    for h in (0.1, 0.01):
        p = bins(h, 0, 1)
        entropies[h] = kt.entropy(p)
        assert entropies[h] + math.log(h) == pytest.approx(h_exact, abs=1e-3 if h == 0.1 else 1e-5)
        assert kt.kl_divergence(p, bins(h, 1, 2)) == pytest.approx(float(mp_gaussian_kl(0, 1, 1, 2)),
                                                                   abs=1e-3 if h == 0.1 else 1e-5)
    assert entropies[0.01] - entropies[0.1] == pytest.approx(math.log(10), abs=1e-3)


def test_mean_term_does_not_overflow_before_the_result_does():
    # (mu_p - mu_q)^2 / (2 sigma_q^2) = 1.445e308 is a float; z**2 alone would overflow to inf first.
    with mpmath.workdps(40):
        exact = mpmath.mpf(1.7e154) ** 2 / 2
    assert kt.gaussian_kl(1.7e154, 1, 0, 1) == pytest.approx(float(exact), rel=1e-14)
    assert np.isfinite(kt.gaussian_kl(1.7e154, 1, 0, 1))


def test_mean_term_is_rounded_once():
    # equal sigmas: D = (mu_p - mu_q)^2 / (2 sigma^2) exactly; (0.5 z) z keeps it within ~3 ulp
    args = (3.944272916523184e-20, 2.7085838320698108e+16, 1.1209014546613342e-20, 2.7085838320698108e+16)
    with mpmath.workdps(60):
        z = (mpmath.mpf(args[0]) - mpmath.mpf(args[2])) / mpmath.mpf(args[3])
        exact = float(z * z / 2)
    assert abs(kt.gaussian_kl(*args) - exact) <= 4 * np.spacing(exact)


# --- huge ratios: every digit, and inf only where the true value overflows ----------------

def _ulps(value, exact):
    return float(abs(mpmath.mpf(value) - exact) / mpmath.mpf(np.spacing(float(exact))))


@pytest.mark.parametrize("ratio", [2.0, 2.5, 7.9, 1e3, 3.7e50, 2.1515520331245237e113, 4.6e140,
                                   1.2e154, 1.34e154, 1.5e154, 1.89e154])
@pytest.mark.parametrize("scale", [1.0, 1e-100, 3e100])
def test_univariate_huge_sigma_ratio_keeps_every_digit(ratio, scale):
    # D ~ r**2 / 2: exp(2 log r) carried log r's rounding times 2 log r (435 ulp at 2e113)
    # and overflowed from r = 1.34e154; (r / 2) r - 1/2 - log r keeps a few ulp up to 1.9e154.
    import warnings
    for args in [(0.0, ratio * scale, 0.0, scale), (0.0, scale, 0.0, scale / ratio)]:
        exact = mp_gaussian_kl(*args, dps=800)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value = kt.gaussian_kl(*args)
        assert math.isfinite(value) and _ulps(value, exact) <= 3, (args, value, float(exact))


def test_univariate_overflows_exactly_where_the_true_value_does():
    import warnings
    big = np.finfo(float).max
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for r in (1.8e154, 1.89e154, 1.895e154, 1.9e154, 2e154, 1e200):
            exact = mp_gaussian_kl(0.0, r, 0.0, 1.0, dps=800)
            value = kt.gaussian_kl(0.0, r, 0.0, 1.0)
            if exact > big * (1 + mpmath.mpf(2) ** -54):    # rounds to inf
                assert value == math.inf, r
            else:
                assert _ulps(value, exact) <= 3, r
        # the two terms together overflow although neither does alone
        assert kt.gaussian_kl(1.5e154, 1.5e154, 0.0, 1.0) == math.inf


def test_mvn_huge_scale_ratio_is_finite_and_exact():
    # D(N(0, diag(v, 1)) || N(0, diag(w, 1))) = r^2 / 2 - 1/2 - log r, r^2 = v / w: finite to
    # r about 1.9e154 (exp(2 log r) overflowed from r = 1.34e154)
    import warnings
    for v, w in ((1e200, 1.0), (2.25e300, 1e-8), (3.2e300, 1e-8), (1.0, 3e-309)):
        args = ([0.0, 0.0], np.diag([v, 1.0]), [0.0, 0.0], np.diag([w, 1.0]))
        with mpmath.workdps(60):
            t = mpmath.mpf(v) / mpmath.mpf(w)
            exact = (t - 1 - mpmath.log(t)) / 2          # the other coordinate adds 0
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value = kt.mvn_kl(*args)
        assert _ulps(value, exact) <= 8, (v, w, value, float(exact))


def test_mvn_means_far_apart_overflow_only_with_the_true_value():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # |mean_q - mean_p| = 1.6e154, D = 1.28e308: finite (z**2 alone would overflow)
        value = kt.mvn_kl([0.0, 0.0], np.eye(2), [1.6e154, 0.0], np.eye(2))
        assert value == pytest.approx(float(mpmath.mpf(1.6e154) ** 2 / 2), rel=1e-14)
        # the difference overflows a float; D (about 4.5e16) does not
        args = ([-1.5e308, 0.0], np.eye(2) * 1e300, [1.5e308, 0.0], np.eye(2) * 1e300)
        assert kt.mvn_kl(*args) == pytest.approx(float(mp_mvn_kl(*args, dps=60)), rel=1e-13)
        assert kt.mvn_kl([0.0], [[1.0]], [2e154], [[1.0]]) == math.inf   # 2e308 > float max


@pytest.mark.parametrize("mu, log_var", [
    ([1.5e154], [0.0]), ([1.89e154], [0.0]), ([1e154, 1e154], [0.0, 0.0]),
    ([0.0], [709.8]), ([0.0], [710.3]), ([0.0], [710.47]), ([0.0, 0.0], [709.0, 709.5]),
    ([3.0, -1e150], [700.5, -3.0]),
])
def test_vae_kl_is_finite_where_the_true_value_is(mu, log_var):
    # each half-term is formed on its own: (mu / 2) mu and exp(log_var - 1) (e / 2)
    import warnings
    exact = mp_vae_kl(mu, log_var, dps=60)
    assert exact < np.finfo(float).max
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = kt.vae_kl(mu, log_var)
    assert _ulps(value, exact) <= 4, (value, float(exact))


@pytest.mark.parametrize("mu, log_var", [([1.9e154], [0.0]), ([0.0], [710.5]), ([0.0], [711.0]),
                                         ([1.4e154, 1.4e154], [0.0, 0.0]), ([0.0, 0.0], [710.0, 710.0])])
def test_vae_kl_is_inf_only_where_the_true_value_overflows(mu, log_var):
    import warnings
    assert mp_vae_kl(mu, log_var, dps=60) > np.finfo(float).max
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kt.vae_kl(mu, log_var) == math.inf


@pytest.mark.parametrize("var_p, var_q", [(1e308, 1e308), (1e308, 1e307), (1.7e308, 1.0)])
def test_mvn_kl_with_covariance_entries_near_the_float_limit_matches_the_closed_form(var_p, var_q):
    # 0.5 (cov + cov.T) overflowed to inf above 9e307: NaN before
    import mpmath
    with mpmath.workdps(40):
        r = mpmath.mpf(var_p) / mpmath.mpf(var_q)
        want = float((r - 1 - mpmath.log(r)) / 2)
    assert kt.mvn_kl([0.0], [[var_p]], [0.0], [[var_q]]) == pytest.approx(want, rel=1e-14, abs=0)


# --- ill-conditioned covariances: a warning with the accuracy, a refusal past 1e15 ------------

def _mvn_kl_mpmath(mean_p, cov_p, mean_q, cov_q):
    """D(P||Q) at 60 digits from the float inputs taken exactly (inverse and Cholesky in mpmath)."""
    import mpmath
    with mpmath.workdps(60):
        d = len(mean_p)
        cp, cq = mpmath.matrix(cov_p.tolist()), mpmath.matrix(cov_q.tolist())
        lp, lq, qi = mpmath.cholesky(cp), mpmath.cholesky(cq), mpmath.inverse(cq)
        g = mpmath.matrix((np.asarray(mean_q) - np.asarray(mean_p)).tolist())
        trace = sum((qi * cp)[i, i] for i in range(d))
        logdet = 2 * sum(mpmath.log(lq[i, i]) - mpmath.log(lp[i, i]) for i in range(d))
        return (trace + (g.T * qi * g)[0] - d + logdet) / 2


def _cov_with_condition(rng, d, kappa):
    basis, _ = np.linalg.qr(rng.standard_normal((d, d)))
    cov = (basis * np.geomspace(1, 1 / kappa, d)) @ basis.T
    return 0.5 * (cov + cov.T)


@pytest.mark.parametrize("kappa", [1e6, 1e10, 1e12, 1e14])
def test_mvn_kl_ill_conditioned_warns_with_a_bound_that_holds(kappa):
    rng = np.random.default_rng(int(math.log10(kappa)))
    for trial in range(4):
        cov_p, cov_q = _cov_with_condition(rng, 4, kappa), _cov_with_condition(rng, 4, kappa)
        if trial % 2:
            cov_q = cov_p + 1e-3 * _cov_with_condition(rng, 4, 10)
        mean_p = rng.standard_normal(4)
        mean_q = mean_p + 0.1 * rng.standard_normal(4)
        ref = float(_mvn_kl_mpmath(mean_p, cov_p, mean_q, cov_q))
        if kappa <= 1e8:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                got = mvn_kl(mean_p, cov_p, mean_q, cov_q)
            assert got == pytest.approx(ref, rel=1e-8)
        else:
            with pytest.warns(RuntimeWarning, match="condition number") as record:
                got = mvn_kl(mean_p, cov_p, mean_q, cov_q)
            bound = float(re.search(r"off by up to about ([0-9.e+-]+) relative", str(record[0].message)).group(1))
            assert abs(got - ref) <= bound * abs(ref)


def test_mvn_kl_refuses_a_covariance_past_condition_1e15():
    rng = np.random.default_rng(16)
    cov = _cov_with_condition(rng, 3, 1e16)
    with pytest.raises(DistributionError, match="condition number"):
        mvn_kl(np.zeros(3), cov, np.zeros(3), np.eye(3))


def test_mvn_kl_condition_estimate_beyond_64_dimensions():
    # Power iterations stand in for eigenvalues above 64 dimensions: within 15% of numpy's
    # eigenvalues of the correlation matrix, so kappa 1e12 warns, and a diagonal covariance
    # with scales from 1 to 1e200 (a correlation matrix of I) does not.
    import scipy.linalg

    from klteach.gaussian import _correlation_condition
    rng = np.random.default_rng(100)
    cov = _cov_with_condition(rng, 100, 1e12)
    scale = np.sqrt(np.diagonal(cov))
    lam = np.linalg.eigvalsh(cov / scale[:, None] / scale[None, :])
    estimate = _correlation_condition(cov, scipy.linalg.cholesky(cov, lower=True))
    assert 0.85 * lam[-1] / lam[0] <= estimate <= 1.0000001 * lam[-1] / lam[0]
    with pytest.warns(RuntimeWarning, match="condition number"):
        mvn_kl(np.zeros(100), cov, np.zeros(100), np.eye(100))
    diagonal = np.diag(np.geomspace(1.0, 1e200, 100))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mvn_kl(np.zeros(100), diagonal, np.zeros(100), diagonal) == 0.0


def test_mvn_kl_refusal_past_condition_1e15_is_about_the_inputs_rounding():
    """For [[1, r], [r, 1]] with r = 1 - 2^-52 (condition 9e15) Cholesky does resolve
    D = -ln(1 - r^2) / 2 = 17.675 for the matrix as given; what the refusal is about is that the
    neighbouring double r = 1 - 2^-53 gives a D 2% away, so it must say so, not that no digit of
    the computation is reliable."""
    r = 1 - 2.0**-52
    with pytest.raises(DistributionError) as info:
        mvn_kl([0, 0], [[1, r], [r, 1]], [0, 0], np.eye(2))
    message = str(info.value)
    assert "can change D(P||Q)" in message and "exactly as given" in message
    assert "no digit" not in message
    with mpmath.workdps(50):
        exact = -mpmath.log(1 - mpmath.mpf(r) ** 2) / 2
        neighbour = -mpmath.log(1 - mpmath.mpf(1 - 2.0**-53) ** 2) / 2
    assert float(exact) == pytest.approx(17.675253104278605, rel=1e-15)
    assert abs(neighbour / exact - 1) > 0.01
