"""Tests of notebook 05's exercise checks: right answers pass, each known mistake is named."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as st

from klteach import exercises

# Exercise 1: P = N(2, 0.5^2), Q = N(0, 1).
MU_P, SIGMA_P, MU_Q, SIGMA_Q = 2.0, 0.5, 0.0, 1.0


def textbook(mu_p, s_p, mu_q, s_q):
    return math.log(s_q / s_p) + (s_p**2 + (mu_p - mu_q) ** 2) / (2 * s_q**2) - 0.5


def test_gaussian_right_answer_in_nats_and_bits():
    right = textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q)      # the notebook's solution
    fb = exercises.check_gaussian_kl(right, MU_P, SIGMA_P, MU_Q, SIGMA_Q)
    assert fb.correct and "Correct" in fb.message and "nats" in fb.message
    fb = exercises.check_gaussian_kl(right / math.log(2), MU_P, SIGMA_P, MU_Q, SIGMA_Q, base=2)
    assert fb.correct and "bits" in fb.message


@pytest.mark.parametrize("wrong, keywords", [
    (textbook(MU_Q, SIGMA_Q, MU_P, SIGMA_P), ["D(Q||P)", "swapped"]),
    (textbook(MU_P, SIGMA_P**2, MU_Q, SIGMA_Q**2), ["variances", "standard deviation"]),
    (textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q) + 0.5, ["-1/2"]),
    (textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q) - (MU_P - MU_Q) ** 2 / 2, ["mean term"]),
    (textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q) / math.log(2), ["bits", "asks for nats"]),
])
def test_gaussian_mistakes_are_named(wrong, keywords):
    fb = exercises.check_gaussian_kl(wrong, MU_P, SIGMA_P, MU_Q, SIGMA_Q)
    assert not fb.correct
    for word in keywords:
        assert word in fb.message, fb.message
    assert f"{textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q):.4f}" not in fb.message   # no reveal


def test_gaussian_unanswered_and_unknown():
    assert "No answer yet" in str(exercises.check_gaussian_kl(..., 0, 1, 1, 2))
    fb = exercises.check_gaussian_kl(123.0, 0, 1, 1, 2)
    assert not fb.correct and "log(sigma_q/sigma_p)" in fb.message


# Exercise 2: the VAE term.
MU_Z = np.array([0.3, -1.2, 0.0, 0.8])
LOG_VAR_Z = np.array([-0.4, 0.2, -1.5, 0.0])
VAE_RIGHT = 0.5 * np.sum(np.exp(LOG_VAR_Z) + MU_Z**2 - 1 - LOG_VAR_Z)   # the notebook's solution


def test_vae_right_answer():
    fb = exercises.check_vae_kl(VAE_RIGHT, MU_Z, LOG_VAR_Z)
    assert fb.correct and "Correct" in fb.message
    # The usual VAE code line gives the same number.
    usual = -0.5 * np.sum(1 + LOG_VAR_Z - MU_Z**2 - np.exp(LOG_VAR_Z))
    assert exercises.check_vae_kl(usual, MU_Z, LOG_VAR_Z).correct


@pytest.mark.parametrize("wrong, keywords", [
    (0.5 * np.sum(np.exp(2 * LOG_VAR_Z) + MU_Z**2 - 1 - 2 * LOG_VAR_Z), ["log(sigma)", "exp(log_var)"]),
    (2 * VAE_RIGHT, ["factor 1/2"]),
    (VAE_RIGHT / 4, ["mean over latent coordinates", "sum"]),
    (-VAE_RIGHT, ["minus"]),
    (0.5 * np.sum(np.exp(-LOG_VAR_Z) * (1 + MU_Z**2) - 1 + LOG_VAR_Z), ["reverse direction"]),
])
def test_vae_mistakes_are_named(wrong, keywords):
    fb = exercises.check_vae_kl(wrong, MU_Z, LOG_VAR_Z)
    assert not fb.correct
    for word in keywords:
        assert word in fb.message, fb.message


# Exercise 3: k3 from log densities at samples of P.
X_S = st.norm(0, 1).rvs(size=1000, random_state=np.random.default_rng(5))
LOGP, LOGQ = st.norm(0, 1).logpdf(X_S), st.norm(0.5, 1.2).logpdf(X_S)
LOG_R = LOGQ - LOGP


def test_mc_right_answer():
    right = np.mean(np.expm1(LOG_R) - LOG_R)       # the notebook's solution
    fb = exercises.check_mc_estimate(right, LOGP, LOGQ, estimator="k3")
    assert fb.correct and "k3" in fb.message
    # A plain (r - 1) - log r is within rounding of it, and also accepted.
    assert exercises.check_mc_estimate(np.mean(np.exp(LOG_R) - 1 - LOG_R), LOGP, LOGQ).correct


@pytest.mark.parametrize("wrong, keywords", [
    (np.mean(-LOG_R), ["k1 = -log r"]),
    (np.mean(LOG_R**2 / 2), ["k2"]),
    (np.mean(np.expm1(-LOG_R) + LOG_R), ["upside down"]),
    (np.sum(np.expm1(LOG_R) - LOG_R), ["sum over samples", "mean"]),
])
def test_mc_mistakes_are_named(wrong, keywords):
    fb = exercises.check_mc_estimate(wrong, LOGP, LOGQ, estimator="k3")
    assert not fb.correct
    for word in keywords:
        assert word in fb.message, fb.message


def test_mc_check_for_other_estimators():
    assert exercises.check_mc_estimate(np.mean(-LOG_R), LOGP, LOGQ, estimator="k1").correct
    fb = exercises.check_mc_estimate(np.mean(np.expm1(LOG_R) - LOG_R), LOGP, LOGQ, estimator="k1")
    assert not fb.correct and "k3" in fb.message

