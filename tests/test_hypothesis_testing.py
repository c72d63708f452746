"""Tests of klteach.hypothesis_testing against mpmath binomial sums, brute force over tests,
scipy's optimiser and exact dice sums."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from scipy import optimize, stats

from klteach import DistributionError, exponential_tilt, neyman_pearson_binomial


def mp_binom(n, k, p):
    return mpmath.binomial(n, k) * mpmath.mpf(p) ** k * (1 - mpmath.mpf(p)) ** (n - k)


def mp_np_test(p, q, n, alpha, dps=60):
    """The randomised most powerful test built at high precision, directly from the likelihood ratio."""
    with mpmath.workdps(dps):
        ks = list(range(n + 1))
        llr = {k: k * mpmath.log(mpmath.mpf(p) / q) + (n - k) * mpmath.log((1 - mpmath.mpf(p)) / (1 - mpmath.mpf(q)))
               for k in ks}
        order = sorted(ks, key=lambda k: llr[k])              # reject P first where the ratio is smallest
        used, beta = mpmath.mpf(0), mpmath.mpf(0)
        for i, k in enumerate(order):
            pk = mp_binom(n, k, p)
            if used + pk <= alpha:
                used += pk
                continue
            gamma = (mpmath.mpf(alpha) - used) / pk
            beta = (1 - gamma) * mp_binom(n, k, q) + mpmath.fsum(mp_binom(n, j, q) for j in order[i + 1:])
            return float(mpmath.log(beta)), k, float(gamma)


@pytest.mark.parametrize("p, q, n, alpha", [(0.5, 0.3, 100, 0.05), (0.5, 0.3, 7, 0.05), (0.2, 0.6, 40, 0.01),
                                            (0.9, 0.85, 300, 0.1), (0.5, 0.3, 2000, 0.05), (0.3, 0.5, 2000, 0.05)])
def test_type_two_error_matches_the_likelihood_ratio_test_built_in_mpmath(p, q, n, alpha):
    t = neyman_pearson_binomial(p, q, n, alpha)
    log_beta, k, gamma = mp_np_test(p, q, n, alpha)
    assert t.log_beta == pytest.approx(log_beta, rel=1e-10, abs=1e-12)
    assert t.threshold == k and t.gamma == pytest.approx(gamma, rel=1e-9, abs=1e-12)


def exact_np_test(p, q, n, alpha):
    """The test from exact big-integer binomial sums (p, q read as the decimals written, alpha as its float's
    exact value): threshold c, gamma as a Fraction, and log(beta) in mpmath (log1p of the exact complement
    when beta is near 1)."""
    p, q, a = Fraction(str(p)), Fraction(str(q)), Fraction(alpha)
    if p < q:                                   # count tails: P then favours the upper end
        p, q = 1 - p, 1 - q
    pn, pd = p.numerator, p.denominator
    term, cum, k, target = (pd - pn) ** n, 0, 0, a * pd ** n      # term = C(n,k) pn^k (pd-pn)^(n-k)
    while cum + term <= target:
        cum += term
        term = term * pn * (n - k) // ((pd - pn) * (k + 1))
        k += 1
    c, gamma = k, (target - cum) / term
    qn, qd = q.numerator, q.denominator
    t = qc = math.comb(n, c) * qn ** c * (qd - qn) ** (n - c)
    upper = 0
    for j in range(c, n):
        t = t * qn * (n - j) // ((qd - qn) * (j + 1))
        upper += t
    beta = upper + (1 - gamma) * qc             # times qd**n
    num, den = beta.numerator, beta.denominator * qd ** n
    with mpmath.workdps(40):
        if 2 * (den - num) < den:
            return float(mpmath.log1p(-mpmath.mpf(den - num) / den)), c, gamma
        return float(mpmath.log(num) - mpmath.log(den)), c, gamma


EXACT_CASES = [(0.5, 0.3, 10_000, 0.05), (0.3, 0.5, 10_000, 0.05),
               (0.5, 0.3, 11_191, 0.05),               # gamma = 0.99859: Q(K > c) carries almost all of beta
               (0.5, 0.3, 10, 1e-300), (0.5, 0.3, 2000, 1e-300), (0.5, 0.3, 5000, 1e-300)]   # beta near 1
EXACT_CASES += [(0.02, 0.005, 5000, 0.05), (0.999, 0.99, 5000, 0.01)]   # skewed coins: sums cut at 50 sd
SLOW_EXACT_CASES = [(0.5, 0.3, 100_000, 0.05), (0.5, 0.45, 200_000, 0.05)]


def _check_against_exact(p, q, n, alpha):
    t = neyman_pearson_binomial(p, q, n, alpha)
    log_beta, c, gamma = exact_np_test(p, q, n, alpha)
    assert t.threshold == (c if p > q else n - c)
    assert t.gamma == pytest.approx(float(gamma), rel=1e-10, abs=1e-300)
    assert t.log_beta == pytest.approx(log_beta, rel=1e-10, abs=0)
    assert t.log_beta <= 0


@pytest.mark.parametrize("p, q, n, alpha", EXACT_CASES)
def test_type_two_error_matches_exact_big_integer_tail_sums(p, q, n, alpha):
    _check_against_exact(p, q, n, alpha)


@pytest.mark.slow
@pytest.mark.parametrize("p, q, n, alpha", SLOW_EXACT_CASES)
def test_type_two_error_matches_exact_big_integer_tail_sums_at_large_n(p, q, n, alpha):
    _check_against_exact(p, q, n, alpha)


def test_alpha_at_a_jump_of_the_cdf_leaves_a_finite_error():
    """alpha = P(K <= 3) exactly (a dyadic sum for a fair coin): no randomising is needed, beta = Q(K > 3) > 0."""
    n, c = 12, 3
    alpha = sum(math.comb(n, k) for k in range(c + 1)) / 2 ** n
    t = neyman_pearson_binomial(0.5, 0.3, n, alpha)
    exact = sum(Fraction(math.comb(n, k)) * Fraction(3, 10) ** k * Fraction(7, 10) ** (n - k)
                for k in range(c + 1, n + 1))
    assert math.isfinite(t.log_beta)
    assert t.log_beta == pytest.approx(math.log(exact), rel=1e-12)


def test_type_one_error_is_exactly_alpha():
    for p, q, n in [(0.5, 0.3, 100), (0.2, 0.6, 40)]:
        t = neyman_pearson_binomial(p, q, n, 0.05)
        k = np.arange(n + 1)
        if t.accept == "high":
            reject = stats.binom.pmf(k, n, p) @ ((k < t.threshold) + t.gamma * (k == t.threshold))
        else:
            reject = stats.binom.pmf(k, n, p) @ ((k > t.threshold) + t.gamma * (k == t.threshold))
        assert reject == pytest.approx(0.05, rel=1e-12)


def test_no_test_on_the_count_of_heads_beats_it_at_the_same_type_one_error():
    """Brute force: all 2**9 deterministic tests that look at the number of heads in 8 flips."""
    p, q, n, alpha = 0.5, 0.3, 8, 0.1
    best = neyman_pearson_binomial(p, q, n, alpha).beta
    pk, qk = stats.binom.pmf(np.arange(n + 1), n, p), stats.binom.pmf(np.arange(n + 1), n, q)
    worse_or_equal = 0
    for accept in itertools.product([0, 1], repeat=n + 1):
        a = np.array(accept, dtype=bool)
        if pk[~a].sum() <= alpha + 1e-15:
            assert qk[a].sum() >= best - 1e-15
            worse_or_equal += 1
    assert worse_or_equal > 10


def test_stein_exponent_approaches_the_kl_from_below_with_the_square_root_correction():
    p, q, alpha = 0.5, 0.3, 0.05
    d = p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q))
    v = p * math.log(p / q) ** 2 + (1 - p) * math.log((1 - p) / (1 - q)) ** 2 - d ** 2
    gaps = []
    for n in [1000, 10_000, 100_000, 1_000_000]:
        rate = -neyman_pearson_binomial(p, q, n, alpha).log_beta / n
        assert rate < d
        second = d + math.sqrt(v / n) * stats.norm.ppf(alpha)
        assert abs(rate - second) < abs(rate - d)
        gaps.append(math.sqrt(n) * abs(rate - second))
    assert d - rate < 0.001
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 0.01


def test_mirrored_coins_give_the_same_error():
    a = neyman_pearson_binomial(0.3, 0.5, 500)
    b = neyman_pearson_binomial(0.7, 0.5, 500)
    assert a.log_beta == pytest.approx(b.log_beta, rel=1e-12) and a.accept == "low" and b.accept == "high"
    assert a.threshold == 500 - b.threshold


def test_tiny_errors_do_not_underflow():
    t = neyman_pearson_binomial(0.5, 0.1, 20_000)
    assert t.beta == 0.0 and math.isfinite(t.log_beta) and t.log_beta < -5000


@pytest.mark.parametrize("args, words", [((0.5, 0.5, 10), "two different coins"), ((0.0, 0.3, 10), "strictly between"),
                                         ((0.5, 1.2, 10), "strictly between"), ((0.5, 0.3, 0), "positive integer"),
                                         ((0.5, 0.3, 2.5), "positive integer"), ((0.5, 0.3, 10, 1.0), "alpha"),
                                         (("0.5", 0.3, 10), "number")])
def test_bad_input_is_refused_with_a_clear_message(args, words):
    with pytest.raises(DistributionError, match=words):
        neyman_pearson_binomial(*args)


def test_tilt_matches_a_constrained_minimisation_by_scipy():
    rng = np.random.default_rng(3)
    for _ in range(5):
        p = rng.dirichlet(np.ones(5))
        values = rng.normal(size=5)
        m = p @ values + 0.3 * (values.max() - p @ values)
        t = exponential_tilt(p, values, m)
        res = optimize.minimize(lambda r: np.sum(r * np.log(r / p)), p, method="SLSQP",
                                bounds=[(1e-12, 1)] * 5, options={"ftol": 1e-14, "maxiter": 500},
                                constraints=[{"type": "eq", "fun": lambda r: r.sum() - 1},
                                             {"type": "eq", "fun": lambda r: r @ values - m}])
        assert t.kl == pytest.approx(res.fun, rel=1e-6)
        assert t.distribution == pytest.approx(res.x, abs=1e-5)
        assert t.distribution @ values == pytest.approx(m, rel=1e-12)


def test_tilt_of_a_fair_die_in_mpmath():
    with mpmath.workdps(50):
        f = lambda lam: mpmath.fsum(k * mpmath.exp(lam * k) for k in range(1, 7)) / \
            mpmath.fsum(mpmath.exp(lam * k) for k in range(1, 7)) - 4
        lam = mpmath.findroot(f, 0.2)
        log_m = mpmath.log(mpmath.fsum(mpmath.exp(lam * k) for k in range(1, 7)) / 6)
        kl = lam * 4 - log_m
    t = exponential_tilt(np.full(6, 1 / 6), np.arange(1, 7), 4.0)
    assert t.lam == pytest.approx(float(lam), rel=1e-12)
    assert t.kl == pytest.approx(float(kl), rel=1e-12)
    in_bits = exponential_tilt(np.full(6, 1 / 6), np.arange(1, 7), 4.0, base=2).kl
    assert in_bits == pytest.approx(float(kl) / math.log(2))


def test_sanov_exact_dice_probabilities_approach_the_tilt_exponent():
    kl = exponential_tilt(np.full(6, 1 / 6), np.arange(1, 7), 4.0).kl
    dist, rates = np.array([1.0]), []
    for n in range(1, 2001):
        dist = np.convolve(dist, np.full(6, 1 / 6))          # P(sum of n rolls = n + j)
        if n in (100, 500, 2000):
            rates.append(-np.log(dist[3 * n:].sum()) / n)   # sum >= 4n
    assert all(r > kl for r in rates) and rates == sorted(rates, reverse=True)
    assert rates[-1] - kl < 0.002


def test_large_tilts_do_not_overflow():
    t = exponential_tilt(np.full(6, 1 / 6), np.arange(1, 7) * 1000.0, 5999.0)
    assert np.all(np.isfinite(t.distribution)) and t.distribution[-1] > 0.99


@pytest.mark.parametrize("args, words", [(([0.5, 0.5], [1, 2], 2.0), "strictly between"),
                                         (([0.5, 0.5], [1, 2], 3.0), "strictly between"),
                                         (([0.5, 0.6], [1, 2], 1.5), "sums to"),
                                         (([0.5, 0.5], [1, 2, 3], 1.5), "one number per outcome"),
                                         (([0.5, 0.5], [1, np.nan], 1.5), "finite"),
                                         (([0.5, 0.5, 0.0], [1, 2, 3], 2.5), "strictly between"),
                                         (([0.5, 0.5], [1, 2], float("nan")), "finite number")])
def test_tilt_bad_input_is_refused(args, words):
    with pytest.raises(DistributionError, match=words):
        exponential_tilt(*args)


def test_tilt_out_of_range_messages_say_one_thing_each():
    with pytest.raises(DistributionError) as outside:
        exponential_tilt([0.5, 0.5], [1, 2], 3.0)
    with pytest.raises(DistributionError) as at_end:
        exponential_tilt([0.5, 0.5], [1, 2], 2.0)
    assert "outside that range" in str(outside.value) and "point mass" not in str(outside.value)
    assert "point mass" in str(at_end.value) and "outside" not in str(at_end.value)
    for e in (outside, at_end):
        assert "other than" not in str(e.value) and "Choose a mean inside (1, 2)" in str(e.value)


def mp_tilt(p, values, mean, dps=100):
    """The tilt by bisection in mpmath on the exact binary values: lam = u / S with S the largest
    |v - m|, u found to 2**-500 from sum p (v - m) e^{lam (v - m)} = 0 (its sign in logs)."""
    with mpmath.workdps(dps):
        p = [mpmath.mpf(x) for x in p]
        p = [x / mpmath.fsum(p) for x in p]
        c = [mpmath.mpf(float(x)) - mpmath.mpf(float(mean)) for x in values]
        scale = max(abs(x) for x in c)

        def sign(u):
            pos = mpmath.fsum(pi * ci * mpmath.exp(u * ci / scale) for pi, ci in zip(p, c) if ci > 0)
            neg = mpmath.fsum(-pi * ci * mpmath.exp(u * ci / scale) for pi, ci in zip(p, c) if ci < 0)
            return mpmath.log(pos) - mpmath.log(neg)

        a, b = mpmath.mpf(-1), mpmath.mpf(1)
        while sign(a) > 0:
            a *= 2
        while sign(b) < 0:
            b *= 2
        for _ in range(560):
            mid = (a + b) / 2
            a, b = (a, mid) if sign(mid) > 0 else (mid, b)
        u = (a + b) / 2
        w = [pi * mpmath.exp(u * ci / scale) for pi, ci in zip(p, c)]
        w = [x / mpmath.fsum(w) for x in w]
        kl = mpmath.fsum(wi * mpmath.log(wi / pi) for wi, pi in zip(w, p))
        return np.array([float(x) for x in w]), float(u / scale), float(kl)


_BIG = np.finfo(float).max


@pytest.mark.parametrize("p, values, mean", [
    ([0.5, 0.5], [-1.7e308, 1.7e308], 1e307),        # v - m and hi - lo overflow; lam 3.5e-310
    ([0.5, 0.5], [1e308, 1.7e308], 1.5e308),         # lam 1.3e-308 (was 0.731 for 5/7)
    ([0.25, 0.5, 0.25], [-1e300, 0.0, 1e300], 1e299),   # lam 2e-301 (was stopped at the bracket)
    ([0.2, 0.3, 0.5], [-_BIG, 3.0, _BIG], -0.94 * _BIG),
    ([0.1] * 10, list(np.linspace(-0.85e308, 0.85e308, 10) * 2), 1.5e308),
    ([1 / 3] * 3, [-1e-300, 0.0, 1e300], 1e-310),    # the top weight 5e-601 underflows; lam does not
    ([1 / 3] * 3, [0.0, 1e-300, _BIG], 1e-310),      # lam -2.3e301
    ([0.5, 0.5], [0.0, 1e-305], 3e-306),              # spread scaled up; lam -8.5e304
])
def test_tilt_across_the_float_range_matches_mpmath(p, values, mean):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = exponential_tilt(p, values, mean)
    dist, lam, kl = mp_tilt(p, values, mean)
    assert t.distribution == pytest.approx(dist, rel=1e-12, abs=0)
    assert t.lam == pytest.approx(lam, rel=1e-12) and t.kl == pytest.approx(kl, rel=1e-12)


def test_tilt_with_a_lam_beyond_the_float_range_is_refused_clearly():
    # Values 1e-320 apart: lam is about 4.6e300 * 2**64, which no float holds.
    with pytest.raises(DistributionError, match=r"beyond the largest float.*Multiply values and mean"):
        exponential_tilt([0.5, 0.5], [0.0, 1e-320], 3e-321)
    # the same tilt on values 2**1000 times larger (exact) is fine
    t = exponential_tilt([0.5, 0.5], [0.0, math.ldexp(1e-320, 1000)], math.ldexp(3e-321, 1000))
    assert t.distribution @ [0.0, math.ldexp(1e-320, 1000)] == pytest.approx(math.ldexp(3e-321, 1000),
                                                                               rel=1e-12)


@pytest.mark.parametrize("p, q, n, alpha", [(0.5, 0.3, 20, 1 - 2**-50), (0.3, 0.5, 5, 1 - 1e-15),
                                            (0.3, 0.5, 5, 0.999999), (0.5, 0.3, 200, 0.5), (0.5, 0.3, 200, 0.9),
                                            (0.3, 0.5, 60, 1 - 2**-40), (0.02, 0.005, 500, 0.999)])
def test_alpha_near_one_keeps_every_digit(p, q, n, alpha):
    """alpha and P(K <= c) both near 1: 1 - gamma is formed from 1 - alpha and P's upper tail, not from their
    difference (which left -44.1807 for -44.8739 at alpha = 1 - 2**-50); against exact big-integer sums."""
    t = neyman_pearson_binomial(p, q, n, alpha)
    log_beta, c, gamma = exact_np_test(p, q, n, alpha)
    assert t.threshold == (c if p > q else n - c)
    assert t.gamma == pytest.approx(float(gamma), rel=1e-12)
    assert t.log_beta == pytest.approx(log_beta, rel=1e-12, abs=0)


@pytest.mark.parametrize("p, values, mean", [
    ([0.2, 0.3, 0.5], [-1.0, 1.0, 1e300], 0.0),
    ([0.2, 0.3, 0.5], [-1e-300, 1e-300, 1e300], 0.0),
    ([1e-300, 1 - 2e-300, 1e-300], [0.0, 1.0, 2.0], 1.5),
])
def test_exponential_tilt_meets_its_stated_accuracy_at_extreme_scales(p, values, mean):
    """The docstring promises about 1e-12 relative (not the last digit). Reference: mp_tilt, the root of
    sum p (v - m) e^(lam (v - m)) by bisection in mpmath at 100 digits."""
    tilted, lam, kl = mp_tilt(p, values, mean)
    got = exponential_tilt(p, values, mean)
    assert got.lam == pytest.approx(lam, rel=1e-12)
    assert got.kl == pytest.approx(kl, rel=1e-12)
    np.testing.assert_allclose(got.distribution, tilted, rtol=1e-12)
