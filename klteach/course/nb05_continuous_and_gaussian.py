"""Notebook 05, Continuous distributions and Gaussian KL (notebooks/05_continuous_and_gaussian.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import scipy.stats as stats

from .._validation import log_base, unit_name
from ..continuous import continuous_kl
from ..estimators import mc_kl
from ..gaussian import gaussian_kl, vae_kl
from .explorer import _explorer, _slider
from .feedback import _names, check_number
from .style import _ESTIMATOR_COLORS, M_COLOR, MARKERS, P_COLOR, Q_COLOR, Q_HATCH
from .units import _conversion, _log_expr, _unit_mistakes, _unit_words

__all__ = ["density_pair", "kl_integrand", "estimates_vs_n", "show_gaussians", "gaussian_explorer",
           "check_gaussian_kl", "check_vae_kl", "check_mc_estimate"]


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

    Used in: notebooks/05_continuous_and_gaussian.ipynb (section "1. From sums to integrals").

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

    Used in: notebooks/05_continuous_and_gaussian.ipynb (sections "1. From sums to integrals", "3.
    Invariance under a change of variables").

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

    Used in: notebooks/05_continuous_and_gaussian.ipynb (sections "8. Monte Carlo: estimating KL
    from log densities at samples", "9. Samples only: k-nearest neighbours and histograms").

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


def show_gaussians(mu_p=0.0, sigma_p=1.0, mu_q=1.0, sigma_q=2.0, *, base=None):
    """Two normal densities and the integrands of D(P||Q) and D(Q||P); print both divergences.

    Used in: notebooks/05_continuous_and_gaussian.ipynb (section "5. Explore: two normals").

    Parameters
    ----------
    mu_p, sigma_p : float
        Mean and standard deviation of P, the reference.
    mu_q, sigma_q : float
        Mean and standard deviation of Q, the model.
    base : float, optional
        None for nats (default), 2 for bits.
    """
    units = unit_name(base)
    forward = gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, base=base)
    reverse = gaussian_kl(mu_q, sigma_q, mu_p, sigma_p, base=base)
    print(f"D(P||Q) = {forward:.4f} {units}   D(Q||P) = {reverse:.4f} {units}")
    p, q = stats.norm(mu_p, sigma_p), stats.norm(mu_q, sigma_q)
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    density_pair(p, q, ax=left,
                  title=f"P = N({mu_p:g}, {sigma_p:g}²), Q = N({mu_q:g}, {sigma_q:g}²)")
    kl_integrand(p, q, base=base, ax=right, color=P_COLOR,
                  title="Integrands: the shaded areas are the divergences")
    kl_integrand(q, p, names=("Q", "P"), base=base, ax=right, color=Q_COLOR, linestyle="--",
                 hatch=Q_HATCH, legend_loc="upper left")
    low, high = right.get_ylim()
    right.set_ylim(low, high + 0.4 * (high - low))      # headroom: the legend sits above both curves
    right.set_ylabel(f"integrand [{units} / unit of x]")
    plt.show()


def gaussian_explorer(mu_p=0.0, sigma_p=1.0, mu_q=1.0, sigma_q=2.0, *, base=None):
    """Sliders for two normals: which changes of Q make D(P||Q) and D(Q||P) differ most?

    Used in: notebooks/05_continuous_and_gaussian.ipynb (section "5. Explore: two normals").

    Equal standard deviations give equal divergences in both directions; a
    Q narrower than P makes D(P||Q) grow fastest.

    Returns
    -------
    ipywidgets.VBox
    """
    controls = {"mu_p": _slider(mu_p, -4, 4, 0.05, "mean of P"),
                "sigma_p": _slider(sigma_p, 0.2, 4, 0.05, "sd of P"),
                "mu_q": _slider(mu_q, -4, 4, 0.05, "mean of Q"),
                "sigma_q": _slider(sigma_q, 0.2, 4, 0.05, "sd of Q")}

    def draw(mu_p, sigma_p, mu_q, sigma_q):
        # the settings as text too (a reader who cannot see the figure reads them here)
        print(f"P = N({mu_p:.2f}, {sigma_p:.2f}²)   Q = N({mu_q:.2f}, {sigma_q:.2f}²)   (mean, sd²)")
        show_gaussians(mu_p, sigma_p, mu_q, sigma_q, base=base)

    return _explorer(draw, controls, [[controls["mu_p"], controls["sigma_p"]],
                                      [controls["mu_q"], controls["sigma_q"]]])


def check_gaussian_kl(answer, mu_p, sigma_p, mu_q, sigma_q, *, base=None, names=("P", "Q"),
                      variables=("mu_p", "sigma_p", "mu_q", "sigma_q"), sig=3):
    """Check an answer for D(N(mu_p, sigma_p²) || N(mu_q, sigma_q²)); sigmas are standard deviations.

    Used in: notebooks/05_continuous_and_gaussian.ipynb (section "Exercises").

    ``variables`` are the exercise's names for ``mu_p, sigma_p, mu_q, sigma_q``;
    the messages write their formulas in them. When both standard deviations
    share one name (``("mu_1", "sigma", "mu_2", "sigma")``), the exercise is
    about normals of equal variance, where D = (mu_1 - mu_2)² / (2 sigma²),
    and the messages follow its derivation from
    E_P[((x - mu_2)² - (x - mu_1)²) / (2 sigma²)].

    Recognised mistakes: another log base, swapped arguments, variances
    used where the formula wants standard deviations, 2 sigma_q or sigma_q²
    in place of 2 sigma_q², the log of the variance ratio without its 1/2,
    the -1/2 left out, the mean term left out, the log ratio upside down,
    -D (every sign flipped), the square roots of the standard
    deviations used, and both standard deviations left unsquared (when 1%
    or more from the answer). For equal variances: E_P[(x - mu_1)²]
    not subtracted, E_P[(x - mu_2)²] taken as sigma² (giving 0), the
    difference the wrong way round, the 2 of 2 sigma² left out, and the
    difference of the means not squared; that formula has no logarithm, so
    a value in other units is told the conversion only, and no value
    converted the wrong way is read.

    Examples
    --------
    >>> check_gaussian_kl(1.3069, 0, 1, 1, 2)
    Not quite: 1.3069 matches D(Q||P): the arguments are swapped. P comes first, the distribution the expectation is taken under: in the closed form, the variance that divides is Q's.
    >>> check_gaussian_kl(0.0, 1, 1.4, -0.7, 1.4, variables=("mu_1", "sigma", "mu_2", "sigma"))
    Not quite: 0.0 matches E_P[(x - mu_2)²] taken as sigma², like E_P[(x - mu_1)²]. Under P, x is centred at mu_1, not mu_2: E_P[(x - mu_2)²] = sigma² + (mu_1 - mu_2)².
    """
    a, b = _names(names)
    if (isinstance(variables, str) or len(variables) != 4
            or not all(isinstance(v, str) and v for v in variables)):
        raise ValueError(f"variables must be four non-empty strings, the exercise's names for mu_p, sigma_p, "
                         f"mu_q and sigma_q (e.g. ('mu_1', 'sigma', 'mu_2', 'sigma')); got {variables!r}.")
    mp_, sp_, mq_, sq_ = variables
    scale = log_base(base)
    E = f"E_{a}"
    half = "1/2" if base is None else f"1/(2 ln {base:g})"

    def kl(b_=base):
        return gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, base=b_)

    def formula(log_term, denominator):
        return (log_term + (sigma_p**2 + (mu_p - mu_q) ** 2) / denominator - 0.5) / scale

    what = f"D({a}||{b})"
    expected = kl()
    # np.log2 in the closed form converts its log term only, not the 1/2 and the fraction: a value in other
    # units is the whole closed form divided by a log, as gaussian_kl(..., base=...) gives it
    mistakes = _unit_mistakes(
        kl, what, base, throughout=False,
        how=lambda other: (f"{_unit_words(other)} (the whole closed form "
                           + ("in nats" if other is None else f"divided by `{_log_expr(other)}`")
                           + (")" if other is None else f", as gaussian_kl(..., base={other:g}) gives it)")))
    if sp_ == sq_ and sigma_p == sigma_q:
        s_, d2 = sp_, f"({mp_} - {mq_})²"
        # this formula has no logarithm: a value in other units comes from a conversion, and converting
        # back is the only advice that applies (not "use np.log throughout")
        gives = "gives directly" if base is None else f"gives in nats, before dividing by `{_log_expr(base)}`"
        # nor is a value converted the wrong way (a double conversion) a reading of a formula without a log
        mistakes = []
        for other in (None, 2, 10):
            if other != base:
                verb, expr = _conversion(other, base)
                mistakes.append((kl(other),
                                 f"{what} in {_unit_words(other)}. The question asks for {_unit_words(base)}, "
                                 f"which {d2} / (2 {s_}²) {gives} (it has no logarithm): {verb} the unrounded "
                                 f"number your code computed by `{expr}`.",
                                 ("scale", f"{what} in {_unit_words(other)}", f"converted to {_unit_words(base)}")))
        # E_P[log(p/q)] = (E_P[(x - mu_2)²] - E_P[(x - mu_1)²]) / (2 sigma²)
        mistakes += [
            (expected + 0.5 / scale,
             f"{E}[(x - {mq_})²] / (2 {s_}²) alone: subtract {E}[(x - {mp_})²] / (2 {s_}²) = {s_}² / (2 {s_}²) "
             f"= {half} from the unrounded number your code computed.",
             ("shift", f"{E}[(x - {mq_})²] / (2 {s_}²) alone", f"reduced by {half}")),
            (0.0, f"{E}[(x - {mq_})²] taken as {s_}², like {E}[(x - {mp_})²]. Under {a}, x is centred at "
                  f"{mp_}, not {mq_}: {E}[(x - {mq_})²] = {s_}² + {d2}."),
            (-expected, f"minus {what}: the difference in the log ratio is the wrong way round. "
                        f"log(p(x)/q(x)) = ((x - {mq_})² - (x - {mp_})²) / (2 {s_}²), the {mq_} term first."),
            (2 * expected, f"{d2} / {s_}², without the 2 of 2 {s_}²: halve the unrounded number your code "
                           f"computed.", ("scale", f"{d2} / {s_}²", "halved")),
            (gaussian_kl(mu_p, sigma_p**2, mu_q, sigma_q**2, base=base),
             f"{d2} / (2 {s_}⁴): {s_} is the standard deviation, so square it once, as in 2 {s_}²."),
            ((mu_p - mu_q) ** 2 / (2 * sigma_p) / scale,
             f"{d2} / (2 {s_}): square {s_} in the denominator, 2 {s_}²."),
            (abs(mu_p - mu_q) / (2 * sigma_p**2) / scale,
             f"|{mp_} - {mq_}| / (2 {s_}²): the difference of the means is squared, {d2}."),
        ]
        return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=mistakes, sig=sig,
                            nan="Your answer is NaN (not a number). The formula takes no logarithm here: a "
                                "NaN comes from 0/0 or inf - inf. Print each term of your formula to find it.",
                            hint=f"{what} is the expectation under {a} of log(p(x)/q(x)). Write that log ratio "
                                 f"for two Gaussians with the same {s_}: the normalising constants cancel and only "
                                 f"the two squared terms remain. Then take the expectation with the two "
                                 f"expectations the exercise gives, and simplify.",
                            negative=f"Check the order in the log ratio: ((x - {mq_})² - (x - {mp_})²) / "
                                     f"(2 {s_}²), the {mq_} term first.")
    if expected > 0:
        mistakes.append((-expected,
                         f"minus {what}: every term has the wrong sign, as from {E}[log(q(x)/p(x))], the ratio "
                         f"upside down. {what} = {E}[log(p(x)/q(x))]: flip the sign of the whole number, not "
                         f"of one term."))
    if sigma_p != sigma_q:      # with equal variances both directions, and both log terms, agree
        mistakes += [
            (gaussian_kl(mu_q, sigma_q, mu_p, sigma_p, base=base),
             f"D({b}||{a}): the arguments are swapped. {a} comes first, the distribution the expectation is "
             f"taken under: in the closed form, the variance that divides is {b}'s."),
            (formula(2 * math.log(sigma_q / sigma_p), 2 * sigma_q**2),
             f"the formula with log({sq_}² / {sp_}²), the log of the variance ratio. The term is "
             f"log({sq_} / {sp_}) = log({sq_}² / {sp_}²) / 2."),
            (formula(math.log(sigma_p / sigma_q), 2 * sigma_q**2),
             f"the formula with log({sp_} / {sq_}), the ratio upside down: the term is log({sq_} / {sp_}), "
             f"{sq_} on top."),
        ]
    mistakes += [
        (gaussian_kl(mu_p, sigma_p**2, mu_q, sigma_q**2, base=base),
         f"the formula with variances in place of standard deviations. Here {sp_} and {sq_} are "
         f"standard deviations: square them where the formula says {sp_}² and {sq_}²."),
        (formula(math.log(sigma_q / sigma_p), 2 * sigma_q),
         f"the formula with 2 {sq_} where it says 2 {sq_}²: square {sq_} in the denominator."),
    ]
    unsquared = (math.log(sigma_q / sigma_p) + (sigma_p + (mu_p - mu_q) ** 2) / (2 * sigma_q) - 0.5) / scale
    if abs(unsquared - expected) >= 0.01 * abs(expected):     # closer, it would be nearly right by coincidence
        mistakes.append((unsquared, f"the formula with {sp_} and {sq_} unsquared throughout, "
                                    f"({sp_} + ({mp_} - {mq_})²) / (2 {sq_}): square both."))
    no_two = formula(math.log(sigma_q / sigma_p), sigma_q**2)
    if abs(no_two - expected) >= 0.01 * abs(expected):     # closer, it would be nearly right by coincidence
        mistakes.append((no_two, f"the formula with {sq_}² where it says 2 {sq_}²: the 2 of the denominator "
                                 f"is missing, ({sp_}² + ({mp_} - {mq_})²) / (2 {sq_}²)."))
    if sigma_p > 0 and sigma_q > 0:
        swapped = gaussian_kl(mu_p, math.sqrt(sigma_p), mu_q, math.sqrt(sigma_q), base=base)
        if abs(swapped - expected) >= 0.01 * abs(expected):     # closer, it would be nearly right by coincidence
            mistakes.append((swapped, f"the formula with the square roots of {sp_} and {sq_}, as if they were "
                                      f"variances. Here {sp_} and {sq_} are standard deviations: use them as "
                                      f"they are, squared where the formula says {sp_}² and {sq_}²."))
    mistakes += [
        (expected + 0.5 / scale,
         f"the formula without its final -1/2 (which makes D({a}||{a}) = 0): subtract {half} from the "
         f"unrounded number your code computed.",
         ("shift", "the formula without its final -1/2", f"reduced by {half}")),
        (expected - 0.5 * ((mu_p - mu_q) / sigma_q) ** 2 / scale,
         f"the formula without the mean term ({mp_} - {mq_})² / (2 {sq_}²): add it to the unrounded "
         f"number your code computed.",
         ("shift", "the formula without its mean term", "increased by the mean term")),
    ]
    nan = (f"Your answer is NaN (not a number). These are densities, and their closed form has one log: "
           f"a NaN comes from the log of a negative number ({sq_} / {sp_} with a wrong sign), 0/0 or inf - inf. "
           f"Print each of the three terms of the formula to find it.")
    return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"Use the closed form for two normal distributions (section 4, \"The Gaussian closed "
                             f"form, step by step\"), {a} first, and check each of its three terms.", nan=nan,
                        negative=f"{what} is never negative, and your number is not minus {what} either: check "
                                 f"each term of the closed form, and its log of the ratio of the standard "
                                 f"deviations, {sq_} on top.")


def check_vae_kl(answer, mu, log_var, *, variables=("mu", "log_var"), sig=3):
    """Check an answer for the VAE KL term D(N(mu, diag(exp(log_var))) || N(0, I)), in nats.

    Used in: notebooks/05_continuous_and_gaussian.ipynb (section "Exercises").

    Recognised mistakes: ``log_var`` read as the log of the standard
    deviation, the factor 1/2 left out, a mean over latent coordinates
    instead of a sum, the wrong sign, + log_var in place of - log_var, the
    - 1 or the mu² term left out, the reverse direction, and bits instead
    of nats. ``variables`` are the exercise's names for ``mu`` and
    ``log_var``; the messages write their formulas in them.

    Examples
    --------
    >>> check_vae_kl(0.0, [0.0, 0.0], [0.0, 0.0])
    Correct: the VAE KL term = 0.000 nats.
    """
    if (isinstance(variables, str) or len(variables) != 2
            or not all(isinstance(v, str) and v for v in variables)):
        raise ValueError(f"variables must be two non-empty strings, the exercise's names for mu and log_var "
                         f"(e.g. ('mu_z', 'log_var_z')); got {variables!r}.")
    m_, lv_ = variables
    mu, log_var = np.asarray(mu, float), np.asarray(log_var, float)
    expected = vae_kl(mu, log_var)
    var = np.exp(log_var)
    mistakes = [
        (vae_kl(mu, 2 * log_var),
         f"the term with {lv_} read as log(sigma): it is log(sigma²), so sigma² = exp({lv_})."),
        (2 * expected, "twice the KL: the formula has a factor 1/2 in front of the sum. Halve the unrounded "
                       "number your code computed.", ("scale", "the sum without its factor 1/2", "halved")),
        (expected / mu.size, f"the mean over latent coordinates; the KL of a diagonal Gaussian is the sum over "
                             f"coordinates: multiply the unrounded mean by {mu.size}, or use np.sum.",
         ("scale", "the mean over latent coordinates", f"multiplied by {mu.size}")),
        (-expected, "minus the KL: code that writes the term with a -0.5 in front flips every sign inside the "
                    "sum; keep that minus sign in front, or flip the signs back."),
        (float(0.5 * np.sum(var + mu**2 - 1 + log_var)),
         f"the sum with + {lv_}_j: that term has the wrong sign. In each coordinate's term, {lv_}_j "
         f"is subtracted."),
        (float(0.5 * np.sum((1 + mu**2) / var - 1 + log_var)),
         f"D(N(0, I) || N({m_}, sigma²)), the reverse direction. The VAE term puts the encoder's "
         "distribution first and the prior N(0, I) second."),
    ]
    mistakes.append((expected / math.log(2), "the VAE KL term in bits (nats divided by ln 2). The question "
                                             "asks for nats: multiply the unrounded number by np.log(2).",
                     ("scale", "the VAE KL term in bits", "converted to nats")))
    k = mu.size
    if 0.5 * k >= 0.01 * expected:      # closer, it would be nearly right by coincidence
        mistakes.append((expected + 0.5 * k,
                         f"the sum without its - 1: each of the {k} coordinates has a - 1 inside the sum, so "
                         f"subtract {k} x 1/2 = {0.5 * k:g} from the unrounded number your code computed.",
                         ("shift", "the sum without its - 1", f"reduced by {0.5 * k:g}")))
    squares = 0.5 * float(np.sum(mu**2))
    if squares > 0.01 * expected:       # closer, it would be nearly right by coincidence
        mistakes.append((expected - squares,
                         f"the sum without its {m_}_j² term: the KL also pays for the means' distance from 0. "
                         f"Add np.sum({m_}**2) / 2 to the unrounded number your code computed.",
                         ("shift", f"the sum without its {m_}_j² term", f"increased by np.sum({m_}**2) / 2")))
    if np.any(log_var < 0):
        # np.log(log_var) is the usual way a NaN arises here: the log of a log-variance, NaN where it is negative
        nan = (f"Your answer is NaN (not a number): np.log of a negative number. {lv_} is already the log of the "
               f"variance, and {int(np.sum(log_var < 0))} of its entries are negative, so np.log({lv_}) gives NaN "
               f"there. The formula uses {lv_} itself where it has log sigma², and np.exp({lv_}) for "
               f"sigma²: no np.log is needed.")
    else:
        nan = (f"Your answer is NaN (not a number). {lv_} is already the log of the variance, so the formula "
               f"takes no np.log: print the per-coordinate terms and find the NaN with np.isnan.")
    return check_number(answer, expected, what="the VAE KL term", units="nats", mistakes=mistakes, sig=sig,
                        hint=f"Compare each coordinate's term with the exercise's formula: which part takes "
                             f"np.exp, which enters with a minus sign, the - 1; then sum over the {k} coordinates "
                             f"and keep the factor 1/2 in front.",
                        negative="Each coordinate's term is 0 or more (exp(t) - 1 - t >= 0 for every t), so "
                                 "the VAE KL term is never negative, and your number is not minus it either: "
                                 "check the sign of each part of that term.",
                        nan=nan, combine="Sum the per-coordinate terms over the latent coordinates.")


def check_mc_estimate(answer, logp, logq, *, estimator="k3", exact=None, variables=("logp", "logq"), sig=3):
    """Check a Monte Carlo estimate of D(P||Q) from log densities at samples of P.

    Used in: notebooks/05_continuous_and_gaussian.ipynb (section "Exercises").

    ``exact``, when the exercise knows it, is the exact D(P||Q) (e.g. from a
    closed form): an answer that matches it is told that the question asks
    for the estimate from these samples. Recognised mistakes: another
    estimator's average (k1, k2, k3), the ratio turned upside down (p/q
    instead of q/p), a sum instead of a mean, the exact value, the estimate
    in bits or base-10 units, minus the estimate and, for k3, the average of
    r - 1 without its - log r and of r - log r without its - 1.
    ``variables`` are the exercise's names for ``logp`` and ``logq``; the
    messages speak in them.

    Examples
    --------
    >>> check_mc_estimate(..., [-1.0, -2.0], [-1.5, -1.0])
    No answer yet: replace ... with your answer and run the cell again.
    """
    if (isinstance(variables, str) or len(variables) != 2
            or not all(isinstance(v, str) and v for v in variables)):
        raise ValueError(f"variables must be two non-empty strings, the exercise's names for logp and logq "
                         f"(e.g. ('logp_s', 'logq_s')); got {variables!r}.")
    lp_, lq_ = variables
    logp, logq = np.asarray(logp, float), np.asarray(logq, float)
    names = {"k1": "k1 = -log r", "k2": "k2 = (log r)² / 2", "k3": "k3 = (r - 1) - log r"}
    expected = mc_kl(logp, logq, estimator=estimator).estimate
    mistakes = [(mc_kl(logp, logq, estimator=other).estimate,
                 f"the average of {names[other]}, not of {names[estimator]} (r = q(x)/p(x)).")
                for other in names if other != estimator]
    mistakes += [
        (mc_kl(logq, logp, estimator=estimator).estimate,
         f"the estimator with the ratio upside down: r = q(x)/p(x), so log r = {lq_} - {lp_}."),
        (expected * logp.size, f"the sum over samples: the estimate is their mean. Divide the unrounded sum by "
                               f"the {logp.size} samples, or use np.mean.",
         ("scale", "the sum over samples", f"divided by {logp.size}")),
    ]
    if exact is not None:
        mistakes.append((float(exact), f"the exact D(P||Q), from the closed form. The question asks for the "
                                       f"{estimator} estimate from these {logp.size} samples, which differs from "
                                       f"it by sampling error: average {names[estimator]} over the samples."))
    for other in (2, 10) if expected != 0 else ():
        mistakes.append((expected / math.log(other),
                         f"the {estimator} estimate in {_unit_words(other)} (the estimate in nats divided by "
                         f"ln {other}). The question asks for nats, the unit of {lp_} and {lq_} (natural logs): "
                         f"multiply the unrounded number your code computed by `np.log({other})`.",
                         ("scale", f"the {estimator} estimate in {_unit_words(other)}", "converted to nats")))
    log_r = logq - logp
    if estimator == "k3":
        mistakes.append((float(np.mean(np.expm1(log_r))),
                         f"the average of r - 1 alone: each k3 term also subtracts log r, "
                         f"k3 = (r - 1) - log r with log r = {lq_} - {lp_}."))
        mistakes.append((expected + 1.0,
                         f"the average of r - log r, without the - 1 of each k3 term: k3 = (r - 1) - log r "
                         f"with log r = {lq_} - {lp_} (or subtract 1 from the unrounded average).",
                         ("shift", "the average of r - log r", "reduced by 1")))
    if estimator != "k1" and expected > 0:   # for k1, minus the estimate is the ratio upside down, named above
        flipped = {"k2": "each term with a minus sign in front", "k3": "log r - (r - 1) in each term, the "
                                                                          "subtraction the wrong way round"}
        mistakes.append((-expected, f"minus the {estimator} estimate: {flipped[estimator]}. The terms are "
                                    f"{names[estimator]} (r = q(x)/p(x)): flip the sign of the whole number."))
    terms = {"k1": f"Your number is not minus the estimate either: check each term, k1 = -log r = {lp_} - {lq_}.",
             "k2": "Each k2 term (log r)² / 2 is 0 or more, so their average is never negative, and your number "
                   "is not minus it either: check each term.",
             "k3": f"Each k3 term (r - 1) - log r is 0 or more (log r <= r - 1 for every r > 0), so their "
                   f"average is never negative, and your number is not minus it either: check that each term "
                   f"has both parts, r - 1 and - log r, with log r = {lq_} - {lp_}."}[estimator]
    return check_number(answer, expected, what=f"the {estimator} estimate", units="nats",
                        mistakes=mistakes, sig=sig, negative=terms,
                        hint=f"Average {names[estimator]} over the samples, with r = exp({lq_} - {lp_}).",
                        combine=f"Average {names[estimator]} over the samples (np.mean).",
                        nan=f"Your answer is NaN: a log density is nan, or a term is inf - inf (an r that "
                            f"overflowed to inf). Check np.isfinite({lp_}) and np.isfinite({lq_}), and form "
                            f"log r = {lq_} - {lp_} before exponentiating.")
