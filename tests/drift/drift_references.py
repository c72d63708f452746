"""Independent references shared by the drift tests (tests/drift/): smoothed histograms, the
measures and exact permutation p-values written from their definitions, never with klteach.drift.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import scipy.stats
from scipy.spatial.distance import jensenshannon


def smoothed(counts, a):
    c = np.asarray(counts, float) + a
    return c / c.sum()


def ref_measure(measure, ref_counts, cur_counts, a=0.5):
    """The statistic from scipy, on histograms smoothed here."""
    p, q = smoothed(ref_counts, a), smoothed(cur_counts, a)
    return {"kl": scipy.stats.entropy(p, q), "kl_reverse": scipy.stats.entropy(q, p),
            "psi": float(np.sum((p - q) * np.log(p / q))), "js": jensenshannon(p, q) ** 2}[measure]


def ref_counts_of(x, edges):
    """Counts with overflow bins via np.histogram on the inner range."""
    x = np.asarray(x, float)
    inner = x[(x >= edges[0]) & (x < edges[-1])]
    # np.histogram closes its last bin; values equal to edges[-1] are excluded above.
    return np.concatenate([[np.sum(x < edges[0])], np.histogram(inner, edges)[0],
                           [np.sum(x >= edges[-1])]])


def ref_quantile_edges(x, k):
    """Linear interpolation between order statistics at the exact positions (n - 1) j / k."""
    x = np.sort(x)
    e = []
    for j in range(k + 1):
        h = Fraction((len(x) - 1) * j, k)
        lo = math.floor(h)
        hi = min(lo + 1, len(x) - 1)
        e.append(x[lo] + float(h - lo) * (x[hi] - x[lo]) if hi > lo else x[lo])
    e[-1] = np.nextafter(x[-1], np.inf)
    return e


def ref_edges(ref, rule):
    ref = np.asarray(ref, float)
    if ref.min() == ref.max():
        return np.array([ref.min(), np.nextafter(ref.min(), np.inf)])
    if isinstance(rule, int):
        # A value seen more than n / k times (a point mass) gets the bin [v, next float);
        # the other values share k - (number of point masses) quantile bins (at least 1).
        counts = {v: int(np.sum(ref == v)) for v in np.unique(ref)}
        atoms = [v for v, c in counts.items() if c * rule > len(ref)]
        rest = [v for v in ref if v not in atoms]
        e = [x for v in atoms for x in (v, np.nextafter(v, np.inf))]
        if rest:
            e += ref_quantile_edges(rest, max(1, rule - len(atoms)))
        return np.unique(np.array(e))
    e = np.histogram_bin_edges(ref, rule)
    e[-1] = np.nextafter(ref.max(), np.inf)
    return np.unique(e)


def zero_inflated(rng, n, low):
    """90% zeros, the rest uniform on (low, 100)."""
    x = np.zeros(n)
    positive = rng.random(n) < 0.1
    x[positive] = rng.uniform(low, 100, positive.sum())
    return x
