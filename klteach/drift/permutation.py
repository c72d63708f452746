"""Permutation tests for drift: from counts per bin, or from raw samples with the bins re-learned."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._validation import (
    DEFAULT_PSEUDO_COUNT,
    _as_sample,
    _check_measure,
    _check_n_permutations,
    _check_pseudo_count,
    check_base,
    unit_name,
)
from ._common import (
    _MAX,
    _edges_from_rule,
    _pair_counts,
    _parse_bins,
    _quantile_edges,
    _smoothed,
    _statistic,
)
from ._null import relearned_quantile_test
from .binning import bin_counts, category_counts
from .measures import DriftMeasures, drift_measures

__all__ = ["drift_test", "drift_test_counts", "DriftTestResult"]


_MEASURE_NAMES = {"kl": "D(ref||cur)", "kl_reverse": "D(cur||ref)", "psi": "PSI", "js": "JS"}


_CHUNK_ELEMENTS = 2_000_000   # memory budget per block of vectorised permutations


@dataclass(frozen=True, eq=False)
class DriftTestResult:
    """Outcome of a permutation test for drift of one feature.

    ``edges`` are the bin edges learned from the reference (None for
    categories or counts), ``categories`` the labels of categorical bins.
    """

    statistic: float
    pvalue: float
    measure: str
    units: str
    measures: DriftMeasures
    reference_counts: np.ndarray = field(repr=False)
    current_counts: np.ndarray = field(repr=False)
    edges: np.ndarray | None = field(default=None, repr=False)
    categories: list | None = field(default=None, repr=False)
    n_permutations: int = 0
    pseudo_count: float = DEFAULT_PSEUDO_COUNT
    #: How the p-value was computed: "permutation", or, for counts with a side of 1e9
    #: observations or more, "permutation, smaller side drawn with replacement (...)" or
    #: "chi-square approximation (K - 1 = d degrees of freedom[; approximate: ...])".
    null: str = "permutation"

    def __str__(self):
        if self.null != "permutation":
            return (f"{_MEASURE_NAMES[self.measure]} = {self.statistic:.4f} {self.units}, "
                    f"p-value = {self.pvalue:.4g} ({self.null})")
        return (f"{_MEASURE_NAMES[self.measure]} = {self.statistic:.4f} {self.units}, "
                f"permutation p-value = {self.pvalue:.4f} ({self.n_permutations} permutations)")


def _pvalue(observed: float, permuted: np.ndarray) -> float:
    """(1 + #{permuted >= observed}) / (B + 1), with a relative tolerance for rounding."""
    threshold = observed - 1e-12 * abs(observed) if math.isfinite(observed) else observed
    return (1 + int(np.count_nonzero(permuted >= threshold))) / (len(permuted) + 1)


#: numpy's samplers need sum(colors) < 1e9 (multivariate_hypergeometric's default method)
#: and ngood, nbad < 1e9 each (hypergeometric).
_NUMPY_HYPERGEOMETRIC_LIMIT = 10**9


def _split_pooled(pooled, n_ref, n_cur, n_permutations, rng):
    """Reference counts of B random splits of the pooled counts (multivariate hypergeometric).

    Below 1e9 observations in all, numpy's multivariate_hypergeometric. From
    1e9 on (where it refuses), bin after bin: the reference's share of bin k
    is hypergeometric, drawing pooled[k] observations from the n_ref
    reference and n_cur current labels not yet handed out (exact, valid
    while n_ref and n_cur are each below 1e9).
    """
    if n_ref + n_cur < _NUMPY_HYPERGEOMETRIC_LIMIT:
        return rng.multivariate_hypergeometric(pooled, n_ref, size=n_permutations)
    ref_perm = np.zeros((n_permutations, len(pooled)), dtype=np.int64)
    left_ref = np.full(n_permutations, n_ref, dtype=np.int64)
    left_cur = np.full(n_permutations, n_cur, dtype=np.int64)
    for k, size in enumerate(pooled[:-1]):
        if size:
            # hypergeometric(ngood, nbad, 0) is allowed, but a side may be used up: then the
            # whole bin goes to the other side.
            draw = rng.hypergeometric(np.maximum(left_ref, 0), np.maximum(left_cur, 0), int(size))
            ref_perm[:, k] = draw
            left_ref -= draw
            left_cur -= int(size) - draw
    ref_perm[:, -1] = left_ref
    return ref_perm


def _asymptotic_pvalue(observed, ref, cur, measure, base):
    r"""p-value of the chi-square approximation, for totals numpy cannot shuffle.

    For fixed bins and no drift, :math:`c\,\frac{nm}{n+m}\hat T` (T in nats)
    is approximately chi-square with K - 1 degrees of freedom (K non-empty
    pooled bins), with c = 2 for KL, 1 for PSI, 8 for JS.
    """
    import scipy.stats  # here, not at the top: it would slow down `import klteach`
    n, m = float(ref.sum()), float(cur.sum())
    nats = observed * (math.log(base) if base is not None else 1.0)
    factor = {"kl": 2.0, "kl_reverse": 2.0, "psi": 1.0, "js": 8.0}[measure]
    dof = max(int(np.count_nonzero(ref + cur)) - 1, 1)
    return float(scipy.stats.chi2.sf(factor * n * m / (n + m) * nats, dof)), dof


#: Total-variation error accepted from drawing the smaller side with replacement: always up to
#: the first, up to the second where the chi-square approximation would be poor (a bin expecting
#: fewer than 5 observations on the smaller side). 0.01 is the Monte Carlo error of a p-value of
#: 0.05 from 500 permutations.
_MULTINOMIAL_TOLERANCE = (1e-3, 1e-2)


def _multinomial_split(ref, cur, n_permutations, rng):
    """Reference counts of B splits, the smaller side drawn from the pooled shares with replacement.

    The exact split draws the smaller side (m observations) without
    replacement from the N pooled ones; drawing with replacement
    (multinomial) changes the distribution of its K counts by at most
    2 K m / N in total variation (Diaconis and Freedman, 1980), hence any
    p-value by at most as much. Returns the draws and that bound.
    """
    pooled = ref + cur
    n_total = int(pooled.sum())
    small_is_ref = int(ref.sum()) <= int(cur.sum())
    m = int(ref.sum()) if small_is_ref else int(cur.sum())
    bound = 2.0 * np.count_nonzero(pooled) * m / n_total
    small = rng.multinomial(m, pooled / n_total, size=n_permutations)
    return (small if small_is_ref else pooled - small), bound


def _test_from_counts(ref, cur, measure, pseudo_count, n_permutations, rng, base):
    """Observed statistic and permuted ones when the bins do not depend on the labels."""
    active = np.ones(ref.shape)
    observed = float(_statistic(measure, _smoothed(ref, active, pseudo_count),
                                _smoothed(cur, active, pseudo_count), base))
    pooled = ref + cur
    ref_perm = _split_pooled(pooled, int(ref.sum()), int(cur.sum()), n_permutations, rng)
    cur_perm = pooled - ref_perm
    permuted = _statistic(measure, _smoothed(ref_perm, active, pseudo_count),
                          _smoothed(cur_perm, active, pseudo_count), base)
    return observed, np.atleast_1d(permuted)


def drift_test_counts(reference_counts, current_counts, *, measure="kl",
                      pseudo_count=DEFAULT_PSEUDO_COUNT, n_permutations=1000, seed=None,
                      base=None):
    """Permutation test for drift from counts per bin (or per category).

    Shuffling the labels "reference" and "current" among all observations
    splits the pooled counts of each bin at random (a multivariate
    hypergeometric draw); the p-value is ``(1 + #{T_perm >= T_obs}) / (B + 1)``.
    It is exact when the bins do not depend on the two samples compared
    (fixed edges, categories, edges from an earlier period). For edges
    learned from the same reference sample, prefer :func:`drift_test`.
    Its cost depends on the number of bins and permutations, not on the
    number of observations, up to the limits in the Notes.

    Parameters
    ----------
    reference_counts, current_counts : array_like
        Whole-number counts per bin.
    measure : {"kl", "kl_reverse", "psi", "js"}
        Statistic: D(ref||cur) (default), D(cur||ref), PSI or JS.
    pseudo_count : float
        Added to every bin of both histograms (default 0.5).
    n_permutations : int
        Number of shuffles B (default 1000).
    seed : int or numpy.random.Generator, optional
    base : float, optional
        None for nats, 2 for bits (the p-value does not depend on it).

    Returns
    -------
    DriftTestResult

    Raises
    ------
    DistributionError
        Bad counts, as for :func:`drift_measures`.
    ValueError
        Unknown measure, negative pseudo-count, n_permutations < 1; an
        infinite statistic (pseudo_count=0) where the chi-square
        approximation is used (1e9 observations or more on a side).

    Notes
    -----
    numpy's hypergeometric samplers stop at 1e9 observations. Below 1e9 in
    all, the split is ``Generator.multivariate_hypergeometric``. From 1e9 in
    all, while each side holds fewer than 1e9, it is drawn bin after bin
    (the reference's share of bin k is hypergeometric given the labels not
    yet handed out), still exact. When either side holds 1e9 observations
    or more: if the smaller side is small (2 K m / N <= 1e-3, K non-empty
    pooled bins, m its size, N the pooled total; or <= 1e-2 when a bin
    expects fewer than 5 of its observations), its counts are drawn from
    the pooled shares with replacement (multinomial), which moves the
    p-value by at most 2 K m / N (Diaconis and Freedman, 1980); otherwise no
    shuffle is drawn and the p-value is the chi-square approximation for
    fixed bins, ``c * n * m / (n + m) * T`` ~ chi-square with K - 1 degrees
    of freedom (T in nats, over the K non-empty pooled bins: a bin empty on
    both sides would add its pseudo-count's bias; c = 2 for either KL, 1 for
    PSI, 8 for JS;
    ``n_permutations`` is then 0). ``result.null`` says which, and flags a
    chi-square p-value as approximate when a bin expects fewer than 5
    observations on the smaller side (the pseudo-count then dominates that
    bin and the approximation can be far off).

    Examples
    --------
    >>> r = drift_test_counts([50, 30, 20], [30, 30, 40], seed=0)
    >>> print(f"{r.statistic:.4f} {r.units}, p = {r.pvalue:.3f}")
    0.1134 nats, p = 0.006
    """
    base = check_base(base)
    measure = _check_measure(measure)
    pseudo_count = _check_pseudo_count(pseudo_count)
    n_permutations = _check_n_permutations(n_permutations)
    ref, cur = _pair_counts(reference_counts, current_counts)
    measures = drift_measures(ref, cur, pseudo_count=pseudo_count, base=base)
    if max(int(ref.sum()), int(cur.sum())) >= _NUMPY_HYPERGEOMETRIC_LIMIT:
        return _beyond_numpy(ref, cur, measure, pseudo_count, n_permutations, seed, base, measures)
    observed, permuted = _test_from_counts(ref, cur, measure, pseudo_count, n_permutations,
                                           np.random.default_rng(seed), base)
    return DriftTestResult(observed, _pvalue(observed, permuted), measure, unit_name(base),
                           measures, ref, cur, n_permutations=n_permutations,
                           pseudo_count=pseudo_count)


def _beyond_numpy(ref, cur, measure, pseudo_count, n_permutations, seed, base, measures):
    """drift_test_counts when a side holds 1e9 observations or more (see its Notes)."""
    active = np.ones(ref.shape)
    observed = float(_statistic(measure, _smoothed(ref, active, pseudo_count),
                                _smoothed(cur, active, pseudo_count), base))
    pooled = ref + cur
    n_total = int(pooled.sum())
    m = min(int(ref.sum()), int(cur.sum()))
    expected = pooled[pooled > 0] * (m / n_total)   # the smaller side's expected counts
    bound = 2.0 * expected.size * m / n_total
    if bound <= _MULTINOMIAL_TOLERANCE[0] or (bound <= _MULTINOMIAL_TOLERANCE[1] and expected.min() < 5):
        ref_perm, bound = _multinomial_split(ref, cur, n_permutations, np.random.default_rng(seed))
        permuted = np.atleast_1d(_statistic(measure, _smoothed(ref_perm, active, pseudo_count),
                                            _smoothed(pooled - ref_perm, active, pseudo_count),
                                            base))
        return DriftTestResult(observed, _pvalue(observed, permuted), measure, unit_name(base),
                               measures, ref, cur, n_permutations=n_permutations,
                               pseudo_count=pseudo_count,
                               null=(f"permutation, smaller side drawn with replacement "
                                     f"(within {bound:.1g} in total variation of the exact split)"))
    # Bins empty in the pooled counts are empty in every split: in a permutation they add the
    # same constant to the observed and every shuffled statistic, but here the pseudo-count they
    # carry would add a bias the K - 1 degrees of freedom (non-empty bins) do not allow for.
    # The p-value therefore uses the statistic over the non-empty pooled bins only.
    seen = pooled > 0
    seen_only = float(_statistic(measure, _smoothed(ref[seen], active[seen], pseudo_count),
                                 _smoothed(cur[seen], active[seen], pseudo_count), base))
    if math.isinf(seen_only):
        # Only with pseudo_count = 0: a bin seen on one side only makes the statistic infinite,
        # and chi2.sf(inf) = 0 would call one observation certain drift.
        raise ValueError(
            f"drift_test_counts cannot judge an infinite {measure} (pseudo_count=0 and a bin with "
            f"observations on one side only) from 1e9 observations on a side, where it uses the "
            f"chi-square approximation instead of shuffling: pass pseudo_count > 0 (the default "
            f"0.5), or measure='js', which stays finite.")
    pvalue, dof = _asymptotic_pvalue(seen_only, ref, cur, measure, base)
    note = "" if expected.min() >= 5 else (
        f"; approximate: a bin expects {expected.min():.3g} < 5 observations on the smaller side")
    return DriftTestResult(observed, pvalue, measure, unit_name(base), measures, ref, cur,
                           n_permutations=0, pseudo_count=pseudo_count,
                           null=f"chi-square approximation (K - 1 = {dof} degrees of freedom{note})")


def _permutations(rng, n_total: int, n_permutations: int, block: int):
    """Blocks of random permutations of ``range(n_total)``, one per row."""
    base = np.arange(n_total)
    done = 0
    while done < n_permutations:
        rows = min(block, n_permutations - done)
        yield rng.permuted(np.broadcast_to(base, (rows, n_total)), axis=1)
        done += rows


def _quantile_statistics(ref_rows, pooled_sorted, n_bins, measure, pseudo_count, base):
    """The statistic for each row of reference samples (sorted rows), vectorised.

    ``pooled_sorted`` holds every observation; current = pooled - reference.
    Quantile edges are learned from each row; zero-width bins (tied edges)
    are inactive, exactly as if the duplicate edges had been merged.
    """
    rows, n = ref_rows.shape
    edges = _quantile_edges(ref_rows, n_bins)                          # (rows, k + 1)
    # A row holding the largest float: last edge that float itself (not +inf), as bin_edges
    # makes it, so that value counts in the bin at or above the last edge.
    edges[:, -1] = np.minimum(edges[:, -1], _MAX)
    ref_below = (ref_rows[:, :, None] < edges[:, None, :]).sum(axis=1)  # (rows, k + 1)
    pooled_below = np.searchsorted(pooled_sorted, edges.ravel()).reshape(edges.shape)
    zeros = np.zeros((rows, 1), dtype=np.int64)
    ref = np.diff(np.hstack([zeros, ref_below, zeros + n]), axis=1)
    pooled = np.diff(np.hstack([zeros, pooled_below, zeros + len(pooled_sorted)]), axis=1)
    active = np.ones(ref.shape)
    active[:, 1:-1] = edges[:, 1:] > edges[:, :-1]   # no subtraction: it could overflow
    p, q = _smoothed(ref, active, pseudo_count), _smoothed(pooled - ref, active, pseudo_count)
    return np.atleast_1d(_statistic(measure, p, q, base))


def _binned(ref, cur, kind, arg):
    """Edges from ``ref`` and both samples' counts (a NaN bin only if either has NaN).

    A reference of only NaN teaches no edges: the two bins are then "a value"
    and "missing" (``edges`` is empty: one bin from -inf to inf).
    """
    present = ref[~np.isnan(ref)]
    if not present.size and kind != "fixed":
        edges = np.array([])
        a, b = (np.array([np.count_nonzero(~np.isnan(x)), np.count_nonzero(np.isnan(x))],
                         dtype=np.int64) for x in (ref, cur))
        return edges, a, b
    edges = _edges_from_rule(present, kind, arg)
    a, b = bin_counts(ref, edges, nan="bin"), bin_counts(cur, edges, nan="bin")
    if a[-1] == 0 and b[-1] == 0:
        a, b = a[:-1], b[:-1]
    return edges, a, b


def drift_test(reference, current, *, measure="kl", bins=10, pseudo_count=DEFAULT_PSEUDO_COUNT,
               n_permutations=1000, seed=None, base=None, nan="raise", categorical=None):
    """Permutation test: is ``current`` drawn from the same distribution as ``reference``?

    The statistic is a divergence between the binned, smoothed samples (bins
    learned from the reference, see :func:`bin_edges`). Under "no drift"
    every split of the pooled observations into a reference of size n and a
    current sample of size m is equally likely, so the test shuffles the
    labels B times, learns the bins again from each shuffled reference, and
    reports ``p = (1 + #{T_perm >= T_obs}) / (B + 1)``. Rejecting when
    ``p <= alpha`` raises a false alarm with probability at most alpha, at
    any sample size; a fixed threshold on the divergence does not.

    With quantile bins (the default) and pooled values that are all distinct,
    the B shuffled statistics are drawn from the same permutation
    distribution without sorting each shuffled reference: the few order
    statistics the edges need come from a Dirichlet-multinomial draw
    (O(B k log(n + m)) instead of O(B n log n); exact, see
    ``klteach/drift/_null.py``). Ties, point masses, NaN and numpy's rules
    bin every shuffle directly.

    Parameters
    ----------
    reference, current : array_like
        1-D samples (numbers, or labels when categorical).
    measure : {"kl", "kl_reverse", "psi", "js"}
        D(ref||cur) (default), D(cur||ref), PSI (their sum) or JS.
    bins : int, str or array_like
        As in :func:`bin_edges` (default: 10 quantile bins). Fixed edges are
        not re-learned (they do not depend on the data).
    pseudo_count : float
        Added to every bin of both histograms (default 0.5).
    n_permutations : int
        Number of shuffles B (default 1000).
    seed : int or numpy.random.Generator, optional
    base : float, optional
        None for nats, 2 for bits.
    nan : {"raise", "bin"}
        Refuse NaN (default) or count missing values in a bin of their own.
    categorical : bool, optional
        Compare category counts (default: True for non-numeric samples).

    Returns
    -------
    DriftTestResult
        ``.statistic``, ``.pvalue``, ``.edges``, the counts and all measures.

    Raises
    ------
    DistributionError
        Empty, non-1-D or non-numeric (numeric mode) samples, inf, NaN with ``nan="raise"``.
    ValueError
        Unknown measure or bin rule, bad edges, pseudo-count or n_permutations.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> r = drift_test(rng.normal(0, 1, 500), rng.normal(0.5, 1, 500), seed=2)
    >>> r.pvalue < 0.01
    True
    >>> len(r.edges), len(r.reference_counts)   # 10 quantile bins + 2 overflow bins
    (11, 12)
    """
    base = check_base(base)
    measure = _check_measure(measure)
    pseudo_count = _check_pseudo_count(pseudo_count)
    n_permutations = _check_n_permutations(n_permutations)
    rng = np.random.default_rng(seed)
    if categorical is None:
        categorical = any(np.asarray(x).dtype.kind not in "iuf" for x in (reference, current))
    if categorical:
        categories, ref_c, cur_c = category_counts(reference, current, nan=nan)
        observed, permuted = _test_from_counts(ref_c, cur_c, measure, pseudo_count,
                                               n_permutations, rng, base)
        return DriftTestResult(observed, _pvalue(observed, permuted), measure, unit_name(base),
                               drift_measures(ref_c, cur_c, pseudo_count=pseudo_count, base=base),
                               ref_c, cur_c, categories=categories,
                               n_permutations=n_permutations, pseudo_count=pseudo_count)
    kind, arg = _parse_bins(bins)
    ref = _as_sample(reference, "reference", nan)
    cur = _as_sample(current, "current", nan)
    edges, ref_c, cur_c = _binned(ref, cur, kind, arg)
    if kind == "fixed":
        observed, permuted = _test_from_counts(ref_c, cur_c, measure, pseudo_count,
                                               n_permutations, rng, base)
    else:
        # Quantile bins of distinct values: the exact fast null (_null.py) draws the same
        # permutation distribution without sorting each shuffle; otherwise (ties, point
        # masses, NaN, numpy's rules) every shuffle is binned directly.
        fast = relearned_quantile_test(ref, cur, arg, measure, pseudo_count, n_permutations,
                                       rng, base) if kind == "quantile" else None
        observed, permuted = fast if fast is not None else _relearned_test(
            ref, cur, kind, arg, measure, pseudo_count, n_permutations, rng, base)
    return DriftTestResult(observed, _pvalue(observed, permuted), measure, unit_name(base),
                           drift_measures(ref_c, cur_c, pseudo_count=pseudo_count, base=base),
                           ref_c, cur_c, edges=edges, n_permutations=n_permutations,
                           pseudo_count=pseudo_count)


def _relearned_test(ref, cur, kind, arg, measure, pseudo_count, n_permutations, rng, base):
    """Observed and permuted statistics, bins re-learned from every shuffled reference."""
    pooled = np.concatenate([ref, cur])
    n = len(ref)
    # The vectorised path learns plain quantile edges; it serves whenever no shuffled
    # reference can hold a point mass (a value more than n / k times).
    if kind == "quantile" and not np.isnan(pooled).any() \
            and np.unique(pooled, return_counts=True)[1].max() * arg <= n:
        pooled_sorted = np.sort(pooled)
        observed = float(_quantile_statistics(np.sort(ref)[None, :], pooled_sorted, arg,
                                              measure, pseudo_count, base)[0])
        block = max(1, _CHUNK_ELEMENTS // (n * (arg + 1)))
        permuted = np.concatenate([
            _quantile_statistics(np.sort(pooled[perm[:, :n]], axis=1), pooled_sorted, arg,
                                 measure, pseudo_count, base)
            for perm in _permutations(rng, len(pooled), n_permutations, block)])
        return observed, permuted
    # Any other rule (or NaN in a bin of its own): the number of bins may change
    # from one shuffle to the next, so each is binned on its own.

    def statistic(r, c):
        _, a, b = _binned(r, c, kind, arg)
        active = np.ones(a.shape)
        return float(_statistic(measure, _smoothed(a, active, pseudo_count),
                                _smoothed(b, active, pseudo_count), base))

    observed = statistic(ref, cur)
    permuted = []
    for block in _permutations(rng, len(pooled), n_permutations, 256):
        for perm in block:
            # The same statistic as the observed one, also for a shuffled reference of
            # only NaN (compared by its share of missing values, as in _binned).
            permuted.append(statistic(pooled[perm[:n]], pooled[perm[n:]]))
    return observed, np.asarray(permuted)
