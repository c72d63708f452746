"""Fitting one Gaussian to a Gaussian mixture by minimising forward or reverse KL.

With P a two-mode mixture and Q = N(mean, sd^2) a single Gaussian:

* minimising the **forward** KL D(P||Q) over Q is *mass-covering*: Q must
  put probability wherever P does, so it spreads over both modes (its
  optimum matches P's mean and variance);
* minimising the **reverse** KL D(Q||P) over Q is *mode-seeking*: Q is
  penalised for putting probability where P has little, so it settles on
  one mode once the modes are far apart.

KL is integrated from log-densities on a fine grid with the trapezoidal
rule (:func:`scipy.integrate.trapezoid`), and minimised with :func:`scipy.optimize.minimize` over
``(mean, log sd)`` from several starting points.
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np
from scipy.integrate import IntegrationWarning, quad, trapezoid
from scipy.optimize import minimize
from scipy.special import erf, logsumexp, ndtr

from ._numerics import expm1mx
from ._validation import DistributionError, _read_real, as_distribution, check_base, log_base
from .gaussian import gaussian_kl

__all__ = ["GaussianFit", "mixture_logpdf", "mixture_pdf", "mixture_gaussian_kl",
           "moment_match", "fit_gaussian"]

_DIRECTIONS = ("forward", "reverse")
_MAX_POINTS = 200_000   # grid cap, reached only for an sd far below the distances involved


class GaussianFit(NamedTuple):
    """Result of :func:`fit_gaussian`: the Gaussian Q = N(mean, sd^2) and its KL."""

    mean: float
    sd: float
    kl: float


def _mixture(weights, means, sds):
    """Checked mixture parameters as float arrays."""
    weights, total = as_distribution(weights, "weights")
    if weights.ndim != 1:
        raise DistributionError(f"weights must be a 1-D vector, got shape {weights.shape}.")
    means = _read_real(means, "means", "a component mean").astype(float)
    sds = _read_real(sds, "sds", "a component standard deviation").astype(float)
    if means.shape != weights.shape or sds.shape != weights.shape:
        raise ValueError(f"weights, means and sds must have one entry per component; got shapes "
                         f"{weights.shape}, {means.shape} and {sds.shape}.")
    if not np.all(np.isfinite(means)):
        raise ValueError(f"means must be finite numbers, got {means.tolist()}.")
    if not np.all(np.isfinite(sds) & (sds > 0)):
        raise ValueError(f"sds must be positive finite standard deviations, got {sds.tolist()}.")
    return weights / total, means, sds


def _gaussian(mean, sd):
    for name, value in (("mean", mean), ("sd", sd)):
        if _read_real(value, name, "a number").ndim:
            raise ValueError(f"{name} must be a single number (Q is one Gaussian), got shape "
                             f"{np.shape(value)}.")
    mean, sd = float(mean), float(sd)
    if not np.isfinite(mean):
        raise ValueError(f"mean must be a finite number, got {mean!r}.")
    if not (np.isfinite(sd) and sd > 0):
        raise ValueError(f"sd must be a positive finite standard deviation, got {sd!r}.")
    return mean, sd


_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)


def _standard(a, centre, scale):
    """``(a - centre) / scale`` without overflow in ``a - centre``: where that difference is
    beyond the largest double (values of both signs near 1.8e308), it is formed from halves,
    ``(a / 2 - centre / 2) / scale * 2`` (halving is exact but in the last bit of a subnormal).
    Only a quotient itself beyond the largest double is inf."""
    with np.errstate(over="ignore", invalid="ignore"):
        d = np.subtract(a, centre)
        z = d / scale
        wide = np.isinf(d)
        if np.any(wide):
            z = np.where(wide, (np.multiply(a, 0.5) - np.multiply(centre, 0.5)) / scale * 2, z)
    return z


def _normal_logpdf(x, mean, sd):
    z = _standard(x, mean, sd)
    # z**2 overflows from |z| = 1.34e154, z**2 / 2 only from 1.9e154: there (z sqrt(1/2))**2,
    # one rounding more; beyond, the log density is below the most negative double: -inf.
    with np.errstate(over="ignore"):
        half_square = np.where(np.abs(z) < 1e150, 0.5 * z ** 2, (z * math.sqrt(0.5)) ** 2)
        return -half_square - np.log(sd) - _LOG_SQRT_2PI


def _logpdf(x, weights, means, sds):
    x = np.asarray(x, dtype=float)
    return logsumexp(_normal_logpdf(x[..., None], means, sds), b=weights, axis=-1)


def mixture_logpdf(x, weights, means, sds):
    r"""Log-density of a one-dimensional Gaussian mixture, computed without underflow.

    .. math:: \log p(x) = \log \sum_k w_k \, \mathcal N(x; \mu_k, \sigma_k^2)

    Parameters
    ----------
    x : array_like
        Points at which to evaluate.
    weights : array_like
        Component weights; must sum to 1.
    means, sds : array_like
        Component means and standard deviations (same length as ``weights``).

    Returns
    -------
    ndarray
        Same shape as ``x``, in nats.

    Raises
    ------
    DistributionError
        If ``weights`` is not a distribution.
    ValueError
        If the parameters have different lengths, a mean is not finite or
        an sd is not positive.

    Examples
    --------
    >>> round(float(mixture_logpdf(0.0, [1.0], [0.0], [1.0])), 6)   # -log(sqrt(2 pi))
    -0.918939
    """
    return _logpdf(x, *_mixture(weights, means, sds))


def mixture_pdf(x, weights, means, sds):
    r"""Density of a one-dimensional Gaussian mixture.

    .. math:: p(x) = \sum_k w_k \, \mathcal N(x; \mu_k, \sigma_k^2)

    Parameters and errors as for :func:`mixture_logpdf`.

    Examples
    --------
    >>> round(float(mixture_pdf(0.0, [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])), 4)
    0.242
    """
    return np.exp(mixture_logpdf(x, weights, means, sds))


def _pieces(weights, means, sds, mean, sd, direction):
    """Intervals ``(lo, hi, step)`` that carry the KL integrand, and the step each needs.

    The integrand is the first density times a log ratio, so it lives where
    that density does: the components' windows mean +- 12 sds (merged where
    they overlap) for the forward KL, Q's window for the reverse one. The
    step is 1/16 of the narrowest sd that shapes the integrand there: the
    components inside a forward window; for the reverse KL, Q and (when
    there is more than one component) every component, whose crossings bend
    log p. One Gaussian's log-density is a quadratic, which needs no finer step.
    """
    if direction == "reverse":
        finest = min(sd, np.min(sds)) if sds.size > 1 else sd
        return [(mean - 12 * sd, mean + 12 * sd, finest / 16)]
    pieces = []
    for k in np.argsort(means - 12 * sds):
        lo, hi = means[k] - 12 * sds[k], means[k] + 12 * sds[k]
        if pieces and lo <= pieces[-1][1]:
            prev_lo, prev_hi, prev_step = pieces[-1]
            pieces[-1] = (prev_lo, max(prev_hi, hi), min(prev_step, sds[k] / 16))
        else:
            pieces.append((lo, hi, sds[k] / 16))
    return pieces


def _sharp_crossings(weights, means, sds, lo, hi, step):
    """Windows ``(a, b, width, crossings)`` around the points in (lo, hi) where two components
    that dominate the mixture cross and log p bends too sharply for the grid ``step``.

    Where components i and j cross, log p follows log(e^(a_i) + e^(a_j)) with
    a_k = log w_k - log sd_k - (x - mu_k)^2 / (2 sd_k^2): its slope changes by
    delta = |a_i' - a_j'| over about 1/delta (sd^2 / distance for far-apart
    modes), and its complex zeros lie pi/delta off the real axis, which costs
    the trapezoidal rule about e^(-2 pi^2 / (delta step)): a bend is sharp when
    delta step > 0.4 (e^-49). Each window reaches 40/delta plus 6 widths (the width of
    its smooth edges, 3 grid steps) beyond its crossings; overlapping windows
    are merged.
    """
    k = len(weights)
    if k < 2:
        return []
    ci = np.log(weights) - np.log(sds)
    # A lower bound on max_k a_k(x) anywhere: a_g(x) for the component g that dominates at the
    # nearest of 4097 points (any g gives a bound; the dominant one a close one). For many
    # components it discards most crossings without the O(K) maximum at each of the O(K^2).
    guide = None
    if k > 32:
        guide_x = np.linspace(lo, hi, 4097)
        guide = np.empty(guide_x.size, dtype=int)
        for start in range(0, guide_x.size, 256):
            xs = guide_x[start:start + 256, None]
            guide[start:start + 256] = np.argmax(ci - 0.5 * ((xs - means) / sds) ** 2, axis=1)
    found = []
    with np.errstate(all="ignore"):
        for pi_ in range(k - 1):
            pj = np.arange(pi_ + 1, k)
            # a_i - a_j = A x^2 + B x + C
            A = 0.5 / sds[pj] ** 2 - 0.5 / sds[pi_] ** 2
            B = means[pi_] / sds[pi_] ** 2 - means[pj] / sds[pj] ** 2
            C = ci[pi_] - ci[pj] - 0.5 * (means[pi_] / sds[pi_]) ** 2 + 0.5 * (means[pj] / sds[pj]) ** 2
            disc = B * B - 4 * A * C
            qq = -0.5 * (B + np.copysign(np.sqrt(np.where(disc >= 0, disc, np.nan)), B))   # the stable pair
            linear = A == 0
            r1 = np.where(linear, np.where(B != 0, -C / B, np.nan), qq / A)
            r2 = np.where(linear | (qq == 0), np.nan, C / qq)
            roots = np.concatenate([r1, r2])
            other = np.concatenate([pj, pj])
            ok = np.isfinite(roots) & (roots > lo) & (roots < hi)
            roots, other = roots[ok], other[ok]
            if roots.size == 0:
                continue
            if guide is not None:
                at = ci[pi_] - 0.5 * ((roots - means[pi_]) / sds[pi_]) ** 2
                g = guide[np.clip(np.rint((roots - lo) / (hi - lo) * 4096).astype(int), 0, 4096)]
                keep = at >= ci[g] - 0.5 * ((roots - means[g]) / sds[g]) ** 2 - 5.0
                roots, other = roots[keep], other[keep]
            for c, pj_ in zip(roots, other):
                a = ci - 0.5 * ((c - means) / sds) ** 2
                if a[pi_] < np.max(a) - 5.0:
                    continue     # another component dominates there: no bend of log p
                delta = abs((c - means[pi_]) / sds[pi_] ** 2 - (c - means[pj_]) / sds[pj_] ** 2)
                if delta * step > 0.4:
                    found.append((c, delta))
    width = 3 * step
    windows = []
    for c, delta in sorted(found):
        a, b = c - 40 / delta - 6 * width, c + 40 / delta + 6 * width
        if windows and a <= windows[-1][1] + 8 * width:
            pa, pb, _, pts = windows[-1]
            windows[-1] = (pa, max(pb, b), width, pts + [c])
        else:
            windows.append((a, b, width, [c]))
    return windows


def _kl(weights, means, sds, mean, sd, direction, unit=1.0, refine=True):
    """KL in nats between the mixture and N(mean, sd^2), by the trapezoidal rule.

    On a uniform grid the trapezoidal rule is exponentially accurate for
    smooth integrands that decay to 0 at both ends, as these do at the ends
    of each piece from :func:`_pieces`: with a step of 1/16 of the sd that
    shapes the integrand the error is below 1e-12 (checked against adaptive
    quadrature and closed forms in the tests). Where far-apart modes bend log p
    under Q more sharply than the grid resolves (reverse KL, see
    :func:`_sharp_crossings`), a smooth window takes each bend off the grid and
    it is integrated with :func:`scipy.integrate.quad` instead (``refine``;
    the fit's search leaves it out). Beyond ``_MAX_POINTS`` points the step
    grows, up to half that sd (the relative error for a Gaussian bump is
    then about 2 exp(-8 pi^2) = 1e-34); a still finer grid is refused.
    """
    keep = weights > 0   # components of weight 0 do not shape the integrand
    weights, means, sds = weights[keep], means[keep], sds[keep]
    pieces = _pieces(weights, means, sds, mean, sd, direction)
    needed = sum((hi - lo) / step for lo, hi, step in pieces)
    coarsen = max(1.0, needed / _MAX_POINTS)
    if coarsen > 8:
        raise ValueError(
            f"the standard deviations (mixture sds {(sds * unit).tolist()}, Q's sd {sd * unit!r}) differ too "
            f"much relative to the distances involved: the integration grid would need "
            f"{needed:.3g} points to resolve the narrowest one (the span integrated, "
            f"{sum(hi - lo for lo, hi, _ in pieces) * unit:.3g}, is set by the widest density and "
            f"the distances between the means, whatever the weights). Integrate adaptively "
            f"(scipy.integrate.quad with the means as points), or drop the narrow components if "
            f"their weight is negligible.")
    grids = []
    for lo, hi, step in pieces:
        n = int(np.ceil((hi - lo) / (step * coarsen))) + 1
        if not (hi - lo) / (n - 1) > 64 * np.spacing(max(abs(lo), abs(hi))):
            raise ValueError(
                f"a component or Q (sds {(sds * unit).tolist()}, Q's sd {sd * unit!r}) is "
                f"narrower, relative to the distances between the means, than doubles resolve "
                f"(1e-13 of them): its density cannot be sampled at its location. Drop "
                f"components of negligible weight, or fit each well-separated group apart.")
        x = np.linspace(lo, hi, n)
        log_p = _logpdf(x, weights, means, sds)
        log_q = _normal_logpdf(x, mean, sd)
        grids.append((x, log_p, log_q))
    # The integrand f (log f - log g) of D(F||G) (F the first density) is f expm1mx(log g - log f)
    # plus g - f, and the g - f part integrates to 0 when the second density is negligible at
    # every piece's end (e^-60 = 9e-27 of its peak), has all its mass on them, and is resolved by
    # the grid as well as the first (|log f - log g| <= 4 on it). Then f expm1mx(...) >= 0 is integrated instead: it
    # keeps every digit when P and Q are nearly equal, where f (log f - log g) cancels to noise.
    ratios = [_log_ratio(x, weights, means, sds, mean, sd, lp, lq) for x, lp, lq in grids]
    second = [lq if direction == "forward" else lp for _, lp, lq in grids]
    peak = max(float(np.max(g)) for g in second)
    inside = (all(g[0] < peak - 60.0 and g[-1] < peak - 60.0 for g in second)
              and all(float(np.max(np.abs(r))) <= 4.0 for r in ratios)
              # and no mode of the second density lies beyond the pieces
              and abs(sum(float(trapezoid(np.exp(g), x)) for (x, _, _), g in zip(grids, second)) - 1) < 1e-9)
    def integrand(x, log_p, log_q, ratio):          # ratio = log p - log q
        if direction == "forward":
            return np.exp(log_p) * expm1mx(-ratio) if inside else np.exp(log_p) * ratio
        return np.exp(log_q) * expm1mx(ratio) if inside else np.exp(log_q) * -ratio

    total, error, flagged = 0.0, 0.0, ""
    for (x, log_p, log_q), ratio in zip(grids, ratios):
        values = integrand(x, log_p, log_q, ratio)
        windows = _sharp_crossings(weights, means, sds, x[0], x[-1], x[1] - x[0]) \
            if refine and direction == "reverse" else []
        if windows:
            # Each sharp bend of log p gets a smooth window psi (1 around it, 0 a few grid steps
            # beyond): (1 - psi) f, with the bend suppressed by e^-36, stays on the grid; psi f
            # is integrated adaptively, split at the crossings.
            def psi(z):
                return sum(0.5 * (erf((z - a) / width) - erf((z - b) / width))
                           for a, b, width, _ in windows)
            total += float(trapezoid((1.0 - psi(x)) * values, x))

            log_heights = np.log(weights) - np.log(sds) - _LOG_SQRT_2PI

            def local(z):     # the integrand at one point (scipy's logsumexp costs 0.3 ms a call)
                a = log_heights - 0.5 * ((z - means) / sds) ** 2
                top = float(np.max(a))
                lp = top + math.log(float(np.sum(np.exp(a - top))))
                lq = -0.5 * ((z - mean) / sd) ** 2 - math.log(sd) - _LOG_SQRT_2PI
                r = float(_log_ratio(np.array([z]), weights, means, sds, mean, sd,
                                     np.array([lp]), np.array([lq]))[0]) if inside else lp - lq
                weight = sum(0.5 * (math.erf((z - a_) / w_) - math.erf((z - b_) / w_))
                             for a_, b_, w_, _ in windows)
                return weight * float(integrand(z, lp, lq, r))
            for a, b, width, points in windows:
                lo, hi = max(a - 8 * width, x[0]), min(b + 8 * width, x[-1])
                # One quad between each pair of crossings: a single quad over 150 crossings of far
                # components (K = 150 modes 0.05 wide over [-50, 50]) ran out of its 400
                # subdivisions, or stalled on round-off, at epsrel 1e-13 (scipy warned).
                edges = [lo, *sorted(c for c in points if lo < c < hi), hi]
                for left, right in zip(edges[:-1], edges[1:]):
                    value, err, flag = _quad_piece(local, left, right)
                    total += value
                    error += err
                    flagged = flagged or flag
        else:
            total += float(trapezoid(values, x))
    if inside:
        # The dropped part, the integral of (second - first) over the pieces, is the first
        # density's mass outside them minus the second's: a far component of P of weight w
        # beyond Q's window makes D(Q||P) about w, all of it here. Normal tails (ndtr), exact.
        first_weights = (np.ones(1), np.array([mean]), np.array([sd]))
        mix = (weights, means, sds)
        first, second_ = (first_weights, mix) if direction == "reverse" else (mix, first_weights)
        total += _mass_outside(pieces, *second_) - _mass_outside(pieces, *first)
    if flagged and not error <= 1e-10 * abs(total):
        # (quad's warnings are caught: where its error estimate is negligible they say nothing)
        raise FloatingPointError(
            f"the reverse KL could not be integrated to 1e-10 relative: where {len(weights)} "
            f"components of sds down to {float(np.min(sds)) * unit:.3g} cross under Q (sd "
            f"{sd * unit:.3g}), scipy.integrate.quad reports: {flagged.strip().splitlines()[0]} "
            f"(error estimate {error:.2g} on {total:.6g} nats). Merge or drop components of "
            f"negligible weight, or fit well-separated groups of components apart.")
    return max(total, 0.0)


def _quad_piece(f, a, b):
    """quad of ``f`` over [a, b] at relative tolerance 1e-13, with scipy's IntegrationWarning
    caught: ``(value, error estimate, quad's message or "")`` for the caller to judge."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IntegrationWarning)
        value, err, info, *message = quad(f, a, b, epsabs=0.0, epsrel=1e-13, limit=200, full_output=1)
    return value, err, message[0] if message else ""


def _mass_outside(pieces, weights, means, sds):
    """Mass of the mixture sum_k w_k N(means_k, sds_k^2) outside the sorted, disjoint pieces.

    Each tail or gap is a difference of normal CDFs taken on the side of the
    component where both terms are tails, so that a mass of 1e-300 keeps its digits.
    """
    lows = np.array([lo for lo, _, _ in pieces])
    highs = np.array([hi for _, hi, _ in pieces])
    total = 0.0
    for w, mu, s in zip(weights, means, sds):
        out = ndtr((lows[0] - mu) / s) + ndtr((mu - highs[-1]) / s)
        for a, b in zip(highs[:-1], lows[1:]):       # the gap (a, b) between two pieces
            if 0.5 * (a + b) <= mu:
                out += ndtr((b - mu) / s) - ndtr((a - mu) / s)
            else:
                out += ndtr((mu - a) / s) - ndtr((mu - b) / s)
        total += float(w * out)
    return total


def _log_ratio(x, weights, means, sds, mean, sd, log_p, log_q):
    """log p(x) - log q(x), keeping its digits where the mixture is close to N(mean, sd^2).

    log p - log q = log sum_k w_k e^(c_k), c_k = log N(x; mu_k, sd_k) - log N(x; mean, sd),
    and each c_k is formed from the differences mu_k - mean and sd_k - sd:
    c_k = (mu_k - mean)(2x - mean - mu_k) / (2 sd^2)
          + (x - mu_k)^2 (sd_k - sd)(sd_k + sd) / (2 sd^2 sd_k^2) - log(sd_k / sd).
    Where every c_k < 700 and the sum s = sum_k w_k expm1(c_k) > -1/2, it is log1p(s) (exact to
    rounding relative to the terms, which a far component of tiny weight keeps); elsewhere
    log p - log q.
    """
    xk = x[:, None]
    # log(sd_k / sd): log1p of the difference when they are close, else a difference of logs
    # (log1p(-0.99999999) keeps only 8 digits of log(1e-8))
    log_sd_ratio = np.where(np.abs(sds - sd) < 0.5 * sd, np.log1p((sds - sd) / sd),
                            np.log(sds) - np.log(sd))
    c = ((means - mean) * (2 * xk - mean - means) / (2 * sd * sd)
         + (xk - means) ** 2 * ((sds - sd) * (sds + sd)) / (2 * sd * sd * sds * sds)
         - log_sd_ratio)
    below = np.all(c < 700, axis=1)   # (e^c finite)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        total = np.sum(weights * np.expm1(np.where(below[:, None], c, 0.0)), axis=1)
        close = np.log1p(total)
    # (total > -1/2: 1 + total keeps its digits; a far component of tiny weight eps, c_k << 0,
    # adds -eps exactly, where log p - log q would round L = -eps to 1e-16 absolute)
    return np.where(below & (total > -0.5), close, log_p - log_q)


def _direction(direction):
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be 'forward' (D(P||Q), P the mixture) or 'reverse' "
                         f"(D(Q||P)), got {direction!r}.")
    return direction


def mixture_gaussian_kl(weights, means, sds, mean, sd, *, direction="forward", base=None):
    r"""KL divergence between a Gaussian mixture P and one Gaussian Q = N(mean, sd^2).

    .. math:: \text{forward: } D(P\|Q) = \int p(x) \log \frac{p(x)}{q(x)}\,dx,
              \qquad \text{reverse: } D(Q\|P) = \int q(x) \log \frac{q(x)}{p(x)}\,dx

    P, the mixture, is the reference in both names: "forward" puts it first.
    Integrated with the trapezoidal rule where the first density lives (its
    components' or Q's mean +- 12 sds; the mass outside is below 1e-30), on a
    grid of step sd/16 for the narrowest sd involved, with the sharp bends of
    log p where far-apart components cross under Q (reverse KL) integrated
    adaptively (:func:`scipy.integrate.quad`); accurate to about 1e-12
    relative;
    a far component of tiny weight keeps it (L is formed from the components'
    ratios to Q: weights 1 - 1e-15 and 1e-15 at means 0 and 8 against N(0, 1)
    give D = 1.82397e-15 to 2e-15 relative), down to weights near 1e-305,
    below which its density times its weight is subnormal and loses digits
    (2e-4 relative at a weight of 1e-320).
    When P and Q are nearly equal the integrand is :math:`f\,(e^{-L} - 1 + L)
    \ge 0` (f the first density, L its log ratio to the other), formed from the
    differences of the parameters, so a single component against Q keeps
    1e-10 relative error down to D = 1e-18 and below; a mixture of
    nearly coincident components loses digits in the sum over components
    inside L: measured for two unit components at -d and d against their
    moment match, 1e-10 at d = 1e-2 (D = 8e-18), 1e-7 at d = 1e-3 (D = 8e-26),
    2e-5 at d = 1e-4 (D = 1e-33). A single component with Q more than
    1.8e308 of its standard deviations away (N(0, 1e-300^2) against
    N(1e10, 1e10^2)) gets the closed form, :func:`klteach.gaussian_kl`.

    Parameters
    ----------
    weights : array_like
        Mixture weights; must sum to 1.
    means, sds : array_like
        Mixture component means and standard deviations.
    mean, sd : float
        The Gaussian Q.
    direction : {"forward", "reverse"}
        Which KL: D(P||Q) or D(Q||P).
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.

    Returns
    -------
    float

    Raises
    ------
    DistributionError
        If ``weights`` is not a distribution or ``base`` is invalid.
    ValueError
        If a parameter is out of range or ``direction`` is unknown, or if the
        sds are so different that the grid would need too many points.
    FloatingPointError
        If the sharp bends of log p integrated adaptively (reverse KL) do not
        reach 1e-10 relative by quad's error estimate, where quad warns (its
        IntegrationWarning is caught, never passed on).

    See Also
    --------
    fit_gaussian : The normal that minimises it, in either direction.
    klteach.continuous_kl : D(P||Q) by quadrature for scipy.stats distributions.

    Examples
    --------
    >>> # one component: the Gaussian closed form, N(0,1) || N(1, 2^2) = 0.4431 nats
    >>> round(mixture_gaussian_kl([1.0], [0.0], [1.0], 1.0, 2.0), 4)
    0.4431
    """
    base = check_base(base)
    direction = _direction(direction)
    weights, means, sds = _mixture(weights, means, sds)
    mean, sd = _gaussian(mean, sd)
    return _kl_standardised(weights, means, sds, mean, sd, direction) / log_base(base)


def _moments(weights, means, sds):
    """The mixture's mean and sd, formed from differences to its first component's mean and
    scaled before squaring: exact to rounding at any location (1e12 +- 1) and any scale (1e+-300).
    Components of weight 0 are left out (they would set the scale and let the others underflow)."""
    keep = weights > 0
    weights, means, sds = weights[keep], means[keep], sds[keep]
    anchor = float(means[0])
    with np.errstate(over="ignore"):
        d = means - anchor
    if np.all(np.isfinite(d)):
        scale = float(max(np.max(np.abs(d)), np.max(sds)))
        z = d / scale
    else:   # means of both signs near the largest double: halve first
        scale = float(max(np.max(np.abs(means)), np.max(sds)))
        anchor, z = 0.0, means / scale
    dm = float(weights @ z)
    mean = anchor + dm * scale
    # sum_k w_k ((sd_k / scale)^2 + (z_k - dm)^2) as the square of a norm, each entry divided by
    # the largest before squaring: a component of weight 1e-320 or an sd 1e-200 of the scale
    # neither underflows to 0 nor keeps only a subnormal's few digits.
    roots = np.sqrt(weights)
    v = np.concatenate([roots * (sds / scale), roots * np.abs(z - dm)])
    top = float(np.max(v))
    spread = top * np.sqrt(np.sum((v / top) ** 2))
    with np.errstate(over="ignore"):
        sd = float(spread * scale)
    if not (np.isfinite(mean) and np.isfinite(sd)):
        raise ValueError(f"the mixture's mean and sd ({mean!r}, {sd!r}) are not finite doubles: "
                         f"its components span more than the largest double (1.8e308). Rescale "
                         f"means and sds by a common factor (KL is unchanged).")
    return float(mean), sd


def _standardise(weights, means, sds, mean=None, sd=None):
    """(centre, scale) and the mixture (and Q) in the units z = (x - centre) / scale, where
    the mixture has mean 0 and sd 1. KL is unchanged by x -> (x - c) / s, and the grids and the
    search then work where doubles are dense whatever P's location and units."""
    centre, scale = _moments(weights, means, sds)
    out = [_standard(means, centre, scale), sds / scale]
    if mean is not None:
        out += [_standard(mean, centre, scale), sd / scale]
    return centre, scale, out


def _kl_standardised(weights, means, sds, mean, sd, direction):
    """:func:`_kl` in the units of the first density (the mixture's mean and sd for the forward
    KL, Q's for the reverse one), where its grid is resolved at any location and scale; every
    difference is scaled before it is squared, so nothing overflows on the way. A KL beyond the
    largest double is refused, not returned as inf (it is finite)."""
    centre, scale = _moments(weights, means, sds) if direction == "forward" else (mean, sd)
    with np.errstate(all="ignore"):
        z = [_standard(means, centre, scale), sds / scale, _standard(mean, centre, scale), sd / scale]
        ok = all(np.all(np.isfinite(v)) for v in z) and np.all(z[1] > 0) and z[3] > 0
        value = _kl(weights, *z, direction, unit=scale) if ok else math.inf
    single = np.count_nonzero(weights > 0) == 1
    if not ok and single:
        # One component and a Q beyond the doubles in its units (N(0, 1e-300^2) against
        # N(1e10, 1e10^2), D = 713.8): the Gaussian closed form, inf only beyond the doubles.
        k = int(np.argmax(weights))
        pair = (means[k], sds[k], mean, sd) if direction == "forward" else (mean, sd, means[k], sds[k])
        value = float(gaussian_kl(*pair))
    if not math.isfinite(value):
        raise ValueError(
            f"D is larger than the largest double (1.8e308) for this mixture (means "
            f"{means.tolist()}, sds {sds.tolist()}) and Q = N({mean!r}, {sd!r}^2): Q and the "
            f"mixture are too many standard deviations apart to express it. Compare "
            f"distributions whose means and sds are within about 1e150 of each other's scale."
            if ok or single else
            f"Q = N({mean!r}, {sd!r}^2) and the mixture (means {means.tolist()}, sds "
            f"{sds.tolist()}) are more than 1.8e308 standard deviations of the "
            f"{'mixture' if direction == 'forward' else 'Gaussian Q'} apart, so no integration "
            f"grid holds both; D may still be finite (a far wider second density). Compare "
            f"distributions whose means and sds are within about 1e150 of each other's scale.")
    return value


def moment_match(weights, means, sds, *, base=None):
    r"""The forward-KL fit in closed form: the Gaussian with the mixture's mean and variance.

    .. math:: \arg\min_{\mu, \sigma} D(P\|N(\mu, \sigma^2)) :\quad
              \mu = \sum_k w_k \mu_k, \qquad
              \sigma^2 = \sum_k w_k \left(\sigma_k^2 + (\mu_k - \mu)^2\right)

    Minimising D(P||Q) over Gaussians Q is maximising E_P[log q], and for a
    Gaussian q that expectation depends on P only through its mean and
    variance; it is largest when Q has exactly those (*moment matching*).
    :func:`fit_gaussian` with ``direction="forward"`` finds the same Q by a
    numerical search.

    Parameters
    ----------
    weights : array_like
        Mixture weights; must sum to 1.
    means, sds : array_like
        Mixture component means and standard deviations.
    base : float, optional
        Units of the returned KL: None for nats (default), 2 for bits.

    Returns
    -------
    GaussianFit
        ``mean``, ``sd`` and the forward KL D(P||Q) at that Q
        (from :func:`mixture_gaussian_kl`).

    Raises
    ------
    DistributionError, ValueError
        As for :func:`mixture_gaussian_kl`.

    Examples
    --------
    >>> fit = moment_match([0.6, 0.4], [-3.0, 3.0], [1.0, 1.0])
    >>> round(fit.mean, 4), round(fit.sd, 4), round(fit.kl, 4)   # sd = sqrt(1 + 8.64)
    (-0.6, 3.1048, 0.4637)
    """
    base = check_base(base)
    weights, means, sds = _mixture(weights, means, sds)
    mean, sd = _moments(weights, means, sds)
    return GaussianFit(mean, sd, _kl_standardised(weights, means, sds, mean, sd, "forward")
                       / log_base(base))


def fit_gaussian(weights, means, sds, *, direction="forward", base=None):
    r"""The Gaussian Q = N(mean, sd^2) closest to a mixture P in forward or reverse KL.

    .. math:: \text{forward: } \min_Q D(P\|Q) \text{ (mass-covering)}, \qquad
              \text{reverse: } \min_Q D(Q\|P) \text{ (mode-seeking)}

    Minimises :func:`mixture_gaussian_kl` over ``(mean, log sd)`` with
    Nelder-Mead, started from P's overall mean and sd and from each
    component; returns the best result. (The forward optimum is known in
    closed form, P's mean and sd; it is computed here the same way as the
    reverse one, so that both directions are treated alike.)

    Parameters
    ----------
    weights : array_like
        Mixture weights; must sum to 1.
    means, sds : array_like
        Mixture component means and standard deviations.
    direction : {"forward", "reverse"}
        Which KL to minimise.
    base : float, optional
        Units of the returned KL: None for nats (default), 2 for bits.

    Returns
    -------
    GaussianFit
        ``mean``, ``sd`` of the fitted Gaussian and the minimised ``kl``.

    Raises
    ------
    DistributionError, ValueError
        As for :func:`mixture_gaussian_kl`.

    Examples
    --------
    >>> fit = fit_gaussian([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0], direction="forward")
    >>> round(fit.mean, 3) + 0.0, round(fit.sd, 3)   # mean 0, sd sqrt(1 + 9)
    (0.0, 3.162)
    >>> fit = fit_gaussian([0.6, 0.4], [-3.0, 3.0], [1.0, 1.0], direction="reverse")
    >>> round(fit.mean, 2), round(fit.sd, 2)   # on the heavier mode, N(-3, 1)
    (-2.99, 1.02)
    """
    base = check_base(base)
    direction = _direction(direction)
    weights, abs_means, abs_sds = _mixture(weights, means, sds)
    # The search runs in the mixture's standard units (mean 0, sd 1), where its tolerances mean
    # the same at any location and scale; the optimum is mapped back at the end.
    centre, scale, (means, sds) = _standardise(weights, abs_means, abs_sds)
    overall_mean, overall_sd = 0.0, 1.0
    starts = [(overall_mean, overall_sd)] + list(zip(means, sds))

    def objective(theta):
        try:
            # (the grid alone: the search needs no adaptive integration of sharp bends)
            return _kl(weights, means, sds, theta[0], np.exp(theta[1]), direction, refine=False)
        except ValueError:   # a Q too wide for the grid to resolve the mixture: not a minimum
            return np.inf

    best = None
    for m0, s0 in starts:
        if not np.isfinite(objective([m0, np.log(s0)])):
            continue
        res = minimize(objective, [m0, np.log(s0)], method="Nelder-Mead",
                       options={"xatol": 1e-8, "fatol": 1e-13, "maxiter": 2000})
        if best is None or res.fun < best.fun:
            best = res
    if best is None:   # no start could be evaluated: say why
        _kl(weights, means, sds, overall_mean, overall_sd, direction)
    kl = _kl(weights, means, sds, best.x[0], np.exp(best.x[1]), direction)
    return GaussianFit(float(centre + scale * best.x[0]), float(scale * np.exp(best.x[1])),
                       float(kl) / log_base(base))
