"""Tests of klteach/drift/report.py: drift reports of whole tables, Holm's adjustment, missing
values and point masses.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from drift_references import ref_counts_of, ref_measure

from klteach import DistributionError, datasets, drift
from klteach.drift.report import _check_holm_reachable, _holm


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


def test_us_macro_data_is_consistent_with_its_definitions():
    macro = datasets.us_macro()
    assert len(macro["year"]) == 203 and macro["year"][0] == 1959 and macro["quarter"][-1] == 3
    # infl = 400 ln(cpi_t / cpi_{t-1}), realint = tbilrate - infl (both rounded to 2 decimals)
    infl = 400 * np.diff(np.log(macro["cpi"]))
    np.testing.assert_allclose(macro["infl"][1:], infl, atol=0.006)
    np.testing.assert_allclose(macro["realint"][1:], macro["tbilrate"][1:] - macro["infl"][1:], atol=0.011)


def test_a_single_string_for_categorical_is_refused():
    table = {"ab": ["x", "y"], "a": [1.0, 2.0]}
    with pytest.raises(TypeError, match=r"categorical must be a list of column names.*\['ab'\]"):
        drift.drift_report(table, table, categorical="ab")
    with pytest.raises(TypeError, match=r"features must be a list of column names.*\['ab'\]"):
        drift.drift_report(table, table, features="ab")


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_report_effect_column_is_the_normalised_wasserstein_distance_and_the_share_change():
    from collections import Counter

    import scipy.stats
    rng = np.random.default_rng(21)
    ref = {"x": rng.normal(3, 2, 400), "plan": rng.choice(["a", "b", "c"], 400, p=[0.5, 0.3, 0.2])}
    cur = {"x": rng.normal(3.5, 2, 300), "plan": rng.choice(["a", "b", "d"], 300, p=[0.4, 0.4, 0.2])}
    rows = {r.feature: r for r in drift.drift_report(ref, cur, n_permutations=200, seed=3).rows}
    expected_x = scipy.stats.wasserstein_distance(ref["x"], cur["x"]) / np.std(ref["x"], ddof=1)
    assert rows["x"].effect == pytest.approx(expected_x, rel=1e-12)
    r, c = Counter(ref["plan"].tolist()), Counter(cur["plan"].tolist())
    tv = sum(abs(Fraction(r[k], 400) - Fraction(c[k], 300)) for k in set(r) | set(c)) / 2
    assert rows["plan"].effect == pytest.approx(float(tv), rel=1e-12)
    report = drift.drift_report(ref, cur, n_permutations=200, seed=3)
    header = [h.strip() for h in str(report).splitlines()[1].split("  ") if h.strip()]
    assert header.index("effect") == header.index("missing +/-") - 1 == header.index("p") - 2
    assert f"{rows['x'].effect:.4f}" in str(report) and "<th>effect</th>" in report._repr_html_()


def test_min_effect_calls_a_significant_but_tiny_drift_negligible():
    rng = np.random.default_rng(22)
    n = 20_000
    ref = {"tiny": rng.normal(0, 1, n), "big": rng.normal(0, 1, n), "none": rng.normal(0, 1, n)}
    cur = {"tiny": rng.normal(0.07, 1, n), "big": rng.normal(0.5, 1, n), "none": rng.normal(0, 1, n)}
    plain = {r.feature: r for r in drift.drift_report(ref, cur, n_permutations=199, seed=4).rows}
    gated = drift.drift_report(ref, cur, n_permutations=199, seed=4, min_effect=0.1)
    rows = {r.feature: r for r in gated.rows}
    # The 0.07 sd shift is detected at this size, and its effect (about 0.07) is below 0.1.
    assert plain["tiny"].verdict == "drift" and rows["tiny"].effect < 0.1
    assert rows["tiny"].verdict == "negligible drift"
    assert rows["big"].verdict == "drift" and rows["big"].effect > 0.4
    assert rows["none"].verdict == plain["none"].verdict == "no evidence of drift"
    assert [r.pvalue for r in gated.rows] == [plain[r.feature].pvalue for r in gated.rows]
    assert gated.min_effect == 0.1 and "negligible" in str(gated).splitlines()[0]
    for bad in (-0.1, float("nan"), float("inf"), "0.1", True):
        with pytest.raises(ValueError, match="min_effect"):
            drift.drift_report(ref, cur, n_permutations=199, min_effect=bad)


def test_newly_missing_values_are_their_own_column_not_part_of_the_effect():
    """30% of the current values newly missing: D(ref||cur) = -ln 0.7, missing +/- shows it."""
    import scipy.stats
    rng = np.random.default_rng(23)
    ref, cur = rng.normal(0, 1, 2000), rng.normal(0, 1, 2000)
    cur[rng.permutation(2000)[:600]] = np.nan
    row = drift.drift_report({"x": ref}, {"x": cur}, nan="bin", min_effect=0.1, seed=1).rows[0]
    assert row.kl_ref_cur == pytest.approx(-math.log(0.7), abs=0.01)
    assert row.missing_change == pytest.approx(600 / 2000)
    present = cur[~np.isnan(cur)]
    w = scipy.stats.wasserstein_distance(ref, present) / np.std(ref, ddof=1)
    assert w < 0.1                                     # the values alone did not move
    assert row.effect == pytest.approx(w, rel=1e-12)   # sds of the values, no share mixed in
    assert row.verdict == "drift"
    assert "+0.3000" in str(drift.drift_report({"x": ref}, {"x": cur}, nan="bin", seed=1))


def test_effect_noise_is_the_no_drift_spread_of_the_effect():
    """The report's noise level against the 95th percentile of W/sd over fresh no-drift pairs."""
    import scipy.stats
    sim = np.random.default_rng(24)
    fresh = [scipy.stats.wasserstein_distance(r, c) / np.std(r, ddof=1)
             for r, c in ((sim.normal(size=1000), sim.normal(size=1000)) for _ in range(300))]
    q95 = np.quantile(fresh, 0.95)
    row = drift.drift_report({"x": sim.normal(size=1000)}, {"x": sim.normal(size=1000)},
                             n_permutations=99, min_effect=0.1, seed=2).rows[0]
    assert 0.7 * q95 < row.effect_noise < 1.3 * q95


@pytest.mark.slow
def test_small_samples_are_not_called_negligible_by_chance():
    """n = m = 100, a 0.05 sd shift: W/sd's noise (median about 0.17) exceeds min_effect = 0.1."""
    sim = np.random.default_rng(25)
    verdicts = [drift.drift_report({"x": sim.normal(0, 1, 100)}, {"x": sim.normal(0.05, 1, 100)},
                                   n_permutations=199, min_effect=0.1,
                                   seed=int(sim.integers(2**32))).rows[0].verdict
                for _ in range(60)]
    assert "negligible drift" not in verdicts
    assert verdicts.count("drift") <= 12                   # the test's own rate, about 5-10%


def test_report_effect_of_a_feature_near_the_largest_float_is_a_number():
    # Values up to the largest float: the effect (W1 / s, invariant under scaling) is scipy's
    # on the same data scaled by 2**-1000 (exact), not nan (or 0.0) as when W1 and s overflowed.
    import scipy.stats
    rng = np.random.default_rng(4)
    big = np.finfo(float).max
    ref, cur = rng.uniform(0.5, 1, 200) * big, rng.uniform(0.4, 0.9, 150) * big
    small_ref, small_cur = np.ldexp(ref, -1000), np.ldexp(cur, -1000)
    expected = (scipy.stats.wasserstein_distance(small_ref, small_cur)
                / np.std(small_ref, ddof=1))
    report = drift.drift_report({"a": ref}, {"a": cur}, n_permutations=200, seed=1)
    assert report.rows[0].effect == pytest.approx(expected, rel=1e-12)
    assert f"{expected:.4f}" in str(report)


def test_five_percent_newly_missing_is_drift_not_negligible():
    """20,000 N(0, 1) per side, 5% of the current values set missing: the values did not move
    (W/sd about 0.01, below min_effect = 0.1 with its noise), but 5 percentage points of the
    data went missing, above the default min_missing_change of 0.01: "drift"."""
    rng = np.random.default_rng(26)
    ref, cur = rng.normal(size=20_000), rng.normal(size=20_000)
    cur[rng.permutation(20_000)[:1000]] = np.nan
    row = drift.drift_report({"x": ref}, {"x": cur}, nan="bin", min_effect=0.1,
                             n_permutations=199, seed=2).rows[0]
    assert row.missing_change == pytest.approx(np.isnan(cur).mean() - np.isnan(ref).mean())
    assert row.effect + row.effect_noise < 0.1 and row.pvalue_holm <= 0.05
    assert row.verdict == "drift"


def test_min_missing_change_is_the_bar_for_the_missing_share():
    """A 0.05 sd shift and 0.2% newly missing at 20,000 per side: negligible under the
    default bar of 0.01, drift when the bar is 0.001 (below the 0.002 change)."""
    rng = np.random.default_rng(27)
    ref, cur = rng.normal(size=20_000), rng.normal(0.05, 1, 20_000)
    cur[rng.permutation(20_000)[:40]] = np.nan
    args = dict(nan="bin", min_effect=0.1, n_permutations=199, seed=3)
    row = drift.drift_report({"x": ref}, {"x": cur}, **args).rows[0]
    assert row.pvalue_holm <= 0.05 and row.missing_change == pytest.approx(0.002)
    assert row.verdict == "negligible drift"
    strict = drift.drift_report({"x": ref}, {"x": cur}, min_missing_change=0.001, **args)
    assert strict.rows[0].verdict == "drift" and strict.min_missing_change == 0.001
    for bad in (-0.01, float("nan"), float("inf"), "0.01", True):
        with pytest.raises(ValueError, match="min_missing_change"):
            drift.drift_report({"x": ref}, {"x": cur}, min_missing_change=bad, **args)


def test_missing_noise_is_the_hypergeometric_spread_of_the_missing_share():
    """With k missing among N pooled values, a random split puts X ~ Hypergeom(N, k, n) of them
    in the reference: missing_noise is about the 95th percentile of |(k - X)/m - X/n|."""
    import scipy.stats
    rng = np.random.default_rng(28)
    n = m = 2000
    ref, cur = rng.normal(size=n), rng.normal(size=m)
    ref[:40], cur[:120] = np.nan, np.nan
    k = 160
    x = np.arange(k + 1)
    spread = np.abs((k - x) / m - x / n)
    prob = scipy.stats.hypergeom(n + m, k, n).pmf(x)
    order = np.argsort(spread)
    q95 = spread[order][np.searchsorted(np.cumsum(prob[order]), 0.95)]
    row = drift.drift_report({"x": ref}, {"x": cur}, nan="bin", min_effect=0.1,
                             n_permutations=99, seed=4).rows[0]
    assert 0.7 * q95 <= row.missing_noise <= 1.3 * q95


def test_report_with_min_effect_prints_the_noise_that_decides_the_verdict():
    """n = m = 300 and a 0.3 sd shift: the printed table has the noise next to the effect."""
    rng = np.random.default_rng(29)
    report = drift.drift_report({"x": rng.normal(size=300)}, {"x": rng.normal(0.3, 1, 300)},
                                n_permutations=199, min_effect=0.1, seed=5)
    row = report.rows[0]
    header = [h.strip() for h in str(report).splitlines()[1].split("  ") if h.strip()]
    assert header[8:12] == ["effect", "noise", "missing +/-", "missing noise"]
    values = str(report).splitlines()[2].split()
    assert values[8:12] == [f"{row.effect:.4f}", f"{row.effect_noise:.4f}", "+0.0000", "0.0000"]
    assert "<th>noise</th>" in report._repr_html_()
    plain = drift.drift_report({"x": rng.normal(size=30)}, {"x": rng.normal(size=30)},
                               n_permutations=199, seed=5)
    assert "noise" not in str(plain).splitlines()[1]


def test_an_effect_that_cannot_be_measured_in_most_splits_is_infinite_noise_not_negligible():
    # 8 reference values (6 zeros, 2 ones) against 2000 mostly zeros: in most random splits the
    # reference is constant, so W/sd is infinite there; brute force over 2000 splits says the 95th
    # percentile is infinite, so the detected drift cannot be called negligible (it was, with noise 0).
    ref, cur = np.array([0.0] * 6 + [1.0] * 2), np.array([0.0] * 1996 + [1.0] * 4)
    pooled, rng = np.r_[ref, cur], np.random.default_rng(5)
    constant = np.mean([np.ptp(pooled[rng.permutation(len(pooled))[:8]]) == 0 for _ in range(2000)])
    assert constant > 0.05                                  # so the 95th percentile is infinite
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = drift.drift_report({"x": ref}, {"x": cur}, min_effect=1.0, n_permutations=999, seed=0).rows[0]
    assert row.effect < 1.0 and row.pvalue <= 0.05
    assert row.effect_noise == math.inf and row.verdict == "drift"


def test_min_missing_change_zero_still_allows_negligible_drift_without_missing_values():
    # No value missing on either side: the missing-share bar has nothing to judge, so a tiny shift
    # with a bar of 0 is as negligible as with the default bar (it was "drift" for every feature).
    sim = np.random.default_rng(31)
    ref, cur = sim.normal(0, 1, 50_000), sim.normal(0.03, 1, 50_000)
    verdicts = {bar: drift.drift_report({"x": ref}, {"x": cur}, min_effect=0.1, n_permutations=99, seed=3,
                                        min_missing_change=bar).rows[0]
                for bar in (0.0, 0.01)}
    assert verdicts[0.01].pvalue_holm <= 0.05
    assert verdicts[0.01].effect + verdicts[0.01].effect_noise < 0.1
    assert verdicts[0.0].verdict == verdicts[0.01].verdict == "negligible drift"
    # ... while any newly missing value is drift with a bar of 0
    cur_missing = cur.copy()
    cur_missing[:50] = np.nan
    row = drift.drift_report({"x": ref}, {"x": cur_missing}, nan="bin", min_effect=0.1, n_permutations=99,
                             seed=3, min_missing_change=0.0).rows[0]
    assert row.missing_change > 0 and row.verdict == "drift"
