"""Tests of the exercise checks for notebooks 02-04: right answers pass, each recognised mistake is named."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from klteach.exercises import (check_cross_entropy, check_huffman_length, check_js,
                               check_total_variation)

P3, Q3 = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])


def ce(p, q, log=np.log):
    return float(-np.sum(p * log(q)))


def kl(p, q, log=np.log):
    return float(np.sum(p * log(p / q)))


# --- check_cross_entropy ----------------------------------------------------------

def test_cross_entropy_right_answer_in_nats_and_bits():
    assert check_cross_entropy(ce(P3, Q3), P3, Q3)
    fb = check_cross_entropy(ce(P3, Q3, np.log2), P3, Q3, base=2)
    assert fb and "bits" in str(fb)
    # dog/cat example from the course: 0.152 bits
    assert check_cross_entropy(0.152, [1, 0], [0.9, 0.1], base=2)


@pytest.mark.parametrize("wrong,words", [
    (kl(P3, Q3), "D(P||Q), the extra part only"),
    (float(-np.sum(P3 * np.log(P3))), "H(P), the cross-entropy of P with itself"),
    (ce(Q3, P3), "arguments are swapped"),
    (float(-np.sum(np.log(Q3))), "without weights"),
    (ce(P3, Q3, np.log2), "in bits"),
])
def test_cross_entropy_mistakes(wrong, words):
    fb = check_cross_entropy(wrong, P3, Q3)
    assert not fb and words in str(fb)
    assert f"{ce(P3, Q3):.4f}" not in str(fb)   # the right value is not revealed


def test_cross_entropy_accepts_counts_and_reports_missing_answer():
    assert check_cross_entropy(ce(P3, Q3), [70, 20, 10], [5, 3, 2])
    assert "No answer yet" in str(check_cross_entropy(..., P3, Q3))


# --- check_huffman_length ------------------------------------------------------------

def test_huffman_length_right_and_mistakes():
    p = np.array([0.7, 0.1, 0.1, 0.1])
    # Huffman by hand: merge 0.1 + 0.1, then 0.1 + 0.2, then 0.3 + 0.7 -> lengths 1, 2, 3, 3
    assert check_huffman_length(0.7 * 1 + 0.1 * (2 + 3 + 3), p)
    entropy_bits = float(-np.sum(p * np.log2(p)))
    fb = check_huffman_length(entropy_bits, p)
    assert not fb and "ideal lengths" in str(fb)
    shannon = float(np.sum(p * np.ceil(-np.log2(p))))
    fb = check_huffman_length(shannon, p)
    assert not fb and "Shannon code" in str(fb)
    fb = check_huffman_length((1 + 2 + 3 + 3) / 4, p)
    assert not fb and "plain mean" in str(fb)
    fb = check_huffman_length(3.0, p)
    assert not fb and "Not yet" in str(fb)


# --- check_js ---------------------------------------------------------------------------

def test_js_divergence_and_distance():
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.4, 0.3])
    dist_bits = jensenshannon(p, q, base=2)
    dist_nats = jensenshannon(p, q)
    assert check_js(dist_bits, p, q, base=2, distance=True)
    assert check_js(dist_nats**2, p, q)
    fb = check_js(dist_bits**2, p, q, base=2, distance=True)
    assert not fb and "asks for the distance" in str(fb)
    fb = check_js(dist_nats, p, q)
    assert not fb and "square it" in str(fb)
    fb = check_js(dist_nats, p, q, base=2, distance=True)
    assert not fb and "nats" in str(fb)
    m = (p + q) / 2
    fb = check_js(kl(p, m), p, q)
    assert not fb and "D(P||M) alone" in str(fb)
    fb = check_js(kl(p, q), p, q)
    assert not fb and "not with each other" in str(fb)


def test_js_bounds_of_disjoint_supports():
    assert check_js(math.log(2), [1, 0], [0, 1])
    assert check_js(1.0, [1, 0], [0, 1], base=2)
    fb = check_js(math.sqrt(math.log(2)), [1, 0], [0, 1])   # scipy's answer, the distance
    assert not fb and "scipy.spatial.distance.jensenshannon" in str(fb)


# --- check_total_variation ------------------------------------------------------------------

def test_total_variation_right_and_mistakes():
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.4, 0.3])
    assert check_total_variation(0.2, p, q)
    fb = check_total_variation(0.4, p, q)
    assert not fb and "without the factor 1/2" in str(fb)
    p, q = np.array([0.4, 0.4, 0.1, 0.1]), np.array([0.1, 0.1, 0.4, 0.4])   # TV = 0.6, max single = 0.3
    fb = check_total_variation(0.3, p, q)
    assert not fb and "single outcome" in str(fb)
    assert check_total_variation(0.6, p, q)
