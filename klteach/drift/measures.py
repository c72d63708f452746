"""D(ref||cur), D(cur||ref), PSI and JS between two smoothed histograms."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import DEFAULT_PSEUDO_COUNT, MEASURES, _check_pseudo_count, check_base, unit_name
from ..discrete import js_divergence, kl_divergence
from ._common import _pair_counts, _smoothed

__all__ = ["drift_measures", "DriftMeasures", "MEASURES", "DEFAULT_PSEUDO_COUNT"]


class DriftMeasures(NamedTuple):
    """Divergences between the smoothed reference (P) and current (Q) histograms."""

    kl_ref_cur: float     #: D(P||Q)
    kl_cur_ref: float     #: D(Q||P)
    psi: float            #: D(P||Q) + D(Q||P) (Jeffreys)
    js: float             #: Jensen-Shannon divergence
    units: str
    pseudo_count: float

    def __str__(self):
        u = self.units
        return (f"D(ref||cur) = {self.kl_ref_cur:.4f} {u}, D(cur||ref) = {self.kl_cur_ref:.4f} {u}, "
                f"PSI = {self.psi:.4f} {u}, JS = {self.js:.4f} {u} (pseudo-count {self.pseudo_count:g})")


def drift_measures(reference_counts, current_counts, *, pseudo_count=DEFAULT_PSEUDO_COUNT,
                   base=None):
    r"""D(ref||cur), D(cur||ref), PSI and JS from counts per bin.

    With pseudo-count a and K bins, P = (r + a) / (n + K a) and
    Q = (c + a) / (m + K a); then

    .. math:: \mathrm{PSI} = D(P\|Q) + D(Q\|P) = \sum_k (p_k - q_k) \log \frac{p_k}{q_k}

    Parameters
    ----------
    reference_counts, current_counts : array_like
        Whole-number counts per bin (same bins, same order), e.g. from
        :func:`bin_counts`, :func:`category_counts` or a SQL ``GROUP BY``.
    pseudo_count : float
        Added to every bin of both histograms (default 0.5). 0 means no
        smoothing: an empty bin on one side can make a measure infinite.
    base : float, optional
        None for nats (default), 2 for bits.

    Returns
    -------
    DriftMeasures

    Raises
    ------
    DistributionError
        Negative, non-integer, non-finite, all-zero or too large (> 2**53) counts;
        different numbers of bins.

    Examples
    --------
    >>> m = drift_measures([50, 30, 20], [30, 30, 40])
    >>> print(m)
    D(ref||cur) = 0.1134 nats, D(cur||ref) = 0.1202 nats, PSI = 0.2335 nats, JS = 0.0287 nats (pseudo-count 0.5)
    """
    base = check_base(base)
    pseudo_count = _check_pseudo_count(pseudo_count)
    ref, cur = _pair_counts(reference_counts, current_counts)
    active = np.ones(ref.shape)
    p, q = _smoothed(ref, active, pseudo_count), _smoothed(cur, active, pseudo_count)
    forward, reverse = kl_divergence(p, q, base=base), kl_divergence(q, p, base=base)
    return DriftMeasures(forward, reverse, forward + reverse, js_divergence(p, q, base=base),
                         unit_name(base), pseudo_count)
