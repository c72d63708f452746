"""The course's house plot style and the figures that recur across notebooks.

One colour-blind-safe palette (Okabe and Ito, 2008) is used everywhere: P is
always blue, Q always vermillion, a third distribution (a mixture, a
midpoint) bluish green. Colour is never the only cue: Q's bars are hatched
(``Q_HATCH``) and its lines dashed, series get their own markers, and every
series is named in a legend. Plots call the maths in :mod:`klteach.discrete`;
they never compute divergences themselves.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

from . import drift
from ._validation import unit_name
from .coding import huffman_lengths, ideal_code_lengths
from .continuous import continuous_kl
from .discrete import kl_contributions
from .fits import mixture_pdf

__all__ = ["PALETTE", "P_COLOR", "Q_COLOR", "M_COLOR", "Q_HATCH", "MARKERS", "HATCHES",
           "use_style", "bar_pair", "contributions_bar"]

#: Okabe-Ito colours, in the order the style cycles through them.
PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish green": "#009E73",
    "reddish purple": "#CC79A7",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
P_COLOR = PALETTE["blue"]
Q_COLOR = PALETTE["vermillion"]
M_COLOR = PALETTE["bluish green"]
#: Hatching of Q's bars, so P and Q differ in more than colour (P's bars are plain).
Q_HATCH = "//"
#: Markers and hatches for series beyond P and Q, one per series, in order.
MARKERS = ["o", "s", "^", "D", "v", "P"]
HATCHES = ["", "//", "..", "xx", "\\\\", "--"]

_STYLE = {
    "axes.prop_cycle": cycler(color=list(PALETTE.values())),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    # Every text at least 10 pt (about 14 pixels at the notebooks' 100 dpi, at which
    # JupyterLab shows a figure that fits its width): tests/test_plots_widgets.py checks it.
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 12,
    "figure.labelsize": 11,
    "legend.frameon": False,
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "image.cmap": "cividis",
}


def use_style() -> None:
    """Apply the house style (palette, light grid, no top/right spines).

    Examples
    --------
    >>> use_style()
    >>> mpl.rcParams["axes.spines.top"]
    False
    """
    mpl.rcParams.update(_STYLE)


def bar_pair(p, q, *, labels=None, names=("P", "Q"), ax=None, title=None,
             ylabel="probability"):
    """Side-by-side bars of two distributions over the same outcomes: P plain blue, Q hatched vermillion.

    Parameters
    ----------
    p, q : array_like
        Probabilities of each outcome.
    labels : sequence of str, optional
        Outcome names (default ``0, 1, ...``).
    names : (str, str)
        Legend names of the two distributions.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure if omitted.
    title, ylabel : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    p, q = np.asarray(p, float), np.asarray(q, float)
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(p))
    width = 0.4
    ax.bar(x - width / 2, p, width, color=P_COLOR, label=names[0])
    ax.bar(x + width / 2, q, width, color=Q_COLOR, hatch=Q_HATCH, label=names[1])
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_xlabel("outcome")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def contributions_bar(p, q, *, labels=None, base=None, ax=None, title=None):
    """Per-outcome terms of D(P||Q) and of D(Q||P), as grouped bars.

    Bars above zero add to the divergence, bars below subtract; each
    direction's bars sum to its divergence, shown in the legend.

    Returns
    -------
    matplotlib.axes.Axes
    """
    units = unit_name(base)
    forward = kl_contributions(p, q, base=base, signed=True)
    reverse = kl_contributions(q, p, base=base, signed=True)
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(forward))
    width = 0.4
    ax.bar(x - width / 2, np.where(np.isinf(forward), np.nan, forward), width,
           color=P_COLOR, label=f"D(P||Q) terms, sum {forward.sum():.4f} {units}")
    ax.bar(x + width / 2, np.where(np.isinf(reverse), np.nan, reverse), width,
           color=Q_COLOR, hatch=Q_HATCH, label=f"D(Q||P) terms, sum {reverse.sum():.4f} {units}")
    for xi, value in zip(x, forward):
        if np.isinf(value):
            ax.annotate("inf", (xi - width / 2, 0), ha="center", va="bottom", color=P_COLOR)
    for xi, value in zip(x, reverse):
        if np.isinf(value):
            ax.annotate("inf", (xi + width / 2, 0), ha="center", va="bottom", color=Q_COLOR)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_xlabel("outcome")
    ax.set_ylabel(f"contribution [{units}]")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
    return ax


# --- notebooks 02-04: coding, cross-entropy, asymmetry ---


__all__ += ["REVERSE_COLOR", "CE_COLOR", "KL_COLOR", "code_lengths_bar", "training_curves", "gaussian_fits"]

REVERSE_COLOR = PALETTE["reddish purple"]   # the reverse-KL fit, beside Q's vermillion
#: Cross-entropy and KL curves (notebook 03): colours other than P's blue and Q's vermillion,
#: so those keep meaning "P" and "Q"; the curves also differ in line style (solid, dashed).
CE_COLOR = PALETTE["orange"]
KL_COLOR = PALETTE["reddish purple"]


def code_lengths_bar(p, q, *, symbols=None, names=("P", "Q"), ax=None, title=None):
    """Huffman codeword lengths (bars; Q's hatched) and ideal lengths -log2 (dots) of P's code and of Q's code.

    Parameters
    ----------
    p, q : array_like
        Distributions over the same symbols; each code is built for one of them.
    symbols : sequence of str, optional
        Symbol names (default ``0, 1, ...``).
    names : (str, str)
        Legend names of the two distributions.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.6))
    x = np.arange(len(np.asarray(p)))
    width = 0.4
    for shift, dist, color, hatch, marker, name in ((-width / 2, p, P_COLOR, None, "o", names[0]),
                                                    (width / 2, q, Q_COLOR, Q_HATCH, "D", names[1])):
        ax.bar(x + shift, huffman_lengths(dist), width, color=color, alpha=0.8, hatch=hatch,
               label=f"Huffman code for {name} (whole bits)")
        ax.plot(x + shift, ideal_code_lengths(dist), marker, ms=4, color="black",
                label=f"ideal lengths for {name}, -log2 of its probabilities")
    ax.set_xticks(x, symbols if symbols is not None else [str(i) for i in x])
    ax.set_xlabel("symbol")
    ax.set_ylabel("codeword length [bits]")
    lengths = np.concatenate([huffman_lengths(p), huffman_lengths(q), ideal_code_lengths(p),
                              ideal_code_lengths(q)])
    ax.set_ylim(0, np.max(lengths[np.isfinite(lengths)]) + 0.6)   # the axis fits the data
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if title:
        ax.set_title(title)
    ax.legend(ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))   # below, off the bars
    return ax


def training_curves(fit, *, units="nats", ax=None, title=None):
    """Cross-entropy and KL during training: the same shape, offset by the targets' entropy.

    Plots, against the number of gradient steps taken (1 to the last, on a
    logarithmic axis, because the first steps change the most), the mean over
    the training examples of H(P_i, Q_i) and of D(P_i||Q_i), and the mean
    target entropy H(P_i) that separates them. The values before the first
    step (``fit.cross_entropy[0]``, ``fit.kl[0]``) have no place on a log axis
    and are not drawn.

    Parameters
    ----------
    fit : klteach.training.SoftmaxFit
        A training run (its ``cross_entropy``, ``kl`` and ``target_entropy``).
    units : str
        Units of the run's history, for the axis label.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots()
    steps = np.arange(1, len(fit.cross_entropy))   # after 1, 2, ... steps
    ax.plot(steps, fit.cross_entropy[1:], color=CE_COLOR, lw=2, label="mean cross-entropy H(P, Q)")
    ax.plot(steps, fit.kl[1:], color=KL_COLOR, lw=2, ls="--", label="mean KL D(P||Q)")
    ax.axhline(fit.target_entropy, color=M_COLOR, lw=1, ls=":",
               label=f"mean H(P) = {fit.target_entropy:.4f} {units}")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlim(1, steps[-1])
    ax.set_xlabel("gradient steps taken (logarithmic axis)")
    ax.set_ylabel(f"mean over the training examples [{units}]")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def gaussian_fits(weights, means, sds, forward, reverse, *, ax=None, title=None):
    """A two-mode mixture P and the single Gaussians fitted by forward and reverse KL.

    Parameters
    ----------
    weights, means, sds : array_like
        The mixture P.
    forward, reverse : klteach.fits.GaussianFit
        Fits minimising D(P||Q) and D(Q||P).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots()
    means, sds = np.asarray(means, float), np.asarray(sds, float)
    lo = min(np.min(means - 4 * sds), forward.mean - 3.5 * forward.sd)
    hi = max(np.max(means + 4 * sds), forward.mean + 3.5 * forward.sd)
    x = np.linspace(lo, hi, 800)
    ax.fill_between(x, mixture_pdf(x, weights, means, sds), color=P_COLOR, alpha=0.25)
    ax.plot(x, mixture_pdf(x, weights, means, sds), color=P_COLOR, lw=2, label="P: the two-mode mixture")
    for fit, color, style, name in ((forward, Q_COLOR, "-.", "forward: min D(P||Q), mass-covering"),
                                    (reverse, REVERSE_COLOR, "--", "reverse: min D(Q||P), mode-seeking")):
        density = np.exp(-0.5 * ((x - fit.mean) / fit.sd) ** 2) / (fit.sd * np.sqrt(2 * np.pi))
        ax.plot(x, density, color=color, lw=2, ls=style, label=name)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


__all__ += ["fit_scan"]


def fit_scan(separations, forward, reverse, *, mode_sd=1.0, axes=None):
    """Mean and sd of the forward and reverse Gaussian fits as the two modes move apart.

    Parameters
    ----------
    separations : array_like
        Distances between the modes; the left mode is at ``-separation / 2``.
    forward, reverse : sequence of klteach.fits.GaussianFit
        One fit per separation, minimising D(P||Q) and D(Q||P).
    mode_sd : float
        Standard deviation of each mode, drawn as a reference line.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    pair of matplotlib.axes.Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    left, right = axes
    separations = np.asarray(separations, dtype=float)
    for fits, color, style, name in ((forward, Q_COLOR, "-.", "forward: min D(P||Q)"),
                                     (reverse, REVERSE_COLOR, "--", "reverse: min D(Q||P)")):
        left.plot(separations, [f.mean for f in fits], style, color=color, marker="o", ms=3, label=name)
        right.plot(separations, [f.sd for f in fits], style, color=color, marker="o", ms=3, label=name)
    left.plot(separations, -separations / 2, ":", color=P_COLOR, label="left mode")
    right.axhline(mode_sd, ls=":", color=P_COLOR, label="sd of each mode")
    for ax in axes:
        ax.set_xlabel("distance between the modes (x units)")
        ax.legend()
    left.set_ylabel("mean of the fitted Gaussian (x units)")
    left.set_title("Reverse fit jumps onto a mode")
    right.set_ylabel("sd of the fitted Gaussian (x units)")
    right.set_title("Forward fit keeps widening")
    return axes


# --- notebook 05: continuous and Gaussian KL ---


__all__ += ["density_pair", "kl_integrand", "estimates_vs_n"]

_ESTIMATOR_COLORS = [PALETTE["orange"], PALETTE["reddish purple"], PALETTE["bluish green"],
                     PALETTE["sky blue"], PALETTE["black"]]


def _grid(p, q, num=801):
    """x values covering all but 1e-4 of the mass of both frozen distributions.

    Evenly spaced points plus quantiles of each distribution, so skewed and
    narrow densities are resolved where their mass is.
    """
    lo = min(p.ppf(1e-4), q.ppf(1e-4))
    hi = max(p.isf(1e-4), q.isf(1e-4))
    levels = np.linspace(1e-4, 1 - 1e-4, num // 2)
    return np.unique(np.concatenate([np.linspace(lo, hi, num), p.ppf(levels), q.ppf(levels)]))


def density_pair(p, q, *, names=("P", "Q"), ax=None, title=None, xlabel="x"):
    """Densities of two continuous distributions (frozen scipy.stats objects), P blue, Q vermillion.

    Returns
    -------
    matplotlib.axes.Axes
    """
    x = _grid(p, q)
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(x, p.pdf(x), color=P_COLOR, lw=2, label=f"{names[0]} (reference)")
    ax.plot(x, q.pdf(x), color=Q_COLOR, lw=2, ls="--", label=f"{names[1]} (model)")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density [1 / unit of x]")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def kl_integrand(p, q, *, names=("P", "Q"), base=None, ax=None, title=None, xlabel="x",
                 color=None, linestyle="-", hatch=None, label=None, legend_loc="best"):
    """The integrand p(x) log(p(x)/q(x)) of D(P||Q), shaded: its signed area is the divergence.

    The legend gives D(P||Q) from :func:`klteach.continuous_kl`. When two
    integrands share axes, give the second its own ``linestyle`` and
    ``hatch`` (e.g. ``"--"`` and :data:`Q_HATCH`) so they differ beyond colour.
    A caller that cuts the x axis (so part of the area is off the plot)
    passes its own ``label`` saying what the visible shaded area is, and
    ``legend_loc`` (a matplotlib legend location) to keep the legend off
    the curve.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from scipy import stats
    >>> ax = kl_integrand(stats.norm(0, 1), stats.norm(1, 2))
    >>> ax.get_legend().get_texts()[0].get_text()
    'area = D(P||Q) = 0.4431 nats'
    >>> ax = kl_integrand(stats.norm(0, 1), stats.norm(1, 2), label="my label", legend_loc="upper right")
    >>> ax.get_legend().get_texts()[0].get_text()
    'my label'
    >>> plt.close("all")
    """
    units = unit_name(base)
    x = _grid(p, q)
    scale = 1.0 if base is None else np.log(base)
    y = p.pdf(x) * (p.logpdf(x) - q.logpdf(x)) / scale
    d = continuous_kl(p, q, base=base)
    color = color or M_COLOR
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(x, y, color=color, lw=1.5, ls=linestyle)
    if label is None:
        label = f"area = D({names[0]}||{names[1]}) = {d:.4f} {units}"
    ax.fill_between(x, y, color=color, alpha=0.3, hatch=hatch, label=label)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"p(x) log(p(x)/q(x)) [{units} / unit of x]")
    if title:
        ax.set_title(title)
    ax.legend(loc=legend_loc)
    return ax


def estimates_vs_n(sizes, estimates, truth, *, limits=None, ax=None, title=None, units="nats"):
    """Mean and spread of repeated estimates against sample size, with the truth as a line.

    Parameters
    ----------
    sizes : sequence of int
        Sample sizes (log-scaled x axis).
    estimates : dict
        Estimator name -> array of shape ``(len(sizes), replications)``;
        NaN entries (such as infinite estimates the caller set aside) are skipped.
    truth : float
        The exact divergence, drawn as a dotted black line.
    limits : dict, optional
        Estimator name -> the value it converges to when that is not the
        truth (such as the KL of the binned distributions for a histogram
        with fixed bins), drawn as a dash-dotted line in the estimator's colour.

    Returns
    -------
    matplotlib.axes.Axes
        Error bars are +- one standard deviation across replications; the
        gap between the marker and the line is the bias.

    Raises
    ------
    ValueError
        A name in ``limits`` that is not a key of ``estimates``.

    Examples
    --------
    >>> import numpy as np
    >>> ax = estimates_vs_n([10, 100], {"a": np.ones((2, 3)), "b": np.full((2, 3), 0.8)}, 1.0,
    ...                     limits={"b": 0.8})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['truth = 1.0000 nats', 'limit of b = 0.8000 nats', 'a', 'b']
    >>> plt.close("all")
    """
    sizes = np.asarray(sizes, float)
    if ax is None:
        _, ax = plt.subplots()
    k = len(estimates)
    for i, (name, values) in enumerate(estimates.items()):
        values = np.asarray(values, float)
        shift = 1.06 ** (i - (k - 1) / 2)          # side by side on the log axis
        ax.errorbar(sizes * shift, np.nanmean(values, axis=1), yerr=np.nanstd(values, axis=1, ddof=1),
                    fmt=MARKERS[i % len(MARKERS)] + "-", capsize=3,
                    color=_ESTIMATOR_COLORS[i % len(_ESTIMATOR_COLORS)],
                    label=name)
    ax.axhline(truth, color="black", ls=":", lw=1.2, label=f"truth = {truth:.4f} {units}")
    names = list(estimates)
    for name, value in (limits or {}).items():
        if name not in estimates:
            raise ValueError(f"limits names {name!r}, which is not one of the estimators {names}.")
        ax.axhline(value, color=_ESTIMATOR_COLORS[names.index(name) % len(_ESTIMATOR_COLORS)], ls="-.",
                   lw=1.2, label=f"limit of {name} = {value:.4f} {units}")
    ax.set_xscale("log")
    ax.set_xlabel("sample size n")
    ax.set_ylabel(f"estimate of D(P||Q) [{units}]")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


# --- notebook 06: drift ---


__all__ += ["drift_histograms", "kl_vs_bins", "plugin_bias"]


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


def drift_histograms(result, *, top=4, names=("reference", "current"), axes=None):
    """Reference (plain blue) and current (hatched vermillion) shares per bin, one panel per feature.

    Parameters
    ----------
    result : DriftReport or DriftTestResult
        A report (its ``top`` worst features are drawn) or one feature's test.
    top : int
        Number of features to draw from a report.
    names : (str, str)
        Legend names of the two samples.
    axes : sequence of matplotlib Axes, optional

    Returns
    -------
    ndarray of matplotlib Axes
    """
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
        labels = _bin_labels(test)
        crowded = len(labels) > 6
        ax.set_xticks(x, labels, rotation=45 if crowded else 0, ha="right" if crowded else "center")
        ax.set_xlabel("category" if test.categories is not None else "bin (lower edge, from the reference)")
        ax.set_ylabel("share of the sample")
        ax.set_title(f"{feature}: PSI {test.measures.psi:.3f} {test.units}, p = {test.pvalue:.3f}",
                     fontsize=10)
        ax.legend()
    for ax in axes[len(items):]:
        ax.set_visible(False)
    return axes


def kl_vs_bins(n_bins, estimates, *, binned=None, continuous=None, single=None, units="nats", ax=None):
    """Plug-in D(ref||cur) against the number of quantile bins, next to the two values it can be compared with.

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
    n_bins = np.asarray(n_bins, dtype=float)
    estimates = np.asarray(estimates, dtype=float)
    if estimates.ndim != 2 or len(estimates) != len(n_bins):
        raise ValueError(f"estimates must have one row per bin count: shape ({len(n_bins)}, repeats), "
                         f"got shape {estimates.shape}.")
    if ax is None:
        _, ax = plt.subplots()
    ax.fill_between(n_bins, np.quantile(estimates, 0.05, axis=1), np.quantile(estimates, 0.95, axis=1),
                    color=P_COLOR, alpha=0.2, label="90% of plug-in estimates")
    ax.plot(n_bins, estimates.mean(axis=1), "o-", color=P_COLOR, label="mean plug-in estimate")
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
    sizes = np.asarray(sizes, dtype=float)
    estimates = np.asarray(estimates, dtype=float)
    if estimates.ndim != 2 or len(estimates) != len(sizes):
        raise ValueError(f"estimates must have one row per sample size: shape ({len(sizes)}, repeats), "
                         f"got shape {estimates.shape}.")
    if ax is None:
        _, ax = plt.subplots()
    ax.fill_between(sizes, np.quantile(estimates, 0.05, axis=1), np.quantile(estimates, 0.95, axis=1),
                    color=P_COLOR, alpha=0.2, label="90% of estimates")
    ax.plot(sizes, estimates.mean(axis=1), "o-", color=P_COLOR, label="mean estimate")
    ax.plot(sizes, (n_bins_total - 1) * (1 / sizes + 1 / sizes) / 2, "--", color=PALETTE["black"],
            label=f"(K - 1)(1/n + 1/m) / 2, K = {n_bins_total}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("sample size n = m (each side)")
    ax.set_ylabel(f"plug-in D(ref||cur) [{units}]")
    ax.legend()
    return ax


__all__ += ["false_alarm_rates"]


def false_alarm_rates(sizes, rates, *, intervals=None, alpha=0.05, n_trials=None, ax=None):
    """Grouped bars of how often "drift" was declared when nothing drifted, one hatch per rule.

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


# --- notebook 07: KL in machine learning ---


__all__ += ["estimate_spread"]

_SPREAD_HATCHES = ("", "//", "..")


def estimate_spread(estimates, exact, *, ax=None, title=None, units="nats"):
    """Box plots of repeated estimates, one per estimator, with the exact value as a line.

    Parameters
    ----------
    estimates : dict
        Estimator name -> 1-D array of estimates (one per repetition).
    exact : float
        The true divergence, drawn as a dotted horizontal line.

    Returns
    -------
    matplotlib.axes.Axes
        Boxes (distinguished by colour and hatching, and named on the x axis)
        span the middle half of the estimates, whiskers 1.5 times that; the
        diamond is the mean, so its distance from the line is the bias.
    """
    if ax is None:
        _, ax = plt.subplots()
    names = list(estimates)
    values = [np.asarray(estimates[name], float) for name in names]
    boxes = ax.boxplot(values, patch_artist=True, widths=0.5, showfliers=False)
    ax.set_xticks(range(1, len(names) + 1), names)
    for i, box in enumerate(boxes["boxes"]):
        box.set(facecolor=_ESTIMATOR_COLORS[i % len(_ESTIMATOR_COLORS)], alpha=0.6,
                hatch=_SPREAD_HATCHES[i % len(_SPREAD_HATCHES)])
    for median in boxes["medians"]:
        median.set(color="black")
    ax.plot(range(1, len(names) + 1), [v.mean() for v in values], "D", color="black", label="mean")
    ax.axhline(exact, color="black", ls=":", lw=1.2, label=f"exact = {exact:.4f} {units}")
    ax.set_ylabel(f"estimate of D(policy||reference) [{units}]")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


__all__ += ["policy_kl_estimates"]


def policy_kl_estimates(policy_probs, reference_probs, estimates, exact, *, n_tokens, title=None,
                        units="nats"):
    """Two panels: the policy's and the reference's token probabilities, and the spread of the KL estimates.

    Draws only; the notebook computes the estimates (see notebook 07, section 3).

    Parameters
    ----------
    policy_probs, reference_probs : array_like, shape (K,)
        The policy's and the reference's probabilities over a vocabulary of K tokens.
    estimates : dict
        Estimator name -> 1-D array of estimates, one per batch of sampled tokens.
    exact : float
        The exact D(policy||reference), drawn as a dotted line.
    n_tokens : int
        Tokens per batch (for the right panel's title).
    title : str, optional
        Title of the left panel.

    Returns
    -------
    (matplotlib.axes.Axes, matplotlib.axes.Axes)
        The left (probabilities) and right (estimates) axes.

    Examples
    --------
    >>> left, right = policy_kl_estimates([0.7, 0.3], [0.5, 0.5], {"k1": [0.1, 0.05], "k3": [0.08, 0.09]},
    ...                                   0.0823, n_tokens=10)
    >>> [t.get_text() for t in right.get_xticklabels()]
    ['k1', 'k3']
    >>> plt.close("all")
    """
    policy_probs = np.asarray(policy_probs, float)
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    bar_pair(policy_probs, reference_probs, names=("policy", "reference"), ax=left,
             labels=[str(i) for i in range(policy_probs.size)], title=title)
    left.set_xlabel("token id")
    n_repeats = len(next(iter(estimates.values())))
    estimate_spread(estimates, exact, ax=right, units=units,
                    title=f"Estimates from {n_tokens} sampled tokens, {n_repeats} repetitions")
    return left, right


# --- notebook 08: where KL comes from ---


__all__ += ["renyi_orders"]

#: Markers of the special orders on a Rényi curve: alpha -> (marker, label).
_RENYI_MARKS = {0.5: ("s", "α = 1/2: −2 log(1 − Hel²)"), 1.0: ("o", "α = 1: KL"),
                2.0: ("^", "α = 2: log(1 + χ²)")}


def renyi_orders(alphas, values, *, special=None, limit=None, current=None, infinite_from=None, units="nats",
                 ax=None, title=None):
    """Draw a Rényi divergence against its order alpha, with the special orders marked.

    Draws only; the caller computes the divergences (e.g. with
    :func:`klteach.renyi_divergence`).

    Parameters
    ----------
    alphas, values : array_like
        Orders and D_alpha(P||Q) at those orders (the solid blue curve).
    special : dict, optional
        ``{alpha: value}`` for the orders 1/2, 1 and 2, each drawn with its own
        marker and named in the legend.
    limit : float, optional
        D_inf = log max p/q, drawn as a dotted horizontal line.
    current : (float, float), optional
        ``(alpha, value)`` of an order to highlight (the explorer's slider): a black diamond.
    infinite_from : float, optional
        The order from which D_alpha is infinite (1 when ``q = 0 < p``
        somewhere): a dashed vertical line there, a hatched band beyond it,
        and the vertical axis cut at a finite height (the curve rises
        without bound as alpha approaches it). Infinite special orders and
        an infinite highlighted order get no marker and no legend entry.
    units : str
        Units of the vertical axis.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = renyi_orders([0, 1, 2], [0.0, 0.1, 0.15], special={1.0: 0.1}, limit=0.36)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['$D_\\\\alpha(P\\\\|Q)$', 'α = 1: KL', '$D_\\\\infty$ = log max p/q = 0.3600']
    >>> plt.close("all")
    """
    if ax is None:
        _, ax = plt.subplots()
    alphas, values = np.asarray(alphas, dtype=float), np.asarray(values, dtype=float)
    ax.plot(alphas, values, "-", color=P_COLOR, label=r"$D_\alpha(P\|Q)$")
    for alpha, value in sorted((special or {}).items()):
        if not np.isfinite(value):
            continue                        # infinite: nothing to draw, and no legend entry for it
        marker, label = _RENYI_MARKS.get(float(alpha), ("D", f"α = {alpha:g}"))
        # open markers drawn over the highlighted order: at alpha = 1/2, 1 or 2 the diamond shows inside them
        ax.plot([alpha], [value], marker, ms=11, color=Q_COLOR, mfc="none", mew=2, ls="none", label=label,
                zorder=4)
    if limit is not None and np.isfinite(limit):
        ax.axhline(limit, color="black", ls=":", lw=1.2, label=rf"$D_\infty$ = log max p/q = {limit:.4f}")
    if infinite_from is not None:
        ax.axvline(infinite_from, color="black", ls="--", lw=1.2,
                   label=f"α ≥ {infinite_from:g}: $D_\\alpha = \\infty$")
    if current is not None and np.isfinite(current[1]):
        ax.plot([current[0]], [current[1]], "D", ms=6, color="black", ls="none", zorder=3,
                label=f"α = {current[0]:g}: {current[1]:.4f} {units}")
    ax.set_xlabel("order α (no unit)")
    ax.set_ylabel(rf"Rényi divergence $D_\alpha(P\|Q)$ [{units}]")
    ax.set_ylim(bottom=0)
    if len(alphas):
        ax.set_xlim(min(0.0, float(alphas.min())), float(alphas.max()))   # the whole range, even where D is infinite
    if infinite_from is not None:
        below = values[np.isfinite(values) & (alphas <= 0.9 * infinite_from)]
        top = 1.5 * float(below.max()) if below.size and below.max() > 0 else 1.0
        ax.set_ylim(0, top)
        ax.axvspan(infinite_from, ax.get_xlim()[1], facecolor="none", edgecolor="0.6", hatch="//", lw=0)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


from .course.nb09_where_kl_leads import exponent_curve, gradient_paths, posterior_fits  # notebook 09
__all__ += ["posterior_fits", "gradient_paths", "exponent_curve"]
