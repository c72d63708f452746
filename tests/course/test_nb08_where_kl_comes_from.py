"""Tests of klteach/course/nb08_where_kl_comes_from.py: notebook 08's figures, explorers and exercise checks.

Expected values come from independent formulas written here or in test_feedback.py (or scipy),
never from the checks themselves.
"""

from __future__ import annotations

import math
from decimal import Decimal

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from test_feedback import P_R8, P_X8, Q_R8, Q_X8, W8

from klteach import exercises, plots, widgets
from klteach import exercises as ex
from klteach.course import nb08_where_kl_comes_from

matplotlib.use("Agg")


P_EX8, Q_EX8 = np.array([0.6, 0.3, 0.1]), np.array([0.3, 0.3, 0.4])     # notebook 08's Exercise 3


def test_renyi_check_names_the_missing_factor_for_other_orders():
    s3 = float(np.sum(P_R8 ** 3 / Q_R8 ** 2))
    assert ex.check_renyi(0.5 * math.log(s3), P_R8, Q_R8, 3).correct
    assert "1/(alpha - 1)" in str(ex.check_renyi(math.log(s3), P_R8, Q_R8, 3))
    with pytest.raises(ValueError, match="alpha"):
        ex.check_renyi(0.1, P_R8, Q_R8, 1)


def test_maximum_likelihood_choice():
    assert exercises.check_choice("a", "08-ex4").correct
    assert "reverse" in str(exercises.check_choice("b", "08-ex4"))


@pytest.mark.parametrize("written", ["a, b", "a, d", "(a) or (b)", "b, a", "a or b", "a b", "a and b", "a/b",
                                     "answer: a or b"])
def test_choice_naming_two_options_asks_for_one_letter(written):
    """"a, b", "a, d" and "(a) or (b)" were marked Correct (their first letter is the right one)."""
    fb = exercises.check_choice(written, "08-ex4")
    assert not fb.correct and "more than one option" in str(fb) and "give one letter" in str(fb)


@pytest.mark.parametrize("written", ["option a", "answer a", "A - forward", "a, because b is the reverse",
                                     "a, since a model with more parameters", "The answer is (a)."])
def test_choice_reads_one_letter_with_its_words(written):
    """"answer a" and "A - forward" were refused while "option a" was read; an article or a letter in a
    sentence after the choice is not a second option."""
    assert exercises.check_choice(written, "08-ex4").correct


def test_channel_check_docstring_does_not_give_the_exercise_answer():
    doc = ex.check_channel_kl.__doc__
    py, qy = P_X8 @ W8, Q_X8 @ W8
    d_y = float(np.sum(py * np.log2(py / qy)))
    assert f"{d_y:.4f}" not in doc and "[0.7, 0.2, 0.1]" not in doc
    for check in (ex.check_mutual_information, ex.check_renyi):
        assert "0.2516" not in check.__doc__ and "0.4220" not in check.__doc__


def test_renyi_exercise_answer_is_not_the_printed_english_german_value():
    """D_2(P_ex||Q_ex) was 0.381571, which rounds to the 0.382 printed for D_2(English||German):
    check_renyi(0.382082, ...) said Correct."""
    d2 = math.log(float(np.sum(P_EX8 ** 2 / Q_EX8)))
    assert round(d2, 3) != 0.382
    assert not ex.check_renyi(0.382082, P_EX8, Q_EX8, 2, names=("P_ex", "Q_ex")).correct
    assert ex.check_renyi(d2, P_EX8, Q_EX8, 2, names=("P_ex", "Q_ex")).correct
    jeffreys = float(np.sum((P_EX8 - Q_EX8) * np.log(P_EX8 / Q_EX8)))
    assert "Jeffreys" in str(ex.check_renyi(jeffreys, P_EX8, Q_EX8, 2, names=("P_ex", "Q_ex")))


def test_maximum_likelihood_choice_says_discrete_and_continuous():
    fb = str(exercises.check_choice("a", "08-ex4"))
    assert "continuous data" in fb and "D(P||Q_theta)" in fb


P, Q = np.array([0.36, 0.48, 0.16]), np.full(3, 1 / 3)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_renyi_orders_draws_the_curve_each_special_order_with_its_own_marker_and_the_limit():
    ax = plots.renyi_orders([0, 1, 2], [0.0, 0.1, 0.15], special={0.5: 0.05, 1.0: 0.1, 2.0: 0.15},
                            limit=0.36, current=(1.5, 0.12))
    markers = [line.get_marker() for line in ax.get_lines()[1:4]]
    assert len(set(markers)) == 3
    assert ax.get_lines()[0].get_ydata().tolist() == [0.0, 0.1, 0.15]
    assert "$D_\\infty$" in ax.get_legend().get_texts()[-2].get_text()      # mathtext, not a literal underscore
    assert "[nats]" in ax.get_ylabel() and "α" in ax.get_xlabel()


@pytest.mark.slow
def test_show_renyi_prints_the_special_orders_by_their_closed_forms(capsys):
    value = widgets.show_renyi(P, Q, 2.0)
    out = capsys.readouterr().out
    chi2 = np.sum((P - Q) ** 2 / Q)
    assert value == pytest.approx(math.log1p(chi2), rel=1e-12)
    assert f"2: {math.log1p(chi2):.4f}" in out
    assert f"inf: {math.log(0.48 * 3):.4f}" in out
    bc = np.sum(np.sqrt(P * Q))
    assert f"1/2: {-2 * math.log(bc):.4f}" in out
    kl = float(np.sum(P * np.log(P / Q)))
    assert f"1 (KL): {kl:.4f}" in out


def test_renyi_explorer_redraws_when_the_slider_moves(monkeypatch):
    calls = []
    monkeypatch.setattr(nb08_where_kl_comes_from, "show_renyi", lambda p, q, alpha, **kw: calls.append(alpha))
    box = widgets.renyi_explorer(P, Q, alpha=0.5)
    (slider,) = box.children[0].children
    slider.value = 3.0
    assert calls[-1] == 3.0
    assert slider.description == "order α"


@pytest.mark.slow
def test_show_renyi_title_starts_where_the_curve_starts():
    """D_0 = -log Q(supp P): 0 when Q has no mass outside P's support, and the title says so; else its value."""
    widgets.show_renyi(P, Q, 2.0)
    assert "from 0 at α = 0" in plt.gca().get_title()
    plt.close("all")
    p, q = [0.5, 0.5, 0.0], [0.2, 0.3, 0.5]
    widgets.show_renyi(p, q, 2.0)
    d0 = -math.log(0.2 + 0.3)                       # 0.6931: Q puts 0.5 where P has nothing
    title = plt.gca().get_title()
    assert f"from {d0:.4f} nats at α = 0" in title and "from 0 " not in title


def test_the_highlighted_order_stays_visible_on_a_special_marker():
    ax = plots.renyi_orders([0, 1, 2], [0.0, 0.1, 0.15], special={1.0: 0.1}, current=(1.0, 0.1))
    circle, diamond = ax.get_lines()[1], ax.get_lines()[2]
    assert circle.get_markerfacecolor() == "none"               # open: the diamond under it shows through
    assert diamond.get_markersize() < circle.get_markersize()


@pytest.mark.slow
def test_show_renyi_with_q_zero_where_p_is_positive_marks_where_it_becomes_infinite():
    """show_renyi([.5, .5], [1., 0.], 0.5): the x-axis stopped at 0.95, the curve jumped to 13 nats in 0.05
    steps, and the legend listed KL and alpha = 2 markers that were not drawn (both infinite)."""
    widgets.show_renyi([0.5, 0.5], [1.0, 0.0], 0.5)
    ax = plt.gca()
    assert ax.get_xlim() == (0.0, 10.0)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any("KL" in t or "χ²" in t or "D_\\infty$ = log" in t for t in labels)      # infinite: not listed
    assert any("α ≥ 1" in t and "infty" in t for t in labels)
    assert "infinite from α = 1 on" in ax.get_title()
    curve = ax.get_lines()[0]
    x, y = np.asarray(curve.get_xdata()), np.asarray(curve.get_ydata())
    finite = np.isfinite(y)
    assert x[finite].max() >= 0.999                                 # the rise towards alpha = 1 is drawn
    # the curve is D_alpha = alpha log 2 / (1 - alpha) (sum p^a q^(1-a) = 0.5^a), on a fine grid near 1
    assert np.allclose(y[finite], x[finite] * math.log(2) / (1 - x[finite]), rtol=1e-12)
    top = ax.get_ylim()[1]
    assert top < 100                                                # the axis shows the rise, not the 700 nats near 1
    shown = finite & (y <= top)
    assert np.any(finite & (y > top))                               # the curve leaves the frame at the top
    first_out = np.argmax(finite & (y > top))
    path = y[: first_out + 1]                                       # up to and including the first point above it
    assert np.max(np.diff(path[np.isfinite(path)])) < 0.1 * top or y[first_out - 1] > 0.9 * top
    assert shown.sum() > 30


@pytest.mark.slow
def test_show_renyi_without_infinite_orders_has_no_infinity_marks():
    widgets.show_renyi(P, Q, 2.0)
    ax = plt.gca()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sum("α = " in t for t in labels) == 4 and not any("α ≥" in t for t in labels)
    assert "infinite" not in ax.get_title()


def _ex08_3(a):
    return exercises.check_renyi(a, P_EX8, Q_EX8, 2, names=("P_ex", "Q_ex"))


def test_the_sum_without_its_log_advice_followed_on_a_rounded_sum():
    s = float(np.sum(P_EX8**2 / Q_EX8))                     # 1.525
    right = math.log(s)                                      # 0.4220 nats
    text = str(_ex08_3(s))
    assert "without its logarithm" in text and "log of the unrounded sum" in text, text
    assert _ex08_3(math.log(s)).correct                      # followed on the unrounded sum
    # followed on the 3 figures 1.52 (or 1.53): the honest rounding message, naming the rounded sum
    for rounded in (1.52, 1.53):
        text = str(_ex08_3(math.log(rounded)))
        assert abs(math.log(rounded) - right) > 0.002                       # wrong in its 3rd figure: "Almost"
        assert text.startswith("Almost: ") and f"rounded to 3 significant figures ({rounded})" in text, text
        assert "check each step" not in text, text
    # and rounded again to 3 figures, it is asked whether it rounded on the way
    text = str(_ex08_3(round(math.log(1.52), 3)))
    assert text.startswith("Almost") and "round an intermediate result" in text, text
    assert abs(right - 0.42199) < 1e-5


def test_the_chi_square_advice_followed_on_a_rounded_chi2():
    chi2 = float(np.sum((P_EX8 - Q_EX8) ** 2 / Q_EX8))        # 0.525
    text = str(_ex08_3(chi2))
    assert "chi-square" in text and "unrounded chi2" in text, text
    assert _ex08_3(math.log1p(chi2)).correct
    text = str(_ex08_3(math.log1p(0.52)))
    # log1p(0.52) is log(1.52): the chi2 rounded to 2 figures and the sum rounded to 3 give one number, either reading
    assert text.startswith("Almost: ") and ("(0.52)" in text or "(1.52)" in text), text     # 0.4187, not 0.422


def test_08_ex3_cut_off_names_no_base_10_route():
    right = math.log(float(np.sum(P_EX8**2 / Q_EX8)))
    assert math.floor(right * 1000) / 1000 == 0.421
    text = str(_ex08_3(0.421))
    assert text.startswith("Almost: 0.421 is") and "cut off" in text and "base-10" not in text, text


def test_a_negative_mutual_information_names_both_ways_of_getting_the_sign_wrong():
    joint = np.array([[0.3, 0.1], [0.1, 0.5]])
    px, py = joint.sum(1), joint.sum(0)
    h = lambda v: -float(np.sum(v * np.log2(v)))      # entropy in bits, as the exercise asks
    backwards = h(joint.ravel()) - h(px) - h(py)      # H(X,Y) - H(X) - H(Y): the subtraction reversed
    text = str(exercises.check_mutual_information(backwards, joint))
    assert "ratio is upside down" in text and "subtraction of entropies is the wrong way round" in text, text


def test_ex2_ex3_hints_describe_the_step_and_print_no_solution_line():
    """08 ex 2: check_channel_kl printed np.sum(P_Y * np.log2(P_Y / Q_Y)), the solution, for an array P_Y, the
    mean over the outputs (0.09436), the unweighted sum (-0.4150) and a negative answer; 08 ex 3: the D_inf
    mistake (np.log(np.max(P_ex / Q_ex))) printed np.log(np.sum(P_ex**2 * Q_ex**(-1))) / (2 - 1)."""
    py, qy = P_X8 @ W8, Q_X8 @ W8
    d = float(np.sum(py * np.log2(py / qy)))

    def check(a):
        return str(ex.check_channel_kl(a, P_X8, Q_X8, W8, base=2, names=("P_X", "Q_X"), channel_name="W"))

    answers = {"array": py, "mean": float(np.mean(py * np.log2(py / qy))),
               "unweighted": float(np.sum(np.log2(py / qy))), "negative": -d}
    assert abs(answers["mean"] - 0.09436) < 1e-5 and abs(answers["unweighted"] + 0.4150) < 1e-4
    for label, a in answers.items():
        text = check(a)
        assert "np.sum(P_Y * np.log2(P_Y / Q_Y))" not in text and "np.sum(P_Y *" not in text, (label, text)
    assert "push Q_X through the channel the same way" in check(py), check(py)
    assert "weight each log ratio by P_Y" in check(answers["unweighted"])
    assert "weight each log ratio by P_Y" in check(answers["negative"])
    assert "(np.sum)" in check(answers["mean"]) and "mean over the 2 outputs" in check(answers["mean"])
    P_ex, Q_ex = np.array([0.6, 0.3, 0.1]), np.array([0.3, 0.3, 0.4])             # the notebook's exercise 3
    d_inf = float(np.log(np.max(P_ex / Q_ex)))
    assert abs(d_inf - math.log(2)) < 1e-12                              # max(0.6/0.3, 0.3/0.3, 0.1/0.4) = 2
    text = str(ex.check_renyi(d_inf, P_ex, Q_ex, 2, names=("P_ex", "Q_ex")))
    assert text.startswith("Not quite") and "D_inf(P_ex||Q_ex)" in text, text
    assert "np.log(np.sum(" not in text and "Q_ex**(-1)" not in text and "every outcome" in text, text


def test_08_ex1_the_cut_off_with_rounded_entropies_also_offers_the_unrounded_number_itself():
    # exercises.check_mutual_information(0.251, joint_ex, base=2, name="joint_ex", variables=("X", "Y")): I(X;Y)
    # = H(X) + H(Y) - H(X,Y) is 0.2516 bits, so 0.251 is it cut off; like every other cut-off message, this one
    # offers giving the unrounded number itself
    joint_ex = np.array([[0.40, 0.05], [0.20, 0.10], [0.05, 0.20]])
    px, py = joint_ex.sum(axis=1), joint_ex.sum(axis=0)
    mi = sum(joint_ex[i, j] * math.log2(joint_ex[i, j] / (px[i] * py[j])) for i in range(3) for j in range(2))
    assert math.floor(mi * 1000) / 1000 == 0.251 and round(mi, 3) == 0.252
    msg = str(exercises.check_mutual_information(0.251, joint_ex, base=2, name="joint_ex", variables=("X", "Y")))
    assert msg.startswith("Almost: 0.251 is I(X;Y) cut off after 3 significant figures"), msg
    assert "Round (do not truncate) the unrounded number your code computed to 3 significant figures, or give that " \
           "number itself" in msg, msg


def test_08_ex2_hints_describe_the_step_in_words_not_the_solution_line():
    # 08 cell 54: exercises.check_channel_kl(np.array([.1, .2, .3]), P_X, Q_X, W, base=2, names=("P_X", "Q_X"),
    # channel_name="W") printed "D(P_Y||Q_Y) = sum P_Y * log(P_Y / Q_Y) ... (P_Y = P_X @ W)", and 0.35, the input
    # divergence minus the output divergence, was given the solution cell, "P_Y = P_X @ W and Q_Y = Q_X @ W"
    p_x, q_x = np.array([0.7, 0.2, 0.1]), np.array([0.3, 0.3, 0.4])
    w = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])
    p_y = [sum(p_x[i] * w[i, j] for i in range(3)) for j in range(2)]
    q_y = [sum(q_x[i] * w[i, j] for i in range(3)) for j in range(2)]
    d_x = sum(a * math.log2(a / b) for a, b in zip(p_x, q_x))
    d_y = sum(a * math.log2(a / b) for a, b in zip(p_y, q_y))
    assert round(d_x - d_y, 3) == 0.35

    def check(answer):
        return str(exercises.check_channel_kl(answer, p_x, q_x, w, base=2, names=("P_X", "Q_X"), channel_name="W"))

    for answer in (np.array([.1, .2, .3]), 0.35, d_x, 0.9):
        text = check(answer)
        assert not text.startswith("Correct"), text
        assert "@" not in text and "log(P_Y / Q_Y)" not in text and "sum P_Y" not in text, (answer, text)
    assert "weight each output's log ratio by P_Y and sum" in check(np.array([.1, .2, .3]))
    assert check(0.35).startswith("Not quite: 0.35 matches D(P_X||Q_X) - D(P_Y||Q_Y)")


def test_08_ex1_the_unweighted_sum_message_is_not_the_solution_line():
    """check_mutual_information(-1.745, joint_ex, base=2, name="joint_ex", variables=("X", "Y")) said "the
    unweighted sum of np.log2(joint_ex / np.outer(p_x, p_y)) ... each log ratio is weighted by its cell's
    probability in joint_ex before the sum": together the solution, with p_x and p_y from the solution only."""
    joint_ex = np.array([[0.40, 0.05], [0.20, 0.10], [0.05, 0.20]])
    px, py = joint_ex.sum(axis=1), joint_ex.sum(axis=0)
    unweighted = sum(math.log2(joint_ex[i, j] / (px[i] * py[j])) for i in range(3) for j in range(2))
    assert round(unweighted, 3) == -1.745
    for answer in (-1.745, unweighted, -unweighted):
        text = str(exercises.check_mutual_information(answer, joint_ex, base=2, name="joint_ex",
                                                      variables=("X", "Y")))
        assert "the unweighted sum of the log ratios of joint_ex to the product of the marginals" in text, text
        assert "np." not in text and "p_x" not in text and "p_y" not in text, text


def test_08_ex3_messages_describe_the_steps_without_the_expression():
    """check_renyi(-0.6766, P_ex, Q_ex, 2, ...) (the log of the mean) ended "np.log(np.sum(...)) / (alpha - 1)",
    and the hint and the negative message said "sum P_ex**alpha * Q_ex**(1 - alpha) over the outcomes, take the
    log ... divide by alpha - 1 (here alpha = 2)": with alpha = 2, the solution np.log(np.sum(P_ex**2 / Q_ex))."""
    s = float(np.sum(P_EX8**2 / Q_EX8))
    log_mean = math.log(s / 3)
    assert round(log_mean, 4) == -0.6766
    answers = {"log of the mean": -0.6766, "negative": -2.5, "far": 0.9, "reverse": math.log(np.sum(Q_EX8**2 / P_EX8)),
               "q power": math.log(np.sum(P_EX8**2 * Q_EX8)), "sum of logs": float(np.sum(np.log(P_EX8**2 / Q_EX8))),
               "no log": s, "order 1/2": -2 * math.log(np.sum(np.sqrt(P_EX8 * Q_EX8)))}
    texts = {label: str(_ex08_3(a)) for label, a in answers.items()}
    assert "log of the mean" in texts["log of the mean"] and "not of their mean" in texts["log of the mean"]
    assert "Add the terms over the outcomes first" in texts["negative"], texts["negative"]
    assert "here alpha = 2" in texts["far"] and "to the power 1 - alpha" in texts["far"], texts["far"]
    for label, text in texts.items():
        assert not text.startswith("Correct"), (label, text)
        assert "**" not in text and "np.sum" not in text and "np.log(" not in text, (label, text)


def test_08_ex1_the_upside_down_ratio_is_told_to_put_the_joint_table_on_top():
    """np.sum(np.log2(np.outer(p_x, p_y) / joint_ex)) = 1.745 was told "the order of the ratio is right": for that
    learner the ratio is upside down. The message says so, and says what to do, as an instruction."""
    joint_ex = np.array([[0.40, 0.05], [0.20, 0.10], [0.05, 0.20]])
    p_x, p_y = joint_ex.sum(axis=1), joint_ex.sum(axis=0)
    upside_down = np.sum(np.log2(np.outer(p_x, p_y) / joint_ex))
    by_hand = sum(math.log2(p_x[i] * p_y[j] / joint_ex[i, j]) for i in range(3) for j in range(2))
    assert upside_down == pytest.approx(by_hand, rel=1e-12) and round(by_hand, 3) == 1.745
    for answer in (upside_down, 1.745, 1.75):
        text = str(exercises.check_mutual_information(answer, joint_ex, base=2, name="joint_ex",
                                                      variables=("X", "Y")))
        assert "with its sign flipped (the ratio upside down, or a stray minus): put joint_ex over the product of " \
               "the marginals, weight each log ratio by its cell's probability in joint_ex, then sum." in text, text
        assert "the order of the ratio is right" not in text, text


def test_08_ex1_the_unweighted_sum_is_told_to_weight_as_an_instruction():
    """The unweighted sum of the log ratios (np.sum(np.log2(joint_ex / np.outer(p_x, p_y))), -1.745) read "each
    log ratio is weighted by its cell's probability in joint_ex before the sum", like a description of what was
    done; it is an instruction now."""
    joint_ex = np.array([[0.40, 0.05], [0.20, 0.10], [0.05, 0.20]])
    p_x, p_y = joint_ex.sum(axis=1), joint_ex.sum(axis=0)
    unweighted = sum(math.log2(joint_ex[i, j] / (p_x[i] * p_y[j])) for i in range(3) for j in range(2))
    text = str(exercises.check_mutual_information(np.sum(np.log2(joint_ex / np.outer(p_x, p_y))), joint_ex, base=2,
                                                  name="joint_ex", variables=("X", "Y")))
    assert round(unweighted, 3) == -1.745
    assert "weight each log ratio by its cell's probability in joint_ex, then sum." in text, text
    assert "is weighted by" not in text, text


def _entropies_08_ex1():
    """H(X), H(Y), H(X,Y) of notebook 08's joint_ex in bits, and I(X;Y), written out here."""
    joint_ex = np.array([[0.40, 0.05], [0.20, 0.10], [0.05, 0.20]])
    px, py = joint_ex.sum(axis=1), joint_ex.sum(axis=0)
    h = [-sum(p * math.log2(p) for p in ps) for ps in (px, py, joint_ex.ravel())]
    return joint_ex, h


@pytest.mark.parametrize("answer", [0.2541, 0.2539])
def test_08_ex1_a_number_one_unit_off_the_rounded_entropies_combined_is_not_named_as_that_route(answer):
    # exercises.check_mutual_information(0.2541, joint_ex, base=2, name="joint_ex", variables=("X","Y")) said
    # "0.2541 is what H(X) + H(Y) - H(X,Y) gives with the entropies rounded first (e.g. each to 3 significant
    # figures: H(X) = 1.54, H(Y) = 0.934, H(X,Y) = 2.22)", but 1.54 + 0.934 - 2.22 is exactly 0.254 (0.2539 the same)
    joint_ex, h = _entropies_08_ex1()
    rounded = [float(f"{v:.3g}") for v in h]
    assert rounded == [1.54, 0.934, 2.22]
    assert Decimal("1.54") + Decimal("0.934") - Decimal("2.22") == Decimal("0.254")
    msg = str(exercises.check_mutual_information(answer, joint_ex, base=2, name="joint_ex", variables=("X", "Y")))
    assert not msg.startswith("Correct") and "with the entropies rounded first" not in msg, msg


def test_08_ex1_the_rounded_entropies_route_opens_with_the_learners_number():
    # "Almost: near I(X;Y) but not I(X;Y) rounded; it looks like ..." had no subject: the number comes first.
    # 1.539 + 0.934 - 2.222 (each entropy to 3 decimal places) is the float 0.2509999999999999
    joint_ex, h = _entropies_08_ex1()
    assert [round(v, 3) for v in h] == [1.539, 0.934, 2.222]
    answer = 1.539 + 0.934 - 2.222
    assert answer != 0.251
    msg = str(exercises.check_mutual_information(answer, joint_ex, base=2, name="joint_ex", variables=("X", "Y")))
    assert msg.startswith("Almost: 0.251 is near I(X;Y) but not I(X;Y) rounded; it looks like a result rounded on "
                          "the way: it is what H(X) + H(Y) - H(X,Y) gives with the entropies rounded first"), msg
