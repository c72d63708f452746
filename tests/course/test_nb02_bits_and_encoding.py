"""Tests of klteach/course/nb02_bits_and_encoding.py: notebook 02's figures, explorers and exercise checks.

Expected values come from independent formulas written here or in test_feedback.py (or scipy),
never from the checks themselves.
"""

from __future__ import annotations

import math
import re
import warnings
from fractions import Fraction

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest
from test_feedback import (
    CE_02,
    CE_TP,
    H_SPANISH,
    H_TARGET,
    KL_TP,
    LABEL,
    P_SENSOR,
    P_TARGET,
    Q_IMAGE,
    Q_PRED,
    before_unrounded,
    bits,
    ce,
    ex02_1,
    ex02_3,
    ex02_4,
    ex03_1,
    ex03_2,
    ex03_3,
    kl,
    round_sig,
)

from klteach import exercises, plots
from klteach import exercises as ex
from klteach.exercises import check_cross_entropy, check_huffman_length

matplotlib.use("Agg")


P3, Q3 = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])


def test_recording_through_the_environment_variable(tmp_path, monkeypatch):
    import json
    path = tmp_path / "checks.jsonl"
    monkeypatch.setenv(exercises.RECORD_ENV, str(path))
    exercises.check_entropy(..., [0.5, 0.25, 0.25], base=2)
    [entry] = [json.loads(line) for line in path.read_text().splitlines()]
    assert entry["what"] == "H(P)" and entry["expected"] == pytest.approx(1.5)
    assert any("nats" in e for _, e in entry["mistakes"])


def test_check_entropy():
    p = [0.5, 0.25, 0.25]
    assert exercises.check_entropy(1.5, p, base=2).correct
    fb = exercises.check_entropy(1.5 * math.log(2), p, base=2)
    assert not fb.correct and "nats" in fb.message
    fb = exercises.check_entropy(bits(-np.sum(np.log(p))), p, base=2)
    assert not fb.correct and "without weights" in fb.message
    fb = exercises.check_entropy(-1.5, p, base=2)                  # the minus sign left out
    assert "minus sign" in fb.message and "ratio inside the log" not in fb.message


@pytest.mark.parametrize("scale", [10, 100])
def test_entropy_from_counts_or_percentages_is_named_not_blamed_on_the_minus_sign(scale):
    p = np.array([0.7, 0.1, 0.1, 0.1])
    counts = scale * p
    h = -sum(a * math.log2(a) for a in p)
    for answer, words in [(-np.sum(counts / scale * np.log2(counts)), f"logs taken of {scale} x P_sensor(x)"),
                          (-np.sum(counts * np.log2(counts)), "both as the weights and inside the log"),
                          (-np.sum(counts * np.log2(p)), f"H(P_sensor) times {scale}")]:
        fb = exercises.check_entropy(answer, p, base=2, name="P_sensor")
        assert not fb.correct and words in fb.message and "minus sign" not in fb.message, fb.message
    assert exercises.check_entropy(round(h, 3), p, base=2, name="P_sensor").correct
    fb = check_huffman_length(scale * 1.5, p, name="P_sensor")     # lengths 1, 2, 3, 3 weighted by counts
    assert not fb.correct and f"times {scale}: the lengths weighted by counts" in fb.message, fb.message


def test_entropy_is_not_the_huffman_average():
    p = np.array([0.7, 0.1, 0.1, 0.1])
    # Huffman by hand: merge 0.1 + 0.1, then 0.1 + 0.2, then 0.3 + 0.7 -> lengths 1, 2, 3, 3
    huffman = 0.7 * 1 + 0.1 * (2 + 3 + 3)
    h = float(-np.sum(p * np.log2(p)))
    assert huffman == pytest.approx(1.5) and h == pytest.approx(1.35678, abs=1e-5)
    assert "Huffman" in str(exercises.check_entropy(huffman, p, base=2))
    assert exercises.check_huffman_length(huffman, p).correct
    assert "ideal lengths" in str(exercises.check_huffman_length(h, p))


def test_cross_entropy_right_answer_in_nats_and_bits():
    assert check_cross_entropy(ce(P3, Q3), P3, Q3)
    fb = check_cross_entropy(ce(P3, Q3, np.log2), P3, Q3, base=2)
    assert fb and "bits" in str(fb)
    assert check_cross_entropy(0.152, [1, 0], [0.9, 0.1], base=2)    # dog/cat: 0.152 bits


@pytest.mark.parametrize("wrong,words", [
    (kl(P3, Q3), "D(P||Q), the extra part only"),
    (float(-np.sum(P3 * np.log(P3))), "H(P), the cross-entropy of P with itself"),
    (ce(Q3, P3), "arguments are swapped"),
    (float(-np.sum(np.log(Q3))), "without weights"),
    (ce(P3, Q3, np.log2), "in bits"),
    (-ce(P3, Q3), "minus sign"),
])
def test_cross_entropy_mistakes(wrong, words):
    fb = check_cross_entropy(wrong, P3, Q3)
    assert not fb and words in str(fb), str(fb)
    if wrong > 0:
        assert f"{ce(P3, Q3):.4f}" not in str(fb)   # the right value is not revealed


def test_one_hot_cross_entropy_has_no_kl_mistake_and_catches_sum_of_q():
    label, q = np.array([0.0, 0.0, 1.0]), np.array([0.2, 0.35, 0.45])
    right = float(-np.log2(0.45))
    assert check_cross_entropy(right, label, q, base=2)
    fb = str(check_cross_entropy(float(np.sum(q)), label, q, base=2))   # 1.0: sum of q; 1.152 is 1.2 at 2 s.f.
    assert "1 for every distribution" in fb and "right as far as it goes" not in fb
    q = np.array([0.15, 0.25, 0.6])                                      # -log2(0.6) = 0.737: far from 1
    assert "1 for every distribution" in str(check_cross_entropy(float(np.sum(q)), label, q, base=2))
    assert "over all outcomes" in str(check_cross_entropy(float(-np.sum(np.log2(q))), label, q, base=2))
    assert check_cross_entropy(float(-np.log2(0.6)), label, q, base=2)


def test_cross_entropy_accepts_counts_and_reports_missing_answer():
    assert check_cross_entropy(ce(P3, Q3), [70, 20, 10], [5, 3, 2])
    assert "No answer yet" in str(check_cross_entropy(..., P3, Q3))


def test_huffman_length_right_and_mistakes():
    p = np.array([0.7, 0.1, 0.1, 0.1])
    assert check_huffman_length(0.7 * 1 + 0.1 * (2 + 3 + 3), p)
    shannon = float(np.sum(p * np.ceil(-np.log2(p))))
    fb = check_huffman_length(shannon, p)
    assert not fb and "Shannon code" in str(fb)
    fb = check_huffman_length((1 + 2 + 3 + 3) / 4, p)
    assert not fb and "plain mean" in str(fb)
    fb = check_huffman_length(3.0, p)
    assert not fb and "Not yet" in str(fb)


@pytest.mark.parametrize("answer", [1.3, [1.3], (1.3,), np.array(1.3), np.array([1.3]), np.float32(1.3)])
def test_huffman_below_the_entropy_is_told_so_however_the_number_is_wrapped(answer):
    # from a review: [1.3] and np.array(1.3) got "Not yet" without the bound, which 1.3 gets
    fb = check_huffman_length(answer, [0.7, 0.1, 0.1, 0.1])
    assert not fb and "no prefix code averages less than the entropy" in str(fb), str(fb)


def test_huffman_messages_never_show_exercise_1s_entropy():
    # from a review: every answer below the entropy was told "below H(P_sensor), 1.357 bits", exercise 1's answer
    shown = [f"{1.3567796:.{k}g}" for k in (3, 4, 5)]     # H(P_sensor) in bits as it would be printed
    for answer in (1, 1.0, 1.3, 0.5):
        text = str(check_huffman_length(answer, P_SENSOR, name="P_sensor"))
        assert "below the entropy H(P_sensor)" in text and not any(v in text for v in shown), text


@pytest.mark.parametrize("answer", [0.4, 0.41])
def test_huffman_a_short_answer_is_not_read_as_the_entropy_in_base_10(answer):
    # from a review: 0.41 "matches H(P_sensor) in base-10 units" (0.408), against the rule that 1 or 2 figures
    # never name a base-10 value; 3 figures do
    assert "base-10" not in str(check_huffman_length(answer, P_SENSOR, name="P_sensor"))
    assert "base-10" in str(check_huffman_length(0.408, P_SENSOR, name="P_sensor"))


@pytest.mark.parametrize("answer", [1.499, 1.501])
def test_huffman_a_near_miss_accepted_at_3_figures_is_not_told_to_stop_rounding_on_the_way(answer):
    # from a review: "round only the final result, not numbers on the way" beside "nothing to round on the way"
    text = str(check_huffman_length(answer, P_SENSOR, name="P_sensor"))
    assert text.startswith("Correct to 3") and "with nothing to round on the way" in text, text
    assert "not numbers on the way" not in text, text


@pytest.mark.parametrize("answer", [10 ** 400, -10 ** 400, Fraction(10 ** 400, 3)])
def test_an_answer_beyond_any_float_gets_a_message_not_a_traceback(answer):
    # from a review: OverflowError from float(10**400)
    for check in (lambda a: exercises.check_entropy(a, P_SENSOR, base=2), lambda a: check_huffman_length(a, P_SENSOR),
                  lambda a: exercises.check_local_kl(a, 0.2, 0.05)):
        fb = check(answer)
        assert not fb.correct and "beyond what a float holds" in str(fb), str(fb)


@pytest.mark.parametrize("answer", [0.360 + 3 * 0.332, 1.356])
def test_entropy_of_rounded_terms_accepted_at_3_figures_names_the_rounding_too(answer):
    # from a review: terms rounded to 3 figures and summed (1.356) were told only that the number was cut off
    fb = exercises.check_entropy(answer, P_SENSOR, base=2)
    assert fb.correct and "cut off, not rounded, or a sum of terms (or of logs) rounded on the way" in str(fb), str(fb)
    fb = exercises.check_entropy(1.3567, P_SENSOR, base=2)      # no terms' sum gives it: the cut-off only
    assert fb.correct and "cut off, not rounded: round rather than truncate" in str(fb), str(fb)


def test_final_3_cross_entropy_nan_says_the_label_went_inside_a_log_and_never_shows_the_answer():
    # the learner's exact call (03 Ex3)
    text = str(ex.check_cross_entropy(float("nan"), LABEL, Q_IMAGE, base=2, names=("label", "Q_image")))
    assert "label went inside a log" in text and "label * np.log2(label / Q_image)" in text, text
    assert "-np.sum(label[m] * np.log2(Q_image[m]))" not in text and "np.log2(Q_image[m])" not in text, text
    # the claims it makes, checked with numpy: the right formula gives no NaN on these data, label in a log does
    with np.errstate(all="ignore"):
        assert math.isfinite(float(-np.sum(LABEL * np.log2(Q_IMAGE))))
        assert math.isnan(float(np.sum(LABEL * np.log2(LABEL / Q_IMAGE))))
        assert math.isnan(float(np.sum(LABEL * np.log2(LABEL))))
    assert str(ex03_3(float("nan"))) == text
    # a Q with a zero where P is 0: the right formula itself gives 0 * log(0), so the mask advice, with an
    # example that is not the exercise's formula
    P, Q = np.array([0.5, 0.5, 0.0]), np.array([0.5, 0.5, 0.0])
    with np.errstate(all="ignore"):
        assert math.isnan(float(-np.sum(P * np.log(Q))))
    text = str(ex.check_cross_entropy(math.nan, P, Q))
    assert "m = P > 0" in text and "P[m] and Q[m]" in text, text
    example = re.search(r"e\.g\. (.*?) sums", text).group(1)
    value = eval(example, {"np": np, "P": P, "Q": Q, "m": P > 0})
    assert abs(value - float(-np.sum(P[P > 0] * np.log(Q[P > 0])))) > 0.1, text        # not the answer


def test_nan_examples_never_show_the_exercise_formula():
    P, Q = np.array([0.5, 0.5, 0.0]), np.array([0.2, 0.3, 0.5])
    m = P > 0
    answers = {"entropy": float(-np.sum(P[m] * np.log(P[m]))), "kl": float(np.sum(P[m] * np.log(P[m] / Q[m])))}
    for kind, text in (("entropy", str(ex.check_entropy(math.nan, P))), ("kl", str(ex.check_kl(math.nan, P, Q)))):
        assert "np.log" not in text and "m = P > 0" in text, text
        example = re.search(r"e\.g\. (np\.sum\(.*?\))", text).group(1)
        assert abs(eval(example, {"np": np, "P": P, "Q": Q, "m": m}) - answers[kind]) > 0.1, text


def test_the_subtraction_rounded_again_is_asked_about_an_intermediate():
    text = str(ex03_2(0.0849))                      # CE - 0.802 = 0.08494, rounded to 3 figures
    assert (text.startswith("Almost") and "intermediate result" in text
            and "weight each" not in before_unrounded(text).lower()), text
    # the route, done on the unrounded entropy, is accepted
    assert ex03_2(CE_TP - H_TARGET).correct and ex02_4(CE_02 - H_SPANISH).correct
    # the same route for a cross-entropy: D + H(P) with H(P) rounded
    text = str(ex.check_cross_entropy(KL_TP + 0.80, P_TARGET, Q_PRED, names=("P_target", "Q_pred")))
    # 0.8851 is wrong in its 3rd figure (0.887): "Almost", not "Right as far as it goes"
    assert text.startswith("Almost: ") and "added to D(P_target||Q_pred)" in text, text


def test_entropy_mean_of_terms_is_named_and_0_log_0_only_when_p_has_zeros():
    h = float(-np.sum(P_SENSOR * np.log2(P_SENSOR)))
    mean = float(np.mean(-P_SENSOR * np.log2(P_SENSOR)))
    assert round(mean, 4) == 0.3392 and abs(mean * 4 - h) < 1e-15
    text = str(ex02_1(0.3392))
    assert text.startswith("Not quite") and "np.mean" in text and "multiply the unrounded mean by 4" in text, text
    assert ex02_1(mean * 4).correct
    assert not str(ex02_1(round(mean, 3) * 4)).startswith(("Not yet", "Not quite"))   # 0.339 * 4, as advised
    assert "0 log 0" not in str(ex02_1(0.9))                            # P_sensor has no zeros
    assert "0 log 0" in str(ex.check_entropy(0.9, [0.5, 0.5, 0.0], base=2))


def test_huffman_array_advice_names_the_missing_step_in_words():
    import klteach as kt
    lengths = kt.huffman_lengths(P_SENSOR)
    text = str(ex.check_huffman_length(lengths, P_SENSOR, name="P_sensor"))     # the lengths, not weighted
    # the missing step in words, not the exercise's solution line (02 cell 42)
    assert "np.sum(" not in text and "by its symbol's probability, P_sensor(x), and sum" in text, text
    followed = sum(float(w) * int(n) for w, n in zip(P_SENSOR, lengths))     # the words, followed by hand
    assert ex.check_huffman_length(followed, P_SENSOR, name="P_sensor").correct


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts_below(fig, points=10.0) -> list[tuple[str, float]]:
    fig.canvas.draw()
    return [(t.get_text(), t.get_fontsize()) for t in fig.findobj(matplotlib.text.Text)
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < points]


@pytest.mark.slow
def test_code_lengths_bar_text_is_at_least_10_points():
    plots.use_style()
    ax = plots.code_lengths_bar([0.5, 0.25, 0.25], [0.25, 0.25, 0.5], symbols="abc",
                                names=("English", "German"), title="title")
    assert _texts_below(ax.figure) == []
    assert len(ax.get_legend().get_texts()) == 4


def test_h_english_given_exactly_is_named_though_within_1_percent():
    from klteach import datasets
    spanish, english = datasets.letter_frequencies("spanish")[1], datasets.letter_frequencies("english")[1]
    h_english = float(-np.sum(english * np.log2(english)))           # 4.1928 bits
    right = float(-np.sum(spanish * np.log2(english)))              # 4.2014 bits
    assert abs(h_english - right) < 0.01 * right                   # too near to be a catalogued distractor
    for given in (h_english, round_sig(h_english, 4)):
        text = str(ex02_3(given))
        assert text.startswith("Not quite") and "is H(english), the entropy of english alone" in text, text
    assert ex02_3(right).correct                                     # the advice, followed
    # 4.19 (3 figures) is both H(english) and a rounded route: the honest rounding reading, which names H(english)
    text = str(ex02_3(4.19))
    assert text.startswith("Almost") and "H(english)" in text, text


def test_03_ex1_one_point_zero_lists_every_reading():
    h_q = float(-np.sum(Q_PRED * np.log(Q_PRED)))                     # H(Q_pred) = 1.0297 nats: 1.0 at 2 figures
    assert round(h_q, 1) == 1.0
    text = str(ex03_1(1.0))
    assert text.startswith("Not quite: 1.0 is exactly the value of the sum of Q_pred's probabilities"), text
    assert "also matches H(Q_pred)" in text and "Give the unrounded number" in text, text
    assert "more figures would not change it" not in text, text
    assert ex03_1(float(-np.sum(P_TARGET * np.log(Q_PRED)))).correct


def test_03_ex3_minus_log_of_one_minus_q_is_named():
    wrong = -math.log2(1 - 0.6)                                      # 1.3219 bits
    for given in (wrong, round_sig(wrong, 4), round_sig(wrong, 3)):
        text = str(ex03_3(given))
        assert text.startswith("Not quite") and "-np.log2(1 - Q_image[2])" in text, text
        assert "labelled class itself" in text, text
    assert ex03_3(-math.log2(0.6)).correct                           # the advice, followed


def test_02_ex2_one_for_a_huffman_average_of_one_and_a_half_is_below_the_entropy_not_right_as_far_as_it_goes():
    # exercises.check_huffman_length(1.0, P_sensor, name="P_sensor"): 1.5 rounds to 2 at 1 figure (half up and
    # half to even alike), so 1.0 is 1.5 cut off, and it lies below the entropy, which no prefix code beats
    p_sensor = np.array([0.7, 0.1, 0.1, 0.1])
    huffman = 0.7 * 1 + 0.1 * (2 + 3 + 3)
    h = -sum(x * math.log2(x) for x in (0.7, 0.1, 0.1, 0.1))
    assert round(1.5) == 2 and math.floor(1.5 + 0.5) == 2 and 1.0 < h < huffman
    for answer, shown in ((1.0, "1.0"), (1, "1")):
        msg = str(check_huffman_length(answer, p_sensor, name="P_sensor"))
        assert not msg.startswith("Right as far as it goes"), msg
        unit = "bit" if shown == "1" else "bits"
        assert msg.startswith(f"Not yet: {shown} {unit} per symbol is below the entropy H(P_sensor), and"), msg
        assert f"If you cut off a longer number to get {shown}, round it instead" in msg
    # the same bound as for 1.2, which is no cut-off of 1.5
    msg = str(check_huffman_length(1.2, p_sensor, name="P_sensor"))
    assert msg.startswith("Not yet: 1.2 bits per symbol is below the entropy H(P_sensor)") and "cut off" not in msg
    # 2.0 is 1.5 rounded to 1 figure, but not to the 2 it shows: the fixed-length code, and no praise
    msg = str(check_huffman_length(2.0, p_sensor, name="P_sensor"))
    assert "fixed-length code" in msg and "right as far as it goes" not in msg, msg


@pytest.mark.parametrize("answer", [2, np.int64(2), [2], round(1.5)])
def test_02_ex2_an_int_two_is_the_fixed_length_code_and_the_huffman_average_rounded_to_its_one_figure(answer):
    # the int 2 shows 1 figure, and 1.5 rounds to 2 there (half up and half to even alike): it is exactly the
    # fixed-length code's 2 bits and the right value rounded, so both readings are said, as 00 promises
    assert round(1.5) == 2 and math.floor(1.5 + 0.5) == 2
    msg = str(check_huffman_length(answer, P_SENSOR, name="P_sensor"))
    assert msg.startswith("Not quite: 2 is exactly the value of a fixed-length code"), msg
    assert ("If you rounded the average Huffman code length to get 2, it is right as far as it goes, to 1 "
            "significant figure only: give 3 significant figures.") in msg, msg
    assert "2.0" not in msg, msg                          # shown as typed


def test_02_ex2_the_mean_of_the_weighted_lengths_is_named():
    # np.mean(P_sensor * lengths): the weighted sum 1.5 divided by the 4 symbols, 0.375, below the entropy
    # but no averaged codeword lengths: the mean of the terms, as check_entropy and check_kl name it
    lengths = np.array([1, 2, 3, 3])
    mean = float(np.mean(P_SENSOR * lengths))
    assert mean == 1.5 / 4
    for answer in (mean, 0.375, 0.38):
        msg = str(check_huffman_length(answer, P_SENSOR, name="P_sensor"))
        assert msg.startswith("Not quite") and "the mean of the 4 terms" in msg, msg
        assert "Kraft" not in msg and "multiply the unrounded mean by 4" in msg, msg
    assert check_huffman_length(mean * 4, P_SENSOR).correct               # the advice, followed


@pytest.mark.parametrize("answer", [1, np.int32(1)])
def test_02_ex1_an_int_is_judged_at_the_figure_it_shows(answer):
    # H(P_sensor) = 1.357 rounds to 1 at the 1 figure the int 1 shows: right as far as it goes, as 1.4 is at 2;
    # the float 1.0 shows 2 figures, and 1.4 is the right rounding there
    h = -sum(x * math.log2(x) for x in P_SENSOR)
    assert round(h) == 1 and round(h, 1) == 1.4
    msg = str(ex02_1(answer))
    assert msg.startswith("Right as far as it goes: 1 agrees with H(P_sensor) to the 1 significant figure it has."), msg
    assert "1.0" not in msg and "Give 3 significant figures" in msg, msg
    assert str(ex02_1(1.4)).startswith("Right as far as it goes")
    assert str(ex02_1(1.0)).startswith("Not yet: 1.0 agrees with H(P_sensor) to 1 significant figure")


@pytest.mark.parametrize("answer", [4, np.int64(4), round(4.2014)])
def test_02_ex3_an_int_four_is_the_cross_entropy_and_the_entropy_rounded_to_its_one_figure(answer):
    # the int 4 shows 1 figure: H(spanish, english) = 4.2014 and H(spanish) = 4.027 both round to it, a tie, so
    # both readings are said, and the unrounded number asked for
    assert round_sig(CE_02, 1) == 4 and round_sig(H_SPANISH, 1) == 4
    msg = str(ex02_3(answer))
    assert msg.startswith("Right as far as it goes: 4 agrees with H(spanish, english) to the 1 significant "
                          "figure it has."), msg
    assert "4 also matches H(spanish)" in msg and "unrounded number" in msg, msg
    # from an eighth review: the values were shown (H(spanish) = 4.027, an ingredient of exercise 4)
    assert f"{H_SPANISH:.4g}" not in msg, msg
    assert not re.search(r"(?<![\d.])4\.[02](?!\d)", msg), msg         # as typed, and no answer revealed


def test_02_entropy_and_cross_entropy_hints_describe_the_step_in_words():
    # 02 ex 1 and 3: exercises.check_entropy(answer, P_sensor, base=2, name="P_sensor") and
    # exercises.check_cross_entropy(answer, spanish, english, base=2, names=("spanish", "english")) printed
    # "-sum P(x) log P(x)" and "-sum spanish(x) log english(x)", the exercises' formulas typed out
    p_sensor = np.array([0.7, 0.1, 0.1, 0.1])
    h = -sum(x * math.log2(x) for x in p_sensor)
    for answer in (3.3, -h, -3.3, np.ones(4)):
        text = str(exercises.check_entropy(answer, p_sensor, base=2, name="P_sensor"))
        assert not text.startswith("Correct") and "-sum" not in text, (answer, text)
    import klteach as kt
    _, english = kt.datasets.letter_frequencies("english")
    _, spanish = kt.datasets.letter_frequencies("spanish")
    h_sp = -sum(x * math.log2(x) for x in spanish if x > 0)
    for answer in (9.3, h_sp, -4.2, 1.0, np.ones(len(spanish))):
        text = str(exercises.check_cross_entropy(answer, spanish, english, base=2, names=("spanish", "english")))
        assert not text.startswith("Correct") and "-sum" not in text, (answer, text)


@pytest.mark.parametrize("answer", [1.46, 1.47, 1.52, 1.53, 1.54, 1.55])
def test_huffman_a_wrong_average_of_short_decimal_terms_is_not_asked_about_rounding(answer):
    # Huffman (02 Ex2): 1.46, 1.47, 1.53, 1.54, 1.55 got "Or did you round the terms before summing?" and 1.52 "Close
    # ... an intermediate number was rounded on the way. Did you round one, or round the terms before summing?",
    # though the terms p * L are exact short decimals
    p = np.array([0.7, 0.1, 0.1, 0.1])
    lengths = [1, 2, 3, 3]           # merge 0.1 + 0.1, then 0.1 + 0.2, then 0.3 + 0.7: depths 1, 2, 3, 3
    terms = [Fraction(str(a)) * n for a, n in zip(p, lengths)]
    assert terms == [Fraction("0.7"), Fraction("0.2"), Fraction("0.3"), Fraction("0.3")]
    assert sum(terms) == Fraction(3, 2)
    msg = str(ex.check_huffman_length(answer, p, name="P_sensor"))
    assert not msg.startswith("Correct") and "Did you round" not in msg and "round the terms" not in msg, msg
    if abs(answer - 1.5) <= 0.015 * 1.5:
        # said in words: listing the terms (0.7, 0.3, 0.3, 0.2) would give their sum, the answer, away
        assert "nothing to round on the way" in msg and "each a short decimal" in msg, msg
        assert not any(f"{float(t):g}" in msg.split("each a short decimal")[1][:40] for t in terms), msg


def test_huffman_with_long_terms_still_asks_about_rounding():
    # a third times a whole length is no short decimal: the terms can be rounded on the way
    p = np.array([1, 1, 1]) / 3          # Huffman lengths 1, 2, 2: average 5/3
    msg = str(ex.check_huffman_length(1.66, p))
    assert "nothing to round" not in msg, msg


def test_02_ex3_a_wrong_conversion_of_a_rounded_number_is_not_said_to_match_the_mistake():
    # 2.01 is the cross-entropy in nats rounded to 2.9, then multiplied by ln 2 (the wrong way): 2.0101. The
    # mistake's own value, the unrounded nats times ln 2, is 2.0186, which is 2.02 at 3 figures, not 2.01
    nats = CE_02 * math.log(2)                                   # H(spanish, english) in nats
    assert round(nats, 1) == 2.9 and round(2.9 * math.log(2), 3) == 2.01 and round(nats * math.log(2), 3) == 2.019
    text = str(ex02_3(2.01))
    assert text.startswith("Not quite: 2.01 looks like H(spanish, english) in nats, rounded to 2 significant "
                           "figures (2.9) and then converted the wrong way"), text
    assert "matches" not in text and "if you did not round or convert, 2.01 is not" in text, text


def test_02_ex3_a_whole_number_that_is_not_the_right_value_at_the_figures_it_shows_is_not_praised():
    # 4.0 for H(spanish, english) = 4.2014: 4 at 1 figure, but 4.0 shows 2, and 4.2 is the right rounding to 2
    assert round_sig(CE_02, 1) == 4.0 and round_sig(CE_02, 2) == 4.2
    text = str(ex02_3(4.0))
    assert "right as far as it goes" not in text.lower(), text
    # H(spanish) = 4.027 is 4.0 at 2 figures: the 2 figures 4.0 shows match that mistake, hedged
    assert round_sig(H_SPANISH, 2) == 4.0
    assert text.startswith("Not quite: at the 1 significant figure it has") or "H(spanish)" in text, text
    text = str(ex.check_number(4.0, CE_02, what="x"))
    # (said without "it shows": a learner who typed the int 4 gave 1 figure, and it is 4.0 once a float)
    assert text.startswith("Not yet: 4.0 agrees with x to 1 significant figure (4) but not to 2 (4.0)."), text
    assert "give 3 significant figures" in text.lower() and "If your unrounded result is exactly 4.0" in text, text
    # a whole number that is the right value at the 2 figures it shows keeps the reading
    assert str(ex.check_number(4.0, 3.96, what="x")).startswith("Right as far as it goes")



def test_02_ex2_one_bit_per_symbol_is_singular():
    # an average of 1 (an int, as typed) below the entropy of P_sensor: "1 bit per symbol", not "1 bits"
    text = str(check_huffman_length(1, P_SENSOR, name="P_sensor"))
    assert "1 bit per symbol is below" in text, text


def test_02_ex2_the_redundancy_and_the_average_in_nats_are_named():
    # L - H (the code's overhead) and L ln 2 are numbers a learner gets by subtracting the entropy or by
    # converting to nats; both lie below the entropy, but the mistake, not the Kraft bound, is what helps
    p_sensor = np.array([0.7, 0.1, 0.1, 0.1])
    huffman = 0.7 * 1 + 0.1 * (2 + 3 + 3)
    h = -sum(x * math.log2(x) for x in (0.7, 0.1, 0.1, 0.1))
    for answer in (huffman - h, round(huffman - h, 3)):
        msg = str(check_huffman_length(answer, p_sensor, name="P_sensor"))
        assert msg.startswith("Not quite") and "redundancy L - H(P_sensor)" in msg, msg
    for answer in (huffman * math.log(2), round(huffman * math.log(2), 3)):
        msg = str(check_huffman_length(answer, p_sensor, name="P_sensor"))
        assert msg.startswith("Not quite") and "converted to nats" in msg, msg


def test_02_ex2_a_named_mistake_below_the_entropy_keeps_its_own_message():
    # 1.03 (the average in nats, 1.0397, cut off) and 1.35 (H, 1.35678, cut off) are below the entropy, but their
    # mistakes, not the Kraft bound, are what helps; 1.0 and 1 get the bound and still hear the mistakes they may be
    for answer, named in ((1.03, "converted to nats"), (1.35, "is H(P_sensor)")):
        text = str(check_huffman_length(answer, P_SENSOR, name="P_sensor"))
        assert text.startswith("Not quite") and named in text and "Kraft" not in text, text
    text = str(check_huffman_length(1.0, P_SENSOR, name="P_sensor"))
    # (the mistakes' values are not said: 1.04 = 1.5 ln 2 would give the answer away, 1.357 exercise 1's)
    assert "Kraft sum" in text and ("could also be the Huffman average converted to nats (times ln 2) rounded, "
                                    "a known mistake") in text, text
    text = str(check_huffman_length(1, P_SENSOR, name="P_sensor"))
    assert "could also be H(P_sensor) or the Huffman average converted to nats" in text, text


def test_an_array_of_unweighted_logs_is_told_to_weight_them_not_to_add_them_up():
    # from a seventh review: -log2 p per outcome was told to "add up" its terms, which gives the unweighted sum,
    # itself a named mistake
    from klteach.course.nb01_definition import check_kl
    p, q = np.array([0.7, 0.1, 0.1, 0.1]), np.array([0.4, 0.2, 0.2, 0.2])
    for feedback in (exercises.check_entropy(-np.log2(p), p, base=2, name="P_sensor"),
                     exercises.check_entropy([1.0, 1.0], np.array([0.5, 0.5, 0.0]), base=2)):   # (support only)
        assert not feedback.correct and "weight each by P" in feedback.message
        assert "add up your per-outcome terms" not in feedback.message.lower()
    assert "weight each by P(x)" in check_cross_entropy(-np.log2(q), p, q, base=2).message
    assert "log-ratios log(P(x)/Q(x))" in check_kl(np.log(p / q), p, q).message
    # the weighted terms themselves are still told to be summed
    assert "np.sum" in exercises.check_entropy(-p * np.log2(p), p, base=2).message


def test_eighth_review_answers_get_messages_about_what_they_are():
    from klteach.exercises import check_kl, check_local_kl
    p = np.array([0.7, 0.1, 0.1, 0.1])
    # round(x, 2) and round(x): the rounding, not a formula, is named
    assert "round(..., 2) keeps 2 decimal places" in check_local_kl(round(0.0078125, 2), 0.2, 0.05).message
    loaded, fair = np.array([0.5, 0.1, 0.1, 0.1, 0.1, 0.1]), np.full(6, 1 / 6)
    assert "round(...) with no digits" in check_kl(round(0.424), loaded, fair, base=2).message
    # a Q-weighted sum under a uniform Q is named as such too
    assert "weighted by Q(x) instead of P(x)" in check_kl(float(np.sum(fair * np.log2(loaded / fair))), loaded, fair,
                                                           base=2).message
    # None in a list, huge ints, complex numbers, a one-value Series, a number in quotes inside a list
    assert "holding None" in exercises.check_entropy([1.3, None], p, base=2).message
    assert "1e+30 is not" in exercises.check_entropy(10 ** 30, p, base=2).message
    assert "about -1e400" in exercises.check_entropy(-10 ** 400, p, base=2).message
    assert "complex number" in exercises.check_entropy(1.357 + 0j, p, base=2).message
    assert "without quotes" in exercises.check_entropy(["1.357"], p, base=2).message
    # the cross-entropy weighted by percentages, and a uniform code's length
    q = np.array([0.4, 0.2, 0.2, 0.2])
    ce = float(-np.sum(p * np.log2(q)))
    assert "times 100" in check_cross_entropy(100 * ce, p, q, base=2).message
    assert "uniform code over 4" in check_cross_entropy(2.0, p, q, base=2).message
    pd = pytest.importorskip("pandas")        # (not installed with the oldest versions)
    assert exercises.check_entropy(pd.Series([1.35678]), p, base=2).correct


def test_ninth_review_answers_get_messages_about_what_they_are():
    from klteach.exercises import check_local_kl
    p = np.array([0.7, 0.1, 0.1, 0.1])
    # round(1.5) is the int 2: 1 significant figure, as the course counts it (the note said 2)
    text = check_huffman_length(round(1.5), p, name="P_sensor").message
    assert "here 1 significant figure only" in text and "here 2 significant" not in text, text
    # a complex number with no imaginary part is not blamed on the log of a negative number, and warns nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = exercises.check_entropy(np.complex128(1.3567796494470397), p, base=2).message
    assert "imaginary part is 0" in text and "negative" not in text, text
    # copies of one number are not told to be averaged
    text = check_local_kl([0.0078125, 0.0078125], 0.2, 0.05).message
    assert "same number" in text and "np.mean" not in text, text


def test_tenth_review_lists_of_quoted_numbers_and_huge_ints():
    p = np.array([0.7, 0.1, 0.1, 0.1])
    # from a tenth review: "a list of 2 strings" for one string, a run-on sentence, and an OverflowError
    text = exercises.check_entropy([1.36, "1.36"], p, base=2).message
    assert "holding 1 string" in text and "without quotes" in text and ", Add" not in text, text
    assert "without quotes" in exercises.check_entropy(["1.36", "1.36"], p, base=2).message
    assert "beyond what a float holds" in exercises.check_entropy([10 ** 400], p, base=2).message
