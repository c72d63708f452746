"""Exercise checks that explain a wrong answer, not just flag it.

Each ``check_*`` function compares a learner's answer with the right value
and with the values that common mistakes produce (wrong log base, swapped
arguments, unnormalised input, ...), and returns a :class:`Feedback` whose
text says which mistake the answer matches. The right value is shown only
once the answer is right. Messages use the exercise's own names for its
distributions (``names=("Q_fair", "P_loaded")``).

Precision policy (one rule for every check, in :func:`check_number`). The
number of significant figures an answer gives is read from the shortest
form of the float (``0.42`` gives 2, ``0.4240`` is the float ``0.424`` and
gives 3, a value straight from numpy gives about 16). Float noise from
arithmetic on rounded numbers is not precision: ``0.887 - 0.802`` is the
float ``0.08499999999999996`` and gives 2, like ``0.085``.

- An answer with at least 3 correct significant figures is accepted: it
  rounds to the same 3 significant figures as the right value (a 5 after
  them rounding up or to even, so that the right value cut off after 4 or
  more figures is accepted), or it is within half a unit of its own last
  digit.
- An answer given to fewer significant figures, but right at the digits it
  gives, is told "right, but give N significant figures"; it is never
  given a mistake's explanation, nor a wrong route that a rounded number
  fixed as advised would also give (``0.168 / 3 = 0.056``).
- An answer that is literally a wrong-route value rounded to k figures and
  then fixed as that route's advice says (a unit conversion, the factor
  T², a reduction, subtracting H(P) or 1/2, a square root) is right as far
  as those k figures allow, and is told to do that step on the unrounded
  number; so is a difference of two numbers rounded to different figures
  (``0.887 - 0.80``, a cross-entropy minus an entropy). Literally: the
  answer carries more figures than the question asks for, float noise
  removed and, for a factor, not counting the figures of a short decimal
  divided by a whole number up to 12 (``0.51 / 9``: terms rounded, then
  averaged, give that too); a difference may carry float noise instead,
  and is named only when it is exactly the float that difference of the
  two rounded numbers gives (``0.887 - 0.80``; log ratios rounded, then
  weighted, give a float next to it, and no route is named).
  Rounded again to those figures (``4.19``), or given with fewer than 3
  figures (``0.087``), it could as well be another mistake rounded, so it
  is only asked whether it rounded an intermediate result (and told that,
  if nothing was rounded, it is not the answer, with the formula), as is
  an answer that reverses a wrong conversion on a rounded number
  (``0.204 / ln 2 / ln 2``). A sum whose terms (or their logs) were
  rounded to 2-4 figures, more than 1.5% from the right value, is told
  the same.
- An answer one unit off in its last (at least 3rd) figure is told to
  round, not truncate, only when it is the right value cut off; otherwise
  it is asked whether it rounded an intermediate result. When a rounded
  route also gives it (``4.2 - H``), that route is named beside the
  truncation, since rounding the number that route computed gives the
  same answer again. An answer of 1
  or 2 figures that is the right value cut off (``0.21`` for ``0.218``)
  is right as far as it goes: it is told to round and give more figures,
  never given a mistake's explanation.
- An answer within 1.5% of the right value that matches no mistake is
  asked first whether it rounded an intermediate number (a log, say) on
  the way, and given the formula second, for the case that nothing was
  rounded.
- A mistake is named only when the answer matches it better than it
  matches the right value, at the precision the answer gives (to 4
  figures at most; an answer of 8 or more figures, the full number a
  computation gave, must equal it to 1e-6, and is named only with the
  mistakes it equals); mistakes within 1% of each other are named
  together, and an answer too short to tell apart mistakes further apart
  names each of them. An answer with
  fewer than 3 figures that matches one mistake is told it may be that
  mistake and asked for the unrounded number, since the advice, followed
  on a rounded number, can fail. A number that is exactly a mistake's
  value (``2.0 = log2(4)``, ``0.4 = 2/5``, ``0.13 = 13/100``) and not the
  right value rounded is that mistake, since more figures (``2.00``) would
  not change it, even when another mistake is as close at its precision
  (``13/99 = 0.1313``).

Examples
--------
>>> check_kl(0.2231, [1, 0], [0.8, 0.2], base=2)
Not quite: 0.2231 matches D(P||Q) in nats (computed with np.log). The question asks for bits: use np.log2 throughout, or divide the unrounded number your code computed by `np.log(2)`.
>>> check_kl(0.3219, [1, 0], [0.8, 0.2], base=2)
Correct: D(P||Q) = 0.3219 bits.
>>> check_kl(0.32, [1, 0], [0.8, 0.2], base=2)
Right as far as it goes: 0.32 agrees with D(P||Q) to the 2 significant figures it has. Give 3 significant figures, or the unrounded number your code computes (Python drops trailing zeros: 0.320 is read as 0.32, and 0.320 is not D(P||Q) to 3 significant figures). If this is the full number your code computed, it is not the answer: check each step.
"""

from __future__ import annotations

import json
import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from numbers import Real

import numpy as np
from scipy.special import rel_entr

from ._validation import DistributionError, as_nonnegative, log_base, unit_name
from .coding import huffman_lengths
from .discrete import cross_entropy, entropy, js_divergence, kl_divergence
from .drift import drift_measures
from .estimators import mc_kl
from .gaussian import gaussian_kl, vae_kl
from .symmetric import hellinger_distance, js_distance, total_variation

__all__ = ["Feedback", "check_number", "check_kl", "check_entropy", "check_choice", "CHOICES",
           "recording"]

#: Significant figures accepted as right (see the precision policy above).
ACCEPTED_FIGURES = 3

#: Environment variable: when set to a file path, every check appends one JSON line
#: (what, expected, mistakes) to that file; tests use it on notebooks run in a kernel.
RECORD_ENV = "KLTEACH_RECORD_CHECKS"

_records: list | None = None


@contextmanager
def recording():
    """Record every :func:`check_number` call made inside the ``with`` block.

    Yields a list that receives one dict per call: ``what``, ``expected``,
    ``mistakes`` (a list of ``(value, explanation)``) and ``sig``. Tests use it
    to see that each mistake lands far from the right value.

    Examples
    --------
    >>> with recording() as calls:
    ...     _ = check_entropy(1.5, [0.5, 0.25, 0.25], base=2)
    >>> calls[0]["what"], calls[0]["expected"]
    ('H(P)', 1.5)
    """
    global _records
    previous, _records = _records, []
    try:
        yield _records
    finally:
        _records = previous


def _record(what, expected, mistakes, sig):
    entry = {"what": what, "expected": float(expected), "sig": sig,
             "mistakes": [(float(v), str(e)) for v, e in mistakes if v is not None]}
    if _records is not None:
        _records.append(entry)
    path = os.environ.get(RECORD_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


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


def _names(names, default=("P", "Q")):
    """The two names an exercise gives its distributions (``("P", "Q")`` by default)."""
    if names is None:
        return default
    if isinstance(names, str) or len(names) != 2 or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"names must be two non-empty strings, e.g. ('Q_fair', 'P_loaded'); got {names!r}.")
    return tuple(names)


# --- numbers and their precision -------------------------------------------------------

def _dec(x: float) -> Decimal:
    """The float as the decimal its shortest repr shows (``0.42`` -> ``Decimal('0.42')``)."""
    return Decimal(repr(float(x)))


def _clean(x: float) -> float:
    """``x`` without the float noise of arithmetic on short decimals (``0.887 - 0.802`` -> ``0.085``).

    A value whose 12-significant-figure form has at most 9 digits (3 or more
    trailing zeros) is that short decimal plus rounding noise; any other
    value is returned unchanged. One random double in a thousand looks like
    that; one in ten has a 12th figure 0 (``-np.log(0.5)``), which is no noise.
    """
    if x == 0 or not math.isfinite(x):
        return x
    short = float(f"{x:.12g}")
    return short if len(_dec(short).normalize().as_tuple().digits) <= 9 else x


def significant_figures(x: float) -> int:
    """Significant figures of ``x`` as written: its shortest repr, float noise removed.

    ``0.42`` -> 2, ``120.0`` -> 2, ``0.0`` -> 1, and ``0.887 - 0.802``
    (the float ``0.08499999999999996``) -> 2: noise from arithmetic on
    rounded numbers does not count as precision.

    Examples
    --------
    >>> significant_figures(0.42), significant_figures(0.4240), significant_figures(1 / 3)
    (2, 3, 16)
    >>> significant_figures(0.887 - 0.802)
    2
    """
    if x == 0 or not math.isfinite(x):
        return 1
    return max(1, len(_dec(_clean(x)).normalize().as_tuple().digits))


def _plain_figures(x: float) -> int:
    """Figures of ``x`` that arithmetic on short decimals does not explain: float noise removed, and, for a
    number of 8 or more figures, the fewest figures of ``x`` times a whole number up to 12 (``0.51 / 9`` -> 2).
    A number of fewer figures is read as written (``1.48`` -> 3, though ``7.4 / 5`` is 1.48 too).

    Examples
    --------
    >>> _plain_figures(0.51 / 9), _plain_figures(0.67 + 0.81), _plain_figures(0.0404 * 6)
    (2, 3, 4)
    """
    if x == 0 or not math.isfinite(x):
        return 1
    figures = significant_figures(x)
    if figures < _PRECISE:
        return figures
    return min(significant_figures(x * m) for m in range(1, 13))


def _unit(x: float, figures: int) -> Decimal:
    """One unit in the ``figures``-th significant digit of ``x``."""
    return Decimal(1).scaleb(_dec(x).adjusted() - figures + 1)


def _round_sig(x: float, figures: int) -> Decimal:
    return _dec(x).quantize(_unit(x, figures), rounding=ROUND_HALF_EVEN)


def _right_at(value: float, truth: float, figures: int) -> bool:
    """``value`` equals ``truth`` at ``figures`` significant figures (rounded, or within half a unit)."""
    if truth == 0 or not (math.isfinite(value) and math.isfinite(truth)):
        return value == truth
    if _round_sig(value, figures) == _round_sig(truth, figures):
        return True
    half = min(_unit(value, figures), _unit(truth, figures)) / 2
    return abs(_dec(value) - _dec(truth)) <= half * Decimal("1.000000001")


def _accepted(value: float, truth: float) -> bool:
    """At least 3 correct significant figures, as the precision policy defines them."""
    if math.isinf(value) or math.isinf(truth):
        return value == truth
    if truth == 0 or value == 0:
        return abs(value - truth) <= 1e-15
    if abs(value - truth) <= 1e-9 * abs(truth):
        return True
    right = _round_sig(truth, ACCEPTED_FIGURES)
    # a 5 after the 3rd figure rounds either way (0.2425 is 0.242 or 0.243): every cut-off after 4 or more
    # figures then rounds to the right 3 figures, as the start page says
    if right in (_round_sig(value, ACCEPTED_FIGURES),
                 _dec(value).quantize(_unit(value, ACCEPTED_FIGURES), rounding=ROUND_HALF_UP)):
        return True
    figures = significant_figures(value)
    return figures >= ACCEPTED_FIGURES and _right_at(value, truth, figures)


def _distance(a: float, b: float) -> float:
    if math.isinf(a) or math.isinf(b):
        return 0.0 if a == b else math.inf
    return abs(a - b)


#: Significant figures from which an answer is read as the full number a computation gave.
_PRECISE = 8


def _matches(value: float, wrong: float, truth: float) -> bool:
    """``value`` matches ``wrong`` at the precision it gives, and better than it matches ``truth``."""
    if wrong is None or (isinstance(wrong, float) and math.isnan(wrong)):
        return False
    if math.isinf(wrong) or math.isinf(value):
        return value == wrong
    if not math.isfinite(truth):
        truth = math.copysign(1e308, truth)
    figures = min(significant_figures(value), 4)
    if wrong == 0 or value == 0:
        close = abs(value - wrong) <= 1e-15
    elif significant_figures(value) >= _PRECISE:
        # a number with (nearly) all its figures is that mistake only if it equals it, not if it agrees to 4
        close = abs(value - wrong) <= 1e-6 * abs(wrong)
    else:
        close = (_round_sig(value, figures) == _round_sig(wrong, figures)
                 or abs(value - wrong) <= 1e-9 * abs(wrong)
                 or _right_at(value, wrong, figures))
    return close and _distance(value, wrong) < _distance(value, truth)


def _show(x: float, figures: int = 4) -> str:
    """``x`` to ``figures`` significant figures, trailing zeros kept (``1.000``, ``0.3219``)."""
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:#.{figures}g}"
    return text[:-1] if text.endswith(".") else text


def _as_given(x: float) -> str:
    """The learner's number as they gave it (shortest repr), shortened if very long."""
    figures = significant_figures(x)
    return repr(_clean(float(x))) if figures <= 6 else _show(x, 4)


# --- reading an answer -------------------------------------------------------------------

_NAN = ("Your answer is NaN (not a number). The data here have no zero probabilities, so look for "
        "the log of a negative number, 0/0 or inf - inf: print the terms and find it with np.isnan(terms).")


def _nan_zero(a, b=None, log="np.log", cross=False):
    """NaN advice for data with zero probabilities in ``a``: one mask, used on both arrays.

    The example is the exercise's own formula: ``-sum a log a`` (entropy),
    ``sum a log(a / b)`` (KL) or, with ``cross``, ``-sum a log b`` (cross-entropy).
    """
    use = f"{a}[m] and {b}[m]" if b else f"{a}[m]"
    if b is None:
        example = f"-np.sum({a}[m] * {log}({a}[m]))"
    elif cross:
        example = f"-np.sum({a}[m] * {log}({b}[m]))"
    else:
        example = f"np.sum({a}[m] * {log}({a}[m] / {b}[m]))"
    return (f"Your answer is NaN. {a} has zero probabilities, and a 0 * log(0) term gives NaN in numpy; "
            f"such terms count as 0. Use one mask on both arrays: m = {a} > 0, then {use} "
            f"(e.g. {example}).")


def _nan_for(p, a, b=None, base=None, cross=False):
    """The NaN advice that fits the exercise's data: blame 0 log 0 only when ``p`` has zeros."""
    return _nan_zero(a, b, _LOG_FN.get(base, "np.log"), cross) if np.any(np.asarray(p) == 0) else _NAN


def _scalar(answer):
    """A one-element list, tuple or array as its element; other answers unchanged."""
    if isinstance(answer, (list, tuple, np.ndarray)) and not getattr(answer, "_fields", None):
        try:
            arr = np.asarray(answer)
        except (TypeError, ValueError):
            return answer
        if arr.size == 1 and arr.dtype.kind in "fiu":
            return arr.reshape(-1)[0]
    return answer


def _read_number(answer, expected, combine, nan, field=None, array_routes=()):
    """Return ``(value, None)`` or ``(None, Feedback)`` explaining why it is not one number."""
    if answer is ... or answer is None:
        return None, Feedback(False, "No answer yet: replace ... with your answer and run the cell again.")
    fields = getattr(answer, "_fields", None)
    if isinstance(answer, tuple) and fields:
        kind = type(answer).__name__
        if "estimate" in fields:
            return None, Feedback(False, f"Your answer is an {kind}, the named tuple mc_kl returns "
                                         f"(the estimate and its standard error). Use its estimate: "
                                         f"answer = result.estimate.")
        pick = (f"the question asks for its field {field}: answer = result.{field}." if field in fields
                else "pick the one the question asks for (answer = result.<field>).")
        return None, Feedback(False, f"Your answer is a {kind} with fields {', '.join(fields)}; {pick}")
    answer = _scalar(answer)
    if isinstance(answer, (list, tuple, np.ndarray)):
        return None, _array_feedback(answer, expected, combine, array_routes)
    if isinstance(answer, (str, np.str_)):
        try:
            number = float(answer)
        except ValueError:
            return None, Feedback(False, f"Your answer is the text {str(answer)!r}, not a number: "
                                         f"the question asks for one number (answer = 0.123, without quotes).")
        return None, Feedback(False, f"Your answer is the text {str(answer)!r} (in quotes), not a number: "
                                     f"remove the quotes (answer = {number!r}), or convert it with "
                                     f"float(...), and run the check again.")
    if isinstance(answer, Decimal):      # kl_reference returns a Decimal: its float is the same number
        answer = float(answer)
    if isinstance(answer, bool) or not isinstance(answer, (Real, np.number)):
        return None, Feedback(False, f"Your answer should be a number, got {type(answer).__name__} {answer!r}.")
    if isinstance(answer, np.floating) and np.finfo(answer.dtype).bits < 64:
        value = float(str(answer))     # float32(0.42) is 0.42 as written, not 0.41999998688697815
    else:
        value = float(answer)
    if math.isnan(value):
        return None, Feedback(False, nan or _NAN)
    return value, None


def _array_feedback(answer, expected, combine, array_routes=()):
    """Feedback for an array answer: which reduction of it, if any, is the right number."""
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"Your answer is a {type(answer).__name__}; the question asks for one number.")
    kind = {"list": "a list", "tuple": "a tuple"}.get(type(answer).__name__, "an array")
    if any(isinstance(x, (str, np.str_)) for x in np.asarray(answer, dtype=object).reshape(-1)):
        return Feedback(False, f"Your answer is {kind} of {_plural(arr.size, 'string')} (text in quotes, such as "
                               f"{str(np.asarray(answer, dtype=object).reshape(-1)[0])!r}); the question asks for "
                               f"one number. {combine or 'Combine the terms into one number as the formula says.'}")
    shape = f" (shape {arr.shape})" if kind == "an array" or arr.ndim > 1 else ""
    start = f"Your answer is {kind} of {_plural(arr.size, 'number')}{shape}; the question asks for one number."
    if arr.size:
        routes = list(array_routes)
        routes.append((np.sum, "Their sum is it: wrap your expression in np.sum(...)."))
        routes.append((np.mean, "Their mean is it: wrap your expression in np.mean(...)."))
        if arr.ndim == 2:
            routes.append((lambda a: np.mean(np.sum(a, axis=-1)),
                           "Sum each row (np.sum(..., axis=-1)), then take the mean over the rows."))
        for reduce, advice in routes:
            value = reduce(arr)
            if value is not None and math.isfinite(value) and _accepted(float(value), expected):
                return Feedback(False, f"{start} {advice}")
    return Feedback(False, f"{start} {combine or 'Combine the terms into one number as the formula says.'}")


def _is_whole(x: float) -> bool:
    return math.isfinite(x) and x != 0 and float(x).is_integer() and abs(x) < 1e15


def _exactly(value: float, wrong: float) -> bool:
    if math.isinf(value) or math.isinf(wrong):
        return value == wrong
    return abs(value - wrong) <= 1e-9 * max(abs(wrong), 1e-300)


def _route_target(w_k, w, expected, kind):
    """What the advised step turns the rounded ``w_k`` into (``expected`` when ``w_k == w``)."""
    if kind in ("scale", "undo"):
        return w_k * (expected / w)
    if kind == "shift":
        return w_k + (expected - w)
    if kind == "subtracted":        # w is subtracted from an unrounded number (H(P) from the cross-entropy)
        return expected + (w - w_k)
    if kind == "added":             # w is added to an unrounded number (H(P) to D(P||Q))
        return expected + (w_k - w)
    if kind == "sqrt":
        return math.sqrt(w_k) if w_k >= 0 else math.nan
    if kind == "square":
        return w_k * w_k
    raise ValueError(f"unknown kind of step {kind!r}: use 'scale', 'shift', 'subtracted', 'added', 'sqrt' "
                     f"or 'square'.")


def _rescaled_rounding(value, expected, routes, least=2, tight=False, sig=ACCEPTED_FIGURES, raw=None):
    """``(k, w_k, step)`` when ``value`` is a wrong-route value rounded to ``k`` figures, then fixed as advised.

    ``routes`` holds ``(w, step)`` pairs, ``step = (kind, label, words)``: a
    route whose advice acts on the learner's number (another log base, the
    factor T², a reduction: ``"scale"``; subtracting an entropy or 1/2:
    ``"shift"``; a square or a square root) turns a rounded ``w_k`` into
    ``expected`` only as far as the rounding allows; the precision of ``w_k``
    carries through that step. Roundings to the ``sig`` figures the question
    asks for are tried first, then the fewest figures ``k >= least``; among
    the routes that explain ``value`` at that ``k``, the closest wins. With
    ``tight``, ``value`` must be the fixed number itself, not a rounding of it.
    Last, a ``"shift"`` route is tried with the number it subtracts or adds
    (a ``"subtracted"`` or ``"added"`` route) rounded to other figures
    (``0.887 - 0.80``); its step is then ``("both", label, words, k, literal)``, ``literal`` saying
    whether ``raw`` (the answer with its float noise, when it has some) is exactly the float that
    difference (or sum) of the two rounded numbers gives: a noisy number that only rounds to it came
    some other way (log ratios rounded, then weighted), and that route is not to be named.
    """
    if not (math.isfinite(value) and math.isfinite(expected)) or expected == 0:
        return None
    figures = significant_figures(value)
    for k in sorted(range(max(least, 2), 5), key=lambda k: (k != sig, k)):
        found = []
        for i, (w, step) in enumerate(routes):
            if not math.isfinite(w) or w == 0:
                continue
            w_k = float(_round_sig(w, k))
            if w_k == 0 or w_k == w:
                continue
            target = _route_target(w_k, w, expected, step[0])
            if not math.isfinite(target):
                continue
            tol = (1e-9 * abs(target) if figures >= 10 or tight
                   else float(_unit(value, figures)) / 2 * 1.000001)
            if abs(value - target) <= tol:
                found.append((abs(value - target), i, k, w_k, step))
        if found:
            return min(found, key=lambda f: f[:2])[2:]
    # both numbers of a difference rounded, to different figures (0.887 - 0.80): the "shift" route (the
    # cross-entropy, reduced by H(P)) with the number it subtracts or adds rounded too
    pairs = [(a, b) for a in routes if a[1][0] == "shift" for b in routes if b[1][0] in ("subtracted", "added")]
    for (w, step), (v, other) in pairs:
        for k in range(max(least, 2), 5):
            for j in range(max(least, 2), 5):
                w_k, v_j = float(_round_sig(w, k)), float(_round_sig(v, j))
                if j == k or w_k in (0, w) or v_j in (0, v):
                    continue
                target = (_route_target(w_k, w, expected, step[0])
                          + _route_target(v_j, v, expected, other[0]) - expected)
                tol = (1e-9 * abs(target) if figures >= 10 or tight
                       else float(_unit(value, figures)) / 2 * 1.000001)
                if math.isfinite(target) and abs(value - target) <= tol:
                    literal = raw is None or raw == (w_k - v_j if other[0] == "subtracted" else w_k + v_j)
                    return (min(k, j), w_k, ("both", step[1], f"{step[2]}, itself rounded to "
                                                               f"{_plural(j, 'significant figure')} ({_show(v_j, j)})",
                                             k, literal))
    return None


def _truncated(value: float, truth: float) -> bool:
    """``value`` is ``truth`` cut off (not rounded) after the significant figures ``value`` has."""
    if not (math.isfinite(value) and math.isfinite(truth)) or value == 0 or truth == 0:
        return False
    if abs(value) >= abs(truth) or (value > 0) != (truth > 0):
        return False
    figures = significant_figures(value)
    unit = Decimal(1).scaleb(_dec(truth).adjusted() - figures + 1)
    return _dec(truth).quantize(unit, rounding=ROUND_DOWN) == _dec(value)


def _rounded_terms(weights, logs, terms_words, expected):
    """``partway`` for a weighted sum of logs: the sums of the terms, or of the weighted logs, rounded to 2-4 figures.

    ``weights * logs`` are the terms (in the answer's units); ``terms_words`` names them in the message. Only
    sums more than 1.5% from ``expected`` are kept: a nearer answer is already asked whether it rounded an
    intermediate number, and a truncated one told to round.
    """
    weights, logs = np.asarray(weights, float), np.asarray(logs, float)
    values = []
    for k in (2, 3, 4):
        values.append(sum(float(_round_sig(t, k)) if t else 0.0 for t in weights * logs))
        values.append(float(np.sum(weights * np.array([float(_round_sig(v, k)) if v else 0.0 for v in logs]))))
    values = [v for v in values if abs(v - expected) > 0.015 * abs(expected)]
    why = (f"The terms {terms_words}, or the logs in them, rounded to a few figures before they are summed, move "
           f"the sum's last figures.")
    return values, why


def _step_of(entry):
    """The step a mistake's advice applies to the learner's number: None or ``(kind, label, words)``."""
    value, explanation = entry[0], entry[1]
    step = entry[2] if len(entry) > 2 else None
    if step is None or step is False:
        return None
    if step is True:
        label = re.split(r"(?<=[a-z0-9)'²])\. ", explanation, maxsplit=1)[0].rstrip(".")
        return ("scale", label, "rescaled as that route's advice says")
    kind, label, words = step
    return (kind, label, words)


def _plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def _join(explanations, same=True):
    """One explanation, or several introduced as mistakes that give the same (``same``) or nearly the same number."""
    unique = list(dict.fromkeys(explanations))
    if len(unique) == 1:
        return unique[0]
    return ("more than one mistake, which give " + ("the same number" if same else "numbers within 1% of each other")
            + " with these data: " + " Or: ".join(unique))


def _dropped(value, shown, figures, sig):
    """Why a short answer is read with ``figures`` significant figures ("" when nothing needs saying)."""
    if figures >= sig or _show(value, sig) == shown:
        return ""
    if "." not in _show(value, sig):       # typing 110 drops no zero (typing 1.00 does): its trailing zero may or may not be significant
        return (f" (the trailing zero of a whole number may or may not be significant: {_show(value, sig)} may have "
                f"{figures} or {sig} significant figures, and is read here with {figures})")
    return f" (Python drops trailing zeros: typing {_show(value, sig)} gives {shown})"


def check_number(answer, expected, *, what="the answer", units="", mistakes=(), sig=3, hint=None,
                 negative=None, combine=None, nan=None, field=None, array_routes=(), partway=None,
                 rounding=True):
    """Compare ``answer`` with ``expected`` and with known wrong values, at the precision given.

    The precision policy of the module applies: at least 3 correct
    significant figures is right; fewer figures that are right as far as
    they go get "right, but give ``sig`` significant figures"; a mistake is
    named only when the answer matches it better than the right value.
    Float noise (``0.887 - 0.802``) is not precision. An answer that is a
    wrong-route value, rounded, then fixed as its advice says (a unit
    conversion, a factor, a subtraction), is right as far as the rounding
    allows when it is literally that product (float noise, or more figures
    than ``sig``); rounded again, it is asked whether it rounded an
    intermediate result. A mistake matched by fewer than 3 figures is
    hedged and the unrounded number asked for. An answer one unit off in
    its last figure is told to round (not truncate) only when it is the
    right value cut off.

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
    mistakes : sequence of (float, str) or (float, str, step)
        Wrong values and the explanation to show when the answer matches one.
        A third item marks a mistake whose advice acts on the learner's
        number: ``True`` for a rescaling (by ``expected / value``), or
        ``(kind, label, words)`` with ``kind`` one of ``"scale"``, ``"shift"``
        (adding ``expected - value``), ``"sqrt"`` or ``"square"``, ``label``
        naming the wrong route and ``words`` the step (``"converted to bits"``).
        An answer that is such a value rounded, then fixed as advised, is
        told so. The kinds ``"subtracted"`` and ``"added"`` mark a value that
        a right route subtracts from (or adds to) another number, such as
        H(P) in D(P||Q) = H(P, Q) - H(P): an answer that used it rounded
        (``expected + (value - rounded)``, or ``expected - (value - rounded)``)
        is told so too. Mistakes within 1% of each other are named together;
        an answer too short to tell apart mistakes further apart names them
        all.
    sig : int
        Significant figures the question asks for (3 or 4), quoted in messages.
    hint : str, optional
        Shown when the answer matches neither the right value nor a mistake.
    negative : str, optional
        Advice when the answer is negative, ``expected`` is not, and the
        answer without its sign matches nothing known.
    combine : str, optional
        Advice when the answer is an array of terms instead of one number.
    nan : str, optional
        Advice when the answer is NaN.
    field : str, optional
        The field of a named tuple (e.g. ``"psi"``) that holds the answer.
    array_routes : sequence of (callable, str)
        Reductions of an array answer to try first, with the advice to give
        when one of them is right.
    partway : (sequence of float, str), optional
        The values the right formula gives when its intermediate numbers
        are rounded on the way (to 2-4 significant figures, say), and why
        that matters here. An answer of at least 3 figures that matches no
        mistake but equals one of them, at its own precision (to 1e-9 for
        an answer of 8 or more figures), is told it is the right formula
        on rounded numbers and to carry every digit.
    rounding : bool
        False when the right computation has nothing to round on the way
        (a ratio of whole-number counts): an answer near the right value,
        not it rounded, is then not asked whether it rounded an
        intermediate result, only told to check each step.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_number(0.4240, 0.42401, what="x")
    Correct: x = 0.4240.
    >>> check_number(0.42, 0.42401, what="x")
    Right as far as it goes: 0.42 agrees with x to the 2 significant figures it has. Give 3 significant figures, or the unrounded number your code computes (Python drops trailing zeros: 0.420 is read as 0.42, and 0.420 is not x to 3 significant figures). If this is the full number your code computed, it is not the answer: check each step.
    >>> check_number(0.4712, 0.42401, what="x", mistakes=[(0.4712, "y.")])
    Not quite: 0.4712 matches y.
    >>> check_number(0.47, 0.42401, what="x", mistakes=[(0.4712, "y.")])
    Not quite: at the 2 significant figures it has (Python drops trailing zeros: typing 0.470 gives 0.47), 0.47 matches y. But 2 figures are too few to be sure it is this mistake: give the unrounded number your code computed to tell, and follow the advice on that number, not on 0.47. If this is the full number your code computed, it is not that mistake: check each step.
    """
    entries = [(float(m[0]), m[1], _step_of(m)) for m in mistakes if m[0] is not None]
    _record(what, expected, [(v, e) for v, e, _ in entries], sig)
    value, problem = _read_number(answer, expected, combine, nan, field, array_routes)
    if problem is not None:
        return problem
    noisy = math.isfinite(value) and _clean(value) != value
    raw, value = value, _clean(value)
    shown = _as_given(value)
    suffix = f" {units}" if units else ""
    if _accepted(value, expected):
        return Feedback(True, f"Correct: {what} = {_show(expected)}{suffix}.")

    def near(w, v):
        return abs(w - v) <= 0.01 * abs(v) or _exactly(w, v)

    def named(candidates):
        best = min(candidates, key=lambda m: m[0])
        close = [(w, e) for d, w, e in candidates if near(w, best[1])]
        if significant_figures(value) < _PRECISE:     # a full number is named only with what it equals
            close += [(w, e) for w, e, _ in entries if math.isfinite(w) and math.isfinite(best[1])
                      and abs(w - best[1]) <= 0.01 * abs(best[1])]
        order = {e: i for i, (_, e, _) in reversed(list(enumerate(entries)))}
        close.sort(key=lambda m: order.get(m[1], len(order)))       # the catalogue's order, whatever the answer
        return _join([e for _, e in close], same=all(_exactly(w, close[0][0]) for w, _ in close))

    def several(text):
        return text.startswith("more than one mistake")

    # a whole number that is exactly a mistake's value (2.0 = log2(4)) is that mistake: more figures
    # (2.00) would not change it, so "right as far as it goes" would be advice that cannot be followed
    # the same holds for a short decimal that is exactly a mistake's value (13/100 = 0.13) and is not the
    # right value rounded: it is that mistake's unrounded result, not a rounding of something else
    short = (math.isfinite(value) and value != 0
             and (_is_whole(value) or (significant_figures(value) < ACCEPTED_FIGURES
                                       and not _right_at(value, expected, significant_figures(value)))))
    exact = [(0.0, w, e) for w, e, _ in entries if short and _exactly(value, w)]
    if exact:
        n = significant_figures(value)
        also = (f" If you rounded {what} to get {shown}, it is right as far as it goes, to {n} significant "
                f"figure{'s' if n > 1 else ''} only: give {sig} significant figures."
                if _right_at(value, expected, significant_figures(value)) else
                "" if _is_whole(value) else
                f" {shown} is exactly that mistake's value: more figures would not change it.")
        text = named(exact)
        if several(text):
            also = also.replace("that mistake's value", "the value of each")
        return Feedback(False, f"Not quite: {shown} matches {text}{also}")
    figures = significant_figures(value)
    own = (figures < ACCEPTED_FIGURES and math.isfinite(value)
           and (_right_at(value, expected, figures)
                or (noisy and abs(value - expected) <= float(_unit(value, figures)))))
    routes = [(w, step) for w, _, step in entries if step is not None and step[0] != "undo"]
    undo = [(w, step) for w, _, step in entries if step is not None and step[0] == "undo"]
    # a rounded value that was then fixed as advised explains a short answer (fewer than 3 figures) only
    # when the answer is exactly that fixed value (0.168 / 3 = 0.056): a short answer's own rounding is
    # too coarse to tell routes apart. When the answer is also right as far as it goes, no route is
    # named ("give more figures" is all it needs), but it is not told to check its steps either.
    rescaled = (_rescaled_rounding(value, expected, routes, least=figures + 1 if own else 2,
                                   tight=own or noisy or figures < ACCEPTED_FIGURES, sig=sig,
                                   raw=raw if noisy else None)
                if not own or figures >= 2 else None)
    truncated = figures >= ACCEPTED_FIGURES and _truncated(value, expected)
    # a route's rounding is offered as the reading only when the number is literally a rounded value times
    # the advised step: it carries float noise, or more figures than the question asks for (4.19 could as
    # well be another mistake rounded, and the log10 route would give the unrounded 4.186..., not 4.19)
    # Float noise is not precision, and neither are the figures of a short decimal divided by a small whole
    # number (0.51 / 9 = 0.0567): terms rounded, then summed or averaged, give such numbers as well as a
    # rounded route fixed as advised, so the route is named only when the number has more figures than that
    # a difference of two rounded numbers is named only when the noisy answer is exactly that difference's float
    loose = None
    if rescaled is not None and not own and not (
            _plain_figures(value) > sig if rescaled[2][0] == "scale"
            else (noisy or figures > sig) and (rescaled[2][0] != "both" or rescaled[2][4])):
        loose, rescaled = rescaled, None

    def route_words(k, w_k, step):
        label, words = step[1], step[2]
        k = step[3] if step[0] == "both" else k          # the first number's own rounding
        return (f"{label}, rounded to {_plural(k, 'significant figure')} ({_show(w_k, k)}) and then "
                f"{words}")

    if truncated:       # the truncation reading is the plain one: it gets the truncation message below
        rescaled = None
    if rescaled is not None and not own:
        k, w_k, step = rescaled
        redo = (f"use the unrounded {step[1]} your code computed in that step" if step[0] in ("subtracted", "added")
                else "use both numbers unrounded, as your code computed them" if step[0] == "both"
                else "do that step on the unrounded number your code computed")
        return Feedback(False, f"Right as far as it goes: {shown} looks like {route_words(k, w_k, step)}. "
                               f"Rounded before that step, it agrees with {what} only as far as those {k} "
                               f"figures allow: {redo}, and round only at the end. Give {sig} significant "
                               f"figures.")
    if own:
        plural = "s" if figures > 1 else ""
        padded = _show(value, sig)
        longer = _show(value, figures + 1)
        # no route is named beside it: the answer is already right as far as it goes, and a rounded route
        # fixed as advised (0.168 / 3 = 0.056) is the right formula on a rounded number, nothing to correct
        # the right value simply rounded (0.22 = 22 / 100 too, a rounded percentage) needs no word on a route;
        # but its steps need no checking either when a rounded route fixed as advised gives it (0.168 / 3 = 0.056)
        also = (f" If you got it by a step on a number rounded on the way, do that step on the unrounded "
                f"number your code computed, and round only at the end."
                if rescaled is not None and not _right_at(value, expected, figures) else "")
        full = ("" if rescaled is not None else
                " If this is the full number your code computed, it is not the answer: check each step.")
        if _is_whole(value):
            more = (f"Give {sig} significant figures: Python reads {padded} as {shown}, and "
                    f"{what} to {sig} significant figures is not {padded}."
                    + (also or ("" if rescaled is not None else
                                f" If your code computed exactly {shown}, it is not the answer: check each step.")))
        elif noisy:
            more = (f"It looks like arithmetic on rounded numbers (without its float noise it is {shown}): "
                    f"redo that step with the unrounded numbers your code computed, and give {sig} "
                    f"significant figures.")
        elif figures + 1 < sig and _right_at(value, expected, figures + 1):
            return Feedback(False, f"Right as far as it goes: Python reads your answer as {shown}, which has "
                                   f"{_plural(figures, 'significant figure')} (it drops trailing zeros, so "
                                   f"{longer} is read as {shown} too), and {shown} agrees with {what} to that "
                                   f"precision. If you meant {longer}, that is right to {figures + 1} significant "
                                   f"figures, but the question asks for {sig}: give {sig} significant figures, "
                                   f"or the unrounded number your code computes.{also}")
        else:
            more = (f"Give {sig} significant figures, or the unrounded number your code computes (Python drops "
                    f"trailing zeros: {padded} is read as {shown}, and {padded} is not {what} to {sig} "
                    f"significant figures)."
                    + (also or full))
        if _right_at(value, expected, figures):
            return Feedback(False, f"Right as far as it goes: {shown} agrees with {what} to the {figures} "
                                   f"significant figure{plural} it has. {more}")
        return Feedback(False, f"Almost: {shown} is within one unit in its last figure of {what}, as arithmetic "
                               f"on rounded numbers can be, but not {what} rounded. {more}")
    if figures < ACCEPTED_FIGURES and _truncated(value, expected):
        # the right value cut off (0.21 for 0.218): right as far as it goes. Read as rounded, it may match a
        # mistake, but no concept is blamed on a short number: the unrounded number tells the two apart
        rounded_mistake = any(_matches(value, w, expected) for w, _, _ in entries)
        return Feedback(False, f"Right as far as it goes, but cut off: {shown} is {what} cut off after "
                               f"{_plural(figures, 'significant figure')}, so its last digit is one too small. "
                               f"Round (do not truncate) the unrounded number your code computed, and give {sig} "
                               f"significant figures, or give that number itself."
                               + (f" If you rounded rather than cut off, {shown} is not {what} rounded and may be "
                                  f"a known mistake: the unrounded number will tell." if rounded_mistake else "")
                               + f" If this is the full number your code computed, it is not {what}: check "
                                 f"each step.")
    matched = [(_distance(value, w), w, e) for w, e, _ in entries if _matches(value, w, expected)]
    if matched:
        groups = []                      # mistakes within 1% of each other form one group
        for d, w, e in sorted(matched, key=lambda m: m[0]):
            for group in groups:
                if near(w, group[0][1]):
                    group.append((d, w, e))
                    break
            else:
                groups.append([(d, w, e)])
        dropped = _dropped(value, shown, figures, sig)
        if (len(groups) == 1 and figures < ACCEPTED_FIGURES
                and not any(_exactly(value, w) for _, w, _ in matched)):
            # too few figures to be sure (unless the answer IS the mistake's value, 0.4 = 2/5): the
            # mistake's advice, applied to this rounded number, can fail
            text = named(matched)
            return Feedback(False, f"Not quite: at the {_plural(figures, 'significant figure')} it has"
                                   f"{dropped}, {shown} matches {text} But {figures} figure"
                                   f"{'s are' if figures > 1 else ' is'} too few to be sure it is "
                                   + ("one of these mistakes" if several(text) else "this mistake")
                                   + f": give the unrounded number your code computed to tell, and follow the "
                                     f"advice on that number, not on {shown}. If this is the full number your code "
                                     f"computed, it is not " + ("any of them" if several(text) else "that mistake")
                                   + ": check each step.")
        if len(groups) == 1:
            return Feedback(False, f"Not quite: {shown} matches {named(matched)}")
        dropped = _dropped(value, shown, figures, sig)
        return Feedback(False, f"Not quite: at the {_plural(figures, 'significant figure')} it has{dropped}, "
                               f"{shown} matches more than one known mistake, which more figures would tell "
                               f"apart. It matches "
                               + " Or it matches ".join(named(g) for g in groups)
                               + f" Give the unrounded number your code computed to tell which. If this is the "
                                 f"full number your code computed, it is not any of them: check each step.")
    if (not rounding and not truncated and math.isfinite(value) and math.isfinite(expected)
            and abs(value - expected) <= 0.015 * abs(expected)):
        # whole-number counts leave nothing to round on the way: only the final number can be rounded
        return Feedback(False, f"Close, but not {what}: {shown} is near it but not it rounded, and {what} is "
                               f"made of whole-number counts, with nothing to round on the way. Check each step: "
                               + (hint or "the formula, the arguments and the units."))
    if partway and figures >= ACCEPTED_FIGURES and math.isfinite(value):
        values, why = partway
        tol = (1e-9 * abs(value) if figures >= _PRECISE
               else float(_unit(value, figures)) / 2 * 1.000001)
        if any(math.isfinite(v) and abs(value - v) <= tol for v in values):
            return Feedback(False, f"Almost: {shown} is what the right formula gives for {what} when an intermediate "
                                   f"result is rounded on the way. {why} Redo the computation from the unrounded values "
                                   f"your code computes, and round only at the end, to {sig} significant "
                                   f"figures. If your code rounded nothing on the way, {shown} is not {what}: "
                                   f"check each step.")
    # reversing a wrong conversion on a rounded number (0.204 / ln2 / ln2) keeps only the precision
    # of that rounding: an intermediate was rounded, the formula is not wrong
    undone = (figures >= ACCEPTED_FIGURES
              and _rescaled_rounding(value, expected, undo, least=ACCEPTED_FIGURES, sig=sig) is not None)
    # a short answer (0.087) that a rounded route gives exactly (0.887 - 0.80) is that rounding too
    if (math.isfinite(value) and math.isfinite(expected) and expected != 0
            and (figures >= ACCEPTED_FIGURES or loose)
            and (abs(value - expected) <= 1.5 * float(_unit(value, figures)) or loose or undone)):
        if (loose or undone) and not truncated:
            return Feedback(False, f"Almost: {shown} is as close to {what} as a result rounded on the way can be, "
                                   f"but it is not {what} correctly rounded. Did you round an intermediate "
                                   f"result, then convert it or combine it with another number"
                                   + (", or round the terms before summing"
                                      if noisy or _plain_figures(value) < figures else "")
                                   + f"? Redo the computation from the unrounded values your code computed, and "
                                     f"round only at the end, to {sig} significant figures."
                                   # a rounding on the way is one reading; another quantity that rounds to the
                                   # same figures (H(english) for H(spanish, english)) is the other
                                   + f" If your code rounded nothing on the way, {shown} is not {what}: check "
                                     f"each step" + (f": {hint}" if hint else "."))
        if truncated:
            # a rounded route that also gives it (4.2 - H(spanish) = 0.1726, rounded: 0.173) is named, since
            # rounding the number that route computed gives the same number again
            if loose:
                return Feedback(False, f"Almost: {shown} is {what} cut off after {figures} significant figures, "
                                       f"so its last digit is one too small, or a result rounded on the way: it is "
                                       f"also {route_words(*loose)}. Round (do not truncate) the unrounded number "
                                       f"your code computed to {sig} significant figures, or give that number "
                                       f"itself; if your code rounded a number on the way (that one, or terms "
                                       f"before they were summed), redo the computation from the unrounded "
                                       f"numbers, and round only at the end.")
            return Feedback(False, f"Almost: {shown} is {what} cut off after {figures} significant figures, "
                                   f"so its last digit is one too small, or a result rounded on the way (terms "
                                   f"rounded before they were summed, say). Round (do not truncate) the unrounded "
                                   f"number your code computed to {sig} significant figures, or give that number "
                                   f"itself; if your code rounded terms on the way, sum the unrounded terms.")
        if not (noisy or loose or undone) and not _right_at(value, expected, figures):
            # no rounding route gives this number, and it does not agree with the answer to its figures
            return Feedback(False, f"Almost: {shown} is close to {what}, but it is not {what} correctly rounded "
                                   f"to {_plural(figures, 'significant figure')}. If this is the full number your "
                                   f"code computed, check each step.")
        return Feedback(False, f"Almost: {shown} agrees with {what} to about {figures} significant figures, but "
                               f"it is not {what} correctly rounded. Did you round an intermediate result, then "
                               f"convert it or combine it with another number? Redo the computation from the "
                               f"unrounded values your code computed, and round only at the end, to {sig} "
                               f"significant figures.")
    if expected >= 0 and value < 0:
        start = f"Not quite: {what} cannot be negative, and your answer is {shown}."
        flipped = [(_distance(-value, w), w, e) for w, e, _ in entries if _matches(-value, w, expected)]
        if flipped:
            return Feedback(False, f"{start} Without its sign it would match {named(flipped)}")
        return Feedback(False, f"{start} " + (negative or "Check the sign."))
    # float noise (0.42200000000000004), or a few units off in the last figure: terms rounded before summing
    # give that, whatever the formula
    summed = (math.isfinite(value) and math.isfinite(expected) and expected != 0
              and (noisy or (figures == sig and abs(value - expected) <= 5 * float(_unit(expected, sig)))))
    if math.isfinite(value) and math.isfinite(expected) and abs(value - expected) <= 0.015 * abs(expected):
        # within 1.5% (0.2422 for 0.2426): rounded logs or intermediates leave results that near, so that reading
        # comes first, and the formula second, for a learner who rounded nothing
        return Feedback(False, f"Close, but not {what}: {shown} is near it, as a result can be when an intermediate "
                               f"number was rounded on the way. Did you round one"
                               + (", or round the terms before summing" if summed else "")
                               + f"? Redo the computation from the unrounded values your code computed, and round "
                                 f"only at the end. If your code rounded nothing, check each step: "
                               + (hint or "the formula, the arguments and the units."))
    # float noise alone (1 - np.sum(p**2) = 0.4800000000000001) is no sign of rounded terms: only an answer a
    # few units in the last asked figure from the right value is asked about them
    summed = summed and abs(value - expected) <= 5 * float(_unit(expected, sig))
    return Feedback(False, f"Not yet: {shown} is not {what}. " + (hint or "Check each step again.")
                    + (" Or did you round the terms before summing? Sum the unrounded terms." if summed else ""))


# --- units ---------------------------------------------------------------------------------

_LOG_FN = {None: "np.log", 2: "np.log2", 10: "np.log10"}


def _unit_words(base):
    # unit_name's words, except base 10: "base-10 units" tells a learner more than "hartleys"
    return "base-10 units" if base == 10 else unit_name(base)


def _computed_with(base):
    fn = _LOG_FN[base] if base in _LOG_FN else f"np.log(x) / np.log({base:g})"
    return f"{_unit_words(base)} (computed with {fn})"


def _log_expr(base):
    return f"np.log({base:g})"


def _conversion(other, base, root=False):
    """How to turn a value computed in ``other`` units into ``base`` units: (verb, expression)."""
    if other is None:                       # nats -> base: divide by ln(base)
        verb, expr = "divide", _log_expr(base)
    elif base is None:                      # other -> nats: multiply by ln(other)
        verb, expr = "multiply", _log_expr(other)
    else:                                   # other -> base: multiply by ln(other) / ln(base)
        verb, expr = "multiply", f"{_log_expr(other)} / {_log_expr(base)}"
    if root:
        expr = f"np.sqrt({expr})"
    return verb, expr


def _unit_mistakes(value_in, what, base, *, root=False):
    """Wrong values from using another logarithm base, each with advice that, followed, is right.

    Each value converted the right way is ``value_in(base)``; the advice acts
    on the unrounded number. Values converted the wrong way (multiplied where
    the conversion divides) are named too. ``root`` marks a square-root
    quantity (the Jensen-Shannon distance): its conversion factor is the
    square root of the divergence's.
    """
    out = []
    right = value_in(base)
    for other in (None, 2, 10):
        if other == base:
            continue
        verb, expr = _conversion(other, base, root)
        why = " (a distance is a square root, so its factor is the square root of the divergence's)" if root else ""
        wrong = value_in(other)
        out.append((wrong,
                    f"{what} in {_computed_with(other)}. The question asks for {_unit_words(base)}: use "
                    f"{_LOG_FN.get(base, 'np.log')} throughout, or {verb} the unrounded number your code "
                    f"computed by `{expr}`{why}.",
                    ("scale", f"{what} in {_unit_words(other)}", f"converted to {_unit_words(base)}")))
        if wrong and math.isfinite(wrong) and math.isfinite(right) and right:
            backwards = "multiplied" if verb == "divide" else "divided"
            out.append((wrong * wrong / right,
                        f"{what} in {_unit_words(other)}, converted the wrong way: you {backwards} by `{expr}`. "
                        f"Go back to the unrounded number in {_unit_words(other)} and {verb} it by `{expr}`.",
                        # "undo": reversing the step on a rounded value is an intermediate rounded, not a route
                        ("undo", f"{what} in {_unit_words(other)}, converted the wrong way",
                         "converted back")))
    return out


# --- notebooks 01-02: KL and entropy -------------------------------------------------------

def _normalise_advice(a, b, count_names):
    """How to normalise, in the exercise's names (no variable the learner does not have)."""
    if count_names:
        ca, cb = _names(count_names)
        return f"{a} = {ca} / {ca}.sum() and {b} = {cb} / {cb}.sum()"
    return "divide each vector of counts by its own total"


def check_kl(answer, p, q, *, base=None, names=("P", "Q"), count_names=None, sig=3):
    """Check an answer for D(P||Q); ``p`` and ``q`` may be counts (normalised here).

    ``names`` are the exercise's names for P (the reference, first) and Q
    (the model, second); the messages speak in them. When ``p`` and ``q``
    are counts, ``count_names`` names the exercise's count variables, so
    the normalising advice runs as written. Recognised mistakes: another
    log base (either way round), swapped arguments D(Q||P), unnormalised
    counts (both, or one side only), the cross-entropy H(P, Q), the swapped
    cross-entropy H(Q, P), the
    entropy H(P) (which, rounded and then subtracted from the cross-entropy,
    is a rounding on the way), D(P||Q) x 100 (a percentage), the sum of
    both directions D(P||Q) + D(Q||P), the mean (np.mean) instead of the
    sum of the weighted terms, the unweighted sum and the unweighted mean
    of log ratios, -D(P||Q) (the ratio upside down, or H(P) - H(P, Q)),
    and a zero mask applied to P only.

    Examples
    --------
    >>> check_kl(0.75, [0.5, 0.5], [0.9, 0.1])
    Not yet: 0.75 is not D(P||Q). Weight each log(P(x)/Q(x)) by P(x) and sum over outcomes; P is the reference, the first argument.
    >>> check_kl(0.3681, [0.5, 0.5], [0.9, 0.1], names=("P_fair", "Q_biased"))
    Not quite: 0.3681 matches D(Q_biased||P_fair): the arguments are swapped. The question puts P_fair first, as the reference: sum P_fair(x) log(P_fair(x)/Q_biased(x)).
    """
    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    what = f"D({a}||{b})"
    per = log_base(base)
    expected = kl_divergence(pn, qn, base=base)
    mistakes = _unit_mistakes(lambda bb: kl_divergence(pn, qn, base=bb), what, base)
    mistakes.append((kl_divergence(qn, pn, base=base),
                     f"D({b}||{a}): the arguments are swapped. The question puts {a} first, as the "
                     f"reference: sum {a}(x) log({a}(x)/{b}(x))."))
    raw_p, raw_q = np.asarray(p, float), np.asarray(q, float)
    p_raw, q_raw = not np.isclose(raw_p.sum(), 1), not np.isclose(raw_q.sum(), 1)
    how = _normalise_advice(a, b, count_names)
    if p_raw or q_raw:
        mistakes.append((float(np.sum(rel_entr(raw_p, raw_q))) / per,
                         f"the sum over the raw counts, which are not probabilities. Normalise first: {how}."))
    with np.errstate(divide="ignore", invalid="ignore"):
        if q_raw:
            mistakes.append((float(np.sum(rel_entr(pn, raw_q))) / per,
                             f"{a} normalised but {b} left as counts. Normalise both: {how}."))
        if p_raw:
            mistakes.append((float(np.sum(rel_entr(raw_p, qn))) / per,
                             f"{b} normalised but {a} left as counts. Normalise both: {how}."))
    h = entropy(pn, base=base)
    if h > 0:
        mistakes.append((cross_entropy(pn, qn, base=base),
                         f"the cross-entropy H({a}, {b}) = H({a}) + {what}: it also counts H({a}). "
                         f"Subtract H({a}) from the unrounded cross-entropy your code computed, or sum "
                         f"{a}(x) log({a}(x)/{b}(x)) directly.",
                         ("shift", f"the cross-entropy H({a}, {b})", f"reduced by H({a})")))
    def apart(w):     # a mistake within 1% of the answer would be nearly right by coincidence
        return abs(w - expected) >= 0.01 * abs(expected)

    if h > 0 and apart(h):
        # its step: H(P) rounded, then subtracted from the unrounded cross-entropy (the CE - H route)
        mistakes.append((h, f"H({a}), the entropy of {a} alone: {what} compares {a} with {b}, "
                            f"sum {a}(x) log({a}(x)/{b}(x)), with {b}'s probabilities in the log.",
                         ("subtracted", f"H({a})", f"subtracted from the cross-entropy H({a}, {b})")))
    if expected > 0 and math.isfinite(expected):
        mistakes.append((100 * expected, f"{what} x 100, as a percentage: a divergence is not a percentage. "
                                         f"Divide the unrounded number by 100.",
                         ("scale", f"{what} x 100", "divided by 100")))
    jeffreys = expected + kl_divergence(qn, pn, base=base)
    if math.isfinite(jeffreys) and apart(jeffreys):
        mistakes.append((jeffreys, f"D({a}||{b}) + D({b}||{a}), both directions added (the Jeffreys divergence): "
                                   f"{what} is one direction only, sum {a}(x) log({a}(x)/{b}(x))."))
    with np.errstate(divide="ignore"):
        swapped_ce = cross_entropy(qn, pn, base=base)
    if math.isfinite(swapped_ce) and apart(swapped_ce):
        mistakes.append((swapped_ce, f"the cross-entropy H({b}, {a}) = -sum {b}(x) log {a}(x): {b} weights the "
                                     f"sum and {a} is in the log, the roles swapped. {what} weights by {a}, the "
                                     f"reference: sum {a}(x) log({a}(x)/{b}(x))."))
    k_out = len(pn)
    if expected > 0 and k_out > 1 and apart(expected / k_out):
        mistakes.append((expected / k_out,
                         f"the mean of the weighted terms {a}(x) log({a}(x)/{b}(x)) (np.mean), which divides "
                         f"their sum by the {k_out} outcomes. The weights {a}(x) already average: sum the "
                         f"terms (np.sum), or multiply the unrounded mean by {k_out}.",
                         ("scale", "the mean of the weighted terms", f"multiplied by {k_out}")))
    if expected > 0:
        mistakes.append((-expected, f"minus {what}: either the ratio inside the log is upside down "
                                    f"({b}(x) on top), or a subtraction is the wrong way round "
                                    f"(H({a}) - H({a}, {b}); {what} = H({a}, {b}) - H({a}))."))
    support = pn > 0
    with np.errstate(divide="ignore"):
        log_ratio = np.log(pn[support] / qn[support]) / per
        mistakes.append((float(np.sum(log_ratio)),
                         f"the sum of log({a}(x)/{b}(x)) without weights: multiply each term by {a}(x)."))
        if support.all() and not np.allclose(pn, pn[0]):     # for a uniform P the plain mean is right
            mistakes.append((float(np.mean(log_ratio)),
                             f"the plain mean of log({a}(x)/{b}(x)) over outcomes (np.mean), which weights "
                             f"every outcome equally. Weight each term by {a}(x) and sum instead."))
            mistakes.append((-float(np.mean(log_ratio)),
                             f"the plain mean of log({b}(x)/{a}(x)) (np.mean): the terms need the weights "
                             f"{a}(x), and the ratio {a}(x) on top: sum {a}(x) log({a}(x)/{b}(x))."))
        elif support.sum() == 1 and np.all(qn > 0):
            only = pn[support][0]
            mistakes.append((float(only * np.sum(np.log(only / qn))) / per,
                             f"the zero mask applied to {a} only: {a}[m] then broadcasts against every "
                             f"{b}(x). Use one mask on both arrays: m = {a} > 0, then {a}[m] and {b}[m]."))
    return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"Weight each log({a}(x)/{b}(x)) by {a}(x) and sum over outcomes; "
                             f"{a} is the reference, the first argument.",
                        negative=f"A KL divergence is never negative (Gibbs' inequality). A negative sum "
                                 f"comes from weights that are missing or do not sum to 1 (normalise both "
                                 f"distributions, and weight each log({a}(x)/{b}(x)) by {a}(x)), or from a "
                                 f"ratio or subtraction the wrong way round.",
                        combine=f"Sum the terms {a}(x) log({a}(x)/{b}(x)) over outcomes.",
                        partway=(_rounded_terms(pn[support], log_ratio, f"{a}(x) log({a}(x)/{b}(x))", expected)
                                 if np.all(qn[support] > 0) else None),
                        nan=_nan_for(pn, a, b, base))


def check_entropy(answer, p, *, base=None, name="P", sig=3):
    """Check an answer for H(P); ``p`` may be counts (normalised here).

    Recognised mistakes: another log base, the missing minus sign, the
    unweighted sum of -log p, the mean (np.mean) of the terms, the entropy
    of a uniform distribution (log K, a fixed-length code in bits) and, in
    bits, the average length of
    a Huffman code, which is at least H(P) and can be above it.

    Examples
    --------
    >>> check_entropy(1.0, [0.5, 0.5], base=2)
    Correct: H(P) = 1.000 bits.
    >>> check_entropy(-1.0, [0.5, 0.5], base=2)
    Not quite: -1.0 matches the sum without its minus sign: H(P) = -sum P(x) log P(x), and each log P(x) is negative or 0, so H(P) >= 0.
    """
    pn = _probabilities(p, "p")
    what = f"H({name})"
    expected = entropy(pn, base=base)
    mistakes = _unit_mistakes(lambda b: entropy(pn, base=b), what, base)
    support = pn > 0
    mistakes.append((float(-np.sum(np.log(pn[support]))) / log_base(base),
                     f"the sum of -log {name}(x) without weights: multiply each term by {name}(x)."))
    if expected > 0:
        mistakes.append((-expected, f"the sum without its minus sign: {what} = -sum {name}(x) log {name}(x), "
                                    f"and each log {name}(x) is negative or 0, so {what} >= 0."))
    k = int(support.sum())
    for n in sorted({len(pn), k}):      # np.mean over every term, or over the terms left by a mask
        if expected > 0 and n > 1:
            mistakes.append((expected / n, f"the mean of the {n} terms -{name}(x) log {name}(x) (np.mean), not "
                                           f"their sum: the weights {name}(x) already average, so sum the terms "
                                           f"(np.sum), or multiply the unrounded mean by {n}.",
                             ("scale", f"the mean of the {n} terms", f"multiplied by {n}")))
    if base == 2 and k > 1:
        huffman = float(np.dot(pn, huffman_lengths(pn)))
        if not _accepted(huffman, expected):
            mistakes.append((huffman, f"the average length of a Huffman code for {name}, whole bits per symbol. "
                                      f"The entropy is the bound below it: -sum {name}(x) log2 {name}(x), the "
                                      f"average of the ideal lengths -log2 {name}(x)."))
    if k > 1 and not np.allclose(pn[support], 1 / k):
        log_k = math.log(k) / log_base(base)
        fixed = (f" (the length of a fixed-length code: {log_k:g} bits for each of {k} outcomes)"
                 if base == 2 and log_k.is_integer() else "")
        mistakes.append((log_k, f"{_LOG_FN.get(base, 'np.log')}({k}), the entropy of a uniform distribution over "
                                f"{k} outcomes{fixed}. {name} is not uniform: weight each -log {name}(x) by "
                                f"{name}(x) and sum."))
    return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"{what} = -sum {name}(x) log {name}(x)"
                             + (", with 0 log 0 = 0." if k < len(pn) else "."),
                        negative=f"Check the minus sign in front: {what} = -sum {name}(x) log {name}(x).",
                        combine=f"Sum the terms -{name}(x) log {name}(x) over outcomes.",
                        partway=_rounded_terms(pn[support], -np.log(pn[support]) / log_base(base),
                                               f"-{name}(x) log {name}(x)", expected),
                        nan=_nan_for(pn, name, None, base))


# --- multiple choice -------------------------------------------------------------------------

#: The notebooks' multiple-choice questions: exercise id -> (right option, explanation per option).
#: Kept here, not in the notebooks, so a student copy does not show the answer.
CHOICES = {
    "01-ex4": ("b", {
        "a": "P is zero on the third outcome, and terms with p(x) = 0 contribute 0; Q covers all of P's "
             "outcomes, so D(P||Q) is finite.",
        "b": "Q gives the third outcome probability 0.3 but P calls it impossible, so the term "
             "q log(q/p) of D(Q||P) is infinite.",
        "c": "Only one direction has a model that calls a real outcome impossible. Which distribution "
             "is the reference in each?",
        "d": "Look for an outcome with positive probability under the first argument and zero under the second.",
    }),
    "03-ex4": ("a", {
        "a": "input is log Q (the model's log-probabilities), target is P, and 'batchmean' divides the "
             "sum by the number of examples.",
        "b": "That puts the reference in the model's place: it computes D(Q||P), the other direction.",
        "c": "'mean' divides by examples x classes, so it reports the mean KL divided by the number of "
             "classes; use 'batchmean'.",
        "d": "input must be log-probabilities; with probabilities the result is not a divergence.",
    }),
    "04-ex4": ("a", {
        "a": "Forward KL, D(P||Q), is mass-covering: Q is punished wherever P has mass that Q misses, so "
             "it spreads over both modes.",
        "b": "Reverse KL, D(Q||P), is mode-seeking: with well-separated modes it locks onto one of them "
             "(section 2).",
        "c": "KL is symmetric only in special cases (for Gaussians, equal variances), and P here is not "
             "Gaussian; the two directions give very different fits.",
        "d": "The forward fit does cover both modes (it matches P's mean and variance), at the price of "
             "mass between them.",
    }),
    "05-ex4": ("c", {
        "a": "KL has no units of x: both densities are divided by the same factor 1.8, which cancels in p/q.",
        "b": "That shift happens to differential entropy, not to KL: the log 1.8 terms of p and q cancel "
             "in log(p/q).",
        "c": "KL is invariant under a change of variables: the Jacobian factor cancels in the ratio p/q.",
        "d": "The two computations describe the same pair of distributions, just in other units.",
    }),
    "06-ex3": ("b", {
        "a": "The threshold ignores the sample size. The plug-in estimate is biased upwards even without "
             "drift, each direction of KL by about (K - 1)(1/n + 1/m)/2 nats (section 4), and PSI adds "
             "both directions; with 10 bins and 30 values per side that bias alone is larger than the "
             "threshold.",
        "b": "With 10 bins and 30 values per side, two samples of the same distribution often give a PSI "
             "above 0.25: the plug-in estimate is biased upwards, and more so on small samples. Only a "
             "test calibrated for n and m (a permutation test) can tell.",
        "c": "It can (with smoothing for the empty bins); the problem is interpreting it, not computing it.",
    }),
    "06-ex4": ("b", {
        "a": "D(ref||cur) weights the log ratio by the reference: it is the extra cost of a model of this "
             "week's data used on reference data, the opposite question.",
        "b": "This week's data are what the model now meets, so their distribution comes first and weights "
             "the log ratio; the reference, the model's picture of the world, is second. It is infinite when "
             "this week fills a bin the reference left empty: smooth, as in Exercise 1.",
        "c": "KL is not symmetric: the two directions weight the log ratio by different distributions, and "
             "agree only in special cases.",
        "d": "PSI is the sum of both directions, D(ref||cur) + D(cur||ref): it adds the cost of the opposite "
             "question, so it is not the expected extra cost on this week's data.",
    }),
}

_OPTION = re.compile(r"^\(?\s*([A-Za-z0-9]+)\s*[).:]?$")


_LEADING_OPTION = re.compile(r"^(?:option\s+\(?\s*([A-Za-z0-9])\s*\)?\s*[).:]?(?:\s+.*)?"
                             r"|(?:(?:the|my)\s+)?answer(?:\s+is\b|\s*[:=-]|(?=\s+\(?\s*[A-Za-z0-9]\s*\)?\s*(?:[).:,]|$)))\s*:?\s*(?:option\s+)?\(?\s*([A-Za-z0-9])\s*\)?\s*"
                             r"(?:[).:,]\s*.*|\s+.*)?"
                             r"|\(\s*([A-Za-z0-9])\s*\).*|([A-Za-z0-9])\s*(?:\)\s*|,\s*|[.:]\s+|\s[-\u2013\u2014]\s+).*"
                             r"|([A-Za-z0-9])\s+(?:because|since|as)\b.*)$",
                             re.IGNORECASE | re.DOTALL)


def _named_options(text, options):
    """The option letters a written answer names beside its first one (``"a, b"``, ``"(a) or (b)"``,
    ``"a b"``): a letter in option form anywhere (``(b)``, ``b)``), or standing alone in a list of
    letters. An article or a letter in a sentence (``"a, because b is mode-seeking"``) is not one."""
    letters = sorted((o for o in options if len(o) == 1), key=len)
    if len(letters) < 2:
        return []
    alt = "|".join(re.escape(o) for o in letters)
    item = rf"\(?\s*(?:{alt})\s*\)?"
    sep = r"\s*(?:[,;/&+]|\s(?:or|and)\s|\s)\s*(?:(?:or|and)\s+)?"
    named = []
    if re.fullmatch(rf"(?:option\s+|(?:(?:the|my)\s+)?answers?(?:\s+(?:is|are)\b|\s*[:=-])?\s*)?"
                    rf"{item}(?:{sep}{item})+\s*[.]?", text, re.IGNORECASE):
        named = re.findall(rf"(?<![A-Za-z0-9])({alt})(?![A-Za-z0-9])", text, re.IGNORECASE)
    else:
        named = [m.group(1) or m.group(2) for m in re.finditer(
            rf"\(\s*({alt})\s*\)|(?<![A-Za-z0-9(])({alt})\)", text, re.IGNORECASE)]
        lead = re.match(rf"\s*(?:option\s+)?\(?\s*({alt})\s*\)?\s*[,;/&+]\s*(?:(?:or|and)\s+)?\(?\s*({alt})\s*\)?"
                        rf"\s*(?:[,;/&+.]|$|\s(?:or|and)\b)", text, re.IGNORECASE)
        if lead:
            named += [lead.group(1), lead.group(2)]
    named = list(dict.fromkeys(n.lower() for n in named))
    return named if len(named) > 1 else []


def _option(answer, options=()) -> str:
    """``"(a)"``, ``"a)"``, ``" A "`` and ``"a."`` all read as option ``"a"``.

    So do an option letter followed by its text (``"(b) Nothing yet"``,
    ``"b) Nothing yet"``, ``"b, because ..."``, ``"B - reverse"``, ``"b because ..."``, ``"b since ..."``), ``"Option b"``, ``"answer b"``,
    ``"the answer is b"``, ``"answer: b"`` and ``"my answer = b"``, when that letter is one of ``options``.
    An answer naming two options (``"a, b"``) is caught before, by :func:`_named_options`.
    """
    text = str(answer).strip().strip("'\"").strip()
    m = _OPTION.match(text)
    choice = (m.group(1) if m else text).lower()
    if choice not in options:
        lead = _LEADING_OPTION.match(text)
        if lead:
            letter = next(g for g in lead.groups() if g).lower()
            if letter in options:
                return letter
    return choice


def check_choice(answer, correct, explanations=None):
    """Check a multiple-choice answer, explaining every option.

    Parameters
    ----------
    answer : str
        The learner's choice, e.g. ``"b"``; ``"B"``, ``"(b)"`` and ``"b)"`` read the same.
    correct : str
        An exercise id of :data:`CHOICES` (e.g. ``"01-ex4"``), whose right
        option and explanations are kept there; or, with ``explanations``, the right option.
    explanations : dict, optional
        Option -> why it is right or wrong (when ``correct`` is an option).

    Examples
    --------
    >>> check_choice("(A)", "b", {"a": "No: KL is not symmetric.", "b": "Yes."})
    Not quite: No: KL is not symmetric.
    >>> bool(check_choice("b)", "01-ex4")), bool(check_choice("(b) Nothing yet", "06-ex3"))
    (True, True)
    """
    if explanations is None:
        if correct not in CHOICES:
            raise KeyError(f"{correct!r} is not a multiple-choice exercise id; known ids: "
                           + ", ".join(sorted(CHOICES)) + ". Or pass the right option and explanations.")
        correct, explanations = CHOICES[correct]
    listed = ", ".join(repr(k) for k in explanations)
    if answer is ... or answer is None:
        return Feedback(False, f"No answer yet: replace ... with one of {listed}.")
    options = {str(k).strip().lower(): v for k, v in explanations.items()}
    several = _named_options(str(answer).strip().strip("'\"").strip(), options)
    if several:
        return Feedback(False, f"{answer!r} names more than one option ({', '.join(several)}): give one letter, "
                               f"the option you choose, in quotes (answer = \"...\" with one of {listed}).")
    choice = _option(answer, options)
    if choice not in options:
        return Feedback(False, f"{answer!r} is not one of the options {listed}: answer with the letter of "
                               f"your choice alone, in quotes (answer = \"...\" with one of {listed}).")
    if choice == str(correct).strip().lower():
        return Feedback(True, f"Correct: {options[choice]}")
    return Feedback(False, f"Not quite: {options[choice]}")


# --- notebooks 02-04: coding, cross-entropy, asymmetry ---


__all__ += ["check_cross_entropy", "check_huffman_length", "check_js", "check_total_variation",
            "significant_figures"]


def check_cross_entropy(answer, p, q, *, base=None, names=("P", "Q"), sig=3):
    """Check an answer for the cross-entropy H(P, Q); ``p`` and ``q`` may be counts.

    Recognised mistakes: another log base, D(P||Q) (the entropy H(P) left
    out), H(P) alone, H(Q) alone, the swapped H(Q, P), the unweighted sum of -log q,
    the sum of Q's probabilities (1 for every distribution), the mean of the
    terms (np.mean) instead of their sum and, for a one-hot P, -log q of a
    class whose label is 0, q of the labelled class without its log, and 1 - q
    of the labelled class (an error rate).

    Examples
    --------
    >>> check_cross_entropy(0.152, [1, 0], [0.9, 0.1], base=2)
    Correct: H(P, Q) = 0.1520 bits.
    """
    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    what = f"H({a}, {b})"
    mistakes = _unit_mistakes(lambda bb: cross_entropy(pn, qn, base=bb), what, base)
    h = entropy(pn, base=base)
    if h > 0:      # for a one-hot P, H(P) = 0 and D(P||Q) is the cross-entropy itself
        mistakes += [
            (kl_divergence(pn, qn, base=base),
             f"D({a}||{b}), the extra part only. The cross-entropy also counts H({a}): "
             f"H({a}, {b}) = H({a}) + D({a}||{b}) = -sum {a}(x) log {b}(x). Add H({a}) to the unrounded "
             f"number your code computed, or compute -sum {a}(x) log {b}(x) directly.",
             ("shift", f"D({a}||{b})", f"increased by H({a})")),
            (h, f"H({a}), the cross-entropy of {a} with itself. Use {b}'s probabilities "
                f"inside the log: -sum {a}(x) log {b}(x).",
             ("added", f"H({a})", f"added to D({a}||{b})")),       # the D + H route with H(P) rounded
        ]
    h_q = entropy(qn, base=base)
    expected = cross_entropy(pn, qn, base=base)
    if abs(h_q - expected) >= 0.01 * abs(expected):     # closer, it would be nearly right by coincidence
        mistakes.append((h_q, f"H({b}), the entropy of {b} alone: each -log {b}(x) must be weighted by "
                              f"{a}(x), the distribution the events come from: -sum {a}(x) log {b}(x)."))
    mistakes.append((cross_entropy(qn, pn, base=base),
                     f"H({b}, {a}): the arguments are swapped. {a}, the distribution the events come from, "
                     f"weights the sum; {b}'s probabilities go inside the log."))
    with np.errstate(divide="ignore"):
        mistakes.append((float(-np.sum(np.log(qn[qn > 0]))) / log_base(base),
                         f"the sum of -log {b}(x) over all outcomes, without weights: multiply each "
                         f"term by {a}(x)."))
        support = pn > 0
        if support.sum() == 1 and np.all(qn > 0):
            only = pn[support][0]
            mistakes.append((float(only * np.sum(np.log(only / qn))) / log_base(base),
                             f"the zero mask applied to {a} only: {a}[m] then broadcasts against every "
                             f"{b}(x). Use one mask on both arrays: m = {a} > 0, then {a}[m] and {b}[m]."))
    mistakes.append((1.0, f"the sum of {b}'s probabilities, which is 1 for every distribution. The "
                          f"cross-entropy is -sum {a}(x) log {b}(x)."))

    def apart(w):     # a mistake within 1% of the answer would be nearly right by coincidence
        return math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected)

    n = len(pn)
    if n > 1 and apart(expected / n):
        mistakes.append((expected / n, f"the mean of the {n} terms -{a}(x) log {b}(x) (np.mean), not their sum: "
                                       f"the cross-entropy sums over outcomes, np.sum (or multiply the unrounded "
                                       f"mean by {n}).", ("scale", f"the mean of the {n} terms", f"multiplied by {n}")))
    if support.sum() == 1:      # a one-hot label: the cross-entropy is -log q of the labelled class
        k = int(np.flatnonzero(support)[0])
        def log(i):
            return (f"{_LOG_FN[base]}({b}[{i}])" if base in _LOG_FN else f"np.log({b}[{i}]) / np.log({base:g})")
        inunits = "" if base is None else f" in {_unit_words(base)}"
        for j in range(n):
            if j != k and qn[j] > 0 and apart(-math.log(qn[j]) / log_base(base)):
                mistakes.append((-math.log(qn[j]) / log_base(base),
                                 f"-{log(j)}, minus the log-probability{inunits} of class {j}, whose {a}[{j}] is "
                                 f"0. The labelled class is {k} ({a}[{k}] = 1): the cross-entropy is "
                                 f"-{log(k)}."))
        if apart(float(qn[k])):
            mistakes.append((float(qn[k]), f"{b}[{k}], the probability of the labelled class itself, not its "
                                           f"log: the cross-entropy is -log {b}[{k}]."))
        if apart(1.0 - float(qn[k])):
            mistakes.append((1.0 - float(qn[k]),
                             f"1 - {b}[{k}], the probability the model gives the other classes (an error "
                             f"rate, not a log loss): the cross-entropy is -log {b}[{k}]."))
    return check_number(answer, cross_entropy(pn, qn, base=base), what=what, units=_unit_words(base),
                        mistakes=mistakes, sig=sig,
                        hint=f"{what} = -sum {a}(x) log {b}(x): {a} weights, {b} inside the log (H({b}) "
                             f"alone weights by {b} itself, and H({a}) puts {a} inside the log).",
                        negative=f"Check the minus sign in front: -sum {a}(x) log {b}(x).",
                        combine=f"Sum the terms -{a}(x) log {b}(x) over outcomes.",
                        partway=(_rounded_terms(pn[pn > 0], -np.log(qn[pn > 0]) / log_base(base),
                                                f"-{a}(x) log {b}(x)", cross_entropy(pn, qn, base=base))
                                if np.all(qn[pn > 0] > 0) else None),
                        nan=_nan_for(pn, a, b, base, cross=True))


def check_huffman_length(answer, p, *, name=None, sig=3):
    """Check the average length, in bits per symbol, of a Huffman code for ``p``.

    ``name`` is the exercise's name for the distribution (e.g. ``"P_sensor"``).
    Recognised mistakes: the entropy (ideal lengths are not whole bits), the
    Shannon code's ``sum p * ceil(-log2 p)``, the unweighted mean length,
    and a fixed-length code, ``ceil(log2 K)`` bits for each of K symbols.

    Examples
    --------
    >>> check_huffman_length(1.9, [0.4, 0.3, 0.2, 0.1])
    Correct: the average Huffman code length = 1.900 bits per symbol.
    >>> check_huffman_length(2.0, [0.4, 0.3, 0.2, 0.1], name="P_sensor")
    Not quite: 2.0 matches a fixed-length code, ceil(log2(4)) = 2 bits for each of the 4 symbols. Huffman gives frequent symbols shorter codewords: average the Huffman lengths, weighted by P_sensor(x). If you rounded the average Huffman code length to get 2.0, it is right as far as it goes, to 1 significant figure only: give 3 significant figures.
    """
    pn = _probabilities(p, "p")
    lengths = huffman_lengths(pn)
    support = pn > 0
    h, px = (f"H({name})", f"{name}(x)") if name else ("the entropy", "each symbol's probability")
    expected = float(np.dot(pn, lengths))
    mistakes = [
        (entropy(pn, base=2), f"{h}, the average of the ideal lengths -log2 {px if name else 'p(x)'}, a bound "
                              f"no symbol-by-symbol code beats. Huffman codewords have whole bits: average "
                              f"the Huffman lengths, weighted by {px}."),
        (float(np.sum(pn[support] * np.ceil(-np.log2(pn[support])))),
         f"the Shannon code, lengths ceil(-log2 {px if name else 'p(x)'}). Huffman's merging gives shorter "
         "codes: use kt.huffman_lengths (klteach.huffman_lengths)."),
        (float(np.mean(lengths)), f"the plain mean of the codeword lengths. Weight each length by "
                                  f"how often its symbol occurs, {px}."),
    ]
    k = int(support.sum())
    fixed = float(math.ceil(math.log2(k))) if k > 1 else 0.0
    if k > 1 and not _accepted(fixed, expected):
        mistakes.append((fixed, f"a fixed-length code, ceil(log2({k})) = {fixed:g} bits for each of the {k} "
                                f"symbols. Huffman gives frequent symbols shorter codewords: average the Huffman "
                                f"lengths, weighted by {px}."))
    return check_number(answer, expected, what="the average Huffman code length",
                        units="bits per symbol", mistakes=mistakes, sig=sig,
                        hint=f"Average the Huffman codeword lengths, weighted by {px}.",
                        combine="Weight each codeword length by its symbol's probability and sum: "
                                + (f"np.sum({name} * kt.huffman_lengths({name}))." if name
                                   else "np.sum(p * kt.huffman_lengths(p)), with p the probabilities."),
                        nan="Your answer is NaN (not a number). The Huffman average takes no logarithms: it "
                            "weights whole codeword lengths by probabilities and sums them, so look for a 0/0, "
                            "inf - inf or a mean of an empty array: print the terms and find it with "
                            "np.isnan(terms).")


def check_js(answer, p, q, *, base=None, distance=False, names=("P", "Q"), sig=3):
    """Check an answer for the Jensen-Shannon divergence, or with ``distance=True`` its square root.

    Recognised mistakes: divergence for distance and vice versa (scipy's
    ``jensenshannon`` returns the distance), another log base (a distance
    converts by the square root of the divergence's factor), D(P||M) alone
    (or its square root), D(P||Q), M = P + Q without the 1/2 (a negative
    divergence, so a NaN distance), D(P||M) + D(Q||M) without the / 2 that
    averages them (for a distance, with or without the square root), the
    divergence in any log base for a distance, a distance converted to
    another base by the divergence's factor (not its square root), the
    value as a percentage, and the Hellinger distance.

    Examples
    --------
    >>> check_js(0.8326, [1, 0], [0, 1])
    Not quite: 0.8326 matches the Jensen-Shannon distance (the square root of the divergence, what scipy.spatial.distance.jensenshannon returns). The question asks for the divergence: square the unrounded number your code computed.
    """
    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    m = 0.5 * (pn + qn)
    what = "the Jensen-Shannon distance" if distance else "the Jensen-Shannon divergence"
    value = js_distance if distance else js_divergence
    expected = value(pn, qn, base=base)
    average = f"M = ({a} + {b}) / 2"
    mistakes = _unit_mistakes(lambda bb: value(pn, qn, base=bb), what, base, root=distance)
    if distance:
        divergence = js_divergence(pn, qn, base=base)
        mistakes.append((divergence,
                         "the Jensen-Shannon divergence. The question asks for the distance, its "
                         "square root (what scipy.spatial.distance.jensenshannon returns): take the square "
                         "root of the unrounded number your code computed.",
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
            if other == base or not (base in log_name):
                continue
            # the distance converted with the divergence's factor, not its square root
            ratio = log_base(other) / log_base(base)
            top, bottom = log_name[base], log_name[other]
            factor = (f"np.sqrt({top} / {bottom})" if top and bottom else f"np.sqrt({top})" if top
                      else f"1 / np.sqrt({bottom})")
            mistakes.append((js_distance(pn, qn, base=other) * ratio,
                             f"{what} in {_unit_words(other)}, converted with the divergence's factor "
                             f"({_conversion(other, base)[0]}d by {_conversion(other, base)[1]}): a "
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
                         "scipy.spatial.distance.jensenshannon returns). The question asks for the "
                         "divergence: square the unrounded number your code computed.",
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
    mistakes += [
        (np.sqrt(half) if distance else half,
         (f"the square root of D({a}||M) alone. Average both halves first: (D({a}||M) + D({b}||M)) / 2 "
          f"with {average}, then take the square root of that average." if distance else
          f"D({a}||M) alone. Average both halves: (D({a}||M) + D({b}||M)) / 2 with {average}.")),
        (kl_divergence(pn, qn, base=base),
         f"D({a}||{b}). Jensen-Shannon compares each distribution with their average "
         f"{average}, not with each other."),
        (hellinger_distance(pn, qn),
         f"the Hellinger distance, sqrt(1 - sum sqrt({a}(x) {b}(x))), another symmetric distance (without "
         f"a logarithm). The question asks for the Jensen-Shannon "
         + ("distance: the square root of (D({a}||M) + D({b}||M)) / 2" if distance
            else "divergence: (D({a}||M) + D({b}||M)) / 2").format(a=a, b=b)
         + f", with {average}."),
    ]
    if expected > 0:
        mistakes.append((100 * expected, f"{what} as a percentage (times 100); it is not a share in percent: "
                                         f"divide the unrounded number your code computed by 100.",
                         ("scale", f"{what} as a percentage", "divided by 100")))
    if np.any(pn == 0) or np.any(qn == 0):
        nan = _nan_zero(f"{a} and {b}", None)
    elif distance:
        nan = (f"Your answer is NaN. The data here have no zero probabilities, so it is most likely the square "
               f"root of a negative number: the divergence under the square root came out negative. A JS "
               f"divergence is never negative when M is the average of the two distributions; with "
               f"M = {a} + {b} (the / 2 forgotten), it comes out log 2 too small, so negative. Check {average}, "
               f"and print the divergence before taking np.sqrt.")
    else:
        nan = _NAN
    return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"{average}, then (D({a}||M) + D({b}||M)) / 2"
                             + (", then the square root." if distance else "."),
                        negative=f"A Jensen-Shannon divergence is never negative. Check that {average} "
                                 f"(with the / 2) and that each D(.||M) weights its log ratio by its own "
                                 f"distribution.",
                        nan=nan)


def check_total_variation(answer, p, q, *, names=("P", "Q"), sig=3):
    """Check an answer for the total variation distance ``sum |p - q| / 2``.

    Recognised mistakes: the sum without the 1/2, the largest
    difference at a single outcome, TV as a percentage, and Pinsker's
    bound sqrt(D / 2) in either direction.

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
                              "difference over all events (sets of outcomes): half the sum of "
                              f"|{a}(x) - {b}(x)|."),
    ]
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
                                 f"bound on TV, not TV itself. TV({a}, {b}) = sum |{a}(x) - {b}(x)| / 2."))
    return check_number(answer, total_variation(pn, qn), what=f"TV({a}, {b})", mistakes=mistakes, sig=sig,
                        hint=f"TV({a}, {b}) = sum |{a}(x) - {b}(x)| / 2.",
                        nan=f"Your answer is NaN (not a number). TV takes no logarithms and {a} and {b} hold "
                            f"no NaN, so a NaN comes from an operation on an empty or mismatched array (a mean "
                            f"of nothing, 0/0): print np.abs({a} - {b}) and check it has one number per outcome.",
                        negative="Take the absolute value of each difference (np.abs).",
                        combine="Sum the absolute differences over outcomes, then halve.")


# --- notebook 05: continuous and Gaussian KL ---


__all__ += ["check_gaussian_kl", "check_vae_kl", "check_mc_estimate"]


def check_gaussian_kl(answer, mu_p, sigma_p, mu_q, sigma_q, *, base=None, names=("P", "Q"),
                      variables=("mu_p", "sigma_p", "mu_q", "sigma_q"), sig=3):
    """Check an answer for D(N(mu_p, sigma_p²) || N(mu_q, sigma_q²)); sigmas are standard deviations.

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
    -D (every sign flipped), and the square roots of the standard
    deviations used (when 1% or more from the answer). For equal variances: E_P[(x - mu_1)²]
    not subtracted, E_P[(x - mu_2)²] taken as sigma² (giving 0), the
    difference the wrong way round, the 2 of 2 sigma² left out, and the
    difference of the means not squared; that formula has no logarithm, so
    a value in other units is told the conversion only.

    Examples
    --------
    >>> check_gaussian_kl(1.3069, 0, 1, 1, 2)
    Not quite: 1.3069 matches D(Q||P): the arguments are swapped. P comes first: log(sigma_q/sigma_p) + (sigma_p² + (mu_p - mu_q)²) / (2 sigma_q²) - 1/2.
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
    mistakes = _unit_mistakes(kl, what, base)
    if sp_ == sq_ and sigma_p == sigma_q:
        s_, d2 = sp_, f"({mp_} - {mq_})²"
        # this formula has no logarithm: a value in other units comes from a conversion, and converting
        # back is the only advice that applies (not "use np.log throughout")
        gives = "gives directly" if base is None else f"gives in nats, before dividing by `{_log_expr(base)}`"
        mistakes = [m for m in mistakes if m[2][0] == "undo"]
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
                            nan=f"Your answer is NaN (not a number). The formula takes no logarithm here: a "
                                f"NaN comes from 0/0 or inf - inf. Print each term of your formula to find it.",
                            hint=f"{what} = {E}[log(p(x)/q(x))] = ({E}[(x - {mq_})²] - {E}[(x - {mp_})²]) / "
                                 f"(2 {s_}²): put in the two expectations the exercise gives, then simplify.",
                            negative=f"Check the order in the log ratio: ((x - {mq_})² - (x - {mp_})²) / "
                                     f"(2 {s_}²), the {mq_} term first.")
    closed = (f"log({sq_}/{sp_}) + ({sp_}² + ({mp_} - {mq_})²) / (2 {sq_}²) - 1/2")
    if expected > 0:
        mistakes.append((-expected,
                         f"minus {what}: every term has the wrong sign, as from {E}[log(q(x)/p(x))], the ratio "
                         f"upside down. {what} = {E}[log(p(x)/q(x))] = {closed}: flip the sign of the whole "
                         f"number, not of one term."))
    if sigma_p != sigma_q:      # with equal variances both directions, and both log terms, agree
        mistakes += [
            (gaussian_kl(mu_q, sigma_q, mu_p, sigma_p, base=base),
             f"D({b}||{a}): the arguments are swapped. {a} comes first: {closed}."),
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
                        hint=f"D = {closed}.", nan=nan,
                        negative=f"{what} is never negative, and your number is not minus {what} either: check "
                                 f"each term of {closed}, and the sign of log({sq_} / {sp_}), {sq_} on top.")


def check_vae_kl(answer, mu, log_var, *, variables=("mu", "log_var"), sig=3):
    """Check an answer for the VAE KL term D(N(mu, diag(exp(log_var))) || N(0, I)), in nats.

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
    formula = f"1/2 sum_j (exp({lv_}_j) + {m_}_j² - 1 - {lv_}_j)"
    var = np.exp(log_var)
    mistakes = [
        (vae_kl(mu, 2 * log_var),
         f"the term with {lv_} read as log(sigma): it is log(sigma²), so sigma² = exp({lv_})."),
        (2 * expected, "twice the KL: the formula has a factor 1/2 in front of the sum. Halve the unrounded "
                       "number your code computed.", ("scale", "the sum without its factor 1/2", "halved")),
        (expected / mu.size, f"the mean over latent coordinates; the KL of a diagonal Gaussian is the sum over "
                             f"coordinates: multiply the unrounded mean by {mu.size}, or use np.sum.",
         ("scale", "the mean over latent coordinates", f"multiplied by {mu.size}")),
        (-expected, f"minus the KL: the usual code writes -0.5 * sum(1 + {lv_} - {m_}² - exp({lv_})); "
                    "keep the minus sign in front."),
        (float(0.5 * np.sum(var + mu**2 - 1 + log_var)),
         f"the sum with + {lv_}_j: that term has the wrong sign. The formula has - {lv_}_j: "
         f"D = {formula}."),
        (float(0.5 * np.sum((1 + mu**2) / var - 1 + log_var)),
         f"D(N(0, I) || N({m_}, sigma²)), the reverse direction. The VAE term puts the encoder's "
         "distribution first and the prior N(0, I) second."),
    ]
    mistakes.append((expected / math.log(2), "the VAE KL term in bits (nats divided by ln 2). The question "
                                             "asks for nats: multiply the unrounded number by np.log(2).",
                     ("scale", "the VAE KL term in bits", "multiplied by ln 2")))
    k = mu.size
    if 0.5 * k >= 0.01 * expected:      # closer, it would be nearly right by coincidence
        mistakes.append((expected + 0.5 * k,
                         f"the sum without its - 1: each of the {k} coordinates has a - 1 inside the sum, so "
                         f"subtract {k} x 1/2 = {0.5 * k:g} from the unrounded number your code computed "
                         f"(D = {formula}).",
                         ("shift", "the sum without its - 1", f"reduced by {0.5 * k:g}")))
    squares = 0.5 * float(np.sum(mu**2))
    if squares > 0.01 * expected:       # closer, it would be nearly right by coincidence
        mistakes.append((expected - squares,
                         f"the sum without its {m_}_j² term: the KL also pays for the means' distance from 0. "
                         f"Add np.sum({m_}**2) / 2 to the unrounded number your code computed (D = {formula}).",
                         ("shift", f"the sum without its {m_}_j² term", f"increased by np.sum({m_}**2) / 2")))
    return check_number(answer, expected, what="the VAE KL term", units="nats", mistakes=mistakes, sig=sig,
                        hint=f"D = {formula}.",
                        negative=f"Each coordinate's term exp({lv_}_j) + {m_}_j² - 1 - {lv_}_j is 0 or more, so "
                                 f"the VAE KL term is never negative, and your number is not minus it either: "
                                 f"check each term of D = {formula}.",
                        nan=f"Your answer is NaN (not a number). The term takes no logarithm ({lv_} is "
                            f"already one): a NaN comes from a nan in {m_} or {lv_}, or inf - inf from an "
                            f"exp that overflowed. Print the per-coordinate terms and find it with np.isnan.",
                        combine="Sum the per-coordinate terms over the latent coordinates.")


def check_mc_estimate(answer, logp, logq, *, estimator="k3", exact=None, variables=("logp", "logq"), sig=3):
    """Check a Monte Carlo estimate of D(P||Q) from log densities at samples of P.

    ``exact``, when the exercise knows it, is the exact D(P||Q) (e.g. from a
    closed form): an answer that matches it is told that the question asks
    for the estimate from these samples. Recognised mistakes: another
    estimator's average (k1, k2, k3), the ratio turned upside down (p/q
    instead of q/p), a sum instead of a mean, the exact value, the estimate
    in bits or base-10 units, minus the estimate and, for k3, the average of
    r - 1 without its - log r.
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


# --- notebook 06: drift ---


__all__ += ["check_psi", "check_permutation_pvalue"]


def check_psi(answer, reference_counts, current_counts, *, pseudo_count=0.5, base=None,
              names=("ref", "cur"), sig=3):
    """Check an answer for the PSI of two histograms, smoothed with ``pseudo_count`` per bin.

    Recognised mistakes: only one direction of KL, no smoothing, smoothing
    without renormalising, a pseudo-count of 1, smoothing only one histogram
    or only the empty bins, PSI x 100, another log base, minus PSI (a
    difference or ratio the wrong way round), and the Jensen-Shannon
    divergence. ``names`` are the exercise's names for the two histograms
    (e.g. ``("ref_week", "cur_week")``); the messages speak in them.

    Examples
    --------
    >>> check_psi(0.1134, [50, 30, 20], [30, 30, 40])
    Not quite: 0.1134 matches D(ref||cur) alone. PSI is the symmetric sum D(ref||cur) + D(cur||ref) = sum (p - q) log(p / q), with p and q the smoothed, normalised ref and cur.
    """
    a, b = _names(names)
    units = _unit_words(base)
    m = drift_measures(reference_counts, current_counts, pseudo_count=pseudo_count, base=base)
    pq = f"p and q the smoothed, normalised {a} and {b}"
    both = f"PSI is the symmetric sum D({a}||{b}) + D({b}||{a}) = sum (p - q) log(p / q), with {pq}."
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
    mistakes.append((unsmoothed, f"PSI without smoothing. Add the pseudo-count {pseudo_count:g} to every bin "
                                 f"of both histograms before normalising."))
    p_raw, q_raw = (r + pseudo_count) / r.sum(), (c + pseudo_count) / c.sum()
    mistakes.append((float(np.sum((p_raw - q_raw) * np.log(p_raw / q_raw))) / log_base(base),
                     "PSI of counts + pseudo-count divided by the original totals: renormalise, "
                     "dividing by n + K * pseudo-count so each histogram sums to 1."))

    def psi_of(x, y):
        x, y = x / x.sum(), y / y.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum((x - y) * np.log(x / y))) / log_base(base)

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
    mistakes.append((100 * m.psi, "PSI x 100, as a percentage: PSI is not a percentage. Divide the unrounded "
                                  "number by 100.", ("scale", "PSI x 100", "divided by 100")))
    if m.psi > 0:
        mistakes.append((-m.psi, f"minus PSI: (q - p) * log(p / q), or (p - q) * log(q / p), with {pq}: the "
                                 f"difference or the ratio the wrong way round. Both take p first: "
                                 f"sum (p - q) * log(p / q)."))
    return check_number(answer, m.psi, what="PSI", units=units, mistakes=mistakes, sig=sig, field="psi",
                        hint=f"Add the pseudo-count to each bin, normalise both histograms (p from {a}, q from "
                             f"{b}), then sum (p - q) * log(p / q).",
                        combine="Sum the terms (p - q) * log(p / q) over the bins.",
                        negative=f"Each PSI term (p - q) * log(p / q) is 0 or more (its two factors have the "
                                 f"same sign), so PSI is never negative, and your number is not minus PSI "
                                 f"either: check each term, with {pq}.",
                        nan="Your answer is NaN: an empty bin gives 0 * log(0 / q) or 0/0. Add the "
                            "pseudo-count to every bin before normalising.")


def check_permutation_pvalue(answer, observed, permuted, *, sig=3):
    """Check a permutation p-value: ``(1 + #{permuted >= observed}) / (B + 1)``.

    Recognised mistakes: leaving out both +1s, or only the one in the
    numerator or only the one in the denominator, counting strictly larger
    values only, ties counted as half (mid-p), (1 + count) / (B + 2),
    one minus the p-value, the share of permuted values
    below the observed one, the p-value as a percentage, and 1 + count
    without the division. Mistakes that give the same number with the
    given data are named together.

    Examples
    --------
    >>> check_permutation_pvalue(0.4, 2.0, [1.0, 3.0, 2.0, 0.5, 0.2])
    Not quite: 0.4 matches #{T_perm >= T_obs} / B, without the +1s. Count the observed split as one of the permutations: p = (1 + count) / (B + 1), so p is never 0. 0.4 is exactly that mistake's value: more figures would not change it.
    """
    permuted = np.asarray(permuted, dtype=float)
    b = len(permuted)
    if b == 0:
        raise ValueError("permuted is empty: the p-value needs the statistics of B >= 1 permutations.")
    at_least = int(np.sum(permuted >= observed))
    greater = int(np.sum(permuted > observed))
    expected = (1 + at_least) / (b + 1)
    formula = "p = (1 + count) / (B + 1), with count = np.sum(permuted >= observed)"
    mistakes = [
        (at_least / b, "#{T_perm >= T_obs} / B, without the +1s. Count the observed split as one of "
                       "the permutations: p = (1 + count) / (B + 1), so p is never 0."),
        (at_least / (b + 1), "count / (B + 1): the +1 in the numerator is missing. The observed split "
                             "counts as one of the permutations in both places: p = (1 + count) / (B + 1)."),
        ((1 + at_least) / b, "(1 + count) / B: the +1 in the denominator is missing. The observed split "
                             "counts as one of the permutations in both places: p = (1 + count) / (B + 1)."),
        (1 - expected, f"one minus the p-value. p is small when few permuted statistics reach the observed "
                       f"one: {formula}."),
        (np.sum(permuted < observed) / b, f"the share of permuted statistics below the observed one; p counts "
                                          f"those at least as large: {formula}."),
    ]
    mistakes.append((100 * expected, "the p-value as a percentage: p is a probability, between 0 and 1. "
                                     "Divide the unrounded number by 100.",
                     ("scale", "the p-value as a percentage", "divided by 100")))
    if greater != at_least:      # with no ties, > and >= count the same
        mistakes.append(((1 + greater) / (b + 1), "counting only permuted statistics strictly greater "
                                                  "than the observed one: ties count too (>=)."))
        mistakes.append(((1 + greater + (at_least - greater) / 2) / (b + 1),
                         f"ties counted as half (a mid-p value, (1 + #{{T_perm > T_obs}} + ties / 2) / (B + 1)): "
                         f"count ties in full, >=: {formula}."))
    if abs((1 + at_least) / (b + 2) - expected) >= 0.01 * expected:     # closer: right by coincidence
        mistakes.append(((1 + at_least) / (b + 2), f"(1 + count) / (B + 2): the observed split adds one to B, "
                                                   f"not two: {formula}."))
    mistakes.append((1.0 + at_least, f"1 + count, the numerator alone: divide it by B + 1 = {b + 1}, "
                                     f"{formula}."))
    return check_number(answer, expected, what="the permutation p-value", mistakes=mistakes, sig=sig,
                        hint=f"{formula}.", rounding=False,
                        negative=f"A p-value is a probability, between 0 and 1: {formula}. Print count and "
                                 f"B + 1 before dividing.",
                        nan="Your answer is NaN (not a number). The p-value takes no logarithms: a NaN comes "
                            "from 0/0 (a count divided by the length of an empty array) or from a mean of "
                            "nothing. Print the count and B = len(permuted) before dividing.",
                        combine="Count the True values (np.sum(permuted >= observed)), then "
                                "(1 + count) / (B + 1).")


# --- notebook 07: KL in machine learning ---


__all__ += ["check_distillation_loss", "check_torch_kl_div", "check_information_gain"]


def check_distillation_loss(answer, teacher_logits, student_logits, *, temperature, sig=3):
    """Check a distillation loss T² · D(teacher_T || student_T), in nats, averaged over the batch.

    Recognised mistakes: the T² factor left out, T instead of T², the
    temperature left out of the softmax, teacher and student swapped, bits
    instead of nats, a sum over the batch instead of a mean (with or
    without T²), a mean over every element (rows x classes), T² times the
    cross-entropy, the KL divided by T² instead of multiplied, the softmax
    taken over axis 0 (across the batch), and minus the loss (the log ratio
    upside down).

    Examples
    --------
    >>> check_distillation_loss(0.0155, [3.0, 1.0, 0.2], [2.0, 1.5, 0.5], temperature=4.0)
    Not quite: 0.0155 matches D(teacher_T||student_T) without the factor T² = 16. Hinton's convention multiplies the softened KL by T² so its gradients keep their size as T changes: multiply the unrounded KL your code computed by T².
    """
    from .logits import distillation_loss, kl_from_logits, log_softmax, softmax

    t = float(temperature)
    teacher, student = np.asarray(teacher_logits, float), np.asarray(student_logits, float)
    expected = distillation_loss(teacher, student, temperature=t)
    kl_mean = expected / t**2
    n = 1 if teacher.ndim == 1 else teacher.shape[0]
    k = teacher.shape[-1]
    mistakes = [
        (kl_mean, f"D(teacher_T||student_T) without the factor T² = {t**2:g}. Hinton's convention "
                  f"multiplies the softened KL by T² so its gradients keep their size as T changes: multiply "
                  f"the unrounded KL your code computed by T².",
         ("scale", "the mean KL without the factor T²", f"multiplied by T² = {t**2:g}")),
        (t * kl_mean, f"T x the KL; the factor is T² = {t**2:g}: multiply the unrounded KL by T², not T.",
         ("scale", "T x the mean KL", f"multiplied by T = {t:g} once more")),
        (t**2 * float(np.mean(kl_from_logits(teacher, student))),
         "the KL without the temperature: divide both teacher and student logits by T before the softmax."),
        (float(np.mean(kl_from_logits(teacher, student))),
         f"the plain KL of the logits, T = 1: soften both with T = {t:g} (divide the logits by T before the "
         f"softmax), then multiply the KL by T² = {t**2:g}."),
        (distillation_loss(student, teacher, temperature=t),
         "T² D(student||teacher): the arguments are swapped. The teacher's softened distribution is "
         "the reference, so it comes first (in PyTorch it is the target, the second argument of kl_div)."),
    ]
    mistakes += _unit_mistakes(lambda b: expected / log_base(b), "the loss", None)
    if n > 1:
        mistakes += [
            (expected * n, f"T² x the sum over the batch; average over the {n} examples instead (divide the "
                           f"unrounded sum by {n}).", ("scale", "T² x the sum over the batch", f"divided by {n}")),
            (kl_mean * n, f"the sum of the KLs over the batch, without T²: average over the {n} examples "
                          f"and multiply by T² = {t**2:g} (both on the unrounded sum).",
             ("scale", "the sum of the KLs over the batch", f"divided by {n} and multiplied by T²")),
        ]
    if k > 1:
        mistakes.append((expected / k, f"T² x the mean over all {n * k} elements (rows x classes, like "
                                       f"reduction='mean'): sum over the {k} classes of each example first, then "
                                       f"average over the {n} examples: multiply the unrounded number by {k}.",
                        ("scale", f"T² x the mean over all {n * k} elements", f"multiplied by {k}")))
    def apart(w):     # a mistake within 1% of the answer would be nearly right by coincidence
        return math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected)

    if t != 1 and apart(kl_mean / t**2):
        mistakes.append((kl_mean / t**2, f"D(teacher_T||student_T) divided by T² = {t**2:g} instead of "
                                         f"multiplied by it: multiply the unrounded KL by T², or the unrounded "
                                         f"number your code computed by T⁴ = {t**4:g}.",
                         ("scale", "the mean KL divided by T²", f"multiplied by T⁴ = {t**4:g}")))
    if n > 1 and k > 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            col_t = np.exp(teacher / t) / np.exp(teacher / t).sum(axis=0, keepdims=True)
            col_s = np.exp(student / t) / np.exp(student / t).sum(axis=0, keepdims=True)
            by_column = t**2 * float(np.mean(np.sum(col_t * np.log(col_t / col_s), axis=-1)))
        if apart(by_column):
            mistakes.append((by_column, "the loss with the softmax taken over axis 0 (down each column, across "
                                        "the examples): each example's row of logits / T is one distribution, "
                                        "so take the softmax over each row (axis=-1), then the KL of each row, "
                                        "their mean, times T²."))
    p_t = softmax(teacher, temperature=t)
    entropy_t2 = t**2 * float(np.mean(-np.sum(p_t * log_softmax(teacher, temperature=t), axis=-1)))
    if entropy_t2 >= 0.01 * expected:       # closer, it would be nearly right by coincidence
        mistakes.append((expected + entropy_t2,
                         "T² x the cross-entropy H(teacher_T, student_T) = -sum teacher_T log student_T: it also "
                         "counts the teacher's entropy H(teacher_T). Use log(teacher_T / student_T) in the sum, "
                         "or subtract T² x the mean of H(teacher_T) from the unrounded number your code computed.",
                         ("shift", "T² x the cross-entropy", "reduced by T² x the teacher's entropy")))
    if expected > 0:
        mistakes.append((-expected, "minus the distillation loss: the log ratio upside down, "
                                    "log(student_T / teacher_T). D(teacher_T||student_T) weights "
                                    "log(teacher_T / student_T) by teacher_T: flip the sign of the whole number."))
    return check_number(answer, expected, what="the distillation loss", units="nats", mistakes=mistakes,
                        sig=sig, hint="Softmax of teacher_logits / T and student_logits / T (over each row, "
                                      "axis=-1), D(teacher_T||student_T) for each row, their mean over the "
                                      "batch, times T².",
                        negative="A KL divergence is never negative, so neither is T² times it, and your number is "
                                 "not minus the loss either: check each step, the softmax of each row of "
                                 "logits / T (each row sums to 1), then sum teacher_T log(teacher_T / student_T) "
                                 "over the classes, average over the batch, times T².",
                        combine="Sum over classes for each example, then average over the batch (np.mean).")


_REDUCTION_WORDS = {"sum": "adds every element of the pointwise loss",
                    "mean": "divides the sum by the number of elements (rows x classes)",
                    "batchmean": "divides the sum by the number of rows"}


def check_torch_kl_div(answer, input, target, *, reduction="batchmean", names=("input", "target"), sig=3):
    """Check the value of PyTorch's ``F.kl_div(input, target, reduction=...)`` (``log_target=False``).

    ``input`` holds log-probabilities log Q and ``target`` probabilities P,
    one distribution per row; the pointwise loss is ``target * (log target - input)``
    (0 where the target is 0). As in PyTorch, ``'batchmean'`` divides the sum
    by ``input.shape[0]``. Recognised mistakes: the other reductions
    (``'mean'`` divides by every element, not the batch size), the arguments
    read the other way round (D(Q||P)), probabilities Q passed where
    ``input`` must be log Q, the cross-entropy terms ``-target * input``
    alone, the value in bits or base-10 units, and minus the value (the
    pointwise terms the wrong way round). ``names`` are the exercise's names for
    ``input`` and ``target`` (e.g. ``("log_q", "p")``); the messages speak
    in them.

    Examples
    --------
    >>> check_torch_kl_div(0.1, np.log([[0.5, 0.5]]), [[0.9, 0.1]], reduction="batchmean")
    Not yet: 0.1 is not F.kl_div(input, target, reduction='batchmean'). The pointwise loss is target * (log(target) - input); 'batchmean' divides its sum by the number of rows.
    """
    if (isinstance(names, str) or len(names) != 2 or not all(isinstance(v, str) and v for v in names)):
        raise ValueError(f"names must be two non-empty strings, the exercise's names for input and target "
                         f"(e.g. ('log_q', 'p')); got {names!r}.")
    i_, t_ = names
    qn, pn = ("Q", "P") if tuple(names) == ("input", "target") else (f"exp({i_})", t_)
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
    def explain(other):
        default = " (PyTorch's default)" if reduction == "mean" else ""
        return (f"reduction='{other}', which {_REDUCTION_WORDS[other]}. The question asks for "
                f"reduction='{reduction}'{default}, which {_REDUCTION_WORDS[reduction]}.")

    factor = {"sum": 1.0, "mean": float(p.size), "batchmean": float(rows)}
    mistakes = [(reduce(pointwise, other), explain(other),
                 ("scale", f"the loss with reduction='{other}'",
                  f"multiplied by {factor[other] / factor[reduction]:g}"
                  if factor[other] > factor[reduction] else f"divided by {factor[reduction] / factor[other]:g}"))
                for other in ("sum", "mean", "batchmean") if other != reduction]
    with np.errstate(divide="ignore"):
        mistakes.append((reduce(loss(np.log(p), np.exp(logq))),
                         f"kl_div with the arguments swapped: the pointwise terms of D({qn}||{pn}), "
                         f"reduced as '{reduction}'. kl_div(input, target) computes the terms of "
                         f"D(target||exp(input)), here D({pn}||{qn}): the model's log-probabilities "
                         f"({i_}) go first, the reference ({t_}) second. In numpy, weight by {t_}: "
                         f"{t_} * (np.log({t_}) - {i_})."))
    mistakes.append((reduce(loss(np.exp(logq), p)),
                     f"the loss with probabilities exp({i_}) where kl_div expects log-probabilities: its "
                     f"input must be {i_} itself (log-probabilities, e.g. from log_softmax)."))
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = reduce(np.where(p > 0, -p * logq, 0.0))
    if math.isfinite(cross) and abs(cross - expected) >= 0.01 * abs(expected):   # closer: right by coincidence
        mistakes.append((cross, f"the cross-entropy terms -{t_} * {i_}, reduced as '{reduction}': kl_div's "
                                f"pointwise loss is {t_} * (log({t_}) - {i_}), which also has the terms "
                                f"{t_} * log({t_}). Add those, reduced the same way, to the unrounded number your "
                                f"code computed, or reduce the full pointwise loss.",
                         ("shift", f"the cross-entropy terms -{t_} * {i_}",
                          f"with the terms {t_} * log({t_}) added")))
    what = f"F.kl_div({i_}, {t_}, reduction='{reduction}')"
    for other in (2, 10):
        mistakes.append((expected / math.log(other),
                         f"{what} in {_unit_words(other)} (the value in nats divided by ln {other}, or logs taken "
                         f"with np.log{other}). kl_div works in nats, with natural logs like those in {i_}: "
                         f"multiply the unrounded number your code computed by `np.log({other})`.",
                         ("scale", f"the loss in {_unit_words(other)}", "converted to nats")))
    if expected > 0:
        mistakes.append((-expected, f"minus the loss: the pointwise terms the wrong way round, "
                                    f"{t_} * ({i_} - log({t_})). log({t_}) comes first: {t_} * (log({t_}) - {i_})."))
    elements, classes = p.size, (p.shape[-1] if p.ndim > 1 else p.size)
    routes = []
    if p.ndim == 2 and reduction == "mean":
        routes.append((lambda arr: float(np.sum(arr)) / elements if arr.shape == (rows,) else None,
                       f"These look like the {rows} row sums (the KL of each example). 'mean' averages the "
                       f"{elements} pointwise terms, not the {rows} row sums: np.mean of the {rows} x {classes} "
                       f"array {t_} * (log({t_}) - {i_})."))
    return check_number(answer, expected, what=what, mistakes=mistakes, sig=sig, array_routes=routes,
                        negative=f"Your number is not minus the loss either, so flipping its sign will not fix it: "
                                 f"check each pointwise term, {t_} * (log({t_}) - {i_}), and the reduction "
                                 f"('{reduction}').",
                        hint=f"The pointwise loss is {t_} * (log({t_}) - {i_}); '{reduction}' "
                             + {"batchmean": "divides its sum by the number of rows.",
                                "mean": "averages it over every element.",
                                "sum": "adds it up."}[reduction],
                        combine=f"Reduce the pointwise loss as '{reduction}' does: "
                                + {"batchmean": "its sum divided by the number of rows.",
                                   "mean": "the mean of all rows x classes pointwise terms (np.mean "
                                           "of the 2-D array, not of the row sums).",
                                   "sum": "its sum (np.sum)."}[reduction])


def check_information_gain(answer, successes, failures, *, prior=(1.0, 1.0), base=2,
                           names=("heads", "tails"), sig=3):
    """Check the information gained, D(posterior || prior), for a Beta prior and coin-flip data.

    ``names`` are the exercise's names for the counts of successes and
    failures; the messages speak in them. Recognised mistakes: nats for
    bits (and vice versa), the reverse direction D(prior || posterior), a
    posterior that forgot the prior's counts (Beta(heads, tails) instead of
    Beta(a + heads, b + tails)), the KL between the Bernoulli
    distributions at the prior and posterior means, the closed form's
    first term ln(B(a2, b2) / B(a1, b1)) written with B for ln B or the
    wrong way round, and minus the gain.

    Examples
    --------
    >>> check_information_gain(0.6366, 7, 3)
    Not quite: 0.6366 matches the gain in nats (computed with np.log). The question asks for bits: use np.log2 throughout, or divide the unrounded number your code computed by `np.log(2)`.
    """
    from scipy.special import beta as beta_fn, betaln

    from .bayes import beta_bernoulli_information_gain, beta_kl

    a, b = (float(v) for v in prior)
    s, f = float(successes), float(failures)
    hs, ts = _names(names)
    expected = beta_bernoulli_information_gain(s, f, prior=prior, base=base)
    mistakes = _unit_mistakes(lambda bb: beta_bernoulli_information_gain(s, f, prior=prior, base=bb),
                              "the gain", base)
    mistakes.append((beta_kl(a, b, a + s, b + f, base=base),
                     "D(prior||posterior), the reverse direction. The information gained is "
                     "D(posterior||prior): the posterior comes first."))
    if s > 0 and f > 0:
        mistakes.append((beta_kl(s, f, a, b, base=base),
                         f"D(Beta({hs}, {ts})||prior): the posterior adds the data to the prior's "
                         f"parameters, Beta({a:g} + {hs}, {b:g} + {ts})."))
    mean_post, mean_prior = (a + s) / (a + b + s + f), a / (a + b)
    mistakes.append((kl_divergence([mean_post, 1 - mean_post], [mean_prior, 1 - mean_prior], base=base),
                     "the KL between two coins with the posterior and prior mean probabilities; the "
                     "question compares the Beta distributions over the coin's bias."))
    # the closed form's first term, ln(B(a2, b2) / B(a1, b1)), written wrongly; the digamma terms as they are
    a1, b1 = a + s, b + f
    rest = expected * log_base(base) - (betaln(a, b) - betaln(a1, b1))
    first = (f"ln(B(a2, b2) / B(a1, b1)) = betaln(a2, b2) - betaln(a1, b1)"
             f" (posterior a1, b1 = {a:g} + {hs}, {b:g} + {ts}; prior a2, b2 = {a:g}, {b:g})")
    for wrong, why in ((beta_fn(a, b) - beta_fn(a1, b1),
                        f"the closed form with B itself where its first term has the log of B: that term is "
                        f"{first}; scipy.special.beta gives B, betaln gives ln B."),
                       (betaln(a1, b1) - betaln(a, b),
                        f"the closed form with its first term the wrong way round: it is {first}, the "
                        f"prior's B on top.")):
        w = (wrong + rest) / log_base(base)
        if math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected):     # closer: right by coincidence
            mistakes.append((w, why))
    # the four terms of the closed form are large and nearly cancel: rounded on the way (a digamma or a
    # term to 2-4 figures), they move the answer's 3rd figure, with the right formula
    from itertools import product

    from scipy.special import digamma
    coefficients = (a1 - a, b1 - b, (a + b) - (a1 + b1))
    psis = (digamma(a1), digamma(b1), digamma(a1 + b1))
    first_term = betaln(a, b) - betaln(a1, b1)
    terms = [first_term] + [c * d for c, d in zip(coefficients, psis)]
    options = [[first_term] + [float(_round_sig(first_term, k)) for k in (2, 3, 4)]]
    for c, d in zip(coefficients, psis):
        options.append([c * d] + [c * float(_round_sig(d, k)) for k in (2, 3, 4)]
                       + [float(_round_sig(c * d, k)) if c * d else 0.0 for k in (2, 3, 4)])
    partway_values = [sum(combo) / log_base(base) for combo in product(*options)]
    partway_values = [v for v in partway_values if abs(v - expected) > 1e-9 * abs(expected)]
    cancel = (f"The four terms of the closed form, {', '.join(_show(t, 3) for t in terms[:-1])} and "
              f"{_show(terms[-1], 3)} nats, nearly cancel (to {_show(sum(terms), 3)} nats), so a digamma or a "
              f"term rounded to 3 figures can move the answer's 3rd figure: carry every digit.")
    if expected > 0:
        mistakes.append((-expected, "minus D(posterior||prior): the whole expression with its sign flipped, "
                                    "as from a subtraction the wrong way round around all of it. The gain is "
                                    "never negative: flip the sign of the whole number."))
    return check_number(answer, expected, what="D(posterior||prior)", units=_unit_words(base),
                        mistakes=mistakes, sig=sig,
                        negative="A KL divergence is never negative, and your number is not minus "
                                 "D(posterior||prior) either: check each of the four terms of the closed "
                                 "form against the formula, with the posterior as (a1, b1) and the prior as "
                                 "(a2, b2), and betaln (ln B) in the first.",
                        hint=f"Posterior Beta({a:g} + {hs}, {b:g} + {ts}) first, prior Beta({a:g}, {b:g}) second, "
                             f"in the closed form for two Beta distributions"
                             + ("; it gives nats, so divide by np.log(2) for bits. " if base == 2 else ". ")
                             + cancel,
                        partway=(partway_values, cancel),
                        nan=f"Your answer is NaN (not a number). The closed form takes betaln and digamma of the "
                            f"Beta parameters, all positive here (posterior {a1:g}, {b1:g}; prior {a:g}, {b:g}), so "
                            f"a NaN comes from a parameter that is 0 or negative, or from inf - inf (B itself "
                            f"overflowing, say): print a1, b1, a2, b2 and the four terms, and find it with "
                            f"np.isnan.",
                        combine=f"Give one number, D(posterior||prior) in {_unit_words(base)}: the four terms of "
                                f"the closed form summed"
                                + (", then divided by np.log(2)." if base == 2 else "."))


# --- notebook 08: where KL comes from ---


__all__ += ["check_mutual_information", "check_channel_kl", "check_renyi"]


def _joint_table(joint, name):
    """A 2-D joint distribution from probabilities or counts, normalised; errors name ``name``."""
    arr = np.asarray(joint, dtype=float)
    if arr.ndim != 2:
        raise DistributionError(f"{name} must be a 2-D table (rows x, columns y), got shape {arr.shape}.")
    flat, total = as_nonnegative(arr.ravel(), name)
    return (flat / total).reshape(arr.shape)


def _add_apart(mistakes, expected, extra):
    """Append the (value, why[, step]) entries of ``extra`` that lie 1% or more from ``expected`` and from
    every mistake already listed (a route that nearly coincides with another is already named by it)."""
    for m in extra:
        w = m[0]
        if (w is not None and math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected)
                and all(abs(w - k[0]) > 0.01 * abs(k[0]) for k in mistakes if k[0] is not None)):
            mistakes.append(m)
    return mistakes


def check_mutual_information(answer, joint, *, base=2, name="joint", variables=("X", "Y"), sig=3):
    """Check an answer for the mutual information I(X;Y) of a joint table, D(P_XY || P_X P_Y).

    ``name`` is the exercise's name for the table and ``variables`` the names
    of its row and column variables; the messages speak in them. Recognised
    mistakes: other units, the reverse direction D(P_X P_Y || P_XY),
    H(X) + H(Y) without subtracting H(X,Y), the joint entropy H(X,Y), the
    conditional entropies H(Y|X) and H(X|Y), and the entropy of either variable,
    the unweighted sum of the log ratios, the ratio upside down (-I), the
    two forms mixed (H(Y) - H(X|Y), H(X) - H(Y|X)), I as a percentage and
    the mean over the cells instead of the sum (each when 1% or more from
    the answer and from the others). H(X) + H(Y) - H(X,Y) from entropies
    rounded first is told so (a rounding route, not a wrong formula).

    Examples
    --------
    >>> check_mutual_information(0.2781, [[0.4, 0.1], [0.1, 0.4]])
    Correct: I(X;Y) = 0.2781 bits.
    """
    from .information import mutual_information

    x, y = _names(variables, ("X", "Y"))
    j = _joint_table(joint, name)
    px, py = j.sum(axis=1), j.sum(axis=0)
    h = lambda v: entropy(v / v.sum(), base=base)   # noqa: E731
    hx, hy, hxy = h(px), h(py), h(j.ravel())
    mistakes = _unit_mistakes(lambda bb: mutual_information(j, base=bb), f"I({x};{y})", base)
    product = np.outer(px, py).ravel()
    mistakes += [
        (kl_divergence(product, j.ravel(), base=base),
         f"D(P_{x} P_{y} || P_{x}{y}), the reverse direction. Mutual information puts the joint table "
         f"first: D(P_{x}{y} || P_{x} P_{y}) = sum {name} * log({name} / (p_{x.lower()} p_{y.lower()})), "
         f"with the outer product of the marginals second."),
        (hx + hy, f"H({x}) + H({y}), without subtracting the joint entropy H({x},{y}): "
                  f"I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
        (hxy, f"the joint entropy H({x},{y}); I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
        (hxy - hx, f"H({y}|{x}) = H({x},{y}) - H({x}), the uncertainty left about {y} once {x} is known; "
                   f"the information is what is removed: H({y}) - H({y}|{x})."),
        (hxy - hy, f"H({x}|{y}) = H({x},{y}) - H({y}), the uncertainty left about {x} once {y} is known; "
                   f"the information is what is removed: H({x}) - H({x}|{y})."),
        (hx, f"the entropy H({x}) of the row variable alone; I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
        (hy, f"the entropy H({y}) of the column variable alone; I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
    ]
    expected = mutual_information(j, base=base)
    log_fn = _LOG_FN.get(base, "np.log")
    outer = f"np.outer(p_{x.lower()}, p_{y.lower()})"
    cells = j.ravel() > 0
    unweighted = (float(np.sum(np.log(j.ravel()[cells]) - np.log(product[cells])) / log_base(base))
                  if np.all(product[cells] > 0) else None)
    _add_apart(mistakes, expected, [
        (unweighted, f"the unweighted sum of {log_fn}({name} / {outer}): the order of the ratio is right, but "
                     f"each log ratio is weighted by its cell's probability: I({x};{y}) = np.sum({name} * "
                     f"{log_fn}({name} / {outer}))."),
        (None if unweighted is None else -unweighted,
         f"the unweighted sum of {log_fn}({name} / {outer}) with its sign flipped: the order of the ratio is "
         f"right, but each log ratio is weighted by its cell's probability: I({x};{y}) = np.sum({name} * "
         f"{log_fn}({name} / {outer}))."),
        (-expected, f"-I({x};{y}): the ratio is upside down. Put {name} over the product of the marginals: "
                    f"np.sum({name} * {log_fn}({name} / {outer}))."),
        (hy - (hxy - hy), f"H({y}) - H({x}|{y}), two forms mixed: I({x};{y}) = H({y}) - H({y}|{x}) = "
                          f"H({x}) - H({x}|{y}), each entropy minus the conditional entropy of the same variable."),
        (hx - (hxy - hx), f"H({x}) - H({y}|{x}), two forms mixed: I({x};{y}) = H({x}) - H({x}|{y}) = "
                          f"H({y}) - H({y}|{x}), each entropy minus the conditional entropy of the same variable."),
        (100 * expected, f"I({x};{y}) x 100, as a percentage: mutual information is in {_unit_words(base)}, not "
                         f"a percentage.", ("scale", f"I({x};{y}) as a percentage", "divided by 100")),
        (expected / j.size, f"the mean over the {j.size} cells (np.mean) instead of the sum: I({x};{y}) sums "
                            f"the weighted terms, np.sum({name} * {log_fn}({name} / {outer})).",
         ("scale", "the mean over the cells", f"multiplied by {j.size}")),
    ])
    feedback = check_number(answer, expected, what=f"I({x};{y})", units=_unit_words(base),
                        mistakes=mistakes, sig=sig,
                        hint=f"Marginals first: p_{x.lower()} = {name}.sum(axis=1), p_{y.lower()} = "
                             f"{name}.sum(axis=0); then sum {name} * log({name} / np.outer(p_{x.lower()}, "
                             f"p_{y.lower()})) over all cells{' with np.log2' if base == 2 else ''}.",
                        negative=f"Mutual information is a KL divergence, so it is >= 0: weight each log "
                                 f"ratio by its cell, {name} * {log_fn}({name} / {outer}), and sum over all "
                                 f"cells.",
                        combine="Sum the terms over all cells of the table (both axes).")
    if feedback.correct or not feedback.message.startswith(("Not yet", "Almost", "Close")):
        return feedback
    rounded = _rounded_entropy_route(answer, (hx, hy, hxy), expected)
    if rounded is None:
        return feedback
    shown = ", ".join(f"{label} = {v}" for label, v in zip((f"H({x})", f"H({y})", f"H({x},{y})"), rounded))
    value = _clean(float(_scalar(answer)))
    opening = ("Right as far as it goes: " if _right_at(value, expected, significant_figures(value)) else
               f"Almost: as close to I({x};{y}) as a result rounded on the way can be, but not I({x};{y}) "
               f"rounded: ")
    return Feedback(False, f"{opening}{_as_given(value)} is H({x}) + H({y}) - H({x},{y}) "
                           f"with the entropies rounded first ({shown}). A difference of rounded entropies keeps "
                           f"only the precision of their rounding, here not enough for {sig} significant "
                           f"figures of I({x};{y}): compute the three entropies unrounded (-np.sum(p * np.log2(p)) "
                           f"for each), combine them, and round only at the end, to {sig} significant figures.")


def _rounded_entropy_route(answer, entropies, expected):
    """The entropies, all rounded by one rule (3-5 significant figures or 2-4 decimals), whose
    H(X) + H(Y) - H(X,Y) is ``answer`` up to float noise; None when no such rounding gives it, when the
    answer is already right, or when it is the right value cut off (that reading is told first).

    One rule for all three is how a learner rounds printed entropies; a mixture of rules would explain
    almost any number near the answer. The three rounding errors (half a unit each) bound how far the
    result can be from I, and the answer must lie within that bound.
    """
    value = _scalar(answer)
    if isinstance(value, bool) or not isinstance(value, (Real, np.number)):
        return None
    value = _clean(float(value))
    if not math.isfinite(value) or _accepted(value, expected) or _truncated(value, expected):
        return None
    rules = ([(lambda h, k=k: float(_round_sig(h, k)), lambda h, k=k: float(_unit(h, k)) / 2)
              for k in range(3, 6)]
             + [(lambda h, d=d: round(float(h), d), lambda h, d=d: 0.5 * 10.0 ** -d) for d in range(2, 5)])
    for rule, half in rules:
        hs = tuple(rule(h) for h in entropies)
        if all(r == h for r, h in zip(hs, entropies)):
            continue
        bound = sum(half(h) for h in entropies)
        if (abs(hs[0] + hs[1] - hs[2] - value) <= 1e-9 * max(abs(value), 1e-12)
                and abs(value - expected) <= bound * (1 + 1e-9)):
            return tuple(_as_given(v) for v in hs)
    return None


def check_channel_kl(answer, p_x, q_x, channel, *, base=2, names=("P_X", "Q_X"), channel_name="W", sig=3):
    """Check D(P_Y || Q_Y) for outputs Y of a channel ``channel[x, y] = P(Y = y | X = x)`` fed P_X or Q_X.

    ``names`` are the exercise's names for the two input distributions and
    ``channel_name`` its name for the channel matrix. Recognised mistakes:
    D(P_X || Q_X) (the inputs' divergence, an upper bound by data
    processing, not the outputs'), its reverse, other units, the
    reverse direction D(Q_Y || P_Y), the conditional term
    D(P_X || Q_X) - D(P_Y || Q_Y), the unweighted sum of the log ratios
    and one output's term alone (both can be negative), the mean over the
    outputs instead of the sum and the answer as a percentage; an array of two
    numbers holding the answer is asked for that one number, an array
    equal to P_Y or Q_Y is told it is the output distribution, and the
    input-side terms are told their sum is D(P_X || Q_X).

    Examples
    --------
    >>> check_channel_kl(0.06592, [0.5, 0.5], [0.2, 0.8], [[0.8, 0.2], [0.3, 0.7]])
    Correct: D(P_Y||Q_Y) = 0.06592 bits.
    """
    a, b = _names(names)
    pa, qa = _probabilities(p_x, a), _probabilities(q_x, b)
    w = np.asarray(channel, dtype=float)
    if w.ndim != 2 or w.shape[0] != pa.size or not np.allclose(w.sum(axis=1), 1) or np.any(w < 0):
        raise DistributionError(f"{channel_name} must be a table with one row per input outcome ({pa.size}), "
                                f"each row a distribution over the outputs; got shape {w.shape}.")
    py, qy = pa @ w, qa @ w
    ya, yb = (a[:-1] + "Y", b[:-1] + "Y") if a.endswith("X") and b.endswith("X") else ("P_Y", "Q_Y")
    what = f"D({ya}||{yb})"
    mistakes = _unit_mistakes(lambda bb: kl_divergence(py, qy, base=bb), what, base)
    mistakes += [
        (kl_divergence(pa, qa, base=base),
         f"D({a}||{b}), the divergence of the inputs. The question asks about the outputs: "
         f"{ya} = {a} @ {channel_name} and {yb} = {b} @ {channel_name}. By the data processing inequality "
         f"D({a}||{b}) is an upper bound on the answer."),
        (kl_divergence(qa, pa, base=base),
         f"D({b}||{a}), the inputs' divergence in the reverse direction. Push both inputs through the "
         f"channel first ({a} @ {channel_name}), then compare {ya} with {yb}, {ya} first."),
        (kl_divergence(qy, py, base=base),
         f"D({yb}||{ya}), the reverse direction; {ya} is the reference and comes first."),
        (kl_divergence(pa, qa, base=base) - kl_divergence(py, qy, base=base),
         f"D({a}||{b}) - {what}, the conditional term E D(P_X|Y||Q_X|Y) of step 2, what the channel lost. "
         f"The checked step asks for {what} itself: sum {ya} * log({ya} / {yb}) with {ya} = {a} @ "
         f"{channel_name} and {yb} = {b} @ {channel_name}."),
    ]
    expected = kl_divergence(py, qy, base=base)
    one = (f"One of your two numbers is {what}: give that one number as the answer (compare it with "
           f"D({a}||{b}) yourself).")
    per = log_base(base)
    log_fn = _LOG_FN.get(base, "np.log")
    terms_x = pa * (np.log(pa) - np.log(qa)) / per if np.all(qa[pa > 0] > 0) else None

    def equal_to(target):
        # an array that is ``target`` (to 3 figures): the reduction "is" the answer, so its advice is given
        def reduce(arr):
            if target is None or arr.shape != target.shape:
                return None
            return expected if np.allclose(arr, target, rtol=5e-3, atol=1e-12) else None
        return reduce

    outputs = py.size
    routes = [
        (equal_to(py), f"It is the output distribution {ya} = {a} @ {channel_name}, the first step. Now compute "
                       f"{what} = np.sum({ya} * {log_fn}({ya} / {yb})) with {yb} = {b} @ {channel_name}."),
        (equal_to(qy), f"It is the output distribution {yb} = {b} @ {channel_name}, the second step. With "
                       f"{ya} = {a} @ {channel_name}, compute {what} = np.sum({ya} * {log_fn}({ya} / {yb}))."),
    ]
    if terms_x is not None and pa.size != outputs:
        routes.append((equal_to(terms_x),
                       f"They are the input-side terms {a} * {log_fn}({a} / {b}), one per input outcome: their "
                       f"sum is D({a}||{b}), the upper bound, not the answer. Push both inputs through the "
                       f"channel first ({ya} = {a} @ {channel_name}, {yb} = {b} @ {channel_name}), then sum "
                       f"{ya} * {log_fn}({ya} / {yb}) over the {outputs} outputs."))
    routes += [(lambda arr, i=i: float(arr.ravel()[i]) if arr.size == 2 else None, one) for i in (0, 1)]
    size = np.size(answer) if isinstance(answer, (list, tuple, np.ndarray)) else outputs
    combine = ("Sum the terms over the output outcomes." if size == outputs else
               f"Sum the terms: {what} = sum {ya} * log({ya} / {yb}) over the {outputs} output outcomes "
               f"({ya} = {a} @ {channel_name}); your answer has {size} numbers.")
    unweighted = float(np.sum(np.log(py) - np.log(qy)) / per) if np.all(py > 0) and np.all(qy > 0) else None
    spread = [(unweighted, f"the unweighted sum of {log_fn}({ya} / {yb}): each log ratio is weighted by "
                           f"{ya}: {what} = np.sum({ya} * {log_fn}({ya} / {yb})).")]
    if outputs > 1:
        for k in range(outputs):
            if py[k] > 0 and qy[k] > 0:
                spread.append((float(py[k] * (math.log(py[k]) - math.log(qy[k])) / per),
                               f"the term of output {k} alone ({ya}[{k}] * {log_fn}({ya}[{k}] / {yb}[{k}])); "
                               f"{what} sums the terms over {'both' if outputs == 2 else f'all {outputs}'} outputs."))
    _add_apart(mistakes, expected, spread + [
        (expected / outputs, f"the mean over the {outputs} outputs (np.mean) instead of the sum: {what} = "
                             f"np.sum({ya} * {log_fn}({ya} / {yb})).",
         ("scale", "the mean over the outputs", f"multiplied by {outputs}")),
        (100 * expected, f"{what} x 100, as a percentage: a divergence is in {_unit_words(base)}, not a "
                         f"percentage.", ("scale", f"{what} as a percentage", "divided by 100")),
    ])
    return check_number(answer, expected, what=what, units=_unit_words(base),
                        mistakes=mistakes, sig=sig, array_routes=routes,
                        hint=f"{ya} = {a} @ {channel_name}, {yb} = {b} @ {channel_name}, then "
                             f"sum {ya} * log({ya} / {yb}){' with np.log2' if base == 2 else ''}.",
                        negative=f"{what} is >= 0: weight each log ratio by {ya} and sum over "
                                 f"{'both' if outputs == 2 else f'all {outputs}'} outputs, "
                                 f"np.sum({ya} * {log_fn}({ya} / {yb})).",
                        combine=combine)


def check_renyi(answer, p, q, alpha, *, base=None, names=("P", "Q"), sig=3):
    """Check an answer for the Rényi divergence D_alpha(P||Q) = log(sum p^alpha q^(1-alpha)) / (alpha - 1).

    Recognised mistakes: other units, the reverse direction D_alpha(Q||P),
    KL (the order 1), the sum without its logarithm (and, for alpha = 2,
    the chi-square divergence, which is that sum minus 1), the
    logarithm without the factor 1/(alpha - 1) (for alpha != 2), the log
    of the mean instead of the sum, Q raised to alpha - 1 instead of
    1 - alpha, and the sum of the logs of the terms (each of these with
    either sign, since the first two are negative for alpha > 1); the
    result divided by alpha or times alpha/(alpha - 1), the orders 1/2 and
    infinity, and the Jeffreys divergence (each when 1% or more from the
    answer and from the others).

    Examples
    --------
    >>> check_renyi(0.1457, [0.36, 0.48, 0.16], [1/3, 1/3, 1/3], 2)
    Correct: D_2(P||Q) = 0.1457 nats.
    """
    from .fdivergences import renyi_divergence

    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    order = float(alpha)
    if not (order > 0 and order != 1 and math.isfinite(order)):
        raise ValueError(f"check_renyi needs a finite order alpha > 0 other than 1, got {alpha!r}.")
    what = f"D_{order:g}({a}||{b})"
    mistakes = _unit_mistakes(lambda bb: renyi_divergence(pn, qn, order, base=bb), what, base)
    mistakes.append((renyi_divergence(qn, pn, order, base=base),
                     f"D_{order:g}({b}||{a}), the reverse direction; {a} comes first: "
                     f"sum {a}**alpha * {b}**(1 - alpha)."))
    mistakes.append((kl_divergence(pn, qn, base=base),
                     f"D({a}||{b}), the KL divergence, which is the Rényi divergence of order 1 only; "
                     f"the question asks for order {order:g}."))
    with np.errstate(divide="ignore"):
        s = float(np.sum(np.where(pn > 0, pn**order * qn ** (1 - order), 0.0)))
    mistakes.append((s, f"the sum of {a}**alpha * {b}**(1 - alpha) without its logarithm; "
                        f"D_alpha = log(sum) / (alpha - 1)."))
    if order == 2:
        mistakes.append((s - 1, f"the chi-square divergence sum ({a} - {b})**2 / {b}; the Rényi divergence "
                                f"of order 2 is its log1p: np.log1p(chi2) = log(1 + chi2)."))
    else:
        mistakes.append((math.log(s) / log_base(base),
                         f"log(sum) without the factor 1/(alpha - 1) = {1 / (order - 1):g}.",
                         ("scale", "log(sum) without the factor 1/(alpha - 1)", f"divided by {order - 1:g}")))
    per = log_base(base) * (order - 1)
    on = pn > 0
    n = int(np.count_nonzero(on))
    with np.errstate(divide="ignore"):
        swapped = float(np.sum(np.where(on, pn**order * qn ** (order - 1), 0.0)))
        logs = float(np.sum(np.log(pn[on] ** order * qn[on] ** (1 - order))))
    routes = []
    if n > 1:
        routes.append((math.log(s / n) / per,
                       f"the log of the mean of {a}**alpha * {b}**(1 - alpha) (np.mean), which is log(sum) "
                       f"- log({n}): {what} takes the log of their sum: np.log(np.sum(...)) / (alpha - 1)."))
    if swapped > 0:
        routes.append((math.log(swapped) / per,
                       f"the terms with {b} raised to alpha - 1 = {order - 1:g} instead of 1 - alpha = "
                       f"{1 - order:g}: they are {a}**{order:g} * {b}**({1 - order:g})."))
    if n > 1 and math.isfinite(logs):
        routes.append((logs / per,
                       f"the sum of the logs of the terms {a}**alpha * {b}**(1 - alpha), not the log of their "
                       f"sum: sum the terms first (np.sum), then take np.log and divide by alpha - 1."))
    expected = renyi_divergence(pn, qn, order, base=base)
    others = [
        (expected / order, f"{what} divided by alpha = {order:g}: the factor is 1/(alpha - 1) = "
                           f"{1 / (order - 1):g}, not 1/alpha.",
         ("scale", f"{what} divided by alpha", f"multiplied by {order:g}")),
        (expected * order, f"{what} times alpha, or log(sum) times alpha/(alpha - 1) = {order / (order - 1):g}: "
                           f"the factor is 1/(alpha - 1) = {1 / (order - 1):g} alone.",
         ("scale", f"{what} times alpha", f"divided by {order:g}")),
    ]
    if order != 0.5:
        others.append((renyi_divergence(pn, qn, 0.5, base=base),
                       f"D_1/2({a}||{b}), the order 1/2; the question asks for order {order:g}: "
                       f"{a}**{order:g} * {b}**({1 - order:g})."))
    others += [
        (renyi_divergence(pn, qn, math.inf, base=base),
         f"D_inf({a}||{b}) = log max {a}/{b}, the order infinity (the largest log ratio); the question asks "
         f"for order {order:g}: np.log(np.sum({a}**{order:g} * {b}**({1 - order:g}))) / ({order:g} - 1)."),
        (kl_divergence(pn, qn, base=base) + kl_divergence(qn, pn, base=base),
         f"D({a}||{b}) + D({b}||{a}), the Jeffreys divergence, not a Rényi divergence; "
         f"{what} = log(sum {a}**{order:g} * {b}**({1 - order:g})) / ({order:g} - 1)."),
    ]
    _add_apart(mistakes, expected, others)
    for w, why in routes:
        if math.isfinite(w) and abs(w - expected) > 0.01 * abs(expected):
            mistakes.append((w, why))
            if w < 0 and abs(-w - expected) > 0.01 * abs(expected):
                mistakes.append((-w, f"{why} That route gives {_show(w)}; this is it with the sign flipped."))
    return check_number(answer, expected, what=what,
                        units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"{what} = np.log(np.sum({a}**{order:g} * {b}**(1 - {order:g}))) / ({order:g} - 1).",
                        negative=f"Sum {a}**alpha * {b}**(1 - alpha) over the outcomes first, then take the log "
                                 f"and divide by alpha - 1: a Rényi divergence of order alpha > 0 is >= 0.")


CHOICES["08-ex4"] = ("a", {
    "a": "With P_hat the empirical distribution of the data, the average negative log-likelihood is the "
         "cross-entropy H(P_hat, Q), which is H(P_hat) + D(P_hat||Q); H(P_hat) does not depend on the model, so the same model minimises "
         "both (section 1). For continuous data D(P_hat||Q) is infinite for every density, and maximum "
         "likelihood approaches the minimiser of D(P||Q_theta), P the distribution that generated the data "
         "(section 1).",
    "b": "D(Q||P_hat) is the reverse direction; it is infinite for any model that gives probability to a "
         "value the data never showed, and maximum likelihood has no such penalty.",
    "c": "H(P_hat) is the constant gap between the two curves of section 1: it does not depend on the model, "
         "so nothing is minimised over it.",
    "d": "Jensen-Shannon appears in the original GAN objective, not in maximum likelihood.",
})
