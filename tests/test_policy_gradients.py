"""What each per-token KL estimator's gradient optimises, and the chain rule over positions (notebook 07, section 3).

Sampling x from the current policy pi = softmax(theta) and differentiating the
estimator with the sample held fixed, the expected gradient of

* k1 = -log r is 0 (the score-function identity),
* k2 = (log r)^2 / 2 is the gradient of the reverse KL D(pi || pi_ref),
* k3 = (r - 1) - log r is the gradient of the forward KL D(pi_ref || pi),

with r = pi_ref(x) / pi(x). In the reward instead (not differentiated, weighting
the score grad log pi), an estimator k contributes E[k grad log pi] =
grad E[k] - E[grad k]: the reverse KL's gradient for k1, but not for k3,
although k3's value is just as unbiased. Over a sequence the per-token facts
hold at a fixed prefix only: summed per-token losses miss how theta changes
the prefixes, while k1 of the whole text in the reward does not. The estimators are klteach's own (``per_token_kl``
at one token, differentiated by central differences); the reference
gradients are mpmath finite differences of the two KLs at 40 digits.
"""

from __future__ import annotations

import itertools

import mpmath as mp
import numpy as np
import pytest

import klteach as kt
from klteach import widgets

SEEDS = [0, 1, 2]
K = 6                       # vocabulary size


def _logits(seed):
    rng = np.random.default_rng(seed)
    return 1.5 * rng.normal(size=K), 1.5 * rng.normal(size=K)   # policy, reference


def _mp_softmax(z):
    e = [mp.exp(v if isinstance(v, mp.mpf) else mp.mpf(float(v))) for v in z]   # keep mpf steps exact
    s = mp.fsum(e)
    return [v / s for v in e]


def _mp_kl(p, q):
    return mp.fsum(a * mp.log(a / b) for a, b in zip(p, q))


def _mp_gradient(f, theta):
    """Central differences at 40 significant digits, step 1e-15: error far below float64."""
    with mp.workdps(40):
        h = mp.mpf("1e-15")
        theta = [mp.mpf(float(v)) for v in theta]
        out = []
        for j in range(len(theta)):
            up, down = list(theta), list(theta)
            up[j] += h
            down[j] -= h
            out.append(float((f(up) - f(down)) / (2 * h)))
    return np.array(out)


def _reverse_kl_gradient(theta, theta_ref):
    return _mp_gradient(lambda t: _mp_kl(_mp_softmax(t), _mp_softmax(theta_ref)), theta)


def _forward_kl_gradient(theta, theta_ref):
    return _mp_gradient(lambda t: _mp_kl(_mp_softmax(theta_ref), _mp_softmax(t)), theta)


def _expected_estimator_gradient(theta, theta_ref, estimator, h=1e-5):
    """sum_x pi(x) * d/dtheta k(x), with x held fixed; k(x) from klteach.per_token_kl at that one token."""
    pi = np.exp(theta - theta.max()) / np.exp(theta - theta.max()).sum()

    def k_at(t, x):
        return kt.per_token_kl(t, theta_ref, [x, x], estimator=estimator).estimate   # mean of two copies = k(x)

    total = np.zeros(K)
    for x in range(K):
        grad = np.array([(k_at(theta + h * e, x) - k_at(theta - h * e, x)) / (2 * h) for e in np.eye(K)])
        total += pi[x] * grad
    return total


@pytest.mark.parametrize("seed", SEEDS)
def test_k1_as_a_loss_has_zero_expected_gradient(seed):
    theta, theta_ref = _logits(seed)
    assert np.max(np.abs(_expected_estimator_gradient(theta, theta_ref, "k1"))) < 1e-8


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("estimator, same, other", [
    ("k2", "reverse", "forward"),    # k2 as a loss: the gradient of D(pi||pi_ref)
    ("k3", "forward", "reverse"),    # k3 as a loss: the gradient of D(pi_ref||pi), not the reverse
])
def test_k2_and_k3_as_losses_have_the_gradient_of_one_kl_direction(seed, estimator, same, other):
    theta, theta_ref = _logits(seed)
    gradient = {"reverse": _reverse_kl_gradient, "forward": _forward_kl_gradient}
    expected = _expected_estimator_gradient(theta, theta_ref, estimator)
    np.testing.assert_allclose(expected, gradient[same](theta, theta_ref), atol=1e-8)
    # the two directions' gradients really differ here, so the check above can tell them apart
    assert np.max(np.abs(expected - gradient[other](theta, theta_ref))) > 1e-3


@pytest.mark.parametrize("seed", SEEDS)
def test_k1_as_a_reward_gives_the_reverse_kl_gradient_by_the_score_function(seed):
    """E_pi[k1(x) grad log pi(x)]: k1's value weights the score, it is not differentiated (PPO-style)."""
    theta, theta_ref = _logits(seed)
    pi = _mp_softmax(theta)
    total = np.zeros(K)
    for x in range(K):
        score = _mp_gradient(lambda t, x=x: mp.log(_mp_softmax(t)[x]), theta)
        k1 = kt.per_token_kl(theta, theta_ref, [x, x], estimator="k1").estimate
        total += float(pi[x]) * k1 * score
    np.testing.assert_allclose(total, _reverse_kl_gradient(theta, theta_ref), atol=1e-8)


def test_per_position_kls_at_the_same_prefix_add_up_to_the_sequence_kl():
    """Chain rule: D over whole sequences = sum over t of E_{prefix ~ pi} D(pi(.|prefix) || ref(.|prefix))."""
    rng = np.random.default_rng(5)
    v, length = 3, 3
    # logits of each position given the previous token (position 1 given a start token)
    pol, ref = rng.normal(size=(length, v, v)), rng.normal(size=(length, v, v))

    def next_probs(z):
        return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)

    with mp.workdps(30):
        whole = mp.mpf(0)
        for seq in itertools.product(range(v), repeat=length):
            lp = lr = mp.mpf(0)
            prev = 0
            for t, x in enumerate(seq):
                lp += mp.log(_mp_softmax(pol[t, prev])[x])
                lr += mp.log(_mp_softmax(ref[t, prev])[x])
                prev = x
            whole += mp.exp(lp) * (lp - lr)
    # per position with klteach: the distribution of the previous token under the policy, times the KL per prefix
    prev_dist = np.eye(v)[0]
    per_position = 0.0
    for t in range(length):
        per_position += prev_dist @ kt.kl_divergence(next_probs(pol[t]), next_probs(ref[t]))
        prev_dist = prev_dist @ next_probs(pol[t])
    assert per_position == pytest.approx(float(whole), rel=1e-12)


def test_k1_summed_over_a_text_as_its_reward_gives_the_gradient_of_the_sequence_kl():
    """Score function on whole texts: E[log(pi(text)/ref(text)) grad log pi(text)] = grad D over sequences."""
    rng = np.random.default_rng(9)
    v = 3
    # first-token logits, then a row per prefix
    theta = np.concatenate([rng.normal(size=v), rng.normal(size=v * v)])
    ref_first, ref_second = rng.normal(size=v), rng.normal(size=(v, v))

    def log_probs(t, first, second):
        """log P(a, b) for the v*v texts (a, b): first token a, then b given a."""
        lf = [mp.log(p) for p in _mp_softmax(first)]
        return {(a, b): lf[a] + mp.log(_mp_softmax(second[a])[b]) for a in range(v) for b in range(v)}

    def policy_log_probs(t):
        return log_probs(t, t[:v], [t[v + a * v: v + (a + 1) * v] for a in range(v)])

    with mp.workdps(40):
        ref = log_probs(None, ref_first, ref_second)

        def sequence_kl(t):
            lp = policy_log_probs(t)
            return mp.fsum(mp.exp(lp[s]) * (lp[s] - ref[s]) for s in lp)

        target = _mp_gradient(sequence_kl, theta)
        lp = policy_log_probs([mp.mpf(float(x)) for x in theta])
        total = np.zeros(theta.size)
        for s in lp:
            score = _mp_gradient(lambda t, s=s: policy_log_probs(t)[s], theta)
            total += float(mp.exp(lp[s]) * (lp[s] - ref[s])) * score   # k1 of the text = sum of its per-token k1
    np.testing.assert_allclose(total, target, atol=1e-8)
    assert np.max(np.abs(target)) > 1e-2


def _mp_expected_reward_gradient(theta, theta_ref, estimator):
    """E_pi[k(x) grad log pi(x)] by enumeration: k(x) from klteach at that token, grad log pi from mpmath."""
    pi = _mp_softmax(theta)
    total = np.zeros(theta.size)
    for x in range(theta.size):
        score = _mp_gradient(lambda t, x=x: mp.log(_mp_softmax(t)[x]), theta)
        k = kt.per_token_kl(theta, theta_ref, [x, x], estimator=estimator).estimate   # mean of two copies = k(x)
        total += float(pi[x]) * k * score
    return total


REWARD_CASES = [_logits(seed) for seed in SEEDS] + [widgets.policy_logits(drift=1.0)]   # last: notebook 07's policy


@pytest.mark.parametrize("case", range(len(REWARD_CASES)))
def test_an_unbiased_value_is_not_enough_in_the_reward(case):
    """k3 in the reward gives grad D(pi||ref) - grad D(ref||pi); k2 misses grad D(pi||ref) too; k1 hits it."""
    theta, theta_ref = REWARD_CASES[case]
    reverse, forward = _reverse_kl_gradient(theta, theta_ref), _forward_kl_gradient(theta, theta_ref)
    k3 = _mp_expected_reward_gradient(theta, theta_ref, "k3")
    np.testing.assert_allclose(k3, reverse - forward, atol=1e-8)
    scale = np.max(np.abs(reverse))
    # the miss is of the size of the gradient itself, not a rounding effect
    assert np.max(np.abs(k3 - reverse)) > 0.3 * scale
    assert np.max(np.abs(_mp_expected_reward_gradient(theta, theta_ref, "k2") - reverse)) > 0.3 * scale
    np.testing.assert_allclose(_mp_expected_reward_gradient(theta, theta_ref, "k1"), reverse, atol=1e-8)


def _two_position_example(seed):
    """Policy logits theta (3 at position 1, then a row of 3 per first token) and the reference's, as in notebook 07."""
    rng = np.random.default_rng(seed)
    first, first_ref = rng.normal(size=3), rng.normal(size=3)
    second, second_ref = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    return np.concatenate([first, second.ravel()]), np.concatenate([first_ref, second_ref.ravel()])


def _rows(t, a):
    """The logits at the two positions of a text starting with token a."""
    return np.stack([t[:3], t[3 + 3 * a: 6 + 3 * a]])


def _mp_sequence_log_probs(t):
    """log P(a, b) for the 9 two-token texts, in mpmath."""
    first = _mp_softmax(t[:3])
    return {(a, b): mp.log(first[a]) + mp.log(_mp_softmax(t[3 + 3 * a: 6 + 3 * a])[b])
            for a in range(3) for b in range(3)}


@pytest.mark.parametrize("seed", [3, 4, 5])      # 3: the notebook's example
def test_summed_per_token_losses_miss_the_prefix_route_of_the_sequence_kl(seed):
    theta, theta_ref = _two_position_example(seed)
    with mp.workdps(40):
        ref = _mp_sequence_log_probs([mp.mpf(float(v)) for v in theta_ref])

        def reverse_kl(t):
            lp = _mp_sequence_log_probs(t)
            return mp.fsum(mp.exp(lp[s]) * (lp[s] - ref[s]) for s in lp)

        def forward_kl(t):
            lp = _mp_sequence_log_probs(t)
            return mp.fsum(mp.exp(ref[s]) * (ref[s] - lp[s]) for s in lp)

        reverse, forward = _mp_gradient(reverse_kl, theta), _mp_gradient(forward_kl, theta)
        weights = {s: float(mp.exp(v)) for s, v in _mp_sequence_log_probs([mp.mpf(float(v)) for v in theta]).items()}
        # the per-position KLs with the prefix weights pi(a) frozen at the current policy (the notebook's route)
        frozen = _mp_softmax(theta[:3])
        ref_rows = [_mp_softmax(theta_ref[:3])] + [_mp_softmax(theta_ref[3 + 3 * a: 6 + 3 * a]) for a in range(3)]

        def frozen_kls(t, swap):
            rows = [_mp_softmax(t[:3])] + [_mp_softmax(t[3 + 3 * a: 6 + 3 * a]) for a in range(3)]
            kl = (lambda p, q: _mp_kl(q, p)) if swap else _mp_kl
            return kl(rows[0], ref_rows[0]) + mp.fsum(frozen[a] * kl(rows[1 + a], ref_rows[1 + a]) for a in range(3))

        frozen_reverse = _mp_gradient(lambda t: frozen_kls(t, False), theta)
        frozen_forward = _mp_gradient(lambda t: frozen_kls(t, True), theta)

    def expected_loss_gradient(estimator, h=1e-5):
        """E over texts ~ pi of grad (sum over the two positions of k at the sampled tokens), tokens held fixed."""
        total = np.zeros(theta.size)
        for (a, b), w in weights.items():
            def loss(t):
                return 2 * kt.per_token_kl(_rows(t, a), _rows(theta_ref, a), [a, b], estimator=estimator).estimate
            total += w * np.array([(loss(theta + h * e) - loss(theta - h * e)) / (2 * h) for e in np.eye(theta.size)])
        return total

    k2, k3 = expected_loss_gradient("k2"), expected_loss_gradient("k3")
    np.testing.assert_allclose(k2, frozen_reverse, atol=1e-7)
    np.testing.assert_allclose(k3, frozen_forward, atol=1e-7)
    # per-token k2: right at position 2's logits, wrong at position 1's (how often each prefix occurs)
    np.testing.assert_allclose(k2[3:], reverse[3:], atol=1e-7)
    assert np.max(np.abs(k2[:3] - reverse[:3])) > 1e-3
    # per-token k3: right at position 1's logits, wrong at position 2's (prefixes weighted by pi, not by pi_ref)
    np.testing.assert_allclose(k3[:3], forward[:3], atol=1e-7)
    assert np.max(np.abs(k3[3:] - forward[3:])) > 1e-2
