"""Tests of klteach.fits: KL by grid against closed forms and adaptive quadrature; fits against known optima."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import scipy.integrate
from scipy.integrate import quad
from scipy.stats import norm

from klteach import DistributionError
from klteach.fits import (
    fit_gaussian,
    mixture_gaussian_kl,
    mixture_logpdf,
    mixture_pdf,
    moment_match,
)


def gaussian_kl(m1, s1, m2, s2):
    """Closed form D(N(m1, s1^2) || N(m2, s2^2)) in nats."""
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def quad_kl(weights, means, sds, mean, sd, direction):
    """Adaptive quadrature with scipy.stats log-densities: an independent reference."""
    def log_p(x):
        return np.logaddexp.reduce([math.log(w) + norm.logpdf(x, m, s) for w, m, s in zip(weights, means, sds)])

    def integrand(x):
        lp, lq = log_p(x), norm.logpdf(x, mean, sd)
        la, lb = (lp, lq) if direction == "forward" else (lq, lp)
        return math.exp(la) * (la - lb)
    lo = min(min(means) - 15 * max(sds), mean - 15 * sd)
    hi = max(max(means) + 15 * max(sds), mean + 15 * sd)
    return quad(integrand, lo, hi, points=sorted(list(means) + [mean]), limit=400,
                epsabs=1e-14, epsrel=1e-12)[0]


MIXTURES = [([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0]),
            ([0.7, 0.3], [0.0, 2.5], [0.5, 1.5]),
            ([0.2, 0.5, 0.3], [-4.0, 0.0, 5.0], [1.0, 0.3, 2.0])]


def test_mixture_density_matches_scipy():
    x = np.linspace(-8, 8, 41)
    for w, m, s in MIXTURES:
        expected = sum(wi * norm.pdf(x, mi, si) for wi, mi, si in zip(w, m, s))
        np.testing.assert_allclose(mixture_pdf(x, w, m, s), expected, rtol=1e-13)
    # far in the tails the log-density is still finite and right
    assert mixture_logpdf(60.0, [1.0], [0.0], [1.0]) == pytest.approx(norm.logpdf(60.0), rel=1e-14)


@pytest.mark.parametrize("m1,s1,m2,s2", [(0, 1, 1, 2), (1, 2, 0, 1), (0, 1, 0, 1), (-2, 0.3, 1, 4)])
def test_single_component_matches_the_gaussian_closed_form(m1, s1, m2, s2):
    assert mixture_gaussian_kl([1.0], [m1], [s1], m2, s2) == pytest.approx(
        gaussian_kl(m1, s1, m2, s2), rel=1e-10, abs=1e-13)
    assert mixture_gaussian_kl([1.0], [m1], [s1], m2, s2, direction="reverse") == pytest.approx(
        gaussian_kl(m2, s2, m1, s1), rel=1e-10, abs=1e-13)
    assert mixture_gaussian_kl([1.0], [m1], [s1], m2, s2, base=2) == pytest.approx(
        gaussian_kl(m1, s1, m2, s2) / math.log(2), rel=1e-10, abs=1e-13)


def test_course_value_for_gaussians():
    # COURSE.md: N(0, 1) || N(1, 2^2) = 0.4431 nats, reverse 1.3069 nats.
    assert round(mixture_gaussian_kl([1.0], [0.0], [1.0], 1.0, 2.0), 4) == 0.4431
    assert round(mixture_gaussian_kl([1.0], [0.0], [1.0], 1.0, 2.0, direction="reverse"), 4) == 1.3069


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_mixture_kl_matches_adaptive_quadrature(direction):
    for w, m, s in MIXTURES:
        for mean, sd in [(0.0, 1.0), (1.0, 3.0), (-3.0, 0.8)]:
            assert mixture_gaussian_kl(w, m, s, mean, sd, direction=direction) == pytest.approx(
                quad_kl(w, m, s, mean, sd, direction), rel=1e-8, abs=1e-12)


@pytest.mark.slow
def test_forward_fit_matches_the_moments():
    # argmin_Q D(P||Q) over Gaussians is moment matching.
    for w, m, s in MIXTURES:
        w, m, s = map(np.asarray, (w, m, s))
        mean = float(w @ m)
        sd = math.sqrt(float(w @ (s**2 + m**2)) - mean**2)
        fit = fit_gaussian(w, m, s, direction="forward")
        assert fit.mean == pytest.approx(mean, abs=1e-5)
        assert fit.sd == pytest.approx(sd, rel=1e-5)
        assert fit.kl == pytest.approx(quad_kl(w, m, s, mean, sd, "forward"), rel=1e-7, abs=1e-12)


@pytest.mark.slow
def test_reverse_fit_is_mode_seeking_and_a_minimum():
    w, m, s = [0.6, 0.4], [-4.0, 4.0], [1.0, 1.0]
    fit = fit_gaussian(w, m, s, direction="reverse")
    # Far-apart modes: the heavier one, nearly exactly, with KL close to -log(0.6).
    assert fit.mean == pytest.approx(-4.0, abs=0.02) and fit.sd == pytest.approx(1.0, abs=0.02)
    assert fit.kl == pytest.approx(-math.log(0.6), abs=1e-3)
    # No point of a grid around it, nor the forward fit, does better (checked by quadrature).
    best_grid = min(quad_kl(w, m, s, a, b, "reverse")
                    for a in np.linspace(fit.mean - 0.05, fit.mean + 0.05, 5)
                    for b in np.linspace(fit.sd - 0.05, fit.sd + 0.05, 5))
    assert fit.kl <= best_grid + 1e-9
    forward = fit_gaussian(w, m, s, direction="forward")
    assert fit.kl < quad_kl(w, m, s, forward.mean, forward.sd, "reverse")
    # ...and the forward fit covers both modes: much wider than either.
    assert forward.sd > 3.5


@pytest.mark.slow
def test_close_modes_give_one_shared_answer():
    # When the mixture is unimodal-ish the two fits nearly agree.
    w, m, s = [0.5, 0.5], [-0.5, 0.5], [1.0, 1.0]
    f, r = fit_gaussian(w, m, s), fit_gaussian(w, m, s, direction="reverse")
    assert abs(f.mean) < 1e-5 and abs(r.mean) < 1e-3
    assert r.sd == pytest.approx(f.sd, rel=0.02)


def test_bad_inputs():
    with pytest.raises(DistributionError, match="weights sums to 0.9"):
        mixture_pdf(0.0, [0.5, 0.4], [0, 1], [1, 1])
    with pytest.raises(ValueError, match="one entry per component"):
        mixture_pdf(0.0, [0.5, 0.5], [0, 1, 2], [1, 1])
    with pytest.raises(ValueError, match="sds must be positive"):
        mixture_pdf(0.0, [0.5, 0.5], [0, 1], [1, 0])
    with pytest.raises(ValueError, match="means must be finite"):
        mixture_pdf(0.0, [0.5, 0.5], [0, np.inf], [1, 1])
    with pytest.raises(ValueError, match="sd must be a positive"):
        mixture_gaussian_kl([1.0], [0.0], [1.0], 0.0, -1.0)
    with pytest.raises(ValueError, match="mean must be a finite"):
        mixture_gaussian_kl([1.0], [0.0], [1.0], np.nan, 1.0)
    with pytest.raises(ValueError, match="direction must be 'forward'.*'backward'"):
        fit_gaussian([1.0], [0.0], [1.0], direction="backward")
    with pytest.raises(DistributionError, match="base"):
        mixture_gaussian_kl([1.0], [0.0], [1.0], 0.0, 1.0, base=-2)


# --- scales far apart: the grid must not silently undersample ------------------------

@pytest.mark.parametrize("m1,s1,m2,s2", [(0, 1, 0, 1e8), (0, 1e-6, 0, 1), (0, 1, 0, 1e-6),
                                         (0, 1e6, 0, 1), (5, 1e-4, -3, 10)])
def test_single_component_with_very_different_scales_matches_the_closed_form(m1, s1, m2, s2):
    assert mixture_gaussian_kl([1.0], [m1], [s1], m2, s2) == pytest.approx(
        gaussian_kl(m1, s1, m2, s2), rel=1e-10)
    assert mixture_gaussian_kl([1.0], [m1], [s1], m2, s2, direction="reverse") == pytest.approx(
        gaussian_kl(m2, s2, m1, s1), rel=1e-10)


def test_far_apart_modes_match_the_closed_form():
    # P = (N(-d, 1) + N(d, 1)) / 2, Q = N(0, 1). Forward: the modes do not overlap, so
    # D = E_P[x^2] / 2 - H-terms = d^2 / 2 - log 2. Reverse: log p = log q - d^2/2 + log cosh(d x),
    # so D = d^2 / 2 - E log cosh(d X) = d^2 / 2 - d sqrt(2/pi) + log 2 - pi^2 / (12 d sqrt(2 pi)) + ...
    d = 1e6
    forward = d**2 / 2 - math.log(2)
    reverse = d**2 / 2 - d * math.sqrt(2 / math.pi) + math.log(2) - math.pi**2 / (12 * d * math.sqrt(2 * math.pi))
    args = ([0.5, 0.5], [-d, d], [1.0, 1.0], 0.0, 1.0)
    assert mixture_gaussian_kl(*args) == pytest.approx(forward, rel=1e-12)
    # log p has a kink of width 1 / d at 0, under Q's peak, that a step of 1/16 cannot
    # resolve: it is integrated adaptively (the series' next term is O(1 / d^3))
    assert mixture_gaussian_kl(*args, direction="reverse") == pytest.approx(reverse, rel=1e-12)


def test_grid_too_fine_to_afford_is_an_error_not_a_wrong_number():
    # A component 1e7 times narrower than its neighbour, inside it: the mixture bends on a
    # scale the grid cannot resolve over the wide component's range.
    with pytest.raises(ValueError, match="standard deviations.*differ too much"):
        mixture_gaussian_kl([0.5, 0.5], [0.0, 0.0], [1e-7, 1.0], 0.0, 1.0)


def test_reverse_fit_of_narrow_far_apart_modes_still_works():
    # Q as wide as the whole mixture would need too fine a grid: such Qs are skipped, not fatal.
    fit = fit_gaussian([0.6, 0.4], [-3.0, 3.0], [3e-4, 3e-4], direction="reverse")
    assert fit.mean == pytest.approx(-3.0, abs=1e-6) and fit.sd == pytest.approx(3e-4, rel=1e-4)
    assert fit.kl == pytest.approx(-math.log(0.6), rel=1e-6)
    with pytest.raises(ValueError, match="differ too much"):
        fit_gaussian([0.5, 0.5], [0.0, 0.0], [1e-7, 1.0], direction="forward")


def test_non_numeric_parameters_are_named():
    for args, pattern in [(([1.0], ["a"], [1.0], 0.0, 1.0), r"means must contain only numbers"),
                          (([1.0], [None], [1.0], 0.0, 1.0), r"None is not a number"),
                          (([1.0], [0.0], [1.0], 0.0, "2"), r"sd must be a number, got the string"),
                          (([1.0], [0.0], [1.0], 0.0, [2.0]), r"sd must be a single number"),
                          (([1.0], [0.0], [1.0], None, 1.0), r"mean must contain only numbers")]:
        with pytest.raises(ValueError, match=pattern):
            mixture_gaussian_kl(*args)


# --- moment matching, and the numbers notebook 04 states ---------------------------------

def quad_moments(weights, means, sds):
    """Mean and sd of the mixture by quadrature of x p(x) and (x - mean)^2 p(x)."""
    pdf = lambda x: sum(w * norm.pdf(x, m, s) for w, m, s in zip(weights, means, sds))
    lo, hi = min(means) - 15 * max(sds), max(means) + 15 * max(sds)
    kw = dict(points=sorted(means), limit=400, epsabs=1e-13, epsrel=1e-12)
    mean = quad(lambda x: x * pdf(x), lo, hi, **kw)[0]
    var = quad(lambda x: (x - mean) ** 2 * pdf(x), lo, hi, **kw)[0]
    return mean, math.sqrt(var)


@pytest.mark.slow
@pytest.mark.parametrize("w,m,s", MIXTURES + [([0.6, 0.4], [-3.0, 3.0], [1.0, 1.0])])
def test_moment_match_is_the_mixture_moments_and_the_forward_minimum(w, m, s):
    fit = moment_match(w, m, s)
    mean, sd = quad_moments(w, m, s)
    assert fit.mean == pytest.approx(mean, abs=1e-10) and fit.sd == pytest.approx(sd, rel=1e-10)
    assert fit.kl == pytest.approx(quad_kl(w, m, s, mean, sd, "forward"), rel=1e-8)
    assert moment_match(w, m, s, base=2).kl == pytest.approx(fit.kl / math.log(2), rel=1e-12)
    # No nearby Gaussian does better (forward KL by quadrature).
    for dm, ds in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
        assert quad_kl(w, m, s, mean + dm, sd + ds, "forward") > fit.kl


def test_moment_match_refuses_bad_mixtures():
    with pytest.raises(DistributionError, match="weights sums to 0.9"):
        moment_match([0.5, 0.4], [0, 1], [1, 1])
    with pytest.raises(ValueError, match="sds must be positive"):
        moment_match([0.5, 0.5], [0, 1], [1, -1])


@pytest.mark.slow
def test_reverse_kl_of_sitting_on_a_mode_is_near_but_not_minus_log_weight():
    # Notebook 04: P = 0.6 N(-3, 1) + 0.4 N(3, 1). -log 0.6 = 0.5108 is the reverse KL of
    # N(-3, 1) only if the right mode put no density under it; it does a little, so the
    # exact value is 0.5077, and the optimum (shifted left and widened) is lower still.
    w, m, s = [0.6, 0.4], [-3.0, 3.0], [1.0, 1.0]
    on_mode = quad_kl(w, m, s, -3.0, 1.0, "reverse")
    assert round(on_mode, 4) == 0.5077 and round(-math.log(0.6), 4) == 0.5108
    assert mixture_gaussian_kl(w, m, s, -3.0, 1.0, direction="reverse") == pytest.approx(on_mode, rel=1e-9)
    fit = fit_gaussian(w, m, s, direction="reverse")
    assert fit.kl < on_mode < -math.log(0.6)
    assert (round(fit.mean, 4), round(fit.sd, 4), round(fit.kl, 4)) == (-2.9877, 1.0187, 0.5074)


@pytest.mark.slow
def test_reverse_fit_jumps_onto_the_left_mode_between_5_and_5_point_5():
    # Notebook 04's scan: weights (0.6, 0.4), unit sds, modes at -d/2 and d/2. The reverse
    # optimum (found here by quadrature and Nelder-Mead from three starts) is broad at d = 5
    # and on the left mode at d = 5.5.
    from scipy.optimize import minimize
    w = [0.6, 0.4]
    for d, on_left in [(5.0, False), (5.5, True)]:
        m = [-d / 2, d / 2]
        p_mean = 0.6 * m[0] + 0.4 * m[1]
        starts = [(m[0], 0.0), (m[1], 0.0), (p_mean, math.log(moment_match(w, m, [1, 1]).sd))]
        def reverse(t):   # D(Q||P) by quadrature, to 1e-9: enough to rank the optima
            mean, sd = t[0], math.exp(t[1])

            def f(x):
                log_q = -0.5 * ((x - mean) / sd) ** 2 - math.log(sd * math.sqrt(2 * math.pi))
                a, b = math.log(0.6) - 0.5 * (x - m[0]) ** 2, math.log(0.4) - 0.5 * (x - m[1]) ** 2
                log_p = max(a, b) + math.log1p(math.exp(-abs(a - b))) - 0.5 * math.log(2 * math.pi)
                return math.exp(log_q) * (log_q - log_p)
            return quad(f, mean - 12 * sd, mean + 12 * sd, points=[mean], epsabs=1e-10, epsrel=1e-9)[0]
        best = min((minimize(reverse, x0, method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-9})
                    for x0 in starts), key=lambda r: r.fun)
        assert bool(abs(best.x[0] - m[0]) < abs(best.x[0] - p_mean)) is on_left
        fit = fit_gaussian(w, m, [1.0, 1.0], direction="reverse")
        assert fit.mean == pytest.approx(best.x[0], abs=1e-3)


# ---- nearly equal P and Q: the integrand p expm1mx(log q - log p) keeps every digit

def _mp_gauss_kl(m1, s1, m2, s2):
    with mpmath.workdps(50):
        m1, s1, m2, s2 = (mpmath.mpf(v) for v in (m1, s1, m2, s2))
        return float(mpmath.log(s2 / s1) + (s1**2 + (m1 - m2)**2) / (2 * s2**2) - mpmath.mpf(1) / 2)


@pytest.mark.parametrize("m, s, direction", [
    (1e-8, 1.0, "forward"), (1e-8, 1.0, "reverse"), (0.0, 1 + 1e-9, "forward"), (1e-12, 1.0, "forward"),
    (0.0, 1 + 1e-14, "reverse"),
    (0.0, 1 + 1e-9, "reverse"), (1e-6, 1.0, "forward"), (3e-4, 1 - 2e-5, "reverse"),
])
def test_one_component_close_to_q_matches_the_closed_form(m, s, direction):
    got = mixture_gaussian_kl([1.0], [0.0], [1.0], m, s, direction=direction)
    want = _mp_gauss_kl(0.0, 1.0, m, s) if direction == "forward" else _mp_gauss_kl(m, s, 0.0, 1.0)
    assert got == pytest.approx(want, rel=1e-10)


@pytest.mark.slow
@pytest.mark.parametrize("d, rel", [(1e-2, 2e-10), (1e-3, 2e-7)])
def test_moment_match_of_a_barely_split_mixture_matches_mpmath(d, rel):
    # the documented accuracy for nearly coincident components (every digit was lost before)
    fit = moment_match([0.5, 0.5], [-d, d], [1.0, 1.0])
    with mpmath.workdps(60):
        dd, sd = mpmath.mpf(d), mpmath.mpf(fit.sd)     # the float sd returned, not sqrt(1 + d^2)
        def p(x):
            return (mpmath.npdf(x, -dd, 1) + mpmath.npdf(x, dd, 1)) / 2
        def f(x):
            return p(x) * mpmath.log(p(x) / mpmath.npdf(x, fit.mean, sd))
        want = float(mpmath.quad(f, [-mpmath.inf, -3, 0, 3, mpmath.inf]))
    assert fit.kl == pytest.approx(want, rel=rel)


# --- location and scale: the grids and the search work in the mixture's standard units ---------

@pytest.mark.parametrize("direction", ["forward", "reverse"])
@pytest.mark.parametrize("offset", [1e6, 1e9, 1e12])
def test_fits_far_from_zero_are_the_offset_zero_fits_shifted(offset, direction):
    # KL is unchanged by x -> x + c: the fit at an offset is the fit at 0, shifted. Before, the
    # search grid lived in absolute coordinates and |mean| / sd >= 1e9 gave errors up to 100%.
    w, m, s = [0.6, 0.4], [-1.5, 1.5], [1.0, 0.5]
    ref = fit_gaussian(w, m, s, direction=direction)
    got = fit_gaussian(w, [offset + x for x in m], s, direction=direction)
    assert abs(got.mean - (offset + ref.mean)) <= 1e-6 * ref.sd + math.ulp(offset)
    assert got.sd == pytest.approx(ref.sd, rel=1e-6)
    assert got.kl == pytest.approx(ref.kl, rel=1e-8)
    if direction == "forward":   # the forward optimum is the moment match: 0.6 (-1.5) + 0.4 (1.5) = -0.3
        sd = math.sqrt(0.6 * (1 + 1.2**2) + 0.4 * (0.25 + 1.8**2))
        assert abs(got.mean - (offset - 0.3)) <= 1e-6 + math.ulp(offset)
        assert got.sd == pytest.approx(sd, rel=1e-6)


@pytest.mark.parametrize("offset", [0.0, 1e9, 1e12])
def test_mixture_kl_far_from_zero_matches_adaptive_quadrature_at_zero(offset):
    w, m, s = [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0]
    for direction in ("forward", "reverse"):
        got = mixture_gaussian_kl(w, [offset + x for x in m], s, offset + 0.5, 1.5, direction=direction)
        assert got == pytest.approx(quad_kl(w, m, s, 0.5, 1.5, direction), rel=1e-8)


@pytest.mark.parametrize("scale", [1e-300, 1e-170, 1e-160, 1e160, 1e170, 1e300])
def test_moment_match_at_extreme_scales_has_no_overflow_and_no_warning(scale):
    # sd^2 = E[x^2] - mean^2 with sd 1e160 overflows; scaled first, every digit stays.
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = moment_match([0.5, 0.5], [-scale, scale], [scale, scale])
        kl = mixture_gaussian_kl([0.5, 0.5], [-scale, scale], [scale, scale], 0.0, scale,
                                 direction="reverse")
    assert fit.mean == 0.0
    assert fit.sd == pytest.approx(math.sqrt(2) * scale, rel=1e-15)
    assert fit.kl == pytest.approx(quad_kl([0.5, 0.5], [-1, 1], [1, 1], 0.0, math.sqrt(2), "forward"), rel=1e-8)
    assert kl == pytest.approx(quad_kl([0.5, 0.5], [-1, 1], [1, 1], 0.0, 1.0, "reverse"), rel=1e-8)


@pytest.mark.parametrize("mean, sd, direction, ref", [
    # D(Q||P) with Q = N(30, 1e-300 ... ) far narrower than the float spacing at 30 in the
    # mixture's units: before, 0.0. Closed form: -H(Q) - E_Q[log p] with Q a point mass at 30
    # to within 1e-150: -log(sd sqrt(2 pi e)) - log p(30).
    (30.0, 1e-150, "reverse", None),
    # D(P||Q) with Q = N(0, 1e-150): log(sd sqrt(2 pi)) + E_P[x^2] / (2 sd^2) - H(P), ~1e300
    (0.0, 1e-150, "forward", None),
])
def test_a_q_far_narrower_than_the_mixture_is_integrated_in_its_own_units(mean, sd, direction, ref):
    import warnings
    w, m, s = [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0]
    with mpmath.workdps(50):
        if direction == "reverse":
            x = mpmath.mpf(mean)
            log_p = mpmath.log(sum(mpmath.mpf(wi) * mpmath.npdf(x, mi, si) for wi, mi, si in zip(w, m, s)))
            ref = float(-mpmath.log(mpmath.mpf(sd) * mpmath.sqrt(2 * mpmath.pi * mpmath.e)) - log_p)
        else:
            h_p = quad(lambda x: -mixture_pdf(x, w, m, s) * mixture_logpdf(x, w, m, s), -20, 20,
                       epsabs=0, epsrel=1e-13, limit=200)[0]
            sd_mp = mpmath.mpf(sd)
            ref = float(mpmath.log(sd_mp * mpmath.sqrt(2 * mpmath.pi)) + mpmath.mpf(2) / (2 * sd_mp ** 2)) - h_p
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = mixture_gaussian_kl(w, m, s, mean, sd, direction=direction)
    assert got == pytest.approx(ref, rel=1e-8)


@pytest.mark.parametrize("args", [
    ([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0], 1e200, 1.0, "forward"),    # D ~ 5e399: beyond doubles
    ([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0], 1e200, 1.0, "reverse"),
    ([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0], 1e8, 1e-150, "forward"),   # D ~ 5e315
    ([0.5, 0.5], [-1e308, 1e308], [1.0, 1.0], 0.0, 1.0, "forward"),  # sds 1e-308 of the spread
])
def test_beyond_doubles_is_an_error_not_inf_zero_or_a_warning(args):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="largest double|narrower"):
            mixture_gaussian_kl(*args[:5], direction=args[5])


# --- values of both signs near the largest double: differences formed without overflow ---------

_BIG = 1.7e308


@pytest.mark.parametrize("x, weights, means, sds", [
    (_BIG, [1.0], [-_BIG], [1e308]),                        # x - mean overflows, z = 3.4
    ([_BIG, -_BIG, 0.0], [0.5, 0.5], [-_BIG, _BIG], [1e300, 1e308]),
    (_BIG, [1.0], [-_BIG], [1.0]),                          # z^2 beyond doubles: -inf, quietly
    (1e300, [1.0], [0.0], [1e-10]),
    (0.0, [1.0], [0.0], [1e-310]),                          # subnormal sd: log density 712.9
])
def test_mixture_logpdf_across_the_float_range_matches_mpmath(x, weights, means, sds):
    # Before: x - mean overflowed to inf, so the first case gave -inf (the density is e^-714)
    # with an overflow warning.
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = np.atleast_1d(mixture_logpdf(x, weights, means, sds))
    with mpmath.workdps(50):
        want = []
        for xi in np.atleast_1d(x):
            log_terms = [mpmath.log(w) - mpmath.log(s) - mpmath.log(2 * mpmath.pi) / 2
                         - ((mpmath.mpf(float(xi)) - mpmath.mpf(m)) / s) ** 2 / 2
                         for w, m, s in zip(weights, means, sds)]
            top = max(log_terms)
            value = top + mpmath.log(mpmath.fsum(mpmath.exp(t - top) for t in log_terms))
            want.append(float(value) if value > -1.7e308 else -math.inf)
    assert got == pytest.approx(np.array(want), rel=1e-13)


def test_gaussians_further_apart_than_the_largest_double_have_their_finite_kl():
    # N(1e308, 1e307^2) || N(-1e308, 1e307^2): D = (2e308)^2 / (2 1e614) = 200. Before: refused
    # as "larger than the largest double" (the difference of the means overflowed).
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for direction in ("forward", "reverse"):
            got = mixture_gaussian_kl([1.0], [1e308], [1e307], -1e308, 1e307, direction=direction)
            assert got == pytest.approx(_mp_gauss_kl(1e308, 1e307, -1e308, 1e307), rel=1e-13)


@pytest.mark.slow
def test_reverse_fit_of_modes_at_both_ends_of_the_doubles():
    # Modes at -1.7e308 and +1.7e308 (sd 1e307): before, an overflow warning and a wrong search
    # (the mixture's standard units were formed as means - centre). The fit's KL is checked by
    # mpmath quadrature in units of 2**1000 (exact), and it sits on the heavier mode.
    import warnings
    w, m, s = [0.6, 0.4], [-_BIG, _BIG], [1e307, 1e307]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = fit_gaussian(w, m, s, direction="reverse")
    unit = 2.0 ** 1000
    with mpmath.workdps(40):
        mu, sd = mpmath.mpf(fit.mean) / unit, mpmath.mpf(fit.sd) / unit
        comps = [(mpmath.mpf(wi), mpmath.mpf(mi) / unit, mpmath.mpf(si) / unit) for wi, mi, si in zip(w, m, s)]

        def f(x):
            q = mpmath.npdf(x, mu, sd)
            return q * (mpmath.log(q) - mpmath.log(mpmath.fsum(a * mpmath.npdf(x, b, c) for a, b, c in comps)))
        want = float(mpmath.quad(f, [-mpmath.inf, mu - 10 * sd, mu, mu + 10 * sd, mpmath.inf]))
    assert fit.kl == pytest.approx(want, rel=1e-8)
    assert abs(fit.mean - m[0]) < 0.01 * s[0] and fit.sd == pytest.approx(s[0], rel=1e-3)
    assert fit.kl == pytest.approx(-math.log(0.6), rel=1e-6)   # on a mode far from the other: -log w


@pytest.mark.parametrize("mix, q, direction", [
    (([1.0], [0.0], [1e-300]), (1e10, 1e10), "forward"),     # D = 713.8: Q 1e310 of P's sds away
    (([1.0], [0.0], [1e-10]), (1e300, 1e300), "forward"),
    (([1.0, 0.0], [0.0, 5.0], [1e-300, 1.0]), (1e10, 1e10), "forward"),   # a weight-0 component
])
def test_one_component_beyond_the_doubles_in_its_own_units_is_the_closed_form(mix, q, direction):
    # Before: refused as "D is larger than the largest double", D being 713.8 (and the weight-0
    # component gave ZeroDivisionError: it set the scale, and the sd underflowed to 0).
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = mixture_gaussian_kl(*mix, *q, direction=direction)
    assert got == pytest.approx(_mp_gauss_kl(mix[1][0], mix[2][0], *q), rel=1e-13)


def test_beyond_the_doubles_in_the_mixtures_units_says_what_it_knows():
    # Two components and a Q 1e310 of their sds away: no grid holds both, and D may be finite.
    with pytest.raises(ValueError, match=r"more than 1.8e308 standard deviations of the mixture "
                                         r"apart.*D may still be finite"):
        mixture_gaussian_kl([0.5, 0.5], [0.0, 1e-300], [1e-300, 1e-300], 1e10, 1e10)
    with pytest.raises(ValueError, match="D is larger than the largest double"):   # D = 5e619
        mixture_gaussian_kl([1.0], [0.0], [1e-300], 1e10, 1e10, direction="reverse")


@pytest.mark.parametrize("weights, means, sds", [
    ([1.0, 0.0], [0.0, 5.0], [1e-300, 1.0]),            # before: ZeroDivisionError
    ([1 - 1e-320, 1e-320], [0.0, 5.0], [1e-300, 1.0]),  # before: the sd from a subnormal, 1e-4 off
    ([0.5, 0.5], [-1e-310, 1e-310], [1e-310, 1e-310]),
])
def test_mixture_moments_keep_their_digits_for_tiny_weights_and_sds(weights, means, sds):
    from klteach.fits import _moments
    mean, sd = _moments(np.array(weights), np.array(means), np.array(sds))
    with mpmath.workdps(60):
        w, m, s = ([mpmath.mpf(v) for v in a] for a in (weights, means, sds))
        mu = mpmath.fsum(wi * mi for wi, mi in zip(w, m))
        var = mpmath.fsum(wi * (si ** 2 + (mi - mu) ** 2) for wi, mi, si in zip(w, m, s))
    assert mean == pytest.approx(float(mu), rel=1e-14, abs=0)
    assert sd == pytest.approx(float(mpmath.sqrt(var)), rel=1e-14)


@pytest.mark.parametrize("x", [1.5e154, -1.5e154, 1.8e154, 1.89e154])
def test_mixture_logpdf_where_z_squared_overflows_but_half_of_it_does_not(x):
    """-x**2 / 2 is finite up to |x| = 1.9e154 although x**2 overflows from 1.34e154 (was -inf).

    Reference: exact rational -x**2 / 2 (the constant log(sqrt(2 pi)) is far below its ulp).
    """
    exact = -Fraction(x) ** 2 / 2
    assert float(mixture_logpdf(x, [1.0], [0.0], [1.0])) == pytest.approx(float(exact), rel=4e-16)
    assert float(mixture_logpdf(2e154, [1.0], [0.0], [1.0])) == -math.inf   # below -1.8e308


@pytest.mark.parametrize("eps, d", [(1e-9, 8.0), (1e-12, 8.0), (1e-12, 30.0), (1e-15, 8.0)])
def test_a_far_component_of_tiny_weight_keeps_the_relative_accuracy(eps, d):
    """Was 6.5e-9 to 9e-3 relative off (log p - log q rounded to 1e-16 absolute where L = -eps).

    Reference: mpmath quad at 40 digits of the same mixture (weights as the floats given).
    """
    w1, w2 = (mpmath.mpf(w) for w in (1 - eps, eps))
    w1, w2 = w1 / (w1 + w2), w2 / (w1 + w2)

    def density(x, m):
        return mpmath.exp(-(x - m) ** 2 / 2) / mpmath.sqrt(2 * mpmath.pi)

    def integrand(x):
        p = w1 * density(x, 0) + w2 * density(x, d)
        return p * mpmath.log(p / density(x, 0))

    with mpmath.workdps(40):
        ref = mpmath.quad(integrand, [-40, -10, 0, d / 2, d, d + 10, d + 40])
    got = mixture_gaussian_kl([1 - eps, eps], [0.0, d], [1.0, 1.0], 0.0, 1.0)
    assert got == pytest.approx(float(ref), rel=1e-12)


@pytest.mark.parametrize("w, far_sd", [(1e-9, 1.0), (1e-10, 1.0), (1e-13, 1.0), (1e-10, 0.1)])
def test_reverse_kl_counts_a_far_component_of_tiny_weight(w, far_sd):
    """P = (1 - w) N(0, 1) + w N(30, far_sd^2), Q = N(0, 1): D(Q||P) is about w, not w^2 / 2.

    The grid covers Q's window only, and the integrand q expm1mx(log p - log q) left out the
    far component's mass (5.0e-19 for w = 1e-9). Reference: mpmath quadrature, 60 digits.
    """
    with mpmath.workdps(60):
        # the weights as the doubles passed, normalised as the function does
        near, far = mpmath.mpf(1 - w), mpmath.mpf(w)
        near, far = near / (near + far), far / (near + far)

        def q(x):
            return mpmath.npdf(x, 0, 1)

        def p(x):
            return near * mpmath.npdf(x, 0, 1) + far * mpmath.npdf(x, 30, far_sd)

        ref = mpmath.quad(lambda x: q(x) * mpmath.log(q(x) / p(x)),
                          [-40, -12, 0, 12, 20, 29, 31, 40])
    got = mixture_gaussian_kl([1 - w, w], [0, 30], [1, far_sd], 0, 1, direction="reverse")
    assert got == pytest.approx(float(ref), rel=1e-6)


def _mp_reverse_kl(weights, means, sds, mean, sd, crossings):
    """D(Q||P) in mpmath at 30 digits, Q's window split every sd, at the means and at the
    points where the components cross (where log p bends over about sd_k^2 / distance)."""
    with mpmath.workdps(30):
        w, m, s = ([mpmath.mpf(v) for v in vs] for vs in (weights, means, sds))
        mq, sq = mpmath.mpf(mean), mpmath.mpf(sd)

        def f(x):
            lq = mpmath.log(mpmath.npdf(x, mq, sq))
            lp = mpmath.log(sum(wk * mpmath.npdf(x, mk, sk) for wk, mk, sk in zip(w, m, s)))
            return mpmath.exp(lq) * (lq - lp)
        points = {mq + k * sq for k in range(-14, 15)} | {mpmath.mpf(c) for c in crossings}
        points |= {mk for mk in m if abs(mk - mq) < 14 * sq}
        return float(mpmath.quad(f, sorted(points), maxdegree=10))


@pytest.mark.parametrize("args, crossings", [
    (([0.5, 0.5], [-10.0, 10.0], [0.1, 0.1], 0.0, 1.0), [0.0]),        # was 2.8e-7 off
    (([0.5, 0.5], [-30.0, 30.0], [0.5, 0.5], 0.0, 10.0), [0.0]),       # was 1.8e-7 off
    (([0.5, 0.5], [-100.0, 100.0], [1.0, 1.0], 0.0, 100.0), [0.0]),    # was 6e-8 off
    (([0.2, 0.3, 0.5], [-20.0, 0.0, 20.0], [0.3, 0.3, 0.3], 1.0, 8.0),
     [-10 - 0.0045 * math.log(0.3 / 0.2), 10 - 0.0045 * math.log(0.5 / 0.3)]),
])
def test_reverse_kl_with_sharp_bends_where_far_modes_cross_matches_mpmath(args, crossings):
    # log p bends within sd^2 / distance of each crossing (5e-4 for the first), far below the
    # grid step sd / 16, under Q's bulk
    assert mixture_gaussian_kl(*args, direction="reverse") == pytest.approx(
        _mp_reverse_kl(*args, crossings), rel=1e-12)


def test_reverse_kl_keeps_its_accuracy_beyond_200_components():
    k = 201
    """Modes at +-100 (sd 1) under Q = N(0, 50^2), padded with far components of weight 1e-30:
    the bends of log p where the modes cross were left to the grid above 200 components
    (2256.858493956 for 2256.858254537, 1.1e-7 off)."""
    n = k - 2
    weights = np.r_[0.5 - n * 1e-30 / 2, 0.5 - n * 1e-30 / 2, np.full(n, 1e-30)]
    means = np.r_[-100.0, 100.0, 5000 + 10.0 * np.arange(n)]
    got = mixture_gaussian_kl(weights, means, np.ones(k), 0, 50, direction="reverse")
    def integrand(x):   # the padding's share of p under Q is below 1e-30 of it: left out
        log_p = mpmath.log((mpmath.npdf(x, -100, 1) + mpmath.npdf(x, 100, 1)) / 2)
        return mpmath.npdf(x, 0, 50) * (mpmath.log(mpmath.npdf(x, 0, 50)) - log_p)
    with mpmath.workdps(30):
        want = mpmath.quad(integrand, [-600, -300, -150, -100, -50, -10, -1, -0.1, 0, 0.1, 1, 10, 50, 100,
                                       150, 300, 600])
    assert got == pytest.approx(float(want), rel=1e-13)


@pytest.mark.slow
def test_reverse_kl_of_150_narrow_far_modes_has_no_scipy_warning_and_matches_mpmath():
    """150 modes of sd 0.05, 0.67 apart, under Q = N(0, 100^2): one quad over the window holding
    all 149 sharp crossings ran out of subdivisions or stalled on round-off, and scipy's
    IntegrationWarning reached the caller; now one quad between each pair of crossings.
    Reference: mpmath at 25 digits, each x using the two components on either side of it (the
    next is more than 26 sds away: below e^-338 of them), split at the means and the crossings."""
    k, sd = 150, 0.05
    means = np.linspace(-50.0, 50.0, k)
    with warnings.catch_warnings():
        warnings.simplefilter("error", scipy.integrate.IntegrationWarning)
        got = mixture_gaussian_kl(np.full(k, 1 / k), means, np.full(k, sd), 0.0, 100.0,
                                  direction="reverse")
    with mpmath.workdps(25):
        m = [mpmath.mpf(v) for v in means]
        w, s = mpmath.mpf(1) / k, mpmath.mpf(sd)

        def integrand(x):
            i = int(np.clip(np.searchsorted(means, float(x)), 1, k - 1))
            near = m[max(i - 2, 0):i + 2]
            log_p = mpmath.log(w * sum(mpmath.npdf(x, mk, s) for mk in near))
            log_q = mpmath.log(mpmath.npdf(x, 0, 100))
            return mpmath.exp(log_q) * (log_q - log_p)
        crossings = [(a + b) / 2 for a, b in zip(m[:-1], m[1:])]
        points = sorted(set(m) | set(crossings) | {mpmath.mpf(v) for v in (-1200, -600, -200, -100,
                                                                          100, 200, 600, 1200)})
        want = mpmath.fsum(mpmath.quad(integrand, [a, b]) for a, b in zip(points[:-1], points[1:]))
    assert got == pytest.approx(float(want), rel=1e-11)
