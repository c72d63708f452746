r"""Data drift: has a feature's distribution moved away from its reference?

Each feature is binned with edges learned from the **reference** sample only,
plus an overflow bin below and one above the reference range, so current
values outside that range are counted rather than dropped. Quantile bins
give a value repeated more than n / k times (a point mass, such as the zeros
of a zero-inflated feature) a bin of its own, so that the rest of the
feature is still split finely. Both histograms
get the same explicit pseudo-count ``a`` per bin (default 0.5) before they
are normalised; with ``a = 0`` a bin that is empty on one side only makes
D(other side || empty side) and PSI infinite, which is the honest answer. The measures, with P the smoothed
reference histogram and Q the smoothed current one:

* D(P||Q) and D(Q||P), the two Kullback-Leibler divergences;
* PSI, the population stability index, equal to Jeffreys' divergence
  D(P||Q) + D(Q||P) = sum (p - q) log(p / q);
* Jensen-Shannon divergence, at most log 2.

All are in nats (``base=None``) or bits (``base=2``). Plug-in values are
biased upwards on finite samples (about (K - 1)(1/n + 1/m) / 2 nats for
D(P||Q) with K bins when nothing has drifted), so fixed thresholds such as
"PSI > 0.25 means drift" raise false alarms on small samples and miss drift
on large ones. :func:`drift_test` decides instead with a permutation test:
the labels "reference" and "current" are shuffled, the bins are learned
again from each shuffled reference, and the p-value is the share of
shuffles with a statistic at least as large as the observed one. Its
false-alarm rate is at most the chosen alpha at every sample size.

Counting can happen anywhere (a database ``GROUP BY``, a Spark job): only
the counts per bin need to reach klteach. Learn the edges from an earlier
period (not from the reference sample being compared, see below), count in
SQL with the edges passed as query parameters, compare the counts::

    edges = bin_edges(earlier_sample, 10)            # or bins fixed in advance
    case, params = sql_bin_case("amount", edges)     # params: the edges, for the ? marks
    query = (f"SELECT {case} AS bin, COUNT(*) FROM payments "
             "WHERE month = ? GROUP BY bin")
    ...   # run it twice (params + ("2024-05",), params + ("2024-06",)), fill counts of
          # length len(edges) + 2 for bins 0 .. len(edges) + 1 (the last is NULL)
    drift_measures(reference_counts, current_counts)
    drift_test_counts(reference_counts, current_counts, seed=0)

The permutation test on counts is exact when the bins do not depend on the
samples being compared (edges fixed in advance or learned from an earlier
period); edges learned from the same reference sample make it somewhat
liberal (``drift_test`` on raw samples avoids that by re-learning them).

Tabular data for :func:`drift_report` is a mapping of column name to array,
a numpy structured array, or anything DataFrame-like (``.columns`` and
``data[name]``): pandas works when present without being a dependency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np

from ._validation import DistributionError, _unmasked, check_base, unit_name
from .discrete import js_divergence, kl_divergence
from .symmetric import jeffreys_divergence

__all__ = ["bin_edges", "bin_counts", "category_counts", "drift_measures", "drift_test",
           "drift_test_counts", "drift_report", "sql_bin_case", "DriftMeasures",
           "DriftTestResult", "FeatureDrift", "DriftReport", "MEASURES",
           "DEFAULT_PSEUDO_COUNT"]

#: Names accepted by ``measure=``: D(ref||cur), D(cur||ref), PSI (Jeffreys), Jensen-Shannon.
MEASURES = ("kl", "kl_reverse", "psi", "js")

#: Pseudo-count added to every bin of both histograms unless told otherwise
#: (the Krichevsky-Trofimov / Jeffreys-prior choice).
DEFAULT_PSEUDO_COUNT = 0.5

_NUMPY_RULES = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")
_MEASURE_NAMES = {"kl": "D(ref||cur)", "kl_reverse": "D(cur||ref)", "psi": "PSI", "js": "JS"}
_CHUNK_ELEMENTS = 2_000_000   # memory budget per block of vectorised permutations
_MISSING = "<missing>"



# --- checking inputs ---------------------------------------------------------------

def _check_nan_policy(nan):
    if nan not in ("raise", "bin"):
        raise ValueError(f"nan must be 'raise' (the default: refuse NaN) or 'bin' (count NaN "
                         f"in a bin of its own), got {nan!r}.")


def _as_sample(x, name: str, nan: str = "raise") -> np.ndarray:
    """A 1-D float array of a numeric sample; NaN refused unless ``nan='bin'``; inf refused."""
    _check_nan_policy(nan)
    if isinstance(x, (str, bytes)):
        raise DistributionError(f"{name} must be a sample of numbers, got the string {x!r}.")
    if isinstance(x, np.ma.MaskedArray):
        x = _unmasked(x, name)             # np.asarray would read the hidden values
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise DistributionError(
            f"{name} must hold numbers, got dtype {arr.dtype}; for categories (strings, "
            f"labels) use category_counts or drift_test(..., categorical=True).")
    if arr.ndim != 1:
        raise DistributionError(f"{name} must be a 1-D sample, got shape {arr.shape}; "
                                f"pass one feature at a time (or use drift_report for tables).")
    if arr.size == 0:
        raise DistributionError(f"{name} is empty; a drift comparison needs at least one value "
                                f"on each side.")
    arr = arr.astype(np.float64, copy=False)
    nans = np.isnan(arr)
    if nans.any() and nan == "raise":
        raise DistributionError(
            f"{name} has {int(nans.sum())} NaN value(s) (first at index {int(np.argmax(nans))}); "
            f"klteach never drops them silently: remove them yourself if they are errors, or "
            f"pass nan='bin' to count missing values in a bin of their own.")
    inf = np.isinf(arr)
    if inf.any():
        raise DistributionError(f"{name} has an infinite value at index {int(np.argmax(inf))}; "
                                f"replace it (or clip it) before binning.")
    return arr


def _check_pseudo_count(pseudo_count) -> float:
    if isinstance(pseudo_count, bool) or not isinstance(pseudo_count, Real) \
            or not math.isfinite(pseudo_count) or pseudo_count < 0:
        raise ValueError(f"pseudo_count must be a finite number >= 0 (added to every bin of "
                         f"both histograms; default {DEFAULT_PSEUDO_COUNT}), got {pseudo_count!r}.")
    return float(pseudo_count)


def _check_measure(measure) -> str:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(map(repr, MEASURES))}, got {measure!r}.")
    return measure


def _check_n_permutations(n_permutations) -> int:
    if isinstance(n_permutations, bool) or not isinstance(n_permutations, Integral) \
            or n_permutations < 1:
        raise ValueError(f"n_permutations must be a positive integer (the p-value's resolution "
                         f"is 1 / (n_permutations + 1)), got {n_permutations!r}.")
    return int(n_permutations)


def _as_counts(x, name: str) -> np.ndarray:
    """Non-negative whole-number counts per bin, as int64; every message speaks of counts."""
    if isinstance(x, (str, bytes)):
        raise DistributionError(f"{name} must be counts per bin (numbers), got the string {x!r}.")
    if isinstance(x, np.ma.MaskedArray):
        x = _unmasked(x, name)
    try:
        arr = np.asarray(x)
    except Exception as exc:   # ragged lists
        raise DistributionError(f"{name} could not be read as an array of counts ({exc}); pass "
                                f"one count per bin, e.g. [12, 30, 7].") from None
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        raise DistributionError(f"{name} must hold counts per bin (whole numbers), got dtype "
                                f"{arr.dtype}; for labels use category_counts first.")
    if arr.ndim != 1:
        what = "a single number" if arr.ndim == 0 else f"shape {arr.shape}"
        raise DistributionError(f"{name} must be a 1-D array of counts, one per bin, got {what}.")
    if arr.size == 0:
        raise DistributionError(f"{name} is empty; it needs one count per bin (at least one bin).")
    arr = arr.astype(np.float64)
    checks = [
        (~np.isfinite(arr), "is not a finite number; counts are whole numbers >= 0"),
        (arr < 0, "is negative; counts are whole numbers >= 0 (the number of observations "
                  "in each bin)"),
        (arr > 2**53, "is too large to be exact (above 2**53); pass the numbers of "
                      "observations per bin"),
        (arr != np.round(arr), "is not a whole number; pass the numbers of observations per "
                               "bin, not proportions"),
    ]
    for bad, why in checks:
        if bad.any():
            i = int(np.argmax(bad))
            value = "NaN" if np.isnan(arr[i]) else f"{arr[i]:.17g}"
            raise DistributionError(f"{name}[{i}] = {value} {why}.")
    if not arr.any():
        raise DistributionError(f"{name} is all zeros; at least one bin needs an observation.")
    return arr.astype(np.int64)


# --- bins --------------------------------------------------------------------------

def _quantile_edges(sorted_rows: np.ndarray, n_bins: int) -> np.ndarray:
    """Quantile edges (linear interpolation) of each sorted row, last edge nudged up one ulp.

    Duplicates are kept (rows stay the same length); a zero-width bin holds
    nothing and is dropped from the measures.
    """
    n = sorted_rows.shape[1]
    # Position (n - 1) j / k split exactly into whole and fractional parts.
    lo, remainder = np.divmod((n - 1) * np.arange(n_bins + 1), n_bins)
    hi = np.minimum(lo + 1, n - 1)
    low = sorted_rows[:, lo]
    edges = low + (remainder / n_bins) * (sorted_rows[:, hi] - low)
    edges = np.maximum.accumulate(edges, axis=1)   # rounding never makes them decrease
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
            or np.any(np.diff(edges) <= 0):
        raise ValueError(f"fixed bin edges must be a 1-D array of at least 2 finite, strictly "
                         f"increasing numbers, got {bins!r}.")
    return "fixed", edges


def _edges_from_rule(values: np.ndarray, kind: str, arg) -> np.ndarray:
    """Edges from a NaN-free reference sample for a parsed rule."""
    if kind == "fixed":
        return arg
    lo, hi = values.min(), values.max()
    if lo == hi:   # constant reference: below, equal to, above the constant
        return np.array([lo, np.nextafter(lo, np.inf)])
    if kind == "quantile":
        return _point_mass_quantile_edges(np.sort(values), arg)
    edges = np.histogram_bin_edges(values, bins=arg)
    edges[-1] = np.nextafter(edges[-1], np.inf)
    return edges


def bin_edges(reference, bins=10, *, nan="raise"):
    """Bin edges learned from a reference sample (only from it).

    The bins are ``[e[i], e[i+1])``, plus the overflow bins ``(-inf, e[0])``
    below and ``[e[-1], inf)`` above; the last edge sits one floating-point
    step above the reference maximum, so every reference value falls in an
    inner bin. A constant reference gives the three bins "below", "equal"
    and "above".

    Parameters
    ----------
    reference : array_like
        1-D numeric sample.
    bins : int, str or array_like
        An integer k: k bins holding equal shares of the reference (quantile
        bins; duplicate edges from ties are merged). A value repeated more
        than n / k times, a point mass such as the zeros of a zero-inflated
        feature, gets the bin ``[v, next float after v)`` of its own, and
        the other values share k minus the number of point masses quantile
        bins (at least one); without point masses nothing changes.
        ``"quantile"``: 10 of them. One of numpy's rules (``"fd"`` Freedman-Diaconis, ``"sturges"``,
        ``"auto"``, ...): equal-width bins over the reference range. An array:
        these fixed edges (strictly increasing).
    nan : {"raise", "bin"}
        ``"raise"`` refuses NaN; ``"bin"`` learns the edges from the other
        values (NaN gets a bin of its own in :func:`bin_counts`).

    Returns
    -------
    ndarray
        Increasing edges; ``len(edges) + 1`` bins in all with the overflows.

    Raises
    ------
    DistributionError
        Empty, non-numeric or non-1-D sample, inf, NaN with ``nan="raise"``.
    ValueError
        An unknown rule or bad fixed edges.

    Examples
    --------
    >>> bin_edges([1.0, 2.0, 3.0, 4.0, 5.0], 2)
    array([1., 3., 5.])
    >>> ref = [0.0] * 6 + [1.0, 2.0, 3.0, 4.0]     # 0 is a point mass: a bin of its own,
    >>> bin_counts(ref, bin_edges(ref, 3))         # the rest in 3 - 1 = 2 quantile bins
    array([0, 6, 0, 2, 2, 0])
    """
    kind, arg = _parse_bins(bins)
    values = _as_sample(reference, "reference", nan)
    present = values[~np.isnan(values)]
    if not present.size and kind != "fixed":
        raise DistributionError("reference has only NaN values; there are no values to learn bin "
                                "edges from (drift_test compares such a sample by its share of "
                                "missing values).")
    return _edges_from_rule(present, kind, arg)


def bin_counts(sample, edges, *, nan="raise"):
    """Counts of a sample in the bins of ``edges``, overflow bins included.

    Bin 0 is ``(-inf, edges[0])``, bin i is ``[edges[i-1], edges[i])``, the
    last is ``[edges[-1], inf)``; nothing is dropped. With ``nan="bin"`` a
    final entry counts the NaN values.

    Parameters
    ----------
    sample : array_like
        1-D numeric sample.
    edges : array_like
        Strictly increasing edges, e.g. from :func:`bin_edges`.
    nan : {"raise", "bin"}
        Refuse NaN (default) or count it in an extra last bin.

    Returns
    -------
    ndarray of int64
        ``len(edges) + 1`` counts (``+ 2`` with ``nan="bin"``).

    Raises
    ------
    DistributionError
        As for :func:`bin_edges`.

    Examples
    --------
    >>> bin_counts([-5, 1.5, 2, 2.5, 9], [1, 2, 3])   # -5 and 9 land in the overflow bins
    array([1, 1, 2, 1])
    """
    kind, edges = _parse_bins(np.asarray(edges, dtype=float))
    values = _as_sample(sample, "sample", nan)
    missing = np.isnan(values)
    counts = np.bincount(np.searchsorted(edges, values[~missing], side="right"),
                         minlength=len(edges) + 1)
    if nan == "bin":
        counts = np.append(counts, missing.sum())
    return counts.astype(np.int64)


def category_counts(reference, current, *, nan="raise"):
    """Counts per category in two samples of labels, over the union of their categories.

    Categories seen only in the current sample get a reference count of 0
    (so a new category shows up as drift instead of being ignored).
    ``None`` and float NaN are refused, or with ``nan="bin"`` counted as the
    category ``"<missing>"``.

    Returns
    -------
    categories : list
        Sorted by their text, for a stable order.
    reference_counts, current_counts : ndarray of int64

    Examples
    --------
    >>> category_counts(["card", "cash", "card"], ["card", "app"])
    (['app', 'card', 'cash'], array([0, 2, 1]), array([1, 1, 0]))
    """
    _check_nan_policy(nan)
    codes = {}
    sides = []
    for name, x in (("reference", reference), ("current", current)):
        if isinstance(x, np.ma.MaskedArray):
            x = _unmasked(x, name)
        arr = np.asarray(x, dtype=object)
        if arr.ndim != 1:
            raise DistributionError(f"{name} must be a 1-D sample of labels, got shape {arr.shape}.")
        if arr.size == 0:
            raise DistributionError(f"{name} is empty; a drift comparison needs at least one "
                                    f"value on each side.")
        labels = []
        for i, v in enumerate(arr):
            if v is None or (isinstance(v, (float, np.floating)) and math.isnan(v)):
                if nan == "raise":
                    raise DistributionError(
                        f"{name} has a missing value ({v!r}) at index {i}; pass nan='bin' to "
                        f"count missing values as the category {_MISSING!r}, or remove them.")
                v = _MISSING
            labels.append(codes.setdefault(v, len(codes)))
        sides.append(np.asarray(labels, dtype=np.intp))
    categories = sorted(codes, key=lambda c: (str(c), type(c).__name__))
    order = np.empty(len(codes), dtype=np.intp)
    order[[codes[c] for c in categories]] = np.arange(len(codes))
    ref, cur = (np.bincount(order[s], minlength=len(codes)).astype(np.int64) for s in sides)
    return categories, ref, cur


def sql_bin_case(column: str, edges, *, placeholder: str = "?", float_type: str = "DOUBLE PRECISION"):
    """A SQL ``CASE`` expression giving the :func:`bin_counts` bin of ``column``, and its parameters.

    Bin 0 is ``column < edges[0]``, bin i is ``edges[i-1] <= column < edges[i]``,
    bin ``len(edges)`` is ``column >= edges[-1]``, and ``NULL`` gets bin
    ``len(edges) + 1`` (the NaN bin of ``nan="bin"``), so missing values are
    counted, not folded into a bin: a result needs ``len(edges) + 2`` slots.
    The edges are not written into the SQL text but passed as query
    parameters (one ``placeholder`` per edge, in order), so the database
    compares with exactly numpy's floats: a decimal literal can be parsed
    one unit in the last place off (SQLite 3.40 does so for some 17-digit
    literals), which moves values lying exactly on an edge. The column name
    is quoted as a SQL identifier (``"name"``, inner ``"`` doubled).

    numpy rounds integers above 2**53 to float64 before comparing; SQLite
    compares an INTEGER with a float exactly, so 2**53 + 3 < 2**53 + 4 in
    SQL but not in numpy. When an edge is 2**53 or more in magnitude (only
    then can the two disagree), the column is compared as
    ``CAST("name" AS DOUBLE PRECISION)``, which rounds as numpy does.

    Parameters
    ----------
    column : str
        Column name (not an expression).
    edges : array_like
        Strictly increasing finite edges, e.g. from :func:`bin_edges`.
    placeholder : str
        The driver's parameter marker: ``"?"`` (sqlite3, default) or ``"%s"``
        (psycopg, MySQL drivers).
    float_type : str
        The SQL name of a 64-bit float for the cast above: ``"DOUBLE
        PRECISION"`` (SQLite, PostgreSQL; default) or ``"DOUBLE"`` (MySQL).
        Not ``"REAL"``, which is a 32-bit float in PostgreSQL.

    Returns
    -------
    expression : str
    parameters : tuple of float
        The edges, to pass with the query (before any later parameters).

    Raises
    ------
    TypeError
        ``column``, ``placeholder`` or ``float_type`` not a non-empty string.
    ValueError
        Bad edges, as for :func:`bin_counts`.

    Examples
    --------
    >>> sql_bin_case("x", [0.5, 2.0])
    ('CASE WHEN "x" IS NULL THEN 3 WHEN "x" < ? THEN 0 WHEN "x" < ? THEN 1 ELSE 2 END', (0.5, 2.0))
    """
    for name, value in (("column", column), ("placeholder", placeholder), ("float_type", float_type)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a non-empty string, got {value!r}.")
    _, edges = _parse_bins(np.asarray(edges, dtype=float))
    quoted = '"' + column.replace('"', '""') + '"'
    # An integer v < e with float(v) == e needs |e| >= 2**53; below, both sides agree.
    value = f"CAST({quoted} AS {float_type})" if np.max(np.abs(edges)) >= 2.0**53 else quoted
    whens = " ".join(f"WHEN {value} < {placeholder} THEN {i}" for i in range(len(edges)))
    sql = f"CASE WHEN {quoted} IS NULL THEN {len(edges) + 1} {whens} ELSE {len(edges)} END"
    return sql, tuple(float(e) for e in edges)


# --- measures ----------------------------------------------------------------------

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


def _smoothed(counts: np.ndarray, active: np.ndarray, pseudo_count: float) -> np.ndarray:
    """Counts plus the pseudo-count in active bins, normalised along the last axis."""
    c = counts + pseudo_count * active
    return c / c.sum(axis=-1, keepdims=True)


def _statistic(measure, p, q, base):
    if measure == "kl":
        return kl_divergence(p, q, base=base)
    if measure == "kl_reverse":
        return kl_divergence(q, p, base=base)
    if measure == "psi":
        return jeffreys_divergence(p, q, base=base)
    return js_divergence(p, q, base=base)


def _pair_counts(reference_counts, current_counts):
    ref = _as_counts(reference_counts, "reference_counts")
    cur = _as_counts(current_counts, "current_counts")
    if ref.size != cur.size:
        raise DistributionError(
            f"reference_counts has {ref.size} bins but current_counts has {cur.size}; both must "
            f"count the same bins (or categories), in the same order.")
    return ref, cur


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


# --- permutation tests -------------------------------------------------------------

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

    def __str__(self):
        return (f"{_MEASURE_NAMES[self.measure]} = {self.statistic:.4f} {self.units}, "
                f"permutation p-value = {self.pvalue:.4f} ({self.n_permutations} permutations)")


def _pvalue(observed: float, permuted: np.ndarray) -> float:
    """(1 + #{permuted >= observed}) / (B + 1), with a relative tolerance for rounding."""
    threshold = observed - 1e-12 * abs(observed) if math.isfinite(observed) else observed
    return (1 + int(np.count_nonzero(permuted >= threshold))) / (len(permuted) + 1)


def _test_from_counts(ref, cur, measure, pseudo_count, n_permutations, rng, base):
    """Observed statistic and permuted ones when the bins do not depend on the labels."""
    active = np.ones(ref.shape)
    observed = float(_statistic(measure, _smoothed(ref, active, pseudo_count),
                                _smoothed(cur, active, pseudo_count), base))
    pooled = ref + cur
    ref_perm = rng.multivariate_hypergeometric(pooled, int(ref.sum()), size=n_permutations)
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
        Unknown measure, negative pseudo-count, n_permutations < 1.

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
    observed, permuted = _test_from_counts(ref, cur, measure, pseudo_count, n_permutations,
                                           np.random.default_rng(seed), base)
    return DriftTestResult(observed, _pvalue(observed, permuted), measure, unit_name(base),
                           drift_measures(ref, cur, pseudo_count=pseudo_count, base=base),
                           ref, cur, n_permutations=n_permutations, pseudo_count=pseudo_count)


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
    ref_below = (ref_rows[:, :, None] < edges[:, None, :]).sum(axis=1)  # (rows, k + 1)
    pooled_below = np.searchsorted(pooled_sorted, edges.ravel()).reshape(edges.shape)
    zeros = np.zeros((rows, 1), dtype=np.int64)
    ref = np.diff(np.hstack([zeros, ref_below, zeros + n]), axis=1)
    pooled = np.diff(np.hstack([zeros, pooled_below, zeros + len(pooled_sorted)]), axis=1)
    active = np.ones(ref.shape)
    active[:, 1:-1] = np.diff(edges, axis=1) > 0
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
        observed, permuted = _relearned_test(ref, cur, kind, arg, measure, pseudo_count,
                                             n_permutations, rng, base)
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


# --- tables ------------------------------------------------------------------------

def _columns(data, name: str) -> dict:
    """Column name -> 1-D array, for a mapping, a structured array or a DataFrame-like."""
    if isinstance(data, np.ndarray) and data.dtype.names:
        return {c: data[c] for c in data.dtype.names}
    if hasattr(data, "columns") and hasattr(data, "__getitem__"):
        return {c: np.asarray(data[c]) for c in data.columns}
    if hasattr(data, "keys") and hasattr(data, "__getitem__"):
        return {c: data[c] for c in data.keys()}
    raise TypeError(f"{name} must be a table: a dict of column name -> array, a numpy "
                    f"structured array, or a DataFrame; got {type(data).__name__}.")


def _holm(pvalues) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error control)."""
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def _check_holm_reachable(m: int, n_permutations: int, alpha: float) -> None:
    """Refuse settings under which Holm's method can never flag any of m features.

    The smallest permutation p-value is 1 / (B + 1) and Holm multiplies the
    smallest p-value by m, so nothing is ever flagged when m / (B + 1) > alpha.
    """
    smallest = _holm([1 / (n_permutations + 1)] + [1.0] * (m - 1)).min() if m else 0.0
    if m == 0 or smallest <= alpha:
        return
    needed = max(n_permutations, math.ceil(m / alpha) - 1)
    while _holm([1 / (needed + 1)] + [1.0] * (m - 1)).min() > alpha:
        needed += 1
    raise ValueError(
        f"with n_permutations={n_permutations} the smallest permutation p-value is "
        f"1/{n_permutations + 1}, and Holm's adjustment multiplies it by the {m} features tested, "
        f"giving {smallest:.4g} > alpha = {alpha:g}: no feature could ever be flagged as drift. "
        f"Pass n_permutations={needed} or more (B + 1 >= m / alpha), or test fewer features.")


class FeatureDrift(NamedTuple):
    """One row of a :class:`DriftReport`."""

    feature: str
    kind: str             #: "numeric" or "categorical"
    n_reference: int
    n_current: int
    kl_ref_cur: float
    kl_cur_ref: float
    psi: float
    js: float
    pvalue: float
    pvalue_holm: float    #: adjusted for the number of features tested
    verdict: str          #: "drift", "no evidence of drift", or "error" (see ``error``)
    test: DriftTestResult | None   #: None when the feature could not be tested
    error: str | None = None       #: why the feature could not be tested


@dataclass(frozen=True, eq=False)
class DriftReport:
    """Per-feature drift measures and permutation p-values, worst feature first.

    ``rows`` is a list of :class:`FeatureDrift`; the verdict uses Holm's
    adjusted p-value, so the chance of any false alarm across all features
    is at most ``alpha`` provided each feature's permutation p-value is
    valid (its observations exchangeable: not for autocorrelated series). Shows as a text table (and as HTML in notebooks).
    """

    rows: list
    alpha: float
    units: str
    bins: object
    pseudo_count: float
    n_permutations: int

    _HEADER = ("feature", "kind", "n ref", "n cur", "D(ref||cur)", "D(cur||ref)", "PSI", "JS",
               "p", "p (Holm)", "verdict")

    def _cells(self):
        return [(r.feature, r.kind, str(r.n_reference), str(r.n_current), f"{r.kl_ref_cur:.4f}",
                 f"{r.kl_cur_ref:.4f}", f"{r.psi:.4f}", f"{r.js:.4f}", f"{r.pvalue:.4f}",
                 f"{r.pvalue_holm:.4f}", r.verdict) for r in self.rows]

    def _caption(self):
        bins = f"{self.bins} quantile bins" if isinstance(self.bins, int) else f"bins {self.bins!r}"
        return (f"Drift report: measures in {self.units}, {bins} learned from the reference, "
                f"pseudo-count {self.pseudo_count:g}, {self.n_permutations} permutations, "
                f"verdict at alpha = {self.alpha:g} (Holm).")

    def _errors(self):
        return [f"{r.feature}: {r.error}" for r in self.rows if r.error is not None]

    def __str__(self):
        cells = [self._HEADER] + self._cells()
        widths = [max(len(row[i]) for row in cells) for i in range(len(self._HEADER))]
        lines = ["  ".join(c.ljust(w) if i in (0, 1, 10) else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths))) for row in cells]
        errors = self._errors()
        if errors:
            lines += ["Features that could not be tested:", *errors]
        return "\n".join([self._caption(), *lines])

    __repr__ = __str__

    def _repr_html_(self):
        from html import escape
        head = "".join(f"<th>{escape(h)}</th>" for h in self._HEADER)
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                       for row in self._cells())
        errors = "".join(f"<li>{escape(e)}</li>" for e in self._errors())
        errors = f"<p>Features that could not be tested:</p><ul>{errors}</ul>" if errors else ""
        return (f"<table><caption>{escape(self._caption())}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{errors}")


def drift_report(reference, current, *, features=None, categorical=(), measure="kl", bins=10,
                 pseudo_count=DEFAULT_PSEUDO_COUNT, n_permutations=1000, alpha=0.05, seed=None,
                 base=None, nan="raise"):
    """Drift of every feature of a table: measures, permutation p-value and verdict.

    Numeric features are binned with edges from the reference
    (:func:`drift_test`); non-numeric ones (strings, booleans, objects) and
    those listed in ``categorical`` are compared by category counts,
    including categories seen only in the current data.

    Parameters
    ----------
    reference, current : mapping, structured array or DataFrame-like
        Tables with the same columns (the current one may have extras only
        if ``features`` selects the common ones).
    features : sequence of str, optional
        Columns to compare (default: all columns of ``reference``).
    categorical : sequence of str
        Numeric columns to treat as categories (e.g. codes).
    measure : {"kl", "kl_reverse", "psi", "js"}
        The statistic of each feature's permutation test.
    bins, pseudo_count, n_permutations, base, nan
        As in :func:`drift_test`. With m features tested, n_permutations must
        satisfy ``(n_permutations + 1) * alpha >= m`` (else ValueError).
    alpha : float
        Family-wise false-alarm level of the verdicts (Holm's method), valid
        when each feature's p-value is (exchangeable observations).
    seed : int, optional
        Each feature gets its own independent stream from it.

    Returns
    -------
    DriftReport
        Rows sorted worst first (smallest p-value, then largest statistic).

    Raises
    ------
    ValueError
        Columns missing from either table, unknown names in ``categorical``, bad alpha,
        measure, bins, pseudo-count, n_permutations or nan policy; too few
        permutations for Holm's method to flag anything (``(n_permutations + 1)
        * alpha < m`` for m features: the smallest p-value, 1 / (B + 1), times m
        would exceed alpha).
    TypeError
        Inputs that are not tables; ``features`` or ``categorical`` given as one string.

    A feature that cannot be tested (empty, NaN with ``nan="raise"``, inf, ...)
    raises nothing: its row has the verdict ``"error"``, NaN measures, the
    reason in ``.error``, and comes last; the other features are tested and
    Holm's adjustment counts only them. With ``nan="bin"`` a feature that is
    entirely missing in the current data is tested like any other (all its
    mass in the NaN bin), and shows up as drift.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = {"age": rng.normal(40, 10, 300), "plan": rng.choice(["a", "b"], 300)}
    >>> cur = {"age": rng.normal(45, 10, 300), "plan": rng.choice(["a", "b", "c"], 300)}
    >>> report = drift_report(ref, cur, n_permutations=200, seed=1)
    >>> [(r.feature, r.verdict) for r in report.rows]
    [('plan', 'drift'), ('age', 'drift')]
    """
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number between 0 and 1, got {alpha!r}.")
    base = check_base(base)
    ref_cols, cur_cols = _columns(reference, "reference"), _columns(current, "current")
    for arg, value in (("features", features), ("categorical", categorical)):
        if isinstance(value, str):
            raise TypeError(f"{arg} must be a list of column names, e.g. {arg}=[{value!r}], "
                            f"got the string {value!r}.")
    names = list(ref_cols) if features is None else list(features)
    missing_ref = [c for c in names if c not in ref_cols]
    missing_cur = [c for c in names if c not in cur_cols]
    extra_cur = [c for c in cur_cols if c not in ref_cols] if features is None else []
    if missing_ref or missing_cur or extra_cur:
        parts = [f"{what}: {', '.join(map(repr, cols))}" for what, cols in
                 (("missing from reference", missing_ref), ("missing from current", missing_cur),
                  ("only in current", extra_cur)) if cols]
        raise ValueError("reference and current must have the same columns (" + "; ".join(parts)
                         + "); rename them, or pass features=[...] to compare a subset.")
    if not names:
        raise ValueError("the tables have no columns to compare.")
    unknown = [c for c in categorical if c not in names]
    if unknown:
        raise ValueError(f"categorical names columns that are not compared: {unknown!r}.")
    # Settings shared by every feature are checked once, here: a bad one is the caller's
    # error, not a feature's.
    _check_measure(measure)
    pseudo_count = _check_pseudo_count(pseudo_count)
    n_permutations = _check_n_permutations(n_permutations)
    _parse_bins(bins)
    _check_nan_policy(nan)
    streams = np.random.SeedSequence(seed).spawn(len(names))
    tests, failed = {}, {}
    for name, stream in zip(names, streams):
        is_cat = name in categorical
        try:
            is_cat = is_cat or any(np.asarray(col[name]).dtype.kind not in "iuf"
                                   for col in (ref_cols, cur_cols))
            tests[name] = drift_test(ref_cols[name], cur_cols[name], measure=measure, bins=bins,
                                     pseudo_count=pseudo_count, n_permutations=n_permutations,
                                     seed=np.random.default_rng(stream), base=base, nan=nan,
                                     categorical=is_cat)
        except Exception as exc:   # one bad feature never hides the others' results
            failed[name] = (is_cat, f"{type(exc).__name__}: {exc}")
    # Only features that could be tested enter Holm's adjustment, so m is known only now.
    _check_holm_reachable(len(tests), n_permutations, alpha)
    holm = dict(zip(tests, _holm([t.pvalue for t in tests.values()]))) if tests else {}
    rows = [FeatureDrift(str(name), "categorical" if t.categories is not None else "numeric",
                         int(t.reference_counts.sum()), int(t.current_counts.sum()),
                         t.measures.kl_ref_cur, t.measures.kl_cur_ref, t.measures.psi,
                         t.measures.js, t.pvalue, float(holm[name]),
                         "drift" if holm[name] <= alpha else "no evidence of drift", t)
            for name, t in tests.items()]
    rows.sort(key=lambda r: (r.pvalue, -r.test.statistic))
    nan_ = math.nan
    rows += [FeatureDrift(str(name), "categorical" if is_cat else "numeric",
                          _length(ref_cols[name]), _length(cur_cols[name]),
                          nan_, nan_, nan_, nan_, nan_, nan_, "error", None, message)
             for name, (is_cat, message) in failed.items()]
    return DriftReport(rows, float(alpha), unit_name(base), bins, float(pseudo_count),
                       int(n_permutations))


def _length(column) -> int:
    """Number of entries of a column, 0 if it has no length."""
    try:
        return int(np.size(column))
    except Exception:
        return 0
