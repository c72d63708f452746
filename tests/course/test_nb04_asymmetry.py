"""Tests of klteach/course/nb04_asymmetry.py: notebook 04's figures, explorers and exercise checks.

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
from scipy.spatial.distance import jensenshannon
from test_feedback import P_EX, Q_EX, ex04_1, ex04_2, ex07_2, js_bits, kl, round_sig

from klteach import exercises as ex
from klteach import plots, widgets
from klteach.exercises import check_js, check_total_variation

matplotlib.use("Agg")


def test_js_distance_in_nats_is_converted_by_a_square_root():
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.4, 0.3])
    nats = jensenshannon(p, q)
    fb = check_js(nats, p, q, base=2, distance=True)
    assert "np.sqrt(np.log(2))" in str(fb)
    assert not check_js(nats / math.log(2), p, q, base=2, distance=True)      # the old advice: wrong
    assert check_js(nats / math.sqrt(math.log(2)), p, q, base=2, distance=True)


def test_js_divergence_and_distance():
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.4, 0.3])
    dist_bits = jensenshannon(p, q, base=2)
    dist_nats = jensenshannon(p, q)
    assert check_js(dist_bits, p, q, base=2, distance=True)
    assert check_js(dist_nats**2, p, q)
    fb = check_js(dist_bits**2, p, q, base=2, distance=True)
    assert not fb and "asks for the distance" in str(fb)
    fb = check_js(dist_nats, p, q)
    assert not fb and "square the unrounded number" in str(fb)
    fb = check_js(dist_nats, p, q, base=2, distance=True)
    assert not fb and "nats" in str(fb)
    m = (p + q) / 2
    fb = check_js(kl(p, m), p, q)
    assert not fb and "D(P||M) alone" in str(fb)
    fb = check_js(kl(p, q), p, q)
    assert not fb and "not with each other" in str(fb)


def test_js_bounds_of_disjoint_supports():
    assert check_js(math.log(2), [1, 0], [0, 1])
    assert check_js(1.0, [1, 0], [0, 1], base=2)
    fb = check_js(math.sqrt(math.log(2)), [1, 0], [0, 1])   # scipy's answer, the distance
    assert not fb and "scipy.spatial.distance.jensenshannon" in str(fb)


def test_total_variation_right_and_mistakes():
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.4, 0.3])
    assert check_total_variation(0.2, p, q)
    fb = check_total_variation(0.4, p, q)
    assert not fb and "without the factor 1/2" in str(fb)
    p, q = np.array([0.4, 0.4, 0.1, 0.1]), np.array([0.1, 0.1, 0.4, 0.4])   # TV = 0.6, max single = 0.3
    fb = check_total_variation(0.3, p, q)
    assert not fb and "single outcome" in str(fb)
    assert check_total_variation(0.6, p, q)


def test_nan_distance_points_at_the_square_root_of_a_negative_divergence():
    with np.errstate(invalid="ignore"):
        submission = np.sqrt(js_bits(P_EX, Q_EX, halve=False))          # M = P + Q: negative, then NaN
    assert math.isnan(submission)
    text = str(ex04_2(submission))
    assert "square root of a negative number" in text and "M = (P_ex + Q_ex) / 2" in text
    assert "0 * log(0)" not in text
    divergence = str(ex.check_js(js_bits(P_EX, Q_EX, halve=False), P_EX, Q_EX, base=2, names=("P_ex", "Q_ex")))
    assert divergence.startswith("Not quite") and "without the / 2" in divergence


def test_a_plain_list_is_called_a_list_and_a_leading_letter_is_read_as_the_choice():
    for fb in (ex04_1([0.1, 0.2, 0.1, 0.05]), ex07_2([0.1, 0.2, 0.1])):
        assert "a list of" in str(fb) and "shape" not in str(fb), str(fb)
    for answer in ("a, because b is mode-seeking", "the answer is a", "The answer is (a).", "answer is: a"):
        assert ex.check_choice(answer, "04-ex4").correct, answer
    assert not ex.check_choice("the answer is b", "04-ex4").correct
    assert "not one of the options" in str(ex.check_choice("the answer is about a", "04-ex4"))


def test_a_label_before_other_words_is_not_read_as_a_letter():
    for written in ("answer: about a", "the answer is about a", "answer: bits"):
        assert "not one of the options" in str(ex.check_choice(written, "04-ex4")), written


@pytest.mark.parametrize("written", ["b because a is wrong", "b since a is wrong", "B because it locks on"])
def test_04_07_second_pass_finding_9_a_letter_and_its_reason_without_punctuation(written):
    text = str(ex.check_choice(written, "04-ex4"))
    assert "is not one of the options" not in text and text == str(ex.check_choice("b", "04-ex4")), text
    assert "one letter" in str(ex.check_choice("a or b because", "04-ex4")) or \
        "is not one of" in str(ex.check_choice("a or b because", "04-ex4"))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.slow
def test_gaussian_fits_three_curves_three_line_styles():
    from klteach import fits
    w, m, s = [0.6, 0.4], [-2, 2], [1, 1]
    ax = plots.gaussian_fits(w, m, s, fits.fit_gaussian(w, m, s, direction="forward"),
                             fits.fit_gaussian(w, m, s, direction="reverse"))
    assert len({line.get_linestyle() for line in ax.get_lines()}) == 3


def test_fit_scan_draws_each_fit_per_separation_with_its_own_line_style():
    from klteach.fits import GaussianFit
    seps = [0.0, 4.0, 8.0]
    fwd = [GaussianFit(-0.1 * d, 1 + d, 0.0) for d in seps]
    rev = [GaussianFit(-d / 2, 1.0, 0.0) for d in seps]
    left, right = plots.fit_scan(seps, fwd, rev)
    assert [list(line.get_ydata()) for line in left.get_lines()[:2]] == [[0.0, -0.4, -0.8], [0.0, -2.0, -4.0]]
    assert [list(line.get_ydata()) for line in right.get_lines()[:2]] == [[1.0, 5.0, 9.0], [1.0, 1.0, 1.0]]
    assert len({line.get_linestyle() for line in left.get_lines()}) == 3
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in (left, right))


pytestmark = pytest.mark.usefixtures("fifty_digits")   # mpmath at 50 digits (tests/course/conftest.py)


@pytest.mark.slow
def test_mixture_fit_title_shows_the_slider_step_of_a_quarter(monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt


    monkeypatch.setattr(plt, "show", lambda: None)
    widgets.show_gaussian_fits(separation=5.25, weight=0.6)
    assert plt.gca().get_title().startswith("Modes 5.25 apart")
    assert capsys.readouterr().out.startswith("modes 5.25 apart")
    plt.close("all")


def _tv_ex3(a):
    return ex.check_total_variation(a, P_EX, Q_EX, names=("P_ex", "Q_ex"))


def test_total_variation_names_the_other_distances_and_nothing_rounds():
    tv = float(np.sum(np.abs(P_EX - Q_EX))) / 2                      # exactly 0.3: short decimals
    assert abs(tv - 0.3) < 1e-15
    jsd = math.sqrt(js_bits(P_EX, Q_EX))                             # Exercise 2's answer, 0.2957 bits
    jsd_nats = jensenshannon(P_EX, Q_EX)                             # scipy: natural log, 0.2462
    hellinger = math.sqrt(0.5 * float(np.sum((np.sqrt(P_EX) - np.sqrt(Q_EX)) ** 2)))    # 0.2501
    mean_abs = float(np.mean(np.abs(P_EX - Q_EX)))                   # 0.15
    cases = ((jsd, "Jensen-Shannon distance in bits"), (round_sig(jsd, 3), "Jensen-Shannon distance in bits"),
             (jsd_nats, "Jensen-Shannon distance in nats"), (hellinger, "Hellinger distance"),
             (round_sig(hellinger, 4), "Hellinger distance"), (mean_abs, "the mean of |P_ex(x) - Q_ex(x)|"))
    for given, words in cases:
        text = str(_tv_ex3(given))
        # each names the other distance and says, in words, how TV differs (no solution line)
        assert text.startswith("Not quite") and words in text and "sum |P_ex(x) - Q_ex(x)| / 2" not in text, text
        assert "rounded on the way" not in text and "round one" not in text, text
    # near 0.3, matching nothing: not asked about rounding (nothing to round), told to check each step
    text = str(_tv_ex3(0.298))
    assert text.startswith("Close") and "nothing to round on the way" in text and "round one" not in text, text
    assert _tv_ex3(tv).correct and _tv_ex3(0.3).correct



def test_js_nan_with_zeros_names_a_mask_per_divergence_not_a_garbled_expression():
    P, Q = np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5])
    text = str(ex.check_js(float("nan"), P, Q))
    assert "m = P > 0 in D(P||M)" in text and "m = Q > 0 in D(Q||M)" in text, text
    assert "P and Q[m]" not in text and "np.log" not in text, text
    M = (P + Q) / 2
    assert np.all(M[P > 0] > 0) and np.all(M[Q > 0] > 0)      # the masks leave no log of 0


def test_ex2_ex3_hints_describe_the_step_and_conversions_use_past_tenses():
    """04 ex 3: every "Not yet" ended "TV(P_ex, Q_ex) = sum |P_ex(x) - Q_ex(x)| / 2"; 04 ex 2's "Not yet" was
    the solution's three steps; check_js(0.539, P_ex, Q_ex, base=2, distance=True, names=("P_ex", "Q_ex"))
    printed "(multiplyd by np.log(10) / np.log(2))"."""
    tv = str(check_total_variation(0.9, P_EX, Q_EX, names=("P_ex", "Q_ex")))
    assert tv.startswith("Not yet") and "sum |P_ex(x) - Q_ex(x)| / 2" not in tv and "no logarithm" in tv, tv
    for wrong in (float(jensenshannon(P_EX, Q_EX, base=2)), float(jensenshannon(P_EX, Q_EX)),
                  float(np.sqrt(np.sum((np.sqrt(P_EX) - np.sqrt(Q_EX)) ** 2) / 2)),
                  float(np.sqrt(kl(P_EX, Q_EX) / 2))):
        text = str(check_total_variation(wrong, P_EX, Q_EX, names=("P_ex", "Q_ex")))
        assert text.startswith("Not quite") and "sum |P_ex(x) - Q_ex(x)| / 2" not in text, (wrong, text)
    js = str(ex04_2(0.9))
    assert js.startswith("Not yet") and "M = (P_ex + Q_ex) / 2" not in js and "average M" in js, js
    # the distance in base 10, converted with the divergence's factor ln 10 / ln 2 instead of its square root
    d10 = float(jensenshannon(P_EX, Q_EX, base=10)) * math.log(10) / math.log(2)
    assert round_sig(d10, 3) == 0.539
    text = str(check_js(0.539, P_EX, Q_EX, base=2, distance=True, names=("P_ex", "Q_ex")))
    assert "(multiplied by np.log(10) / np.log(2))" in text and "multiplyd" not in text, text


def test_04_hints_describe_the_step_in_words_not_the_solution_formula():
    exercises = ex
    # 04 cell 39: exercises.check_js(0.3, P_ex, Q_ex, base=2, distance=True, names=("P_ex", "Q_ex")) printed
    # "TV(P_ex, Q_ex) = sum |P_ex(x) - Q_ex(x)| / 2", exercise 3's formula; 04 cell 42: an array answer,
    # np.abs(P_ex - Q_ex), got "Sum the absolute differences over outcomes, then halve."; the square root of
    # one half spelled out the whole Jensen-Shannon recipe
    p_ex, q_ex = np.array([0.05, 0.45, 0.35, 0.15]), np.array([0.25, 0.3, 0.2, 0.25])
    tv = sum(abs(a - b) for a, b in zip(p_ex, q_ex)) / 2
    assert abs(tv - 0.3) < 1e-12
    text = str(exercises.check_js(0.3, p_ex, q_ex, base=2, distance=True, names=("P_ex", "Q_ex")))
    assert text.startswith("Not quite: 0.3 matches the total variation distance TV(P_ex, Q_ex)"), text
    assert "sum |" not in text and "/ 2" not in text, text
    text = str(exercises.check_total_variation(np.abs(p_ex - q_ex), p_ex, q_ex, names=("P_ex", "Q_ex")))
    assert text.startswith("Your answer is an array of 4 numbers"), text
    assert "halve" not in text and "Sum the absolute" not in text and "TV's definition" in text, text
    m = (p_ex + q_ex) / 2
    half = math.sqrt(sum(a * math.log2(a / c) for a, c in zip(p_ex, m)))
    text = str(exercises.check_js(half, p_ex, q_ex, base=2, distance=True, names=("P_ex", "Q_ex")))
    assert text.startswith("Not quite: ") and "D(P_ex||M) alone" in text, text
    assert "(D(P_ex||M) + D(Q_ex||M)) / 2" not in text and "M = (P_ex + Q_ex) / 2" not in text, text
