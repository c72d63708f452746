"""Exercise checks that explain a wrong answer, not just flag it.

Each ``check_*`` function compares a learner's answer with the right value
and with the values that common mistakes produce (wrong log base, swapped
arguments, unnormalised input, ...), and returns a :class:`Feedback` whose
text says which mistake the answer matches. The right value is shown only
once the answer is right.

Examples
--------
>>> check_kl(0.2231, [1, 0], [0.8, 0.2], base=2)
Not quite: 0.2231 matches D(P||Q) in nats. The question asks for bits: use np.log2, or divide a result in nats by np.log(2).
>>> check_kl(0.3219, [1, 0], [0.8, 0.2], base=2)
Correct: D(P||Q) = 0.3219 bits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np
from scipy.special import rel_entr

from ._validation import DistributionError, as_nonnegative, unit_name
from .coding import huffman_lengths
from .discrete import cross_entropy, entropy, js_divergence, kl_divergence
from .drift import drift_measures
from .estimators import mc_kl
from .gaussian import gaussian_kl, vae_kl
from .symmetric import js_distance, total_variation

__all__ = ["Feedback", "check_number", "check_kl", "check_entropy", "check_choice"]


@dataclass(frozen=True)
class Feedback:
    """Result of an exercise check: ``bool(feedback)`` says whether it is right."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__



def _probabilities(x, name):
    """One distribution from probabilities or counts, normalised; errors name ``name``."""
    arr, total = as_nonnegative(x, name)
    if arr.ndim != 1:
        raise DistributionError(f"{name} must be one distribution (a 1-D vector), got shape "
                                f"{arr.shape}; a check compares one answer with one value.")
    return arr / total


def _read_number(answer):
    """Return ``(value, None)`` or ``(None, Feedback)`` explaining why it is not a number."""
    if answer is ... or answer is None:
        return None, Feedback(False, "No answer yet: replace ... with your answer and run the cell again.")
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, (list, tuple, np.ndarray)):
        return None, Feedback(False, f"Your answer is a sequence of {len(answer)} numbers; "
                                     f"the question asks for a single number. Did you forget to sum the terms?")
    if isinstance(answer, bool) or not isinstance(answer, (Real, np.number)):
        return None, Feedback(False, f"Your answer should be a number, got {type(answer).__name__} {answer!r}.")
    value = float(answer)
    if math.isnan(value):
        return None, Feedback(False, "Your answer is NaN. A 0 * log(0) term gives NaN in numpy: "
                                     "those terms count as 0, so keep only outcomes with p(x) > 0.")
    return value, None


def _close(a: float, b: float, rtol: float) -> bool:
    """Relative closeness; the absolute floor 1e-15 only absorbs rounding around 0."""
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= max(rtol * abs(b), 1e-15)


def check_number(answer, expected, *, what="the answer", units="", mistakes=(), rtol=1e-3, hint=None):
    """Compare ``answer`` with ``expected`` and with known wrong values.

    Parameters
    ----------
    answer : float
        The learner's number (``...`` means not answered yet).
    expected : float
        The right value.
    what : str
        Name of the quantity, used in the messages (e.g. ``"D(P||Q)"``).
    units : str
        Units printed after values.
    mistakes : sequence of (float, str)
        Wrong values and the explanation to show when the answer matches one.
    rtol : float
        Relative tolerance: answers rounded to 4 significant digits pass.
    hint : str, optional
        Shown when the answer matches neither the right value nor a mistake.

    Returns
    -------
    Feedback
    """
    value, problem = _read_number(answer)
    if problem is not None:
        return problem
    suffix = f" {units}" if units else ""
    if _close(value, expected, rtol):
        return Feedback(True, f"Correct: {what} = {expected:.4f}{suffix}.")
    for wrong, explanation in mistakes:
        if wrong is not None and not _close(wrong, expected, rtol) and _close(value, wrong, rtol):
            return Feedback(False, f"Not quite: {value:.4g} matches {explanation}")
    if expected >= 0 and value < 0:
        return Feedback(False, f"Not quite: {what} cannot be negative, and your answer is {value:.4g}. "
                               f"Check the sign and the order of the ratio inside the log.")
    return Feedback(False, f"Not yet: {value:.4g} is not {what}. " + (hint or "Check each step again."))


def _unit_mistakes(value_in, what, base):
    """Wrong values from using another logarithm base, with explanations."""
    fixes = {None: "use np.log (the natural log)",
             2: "use np.log2, or divide a result in nats by np.log(2)",
             10: "use np.log10"}
    out = []
    for other in (None, 2, 10):
        if other != base:
            out.append((value_in(other),
                        f"{what} in {unit_name(other)}. The question asks for {unit_name(base)}: "
                        f"{fixes.get(base, f'divide a result in nats by np.log({base})')}."))
    return out


def check_kl(answer, p, q, *, base=None):
    """Check an answer for D(P||Q); ``p`` and ``q`` may be counts (normalised here).

    Recognised mistakes: another log base, swapped arguments D(Q||P),
    unnormalised counts, the cross-entropy H(P, Q), and the unweighted sum
    of log ratios.

    Examples
    --------
    >>> check_kl(0.5, [0.5, 0.5], [0.9, 0.1])
    Not yet: 0.5 is not D(P||Q). Weight each log(p(x)/q(x)) by p(x), sum over outcomes, and check which distribution is P.
    """
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    units = unit_name(base)
    expected = kl_divergence(pn, qn, base=base)
    mistakes = _unit_mistakes(lambda b: kl_divergence(pn, qn, base=b), "D(P||Q)", base)
    mistakes.append((kl_divergence(qn, pn, base=base),
                     "D(Q||P): the arguments are swapped. P, the reference, comes first "
                     "and weights the log ratio: sum p(x) log(p(x)/q(x))."))
    raw_p, raw_q = np.asarray(p, float), np.asarray(q, float)
    if not (np.isclose(raw_p.sum(), 1) and np.isclose(raw_q.sum(), 1)):
        raw = float(np.sum(rel_entr(raw_p, raw_q))) / (1 if base is None else math.log(base))
        mistakes.append((raw, "the sum over the raw numbers, which are not probabilities. "
                              "Normalise first: p = counts / counts.sum()."))
    mistakes.append((cross_entropy(pn, qn, base=base),
                     "the cross-entropy H(P, Q) = H(P) + D(P||Q). Subtract nothing: "
                     "compute sum p(x) log(p(x)/q(x)) directly."))
    support = pn > 0
    with np.errstate(divide="ignore"):
        unweighted = float(np.sum(np.log(pn[support] / qn[support]))) / (1 if base is None else math.log(base))
    mistakes.append((unweighted, "the sum of log(p(x)/q(x)) without weights: multiply each term by p(x)."))
    return check_number(answer, expected, what="D(P||Q)", units=units, mistakes=mistakes,
                        hint="Weight each log(p(x)/q(x)) by p(x), sum over outcomes, "
                             "and check which distribution is P.")


def check_entropy(answer, p, *, base=None):
    """Check an answer for H(P); ``p`` may be counts (normalised here).

    Examples
    --------
    >>> check_entropy(1.0, [0.5, 0.5], base=2)
    Correct: H(P) = 1.0000 bits.
    """
    pn = _probabilities(p, "p")
    expected = entropy(pn, base=base)
    mistakes = _unit_mistakes(lambda b: entropy(pn, base=b), "H(P)", base)
    support = pn > 0
    mistakes.append((float(-np.sum(np.log(pn[support]))) / (1 if base is None else math.log(base)),
                     "the sum of -log p(x) without weights: multiply each term by p(x)."))
    return check_number(answer, expected, what="H(P)", units=unit_name(base), mistakes=mistakes,
                        hint="H(P) = -sum p(x) log p(x), with 0 log 0 = 0.")


def check_choice(answer, correct, explanations):
    """Check a multiple-choice answer, explaining every option.

    Parameters
    ----------
    answer : str
        The learner's choice, e.g. ``"b"`` (case and spaces are ignored).
    correct : str
        The right option.
    explanations : dict
        Option -> why it is right or wrong.

    Examples
    --------
    >>> check_choice("A", "b", {"a": "No: KL is not symmetric.", "b": "Yes."})
    Not quite: No: KL is not symmetric.
    """
    if answer is ... or answer is None:
        return Feedback(False, "No answer yet: replace ... with one of "
                               + ", ".join(repr(k) for k in explanations) + ".")
    choice = str(answer).strip().lower()
    options = {str(k).strip().lower(): v for k, v in explanations.items()}
    if choice not in options:
        return Feedback(False, f"{answer!r} is not one of the options "
                               + ", ".join(repr(k) for k in explanations) + ".")
    if choice == str(correct).strip().lower():
        return Feedback(True, f"Correct: {options[choice]}")
    return Feedback(False, f"Not quite: {options[choice]}")


# --- notebooks 02-04: coding, cross-entropy, asymmetry ---


__all__ += ["check_cross_entropy", "check_huffman_length", "check_js", "check_total_variation"]


def _per_base(base):
    return 1.0 if base is None else math.log(base)


def check_cross_entropy(answer, p, q, *, base=None):
    """Check an answer for the cross-entropy H(P, Q); ``p`` and ``q`` may be counts.

    Recognised mistakes: another log base, D(P||Q) (the entropy H(P) left
    out), H(P) alone, the swapped H(Q, P), and the unweighted sum of -log q.

    Examples
    --------
    >>> check_cross_entropy(0.152, [1, 0], [0.9, 0.1], base=2)
    Correct: H(P, Q) = 0.1520 bits.
    """
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    mistakes = _unit_mistakes(lambda b: cross_entropy(pn, qn, base=b), "H(P, Q)", base)
    mistakes += [
        (kl_divergence(pn, qn, base=base),
         "D(P||Q), the extra part only. The cross-entropy also counts H(P): "
         "H(P, Q) = H(P) + D(P||Q) = -sum p(x) log q(x)."),
        (entropy(pn, base=base), "H(P), the cross-entropy of P with itself. Use Q's probabilities "
                                 "inside the log: -sum p(x) log q(x)."),
        (cross_entropy(qn, pn, base=base),
         "H(Q, P): the arguments are swapped. P, the distribution the events come from, weights "
         "the sum; Q's probabilities go inside the log."),
    ]
    support = pn > 0
    with np.errstate(divide="ignore"):
        mistakes.append((float(-np.sum(np.log(qn[support]))) / _per_base(base),
                         "the sum of -log q(x) without weights: multiply each term by p(x)."))
    return check_number(answer, cross_entropy(pn, qn, base=base), what="H(P, Q)", units=unit_name(base),
                        mistakes=mistakes, hint="H(P, Q) = -sum p(x) log q(x): P weights, Q inside the log.")


def check_huffman_length(answer, p):
    """Check the average length, in bits per symbol, of a Huffman code for ``p``.

    Recognised mistakes: the entropy (ideal lengths are not whole bits), the
    Shannon code's ``sum p * ceil(-log2 p)``, and the unweighted mean length.

    Examples
    --------
    >>> check_huffman_length(1.9, [0.4, 0.3, 0.2, 0.1])
    Correct: the average Huffman code length = 1.9000 bits per symbol.
    """
    pn = _probabilities(p, "p")
    lengths = huffman_lengths(pn)
    support = pn > 0
    mistakes = [
        (entropy(pn, base=2), "H(P), the average of the ideal lengths -log2 p(x). Huffman codewords "
                              "have whole bits: average the Huffman lengths, weighted by p(x)."),
        (float(np.sum(pn[support] * np.ceil(-np.log2(pn[support])))),
         "the Shannon code, lengths ceil(-log2 p(x)). Huffman's merging gives shorter codes: "
         "use klteach.huffman_lengths."),
        (float(np.mean(lengths)), "the plain mean of the codeword lengths. Weight each length by "
                                  "how often its symbol occurs, p(x)."),
    ]
    return check_number(answer, float(np.dot(pn, lengths)), what="the average Huffman code length",
                        units="bits per symbol", mistakes=mistakes,
                        hint="Average the Huffman codeword lengths, weighted by p(x).")


def check_js(answer, p, q, *, base=None, distance=False):
    """Check an answer for the Jensen-Shannon divergence, or with ``distance=True`` its square root.

    Recognised mistakes: divergence for distance and vice versa (scipy's
    ``jensenshannon`` returns the distance), another log base, D(P||M)
    alone, and D(P||Q).

    Examples
    --------
    >>> check_js(0.8326, [1, 0], [0, 1])
    Not quite: 0.8326 matches the Jensen-Shannon distance (the square root of the divergence, what scipy.spatial.distance.jensenshannon returns). The question asks for the divergence: square it.
    """
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    m = 0.5 * (pn + qn)
    what = "the Jensen-Shannon distance" if distance else "the Jensen-Shannon divergence"
    value = js_distance if distance else js_divergence
    expected = value(pn, qn, base=base)
    mistakes = _unit_mistakes(lambda b: value(pn, qn, base=b), what, base)
    if distance:
        mistakes.append((js_divergence(pn, qn, base=base),
                         "the Jensen-Shannon divergence. The question asks for the distance, its "
                         "square root (what scipy.spatial.distance.jensenshannon returns)."))
    else:
        mistakes.append((js_distance(pn, qn, base=base),
                         "the Jensen-Shannon distance (the square root of the divergence, what "
                         "scipy.spatial.distance.jensenshannon returns). The question asks for the "
                         "divergence: square it."))
    half = kl_divergence(pn, m, base=base)
    mistakes += [
        (np.sqrt(half) if distance else half,
         "D(P||M) alone. Average both halves: (D(P||M) + D(Q||M)) / 2 with M = (P + Q) / 2."),
        (kl_divergence(pn, qn, base=base), "D(P||Q). Jensen-Shannon compares each distribution with "
                                           "their average M = (P + Q) / 2, not with each other."),
    ]
    return check_number(answer, expected, what=what, units=unit_name(base), mistakes=mistakes,
                        hint="M = (P + Q) / 2, then (D(P||M) + D(Q||M)) / 2"
                             + (", then the square root." if distance else "."))


def check_total_variation(answer, p, q):
    """Check an answer for the total variation distance ``sum |p - q| / 2``.

    Recognised mistakes: the sum without the 1/2, and the largest
    difference at a single outcome.

    Examples
    --------
    >>> check_total_variation(0.4, [0.5, 0.5], [0.9, 0.1])
    Correct: TV(P, Q) = 0.4000.
    """
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    diff = np.abs(pn - qn)
    mistakes = [
        (float(np.sum(diff)), "sum |p(x) - q(x)| without the factor 1/2; with it, TV is the largest "
                              "difference in probability of any event, between 0 and 1."),
        (float(np.max(diff)), "the largest difference at a single outcome. TV is the largest "
                              "difference over all events (sets of outcomes): half the sum of |p - q|."),
    ]
    return check_number(answer, total_variation(pn, qn), what="TV(P, Q)", mistakes=mistakes,
                        hint="TV(P, Q) = sum |p(x) - q(x)| / 2.")


# --- notebook 05: continuous and Gaussian KL ---


__all__ += ["check_gaussian_kl", "check_vae_kl", "check_mc_estimate"]


def check_gaussian_kl(answer, mu_p, sigma_p, mu_q, sigma_q, *, base=None):
    """Check an answer for D(N(mu_p, sigma_p²) || N(mu_q, sigma_q²)); sigmas are standard deviations.

    Recognised mistakes: another log base, swapped arguments, variances
    used where the formula wants standard deviations, the -1/2 left out,
    and the mean term left out.

    Examples
    --------
    >>> check_gaussian_kl(1.3069, 0, 1, 1, 2)
    Not quite: 1.307 matches D(Q||P): the arguments are swapped. P comes first: log(sigma_q/sigma_p) + (sigma_p² + (mu_p - mu_q)²) / (2 sigma_q²) - 1/2.
    """
    def kl(b=base):
        return gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, base=b)

    scale = 1.0 if base is None else math.log(base)
    mistakes = _unit_mistakes(kl, "D(P||Q)", base)
    mistakes += [
        (gaussian_kl(mu_q, sigma_q, mu_p, sigma_p, base=base),
         "D(Q||P): the arguments are swapped. P comes first: "
         "log(sigma_q/sigma_p) + (sigma_p² + (mu_p - mu_q)²) / (2 sigma_q²) - 1/2."),
        (gaussian_kl(mu_p, sigma_p**2, mu_q, sigma_q**2, base=base),
         "the formula with variances in place of standard deviations. Here sigma is the "
         "standard deviation: square it where the formula says sigma²."),
        (kl() + 0.5 / scale, "the formula without its final -1/2 (which makes D(P||P) = 0)."),
        (kl() - 0.5 * ((mu_p - mu_q) / sigma_q) ** 2 / scale,
         "the formula without the mean term (mu_p - mu_q)² / (2 sigma_q²)."),
    ]
    return check_number(answer, kl(), what="D(P||Q)", units=unit_name(base), mistakes=mistakes,
                        hint="D = log(sigma_q/sigma_p) + (sigma_p² + (mu_p - mu_q)²) / (2 sigma_q²) - 1/2.")


def check_vae_kl(answer, mu, log_var):
    """Check an answer for the VAE KL term D(N(mu, diag(exp(log_var))) || N(0, I)), in nats.

    Recognised mistakes: ``log_var`` read as the log of the standard
    deviation, the factor 1/2 left out, a mean over latent coordinates
    instead of a sum, the wrong sign, and the reverse direction.

    Examples
    --------
    >>> check_vae_kl(0.0, [0.0, 0.0], [0.0, 0.0])
    Correct: the VAE KL term = 0.0000 nats.
    """
    mu, log_var = np.asarray(mu, float), np.asarray(log_var, float)
    expected = vae_kl(mu, log_var)
    var = np.exp(log_var)
    mistakes = [
        (vae_kl(mu, 2 * log_var),
         "the term with log_var read as log(sigma): it is log(sigma²), so sigma² = exp(log_var)."),
        (2 * expected, "twice the KL: the formula has a factor 1/2 in front of the sum."),
        (expected / mu.size, "the mean over latent coordinates; the KL of a diagonal Gaussian is "
                             "the sum over coordinates."),
        (-expected, "minus the KL: the usual code writes -0.5 * sum(1 + log_var - mu² - exp(log_var)); "
                    "keep the minus sign in front."),
        (float(0.5 * np.sum((1 + mu**2) / var - 1 + log_var)),
         "D(N(0, I) || N(mu, sigma²)), the reverse direction. The VAE term puts the encoder's "
         "distribution first and the prior N(0, I) second."),
    ]
    return check_number(answer, expected, what="the VAE KL term", units="nats", mistakes=mistakes,
                        hint="D = 1/2 sum_j (exp(log_var_j) + mu_j² - 1 - log_var_j).")


def check_mc_estimate(answer, logp, logq, *, estimator="k3"):
    """Check a Monte Carlo estimate of D(P||Q) from log densities at samples of P.

    Recognised mistakes: another estimator's average (k1, k2, k3), the ratio
    turned upside down (p/q instead of q/p), and a sum instead of a mean.

    Examples
    --------
    >>> check_mc_estimate(..., [-1.0, -2.0], [-1.5, -1.0])
    No answer yet: replace ... with your answer and run the cell again.
    """
    logp, logq = np.asarray(logp, float), np.asarray(logq, float)
    names = {"k1": "k1 = -log r", "k2": "k2 = (log r)² / 2", "k3": "k3 = (r - 1) - log r"}
    expected = mc_kl(logp, logq, estimator=estimator).estimate
    mistakes = [(mc_kl(logp, logq, estimator=other).estimate,
                 f"the average of {names[other]}, not of {names[estimator]} (r = q(x)/p(x)).")
                for other in names if other != estimator]
    mistakes += [
        (mc_kl(logq, logp, estimator=estimator).estimate,
         "the estimator with the ratio upside down: r = q(x)/p(x), so log r = logq - logp."),
        (expected * logp.size, "the sum over samples: the estimate is their mean."),
    ]
    return check_number(answer, expected, what=f"the {estimator} estimate", units="nats",
                        mistakes=mistakes, hint=f"Average {names[estimator]} over the samples, "
                                                f"with r = exp(logq - logp).")


# --- notebook 06: drift ---


__all__ += ["check_psi", "check_permutation_pvalue"]


def check_psi(answer, reference_counts, current_counts, *, pseudo_count=0.5, base=None):
    """Check an answer for the PSI of two histograms, smoothed with ``pseudo_count`` per bin.

    Recognised mistakes: only one direction of KL, no smoothing, smoothing
    without renormalising, another log base, and the Jensen-Shannon divergence.

    Examples
    --------
    >>> check_psi(0.1134, [50, 30, 20], [30, 30, 40])
    Not quite: 0.1134 matches D(ref||cur) alone. PSI is the symmetric sum D(ref||cur) + D(cur||ref) = sum (p - q) log(p / q).
    """
    units = unit_name(base)
    m = drift_measures(reference_counts, current_counts, pseudo_count=pseudo_count, base=base)
    mistakes = _unit_mistakes(lambda b: drift_measures(reference_counts, current_counts,
                                                        pseudo_count=pseudo_count, base=b).psi, "PSI", base)
    mistakes += [
        (m.kl_ref_cur, "D(ref||cur) alone. PSI is the symmetric sum D(ref||cur) + D(cur||ref) "
                       "= sum (p - q) log(p / q)."),
        (m.kl_cur_ref, "D(cur||ref) alone. PSI is the symmetric sum D(ref||cur) + D(cur||ref) "
                       "= sum (p - q) log(p / q)."),
        (m.js, "the Jensen-Shannon divergence, not PSI."),
        (drift_measures(reference_counts, current_counts, pseudo_count=0, base=base).psi,
         f"PSI without smoothing. Add the pseudo-count {pseudo_count:g} to every bin of both "
         f"histograms before normalising."),
    ]
    r, c = np.asarray(reference_counts, float), np.asarray(current_counts, float)
    p_raw, q_raw = (r + pseudo_count) / r.sum(), (c + pseudo_count) / c.sum()
    mistakes.append((float(np.sum((p_raw - q_raw) * np.log(p_raw / q_raw))) / (1 if base is None else math.log(base)),
                     "PSI of counts + pseudo-count divided by the original totals: renormalise, "
                     "dividing by n + K * pseudo-count so each histogram sums to 1."))
    return check_number(answer, m.psi, what="PSI", units=units, mistakes=mistakes,
                        hint="Add the pseudo-count to each bin, normalise both histograms, then "
                             "sum (p - q) * log(p / q).")


def check_permutation_pvalue(answer, observed, permuted):
    """Check a permutation p-value: ``(1 + #{permuted >= observed}) / (B + 1)``.

    Recognised mistakes: leaving out the +1s, counting strictly larger
    values only, and the share of permuted values below the observed one.

    Examples
    --------
    >>> check_permutation_pvalue(0.5, 2.0, [1.0, 3.0, 2.0, 0.5])
    Not quite: 0.5 matches #{T_perm >= T_obs} / B, without the +1s. Count the observed split as one of the permutations: (1 + count) / (B + 1), so p is never 0.
    """
    permuted = np.asarray(permuted, dtype=float)
    b = len(permuted)
    if b == 0:
        raise ValueError("permuted is empty: the p-value needs the statistics of B >= 1 permutations.")
    at_least = int(np.sum(permuted >= observed))
    greater = int(np.sum(permuted > observed))
    expected = (1 + at_least) / (b + 1)
    mistakes = [
        (at_least / b, "#{T_perm >= T_obs} / B, without the +1s. Count the observed split as one of "
                       "the permutations: (1 + count) / (B + 1), so p is never 0."),
        ((1 + greater) / (b + 1), "counting only permuted statistics strictly greater than the "
                                  "observed one: ties count too (>=)."),
        (1 - expected, "one minus the p-value: p is the share of permuted statistics at least as "
                       "large as the observed one."),
        (np.sum(permuted < observed) / b, "the share of permuted statistics below the observed one; "
                                          "p counts those at least as large."),
    ]
    return check_number(answer, expected, what="the permutation p-value", mistakes=mistakes,
                        hint="p = (1 + number of permuted statistics >= the observed one) / (B + 1).")


# --- notebook 07: KL in machine learning ---


__all__ += ["check_distillation_loss", "check_torch_kl_div", "check_information_gain"]


def check_distillation_loss(answer, teacher_logits, student_logits, *, temperature):
    """Check a distillation loss T² · D(teacher_T || student_T), in nats, averaged over the batch.

    Recognised mistakes: the T² factor left out, T instead of T², the
    temperature left out of the softmax, teacher and student swapped, bits
    instead of nats, and a sum over the batch instead of a mean.

    Examples
    --------
    >>> check_distillation_loss(0.0155, [3.0, 1.0, 0.2], [2.0, 1.5, 0.5], temperature=4.0)
    Not quite: 0.0155 matches D(teacher_T||student_T) without the factor T² = 16. Hinton's convention multiplies the softened KL by T² so its gradients keep their size as T changes.
    """
    from .logits import distillation_loss, kl_from_logits

    t = float(temperature)
    teacher, student = np.asarray(teacher_logits, float), np.asarray(student_logits, float)
    expected = distillation_loss(teacher, student, temperature=t)
    kl_mean = expected / t**2
    n = 1 if teacher.ndim == 1 else teacher.shape[0]
    mistakes = [
        (kl_mean, f"D(teacher_T||student_T) without the factor T² = {t**2:g}. Hinton's convention "
                  f"multiplies the softened KL by T² so its gradients keep their size as T changes."),
        (t * kl_mean, f"T x the KL; the factor is T² = {t**2:g}."),
        (t**2 * float(np.mean(kl_from_logits(teacher, student))),
         "the KL without the temperature: divide both teacher and student logits by T before the softmax."),
        (distillation_loss(student, teacher, temperature=t),
         "T² D(student||teacher): the arguments are swapped. The teacher's softened distribution is "
         "the reference, so it comes first (in PyTorch it is the target, the second argument of kl_div)."),
        (expected / math.log(2), "the loss in bits; the question asks for nats (use np.log)."),
    ]
    if n > 1:
        mistakes.append((expected * n, "the sum over the batch; average over the examples instead."))
    return check_number(answer, expected, what="the distillation loss", units="nats", mistakes=mistakes,
                        hint="Softmax of teacher/T and student/T, D(teacher||student), times T².")


def check_torch_kl_div(answer, input, target, *, reduction="batchmean"):
    """Check the value of PyTorch's ``F.kl_div(input, target, reduction=...)`` (``log_target=False``).

    ``input`` holds log-probabilities log Q and ``target`` probabilities P,
    one distribution per row; the pointwise loss is ``target * (log target - input)``
    (0 where the target is 0). As in PyTorch, ``'batchmean'`` divides the sum
    by ``input.shape[0]``. Recognised mistakes: the other reductions
    (``'mean'`` divides by every element, not the batch size), the arguments
    read the other way round (D(Q||P)), and probabilities Q passed where
    ``input`` must be log Q.

    Examples
    --------
    >>> check_torch_kl_div(0.1, np.log([[0.5, 0.5]]), [[0.9, 0.1]], reduction="batchmean")
    Not yet: 0.1 is not F.kl_div(input, target, reduction='batchmean'). The pointwise loss is target * (log(target) - input); 'batchmean' divides its sum by the number of rows.
    """
    logq, p = np.asarray(input, float), np.asarray(target, float)
    if logq.shape != p.shape or logq.ndim == 0:
        raise ValueError(f"input and target must be arrays of the same shape, got {logq.shape} and {p.shape}.")
    if reduction not in ("sum", "mean", "batchmean"):
        raise ValueError(f"reduction must be 'sum', 'mean' or 'batchmean', got {reduction!r}.")
    rows = p.shape[0]

    def reduce(pointwise, how=reduction):
        return {"sum": float(np.sum(pointwise)), "mean": float(np.mean(pointwise)),
                "batchmean": float(np.sum(pointwise)) / rows}[how]

    def loss(log_model, reference):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(reference > 0, reference * (np.log(np.where(reference > 0, reference, 1.0))
                                                        - log_model), 0.0)

    pointwise = loss(logq, p)
    expected = reduce(pointwise)
    explain = {"mean": "'mean' divides by the number of elements (rows x classes), so it is not the KL; "
                       "'batchmean' divides by the number of rows.",
               "sum": "'sum' adds the KLs of all rows; 'batchmean' divides that by the number of rows.",
               "batchmean": "'batchmean' divides the sum by the number of rows only."}
    mistakes = [(reduce(pointwise, other), f"reduction='{other}'. {explain[other]}")
                for other in ("sum", "mean", "batchmean") if other != reduction]
    with np.errstate(divide="ignore"):
        mistakes.append((reduce(loss(np.log(p), np.exp(logq))),
                         "D(Q||P): kl_div(input, target) computes D(target||exp(input)) = D(P||Q); "
                         "the model's log-probabilities go first, the reference second."))
    mistakes.append((reduce(loss(np.exp(logq), p)),
                     "the loss with probabilities q where kl_div expects log-probabilities: its input "
                     "must be log q (e.g. from log_softmax)."))
    return check_number(answer, expected, what=f"F.kl_div(input, target, reduction='{reduction}')",
                        mistakes=mistakes,
                        hint=f"The pointwise loss is target * (log(target) - input); '{reduction}' "
                             + {"batchmean": "divides its sum by the number of rows.",
                                "mean": "averages it over every element.",
                                "sum": "adds it up."}[reduction])


def check_information_gain(answer, successes, failures, *, prior=(1.0, 1.0), base=2):
    """Check the information gained, D(posterior || prior), for a Beta prior and coin-flip data.

    Recognised mistakes: nats for bits (and vice versa), the reverse
    direction D(prior || posterior), a posterior that forgot the prior's
    counts (Beta(s, f) instead of Beta(a + s, b + f)), and the KL between the
    Bernoulli distributions at the prior and posterior means.

    Examples
    --------
    >>> check_information_gain(0.6366, 7, 3)
    Not quite: 0.6366 matches the gain in nats. The question asks for bits: use np.log2, or divide a result in nats by np.log(2).
    """
    from .bayes import beta_bernoulli_information_gain, beta_kl

    a, b = (float(v) for v in prior)
    s, f = float(successes), float(failures)
    expected = beta_bernoulli_information_gain(s, f, prior=prior, base=base)
    mistakes = _unit_mistakes(lambda bb: beta_bernoulli_information_gain(s, f, prior=prior, base=bb),
                              "the gain", base)
    mistakes.append((beta_kl(a, b, a + s, b + f, base=base),
                     "D(prior||posterior), the reverse direction. The information gained is "
                     "D(posterior||prior): the posterior comes first."))
    if s > 0 and f > 0:
        mistakes.append((beta_kl(s, f, a, b, base=base),
                         "D(Beta(s, f)||prior): the posterior adds the data to the prior's parameters, "
                         "Beta(a + s, b + f)."))
    mean_post, mean_prior = (a + s) / (a + b + s + f), a / (a + b)
    mistakes.append((kl_divergence([mean_post, 1 - mean_post], [mean_prior, 1 - mean_prior], base=base),
                     "the KL between two coins with the posterior and prior mean probabilities; the "
                     "question compares the Beta distributions over the coin's bias."))
    return check_number(answer, expected, what="D(posterior||prior)", units=unit_name(base),
                        mistakes=mistakes,
                        hint="Posterior Beta(a + s, b + f); D(posterior||prior) with klteach.beta_kl.")
