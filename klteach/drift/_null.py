r"""Fast permutation null for drift_test with quantile bins re-learned from each shuffle.

``drift_test`` (default ``bins=10``) learns k quantile edges from each
shuffled reference, counts both samples in those bins and computes a
divergence. Done directly, every shuffle sorts a reference of n values
(O(B n log n) for B shuffles). This module draws the *same* permutation
distribution of the statistic in O(B k log(n + m)), exactly, not by an
approximation.

Why it is exact
---------------
Let ``z`` be the N = n + m pooled values, sorted and all distinct. A
shuffle makes a uniformly random n-subset of them the reference. Write
``G_g`` for the number of current values between reference order statistics
g - 1 and g (``G_0`` below the smallest, ``G_n`` above the largest); the
n-subsets correspond one to one to the vectors (G_0, ..., G_n) of whole
numbers summing to m (stars and bars), so G is uniform over these
compositions: Dirichlet-multinomial(m; 1, ..., 1). Summing G over
consecutive blocks of gaps of sizes a_1, ..., a_L gives
Dirichlet-multinomial(m; a_1, ..., a_L), which is cheap to draw (a Dirichlet
vector, then a multinomial). The reference order statistic of rank r sits
at position ``r + C(r)`` of ``z``, with ``C(r) = G_0 + ... + G_r``.

The statistic needs only a few order statistics of the shuffled
reference: edge j lies at position (n - 1) j / k, interpolated between the
order statistics of ranks ``lo_j`` and ``lo_j + 1``, and the last edge is one
float step above the maximum (rank n - 1), or the largest float itself when the
maximum is that float (which then counts in the bin above, as in
:func:`~klteach.drift.bin_edges`). Drawing the block sums of G with
blocks ending at these ranks gives their positions in ``z``, hence their
values, hence the edges (computed with the same floating-point operations
as :func:`~klteach.drift.bin_edges`). The counts then follow without the rest
of the reference: the pooled count below an edge is a binary search in ``z``,
the reference count below edge j is ``lo_j + [x_lo < e_j] + [x_hi < e_j]``
(an edge never passes the next order statistic, see below), and the current
count is their difference.

The tempting shortcut - "the statistic depends only on how the current
values interleave with the reference, so its null distribution is free of
the data" - holds only when every edge falls on a reference order statistic
(k divides n - 1). Otherwise an interpolated edge splits the gap it falls
in by *value*, and how many current values of that gap lie below it depends
on the data's distribution; conditioning on the pooled values, as here,
keeps the test exact whatever that distribution is.

When it applies
---------------
Only for plain quantile bins: ``bins`` an integer k with ``k <= n`` (with
``k > n`` every reference value is a point mass of its own and
``bin_edges`` switches rule), n >= 2, m >= 1, no NaN, and all pooled values
distinct and not adjacent floats. Distinctness rules out ties and point
masses (for which bins change rule from one shuffle to the next); the gap
of two float steps guarantees that a rounded interpolated edge stays below
the next order statistic. Otherwise :func:`relearned_quantile_test` returns
None and the caller uses the direct permutation path.
"""

from __future__ import annotations

import math

import numpy as np

from ._common import _MAX, _interpolate, _smoothed, _statistic

_CHUNK_ELEMENTS = 2_000_000


def applies(reference, current, n_bins) -> bool:
    """True when the fast exact null serves ``drift_test(reference, current, bins=n_bins)``.

    ``reference`` and ``current`` are 1-D float arrays (already checked);
    ``n_bins`` the number of quantile bins.
    """
    n, m = len(reference), len(current)
    if n < 2 or m < 1 or not 1 <= n_bins <= n:
        return False
    pooled = np.sort(np.concatenate([reference, current]))
    if np.isnan(pooled[-1]) or not np.isfinite(pooled).all():
        return False
    with np.errstate(over="ignore"):   # next float above the largest one: inf (a tie, as it should)
        return bool(np.all(pooled[1:] > np.nextafter(pooled[:-1], np.inf)))


def _edge_plan(n: int, n_bins: int):
    """Ranks each edge needs, and the blocks of gaps whose current counts are drawn.

    Returns ``lo, hi, frac`` (per edge j < k: lower and upper rank and the
    interpolation fraction), ``ranks`` (sorted distinct ranks needed, the last
    n - 1) and ``sizes`` (number of gaps in each block; they sum to n + 1).
    """
    lo, remainder = np.divmod((n - 1) * np.arange(n_bins), n_bins)
    hi = np.minimum(lo + 1, n - 1)
    ranks = np.unique(np.concatenate([lo, hi, [n - 1]]))
    sizes = np.diff(np.concatenate([[-1], ranks, [n]]))
    return lo, hi, remainder / n_bins, ranks, sizes


def _counts(pooled_sorted, n, n_bins, plan, before):
    """Reference and pooled counts per bin, and active bins, from current counts before ranks.

    ``before`` has one row per shuffle: ``before[:, i]`` is the number of
    current values below the reference order statistic of rank
    ``ranks[i]``. Returns three arrays of shape (rows, k + 2): bin 0 is below
    the first edge, bin k + 1 at or above the last.
    """
    lo, hi, frac, ranks, _ = plan
    rows = before.shape[0]
    values = pooled_sorted[ranks + before]                 # (rows, L) order statistics
    where = np.searchsorted(ranks, lo), np.searchsorted(ranks, hi)
    low, high = values[:, where[0]], values[:, where[1]]
    edges = np.empty((rows, n_bins + 1))
    # The same interpolation as _common._quantile_edges (overflow-safe), so the same floats.
    edges[:, :-1] = _interpolate(low, frac, high)
    # The last edge is one float step above the maximum, or the largest float itself when
    # the maximum is that float (as bin_edges makes it): that value then counts at or above it.
    top = values[:, -1]
    with np.errstate(over="ignore"):
        last = np.minimum(np.nextafter(top, np.inf), _MAX)
    edges[:, -1] = last
    edges = np.maximum.accumulate(edges, axis=1)
    edges[:, -1] = last
    ref_below = np.empty((rows, n_bins + 1), dtype=np.int64)
    inner = edges[:, :-1]
    ref_below[:, :-1] = lo + (low < inner) + ((hi > lo) & (high < inner))
    ref_below[:, -1] = n - (top >= last)
    pooled_below = np.searchsorted(pooled_sorted, edges.ravel()).reshape(edges.shape)
    zeros = np.zeros((rows, 1), dtype=np.int64)
    ref = np.diff(np.hstack([zeros, ref_below, zeros + n]), axis=1)
    pooled = np.diff(np.hstack([zeros, pooled_below, zeros + len(pooled_sorted)]), axis=1)
    active = np.ones(ref.shape)
    active[:, 1:-1] = edges[:, 1:] > edges[:, :-1]   # no subtraction: it could overflow
    return ref, pooled, active


def _statistics(ref, pooled, active, measure, pseudo_count, base):
    """The drift statistic of each row (as _common._smoothed and _common._statistic compute it)."""
    return np.atleast_1d(_statistic(measure, _smoothed(ref, active, pseudo_count),
                                    _smoothed(pooled - ref, active, pseudo_count), base))


def draw_before(rng, sizes, m: int, rows: int) -> np.ndarray:
    """Current counts below each needed rank for ``rows`` random shuffles.

    Block sums of a uniform composition of m into ``sum(sizes)`` parts are
    Dirichlet-multinomial(m; sizes): a Dirichlet(sizes) vector of
    probabilities, then a multinomial draw. Returns the cumulative sums
    without the last block (shape (rows, len(sizes) - 1)).
    """
    weights = rng.standard_gamma(np.asarray(sizes, dtype=float), size=(rows, len(sizes)))
    blocks = rng.multinomial(m, weights / weights.sum(axis=1, keepdims=True))
    return np.cumsum(blocks[:, :-1], axis=1)


def relearned_quantile_null(pooled_sorted, n, n_bins, measure, pseudo_count, base,
                            n_permutations, rng):
    """Permuted statistics of drift_test with k quantile bins re-learned per shuffle.

    ``pooled_sorted``: the n + m pooled values, sorted, under the conditions
    of :func:`applies`; the first n of a shuffle are the reference. Returns
    ``n_permutations`` statistics drawn from the exact permutation
    distribution (see the module docstring).
    """
    plan = _edge_plan(n, n_bins)
    m = len(pooled_sorted) - n
    block = max(1, _CHUNK_ELEMENTS // (4 * len(plan[4]) + 4 * n_bins))
    out = []
    done = 0
    while done < n_permutations:
        rows = min(block, n_permutations - done)
        before = draw_before(rng, plan[4], m, rows)
        out.append(_statistics(*_counts(pooled_sorted, n, n_bins, plan, before),
                               measure, pseudo_count, base))
        done += rows
    return np.concatenate(out)


def observed_statistic(reference, pooled_sorted, n_bins, measure, pseudo_count, base) -> float:
    """The statistic of the actual split, by the same code as the permuted ones."""
    n = len(reference)
    plan = _edge_plan(n, n_bins)
    ranks = plan[3]
    positions = np.searchsorted(pooled_sorted, np.sort(reference)[ranks])
    before = (positions - ranks)[None, :]
    return float(_statistics(*_counts(pooled_sorted, n, n_bins, plan, before),
                             measure, pseudo_count, base)[0])


def relearned_quantile_test(reference, current, n_bins, measure, pseudo_count, n_permutations,
                            rng, base):
    """Observed and permuted statistics for ``drift_test(..., bins=n_bins)``, or None.

    A drop-in for the quantile branch of ``permutation._relearned_test``: same
    arguments (already validated), same return value ``(observed,
    permuted)``; None when :func:`applies` is false (ties, point masses,
    NaN, fewer than 2 reference values or more bins than reference values),
    in which case the caller keeps its direct permutation path.
    """
    if not applies(reference, current, n_bins):
        return None
    pooled_sorted = np.sort(np.concatenate([reference, current]))
    observed = observed_statistic(reference, pooled_sorted, n_bins, measure, pseudo_count, base)
    permuted = relearned_quantile_null(pooled_sorted, len(reference), n_bins, measure,
                                       pseudo_count, base, n_permutations, rng)
    return observed, permuted


def pvalue(observed: float, permuted) -> float:
    """(1 + #{permuted >= observed}) / (B + 1), with drift's relative tolerance for rounding."""
    threshold = observed - 1e-12 * abs(observed) if math.isfinite(observed) else observed
    return (1 + int(np.count_nonzero(np.asarray(permuted) >= threshold))) / (len(permuted) + 1)
