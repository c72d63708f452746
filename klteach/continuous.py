"""KL divergence between continuous distributions by numerical integration.

For distributions with no closed form, D(P||Q) is an integral over P's
support, computed here with :func:`scipy.integrate.quad` from the log
densities of two frozen :mod:`scipy.stats` distributions.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import scipy.integrate

from ._numerics import expm1mx
from ._validation import DistributionError, check_base, log_base

__all__ = ["continuous_kl"]

# Quantiles of P and Q used as breakpoints, so quad sees where the mass is
# wherever the distributions are located and however narrow they are.
# Lower-tail probabilities: ppf gives the left points, isf the right ones.
_TAILS = np.array([1e-9, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5])
_RTOL = 1e-10
_LOG_TINY = math.log(math.ulp(0.0))   # log of the smallest positive double, about -744.4
_FAR_TAIL = 1e-290   # Q's tail probability below which a density of 0 is taken as underflow


def _check_frozen(dist, name):
    import scipy.stats   # here, not at the top: it would double `import klteach`'s time

    if isinstance(getattr(dist, "dist", None), scipy.stats.rv_continuous):
        return dist
    if isinstance(getattr(dist, "dist", None), scipy.stats.rv_discrete):
        raise TypeError(
            f"{name} is a discrete distribution ({dist.dist.name}); continuous_kl needs "
            f"densities. For probability vectors use klteach.kl_divergence."
        )
    if isinstance(dist, scipy.stats.rv_continuous):
        if getattr(scipy.stats, dist.name, None) is not dist:   # rv_histogram, a custom class
            raise TypeError(
                f"{name} is an unfrozen {type(dist).__name__}; freeze it by calling it, e.g. "
                f"{name} = {name}() (passing any shape parameters, loc and scale)."
            )
        raise TypeError(
            f"{name} is the unfrozen distribution family scipy.stats.{dist.name}; freeze "
            f"it with its parameters first, e.g. scipy.stats.{dist.name}(...) with "
            f"loc/scale and any shape parameters."
        )
    raise TypeError(
        f"{name} must be a frozen scipy.stats continuous distribution such as "
        f"scipy.stats.norm(0, 1), got {type(dist).__name__}."
    )


def _support(dist, name):
    """The support (lo, hi) of a frozen distribution; NaN means invalid parameters."""
    lo, hi = dist.support()
    if np.ndim(lo) or np.ndim(hi):
        raise DistributionError(
            f"{name} = scipy.stats.{dist.dist.name} with arguments {dist.args} {dist.kwds} is a "
            f"batch of {np.size(lo)} distributions (its parameters are arrays); continuous_kl "
            f"compares one distribution with one other: freeze one distribution at a time."
        )
    lo, hi = float(lo), float(hi)
    if math.isnan(lo) or math.isnan(hi):
        raise DistributionError(
            f"{name} = scipy.stats.{dist.dist.name} with arguments {dist.args} {dist.kwds} has "
            f"invalid parameters (scipy gives it a NaN support): scales must be > 0 and finite, "
            f"and shape parameters within their ranges."
        )
    return lo, hi


def _breakpoints(p, q, lo, hi):
    """Sorted finite points strictly inside (lo, hi): quantiles of P and Q."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points = np.concatenate([p.ppf(_TAILS), p.isf(_TAILS), q.ppf(_TAILS), q.isf(_TAILS)])
    points = points[np.isfinite(points) & (points > lo) & (points < hi)]
    return np.unique(points)


def _tail_width(p, q, side):
    """Length scale of the far tails on one side: the larger distance between the
    1e-6 and 1e-9 quantiles of P and of Q there (1 when neither is finite)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if side == "left":
            widths = [d.ppf(_TAILS[1]) - d.ppf(_TAILS[0]) for d in (p, q)]
        else:
            widths = [d.isf(_TAILS[0]) - d.isf(_TAILS[1]) for d in (p, q)]
    widths = [float(w) for w in widths if 0 < w < math.inf]
    return max(widths, default=1.0)


def _in_units_of_the_tails(f, a, b, p, q):
    """``(g, a', b')``: the integral of ``g`` over [a', b'] is that of ``f`` over [a, b].

    quad maps an infinite piece onto [0, 1] assuming the integrand varies on
    a scale of about 1, and misses a tail that lives at 1e8 or 1e-8. A tail
    piece is therefore integrated in units ``w`` of the tails' own length
    scale: x = a + w u (or b - w u) with u from 0 to infinity.
    """
    if math.isfinite(a) == math.isfinite(b):   # a finite piece, or the whole line
        return f, a, b
    if math.isinf(a):
        width = _tail_width(p, q, "left")
        return (lambda u: width * f(b - width * u)), 0.0, math.inf
    width = _tail_width(p, q, "right")
    return (lambda u: width * f(a + width * u)), 0.0, math.inf


def continuous_kl(p, q, *, base=None):
    r"""KL divergence D(P||Q) between continuous distributions, by numerical integration.

    .. math::

        D(P\|Q) = \int p(x) \log\frac{p(x)}{q(x)}\,dx
                = \int_{S_P} p(x)\left(L + e^{-L} - 1\right)dx + Q(\text{outside } S_P),
        \qquad L = \log p(x) - \log q(x)

    The second form integrates a non-negative function (``e^{-L} p = q``),
    so nothing cancels when P and Q are close, and it is evaluated from log
    densities, so tails where the densities underflow still count. P's
    support ``S_P`` is split at quantiles of P and Q and each piece is
    integrated with :func:`scipy.integrate.quad`; on smooth cases the
    relative error is below 1e-6 (typically 1e-10).

    Parameters
    ----------
    p : frozen scipy.stats continuous distribution
        P, the reference, e.g. ``scipy.stats.norm(0, 1)``.
    q : frozen scipy.stats continuous distribution
        Q, the model.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.

    Returns
    -------
    float
        D(P||Q); ``inf`` when P gives probability to a region where Q's
        density is 0 (outside Q's support, or a gap inside it).

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not a frozen continuous scipy.stats distribution.
    DistributionError
        A ``ValueError``: a distribution has invalid parameters (such as a
        negative scale) or array parameters (a batch of distributions), or
        ``base`` is invalid.

    Warns
    -----
    scipy.integrate.IntegrationWarning
        If the integral did not converge to the tolerance (for instance a
        heavy-tailed P against a light-tailed Q, where D(P||Q) may be
        infinite); the returned value is then unreliable. Also if
        ``q.logpdf`` underflowed to ``-inf`` inside Q's support (scipy
        computes some log densities, such as Laplace's, as ``log(pdf)``)
        where P has probability above 1e-15: the value is then a lower bound.

    Examples
    --------
    >>> from scipy import stats
    >>> round(continuous_kl(stats.norm(0, 1), stats.norm(1, 2)), 4)
    0.4431
    >>> continuous_kl(stats.norm(0, 1), stats.expon())   # Q has no negative values
    inf
    """
    base = check_base(base)
    p = _check_frozen(p, "p")
    q = _check_frozen(q, "q")
    lo, hi = _support(p, "p")
    q_lo, q_hi = _support(q, "q")
    if q_lo > lo or q_hi < hi:
        return math.inf

    underflows = []

    def integrand(x):
        lp, lq = p.logpdf(x), q.logpdf(x)
        if not math.isfinite(lp) or lq == math.inf:
            # Outside P's support, or a node rounded onto a density's
            # integrable singularity at an endpoint: a single point adds 0.
            return 0.0
        if lq == -math.inf:
            if min(q.cdf(x), q.sf(x)) > _FAR_TAIL:
                return math.inf   # a gap inside Q's support: Q's density is truly 0 here
            # Far in Q's tail scipy took log(pdf) and the pdf underflowed
            # (Laplace does). Use the smallest positive density, a lower
            # bound on the integrand; the caller is warned if P has mass there.
            underflows.append(x)
            lq = _LOG_TINY
        log_ratio = lp - lq
        if abs(log_ratio) <= 1:
            return math.exp(lp) * float(expm1mx(-log_ratio))
        return math.exp(lp) * (log_ratio - 1) + math.exp(lq)

    edges = [lo, *_breakpoints(p, q, lo, hi), hi]
    pieces = []
    # scipy's densities overflow harmlessly (to a log density of -inf) far out in the tails.
    with np.errstate(over="ignore"):
        for a, b in zip(edges[:-1], edges[1:]):
            value, err, _, *message = scipy.integrate.quad(
                *_in_units_of_the_tails(integrand, a, b, p, q), epsabs=1e-15, epsrel=_RTOL,
                limit=200, full_output=1)
            pieces.append((value, err, message[0] if message else ""))
    # Q's probability outside P's support, where the integrand's q term is missing.
    outside = (q.cdf(lo) if lo > q_lo else 0.0) + (q.sf(hi) if hi < q_hi else 0.0)
    total = math.fsum(value for value, _, _ in pieces) + float(outside)
    if math.isinf(total) or math.isnan(total):
        # An infinite integrand somewhere (q = 0 where p > 0 inside Q's
        # support) gives inf, or NaN once quad subtracts infinities.
        return math.inf
    if underflows:
        # P's probability beyond the innermost points where Q's log density underflowed.
        xs, middle = np.asarray(underflows), float(q.median())
        left, right = xs[xs <= middle], xs[xs > middle]
        mass = (float(p.cdf(left.max())) if left.size else 0.0) + \
            (float(p.sf(right.min())) if right.size else 0.0)
        if mass > 1e-15:
            warnings.warn(
                f"continuous_kl: q.logpdf underflowed to -inf inside Q's support, where P has "
                f"probability {mass:.2g} (first at x = {underflows[0]:.6g}); scipy computes this "
                f"distribution's log density as log(pdf). The value returned uses the smallest "
                f"positive density there, so it is a lower bound on D(P||Q) (infinite if Q's "
                f"density is truly 0 there).",
                scipy.integrate.IntegrationWarning, stacklevel=2)
    error = math.fsum(err for _, err, _ in pieces)
    # quad flags a piece as "probably divergent" from its error history even
    # when the piece is a negligible tail; only flags on pieces that matter count.
    divergent = [m for value, _, m in pieces if "divergent" in m and abs(value) > 1e-10 * abs(total)]
    if divergent or not error <= max(1e-6 * total, 1e-13):
        said = f"; quad says: {divergent[0].strip()}" if divergent else ""
        warnings.warn(
            f"continuous_kl: the integral may not have converged (estimated error {error:.2g} "
            f"on {total:.6g} nats{said}). If P has heavier tails than Q, D(P||Q) may be "
            f"infinite; the value returned is not reliable.",
            scipy.integrate.IntegrationWarning, stacklevel=2)
    return max(total, 0.0) / log_base(base)
