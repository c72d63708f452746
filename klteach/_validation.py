"""Input checking shared by every public function.

One place turns array-likes into checked probability arrays and raises
:class:`DistributionError` with a message that names the problem, where it
is, and how to fix it. The fast path costs two reductions per array (a sum
and a minimum); only bad input pays for the detailed diagnosis.
"""

from __future__ import annotations

import math
from numbers import Integral, Rational, Real

import numpy as np

__all__ = ["DistributionError", "as_distribution", "as_distribution_pair", "as_finite",
           "as_nonnegative", "check_base", "broadcast_pair", "check_same_labels", "log_base",
           "unit_name", "in_units", "as_result"]


class DistributionError(ValueError):
    """Raised when an input is not a valid probability distribution.

    A subclass of :class:`ValueError`, so ``except ValueError`` catches it.
    The message says what is wrong, where (argument name and index), and how
    to fix it.
    """


def sum_tolerance(dtype) -> float:
    """Largest accepted ``|sum - 1|`` for probabilities stored as ``dtype``.

    ``1e-9`` for 64-bit floats and integers; looser for lower precision
    (``100 * eps``, 1.2e-5 for float32), so float32 softmax outputs are
    accepted; at most ``1e-2`` (float16), so a vector 10% off is never
    taken for a distribution.
    """
    if dtype is np.float64:
        return 1e-9
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        return 1e-9
    return max(1e-9, min(100 * float(np.finfo(dtype).eps), 1e-2))


def _where(index, shape) -> str:
    """Human-readable position of a flat ``index`` in an array of ``shape``."""
    if len(shape) <= 1:
        return f"index {int(index)}"
    return f"index {tuple(int(i) for i in np.unravel_index(index, shape))}"


def _read_real(x, name: str, what: str, zeros_matter: bool | None = None) -> np.ndarray:
    """``np.asarray(x)`` when it holds real numbers; otherwise a DistributionError saying why not.

    ``what`` describes one entry in the messages (e.g. ``"a standard deviation"``).
    With ``zeros_matter`` (the default for ``what == "a probability"``) a nonzero entry
    (a Fraction) that a float would turn into 0 is refused: a probability of 0 means
    an impossible outcome, a tiny one does not.
    """
    if zeros_matter is None:
        zeros_matter = what == "a probability"
    if isinstance(x, (str, bytes)):
        raise DistributionError(
            f"{name} must be {what}, got the string {x!r}; pass a number or a list or "
            f"array of numbers."
        )
    if isinstance(x, np.ma.MaskedArray):
        x = _unmasked(x, name)
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and other malformed input
        raise DistributionError(
            f"{name} could not be read as an array of numbers ({exc}); "
            f"pass a number or a rectangular array of numbers."
        ) from None
    if arr.dtype.kind == "c":
        raise DistributionError(
            f"{name} has complex entries (dtype {arr.dtype}); {name} must be real numbers "
            f"({what} each)."
        )
    if arr.dtype == object and arr.size and all(
            isinstance(v, (Real, np.number)) and not isinstance(v, (bool, np.bool_))
            and np.asarray(v).dtype.kind != "c" for v in arr.ravel()):
        # Real numbers of other types, such as fractions.Fraction: their nearest floats
        flat = []
        for i, v in enumerate(arr.ravel()):
            try:
                flat.append(float(v))
            except OverflowError:
                raise DistributionError(
                    f"{name} has {_short(v)} at {_where(i, arr.shape)}, beyond the range of a 64-bit "
                    f"float (about 1.8e308), in which klteach computes; rescale the values first."
                ) from None
            if zeros_matter and flat[-1] == 0 and v != 0:
                raise _underflow_error(name, _magnitude(v), i, arr.shape)
        return np.array(flat, dtype=np.float64).reshape(arr.shape)
    if arr.dtype.kind not in "biuf":
        # Object arrays such as [0.5, None] or ["0.5", "0.5"]; also Decimals and dates.
        bad = next(((i, v) for i, v in enumerate(arr.ravel())
                    if not isinstance(v, (Real, np.number)) or isinstance(v, (bool, np.bool_))),
                   ())
        shown = (f" ({_short(bad[1])} is not a number: it is of type {type(bad[1]).__name__}, "
                 f"at {_where(bad[0], arr.shape)}; klteach reads int, float, Fraction and numpy "
                 f"numbers)" if bad else "")
        raise DistributionError(
            f"{name} must contain only numbers, got dtype {arr.dtype}{shown}; "
            f"convert it first, e.g. np.asarray({name}, dtype=float)."
        )
    return arr


def _short(v) -> str:
    """``repr(v)``, cut to 60 characters."""
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def _unmasked(x: np.ma.MaskedArray, name: str) -> np.ndarray:
    """The data of a masked array with nothing masked; a DistributionError if anything is masked.

    numpy functions ignore a mask, so a masked entry would silently count at
    its stored value; which meaning the caller intends cannot be guessed.
    """
    mask = np.ma.getmaskarray(x)
    if not mask.any():
        return np.asarray(x.data)
    k = int(mask.sum())
    i = int(np.flatnonzero(mask.ravel())[0])
    raise DistributionError(
        f"{name} is a masked array with {k} masked entr{'y' if k == 1 else 'ies'} (first at "
        f"{_where(i, x.shape)}); klteach does not read masks, and numpy would silently use the "
        f"hidden values. Decide what a masked entry means: {name}.filled(0) if it is an "
        f"outcome with probability 0 (the rest must still sum to 1), or drop those outcomes "
        f"from every input alike, e.g. keep = ~np.ma.getmaskarray({name}), then pass "
        f"{name}.data[keep] (and the other distribution's [keep]) and renormalise with "
        f"klteach.normalize. ({name}.compressed() also drops them, but flattens {name} and "
        f"shifts later outcomes out of line with the other input.)"
    )


def _labels(x):
    """The labels of each dimension of a labelled input, else None.

    A pandas Series gives ``[("index", index)]``, a DataFrame ``[("index", index),
    ("columns", columns)]``; dimensions without labels are ``(None, None)``.
    """
    index = getattr(x, "index", None)
    if index is None or callable(index):   # lists and tuples have an index() method
        return None
    columns = getattr(x, "columns", None)
    dims = [("index", index)] + ([] if columns is None or callable(columns) else [("columns", columns)])
    ndim = getattr(x, "ndim", None)
    ndim = ndim if isinstance(ndim, int) else np.ndim(x)
    return dims[:max(ndim, 1)] + [(None, None)] * (ndim - len(dims))


def _same_labels(a, b) -> bool:
    """Equal labels in the same order: pandas' ``equals``, else element by element (an Int64 index against an
    int64 one, or the same instants in two time zones, are the same labels though ``equals`` says no); True and
    False are not 1 and 0, though ``equals`` says they are."""
    if _bools(a) != _bools(b):
        return False
    if hasattr(a, "equals"):
        try:
            if a.equals(b):
                return True
        except Exception:  # noqa: BLE001 - fall back to comparing the labels themselves
            pass
    a, b = list(a), list(b)
    try:
        return len(a) == len(b) and all(_is_bool(x) == _is_bool(y) and bool(x == y) for x, y in zip(a, b))
    except (TypeError, ValueError):    # labels that do not compare (arrays as labels, mixed time zones)
        return False


def _is_bool(label) -> bool:
    return isinstance(label, (bool, np.bool_))


def _bools(labels) -> list:
    """The positions of the True/False labels (none are looked for among numbers or text)."""
    kind = getattr(getattr(labels, "dtype", None), "kind", "O")
    if kind == "b":
        return list(range(len(labels)))
    return [i for i, v in enumerate(labels) if _is_bool(v)] if kind == "O" else []


def label_key(v):
    """A label as compared: by value as pandas compares them (1 and 1.0, or np.str_('u') and 'u', are one; True and
    1 are not; NaNs are one label)."""
    return ("bool", bool(v)) if _is_bool(v) else ("nan",) if isinstance(v, (float, np.floating)) and v != v else v


def _label_set_keys(labels) -> list:
    """Each label as compared (:func:`label_key`), by its repr when it cannot be hashed."""
    keys = [label_key(v) for v in labels]
    try:
        set(keys)
        return keys
    except TypeError:                   # unhashable labels
        return [repr(v) for v in labels]


def _label_set(labels) -> set:
    return set(_label_set_keys(labels))


def _moved(xs, ys) -> list:
    """The labels of ``xs`` that ``ys`` also has, at another position."""
    try:
        where = {v: j for j, v in enumerate(ys)}
        return [v for i, v in enumerate(xs) if v in where and where[v] != i]
    except TypeError:
        return []


def check_same_labels(p, q, names=("p", "q"), axis=None) -> None:
    """Refuse labelled inputs (pandas Series or DataFrames) whose outcome labels differ.

    numpy pairs entries by position, aligning dimensions from the last one
    (a Series against a DataFrame's rows pairs its index with the columns),
    so two Series over the same outcomes in a different order, or over
    different outcomes, would be compared wrongly and silently. With
    ``axis`` (the outcomes' axis of a batch), only the outcomes' labels are
    compared: the other dimensions pair distributions, whose names may differ
    (a column "ref" against a column "cur"), unless a name of one sits at
    another position in the other (rows reordered). Without it, every pair of
    dimensions numpy aligns is (a joint distribution's rows and columns),
    except where one has length 1 and is broadcast. Inputs without labels
    (lists, arrays) are compared by position as usual. pandas is never
    imported: any object with a non-callable ``.index`` counts as labelled.
    """
    lp, lq = _labels(p), _labels(q)
    if lp is None or lq is None:
        return
    a, b = names
    outcomes = None                     # the outcomes' dimension, counted from the end (None: compare all in full)
    if axis is not None:
        if not isinstance(axis, (int, np.integer)) or not -len(lp) <= axis < len(lp) or not -len(lq) <= axis < len(lq):
            return                      # (an invalid axis is refused later, with its own message)
        outcomes = len(lp) - axis % len(lp)
        if outcomes != len(lq) - axis % len(lq):
            return                      # (outcome axes numpy would not pair: refused later)
    for k in range(1, min(len(lp), len(lq)) + 1):
        (part_a, x), (part_b, y) = lp[-k], lq[-k]
        if x is None or y is None or _same_labels(x, y):
            continue
        xs, ys = list(x), list(y)
        if len(xs) != len(ys) and 1 in (len(xs), len(ys)):
            continue                    # one distribution broadcast against many
        for name, labels in ((a, xs), (b, ys)):
            if len(_label_set(labels)) < len(labels):
                repeated = list(dict.fromkeys(v for v in labels if labels.count(v) > 1))[:3]
                part = part_a if name == a else part_b
                merge = (f"{name}.groupby({name}.index).sum()" if part == "index" else
                         f"{name}.T.groupby({name}.columns).sum().T")
                raise DistributionError(
                    f"{a} and {b} are labelled ({a}.{part_a} against {b}.{part_b}, the dimensions numpy pairs) "
                    f"but their labels differ, and {name}'s repeat ({repeated}), "
                    f"so they cannot be aligned by label: give each its own label (or add up the entries that "
                    f"share one: {merge}), then align them. klteach pairs entries by position, so "
                    f"misaligned labels would give a wrong number without warning.")
        same_set = len(xs) == len(ys) and _label_set(xs) == _label_set(ys)
        batch = outcomes is not None and k != outcomes
        if batch and not same_set and not _moved(xs, ys):
            continue                    # distributions of a batch named differently ("ref" against "cur")
        if batch and not same_set:
            align = f"{b}.reindex({a}.{part_a})" if part_b == "index" else f"{b}[{a}.{part_a}]"
            how = (f"names shared at different positions (the distributions {a} calls {_moved(xs, ys)[:3]}); "
                   f"pair them by name, e.g. with {align}, or rename them")
        elif same_set:
            align = f"{b}.reindex({a}.{part_a})" if part_b == "index" else f"{b}[{a}.{part_a}]"
            how = f"the same labels in a different order; align them by label with {align}"
        else:
            set_a, set_b = _label_set(xs), _label_set(ys)
            only_a = [v for v, k in zip(xs, _label_set_keys(xs)) if k not in set_b]
            only_b = [v for v, k in zip(ys, _label_set_keys(ys)) if k not in set_a]
            fill = (f"{b}.reindex({a}.{part_a}, fill_value=0)" if part_b == "index" else
                    f"{b}.reindex(columns={a}.{part_a}, fill_value=0)")
            how = (f"different labels (only in {a}: {only_a[:3]}, only in {b}: {only_b[:3]}); "
                   f"decide what a missing outcome means and align explicitly, e.g. "
                   f"{fill} if it has probability 0 (then check that both still sum to 1)")
            for name, part, bools, numbers in ((b, part_b, only_a, only_b), (a, part_a, only_b, only_a)):
                if bools and all(map(_is_bool, bools)) and _label_set(numbers) == _label_set(
                        [int(v) for v in bools]) and not any(map(_is_bool, numbers)):
                    how = (f"one has True/False labels where the other has 1/0 (only in {a}: {only_a[:3]}, "
                           f"only in {b}: {only_b[:3]}), which klteach does not take to be the same; "
                           f"convert one, e.g. {name}.{part} = {name}.{part}.astype(bool), then align them")
        raise DistributionError(
            f"{a} and {b} are labelled ({a}.{part_a} against {b}.{part_b}, the dimensions numpy "
            f"pairs) but their labels differ: {how}. klteach pairs entries by position, so "
            f"misaligned labels would give a wrong number without warning."
        )


def _to_float64(arr: np.ndarray, name: str, zeros_matter: bool = False) -> np.ndarray:
    """``arr`` as float64 (a view when it already is); a DistributionError for a finite
    entry beyond float64's range (from ``np.longdouble`` input), which would become inf,
    and, with ``zeros_matter`` (probabilities), for a nonzero one that would become 0."""
    if arr.dtype == np.float64:
        return arr
    with np.errstate(over="ignore", under="ignore"):
        out = arr.astype(np.float64)
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 8:
        lost = np.flatnonzero(np.isinf(out) & np.isfinite(arr))
        if lost.size:
            i = lost[0]
            raise DistributionError(
                f"{name} has {arr.flat[i]!r} at {_where(i, arr.shape)}, beyond the range of a "
                f"64-bit float (about 1.8e308), in which klteach computes; rescale the values "
                f"first (probabilities: divide by their largest entry)."
            )
        lost = np.flatnonzero((out == 0) & (arr != 0)) if zeros_matter else ()
        if len(lost):
            raise _underflow_error(name, repr(arr.flat[lost[0]]), lost[0], arr.shape)
    return out


def _magnitude(v) -> str:
    """``repr(v)``, cut to 60 characters, with its order of magnitude for a fraction too small for a float."""
    try:
        if isinstance(v, Rational) and v > 0:
            return f"{_short(v)} (about 1e{math.floor(math.log10(v.numerator) - math.log10(v.denominator))})"
    except (ValueError, OverflowError):
        pass
    return _short(v)


def _underflow_error(name, shown, i, shape) -> DistributionError:
    """The error for a nonzero entry that a 64-bit float would turn into 0."""
    return DistributionError(
        f"{name} has {shown} at {_where(i, shape)}, nonzero but below the smallest positive 64-bit "
        f"float (about 4.9e-324), in which klteach computes: it would become 0, which changes the "
        f"result (an outcome with probability 0 is impossible; one with a tiny probability is not, "
        f"and D(P||Q) is infinite if Q gives it 0). Work with logarithms instead (e.g. "
        f"klteach.kl_from_logits), or rescale the values if they are not probabilities.")


def _as_float_array(x, name: str, convert: bool = True) -> tuple[np.ndarray, np.dtype]:
    """Read ``x`` as a float64 array (never modifying it) and the dtype that sets the tolerance.

    With ``convert=False`` the array keeps its numeric dtype (callers that
    work block by block convert each block to float64 themselves).
    """
    arr = _read_real(x, name, "a probability")
    if arr.ndim == 0:
        raise DistributionError(
            f"{name} is a single number ({arr.item()!r}); a distribution is a "
            f"vector of probabilities, one per outcome, such as [0.3, 0.7]."
        )
    if arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
        tol_dtype = arr.dtype
    else:
        tol_dtype = np.float64
    # (entries wider than float64 are checked here even without ``convert``: a finite one may
    # overflow, a nonzero one underflow to 0, in the conversion each block makes)
    wide = arr.dtype.kind == "f" and arr.dtype.itemsize > 8
    return (_to_float64(arr, name, zeros_matter=True) if convert or wide else arr), tol_dtype


def _check_entries(arr: np.ndarray, name: str, axis: int) -> np.ndarray:
    """Shared checks of non-emptiness, finiteness and sign. Returns the sums."""
    if arr.size == 0 or arr.shape[axis] == 0:
        raise DistributionError(
            f"{name} is empty (shape {arr.shape}); a distribution needs at least one outcome."
        )
    with np.errstate(invalid="ignore", over="ignore"):
        total = np.sum(arr, axis=axis)
    lowest = np.min(arr, axis=axis)
    if np.all(np.isfinite(total)) and np.all(lowest >= 0):
        return total
    # Slow path: say exactly what is wrong and where.
    flat = arr.ravel()
    bad = np.flatnonzero(~np.isfinite(flat))
    if bad.size:
        i = bad[0]
        what = "NaN" if np.isnan(flat[i]) else str(flat[i])
        raise DistributionError(
            f"{name} contains {what} at {_where(i, arr.shape)} ({bad.size} non-finite "
            f"entr{'y' if bad.size == 1 else 'ies'} in all); probabilities must be finite "
            f"numbers: find where the NaN or inf came from (0/0, log(0), overflow) and fix it there."
        )
    neg = np.flatnonzero(flat < 0)
    if neg.size:
        i = neg[0]
        value = float(flat[i])
        if value > -1e-12:
            advice = (f"A value this small is rounding noise (as from 1 - x): clip it, "
                      f"np.clip({name}, 0, None), then renormalise with klteach.normalize.")
        else:
            advice = "If these are log-probabilities or logits, exponentiate (or apply softmax) first."
        raise DistributionError(
            f"{name} has a negative entry {value!r} at {_where(i, arr.shape)}; "
            f"probabilities must be >= 0. {advice}"
        )
    big = float(np.max(flat))
    raise DistributionError(
        f"the entries of {name} are so large (up to {big:.3g}) that their sum overflows "
        f"float64; divide them by their largest entry first, {name} / np.max({name}), "
        f"which keeps their proportions."
    )


def as_nonnegative(x, name: str = "x", *, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """Check ``x`` as finite, non-negative weights, not all zero, along ``axis``.

    Returns the float64 array and its sums along ``axis``.
    """
    arr, _ = _as_float_array(x, name)
    axis = _check_axis(axis, arr.ndim, name)
    total = _check_entries(arr, name, axis)
    zero = np.flatnonzero(np.atleast_1d(total) == 0)
    if zero.size:
        where = "" if np.ndim(total) == 0 else f" (slice {_where(zero[0], np.shape(total))} along axis {axis})"
        raise DistributionError(
            f"{name} is all zeros{where}; at least one outcome needs positive weight."
        )
    return arr, total


def as_distribution(x, name: str = "p", *, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """Check that ``x`` holds probability distributions along ``axis``.

    Returns ``(arr, total)``: the float64 array (a view when possible; the
    input is never modified) and its sums along ``axis``, each within
    :func:`sum_tolerance` of 1. Callers treat the input as exactly normalised
    by dividing by ``total`` in their formulas.

    Raises
    ------
    DistributionError
        Non-numeric, scalar, empty, NaN or infinite, negative, all-zero, or
        not summing to 1.
    """
    arr, tol_dtype = _as_float_array(x, name)
    axis = _check_axis(axis, arr.ndim, name)
    total = _check_entries(arr, name, axis)
    off = np.abs(np.atleast_1d(total) - 1.0)
    tol = sum_tolerance(tol_dtype)
    if np.any(off > tol):
        k = int(np.argmax(off > tol))
        s = float(np.atleast_1d(total)[k])
        if s == 0:
            raise DistributionError(f"{name} is all zeros; at least one outcome needs positive probability.")
        where = "" if np.ndim(total) == 0 else f" in slice {_where(k, np.shape(total))} along axis {axis}"
        raise DistributionError(
            f"{name} sums to {s:.10g}{where}, not 1; a probability distribution must "
            f"sum to 1 (within {tol:.0e}). If {name} holds counts or weights, use "
            f"klteach.normalize({name}) first; klteach never normalises silently, "
            f"because a wrong vector would give a wrong divergence without warning."
        )
    return arr, total


def _check_axis(axis, ndim: int, name: str) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise DistributionError(f"axis must be an integer, got {axis!r}.")
    if not -ndim <= axis < ndim:
        raise DistributionError(
            f"axis {axis} is out of range for {name}, which has {ndim} dimension(s); "
            f"use an axis between {-ndim} and {ndim - 1}."
        )
    return int(axis) % ndim


def broadcast_pair(p: np.ndarray, q: np.ndarray, names=("p", "q"), axis: int = -1):
    """Check that ``p`` and ``q`` describe the same outcomes; broadcast them.

    A single distribution may be paired with a batch (shape ``(n,)`` with
    ``(m, n)``); otherwise the shapes must match. Broadcasting aligns trailing
    axes, so the outcome axis must sit at the same place counted from the end
    (always true for ``axis=-1``).
    """
    a, b = names
    if p.ndim - axis % p.ndim != q.ndim - axis % q.ndim:
        one = a if p.ndim < q.ndim else b     # the one with fewer dimensions
        raise DistributionError(
            f"with axis {axis}, {a} (shape {p.shape}) and {b} (shape {q.shape}) need the same "
            f"number of dimensions: broadcasting would pair the outcomes of one with the "
            f"wrong axis of the other. Add the missing axes explicitly, e.g. "
            f"{one}[:, None] for a single distribution along axis 0 ({one}.to_frame() for a "
            f"pandas Series), or use axis=-1."
        )
    if p.shape == q.shape:
        return p.shape
    if p.shape[axis] != q.shape[axis]:
        raise DistributionError(
            f"{a} has {p.shape[axis]} outcomes but {b} has {q.shape[axis]} "
            f"(shapes {p.shape} and {q.shape}, axis {axis}); both must list "
            f"probabilities for the same outcomes, in the same order."
        )
    try:
        shape = np.broadcast_shapes(p.shape, q.shape)
    except ValueError:
        raise DistributionError(
            f"{a} and {b} have shapes {p.shape} and {q.shape}, which do not match "
            f"or broadcast; pass arrays of the same shape (or one vector and a batch)."
        ) from None
    return shape


def check_base(base) -> float | None:
    """Validate a logarithm base: ``None`` (nats) or a finite real number > 1.

    A base below 1 has a negative logarithm, which would turn every entropy
    and divergence negative; it is refused.
    """
    if base is None:
        return None
    if isinstance(base, bool) or not isinstance(base, (Real, np.number)) or isinstance(base, complex):
        raise DistributionError(
            f"base must be None (nats), 2 (bits), or another number greater than 1; "
            f"got {base!r}."
        )
    b = float(base)
    if not math.isfinite(b) or b <= 1:
        raise DistributionError(
            f"base must be greater than 1 and finite, got {b!r} (log(base) would be zero, "
            f"negative, undefined or infinite); use None for nats, 2 for bits, 10 for hartleys."
        )
    return b


def log_base(base: float | None) -> float:
    """``log(base)``, the divisor that converts nats to ``base`` units."""
    return 1.0 if base is None else math.log(base)


def unit_name(base: float | None) -> str:
    """The unit of an information quantity in log base ``base``: nats, bits, hartleys."""
    names = {None: "nats", 2: "bits", 10: "hartleys"}
    return names[base] if base in names else f"base-{base:g} units"


def as_result(value):
    """A 0-d result as a Python float; anything else as an ndarray."""
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


def in_units(value_in_nats, base: float | None):
    """``value_in_nats`` converted to ``base`` units, as :func:`as_result` returns it.

    One correctly rounded division by ``log(base)``: the result is ``inf``
    only where the value in ``base`` units exceeds the largest float (a base
    just above 1 has a tiny logarithm), and without a RuntimeWarning, as a
    Python float division would give it.
    """
    with np.errstate(over="ignore"):
        return as_result(np.asarray(value_in_nats) / log_base(base))


def as_distribution_pair(p, q, *, axis: int = -1):
    """Check ``p`` and ``q`` as distributions over the same outcomes.

    Returns ``(p, sum_p, q, sum_q)`` as :func:`as_distribution` gives them,
    after :func:`broadcast_pair` has checked that the shapes agree.
    """
    check_same_labels(p, q, axis=axis)
    p, sp = as_distribution(p, "p", axis=axis)
    q, sq = as_distribution(q, "q", axis=axis)
    broadcast_pair(p, q, axis=axis)
    return p, sp, q, sq


def as_finite(x, name: str, *, positive: bool = False, what: str = "a number") -> np.ndarray:
    """Check that ``x`` holds finite real numbers (and > 0 if ``positive``).

    For parameters such as means and standard deviations, and for samples.
    Scalars are accepted and returned as 0-d arrays. ``what`` describes one
    entry in the messages (e.g. ``"a standard deviation"``).

    Raises
    ------
    DistributionError
        Non-numeric, complex, empty, NaN or infinite, or (with ``positive``)
        zero or negative entries.
    """
    arr = _read_real(x, name, what, zeros_matter=positive)
    if arr.size == 0:
        raise DistributionError(f"{name} is empty (shape {arr.shape}); it needs at least one value.")
    arr = _to_float64(arr, name, zeros_matter=positive)
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        i = bad[0]
        value = "NaN" if np.isnan(arr.flat[i]) else str(arr.flat[i])
        where = "" if arr.ndim == 0 else f" at {_where(i, arr.shape)}"
        raise DistributionError(
            f"{name} contains {value}{where}; {name} must be finite ({what} each)."
        )
    if positive:
        bad = np.flatnonzero(arr <= 0)
        if bad.size:
            i = bad[0]
            where = "" if arr.ndim == 0 else f" at {_where(i, arr.shape)}"
            raise DistributionError(
                f"{name} must be > 0 ({what}), got {float(arr.flat[i])!r}{where}."
            )
    return arr


# Samples, counts and settings of klteach.drift.

#: Names accepted by ``measure=``: D(ref||cur), D(cur||ref), PSI (Jeffreys), Jensen-Shannon.
MEASURES = ("kl", "kl_reverse", "psi", "js")


#: Pseudo-count added to every bin of both histograms unless told otherwise
#: (the Krichevsky-Trofimov / Jeffreys-prior choice).
DEFAULT_PSEUDO_COUNT = 0.5


def _check_nan_policy(nan):
    if nan not in ("raise", "bin"):
        raise ValueError(f"nan must be 'raise' (the default: refuse NaN) or 'bin' (count NaN "
                         f"in a bin of its own), got {nan!r}.")


def _as_sample(x, name: str, nan: str = "raise") -> np.ndarray:
    """A 1-D float array of a numeric sample; NaN refused unless ``nan='bin'``; inf refused."""
    _check_nan_policy(nan)
    if isinstance(x, (str, bytes)):
        raise DistributionError(f"{name} must be a sample of numbers, got the string {x!r}.")
    if isinstance(x, np.ma.MaskedArray):
        x = _unmasked(x, name)             # np.asarray would read the hidden values
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise DistributionError(
            f"{name} must hold numbers, got dtype {arr.dtype}; for categories (strings, "
            f"labels) use category_counts or drift_test(..., categorical=True).")
    if arr.ndim != 1:
        raise DistributionError(f"{name} must be a 1-D sample, got shape {arr.shape}; "
                                f"pass one feature at a time (or use drift_report for tables).")
    if arr.size == 0:
        raise DistributionError(f"{name} is empty; a drift comparison needs at least one value "
                                f"on each side.")
    arr = arr.astype(np.float64, copy=False)
    nans = np.isnan(arr)
    if nans.any() and nan == "raise":
        raise DistributionError(
            f"{name} has {int(nans.sum())} NaN value(s) (first at index {int(np.argmax(nans))}); "
            f"klteach never drops them silently: remove them yourself if they are errors, or "
            f"pass nan='bin' to count missing values in a bin of their own.")
    inf = np.isinf(arr)
    if inf.any():
        raise DistributionError(f"{name} has an infinite value at index {int(np.argmax(inf))}; "
                                f"replace it (or clip it) before binning.")
    return arr


def _check_pseudo_count(pseudo_count) -> float:
    if isinstance(pseudo_count, bool) or not isinstance(pseudo_count, Real) \
            or not math.isfinite(pseudo_count) or pseudo_count < 0:
        raise ValueError(f"pseudo_count must be a finite number >= 0 (added to every bin of "
                         f"both histograms; default {DEFAULT_PSEUDO_COUNT}), got {pseudo_count!r}.")
    return float(pseudo_count)


def _check_measure(measure) -> str:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(map(repr, MEASURES))}, got {measure!r}.")
    return measure


def _check_n_permutations(n_permutations) -> int:
    if isinstance(n_permutations, bool) or not isinstance(n_permutations, Integral) \
            or n_permutations < 1:
        raise ValueError(f"n_permutations must be a positive integer (the p-value's resolution "
                         f"is 1 / (n_permutations + 1)), got {n_permutations!r}.")
    return int(n_permutations)


def _as_counts(x, name: str) -> np.ndarray:
    """Non-negative whole-number counts per bin, as int64; every message speaks of counts."""
    if isinstance(x, (str, bytes)):
        raise DistributionError(f"{name} must be counts per bin (numbers), got the string {x!r}.")
    if isinstance(x, np.ma.MaskedArray):
        x = _unmasked(x, name)
    try:
        arr = np.asarray(x)
    except Exception as exc:   # ragged lists
        raise DistributionError(f"{name} could not be read as an array of counts ({exc}); pass "
                                f"one count per bin, e.g. [12, 30, 7].") from None
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        raise DistributionError(f"{name} must hold counts per bin (whole numbers), got dtype "
                                f"{arr.dtype}; for labels use category_counts first.")
    if arr.ndim != 1:
        what = "a single number" if arr.ndim == 0 else f"shape {arr.shape}"
        raise DistributionError(f"{name} must be a 1-D array of counts, one per bin, got {what}.")
    if arr.size == 0:
        raise DistributionError(f"{name} is empty; it needs one count per bin (at least one bin).")
    arr = arr.astype(np.float64)
    checks = [
        (~np.isfinite(arr), "is not a finite number; counts are whole numbers >= 0"),
        (arr < 0, "is negative; counts are whole numbers >= 0 (the number of observations "
                  "in each bin)"),
        (arr > 2**53, "is too large to be exact (above 2**53); pass the numbers of "
                      "observations per bin"),
        (arr != np.round(arr), "is not a whole number; pass the numbers of observations per "
                               "bin, not proportions"),
    ]
    for bad, why in checks:
        if bad.any():
            i = int(np.argmax(bad))
            value = "NaN" if np.isnan(arr[i]) else f"{arr[i]:.17g}"
            raise DistributionError(f"{name}[{i}] = {value} {why}.")
    if not arr.any():
        raise DistributionError(f"{name} is all zeros; at least one bin needs an observation.")
    return arr.astype(np.int64)


# Settings of klteach.logits (its axis message names the logits' dimensions).

def _check_temperature(temperature) -> float:
    if (isinstance(temperature, bool) or not isinstance(temperature, (Real, np.number))
            or not math.isfinite(float(temperature)) or float(temperature) <= 0):
        raise DistributionError(
            f"temperature must be a finite number > 0, got {temperature!r}; 1 leaves the "
            f"distribution unchanged, larger values flatten it, smaller ones sharpen it."
        )
    return float(temperature)


def _check_logits_axis(axis, ndim, name):
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) or not -ndim <= axis < ndim:
        raise DistributionError(
            f"axis must be an integer between {-ndim} and {ndim - 1} for {name} with "
            f"{ndim} dimension(s), got {axis!r}."
        )
    return int(axis) % ndim
