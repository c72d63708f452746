"""Bayesian updating measured by KL: Beta distributions and what data teach a Beta-Bernoulli model.

The KL divergence from prior to posterior, D(posterior || prior), is the
information the data carried about the parameter: how many bits the
posterior's beliefs differ from the prior's, on average under the
posterior.
"""

from __future__ import annotations

from math import factorial

import numpy as np
from scipy.special import digamma, gammaln, polygamma

from ._validation import DistributionError, as_finite, check_base, in_units

__all__ = ["beta_kl", "beta_bernoulli_information_gain"]

_SERIES_TERMS = 24   # Taylor terms of log-gamma; with |d| < x / 10 the 24th is below 1e-24 of the sum


def _lgamma_bregman(x, d):
    r"""``lgamma(x + d) - lgamma(x) - d * digamma(x)`` (>= 0), keeping its digits when d << x.

    Written directly, the three terms of size ``x log x`` cancel to one of size
    ``d**2 / x``. For ``|d| < x / 10`` the Taylor series
    :math:`\sum_{k \ge 2} \psi^{(k-1)}(x)\, d^k / k!` is summed instead (kept
    to 1e-6 < x < 1e12, where its terms neither overflow nor underflow).
    """
    x, d = np.broadcast_arrays(x, d)
    close = (np.abs(d) < 0.1 * x) & (x > 1e-6) & (x < 1e12)
    xs, ds = np.where(close, x, 1.0), np.where(close, d, 0.0)
    series = np.zeros(np.shape(x))
    for k in range(_SERIES_TERMS, 1, -1):          # smallest terms first
        series += polygamma(k - 1, xs) * ds**k / factorial(k)
    with np.errstate(invalid="ignore", over="ignore"):
        direct = gammaln(x + d) - gammaln(x) - d * digamma(x)
    return np.where(close, series, direct)


def beta_kl(a_p, b_p, a_q, b_q, *, base=None):
    r"""D(Beta(a_p, b_p) || Beta(a_q, b_q)), in closed form.

    .. math::

        D = \ln\frac{B(a_q, b_q)}{B(a_p, b_p)} + (a_p - a_q)\,\psi(a_p) + (b_p - b_q)\,\psi(b_p)
            + (a_q - a_p + b_q - b_p)\,\psi(a_p + b_p)

    with B the beta function and :math:`\psi` the digamma function. P, the
    first distribution, is the reference the expectation is taken under.
    Computed as :math:`G(a_q; a_p) + G(b_q; b_p) - G(a_q + b_q; a_p + b_p)` with
    :math:`G(y; x) = \ln\Gamma(y) - \ln\Gamma(x) - (y - x)\psi(x)`, each by a
    series when y is close to x, so nearly equal Betas keep their digits
    (the direct formula loses them: 1.5% off for Beta(1e6, 1e6) against Beta(1e6 + 1, 1e6)).

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

    Examples
    --------
    >>> beta_kl(2, 3, 2, 3)
    0.0
    >>> round(beta_kl(3, 1, 1, 1), 4)        # Beta(3, 1) = density 3x² against the uniform
    0.4319
    """
    base = check_base(base)
    params = [as_finite(v, name, positive=True, what="a shape parameter")
              for v, name in ((a_p, "a_p"), (b_p, "b_p"), (a_q, "a_q"), (b_q, "b_q"))]
    try:
        a1, b1, a2, b2 = np.broadcast_arrays(*params)
    except ValueError:
        raise DistributionError(
            f"the shape parameters have shapes {[p.shape for p in params]}, which do not broadcast."
        ) from None
    # The closed form regrouped as Bregman terms of log-gamma, each kept accurate
    # for nearly equal parameters; the differences are formed before any sum.
    da, db = a2 - a1, b2 - b1
    kl = _lgamma_bregman(a1, da) + _lgamma_bregman(b1, db) - _lgamma_bregman(a1 + b1, da + db)
    same = (a1 == a2) & (b1 == b2)
    return in_units(np.where(same, 0.0, np.maximum(kl, 0.0)), base)


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

    Examples
    --------
    >>> beta_bernoulli_information_gain(0, 0)           # no data, nothing learned
    0.0
    >>> round(beta_bernoulli_information_gain(7, 3), 4)   # uniform prior, 7 heads, 3 tails
    0.9184
    """
    s = as_finite(successes, "successes", what="a count of successes")
    f = as_finite(failures, "failures", what="a count of failures")
    for arr, name in ((s, "successes"), (f, "failures")):
        if np.any(arr < 0):
            raise DistributionError(f"{name} must be counts >= 0, got {arr.min()!r}.")
    try:
        a, b = prior
    except (TypeError, ValueError):
        raise DistributionError(f"prior must be a pair (a, b) of Beta parameters, got {prior!r}.") from None
    a = as_finite(a, "prior a", positive=True, what="a shape parameter")
    b = as_finite(b, "prior b", positive=True, what="a shape parameter")
    return beta_kl(a + s, b + f, a, b, base=base)
