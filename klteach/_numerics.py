"""Small numerical kernels shared by the continuous and Gaussian divergences."""

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
