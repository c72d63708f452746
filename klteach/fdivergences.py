"""f-divergences and Rényi divergences: KL as one member of two families.

* :func:`f_divergence`: D_f(P||Q) = sum_x q(x) f(p(x) / q(x)) for a convex f
  with f(1) = 0; ``f`` is a callable or one of the names in
  :data:`GENERATORS` (``"kl"``, ``"reverse_kl"``, ``"chi2"``,
  ``"squared_hellinger"``, ``"tv"``, ``"js"``, ``"jeffreys"``).
* :func:`renyi_divergence`: D_alpha(P||Q) = log(sum p^alpha q^(1 - alpha)) / (alpha - 1),
  with its limits alpha = 0, 1 (KL) and infinity.

Conventions as in :mod:`klteach.discrete`: D(P||Q) puts the reference P
first; inputs must sum to 1 (never normalised silently); ``base=None``
nats, ``base=2`` bits (for the divergences that take a logarithm);
``axis=-1`` runs over outcomes.

The course's Hellinger convention (:func:`klteach.hellinger_distance`) is
``H^2 = 1/2 sum (sqrt p - sqrt q)^2``, so the generator
``"squared_hellinger"`` is ``(sqrt t - 1)^2 / 2``; books that drop the 1/2
get twice this value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import NamedTuple

import numpy as np
from scipy.special import logsumexp

from ._numerics import _fix_nan, _gap_terms
from ._validation import DistributionError, as_distribution_pair, as_result, check_base, in_units
from .discrete import kl_divergence

__all__ = ["Generator", "GENERATORS", "f_divergence", "renyi_divergence"]


class Generator(NamedTuple):
    """A named f-divergence: its function f, f(0), the slope at infinity lim f(t)/t, and whether it takes a log."""

    f: Callable
    at_zero: float          # f(0+): the term of an outcome with p = 0 < q is q * f(0+) (None: read from f when needed)
    # lim_{t->inf} f(t) / t: the term of an outcome with q = 0 < p is p * this (None: not given)
    slope_at_infinity: float
    logarithmic: bool       # measured in nats (or bits with base=2)
    formula: str
    term: Callable = None   # q f(p/q) written in p and q (no overflow of p/q), for p, q > 0; an optional
                            # third argument d is p - q given more accurately than the rounded p - q


def _xlogx(t):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, t * np.log(np.where(t > 0, t, 1.0)), 0.0)


def _kl(t):
    return _xlogx(t)


def _reverse_kl(t):
    with np.errstate(divide="ignore"):
        return -np.log(t)


def _chi2(t):
    return (t - 1.0) ** 2


def _squared_hellinger(t):
    return 0.5 * (np.sqrt(t) - 1.0) ** 2


def _tv(t):
    return 0.5 * np.abs(t - 1.0)


def _js(t):
    return 0.5 * (_xlogx(t) - (1.0 + t) * np.log((1.0 + t) / 2.0))


def _jeffreys(t):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t == 0, np.inf, (t - 1.0) * np.log(np.where(t == 0, 1.0, t)))


def _log_ratio(p, q, d=None):
    """log(p / q) for p, q > 0: log1p((p - q) / q) where p and q are within a factor of about 1.5 (p - q is
    then exact, or given accurately as ``d``, and the log keeps its relative digits, for nearly identical p
    and q), else log p - log q."""
    d = p - q if d is None else d
    near = np.abs(d) < 0.5 * q
    return np.where(near, np.log1p(np.where(near, d, 0.0) / q), np.log(p) - np.log(q))


# Each term takes p, q > 0 and optionally d = p - q, given accurately by f_divergence for the exactly
# normalised p / sum(p), q / sum(q) (dividing by the sums rounds each entry, which would cost the
# digits of nearly identical distributions); without d, p - q.

def _diff(p, q, d):
    return p - q if d is None else d


def _kl_term(p, q, d=None):
    # p log(p/q) + (q - p): each term >= 0 and accurate to a few eps, relative (klteach.discrete's kernel);
    # the added q - p sum to 0 over the outcomes, so the total is KL and cannot come out negative
    # NaN where p is subnormal and (q - p) / p overflows
    return _fix_nan(_gap_terms(p, q, -_diff(p, q, d) / p), p, q)


def _js_term(p, q, d=None):
    # (p log(p/m) + (m - p) + q log(q/m) + (m - q)) / 2, m = (p + q) / 2: the added terms cancel in each pair
    m = 0.5 * (p + q)
    d = _diff(p, q, d)
    # t = (m - p) / p as (q - p) / (2 p): exact for close p and q, where m - p would carry m's rounding
    return 0.5 * (_fix_nan(_gap_terms(p, m, -d / (2.0 * p)), p, m)
                  + _fix_nan(_gap_terms(q, m, d / (2.0 * q)), q, m))


def _chi2_term(p, q, d=None):
    # ((p - q) / sqrt(q))^2: (p - q)^2 alone underflows to 0 for differences below 1e-162
    return (_diff(p, q, d) / np.sqrt(q)) ** 2


def _squared_hellinger_term(p, q, d=None):
    # (sqrt p - sqrt q)^2 / 2 = ((p - q) / (sqrt p + sqrt q))^2 / 2, squared after dividing (no underflow)
    return 0.5 * (_diff(p, q, d) / (np.sqrt(p) + np.sqrt(q))) ** 2


#: The named generators: name -> :class:`Generator`. Their terms are computed from p and q
#: directly (``term``), the same totals as ``q * f(p / q)`` without overflowing p/q; the
#: logarithmic ones as non-negative terms that keep their digits for nearly identical p and q.
GENERATORS = {
    "kl": Generator(_kl, 0.0, math.inf, True, "t log t", _kl_term),
    "reverse_kl": Generator(_reverse_kl, math.inf, 0.0, True, "-log t",
                           lambda p, q, d=None: _kl_term(q, p, None if d is None else -d)),
    "chi2": Generator(_chi2, 1.0, math.inf, False, "(t - 1)^2", _chi2_term),
    "squared_hellinger": Generator(_squared_hellinger, 0.5, 0.5, False, "(sqrt(t) - 1)^2 / 2",
                                   _squared_hellinger_term),
    "tv": Generator(_tv, 0.5, 0.5, False, "|t - 1| / 2",
                    lambda p, q, d=None: 0.5 * np.abs(_diff(p, q, d))),
    "js": Generator(_js, 0.5 * math.log(2.0), 0.5 * math.log(2.0), True,
                    "(t log t - (1 + t) log((1 + t) / 2)) / 2", _js_term),
    "jeffreys": Generator(_jeffreys, math.inf, math.inf, True, "(t - 1) log t",
                          lambda p, q, d=None: _diff(p, q, d) * _log_ratio(p, q, _diff(p, q, d))),
}


#: The named generators whose ``term`` is q (f(t) + c (t - 1)), f shifted by c (t - 1) to make every
#: term >= 0: the shifts add up to c (sum p - sum q) = 0 over all outcomes, so the outcomes where
#: only one of p, q is positive carry the shift too (f(0+) - c, and slope + c).
_SHIFT = {"kl": -1.0, "reverse_kl": 1.0}


def _normalised_pair(p, q, axis):
    """Checked p, q moved to the last axis and divided by their sums, and their difference P - Q.

    Dividing by the sums rounds each entry, which costs nearly identical
    distributions their digits (for inputs summing to 1 - 1e-16, say);
    P - Q is therefore formed from the raw entries, without that rounding:
    p sq - q sp = sq (p - q) + q (sq - sp), with sq - sp = sum(q - p) (exact
    differences for close entries), as :func:`klteach.kl_contributions` does.
    """
    p, sp, q, sq = as_distribution_pair(p, q, axis=axis)
    p, q = np.moveaxis(p, axis, -1), np.moveaxis(q, axis, -1)
    sp, sq = np.moveaxis(np.expand_dims(sp, axis), axis, -1), np.moveaxis(np.expand_dims(sq, axis), axis, -1)
    p, q = np.broadcast_arrays(p, q)
    with np.errstate(invalid="ignore", over="ignore"):
        raw = p - q
        gap = np.sum(-raw, axis=-1, keepdims=True)
        diff = (raw + q * (gap / sq)) / sp
    return p / sp, q / sq, diff


def _check_number(value, name, meaning):
    if value is not None and (isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value)):
        raise DistributionError(f"{name} must be a number ({meaning}, possibly inf), got {value!r}.")


def _generator(f, slope_at_infinity, at_zero=None):
    if isinstance(f, str):
        if f not in GENERATORS:
            raise DistributionError(
                f"unknown f-divergence {f!r}; use one of {sorted(GENERATORS)} or pass a function f(t)."
            )
        if at_zero is not None or slope_at_infinity is not None:
            raise DistributionError(f"at_zero and slope_at_infinity are for your own f; the named "
                                    f"generator {f!r} knows its limits.")
        return GENERATORS[f]
    if not callable(f):
        raise DistributionError(
            f"f must be a function of t = p/q (e.g. lambda t: (t - 1)**2) or one of the names "
            f"{sorted(GENERATORS)}, got {f!r}."
        )
    _check_number(slope_at_infinity, "slope_at_infinity", "lim f(t)/t as t -> inf")
    _check_number(at_zero, "at_zero", "f(0+) = lim f(t) as t -> 0 from above")
    with np.errstate(all="ignore"):
        at_one = float(np.asarray(f(np.array([1.0])), dtype=float).ravel()[0])
    if not (math.isfinite(at_one) and abs(at_one) <= 1e-12):
        raise DistributionError(
            f"f(1) must be 0 for an f-divergence (so that D_f(P||P) = 0), got f(1) = {at_one!r}; "
            f"subtract the constant f(1) from f."
        )
    return Generator(f, None if at_zero is None else float(at_zero),
                     None if slope_at_infinity is None else float(slope_at_infinity), False, "f(t)", None)


#: Points approaching 0 from above at which a callable f is evaluated when f(0) itself is NaN
#: (0 * log 0 in numpy): a convex f with a finite limit f(0+) has settled there to many digits.
_TOWARDS_ZERO = np.array([1e-100, 1e-200, 1e-300])


def _limit_at_zero(f):
    """f(0+) = lim f(t) as t -> 0 from above, for a callable f: the f(0) of an outcome with p = 0 < q.

    f(0) itself when it is a number or +inf (-log 0 = inf); when it is NaN (numpy's 0 * log 0), the
    right-hand limit read from f at 1e-100, 1e-200 and 1e-300, accepted only when those agree.
    """
    with np.errstate(all="ignore"):
        at_zero = float(np.asarray(f(np.array([0.0])), dtype=float).ravel()[0])
        near = np.asarray(f(_TOWARDS_ZERO), dtype=float).ravel()
    if at_zero == -math.inf:
        raise DistributionError("f(0) = -inf, which no convex f can give; f must be convex on t >= 0.")
    if not math.isnan(at_zero):
        return at_zero
    if near.size == _TOWARDS_ZERO.size and np.all(np.isfinite(near)):
        spread = np.max(near) - np.min(near)
        if spread <= 1e-9 * max(1.0, abs(near[-1])):
            return float(near[-1])
    shown = ", ".join(f"f({t:g}) = {v:.6g}" for t, v in zip(_TOWARDS_ZERO, near))
    raise DistributionError(
        f"p is 0 where q > 0, so the term is q * f(0), but f(0) is NaN (numpy's 0 * log 0, say) and f does "
        f"not settle as t -> 0 ({shown}). Pass at_zero= with the limit of f(t) as t -> 0 from above "
        f"(math.inf if f grows without bound there), or write f so that f(0) is that limit."
    )


def f_divergence(p, q, f, *, base=None, slope_at_infinity=None, at_zero=None, axis=-1):
    r"""The f-divergence of P from Q: the Q-average of f applied to the likelihood ratio p/q.

    .. math:: D_f(P\|Q) = \sum_x q(x)\, f\!\left(\frac{p(x)}{q(x)}\right)

    for a convex ``f`` with ``f(1) = 0``. Outcomes with ``p(x) = 0 < q(x)``
    contribute ``q f(0+)``, with ``f(0+) = lim_{t->0} f(t)`` (so ``t log t``
    gives 0 there, not numpy's ``0 * log 0 = nan``); outcomes with
    ``q(x) = 0`` use the limits ``0 f(0/0) = 0`` and
    ``0 f(p/0) = p lim_{t->inf} f(t)/t``. By Jensen's inequality
    ``D_f >= 0``, with 0 when P = Q. Named generators (:data:`GENERATORS`):

    =======================  ==================================  ========================================
    ``f``                    f(t)                                D_f(P||Q)
    =======================  ==================================  ========================================
    ``"kl"``                 t log t                             D(P||Q)
    ``"reverse_kl"``         -log t                              D(Q||P)
    ``"chi2"``               (t - 1)^2                           sum (p - q)^2 / q (Pearson's chi-square)
    ``"squared_hellinger"``  (sqrt t - 1)^2 / 2                  H^2 = 1 - sum sqrt(p q) (the course's H)
    ``"tv"``                 abs(t - 1) / 2                      total variation, sum abs(p - q) / 2
    ``"js"``                 (t log t - (1+t) log((1+t)/2)) / 2  Jensen-Shannon divergence
    ``"jeffreys"``           (t - 1) log t                       D(P||Q) + D(Q||P) (Jeffreys)
    =======================  ==================================  ========================================

    Computed term by term from the formula (the named generators as
    ``q f(p/q)`` rewritten in p and q, so a tiny q cannot overflow
    ``p/q``). ``"kl"``, ``"reverse_kl"`` and ``"js"`` sum non-negative
    terms ``a log(a/b) + b - a`` (the kernel of :func:`klteach.kl_divergence`)
    and ``"jeffreys"`` takes ``log(p/q)`` as ``log1p((p - q)/q)`` for close
    p and q, so they keep their relative digits for nearly identical P and
    Q (a KL of 2e-18 is not lost to rounding).

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    f : str or callable
        A name from :data:`GENERATORS`, or a function of a numpy array of
        ratios ``t >= 0`` (elementwise, convex, ``f(1) = 0``). For your own
        ``f`` the ratio ``p/q`` is formed as is, so it must not overflow (a
        ``q`` below about ``1e-308 * p`` raises; the named generators have
        no such limit).
    base : float, optional
        For ``"kl"``, ``"reverse_kl"``, ``"js"`` and ``"jeffreys"`` only: None for nats
        (default), 2 for bits.
    slope_at_infinity : float, optional
        For a callable ``f``: ``lim f(t)/t`` as ``t -> inf``, used for
        outcomes where ``q = 0 < p`` (``inf`` for KL-like f). Needed only
        when such outcomes occur.
    at_zero : float, optional
        For a callable ``f``: ``f(0+) = lim f(t)`` as ``t -> 0`` from above,
        used for outcomes where ``p = 0 < q``. By default ``f(0)`` itself,
        or, when that is NaN (``0 * np.log(0)``), the value f settles to at
        ``t = 1e-100, 1e-200, 1e-300``; pass it when f does not settle
        there (``math.inf`` for f like ``(t - 1) * log t`` written as
        ``t * log t - log t``).
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        If an input is not a distribution, the shapes do not match, ``f``
        is unknown or has ``f(1) != 0`` or returns NaN, ``base`` is given
        for a divergence without a logarithm, ``q = 0 < p`` somewhere
        and a callable ``f`` has no ``slope_at_infinity``, ``p = 0 < q``
        somewhere and f(0+) cannot be read from f (pass ``at_zero``),
        ``p/q`` overflows for a callable ``f``, or a callable ``f`` gives a
        negative total (which a convex ``f`` with ``f(1) = 0`` cannot).

    See Also
    --------
    scipy.special.rel_entr, scipy.special.kl_div : KL terms (``kl_div`` adds q - p to each).

    References
    ----------
    .. [1] I. Csiszár, "Information-type measures of difference of probability
           distributions and indirect observations", *Studia Scientiarum
           Mathematicarum Hungarica* 2, 299-318, 1967.

    Examples
    --------
    >>> P, Q = [0.36, 0.48, 0.16], [1/3, 1/3, 1/3]
    >>> round(f_divergence(P, Q, "kl"), 4)               # = kl_divergence(P, Q)
    0.0853
    >>> round(f_divergence(P, Q, lambda t: (t - 1)**2), 4)   # chi-square from a formula
    0.1568
    >>> round(f_divergence([0.5, 0.5, 0], Q, lambda t: t * np.log(t)), 4)   # f(0+) = 0: log(3/2)
    0.4055
    >>> f_divergence([1, 0], [0, 1], "tv")
    1.0
    """
    gen = _generator(f, slope_at_infinity, at_zero)
    base = check_base(base)
    if base is not None and not gen.logarithmic:
        name = f if isinstance(f, str) else "a callable f"
        raise DistributionError(
            f"base applies to divergences measured with a logarithm ('kl', 'reverse_kl', 'js', 'jeffreys'); "
            f"{name!r} has no unit. For your own f that uses np.log, divide the result by np.log(base)."
        )
    p, q, diff = _normalised_pair(p, q, axis)
    both = (p > 0) & (q > 0)
    only_q = (p == 0) & (q > 0)
    only_p = (p > 0) & (q == 0)
    if only_p.any() and gen.slope_at_infinity is None:
        raise DistributionError(
            "q is 0 where p > 0, so the term needs lim f(t)/t as t -> inf; pass "
            "slope_at_infinity= (math.inf for f like t log t or (t - 1)**2, 1/2 for |t - 1|/2)."
        )
    f_at_zero = gen.at_zero
    if only_q.any() and f_at_zero is None:
        f_at_zero = _limit_at_zero(gen.f)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if gen.term is not None:
            pb, qb = np.where(both, p, 1.0), np.where(both, q, 1.0)
            if isinstance(f, str):
                terms = np.where(both, gen.term(pb, qb, np.where(both, diff, 0.0)), 0.0)
            else:
                terms = np.where(both, gen.term(pb, qb), 0.0)
        else:
            t = np.where(both, p / np.where(q > 0, q, 1.0), 1.0)
            if np.any(np.isinf(t)):
                i = np.flatnonzero(np.isinf(t).ravel())[0]
                raise DistributionError(
                    f"p/q overflows at outcome {np.unravel_index(i, t.shape)[-1]} (p = {float(p.ravel()[i])!r}, "
                    f"q = {float(q.ravel()[i])!r}), so q * f(p/q) cannot be formed from the ratio. Use a named "
                    f"generator (its terms are written in p and q), or, if q there is meant as 0, set it to 0 "
                    f"and pass slope_at_infinity=.")
            values = np.asarray(gen.f(t), dtype=float)
            if values.shape != t.shape:
                raise DistributionError(f"f must work elementwise: f(t) for t of shape {t.shape} returned "
                                        f"shape {values.shape}.")
            if np.any(np.isnan(values[both])):
                i = np.flatnonzero((np.isnan(values) & both).ravel())[0]
                raise DistributionError(f"f returned NaN at t = p/q = {float(t.ravel()[i])!r}; f must be "
                                        f"defined for t >= 0.")
            terms = np.where(both, q * values, 0.0)
        shift = _SHIFT.get(f, 0.0) if isinstance(f, str) else 0.0
        if only_q.any():
            terms = terms + np.where(only_q, q * (f_at_zero - shift), 0.0)
        if only_p.any():
            terms = terms + np.where(only_p, p * (gen.slope_at_infinity + shift), 0.0)
        total = np.sum(terms, axis=-1)
    if not isinstance(f, str):
        # a convex f with f(1) = 0 gives a total >= 0 (Jensen); below that by more than rounding, f is not convex
        scale = np.sum(np.abs(np.where(np.isfinite(terms), terms, 0.0)), axis=-1)
        below = total < -1e-12 * np.maximum(scale, 1e-300)
        if np.any(below):
            worst = float(np.min(np.where(below, total, np.inf)))
            raise DistributionError(
                f"sum q f(p/q) = {worst!r} < 0, which a convex f with f(1) = 0 cannot give (Jensen's "
                f"inequality: sum q f(p/q) >= f(sum p) = f(1) = 0); f is not convex on t >= 0.")
        total = np.maximum(total, 0.0)
    elif not gen.logarithmic:
        total = np.maximum(total, 0.0)
    return in_units(total, base) if gen.logarithmic else as_result(total)


def _check_alpha(alpha) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (Real, np.number)) or isinstance(alpha, complex):
        raise DistributionError(f"alpha must be a real number >= 0 (or inf), got {alpha!r}.")
    a = float(alpha)
    if math.isnan(a) or a < 0:
        raise DistributionError(
            f"alpha must be >= 0 (or inf), got {a!r}; the Rényi divergence is defined for orders 0 <= alpha <= inf."
        )
    return a


def renyi_divergence(p, q, alpha, *, base=None, axis=-1):
    r"""Rényi divergence of order alpha: a one-parameter family through KL.

    .. math:: D_\alpha(P\|Q) = \frac{1}{\alpha - 1} \log \sum_x p(x)^\alpha q(x)^{1-\alpha}

    with the limits ``D_1 = D(P||Q)`` (KL), ``D_0 = -log Q(supp P)``
    (``Q``'s probability of the outcomes where ``p > 0``) and
    ``D_inf = log max_x p(x)/q(x)``. Non-decreasing in alpha. Special
    orders: ``D_{1/2} = -2 log sum sqrt(p q) = -2 log(1 - H^2)`` (twice the
    Bhattacharyya distance), ``D_2 = log(1 + chi^2(P||Q))``. Infinite for
    ``alpha >= 1`` when ``q = 0 < p`` somewhere, and for every alpha when the
    supports are disjoint.

    With ``l = log(p/q)`` taken as ``log1p((p - q)/q)`` for close p and q,
    computed as ``log1p(s - 1) / (alpha - 1)`` with
    ``s - 1 = sum (p (expm1(x) - x) - (1 - alpha)(p l + q - p))``,
    ``x = (alpha - 1) l`` (terms of order ``(p - q)^2``, each part without
    cancellation) when ``s`` is within 0.5 of 1, which keeps the digits of
    a tiny divergence (alpha near 1, or nearly identical P and Q); for
    ``alpha < 1/2`` the mirrored expansion around ``alpha = 0``,
    ``s - 1 = sum (q (expm1(y) - y) - alpha (q log(q/p) + p - q))``,
    ``y = alpha l`` (plus the outcomes where only one of p, q is
    positive), which keeps the digits of ``D_alpha`` for tiny alpha; and
    otherwise as ``m + logsumexp(log p + (alpha - 1)(l - m)) / (alpha - 1)``
    (``m = max l`` for alpha > 1, else 0), which stays accurate when the
    sum is tiny (nearly disjoint P and Q) and cannot overflow for a huge
    alpha.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    alpha : float
        The order, ``0 <= alpha <= inf``.
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
        ``alpha`` or ``base`` is invalid.

    See Also
    --------
    klteach.kl_divergence : The limit alpha -> 1.
    f_divergence : The family KL, chi², Hellinger and TV belong to.

    References
    ----------
    .. [1] A. Rényi, "On measures of entropy and information", *Proceedings of the
           Fourth Berkeley Symposium on Mathematical Statistics and Probability*,
           vol. 1, 547-561, 1961.

    Examples
    --------
    >>> P, Q = [0.36, 0.48, 0.16], [1/3, 1/3, 1/3]
    >>> round(renyi_divergence(P, Q, 1), 4)          # KL
    0.0853
    >>> round(renyi_divergence(P, Q, 2), 4)          # log(1 + chi-square) = log(1.1568)
    0.1457
    >>> round(renyi_divergence(P, Q, float("inf")), 4)   # log(0.48 / (1/3)) = log 1.44
    0.3646
    >>> renyi_divergence([0.5, 0.5, 0], [0.25, 0.25, 0.5], 0, base=2)   # -log2 Q(supp P) = -log2 0.5
    1.0
    """
    a = _check_alpha(alpha)
    base = check_base(base)
    if a == 1.0:
        return kl_divergence(p, q, base=base, axis=axis)
    p, q, diff = _normalised_pair(p, q, axis)
    on_p = p > 0
    missing = on_p & (q == 0)           # q = 0 < p
    disjoint = ~np.any(on_p & (q > 0), axis=-1)
    both = on_p & (q > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        diff_b = np.where(both, diff, 0.0)
        log_ratio = np.where(both, _log_ratio(np.where(both, p, 1.0), np.where(both, q, 1.0), diff_b), 0.0)
        if a == 0.0:
            # -log Q(supp P), as -log1p(-Q(off supp P)) when that is small: exactly 0 when supp P
            # covers supp Q, whatever the rounding of Q's sum
            q_on_p = np.sum(np.where(on_p, q, 0.0), axis=-1)
            q_off_p = np.sum(np.where(on_p, 0.0, q), axis=-1)
            result = np.where(q_off_p < 0.5, -np.log1p(-q_off_p), -np.log(q_on_p))
        elif math.isinf(a):
            result = np.max(np.where(both, log_ratio, -np.inf), axis=-1)
            result = np.where(np.any(missing, axis=-1), np.inf, result)
        else:
            scaled = (a - 1.0) * log_ratio                       # terms p * exp(scaled)
            # log s, s = sum p exp(scaled): log1p(s - 1) keeps the digits of s near 1 (alpha near 1), but
            # s - 1 summed as p expm1(scaled) cancels when s is far from 1 (near-disjoint P and Q make s
            # tiny): there log s comes from logsumexp, which is accurate for any s
            # for alpha > 1 shifted by the largest log ratio m: log s / (alpha - 1) = m + logsumexp(log p +
            # (alpha - 1)(l - m)) / (alpha - 1), where (alpha - 1)(l - m) <= 0, so a huge alpha cannot overflow
            top = np.max(np.where(both, log_ratio, -np.inf), axis=-1, keepdims=True)
            top = np.where(np.isfinite(top) & (a > 1), top, 0.0)
            shifted = np.where(both, (a - 1.0) * (log_ratio - top), -np.inf)
            by_logsumexp = top[..., 0] + logsumexp(np.where(both, np.log(np.where(both, p, 1.0)) + shifted,
                                                            -np.inf), axis=-1) / (a - 1.0)
            if np.all(np.isfinite(scaled)) and np.max(np.where(both, scaled, -np.inf)) < 700:
                # s - 1 = sum (p^alpha q^(1-alpha) - alpha p - (1 - alpha) q) for inputs that sum to 1: terms of
                # order (p - q)^2, so float rounding in sum(p) (1 - 1e-16) does not swamp a tiny divergence.
                # Each is p (expm1(x) - x) - (1 - alpha) (p log(p/q) + q - p) with x = (alpha - 1) log(p/q):
                # both parts come without cancellation (a series for expm1(x) - x, the KL kernel for the other)
                x = np.where(both, scaled, 0.0)
                small = np.abs(x) < 1e-3
                e_minus_x = np.where(small, 0.5 * x * x * (1 + x / 3 * (1 + x / 4 * (1 + x / 5 * (1 + x / 6)))),
                                     np.expm1(x) - x)
                pb, qb = np.where(both, p, 1.0), np.where(both, q, 1.0)
                only_p = np.sum(np.where(on_p & ~both, p, 0.0), axis=-1)       # P(q = 0 < p)
                only_q = np.sum(np.where(~on_p & (q > 0), q, 0.0), axis=-1)    # Q(p = 0 < q)
                if a < 0.5:
                    # near alpha = 0 the expansion around alpha = 1 cancels (two terms of size ~KL): expand
                    # around 0 instead, s - 1 = sum q (e^y - 1 - y) - alpha sum (q log(q/p) + p - q)
                    # - alpha P(q = 0 < p) + (alpha - 1) Q(p = 0 < q), y = alpha log(p/q): no cancellation
                    y = np.where(both, a * log_ratio, 0.0)
                    e_minus_y = np.where(np.abs(y) < 1e-3,
                                         0.5 * y * y * (1 + y / 3 * (1 + y / 4 * (1 + y / 5 * (1 + y / 6)))),
                                         np.expm1(y) - y)
                    s_minus_1 = (np.sum(np.where(both, qb * e_minus_y - a * _kl_term(qb, pb, -diff_b), 0.0), axis=-1)
                                 - a * only_p + (a - 1.0) * only_q)
                else:
                    gap = _kl_term(pb, qb, diff_b)
                    s_minus_1 = (np.sum(np.where(both, pb * e_minus_x - (1.0 - a) * gap, 0.0), axis=-1)
                                 - a * only_p - (1.0 - a) * only_q)
                result = np.where(np.abs(s_minus_1) < 0.5, np.log1p(s_minus_1) / (a - 1.0), by_logsumexp)
            else:
                result = by_logsumexp
            if a > 1:
                result = np.where(np.any(missing, axis=-1), np.inf, result)
        result = np.where(disjoint, np.inf, result)
    result = np.maximum(result, 0.0)      # rounding can give -1e-17 for P = Q
    return in_units(result, base)
