"""Exercise checks that explain a wrong answer, not just flag it: the shared machinery.

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
  digit. One of 4 or more figures that is not the right value at the
  figures it gives (``0.2176`` for 0.2180) is told "correct to 3
  significant figures", with the right value to 3 only, and that its last
  figure is off (or cut off): never a plain "Correct". A full number (8 or
  more figures) is plainly correct when it equals the right value to 1e-6.
- "Right at the digits it gives" (here and below) means rounded, or within
  half a unit of the last digit; a right value exactly halfway between two
  short numbers counts only as a standard rounding (half up or half to
  even) gives it: 1.5 is 2 at 1 figure, and 1 is 1.5 cut off (2.5 is 2 or
  3). A check with a hard bound (no prefix code averages less than the
  entropy) applies it before reading an answer as a cut-off.
- An answer given to fewer significant figures, but right at the digits it
  gives, is told "right, but give N significant figures"; it is never
  given the explanation of a mistake it only rounds to, nor a wrong route
  that a rounded number fixed as advised would also give
  (``0.168 / 3 = 0.056``). A mistake whose value it is exactly comes first
  (see below). A whole number typed as a float is read at the figures
  Python shows it with (:func:`significant_figures`: 2 for ``4.0`` and
  ``-2.0``), in every reading: right as far as it goes (``4.0`` for 4.04),
  a mistake matched (``4.0`` is 4.027 rounded, not 4.193) and a cut-off
  (``2.0`` is 2.06 cut off, not 2.5). ``4.0`` for 4.2 is right at 1 figure
  only, and is told so, never "right as far as it goes"; so is ``1.0``
  for 1.5, cut off after 1 figure only. A whole number typed as an int
  (``4``, ``round(x)``, a numpy integer) shows its own figures (1 for
  ``4``), is judged at them and shown as typed: ``4`` for 4.2 is right as
  far as it goes, and every known quantity that rounds to it there too
  (4.027, 4.193) is named beside that reading, since one figure cannot
  tell them apart.
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
  weighted, give a float next to it, and no route is named). That float
  (``4.20 - 4.027``, the cross-entropy as printed to 3 figures minus the
  entropy as printed to 4) is read as that route before any other
  reading: it is not read as a cut-off, nor as another route fixed as
  advised that lands near it.
  Rounded again to those figures (``4.19``), or given with fewer than 3
  figures (``0.087``), it could as well be another mistake rounded, so it
  is only asked whether it rounded an intermediate result (and told that,
  if nothing was rounded, it is not the answer, with the formula), as is
  an answer that is literally a wrong conversion reversed on a rounded
  number (``0.204 / ln 2 / ln 2 = 0.4246``; rounded again to the figures
  asked, that chain of a mistake and its undoing is not read). A sum
  whose terms (or their logs) were rounded to 2-4 significant figures
  or 2-4 decimal places (as printed
  terms show them), more than 1.5% from the right value, is told the
  same; nearer, such a sum is asked whether it rounded the terms before
  summing, beside the other roundings on the way. A short answer (fewer
  than 3 figures) that is exactly one of the far sums (``0.44``, terms
  printed as -0.07 and 0.79) and that no mistake or rounded route
  explains is asked whether it rounded the terms before summing, and
  asked for the unrounded number.
- An answer one unit off in its last (at least 3rd) figure is told to
  round, not truncate, only when it is the right value cut off; otherwise
  it is asked whether it rounded an intermediate result. When a rounded
  route also gives it (``4.2 - H``), that route is named beside the
  truncation, since rounding the number that route computed gives the
  same answer again; a chain of a mistake, a rounding and its undoing
  (the mean over the outputs rounded, then doubled) is not, and does not
  hide a plausible route rounded to 2-4 figures (D in nats rounded to 0.13,
  then converted to bits: 0.188). Terms (or their logs) rounded before
  summing are named beside it, alone or beside such a route, only when one
  of the check's rounded sums gives it (``partway``); otherwise the cut-off
  (and the route) is the only reading. An answer of 1
  or 2 figures that is the right value cut off (``0.21`` for ``0.218``)
  is right as far as it goes: it is told to round and give more figures,
  never given a mistake's explanation.
- An answer within 1.5% of the right value that matches no mistake is
  asked first whether it rounded an intermediate number (a log, say) on
  the way, and given the formula second, for the case that nothing was
  rounded. A value with nothing to round on the way (a ratio of
  whole-number counts, a sum or product of short decimals: ``rounding``)
  is said to be so instead, and no answer to it is asked whether it
  rounded the terms before summing.
- A mistake is named only when the answer matches it better than it
  matches the right value, at the precision the answer gives (to 4
  figures at most; an answer of 8 or more figures, the full number a
  computation gave, must equal it to 1e-6, and is named only with the
  mistakes it equals); mistakes within 1% of each other are named
  together when the answer matches each at its precision, and an answer too short to tell apart mistakes further apart
  names each of them. An answer with
  fewer than 3 figures that matches one mistake is told it may be that
  mistake and asked for the unrounded number, since the advice, followed
  on a rounded number, can fail. A number that is exactly a mistake's
  value (``2.0 = log2(4)``, ``0.4 = 2/5``, ``0.13 = 13/100``) is that
  mistake, since more figures (``2.00``) would not change it ("is exactly
  the value of" it, said only of the mistakes it equals: grouped with one
  within 1% that it only rounds to, 26/199 beside 26/200, the group
  "matches", and the one it equals is named for the case that the unrounded
  number is the number itself); when it is
  also the right value rounded (``0.3``, exactly the total variation, for a
  Jensen-Shannon distance of 0.2957), the mistake is named first and the
  rounding reading beside it, since "give more figures" alone, followed,
  gives the same wrong number again (a mistake that the short answer only
  rounds to is never named beside a right-as-far-as-it-goes reading); a mistake it only rounds to
  at the figures it has is listed beside it, by name and value (``name (0.1313)``, or ``name = 0.2462``
  for a name that ends in a parenthesis), and the unrounded number asked for,
  for a number of 2 figures or more (``0.13``: ``13/99 = 0.1313``) or a whole number,
  typed ``1.0``, which may be ``1.0297`` rounded to 2 figures: if that number is the short number
  itself, it is the mistake (or one of the mistakes) it equals exactly. A short answer
  that is a mistake's value rounded to the figures the question asks for
  (``0.350``, read as ``0.35``) names that mistake too, without a hedge; another mistake that
  also rounds to it at the figures it has (``0.25``: a Hellinger distance of 0.2501, or the
  Jensen-Shannon distance in nats, 0.2462) is listed beside it and the unrounded number asked for.
- An answer of 3 or more figures that is a mistake's value cut off (not
  rounded) after them, and not the right value cut off, names that mistake.
- A full number (8 or more figures) equal to a wrong quantity that lies
  within 1% of the right value (``coincident``), or that quantity rounded
  to 4 or more figures, is named as that quantity.
- A short answer that is a mistake's value rounded to the figures the
  question asks for, its trailing zeros dropped by Python (``0.00700``,
  the exact KL 0.0070021 where its quadratic approximation 0.0078125 is
  asked, is read as ``0.007``), is that other quantity of the exercise,
  rounded as asked, when it is also the right value cut off, not rounded
  (which alone would read as the right value cut off): it is named first, and the
  cut-off beside it. (An answer right as far as it goes is read so: 0.058
  for a PSI of 0.0578 is not named as a mistake whose value is 0.05800.)
- A mistake read by converting the wrong way (a double conversion), or a
  value in base-10 units, is never read from an answer of fewer than 3
  figures, except a base-10 value (or one converted the wrong way)
  rounded to the figures the question asks for, its trailing zero
  dropped (``0.670`` typed, read as ``0.67``): it is named, and the
  unrounded number asked for to be sure. A base-10 route is never named
  beside a cut-off (no exercise uses base 10). A full number that is a
  value in another unit rounded to 2-4 figures, then converted the wrong
  way (``round(D_nats, 3) * np.log(2)``), is told, hedged, that it looks
  like that wrong-way conversion of a rounded number: the conversion is
  the mistake, not the formula. So is the right value rounded to 2-4
  figures, then converted into the other unit (``round(D_nats, 3) /
  np.log(2)`` where nats are asked), and the figure count is given as a
  range where trailing zeros hide it (0.35 is 0.3499776 rounded to 2 to 4
  figures).

Every notebook's checks (``klteach.course.nbNN_*``) are built on :func:`check_number` and
its underscore helpers here and in :mod:`klteach.course.units`, the shared internal API of
:mod:`klteach.course`.

Examples
--------
>>> from klteach.course.nb01_definition import check_kl
>>> check_kl(0.2231, [1, 0], [0.8, 0.2], base=2)
Not quite: 0.2231 matches D(P||Q) in nats (computed with np.log). The question asks for bits: use np.log2 throughout, or divide the unrounded number your code computed by `np.log(2)`.
>>> check_kl(0.3219, [1, 0], [0.8, 0.2], base=2)
Correct: D(P||Q) = 0.3219 bits.
>>> check_kl(0.32, [1, 0], [0.8, 0.2], base=2)
Right as far as it goes: 0.32 agrees with D(P||Q) to the 2 significant figures it has. Give 3 significant figures, or the unrounded number your code computes (Python drops trailing zeros: 0.320 is read as 0.32, and 0.320 is not D(P||Q) to 3 significant figures). If your unrounded result is exactly 0.32, your computation is off: check each step.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from numbers import Real

import numpy as np

from .._validation import DistributionError, as_nonnegative, log_base
from .units import _LOG_FN, _base10_route, _unit_words

__all__ = ["Feedback", "check_number", "check_choice", "CHOICES", "recording",
           "significant_figures"]


#: Significant figures accepted as right (see the precision policy above).
ACCEPTED_FIGURES = 3


#: Environment variable: when set to a file path, every check appends one JSON line
#: (what, expected, mistakes) to that file; tests use it on notebooks run in a kernel.
RECORD_ENV = "KLTEACH_RECORD_CHECKS"


_records: list | None = None


@contextmanager
def recording():
    """Record every :func:`check_number` call made inside the ``with`` block.

    Used in: no notebook; the tests of the checks (tests/course/) record with it.

    Yields a list that receives one dict per call: ``what``, ``expected``,
    ``mistakes`` (a list of ``(value, explanation)``) and ``sig``. Tests use it
    to see that each mistake lands far from the right value.

    Examples
    --------
    >>> from klteach.course.nb02_bits_and_encoding import check_entropy
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
    """Result of an exercise check: ``bool(feedback)`` says whether it is right.

    Used in: every notebook's exercises (each check returns one).
    """

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


def _digits(x: float) -> int:
    """Significant digits of the float ``x``: its shortest repr, float noise removed (``4.0`` -> 1, ``120.0`` -> 2)."""
    if x == 0 or not math.isfinite(x):
        return 1
    return max(1, len(_dec(_clean(x)).normalize().as_tuple().digits))


def significant_figures(x: float) -> int:
    """Significant figures of ``x`` as Python shows it: its shortest repr, float noise removed.

    Used in: every notebook's exercises, through check_number.

    ``0.42`` -> 2, ``0.0`` -> 1, and ``0.887 - 0.802`` (the float
    ``0.08499999999999996``) -> 2: noise from arithmetic on rounded numbers
    does not count as precision. A whole number typed as a float shows at
    least 2: Python prints ``4.0`` and ``-2.0`` with one decimal, so they
    have 2, while the int ``4`` (or ``round(x)``, a numpy integer) has 1.
    The zero after the point counts only up to 2 figures: the trailing zeros
    of a larger whole number may or may not be significant, so ``120.0``
    and ``12.0`` have 2, and ``125.0`` has 3.

    Examples
    --------
    >>> significant_figures(0.42), significant_figures(0.4240), significant_figures(1 / 3)
    (2, 3, 16)
    >>> significant_figures(0.887 - 0.802)
    2
    >>> significant_figures(4.0), significant_figures(4), significant_figures(-2.0), significant_figures(120.0)
    (2, 1, 2, 2)
    """
    figures = _digits(float(x))
    return max(2, figures) if _is_whole(float(x)) and not _typed_int(x) else figures


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
    return min(_digits(x * m) for m in range(1, 13))


def _unit(x: float, figures: int) -> Decimal:
    """One unit in the ``figures``-th significant digit of ``x``."""
    return Decimal(1).scaleb(_dec(x).adjusted() - figures + 1)


def _round_sig(x: float, figures: int) -> Decimal:
    return _dec(x).quantize(_unit(x, figures), rounding=ROUND_HALF_EVEN)


def _right_at(value: float, truth: float, figures: int) -> bool:
    """``value`` equals ``truth`` at ``figures`` significant figures (rounded, or within half a unit).

    An exact half-unit tie (``truth`` halfway between ``value`` and its neighbour, float noise aside)
    counts only in the direction a standard rounding takes it, half up or half to even: 1.5 is 2 at
    1 figure, never 1 (1 is 1.5 cut off); 2.5 is 2 or 3.

    Examples
    --------
    >>> _right_at(1.0, 1.5, 1), _right_at(2.0, 1.5, 1), _right_at(2.0, 2.5, 1), _right_at(3.0, 2.5, 1)
    (False, True, True, True)
    """
    if truth == 0 or not (math.isfinite(value) and math.isfinite(truth)):
        return value == truth
    if _round_sig(value, figures) == _round_sig(truth, figures):
        return True
    unit = min(_unit(value, figures), _unit(truth, figures))
    half = unit / 2
    gap = abs(_dec(value) - _dec(truth))
    if gap > half * Decimal("1.000000001"):
        return False
    if gap < half * Decimal("0.999999999"):
        return True
    # a tie: the value a standard rounding of the halfway point gives, or a cut-off (or a rounding the wrong way)
    middle = _dec(value) + (half if truth > value else -half)
    return _dec(value) in (middle.quantize(unit, rounding=ROUND_HALF_UP),
                           middle.quantize(unit, rounding=ROUND_HALF_EVEN))


def _shown_figures(value: float, typed_int: bool = False) -> int:
    """The figures of an answer read as a float: :func:`significant_figures`, 2 for a whole float (``4.0``), or
    the int's own when it was typed as one (``typed_int``: ``4``, ``round(x)``, 1 for ``4``)."""
    return _digits(value) if typed_int else significant_figures(value)


def _right_as_shown(value: float, truth: float, typed_int: bool = False) -> bool:
    """``value`` is ``truth`` at the figures it shows (:func:`_shown_figures`): ``4.0`` for 4.2 is right at 1
    figure, but not at the 2 it shows; the int ``4`` (``typed_int``) shows 1.

    Examples
    --------
    >>> _right_as_shown(4.0, 4.2014), _right_as_shown(4.0, 4.2014, typed_int=True), _right_as_shown(0.4, 0.42)
    (False, True, True)
    """
    return _right_at(value, truth, _shown_figures(value, typed_int))


def _typed_int(answer) -> bool:
    """``answer`` is a whole number typed as an int (``2``, ``round(x)``, a numpy integer, or a one-element list of
    one), not a float (``2.0``) or a bool: it shows its own figures, 1 for ``2``."""
    answer = _scalar(answer)
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


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


def _matches(value: float, wrong: float, truth: float, figures: int | None = None) -> bool:
    """``value`` matches ``wrong`` at the precision it gives (``figures``, :func:`significant_figures` by default),
    and better than it matches ``truth``."""
    if wrong is None or (isinstance(wrong, float) and math.isnan(wrong)):
        return False
    if math.isinf(wrong) or math.isinf(value):
        return value == wrong
    if not math.isfinite(truth):
        truth = math.copysign(1e308, truth)
    given = significant_figures(value) if figures is None else figures
    figures = min(given, 4)
    if wrong == 0 or value == 0:
        close = abs(value - wrong) <= 1e-15
    elif given >= _PRECISE:
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
    """The learner's number as they gave it (shortest repr, an int as typed), shortened if very long."""
    if _typed_int(x) and abs(x) < 1e15:
        return str(int(x))
    if _typed_int(x):
        return f"{float(x):.6g}"        # (a huge int shown as its float would print digits nobody typed)
    figures = significant_figures(x)
    return repr(_clean(float(x))) if figures <= 6 else _show(x, 4)


#: An answer of None: most often ``answer = print(x)``, since print shows a value but returns None.
_NONE = ("Your answer is None, not a value. print() shows a value but returns None, so answer = print(...) "
         "stores None: write {example} (without print), and run the cell again.")


_NAN = ("Your answer is NaN (not a number). The data here have no zero probabilities, so look for "
        "the log of a negative number, 0/0, inf - inf, or 0 * log 0 from a probability you rounded to 0 "
        "(keep the unrounded values): print the terms and find it with np.isnan(terms).")


def _nan_zero(a, b=None, log="np.log", cross=False):
    """NaN advice for data with zero probabilities in ``a``: one mask, used on both arrays.

    The example shows the mask on another expression, never the exercise's own formula (``log`` and
    ``cross`` are kept for the callers; the advice no longer depends on them).
    """
    use = f"{a}[m] and {b}[m]" if b else f"{a}[m]"
    example = (f"np.sum({a}[m] * {b}[m]) sums over those outcomes only" if b
               else f"np.sum({a}[m]) adds its nonzero entries only")
    return (f"Your answer is NaN. {a} has zero probabilities, and a 0 * log(0) term gives NaN in numpy; "
            f"such terms count as 0. "
            + ("Use one mask on both arrays" if b else "Use a mask")
            + f": m = {a} > 0, then {use} (e.g. {example}).")


def _nan_for(p, a, b=None, base=None, cross=False, q=None):
    """The NaN advice that fits the exercise's data: blame 0 log 0 only when ``p`` has zeros.

    For a cross-entropy (``cross``) whose ``q`` has no zero where ``p`` is 0, the right formula
    ``-sum p log q`` gives no NaN at all: a NaN means ``p`` went inside a log.
    """
    if not np.any(np.asarray(p) == 0):
        return _NAN
    log = _LOG_FN.get(base, "np.log")
    if cross and b is not None and q is not None and np.all(np.asarray(q)[np.asarray(p) == 0] > 0):
        return (f"Your answer is NaN. The cross-entropy takes no log of {a}, only of {b}, and {b} has no zero "
                f"where {a} is 0, so the right formula gives no NaN here: a NaN means {a} went inside a log "
                f"(e.g. {a} * {log}({a} / {b}), the KL divergence's term, or {log}({a})), where its zeros give "
                f"0 * log(0) = NaN in numpy. In a cross-entropy, {a} is only the weight in front of the log.")
    return _nan_zero(a, b, log, cross)


def _scalar(answer):
    """A one-element list, tuple, array (an object array too) or pandas Series as its element (a longer Series as
    an array); other answers unchanged."""
    if hasattr(answer, "to_numpy") and hasattr(answer, "index") and not isinstance(answer, np.ndarray):
        answer = answer.to_numpy()                 # (pandas is not imported: anything with .to_numpy and .index)
    if isinstance(answer, (list, tuple, np.ndarray)) and not getattr(answer, "_fields", None):
        try:
            arr = np.asarray(answer)
        except (TypeError, ValueError):
            return answer
        if arr.size == 1 and arr.dtype.kind in "fiu":
            return arr.reshape(-1)[0]
        only = arr.reshape(-1)[0] if arr.size == 1 and arr.dtype.kind == "O" else None
        if only is not None and not isinstance(only, (list, tuple, np.ndarray)):
            return only                    # (an object array of one number, or of one text: read as that)
    return answer


def _read_number(answer, expected, combine, nan, field=None, array_routes=()):
    """Return ``(value, None)`` or ``(None, Feedback)`` explaining why it is not one number."""
    if answer is ...:
        return None, Feedback(False, "No answer yet: replace ... with your answer and run the cell again.")
    if answer is None:
        return None, Feedback(False, _NONE.format(example="answer = <expression>"))
    if isinstance(answer, np.ma.MaskedArray) or answer is np.ma.masked:
        return None, Feedback(False, "Your answer is a masked array (numpy.ma): its masked entries are left out of "
                                     "sums and means without a word, which changes the number. Compute with plain "
                                     "arrays (np.asarray) and give one number.")
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
        return None, _array_feedback(answer, expected, combine, array_routes, nan)
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
    if isinstance(answer, (complex, np.complexfloating)):
        if answer.imag == 0:
            return None, Feedback(False, f"Your answer is the complex number {answer!r}, whose imaginary part is 0; "
                                         f"the question asks for a real number: find where the complex type came "
                                         f"in (a complex input or dtype), or give its real part, answer.real.")
        return None, Feedback(False, f"Your answer is the complex number {answer!r}; the question asks for a real "
                                     f"number. A complex result comes from the log or square root of a negative "
                                     f"number (or complex inputs): check each step, and give a real number.")
    if isinstance(answer, bool) or not isinstance(answer, (Real, np.number)):
        return None, Feedback(False, f"Your answer should be a number, got {type(answer).__name__} {answer!r}.")
    if isinstance(answer, np.floating) and np.finfo(answer.dtype).bits < 64:
        value = float(str(answer))     # float32(0.42) is 0.42 as written, not 0.41999998688697815
    else:
        try:
            value = float(answer)
        except OverflowError:          # an int or a fraction beyond any float (10**400)
            return None, Feedback(False, f"Your answer is about {'-' if answer < 0 else ''}"
                                         f"1e{len(str(int(abs(answer)))) - 1}, beyond what "
                                         f"a float holds (about 1.8e308): check each step; the question asks for a "
                                         f"number of ordinary size.")
    if math.isnan(value):
        return None, Feedback(False, nan or _NAN)
    return value, None


def _weighted_route(weights, values, advice, *, base=None, terms=None):
    """Array routes for :func:`check_number`, each giving the right number (the entries weighted by ``weights``
    and summed): an answer whose entries are ``values`` (per-outcome logs left unweighted, to 3 significant
    figures), given over every outcome (0 where the log is undefined, at weight 0, or numpy's -inf or NaN there)
    or over those of weight > 0, is told ``advice``; the same logs in another
    base are told that too, and which log to use. With ``terms`` (the weighted term's name), an array of the
    weighted terms in another base, or weighted by a multiple of ``weights`` (counts, percentages), is told so.
    ``base``: the base the question asks for."""
    w, v = np.asarray(weights, dtype=float), np.asarray(values, dtype=float)
    support = w > 0
    right = float(np.dot(w[support], v[support]))

    def fits(a, full):
        """``a`` is ``full`` (to 3 figures): over every outcome (an entry of weight 0 whose log is undefined may be
        0 instead, a masked log), or over the outcomes of weight > 0 only."""
        if a.shape == w.shape:
            with np.errstate(all="ignore"):
                off = a[~support]
                masked = (off == 0) & ~np.isfinite(full[~support])      # (a log undefined there, left out)
                if not np.all(masked | np.isclose(off, full[~support], rtol=5e-3, atol=1e-12, equal_nan=True)):
                    return False          # (NaN terms of weight 0, 0 log 0: the NaN advice, not this one)
            a = a[support]
        return a.shape == (int(support.sum()),) and np.allclose(a, full[support], rtol=5e-3, atol=1e-12)

    def matching(entries, factor):
        return lambda a: right if fits(a, factor * entries) else None

    weighted = np.zeros_like(v)
    weighted[support] = w[support] * v[support]               # (0 where the weight is 0, whatever the log there)
    routes = [(matching(v, 1.0), advice)]
    for other in (None, 2, 10):
        if other == base:
            continue
        factor = log_base(base) / log_base(other)           # a log in base ``base`` times this is in ``other``
        use = (f" They are in {_unit_words(other)}: the question asks for {_unit_words(base)}, so use "
               f"{_LOG_FN.get(base, 'np.log')}.")
        routes.append((matching(v, factor), advice + use))
        if terms:
            routes.append((matching(weighted, factor), f"These are the terms {terms}, one per outcome, in "
                                                     f"{_unit_words(other)}: add them up, and use "
                                                     f"{_LOG_FN.get(base, 'np.log')} (the question asks for "
                                                     f"{_unit_words(base)})."))
    if terms:
        def scaled(a):
            full = a.shape == w.shape
            if full and np.any(a[~support] != 0):
                return None
            a = a[support] if full else a
            t = weighted[support]
            if a.shape != t.shape or not np.all(np.isfinite(a)) or not np.any(t != 0):
                return None
            k = float(np.dot(a, t) / np.dot(t, t))        # the one multiple of the terms the entries may be
            return right if k > 1.5 and np.allclose(a, k * t, rtol=5e-3, atol=1e-12) else None
        routes.append((scaled, f"These are the terms {terms}, one per outcome, but weighted by a multiple of the "
                               f"probabilities (counts or percentages?): divide the weights by their total so they "
                               f"sum to 1, then add the terms up."))
    return routes


def _array_feedback(answer, expected, combine, array_routes=(), nan=None):
    """Feedback for an array answer: which reduction of it, if any, is the right number; for one holding NaN
    that none gives, the exercise's NaN advice (``nan``)."""
    try:
        arr = np.asarray(answer, dtype=float)
    except OverflowError:      # (an int beyond any float inside it: 10**400)
        return Feedback(False, f"Your answer is a {type(answer).__name__} holding a number beyond what a float holds "
                               f"(about 1.8e308); the question asks for one number of ordinary size: check each step.")
    except (TypeError, ValueError):
        return Feedback(False, f"Your answer is a {type(answer).__name__}; the question asks for one number.")
    kind = {"list": "a list", "tuple": "a tuple"}.get(type(answer).__name__, "an array")
    items = np.asarray(answer, dtype=object).reshape(-1)
    if any(isinstance(x, (str, np.str_)) for x in items):
        def number(x):
            try:
                float(x)
                return True
            except (TypeError, ValueError):
                return False
        # numbers typed in quotes ('1.357'): the quotes are the trouble; other text (codewords '0', '10'): what to
        # compute instead
        texts = [x for x in items if isinstance(x, (str, np.str_))]
        quoted = all(map(number, texts)) and (items.size == 1 or any("." in x for x in texts))
        fix = ("Give the number without quotes: answer = 0.123, say." if quoted else
               f"{combine or 'Combine the terms into one number as the formula says.'}")
        among = "of" if len(texts) == items.size else "holding"
        return Feedback(False, f"Your answer is {kind} {among} {_plural(len(texts), 'string')} (text in quotes, such "
                               f"as {str(texts[0])!r}); the question asks for one number. {fix}")
    if any(x is None for x in items):
        return Feedback(False, f"Your answer is {kind} holding None (no value) where numbers belong; the question "
                               f"asks for one number. print() returns None, so a list built from print(...) "
                               f"holds None: compute the number itself, without print.")
    shape = f" (shape {arr.shape})" if kind == "an array" or arr.ndim > 1 else ""
    start = f"Your answer is {kind} of {_plural(arr.size, 'number')}{shape}; the question asks for one number."
    if arr.size:
        # terms whose plain sum is right first (weighted terms of a one-hot label equal its unweighted logs where
        # it is 1), then the exercise's own readings
        if arr.size > 1 and np.all(np.isfinite(arr)) and _accepted(float(np.sum(arr)), expected):
            return Feedback(False, f"{start} Their sum is it: wrap your expression in np.sum(...).")
        for reduce, advice in array_routes:
            value = reduce(arr)
            if value is not None and math.isfinite(value) and _accepted(float(value), expected):
                return Feedback(False, f"{start} {advice}")
        if arr.size > 1 and np.all(np.isfinite(arr)) and np.ptp(arr) == 0:   # (not "take their mean")
            return Feedback(False, f"{start} All {arr.size} are the same number. Copies of one number come from a "
                                   f"broadcast against an array (or a repeated step): if so, find where, rather than "
                                   f"averaging them, and give that one number. If they are per-outcome values that "
                                   f"happen to be equal, the formula says how to combine them: "
                                   + (combine[0].lower() + combine[1:] if combine else
                                      "combine the terms into one number as the formula says."))
        routes = [(np.sum, "Their sum is it: wrap your expression in np.sum(...).")]
        routes.append((np.mean, "Their mean is it: wrap your expression in np.mean(...)."))
        if arr.ndim == 2:
            routes.append((lambda a: np.mean(np.sum(a, axis=-1)),
                           "Sum each row (np.sum(..., axis=-1)), then take the mean over the rows."))
        for reduce, advice in routes:
            value = reduce(arr)
            if value is not None and math.isfinite(value) and _accepted(float(value), expected):
                return Feedback(False, f"{start} {advice}")
    if np.any(np.isnan(arr)):
        # (the advice speaks of one NaN answer: "Your answer is NaN. ..." becomes "k of them are NaN. ...")
        advice = re.sub(r"^Your answer is NaN( \(not a number\))?\. ", "", nan or _NAN)
        count = int(np.sum(np.isnan(arr)))
        return Feedback(False, f"{start} {'All' if count == arr.size else count} of them "
                               f"{'is' if count == 1 else 'are'} NaN (not a number). {advice}")
    return Feedback(False, f"{start} {combine or 'Combine the terms into one number as the formula says.'}")


def _typed_tolerance(value: float) -> float:
    """How far the number a learner gave may lie from a quantity it is read as: ``max(1e-9 |value|, half a unit
    in the last figure given)``. A full float is that quantity to 1e-9; a number typed or printed to ``n``
    figures is it rounded, off by up to half a unit in its last figure (5e-8 relative at 8 figures).

    Examples
    --------
    >>> _typed_tolerance(0.20378527) > abs(0.20378527 - 0.294 * math.log(2))
    True
    >>> _typed_tolerance(0.2037852710846239) < 1e-9
    True
    """
    if value == 0 or not math.isfinite(value):
        return 0.0
    half = float(_unit(value, significant_figures(value))) / 2 * (1 + 1e-9)
    return max(1e-9 * abs(value), half)


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
    if kind in ("log", "log1p"):    # the log (or log1p) of w, times the factor that turns it into expected
        f = math.log if kind == "log" else math.log1p
        if w_k <= (0 if kind == "log" else -1) or f(w) == 0:
            return math.nan
        return f(w_k) * (expected / f(w))
    raise ValueError(f"unknown kind of step {kind!r}: use 'scale', 'shift', 'subtracted', 'added', 'sqrt', "
                     f"'square', 'log' or 'log1p'.")


def _roundings(w, k):
    """``w`` rounded to ``k`` significant figures: one value, or two when ``w`` (float noise removed, ``1.525``
    for ``1.5250000000000004``) ends in a 5 just after them, which a learner may round either way."""
    d = _dec(_clean(w))
    unit = _unit(w, k)
    return list(dict.fromkeys(float(d.quantize(unit, rounding=mode)) for mode in (ROUND_HALF_EVEN, ROUND_HALF_UP,
                                                                                 ROUND_HALF_DOWN)))


def _rescaled_rounding(value, expected, routes, least=2, tight=False, sig=ACCEPTED_FIGURES, raw=None,
                       figures=None):
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
    some other way (log ratios rounded, then weighted), and that route is not to be named. ``figures`` are
    the answer's (:func:`significant_figures` by default).
    """
    if not (math.isfinite(value) and math.isfinite(expected)) or expected == 0:
        return None
    figures = significant_figures(value) if figures is None else figures
    order = sorted(range(max(least, 2), 5), key=lambda k: (k != sig, k))
    pairs = [(a, b) for a in routes if a[1][0] == "shift" for b in routes if b[1][0] in ("subtracted", "added")]
    if raw is not None and math.isfinite(raw):
        # a noisy answer that is, to a few ulps, the very float a difference (or sum) of two rounded numbers gives
        # (4.20 - 4.027 = 0.17300000000000004) is that route: it is read so before any other reading, since a
        # rounded route fixed as advised (the mean rounded, times 3) or a cut-off only lands near that float
        for (w, step), (v, other) in pairs:
            for k in order:
                for j in order:
                    w_k, v_j = float(_round_sig(w, k)), float(_round_sig(v, j))
                    if j == k or w_k in (0, w) or v_j in (0, v):
                        continue
                    literal = w_k - v_j if other[0] == "subtracted" else w_k + v_j
                    if literal != 0 and raw == literal:     # one ulp off (log ratios rounded, then weighted) is not it
                        return (min(k, j), w_k, ("both", step[1], f"{step[2]}, itself rounded to "
                                                                   f"{_plural(j, 'significant figure')} "
                                                                   f"({_show(v_j, j)})", k, True))
    for k in order:
        found = []
        for i, (w, step) in enumerate(routes):
            if not math.isfinite(w) or w == 0:
                continue
            for w_k in _roundings(w, k):
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


def _truncated(value: float, truth: float, figures: int | None = None) -> bool:
    """``value`` is ``truth`` cut off (not rounded) after the significant figures ``value`` has (``figures``,
    :func:`significant_figures` by default): ``2.0`` is not 2.5 cut off, since it shows 2 figures."""
    if not (math.isfinite(value) and math.isfinite(truth)) or value == 0 or truth == 0:
        return False
    if abs(value) >= abs(truth) or (value > 0) != (truth > 0):
        return False
    figures = significant_figures(value) if figures is None else figures
    unit = Decimal(1).scaleb(_dec(truth).adjusted() - figures + 1)
    return _dec(truth).quantize(unit, rounding=ROUND_DOWN) == _dec(value)


def _rounded_terms(weights, logs, terms_words, expected):
    """``partway`` for a weighted sum of logs: the sums of the terms, or of the weighted logs, rounded to 2-4
    significant figures or to 2-4 decimal places (what printed terms show).

    ``weights * logs`` are the terms (in the answer's units); ``terms_words`` names them in the message. Only
    sums more than 1.5% from ``expected`` are kept as values: a nearer answer is already asked whether it
    rounded an intermediate number, and a truncated one told to round. Every sum is kept third (``near``):
    a near or cut-off answer that one of them gives is asked about rounded terms too.

    Examples
    --------
    >>> _, _, near = _rounded_terms([1.0, 1.0], [0.02778, 0.72460], "t", 0.75238)
    >>> 0.753 in near                     # each term rounded to 3 decimal places: 0.028 + 0.725
    True
    """
    weights, logs = np.asarray(weights, float), np.asarray(logs, float)
    values = []
    rules = ([lambda x, k=k: float(_round_sig(x, k)) for k in (2, 3, 4)]
             + [lambda x, k=k: float(_dec(x).quantize(Decimal(1).scaleb(-k), rounding=ROUND_HALF_EVEN))
                for k in (2, 3, 4)])
    for rule in rules:
        values.append(sum(rule(t) if t else 0.0 for t in weights * logs))
        values.append(float(np.sum(weights * np.array([rule(v) if v else 0.0 for v in logs]))))
    # every sum is kept third, for a cut-off answer: a terms route is named beside it only when one gives it
    near = list(values)
    values = [v for v in values if abs(v - expected) > 0.015 * abs(expected)]
    why = (f"The terms {terms_words}, or the logs in them, rounded to a few figures before they are summed, move "
           f"the sum's last figures.")
    return values, why, near


def _rounded_parts_route(raw, value, parts, expected, sig, cut=False, figures=None):
    """The one rounding rule that turns ``parts`` into the answer: ``(how, rounded)``, or None.

    ``parts`` holds ``(value, coefficient)`` pairs whose ``sum(coefficient * value)`` is the right value
    (``[(H(X), 1), (H(Y), 1), (H(X,Y), -1)]`` for a mutual information). Each rule rounds every part the same
    way, to 3-5 significant figures, 2-4 decimal places or 2 significant figures, as a learner who copies printed numbers does (a
    mixture of rules would explain almost any number near the answer). The answer must be the combination of
    the rounded parts up to float noise, and within the bound the rounding errors (half a unit each) allow.
    A number that is also the right value cut off (``0.251`` for ``0.25163``), or right as far as it goes, is
    read so, unless it is literally that combination: its float (``0.2509999999999999``), or that float cut
    off or rounded after more figures than the ``sig`` the question asks for (``0.2509999``).

    Examples
    --------
    >>> _rounded_parts_route(1.539 + 0.934 - 2.222, 0.251, [(1.53949, 1), (0.93407, 1), (2.22193, -1)],
    ...                      0.25163, 3)
    ('3 decimal places', [1.539, 0.934, 2.222])
    >>> _rounded_parts_route(0.251, 0.251, [(1.53949, 1), (0.93407, 1), (2.22193, -1)], 0.25163, 3) is None
    True
    """
    if not (math.isfinite(value) and math.isfinite(expected)) or _accepted(value, expected):
        return None
    figures = significant_figures(value) if figures is None else figures
    # with ``cut``, the caller reads a cut-off answer and asks whether these parts, rounded, also give it
    plain = cut or not (_truncated(value, expected, figures) or _right_at(value, expected, figures))
    rules = ([(f"{_plural(k, 'significant figure')}", lambda v, k=k: float(_round_sig(v, k)) if v else 0.0,
               lambda v, k=k: float(_unit(v, k)) / 2 if v else 0.0) for k in (3, 4, 5)]
             + [(f"{_plural(d, 'decimal place')}", lambda v, d=d: round(float(v), d), lambda v, d=d: 0.5 * 10.0 ** -d)
                for d in (2, 3, 4)]
             # 2 figures last (-0.83 and 1.2 copied from a rounded print): only a literal combination is read so
             + [(f"{_plural(2, 'significant figure')}", lambda v: float(_round_sig(v, 2)) if v else 0.0,
                 lambda v: float(_unit(v, 2)) / 2 if v else 0.0)])
    for how, rule, half in rules:
        rounded = [rule(v) for v, _ in parts]
        if all(r == v for r, (v, _) in zip(rounded, parts)):
            continue
        combined = sum(c * r for r, (_, c) in zip(rounded, parts))
        bound = sum(abs(c) * half(v) for v, c in parts)
        if abs(value - expected) > bound * (1 + 1e-9) or combined == 0:
            continue
        # literally the combination: its float, or that float cut off or rounded to the answer's own figures
        # (0.2509999); one unit off (0.2541 for 1.54 + 0.934 - 2.22 = 0.254) is another number
        literal = ((raw != value and abs(raw - combined) <= 1e-12 * abs(combined))
                   or (figures > sig and (_round_sig(combined, figures) == _dec(value)
                                          or _truncated(value, combined, figures))))
        if literal or (plain and abs(value - combined) <= 1e-9 * max(abs(value), 1e-12)):
            return how, rounded
    return None


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


def _plausible_route(step):
    """Whether a rounded route ``(kind, label, words, ...)`` is one a learner takes on the way to the right value.

    A right route on a rounded number is: another log base converted (``"converted to bits"``), or an identity
    such as the cross-entropy minus an entropy (a ``"shift"``, ``"subtracted"``, ``"added"`` or ``"both"``
    step). A mistake, rounded, and then undone (the mean over the outputs rounded to 0.094, then doubled) is a
    chain of two mistakes: beside a plain cut-off it is too far-fetched to name.

    Examples
    --------
    >>> _plausible_route(("scale", "D in nats", "converted to bits"))
    True
    >>> _plausible_route(("scale", "the mean over the 2 outputs", "multiplied by 2"))
    False
    """
    kind, words = step[0], step[2]
    return kind in ("shift", "subtracted", "added", "both") or (kind == "scale" and words.startswith("converted to"))


def _mistake_name(explanation):
    """A mistake's name: its explanation up to the first ``,``, ``:``, ``;`` or sentence end outside brackets
    (``H(Q_pred, P_target)`` from ``"H(Q_pred, P_target): the arguments are swapped. ..."``)."""
    depth = 0
    for i, ch in enumerate(explanation):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and (ch in ",:;" or ch == "." and explanation[i + 1:i + 2] in ("", " ")):
            return explanation[:i]
    return explanation


def _name_value(explanation, value):
    """A mistake's name with its value: ``"13/99 (0.1313)"``, or ``"... without base=2) = 0.2462"`` for a name that
    ends in a parenthesis, which a second one after it would read as doubled."""
    name = _mistake_name(explanation)
    return f"{name} = {_show(value)}" if name.endswith(")") else f"{name} ({_show(value)})"


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


def _decimal_places_note(check):
    """``check`` (check_number) with a note added to a wrong or short answer that is the right value rounded to a
    number of decimal places (round(x, 2) gives 0.01 for 0.0078125; round(x) gives 0 for 0.424): that rounding
    kept fewer significant figures than asked for."""
    @functools.wraps(check)
    def checked(answer, expected, *args, sig=3, **kwargs):
        feedback = check(answer, expected, *args, sig=sig, **kwargs)
        value = _scalar(answer)
        # (an answer told "right as far as it goes" is already asked for more figures, so it is told only of as many
        # decimal places as the figures asked for, round(x, 3) giving 0.085; one read as a mistake at its full
        # precision, 2.0 as a fixed-length code, is that mistake)
        short = feedback.message.startswith("Right as far as it goes")
        if (feedback.correct
                or not (feedback.message.startswith(("Not yet", "Right as far as it goes"))
                        or "significant figure" in feedback.message)
                or isinstance(value, (bool, complex, np.complexfloating)) or not isinstance(value, (Real, np.number))):
            return feedback
        try:
            shown = significant_figures(value)      # (the learner's number as given: the int 2 has 1 figure)
            value, expected = float(value), float(expected)
        except (OverflowError, TypeError, ValueError):      # (10**400: already told it is beyond a float)
            return feedback
        if not (math.isfinite(value) and math.isfinite(expected)) or value == expected:
            return feedback
        for places in range(sig if short else 0, 7):     # (short: as many decimals as the figures asked for)
            rounded = round(expected, places)
            if rounded == value and significant_figures(rounded) < sig:
                whole = "round(...) or np.round(...)" if isinstance(_scalar(answer), (float, np.floating)) else "round(...)"
                how = (f"{whole} with no digits rounds to a whole number" if places == 0 else
                       f"round(..., {places}) keeps {places} decimal place{'s' if places > 1 else ''}")
                # (a whole number keeps the figures of its integer part: np.round(1.36) is 1.0, one figure, though
                # the float 1.0 is read as two)
                figures = (len(str(int(abs(rounded)))) if places == 0 else
                           min(shown, significant_figures(rounded)))
                kept = ("no significant figure at all" if rounded == 0 else
                        f"{_plural(figures, 'significant figure')} only")
                return Feedback(False, f"{feedback.message} If you rounded with round: {how}, here {kept}; "
                                       f"round to {sig} significant figures instead "
                                       f"(f\"{{x:.{sig}g}}\"), or give the unrounded number.")
        return feedback
    return checked


@_decimal_places_note
def check_number(answer, expected, *, what="the answer", units="", mistakes=(), sig=3, hint=None,
                 negative=None, combine=None, nan=None, field=None, array_routes=(), partway=None,
                 rounding=True, coincident=(), parts=None):
    """Compare ``answer`` with ``expected`` and with known wrong values, at the precision given.

    Used in: every notebook's exercises, through the notebook's own check_* functions.

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
        (adding ``expected - value``), ``"sqrt"``, ``"square"``, ``"log"`` or
        ``"log1p"`` (the log of the value, times a constant factor), ``label``
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
        are rounded on the way (to 2-4 significant figures or decimal places,
        say), and why that matters here. An answer of at least 3 figures that matches no
        mistake but equals one of them, at its own precision (to
        ``max(1e-9 relative, half a unit in its last figure)`` for an
        answer of 8 or more figures), is told it is the right formula
        on rounded numbers and to carry every digit. An optional third item
        (what :func:`_rounded_terms` gives) holds every rounded sum, near
        ones too: a cut-off answer names rounded terms beside the cut-off
        only when one of them, rounded to the answer's figures, is it, and
        a near answer that one of them gives so is asked whether it rounded
        the terms before summing.
    parts : dict, optional
        The numbers the right value is combined from: ``numbers``, a list of
        ``(label, value, coefficient)`` (``("H(X)", 1.539..., 1)``) whose
        ``sum(coefficient * value)`` is ``expected``; ``formula`` (e.g.
        ``"H(X) + H(Y) - H(X,Y)"``), ``words`` (``"the entropies"``),
        ``compute`` (how to compute them unrounded) and optionally ``kind``
        (``"difference"``). An answer that the right combination gives
        with every number rounded by one rule (3-5 significant figures or
        2-4 decimal places), and that no other reading explains, is told
        which numbers were rounded and how: a rounding on the way, not a
        wrong formula.
    coincident : sequence of (float, str)
        Wrong values within 1% of ``expected`` (too near to be told apart
        at the precision an answer gives, so not in ``mistakes``), named
        only when the answer is the full number a computation gave (8 or
        more figures) and equals one of them to ``max(1e-9 relative, half a
        unit in its last figure)``, or is one of them rounded to 4 or more
        figures and not the right value.
    rounding : bool or str
        False when the right computation has nothing to round on the way
        (a ratio of whole-number counts): an answer near the right value,
        not it rounded, is then not asked whether it rounded an
        intermediate result, only told to check each step. A string does
        the same and says what the value is made of (the message's default
        is "made of whole-number counts"). With ``partway`` as well (the one
        rounding such a value allows, as of I(theta) = 6.25 to 6.3), an answer
        that rounding gives, at its own figures, is told so, and a near one it
        does not give is told no rounding on the way gives it.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_number(0.4240, 0.42401, what="x")
    Correct: x = 0.4240.
    >>> check_number(0.42, 0.42401, what="x")
    Right as far as it goes: 0.42 agrees with x to the 2 significant figures it has. Give 3 significant figures, or the unrounded number your code computes (Python drops trailing zeros: 0.420 is read as 0.42, and 0.420 is not x to 3 significant figures). If your unrounded result is exactly 0.42, your computation is off: check each step.
    >>> check_number(0.4712, 0.42401, what="x", mistakes=[(0.4712, "y.")])
    Not quite: 0.4712 matches y.
    >>> check_number(0.47, 0.42401, what="x", mistakes=[(0.4712, "y.")])
    Not quite: at the 2 significant figures it has (Python drops trailing zeros: typing 0.470 gives 0.47), 0.47 matches y. But 2 figures are too few to be sure it is this mistake: give the unrounded number your code computed to tell, and follow the advice on that number, not on 0.47. If your unrounded result is exactly 0.47, it is not that mistake: check each step.
    """
    feedback = _check_number(answer, expected, what=what, units=units, mistakes=mistakes, sig=sig, hint=hint,
                             negative=negative, combine=combine, nan=nan, field=field,
                             array_routes=array_routes, partway=partway, rounding=rounding,
                             coincident=coincident)
    if not feedback.correct and feedback.message.startswith("Not yet"):
        backwards = _wrong_way_rounded(answer, expected, mistakes, what, hint, sig)
        if backwards is not None:
            return backwards
    if (parts is None or feedback.correct or not feedback.message.startswith(("Not yet", "Almost", "Close"))
            or _ROUND_NOT_CUT in feedback.message):     # a short number cut off: the more figures decide
        return feedback
    # the right route on rounded numbers: a rounding on the way, named with the numbers rounded and how
    value, problem = _read_number(answer, expected, combine, nan, field, array_routes)
    if problem is not None:
        return feedback
    labelled = [(label, float(v), c) for label, v, c in parts["numbers"]]
    typed_int = _typed_int(answer)
    figures = _shown_figures(_clean(value), typed_int)
    found = _rounded_parts_route(value, _clean(value), [(v, c) for _, v, c in labelled], expected, sig,
                                 figures=figures)
    if found is None:
        cut = " cut off after " in feedback.message and feedback.message.startswith("Almost")
        found = cut and _rounded_parts_route(value, _clean(value), [(v, c) for _, v, c in labelled], expected,
                                             sig, cut=True, figures=figures)
        if not found:
            return feedback
        # the right value cut off, and the exercise's own parts rounded give it too (0.251 = 1.539 + 0.934 - 2.222):
        # that route is named beside the cut-off, not a route through another unit
        how, rounded = found
        value = _clean(value)
        listed = ", ".join(f"{label} = {_as_given(r)}" for (label, _, _), r in zip(labelled, rounded))
        return Feedback(False, f"Almost: {_as_given(value)} is {what} cut off after {_plural(figures, 'significant figure')}, "
                               f"so its last digit is one too small, or {parts['formula']} with {parts['words']} "
                               f"rounded first, each to {how} ({listed}). Round (do not truncate) the unrounded "
                               f"number your code computed to {sig} significant figures, or give that number "
                               f"itself; if you rounded {parts['words']}, compute {parts['compute']}, combine "
                               f"them, and round only at the end.")
    how, rounded = found
    value = _clean(value)
    listed = ", ".join(f"{label} = {_as_given(r)}" for (label, _, _), r in zip(labelled, rounded))
    # one rounding that gives the number is shown as an example, not as what the learner did: other roundings
    # (3 significant figures, -0.826 and 1.22, give -2.05 as well) lead to the same number
    shown = _as_given(int(value) if typed_int else value)
    opening = (f"Right as far as it goes: {shown} is" if _right_as_shown(value, expected, typed_int) else
               f"Almost: {shown} is near {what} but not {what} rounded; it looks like a result rounded on the way: "
               f"it is")
    return Feedback(False, f"{opening} what {parts['formula']} gives with {parts['words']} "
                           f"rounded first (e.g. each to {how}: {listed}). If you rounded {parts['words']} on the "
                           f"way: a {parts.get('kind', 'difference')} of rounded numbers "
                           f"keeps only the precision of their rounding, here not enough for {sig} significant "
                           f"figures of {what}, so compute {parts['compute']}, combine them, and round only at the "
                           f"end, to {sig} significant figures.")


#: the advice to a number of fewer than 3 figures that is the right value cut off, before "N significant figures"
_ROUND_NOT_CUT = "Round (do not truncate) the unrounded number your code computed, and give"

#: capitalised words a hint may start with that stay capitalised after a colon
_PROPER = ("Stein", "Sanov", "Gaussian", "Python", "Bernoulli", "Fisher", "Jensen", "Huffman", "Shannon", "Beta",
           "Rényi", "Kullback", "Bayes", "Monte")


def _after_colon(hint):
    """``hint``, a sentence, to follow a colon: its first word in lower case unless it is a name or a symbol
    ("Weight each ..." -> "weight each ...", "A Rényi ..." -> "a Rényi ...", "TV works ..." and
    "Stein's exponent ..." unchanged).

    Examples
    --------
    >>> _after_colon("Weight each term."), _after_colon("TV works."), _after_colon("Stein's exponent.")
    ('weight each term.', 'TV works.', "Stein's exponent.")
    >>> _after_colon("A Rényi divergence."), _after_colon("An average.")
    ('a Rényi divergence.', 'an average.')
    """
    m = re.match(r"(A|[A-Z][a-zé]+)(?=[ ,;])", hint or "")
    if not m or m.group(1) in _PROPER:
        return hint
    return hint[0].lower() + hint[1:]


#: how :func:`klteach.course.units._unit_mistakes` words a conversion the wrong way, before saying which
_WRONG_WAY = "converted the wrong way: "


def _wrong_way_of_rounded(value, wrong_way, expected, figures):
    """``(other, k, rounded)`` when ``value`` is, rounded to ``figures``, the other-unit value ``other`` rounded to
    ``k`` = 2-4 figures (``rounded``) and then converted the wrong way (the mistake ``wrong_way`` of
    :func:`klteach.course.units._unit_mistakes` on a rounded number); None otherwise.

    The other-unit value is ``sqrt(wrong_way * expected)``, the wrong factor ``sqrt(wrong_way / expected)``
    (as in :func:`_wrong_way_rounded`).

    Examples
    --------
    >>> d_nats = 0.21801191094332808; d_bits = d_nats / math.log(2)      # 0.3145 bits rounded, / ln 2 again
    >>> wrong_way = d_bits / math.log(2)                                  # 0.453763
    >>> _wrong_way_of_rounded(0.4537, wrong_way, d_nats, 4)[1:], _wrong_way_of_rounded(0.4536, wrong_way, d_nats, 4)
    ((4, 0.3145), None)
    """
    if not (math.isfinite(wrong_way) and math.isfinite(expected)) or expected == 0 or wrong_way / expected <= 0:
        return None
    other = math.copysign(math.sqrt(wrong_way * expected), wrong_way)
    factor = math.sqrt(wrong_way / expected)
    return next(((other, k, r) for k in (2, 3, 4) for r in _roundings(other, k)
                 if r != _clean(other) and _round_sig(r * factor, figures) == _dec(value)), None)


def _wrong_way_words(shown, explanation, figures, what, hint):
    """The hedged message for a number that looks like a rounded value converted the wrong way (the mistake
    ``explanation`` of :func:`klteach.course.units._unit_mistakes`), ``figures`` saying how it was rounded."""
    # the explanation after its label ("you multiplied by `np.log(2)`. Go back to ..."), so that the label is not
    # said twice
    detail = explanation.split(_WRONG_WAY, 1)[1] if _WRONG_WAY in explanation else explanation
    return (f"Not quite: {shown} looks like {_mistake_name(explanation)}, rounded to {figures} and then "
            f"{_WRONG_WAY}{detail} Check the units of each step; if you did not round or convert, {shown} is not "
            f"{what}: " + (_after_colon(hint) or "check each step."))


def _figures_rounded(x, k, rounded):
    """``x`` rounded to ``k`` significant figures (as ``rounded``), in words with the number: "3 significant figures (0.294)", or
    every figure count of 1-4 that gives the same number when trailing zeros hide which ("2 to 4 significant figures
    (0.35; Python drops trailing zeros)" for 0.3499776)."""
    same = [j for j in (1, 2, 3, 4) if rounded in _roundings(x, j)]
    if len(same) == 1:
        return f"{_plural(k, 'significant figure')} ({_as_given(rounded)})"
    counts = f"{same[0]} or {same[1]}" if len(same) == 2 else f"{same[0]} to {same[-1]}"
    return f"{counts} significant figures ({_as_given(rounded)}; Python drops trailing zeros)"


def _wrong_way_rounded(answer, expected, mistakes, what, hint, sig=ACCEPTED_FIGURES):
    """A full number that is a value rounded to 2-4 figures, then converted into the wrong unit.

    Two routes, each a unit mistake of :func:`klteach.course.units._unit_mistakes` on a rounded number, where the
    mistake is the conversion, not the formula:

    - ``round(D_nats, 3) * np.log(2)`` (0.2037852710846239 where D in bits is asked): a value in another unit,
      converted the wrong way, ``(wrong_way, ..., ("undo", label, ...))``. The other-unit value is
      ``sqrt(wrong_way * expected)`` and the wrong factor ``sqrt(wrong_way / expected)``.
    - ``round(D_nats, 3) / np.log(2)`` where D in nats is asked: the right value, rounded, then converted into
      the other unit, ``(other_unit_value, ..., ("scale", label, "converted to ..."))``, by the factor
      ``other_unit_value / expected``.

    The answer has more figures than the ``sig`` asked: a full float must be the route's value to 1e-9, a number
    typed to fewer figures (0.2038, or 0.20378527 at 8) that value rounded to its figures
    (:func:`_typed_tolerance`); a tie rounded either way counts. Returns a hedged :class:`Feedback` naming the route, or None.

    Examples
    --------
    >>> d_nats = 0.2938933; d_bits = d_nats / math.log(2)
    >>> m = [(d_nats * math.log(2), "D in nats, converted the wrong way: you multiplied by `np.log(2)`.",
    ...       ("undo", "D in nats, converted the wrong way", "converted back"))]
    >>> str(_wrong_way_rounded(0.294 * math.log(2), d_bits, m, "D", None))[:118]
    'Not quite: 0.2038 looks like D in nats, rounded to 3 significant figures (0.294) and then converted the wrong way: you'
    >>> m = [(d_nats, "D in nats (computed with np.log).", ("scale", "D in nats", "converted to bits"))]
    >>> str(_wrong_way_rounded(0.424 * math.log(2), d_bits, m, "D", None))[:124]
    'Not quite: 0.2939 looks like D in nats: D in bits rounded to 3 or 4 significant figures (0.424; Python drops trailing zeros)'
    """
    if not isinstance(answer, Real) or isinstance(answer, bool) or not math.isfinite(float(answer)):
        return None
    value = float(answer)
    n_fig = significant_figures(value)
    if n_fig <= sig or value == 0 or not math.isfinite(expected) or expected == 0:
        return None
    # a full float is the route's value; a typed one (of any length) its rounding to the figures typed
    tol = _typed_tolerance(value)
    for m in mistakes:
        step = m[2] if len(m) > 2 else None
        undo = isinstance(step, tuple) and step[0] == "undo"
        unit = isinstance(step, tuple) and step[0] == "scale" and str(step[2]).startswith("converted to")
        if not (undo or unit) or m[0] is None:
            continue
        w = float(m[0])
        if not math.isfinite(w) or w / expected <= 0:
            continue
        factor = math.sqrt(w / expected) if undo else w / expected
        other = math.copysign(math.sqrt(w * expected), w) if undo else expected
        for k, rounded in ((j, r) for j in (2, 3, 4) for r in _roundings(other, j)):
            if rounded == _clean(other) or abs(value - rounded * factor) > tol:
                continue
            figures = _figures_rounded(other, k, rounded)
            if undo:
                return Feedback(False, _wrong_way_words(_as_given(value), m[1], figures, what, hint))
            asked = str(step[2])[len("converted to "):]
            same = str(step[1]).rsplit(" in ", 1)[0] if " in " in str(step[1]) else what   # "the gain in nats"
            return Feedback(False, f"Not quite: {_as_given(value)} looks like {step[1]}: {same} in {asked} rounded to "
                                   f"{figures} and then converted. The question asks for {asked}: give the number "
                                   f"from before that conversion, unrounded. If you did not round or convert, "
                                   f"{_as_given(value)} is not {what}: " + (_after_colon(hint) or "check each step."))
    return None


def _check_number(answer, expected, *, what, units, mistakes, sig, hint, negative, combine, nan, field,
                  array_routes, partway, rounding, coincident):
    """:func:`check_number` without its ``parts`` route (see there)."""
    entries = [(float(m[0]), m[1], _step_of(m)) for m in mistakes if m[0] is not None]
    _record(what, expected, [(v, e) for v, e, _ in entries], sig)
    value, problem = _read_number(answer, expected, combine, nan, field, array_routes)
    if problem is not None:
        return problem
    if math.isinf(value) and math.isfinite(expected) and not any(v == value for v, _, _ in entries):
        return Feedback(False, f"Not yet: your answer is {'-' if value < 0 else ''}inf, and {what} is finite here. "
                               f"An infinite result comes from the log of 0 (a probability that is 0 in your arrays, "
                               f"perhaps one rounded to 0: keep the unrounded values) or from a division by 0: check "
                               f"each step.")
    noisy = math.isfinite(value) and _clean(value) != value
    raw, value = value, _clean(value)
    # an int (2, round(x)) shows its own figures, 1 for 2; a whole float (2.0) shows 2, as Python prints it:
    # every reading below (right as far as it goes, a cut-off, a mistake matched) uses these figures
    typed_int = _typed_int(answer)
    shown = _as_given(int(value) if typed_int else value)
    suffix = f" {units}" if units else ""
    figures = n_fig = _shown_figures(value, typed_int)
    if (n_fig >= _PRECISE and not _exactly(value, expected)) or (n_fig >= 4 and not _accepted(value, expected)):
        # a full number equal to a wrong quantity that lies within 1% of the answer is that quantity; so is
        # one of 4 or more figures that is that quantity rounded, and not the answer (8 or 9 figures typed are
        # that quantity to half a unit in their last figure, not to 1e-9)
        same = [e for w, e in coincident if w is not None and math.isfinite(w)
                and (abs(value - float(w)) <= _typed_tolerance(value) if n_fig >= _PRECISE
                     else _round_sig(value, n_fig) == _round_sig(float(w), n_fig))]
        if same:
            return Feedback(False, f"Not quite: {shown} is {same[0]} With these data it lies within 1% of {what}, "
                                   f"but it is another quantity.")
    if _accepted(value, expected):
        # a full number (8 or more figures) is the computation's result when it equals the right value to 1e-6
        # (quadrature or another order of float operations); a shorter one, when it is the right value rounded
        if (n_fig <= ACCEPTED_FIGURES or _right_at(value, expected, n_fig)
                or (n_fig >= _PRECISE and abs(value - expected) <= 1e-6 * abs(expected))):
            return Feedback(True, f"Correct: {what} = {_show(expected)}{suffix}.")
        # 3 figures right, a later one it gives wrong (0.2176 for 0.2180): accepted, but not praised beyond the 3
        long = n_fig > 6        # shown shortened, as _as_given does: its figures are not quoted
        # (a float32's 7 or 8 figures are the nearest float32, which may look cut off: no word on truncating)
        narrow = isinstance(answer, np.floating) and np.finfo(answer.dtype).bits < 64
        # (how many figures a long number agrees to: up to 5, a rounding on the way; beyond, another method's
        # or order of operations' last digits, which nobody needs to fix)
        agree = max((k for k in range(ACCEPTED_FIGURES, n_fig) if _round_sig(value, k) == _round_sig(expected, k)),
                    default=ACCEPTED_FIGURES)
        how = (f"agrees with the right value to {agree} significant figures"
               + (": a number rounded on the way, probably. Round only the final result" if agree < 6 else
                  ", more than asked")
               + (f"; its last figure is cut off, not rounded: it is the right value truncated after "
                  f"{n_fig} figures" if _truncated(value, expected, figures) and not _right_at(value, expected, n_fig)
                  and not narrow else "") if long else
               f"At the {n_fig} significant figures you gave, {shown} is cut off, not rounded, or a sum of terms "
               f"(or of logs) rounded on the way: round only the final result, rather than truncate"
               if _truncated(value, expected, figures) and any(
                   math.isfinite(t) and _round_sig(t, n_fig) == _dec(value)
                   for t in (partway[2] if partway and len(partway) > 2 else ())) else
               f"At the {n_fig} significant figures you gave, {shown} is cut off, not rounded: round rather than "
               f"truncate" if _truncated(value, expected, figures) else
               f"At the {n_fig} significant figures you gave, {shown} agrees with the right value to {agree} of them "
               + (f"only: {what} is {rounding}, with "
                  + ("no rounding on the way that gives it" if partway else "nothing to round on the way")
                  + ", so a later figure is off"
                  if isinstance(rounding, str) else "only: round only the final result, not numbers on the way"))
        return Feedback(True, f"Correct to {ACCEPTED_FIGURES} significant figures: {what} = "
                              f"{_show(expected, ACCEPTED_FIGURES)}{suffix}. "
                              + (f"(Your number {how}.)" if long else f"({how}.)"))
    if figures < ACCEPTED_FIGURES:
        # a value converted the wrong way is a two-step mistake: too far-fetched a reading of 1 or 2 figures;
        # a value in base-10 units is no step of any exercise (none uses np.log10): 1 or 2 figures match it by
        # chance, and naming it would suggest a route the learner never took
        # A base-10 value rounded to the figures the question asks for, its trailing zero dropped (0.670 typed, read
        # as 0.67), is kept: it is that quantity as asked, named with a hedge below
        # (a mistake given without a step, "H(P) in base-10 units" beside the Huffman average, counts as base-10 too)
        base10 = lambda m: _base10_route(m[2]) or (not m[2] and f" in {_unit_words(10)}" in m[1])
        entries = [m for m in entries if not ((m[2] and m[2][0] == "undo") or base10(m))
                   or (base10(m) and not _is_whole(value) and math.isfinite(m[0])
                       and float(_round_sig(m[0], sig)) == value)]

    def near(w, v):
        return abs(w - v) <= 0.01 * abs(v) or _exactly(w, v)

    def members_of(candidates):
        """The mistakes named together with the best of ``candidates``: ``[(value, explanation)]``."""
        best = min(candidates, key=lambda m: m[0])
        close = [(w, e) for d, w, e in candidates if near(w, best[1])]
        if figures < _PRECISE:     # a full number is named only with what it equals
            # mistakes within 1% of the best one, each only when the answer matches it too at the precision it
            # gives (0.845 is not 0.8365 at 3 figures, though the two lie within 1% of each other)
            at = min(figures, 4)
            close += [(w, e) for w, e, _ in entries if math.isfinite(w) and math.isfinite(best[1])
                      and abs(w - best[1]) <= 0.01 * abs(best[1]) and _right_at(value, w, at)]
        order = {e: i for i, (_, e, _) in reversed(list(enumerate(entries)))}
        close.sort(key=lambda m: order.get(m[1], len(order)))       # the catalogue's order, whatever the answer
        return list(dict((e, (w, e)) for w, e in reversed(close)).values())[::-1]

    def named(candidates):
        close = members_of(candidates)
        return _join([e for _, e in close], same=all(_exactly(w, close[0][0]) for w, _ in close))

    def several(text):
        return text.startswith("more than one mistake")

    # a whole number that is exactly a mistake's value (2.0 = log2(4)) is that mistake: more figures
    # (2.00) would not change it, so "right as far as it goes" would be advice that cannot be followed
    # the same holds for a short decimal that is exactly a mistake's value (13/100 = 0.13) and is not the
    # right value rounded: it is that mistake's unrounded result, not a rounding of something else
    # a short decimal that is exactly a mistake's value and also the right value rounded (0.3 for a distance of
    # 0.2957, where the total variation is exactly 0.3) gets both readings: that mistake first, since more
    # figures would not change it, and "right as far as it goes" beside it for a learner who rounded
    short = (math.isfinite(value) and value != 0
             and (_is_whole(value) or figures < ACCEPTED_FIGURES))
    exact = [(0.0, w, e) for w, e, _ in entries if short and _exactly(value, w)]
    if exact:
        n = figures
        longer = _show(value, n + 1)
        also = ((f" {shown} is exactly that value. If you rounded {what} instead, it is right as far as it goes: "
                 f"Python reads your answer as {shown} (it drops trailing zeros, so {longer} is read as {shown} "
                 f"too). If you meant {longer}, that is right to {n + 1} significant figures, but the question "
                 f"asks for {sig}: give {sig} significant figures, or the unrounded number your code computes."
                 if not _is_whole(value) and n + 1 < sig and _right_at(value, expected, n + 1) else
                 f" If you rounded {what} to get {shown}, it is right as far as it goes, to {n} significant "
                 f"figure{'s' if n > 1 else ''} only: give {sig} significant figures.")
                if _right_as_shown(value, expected, typed_int) else
                "" if _is_whole(value) else
                f" {shown} is exactly that mistake's value: more figures would not change it.")
        # the group of mistakes within 1% of each other that it matches; "is exactly the value of" only when it
        # equals each of them: with one it only rounds to (26/199 = 0.1307 beside 26/200 = 0.13) the group
        # "matches", and the unrounded number tells them apart (if it is 0.13 itself, it is the exact one)
        members = members_of(exact)
        text = named(exact)
        inexact = any(not _exactly(value, w) for w, _ in members)
        exact_names = " or ".join(_mistake_name(e) for w, e in members if _exactly(value, w))
        verb = "matches" if inexact else "is exactly the value of"
        # "exactly the value of" says they give the same number already
        short_text = text if inexact else text.replace(", which give the same number with these data:", ":")
        # other mistakes that this short number matches at the precision it gives (0.1313 for 0.13): it may be
        # one of them rounded, so every reading is listed and the unrounded number asked for; the group's
        # members are not listed again
        seen = {e for _, e in members}
        # a whole number is typed with one decimal (2.0): another mistake is read from it only when it rounds
        # to it at the 2 figures it shows (1.0297 for 1.0), not at 1 (1.5 for 2.0)
        def typed_as(w):
            return not _is_whole(value) or _round_sig(w, n) == _round_sig(value, n)

        # a number exactly equal to a mistake's value is that mistake: other mistakes it only rounds to are
        # listed beside it (by name and value, to keep the message short) only for a whole number, typed with one
        # decimal (1.0), which a learner may have rounded from 1.0297, or for a short decimal of 2 figures or more:
        # a short decimal (fewer figures than asked) that another mistake rounds to at the figures it has
        # (0.13: count / (B + 1) exactly, and 13/99 = 0.1313 without the +1s) may be that one rounded too:
        # both readings are listed, and the unrounded number asked for
        def tell(exact_names, all_exact):
            # the unrounded number tells a rounding from an exact value; if it is the short number itself, it is
            # the mistake it equals (0.13 = 13/100): more figures would not change that
            return (f" Give the unrounded number your code computed: if it is {shown} itself, it is "
                    + ("one of the mistakes it equals" if all_exact else exact_names)
                    + "; if not, follow the advice on that number.")

        others = [(_distance(value, w), w, e) for w, e, _ in entries
                  if e not in seen and not _exactly(value, w) and _matches(value, w, expected, figures) and typed_as(w)
                  and (_is_whole(value) or (2 <= n < sig and _round_sig(w, n) == _round_sig(value, n)))]
        if others:
            rounded = (f" If you rounded {what} to get {shown}, it is right as far as it goes, to {n} significant "
                       f"figure{'s' if n > 1 else ''} only: give {sig} significant figures."
                       if _right_as_shown(value, expected, typed_int) else "")
            return Feedback(False, f"Not quite: {shown} {verb} {short_text} But at the "
                                   f"{_plural(n, 'significant figure')} it has, {shown} also matches "
                                   + (named(others) if _is_whole(value) else
                                      " or ".join(_name_value(e, w) for _, w, e in others) + ".")
                                   + tell(exact_names, several(text) and not inexact) + rounded)
        if inexact:
            # one of the group is exactly this number, another only rounds to it: the unrounded number tells
            return Feedback(False, f"Not quite: {shown} matches {text}" + tell(exact_names, False)
                            + (also if _right_as_shown(value, expected, typed_int) else ""))
        if several(text):
            also = also.replace("that mistake's value", "the value of each")
        return Feedback(False, f"Not quite: {shown} matches {text}{also}")
    # a short answer that is a mistake's value rounded to the figures the question asks for, trailing zeros
    # dropped (0.00700 for the exact KL 0.0070021, read as 0.007), is that other quantity of the exercise,
    # rounded as asked: it is named first, and a cut-off or rounding reading of the right value beside it
    # Only a short answer that is also the right value cut off (and not it rounded) is read so: the cut-off
    # reading alone would call it right as far as it goes. Any other short answer gets the readings below (right as far as it goes, read so:
    # 0.058 for a PSI of 0.0578 is not the unsmoothed 0.05800; a mistake it matches, hedged).
    if (figures < sig and math.isfinite(value) and value != 0 and not _is_whole(value)
            and _truncated(value, expected, figures) and not _right_at(value, expected, figures)):
        as_asked = [(_distance(value, w), w, e) for w, e, _ in entries
                    if math.isfinite(w) and w != 0 and float(_round_sig(w, sig)) == value]
        if as_asked:
            text = named(as_asked)
            padded = _show(value, sig)
            # one reading first; the cut-off, if that is what was done, on a second short line (a mistake the
            # short number only matches at its own figures is not listed: it would contradict the first reading)
            return Feedback(False, f"Not quite: {shown} matches {text}\n({shown} is that value rounded to {sig} "
                                   f"significant figures: Python drops trailing zeros, typing {padded} gives {shown}. Or, if you cut off "
                                   f"{what} after {_plural(figures, 'significant figure')}: round instead, to {sig} "
                                   f"significant figures.)")
    own = (figures < ACCEPTED_FIGURES and math.isfinite(value)
           and (_right_as_shown(value, expected, typed_int)
                or (noisy and abs(value - expected) <= float(_unit(value, figures)))))
    routes = [(w, step) for w, _, step in entries if step is not None and step[0] != "undo"]
    undo = [(w, step) for w, _, step in entries if step is not None and step[0] == "undo"]
    # a rounded value that was then fixed as advised explains a short answer (fewer than 3 figures) only
    # when the answer is exactly that fixed value (0.168 / 3 = 0.056): a short answer's own rounding is
    # too coarse to tell routes apart. When the answer is also right as far as it goes, no route is
    # named ("give more figures" is all it needs), but it is not told to check its steps either.
    rescaled = (_rescaled_rounding(value, expected, routes, least=figures + 1 if own else 2,
                                   tight=own or noisy or figures < ACCEPTED_FIGURES, sig=sig,
                                   raw=raw if noisy else None, figures=figures)
                if not own or figures >= 2 else None)
    truncated = figures >= ACCEPTED_FIGURES and _truncated(value, expected, figures)
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

    # the truncation reading is the plain one: it gets the truncation message below, unless the answer is, to a
    # few ulps, the float a difference of two rounded numbers gives (4.20 - 4.027): that float is no cut-off
    literal_difference = (noisy and rescaled is not None and rescaled[2][0] == "both" and rescaled[2][4])
    if truncated and not literal_difference:
        rescaled = None
    if rescaled is not None and not own:
        k, w_k, step = rescaled
        redo = (f"with the unrounded {step[1]} your code computed" if step[0] in ("subtracted", "added")
                else "with both numbers unrounded, as your code computed them" if step[0] == "both"
                else "on the unrounded number your code computed")
        # "Right as far as it goes" only for a number that agrees with the answer to the figures it has;
        # a longer number wrong in a figure it gives (0.08494 for 0.08516) is "Almost"
        opening = "Right as far as it goes: " if _right_at(value, expected, figures) else "Almost: "
        return Feedback(False, f"{opening}{shown} looks like {route_words(k, w_k, step)}. "
                               f"Rounded before that step, it agrees with {what} only as far as those {k} "
                               f"figures allow"
                               # it has the figures asked already (or is float noise on a short number): rounding it
                               # again cannot give the answer, so the advice is to redo the step, never "give N figures"
                               + (f", and rounding {shown} to {sig} significant figures does not give {what}"
                                  if figures >= sig else "")
                               + f": redo that step {redo}, without rounding first, then round the result to "
                                 f"{sig} significant figures.")
    if own:
        plural = "s" if figures > 1 else ""
        padded = _show(value, sig)
        longer = _show(value, figures + 1)
        # no route is named beside it: the answer is already right as far as it goes, and a rounded route
        # fixed as advised (0.168 / 3 = 0.056) is the right formula on a rounded number, nothing to correct
        # the right value simply rounded (0.22 = 22 / 100 too, a rounded percentage) needs no word on a route;
        # but its steps need no checking either when a rounded route fixed as advised gives it (0.168 / 3 = 0.056)
        also = (" If you got it by a step on a number rounded on the way, do that step on the unrounded "
                "number your code computed, and round only at the end."
                if rescaled is not None and not _right_at(value, expected, figures) else "")
        full = ("" if rescaled is not None else
                f" If your unrounded result is exactly {shown}, your computation is off: check each step.")
        if typed_int:
            # an int shows its own figures (4 for 4.2 is right to 1): every other quantity that rounds to it there
            # too (H(P) = 4.027, and H(Q) = 4.193 though it lies within 1% of the answer) is as plausible a
            # reading, so all are said, and the unrounded number tells them apart
            known = [(w, e) for w, e, _ in entries] + [(float(w), e) for w, e in coincident if w is not None]
            tied = [(_distance(value, w), w, e) for w, e in known
                    if math.isfinite(w) and _right_at(value, w, figures)]
            # (their names only: a value shown would hand over another exercise's number, H(spanish) for 02's
            # exercise 4)
            more = (f"Give {sig} significant figures, or the unrounded number your code computes."
                    + (f" At the {_plural(figures, 'significant figure')} it has, {shown} also matches "
                       + " or ".join(_mistake_name(e) for _, w, e in sorted(tied))
                       + ": the unrounded number will tell which it is." if tied else "")
                    + (also or full))
        elif _is_whole(value):
            more = (f"Give {sig} significant figures: Python reads {padded} as {shown}, and "
                    f"{what} to {sig} significant figures is not {padded}."
                    + (also or ("" if rescaled is not None else
                                f" If your unrounded result is exactly {shown}, it is not {what}: check each step.")))
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
    if figures < ACCEPTED_FIGURES and _truncated(value, expected, figures) and not _right_at(value, expected, figures):
        # the right value cut off (0.21 for 0.218): right as far as it goes. Read as rounded, it may match a
        # mistake, but no concept is blamed on a short number: the unrounded number tells the two apart
        # the mistakes it matches, read as rounded, are named beside the cut-off (0.8 is H(P_target, Q_pred)
        # = 0.887 cut off, and H(P_target) = 0.802 rounded, which it matches better)
        rounded_mistake = [(_distance(value, w), w, e) for w, e, _ in entries if _matches(value, w, expected, figures)]
        return Feedback(False, f"Almost: {shown} is {what} cut off after "
                               f"{_plural(figures, 'significant figure')}, so its last digit is one too small. "
                               f"{_ROUND_NOT_CUT} {sig} significant figures, or give that number itself."
                               + (f" If you rounded rather than cut off, {shown} is not {what} rounded, and at the "
                                  f"{_plural(figures, 'significant figure')} it has it matches "
                                  + " or ".join(_name_value(e, w) for _, w, e in sorted(rounded_mistake))
                                  + (", known mistakes" if len(rounded_mistake) > 1 else ", a known mistake")
                                  + ": the unrounded number will tell which it is."
                                  if rounded_mistake else "")
                               + f" If your unrounded result is exactly {shown}, it is not {what}: "
                                 f"check each step.")
    matched = [(_distance(value, w), w, e) for w, e, _ in entries if _matches(value, w, expected, figures)]
    if matched:
        groups = []                      # mistakes within 1% of each other form one group
        for d, w, e in sorted(matched, key=lambda m: m[0]):
            for group in groups:
                if near(w, group[0][1]):
                    group.append((d, w, e))
                    break
            else:
                groups.append([(d, w, e)])
        dropped = "" if typed_int else _dropped(value, shown, figures, sig)
        # a short answer that is a mistake's value rounded to the figures the question asks for, trailing zeros
        # dropped by Python (0.350 typed, read as 0.35), is that other quantity of the exercise, rounded as asked:
        # it is named, as the start page promises; other mistakes it matches are listed beside it
        as_asked = [m for m in matched if figures < sig and value != 0 and not _is_whole(value)
                    and math.isfinite(m[1]) and float(_round_sig(m[1], sig)) == value]
        if as_asked:
            text = named(as_asked)
            padded = _show(value, sig)
            tell = " Give the unrounded number your code computed to tell which." if several(text) else ""
            which = (("the value these mistakes give" if "give the same number" in text else
                      "the value of one of these mistakes") if several(text) else "that value")
            # another mistake that also rounds to it at the figures it has (0.25: the Hellinger distance 0.2501
            # rounded to 3 figures, and the distance in nats 0.2462 rounded to 2) is listed beside it, and the
            # unrounded number asked for: the two figures given cannot tell them apart
            seen = {e for _, _, e in as_asked}
            others = [m for m in matched if m[2] not in seen and m[2] not in text
                      and _round_sig(m[1], figures) == _round_sig(value, figures)]
            if others:
                return Feedback(False, f"Not quite: {shown} matches {text}\n({shown} is {which} rounded to {sig} "
                                       f"significant figures: Python drops trailing zeros, typing {padded} gives "
                                       f"{shown}.)\nBut at the {_plural(figures, 'significant figure')} it has, "
                                       f"{shown} also matches "
                                       + " or ".join(_name_value(e, w) for _, w, e in others)
                                       + f". Give the unrounded number your code computed to tell which, and "
                                         f"follow the advice on that number, not on {shown}.")
            # a base-10 value (no exercise uses np.log10) is named with a hedge: a short number may match it by chance
            hedge = ("" if tell or not any(_base10_route(st) for _, _, e in as_asked for _w, e_, st in entries
                                           if e_ == e) else
                     " Give the unrounded number your code computed to be sure, and follow the advice on that "
                     "number.")
            return Feedback(False, f"Not quite: {shown} matches {text}\n({shown} is {which} rounded to {sig} "
                                   f"significant figures: Python drops trailing zeros, typing {padded} gives "
                                   f"{shown}.{tell}{hedge})")
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
                                     f"advice on that number, not on {shown}. If your unrounded result is exactly "
                                     f"{shown}, it is not " + ("any of them" if several(text) else "that mistake")
                                   + ": check each step.")
        if len(groups) == 1:
            members = members_of(matched)
            if len(members) == 1 or all(_exactly(w, members[0][0]) for w, _ in members):
                return Feedback(False, f"Not quite: {shown} matches {named(matched)}")
            # mistakes within 1% of each other that it matches at its precision: the unrounded number tells which
            # (the tilt lambda, 0.37105, and D in bits converted the wrong way, 0.37085, for 0.371)
            return Feedback(False, f"Not quite: {shown} matches {named(matched)} Give the unrounded number your "
                                   f"code computed to tell which, and follow the advice on that number, not on "
                                   f"{shown}."
                                   + ("" if any(_exactly(value, w) for w, _ in members) else
                                      f" If your unrounded result is exactly {shown}, it is not any of them: "
                                      f"check each step."))
        dropped = "" if typed_int else _dropped(value, shown, figures, sig)
        # one plain list of every mistake it matches, in the catalogue's order (no nested "more than one")
        order = {e: i for i, (_, e, _) in reversed(list(enumerate(entries)))}
        listed = list(dict.fromkeys(e for e in sorted((e for g in groups for _, _, e in g),
                                                      key=lambda e: order.get(e, len(order)))))
        return Feedback(False, f"Not quite: {shown} has {_plural(figures, 'significant figure')}{dropped}, and at "
                               f"that precision it matches {len(listed)} known mistakes, which more figures would "
                               f"tell apart: "
                               + " ".join(f"({i}) {e}" for i, e in enumerate(listed, 1))
                               + " Give the unrounded number your code computed to tell which. If your unrounded "
                                 f"result is exactly {shown}, it is not any of them: check each step.")
    # a mistake's value cut off, not rounded (0.207 for D(Q_Y||P_Y) = 0.20752): that mistake, with a word on
    # rounding; the right value cut off (above) is read first
    cut = [(_distance(value, w), w, e) for w, e, _ in entries
           if figures >= ACCEPTED_FIGURES and not truncated and math.isfinite(w)
           and _truncated(value, w, figures) and _distance(value, w) < _distance(value, expected)]
    if cut:
        best = min(cut, key=lambda m: m[0])[1]
        steps = {e: st for _, e, st in entries}
        rounded_first = [(found, e) for _, w, e in cut if steps.get(e) and steps[e][0] == "undo"
                         for found in [_wrong_way_of_rounded(value, w, expected, figures)] if found]
        if rounded_first:
            # a conversion the wrong way on a number rounded first gives it, rounded (0.3145 / ln 2 = 0.453728
            # -> 0.4537): it need not be a cut-off, and it is not the mistake's value rounded (that is 2.02 for the
            # 2.01 that 2.9 x ln 2 gives): it looks like that route, and the advice starts from the unrounded number
            (other, k, rounded), e = rounded_first[0]
            return Feedback(False, _wrong_way_words(shown, e, _figures_rounded(other, k, rounded), what, hint))
        # (3 figures cut off match a window as wide as rounded ones: another quantity lands in it by chance, so
        # the reading is hedged)
        if figures <= ACCEPTED_FIGURES:
            text = named(cut)
            return Feedback(False, f"Not quite: {shown} may be {_show(best, figures + 2)} cut off after "
                                   f"{_plural(figures, 'significant figure')} (round, do not truncate), and "
                                   f"{_show(best, figures + 2)} is {text}{'' if text.endswith('.') else '.'} It "
                                   f"matches only cut off, so this reading may be a coincidence: if you computed "
                                   f"another quantity, it is not {what}. " + (hint or "Check each step again."))
        return Feedback(False, f"Not quite: {shown} matches {named(cut)} ({shown} is that value, "
                               f"{_show(best, figures + 2)}, cut off after {_plural(figures, 'significant figure')}: "
                               f"round, do not truncate.)")
    # the roundings on the way that a check lists (partway), as the answer's own figures show them
    partway_gives = partway is not None and math.isfinite(value) and any(
        math.isfinite(t) and (abs(value - t) <= 1e-9 * abs(t) or _round_sig(t, figures) == _dec(value))
        for t in partway[0])
    if ((rounding is False or isinstance(rounding, str)) and not truncated and math.isfinite(value) and math.isfinite(expected)
            and abs(value - expected) <= 0.015 * abs(expected) and not (partway_gives and figures >= ACCEPTED_FIGURES)):
        # whole-number counts leave nothing to round on the way: only the final number can be rounded; a check
        # that lists the one rounding its formula allows (partway) names it when it gives the answer, read below
        # at 3 or more figures, here for a shorter answer
        made = rounding if isinstance(rounding, str) else "made of whole-number counts"
        if partway_gives:
            return Feedback(False, f"Not yet: {shown} is not {what} rounded, but at the "
                                   f"{_plural(figures, 'significant figure')} it has it is what the right formula "
                                   f"gives when an intermediate result is rounded on the way. {partway[1]} Redo the "
                                   f"computation from the unrounded values your code computes, and give {sig} "
                                   f"significant figures.")
        return Feedback(False, f"Close, but not {what}: {shown} is near it but not it rounded, and {what} is "
                               f"{made}, with "
                               + ("no rounding on the way that gives it" if partway else "nothing to round on the way")
                               + ". Check each step: " + (_after_colon(hint) or "the formula, the arguments and the units."))
    def terms_give(v):
        """One of the check's rounded sums (terms rounded before summing), rounded to the figures given, is ``v``."""
        sums = partway[2] if partway and len(partway) > 2 else ()
        return math.isfinite(v) and any(math.isfinite(t) and _round_sig(t, figures) == _dec(v) for t in sums)

    if partway and figures >= ACCEPTED_FIGURES and math.isfinite(value):
        values, why = partway[0], partway[1]
        tol = (_typed_tolerance(value) if figures >= _PRECISE
               else float(_unit(value, figures)) / 2 * 1.000001)
        if any(math.isfinite(v) and abs(value - v) <= tol for v in values):
            return Feedback(False, f"Almost: {shown} is what the right formula gives for {what} when an intermediate "
                                   f"result is rounded on the way. {why} Redo the computation from the unrounded values "
                                   f"your code computes, and round only at the end, to {sig} significant "
                                   f"figures. If your code rounded nothing on the way, {shown} is not {what}: "
                                   f"check each step.")
    # reversing a wrong conversion on a rounded number (0.204 / ln2 / ln2) keeps only the precision
    # of that rounding: an intermediate was rounded, the formula is not wrong. That chain (a mistake, a rounding,
    # its undoing) is no step on the way to the right value, so only its literal product (float noise, or more
    # figures than asked: 0.4246) is read so; rounded again (0.323 for 0.155 / ln2 / ln2 = 0.32262, where the
    # right value is 0.32193) it is one far-fetched reading of a number that is simply not the answer rounded
    undone = (figures >= ACCEPTED_FIGURES and (noisy or figures > sig)
              and _rescaled_rounding(value, expected, undo, least=ACCEPTED_FIGURES, sig=sig,
                                 figures=figures) is not None)
    # a short answer (0.087) that a rounded route gives exactly (0.887 - 0.80) is that rounding too; a route no
    # learner takes on the way to the right value does not make a short answer "Almost" (learner pass: 0.84 for
    # 0.0852 was "Almost" while the nearer 0.086 was "Close"): it gets the plain readings below
    if (loose and figures < ACCEPTED_FIGURES and not truncated
            and (not _plausible_route(loose[2]) or _base10_route(loose[2]))):
        loose = None
    if (math.isfinite(value) and math.isfinite(expected) and expected != 0
            and (figures >= ACCEPTED_FIGURES or loose)
            and (abs(value - expected) <= 1.5 * float(_unit(value, figures)) or loose or undone)):
        if (loose and not undone and not truncated and figures < ACCEPTED_FIGURES
                and not (loose[2][0] == "both" and not loose[2][4])):
            # a short answer far from the right value, explained only by a rounded route: that route is named
            # (learner pass: 0.38 for 0.424 was "Almost" while the nearer 0.41 was "Not yet"); a route no
            # learner takes on the way to the right value was set aside above
            return Feedback(False, f"Almost: {shown} is not {what} rounded; it is {route_words(*loose)}, a number "
                                   f"rounded on the way. If that is what your code did, use the unrounded numbers, and round "
                                   f"only at the end, to {sig} significant figures. If your code rounded nothing, "
                                   f"check each step" + (f": {_after_colon(hint)}" if hint else "."))
        elif (loose or undone) and not truncated:
            # a wrong quantity within 1% of the answer that rounds to the same figures (H(english) = 4.1928 for
            # H(spanish, english) = 4.2014: 4.19) is the first reading, named with the figures it was rounded to
            other = [e for w, e in coincident if w is not None and math.isfinite(w)
                     and _round_sig(float(w), figures) == _round_sig(value, figures)]
            if other:
                # one reading first (the other quantity), the rounding on a second short line
                return Feedback(False, f"Almost: {shown} is, to the {_plural(figures, 'significant figure')} it "
                                       f"has, {other[0]} With these data that quantity lies within 1% of {what}, "
                                       f"but it is another one.\nOr, if you computed {what}: did you round an "
                                       f"intermediate result on the way? Redo it from the unrounded values, and "
                                       f"round only at the end, to {sig} significant figures.")
            first = (f"Almost: {shown} is, to the {_plural(figures, 'significant figure')} it has, {other[0]} "
                     f"With these data that quantity lies within 1% of {what}, but it is another one. Or, if you "
                     f"computed {what}: {shown} is near it but not it correctly rounded, as a result can be when "
                     f"a number was rounded on the way. " if other else
                     f"Almost: {shown} is near {what} but not {what} correctly rounded, as a result can be when a "
                     f"number was rounded on the way. ")
            return Feedback(False, first + "Did you round an intermediate "
                                   "result, then convert it or combine it with another number"
                                   + (", or round the terms before summing"
                                      if noisy or _plain_figures(value) < figures or terms_give(value) else "")
                                   + f"? Redo the computation from the unrounded values your code computed, and "
                                     f"round only at the end, to {sig} significant figures."
                                   # a rounding on the way is one reading; another quantity that rounds to the
                                   # same figures (H(english) for H(spanish, english)) is the other
                                   + f" If your code rounded nothing on the way, {shown} is not {what}: check "
                                     f"each step" + (f": {_after_colon(hint)}" if hint else "."))
        if truncated:
            # a rounded route that also gives it (4.2 - H(spanish) = 0.1726, rounded: 0.173) is named, since
            # rounding the number that route computed gives the same number again
            # a base-10 route is no step of any exercise's computation (none uses np.log10): naming it beside a
            # plain cut-off would suggest a route the learner never took
            if loose and (_base10_route(loose[2]) or not _plausible_route(loose[2])):
                # the nearest route is one no learner takes: another, plausible one may give the number too
                # (0.295: the distance in nats rounded to 0.246, then converted to bits, 0.29548; 0.188: D in
                # nats rounded to 0.13, then converted to bits, 0.18755). The search is the first one (2 to 4
                # figures) restricted to plausible routes: an implausible route found first must not hide one
                loose = _rescaled_rounding(value, expected, [r for r in routes if not _base10_route(r[1])
                                                             and _plausible_route(r[1])],
                                           least=2, sig=sig, figures=figures)
            # a terms route is named beside the cut-off only when one of the check's rounded sums, rounded to the
            # figures given, is this number (00's precision policy); otherwise the cut-off is the one reading
            terms_too = terms_give(value)
            if loose and not _base10_route(loose[2]) and _plausible_route(loose[2]):
                return Feedback(False, f"Almost: {shown} is {what} cut off after {figures} significant figures, "
                                       f"so its last digit is one too small, or a result rounded on the way: it is "
                                       f"also {route_words(*loose)}"
                                       + ("; terms (or the logs in them) rounded before they are summed give "
                                          "it too" if terms_too else "")
                                       + f". Round (do not truncate) the unrounded number your code computed to "
                                         f"{sig} significant figures, or give that number itself; if your code "
                                         f"rounded "
                                       + ("a number on the way (that one, or terms before they were summed)"
                                          if terms_too else "that number on the way")
                                       + ", redo the computation from the unrounded numbers, and round only at "
                                         "the end.")
            if terms_too:
                return Feedback(False, f"Almost: {shown} is {what} cut off after {figures} significant figures, "
                                       f"so its last digit is one too small, or a result rounded on the way (the "
                                       f"terms, or the logs in them, rounded before they were summed). Round (do "
                                       f"not truncate) the unrounded number your code computed to {sig} significant "
                                       f"figures, or give that number itself; if your code rounded terms or logs on "
                                       f"the way, sum the unrounded terms.")
            return Feedback(False, f"Almost: {shown} is {what} cut off after {figures} significant figures, "
                                   f"so its last digit is one too small. Round (do not truncate) the unrounded "
                                   f"number your code computed to {sig} significant figures, or give that number "
                                   f"itself.")
        if not (noisy or loose or undone or terms_give(value)) and not _right_at(value, expected, figures):
            # no rounding route gives this number (nor terms rounded before summing), and it does not agree with
            # the answer to its figures
            return Feedback(False, f"Almost: {shown} is close to {what}, but it is not {what} correctly rounded "
                                   f"to {_plural(figures, 'significant figure')}. If your unrounded result is "
                                   f"exactly {shown}, check each step.")
        return Feedback(False, f"Almost: {shown} agrees with {what} to about {figures} significant figures, but "
                               f"it is not {what} correctly rounded. Did you round an intermediate result, then "
                               f"convert it or combine it with another number"
                               + (", or round the terms before summing" if terms_give(value) else "")
                               + f"? Redo the computation from the "
                               f"unrounded values your code computed, and round only at the end, to {sig} "
                               f"significant figures.")
    if (partway and figures < ACCEPTED_FIGURES and math.isfinite(value) and value != 0
            and any(math.isfinite(t) and abs(value - t) <= 1e-9 * abs(value)
                    for t in partway[0])):       # the sums more than 1.5% away: a nearer one is "Close" below
        # a short answer that is one of the check's rounded-term sums (0.44 = 5 x -0.07 + 0.79): a result rounded on
        # the way, hedged (a short number can match by chance), and the unrounded number asked for
        # "Not yet", not "Almost": a short answer far from the right value is never "Almost" without a route named
        return Feedback(False, f"Not yet: {shown} is not {what} rounded, but it is what the right formula gives when "
                               f"the terms (or the logs in them) are rounded before they are summed. Did you round "
                               f"the terms before summing? Give the unrounded number: sum the unrounded terms, and "
                               f"round only at the end, to {sig} significant figures. If your code rounded nothing "
                               f"on the way, {shown} is not {what}: check each step"
                               + (f": {_after_colon(hint)}" if hint else "."))
    if expected >= 0 and value < 0:
        start = f"Not quite: {what} cannot be negative, and your answer is {shown}."
        flipped = [(_distance(-value, w), w, e) for w, e, _ in entries if _matches(-value, w, expected, figures)]
        if flipped:
            hedge = (f" But {_plural(figures, 'significant figure')} {'are' if figures > 1 else 'is'} too few to be "
                     f"sure it is this mistake: give the unrounded number your code computed to tell."
                     if figures < ACCEPTED_FIGURES and not _is_whole(value) else "")
            return Feedback(False, f"{start} Without its sign it would match {named(flipped)}{hedge}")
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
                               # a check that lists its rounded sums (partway) knows which numbers they give
                               + (", or round the terms before summing"
                                  if terms_give(value) or (summed and not (partway and len(partway) > 2)) else "")
                               + "? Redo the computation from the unrounded values your code computed, and round "
                                 "only at the end. If your code rounded nothing, check each step: "
                               + (_after_colon(hint) or "the formula, the arguments and the units."))
    # float noise alone (1 - np.sum(p**2) = 0.4800000000000001) is no sign of rounded terms: only an answer a
    # few units in the last asked figure from the right value is asked about them
    # and a value with nothing to round on the way (``rounding`` False or a string) has no terms to round
    summed = summed and rounding is True and abs(value - expected) <= 5 * float(_unit(expected, sig))
    digits = _digits(value)
    if not typed_int and digits < figures and _right_at(value, expected, digits):
        # 4.0 for 4.2: the right value rounded to 1 figure (4), but not to the 2 that 4.0 shows
        return Feedback(False, f"Not yet: {shown} agrees with {what} to {_plural(digits, 'significant figure')} "
                               f"({value:g}) but not to {figures} ({shown}). Give {sig} significant figures, or the "
                               f"unrounded number your code computes. If your unrounded result is exactly {shown}, it "
                               f"is not {what}: check each step.")
    if not typed_int and digits < figures and _truncated(value, expected, digits):
        # 1.0 for 1.5 (np.trunc, np.floor): the right value cut off after 1 figure, not after the 2 that 1.0 shows
        return Feedback(False, f"Not yet: {shown} is not {what} to the {figures} significant figures it shows, but it "
                               f"is {what} cut off after {_plural(digits, 'significant figure')} ({value:g}). "
                               f"{_ROUND_NOT_CUT} {sig} significant figures, or give that number itself. If your "
                               f"unrounded result is exactly {shown}, it is not {what}: check each step.")
    return Feedback(False, f"Not yet: {shown} is not {what}. " + (hint or "Check each step again.")
                    + (" Or did you round the terms before summing? Sum the unrounded terms." if summed else ""))


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

    Used in: notebooks/01_definition.ipynb (section "Exercises"); notebooks/03_cross_entropy.ipynb
    (section "Exercises"); notebooks/04_asymmetry.ipynb (section "Exercises");
    notebooks/05_continuous_and_gaussian.ipynb (section "Exercises"); notebooks/06_drift.ipynb
    (section "Exercises"); notebooks/08_where_kl_comes_from.ipynb (section "Exercises");
    notebooks/09_where_kl_leads.ipynb (section "Exercises").

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
    if answer is ...:
        return Feedback(False, f"No answer yet: replace ... with one of {listed}.")
    if answer is None:
        return Feedback(False, _NONE.format(example=f'answer = "..." with one of {listed}'))
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
