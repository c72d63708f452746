"""klteach.logits against mpmath at high precision, scipy, and properties of KL."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import klteach as kt
from klteach import DistributionError
from klteach.logits import distillation_loss, kl_from_logits, log_softmax, per_token_kl, softmax


def mp_kl_from_logits(zp, zq, temperature=1.0, dps=700):
    """D(softmax(zp/T) || softmax(zq/T)) with mpmath at ``dps`` digits, straight from the definition."""
    with mpmath.workdps(dps):
        def probs(z):
            e = [mpmath.exp(mpmath.mpf(float(v)) / temperature) for v in z]
            s = mpmath.fsum(e)
            return [x / s for x in e]
        p, q = probs(zp), probs(zq)
        return float(mpmath.fsum(pi * mpmath.log(pi / qi) for pi, qi in zip(p, q) if pi != 0))


logit_vectors = st.integers(2, 8).flatmap(lambda n: st.tuples(
    arrays(np.float64, n, elements=st.floats(-30, 30)),
    arrays(np.float64, n, elements=st.floats(-30, 30))))


@given(logit_vectors, st.sampled_from([0.5, 1.0, 3.0]))
def test_kl_from_logits_matches_mpmath(pair, temperature):
    zp, zq = pair
    expected = mp_kl_from_logits(zp, zq, temperature)
    got = kl_from_logits(zp, zq, temperature=temperature)
    assert got == pytest.approx(expected, rel=1e-10, abs=1e-300)


@pytest.mark.parametrize("zp, zq", [
    ([1e4, 0.0, -1e4], [0.0, 1e4, 0.0]),
    ([-1e4, 1e4, 3.0], [1e4, -1e4, 3.0]),
    ([1e4, 1e4 - 1, 0.0], [1e4, 1e4 + 2, -1e4]),
    ([0.0, 1e-12, -1e4], [1e-12, 0.0, -1e4]),        # nearly equal: KL of order 1e-25
])
def test_extreme_logits_where_a_naive_softmax_fails(zp, zq):
    with np.errstate(all="ignore"):
        naive_p = np.exp(zp) / np.exp(zp).sum()
    assert not np.all(np.isfinite(naive_p)) or zp[0] == 0.0
    expected = mp_kl_from_logits(zp, zq)
    got = kl_from_logits(zp, zq)
    assert np.isfinite(got)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("zp, zq, temperature", [
    ([1.0, 0.0], [1.0, 1e-12], 0.5),          # one logit nudged: D ~ 1e-25
    ([1.0, 1.0], [2.9e-74, 0.0], 0.5),        # a shift of 1 plus a difference of 1e-74
    ([50.0, -3.0, 7.25], [51.0, -2.0 + 1e-9, 8.25], 3.0),
])
def test_nearly_equal_distributions_keep_their_digits(zp, zq, temperature):
    expected = mp_kl_from_logits(zp, zq, temperature)
    assert 0 < expected < 1e-15
    assert kl_from_logits(zp, zq, temperature=temperature) == pytest.approx(expected, rel=1e-10)


def test_log_softmax_matches_scipy_and_mpmath():
    z = np.array([1e4, 3.0, -2.5, -1e4])
    assert np.allclose(log_softmax(z), scipy.special.log_softmax(z), rtol=0, atol=1e-12)
    with mpmath.workdps(60):
        lse = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v) / 2) for v in z))
        expected = [float(mpmath.mpf(v) / 2 - lse) for v in z]
    assert np.allclose(log_softmax(z, temperature=2.0), expected, rtol=1e-14, atol=0)
    assert softmax(z).sum() == pytest.approx(1.0)


def test_temperature_flattens_and_sharpens():
    z = [3.0, 1.0, 0.0]
    entropies = [kt.entropy(softmax(z, temperature=t)) for t in (0.25, 1.0, 4.0, 100.0)]
    assert entropies == sorted(entropies)
    assert entropies[-1] == pytest.approx(np.log(3), abs=1e-3)


@given(logit_vectors, st.floats(-1e3, 1e3))
def test_properties_nonnegative_and_invariant_to_a_constant(pair, c):
    zp, zq = pair
    d = kl_from_logits(zp, zq)
    assert d >= 0
    assert kl_from_logits(zp + c, zq - c) == pytest.approx(d, rel=1e-8, abs=1e-12)
    assert kl_from_logits(zp, zp) == 0.0
    # zp + c is rounded, so the shifted vector may differ from zp by a few ulps: KL ~ 1e-30, not 0
    assert kl_from_logits(zp, zp + c) < 1e-25


@given(logit_vectors)
def test_zero_only_when_the_distributions_are_equal(pair):
    zp, zq = pair
    p, q = softmax(zp), softmax(zq)
    if np.max(np.abs(p - q)) > 1e-6:
        assert kl_from_logits(zp, zq) > 0


def test_agrees_with_the_discrete_core_and_handles_zero_probabilities():
    zp, zq = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 0.0]]), np.array([0.0, 1.0, 2.0])
    expected = [kt.kl_divergence(softmax(row), softmax(zq), base=2) for row in zp]
    assert np.allclose(kl_from_logits(zp, zq, base=2), expected, rtol=1e-12)
    assert kl_from_logits([0.0, -np.inf], [0.0, 0.0]) == pytest.approx(np.log(2))
    assert kl_from_logits([0.0, 0.0], [0.0, -np.inf]) == np.inf
    assert kl_from_logits(zp.T, zq[:, None], axis=0) == pytest.approx(kl_from_logits(zp, zq))


def test_distillation_loss_is_t_squared_times_the_batch_mean_kl():
    teacher = np.array([[4.0, 1.0, -2.0], [0.0, 3.0, 1.0]])
    student = np.array([[2.0, 2.0, 0.0], [1.0, 1.0, 1.0]])
    for t in (1.0, 2.0, 5.0):
        kls = [mp_kl_from_logits(a, b, t) for a, b in zip(teacher, student)]
        assert distillation_loss(teacher, student, temperature=t) == pytest.approx(t**2 * np.mean(kls), rel=1e-10)


def test_distillation_gradient_scale_is_kept_by_t_squared():
    """Central differences: the student-logit gradient of T² KL stays O(1) as T grows; of KL alone it shrinks."""
    teacher, student = np.array([3.0, 0.0, -1.0]), np.array([0.0, 0.5, 0.0])
    h = 1e-5

    def grad(t, scaled):
        g = []
        for i in range(3):
            e = np.zeros(3)
            e[i] = h
            f = (lambda s: distillation_loss(teacher, s, temperature=t)) if scaled else \
                (lambda s: kl_from_logits(teacher, s, temperature=t))
            g.append((f(student + e) - f(student - e)) / (2 * h))
        return np.linalg.norm(g)

    assert grad(20.0, scaled=True) / grad(2.0, scaled=True) > 0.5
    assert grad(20.0, scaled=False) / grad(2.0, scaled=False) < 0.05


def test_per_token_kl_reuses_mc_kl_and_is_unbiased():
    rng = np.random.default_rng(3)
    reference = rng.normal(size=20)
    policy = reference + rng.normal(scale=0.8, size=20)
    exact = kl_from_logits(policy, reference)
    tokens = rng.choice(20, size=40_000, p=softmax(policy))
    for estimator in ("k1", "k3"):
        est = per_token_kl(policy, reference, tokens, estimator=estimator)
        assert abs(est.estimate - exact) < 4 * est.stderr
    # the same numbers as mc_kl on the log-probabilities of the sampled tokens
    lp, lr = log_softmax(policy)[tokens], log_softmax(reference)[tokens]
    assert per_token_kl(policy, reference, tokens, estimator="k2") == kt.mc_kl(lp, lr, estimator="k2")
    # one row of logits per position gives the same as a shared vector
    rows = per_token_kl(np.tile(policy, (50, 1)), np.tile(reference, (50, 1)), tokens[:50])
    assert rows == per_token_kl(policy, reference, tokens[:50])


@pytest.mark.parametrize("call, pattern", [
    (lambda: log_softmax([0.0, np.nan]), r"^logits contains NaN at index 1"),
    (lambda: log_softmax([0.0, np.inf]), r"logits contains inf at index 1; logits must be finite"),
    (lambda: log_softmax([-np.inf, -np.inf]), r"all -inf"),
    (lambda: log_softmax(3.0), r"single number"),
    (lambda: log_softmax([]), r"empty"),
    (lambda: log_softmax(["a", "b"]), r"must contain only numbers"),
    (lambda: log_softmax([1.0, 2.0], temperature=0), r"temperature must be a finite number > 0, got 0"),
    (lambda: log_softmax([1.0, 2.0], temperature=-1.0), r"temperature must be"),
    (lambda: log_softmax([1.0, 2.0], axis=1), r"axis must be an integer between -1 and 0"),
    (lambda: kl_from_logits([0.0, 1.0], [0.0, 1.0, 2.0]), r"^p_logits has 2 outcomes along axis -1 but q_logits has 3"),
    (lambda: kl_from_logits([0.0, 1.0], [0.0, 1.0], base=1), r"base must be greater than 1"),
    (lambda: distillation_loss([0.0, 1.0], [0.0, 1.0], temperature=np.nan), r"temperature must be"),
    (lambda: per_token_kl([0.0, 1.0], [0.0, 0.0], [0, 2]), r"tokens\[1\] = 2 is not a token id"),
    (lambda: per_token_kl([0.0, 1.0], [0.0, 0.0], [0, 0.5]), r"whole numbers"),
    (lambda: per_token_kl([0.0, 1.0], [0.0, 0.0], [0]), r"^tokens has 1 token id\(s\); per_token_kl needs at least 2"),
    (lambda: per_token_kl(np.zeros((3, 2)), [0.0, 0.0], [0, 1]),
     r"^policy_logits has 3 rows but tokens has 2 token ids"),
    (lambda: per_token_kl([0.0, 1.0], [0.0, 0.0], [0, 1], estimator="k4"), r"estimator must be"),
])
def test_bad_input_raises_a_clear_error(call, pattern):
    with pytest.raises(DistributionError, match=pattern):
        call()


@pytest.mark.parametrize("call, pattern", [
    # distillation_loss names its own arguments, not kl_from_logits' p_logits / q_logits
    (lambda: distillation_loss([0.0, 1.0], [0.0, 1.0, 2.0], temperature=2),
     r"^teacher_logits has 2 outcomes along axis -1 but student_logits has 3"),
    (lambda: distillation_loss([0.0, np.nan], [0.0, 1.0], temperature=2), r"^teacher_logits contains NaN"),
    (lambda: distillation_loss([0.0, 1.0], 3.0, temperature=2), r"^student_logits is a single number"),
    # per_token_kl: policy_logits, reference_logits, tokens; never mc_kl's logp / logq
    (lambda: per_token_kl(np.zeros((2, 2, 3)), np.zeros(3), [0, 1]),
     r"^policy_logits must have shape \(K,\) .* got shape \(2, 2, 3\)"),
    (lambda: per_token_kl(np.zeros(3), np.zeros((2, 2, 3)), [0, 1]), r"^reference_logits must have shape"),
    (lambda: per_token_kl(np.zeros(3), np.zeros(4), [0, 1]),
     r"^policy_logits has 3 logits per position but reference_logits has 4"),
    (lambda: per_token_kl(np.zeros(3), np.zeros((3, 3)), [0, 1]), r"^reference_logits has 3 rows but tokens has 2"),
    (lambda: per_token_kl([0.0, -np.inf, 0.0], np.zeros(3), [0, 1]),
     r"^tokens\[1\] = 1 has probability 0 under the policy"),
])
def test_messages_name_the_callers_arguments(call, pattern):
    with pytest.raises(DistributionError, match=pattern) as info:
        call()
    assert not any(f"{word} " in str(info.value) for word in ("logp", "logq", "mc_kl"))


def test_k3_spread_is_smaller_than_k1_near_the_reference():
    """Schulman's observation, on a vocabulary: close policies give k3 a much smaller spread."""
    rng = np.random.default_rng(0)
    reference = rng.normal(size=50)
    policy = reference + 0.1 * rng.normal(size=50)
    tokens = rng.choice(50, size=5000, p=softmax(policy))
    k1 = per_token_kl(policy, reference, tokens, estimator="k1")
    k3 = per_token_kl(policy, reference, tokens, estimator="k3")
    assert k3.stderr < 0.2 * k1.stderr
    assert scipy.stats.norm.sf(abs(k3.estimate - kl_from_logits(policy, reference)) / k3.stderr) > 1e-4


def _torch_kl_div_batchmean(input_logprob, target_logprob):
    """torch.nn.functional.kl_div(input, target, reduction="batchmean", log_target=True), by hand:
    the elementwise exp(target) (target - input), summed, divided by input.shape[0] (PyTorch docs)."""
    return float(np.sum(np.exp(target_logprob) * (target_logprob - input_logprob)) / input_logprob.shape[0])


def test_distillation_loss_averages_over_every_position_and_relates_to_torch_batchmean():
    rng = np.random.default_rng(12)
    T = 2.5
    for shape in [(4, 7), (3, 5, 11)]:                  # (B, K) classifier, (B, T_seq, V) language model
        t, s = 3 * rng.normal(size=shape), 3 * rng.normal(size=shape)
        lt = scipy.special.log_softmax(t / T, axis=-1)
        ls = scipy.special.log_softmax(s / T, axis=-1)
        per_position = np.sum(np.exp(lt) * (lt - ls), axis=-1)        # one KL per distribution
        loss = distillation_loss(t, s, temperature=T)
        assert loss == pytest.approx(T**2 * per_position.mean(), rel=1e-12)   # divided by B (* T_seq)
        torch_like = T**2 * _torch_kl_div_batchmean(ls, lt)                    # divided by B only
        positions_per_example = per_position.size // shape[0]
        assert torch_like == pytest.approx(positions_per_example * loss, rel=1e-12)


# --- distillation at extreme temperatures ------------------------------------------------

def _mp_distillation(t, s, temperature, dps=700):
    import mpmath
    with mpmath.workdps(dps):
        T = mpmath.mpf(temperature)
        zt, zs = [mpmath.mpf(v) / T for v in t], [mpmath.mpf(v) / T for v in s]
        lt = [v - mpmath.log(mpmath.fsum(mpmath.exp(w) for w in zt)) for v in zt]
        ls = [v - mpmath.log(mpmath.fsum(mpmath.exp(w) for w in zs)) for v in zs]
        return T * T * mpmath.fsum(mpmath.exp(a) * (a - b) for a, b in zip(lt, ls))


@pytest.mark.parametrize("temperature", [1e-300, 1e-200, 1e-100, 1e-5, 1.0, 1e5, 1e100, 1e140])
def test_distillation_loss_at_extreme_temperatures_matches_mpmath(temperature):
    # T**2 underflowed to 0 below T = 1e-162 (a loss of 0 for 2e-300) and raised
    # OverflowError above 1.3e154; T (T mean) does neither
    import warnings
    t, s = [1.0, 2.0, 3.0], [3.0, 2.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = kt.distillation_loss(t, s, temperature=temperature)
    assert got == pytest.approx(float(_mp_distillation(t, s, temperature)), rel=1e-13)


def test_distillation_loss_tends_to_half_the_variance_of_the_logit_gap():
    # the limit named in the error message for huge temperatures
    t, s = np.array([1.0, 2.0, 3.0, -0.5]), np.array([3.0, 2.0, 1.0, 0.25])
    assert kt.distillation_loss(t, s, temperature=1e100) == pytest.approx(np.var(t - s) / 2, rel=1e-14)


def test_distillation_loss_refuses_a_temperature_at_which_d_underflows():
    with pytest.raises(FloatingPointError, match="Lower the temperature"):
        kt.distillation_loss([1.0, 2.0, 3.0], [3.0, 2.0, 1.0], temperature=1e200)
    # equal distributions (logits differing by a constant) are exactly 0 at any temperature
    assert kt.distillation_loss([1.0, 2.0, 3.0], [6.0, 7.0, 8.0], temperature=1e200) == 0.0


# ---- the largest logit is subtracted before dividing by T; infinite D; -inf in both

def _mp_log_softmax(z, temperature, dps=60):
    with mpmath.workdps(dps):
        T = mpmath.mpf(temperature)
        m = max(mpmath.mpf(v) for v in z if v != -np.inf)
        e = [(mpmath.mpf(v) - m) / T if v != -np.inf else None for v in z]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in e if v is not None))
        return [float(v - lse) if v is not None else -np.inf for v in e]


@pytest.mark.parametrize("z, temperature", [
    ([-3.0, -4.0], 1e-308),                 # z / T overflowed: inf - inf = nan before
    ([-1e300, -2e300], 1e-10),
    ([1e15, 1e15 + 1], 0.7),                # z / T rounded away the gap's digits
    ([-1e12, -1e12 - 0.01, -1e12 - 0.003], 0.0014),
    ([-1e308, 1e308], 1e308),               # z - max z overflows, (z - max z) / T does not
    ([0.0, 1.0, -np.inf], 3.0),
])
def test_log_softmax_subtracts_the_largest_logit_before_dividing(z, temperature):
    got = log_softmax(z, temperature=temperature)
    want = _mp_log_softmax(z, temperature)
    for g, w in zip(got, want):
        if abs(w) > 1.7976931348623157e308:
            assert g == -np.inf
        else:
            assert g == pytest.approx(w, rel=1e-14, abs=1e-300)
    assert np.all(np.isfinite(softmax(z, temperature=temperature)))


@pytest.mark.parametrize("zp, zq, temperature", [
    ([1e15, 1e15 + 1], [1e15, 1e15 + 1.5], 0.7),
    ([-1e12, -1e12 - 0.01], [-1e12, -1e12 - 0.02], 0.0014),
    ([-20.0, -21.0], [-20.0, -22.0], 1e-307),
])
def test_kl_from_logits_at_extreme_offsets_and_temperatures_matches_mpmath(zp, zq, temperature):
    import warnings
    with mpmath.workdps(80):
        T = mpmath.mpf(temperature)
        lp = [mpmath.mpf(v) for v in _mp_log_softmax_hp(zp, T)]
        lq = [mpmath.mpf(v) for v in _mp_log_softmax_hp(zq, T)]
        want = float(mpmath.fsum(mpmath.exp(a) * (a - b) for a, b in zip(lp, lq)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = kl_from_logits(zp, zq, temperature=temperature)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-300)


def _mp_log_softmax_hp(z, T):
    m = max(mpmath.mpf(v) for v in z)
    e = [(mpmath.mpf(v) - m) / T for v in z]
    lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in e))
    return [v - lse for v in e]


def test_kl_from_logits_when_a_log_probability_passes_the_float_range():
    # Q's second log-probability is -2e308: the term p (log p - log q) is e^-1e308 * 1e308 = 0
    assert kl_from_logits([-20.0, -21.0], [-20.0, -22.0], temperature=1e-308) == 0.0
    # P = (1, 0) in float, log q_0 = -3.4e308: D = 3.4e308, inf in float64
    assert kl_from_logits([1.7e308, -1.7e308], [-1.7e308, 1.7e308]) == np.inf
    # p = 1/2 and log q = -2e308: D = 1e308 cannot be formed here; refused, not a silent inf
    with pytest.raises(FloatingPointError, match="larger temperature"):
        kl_from_logits([0.0, 0.0, -1.0], [0.0, -2.0, -1.0], temperature=1e-308)


@pytest.mark.parametrize("t, s, temperature", [
    ([0.0, 0.0], [0.0, -np.inf], 1.0),
    ([[0.0, 0.0], [1.0, 2.0]], [[0.0, -np.inf], [1.0, 1.0]], 2.0),
    ([1.7e308, -1.7e308], [-1.7e308, 1.7e308], 1.0),
])
def test_distillation_loss_is_inf_when_some_d_is_inf(t, s, temperature):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isinf(kl_from_logits(t, s, temperature=temperature)).any()
        assert distillation_loss(t, s, temperature=temperature) == np.inf


@pytest.mark.parametrize("t, s, temperature", [
    ([0.0, 1.0, -np.inf], [0.0, 1.0, -np.inf], 2.0),
    ([0.0, 1.0, -np.inf], [5.0, 6.0, -np.inf], 3.0),
    ([[0.0, 1.0, -np.inf], [1.0, 2.0, 3.0]], [[0.0, 1.0, -np.inf], [2.0, 3.0, 4.0]], 1e200),
])
def test_distillation_loss_of_equal_distributions_with_impossible_classes_is_zero(t, s, temperature):
    assert distillation_loss(t, s, temperature=temperature) == 0.0


def test_distillation_loss_still_refuses_different_impossible_classes_at_huge_temperature():
    with pytest.raises(FloatingPointError, match="Lower the temperature"):
        distillation_loss([0.0, 1.0, -np.inf], [0.0, 1.0 + 1e-3, -np.inf], temperature=1e200)


@pytest.mark.parametrize("tokens, pattern", [
    ([0.0, 1e20], r"^tokens\[1\] = 100000000000000000000 is not a token id"),
    (np.array([0, 2**64 - 1], dtype=np.uint64), r"^tokens\[1\] = 18446744073709551615 is not a token id"),
    ([True, False], r"^tokens are booleans"),
])
def test_per_token_kl_reports_the_token_as_given(tokens, pattern):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DistributionError, match=pattern):
            per_token_kl([0.0, 1.0], [1.0, 0.0], tokens)


@pytest.mark.parametrize("zp, zq", [
    ([0.0, 0.0, -700.0], [3e-16, 0.0, -698.0]),     # D = 1.125e-32 (1.54e-32 came back)
    ([0.0, 0.0, -700.0], [1e-12, 0.0, -698.0]),     # 4.4e-5 relative off before
    ([0.0, 0.0, -50.0], [1e-8, 0.0, -48.0]),        # 1e-8 relative off before
    ([0.0, 0.0, -700.0, 5.0], [3e-16, 0.0, -698.5, 5.0]),
])
def test_a_far_tail_outcome_does_not_cost_the_others_their_digits(zp, zq):
    # one outcome with |dlogit| >= 1 in the far tail must not send the nearly equal ones to
    # log q - log p, which cancels
    expected = mp_kl_from_logits(zp, zq)
    assert kl_from_logits(zp, zq) == pytest.approx(expected, rel=1e-12, abs=0)
    assert kl_from_logits(zp, zq, base=2) == pytest.approx(expected / np.log(2), rel=1e-12, abs=0)
    assert kt.distillation_loss(zp, zq, temperature=2.0) == pytest.approx(
        float(_mp_distillation(zp, zq, 2.0)), rel=1e-12, abs=0)


# --- labelled and huge-integer logits --------------------------------------------------------

def test_pandas_logits_with_labels_in_another_order_are_refused_not_paired_by_position():
    pd = pytest.importorskip("pandas")
    p = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    q = pd.Series([3.0, 1.0, 2.0], index=["c", "a", "b"])   # the same distribution, reordered
    for call in (lambda: kt.kl_from_logits(p, q),
                 lambda: kt.distillation_loss(p, q, temperature=2.0)):
        with pytest.raises(kt.DistributionError, match=r"labels differ.*reindex"):
            call()
    assert kt.kl_from_logits(p, q.reindex(p.index)) == 0.0
    frame = pd.DataFrame([[0.0, 1.0], [2.0, 0.5]], columns=["x", "y"])
    with pytest.raises(kt.DistributionError, match="columns"):
        kt.kl_from_logits(frame, frame[["y", "x"]])


@pytest.mark.parametrize("top", [2**53 + 2, 2**62, 2**63 - 2])
def test_integer_logits_beyond_2_to_the_53_keep_their_differences(top):
    # softmax([N, N + 1]) = softmax([0, 1]) exactly; as floats N and N + 1 were the same number.
    z = np.array([top - 1, top], dtype=np.int64)
    with mpmath.workdps(40):
        e = mpmath.e
        ref_logp = [float(-mpmath.log(1 + e)), float(1 - mpmath.log(1 + e))]
        p1 = e / (1 + e)
        ref_kl = float((1 - p1) * mpmath.log(2 * (1 - p1)) + p1 * mpmath.log(2 * p1))
    np.testing.assert_allclose(kt.log_softmax(z), ref_logp, rtol=1e-15)
    assert kt.kl_from_logits(z, np.array([5, 5])) == pytest.approx(ref_kl, rel=1e-14)
    batch = np.array([[top - 1, top], [-top, 1 - top]], dtype=np.int64)
    np.testing.assert_allclose(kt.log_softmax(batch, axis=-1), [ref_logp, ref_logp], rtol=1e-15)


def _mp_softmax(z):
    """softmax of exact logits (Python ints or Fractions) in 50-digit mpmath."""
    with mpmath.workdps(50):
        top = max(z)
        e = [mpmath.exp(mpmath.mpf((v - top).numerator) / (v - top).denominator
                        if hasattr(v - top, "numerator") else v - top) for v in z]
        total = mpmath.fsum(e)
        return [x / total for x in e]


@pytest.mark.parametrize("big", [2**64, 2**70, 10**400])
def test_python_int_logits_beyond_int64_keep_their_differences(big):
    # Object arrays of Python ints: as floats 2**64 and 2**64 + 3 are the same number.
    p, q = _mp_softmax([big, big + 3]), _mp_softmax([big + 3, big])
    with mpmath.workdps(50):
        ref_kl = float(mpmath.fsum(a * mpmath.log(a / b) for a, b in zip(p, q)))
    assert ref_kl == pytest.approx(2.7154447609345995, rel=1e-15)   # 3 tanh(3/2)
    assert kt.kl_from_logits([big, big + 3], [big + 3, big]) == pytest.approx(ref_kl, rel=1e-14)
    np.testing.assert_allclose(kt.softmax([big, big + 3]), [float(x) for x in p], rtol=1e-14)
    batch = [[big, big + 3], [big + 3, big]]
    ref = [[float(p[0]), float(p[1])], [float(p[1]), float(p[0])]]
    np.testing.assert_allclose(kt.softmax(batch, axis=0), ref, rtol=1e-14)


def test_fraction_logits_keep_their_differences():
    from fractions import Fraction

    z = [Fraction(10**30) + Fraction(1, 3), Fraction(10**30) + Fraction(7, 3)]   # differ by exactly 2
    ref = _mp_softmax([Fraction(0), Fraction(2)])
    np.testing.assert_allclose(kt.softmax(z), [float(x) for x in ref], rtol=1e-14)
    np.testing.assert_allclose(kt.log_softmax(z), [float(mpmath.log(x)) for x in ref], rtol=1e-14)


@pytest.mark.parametrize("logits", [[2**64, 2**64 + 3, float("-inf")], [2**62, 2**62 + 1, float("-inf")]])
def test_big_integer_logits_next_to_minus_infinity_keep_their_differences(logits):
    """-inf (probability 0) beside exact big integers must not send the vector through float64 first."""
    import mpmath as mp
    with mp.workdps(50):
        a, b = mp.mpf(logits[0]), mp.mpf(logits[1])
        p0 = float(1 / (1 + mp.e ** (b - a)))
    got = softmax(logits)
    assert got[2] == 0.0
    assert got[0] == pytest.approx(p0, rel=1e-14) and got[1] == pytest.approx(1 - p0, rel=1e-14)


def test_big_integer_kl_with_a_shared_impossible_outcome_matches_mpmath():
    import mpmath as mp
    big, ninf = 2**64, float("-inf")
    with mp.workdps(50):
        p = [1 / (1 + mp.e), mp.e / (1 + mp.e)]          # softmax([0, 1])
        q = [mp.e / (1 + mp.e), 1 / (1 + mp.e)]          # softmax([1, 0])
        truth = float(sum(pi * mp.log(pi / qi) for pi, qi in zip(p, q)))
    got = kl_from_logits([big, big + 1, ninf], [big + 1, big, ninf])
    assert got == pytest.approx(truth, rel=1e-13)


# --- np.longdouble logits: the differences are formed before the cast to float64 ---------

WIDE = np.finfo(np.longdouble).eps < np.finfo(np.float64).eps      # x86 80-bit long double
needs_wide = pytest.mark.skipif(not WIDE, reason="np.longdouble is float64 on this platform")


def _mp(v):
    """A long double as an exact mpmath number (its exact binary fraction)."""
    n, d = np.longdouble(v).as_integer_ratio()
    return mpmath.mpf(n) / d


def mp_softmax_wide(z, dps=80):
    with mpmath.workdps(dps):
        e = [mpmath.exp(_mp(v)) for v in z]
        s = mpmath.fsum(e)
        return [x / s for x in e]


def mp_kl_wide(zp, zq, dps=80):
    with mpmath.workdps(dps):
        p, q = mp_softmax_wide(zp, dps), mp_softmax_wide(zq, dps)
        return mpmath.fsum(pi * mpmath.log(pi / qi) for pi, qi in zip(p, q))


@needs_wide
@pytest.mark.parametrize("offset, gap", [(1, "1e-17"), (1, "3e-18"), (-7, "2.5e-17"), (1e4, "1e-13")])
def test_longdouble_logits_closer_than_float64_resolves_keep_their_kl(offset, gap):
    # Relative differences below float64's 1.1e-16: the float64 values of the logits are equal.
    L = np.longdouble
    zp = np.array([L(offset), L(offset) + L(gap), L(offset) - L(gap)])
    zq = np.array([L(offset), L(offset), L(offset)])
    assert np.array_equal(zp.astype(np.float64), zq.astype(np.float64))
    expected = mp_kl_wide(zp, zq)
    assert expected > 0
    assert kl_from_logits(zp, zq) == pytest.approx(float(expected), rel=1e-12, abs=0)
    assert kl_from_logits(zp.astype(np.float64), zq.astype(np.float64)) == 0.0   # what the cast alone gives
    assert distillation_loss(zp, zq, temperature=2.0) == pytest.approx(
        4 * float(mp_kl_wide(zp / 2, zq / 2)), rel=1e-12, abs=0)


@needs_wide
def test_longdouble_softmax_keeps_a_difference_float64_rounds_away():
    L = np.longdouble
    z = np.array([L(10000), L(10000) + L("1e-13")])
    expected = [float(p) for p in mp_softmax_wide(z)]
    got = softmax(z)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=4e-16, atol=0)
    assert got[0] != got[1]
    np.testing.assert_allclose(log_softmax(z), [float(mpmath.log(p)) for p in mp_softmax_wide(z)],
                               rtol=4e-16, atol=0)


@needs_wide
@pytest.mark.parametrize("z", [["1e400", "0"], ["1e400", "1e400", "-5"], ["-1e400", "-1e400", "-inf"],
                               ["1e4000", "-1e4000", "3"]])
def test_longdouble_logits_beyond_the_float64_range_are_read(z):
    # Before: cast to float64 first, 1e400 became inf and was refused as "contains inf".
    zl = np.array([np.longdouble(v) for v in z])
    with mpmath.workdps(80):
        top = max(_mp(v) for v in zl if np.isfinite(v))
        e = [mpmath.exp(_mp(v) - top) if np.isfinite(v) else mpmath.mpf(0) for v in zl]
        expected = [float(x / mpmath.fsum(e)) for x in e]
    np.testing.assert_allclose(softmax(zl), expected, rtol=4e-16, atol=0)


@needs_wide
def test_longdouble_logits_with_nan_or_inf_are_still_refused_where_they_are():
    L = np.longdouble
    with pytest.raises(DistributionError, match="NaN at index 1"):
        softmax(np.array([L(1), L("nan"), L(2)]))
    with pytest.raises(DistributionError, match="inf at index 2"):
        kl_from_logits(np.array([L(1), L(2), L("inf")]), [0.0, 0.0, 0.0])
    with pytest.raises(DistributionError, match="all -inf"):
        softmax(np.array([[L("-inf"), L("-inf")], [L(0), L(1)]]))
