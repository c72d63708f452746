"""Claims made in the prose of notebook 01 (notebooks/01_definition.ipynb), checked against
independent references.

Each test names the notebook section whose sentence it backs. References are mpmath at
high precision, scipy quadrature, brute-force sums or closed forms; none calls the function a claim
is about to compute its own expected value.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from _helpers import mp_kl

import klteach as kt

pytestmark = pytest.mark.usefixtures("fifty_digits")   # mpmath at 50 digits (tests/course/conftest.py)


def test_gibbs_steps_over_the_support_of_p():
    # log t <= t - 1 with equality only at t = 1
    t = np.array([1e-12, 0.1, 0.5, 0.999, 1.001, 2.0, 50.0])
    assert np.all(np.log(t) < t - 1)
    # With p(x) = 0 somewhere, the chain -D <= sum_S q - 1 <= 0 holds with sum_S q < 1 possible.
    for p, q in [([0.5, 0.5, 0.0], [0.2, 0.3, 0.5]), ([0.7, 0.0, 0.3], [0.7, 0.1, 0.2])]:
        support = [i for i, a in enumerate(p) if a > 0]
        minus_d = -mp_kl(p, q)
        middle = mp.fsum(mp.mpf(q[i]) for i in support) - 1
        assert minus_d <= middle <= 0 and middle < 0
    # Equality needs q = p on S and q = 0 outside S: Q = P equal on S but with mass outside is > 0.
    assert kt.kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0
    assert mp_kl([0.5, 0.5, 0.0], [0.45, 0.45, 0.1]) > 0


@pytest.mark.slow
def test_coin_directions_agree_only_for_q_equal_p_or_its_mirror_image():
    # D(P||Q) - D(Q||P) = sum (p + q) log(p/q); at 50 digits its sign changes, along a grid of
    # Q(heads) that never hits p or 1 - p, only across q = p and q = 1 - p.
    def gap(p, q):
        return (p + q) * mp.log(p / q) + (2 - p - q) * mp.log((1 - p) / (1 - q))

    qs = [mp.mpf(2 * j + 1) / 400 for j in range(200)]
    for i in range(1, 100, 4):
        p = mp.mpf(i) / 100
        signs = [mp.sign(gap(p, q)) for q in qs]
        assert 0 not in signs
        for lo, hi, s_lo, s_hi in zip(qs, qs[1:], signs, signs[1:]):
            if s_lo != s_hi:
                assert lo < p < hi or lo < 1 - p < hi, (p, lo, hi)
        # at the mirror image both directions are exactly equal
        assert abs(gap(p, 1 - p)) < mp.mpf("1e-45")
    # the notebook's example, P(heads) = 0.3: mirror Q = 0.7 agrees, Q = 0.6 does not
    assert mp_kl([0.3, 0.7], [0.7, 0.3]) == pytest.approx(mp_kl([0.7, 0.3], [0.3, 0.7]), rel=1e-14)
    assert abs(mp_kl([0.3, 0.7], [0.6, 0.4]) - mp_kl([0.6, 0.4], [0.3, 0.7])) > 0.005
