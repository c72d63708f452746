"""Distributions given by logits: stable softmax, KL from logits, distillation, per-token KL.

Neural networks output *logits* z, unnormalised log-probabilities; the
distribution is softmax(z / T) at temperature T. Everything here works in
log space (log-softmax) so that logits of +-1e4 give exact answers where a
naive ``exp(z) / exp(z).sum()`` overflows to NaN.

* :func:`log_softmax`, :func:`softmax`: with a temperature.
* :func:`kl_from_logits`: D(softmax(p_logits / T) || softmax(q_logits / T)).
* :func:`distillation_loss`: Hinton's T² · D(teacher_T || student_T), averaged over every
  distribution (every example, or every token position).
* :func:`per_token_kl`: D(policy || reference) from sampled tokens, with
  :func:`klteach.mc_kl`'s k1, k2, k3.
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Rational

import numpy as np

from ._numerics import expm1mx
from ._validation import (
    DistributionError,
    _check_logits_axis,
    _check_temperature,
    _read_real,
    _where,
    broadcast_pair,
    check_base,
    check_same_labels,
    in_units,
)
from .estimators import mc_kl

__all__ = ["log_softmax", "softmax", "kl_from_logits", "distillation_loss", "per_token_kl"]


def _exact_shift(x, name, axis):
    """Exact logits (Python ints beyond 2**53, Fractions) minus each slice's largest, computed exactly.

    Softmax depends only on differences of logits, and 2**64 and 2**64 + 3 are the same
    float: the differences are formed in exact arithmetic before the cast to float. ``-inf``
    (probability 0) stays ``-inf``; each slice's largest is taken over its finite logits.
    Anything else (floats only, NaN, strings) is returned unchanged for the ordinary checks.
    """
    if isinstance(x, np.ndarray) and x.dtype != object:
        return x
    try:
        arr = np.asarray(x, dtype=object)
    except Exception:
        return x    # (ragged input: _read_real explains)
    if arr.ndim == 0 or arr.size == 0:
        return x
    leaves = list(arr.ravel())
    if not any(isinstance(v, Fraction) or (isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
                                           and abs(int(v)) > 2**53) for v in leaves):
        return x    # nothing a float cannot hold: the ordinary path
    exact = []
    for v in leaves:
        if isinstance(v, (bool, np.bool_)):
            return x
        if isinstance(v, (Rational, np.integer)):
            exact.append(Fraction(int(v)) if isinstance(v, np.integer) else Fraction(v))
        elif isinstance(v, (float, np.floating)) and math.isfinite(v):
            exact.append(Fraction(float(v)))   # a finite float is an exact binary fraction
        elif isinstance(v, (float, np.floating)) and v == -math.inf:
            exact.append(None)                 # probability 0: stays -inf
        else:
            return x
    axis = _check_logits_axis(axis, arr.ndim, name)
    values = np.moveaxis(np.array(exact, dtype=object).reshape(arr.shape), axis, -1)
    shifted = np.empty(values.shape, dtype=float)
    for index in np.ndindex(values.shape[:-1]):
        row = values[index]
        finite = [v for v in row if v is not None]
        if not finite:
            return x    # an all -inf slice: the ordinary checks explain
        top = max(finite)
        shifted[index] = [-math.inf if v is None else float(v - top) for v in row]
    return np.moveaxis(shifted, -1, axis)


def _as_logits(x, name, axis):
    """Float64 logits: real, at least 1-D, no NaN or +inf; -inf (probability 0) allowed.

    Logits wider than float64 (``np.longdouble``) have each slice's largest
    subtracted in their own precision before the cast, as exact integers do:
    softmax depends only on the differences, which then keep the digits (and
    the range) that float64 would round away.
    """
    x = _exact_shift(x, name, axis)
    arr = _read_real(x, name, "a logit")
    if arr.ndim == 0:
        raise DistributionError(
            f"{name} is a single number ({arr.item()!r}); logits are a vector, one per "
            f"outcome (class or token), such as [2.0, 0.5, -1.0]."
        )
    if arr.size == 0:
        raise DistributionError(f"{name} is empty (shape {arr.shape}); it needs at least one outcome.")
    axis = _check_logits_axis(axis, arr.ndim, name)
    if arr.dtype.kind in "iu" and arr.size and int(np.max(np.abs(arr.astype(object)))) > 2**53:
        # Integers beyond 2**53 (np.int64 [2**62, 2**62 + 1]) lose their differences as
        # floats; softmax depends only on them, so subtract each slice's largest exactly first.
        exact = arr.astype(object)
        arr = (exact - np.max(exact, axis=axis, keepdims=True)).astype(np.float64)
    wide = arr.dtype.kind == "f" and arr.dtype.itemsize > 8
    if not wide:
        arr = arr.astype(np.float64, copy=False)
    flat = arr.ravel()
    bad = np.flatnonzero(np.isnan(flat) | (flat == np.inf))
    if bad.size:
        i = bad[0]
        raise DistributionError(
            f"{name} contains {'NaN' if np.isnan(flat[i]) else 'inf'} at {_where(i, arr.shape)}; "
            f"logits must be finite "
            f"(or -inf for an outcome of probability 0). Find where the NaN or inf came from."
        )
    if np.any(np.all(arr == -np.inf, axis=axis)):
        raise DistributionError(
            f"{name} has a slice along axis {axis} whose logits are all -inf; at least one "
            f"outcome needs a finite logit (positive probability)."
        )
    if wide:
        # No NaN or +inf, and a finite logit in every slice: the largest is finite. What
        # lies below -1.8e308 after the shift (a probability far below the smallest float)
        # becomes -inf, as in _log_softmax.
        with np.errstate(over="ignore"):
            arr = (arr - np.max(arr, axis=axis, keepdims=True)).astype(np.float64)
    return arr, axis


def _log_softmax(z, axis, temperature=1.0):
    """Log-softmax of checked logits ``z`` at ``temperature``: (z_i - m)/T - log sum_j e^((z_j - m)/T).

    The largest logit m is subtracted before dividing by T: the difference of
    nearby logits is exact, and (z_i - m)/T <= 0 cannot overflow to +inf or
    turn into inf - inf for a tiny T. A value below -1.8e308 (a probability
    far below the smallest float) becomes -inf.
    """
    top = np.max(z, axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        shifted = z - top                         # -inf stays -inf; the largest is 0
        if temperature != 1.0:
            # -1e308 - 1e308 overflows; for T > 1 the quotient may still be finite
            lost = (shifted == -np.inf) & (z > -np.inf)
            shifted = shifted / temperature
            if temperature > 1.0 and np.any(lost):
                shifted = np.where(lost, z / temperature - top / temperature, shifted)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax(logits, *, temperature=1.0, axis=-1):
    r"""Log-probabilities of softmax(logits / T), without overflow.

    .. math::

        \log \operatorname{softmax}(z/T)_i = \frac{z_i - m}{T} - \log \sum_j e^{(z_j - m)/T},
        \qquad m = \max_j z_j

    Subtracting the largest logit first makes every exponent <= 0, so nothing
    overflows, and the largest outcome's log-probability is computed without
    forming a probability that could round to 0.

    Parameters
    ----------
    logits : array_like
        Unnormalised log-probabilities, outcomes along ``axis``. ``-inf``
        marks an outcome of probability 0.
    temperature : float
        T > 0. T > 1 flattens the distribution, T < 1 sharpens it.
    axis : int
        Axis of the outcomes.

    Returns
    -------
    ndarray
        Same shape as ``logits``; ``exp`` of it sums to 1 along ``axis``.

    Raises
    ------
    DistributionError
        Non-numeric, empty or scalar logits, NaN or +inf, a slice of only
        -inf, a temperature that is not a finite positive number, a bad axis.

    See Also
    --------
    softmax : The probabilities themselves.
    scipy.special.log_softmax : The same without a temperature or input checks.

    Notes
    -----
    The computation is in float64, and so is the result, whatever the input
    type. ``np.longdouble`` logits first have each slice's largest logit
    subtracted in long double, so differences finer than float64 resolves at
    the logits' size (``1e4`` and ``1e4 + 1e-13``) and logits beyond float64's
    range (``1e400``) are kept; integers beyond 2**53 and Fractions are
    shifted the same way, exactly.

    Examples
    --------
    >>> log_softmax([1e4, 0.0]).round(4)       # a naive softmax gives nan here
    array([     0., -10000.])
    >>> np.exp(log_softmax([2.0, 0.0], temperature=2.0)).round(4)
    array([0.7311, 0.2689])
    """
    temperature = _check_temperature(temperature)
    z, axis = _as_logits(logits, "logits", axis)
    return _log_softmax(z, axis, temperature)


def softmax(logits, *, temperature=1.0, axis=-1):
    r"""Probabilities softmax(logits / T) = exp(z_i / T) / sum_j exp(z_j / T), without overflow.

    .. math:: \operatorname{softmax}(z/T)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}

    ``exp`` of :func:`log_softmax`. Very unlikely outcomes may round to
    probability 0: compute divergences from the logits
    (:func:`kl_from_logits`), not from these probabilities.

    Parameters
    ----------
    logits, temperature, axis
        As for :func:`log_softmax`.

    Returns
    -------
    ndarray
        Probabilities along ``axis``, summing to 1.

    Raises
    ------
    DistributionError
        As for :func:`log_softmax`.

    See Also
    --------
    log_softmax : The log-probabilities, which keep what underflows here.
    scipy.special.softmax : The same without a temperature or input checks.

    Notes
    -----
    Computed in float64, whatever the input type; ``np.longdouble`` logits keep
    the digits of their differences (see :func:`log_softmax`).

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1.0, 2.0, 3.0], temperature=100).round(4)   # high T: nearly uniform
    array([0.33  , 0.3333, 0.3367])
    """
    return np.exp(log_softmax(logits, temperature=temperature, axis=axis))


def _kl_terms(logp, logq, d, zp, zq):
    """Non-negative terms p (e^d - 1 - d) of D(P||Q), with d = log q - log p given.

    Their sum equals D(P||Q) because sum p e^d = sum q = 1, once each
    outcome with p = 0 contributes its q (sum p e^d covers only P's
    support). For |d| < 1 a term is computed as p * expm1mx(d), exact near
    P = Q; otherwise as q - p - p d, which cannot overflow. A logit of -inf
    in Q where P's is finite gives inf (q = 0 < p).

    A finite Q logit whose log-probability (z_i - m)/T falls below -1.8e308
    (a tiny T) is -inf in ``logq``: its term p (log p - log q) is 0 in float64
    when log p < -2300 (then p |log q| < e^(log p + 1456) underflows, as
    |log q| < 3.6e308 / T and T >= 5e-324), inf where p rounds to 1 (p |log q|
    > 1.8e308); otherwise it cannot be formed and FloatingPointError is raised.
    """
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        p, q = np.exp(logp), np.exp(logq)
        near = np.abs(d) < 1
        terms = np.where(near, p * expm1mx(np.where(near, d, 0.0)), q - p - p * d)
    overflowed = (logq == -np.inf) & (zq > -np.inf)
    # where p rounds to 1, p |log q| > 1.8e308 overflows: the term is inf
    sure = overflowed & (logp == 0.0)
    if np.any(overflowed & ~sure & (logp >= -2300.0)):
        raise FloatingPointError(
            "the temperature is so small that a log-probability of Q, (z_i - max z) / T, is "
            "below -1.8e308 where P's probability is not negligible: D(P||Q) cannot be "
            "formed in float64. Use a larger temperature."
        )
    terms = np.where(overflowed, np.where(sure, np.inf, 0.0), terms)   # else it underflows to 0
    terms = np.where(logp == -np.inf, q, terms)          # 0 log 0 = 0, but Q's mass there counts
    terms = np.where((zq == -np.inf) & (zp > -np.inf), np.inf, terms)
    return np.maximum(terms, 0.0)


def _two_diff(x, y):
    """``x - y`` and its rounding error, exactly (Knuth's TwoSum): x - y = s + err."""
    s = x - y
    v = s - x
    return s, (x - (s - v)) - (y + v)


def _log_ratio(zp, zq, logp, logq, temperature, axis):
    """d = log q - log p, accurate to the last digits when the two logit vectors are close.

    log q_i - log p_i = delta_i - c with delta = (zq - zp) / T (up to a constant) and
    c = log sum_j p_j e^(delta_j) = log sum_j p_m q_j / q_m, as log1p(sum_j p_j expm1(delta_j)) when
    |c| < 1 (each p_j expm1(delta_j) as e^(log p_j + delta_j) - p_j where
    |delta_j| >= 1), else as a log-sum-exp. This form is used for every
    outcome with a finite delta, whatever the other outcomes' delta: delta
    comes from an exact difference of nearby logits, so tiny divergences keep
    their digits even next to a far-tail outcome; the plain difference of
    log-softmax values only where a logit is -inf.
    """
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        both_zero = (zp == -np.inf) & (zq == -np.inf)
        # Constants added to all logits cancel: measure each vector from its value at
        # P's mode m, so delta_i = ((zq_i - zq_m) - (zp_i - zp_m)) / T keeps the digits
        # of small differences within each vector (each subtraction's rounding error is
        # carried along exactly, so differences of differences lose nothing either).
        m = np.argmax(logp, axis=axis, keepdims=True)
        a, err_a = _two_diff(zq, np.take_along_axis(zq, m, axis=axis))
        b, err_b = _two_diff(zp, np.take_along_axis(zp, m, axis=axis))
        delta = np.where(both_zero, 0.0, ((a - b) + (err_a - err_b)) / temperature)
        # c = log sum_j p_j e^(delta_j), the sum over every j with q_j > 0 (p_j e^(delta_j) =
        # p_m q_j / q_m, also where p_j = 0), first in logarithms (cannot overflow) ...
        x = np.take_along_axis(logp, m, axis=axis) + (a + err_a) / temperature
        x = np.where(np.isnan(x), -np.inf, x)
        top = np.max(x, axis=axis, keepdims=True)
        top = np.where(np.isfinite(top), top, 0.0)
        c = top + np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True))
        # ... then, where it is small, as log1p(sum_j p_j expm1(delta_j)): exact near P = Q.
        # Each outcome's p_j expm1(delta_j) in the form that keeps its digits: e^(x_j) <= e^c < e.
        near = np.abs(delta) < 1
        p = np.exp(logp)
        moved = np.where(near, p * np.expm1(np.where(near, delta, 0.0)),
                         np.where(x > -np.inf, np.exp(np.minimum(x, 1.0)) - p, 0.0))
        small = (c > -1) & (c < 1)
        c = np.where(small, np.log1p(np.sum(moved, axis=axis, keepdims=True)), c)
        # d_i = delta_i - c for every outcome: a far-tail outcome (|delta| >= 1) no longer sends
        # the others to log q - log p, which cancels when they nearly agree.
        usable = np.isfinite(delta) & np.isfinite(c)
        return np.where(usable, delta - np.where(usable, c, 0.0), logq - logp)


def kl_from_logits(p_logits, q_logits, *, temperature=1.0, base=None, axis=-1):
    r"""D(P||Q) for P = softmax(p_logits / T) and Q = softmax(q_logits / T), from the logits.

    .. math::

        D(P\|Q) = \sum_i p_i(\log p_i - \log q_i), \qquad
        \log p_i = \log\operatorname{softmax}(z^P/T)_i

    P, the reference (a teacher, a data distribution, the policy being
    penalised), comes first. The sum is computed from log-softmax values as
    the non-negative terms :math:`p_i(e^{d_i} - 1 - d_i)`,
    :math:`d_i = \log q_i - \log p_i`, so it is never negative, keeps its
    digits when P and Q are nearly equal, and stays finite for logits of
    +-1e4 where probabilities underflow to 0.

    Parameters
    ----------
    p_logits, q_logits : array_like
        Logits of P and of Q over the same outcomes (along ``axis``); a
        single vector may be paired with a batch. ``-inf`` means probability 0.
    temperature : float
        T > 0, applied to both.
    base : float, optional
        None for nats (default), 2 for bits.
    axis : int
        Axis of the outcomes.

    Returns
    -------
    float or ndarray
        One divergence per distribution; a float for a single pair. ``inf``
        when Q gives probability 0 to an outcome P can produce.

    Raises
    ------
    DistributionError
        As :func:`log_softmax`; shapes that do not match; an invalid ``base``.

    See Also
    --------
    kl_divergence : The same divergence from probabilities.
    log_softmax : The log-probabilities it works from.
    distillation_loss : T² times its mean, the distillation term.
    scipy.special.log_softmax : Log-softmax without a temperature or input checks.

    Notes
    -----
    Computed in float64. ``np.longdouble`` logits keep the digits of their
    differences (see :func:`log_softmax`): ``[1, 1 + 1e-17]`` against ``[1, 1]``
    gives about ``1e-17**2 / 8``, where their float64 values would give 0.

    Examples
    --------
    >>> round(kl_from_logits([2.0, 0.0], [0.0, 0.0]), 4)    # (0.8808, 0.1192) vs (0.5, 0.5)
    0.3278
    >>> kl_from_logits([1e4, 0.0], [0.0, 1e4])              # a naive softmax gives nan
    10000.0
    """
    base = check_base(base)
    temperature = _check_temperature(temperature)
    return in_units(_kl_nats(p_logits, q_logits, temperature, axis, ("p_logits", "q_logits")), base)


def _same_outcomes(zp, zq, axis, names):
    """Both logit arrays list the same outcomes along ``axis`` (a message about logits)."""
    a, b = names
    if zp.ndim - axis % zp.ndim == zq.ndim - axis % zq.ndim and zp.shape[axis] != zq.shape[axis]:
        raise DistributionError(
            f"{a} has {zp.shape[axis]} outcomes along axis {axis} but {b} has {zq.shape[axis]} "
            f"(shapes {zp.shape} and {zq.shape}); both must give one logit per outcome (class "
            f"or token), for the same outcomes in the same order."
        )
    broadcast_pair(zp, zq, names=names, axis=axis)


def _kl_nats(p_logits, q_logits, temperature, axis, names):
    """D(P||Q) in nats from logits, with the caller's argument names in every message."""
    check_same_labels(p_logits, q_logits, names, axis=axis)   # pandas: refuse outcome labels paired by position
    zp, axis_p = _as_logits(p_logits, names[0], axis)
    zq, axis_q = _as_logits(q_logits, names[1], axis)
    _same_outcomes(zp, zq, axis, names)
    logp = _log_softmax(zp, axis_p, temperature)
    logq = _log_softmax(zq, axis_q, temperature)
    axis = axis_p - zp.ndim                 # the same outcome axis after broadcasting
    zp, zq, logp, logq = np.broadcast_arrays(zp, zq, logp, logq)
    d = _log_ratio(zp, zq, logp, logq, temperature, axis)
    return np.sum(_kl_terms(logp, logq, d, zp, zq), axis=axis)


def distillation_loss(teacher_logits, student_logits, *, temperature, axis=-1):
    r"""Knowledge-distillation loss T² · D(teacher_T || student_T), averaged over every distribution, in nats.

    .. math::

        L = T^2 \, \frac1N \sum_{n=1}^N D\big(\operatorname{softmax}(t_n/T)\,\big\|\,
        \operatorname{softmax}(s_n/T)\big)

    where the sum runs over **every** distribution in the input: each slice
    along ``axis`` is one (teacher, student) pair, and N is the number of
    slices, the product of all the other axes. For logits of shape (B, K)
    that is the B examples; for a language model's logits of shape
    (B, T_seq, V), N = B · T_seq token positions, so L is the mean KL per
    token.

    The teacher's softened distribution is the reference (first argument of
    the KL); the student is the model. The factor T² (Hinton, Vinyals and
    Dean, 2015) keeps the gradients with respect to the student's logits of
    about the same size as T changes, for large T (there they shrink like
    1/T² otherwise; between T = 1 and T = 2 the scaled gradient still nearly
    doubles), so the
    weight between this term and the ordinary cross-entropy on hard labels
    need not be retuned for every T.

    **PyTorch.** ``F.kl_div(F.log_softmax(s / T, -1), F.log_softmax(t / T, -1),
    reduction="batchmean", log_target=True)`` sums the KL terms over all
    elements and divides by the size of the **first** axis only. For (B, K)
    logits, T² times it equals this function. For (B, T_seq, V) logits it
    is the KL summed over the T_seq positions of a sequence, averaged over
    the B sequences: T_seq times this function's per-token mean. To match
    torch's number, multiply by T_seq (or pass the logits reshaped to
    (B · T_seq, V) to torch for the per-token mean). Its default
    ``reduction="mean"`` divides by every element, V included, and is not a
    KL divergence at all.

    Parameters
    ----------
    teacher_logits, student_logits : array_like
        Shape ``(K,)`` for one example, ``(N, K)`` for a batch, or any shape
        with the classes (or vocabulary) along ``axis``, e.g. ``(B, T_seq, V)``.
    temperature : float
        T > 0; required, since the loss depends on it through T² as well.
    axis : int
        Axis of the classes.

    Returns
    -------
    float
        The loss in nats: T² times the mean of D over all slices along ``axis``,
        formed as ``T (T mean)``, so that neither T² nor the product
        overflows or underflows before the loss itself does.

    Raises
    ------
    DistributionError
        As :func:`kl_from_logits`, naming ``teacher_logits`` and ``student_logits``.
    FloatingPointError
        T > 1 so large that D underflows below the smallest normal float
        (e.g. T = 1e160 for logits of order 1) for distributions that are not
        equal: T² D would have lost its digits.

    See Also
    --------
    kl_from_logits : One D(teacher_T || student_T) per slice, before the mean and T².

    Notes
    -----
    Computed in float64, whatever the input type; ``np.longdouble`` logits keep
    the digits of their differences (see :func:`log_softmax`).

    References
    ----------
    .. [1] G. Hinton, O. Vinyals and J. Dean, "Distilling the knowledge in a neural
           network", arXiv:1503.02531, 2015.

    Examples
    --------
    >>> teacher, student = [3.0, 1.0, 0.2], [2.0, 1.5, 0.5]
    >>> round(distillation_loss(teacher, student, temperature=1.0), 4)
    0.1892
    >>> round(distillation_loss(teacher, student, temperature=4.0), 4)   # 16 x a smaller KL
    0.2482

    Logits of a language model, 2 sequences of 3 tokens over a vocabulary of 5:

    >>> rng = np.random.default_rng(0)
    >>> t, s = rng.normal(size=(2, 3, 5)), rng.normal(size=(2, 3, 5))
    >>> per_token = kl_from_logits(t, s, temperature=2.0)      # shape (2, 3): one KL per position
    >>> loss = distillation_loss(t, s, temperature=2.0)
    >>> bool(np.isclose(loss, 2.0**2 * per_token.mean()))      # divided by B * T_seq = 6
    True
    >>> batchmean = 2.0**2 * per_token.sum() / 2              # torch's "batchmean": divided by B = 2
    >>> bool(np.isclose(batchmean, 3 * loss))                  # T_seq = 3 times larger
    True
    """
    temperature = _check_temperature(temperature)
    names = ("teacher_logits", "student_logits")
    kl = np.asarray(_kl_nats(teacher_logits, student_logits, temperature, axis, names))
    # A D below the smallest normal float has lost digits (or all of them, as 0) to
    # underflow, unless the two distributions are equal (logits differing by a constant);
    # multiplied by T**2 > 1 that loss would show in the result.
    lost = kl < np.finfo(float).tiny
    if temperature > 1 and np.any(lost):
        zp, axis_p = _as_logits(teacher_logits, names[0], axis)
        zq, _ = _as_logits(student_logits, names[1], axis)
        zp, zq = np.broadcast_arrays(zp, zq)
        ax = axis_p - zp.ndim
        # Equal distributions: the same -inf outcomes, and a constant gap between the
        # finite logits (halved first, so that 1e308 - -1e308 cannot overflow).
        finite = (zp > -np.inf) & (zq > -np.inf)
        gap = np.where(finite, 0.5 * np.where(finite, zp, 0.0) - 0.5 * np.where(finite, zq, 0.0), 0.0)
        equal = (np.all((zp == -np.inf) == (zq == -np.inf), axis=ax)
                 & (np.max(np.where(finite, gap, -np.inf), axis=ax)
                    == np.min(np.where(finite, gap, np.inf), axis=ax)))
        if np.any(lost & ~equal):
            raise FloatingPointError(
                f"with temperature {temperature:g} the softened teacher and student "
                f"distributions differ by less than float64 resolves: D underflows, and "
                f"T**2 * D would lose its digits. Lower the temperature (as T grows the loss "
                f"approaches its limit long before: about half the variance of "
                f"teacher_logits - student_logits over the classes)."
            )
    with np.errstate(over="ignore", under="ignore"):
        top = float(np.max(kl))
        if top == np.inf:                       # Q = 0 where P > 0 in some slice: the mean is inf
            return math.inf
        scale = top if top > 1.0 else 1.0       # the mean of D / top cannot overflow
        mean = scale * float(np.mean(kl / scale))
        # T * (T * mean): T**2 alone overflows from T = 1.3e154 (or underflows to 0 below 1e-162)
        return float(temperature * (temperature * mean))


def per_token_kl(policy_logits, reference_logits, tokens, *, estimator="k3", base=None):
    r"""Estimate D(policy || reference) per token from tokens sampled from the policy.

    For a language model fine-tuned by reinforcement learning, the KL
    penalty compares the policy :math:`\pi` with the reference model
    :math:`\pi_\text{ref}` at each generated token :math:`x \sim \pi`. With
    :math:`r = \pi_\text{ref}(x)/\pi(x)`, Schulman's estimators are
    k1 = -log r, k2 = (log r)²/2 and k3 = (r - 1) - log r; this function
    evaluates both log-softmaxes at the tokens and passes them to
    :func:`klteach.mc_kl`.

    Parameters
    ----------
    policy_logits, reference_logits : array_like, shape (K,) or (n, K)
        Logits over a vocabulary of K tokens: one distribution for all
        tokens, or one row per token position.
    tokens : array_like of int, shape (n,)
        Token ids sampled from the policy, each in ``0 .. K-1``.
    estimator : {"k1", "k2", "k3"}
    base : float, optional
        None for nats (default), 2 for bits.

    Returns
    -------
    MCEstimate
        The mean over tokens and its standard error.

    Raises
    ------
    DistributionError
        Bad logits (as :func:`log_softmax`), token ids that are not integers
        in range, fewer than 2 tokens, an unknown estimator.

    See Also
    --------
    klteach.mc_kl : The estimators, from log densities at samples.
    kl_from_logits : The exact D(policy || reference) per position, when the whole
        distribution is at hand.

    Notes
    -----
    Computed in float64, whatever the input type; ``np.longdouble`` logits keep
    the digits of their differences (see :func:`log_softmax`).

    References
    ----------
    .. [1] J. Schulman, "Approximating KL divergence", 2020,
           http://joschu.net/blog/kl-approx.html.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> policy, reference = np.array([2.0, 0.0, -1.0]), np.zeros(3)
    >>> tokens = rng.choice(3, size=20_000, p=softmax(policy))
    >>> est = per_token_kl(policy, reference, tokens)
    >>> exact = kl_from_logits(policy, reference)
    >>> abs(est.estimate - exact) < 4 * est.stderr
    True
    """
    if estimator not in ("k1", "k2", "k3"):
        raise DistributionError(f"estimator must be 'k1', 'k2' or 'k3', got {estimator!r}.")
    check_same_labels(policy_logits, reference_logits, ("policy_logits", "reference_logits"))
    zp, _ = _as_logits(policy_logits, "policy_logits", -1)
    zr, _ = _as_logits(reference_logits, "reference_logits", -1)
    for z, name in ((zp, "policy_logits"), (zr, "reference_logits")):
        if z.ndim > 2:
            raise DistributionError(
                f"{name} must have shape (K,) for one distribution or (n, K) for one row per "
                f"token position, got shape {z.shape}."
            )
    if zp.shape[-1] != zr.shape[-1]:
        raise DistributionError(
            f"policy_logits has {zp.shape[-1]} logits per position but reference_logits has "
            f"{zr.shape[-1]} (shapes {zp.shape} and {zr.shape}); both models must score the "
            f"same vocabulary."
        )
    k = zp.shape[-1]
    tok = _read_real(tokens, "tokens", "a token id")
    if tok.ndim != 1:
        raise DistributionError(f"tokens must be a 1-D array of token ids, got shape {tok.shape}.")
    if tok.dtype.kind == "b":
        raise DistributionError(
            "tokens are booleans; give integer token ids (0 .. K-1), e.g. tokens.astype(int) "
            "if True and False really stand for ids 1 and 0."
        )
    if tok.dtype.kind == "f":
        if not np.all(np.isfinite(tok)) or np.any(tok != np.round(tok)):
            raise DistributionError("tokens must be whole numbers (token ids), not fractions or NaN.")
    out_of_range = (tok < 0) | (tok >= k)       # before any cast, which could wrap a huge id
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        value = tok[i].item()
        value = int(value) if float(value).is_integer() else value
        raise DistributionError(
            f"tokens[{i}] = {value} is not a token id of this vocabulary of {k} "
            f"(ids run from 0 to {k - 1})."
        )
    tok = tok.astype(np.int64)
    if tok.size < 2:
        raise DistributionError(
            f"tokens has {tok.size} token id(s); per_token_kl needs at least 2 sampled tokens "
            f"for a standard error."
        )
    rows = []
    for z, name in ((zp, "policy_logits"), (zr, "reference_logits")):
        if z.ndim == 2 and z.shape[0] != tok.size:
            raise DistributionError(
                f"{name} has {z.shape[0]} rows but tokens has {tok.size} token ids; give one "
                f"row per token position, or a single vector of shape ({k},)."
            )
        logprob = _log_softmax(z, -1)
        rows.append(logprob[tok] if z.ndim == 1 else logprob[np.arange(tok.size), tok])
    impossible = np.flatnonzero(rows[0] == -np.inf)
    if impossible.size:
        i = int(impossible[0])
        raise DistributionError(
            f"tokens[{i}] = {int(tok[i])} has probability 0 under the policy (its logit in "
            f"policy_logits is -inf); the tokens must be sampled from the policy."
        )
    return mc_kl(rows[0], rows[1], estimator=estimator, base=base)
