"""Form checks for a homework answer: is it set, one number (or an array), a float64, finite?

The homework's public self-checks (``grader.check("q1")``) call these before their own
question-specific checks, so every assignment names a missing, mistyped or non-finite answer
the same way, in the course's voice, instead of failing with a numpy traceback or passing a
nan. Each raises :class:`AssertionError` with the message (otter shows it under the test's
line) and returns the value read as a ``float`` or a numpy array.

Examples
--------
>>> require_number("d_nats", 0.0253)
0.0253
>>> require_number("d_nats", "0.0253")
Traceback (most recent call last):
AssertionError: d_nats is text: store the number itself, not an f-string or str(...); round only when printing
"""

from __future__ import annotations

import decimal
import numbers

import numpy as np

__all__ = ["require_number", "require_array"]

_ROUNDED = "did you round it? round(x) with no digits gives a whole number: store the unrounded float"


def _fail(message: str) -> None:
    raise AssertionError(message)


def _set(name: str, value) -> None:
    """Said first of every answer: still ``...``, ``None`` or a function."""
    if value is ...:
        _fail(f"set {name}: replace the ... with your code and run its cell")
    if value is None:
        _fail(f"{name} is None: did a function you called forget to return its value? Set {name} to the "
              "value itself")
    if callable(value) and not isinstance(value, np.ndarray):
        _fail(f"{name} is a function: call it and keep the value it returns")
    if isinstance(value, (str, bytes)):
        _fail(f"{name} is text: store the number itself, not an f-string or str(...); round only when printing")


def _kind(value) -> str:
    """``'a float32 array'``, ``'a list'``, ``'an int'``: what a value is, with its article."""
    kind = f"{value.dtype} array" if isinstance(value, np.ndarray) else type(value).__name__
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _not_finite(name: str, value: float | np.ndarray, nan: str | None, inf: str | None, where: str = "") -> None:
    """Name a nan or an inf, with the question's hint (or a general one) on where it comes from."""
    values = np.asarray(value, dtype=float)
    if np.isnan(values).any():
        _fail(f"{name} {'holds a nan' + where if values.ndim else 'is nan'} (not a number): " + (
            nan or "a 0 / 0, a log of a negative number or inf - inf on the way gives one; print the pieces of "
                   "your computation to find which"))
    if np.isinf(values).any():
        _fail(f"{name} {'holds an inf' + where if values.ndim else 'is infinite'}: " + (
            inf or "a log of 0 or a division by 0 on the way gives one; print the pieces of your computation "
                   "to find which"))


def require_number(name: str, value, *, finite: bool = True, zero: str | None = None, nan: str | None = None,
                   inf: str | None = None) -> float:
    """Check that ``value`` is one number stored as a Python float; return it.

    In order: it is set (not ``...``, ``None`` or a function); not text, a bool, a complex number, a
    list or an array of more than one value; a float (a float32 keeps too few digits, a whole number
    was probably rounded); not 0 when ``zero`` gives what a 0 means here; not nan, and not infinite
    unless ``finite=False``. ``nan`` and ``inf`` say where such a value comes from in this question.

    >>> require_number("kl", np.float64(0.5))
    0.5
    """
    _set(name, value)
    if np.ndim(value) != 0 or isinstance(value, (list, tuple)):
        many = "an array" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"
        _fail(f"{name} should be one number, not {many} of shape {np.shape(value)}: sum or pick to one value")
    if isinstance(value, np.ndarray) and value.dtype.kind not in "biufc":
        _fail(f"{name} should be one number, not {_kind(value)}: store the number itself")
    flag = isinstance(value, (bool, np.bool_)) or (isinstance(value, np.ndarray) and value.dtype.kind == "b")
    numeric = isinstance(value, (numbers.Number, np.number, np.ndarray)) and not flag
    if zero is not None and numeric and value == 0:
        _fail(zero)
    if flag:
        _fail(f"{name} is True or False (the result of a comparison), not a number: store the value itself")
    if isinstance(value, (complex, np.complexfloating)) or (isinstance(value, np.ndarray)
                                                             and value.dtype.kind == "c"):
        _fail(f"{name} is a complex number, but the answer is real: a log of a negative number (cmath, or numpy "
              "on complex input) makes one; check what goes into your logs")
    if isinstance(value, (np.floating, np.ndarray)) and np.asarray(value).dtype.kind == "f" \
            and np.asarray(value).dtype.itemsize < 8:
        _fail(f"{name} is {_kind(value)}, which keeps fewer digits than a float: compute in float64 "
              "(numpy's default)")
    if isinstance(value, (numbers.Integral, np.integer)) or (isinstance(value, np.ndarray)
                                                             and value.dtype.kind in "iu"):
        _fail(f"{name} should be a float, not a whole number ({_kind(value).split(' ', 1)[1]}): {_ROUNDED}")
    if not isinstance(value, float):
        if isinstance(value, (numbers.Real, decimal.Decimal, np.floating, np.ndarray)):
            _fail(f"{name} should be a float (it is {_kind(value)}): convert it with float(...)")
        _fail(f"{name} should be one number, a float, not {_kind(value)}: store the number itself")
    if finite or value != value:
        _not_finite(name, value, nan, inf)
    return float(value)


def require_array(name: str, value, shape: tuple[int, ...], *, what: str, nan: str | None = None,
                  inf: str | None = None) -> np.ndarray:
    """Check that ``value`` is a numpy array of float64 numbers of ``shape``, all finite; return it.

    ``what`` says what the array holds (``"one code length per symbol"``), for the message on a
    wrong shape. A list of numbers is refused: the question asks for a numpy array (``np.array``).

    >>> require_array("lengths", np.array([1.0, 2.0]), (2,), what="one length per symbol")
    array([1., 2.])
    """
    _set(name, value)
    if isinstance(value, (list, tuple)):
        _fail(f"{name} should be a numpy array, not a {type(value).__name__}: wrap it in np.array(...)")
    if not isinstance(value, np.ndarray):
        _fail(f"{name} should be a numpy array of shape {shape} ({what}), not {_kind(value)}")
    if value.dtype.kind not in "iuf":
        _fail(f"{name} should hold numbers, not {value.dtype} values ({_kind(value)}): " + (
            "store the numbers themselves, not their text" if value.dtype.kind in "US" else
            "build it from numbers (np.array of floats)"))
    if value.shape != tuple(shape):
        _fail(f"{name} should be an array of shape {tuple(shape)}, {what}; it has shape {value.shape}")
    if value.dtype.kind == "f" and value.dtype.itemsize < 8:
        _fail(f"{name} is {_kind(value)}, which keeps fewer digits than float64: compute in float64 "
              "(numpy's default)")
    bad = np.flatnonzero(~np.isfinite(value.astype(float)))
    _not_finite(name, value, nan, inf, where=f" (at position {bad[0]})" if bad.size else "")
    return value.astype(float)
