"""KL as an error exponent: the best test between two coins, and Sanov's exponential tilt.

* :func:`neyman_pearson_binomial`: the most powerful test of "the coin is P"
  against "the coin is Q" from n flips at a fixed type-I error, with its
  exact type-II error (in log form, so it never underflows). By Stein's
  lemma ``-log(beta_n) / n -> D(P||Q)``.
* :func:`exponential_tilt`: the I-projection of a distribution onto the
  distributions with a given mean, ``argmin D(P*||P)`` subject to
  ``E_{P*}[values] = mean``, which is the exponential tilt
  ``p*(x) ∝ p(x) exp(lam * values[x])``. By Sanov's theorem the chance that
  the average of n draws from P lands at or beyond that mean falls like
  ``exp(-n D(P*||P))``.

Conventions as in :mod:`klteach.discrete`: nats unless ``base`` is given,
inputs never normalised silently, bad input refused with a
:class:`~klteach.DistributionError` that says how to fix it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import optimize, special, stats

from ._validation import DistributionError, as_distribution, check_base, in_units
from .discrete import kl_divergence

__all__ = ["NeymanPearsonTest", "neyman_pearson_binomial", "Tilt", "exponential_tilt"]


class NeymanPearsonTest(NamedTuple):
    """The most powerful test between two coins at a fixed type-I error.

    ``accept`` is ``"high"`` when the test decides for P on many heads
    (P's heads probability above Q's), ``"low"`` otherwise. The test decides
    for P when the number of heads is beyond ``threshold`` on the ``accept``
    side, against P when it is short of it, and at exactly ``threshold`` decides
    for P with probability ``1 - gamma`` (a coin flip of its own, so that the
    type-I error is exactly ``alpha``). ``log_beta`` is the natural log of
    the type-II error Q(decide P).
    """

    log_beta: float
    threshold: int
    gamma: float
    accept: str

    @property
    def beta(self) -> float:
        """The type-II error itself (0.0 when it underflows; use ``log_beta``)."""
        return math.exp(self.log_beta)


def _probability(x, name):
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise DistributionError(f"{name} must be a number in (0, 1), the coin's probability of heads; got {x!r}.")
    x = float(x)
    if not 0 < x < 1:
        raise DistributionError(
            f"{name} = {x!r} is not strictly between 0 and 1; a coin with heads probability 0 or 1 is "
            f"told apart from any other after one flip, so there is no error exponent to compute.")
    return x


def neyman_pearson_binomial(p, q, n, alpha=0.05):
    r"""Most powerful test of "heads probability p" (P) against "q" (Q) from n flips, and its type-II error.

    The log-likelihood ratio of n flips with k heads is

    .. math:: \Lambda = \sum_{i=1}^n \log\frac{P(x_i)}{Q(x_i)}
              = k\log\frac pq + (n-k)\log\frac{1-p}{1-q},

    monotone in k, with mean :math:`n D(P\|Q)` under P. By the
    Neyman–Pearson lemma the most powerful test at type-I error
    :math:`\alpha = P(\text{decide } Q)` decides for P when :math:`\Lambda`
    is above a threshold, randomising at the threshold so that the type-I
    error is exactly α. Its type-II error :math:`\beta_n = Q(\text{decide } P)`
    is a sum of binomial probabilities, computed as a log-sum-exp of
    log-pmfs (never through ``logsf``, which returns ``-inf`` far in a
    tail), so it does not underflow: against exact big-integer sums
    ``log_beta`` agrees to a relative 1e-12 or better for n up to 2e5 (e.g.
    -8504.414346206 at p = 0.5, q = 0.3, n = 1e5). When β is close to 1
    (tiny α) it is computed as ``log1p(-(1 - beta))`` from the complementary
    sum, so ``log_beta`` stays negative and keeps its digits (-2.89e-299 at
    n = 10, α = 1e-300). Terms of a sum further than 50 standard deviations
    (+100) from its largest are left out; the binomial is log-concave, so
    they are far below double precision of the sum.
    Stein's lemma: :math:`-\log\beta_n / n \to D(P\|Q)`.

    Parameters
    ----------
    p, q : float
        Heads probabilities of the coin under P (the hypothesis kept at
        type-I error α) and under Q, strictly between 0 and 1 and different.
    n : int
        Number of flips, at least 1.
    alpha : float
        Type-I error P(decide Q), strictly between 0 and 1.

    Returns
    -------
    NeymanPearsonTest
        ``(log_beta, threshold, gamma, accept)``; ``.beta`` is ``exp(log_beta)``.

    Raises
    ------
    DistributionError
        If ``p`` or ``q`` is not in (0, 1), ``p == q``, ``n`` is not a
        positive integer, or ``alpha`` is not in (0, 1).

    See Also
    --------
    klteach.kl_divergence : D(P||Q), the limit of ``-log_beta / n``.

    References
    ----------
    Cover and Thomas, *Elements of Information Theory*, 2nd ed. (2006),
    sections 11.7 (Neyman–Pearson lemma) and 11.8 (Stein's lemma).

    Examples
    --------
    >>> t = neyman_pearson_binomial(0.5, 0.3, 100)
    >>> t.threshold, t.accept, round(t.beta, 6)
    (42, 'high', 0.006356)
    >>> f"{-neyman_pearson_binomial(0.5, 0.3, 100_000).log_beta / 100_000:.4f}"   # D(P||Q) = 0.0872 nats
    '0.0850'
    >>> f"{neyman_pearson_binomial(0.5, 0.3, 10, alpha=1e-300).log_beta:.6g}"   # log(1 - 1e-300 * (0.7 / 0.5)**10)
    '-2.89255e-299'
    """
    p, q = _probability(p, "p"), _probability(q, "q")
    if p == q:
        raise DistributionError(f"p and q are both {p!r}: a test needs two different coins.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise DistributionError(f"n must be a positive integer number of flips, got {n!r}.")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)) \
            or not 0 < float(alpha) < 1:
        raise DistributionError(f"alpha must be a type-I error strictly between 0 and 1 (e.g. 0.05), got {alpha!r}.")
    n, alpha = int(n), float(alpha)
    high = p > q                      # decide for P on many heads when P favours heads
    if not high:                      # mirror: count tails, so that P again favours the upper end
        p, q = 1 - p, 1 - q
    # Decide against P when k < c, with probability gamma when k = c, for P when k > c:
    # c is the smallest count with P(K <= c) > alpha. Every probability is a log-sum of log-pmfs,
    # so nothing underflows (scipy's logsf/logcdf return -inf far in a tail, and cdf(c) is 0 below 1e-308).
    # For alpha >= 1/2 every comparison and difference uses 1 - alpha (exact in floats there) and
    # P's upper tail instead: alpha and P(K <= c) both near 1 would cancel to a few digits.
    large = alpha >= 0.5
    log_alpha, log_rest = math.log(alpha), math.log1p(-alpha)

    def beyond(c):
        """P(K <= c) > alpha, i.e. P(K > c) < 1 - alpha."""
        if large:
            return _log_binom_sum(c + 1, n, n, p) < log_rest
        return _log_binom_sum(0, c, n, p) > log_alpha

    c = int(min(max(stats.binom.ppf(alpha, n, p), 0), n))      # a float search: only a start
    while c > 0 and beyond(c - 1):
        c -= 1
    while not beyond(c):
        c += 1
    log_pc = float(_log_pmf(c, n, p))
    # gamma = (alpha - P(K < c)) / P(K = c) and 1 - gamma = (P(K <= c) - alpha) / P(K = c), each
    # from its own difference so that neither loses its digits when the other is close to 1;
    # for alpha >= 1/2 as (P(K >= c) - (1 - alpha)) / P(K = c) and ((1 - alpha) - P(K > c)) / P(K = c).
    if large:
        log_at_or_above, log_above = _log_binom_sum(c, n, n, p), _log_binom_sum(c + 1, n, n, p)
        gamma = math.exp(log_at_or_above - log_pc) - math.exp(log_rest - log_pc)
        one_minus = math.exp(log_rest - log_pc) - math.exp(log_above - log_pc)
    else:
        log_below, log_cdf_c = _log_binom_sum(0, c - 1, n, p), _log_binom_sum(0, c, n, p)
        gamma = math.exp(log_alpha - log_pc) - math.exp(log_below - log_pc)
        one_minus = math.exp(log_cdf_c - log_pc) - math.exp(log_alpha - log_pc)
    gamma, one_minus = (min(max(x, 0.0), 1.0) for x in (gamma, one_minus))
    log_qc = float(_log_pmf(c, n, q))
    # beta = Q(K > c) + (1 - gamma) Q(K = c); its complement 1 - beta = Q(K < c) + gamma Q(K = c).
    log_upper = np.logaddexp(_log_binom_sum(c + 1, n, n, q), _log(one_minus) + log_qc)
    log_lower = np.logaddexp(_log_binom_sum(0, c - 1, n, q), _log(gamma) + log_qc)
    if log_upper <= log_lower:        # beta <= 1/2: the sum itself is accurate to the last digits
        log_beta = float(log_upper)
    else:                             # beta near 1: log(1 - small) keeps the small part's digits
        log_beta = math.log1p(-math.exp(log_lower))
    log_beta = min(log_beta, 0.0)
    threshold = c if high else n - c
    return NeymanPearsonTest(float(log_beta), threshold, float(gamma), "high" if high else "low")


def _log(x):
    return math.log(x) if x > 0 else -math.inf


def _log_binom_sum(lo, hi, n, p):
    """``log sum_{k=lo}^{hi} Binomial(k; n, p)``, ``-inf`` for an empty range.

    The binomial pmf is log-concave, so the largest term is at the point m of
    [lo, hi] closest to the mode, and away from m the terms fall at least as
    fast as they fall away from the mode. Terms further than ``50 sd + 100``
    from m are therefore far below double precision of the sum and are left
    out (the tests check skewed and large-n cases against exact sums).
    """
    lo, hi = max(lo, 0), min(hi, n)
    if lo > hi:
        return -math.inf
    mode = int(math.floor((n + 1) * p))
    m = min(max(mode, lo), hi)
    half = int(50 * math.sqrt(n * p * (1 - p))) + 100
    k = np.arange(max(lo, m - half), min(hi, m + half) + 1)
    return float(special.logsumexp(_log_pmf(k, n, p)))


def _log_pmf(k, n, p):
    """Binomial log-pmf: the log of scipy's pmf (error 6e-14 in the log at n = 1e5) wherever it is a normal
    float, scipy's logpmf (gammaln differences, error 2e-10 at n = 1e5) only where the pmf underflows."""
    k = np.asarray(k)
    pmf = stats.binom.pmf(k, n, p)
    with np.errstate(divide="ignore"):
        return np.where(pmf > 1e-290, np.log(np.maximum(pmf, 1e-300)), stats.binom.logpmf(k, n, p))


class Tilt(NamedTuple):
    """The I-projection of P onto the distributions with a given mean.

    ``distribution`` is P* (an exponential tilt of P), ``lam`` the tilt
    parameter (``p*(x) ∝ p(x) exp(lam * values[x])``), ``kl`` D(P*||P) in
    the units asked for.
    """

    distribution: np.ndarray
    lam: float
    kl: float


def exponential_tilt(p, values, mean, *, base=None):
    r"""The distribution closest to P in KL with a given mean: Sanov's minimiser, an exponential tilt.

    Among all distributions :math:`P^*` on P's outcomes with
    :math:`\mathbb{E}_{P^*}[v(X)] = m`, the one that minimises
    :math:`D(P^*\|P)` (the **I-projection** of P) is

    .. math:: p^*(x) = \frac{p(x)\, e^{\lambda v(x)}}{\sum_y p(y)\, e^{\lambda v(y)}},
              \qquad D(P^*\|P) = \lambda m - \log \sum_y p(y) e^{\lambda v(y)},

    with λ chosen (by a 1-D root find, Brent's method) so that the mean is
    m. For m at or above P's own mean the same P* minimises
    :math:`D(P^*\|P)` over the whole set :math:`\{\mathbb{E}_{P^*}[v] \ge m\}`,
    and by Sanov's theorem the chance that the average of n draws from P is
    at least m falls like :math:`e^{-n D(P^*\|P)}`. The sums are computed
    with the largest exponent factored out, so large λ does not overflow,
    and λ is the root of :math:`\sum_x p(x)(v(x) - m)e^{\lambda (v(x) - m)}`
    summed with each term's size kept in its exponent, so values anywhere
    in the float range (further apart than the largest float, or a spread
    below 1e-300) give P* and the KL to about 1e-12 relative: usually to a
    few units in the last place, but values 1e300 and 1e-300 in size side by
    side left 3e-13 in λ, and probabilities near 1e-300 7e-14 in the KL,
    against mpmath at 80 digits.

    Parameters
    ----------
    p : array_like
        The distribution P (sums to 1; counts: ``klteach.normalize`` first).
    values : array_like
        The value v(x) of each outcome, same length as ``p``, finite.
    mean : float
        The target mean m, strictly between the smallest and the largest
        value that P gives positive probability.
    base : float, optional
        Logarithm base of ``kl``: None for nats (default), 2 for bits.

    Returns
    -------
    Tilt
        ``(distribution, lam, kl)``.

    Raises
    ------
    DistributionError
        If ``p`` is not a distribution, ``values`` has another length or a
        non-finite entry, or ``mean`` is not strictly inside the range of
        the values P can take (at an end of the range the minimiser is a
        point mass, outside it no distribution qualifies), or λ itself is
        beyond the largest float (values spread over less than about
        1e-305: multiply values and mean by a large factor).

    See Also
    --------
    neyman_pearson_binomial : the other error exponent, Stein's lemma.

    References
    ----------
    Cover and Thomas, *Elements of Information Theory*, 2nd ed. (2006),
    section 11.4 (Sanov's theorem) and 11.5 (examples of the tilt).

    Examples
    --------
    A fair die whose average roll is at least 4:

    >>> t = exponential_tilt(np.full(6, 1 / 6), np.arange(1, 7), 4.0)
    >>> np.round(t.distribution, 4)
    array([0.1031, 0.1227, 0.1461, 0.174 , 0.2072, 0.2468])
    >>> round(t.lam, 6), round(t.kl, 6)
    (0.174629, 0.043253)
    """
    base = check_base(base)
    arr, total = as_distribution(p, "p")
    if arr.ndim != 1:
        raise DistributionError(f"p must be one distribution (1-D), got shape {arr.shape}.")
    arr = arr / total
    v = np.asarray(values)
    if v.shape != arr.shape:
        raise DistributionError(
            f"values must give one number per outcome of p: p has {arr.size} outcomes, values has shape {v.shape}.")
    if not np.issubdtype(v.dtype, np.number) or np.iscomplexobj(v):
        raise DistributionError(f"values must be real numbers, got dtype {v.dtype}.")
    v = v.astype(float)
    if not np.all(np.isfinite(v)):
        bad = int(np.flatnonzero(~np.isfinite(v))[0])
        raise DistributionError(f"values must be finite; entry {bad} is {v[bad]}.")
    if isinstance(mean, bool) or not isinstance(mean, (int, float, np.integer, np.floating)) or not math.isfinite(mean):
        raise DistributionError(f"mean must be a finite number, got {mean!r}.")
    mean = float(mean)
    support = arr > 0
    lo, hi = float(v[support].min()), float(v[support].max())
    if not lo < mean < hi:
        raise DistributionError(
            f"mean = {mean!r} is not strictly between the smallest ({lo:g}) and largest ({hi:g}) value that p "
            f"gives positive probability. "
            + ("No distribution on p's outcomes has a mean outside that range. " if not lo <= mean <= hi else
               "The only distribution on p's outcomes with a mean at an end of that range is a point mass, "
               "which has no exponential tilt. ")
            + f"Choose a mean inside ({lo:g}, {hi:g}).")
    ps, vs = arr[support], v[support]
    # The tilt of the values times 2**shift is the same distribution with lam times 2**-shift.
    # Values further apart than the largest float are halved (exact except in the last bit
    # of a subnormal), so that v - m and hi - lo do not overflow; values spread over less
    # than 2**-1000 are scaled up until the spread is about 1 (exact), so that 1 / spread
    # does not. Elsewhere they are used as given.
    with np.errstate(over="ignore"):
        spread = hi - lo
    shift = -1 if math.isinf(spread) else max(0, -math.frexp(spread)[1] - 999)
    if shift:
        vs, mean = np.ldexp(vs, shift), math.ldexp(mean, shift)
        spread = float(vs.max() - vs.min())
    centre = vs - mean                        # E_tilt[v - m] = 0 at the tilt's lam
    # v - m = mantissa * 2**exponent. The gap below sums p (v - m) e^{lam (v - m)} with every
    # term's size in its exponent, less the largest: weights too small for a float (a value far
    # beyond the mean) still count, and two nearly opposite terms cancel exactly.
    nonzero = centre != 0
    mantissa, exponent = np.frexp(centre)
    log_size = np.log(ps) + (exponent - exponent[nonzero].max()) * math.log(2)
    def weights(lam):
        with np.errstate(over="ignore"):      # lam (v - m) beyond the float range: weight 0 or all
            e = lam * centre
        top = e.max()
        w = ps * np.exp(e - top) if math.isfinite(top) else ps * (e == top)
        return w / w.sum()

    def gap(lam):
        """sum p (v - m) e^{lam (v - m)}, divided by a positive factor (so its sign): zero at
        the tilt's lam, negative below it and positive above."""
        with np.errstate(over="ignore"):
            t = np.where(nonzero, log_size + lam * centre, -math.inf)
        top = t.max()
        if top == math.inf:                   # one side's weight beyond every other: its sign
            return float(np.sign(centre[t == top]).sum())
        return float(mantissa @ np.exp(t - top))

    a, b = -1.0 / spread, 1.0 / spread
    while gap(a) > 0:
        a *= 2
    while gap(b) < 0:
        b *= 2
    # xtol: a few steps of the smallest float, so that a lam below 1e-300 (values near the
    # largest float) is found to its last digits rather than stopped at the first bracket.
    lam = optimize.brentq(gap, a, b, xtol=1e-323, rtol=4 * np.finfo(float).eps, maxiter=500)
    star = np.zeros_like(arr)
    star[support] = weights(lam)
    kl = kl_divergence(star, arr)
    with np.errstate(over="ignore"):
        lam_given = float(np.ldexp(lam, shift))
    if math.isinf(lam_given):
        raise DistributionError(
            f"The tilt parameter lam = {lam:g} * 2**{shift} is beyond the largest float: the values "
            f"P gives positive probability span only {hi - lo:g}. Multiply values and mean by a "
            f"large factor c (the tilt is the same distribution, with lam divided by c).")
    return Tilt(star, lam_given, float(in_units(kl, base)))
