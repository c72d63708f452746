"""Internal helpers shared by the drift modules: bin rules, quantile edges, smoothed histograms
and the statistic of each measure."""

from __future__ import annotations

from numbers import Integral

import numpy as np

from .._validation import DistributionError, _as_counts, check_same_labels
from ..discrete import js_divergence, kl_divergence
from ..symmetric import jeffreys_divergence

_MAX = np.finfo(float).max

_NUMPY_RULES = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")


def _interpolate(low: np.ndarray, frac: np.ndarray, high: np.ndarray) -> np.ndarray:
    """``low + frac (high - low)`` for ``low <= high`` and ``0 <= frac < 1``, never outside [low, high].

    Where ``high - low`` overflows (two finite values more than about 1.8e308
    apart, so of opposite signs), ``low (1 - frac) + high frac`` gives the
    same point without overflow: each term is at most its value in size, and
    the two have opposite signs. Elsewhere it is ``low + frac * (high - low)``
    as computed before; either is then clipped into [low, high], which a
    rounding could otherwise leave.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        edges = low + frac * (high - low)
    wide = ~np.isfinite(edges) & np.isfinite(low) & np.isfinite(high)
    if wide.any():
        frac = np.broadcast_to(frac, edges.shape)
        edges[wide] = low[wide] * (1 - frac[wide]) + high[wide] * frac[wide]
    return np.clip(edges, low, high)


def _quantile_edges(sorted_rows: np.ndarray, n_bins: int) -> np.ndarray:
    """Quantile edges (linear interpolation) of each sorted row, last edge nudged up one ulp.

    Duplicates are kept (rows stay the same length); a zero-width bin holds
    nothing and is dropped from the measures. The interpolation cannot
    overflow (:func:`_interpolate`): finite values give finite edges.
    """
    n = sorted_rows.shape[1]
    # Position (n - 1) j / k split exactly into whole and fractional parts.
    lo, remainder = np.divmod((n - 1) * np.arange(n_bins + 1), n_bins)
    hi = np.minimum(lo + 1, n - 1)
    edges = _interpolate(sorted_rows[:, lo], remainder / n_bins, sorted_rows[:, hi])
    edges = np.maximum.accumulate(edges, axis=1)   # rounding never makes them decrease
    with np.errstate(over="ignore"):               # above the largest float: +inf
        edges[:, -1] = np.nextafter(sorted_rows[:, -1], np.inf)
    return edges


def _point_masses(sorted_values: np.ndarray, n_bins: int) -> np.ndarray:
    """Values repeated more often than a quantile bin holds (more than n / k times)."""
    values, counts = np.unique(sorted_values, return_counts=True)
    return values[counts * n_bins > len(sorted_values)]


def _point_mass_quantile_edges(sorted_values: np.ndarray, n_bins: int) -> np.ndarray:
    """Quantile edges, with a bin of its own for each point mass of the sample.

    A value repeated more than n / k times (the zeros of a zero-inflated
    feature, a default filled in for missing data) cannot be split by
    quantiles: the quantile edges would pile up on it and leave the rest of
    the sample one or two bins. Each such value v gets the bin [v, next float
    after v), and the other values get k - (number of point masses) quantile
    bins of their own (at least one). Without point masses these are the
    k quantile edges (duplicates merged).
    """
    atoms = _point_masses(sorted_values, n_bins)
    if not atoms.size:
        return np.unique(_quantile_edges(sorted_values[None, :], n_bins)[0])
    rest = sorted_values[~np.isin(sorted_values, atoms)]
    with np.errstate(over="ignore"):
        edges = [atoms, np.nextafter(atoms, np.inf)]
    if rest.size:
        edges.append(_quantile_edges(rest[None, :], max(1, n_bins - atoms.size))[0])
    return np.unique(np.concatenate(edges))


def _parse_bins(bins):
    """('quantile', k), ('numpy', rule) or ('fixed', edges)."""
    if isinstance(bins, str):
        if bins == "quantile":
            return "quantile", 10
        if bins in _NUMPY_RULES:
            return "numpy", bins
        raise ValueError(f"bins={bins!r} is not a rule klteach knows; use an integer (that many "
                         f"quantile bins of the reference), 'quantile' (10), one of numpy's rules "
                         f"{', '.join(map(repr, _NUMPY_RULES))}, or an increasing array of edges.")
    if isinstance(bins, Integral) and not isinstance(bins, bool):
        if bins < 1:
            raise ValueError(f"bins must be at least 1, got {bins}.")
        return "quantile", int(bins)
    edges = np.asarray(bins, dtype=float) if not isinstance(bins, bool) else np.asarray([])
    if edges.ndim != 1 or edges.size < 2 or not np.all(np.isfinite(edges)) \
            or np.any(edges[1:] <= edges[:-1]):
        raise ValueError(f"fixed bin edges must be a 1-D array of at least 2 finite, strictly "
                         f"increasing numbers, got {bins!r}.")
    return "fixed", edges


def _edges_from_rule(values: np.ndarray, kind: str, arg) -> np.ndarray:
    """Edges from a NaN-free reference sample for a parsed rule.

    The edges are finite, so they can be passed back as fixed edges: the
    last edge is the next float above the largest value, or the largest
    float itself if the sample holds it (that value then counts in the bin
    at or above the last edge). Values above 2**400 or all below 2**-400 in
    size get numpy's rule on the sample scaled by a power of 2 to sizes
    near 1, the edges scaled back (the rules depend on the data only through
    ratios of widths, and the scaling is exact), so ``max - min`` and the
    squares numpy takes neither overflow nor underflow.
    """
    if kind == "fixed":
        return arg
    lo, hi = values.min(), values.max()
    if lo == hi:   # constant reference: below, equal to, above the constant
        edges = np.array([lo, np.nextafter(lo, np.inf)]) if hi < _MAX else np.array([np.nextafter(lo, -np.inf), lo])
    elif kind == "quantile":
        edges = _point_mass_quantile_edges(np.sort(values), arg)
    else:
        # numpy's rules square and subtract the values: above 2**400 or below 2**-400 in size
        # they are scaled by a power of 2 to sizes near 1 first (exact, so the edges are the
        # same floats wherever numpy's own arithmetic would neither overflow nor underflow:
        # squares of 1e-300 underflow to 0, and scott's width with them, giving one bin).
        size = np.frexp(max(-lo, hi))[1]
        shift = int(size) if not -400 <= size <= 400 else 0
        edges = np.ldexp(np.histogram_bin_edges(np.ldexp(values, -shift), bins=arg), shift)
        if shift < 0:   # edges scaled back into the subnormals may round onto each other
            edges = np.unique(edges)
        edges[0] = lo
        with np.errstate(over="ignore"):
            edges[-1] = np.nextafter(hi, np.inf)
    if np.isinf(edges[-1]):
        edges = edges[:-1] if edges[-2] == _MAX else np.concatenate([edges[:-1], [_MAX]])
    return edges


def _smoothed(counts: np.ndarray, active: np.ndarray, pseudo_count: float) -> np.ndarray:
    """Counts plus the pseudo-count in active bins, normalised along the last axis.

    A pseudo-count so large that the total overflows float64 (above about
    1.8e308 / K) gives the same ratios divided through by the pseudo-count,
    (c / a + 1) / (n / a + K): nearly uniform, as the smoothing asks.
    """
    c = counts + pseudo_count * active
    with np.errstate(over="ignore"):
        total = c.sum(axis=-1, keepdims=True)
    if np.isfinite(total).all():
        return c / total
    c = counts / pseudo_count + active
    return c / c.sum(axis=-1, keepdims=True)


def _is_missing_label(value) -> bool:
    """None, a float NaN, pandas' NA and NaT, numpy's NaT: a missing label, never a category.

    pandas is not imported: its missing values are recognised by their type's
    name (``NAType``, ``NaTType``); anything else that is not equal to itself
    (a NaN of any numeric type, ``Decimal("NaN")``) is missing too.
    """
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    try:
        return bool(value != value)
    except Exception:   # an object whose comparison is not a truth value
        return False


def _pair_counts(reference_counts, current_counts):
    """Both sides' counts, checked; labelled counts (a pandas Series) must list the same labels
    in the same order, since they are paired by position."""
    check_same_labels(reference_counts, current_counts, names=("reference_counts", "current_counts"))
    ref = _as_counts(reference_counts, "reference_counts")
    cur = _as_counts(current_counts, "current_counts")
    if ref.size != cur.size:
        raise DistributionError(
            f"reference_counts has {ref.size} bins but current_counts has {cur.size}; both must "
            f"count the same bins (or categories), in the same order.")
    return ref, cur


def _statistic(measure, p, q, base):
    if measure == "kl":
        return kl_divergence(p, q, base=base)
    if measure == "kl_reverse":
        return kl_divergence(q, p, base=base)
    if measure == "psi":
        return jeffreys_divergence(p, q, base=base)
    return js_divergence(p, q, base=base)
