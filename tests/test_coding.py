"""Tests of klteach.coding: Huffman codes against brute-force optimal codes and coding theorems."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import distributions, mp_entropy

import klteach as kt
from klteach import DistributionError
from klteach.coding import decode, encode, huffman_code, huffman_lengths, ideal_code_lengths


def optimal_prefix_code_length(p):
    """Smallest sum p(x) l(x) over whole-bit lengths that satisfy Kraft's inequality.

    By the Kraft-McMillan theorem these are exactly the lengths of prefix-free
    codes, so this brute force is an independent reference for Huffman's
    optimality (feasible for up to 6 symbols).
    """
    n = len(p)
    best = math.inf
    for lengths in itertools.product(range(1, n), repeat=n):
        if sum(2.0 ** -l for l in lengths) <= 1.0:
            best = min(best, sum(pi * l for pi, l in zip(p, lengths)))
    return best


def is_prefix_free(words):
    return not any(a != b and b.startswith(a) for a in words for b in words)


# --- ideal lengths --------------------------------------------------------------

def test_ideal_lengths_are_minus_log_p():
    p = [0.5, 0.3, 0.2, 0.0]
    lengths = ideal_code_lengths(p)
    assert lengths[:3] == pytest.approx([1.0, -math.log2(0.3), -math.log2(0.2)], rel=1e-15)
    assert lengths[3] == math.inf
    assert ideal_code_lengths(p, base=None)[1] == pytest.approx(-math.log(0.3), rel=1e-15)


@given(distributions())
def test_average_ideal_length_is_entropy(p):
    lengths = ideal_code_lengths(p)
    average = float(np.sum(p[p > 0] * lengths[p > 0]))
    assert average == pytest.approx(float(mp_entropy(p)) / math.log(2), rel=1e-12, abs=1e-14)


# --- Huffman lengths ---------------------------------------------------------------

def test_textbook_example():
    # Cover & Thomas, Example 5.6.1: p = (0.25, 0.25, 0.2, 0.15, 0.15) -> lengths (2, 2, 2, 3, 3), L = 2.3 bits.
    p = [0.25, 0.25, 0.2, 0.15, 0.15]
    lengths = huffman_lengths(p)
    assert sorted(lengths) == [2, 2, 2, 3, 3]
    assert np.dot(p, lengths) == pytest.approx(2.3, rel=1e-15)


def test_dyadic_distribution_codes_at_the_entropy():
    p = [0.5, 0.25, 0.125, 0.0625, 0.0625]
    assert huffman_lengths(p).tolist() == [1, 2, 3, 4, 4]
    assert np.dot(p, huffman_lengths(p)) == kt.entropy(p, base=2)


@settings(max_examples=60)
@given(distributions(min_size=2, max_size=6))
def test_huffman_is_optimal_among_prefix_codes(p):
    lengths = huffman_lengths(p)
    assert np.dot(p, lengths) == pytest.approx(optimal_prefix_code_length(p), rel=1e-12, abs=1e-12)


@given(distributions(min_size=2, max_size=40))
def test_huffman_length_within_one_bit_of_entropy_and_kraft_equality(p):
    lengths = huffman_lengths(p)
    average = float(np.dot(p, lengths))
    h = float(mp_entropy(p)) / math.log(2)
    assert h - 1e-12 <= average
    # Strictly less than one extra bit, except when one outcome is certain:
    # then H = 0 but a binary code still spends 1 bit per symbol.
    assert average < h + 1 or (p.max() == 1 and average == 1)
    # A Huffman tree is full: Kraft's sum is exactly 1.
    assert math.fsum(2.0 ** -int(l) for l in lengths) == 1.0


def test_single_symbol_and_zero_probabilities():
    assert huffman_lengths([1.0]).tolist() == [1]
    lengths = huffman_lengths([0.5, 0.5, 0.0])
    assert np.all(np.isfinite(lengths)) and lengths[2] == lengths.max()


# --- codewords, encoding, decoding -------------------------------------------------

@given(distributions(min_size=1, max_size=30))
def test_code_is_prefix_free_with_huffman_lengths(p):
    code = huffman_code(p)
    assert list(code) == list(range(len(p)))
    assert [len(w) for w in code.values()] == huffman_lengths(p).tolist()
    assert all(set(w) <= {"0", "1"} for w in code.values())
    assert is_prefix_free(list(code.values()))


@given(distributions(min_size=2, max_size=8), st.lists(st.integers(0, 7), max_size=60))
def test_encode_decode_round_trip_and_bit_count(p, message):
    message = [m % len(p) for m in message]
    code = huffman_code(p)
    bits = encode(message, code)
    assert decode(bits, code) == message
    lengths = huffman_lengths(p)
    assert len(bits) == sum(lengths[m] for m in message)


def test_coding_with_the_wrong_code_costs_cross_entropy_bits_on_average():
    # Law of large numbers: the bits per symbol of a long sample from P coded
    # with Q's code approach sum p(x) l_Q(x).
    rng = np.random.default_rng(1)
    p, q = np.array([0.6, 0.25, 0.1, 0.05]), np.array([0.05, 0.1, 0.25, 0.6])
    sample = rng.choice(4, size=200_000, p=p)
    bits_q = len(encode(sample.tolist(), huffman_code(q))) / sample.size
    expected = float(np.dot(p, huffman_lengths(q)))
    se = math.sqrt(float(np.dot(p, huffman_lengths(q) ** 2)) - expected**2) / math.sqrt(sample.size)
    assert abs(bits_q - expected) < 5 * se


def test_string_symbols_and_message():
    code = huffman_code([0.4, 0.3, 0.2, 0.1], symbols="abcd")
    assert is_prefix_free(list(code.values()))
    assert "".join(decode(encode("abacabad", code), code)) == "abacabad"


# --- bad input ------------------------------------------------------------------------

def test_bad_inputs():
    with pytest.raises(DistributionError, match="sums to 1.1"):
        huffman_lengths([0.5, 0.6])
    with pytest.raises(DistributionError, match="1-D"):
        huffman_lengths([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(DistributionError, match="negative"):
        ideal_code_lengths([1.5, -0.5])
    with pytest.raises(DistributionError, match="base"):
        ideal_code_lengths([0.5, 0.5], base=1)
    with pytest.raises(ValueError, match="symbols has 2 entries but p has 3"):
        huffman_code([0.5, 0.25, 0.25], symbols="ab")
    with pytest.raises(ValueError, match="'a' appears more than once"):
        huffman_code([0.5, 0.25, 0.25], symbols="aab")
    code = huffman_code([0.5, 0.5], symbols="ab")
    with pytest.raises(ValueError, match="symbol 'c' at position 2"):
        encode("abca", code)
    with pytest.raises(ValueError, match="only '0' and '1'.*'2' at position 1"):
        decode("020", code)
    with pytest.raises(ValueError, match="do not form a codeword"):
        decode("1", huffman_code([0.25, 0.25, 0.5], symbols="abc"))


def test_encode_reports_a_missing_symbol_of_a_generator():
    code = huffman_code([0.5, 0.5], symbols="ab")
    with pytest.raises(ValueError, match="symbol 'c' at position 2"):
        encode((s for s in "abc"), code)
    assert encode(iter("ab"), code) == "01"


def test_decode_refuses_what_it_cannot_decode_unambiguously():
    for bad in (10110, ["0", "1"], b"01"):
        with pytest.raises(TypeError, match="bits must be a string"):
            decode(bad, huffman_code([0.5, 0.5]))
    # Not prefix-free: "01" could be "b" or "a" then "c"; decoding would silently pick one.
    for code, pattern in [({"a": "0", "b": "01", "c": "1"}, r"'0' \(for 'a'\) is the start of '01'"),
                          ({"a": "0", "b": "0"}, r"'0' \(for 'a'\) is the start of '0'"),
                          ({"a": "", "b": "1"}, "empty"),
                          ({"a": "0", "b": "12"}, "only '0' and '1'")]:
        with pytest.raises(ValueError, match=pattern):
            decode("01", code)


def test_certain_outcome_has_ideal_length_plus_zero():
    lengths = ideal_code_lengths([1, 0])
    assert lengths[0] == 0 and math.copysign(1.0, lengths[0]) == 1.0 and lengths[1] == math.inf
