"""Tests of klteach.variational against the conjugate Gaussian closed form and scipy quadrature."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from klteach import DistributionError, gaussian_elbo

X, S = 1.2, 0.5          # one observation x ~ N(z, S^2), prior z ~ N(0, 1)
POST_MEAN, POST_SD = X / (1 + S ** 2), math.sqrt(S ** 2 / (1 + S ** 2))
LOG_EVIDENCE = stats.norm.logpdf(X, 0, math.sqrt(1 + S ** 2))


def log_joint(z):
    return stats.norm.logpdf(z) + stats.norm.logpdf(X, z, S)


def kl_normal(m1, s1, m2, s2):     # D(N(m1, s1^2) || N(m2, s2^2)), textbook closed form
    return math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5


@pytest.mark.parametrize("m, s", [(0.0, 1.0), (POST_MEAN, POST_SD), (2.0, 0.1), (-1.0, 3.0)])
def test_elbo_plus_kl_to_the_posterior_is_the_log_evidence(m, s):
    total = gaussian_elbo(log_joint, m, s) + kl_normal(m, s, POST_MEAN, POST_SD)
    assert total == pytest.approx(LOG_EVIDENCE, rel=1e-12)


def test_elbo_is_expected_log_likelihood_minus_kl_to_the_prior():
    m, s = 0.3, 0.7
    expected_loglik = -0.5 * math.log(2 * math.pi * S ** 2) - ((X - m) ** 2 + s ** 2) / (2 * S ** 2)
    assert gaussian_elbo(log_joint, m, s) == pytest.approx(expected_loglik - kl_normal(m, s, 0, 1), rel=1e-12)


def test_a_non_gaussian_model_agrees_with_quadrature():
    def lj(z):       # prior N(0, 2^2), x = 4 ~ N(z^2, 1): a two-mode posterior
        return stats.norm.logpdf(z, 0, 2) + stats.norm.logpdf(4.0, z ** 2, 1.0)
    m, s = 1.7, 0.4
    ref, _ = integrate.quad(lambda z: stats.norm.pdf(z, m, s) * (lj(z) - stats.norm.logpdf(z, m, s)),
                            m - 12 * s, m + 12 * s, epsabs=1e-13, epsrel=1e-13)
    assert gaussian_elbo(lj, m, s, nodes=120) == pytest.approx(ref, rel=1e-9)


def test_elbo_never_exceeds_the_log_evidence():
    rng = np.random.default_rng(0)
    for m, s in zip(rng.normal(size=50), np.exp(rng.normal(size=50))):
        assert gaussian_elbo(log_joint, m, s) <= LOG_EVIDENCE + 1e-12


def test_zero_density_at_a_node_gives_minus_infinity():
    assert gaussian_elbo(lambda z: np.where(z > 0, 0.0, -np.inf), 1.0, 1.0) == -math.inf


@pytest.mark.parametrize("kwargs, words", [({"sd": 0.0}, "must be > 0"), ({"mean": np.nan}, "finite"),
                                           ({"nodes": 1}, "nodes"), ({"lj": 3.0}, "function"),
                                           ({"lj": lambda z: 1.0}, "one value per z"),
                                           ({"lj": lambda z: np.full_like(z, np.nan)}, "NaN")])
def test_bad_input_is_refused(kwargs, words):
    args = {"lj": log_joint, "mean": 0.0, "sd": 1.0, "nodes": 40} | kwargs
    with pytest.raises(DistributionError, match=words):
        gaussian_elbo(args["lj"], args["mean"], args["sd"], nodes=args["nodes"])


@pytest.mark.parametrize("nodes", [372, 400, 450, 500])
def test_many_nodes_give_the_closed_form_not_nan(nodes):
    """The conjugate model's ELBO is a quadratic in z: every rule is exact, up to the largest node count allowed."""
    m, s = 0.3, 0.8
    value = gaussian_elbo(log_joint, m, s, nodes=nodes)
    assert math.isfinite(value)
    assert value == pytest.approx(LOG_EVIDENCE - kl_normal(m, s, POST_MEAN, POST_SD), rel=1e-12)


def test_arrays_for_the_mean_or_sd_are_refused_clearly():
    for kwargs in ({"mean": np.array([0.5]), "sd": 1.0}, {"mean": 0.5, "sd": np.array([1.0, 2.0])}):
        with pytest.raises(DistributionError, match="single number"):
            gaussian_elbo(log_joint, **kwargs)


def test_restricted_support_is_caught_only_when_a_node_lands_outside_it():
    """The docstring's warning: the true ELBO is -inf for both q (each puts mass on z <= 0)."""
    lj = lambda z: stats.gamma(2).logpdf(z) + stats.norm.logpdf(3.0, z, 1.0)
    assert stats.norm.cdf(0, 3, 0.1) > 0 and stats.norm.cdf(0, 3, 0.5) > 0
    assert gaussian_elbo(lj, 3.0, 0.5) == -math.inf
    wide = integrate.quad(lambda z: stats.norm.pdf(z, 3, 0.1) * lj(z), 1e-300, 6, points=[3], epsabs=1e-13)[0] \
        + 0.5 * math.log(2 * math.pi * math.e * 0.1 ** 2)          # the ELBO restricted to z > 0
    assert gaussian_elbo(lj, 3.0, 0.1) == pytest.approx(wide, rel=1e-9)
    assert round(gaussian_elbo(lj, 3.0, 0.1), 2) == -3.71


def test_a_log_singularity_is_hit_or_missed_by_the_nodes():
    """The docstring's second warning: E[log|z|] under N(0, 1) is -(Euler's gamma + log 2) / 2 (closed form)."""
    lj = lambda z: stats.norm.logpdf(z) + np.log(np.abs(z))
    truth = -(np.euler_gamma + math.log(2)) / 2
    with np.errstate(divide="ignore"):
        assert gaussian_elbo(lj, 0.0, 1.0, nodes=81) == -math.inf
        assert round(gaussian_elbo(lj, 0.0, 1.0, nodes=80), 3) == -0.538 and round(truth, 3) == -0.635
        assert abs(gaussian_elbo(lj, 0.0, 1.0, nodes=500) - truth) > 0.03
