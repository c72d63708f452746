"""distillation_loss's claims in notebook 07, against mpmath at 40 digits.

* on (B, L, V) logits it averages over the B·L positions, while PyTorch's
  ``kl_div(..., reduction='batchmean')`` divides the same sum by B only
  (L times larger);
* for large T, T² · D(teacher_T || student_T) tends to half the variance of
  the logit differences over the classes;
* without the T² factor the gradient with respect to the student's logits
  shrinks like 1/T².
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

import klteach as kt


def _mp_log_softmax(z, temperature):
    z = [mp.mpf(float(v)) / temperature if not isinstance(v, mp.mpf) else v / temperature for v in z]
    top = max(z)
    lse = top + mp.log(mp.fsum(mp.exp(v - top) for v in z))
    return [v - lse for v in z]


def _mp_kl(teacher, student, temperature):
    lp, lq = _mp_log_softmax(teacher, temperature), _mp_log_softmax(student, temperature)
    return mp.fsum(mp.exp(a) * (a - b) for a, b in zip(lp, lq))


def test_on_sequences_klteach_averages_positions_and_batchmean_divides_by_the_batch_only():
    rng = np.random.default_rng(11)
    b, length, v = 2, 3, 4
    teacher, student = rng.normal(size=(b, length, v)), rng.normal(size=(b, length, v))
    temperature = 2.0
    with mp.workdps(40):
        total = mp.fsum(_mp_kl(teacher[i, t], student[i, t], temperature) for i in range(b) for t in range(length))
        per_position = float(temperature**2 * total / (b * length))
        torch_batchmean = float(temperature**2 * total / b)      # T**2 * F.kl_div(..., 'batchmean'): sum / B
    assert kt.distillation_loss(teacher, student, temperature=temperature) == pytest.approx(per_position, rel=1e-12)
    assert torch_batchmean == pytest.approx(length * per_position, rel=1e-12)
    # flattening to (B·L, V) makes batchmean's divisor B·L: klteach's number
    flat = kt.distillation_loss(teacher.reshape(b * length, v), student.reshape(b * length, v), temperature=temperature)
    assert flat == pytest.approx(per_position, rel=1e-12)


@pytest.mark.parametrize("temperature", [100.0, 1000.0])
def test_large_temperature_limit_is_half_the_variance_of_the_logit_differences(temperature):
    teacher = np.array([9.0, 5.5, 4.0, -1.0, -2.0])
    student = np.array([6.0, 5.0, 2.0, 0.5, 0.0])
    d = teacher - student
    limit = 0.5 * np.mean((d - d.mean()) ** 2)
    with mp.workdps(40):
        scaled = float(temperature**2 * _mp_kl(teacher, student, temperature))
    assert kt.distillation_loss(teacher, student, temperature=temperature) == pytest.approx(scaled, rel=1e-9)
    # the approach is like 1/T: within 10 / T relative here
    assert abs(scaled - limit) / limit < 10 / temperature
    assert abs(scaled - limit) / limit > 1e-3 / temperature        # a limit, not an identity


def test_without_t_squared_the_gradient_for_the_student_shrinks_like_one_over_t_squared():
    teacher = [9.0, 5.5, 4.0, -1.0, -2.0]
    student = [6.0, 5.0, 2.0, 0.5, 0.0]

    def gradient_norm(temperature):
        with mp.workdps(40):
            h = mp.mpf("1e-15")
            s = [mp.mpf(v) for v in student]
            grad = []
            for j in range(len(s)):
                up, down = list(s), list(s)
                up[j] += h
                down[j] -= h
                grad.append((_mp_kl(teacher, up, temperature) - _mp_kl(teacher, down, temperature)) / (2 * h))
            return float(mp.sqrt(mp.fsum(g**2 for g in grad)))

    scaled = {t: t**2 * gradient_norm(t) for t in (1.0, 20.0, 40.0, 80.0)}
    assert scaled[80.0] == pytest.approx(scaled[40.0], rel=0.02)
    assert scaled[40.0] == pytest.approx(scaled[20.0], rel=0.05)
    assert abs(scaled[1.0] - scaled[80.0]) / scaled[80.0] > 0.1    # at T = 1 the law does not hold yet
