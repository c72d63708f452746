"""Tests of klteach.training: gradients by finite differences, optimum by scipy, CE = H + KL."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize
import scipy.stats
from scipy.special import logsumexp

import klteach as kt
from klteach import DistributionError
from klteach.training import predict_proba, softmax_regression


def mean_cross_entropy(theta, X, P):
    """The loss written out independently: -mean_i sum_k P_ik log softmax(x_i W + b)_k."""
    d, k = X.shape[1], P.shape[1]
    W, b = theta[: d * k].reshape(d, k), theta[d * k:]
    logits = X @ W + b
    log_q = logits - logsumexp(logits, axis=1, keepdims=True)
    return -np.mean(np.sum(P * log_q, axis=1))


@pytest.fixture
def soft_problem():
    """Overlapping classes with soft targets: the loss has a unique finite minimiser."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    P = kt.normalize(rng.random((40, 3)) + 0.2)
    return X, P


def test_first_step_follows_the_numerical_gradient(soft_problem):
    X, P = soft_problem
    lr = 0.3
    fit = softmax_regression(X, P, steps=1, learning_rate=lr)
    grad = scipy.optimize.approx_fprime(np.zeros(3 * 3), mean_cross_entropy, 1e-7, X, P)
    np.testing.assert_allclose(fit.coef.ravel(), -lr * grad[:6], atol=1e-6)
    np.testing.assert_allclose(fit.intercept, -lr * grad[6:], atol=1e-6)


@pytest.mark.slow
def test_converges_to_the_scipy_minimum(soft_problem):
    X, P = soft_problem
    fit = softmax_regression(X, P, steps=3000, learning_rate=1.0)
    ref = scipy.optimize.minimize(mean_cross_entropy, np.zeros(9), args=(X, P), method="BFGS",
                                  options={"gtol": 1e-10})
    assert fit.cross_entropy[-1] == pytest.approx(ref.fun, abs=1e-9)
    # The history is the loss at the returned parameters.
    theta = np.concatenate([fit.coef.ravel(), fit.intercept])
    assert fit.cross_entropy[-1] == pytest.approx(mean_cross_entropy(theta, X, P), rel=1e-12)


def test_cross_entropy_and_kl_differ_by_the_target_entropy(soft_problem):
    X, P = soft_problem
    fit = softmax_regression(X, P, steps=50, learning_rate=0.5)
    h = float(np.mean(scipy.stats.entropy(P, axis=1)))
    assert fit.target_entropy == pytest.approx(h, rel=1e-13)
    np.testing.assert_allclose(fit.cross_entropy - fit.kl, h, rtol=1e-10)
    # Both fall together; with this step size (below 1/L) the loss never rises.
    assert np.all(np.diff(fit.cross_entropy) <= 1e-15)
    assert np.argmin(fit.kl) == np.argmin(fit.cross_entropy) == 50
    # At the start every class has probability 1/3: CE = log 3.
    assert fit.cross_entropy[0] == pytest.approx(math.log(3), rel=1e-15)


def test_one_hot_targets_make_cross_entropy_equal_kl():
    X, species, _, _ = kt.datasets.iris()
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    fit = softmax_regression(Xs, np.eye(3)[species], steps=100, learning_rate=0.5, base=2)
    assert fit.target_entropy == 0.0
    np.testing.assert_allclose(fit.cross_entropy, fit.kl, rtol=1e-12)
    assert fit.cross_entropy[0] == pytest.approx(math.log2(3), rel=1e-15)   # bits
    accuracy = np.mean(predict_proba(Xs, fit.coef, fit.intercept).argmax(axis=1) == species)
    assert accuracy > 0.9


def test_predict_proba_is_softmax_of_the_logits():
    X = np.array([[0.0, 1.0], [2.0, -1.0]])
    W = np.array([[1.0, -1.0, 0.5], [0.0, 2.0, 1.0]])
    b = np.array([0.1, 0.2, 0.3])
    logits = X @ W + b
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(predict_proba(X, W, b), expected, rtol=1e-14)


def test_bad_inputs():
    X, P = np.zeros((3, 2)), np.full((3, 2), 0.5)
    with pytest.raises(DistributionError, match="targets sums to 1.2"):
        softmax_regression(X, [[0.6, 0.6]] * 3)
    with pytest.raises(ValueError, match=r"targets must have shape \(n_samples, n_classes\).*np.eye"):
        softmax_regression(X, P[:2])
    with pytest.raises(ValueError, match="2-D array.*reshape"):
        softmax_regression(np.zeros(3), P)
    with pytest.raises(ValueError, match="non-finite value nan at row 1, column 0"):
        softmax_regression([[0, 0], [np.nan, 0], [0, 0]], P)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        softmax_regression(X, P, steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        softmax_regression(X, P, learning_rate=-1)
    with pytest.raises(TypeError, match="array of numbers"):
        softmax_regression([["a", "b"]] * 3, P)
    with pytest.raises(ValueError, match="coef must have shape"):
        predict_proba(X, np.zeros((3, 2)), np.zeros(2))


def test_overflowing_logits_are_reported_as_divergence_without_warnings(recwarn):
    # Unscaled features overflow the logits; the error must say so, not blame an internal "q".
    with pytest.raises(FloatingPointError, match="logits overflowed at step 1.*standardise"):
        softmax_regression([[1e200], [-1e200]], [[1.0, 0.0], [0.0, 1.0]], steps=5)
    assert len(recwarn) == 0, [str(w.message) for w in recwarn]


def test_predict_proba_refuses_non_finite_parameters():
    with pytest.raises(ValueError, match="coef has a non-finite value nan at row 0, column 0"):
        predict_proba([[1.0]], [[np.nan, 0.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="intercept has a non-finite value inf"):
        predict_proba([[1.0]], [[0.0, 0.0]], [np.inf, 0.0])


def test_features_are_real_numbers_and_not_masked():
    P = [[1.0, 0.0], [0.0, 1.0]]
    with pytest.raises(DistributionError, match=r"^X is a masked array with 1 masked entry"):
        softmax_regression(np.ma.array([[1.0], [-1.0]], mask=[[0], [1]]), P)
    with pytest.raises(TypeError, match=r"^X has complex entries"):
        softmax_regression(np.array([[1 + 5j], [-1 + 0j]]), P)
    with pytest.raises(TypeError, match=r"array of numbers .* got dtype <U2"):
        softmax_regression([["1"], ["-1"]], P)
