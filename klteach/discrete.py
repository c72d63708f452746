"""Entropy, cross-entropy, KL and Jensen-Shannon divergences of discrete distributions.

Conventions, like :func:`scipy.stats.entropy` where scipy is right:
``base=None`` gives nats, ``base=2`` bits; reductions run along ``axis``; a
single distribution gives a Python float, a batch gives an array.

Unlike scipy, inputs are never normalised silently: each distribution must
sum to 1 (within ``1e-9`` for float64, see
:func:`klteach._validation.sum_tolerance`) or a :class:`DistributionError`
says what it sums to. Inputs within that tolerance are treated as the exactly
normalised distributions ``p / sum(p)``.

Accuracy: KL is summed as non-negative terms ``p * (t - log1p(t))`` with
``t = (q - p) / p`` (a Taylor series for tiny ``t``), so it keeps about
15 significant digits even when P and Q are nearly identical and the KL is
1e-17, where ``sum(p * log(p / q))`` loses every digit.
"""

from __future__ import annotations

import numpy as np
from scipy.special import entr, rel_entr, xlogy

from ._validation import (DistributionError, as_distribution, as_distribution_pair,
                          as_nonnegative, check_base, in_units, log_base)

__all__ = ["entropy", "cross_entropy", "kl_divergence", "js_divergence",
           "kl_contributions", "normalize", "DistributionError"]

# Below this |t| the series for t - log1p(t) is used; above it the direct
# difference has relative error about 4 * eps / |t| <= 1e-11.
_SERIES_BELOW = 1e-4


def _norm_correction(u):
    """``log1p(u) - u`` for the tiny ``u`` allowed by the sum tolerance."""
    return u * u * (u / 3.0 - 0.5)


def _divergence_terms_sum(a, b, b_minus_a, axis):
    """Sum over ``axis`` of ``a * (t - log1p(t))``, ``t = (b - a) / a``.

    Each term is >= 0 and equals ``a * log(a / b) + (b - a)``: the KL term of
    ``a`` against ``b`` plus a part that sums to ``sum(b) - sum(a)``, which
    the caller's normalisation correction accounts for. ``b_minus_a`` is
    passed separately because the caller can form it without rounding
    (``q - p`` is exact when ``q`` and ``p`` are within a factor of 2).
    Terms with ``a == 0`` are ``b``; ``a > 0`` with ``b == 0`` gives ``inf``.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = np.divide(b_minus_a, a)
        d = np.log1p(t)
        np.subtract(t, d, out=d)
        small = np.abs(t) < _SERIES_BELOW
        if small.any():
            ts = t[small]
            d[small] = ts * ts * (0.5 - ts * (1 / 3 - ts * (0.25 - ts * (0.2 - ts / 6))))
        far = t < -0.5
        if far.any():
            # b << a: t rounds towards -1 and log1p(t) loses the ratio b / a
            # (which may itself be subnormal): use log(b) - log(a).
            aa, bb = np.broadcast_to(a, t.shape)[far], np.broadcast_to(b, t.shape)[far]
            d[far] = t[far] - (np.log(bb) - np.log(aa))
        d *= a
        total = np.sum(d, axis=axis)
        if np.isnan(total).any():
            # NaN comes from a == 0 (0 * inf), where the term's limit is b,
            # or from t overflowing when a is subnormal: use the log form.
            bad = np.isnan(d)
            aa, bb = np.broadcast_to(a, d.shape)[bad], np.broadcast_to(b, d.shape)[bad]
            d[bad] = np.where(aa > 0, (bb - aa) - aa * (np.log(bb) - np.log(aa)), bb)
            total = np.sum(d, axis=axis)
    return total


def kl_divergence(p, q, *, base=None, axis=-1):
    r"""Kullback-Leibler divergence D(P||Q) of discrete distributions.

    .. math:: D(P\|Q) = \sum_x p(x) \log \frac{p(x)}{q(x)}

    P is the reference ("true") distribution, Q the model. Terms with
    p(x) = 0 contribute 0; p(x) > 0 where q(x) = 0 makes D(P||Q) infinite
    (returned as ``inf``, without a warning).

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1. A single vector may
        be paired with a batch (for an ``axis`` other than the last, give it
        the batch's number of dimensions, e.g. ``q[:, None]`` for axis 0).
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits; must be > 1.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray
        D(P||Q) in the units of ``base``; a float for one pair.

    Raises
    ------
    DistributionError
        If an input is not a distribution (negative, NaN, empty, not summing
        to 1, ...), the shapes do not match, or ``base`` is invalid.

    Examples
    --------
    >>> round(kl_divergence([1, 0], [0.8, 0.2]), 4)   # cat classifier, nats
    0.2231
    >>> round(kl_divergence([1, 0], [0.8, 0.2], base=2), 4)
    0.3219
    >>> kl_divergence([0.5, 0.5], [1, 0])
    inf
    """
    base = check_base(base)
    p, sp, q, sq = as_distribution_pair(p, q, axis=axis)
    diff = np.subtract(q, p)
    total = _divergence_terms_sum(p, q, diff, axis)
    # sum(q) / sum(p) - 1, from the exact differences rather than two rounded sums
    u = np.sum(diff, axis=axis) / sp
    return in_units(np.maximum(total / sp + _norm_correction(u), 0.0), base)


def js_divergence(p, q, *, base=None, axis=-1):
    r"""Jensen-Shannon divergence of two discrete distributions.

    .. math:: JS(P, Q) = \tfrac12 D(P\|M) + \tfrac12 D(Q\|M),
              \quad M = \tfrac12 (P + Q)

    Symmetric, always finite, and bounded by log 2: at most ``ln 2 = 0.6931``
    nats, or 1 bit with ``base=2``. This is the *divergence*; its square root
    is the Jensen-Shannon *distance* (a metric), which is what
    :func:`scipy.spatial.distance.jensenshannon` returns.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        As for :func:`kl_divergence`.

    Examples
    --------
    >>> js_divergence([1, 0], [0, 1], base=2)   # disjoint supports: the maximum
    1.0
    >>> round(js_divergence([0.36, 0.48, 0.16], [1/3, 1/3, 1/3]), 4)
    0.0225
    """
    base = check_base(base)
    p, sp, q, sq = as_distribution_pair(p, q, axis=axis)
    half_diff = 0.5 * np.subtract(q, p)   # M - P, exact when P and Q are close
    m = 0.5 * (p + q)
    d_pm = _divergence_terms_sum(p, m, half_diff, axis)
    d_qm = _divergence_terms_sum(q, m, -half_diff, axis)
    half_gap = np.sum(half_diff, axis=axis)   # sum(M) - sum(P) = sum(Q) - sum(M)
    js = 0.5 * (d_pm / sp + _norm_correction(half_gap / sp)) \
        + 0.5 * (d_qm / sq + _norm_correction(-half_gap / sq))
    return in_units(np.maximum(js, 0.0), base)


def entropy(p, *, base=None, axis=-1):
    r"""Shannon entropy H(P) of a discrete distribution.

    .. math:: H(P) = -\sum_x p(x) \log p(x), \qquad 0 \log 0 = 0

    Parameters
    ----------
    p : array_like
        Probabilities along ``axis``; must sum to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        If ``p`` is not a distribution or ``base`` is invalid.

    Examples
    --------
    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> entropy([1, 0])
    0.0
    """
    base = check_base(base)
    p, sp = as_distribution(p, "p", axis=axis)
    h = np.sum(entr(p), axis=axis) / sp + np.log(sp)
    return in_units(np.maximum(h, 0.0), base)


def cross_entropy(p, q, *, base=None, axis=-1):
    r"""Cross-entropy H(P, Q): the average code length, coding P's events with Q.

    .. math:: H(P, Q) = -\sum_x p(x) \log q(x) = H(P) + D(P\|Q)

    Not a divergence: ``H(P, P) = H(P)``, not 0. To get D(P||Q) use
    :func:`kl_divergence`; subtracting ``H(P)`` from ``H(P, Q)`` cancels
    catastrophically when P and Q are close.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray
        ``inf`` where p(x) > 0 and q(x) = 0.

    Raises
    ------
    DistributionError
        As for :func:`kl_divergence`.

    Examples
    --------
    >>> round(cross_entropy([1, 0], [0.1, 0.9], base=2), 2)   # dog/cat, bad model
    3.32
    """
    base = check_base(base)
    p, sp, q, sq = as_distribution_pair(p, q, axis=axis)
    h = -np.sum(xlogy(p, q), axis=axis) / sp + np.log(sq)
    return in_units(h, base)


def kl_contributions(p, q, *, base=None):
    r"""Per-outcome terms ``p(x) log(p(x) / q(x))`` of D(P||Q).

    They sum to D(P||Q). Individual terms can be negative (where q > p);
    only their sum is guaranteed >= 0.

    Parameters
    ----------
    p, q : array_like
        Probabilities; each must sum to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.

    Returns
    -------
    ndarray
        Same shape as the broadcast inputs.

    Examples
    --------
    >>> kl_contributions([0.5, 0.5], [0.25, 0.75], base=2).round(3)
    array([ 0.5  , -0.292])
    """
    base = check_base(base)
    p, sp, q, sq = as_distribution_pair(p, q)
    # exactly normalised, like kl_divergence, so the terms sum to its value
    p, q = p / np.expand_dims(sp, -1), q / np.expand_dims(sq, -1)
    return np.asarray(rel_entr(p, q) / log_base(base))


def normalize(x, *, axis=-1):
    """Scale non-negative weights or counts so they sum to 1 along ``axis``.

    Parameters
    ----------
    x : array_like
        Finite, non-negative numbers, not all zero along ``axis``.
    axis : int
        Axis to normalise along.

    Returns
    -------
    ndarray
        ``x / x.sum(axis, keepdims=True)`` as float64.

    Raises
    ------
    DistributionError
        If ``x`` is empty, negative, non-finite, non-numeric or all zeros.

    Examples
    --------
    >>> normalize([2, 3, 5])
    array([0.2, 0.3, 0.5])
    """
    arr, total = as_nonnegative(x, "x", axis=axis)
    return arr / np.expand_dims(total, axis)
