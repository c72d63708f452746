"""Tests of klteach._validation's refusals and messages: masked arrays, labelled input, advice that works."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import klteach as kt
from klteach import DistributionError
from strategies import mp_entropy, mp_kl

MASKED = np.ma.array([0.5, 0.5, 0.0], mask=[0, 1, 0])
PLAIN = np.array([0.2, 0.3, 0.5])

# Every public entry point that reads probabilities, with the masked input in each position.
ONE_INPUT = [kt.entropy, kt.normalize, kt.ideal_code_lengths]
TWO_INPUTS = [kt.kl_divergence, kt.js_divergence, kt.cross_entropy, kt.kl_contributions,
              kt.jeffreys_divergence, kt.js_distance, kt.hellinger_distance, kt.total_variation]


@pytest.mark.parametrize("f", ONE_INPUT)
def test_masked_input_is_refused_with_the_choices_spelled_out(f):
    # numpy ignores the mask: entropy([.5, .5, 0]) = ln 2 would be returned for a
    # vector whose visible entries sum to 0.5.
    with pytest.raises(DistributionError, match=r"masked array with 1 masked entry \(first at index 1\)") as info:
        f(MASKED)
    message = str(info.value)
    assert "filled(0)" in message and "compressed()" in message and "normalize" in message


@pytest.mark.parametrize("f", TWO_INPUTS)
def test_masked_input_is_refused_in_either_position(f):
    for p, q, name in [(MASKED, PLAIN, "p"), (PLAIN, MASKED, "q")]:
        with pytest.raises(DistributionError, match=rf"^{name} is a masked array"):
            f(p, q)


def test_masked_input_elsewhere_in_the_library_is_refused():
    with pytest.raises(DistributionError, match=r"kl is a masked array"):
        kt.pinsker_bound(np.ma.array([0.1, 0.2], mask=[1, 0]))
    with pytest.raises(DistributionError, match=r"masked array"):
        kt.gaussian_kl(np.ma.array([0.0, 1.0], mask=[0, 1]), 1.0, 0.0, 1.0)


def test_masked_array_with_nothing_masked_is_read_as_its_data():
    p = np.ma.array([0.5, 0.25, 0.25])                  # mask = nomask
    q = np.ma.array([0.25, 0.25, 0.5], mask=[0, 0, 0])  # explicit all-False mask
    assert kt.entropy(p) == pytest.approx(float(mp_entropy([0.5, 0.25, 0.25])), rel=1e-15, abs=0)
    assert kt.kl_divergence(p, q) == pytest.approx(float(mp_kl([0.5, 0.25, 0.25], [0.25, 0.25, 0.5])), rel=1e-15, abs=0)


def test_the_advice_for_masked_input_works():
    # filled(0): the masked outcome has probability 0, the rest must still sum to 1
    p = np.ma.array([0.5, 0.2, 0.5], mask=[0, 1, 0])
    assert kt.entropy(p.filled(0)) == pytest.approx(math.log(2), rel=1e-15, abs=0)
    # dropping the masked outcomes from both inputs alike, then renormalising
    q = np.array([0.4, 0.2, 0.4])
    keep = ~np.ma.getmaskarray(p)
    assert kt.kl_divergence(kt.normalize(p.data[keep]), kt.normalize(q[keep])) == 0.0


# --- labelled input (pandas Series and DataFrames, or anything with an .index) ------

pd = pytest.importorskip("pandas")


def test_series_in_a_different_order_are_refused_with_reindex_advice():
    p = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    q = pd.Series({"c": 0.5, "a": 0.3, "b": 0.2})
    for f in TWO_INPUTS:
        with pytest.raises(DistributionError, match=r"labels differ.*q\.reindex\(p\.index\)"):
            f(p, q)
    # the advice works: aligned by label, the pair is compared outcome by outcome
    aligned = q.reindex(p.index)
    expected = float(mp_kl([0.5, 0.3, 0.2], [0.3, 0.2, 0.5]))
    assert kt.kl_divergence(p, aligned) == pytest.approx(expected, rel=1e-15, abs=0)


def test_series_over_different_outcomes_name_the_labels():
    p = pd.Series({"a": 0.5, "b": 0.5})
    q = pd.Series({"a": 0.5, "z": 0.5})
    with pytest.raises(DistributionError, match=r"only in p: \['b'\], only in q: \['z'\].*fill_value=0"):
        kt.js_divergence(p, q)


def test_series_with_equal_labels_or_without_labels_are_accepted():
    p = pd.Series([0.5, 0.5], index=["x", "y"])
    q = pd.Series([0.25, 0.75], index=["x", "y"])
    expected = float(mp_kl([0.5, 0.5], [0.25, 0.75]))
    assert kt.kl_divergence(p, q) == pytest.approx(expected, rel=1e-15, abs=0)
    assert kt.kl_divergence(p, [0.25, 0.75]) == pytest.approx(expected, rel=1e-15, abs=0)   # a list has no labels
    assert kt.kl_divergence(p.to_numpy(), q) == pytest.approx(expected, rel=1e-15, abs=0)


def test_dataframes_with_different_columns_are_refused():
    p = pd.DataFrame([[0.5, 0.5]], columns=["x", "y"])
    q = pd.DataFrame([[0.25, 0.75]], columns=["y", "x"])
    with pytest.raises(DistributionError, match=r"\.columns.*q\[p\.columns\]"):
        kt.kl_divergence(p, q)
    expected = float(mp_kl([0.5, 0.5], [0.75, 0.25]))
    assert kt.kl_divergence(p, q[p.columns])[0] == pytest.approx(expected, rel=1e-15, abs=0)


def test_a_dataframe_batch_against_a_series_compares_the_columns_with_the_series_labels():
    # rows are two P's over outcomes y, x; numpy pairs the Series' index with the columns, not the rows
    df = pd.DataFrame([[0.9, 0.1], [0.8, 0.2]], index=["x", "y"], columns=["y", "x"])
    s = pd.Series([0.9, 0.1], index=["x", "y"])
    for f in TWO_INPUTS:
        for args, advice in (((df, s), r"q\.reindex\(p\.columns\)"), ((s, df), r"q\[p\.index\]")):
            with pytest.raises(DistributionError, match=r"p\.(columns|index) against q\.(index|columns).*" + advice):
                f(*args)
    # the advice works: Q over (y, x) = (0.1, 0.9); row 1 is 0.9 ln 9 + 0.1 ln(1/9), by hand
    got = kt.kl_divergence(df, s.reindex(df.columns))
    expected = [float(mp_kl([0.9, 0.1], [0.1, 0.9])), float(mp_kl([0.8, 0.2], [0.1, 0.9]))]
    np.testing.assert_allclose(got, expected, rtol=1e-15)
    assert kt.kl_divergence(s, df[s.index]) == pytest.approx(kt.kl_divergence([0.9, 0.1], [[0.1, 0.9], [0.2, 0.8]]))


def test_a_single_labelled_row_broadcast_against_a_batch_is_accepted():
    one = pd.DataFrame([[0.5, 0.5]], index=["ref"], columns=["x", "y"])
    batch = pd.DataFrame([[0.5, 0.5], [0.2, 0.8]], index=["a", "b"], columns=["x", "y"])
    np.testing.assert_allclose(kt.kl_divergence(batch, one), [0.0, float(mp_kl([0.2, 0.8], [0.5, 0.5]))],
                               rtol=1e-15, atol=0)
    with pytest.raises(DistributionError, match=r"only in p: \['y'\], only in q: \['z'\].*columns="):
        kt.kl_divergence(batch, one.rename(columns={"y": "z"}))


def test_distributions_named_differently_are_compared_when_their_outcomes_agree():
    # only the outcomes' labels are compared: a column "ref" against a column "cur" is the point of the call
    df = pd.DataFrame({"ref": [0.5, 0.3, 0.2], "cur": [0.4, 0.4, 0.2]}, index=list("abc"))
    expected = float(mp_kl([0.5, 0.3, 0.2], [0.4, 0.4, 0.2]))
    assert kt.kl_divergence(df[["ref"]], df[["cur"]], axis=0)[0] == pytest.approx(expected, rel=1e-15)
    assert kt.kl_divergence(df[["ref"]].T, df[["cur"]].T)[0] == pytest.approx(expected, rel=1e-15)
    months = pd.DataFrame([[0.5, 0.5], [0.2, 0.8]], index=["jan", "feb"], columns=["x", "y"])
    last_year = months.set_axis(["jan 2025", "feb 2025"], axis=0)
    np.testing.assert_allclose(kt.js_divergence(months, last_year), [0.0, 0.0], atol=0)
    with pytest.raises(DistributionError, match=r"p\.columns against q\.columns"):
        kt.kl_divergence(months, last_year[["y", "x"]])


def test_a_batch_whose_rows_are_the_same_names_reordered_is_refused():
    # from a review: the rows of a batch, the same names in another order, were paired by position
    # (kl_divergence gave [0.233, 0.197] where aligned rows give [0, 0])
    df = pd.DataFrame([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], columns=list("abc"), index=["r1", "r2"])
    for f in TWO_INPUTS:
        with pytest.raises(DistributionError, match=r"p\.index against q\.index.*q\.reindex\(p\.index\)"):
            f(df, df.loc[["r2", "r1"]])
        with pytest.raises(DistributionError, match=r"p\.columns against q\.columns.*q\[p\.columns\]"):
            f(df.T, df.T[["r2", "r1"]], axis=0)
    np.testing.assert_array_equal(kt.kl_divergence(df, df.loc[["r2", "r1"]].reindex(df.index)), [0.0, 0.0])


def test_batch_names_equal_by_value_or_shared_at_other_positions_are_refused():
    # from a fourth review: 0, 1 against 1.0, 0.0 (or np.str_ against str) were "named differently" by repr and
    # paired by position, and so were rows r1, r2 against r2, x
    p = pd.DataFrame([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]], index=["u", "v"], columns=list("abc"))
    q = pd.DataFrame([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]], index=["u", "v"], columns=list("abc"))
    for f in TWO_INPUTS:
        for a, b in ((p.set_axis([0, 1]), q.loc[["v", "u"]].set_axis([1.0, 0.0])),
                     (p, q.loc[["v", "u"]].set_axis(pd.Index([np.str_("v"), np.str_("u")], dtype=object)))):
            with pytest.raises(DistributionError, match=r"same labels in a different order"):
                f(a, b)
        with pytest.raises(DistributionError, match=r"names shared at different positions.*\['r2'\]"):
            f(p.set_axis(["r1", "r2"]), q.set_axis(["r2", "x"]))
    expected = [float(mp_kl([0.2, 0.3, 0.5], [0.5, 0.3, 0.2])), float(mp_kl([0.6, 0.2, 0.2], [0.1, 0.1, 0.8]))]
    np.testing.assert_allclose(kt.kl_divergence(p.set_axis([0, 1]), q.set_axis([0.0, 1.0])), expected, rtol=1e-15)
    np.testing.assert_allclose(kt.kl_divergence(p.set_axis(["ref", "x"]), q.set_axis(["cur", "y"])), expected,
                               rtol=1e-15)
    # outcomes 0, 1, 2 against 2.0, 1.0, 0.0: the same labels in another order, not "different labels"
    with pytest.raises(DistributionError, match=r"same labels in a different order"):
        kt.kl_divergence(pd.Series([0.2, 0.3, 0.5], index=[0, 1, 2]), pd.Series([0.5, 0.3, 0.2], index=[2.0, 1.0, 0.0]))


def test_the_same_labels_of_other_dtypes_in_the_same_order_are_accepted_and_repeated_labels_refused():
    # from a fifth review: an Int64 index against an int64 one, or one time zone against another, were refused as
    # "the same labels in a different order" (pandas' equals is False across those dtypes); repeated labels got
    # advice (reindex) that pandas refuses
    expected = float(mp_kl([0.5, 0.5], [0.9, 0.1]))
    p = pd.Series([0.5, 0.5], index=pd.Index([0, 1], dtype="int64"))
    assert kt.kl_divergence(p, pd.Series([0.9, 0.1], index=pd.Index([0, 1], dtype="Int64"))) == pytest.approx(
        expected, rel=1e-15)
    days = pd.date_range("2024-01-01", periods=2, tz="UTC")
    assert kt.kl_divergence(pd.Series([0.5, 0.5], index=days),
                            pd.Series([0.9, 0.1], index=days.tz_convert("Europe/Berlin"))) == pytest.approx(
        expected, rel=1e-15)
    with pytest.raises(DistributionError, match=r"p's repeat \(\['a'\]\).*groupby"):
        kt.kl_divergence(pd.Series([0.2, 0.3, 0.5], index=list("aab")), pd.Series([0.2, 0.3, 0.5], index=list("aba")))


def test_a_series_against_a_batch_along_axis_0_is_told_to_become_a_frame():
    # the advice named the other input and a numpy indexing pandas refuses (s[:, None])
    s = pd.Series([0.2, 0.3, 0.5], index=list("abc"))
    df = pd.DataFrame({"x": [0.2, 0.3, 0.5], "y": [0.1, 0.1, 0.8]}, index=list("abc"))
    with pytest.raises(DistributionError, match=r"p\[:, None\].*p\.to_frame\(\)"):
        kt.kl_divergence(s, df, axis=0)
    got = kt.kl_divergence(s.to_frame(), df, axis=0)
    np.testing.assert_allclose(got, [0.0, float(mp_kl([0.2, 0.3, 0.5], [0.1, 0.1, 0.8]))], rtol=1e-15, atol=0)


@pytest.mark.slow
def test_duck_typed_index_is_enough_and_pandas_is_not_imported():
    class Labelled(np.ndarray):
        pass

    p = np.array([0.5, 0.5]).view(Labelled)
    q = np.array([0.5, 0.5]).view(Labelled)
    p.index, q.index = ["x", "y"], ["y", "x"]
    with pytest.raises(DistributionError, match=r"labels differ"):
        kt.total_variation(p, q)
    import subprocess
    import sys
    code = "import sys, klteach; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


# --- advice that works --------------------------------------------------------------------

def test_normalize_copes_with_weights_whose_sum_overflows():
    np.testing.assert_array_equal(kt.normalize([1e308, 1e308]), [0.5, 0.5])
    np.testing.assert_allclose(kt.normalize([[0.5e308, 1.5e308], [1.0, 3.0]]), [[0.25, 0.75], [0.25, 0.75]], rtol=1e-15)


def test_overflowing_probabilities_get_advice_that_is_not_circular():
    with pytest.raises(DistributionError) as info:
        kt.entropy([1e308, 1e308])
    message = str(info.value)
    assert "normalize(p)" not in message and "p / np.max(p)" in message
    # the advice works: after dividing by the largest entry, the usual sum message follows
    with pytest.raises(DistributionError, match=r"p sums to 2.*normalize\(p\)"):
        kt.entropy(np.array([1e308, 1e308]) / 1e308)


def test_negative_rounding_noise_gets_clipping_advice_not_softmax_advice():
    q = np.array([0.3, 0.7, 0.0])
    q[2] = 1 - q[:2].sum() - 1e-17          # a tiny negative, as 1 - x gives
    assert q[2] < 0
    with pytest.raises(DistributionError, match=r"rounding noise.*np\.clip\(q, 0, None\)") as info:
        kt.kl_divergence([0.2, 0.3, 0.5], q)
    assert "softmax" not in str(info.value)
    # the advice works
    assert kt.kl_divergence([0.2, 0.3, 0.5], kt.normalize(np.clip(q, 0, None))) == math.inf
    with pytest.raises(DistributionError, match=r"negative entry -0\.5.*softmax"):
        kt.entropy([1.5, -0.5])


# --- unit conversion and range at the extremes ---------------------------------------------

def test_in_units_overflows_silently_and_only_when_the_true_value_does():
    import math
    import warnings

    import mpmath

    from klteach._validation import in_units
    base = 1.0000001                            # log(base) about 1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no RuntimeWarning from the division
        assert in_units(1e308, base) == math.inf          # 1e315 in base units: overflows
        value = in_units(1e300, base)
        assert math.isfinite(value)
        with mpmath.workdps(50):
            exact = mpmath.mpf(1e300) / mpmath.log(mpmath.mpf(base))
        assert value == pytest.approx(float(exact), rel=4e-16)
        out = in_units(np.array([1e308, 1.0]), base)
        assert out[0] == math.inf and out[1] == pytest.approx(1 / math.log(base), rel=4e-16)


def test_longdouble_beyond_float64_range_is_refused_without_a_warning():
    import warnings
    huge = np.array([np.longdouble("1e400"), 1.0], dtype=np.longdouble)
    if np.isinf(huge[0]):
        pytest.skip("np.longdouble is float64 on this platform")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(kt.DistributionError, match=r"beyond the range of a 64-bit float"):
            kt.gaussian_kl(huge[0], 1.0, 0.0, 1.0)
        with pytest.raises(kt.DistributionError, match=r"beyond the range of a 64-bit float"):
            kt.entropy(huge)


def test_fractions_are_read_as_their_nearest_floats():
    import math
    from fractions import Fraction
    p, q = [Fraction(1, 2)] * 2, [Fraction(1, 4), Fraction(3, 4)]
    want = 0.5 * math.log(2) + 0.5 * math.log(2 / 3)      # closed form
    assert kt.kl_divergence(p, q) == pytest.approx(want, rel=1e-15)


@pytest.mark.parametrize("bad, pattern", [
    ([Fraction(1, 2), None], r"None is not a number: it is of type NoneType, at index 1"),
    ([Decimal("0.5")] * 2,
     r"Decimal\('0.5'\) is not a number: it is of type Decimal, at index 0; klteach reads int, float, Fraction"),
    ([Fraction(10**400, 1), 1], r"^p has Fraction\(1000.*\.\.\. at index 0, beyond the range of a 64-bit float"),
])
def test_object_entries_that_are_not_read_are_named(bad, pattern):
    with pytest.raises(DistributionError, match=pattern):
        kt.kl_divergence(bad, [0.5, 0.5])


TINY = Fraction(1, 10**400)      # a probability no 64-bit float holds: float(TINY) is 0.0


@pytest.mark.parametrize("f", [kt.kl_divergence, kt.cross_entropy, kt.total_variation,
                               lambda p, q: kt.renyi_divergence(p, q, 2)])
def test_a_nonzero_probability_that_would_become_zero_is_refused(f):
    """D(P||Q) is infinite for P = [1e-400, 1 - 1e-400], Q = [0, 1] (P puts mass where Q has none), and so are
    the cross-entropy and the order-2 Renyi divergence; TV is 1e-400, not 0. Reading 1e-400 as 0.0 gave 0.0
    for all four, so a float cannot stand for it: refused, naming the entry and its size."""
    with pytest.raises(DistributionError, match=r"^p has Fraction\(1, 1000.*\(about 1e-400\) at index 0, "
                                                 r"nonzero but below the smallest positive 64-bit float"):
        f([TINY, 1 - TINY], [0, 1])


def test_normalize_refuses_a_weight_that_would_become_zero():
    with pytest.raises(DistributionError, match=r"^x has Fraction.*\(about 1e-400\) at index 0"):
        kt.normalize([TINY, Fraction(1)])


def test_a_longdouble_probability_that_would_become_zero_is_refused():
    e = np.longdouble("1e-4000")
    if e == 0:
        pytest.skip("np.longdouble is float64 on this platform")
    p = np.array([e, 1 - e], dtype=np.longdouble)
    for f in (kt.kl_divergence, kt.total_variation):
        with pytest.raises(DistributionError, match=r"^p has np.longdouble\('1e-4000'\) at index 0, nonzero but"):
            f(p, [0.0, 1.0])
    with pytest.raises(DistributionError, match=r"^sigma_p has np.longdouble\('1e-4000'\).*nonzero but below"):
        kt.gaussian_kl(0.0, e, 0.0, 1.0)        # a standard deviation, which must be > 0
    # a mean of 1e-4000 read as 0 changes D by about 1e-8000: it is accepted (closed form 0.5 ln 2 + ...)
    assert kt.gaussian_kl(e, 1.0, 0.0, 2.0) == pytest.approx(math.log(2) + 1 / 8 - 0.5, rel=1e-15)


def test_a_subnormal_fraction_keeps_its_support():
    """1e-320 is a (subnormal) float: it is read, and P's mass where Q has none makes D infinite."""
    e = Fraction(1, 10**320)
    assert kt.kl_divergence([e, 1 - e], [0, 1]) == math.inf


def test_bool_labels_are_not_the_numbers_and_repeated_column_labels_get_advice_that_works():
    # from a sixth review: True/False against 0/1 reordered were "the same labels" (pandas' reindex gives NaN), and
    # the advice for repeated columns (groupby(level=0)) grouped the rows
    with pytest.raises(DistributionError, match=r"only in p: \[True, False\], only in q: \[0, 1\]"):
        kt.kl_divergence(pd.Series([0.9, 0.1], index=[True, False]), pd.Series([0.1, 0.9], index=[0, 1]))
    # from a seventh review: in the same order they were paired (pandas' equals says True is 1), and the advice
    # (reindex with fill_value=0) gave q zeros; now both orders are refused with advice that works
    p, q = pd.Series([0.9, 0.1], index=[True, False]), pd.Series([0.2, 0.8], index=[1, 0])
    for other in (q, q.iloc[::-1]):
        with pytest.raises(DistributionError, match=r"True/False labels where the other has 1/0") as refused:
            kt.kl_divergence(p, other)
        q = other.copy()
        exec(re.search(r"q\.index = q\.index\.astype\(bool\)", str(refused.value)).group(0))
        truth = 0.9 * math.log(0.9 / 0.2) + 0.1 * math.log(0.1 / 0.8)
        assert kt.kl_divergence(p, q.reindex(p.index)) == pytest.approx(truth)
    p = pd.DataFrame([[0.2, 0.3, 0.5]], columns=["a", "a", "b"])
    with pytest.raises(DistributionError, match=r"p\.T\.groupby\(p\.columns\)\.sum\(\)\.T") as refused:
        kt.kl_divergence(p, pd.DataFrame([[0.2, 0.3, 0.5]], columns=["a", "b", "c"]))
    merged = eval(re.search(r"p\.T\.groupby\(p\.columns\)\.sum\(\)\.T", str(refused.value)).group(0))
    assert list(merged.columns) == ["a", "b"] and merged.to_numpy().tolist() == [[0.5, 0.5]]


def test_nan_labels_are_one_label_and_drift_report_keeps_true_apart_from_1():
    # from an eighth review: the same NaN label on both sides was "only in p: [nan], only in q: [nan]", and
    # drift_report compared a column named True with one named 1
    p = pd.Series([0.2, 0.3, 0.5], index=[1.0, np.nan, 2.0])
    with pytest.raises(DistributionError, match=r"the same labels in a different order"):
        kt.kl_divergence(p, pd.Series([0.3, 0.5, 0.2], index=[np.nan, 2.0, 1.0]))
    from klteach.drift import drift_report
    a = np.random.default_rng(0).normal(size=50)
    with pytest.raises(ValueError, match=r"missing from current: True; only in current: 1"):
        drift_report(pd.DataFrame({True: a}), pd.DataFrame({1: a + 1}), n_permutations=99, seed=0)
