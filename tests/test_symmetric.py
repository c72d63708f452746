"""Tests of klteach.symmetric against scipy, mpmath, brute-force definitions and classical inequalities."""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest
import scipy.spatial.distance
from hypothesis import given

import klteach as kt
from klteach import DistributionError
from klteach.symmetric import (
    hellinger_distance,
    jeffreys_divergence,
    js_distance,
    pinsker_bound,
    total_variation,
)
from strategies import distributions, mp_js, mp_kl, pairs

LN2 = math.log(2)
BINOMIAL, UNIFORM = [0.36, 0.48, 0.16], [1 / 3, 1 / 3, 1 / 3]


def mp_hellinger(p, q, dps=60):
    """sqrt(1 - sum sqrt(p q)) at high precision: the Bhattacharyya form, not the one klteach uses."""
    with mpmath.workdps(dps):
        pm = [mpmath.mpf(float(x)) for x in p]
        qm = [mpmath.mpf(float(x)) for x in q]
        sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
        bc = mpmath.fsum(mpmath.sqrt(a / sp * b / sq) for a, b in zip(pm, qm))
        return mpmath.sqrt(max(1 - bc, 0))


def tv_by_events(p, q):
    """max over all events A of |P(A) - Q(A)|: the definition, by brute force."""
    n = len(p)
    best = 0.0
    for mask in itertools.product([False, True], repeat=n):
        m = np.array(mask)
        best = max(best, abs(math.fsum(np.asarray(p)[m]) - math.fsum(np.asarray(q)[m])))
    return best


# --- known values -----------------------------------------------------------------

def test_binomial_vs_uniform_values():
    forward, reverse = float(mp_kl(BINOMIAL, UNIFORM)), float(mp_kl(UNIFORM, BINOMIAL))
    assert jeffreys_divergence(BINOMIAL, UNIFORM) == pytest.approx(forward + reverse, rel=1e-14)
    # PSI form: sum (p - q) log(p / q)
    psi = sum((a - b) * math.log(a / b) for a, b in zip(BINOMIAL, UNIFORM))
    assert jeffreys_divergence(BINOMIAL, UNIFORM) == pytest.approx(psi, rel=1e-13)
    assert total_variation(BINOMIAL, UNIFORM) == pytest.approx(tv_by_events(BINOMIAL, UNIFORM), rel=1e-14)


def test_disjoint_supports_reach_the_bounds():
    p, q = [0.5, 0.5, 0, 0], [0, 0, 0.3, 0.7]
    assert js_distance(p, q) == pytest.approx(math.sqrt(LN2), rel=1e-15)
    assert js_distance(p, q, base=2) == pytest.approx(1.0, rel=1e-15)
    assert hellinger_distance(p, q) == pytest.approx(1.0, rel=1e-15)
    assert total_variation(p, q) == 1.0
    assert jeffreys_divergence(p, q) == math.inf


def test_one_sided_support_mismatch_makes_jeffreys_infinite_but_others_finite():
    p, q = [0.5, 0.5], [1.0, 0.0]
    assert kt.kl_divergence(q, p) == pytest.approx(LN2)   # finite one way
    assert jeffreys_divergence(p, q) == math.inf
    assert jeffreys_divergence(q, p) == math.inf
    assert 0 < hellinger_distance(p, q) < 1 and 0 < js_distance(p, q) < math.sqrt(LN2)


# --- against references -----------------------------------------------------------

@given(pairs(distributions))
def test_js_distance_matches_scipy(pq):
    p, q = pq
    # scipy is the same quantity but loses digits for close inputs (even
    # returning NaN, the root of a rounded negative, or inf for subnormal
    # entries): compare squares loosely, and check the digits against mpmath.
    for base in (None, 2):
        with np.errstate(invalid="ignore"):
            ref = scipy.spatial.distance.jensenshannon(p, q, base=base)
        if math.isfinite(ref):
            assert js_distance(p, q, base=base) ** 2 == pytest.approx(ref**2, rel=1e-9, abs=1e-14)
    assert js_distance(p, q) == pytest.approx(math.sqrt(float(mp_js(p, q))), rel=1e-12, abs=1e-15)
    assert js_distance(p, q, base=2) == pytest.approx(math.sqrt(float(mp_js(p, q)) / LN2), rel=1e-12, abs=1e-15)


@given(pairs(distributions))
def test_hellinger_matches_mpmath(pq):
    p, q = pq
    assert hellinger_distance(p, q) == pytest.approx(float(mp_hellinger(p, q)), rel=1e-12, abs=1e-15)


def test_hellinger_keeps_accuracy_for_nearly_identical_distributions():
    p = np.array([0.3, 0.3, 0.4])
    q = p + np.array([1e-9, -1e-9, 0.0])
    h = hellinger_distance(p, q)
    assert h == pytest.approx(float(mp_hellinger(p, q, dps=80)), rel=1e-13)
    # The textbook form cancels: 1 - sum(sqrt(p q)) keeps no correct digit here.
    naive = math.sqrt(max(1 - float(np.sum(np.sqrt(p * q))), 0))
    assert abs(naive - h) / h > 1e-3


@given(pairs(distributions))
def test_total_variation_is_the_largest_event_difference(pq):
    p, q = pq   # up to 12 outcomes: 4096 events
    assert total_variation(p, q) == pytest.approx(tv_by_events(p, q), rel=1e-12, abs=1e-15)


@given(pairs())
def test_jeffreys_is_sum_of_both_directions(pq):
    p, q = pq
    expected = float(mp_kl(p, q) + mp_kl(q, p))
    assert jeffreys_divergence(p, q) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert jeffreys_divergence(p, q, base=2) == pytest.approx(expected / LN2, rel=1e-12, abs=1e-15)


# --- inequalities and metric properties -----------------------------------------------

@given(pairs(distributions))
def test_pinsker_and_hellinger_tv_inequalities(pq):
    p, q = pq
    tv = total_variation(p, q)
    for kl in (float(mp_kl(p, q)), float(mp_kl(q, p))):
        assert tv <= pinsker_bound(kl) + 1e-12
    h = hellinger_distance(p, q)
    assert h**2 <= tv + 1e-12 and tv <= math.sqrt(2) * h + 1e-12   # Le Cam's inequalities


@given(pairs(distributions))
def test_symmetry_and_bounds(pq):
    p, q = pq
    for f in (js_distance, hellinger_distance, total_variation, jeffreys_divergence):
        assert f(p, q) == pytest.approx(f(q, p), rel=1e-12, abs=1e-15)
    assert 0 <= js_distance(p, q) <= math.sqrt(LN2) + 1e-15
    assert 0 <= js_distance(p, q, base=2) <= 1 + 1e-15
    assert 0 <= hellinger_distance(p, q) <= 1 and 0 <= total_variation(p, q) <= 1


@given(distributions(size=5), distributions(size=5), distributions(size=5))
def test_triangle_inequality_for_the_metrics(p, q, r):
    for f in (js_distance, hellinger_distance, total_variation):
        assert f(p, r) <= f(p, q) + f(q, r) + 1e-12


def test_pinsker_units_and_values():
    assert pinsker_bound(2.0) == 1.0
    assert pinsker_bound(1.0, base=2) == pytest.approx(math.sqrt(LN2 / 2), rel=1e-15)
    assert pinsker_bound(math.inf) == math.inf
    np.testing.assert_allclose(pinsker_bound([0.0, 0.5]), [0.0, 0.5], rtol=1e-15)


def test_batches_follow_axis():
    rng = np.random.default_rng(0)
    p, q = kt.normalize(rng.random((4, 6))), kt.normalize(rng.random((4, 6)))
    for f in (jeffreys_divergence, js_distance, hellinger_distance, total_variation):
        batch = f(p, q)
        assert isinstance(batch, np.ndarray) and batch.shape == (4,)
        np.testing.assert_allclose(batch, [f(a, b) for a, b in zip(p, q)], rtol=1e-14)
        np.testing.assert_allclose(f(p.T, q.T, axis=0), batch, rtol=1e-14)
    assert type(total_variation([0.5, 0.5], [0.2, 0.8])) is float


# --- bad input --------------------------------------------------------------------------

@pytest.mark.parametrize("f", [jeffreys_divergence, js_distance, hellinger_distance, total_variation])
def test_bad_inputs(f):
    with pytest.raises(DistributionError, match="p sums to 1.1"):
        f([0.6, 0.5], [0.5, 0.5])
    with pytest.raises(DistributionError, match="q has a negative entry"):
        f([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(DistributionError, match="p has 2 outcomes but q has 3"):
        f([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(DistributionError, match="NaN"):
        f([np.nan, 1.0], [0.5, 0.5])


def test_pinsker_bad_inputs():
    with pytest.raises(DistributionError, match=">= 0"):
        pinsker_bound(-0.1)
    with pytest.raises(DistributionError, match=">= 0"):
        pinsker_bound(math.nan)
    with pytest.raises(DistributionError, match="base"):
        pinsker_bound(0.1, base=0)


def test_pinsker_rejects_non_numbers_clearly():
    for bad, pattern in [("0.1", "string"), (None, "None is not a number"), (1j, "complex"),
                         ([[0.1], [0.1, 0.2]], "could not be read")]:
        with pytest.raises(DistributionError, match=pattern):
            pinsker_bound(bad)
    # the message names the first bad entry, not the whole array
    with pytest.raises(DistributionError, match=r"kl has -3\.0 at index 0") as info:
        pinsker_bound(np.arange(-3.0, 1000.0))
    assert len(str(info.value)) < 300
    # a KL of -0.0 (e.g. from rounding) is 0: the bound prints as 0, not -0
    assert math.copysign(1.0, pinsker_bound(-0.0)) == 1.0


# --- edges: bounds kept exactly, identical distributions, subnormal probabilities -------

def test_total_variation_of_disjoint_supports_is_exactly_one():
    # Each is normalised with rounding, so 0.5 * (sum P + sum Q) summed naively gave 1.0000000000000002.
    p = [0.4242512718738037, 0.11685269018612732, 0.458896037940069, 0.0, 0.0, 0.0]
    q = [0.0, 0.0, 0.0, 0.05957741799093691, 0.7841527666908815, 0.1562698153181817]
    assert total_variation(p, q) == 1.0   # disjoint supports: P(A) = 1, Q(A) = 0 for A = supp(P)
    assert total_variation(p, q) <= pinsker_bound(min(kt.kl_divergence(p, q), kt.kl_divergence(q, p)))
    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(2, 6))
        w = rng.random(2 * n)
        p = np.r_[kt.normalize(w[:n]), np.zeros(n)]
        q = np.r_[np.zeros(n), kt.normalize(w[n:])]
        assert total_variation(p, q) <= 1.0
        assert hellinger_distance(p, q) <= 1.0


@pytest.mark.parametrize("p, q", [
    (np.float16([0.25, 0.25, 0.5]), np.float16([0.25 + 2**-12, 0.25 + 2**-12, 0.5 + 2**-11])),   # q = p (1 + 2**-10)
    (np.float16([0.125, 0.375, 0.5]), np.float16([0.125, 0.375, 0.5]) * np.float16(1 + 2**-9)),
    (np.array([0.125, 0.375, 0.5]), np.array([0.125, 0.375, 0.5]) * (1 + 2**-40)),
])
def test_inputs_that_normalise_to_the_same_distribution_are_at_distance_zero(p, q):
    # q is exactly proportional to p (checked in exact rational arithmetic), so P = Q.
    from fractions import Fraction
    ratios = {Fraction(float(b)) / Fraction(float(a)) for a, b in zip(p, q)}
    assert len(ratios) == 1
    for f in (total_variation, hellinger_distance, jeffreys_divergence, js_distance,
              kt.kl_divergence, kt.js_divergence):
        assert f(p, q) == 0.0, f.__name__
    assert not kt.kl_contributions(p, q).any()


@pytest.mark.parametrize("p, q", [
    ([0.5, 0.5, 0.0], [0.5, 0.5, 5e-324]),        # the smallest subnormal
    ([0.5, 0.5, 0.0], [0.5, 0.5, 3e-320]),
    ([0.5, 0.5, 1e-310], [0.5, 0.5, 3e-310]),
    ([1e-320, 1 - 1e-320], [0.0, 1.0]),
])
def test_hellinger_of_subnormal_probabilities_matches_mpmath(p, q):
    # (p - q)**2 underflows to 0 or to a subnormal with few digits; the result, ~1e-160, does not.
    # The reference's 1 - sum(sqrt(p q)) is about 1e-320: 400 digits resolve it.
    ref = float(mp_hellinger(p, q, dps=400))
    assert ref > 0
    assert hellinger_distance(p, q) == pytest.approx(ref, rel=1e-15, abs=0)


def test_total_variation_matches_mpmath_on_nearly_identical_inputs():
    rng = np.random.default_rng(5)
    for _ in range(20):
        p = kt.normalize(rng.random(8) + 0.1)
        q = kt.normalize(p * np.exp(1e-9 * rng.standard_normal(8)))
        with mpmath.workdps(60):
            pm, qm = [mpmath.mpf(float(x)) for x in p], [mpmath.mpf(float(x)) for x in q]
            sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
            ref = float(mpmath.fsum(abs(a / sp - b / sq) for a, b in zip(pm, qm)) / 2)
        assert total_variation(p, q) == pytest.approx(ref, rel=1e-14, abs=0)


def test_pinsker_bound_of_a_kl_near_float_max_in_other_units():
    # kl * log(base) overflows although sqrt(kl * log(base) / 2) is about 1e154
    import warnings

    import mpmath
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for kl, base in ((1e308, 10), (1.7e308, 2), (1e308, 1e300), (np.array([1e308, 0.5]), 10)):
            got = np.atleast_1d(kt.pinsker_bound(kl, base=base))
            with mpmath.workdps(40):
                exact = [float(mpmath.sqrt(mpmath.mpf(float(v)) * mpmath.log(base) / 2))
                         for v in np.atleast_1d(kl)]
            np.testing.assert_allclose(got, exact, rtol=1e-15)
    assert kt.pinsker_bound(np.inf) == np.inf


def _mp_js_root(p, q):
    with mpmath.workdps(50):
        p, q = [mpmath.mpf(float(v)) for v in p], [mpmath.mpf(float(v)) for v in q]
        sp, sq = mpmath.fsum(p), mpmath.fsum(q)
        total = 0
        for a, b in zip(p, q):
            a, b = a / sp, b / sq
            m = (a + b) / 2
            total += (a * mpmath.log(a / m) if a else 0) / 2 + (b * mpmath.log(b / m) if b else 0) / 2
        return float(mpmath.sqrt(total))


@pytest.mark.parametrize("p, q", [
    ([0.5, 0.5, 0.0], [0.5, 0.5, 1e-320]),        # JS = 3.5e-321 has 3 digits; 0 for 5e-324
    ([0.5, 0.5, 0.0], [0.5, 0.5, 5e-324]),
    ([0.5, 0.5, 1e-310, 0.0], [0.5, 0.5, 0.0, 1e-310]),
    ([0.5, 0.5, 1e-310], [0.5, 0.5, 1.0000001e-310]),
])
def test_js_distance_keeps_its_digits_when_js_underflows(p, q):
    assert kt.js_distance(p, q) == pytest.approx(_mp_js_root(p, q), rel=1e-15)
    assert kt.js_distance(p, q, base=2) == pytest.approx(_mp_js_root(p, q) / math.sqrt(math.log(2)), rel=1e-15)
    batch = kt.js_distance([p, [0.3, 0.7] + [0.0] * (len(p) - 2)], q)
    assert batch[0] == pytest.approx(_mp_js_root(p, q), rel=1e-15)
    assert batch[1] == pytest.approx(_mp_js_root([0.3, 0.7] + [0.0] * (len(p) - 2), q), rel=1e-14)


@pytest.mark.parametrize("kl", [5e-324, 1e-320, 2.0 ** -1000, 1e-300, 0.0853])
@pytest.mark.parametrize("base", [None, 2, 10])
def test_pinsker_bound_of_a_subnormal_kl_matches_mpmath(kl, base):
    # kl * log(base) / 2 underflowed: 0 for 5e-324 (truth 1.57e-162 nats), 3.8e-4 off for 1e-320 in bits
    with mpmath.workdps(50):
        expected = float(mpmath.sqrt(mpmath.mpf(kl) * (mpmath.log(base) if base else 1) / 2))
    assert pinsker_bound(kl, base=base) == pytest.approx(expected, rel=4e-16, abs=0)


@pytest.mark.parametrize("tail", [5e-324, 1.5e-323, 1e-320])
def test_total_variation_of_subnormal_differences_matches_mpmath(tail):
    # q = (.5, .5, tail) sums to 1 + tail exactly; halving each term underflowed to 0
    p, q = [0.5, 0.5, 0.0], [0.5, 0.5, tail]
    with mpmath.workdps(700):       # 1 - tail / 2 must be told from 1
        mq = [mpmath.mpf(v) for v in q]
        mq = [v / mpmath.fsum(mq) for v in mq]
        expected = float(mpmath.fsum(abs(mpmath.mpf(a) - b) for a, b in zip(p, mq)) / 2)
    assert expected > 0
    assert total_variation(p, q) == pytest.approx(expected, rel=1e-15, abs=0)
