"""Tests of klteach.coding: Huffman codes against brute-force optimal codes and coding theorems."""

from __future__ import annotations

import heapq
import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import klteach as kt
from klteach import DistributionError
from klteach import normalize as klteach_normalize
from klteach.coding import (
    decode,
    encode,
    huffman_code,
    huffman_lengths,
    ideal_code_lengths,
    shannon_lengths,
)
from strategies import distributions, mp_entropy, mp_kl, pairs


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


def reference_huffman_lengths(weights):
    """Huffman lengths with exact rational weights (a separate implementation from klteach's)."""
    from fractions import Fraction
    heap = [(Fraction(w), i, (i,)) for i, w in enumerate(weights)]
    lengths, counter = [0] * len(weights), len(weights)
    heapq.heapify(heap)
    while len(heap) > 1:
        (w1, _, g1), (w2, _, g2) = heapq.heappop(heap), heapq.heappop(heap)
        for i in g1 + g2:
            lengths[i] += 1
        heapq.heappush(heap, (w1 + w2, counter, g1 + g2))
        counter += 1
    return lengths


def block_distribution(p, n):
    """Probabilities of the len(p)**n blocks of n independent symbols from p."""
    return np.array([math.prod(t) for t in itertools.product(p, repeat=n)])


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


@pytest.mark.slow
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


def test_entropy_is_a_floor_that_symbol_codes_need_not_reach():
    # H(P) bounds every prefix-free (and, by McMillan, every uniquely decodable) code's average,
    # but with whole bits the best symbol-by-symbol code can stay above it: brute force over all
    # Kraft-feasible length vectors, entropy from mpmath.
    p = [0.7, 0.1, 0.1, 0.1]
    best = optimal_prefix_code_length(p)
    h = float(mp_entropy(np.array(p))) / math.log(2)
    assert best == pytest.approx(1.5, rel=1e-15) and h == pytest.approx(1.356779, abs=1e-6)
    assert np.dot(p, huffman_lengths(p)) == pytest.approx(best, rel=1e-15)
    for lengths in itertools.product(range(1, 5), repeat=4):
        if sum(2.0 ** -l for l in lengths) <= 1:
            assert np.dot(p, lengths) >= h


@pytest.mark.slow
@settings(max_examples=40)
@given(distributions(min_size=2, max_size=4))
def test_huffman_on_blocks_is_within_one_bit_per_block_of_the_entropy(p):
    # n independent symbols have entropy n H(P), so Huffman on blocks of n costs per symbol
    # between H(P) and H(P) + 1/n.
    h = float(mp_entropy(p)) / math.log(2)
    for n in (2, 3):
        block = block_distribution(p, n)
        per_symbol = float(np.dot(block, huffman_lengths(klteach_normalize(block)))) / n
        assert h - 1e-12 <= per_symbol
        assert per_symbol < h + 1 / n or p.max() == 1


def test_block_codes_approach_the_entropy_of_a_skewed_coin():
    p = [0.99, 0.01]
    h = -(0.99 * mpmath.log(0.99, 2) + 0.01 * mpmath.log(0.01, 2))
    per_symbol = []
    for n in (1, 2, 4, 8):
        block = block_distribution(p, n)
        per_symbol.append(np.dot(block, reference_huffman_lengths(block)) / n)
        assert per_symbol[-1] < h + mpmath.mpf(1) / n
    assert per_symbol == sorted(per_symbol, reverse=True) and per_symbol[0] == 1 and per_symbol[-1] < 0.16


# --- a code built for Q, used on P ------------------------------------------------------

@pytest.mark.parametrize("q", [[0.5, 0.5, 5e-17], [0.5, 0.25, 0.25, 1e-17], [2.0 ** 52, 2.0 ** 52, 1.0],
                               [0.25, 0.25, 0.25, 0.25 + 2e-16], [0.5, 0.25, 0.25], [0.5 - 2e-17, 0.5 + 2e-17],
                               # np.sum rounds these sums the wrong way: one length a bit short, one a bit long
                               [0.5, 0.25000000000000006, 0.12500000000000006, 0.12499999999999992],
                               [0.5, 0.24999999999999994, 0.12499999999999994, 0.12499999999999989]])
def test_shannon_lengths_of_shares_rounded_to_a_power_of_two_satisfy_kraft(q):
    # q / sum(q) rounded up to 0.5 gave length 1 where the exact share, below 1/2, needs 2 (Kraft sum > 1)
    q = klteach_normalize(q) if sum(q) > 2 else q
    lengths = kt.shannon_lengths(q)
    exact = [Fraction(x) / sum(map(Fraction, q)) for x in q]
    for length, share in zip(lengths, exact):      # the least whole l with 2**-l <= share
        assert length == _exact_shannon_length(share)
    assert sum(Fraction(1, 2 ** int(k)) for k in lengths) <= 1


def test_shannon_lengths_round_the_ideal_lengths_up_exactly():
    q = [0.5, 0.25, 0.125, 0.0625, 0.0625]           # powers of 1/2: no rounding at all
    assert shannon_lengths(q).tolist() == [1, 2, 3, 4, 4]
    assert shannon_lengths([1.0, 0.0]).tolist() == [0, math.inf]
    assert shannon_lengths([[0.3, 0.7], [0.9, 0.1]]).tolist() == [[2, 1], [1, 4]]


def _exact_shannon_length(share):
    """The least whole k with 2**-k <= share (a Fraction), in integers: no logarithm to round."""
    if share == 0:
        return math.inf
    k = max(share.denominator.bit_length() - share.numerator.bit_length() - 1, 0)
    while Fraction(1, 2 ** k) > share:
        k += 1
    return k


@given(distributions(min_size=1, max_size=20))
def test_shannon_lengths_match_exact_arithmetic(q):
    # the exactly normalised shares (1 - 2e-308 needs 1 bit: mpmath at 60 digits rounds it to 1, 0 bits)
    total = sum(Fraction(float(x)) for x in q)
    assert shannon_lengths(q).tolist() == [_exact_shannon_length(Fraction(float(x)) / total) for x in q]


@given(pairs())
def test_shannon_code_costs_between_cross_entropy_and_one_bit_more(pq):
    p, q = pq
    lengths = shannon_lengths(q)
    average = float(np.dot(p, lengths))
    h = float(mp_entropy(p)) / math.log(2)
    d = float(mp_kl(p, q)) / math.log(2)
    assert h + d - 1e-12 <= average < h + d + 1
    assert math.fsum(2.0 ** -lengths) <= 1.0           # Kraft: a prefix-free code with these lengths exists


def test_huffman_code_for_q_can_miss_the_cross_entropy_by_more_than_a_bit():
    # Fibonacci weights 144, 89, ..., 2, 1, 1 (sum 376): Huffman's tree is a chain, so the two rarest
    # symbols get 11 bits, while their ideal length is log2(376) = 8.55 bits. A P that always emits
    # the rarest symbol pays 11 bits against H(P, Q) = 8.55 bits.
    weights = [1, 1]
    while len(weights) < 12:
        weights.append(weights[-1] + weights[-2])
    weights = weights[::-1]
    assert sum(weights) == 376
    q = np.array(weights) / 376
    assert reference_huffman_lengths(weights) == list(range(1, 12)) + [11]
    assert huffman_lengths(q).tolist() == list(range(1, 12)) + [11]
    p = np.zeros(12)
    p[-1] = 1
    gap = float(np.dot(p, huffman_lengths(q))) - kt.cross_entropy(p, q, base=2)
    assert gap == pytest.approx(float(11 - mpmath.log(376, 2)), rel=1e-14)
    assert gap > 2.4
    # Shannon's lengths for the same Q stay within the bound.
    assert 0 <= float(np.dot(p, shannon_lengths(q))) - kt.cross_entropy(p, q, base=2) < 1


def test_every_optimal_code_for_a_fibonacci_q_misses_by_more_than_a_bit():
    # Brute force over all non-decreasing length vectors (an optimal code gives rarer symbols
    # codewords at least as long): with 8 Fibonacci weights every optimal code gives the rarest
    # symbol 7 bits, 1.25 bits more than its ideal length log2(54).
    weights = [21, 13, 8, 5, 3, 2, 1, 1]
    total = sum(weights)
    feasible = [l for l in itertools.combinations_with_replacement(range(1, 8), 8)
                if sum(2.0 ** -k for k in l) <= 1]
    best = min(np.dot(weights, l) for l in feasible)
    optimal = [l for l in feasible if np.dot(weights, l) == best]
    assert {l[-1] for l in optimal} == {7}
    assert 7 - math.log2(total) > 1.24


def test_a_huffman_length_can_be_more_than_a_bit_below_the_ideal_length():
    # German letter frequencies: q gets a 10-bit codeword; -log2 q(x) is 12.08 bits.
    letters, german = kt.datasets.letter_frequencies("german")
    lengths = huffman_lengths(german)
    q = letters.index("q")
    assert lengths[q] == 10
    assert reference_huffman_lengths(german.tolist()) == lengths.tolist()
    assert -math.log2(german[q]) > 12.07


@given(pairs(), st.booleans())
def test_a_complete_code_costs_entropy_plus_kl_to_its_implied_distribution(pq, use_huffman_of_q):
    # Any whole-bit code with Kraft sum 1 (Huffman's) is the ideal code for R(x) = 2**-l(x),
    # so coding P with it costs E_P[l] = H(P) + D(P||R) exactly.
    p, q = pq
    lengths = huffman_lengths(q if use_huffman_of_q else p)
    implied = 2.0 ** -lengths
    assert math.fsum(implied) == 1.0
    expected = (float(mp_entropy(p)) + float(mp_kl(p, implied))) / math.log(2)
    assert float(np.dot(p, lengths)) == pytest.approx(expected, rel=1e-12, abs=1e-12)


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
    with pytest.raises(DistributionError, match="q sums to 0.9"):
        shannon_lengths([0.5, 0.4])
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


# --- claims of the docstrings and of notebook 02 ----------------------------------


def test_zero_probability_outcomes_get_codewords_at_least_as_long_as_any_other():
    # Not necessarily the longest ones: [0.5, 0.5, 0, 0, 0] gives a zero-probability outcome
    # 3 bits while another gets 4. What holds (for every optimal code, by swapping two
    # codewords) is that no positive-probability outcome has a longer codeword.
    lengths = huffman_lengths([0.5, 0.5, 0.0, 0.0, 0.0])
    assert lengths[2:].min() < lengths.max() and lengths[2:].min() >= lengths[:2].max()
    rng = np.random.default_rng(2)
    for _ in range(300):
        size = int(rng.integers(2, 12))
        p = rng.dirichlet(np.ones(size)) * (rng.random(size) < 0.6)
        if p.sum() == 0:
            continue
        p = p / p.sum()
        lengths = huffman_lengths(p)
        assert float(np.dot(p, lengths)) == pytest.approx(float(np.dot(p, reference_huffman_lengths(p.tolist()))))
        if (p == 0).any():
            assert lengths[p == 0].min() >= lengths[p > 0].max(), (p, lengths)


@given(distributions(min_size=2, max_size=30, min_value=1e-3))
def test_any_kraft_code_costs_entropy_plus_kl_to_its_normalised_lengths_minus_log_z(p):
    # With Z = sum 2**-l <= 1 and r = 2**-l / Z: sum p l - H(P) = D(P||R) - log2 Z >= 0
    # (Gibbs' inequality needs a normalised R). Shannon's lengths for P have Z <= 1.
    lengths = shannon_lengths(p)
    z = math.fsum(2.0 ** -lengths)
    assert z <= 1.0
    r = 2.0 ** -lengths / z
    excess = float(np.dot(p, lengths)) - float(mp_entropy(p)) / math.log(2)
    assert excess == pytest.approx(float(mp_kl(p, r)) / math.log(2) - math.log2(z), abs=1e-9)
    assert excess >= -1e-12


def test_blocks_of_letters_bring_shannons_extra_within_one_bit_per_block_of_kl():
    # English letters coded with Shannon codes built for blocks of German letters, minus English's
    # own Shannon code for blocks: within 1/n bits per letter of D(P||Q) (mpmath), and the
    # whole-bit overhead at n = 1 is far larger than at n = 3.
    letters, english = kt.datasets.letter_frequencies("english")
    _, german = kt.datasets.letter_frequencies("german")
    with mpmath.workdps(30):
        kl = float(sum(mpmath.mpf(p) * mpmath.log(mpmath.mpf(p) / mpmath.mpf(q), 2)
                       for p, q in zip(english, german)))
    gaps = []
    for n in (1, 2, 3):
        p_n, q_n = block_distribution(english, n), block_distribution(german, n)
        extra = float(np.dot(p_n, shannon_lengths(q_n) - shannon_lengths(p_n))) / n
        assert abs(extra - kl) < 1 / n
        gaps.append(abs(extra - kl))
    assert gaps[2] < gaps[0] / 10
