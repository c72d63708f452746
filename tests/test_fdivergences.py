"""Tests of klteach.fdivergences against mpmath, scipy and the course's own functions, and the bounds between them."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings

import klteach as kt
from klteach import DistributionError
from klteach.fdivergences import GENERATORS, f_divergence, renyi_divergence
from strategies import distributions, pairs, positive_distributions

RNG = np.random.default_rng(7)
PAIRS = [(RNG.dirichlet(np.ones(5)), RNG.dirichlet(np.ones(5))) for _ in range(6)] + [
    (np.array([0.36, 0.48, 0.16]), np.full(3, 1 / 3)),
    (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])),
    (np.array([0.25, 0.25, 0.5]), np.array([0.5, 0.5, 0.0])),
]


def mp_renyi(p, q, alpha, dps=80):
    """(1/(alpha-1)) log sum p^alpha q^(1-alpha) in mpmath (alpha != 1, finite, p, q > 0 where summed)."""
    with mpmath.workdps(dps):
        a = mpmath.mpf(alpha)
        s = mpmath.fsum(mpmath.mpf(float(x)) ** a * mpmath.mpf(float(y)) ** (1 - a)
                        for x, y in zip(p, q) if x > 0 and y > 0)
        return mpmath.log(s) / (a - 1)


# --- the generic formula against the course's functions and scipy ---

@pytest.mark.parametrize("p, q", PAIRS)
def test_named_generators_agree_with_the_dedicated_functions(p, q):
    assert f_divergence(p, q, "kl") == pytest.approx(kt.kl_divergence(p, q), rel=1e-12)
    assert f_divergence(p, q, "reverse_kl") == pytest.approx(kt.kl_divergence(q, p), rel=1e-12)
    assert f_divergence(p, q, "tv") == pytest.approx(kt.total_variation(p, q), rel=1e-12, abs=1e-16)
    assert f_divergence(p, q, "squared_hellinger") == pytest.approx(kt.hellinger_distance(p, q) ** 2, rel=1e-12)
    assert f_divergence(p, q, "js") == pytest.approx(kt.js_divergence(p, q), rel=1e-12)
    assert f_divergence(p, q, "js", base=2) == pytest.approx(kt.js_divergence(p, q, base=2), rel=1e-12)


@pytest.mark.parametrize("p, q", PAIRS[:7])
def test_against_scipy(p, q):
    assert f_divergence(p, q, "kl") == pytest.approx(scipy.stats.entropy(p, q), rel=1e-12)
    assert f_divergence(p, q, "kl") == pytest.approx(np.sum(scipy.special.rel_entr(p, q)), rel=1e-12)
    # scipy's chisquare statistic for observed counts n p and expected n q is n * chi2(P||Q)
    n = 1000
    stat = scipy.stats.chisquare(n * p, n * q).statistic
    assert f_divergence(p, q, "chi2") == pytest.approx(stat / n, rel=1e-12)
    assert f_divergence(p, q, "js") == pytest.approx(scipy.spatial.distance.jensenshannon(p, q) ** 2, rel=1e-10)


@pytest.mark.parametrize("p, q", PAIRS[:7])
def test_callables_give_the_same_as_the_names(p, q):
    assert f_divergence(p, q, lambda t: t * np.log(t)) == pytest.approx(f_divergence(p, q, "kl"), rel=1e-13)
    assert f_divergence(p, q, lambda t: (np.sqrt(t) - 1) ** 2) == pytest.approx(
        2 * kt.hellinger_distance(p, q) ** 2, rel=1e-12)   # the un-halved convention: twice the course's H^2


def test_limits_at_the_edges_of_the_support():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.5, 0.0, 0.5])
    assert f_divergence(p, q, "kl") == math.inf
    assert f_divergence(p, q, "chi2") == math.inf
    assert f_divergence(p, q, "reverse_kl") == math.inf
    assert f_divergence(p, q, "tv") == pytest.approx(0.5)
    assert f_divergence([1, 0], [0, 1], "squared_hellinger") == pytest.approx(1.0)
    assert f_divergence([1, 0], [0, 1], "js") == pytest.approx(math.log(2))
    # f(t) = |t - 1| / 2 as a callable needs the slope at infinity where q = 0 < p
    with pytest.raises(DistributionError, match="slope_at_infinity"):
        f_divergence(p, q, lambda t: np.abs(t - 1) / 2)
    assert f_divergence(p, q, lambda t: np.abs(t - 1) / 2, slope_at_infinity=0.5) == pytest.approx(0.5)


def test_every_named_generator_has_the_right_f_at_zero_and_slope():
    big = 1e12
    for name, gen in GENERATORS.items():
        assert gen.f(np.array([1.0]))[0] == pytest.approx(0.0, abs=1e-15), name
        with np.errstate(divide="ignore"):
            assert gen.f(np.array([0.0]))[0] == pytest.approx(gen.at_zero), name
        slope = gen.f(np.array([big]))[0] / big
        if math.isinf(gen.slope_at_infinity):
            assert slope > 10, name
        else:
            assert slope == pytest.approx(gen.slope_at_infinity, abs=1e-4), name


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(pairs(distributions))
def test_named_f_divergences_are_non_negative(pq):
    p, q = pq
    for name in GENERATORS:
        assert f_divergence(p, q, name) >= -1e-15, name


def test_batches_along_an_axis():
    P = RNG.dirichlet(np.ones(4), size=3)
    Q = RNG.dirichlet(np.ones(4), size=3)
    np.testing.assert_allclose(f_divergence(P, Q, "kl"), kt.kl_divergence(P, Q), rtol=1e-12)
    np.testing.assert_allclose(f_divergence(P.T, Q.T, "tv", axis=0), kt.total_variation(P, Q), rtol=1e-12)
    np.testing.assert_allclose(renyi_divergence(P.T, Q.T, 2, axis=0),
                               [float(mp_renyi(a, b, 2)) for a, b in zip(P, Q)], rtol=1e-12)


# --- bounds between the family's members, on random pairs ---

def test_classical_bounds_on_random_pairs():
    rng = np.random.default_rng(11)
    P = rng.dirichlet(np.ones(6) * 0.5, size=5000)
    Q = rng.dirichlet(np.ones(6) * 0.5, size=5000)
    kl = kt.kl_divergence(P, Q)
    tv = f_divergence(P, Q, "tv")
    h2 = f_divergence(P, Q, "squared_hellinger")
    chi2 = f_divergence(P, Q, "chi2")
    assert np.all(tv <= np.sqrt(kl / 2) + 1e-12)                    # Pinsker
    assert np.all(h2 <= tv + 1e-12)                                  # H^2 <= TV
    assert np.all(tv <= np.sqrt(h2) * np.sqrt(2 - h2) + 1e-12)       # TV <= H sqrt(2 - H^2)
    assert np.all(kl <= np.log1p(chi2) + 1e-12)                      # KL <= log(1 + chi2)
    assert np.all(2 * h2 <= kl + 1e-12)                              # D >= 2 H^2
    assert np.all(-2 * np.log1p(-h2) <= kl + 1e-12)                  # D >= D_1/2 = -2 log(1 - H^2)
    assert np.all(tv <= np.sqrt(-np.expm1(-kl)) + 1e-12)             # Bretagnolle-Huber: TV <= sqrt(1 - e^-D)


def test_bretagnolle_huber_and_the_hellinger_bound_in_mpmath():
    """TV^2 <= 1 - (1 - H^2)^2 <= 1 - e^-D, at 50 digits, including pairs with D > 2 nats (Pinsker > 1)."""
    rng = np.random.default_rng(12)
    large = 0
    with mpmath.workdps(50):
        for _ in range(300):
            p, q = rng.dirichlet(np.ones(4) * 0.3), rng.dirichlet(np.ones(4) * 0.3)
            pm, qm = [mpmath.mpf(float(x)) for x in p], [mpmath.mpf(float(x)) for x in q]
            kl = mpmath.fsum(a * mpmath.log(a / b) for a, b in zip(pm, qm) if a > 0)
            tv = mpmath.fsum(abs(a - b) for a, b in zip(pm, qm)) / 2
            bc = mpmath.fsum(mpmath.sqrt(a * b) for a, b in zip(pm, qm))      # 1 - H^2
            assert tv ** 2 <= 1 - bc ** 2 <= 1 - mpmath.exp(-kl)
            assert kl >= -2 * mpmath.log(bc) >= 2 * (1 - bc)
            large += kl > 2
    assert large > 10          # the regime where Pinsker's sqrt(D/2) > 1 says nothing is exercised


# --- Rényi ---

@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.9, 0.999, 1.001, 1.5, 2, 5, 30])
@pytest.mark.parametrize("p, q", PAIRS[:7])
def test_renyi_matches_mpmath(p, q, alpha):
    assert renyi_divergence(p, q, alpha) == pytest.approx(float(mp_renyi(p, q, alpha)), rel=1e-11)


@pytest.mark.parametrize("p, q", PAIRS[:7])
def test_renyi_special_orders(p, q):
    assert renyi_divergence(p, q, 1) == kt.kl_divergence(p, q)
    bc = np.sum(np.sqrt(p * q))
    assert renyi_divergence(p, q, 0.5) == pytest.approx(-2 * np.log(bc), rel=1e-12)
    assert renyi_divergence(p, q, 0.5) == pytest.approx(-2 * np.log1p(-kt.hellinger_distance(p, q) ** 2), rel=1e-10)
    chi2 = np.sum((p - q) ** 2 / q)
    assert renyi_divergence(p, q, 2) == pytest.approx(np.log1p(chi2), rel=1e-12)
    assert renyi_divergence(p, q, np.inf) == pytest.approx(np.log(np.max(p / q)), rel=1e-12)
    assert renyi_divergence(p, q, 0) == pytest.approx(0.0, abs=1e-15)     # full supports: Q(supp P) = 1


def test_renyi_is_continuous_at_one_and_at_the_ends():
    p, q = PAIRS[0]
    kl = kt.kl_divergence(p, q)
    for eps in (1e-4, 1e-7, 1e-10):
        assert renyi_divergence(p, q, 1 - eps) == pytest.approx(kl, rel=10 * eps + 1e-6)
        assert renyi_divergence(p, q, 1 + eps) == pytest.approx(kl, rel=10 * eps + 1e-6)
    assert renyi_divergence(p, q, 400) == pytest.approx(np.log(np.max(p / q)), rel=1e-2)
    p0, q0 = np.array([0.5, 0.5, 0.0]), np.array([0.2, 0.3, 0.5])
    assert renyi_divergence(p0, q0, 1e-8) == pytest.approx(-np.log(0.5), rel=1e-6)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(pairs(positive_distributions))
def test_renyi_is_non_decreasing_in_alpha(pq):
    p, q = pq
    values = [renyi_divergence(p, q, a) for a in (0, 0.25, 0.5, 0.75, 1, 1.5, 2, 4, 10, np.inf)]
    assert all(b >= a * (1 - 1e-9) - 1e-14 for a, b in zip(values, values[1:])), values


def test_renyi_support_cases():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    assert renyi_divergence(p, q, 0, base=2) == pytest.approx(1.0)       # -log2 Q(supp P) = -log2 0.5
    assert renyi_divergence(q, p, 0.5) == pytest.approx(float(mp_renyi(q, p, 0.5)), rel=1e-12)  # finite below 1
    assert renyi_divergence(q, p, 2) == math.inf
    assert renyi_divergence(q, p, np.inf) == math.inf
    assert renyi_divergence([1, 0], [0, 1], 0.5) == math.inf              # disjoint: infinite at every order
    assert renyi_divergence([1, 0], [0, 1], 0) == math.inf


def test_renyi_large_orders_do_not_overflow():
    p, q = np.array([0.999999, 1e-6]), np.array([1e-300, 1 - 1e-300])
    value = renyi_divergence(p, q, 50)
    assert math.isfinite(value)
    assert value == pytest.approx(float(mp_renyi(p, q, 50)), rel=1e-12)


def test_renyi_in_bits():
    p, q = PAIRS[0]
    assert renyi_divergence(p, q, 2, base=2) == pytest.approx(renyi_divergence(p, q, 2) / math.log(2), rel=1e-15)


# --- bad input: the same errors as kl_divergence ---

BAD_PAIRS = [
    ([0.5, 0.6], [0.5, 0.5]),
    ([0.5, 0.5], [0.7, 0.7]),
    ([-0.1, 1.1], [0.5, 0.5]),
    ([np.nan, 1.0], [0.5, 0.5]),
    ([0.5, 0.5], [0.2, 0.3, 0.5]),
    ([], [0.5, 0.5]),
    ("ab", [0.5, 0.5]),
    (0.5, [0.5, 0.5]),
]


@pytest.mark.parametrize("p, q", BAD_PAIRS)
def test_bad_input_gives_the_same_error_as_kl_divergence(p, q):
    with pytest.raises(DistributionError) as reference:
        kt.kl_divergence(p, q)
    for call in (lambda: f_divergence(p, q, "kl"), lambda: f_divergence(p, q, "chi2"),
                 lambda: renyi_divergence(p, q, 0.5), lambda: renyi_divergence(p, q, 2)):
        with pytest.raises(DistributionError) as got:
            call()
        assert str(got.value) == str(reference.value)


@pytest.mark.parametrize("alpha", [-1, np.nan, "2", None, True, 1j])
def test_renyi_refuses_bad_orders(alpha):
    with pytest.raises(DistributionError, match="alpha"):
        renyi_divergence([0.5, 0.5], [0.4, 0.6], alpha)


def test_f_divergence_refuses_bad_generators_and_bases():
    p, q = [0.5, 0.5], [0.4, 0.6]
    with pytest.raises(DistributionError, match="unknown f-divergence"):
        f_divergence(p, q, "hellinger")
    with pytest.raises(DistributionError, match="f\\(1\\) must be 0"):
        f_divergence(p, q, lambda t: t ** 2)
    with pytest.raises(DistributionError, match="function of t"):
        f_divergence(p, q, 3)
    with pytest.raises(DistributionError, match="no unit"):
        f_divergence(p, q, "chi2", base=2)
    with pytest.raises(DistributionError, match="NaN"):
        f_divergence(p, q, lambda t: np.where(t > 1, np.nan, 0.0) * (t - 1))
    with pytest.raises(DistributionError, match="base"):
        f_divergence(p, q, "kl", base=0.5)


# --- your own f where p = 0 < q: f(0+), not numpy's 0 * log 0 ---

def mp_kl(p, q, dps=50):
    with mpmath.workdps(dps):
        return mpmath.fsum(mpmath.mpf(float(a)) * mpmath.log(mpmath.mpf(float(a)) / mpmath.mpf(float(b)))
                           for a, b in zip(p, q) if a > 0)


@pytest.mark.parametrize("p, q", [([0.5, 0.3, 0.2, 0.0], [0.25] * 4), ([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])])
def test_a_callable_t_log_t_with_a_zero_in_p_is_kl(p, q):
    reference = float(mp_kl(p, q))                     # 0.356641 and log 2
    assert f_divergence(p, q, lambda t: t * np.log(t)) == pytest.approx(reference, rel=1e-13)
    assert f_divergence(p, q, lambda t: t * np.log(t), slope_at_infinity=math.inf) == pytest.approx(
        reference, rel=1e-13)
    assert f_divergence(p, q, "kl") == pytest.approx(reference, rel=1e-13)


def test_a_callable_jensen_shannon_with_a_zero_in_p():
    p, q = [0.5, 0.3, 0.2, 0.0], [0.25] * 4
    with mpmath.workdps(50):
        m = [(mpmath.mpf(a) + mpmath.mpf(b)) / 2 for a, b in zip(p, q)]
        js = (mp_kl(p, m) + mp_kl(q, m)) / 2           # 0.110410
    js_f = lambda t: 0.5 * (t * np.log(t) - (1 + t) * np.log((1 + t) / 2))   # noqa: E731
    assert f_divergence(p, q, js_f) == pytest.approx(float(js), rel=1e-12)


def test_f_at_zero_that_cannot_be_read_asks_for_at_zero():
    p, q = [0.5, 0.3, 0.2, 0.0], [0.25] * 4
    jeffreys_nan_at_zero = lambda t: t * np.log(t) - np.log(t)    # noqa: E731  0 * log 0 - log 0 = nan
    with pytest.raises(DistributionError, match="at_zero"):
        f_divergence(p, q, jeffreys_nan_at_zero)
    assert f_divergence(p, q, jeffreys_nan_at_zero, at_zero=math.inf) == math.inf
    assert f_divergence([0.5, 0.5], [0.4, 0.6], jeffreys_nan_at_zero) == pytest.approx(
        float(mp_kl([0.5, 0.5], [0.4, 0.6]) + mp_kl([0.4, 0.6], [0.5, 0.5])), rel=1e-12)  # not needed here
    # at_zero given is used as stated: f(t) = |t - 1| / 2 has f(0+) = 1/2
    assert f_divergence([1.0, 0.0], [0.5, 0.5], lambda t: np.abs(t - 1) / 2, at_zero=0.5) == pytest.approx(0.5)
    with pytest.raises(DistributionError, match="at_zero must be a number"):
        f_divergence(p, q, lambda t: t * np.log(t), at_zero="0")
    with pytest.raises(DistributionError, match="for your own f"):
        f_divergence(p, q, "kl", at_zero=0.0)


def test_jeffreys_is_kl_plus_reverse_kl():
    for p, q in PAIRS:
        ref = float(mp_kl(p, q) + mp_kl(q, p)) if np.all((np.asarray(p) > 0) == (np.asarray(q) > 0)) else math.inf
        assert f_divergence(p, q, "jeffreys") == pytest.approx(ref, rel=1e-12)
        assert f_divergence(p, q, "jeffreys", base=2) == pytest.approx(ref / math.log(2), rel=1e-12)


def test_a_non_convex_f_is_refused_when_its_total_is_negative():
    with pytest.raises(DistributionError, match="not convex"):
        f_divergence([0.5, 0.5], [0.25, 0.75], lambda t: 1 - t ** 2)   # sum q (1 - t^2) = 1 - sum p^2/q < 0
    assert f_divergence([0.3, 0.7], [0.3, 0.7], lambda t: t * np.log(t)) == 0.0   # rounding noise is not refused


def test_a_ratio_that_overflows_is_refused_for_a_callable_and_exact_for_a_name():
    p, q = [0.5, 0.5], [1e-320, 1.0]
    with pytest.raises(DistributionError, match="overflows"):
        f_divergence(p, q, lambda t: t * np.log(t))
    with mpmath.workdps(50):
        ref = mpmath.mpf(0.5) * mpmath.log(mpmath.mpf(0.5) / mpmath.mpf(1e-320)) + mpmath.mpf(0.5) * mpmath.log(0.5)
    assert f_divergence(p, q, "kl") == pytest.approx(float(ref), rel=1e-13)          # 367.72


# --- Rényi of nearly disjoint distributions: the sum is tiny, log1p(sum - 1) would cancel ---

@pytest.mark.parametrize("eps, alpha", [(1e-40, 0.5), (1e-100, 0.5), (1e-20, 0.5), (1e-100, 0.9), (1e-8, 0.3),
                                        (1e-3, 0.5), (1e-300, 0.5)])
def test_renyi_of_nearly_disjoint_pairs_matches_mpmath(eps, alpha):
    with mpmath.workdps(80):
        e, a = mpmath.mpf(eps), mpmath.mpf(alpha)
        s = (1 - e) ** a * e ** (1 - a) + e ** a * (1 - e) ** (1 - a)
        ref = float(mpmath.log(s) / (a - 1))            # e = 1e-40, alpha = 1/2: 90.7171
    p, q = np.array([1 - eps, eps]), np.array([eps, 1 - eps])
    assert renyi_divergence(p, q, alpha) == pytest.approx(ref, rel=1e-12)


# --- nearly identical P and Q, and huge orders ---

def _mp_normalised(x):
    """The float inputs as exact rationals, normalised as klteach normalises them (p / sum p)."""
    v = [mpmath.mpf(float(t)) for t in x]
    s = mpmath.fsum(v)
    return [t / s for t in v]


NEAR = [((0.500000001, 0.499999999), (0.5, 0.5)), ((0.5 + 1e-6, 0.5 - 1e-6), (0.5, 0.5)),
        ((0.2 + 3e-9, 0.3, 0.5 - 3e-9), (0.2, 0.3, 0.5))]


@pytest.mark.parametrize("p, q", NEAR)
def test_log_generators_keep_their_digits_for_nearly_identical_pairs(p, q):
    """A KL of 2e-18 came out as -5e-17 (and JS as -2.7e-17) from log p - log q."""
    with mpmath.workdps(60):
        P, Q = _mp_normalised(p), _mp_normalised(q)
        M = [(a + b) / 2 for a, b in zip(P, Q)]
        kl = mpmath.fsum(a * mpmath.log(a / b) for a, b in zip(P, Q))
        rev = mpmath.fsum(b * mpmath.log(b / a) for a, b in zip(P, Q))
        js = mpmath.fsum(a * mpmath.log(a / m) + b * mpmath.log(b / m) for a, b, m in zip(P, Q, M)) / 2
    for name, ref in (("kl", kl), ("reverse_kl", rev), ("js", js), ("jeffreys", kl + rev)):
        value = f_divergence(p, q, name)
        assert value > 0
        assert value == pytest.approx(float(ref), rel=1e-9, abs=0), name


@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.999, 1.001, 2, 5])
@pytest.mark.parametrize("p, q", NEAR)
def test_renyi_keeps_its_digits_for_nearly_identical_pairs(p, q, alpha):
    """alpha = 0.5 with p = (0.500000001, 0.499999999) gave 0.0 (truth 1.0e-18), and with a 1e-6 offset
    a relative error of 1e-5."""
    with mpmath.workdps(60):
        P, Q = _mp_normalised(p), _mp_normalised(q)
        a = mpmath.mpf(alpha)
        ref = mpmath.log(mpmath.fsum(x ** a * y ** (1 - a) for x, y in zip(P, Q))) / (a - 1)
    assert renyi_divergence(p, q, alpha) == pytest.approx(float(ref), rel=1e-9, abs=0)


@pytest.mark.parametrize("alpha", [1e3, 1e10, 1e100, 1e306, 1e308])
def test_renyi_at_huge_orders_approaches_d_inf_without_overflow(alpha):
    """(alpha - 1) log(p/q) overflowed at alpha = 1e308 and gave inf; the truth is near log(1e10)."""
    p, q = [0.5, 0.5], [0.5e-10, 1 - 0.5e-10]
    with mpmath.workdps(60):
        P, Q = _mp_normalised(p), _mp_normalised(q)
        a = mpmath.mpf(alpha)
        # log sum p^a q^(1-a) / (a - 1), summed in logs so mpmath does not overflow either
        logs = [a * mpmath.log(x) + (1 - a) * mpmath.log(y) for x, y in zip(P, Q)]
        top = max(logs)
        ref = (top + mpmath.log(mpmath.fsum(mpmath.exp(t - top) for t in logs))) / (a - 1)
    value = renyi_divergence(p, q, alpha)
    assert math.isfinite(value)
    assert value == pytest.approx(float(ref), rel=1e-12)
    assert value <= renyi_divergence(p, q, np.inf) * (1 + 1e-15)


def _renyi_normalised_mp(p, q, alpha, dps=80):
    """D_alpha in mpmath for the float inputs normalised to sum 1 in mpmath (as the library normalises them)."""
    with mpmath.workdps(dps):
        pm, qm = [mpmath.mpf(float(x)) for x in p], [mpmath.mpf(float(x)) for x in q]
        sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
        a = mpmath.mpf(alpha)
        s = mpmath.fsum((x / sp) ** a * (y / sq) ** (1 - a) for x, y in zip(pm, qm) if x > 0 and y > 0)
        return mpmath.log(s) / (a - 1)


@pytest.mark.parametrize("alpha", [1e-20, 1e-17, 1e-16, 1e-15, 1e-12, 1e-8, 1e-4, 0.1, 0.3, 0.49, 0.5, 0.51])
def test_renyi_at_tiny_orders_matches_mpmath(alpha):
    # near alpha = 0, D_alpha ~ alpha D(Q||P): an expansion around alpha = 1 cancels there
    p, q = [0.36, 0.48, 0.16], [1 / 3, 1 / 3, 1 / 3]
    ref = float(_renyi_normalised_mp(p, q, alpha))
    assert renyi_divergence(p, q, alpha) == pytest.approx(ref, rel=1e-12)


def test_renyi_is_non_decreasing_on_tiny_orders():
    p, q = [0.36, 0.48, 0.16], [1 / 3, 1 / 3, 1 / 3]
    values = np.array([renyi_divergence(p, q, a) for a in np.logspace(-20, -1, 40)])
    assert np.all(np.diff(values) > 0)


@pytest.mark.parametrize("alpha", [1e-12, 0.1, 0.3])
def test_renyi_at_small_orders_with_partial_supports_matches_mpmath(alpha):
    for p, q in [([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]), ([0.5, 0.5], [1.0, 0.0]), ([0.2, 0.0, 0.8], [0.1, 0.6, 0.3])]:
        ref = float(_renyi_normalised_mp(p, q, alpha))
        assert renyi_divergence(p, q, alpha) == pytest.approx(ref, rel=1e-12, abs=1e-300)


def test_squared_hellinger_of_nearly_equal_pairs_matches_mpmath():
    p, q = [0.5 + 1e-10, 0.5 - 1e-10], [0.5, 0.5]
    with mpmath.workdps(60):
        ref = float(mpmath.fsum((mpmath.sqrt(mpmath.mpf(a)) - mpmath.sqrt(mpmath.mpf(b))) ** 2
                                for a, b in zip(p, q)) / 2)
    assert f_divergence(p, q, "squared_hellinger") == pytest.approx(ref, rel=1e-12)


def _mp_f(p, q, name, dps=80):
    """sum q f(p/q) at high precision, for the exactly normalised float inputs."""
    with mpmath.workdps(dps):
        p, q = [mpmath.mpf(float(v)) for v in p], [mpmath.mpf(float(v)) for v in q]
        sp, sq = mpmath.fsum(p), mpmath.fsum(q)
        p, q = [v / sp for v in p], [v / sq for v in q]
        term = {"kl": lambda a, b: a * mpmath.log(a / b), "reverse_kl": lambda a, b: b * mpmath.log(b / a),
                "chi2": lambda a, b: (a - b) ** 2 / b,
                "squared_hellinger": lambda a, b: (mpmath.sqrt(a) - mpmath.sqrt(b)) ** 2 / 2,
                "tv": lambda a, b: abs(a - b) / 2, "jeffreys": lambda a, b: (a - b) * mpmath.log(a / b),
                "js": lambda a, b: (a * mpmath.log(2 * a / (a + b)) + b * mpmath.log(2 * b / (a + b))) / 2}[name]
        return float(mpmath.fsum(term(a, b) for a, b in zip(p, q)))


def test_chi2_and_hellinger_of_differences_whose_squares_underflow():
    # (p - q)^2 underflows to 0 for differences of 3e-200: the terms square after dividing
    p, q = [0.5, 0.5 - 4e-200, 4e-200], [0.5, 0.5 - 1e-200, 1e-200]
    for name in ("chi2", "squared_hellinger"):
        expected = _mp_f(p, q, name)
        assert expected > 1e-201
        assert f_divergence(p, q, name) == pytest.approx(expected, rel=1e-14, abs=0), name


# nearly identical; q sums to 1 - 1.1e-16, so dividing by its sum rounds every entry
NEAR_P = [0.49274853111321243, 0.12903623273017673, 0.23867992361759222, 0.13953531253901863]
NEAR_Q = [0.492748531113768, 0.12903623273108428, 0.23867992361613358, 0.1395353125390141]


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_nearly_identical_distributions_not_summing_exactly_to_one_keep_their_digits(name):
    expected = _mp_f(NEAR_P, NEAR_Q, name)
    assert f_divergence(NEAR_P, NEAR_Q, name) == pytest.approx(expected, rel=1e-13, abs=0)
    assert f_divergence(NEAR_Q, NEAR_P, name) == pytest.approx(_mp_f(NEAR_Q, NEAR_P, name), rel=1e-13, abs=0)


@pytest.mark.parametrize("alpha", [0.1, 0.5, 1.5, 2.0, 3.0])
def test_renyi_of_nearly_identical_distributions_not_summing_exactly_to_one(alpha):
    # normalised at high precision first (q's exact sum is 1 - 5.6e-17)
    with mpmath.workdps(80):
        p, q = [mpmath.mpf(v) for v in NEAR_P], [mpmath.mpf(v) for v in NEAR_Q]
        p, q = [v / mpmath.fsum(p) for v in p], [v / mpmath.fsum(q) for v in q]
        a = mpmath.mpf(alpha)
        expected = float(mpmath.log(mpmath.fsum(x ** a * y ** (1 - a) for x, y in zip(p, q))) / (a - 1))
    assert renyi_divergence(NEAR_P, NEAR_Q, alpha) == pytest.approx(expected, rel=1e-13, abs=0)


def test_renyi_order_zero_is_exactly_zero_when_supp_p_covers_supp_q():
    """D_0(P||Q) = -log Q(supp P) is 0 when P is positive wherever Q is, even when Q's entries sum to
    1 + 2.2e-16 in floats, which -log(sum of the normalised Q on supp P) gave as 1.1e-16."""
    q = [0.37408563407241896, 0.5176000921523201, 0.10831427377526108]
    assert sum(q) != 1.0
    assert kt.renyi_divergence([1 / 3] * 3, q, 0) == 0.0
    assert kt.renyi_divergence([0.2, 0.7, 0.1, 0.0], q + [0.0], 0) == 0.0      # a zero of both outside
    # two of the three outcomes: -log Q({0, 1}) with Q normalised, in exact Fractions
    from fractions import Fraction
    share = sum(Fraction(x) for x in q[:2]) / sum(Fraction(x) for x in q)
    assert kt.renyi_divergence([0.5, 0.5, 0.0], q, 0) == pytest.approx(-math.log(share), rel=1e-14)
