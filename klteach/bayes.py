"""Bayesian updating measured by KL: Beta distributions and what data teach a Beta-Bernoulli model.

The KL divergence from prior to posterior, D(posterior || prior), is the
information the data carried about the parameter: how many bits the
posterior's beliefs differ from the prior's, on average under the
posterior.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import digamma, gammaln, polygamma

from ._numerics import _two_product, expm1mx
from ._validation import DistributionError, as_finite, check_base, in_units

__all__ = ["beta_kl", "beta_bernoulli_information_gain"]

_SERIES_TERMS = 24   # Taylor terms of log-gamma; with |d| < x / 10 the 24th is below 1e-24 of the sum
_INV_FACTORIAL = [1.0 / math.factorial(k) for k in range(_SERIES_TERMS + 1)]   # floats: no object arrays
# Stirling's series lgamma(z) = (z - 1/2) ln z - z + ln(2 pi) / 2 + sum_k c_k z**(1 - 2k),
# c_k = B_2k / (2k (2k - 1)); from z = 10 on, eight terms leave an error below 2e-18.
_STIRLING = list(enumerate([1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360,
                            1 / 156, -3617 / 122400], start=1))
_LARGE = 10.0
_CHECKED = (1e-6, 1e14)   # shapes for which beta_kl is right for any pair (mpmath grid)
_Q_OVER_P = 1e24          # Q's largest shape, beyond 1e14, at most this times P's largest
_APART = 1e4              # with a shape below 1e-6: the largest factor between P's and Q's shapes
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _log1pmx(t, ratio=None):
    """``t - log(1 + t)`` (>= 0) for t > -1, to full relative precision.

    For |t| < 1/2 it is expm1mx(log1p(t)); otherwise ``t - log(ratio)``, with
    ``ratio`` = 1 + t computed by the caller as a quotient (near t = -1, 1 + t
    itself would have lost every digit).
    """
    t = np.asarray(t, dtype=float)
    ratio = 1 + t if ratio is None else np.asarray(ratio, dtype=float)
    small = np.abs(t) < 0.5
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(small, expm1mx(np.log1p(np.where(small, t, 0.0))),
                        t - np.log(np.where(small, 1.0, ratio)))


def _lgamma_bregman(x, d):
    r"""``lgamma(x + d) - lgamma(x) - d * digamma(x)`` (>= 0), keeping its digits when d << x.

    Written directly, the three terms of size ``x log x`` cancel to one of size
    ``d**2 / x``. For ``|d| < x / 10`` the Taylor series
    :math:`\sum_{k \ge 2} \psi^{(k-1)}(x)\, d^k / k!` is summed instead (used for
    1e-6 < x < 1e4, where its terms neither overflow nor underflow).
    """
    x, d = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(d, dtype=float))
    near = np.abs(d) < 0.1 * x
    close = near & (x > 1e-6) & (x < 1e4)
    xs, ds = np.where(close, x, 1.0), np.where(close, d, 0.0)
    series = np.zeros(np.shape(x))
    for k in range(_SERIES_TERMS, 1, -1):          # smallest terms first
        series += polygamma(k - 1, xs) * ds**k * _INV_FACTORIAL[k]
    # Tiny x: lgamma(x) = -ln x + lgamma(1 + x), so the term is r - ln(1 + r), r = d / x,
    # plus the (Taylor) Bregman term of lgamma(1 + x), which is smooth at 0.
    tiny = near & (x <= 1e-6)
    xt, dt = np.where(tiny, x, 1.0), np.where(tiny, d, 0.0)
    small = _log1pmx(dt / xt) + polygamma(1, 1 + xt) * dt**2 / 2 + polygamma(2, 1 + xt) * dt**3 / 6
    with np.errstate(invalid="ignore", over="ignore"):
        direct = gammaln(x + d) - gammaln(x) - d * digamma(x)
    return np.where(close, series, np.where(tiny, small, direct))


def _digamma_bregman(x, d, y):
    """``digamma(y) - digamma(x) - d * trigamma(x)``, d = y - x, keeping its digits when d << x."""
    x, d, y = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, d, y)))
    near = np.abs(d) < 0.1 * x
    r = d / x
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        moderate = near & (x < 1e4)
        xs, ds = np.where(moderate, x, 1.0), np.where(moderate, d, 0.0)
        series = np.zeros(np.shape(x))
        for k in range(_SERIES_TERMS, 1, -1):
            series += polygamma(k, xs) * ds**k * _INV_FACTORIAL[k]
        # Large x: digamma(z) = ln z - 1/(2z) - 1/(12 z^2) + 1/(120 z^4) - ..., term by term.
        large = near & (x >= 1e4)
        xl, rl = np.where(large, x, 1e4), np.where(large, r, 0.0)
        yl = xl * (1 + rl)
        asym = (-_log1pmx(rl) - rl * rl / (2 * yl) - _power_bregman(2, rl, xl / yl) / (12 * xl**2)
                + _power_bregman(4, rl, xl / yl) / (120 * xl**4))
        direct = digamma(y) - digamma(x) - d * polygamma(1, x)
    return np.where(moderate, series, np.where(large, asym, direct))


def _negligible_first_shapes(a1, b1, a2, b2):
    """D when a1 <= 1e-8 b1 and a2 <= 1e-8 b2: G(a2; a1) + H, H expanded to second order in a.

    Then a1 + b1 and a2 + b2 may round to b1 and b2, and G(b2; b1) - G(a2 + b2; a1 + b1)
    cancels down to something of size a: with a, b, c, d = a1, b1, a2, b2 and r = (d - b) / b,

        H = (a - c)(d - b) psi_1(b) - c B_psi(d; b)
            - [(a - c)^2 psi_1(b) + c^2 B_psi_1(d; b) + (c^2 - a^2)(d - b) psi_2(b)] / 2,

    (psi_k the k-th derivative of digamma, B_f(d; b) = f(d) - f(b) - (d - b) f'(b)), each
    term at most of the size of the result (error (a / b)**2 relative). The derivatives
    are scaled by powers of b (b^2 psi_1(b) = 1 + b^2 psi_1(1 + b), ...), so that a tiny b
    does not overflow them.
    """
    a, b, c, d = a1, b1, a2, b2
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        tiny, large = b < 1, b >= 1e4
        bt, bl = np.where(tiny, b, 1.0), np.where(tiny | large, 1.0, b)
        bh = np.where(large, b, 1e4)
        # b^2 psi_1(b) and b^3 psi_2(b): from psi(1 + b) for b < 1, from the asymptotic
        # series for b >= 1e4 (b**3 could overflow), directly in between.
        u = np.where(tiny, 1 + bt**2 * polygamma(1, 1 + bt), np.where(
            large, bh + 0.5 + 1 / (6 * bh) - 1 / (30 * bh**3), bl**2 * polygamma(1, bl)))
        v = np.where(tiny, -2 + bt**3 * polygamma(2, 1 + bt), np.where(
            large, -(bh + 1 + 1 / (2 * bh) - 1 / (6 * bh**3)), bl**3 * polygamma(2, bl)))
        A, C, S, r = (a - c) / b, c / b, (a + c) / b, (d - b) / b
        ratio = d / b     # 1 + r, formed without rounding r first
        # c B_psi(d; b); for b < 1 with psi(x) = psi(1 + x) - 1/x, whose B is -r^2 / (b (1 + r))
        c_bpsi = np.where(tiny, -C * r * r / ratio + c * _digamma_bregman(1 + bt, d - b, 1 + d),
                          c * _digamma_bregman(np.where(tiny, 1.0, b), d - b, d))
        # b^2 B_psi_1(d; b): for b < 1 the 1/x^2 part of psi_1 gives beta_2(r); for b >= 1e4
        # the asymptotic series of psi_1 term by term; in between directly or by Taylor series
        near = np.abs(r) < 0.1
        dt = np.where(tiny, d - b, 0.0)
        psi1_1p = np.where(near, polygamma(3, 1 + bt) * dt**2 / 2 + polygamma(4, 1 + bt) * dt**3 / 6
                           + polygamma(5, 1 + bt) * dt**4 / 24,
                           polygamma(1, 1 + d) - polygamma(1, 1 + bt) - dt * polygamma(2, 1 + bt))
        tiny_far = _power_bregman(2, r, 1 / ratio) + bt**2 * psi1_1p
        middle_far = bl**2 * (polygamma(1, d) - polygamma(1, bl) - (d - b) * polygamma(2, bl))
        rh, qh = np.where(large, r, 0.0), np.where(large, ratio, 1.0)
        large_far = (bh * rh * rh / qh + _power_bregman(2, rh, 1 / qh) / 2
                     + _power_bregman(3, rh, 1 / qh) / (6 * bh))
        dm = np.where(near & ~tiny & ~large, d - b, 0.0)
        middle_near = np.zeros(np.shape(dm))
        for k in range(_SERIES_TERMS, 1, -1):          # Taylor series of psi_1 about b
            middle_near = middle_near + polygamma(k + 1, bl) * dm**k * _INV_FACTORIAL[k]
        middle = np.where(near, bl**2 * middle_near, middle_far)
        b2_btrig = np.where(tiny, tiny_far, np.where(large, large_far, middle))
        terms = [_lgamma_bregman_any(a, c, c - a), A * r * u, -c_bpsi,
                 -0.5 * (A * A * u + C * C * b2_btrig - A * S * r * v)]
        total = sum(terms)
        # How much the terms cancel: the result carries about eps * size / |total| of error.
        size = sum(np.abs(t) for t in terms)
        return total, size


def _digamma_bregman_any(x, y):
    """``digamma(y) - digamma(x) - (y - x) trigamma(x)`` (<= 0) for any x, y > 0, as terms of one sign.

    Both arguments are first raised to 10 or more by the recurrence psi(z) = psi(z + 1) - 1/z,
    whose Bregman terms are -(y - x)**2 / ((x + i)**2 (y + i)); above 10 the asymptotic
    series psi(z) = log z - 1/(2z) - sum_k c_k (2k - 1) z**-2k is taken term by term, each
    term's Bregman form written through r = (y - x) / x without cancellation.
    """
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    d = y - x
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        shift = np.maximum(0.0, np.ceil(_LARGE - np.minimum(x, y)))
        low = np.zeros(np.shape(x))
        for i in range(int(np.max(shift, initial=0.0)) - 1, -1, -1):
            low = low + np.where(i < shift, 1 / ((x + i) ** 2 * (y + i)), 0.0)
        xs, ys = x + shift, y + shift
        r = d / xs
        inverse = xs / ys
        high = -_log1pmx(r, ys / xs) - _power_bregman(1, r, inverse) / (2 * xs)
        for k, c in reversed(_STIRLING):
            high = high - c * (2 * k - 1) * xs ** (-2 * k) * _power_bregman(2 * k, r, inverse)
        return high - d * d * low


_SMALL_K, _SMALL_J = 12, 20   # Taylor terms in a (a / b <= 1e-2) and in b2 - b1 (|b2 - b1| < b1 / 10)


def _shift_series(h, x, order):
    """sum_{k>=1} h^k / k! psi^(k + order - 1)(x) for h <= x / 100: lnGamma(x + h) - lnGamma(x)
    (order 0) or psi(x + h) - psi(x) (order 1), without the cancellation of the plain difference."""
    total = np.zeros(np.shape(h))
    for k in range(12, 0, -1):                  # (h / x)**12 <= 1e-24: the rest is negligible
        derivative = digamma(x) if order + k == 1 else polygamma(order + k - 1, x)
        total = total + h**k / math.factorial(k) * derivative
    return total


def _small_shape_against_huge(a1, b1, a2, b2):
    """D for 1e-6 <= a1 <= b1 / 100, b1 <= 1e4, a2 <= 1e5, 1e6, 100 max(a2, b1) <= b2 <= 1e14.

    Regrouped as D = G(a2; a1) + [lnGamma(b2) - lnGamma(b2 + a2)] + [lnGamma(b1 + a1) - lnGamma(b1)]
    + (m - n) [psi(b1 + a1) - psi(b1)] + (a2 - a1) psi(b1), n = a1 + b1, m = a2 + b2, with
    G(y; x) = lnGamma(y) - lnGamma(x) - (y - x) psi(x): the terms of size b2 that cancel in the
    closed form (to 1e-10 of the result) have been subtracted exactly; the shifts are series
    and lnGamma(b2 + a2) - lnGamma(b2) is Stirling's, so no term cancels much.
    """
    m, n = a2 + b2, a1 + b1
    g_a = gammaln(a2) - gammaln(a1) - (a2 - a1) * digamma(a1)
    x, h = b2, a2
    up = ((x - 0.5) * np.log1p(h / x) + h * np.log(x + h) - h        # lnGamma(x + h) - lnGamma(x)
          - h / (12 * x * (x + h)) + (1 / x**3 - 1 / (x + h)**3) / 360)
    return g_a - up + _shift_series(a1, b1, 0) + (m - n) * _shift_series(a1, b1, 1) + (a2 - a1) * digamma(b1)


def _small_first_shapes(a1, b1, a2, b2):
    r"""D when a1, a2 <= b1 / 100 and b2 / 100, as terms that do not cancel; with their size.

    With u, v = a1, a2, e = b2 - b1, psi_k the k-th derivative of digamma and
    G(y; x) = lgamma(y) - lgamma(x) - (y - x) psi(x), D is G(v; u) + G(b2; b1)
    - G(b2 + v; b1 + u). The last two, each of size one, cancel down to something of
    size u; expanded in u and v about (b1, b2) and regrouped by powers of u - v they are

        -v B_0 + (u - v) e psi_1(b1) - (u - v)^2 sum_k psi_{k-1}(b1) c_k / k!
        + e (u - v) sum_k psi_k(b1) h_k / k! - sum_k B_{k-1} v^k / k!        (k >= 2)

    with h_k = sum_i u^(k-1-i) v^i, c_k = sum_i (k-1-i) u^(k-2-i) v^i (both > 0) and
    B_m = psi_m(b2) - psi_m(b1) - e psi_{m+1}(b1) (a Taylor series in e when e is small).
    G(v; u) = B_lg(1 + v; 1 + u) + (r - log(1 + r)), r = (v - u) / u, from lgamma(x) =
    lgamma(1 + x) - log x: two terms >= 0. Every term is a product of small factors
    formed exactly or by a series, so nothing is lost when P and Q are nearly equal.
    """
    u, v = a1, a2
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        du, e = v - u, b2 - b1
        near = np.abs(e) < 0.1 * b1
        en = np.where(near, e, 0.0)

        psi_b1 = [polygamma(n, b1) for n in range(_SMALL_K + _SMALL_J)]   # psi_n(b1), each once

        def bregman_polygamma(m):
            """B_m = psi_m(b2) - psi_m(b1) - e psi_{m+1}(b1): a series in e where it is small."""
            series = np.zeros(np.shape(b1))
            for jj in range(_SMALL_J, 1, -1):
                series = series + psi_b1[m + jj] * en**jj * _INV_FACTORIAL[jj]
            if np.all(near):
                return series
            direct = polygamma(m, b2) - psi_b1[m] - e * psi_b1[m + 1]
            return np.where(near, series, direct)

        g_small = _lgamma_bregman(1 + u, du) + _log1pmx(du / u, v / u)
        sum_c = np.zeros(np.shape(u))
        sum_h = np.zeros(np.shape(u))
        sum_b = np.zeros(np.shape(u))
        for k in range(_SMALL_K, 1, -1):                   # smallest terms first
            h = sum(u ** (k - 1 - i) * v**i for i in range(k))
            c = sum((k - 1 - i) * u ** (k - 2 - i) * v**i for i in range(k - 1))
            sum_c = sum_c + psi_b1[k - 1] * c * _INV_FACTORIAL[k]
            sum_h = sum_h + psi_b1[k] * h * _INV_FACTORIAL[k]
            sum_b = sum_b + bregman_polygamma(k - 1) * v**k * _INV_FACTORIAL[k]
        terms = [g_small, -v * _digamma_bregman_any(b1, b2), -du * e * psi_b1[1],
                 -du * du * sum_c, -e * du * sum_h, -sum_b]
        total = sum(terms)
        size = sum(np.abs(t) for t in terms)
    return total, size


def _lgamma_bregman_any(x, y, d):
    """lgamma(y) - lgamma(x) - d digamma(x), d = y - x, for any x: the Taylor series or direct
    form below 10, Stirling's main part and remainder (as in beta_kl) above."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        small = x < _LARGE
        xs = np.where(small, _LARGE, x)
        r = d / xs
        big = xs * _phi1(r, y / xs) + 0.5 * _log1pmx(r, y / xs) + _remainder_bregman(xs, np.where(small, _LARGE, y),
                                                                             np.where(small, 0.0, d))
        return np.where(small, _lgamma_bregman(np.where(small, x, 1.0), np.where(small, d, 0.0)), big)


def _stirling_bregman(x, r):
    r"""The Bregman term of Stirling's main part :math:`S(z) = (z - \tfrac12)\ln z - z + \tfrac12\ln 2\pi`
    at y = x (1 + r): :math:`S(y) - S(x) - (y - x) S'(x) = x\,\phi_1(r) + \tfrac12\,\phi_2(r)` with
    :math:`\phi_2(r) = r - \ln(1 + r)`. Only the second part is returned (the first is combined
    across the three terms of the Beta KL, where it becomes a Bernoulli KL)."""
    return 0.5 * _log1pmx(r)


def _remainder(z):
    """R(z) = lgamma(z) - S(z), Stirling's remainder (about 1 / (12 z) for large z)."""
    z = np.asarray(z, dtype=float)
    big = z >= _LARGE
    zb = np.where(big, z, _LARGE)
    asym = sum(c * zb ** (1 - 2 * k) for k, c in reversed(_STIRLING))
    zs = np.where(big, 1.0, z)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        direct = gammaln(zs) - ((zs - 0.5) * np.log(zs) - zs + _HALF_LOG_2PI)
    return np.where(big, asym, direct)


def _remainder_slope(z):
    """R'(z) = digamma(z) - ln z + 1 / (2 z)."""
    z = np.asarray(z, dtype=float)
    big = z >= _LARGE
    zb = np.where(big, z, _LARGE)
    asym = sum(c * (1 - 2 * k) * zb ** (-2 * k) for k, c in reversed(_STIRLING))
    zs = np.where(big, 1.0, z)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        direct = digamma(zs) - np.log(zs) + 0.5 / zs
    return np.where(big, asym, direct)


def _power_bregman(m, r, inverse_ratio):
    """(1 + r)**-m - 1 + m r (>= 0), accurate for small r too; ``inverse_ratio`` is
    1 / (1 + r) = x / y, computed by the caller as a quotient."""
    small = np.abs(r) < 1e-2
    rs = np.where(small, r, 0.0)
    series = np.zeros(np.shape(r))
    coef = m * (m + 1) / 2.0
    terms = []
    for j in range(2, 12):
        terms.append(coef * rs**j)
        coef *= -(m + j) / (j + 1)
    for term in reversed(terms):
        series += term
    with np.errstate(over="ignore", invalid="ignore"):
        direct = np.expm1(m * np.log(inverse_ratio)) + m * r
    return np.where(small, series, direct)


def _remainder_bregman(x, y, d):
    """R(y) - R(x) - d R'(x), d = y - x: the part of the log-gamma Bregman term beyond
    Stirling's main part."""
    r = d / x
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # Both large: the Stirling series term by term, each a Bregman term of a power.
        both = np.minimum(x, y) >= _LARGE
        xb, yb, rb = np.where(both, x, _LARGE), np.where(both, y, _LARGE), np.where(both, r, 0.0)
        asym = sum(c * xb ** (1 - 2 * k) * _power_bregman(2 * k - 1, rb, xb / yb)
                   for k, c in reversed(_STIRLING[1:])) + rb * rb / (12 * yb)
        # Close, not both large: the log-gamma Taylor series minus Stirling's exact Bregman term.
        near = np.abs(r) < 0.1
        xn, dn = np.where(near, x, 1.0), np.where(near, d, 0.0)
        rn = dn / xn
        close = _lgamma_bregman(xn, dn) - (xn * _phi1(rn) + _stirling_bregman(xn, rn))
        # Far apart, one of them small: the remainders themselves (moderate numbers).
        far = _remainder(y) - _remainder(x) - d * _remainder_slope(x)
    both_large = np.minimum(x, y) >= _LARGE
    return np.where(both_large, asym, np.where(near, close, far))


def _phi1(r, ratio=None):
    """(1 + r) log(1 + r) - r (>= 0), accurate for small r; ``ratio`` = 1 + r as a quotient."""
    # (1 + r) log1p(r) - r = (1 + r) * phi2(-u), u = r / (1 + r), phi2(t) = t - log1p(t)
    ratio = 1 + r if ratio is None else ratio
    return ratio * _log1pmx(-r / ratio, 1 / ratio)


def _floats(x, name):
    """``x`` as float64 when it is a number or an object array of numbers.

    Python integers beyond int64 (counts of 10**20) make numpy build an object
    array, which the shared checks refuse; such numbers are converted here.
    Anything else is passed on unchanged, for the checks to name the problem.
    """
    from numbers import Real

    if isinstance(x, (str, bytes)):
        return x
    try:
        arr = np.asarray(x)
    except Exception:
        return x
    if arr.dtype == object and arr.size and all(isinstance(v, Real) and not isinstance(v, bool)
                                                for v in arr.ravel()):
        try:
            return arr.astype(np.float64)
        except OverflowError:
            raise DistributionError(
                f"{name} has a number too large for a 64-bit float (above 1.8e308); "
                f"Beta shapes and counts must be below that.") from None
        except (ValueError, TypeError):
            return x
    return x


def beta_kl(a_p, b_p, a_q, b_q, *, base=None):
    r"""D(Beta(a_p, b_p) || Beta(a_q, b_q)), in closed form.

    .. math::

        D = \ln\frac{B(a_q, b_q)}{B(a_p, b_p)} + (a_p - a_q)\,\psi(a_p) + (b_p - b_q)\,\psi(b_p)
            + (a_q - a_p + b_q - b_p)\,\psi(a_p + b_p)

    with B the beta function and :math:`\psi` the digamma function. P, the
    first distribution, is the reference the expectation is taken under.
    The terms of size :math:`a \ln a` cancel down to D, so the formula is
    never evaluated as written (it is 1.5% off for Beta(1e6, 1e6) against
    Beta(1e6 + 1, 1e6), and 2.6e4 times too large for Beta(1e12, 1e12)
    against Beta(1e12 + 1e3, 1e12)). It is regrouped as
    :math:`G(a_q; a_p) + G(b_q; b_p) - G(a_q + b_q; a_p + b_p)` with
    :math:`G(y; x) = \ln\Gamma(y) - \ln\Gamma(x) - (y - x)\psi(x)`, and
    :math:`\ln\Gamma` split into Stirling's main part and its remainder: the
    main parts add up to :math:`m\,\mathrm{KL}(\mathrm{Bernoulli}(a_q/m)\,\|\,
    \mathrm{Bernoulli}(a_p/n))` (:math:`n = a_p + b_p`, :math:`m = a_q + b_q`,
    with :math:`a_p b_q - b_p a_q` formed exactly) plus terms of size one, and
    the remainders are summed by Stirling's series (or a Taylor series for
    close shapes). When one shape of each Beta is below 1e-6 times the other
    (so that a + b may round to b), the terms of the larger shapes are
    instead expanded to second order in the small ones. When one shape of
    each Beta is at most 1 and at most 1e-2 times the other shapes (which
    are at least 1e-6), as for a Bayesian update from a prior with a small
    shape, D is expanded in the small shapes and in the difference of the
    large ones, a sum of terms that do not cancel (the regrouped form lost
    up to 1e-8 of the digits there). Checked against 60- to 800-digit
    arithmetic: for shapes from 1e-6 to 1e14 relative error below 1e-12
    (worst 1.0e-12, for shapes near 1e8 and 1e14, on a grid of 1660 tiny,
    huge, mixed and nearly equal pairs; a small shape of P, 1e-6 to 1e-2 of
    its other one, against a huge opposite shape of Q is regrouped so that
    its terms of size 1e13 cancel exactly), except where a shape of Q is
    below 1e-2 and P's opposite shape above 1e6: there below 2e-11 (worst
    1.1e-11 on 1500 random such pairs); where a small shape is 1e-6 to
    1e-2 times the large one, nearly equal Betas and a shared small shape
    included, below 2e-14 (worst 1.3e-14 on 800 random pairs); the same
    for larger shapes (up to 1e300) as long as Q's largest shape is at most
    1e24 times P's. Shapes below 1e-6 are answered (to 1e-9) only when each
    of P's shapes is within a factor 1e4 of Q's; outside these ranges the
    regrouped form can lose every digit, and a ``FloatingPointError`` is
    raised instead of a wrong number.

    Parameters
    ----------
    a_p, b_p, a_q, b_q : float or array_like
        Shape parameters > 0 (broadcast together).
    base : float, optional
        None for nats (default), 2 for bits.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        Parameters that are not finite positive numbers, shapes that do not
        broadcast, an invalid ``base``.
    FloatingPointError
        Shapes outside the range above (such as Beta(1e-15, 1e4) against
        Beta(1e-15, 1e-9), or Q's shapes 1e100 against P's 1): the result
        could not be computed reliably.

    See Also
    --------
    beta_bernoulli_information_gain : D(posterior || prior) after coin flips.
    klteach.continuous_kl : D(P||Q) by quadrature, for checking.

    Examples
    --------
    >>> beta_kl(2, 3, 2, 3)
    0.0
    >>> round(beta_kl(3, 1, 1, 1), 4)        # Beta(3, 1) = density 3x² against the uniform
    0.4319
    """
    base = check_base(base)
    params = [as_finite(_floats(v, name), name, positive=True, what="a shape parameter")
              for v, name in ((a_p, "a_p"), (b_p, "b_p"), (a_q, "a_q"), (b_q, "b_q"))]
    try:
        a1, b1, a2, b2 = np.broadcast_arrays(*params)
    except ValueError:
        raise DistributionError(
            f"the shape parameters have shapes {[p.shape for p in params]}, which do not broadcast."
        ) from None
    # The closed form is G(a_q; a_p) + G(b_q; b_p) - G(a_q + b_q; a_p + b_p) with G the
    # Bregman term of log-gamma. Splitting log-gamma into Stirling's main part S and its
    # remainder R, the x phi1 parts of the three S terms add up to
    # m * KL(Bernoulli(c/m) || Bernoulli(a/n)) (n = a + b, m = c + d), written here through
    # ad - bc, computed exactly; nothing of size x log x is ever subtracted.
    da, db = a2 - a1, b2 - b1
    n, dn = a1 + b1, da + db
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        # ad - bc and c n in units where the largest shape is about 1 (no overflow).
        unit = np.exp2(-np.floor(np.log2(np.maximum(np.maximum(a1, b1), np.maximum(a2, b2)))))
        unit = np.where(np.maximum(a1, b1) > 1e150, unit, 1.0)
        sa, sb, sc, sd = a1 * unit, b1 * unit, a2 * unit, b2 * unit
        p1, e1 = _two_product(sa, sd)
        p2, e2 = _two_product(sb, sc)
        cross = (p1 - p2) + (e1 - e2)                   # ad - bc
        sn = sa + sb
        m = a2 + b2
        bernoulli = (a2 * _log1pmx(cross / sc / sn, (a1 / a2) * (m / n))
                     + b2 * _log1pmx(-cross / sd / sn, (b1 / b2) * (m / n)))
        halves = 0.5 * (_log1pmx(da / a1, a2 / a1) + _log1pmx(db / b1, b2 / b1)
                        - _log1pmx(dn / n, m / n))
        rest = (_remainder_bregman(a1, a2, da) + _remainder_bregman(b1, b2, db)
                - _remainder_bregman(n, m, dn))
        kl = bernoulli + halves + rest
        # One shape negligible beside the other in both Betas: the sums a + b lose it, and
        # the terms above cancel down to its size. An expansion in it instead.
        first = (a1 <= 1e-6 * b1) & (a2 <= 1e-6 * b2)
        second = (b1 <= 1e-6 * a1) & (b2 <= 1e-6 * a2)
        if np.any(first | second):
            # Used where its terms cancel little (elsewhere the form above keeps the digits).
            # It is taken where its terms cancel by less than 1e3 (error below about 2e-13),
            # or by less than 1e5 where the small shapes vanish from the sums altogether.
            for mask, args in ((first, (a1, b1, a2, b2)), (second, (b1, a1, b2, a2))):
                total, size = _negligible_first_shapes(*args)
                lost = (args[0] <= 1e-16 * args[1]) & (args[2] <= 1e-16 * args[3])
                mild = size <= np.where(lost, 1e5, 1e3) * np.abs(total)
                kl = np.where(mask & mild, total, kl)
        # One shape of each Beta small (at most 1, and 1e-2 of the other shapes), the
        # others not tiny: the regrouped form cancels by up to 1e8 there (a small shared
        # prior shape with an O(1) update), an expansion in the small shapes does not.
        for args in ((a1, b1, a2, b2), (b1, a1, b2, a2)):
            u, b, v, d = args
            small = ((np.maximum(u, v) <= np.minimum(1.0, 1e-2 * np.minimum(b, d)))
                     & (np.minimum(b, d) >= 1e-6))
            if np.any(small):                               # only where it applies (it is slow)
                total, size = _small_first_shapes(*(x[small] for x in args))
                mild = size <= 1e3 * np.abs(total)
                kl = np.array(kl, dtype=float)
                kl[small] = np.where(mild, total, kl[small])
        # A small shape of P (1e-6 to 1e-2 of its other one, which is at most 1e4) against a
        # huge other shape of Q (1e6 to 1e14, 100 times Q's first shape, at most 1e5, and P's
        # second): terms of size b2 cancel to 1e-10 of D above; regrouped so that they are
        # subtracted exactly (relative error below 6e-15 on 2300 random such shapes).
        for args in ((a1, b1, a2, b2), (b1, a1, b2, a2)):
            u, b, v, d = args
            huge = ((u <= 1e-2 * b) & (u >= _CHECKED[0]) & (b <= 1e4) & (v <= 1e5)
                    & (d >= 1e6) & (d <= _CHECKED[1]) & (d >= 1e2 * np.maximum(v, b)))
            if np.any(huge):
                kl = np.array(kl, dtype=float)
                kl[huge] = _small_shape_against_huge(*(x[huge] for x in args))
    same = (a1 == a2) & (b1 == b2)
    kl = np.where(same, 0.0, np.maximum(kl, 0.0))
    # Outside the checked range the regrouped form is not reliable: refuse rather than
    # return a wrong number (see Raises).
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        tiny = np.minimum(np.minimum(a1, b1), np.minimum(a2, b2)) < _CHECKED[0]
        apart = (np.maximum(a1 / a2, a2 / a1) > _APART) | (np.maximum(b1 / b2, b2 / b1) > _APART)
        top_p, top_q = np.maximum(a1, b1), np.maximum(a2, b2)
        q_huge = (top_q > _CHECKED[1]) & (top_q > _Q_OVER_P * top_p)
        broken = ~np.isfinite(kl) | ((kl == 0) & ~same) | (tiny & apart) | q_huge
    if np.any(broken):
        i = int(np.argmax(broken.ravel()))
        where = "" if broken.ndim == 0 else f" (first at index {i})"
        args = ", ".join(f"{float(v.ravel()[i]):.6g}" for v in (a1, b1, a2, b2))
        raise FloatingPointError(
            f"beta_kl cannot compute D(Beta(a_p, b_p) || Beta(a_q, b_q)) reliably for shapes "
            f"({args}){where}: shapes below {_CHECKED[0]:g} are supported only when P's and "
            f"Q's shapes differ by a factor of at most {_APART:g}, and Q's shapes may exceed "
            f"{_CHECKED[1]:g} only up to {_Q_OVER_P:g} times P's largest. Use arbitrary-"
            f"precision arithmetic (mpmath's loggamma and digamma at a few hundred digits) "
            f"for such shapes."
        )
    return in_units(kl, base)


def beta_bernoulli_information_gain(successes, failures, *, prior=(1.0, 1.0), base=2):
    r"""Information gained about a coin's bias: D(posterior || prior) for a Beta prior, in bits by default.

    With prior Beta(a, b) on the probability of success and data of s
    successes and f failures, the posterior is Beta(a + s, b + f) and

    .. math::

        \text{gain} = D\big(\mathrm{Beta}(a + s, b + f)\,\|\,\mathrm{Beta}(a, b)\big).

    Parameters
    ----------
    successes, failures : int or array_like
        Counts >= 0.
    prior : (float, float)
        (a, b) of the Beta prior; (1, 1) is uniform.
    base : float, optional
        2 for bits (default), None for nats.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        Negative or non-finite counts, an invalid prior or base.
    FloatingPointError
        As for :func:`beta_kl`: a prior shape below 1e-6 with counts more
        than 1e4 times it cannot be computed reliably.

    Examples
    --------
    >>> beta_bernoulli_information_gain(0, 0)           # no data, nothing learned
    0.0
    >>> round(beta_bernoulli_information_gain(7, 3), 4)   # uniform prior, 7 heads, 3 tails
    0.9184
    """
    s = as_finite(_floats(successes, "successes"), "successes", what="a count of successes")
    f = as_finite(_floats(failures, "failures"), "failures", what="a count of failures")
    for arr, name in ((s, "successes"), (f, "failures")):
        if np.any(arr < 0):
            i = int(np.argmax(arr.ravel() < 0))
            where = "" if arr.ndim == 0 else f" at index {i}"
            raise DistributionError(f"{name} must be counts >= 0, got {arr.ravel()[i]:.17g}{where}.")
    try:
        a, b = prior
    except (TypeError, ValueError):
        raise DistributionError(f"prior must be a pair (a, b) of Beta parameters, got {prior!r}.") from None
    a = as_finite(_floats(a, "prior a"), "prior a", positive=True, what="a shape parameter")
    b = as_finite(_floats(b, "prior b"), "prior b", positive=True, what="a shape parameter")
    return beta_kl(a + s, b + f, a, b, base=base)
