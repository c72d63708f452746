"""Tests of klteach/course/nb05_continuous_and_gaussian.py: notebook 05's figures, explorers and exercise checks.

Expected values come from independent formulas written here or in test_feedback.py (or scipy),
never from the checks themselves.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest
import scipy.stats as st
from scipy import stats
from test_feedback import LOG_VAR_Z, MU_Z, _follow, ex05_1, round_sig, textbook

from klteach import exercises, plots, widgets
from klteach import exercises as ex
from klteach.course import nb05_continuous_and_gaussian

matplotlib.use("Agg")


MU_P, SIGMA_P, MU_Q, SIGMA_Q = 2.0, 0.5, 0.0, 1.5     # sigma_q != 1, so sigma_q and sigma_q² differ


VAE_RIGHT = 0.5 * np.sum(np.exp(LOG_VAR_Z) + MU_Z**2 - 1 - LOG_VAR_Z)


X_S = st.norm(0, 1).rvs(size=1000, random_state=np.random.default_rng(5))


LOGP, LOGQ = st.norm(0, 1).logpdf(X_S), st.norm(0.5, 1.2).logpdf(X_S)


LOG_R = LOGQ - LOGP


def test_mc_estimate_named_tuple_is_told_to_use_estimate():
    x = st.norm(0, 1).rvs(size=200, random_state=np.random.default_rng(0))
    logp, logq = st.norm(0, 1).logpdf(x), st.norm(0.5, 1.2).logpdf(x)
    from klteach import mc_kl
    fb = exercises.check_mc_estimate(mc_kl(logp, logq, estimator="k3"), logp, logq)
    assert not fb.correct and ".estimate" in str(fb) and "sequence" not in str(fb)
    fb = exercises.check_mc_estimate(float("nan"), logp, logq)
    assert "0 * log(0)" not in str(fb) and "inf - inf" in str(fb)


def test_gaussian_right_answer_in_nats_and_bits():
    right = textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q)
    fb = exercises.check_gaussian_kl(right, MU_P, SIGMA_P, MU_Q, SIGMA_Q)
    assert fb.correct and "Correct" in fb.message and "nats" in fb.message
    fb = exercises.check_gaussian_kl(right / math.log(2), MU_P, SIGMA_P, MU_Q, SIGMA_Q, base=2)
    assert fb.correct and "bits" in fb.message


@pytest.mark.parametrize("wrong, keywords", [
    (textbook(MU_Q, SIGMA_Q, MU_P, SIGMA_P), ["D(Q||P)", "swapped"]),
    (textbook(MU_P, SIGMA_P**2, MU_Q, SIGMA_Q**2), ["variances", "standard deviation"]),
    (math.log(SIGMA_Q / SIGMA_P) + (SIGMA_P**2 + (MU_P - MU_Q) ** 2) / (2 * SIGMA_Q) - 0.5, ["2 sigma_q where"]),
    (math.log(SIGMA_Q**2 / SIGMA_P**2) + (SIGMA_P**2 + (MU_P - MU_Q) ** 2) / (2 * SIGMA_Q**2) - 0.5,
     ["variance ratio"]),
    (textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q) + 0.5, ["-1/2"]),
    (textbook(MU_P, SIGMA_P, MU_Q, SIGMA_Q) - (MU_P - MU_Q) ** 2 / (2 * SIGMA_Q**2), ["mean term"]),
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
    # no word on variances: a number that matches no mistake did not put variances for standard deviations
    assert not fb.correct and "closed form" in fb.message and "variances" not in fb.message
    assert "log(sigma_q/sigma_p)" not in fb.message         # the step in words, not the formula typed out


def test_vae_right_answer():
    fb = exercises.check_vae_kl(VAE_RIGHT, MU_Z, LOG_VAR_Z)
    assert fb.correct and "Correct" in fb.message
    usual = -0.5 * np.sum(1 + LOG_VAR_Z - MU_Z**2 - np.exp(LOG_VAR_Z))   # the usual VAE code line
    assert exercises.check_vae_kl(usual, MU_Z, LOG_VAR_Z).correct


def test_vae_the_right_value_rounded_then_converted_to_bits_is_named_as_that():
    # round(VAE_RIGHT, 3) / ln 2 got "compare each coordinate's term with the formula", though the formula was right
    text = str(exercises.check_vae_kl(round(VAE_RIGHT, 3) / math.log(2), MU_Z, LOG_VAR_Z))
    assert "in bits: the VAE KL term in nats rounded to" in text and "The question asks for nats" in text, text


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


def test_mc_right_answer():
    right = np.mean(np.expm1(LOG_R) - LOG_R)
    fb = exercises.check_mc_estimate(right, LOGP, LOGQ, estimator="k3")
    assert fb.correct and "k3" in fb.message
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


def test_findings_sigma_square_roots_named_only_when_far_from_the_answer():
    """sqrt of the given sds used as sds: 05 Ex1 gives 1.5493, within 1% of 1.5431, so not named there."""
    truth, rooted = textbook(2.0, 0.5, 0.0, 1.5), textbook(2.0, math.sqrt(0.5), 0.0, math.sqrt(1.5))
    assert abs(rooted - truth) < 0.01 * truth
    assert "square roots" not in str(ex05_1(rooted))
    truth, rooted = textbook(0.0, 1.0, 1.0, 4.0), textbook(0.0, 1.0, 1.0, 2.0)
    assert abs(rooted - truth) > 0.01 * truth
    text = str(ex.check_gaussian_kl(rooted, 0.0, 1.0, 1.0, 4.0))
    assert text.startswith("Not quite") and "square roots" in text, text


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.slow
def test_lines_of_different_series_differ_in_style_or_marker():
    ax = plots.density_pair(stats.norm(0, 1), stats.norm(1, 2))
    assert len({line.get_linestyle() for line in ax.get_lines()}) == 2
    ax = plots.estimates_vs_n([10, 100], {"a": np.ones((2, 3)), "b": np.zeros((2, 3)), "c": np.ones((2, 3))}, 1.0)
    markers = [c.lines[0].get_marker() for c in ax.containers]     # one error-bar series per estimator
    assert len(markers) == len(set(markers)) == 3
    ax = plots.kl_vs_bins([2, 5], np.ones((2, 3)), binned=[0.5, 0.8], single=[1.0, 1.1])
    assert len({line.get_marker() for line in ax.get_lines()}) == 3


@pytest.mark.slow
def test_show_gaussians_integrands_differ_in_line_and_hatch(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda: None)
    widgets.show_gaussians(0, 1, 1, 2)
    right = plt.gcf().axes[1]
    styles = {line.get_linestyle() for line in right.get_lines() if line.get_color() != "black"}
    assert len(styles) == 2
    assert {c.get_hatch() or "" for c in right.collections} == {"", plots.Q_HATCH}


def test_gaussian_explorer_prints_its_settings_as_text(monkeypatch, capsys):
    """A reader who cannot see the figure reads the two normals in the printed text."""
    monkeypatch.setattr(nb05_continuous_and_gaussian, "show_gaussians", lambda *a, **kw: None)
    box = widgets.gaussian_explorer(mu_p=0.0, sigma_p=1.0, mu_q=1.0, sigma_q=2.0)
    box.children[1].children[1].value = 1.5     # the second row: mean and sd of Q
    assert "P = N(0.00, 1.00²)   Q = N(1.00, 1.50²)" in capsys.readouterr().out


def test_a_bits_answer_is_told_a_route_that_gives_it():
    right = textbook(2.0, 0.5, 0.0, 1.5)                              # Exercise 1: 1.5431 nats
    in_bits = right / math.log(2)                                     # 2.2262: the whole closed form in bits
    log2_term_only = (math.log2(1.5 / 0.5) + (0.5**2 + 2.0**2) / (2 * 1.5**2) - 0.5)   # 2.0290: np.log2 in the formula
    assert abs(log2_term_only - in_bits) > 0.05 * in_bits
    text = str(ex05_1(in_bits))
    assert text.startswith("Not quite") and "whole closed form divided by `np.log(2)`" in text, text
    assert "computed with np.log2" not in text and "use np.log throughout" not in text, text
    assert ex05_1(_follow(text, in_bits)).correct                     # the advice, followed
    assert ex05_1(_follow(text, round_sig(in_bits, 4))).correct       # on the 4 figures shown, too


def test_sigma_unsquared_throughout_is_named():
    unsquared = math.log(1.5 / 0.5) + (0.5 + 2.0**2) / (2 * 1.5) - 0.5     # 2.0986 nats
    variances = textbook(2.0, 0.5**2, 0.0, 1.5**2)                          # 2.0984: variances for sds
    assert abs(unsquared - variances) < 0.01 * unsquared
    text = str(ex05_1(unsquared))
    assert text.startswith("Not quite") and "unsquared throughout" in text, text
    # 2.10, read as 2.1, is both rounded to the 3 figures asked: both named, and the unrounded number asked for
    text = str(ex05_1(2.1))
    assert "unsquared throughout" in text and "variances in place of standard deviations" in text, text
    assert "rounded to 3 significant figures" in text and "unrounded number your code computed" in text, text


def _ex05_3(a):
    x = st.norm(0, 1).rvs(size=1000, random_state=np.random.default_rng(5))
    logp, logq = st.norm(0, 1).logpdf(x), st.norm(0.5, 1.2).logpdf(x)
    return ex.check_mc_estimate(a, logp, logq, estimator="k3", exact=textbook(0, 1, 0.5, 1.2),
                                variables=("logp_s", "logq_s")), logp, logq


def test_r_minus_log_r_without_the_minus_one_is_named():
    _, logp, logq = _ex05_3(0.0)
    r = np.exp(logq - logp)
    k3 = float(np.mean((r - 1) - np.log(r)))
    wrong = float(np.mean(r - np.log(r)))                              # 1.1097
    text = str(_ex05_3(wrong)[0])
    assert text.startswith("Not quite") and "r - log r, without the - 1" in text, text
    assert _ex05_3(wrong - 1)[0].correct and _ex05_3(k3)[0].correct    # the advice, followed


def test_equal_variances_read_no_double_conversion():
    right = (1.0 + 0.7) ** 2 / (2 * 1.4**2)                            # Exercise 5: 0.7372 nats
    ex5 = lambda a: ex.check_gaussian_kl(a, 1.0, 1.4, -0.7, 1.4, variables=("mu_1", "sigma", "mu_2", "sigma"))
    text = str(ex5(1.5))
    assert "converted the wrong way" not in text and "without the 2 of 2 sigma²" in text, text
    wrong_way = (right / math.log(2)) ** 2 / right                     # 1.5345: bits divided by ln 2 again
    assert "converted the wrong way" not in str(ex5(wrong_way))
    assert ex5(right).correct


def _vae_ex(a):
    return exercises.check_vae_kl(a, MU_Z, LOG_VAR_Z, variables=("mu_z", "log_var_z"))


def test_13h_2_log_var_used_as_the_variance_names_the_log_of_a_negative_number():
    with np.errstate(invalid="ignore"):
        submission = 0.5 * np.sum(LOG_VAR_Z + MU_Z**2 - 1 - np.log(LOG_VAR_Z))
    assert np.isnan(submission) and np.any(LOG_VAR_Z < 0)
    text = str(_vae_ex(submission))
    assert "np.log(log_var_z)" in text and "negative" in text, text
    assert "takes no logarithm" not in text and "inf - inf" not in text and "overflowed" not in text, text


@pytest.mark.parametrize("submission", [
    0.5 * float(np.sum(np.exp(LOG_VAR_Z) + MU_Z**2 - 1 + LOG_VAR_Z)),      # + log_var
    0.5 * float(np.sum(np.exp(LOG_VAR_Z) + MU_Z**2 - LOG_VAR_Z)),          # no - 1
    0.5 * float(np.sum(np.exp(LOG_VAR_Z) - 1 - LOG_VAR_Z)),                # no mu²
    -0.5 * float(np.sum(np.exp(LOG_VAR_Z) + MU_Z**2 - 1 - LOG_VAR_Z)),     # minus the KL
    1.6, -3.0,                                                             # nothing known
])
def test_13h_6_vae_messages_point_to_the_step_not_the_finished_formula(submission):
    text = str(_vae_ex(submission))
    assert not text.startswith("Correct"), text
    assert "1/2 sum_j" not in text and "exp(log_var_z_j) + mu_z_j² - 1 - log_var_z_j" not in text, text
    assert "sum(1 + log_var_z" not in text, text


def test_05_ex1_hint_and_swap_message_do_not_type_out_the_closed_form():
    # 05 ex 1: exercises.check_gaussian_kl(answer, 2.0, 0.5, 0.0, 1.5) asks for D(P||Q) "from the closed form";
    # its generic hint and its swapped-arguments message printed that closed form whole
    mu_p, s_p, mu_q, s_q = 2.0, 0.5, 0.0, 1.5
    swapped = math.log(s_p / s_q) + (s_q**2 + (mu_q - mu_p) ** 2) / (2 * s_p**2) - 0.5
    for answer in (9.9, swapped, -1.0):
        text = str(ex.check_gaussian_kl(answer, mu_p, s_p, mu_q, s_q))
        assert not text.startswith("Correct") and "log(sigma_q/sigma_p)" not in text and "- 1/2" not in text, text
    assert "the arguments are swapped" in str(ex.check_gaussian_kl(swapped, mu_p, s_p, mu_q, s_q))
