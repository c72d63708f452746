"""Notebook 09's checks and figures: right answers accepted, each typical mistake named, figures labelled.

Expected values are computed here from closed forms, mpmath or scipy quadrature, never by the
check under test.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import integrate, stats  # noqa: E402

from klteach import exercises, plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def bern_kl(a, b):
    return a * math.log(a / b) + (1 - a) * math.log((1 - a) / (1 - b))


# --- exercise 1: the local KL -------------------------------------------------------------------

def ex1(answer):
    return exercises.check_local_kl(answer, 0.2, 0.05)


def test_local_kl_accepts_the_quadratic_term_and_its_rounding():
    right = 0.5 * 0.05 ** 2 / (0.2 * 0.8)
    assert ex1(right).correct and ex1(0.00781).correct and ex1(float(f"{right:.4g}")).correct


@pytest.mark.parametrize("wrong, words", [
    (bern_kl(0.2, 0.25), "exact"),
    (bern_kl(0.25, 0.2), "reverse direction"),
    (0.05 ** 2 / (0.2 * 0.8), "without the factor 1/2"),
    (0.5 * 0.05 ** 2 / (0.2 * 0.8) / math.log(2), "bits"),
    (0.5 * 0.05 ** 2 * 0.2 * 0.8, "inverse of its variance"),
    (0.5 * 0.05 ** 2 / 0.2, "both factors"),
    (0.5 * 0.05 / (0.2 * 0.8), "squared"),
    (0.5 * 0.05 ** 2 / (0.25 * 0.75), "theta + delta"),
    (1 / (0.2 * 0.8), "I(theta) itself"),          # the Fisher information typed alone (6.25)
    (0.5 / (0.2 * 0.8), "without delta^2"),
    (0.2 * 0.8, "theta (1 - theta) alone"),      # the variance, float 0.16000000000000003
    (0.5 * 0.05 ** 2 / 0.8, "both factors"),      # (from a review: the mirror of 1/theta got "Not yet")
    (bern_kl(0.2, 0.25) / math.log(2), "exact D(Ber(0.2)||Ber(0.25)) in bits"),
    (0.0101, "exact D(Ber(0.2)||Ber(0.25)) in bits"),
    # from a seventh review: these three were unnamed
    (0.5 * 0.05 ** 2 * (1 / 0.2 - 1 / 0.8), "added, not subtracted"),      # 0.0046875
    (0.5 * 0.05 ** 2, "1/2 delta^2 alone"),                               # 0.00125
    (0.05 ** 2, "delta^2 alone"),                                         # 0.0025
])
def test_local_kl_names_each_mistake(wrong, words):
    fb = ex1(wrong)
    assert not fb.correct and words in str(fb), str(fb)


def test_local_kl_delta2_i_rounded_then_halved_is_a_rounding_not_a_missing_half():
    # 0.05**2 / 0.16 = 0.015625, rounded to 4 figures (0.01563) and halved: the half is there
    doubled = "0.01563"       # rounded half up (Python's format rounds this tie to even, 0.01562)
    assert abs(float(doubled) - 0.05 ** 2 / (0.2 * 0.8)) <= 5.1e-6
    text = str(ex1(float(doubled) / 2))
    assert not ex1(float(doubled) / 2).correct
    assert "without the factor 1/2" not in text and "route's advice" not in text, text
    assert f"delta^2 I(theta), rounded to 4 significant figures ({doubled}) and then halved" in text, text


@pytest.mark.parametrize("rounded", [0.00781, round(0.0078125, 5), 0.007813])   # (the tie rounded half up)
def test_local_kl_the_right_value_rounded_then_converted_to_bits_is_named_as_that(rounded):
    # 0.00781 / ln 2 got the formula hint, though 0.0078125 / ln 2 is named as "in bits"
    text = str(ex1(rounded / math.log(2)))
    assert "in bits: the quadratic approximation 1/2 delta^2 I(theta) in nats rounded to" in text, text
    assert "The question asks for nats" in text, text


def test_local_kl_i_theta_alone_is_sent_to_the_quadratic_approximation_not_the_kl():
    # "the question asks for the KL it approximates" sent a learner to the exact KL, which is itself a mistake here
    text = str(ex1(1 / (0.2 * 0.8)))
    assert "quadratic approximation of the KL, half of delta squared times I(theta)" in text, text
    assert "theta = 0.2, delta = 0.05" in text and "asks for the KL" not in text, text


def _advice(text, start, end):
    """The Python expression an advice message quotes between ``start`` and ``end``."""
    return text.split(start, 1)[1].split(end, 1)[0]


def _numbers(text, *names):
    """The values a message gives for ``names`` (``theta = 0.2`` -> 0.2)."""
    return [float(re.search(rf"\b{re.escape(n)} = (-?[0-9]+(?:\.[0-9]+)?)", text).group(1)) for n in names]


def test_local_kl_hint_uses_numbers_names_the_idea_and_followed_is_accepted():
    # the learner's kernel still held theta = 0.3, delta = 0.001 from section 2; the old hint used those names
    learner = 0.5 * 0.001 ** 2 / (0.3 * (1 - 0.3))
    fb = str(ex1(learner))
    assert not ex1(learner).correct and "theta * (1 - theta)" not in fb, fb
    # the idea and the exercise's numbers, not the line of code that is the answer
    assert "0.5 * 0.05**2" not in fb and "half of delta squared times the Fisher information" in fb, fb
    theta, delta = _numbers(fb, "theta", "delta")
    assert (theta, delta) == (0.2, 0.05) and "I(theta) = 1 / (theta (1 - theta))" in fb
    followed = 0.5 * delta ** 2 * (1 / (theta * (1 - theta)))        # the words, followed literally
    assert ex1(followed).correct


def test_local_kl_exact_kl_advice_uses_numbers_and_followed_is_accepted():
    fb = str(ex1(bern_kl(0.2, 0.25)))
    assert "0.5 * 0.05**2" not in fb and "exact D(Ber(0.2)||Ber(0.25))" in fb, fb
    theta, delta = _numbers(fb, "theta", "delta")
    assert ex1(0.5 * delta ** 2 / (theta * (1 - theta))).correct


def test_local_kl_short_exact_kl_is_named_before_the_cut_off_reading():
    # the learner gave the exact KL, 0.0070021 nats, as 0.00700; Python reads 0.007, which is also 0.0078125 cut off
    # (the shared rule of check_number: another quantity of the exercise rounded as asked is named by it)
    exact = float(mp.log(mp.mpf("0.2") / mp.mpf("0.25")) * mp.mpf("0.2") + mp.log(mp.mpf("0.8") / mp.mpf("0.75")) * mp.mpf("0.8"))
    assert round(exact, 5) == 0.007 and f"{exact:.5g}" == "0.0070021"
    text = str(ex1(0.00700))
    assert text.startswith("Not quite: 0.007 matches the exact D(Ber(0.2)||Ber(0.25))"), text
    assert "rounded to 3 significant figures" in text and "typing 0.00700 gives 0.007" in text, text
    assert text.index("exact D(") < text.index("cut off")                    # the concept first, the rounding beside


@pytest.mark.parametrize("wrong, words", [
    (-0.5 * 0.05 ** 2 / (0.2 * 0.8), "theta - 1"),                       # 1 / (theta (theta - 1))
    (0.5 * 0.05 ** 2 * (1 / 0.8 - 1 / 0.2), "added, not subtracted"),    # the information's terms subtracted
    (-0.0047, "added, not subtracted"),                                  # ... rounded to 2 figures: hedged
])
def test_local_kl_a_negative_answer_is_read_as_a_sign_error_in_the_information(wrong, words):
    """A negative local KL: delta^2 cannot be negative, the Fisher information can come out so by a sign."""
    text = str(ex1(wrong))
    assert text.startswith("Not quite") and words in text and "delta is squared" not in text, text
    # followed: the information with 1 - theta, the two terms added
    assert ex1(0.5 * 0.05 ** 2 * (1 / 0.2 + 1 / (1 - 0.2))).correct


def test_local_kl_another_negative_number_gets_the_sign_of_the_information():
    text = str(ex1(-0.05))
    assert "delta^2 is never negative" in text and "1 - theta" in text and "delta is squared" not in text, text


def test_local_kl_correct_message_shows_every_digit_of_the_right_value():
    assert str(ex1(0.0078125)) == "Correct: the quadratic approximation 1/2 delta^2 I(theta) = 0.0078125 nats."


def test_local_kl_negative_and_unanswered():
    assert "sign of I(theta) flipped" in str(ex1(-0.0078125))
    assert "No answer yet" in str(ex1(...))
    with pytest.raises(ValueError):
        exercises.check_local_kl(0.1, 0.9, 0.2)


# --- exercise 2: the ELBO ------------------------------------------------------------------------

X, S, M, SD = 1.0, 0.3, 1.2, 0.4


def quad_elbo(noise_var=S ** 2, kl_sd=SD, kl_sign=-1, reverse_kl=False):
    ll, _ = integrate.quad(lambda z: stats.norm.pdf(z, M, SD) * stats.norm.logpdf(X, z, math.sqrt(noise_var)), -10, 10)
    if reverse_kl:
        kl, _ = integrate.quad(lambda z: stats.norm.pdf(z) * (stats.norm.logpdf(z) - stats.norm.logpdf(z, M, SD)), -12, 12)
    else:
        kl, _ = integrate.quad(lambda z: stats.norm.pdf(z, M, kl_sd) * (stats.norm.logpdf(z, M, kl_sd) - stats.norm.logpdf(z)), -10, 10)
    return ll, ll + kl_sign * kl


def ex2(answer):
    return exercises.check_elbo(answer, X, S, M, SD)


def test_elbo_accepts_the_quadrature_value():
    _, right = quad_elbo()
    assert ex2(right).correct and ex2(round(right, 3)).correct


def test_elbo_names_each_mistake():
    ll, right = quad_elbo()
    cases = [(ll, "expected log-likelihood alone"), (quad_elbo(kl_sign=+1)[1], "subtracted"),
             (quad_elbo(reverse_kl=True)[1], "wrong direction"),
             (stats.norm.logpdf(X, 0, math.sqrt(1 + S ** 2)), "log evidence"),
             (stats.norm.logpdf(X, M, S) - (quad_elbo()[0] - right), "spread of z"),
             (quad_elbo(noise_var=S)[1], "used as a variance"),
             (quad_elbo(kl_sd=math.sqrt(SD))[1], "q's standard deviation"),
             (right / math.log(2), "bits")]
    for wrong, words in cases:
        fb = ex2(wrong)
        assert not fb.correct and words in str(fb), (words, str(fb))


def test_elbo_hint_uses_numbers_names_the_idea_and_followed_is_accepted():
    # the learner used x = x_ex with section 1's m, sigma, s = 0.5, 0.3, 0.5 still in the kernel
    m1, sd1, s1 = 0.5, 0.3, 0.5
    ll, _ = integrate.quad(lambda z: stats.norm.pdf(z, m1, sd1) * stats.norm.logpdf(X, z, s1), -10, 10)
    kl, _ = integrate.quad(lambda z: stats.norm.pdf(z, m1, sd1) * (stats.norm.logpdf(z, m1, sd1) - stats.norm.logpdf(z)), -10, 10)
    learner = ll - kl
    assert round(learner, 3) == -1.780
    fb = str(ex2(learner))
    assert not ex2(learner).correct and "(x - m)**2" not in fb and "np.log(2 * np.pi" not in fb, fb
    assert "E_q[(x - z)^2] = (x - m)^2 + sigma^2" in fb and "kt.gaussian_kl" in fb, fb
    x, s, m, sd = _numbers(fb, "x", "s", "m", "sigma")
    # the words followed: the Gaussian log-likelihood averaged over q, minus D(q||N(0, 1)) (by quadrature here)
    loglik = -0.5 * math.log(2 * math.pi * s ** 2) - ((x - m) ** 2 + sd ** 2) / (2 * s ** 2)
    kl_q, _ = integrate.quad(lambda z: stats.norm.pdf(z, m, sd) * (stats.norm.logpdf(z, m, sd) - stats.norm.logpdf(z)),
                             -10, 10)
    assert ex2(loglik - kl_q).correct, str(ex2(loglik - kl_q))


def test_elbo_names_the_negative_elbo_and_section_1s_model():
    _, right = quad_elbo()
    fb = ex2(round(-right, 3))                                               # +2.042, the VAE loss
    assert not fb.correct and "-ELBO" in str(fb) and "VAE" in str(fb), str(fb)
    # section 1's elbo(1.2, 0.4): x = 1.2, s = 0.5, same q
    ll, _ = integrate.quad(lambda z: stats.norm.pdf(z, M, SD) * stats.norm.logpdf(1.2, z, 0.5), -10, 10)
    kl_q = quad_elbo()[0] - right                                            # D(q || N(0, 1))
    section1 = ll - kl_q
    assert round(section1, 3) == -1.762
    fb = ex2(round(section1, 3))
    assert not fb.correct and "section 1" in str(fb), str(fb)


def test_elbo_is_below_the_log_evidence_as_the_solution_says():
    assert quad_elbo()[1] < stats.norm.logpdf(X, 0, math.sqrt(1 + S ** 2))


# --- exercise 3: Stein's exponent --------------------------------------------------------------

def ex3(answer):
    return exercises.check_stein_exponent(answer, 0.5, 0.8, base=2)


def test_stein_accepts_d_p_q_in_bits():
    right = 0.5 * math.log2(0.5 / 0.8) + 0.5 * math.log2(0.5 / 0.2)
    assert ex3(right).correct and ex3(0.322).correct


def test_stein_names_each_mistake():
    with mp.workdps(30):
        lam = mp.findroot(lambda l: mp.diff(lambda t: mp.log(0.5 ** t * 0.8 ** (1 - t) + 0.5 ** t * 0.2 ** (1 - t)), l), 0.5)
        chernoff = float(-mp.log(0.5 ** lam * 0.8 ** (1 - lam) + 0.5 ** lam * 0.2 ** (1 - lam)) / mp.log(2))
    cases = [(0.8 * math.log2(0.8 / 0.5) + 0.2 * math.log2(0.2 / 0.5), "reverse direction"),
             ((0.5 * math.log(0.5 / 0.8) + 0.5 * math.log(0.5 / 0.2)), "nats"),
             (chernoff, "Chernoff"),
             (-math.log2(math.sqrt(0.4) + math.sqrt(0.1)), "Bhattacharyya"),
             (0.5 * math.log2(0.5 / 0.8), "tails term")]
    for wrong, words in cases:
        fb = ex3(wrong)
        assert not fb.correct and words in str(fb), (words, str(fb))


def test_elbo_rounded_terms_are_an_example_route_not_a_stated_fact():
    ell = -0.5 * math.log(2 * math.pi * 0.3**2) - ((1.0 - 1.2) ** 2 + 0.4**2) / (2 * 0.3**2)
    kl = math.log(1 / 0.4) + (0.4**2 + 1.2**2) / 2 - 0.5              # D(N(1.2, 0.4^2) || N(0, 1)), closed form
    # -2.05 comes from 3 significant figures (-0.826 - 1.22 = -2.046) as well as from 2 decimal places
    assert round(round(ell, 3) + -round(kl, 2), 2) == -2.05 and round(round(ell, 2) - round(kl, 2), 2) == -2.05
    assert round(ell - kl, 2) == -2.04
    text = str(exercises.check_elbo(-2.05, 1.0, 0.3, 1.2, 0.4))      # the learner's exact call (09 Ex2)
    assert text.startswith("Almost: ") and "looks like a result rounded on the way" in text, text
    assert "is what E_q[log p(x|z)] - D(q||p(z)) gives" in text and "(e.g. each to" in text, text
    assert "If you rounded both terms on the way" in text and "since a number was rounded" not in text, text


# --- exercise 4: Sanov's exponent ----------------------------------------------------------------

def ex4(answer):
    return exercises.check_sanov_exponent(answer, np.full(6, 1 / 6), np.arange(1, 7), 4.5)


def mp_tilt(mean):
    with mp.workdps(30):
        f = lambda l: mp.fsum(k * mp.exp(l * k) for k in range(1, 7)) / mp.fsum(mp.exp(l * k) for k in range(1, 7)) - mean
        lam = mp.findroot(f, 0.5)
        z = mp.fsum(mp.exp(lam * k) for k in range(1, 7))
        star = [float(mp.exp(lam * k) / z) for k in range(1, 7)]
        return float(lam), star, float(lam * mean - mp.log(z / 6))


def test_sanov_accepts_the_tilts_kl():
    _, _, kl = mp_tilt(4.5)
    assert ex4(kl).correct and ex4(float(f"{kl:.3g}")).correct


def test_sanov_names_each_mistake():
    lam, star, kl = mp_tilt(4.5)
    reverse = sum(math.log((1 / 6) / s) / 6 for s in star)
    clt = (4.5 - 3.5) ** 2 / (2 * 35 / 12)
    for wrong, words in [(reverse, "reverse direction"), (lam, "tilt parameter"), (clt, "central-limit"),
                         (kl / math.log(2), "bits")]:
        fb = ex4(wrong)
        assert not fb.correct and words in str(fb), (words, str(fb))


def test_sanov_an_answer_matching_two_near_mistakes_asks_for_the_unrounded_number():
    lam, _, kl = mp_tilt(4.5)
    wrong_way = kl / math.log(2) ** 2       # D in bits, then divided by ln 2 again
    assert abs(lam - wrong_way) < 0.01 * lam and round(lam, 3) == round(wrong_way, 3) == 0.371
    text = str(ex4(0.371))
    assert "tilt parameter" in text and "converted the wrong way" in text, text
    # as every check words it: the unrounded number tells which, and 0.371 itself is neither
    assert "Give the unrounded number your code computed to tell which" in text, text
    assert "If your unrounded result is exactly 0.371, it is not any of them" in text, text
    for full, words in ((lam, "tilt parameter"), (wrong_way, "converted the wrong way")):
        text = str(ex4(full))                # the full number is the one mistake it equals
        assert words in text and "Or:" not in text and "unrounded result" not in text, text


def test_sanov_minus_d_is_the_ratio_upside_down_not_the_order():
    lam, star, kl = mp_tilt(4.5)
    # the learner's exact number: sum P* log(P / P*), the ratio upside down, is -D(P*||P)
    upside_down = sum(s * math.log((1 / 6) / s) for s in star)
    assert abs(upside_down + kl) < 1e-12 and abs(-0.17817837107422613 + kl) < 1e-12
    for answer in (-0.17817837107422613, -0.178, -0.1782):
        text = str(ex4(answer))
        assert "minus D(P*||P)" in text and "upside down" in text, text
        assert "comes first" not in text and "reverse direction" not in text, text
    # the advice the old message gave (swap the order) leads to the other mistake, D(P||P*) = 0.1929
    reverse = sum(math.log((1 / 6) / s) / 6 for s in star)
    assert abs(reverse - 0.1929) < 5e-5 and "reverse direction" in str(ex4(reverse))


def test_sanov_refuses_a_threshold_below_the_mean():
    with pytest.raises(ValueError):
        exercises.check_sanov_exponent(0.1, np.full(6, 1 / 6), np.arange(1, 7), 3.0)


# --- exercise 5: why the reverse direction ---------------------------------------------------------

def test_vi_direction_choice_is_registered_whichever_module_comes_first():
    import subprocess
    import sys
    for first in ("klteach.plots", "klteach.exercises", "klteach.course.nb09_where_kl_leads"):
        code = (f"import {first}; from klteach import exercises as ex; "
                "assert ex.check_choice('a', '09-ex5').correct; assert ex.check_elbo(-2.0424, 1.0, 0.3, 1.2, 0.4).correct")
        subprocess.run([sys.executable, "-c", code], check=True)
    assert exercises.check_choice("a", "09-ex5").correct
    for wrong in "bcd":
        fb = exercises.check_choice(wrong, "09-ex5")
        assert not fb.correct and str(fb).startswith("Not quite: ") and "Not quite: No:" not in str(fb)
    assert "mode-seeking" in str(exercises.check_choice("c", "09-ex5"))


# --- figures -----------------------------------------------------------------------------------------

def test_posterior_fits_draws_each_curve_with_its_own_style_and_labels():
    z = np.linspace(-3, 3, 61)
    ax = plots.posterior_fits(z, stats.norm.pdf(z), {"a": stats.norm.pdf(z, 1), "b": stats.norm.pdf(z, -1, 2)})
    lines = ax.get_lines()
    assert len(lines) == 3 and len({l.get_linestyle() for l in lines}) == 3 and len({l.get_marker() for l in lines}) == 3
    assert "density" in ax.get_ylabel() and "z" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["posterior p(z | x)", "a", "b"]


def test_gradient_paths_labels_contours_in_nats_and_marks_the_minimum():
    mus, sig = np.linspace(0, 4, 41), np.linspace(0.5, 3, 26)
    grid = np.array([[math.log(s) + (1 + (3 - m) ** 2) / (2 * s ** 2) - 0.5 for m in mus] for s in sig])
    ax = plots.gradient_paths(mus, sig, grid, {"plain": np.array([[0, 1], [1, 2]]), "natural": np.array([[0, 1], [3, 1]])},
                              target=(3, 1))
    labels = [t.get_text() for t in ax.texts]
    assert labels and all(t.endswith("nats") or t == "1 nat" for t in labels)
    assert "1 nat" in labels and "1 nats" not in labels                 # singular for exactly 1
    styles = [(l.get_linestyle(), l.get_marker()) for l in ax.get_lines()[:2]]
    assert styles[0] != styles[1]
    assert "σ" in ax.get_ylabel() and "μ" in ax.get_xlabel()
    assert ax.get_legend().get_texts()[-1].get_text() == "minimum"


def test_exponent_curve_draws_limit_approximation_and_simulations():
    ns = np.array([10, 100, 1000])
    ax = plots.exponent_curve(ns, [0.04, 0.05, 0.07], 0.0872, approx=([-0.1, 0.02, 0.065], "second order"),
                              simulated=(ns[:2], [0.04, 0.05], [0.001, 0.002]), limit_label="D(P‖Q)")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "D(P‖Q) = 0.0872 nats" in texts and "second order" in texts and any("simulation" in t for t in texts)
    assert ax.get_xscale() == "log" and "[nats]" in ax.get_ylabel()
    assert len({l.get_linestyle() for l in ax.get_lines()[:3]}) == 3


# --- the notebook's own solutions pass its own checks ---------------------------------------------

def test_every_solution_in_notebook_09_is_accepted_by_its_check():
    import json
    import re
    from pathlib import Path

    cells = json.loads((Path(__file__).resolve().parents[2] / "notebooks/09_where_kl_leads.ipynb").read_text())["cells"]
    start = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Exercises"))
    namespace: dict = {}
    checked = 0
    for i in range(start, len(cells) - 2):
        setup, check, solution = ("".join(cells[j]["source"]) for j in (i, i + 1, i + 2))
        if cells[i]["cell_type"] == "code" and "answer = ..." in setup and "exercises.check_" in check:
            exec(setup, namespace)
            code = re.search(r"```python\n(.*?)```", solution, re.S).group(1)
            exec(code, namespace)
            feedback = eval(check.strip(), namespace)
            assert feedback.correct, (check, str(feedback))
            checked += 1
    assert checked == 5


@pytest.mark.parametrize("answer", [-2.0461, -2.0459])
def test_elbo_a_number_one_unit_off_the_rounded_terms_combined_is_not_named_as_that_route(answer):
    # exercises.check_elbo(-2.0461, 1.0, 0.3, 1.2, 0.4) (and -2.0459) said "-2.0461 is what E_q[log p(x|z)] -
    # D(q||p(z)) gives ... (-0.826, 1.22)", but -0.826 - 1.22 is exactly -2.046
    ll, right = quad_elbo()
    assert (float(f"{ll:.3g}"), float(f"{ll - right:.3g}")) == (-0.826, 1.22)
    msg = str(exercises.check_elbo(answer, 1.0, 0.3, 1.2, 0.4))
    assert not msg.startswith("Correct") and "rounded first" not in msg, msg
    # the combination itself still is that route, opened with the learner's number
    assert str(exercises.check_elbo(-0.826 - 1.22, 1.0, 0.3, 1.2, 0.4)).startswith(
        "Almost: -2.046 is near ELBO(q) but not ELBO(q) rounded; it looks like a result rounded on the way: it is "
        "what E_q[log p(x|z)] - D(q||p(z)) gives with both terms rounded first")


@pytest.mark.parametrize("answer", [0.00785, 0.00779, 0.00784])
def test_local_kl_a_near_answer_is_not_asked_about_rounding_exact_short_decimals(answer):
    # exercises.check_local_kl(0.00785, 0.2, 0.05) asked "Did you round one, or round the terms before summing?",
    # though 1/2 x 0.0025 x 6.25 has no terms and nothing to round on the way
    delta2, info = Fraction(1, 20) ** 2, 1 / (Fraction(1, 5) * Fraction(4, 5))
    assert (delta2, info) == (Fraction("0.0025"), Fraction("6.25"))
    assert abs(answer - float(delta2 * info / 2)) <= 0.015 * float(delta2 * info / 2)
    msg = str(exercises.check_local_kl(answer, 0.2, 0.05))
    assert not msg.startswith("Correct") and "round" not in msg.split("Check each step")[0].replace(
        "not it rounded", "").replace("nothing to round", "").replace("no rounding on the way that gives it", ""), msg
    # the values are not shown: I(theta) = 6.25 is what the exercise asks the learner to find
    # (none of them is what I(theta) rounded to 2 figures on the way gives: 0.007875 or 0.00775)
    assert "Did you round" not in msg and "no rounding on the way that gives it" in msg, msg
    assert "0.0025" not in msg and "6.25" not in msg, msg


@pytest.mark.parametrize("answer", [
    (0.5 * math.log(0.5 / 0.8) + 0.5 * math.log(0.5 / 0.2)) * math.log(2),              # nats times ln 2
    float(f"{(0.5 * math.log(0.5 / 0.8) + 0.5 * math.log(0.5 / 0.2)) * math.log(2):.4g}"),   # printed: 0.1547
    round(0.5 * math.log(0.5 / 0.8) + 0.5 * math.log(0.5 / 0.2), 4) * math.log(2),      # 0.2231 * ln 2
])
def test_stein_a_conversion_done_the_wrong_way_is_named_as_in_notebooks_01_to_05(answer):
    # 09 ex3: check_stein_exponent(0.2231... * ln 2, 0.5, 0.8, base=2) got "Not yet ..." with no word on units
    text = str(ex3(answer))
    assert text.startswith("Not quite") and "converted the wrong way" in text and "np.log(2)" in text, text


def test_stein_a_number_the_undone_wrong_conversion_gives_only_rounded_again_is_no_rounding_on_the_way():
    d_bits = 0.5 * math.log2(0.5 / 0.8) + 0.5 * math.log2(0.5 / 0.2)            # 0.32193
    wrong_way = d_bits * math.log(2) ** 2                                       # nats times ln 2: 0.1547
    undone = round(wrong_way, 3) / math.log(2) ** 2                             # 0.155 / ln2 / ln2 = 0.32262
    assert round(undone, 3) == 0.323 and round(d_bits, 3) == 0.322
    # no single rounding on the way gives 0.323: D in nats rounded, then converted, gives 0.322 or 0.317
    assert {round(round(d_bits * math.log(2), k) / math.log(2), 3) for k in (2, 3, 4)} == {0.317, 0.322}
    text = str(ex3(0.323))
    assert text.startswith("Almost") and "not D(P||Q) correctly rounded" in text, text
    assert "Did you round" not in text and "convert it" not in text, text
    # its literal product (more figures than asked) is still that rounded intermediate
    assert "Did you round an intermediate result" in str(ex3(float(f"{undone:.4g}")))


def test_stein_and_sanov_name_a_value_in_base_10_units():
    d_nats = 0.5 * math.log(0.5 / 0.8) + 0.5 * math.log(0.5 / 0.2)
    assert "base-10 units" in str(ex3(d_nats / math.log(10)))
    _, _, kl = mp_tilt(4.5)
    assert "base-10 units" in str(ex4(kl / math.log(10)))


@pytest.mark.parametrize("base, log_fn", [(10, "np.log10"), (2, "np.log2")])
def test_elbo_in_other_units_is_described_as_the_nats_divided_by_a_log(base, log_fn):
    # check_elbo(-0.887, ...) said "ELBO(q) in base-10 units (computed with np.log10)"; but the quadratic term has
    # no log, so np.log10 in the formula gives another number: -0.887 is the ELBO in nats divided by ln 10
    _, right = quad_elbo()
    ll10 = -0.5 * math.log(2 * math.pi * S ** 2, base) - ((X - M) ** 2 + SD ** 2) / (2 * S ** 2)
    kl10 = (math.log(1 / SD, base) + (SD ** 2 + M ** 2 - 1) / 2)   # every log in the formula in base `base`
    assert abs((ll10 - kl10) - right / math.log(base)) > 0.01          # np.log10 throughout is not it
    answer = float(f"{right / math.log(base):.3g}")
    text = str(ex2(answer))
    assert text.startswith("Not quite") and log_fn not in text, text
    assert f"the ELBO in nats divided by `np.log({base})`" in text, text
    assert f"multiply the unrounded number your code computed by `np.log({base})`" in text, text


def test_stein_names_the_other_direction_in_nats_and_the_tails_term_alone():
    # D(Q||P) in nats (0.1927), both choices the other way round, as check_kl names it; and the tails term
    # 0.5 log2(0.5/0.2) = 0.661 alone, as the heads term alone (-0.339) is named
    reverse_nats = 0.8 * math.log(0.8 / 0.5) + 0.2 * math.log(0.2 / 0.5)
    tails = 0.5 * math.log2(0.5 / 0.2)
    for answer in (reverse_nats, round(reverse_nats, 4), round(reverse_nats, 3)):
        text = str(ex3(answer))
        assert text.startswith("Not quite") and "D(Q||P) in nats: both the direction and the unit" in text, text
        assert "D(P||Q) in bits" in text and "np.log2" in text, text
    for answer in (tails, round(tails, 3)):
        text = str(ex3(answer))
        assert text.startswith("Not quite") and "the tails term alone; add the heads term" in text, text
    # in nats, the other direction is in bits
    reverse_bits = reverse_nats / math.log(2)
    text = str(exercises.check_stein_exponent(round(reverse_bits, 4), 0.5, 0.8, base=None))
    assert "D(Q||P) in bits: both the direction and the unit" in text and "np.log for" in text, text


@pytest.mark.parametrize("answer", [-2.041, -2.043])
def test_elbo_a_number_wrong_in_its_fourth_figure_is_correct_to_3_figures_only(answer):
    # -2.041 and -2.043 round to the right 3 figures (-2.04) of -2.0424, so they are accepted, but their 4th
    # figure is off: the message does not say the 4 figures are right, nor show the 4th
    _, right = quad_elbo()
    assert round(right, 2) == -2.04 and round(right, 3) == -2.042
    fb = ex2(answer)
    assert fb.correct, str(fb)
    text = str(fb)
    assert text.startswith("Correct to 3 significant figures: ELBO(q) = -2.04 nats."), text
    assert "-2.042" not in text and (f"At the 4 significant figures you gave, {answer} agrees with the right value "
                                     f"to 3 of them only") in text, text
    assert str(ex2(-2.042)).startswith("Correct: ") and str(ex2(right)).startswith("Correct: ")


def test_09_ex2_terms_rounded_to_2_significant_figures_name_that_route():
    # -0.83 - 1.2 is the float -2.03: E_q[log p(x|z)] and D(q||p(z)) each rounded to 2 figures, as for -2.05
    # (each to 2 decimal places)
    ell = -0.5 * math.log(2 * math.pi * 0.3**2) - ((1.0 - 1.2) ** 2 + 0.4**2) / (2 * 0.3**2)
    kl = math.log(1 / 0.4) + (0.4**2 + 1.2**2) / 2 - 0.5              # D(N(1.2, 0.4^2) || N(0, 1)), closed form
    assert float(f"{ell:.2g}") == -0.83 and float(f"{kl:.2g}") == 1.2 and -0.83 - 1.2 == -2.03
    for answer in (-2.03, -0.83 - 1.2):
        text = str(exercises.check_elbo(answer, 1.0, 0.3, 1.2, 0.4))
        assert text.startswith("Almost") and "each to 2 significant figures" in text, text


@pytest.mark.parametrize("answer", [0.5 * 0.05**2 * 6.3, 0.007875, 0.00788, 0.00775])
def test_09_ex1_the_fisher_information_rounded_on_the_way_is_named(answer):
    # I(0.2) = 6.25, rounded to 6.3 (half up) or 6.2 (half to even) before multiplying by delta^2 / 2: the
    # message must not say there was nothing to round on the way
    info, half_delta2 = 1 / (0.2 * 0.8), 0.5 * 0.05**2
    assert math.isclose(info, 6.25) and math.isclose(half_delta2 * info, 0.0078125)
    assert any(abs(answer - half_delta2 * w) <= 5e-6 for w in (round(info + 1e-9, 1), round(info - 1e-9, 1)))
    text = str(exercises.check_local_kl(answer, 0.2, 0.05))
    assert text.startswith("Almost") and "I(theta) rounded to 2 significant figures before multiplying" in text, text
    assert "nothing to round" not in text and "6.25" not in text, text


@pytest.mark.parametrize("answer, agree", [(0.17788, 3), (0.1779, 3), (0.17815, 4)])
def test_09_ex4_an_accepted_answer_with_wrong_later_figures_says_how_many_agree(answer, agree):
    # D(P*||P) = 0.178178: 0.17788 (six terms each rounded to 3 figures, summed) rounds to 0.178 but agrees to 3
    # figures only, not "off in the last one"
    fb = ex4(answer)
    assert fb.correct and f"agrees with the right value to {agree} of them only" in fb.message, fb.message


def test_09_ex1_a_short_number_the_rounded_route_gives_is_not_told_nothing_was_rounded():
    # 0.0079 is 0.007875 (I(theta) rounded to 6.3) rounded to 2 figures, and not 0.0078125 rounded: it was told
    # "nothing to round on the way"; 0.0078 and 0.008 stay right as far as they go
    assert round(0.007875, 4) == 0.0079 and round(0.0078125, 4) == 0.0078
    text = str(exercises.check_local_kl(0.0079, 0.2, 0.05))
    assert text.startswith("Not yet") and "rounded on the way" in text and "nothing to round" not in text, text
    for short in (0.0078, 0.008):
        assert str(exercises.check_local_kl(short, 0.2, 0.05)).startswith("Right as far as it goes")


@pytest.mark.parametrize("answer", [0.007806, 0.007808, 0.007811, 0.0078101])
def test_09_ex1_an_answer_right_to_3_figures_only_is_told_so(answer):
    # 1/2 delta^2 I(theta) = 0.0078125: these round to 0.00781 but their 4th figure is off; the check replaced the
    # shared "Correct to 3 significant figures" by a plain "Correct: ... = 0.0078125", against notebook 00's rule
    right = 0.5 * 0.05**2 / (0.2 * 0.8)
    assert round(answer, 5) == round(right, 5) and round(answer, 6) != round(right, 6)
    text = str(exercises.check_local_kl(answer, 0.2, 0.05))
    assert text.startswith("Correct to 3 significant figures") and "agrees with the right value to 3" in text, text
    assert str(exercises.check_local_kl(0.0078125, 0.2, 0.05)) == \
        "Correct: the quadratic approximation 1/2 delta^2 I(theta) = 0.0078125 nats."



def test_local_kl_nan_and_percentages_get_their_own_advice():
    # from a review: NaN got the generic text on logs of zero probabilities (the formula has no log), and
    # theta = 20 (percent) made I(theta) negative with no word on percentages
    text = str(ex1(float("nan")))
    assert "takes no logarithms" in text and "log" not in text.replace("logarithms", ""), text
    text = str(ex1(0.5 * 5 ** 2 / (20 * (1 - 20))))
    assert "not percentages" in text and "0.2 and 0.05" in text, text
