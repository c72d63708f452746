"""klteach/drift/compare.py: effect sizes, verdicts and rejection-rate tables."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats

from klteach import DistributionError, drift
from klteach.drift import compare as dc
from klteach.drift.permutation import _relearned_test

# --- effect sizes ------------------------------------------------------------------

def test_wasserstein_effect_equal_sizes_is_the_mean_gap_of_sorted_samples():
    """For n = m, W1 of two empirical distributions is mean |x_(i) - y_(i)| (quantile coupling)."""
    rng = np.random.default_rng(0)
    for _ in range(20):
        x, y = rng.standard_t(3, 40), rng.exponential(size=40)
        expected = np.mean(np.abs(np.sort(x) - np.sort(y))) / np.std(x, ddof=1)
        assert dc.wasserstein_effect(x, y) == pytest.approx(expected, rel=1e-12)


def test_wasserstein_effect_unequal_sizes_by_integrating_the_cdfs():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=7), rng.normal(1, 2, size=4)
    grid = np.sort(np.concatenate([x, y]))
    fx = np.searchsorted(np.sort(x), grid[:-1], side="right") / 7
    fy = np.searchsorted(np.sort(y), grid[:-1], side="right") / 4
    expected = np.sum(np.abs(fx - fy) * np.diff(grid)) / np.std(x, ddof=1)
    assert dc.wasserstein_effect(x, y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("current, expected", [
    (lambda rng, n: rng.normal(0.25, 1, n), 0.25),                         # shift d: effect d
    (lambda rng, n: rng.normal(0, 1.5, n), 0.5 * math.sqrt(2 / math.pi)),  # |c - 1| E|Z|
])
def test_wasserstein_effect_population_values(current, expected):
    rng = np.random.default_rng(2)
    n = 400_000
    assert dc.wasserstein_effect(rng.normal(size=n), current(rng, n)) == pytest.approx(expected,
                                                                                       abs=0.01)


def test_wasserstein_effect_edge_cases():
    assert dc.wasserstein_effect([2.0, 2.0], [2.0]) == 0.0
    assert dc.wasserstein_effect([2.0, 2.0], [3.0]) == math.inf
    assert math.isnan(dc.wasserstein_effect([1.0], [3.0]))
    assert math.isnan(dc.wasserstein_effect([1.0, 2.0], [np.nan], nan="omit"))
    assert dc.wasserstein_effect([0.0, np.nan, 1.0], [0.0, 1.0], nan="omit") == 0.0   # NaN left out


@pytest.mark.parametrize("ref, cur", [([0.0, np.nan, 1.0], [0.0, 1.0]), ([0.0, 1.0], [1.0, np.nan])])
def test_wasserstein_effect_refuses_nan_unless_told_to_omit_it(ref, cur):
    with pytest.raises(DistributionError, match="missing value .NaN. at index 1.*nan='omit'"):
        dc.wasserstein_effect(ref, cur)
    with pytest.raises(DistributionError, match="NaN"):
        dc.effect_size(ref, cur)
    with pytest.raises(ValueError, match="'raise'.*'omit'"):
        dc.wasserstein_effect(ref, cur, nan="drop")
    # Omitted, the effect is scipy's distance between the remaining values over their sd.
    r, c = np.asarray(ref), np.asarray(cur)
    r, c = r[~np.isnan(r)], c[~np.isnan(c)]
    expected = scipy.stats.wasserstein_distance(r, c) / np.std(r, ddof=1)
    assert dc.wasserstein_effect(ref, cur, nan="omit") == pytest.approx(expected)


@pytest.mark.parametrize("ref, cur, match", [
    ("abc", [1.0], "string"),
    (["a", "b"], [1.0], "dtype"),
    (np.zeros((2, 2)), [1.0], "1-D"),
    ([1.0, np.inf], [1.0], "infinite value at index 1"),
])
def test_wasserstein_effect_refuses_bad_input(ref, cur, match):
    with pytest.raises(DistributionError, match=match):
        dc.wasserstein_effect(ref, cur)


def _exact_effect(ref, cur):
    """W1 / s by exact rational arithmetic (the integral of |F_ref - F_cur| over the sorted pooled
    values; the variance as a fraction), the square root taken by mpmath at 60 digits."""
    import mpmath
    ref, cur = [Fraction(v) for v in ref], [Fraction(v) for v in cur]
    points = sorted(set(ref + cur))
    w1 = sum((b - a) * abs(Fraction(sum(v <= a for v in ref), len(ref))
                           - Fraction(sum(v <= a for v in cur), len(cur)))
             for a, b in zip(points, points[1:]))
    mean = sum(ref) / len(ref)
    variance = sum((v - mean) ** 2 for v in ref) / (len(ref) - 1)
    with mpmath.workdps(60):
        return float(mpmath.mpf(w1.numerator) / w1.denominator
                     / mpmath.sqrt(mpmath.mpf(variance.numerator) / variance.denominator))


_BIG = np.finfo(float).max


@pytest.mark.parametrize("ref, cur", [
    (np.linspace(1e308, _BIG, 50), np.linspace(0.9e308, 0.95 * _BIG, 40)),  # sums overflow
    (np.array([-_BIG, -1e308, 1e308, _BIG]), np.array([_BIG, _BIG, 0.0])),   # gaps overflow
    (np.array([1e-200, 2e-200, 3e-200]), np.array([2e-200, 3e-200, 4e-200])),  # squares underflow
    (np.array([5e-324, 0, 1e-323]), np.array([0, 5e-324, 1e-323, 1e-323])),    # subnormal
    (np.array([0.0, 1e-300, 2e-300]), np.array([1e300])),     # tiny sd, huge shift: 1.7e600 -> inf
    (np.array([3.0, 1e-300, 1e300, -7.5]), np.array([2.0, -1e299])),   # many scales at once
])
def test_effect_size_at_the_ends_of_the_float_range_against_exact_fractions(ref, cur):
    # Before, the first case gave 0.0 and the second nan (numpy's overflow warnings only), the
    # third and fourth inf: s underflowed to 0.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = drift.effect_size(ref, cur)
    expected = _exact_effect(ref, cur)
    assert got == pytest.approx(expected, rel=1e-12) if math.isfinite(expected) else got == math.inf
    assert math.isfinite(got) == math.isfinite(expected)
    # the scale does not matter: the same data times a power of 2 (where that is exact)
    if np.abs(np.concatenate([ref, cur])).max() < 1e300 and np.abs(ref[ref != 0]).min() > 1e-290:
        assert drift.effect_size(ref * 2.0**-30, cur * 2.0**-30) == pytest.approx(got, rel=1e-12)


def test_effect_size_for_categories_is_the_total_variation_of_shares():
    ref = ["a"] * 5 + ["b"] * 3 + [None] * 2
    cur = ["a"] * 2 + ["c"] * 6 + [None] * 2
    shares = [Counter(map(str, s)) for s in (ref, cur)]
    expected = 0.5 * sum(abs(shares[0][k] / 10 - shares[1][k] / 10)
                         for k in set(shares[0]) | set(shares[1]))
    assert dc.effect_size(ref, cur) == pytest.approx(expected)        # detected as categories
    assert dc.effect_size([1, 1, 2], [2, 2, 2], categorical=True) == pytest.approx(2 / 3)
    assert dc.effect_size([0.0, 1.0], [1.0, 2.0]) == dc.wasserstein_effect([0.0, 1.0], [1.0, 2.0])


# --- verdicts ----------------------------------------------------------------------

@pytest.mark.parametrize("p, effect, min_effect, verdict", [
    (0.01, 0.5, None, "drift"),
    (0.01, 0.05, None, "drift"),
    (0.01, 0.05, 0.1, "negligible drift"),
    (0.01, 0.1, 0.1, "drift"),                  # at the minimum: drift
    (0.05, 0.5, 0.1, "drift"),                  # p = alpha rejects
    (0.2, 0.5, 0.1, "no evidence of drift"),
    (0.2, 0.01, 0.1, "no evidence of drift"),
    (0.01, math.nan, 0.1, "drift"),             # unknown effect: the p-value decides
    (0.01, math.inf, 0.1, "drift"),
])
def test_drift_verdict(p, effect, min_effect, verdict):
    assert dc.drift_verdict(p, effect, alpha=0.05, min_effect=min_effect) == verdict
    assert verdict in dc.VERDICTS


@pytest.mark.parametrize("kwargs, match", [
    (dict(pvalue=1.5, effect=0.1), "pvalue must be between 0 and 1"),
    (dict(pvalue="0.1", effect=0.1), "pvalue must be a number"),
    (dict(pvalue=0.1, effect=-0.1), "effect must be >= 0"),
    (dict(pvalue=0.1, effect=0.1, alpha=1.0), "alpha must be between 0 and 1"),
    (dict(pvalue=0.1, effect=0.1, min_effect=-1), "min_effect must be None or a finite number"),
    (dict(pvalue=0.1, effect=0.1, min_effect=math.nan), "min_effect"),
    (dict(pvalue=0.1, effect=0.1, min_effect=True), "min_effect"),
])
def test_drift_verdict_refuses_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        dc.drift_verdict(**kwargs)


# --- the KL permutation p-value ----------------------------------------------------

def test_kl_permutation_pvalue_falls_back_to_drift_test_for_ties():
    """With ties the fast null does not apply; the p-value is drift_test's, same stream."""
    rng = np.random.default_rng(3)
    ref, cur = rng.integers(0, 30, 200).astype(float), rng.integers(0, 30, 150).astype(float)
    assert dc.kl_permutation_pvalue(ref, cur, n_permutations=99, seed=4) == \
        drift.drift_test(ref, cur, n_permutations=99, seed=4).pvalue


def test_kl_permutation_pvalue_is_drift_tests_within_monte_carlo_error():
    rng = np.random.default_rng(5)
    ref, cur = rng.normal(size=300), rng.normal(0.15, 1, 300)
    fast = dc.kl_permutation_pvalue(ref, cur, n_permutations=4000, seed=6)
    observed, permuted = _relearned_test(ref, cur, "quantile", 10, "kl", 0.5, 4000,
                                               np.random.default_rng(7), None)   # direct path
    direct = (1 + np.count_nonzero(permuted >= observed * (1 - 1e-12))) / 4001
    p = (fast + direct) / 2
    assert abs(fast - direct) < 4.5 * math.sqrt(2 * p * (1 - p) / 4001)


@pytest.mark.parametrize("ref, error", [
    ("abc", DistributionError), ([1.0, np.nan], DistributionError),
    (np.ma.masked_array([1.0, 2.0], [0, 1]), DistributionError), ([], DistributionError)])
def test_kl_permutation_pvalue_reports_bad_input_as_drift_test_does(ref, error):
    with pytest.raises(error):
        dc.kl_permutation_pvalue(ref, [1.0, 2.0])


# --- rejection-rate tables ---------------------------------------------------------

def test_every_rule_judges_the_same_data():
    seen = {"a": [], "b": []}

    def record(name):
        def rule(r, c, rng):
            seen[name].append((r.copy(), c.copy()))
            return name == "a"
        return rule

    table = dc.rejection_rates({"a": record("a"), "b": record("b")},
                               {"x": lambda rng, n: (rng.normal(size=n), rng.normal(size=n))},
                               sizes=[5, 8], trials=3, seed=0)
    assert len(seen["a"]) == 6
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
               for a, b in zip(seen["a"], seen["b"]))
    assert table.rate("x", 5, "a") == 1.0 and table.rate("x", 8, "b") == 0.0


def test_the_data_do_not_depend_on_the_random_numbers_a_rule_uses():
    seen = []

    def greedy(r, c, rng):
        rng.random(int(1000 * rng.random()))      # consumes a random amount
        seen.append(r.copy())
        return True

    dc.rejection_rates({"g": greedy}, {"x": lambda rng, n: (rng.normal(size=n), rng.normal(size=n))},
                       sizes=[4], trials=3, seed=0)
    first = seen[:]
    seen.clear()
    dc.rejection_rates({"t": lambda r, c, rng: seen.append(r.copy()) is None},
                       {"x": lambda rng, n: (rng.normal(size=n), rng.normal(size=n))},
                       sizes=[4], trials=3, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(first, seen)) and len(seen) == 3


def test_tables_are_reproducible_and_intervals_are_clopper_pearson():
    rules = {"KS": lambda r, c, rng: scipy.stats.ks_2samp(r, c).pvalue <= 0.05}
    scen = {"shift": lambda rng, n: (rng.normal(size=n), rng.normal(0.5, 1, n))}
    t1 = dc.rejection_rates(rules, scen, [30], 40, seed=1)
    t2 = dc.rejection_rates(rules, scen, [30], 40, seed=1)
    assert np.array_equal(t1.hits, t2.hits)
    k, n = int(t1.hits[0, 0, 0]), 40
    low, high = t1.interval("shift", 30, "KS")
    assert low == pytest.approx(scipy.stats.beta.ppf(0.025, k, n - k + 1))
    assert high == pytest.approx(scipy.stats.beta.ppf(0.975, k + 1, n - k))
    assert "shift:" in str(t1) and "n=30" in str(t1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(rules={}), "at least one"),
    (dict(trials=0), "trials"),
    (dict(sizes=[1]), "sizes"),
    (dict(sizes=[]), "sizes"),
])
def test_rejection_rates_refuses_bad_settings(kwargs, match):
    settings = dict(rules={"r": lambda r, c, rng: True},
                    scenarios={"s": lambda rng, n: (np.zeros(n), np.zeros(n))},
                    sizes=[5], trials=2)
    settings.update(kwargs)
    with pytest.raises(ValueError, match=match):
        dc.rejection_rates(**settings)


def test_standard_rules_decide_as_their_definitions_say():
    rng = np.random.default_rng(8)
    rules = dc.standard_rules()
    for n in (50, 1500):
        ref, cur = rng.normal(size=n), rng.normal(0.1, 1.2, n)
        edges = drift.bin_edges(ref, 10)
        m = drift.drift_measures(drift.bin_counts(ref, edges), drift.bin_counts(cur, edges))
        ks = scipy.stats.ks_2samp(ref, cur).pvalue <= 0.05
        w = np.mean(np.abs(np.sort(ref) - np.sort(cur))) / np.std(ref, ddof=1) >= 0.1
        expected = {"KS": ks, "PSI >= 0.1": m.psi >= 0.1, "PSI >= 0.25": m.psi >= 0.25,
                    "KL >= 0.1": m.kl_ref_cur >= 0.1, "JS dist >= 0.1": m.js >= 0.01,
                    "W/sd >= 0.1": w, "KS or W/sd": ks if n <= 1000 else w}
        for name, decision in expected.items():
            assert rules[name](ref, cur, rng) == decision, (name, n)


def test_standard_scenarios_keep_mean_and_sd_where_they_say():
    rng = np.random.default_rng(9)
    scenarios = dc.standard_scenarios()
    ref, cur = scenarios["bimodal, same mean and sd"](rng, 400_000)
    assert abs(cur.mean()) < 0.01 and cur.std() == pytest.approx(1, abs=0.01)
    assert scipy.stats.ks_2samp(ref, cur).pvalue < 1e-6          # but not the same shape
    ref, cur = scenarios["sd x 1.5"](rng, 400_000)
    assert cur.std() / ref.std() == pytest.approx(1.5, abs=0.01)
    ref, cur = scenarios["shift 0.25 sd"](rng, 400_000)
    assert cur.mean() - ref.mean() == pytest.approx(0.25, abs=0.01)


@pytest.mark.parametrize("ref, cur", [
    ([1.0, float(np.nextafter(1.0, 2.0))], [1.0]),
    ([1e5, 1e5 + 1 * np.spacing(1e5), 1e5 + 2 * np.spacing(1e5), 1e5], [1e5] * 3),
    ([1e308, 1e308 + np.spacing(1e308), 1e308 + 2 * np.spacing(1e308), 1e308], [1e308] * 3),
])
def test_wasserstein_effect_of_a_reference_spanning_a_few_floats_matches_exact_fractions(ref, cur):
    # W1 and the sd from exact Fractions of the binary values (the sd's square root in mpmath):
    # np.std's rounded mean once lost a third of the spread (0.5 for 1/sqrt(2)).
    import mpmath
    F = Fraction
    r, c = sorted(map(F, ref)), sorted(map(F, cur))
    grid = sorted(set(r) | set(c))
    cdf = lambda xs, t: F(sum(x <= t for x in xs), len(xs))    # noqa: E731
    w1 = sum(abs(cdf(r, a) - cdf(c, a)) * (b - a) for a, b in zip(grid, grid[1:]))
    mean = sum(r) / len(r)
    var = sum((x - mean) ** 2 for x in r) / (len(r) - 1)
    with mpmath.workdps(40):
        want = mpmath.mpf(w1.numerator) / w1.denominator / mpmath.sqrt(
            mpmath.mpf(var.numerator) / var.denominator)
    assert drift.wasserstein_effect(ref, cur) == pytest.approx(float(want), rel=1e-12)
