"""Notebook 06, Detecting data drift (notebooks/06_drift.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .. import drift
from .._validation import log_base
from ..drift import drift_measures
from .explorer import _STYLE, _explorer, _slider
from .feedback import _names, _rounded_terms, check_number
from .style import HATCHES, M_COLOR, P_COLOR, PALETTE, Q_COLOR, Q_HATCH
from .units import _unit_mistakes, _unit_words

__all__ = ["drift_histograms", "kl_vs_bins", "plugin_bias", "false_alarm_rates", "DRIFT_SEED",
           "show_drift", "drift_explorer", "check_psi", "check_permutation_pvalue"]


def _bin_labels(test) -> list[str]:
    """Short tick labels for a drift test's bins: categories, or each bin's lower edge."""
    if test.categories is not None:
        return [str(c) for c in test.categories]
    e = test.edges
    if len(e) == 0:   # an all-missing reference: one bin of present values
        labels = ["present"]
    else:
        labels = [f"<{e[0]:.3g}"] + [f"{x:.3g}" for x in e[:-1]] + [f">{e[-1]:.3g}"]
    if len(labels) < len(test.reference_counts):
        labels.append("NaN")
    return labels


def drift_histograms(result, *, top=4, names=("reference", "current"), axes=None, labels=None):
    """Reference (plain blue) and current (hatched vermillion) shares per bin, one panel per feature.

    Used in: notebooks/06_drift.ipynb (sections "1. Binning a feature, with edges from the
    reference", "7. A drift report on real data: the US economy before and after 1984").

    Parameters
    ----------
    result : DriftReport or DriftTestResult
        A report (its ``top`` worst features are drawn) or one feature's test.
    top : int
        Number of features to draw from a report.
    names : (str, str)
        Legend names of the two samples.
    axes : sequence of matplotlib Axes, optional
    labels : mapping, optional
        Feature name -> (readable title, unit of its values), e.g.
        ``{"tbill_rate": ("3-month T-bill rate", "% a year")}``: the panel's
        title and its x label's unit (default: the feature's name, no unit).

    Returns
    -------
    ndarray of matplotlib Axes
    """
    labels = {} if labels is None else dict(labels)
    if isinstance(result, drift.DriftReport):
        # features that could not be tested (their row says why) have nothing to draw
        items = [(r.feature, r.test) for r in result.rows if r.test is not None][:top]
    else:
        items = [("feature", result)]
    if axes is None:
        cols = min(2, len(items))
        rows = -(-len(items) // cols)
        _, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 3.4 * rows), squeeze=False)
    axes = np.ravel(axes)
    for ax, (feature, test) in zip(axes, items):
        ref = test.reference_counts / test.reference_counts.sum()
        cur = test.current_counts / test.current_counts.sum()
        x = np.arange(len(ref))
        ax.bar(x - 0.2, ref, 0.4, color=P_COLOR, label=names[0])
        ax.bar(x + 0.2, cur, 0.4, color=Q_COLOR, hatch=Q_HATCH, label=names[1])
        ticks = _bin_labels(test)
        crowded = len(ticks) > 6
        ax.set_xticks(x, ticks, rotation=45 if crowded else 0, ha="right" if crowded else "center")
        title, unit = labels.get(feature, (feature, None))
        unit = "" if unit is None else f" in {unit}"
        ax.set_xlabel("category" if test.categories is not None
                      else f"bin (lower edge{unit}, from the reference)")
        ax.set_ylabel("share of the sample")
        ax.set_title(f"{title}: PSI {test.measures.psi:.3f} {test.units}, p = {test.pvalue:.3f}",
                     fontsize=10)
        ax.legend()
    for ax in axes[len(items):]:
        ax.set_visible(False)
    return axes


def _estimate_band(x, estimates, ax, *, row, what):
    """Shade the 5%-95% range of each row of ``estimates`` and draw the row means as dots on a line.

    Shared by :func:`kl_vs_bins` and :func:`plugin_bias`. ``row`` names what one row of
    ``estimates`` belongs to (for the shape error), ``what`` one estimate (for the legend). Returns
    the Axes (a new one when ``ax`` is None) and ``x`` as a float array.
    """
    x = np.asarray(x, dtype=float)
    estimates = np.asarray(estimates, dtype=float)
    if estimates.ndim != 2 or len(estimates) != len(x):
        raise ValueError(f"estimates must have one row per {row}: shape ({len(x)}, repeats), "
                         f"got shape {estimates.shape}.")
    if ax is None:
        _, ax = plt.subplots()
    ax.fill_between(x, np.quantile(estimates, 0.05, axis=1), np.quantile(estimates, 0.95, axis=1),
                    color=P_COLOR, alpha=0.2, label=f"90% of {what}s")
    ax.plot(x, estimates.mean(axis=1), "o-", color=P_COLOR, label=f"mean {what}")
    return ax, x


def kl_vs_bins(n_bins, estimates, *, binned=None, continuous=None, single=None, units="nats", ax=None):
    """Plug-in D(ref||cur) against the number of quantile bins, next to the two values it can be compared with.

    Used in: notebooks/06_drift.ipynb (section "3. The number depends on the bins and on the
    smoothing").

    Draws the mean and the 90% range of repeated plug-in estimates (one row
    per bin count), and, when given, the exact binned divergence of the true
    distributions (markers on a line), the continuous divergence (a dotted
    horizontal line) and the estimate from one particular pair of samples.
    The figure separates two effects: binning loses divergence (the data
    processing inequality gives ``binned <= continuous`` for every partition),
    while the plug-in estimate adds a positive bias that grows with the
    number of bins (the gap between the mean estimate and ``binned``).
    Nothing is computed here but means and quantiles of ``estimates``.

    Parameters
    ----------
    n_bins : sequence of int
        Numbers of quantile bins (log-scaled x axis).
    estimates : array_like, shape (len(n_bins), repeats)
        Plug-in estimates from repeated pairs of samples.
    binned : array_like, optional
        The binned divergence of the true distributions, one per bin count.
    continuous : float, optional
        The divergence of the true (continuous) distributions.
    single : array_like, optional
        The estimates from one pair of samples, one per bin count.
    units : str
        Units of every value, for the axis label (default "nats").
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = kl_vs_bins([2, 10], [[0.02, 0.03], [0.04, 0.05]], binned=[0.02, 0.03], continuous=0.031)
    >>> ax.get_ylabel()
    'D(ref||cur) [nats]'
    """
    ax, n_bins = _estimate_band(n_bins, estimates, ax, row="bin count", what="plug-in estimate")
    if single is not None:
        ax.plot(n_bins, single, "^", color=PALETTE["reddish purple"], ms=8, label="this pair of samples")
    if binned is not None:
        ax.plot(n_bins, binned, "s--", color=M_COLOR, label="binned truth (exact, from the CDFs)")
    if continuous is not None:
        ax.axhline(continuous, color=PALETTE["black"], ls=":", lw=1.5,
                   label=f"continuous truth = {continuous:.4g} {units}")
    ax.set_xscale("log")
    ax.set_xticks(n_bins, [f"{k:g}" for k in n_bins])
    ax.set_xlabel("number of quantile bins (log scale)")
    ax.set_ylabel(f"D(ref||cur) [{units}]")
    ax.legend()
    return ax


def plugin_bias(sizes, estimates, *, n_bins_total, units="nats", ax=None):
    """Plug-in estimates of a divergence that is truly 0, against the sample size, with the bias approximation.

    Used in: notebooks/06_drift.ipynb (section "4. Estimated from samples: the bias when nothing
    drifted").

    Draws the mean and the 90% range of the estimates for each sample size
    n = m, and the large-sample approximation of their mean,

    .. math:: E[\\hat D] \\approx \\frac{K - 1}{2}\\left(\\frac{1}{n} + \\frac{1}{m}\\right),

    as a dashed line, with K the number of bins in all (overflow bins
    included). Nothing is computed here but means and quantiles.

    Parameters
    ----------
    sizes : sequence of int
        Sample size per side, n = m (log-scaled x axis).
    estimates : array_like, shape (len(sizes), repeats)
        Plug-in estimates from repeated pairs of samples of the same distribution.
    n_bins_total : int
        K, the number of bins including overflow bins.
    units : str
        Units of the estimates (default "nats").
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plugin_bias([100, 1000], [[0.1, 0.12], [0.01, 0.012]], n_bins_total=12)
    >>> [line.get_label() for line in ax.get_lines()]
    ['mean estimate', '(K - 1)(1/n + 1/m) / 2, K = 12']
    """
    ax, sizes = _estimate_band(sizes, estimates, ax, row="sample size", what="estimate")
    ax.plot(sizes, (n_bins_total - 1) * (1 / sizes + 1 / sizes) / 2, "--", color=PALETTE["black"],
            label=f"(K - 1)(1/n + 1/m) / 2, K = {n_bins_total}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("sample size n = m (each side)")
    ax.set_ylabel(f"plug-in D(ref||cur) [{units}]")
    ax.legend()
    return ax


def false_alarm_rates(sizes, rates, *, intervals=None, alpha=0.05, n_trials=None, ax=None):
    """Grouped bars of how often "drift" was declared when nothing drifted, one hatch per rule.

    Used in: notebooks/06_drift.ipynb (section "5. A permutation test decides, at any sample size").

    Parameters
    ----------
    sizes : sequence of int
        Sample size per side of each group of bars.
    rates : dict
        Rule name -> false-alarm rate (a share, 0 to 1) for each size.
    intervals : dict, optional
        Rule name -> (low, high) confidence interval of each rate, drawn as
        error bars (for instance from ``scipy.stats.binomtest(k, n).proportion_ci()``).
    alpha : float
        The promised false-alarm rate, drawn as a dashed line.
    n_trials : int, optional
        Number of trials per rate, for the axis label.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = false_alarm_rates([25, 1000], {"test": [0.04, 0.06], "PSI > 0.1": [0.99, 0.0]})
    >>> len(ax.containers)
    2
    """
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(sizes))
    width = 0.8 / len(rates)
    colors = [P_COLOR, PALETTE["orange"], PALETTE["reddish purple"], PALETTE["sky blue"]]
    for i, (key, values) in enumerate(rates.items()):
        values = np.asarray(values, dtype=float)
        if len(values) != len(sizes):
            raise ValueError(f"rates[{key!r}] has {len(values)} values for {len(sizes)} sample sizes; "
                             "give one rate per size.")
        yerr = None
        if intervals is not None and key in intervals:
            low, high = np.asarray(intervals[key], dtype=float).T
            yerr = [values - low, high - values]
        ax.bar(x + (i - (len(rates) - 1) / 2) * width, values, width, color=colors[i % 4],
               hatch=HATCHES[i % len(HATCHES)], edgecolor=PALETTE["black"], linewidth=0.5,
               yerr=yerr, capsize=3, label=key)
    ax.axhline(alpha, color=PALETTE["black"], ls="--", lw=1, label=f"alpha = {alpha:g}")
    ax.set_xticks(x, [f"n = m = {n}" for n in sizes])
    ax.set_xlabel("sample size per side")
    trials = f" in {n_trials} trials" if n_trials else ""
    ax.set_ylabel(f"false-alarm rate (share{trials})")
    ax.set_ylim(0, 1.05)
    ax.legend()
    return ax


#: Seed of the drift explorer's first draw: its samples show no false alarm at shift 0 for any
#: offered sample size, and the default 0.25 sd shift is detected at 200 values per side
#: (tests/course/test_nb06_drift.py checks both).
DRIFT_SEED = 18


def show_drift(shift=0.25, n=200, *, seed=DRIFT_SEED, bins=10, n_permutations=999):
    """Synthetic drift: reference N(0, 1), current N(shift, 1); print the measures and the test, plot both.

    Used in: notebooks/06_drift.ipynb (section "6. Explore: how big a shift, how many values?").

    Also prints what the folklore PSI thresholds (0.1 "moderate",
    0.25 "significant") would say, to compare with the permutation test,
    whose p-value is ``(1 + #{T_perm >= T_obs}) / (B + 1)``.

    Parameters
    ----------
    shift : float
        Mean shift of the current sample, in standard deviations.
    n : int
        Sample size on each side.
    seed : int
        Seed of the samples and of the permutations (the samples for a
        given seed and n differ between shifts only by the shift itself).
    bins, n_permutations
        As in :func:`klteach.drift.drift_test` (B = 999 shuffles by default,
        the same number :func:`drift_explorer` uses).

    Returns
    -------
    klteach.drift.DriftTestResult

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> r = show_drift(0.0, 50, n_permutations=99)   # doctest: +ELLIPSIS
    shift 0.00 sd, n = m = 50: ...
    permutation p-value ... -> no evidence of drift at alpha = 0.05; folklore PSI thresholds say: ...
    """
    rng = np.random.default_rng(seed)
    reference, current = rng.normal(0, 1, n), rng.normal(shift, 1, n)
    result = drift.drift_test(reference, current, bins=bins, n_permutations=n_permutations, seed=rng)
    psi = result.measures.psi
    folklore = "significant" if psi > 0.25 else "moderate" if psi > 0.1 else "none"
    verdict = "drift" if result.pvalue <= 0.05 else "no evidence of drift"
    print(f"shift {shift:.2f} sd, n = m = {n}: {result.measures}")
    print(f"permutation p-value {result.pvalue:.4f} ({n_permutations} shuffles) -> {verdict} at alpha = 0.05; "
          f"folklore PSI thresholds say: {folklore}")
    axes = drift_histograms(result, names=("reference N(0, 1)", f"current N({shift:.2f}, 1)"),
                            labels={"feature": ("feature", "reference sds")})   # N(0, 1): value = sds
    axes[0].set_title(f"Shift {shift:.2f} sd, n = {n}: p = {result.pvalue:.3f}, PSI = {psi:.3f} nats")
    plt.show()
    return result


def drift_explorer(shift=0.25, n=200, *, seed=DRIFT_SEED):
    """Sliders for the shift and the sample size: when does the test see the drift, and when does PSI cry wolf?

    Used in: notebooks/06_drift.ipynb (section "6. Explore: how big a shift, how many values?").

    A third slider draws new samples (it sets the seed): with no shift,
    about one draw in twenty is a false alarm at alpha = 0.05, as promised.
    Each draw is :func:`show_drift` with its defaults (999 shuffles), so the
    explorer's first view is the static figure ``show_drift(shift, n)``.

    Returns
    -------
    ipywidgets.VBox
    """
    shift_slider = _slider(shift, 0, 1, 0.05, "mean shift (sd)")
    n_slider = widgets.SelectionSlider(options=[25, 50, 100, 200, 500, 1000, 2000, 5000], value=n,
                                       description="n per side", style=_STYLE, continuous_update=False)
    seed_slider = widgets.IntSlider(value=seed, min=0, max=99, description="sample draw",
                                    style=_STYLE, continuous_update=False)

    def draw(s, size, draw_seed):
        show_drift(s, size, seed=draw_seed)

    return _explorer(draw, {"s": shift_slider, "size": n_slider, "draw_seed": seed_slider},
                     [[shift_slider, n_slider, seed_slider]])


def check_psi(answer, reference_counts, current_counts, *, pseudo_count=0.5, base=None,
              names=("ref", "cur"), sig=3):
    """Check an answer for the PSI of two histograms, smoothed with ``pseudo_count`` per bin.

    Used in: notebooks/06_drift.ipynb (section "Exercises").

    Recognised mistakes: only one direction of KL, no smoothing (an inf, which
    smoothed probabilities rounded to 0 also give: the message says both when
    a smoothed probability rounds to 0 at 1-3 decimal places), smoothing
    without renormalising, a pseudo-count of 1, smoothing only one histogram
    or only the empty bins, the mean of the PSI terms, PSI x 100, another
    log base, minus PSI (a
    difference or ratio the wrong way round), and the Jensen-Shannon
    divergence. ``names`` are the exercise's names for the two histograms
    (e.g. ``("ref_week", "cur_week")``); the messages speak in them.

    Examples
    --------
    >>> check_psi(0.1134, [50, 30, 20], [30, 30, 40])
    Not quite: 0.1134 matches D(ref||cur) alone. PSI is the symmetric sum D(ref||cur) + D(cur||ref), both directions, with p and q the smoothed, normalised ref and cur.
    """
    a, b = _names(names)
    units = _unit_words(base)
    m = drift_measures(reference_counts, current_counts, pseudo_count=pseudo_count, base=base)
    pq = f"p and q the smoothed, normalised {a} and {b}"
    both = f"PSI is the symmetric sum D({a}||{b}) + D({b}||{a}), both directions, with {pq}."
    mistakes = _unit_mistakes(lambda bb: drift_measures(reference_counts, current_counts,
                                                         pseudo_count=pseudo_count, base=bb).psi, "PSI", base)
    mistakes += [
        (m.kl_ref_cur, f"D({a}||{b}) alone. {both}"),
        (m.kl_cur_ref, f"D({b}||{a}) alone. {both}"),
        (m.js, "the Jensen-Shannon divergence, not PSI."),
    ]
    r, c = np.asarray(reference_counts, float), np.asarray(current_counts, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p0, q0 = r / r.sum(), c / c.sum()
        terms = np.where((p0 == 0) & (q0 == 0), 0.0, (p0 - q0) * np.log(p0 / q0))
        unsmoothed = float(np.sum(terms)) / log_base(base)
    # inf also comes from smoothed probabilities rounded before the log: a small one rounds to 0
    tiny = []
    if pseudo_count > 0:
        for counts, label in ((r, a), (c, b)):
            smallest = float(np.min((counts + pseudo_count) / (counts.sum() + len(counts) * pseudo_count)))
            places = max((d for d in (1, 2, 3) if round(smallest, d) == 0), default=None)
            if places is not None:
                tiny.append((label, smallest, places))
    if math.isinf(unsmoothed) and tiny:
        label, smallest, places = min(tiny, key=lambda t: t[1])
        unsmoothed_why = (f"a zero probability inside a log ratio (a p of 0 makes the term (0 - q) log(0 / q) = +inf, a q of 0 makes "
                          f"log(p / 0) = +inf). With the pseudo-count {pseudo_count:g} "
                          f"in every bin no smoothed probability is 0, but the smallest of {label}, "
                          f"{smallest:.4f}, is 0 once rounded to {places} decimal place{'s' if places > 1 else ''} (or fewer): if you rounded "
                          f"the smoothed probabilities, use them unrounded. PSI without smoothing is inf too: if you "
                          f"did not smooth, add the pseudo-count {pseudo_count:g} to every bin of both histograms before normalising.")
    else:
        unsmoothed_why = (f"PSI without smoothing. Add the pseudo-count {pseudo_count:g} to every bin of both "
                          f"histograms before normalising.")
    mistakes.append((unsmoothed, unsmoothed_why))
    p_raw, q_raw = (r + pseudo_count) / r.sum(), (c + pseudo_count) / c.sum()
    mistakes.append((float(np.sum((p_raw - q_raw) * np.log(p_raw / q_raw))) / log_base(base),
                     "PSI of counts + pseudo-count divided by the original totals: renormalise, "
                     "dividing by n + K * pseudo-count so each histogram sums to 1."))

    def psi_of(x, y):
        x, y = x / x.sum(), y / y.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum((x - y) * np.log(x / y))) / log_base(base)

    if pseudo_count > 0:
        # the pseudo-count added to the probabilities (each histogram normalised first), then renormalised
        mistakes.append((psi_of(r / r.sum() + pseudo_count, c / c.sum() + pseudo_count),
                         f"PSI with the pseudo-count {pseudo_count:g} added to the probabilities, not to the "
                         f"counts: add it to every bin's count, then normalise."))
    if pseudo_count != 1:
        mistakes.append((psi_of(r + 1, c + 1), f"PSI with a pseudo-count of 1 per bin; the question asks for "
                                               f"{pseudo_count:g}: add {pseudo_count:g} to every bin of both "
                                               f"histograms."))
    for x, y, label in ((r + pseudo_count, c, f"only {a}"), (r, c + pseudo_count, f"only {b}")):
        w = psi_of(x, y)
        if math.isfinite(w):
            mistakes.append((w, f"PSI with {label} smoothed: add the pseudo-count {pseudo_count:g} to every "
                                f"bin of both histograms."))
    if np.any(r == 0) or np.any(c == 0):
        w = psi_of(np.where(r == 0, pseudo_count, r), np.where(c == 0, pseudo_count, c))
        if math.isfinite(w):
            mistakes.append((w, f"PSI with the pseudo-count added to the empty bins only: add "
                                f"{pseudo_count:g} to every bin of both histograms, so no bin is singled out."))
    k = len(r)
    if k > 1:
        mistakes.append((m.psi / k, f"the mean of the {k} PSI terms (np.mean), not their sum: add the terms "
                                    f"up (np.sum), or multiply the unrounded mean by {k}.",
                         ("scale", f"the mean of the {k} PSI terms", f"multiplied by {k}")))
    mistakes.append((100 * m.psi, "PSI x 100, as a percentage: PSI is not a percentage. Divide the unrounded "
                                  "number by 100.", ("scale", "PSI x 100", "divided by 100")))
    if m.psi > 0:
        mistakes.append((-m.psi, f"minus PSI: (q - p) * log(p / q), or (p - q) * log(q / p), with {pq}: the "
                                 f"difference or the ratio the wrong way round: both take p first."))
    # the terms (p - q) log(p / q), or their logs, rounded before summing (what a learner who copies printed
    # numbers computes): named beside a cut-off only when one of these sums gives the answer
    ps, qs = (r + pseudo_count) / (r + pseudo_count).sum(), (c + pseudo_count) / (c + pseudo_count).sum()
    partway = (_rounded_terms(ps - qs, np.log(ps / qs) / log_base(base), "(p - q) log(p / q)", m.psi)
               if np.all(ps > 0) and np.all(qs > 0) else None)
    return check_number(answer, m.psi, what="PSI", units=units, mistakes=mistakes, sig=sig, field="psi",
                        partway=partway,
                        hint=f"Add the pseudo-count to each bin, normalise both histograms (p from {a}, q from "
                             f"{b}), then weight each bin's log ratio of p to q by the difference of the two, "
                             f"and sum over the bins.",
                        combine="Add up your per-bin terms to one number.",
                        negative=f"Each PSI term, a difference of two probabilities times the log of their ratio, "
                                 f"is 0 or more (its two factors have the same sign), so PSI is never negative, "
                                 f"and your number is not minus PSI either: check each term, with {pq}.",
                        nan="Your answer is NaN: an empty bin gives 0 * log(0 / q) or 0/0. Add the "
                            "pseudo-count to every bin before normalising.")


def check_permutation_pvalue(answer, observed, permuted, *, sig=3):
    """Check a permutation p-value: ``(1 + #{permuted >= observed}) / (B + 1)``.

    Used in: notebooks/06_drift.ipynb (section "Exercises").

    Recognised mistakes: leaving out both +1s, or only the one in the
    numerator or only the one in the denominator, counting strictly larger
    values only (with or without the +1s), ties counted as half (mid-p),
    the comparison the wrong way round (<=), (1 + count) / (B + 2),
    one minus the p-value, the share of permuted values
    below the observed one, the p-value as a percentage, 1 + count
    without the division, and the count itself. Mistakes that give the same number with the
    given data are named together.

    Examples
    --------
    >>> check_permutation_pvalue(0.4, 2.0, [1.0, 3.0, 2.0, 0.5, 0.2])
    Not quite: 0.4 matches #{T_perm >= T_obs} / B, without the +1s. Count the observed split as one more permutation, in the count and in the total, so p is never 0. 0.4 is exactly that mistake's value: more figures would not change it.
    """
    permuted = np.asarray(permuted, dtype=float)
    b = len(permuted)
    if b == 0:
        raise ValueError("permuted is empty: the p-value needs the statistics of B >= 1 permutations.")
    at_least = int(np.sum(permuted >= observed))
    greater = int(np.sum(permuted > observed))
    expected = (1 + at_least) / (b + 1)
    mistakes = [
        (at_least / b, "#{T_perm >= T_obs} / B, without the +1s. Count the observed split as one more "
                       "permutation, in the count and in the total, so p is never 0."),
        (at_least / (b + 1), "count / (B + 1): the +1 in the numerator is missing; the observed split "
                             "counts as one more permutation in the count too."),
        ((1 + at_least) / b, "(1 + count) / B: the +1 in the denominator is missing; the observed split "
                             "counts as one more permutation in the total too."),
        (1 - expected, "one minus the p-value. p is small when few permuted statistics reach the observed "
                       "one: count those at least as large as it, not the others."),
        (np.sum(permuted < observed) / b, "the share of permuted statistics below the observed one; p counts "
                                          "those at least as large (>=), plus the observed split itself."),
    ]
    mistakes.append((100 * expected, "the p-value as a percentage: p is a probability, between 0 and 1. "
                                     "Divide the unrounded number by 100.",
                     ("scale", "the p-value as a percentage", "divided by 100")))
    if greater != at_least:      # with no ties, > and >= count the same
        mistakes.append(((1 + greater) / (b + 1), "counting only permuted statistics strictly greater "
                                                  "than the observed one: ties count too (>=)."))
        mistakes.append((greater / b, "#{T_perm > T_obs} / B: strictly greater only, and without the +1s. "
                                      "Ties count too (>=), and the observed split counts as one more "
                                      "permutation, in the count and in the total."))
    at_most = int(np.sum(permuted <= observed))
    if abs((1 + at_most) / (b + 1) - expected) >= 0.01 * expected:     # closer: right by coincidence
        mistakes.append(((1 + at_most) / (b + 1), "(1 + #{T_perm <= T_obs}) / (B + 1), the comparison the wrong "
                                                  "way round: p counts the permuted statistics at least as large "
                                                  "as the observed one (>=)."))
        mistakes.append(((1 + greater + (at_least - greater) / 2) / (b + 1),
                         "ties counted as half (a mid-p value): count ties in full, >=."))
    if abs((1 + at_least) / (b + 2) - expected) >= 0.01 * expected:     # closer: right by coincidence
        mistakes.append(((1 + at_least) / (b + 2), "(1 + count) / (B + 2): the observed split adds one to B, "
                                                   "not two."))
    mistakes.append((1.0 + at_least, f"1 + count, the numerator alone: divide it by B + 1 = {b + 1}."))
    if at_least > 0:
        mistakes.append((float(at_least), f"the count of permuted statistics at least as large as the observed "
                                          f"one, not yet a p-value: add 1 to it and divide by B + 1 = {b + 1}."))
    return check_number(answer, expected, what="the permutation p-value", mistakes=mistakes, sig=sig,
                        hint="Count the permuted statistics at least as large as the observed one (>=, ties "
                             "included), and count the observed split as one more permutation, in the count "
                             "and in the total.", rounding=False,
                        negative="A p-value is a probability, between 0 and 1. Print the count and "
                                 "B + 1 before dividing.",
                        nan="Your answer is NaN (not a number). The p-value takes no logarithms: a NaN comes "
                            "from 0/0 (a count divided by the length of an empty array) or from a mean of "
                            "nothing. Print the count and B = len(permuted) before dividing.",
                        combine="Count the True values of the comparison (np.sum counts them), then add "
                                "the observed split to the count and to the total.")
