"""Logarithm bases in the checks' feedback: unit words, conversions, and the wrong-base
mistakes every check of a divergence or entropy names.

Shared internal API of :mod:`klteach.course`: the notebooks' check modules import
these underscore helpers.
"""

from __future__ import annotations

import math

from .._validation import unit_name

__all__ = []


_LOG_FN = {None: "np.log", 2: "np.log2", 10: "np.log10"}


def _unit_words(base):
    # unit_name's words, except base 10: "base-10 units" tells a learner more than "hartleys"
    return "base-10 units" if base == 10 else unit_name(base)


def _base10_route(step):
    """Whether a mistake's step ``(kind, label, words, ...)`` is a value in base-10 units (of :func:`_unit_mistakes`)."""
    return bool(step) and _unit_words(10) in step[1]


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


#: The past tense of each verb :func:`_conversion` gives ("multiplied by np.log(2)").
_PAST = {"divide": "divided", "multiply": "multiplied"}


def _unit_mistakes(value_in, what, base, *, root=False, how=None, throughout=True):
    """Wrong values from using another logarithm base, each with advice that, followed, is right.

    Each value converted the right way is ``value_in(base)``; the advice acts
    on the unrounded number. Values converted the wrong way (multiplied where
    the conversion divides) are named too. ``root`` marks a square-root
    quantity (the Jensen-Shannon distance): its conversion factor is the
    square root of the divergence's. ``how(other)`` words how a value in
    ``other`` units comes about (default: "computed with np.log2"), for a
    formula where another log function alone does not give it (a closed
    form with a 1/2 outside its log); with ``throughout`` False, the advice
    is the conversion alone, not "use np.log2 throughout" (a closed form
    whose scipy functions give nats only).
    """
    out = []
    right = value_in(base)
    for other in (None, 2, 10):
        if other == base:
            continue
        verb, expr = _conversion(other, base, root)
        why = " (a distance is a square root, so its factor is the square root of the divergence's)" if root else ""
        wrong = value_in(other)
        use = f"use {_LOG_FN.get(base, 'np.log')} throughout, or {verb}" if throughout else verb
        out.append((wrong,
                    f"{what} in {how(other) if how else _computed_with(other)}. The question asks for "
                    f"{_unit_words(base)}: {use} the unrounded number your code computed by `{expr}`{why}.",
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
