"""Tests of klteach/course/nb01_definition.py: notebook 01's figures, explorers and exercise checks.

Expected values come from independent formulas written here or in test_feedback.py (or scipy),
never from the checks themselves.
"""

from __future__ import annotations

import math
import re

import matplotlib
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest
from test_feedback import (
    P_SENSOR,
    P,
    Q,
    bits,
    ce,
    ex01_1,
    ex01_2,
    ex01_3,
    ex02_2,
    ex03_1,
    kl_by_hand,
    round_sig,
)
from test_nb06_drift import _hatches

from klteach import exercises, plots, widgets
from klteach import exercises as ex
from klteach.course import nb01_definition

matplotlib.use("Agg")


def test_right_answer_in_bits_is_correct_and_reveals_the_value():
    fb = exercises.check_kl(bits(kl_by_hand(P, Q)), P, Q, base=2)
    assert fb.correct and bool(fb)
    assert f"{bits(kl_by_hand(P, Q)):.4f} bits" in fb.message


@pytest.mark.parametrize("wrong, words", [
    (kl_by_hand(P, Q), ["nats", "np.log2"]),                         # forgot bits
    (kl_by_hand(P, Q) / math.log(10), ["np.log10", "base-10"]),      # log10
    (bits(kl_by_hand(Q, P)), ["D(Q_fair||P_loaded)", "swapped", "P_loaded comes first"]),
    (bits(kl_by_hand(P, Q) + float(-np.sum(P * np.log(P)))), ["cross-entropy", "Subtract H(P_loaded)"]),
    (bits(float(np.sum(np.log(P / Q)))), ["without weights"]),
])
def test_each_recognised_mistake_is_named(wrong, words):
    fb = exercises.check_kl(wrong, P, Q, base=2, names=("P_loaded", "Q_fair"))
    assert not fb.correct
    for w in words:
        assert w in fb.message, fb.message
    assert f"{bits(kl_by_hand(P, Q)):.4f}" not in fb.message   # no spoiler
    assert "hartley" not in fb.message


def test_unnormalised_counts_are_recognised():
    counts_p, counts_q = np.array([30, 50, 20]), np.array([25, 25, 50])
    raw = float(np.sum(counts_p * np.log(counts_p / counts_q)))
    fb = exercises.check_kl(raw, counts_p, counts_q)
    assert not fb.correct and "Normalise first" in fb.message
    right = kl_by_hand(counts_p / 100, counts_q / 100)
    assert exercises.check_kl(right, counts_p, counts_q).correct


@pytest.mark.parametrize("answer, words", [
    (..., ["No answer yet"]),
    (None, ["Your answer is None", "print() shows a value but returns None"]),
    ("0.5", ["the text '0.5'", "float(", "not a number"]),
    ([0.1, 0.2], ["list of 2 numbers", "one number"]),
    (np.array([0.1, 0.2]), ["array of 2 numbers", "one number"]),
    (float("nan"), ["NaN", "no zero probabilities"]),         # P and Q have no zeros: 0 log 0 is not to blame
    (-0.5, ["cannot be negative", "do not sum to 1", "wrong way round"]),
    (12.0, ["Not yet"]),
])
def test_non_answers_and_far_answers_get_guidance(answer, words):
    fb = exercises.check_kl(answer, P, Q, base=2)
    assert not fb.correct
    for w in words:
        assert w in fb.message, fb.message


def test_cross_entropy_for_kl_offers_the_subtraction_route():
    p, q = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])
    fb = exercises.check_kl(ce(p, q), p, q, names=("P_target", "Q_pred"))
    assert "Subtract H(P_target)" in str(fb) and "Subtract nothing" not in str(fb)
    h = float(-np.sum(p * np.log(p)))
    assert exercises.check_kl(ce(p, q) - h, p, q).correct            # the advice, followed


def test_numpy_scalar_answers_work():
    assert exercises.check_kl(np.float64(kl_by_hand(P, Q)), P, Q)
    assert exercises.check_kl(np.array([kl_by_hand(P, Q)]), P, Q)


def test_infinite_kl_answer():
    assert exercises.check_kl(math.inf, [0.5, 0.5], [1, 0]).correct
    assert not exercises.check_kl(10.0, [0.5, 0.5], [1, 0]).correct


def test_tiny_expected_values_are_not_matched_by_zero():
    p, q = [0.5, 0.5], [0.5 + 1e-6, 0.5 - 1e-6]
    expected = kl_by_hand(p, q)            # about 2e-12 nats
    assert not exercises.check_kl(0.0, p, q).correct
    assert exercises.check_kl(expected, p, q).correct
    assert exercises.check_kl(1e-17, [0.5, 0.5], [0.5, 0.5]).correct   # rounding around an exact 0


def test_final_7_wording_of_lists_choices_huffman_and_nan():
    assert "a list of 6 numbers" in str(ex02_2([1, 2, 3, 3, 1, 1]))
    assert "an array of 6 numbers" in str(ex02_2(np.array([1, 2, 3, 3, 1, 1])))
    assert ex.check_choice("b, D(Q||P) is infinite", "01-ex4").correct
    assert ex.check_choice("b) because D(Q||P) is infinite", "01-ex4").correct
    assert not ex.check_choice("a, D(P||Q) is infinite", "01-ex4").correct
    shannon = float(np.sum(P_SENSOR * np.ceil(-np.log2(P_SENSOR))))      # 0.7 * 1 + 0.3 * 4 = 1.9
    assert abs(shannon - 1.9) < 1e-12 and "kt.huffman_lengths" in str(ex02_2(shannon))
    nan = str(ex02_2(math.nan))
    assert "NaN" in nan and "log" not in nan.replace("logarithms", ""), nan


@pytest.mark.parametrize("written", ["answer: b", "Answer: b", "answer: (b)", "Answer: b) D(Q||P) is infinite",
                                     "answer = b", "my answer: b", "My answer is b", "answer:b"])
def test_an_answer_label_before_the_letter_is_read(written):
    assert ex.check_choice(written, "01-ex4").correct, str(ex.check_choice(written, "01-ex4"))
    other = re.sub(r"(?<![A-Za-z])b(?![A-Za-z])", "a", written, count=1)      # the same, with option a
    assert other != written and not ex.check_choice(other, "01-ex4").correct, other


@pytest.mark.parametrize("check, submission", [
    (ex01_3, 0.22), (lambda a: ex.check_kl(a, [0.5, 0.5], [0.9, 0.1]), 0.51),     # 00 cell 9
    (ex01_1, 0.42), (ex01_2, 0.24), (ex03_1, 0.89),
])
def test_00_03_second_pass_finding_5_the_right_value_rounded_gets_no_route_sentence(check, submission):
    text = str(check(submission))
    assert text.startswith("Right as far as it goes") and "Give 3 significant figures" in text, text
    assert "rounded on the way" not in text and "If you got it by a step" not in text, text


@pytest.mark.parametrize("written", ["b)D(Q||P)", "b because", "b because Q puts mass where P has none",
                                     "(b)D(Q||P)", "b,because"])
def test_00_03_second_pass_finding_9_a_letter_glued_to_its_words_is_read(written):
    assert ex.check_choice(written, "01-ex4").correct, written


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_bar_pair_labels_and_colours():
    ax = plots.bar_pair([0.2, 0.8], [0.5, 0.5], labels=["a", "b"], title="t")
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    colours = {mcolors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert colours == {plots.P_COLOR.lower(), plots.Q_COLOR.lower()}
    heights = sorted(round(p.get_height(), 12) for p in ax.patches)
    assert heights == [0.2, 0.5, 0.5, 0.8]


def test_contributions_bar_heights_are_the_terms_and_inf_is_marked():
    p, q = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    ax = plots.contributions_bar(p, q)
    forward = [b.get_height() for b in ax.containers[0]]
    assert forward[0] == pytest.approx(0.5 * np.log(0.5))
    assert np.isnan(forward[1])                       # infinite term, drawn as a label
    assert any(t.get_text() == "D(P||Q)\nterm: inf" for t in ax.texts)   # p > 0 = q at outcome 1
    assert "nats" in ax.get_ylabel()
    assert "inf" in ax.get_legend().get_texts()[0].get_text()


def test_show_pair_prints_both_directions(capsys):
    widgets.show_pair([0.5, 0.5], [0.9, 0.1], base=2)
    out = capsys.readouterr().out
    d_pq = 0.5 * np.log2(0.5 / 0.9) + 0.5 * np.log2(0.5 / 0.1)
    d_qp = 0.9 * np.log2(0.9 / 0.5) + 0.1 * np.log2(0.1 / 0.5)
    assert f"D(P||Q) = {d_pq:.4f} bits" in out and f"D(Q||P) = {d_qp:.4f} bits" in out


def test_coin_explorer_redraws_when_a_slider_moves(monkeypatch):
    calls = []
    monkeypatch.setattr(nb01_definition, "show_pair", lambda p, q, **kw: calls.append((p, q)))
    box = widgets.coin_explorer(p_heads=0.5, q_heads=0.9)
    p_slider, q_slider = box.children[0].children
    q_slider.value = 0.2
    assert calls[-1][1] == pytest.approx([0.2, 0.8])
    assert p_slider.description.startswith("P(heads)")


def test_coin_explorer_prints_its_settings_as_text(monkeypatch, capsys):
    """A reader who cannot see the figure's title reads the two coins in the printed text."""
    monkeypatch.setattr(nb01_definition, "show_pair", lambda p, q, **kw: None)
    box = widgets.coin_explorer(p_heads=0.5, q_heads=0.9)
    box.children[0].children[1].value = 0.25
    assert "P = (heads 0.50, tails 0.50)   Q = (heads 0.25, tails 0.75)" in capsys.readouterr().out



@pytest.mark.slow
def test_bar_pairs_differ_in_hatch_not_only_colour():
    ax = plots.bar_pair([0.2, 0.8], [0.5, 0.5])
    assert _hatches(ax) == ["", plots.Q_HATCH]
    ax = plots.contributions_bar([0.2, 0.8], [0.5, 0.5])
    assert len(set(_hatches(ax))) == 2
    ax = plots.code_lengths_bar([0.5, 0.25, 0.25], [0.25, 0.25, 0.5])
    assert len(set(_hatches(ax))) == 2
    assert len({line.get_marker() for line in ax.get_lines()}) == 2


def test_the_sixs_term_alone_is_named():
    six = 0.5 * math.log2(0.5 / (1 / 6))                  # the only positive term of Exercise 1: 0.7925 bits
    assert round(six, 4) == 0.7925
    text = str(ex01_1(six))
    assert text.startswith("Not quite") and "largest term" in text and "negative" in text, text
    # following it, every term summed, is right
    p, q = np.array([0.1] * 5 + [0.5]), np.full(6, 1 / 6)
    assert ex01_1(float(np.sum(p * np.log2(p / q)))).correct


def test_answers_swapped_between_exercises_1_and_2_are_recognised():
    p, q = np.array([0.1] * 5 + [0.5]), np.full(6, 1 / 6)
    ex1, ex2 = float(np.sum(p * np.log2(p / q))), float(np.sum(q * np.log(q / p)))   # 0.4240 bits, 0.2426 nats
    for check, other, words in ((ex01_1, ex2, ["D(Q_fair||P_loaded) in nats", "P_loaded first", "np.log2"]),
                                (ex01_2, ex1, ["D(P_loaded||Q_fair) in bits", "Q_fair first", "np.log"])):
        for given in (other, round_sig(other, 4), round_sig(other, 3)):
            text = str(check(given))
            assert text.startswith("Not quite") and "both the direction and the unit" in text, text
            for w in words:
                assert w in text, text
    assert ex01_1(ex1).correct and ex01_2(ex2).correct          # the advice, followed


def test_show_pair_says_why_a_divergence_is_infinite(monkeypatch, capsys):
    """A screen reader reads "inf" as nothing useful: the printed text says what makes D infinite."""
    monkeypatch.setattr(nb01_definition, "bar_pair", lambda *a, **kw: None)
    monkeypatch.setattr(nb01_definition, "contributions_bar", lambda *a, **kw: None)
    nb01_definition.show_pair([0.5, 0.5], [0.0, 1.0])
    out = capsys.readouterr().out
    assert "D(P||Q) = infinite (Q gives probability 0 to an outcome P produces)" in out
    assert "D(Q||P) = 1.0000 bits" in out
    plt.close("all")


def test_the_swap_message_describes_the_reference_and_prints_no_solution_line():
    """01 ex 1 / ex 2: the swapped-arguments message gave "sum P_loaded(x) log(P_loaded(x)/Q_fair(x))", the
    solution's formula, while the neighbouring both-flipped message said it in words."""
    for check, wrong, first in ((ex01_1, kl_by_hand(Q, P) / math.log(2), "P_loaded"),
                                (ex01_2, kl_by_hand(P, Q), "Q_fair")):
        text = str(check(wrong))
        assert "the arguments are swapped" in text and f"{first} comes first" in text, text
        assert "sum " not in text and "weights each log ratio and is the numerator inside it" in text, text


def test_01_checks_name_no_entropy_or_cross_entropy_which_notebook_01_has_not_introduced():
    # 01 ex 2: exercises.check_kl(0.242, Q_fair, P_loaded, names=("Q_fair", "P_loaded")) was told "it is also the
    # cross-entropy H(Q_fair, P_loaded), rounded to 4 significant figures (2.034) and then reduced by H(Q_fair)",
    # and notebook 01 never speaks of entropy. Its check cells pass entropy_words=False; 02-04 keep the wording.
    import json
    from decimal import ROUND_DOWN, Decimal
    from pathlib import Path

    from klteach.course.feedback import recording

    root = Path(__file__).resolve().parents[2]
    for name in sorted(p.name for p in (root / "notebooks").glob("0[1-4]_*.ipynb")):
        cells = json.loads((root / "notebooks" / name).read_text())["cells"]
        calls = ["".join(c["source"]) for c in cells
                 if c["cell_type"] == "code" and "exercises.check_kl(" in "".join(c["source"])]
        assert calls, name
        for call in calls:
            assert ("entropy_words=False" in call) == name.startswith("01_"), (name, call)

    def cut(x, k):
        d = Decimal(repr(x))
        return float(d.quantize(Decimal(1).scaleb(d.adjusted() - k + 1), rounding=ROUND_DOWN))

    text = str(ex01_2(0.242))
    assert text.startswith("Almost: 0.242 is D(Q_fair||P_loaded) cut off after 3 significant figures"), text
    # every number the three checks know, full, rounded and cut off, and a few others: no entropy wording
    for check in (ex01_1, ex01_2, ex01_3):
        with recording() as calls:
            check(0.123456789)
        known = [calls[-1]["expected"]] + [v for v, _ in calls[-1]["mistakes"] if math.isfinite(v) and v != 0]
        answers = [0.5, -0.1, 1.0, 3.0, [0.1, 0.2, 0.3]]
        for v in known:
            answers += [v] + [round_sig(v, k) for k in (1, 2, 3, 4)] + [cut(v, k) for k in (2, 3, 4)]
        for answer in answers:
            text = str(check(answer)).lower()
            assert "entropy" not in text and "h(" not in text, (answer, text)


def test_01_check_kl_messages_end_in_words_not_the_kl_formula():
    # check_kl's cross-entropy, H(P), Jeffreys, swapped cross-entropy and flipped-mean messages ended
    # "sum P(x) log(P(x)/Q(x))"; now they say the step in words, in notebook 01 (entropy_words=False) and after
    p_loaded, q_fair = np.array([0.1] * 5 + [0.5]), np.full(6, 1 / 6)
    d_pq = sum(a * math.log2(a / b) for a, b in zip(p_loaded, q_fair))
    d_qp = sum(b * math.log2(b / a) for a, b in zip(p_loaded, q_fair))
    answers = {"cross-entropy": -sum(a * math.log2(b) for a, b in zip(p_loaded, q_fair)),
               "H(P)": -sum(a * math.log2(a) for a in p_loaded),
               "Jeffreys": d_pq + d_qp,
               "swapped cross-entropy": -sum(b * math.log2(a) for a, b in zip(p_loaded, q_fair)),
               "flipped mean": float(np.mean(np.log2(q_fair / p_loaded)))}
    for words in (True, False):
        for label, answer in answers.items():
            text = str(ex.check_kl(answer, p_loaded, q_fair, base=2, names=("P_loaded", "Q_fair"),
                                   entropy_words=words))
            assert text.startswith("Not quite"), (label, text)
            assert "sum P_loaded(x) log(" not in text and "-sum" not in text, (label, text)


def test_the_swap_message_says_p_is_the_numerator_inside_each_log_ratio():
    """00 cell 5: check_kl(D(Q||P), [0.5, 0.5], [0.9, 0.1]) said "The question puts P first, as the reference:
    it weights the log ratios and is on top in them"."""
    p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    swapped = float(np.sum(q * np.log(q / p)))
    assert swapped == pytest.approx(0.368064, abs=1e-6)
    text = str(exercises.check_kl(swapped, p, q))
    assert text.startswith("Not quite") and "D(Q||P): the arguments are swapped" in text, text
    assert ("P comes first, as the reference: it weights each log ratio and is the numerator inside it."
            in text), text
    assert "on top" not in text and "The question puts" not in text, text


def test_01_a_rounded_number_converted_the_wrong_way_is_told_the_conversion_not_the_formula():
    # 01 Ex1: round(D_nats, 3) * np.log(2) = 0.2037852710846239 got "Not yet: 0.2038 is not D(P_loaded||Q_fair).
    # Weight each log(P_loaded(x)/Q_fair(x)) by P_loaded(x) and sum..." (the formula was right, the conversion
    # wrong); 01 Ex2: round(D_bits, 3) / np.log(2) = 0.5049432643111372 likewise
    P_loaded, Q_fair = np.array([0.1] * 5 + [0.5]), np.full(6, 1 / 6)
    d_nats = sum(p * math.log(p / (1 / 6)) for p in [0.1] * 5 + [0.5])
    d_bits_rev = sum((1 / 6) * math.log2((1 / 6) / p) for p in [0.1] * 5 + [0.5])
    assert round(d_nats, 3) * math.log(2) == pytest.approx(0.2037852710846239, rel=1e-12)
    assert round(d_bits_rev, 3) / math.log(2) == pytest.approx(0.5049432643111372, rel=1e-12)
    msg = str(exercises.check_kl(round(d_nats, 3) * np.log(2), P_loaded, Q_fair, base=2,
                                 names=("P_loaded", "Q_fair"), entropy_words=False))
    assert msg.startswith("Not quite") and "converted the wrong way: you multiplied by `np.log(2)`" in msg, msg
    assert "rounded to" in msg and "units" in msg, msg
    assert msg.count("in nats") == 2 and msg.count("converted the wrong way") == 1, msg   # its label said once
    msg = str(exercises.check_kl(round(d_bits_rev, 3) / np.log(2), Q_fair, P_loaded, names=("Q_fair", "P_loaded"),
                                 entropy_words=False))
    assert msg.startswith("Not quite") and "converted the wrong way: you divided by `np.log(2)`" in msg, msg
    # the advice, followed on the unrounded number, is accepted
    assert exercises.check_kl(d_nats / math.log(2), P_loaded, Q_fair, base=2, names=("P_loaded", "Q_fair"),
                              entropy_words=False).correct


def test_01_the_right_value_rounded_then_converted_to_the_other_unit_is_named_as_that():
    # 01 Ex2 asks nats: round(D_nats, 3) / np.log(2) = 0.3505748949360181 got the generic "weight each log" hint,
    # though the formula was right; 01 Ex1 asks bits: round(D_bits, 3) * np.log(2) likewise
    P_loaded, Q_fair = np.array([0.1] * 5 + [0.5]), np.full(6, 1 / 6)
    d_nats = sum(p * math.log(p / (1 / 6)) for p in [0.1] * 5 + [0.5])            # D(P_loaded||Q_fair)
    d_rev = sum((1 / 6) * math.log((1 / 6) / p) for p in [0.1] * 5 + [0.5])        # D(Q_fair||P_loaded)
    ex1 = lambda a: str(exercises.check_kl(a, P_loaded, Q_fair, base=2, names=("P_loaded", "Q_fair"),
                                           entropy_words=False))
    ex2 = lambda a: str(exercises.check_kl(a, Q_fair, P_loaded, names=("Q_fair", "P_loaded"), entropy_words=False))
    for answer, shown in ((round(d_rev, 3) / math.log(2), "(0.243)"),
                          (float(f"{d_rev:.4g}") / math.log(2), "(0.2426)")):
        msg = ex2(answer)
        assert msg.startswith("Not quite") and "in bits: D(Q_fair||P_loaded) in nats rounded to" in msg, msg
        assert shown in msg and "The question asks for nats: give the number from before that conversion" in msg, msg
    msg = ex1(round(d_nats / math.log(2), 3) * math.log(2))
    assert "in nats: D(P_loaded||Q_fair) in bits rounded to 3 or 4 significant figures (0.424;" in msg, msg
    assert "The question asks for bits" in msg, msg


def test_01_a_rounded_route_is_named_when_typed_back_as_the_check_shows_it():
    # the check shows 0.2037852710846239 as 0.2038; typed back (or to 7 figures), it got the formula hint
    P_loaded, Q_fair = np.array([0.1] * 5 + [0.5]), np.full(6, 1 / 6)
    for typed in (0.2038, 0.2037853):
        msg = str(exercises.check_kl(typed, P_loaded, Q_fair, base=2, names=("P_loaded", "Q_fair"),
                                     entropy_words=False))
        assert "rounded to 3 significant figures (0.294) and then converted the wrong way" in msg, msg
    # 3 figures, as asked, is no route: its own figures say nothing about a rounding on the way
    msg = str(exercises.check_kl(0.351, Q_fair, P_loaded, names=("Q_fair", "P_loaded"), entropy_words=False))
    assert "converted" not in msg, msg


def test_01_a_rounding_hidden_by_trailing_zeros_gives_every_figure_count_it_may_be():
    # round(D_bits, 3) = 0.35 (0.350 to 3 figures, 0.3500 to 4): "rounded to 2 significant figures" was wrong
    Q_fair, P_loaded = np.full(6, 1 / 6), np.array([0.1] * 5 + [0.5])
    d_bits = sum((1 / 6) * math.log2((1 / 6) / p) for p in [0.1] * 5 + [0.5])
    assert round(d_bits, 2) == round(d_bits, 3) == round(d_bits, 4) == 0.35
    msg = str(exercises.check_kl(round(d_bits, 3) / math.log(2), Q_fair, P_loaded, names=("Q_fair", "P_loaded"),
                                 entropy_words=False))
    assert "rounded to 2 to 4 significant figures (0.35; Python drops trailing zeros)" in msg, msg
    # 04 Ex1's D(Q_ex||P_ex) = 0.2965 nats: round(D, 1) = round(D, 2) = 0.3, not "2 significant figures (0.3)"
    P_ex, Q_ex = np.array([0.05, 0.45, 0.35, 0.15]), np.array([0.25, 0.3, 0.2, 0.25])
    d = float(np.sum(Q_ex * np.log(Q_ex / P_ex)))
    msg = str(exercises.check_kl(round(d, 1) * math.log(2), Q_ex, P_ex, base=2, names=("Q_ex", "P_ex")))
    assert "rounded to 1 or 2 significant figures (0.3; Python drops trailing zeros)" in msg, msg


@pytest.mark.parametrize("log, weights, over, words", [
    (np.log, "week", "train", "with the direction swapped too"),       # 23.93: week_counts weight the sum
    (np.log2, "train", "week", "in bits (np.log2)"),                     # 31.45: bits where nats are asked
])
def test_01_raw_counts_with_a_second_mistake_are_named_with_the_normalising(log, weights, over, words):
    # 01 ex3: np.sum(week_counts * np.log(week_counts / train_counts)) = 23.93 and the raw counts in bits (31.45)
    # got only the general hint, which says nothing about normalising, the point of the exercise
    counts = {"train": np.array([30, 50, 20]), "week": np.array([25, 25, 50])}
    w, o = counts[weights], counts[over]
    raw = float(np.sum(w * log(w / o)))
    assert abs(raw - 100 * kl_by_hand(w / 100, o / 100) / (1 if log is np.log else math.log(2))) < 1e-9
    for answer in (raw, round_sig(raw, 4), round_sig(raw, 3)):
        text = str(ex01_3(answer))
        assert text.startswith("Not quite") and "raw counts" in text and words in text, (answer, text)
        assert "divide train_counts and week_counts each by its own total" in text, text
    # the right answer and the plain raw-count sum keep their readings
    assert ex01_3(kl_by_hand(counts["train"] / 100, counts["week"] / 100)).correct
    plain = str(ex01_3(float(np.sum(counts["train"] * np.log(counts["train"] / counts["week"])))))
    assert "Normalise first: divide" in plain and "two mistakes" not in plain, plain


@pytest.mark.parametrize("p_heads, q_heads, infinite", [
    (1.0, 0.0, ("D(P||Q)", "D(Q||P)")),     # both directions infinite: no bar at all
    (0.0, 1.0, ("D(P||Q)", "D(Q||P)")),
    (0.5, 1.0, ("D(P||Q)",)),               # one direction only
])
def test_contributions_bar_inf_labels_name_their_direction_and_are_drawn_inside_the_axes(p_heads, q_heads, infinite):
    # notebook 01's coin explorer at P(heads)=1, Q(heads)=0: every bar NaN, the x axis spanning 0..1, and the
    # "inf" labels at -0.2 and 1.2 clipped away: an empty panel
    p, q = np.array([p_heads, 1 - p_heads]), np.array([q_heads, 1 - q_heads])
    ax = plots.contributions_bar(p, q, labels=["heads", "tails"], base=2)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if "inf" in t.get_text()]
    assert sorted(t.get_text().split("\n")[0] for t in labels) == sorted(infinite)   # said in words
    lo, hi = sorted(ax.get_xlim())
    for t in labels:
        assert lo < t.xy[0] < hi and t.get_visible(), (t.get_text(), t.xy, ax.get_xlim())
        extent = t.get_window_extent(renderer)
        assert (box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1), \
            (t.get_text(), extent, box)
    plt.close(fig)


def test_contributions_bar_with_every_term_0_says_so():
    ax = plots.contributions_bar([0.0, 1.0], [0.0, 1.0], base=2)
    assert any(t.get_text() == "every term is 0: P and Q are equal" for t in ax.texts)
    assert not any("inf" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_01_the_sum_of_both_directions_is_named_without_notebook_04s_term():
    # notebook 01 (entropy_words=False) avoids later terms, yet named "the Jeffreys divergence" (notebook 04)
    from test_feedback import ex01_1e
    both = bits(kl_by_hand(P, Q) + kl_by_hand(Q, P))
    for answer in (both, round_sig(both, 3), round_sig(both, 4)):
        text = str(ex01_1(answer))
        assert "both directions added" in text and "Jeffreys" not in text, (answer, text)
        assert "(the Jeffreys divergence)" in str(ex01_1e(answer))       # notebooks 02-04 keep the name


@pytest.mark.parametrize("answer, p, q, words", [
    (0.271, [25, 29, 19], [20, 38, 3], "with the direction swapped too"),   # D = 0.269878: 0.270 to 3 figures
    (0.136, [37, 38, 2], [38, 33, 17], "in bits (np.log2)"),                # D = 0.134754: 0.135 to 3 figures
])
def test_raw_counts_with_a_second_mistake_within_1_percent_of_the_answer_are_not_named(answer, p, q, words):
    # check_kl(0.271, [25, 29, 19], [20, 38, 3]) was told it "matches the sum over the raw counts ... swapped",
    # though the raw-count value lies within 1% of D(P||Q), as every other check_kl mistake may not
    pa, qa = np.array(p, float), np.array(q, float)
    right = kl_by_hand(pa / pa.sum(), qa / qa.sum())
    raw = (float(np.sum(qa * np.log(qa / pa))) if "swapped" in words
           else float(np.sum(pa * np.log2(pa / qa))))
    assert abs(raw - right) < 0.01 * right and round_sig(raw, 3) == answer != round_sig(right, 3)
    text = str(ex.check_kl(answer, p, q))
    assert not text.startswith("Correct") and "raw counts" not in text and words not in text, text


@pytest.mark.parametrize("p, q", [
    ([2, 4, 5], [7, 2, 5]),                          # the raw-count sum lies 0.6% from D(P||Q)
    ([0.118, 0.687, 0.195], [0.263, 0.314, 0.423]),  # D(Q||P) lies 0.07% from D(P||Q)
    ([2, 4, 5], [5, 2, 7]), ([3, 1], [1, 3]), ([0.5, 0.5], [0.9, 0.1]),
])
def test_no_mistake_within_one_percent_of_the_answer_is_listed(p, q):
    # one filter for every candidate route (raw counts, either direction, combined mistakes): a value that
    # near the answer could be the answer with a number rounded on the way
    with ex.recording() as calls:
        exercises.check_kl(0.5, p, q)
    (call,) = calls
    close = [(w, e) for w, e in call["mistakes"]
             if math.isfinite(w) and abs(w - call["expected"]) < 0.01 * abs(call["expected"])]
    assert not close, close


def test_a_near_answer_is_not_told_it_is_the_raw_count_sum():
    p, q = np.array([2.0, 4, 5]), np.array([7.0, 2, 5])
    right = kl_by_hand(p / p.sum(), q / q.sum())
    raw = 2 * math.log(2 / 7) + 4 * math.log(2)        # the sum over the raw counts, 0.6% from the answer
    assert round_sig(raw, 3) == 0.267 and round_sig(right, 3) == 0.265
    fb = exercises.check_kl(0.267, p, q)
    assert not fb.correct and "raw counts" not in fb.message and "rounded" in fb.message, fb.message


def test_a_near_answer_is_not_told_only_that_the_arguments_are_swapped():
    p, q = np.array([0.118, 0.687, 0.195]), np.array([0.263, 0.314, 0.423])
    assert round_sig(kl_by_hand(q, p), 3) == 0.293 and round_sig(kl_by_hand(p, q), 3) == 0.292
    fb = exercises.check_kl(0.293, p, q)
    # D(Q||P) lies within 0.1% of D(P||Q): 0.293 may as well be D(P||Q) with a number rounded on the way
    assert not fb.correct and "swapped" not in fb.message and "round an intermediate result" in fb.message, \
        fb.message


@pytest.mark.parametrize("answer", [0.2176, 0.2184, 0.2185, 0.21809])
def test_01_ex3_a_number_wrong_in_a_figure_after_the_third_is_correct_to_3_figures_only(answer):
    # D(P_train||Q_week) = 0.218012: these round to 0.218 (0.2185 half to even), so they are accepted, but a
    # figure they give after the 3rd is off, so the message does not show or imply the 4-figure value
    d = sum(p * math.log(p / q) for p, q in ((0.3, 0.25), (0.5, 0.25), (0.2, 0.5)))
    assert round(d, 3) == 0.218 and round(d, 4) == 0.2180 and round_sig(answer, 3) == 0.218
    fb = ex01_3(answer)
    text = str(fb)
    assert fb.correct and text.startswith("Correct to 3 significant figures: D(P_train||Q_week) = 0.218 nats."), text
    assert "= 0.2180" not in text and "agrees with the right value to 3 of them only" in text, text


def test_01_ex3_the_right_value_to_its_own_figures_or_cut_off_after_them_is_plainly_correct_or_told_to_round():
    d = sum(p * math.log(p / q) for p, q in ((0.3, 0.25), (0.5, 0.25), (0.2, 0.5)))
    for answer in (0.218, 0.2180, round(d, 5), round(d, 6), d):
        assert str(ex01_3(answer)).startswith("Correct: D(P_train||Q_week) = 0.2180 nats."), answer
    # a full number off after its 3rd figure (a rounding on the way) is told so, without quoting its figures
    text = str(ex01_3(d * (1 + 3e-4)))
    assert text.startswith("Correct to 3 significant figures: D(P_train||Q_week) = 0.218 nats. (Your number "
                           "agrees with the right value to 3 significant figures: a number rounded on the way"), text
    # off in its 7th figure (another method, such as quadrature): no rounding on the way is suggested
    text = str(ex01_3(float(f"{d * (1 + 1e-6):.7g}")))
    assert "agrees with the right value to 6 significant figures, more than asked" in text, text
    assert str(ex01_3(d * (1 + 1e-7))).startswith("Correct: ")         # another order of float operations
    # a value cut off after 4 figures that is not it rounded: accepted, told to round
    fb = ex.check_number(0.2187, 0.21879, what="x")
    assert fb.correct and "At the 4 significant figures you gave, 0.2187 is cut off, not rounded" in str(fb), str(fb)


def test_01_ex3_counts_divided_by_their_combined_total_are_told_to_normalise_each_by_its_own():
    # train_counts and week_counts both divided by 200, the sum of all the counts: with equal totals (100 and
    # 100) that is D(P_train||Q_week) / 2 = 0.1090
    train, week = np.array([30, 50, 20]), np.array([25, 25, 50])
    total = train.sum() + week.sum()
    halved = sum(p / total * math.log(p / q) for p, q in zip(train, week))
    d = sum(p * math.log(p / q) for p, q in ((0.3, 0.25), (0.5, 0.25), (0.2, 0.5)))
    assert abs(halved - d / 2) < 1e-15
    for answer in (halved, round(halved, 4), round(halved, 3)):
        text = str(ex01_3(answer))
        assert text.startswith("Not quite") and "combined total" in text, text
        assert "divide train_counts and week_counts each by its own total" in text, text


def test_01_ex1_q_fair_typed_as_0_17_is_told_to_use_the_exact_values():
    # Q_fair = 1/6 typed as 0.17: sum P log2(P / 0.17) = 0.3954, 7% from D(P_loaded||Q_fair) = 0.4238
    p = [0.1] * 5 + [0.5]
    wrong = sum(x * math.log2(x / 0.17) for x in p)
    right = sum(x * math.log2(x * 6) for x in p)
    assert abs(wrong - right) > 0.015 * right
    for answer in (wrong, round(wrong, 4), round(wrong, 3)):
        text = str(ex01_1(answer))
        assert text.startswith("Not quite") and "Q_fair's probabilities rounded to 2 decimals (0.17)" in text, text
        assert "1 / 6, not 0.17" in text, text
