"""The exercise checks recognise right answers and name common mistakes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from klteach import exercises

P = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.5])   # notebook 01, exercise 1
Q = np.full(6, 1 / 6)


def bits(x):
    return x / math.log(2)


def kl_by_hand(p, q):
    """Independent reference: the textbook sum, in nats."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = p > 0
    return float(np.sum(p[m] * np.log(p[m] / q[m])))


def test_right_answer_in_bits_is_correct_and_reveals_the_value():
    fb = exercises.check_kl(bits(kl_by_hand(P, Q)), P, Q, base=2)
    assert fb.correct and bool(fb)
    assert f"{bits(kl_by_hand(P, Q)):.4f} bits" in fb.message


def test_rounded_answer_is_accepted():
    assert exercises.check_kl(round(bits(kl_by_hand(P, Q)), 4), P, Q, base=2)


@pytest.mark.parametrize("wrong, words", [
    (kl_by_hand(P, Q), ["nats", "np.log2"]),                         # forgot bits
    (kl_by_hand(P, Q) / math.log(10), ["hartleys"]),                # log10
    (bits(kl_by_hand(Q, P)), ["D(Q||P)", "swapped"]),                # swapped
    (bits(kl_by_hand(P, Q) + float(-np.sum(P * np.log(P)))), ["cross-entropy"]),
    (bits(float(np.sum(np.log(P / Q)))), ["without weights"]),
])
def test_each_recognised_mistake_is_named(wrong, words):
    fb = exercises.check_kl(wrong, P, Q, base=2)
    assert not fb.correct
    for w in words:
        assert w in fb.message
    assert f"{bits(kl_by_hand(P, Q)):.4f}" not in fb.message   # no spoiler


def test_unnormalised_counts_are_recognised():
    counts_p, counts_q = np.array([30, 50, 20]), np.array([25, 25, 50])
    raw = float(np.sum(counts_p * np.log(counts_p / counts_q)))
    fb = exercises.check_kl(raw, counts_p, counts_q)
    assert not fb.correct and "Normalise first" in fb.message
    right = kl_by_hand(counts_p / 100, counts_q / 100)
    assert exercises.check_kl(right, counts_p, counts_q).correct


@pytest.mark.parametrize("answer, words", [
    (..., ["No answer yet"]),
    (None, ["No answer yet"]),
    ("0.5", ["should be a number"]),
    ([0.1, 0.2], ["sequence of 2 numbers", "sum"]),
    (float("nan"), ["NaN", "0 * log(0)"]),
    (-0.3, ["cannot be negative"]),
    (12.0, ["Not yet"]),
])
def test_non_answers_and_far_answers_get_guidance(answer, words):
    fb = exercises.check_kl(answer, P, Q, base=2)
    assert not fb.correct
    for w in words:
        assert w in fb.message


def test_numpy_scalar_answers_work():
    assert exercises.check_kl(np.float64(kl_by_hand(P, Q)), P, Q)
    assert exercises.check_kl(np.array([kl_by_hand(P, Q)]), P, Q)


def test_infinite_kl_answer():
    assert exercises.check_kl(math.inf, [0.5, 0.5], [1, 0]).correct
    assert not exercises.check_kl(10.0, [0.5, 0.5], [1, 0]).correct


def test_check_entropy():
    p = [0.5, 0.25, 0.25]
    assert exercises.check_entropy(1.5, p, base=2).correct
    fb = exercises.check_entropy(1.5 * math.log(2), p, base=2)
    assert not fb.correct and "nats" in fb.message
    fb = exercises.check_entropy(bits(-np.sum(np.log(p))), p, base=2)
    assert not fb.correct and "without weights" in fb.message


def test_check_choice():
    options = {"a": "no, because x.", "b": "yes, because y."}
    assert exercises.check_choice(" B ", "b", options).correct
    fb = exercises.check_choice("a", "b", options)
    assert not fb.correct and "because x" in fb.message
    assert "not one of the options" in exercises.check_choice("z", "b", options).message
    assert "No answer yet" in exercises.check_choice(..., "b", options).message


# --- instructor-side misuse gets errors that name the argument -------------------------

@pytest.mark.parametrize("check", [
    lambda p, q: exercises.check_kl(0.1, p, q),
    lambda p, q: exercises.check_entropy(0.1, p),
    lambda p, q: exercises.check_cross_entropy(0.1, p, q),
    lambda p, q: exercises.check_huffman_length(0.1, p),
    lambda p, q: exercises.check_js(0.1, p, q),
    lambda p, q: exercises.check_total_variation(0.1, p, q),
])
def test_checks_name_the_bad_argument(check):
    from klteach import DistributionError
    with pytest.raises(DistributionError, match=r"^p has a negative entry"):
        check([0.5, -0.5], [0.5, 0.5])
    with pytest.raises(DistributionError, match=r"^p must be one distribution \(a 1-D vector\)"):
        check([[0.5, 0.5]], [[0.5, 0.5]])


def test_check_choice_accepts_non_string_option_keys():
    fb = exercises.check_choice(2, 2, {1: "No.", 2: "Yes."})
    assert fb.correct and "Yes." in fb.message
    assert not exercises.check_choice("1", 2, {1: "No.", 2: "Yes."})


def test_permutation_pvalue_without_permutations_is_an_error():
    with pytest.raises(ValueError, match="permuted is empty"):
        exercises.check_permutation_pvalue(0.5, 1.0, [])


def test_tiny_expected_values_are_not_matched_by_zero():
    p, q = [0.5, 0.5], [0.5 + 1e-6, 0.5 - 1e-6]
    expected = kl_by_hand(p, q)            # about 2e-12 nats
    assert not exercises.check_kl(0.0, p, q).correct
    assert exercises.check_kl(expected, p, q).correct
    assert exercises.check_kl(1e-17, [0.5, 0.5], [0.5, 0.5]).correct   # rounding around an exact 0
