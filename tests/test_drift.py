"""Tests of klteach.drift against numpy, scipy, exact permutation distributions and simulation."""

from __future__ import annotations

import itertools
import math
import sqlite3
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon

from klteach import DistributionError, datasets, drift
from klteach.drift.report import _check_holm_reachable, _holm


# --- independent references ----------------------------------------------------

def smoothed(counts, a):
    c = np.asarray(counts, float) + a
    return c / c.sum()


def ref_measure(measure, ref_counts, cur_counts, a=0.5):
    """The statistic from scipy, on histograms smoothed here."""
    p, q = smoothed(ref_counts, a), smoothed(cur_counts, a)
    return {"kl": scipy.stats.entropy(p, q), "kl_reverse": scipy.stats.entropy(q, p),
            "psi": float(np.sum((p - q) * np.log(p / q))), "js": jensenshannon(p, q) ** 2}[measure]


def ref_counts_of(x, edges):
    """Counts with overflow bins via np.histogram on the inner range."""
    x = np.asarray(x, float)
    inner = x[(x >= edges[0]) & (x < edges[-1])]
    # np.histogram closes its last bin; values equal to edges[-1] are excluded above.
    return np.concatenate([[np.sum(x < edges[0])], np.histogram(inner, edges)[0],
                           [np.sum(x >= edges[-1])]])


def ref_quantile_edges(x, k):
    """Linear interpolation between order statistics at the exact positions (n - 1) j / k."""
    x = np.sort(x)
    e = []
    for j in range(k + 1):
        h = Fraction((len(x) - 1) * j, k)
        lo = math.floor(h)
        hi = min(lo + 1, len(x) - 1)
        e.append(x[lo] + float(h - lo) * (x[hi] - x[lo]) if hi > lo else x[lo])
    e[-1] = np.nextafter(x[-1], np.inf)
    return e


def ref_edges(ref, rule):
    ref = np.asarray(ref, float)
    if ref.min() == ref.max():
        return np.array([ref.min(), np.nextafter(ref.min(), np.inf)])
    if isinstance(rule, int):
        # A value seen more than n / k times (a point mass) gets the bin [v, next float);
        # the other values share k - (number of point masses) quantile bins (at least 1).
        counts = {v: int(np.sum(ref == v)) for v in np.unique(ref)}
        atoms = [v for v, c in counts.items() if c * rule > len(ref)]
        rest = [v for v in ref if v not in atoms]
        e = [x for v in atoms for x in (v, np.nextafter(v, np.inf))]
        if rest:
            e += ref_quantile_edges(rest, max(1, rule - len(atoms)))
        return np.unique(np.array(e))
    e = np.histogram_bin_edges(ref, rule)
    e[-1] = np.nextafter(ref.max(), np.inf)
    return np.unique(e)


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


# --- bins --------------------------------------------------------------------------

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


# --- measures ------------------------------------------------------------------------

counts_pairs = st.integers(2, 12).flatmap(lambda k: st.tuples(
    st.lists(st.integers(0, 60), min_size=k, max_size=k).filter(any),
    st.lists(st.integers(0, 60), min_size=k, max_size=k).filter(any)))


@settings(max_examples=60)
@given(counts_pairs, st.sampled_from([0.01, 0.5, 3.0]))
def test_measures_match_scipy_on_smoothed_histograms(pair, a):
    ref, cur = pair
    m = drift.drift_measures(ref, cur, pseudo_count=a)
    for name, value in [("kl", m.kl_ref_cur), ("kl_reverse", m.kl_cur_ref), ("psi", m.psi), ("js", m.js)]:
        assert value == pytest.approx(ref_measure(name, ref, cur, a), rel=1e-9, abs=1e-13)
    bits = drift.drift_measures(ref, cur, pseudo_count=a, base=2)
    assert bits.psi == pytest.approx(m.psi / math.log(2), rel=1e-12, abs=1e-15)
    assert bits.units == "bits" and m.units == "nats" and m.pseudo_count == a


def test_no_smoothing_gives_infinity_when_a_bin_is_empty_on_one_side():
    m = drift.drift_measures([10, 0, 5], [3, 4, 8], pseudo_count=0)
    assert m.kl_cur_ref == math.inf and m.psi == math.inf
    assert m.kl_ref_cur == pytest.approx(scipy.stats.entropy([10, 0, 5], [3, 4, 8]), rel=1e-12)


def test_psi_is_the_sum_of_both_directions():
    m = drift.drift_measures([50, 30, 20], [30, 30, 40])
    assert m.psi == pytest.approx(m.kl_ref_cur + m.kl_cur_ref, rel=1e-15)


# --- permutation tests: exactness --------------------------------------------------

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


def test_raw_test_with_ties_matches_exact_permutations():
    ref, cur = np.array([1.0, 1.0, 2.0, 2.0, 3.0]), np.array([2.0, 3.0, 3.0, 3.0, 1.0])
    exact = exact_pvalue(ref, cur, 3, "kl")
    r = drift.drift_test(ref, cur, bins=3, n_permutations=20000, seed=6)
    assert r.pvalue == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20000) + 1e-4)


# --- permutation tests: false alarms and power (the criteria) ---------------

@pytest.mark.parametrize("n, m", [(100, 100), (30, 80)])
def test_false_alarm_rate_is_near_alpha_without_drift(n, m):
    rng = np.random.default_rng(2024 + n)
    trials = 400
    alarms = sum(drift.drift_test(rng.normal(size=n), rng.normal(size=m), n_permutations=199,
                                  seed=rng).pvalue <= 0.05 for _ in range(trials))
    assert 0.03 <= alarms / trials <= 0.08


def test_detects_a_quarter_sd_shift_with_1000_per_side():
    rng = np.random.default_rng(7)
    trials = 60
    hits = sum(drift.drift_test(rng.normal(0, 1, 1000), rng.normal(0.25, 1, 1000), n_permutations=199,
                                seed=rng).pvalue <= 0.05 for _ in range(trials))
    assert hits / trials >= 0.9


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


# --- reports -----------------------------------------------------------------------

class FakeFrame:
    """Just enough of a DataFrame: .columns and column access."""

    def __init__(self, data):
        self._data = data
        self.columns = list(data)

    def __getitem__(self, name):
        return self._data[name]


def test_report_accepts_dicts_structured_arrays_and_dataframes():
    rng = np.random.default_rng(10)
    ref = {"a": rng.normal(size=200), "b": rng.normal(size=200)}
    cur = {"a": rng.normal(0.6, 1, size=200), "b": rng.normal(size=200)}
    struct = lambda d: np.rec.fromarrays([d["a"], d["b"]], names="a,b")
    reports = [drift.drift_report(x, y, n_permutations=200, seed=1)
               for x, y in [(ref, cur), (struct(ref), struct(cur)), (FakeFrame(ref), FakeFrame(cur))]]
    for report in reports:
        assert [r.feature for r in report.rows] == ["a", "b"]
        assert report.rows[0].verdict == "drift"
        assert report.rows[0].pvalue == reports[0].rows[0].pvalue
    row = reports[0].rows[0]
    e = drift.bin_edges(ref["a"], 10)
    assert row.psi == pytest.approx(ref_measure("psi", ref_counts_of(ref["a"], e), ref_counts_of(cur["a"], e)),
                                    rel=1e-12)
    text, html = str(reports[0]), reports[0]._repr_html_()
    assert "D(ref||cur)" in text and "nats" in text and "<table>" in html and "drift" in html


def test_report_handles_categorical_features_and_holm_adjustment():
    ref = {"plan": ["x"] * 50 + ["y"] * 50, "code": [1] * 50 + [2] * 50}
    cur = {"plan": ["x"] * 40 + ["z"] * 60, "code": [1] * 52 + [2] * 48}
    report = drift.drift_report(ref, cur, categorical=["code"], n_permutations=300, seed=2)
    rows = {r.feature: r for r in report.rows}
    assert rows["plan"].kind == rows["code"].kind == "categorical"
    assert rows["plan"].verdict == "drift" and rows["code"].verdict == "no evidence of drift"
    assert rows["plan"].test.categories == ["x", "y", "z"]
    # Holm by hand on a textbook example.
    np.testing.assert_allclose(_holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])


# --- bad input ---------------------------------------------------------------------

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


def test_bad_current_counts_are_named():
    with pytest.raises(DistributionError, match=r"^current_counts\[1\] = -2 is negative"):
        drift.drift_measures([1, 2], [1, -2])


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match=r"missing from current: 'b'"):
        drift.drift_report({"a": [1.0, 2.0], "b": [1.0, 2.0]}, {"a": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"only in current: 'c'"):
        drift.drift_report({"a": [1.0, 2.0]}, {"a": [1.0, 2.0], "c": [1.0]})
    with pytest.raises(TypeError, match="must be a table"):
        drift.drift_report([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="alpha"):
        drift.drift_report({"a": [1.0]}, {"a": [1.0]}, alpha=5)
    with pytest.raises(ValueError, match="categorical names"):
        drift.drift_report({"a": [1.0]}, {"a": [1.0]}, categorical=["b"])
    # a bad feature is reported in its row, not raised (see test_report_survives_a_bad_feature)
    row = drift.drift_report({"a": [1.0, 2.0]}, {"a": [1.0, np.nan]}, n_permutations=20).rows[0]
    assert row.verdict == "error" and row.error.startswith("DistributionError: current has 1 NaN")
    for bad in ({"measure": "kld"}, {"bins": "weird"}, {"pseudo_count": -1}, {"n_permutations": 0},
                {"nan": "drop"}):   # settings shared by all features still raise
        with pytest.raises(ValueError):
            drift.drift_report({"a": [1.0, 2.0]}, {"a": [1.0, 2.0]}, **bad)
    with pytest.raises(DistributionError, match="missing value"):
        drift.category_counts(["a", None], ["a"])
    # features= selects common columns when the tables differ
    report = drift.drift_report({"a": [1.0, 2.0, 3.0]}, {"a": [1.0, 2.0], "c": [1.0]}, features=["a"],
                                n_permutations=50, seed=0)
    assert [r.feature for r in report.rows] == ["a"]


# --- the shipped dataset -------------------------------------------------------------

def test_us_macro_data_is_consistent_with_its_definitions():
    macro = datasets.us_macro()
    assert len(macro["year"]) == 203 and macro["year"][0] == 1959 and macro["quarter"][-1] == 3
    # infl = 400 ln(cpi_t / cpi_{t-1}), realint = tbilrate - infl (both rounded to 2 decimals)
    infl = 400 * np.diff(np.log(macro["cpi"]))
    np.testing.assert_allclose(macro["infl"][1:], infl, atol=0.006)
    np.testing.assert_allclose(macro["realint"][1:], macro["tbilrate"][1:] - macro["infl"][1:], atol=0.011)


# --- plots and widgets (they draw, with the house colours) ---------------------------

def test_plots_and_widgets_draw():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klteach import plots, widgets
    rng = np.random.default_rng(11)
    report = drift.drift_report({"a": rng.normal(size=100), "b": rng.choice(["u", "v"], 100)},
                                {"a": rng.normal(1, 1, 100), "b": rng.choice(["u", "w"], 100)},
                                n_permutations=50, seed=0)
    axes = plots.drift_histograms(report, top=2)
    bars = axes[0].patches
    assert matplotlib.colors.to_hex(bars[0].get_facecolor()) == plots.P_COLOR.lower()
    assert matplotlib.colors.to_hex(bars[-1].get_facecolor()) == plots.Q_COLOR.lower()
    # plugin_bias, false_alarm_rates and kl_vs_bins only draw what they are given: tested with
    # the notebook-06 figures in tests/test_plots_widgets.py
    result = widgets.show_drift(0.5, 50, n_permutations=50)
    assert result.pvalue <= 1
    assert widgets.drift_explorer().children
    plt.close("all")


def test_histograms_skip_untested_features_and_draw_an_all_missing_reference():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klteach import plots
    rng = np.random.default_rng(0)
    report = drift.drift_report(
        {"a": rng.normal(size=100), "b": np.full(100, np.nan), "c": np.r_[rng.normal(size=99), np.inf]},
        {"a": rng.normal(1, 1, 100), "b": rng.normal(size=100), "c": rng.normal(size=100)},
        nan="bin", n_permutations=50, seed=0)
    assert [r.verdict for r in report.rows if r.feature == "c"] == ["error"]
    axes = plots.drift_histograms(report, top=3)
    titles = [ax.get_title() for ax in axes if ax.get_title()]
    assert len(titles) == 2 and not any(t.startswith("c:") for t in titles)
    b_axis = next(ax for ax in axes if ax.get_title().startswith("b:"))
    assert [t.get_text() for t in b_axis.get_xticklabels()] == ["present", "NaN"]
    plt.close("all")


# --- review: numpy scalars, huge counts, a string for categorical ---------------------------

def test_numpy_float_nan_labels_are_missing_values():
    # A list built from a float32 array holds np.float32 scalars, not Python floats.
    labels = list(np.array([1.0, np.nan, np.nan], dtype=np.float32))
    with pytest.raises(DistributionError, match=r"missing value \((np\.float\d+\()?nan\)?\) at index 1"):
        drift.category_counts(labels, [1.0])
    categories, ref, cur = drift.category_counts(labels, [1.0], nan="bin")
    assert categories == [1.0, "<missing>"]
    assert ref.tolist() == [1, 2] and cur.tolist() == [1, 0]


def test_counts_too_large_to_be_exact_are_refused_clearly():
    for huge in (2**63, 1e300):
        with pytest.raises(DistributionError, match=r"^reference_counts\[0\] = \S+ is too large to be exact"):
            drift.drift_measures([huge, 1], [1, 1])


def test_a_single_string_for_categorical_is_refused():
    table = {"ab": ["x", "y"], "a": [1.0, 2.0]}
    with pytest.raises(TypeError, match=r"categorical must be a list of column names.*\['ab'\]"):
        drift.drift_report(table, table, categorical="ab")
    with pytest.raises(TypeError, match=r"features must be a list of column names.*\['ab'\]"):
        drift.drift_report(table, table, features="ab")


# --- point masses: zero-inflated features ----------------------------------------------

def zero_inflated(rng, n, low):
    """90% zeros, the rest uniform on (low, 100)."""
    x = np.zeros(n)
    positive = rng.random(n) < 0.1
    x[positive] = rng.uniform(low, 100, positive.sum())
    return x


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


def test_zero_inflated_without_drift_keeps_the_false_alarm_rate():
    rng = np.random.default_rng(22)
    trials = 200
    alarms = sum(drift.drift_test(zero_inflated(rng, 150, 1), zero_inflated(rng, 150, 1), n_permutations=99,
                                  seed=rng).pvalue <= 0.05 for _ in range(trials))
    assert alarms / trials <= 0.08      # at most alpha, up to simulation noise (sd 0.015)


@pytest.mark.parametrize("sample", [
    np.random.default_rng(23).normal(size=1000),
    np.round(np.random.default_rng(24).normal(50, 15, size=2000)),   # whole numbers: ties, no point mass
    np.random.default_rng(25).exponential(size=37),
])
def test_data_without_point_masses_keep_the_plain_quantile_bins(sample):
    assert np.unique(sample, return_counts=True)[1].max() * 10 <= len(sample)
    np.testing.assert_array_equal(drift.bin_edges(sample, 10), np.unique(ref_quantile_edges(sample, 10)))


# --- missing values: a feature missing entirely --------------------------------------------

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


def test_report_refuses_too_few_permutations_for_holm():
    # With B shuffles the smallest p-value is 1/(B + 1); Holm multiplies it by m. Reference:
    # exact rational arithmetic (alpha = 0.05 is the float nearest 1/20, slightly above it).
    for m, b in [(1, 19), (1, 18), (20, 399), (20, 398), (50, 999), (51, 999), (60, 1000), (60, 1199)]:
        possible = Fraction(m, b + 1) <= Fraction(0.05)
        data = {f"f{i}": np.arange(20.0) for i in range(m)}
        if possible:
            _check_holm_reachable(m, b, 0.05)   # the check drift_report makes before testing
        else:
            with pytest.raises(ValueError, match=f"n_permutations={b} the smallest.*{m} features"):
                drift.drift_report(data, data, n_permutations=b, seed=0)
    with pytest.raises(ValueError, match="Pass n_permutations=1199 or more"):
        drift.drift_report({f"f{i}": np.arange(20.0) for i in range(60)},
                           {f"f{i}": np.arange(20.0) for i in range(60)})
    # features that cannot be tested do not count: 3 columns, 2 tested, 2/51 <= 0.05
    ok = drift.drift_report({"a": np.arange(20.0), "b": np.arange(20.0), "c": [np.inf, 1.0]},
                            {"a": np.arange(20.0), "b": np.arange(20.0), "c": [1.0, 2.0]},
                            n_permutations=50, seed=0)
    assert [r.verdict for r in ok.rows] == ["no evidence of drift"] * 2 + ["error"]


def test_report_flags_many_strongly_drifted_features_once_b_is_large_enough():
    # 60 features each shifted by 2 sd: with B + 1 >= m / alpha every one is flagged.
    rng = np.random.default_rng(40)
    ref = {f"f{i}": rng.normal(0, 1, 100) for i in range(60)}
    cur = {f"f{i}": rng.normal(2, 1, 100) for i in range(60)}
    report = drift.drift_report(ref, cur, n_permutations=1199, seed=0)
    assert all(r.pvalue == 1 / 1200 for r in report.rows)        # no shuffle reaches a 2 sd shift
    assert all(r.pvalue_holm == pytest.approx(60 / 1200) for r in report.rows)
    assert all(r.verdict == "drift" for r in report.rows)


def test_report_survives_a_bad_feature_and_reports_an_all_missing_one():
    rng = np.random.default_rng(28)
    x = rng.normal(size=200)
    ref = {"moved": x, "gone": rng.normal(size=200), "same": rng.normal(size=200), "broken": [1.0, np.inf]}
    cur = {"moved": x + 1, "gone": np.full(200, np.nan), "same": rng.normal(size=200), "broken": [1.0, 2.0]}
    report = drift.drift_report(ref, cur, nan="bin", n_permutations=99, seed=0)
    rows = {r.feature: r for r in report.rows}
    assert rows["gone"].verdict == "drift" and rows["moved"].verdict == "drift"
    assert rows["same"].verdict == "no evidence of drift"
    bad = rows["broken"]
    assert report.rows[-1] is bad and bad.verdict == "error" and bad.test is None
    assert "reference has an infinite value at index 1" in bad.error and math.isnan(bad.pvalue)
    # Holm's adjustment counts the three features that were tested
    tested = [r for r in report.rows if r.test is not None]
    np.testing.assert_allclose([r.pvalue_holm for r in tested], _holm([r.pvalue for r in tested]))
    assert "broken: DistributionError: reference has an infinite value" in str(report)
    assert "could not be tested" in report._repr_html_()


# --- integers beyond 2**53: SQLite compares exactly, numpy rounds first -------------------

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
