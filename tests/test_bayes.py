"""klteach.bayes against scipy quadrature, mpmath and the Bernoulli limit."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats
from scipy.special import digamma, gammaln

from klteach import DistributionError
from klteach.bayes import beta_bernoulli_information_gain, beta_kl

shapes = st.floats(0.5, 50)


def quad_beta_kl(a1, b1, a2, b2):
    p, q = stats.beta(a1, b1), stats.beta(a2, b2)
    value, _ = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), 0, 1, limit=200,
                              epsabs=1e-13, epsrel=1e-11)
    return value


@pytest.mark.slow
@pytest.mark.parametrize("a1, b1, a2, b2", [(3, 1, 1, 1), (8, 4, 1, 1), (2.5, 7, 4, 0.9), (30, 20, 2, 2)])
def test_closed_form_matches_numerical_integration(a1, b1, a2, b2):
    assert beta_kl(a1, b1, a2, b2) == pytest.approx(quad_beta_kl(a1, b1, a2, b2), rel=1e-8)


@pytest.mark.slow
@given(shapes, shapes, shapes, shapes)
def test_matches_mpmath_and_is_nonnegative(a1, b1, a2, b2):
    with mpmath.workdps(50):
        a1m, b1m, a2m, b2m = map(mpmath.mpf, (a1, b1, a2, b2))
        lbeta = lambda a, b: mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b)
        ref = (lbeta(a2m, b2m) - lbeta(a1m, b1m) + (a1m - a2m) * mpmath.digamma(a1m)
               + (b1m - b2m) * mpmath.digamma(b1m) + (a2m - a1m + b2m - b1m) * mpmath.digamma(a1m + b1m))
    got = beta_kl(a1, b1, a2, b2)
    assert got >= 0
    assert got == pytest.approx(float(ref), rel=1e-8, abs=1e-12)


@pytest.mark.slow
def test_information_gain_is_the_posterior_prior_kl_in_bits():
    gain = beta_bernoulli_information_gain(7, 3)
    assert gain == pytest.approx(quad_beta_kl(8, 4, 1, 1) / math.log(2), rel=1e-8)
    assert beta_bernoulli_information_gain(0, 0) == 0.0
    assert beta_bernoulli_information_gain(7, 3, base=None) == pytest.approx(gain * math.log(2))
    # more data, more information; the counts broadcast
    gains = beta_bernoulli_information_gain([7, 70, 700], [3, 30, 300])
    assert np.all(np.diff(gains) > 0)
    # with a uniform prior, the gain grows like (1/2) log2(n) for large n (posterior width ~ 1/sqrt(n))
    big = beta_bernoulli_information_gain(np.array([5000, 50000]), np.array([5000, 50000]))
    assert big[1] - big[0] == pytest.approx(0.5 * math.log2(10), abs=0.01)


@pytest.mark.parametrize("call, pattern", [
    (lambda: beta_kl(0, 1, 1, 1), r"a_p must be > 0"),
    (lambda: beta_kl(1, np.nan, 1, 1), r"b_p contains NaN"),
    (lambda: beta_kl([1, 2], 1, [1, 2, 3], 1), r"do not broadcast"),
    (lambda: beta_kl(1, 1, 1, 1, base=0.5), r"base must be greater than 1"),
    (lambda: beta_bernoulli_information_gain(-1, 3), r"^successes must be counts >= 0, got -1\.$"),
    (lambda: beta_bernoulli_information_gain([1, 2], [3, -2.5]),
     r"^failures must be counts >= 0, got -2\.5 at index 1\.$"),
    (lambda: beta_bernoulli_information_gain(1, 3, prior=(1,)), r"prior must be a pair"),
    (lambda: beta_bernoulli_information_gain(1, 3, prior=(1, 0)), r"prior b must be > 0"),
])
def test_bad_input_raises_a_clear_error(call, pattern):
    with pytest.raises(DistributionError, match=pattern):
        call()


def _mpmath_beta_kl(a1, b1, a2, b2):
    with mpmath.workdps(80):
        a1, b1, a2, b2 = map(mpmath.mpf, (a1, b1, a2, b2))
        lbeta = lambda a, b: mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b)
        return float(lbeta(a2, b2) - lbeta(a1, b1) + (a1 - a2) * mpmath.digamma(a1)
                     + (b1 - b2) * mpmath.digamma(b1) + (a2 - a1 + b2 - b1) * mpmath.digamma(a1 + b1))


def _nearly_equal_pairs():
    rng = np.random.default_rng(5)
    for scale in (0.5, 3, 50, 1e3, 1e6, 1e9):
        for rel in (1e-1, 1e-3, 1e-6, 1e-9):
            for _ in range(3):
                a1, b1 = scale * rng.uniform(0.5, 2, size=2)
                yield a1, b1, a1 * (1 + rel * rng.normal()), b1 * (1 + rel * rng.normal())
    for x in (10.0, 1e3, 1e6):        # the direction where the terms cancel most: both shapes grow
        for d in (1e-3, 1.0, 0.05 * x):
            yield x, x, x + d, x + d


@pytest.mark.parametrize("a1, b1, a2, b2", list(_nearly_equal_pairs()))
def test_nearly_equal_betas_keep_their_digits(a1, b1, a2, b2):
    # the closed form written directly is 1.5% off for Beta(1e6, 1e6) || Beta(1e6 + 1, 1e6)
    assert beta_kl(a1, b1, a2, b2) == pytest.approx(_mpmath_beta_kl(a1, b1, a2, b2), rel=1e-9, abs=0)


def test_large_shapes_far_apart_and_tiny_shapes_stay_finite():
    for args in [(1e14, 2e14, 3e14, 1e14), (1e-8, 1e-8, 2e-8, 1e-8), (1e300, 1e300, 2e300, 1e300)]:
        got = beta_kl(*args)
        assert np.isfinite(got) and got >= 0, args


# --- huge shapes: every digit at any scale ------------------------------------------------

def _mp_beta_kl(a1, b1, a2, b2):
    """The closed form in mpmath, with enough digits for the x log x terms to cancel."""
    big = max(a1, b1, a2, b2)
    tiny = min(a1, b1, a2, b2)
    dps = 60 + 2 * max(0, int(math.log10(big))) + max(0, int(-math.log10(tiny)))
    with mpmath.workdps(dps):
        a1, b1, a2, b2 = map(mpmath.mpf, (a1, b1, a2, b2))
        lbeta = lambda a, b: mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b)
        return float(lbeta(a2, b2) - lbeta(a1, b1) + (a1 - a2) * mpmath.digamma(a1)
                     + (b1 - b2) * mpmath.digamma(b1) + (a2 - a1 + b2 - b1) * mpmath.digamma(a1 + b1))


def _huge_cases():
    for x in (1e6, 1e9, 1e12, 1e15, 1e18, 1e24, 1e100, 1e300):
        yield x, x, x + x * 1e-9, x                # nearly equal (1e12: was 6.6e-3 for a truth of 2.5e-7)
        yield x, 3 * x, 2 * x, x                   # far apart
        yield x, x, 1.0, 1.0                       # against a uniform
        yield x, 0.5, 2.0, 1e-3                    # one huge shape, one tiny
        yield x, x / 7, 3.3 * x, 3.3 * x / 7       # same mean, different concentration
        if x <= 1e15:
            yield x, x, x + 1, x                   # one more success
            yield x, 2 * x, x + 5, 2 * x - 7


@pytest.mark.slow
@pytest.mark.parametrize("a1, b1, a2, b2", list(_huge_cases()))
def test_huge_shapes_keep_every_digit(a1, b1, a2, b2):
    assert beta_kl(a1, b1, a2, b2) == pytest.approx(_mp_beta_kl(a1, b1, a2, b2), rel=1e-12, abs=0)


def test_the_formula_written_directly_fails_where_beta_kl_does_not():
    # The closed form evaluated in doubles: 6.6e-3 instead of 2.5e-7 at 1e12.
    a1, b1, a2, b2 = 1e12, 1e12, 1e12 + 1e3, 1e12
    direct = (gammaln(a2) + gammaln(b2) - gammaln(a2 + b2) - gammaln(a1) - gammaln(b1) + gammaln(a1 + b1)
              + (a1 - a2) * digamma(a1) + (b1 - b2) * digamma(b1) + (a2 - a1 + b2 - b1) * digamma(a1 + b1))
    truth = _mp_beta_kl(a1, b1, a2, b2)
    assert truth == pytest.approx(2.5e-7, rel=1e-6)
    assert abs(direct - truth) > 1e3 * truth
    assert beta_kl(a1, b1, a2, b2) == pytest.approx(truth, rel=1e-13)


@pytest.mark.slow
def test_random_shapes_from_1e_minus_3_to_1e18_match_mpmath():
    rng = np.random.default_rng(11)
    cases = []
    for kind in range(4):
        for _ in range(40):
            a1, b1 = 10 ** rng.uniform(-3, 18, size=2)
            if kind == 0:
                a2, b2 = 10 ** rng.uniform(-3, 18, size=2)
            elif kind == 1:
                rel = 10 ** rng.uniform(-15, -1)
                a2, b2 = a1 * (1 + rel * rng.normal()), b1 * (1 + rel * rng.normal())
            elif kind == 2:
                a2, b2 = a1 + rng.integers(1, 6), max(b1 - rng.integers(0, 6), b1 / 2)
            else:
                k = 10 ** rng.uniform(-3, 3)
                a2, b2 = a1 * k, b1 * k
            cases.append((a1, b1, a2, b2))
    got = beta_kl(*np.array(cases).T)            # arrays in, one call
    ref = np.array([_mp_beta_kl(*c) for c in cases])
    np.testing.assert_allclose(got, ref, rtol=1e-11, atol=0)


@pytest.mark.parametrize("n", [1e6, 1e9, 1e12, 1e15, 1e18])
def test_information_gain_at_huge_counts_matches_mpmath(n):
    # 0.7 n heads of n flips under a uniform prior; at 1e12 the direct formula was off by 1e-5.
    s, f = 0.7 * n, 0.3 * n
    ref = _mp_beta_kl(1 + s, 1 + f, 1, 1) / math.log(2)
    assert beta_bernoulli_information_gain(s, f) == pytest.approx(ref, rel=1e-13)
    # a prior that was itself concentrated: Beta(1e12, 1e12) updated by 1e3 heads and 2e3 tails
    ref = _mp_beta_kl(1e12 + 1e3, 1e12 + 2e3, 1e12, 1e12) / math.log(2)
    assert beta_bernoulli_information_gain(1e3, 2e3, prior=(1e12, 1e12)) == pytest.approx(ref, rel=1e-12)


def test_counts_beyond_int64_and_object_arrays_are_numbers():
    # np.asarray(10**20) is an object array; the counts are converted to floats.
    big = np.array([10**19, 10**20], dtype=object)
    got = beta_bernoulli_information_gain(big, 5)
    ref = [_mp_beta_kl(1 + 1e19, 6, 1, 1) / math.log(2), _mp_beta_kl(1 + 1e20, 6, 1, 1) / math.log(2)]
    np.testing.assert_allclose(got, ref, rtol=1e-13)
    assert beta_kl(10**20, 10**20, 10**20 + 10**12, 10**20) == pytest.approx(
        _mp_beta_kl(1e20, 1e20, 1e20 + 1e12, 1e20), rel=1e-12)
    with pytest.raises(DistributionError, match=r"a_p has a number too large for a 64-bit float"):
        beta_kl(10**400, 1, 1, 1)


@pytest.mark.slow
@pytest.mark.parametrize("a1, b1, a2, b2", [
    (1e-20, 1, 1e-20, 2),            # a + b rounds to b: was 3.07e-21 for a truth of 6.45e-21
    (1, 1e-20, 2, 1e-20),            # the same with the roles of the shapes swapped
    (1e-10, 1e8, 1e-10, 2e8),
    (1e-5, 1e12, 1e-5, 1e12 + 1),
    (1e-300, 1e-280, 1e-300, 1e-279),
    (1e-20, 1, 1e-20 * (1 + 1e-9), 1),
    (1e-20, 1e15, 1e-20, 1e15 + 3),
    (1e-9, 0.5, 1e-9, 0.7),
    (1e-9, 5e3, 1e-9, 5e3 + 1e-3),
    (1e-30, 1e300, 1e-30, 2e300),
])
def test_a_shape_negligible_beside_the_other_keeps_its_digits(a1, b1, a2, b2):
    # Beta(a, b) with a below 1e-8 b: the sums a + b lose a's digits, and the result is of the size of a.
    assert beta_kl(a1, b1, a2, b2) == pytest.approx(_mp_beta_kl(a1, b1, a2, b2), rel=1e-12, abs=0)


def _lopsided_pairs(rng, n, big, ratio, spread):
    """n pairs of Betas: P with shape b1 = 10**U(big) and a1 = b1 * 10**U(ratio) (roles swapped at random),
    Q either spread by up to 10**spread per shape, or nearly equal to P (one or both shapes off by 1e-12..1e-1)."""
    cases = []
    for _ in range(n):
        b1 = 10 ** rng.uniform(*big)
        a1 = b1 * 10 ** rng.uniform(*ratio)
        kind = rng.integers(3)
        if kind == 0:
            a2, b2 = a1 * 10 ** rng.uniform(-spread, spread), b1 * 10 ** rng.uniform(-spread, spread)
        elif kind == 1:
            a2, b2 = a1, b1 * (1 + 10 ** rng.uniform(-12, -1))
        else:
            a2, b2 = a1 * (1 + 10 ** rng.uniform(-12, -1)), b1 * (1 + 10 ** rng.uniform(-12, -1))
        cases.append((a1, b1, a2, b2) if rng.random() < 0.5 else (b1, a1, b2, a2))
    return cases


@pytest.mark.slow
@pytest.mark.parametrize("low, high, rtol", [(-25, -6, 1e-11), (-6, -2, 1e-9)])
def test_random_tiny_and_lopsided_shapes_match_mpmath(low, high, rtol):
    # one shape 1e-25 .. 1e-2 times the other; where it is 1e-6 .. 1e-2 of it, with nearly
    # equal Betas, up to 4e-11 of the digits go (measured on 400 such pairs), elsewhere 5e-13
    cases = _lopsided_pairs(np.random.default_rng(12), 120, (-12, 15), (low, high), 2)
    got = beta_kl(*np.array(cases).T)
    ref = np.array([_mp_beta_kl(*c) for c in cases])
    np.testing.assert_allclose(got, ref, rtol=rtol, atol=0)


# --- shapes where the closed form loses its digits: refused, never a wrong number -------------

def _mp_ref(a1, b1, a2, b2):
    with mpmath.workdps(150 + 2 * int(max(0.0, math.log10(max(a1, b1, a2, b2))))):
        A1, B1, A2, B2 = map(mpmath.mpf, (a1, b1, a2, b2))
        return (mpmath.loggamma(A2) + mpmath.loggamma(B2) - mpmath.loggamma(A2 + B2)
                - mpmath.loggamma(A1) - mpmath.loggamma(B1) + mpmath.loggamma(A1 + B1)
                + (A1 - A2) * mpmath.digamma(A1) + (B1 - B2) * mpmath.digamma(B1)
                + (A2 - A1 + B2 - B1) * mpmath.digamma(A1 + B1))


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    (1e-15, 10000.000000001, 1e-15, 1e-9),   # was 0.0 (true 1.0e-6)
    (1e-15, 10000.00000001, 1e-15, 1e-8),    # was 1.67e-8 (true 1.0e-7)
    (1, 1e30, 1e6, 1),                       # was nan (true 6.97e7)
    (1e6, 1e30, 1e6, 1e6),                   # was nan (true 5.39e7)
    (1e14, 2, 1e6, 1e-18),                   # was inf (true 40.29)
    (1e100, 1e200, 1e250, 1e20),             # was nan (true 2.30e252)
    (1e-18, 1, 1e14, 1e30),                  # was 0.0 (true 1e32)
    (1, 1e6, 1e30, 1e100),                   # was 7.1e131 (true 1e94)
])
def test_reported_failures_are_refused_not_wrong(args):
    assert math.isfinite(float(_mp_ref(*args))) and _mp_ref(*args) > 0
    with pytest.raises(FloatingPointError, match="cannot compute"):
        beta_kl(*args)
    if args[0] == args[2]:   # the information gain with that prior raises too
        with pytest.raises(FloatingPointError, match="cannot compute"):
            kt_gain = beta_bernoulli_information_gain
            kt_gain(0, args[1] - args[3], prior=(args[0], args[3]), base=None)


@pytest.mark.slow
def test_extreme_shape_grid_is_right_or_refused():
    # Every combination of shapes 1e-18 ... 1e100 (a random 200 of the 2401): within 1e-9 of
    # mpmath, or FloatingPointError; never NaN, inf, 0 or a wrong finite number.
    vals = [1e-18, 1e-6, 1.0, 1e6, 1e14, 1e30, 1e100]
    rng = np.random.default_rng(5)
    answered = 0
    for idx in rng.integers(0, len(vals), size=(200, 4)):
        args = tuple(vals[i] for i in idx)
        try:
            got = float(beta_kl(*args))
        except FloatingPointError:
            continue
        answered += 1
        ref = _mp_ref(*args)
        assert got == pytest.approx(float(ref), rel=1e-9, abs=0 if ref else 1e-300), args
    assert answered >= 40


@pytest.mark.slow
def test_tiny_shapes_close_to_each_other_still_answer():
    # A shape below 1e-6 with P and Q within a factor 1e4 of each other: answered, right.
    rng = np.random.default_rng(6)
    for _ in range(60):
        a1, b1 = 10 ** rng.uniform(-20, -6), 10 ** rng.uniform(-8, 12)
        a2, b2 = a1 * 10 ** rng.uniform(-4, 4), b1 * 10 ** rng.uniform(-4, 4)
        assert beta_kl(a1, b1, a2, b2) == pytest.approx(float(_mp_ref(a1, b1, a2, b2)), rel=1e-9)


# --- a small shape shared (or nearly) by prior and posterior, the other shapes of order 1 ---

def _small_shape_cases():
    for a in (1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 1e-3):
        for b1, b2 in ((1.0, 2.0), (7.0, 8.0), (8.0, 7.0), (0.3, 20.0), (10.0, 10.0 * (1 + 1e-9)),
                       (2.0, 2.00001), (3.5, 1.0)):
            for da in (0.0, a * 1e-8, a * 1e-3, a * 0.5):
                yield a + da, b1, a, b2
                yield b1, a, b2, a + da              # the small shape second


@pytest.mark.slow
@pytest.mark.parametrize("a1, b1, a2, b2", list(_small_shape_cases()))
def test_small_shared_shape_keeps_every_digit(a1, b1, a2, b2):
    # e.g. Beta(1e-5, 8) against Beta(1e-5, 7): the regrouped form lost 1.1e-8 of the digits;
    # the expansion in the small shapes keeps them (mpmath, 50 digits and more)
    ref = _mp_beta_kl(a1, b1, a2, b2)
    got = beta_kl(a1, b1, a2, b2)
    if ref == 0:
        assert got == 0
    else:
        assert got == pytest.approx(ref, rel=1e-12, abs=0)


def test_information_gain_from_a_tiny_prior_shape_matches_mpmath():
    # a prior Beta(1e-5, 1) updated by failures only: the shared shape is 1e-5
    for f in (1, 3, 10):
        ref = _mp_beta_kl(1e-5, 1 + f, 1e-5, 1) / math.log(2)
        assert beta_bernoulli_information_gain(0, f, prior=(1e-5, 1)) == pytest.approx(ref, rel=1e-12)


def test_random_small_and_lopsided_shapes_keep_a_few_ulp():
    # one shape 1e-6 .. 1e-2 times the other, nearly equal Betas included: 6e-15 at worst
    # on 800 such pairs (the regrouped form alone reached 1.2e-10 there)
    cases = _lopsided_pairs(np.random.default_rng(21), 80, (-6, 4), (-6, -2), 1)
    got = beta_kl(*np.array(cases).T)
    ref = np.array([_mp_beta_kl(*c) for c in cases])
    np.testing.assert_allclose(got, ref, rtol=1e-13, atol=0)


@pytest.mark.parametrize("args", [
    (9.39050284108361, 4.336431073968299e-06, 16130215516372.496, 9.39050284108361),
    (10.0, 2e-6, 1e14, 10.0),
    (10.0, 4e-6, 1.6e13, 10.0),
    (4e-6, 10.0, 10.0, 1.6e13),                   # the same with the shapes swapped
    (8.44e-6, 7.54, 7.54, 1.78e12),
    (1.33e-5, 6.19, 18.7, 2.42e12),
])
def test_small_shape_of_p_against_a_huge_opposite_shape_of_q_matches_mpmath(args):
    # terms of size 1e13 cancelled to 1e-10 of D before
    assert beta_kl(*args) == pytest.approx(_mp_beta_kl(*args), rel=1e-13)


def test_small_shape_against_huge_on_random_shapes_matches_mpmath():
    rng = np.random.default_rng(5)
    cases = []
    while len(cases) < 60:
        a1, b1 = 10 ** rng.uniform(-6, 2), 10 ** rng.uniform(-1, 4)
        a2, b2 = 10 ** rng.uniform(-2, 5), 10 ** rng.uniform(6, 14)
        if a1 <= 1e-2 * b1 and b2 >= 1e2 * max(a2, b1):
            cases.append((a1, b1, a2, b2) if len(cases) % 2 else (b1, a1, b2, a2))
    got = beta_kl(*np.array(cases).T)
    ref = np.array([_mp_beta_kl(*c) for c in cases])
    np.testing.assert_allclose(got, ref, rtol=1e-13, atol=0)


def test_small_shape_of_q_against_a_huge_opposite_shape_of_p_is_within_the_documented_2e_11():
    rng = np.random.default_rng(23)
    cases = []
    for i in range(40):
        e = [rng.uniform(-1, 8), rng.uniform(6, 14), rng.uniform(-6, -2), rng.uniform(-1, 12)]
        a1, b1, a2, b2 = (10 ** v for v in e)
        cases.append((a1, b1, a2, b2) if i % 2 else (b1, a1, b2, a2))
    got = beta_kl(*np.array(cases).T)
    ref = np.array([_mp_beta_kl(*c) for c in cases])
    np.testing.assert_allclose(got, ref, rtol=2e-11, atol=0)
