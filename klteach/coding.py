"""Code lengths: ideal lengths -log p(x), and Huffman codes with whole bits.

Coding events from P with lengths built for Q costs on average
``sum p(x) * length_Q(x)`` bits. With ideal lengths ``-log2 q(x)`` that is the
cross-entropy H(P, Q), and the excess over the best code for P is exactly
D(P||Q) in bits. A real code has whole-bit codewords; a Huffman code is the
best such prefix-free code, and its average length L satisfies
``H(P) <= L < H(P) + 1`` (``L = 1 = H(P) + 1`` when one outcome is certain:
every codeword has at least one bit). That bound is about the distribution
the code was built for: a Huffman code built for Q and used on P can average
more than one bit above, or below, H(P, Q), because single Huffman lengths
can differ from ``-log2 q(x)`` by more than a bit. Shannon's lengths
``ceil(-log2 q(x))`` do keep every length within a bit of the ideal one, so
their average under any P lies in ``[H(P, Q), H(P, Q) + 1)``.
"""

from __future__ import annotations

import heapq
import itertools
import math
from fractions import Fraction

import numpy as np

from ._validation import DistributionError, as_distribution, check_base, log_base

__all__ = ["ideal_code_lengths", "shannon_lengths", "huffman_lengths", "huffman_code", "encode", "decode"]


def ideal_code_lengths(p, *, base=2):
    r"""Ideal code lengths ``-log p(x)``: the ideal (fractional) length of each outcome's codeword.

    .. math:: \ell(x) = -\log_b p(x)

    Averaged over P these lengths give the entropy H(P); averaged over
    another distribution they give its cross-entropy with P. Outcomes with
    p(x) = 0 get an infinite length (such a code cannot code them).

    Unless every p(x) is a power of 1/2, a code with whole-bit codewords
    cannot give every outcome its ideal length, and a Huffman codeword can
    be more than a bit shorter or longer than it. Coding blocks of outcomes
    (or arithmetic coding) approaches the ideal lengths on average.

    Parameters
    ----------
    p : array_like
        Probabilities of each outcome; must sum to 1.
    base : float, optional
        Logarithm base: 2 for bits (default), None for nats.

    Returns
    -------
    ndarray
        One length per outcome, in the units of ``base``.

    Raises
    ------
    DistributionError
        If ``p`` is not a distribution or ``base`` is invalid.

    Examples
    --------
    >>> ideal_code_lengths([0.5, 0.25, 0.125, 0.125])
    array([1., 2., 3., 3.])
    """
    base = check_base(base)
    p, total = as_distribution(p, "p")
    with np.errstate(divide="ignore"):
        return 0.0 - np.log(p / np.expand_dims(total, -1)) / log_base(base)   # 0.0 -: no -0.0


def shannon_lengths(q):
    r"""Shannon's code lengths: each ideal length ``-log2 q(x)`` rounded up to whole bits.

    .. math:: \ell(x) = \lceil -\log_2 q(x) \rceil

    Since :math:`-\log_2 q(x) \le \ell(x) < -\log_2 q(x) + 1` for every
    outcome, averaging over any distribution P gives

    .. math:: H(P) + D(P\|Q) = H(P, Q) \le \sum_x p(x)\,\ell(x) < H(P, Q) + 1,

    and :math:`\sum_x 2^{-\ell(x)} \le \sum_x q(x) = 1` (Kraft's
    inequality), so a prefix-free code with these lengths exists. A Huffman
    code for Q is never longer on average under Q itself, but its single
    lengths can miss ``-log2 q(x)`` by more than a bit, so it carries no such
    guarantee under another P.

    The rounding is exact: writing ``q = m * 2**e`` with ``0.5 <= m < 1``
    (:func:`numpy.frexp`), ``ceil(-log2 q) = 1 - e``, with no floating-point
    logarithm that could land just above a whole number; where ``q / sum(q)``
    rounds to a power of 2, the exact sum decides (``[0.5, 0.5, 5e-17]``
    gives lengths 2, 2, 55: the exact shares of 0.5 are below 1/2).

    Parameters
    ----------
    q : array_like
        Probabilities of each outcome (the distribution the code is built
        for); must sum to 1 along the last axis.

    Returns
    -------
    ndarray of float
        Whole numbers of bits, one per outcome: 0 for an outcome with
        probability 1 (it needs no bits), ``inf`` for probability 0 (such a
        code cannot code it).

    Raises
    ------
    DistributionError
        If ``q`` is not a distribution.

    See Also
    --------
    ideal_code_lengths : the lengths before rounding.
    huffman_lengths : the optimal whole-bit lengths for Q itself.

    References
    ----------
    C. E. Shannon (1948), "A mathematical theory of communication", section 9;
    T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
    section 5.4.

    Examples
    --------
    >>> shannon_lengths([0.5, 0.3, 0.2])
    array([1., 2., 3.])
    """
    q, _ = as_distribution(q, "q")
    q = np.asarray(q, dtype=np.float64)
    totals = np.apply_along_axis(math.fsum, -1, q)        # correctly rounded
    shares = q / np.expand_dims(totals, -1)
    mantissa, exponent = np.frexp(shares)
    lengths = np.where(shares > 0, 1.0 - exponent, np.inf)
    # a share within an ulp of a power of 2 may lie on its other side exactly (0.5 for 0.49999999999999997
    # needs one more bit): there the length comes from the exact share, in fractions (Kraft's sum stays <= 1)
    exact = {}
    for i in zip(*np.nonzero((shares > 0) & ((mantissa == 0.5) | (mantissa >= 1 - 2.0**-51)))):
        row = i[:-1]
        if row not in exact:
            exact[row] = sum(map(Fraction, q[row].tolist()))
        share = Fraction(float(q[i])) / exact[row]
        k = max(int(lengths[i]) - 1, 0)
        while Fraction(1, 2**k) > share:                  # the least k with 2**-k <= share
            k += 1
        lengths[i] = k
    return lengths


def huffman_lengths(p):
    """Codeword lengths, in whole bits, of a binary Huffman code for ``p``.

    Huffman's algorithm repeatedly merges the two least probable groups of
    outcomes; every merge adds one bit to the codewords of both groups. The
    resulting lengths minimise ``sum p(x) * length(x)`` over all prefix-free
    codes, and that minimum lies in ``[H(P), H(P) + 1)`` bits (it is
    ``H(P) + 1 = 1`` when one outcome has probability 1). Ties are broken
    by the order of outcomes, so the result is deterministic.

    Parameters
    ----------
    p : array_like, 1-D
        Probabilities of each outcome; must sum to 1. Outcomes with
        probability 0 get codewords at least as long as any
        positive-probability outcome's (a real code can still code them,
        unlike the ideal code).

    Returns
    -------
    ndarray of int
        Length in bits of each outcome's codeword. A single outcome gets a
        1-bit codeword.

    Raises
    ------
    DistributionError
        If ``p`` is not a 1-D distribution.

    Examples
    --------
    >>> huffman_lengths([0.4, 0.3, 0.2, 0.1])
    array([1, 2, 3, 3])
    """
    p = _one_dimensional(p)
    n = p.size
    if n == 1:
        return np.ones(1, dtype=int)
    lengths = np.zeros(n, dtype=int)
    order = itertools.count()   # tie-breaker: earlier groups first
    heap = [(float(w), next(order), [i]) for i, w in enumerate(p)]
    heapq.heapify(heap)
    while len(heap) > 1:
        w1, _, group1 = heapq.heappop(heap)
        w2, _, group2 = heapq.heappop(heap)
        lengths[group1] += 1
        lengths[group2] += 1
        heapq.heappush(heap, (w1 + w2, next(order), group1 + group2))
    return lengths


def huffman_code(p, symbols=None):
    """A binary Huffman code for ``p``: a prefix-free codeword (a '0'/'1' string) per symbol.

    The lengths come from :func:`huffman_lengths`; the codewords are the
    canonical code with those lengths (shorter codewords first, then by
    symbol order), so no codeword is the start of another and the code is
    reproducible.

    Parameters
    ----------
    p : array_like, 1-D
        Probabilities of each symbol; must sum to 1.
    symbols : sequence of hashable, optional
        Names of the symbols, in the order of ``p`` (default ``0, 1, ...``).

    Returns
    -------
    dict
        Symbol -> codeword.

    Raises
    ------
    DistributionError
        If ``p`` is not a 1-D distribution.
    ValueError
        If ``symbols`` has a different length from ``p`` or repeats a symbol.

    Examples
    --------
    >>> huffman_code([0.4, 0.3, 0.2, 0.1], symbols="abcd")
    {'a': '0', 'b': '10', 'c': '110', 'd': '111'}
    """
    lengths = huffman_lengths(p)
    if symbols is None:
        symbols = range(lengths.size)
    symbols = list(symbols)
    if len(symbols) != lengths.size:
        raise ValueError(f"symbols has {len(symbols)} entries but p has {lengths.size} "
                         f"probabilities; give one symbol per probability, in the same order.")
    if len(set(symbols)) != len(symbols):
        repeated = next(s for s in symbols if symbols.count(s) > 1)
        raise ValueError(f"symbol {repeated!r} appears more than once in symbols; "
                         f"each symbol needs its own codeword.")
    code = {}
    value, previous = 0, 0
    for i in sorted(range(lengths.size), key=lambda k: (lengths[k], k)):
        value <<= int(lengths[i]) - previous
        code[symbols[i]] = format(value, f"0{lengths[i]}b")
        value, previous = value + 1, int(lengths[i])
    return {s: code[s] for s in symbols}


def encode(message, code):
    """Concatenate the codewords of the symbols in ``message``.

    Parameters
    ----------
    message : iterable
        Symbols to code (a string codes its characters).
    code : dict
        Symbol -> codeword, e.g. from :func:`huffman_code`.

    Returns
    -------
    str
        The bits, as a string of '0' and '1'; ``len`` of it is the number of
        bits used.

    Raises
    ------
    ValueError
        If a symbol of ``message`` has no codeword.

    Examples
    --------
    >>> code = huffman_code([0.5, 0.25, 0.25], symbols="abc")
    >>> encode("abca", code)
    '010110'
    """
    message = list(message)   # an iterator could be read only once
    try:
        return "".join([code[s] for s in message])
    except KeyError:
        position, symbol = next((i, s) for i, s in enumerate(message) if s not in code)
        raise ValueError(f"symbol {symbol!r} at position {position} of the message has no "
                         f"codeword; build the code over every symbol the message can contain."
                         ) from None


def decode(bits, code):
    """Recover the symbols from the output of :func:`encode` with a prefix-free code.

    Reads the bits left to right and emits a symbol as soon as the bits read
    so far form a codeword; this is unambiguous because no codeword is the
    start of another.

    Parameters
    ----------
    bits : str
        A string of '0' and '1'.
    code : dict
        Symbol -> codeword of a prefix-free code.

    Returns
    -------
    list
        The decoded symbols.

    Raises
    ------
    TypeError
        If ``bits`` is not a string.
    ValueError
        If ``bits`` contains a character other than '0' and '1', or ends in
        the middle of a codeword; or if ``code`` is not prefix-free (a
        codeword empty, not made of '0' and '1', or the start of another),
        since its decoding would be ambiguous.

    Examples
    --------
    >>> code = huffman_code([0.5, 0.25, 0.25], symbols="abc")
    >>> "".join(decode("010110", code))
    'abca'
    """
    if not isinstance(bits, str):
        raise TypeError(f"bits must be a string of '0' and '1' (the output of encode), "
                        f"got {type(bits).__name__}.")
    _check_prefix_free(code)
    lookup = {word: symbol for symbol, word in code.items()}
    out, start = [], 0
    for end in range(1, len(bits) + 1):
        if bits[end - 1] not in "01":
            raise ValueError(f"bits must contain only '0' and '1'; found {bits[end - 1]!r} "
                             f"at position {end - 1}.")
        symbol = lookup.get(bits[start:end], lookup)
        if symbol is not lookup:
            out.append(symbol)
            start = end
    if start != len(bits):
        raise ValueError(f"the last {len(bits) - start} bit(s) {bits[start:]!r} do not form a "
                         f"codeword: the bits are truncated or were coded with another code.")
    return out


def _check_prefix_free(code):
    """Raise ValueError unless the codewords of ``code`` are non-empty 0/1 strings, none the start of another."""
    for symbol, word in code.items():
        if not isinstance(word, str) or not word or set(word) - {"0", "1"}:
            raise ValueError(f"the codeword {word!r} for {symbol!r} must be a non-empty string "
                             f"of only '0' and '1'.")
    # In sorted order, a codeword that starts another also starts the next one.
    ordered = sorted(((word, symbol) for symbol, word in code.items()), key=lambda pair: pair[0])
    for (word, symbol), (longer, other) in zip(ordered, ordered[1:]):
        if longer.startswith(word):
            raise ValueError(f"the code is not prefix-free: {word!r} (for {symbol!r}) is the start "
                             f"of {longer!r} (for {other!r}), so the bits cannot be split "
                             f"into codewords unambiguously; use huffman_code.")


def _one_dimensional(p):
    """Check that ``p`` is a single 1-D distribution; return it exactly normalised."""
    p, total = as_distribution(p, "p")
    if p.ndim != 1:
        raise DistributionError(f"p must be one distribution (a 1-D vector), got shape "
                                f"{p.shape}; build one code per distribution.")
    return p / total
