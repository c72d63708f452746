"""Estimating D(P||Q) from samples: Monte Carlo, k-nearest neighbours, histograms.

* :func:`mc_kl`: samples from P and both log densities at those samples
  (Schulman's k1, k2, k3 estimators, with a standard error).
* :func:`knn_kl`: samples from P and from Q only, no densities (Wang,
  Kulkarni and Verdú, 2009).
* :func:`histogram_kl`: the plug-in estimate from binned 1-D samples, for
  comparison; biased, and sensitive to the bins.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import scipy.spatial

from ._numerics import expm1mx
from ._validation import DistributionError, _unmasked, as_finite, check_base, log_base
from .discrete import kl_divergence

__all__ = ["MCEstimate", "mc_kl", "knn_kl", "histogram_kl"]

_LN2 = math.log(2)


class MCEstimate(NamedTuple):
    """A Monte Carlo estimate of D(P||Q) and its standard error (same units)."""

    estimate: float
    stderr: float


def _log_densities(values, name, *, zero_density_ok=False):
    """Check a 1-D array of log densities; ``-inf`` (zero density) only if allowed."""
    if isinstance(values, np.ma.MaskedArray):
        values = _unmasked(values, name)   # np.asarray would read the hidden values
    try:
        arr = None if isinstance(values, (str, bytes)) else np.asarray(values)
    except ValueError:
        arr = None   # ragged input: as_finite says what is wrong
    if zero_density_ok and arr is not None and arr.dtype.kind == "f":
        as_finite(np.where(arr == -np.inf, 0.0, arr), name, what="a log density, or -inf")
    else:
        arr = as_finite(values, name, what="a log density at a sample")
    if arr.ndim != 1:
        raise DistributionError(
            f"{name} must be a 1-D array (one log density per sample), got shape {arr.shape}."
        )
    return arr.astype(np.float64, copy=False)


def mc_kl(logp, logq, *, estimator="k3", base=None):
    r"""Monte Carlo estimate of D(P||Q) from log densities at samples x ~ P.

    With :math:`r = q(x)/p(x)` at samples :math:`x_1, \dots, x_n \sim P`,
    the estimate is the sample mean of one of Schulman's (2020) estimators:

    * ``"k1"``: :math:`-\log r`, unbiased, high variance, often negative;
    * ``"k2"``: :math:`\tfrac12(\log r)^2`, biased, low variance; its
      expectation agrees with D(P||Q) to second order in the gap between P
      and Q (the bias is third order, about :math:`-E_P[(\log r)^3]/6`);
    * ``"k3"``: :math:`(r - 1) - \log r`, unbiased, never negative, usually
      lower variance than k1 when Q is close to P (computed with ``expm1``,
      so it is never negative from rounding either). Its variance is
      infinite when :math:`E_P[r^2] = \int q^2/p = \infty`; for normals
      exactly when :math:`\sigma_q^2 \ge 2\sigma_p^2` (e.g. P = N(0, 1),
      Q = N(1, 2²)): prefer k1 there. A somewhat wider Q, such as
      N(0.5, 1.2²), still has finite variance.

    Parameters
    ----------
    logp, logq : array_like, shape (n,)
        Natural-log densities log p(x_i) and log q(x_i) at the same samples
        x_i drawn from P (not from Q). ``logq`` may be ``-inf``.
    estimator : {"k1", "k2", "k3"}
        Which per-sample estimator to average.
    base : float, optional
        Logarithm base of the result: None for nats (default), 2 for bits.

    Returns
    -------
    MCEstimate
        ``(estimate, stderr)``: the mean and its standard error
        (sample standard deviation / sqrt(n)). For k2 the standard error
        covers the spread only, not the bias. ``(inf, inf)`` if some
        ``logq`` is ``-inf`` (Q rules out a sample of P: D(P||Q) is infinite).
        The terms are scaled by the largest before they are summed or
        squared, so either number is ``inf`` only where its exact value
        exceeds the largest float (about 1.8e308).

    Raises
    ------
    DistributionError
        A ``ValueError``: fewer than 2 samples, shapes differ, a ``logp`` is
        not finite, a NaN or ``+inf`` in ``logq``, or an unknown estimator.

    See Also
    --------
    klteach.per_token_kl : The same estimators for a language model's tokens.
    knn_kl : An estimate from samples of both distributions, without densities.

    References
    ----------
    .. [1] J. Schulman, "Approximating KL divergence", 2020,
           http://joschu.net/blog/kl-approx.html.

    Examples
    --------
    >>> from scipy import stats
    >>> p, q = stats.norm(1, 2), stats.norm(0, 1)
    >>> x = p.rvs(size=100_000, random_state=0)                # x ~ P
    >>> est = mc_kl(p.logpdf(x), q.logpdf(x))
    >>> abs(est.estimate - 1.3069) < 4 * est.stderr            # true D(P||Q) = 1.3069 nats
    True
    """
    base = check_base(base)
    if estimator not in ("k1", "k2", "k3"):
        raise DistributionError(f"estimator must be 'k1', 'k2' or 'k3', got {estimator!r}.")
    logp = _log_densities(logp, "logp")
    logq = _log_densities(logq, "logq", zero_density_ok=True)
    if logp.shape != logq.shape:
        raise DistributionError(
            f"logp has {logp.shape[0]} values but logq has {logq.shape[0]}; both must be "
            f"evaluated at the same samples x ~ P."
        )
    n = logp.shape[0]
    if n < 2:
        raise DistributionError(f"mc_kl needs at least 2 samples for a standard error, got {n}.")
    if np.any(logq == -np.inf):
        return MCEstimate(math.inf, math.inf)
    estimate, stderr = _mean_and_stderr(*_scaled_terms(logp, logq, estimator))
    scale = log_base(base)
    return MCEstimate(estimate / scale, stderr / scale)


def _scaled_terms(logp, logq, estimator):
    """The per-sample terms as ``(t, k, c)``: the terms are ``t * 2**k * exp(c)`` with
    ``max |t|`` at most 1, so that neither their sum nor their squares overflow where
    the mean and standard error themselves are finite floats."""
    with np.errstate(over="ignore", invalid="ignore"):
        big = max(float(np.max(np.abs(logp))), float(np.max(np.abs(logq))))
        # log p - log q in units of a power of 2 (exact), where it could overflow
        e = int(np.frexp(big)[1]) if big > 2.0**1000 else 0
        log_ratio = np.ldexp(logp, -e) - np.ldexp(logq, -e)      # log(p/q) / 2**e
        if estimator == "k1":
            t, f = _unit_scaled(log_ratio)
            return t, f + e, 0.0
        if estimator == "k2":
            t, f = _unit_scaled(log_ratio)
            return 0.5 * t * t, 2 * (f + e), 0.0
        neg = -np.ldexp(log_ratio, e)                          # log r, possibly inf
        top = float(np.max(neg))
        if top <= 700:
            t, f = _unit_scaled(expm1mx(neg))
            return t, f, 0.0
        # exp(log r) overflows somewhere: terms relative to exp(top), each at most 1
        small = neg <= 700
        t = np.where(small, expm1mx(np.where(small, neg, 0.0)) * np.exp(-top),
                     np.exp(neg - top) - (1 + neg) * np.exp(-top))
        return np.maximum(t, 0.0), 0, top


def _unit_scaled(x):
    """``(x / 2**f, f)`` with the largest ``|x / 2**f|`` in [0.5, 1) (exact; f = 0 for all zeros)."""
    top = float(np.max(np.abs(x)))
    if not top or not math.isfinite(top):
        return x, 0
    f = int(np.frexp(top)[1])
    return np.ldexp(x, -f), f


def _mean_and_stderr(t, k, c):
    """Mean and standard error of the terms ``t * 2**k * exp(c)``: ``inf`` only where
    the true value exceeds the largest float."""
    n = t.shape[0]
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        mean_t = float(np.mean(t))
        sd_t = float(np.std(t, ddof=1)) / math.sqrt(n)
        if not (math.isfinite(mean_t) and math.isfinite(sd_t)):
            return math.inf, math.inf
    return _rescaled(mean_t, k, c), _rescaled(sd_t, k, c)


# ln 2 split so that j * _LN2_HI is exact for |j| < 2**20 (fdlibm's constants)
_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10


def _rescaled(x, k, c):
    """``x * 2**k * exp(c)`` rounded a few times, not overflowing before the result does:
    exp(c) as ``2**j exp(c - j ln 2)``, the reduced argument formed with ln 2 in two parts."""
    if x == 0:
        return 0.0
    j = round(c / _LN2)
    if abs(j) >= 2**20:                  # exp(c) itself is far beyond the float range
        return math.copysign(math.inf if j > 0 else 0.0, x)
    rest = (c - j * _LN2_HI) - j * _LN2_LO
    mant, e = math.frexp(x * math.exp(rest))
    try:
        return math.ldexp(mant, e + k + j)
    except OverflowError:
        return math.copysign(math.inf, x)


def _samples(x, name):
    arr = as_finite(x, name, what="a coordinate of a sample")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise DistributionError(
            f"{name} must be an array of samples with shape (n,) or (n, d), got shape {arr.shape}."
        )
    return arr


def knn_kl(x, y, *, k=1, base=None):
    r"""k-nearest-neighbour estimate of D(P||Q) from samples x ~ P and y ~ Q.

    The estimator of Wang, Kulkarni and Verdú (2009), which needs no
    densities and no bins:

    .. math::

        \hat D(P\|Q) = \frac{d}{n}\sum_{i=1}^{n}\log\frac{\nu_k(i)}{\rho_k(i)}
                       + \log\frac{m}{n-1}

    where :math:`\rho_k(i)` is the Euclidean distance from :math:`x_i` to its
    k-th nearest neighbour among the other x's, and :math:`\nu_k(i)` to its
    k-th nearest neighbour among the y's. Consistent as n, m grow; biased at
    small n. Distances come from :class:`scipy.spatial.cKDTree`, in units
    where the largest coordinate is below 1; a distance whose square would
    be too small to trust there (data spread over more than about 150
    orders of magnitude, such as one far outlier) is recomputed from the
    coordinates, with nothing squared that could underflow, so no digits
    are lost and no false ties appear.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Samples from P, the reference; 1-D arrays are n points on a line.
    y : array_like, shape (m,) or (m, d)
        Samples from Q, the model, with the same dimension d.
    k : int
        Which neighbour to use (k >= 1); larger k lowers the variance and
        raises the bias.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.

    Returns
    -------
    float
        The estimate. It can be negative at small n, although D(P||Q) >= 0.

    Raises
    ------
    DistributionError
        A ``ValueError``: non-finite samples, different dimensions, k not a
        positive integer, fewer than k + 1 samples of P or k samples of Q, or
        **duplicate points**. The estimator assumes continuous distributions,
        where ties have probability 0: a repeated x (or an x equal to a y)
        gives a zero distance and an infinite log. Rounded or discrete data
        must be treated as such: jitter it by less than its resolution
        (dequantisation), or bin it and use :func:`klteach.kl_divergence`.

    See Also
    --------
    histogram_kl : The plug-in estimate from binned samples, for one dimension.
    mc_kl : The estimate when both log densities can be evaluated.

    References
    ----------
    .. [1] Q. Wang, S. R. Kulkarni and S. Verdú, "Divergence estimation for
           multidimensional densities via k-nearest-neighbor distances", *IEEE
           Transactions on Information Theory* 55(5), 2392-2405, 2009.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(0, 1, size=20_000)     # P = N(0, 1)
    >>> y = rng.normal(1, 2, size=20_000)     # Q = N(1, 2**2), D(P||Q) = 0.4431 nats
    >>> abs(knn_kl(x, y, k=5) - 0.4431) < 0.05
    True
    """
    base = check_base(base)
    x = _samples(x, "x")
    y = _samples(y, "y")
    n, d = x.shape
    m = y.shape[0]
    if y.shape[1] != d:
        raise DistributionError(
            f"x has dimension {d} but y has dimension {y.shape[1]} (shapes {x.shape} and "
            f"{y.shape}); samples of P and Q must live in the same space."
        )
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise DistributionError(f"k must be a positive integer (1, 2, ...), got {k!r}.")
    k = int(k)
    if n < k + 1 or m < k:
        raise DistributionError(
            f"with k = {k} the estimator needs at least {k + 1} samples of P and {k} of Q, "
            f"got n = {n} and m = {m}."
        )
    # In units of a power of 2 near the largest coordinate (exact), so that squared
    # distances do not overflow (NaN); k + 1 neighbours within x: the nearest is the point itself.
    exponent = int(np.frexp(max(np.max(np.abs(x)), np.max(np.abs(y))))[1])
    xs, ys = np.ldexp(x, -exponent), np.ldexp(y, -exponent)
    with np.errstate(under="ignore"):
        rho = scipy.spatial.cKDTree(xs).query(xs, k=[k + 1])[0][:, 0]
        nu = scipy.spatial.cKDTree(ys).query(xs, k=[k])[0][:, 0]
    log_rho = _log_distances(rho, (x, xs), (x, xs), k + 1, exponent)
    log_nu = _log_distances(nu, (x, xs), (y, ys), k, exponent)
    for dist, where in ((log_rho, "another sample of x"), (log_nu, "a sample of y")):
        ties = np.flatnonzero(dist == -np.inf)
        if ties.size:
            raise DistributionError(
                f"{ties.size} sample(s) of x coincide with {where} (first: x[{ties[0]}]), with k = {k}; "
                f"the k-NN estimator assumes continuous data without ties. Add noise smaller "
                f"than the data's resolution, or bin the data and use klteach.kl_divergence."
            )
    estimate = d * np.mean(log_nu - log_rho) + math.log(m / (n - 1))
    return float(estimate) / log_base(base)

# Below this distance (in units where every coordinate is below 1) a squared distance may
# be subnormal: it loses digits, or underflows to 0 and makes a false tie.
_SQUARED_SAFE = 2.0**-500


def _log_distances(dist, queries, points, kth, exponent):
    """``log`` of the k-th neighbour distances ``dist`` (from the tree, in units of
    ``2**exponent``), each recomputed exactly where its square was too small to trust.
    ``queries`` and ``points`` are pairs (coordinates, the same in units of ``2**exponent``).

    There (data spread over more than ~150 orders of magnitude, e.g. one far outlier),
    the tree is asked again with the maximum norm, which squares nothing: the ``kth``
    Euclidean neighbour lies within ``sqrt(d)`` times the ``kth`` max-norm distance, and
    the distances to the points in that box are formed as ``m * |diff / m|``,
    ``m = max |diff|``. ``-inf`` marks a true tie. ``kth`` counts the query itself when
    ``points`` is ``queries``.
    """
    with np.errstate(divide="ignore"):
        out = np.log(dist)
    redo = np.flatnonzero(dist < _SQUARED_SAFE)
    if not redo.size:
        return out
    same = points is queries
    (queries, scaled_queries), (points, scaled_points) = queries, points
    d = points.shape[1]
    # the box search in the scaled units (no overflow); subnormal coordinates there are
    # off by at most 2**-1075, hence the absolute margin
    tree = scipy.spatial.cKDTree(scaled_points)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        box = tree.query(scaled_queries[redo], k=[kth], p=np.inf)[0][:, 0]
        for i, r in zip(redo, box):
            radius = r * math.sqrt(d) * (1 + 8 * d * 2.0**-52) + 2.0**-1060
            near = tree.query_ball_point(scaled_queries[i], radius, p=np.inf)
            if same:
                near = [j for j in near if j != i]
            diff = points[near] - queries[i]
            top = np.max(np.abs(diff), axis=1)
            scaled = diff / np.where(top > 0, top, 1.0)[:, None]
            exact = np.sort(top * np.sqrt(np.sum(scaled * scaled, axis=1)))[kth - 1 - same]
            if exact == 0:
                out[i] = -np.inf
            else:
                mant, e = math.frexp(exact)
                out[i] = math.log(mant) + (e - exponent) * _LN2
    return out


def histogram_kl(x, y, *, bins=10, base=None):
    r"""Plug-in estimate of D(P||Q) from 1-D samples binned on shared edges.

    .. math:: \hat D = \sum_j \hat p_j \log\frac{\hat p_j}{\hat q_j},
              \qquad \hat p_j = \frac{\#\{x_i \in B_j\}}{n},\;
              \hat q_j = \frac{\#\{y_i \in B_j\}}{m}

    With an integer ``bins`` the equal-width bins ``B_j`` span the range of
    both samples, which widens as n grows, so the estimate keeps drifting
    down instead of settling; pass fixed edges (e.g. with ``-inf`` and
    ``inf`` at the ends) to estimate one binned KL. That binned KL is
    smaller than D(P||Q) (data processing inequality); the estimate adds a
    finite-sample bias of about (K - 1)/(2n) for K bins, and is ``inf``
    when a bin holds samples of P but none of Q. No smoothing is applied.

    Parameters
    ----------
    x : array_like, shape (n,)
        Samples from P, the reference.
    y : array_like, shape (m,)
        Samples from Q, the model.
    bins : int or array_like
        Number of equal-width bins, or the bin edges (as for
        :func:`numpy.histogram`).
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.

    Returns
    -------
    float

    Raises
    ------
    DistributionError
        A ``ValueError``: samples that are not 1-D finite numbers, bins
        that :func:`numpy.histogram` rejects, or NaN bin edges.

    See Also
    --------
    knn_kl : An estimate without bins, in any dimension.
    klteach.kl_divergence : D(P||Q) of the binned frequencies.

    Examples
    --------
    >>> # two bins: P = (1/2, 1/2), Q = (1/4, 3/4)
    >>> round(histogram_kl([0.1, 0.2, 0.8, 0.9], [0.1, 0.6, 0.7, 0.9], bins=2, base=2), 4)
    0.2075
    """
    base = check_base(base)
    x = as_finite(x, "x", what="a sample")
    y = as_finite(y, "y", what="a sample")
    if x.ndim != 1 or y.ndim != 1:
        raise DistributionError(
            f"histogram_kl takes 1-D samples, got shapes {x.shape} and {y.shape}; for "
            f"samples in several dimensions use knn_kl."
        )
    both = np.concatenate([x, y])
    lo, hi = float(np.min(both)), float(np.max(both))
    try:
        if (isinstance(bins, (int, np.integer)) and not isinstance(bins, bool) and bins >= 1
                and math.isinf(hi - lo)):
            # the range of the samples overflows a float (numpy refuses it): equal widths
            # from its half, exact ends
            edges = 2 * np.linspace(0.5 * lo, 0.5 * hi, int(bins) + 1)
            edges[0], edges[-1] = lo, hi
        else:
            edges = np.histogram_bin_edges(both, bins=bins)
    except (ValueError, TypeError) as exc:
        raise DistributionError(f"bins={bins!r} was rejected: {exc}") from None
    if np.isnan(edges).any():
        raise DistributionError(f"bins={bins!r} has NaN edges; bin edges must be numbers "
                                f"(-inf and inf are allowed as the outermost edges).")
    p = np.histogram(x, bins=edges)[0] / x.size
    q = np.histogram(y, bins=edges)[0] / y.size
    if p.sum() == 0:
        raise DistributionError("no sample of x falls inside the given bin edges.")
    if q.sum() < 1 - 1e-12 or p.sum() < 1 - 1e-12:
        raise DistributionError(
            "some samples fall outside the given bin edges; the edges must cover both samples."
        )
    return kl_divergence(p, q, base=base)
