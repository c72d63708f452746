"""Small numerical kernels shared by the divergences: exp(x) - 1 - x, and the KL terms
a log(a / b) + (b - a) of the discrete divergences."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["expm1mx"]

# Taylor coefficients 1/n! for n = 2..17: x**2/2 + x**3/6 + ... Below
# |x| = 0.5 the series truncated there is exact to double precision; above it
# the direct difference expm1(x) - x has relative error below 4 * eps.
_SERIES_BELOW = 0.5
_COEFFS = np.array([1 / math.factorial(n) for n in range(17, 1, -1)])


def expm1mx(x):
    """``exp(x) - 1 - x``, accurate to the last digits for every ``x`` and never negative.

    The convex function behind many KL formulas: for ``x = log(q/p)`` it is
    ``q/p - 1 - log(q/p)``, Schulman's k3 term; for ``x = log(s**2)`` it is
    twice the variance part of the KL between normals with standard
    deviations ``s`` and 1. The direct formula loses digits near 0.

    Examples
    --------
    >>> float(expm1mx(1e-9))   # x**2 / 2 + x**3 / 6
    5.000000001666667e-19
    """
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.atleast_1d(np.expm1(x) - x)
    small = np.atleast_1d(np.abs(x) < _SERIES_BELOW)
    if small.any():
        xs = np.atleast_1d(x)[small]
        out[small] = xs * xs * np.polyval(_COEFFS, xs)
    return np.maximum(out, 0.0).reshape(x.shape)


# t - log1p(t) = s * (t - 2 s**2 * sum_k s**(2k) / (2k + 3)) with s = t / (2 + t)
# (from log1p(t) = 2 atanh(s)); used for |s| <= 1/3, i.e. -0.5 <= t <= 1, where
# 16 terms reach double precision (truncation below 7e-18 relative) and the direct
# difference t - log(1 + t) would lose up to 2 * eps / t**2 to cancellation. Outside
# it t - log(b / a) has t - log1p(t) >= 0.19 to lose its rounding against: one log
# (SIMD in numpy, unlike log1p) serves both sides. Coefficients highest power first.
_SERIES_COEFFS = tuple(1.0 / (2 * k + 3) for k in range(15, -1, -1))
_SERIES_MID, _SERIES_HALF = 0.25, 0.75
_TINY = np.finfo(np.float64).tiny


def _series(t):
    """``t - log1p(t)`` by the atanh series, for ``-0.5 <= t <= 1``."""
    s = t / (2.0 + t)
    s2 = s * s
    poly = np.full_like(s, _SERIES_COEFFS[0])
    for c in _SERIES_COEFFS[1:]:
        poly *= s2
        poly += c
    poly *= s2
    poly *= -2.0
    poly += t
    poly *= s
    return poly


def _two_product(a, b):
    """``a * b = h + l`` exactly (Dekker's product with Veltkamp's split into 26-bit halves), elementwise.

    Exact while nothing overflows (``|a|, |b|`` below about 1e291) and the partial products do not underflow.
    """
    h = a * b
    ca, cb = 134217729.0 * a, 134217729.0 * b        # 2**27 + 1
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    return h, ((ah * bh - h) + ah * bl + al * bh) + al * bl


def _gap_terms(a, b, t):
    """``a * (t - log1p(t))`` elementwise, with ``t = (b - a) / a`` given accurately.

    This is ``a log(a / b) + (b - a)``, the KL term of ``a`` against ``b`` plus
    ``b - a``: always >= 0, and within about 12 eps of the exact value,
    relative (11.4 measured), whatever ``t`` (a series for ``-0.5 <= t <= 1``,
    ``t - log(b / a)`` outside).
    ``a == 0`` gives NaN here (see :func:`_fix_nan`). Returns a new array.
    Callers silence floating-point warnings (``np.errstate``).
    """
    ratio = b / a
    d = np.log(ratio)
    lost = ratio < _TINY
    if lost.any():
        # b / a underflows (b << a): log(b) - log(a)
        d[lost] = np.log(_at(b, lost)) - np.log(_at(a, lost))
    np.subtract(t, d, out=d)
    small = np.less_equal(np.abs(t - _SERIES_MID), _SERIES_HALF)
    if small.any():
        # boolean indexing costs more than the series over the whole block
        d = np.where(small, _series(t), d)
    d *= a
    return d


def log_exact_total(x, total, axis):
    """``log`` of the exact sum of ``x`` along ``axis``, given ``total``, its sum as ``np.sum`` rounded it.

    ``log(total)`` is up to about 1e-16 off in absolute terms (``[1e-17, 1]``
    sums to 1.0 in float64), which ruins an entropy of that size. The rounding
    errors of a running sum are recovered exactly, step by step, by Knuth's
    TwoSum (``e = (s0 - (s1 - c)) + (x - c)``, ``c = s1 - s0``), and added back
    through ``log1p``.
    """
    x = np.moveaxis(x, axis, -1)
    run = np.cumsum(x, axis=-1)
    before = np.concatenate([np.zeros_like(run[..., :1]), run[..., :-1]], axis=-1)
    step = run - before
    lost = (before - (run - step)) + (x - step)
    residual = (run[..., -1] - total) + np.sum(lost, axis=-1)   # total is near 1: the difference is exact
    return np.log(total) + np.log1p(residual / total)


def _at(x, mask):
    """``x[mask]`` after broadcasting ``x`` to the mask's shape."""
    x = np.asarray(x)
    return (x if x.shape == mask.shape else np.broadcast_to(x, mask.shape))[mask]


def _fix_nan(d, a, b):
    """Replace the NaN terms of :func:`_gap_terms` by their limits, in place.

    NaN comes from ``a == 0`` (the term's limit is ``b``) or from ``t``
    overflowing when ``a`` is subnormal (then ``(b - a) - a log(b / a)``).
    """
    bad = np.isnan(d)
    if bad.any():
        aa, bb = _at(a, bad), _at(b, bad)
        with np.errstate(divide="ignore", invalid="ignore"):
            d[bad] = np.where(aa > 0, (bb - aa) - aa * (np.log(bb) - np.log(aa)), bb)
    return d
