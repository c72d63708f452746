"""Tests of klteach/course/nb07_machine_learning.py: notebook 07's figures, explorers and exercise checks.

Expected values come from independent formulas written here or in test_feedback.py (or scipy),
never from the checks themselves.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import betaln, digamma
from test_feedback import STUDENT, TEACHER, _follow, ex05_1

from klteach import exercises as ex
from klteach import plots, widgets
from klteach.course import nb07_machine_learning

matplotlib.use("Agg")


# The distillation loss is asked in nats only; its bits and base-10 versions must convert back.
TEACH = np.array([[4.0, 1.0, -1.0, 0.5], [0.2, 2.5, 0.0, -1.0]])


STUD = np.array([[2.5, 2.0, 0.5, -0.5], [1.0, 1.5, -0.5, 0.5]])


def softened(z, t):
    e = np.exp(z / t)
    return e / e.sum(axis=-1, keepdims=True)


def by_hand_distillation(teacher, student, t):
    p, q = softened(teacher, t), softened(student, t)
    return t**2 * np.mean(np.sum(p * np.log(p / q), axis=-1))


def test_distillation_unit_advice_followed_is_accepted():
    with ex.recording() as calls:
        ex.check_distillation_loss(..., TEACH, STUD, temperature=2.0)
    followed = 0
    for wrong, _ in calls[0]["mistakes"]:
        fb = ex.check_distillation_loss(wrong, TEACH, STUD, temperature=2.0)
        fixed = _follow(fb.message, wrong)
        if fixed is not None:
            assert ex.check_distillation_loss(fixed, TEACH, STUD, temperature=2.0).correct, fb.message
            followed += 1
    assert followed == 2


def test_distillation_check():
    t = 2.0
    right = by_hand_distillation(TEACHER, STUDENT, t)
    assert ex.check_distillation_loss(right, TEACHER, STUDENT, temperature=t)
    cases = {
        right / t**2: "without the factor T²",
        right / t: "T x the KL",
        by_hand_distillation(STUDENT, TEACHER, t): "arguments are swapped",
        right / math.log(2): "in bits",
        right * 2: "sum over the batch",
        by_hand_distillation(TEACHER, STUDENT, 1.0) * t**2: "without the temperature",
    }
    for value, phrase in cases.items():
        feedback = ex.check_distillation_loss(value, TEACHER, STUDENT, temperature=t)
        assert not feedback and phrase in str(feedback), (phrase, str(feedback))
    p, q = softened(TEACHER, t), softened(STUDENT, t)
    per_example = t**2 * np.sum(p * np.log(p / q), axis=-1)
    assert "np.mean" in str(ex.check_distillation_loss(per_example, TEACHER, STUDENT, temperature=t))


def test_torch_kl_div_check_reproduces_the_documented_reductions():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    q = np.array([[0.5, 0.3, 0.2], [0.3, 0.3, 0.4]])
    pointwise = p * (np.log(p) - np.log(q))
    kls = pointwise.sum(axis=1)
    assert ex.check_torch_kl_div(kls.mean(), np.log(q), p, reduction="batchmean")
    assert ex.check_torch_kl_div(pointwise.mean(), np.log(q), p, reduction="mean")
    assert ex.check_torch_kl_div(kls.sum(), np.log(q), p, reduction="sum")
    assert "'mean', which divides the sum by the number of elements" in str(
        ex.check_torch_kl_div(pointwise.mean(), np.log(q), p, reduction="batchmean"))
    # asked for 'mean' (the default), answered 'sum': the message explains 'mean', not 'batchmean'
    fb = str(ex.check_torch_kl_div(kls.sum(), np.log(q), p, reduction="mean"))
    assert "reduction='sum'" in fb and "which divides the sum by the number of elements" in fb
    assert "asks for reduction='mean'" in fb
    reverse = np.sum(q * np.log(q / p)) / 2
    assert "D(Q||P)" in str(ex.check_torch_kl_div(reverse, np.log(q), p, reduction="batchmean"))
    wrong_input = np.sum(p * (np.log(p) - q)) / 2
    assert "expects log-probabilities" in str(ex.check_torch_kl_div(wrong_input, np.log(q), p))
    assert ex.check_torch_kl_div(pointwise[0].sum() / 3, np.log(q[0]), p[0], reduction="batchmean")
    with pytest.raises(ValueError, match="same shape"):
        ex.check_torch_kl_div(0.1, np.log(q), p[0])
    with pytest.raises(ValueError, match="reduction must be"):
        ex.check_torch_kl_div(0.1, np.log(q), p, reduction="none")


@pytest.mark.slow
def test_information_gain_check_against_quadrature():
    post, prior = stats.beta(1 + 7, 1 + 3), stats.beta(1, 1)
    nats, _ = integrate.quad(lambda x: post.pdf(x) * (post.logpdf(x) - prior.logpdf(x)), 0, 1)
    assert ex.check_information_gain(nats / math.log(2), 7, 3)
    assert "in nats" in str(ex.check_information_gain(nats, 7, 3))
    rev, _ = integrate.quad(lambda x: prior.pdf(x) * (prior.logpdf(x) - post.logpdf(x)), 0, 1)
    assert "reverse direction" in str(ex.check_information_gain(rev / math.log(2), 7, 3))
    forgot = stats.beta(7, 3)
    fv, _ = integrate.quad(lambda x: forgot.pdf(x) * (forgot.logpdf(x) - prior.logpdf(x)), 0, 1)
    assert "Beta(1 + heads, 1 + tails)" in str(ex.check_information_gain(fv / math.log(2), 7, 3))
    m = 8 / 12
    coins = (m * math.log2(m / 0.5) + (1 - m) * math.log2((1 - m) / 0.5))
    assert "two coins" in str(ex.check_information_gain(coins, 7, 3))
    assert "beta_kl" not in str(ex.check_information_gain(0.01, 7, 3))   # the hint points at the closed form


@pytest.mark.parametrize("submission, check", [
    (1.52, lambda a: ex05_1(a)),                                    # 1.5% below 1.5431
    (1.26, lambda a: ex.check_information_gain(a, 10, 2)),          # 1% below 1.2734
])
def test_a_miss_explained_only_by_a_two_figure_rounding_also_says_check_each_step(submission, check):
    # a 2-figure intermediate can produce it, but so can a wrong step: the learner who rounded nothing
    # must not be left redoing a rounding they never did
    text = str(check(submission))
    assert text.startswith("Almost") and "intermediate result" in text, text
    assert "If your code rounded nothing on the way" in text and "check each step" in text, text


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_estimate_spread_draws_one_hatched_box_per_estimator_and_the_exact_line():
    ax = plots.estimate_spread({"k1": [0.1, 0.3, 0.2], "k3": [0.18, 0.22, 0.2]}, 0.2, title="t")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["k1", "k3"]
    boxes = [p for p in ax.patches]
    assert len(boxes) == 2 and boxes[0].get_hatch() != boxes[1].get_hatch()
    assert any(line.get_ydata()[0] == 0.2 and line.get_linestyle() == ":" for line in ax.lines)
    assert "nats" in ax.get_ylabel() and ax.get_title() == "t"


def test_show_policy_kl_exact_value_is_the_sum_over_the_vocabulary(capsys):
    result = widgets.show_policy_kl(1.0, n_tokens=32, n_repeats=50, seed=1)
    policy, reference = widgets.policy_logits(1.0)
    p = np.exp(policy - policy.max()) / np.exp(policy - policy.max()).sum()
    q = np.exp(reference - reference.max()) / np.exp(reference - reference.max()).sum()
    assert result["exact"] == pytest.approx(np.sum(p * np.log(p / q)), rel=1e-12)
    assert all(len(result[k]) == 50 for k in ("k1", "k2", "k3"))
    assert np.all(result["k3"] >= 0)
    assert f"exact D(policy||reference) = {result['exact']:.4f} nats" in capsys.readouterr().out
    assert widgets.policy_logits(0.0)[0] == pytest.approx(widgets.policy_logits(0.0)[1])


def test_show_policy_kl_reproduces_the_notebooks_estimates_from_the_same_tokens(capsys):
    """The explorer's starting picture is notebook 07's: tokens drawn as one (repeats, tokens) array, log r formulas."""
    result = widgets.show_policy_kl(1.0, n_tokens=16, n_repeats=30, seed=4)
    policy, reference = widgets.policy_logits(1.0)
    p = np.exp(policy - policy.max()) / np.exp(policy - policy.max()).sum()
    q = np.exp(reference - reference.max()) / np.exp(reference - reference.max()).sum()
    x = np.random.default_rng(4).choice(p.size, size=(30, 16), p=p)
    log_r = np.log(q[x] / p[x])
    np.testing.assert_allclose(result["k1"], np.mean(-log_r, axis=1), atol=1e-12)
    np.testing.assert_allclose(result["k2"], np.mean(0.5 * log_r**2, axis=1), atol=1e-12)
    np.testing.assert_allclose(result["k3"], np.mean(np.exp(log_r) - 1 - log_r, axis=1), atol=1e-12)
    share = p[p < q].sum()                                 # probability that a sampled token has k1 < 0
    assert f"k1 < 0 at a sampled token with probability {share:.0%}" in capsys.readouterr().out


def test_policy_kl_estimates_draws_the_probabilities_and_the_spread():
    left, right = plots.policy_kl_estimates([0.6, 0.3, 0.1], [0.2, 0.5, 0.3],
                                            {"k1": [0.3, 0.5], "k2": [0.4, 0.45], "k3": [0.42, 0.44]}, 0.43,
                                            n_tokens=8, title="left")
    assert left.get_xlabel() == "token id" and left.get_title() == "left"
    heights = sorted(round(b.get_height(), 6) for b in left.patches)
    assert heights == sorted([0.6, 0.3, 0.1, 0.2, 0.5, 0.3])
    assert [t.get_text() for t in right.get_xticklabels()] == ["k1", "k2", "k3"]
    assert right.get_title() == "Estimates from 8 sampled tokens, 2 repetitions"
    assert "nats" in right.get_ylabel()


def test_policy_kl_explorer_redraws_when_the_slider_moves(monkeypatch):
    calls = []
    monkeypatch.setattr(nb07_machine_learning, "show_policy_kl", lambda d, **kw: calls.append(d))
    box = widgets.policy_kl_explorer(drift=1.0)
    (slider,) = box.children[0].children   # the one row of controls
    slider.value = 2.0
    assert calls[-1] == pytest.approx(2.0)


def _gain_nats():
    """07 Ex3's gain D(Beta(11, 3) || Beta(1, 1)) in nats, from the Beta KL closed form written here."""
    a1, b1, a2, b2 = 11, 3, 1, 1
    return float(betaln(a2, b2) - betaln(a1, b1) + (a1 - a2) * digamma(a1) + (b1 - b2) * digamma(b1)
                 + (a2 - a1 + b2 - b1) * digamma(a1 + b1))


def test_the_hint_does_not_give_the_sum_away():
    nats = _gain_nats()                                                  # 0.8827 nats
    for given in (2.0, 1.5, 0.5):
        text = str(ex.check_information_gain(given, 10, 2))
        assert not ex.check_information_gain(given, 10, 2).correct
        assert "nearly cancel" in text, text
        for shown in (f"{nats:.3g}", f"{nats:.4g}", f"{nats:.2g}"):
            assert shown not in text, text


def test_a_gain_in_nats_is_told_to_divide_by_ln_2():
    nats = _gain_nats()
    for given in (nats, round(nats, 4)):
        text = str(ex.check_information_gain(given, 10, 2))
        assert text.startswith("Not quite") and "nats" in text and "np.log2" not in text, text
        assert ex.check_information_gain(_follow(text, given), 10, 2).correct       # followed literally


def test_a_two_figure_loss_is_not_read_as_a_double_conversion():
    text = str(ex.check_distillation_loss(1.3, TEACHER, STUDENT, temperature=3.0))
    assert "converted the wrong way" not in text and "sum over the batch" in text, text
