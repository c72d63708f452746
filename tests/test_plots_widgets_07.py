"""Notebook 07's figure and explorer: the exact value is the vocabulary sum, the explorer redraws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from klteach import plots, widgets  # noqa: E402


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
    monkeypatch.setattr(widgets, "show_policy_kl", lambda d, **kw: calls.append(d))
    box = widgets.policy_kl_explorer(drift=1.0)
    (slider,) = box.children[0].children   # the one row of controls
    slider.value = 2.0
    assert calls[-1] == pytest.approx(2.0)
