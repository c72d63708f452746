"""Claims made in the prose of notebooks 01, 03 and 04, checked against independent references.

Each test names the notebook section whose sentence it backs. References are mpmath at
high precision, scipy quadrature, or closed forms; none calls the function a claim is about
to compute its own expected value.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext

import mpmath as mp
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.spatial.distance import jensenshannon

import klteach as kt



@pytest.fixture(autouse=True)
def fifty_digits():
    """mpmath at 50 digits for every test here, whatever other test modules set globally."""
    with mp.workdps(50):
        yield


def mp_kl(p, q):
    """D(P||Q) in nats of the exact values of the floats p, q (assumed to sum to 1)."""
    return mp.fsum(mp.mpf(a) * mp.log(mp.mpf(a) / mp.mpf(b)) for a, b in zip(p, q) if a > 0)


def random_pairs(n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        k = int(rng.integers(2, 8))
        alpha = rng.choice([0.1, 0.5, 1.0, 5.0])
        yield rng.dirichlet(np.full(k, alpha)), rng.dirichlet(np.full(k, alpha))


# --- notebook 01, section 5: Gibbs' inequality summed over the support of P -------------------

def test_gibbs_steps_over_the_support_of_p():
    # log t <= t - 1 with equality only at t = 1
    t = np.array([1e-12, 0.1, 0.5, 0.999, 1.001, 2.0, 50.0])
    assert np.all(np.log(t) < t - 1)
    # With p(x) = 0 somewhere, the chain -D <= sum_S q - 1 <= 0 holds with sum_S q < 1 possible.
    for p, q in [([0.5, 0.5, 0.0], [0.2, 0.3, 0.5]), ([0.7, 0.0, 0.3], [0.7, 0.1, 0.2])]:
        support = [i for i, a in enumerate(p) if a > 0]
        minus_d = -mp_kl(p, q)
        middle = mp.fsum(mp.mpf(q[i]) for i in support) - 1
        assert minus_d <= middle <= 0 and middle < 0
    # Equality needs q = p on S and q = 0 outside S: Q = P equal on S but with mass outside is > 0.
    assert kt.kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0
    assert mp_kl([0.5, 0.5, 0.0], [0.45, 0.45, 0.1]) > 0


# --- notebook 03, section 5: computing KL when Q is close to P -------------------------------

SIZES = 10.0 ** -np.arange(2, 12)
P_CLOSE = np.array([0.25, 0.25, 0.5])


def q_close(size):
    q1 = 0.25 + size
    return np.array([q1, 0.5 - q1, 0.5])


def test_the_pairs_sum_to_exactly_one_and_the_decimal_reference_matches_mpmath():
    getcontext().prec = 50
    for size in SIZES:
        q = q_close(size)
        assert mp.fsum(mp.mpf(x) for x in q) == 1 and mp.fsum(mp.mpf(x) for x in P_CLOSE) == 1
        ref = mp_kl(P_CLOSE, q)
        dec = sum(Decimal(a) * (Decimal(a).ln() - Decimal(b).ln()) for a, b in zip(P_CLOSE, q))
        assert abs(mp.mpf(str(dec)) - ref) / ref < mp.mpf("1e-25")


def test_both_textbook_formulas_lose_every_digit_and_kl_divergence_does_not():
    for size in SIZES:
        q = q_close(size)
        ref = mp_kl(P_CLOSE, q)
        rel = lambda x: float(abs(mp.mpf(float(x)) - ref) / ref)
        ce_minus_h = kt.cross_entropy(P_CLOSE, q) - kt.entropy(P_CLOSE)
        plain = np.sum(P_CLOSE * np.log(P_CLOSE / q))
        assert rel(kt.kl_divergence(P_CLOSE, q)) < 1e-12          # "stays below 1e-12"
        if size <= 1e-9:                                        # "no correct digit from 1e-9 on"
            assert rel(ce_minus_h) >= 0.99 and rel(plain) >= 0.99
            assert plain < 0                                    # "the direct sum has the wrong sign"
        if size >= 1e-2:                                        # "both start below 1e-12"
            assert 1e-15 < rel(plain) < 1e-13 and 1e-14 < rel(ce_minus_h) < 1e-12


def test_the_bracket_terms_are_non_negative_and_sum_to_kl():
    for p, q in random_pairs(200, seed=3):
        brackets = [mp.mpf(a) * mp.log(mp.mpf(a) / mp.mpf(b)) + mp.mpf(b) - mp.mpf(a)
                    for a, b in zip(p, q) if a > 0]
        brackets += [mp.mpf(b) for a, b in zip(p, q) if a == 0]
        assert all(term >= 0 for term in brackets)
        total_p, total_q = mp.fsum(mp.mpf(a) for a in p), mp.fsum(mp.mpf(b) for b in q)
        assert abs(mp.fsum(brackets) - (mp_kl(p, q) + total_q - total_p)) < mp.mpf("1e-40")


def test_plain_numpy_brackets_keep_about_eight_digits_at_size_1e_9():
    q = q_close(1e-9)
    u = (q - P_CLOSE) / P_CLOSE
    brackets = P_CLOSE * (u - np.log1p(u))
    rel = float(abs(mp.mpf(float(brackets.sum())) - mp_kl(P_CLOSE, q)) / mp_kl(P_CLOSE, q))
    assert 1e-9 < rel < 1e-7


# --- notebook 03, sections 3-4 -----------------------------------------------------------------

def test_label_smoothing_entropy_is_0_42_bits():
    true, other = 0.9 + 0.1 / 3, 0.1 / 3
    h = -(true * math.log2(true) + 2 * other * math.log2(other))
    assert round(h, 4) == 0.4200
    assert true + 2 * other == pytest.approx(1.0, abs=1e-15)


# --- notebook 04, section 4: Jensen-Shannon bounds and units -------------------------------------

def test_js_maximum_is_ln2_nats_one_bit_and_scipy_returns_the_distance_in_nats():
    p, q = [0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]
    assert kt.js_divergence(p, q) == pytest.approx(math.log(2), rel=1e-15) and math.log(2) < 1
    assert kt.js_divergence(p, q, base=2) == pytest.approx(1.0, rel=1e-15)
    assert jensenshannon(p, q) == pytest.approx(math.sqrt(math.log(2)), rel=1e-12)
    # no pair exceeds ln 2 nats
    for a, b in random_pairs(300, seed=4):
        m = [(x + y) / 2 for x, y in zip(a, b)]
        js = (mp_kl(a, m) + mp_kl(b, m)) / 2
        assert js <= mp.log(2)


# --- notebook 04, section 4: Pinsker in bits, Hellinger bounds, D >= 2 H^2 ----------------------

def test_pinsker_hellinger_and_kl_inequalities_for_the_stated_convention():
    smallest_ratio = mp.inf
    for p, q in random_pairs(1500, seed=5):
        if np.any((p > 0) & (q == 0)):
            continue
        P, Q = [mp.mpf(x) for x in p], [mp.mpf(x) for x in q]
        sp, sq = mp.fsum(P), mp.fsum(Q)
        P, Q = [x / sp for x in P], [x / sq for x in Q]
        d = mp.fsum(a * mp.log(a / b) for a, b in zip(P, Q) if a > 0)
        h2 = 1 - mp.fsum(mp.sqrt(a * b) for a, b in zip(P, Q))        # H^2 = 1 - sum sqrt(pq)
        tv = mp.fsum(abs(a - b) for a, b in zip(P, Q)) / 2
        assert kt.hellinger_distance(p, q) ** 2 == pytest.approx(float(h2), abs=1e-12)   # klteach's convention
        assert tv <= mp.sqrt(d / 2) and tv <= mp.sqrt(d / mp.log(2) * mp.log(2) / 2)     # Pinsker, nats and bits
        assert h2 <= tv <= mp.sqrt(h2) * mp.sqrt(2 - h2)
        assert d >= 2 * h2
        smallest_ratio = min(smallest_ratio, d / (2 * h2))
    assert smallest_ratio < 1.05   # the constant 2 is close to sharp on these pairs
    # ... and exactly sharp in the limit P = (1, 0), Q = (1 - e, e): D / (2 H^2) -> 1
    e = mp.mpf("1e-20")
    assert -mp.log(1 - e) / (2 * (1 - mp.sqrt(1 - e))) == pytest.approx(1.0, rel=1e-15)


# --- notebook 04, section 5: samples are not probabilities ---------------------------------------

def test_positive_samples_pass_after_normalize_and_give_a_meaningless_number():
    rng = np.random.default_rng(11)
    a = rng.exponential(2.0, size=5)
    with pytest.raises(kt.DistributionError, match="normalize"):
        kt.kl_divergence(a, rng.exponential(2.0, size=5))
    # the same sample against itself in another order: not 0
    assert kt.kl_divergence(kt.normalize(a), kt.normalize(np.sort(a))) > 0.01


def test_exponential_kl_closed_form():
    # D(Exp(mean 2) || Exp(mean 3)) = log(3/2) + 2/3 - 1, by quadrature of the densities
    log_p = lambda x: -x / 2 - math.log(2)
    log_q = lambda x: -x / 3 - math.log(3)
    value = quad(lambda x: math.exp(log_p(x)) * (log_p(x) - log_q(x)), 0, math.inf, epsabs=1e-14)[0]
    assert value == pytest.approx(math.log(1.5) + 2 / 3 - 1, rel=1e-10)
    assert round(value, 4) == 0.0721


# --- notebook 01, section 9: when do the two directions agree for two coins? ---------------------

def test_coin_directions_agree_only_for_q_equal_p_or_its_mirror_image():
    # D(P||Q) - D(Q||P) = sum (p + q) log(p/q); at 50 digits its sign changes, along a grid of
    # Q(heads) that never hits p or 1 - p, only across q = p and q = 1 - p.
    def gap(p, q):
        return (p + q) * mp.log(p / q) + (2 - p - q) * mp.log((1 - p) / (1 - q))

    qs = [mp.mpf(2 * j + 1) / 400 for j in range(200)]
    for i in range(1, 100, 4):
        p = mp.mpf(i) / 100
        signs = [mp.sign(gap(p, q)) for q in qs]
        assert 0 not in signs
        for lo, hi, s_lo, s_hi in zip(qs, qs[1:], signs, signs[1:]):
            if s_lo != s_hi:
                assert lo < p < hi or lo < 1 - p < hi, (p, lo, hi)
        # at the mirror image both directions are exactly equal
        assert abs(gap(p, 1 - p)) < mp.mpf("1e-45")
    # the notebook's example, P(heads) = 0.3: mirror Q = 0.7 agrees, Q = 0.6 does not
    assert mp_kl([0.3, 0.7], [0.7, 0.3]) == pytest.approx(mp_kl([0.7, 0.3], [0.3, 0.7]), rel=1e-14)
    assert abs(mp_kl([0.3, 0.7], [0.6, 0.4]) - mp_kl([0.6, 0.4], [0.3, 0.7])) > 0.005


# --- notebook 04, section 2: the reverse fit moves towards the other mode and widens -------------

def test_reverse_fit_of_the_mixture_sits_right_of_the_left_mode_and_is_wider():
    from scipy.stats import norm

    def reverse_kl(mu, sd):    # D(Q||P) by quadrature, Q = N(mu, sd^2), P = 0.6 N(-3, 1) + 0.4 N(3, 1)
        def integrand(x):
            log_q = norm.logpdf(x, mu, sd)
            log_p = np.logaddexp(np.log(0.6) + norm.logpdf(x, -3, 1), np.log(0.4) + norm.logpdf(x, 3, 1))
            return math.exp(log_q) * (log_q - log_p)
        return quad(integrand, mu - 12 * sd, mu + 12 * sd, epsabs=1e-13, epsrel=1e-12, limit=200)[0]

    fit = kt.fit_gaussian([0.6, 0.4], [-3, 3], [1, 1], direction="reverse")
    mu, sd = fit.mean, fit.sd
    assert mu > -3 + 0.005 and sd > 1 + 0.005                 # right of the mode, wider than it
    # the quadrature agrees that this is a minimum: every neighbour is worse
    at_fit = reverse_kl(mu, sd)
    for dmu, dsd in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert reverse_kl(mu + dmu, sd + dsd) > at_fit
    # and sitting exactly on the mode costs more, the approximation -log 0.6 more still
    assert at_fit < reverse_kl(-3, 1) < -math.log(0.6)


# --- notebooks 03 and 04: figures keep blue and vermillion for P and Q, titles show the slider's value

def test_cross_entropy_and_kl_curves_avoid_the_p_and_q_colours(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt

    from klteach import plots, widgets

    monkeypatch.setattr(plt, "show", lambda: None)
    reserved = {plots.P_COLOR.lower(), plots.Q_COLOR.lower()}
    widgets.show_cross_entropy(p_dog=0.8, q_dog=0.3)
    curves = [line for line in plt.gca().get_lines() if len(line.get_xdata()) > 2]
    assert len(curves) == 2 and not {mcolors.to_hex(c.get_color()) for c in curves} & reserved
    assert curves[0].get_linestyle() != curves[1].get_linestyle()
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    fit = kt.softmax_regression(X, np.eye(2)[[0, 1, 1]], steps=5, learning_rate=0.5)
    ax = plots.training_curves(fit)
    curves = ax.get_lines()[:2]
    assert not {mcolors.to_hex(c.get_color()) for c in curves} & reserved
    assert curves[0].get_linestyle() != curves[1].get_linestyle()
    plt.close("all")


def test_mixture_fit_title_shows_the_slider_step_of_a_quarter(monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klteach import widgets

    monkeypatch.setattr(plt, "show", lambda: None)
    widgets.show_gaussian_fits(separation=5.25, weight=0.6)
    assert plt.gca().get_title().startswith("Modes 5.25 apart")
    assert capsys.readouterr().out.startswith("modes 5.25 apart")
    plt.close("all")
