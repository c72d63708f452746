"""Notebook 04, Asymmetry (notebooks/04_asymmetry.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from .._validation import log_base
from ..discrete import js_divergence, kl_divergence
from ..fits import fit_gaussian, mixture_pdf
from ..symmetric import hellinger_distance, js_distance, total_variation
from .explorer import _explorer, _slider
from .feedback import _NAN, _names, _probabilities, check_number, significant_figures
from .style import P_COLOR, Q_COLOR, REVERSE_COLOR
from .units import _LOG_FN, _PAST, _computed_with, _conversion, _unit_mistakes, _unit_words

__all__ = ["gaussian_fits", "fit_scan", "show_gaussian_fits", "mixture_fit_explorer", "check_js",
           "check_total_variation"]


def gaussian_fits(weights, means, sds, forward, reverse, *, ax=None, title=None):
    """A two-mode mixture P and the single Gaussians fitted by forward and reverse KL.

    Used in: notebooks/04_asymmetry.ipynb (section "2. Fitting with KL: forward covers, reverse
    seeks").

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


def fit_scan(separations, forward, reverse, *, mode_sd=1.0, axes=None):
    """Mean and sd of the forward and reverse Gaussian fits as the two modes move apart.

    Used in: notebooks/04_asymmetry.ipynb (section "Misconception: the labels "forward" and
    "reverse"").

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


def show_gaussian_fits(separation=4.0, weight=0.6, sd=1.0):
    """Fit one Gaussian to a two-mode mixture both ways; print the fits and plot them.

    Used in: notebooks/04_asymmetry.ipynb (section "Misconception: the labels "forward" and
    "reverse"").

    The mixture is ``weight * N(-separation/2, sd^2) + (1 - weight) * N(separation/2, sd^2)``.

    Parameters
    ----------
    separation : float
        Distance between the two modes.
    weight : float
        Weight of the left mode, in (0, 1).
    sd : float
        Standard deviation of each mode.

    Returns
    -------
    (GaussianFit, GaussianFit)
        The forward and the reverse fit.
    """
    weights, means, sds = [weight, 1 - weight], [-separation / 2, separation / 2], [sd, sd]
    forward = fit_gaussian(weights, means, sds, direction="forward")
    reverse = fit_gaussian(weights, means, sds, direction="reverse")
    print(f"modes {separation:g} apart, weights ({weight:.2f}, {1 - weight:.2f}):")
    print(f"  forward, min D(P||Q): Q = N({forward.mean:+.3f}, {forward.sd:.3f}^2), "
          f"D(P||Q) = {forward.kl:.4f} nats")
    print(f"  reverse, min D(Q||P): Q = N({reverse.mean:+.3f}, {reverse.sd:.3f}^2), "
          f"D(Q||P) = {reverse.kl:.4f} nats")
    on_a_mode = min(abs(reverse.mean - m) for m in means) < sd / 2 and reverse.sd < 1.5 * sd
    gaussian_fits(weights, means, sds, forward, reverse,
                   title=f"Modes {separation:g} apart: forward covers both, reverse "
                         + ("locks onto one" if on_a_mode else "still spans both"))
    plt.show()
    return forward, reverse


def mixture_fit_explorer(separation=4.0, weight=0.6):
    """Slider for the distance between the modes: when do the forward and reverse fits part ways?

    Used in: notebooks/04_asymmetry.ipynb (section "Misconception: the labels "forward" and
    "reverse"").

    Returns
    -------
    ipywidgets.VBox
    """
    sep_slider = _slider(separation, 0, 8, 0.25, "distance between modes")
    w_slider = _slider(weight, 0.1, 0.9, 0.05, "weight of left mode")

    def draw(s, w):
        show_gaussian_fits(s, w)   # the returned fits would be displayed too

    return _explorer(draw, {"s": sep_slider, "w": w_slider}, [[sep_slider, w_slider]])


def check_js(answer, p, q, *, base=None, distance=False, names=("P", "Q"), sig=3):
    """Check an answer for the Jensen-Shannon divergence, or with ``distance=True`` its square root.

    Used in: notebooks/04_asymmetry.ipynb (section "Exercises").

    Recognised mistakes: divergence for distance and vice versa (scipy's
    ``jensenshannon`` returns the distance), another log base (a distance
    converts by the square root of the divergence's factor), D(P||M) alone
    (or its square root), D(P||Q), M = P + Q without the 1/2 (a negative
    divergence, so a NaN distance), D(P||M) + D(Q||M) without the / 2 that
    averages them (for a distance, with or without the square root), the
    divergence in any log base for a distance, a distance converted to
    another base by the divergence's factor (not its square root), the
    value as a percentage, the Hellinger distance and the total variation
    distance. The hint for scipy's ``jensenshannon`` names its ``base=``
    argument (it defaults to nats, and returns the distance).

    Examples
    --------
    >>> check_js(0.8326, [1, 0], [0, 1])
    Not quite: 0.8326 matches the Jensen-Shannon distance (the square root of the divergence, what scipy.spatial.distance.jensenshannon returns, in nats unless you pass base=2). The question asks for the divergence: square the unrounded number your code computed.
    """
    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    m = 0.5 * (pn + qn)
    what = "the Jensen-Shannon distance" if distance else "the Jensen-Shannon divergence"
    value = js_distance if distance else js_divergence
    expected = value(pn, qn, base=base)
    average = f"M = ({a} + {b}) / 2"
    def how(other):     # scipy's jensenshannon gives the distance in nats unless base= is passed
        scipy = (f", or scipy.spatial.distance.jensenshannon without base={base:g}"
                 if distance and other is None and base is not None else "")
        return _computed_with(other)[:-1] + scipy + ")"

    mistakes = _unit_mistakes(lambda bb: value(pn, qn, base=bb), what, base, root=distance, how=how)
    if distance:
        divergence = js_divergence(pn, qn, base=base)
        mistakes.append((divergence,
                         "the Jensen-Shannon divergence. The question asks for the distance, its "
                         "square root (what scipy.spatial.distance.jensenshannon returns, in nats unless you "
                         "pass base=2): take the square root of the unrounded number your code computed.",
                         ("sqrt", "the Jensen-Shannon divergence", "replaced by its square root")))
        mistakes += [
            (math.sqrt(2 * divergence),
             f"the square root of D({a}||M) + D({b}||M), without the / 2 that averages the two halves: divide "
             f"the unrounded number your code computed by `np.sqrt(2)`.",
             ("scale", f"the square root of D({a}||M) + D({b}||M)", "divided by sqrt(2)")),
            (2 * divergence,
             f"D({a}||M) + D({b}||M): neither averaged (the / 2) nor square-rooted. Halve the unrounded sum "
             f"your code computed, then take the square root."),
        ]
        log_name = {None: None, 2: "np.log(2)", 10: "np.log(10)"}
        for other in (None, 2, 10):
            if other == base or base not in log_name:
                continue
            # the distance converted with the divergence's factor, not its square root
            ratio = log_base(other) / log_base(base)
            top, bottom = log_name[base], log_name[other]
            factor = (f"np.sqrt({top} / {bottom})" if top and bottom else f"np.sqrt({top})" if top
                      else f"1 / np.sqrt({bottom})")
            mistakes.append((js_distance(pn, qn, base=other) * ratio,
                             f"{what} in {_unit_words(other)}, converted with the divergence's factor "
                             f"({_PAST[_conversion(other, base)[0]]} by {_conversion(other, base)[1]}): a "
                             f"distance is a square root, so its factor is the square root of that. Multiply the "
                             f"unrounded number your code computed by `{factor}` (or use "
                             f"{_LOG_FN.get(base, 'np.log')} throughout).",
                             ("scale", f"{what} in {_unit_words(other)} converted with the divergence's factor",
                              f"multiplied by {factor}")))
        for other in (None, 2, 10):
            if other != base:
                verb, expr = _conversion(other, base)
                mistakes.append((js_divergence(pn, qn, base=other),
                                 f"the Jensen-Shannon divergence in {_computed_with(other)}, not square-rooted. "
                                 f"The question asks for the distance in {_unit_words(base)}: {verb} the "
                                 f"unrounded divergence by {expr}, then take the square root (or use "
                                 f"{_LOG_FN.get(base, 'np.log')} throughout)."))
    else:
        mistakes.append((js_distance(pn, qn, base=base),
                         "the Jensen-Shannon distance (the square root of the divergence, what "
                         "scipy.spatial.distance.jensenshannon returns, in nats unless you pass base=2). The "
                         "question asks for the divergence: square the unrounded number your code computed.",
                         ("square", "the Jensen-Shannon distance", "squared")))
        if expected > 0:
            mistakes.append((2 * expected,
                             f"D({a}||M) + D({b}||M), without the / 2 that averages the two halves: halve the "
                             f"unrounded number your code computed.",
                             ("scale", f"D({a}||M) + D({b}||M) without the / 2", "halved")))
        unhalved = js_divergence(pn, qn, base=base) - math.log(2) / log_base(base)
        mistakes.append((unhalved,
                         f"the formula with M = {a} + {b}, without the / 2: that M sums to 2, so each "
                         f"D(.||M) comes out too small by log 2" + (", and the result is negative"
                                                                     if unhalved < 0 else "")
                         + f". Use {average}."))
    half = kl_divergence(pn, m, base=base)
    asked = (f"The question asks for the Jensen-Shannon {'distance' if distance else 'divergence'}, built from "
             f"the KL divergences of {a} and {b} to their average M"
             + (" (then a square root)." if distance else "."))
    mistakes += [
        (np.sqrt(half) if distance else half,
         (f"the square root of D({a}||M) alone: the distance takes both halves, {b}'s too, before its "
          f"square root." if distance else
          f"D({a}||M) alone: the divergence takes both halves, {b}'s too.")),
        (kl_divergence(pn, qn, base=base),
         f"D({a}||{b}). Jensen-Shannon compares each distribution with their average "
         f"{average}, not with each other."),
        (hellinger_distance(pn, qn),
         f"the Hellinger distance, another symmetric distance (built from square roots of the "
         f"probabilities, without a logarithm). {asked}"),
        (total_variation(pn, qn),
         f"the total variation distance TV({a}, {b}), another symmetric distance (without a logarithm). "
         f"{asked}"),
    ]
    if expected > 0:
        mistakes.append((100 * expected, f"{what} as a percentage (times 100); it is not a share in percent: "
                                         f"divide the unrounded number your code computed by 100.",
                         ("scale", f"{what} as a percentage", "divided by 100")))
    if np.any(pn == 0) or np.any(qn == 0):
        nan = (f"Your answer is NaN. {a} or {b} has zero probabilities, and a 0 * log(0) term gives NaN in "
               f"numpy; such terms count as 0. In each divergence keep only the outcomes where its first "
               f"distribution is > 0: m = {a} > 0 in D({a}||M), and m = {b} > 0 in D({b}||M), each mask used "
               f"on both arrays of that divergence.")
    elif distance:
        nan = (f"Your answer is NaN. The data here have no zero probabilities, so it is most likely the square "
               f"root of a negative number: the divergence under the square root came out negative. A JS "
               f"divergence is never negative when M is the average of the two distributions; with "
               f"M = {a} + {b} (the / 2 forgotten), it comes out log 2 too small, so negative. Check {average}, "
               f"and print the divergence before taking np.sqrt.")
    else:
        nan = _NAN
    return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"Compare each of {a} and {b} with their average M (not with each other), "
                             f"average the two KL divergences"
                             + (", then take the square root." if distance else "."),
                        negative=f"A Jensen-Shannon divergence is never negative. Check that {average} "
                                 f"(with the / 2) and that each D(.||M) weights its log ratio by its own "
                                 f"distribution.",
                        nan=nan)


def check_total_variation(answer, p, q, *, names=("P", "Q"), sig=3):
    """Check an answer for the total variation distance ``sum |p - q| / 2``.

    Used in: notebooks/04_asymmetry.ipynb (section "Exercises").

    Recognised mistakes: the sum without the 1/2, the largest
    difference at a single outcome, the mean of the differences, the
    Jensen-Shannon distance (bits or nats), the Hellinger distance, TV as a
    percentage, and Pinsker's bound sqrt(D / 2) in either direction, with D
    in nats or in bits. For
    probabilities given as short decimals TV is exact, so an answer near it
    is not asked whether it rounded on the way.

    Examples
    --------
    >>> check_total_variation(0.4, [0.5, 0.5], [0.9, 0.1])
    Correct: TV(P, Q) = 0.4000.
    """
    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    diff = np.abs(pn - qn)
    mistakes = [
        (float(np.sum(diff)), f"sum |{a}(x) - {b}(x)| without the factor 1/2; with it, TV is the largest "
                              "difference in probability of any event, between 0 and 1. Halve the unrounded "
                              "sum your code computed.",
         ("scale", f"sum |{a}(x) - {b}(x)| without the factor 1/2", "halved")),
        (float(np.max(diff)), "the largest difference at a single outcome. TV is the largest "
                              "difference over all events (sets of outcomes), which takes every outcome's "
                              "difference into account."),
    ]
    if pn.size > 2:     # with two outcomes the mean is half the sum, TV itself
        mistakes.append((float(np.mean(diff)), f"the mean of |{a}(x) - {b}(x)| over the {pn.size} outcomes: "
                                               f"TV takes half their total, not their mean."))
    for bb in (2, None):
        mistakes.append((js_distance(pn, qn, base=bb),
                         f"the Jensen-Shannon distance in {_unit_words(bb)}, another symmetric measure; TV "
                         f"takes no logarithm, only the differences between the two probabilities."))
    mistakes.append((hellinger_distance(pn, qn),
                     f"the Hellinger distance, sqrt(sum (sqrt {a}(x) - sqrt {b}(x))² / 2); TV takes the "
                     f"differences of the probabilities themselves, not of their square roots."))
    if np.any(diff > 0):
        mistakes.append((100 * total_variation(pn, qn), f"TV({a}, {b}) as a percentage: TV is a difference of "
                                                        f"probabilities, between 0 and 1. Divide the unrounded "
                                                        f"number by 100.",
                         ("scale", f"TV({a}, {b}) as a percentage", "divided by 100")))
    with np.errstate(divide="ignore", invalid="ignore"):
        for x, y, first, second in ((pn, qn, a, b), (qn, pn, b, a)):
            d = float(np.sum(np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0) / y), 0.0)))
            if math.isfinite(d):
                mistakes.append((math.sqrt(d / 2),
                                 f"Pinsker's bound sqrt(D({first}||{second}) / 2), with D in nats: an upper "
                                 f"bound on TV, not TV itself: TV takes no divergence, only the differences "
                                 f"between the two probabilities."))
                # with D in bits (np.log2) the number is larger than Pinsker's (D in nats): still above TV
                mistakes.append((math.sqrt(d / math.log(2) / 2),
                                 f"sqrt(D({first}||{second}) / 2) with D in bits (np.log2): Pinsker's bound is "
                                 f"stated with D in nats (in bits the number is larger, a looser bound), and in "
                                 f"either unit it is an upper bound on TV, not TV itself: TV takes no divergence, "
                                 f"only the differences between the two probabilities."))
    # probabilities given as short decimals have short differences: their half-sum is exact, with nothing
    # to round on the way (an answer near it is no rounded intermediate)
    short = all(significant_figures(x) <= 6 for x in np.concatenate([pn, qn]))
    return check_number(answer, total_variation(pn, qn), what=f"TV({a}, {b})", mistakes=mistakes, sig=sig,
                        rounding=(f"half a sum of differences of {a} and {b}, whose probabilities are short "
                                  f"decimals" if short else True),
                        hint=f"TV works with the size of the difference between {a} and {b} at each outcome, "
                             f"with no logarithm: print those differences, then check how the definition "
                             f"combines them.",
                        nan=f"Your answer is NaN (not a number). TV takes no logarithms and {a} and {b} hold "
                            f"no NaN, so a NaN comes from an operation on an empty or mismatched array (a mean "
                            f"of nothing, 0/0): print np.abs({a} - {b}) and check it has one number per outcome.",
                        negative="Take the absolute value of each difference (np.abs).",
                        combine=f"Check how TV's definition turns the differences between {a} and {b} at each "
                                f"outcome into one number.")
