"""Softmax regression trained by gradient descent, recording cross-entropy and KL.

The training loss of a classifier is the average cross-entropy between the
target distributions P_i (one-hot labels, or soft labels) and the model's
predictions Q_i. Since H(P_i, Q_i) = H(P_i) + D(P_i||Q_i) and H(P_i) does not
depend on the model, the cross-entropy and the KL curves of a training run
differ by a constant: the same steps minimise both. :func:`softmax_regression`
records both, so the offset can be seen, not just asserted.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from scipy.special import log_softmax, softmax

from ._validation import _unmasked, as_distribution, check_base, log_base
from .discrete import entropy, kl_divergence

__all__ = ["SoftmaxFit", "softmax_regression", "predict_proba"]


class SoftmaxFit(NamedTuple):
    """Result of :func:`softmax_regression`.

    Attributes
    ----------
    coef : ndarray, shape (n_features, n_classes)
        Weights after the last step.
    intercept : ndarray, shape (n_classes,)
        Biases after the last step.
    cross_entropy : ndarray, shape (steps + 1,)
        Mean H(P_i, Q_i) before each step and after the last one.
    kl : ndarray, shape (steps + 1,)
        Mean D(P_i||Q_i) at the same points.
    target_entropy : float
        Mean H(P_i): the constant gap ``cross_entropy - kl``, and the lowest
        cross-entropy any model could reach (0 for one-hot targets).
    """

    coef: np.ndarray
    intercept: np.ndarray
    cross_entropy: np.ndarray
    kl: np.ndarray
    target_entropy: float


def _features(X, name="X"):
    if isinstance(X, np.ma.MaskedArray):
        X = _unmasked(X, name)            # numpy would read the hidden values
    try:
        arr = np.asarray(X)
        if arr.dtype.kind == "c":
            raise TypeError(f"{name} has complex entries (dtype {arr.dtype}); features must be "
                            f"real numbers: pass X.real if the imaginary parts are rounding.")
        if arr.dtype.kind not in "biufO":   # strings such as "1" are not read as numbers
            raise ValueError
        X = arr.astype(float)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, TypeError) and "complex" in str(exc):
            raise
        raise TypeError(f"{name} must be a 2-D array of numbers (samples x features), got "
                        f"{'dtype ' + str(arr.dtype) if 'arr' in locals() else type(X).__name__}; "
                        f"convert strings with np.asarray({name}, dtype=float) first.") from None
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (samples x features), got shape "
                         f"{X.shape}; reshape a single feature with X.reshape(-1, 1).")
    if not np.all(np.isfinite(X)):
        i, j = np.argwhere(~np.isfinite(X))[0]
        raise ValueError(f"{name} has a non-finite value {X[i, j]} at row {i}, column {j}; "
                         f"remove or impute missing values first.")
    return X


def predict_proba(X, coef, intercept):
    r"""Class probabilities of a softmax regression model.

    .. math:: Q_i = \operatorname{softmax}(x_i W + b)

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    coef : array_like, shape (n_features, n_classes)
    intercept : array_like, shape (n_classes,)

    Returns
    -------
    ndarray, shape (n_samples, n_classes)
        Each row sums to 1.

    Raises
    ------
    ValueError
        If the shapes do not fit together or an input is not finite.

    Examples
    --------
    >>> predict_proba([[0.0], [1.0]], [[0.0, np.log(3)]], [0.0, 0.0])
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    X = _features(X)
    coef, intercept = np.asarray(coef, dtype=float), np.asarray(intercept, dtype=float)
    if coef.ndim != 2 or coef.shape[0] != X.shape[1] or intercept.shape != (coef.shape[1],):
        raise ValueError(f"coef must have shape (n_features, n_classes) = ({X.shape[1]}, k) and "
                         f"intercept shape (k,); got {coef.shape} and {intercept.shape}.")
    for name, values in (("coef", coef), ("intercept", intercept[None, :])):
        if not np.all(np.isfinite(values)):
            i, j = np.argwhere(~np.isfinite(values))[0]
            where = f"row {i}, column {j}" if name == "coef" else f"index {j}"
            raise ValueError(f"{name} has a non-finite value {values[i, j]} at {where}; "
                             f"parameters must be finite numbers.")
    return softmax(X @ coef + intercept, axis=1)


def softmax_regression(X, targets, *, steps=500, learning_rate=0.5, base=None):
    r"""Fit softmax regression by plain gradient descent on the mean cross-entropy.

    .. math:: L(W, b) = \frac1n \sum_i H(P_i, Q_i) = \frac1n \sum_i H(P_i)
              + \frac1n \sum_i D(P_i\|Q_i), \quad Q_i = \operatorname{softmax}(x_i W + b)

    Starts from all-zero parameters (every class equally likely) and takes
    ``steps`` steps ``theta -= learning_rate * grad L``; the gradient with
    respect to the logits is ``(Q_i - P_i) / n``. Deterministic.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Features; standardising them lets one learning rate suit all.
    targets : array_like, shape (n_samples, n_classes)
        Target distribution P_i of each sample: one-hot rows for hard
        labels (``np.eye(k)[labels]``), or soft labels; rows must sum to 1.
    steps : int
        Number of gradient steps (>= 1).
    learning_rate : float
        Step size (> 0).
    base : float, optional
        Units of the recorded history: None for nats (default), 2 for bits.

    Returns
    -------
    SoftmaxFit
        Parameters and the cross-entropy and KL history (``steps + 1``
        values each, D(P_i||Q_i) with the targets first).

    Raises
    ------
    DistributionError
        If a row of ``targets`` is not a distribution, or ``base`` is invalid.
    ValueError
        If ``X`` is not a finite 2-D array with one row per target, or
        ``steps`` or ``learning_rate`` is out of range.
    FloatingPointError
        If the logits overflow (training diverged: the learning rate is too
        large for the scale of ``X``).

    Examples
    --------
    >>> fit = softmax_regression([[-1.0], [1.0]], [[0.8, 0.2], [0.2, 0.8]], steps=2000)
    >>> round(float(fit.kl[-1]), 6), round(fit.target_entropy, 4)   # soft labels: H(P) = 0.5004 nats
    (0.0, 0.5004)
    """
    base = check_base(base)
    X = _features(X)
    P, totals = as_distribution(targets, "targets", axis=-1)
    if P.ndim != 2 or P.shape[0] != X.shape[0]:
        raise ValueError(f"targets must have shape (n_samples, n_classes) with n_samples = "
                         f"{X.shape[0]} (the rows of X), got {P.shape}; for integer labels "
                         f"use np.eye(n_classes)[labels].")
    if isinstance(steps, bool) or not isinstance(steps, Integral) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}.")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, Real) \
            or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive finite number, got {learning_rate!r}.")
    P = P / totals[:, None]
    n, k = P.shape
    coef = np.zeros((X.shape[1], k))
    intercept = np.zeros(k)
    target_entropy = float(np.mean(entropy(P, axis=-1)))
    ce_history, kl_history = np.empty(steps + 1), np.empty(steps + 1)
    for step in range(steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            logits = X @ coef + intercept
        if not np.all(np.isfinite(logits)):
            raise FloatingPointError(
                f"the logits overflowed at step {step}: gradient descent diverged. Lower "
                f"learning_rate, or standardise X (subtract each column's mean, divide by its sd).")
        log_q = log_softmax(logits, axis=1)
        q = np.exp(log_q)
        ce_history[step] = -np.sum(P * log_q) / n   # log_q is finite: no 0 * inf
        kl_history[step] = float(np.mean(kl_divergence(P, q, axis=-1)))
        if step == steps:
            break
        residual = (q - P) / n
        coef -= learning_rate * (X.T @ residual)
        intercept -= learning_rate * residual.sum(axis=0)
    scale = log_base(base)
    return SoftmaxFit(coef, intercept, ce_history / scale, kl_history / scale,
                      target_entropy / scale)
