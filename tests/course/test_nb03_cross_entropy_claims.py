"""Claims made in the prose of notebook 03 (notebooks/03_cross_entropy.ipynb), checked against
independent references.

Each test names the notebook section whose sentence it backs. References are mpmath at
high precision, scipy quadrature, brute-force sums or closed forms; none calls the function a claim
is about to compute its own expected value.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext

import mpmath as mp
import numpy as np
import pytest
from _helpers import mp_kl, random_pairs

import klteach as kt

pytestmark = pytest.mark.usefixtures("fifty_digits")   # mpmath at 50 digits (tests/course/conftest.py)


SIZES = 10.0 ** -np.arange(2, 12)


P_CLOSE = np.array([0.25, 0.25, 0.5])


def q_close(size):
    q1 = 0.25 + size
    return np.array([q1, 0.5 - q1, 0.5])


def test_the_pairs_sum_to_exactly_one_and_the_decimal_reference_matches_mpmath():
    getcontext().prec = 50
    for size in SIZES:
        q = q_close(size)
        assert mp.fsum(mp.mpf(x) for x in q) == 1 and mp.fsum(mp.mpf(x) for x in P_CLOSE) == 1
        ref = mp_kl(P_CLOSE, q)
        dec = sum(Decimal(a) * (Decimal(a).ln() - Decimal(b).ln()) for a, b in zip(P_CLOSE, q))
        assert abs(mp.mpf(str(dec)) - ref) / ref < mp.mpf("1e-25")


def test_both_textbook_formulas_lose_every_digit_and_kl_divergence_does_not():
    for size in SIZES:
        q = q_close(size)
        ref = mp_kl(P_CLOSE, q)
        rel = lambda x: float(abs(mp.mpf(float(x)) - ref) / ref)
        ce_minus_h = kt.cross_entropy(P_CLOSE, q) - kt.entropy(P_CLOSE)
        plain = np.sum(P_CLOSE * np.log(P_CLOSE / q))
        assert rel(kt.kl_divergence(P_CLOSE, q)) < 1e-12          # "stays below 1e-12"
        if size <= 1e-9:                                        # "no correct digit from 1e-9 on"
            assert rel(ce_minus_h) >= 0.99 and rel(plain) >= 0.99
            assert plain < 0                                    # "the direct sum has the wrong sign"
        if size >= 1e-2:                                        # "both start below 1e-12"
            assert 1e-15 < rel(plain) < 1e-13 and 1e-14 < rel(ce_minus_h) < 1e-12


@pytest.mark.slow
def test_the_bracket_terms_are_non_negative_and_sum_to_kl():
    for p, q in random_pairs(200, seed=3):
        brackets = [mp.mpf(a) * mp.log(mp.mpf(a) / mp.mpf(b)) + mp.mpf(b) - mp.mpf(a)
                    for a, b in zip(p, q) if a > 0]
        brackets += [mp.mpf(b) for a, b in zip(p, q) if a == 0]
        assert all(term >= 0 for term in brackets)
        total_p, total_q = mp.fsum(mp.mpf(a) for a in p), mp.fsum(mp.mpf(b) for b in q)
        assert abs(mp.fsum(brackets) - (mp_kl(p, q) + total_q - total_p)) < mp.mpf("1e-40")


def test_plain_numpy_brackets_keep_about_eight_digits_at_size_1e_9():
    q = q_close(1e-9)
    u = (q - P_CLOSE) / P_CLOSE
    brackets = P_CLOSE * (u - np.log1p(u))
    rel = float(abs(mp.mpf(float(brackets.sum())) - mp_kl(P_CLOSE, q)) / mp_kl(P_CLOSE, q))
    assert 1e-9 < rel < 1e-7


def test_label_smoothing_entropy_is_0_42_bits():
    true, other = 0.9 + 0.1 / 3, 0.1 / 3
    h = -(true * math.log2(true) + 2 * other * math.log2(other))
    assert round(h, 4) == 0.4200
    assert true + 2 * other == pytest.approx(1.0, abs=1e-15)
