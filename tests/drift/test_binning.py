"""Tests of klteach/drift/binning.py: bin edges learned from the reference, counts per bin and
category, and the same bins counted in SQL.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from klteach import DistributionError, drift

from drift_references import ref_counts_of, ref_edges, ref_quantile_edges, zero_inflated


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


def sql_counts(db, table, edges, column="x"):
    """Counts per bin from SQLite, with the edges bound as parameters; the last slot is NULL."""
    case, params = drift.sql_bin_case(column, edges)
    rows = db.execute(f"SELECT {case} AS b, COUNT(*) FROM {table} GROUP BY b", params).fetchall()
    counts = np.zeros(len(edges) + 2, int)
    for b, n in rows:
        counts[b] = n
    return counts


def python_counts(values, edges):
    """Bins by plain float comparisons, one value at a time; the last slot counts NaN."""
    counts = [0] * (len(edges) + 2)
    for v in values:
        if v != v:
            counts[-1] += 1
        else:
            counts[sum(1 for e in edges if v >= e)] += 1
    return np.array(counts)


def test_sql_case_bins_like_numpy_in_sqlite():
    rng = np.random.default_rng(3)
    edges = drift.bin_edges(rng.normal(size=300), 8)
    values = np.concatenate([rng.normal(0, 2, 500), edges[:4]])   # values exactly on edges too
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x REAL)")
    db.executemany("INSERT INTO t VALUES (?)", [(float(v),) for v in values] + [(None,)] * 3)
    expected = drift.bin_counts(np.append(values, [np.nan] * 3), edges, nan="bin")
    np.testing.assert_array_equal(sql_counts(db, "t", edges), expected)
    np.testing.assert_array_equal(python_counts(np.append(values, [np.nan] * 3), edges), expected)


def test_sql_case_is_exact_for_values_on_edges_with_17_digit_edges():
    # Decimal literals with 17 significant digits are sometimes parsed one ulp off by
    # SQLite; bound parameters are not. Every value sits exactly on an edge or one ulp
    # either side of it, so a single misplaced edge changes the counts.
    rng = np.random.default_rng(17)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x REAL)")
    # Doubles whose shortest repr SQLite 3.40.1 parses one ulp off, found by comparing
    # "SELECT literal = ?" with the bound double, then random edges at several scales.
    misparsed = np.array([-43.73916177876389, -0.4492737738909445, 1.528330717803562,
                          135.1812322563555])
    edge_sets = [misparsed] + [np.sort(rng.normal(0, scale, 6)) for scale in (1, 100) for _ in range(150)]
    for trial, edges in enumerate(edge_sets):
        values = np.concatenate([edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf)])
        db.execute("DELETE FROM t")
        db.executemany("INSERT INTO t VALUES (?)", [(float(v),) for v in values])
        np.testing.assert_array_equal(sql_counts(db, "t", edges), python_counts(values, edges),
                                      err_msg=f"trial {trial}, edges {edges.tolist()}")


def test_sql_case_quotes_the_column_name():
    db = sqlite3.connect(":memory:")
    db.execute('CREATE TABLE t ("amount ""eur""; DROP TABLE t" REAL)')
    db.executemany("INSERT INTO t VALUES (?)", [(1.0,), (2.5,), (None,)])
    counts = sql_counts(db, "t", [2.0, 3.0], column='amount "eur"; DROP TABLE t')
    np.testing.assert_array_equal(counts, [1, 1, 0, 1])
    assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (3,)
    case, params = drift.sql_bin_case("x", [1.0, 2.0], placeholder="%s")
    assert case.count("%s") == 2 and "?" not in case and params == (1.0, 2.0)
    with pytest.raises(TypeError, match="column"):
        drift.sql_bin_case("", [1.0])
    with pytest.raises(ValueError):
        drift.sql_bin_case("x", [2.0, 1.0])


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


def _integer_table(values, edges):
    """An SQLite table t(x INTEGER) of ``values``, and the reference counts per bin (NULL bin last): each
    integer rounded to the nearest float64, then compared with the edges in Python."""
    import sqlite3
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x INTEGER)")
    db.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    expected = [0] * (len(edges) + 2)
    for v in values:
        expected[sum(float(v) >= e for e in edges)] += 1
    return db, expected


@pytest.mark.parametrize("edge_offsets", [(0, 8), (4, 12), (-2, 4), (-4, 0, 8)])
@pytest.mark.parametrize("sign", [1, -1])
def test_sql_bin_case_agrees_with_bin_counts_on_integers_near_2_to_the_53(edge_offsets, sign):
    big = 2**53
    values = [sign * (big + j) for j in range(-6, 11)]          # exact INTEGERs in SQLite
    edges = sorted(float(sign * (big + j)) for j in edge_offsets)
    db, expected = _integer_table(values, edges)
    assert list(drift.bin_counts(np.array(values, dtype=np.int64), edges)) == expected[:-1]
    assert list(sql_counts(db, "t", edges)) == expected


def test_sql_bin_case_casts_only_where_integers_could_compare_differently():
    case, _ = drift.sql_bin_case("x", [0.5, 2.0**52])
    assert "CAST" not in case
    case, _ = drift.sql_bin_case("x", [-(2.0**53), 0.5])
    assert case.count('CAST("x" AS DOUBLE PRECISION) < ?') == 2 and '"x" IS NULL' in case
    case, _ = drift.sql_bin_case("x", [0.0, 2.0**60], float_type="DOUBLE")
    assert 'CAST("x" AS DOUBLE) < ?' in case
    with pytest.raises(TypeError, match="float_type"):
        drift.sql_bin_case("x", [1.0], float_type="")


@pytest.mark.parametrize("edges", [[2.0**53 - 2, 2.0**53 - 1], [-(2.0**53) + 1, 2.0**53 - 1.5],
                                   [9007199254740990.0, 9007199254740991.0]])
def test_sql_without_a_cast_agrees_while_every_edge_is_below_2_to_the_53(edges):
    # the claim that the cast is needed only from 2**53 on, checked by brute force
    case, _ = drift.sql_bin_case("x", edges)
    assert "CAST" not in case
    db, expected = _integer_table([s * (2**53 + j) for s in (1, -1) for j in range(-8, 9)], edges)
    assert list(sql_counts(db, "t", edges)) == expected
