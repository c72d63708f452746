"""Tests of klteach.discrete against closed forms, scipy and mpmath."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import klteach as kt
from klteach import DistributionError, discrete
from strategies import distributions, mp_entropy, mp_js, mp_kl, pairs, positive_distributions

LN2 = math.log(2)


# --- known values (COURSE.md, recomputed independently here) -----------------

def test_cat_classifier():
    # P = (1, 0), Q = (0.8, 0.2): D = log(1 / 0.8).
    assert kt.kl_divergence([1, 0], [0.8, 0.2]) == pytest.approx(math.log(1.25), rel=1e-15)
    assert kt.kl_divergence([1, 0], [0.8, 0.2], base=2) == pytest.approx(math.log2(1.25), rel=1e-15)
    assert round(kt.kl_divergence([1, 0], [0.8, 0.2]), 4) == 0.2231
    assert round(kt.kl_divergence([1, 0], [0.8, 0.2], base=2), 4) == 0.3219


def test_binomial_vs_uniform_both_directions():
    p, u = [0.36, 0.48, 0.16], [1 / 3] * 3
    assert kt.kl_divergence(p, u) == pytest.approx(float(mp_kl(p, u)), rel=1e-14)
    assert kt.kl_divergence(u, p) == pytest.approx(float(mp_kl(u, p)), rel=1e-14)
    assert [round(kt.kl_divergence(p, u), 4), round(kt.kl_divergence(u, p), 4)] == [0.0853, 0.0975]
    assert [round(kt.kl_divergence(p, u, base=2), 4), round(kt.kl_divergence(u, p, base=2), 4)] == [0.1231, 0.1406]


def test_dog_cat_cross_entropy_equals_kl_for_one_hot_labels():
    p = [1, 0]
    for q, bits in [([0.1, 0.9], 3.32), ([0.9, 0.1], 0.152)]:
        ce = kt.cross_entropy(p, q, base=2)
        assert ce == pytest.approx(-math.log2(q[0]), rel=1e-15)
        assert ce == pytest.approx(kt.kl_divergence(p, q, base=2), rel=1e-15)  # H(P) = 0
        assert round(ce, 3 if bits < 1 else 2) == bits


def test_seed_scipy_example_is_refused_and_normalised_values_are_right():
    p, q = [0.20, 0.40, 0.50], [0.60, 0.15, 0.05]
    assert sum(scipy.special.rel_entr(p, q)) == pytest.approx(1.3241, abs=5e-4)  # seed's 1.324
    with pytest.raises(DistributionError, match=r"p sums to 1\.1.*normalize"):
        kt.kl_divergence(p, q)
    pn, qn = kt.normalize(p), kt.normalize(q)
    assert kt.kl_divergence(pn, qn) == pytest.approx(float(mp_kl(p, q)), rel=1e-14)
    assert round(kt.kl_divergence(pn, qn), 4) == 0.8851
    assert round(kt.kl_divergence(qn, pn), 4) == 0.8146


def test_entropy_known_values():
    assert kt.entropy([0.5, 0.5], base=2) == 1.0
    assert kt.entropy([1, 0, 0]) == 0.0
    assert kt.entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0, rel=1e-15)
    assert kt.entropy([0.25, 0.75], base=10) == pytest.approx(float(mp_entropy([0.25, 0.75])) / math.log(10), rel=1e-14)


def test_js_known_values_and_bounds():
    assert kt.js_divergence([1, 0], [0, 1]) == pytest.approx(LN2, rel=1e-15)
    assert kt.js_divergence([1, 0], [0, 1], base=2) == pytest.approx(1.0, rel=1e-15)
    # scipy's jensenshannon is the distance, the square root of the divergence.
    p, q = [0.36, 0.48, 0.16], [0.1, 0.2, 0.7]
    dist = scipy.spatial.distance.jensenshannon(p, q)
    assert kt.js_divergence(p, q) == pytest.approx(dist**2, rel=1e-12)


# --- identities and conventions ------------------------------------------------

@given(distributions())
def test_kl_of_a_distribution_with_itself_is_zero(p):
    assert kt.kl_divergence(p, p) == 0.0
    assert kt.js_divergence(p, p) == 0.0


def test_zero_log_zero_is_zero_and_support_mismatch_is_inf(recwarn):
    assert kt.kl_divergence([0.5, 0.5, 0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2), rel=1e-15)
    assert kt.kl_divergence([0.5, 0.5], [1, 0]) == math.inf
    assert kt.kl_divergence([1, 0], [0.5, 0.5]) == pytest.approx(LN2, rel=1e-15)
    assert kt.cross_entropy([0.5, 0.5], [1, 0]) == math.inf
    assert math.isfinite(kt.js_divergence([0.5, 0.5], [1, 0]))
    assert len(recwarn) == 0, [str(w.message) for w in recwarn]


def test_extreme_ratios_match_mpmath():
    for p, q in [([0.5, 0.5], [1e-300, 1 - 1e-300]),
                 ([0.5, 0.5], [1e-320, 1 - 1e-320]),      # subnormal q
                 ([1e-320, 1 - 1e-320], [0.5, 0.5]),      # subnormal p
                 ([0.5, 0.5], [1e-10, 1 - 1e-10]),
                 ([1e-12, 1 - 1e-12], [0.999, 0.001])]:
        assert kt.kl_divergence(p, q) == pytest.approx(float(mp_kl(p, q)), rel=1e-12), (p, q)


def test_scalars_are_floats_and_batches_are_arrays():
    assert type(kt.kl_divergence([0.5, 0.5], [0.3, 0.7])) is float
    assert type(kt.entropy([0.5, 0.5])) is float
    rng = np.random.default_rng(0)
    p = kt.normalize(rng.random((4, 5)))
    q = kt.normalize(rng.random((4, 5)))
    batch = kt.kl_divergence(p, q)
    assert isinstance(batch, np.ndarray) and batch.shape == (4,)
    np.testing.assert_allclose(batch, scipy.stats.entropy(p, q, axis=1), rtol=1e-12)
    # axis=0: columns are the distributions.
    np.testing.assert_allclose(kt.kl_divergence(p.T, q.T, axis=0), batch, rtol=1e-15)
    # one distribution against a batch broadcasts
    np.testing.assert_allclose(kt.kl_divergence(p[0], q), [kt.kl_divergence(p[0], row) for row in q], rtol=1e-15)
    np.testing.assert_allclose(kt.js_divergence(p, q), [kt.js_divergence(a, b) for a, b in zip(p, q)], rtol=1e-15)
    np.testing.assert_allclose(kt.entropy(p, axis=-1), scipy.stats.entropy(p, axis=1), rtol=1e-12)


def test_bases():
    p, q = [0.2, 0.8], [0.6, 0.4]
    nats = kt.kl_divergence(p, q)
    assert kt.kl_divergence(p, q, base=2) == pytest.approx(nats / LN2, rel=1e-15)
    assert kt.kl_divergence(p, q, base=10) == pytest.approx(nats / math.log(10), rel=1e-15)
    assert kt.kl_divergence(p, q, base=math.e) == pytest.approx(nats, rel=1e-15)


def test_normalize():
    np.testing.assert_array_equal(kt.normalize([2, 3, 5]), [0.2, 0.3, 0.5])
    np.testing.assert_allclose(kt.normalize([[1, 1], [1, 3]]), [[0.5, 0.5], [0.25, 0.75]])
    np.testing.assert_allclose(kt.normalize([[1, 1], [1, 3]], axis=0), [[0.5, 0.25], [0.5, 0.75]])
    with pytest.raises(DistributionError, match="all zeros"):
        kt.normalize([0, 0])
    with pytest.raises(DistributionError, match="negative"):
        kt.normalize([1, -1])


def test_input_is_never_modified():
    p = np.array([0.2, 0.8])
    q = np.array([0.5, 0.5])
    kt.kl_divergence(p, q)
    kt.js_divergence(p, q)
    np.testing.assert_array_equal(p, [0.2, 0.8])
    np.testing.assert_array_equal(q, [0.5, 0.5])


def test_float32_softmax_output_is_accepted():
    logits = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    q = np.exp(logits) / np.exp(logits).sum()
    assert kt.kl_divergence([0.1, 0.2, 0.7], q) == pytest.approx(
        scipy.stats.entropy([0.1, 0.2, 0.7], q.astype(float)), rel=1e-6)


# --- bad input -------------------------------------------------------------------

@pytest.mark.parametrize("bad, pattern", [
    ([0.5, -0.2, 0.7], r"p has a negative entry -0\.2 at index 1.*>= 0"),
    ([0.5, np.nan, 0.5], r"p contains NaN at index 1"),
    ([0.5, np.inf, 0.5], r"p contains inf at index 1"),
    ([], r"p is empty"),
    ([0, 0, 0], r"p is all zeros"),
    (["a", "b", "c"], r"p must contain only numbers"),
    ("0.5", r"string"),
    ([0.5, None, 0.5], r"None is not a number"),
    ([[0.5, 0.5], [0.5]], r"could not be read as an array"),
    (0.5, r"single number"),
    ([1 + 0j, 0, 0], r"complex"),
    ([0.2, 0.4, 0.5], r"p sums to 1\.1, not 1.*klteach\.normalize\(p\)"),
    ([0.3, 0.3, 0.3], r"p sums to 0\.9"),
])
def test_bad_p_raises_a_specific_error(bad, pattern):
    q = [0.2, 0.3, 0.5]
    for call in (lambda: kt.kl_divergence(bad, q), lambda: kt.cross_entropy(bad, q),
                 lambda: kt.js_divergence(bad, q), lambda: kt.entropy(bad)):
        with pytest.raises(DistributionError, match=pattern):
            call()


def test_bad_q_is_named_q():
    with pytest.raises(DistributionError, match=r"^q has a negative entry"):
        kt.kl_divergence([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(DistributionError, match=r"^q sums to 0\.9"):
        kt.cross_entropy([0.5, 0.5], [0.4, 0.5])


def test_batch_errors_name_the_row():
    p = np.array([[0.5, 0.5], [0.6, 0.6]])
    with pytest.raises(DistributionError, match=r"p sums to 1\.2 in slice index 1 along axis 1"):
        kt.entropy(p)
    with pytest.raises(DistributionError, match=r"index \(1, 0\)"):
        kt.entropy([[0.5, 0.5], [np.nan, 1]])


def test_mismatched_shapes():
    with pytest.raises(DistributionError, match=r"p has 2 outcomes but q has 3"):
        kt.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(DistributionError, match=r"do not match or broadcast"):
        kt.js_divergence(np.full((2, 2), 0.5), np.full((3, 2), 0.5))


@pytest.mark.parametrize("base", [0, -2, 1, 1.0, math.inf, math.nan, "2", True, 1j])
def test_bad_base(base):
    with pytest.raises(DistributionError, match="base"):
        kt.kl_divergence([0.5, 0.5], [0.2, 0.8], base=base)
    with pytest.raises(DistributionError, match="base"):
        kt.entropy([0.5, 0.5], base=base)


def test_bad_axis():
    with pytest.raises(DistributionError, match="axis 2 is out of range"):
        kt.entropy([0.5, 0.5], axis=2)


def test_distribution_error_is_a_value_error():
    assert issubclass(DistributionError, ValueError)


# --- agreement with scipy on well-conditioned input -----------------------------

def test_agrees_with_scipy_on_random_input():
    rng = np.random.default_rng(42)
    for n in [2, 3, 10, 100, 10_000]:
        for _ in range(20):
            p = kt.normalize(rng.random(n) + 0.01)
            q = kt.normalize(rng.random(n) + 0.01)
            assert kt.kl_divergence(p, q) == pytest.approx(scipy.stats.entropy(p, q), rel=1e-12)
            assert kt.entropy(p) == pytest.approx(scipy.stats.entropy(p), rel=1e-12)
            assert kt.js_divergence(p, q) == pytest.approx(
                scipy.spatial.distance.jensenshannon(p, q) ** 2, rel=1e-10)


# --- accuracy on nearly identical distributions ---------------------------------

@st.composite
def near_identical(draw):
    """p and q = normalize(p * exp(eps * z)): KL is about eps**2 * var_p(z) / 2."""
    n = draw(st.integers(2, 60))
    p = draw(positive_distributions(size=n))
    z = np.array(draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n)))
    eps = 10.0 ** draw(st.floats(-9, -1))
    q = kt.normalize(p * np.exp(eps * z))
    return p, q


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(near_identical())
def test_kl_near_identical_matches_mpmath(pq):
    p, q = pq
    ref = mp_kl(p, q)
    assume(ref > 0)
    assert abs(kt.kl_divergence(p, q) - float(ref)) <= 1e-7 * float(ref)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(near_identical())
def test_js_near_identical_matches_mpmath(pq):
    p, q = pq
    ref = mp_js(p, q)
    assume(ref > 0)
    assert abs(kt.js_divergence(p, q) - float(ref)) <= 1e-7 * float(ref)


def test_accuracy_reaches_1e_17_where_scipy_fails():
    """The issue's accuracy target, at the smallest KL it names."""
    rng = np.random.default_rng(7)
    p = kt.normalize(rng.random(10) + 0.1)
    worst_scipy = 0.0
    for seed in range(20):
        z = np.random.default_rng(seed).standard_normal(10)
        q = kt.normalize(p * np.exp(6e-9 * z))
        ref = float(mp_kl(p, q))
        assert 1e-18 < ref < 1e-15
        assert abs(kt.kl_divergence(p, q) - ref) <= 1e-7 * ref
        worst_scipy = max(worst_scipy, abs(scipy.stats.entropy(p, q) - ref) / ref)
    assert worst_scipy > 1.0   # scipy is off by more than 100% here


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(distributions(max_size=30))
def test_entropy_matches_mpmath(p):
    # Absolute 1e-15: the float sum of p cannot see a deviation from 1 below
    # eps, which shifts the exactly normalised entropy by as much.
    assert kt.entropy(p) == pytest.approx(float(mp_entropy(p)), rel=1e-12, abs=1e-15)


# --- properties -----------------------------------------------------------------

@given(pairs(distributions))
def test_gibbs_inequality(pq):
    p, q = pq
    assert kt.kl_divergence(p, q) >= 0


@pytest.mark.slow
@given(pairs(distributions))
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    ce, h, d = kt.cross_entropy(p, q), kt.entropy(p), kt.kl_divergence(p, q)
    if math.isinf(d):
        assert math.isinf(ce)
    else:
        assert ce == pytest.approx(h + d, rel=1e-12, abs=1e-12)


@st.composite
def two_pairs(draw):
    n = draw(st.integers(2, 12))
    return [draw(positive_distributions(size=n)) for _ in range(4)]


@given(two_pairs(), st.floats(0, 1))
def test_joint_convexity(dists, lam):
    p1, q1, p2, q2 = dists
    p = kt.normalize(lam * p1 + (1 - lam) * p2)
    q = kt.normalize(lam * q1 + (1 - lam) * q2)
    mixed = kt.kl_divergence(p, q)
    assert mixed <= lam * kt.kl_divergence(p1, q1) + (1 - lam) * kt.kl_divergence(p2, q2) + 1e-12


@st.composite
def markov_kernels(draw, n):
    """A random n x m row-stochastic matrix (a noisy channel)."""
    m = draw(st.integers(1, 8))
    rows = [draw(positive_distributions(size=m)) for _ in range(n)]
    return np.array(rows)


@given(pairs(distributions).flatmap(lambda pq: st.tuples(st.just(pq), markov_kernels(len(pq[0])))))
def test_data_processing_inequality(args):
    (p, q), kernel = args
    out_p, out_q = kt.normalize(p @ kernel), kt.normalize(q @ kernel)
    assert kt.kl_divergence(out_p, out_q) <= kt.kl_divergence(p, q) + 1e-12


@given(pairs(distributions))
def test_pinsker_inequality(pq):
    p, q = pq
    tv = 0.5 * np.abs(p - q).sum()
    assert kt.kl_divergence(p, q) >= 2 * tv**2 - 1e-12


@given(pairs(distributions))
@example((np.array([1.0, 0.0]), np.array([1.0, 5e-324])))   # half of 5e-324 rounds to 0
def test_js_symmetric_and_bounded(pq):
    p, q = pq
    js = kt.js_divergence(p, q)
    assert js == pytest.approx(kt.js_divergence(q, p), rel=1e-12, abs=1e-15)
    assert 0 <= js <= LN2 + 1e-15
    assert kt.js_divergence(p, q, base=2) <= 1 + 1e-15


@given(pairs(distributions))
def test_contributions_sum_to_kl(pq):
    p, q = pq
    d = kt.kl_divergence(p, q)
    total = kt.kl_contributions(p, q).sum()
    if math.isinf(d):
        assert math.isinf(total)
    else:
        assert total == pytest.approx(d, rel=1e-9, abs=1e-12)


# --- edge cases: extreme inputs -------------------------------------

@pytest.mark.parametrize("f", [kt.kl_divergence, kt.js_divergence, kt.cross_entropy,
                               kt.jeffreys_divergence, kt.js_distance, kt.hellinger_distance,
                               kt.total_variation])
def test_vector_with_batch_along_axis_0_is_refused_not_misaligned(f):
    # Columns of p are the distributions (0.2, 0.8); numpy broadcasting would pair the
    # vector q with the *rows* of p, silently giving wrong numbers.
    p = np.array([[0.2, 0.2], [0.8, 0.8]])
    with pytest.raises(DistributionError, match=r"axis 0.*same number of dimensions"):
        f(p, [0.2, 0.8], axis=0)
    with pytest.raises(DistributionError, match=r"axis 0.*same number of dimensions"):
        f([0.2, 0.8], p, axis=0)
    # with the vector as a column, the pairing is explicit and right
    np.testing.assert_allclose(f(p, np.array([[0.2], [0.8]]), axis=0),
                               [f(column, [0.2, 0.8]) for column in p.T], rtol=1e-15)


@pytest.mark.parametrize("base", [0.5, 1e-300, 5e-324])
def test_base_below_one_is_refused(base):
    # log(base) < 0 would make every entropy and divergence negative (and js_distance NaN).
    for call in (lambda: kt.kl_divergence([0.5, 0.5], [0.2, 0.8], base=base),
                 lambda: kt.js_distance([0.5, 0.5], [0.2, 0.8], base=base),
                 lambda: kt.pinsker_bound(0.1, base=base)):
        with pytest.raises(DistributionError, match=r"base must be greater than 1"):
            call()


def test_contributions_of_nearly_normalised_input_sum_to_the_kl():
    # Within the sum tolerance, inputs are treated as exactly normalised everywhere.
    p, q = np.array([0.5, 0.5 + 9e-10]), np.array([0.5, 0.5])
    # the signed terms cancel to within about eps; unnormalised they were off by 9e-10
    assert kt.kl_contributions(p, q).sum() == pytest.approx(float(mp_kl(p, q)), abs=1e-15)
    logits = np.float32([1.0, 2.0, 3.0])
    q32 = np.exp(logits) / np.exp(logits).sum()
    p32 = np.float32([0.2, 0.3, 0.5])
    ref = float(mp_kl(p32.astype(float), q32.astype(float)))
    assert kt.kl_contributions(p32, q32).sum() == pytest.approx(ref, rel=1e-14)


def test_object_arrays_of_numbers_are_read_and_others_get_an_honest_message():
    from fractions import Fraction
    for good in ([Fraction(1, 2), Fraction(1, 2)], np.array([0.5, 0.5], dtype=object)):
        assert kt.entropy(good) == pytest.approx(math.log(2), rel=1e-15)
    with pytest.raises(DistributionError) as info:
        kt.entropy(np.array([1, 0], dtype="timedelta64[s]"))
    assert "None" not in str(info.value) and "dtype" in str(info.value)


def test_float16_tolerance_is_not_ten_percent():
    # 100 eps of float16 is 0.098: a vector summing to 1.05 must still be refused...
    with pytest.raises(DistributionError, match=r"p sums to 1\.04"):
        kt.entropy(np.float16([0.5, 0.55]))
    # ...while float16 softmax outputs (sums off by a few eps16) are accepted.
    x = np.random.default_rng(0).standard_normal(1000).astype(np.float16) * 3
    e = np.exp(x - x.max())
    q = (e / e.sum()).astype(np.float16)
    assert kt.entropy(q) == pytest.approx(float(mp_entropy(q.astype(float))), rel=1e-12)


@pytest.mark.parametrize("base, name", [(None, "nats"), (2, "bits"), (2.0, "bits"), (10, "hartleys"),
                                        (3, "base-3 units"), (1.5, "base-1.5 units")])
def test_unit_names(base, name):
    from klteach._validation import unit_name
    assert unit_name(base) == name


# --- accuracy at every t, float16 normalisation, per-outcome terms, blocked pass -------

def _mp_gap_terms(p, q, dps=80):
    """P log(P/Q) + Q - P per outcome, with mpmath on the exactly normalised p and q."""
    with mpmath.workdps(dps):
        pm, qm = [mpmath.mpf(float(x)) for x in p], [mpmath.mpf(float(x)) for x in q]
        sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
        return [b / sq if a == 0 else mpmath.inf if b == 0 else
                (a / sp) * mpmath.log((a / sp) / (b / sq)) + b / sq - a / sp for a, b in zip(pm, qm)]


EPS = np.finfo(float).eps
# q / p - 1 on both sides of every switch between formulas (1e-4, -0.4 and 2/3: the
# old series cut-offs; -0.5: the series range now, and before it the log-ratio form),
# and far out. The series' other end, t = 1, is in the test after this one.
T_GRID = np.unique(np.concatenate([
    s * np.geomspace(1e-8, 0.95, 300) for s in (1, -1)] + [
    c * (1 + np.array([-1e-6, 0, 1e-6])) for c in (1e-4, -1e-4, -0.4, 2 / 3, -0.5, 0.5)]))


@pytest.mark.slow
def test_kl_and_its_terms_are_accurate_to_a_few_ulp_at_every_t():
    # p = (1/2, 1/2), q = (1/2 (1 + t), 1/2 (1 - t)): one term at t, one at -t.
    worst_kl = worst_term = 0.0
    for t in T_GRID:
        q0 = 0.5 + 0.5 * t
        p, q = np.array([0.5, 0.5]), np.array([q0, 1 - q0])
        ref_terms = _mp_gap_terms(p, q)
        ref = mpmath.fsum(ref_terms)
        worst_kl = max(worst_kl, float(abs(kt.kl_divergence(p, q) - ref) / ref))
        for c, r in zip(kt.kl_contributions(p, q), ref_terms):
            worst_term = max(worst_term, float(abs(c - r) / r))
    assert worst_kl <= 4 * EPS       # was 1.3e-12 near |t| = 1e-4
    assert worst_term <= 6 * EPS


@pytest.mark.slow
def test_terms_are_accurate_on_both_sides_of_the_series_end_at_t_1():
    # p = (1/4, 3/4), q = (1/4 (1 + t), 1 - 1/4 (1 + t)): the first term at t (from 0.5 to 3,
    # the series' end t = 1 on both sides), the second at -t / 3.
    worst_kl = worst_term = 0.0
    for t in np.concatenate([[0.5, 0.9, 1.5, 2.0, 2.9, 3.0 - 1e-9], 1 + np.array([-1e-6, -1e-15, 0, 1e-15, 1e-6])]):
        p, q = np.array([0.25, 0.75]), np.array([0.25 * (1 + t), 1 - 0.25 * (1 + t)])
        ref_terms = _mp_gap_terms(p, q)
        ref = mpmath.fsum(ref_terms)
        worst_kl = max(worst_kl, float(abs(kt.kl_divergence(p, q) - ref) / ref))
        for c, r in zip(kt.kl_contributions(p, q), ref_terms):
            worst_term = max(worst_term, float(abs(c - r) / r))
    assert worst_kl <= 4 * EPS
    assert worst_term <= 6 * EPS


def test_extreme_ratios_of_terms_match_mpmath():
    for p, q in [([0.5, 0.5], [1e-300, 1 - 1e-300]), ([0.5, 0.5], [5e-324, 1.0]),
                 ([1e-320, 1 - 1e-320], [0.5, 0.5]), ([1e-300, 1 - 1e-300], [1e-301, 1 - 1e-301]),
                 ([0.25, 0.75], [0.0, 1.0]), ([0.0, 1.0], [0.25, 0.75])]:
        ref = _mp_gap_terms(p, q, dps=400)
        got = kt.kl_contributions(p, q)
        for c, r in zip(got, ref):
            if mpmath.isinf(r) or r == 0:
                assert c == float(r)
            else:
                assert c == pytest.approx(float(r), rel=1e-14, abs=0), (p, q)


def test_float16_inputs_are_normalised_with_the_exact_sums():
    # float16 softmax outputs sum to 1 only within ~1e-3: the normalisation correction
    # must be exact to high order, and the JS mixture must be of the normalised P and Q.
    rng = np.random.default_rng(11)
    worst_sum = 0.0
    for _ in range(20):
        x = rng.standard_normal((2, 12)) * 2
        e = np.exp(x - x.max(axis=1, keepdims=True))
        p16, q16 = (e / e.sum(axis=1, keepdims=True)).astype(np.float16)
        p, q = p16.astype(float), q16.astype(float)
        worst_sum = max(worst_sum, abs(p.sum() - 1), abs(q.sum() - 1))
        assert kt.kl_divergence(p16, q16) == pytest.approx(float(mp_kl(p, q)), rel=1e-14)
        assert kt.js_divergence(p16, q16) == pytest.approx(float(mp_js(p, q)), rel=1e-13)
        np.testing.assert_allclose(kt.kl_contributions(p16, q16), [float(r) for r in _mp_gap_terms(p, q)],
                                   rtol=1e-14, atol=0)
    assert worst_sum > 1e-4    # far from 1 in float64 terms: the correction matters


def test_js_mixes_the_normalised_distributions():
    # p sums to 1 + 5e-3 and q to 1 - 5e-3 (float16 tolerance): M must be (P + Q) / 2, not
    # (p + q) / (sum p + sum q).
    p = np.float16([0.3, 0.3, 0.405])
    q = np.float16([0.5, 0.2, 0.295])
    assert abs(float(p.astype(float).sum()) - 1) > 4e-3
    ref = float(mp_js(p.astype(float), q.astype(float)))
    assert kt.js_divergence(p, q) == pytest.approx(ref, rel=1e-14, abs=0)


def test_contributions_are_nonnegative_and_sum_to_the_kl():
    rng = np.random.default_rng(2)
    for eps in (0.5, 1e-3, 1e-6, 1e-9):
        p = kt.normalize(rng.random(30) + 0.05)
        q = kt.normalize(p * np.exp(eps * rng.standard_normal(30)))
        c = kt.kl_contributions(p, q)
        assert (c >= 0).all()
        ref = float(mp_kl(p, q))
        assert c.sum() == pytest.approx(ref, rel=1e-13, abs=0)
        assert c.sum() == pytest.approx(kt.kl_divergence(p, q), rel=1e-13, abs=0)
        np.testing.assert_allclose(c, [float(r) for r in _mp_gap_terms(p, q)], rtol=1e-14)
    # bits, zeros and infinities
    c = kt.kl_contributions([0.5, 0.5, 0.0], [0.25, 0.5, 0.25], base=2)
    np.testing.assert_allclose(c, [0.5 - 0.25 / math.log(2), 0.0, 0.25 / math.log(2)], rtol=1e-15)
    assert kt.kl_contributions([0.5, 0.5], [1.0, 0.0])[1] == math.inf


def test_contributions_follow_axis():
    rng = np.random.default_rng(4)
    p, q = kt.normalize(rng.random((3, 5))), kt.normalize(rng.random((3, 5)))
    rows = kt.kl_contributions(p, q)
    np.testing.assert_array_equal(kt.kl_contributions(p.T, q.T, axis=0), rows.T)
    np.testing.assert_allclose(rows.sum(axis=1), kt.kl_divergence(p, q), rtol=1e-14)
    np.testing.assert_allclose(kt.kl_contributions(p[0], q), [kt.kl_contributions(p[0], row) for row in q])


@pytest.mark.parametrize("shape, axis", [((3 * 16384 + 7,), -1), ((40, 1000), -1), ((1000, 40), 0), ((3, 20000), 1)])
def test_blocked_pass_matches_scipy_on_large_input(shape, axis):
    # Larger than one block of the one-pass loop, in every layout the loop handles.
    rng = np.random.default_rng(8)
    p, q = kt.normalize(rng.random(shape) + 0.01, axis=axis), kt.normalize(rng.random(shape) + 0.01, axis=axis)
    np.testing.assert_allclose(kt.kl_divergence(p, q, axis=axis), scipy.stats.entropy(p, q, axis=axis), rtol=1e-12)
    np.testing.assert_allclose(kt.js_divergence(p, q, axis=axis),
                               scipy.spatial.distance.jensenshannon(p, q, axis=axis) ** 2, rtol=1e-10)
    np.testing.assert_allclose(kt.kl_divergence(p.astype(np.float32), q.astype(np.float32), axis=axis),
                               scipy.stats.entropy(p.astype(np.float32).astype(float),
                                                   q.astype(np.float32).astype(float), axis=axis), rtol=1e-12)
    if len(shape) == 2 and axis in (-1, 1):   # one distribution against the batch
        np.testing.assert_allclose(kt.kl_divergence(p[0], q),
                                   scipy.stats.entropy(np.broadcast_to(p[0], q.shape), q, axis=1),
                                   rtol=1e-12)


def test_blocked_pass_reports_bad_entries_in_any_block():
    n = 3 * 16384 + 7
    p = np.full(n, 1 / n)
    for i, value, pattern in [(n - 1, np.nan, rf"q contains NaN at index {n - 1}"),
                              (40000, -1e-6, r"q has a negative entry -1e-06 at index 40000")]:
        q = p.copy()
        q[i] = value
        for f in (kt.kl_divergence, kt.js_divergence):
            with pytest.raises(DistributionError, match=pattern):
                f(p, q)
    with pytest.raises(DistributionError, match=r"p sums to 1\.5"):
        kt.kl_divergence(p * 1.5, p)


@pytest.mark.slow
def test_near_identical_large_input_matches_mpmath():
    rng = np.random.default_rng(9)
    n = 2 * 16384 + 3
    p = kt.normalize(rng.random(n) + 0.1)
    q = kt.normalize(p * np.exp(1e-7 * rng.standard_normal(n)))
    ref = float(mp_kl(p, q, dps=40))
    assert kt.kl_divergence(p, q) == pytest.approx(ref, rel=1e-12, abs=0)


def test_signed_contributions_are_p_log_p_over_q():
    def mp_signed(p, q, dps=400):
        with mpmath.workdps(dps):
            pm, qm = [mpmath.mpf(float(x)) for x in p], [mpmath.mpf(float(x)) for x in q]
            sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
            return [mpmath.mpf(0) if a == 0 else mpmath.inf if b == 0 else
                    (a / sp) * mpmath.log((a / sp) / (b / sq)) for a, b in zip(pm, qm)]
    rng = np.random.default_rng(6)
    p = kt.normalize(rng.random(20) + 0.05)
    cases = [(p, kt.normalize(p * np.exp(1e-9 * rng.standard_normal(20)))),
             (p, kt.normalize(rng.random(20))),
             ([0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0.0, 0.0]), ([0.5, 0.5, 0.0, 0.0], [0.25] * 4),
             ([1e-320, 1 - 1e-320], [0.5, 0.5])]
    for p, q in cases:
        got = kt.kl_contributions(p, q, signed=True)
        for c, r in zip(got, mp_signed(p, q)):
            if mpmath.isinf(r) or r == 0:
                assert c == float(r)
            else:
                assert c == pytest.approx(float(r), rel=1e-14, abs=0)


@pytest.mark.slow
def test_bounds_hold_exactly_despite_rounding():
    # Disjoint supports give JS = ln 2 exactly in theory; uniform P gives H = log n.
    rng = np.random.default_rng(12)
    for _ in range(2000):
        n = int(rng.integers(1, 6))
        w = rng.random(2 * n)
        p, q = np.r_[kt.normalize(w[:n]), np.zeros(n)], np.r_[np.zeros(n), kt.normalize(w[n:])]
        assert kt.js_divergence(p, q) <= LN2
        assert kt.js_divergence(p, q, base=2) <= 1.0
        assert kt.js_divergence(np.stack([p, q]), np.stack([q, p])).max() <= LN2
    for n in range(1, 300):
        u = np.full(n, 1 / n)
        assert kt.entropy(u) <= math.log(n)
        assert kt.entropy(u, base=2) <= math.log2(n)
        assert kt.entropy(u, base=10) <= math.log10(n)
        assert kt.entropy(u) == pytest.approx(math.log(n), rel=4 * EPS, abs=0)


# --- js_divergence's one-pair paths (Python floats up to 24 outcomes, scipy's log1p(x) - x up to 70, numpy
# beyond) ------

JS_SIZES = [1, 2, 7, 24, 25, 70, 71, 200, 2048, 2049, 5000]   # both sides of each switch between paths


@pytest.mark.parametrize("n", [25, 50, 70])
def test_js_without_scipys_log1pmx_takes_the_numpy_path(monkeypatch, n):
    # _log1pmx is not public scipy: a scipy without it must still give the same numbers
    rng = np.random.default_rng(n)
    p = kt.normalize(rng.random(n) + 0.1)
    pairs = [(p, kt.normalize(rng.random(n) ** 3)), (p, kt.normalize(p * np.exp(1e-7 * rng.standard_normal(n))))]
    with_it = [kt.js_divergence(a, b) for a, b in pairs]
    monkeypatch.setattr(discrete, "_log1pmx", None)
    for (a, b), got in zip(pairs, with_it):
        ref = float(mp_js(a, b, dps=50))
        assert got == pytest.approx(ref, rel=8 * EPS, abs=0)
        assert kt.js_divergence(a, b) == pytest.approx(ref, rel=8 * EPS, abs=0)


def _js_general(p, q):
    """The general (batch) path on the same pair: a one-row batch."""
    return float(kt.js_divergence(np.asarray(p)[None, :], np.asarray(q)[None, :])[0])


def _pair_with_t(rng, n, t):
    """p, q of n outcomes in pairs (w/2, w/2) against (w (1 + t)/2, w (1 - t)/2), in random order.

    The pairs keep both sums equal, so each outcome's (Q - P) / (Q + P) is
    t / (2 + t) or -t / (2 - t): from about t / 2 for small t to -1 as t -> 1.
    """
    w = rng.random(n // 2) + 0.1
    t = np.resize(np.asarray(t, dtype=float), n // 2) * rng.choice([-1.0, 1.0], n // 2)
    p = np.concatenate([w / 2, w / 2, [0.3] * (n % 2)])
    q = np.concatenate([w * (1 + t) / 2, w * (1 - t) / 2, [0.3] * (n % 2)])
    order = rng.permutation(n)
    return kt.normalize(p[order]), kt.normalize(q[order])


@pytest.mark.parametrize("n", [25, 70, 71, 2048])
def test_js_paths_keep_their_digits_where_s_rounds_near_one(n):
    # the numpy path computes g(s) on s itself when every entry lies above 2**-40, and clips s below that, where a
    # ratio near 2**-53 could round s to +-1 (atanh's pole): entries on both sides of 2**-40, and far below it
    rng = np.random.default_rng(700 + n)
    base = kt.normalize(rng.random(n) + 0.5)
    for tiny in (2.0 ** -40 * 1.001, 2.0 ** -40 * 0.999, 1e-17, 3e-300):
        p, q = base.copy(), base.copy()
        p[0], q[1] = tiny, tiny * 0.5
        p, q = kt.normalize(p), kt.normalize(q)
        ref = float(mp_js(p, q, dps=50))
        assert kt.js_divergence(p, q) == pytest.approx(ref, rel=8 * EPS, abs=0)   # (warnings fail the test)
        assert kt.js_divergence(q, p) == pytest.approx(ref, rel=8 * EPS, abs=0)


@pytest.mark.slow
@pytest.mark.parametrize("n", JS_SIZES)
def test_js_paths_match_mpmath_at_every_s(n):
    # |s| from 5e-10 (near-identical) through the switch of formulas at 0.7 (t = 14/17) to
    # 1 - 2e-12 (p / q ~ 1e12), all |s| in one vector and one |s| at a time.
    rng = np.random.default_rng(n)
    ts = np.concatenate([np.geomspace(1e-9, 0.8, 12), 14 / 17 * (1 + np.array([-1e-9, 0, 1e-9])),
                         1 - np.geomspace(0.15, 1e-12, 8)])
    worst = 0.0
    for t in [ts] + list(ts):
        p, q = _pair_with_t(rng, n, t)
        ref = float(mp_js(p, q, dps=50))
        got = kt.js_divergence(p, q)
        if n == 1:
            assert ref == got == 0.0
            continue
        worst = max(worst, abs(got - ref) / ref)
        assert _js_general(p, q) == pytest.approx(got, rel=1e-13, abs=0)
    assert worst <= 16 * EPS, worst


@pytest.mark.slow
@pytest.mark.parametrize("n", JS_SIZES[1:])
def test_js_paths_handle_zeros_and_disjoint_supports(n):
    rng = np.random.default_rng(100 + n)
    w = rng.random(n) + 0.1
    half = n // 2
    p = kt.normalize(np.where(np.arange(n) < half, w, 0.0))      # disjoint supports: ln 2
    q = kt.normalize(np.where(np.arange(n) < half, 0.0, w))
    assert kt.js_divergence(p, q) == pytest.approx(LN2, rel=4 * EPS, abs=0)
    assert kt.js_divergence(p, q) <= LN2 and kt.js_divergence(p, q, base=2) <= 1.0
    # zeros in p only, in q only, and in both at the same outcomes
    for zp, zq in [(np.arange(n) % 3 == 0, np.zeros(n, bool)), (np.zeros(n, bool), np.arange(n) % 4 == 1),
                   (np.arange(n) % 3 == 0, np.arange(n) % 3 == 0)]:
        if zp.all() or zq.all():
            continue
        p, q = kt.normalize(np.where(zp, 0.0, w)), kt.normalize(np.where(zq, 0.0, rng.random(n) + 0.1))
        ref = float(mp_js(p, q, dps=50))
        got = kt.js_divergence(p, q)
        assert got == pytest.approx(ref, rel=16 * EPS, abs=0)
        assert _js_general(p, q) == pytest.approx(got, rel=1e-13, abs=0)


@pytest.mark.slow
@pytest.mark.parametrize("n", JS_SIZES[1:])
def test_js_paths_on_near_identical_and_unnormalised_input(n):
    rng = np.random.default_rng(200 + n)
    p = kt.normalize(rng.random(n) + 0.1)
    for eps in (1e-3, 1e-6, 1e-9):
        q = kt.normalize(p * np.exp(eps * rng.standard_normal(n)))
        ref = float(mp_js(p, q, dps=50))
        assert kt.js_divergence(p, q) == pytest.approx(ref, rel=16 * EPS, abs=0)
    # sums off by up to 9e-10 (inside the tolerance): the normalised P and Q are meant
    q = kt.normalize(p * np.exp(1e-6 * rng.standard_normal(n)))
    for fp, fq in [(1 + 9e-10, 1.0), (1.0, 1 - 9e-10), (1 - 5e-10, 1 + 8e-10)]:
        ref = float(mp_js(p * fp, q * fq, dps=50))
        assert kt.js_divergence(p * fp, q * fq) == pytest.approx(ref, rel=16 * EPS, abs=0)


@pytest.mark.slow
@pytest.mark.parametrize("n", [15000, 15001, 15361, 2 * 15360 + 5])
def test_js_one_pass_and_blocked_paths_match_mpmath(n):
    # the longest one-pass pair, the shortest blocked one, and several blocks
    rng = np.random.default_rng(500 + n)
    p = kt.normalize(rng.random(n) + 0.1)
    for q in (kt.normalize(p * np.exp(1e-7 * rng.standard_normal(n))), kt.normalize(rng.random(n) ** 4)):
        assert kt.js_divergence(p, q) == pytest.approx(float(mp_js(p, q, dps=40)), rel=16 * EPS, abs=0)


@pytest.mark.slow
@pytest.mark.parametrize("n", JS_SIZES[1:])
def test_js_paths_agree_with_low_precision_input(n):
    # float16 and float32 take the general path, their normalised float64 copies the one-pair
    # paths: the same distributions, so the same JS, and both match mpmath.
    rng = np.random.default_rng(300 + n)
    for dtype in (np.float32, np.float16):
        p_low, q_low = (kt.normalize(rng.random(n) + 0.1).astype(dtype) for _ in range(2))
        p, q = p_low.astype(float), q_low.astype(float)
        ref = float(mp_js(p, q, dps=50))
        assert kt.js_divergence(p_low, q_low) == pytest.approx(ref, rel=16 * EPS, abs=0)
        assert kt.js_divergence(kt.normalize(p), kt.normalize(q)) == pytest.approx(ref, rel=1e-14, abs=0)


@pytest.mark.parametrize("n", JS_SIZES[1:])
def test_js_paths_refuse_bad_entries_with_the_detailed_error(n):
    # every sign pattern of a negative entry (the numpy path detects them without a minimum)
    rng = np.random.default_rng(400 + n)
    p0 = kt.normalize(rng.random(n) + 0.1)
    i, j = n - 1, 0
    cases = []
    keep = p0[i]
    for a, b in [(-0.25, keep), (keep, -0.25), (-0.25, -0.25), (-0.25, 0.0), (0.0, -0.25), (-1e-300, keep),
                 (keep, -1e-300)]:
        p, q = p0.copy(), p0.copy()
        p[i], q[i] = a, b
        p[j] += p0[i] - a          # keep the sums at 1, so that only the sign is wrong
        q[j] += p0[i] - b
        name, value = ("p", a) if a < 0 else ("q", b)
        cases.append((p, q, rf"^{name} has a negative entry {value} at index {i}"))
    for value, pattern in [(np.nan, "contains NaN"), (np.inf, "contains inf"), (1e308, "sums to")]:
        p = p0.copy()
        p[i] = value
        cases.append((p, p0, rf"^p {pattern}"))
    cases.append((p0 * 1.01, p0, r"^p sums to 1\.01"))
    cases.append((p0, p0 * 0.99, r"^q sums to 0\.99"))
    for p, q, pattern in cases:        # (a floating-point warning on the way fails the test too)
        with pytest.raises(DistributionError, match=pattern):
            kt.js_divergence(p, q)


@pytest.mark.parametrize("n", [200, 2049, 7600])
def test_js_and_kl_of_outcomes_along_axis_0_keep_their_digits(n):
    # a strided block (axis=0 input, a transpose) was summed left to right, not pairwise: 39 eps at n = 7600
    rng = np.random.default_rng(10)
    p, q = rng.random((n, 2)), rng.random((n, 2))
    p, q = p / p.sum(0), q / q.sum(0)
    js_ref, kl_ref = float(mp_js(p[:, 0], q[:, 0], dps=40)), float(mp_kl(p[:, 0], q[:, 0]))
    for got in (kt.js_divergence(p, q, axis=0)[0], kt.js_divergence(p.T, q.T)[0]):
        assert got == pytest.approx(js_ref, rel=4 * EPS, abs=0)
    assert kt.kl_divergence(p, q, axis=0)[0] == pytest.approx(kl_ref, rel=4 * EPS, abs=0)
    assert type(kt.js_divergence(np.ascontiguousarray(p[:, 0]), np.ascontiguousarray(q[:, 0]))) is float


def test_js_of_a_subnormal_entry_is_exact_in_every_path():
    # 5e-324 against 0: the divergence is 5e-324 * ln 2 / 2 rounded, i.e. 0 in float64, in the short
    # Python path (2 outcomes), the numpy path (41 outcomes) and a batch; never a ZeroDivisionError.
    for n in (2, 41):
        p, q = np.zeros(n), np.zeros(n)
        p[0] = q[0] = 1.0
        q[1] = 5e-324
        for a, b in ((p, q), (q, p)):
            assert kt.js_divergence(a, b) == 0.0
            assert kt.js_divergence(a, b, base=2) == 0.0
            # its root is a normal float: sqrt(JS), JS = t ln 2 / 2 + O(t^2) for t = 5e-324 (mpmath)
            with mpmath.workdps(30):
                root = float(mpmath.sqrt(mpmath.mpf(5e-324) * mpmath.log(2) / 2))
            assert kt.js_distance(a, b) == pytest.approx(root, rel=1e-15, abs=0)
    assert np.all(kt.js_divergence(np.stack([p, q]), np.stack([q, p])) == 0.0)

# --- kl_contributions(signed=True): accurate when q >> p or q << p ----------------------

def _mp_signed_terms(p, q):
    """p_i log(p_i / q_i) for the normalised p / sum(p), q / sum(q), at 60 digits."""
    with mpmath.workdps(60):
        P = [mpmath.mpf(float(x)) for x in p]
        Q = [mpmath.mpf(float(x)) for x in q]
        sp, sq = mpmath.fsum(P), mpmath.fsum(Q)
        return [(a / sp) * mpmath.log((a / sp) / (b / sq)) if a else mpmath.mpf(0) for a, b in zip(P, Q)]


@pytest.mark.parametrize("p0", [1e-300, 1e-100, 1e-20, 1e-12, 1e-8, 1e-4, 0.1, 0.3, 0.49, 0.4999999, 0.5,
                                0.5000001, 0.7, 0.9, 1 - 1e-9, 1 - 1e-15])
def test_signed_contributions_against_mpmath_two_outcomes(p0):
    # q = (0.5, 0.5) far above and below p: each bare term to a few eps relative.
    p, q = [p0, 1 - p0], [0.5, 0.5]
    got = kt.kl_contributions(p, q, signed=True)
    for g, r in zip(got, _mp_signed_terms(p, q)):
        assert g == pytest.approx(float(r), rel=1e-14, abs=0 if r else 1e-300)


def test_signed_contributions_far_apart_and_random():
    # The reported case: the small term was 0.0 (all digits lost), now -p log(q/p).
    assert kt.kl_contributions([1e-20, 1 - 1e-20], [0.5, 0.5], signed=True)[0] == \
        pytest.approx(float(_mp_signed_terms([1e-20, 1 - 1e-20], [0.5, 0.5])[0]), rel=1e-14)
    # q far below p (t rounds to -1 for q < eps p): finite, not inf.
    got = kt.kl_contributions([0.5, 0.5], [1e-30, 1 - 1e-30], signed=True)
    np.testing.assert_allclose(got, [float(r) for r in _mp_signed_terms([0.5, 0.5], [1e-30, 1 - 1e-30])],
                               rtol=1e-14)
    rng = np.random.default_rng(20261201)
    for _ in range(200):
        k = int(rng.integers(2, 6))
        p = rng.dirichlet(np.full(k, 0.3)) * 10.0 ** rng.uniform(-12, 0, k)
        q = rng.dirichlet(np.full(k, 0.3)) * 10.0 ** rng.uniform(-12, 0, k)
        p, q = p / p.sum(), q / q.sum()
        got = kt.kl_contributions(p, q, signed=True)
        ref = _mp_signed_terms(p, q)
        for g, r in zip(got, ref):
            assert g == pytest.approx(float(r), rel=1e-13, abs=1e-300)


@pytest.mark.parametrize("p0", [1e-300, 1e-100, 1e-20, 1e-10])
@pytest.mark.parametrize("ratio", [0.4, 0.27, 0.49, 1e-3])
def test_signed_contributions_of_rare_outcomes_below_half_keep_their_digits(p0, ratio):
    # q < p / 2 at a rare outcome: log a - log b of two large logs lost 65 eps at 1e-100 (633 at 1e-300)
    p, q = [p0, 0.5, 0.5], [ratio * p0, 0.5, 0.5]
    got = kt.kl_contributions(p, q, signed=True)[0]
    assert got == pytest.approx(float(_mp_signed_terms(p, q)[0]), rel=8 * EPS, abs=0)


@pytest.mark.parametrize("q0", [5e-324, 1e-320, 3e-310, 2.2e-308])
def test_signed_contributions_whose_ratio_is_subnormal_keep_their_digits(q0):
    # from a review: q / p subnormal has lost digits, and -p log(q / p) was 1.4e-4 off (223.0024 for 222.9708)
    p, q = [0.3, 0.7], [q0, 1.0]
    got = kt.kl_contributions(p, q, signed=True)
    np.testing.assert_allclose(got, [float(r) for r in _mp_signed_terms(p, q)], rtol=8 * EPS, atol=0)


@pytest.mark.slow
def test_entropy_of_many_outcomes_is_within_a_few_ulp():
    # the documented accuracy: a few units in the last place of H, also for 20 000 outcomes
    rng = np.random.default_rng(3)
    for n in (10, 1000, 20_000):
        p = rng.dirichlet(np.full(n, 0.5))
        with mpmath.workdps(30):
            s = mpmath.fsum(mpmath.mpf(float(x)) for x in p)
            h = float(-mpmath.fsum((mpmath.mpf(float(x)) / s) * mpmath.log(mpmath.mpf(float(x)) / s)
                                   for x in p if x > 0))
        assert abs(kt.entropy(p) - h) <= 4 * np.spacing(h)


@pytest.mark.parametrize("p", [[1e-17, 1.0], [1e-17, 1.0, 0.0], [3e-17, 1 - 1e-16], [1e-10, 1.0], [2e-300, 1.0],
                               [0.5, 0.5 + 1e-17, 1e-18], [1e-3, 0.999]])
def test_entropy_of_a_nearly_deterministic_p_keeps_its_digits(p):
    # [1e-17, 1] sums to 1.0 in float64 but is 1e-17 more: log of the rounded total made its entropy
    # 3.914e-16 for 4.014e-16 (2.5% off); cross-entropy had the same log. Reference: mpmath at 700 digits
    # on the exactly normalised float inputs (700 digits hold 1 + 2e-300 exactly).
    import mpmath

    with mpmath.workdps(700):
        s = mpmath.fsum(mpmath.mpf(x) for x in p)
        h = -mpmath.fsum(mpmath.mpf(x) / s * mpmath.log(mpmath.mpf(x) / s) for x in p if x > 0)
        q = [x * 0.5 + 0.5 / len(p) for x in p]   # for the cross-entropy: a Q that is not P
        t = mpmath.fsum(mpmath.mpf(x) for x in q)
        ce = -mpmath.fsum(mpmath.mpf(x) / s * mpmath.log(mpmath.mpf(y) / t) for x, y in zip(p, q) if x > 0)
    assert kt.entropy(p) == pytest.approx(float(h), rel=4 * EPS, abs=0)
    assert kt.cross_entropy(p, p) == pytest.approx(float(h), rel=4 * EPS, abs=0)
    assert kt.entropy(np.array([p, p]).T, axis=0) == pytest.approx([float(h)] * 2, rel=4 * EPS, abs=0)
    assert kt.cross_entropy(p, q) == pytest.approx(float(ce), rel=4 * EPS, abs=0)


@pytest.mark.parametrize("seed", range(6))
def test_near_identical_inputs_whose_sums_differ_within_tolerance_keep_their_digits(seed):
    # P and Q 1e-14 apart, each summing to 1 within the 1e-9 tolerance but not to the same
    # amount: total / sum(p) and the normalisation term were both ~1e-19 and their difference,
    # D ~ 1e-29, kept 4 to 6 digits (up to 2e-4 relative). Reference: mpmath at 60 digits on the
    # exactly normalised float inputs.
    import mpmath

    from klteach.symmetric import jeffreys_divergence
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 12))
    p = rng.dirichlet(np.ones(n))
    q = p * (1 + 1e-14 * rng.standard_normal(n))
    p = p / p.sum() * (1 - 9e-10)
    q = q / q.sum() * (1 + 9e-10)
    with mpmath.workdps(60):
        pm = [mpmath.mpf(float(x)) for x in p]
        qm = [mpmath.mpf(float(x)) for x in q]
        pm = [x / sum(pm) for x in pm]
        qm = [x / sum(qm) for x in qm]
        kl_pq = sum(a * mpmath.log(a / b) for a, b in zip(pm, qm))
        kl_qp = sum(b * mpmath.log(b / a) for a, b in zip(pm, qm))
    assert kt.kl_divergence(p, q) == pytest.approx(float(kl_pq), rel=1e-9, abs=0)
    assert jeffreys_divergence(p, q) == pytest.approx(float(kl_pq + kl_qp), rel=1e-9, abs=0)
    batch = kt.kl_divergence(np.stack([p, p]), np.stack([q, p]))
    assert batch[0] == pytest.approx(float(kl_pq), rel=1e-9, abs=0) and batch[1] == 0.0


@pytest.mark.parametrize("x, axis, where", [
    ([1e-300, 1e300], -1, "x[0]"),                      # share 1e-600 (exact: 10**-600)
    ([5e-324, 1.0, 1.0], -1, "x[0]"),                   # share 2.5e-324 rounds to 0
    ([[1.0, 1e-300], [1.0, 1e300]], 0, "x[0, 1]"),
    ([1e308, 1e308, 1e-300], -1, "x[2]"),               # the sum overflows: rescaled first
    ([1.7e308, 1.7e308, 1e-17], -1, "x[2]"),
])
def test_normalize_refuses_a_positive_weight_whose_share_would_become_zero(x, axis, where):
    # Exact shares from Fractions of the binary values: positive, yet below the smallest subnormal
    # (half of it rounds to 0), so float64 would turn a possible outcome into an impossible one.
    arr = np.asarray(x, dtype=float)
    slices = np.moveaxis(arr, axis, -1).reshape(-1, arr.shape[axis])
    exact = [Fraction(v) / sum(map(Fraction, row)) for row in slices for v in row]
    assert any(0 < s < Fraction(np.nextafter(0.0, 1.0)) / 2 for s in exact)
    with pytest.raises(DistributionError, match=re.escape(where) + r" = .* below the smallest float"):
        kt.normalize(x, axis=axis)


def test_normalize_keeps_tiny_shares_that_are_floats():
    # 1e-200 / 2e-200 and 5e-324 / 1 are representable: nothing to refuse (against exact Fractions).
    assert list(kt.normalize([1e-200, 1e-200])) == [0.5, 0.5]
    got = kt.normalize([5e-324, 1.0])
    assert got[0] == float(Fraction(5e-324) / (Fraction(5e-324) + 1)) and got[0] > 0


def test_js_of_short_inputs_sums_its_terms_exactly():
    # one dominant outcome and 27 equal small ones, P and Q nearly identical: the Python-float path summed its 28
    # terms left to right and lost 10.8 eps of the 11.5 eps it was off; math.fsum keeps the terms' own accuracy
    x, s0 = 0.11341315651779138, 7.528941037264247e-4
    y = x * (1 + s0) / (1 - s0)
    p, q = np.array([x] + [(1 - x) / 27] * 27), np.array([y] + [(1 - y) / 27] * 27)
    ref = mp_js(p, q, dps=50)
    assert kt.js_divergence(p, q) == pytest.approx(float(ref), rel=2 * EPS, abs=0)


def test_terms_of_inputs_summing_to_1_keep_their_digits_when_the_float_sums_round():
    # both sum to exactly 1 (as fractions), but np.sum(q) = 0.9999999999999999 and np.sum(q - p) = -3.5e-18: the
    # rounded sums put 3.5e-18 into t = 1e-6 (terms 0 and 3 were 31,000 eps off) and moved t = -0.5 to the log
    # form (term 1, 8 eps). Reference: mpmath on the inputs as given, which need no normalising
    from fractions import Fraction

    p = np.array([0.0009765625006852852, 0.5, 0.49804687499862943, 0.0009765625006852852])
    q = np.array([0.0009765634772477862, 0.25, 0.7480468749986294, 0.0009765615241227842])
    assert sum(map(Fraction, p)) == 1 and sum(map(Fraction, q)) == 1 and np.sum(q - p) != 0
    with mpmath.workdps(60):
        ref = [mpmath.mpf(a) * mpmath.log(mpmath.mpf(a) / mpmath.mpf(b)) for a, b in zip(p, q)]
        for signed in (False, True):
            got = kt.kl_contributions(p, q, signed=signed)
            for c, r, a, b in zip(got, ref, p, q):
                truth = r if signed else r + mpmath.mpf(b) - mpmath.mpf(a)
                assert abs(c - truth) <= 4 * EPS * abs(truth), (signed, c, truth)


@pytest.mark.parametrize("p, q, axis", [(np.array([0.9999999999999999]), np.ones((3, 1)), -1),
                                        (np.array([[0.9999999999999999]]), np.ones((1, 3)), 0)])
def test_one_vector_against_a_batch_redone_row_by_row(p, q, axis):
    # rows whose KL is far below its rounding are redone with the normalisation in every term; one p against a
    # batch has one sum of p, and rows from the second on raised IndexError. Both normalise to (1): KL 0
    assert np.array_equal(kt.kl_divergence(p, q, axis=axis), np.zeros(3))
