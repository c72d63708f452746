"""Characters of text as distributions: counts, a bigram model, temperature sampling.

A tiny language model for the course: the next character depends only on
the current one. Counting is explicit about the alphabet, and smoothing is
an explicit pseudo-count, so a learner sees where zeros come from and what
removes them.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import NamedTuple

import numpy as np

from ._validation import DistributionError
from .logits import log_softmax

__all__ = ["ALPHABET", "clean_text", "char_counts", "pair_counts", "BigramModel", "fit_bigram",
           "sample_bigram"]

#: Lower-case letters, space and common punctuation: 34 characters.
ALPHABET = " abcdefghijklmnopqrstuvwxyz.,;:!?'"


def _check_alphabet(alphabet) -> str:
    if not isinstance(alphabet, str) or len(alphabet) == 0:
        raise DistributionError(f"alphabet must be a non-empty string of characters, got {alphabet!r}.")
    if len(set(alphabet)) != len(alphabet):
        seen = [c for i, c in enumerate(alphabet) if c in alphabet[:i]]
        raise DistributionError(f"alphabet lists {seen[0]!r} twice; list each character once.")
    return alphabet


def _check_text(text, name="text") -> str:
    if not isinstance(text, str):
        raise DistributionError(f"{name} must be a string, got {type(text).__name__}.")
    return text


def clean_text(text, alphabet=ALPHABET):
    """Lower-case ``text``, turn characters outside ``alphabet`` into spaces, and collapse runs of spaces.

    ``alphabet`` must contain the space. Line breaks, digits, quotes and
    dashes thus become word breaks.

    Examples
    --------
    >>> clean_text("It is a truth--universally\\nacknowledged.")
    'it is a truth universally acknowledged.'
    """
    text, alphabet = _check_text(text), _check_alphabet(alphabet)
    if " " not in alphabet:
        raise DistributionError("alphabet must contain the space ' ', which replaces other characters.")
    allowed = set(alphabet)
    kept = "".join(c if c in allowed else " " for c in text.lower())
    return " ".join(kept.split())


def _indices(text, alphabet, name="text") -> np.ndarray:
    """Index of each character of ``text`` in ``alphabet``; a clear error for others."""
    lookup = {c: i for i, c in enumerate(alphabet)}
    try:
        return np.fromiter((lookup[c] for c in text), dtype=np.int64, count=len(text))
    except KeyError as exc:
        position = next(i for i, c in enumerate(text) if c not in lookup)
        raise DistributionError(
            f"{name}[{position}] is {exc.args[0]!r}, which is not in the alphabet; "
            f"use klteach.text.clean_text({name}, alphabet) first, or add it to the alphabet."
        ) from None


def char_counts(text, alphabet=ALPHABET):
    """How often each character of ``alphabet`` occurs in ``text``, in the alphabet's order.

    Every character of ``text`` must be in ``alphabet`` (see
    :func:`clean_text`); characters of the alphabet that never occur get
    count 0, so two texts' counts line up outcome by outcome.

    Returns
    -------
    ndarray of int, shape (len(alphabet),)

    Examples
    --------
    >>> char_counts("abba", "abc")
    array([2, 2, 0])
    """
    text, alphabet = _check_text(text), _check_alphabet(alphabet)
    return np.bincount(_indices(text, alphabet), minlength=len(alphabet))


def pair_counts(text, alphabet=ALPHABET):
    """How often each ordered pair of neighbouring characters occurs: ``counts[i, j]`` for
    ``alphabet[i]`` followed by ``alphabet[j]``.

    Pairs that never occur get count 0, so two texts' counts line up pair by
    pair (``.ravel()`` gives one distribution over all len(alphabet)² pairs).

    Returns
    -------
    ndarray of int, shape (len(alphabet), len(alphabet))

    Examples
    --------
    >>> pair_counts("abab", "ab")
    array([[0, 2],
           [1, 0]])
    """
    text, alphabet = _check_text(text), _check_alphabet(alphabet)
    idx, k = _indices(text, alphabet), len(alphabet)
    return np.bincount(idx[:-1] * k + idx[1:], minlength=k * k).reshape(k, k)


class BigramModel(NamedTuple):
    """A character bigram model: ``transitions[i, j]`` = P(next = alphabet[j] | current = alphabet[i])."""

    alphabet: str
    transitions: np.ndarray
    pseudo_count: float


def fit_bigram(text, alphabet=ALPHABET, *, pseudo_count):
    r"""Fit P(next character | current character) by counting pairs, plus a pseudo-count.

    .. math::

        P(b \mid a) = \frac{n(a, b) + \alpha}{\sum_{b'} n(a, b') + K\alpha}

    with :math:`n(a, b)` the number of times ``b`` follows ``a`` in
    ``text``, K the alphabet size and :math:`\alpha` the pseudo-count
    (add-alpha or Laplace smoothing for alpha = 1). With alpha = 0 (the
    maximum-likelihood fit) every pair not seen in the text gets
    probability 0.

    Parameters
    ----------
    text : str
        Training text, every character in ``alphabet``.
    alphabet : str
    pseudo_count : float
        alpha >= 0, added to every pair count. Required: the choice changes
        every divergence computed from the model.

    Returns
    -------
    BigramModel

    Raises
    ------
    DistributionError
        Characters outside the alphabet, a text shorter than 2 characters, a
        negative or non-finite pseudo-count, or alpha = 0 with a character
        that is never followed by anything (its row cannot be normalised).

    Examples
    --------
    >>> model = fit_bigram("abab", "ab", pseudo_count=0)
    >>> model.transitions           # pairs ab, ba, ab
    array([[0., 1.],
           [1., 0.]])
    >>> fit_bigram("abab", "ab", pseudo_count=1).transitions.round(3)   # (0+1)/(2+2), (2+1)/(2+2); ...
    array([[0.25 , 0.75 ],
           [0.667, 0.333]])
    """
    text, alphabet = _check_text(text), _check_alphabet(alphabet)
    if (isinstance(pseudo_count, bool) or not isinstance(pseudo_count, (Real, np.number))
            or not math.isfinite(float(pseudo_count)) or pseudo_count < 0):
        raise DistributionError(
            f"pseudo_count must be a finite number >= 0, got {pseudo_count!r}; 0 gives the "
            f"maximum-likelihood fit, 1 Laplace smoothing."
        )
    if len(text) < 2:
        raise DistributionError(f"text has {len(text)} character(s); a bigram model needs at least 2.")
    counts = pair_counts(text, alphabet).astype(float)
    alpha = float(pseudo_count)
    if alpha > 1.0:
        # In units of alpha, (n / alpha + 1) / (N / alpha + K): the same ratio, and a row
        # total K alpha cannot overflow (alpha = 1e307 with 27 characters did, to 0/inf).
        counts = counts / alpha + 1.0
    else:
        counts += alpha
    totals = counts.sum(axis=1, keepdims=True)
    if np.any(totals == 0):
        c = alphabet[int(np.flatnonzero(totals[:, 0] == 0)[0])]
        raise DistributionError(
            f"{c!r} is never followed by a character in the text, so with pseudo_count=0 its "
            f"next-character distribution is undefined; use a pseudo_count > 0 or a text in "
            f"which it occurs before the end."
        )
    return BigramModel(alphabet, counts / totals, float(pseudo_count))


def sample_bigram(model, n, *, temperature=1.0, start=" ", rng):
    r"""Generate ``n`` characters from a bigram model at a temperature.

    Each next character is drawn from
    :math:`P_T(b \mid a) \propto P(b \mid a)^{1/T}`, i.e. softmax of the log
    transition probabilities divided by T: T = 1 samples the model itself,
    T < 1 favours its most likely continuations, T > 1 flattens them.
    Pairs of probability 0 stay impossible at every temperature.

    Parameters
    ----------
    model : BigramModel
        From :func:`fit_bigram`.
    n : int
        Number of characters to generate (``start`` is not included).
    temperature : float
        T > 0.
    start : str
        One character of the alphabet to start from.
    rng : numpy.random.Generator
        Source of randomness, e.g. ``np.random.default_rng(0)``; required so
        results are reproducible.

    Returns
    -------
    str

    Examples
    --------
    >>> model = fit_bigram("abab", "ab", pseudo_count=0)
    >>> sample_bigram(model, 5, start="a", rng=np.random.default_rng(0))
    'babab'
    """
    if not isinstance(model, BigramModel):
        raise DistributionError(f"model must be a BigramModel from fit_bigram, got {type(model).__name__}.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise DistributionError(f"n must be a whole number >= 0 of characters to generate, got {n!r}.")
    if not isinstance(rng, np.random.Generator):
        raise DistributionError(
            f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}."
        )
    if not isinstance(start, str) or len(start) != 1 or start not in model.alphabet:
        raise DistributionError(f"start must be one character of the model's alphabet, got {start!r}.")
    with np.errstate(divide="ignore"):
        logits = np.log(model.transitions)              # log 0 = -inf: impossible pairs stay impossible
    cumulative = np.cumsum(np.exp(log_softmax(logits, temperature=temperature)), axis=1)
    # Scaling u by the row's exact total keeps every draw below it, so a draw
    # lands only where the cumulative sum steps up: on a character of positive probability.
    uniforms = rng.random(int(n))
    out = np.empty(int(n), dtype=np.int64)
    current = model.alphabet.index(start)
    for i, u in enumerate(uniforms):
        row = cumulative[current]
        current = int(np.searchsorted(row, u * row[-1], side="right"))
        out[i] = current
    return "".join(model.alphabet[i] for i in out)
