"""Hypothesis strategies and mpmath references shared by the test modules."""

from __future__ import annotations

import math

import mpmath
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import klteach


def distributions(min_size=2, max_size=12, min_value=0.0, size=None):
    """Probability vectors: non-negative weights, normalised by klteach.normalize."""
    n = st.integers(min_size, max_size) if size is None else st.just(size)
    return n.flatmap(lambda k: arrays(
        np.float64, k,
        elements=st.floats(min_value, 1.0, allow_nan=False, allow_infinity=False),
    ).filter(_normalisable).map(klteach.normalize))


def _normalisable(w):
    """Weights with a sum klteach can divide by, and no positive weight whose share underflows to 0
    (klteach.normalize refuses those: they would become impossible outcomes)."""
    total = w.sum()
    return total > 1e-6 and not np.any((w > 0) & (w / total == 0))


def positive_distributions(**kwargs):
    """Distributions with every entry bounded away from 0 (full support)."""
    return distributions(min_value=1e-3, **kwargs)


def pairs(strategy_factory=positive_distributions, **kwargs):
    """Two distributions of the same length."""
    return st.integers(2, 12).flatmap(
        lambda n: st.tuples(strategy_factory(size=n, **kwargs), strategy_factory(size=n, **kwargs)))


def _digits(*arrays, base_dps=80):
    """Working precision that resolves every entry next to 1 (down to subnormals)."""
    tiny = min((abs(float(x)) for a in arrays for x in np.ravel(a) if x != 0), default=1.0)
    return base_dps + int(-math.log10(tiny)) if tiny < 1 else base_dps


def mp_kl(p, q, dps=None):
    """D(P||Q) in nats with mpmath on exactly normalised ``p`` and ``q``.

    The default precision grows with the smallest entry, so normalising sums
    such as 1 + 1e-300 stay exact.
    """
    with mpmath.workdps(dps or _digits(p, q)):
        pm = [mpmath.mpf(float(x)) for x in p]
        qm = [mpmath.mpf(float(x)) for x in q]
        sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
        terms = []
        for a, b in zip(pm, qm):
            if a == 0:
                continue
            if b == 0:
                return mpmath.inf
            terms.append(a / sp * mpmath.log((a / sp) / (b / sq)))
        return mpmath.fsum(terms)


def mp_entropy(p, dps=None):
    """H(P) in nats with mpmath on the exactly normalised ``p``."""
    with mpmath.workdps(dps or _digits(p)):
        pm = [mpmath.mpf(float(x)) for x in p]
        s = mpmath.fsum(pm)
        return -mpmath.fsum(a / s * mpmath.log(a / s) for a in pm if a > 0)


def mp_js(p, q, dps=None):
    """Jensen-Shannon divergence in nats with mpmath on exactly normalised inputs."""
    with mpmath.workdps(dps or _digits(p, q)):
        pm = [mpmath.mpf(float(x)) for x in p]
        qm = [mpmath.mpf(float(x)) for x in q]
        sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
        pm = [a / sp for a in pm]
        qm = [b / sq for b in qm]
        mm = [(a + b) / 2 for a, b in zip(pm, qm)]
        d = lambda x, m: mpmath.fsum(a * mpmath.log(a / c) for a, c in zip(x, m) if a > 0)  # noqa: E731
        return (d(pm, mm) + d(qm, mm)) / 2


def mp_standard_pareto_kl(b, minus_log_q):
    """D(pareto(b) || Q) = -H(P) + E_P[-log q] in mpmath, H(P) = 1 + 1 / b - log b (support x >= 1)."""
    b = mpmath.mpf(b)
    mean = mpmath.quad(lambda x: b * x ** (-b - 1) * minus_log_q(x), [1, 2, 10, 100, 1e4, 1e8, mpmath.inf])
    return -(1 + 1 / b - mpmath.log(b)) + mean
