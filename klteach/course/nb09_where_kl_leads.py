"""Notebook 09, Where KL leads (notebooks/09_where_kl_leads.ipynb): its checks and its figures.

Imported by the notebook through :mod:`klteach.exercises` and :mod:`klteach.plots`, which
re-export everything public here. Checks: the Fisher approximation of a local KL, the ELBO of a
Gaussian approximation, Stein's exponent for two coins and Sanov's exponent for a die; and the
multiple-choice exercise ``"09-ex5"`` (why variational inference uses the reverse direction),
registered in :data:`klteach.course.feedback.CHOICES` at the end of this module. Figures:
Gaussian fits to a posterior, gradient paths on a KL landscape, and error exponents against n.
The maths lives in :mod:`klteach.variational` and :mod:`klteach.hypothesis_testing`.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import matplotlib.pyplot as plt
import numpy as np
from scipy import optimize

from ..discrete import kl_divergence
from ..gaussian import gaussian_kl
from ..hypothesis_testing import exponential_tilt
from .feedback import (
    CHOICES,
    Feedback,
    _round_sig,
    check_number,
    significant_figures,
)
from .style import MARKERS, P_COLOR, PALETTE, Q_COLOR
from .units import _log_expr, _unit_mistakes, _unit_words

__all__ = ["check_local_kl", "check_elbo", "check_stein_exponent", "check_sanov_exponent",
           "posterior_fits", "gradient_paths", "exponent_curve"]

_UNITS = {None: ("nats", "np.log"), 2: ("bits", "np.log2")}


def _base(base):
    if base not in _UNITS:
        raise ValueError(f"base must be None (nats) or 2 (bits), got {base!r}.")
    return _UNITS[base]


def _in(value_nats, base):
    return value_nats if base is None else value_nats / math.log(base)


def _apart(mistakes, expected):
    """Mistakes at least 1% from the right value (a closer one could not be told from it)."""
    return [m for m in mistakes if math.isfinite(m[0]) and abs(m[0] - expected) > 0.01 * abs(expected)]


def _bernoulli_kl(a, b):
    return kl_divergence([a, 1 - a], [b, 1 - b])


def _exact_decimal(x):
    """``x`` without float noise, every digit it has (``0.0078125``, not ``0.007812``)."""
    return repr(float(f"{x:.10g}"))


def check_local_kl(answer, theta, delta, *, sig=3):
    r"""Check the Fisher (quadratic) approximation of D(Ber(theta) || Ber(theta + delta)), in nats.

    Used in: notebooks/09_where_kl_leads.ipynb (section "Exercises").

    .. math:: D(p_\theta\|p_{\theta+\delta}) \approx \tfrac12\,\delta^2 I(\theta),
              \qquad I(\theta) = \frac{1}{\theta(1-\theta)}

    Recognised mistakes: the exact KL (either direction) instead of the
    approximation (rounded to 3 figures, 0.00700 is read as 0.007, which is
    also the approximation cut off: the shared rule of check_number names
    the exact KL first), the factor 1/2 missing,
    bits, I(theta) = theta(1 - theta) (upside down), 1/theta or 1/(1 - theta)
    (a factor dropped), the exact KL in bits, I(theta) alone or halved
    (delta^2 left out), theta (1 - theta) alone, delta not squared, the information evaluated at
    theta + delta, and the two sign errors that make it negative (theta - 1
    for 1 - theta, the information's two terms subtracted), those two terms
    subtracted the other way round (positive), and 1/2 delta^2 or delta^2
    alone (I(theta) left out). Advice gives the
    exercise's numbers, not variable names (a learner's kernel may hold
    other values under ``theta`` or ``delta``), and names the idea, not the
    line of code that computes the answer.

    Examples
    --------
    >>> check_local_kl(0.0078125, 0.2, 0.05)
    Correct: the quadratic approximation 1/2 delta^2 I(theta) = 0.0078125 nats.
    """

    theta, delta = float(theta), float(delta)
    if not (0 < theta < 1 and 0 < theta + delta < 1 and delta != 0):
        raise ValueError("check_local_kl needs 0 < theta < 1, 0 < theta + delta < 1 and delta != 0.")
    info = 1 / (theta * (1 - theta))
    expected = 0.5 * delta ** 2 * info
    exact = _bernoulli_kl(theta, theta + delta)
    what = "the quadratic approximation 1/2 delta^2 I(theta)"
    kl_name = f"D(Ber({theta:g})||Ber({theta + delta:g}))"
    quadratic = (f"the quadratic term, half of delta squared times the Fisher information at theta "
                 f"(theta = {theta:g}, delta = {delta:g})")
    mistakes = [
        (exact,
         f"the exact {kl_name}, which is what the approximation approximates; the question asks for "
         f"{quadratic}."),
        (_bernoulli_kl(theta + delta, theta),
         f"the exact KL in the reverse direction, D(Ber({theta + delta:g})||Ber({theta:g})); the question asks for "
         f"{quadratic}, the same for both directions to second order."),
        (delta ** 2 * info, "delta^2 I(theta) without the factor 1/2: the second-order term of a Taylor series "
                            "is half the second derivative times delta^2.",
         ("scale", "delta^2 I(theta)", "halved")),     # rounded, then halved: the right route on a rounded number
        (expected / math.log(2), f"{what} in bits; the question asks for nats (no log base enters the "
                                 f"formula: I(theta) in nats is 1 / (theta (1 - theta))).",
         ("scale", f"{what} in bits", "converted to nats")),
        (0.5 * delta ** 2 * theta * (1 - theta), "1/2 delta^2 theta (1 - theta): the Fisher information of a "
                                                 "Bernoulli is 1 / (theta (1 - theta)), the inverse of its variance."),
        (0.5 * delta ** 2 / theta, "1/2 delta^2 / theta: I(theta) = 1 / (theta (1 - theta)) has both factors, "
                                   "one from heads (1/theta) and one from tails (1/(1 - theta)), added."),
        (0.5 * delta ** 2 / (1 - theta), "1/2 delta^2 / (1 - theta): I(theta) = 1 / (theta (1 - theta)) has both "
                                         "factors, one from heads (1/theta) and one from tails (1/(1 - theta)), added."),
        (exact / math.log(2), f"the exact {kl_name} in bits (base-2 logs): the question asks for {quadratic}, in "
                              f"nats."),
        (0.5 * abs(delta) * info, "1/2 delta I(theta): delta must be squared (the KL is second order in the step)."),
        (0.5 * delta ** 2 / ((theta + delta) * (1 - theta - delta)),
         "the information evaluated at theta + delta; the expansion is around theta, so use I(theta)."),
        (info, f"I(theta) itself, the Fisher information at theta: the question asks for the quadratic "
               f"approximation of the KL, half of delta squared times I(theta) (theta = {theta:g}, delta = {delta:g})."),
        (theta * (1 - theta), "theta (1 - theta) alone: that is the Bernoulli's variance, the inverse of its Fisher "
                              "information I(theta) = 1 / (theta (1 - theta)); the question asks for half of delta "
                              "squared times I(theta)."),
        (0.5 * info, "1/2 I(theta) without delta^2: the KL of a small step grows as the step squared, so multiply "
                     "by delta squared."),
        # the two ways a learner gets a negative number: delta squared is never negative, I(theta) is
        (-expected, "1/2 delta^2 I(theta) with the sign of I(theta) flipped: 1 / (theta (theta - 1)) has "
                    "theta - 1 where the Bernoulli information has 1 - theta. I(theta) = 1 / (theta (1 - theta)) "
                    "is positive for every 0 < theta < 1."),
        (0.5 * delta ** 2 * (1 / (1 - theta) - 1 / theta),
         "1/2 delta^2 (1/(1 - theta) - 1/theta): the information's two terms, one from heads and one from tails, "
         "are added, not subtracted: I(theta) = 1/theta + 1/(1 - theta) = 1 / (theta (1 - theta))."),
        (0.5 * delta ** 2 * (1 / theta - 1 / (1 - theta)),
         "1/2 delta^2 (1/theta - 1/(1 - theta)): the information's two terms, one from heads and one from tails, "
         "are added, not subtracted: I(theta) = 1/theta + 1/(1 - theta) = 1 / (theta (1 - theta))."),
        (0.5 * delta ** 2, "1/2 delta^2 alone: the Fisher information I(theta) = 1 / (theta (1 - theta)) is left "
                           "out; multiply by it."),
        (delta ** 2, "delta^2 alone: the approximation is half of delta squared times the Fisher information "
                     "I(theta) = 1 / (theta (1 - theta)); both the 1/2 and I(theta) are left out."),
    ]
    # the one number this computation can round on the way is I(theta): 6.25 copied as 6.3 (half up) or 6.2 (half
    # to even) gives 0.007875 or 0.00775, told as a rounding on the way by check_number's partway
    shown = Decimal(f"{info:.12g}")          # as printed: 6.25, not 6.249999999999999
    unit = Decimal(1).scaleb(math.floor(math.log10(info)) - 1)
    ways = sorted({float(shown.quantize(unit, mode)) for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)} - {info})
    # (I(theta) itself is not shown: the exercise asks the learner to find it)
    # delta^2 I(theta) rounded to 2 to 4 figures and then halved (the ("scale", ...) step names it when the answer
    # is exactly that)
    doubled = delta ** 2 * info
    halved = sorted({0.5 * float(_round_sig(doubled, k)) for k in (2, 3, 4)} - {expected})
    partway = ([0.5 * delta ** 2 * w for w in ways] if ways and significant_figures(float(shown)) > 2 else []) + halved
    partway = (partway, "Here that is I(theta) rounded to 2 significant figures before multiplying, or "
                        "delta^2 I(theta) rounded before the halving.") \
        if partway else None
    # delta^2 and I(theta) short decimals: the product is exact, with no rounding on the way but that of I(theta)
    # (an answer near it that this rounding does not give is no rounded intermediate)
    short = all(significant_figures(v) <= 6 for v in (delta ** 2, info, expected))
    made = "half of delta^2 times I(theta), both short decimals"   # (not their values: I(theta) is asked for)
    feedback = check_number(answer, expected, what=what, units="nats", mistakes=_apart(mistakes, expected), sig=sig,
                            rounding=made if short else True, partway=partway,
                            hint=f"Use {quadratic}; for a Bernoulli, I(theta) = 1 / (theta (1 - theta)).",
                            negative="A KL divergence and its quadratic approximation are >= 0: delta^2 is never "
                                     "negative, so a negative number comes from the sign of the Fisher information. "
                                     "I(theta) = 1/theta + 1/(1 - theta) = 1 / (theta (1 - theta)) is positive: "
                                     "check for theta - 1 in place of 1 - theta, or a minus between the two terms "
                                     f"(and that theta and delta are probabilities, {theta:g} and {delta:g}, not "
                                     f"percentages).",
                            nan="Your answer is NaN (not a number). The quadratic approximation takes no logarithms: "
                                "it is half of delta squared times I(theta) = 1 / (theta (1 - theta)), so a NaN comes "
                                "from 0 / 0, inf - inf or a variable that already holds NaN: print theta, delta and "
                                "I(theta) to find it.")
    if feedback.correct and feedback.message.startswith("Correct:"):   # the right value has few digits: show them
        # all ("Correct to 3 significant figures", for 0.007808 whose 4th figure is off, stays as it is)
        return Feedback(True, f"Correct: {what} = {_exact_decimal(expected)} nats.")
    return feedback


def _elbo_parts(x, noise_sd, q_mean, q_sd, *, noise_var=None, q_var_kl=None):
    """Expected log-likelihood under q and D(q || N(0, 1)), closed forms (nats)."""
    var = noise_sd ** 2 if noise_var is None else noise_var
    expected = -0.5 * math.log(2 * math.pi * var) - ((x - q_mean) ** 2 + q_sd ** 2) / (2 * var)
    sd_kl = q_sd if q_var_kl is None else math.sqrt(q_var_kl)
    return expected, gaussian_kl(q_mean, sd_kl, 0.0, 1.0)


_SECTION1_MODEL = (1.2, 0.5)      # x_obs and s of the notebook's section 1, whose elbo() a learner may reuse


def check_elbo(answer, x, noise_sd, q_mean, q_sd, *, sig=3):
    r"""Check the ELBO of q = N(q_mean, q_sd^2) for prior z ~ N(0, 1) and one observation x ~ N(z, noise_sd^2).

    Used in: notebooks/09_where_kl_leads.ipynb (section "Exercises").

    .. math:: \text{ELBO}(q) = \mathbb{E}_q[\log N(x; z, s^2)] - D(q\|N(0,1)),\quad
              \mathbb{E}_q[\log N(x; z, s^2)] = -\tfrac12\log(2\pi s^2) - \frac{(x-m)^2 + \sigma^2}{2s^2}

    Recognised mistakes: the expected log-likelihood alone, the KL added
    instead of subtracted, D(prior || q) instead of D(q || prior), the log
    evidence log p(x), the likelihood at z = m only (the sigma^2 term
    dropped), noise_sd used as a variance, q_sd used as a variance in the
    KL, -ELBO (a VAE's loss), the ELBO of the same q under the model of the
    notebook's section 1 (x = 1.2, s = 0.5: its ``elbo`` function reused),
    and bits. Advice gives the exercise's numbers, not variable names.

    Examples
    --------
    >>> check_elbo(-2.0424, 1.0, 0.3, 1.2, 0.4)
    Correct: ELBO(q) = -2.042 nats.
    """

    x, s, m, sd = float(x), float(noise_sd), float(q_mean), float(q_sd)
    if not (s > 0 and sd > 0):
        raise ValueError("check_elbo needs noise_sd > 0 and q_sd > 0.")
    loglik, kl = _elbo_parts(x, s, m, sd)
    expected = loglik - kl
    what = "ELBO(q)"
    evidence = -0.5 * math.log(2 * math.pi * (1 + s ** 2)) - x ** 2 / (2 * (1 + s ** 2))
    at_mean = -0.5 * math.log(2 * math.pi * s ** 2) - (x - m) ** 2 / (2 * s ** 2)
    ll_var, _ = _elbo_parts(x, s, m, sd, noise_var=s)
    _, kl_var = _elbo_parts(x, s, m, sd, q_var_kl=sd)
    mistakes = [
        (loglik, "E_q[log p(x|z)], the expected log-likelihood alone; the ELBO also subtracts D(q||p(z)), "
                 "the KL from q to the prior N(0, 1)."),
        (loglik + kl, "E_q[log p(x|z)] + D(q||p(z)): the KL is subtracted, ELBO = E_q[log p(x|z)] - D(q||p(z))."),
        (loglik - gaussian_kl(0.0, 1.0, m, sd), "E_q[log p(x|z)] - D(p(z)||q), the KL in the wrong direction: "
                                                 "the ELBO has D(q||p(z)), q first (it is an average under q)."),
        (evidence, "log p(x), the log evidence, which the ELBO bounds from below; they are equal only when q is the "
                   "exact posterior."),
        (at_mean - kl, "log N(x; m, s^2) - D(q||p(z)): the expected log-likelihood under q also has the term "
                       "-sigma^2 / (2 s^2) from the spread of z under q: E_q[(x - z)^2] = (x - m)^2 + sigma^2 "
                       "(m = q_mean, sigma = q_sd, s = noise_sd)."),
        (ll_var - kl, "the noise standard deviation used as a variance: the likelihood N(x; z, s^2) has variance "
                      "noise_sd**2."),
        (loglik - kl_var, "q's standard deviation used as a variance in D(q||N(0, 1)): its variance is q_sd**2."),
        (-expected, "-ELBO(q), the negative ELBO, which a VAE minimises as its loss; the question asks for the "
                    "ELBO itself, E_q[log p(x|z)] - D(q||p(z)), which is negative here."),
    ]
    if (x, s) != _SECTION1_MODEL:
        x1, s1 = _SECTION1_MODEL
        loglik1, _ = _elbo_parts(x1, s1, m, sd)
        mistakes.append((loglik1 - kl, f"the ELBO of this q under section 1's model (x = {x1:g}, s = {s1:g}): the "
                                        f"function elbo defined there uses section 1's x_obs and s. This exercise has "
                                        f"x = {x:g} and noise standard deviation {s:g}."))
    # the quadratic term has no log: np.log2 or np.log10 in the formula does not give these values; they are
    # the ELBO in nats divided by a log, and converting back is the advice
    mistakes += _unit_mistakes(lambda bb: _in(expected, bb), what, None, throughout=False,
                               how=lambda other: f"{_unit_words(other)} (the ELBO in nats divided by "
                                                 f"`{_log_expr(other)}`)")
    return check_number(answer, expected, what=what, units="nats", mistakes=_apart(mistakes, expected), sig=sig,
                        hint=f"Average the Gaussian log-likelihood log N(x; z, s^2) over z ~ q, using "
                             f"E_q[(x - z)^2] = (x - m)^2 + sigma^2; then subtract D(q||N(0, 1)), which "
                             f"kt.gaussian_kl gives. This exercise has x = {x:g}, noise standard deviation "
                             f"s = {s:g}, and q with mean m = {m:g} and standard deviation sigma = {sd:g}.",
                        parts={"numbers": [("E_q[log p(x|z)]", loglik, 1), ("D(q||p(z))", kl, -1)],
                               "formula": "E_q[log p(x|z)] - D(q||p(z))", "words": "both terms",
                               "compute": "both terms unrounded"})


def _chernoff(p, q):
    """Chernoff information -min_l log sum p^l q^(1-l) of two distributions, nats."""
    f = lambda lam: math.log(float(np.sum(p ** lam * q ** (1 - lam))))
    res = optimize.minimize_scalar(f, bounds=(0, 1), method="bounded", options={"xatol": 1e-12})
    return -res.fun


def check_stein_exponent(answer, p_heads, q_heads, *, base=2, names=("P", "Q"), sig=3):
    r"""Check Stein's exponent for testing coin P against coin Q at a fixed type-I error: D(P||Q).

    Used in: notebooks/09_where_kl_leads.ipynb (section "Exercises").

    .. math:: \beta_n \approx e^{-n D(P\|Q)}, \qquad D(P\|Q) = p\log\frac pq + (1-p)\log\frac{1-p}{1-q}

    Recognised mistakes: D(Q||P) (the exponent of the other error), another
    unit (bits, nats or base 10, converted either way), the Chernoff information (the exponent when both errors
    must vanish), the Bhattacharyya distance -log sum sqrt(pq), the
    Jeffreys divergence, the heads or the tails term alone, and D(Q||P) in the other unit.

    Examples
    --------
    >>> check_stein_exponent(0.3219, 0.5, 0.8)
    Correct: D(P||Q) = 0.3219 bits.
    """

    unit, log = _base(base)
    a, b = names
    p, q = np.array([p_heads, 1 - p_heads], float), np.array([q_heads, 1 - q_heads], float)
    d = kl_divergence(p, q)
    expected = _in(d, base)
    what = f"D({a}||{b})"
    mistakes = [
        (_in(kl_divergence(q, p), base),
         f"D({b}||{a}), the reverse direction: that is the exponent of the other error (deciding {b} when the coin "
         f"is {a}) when the error under {b} is held fixed. Here the error under {a} is held at a fixed level, and "
         f"the error under {b} falls like exp(-n D({a}||{b})): {a} first."),
        (_in(_chernoff(p, q), base),
         "the Chernoff information, the exponent when both errors must fall together (a Bayesian test); with "
         f"the type-I error held at a fixed level the exponent is D({a}||{b})."),
        (_in(-math.log(float(np.sum(np.sqrt(p * q)))), base),
         f"-log sum sqrt({a.lower()} {b.lower()}), the Bhattacharyya distance; the exponent is D({a}||{b}) = "
         f"sum {a.lower()} log({a.lower()}/{b.lower()})."),
        (_in(d + kl_divergence(q, p), base), f"D({a}||{b}) + D({b}||{a}), the Jeffreys divergence; only "
                                             f"D({a}||{b}) is the exponent."),
        (_in(p[0] * math.log(p[0] / q[0]), base), "the heads term alone; add the tails term "
                                                 "(1 - p) log((1 - p)/(1 - q))."),
        (_in(p[1] * math.log(p[1] / q[1]), base), "the tails term alone; add the heads term p log(p/q)."),
    ] + _unit_mistakes(lambda bb: _in(d, bb), what, base)
    # the other direction in the other unit: both choices of a neighbouring question the other way round
    other = 2 if base is None else None
    mistakes.append((_in(kl_divergence(q, p), other),
                     f"D({b}||{a}) in {_UNITS[other][0]}: both the direction and the unit are the other way "
                     f"round. Stein's exponent here is D({a}||{b}) in {unit}: {a}, the coin held at the fixed "
                     f"type-I error, first, and {log} for the logarithm."))
    return check_number(answer, expected, what=what, units=unit, mistakes=_apart(mistakes, expected), sig=sig,
                        hint=f"Stein's exponent is the KL divergence from the coin held at the fixed type-I "
                             f"error, {a} (heads probability {p_heads:g}), to the other, {b} (heads probability "
                             f"{q_heads:g}): a sum over heads and tails, in {unit} (kt.kl_divergence takes "
                             f"base=).",
                        negative="A KL divergence is >= 0: check the order of each ratio (p/q, with p from the "
                                 "coin held at the fixed type-I error).")


def check_sanov_exponent(answer, p, values, threshold, *, base=None, names=("P*", "P"), sig=3):
    r"""Check Sanov's exponent min D(P*||P) over distributions with mean >= threshold (above P's mean).

    Used in: notebooks/09_where_kl_leads.ipynb (section "Exercises").

    .. math:: \min_{\mathbb{E}_{P^*}[v] \ge m} D(P^*\|P) = D(P_\lambda\|P),\quad
              p_\lambda(x) \propto p(x) e^{\lambda v(x)}

    Recognised mistakes: the reverse direction D(P||P*), minus D(P*||P)
    (the ratio inside the log upside down), another unit (converted
    either way),
    the tilt parameter lambda itself, and the central-limit (Gaussian)
    approximation (m - mu)^2 / (2 var), right only near the mean.

    Examples
    --------
    >>> check_sanov_exponent(0.0433, np.full(6, 1/6), np.arange(1, 7), 4.0)
    Correct: D(P*||P) = 0.04325 nats.
    """

    unit, log = _base(base)
    a, b = names
    pn, v = np.asarray(p, float), np.asarray(values, float)
    if not float(threshold) > float(pn @ v):
        raise ValueError("check_sanov_exponent needs a threshold above P's mean.")
    t = exponential_tilt(pn, v, threshold)
    expected = _in(t.kl, base)
    what = f"D({a}||{b})"
    mu, var = float(pn @ v), float(pn @ (v - pn @ v) ** 2)
    mistakes = [
        (_in(kl_divergence(pn, t.distribution), base),
         f"D({b}||{a}), the reverse direction; Sanov's exponent is D({a}||{b}), the tilted distribution first "
         f"(it is the empirical distribution the rare samples look like)."),
        (t.lam, f"the tilt parameter lambda; the exponent is D({a}||{b}) = lambda m - log sum p exp(lambda v)."),
        (_in((threshold - mu) ** 2 / (2 * var), base),
         "the central-limit approximation (m - mean)^2 / (2 variance), which treats the average as Gaussian: "
         "right only for thresholds very close to the mean. Find the tilt and compute the KL."),
        (-expected, f"minus {what}: the ratio inside the log is upside down ({b}(x) on top). Keep the order "
                    f"and put {a}(x) on top: {what} = sum {a}(x) log({a}(x) / {b}(x)), the tilted distribution "
                    f"first both as the weight and on top of the ratio."),
    ] + _unit_mistakes(lambda bb: _in(t.kl, bb), what, base)
    return check_number(answer, expected, what=what, units=unit, mistakes=_apart(mistakes, expected), sig=sig,
                        hint=f"Find lambda with sum v p exp(lambda v) / sum p exp(lambda v) = {threshold:g} "
                             f"(scipy.optimize.brentq), tilt P, then compute D({a}||{b}).",
                        negative="A KL divergence is >= 0: the tilted distribution comes first.")


# --- figures ---------------------------------------------------------------------------------


def posterior_fits(z, posterior, fits, *, ax=None, title=None):
    """The posterior density (solid) and Gaussian fits to it (each with its own line style and marker).

    Used in: notebooks/09_where_kl_leads.ipynb (section "Why the reverse direction, and what it does").

    Parameters
    ----------
    z : array_like
        Grid of latent values.
    posterior : array_like
        The posterior density on ``z``.
    fits : dict
        Label -> density on ``z`` of each fit, drawn dashed, then dotted.
    """


    if ax is None:
        _, ax = plt.subplots()
    ax.plot(z, posterior, color=P_COLOR, lw=2.2, label="posterior p(z | x)")
    styles = [("--", Q_COLOR), (":", PALETTE["reddish purple"]), ("-.", PALETTE["bluish green"])]
    every = max(len(z) // 12, 1)
    for (label, y), (ls, color), marker in zip(fits.items(), styles, MARKERS[1:]):
        ax.plot(z, y, ls=ls, color=color, lw=2, marker=marker, markevery=every, ms=5, label=label)
    ax.set_xlabel("latent z (no unit)")
    ax.set_ylabel("density (per unit of z)")
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def gradient_paths(mu_grid, sigma_grid, kl_grid, paths, *, levels=(0.01, 0.03, 0.1, 0.3, 1, 3), target=None,
                   ax=None, title=None):
    """Contours of a KL over (mu, sigma) and optimisation paths on it, one marker and line style per path.

    Used in: notebooks/09_where_kl_leads.ipynb (section "A glimpse of natural gradients").

    Parameters
    ----------
    mu_grid, sigma_grid : array_like
        1-D grids of the mean and standard deviation.
    kl_grid : array_like, shape (len(sigma_grid), len(mu_grid))
        The KL (nats) at each grid point.
    paths : dict
        Label -> array of shape (steps + 1, 2) of (mu, sigma) iterates.
    levels : sequence of float
        KL values (nats) of the contour lines, drawn solid grey and labelled.
    target : (float, float), optional
        The minimiser, marked with a star.
    """


    if ax is None:
        _, ax = plt.subplots()
    cs = ax.contour(mu_grid, sigma_grid, kl_grid, levels=sorted(levels), colors="0.6", linewidths=0.8,
                    linestyles="solid")
    ax.clabel(cs, fmt=lambda v: f"{v:g} nat{'' if v == 1 else 's'}", fontsize=10)
    for (label, path), color, ls, marker in zip(paths.items(), [Q_COLOR, P_COLOR], ["--", "-"], MARKERS[1:]):
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], ls=ls, color=color, marker=marker, ms=5, lw=1.6, label=label)
    if target is not None:
        ax.plot(*target, marker="*", color="black", ms=14, ls="none", label="minimum")
    ax.set_xlabel("mean μ of the model (same unit as x)")
    ax.set_ylabel("standard deviation σ (same unit as x)")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right")
    return ax


def exponent_curve(ns, rates, limit, *, approx=None, simulated=None, limit_label="D", units="nats",
                   rate_label="exact", ax=None, title=None, ylabel=None):
    """An error exponent -log(probability)/n against n (log scale), its limit, and optional refinements.

    Used in: notebooks/09_where_kl_leads.ipynb (section "Stein's lemma").

    Parameters
    ----------
    ns, rates : array_like
        Sample sizes and the exact -log(probability)/n at each.
    limit : float
        The limit (a KL divergence), drawn as a dashed horizontal line.
    approx : (array_like, str), optional
        A second-order approximation on ``ns`` and its label, drawn dotted.
    simulated : (array_like, array_like, array_like), optional
        Sample sizes, simulated rates and their half-widths (error bars).
    """


    if ax is None:
        _, ax = plt.subplots()
    ax.plot(ns, rates, color=P_COLOR, lw=2, label=rate_label)
    ax.axhline(limit, color=Q_COLOR, ls="--", lw=1.6, label=f"{limit_label} = {limit:.4f} {units}")
    if approx is not None:
        ax.plot(ns, approx[0], color=PALETTE["reddish purple"], ls=":", lw=2, label=approx[1])
    if simulated is not None:
        n_sim, r_sim, half = simulated
        ax.errorbar(n_sim, r_sim, yerr=half, fmt="o", mfc="white", color="black", ms=5, capsize=3,
                    label="simulation (± 2 standard errors)")
    ax.set_xscale("log")
    ax.set_xlabel("number of observations n (log scale)")
    ax.set_ylabel(ylabel or f"-log(probability) / n [{units}]")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


# --- multiple choice, registered where check_choice finds it ------------------------------------
# The multiple-choice exercise's options and their explanations.
CHOICES["09-ex5"] = ("a", {
    "a": "D(q||p(z|x)) = log p(x) - ELBO(q), and the ELBO is an average under q of log p(x, z) - log q(z), "
         "which can be computed without the posterior's normalising constant p(x), by sampling from q or by "
         "quadrature. D(p(z|x)||q) is an average under the posterior itself, the distribution we cannot compute.",
    "b": "KL is not symmetric (notebook 04); the two directions give different fits, as section 1 shows with "
         "the two-mode posterior.",
    "c": "It is the forward direction D(p||q) that is mass-covering; D(q||p(z|x)) is mode-seeking, and it is "
         "used despite that, because it can be computed.",
    "d": "Neither direction is always the smaller one (notebook 04's binomial against uniform has one order, "
         "other pairs the other).",
})
