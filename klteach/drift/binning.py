"""Bins learned from a reference sample, and counts per bin or category (the same bins in SQL: sql.py)."""

from __future__ import annotations

import numpy as np

from .._validation import DistributionError, _as_sample, _check_nan_policy, _unmasked, label_key
from ._common import _edges_from_rule, _is_missing_label, _parse_bins

__all__ = ["bin_edges", "bin_counts", "category_counts"]


_MISSING = "<missing>"


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
    Missing labels (``None``, NaN, pandas' ``NA`` and ``NaT``, numpy's
    ``NaT``) are refused, or with ``nan="bin"`` counted as the category
    ``"<missing>"``. Labels equal in value are one category, as pandas counts
    them (1 and 1.0: the first seen names it), except that True and False are
    not 1 and 0.

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
    codes, names = {}, {}               # a category's key: its code, and the label that names it
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
            if nan == "bin" and isinstance(v, str) and v == _MISSING:
                raise DistributionError(
                    f"{name} has a category named {_MISSING!r} at index {i}, the name nan='bin' gives the "
                    f"missing values: the two would be counted as one. Rename that category first.")
            if _is_missing_label(v):
                if nan == "raise":
                    raise DistributionError(
                        f"{name} has a missing value ({v!r}) at index {i}; pass nan='bin' to "
                        f"count missing values as the category {_MISSING!r}, or remove them.")
                v = _MISSING
            key = label_key(v)
            if key not in codes:
                codes[key], names[key] = len(codes), v
            labels.append(codes[key])
        sides.append(np.asarray(labels, dtype=np.intp))
    keys = sorted(codes, key=lambda k: (str(names[k]), type(names[k]).__name__))
    categories = [names[k] for k in keys]
    order = np.empty(len(codes), dtype=np.intp)
    order[[codes[k] for k in keys]] = np.arange(len(codes))
    ref, cur = (np.bincount(order[s], minlength=len(codes)).astype(np.int64) for s in sides)
    return categories, ref, cur
