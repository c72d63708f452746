"""Tests of klteach/drift/binning.py: bin edges learned from the reference, counts per bin and
category (the same bins counted in SQL: test_sql.py).
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from drift_references import ref_counts_of, ref_edges, ref_quantile_edges, zero_inflated

from klteach import DistributionError, drift


def test_quantile_edges_match_numpy_and_cover_the_reference():
    ref = np.random.default_rng(0).normal(size=501)
    edges = drift.bin_edges(ref, 10)
    expected = np.quantile(ref, np.linspace(0, 1, 11))
    np.testing.assert_allclose(edges[:-1], expected[:-1], rtol=1e-14)
    assert edges[-1] == np.nextafter(ref.max(), np.inf)
    counts = drift.bin_counts(ref, edges)
    assert counts[0] == 0 and counts[-1] == 0 and counts.sum() == len(ref)
    assert set(counts[1:-1]) <= {50, 51}


@pytest.mark.parametrize("rule", ["fd", "sturges", "auto"])
def test_numpy_rules_match_histogram_bin_edges(rule):
    ref = np.random.default_rng(1).gamma(2.0, size=300)
    edges = drift.bin_edges(ref, rule)
    expected = np.histogram_bin_edges(ref, rule)
    np.testing.assert_array_equal(edges[:-1], expected[:-1])
    assert edges[-1] == np.nextafter(expected[-1], np.inf)


def test_counts_include_values_outside_the_reference_range():
    rng = np.random.default_rng(2)
    edges = drift.bin_edges(rng.normal(size=200), 5)
    current = rng.normal(0, 3, size=1000)   # many values beyond the reference range
    counts = drift.bin_counts(current, edges)
    np.testing.assert_array_equal(counts, ref_counts_of(current, edges))
    assert counts.sum() == 1000 and counts[0] > 0 and counts[-1] > 0


def test_fixed_edges_are_used_as_given():
    assert list(drift.bin_edges([5.0, 6.0], [0, 1, 2])) == [0, 1, 2]
    np.testing.assert_array_equal(drift.bin_counts([-1, 0, 0.5, 1, 2, 7], [0, 1, 2]), [1, 2, 1, 2])


def test_constant_reference_gets_below_equal_above_bins():
    edges = drift.bin_edges([3.0] * 10)
    np.testing.assert_array_equal(drift.bin_counts([2.0, 3.0, 3.0, 4.0, 3.0], edges), [1, 3, 1])
    r = drift.drift_test([3.0] * 50, [3.0] * 40 + [4.0] * 10, seed=0, n_permutations=200)
    assert r.pvalue < 0.05 and len(r.reference_counts) == 3


def test_ties_merge_duplicate_quantile_edges():
    ref = np.repeat([1.0, 2.0, 3.0], [80, 10, 10])
    edges = drift.bin_edges(ref, 10)
    assert np.all(np.diff(edges) > 0)
    np.testing.assert_array_equal(drift.bin_counts(ref, edges)[1:-1].sum(), 100)


def test_nan_bin_counts_missing_values():
    counts = drift.bin_counts([0.5, np.nan, 1.5, np.nan], [0, 1, 2], nan="bin")
    np.testing.assert_array_equal(counts, [0, 1, 1, 0, 2])
    edges = drift.bin_edges([1.0, np.nan, 3.0, 2.0], 2, nan="bin")
    np.testing.assert_allclose(edges[:-1], [1.0, 2.0])


def test_category_counts_include_new_categories():
    cats, ref, cur = drift.category_counts(["a", "b", "a"], ["c", "a", "c", "c"])
    assert cats == ["a", "b", "c"]
    np.testing.assert_array_equal(ref, [2, 1, 0])
    np.testing.assert_array_equal(cur, [1, 0, 3])
    cats, ref, cur = drift.category_counts(["a", None], ["a", float("nan")], nan="bin")
    assert cats == ["<missing>", "a"] and list(ref) == [1, 1] and list(cur) == [1, 1]


@pytest.mark.parametrize("sample, match", [
    ([], "empty"),
    ([1.0, np.nan, 2.0], r"1 NaN value.*index 1.*nan='bin'"),
    ([1.0, np.inf], "infinite value at index 1"),
    ([[1.0, 2.0], [3.0, 4.0]], "1-D"),
    (["a", "b"], "categor"),
    ("abc", "string"),
    ([np.nan, np.nan], "only NaN"),
])
def test_bad_samples_are_refused(sample, match):
    nan = "bin" if match == "only NaN" else "raise"
    with pytest.raises(DistributionError, match=match):
        drift.bin_edges(sample, nan=nan)


def test_numpy_float_nan_labels_are_missing_values():
    # A list built from a float32 array holds np.float32 scalars, not Python floats.
    labels = list(np.array([1.0, np.nan, np.nan], dtype=np.float32))
    with pytest.raises(DistributionError, match=r"missing value \((np\.float\d+\()?nan\)?\) at index 1"):
        drift.category_counts(labels, [1.0])
    categories, ref, cur = drift.category_counts(labels, [1.0], nan="bin")
    assert categories == [1.0, "<missing>"]
    assert ref.tolist() == [1, 2] and cur.tolist() == [1, 0]


def test_a_point_mass_gets_its_own_bin_and_the_rest_quantile_bins():
    rng = np.random.default_rng(20)
    ref = zero_inflated(rng, 2000, 1)
    edges = drift.bin_edges(ref, 10)
    positive = np.sort(ref[ref > 0])
    np.testing.assert_array_equal(edges[:2], [0.0, np.nextafter(0.0, 1.0)])
    np.testing.assert_allclose(edges[2:], ref_quantile_edges(positive, 9), rtol=1e-15)
    counts = drift.bin_counts(ref, edges)
    assert counts[1] == np.sum(ref == 0) and counts[2] == 0      # the zeros alone, then the gap to the rest
    assert counts[3:-1].max() - counts[3:-1].min() <= 1           # nine equal shares of the positives
    np.testing.assert_array_equal(edges, ref_edges(ref, 10))


@pytest.mark.parametrize("sample", [
    np.random.default_rng(23).normal(size=1000),
    np.round(np.random.default_rng(24).normal(50, 15, size=2000)),   # whole numbers: ties, no point mass
    np.random.default_rng(25).exponential(size=37),
])
def test_data_without_point_masses_keep_the_plain_quantile_bins(sample):
    assert np.unique(sample, return_counts=True)[1].max() * 10 <= len(sample)
    np.testing.assert_array_equal(drift.bin_edges(sample, 10), np.unique(ref_quantile_edges(sample, 10)))


def _missing_labels():
    labels = [None, float("nan"), np.float32("nan"), np.datetime64("NaT"), np.timedelta64("NaT")]
    try:
        import pandas as pd
    except ImportError:
        return labels
    return labels + [pd.NA, pd.NaT]


@pytest.mark.parametrize("missing", _missing_labels(), ids=repr)
def test_every_kind_of_missing_label_is_refused_or_binned(missing):
    with pytest.raises(DistributionError, match="missing value .* at index 1"):
        drift.category_counts(["a", missing, "b"], ["a", "b"])
    with pytest.raises(DistributionError, match="current has a missing value"):
        drift.category_counts(["a", "b"], ["b", missing])
    cats, ref, cur = drift.category_counts(["a", missing, "b"], ["a", "b", missing, missing], nan="bin")
    assert cats == ["<missing>", "a", "b"] and ref.tolist() == [1, 1, 1] and cur.tolist() == [2, 1, 1]


_MAX = np.finfo(float).max


def _exact_quantile_edge(sorted_values, j, k):
    """Edge j of k, in exact rational arithmetic, rounded once to the nearest float."""
    h = Fraction((len(sorted_values) - 1) * j, k)
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    low, high = Fraction(sorted_values[lo]), Fraction(sorted_values[hi])
    return low, high, float(low + (h - lo) * (high - low))


@pytest.mark.parametrize("sample, k", [
    ([-1.7e308, 1.7e308], 2),
    ([-1.7e308, 1.7e308, 1.75e308], 3),
    ([-_MAX, -_MAX / 2, _MAX], 3),
    ([-_MAX, -0.9 * _MAX, 0.9 * _MAX, _MAX], 4),
    ([-_MAX, -1.0, 0.5, 1e-300, _MAX], 4),
    (list(np.linspace(-1.7e308, -1e308, 50)) + list(np.linspace(1e308, 1.7e308, 50)), 5),
    (list(np.linspace(-1.7e308, -1e308, 50)) + list(np.linspace(1e308, 1.7e308, 50)), 7),
    ([-1e308, 1e-300, 3e307, 1.7e308, 1.79e308], 4),
])
def test_quantile_edges_of_values_further_apart_than_the_largest_float_match_exact_fractions(sample, k):
    # Some neighbouring order statistics are further apart than the largest float
    # (high - low overflows); every edge must still be the interpolated point, within two
    # roundings of the larger end, and inside [low, high].
    x = np.sort(np.array(sample))
    assert len(np.unique(x)) == len(x) and k <= len(x)     # plain quantile bins, no point mass
    with np.errstate(over="raise", invalid="raise"):
        edges = drift.bin_edges(x, k)
    assert np.all(np.isfinite(edges)) and np.all(edges[1:] > edges[:-1])
    assert len(edges) == k + 1
    for j in range(k):
        low, high, exact = _exact_quantile_edge(x, j, k)
        tolerance = 2 * Fraction(math.ulp(max(abs(float(low)), abs(float(high)))))
        assert abs(Fraction(edges[j]) - Fraction(exact)) <= tolerance, (j, edges[j], exact)
        assert low <= Fraction(edges[j]) <= high
    # The largest float has no float above it: it is counted in the bin at or above the last edge.
    assert edges[-1] == (np.nextafter(x[-1], np.inf) if x[-1] < _MAX else _MAX)
    counts = drift.bin_counts(x, edges)
    assert counts.sum() == len(x) and counts[0] == 0
    assert counts[-1] == int(np.sum(x == _MAX))


def test_ordinary_quantile_edges_are_unchanged_by_the_overflow_safe_interpolation():
    # Where high - low is finite the edge is low + f (high - low), bit for bit.
    x = np.sort(np.random.default_rng(5).standard_cauchy(997) * 1e300)
    edges = drift.bin_edges(x, 10)
    expected = ref_quantile_edges(x, 10)
    np.testing.assert_array_equal(edges[:-1], expected[:-1])


@pytest.mark.parametrize("rule", ["fd", "auto", "sturges", "doane", "scott", "rice", "sqrt"])
@pytest.mark.parametrize("sample", [
    [-_MAX, 0.0, 1.0, _MAX],
    [-1.7e308, -1e308, 2.0, 1e308, 1.7e308],
    list(np.random.default_rng(6).normal(size=300) * 5e307),
])
def test_numpy_rules_on_values_near_the_largest_float(rule, sample):
    # numpy's own rules overflow (max - min, squares) on these; the edges must be numpy's
    # edges for the same sample scaled down by 2**-600 (exact), scaled back, ends exact.
    x = np.array(sample)
    with np.errstate(over="raise", invalid="raise"):
        edges = drift.bin_edges(x, rule)
        counts = drift.bin_counts(x, edges)
    scaled = np.histogram_bin_edges(x * 2.0 ** -600, rule) * 2.0 ** 600
    np.testing.assert_array_equal(edges[1:-1], scaled[1:-1])
    assert edges[0] == x.min()
    assert edges[-1] == (np.nextafter(x.max(), np.inf) if x.max() < _MAX else _MAX)
    assert counts.sum() == len(x) and counts[0] == 0 and counts[-1] == np.sum(x == _MAX)


def test_a_constant_reference_at_the_largest_float_gets_finite_edges():
    edges = drift.bin_edges(np.full(5, _MAX), 10)
    assert np.all(np.isfinite(edges)) and edges[-1] == _MAX and edges[0] < _MAX
    np.testing.assert_array_equal(drift.bin_counts([_MAX, -1.0, np.nextafter(_MAX, 0)], edges),
                                  [1, 1, 1])


@pytest.mark.parametrize("rule", ["scott", "doane", "stone", "fd", "sturges"])
def test_numpy_rules_at_tiny_scales_keep_their_bins(rule):
    """Squares of 1e-300 underflow: scott, doane and stone gave one bin at that scale.

    Reference: numpy's own rule on the same sample at scale 1 (the rules depend only on ratios
    of widths, so multiplying by 2**-1000 multiplies every edge by exactly that).
    """
    x = np.random.default_rng(0).normal(size=1000)
    expected = np.histogram_bin_edges(x, bins=rule)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # stone's overflow warning at 1e-310 as well
        tiny = drift.bin_edges(np.ldexp(x, -1000), rule)
        subnormal = drift.bin_edges(x * 1e-310, rule)
    assert len(tiny) == len(expected) and len(subnormal) == len(expected)
    np.testing.assert_array_equal(tiny[1:-1], np.ldexp(expected[1:-1], -1000))
    np.testing.assert_allclose(subnormal[1:-1], expected[1:-1] * 1e-310, rtol=1e-9)


def test_drift_test_with_a_numpy_rule_does_not_depend_on_a_tiny_scale():
    x = np.random.default_rng(0).normal(size=1000)
    y = np.random.default_rng(1).normal(0.3, 1.0, size=1000)
    ref = drift.drift_test(x, y, bins="scott", seed=0, n_permutations=199)
    tiny = drift.drift_test(np.ldexp(x, -1000), np.ldexp(y, -1000), bins="scott", seed=0,
                            n_permutations=199)
    assert ref.pvalue < 0.05 and tiny.pvalue == ref.pvalue
    assert len(tiny.edges) == len(np.histogram_bin_edges(x, bins="scott"))


def test_a_category_named_like_the_missing_bin_is_refused_with_nan_bin():
    # from a sixth review: '<missing>' and the missing values were counted as one category without a word
    from klteach import DistributionError
    from klteach.drift import category_counts
    with pytest.raises(DistributionError, match=r"category named '<missing>' at index 0.*Rename"):
        category_counts(["<missing>", None, "a"], ["a", "a", None], nan="bin")
    assert category_counts(["<missing>", "a"], ["a", "a"])[0] == ["<missing>", "a"]   # without nan='bin': a name
    from klteach.drift import sql as ds
    with pytest.raises(DistributionError, match=r"reference_rows\[0\] is a category named '<missing>'"):
        ds.category_counts_from_rows([("<missing>", 2), (None, 1)], [("a", 1)], nan="bin")
    assert ds.category_counts_from_rows([("x", 2), (None, 1)], [("x", 1)], nan="bin")[0] == ["<missing>", "x"]


def test_true_and_false_are_categories_of_their_own_and_equal_numbers_are_one():
    # from a seventh review: category_counts merged 1, 1.0 and True into one category (the rows version refused it)
    from klteach.drift import category_counts
    from klteach.drift import sql as ds
    cats, ref, cur = category_counts([1, 1.0, True, 2, np.True_], [True, 1, False, 0])
    assert cats == [0, 1, 2, False, True] and ref.tolist() == [0, 2, 1, 0, 2] and cur.tolist() == [1, 1, 0, 1, 1]
    assert all(type(c) is bool for c in cats[3:]) and type(cats[1]) is int    # (1 is named by its first label)
    cats, ref, cur = ds.category_counts_from_rows([(1, 3), (True, 2)], [(1.0, 1), (False, 4)])
    assert cats == [1, False, True] and ref.tolist() == [3, 0, 2] and cur.tolist() == [1, 4, 0]
