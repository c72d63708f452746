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

from .discrete import cross_entropy, entropy, kl_divergence, normalize

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


def _units(base) -> str:
    return {None: "nats", 2: "bits", 10: "hartleys"}.get(base, f"base-{base} units")


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
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rtol * abs(b) + 1e-9


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
                        f"{what} in {_units(other)}. The question asks for {_units(base)}: "
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
    pn, qn = normalize(p), normalize(q)
    units = _units(base)
    expected = kl_divergence(pn, qn, base=base)
    mistakes = _unit_mistakes(lambda b: kl_divergence(pn, qn, base=b), "D(P||Q)", base)
    mistakes.append((kl_divergence(qn, pn, base=base),
                     f"D(Q||P): the arguments are swapped. P, the reference, comes first "
                     f"and weights the log ratio: sum p(x) log(p(x)/q(x))."))
    raw_p, raw_q = np.asarray(p, float), np.asarray(q, float)
    if not (np.isclose(raw_p.sum(), 1) and np.isclose(raw_q.sum(), 1)):
        raw = float(np.sum(rel_entr(raw_p, raw_q))) / (1 if base is None else math.log(base))
        mistakes.append((raw, "the sum over the raw numbers, which are not probabilities. "
                              "Normalise first: p = counts / counts.sum()."))
    mistakes.append((cross_entropy(pn, qn, base=base),
                     f"the cross-entropy H(P, Q) = H(P) + D(P||Q). Subtract nothing: "
                     f"compute sum p(x) log(p(x)/q(x)) directly."))
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
    pn = normalize(p)
    expected = entropy(pn, base=base)
    mistakes = _unit_mistakes(lambda b: entropy(pn, base=b), "H(P)", base)
    support = pn > 0
    mistakes.append((float(-np.sum(np.log(pn[support]))) / (1 if base is None else math.log(base)),
                     "the sum of -log p(x) without weights: multiply each term by p(x)."))
    return check_number(answer, expected, what="H(P)", units=_units(base), mistakes=mistakes,
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
    options = {k.lower(): v for k, v in explanations.items()}
    if choice not in options:
        return Feedback(False, f"{answer!r} is not one of the options "
                               + ", ".join(repr(k) for k in explanations) + ".")
    if choice == correct.lower():
        return Feedback(True, f"Correct: {options[choice]}")
    return Feedback(False, f"Not quite: {options[choice]}")


# --- checks for notebooks 02-04 (issue 3) ---


# --- checks for notebook 05 (issue 4) ---


# --- checks for notebook 06 (issue 5) ---
