"""Notebook 07's exercise checks: right answers pass, each named mistake is recognised."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from klteach import exercises as ex

TEACHER = np.array([[4.0, 1.0, -1.0, 0.5], [0.2, 2.5, 0.0, -1.0]])
STUDENT = np.array([[2.0, 1.5, 0.0, 0.0], [0.0, 1.0, 0.5, 0.0]])


def softened(z, t):
    e = np.exp(z / t)
    return e / e.sum(axis=-1, keepdims=True)


def by_hand_distillation(teacher, student, t):
    p, q = softened(teacher, t), softened(student, t)
    return t**2 * np.mean(np.sum(p * np.log(p / q), axis=-1))


def test_distillation_check():
    t = 3.0
    right = by_hand_distillation(TEACHER, STUDENT, t)
    assert ex.check_distillation_loss(right, TEACHER, STUDENT, temperature=t)
    cases = {
        right / t**2: "without the factor T²",
        right / t: "T x the KL",
        by_hand_distillation(STUDENT, TEACHER, t): "arguments are swapped",
        right / math.log(2): "in bits",
        right * 2: "sum over the batch",
        by_hand_distillation(TEACHER, STUDENT, 1.0) / 1.0 * t**2: "without the temperature",
    }
    for value, phrase in cases.items():
        feedback = ex.check_distillation_loss(value, TEACHER, STUDENT, temperature=t)
        assert not feedback and phrase in str(feedback), (phrase, str(feedback))


def test_torch_kl_div_check_reproduces_the_documented_reductions():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    q = np.array([[0.5, 0.3, 0.2], [0.3, 0.3, 0.4]])
    pointwise = p * (np.log(p) - np.log(q))
    kls = pointwise.sum(axis=1)
    assert ex.check_torch_kl_div(kls.mean(), np.log(q), p, reduction="batchmean")
    assert ex.check_torch_kl_div(pointwise.mean(), np.log(q), p, reduction="mean")
    assert ex.check_torch_kl_div(kls.sum(), np.log(q), p, reduction="sum")
    assert "'mean' divides by the number of elements" in str(
        ex.check_torch_kl_div(pointwise.mean(), np.log(q), p, reduction="batchmean"))
    reverse = np.sum(q * np.log(q / p)) / 2
    assert "D(Q||P)" in str(ex.check_torch_kl_div(reverse, np.log(q), p, reduction="batchmean"))
    wrong_input = np.sum(p * (np.log(p) - q)) / 2
    assert "expects log-probabilities" in str(ex.check_torch_kl_div(wrong_input, np.log(q), p))
    # as in PyTorch, a single 1-D distribution's 'batchmean' divides by its length
    assert ex.check_torch_kl_div(pointwise[0].sum() / 3, np.log(q[0]), p[0], reduction="batchmean")
    with pytest.raises(ValueError, match="same shape"):
        ex.check_torch_kl_div(0.1, np.log(q), p[0])
    with pytest.raises(ValueError, match="reduction must be"):
        ex.check_torch_kl_div(0.1, np.log(q), p, reduction="none")


def test_information_gain_check_against_quadrature():
    post, prior = stats.beta(1 + 7, 1 + 3), stats.beta(1, 1)
    nats, _ = integrate.quad(lambda x: post.pdf(x) * (post.logpdf(x) - prior.logpdf(x)), 0, 1)
    assert ex.check_information_gain(nats / math.log(2), 7, 3)
    assert "in nats" in str(ex.check_information_gain(nats, 7, 3))
    rev, _ = integrate.quad(lambda x: prior.pdf(x) * (prior.logpdf(x) - post.logpdf(x)), 0, 1)
    assert "reverse direction" in str(ex.check_information_gain(rev / math.log(2), 7, 3))
    forgot = stats.beta(7, 3)
    fv, _ = integrate.quad(lambda x: forgot.pdf(x) * (forgot.logpdf(x) - prior.logpdf(x)), 0, 1)
    assert "Beta(a + s, b + f)" in str(ex.check_information_gain(fv / math.log(2), 7, 3))
    m = 8 / 12
    coins = (m * math.log2(m / 0.5) + (1 - m) * math.log2((1 - m) / 0.5))
    assert "two coins" in str(ex.check_information_gain(coins, 7, 3))
