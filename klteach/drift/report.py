"""Drift of every feature of a table: measures, permutation p-values, Holm's adjustment, a report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import NamedTuple

import numpy as np

from .._validation import (
    DEFAULT_PSEUDO_COUNT,
    _check_measure,
    _check_n_permutations,
    _check_nan_policy,
    _check_pseudo_count,
    check_base,
    label_key,
    unit_name,
)
from ._common import _parse_bins
from .binning import category_counts
from .compare import drift_verdict, effect_size, wasserstein_effect
from .permutation import DriftTestResult, drift_test

__all__ = ["drift_report", "FeatureDrift", "DriftReport"]


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


def _has_column(columns: dict, name) -> bool:
    """Whether ``columns`` has a column ``name``, compared as labels are (:func:`klteach._validation.label_key`:
    True and False are not 1 and 0, which a dict takes for one)."""
    key = label_key(name)
    for k in columns:
        try:
            if bool(label_key(k) == key):
                return True
        except (TypeError, ValueError):     # labels that do not compare
            continue
    return False


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
    verdict: str          #: "drift", "negligible drift", "no evidence of drift", or "error"
    test: DriftTestResult | None   #: None when the feature could not be tested
    error: str | None = None       #: why the feature could not be tested
    #: How much the feature moved: Wasserstein distance / reference sd of the values present
    #: for numbers (missing values left out: see ``missing_change``), total variation of the
    #: category shares for categories (:func:`~klteach.drift.effect_size`).
    effect: float = math.nan
    #: Share of missing values in the current data minus that in the reference (a share of
    #: the data, judged against ``min_missing_change``, not against ``min_effect``).
    missing_change: float = math.nan
    #: The effect's no-drift noise: 95th percentile of the effect between random splits of the
    #: pooled data (computed only with ``min_effect``; see :func:`~klteach.drift.drift_verdict`).
    effect_noise: float = math.nan
    #: The same no-drift noise for ``|missing_change|`` (computed only with ``min_effect``).
    missing_noise: float = math.nan


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
    #: a significant feature is "negligible drift" when effect + noise is below it (and the
    #: missing share passes its own bar)
    min_effect: float | None = None
    min_missing_change: float | None = None   #: the same bar for the missing share's change

    def _header(self):
        noise = ("noise", "missing noise") if self.min_effect is not None else ()
        return ("feature", "kind", "n ref", "n cur", "D(ref||cur)", "D(cur||ref)", "PSI", "JS",
                "effect", *noise[:1], "missing +/-", *noise[1:], "p", "p (Holm)", "verdict")

    def _cells(self):
        def row(r):
            noise = ((f"{r.effect_noise:.4f}",), (f"{r.missing_noise:.4f}",)) \
                if self.min_effect is not None else ((), ())
            return (r.feature, r.kind, str(r.n_reference), str(r.n_current), f"{r.kl_ref_cur:.4f}",
                    f"{r.kl_cur_ref:.4f}", f"{r.psi:.4f}", f"{r.js:.4f}", f"{r.effect:.4f}",
                    *noise[0], f"{r.missing_change:+.4f}", *noise[1], f"{r.pvalue:.4f}",
                    f"{r.pvalue_holm:.4f}", r.verdict)
        return [row(r) for r in self.rows]

    def _caption(self):
        bins = f"{self.bins} quantile bins" if isinstance(self.bins, int) else f"bins {self.bins!r}"
        negligible = ("" if self.min_effect is None else
                      f"; drift is reported as negligible when effect + noise < "
                      f"{self.min_effect:g} and |missing +/-| + missing noise < "
                      f"{self.min_missing_change:g} (or nothing is missing on either side; noise: "
                      f"95th percentile of each between "
                      f"random splits of the pooled data, i.e. with no drift); a detected drift "
                      f"whose effect is below {self.min_effect:g} but within its noise is "
                      f"still \"drift\": its size is not shown to be small")
        return (f"Drift report: measures in {self.units}, {bins} learned from the reference, "
                f"pseudo-count {self.pseudo_count:g}, {self.n_permutations} permutations, "
                f"verdict at alpha = {self.alpha:g} (Holm){negligible}. Effect: Wasserstein "
                f"distance / reference sd of the values present (numbers), total variation of "
                f"the shares (categories). missing +/-: current minus reference share of "
                f"missing values.")

    def _errors(self):
        return [f"{r.feature}: {r.error}" for r in self.rows if r.error is not None]

    def __str__(self):
        header = self._header()
        cells = [header] + self._cells()
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) if i in (0, 1, len(header) - 1) else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths))) for row in cells]
        errors = self._errors()
        if errors:
            lines += ["Features that could not be tested:", *errors]
        return "\n".join([self._caption(), *lines])

    __repr__ = __str__

    def _repr_html_(self):
        from html import escape
        head = "".join(f"<th>{escape(h)}</th>" for h in self._header())
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                       for row in self._cells())
        errors = "".join(f"<li>{escape(e)}</li>" for e in self._errors())
        errors = f"<p>Features that could not be tested:</p><ul>{errors}</ul>" if errors else ""
        return (f"<table><caption>{escape(self._caption())}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{errors}")


def drift_report(reference, current, *, features=None, categorical=(), measure="kl", bins=10,
                 pseudo_count=DEFAULT_PSEUDO_COUNT, n_permutations=1000, alpha=0.05, seed=None,
                 base=None, nan="raise", min_effect=None, min_missing_change=0.01):
    """Drift of every feature of a table: measures, effect size, permutation p-value and verdict.

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
    min_effect : float, optional
        Smallest effect worth calling drift (e.g. 0.1: a tenth of the
        reference sd for numbers, a tenth of the data changing category for
        categories). A feature flagged by its p-value gets the verdict
        ``"negligible drift"`` when effect + noise < min_effect and
        |missing_change| + missing noise < min_missing_change, where each
        noise is the 95th percentile of that quantity between 99 random
        splits of the pooled data (a heuristic margin for sampling noise with
        no stated error rate, not an equivalence test: for a guaranteed rate
        use two one-sided tests, TOST). Otherwise a flagged feature is
        ``"drift"``, including when its effect is below min_effect but within
        its noise: detected, and its size not shown to be small. Default
        None: the p-value alone decides. The effect
        (:func:`~klteach.drift.effect_size`) is reported either way.
    min_missing_change : float
        Used only with ``min_effect``: a detected drift is negligible only if
        the change in the share of missing values plus its noise is below
        this bar (default 0.01, one percentage point), or if no value is
        missing on either side (so with 0, any detected drift of a feature
        with missing values on either side is "drift", even if its missing
        share did not change). The missing share's own noise, about
        1.96 sqrt(2 s (1 - s) / n) for a steady share s and n values per
        side, must also fall below the bar, so a feature with many missing
        values needs many rows before it can be called negligible. The share of missing values is a share of the data
        (a total variation), not a number of reference sds, so it has its own
        bar: a 0.1 sd shift of a normal moves only 2 Phi(0.05) - 1 = 0.040 of
        the data.

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
    missing_ref = [c for c in names if not _has_column(ref_cols, c)]
    missing_cur = [c for c in names if not _has_column(cur_cols, c)]
    extra_cur = [c for c in cur_cols if not _has_column(ref_cols, c)] if features is None else []
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
    drift_verdict(1.0, 0.0, alpha=alpha, min_effect=min_effect)   # refuses a bad min_effect
    if (isinstance(min_missing_change, bool) or not isinstance(min_missing_change, Real)
            or not 0 <= min_missing_change < math.inf):
        raise ValueError(f"min_missing_change must be a finite number >= 0 (a share of the data, "
                         f"e.g. 0.01), got {min_missing_change!r}.")
    streams = np.random.SeedSequence(seed).spawn(len(names))
    tests, failed, effects, noises = {}, {}, {}, {}   # noises: (effect's, missing share's)
    for name, stream in zip(names, streams):
        is_cat = name in categorical
        try:
            is_cat = is_cat or any(np.asarray(col[name]).dtype.kind not in "iuf"
                                   for col in (ref_cols, cur_cols))
            rng = np.random.default_rng(stream)
            tests[name] = drift_test(ref_cols[name], cur_cols[name], measure=measure, bins=bins,
                                     pseudo_count=pseudo_count, n_permutations=n_permutations,
                                     seed=rng, base=base, nan=nan, categorical=is_cat)
            effects[name] = _effect(ref_cols[name], cur_cols[name], is_cat)
            if min_effect is not None:   # after the test, so its p-value keeps its stream
                noises[name] = _effect_noise(ref_cols[name], cur_cols[name], is_cat, rng)
        except Exception as exc:   # one bad feature never hides the others' results
            failed[name] = (is_cat, f"{type(exc).__name__}: {exc}")
    # Only features that could be tested enter Holm's adjustment, so m is known only now.
    _check_holm_reachable(len(tests), n_permutations, alpha)
    holm = dict(zip(tests, _holm([t.pvalue for t in tests.values()]))) if tests else {}

    def verdict(name):
        (effect, change), (noise, missing_noise) = effects[name], noises.get(name, (0.0, 0.0))
        said = drift_verdict(float(holm[name]), effect, alpha=alpha, min_effect=min_effect,
                             noise=noise)
        unchanged = change == 0 and missing_noise == 0          # nothing missing on either side
        if said == "negligible drift" and not (unchanged or abs(change) + missing_noise < min_missing_change):
            return "drift"   # a change in the missing share above its own bar is not negligible
        return said
    rows = [FeatureDrift(str(name), "categorical" if t.categories is not None else "numeric",
                         int(t.reference_counts.sum()), int(t.current_counts.sum()),
                         t.measures.kl_ref_cur, t.measures.kl_cur_ref, t.measures.psi,
                         t.measures.js, t.pvalue, float(holm[name]),
                         verdict(name), t, effect=effects[name][0],
                         missing_change=effects[name][1],
                         effect_noise=noises.get(name, (math.nan,))[0],
                         missing_noise=noises.get(name, (math.nan, math.nan))[1])
            for name, t in tests.items()]
    rows.sort(key=lambda r: (r.pvalue, -r.test.statistic))
    nan_ = math.nan
    rows += [FeatureDrift(str(name), "categorical" if is_cat else "numeric",
                          _length(ref_cols[name]), _length(cur_cols[name]),
                          nan_, nan_, nan_, nan_, nan_, nan_, "error", None, message)
             for name, (is_cat, message) in failed.items()]
    return DriftReport(rows, float(alpha), unit_name(base), bins, float(pseudo_count),
                       int(n_permutations), None if min_effect is None else float(min_effect),
                       None if min_effect is None else float(min_missing_change))


_MISSING = category_counts([None], [None], nan="bin")[0][0]   # the label of missing categories


def _effect(reference, current, is_cat: bool) -> tuple:
    """(effect, change in the share of missing values) of one feature, as the report shows them.

    Categories: the total variation of the shares (missing values a category
    of their own). Numbers: W/sd of the values that are not missing (NaN if
    either side has fewer than two). The change in the share of missing
    values, which a distance between values cannot see, is returned apart:
    it is a share of the data, not a number of sds, and the report judges it
    against its own bar (``min_missing_change``).
    """
    if is_cat:
        labels, ref, cur = category_counts(reference, current, nan="bin")
        shares = [(c[labels.index(_MISSING)] if _MISSING in labels else 0) / c.sum()
                  for c in (ref, cur)]
        return effect_size(reference, current, categorical=True), float(shares[1] - shares[0])
    ref, cur = np.asarray(reference, dtype=float), np.asarray(current, dtype=float)
    change = float(np.isnan(cur).mean() - np.isnan(ref).mean())
    return wasserstein_effect(ref, cur, nan="omit"), change


def _effect_noise(reference, current, is_cat: bool, rng, shuffles: int = 99) -> tuple:
    """95th percentiles of the effect and of |missing change| between random splits of the pooled data."""
    pooled = np.concatenate([np.asarray(reference), np.asarray(current)])
    n = len(np.asarray(reference))
    pairs = np.array([_effect(pooled[p[:n]], pooled[p[n:]], is_cat)
                      for p in (rng.permutation(len(pooled)) for _ in range(shuffles))], dtype=float)

    def level(x):
        # A split whose effect cannot be measured (a constant reference: W/sd infinite or NaN)
        # counts as infinite noise, so it can never make a detected drift "negligible"; the
        # order statistic itself is taken (no interpolation between inf and a number).
        x = np.where(np.isfinite(x), x, np.inf)
        return float(np.quantile(x, 0.95, method="higher"))
    return level(pairs[:, 0]), level(np.abs(pairs[:, 1]))


def _length(column) -> int:
    """Number of entries of a column, 0 if it has no length."""
    try:
        return int(np.size(column))
    except Exception:
        return 0
