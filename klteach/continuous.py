"""KL divergence between continuous distributions by numerical integration.

For distributions with no closed form, D(P||Q) is an integral over P's
support, computed here with :func:`scipy.integrate.quad` from the log
densities of two frozen :mod:`scipy.stats` distributions.
"""

from __future__ import annotations

import bisect
import contextvars
import decimal
import math
import sys
import warnings
from fractions import Fraction
from numbers import Real

import numpy as np
import scipy.integrate

from ._numerics import _fix_nan, _gap_terms, expm1mx
from ._validation import DistributionError, check_base, log_base, unit_name

__all__ = ["continuous_kl"]

# Quantiles of P and Q used as breakpoints, so quad sees where the mass is
# wherever the distributions are located and however narrow they are.
# Lower-tail probabilities: ppf gives the left points, isf the right ones.
_TAILS = np.array([1e-9, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5])
_Q_TAILS = np.concatenate([_TAILS, [1e-12, 1e-15]])   # Q's far tail ends at a point too (see _breakpoints)
_RTOL = 1e-10
_LOG_TINY = math.log(math.ulp(0.0))   # log of the smallest positive double, about -744.4
_LOG_NORMAL = math.log(sys.float_info.min)   # log of the smallest normal double, about -708.4
_LOG_MAX = math.log(sys.float_info.max)      # log of the largest double, about 709.8
_MASS_TOL = 1e-10   # largest miss of P's or Q's probability accepted by the mass check (quad's epsrel)
_FAR_TAIL = 1e-290   # Q's tail probability below which a density of 0 is taken as underflow


def _check_frozen(dist, name):
    import scipy.stats  # here, not at the top: it would double `import klteach`'s time

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
    """Sorted finite points strictly inside (lo, hi): quantiles of P and Q (Q's also at 1e-12 and
    1e-15, so that its tail ends at a point where the integration steps far from P are wide:
    N(1000, 1) against P = N(0, 1) lost its 1e-9 tail between two steps), and the bin edges of an
    ``rv_histogram``, where its density jumps (steps across them missed P's probability by
    1.6e-10, and the call was refused). Where a narrow Q lies
    far from P these points are themselves rounded to about 1e-16 of their distance from P's
    median; such a Q is integrated around its own median (:func:`_q_window`)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points = np.concatenate([p.ppf(_TAILS), p.isf(_TAILS), q.ppf(_Q_TAILS), q.isf(_Q_TAILS)]
                                + [bins[1] for bins in map(_histogram_bins, (p, q)) if bins is not None])
    points = points[np.isfinite(points) & (points > lo) & (points < hi)]
    return np.unique(points)


# --- moving an endpoint to 0 ---------------------------------------------------------
#
# Near a finite endpoint e a density may be singular, e.g. x**(a - 1) for a
# gamma or beta shape a < 1, with most of its mass within 1e-100 of e. Floats
# resolve such distances only next to 0 (down to 1e-308), never next to 1
# (1e-16). KL is unchanged by x -> x - c and by x -> c - x, so each finite
# endpoint is moved to 0 before integrating near it: by a shift of loc (any
# scipy distribution) or, for an upper endpoint, by a mirror image (the
# families below, whose reflection is a scipy family again).

_STANDARD_UNIT_INTERVAL = {   # family on [0, 1]: shapes of the distribution of 1 - Z
    "beta": lambda a, b: (b, a),
    "uniform": lambda: (),
    "arcsine": lambda: (),
    "triang": lambda c: (1 - c,),
    "trapezoid": lambda c, d: (1 - d, 1 - c),
}
_STANDARD_UPPER_ZERO = {"weibull_max": "weibull_min"}   # support (-inf, 0]: -Z is the other family
_SYMMETRIC = {"norm", "t", "cauchy", "laplace", "logistic", "hypsecant", "gennorm", "dweibull",
              "dgamma", "cosine", "semicircular", "anglit"}   # -Z has the same distribution as Z


def _parts(dist):
    """(family, shapes, loc, scale) of a frozen distribution, or None if they cannot be read."""
    try:
        shapes, loc, scale = dist.dist._parse_args(*dist.args, **dist.kwds)
        return dist.dist, tuple(float(s) for s in shapes), float(loc), float(scale)
    except Exception:   # a custom distribution with its own conventions
        return None


def _shifted(p, q, c):
    """The distributions of X - c for X ~ P and X ~ Q (None if either cannot be rebuilt)."""
    parts = [_parts(d) for d in (p, q)]
    if None in parts:
        return None
    try:
        return tuple(family(*shapes, loc=loc - c, scale=scale)
                     for family, shapes, loc, scale in parts)
    except Exception:
        return None


def _scaled(p, q, k):
    """The distributions of X * 2**k for X ~ P and X ~ Q, or None if either cannot be rebuilt
    or a location or scale would not scale exactly (overflow, or a subnormal result)."""
    parts = [_parts(d) for d in (p, q)]
    if None in parts:
        return None
    out = []
    for family, shapes, loc, scale in parts:
        try:
            new_loc, new_scale = math.ldexp(loc, k), math.ldexp(scale, k)
        except OverflowError:   # (gamma(5, scale=1e10) scaled with a P of scale 1e-300)
            return None
        if math.ldexp(new_loc, -k) != loc or math.ldexp(new_scale, -k) != scale \
                or not 0 < new_scale < math.inf:
            return None
        try:
            out.append(family(*shapes, loc=new_loc, scale=new_scale))
        except Exception:
            return None
    return tuple(out)


def _mirrored(p, q):
    """The distributions of h - X for X ~ P and X ~ Q, with h P's upper endpoint,
    both as scipy families (None when one is not a family with a known mirror image).
    P's image starts at exactly 0, so distances from h to P's mass stay exact."""
    import scipy.stats

    parts = [_parts(d) for d in (p, q)]
    if None in parts:
        return None
    names = [str(getattr(family, "name", "")) for family, *_ in parts]
    for (family, *_), name in zip(parts, names):
        known = getattr(scipy.stats, name, None)
        if name not in _STANDARD_UNIT_INTERVAL and name not in _STANDARD_UPPER_ZERO \
                and name not in _SYMMETRIC or type(family) is not type(known):
            return None   # (a subclass may have changed the density)
    _, _, loc_p, scale_p = parts[0]
    if names[0] in _STANDARD_UNIT_INTERVAL:
        top = (loc_p, scale_p)      # h = loc_p + scale_p
    elif names[0] in _STANDARD_UPPER_ZERO:
        top = (loc_p, 0.0)          # h = loc_p
    else:
        return None                 # P's support has no finite upper end to mirror
    out = []
    for (family, shapes, loc, scale), name in zip(parts, names):
        # h - (loc + scale Z), with h - loc formed as (loc_p - loc) + scale_p (exactly 0 for P)
        try:
            if name in _STANDARD_UNIT_INTERVAL:       # = (h - loc - scale) + scale (1 - Z)
                new = _STANDARD_UNIT_INTERVAL[name](*shapes)
                out.append(family(*new, loc=(top[0] - loc) + (top[1] - scale), scale=scale))
            elif name in _STANDARD_UPPER_ZERO:        # = (h - loc) + scale (-Z)
                other = getattr(scipy.stats, _STANDARD_UPPER_ZERO[name])
                out.append(other(*shapes, loc=(top[0] - loc) + top[1], scale=scale))
            else:                                     # symmetric: -Z ~ Z
                out.append(family(*shapes, loc=(top[0] - loc) + top[1], scale=scale))
        except Exception:
            return None
    return tuple(out)


# --- the integrand and its integrals -------------------------------------------------

_FLOOR = sys.float_info.min     # 2.2e-308: smallest distance from an endpoint at 0 used
_T_MAX = 1e300                  # farthest distance into an infinite tail
_S_SPACING = 100.0              # breakpoints every 100 e-folds in logarithmic coordinates
_END_STEP = 5.0                 # e-folds between the two points that judge an open end
_INNER_STEPS = 40               # breakpoints beyond the innermost quantile next to an endpoint


def _scipy_family(name):
    import scipy.stats

    return getattr(scipy.stats, name, None)


#: families whose log density _logpdf forms from log(x - loc) - log(scale) where x / scale would
#: underflow: such a Q may be scaled up beyond a scale of 1 (gamma(0.9, scale=1e290) against a P
#: brought from scale 1e-290 to 1)
_LOG_DENSITY_IN_LOGS = ("gamma", "erlang", "chi2")


def _logpdf(dist, x):
    """``dist.logpdf(x)`` as a float; exact far in the tails where scipy computes it as log(pdf).

    scipy's Laplace, hyperbolic secant, folded normal, Moyal and Levy (left and right) log densities are the log
    of a pdf that underflows to 0 (beyond |x - loc| of about 745 scales, 38.6 beyond c for a
    folded normal, 7.3 to the left and 1490 to the right for a Moyal; for Levy within 1e-3 scales
    of loc, and NaN within 1e-300), giving -inf
    for a positive density; their closed forms are used instead, as for the log-normal, whose
    ``x / scale`` overflows beyond 1.8e308.
    """
    name = getattr(dist.dist, "name", "")
    if name in ("levy", "levy_l") and type(dist.dist) is type(_scipy_family(name)):
        # computed by scipy as log(pdf): -inf, then NaN (inf * 0) within 1e-300 of loc (levy_l: its
        # mirror image, whose log(pdf) also loses digits below -1e200)
        loc, scale = (float(np.asarray(v)) for v in dist.dist._parse_args(*dist.args, **dist.kwds)[-2:])
        z = (x - loc) / scale if name == "levy" else (loc - x) / scale
        if not z > 0:
            return -math.inf
        return -0.5 * math.log(2 * math.pi) - 1.5 * math.log(z) - 0.5 / z - math.log(scale)
    if name == "lognorm" and type(dist.dist) is type(_scipy_family("lognorm")):
        # scipy forms x / scale first, which overflows (x = 1e200 against scale = 1e-200) or
        # underflows long before the log density does. log(y / scale) where the ratio is a
        # finite normal double (exact to a rounding; log(y) - log(scale) cancels two terms of
        # 44 for scale 1e19, which a shape of 1e-5 turns into 1e-7 of D), log(y) - log(scale)
        # only where it overflows or underflows.
        _, (shape,), loc, scale = _parts(dist)
        with np.errstate(all="ignore"):
            y = np.asarray(x, dtype=float) - loc
            positive = np.where(y > 0, y, 1.0)
            log_y = np.log(positive)
            ratio = positive / scale
            log_ratio = np.where(np.isfinite(ratio) & (ratio >= sys.float_info.min),
                                 np.log(np.where(ratio > 0, ratio, 1.0)), log_y - math.log(scale))
            out = np.where(y > 0, -math.log(shape * math.sqrt(2 * math.pi)) - log_y
                           - 0.5 * (log_ratio / shape) ** 2, -math.inf)
        return float(out) if out.ndim == 0 else out
    if name in _LOG_DENSITY_IN_LOGS and type(dist.dist) is type(_scipy_family(name)) \
            and np.ndim(x) == 0:
        # scipy forms x / scale first, which underflows to 0 for x below 1e-308 scales (gamma(0.5,
        # scale=1e300) below x = 1e-8, where a gamma(0.3) P has 0.4% of its mass): its log density
        # is then +inf or -inf. There (a subnormal or zero ratio), from log(x - loc) - log(scale).
        # erlang(a) is gamma(a); chi2(k, scale=s) is gamma(k / 2, scale=2 s).
        _, (shape,), loc, scale = _parts(dist)
        log_scale = math.log(scale)
        if name == "chi2":
            shape, log_scale = shape / 2, log_scale + math.log(2)
        y = float(x) - loc
        if y > 0 and math.log(y) - log_scale < _LOG_NORMAL + 1:
            log_ratio = math.log(y) - log_scale
            return (shape - 1) * log_ratio - math.exp(log_ratio) - math.lgamma(shape) - log_scale
    if name in ("foldnorm", "moyal") and type(dist.dist) is type(_scipy_family(name)) and np.ndim(x) == 0:
        # also log(pdf) in scipy: -inf beyond 38.6 scales past c (foldnorm), 7.3 to the left (moyal)
        _, shapes, loc, scale = _parts(dist)
        z = (float(x) - loc) / scale
        if name == "moyal":                    # e^-(z + e^-z) / 2 / sqrt(2 pi), e^-z / 2 formed in logs
            half = -z - math.log(2)
            return -math.inf if half > _LOG_MAX else \
                -0.5 * z - math.exp(half) - 0.5 * math.log(2 * math.pi) - math.log(scale)
        if not z >= 0:                         # phi(z - c) + phi(z + c) for z >= 0
            return -math.inf
        c = abs(shapes[0])
        return -0.5 * (z - c) * (z - c) + math.log1p(math.exp(-2 * c * z)) \
            - 0.5 * math.log(2 * math.pi) - math.log(scale)
    if name in ("laplace", "hypsecant") and type(dist.dist) is type(_scipy_family(name)):
        loc, scale = dist.dist._parse_args(*dist.args, **dist.kwds)[-2:]
        loc, scale = float(np.asarray(loc)), float(np.asarray(scale))
        z = abs((x - loc) / scale)
        if name == "laplace":                  # e^-|z| / 2
            return -z - math.log(2) - math.log(scale)    # log(2 scale) overflows above 9e307
        # 1 / (pi cosh z), log cosh z = |z| + log1p(e^-2|z|) - log 2
        return -math.log(math.pi) - math.log(scale) - (z + math.log1p(math.exp(-2 * z)) - math.log(2))
    return float(dist.logpdf(x))


#: families whose scipy logpdf is log(pdf) but whose log density :func:`_logpdf` forms in closed form
_OWN_LOG_DENSITY = ("levy", "levy_l", "laplace", "hypsecant", "foldnorm", "moyal")


def _log_of_pdf(dist):
    """Whether ``dist.logpdf`` is scipy's generic ``log(pdf)`` (the family defines no ``_logpdf``
    of its own, as ``rice`` does), which is -inf wherever the pdf underflows below 1e-308 although
    the log density is a finite number below -708; False for the families whose log density
    klteach forms in closed form (``_OWN_LOG_DENSITY``).

    >>> from scipy import stats
    >>> _log_of_pdf(stats.rice(3)), _log_of_pdf(stats.norm()), _log_of_pdf(stats.laplace())
    (True, False, False)
    """
    import scipy.stats

    if _is_family(dist) in _OWN_LOG_DENSITY:
        return False
    owner = next((c for c in type(dist.dist).__mro__ if "_logpdf" in vars(c)), None)
    return owner is scipy.stats.rv_continuous


def _log_of_pdf_cause(q):
    """The cause a refusal names where ``q.logpdf`` is -inf and is scipy's ``log(pdf)``."""
    return (f"Q's scipy logpdf is log(pdf) (scipy.stats.{q.dist.name} defines no log density of "
            f"its own), and scipy's pdf is 0 there: a density below 1e-308 underflows to 0 (by 5e-324 "
            f"at the latest) though its log is a finite number below about -708, and scipy's formula "
            f"for some families also returns 0 where the density is larger (jf_skew_t, levy_stable). "
            f"Where scipy's support is wider than the family's (tukeylambda in scipy 1.10), the "
            f"density may truly be 0 and D(P||Q) infinite")


_LOG_OF_PDF_ADVICE = ("Compute with a Q whose log density is computed in logs (a scipy family with "
                      "its own logpdf), or give the closed form of D(P||Q) = E_P[log p - log q], "
                      "e.g. integrated in mpmath.")


def _refuse_log_of_pdf(q, integrands):
    """Refuse, naming the cause, where ``q.logpdf`` is scipy's log(pdf) (:func:`_log_of_pdf`) and
    was -inf where P has probability above 1e-15: the refusal that would follow (a tail that cannot
    be judged, Q's log density -inf inside its support) blames tails or overflow, while the pdf
    only underflowed (gamma(400, scale=0.1) against rice(3) beyond x = 41)."""
    if not _log_of_pdf(q):
        return
    for g in integrands:
        mass, _ = g.underflow_mass()
        if mass > 1e-15:
            xs, middle = np.asarray(g.underflows), float(g.q.median())
            left, right = xs[xs <= middle], xs[xs > middle]
            where = " and ".join(([f"below x = {left.max():.6g}"] if left.size else [])
                                 + ([f"beyond x = {right.min():.6g}"] if right.size else []))
            raise FloatingPointError(
                f"continuous_kl cannot compute D(P||Q) reliably: q.logpdf is -inf inside Q's "
                f"support {where} (measured from P's endpoint or median), where P has probability "
                f"{mass:.2g}, and Q's tail probabilities there are 0 as well. "
                f"{_log_of_pdf_cause(q)}, so the integrand there cannot be evaluated. "
                f"{_LOG_OF_PDF_ADVICE}")


def _refuse_overflow(q, g, total):
    """Refuse where Q's log density overflowed to -inf with p log(1/q) still large beyond
    (:meth:`_Integrand.underflow_growth`), naming scipy's log(pdf) where that is the cause."""
    log_rest, edge = g.underflow_growth()
    if log_rest > math.log(max(1e-7 * total, 1e-15)):
        amount = ("an amount that cannot be bounded (p log(1/q) grows towards it)"
                  if log_rest == math.inf else f"about e^{log_rest:.4g} nats")
        if _log_of_pdf(q):
            # -inf from the pdf underflowing, not from a log density below -1.8e308
            # (pareto(2.5, scale=2) against kstwobign beyond x = 17.3, true log q about -600)
            raise FloatingPointError(
                f"continuous_kl cannot compute D(P||Q) reliably: q.logpdf is -inf beyond "
                f"x = {edge:.10g} (measured from P's endpoint or median) while P's density is "
                f"positive there, and the part of D(P||Q) beyond, p log(1/q), is {amount}. "
                f"{_log_of_pdf_cause(q)}. {_LOG_OF_PDF_ADVICE}")
        raise FloatingPointError(
            f"continuous_kl cannot compute D(P||Q) reliably: q.logpdf overflows to -inf "
            f"beyond x = {edge:.10g} (measured from P's endpoint or median, away from Q's median; "
            f"Q's log density falls below the most negative double, "
            f"-1.8e308: a left Gumbel's falls like -e^x, a normal's like -x^2 / (2 sd^2)) "
            f"while P's density is positive there, and the part of D(P||Q) beyond, "
            f"p log(1/q), is {amount}. D(P||Q) may still be finite, even below 1.8e308 "
            f"(N(0, 1) against N(0, 1e-154^2): 5e307), or infinite. Compute D(P||Q) in "
            f"closed form (klteach.gaussian_kl for two normals), or give Q as a "
            f"distribution whose logpdf stays finite where P has mass.")


class _Integrand:
    """x -> p (L - 1) + q with L = log p - log q, from log densities; records underflows."""

    def __init__(self, p, q, mode="kl", offsets=(0.0, 0.0)):
        # mode "p" or "q": P's or Q's density instead, where the integrand counts it, to check
        # that the integration saw all of P's and Q's mass (a narrow spike can hide between nodes)
        self.p, self.q, self.underflows, self.mode = p, q, [], mode
        self.p_lo, self.p_hi = (float(e) for e in p.support())
        self.unevaluated = []   # points inside P's support where P's log density is NaN (scipy's formula failed)
        self.gap = False        # True once Q's density was found to be truly 0 where P's is not
        self.hole = None        # [a, b]: left out here, integrated around Q's median instead (_q_window)
        self.window = None      # (c, (p_c, q_c), va, vb) of that window, from _q_window
        self.offsets = offsets  # subtracted from scipy's log densities of P and Q (_logpdf_offset)

    def __call__(self, x, log_scale=0.0):
        """The integrand at x, times e^log_scale (formed in logs, so that p * L
        counts where p underflows but p * L * e^log_scale does not)."""
        if self.hole is not None and self.hole[0] <= x <= self.hole[1]:
            return 0.0
        lp, lq = self.log_densities(x)
        if math.isnan(lp):
            # P's log density cannot be evaluated here (not even from its probabilities): counted as 0,
            # and refused by the caller if P has mass beyond this point
            self.unevaluated.append(x)
            return 0.0
        if lp == -math.inf and self.p_lo < x < self.p_hi and self.mode != "p" and lq < math.inf:
            # P's density 0 (or underflowed beyond its tail probabilities: norm.logpdf beyond
            # 1.34e154, where x**2 overflows) inside its support: the integrand is q alone there.
            return math.exp(lq + log_scale) if lq > -math.inf else 0.0
        if not math.isfinite(lp) or lq == math.inf:
            # Outside P's support, or a node rounded onto a density's
            # integrable singularity at an endpoint: a single point adds 0.
            return 0.0
        if self.mode != "kl":
            log_density = lp if self.mode == "p" else lq
            return math.exp(log_density + log_scale) if math.isfinite(log_density) else 0.0
        if lq == -math.inf:
            lq = self._log_density_from_probability(self.q, x)
            if lq == math.inf:
                self.gap = True
                return math.inf   # a gap inside Q's support: Q's density is truly 0 here
            if lq == -math.inf:
                # Far in Q's tail scipy took log(pdf) and the pdf underflowed
                # (Laplace does). Use the smallest positive density, a lower
                # bound on the integrand; the caller is warned if P has mass there.
                self.underflows.append(x)
                lq = _LOG_TINY
        log_ratio = lp - lq
        if abs(log_ratio) <= 1:
            return math.exp(lp + log_scale) * float(expm1mx(-log_ratio))
        if log_ratio > 1:
            return math.exp(lp + log_scale + math.log(log_ratio - 1)) + math.exp(lq + log_scale)
        return math.exp(lp + log_scale) * (log_ratio - 1) + math.exp(lq + log_scale)

    def log_densities(self, x):
        """(log p(x), log q(x)) from scipy; where P's log density is -inf strictly
        inside P's support (scipy computes Pareto's as log(pdf), and the pdf
        underflows beyond 1e102 for shape 2), from P's probabilities instead."""
        lp, lq = _logpdf(self.p, x) - self.offsets[0], _logpdf(self.q, x) - self.offsets[1]
        # NaN: scipy's formula failed (gamma's xlogy(a - 1, x / s) - x / s is inf - inf once x / s
        # overflows). It means "cannot evaluate", never "divergent": Q's is treated like an underflowed
        # log density (tail probabilities, else the smallest double and a check of P's mass beyond);
        # P's is taken from its probabilities, and left NaN (reported) if they fail too.
        if math.isnan(lq):
            lq = -math.inf
        p_nan = math.isnan(lp)
        if p_nan:
            lp = -math.inf
        if (lp == -math.inf or _LOG_TINY <= lp < _LOG_NORMAL) and self.p_lo < x < self.p_hi:
            # -inf, or what may be the log of a subnormal pdf (few correct digits)
            fallback = self._log_density_from_probability(self.p, x, min_mass=1e-300)
            if math.isfinite(fallback):
                lp = fallback
            elif lp == -math.inf and fallback == math.inf:
                pass   # a gap in P's support: P's density is truly 0 there
            elif p_nan:
                lp = math.nan
        return lp, lq

    def _log_density_from_probability(self, q, x, min_mass=0.0):
        """log q(x) where scipy's log density gave -inf inside Q's support
        (used for P as well, with P as ``q``).

        scipy's formulas overflow (x**2 beyond 1e154, for a Cauchy) or
        underflow (log(pdf), for a Laplace) far in the tails. Q's probability
        of [x - h, x + h], h = 1e-6 |x|, from the tail function on the side of
        x, divided by 2h, estimates the density (to about 1e-12 relative).
        ``min_mass`` > 0 rejects probabilities so small (subnormal tail
        probabilities) that their difference has few correct digits.
        Returns ``inf`` if that probability is 0 although both tails beyond x
        hold more than 1e-290 (a gap, where Q's density is truly 0), and
        ``-inf`` if it cannot be told.
        """
        h = 1e-6 * abs(x) if x != 0 else 1e-300
        upper = x > float(q.median())
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if upper:
                mass = float(q.sf(x - h)) - float(q.sf(x + h))
            else:
                mass = float(q.cdf(x + h)) - float(q.cdf(x - h))
            if mass > min_mass and math.isfinite(mass):
                return math.log(mass) - math.log(2 * h)
            below, beyond = float(q.cdf(x)), float(q.sf(x))
            tail = min(below, beyond)
            # a tail that is only 1 minus the other, rounded, proves no gap: scipy 1.10's rice.sf(45)
            # is 1 - cdf = 1.8e-15 where the true tail is about e^-1000 (D was returned as inf)
            residue = tail < 1e-12 and tail == 1.0 - max(below, beyond)
            if mass == 0 and tail > _FAR_TAIL and not residue:
                return math.inf
        return -math.inf

    def underflow_mass(self, points=None):
        """P's probability beyond the innermost points where Q's log density underflowed
        (or of ``points``, on each side of Q's median)."""
        points = self.underflows if points is None else points
        if not points:
            return 0.0, None
        xs, middle = np.asarray(points), float(self.q.median())
        left, right = xs[xs <= middle], xs[xs > middle]
        with np.errstate(all="ignore"), warnings.catch_warnings():   # (scipy's own, e.g. log1p(-1) in fisk.sf)
            warnings.simplefilter("ignore")
            mass = (float(self.p.cdf(left.max())) if left.size else 0.0) + \
                (float(self.p.sf(right.min())) if right.size else 0.0)
        return mass, points[0]

    def _q_overflowed(self, x):
        """True where Q's log density is -inf even from its tail probabilities (see __call__)."""
        lq = _logpdf(self.q, x)
        if math.isnan(lq) or lq == -math.inf:
            lq = self._log_density_from_probability(self.q, x)
        return not math.isfinite(lq)

    def underflow_growth(self):
        """Where Q's log density overflowed: the log of what p (-log q) still adds beyond.

        Past its innermost underflow on each side of Q's median, the integrand
        counts -log q as 744 (the smallest double), a lower bound that can be far
        off: -log q can grow like e^x (a left Gumbel), faster than P's density
        falls. The last point x_f where log q is finite is found by bisection,
        and h = log p + log(-log q) is judged there from its slope: growing
        towards the underflow, the part beyond cannot be bounded (returns
        ``(inf, x_f)``); falling with slope -r, it is about e^h / r. Returns the
        largest ``(log of that amount, x_f)`` over both sides, or ``(-inf, None)``.
        """
        if self.mode != "kl" or not self.underflows:
            return -math.inf, None
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")     # scipy's overflow in the log density probed
            return self._underflow_growth()

    def _underflow_growth(self):
        xs, middle = np.asarray(self.underflows), float(self.q.median())
        worst = (-math.inf, None)
        for side in (xs[xs <= middle], xs[xs > middle]):
            if not side.size:
                continue
            inner = float(side.max() if side[0] <= middle else side.min())
            good, bad = middle, inner
            if self._q_overflowed(good):
                continue
            for _ in range(200):
                mid = _float_midpoint(good, bad)
                if mid in (good, bad):
                    break
                good, bad = (good, mid) if self._q_overflowed(mid) else (mid, bad)
            # (a step of 1e-3 of the distance to the median or to 0, whichever is smaller: h can
            # be -3e239, whose change over a shorter step would be lost to rounding)
            near = [d for d in (abs(good - middle), abs(good)) if d > 0]
            step = 1e-3 * min(near) if near else 1e-300
            inward = good - math.copysign(step, good - middle)

            def h(x):
                lp = self.log_densities(x)[0]
                lq = _logpdf(self.q, x)
                if not math.isfinite(lq):
                    lq = self._log_density_from_probability(self.q, x)
                return lp + math.log(-lq) if math.isfinite(lq) and lq < 0 and math.isfinite(lp) \
                    else -math.inf
            h_edge, h_in = h(good), h(inward)
            if h_edge == -math.inf:
                continue
            slope = (h_edge - h_in) / abs(good - inward) if math.isfinite(h_in) else math.inf
            amount = math.inf if not slope < 0 else h_edge - math.log(-slope)
            # Where -log q grows like a power of x (x**2 / 2 overflowing for a normal), the
            # open end's extrapolation from the last finite log q already counts what lies
            # beyond; only a faster growth (log-log slope above 10: e^(x/s) for a left Gumbel)
            # is left for the caller to refuse.
            lq_edge, lq_in = (-(self.log_densities(x)[1]) for x in (good, inward))
            if slope < 0 and good != 0 and inward != 0 and lq_edge > 0 and lq_in > 0 and \
                    math.isfinite(lq_edge) and math.isfinite(lq_in) and \
                    (math.log(lq_edge) - math.log(lq_in)) <= \
                    10 * abs(math.log(abs(good)) - math.log(abs(inward))):
                amount = -math.inf
            if amount > worst[0]:
                worst = (amount, good)
        return worst


def _float_midpoint(a, b):
    """A point between a and b halving the doubles between them when both have one sign
    (so that 60 halvings reach adjacent doubles across 1e-300 to 1e300), else (a + b) / 2."""
    if a * b > 0:
        ia, ib = (int(np.float64(abs(v)).view(np.int64)) for v in (a, b))
        return math.copysign(float(np.int64((ia + ib) // 2).view(np.float64)), a)
    return 0.5 * (a + b)


#: quad's absolute tolerance: 1e-15, lowered for a second pass when D(P||Q) itself is that small
_EPSABS = contextvars.ContextVar("_EPSABS", default=1e-15)


def _quad(f, a, b, points=None):
    """quad over a finite [a, b] or [a, inf): (value, error estimate, quad's message)."""
    kwargs = dict(epsabs=_EPSABS.get(), epsrel=_RTOL, limit=200, full_output=1)
    if points is not None and len(points):
        # one point where two sources round it differently (Q's quantiles read in two coordinate
        # systems, 1e-18 apart): quad stops at such a sliver as "extremely bad integrand
        # behavior", leaving the rest unrefined (cauchy(0, 1) against cauchy(7, 1e-5): an error
        # estimate of 6.6e-5 on a value exact to 1e-15)
        points = np.sort(np.asarray(points, dtype=float))
        keep = np.concatenate([[True], np.diff(points) > np.maximum(
            1e-12 * np.maximum(np.abs(points[1:]), np.abs(points[:-1])), 1e-15 * (b - a) if b < math.inf else 0.0)])
        points = points[keep]
        kwargs.update(points=points, limit=max(200, 8 * len(points)))
    value, err, _, *message = scipy.integrate.quad(f, a, b, **kwargs)
    return value, err, message[0] if message else ""


def _in_logs(f, origin, sign):
    """g(s) = t f(origin + sign t) at t = e^s: the integral of f in s = log(distance)."""
    def g(s):
        return f(origin + sign * math.exp(s), s)
    return g


def _open_end(g, s_end, inward, strict=False, known=None):
    """How much of the integral of ``g`` (>= 0) lies beyond ``s_end``, judged from its decay.

    ``inward`` is the direction (+1 or -1) from the open end back into the
    range integrated. ``g`` decays like e^(-r |s|) there for most densities
    scipy offers (power laws and exponentials in the distance become
    exponentials in its logarithm); the rest is then about g(s_end) / r.
    Returns ``(rest, exact)``: ``rest`` is that estimate, ``inf`` when g does
    not decay (the integral diverges) and ``nan`` when it decays too slowly
    to tell. ``exact`` is True when the decay rates over the last two steps
    agree to 1e-9 relative (a pure power law, for which the estimate is
    exact to about that). With ``strict`` (an endpoint away from 0, where
    the floor is at 2e-10 and g may still be turning, like t^a log t), only
    growth by a factor of 1.5 over each of three steps, at a rate (log of
    the factor) that does not fall by more than 10% from step to step
    towards the end, counts as divergence, and anything else that does not
    decay gives ``nan``: t^a (-log t - c) with a tiny shape a grows by 1.65
    and 2.8 over the last two steps before 2e-10, yet its integral is
    finite (it turns down where -log t is near 1/a). With ``known``, the
    decay rate read from the families' parameters (:func:`_exact_tail_rate`),
    the rest is g(s_end) / known, exact: rates measured within 1e-8 of 0 are
    rounding (t(2 + 1e-9) against a normal, D = 1e9, looked flat: inf).
    """
    g_end = g(s_end)
    if known is not None and math.isfinite(g_end) and g_end >= 0:
        return g_end / known, True
    g_1 = g(s_end + inward * _END_STEP)
    if math.isnan(g_end) or math.isnan(g_1):
        return math.nan, False   # the integrand cannot be evaluated there: nothing can be judged
    if g_end == 0.0:
        return 0.0, True
    if math.isinf(g_end):
        return math.inf, False
    if g_end >= g_1 * (1 - 1e-8):   # (allowing for rounding in a flat g)
        if not strict:
            return math.inf, False
        g_2, g_3 = (g(s_end + inward * k * _END_STEP) for k in (2, 3))
        if not (g_end >= 1.5 * g_1 and g_1 >= 1.5 * g_2 and g_2 >= 1.5 * g_3):
            return math.nan, False
        rates = [math.log(g_end / g_1), math.log(g_1 / g_2), math.log(g_2 / g_3)]
        steady = rates[0] >= 0.9 * rates[1] and rates[1] >= 0.9 * rates[2]
        return (math.inf, False) if steady else (math.nan, False)
    g_2 = g(s_end + inward * 2 * _END_STEP)
    rate = math.log(g_1 / g_end) / _END_STEP
    exact = g_2 > g_1 and abs(math.log(g_2 / g_1) / _END_STEP - rate) <= 1e-9 * rate
    if rate <= 0.01 and not exact:
        return math.nan, False
    return g_end / rate, exact


def _falls_at_failure(f, g, start, sign, s_ok, s_failed):
    """Whether the integrand in logs, ``g``, falls at the last distance where both log
    densities are finite (found by bisection between the e-folds ``s_ok`` and ``s_failed``)."""
    def finite(s_):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lp, lq = f.log_densities(start + sign * math.exp(s_))
        return math.isfinite(lp) and math.isfinite(lq)
    for _ in range(60):
        mid = 0.5 * (s_ok + s_failed)
        if mid in (s_ok, s_failed):
            break
        s_ok, s_failed = (mid, s_failed) if finite(mid) else (s_ok, mid)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g_edge, g_before = g(s_ok), g(s_ok - 1e-3)
    return math.isfinite(g_edge) and math.isfinite(g_before) and g_edge < g_before


def _log_grid(s0, s1, cuts=()):
    """Breakpoints strictly inside (s0, s1): the cuts plus one every _S_SPACING e-folds."""
    grid = np.arange(math.ceil(s0 / _S_SPACING), math.floor(s1 / _S_SPACING) + 1) * _S_SPACING
    pts = np.unique(np.concatenate([grid, np.asarray(list(cuts), dtype=float)]))
    return pts[(pts > s0 + 1e-9) & (pts < s1 - 1e-9)]


def _near_endpoint(f, origin, sign, t_end, cuts):
    """Integral of ``f`` from a finite endpoint ``origin`` over distances t in (0, t_end].

    In s = log t a power singularity t**(a - 1) becomes the smooth e^(a s);
    the integral starts at the smallest distance floats resolve next to
    ``origin`` (1e-308 when it is 0) and the open end's remainder is judged.
    Returns (value, error, message, remainder).
    """
    floor = max(_FLOOR, 2.0**20 * math.ulp(origin))
    if f.mode != "kl":   # P's or Q's probability closer to the endpoint than the integral starts
        rest = (_mass_between(f, origin, origin + sign * min(floor, max(t_end, 0.0))), True)
        if not t_end > floor:
            return 0.0, 0.0, "", rest
    if not t_end > floor:   # P's mass there lies entirely closer than floats resolve
        return 0.0, 0.0, "", ((math.nan, False) if t_end > 0 else (0.0, True))
    s0, s1 = math.log(floor), math.log(t_end)
    g = _in_logs(f, origin, sign)
    cuts = [math.log(t) for t in cuts if floor < t < t_end]
    if cuts:
        # Beyond the innermost breakpoint (the 1e-9 quantile) the last 1e-9 of the mass can sit
        # within a small fraction of an e-fold of it (beta(320, 640) within 0.05 e-folds), at the
        # end of a piece reaching out to the next grid point 100 e-folds away, which quad samples
        # too coarsely to see: points at steps growing fourfold from 1/16 of the distance from
        # that breakpoint to the end of the range follow the decay down to the floor.
        width = s1 - min(cuts)
        cuts += [min(cuts) - width * 4.0**k / 16 for k in range(_INNER_STEPS)
                 if min(cuts) - width * 4.0**k / 16 > s0]
    value, err, message = _quad(g, s0, s1, _log_grid(s0, s1, cuts))
    if f.mode != "kl":
        return value, err, message, rest
    if origin == 0.0:
        # Distances below 1e-308 are exact here: where both densities are power laws in t
        # (gamma and beta shapes, whatever their size), the rest is known in closed form.
        rest = _power_law_rest(f, sign, s0)
        if rest is not None:
            return value, err, message, rest
    # strict at every finite endpoint: t**a |log t| with a tiny shape a still rises towards the endpoint
    # where floats run out, although its integral is finite; only clear growth proves divergence
    return value, err, message, _open_end(g, s0, +1, strict=True)


def _mass_between(f, a, b):
    """The probability of (a, b) or (b, a) under P (mode "p") or Q (mode "q"), from the
    tail function on the side of b that keeps small probabilities exact."""
    dist = f.p if f.mode == "p" else f.q
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if b == a:
            return 0.0
        if b > a:
            if math.isinf(b):
                return float(dist.sf(a))
            return float(dist.cdf(b)) - float(dist.cdf(a))
        if math.isinf(b):
            return float(dist.cdf(a))
        return float(dist.sf(b)) - float(dist.sf(a))


# Exponent b of the power law t**(b - 1) that a family's density follows at its lower endpoint
# (loc = 0), from its shape parameters: a finite difference of log densities of size 700 carries
# an absolute error of about 1e-14, too much for shapes of 1e-10 (Gamma(1e-10) has b = 1e-10).
_ENDPOINT_EXPONENT = {
    "gamma": lambda a: a, "erlang": lambda a: a, "chi2": lambda df: df / 2, "beta": lambda a, b: a,
    "weibull_min": lambda c: c, "gengamma": lambda a, c: a * c if c > 0 else None,
    "powerlaw": lambda a: a, "chi": lambda df: df, "nakagami": lambda nu: 2 * nu,
    "expon": lambda: 1.0, "uniform": lambda: 1.0, "rayleigh": lambda: 2.0, "maxwell": lambda: 3.0,
    "arcsine": lambda: 0.5, "triang": lambda c: 2.0 if c > 0 else 1.0,
    "trapezoid": lambda c, d: 2.0 if c > 0 else 1.0,
}


def _endpoint_exponent(dist):
    """b of a known family whose support starts at exactly 0 (density ~ t**(b - 1) there), else None."""
    import scipy.stats

    parts = _parts(dist)
    if parts is None:
        return None
    family, shapes, loc, _ = parts
    name = str(getattr(family, "name", ""))
    rule = _ENDPOINT_EXPONENT.get(name)
    if rule is None or type(family) is not type(getattr(scipy.stats, name, None)) or loc != 0.0:
        return None
    try:
        b = rule(*shapes)
    except (TypeError, ValueError, ArithmeticError):
        return None
    return float(b) if b is not None and b > 0 and math.isfinite(b) else None


def _power_law_rest(f, sign, s0):
    r"""The integral of the integrand over distances t < e^s0 from an endpoint at 0, in closed form
    when P's and Q's log densities are both linear in s = log t there (power laws ``t**(b - 1)``).

    With :math:`\log p = l_p + \beta_p u`, :math:`\log q = l_q + \beta_q u`, u = s - s0 <= 0,
    :math:`b_p = 1 + \beta_p > 0`, :math:`b_q = 1 + \beta_q > 0`, :math:`L_0 = l_p - l_q`,
    :math:`r = b_p / b_q` and :math:`\delta = 1 - 1 / r`,

    .. math::

        \int_{-\infty}^{0} e^{s_0 + u}\,[p (L - 1) + q]\,du
        = e^{s_0 + l_p}\Big(\frac{L_0 - 1}{b_p} - \frac{\beta_p - \beta_q}{b_p^2}\Big)
          + \frac{e^{s_0 + l_q}}{b_q}
        = \frac{e^{s_0 + l_p}}{b_p}\Big(e^{-L_0} - 1 + L_0 + \delta\,(r e^{-L_0} - 1)\Big),

    the last form free of the cancellation between terms of size 1 / b when the shapes are tiny.
    Linearity is checked at three points 5 e-folds apart (to 1e-11 of the log densities' size; a
    gamma or beta density departs from its power law by a factor 1 + O(t), 1e-304 there). The
    exponents b come from the shape parameters for the families in ``_ENDPOINT_EXPONENT`` (after
    checking them against the measured slopes); otherwise from the slopes, whose error (about eps
    times the log densities' size over 2.5, 6e-14 at size 700) makes the rest inexact (``exact``
    False) when it exceeds 1e-9 b, that is for b below about 1e-4.

    Returns ``(rest, exact)``, or None when the densities are not power laws there.
    """
    steps = [s0, s0 + _END_STEP, s0 + 2 * _END_STEP]
    try:
        logs = [f.log_densities(sign * math.exp(s)) for s in steps]
    except (ValueError, ArithmeticError):
        return None
    slopes, exact = [], True
    for k, dist in enumerate((f.p, f.q)):
        v = [pair[k] for pair in logs]
        if not all(math.isfinite(x) for x in v):
            return None
        size = max(1.0, *(abs(x) for x in v))
        bend = abs(v[0] - 2 * v[1] + v[2])
        if bend > 1e-11 * size:
            return None
        b = 1.0 + (v[2] - v[0]) / (2 * _END_STEP)
        # the slope's error: rounding of the three log densities, and what bends them
        uncertainty = (4 * np.finfo(float).eps * size + bend) / (2 * _END_STEP)
        known = _endpoint_exponent(dist) if sign > 0 else None
        if known is not None and abs(known - b) <= 10 * uncertainty + 1e-12:
            b = known
        elif not uncertainty <= 1e-9 * b:
            exact = False      # the measured exponent is too rough for the rest to count as exact
        slopes.append(b)
    (lp, lq), (b_p, b_q) = logs[0], slopes
    if not (b_p > 0 and b_q > 0):
        return None
    if lq - lp > 30:   # Q's term dominates: the first form, where nothing cancels
        try:
            rest = math.exp(s0 + lp) * ((lp - lq - 1) / b_p - (b_p - b_q) / b_p**2) \
                + math.exp(s0 + lq - math.log(b_q))
        except OverflowError:
            return None
        return (max(rest, 0.0), exact) if math.isfinite(rest) else None
    delta = (b_p - b_q) / b_p
    log_ratio = math.log(b_p) - math.log(b_q)
    bracket = float(expm1mx(-(lp - lq))) + delta * math.expm1(log_ratio - (lp - lq))
    if bracket <= 0:
        return 0.0, exact
    log_rest = s0 + lp - math.log(b_p) + math.log(bracket)
    if log_rest > 700:
        return None
    rest = math.exp(log_rest)
    return max(rest, 0.0), exact


def _tail(f, p, q, start, sign, cuts, origin=None):
    """Integral of ``f`` from ``start`` (P's median) towards ``sign * inf``.

    With ``origin`` (P's finite endpoint on the other side of ``start``) closer
    to ``start`` than 1/100 of the first linear piece, the whole tail is
    integrated in s = log of the distance from ``origin``: a median next to a
    singular endpoint (Gamma(0.02) has its median at 1e-15, its next
    breakpoint at 3e-7) leaves the density varying like a power of that
    distance, which a linear piece from the median cannot follow.

    Linear up to the nearest breakpoint ``cuts`` (distances from ``start``),
    then in s = log(distance) up to 1e300, split at the other breakpoints and
    every 100 e-folds: a heavy tail (a Pareto with shape 0.1 has its 1e-9
    quantile at 1e90) spreads its mass evenly over the logarithm of the
    distance, where linear pieces would miss most of it. The open end is
    judged where both log densities are still meaningful.
    Returns (value, error, message, remainder).
    """
    cuts = sorted(c for c in cuts if 0 < c < _T_MAX)
    if origin is not None and 0 < sign * (start - origin) < 1e-2 * (cuts[0] if cuts else 1.0):
        offset = sign * (start - origin)          # distances are now measured from origin
        cuts = [c + offset for c in cuts if c + offset < _T_MAX]
        width, (near, err1, msg1) = offset, (0.0, 0.0, "")
        start = origin
    else:
        width = cuts[0] if cuts else 1.0
        near, err1, msg1 = _quad(lambda t: f(start + sign * t), 0.0, width)
    s0, s1 = math.log(width), math.log(_T_MAX)
    g = _in_logs(f, start, sign)
    # The open end is judged at the last distance where both log densities are
    # finite: beyond it scipy's formulas overflow (x**2 at 1e154) or underflow
    # (log(pdf)), and the integrand means nothing. Where scipy's vectorised log
    # densities fail, the integrand's own (with the fallbacks from probabilities)
    # are tried, one point at a time.
    s = np.arange(s0, s1, 1.0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = start + sign * np.exp(s)
        finite = np.isfinite(np.asarray(q.logpdf(x), dtype=float)) & \
            np.isfinite(np.asarray(p.logpdf(x), dtype=float))
        stop = int(np.argmin(finite)) if not finite.all() else len(s)
        p_failed = False
        while stop < len(s):
            lp, lq = f.log_densities(float(x[stop]))
            if not (math.isfinite(lp) and math.isfinite(lq)):
                p_failed = not math.isfinite(lp) and f.p_lo < x[stop] < f.p_hi
                break
            stop += 1
    # (judged where the integral ends: at 1e300 itself when nothing failed before, not at the
    # last whole e-fold short of it, which would count up to an e-fold of a heavy tail twice)
    judge = s1 if stop == len(s) else float(s[stop - 1])
    known = _exact_tail_rate(p, q, sign) if f.mode == "kl" else None
    if stop >= 2:
        remainder = _open_end(g, judge, -1, known=known)
        if remainder[0] == math.inf and known is None:
            _refuse_near_boundary(f, p, q, start, sign)
    else:
        # The log densities fail within an e-fold of the start: nothing to judge the rest by, which
        # is exactly 0 only if P has no probability beyond.
        edge = s0 if stop == 0 else judge
        beyond_p = _mass_between(_Integrand(p, q, "p"), start + sign * math.exp(edge), sign * math.inf)
        remainder = (0.0, True) if beyond_p == 0 else (math.nan, False)
    if remainder[0] == math.inf and 0 < stop < len(s) and not p_failed and \
            _falls_at_failure(f, g, start, sign, float(s[stop - 1]), float(s[stop])):
        # A "rise" judged across the integrand's peak (5 e-folds back), while at the last point
        # where Q's log density is finite the integrand falls: no proof of divergence, and
        # what lies beyond, where log q overflowed, is unknown (Laplace against a left Gumbel of
        # scale 1.01: D = 49.07). Refused by the caller, never reported as inf.
        remainder = (math.nan, False)
    if remainder[0] == math.inf and 0 < stop < len(s) and not p_failed and f.mode == "kl" \
            and f._q_overflowed(float(x[stop])) and _power_tail(f, start, sign) is None:
        _refuse_rise_into_overflow(f, start, sign, float(s[stop - 1]), float(s[stop]))
    if remainder[0] == math.inf and _mass_between(_Integrand(p, q, "p"), start + sign * math.exp(judge),
                                                  sign * math.inf) > 1e-12:
        # The integrand still rises where P keeps visible mass beyond (Pareto(0.01) against
        # Pareto(0.05), both from 1e250, has 0.3 of it beyond 1e300, where log(p/q) grows like
        # 0.04 log x): a rise that may yet turn down, as it does there, not a proof of divergence.
        remainder = (math.nan, False)
    elif remainder[0] == math.inf:
        x_end = start + sign * math.exp(judge)
        lp, lq = f.log_densities(x_end)
        q_rest = _q_rest(f, p, q, start, sign, judge, lp, lq) if f.mode == "kl" else None
        if q_rest is not None:
            remainder = q_rest
        elif abs(lp - lq) < 1:
            # P and Q within a factor e of each other where the "rise" was seen (identical
            # Paretos: rounding noise of 1e-34 around 0): no divergence; what lies beyond is
            # about P's probability there times the integrand's p (L - 1 + e^-L) per unit p.
            ratio = lp - lq
            remainder = (_mass_between(_Integrand(p, q, "p"), x_end, sign * math.inf)
                         * float(expm1mx(-ratio)), False)
    # (inf: the integrand grows, so D(P||Q) is infinite; nan: it decays too slowly to tell.)
    if stop < len(s) and not p_failed and (not cuts or s[stop - 1] < math.log(cuts[-1]) + 1):
        # Q's log density failed among the breakpoints (the body of P), where
        # the integrand's decay says nothing about divergence. The integral runs
        # on to 1e300 (with Q's density from its tail probabilities) and what lies
        # beyond is judged there: Pareto(0.01) against Pareto(1) keeps 0.78 nats
        # beyond 1e300. A rise there is not taken as divergence (the integrand
        # may rest on the smallest double for Q's density): the caller refuses it.
        remainder = _open_end(g, s1, -1)
        if remainder[0] == math.inf:
            remainder = (math.nan, False)
    elif stop < len(s) and not p_failed and math.isfinite(remainder[0]):
        # Judged short of 1e300 only because Q's log density failed: the integral
        # beyond was taken with Q's underflowed density replaced by the smallest
        # double (a lower bound, refused by the caller if P has mass there). What
        # that leaves out, p log(q_tiny / q), can still be hundreds of nats (a t with
        # 2.01 degrees of freedom against norm(0, 0.1): p x^2 / (2 s^2) beyond 1e153,
        # where x**2 overflows), so it is extrapolated from where log q was last finite.
        remainder = _beyond_log_q(f, start, sign, s, stop, known) if stop >= 3 else (math.nan, False)
        # Where P's log density fails
        # (t.logpdf beyond 1e154, where x**2 overflows, and its tail probability
        # underflows) the integrand was taken as 0 there: the integral stops
        # where it was last meaningful and the remainder estimated from the
        # decay counts instead (exact for a power law, as such tails are).
    elif stop < len(s) and stop >= 2:
        s1 = float(s[stop - 1])   # the remainder replaces the integral beyond
    # Beyond the outermost breakpoint a light tail vanishes within an e-fold or
    # two (a normal's g(s) ~ exp(-e^(2s) / 2)); quad, sampling [s, s + 100]
    # with 21 points, would miss that and believe itself converged, so there
    # are breakpoints at growing steps from it.
    last = math.log(cuts[-1]) if cuts else s0
    grow = [last + 0.25 * 2.0**k for k in range(10)]
    # One quad per piece: QAGP over 30 pieces spanning 700 e-folds can stall on
    # round-off ("extremely bad integrand behavior") where each piece alone converges.
    edges = [s0, *_log_grid(s0, s1, [math.log(c) for c in cuts] + grow), s1]
    parts = [_quad(g, a, b) for a, b in zip(edges[:-1], edges[1:])]
    far, err2 = math.fsum(v for v, _, _ in parts), math.fsum(e for _, e, _ in parts)
    msg2 = next((m for _, _, m in parts if m), "")
    end = start + sign * math.exp(s1)
    if f.mode != "kl":   # P's or Q's probability beyond the end of the integral
        remainder = (_mass_between(f, end, sign * math.inf) - _hole_beyond(f, f.mode, end, sign), True)
    elif _mass_between(_Integrand(p, q, "p"), end, sign * math.inf) == 0.0 and \
            _logpdf(p, end) <= _logpdf(q, end) > -math.inf:
        # P has no probability beyond the end (its tail function underflows to 0) and its density
        # is below Q's there: the integrand beyond is Q's density, whose integral is Q's tail
        # probability, exact; its growth or decay says nothing (Q may be far wider than P:
        # norm(0, 1e200) against norm(0, 1), or a Q whose scale became 1e300 when P's was brought
        # to 1). (Not where Q's log density failed: p (-log q) can still be large beyond, as for
        # a t with 2.005 degrees of freedom against a normal.)
        remainder = (_mass_between(_Integrand(p, q, "q"), end, sign * math.inf)
                     - _hole_beyond(f, "q", end, sign), True)
    if f.mode == "kl":
        # Q's mass near or beyond the end: its decay there says nothing (see _beyond_far_q)
        far_q = _beyond_far_q(f, p, q, start, sign, s1)
        if far_q is not None:
            remainder = far_q
    return near + far, err1 + err2, msg1 or msg2, remainder


def _refuse_rise_into_overflow(f, start, sign, s_ok, s_failed):
    """Refuse a tail whose integrand still rises where Q's log density overflows to -inf.

    Against a P whose tail falls faster than any power (not :func:`_power_tail`), p (-log q)
    rising there is a hump that may yet turn down beyond, where log q is below the most
    negative double: expon() against weibull_min(300, scale=20) rises up to x = 300, where
    -log q = 15^300 = 6e352, and D(P||Q) = 300! / 20^300 + ... = 1.5e224 is finite (it was
    reported as inf). Neither a value nor divergence can be told from doubles."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(60):     # the distance where it first overflows
            mid = 0.5 * (s_ok + s_failed)
            if mid in (s_ok, s_failed):
                break
            s_ok, s_failed = (s_ok, mid) if f._q_overflowed(start + sign * math.exp(mid)) else (mid, s_failed)
    raise FloatingPointError(
        f"continuous_kl cannot compute D(P||Q) reliably: q.logpdf overflows to -inf beyond x = "
        f"{start + sign * math.exp(s_ok):.10g} (measured from P's endpoint or median; Q's log "
        f"density falls below the most negative double, -1.8e308) while p (-log q) still grows "
        f"towards it and P's tail falls faster than any power, so the part of D(P||Q) beyond "
        f"cannot be evaluated: D(P||Q) may still be finite (expon() against weibull_min(300, "
        f"scale=20): 1.5e224), even beyond 1.8e308, or infinite. Compute it in closed form "
        f"(E_P[-log q] from P's moments, for a Weibull or left Gumbel Q), or give Q as a "
        f"distribution whose logpdf stays finite where P has mass.")


def _q_rest(f, p, q, start, sign, s_end, lp, lq):
    """The integral beyond e^s_end where the integrand's "rise" there is Q's density (lq > lp):
    cauchy(1e299, 1e280) against P = cauchy(0, 1) has its middle just short of 1e300, where
    P's density is 1e-280 of Q's. Beyond, the integrand is q + p (L - 1), L = log(p / q): the
    first integrates to Q's tail probability, exactly; the second is bounded from
    h(s) = e^s p |L - 1|, sampled at 0, 6, 12 and 18 e-folds beyond (to 6.6e307), by
    h(s_end) / r where it decays at a steady rate r (within 10% from step to step). Returns
    ``(Q's tail probability, True)`` when that bound is below 1e-9 of it, else None (a Q whose
    log density falls faster than P's beyond, such as norm(0, 1e300) against cauchy(0, 1), whose
    D is infinite, shows no such decay), or where Q's log density does not fall as a power law."""
    if not (math.isfinite(lp) and math.isfinite(lq) and lq > lp):
        return None
    hs, lqs = [], []
    for k in (0.0, 6.0, 12.0, 18.0):
        lp_k, lq_k = f.log_densities(start + sign * math.exp(s_end + k))
        if not (math.isfinite(lp_k) and math.isfinite(lq_k)):
            return None
        hs.append(s_end + k + lp_k + math.log(abs(lp_k - lq_k - 1)) if lp_k - lq_k != 1 else -math.inf)
        lqs.append(lq_k)
    rates = [(a - b) / 6.0 for a, b in zip(hs[:-1], hs[1:])]
    if not all(r > 0.01 for r in rates) or max(rates) > 1.1 * min(rates):
        return None
    # Q's log density must fall as a power law there too (steps within 10%): norm(0, 1e307) has
    # log q nearly flat up to 1e305 and then falling like -x^2 / 2e614, which h, dominated by
    # log p, barely shows before the doubles end, while D(cauchy(0, 1) || it) is infinite.
    falls = [a - b for a, b in zip(lqs[:-1], lqs[1:])]
    if not all(d > 0 for d in falls) or max(falls) > 1.1 * min(falls):
        return None
    end = start + sign * math.exp(s_end)
    q_tail = _mass_between(_Integrand(p, q, "q"), end, sign * math.inf) - _hole_beyond(f, "q", end, sign)
    bound = math.exp(hs[0]) / min(rates)
    return (q_tail, True) if bound <= 1e-9 * q_tail else None


# --- the open end beyond a Q that lies far out ---------------------------------------
#
# The open end of a tail is judged from the integrand's decay where the integration stops
# (1e300, or where P's log density fails: 1.3e154 for a t). Where Q's mass lies near or
# beyond that point, the integrand there has not yet taken its asymptotic form: against
# cauchy(0, 1), norm(1e299, 1e290) gives p (L - 1) ~ x^-2 (x - 1e299)^2 / 2e580, which still
# falls at 1e300 and grows like x only beyond, so D(P||Q) is infinite although the integrand
# "decays" at 1e300 (it was reported as 5e17). The decay is judged instead where Q's log
# density has its asymptotic form, far beyond Q's mass.

_PROBE_CLEAR = 1e4     # the probes lie at least this many times Q's reach from P's median
_PROBE_STEP = 2.0      # e-folds between the three probes
_PROBE_FAR = 1e308     # the farthest distance a probe is placed at (the largest double is 1.8e308)


def _q_reach(q, start):
    """The distance from ``start`` of Q's farther quartile (nan where Q's quantiles fail)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return max(abs(float(q.ppf(0.25)) - start), abs(float(q.isf(0.25)) - start))
        except Exception:      # a user's distribution whose quantiles fail
            return math.nan


def _power_tail(f, start, sign):
    """P's tail as a power law in the distance t from ``start``: ``(s_a, lp_a, alpha)`` with
    ``log p = lp_a - alpha (s - s_a)`` for s = log t >= s_a, read from the three farthest points,
    5 e-folds apart, where P's log density is finite (from its tail probabilities where scipy's
    fails: a t's beyond 1.3e154); None where it is not a power law there (a light tail, whose
    density falls faster: no polynomial growth of log(p / q) can then make D infinite)."""
    s = math.log(_PROBE_FAR)
    lps = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while s > 0 and len(lps) < 3:
            lp = f.log_densities(start + sign * math.exp(s))[0]
            lps = lps + [(s, lp)] if math.isfinite(lp) else []
            s -= 5.0
    if len(lps) < 3:
        return None
    (s_a, lp_a), (_, lp_b), (_, lp_c) = lps
    alpha, alpha_2 = (lp_b - lp_a) / 5.0, (lp_c - lp_b) / 5.0
    if not (alpha > 1 and abs(alpha - alpha_2) <= 1e-6 * alpha):
        return None
    return s_a, lp_a, alpha


def _q_growth(q, sign):
    """beta with -log q ~ c |x|^beta far out towards ``sign * inf``, read from Q's own standard
    form (loc 0, scale 1) at 1e8, 1e12 and 1e16 scales from its centre: 2 for a normal, 1 for a
    laplace, logistic or hyperbolic secant. None where it is not steady there to 1e-6 (a power-law
    Q, whose -log q grows like log |x|; a Gumbel's, which overflows) or cannot be evaluated."""
    parts = _parts(q)
    if parts is None:
        return None
    family, shapes, _, _ = parts
    try:
        q0 = family(*shapes)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logs = [-_logpdf(q0, sign * 10.0 ** e) for e in (8, 12, 16)]
    except Exception:
        return None
    if not all(math.isfinite(v) and v > 0 for v in logs):
        return None
    b1, b2 = ((math.log(v2) - math.log(v1)) / (4 * math.log(10)) for v1, v2 in zip(logs[:-1], logs[1:]))
    if not (b1 > 0.1 and abs(b1 - b2) <= 1e-6 * b2):
        return None
    return b2


# P's tail power alpha (p ~ |x|^-alpha far out) and Q's growth exponent beta (-log q ~ c |x|^beta)
# read from the family's own form, towards +inf (and -inf for a symmetric family), so that
# D(P||Q) = inf iff 1 - alpha + beta >= 0 is decided exactly at the boundary (t(2) against a
# normal: alpha = 3, beta = 2, infinite; t(2.000001): finite, 5.0e199 against norm(1e200, 1e100)),
# where alpha and beta measured from the densities are known to about 1e-6 and 1e-13 only
_TAIL_POWERS = {
    "t": lambda df: df + 1, "cauchy": lambda: 2.0, "halfcauchy": lambda: 2.0,
    "pareto": lambda b: b + 1, "lomax": lambda c: c + 1, "invgamma": lambda a: a + 1,
    "invweibull": lambda c: c + 1, "fisk": lambda c: c + 1, "levy": lambda: 1.5,
    "burr": lambda c, d: c + 1, "burr12": lambda c, d: c * d + 1,
    "genpareto": lambda c: 1 + 1 / c if c > 0 else math.nan,
}
_GROWTHS = {
    "norm": lambda: 2.0, "halfnorm": lambda: 2.0, "foldnorm": lambda c: 2.0, "maxwell": lambda: 2.0,
    "rayleigh": lambda: 2.0, "chi": lambda df: 2.0, "laplace": lambda: 1.0, "logistic": lambda: 1.0,
    "hypsecant": lambda: 1.0, "expon": lambda: 1.0, "gamma": lambda a: 1.0, "gennorm": lambda b: b,
    "chi2": lambda df: 1.0, "erlang": lambda a: 1.0,
    # towards +inf only (towards -inf -log q grows as e^(|x| / scale): _DOUBLY_EXPONENTIAL)
    "gumbel_r": lambda: 1.0, "moyal": lambda: 1.0,
}


def _exact_power(dist, sign, measured, table):
    """The tail power (``_TAIL_POWERS``) or growth exponent (``_GROWTHS``) of ``dist`` from its
    family's parameters, or None where the family is not listed or the value is not the one
    ``measured`` from its density, to 1e-6 (a side where the family has no such tail)."""
    name = _is_family(dist)
    if name not in table or (sign < 0 and name not in _SYMMETRIC):
        return None
    value = float(table[name](*_parts(dist)[1]))
    return value if abs(value - measured) <= 1e-6 * value else None


def _exact_tail_rate(p, q, sign):
    """The rate -r = alpha - 1 - beta > 0 at which the integrand, in s = log(distance), decays
    towards ``sign * inf``, read from both families' parameters (:data:`_TAIL_POWERS`,
    :data:`_GROWTHS`), or None where either is not listed, the tail is not on that side, or D(P||Q)
    is infinite (r >= 0)."""
    names = _is_family(p), _is_family(q)
    if names[0] not in _TAIL_POWERS or names[1] not in _GROWTHS or \
            (sign < 0 and (names[0] not in _SYMMETRIC or names[1] not in _SYMMETRIC)):
        return None
    rate = _TAIL_POWERS[names[0]](*_parts(p)[1]) - 1 - _GROWTHS[names[1]](*_parts(q)[1])
    return rate if rate > 0 else None


def _refuse_near_boundary(f, p, q, start, sign):
    """Refuse a flat-looking tail (an integrand whose decay over 5 e-folds is within rounding) whose
    power alpha, measured, lies within 1e-6 of the boundary 1 + beta: a decay that slow cannot be told
    from none (a user's subclass of a t with 2 + 1e-9 degrees of freedom against a normal)."""
    tail, beta = _power_tail(f, start, sign), _q_growth(q, sign)
    if tail is None or beta is None:
        return
    exact_alpha, exact_beta = _exact_power(p, sign, tail[2], _TAIL_POWERS), _exact_power(q, sign, beta, _GROWTHS)
    if (exact_alpha is None or exact_beta is None) and abs(1 - tail[2] + beta) < 1e-6 * tail[2]:
        _refuse_boundary_power(tail[2] if exact_alpha is None else exact_alpha,
                               beta if exact_beta is None else exact_beta,
                               exact_alpha is not None, exact_beta is not None)


def _refuse_boundary_power(alpha, beta, p_read, q_read):
    """Refuse a P whose power-law tail is too near the boundary of convergence to tell D(P||Q).

    ``p_read``, ``q_read``: whether alpha and beta were read from the families' parameters
    (:func:`_exact_power`) rather than measured; the message says which, and names the families
    klteach reads only for the exponent that was measured (at least one was)."""
    how = {True: "read from its family's parameters", False: "measured far out in its tail, to about 1e-6"}
    how_q = {True: "read from its family's parameters", False: "measured from its density far out"}
    advice = []
    if not p_read:
        advice.append(f"give P as a scipy family whose tail power klteach reads from its parameters "
                      f"({', '.join(_TAIL_POWERS)}; not a subclass of one)")
    if not q_read:
        advice.append(f"give Q as a scipy family whose growth exponent klteach reads from its "
                      f"parameters ({', '.join(_GROWTHS)}; not a subclass of one)")
    measured = "alpha" if not p_read and q_read else "beta" if p_read else "alpha and beta"
    raise FloatingPointError(
        f"continuous_kl cannot tell whether D(P||Q) is finite: P's density falls as |x|^-alpha "
        f"with alpha = {alpha:.12g} ({how[p_read]}), against Q's -log q growing as |x|^beta with "
        f"beta = {beta:.12g} ({how_q[q_read]}); D(P||Q) is finite only if alpha > 1 + beta = "
        f"{1 + beta:.12g}, and alpha is within 1e-6 alpha of it: too close to decide with {measured} "
        f"measured rather than read. Compute D(P||Q) in closed form, or {' and '.join(advice)}.")


def _scaled_q(q, k):
    """Q scaled by 2**-k (None where it cannot be rebuilt, or its loc or scale would not scale exactly)."""
    parts = _parts(q)
    if parts is None:
        return None
    family, shapes, loc, scale = parts
    new_loc, new_scale = math.ldexp(loc, -k), math.ldexp(scale, -k)
    if math.ldexp(new_loc, k) != loc or math.ldexp(new_scale, k) != scale or not new_scale > 0:
        return None
    try:
        return family(*shapes, loc=new_loc, scale=new_scale)
    except Exception:
        return None


def _far_log_densities(f, q_k, k, start, start_k, sign, s, tail):
    """(log p, log q) at distance e^s from ``start`` (original coordinates), with Q given scaled
    by 2**-k as ``q_k`` (its origin ``start_k``), and P's log density extrapolated beyond
    ``tail = (s_a, lp_a, alpha)`` (:func:`_power_tail`)."""
    s_a, lp_a, alpha = tail
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lq = _logpdf(q_k, start_k + sign * math.exp(s - k * math.log(2))) - k * math.log(2) \
            - f.offsets[1]
        lp = f.log_densities(start + sign * math.exp(s))[0] if s < s_a else lp_a - alpha * (s - s_a)
    return lp, lq

def _far_log_minus_log_q(q, sign, beta_q):
    """log(-log q) far out towards ``sign * inf``, from Q's asymptotic form -log q ~ c |z|^beta
    (z = (x - loc) / scale), for a Q whose growth beta is read from its family (:data:`_GROWTHS`):
    a function of (Q scaled, x in its coordinates), else None. For where log q is below the most
    negative double (norm(1e299, 1e149) beyond 2e303): -log q exceeds 1.8e308 there, and the terms
    dropped (log scale, (a - 1) log z for a gamma) are below 1e-300 of it; c is read at |z| =
    10^(200 / beta), where the terms dropped are below 1e-190 of -log q."""
    beta = None if beta_q is None else _exact_power(q, sign, beta_q, _GROWTHS)
    if beta is None:
        return None
    family, shapes, _, _ = _parts(q)
    z0 = 10.0 ** min(200.0 / beta, 300.0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            log_c = math.log(-_logpdf(family(*shapes), sign * z0)) - beta * math.log(z0)
        except (ValueError, OverflowError):
            return None
    if not math.isfinite(log_c):
        return None

    def log_minus_log_q(q_k, x):
        _, _, loc, scale = _parts(q_k)
        d = abs(x - loc)
        log_d = math.log(d) if d < math.inf else math.log(abs(0.5 * x - 0.5 * loc)) + math.log(2)
        return log_c + beta * (log_d - math.log(scale))
    return log_minus_log_q


def _beyond_far_q(f, p, q, start, sign, s_end):
    r"""The rest of the integral beyond distance ``e^s_end`` from ``start`` when Q's mass reaches
    near or past it: ``(rest, exact)`` as :func:`_open_end` gives it, or None where Q lies far
    enough inside (the estimate made at ``s_end`` stands) or P's tail is not a power law.

    :math:`h(s) = e^s p (L - 1)`, P's part of the integrand in s = log(distance), is evaluated
    at three probes 2 e-folds apart, the first at 1e4 times Q's reach (the distance of its
    farther quartile): there Q's log density has its asymptotic form (-x^2 / 2 s^2, -|x| / s)
    to 1e-4. P's log density is extrapolated as the power law of its tail where it cannot be
    evaluated (beyond 1e308, or where its tail probabilities underflow), and probes beyond the
    largest double take Q scaled by a power of 2 (KL does not change under x -> c x). If h does
    not decay there (its log-slope at least -2 max(beta, 1) / (clear - 1), clear the probes'
    distance in Q's reaches: the amount by which Q's log density may still depart from its
    asymptotic form, 4e-4 for a normal at 1e4 reaches), D(P||Q) is infinite: P's power-law tail
    against Q's exponential or normal one (a Cauchy, t(2) or Pareto(1.5) against a normal). If
    it decays steadily (faster than e^-0.01s), the rest is Q's probability beyond (exact) plus h
    integrated up to the last probe and extrapolated beyond it; otherwise it cannot be told
    (``nan``, refused by the caller). Where Q's family gives its growth exponent beta
    (:func:`_q_growth`), the decision is made instead from h's asymptotic rate
    r = 1 - alpha + beta (alpha: P's power), which also extrapolates h beyond the last probe:
    exactly where both exponents are read from the families' parameters (:func:`_exact_power`),
    else refused within 1e-6 alpha of r = 0, where alpha measured cannot tell.
    """
    reach = _q_reach(q, start)
    if not (math.isfinite(reach) and reach > 0 and math.exp(s_end) < _PROBE_CLEAR * reach):
        return None
    tail = _power_tail(f, start, sign)
    if tail is None:
        return None
    s_a, lp_a, alpha = tail
    # 1e4 times Q's reach, scaled past the largest double if need be; where Q's log density
    # overflows there (laplace(1e305, 1): -log q = 1e309), as far out as the doubles allow
    # without scaling, if that is still 10 times Q's reach
    beta_q = _q_growth(q, sign)
    log_minus_log_q = _far_log_minus_log_q(q, sign, beta_q)

    def log_gap(s, lp, lq):
        """log|L - 1|, L = lp - lq, at distance e^s; from Q's asymptotic form where log q is below
        the most negative double (then L - 1 > 0); nan where it cannot be had."""
        if math.isfinite(lp) and lq == -math.inf and log_minus_log_q is not None:
            return log_minus_log_q(q_k, start_k + sign * math.exp(s - k * math.log(2)))
        if not (math.isfinite(lp) and math.isfinite(lq)):
            return math.nan
        return math.log(abs(lp - lq - 1)) if lp - lq != 1 else -math.inf

    closest = min(_PROBE_CLEAR, math.exp(math.log(_PROBE_FAR) - 2 * _PROBE_STEP - math.log(reach)))
    for clear in (_PROBE_CLEAR, closest) if closest >= 10 else (_PROBE_CLEAR,):
        probes = [math.log(clear) + math.log(reach) + k * _PROBE_STEP for k in range(3)]
        k = max(0, math.ceil((probes[-1] - math.log(_PROBE_FAR)) / math.log(2)))   # Q scaled by 2**-k
        q_k = _scaled_q(q, k) if k else q
        if q_k is None:
            continue
        start_k = math.ldexp(start, -k)
        logs = [_far_log_densities(f, q_k, k, start, start_k, sign, s, tail) for s in probes]
        if all(lq < 0 and not math.isnan(log_gap(s, lp, lq)) for s, (lp, lq) in zip(probes, logs)):
            break
    else:
        return math.nan, False      # Q's log density overflowed there: its decay cannot be seen

    def h(s):
        """P's part of the integrand in s, p (L - 1) e^s, formed in logs (0 inside the window)."""
        if f.hole is not None and s < math.log(_PROBE_FAR) and \
                f.hole[0] <= start + sign * math.exp(s) <= f.hole[1]:
            return 0.0
        lp, lq = _far_log_densities(f, q_k, k, start, start_k, sign, s, tail)
        gap = log_gap(s, lp, lq)
        if math.isnan(gap):
            return math.nan
        return 0.0 if gap == -math.inf else math.copysign(math.exp(s + lp + gap), lp - lq - 1)

    log_h = [s + lp + log_gap(s, lp, lq) for s, (lp, lq) in zip(probes, logs)]
    rates = [(b - a) / _PROBE_STEP for a, b in zip(log_h[:-1], log_h[1:])]
    # Q's log density still departs from its asymptotic form by about beta reach / distance, beta
    # its power (2 for a normal): the slope measured may be that much below the asymptotic one.
    # Where Q's growth exponent beta is known exactly from its own form (_q_growth), h falls
    # asymptotically as e^(r s), r = 1 - alpha + beta: D(P||Q) is infinite iff r >= 0, told to the
    # 1e-6 alpha to which _power_tail measures alpha (t(1.1) against laplace(1e305, 1): r = -0.1,
    # D = 1e305, was called infinite from the probes' slack at 18 reaches; t(2.0003) against
    # norm(1e299, 1e290): r = -0.0003, D = 5e17).
    if beta_q is not None:
        exact_alpha, exact_beta = _exact_power(p, sign, alpha, _TAIL_POWERS), _exact_power(q, sign, beta_q, _GROWTHS)
        r = 1 - (alpha if exact_alpha is None else exact_alpha) + (beta_q if exact_beta is None else exact_beta)
        if None in (exact_alpha, exact_beta) and abs(r) < 1e-6 * alpha:
            _refuse_boundary_power(alpha if exact_alpha is None else exact_alpha,
                                   beta_q if exact_beta is None else exact_beta,
                                   exact_alpha is not None, exact_beta is not None)
        if r >= 0:
            if all(lp - lq > 1 for lp, lq in logs):
                return math.inf, False
            return math.nan, False
        rates[-1] = r
    else:
        beta = (math.log(-logs[-1][1]) - math.log(-logs[0][1])) / (2 * _PROBE_STEP)
        slack = 2 * max(beta, 1.0) / (clear - 1) + 1e-9
        if all(lp - lq > 1 for lp, lq in logs) and min(rates) >= -slack:
            return math.inf, False
        if not max(rates) < -0.01:
            return math.nan, False
    end = start + sign * math.exp(s_end)
    q_tail = _mass_between(_Integrand(p, q, "q"), end, sign * math.inf) - _hole_beyond(f, "q", end, sign)
    cuts = [c for c in (math.log(reach), s_a, probes[0]) if s_end < c < probes[-1]]
    with np.errstate(all="ignore"):
        inside, err, _ = _quad(h, s_end, probes[-1], _log_grid(s_end, probes[-1], cuts))
    beyond = h(probes[-1]) / -rates[-1]
    rest = q_tail + inside + beyond
    # exact where the part extrapolated beyond the last probe is negligible or a pure power law
    exact = math.isfinite(rest) and (abs(beyond) + err <= 1e-9 * abs(rest)
                                     or abs(rates[1] - rates[0]) <= 1e-9 * abs(rates[1]))
    return rest, exact


def _hole_beyond(f, mode, end, sign):
    """The probability (P's for ``mode`` "p", else Q's) of the part of the window (``f.window``,
    :func:`_q_window`) beyond ``end`` towards ``sign * inf``: integrated around Q's median
    already, so taken off a remainder that counts all of the probability beyond ``end``
    (norm(1e155, 1e145) lies beyond 1.3e154, where P = N(0, 1)'s log density fails and the
    tail stops). Measured in the window's own coordinates v = x - c, where the window is
    resolved even when its ends round to one double in x (cauchy(3e299, 1): c +- 3e14)."""
    if f.window is None:
        return 0.0
    c, moved, va, vb = f.window
    with np.errstate(all="ignore"):
        cut = end - c
    a, b = (max(va, cut), vb) if sign > 0 else (va, min(vb, cut))
    if not a < b:
        return 0.0
    return _mass_between(_Integrand(*moved, "p" if mode == "p" else "q"), a, b)


def _beyond_log_q(f, start, sign, s, stop, known=None):
    r"""The part of the integral that replacing Q's overflowed log density by that of the smallest
    double left out, :math:`\int p\,(\log q_{tiny} - \log q)\,dx`, beyond the distance e^c where
    ``q.logpdf`` first fails (between ``s[stop - 1]`` and ``s[stop]``, found by bisection).

    :math:`h(s) = e^s p\,(-\log q)` is extrapolated from ``s[stop - 3 .. stop - 1]`` as
    :math:`h(s) = h_1 e^{-r (s - s_1)}` (exact for a power-law P against a Q whose log density
    is a power of the distance, such as a t against a normal), giving
    :math:`h_1 e^{-r (c - s_1)} / r - \log(q_{tiny})\,P(\text{beyond})`.
    Returns ``(rest, exact)`` as :func:`_open_end` does: ``inf`` when h does not decay,
    ``nan`` when it decays too slowly (rate <= 0.01) and is not exactly exponential. ``known``:
    the rate r read from the families' parameters (:func:`_exact_tail_rate`), used as it is.
    """
    def log_h(k):
        lp, lq = f.log_densities(start + sign * math.exp(k))
        return k + lp + math.log(-lq) if math.isfinite(lp) and lq < 0 else math.nan

    s3 = [float(s[stop - 3]), float(s[stop - 2]), float(s[stop - 1])]
    logs = [log_h(k) for k in s3]
    if not all(math.isfinite(v) for v in logs):
        return math.nan, False
    rate, rate_1 = logs[1] - logs[2], logs[0] - logs[1]
    exact = rate > 0 and abs(rate - rate_1) <= 1e-9 * rate
    if known is not None:
        rate, exact = known, True
    if rate <= 0:
        return math.inf, False
    if rate <= 0.01 and not exact:
        return math.nan, False
    inside, outside = s3[2], float(s[stop])   # q.logpdf finite at inside, not at outside
    for _ in range(60):
        mid = 0.5 * (inside + outside)
        if math.isfinite(_logpdf(f.q, start + sign * math.exp(mid))):
            inside = mid
        else:
            outside = mid
    rest = math.exp(logs[2] - rate * (inside - s3[2])) / rate
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = start + sign * math.exp(inside)
        counted = -_LOG_TINY * float(f.p.sf(x) if sign > 0 else f.p.cdf(x))
    return max(rest - counted, 0.0), exact


#: Q's tail probabilities tried, widest window first, for the window around Q's median
_WINDOW_TAILS = (1e-15, 1e-12, 1e-9, 1e-6, 1e-4)
#: the window is used when its width is below this fraction of its distance from where the
#: integration measures distances (P's median, or P's finite endpoints)
_WINDOW_RATIO = 0.1


def _q_window(p, q, lo, hi, middle):
    """Where Q is narrow and far from the origins of the integration: ``(c, (p_c, q_c), va, vb)``,
    with P and Q shifted by c = Q's median, and Q's quantiles at ``va`` and ``vb`` (of tail
    probability 1e-15, or down to 1e-4 for heavier tails: a Cauchy of scale 1e-6 at 100 is
    windowed over +-3e3 of its scales, its tails beyond left to the main integration) in the
    shifted coordinates; else None.

    The integration measures distances from P's median or endpoints, and integrates far from
    them in the logarithm of the distance, whose rounding moves a node by about 1e-16 of that
    distance: N(1000, 1e-3) against P = N(0, 1) has its density sampled at points off by 1e-10
    of its standard deviation, which loses 1e-10 of its mass. Between ``c + va`` and ``c + vb``
    the integrand is instead integrated linearly in ``v = x - c`` with both distributions moved
    by -c (KL does not change under x -> x - c), where doubles resolve Q to 1e-16 of its scale.
    Used when that range lies strictly inside P's support and is narrower than
    ``_WINDOW_RATIO`` times its distance from P's median and from P's finite endpoints.
    """
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            c = float(q.median())
            if not (math.isfinite(c) and lo < c < hi):
                return None
            moved = _shifted(p, q, c)
            if moved is None:
                return None
            q_c = moved[1]
            distance = min(abs(c - e) for e in (middle, lo, hi) if math.isfinite(e))
            for tail in _WINDOW_TAILS:
                va, vb = float(q_c.ppf(tail)), float(q_c.isf(tail))
                if not (math.isfinite(va) and math.isfinite(vb) and va < 0 < vb):
                    continue
                if vb - va < _WINDOW_RATIO * distance and lo < c + va and c + vb < hi:
                    return c, moved, va, vb
        except Exception:      # a user's distribution whose quantiles fail: no window
            return None
    return None


def _jitter(values):
    """The rounding noise of a smooth sequence sampled at nearly equal x: the standard deviation
    of its second differences over sqrt 6 (scaled before np.std squares them: second differences
    of 1e184, for norm(0, 1e-100) as Q, would overflow to an infinite noise)."""
    second = np.diff(values, 2)
    if not np.all(np.isfinite(second)):
        return math.nan
    top = float(np.max(np.abs(second)))
    return top * float(np.std(second / top)) / math.sqrt(6) if top > 0 else 0.0


def _log_ratio_noise(p, q, lo, hi):
    """The rounding noise of L = p.logpdf - q.logpdf: its jitter between a dozen nearly equal x,
    and which of P's and Q's log densities it comes from.

    At five quantiles of P, L is evaluated on 12 points spaced 1e-9 of the local
    scale (the interquartile range, or the distance to an endpoint if smaller, or Q's
    local scale, the larger of its interquartile range and the distance to its median,
    if smaller still: a Cauchy Q of scale 1e-6 bends L by 1e-6 of its second difference
    across points spaced 1e-9 of P's scale, which is no rounding);
    the smooth part of L hardly changes there, so the standard deviation of
    its second differences (divided by sqrt 6) measures the rounding of the two
    log densities (scipy forms a beta or gamma logpdf from terms of size
    shape * log x that cancel). Returns ``(noise, sources)``: noise 0.0 where it cannot
    be measured, or where it is within 100 times the rounding of the log densities' own
    size (the ordinary rounding that the accuracy for nearly equal P and Q describes);
    ``sources`` the distributions ("P", "Q") whose own log density jitters by at least
    half of that.
    """
    noise, size, own = 0.0, 1.0, {"P": 0.0, "Q": 0.0}
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            iqr = float(p.ppf(0.75)) - float(p.ppf(0.25))
            q_median, q_iqr = float(q.median()), float(q.ppf(0.75)) - float(q.ppf(0.25))
            for u in (0.1, 0.25, 0.5, 0.75, 0.9):
                x0 = float(p.ppf(u))
                room = min(iqr, x0 - lo, hi - x0)
                q_scale = max(q_iqr, abs(x0 - q_median))
                if q_scale > 0:      # (NaN for a Q whose quantiles fail: P's scale alone)
                    room = min(room, q_scale)
                if not (math.isfinite(x0) and math.isfinite(room) and room * 1e-9 >= 64 * math.ulp(x0)):
                    continue        # (next to an endpoint that floats barely resolve: the integral avoids it)
                # (on two sets of 12 points, the second beyond the first, keeping the smaller
                # jitter: a kink such as laplace(5e-9, 1)'s at its loc, inside one set, bends L
                # there by far more than rounding, and is not rounding)
                measured = []
                for first in (0, 12):
                    x = x0 + room * 1e-9 * np.arange(first, first + 12)
                    lp, lq = np.asarray(p.logpdf(x), dtype=float), np.asarray(q.logpdf(x), dtype=float)
                    jitter = _jitter(lp - lq)
                    if math.isfinite(jitter):
                        measured.append((jitter, lp, lq))
                # (both sets, or none: a log density infinite inside the first, at a singular point
                # such as dweibull(1.5)'s centre, bends L in the second by far more than rounding)
                if len(measured) == 2:
                    jitter, lp, lq = min(measured, key=lambda m: m[0])
                    noise = max(noise, jitter)
                    size = max(size, float(np.max(np.abs(lp))), float(np.max(np.abs(lq))))
                    for name, values in (("P", lp), ("Q", lq)):
                        own[name] = max(own[name], _jitter(values))
        except (ValueError, ArithmeticError):
            return 0.0, ()
    if not noise > 100 * np.finfo(float).eps * size:
        return 0.0, ()
    return noise, tuple(name for name in ("P", "Q") if own[name] >= 0.5 * noise)


def _noise_source(p, q, sources):
    """Words for the warning about rounded log densities: whose, and why (large shapes are
    named only where a scipy family has a shape parameter of 1000 or more)."""
    labels, large = [], False
    for name in sources or ("P", "Q"):
        dist = p if name == "P" else q
        parts, family = _parts(dist), _is_family(dist)
        if family is not None and parts is not None:
            _, shapes, loc, scale = parts
            args = [f"{v:.10g}" for v in shapes] + ([f"loc={loc:.10g}"] if loc != 0 else []) \
                + ([f"scale={scale:.10g}"] if scale != 1 else [])
            labels.append(f"{name} = scipy.stats.{family}({', '.join(args)})")
            large = large or bool(parts[1]) and max(map(abs, parts[1])) >= 1e3
        else:
            labels.append(name)
    subject = (f"the log density of {labels[0]} is" if len(labels) == 1 else
               f"the log densities of {' and '.join(labels)} are")
    why = ("scipy forms a log density with large shape parameters from terms of size "
           "shape * log x that cancel" if large else "scipy's formulas round")
    return f"{subject} rounded by about {{noise:.2g}} nats ({why}; measured as the jitter of " \
           f"log p - log q between nearly equal x)"


#: measured: the relative error of continuous_kl stayed below this many times (noise of L) / sqrt(D)
_NOISE_FACTOR = 500.0
#: measured: for nearly equal P and Q the relative error stayed below this / sqrt(D) (see the docstring)
_NEARLY_EQUAL = 3e-16


def _logpdf_offset(dist):
    """(mean, spread) of ``logpdf - log(pdf)`` at seven quantiles of ``dist``, or None where the
    pdf there is not a positive normal double or the quantiles fail.

    scipy computes some log densities by another formula than the density itself, and the two
    can differ by a near-constant. Which of the two is right depends on the family: scipy's
    beta(1e5, 3e5).logpdf exceeds log(pdf) by 3.2e-10 to 3.5e-10 and beta(10, 1e7).logpdf falls
    short by 7.0e-9, where log(pdf) is right to 1e-13 (checked in mpmath); truncpareto(1e-9,
    3).logpdf is right to 2e-15 and log(pdf) 2.2e-8 off. A constant offset d of P's log density
    moves the computed D(P||Q) to about D (1 + d) + d^2 / 2 (of Q's: D + d^2 / 2); see
    :func:`_correction` for what is taken off, and :func:`_offset_effect` for what is reported.
    """
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tails = np.array([1e-6, 1e-3, 0.1, 0.5])
            x = np.unique(np.concatenate([dist.ppf(tails), dist.isf(tails[:3])]))
            x = np.array([float(v) for v in x if math.isfinite(v)])
            if len(x) < 3:
                return None
            pdf = np.asarray(dist.pdf(x), dtype=float)
            if not np.all(np.isfinite(pdf) & (pdf >= sys.float_info.min)):
                return None
            d = np.array([_logpdf(dist, float(v)) for v in x]) - np.log(pdf)
        except Exception:      # a user's distribution whose quantiles or densities fail
            return None
    if not np.all(np.isfinite(d)):
        return None
    return float(np.mean(d)), float(np.max(d) - np.min(d))


#: the largest spread over the quantiles of a beta's logpdf - log(pdf) that is still taken off as
#: a constant (beta(1e8, 1e8): 3e-8, the rounding of its logpdf; beyond, the offset is reported)
_MAX_SPREAD = 1e-6


def _correction(dist):
    """``(d, spread)`` to take off ``dist``'s log density, else ``(0.0, 0.0)``.

    Only for scipy's beta, whose logpdf (formed with ``betaln``) is the side that is off: its
    log(pdf) is right to about 3e-12 for shapes up to 1e8 (checked in mpmath), so the mean offset
    ``d`` of logpdf from log(pdf) at seven quantiles is taken off where it exceeds rounding
    (1e-13) and varies by at most ``_MAX_SPREAD``. Elsewhere either side may be the wrong one
    (scipy's truncpareto with a small shape: log(pdf) is), so nothing is taken off and
    :func:`_offset_effect` reports what the offset could do."""
    if _is_family(dist) != "beta":
        return 0.0, 0.0
    offset = _logpdf_offset(dist)
    if offset is None or not (abs(offset[0]) > 1e-13 and offset[1] <= _MAX_SPREAD):
        return 0.0, 0.0
    return offset


def _offset_effect(total, spread_p, spread_q, const_p, const_q):
    """Bound on the relative change of D(P||Q) = ``total`` from log densities off by ``v(x)``
    (P's) and ``w(x)`` (Q's): ``|v| <= spread_p + const_p``, ``|w| <= spread_q + const_q``, of
    which ``const_p`` and ``const_q`` are constant.

    With ``p -> p e^v``, ``L -> L + v`` the integrand ``p (L + e^{-L} - 1)`` changes by
    ``p (e^v - 1) L + p (v e^v - e^v + 1)``, whose integral is ``c D + c^2 / 2`` for a constant
    ``v = c`` and at most ``s (1 + s) E_P|L| + s^2`` for ``|v| <= s``, with
    ``E_P|L| <= D + sqrt(2 D)`` (``-L <= e^{-L} - 1`` where ``L < 0`` and Pinsker's inequality).
    With ``q -> q e^w``, ``L -> L - w`` it changes by ``(q - p) w + q (e^w - 1 - w)``: ``c^2 / 2``
    for a constant, at most ``s (1 + s) min(2, sqrt(2 D)) + s^2`` otherwise.

    >>> _offset_effect(1.0, 0.0, 0.0, 1e-7, 0.0) < 1.1e-7
    True
    """
    if not total > 0:
        return 0.0
    lp, lq = total + math.sqrt(2 * total), min(2.0, math.sqrt(2 * total))
    change = (abs(const_p) * (1 + abs(const_p)) * total + const_p ** 2 + const_q ** 2
              + spread_p * (1 + spread_p) * lp + spread_p ** 2
              + spread_q * (1 + spread_q) * lq + spread_q ** 2)
    return change / total


def _is_family(dist):
    """The scipy.stats family name of a frozen distribution that is one (not a subclass or a
    user's distribution, such as a mixture), else None."""
    parts = _parts(dist)
    if parts is None:
        return None
    name = str(getattr(parts[0], "name", ""))
    known = _scipy_family(name)
    return name if known is not None and type(parts[0]) is type(known) else None


def _closed_form(p, q):
    """Advice naming klteach's closed form for P and Q, where there is one."""
    families = (_is_family(p), _is_family(q))
    if families == ("norm", "norm"):
        return "compute D(P||Q) in closed form with klteach.gaussian_kl (two normals)"
    if families == ("beta", "beta"):
        return "compute D(P||Q) in closed form with klteach.beta_kl (two Betas)"
    if families == ("lognorm", "lognorm") and all(_parts(d)[2] == 0 for d in (p, q)):
        return ("compute D(P||Q) in closed form: KL does not change under x -> log x, which makes "
                "two log-normals lognorm(s, scale=c) the normals N(log c, s^2), so "
                "klteach.gaussian_kl of those two normals")
    return "compute D(P||Q) in closed form if one exists (klteach.gaussian_kl for two normals, " \
           "klteach.beta_kl for two Betas)"


def _singular_centre(q):
    """The cause a refusal names for a dweibull or dgamma Q of shape below 1."""
    return (f"Q's density is singular at its centre ({_is_family(q)} with shape {_parts(q)[1][0]:.3g} "
            f"< 1: infinite at its loc)")


def _mass_cause(name, p, q, middle, excess, offset=None, window=False):
    """The end of the mass check's refusal: the likely cause first, then what to do instead.

    ``offset`` is :func:`_logpdf_offset` of the distribution checked. Splitting into components
    is advised only for a distribution that is not a scipy family (a mixture written as a custom
    distribution); for a family, the closed form is named. ``window``: Q's middle was integrated
    around its own median (:func:`_q_window`), so neither its distance from P's median nor its
    narrowness against P explains a miss of Q's mass."""
    dist = p if name == "P" else q
    advice = _closed_form(p, q)
    if offset is not None and abs(offset[0]) + offset[1] > _MASS_TOL:
        d, spread = offset
        if d == 0:   # its mean offset taken off (a beta): what is left varies over the quantiles
            return (f": {name}'s logpdf, with its mean offset from log({name}'s pdf) taken off, still "
                    f"differs from it by up to {spread / 2:.2g} either way over its quantiles (scipy "
                    f"forms them by different formulas, which round differently for large shape "
                    f"parameters), so exp(logpdf), which the integral uses, does not integrate to "
                    f"{name}'s probability to the 1e-10 needed, and D(P||Q) cannot be checked. "
                    f"{advice[0].upper()}{advice[1:]}.")
        # (digits enough to show the spread: beta(1e8, 1e5) is off by -2.3e-7 to within 1e-10)
        digits = max(2, min(17, 2 + math.ceil(math.log10(abs(d) / spread)))) if spread > 0 else 2
        return (f": {name}'s logpdf differs from log({name}'s pdf) by {d - spread / 2:.{digits}g} to "
                f"{d + spread / 2:.{digits}g} (a spread of {spread:.2g}) over its quantiles (scipy "
                f"forms them by different formulas, which round differently for large shape "
                f"parameters), so exp(logpdf), which the "
                f"integral uses, does not integrate to {name}'s probability to the 1e-10 needed, "
                f"and D(P||Q) cannot be checked. {advice[0].upper()}{advice[1:]}.")
    if _is_family(dist) is None:
        advice = (f"split {name} into its components and compute the divergence by other means "
                  f"(a closed form, or integrate around each narrow component), or check that "
                  f"{name}'s pdf and cdf agree; or " + advice)
    else:
        advice = f"{advice}, or check that {name}'s pdf and cdf agree"
    try:
        first, third = float(q.ppf(0.25)), float(q.ppf(0.75))
        p_width = float(p.ppf(0.75)) - float(p.ppf(0.25))
    except Exception:       # a user's distribution whose quantiles fail: no diagnosis
        first = third = p_width = math.nan
    parts = _parts(dist)
    large = [v for v in (parts[1] if parts is not None and _is_family(dist) is not None else ())
             if abs(v) >= 1e6]     # (a scipy family's shapes: a user's mixture may take any arguments)
    # gamma(1e8).logpdf is rounded by up to 2.5e-7 nats (a difference of terms of 1e9)
    large_cause = (f": {name}'s log density is rounded by scipy's formula for its large shape "
                   f"parameter ({large[0]:.3g}: a difference of terms of about that size loses "
                   f"digits), so its density does not integrate to its probability to the 1e-10 "
                   f"needed, and the integral would be wrong. {advice[0].upper()}{advice[1:]}."
                   if large else "")
    if name == "Q" and window:
        family = _is_family(q)
        loc_moved = parts[2] - float(q.median()) if parts is not None else 0.0
        if math.isfinite(third - first) and math.ulp(loc_moved) > 1e-11 * (third - first):
            # lognorm(1e-9, scale=1e3), moved by its median, is lognorm(1e-9, loc=-1e3, scale=1e3)
            cause = (f"Q's loc is {-loc_moved:.6g} away from its median, so scipy, which forms "
                     f"x - loc, rounds every point by up to {math.ulp(loc_moved):.1g}, "
                     f"{math.ulp(loc_moved) / (third - first):.1g} of Q's interquartile range "
                     f"({third - first:.3g}), even around Q's median, too coarsely to integrate "
                     f"Q's density to 1e-10")
        elif large:
            return large_cause
        elif family in ("dweibull", "dgamma") and parts[1][0] < 1:
            cause = _singular_centre(q) + ", which the integration, linear around Q's median, does not follow"
        else:
            cause = ("Q's log density, integrated around Q's own median, does not integrate to Q's "
                     "probability: it is rounded (scipy's formulas lose digits for large shape "
                     "parameters) or inconsistent with Q's cdf")
        return f": {cause}, and the integral would be wrong. {advice[0].upper()}{advice[1:]}."
    if name == "Q" and _is_family(q) in ("dweibull", "dgamma") and parts[1][0] < 1:
        return (f": {_singular_centre(q)}, which the integration does not follow to the 1e-10 needed, "
                f"and the integral would be wrong. {advice[0].upper()}{advice[1:]}.")
    if name == "Q":
        far = max(abs(first - middle), abs(third - middle))
        if math.isfinite(far) and third - first < 1e-7 * far:
            return (f": Q's middle half ({first:.6g} to {third:.6g}) lies {far:.3g} from P's "
                    f"median, where the integration points, placed by their distance from it, "
                    f"are rounded (doubles there are {math.ulp(far):.1g} apart), too coarsely "
                    f"to integrate Q's density to 1e-10, so the integral cannot be checked. "
                    f"For P and Q this far apart, {advice}.")
        if not excess and math.isfinite(p_width) and 0 < third - first < 1e-2 * p_width:
            return (f": Q is much narrower than P (interquartile range {third - first:.3g} against "
                    f"P's {p_width:.3g}), so its mass lies between integration points placed "
                    f"for P and is not integrated to 1e-10, and the integral would be wrong. "
                    f"{advice[0].upper()}{advice[1:]}.")
    if large:
        return large_cause
    if excess:
        return (f": {name}'s density, as integrated, comes to more than its probability: the density "
                f"is rounded or inconsistent with its cdf, or the integration points follow it too "
                f"coarsely, and the integral would be wrong. {advice[0].upper()}{advice[1:]}.")
    return (f", so part of {name}'s mass (a component narrower than the spacing of the "
            f"integration points, a tail falling off between them, or a density inconsistent "
            f"with its cdf) was missed and the integral would be wrong. "
            f"{advice[0].upper()}{advice[1:]}.")


#: P's quantiles at which Q's log density is checked for overflow (:func:`_refuse_q_below_doubles`)
_BULK = (1e-3, 0.25, 0.5, 0.75, 1 - 1e-3)


# Q families whose -log q grows as e^(|x - loc| / scale) on one side: (that side, factor)
_DOUBLY_EXPONENTIAL = {"gumbel_r": -1, "gumbel_l": +1, "moyal": -1}
# P families whose density falls as e^(-|x - loc| / (k scale)) far out: the sides where it does
# (a gamma's x^(a - 1) e^(-x / scale) too: at scale_p = s its x^(a - 1) still makes E_P[e^(x / s)] infinite)
_EXPONENTIAL_TAILS = {"laplace": (-1, +1), "logistic": (-1, +1), "hypsecant": (-1, +1), "expon": (+1,),
                      "gumbel_r": (+1,), "gumbel_l": (-1,), "gamma": (+1,), "erlang": (+1,), "chi2": (+1,)}
# ... and k where it is not 1: chi2(df, scale=s) is gamma(df / 2, scale=2 s)
_TAIL_SCALE_FACTOR = {"chi2": 2.0}


class HistogramEdgeWarning(UserWarning):
    """:func:`continuous_kl` of two ``rv_histogram`` distributions changes by more than 1e-6 of the larger value
    when Q's edges that lie within rounding of P's are moved onto them (one histogram rebuilt in other units): the
    value returned is exact for the edges as given, and the warning gives the other.

    Silence it with ``warnings.simplefilter("ignore", klteach.HistogramEdgeWarning)``."""


def _is_histogram(dist) -> bool:
    """Whether ``dist`` is a frozen scipy ``rv_histogram`` (by class name: scipy.stats is not imported here)."""
    hist = getattr(dist, "dist", None)
    return (any(c.__name__ == "rv_histogram" for c in type(hist).__mro__)
            and hasattr(hist, "_hpdf") and hasattr(hist, "_hbins"))


def _histogram_bins(dist):
    """A frozen scipy ``rv_histogram``'s bin densities and edges (loc and scale applied), else None."""
    hist = getattr(dist, "dist", None)
    if not _is_histogram(dist):
        return None
    _, loc, scale = hist._parse_args(*dist.args, **dist.kwds)
    # (_hpdf pads a 0 at each end)
    return np.asarray(hist._hpdf, dtype=float)[1:-1], loc + scale * np.asarray(hist._hbins, dtype=float)


def _histogram_span(dist, lo, hi):
    """``(lo, hi)`` narrowed, for an ``rv_histogram``, to its non-empty bins: scipy's support keeps
    empty end bins, where the density is 0 (a P on [1, 2] read as [0, 3] made D(P||U(1, 2)) inf)."""
    bins = _histogram_bins(dist)
    full = np.flatnonzero(bins[0] > 0) if bins is not None else np.array([])
    if full.size == 0:
        return lo, hi
    return max(lo, float(bins[1][full[0]])), min(hi, float(bins[1][full[-1] + 1]))


def _histograms_kl(p, q, base=None):
    """D(P||Q) in nats when P and Q are both scipy ``rv_histogram`` distributions, else None.

    Read from the histograms as given (their counts, or densities with ``density=True``, and
    edges, exactly: scipy's own densities are rounded), with Q's edges placed exactly where
    ``loc + scale * edge`` puts them, in P's coordinates (KL is unchanged by a shift and scale
    of both; loc = 1e6 would round a 1e-12 bin away): :func:`_pieces_kl`.

    Where Q's edges lie within rounding of P's (:func:`_edge_rounding`: one histogram in two
    units, 0.7 + 0.1 * fl((x - 0.7) / 0.1) against x), D is computed again with those edges
    moved onto P's, and a warning gives both values when they differ by more than 1e-6 of the
    larger (the value returned is exact for the edges as given).
    """
    parts = []
    for name, dist in (("p", p), ("q", q)):
        hist = getattr(dist, "dist", None)
        if not _is_histogram(dist):
            return None
        parts.append(_histogram_parts(name, dist, hist))
    (mass_p, ep, loc_p, scale_p), (mass_q, eq, loc_q, scale_q) = parts
    move = (loc_p, scale_p, loc_q, scale_q)
    shift = (Fraction(loc_q) - Fraction(loc_p)) / Fraction(scale_p)
    ratio = Fraction(scale_q) / Fraction(scale_p)
    placed = [shift + ratio * Fraction(y) for y in eq.tolist()]
    total = _pieces_kl(mass_p, ep, mass_q, placed)
    # Q's edges within rounding of one of P's, moved onto it (unless that closes a bin of Q's)
    edges_p = [Fraction(e) for e in ep.tolist()]
    snapped = list(placed)
    for j, x in enumerate(placed):
        k = bisect.bisect_left(edges_p, x)
        i = min(range(max(k - 1, 0), min(k + 1, len(edges_p))), key=lambda i: abs(edges_p[i] - x))
        near = edges_p[i]
        if 0 < abs(near - x) <= _edge_rounding(near, edges_p[max(i - 1, 0):i + 2], move) \
                and (j == 0 or snapped[j - 1] < near) and (j + 1 == len(placed) or near < placed[j + 1]):
            snapped[j] = near
    moved = [j for j in range(len(placed)) if snapped[j] != placed[j]]
    if moved:
        other = _pieces_kl(mass_p, ep, mass_q, snapped)
        if math.isinf(other) != math.isinf(total) or abs(other - total) > 1e-6 * max(total, other):
            j = moved[0]
            per, unit = log_base(base), unit_name(base)
            gap = _decimal(abs(placed[j] - snapped[j]) * Fraction(scale_p), 3)
            warnings.warn(
                f"continuous_kl: D(P||Q) = {total / per:.6g} {unit} for the edges as given, but {other / per:.6g} "
                f"with {len(moved)} of q's edges moved onto p's edges, which they lie within rounding of (e.g. q's "
                f"edge {gap} from p's at x = {_decimal(Fraction(loc_p) + Fraction(scale_p) * snapped[j], 17)}, as "
                f"loc + scale * edge places them, exactly; edges further apart are left where they are). If they are "
                f"meant to be one edge (one histogram in two units, or edges computed twice), build both histograms "
                f"on the same edges with the same loc and scale; if the gap is meant (independent histograms at a "
                f"large loc, say), the value stands.",
                HistogramEdgeWarning, stacklevel=4)
    return total


def _pieces_kl(mass_p, ep, mass_q, placed):
    """D(P||Q) in nats for P's bin masses ``mass_p`` on edges ``ep`` and Q's ``mass_q`` on ``placed``
    (exact fractions, in P's coordinates).

    Both densities are constant between the merged edges, so D is the sum over those pieces inside
    P's range of ``a (t - log1p t)`` (:func:`_gap_terms`), ``a`` and ``b`` P's and Q's probabilities
    of the piece and ``t = q / p - 1`` there, each formed exactly and rounded once (nearly identical
    histograms keep their digits, and one histogram in two units whose edges map exactly gives 0; a
    probability below 2**-1000 is scaled up by 2**1100 exactly first, and a ratio beyond 2**900 either
    way takes its log from the exact fraction, :func:`_log_fraction`), plus Q's probability where P's
    is 0 (in P's empty bins and beyond its range).
    """
    edges_p = [Fraction(e) for e in ep.tolist()]
    lo, hi = edges_p[0], edges_p[-1]
    total_p, total_q = sum(mass_p), sum(mass_q)
    dens_p = [m / total_p / (b - a) for m, a, b in zip(mass_p, edges_p, edges_p[1:])]
    dens_q = [m / total_q / (b - a) for m, a, b in zip(mass_q, placed, placed[1:])]
    # the cuts inside P's range: P's edges and Q's, merged
    cuts = sorted(set(edges_p) | {x for x in placed if lo < x < hi})
    fp = [dens_p[bisect.bisect_right(edges_p, c) - 1] for c in cuts[:-1]]
    fq = [dens_q[j] if 0 <= (j := bisect.bisect_right(placed, c) - 1) < len(dens_q) else Fraction(0)
          for c in cuts[:-1]]
    if any(x > 0 and y == 0 for x, y in zip(fp, fq)):
        return math.inf
    widths = [b - a for a, b in zip(cuts, cuts[1:])]
    ratios = [y / x if x > 0 else None for x, y in zip(fp, fq)]
    mass = [(fp[k] * widths[k], fq[k] * widths[k]) for k in range(len(fp))]
    tame = [k for k, r in enumerate(ratios)
            if r is not None and _TAME_LOW < r < _TAME_HIGH and min(mass[k]) >= _TINY_MASS]
    a = np.array([float(mass[k][0]) for k in tame])
    b = np.array([float(mass[k][1]) for k in tame])     # (not a (1 + t): t near -1 loses it)
    t = np.array([float(ratios[k] - 1) for k in tame])
    with np.errstate(all="ignore"):
        terms = list(_fix_nan(_gap_terms(a, b, t), a, b))
    # a probability below 2**-1000 (whose double would lose digits, or be 0) with a ratio inside 2**+-900: the
    # same with both probabilities scaled by 2**1100 exactly, the term scaled back
    small = [k for k, r in enumerate(ratios)
             if r is not None and _TAME_LOW < r < _TAME_HIGH and min(mass[k]) < _TINY_MASS]
    if small:
        a, b = (np.array([float(mass[k][i] * _UP) for k in small]) for i in (0, 1))
        t = np.array([float(ratios[k] - 1) for k in small])
        with np.errstate(all="ignore"):
            scaled = _fix_nan(_gap_terms(a, b, t), a, b)
        # (one still below the doubles' normal range: the form that needs no quotient of them)
        terms += [_log_ratio_term(*mass[k], ratios[k]) if min(x, y) < sys.float_info.min else
                  math.ldexp(v, -_UP_BITS) for k, x, y, v in zip(small, a, b, scaled)]
    # a ratio q / p beyond 2**+-900 (scales 1e-160 against 1e160)
    terms += [_log_ratio_term(*mass[k], r)
              for k, r in enumerate(ratios) if r is not None and not _TAME_LOW < r < _TAME_HIGH]
    terms += [float(y * w) for x, y, w in zip(fp, fq, widths) if x == 0 and y > 0]
    terms += [float(d * (max(min(y, lo) - x, 0) + max(y - max(x, hi), 0)))      # beyond P's range
              for d, x, y in zip(dens_q, placed, placed[1:]) if x < lo or y > hi]
    return max(math.fsum(terms), 0.0)


def _log_ratio_term(a, b, r):
    """A piece's term ``(b - a) - a log(r)`` for its exact probabilities ``a`` (P's), ``b`` (Q's) and ratio
    ``r = b / a`` of any size: the log from the fraction's integers (:func:`_log_fraction`), no quotient of rounded
    floats; with both probabilities below 2**-1000 (a subnormal ``a`` would lose digits), scaled by 2**1100 exactly
    first and the term scaled back."""
    if max(a, b) < _TINY_MASS:
        return math.ldexp(float((b - a) * _UP) - float(a * _UP) * _log_fraction(r), -_UP_BITS)
    return float(b - a) - float(a) * _log_fraction(r)


# ratios q / p whose floats keep every digit (and whose t and masses do not overflow)
_TAME_LOW, _TAME_HIGH = Fraction(2) ** -900, Fraction(2) ** 900
_TINY_MASS = Fraction(2) ** -1000          # (probabilities whose doubles keep every digit)
_UP_BITS = 1100
_UP = Fraction(2) ** _UP_BITS               # (tinier ones scaled up by this, exactly)


def _exact(x):
    """The finite real number ``x`` (an int, a float or numpy scalar of any width, a Fraction, a Decimal) as an
    exact fraction."""
    if isinstance(x, (np.floating, float, decimal.Decimal)):
        return Fraction(*x.as_integer_ratio())
    if isinstance(x, np.integer):
        return Fraction(int(x))
    return Fraction(x)


def _check_unchanged(name, hist, masses):
    """Refuse an ``rv_histogram`` whose counts or edges array was changed after scipy read it: scipy keeps its
    own densities (``_hpdf``), support and widths, but holds the edges array itself, so the arrays it was
    given no longer describe it; and one whose integer edges lie so far apart that scipy's widths overflowed."""
    widths = np.asarray(hist._hbin_widths)
    if widths.dtype.kind in "iu" and np.any(widths <= 0):
        raise DistributionError(
            f"{name} is an rv_histogram whose integer edges lie 2**63 or more apart, so scipy's bin widths, computed "
            f"in integers, overflowed: give the edges as floats (edges.astype(float)).")
    with np.errstate(all="ignore"):
        moved = not (hist.a == hist._hbins[0] and hist.b == hist._hbins[-1]
                     and np.array_equal(widths, np.diff(np.asarray(hist._hbins))))
    if moved:
        raise DistributionError(
            f"{name} is an rv_histogram whose edges array was changed after rv_histogram(...) read it (scipy "
            f"keeps its support and widths from before): build each histogram from its own arrays, e.g. "
            f"rv_histogram((counts, edges.copy())).")
    total = sum(masses)
    with np.errstate(all="ignore"):
        density = np.asarray(hist._hpdf, dtype=float)[1:-1]
        held = density * np.asarray(widths, dtype=float)
        read = np.array([float(m / total) for m in masses])
        # (scipy computes in the dtypes it was given: float32 widths too; subnormal densities lose digits)
        kinds = [np.asarray(a).dtype for a in (hist._histogram[0], widths, hist._hpdf)]
        rtol = max([1e-9] + [1e3 * float(np.finfo(k).eps) for k in kinds if k.kind == "f"])
        # (a count, or count / width, below the normal doubles was rounded by scipy before it normalised: 5e-324
        # on unequal widths holds 0.47 for 0.5)
        given = np.abs(np.asarray(hist._histogram[0], dtype=float))
        rounded = (given < sys.float_info.min) | (given / np.asarray(widths, dtype=float) < sys.float_info.min)
        ok = ~np.isfinite(held) | (density < sys.float_info.min) | rounded | (held < 1e-300) \
            | np.isclose(held / np.sum(held), read, rtol=rtol, atol=0)
        whole = np.sum(held)
    if np.isfinite(whole) and whole > 0 and not np.all(ok):
        i = int(np.flatnonzero(~ok)[0])
        raise DistributionError(
            f"{name} is an rv_histogram whose counts array no longer matches it (bin {i}: scipy holds probability "
            f"{held[i] / whole:.6g}, the array now gives {read[i]:.6g}): the array was changed after "
            f"rv_histogram(...) read it. Build each histogram from its own array, e.g. rv_histogram((counts.copy(), "
            f"edges)).")


def _decimal(x, digits):
    """A fraction of any size to ``digits`` significant figures, as ``format(float, f".{digits}g")`` would show
    it (a float would overflow)."""
    with decimal.localcontext() as ctx:
        ctx.prec = digits + 2
        return format(decimal.Decimal(x.numerator) / decimal.Decimal(x.denominator), f".{digits}g")


def _log_fraction(x):
    """The natural log of a positive fraction of any size, to within a few eps relative: ``log1p`` near 1,
    else ``log(x / 2**k) + k log 2`` with ``x / 2**k`` in [0.5, 2]."""
    if abs(x - 1) < Fraction(1, 2):
        return math.log1p(float(x - 1))
    k = x.numerator.bit_length() - x.denominator.bit_length()
    return math.log(float(x / Fraction(2) ** k)) + k * math.log(2)


def _histogram_parts(name, dist, hist):
    """A frozen ``rv_histogram``'s bin masses (exact fractions: counts, or density times the exact width
    for a histogram of densities, as scipy reads it), edges (floats), loc and scale; clear errors for
    histograms scipy accepts but that hold no distribution."""
    _, loc, scale = hist._parse_args(*dist.args, **dist.kwds)
    if np.size(loc) != 1 or np.size(scale) != 1:
        raise DistributionError(
            f"{name} is an rv_histogram frozen with loc={loc!r}, scale={scale!r}, a batch of "
            f"{max(np.size(loc), np.size(scale))} distributions; continuous_kl compares one distribution "
            f"with one other: freeze one distribution at a time.")
    raw = {"loc": np.squeeze(loc)[()], "scale": np.squeeze(scale)[()]}
    for what, value in raw.items():
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number, decimal.Decimal)) \
                or isinstance(value, np.complexfloating):
            raise DistributionError(f"{name} is an rv_histogram frozen with {what}={value!r}: {what} must be a real "
                                    f"number.")
        with np.errstate(all="ignore"):
            if math.isfinite(float(value)) and _exact(value) != Fraction(float(value)):
                raise DistributionError(
                    f"{name} is an rv_histogram frozen with {what}={value!r}, a number a float64 cannot hold "
                    f"exactly: continuous_kl reads loc and scale as float64, and the histogram would move. Give "
                    f"both histograms a common offset that a float holds (subtract it from the other's loc too), "
                    f"or compare in coarser units.")
    loc, scale = float(raw["loc"]), float(raw["scale"])
    if not (math.isfinite(loc) and math.isfinite(scale) and scale > 0):
        raise DistributionError(
            f"{name} is an rv_histogram frozen with loc={loc:g}, scale={scale:g}, invalid parameters (scipy "
            f"gives it a NaN or infinite support): loc must be finite, and scale finite and > 0.")
    with np.errstate(all="ignore"):
        edges = np.asarray(hist._hbins, dtype=float)
    given = np.asarray(hist._histogram[1])
    with np.errstate(all="ignore"):
        beyond = given.dtype.kind in "iu" and np.any(given.astype(float).astype(given.dtype) != given)
    if beyond:
        raise DistributionError(
            f"{name} is an rv_histogram whose integer edges (e.g. {given[np.argmax(np.abs(given))]}) are beyond "
            f"2**53, where a float cannot hold every integer: its edges would move. Subtract a common offset "
            f"(edges - edges[0]) and give it to scipy as loc, e.g. rv_histogram((counts, edges - edges[0]))"
            f"(loc=float(edges[0])), or compare in coarser units.")
    counts = np.asarray(hist._histogram[0])
    if counts.dtype.kind == "c" or given.dtype.kind == "c":
        raise DistributionError(
            f"{name} is an rv_histogram with complex {'counts' if counts.dtype.kind == 'c' else 'edges'}; a "
            f"histogram's counts and edges are real numbers: give their real parts (np.real) if that is what "
            f"they hold.")
    exact_edges = [Fraction(e) for e in given.tolist()] if given.dtype.kind in "iuO" else None
    if (exact_edges is not None and any(Fraction(float(e)) != e for e in exact_edges)) or \
            (given.dtype.kind == "f" and given.dtype.itemsize > 8 and np.any(given.astype(float) != given)):
        raise DistributionError(
            f"{name} is an rv_histogram whose edges do not all fit a float64 exactly (integers beyond 2**53, or "
            f"long double values): continuous_kl reads edges as float64, and these would move. Subtract a "
            f"common offset (edges - edges[0]) and give it to scipy as loc, e.g. rv_histogram((counts, edges - "
            f"edges[0]))(loc=float(edges[0])), or compare in coarser units.")
    with np.errstate(all="ignore"):
        as_float = counts.astype(float) if counts.dtype.kind in "fiub" else np.asarray(counts, dtype=float)
    bad = np.flatnonzero(~np.isfinite(as_float) | (as_float < 0))
    if bad.size:
        raise DistributionError(
            f"{name} is an rv_histogram whose bin {bad[0]} holds {float(as_float[bad[0]])!r}: counts (or "
            f"densities) must be finite and >= 0 (scipy does not check them); fix the histogram before "
            f"comparing it.")
    if not np.all(np.isfinite(edges)):
        raise DistributionError(f"{name} is an rv_histogram with an edge that is not finite "
                                f"({edges[~np.isfinite(edges)][0]!r}); its edges must be finite numbers.")
    with np.errstate(all="ignore"):
        step = np.diff(edges)
    if np.any(step < 0):
        raise DistributionError(
            f"{name} is an rv_histogram whose edges decrease (at {edges[:-1][step < 0][0]!r} then "
            f"{edges[1:][step < 0][0]!r}); give them in increasing order (reverse both the edges and the "
            f"counts).")
    if not np.all(step > 0):
        raise DistributionError(
            f"{name} is an rv_histogram with a bin of zero width (edges {edges[:-1][step <= 0][:3]}"
            f" repeat), where scipy's density is NaN; drop the repeated edges (np.unique(edges)) and "
            f"merge their counts into a neighbouring bin.")
    values = [_exact(c) for c in (counts.tolist() if counts.dtype.kind in "iuOb" else list(counts.ravel()))]
    widths = np.asarray(hist._hbin_widths)          # (scipy's test of equal widths, on its own widths)
    with np.errstate(all="ignore"):
        density = hist._density or (hist._density is None and not np.allclose(widths, widths[0]))
    if density:
        values = [v * (Fraction(b) - Fraction(a)) for v, a, b in zip(values, edges.tolist(), edges.tolist()[1:])]
    if not sum(values) > 0:
        raise DistributionError(
            f"{name} is an rv_histogram whose counts sum to {float(np.sum(as_float)):g}: they must add up to a "
            f"positive number.")
    _check_unchanged(name, hist, values)
    return values, edges, loc, scale


# How many roundings (:func:`_edge_rounding`) apart an edge of P's and one of Q's may lie and
# still be one edge meant twice: edges rebuilt in other units, (x - loc) / scale or
# (x - loc) * (1 / scale), placed back at loc + scale * edge, land up to 2.3 of them from x (at
# most 3: three roundings of |x - loc|), and up to 4.1 from each other when both histograms are
# rebuilt (at most 6); measured on 60,000 edges, loc -1e6 to 1.7e9, scale 1e-6 to 1e3
_EDGE_ROUNDING = 8


def _edge_rounding(edge, around, move):
    """How far (in P's coordinates, a fraction) an edge of Q's may lie from P's ``edge`` through rounding alone:
    ``_EDGE_ROUNDING`` roundings, each ``2**-53`` times the larger of ``|edge|`` and 10 widths of the
    narrower of its bins (among P's edges ``around`` it: an edge near 0 may be the rounding of a sum of
    numbers some bins away, 0.7 + 0.1 * -7 = -1.1e-16, while log-spaced edges keep their own scale and a
    catch-all bin to 1e17 does not widen its neighbours'), plus, for Q at another loc or scale, the shift
    between the locs and both locs in P's units (``loc + scale * edge`` as scipy places them). Rounding
    inside a computation that leaves no trace in the edges ((x + 1e6) - 1e6 moves x by up to 6e-11;
    widths added up by np.cumsum drift by 99 ulps at 1000 bins) is not seen."""
    size = max(abs(edge), 10 * min(b - a for a, b in zip(around, around[1:])))
    loc_p, scale_p, loc_q, scale_q = (Fraction(v) for v in move)
    if (loc_p, scale_p) != (loc_q, scale_q):
        size += (abs(loc_q - loc_p) + abs(loc_p) + abs(loc_q)) / scale_p
    return _EDGE_ROUNDING * size / 2 ** 53


def _histogram_gap(p, q):
    """Whether Q is a scipy ``rv_histogram`` with an empty bin where P has probability (then D = inf).

    Q's density is exactly 0 there, and a bin narrower than the integration resolves (1e-11
    of the range) would otherwise go unseen: uniform(0, 1) against such a Q gave 0.0823.
    """
    bins = _histogram_bins(q)
    if bins is None:
        return False
    empty = np.flatnonzero(bins[0] == 0)
    if empty.size == 0:
        return False
    a, b = bins[1][empty], bins[1][empty + 1]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bool(np.any((p.cdf(b) > p.cdf(a)) | (p.pdf(0.5 * a + 0.5 * b) > 0)))


def _diverges_in_the_tail(p, q):
    """Whether D(P||Q) = -H(P) + E_P[-log q] is infinite by the families' own forms, wherever Q is
    centred: P's density falls as |x|^-alpha far out and Q's -log q grows as |x|^beta with
    1 - alpha + beta >= 0 (a Cauchy P lacks the first moment a Laplace Q needs, a t(2) the second
    a normal Q needs); or -log q grows as e^(|x| / s) on a side where P's tail is a power law or
    falls no faster than e^(-|x| / s) (a Laplace of scale 1 against a left Gumbel of scale 0.9)."""
    names = _is_family(p), _is_family(q)
    if names[0] is None or names[1] is None:
        return False
    (_, shapes_p, _, scale_p), (_, shapes_q, _, scale_q) = _parts(p), _parts(q)
    # (every family in _TAIL_POWERS has its power tail towards +inf, and every one in _GROWTHS its
    # growth there, the side they share; a right Gumbel's or Moyal's left side is decided below)
    if names[0] in _TAIL_POWERS and names[1] in _GROWTHS and \
            1 - _TAIL_POWERS[names[0]](*shapes_p) + _GROWTHS[names[1]](*shapes_q) >= 0:
        return True
    if names[1] in _DOUBLY_EXPONENTIAL:
        side = _DOUBLY_EXPONENTIAL[names[1]]
        if names[0] in _TAIL_POWERS:
            return math.isfinite(_TAIL_POWERS[names[0]](*shapes_p)) and (side > 0 or names[0] in _SYMMETRIC)
        return side in _EXPONENTIAL_TAILS.get(names[0], ()) and \
            _TAIL_SCALE_FACTOR.get(names[0], 1.0) * scale_p >= scale_q
    return False


def _refuse_q_below_doubles(p, q, lo, hi):
    """Refuse, naming the cause, a Q whose log density is below the most negative double over P's bulk.

    Where ``q.logpdf`` is -inf at P's quantiles 0.001 to 0.999 (not a gap: Q's tail probabilities
    there are 0 as well, so its density cannot be had from them), -log q > 1.8e308 carries D(P||Q)
    = E_P[log p - log q] beyond the largest double (norm(0, 1) against norm(1e250, 1): D = 5e499).
    Such a pair was refused all the same (Q's log density underflowed where P has mass), but with a
    message about tails beyond 1e300. Where ``q.logpdf`` is scipy's log(pdf) (:func:`_log_of_pdf`),
    -inf means only that the pdf underflowed, and the refusal says so (gamma(2025, scale=1/45) against
    rice(3): D = 880.6)."""
    f = _Integrand(p, q)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            xs = [float(x) for x in p.ppf(_BULK)]
        except Exception:      # a user's distribution whose quantiles fail: nothing to check
            return
        for x in xs:
            if not lo < x < hi:
                return
            lq = _logpdf(q, x)
            if math.isnan(lq) or lq == -math.inf:
                lq = f._log_density_from_probability(q, x)
            if lq != -math.inf:
                return
    if _log_of_pdf(q):
        raise FloatingPointError(
            f"continuous_kl cannot compute D(P||Q): q.logpdf is -inf at P's quantiles 0.001 to "
            f"0.999 (x = {xs[0]:.6g} to {xs[-1]:.6g}, measured from P's endpoint or median), and "
            f"Q's tail probabilities there are 0 as well. {_log_of_pdf_cause(q)}: D(P||Q) may be "
            f"finite and well within doubles (gamma(2025, scale=1/45) against rice(3): 880.6), "
            f"and cannot be told from -inf. "
            f"{_LOG_OF_PDF_ADVICE}")
    raise FloatingPointError(
        f"continuous_kl cannot compute D(P||Q): q.logpdf is -inf (Q's log density below the most "
        f"negative double, -1.8e308) at P's quantiles 0.001 to 0.999 (x = {xs[0]:.6g} to "
        f"{xs[-1]:.6g}, measured from P's endpoint or median), and Q's tail probabilities there "
        f"are 0 as well. Wherever log q stays below -1.8e308 between them, D(P||Q) = E_P[log p - "
        f"log q] exceeds 0.998 times 1.8e308 (less P's entropy), at or beyond the largest double: "
        f"it cannot be returned as a float (norm(0, 1) against norm(1e250, 1) has D = 5e499). "
        f"Compute it, or its logarithm, in closed form with arbitrary precision (e.g. mpmath).")


def continuous_kl(p, q, *, base=None):
    r"""KL divergence D(P||Q) between continuous distributions, by numerical integration.

    .. math::

        D(P\|Q) = \int p(x) \log\frac{p(x)}{q(x)}\,dx
                = \int_{S_P} p(x)\left(L + e^{-L} - 1\right)dx + Q(\text{outside } S_P),
        \qquad L = \log p(x) - \log q(x)

    The second form integrates a non-negative function (``e^{-L} p = q``),
    so the integrand does not cancel when P and Q are close, and it is
    evaluated from log densities, so tails where the densities underflow
    still count. L itself, though, is the difference of two log densities
    that scipy rounds separately, so nearly equal P and Q keep fewer digits
    (see the accuracy below). P's
    support ``S_P`` is split at quantiles of P and Q and each piece is
    integrated with :func:`scipy.integrate.quad` (a P whose interquartile
    range is beyond 2**200 or below 2**-200, such as norm(0, 1e307) or
    norm(0, 1e-310), whose scales are near the largest and smallest floats, is first
    scaled with Q by a power of 2 that brings it to about 1, exactly: KL
    does not change under :math:`x \to c x`; mass piled against an
    endpoint is left to the first item below):

    * next to a finite endpoint of P's support, in the logarithm of the
      distance to it, so that a density singular there (a gamma or beta
      shape below 1, like :math:`x^{a-1}`) becomes smooth. The endpoint is
      first moved to 0 (KL does not change under :math:`x \to x - c` or
      :math:`x \to c - x`; the mirror image is used for the upper end when
      P is a beta, uniform, arcsine, triangular, trapezoid or weibull_max
      and Q one of these or a symmetric family such as norm, t or cauchy),
      since floats resolve distances down to 1e-308 next to 0 but only
      1e-16 next to 1;
    * into an infinite tail, from P's median (moved to 0 as well, so that a
      P narrower than the spacing of floats at its location stays
      resolved) in the logarithm of the distance up to 1e300, so that heavy
      tails (a Pareto or t with shape 0.1 has mass out to 1e90) are seen.
      Where scipy's log density fails far out (``t.logpdf`` beyond 1e154,
      where ``x**2`` overflows; Pareto's, computed as ``log(pdf)``), P's
      density is taken from its tail probabilities, and the rest of the
      integral from the power-law decay of the integrand. Where Q's log
      density fails instead (``norm.logpdf`` beyond 1e154 from its mean),
      the part of ``p (-log q)`` beyond is extrapolated from where it was
      last finite (a t with 2.01 degrees of freedom has 300 nats there
      against norm(0, 0.1)). Where P has no probability left (its tail
      function is 0) but Q has, the integrand is Q's density alone and the
      rest is Q's tail probability, exact: a Q far wider than P
      (norm(0, 1) against norm(0, 1e200)) is not mistaken for divergence.
      Where Q's farther quartile lies beyond 1e-4 of the distance at which
      the tail stops (Q centred near 1e299, or at 1e200 against a t whose
      log density fails at 1e154), the integrand there has not yet taken its
      asymptotic form, and for a P with a power-law tail the open end is
      judged instead at three points 2 e-folds apart beyond 1e4 times the
      distance of Q's farther quartile (past the largest double with Q
      scaled by a power of 2 and P's log density extrapolated as its power
      law; where Q's log density overflows there, as far out as doubles
      reach, down to 10 times that distance, or, for a Q whose growth is
      read from its family, from its asymptotic form :math:`-\log q \approx
      c |z|^\beta`, as for norm(1e299, 1e149)): an integrand that does not
      decay there is divergence (a Cauchy, t(2) or Pareto(1.5) against
      norm(1e299, 1e290), a Cauchy against laplace(1e299, 1e290)); one that
      decays steadily leaves Q's probability beyond, exact, plus P's part
      integrated up to the last point (cauchy(0, 1) against cauchy(1e305,
      1e300): the closed form to 1e-15). Where P's density falls as
      :math:`|x|^{-\alpha}` and Q's :math:`-\log q` grows as
      :math:`|x|^\beta`, D(P||Q) is infinite iff :math:`1 - \alpha + \beta
      \ge 0`; alpha and beta are read from the families' parameters where
      klteach knows them (t, Cauchy, Pareto, Lomax, inverse gamma, ...
      against normal, Laplace, logistic, generalised normal, ...: t(2)
      against a normal is infinite, t(2.000001) against norm(1e200, 1e100) is
      5.0e199), else measured from the densities, to about 1e-6.

    When P's scale parameter is below 1e-6 or above 2e19 (and its tails are
    not heavy), both distributions are also divided by the power of 2
    nearest it (KL does not change under :math:`x \to x / c`), so that P's
    mass lies near distance 1, far from the 1e300 where tails end and from
    where Q's formulas overflow (``gamma.logpdf`` is NaN once ``x / scale``
    passes 1.8e308).

    Where the integrand does not decay into a tail or towards an endpoint,
    the integral diverges and ``inf`` is returned (a Student t with 2 or
    fewer degrees of freedom, or a Cauchy, against a normal). A NaN log
    density means the density could not be evaluated, never divergence: it
    is taken from the tail probabilities where they allow it, and refused
    with an error otherwise. Below 1e-308
    from an endpoint at 0, where both log densities are linear in the log
    of the distance (power laws, as gamma and beta densities are there to
    1e-304), the rest of the integral is added in closed form, with the
    exponent of the power law read from the shape parameters for gamma,
    chi2, erlang, beta, Weibull, generalised gamma, powerlaw, chi,
    Nakagami and the fixed-shape families; for other distributions it is
    measured from the log densities, to about 1e-14, and where that is
    too rough (exponents below about 1e-4) the rest is not counted as
    exact, so a sizeable one is refused. Gamma(1e-4) has 93% of its mass
    below 1e-308; gamma and beta shapes down to 1e-20 matched their closed
    forms to 1e-13. On smooth cases, heavy tails, and gamma or beta shapes down to
    1e-4 the relative error is below 1e-8 (typically 1e-13; beta shapes 40
    to 320 and gamma shapes 50 to 500 matched their closed forms to 6e-13; a sweep of 718
    gamma and beta pairs with shapes 1e-4 to 0.5, scale ratios 0.1 to 10
    and either endpoint singular, against their closed forms in mpmath,
    found at most 4e-10). For nearly equal P and Q
    the rounding of L dominates: for normals differing in mean or standard
    deviation by 1e-2 to 1e-12 the relative error stayed below
    ``3e-16 / sqrt(D)`` (3e-10 at D = 1e-12, 4.2e-4 at D = 5e-25); use a
    closed form such as :func:`klteach.gaussian_kl` there.

    The same rounding limits large shape parameters: scipy forms a beta or
    gamma log density from terms of size ``shape * log x`` that cancel, so L
    carries an absolute error of about eps times those terms (beta(1e9, 1e9)
    against beta(1e9 + 1e5, 1e9): 7.3e-6 relative; gamma(1e6) against
    gamma(1e6 + 100): 3.1e-8). The jitter ``s`` of L between nearly equal x
    is measured at five quantiles of P, and a ``RuntimeWarning`` names the
    expected accuracy, ``500 s / sqrt(D)`` relative, when that exceeds 1e-8
    and ``s`` is above the ordinary rounding of the log densities (the
    measured error stayed below the estimate for beta shapes 1e5 to 1e9 and
    gamma shapes 1e4 to 1e8; it can overestimate by 1e4 times).

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
        density is 0 (outside Q's support, or a gap inside it), or when the
        integral diverges (P's tails too heavy for Q's).

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not a frozen continuous scipy.stats distribution.
    DistributionError
        A ``ValueError``: a distribution has invalid parameters (such as a
        negative scale) or array parameters (a batch of distributions), or
        ``base`` is invalid; or it is ``scipy.stats.vonmises``, whose density
        scipy repeats every 2 pi over the whole line (the message gives the
        closed form on the circle, and ``vonmises_line`` for the line).
    FloatingPointError
        If more than 1e-7 of the value lies where doubles cannot reach: closer
        to an endpoint than they resolve (a singular upper endpoint that
        cannot be mirrored to 0, such as Beta(1, 0.05) against ``powerlaw``,
        or a density that is not a power law below 1e-308) or beyond 1e300,
        and is not a pure power law whose rest is known; if the integrand decays too
        slowly there to tell a finite value from an infinite one, or Q's log
        density overflows before its decay can be judged (Laplace against a
        left Gumbel of scale 1.01); or if P's
        interquartile range spans fewer than 1000 doubles at its median and
        P cannot be moved to 0.

        Also if, into a tail where P's density falls faster than any power,
        the integrand still grows where ``q.logpdf`` overflows to ``-inf``:
        expon() against weibull_min(300, scale=20), whose ``-log q = (x /
        20)^300`` passes 1.8e308 at x = 213 while ``e^-x (x / 20)^300`` grows
        up to x = 300, has the finite D(P||Q) = 1.5e224, which no double
        evaluation of its integrand reaches. And if ``q.logpdf`` is ``-inf``
        at all of P's quantiles 0.001, 0.25, 0.5, 0.75 and 0.999, where Q's
        tail probabilities are 0 as well: where log q stays that low between
        them, D(P||Q) is at or beyond the largest double (norm(0, 1) against
        norm(1e250, 1): 5e499; a Cauchy or t(2) P against it gives ``inf``,
        read from the families' tails as above), or, where ``q.logpdf`` is
        scipy's generic ``log(pdf)`` (rice, kstwobign, ...), -inf only
        because the pdf underflowed: the message then says so, as it does
        wherever such a Q's log density is -inf where P has probability
        (gamma(2025, scale=1/45) against rice(3) has D = 880.6). And if P's tail power,
        measured, lies within 1e-6 of the boundary :math:`1 + \beta` (a
        user's distribution with a t(2)'s tail against a normal).

        Also if ``q.logpdf`` is ``-inf`` inside Q's support (scipy computes
        some log densities as ``log(pdf)``, which underflows) where P has
        probability above 1e-15 and Q's tail probabilities cannot replace it.
        Laplace, hyperbolic secant, folded normal and Moyal densities are
        evaluated in closed form,
        so they do not underflow; so is the log-normal's, formed from
        ``log((x - loc) / scale)``, or ``log(x - loc) - log(scale)`` where the
        ratio overflows or underflows (lognorm(1, scale=1e200) against
        lognorm(1, scale=1e-200)), and the gamma's, from ``log(x - loc) -
        log(scale)`` where ``(x - loc) / scale`` underflows (gamma(0.3) against
        gamma(0.5, scale=1e300)).

        Also if the same integration applied to P's density, or to Q's, does
        not find P's total probability 1, or Q's ``1 - Q(outside S_P)``, to
        1e-10 (quad's relative tolerance; more where the log densities are
        rounded, see the warning below). A logpdf off from log(pdf) by a
        near-constant d integrates to e^d and moves D(P||Q) to about
        D (1 + d) + d^2 / 2 (P's) or D + d^2 / 2 (Q's). For scipy's beta the
        logpdf is the side that is off (beta(10, 1e7) by -7.0e-9, beta(1e5,
        3e5) by 3.2e-10 to 3.5e-10, while log(pdf) is right to 3e-12 for
        shapes up to 1e8, checked in mpmath): the mean of d over seven
        quantiles is taken off its log density where d varies by at most 1e-6
        there, and the mass check allows that variation. For other
        families either side may be the one that is off (scipy's
        truncpareto(1e-9, 3): log(pdf) by 2.2e-8), so nothing is taken off.
        What an offset can still do to D is added to the error that the
        warning below reports: a variation s left after taking the mean off
        (above 1e-13, the rounding of log(pdf) itself)
        moves D by at most about s (D + sqrt(2 D)) for P's and s sqrt(2 D) for
        Q's (from ``E_P|L| <= D + sqrt(2 D)`` and Pinsker's inequality), and
        an offset not taken off by at most c D + c^2 (P's) or c^2 (Q's), c
        the smaller of its measured size and the mass the check found
        missing plus 1e-10. Part of the mass, such as a mixture component
        narrower than the spacing of the integration points (0.3 N(2, 1e-7) in
        a mixture), was not seen, and neither was its share of D(P||Q). A
        missed component of Q changes log q where P has mass, so even a huge
        D(P||Q) can move by far more than the mass missed: no allowance is
        made for it. A single Q that is narrow and far from P's median and
        endpoints (its 1e-15 to 1 - 1e-15 quantiles, or down to its 1e-4 to 1 - 1e-4
        quantiles for heavy tails, span less than 1/10 of that distance) is integrated linearly
        around its own median instead, with both distributions moved there,
        where doubles resolve it: norm(0, 1) against norm(1e3, 1e-3),
        norm(5, 1e-12) or norm(1e8, 1) match the closed form to 1e-15.

        Also if a log density is NaN (its formula failed) where P has
        probability and the tail probabilities cannot replace it.

    Warns
    -----
    scipy.integrate.IntegrationWarning
        If quad's error estimate exceeds the tolerance; the returned value
        is then unreliable.
        A divergence below 1e-5 is integrated a second time with quad's
        absolute tolerance scaled to it; the warning is given when the
        error estimate still exceeds 1e-6 of it and ``1.2e-15 sqrt(D)``
        (four times the rounding limit for nearly equal P and Q above).
    RuntimeWarning
        If the rounding of the log densities (large beta or gamma shapes),
        or their offsets from the logs of the pdfs (see the mass check
        above), may cost more than 1e-8 relative; the message gives the
        estimate, the sum of both.

    See Also
    --------
    klteach.gaussian_kl, klteach.beta_kl : closed forms, exact where they apply.

    Notes
    -----
    Two scipy ``rv_histogram`` distributions are not integrated: their
    densities are constant between the merged bin edges, and D(P||Q) is the
    discrete KL of those pieces' probabilities. Each histogram is read as
    given, exactly: its counts (or its densities times the exact widths,
    following scipy's ``density`` rule) and edges, the edges placed where
    ``loc + scale * edge`` puts them, computed exactly (scipy's own densities
    are rounded, and its ``pdf`` rounds ``(x - loc) / scale``, so near an edge
    it may read the neighbouring bin). Each piece's probabilities and ratio
    are formed exactly and rounded once, so the result is within a few eps of
    the exact value at any loc and scale, for nearly identical histograms
    too, and 0 for one histogram in other units whose edges map exactly onto
    each other (0.3 to 1.3 s for 4500 bins against 4500).

    Where an edge of Q's lies within rounding of one of P's (8 times 2**-53
    times the size of P's edge, or of 10 of its bins there, and, for Q at
    another loc or scale, of the locs and their difference in P's units: one
    histogram rebuilt in other units, 0.7 + 0.1 * fl((x - 0.7) / 0.1) against
    x, lands up to 2.3 of them away, and two rebuilt up to 4.1 apart), D is computed again with those edges moved onto
    P's; when the two values differ by more than 1e-6 of the larger (inf
    against a finite value included), a :class:`HistogramEdgeWarning` gives
    both. The value returned is the one for the edges as given; to compare
    one histogram with itself in other units, build both on the same edges,
    loc and scale. Independent histograms whose bins are only a few thousand
    doubles wide (far from 0) can have edges that close by chance: the
    warning then says nothing wrong, and the value stands. Rounding that
    leaves no trace in the edges (``(x + 1e6) - 1e6``, ``np.linspace`` from a
    start far from 0, widths added up with ``np.cumsum``) is not seen.

    A gap in Q's support (an interval inside P's support where Q's density
    is 0, which makes D(P||Q) infinite) is found only where an integration
    point falls into it or the mass check above notices it: a gap holding
    less than about 1e-10 of P's probability can be missed, and a small
    finite value returned instead of ``inf``.

    Examples
    --------
    >>> from scipy import stats
    >>> round(continuous_kl(stats.norm(0, 1), stats.norm(1, 2)), 4)
    0.4431
    >>> continuous_kl(stats.norm(0, 1), stats.expon())   # Q has no negative values
    inf
    >>> round(continuous_kl(stats.gamma(0.1), stats.gamma(1)), 4)   # (a - 1) psi(a) - ln Gamma(a) at a = 0.1
    7.1287
    >>> continuous_kl(stats.cauchy(), stats.norm())      # E_P[x^2] is infinite
    inf
    """
    unit = [1.0]    # one unit of the coordinates integrated in, in the caller's (set by _continuous_kl)
    try:
        return _continuous_kl(p, q, base, unit)
    except FloatingPointError as error:
        if unit[0] == 1.0 or "x = " not in str(error):
            raise
        raise FloatingPointError(
            f"{error} (Positions x above are in the coordinates the integral is computed in: both "
            f"distributions were scaled by {1 / unit[0]:.6g}, which does not change KL, so a unit "
            f"there is {unit[0]:.6g} in yours.)") from None


def _continuous_kl(p, q, base, unit):
    """:func:`continuous_kl`, recording in ``unit[0]`` the caller's length of a unit of the
    coordinates it integrates in (they differ where P's scale is far from 1)."""
    base = check_base(base)
    p = _check_frozen(p, "p")
    q = _check_frozen(q, "q")
    for name, dist in (("p", p), ("q", q)):
        if _is_family(dist) == "vonmises":
            # (its density repeats every 2 pi over the whole line, where it integrates to infinity:
            # the integration would run for minutes and refuse with a meaningless probability)
            raise DistributionError(
                f"{name} is scipy.stats.vonmises, a distribution on the circle whose pdf scipy "
                f"repeats every 2 pi over the whole real line (its support is (-inf, inf) and its "
                f"cdf keeps growing), so it is no density on the line and continuous_kl cannot "
                f"integrate it. On the circle, two von Mises distributions have the closed form "
                f"D(P||Q) = log(I0(kappa_q) / I0(kappa_p)) + A(kappa_p) (kappa_p - kappa_q "
                f"cos(mu_p - mu_q)), A = I1 / I0 (scipy.special.i0e, i1e); on the line, freeze "
                f"scipy.stats.vonmises_line(kappa, loc, scale), the same density cut to "
                f"[loc - pi scale, loc + pi scale]: D(P||Q) on the line is finite only where Q's "
                f"interval contains P's, unlike on the circle.")
    exact = _histograms_kl(p, q, base)
    if exact is not None:
        return exact / log_base(base)
    lo, hi = _support(p, "p")
    q_lo, q_hi = _support(q, "q")
    p_from, p_to = _histogram_span(p, lo, hi)     # where P's density is not 0
    if q_lo > p_from or q_hi < p_to or _diverges_in_the_tail(p, q) or _histogram_gap(p, q):
        return math.inf

    lower, upper = f"the lower endpoint x = {lo:g}", f"the upper endpoint x = {hi:g}"   # for messages
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # P's interquartile range beyond 2**200 or below 2**-200 (a scale near the largest or
        # the smallest float): both distributions are scaled by the same power of 2, exactly
        # (KL does not change under x -> c x), so that P's spread is about 1. The tails and
        # endpoints are then reached, and loc and scale differences do not overflow. Not for
        # mass piled against an endpoint (a quartile within 2**-50 spreads of it, as for
        # Gamma(0.002)): that is integrated in logarithms of the distance to it below.
        q1, q3 = float(p.ppf(0.25)), float(p.isf(0.25))
        half_spread = 0.5 * q3 - 0.5 * q1
        apart = (lo == -math.inf or 0.5 * q1 - 0.5 * lo > 2.0**-50 * half_spread) and \
            (hi == math.inf or 0.5 * hi - 0.5 * q3 > 2.0**-50 * half_spread)
        if 0 < half_spread < math.inf and not 2.0**-201 < half_spread < 2.0**199 and apart:
            try:
                rescaled = _scaled(p, q, -math.frexp(half_spread)[1] - 1)
            except (OverflowError, ValueError):
                rescaled = None
            if rescaled is not None:
                p, q = rescaled
                lo, hi = _support(p, "p")
                unit[0] = math.ldexp(unit[0], math.frexp(half_spread)[1] + 1)
        # Where floats are finest: P's lower endpoint, or else its median, moved to 0
        # (norm(1e16, 1) has only a few floats within its standard deviation).
        shift = lo if math.isfinite(lo) else float(p.median())
        if math.isfinite(shift) and shift != 0:
            moved = _shifted(p, q, shift)
            if moved is not None:
                p, q = moved
                lo, hi = _support(p, "p")
        spread = float(p.isf(0.25)) - float(p.ppf(0.25))
        # ... and both scaled by the power of 2 nearest P's scale parameter (KL does not change under
        # x -> x / c either), so that P's mass sits at distances near 1: far from 1e300, where the
        # tails end (a P with scale 1e300 has a third of its mass beyond), and from where Q's formulas
        # overflow (gamma(5, scale=1e-9) beyond 1.8e299, against a P with scale 1e-8). Only for a
        # scale outside [2**-20, 2**64] (about 1e-6 to 2e19) and tails that are not heavy (P's 1e-9
        # quantile within 1e6 scales: a heavy tail is integrated out to 1e300 as it is), and never
        # scaling up beyond a scale parameter of 1 (scipy's x / scale would underflow next to 0)
        # unless Q's log density is formed in logs there (_LOG_DENSITY_IN_LOGS).
        # A heavy tail with a scale above 2**8 is scaled down too: integrated at its own scale, the slow
        # decay of pareto(1.001, scale=1e3) against expon(scale=1e5) left 7e-5 of D uncaught.
        scales = [parts[3] for parts in map(_parts, (p, q)) if parts is not None]
        if len(scales) == 2 and lo in (0.0, -math.inf) and not 2.0**-20 <= scales[0] <= 2.0**8:
            reach = max(abs(float(p.isf(_TAILS[0]))), abs(float(p.ppf(_TAILS[0]))))
            heavy = not reach <= 1e6 * scales[0]
            power = round(math.log2(scales[0]))           # divide by 2**power
            if power < 0 and _is_family(q) not in _LOG_DENSITY_IN_LOGS:
                power = max(power, math.ceil(math.log2(max(scales))))
            wanted = power > 0 if heavy else power != 0 and not 2.0**-20 <= scales[0] <= 2.0**64
            scaled = _scaled(p, q, -power) if wanted else None
            if scaled is not None:
                p, q = scaled
                lo, hi = _support(p, "p")
                unit[0] = math.ldexp(unit[0], power)
        spread = float(p.isf(0.25)) - float(p.ppf(0.25))
        middle = float(p.median())
        # Q's probability outside P's support, where the integrand's q term is missing, taken where
        # P and Q are integrated: where P's endpoint is loc + scale (a Pareto's), it is rounded where
        # P was given (pareto(2, loc=7, scale=1e-7) starts at the double 7.00000010000000058, 5.8e-9
        # scales past 7 + 1e-7), but not relative to Q once both are shifted by it
        q_lo, q_hi = _support(q, "q")
        outside = float((q.cdf(lo) if lo > q_lo else 0.0) + (q.sf(hi) if hi < q_hi else 0.0))
    # P's mass piled within a few doubles of an endpoint at 0 (Gamma(1e-4) has 93% of it below
    # 1e-308), or of an upper endpoint that is mirrored to 0, is integrated in the logarithm of
    # the distance to it, with the rest below 1e-308 in closed form: nothing to refuse.
    piled = (lo == 0.0 and not middle > 1e3 * _FLOOR) or \
        (math.isfinite(hi) and not hi - middle > 1e3 * math.ulp(hi) and _mirrored(p, q) is not None)
    if math.isfinite(middle) and not spread > 1e3 * math.ulp(middle) and not piled:
        raise FloatingPointError(
            f"continuous_kl cannot compute D(P||Q) reliably: P's interquartile range "
            f"({spread:.3g}) spans fewer than 1000 floating-point numbers at its median "
            f"({middle:.6g}), so its density cannot be sampled. Move P near 0 (KL does not "
            f"change under x -> x - c): freeze both distributions with loc reduced by the "
            f"same amount.")
    if not lo < middle < hi:
        middle = 0.5 * (lo + hi) if math.isfinite(lo + hi) else (0.0 if lo < 0.0 < hi else lo + 1.0)
    elif math.isfinite(lo + hi) and min(middle - lo, hi - middle) < 1e-3 * (hi - lo):
        # A median next to one end (Beta(0.001, 1) has it at 1e-301): the piece from the
        # other end would reach where only distances from the near end are resolved.
        middle = lo + 0.5 * (hi - lo)
    _refuse_q_below_doubles(p, q, lo, hi)
    cuts = _breakpoints(p, q, lo, hi)
    window = _q_window(p, q, lo, hi, middle)
    if window is not None:
        c, moved, va, vb = window
        hole = (c + va, c + vb)
        cuts = np.unique(np.concatenate([cuts, hole]))
        window_cuts = np.unique(np.concatenate([
            _breakpoints(*moved, va, vb), [x - c for x in cuts if hole[0] < x < hole[1]]]))
        window_cuts = window_cuts[(window_cuts > va) & (window_cuts < vb)]
    noise, noise_sources = _log_ratio_noise(p, q, lo, hi)
    mirror = _mirrored(p, q) if math.isfinite(hi) else None
    # scipy's logpdf off from log(pdf) by a near-constant (beta(10, 1e7) by -7.0e-9, its pdf
    # integrating to 1 within 1e-14): the constant is taken off the log density, for each pair
    # of distributions integrated; what varies, up to 1e-10, is allowed for below.
    measured = {"P": _logpdf_offset(p), "Q": _logpdf_offset(q)}
    offset_pairs = {key: tuple(_correction(d) for d in pair) for key, pair in
                    (("main", (p, q)), ("window", moved if window is not None else None),
                     ("mirror", mirror)) if pair is not None}
    corrected = {name: max(spread for pair in offset_pairs.values() for _, spread in [pair[k]])
                 for k, name in enumerate("PQ")}
    def integrate(mode):
        """(integrands, pieces, ends) of the integrand (mode "kl"), or of P's or Q's density
        (modes "p", "q", with the probabilities beyond the open ends as remainders)."""
        f = _Integrand(p, q, mode, tuple(d for d, _ in offset_pairs["main"]))
        integrands, pieces, ends = [f], [], []   # pieces: (value, error, message); ends: (remainder, exact, where)
        if window is not None:     # Q's narrow middle, integrated linearly around Q's median
            fw = _Integrand(*moved, mode, tuple(d for d, _ in offset_pairs["window"]))
            integrands.append(fw)
            with np.errstate(all="ignore"):
                pieces.append(_quad(fw, va, vb, window_cuts))
            f.hole, f.window = hole, window
        # scipy's densities overflow harmlessly (to a log density of -inf) far out in the tails.
        with np.errstate(all="ignore"):
            if math.isfinite(lo):
                value, err, message, rest = _near_endpoint(
                    f, lo, +1, middle - lo, [c - lo for c in cuts if c < middle])
                pieces.append((value, err, message))
                ends.append((*rest, lower))
            else:
                value, err, message, rest = _tail(f, p, q, middle, -1, [middle - c for c in cuts if c < middle],
                                                  origin=hi if math.isfinite(hi) else None)
                pieces.append((value, err, message))
                ends.append((*rest, "the left tail (x below -1e300)"))
            if math.isfinite(hi):
                if mirror is not None:      # the upper endpoint moved to 0 as well: x -> hi - x
                    fm = _Integrand(*mirror, mode, tuple(d for d, _ in offset_pairs["mirror"]))
                    integrands.append(fm)
                    mcuts = _breakpoints(*mirror, 0.0, hi - lo) if math.isfinite(lo) else \
                        _breakpoints(*mirror, 0.0, math.inf)
                    if window is not None:    # (x -> hi - x)
                        fm.hole = (hi - hole[1], hi - hole[0])
                        mcuts = np.unique(np.concatenate([mcuts, fm.hole]))
                    value, err, message, rest = _near_endpoint(fm, 0.0, +1, hi - middle, mcuts)
                else:
                    value, err, message, rest = _near_endpoint(
                        f, hi, -1, hi - middle, [hi - c for c in cuts if c > middle])
                pieces.append((value, err, message))
                ends.append((*rest, upper))
            else:
                value, err, message, rest = _tail(f, p, q, middle, +1, [c - middle for c in cuts if c > middle],
                                                  origin=lo if math.isfinite(lo) else None)
                pieces.append((value, err, message))
                ends.append((*rest, "the right tail (x above 1e300)"))
        return integrands, pieces, ends

    integrands, pieces, ends = integrate("kl")
    first = math.fsum(value for value, _, _ in pieces)
    if 0 < first and math.fsum(err for _, err, _ in pieces) > 1e-8 * first and first < 1e-5:
        # A divergence so small that quad's absolute tolerance (1e-15) let it stop short of the
        # relative one: again, with the absolute tolerance scaled to the value, down to the
        # rounding of L that limits nearly equal P and Q (3e-16 sqrt(D), see the docstring).
        token = _EPSABS.set(max(1e-3 * _RTOL * first, _NEARLY_EQUAL * math.sqrt(first) / 3, 1e-300))
        try:
            integrands, pieces, ends = integrate("kl")
        finally:
            _EPSABS.reset(token)
    # What lies beyond the last resolvable distance from an endpoint, estimated
    # from the integrand's decay there (exact for a power law t**(a - 1)).
    beyond = math.fsum(rest for rest, _, _ in ends if math.isfinite(rest))
    total = math.fsum(value for value, _, _ in pieces) + outside + beyond
    gap = any(g.gap for g in integrands)
    if math.isinf(total) or (gap and math.isnan(total)) or any(rest == math.inf for rest, _, _ in ends):
        # An infinite integrand somewhere (q = 0 where p > 0 inside Q's support; NaN once quad
        # subtracts the infinities), or an integrand that does not decay into a tail or towards an
        # endpoint (P's tails heavier than Q's allow, e.g. a t or Cauchy P against a normal Q):
        # D(P||Q) is infinite.
        return math.inf
    if math.isnan(total):
        raise FloatingPointError(
            "continuous_kl cannot compute D(P||Q): the integrand could not be evaluated (NaN) "
            "somewhere in P's support, where scipy's log densities fail. Check the distributions' "
            "parameters, or compute D(P||Q) in closed form.")
    for rest, exact, where in ends:
        if not (exact and math.isfinite(rest)) and not rest <= max(1e-7 * total, 1e-15):
            amount = ("an amount that cannot be estimated (the integrand decays too slowly there, "
                      "or Q's log density overflows before its decay can be judged)"
                      if math.isnan(rest) else f"about {rest:.2g} nats")
            _refuse_log_of_pdf(q, integrands)
            if math.isnan(rest):
                # Q's log density overflowed where P has its mass (gumbel_r(0, 10) below -7100,
                # under a lomax from -1e6): that, not the tail named below, is the cause
                for g in integrands:
                    _refuse_overflow(q, g, total)
            raise FloatingPointError(
                f"continuous_kl cannot compute D(P||Q) reliably: {amount} of the integral lies "
                f"beyond {where}, closer to it than floating-point numbers resolve or farther "
                f"out than they reach. This happens for a density with a strong singularity at "
                f"an endpoint that is not a power law there, for one singular at an "
                f"upper endpoint that cannot be mirrored to 0 (P must be a beta, uniform, "
                f"arcsine, triang, trapezoid or weibull_max and Q one of these or a symmetric "
                f"family such as norm), for tails that decay only logarithmically, or for a Q "
                f"whose log density overflows to -inf in P's tail (a left Gumbel). Use a "
                f"closed form (klteach.beta_kl for two Betas) or transform the variable (KL "
                f"does not change under x -> log x or x -> c - x)."
            )
    for g in integrands:
        _refuse_overflow(q, g, total)
        mass, first = g.underflow_mass(g.unevaluated)
        if mass > 1e-15:
            raise FloatingPointError(
                f"continuous_kl cannot compute D(P||Q) reliably: p.logpdf is NaN inside P's support "
                f"(first at x = {first:.6g}, measured from P's endpoint or median), where P has "
                f"probability {mass:.2g} beyond, and P's tail probabilities cannot replace it. "
                f"Check P's parameters, or compute D(P||Q) in closed form.")
        mass, first = g.underflow_mass()
        if mass > 1e-15:
            _refuse_log_of_pdf(q, [g])
            raise FloatingPointError(
                f"continuous_kl cannot compute D(P||Q) reliably: q.logpdf is -inf inside Q's "
                f"support, where P has probability {mass:.2g} (first at x = {first:.6g}, "
                f"measured from P's endpoint if P's support is bounded), and Q's tail "
                f"probabilities there are 0 as well. scipy computes some log densities as "
                f"log(pdf), which is -inf once the pdf underflows, and the true value may be "
                f"far larger than the smallest density would give, even infinite. Give Q as a "
                f"distribution whose logpdf is computed in logs, or compute D(P||Q) in closed "
                f"form.")
    # The same integration applied to P's and to Q's density must find all of their
    # probability (1, and 1 - Q(outside P's support)): a narrow component, such as a
    # spike of width 1e-7 in a mixture, can fall between quad's nodes and go unseen.
    missed = {}
    # The offset a refusal may blame: a beta's left after taking its mean off (its logpdf is the
    # side that is off), or one not taken off; none for other families, whose logpdf may be the
    # right side (truncpareto(1e-6, 2): log(pdf) is 1.9e-10 off, logpdf right to 1e-15).
    blamed = {name: None if measured[name] is None or _is_family(dist) != "beta" else
              (0.0, corrected[name]) if corrected[name] or offset_pairs["main"][k][0] else measured[name]
              for k, (name, dist) in enumerate((("P", p), ("Q", q)))}
    for mode, name, expected in (("p", "P", 1.0), ("q", "Q", 1.0 - outside)):
        _, mass_pieces, mass_ends = integrate(mode)
        mass = math.fsum([value for value, _, _ in mass_pieces] + [rest for rest, _, _ in mass_ends])
        missed[name] = abs(mass - expected)
        # (log densities rounded by `noise` nats, as for large shapes, move the mass by up to
        # about 50 times that: up to 1e-4 of it is left to the warning about rounding below)
        rounded = total > 0 and _NOISE_FACTOR * noise > 1e-8 * math.sqrt(total)
        # A component or tail that falls between the integration points is missing from the
        # integral, so it makes the mass come out short; a density rounded or off by a constant
        # (scipy's beta(100, 1e8).logpdf by -2.9e-7) or quad's own error moves it either way,
        # and moves D(P||Q) with it (by 16% for that beta against a gamma with D = 2.5e-13), so
        # any miss beyond quad's 1e-10 is refused, in either direction. A shortfall of Q's mass
        # is not weighed by D(P||Q): a narrow component of Q missed where P has mass changes
        # log q there, which moves D by far more than the mass.
        allowed = max(_MASS_TOL, min(1e3 * noise, 1e-4) if rounded else 0.0)
        # A log density off from log(pdf) by a near-constant d (see _logpdf_offset) integrates to
        # e^d instead of 1: expected, where that d moves D(P||Q) by less than 1e-9 of it and
        # varies by no more than the 1e-10 allowed (a wider allowance would hide a missed component).
        # (an offset taken off varies by up to `spread` over the quantiles: it moves the mass by
        # about that, and D(P||Q) by at most twice that, which the warning below reports)
        spread = corrected[name]
        allowed += spread
        if not abs(mass - expected) <= allowed:
            raise FloatingPointError(
                f"continuous_kl cannot compute D(P||Q) reliably: integrating {name}'s density over "
                f"P's support the same way finds probability {mass:.12g} instead of "
                f"{expected:.12g} ({abs(mass - expected):.2g} "
                f"{'more' if mass > expected else 'less'}, beyond the {allowed:.1g} allowed)"
                f"{_mass_cause(name, p, q, middle, mass > expected, blamed[name], window is not None)}")
    error = math.fsum(err for _, err, _ in pieces)
    # quad flags a piece as "probably divergent" from its error history even when
    # the piece is a negligible tail (divergence is judged above, from the integrand's
    # decay); only flags on pieces that matter, with errors that matter, count.
    tolerance = max(1e-6 * total, 4 * _NEARLY_EQUAL * math.sqrt(max(total, 0.0)), 1e-300)
    divergent = [m for value, err, m in pieces
                 if "divergent" in m and abs(value) > 1e-10 * abs(total) and err > tolerance]
    if divergent or not error <= tolerance:
        said = f"; quad says: {divergent[0].strip()}" if divergent else ""
        warnings.warn(
            f"continuous_kl: the integral may not have converged (estimated error {error:.2g} "
            f"on {total:.6g} nats{said}); the value returned is not reliable.",
            scipy.integrate.IntegrationWarning, stacklevel=3)
    # What taking off a log density's mean offset from log(pdf) leaves (its variation over the
    # quantiles), and an offset measured but not taken off (a family other than the beta, where
    # either side may be the wrong one): the constant part of the latter is at most what the
    # mass check found missing (exp(log density) integrates to about e^d), and at most |d|.
    kept = {}
    for k, name in enumerate("PQ"):
        offset = measured[name]
        kept[name] = 0.0 if offset is None or offset_pairs["main"][k] != (0.0, 0.0) \
            or abs(offset[0]) <= 1e-13 else min(abs(offset[0]) + offset[1], missed[name] + _MASS_TOL)
    # (a spread up to 1e-13 is the rounding of log(pdf) itself, 4.6e-14 for beta(10, 1e7): the
    # warning about rounding covers it)
    varying = _offset_effect(total, *(s if s > 1e-13 else 0.0 for s in (corrected["P"], corrected["Q"])),
                             kept["P"], kept["Q"])
    rounding = _NOISE_FACTOR * noise / math.sqrt(total) if total > 0 else 0.0
    if total > 0 and rounding + varying > 1e-8:
        source = _noise_source(p, q, noise_sources).format(noise=noise) if rounding else ""
        said = []
        if max(corrected.values()) > 1e-13:
            said.append(f"the offsets of scipy's beta log densities from the logs of its pdfs, "
                        f"taken off, vary by up to {max(corrected.values()):.2g} over the quantiles")
        for name in "PQ":
            if _offset_effect(total, 0.0, 0.0, *((kept[name], 0.0) if name == "P" else
                                                 (0.0, kept[name]))) > 1e-9:
                said.append(f"{name}'s logpdf differs from log({name.lower()}.pdf) by "
                            f"{measured[name][0]:.2g} on average (not taken off: it is not known "
                            f"which of the two is right; the mass check bounds the constant part "
                            f"of the difference by {kept[name]:.2g})")
        if varying and said:
            source += (" and " if source else "") + " and ".join(said)
        warnings.warn(
            f"continuous_kl: {source}, so D(P||Q) = {total:.10g} nats may be off by up to about "
            f"{min(rounding + varying, 1.0):.1g} relative: "
            f"{_closed_form(p, q)}.", RuntimeWarning, stacklevel=3)
    return max(total, 0.0) / log_base(base)
