"""Tests of klteach/drift/binning.py: bin edges learned from the reference, counts per bin and
category (the same bins counted in SQL: test_sql.py).
"""

from __future__ import annotations

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
