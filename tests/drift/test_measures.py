"""Tests of klteach/drift/measures.py: D(ref||cur), D(cur||ref), PSI and JS of smoothed histograms.
"""

from __future__ import annotations

import math

import pytest
import scipy.stats
from drift_references import ref_measure
from hypothesis import given, settings
from hypothesis import strategies as st

from klteach import DistributionError, drift

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


class Labelled:
    """Counts with labels (.index), as a pandas Series has them; pandas is not needed."""

    def __init__(self, counts, labels):
        self.counts, self.index = list(counts), list(labels)

    def __array__(self, dtype=None, copy=None):
        import numpy as np
        return np.asarray(self.counts, dtype=dtype)


def _labelled_pairs():
    pairs = [(Labelled([50, 30, 20], "abc"), Labelled([20, 50, 30], "cab"))]
    try:
        import pandas as pd
    except ImportError:
        return pairs
    return pairs + [(pd.Series([50, 30, 20], index=list("abc")), pd.Series([20, 50, 30], index=list("cab")))]


@pytest.mark.parametrize("ref, cur", _labelled_pairs())
def test_labelled_counts_in_another_order_are_refused_not_paired_by_position(ref, cur):
    # The same counts per label, listed in another order: by position they would differ.
    assert drift.drift_measures([50, 30, 20], [50, 30, 20]).kl_ref_cur == 0
    for call in (lambda: drift.drift_measures(ref, cur), lambda: drift.drift_test_counts(ref, cur, seed=0)):
        with pytest.raises(DistributionError, match="labels differ.*different order.*reindex"):
            call()
    aligned = cur.reindex(ref.index) if hasattr(cur, "reindex") else Labelled([50, 30, 20], "abc")
    assert drift.drift_measures(ref, aligned).kl_ref_cur == 0


@pytest.mark.parametrize("a", [1e300, 1e307, 1e308, 1.7e308])
def test_an_enormous_pseudo_count_gives_nearly_uniform_histograms_not_an_overflow(a):
    import mpmath
    mpmath.mp.dps = 50
    ref, cur = [5, 3, 2, 0], [1, 2, 3, 9]
    m = drift.drift_measures(ref, cur, pseudo_count=a)

    def smoothed(c):
        total = sum(mpmath.mpf(x) + mpmath.mpf(a) for x in c)
        return [(mpmath.mpf(x) + mpmath.mpf(a)) / total for x in c]
    p, q = smoothed(ref), smoothed(cur)
    kl = lambda u, v: sum(x * mpmath.log(x / y) for x, y in zip(u, v))
    assert m.kl_ref_cur == pytest.approx(float(kl(p, q)), rel=1e-6, abs=1e-300)
    assert m.kl_cur_ref == pytest.approx(float(kl(q, p)), rel=1e-6, abs=1e-300)
    assert math.isfinite(m.psi) and math.isfinite(m.js) and m.js >= 0
    r = drift.drift_test_counts(ref, cur, pseudo_count=a, n_permutations=50, seed=0)
    assert 0 < r.pvalue <= 1
