"""klteach.text against brute-force counting and a chi-square check of sampling."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.stats

from klteach import DistributionError, datasets
from klteach.text import ALPHABET, char_counts, clean_text, fit_bigram, pair_counts, sample_bigram


def test_char_counts_match_counting_by_hand():
    text = clean_text(datasets.pride_and_prejudice()[:5000])
    counts = char_counts(text)
    assert counts.tolist() == [text.count(c) for c in ALPHABET]
    assert counts.sum() == len(text)


def test_clean_text_keeps_the_alphabet_only():
    text = clean_text("Mr. Bennet's \"lady\"--said 42\n\nthings!")
    assert text == "mr. bennet's lady said things!"
    assert set(text) <= set(ALPHABET)


def test_pair_counts_match_counting_by_hand():
    text = clean_text(datasets.pride_and_prejudice()[:3000])
    counts = pair_counts(text)
    for (i, a), (j, b) in itertools.product(enumerate(ALPHABET), repeat=2):
        assert counts[i, j] == sum(1 for x, y in zip(text, text[1:]) if x == a and y == b)
    assert counts.sum() == len(text) - 1


@pytest.mark.slow
@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.0])
def test_bigram_fit_matches_brute_force_pair_counting(alpha):
    text = clean_text(datasets.pride_and_prejudice()[:3000])
    alphabet = "".join(sorted(set(text)))
    model = fit_bigram(text, alphabet, pseudo_count=alpha)
    for a, b in itertools.product(alphabet, repeat=2):
        pairs = sum(1 for x, y in zip(text, text[1:]) if x == a and y == b)
        follows = sum(1 for x in text[:-1] if x == a)
        expected = (pairs + alpha) / (follows + alpha * len(alphabet))
        assert model.transitions[alphabet.index(a), alphabet.index(b)] == pytest.approx(expected, rel=1e-12)
    assert np.allclose(model.transitions.sum(axis=1), 1.0)


@pytest.mark.slow
@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_temperature_sampling_frequencies_pass_a_chi_square_test(temperature):
    """From one state the next character follows P(b|a)^(1/T), normalised (seeded, so deterministic)."""
    model = fit_bigram("abacabcbbcaacb" * 3 + "cc", "abc", pseudo_count=0.5)
    rng = np.random.default_rng(11)
    n = 30_000
    firsts = np.array([sample_bigram(model, 1, temperature=temperature, start="a", rng=rng) for _ in range(n)])
    observed = np.array([np.sum(firsts == c) for c in "abc"])
    weights = model.transitions[0] ** (1 / temperature)
    expected = n * weights / weights.sum()
    assert scipy.stats.chisquare(observed, expected).pvalue > 1e-3
    # and the wrong temperature convention (P^T instead of P^(1/T)) is rejected when T != 1
    if temperature != 1.0:
        wrong = model.transitions[0] ** temperature
        assert scipy.stats.chisquare(observed, n * wrong / wrong.sum()).pvalue < 1e-6


def test_long_samples_follow_the_transition_matrix_and_never_use_impossible_pairs():
    text = clean_text(datasets.pride_and_prejudice()[:20000])
    model = fit_bigram(text, pseudo_count=0)
    sample = sample_bigram(model, 20000, rng=np.random.default_rng(0))
    for a, b in zip(" " + sample, sample):
        assert model.transitions[ALPHABET.index(a), ALPHABET.index(b)] > 0
    refit = fit_bigram(" " + sample, pseudo_count=0).transitions
    rows = char_counts(sample) > 2000
    assert np.max(np.abs(refit[rows] - model.transitions[rows])) < 0.05


@pytest.mark.parametrize("call, pattern", [
    (lambda: char_counts("abz", "ab"), r"text\[2\] is 'z', which is not in the alphabet"),
    (lambda: char_counts(["a"], "ab"), r"text must be a string"),
    (lambda: char_counts("a", "aa"), r"alphabet lists 'a' twice"),
    (lambda: clean_text("a b", "ab"), r"must contain the space"),
    (lambda: fit_bigram("ab", "ab", pseudo_count=-1), r"pseudo_count must be a finite number >= 0"),
    (lambda: fit_bigram("ab", "ab"), None),
    (lambda: fit_bigram("a", "ab", pseudo_count=1), r"at least 2"),
    (lambda: fit_bigram("ab", "ab", pseudo_count=0), r"'b' is never followed"),
    (lambda: sample_bigram(fit_bigram("abab", "ab", pseudo_count=1), 3, rng=0), None),
    (lambda: sample_bigram(fit_bigram("abab", "ab", pseudo_count=1), 3, start="a",
                           rng=np.random.default_rng(0), temperature=0), r"temperature must be"),
    (lambda: sample_bigram(fit_bigram("abab", "ab", pseudo_count=1), 3, start="z",
                           rng=np.random.default_rng(0)), r"start must be one character"),
    (lambda: sample_bigram(fit_bigram("abab", "ab", pseudo_count=1), -3, start="a",
                           rng=np.random.default_rng(0)), r"n must be a whole number"),
    (lambda: sample_bigram(fit_bigram("abab", "ab", pseudo_count=1), 3, start="a", rng=7),
     r"rng must be a numpy Generator"),
])
def test_bad_input_raises_a_clear_error(call, pattern):
    with pytest.raises((DistributionError, TypeError), match=pattern):
        call()


def test_pride_and_prejudice_loads_offline_and_is_the_expected_text():
    text = datasets.pride_and_prejudice()
    assert text.startswith("PRIDE AND PREJUDICE\n\nBy Jane Austen")
    assert "It is a truth universally acknowledged, that a single man in possession" in text
    assert "Chapter 20" in text and "Chapter 21" not in text
    assert 190_000 < len(text) < 250_000 and text.isascii()


def test_sample_bigram_at_a_tiny_temperature_is_greedy():
    # after a, b has probability 3/4; after b, a has 3/4: the greedy walk from a is babababa
    model = fit_bigram("ababa", "ab", pseudo_count=1)
    for temperature in (1e-3, 1e-308, 1e-310, 5e-324):
        assert sample_bigram(model, 8, temperature=temperature, start="a",
                             rng=np.random.default_rng(1)) == "babababa"


@pytest.mark.parametrize("alpha", [0.5, 3.0, 1e16, 1e300, 1e307, 1.7e308])
def test_bigram_with_a_huge_pseudo_count_keeps_exact_fractions_without_overflow(alpha):
    # (n + alpha) / (N + K alpha) in exact rational arithmetic: the 27 x 27 row total K alpha
    # overflowed to inf from alpha = 1e307 (rows of 0) with a warning.
    import warnings
    from fractions import Fraction
    text = "the cat sat on the mat"
    counts = pair_counts(text, ALPHABET)
    a = Fraction(alpha)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fit_bigram(text, ALPHABET, pseudo_count=alpha).transitions
    for i in range(len(ALPHABET)):
        total = sum(Fraction(int(n)) for n in counts[i]) + len(ALPHABET) * a
        ref = [float((Fraction(int(n)) + a) / total) for n in counts[i]]
        np.testing.assert_allclose(got[i], ref, rtol=4e-16)
