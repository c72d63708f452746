"""The fast permutation null of drift_test (klteach/drift/_null.py) against exact enumeration.

Exact: for small samples every split of a pooled sample into reference and
current is enumerated with the public bin_edges / bin_counts, and the
distribution of the bin counts is compared, as exact fractions, with the one
the fast method implies (its Dirichlet-multinomial block counts enumerated
with their exact probabilities). Larger samples: its permuted statistics
against the direct permutation path (``permutation._relearned_test``, which sorts
every shuffled reference), by a two-sample test and by p-values.
"""

from __future__ import annotations

import itertools
import warnings
from collections import Counter
from fractions import Fraction
from math import comb

import numpy as np
import pytest
import scipy.stats
from drift_references import ref_counts_of, ref_edges, ref_measure

from klteach import drift
from klteach.drift import _null as dn
from klteach.drift.permutation import _quantile_statistics, _relearned_test


def _active_counts(ref, cur, k):
    """Counts of both samples in the bins drift_test uses for them (public functions only)."""
    edges = drift.bin_edges(ref, k)
    return tuple(drift.bin_counts(ref, edges)), tuple(drift.bin_counts(cur, edges))


def _exact_by_enumeration(pooled, n, k):
    """pmf of (reference counts, current counts) over all C(N, n) equally likely splits."""
    pmf = Counter()
    every = np.arange(len(pooled))
    weight = Fraction(1, comb(len(pooled), n))
    for subset in itertools.combinations(every, n):
        chosen = np.zeros(len(pooled), bool)
        chosen[list(subset)] = True
        pmf[_active_counts(pooled[chosen], pooled[~chosen], k)] += weight
    return pmf


def _compositions(total, parts):
    """Every vector of ``parts`` whole numbers >= 0 summing to ``total``."""
    for bars in itertools.combinations(range(total + parts - 1), parts - 1):
        edges = (-1,) + bars + (total + parts - 1,)
        yield [edges[i + 1] - edges[i] - 1 for i in range(parts)]


def _exact_by_formula(pooled, n, k):
    """pmf of the same counts implied by the fast method: Dirichlet-multinomial block counts,
    each with probability prod C(c_i + a_i - 1, c_i) / C(N, n), mapped through its counting."""
    pooled = np.sort(pooled)
    m = len(pooled) - n
    plan = dn._edge_plan(n, k)
    sizes = plan[4]
    pmf = Counter()
    total = Fraction(0)
    for blocks in _compositions(m, len(sizes)):
        prob = Fraction(np.prod([comb(c + a - 1, c) for c, a in zip(blocks, sizes)]),
                        comb(len(pooled), n))
        total += prob
        before = np.cumsum(blocks[:-1])[None, :]
        ref, both, active = dn._counts(pooled, n, k, plan, before)
        keep = active[0].astype(bool)
        pmf[(tuple(ref[0][keep]), tuple((both - ref)[0][keep]))] += prob
    assert total == 1
    return pmf


@pytest.mark.parametrize("n, m, k, seed", [
    (6, 5, 4, 0),     # interpolated edges (n - 1 = 5 is not a multiple of 4)
    (7, 4, 3, 1),     # edges on order statistics (k divides n - 1)
    (5, 6, 5, 2),     # k = n: as many bins as reference values
    (4, 7, 2, 3),     # more current than reference values
    (8, 5, 5, 4),      # several edges in one spacing pattern
])
def test_formula_gives_the_exact_permutation_distribution(n, m, k, seed):
    """Exact pmf equality (fractions) between all splits and the fast method's formula."""
    rng = np.random.default_rng(seed)
    pooled = rng.standard_t(2, n + m) * rng.choice([1, 10], n + m)   # skewed spacings
    assert dn.applies(pooled[:n], pooled[n:], k)
    assert _exact_by_formula(pooled, n, k) == _exact_by_enumeration(pooled, n, k)


def test_counts_depend_on_values_not_only_on_interleaving():
    """The shortcut 'only the interleaving matters' fails for an interpolated edge: with
    4 reference values and 2 bins the middle edge lies halfway between the 2nd and 3rd,
    so a current value in that gap is counted by its value."""
    ref = np.array([0.0, 1.0, 3.0, 4.0])      # middle edge at 2.0
    low, high = _active_counts(ref, np.array([1.8]), 2), _active_counts(ref, np.array([2.5]), 2)
    assert low[0] == high[0] and low[1] != high[1]   # same interleaving, different counts
    # Hence the null pmf depends on the data's distribution (here: n = 6, m = 5, k = 4).
    rng = np.random.default_rng(5)
    a = _exact_by_enumeration(np.sort(rng.uniform(size=11)), 6, 4)
    b = _exact_by_enumeration(np.sort(rng.standard_cauchy(size=11)), 6, 4)
    assert a != b


def test_with_edges_on_order_statistics_the_null_is_free_of_the_data():
    """When k divides n - 1 every edge is an order statistic and the pmf is the same for
    any continuous data (the Bose-Einstein argument holds exactly)."""
    rng = np.random.default_rng(6)
    pmfs = [_exact_by_enumeration(np.sort(x), 7, 3) for x in
            (rng.uniform(size=11), rng.standard_cauchy(size=11), rng.exponential(size=11))]
    assert pmfs[0] == pmfs[1] == pmfs[2]


def test_block_sampler_matches_the_dirichlet_multinomial_pmf():
    """draw_before against the exact block pmf of a uniform composition (chi-square)."""
    sizes, m, draws = np.array([2, 1, 3]), 4, 40_000
    before = dn.draw_before(np.random.default_rng(7), sizes, m, draws)
    blocks = np.column_stack([before[:, 0], np.diff(before, axis=1), m - before[:, -1]])
    seen = Counter(map(tuple, blocks))
    cells = list(_compositions(m, len(sizes)))
    expected = np.array([np.prod([comb(c + a - 1, c) for c, a in zip(b, sizes)])
                         for b in cells], float) / comb(m + sizes.sum() - 1, m)
    observed = np.array([seen[tuple(b)] for b in cells])
    assert observed.sum() == draws
    assert scipy.stats.chisquare(observed, expected * draws).pvalue > 1e-3


@pytest.mark.parametrize("measure", ["kl", "kl_reverse", "psi", "js"])
@pytest.mark.parametrize("n, m, k", [(25, 25, 10), (100, 70, 10), (11, 4, 5), (300, 500, 7)])
def test_observed_statistic_is_drift_tests(measure, n, m, k):
    rng = np.random.default_rng(n + m + k)
    ref, cur = rng.standard_t(3, n), rng.normal(0.3, 1.5, m)
    pooled = np.sort(np.concatenate([ref, cur]))
    fast = dn.observed_statistic(ref, pooled, k, measure, 0.5, 2)
    direct = _relearned_test(ref, cur, "quantile", k, measure, 0.5, 1,
                                   np.random.default_rng(0), 2)[0]
    assert fast == direct
    # and the public route: merged edges from bin_edges, counts, drift_measures
    edges = drift.bin_edges(ref, k)
    m = drift.drift_measures(drift.bin_counts(ref, edges), drift.bin_counts(cur, edges), base=2)
    public = {"kl": m.kl_ref_cur, "kl_reverse": m.kl_cur_ref, "psi": m.psi, "js": m.js}[measure]
    assert fast == pytest.approx(public, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("measure", ["kl", "js"])
def test_permuted_statistics_match_the_direct_permutations(measure):
    """Two-sample KS between 20,000 fast and 20,000 direct permuted statistics (n = 200, m = 150)."""
    rng = np.random.default_rng(8)
    ref, cur = rng.lognormal(size=200), rng.lognormal(size=150)
    pooled = np.sort(np.concatenate([ref, cur]))
    fast = dn.relearned_quantile_null(pooled, 200, 10, measure, 0.5, None, 20_000,
                                      np.random.default_rng(9))
    direct = _relearned_test(ref, cur, "quantile", 10, measure, 0.5, 20_000,
                                   np.random.default_rng(10), None)[1]
    assert scipy.stats.ks_2samp(fast, direct).pvalue > 1e-3
    assert fast.mean() == pytest.approx(direct.mean(), rel=0.02)


def test_pvalues_agree_within_monte_carlo_error():
    """200 seeded datasets (n = 60, m = 40, shifts 0 to 0.8 sd): fast and direct p-values with
    499 permutations each differ by Monte Carlo error only (sd of a difference of two
    independent estimates of p: sqrt(2 p (1 - p) / 500))."""
    rng = np.random.default_rng(11)
    diffs, sds = [], []
    for i in range(200):
        ref, cur = rng.normal(size=60), rng.normal(0.8 * (i % 5) / 4, 1, 40)
        fast = dn.relearned_quantile_test(ref, cur, 10, "kl", 0.5, 499, rng, None)
        p_fast = dn.pvalue(*fast)
        p_direct = dn.pvalue(*_relearned_test(ref, cur, "quantile", 10, "kl", 0.5, 499,
                                                    rng, None))   # the direct path
        p = (p_fast + p_direct) / 2
        diffs.append(p_fast - p_direct)
        sds.append(np.sqrt(2 * max(p * (1 - p), 1 / 500) / 500))
    z = np.array(diffs) / np.array(sds)
    assert np.abs(z).max() < 4.5
    assert abs(z.mean()) < 4 / np.sqrt(200)
    assert 0.6 < z.std() < 1.4


@pytest.mark.parametrize("ref, cur, k", [
    (np.array([1.0, 2.0, 3.0]), np.array([2.0, 5.0]), 2),           # a tie across samples
    (np.array([1.0, 2.0, np.nan]), np.array([0.5]), 2),             # NaN
    (np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0]), 4),           # more bins than values
    (np.array([1.0]), np.array([4.0, 5.0]), 1),                     # a single reference value
    (np.array([1.0, np.nextafter(1.0, 2)]), np.array([4.0]), 2),    # adjacent floats
])
def test_falls_back_where_it_is_not_exact(ref, cur, k):
    assert not dn.applies(ref, cur, k)
    assert dn.relearned_quantile_test(ref, cur, k, "kl", 0.5, 10, np.random.default_rng(0),
                                      None) is None


def test_the_largest_float_twice_is_a_tie_without_an_overflow_warning():
    largest = np.finfo(float).max
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # nextafter(largest, inf) overflowed with a RuntimeWarning
        assert not dn.applies(np.array([0.0, 1.0, largest]), np.array([2.0, largest]), 2)
        assert dn.applies(np.array([0.0, 1.0, largest]), np.array([2.0, 3.0]), 2)


def test_applies_to_distinct_values():
    rng = np.random.default_rng(12)
    assert dn.applies(rng.normal(size=50), rng.normal(size=30), 10)


_LARGEST = np.finfo(float).max


def _reference_edges_with_the_largest_float(ref, k):
    """Quantile edges (independent reference), the last one the largest float itself when the
    reference holds it (bin_edges' documented rule: that value counts at or above the last edge)."""
    with np.errstate(over="ignore"):        # the next float above the largest is inf
        e = ref_edges(ref, k)
    if np.isinf(e[-1]):
        e[-1] = _LARGEST
    return np.unique(e)


def _statistic_by_reference(ref, cur, k, measure):
    e = _reference_edges_with_the_largest_float(ref, k)
    return ref_measure(measure, ref_counts_of(ref, e), ref_counts_of(cur, e))


@pytest.mark.parametrize("measure", ["kl", "psi"])
@pytest.mark.parametrize("n, m, k, seed", [(7, 5, 3, 13), (6, 5, 4, 14)])
def test_the_largest_float_counts_at_or_above_the_last_edge_in_every_shuffle(n, m, k, seed, measure):
    """A pooled sample holding the largest float: when a split puts it in the reference, the last
    edge is that float and the value counts in the top overflow bin (bin_edges' rule), in the fast
    null as in the reported counts. Exact p-values (fractions) by enumerating every split with an
    independent reference agree with the fast method's formula; drift_test's statistic is the
    reference statistic."""
    rng = np.random.default_rng(seed)
    pooled = np.concatenate([[_LARGEST], rng.normal(size=n - 1), rng.normal(1, 1, size=m)])
    ref, cur = pooled[:n], pooled[n:]            # the reference holds the largest float
    assert dn.applies(ref, cur, k) and ref.max() == _LARGEST
    observed = _statistic_by_reference(ref, cur, k, measure)
    threshold = observed - 1e-12 * abs(observed)
    # Brute force: every split, edges and counts from drift_references; the direct path's
    # vectorised statistic (permutation._quantile_statistics) is the same on each split.
    ordered = np.sort(pooled)
    by_enumeration = Fraction(0)
    for subset in itertools.combinations(range(n + m), n):
        chosen = np.zeros(n + m, bool)
        chosen[list(subset)] = True
        stat = _statistic_by_reference(pooled[chosen], pooled[~chosen], k, measure)
        direct = _quantile_statistics(np.sort(pooled[chosen])[None, :], ordered, k, measure, 0.5, None)
        assert direct[0] == pytest.approx(stat, rel=1e-12)
        if stat >= threshold:
            by_enumeration += Fraction(1, comb(n + m, n))
    # The fast method: its Dirichlet-multinomial block counts with their exact probabilities.
    plan = dn._edge_plan(n, k)
    by_formula = Fraction(0)
    for blocks in _compositions(m, len(plan[4])):
        before = np.cumsum(blocks[:-1])[None, :]
        stat = dn._statistics(*dn._counts(ordered, n, k, plan, before), measure, 0.5, None)[0]
        if stat >= threshold:
            by_formula += Fraction(np.prod([comb(c + a - 1, c) for c, a in zip(blocks, plan[4])]),
                                   comb(n + m, n))
    assert by_formula == by_enumeration
    assert 0 < by_enumeration < 1
    assert _exact_by_formula(pooled, n, k) == _exact_by_enumeration(pooled, n, k)
    # drift_test itself: the statistic, and a Monte Carlo p-value within 4.5 sd of the exact one.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = drift.drift_test(ref, cur, bins=k, measure=measure, n_permutations=4000, seed=seed)
    assert r.statistic == pytest.approx(observed, rel=1e-12)
    assert r.edges[-1] == _LARGEST and r.reference_counts[-1] == 1
    p = float(by_enumeration)
    assert abs(r.pvalue - p) < 4.5 * np.sqrt(p * (1 - p) / 4000) + 1 / 4001
