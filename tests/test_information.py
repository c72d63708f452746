"""Tests of klteach.information against mpmath, scipy.stats.entropy and brute-force definitions."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import klteach as kt
from klteach import DistributionError
from klteach.information import conditional_kl, merge_outcomes, mutual_information
from strategies import distributions, positive_distributions


def mp_mutual_information(joint, dps=60):
    """sum p(x,y) log(p(x,y) / (p(x) p(y))) at high precision, marginals summed in mpmath."""
    with mpmath.workdps(dps):
        j = [[mpmath.mpf(float(v)) for v in row] for row in np.asarray(joint)]
        total = mpmath.fsum(v for row in j for v in row)
        j = [[v / total for v in row] for row in j]
        px = [mpmath.fsum(row) for row in j]
        py = [mpmath.fsum(col) for col in zip(*j)]
        return mpmath.fsum(v * mpmath.log(v / (px[x] * py[y]))
                           for x, row in enumerate(j) for y, v in enumerate(row) if v > 0)


def joints(max_side=6, min_value=0.0):
    """Joint tables with at least 2 rows and 2 columns, normalised."""
    return st.tuples(st.integers(2, max_side), st.integers(2, max_side)).flatmap(
        lambda s: distributions(size=s[0] * s[1], min_value=min_value).map(lambda p: p.reshape(s)))


RNG = np.random.default_rng(20240816)
TABLES = [RNG.dirichlet(np.ones(12)).reshape(3, 4) for _ in range(5)] + [
    np.array([[0.4, 0.1], [0.1, 0.4]]), np.array([[0.5, 0.0], [0.0, 0.5]]),
    np.array([[0.2, 0.0, 0.1], [0.0, 0.3, 0.4]])]


@pytest.mark.parametrize("joint", TABLES)
def test_mutual_information_matches_mpmath(joint):
    assert mutual_information(joint) == pytest.approx(float(mp_mutual_information(joint)), rel=1e-13, abs=1e-16)


@pytest.mark.parametrize("joint", TABLES)
def test_mutual_information_is_the_entropy_identity_by_scipy(joint):
    hx = scipy.stats.entropy(joint.sum(axis=1), base=2)
    hy = scipy.stats.entropy(joint.sum(axis=0), base=2)
    hxy = scipy.stats.entropy(joint.ravel(), base=2)
    assert mutual_information(joint, base=2) == pytest.approx(hx + hy - hxy, rel=1e-12, abs=1e-14)


def test_known_values():
    # a fair bit copied: 1 bit; a binary symmetric channel with crossover 0.2: 1 - h(0.2) bits
    assert mutual_information([[0.5, 0], [0, 0.5]], base=2) == pytest.approx(1.0, rel=1e-15)
    h = -(0.2 * math.log2(0.2) + 0.8 * math.log2(0.8))
    assert mutual_information([[0.4, 0.1], [0.1, 0.4]], base=2) == pytest.approx(1 - h, rel=1e-14)


def test_independent_tables_give_exactly_zero():
    px, py = np.array([0.25, 0.75]), np.array([0.5, 0.125, 0.375])    # dyadic: the outer product is exact
    assert mutual_information(np.outer(px, py)) == 0.0


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(joints())
def test_mutual_information_is_between_zero_and_the_smaller_entropy(joint):
    mi = mutual_information(joint)
    assert mi >= 0
    assert mi <= min(kt.entropy(kt.normalize(joint.sum(axis=1))), kt.entropy(kt.normalize(joint.sum(axis=0)))) + 1e-12


def test_mutual_information_matches_sklearn_style_counts_from_labels():
    # I(X;Y) from a sample of label pairs, counted by brute force into a table
    rng = np.random.default_rng(1)
    xs = rng.integers(0, 3, 500)
    ys = (xs + rng.integers(0, 2, 500)) % 4
    table = np.zeros((3, 4))
    for x, y in zip(xs, ys):
        table[x, y] += 1
    direct = sum(c / 500 * math.log((c / 500) / ((xs == x).mean() * (ys == y).mean()))
                 for (x, y), c in np.ndenumerate(table) if c)
    assert mutual_information(kt.normalize(table.ravel()).reshape(3, 4)) == pytest.approx(direct, rel=1e-12)


@pytest.mark.parametrize("bad, words", [
    ([0.5, 0.5], "2-D table"),
    ([[[0.5, 0.5]]], "2-D table"),
    ([[0.5, 0.6], [0.1, 0.1]], "sums to 1.3"),
    ([[0.5, -0.1], [0.3, 0.3]], "negative"),
    ([[0.5, np.nan], [0.3, 0.2]], "NaN"),
    ([[12, 30], [18, 40]], "klteach.normalize"),
    ("abc", "string"),
])
def test_mutual_information_refuses_bad_tables(bad, words):
    with pytest.raises(DistributionError, match=words):
        mutual_information(bad)


def test_mutual_information_refuses_a_bad_base():
    with pytest.raises(DistributionError, match="base"):
        mutual_information([[0.5, 0], [0, 0.5]], base=1)


# --- conditional KL and the chain rule ---

def brute_conditional(p, q):
    """sum_x p(x) sum_y p(y|x) log(p(y|x) / q(y|x)), by loops over the table."""
    total = 0.0
    for x in range(p.shape[0]):
        px, qx = p[x].sum(), q[x].sum()
        for y in range(p.shape[1]):
            if p[x, y] > 0:
                total += p[x, y] * math.log((p[x, y] / px) / (q[x, y] / qx))
    return total


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(st.tuples(st.integers(2, 5), st.integers(2, 5)).flatmap(
    lambda s: st.tuples(positive_distributions(size=s[0] * s[1]).map(lambda p: p.reshape(s)),
                        positive_distributions(size=s[0] * s[1]).map(lambda p: p.reshape(s)))))
def test_chain_rule_holds_and_matches_brute_force(pq):
    p, q = pq
    joint = kt.kl_divergence(p.ravel(), q.ravel())
    marginal = kt.kl_divergence(kt.normalize(p.sum(axis=1)), kt.normalize(q.sum(axis=1)))
    cond = conditional_kl(p, q)
    assert cond == pytest.approx(brute_conditional(p, q), rel=1e-9, abs=1e-13)
    assert marginal + cond == pytest.approx(joint, rel=1e-9, abs=1e-13)


def test_conditional_kl_zero_rows_and_support():
    p = np.array([[0.5, 0.5], [0.0, 0.0]])
    q = np.array([[0.25, 0.25], [0.25, 0.25]])
    assert conditional_kl(p, q) == 0.0             # the conditionals agree where P lives
    assert conditional_kl(q, p) == math.inf        # row 2 has P-probability 0.5 and Q-probability 0
    assert conditional_kl([[0.5, 0.0], [0.25, 0.25]], [[0.25, 0.25], [0.25, 0.25]], base=2) == pytest.approx(0.5)


def test_conditional_kl_refuses_mismatched_shapes():
    with pytest.raises(DistributionError, match="shape"):
        conditional_kl(np.full((2, 3), 1 / 6), np.full((3, 2), 1 / 6))


# --- merging outcomes and the data processing inequality ---

def test_merge_outcomes_sums_each_group():
    np.testing.assert_allclose(merge_outcomes([0.1, 0.2, 0.3, 0.4], [1, 0, 1, 0]), [0.6, 0.4])
    np.testing.assert_array_equal(merge_outcomes([0.5, 0.5], [2, 2], n_groups=4), [0, 0, 1, 0])


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(st.integers(2, 12).flatmap(lambda n: st.tuples(
    distributions(size=n), distributions(size=n), st.lists(st.integers(0, 3), min_size=n, max_size=n))))
def test_data_processing_inequality_for_every_grouping(args):
    p, q, groups = args
    before = kt.kl_divergence(p, q)
    after = kt.kl_divergence(kt.normalize(merge_outcomes(p, groups)), kt.normalize(merge_outcomes(q, groups)))
    assert after <= before * (1 + 1e-12) + 1e-15


@pytest.mark.parametrize("groups, words", [
    ([0, 1], "one group per outcome"),
    ([0, -1, 1], "negative"),
    ([0, 0.5, 1], "whole numbers"),
    (["a", "b", "c"], "whole numbers"),
])
def test_merge_outcomes_refuses_bad_groups(groups, words):
    with pytest.raises(DistributionError, match=words):
        merge_outcomes([0.2, 0.3, 0.5], groups)


def test_merge_outcomes_refuses_too_few_groups_and_bad_p():
    with pytest.raises(DistributionError, match="n_groups"):
        merge_outcomes([0.2, 0.3, 0.5], [0, 1, 2], n_groups=2)
    with pytest.raises(DistributionError, match="sums to"):
        merge_outcomes([0.2, 0.3, 0.6], [0, 1, 1])


def test_mutual_information_when_the_product_of_marginals_underflows():
    # p(x) p(y) = (5e-232)^2 underflows to 0 where the joint has 2.6e-232: not infinite
    t = 2.55817926e-232
    joint = np.array([[1.0 - 3 * t, t], [t, t]])
    # 600 digits: the table sums to 1 + 3t, which 60 digits round to 1 (a reference off by t)
    assert mutual_information(joint) == pytest.approx(float(mp_mutual_information(joint, dps=600)), rel=1e-12,
                                                      abs=0)


def test_f_divergence_terms_do_not_overflow_for_tiny_q():
    p, q = np.array([0.5, 0.5]), np.array([1.0 - 1.2e-307, 1.2e-307])
    for name in ("js", "kl", "squared_hellinger", "tv"):
        assert np.isfinite(kt.f_divergence(p, q, name)), name
    assert kt.f_divergence(p, q, "js") == pytest.approx(kt.js_divergence(p, q), rel=1e-12)


def _nearly_independent(delta, tail=None):
    joint = np.outer([0.3, 0.7], [0.4, 0.6])
    joint += delta * np.array([[1.0, -1.0], [-1.0, 1.0]])
    if tail is not None:        # a third row and column holding one far-tail cell: p(x) p(y) underflows
        joint = np.pad(joint, ((0, 1), (0, 1)))
        joint[2, 2] = tail
    return joint


@pytest.mark.parametrize("delta, rel", [(1e-10, 1e-12), (1e-12, 1e-10)])
@pytest.mark.parametrize("tail", [None, 1e-170])
def test_mutual_information_of_nearly_independent_tables_keeps_its_digits(delta, rel, tail):
    # I about 1e-20 and 1e-24: summing p log(p / (px py)) cancels (1e-17 came back), and a rounded
    # outer(px, py) is off by eps sqrt(I) absolute (7e-6 relative at 1e-24)
    joint = _nearly_independent(delta, tail)
    assert mutual_information(joint) == pytest.approx(float(mp_mutual_information(joint)), rel=rel, abs=0)
    assert mutual_information(joint, base=2) == pytest.approx(
        float(mp_mutual_information(joint) / mpmath.log(2)), rel=rel, abs=0)


def _mp_conditional_kl(p_joint, q_joint, dps=60):
    """sum_x sum_y p(x,y) log(p(y|x) / q(y|x)) in mpmath, each table normalised at high precision."""
    with mpmath.workdps(dps):
        def read(t):
            t = [[mpmath.mpf(float(v)) for v in row] for row in np.asarray(t)]
            s = mpmath.fsum(v for row in t for v in row)
            return [[v / s for v in row] for row in t]
        total = 0
        for rp, rq in zip(read(p_joint), read(q_joint)):
            a, b = mpmath.fsum(rp), mpmath.fsum(rq)
            total += mpmath.fsum(x * mpmath.log((x / a) / (y / b)) for x, y in zip(rp, rq) if x > 0)
        return float(total)


@pytest.mark.parametrize("delta", [1e-10, 1e-12])
def test_conditional_kl_of_nearly_equal_joints_keeps_its_digits(delta):
    # p sums to 1 + 2.2e-16: dividing it and each row by their sums rounded every entry (2.6e-6 off at 7e-22)
    p = np.array([[0.1, 0.2, 0.15], [0.25, 0.2, 0.1]])
    q = p + delta * np.array([[1.0, -2.0, 1.0], [-1.0, 1.0, 0.0]])
    expected = _mp_conditional_kl(p, q)
    assert conditional_kl(p, q) == pytest.approx(expected, rel=1e-13, abs=0)
    assert conditional_kl(p, q, base=2) == pytest.approx(expected / math.log(2), rel=1e-13, abs=0)
