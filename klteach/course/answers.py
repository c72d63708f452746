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
        _fail(f"set {name}: it is None or not defined (replace the ... with your code and run its cell, with the "
              f"name spelled {name}; or did a function you called forget to return its value?)")
    if callable(value) and not isinstance(value, np.ndarray):
        _fail(f"{name} is a function: call it and keep the value it returns")
    if isinstance(value, (str, bytes)):
        _fail(f"{name} is text: store the number itself, not an f-string or str(...); round only when printing")


def _kind(value) -> str:
    """What a value is: ``'a float32 array'``, ``'a numpy float32'``, ``'a dict'``, ``'a value of type Fraction'``."""
    if isinstance(value, np.ndarray):
        return ("an " if str(value.dtype)[0] in "aeio" else "a ") + f"{value.dtype} array"
    if isinstance(value, np.generic):
        return f"a numpy {type(value).__name__}"
    if type(value) in (float, int, dict, set, frozenset, range):
        return ("an " if type(value).__name__[0] in "aeio" else "a ") + type(value).__name__
    return f"a value of type {type(value).__name__}"


def _not_finite(name: str, value: float | np.ndarray, nan: str | None, inf: str | None) -> None:
    """Name a nan or an inf (for an array, the first one, with its position), with the question's hint on where
    it comes from, or a general one."""
    values = np.asarray(value, dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        first = values.flat[bad[0]]
        what, hint = ("a nan", nan or NAN_CAUSES) if first != first else ("an inf", inf or INF_CAUSES)
        if values.ndim:
            _fail(f"{name} holds {what} (at position {bad[0]}): {hint}")
        _fail(f"{name} is {'nan (not a number)' if what == 'a nan' else 'infinite'}: {hint}")


NAN_CAUSES = ("a 0 / 0, a log or square root of a negative number, inf - inf or 0 * log 0 (a term with probability "
              "0 in front, which counts as 0) on the way gives one; print the pieces of your computation to find "
              "which")
INF_CAUSES = ("a log of 0 or a division by 0 on the way gives one; print the pieces of your computation to find "
              "which")


def require_number(name: str, value, *, finite: bool = True, zero: str | None = None, nan: str | None = None,
                   inf: str | None = None, float32: bool = False, whole: str | None = None) -> float:
    """Check that ``value`` is one number stored as a Python float; return it.

    In order: it is set (not ``...``, ``None`` or a function); not text, a bool, a complex number, a
    list or an array of more than one value; a float (a float32 keeps too few digits, a whole number
    was probably rounded); not 0 when ``zero`` gives what a 0 means here; not nan, and not infinite
    unless ``finite=False``. ``nan`` and ``inf`` say where such a value comes from in this question.
    ``float32=True`` accepts a numpy float32 where the question's hidden tests do (their tolerance allows
    its 7 figures). ``whole`` says what a whole number means here (default: it was rounded).

    >>> require_number("kl", np.float64(0.5))
    0.5
    """
    _set(name, value)
    if isinstance(value, np.ma.MaskedArray) or value is np.ma.masked:
        _fail(f"{name} is a numpy masked value: store the number itself, a Python float")
    if isinstance(value, (np.timedelta64, np.datetime64)):
        _fail(f"{name} should be one number, a float, not a {type(value).__name__}: store the number itself")
    if isinstance(value, tuple) and hasattr(value, "_fields") and value._fields:   # a result of named values
        which = f"result.{name}" if name in value._fields else f"result.{value._fields[0]} or another field"
        _fail(f"{name} is a {type(value).__name__}, several named values ({', '.join(value._fields)}): keep the "
              f"one the question asks for ({which})")
    if isinstance(value, (list, tuple)) or np.ndim(value) != 0:
        many = "an array" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"
        try:
            shape = f" of shape {np.shape(value)}"
        except ValueError:   # (a ragged list has none)
            shape = ""
        _fail(f"{name} should be one number, not {many}{shape}: sum or pick to one value")
    if isinstance(value, np.ndarray) and value.dtype.kind not in "biufc":
        _fail(f"{name} should be one number, not {_kind(value)}: store the number itself")
    flag = isinstance(value, (bool, np.bool_)) or (isinstance(value, np.ndarray) and value.dtype.kind == "b")
    numeric = isinstance(value, (numbers.Number, np.number, np.ndarray)) and not flag
    if zero is not None and numeric and not (isinstance(value, decimal.Decimal) and value.is_nan()) and value == 0:
        _fail(zero)
    if flag:
        _fail(f"{name} is True or False (the result of a comparison), not a number: store the value itself")
    if isinstance(value, (complex, np.complexfloating)) or (isinstance(value, np.ndarray)
                                                             and value.dtype.kind == "c"):
        _fail(f"{name} is a complex number, but the answer is real: a log of a negative number (cmath, or numpy "
              "on complex input) makes one; check what goes into your logs")
    if isinstance(value, (np.floating, np.ndarray)) and np.asarray(value).dtype.kind == "f" \
            and np.asarray(value).dtype.itemsize < (4 if float32 else 8):
        _fail(f"{name} is {_kind(value)}, which keeps fewer digits than a float: compute in float64 "
              "(numpy's default)")
    if float32 and isinstance(value, np.float32):
        value = float(value)
    if isinstance(value, (numbers.Integral, np.integer)) or (isinstance(value, np.ndarray)
                                                             and value.dtype.kind in "iu"):
        _fail(f"{name} should be a float, not a whole number "
              f"({f'{value.dtype} array' if isinstance(value, np.ndarray) else type(value).__name__}): "
              f"{whole or _ROUNDED}")
    if not isinstance(value, float):
        if isinstance(value, (numbers.Real, decimal.Decimal, np.floating, np.ndarray)):
            _fail(f"{name} should be a float (it is {_kind(value)}): convert it with float(...)")
        _fail(f"{name} should be one number, a float, not {_kind(value)}: store the number itself")
    if finite or value != value:
        _not_finite(name, value, nan, inf)
    return float(value)


def require_array(name: str, value, shape: tuple[int, ...], *, what: str, nan: str | None = None,
                  inf: str | None = None, float32: bool = False) -> np.ndarray:
    """Check that ``value`` is a numpy array of float64 numbers of ``shape``, all finite; return it.

    ``what`` says what the array holds (``"one code length per symbol"``), for the message on a
    wrong shape. A list (the questions ask for a numpy array), a masked array, text, objects, whole
    numbers (rounded) and a float32 array (unless ``float32=True``, as in :func:`require_number`) are
    refused.

    >>> require_array("lengths", np.array([1.0, 2.0]), (2,), what="one length per symbol")
    array([1., 2.])
    """
    _set(name, value)
    if isinstance(value, (list, tuple)):
        _fail(f"{name} should be a numpy array, not a {type(value).__name__}: wrap it in np.array(...)")
    if isinstance(value, np.ma.MaskedArray):
        _fail(f"{name} is a numpy masked array: store a plain numpy array of floats (np.asarray of the values)")
    if not isinstance(value, np.ndarray):
        _fail(f"{name} should be a numpy array of shape {shape} ({what}), not {_kind(value)}")
    if value.dtype.kind == "c":
        _fail(f"{name} holds complex numbers, but the answer is real: a log of a negative number (numpy on "
              "complex input) makes them; check what goes into your logs")
    if value.dtype.kind not in "iuf":
        _fail(f"{name} holds text, not numbers: store the numbers themselves, not their text"
              if value.dtype.kind in "US" else
              f"{name} should hold numbers, not {value.dtype} values ({_kind(value)}): build it from numbers "
              "(np.array of floats)")
    if value.shape != tuple(shape):
        _fail(f"{name} should be an array of shape {tuple(shape)}, {what}; it has shape {value.shape}")
    if value.dtype.kind == "f" and value.dtype.itemsize < (4 if float32 else 8):
        _fail(f"{name} is {_kind(value)}, which keeps fewer digits than float64: compute in float64 "
              "(numpy's default)")
    if value.dtype.kind == "f" and value.dtype.itemsize > 8:
        _fail(f"{name} is {_kind(value)}: store it as float64 (np.asarray(x, dtype=float)), as the tests read it")
    if value.dtype.kind in "iu":
        _fail(f"{name} holds whole numbers ({_kind(value)}): did you round them (np.round, np.ceil, astype(int))? "
              "Store the unrounded floats")
    _not_finite(name, value, nan, inf)
    return np.asarray(value, dtype=float)
