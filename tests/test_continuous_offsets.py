"""continuous_kl where scipy's logpdf and log(pdf) differ by a near-constant: which side is off,
what is taken off, and what the warning reports. References: mpmath at 50 digits, computed here."""
from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import scipy
import scipy.stats as st

import klteach as kt
from klteach.continuous import _correction

# scipy's own logpdf/pdf rounding is what these tests measure: they are written for the pinned scipy (1.17);
# scipy 1.10 (the oldest supported) has no truncpareto and rounds the beta differently
pytestmark = pytest.mark.skipif(tuple(int(v) for v in scipy.__version__.split(".")[:2]) < (1, 17),
                                reason="measures the pinned scipy's rounding")


def _beta_logpdf(a, b, x):
    a, b, x = mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(x)
    return (a - 1) * mpmath.log(x) + (b - 1) * mpmath.log1p(-x) - mpmath.log(mpmath.beta(a, b))


def _beta_kl(a1, b1, a2, b2):
    """Closed form of D(Beta(a1, b1) || Beta(a2, b2))."""
    a1, b1, a2, b2 = map(mpmath.mpf, (a1, b1, a2, b2))
    lbeta = lambda a, b: mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b)
    return (lbeta(a2, b2) - lbeta(a1, b1) + (a1 - a2) * mpmath.digamma(a1) + (b1 - b2) * mpmath.digamma(b1)
            + (a2 - a1 + b2 - b1) * mpmath.digamma(a1 + b1))


def _truncpareto_logpdf(b, c, x):
    b, c, x = mpmath.mpf(b), mpmath.mpf(c), mpmath.mpf(x)
    return mpmath.log(b) - mpmath.log(-mpmath.expm1(-b * mpmath.log(c))) - (b + 1) * mpmath.log(x)


@pytest.mark.parametrize("a, b", [(10, 1e7), (1e5, 3e5), (1e7, 1e7), (100, 1e8), (1e8, 1e8)])
def test_the_beta_correction_moves_logpdf_onto_the_exact_log_density(a, b):
    """For scipy's beta, logpdf is the side that is off (log(pdf) is right): the correction taken
    off brings logpdf to mpmath's log density, closer than the uncorrected logpdf."""
    dist = st.beta(a, b)
    d, _ = _correction(dist)
    assert d != 0.0
    x = dist.ppf([1e-3, 0.1, 0.5, 0.9])
    with mpmath.workdps(50):
        exact = np.array([float(_beta_logpdf(a, b, v)) for v in x])
    before = np.max(np.abs(dist.logpdf(x) - exact))
    after = np.max(np.abs(dist.logpdf(x) - d - exact))
    assert before > 1e-10 and after < 0.1 * before
    assert np.max(np.abs(np.log(dist.pdf(x)) - exact)) < 3e-12       # log(pdf), the right side


@pytest.mark.parametrize("b, c", [(1e-9, 3), (1e-6, 2)])
def test_no_correction_where_logpdf_is_the_exact_side(b, c):
    """scipy's truncpareto with a small shape: log(pdf) cancels in 1 - c**-b, logpdf is exact
    (mpmath); nothing is taken off it."""
    dist = st.truncpareto(b, c)
    x = dist.ppf([0.1, 0.5, 0.9])
    with mpmath.workdps(50):
        exact = np.array([float(_truncpareto_logpdf(b, c, v)) for v in x])
    assert np.max(np.abs(dist.logpdf(x) - exact)) < 1e-14            # the premise
    assert np.max(np.abs(np.log(dist.pdf(x)) - exact)) > 1e-11        # (log(pdf) is off)
    assert _correction(dist) == (0.0, 0.0)


@pytest.mark.parametrize("b1, b2", [(1e-6, 1.0), (1e-6, 2e-6), (1e-6, 1.1e-6), (1.000226e-06, 1.000229e-06)])
def test_truncpareto_pairs_compute_right_or_are_refused_without_blaming_the_logpdf(b1, b2):
    """Small truncpareto shapes: the value matches mpmath quadrature of the exact log densities
    within the error the warning reports (1e-9 without one), or is refused; a refusal does not
    claim that logpdf and log(pdf) differ for large shape parameters."""
    with mpmath.workdps(50):
        lp = lambda b, x: _truncpareto_logpdf(b, 2, x)
        truth = mpmath.quad(lambda x: mpmath.exp(lp(b1, x)) * (lp(b1, x) - lp(b2, x)), [1, 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            got = kt.continuous_kl(st.truncpareto(b1, 2), st.truncpareto(b2, 2))
        except FloatingPointError as error:
            assert "large shape parameters" not in str(error)
            return
    said = [float(w.message.args[0].split("off by up to about ")[1].split(" ")[0])
            for w in caught if "off by up to about" in str(w.message)]
    assert abs(got - float(truth)) <= max(said + [1e-9]) * float(truth)


@pytest.mark.parametrize("a1, b1, a2, b2", [(1e7, 1e7, 1e7, 1.01e7), (10, 1e7, 10, 1e7 + 100)])
def test_large_beta_shapes_stay_within_the_warned_error(a1, b1, a2, b2):
    """beta(1e7, 1e7) against beta(1e7, 1.01e7) came out 1.0e-7 off with a warning of 3e-8: its
    offset is now taken off. Both stay within the warned error (1e-8 without a warning)."""
    with mpmath.workdps(50):
        truth = float(_beta_kl(a1, b1, a2, b2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = kt.continuous_kl(st.beta(a1, b1), st.beta(a2, b2))
    said = [float(w.message.args[0].split("off by up to about ")[1].split(" ")[0])
            for w in caught if "off by up to about" in str(w.message)]
    assert abs(got - truth) <= max(said + [1e-8]) * truth


@pytest.mark.parametrize("a2, b2, rel", [(10, 1e7 + 100, 1e-10), (10.00001, 1e7, 1e-8)])
def test_a_rounding_level_offset_spread_does_not_warn_for_nearly_equal_betas(a2, b2, rel):
    """beta(10, 1e7) against beta(10, 1e7 + 100), D = 5e-10, and beta(10.00001, 1e7), D = 5e-12:
    the spread of logpdf - log(pdf) is log(pdf)'s own rounding, 5e-14; they warned of 1e-4 and
    0.03 before, the values being right to 2e-12 and 7.5e-10."""
    with mpmath.workdps(50):
        truth = float(_beta_kl(10, 1e7, a2, b2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = kt.continuous_kl(st.beta(10, 1e7), st.beta(a2, b2))
    assert got == pytest.approx(truth, rel=rel)


def test_the_rounding_warning_tells_two_gammas_apart_by_their_scale():
    with pytest.warns(RuntimeWarning) as caught:
        kt.continuous_kl(st.gamma(1e6), st.gamma(1e6, scale=1.0001))
    message = " ".join(str(w.message) for w in caught)
    assert "gamma(1000000)" in message and "gamma(1000000, scale=1.0001)" in message


def test_vonmises_line_with_equal_loc_is_the_circle_value_and_the_refusal_says_so():
    """On the circle D = log(I0(k2) / I0(k1)) + A(k1) (k1 - k2 cos(mu1 - mu2)): vonmises_line
    with the same loc gives it; with different locs the supports differ (inf), as the refusal says."""
    with mpmath.workdps(50):
        k1, k2 = mpmath.mpf(2), mpmath.mpf(3)
        circle = mpmath.log(mpmath.besseli(0, k2) / mpmath.besseli(0, k1)) \
            + mpmath.besseli(1, k1) / mpmath.besseli(0, k1) * (k1 - k2)
    assert kt.continuous_kl(st.vonmises_line(2, loc=0.5), st.vonmises_line(3, loc=0.5)) == \
        pytest.approx(float(circle), rel=1e-9)
    assert kt.continuous_kl(st.vonmises_line(2, loc=0), st.vonmises_line(3, loc=1)) == np.inf
    with pytest.raises(ValueError, match="finite only where Q's interval contains P's"):
        kt.continuous_kl(st.vonmises(2), st.vonmises(3))


def test_vonmises_line_is_finite_where_qs_interval_contains_ps():
    """vonmises_line(1, scale=2) lives on [-2 pi, 2 pi], which holds vonmises_line(2)'s [-pi, pi]:
    D is finite there (mpmath quadrature of p log(p / q) at 30 digits)."""
    with mpmath.workdps(30):
        p = lambda x: mpmath.exp(2 * mpmath.cos(x)) / (2 * mpmath.pi * mpmath.besseli(0, 2))
        q = lambda x: mpmath.exp(mpmath.cos(x / 2)) / (2 * mpmath.pi * mpmath.besseli(0, 1)) / 2
        truth = mpmath.quad(lambda x: p(x) * mpmath.log(p(x) / q(x)), [-mpmath.pi, 0, mpmath.pi])
    got = kt.continuous_kl(st.vonmises_line(2), st.vonmises_line(1, scale=2))
    assert got == pytest.approx(float(truth), rel=1e-9)
