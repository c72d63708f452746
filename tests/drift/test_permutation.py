"""Tests of klteach/drift/permutation.py: the permutation tests' exactness, false-alarm rate and
power, and their refusal of bad input.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
import scipy.stats
from drift_references import ref_counts_of, ref_edges, ref_measure, zero_inflated
from hypothesis import given, settings
from hypothesis import strategies as st

from klteach import DistributionError, drift


def exact_pvalue(ref, cur, rule, measure, a=0.5):
    """p-value over every split of the pooled sample, bins re-learned for each split."""
    pooled = np.concatenate([ref, cur])
    n = len(ref)

    def stat(r, c):
        e = ref_edges(r, rule)
        return ref_measure(measure, ref_counts_of(r, e), ref_counts_of(c, e), a)

    observed = stat(np.asarray(ref, float), np.asarray(cur, float))
    stats = []
    for idx in itertools.combinations(range(len(pooled)), n):
        mask = np.zeros(len(pooled), bool)
        mask[list(idx)] = True
        stats.append(stat(pooled[mask], pooled[~mask]))
    return np.mean(np.asarray(stats) >= observed - 1e-12 * abs(observed))


@pytest.mark.slow
@pytest.mark.parametrize("measure", ["kl", "psi", "js"])
def test_counts_test_matches_the_exact_permutation_distribution(measure):
    ref_labels, cur_labels = [0, 0, 0, 0, 1, 1], [1, 1, 2, 2, 2]
    k = 3
    ref_c, cur_c = np.bincount(ref_labels, minlength=k), np.bincount(cur_labels, minlength=k)
    pooled = np.array(ref_labels + cur_labels)
    observed = ref_measure(measure, ref_c, cur_c)
    stats = []
    for idx in itertools.combinations(range(len(pooled)), len(ref_labels)):
        mask = np.zeros(len(pooled), bool)
        mask[list(idx)] = True
        stats.append(ref_measure(measure, np.bincount(pooled[mask], minlength=k),
                                 np.bincount(pooled[~mask], minlength=k)))
    exact = np.mean(np.asarray(stats) >= observed - 1e-12)
    r = drift.drift_test_counts(ref_c, cur_c, measure=measure, n_permutations=20000, seed=0)
    assert r.statistic == pytest.approx(observed, rel=1e-12)
    assert r.pvalue == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20000) + 1e-4)
    r2 = drift.drift_test([str(x) for x in ref_labels], [str(x) for x in cur_labels],
                          measure=measure, n_permutations=20000, seed=1)
    assert r2.categories == ["0", "1", "2"]
    assert r2.pvalue == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20000) + 1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("bins, measure", [(2, "kl"), (3, "psi"), ("sturges", "kl"), ("fd", "js")])
def test_raw_test_matches_exact_permutations_with_relearned_bins(bins, measure):
    rng = np.random.default_rng(4)
    ref, cur = rng.normal(0, 1, 5), rng.normal(0.8, 1, 5)
    exact = exact_pvalue(ref, cur, bins, measure)
    r = drift.drift_test(ref, cur, bins=bins, measure=measure, n_permutations=20000, seed=5)
    e = ref_edges(ref, bins)
    assert r.statistic == pytest.approx(ref_measure(measure, ref_counts_of(ref, e), ref_counts_of(cur, e)),
                                        rel=1e-12)
    np.testing.assert_allclose(r.edges, e, rtol=1e-14)
    assert r.pvalue == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20000) + 1e-4)


samples = st.lists(st.integers(-3, 3), min_size=1, max_size=40).map(lambda v: np.array(v, float))


@pytest.mark.slow
@settings(max_examples=60)
@given(samples, samples, st.sampled_from([1, 3, 10, "sturges"]), st.sampled_from(["kl", "psi", "js"]))
def test_statistic_matches_independent_binning_with_heavy_ties(ref, cur, bins, measure):
    r = drift.drift_test(ref, cur, bins=bins, measure=measure, n_permutations=5, seed=0)
    e = ref_edges(ref, bins)
    np.testing.assert_allclose(r.edges, e, rtol=1e-14)
    np.testing.assert_array_equal(r.reference_counts, ref_counts_of(ref, e))
    np.testing.assert_array_equal(r.current_counts, ref_counts_of(cur, e))
    assert r.statistic == pytest.approx(ref_measure(measure, r.reference_counts, r.current_counts),
                                        rel=1e-9, abs=1e-13)
    assert 1 / 6 <= r.pvalue <= 1


@pytest.mark.slow
def test_raw_test_with_ties_matches_exact_permutations():
    ref, cur = np.array([1.0, 1.0, 2.0, 2.0, 3.0]), np.array([2.0, 3.0, 3.0, 3.0, 1.0])
    exact = exact_pvalue(ref, cur, 3, "kl")
    r = drift.drift_test(ref, cur, bins=3, n_permutations=20000, seed=6)
    assert r.pvalue == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20000) + 1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("n, m", [(100, 100), (30, 80)])
def test_false_alarm_rate_is_near_alpha_without_drift(n, m):
    rng = np.random.default_rng(2024 + n)
    trials = 400
    alarms = sum(drift.drift_test(rng.normal(size=n), rng.normal(size=m), n_permutations=199,
                                  seed=rng).pvalue <= 0.05 for _ in range(trials))
    assert 0.03 <= alarms / trials <= 0.08


@pytest.mark.slow
def test_detects_a_quarter_sd_shift_with_1000_per_side():
    rng = np.random.default_rng(7)
    trials = 60
    hits = sum(drift.drift_test(rng.normal(0, 1, 1000), rng.normal(0.25, 1, 1000), n_permutations=199,
                                seed=rng).pvalue <= 0.05 for _ in range(trials))
    assert hits / trials >= 0.9


@pytest.mark.slow
def test_fixed_edges_test_is_calibrated():
    rng = np.random.default_rng(8)
    trials = 300
    alarms = sum(drift.drift_test(rng.normal(size=60), rng.normal(size=60), bins=[-1, 0, 1],
                                  n_permutations=199, seed=rng).pvalue <= 0.05 for _ in range(trials))
    assert 0.03 <= alarms / trials <= 0.08


def test_seed_makes_results_reproducible_and_nan_bin_is_compared():
    rng = np.random.default_rng(9)
    ref, cur = rng.normal(size=80), rng.normal(size=80)
    assert drift.drift_test(ref, cur, seed=3).pvalue == drift.drift_test(ref, cur, seed=3).pvalue
    cur_missing = cur.copy()
    cur_missing[:30] = np.nan    # many missing values: drift in the NaN bin
    r = drift.drift_test(ref, cur_missing, nan="bin", seed=0, n_permutations=300)
    assert r.current_counts[-1] == 30 and r.reference_counts[-1] == 0 and r.pvalue < 0.01


def test_bad_current_sample_is_named():
    with pytest.raises(DistributionError, match=r"^current has 1 NaN"):
        drift.drift_test([1.0, 2.0, 3.0], [1.0, np.nan])
    with pytest.raises(DistributionError, match="current is empty"):
        drift.drift_test([1.0, 2.0], [])


@pytest.mark.parametrize("kwargs, match", [
    ({"bins": "weird"}, "not a rule"),
    ({"bins": 0}, "at least 1"),
    ({"bins": [0, 2, 1]}, "strictly"),
    ({"bins": [1.0]}, "at least 2"),
    ({"measure": "kld"}, "measure must be one of"),
    ({"pseudo_count": -1}, "pseudo_count"),
    ({"n_permutations": 0}, "n_permutations"),
    ({"nan": "drop"}, "nan must be"),
])
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        drift.drift_test([1.0, 2.0, 3.0], [1.0, 2.5], **kwargs)


@pytest.mark.parametrize("ref, cur, match", [
    ([1, 2], [1, 2, 3], r"^reference_counts has 2 bins but current_counts has 3"),
    ([1, -2], [1, 2], r"^reference_counts\[1\] = -2 is negative; counts are whole numbers"),
    ([0.5, 0.5], [1, 2], r"^reference_counts\[0\] = 0.5 is not a whole number"),
    ([0, 0], [1, 2], r"^reference_counts is all zeros; at least one bin"),
    ([1, np.nan], [1, 2], r"^reference_counts\[1\] = NaN is not a finite number"),
    ([1, np.inf], [1, 2], r"^reference_counts\[1\] = inf is not a finite number"),
    (3, [1, 2], r"^reference_counts must be a 1-D array of counts, one per bin, got a single number"),
    ([], [1, 2], r"^reference_counts is empty"),
    ("ab", [1, 2], r"^reference_counts must be counts per bin \(numbers\), got the string"),
    ([[1, 2], [3]], [1, 2], r"^reference_counts could not be read as an array of counts"),
])
def test_bad_counts_are_refused(ref, cur, match):
    # Messages speak of counts: no "probabilities", "log-probabilities" or "distribution".
    for call in (drift.drift_measures, drift.drift_test_counts):
        with pytest.raises(DistributionError, match=match) as info:
            call(ref, cur)
        assert not any(word in str(info.value) for word in ("probabilit", "logit", "distribution"))


@pytest.mark.slow
def test_zero_inflated_drift_is_detected():
    # The positive part moves from U(1, 100) to U(60, 100); with quantile edges piled
    # up on 0 the whole positive part sat in one bin and the test found this 13% of the time.
    rng = np.random.default_rng(21)
    trials, hits, ks_hits = 20, 0, 0
    for _ in range(trials):
        ref, cur = zero_inflated(rng, 2000, 1), zero_inflated(rng, 2000, 60)
        hits += drift.drift_test(ref, cur, n_permutations=199, seed=rng).pvalue <= 0.05
        ks_hits += scipy.stats.ks_2samp(ref, cur).pvalue <= 0.05
    assert hits / trials >= 0.95 and ks_hits / trials >= 0.95


@pytest.mark.slow
def test_zero_inflated_without_drift_keeps_the_false_alarm_rate():
    rng = np.random.default_rng(22)
    trials = 200
    alarms = sum(drift.drift_test(zero_inflated(rng, 150, 1), zero_inflated(rng, 150, 1), n_permutations=99,
                                  seed=rng).pvalue <= 0.05 for _ in range(trials))
    assert alarms / trials <= 0.08      # at most alpha, up to simulation noise (sd 0.015)


def test_an_all_missing_current_sample_is_drift_in_the_nan_bin():
    rng = np.random.default_rng(26)
    ref, cur = rng.normal(size=300), np.full(200, np.nan)
    r = drift.drift_test(ref, cur, nan="bin", n_permutations=200, seed=0)
    assert r.current_counts[-1] == 200 and r.current_counts[:-1].sum() == 0
    assert r.reference_counts[-1] == 0 and r.reference_counts.sum() == 300
    assert r.statistic == pytest.approx(ref_measure("kl", r.reference_counts, r.current_counts), rel=1e-12)
    assert r.pvalue == 1 / 201     # no shuffle of the 500 values separates the NaN as well
    with pytest.raises(DistributionError, match=r"current has 200 NaN"):
        drift.drift_test(ref, cur)              # nan="raise" still refuses


def test_an_all_missing_reference_is_compared_by_its_share_of_missing_values():
    rng = np.random.default_rng(27)
    r = drift.drift_test(np.full(100, np.nan), rng.normal(size=100), nan="bin", n_permutations=200, seed=0)
    np.testing.assert_array_equal(r.reference_counts, [0, 100])   # present, missing
    np.testing.assert_array_equal(r.current_counts, [100, 0])
    assert r.edges.size == 0 and r.pvalue < 0.01
    same = drift.drift_test(np.full(50, np.nan), np.full(40, np.nan), nan="bin", n_permutations=50, seed=0)
    assert same.statistic == pytest.approx(ref_measure("kl", [0, 50], [0, 40]), rel=1e-12)
    assert same.pvalue == 1        # every shuffle gives the same counts


@pytest.mark.parametrize("call", [
    lambda m: drift.bin_counts(m([1.0, 2.0, 1e9], mask=[0, 0, 1]), [0, 1, 3]),
    lambda m: drift.bin_edges(m([1.0, 2.0, 3.0, 1e9], mask=[0, 0, 0, 1]), 2),
    lambda m: drift.drift_measures(m([1.0, 2.0, 3.0, 4.0], mask=[0, 0, 0, 1]), [1.0, 2.0, 3.0, 4.0]),
    lambda m: drift.drift_test(m([1.0, 2.0, 3.0, 4.0], mask=[0, 0, 0, 1]), [1.0, 2.0, 3.0, 4.0]),
    lambda m: drift.category_counts(m(["a", "b"], mask=[0, 1]), ["a"]),
])
def test_masked_samples_are_refused_not_read_at_their_hidden_values(call):
    with pytest.raises(DistributionError, match=r"is a masked array with 1 masked entry"):
        call(np.ma.array)


def test_drift_test_takes_the_exact_fast_null_for_distinct_values_and_the_direct_path_for_ties():
    # Which path drift_test takes, seen from the random streams it consumes; that the two
    # paths draw the same permutation distribution is tested in test_null.py.
    from klteach.drift import _null, permutation
    rng = np.random.default_rng(31)
    ref, cur = rng.normal(size=300), rng.normal(0.1, 1, size=200)
    for measure in ("kl", "psi"):
        r = drift.drift_test(ref, cur, measure=measure, n_permutations=299, seed=5)
        fast = _null.relearned_quantile_test(ref, cur, 10, measure, 0.5, 299, np.random.default_rng(5), None)
        assert r.pvalue == permutation._pvalue(*fast) and r.statistic == pytest.approx(fast[0], rel=1e-12)
    tied_ref, tied_cur = np.round(ref, 1), np.round(cur, 1)
    r = drift.drift_test(tied_ref, tied_cur, n_permutations=299, seed=5)
    direct = permutation._relearned_test(tied_ref, tied_cur, "quantile", 10, "kl", 0.5, 299,
                                         np.random.default_rng(5), None)
    assert _null.relearned_quantile_test(tied_ref, tied_cur, 10, "kl", 0.5, 10, rng, None) is None
    assert r.pvalue == permutation._pvalue(*direct)


_WIDE_REF = np.concatenate([np.linspace(-1.7e308, -1e308, 50), np.linspace(1e308, 1.7e308, 50)])
_WIDE_CUR = np.concatenate([np.linspace(-1.65e308, -1.05e308, 40), np.linspace(1.05e308, 1.65e308, 60)])


def _exact_edges(x, k):
    """Quantile edges of x by exact rational interpolation, each rounded once to a float."""
    from fractions import Fraction
    x = np.sort(x)
    edges = []
    for j in range(k):
        h = Fraction((len(x) - 1) * j, k)
        lo = math.floor(h)
        hi = min(lo + 1, len(x) - 1)
        edges.append(float(Fraction(x[lo]) + (h - lo) * (Fraction(x[hi]) - Fraction(x[lo]))))
    return np.array(edges + [np.nextafter(x[-1], np.inf)])


@pytest.mark.parametrize("ref, cur", [
    (_WIDE_REF, np.concatenate([_WIDE_REF[:20], _WIDE_REF[-40:], _WIDE_REF[-40:]])),   # ties: the
    # direct path (permutation.py), bins re-learned for each shuffle
    (_WIDE_REF, _WIDE_CUR),   # distinct values: the fast exact null (_null.py)
])
def test_drift_test_on_values_further_apart_than_the_largest_float(ref, cur):
    # Neighbouring order statistics 2e308 apart: the statistic must still be the measure of the
    # counts in the exactly interpolated quantile bins.
    edges = _exact_edges(ref, 2)     # the middle edge lies between -1e308 and 1e308
    expected = ref_measure("kl", ref_counts_of(ref, edges), ref_counts_of(cur, edges))
    with warnings.catch_warnings():
        warnings.simplefilter("error")    # not even an overflow warning on the way
        r = drift.drift_test(ref, cur, bins=2, n_permutations=99, seed=1)
    assert r.statistic == pytest.approx(expected, rel=1e-12)
    np.testing.assert_array_equal(r.edges, edges)


def test_split_beyond_numpy_limit_has_the_multivariate_hypergeometric_distribution(monkeypatch):
    """The bin-by-bin split (used from 1e9 observations on) against the exact pmf (brute force)."""
    from klteach.drift import permutation
    pooled, n, m = np.array([3, 0, 2, 4]), 4, 5
    monkeypatch.setattr(permutation, "_NUMPY_HYPERGEOMETRIC_LIMIT", 0)   # force the chained path
    draws = permutation._split_pooled(pooled, n, m, 40_000, np.random.default_rng(3))
    outcomes = [x for x in itertools.product(*(range(c + 1) for c in pooled)) if sum(x) == n]
    pmf = np.array([math.prod(math.comb(c, k) for c, k in zip(pooled, x)) for x in outcomes])
    pmf = pmf / math.comb(n + m, n)
    observed = np.array([np.count_nonzero((draws == x).all(axis=1)) for x in outcomes])
    assert observed.sum() == len(draws)                      # every draw is a valid split
    assert scipy.stats.chisquare(observed, pmf * len(draws)).pvalue > 1e-3


def test_counts_test_beyond_a_billion_rows_is_exact_and_agrees_with_the_chi_square_test():
    """12 bins of 60 million a side (1.44e9 rows), where numpy's sampler alone refuses."""
    ref = np.full(12, 60_000_000)
    cur = ref.copy()
    cur[:2] += [15_000, -15_000]                             # a tiny drift
    r = drift.drift_test_counts(ref, cur, n_permutations=2000, seed=4)
    assert r.null == "permutation" and r.n_permutations == 2000
    pearson = scipy.stats.chi2_contingency(np.vstack([ref, cur]), correction=False).pvalue
    assert 0.02 < pearson < 0.98
    assert abs(r.pvalue - pearson) < 4 * math.sqrt(pearson * (1 - pearson) / 2000) + 0.005


@pytest.mark.parametrize("measure", ["kl", "kl_reverse", "psi", "js"])
def test_counts_test_with_a_side_beyond_a_billion_uses_the_chi_square_approximation(measure):
    ref = np.array([400_000_000, 300_000_000, 350_000_000, 2_000_000])
    cur = np.array([400_020_000, 299_990_000, 349_990_000, 2_000_500])
    r = drift.drift_test_counts(ref, cur, measure=measure, seed=0)
    assert r.null.startswith("chi-square approximation") and r.n_permutations == 0
    assert "chi-square" in str(r)
    # Independent reference: Pearson's chi-square test of the 2 x K table (scipy).
    pearson = scipy.stats.chi2_contingency(np.vstack([ref, cur]), correction=False).pvalue
    assert 0.01 < pearson < 0.99
    assert r.pvalue == pytest.approx(pearson, abs=0.01)
    assert drift.drift_test_counts(ref, cur, measure=measure, base=2).pvalue == pytest.approx(r.pvalue)


@pytest.mark.parametrize("measure", ["kl", "kl_reverse", "psi", "js"])
def test_counts_test_small_current_beside_a_billion_row_reference_is_not_an_alarm(measure):
    """50 rows all in the bin holding 99.9% of a 1e9-row reference: the likeliest split, p = 1.

    The chi-square approximation gave p = 0.0006 (kl_reverse) to 0.5 here. Reference: one row
    fewer (N = 999,999,999) takes numpy's exact multivariate hypergeometric path.
    """
    n = 10**9
    cur = [50] + [0] * 9
    r = drift.drift_test_counts([n - 9 * 10**5] + [10**5] * 9, cur, measure=measure,
                                seed=0, n_permutations=2000)
    exact = drift.drift_test_counts([n - 1 - 9 * 10**5] + [10**5] * 9, cur, measure=measure,
                                    seed=0, n_permutations=2000)
    assert exact.null == "permutation" and exact.pvalue == 1.0
    assert r.pvalue == 1.0 and r.n_permutations == 2000
    assert "drawn with replacement" in r.null and "drawn with replacement" in str(r)


@pytest.mark.parametrize("measure, m", [("kl_reverse", 10_000), ("psi", 10_000), ("kl_reverse", 100_000)])
def test_counts_test_beyond_a_billion_keeps_its_false_alarm_rate(measure, m):
    """No drift (current drawn from the reference's shares), 5 rare bins: rate about alpha.

    With the chi-square approximation the rate at alpha = 0.05 was 1.0 (kl_reverse) and 0.51
    (psi). Reference: simulation, 200 trials; 0.05 + 3 standard errors = 0.096.
    """
    shares = np.array([1e-6] * 5 + [1.0] * 15)
    shares /= shares.sum()
    n = 10**9
    ref = np.floor(shares * n).astype(np.int64)
    ref[-1] += n - ref.sum()
    rng = np.random.default_rng(1)
    alarms = 0
    for trial in range(200):
        cur = rng.multinomial(m, ref / n)
        r = drift.drift_test_counts(ref, cur, measure=measure, seed=trial, n_permutations=199)
        alarms += r.pvalue <= 0.05
    assert alarms / 200 < 0.096


def test_counts_test_beyond_a_billion_flags_a_chi_square_p_value_it_cannot_vouch_for():
    """Both sides large and a bin expecting under one observation on the smaller side."""
    ref = np.array([10**9, 400_000_000, 10])
    cur = np.array([10**8, 40_000_000, 0])
    r = drift.drift_test_counts(ref, cur, seed=0)
    assert r.null.startswith("chi-square approximation") and "approximate: a bin expects" in r.null
    assert "expects 0.909 < 5" in r.null       # 10 m / N = 10 * 1.4e8 / 1.54000001e9


@pytest.mark.parametrize("measure", ["kl", "kl_reverse", "psi", "js"])
def test_counts_test_chi_square_ignores_bins_empty_on_both_sides(measure):
    """Identical shares beside 20 bins empty on both sides: no evidence of drift.

    The pseudo-count in the empty bins gave p = 0.00049 (kl_reverse). Reference: Pearson's
    chi-square test of the 2 x 3 table of the non-empty bins (scipy), p = 1 for equal shares.
    """
    ref = np.array([10**9, 6 * 10**8, 4 * 10**8] + [0] * 20)
    cur = np.array([5 * 10**7, 3 * 10**7, 2 * 10**7] + [0] * 20)
    r = drift.drift_test_counts(ref, cur, measure=measure, seed=0)
    assert r.null.startswith("chi-square approximation (K - 1 = 2")
    pearson = scipy.stats.chi2_contingency(np.vstack([ref[:3], cur[:3]]), correction=False).pvalue
    assert pearson == pytest.approx(1.0)
    assert r.pvalue > 0.99


@pytest.mark.parametrize("measure", ["kl", "kl_reverse", "psi", "js"])
def test_counts_test_chi_square_keeps_its_false_alarm_rate_with_empty_bins(measure):
    """No drift, n = 2e9, m = 1e7, 5 bins empty on both sides: rate at alpha = 0.05 about 0.05.

    Before, the rates were 0.21 (kl), 1.00 (kl_reverse), 0.95 (psi), 0.32 (js). Reference:
    simulation, both sides multinomial from the same shares, 300 trials; 0.05 + 3 standard
    errors = 0.088, 0.05 - 3 standard errors = 0.012.
    """
    shares = np.array([0.3, 0.25, 0.2, 0.15, 0.1, 0, 0, 0, 0, 0])
    rng = np.random.default_rng(7)
    alarms = 0
    for trial in range(300):
        ref = rng.multinomial(2 * 10**9, shares)
        cur = rng.multinomial(10**7, shares)
        r = drift.drift_test_counts(ref, cur, measure=measure, seed=trial)
        assert r.null.startswith("chi-square approximation (K - 1 = 4")
        alarms += r.pvalue <= 0.05
    assert 0.012 < alarms / 300 < 0.088


@pytest.mark.parametrize("measure", ["kl", "psi"])
def test_counts_test_beyond_a_billion_refuses_an_infinite_statistic_instead_of_p_zero(measure):
    # pseudo_count=0 and one observation in a bin seen on one side only: the statistic is inf, and the
    # chi-square approximation gave p = 0 (certain drift from one observation), while the same shape
    # below 1e9 gets a large permutation p-value (the observed split is a likely one).
    small = drift.drift_test_counts([100_000_000, 99_999_999, 1], [50_000_000, 50_000_000, 0], pseudo_count=0,
                                    measure=measure, n_permutations=200, seed=0)
    assert small.pvalue > 0.5
    with pytest.raises(ValueError, match=r"pseudo_count > 0"):
        drift.drift_test_counts([1_000_000_000, 999_999_999, 1, 0], [500_000_000, 500_000_000, 0, 0],
                                pseudo_count=0, measure=measure, seed=0)
    # the default pseudo-count keeps the statistic finite and the test calm
    assert drift.drift_test_counts([1_000_000_000, 999_999_999, 1, 0], [500_000_000, 500_000_000, 0, 0],
                                   measure=measure, seed=0).pvalue > 0.5
