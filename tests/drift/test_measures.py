"""Tests of klteach/drift/measures.py: D(ref||cur), D(cur||ref), PSI and JS of smoothed histograms.
"""

from __future__ import annotations

import math

import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from klteach import DistributionError, drift

from drift_references import ref_measure


counts_pairs = st.integers(2, 12).flatmap(lambda k: st.tuples(
    st.lists(st.integers(0, 60), min_size=k, max_size=k).filter(any),
    st.lists(st.integers(0, 60), min_size=k, max_size=k).filter(any)))


@pytest.mark.slow
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


def test_bad_current_counts_are_named():
    with pytest.raises(DistributionError, match=r"^current_counts\[1\] = -2 is negative"):
        drift.drift_measures([1, 2], [1, -2])


def test_counts_too_large_to_be_exact_are_refused_clearly():
    for huge in (2**63, 1e300):
        with pytest.raises(DistributionError, match=r"^reference_counts\[0\] = \S+ is too large to be exact"):
            drift.drift_measures([huge, 1], [1, 1])
