"""Claims made in the prose of notebook 09 (where KL leads), checked against independent references.

Each test names the notebook section whose sentence it backs. References are mpmath at high
precision, closed forms written here, exact integer counts, scipy, or fresh simulations; none calls
the klteach function a claim is about to compute its own expected value.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from scipy import optimize, stats

import klteach as kt


@pytest.fixture(autouse=True)
def thirty_digits():
    with mp.workdps(30):
        yield


def mp_normal_logpdf(z, m, s):
    return -mp.log(s) - mp.log(2 * mp.pi) / 2 - (z - m) ** 2 / (2 * s ** 2)


def mp_gauss_kl(m1, s1, m2, s2):
    return mp.log(mp.mpf(s2) / s1) + (mp.mpf(s1) ** 2 + (mp.mpf(m1) - m2) ** 2) / (2 * mp.mpf(s2) ** 2) - mp.mpf(1) / 2


# --- section 1: the ELBO ----------------------------------------------------------------------

X, S = "1.2", "0.5"        # made mpf inside the tests, at their precision


def mp_elbo_conjugate(m, sd):
    """E_q[log p(z) + log p(x|z) - log q(z)] by quadrature, q = N(m, sd^2)."""
    m, sd, X_, S_ = mp.mpf(m), mp.mpf(sd), mp.mpf(X), mp.mpf(S)
    f = lambda z: mp.npdf(z, m, sd) * (mp_normal_logpdf(z, 0, 1) + mp_normal_logpdf(X_, z, S_) - mp_normal_logpdf(z, m, sd))
    return mp.quad(f, [m - 15 * sd, m, m + 15 * sd])


def test_s1_posterior_and_evidence_of_the_conjugate_model():
    X, S = mp.mpf("1.2"), mp.mpf("0.5")
    joint = lambda z: mp.exp(mp_normal_logpdf(z, 0, 1) + mp_normal_logpdf(X, z, S))
    evidence = mp.quad(joint, [-mp.inf, 0, mp.inf])
    assert abs(mp.log(evidence) - mp_normal_logpdf(X, 0, mp.sqrt(1 + S ** 2))) < mp.mpf(10) ** -20
    mean = mp.quad(lambda z: z * joint(z), [-mp.inf, 0, mp.inf]) / evidence
    var = mp.quad(lambda z: (z - mean) ** 2 * joint(z), [-mp.inf, 0, mp.inf]) / evidence
    assert abs(mean - X / (1 + S ** 2)) < mp.mpf(10) ** -20 and abs(var - S ** 2 / (1 + S ** 2)) < mp.mpf(10) ** -20


@pytest.mark.parametrize("m, sd", [(0.0, 1.0), (0.5, 0.3), (1.2, 0.2), (0.96, 0.4472135954999579)])
def test_s1_elbo_plus_kl_is_the_log_evidence_for_every_q(m, sd):
    X, S = mp.mpf("1.2"), mp.mpf("0.5")
    post_m, post_sd = X / (1 + S ** 2), mp.sqrt(S ** 2 / (1 + S ** 2))
    total = mp_elbo_conjugate(m, sd) + mp_gauss_kl(m, sd, post_m, post_sd)
    assert abs(total - mp_normal_logpdf(X, 0, mp.sqrt(1 + S ** 2))) < mp.mpf(10) ** -15


def test_s1_the_closed_form_elbo_is_expected_loglik_minus_kl_to_the_prior():
    m, sd, X, S = mp.mpf("0.5"), mp.mpf("0.3"), mp.mpf("1.2"), mp.mpf("0.5")
    closed = -mp.log(2 * mp.pi * S ** 2) / 2 - ((X - m) ** 2 + sd ** 2) / (2 * S ** 2) - mp_gauss_kl(m, sd, 0, 1)
    assert abs(closed - mp_elbo_conjugate(m, sd)) < mp.mpf(10) ** -15


def test_s1_a_monte_carlo_elbo_from_q_alone_agrees_with_the_closed_form():
    rng = np.random.default_rng(12345)
    z = rng.normal(0.5, 0.3, size=200_000)
    terms = stats.norm.logpdf(z) + stats.norm.logpdf(1.2, z, 0.5) - stats.norm.logpdf(z, 0.5, 0.3)
    assert abs(terms.mean() - float(mp_elbo_conjugate(0.5, 0.3))) < 4 * terms.std() / math.sqrt(z.size)


@pytest.mark.parametrize("mu, log_var", [(0.0, 0.0), (1.5, -1.0), (-0.7, 0.8)])
def test_s1_vae_term_is_the_kl_to_the_standard_normal(mu, log_var):
    mu, sd = mp.mpf(mu), mp.exp(mp.mpf(log_var) / 2)
    integral = mp.quad(lambda t: mp.npdf(t, mu, sd) * (mp_normal_logpdf(t, mu, sd) - mp_normal_logpdf(t, 0, 1)),
                       [mu - 20 * sd, mu, mu + 20 * sd])
    assert abs(integral - (mu ** 2 + sd ** 2 - 1 - mp.mpf(log_var)) / 2) < mp.mpf(10) ** -20


def _log_joint2(z):
    return stats.norm.logpdf(z, 0.3, 2.0) + stats.norm.logpdf(4.0, z ** 2, 1.0)


def _elbo2(m, sd):
    """ELBO of N(m, sd^2) for the two-mode model, by adaptive quadrature (scipy), not Gauss-Hermite."""
    from scipy import integrate
    val, _ = integrate.quad(lambda z: stats.norm.pdf(z, m, sd) * (_log_joint2(z) - stats.norm.logpdf(z, m, sd)),
                            m - 12 * sd, m + 12 * sd, epsabs=1e-11, epsrel=1e-11, limit=100)
    return val


def test_s1_two_mode_posterior_elbo_maxima_sit_on_single_modes_and_the_heavier_wins():
    from scipy import integrate
    fits = {}
    for start in (-1.0, 1.0):
        # found with the fast Gauss-Hermite ELBO, then every property checked with adaptive quadrature
        res = optimize.minimize(lambda v: -kt.gaussian_elbo(_log_joint2, v[0], math.exp(v[1])), [start, 0.0],
                                method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-12})
        fits[start] = (res.x[0], math.exp(res.x[1]), _elbo2(res.x[0], math.exp(res.x[1])))
        assert abs(fits[start][2] + res.fun) < 1e-8
    (mn, sn, en), (mp_, sp, ep) = fits[-1.0], fits[1.0]
    assert -2.1 < mn < -1.7 and 1.7 < mp_ < 2.1 and sn < 0.4 and sp < 0.4          # each on one mode, narrow
    assert ep > en                                                                   # the + mode's ELBO is higher
    for m, s, e in fits.values():                                                    # local maxima
        for dm, ds in [(0.02, 0), (-0.02, 0), (0, 0.02), (0, -0.02)]:
            assert _elbo2(m + dm, s + ds) < e
    evidence, _ = integrate.quad(lambda t: np.exp(_log_joint2(t)), -15, 15, points=[-2, 2])
    mass_pos, _ = integrate.quad(lambda t: np.exp(_log_joint2(t)) / evidence, 0, 15)
    assert mass_pos > 0.5                                                           # the + mode has more mass
    peak = lambda lo, hi: optimize.minimize_scalar(lambda t: -_log_joint2(t), bounds=(lo, hi), method="bounded")
    assert -peak(0, 4).fun > -peak(-4, 0).fun                                        # and is higher
    for m, s, e in fits.values():                                                    # gap = KL by quadrature
        kl, _ = integrate.quad(lambda t: stats.norm.pdf(t, m, s) * (stats.norm.logpdf(t, m, s) - _log_joint2(t) + math.log(evidence)),
                               m - 12 * s, m + 12 * s)
        assert abs(math.log(evidence) - e - kl) < 1e-7
    mean = integrate.quad(lambda t: t * np.exp(_log_joint2(t)) / evidence, -15, 15, points=[-2, 2])[0]
    sd = math.sqrt(integrate.quad(lambda t: (t - mean) ** 2 * np.exp(_log_joint2(t)) / evidence, -15, 15, points=[-2, 2])[0])
    assert abs(mean) < 0.5 and sd > 1.5 and _elbo2(mean, sd) < min(en, ep) - 5        # forward fit: wide, far lower
    assert stats.norm.pdf(2, 0.3, 2) > stats.norm.pdf(-2, 0.3, 2)                    # the prior prefers +2


# --- section 2: Fisher information -------------------------------------------------------------

def mp_bern_kl(a, b):
    a, b = mp.mpf(a), mp.mpf(b)
    return a * mp.log(a / b) + (1 - a) * mp.log((1 - a) / (1 - b))


def test_s2_fisher_information_of_a_coin_is_the_curvature_of_kl():
    for theta in ("0.3", "0.2", "0.75"):
        t = mp.mpf(theta)
        curvature = mp.diff(lambda d: mp_bern_kl(t, t + d), 0, 2)
        assert abs(curvature - 1 / (t * (1 - t))) < mp.mpf(10) ** -15


def test_s2_both_directions_tend_to_the_quadratic_with_gaps_proportional_to_delta():
    t = mp.mpf("0.3")
    info = 1 / (t * (1 - t))
    slopes = {}
    for name, f in {"forward": lambda d: mp_bern_kl(t, t + d), "reverse": lambda d: mp_bern_kl(t + d, t)}.items():
        gaps = [(1 - f(d) / (d ** 2 * info / 2)) / d for d in (mp.mpf("1e-3"), mp.mpf("1e-4"), mp.mpf("1e-5"))]
        assert abs(gaps[1] - gaps[2]) < 1e-3 * abs(gaps[2]) and abs(gaps[0] - gaps[2]) < 0.01 * abs(gaps[2])
        assert all(1 - g * mp.mpf("1e-3") < 1 for g in gaps)              # both below 1 here, on the same side
        slopes[name] = gaps[2]
    assert abs(slopes["forward"] - slopes["reverse"]) > 0.1 * abs(slopes["reverse"])   # each at its own rate


def test_s2_gaussian_fisher_information_in_mu_sigma():
    mu0, s0 = mp.mpf(0), mp.mpf(2)
    f = lambda a, b: mp_gauss_kl(mu0, s0, mu0 + a, s0 + b)
    h = [[mp.diff(f, (0, 0), (2, 0)), mp.diff(f, (0, 0), (1, 1))], [mp.diff(f, (0, 0), (1, 1)), mp.diff(f, (0, 0), (0, 2))]]
    assert abs(h[0][0] - 1 / s0 ** 2) < 1e-15 and abs(h[1][1] - 2 / s0 ** 2) < 1e-15 and abs(h[0][1]) < 1e-15


def test_s2_half_chi_square_is_the_same_quadratic_term():
    t = mp.mpf("0.3")
    for d in (mp.mpf("1e-3"), mp.mpf("1e-5")):
        chi2 = d ** 2 / (t + d) + d ** 2 / (1 - t - d)
        assert abs((chi2 / 2) / (d ** 2 / (2 * t * (1 - t))) - 1) < 3 * d / (t * (1 - t))


def _grad(mu, sigma, m_p=3.0, s_p=1.0):
    return np.array([-(m_p - mu) / sigma ** 2, 1 / sigma - (s_p ** 2 + (m_p - mu) ** 2) / sigma ** 3])


def test_s2_the_gradient_formula_matches_numerical_differentiation():
    for mu, sigma in [(0.0, 1.0), (1.0, 0.4), (4.0, 3.0)]:
        num = [mp.diff(lambda a: mp_gauss_kl(3, 1, a, sigma), mu), mp.diff(lambda b: mp_gauss_kl(3, 1, mu, b), sigma)]
        assert np.allclose(_grad(mu, sigma), [float(v) for v in num], rtol=1e-12)


def test_s2_a_kl_limited_step_is_the_natural_gradient_step_in_the_limit():
    theta0 = np.array([0.0, 1.0])
    g = _grad(*theta0)
    nat = -np.array([g[0] * theta0[1] ** 2, g[1] * theta0[1] ** 2 / 2])
    kl = lambda d: float(mp_gauss_kl(theta0[0], theta0[1], theta0[0] + d[0], theta0[1] + d[1]))
    errors = []
    for eps in (1e-4, 1e-6):
        d = optimize.minimize(lambda d: g @ d, 1e-3 * nat * math.sqrt(eps / 1e-4), method="SLSQP",
                              options={"ftol": 1e-18, "maxiter": 500},
                              constraints=[{"type": "ineq", "fun": lambda d: eps - kl(d)}]).x
        assert d @ nat / np.linalg.norm(d) / np.linalg.norm(nat) > 0.99999
        assert d @ -g / np.linalg.norm(d) / np.linalg.norm(g) < 0.97                 # not the plain direction
        errors.append(abs(np.linalg.norm(d) / np.linalg.norm(math.sqrt(2 * eps / (g @ -nat)) * nat) - 1))
    assert errors[0] < 0.01 and errors[1] < errors[0] / 5                             # shrinks with eps


def test_s2_natural_gradient_beats_plain_gradient_at_each_ones_best_rate():
    def loss(v):
        return float(mp_gauss_kl(3, 1, v[0], v[1]))

    def run(natural, rate):
        v = np.array([0.0, 1.0])
        for _ in range(10):
            g = _grad(*v)
            d = -np.array([g[0] * v[1] ** 2, g[1] * v[1] ** 2 / 2]) if natural else -g
            v = v + rate * d
            v[1] = max(v[1], 1e-3)
        return loss(v)
    rates = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]
    plain, natural = min(run(False, r) for r in rates), min(run(True, r) for r in rates)
    assert plain > 0.5 and natural < 1e-3


def test_s2_natural_gradient_step_does_not_depend_on_the_parametrisation():
    """In (mu, log sigma) the Fisher information is diag(1/sigma^2, 2); the natural step maps to the same step in sigma."""
    mu, sigma = 0.7, 1.8
    g_sigma = _grad(mu, sigma)
    g_log = np.array([g_sigma[0], g_sigma[1] * sigma])                       # chain rule: d/d(log sigma) = sigma d/d sigma
    step_log = -np.array([g_log[0] * sigma ** 2, g_log[1] / 2])
    step_sigma = -np.array([g_sigma[0] * sigma ** 2, g_sigma[1] * sigma ** 2 / 2])
    assert np.allclose([step_log[0], sigma * step_log[1]], step_sigma, rtol=1e-14)


# --- section 3: hypothesis testing -------------------------------------------------------------

P_HEADS, Q_HEADS = "0.5", "0.3"          # made mpf inside the tests, at their precision


def test_s3_log_likelihood_ratio_has_mean_n_d_under_p_and_minus_n_d_reverse_under_q():
    p, q = mp.mpf(P_HEADS), mp.mpf(Q_HEADS)
    lr_h, lr_t = mp.log(p / q), mp.log((1 - p) / (1 - q))
    assert abs(p * lr_h + (1 - p) * lr_t - mp_bern_kl(p, q)) < 1e-25
    assert abs(q * lr_h + (1 - q) * lr_t + mp_bern_kl(q, p)) < 1e-25


def _mp_beta(n, alpha, p=P_HEADS, q=Q_HEADS):
    """Type-II error of the randomised likelihood-ratio test, built here from exact binomial terms."""
    p, q = mp.mpf(p), mp.mpf(q)
    pk = [mp.binomial(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n + 1)]
    qk = [mp.binomial(n, k) * q ** k * (1 - q) ** (n - k) for k in range(n + 1)]
    used = mp.mpf(0)
    for k in range(n + 1):                       # few heads = evidence for Q: rejected first
        if used + pk[k] <= alpha:
            used += pk[k]
            continue
        gamma = (alpha - used) / pk[k]
        return (1 - gamma) * qk[k] + mp.fsum(qk[k + 1:])
    return mp.mpf(0)


def test_s3_brute_force_no_test_on_the_count_beats_the_lr_test_and_only_thresholds_tie():
    n = 8
    pk = [Fraction(math.comb(n, k), 2 ** n) for k in range(n + 1)]
    qk = [Fraction(math.comb(n, k)) * Fraction(3, 10) ** k * Fraction(7, 10) ** (n - k) for k in range(n + 1)]
    ties = []
    for fair in itertools.product([False, True], repeat=n + 1):
        if all(fair) or not any(fair):
            continue
        a = sum(p for p, f in zip(pk, fair) if not f)
        b = sum(q for q, f in zip(qk, fair) if f)
        lr = _mp_beta(n, mp.mpf(a.numerator) / a.denominator)
        assert mp.mpf(b.numerator) / b.denominator >= lr - mp.mpf(10) ** -25
        if abs(mp.mpf(b.numerator) / b.denominator - lr) < mp.mpf(10) ** -20:
            ties.append(fair)
    thresholds = [tuple(k >= c for k in range(n + 1)) for c in range(1, n + 1)]
    assert sorted(ties) == sorted(thresholds)


def test_s3_stein_rate_rises_towards_d_slowly_and_the_square_root_correction_explains_it():
    d = float(mp_bern_kl(P_HEADS, Q_HEADS))
    v = 0.5 * math.log(0.5 / 0.3) ** 2 + 0.5 * math.log(0.5 / 0.7) ** 2 - d ** 2
    z = stats.norm.ppf(0.95)
    previous = 0
    for n in (1000, 10_000, 100_000):                  # scipy tails in logs, threshold found here
        k = np.arange(n + 1)
        cdf = stats.binom.cdf(k, n, 0.5)
        c = int(np.argmax(cdf > 0.05))
        gamma = (0.05 - (cdf[c - 1] if c else 0)) / stats.binom.pmf(c, n, 0.5)
        log_beta = np.logaddexp(stats.binom.logsf(c, n, 0.3), math.log1p(-gamma) + stats.binom.logpmf(c, n, 0.3))
        rate = -log_beta / n
        second = d - z * math.sqrt(v / n)
        assert previous < rate < d and abs(second - rate) < d - rate
        assert math.sqrt(n) * abs(second - rate) < 0.2
        previous = rate
    assert d - rate > 0.001                                # still below D at n = 100,000


def test_s3_stein_small_n_simulation_agrees_with_exact():
    rng = np.random.default_rng(2024)
    n, runs = 50, 400_000
    beta = float(_mp_beta(n, mp.mpf("0.05")))
    pk = stats.binom.pmf(np.arange(n + 1), n, 0.5)
    c = int(np.argmax(np.cumsum(pk) > 0.05))
    gamma = (0.05 - pk[:c].sum()) / pk[c]
    heads = rng.binomial(n, 0.3, size=runs)
    says_fair = (heads > c) | ((heads == c) & (rng.random(runs) >= gamma))
    assert abs(says_fair.mean() - beta) < 4 * math.sqrt(beta * (1 - beta) / runs)


def test_s3_at_n_100_the_error_is_far_above_exp_minus_n_d():
    beta = _mp_beta(100, mp.mpf("0.05"))
    assert beta > 10 * mp.exp(-100 * mp_bern_kl(P_HEADS, Q_HEADS))


def _tilt_mp(mean):
    f = lambda lam: mp.fsum(k * mp.exp(lam * k) for k in range(1, 7)) / mp.fsum(mp.exp(lam * k) for k in range(1, 7)) - mean
    lam = mp.findroot(f, 0.3)
    z = mp.fsum(mp.exp(lam * k) for k in range(1, 7))
    return lam, [mp.exp(lam * k) / z for k in range(1, 7)], lam * mean - mp.log(z / 6)


def test_s3_sanov_tilt_is_the_i_projection_and_probabilities_approach_its_exponent_from_above():
    lam, star, kl = _tilt_mp(4)
    res = optimize.minimize(lambda r: np.sum(r * np.log(6 * r)), np.full(6, 1 / 6), method="SLSQP", bounds=[(1e-12, 1)] * 6,
                            options={"ftol": 1e-15, "maxiter": 500},
                            constraints=[{"type": "eq", "fun": lambda r: r.sum() - 1},
                                         {"type": "ineq", "fun": lambda r: r @ np.arange(1, 7) - 4}])
    assert abs(res.fun - float(kl)) < 1e-7
    counts = [1]                                   # exact: number of sequences with each sum, Python integers
    rates = []
    for n in range(1, 301):
        new = [0] * (len(counts) + 5)
        for j, c in enumerate(counts):
            for f in range(6):
                new[j + f] += c
        counts = new                               # counts[j]: sequences of n rolls with sum n + j
        if n in (10, 30, 100, 300):
            hits = sum(counts[3 * n:])
            rates.append(-(mp.log(hits) - n * mp.log(6)) / n)
    assert all(r > kl for r in rates) and rates == sorted(rates, reverse=True)
    assert Fraction(sum(range(1, 7)), 6) == Fraction(7, 2) < 4     # the fair die's mean is below 4


def test_s3_rare_runs_look_like_the_tilt_more_closely_as_n_grows():
    rng = np.random.default_rng(77)
    _, star, _ = _tilt_mp(4)
    star = np.array([float(s) for s in star])
    diffs = []
    for n, runs in ((30, 400_000), (100, 1_000_000)):
        c = rng.multinomial(n, np.full(6, 1 / 6), size=runs)
        rare = c[c @ np.arange(1, 7) >= 4 * n]
        freq = rare.mean(axis=0) / n
        assert np.all(np.diff(freq) > 0)                                   # every face shifted, leaning high
        assert (rare @ np.arange(1, 7)).mean() / n > 4                     # the rare runs overshoot the average 4
        diffs.append(np.abs(freq - star).max())
    assert diffs[1] < diffs[0]


def test_s3_no_drift_probability_of_looking_r_away_decays_with_exponent_r():
    """Sanov for drift: P_Q(D(P_hat||Q) >= r) over all types of n draws from a 3-outcome Q, exactly."""
    q = np.array([0.5, 0.3, 0.2])
    r = 0.1
    rates = []
    for n in (50, 200, 800):
        a = np.arange(n + 1)
        i, j = np.meshgrid(a, a, indexing="ij")
        k = n - i - j
        ok = k >= 0
        i, j, k = i[ok], j[ok], k[ok]
        counts = np.stack([i, j, k], axis=1)
        phat = counts / n
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.sum(np.where(phat > 0, phat * np.log(phat / q), 0.0), axis=1)
        logpmf = stats.multinomial.logpmf(counts, n, q)
        rates.append(-np.logaddexp.reduce(logpmf[d >= r]) / n)
    assert rates == sorted(rates) and abs(rates[-1] - r) < 0.01                # rises towards r from below


def test_s3_null_plugin_kl_quantile_shrinks_with_the_sample_size():
    rng = np.random.default_rng(5)
    q = np.full(10, 0.1)
    quantiles = []
    for n in (100, 1000, 10_000):
        phat = rng.multinomial(n, q, size=4000) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.sum(np.where(phat > 0, phat * np.log(phat / q), 0.0), axis=1)
        quantiles.append(np.quantile(d, 0.95))
    assert quantiles[0] > quantiles[1] > quantiles[2]


def test_s3_sanov_prefactor_shrinks_polynomially_like_one_over_root_n():
    """P(average of n fair-die rolls >= 4) e^{n D(P*||P)} falls, and times sqrt(n) it levels off (Bahadur-Rao)."""
    _, _, kl = _tilt_mp(4)
    counts, factors = [1], {}
    for n in range(1, 1001):
        new = [0] * (len(counts) + 5)
        for j, c in enumerate(counts):
            for f in range(6):
                new[j + f] += c
        counts = new
        if n in (100, 300, 1000):
            p = mp.mpf(sum(counts[3 * n:])) / mp.mpf(6) ** n
            factors[n] = p * mp.exp(n * kl)
    assert factors[100] > factors[300] > factors[1000]
    scaled = [factors[n] * mp.sqrt(n) for n in (300, 1000)]
    assert abs(scaled[1] / scaled[0] - 1) < 0.05


def test_s3_drift_miss_exponent_is_the_kl_from_the_reference():
    """The error held fixed is under ref: the miss probability under cur falls like e^{-n D(ref||cur)}."""
    q_ref, p_drift, n = 0.5, 0.1, 20_000              # reference heads 0.5, drifted heads 0.1
    k = np.arange(n + 1)
    cdf = stats.binom.cdf(k, n, q_ref)                 # few heads = evidence of drift: alarm below a threshold
    c = int(np.argmax(cdf > 0.05))
    gamma = (0.05 - cdf[c - 1]) / stats.binom.pmf(c, n, q_ref)
    log_miss = np.logaddexp(stats.binom.logsf(c, n, p_drift), math.log1p(-gamma) + stats.binom.logpmf(c, n, p_drift))
    rate = -log_miss / n
    d_qp, d_pq = float(mp_bern_kl("0.5", "0.1")), float(mp_bern_kl("0.1", "0.5"))
    assert abs(rate - d_qp) < 0.03 and abs(rate - d_pq) > 0.1


# --- further claims: evidence rates, the bound's looseness, ties, tilts ----------------------------------------------------

def test_s2_proof_second_derivative_of_log_p_averages_to_minus_the_fisher_information():
    """E_p[d^2/dtheta^2 log p_theta(X)] = -I(theta) for a coin, so the KL's quadratic term is +1/2 I delta^2."""
    for th in ("0.2", "0.3", "0.7"):
        th = mp.mpf(th)
        heads = mp.diff(lambda t: mp.log(t), th, 2)
        tails = mp.diff(lambda t: mp.log(1 - t), th, 2)
        assert abs(th * heads + (1 - th) * tails + 1 / (th * (1 - th))) < mp.mpf(10) ** -20
        kl2 = mp.diff(lambda t: mp_bern_kl(th, t), th, 2)            # curvature of D(p_th || p_t) at t = th
        assert abs(kl2 - 1 / (th * (1 - th))) < mp.mpf(10) ** -15


def _kl_limited_step_by_angle(eps, g, theta0=(0.0, 1.0)):
    """min g'd over the boundary D(N(theta0) || N(theta0 + d)) = eps, d = r (cos a, sin a), r found by root."""
    kl = lambda d: float(mp_gauss_kl(theta0[0], theta0[1], theta0[0] + d[0], theta0[1] + d[1]))
    radius = lambda a: optimize.brentq(lambda r: kl(r * np.array([math.cos(a), math.sin(a)])) - eps, 1e-12, 0.5,
                                       xtol=1e-16, rtol=1e-14)
    best = optimize.minimize_scalar(lambda a: g @ (radius(a) * np.array([math.cos(a), math.sin(a)])),
                                    bounds=(0, math.pi / 2), method="bounded", options={"xatol": 1e-10})
    return radius(best.x) * np.array([math.cos(best.x), math.sin(best.x)])


def test_s2_kl_limited_step_length_ratio_exceeds_1_by_an_amount_shrinking_like_sqrt_eps():
    g = _grad(0.0, 1.0)
    nat = -np.array([g[0], g[1] / 2])                                   # -I^-1 g at sigma = 1
    excess = []
    for eps in (1e-2, 1e-4, 1e-6):
        d = _kl_limited_step_by_angle(eps, g)
        predicted = math.sqrt(2 * eps / (g @ -nat)) * np.linalg.norm(nat)
        excess.append(np.linalg.norm(d) / predicted - 1)
    assert all(e > 0 for e in excess)
    assert 8 < excess[0] / excess[1] < 12.5 and 8 < excess[1] / excess[2] < 12.5     # 100x smaller eps: ~10x


def _stein_log_beta(n, alpha=0.05, p=0.5, q=0.3):
    """log beta of the randomised likelihood-ratio test, from scipy's binomial tails (threshold found here)."""
    k = np.arange(n + 1)
    cdf = stats.binom.cdf(k, n, p)
    c = int(np.argmax(cdf > alpha))
    gamma = (alpha - (cdf[c - 1] if c else 0)) / stats.binom.pmf(c, n, p)
    return float(np.logaddexp(stats.binom.logsf(c, n, q), math.log1p(-gamma) + stats.binom.logpmf(c, n, q)))


def _stein_constants():
    d = float(mp_bern_kl(P_HEADS, Q_HEADS))
    v = 0.5 * math.log(0.5 / 0.3) ** 2 + 0.5 * math.log(0.5 / 0.7) ** 2 - d ** 2
    return d, v, stats.norm.ppf(0.95)


def test_s3_second_order_approximation_is_closer_than_d_from_n_85_on_and_undershoots_below():
    d, v, z = _stein_constants()
    closer, below = {}, {}
    for n in range(10, 1001):
        rate = -_stein_log_beta(n) / n
        second = d - z * math.sqrt(v / n)
        closer[n] = abs(second - rate) < abs(d - rate)
        below[n] = second < rate
    assert not closer[84] and all(closer[n] for n in range(85, 1001))
    assert all(below.values())                                           # its correction is too large
    assert all(d - z * math.sqrt(v / n) < 0 for n in range(10, 64))      # negative at small n
    assert d - z * math.sqrt(v / 64) > 0


def test_s3_the_bound_e_minus_t_is_loose_by_a_factor_whose_log_grows_like_log_n():
    d, v, z = _stein_constants()
    for n in (100, 1000, 10_000, 100_000):
        cost = n * d + _stein_log_beta(n)                                # n D + log beta
        loose = z * math.sqrt(n * v) - cost                              # log(e^-t / beta) > 0: beta below the bound
        assert loose > 0 and 0.6 < loose / math.log(n) < 0.8
    cost100 = 100 * d + _stein_log_beta(100)
    assert abs(cost100 - 3.66) < 0.005 and 0.45 < cost100 / (z * math.sqrt(100 * v)) < 0.6       # about half
    beta = math.exp(_stein_log_beta(100))
    assert beta > 10 * math.exp(-100 * d) and beta < math.exp(-(100 * d - z * math.sqrt(100 * v))) / 10


def test_s3_rare_runs_average_is_above_4_and_less_so_at_100_rolls_than_at_30():
    """Exact conditional mean of the average of n fair-die rolls given that it is >= 4."""
    means = []
    for n in (30, 100):
        counts = [1]
        for _ in range(n):
            new = [0] * (len(counts) + 5)
            for j, c in enumerate(counts):
                for f in range(6):
                    new[j + f] += c
            counts = new                                                 # counts[j]: ways to total n + j
        tail = range(3 * n, len(counts))
        mean_sum = Fraction(sum((n + j) * counts[j] for j in tail), sum(counts[j] for j in tail))
        means.append(mean_sum / n)
    assert 4 < means[1] < means[0]
    assert abs(float(means[0]) - 4.116) < 0.01 and abs(float(means[1]) - 4.045) < 0.01     # the simulations printed


def _exact_tail_rate(n, statistic, r, ref=0.5):
    """-log P_ref(statistic(k/n) >= r) / n over k ~ Binomial(n, ref), exactly (scipy log pmf)."""
    k = np.arange(n + 1)
    c = k / n
    hit = np.array([statistic(x) >= r for x in c])
    return -float(np.logaddexp.reduce(stats.binom.logpmf(k[hit], n, ref))) / n


def test_s3_sanov_exponent_depends_on_the_direction_of_the_drift_statistic():
    """Fair coin as ref, r = 0.3: P(D(cur_hat||ref) >= r) ~ e^{-0.3 n}, P(D(ref||cur_hat) >= r) ~ e^{-0.247 n}."""
    cur_ref = lambda x: (x * math.log(2 * x) if x > 0 else 0) + ((1 - x) * math.log(2 * (1 - x)) if x < 1 else 0)
    ref_cur = lambda x: math.inf if x in (0, 1) else -0.5 * math.log(4 * x * (1 - x))
    # the exponents, from the closed forms: boundary points by mpmath root finding
    c1 = mp.re(mp.findroot(lambda c: c * mp.log(2 * c) + (1 - c) * mp.log(2 * (1 - c)) - mp.mpf("0.3"), 0.85))
    c2 = mp.re(mp.findroot(lambda c: -mp.log(4 * c * (1 - c)) / 2 - mp.mpf("0.3"), 0.83))
    e1 = c1 * mp.log(2 * c1) + (1 - c1) * mp.log(2 * (1 - c1))
    e2 = c2 * mp.log(2 * c2) + (1 - c2) * mp.log(2 * (1 - c2))
    assert abs(e1 - mp.mpf("0.3")) < 1e-20 and abs(e2 - mp.mpf("0.24666")) < 1e-5
    # and the exact tail probabilities approach them from above
    rates1 = [_exact_tail_rate(n, cur_ref, 0.3) for n in (500, 5000, 50_000)]
    rates2 = [_exact_tail_rate(n, ref_cur, 0.3) for n in (500, 5000, 50_000)]
    assert rates1 == sorted(rates1, reverse=True) and 0 < rates1[-1] - 0.3 < 0.001
    assert rates2 == sorted(rates2, reverse=True) and 0 < rates2[-1] - float(e2) < 0.001
