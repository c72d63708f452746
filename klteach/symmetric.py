"""Symmetric relatives of KL divergence for discrete distributions.

KL is not symmetric: D(P||Q) and D(Q||P) differ. These quantities treat P
and Q alike:

* :func:`jeffreys_divergence`: D(P||Q) + D(Q||P) (the population stability
  index, PSI, when P and Q are binned proportions); infinite on a support
  mismatch.
* :func:`klteach.js_divergence` (in :mod:`klteach.discrete`) and
  :func:`js_distance`, its square root, a metric.
* :func:`hellinger_distance` and :func:`total_variation`: metrics bounded by 1.
* :func:`pinsker_bound`: the largest total variation a given KL allows.

Conventions as in :mod:`klteach.discrete`: inputs must sum to 1 (never
normalised silently), ``base=None`` nats and ``base=2`` bits, ``axis=-1``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import xlogy

from ._validation import (
    DistributionError,
    _read_real,
    _to_float64,
    _where,
    as_distribution_pair,
    as_result,
    check_base,
    log_base,
)
from .discrete import js_divergence, kl_divergence

__all__ = ["jeffreys_divergence", "js_distance", "hellinger_distance",
           "total_variation", "pinsker_bound"]


def jeffreys_divergence(p, q, *, base=None, axis=-1):
    r"""Jeffreys divergence: D(P||Q) + D(Q||P), the symmetrised KL.

    .. math:: J(P, Q) = D(P\|Q) + D(Q\|P) = \sum_x (p(x) - q(x)) \log \frac{p(x)}{q(x)}

    Applied to binned proportions (reference P, current Q) this is the
    population stability index (PSI) used in drift monitoring. Symmetric
    but not a metric (no triangle inequality) and unbounded: infinite as soon
    as either distribution gives probability 0 where the other does not.

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
        If an input is not a distribution, the shapes do not match, or
        ``base`` is invalid.

    See Also
    --------
    klteach.kl_divergence : Each of the two directions it adds.
    klteach.js_divergence : A symmetric relative that stays finite.

    References
    ----------
    .. [1] H. Jeffreys, "An invariant form for the prior probability in estimation
           problems", *Proceedings of the Royal Society of London A* 186, 453-461, 1946.

    Examples
    --------
    >>> round(jeffreys_divergence([0.36, 0.48, 0.16], [1/3, 1/3, 1/3]), 4)
    0.1828
    >>> jeffreys_divergence([1, 0], [0.5, 0.5])
    inf
    """
    return as_result(kl_divergence(p, q, base=base, axis=axis)
                   + kl_divergence(q, p, base=base, axis=axis))


def js_distance(p, q, *, base=None, axis=-1):
    r"""Jensen-Shannon distance: the square root of the Jensen-Shannon divergence.

    .. math:: d_{JS}(P, Q) = \sqrt{\tfrac12 D(P\|M) + \tfrac12 D(Q\|M)},
              \quad M = \tfrac12 (P + Q)

    A metric. Bounded by ``sqrt(ln 2) = 0.8326`` with natural logs (the
    default, as in :func:`scipy.spatial.distance.jensenshannon`) and by 1
    with ``base=2``. The divergence itself, bounded by ``ln 2 = 0.6931`` nats
    or 1 bit, is :func:`klteach.js_divergence`. Where JS falls below
    2^-960 (probabilities that differ only in subnormal numbers) its root,
    still a normal float, is formed from the terms scaled by powers of 2,
    not from the underflowed divergence.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    base : float, optional
        Logarithm base of the divergence under the root: None for nats
        (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray
        The square root of a divergence in ``base`` units.

    Raises
    ------
    DistributionError
        As for :func:`klteach.js_divergence`.

    See Also
    --------
    klteach.js_divergence : Its square.
    scipy.spatial.distance.jensenshannon : The same distance, but reduced along
        ``axis=0`` by default (here ``axis=-1``) and with ``p`` and ``q`` silently
        normalised.

    Examples
    --------
    >>> round(js_distance([1, 0], [0, 1]), 4)   # disjoint supports: sqrt(ln 2)
    0.8326
    >>> js_distance([1, 0], [0, 1], base=2)
    1.0
    """
    js = js_divergence(p, q, base=base, axis=axis)
    small = np.asarray(js) < _JS_REFINE
    if not np.any(small):
        return as_result(np.sqrt(js))
    # JS below 2^-960 has lost digits to underflow (subnormal probabilities), or all of
    # them; its root, about 1e-145 or more, need not: it is formed in logs instead.
    root = np.where(small, _js_root_in_logs(p, q, axis) / math.sqrt(log_base(base)), np.sqrt(js))
    return as_result(root)


_JS_REFINE = 2.0 ** -960


def _js_root_in_logs(p, q, axis):
    """sqrt(JS(P, Q)) in nats with each term scaled by a power of 2, so that none underflows.

    JS = sum_x (p + q) g(s) / 4 with s = (q - p) / (q + p) and
    g(s) = (1 + s) log(1 + s) + (1 - s) log(1 - s) = 2 s atanh(s) + log1p(-s^2)
    (the second form for |s| <= 0.7, where it cancels by at most a factor 2.7),
    which is s^2 (1 + s^2 / 6) to double precision for |s| < 1e-4. Each term is
    a mantissa times 2^e (p + q and s split exactly by frexp); the terms are
    summed relative to the largest e and the root taken before scaling back.
    """
    pa, sp, qa, sq = as_distribution_pair(p, q, axis=axis)
    pa = pa / np.expand_dims(sp, axis) if np.ndim(sp) else pa / sp
    qa = qa / np.expand_dims(sq, axis) if np.ndim(sq) else qa / sq
    pa, qa = np.broadcast_arrays(pa, qa)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        den = pa + qa
        s = np.where(den > 0, (qa - pa) / np.where(den > 0, den, 1.0), 0.0)
        a = np.abs(s)
        x, y = 2 * pa / den, 2 * qa / den          # 1 - s and 1 + s, formed directly
        g = np.where(a <= 0.7, 2 * s * np.arctanh(np.where(a <= 0.7, s, 0.0)) + np.log1p(-s * s),
                     xlogy(x, x) + xlogy(y, y))
        ms, es = np.frexp(s)
        tiny = a < 1e-4
        mant_g = np.where(tiny, ms * ms * (1 + s * s / 6), g)      # g = mant_g 2^exp_g
        exp_g = np.where(tiny, 2 * es, 0)
        md, ed = np.frexp(den)
        mant, e = np.where(den > 0, md * mant_g / 4, 0.0), ed + exp_g
        top = np.max(np.where(mant > 0, e, np.iinfo(np.int32).min), axis=axis, keepdims=True)
        top = np.where(top == np.iinfo(np.int32).min, 0, top)
        top = top - (top % 2)                                      # even: its half is exact
        total = np.sum(np.ldexp(mant, e - top), axis=axis)
        return np.ldexp(np.sqrt(total), np.squeeze(top, axis=axis) // 2)


def hellinger_distance(p, q, *, axis=-1):
    r"""Hellinger distance between two discrete distributions.

    .. math:: H(P, Q) = \sqrt{\tfrac12 \sum_x \left(\sqrt{p(x)} - \sqrt{q(x)}\right)^2}
                      = \sqrt{1 - \sum_x \sqrt{p(x) q(x)}}

    A metric between 0 (identical) and 1 (disjoint supports); unitless (no
    logarithm, so no ``base``). Computed from the squared differences,
    with ``sqrt(p) - sqrt(q) = (p - q) / (sqrt(p) + sqrt(q))``, which keeps
    full relative accuracy when P and Q are close, where
    ``1 - sum(sqrt(p q))`` cancels; the sum of squares is scaled by the
    largest difference, so subnormal probabilities do not underflow.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        If an input is not a distribution or the shapes do not match.

    See Also
    --------
    total_variation : Bounded by the Hellinger distance H: H² <= TV <= H sqrt(2 - H²).
    klteach.f_divergence : The squared Hellinger distance as an f-divergence.

    Examples
    --------
    >>> hellinger_distance([1, 0], [0, 1])
    1.0
    >>> round(hellinger_distance([0.36, 0.48, 0.16], [1/3, 1/3, 1/3]), 4)
    0.1505
    """
    p, sp, q, sq = as_distribution_pair(p, q, axis=axis)
    # sqrt(Q) - sqrt(P) = (Q - P) / (sqrt(P) + sqrt(Q)) for the exactly normalised
    # P = p / sp, Q = q / sq, with sp sq (Q - P) = q sp - p sq = sp (q - p) - p (sq - sp)
    # formed from the exact differences: no cancellation when P and Q are close, and
    # exactly 0 when they are the same distribution.
    sp, sq = np.expand_dims(sp, axis), np.expand_dims(sq, axis)
    gap = np.sum(q - p, axis=axis, keepdims=True)
    roots = np.sqrt(p / sp) + np.sqrt(q / sq)
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = np.where(roots > 0, (sp * (q - p) - p * gap) / (sp * sq * np.where(roots > 0, roots, 1.0)), 0.0)
    # sqrt(sum(diff**2) / 2) scaled by the largest |diff|, so that differences
    # of subnormal or tiny probabilities (whose squares underflow) keep their digits
    scale = np.max(np.abs(diff), axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), 0.0)
    root = np.sqrt(0.5 * np.sum(scaled**2, axis=axis)) * np.squeeze(scale, axis)
    return as_result(np.minimum(root, 1.0))


def total_variation(p, q, *, axis=-1):
    r"""Total variation distance: the largest difference in probability P and Q give one event.

    .. math:: TV(P, Q) = \tfrac12 \sum_x |p(x) - q(x)| = \max_A |P(A) - Q(A)|

    A metric between 0 and 1; unitless. Computed from the exact differences
    ``q - p`` (identical inputs give exactly 0) and capped at 1, which
    rounding could otherwise exceed for disjoint supports.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        If an input is not a distribution or the shapes do not match.

    See Also
    --------
    pinsker_bound : An upper bound on TV from either KL direction.
    hellinger_distance : Bounds TV from both sides.

    Examples
    --------
    >>> round(total_variation([0.36, 0.48, 0.16], [1/3, 1/3, 1/3]), 4)
    0.1733
    """
    p, sp, q, sq = as_distribution_pair(p, q, axis=axis)
    # Q - P of the exactly normalised P = p / sp, Q = q / sq, from the exact
    # differences: (q sp - p sq) / (sp sq), and q sp - p sq = sp (q - p) - p (sq - sp).
    # Identical inputs give exactly 0; rounding can never push the result past 1.
    # Everything scaled by 2**100 (exact) so that p * gap and the halving cannot underflow for
    # subnormal differences (5e-324 would halve to 0); normal results are bit for bit unscaled.
    sp, sq = np.expand_dims(sp, axis), np.expand_dims(sq, axis)
    diff = q - p
    gap = np.sum(diff, axis=axis, keepdims=True)
    total = np.sum(np.abs(sp * (diff * _UP) - p * (gap * _UP)), axis=axis)
    tv = total / np.squeeze(2.0 * (sp * sq), axis) * _DOWN
    return as_result(np.minimum(tv, 1.0))


_UP, _DOWN = 2.0 ** 100, 2.0 ** -100


def pinsker_bound(kl, *, base=None):
    r"""Pinsker's upper bound on total variation from a KL divergence.

    .. math:: TV(P, Q) \le \sqrt{D(P\|Q) / 2} \quad (D \text{ in nats})

    The bound holds for either direction of KL, so the smaller of D(P||Q)
    and D(Q||P) gives the tighter bound. It exceeds 1 (and says nothing)
    once D > 2 nats.

    Parameters
    ----------
    kl : float or array_like
        A KL divergence, >= 0 (``inf`` allowed).
    base : float, optional
        Units of ``kl``: None for nats (default), 2 for bits.

    Returns
    -------
    float or ndarray
        The bound on TV (unitless).

    Raises
    ------
    DistributionError
        If ``kl`` is negative or NaN, or ``base`` is invalid.

    See Also
    --------
    total_variation : The quantity bounded.
    klteach.kl_divergence : The divergence to pass in.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, chapter 11 (Pinsker's inequality, stated there
           with the L1 distance, which is twice the total variation).

    Examples
    --------
    >>> round(pinsker_bound(0.0853), 4)   # binomial(2, 0.4) vs uniform; TV = 0.1733
    0.2065
    """
    base = check_base(base)
    kl = _to_float64(_read_real(kl, "kl", "a KL divergence"), "kl")
    bad = np.flatnonzero(np.isnan(kl) | (kl < 0))
    if bad.size:
        where = "" if kl.ndim == 0 else f" at {_where(bad[0], kl.shape)}"
        raise DistributionError(f"kl has {float(kl.flat[bad[0]])!r}{where}; a KL divergence is >= 0, so "
                                f"a negative or NaN KL means it was computed wrongly.")
    with np.errstate(over="ignore"):
        # kl * log(base) / 2 underflows (to 0 for kl = 5e-324): below 2**-900 the root of kl 2**1000 (exact)
        # is taken and scaled back by 2**-500
        tiny = np.abs(kl) < 2.0 ** -900
        scaled = np.where(tiny, np.abs(kl) * 2.0 ** 1000, np.abs(kl))
        bound = np.sqrt(scaled * log_base(base) / 2) * np.where(tiny, 2.0 ** -500, 1.0)   # abs: -0.0 gives 0
        # kl * log(base) overflows for a finite kl near float max: the root of each factor
        bound = np.where(np.isinf(bound) & np.isfinite(kl),
                         np.sqrt(np.abs(kl) / 2) * math.sqrt(log_base(base)), bound)
    return as_result(bound)
