"""klteach.exercises: right answers pass, rounding is not a mistake, each recognised mistake is named
in the exercise's own words, advice followed leads to a right answer, and every notebook's exercise
data keep each mistake far from the right value.

Expected values come from independent formulas written here (or scipy), never from the checks.
"""

from __future__ import annotations

import math
import re
import sys
from decimal import Decimal
from pathlib import Path

import mpmath
import nbformat
import numpy as np
import pytest
import scipy.stats as st
from scipy.spatial.distance import jensenshannon
from scipy.special import beta as beta_fn
from scipy.special import betaln, digamma

import homework
from klteach import exercises
from klteach import exercises as ex
from klteach.course.feedback import _clean

ROOT = Path(__file__).resolve().parents[2]


sys.path.insert(0, str(ROOT / "tools"))


P = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.5])   # notebook 01, exercise 1


Q = np.full(6, 1 / 6)


def bits(x):
    return x / math.log(2)


def kl_by_hand(p, q):
    """Independent reference: the textbook sum, in nats."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = p > 0
    return float(np.sum(p[m] * np.log(p[m] / q[m])))


def ce(p, q, log=np.log):
    return float(-np.sum(p * log(q)))


def kl(p, q, log=np.log):
    return float(np.sum(p * log(p / q)))


def round_sig(x, figures):
    """``x`` rounded to ``figures`` significant figures, the way a learner would print it."""
    return float(f"{x:.{figures - 1}e}")


def _route_named(text):
    """Right as far as it goes, or a rounded route named as the reading ("looks like"): "Right as far as it
    goes" when the number agrees with the answer to the figures it has, "Almost" when it is wrong in one of
    them (a 4-figure 0.4252 for 0.4240)."""
    return ((text.startswith("Right as far as it goes") or re.match(r"Almost: \S+ looks like ", text) is not None)
            and "Not quite" not in text and "Not yet" not in text)


def before_unrounded(text):
    """The part of a message before "If your code rounded nothing": the formula may follow it, as the reading
    for a learner who rounded nothing, never precede it."""
    return text.split("If your code rounded nothing")[0]


CONVERSION = re.compile(r"(multiply|divide) (?:your number|the unrounded number your code computed) by `([^`]+)`")


def _follow(message, value):
    """Apply every numeric instruction in ``message`` to ``value``; None if it gives none.

    A number that is exactly one mistake's value and also matches others at its precision gets every
    reading, the others' advice meant for the unrounded number: the advice for ``value`` itself is the first."""
    if message.startswith("Not quite: ") and " is exactly the value of " in message:
        message = message.split(" But at the ")[0]
    m = CONVERSION.search(message)
    if m:
        factor = eval(m.group(2), {"np": np})
        return value * factor if m.group(1) == "multiply" else value / factor
    if "square the unrounded number" in message:
        return value**2
    if "take the square root of the unrounded number" in message:
        return math.sqrt(value)
    return None


P4, Q4 = np.array([0.05, 0.45, 0.35, 0.15]), np.array([0.25, 0.3, 0.2, 0.25])


ADVICE_CASES = [
    (lambda a, b: ex.check_kl(a, P4, Q4, base=b), "kl"),
    (lambda a, b: ex.check_entropy(a, P4, base=b), "entropy"),
    (lambda a, b: ex.check_cross_entropy(a, P4, Q4, base=b), "cross-entropy"),
    (lambda a, b: ex.check_js(a, P4, Q4, base=b), "js divergence"),
    (lambda a, b: ex.check_js(a, P4, Q4, base=b, distance=True), "js distance"),
    (lambda a, b: ex.check_gaussian_kl(a, 2.0, 0.5, 0.0, 1.5, base=b), "gaussian"),
    (lambda a, b: ex.check_psi(a, [6, 30, 42, 22, 0], [1, 10, 16, 13, 10], base=b), "psi"),
    (lambda a, b: ex.check_information_gain(a, 10, 2, base=b), "information gain"),
]


def textbook(mu_p, s_p, mu_q, s_q):
    return math.log(s_q / s_p) + (s_p**2 + (mu_p - mu_q) ** 2) / (2 * s_q**2) - 0.5


MU_Z = np.array([0.3, -1.2, 0.0, 0.8])


LOG_VAR_Z = np.array([-0.4, 0.2, -1.5, 0.0])


TEACHER = np.array([[4.0, 1.0, -1.0, 0.5], [0.2, 2.5, 0.0, -1.0]])


STUDENT = np.array([[2.5, 2.0, 0.5, -0.5], [1.0, 1.5, -0.5, 0.5]])


NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb"))


CHECK_CALL = re.compile(r"exercises\.check_\w+\(")


def _exercise_section(nb):
    starts = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "markdown" and c.source.startswith("## Exercises")]
    assert len(starts) == 1, "one '## Exercises' cell per notebook"
    return starts[0]


def run_exercises(path):
    """Run a notebook's exercise section with its solutions filled in, in this process.

    Returns ``[(check_source, namespace, feedback, record)]`` for each numeric or choice check,
    where ``record`` is what :func:`klteach.exercises.recording` saw (None for multiple choice).
    The section must be self-contained: it runs without the cells above it.
    """
    nb = nbformat.read(path, as_version=4)
    start = _exercise_section(nb)
    solutions = dict(homework.exercises(nb))
    namespace: dict = {}
    runs = []
    for i in range(start, len(nb.cells)):
        cell = nb.cells[i]
        if cell.cell_type != "code":
            continue
        source = cell.source
        if i in solutions:
            source = homework.ANSWER_LINE.sub(lambda _: solutions[i], source, count=1)
        if CHECK_CALL.match(source.strip()):
            with ex.recording() as calls:
                feedback = eval(compile(source.strip(), f"{path.name}[{i}]", "eval"), namespace)
            runs.append((source.strip(), dict(namespace), feedback, calls[0] if calls else None))
        else:
            exec(compile(source, f"{path.name}[{i}]", "exec"), namespace)
    return runs


@pytest.fixture(scope="module")
def notebook_runs():
    return {path.stem: run_exercises(path) for path in NOTEBOOKS}


L2, L10 = math.log(2), math.log(10)


P_LOADED, Q_FAIR = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.5]), np.full(6, 1 / 6)


TRAIN, WEEK = np.array([30, 50, 20]), np.array([25, 25, 50])


P_SENSOR = np.array([0.7, 0.1, 0.1, 0.1])


P_TARGET, Q_PRED = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])


LABEL, Q_IMAGE = np.array([0.0, 0.0, 1.0]), np.array([0.15, 0.25, 0.6])


REF_WEEK, CUR_WEEK = np.array([6, 30, 42, 22, 0]), np.array([1, 10, 16, 13, 10])


TEACHER = np.array([[4.0, 1.0, -1.0, 0.5], [0.2, 2.5, 0.0, -1.0]])


STUDENT = np.array([[2.5, 2.0, 0.5, -0.5], [1.0, 1.5, -0.5, 0.5]])


P7 = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])


LOG_Q7 = np.log(np.array([[0.5, 0.3, 0.2], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]]))


def _letters():
    from klteach import datasets
    return datasets.letter_frequencies("spanish")[1], datasets.letter_frequencies("english")[1]


def ex01_1(a):
    return ex.check_kl(a, P_LOADED, Q_FAIR, base=2, names=("P_loaded", "Q_fair"), entropy_words=False)


def ex01_2(a):
    return ex.check_kl(a, Q_FAIR, P_LOADED, names=("Q_fair", "P_loaded"), entropy_words=False)


def ex01_3(a):
    return ex.check_kl(a, TRAIN, WEEK, names=("P_train", "Q_week"), count_names=("train_counts", "week_counts"),
                       entropy_words=False)


# notebook 01's data read as notebooks 02-04 read check_kl (entropy and cross-entropy introduced): the routes
# through a rounded cross-entropy or entropy, which notebook 01 (entropy_words=False) does not name
def ex01_1e(a):
    return ex.check_kl(a, P_LOADED, Q_FAIR, base=2, names=("P_loaded", "Q_fair"))


def ex01_2e(a):
    return ex.check_kl(a, Q_FAIR, P_LOADED, names=("Q_fair", "P_loaded"))


def ex01_3e(a):
    return ex.check_kl(a, TRAIN, WEEK, names=("P_train", "Q_week"), count_names=("train_counts", "week_counts"))


def ex02_1(a):
    return ex.check_entropy(a, P_SENSOR, base=2, name="P_sensor")


def ex02_2(a):
    return ex.check_huffman_length(a, P_SENSOR)


def ex02_3(a):
    spanish, english = _letters()
    return ex.check_cross_entropy(a, spanish, english, base=2, names=("spanish", "english"))


def ex02_4(a):
    spanish, english = _letters()
    return ex.check_kl(a, spanish, english, base=2, names=("spanish", "english"))


def ex03_1(a):
    return ex.check_cross_entropy(a, P_TARGET, Q_PRED, names=("P_target", "Q_pred"))


def ex03_2(a):
    return ex.check_kl(a, P_TARGET, Q_PRED, names=("P_target", "Q_pred"))


def ex03_3(a):
    return ex.check_cross_entropy(a, LABEL, Q_IMAGE, base=2, names=("label", "Q_image"))


def ex06_1(a):
    return ex.check_psi(a, REF_WEEK, CUR_WEEK, pseudo_count=0.5, names=("ref_week", "cur_week"))


PERMUTED = np.round(np.random.default_rng(7).chisquare(11, size=99) / 400, 3)


OBSERVED = 0.036


def ex06_2(a):
    return ex.check_permutation_pvalue(a, OBSERVED, PERMUTED)


def ex07_1(a):
    return ex.check_distillation_loss(a, TEACHER, STUDENT, temperature=3.0)


def ex07_2(a):
    return ex.check_torch_kl_div(a, LOG_Q7, P7, reduction="mean", names=("log_q", "p"))


def sig3(x):
    return round_sig(x, 3)


SPANISH, ENGLISH = _letters()


KL_SE = kl(SPANISH, ENGLISH)


CE_SE = ce(SPANISH, ENGLISH)


H_SP = ce(SPANISH, SPANISH)


KL_TP = kl(P_TARGET, Q_PRED)


CE_TP = ce(P_TARGET, Q_PRED)


P_EX, Q_EX = np.array([0.05, 0.45, 0.35, 0.15]), np.array([0.25, 0.3, 0.2, 0.25])


X_S5 = st.norm(0, 1).rvs(size=1000, random_state=np.random.default_rng(5))


LOGP5, LOGQ5 = st.norm(0, 1).logpdf(X_S5), st.norm(0.5, 1.2).logpdf(X_S5)


EQUAL_VARIANCE = ("mu_1", "sigma", "mu_2", "sigma")


def ex04_1(a):
    return ex.check_kl(a, Q_EX, P_EX, base=2, names=("Q_ex", "P_ex"))


def ex04_2(a):
    return ex.check_js(a, P_EX, Q_EX, base=2, distance=True, names=("P_ex", "Q_ex"))


def ex05_1(a):
    return ex.check_gaussian_kl(a, 2.0, 0.5, 0.0, 1.5)


def ex04_3(a):
    return ex.check_total_variation(a, P_EX, Q_EX, names=("P_ex", "Q_ex"))


def ex05_2(a):
    return ex.check_vae_kl(a, np.array([0.3, -1.2, 0.0, 0.8]), np.array([-0.4, 0.2, -1.5, 0.0]),
                           variables=("mu_z", "log_var_z"))


def ex05_3(a):
    return ex.check_mc_estimate(a, LOGP5, LOGQ5, estimator="k3", exact=textbook(0, 1, 0.5, 1.2),
                                variables=("logp_s", "logq_s"))


def ex05_5(a):
    return ex.check_gaussian_kl(a, 1.0, 1.4, -0.7, 1.4, variables=EQUAL_VARIANCE)


def js_bits(p, q, halve=True):
    m = (p + q) / 2 if halve else p + q
    return 0.5 * float(np.sum(p * np.log2(p / m))) + 0.5 * float(np.sum(q * np.log2(q / m)))


KL_04 = kl(Q_EX, P_EX, np.log2)                                        # 0.4278 bits


JSD_04 = math.sqrt(js_bits(P_EX, Q_EX))                                # 0.2957


KL_05 = textbook(2.0, 0.5, 0.0, 1.5)                                   # 1.5431 nats


KL_55 = (1.0 + 0.7) ** 2 / (2 * 1.4**2)                                # 0.7372 nats


K3_05 = float(np.mean(np.expm1(LOGQ5 - LOGP5) - (LOGQ5 - LOGP5)))     # 0.1097 nats


HELLINGER_04 = math.sqrt(0.5 * float(np.sum((np.sqrt(P_EX) - np.sqrt(Q_EX)) ** 2)))   # 0.2501


H_Q_EX = float(-np.sum(Q_EX * np.log2(Q_EX)))


def _solution(path, number):
    nb = nbformat.read(ROOT / "notebooks" / path, as_version=4)
    cells = nb.cells[_exercise_section(nb):]
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    after = text.split(f"**Exercise {number}.**")[1]
    return after, re.search(r"<summary>Solution</summary>\s*```python\n(.*?)```(.*?)</details>", after, re.S)


KL_01 = kl(P_LOADED, Q_FAIR, np.log2)                                  # 0.4238 bits


H_03 = -math.log2(0.6)                                                 # H(label, Q_image) = 0.7370 bits


H_ENGLISH = float(-np.sum(ENGLISH * np.log2(ENGLISH)))                 # 4.1928 bits


JOINT8 = np.array([[0.40, 0.05], [0.20, 0.10], [0.05, 0.20]])


P_X8, Q_X8 = np.array([0.7, 0.2, 0.1]), np.array([0.3, 0.3, 0.4])


W8 = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])


P_R8, Q_R8 = np.array([0.6, 0.25, 0.15]), np.array([0.3, 0.3, 0.4])


def _h2(v):
    v = np.asarray(v, float).ravel()
    v = v[v > 0]
    return float(-np.sum(v * np.log2(v)))


def ex08_1(a):
    return ex.check_mutual_information(a, JOINT8, base=2, name="joint_ex", variables=("X", "Y"))


def ex08_2(a):
    return ex.check_channel_kl(a, P_X8, Q_X8, W8, base=2, names=("P_X", "Q_X"), channel_name="W")


def ex08_3(a):
    return ex.check_renyi(a, P_R8, Q_R8, 2, names=("P_ex", "Q_ex"))


def ex07_3(a):
    return ex.check_information_gain(a, 10, 2)


def beta_gain_bits(first_term):
    """07 Ex3's closed form (posterior Beta(11, 3), prior Beta(1, 1)) in bits, with its first term given."""
    a1, b1, a2, b2 = 11, 3, 1, 1
    rest = (a1 - a2) * digamma(a1) + (b1 - b2) * digamma(b1) + (a2 - a1 + b2 - b1) * digamma(a1 + b1)
    return float(first_term(a1, b1, a2, b2) + rest) / L2


GAIN_07 = beta_gain_bits(lambda a1, b1, a2, b2: betaln(a2, b2) - betaln(a1, b1))          # 1.2734 bits


SOFT_T, SOFT_S = (np.exp(z / 3) / np.exp(z / 3).sum(axis=1, keepdims=True) for z in (TEACHER, STUDENT))


DISTILL_07 = 9 * float(np.mean(np.sum(SOFT_T * np.log(SOFT_T / SOFT_S), axis=1)))      # 0.6292 nats


TORCH_07 = float(np.mean(P7 * (np.log(P7) - LOG_Q7)))                                     # 0.05593 nats


MU_Z, LOG_VAR_Z = np.array([0.3, -1.2, 0.0, 0.8]), np.array([-0.4, 0.2, -1.5, 0.0])


VAE_05 = 0.5 * float(np.sum(np.exp(LOG_VAR_Z) + MU_Z**2 - 1 - LOG_VAR_Z))                # 1.4924 nats


H_TEACHER_T2 = 9 * float(np.mean(-np.sum(SOFT_T * np.log(SOFT_T), axis=1)))


M_EX = (P_EX + Q_EX) / 2


JS_SUM_04 = kl(P_EX, M_EX, np.log2) + kl(Q_EX, M_EX, np.log2)            # D(P_ex||M) + D(Q_ex||M), bits


H_LOADED = float(-np.sum(P_LOADED * np.log2(P_LOADED)))               # 2.161 bits


H_SPANISH = float(-np.sum(SPANISH * np.log2(SPANISH)))                 # 4.028 bits


H_TARGET = float(-np.sum(P_TARGET * np.log(P_TARGET)))                 # 0.8018 nats


CE_01 = ce(P_LOADED, Q_FAIR, np.log2)


CE_02 = ce(SPANISH, ENGLISH, np.log2)


H_TRAIN = float(-np.sum(TRAIN / 100 * np.log(TRAIN / 100)))            # 1.0297 nats


CE_TRAIN = ce(TRAIN / 100, WEEK / 100)                                   # 1.2477 nats


H_FAIR = math.log(6)                                                     # 1.7918 nats


CE_FAIR = ce(Q_FAIR, P_LOADED)                                           # 2.0343 nats


def _terms_rounded(p, q, k):
    """D(P||Q) from its terms p log(p/q), each rounded to ``k`` significant figures, then summed."""
    return sum(round_sig(t, k) for t in p * np.log(p / q))


def _log_ratios_rounded(p, q, k):
    return float(np.sum(p * np.array([round_sig(v, k) for v in np.log(p / q)])))


def _gain_terms_mp():
    """07 Ex3's four closed-form terms in nats (posterior Beta(11, 3), prior Beta(1, 1)), with mpmath."""
    mpmath.mp.dps = 30
    first = mpmath.log(mpmath.beta(1, 1)) - mpmath.log(mpmath.beta(11, 3))      # ln 858
    return [float(first), float(10 * mpmath.digamma(11)), float(2 * mpmath.digamma(3)),
            float(-12 * mpmath.digamma(14))]


@pytest.mark.parametrize("answer, truth", [
    (0.243, 0.24258), (1.36, 1.3568), (0.4240, 0.42401), (0.2426, 0.24258),
    (0.24258, 0.242584), (0.5, 0.49996),   # 0.5 rounds to the same 3 s.f. (0.500) as the truth
])
def test_three_correct_significant_figures_are_accepted(answer, truth):
    assert exercises.check_number(answer, truth, what="x").correct


@pytest.mark.parametrize("answer, truth, figures", [
    (0.42, 0.4240, 2), (0.17, 0.1740, 2), (0.89, 0.8869, 2), (0.058, 0.0578, 2), (0.2, 0.2426, 1),
])
def test_fewer_figures_right_as_far_as_they_go_are_told_to_give_more(answer, truth, figures):
    # a mistake the short answer only rounds to: never a concept hint
    fb = exercises.check_number(answer, truth, what="x", sig=3,
                                mistakes=[(answer * 1.002, "a concept mistake.")])
    assert round_sig(answer * 1.002, figures) == answer
    assert not fb.correct
    assert "Right as far as it goes" in fb.message and f"{figures} significant figure" in fb.message
    assert "Give 3 significant figures" in fb.message and "concept" not in fb.message
    # a mistake whose value the short answer is exactly: more figures would not change it, so it is named
    # first, and the rounding reading beside it (both message classes: the sweep's and the mistake's)
    fb = exercises.check_number(answer, truth, what="x", sig=3, mistakes=[(answer, "a concept mistake.")])
    assert fb.message.startswith(f"Not quite: {answer} matches a concept mistake."), fb.message
    assert "right as far as it goes" in fb.message and "give 3 significant figures" in fb.message, fb.message


def test_a_mistake_is_named_only_when_it_matches_better_than_the_truth():
    truth, wrong = 0.4240, 0.4712
    assert "matches y" in str(exercises.check_number(0.47, truth, what="x", mistakes=[(wrong, "y.")]))
    assert "matches y" in str(exercises.check_number(0.4712, truth, what="x", mistakes=[(wrong, "y.")]))
    # 0.45 is not the truth at 2 s.f. (0.42) nor the mistake (0.47): no diagnosis
    assert str(exercises.check_number(0.45, truth, what="x", mistakes=[(wrong, "y.")])).startswith("Not yet")


def test_truncated_answer_is_told_to_round():
    fb = exercises.check_number(0.242, 0.24258, what="x")      # truncated, not rounded: 0.243
    assert not fb.correct and "Round (do not truncate)" in fb.message
    # cut off after 4 figures, it still rounds (a 5 rounding up) to the right 3: accepted
    assert exercises.check_number(0.2425, 0.24258, what="x").correct


def test_significant_figures_are_read_from_the_shortest_repr():
    sf = exercises.significant_figures
    assert [sf(0.42), sf(0.4240), sf(120.0), sf(1e-05), sf(0.0578), sf(1 / 3)] == [2, 3, 2, 1, 3, 16]


def test_a_whole_float_has_the_figures_python_shows_and_an_int_its_own():
    # nb00: "A whole number typed as `2` has 1 significant figure, and `2.0` has the 2 Python shows"
    sf = exercises.significant_figures
    assert [sf(4.0), sf(-2.0), sf(4), sf(np.int64(-2)), sf(120.0), sf(125.0)] == [2, 2, 1, 1, 2, 3]


def _elbo_09():
    """09 Ex2 (x = 1, s = 0.3, q = N(1.2, 0.4^2)): the closed-form expected log-likelihood minus the closed-form KL."""
    return _ELL_09 - textbook(1.2, 0.4, 0.0, 1.0)


def test_a_whole_float_is_matched_at_the_2_figures_it_shows():
    # 02 Ex3: 4.0 was read at 1 figure ("at the 1 significant figure it has (Python drops trailing zeros: typing
    # 4.00 gives 4.0)"); at the 2 figures it shows it is H(spanish) rounded, and neither H(english) nor the answer
    h_english_spanish = ce(ENGLISH, SPANISH, np.log2)
    assert round_sig(H_SPANISH, 2) == 4.0
    assert round_sig(H_ENGLISH, 2) == round_sig(CE_02, 2) == 4.2 and round_sig(h_english_spanish, 2) == 4.5
    text = str(ex02_3(4.0))
    assert "at the 2 significant figures it has" in text and "H(spanish)" in text, text
    assert "at the 1 significant figure" not in text and "H(english" not in text, text
    # (np.round's whole number 4.0 keeps 1 figure, as the note on round says)
    assert "rounds to a whole number, here 1 significant figure only" in text, text
    # 09 Ex2: -2.0 is the ELBO (-2.0424) rounded to the 2 figures it shows
    elbo = _elbo_09()
    assert round_sig(elbo, 2) == -2.0 and round_sig(elbo, 1) == -2.0
    text = str(ex09_2(-2.0))
    assert text.startswith("Right as far as it goes") and "to the 2 significant figures it has" in text, text
    # -3.0 was the ELBO in bits (-2.9465) at 1 figure; at 2 it is not (-2.9), and nothing else is either
    assert round_sig(bits(elbo), 1) == -3.0 and round_sig(bits(elbo), 2) == -2.9
    text = str(ex09_2(-3.0))
    assert text.startswith("Not yet: -3.0 is not ELBO(q)") and "bits" not in text, text


def test_a_whole_float_is_cut_off_at_the_2_figures_it_shows():
    # 2.5 cut off after the 2 figures 2.0 shows is 2.5, not 2.0: 2.0 is 2.5 rounded to 1 figure (half to even)
    text = str(exercises.check_number(2.0, 2.5, what="x"))
    assert "cut off" not in text and "to 1 significant figure (2) but not to 2 (2.0)" in text, text
    text = str(exercises.check_number(2.0, 2.06, what="x"))            # 2.06 cut off after 2 figures is 2.0
    assert text.startswith("Almost: 2.0 is x cut off after 2 significant figures"), text
    # 1.5 cut off (np.trunc) after 1 figure is 1.0, after the 2 it shows 1.5: said as such, never "1 figure it has"
    text = str(exercises.check_number(1.0, 1.5, what="x"))
    assert "not x to the 2 significant figures it shows" in text and "cut off after 1 significant figure" in text
    assert "Round (do not truncate)" in text, text


def test_an_int_names_every_quantity_that_rounds_to_it_at_its_one_figure():
    # 02 Ex3: the int 4 is H(spanish, english) = 4.2013 at 1 figure, and so are H(spanish) = 4.027,
    # H(english) = 4.193 (within 1% of the answer) and H(english, spanish) = 4.454: all are named, or none
    h_english_spanish = ce(ENGLISH, SPANISH, np.log2)
    assert all(round_sig(v, 1) == 4 for v in (CE_02, H_SPANISH, H_ENGLISH, h_english_spanish))
    text = str(ex02_3(4))
    assert text.startswith("Right as far as it goes") and "the 1 significant figure it has" in text, text
    for name, value in (("H(spanish)", H_SPANISH), ("H(english)", H_ENGLISH),
                        ("H(english, spanish)", h_english_spanish)):
        # named without their values (from an eighth review: H(spanish) = 4.027 is exercise 4's ingredient)
        assert name in text and f"{value:.4g}" not in text, (name, text)
    assert "the unrounded number will tell" in text, text
    text = str(ex09_2(-2))                                             # the ELBO as an int: 1 figure, not 2
    assert "the 1 significant figure it has" in text and "2 significant figures" not in text, text


def test_messages_use_the_exercises_names():
    # notebook 01, exercise 2: D(Q_fair||P_loaded)
    right = kl_by_hand(Q, P)
    fb = exercises.check_kl(right, Q, P, names=("Q_fair", "P_loaded"))
    assert fb.correct and "D(Q_fair||P_loaded)" in fb.message and "D(P||Q)" not in fb.message
    fb = exercises.check_kl(kl_by_hand(P, Q), Q, P, names=("Q_fair", "P_loaded"))
    assert "D(P_loaded||Q_fair): the arguments are swapped" in fb.message
    assert "Q_fair comes first" in fb.message and "P, the reference" not in fb.message
    fb = exercises.check_js(0.3, P, Q, names=("P_ex", "Q_ex"))
    assert "P_ex" in fb.message
    with pytest.raises(ValueError, match="names must be two"):
        exercises.check_kl(0.1, P, Q, names="PQ")


def test_per_term_arrays_are_told_which_reduction():
    terms = P * np.log2(P / Q)
    assert "np.sum" in str(exercises.check_kl(terms, P, Q, base=2))
    x = st.norm(0, 1).rvs(size=200, random_state=np.random.default_rng(0))
    logp, logq = st.norm(0, 1).logpdf(x), st.norm(0.5, 1.2).logpdf(x)
    log_r = logq - logp
    fb = exercises.check_mc_estimate(np.expm1(log_r) - log_r, logp, logq)     # per sample: the fix is a mean
    assert "np.mean" in str(fb) and "sum" not in str(fb).split("one number.")[1].split(":")[0]


def test_check_choice():
    options = {"a": "no, because x.", "b": "yes, because y."}
    assert exercises.check_choice(" B ", "b", options).correct
    fb = exercises.check_choice("a", "b", options)
    assert not fb.correct and "because x" in fb.message
    assert "not one of the options" in exercises.check_choice("z", "b", options).message
    assert "No answer yet" in exercises.check_choice(..., "b", options).message


@pytest.mark.parametrize("written", ["b", "B", "(b)", "b)", " (B) ", "b.", "'b'"])
def test_choice_reads_the_usual_ways_of_writing_a_letter(written):
    assert exercises.check_choice(written, "b", {"a": "No.", "b": "Yes."}).correct


def test_choice_registry():
    for key, (right, explanations) in exercises.CHOICES.items():
        assert re.fullmatch(r"0[1-9]-ex\d", key) and right in explanations
        assert exercises.check_choice(right, key).correct
        for other in set(explanations) - {right}:
            assert not exercises.check_choice(other, key).correct
    with pytest.raises(KeyError, match="not a multiple-choice exercise id"):
        exercises.check_choice("a", "99-ex1")


def test_check_choice_accepts_non_string_option_keys():
    fb = exercises.check_choice(2, 2, {1: "No.", 2: "Yes."})
    assert fb.correct and "Yes." in fb.message
    assert not exercises.check_choice("1", 2, {1: "No.", 2: "Yes."})


@pytest.mark.parametrize("check", [
    lambda p, q: exercises.check_kl(0.1, p, q),
    lambda p, q: exercises.check_entropy(0.1, p),
    lambda p, q: exercises.check_cross_entropy(0.1, p, q),
    lambda p, q: exercises.check_huffman_length(0.1, p),
    lambda p, q: exercises.check_js(0.1, p, q),
    lambda p, q: exercises.check_total_variation(0.1, p, q),
])
def test_checks_name_the_bad_argument(check):
    from klteach import DistributionError
    with pytest.raises(DistributionError, match=r"^p has a negative entry"):
        check([0.5, -0.5], [0.5, 0.5])
    with pytest.raises(DistributionError, match=r"^p must be one distribution \(a 1-D vector\)"):
        check([[0.5, 0.5]], [[0.5, 0.5]])


@pytest.mark.slow
@pytest.mark.parametrize("check, label", ADVICE_CASES, ids=[c[1] for c in ADVICE_CASES])
@pytest.mark.parametrize("base", [None, 2, 10])
def test_conversion_advice_followed_numerically_is_accepted(check, label, base):
    with ex.recording() as calls:
        check(..., base)
    followed = 0
    for wrong, explanation in calls[0]["mistakes"]:
        feedback = check(wrong, base)
        if feedback.correct:
            continue                                   # a mistake equal to the truth would be caught below
        fixed = _follow(feedback.message, wrong)
        if fixed is not None:
            assert check(fixed, base).correct, (label, base, feedback.message)
            followed += 1
    assert followed >= 2      # at least the two other log bases


@pytest.mark.slow
def test_every_notebook_solution_passes_its_check(notebook_runs):
    for name, runs in notebook_runs.items():
        assert len(runs) >= 3, name
        for source, _, feedback, _ in runs:
            assert feedback.correct, (name, source, str(feedback))


def test_every_mistake_lands_at_least_one_percent_from_the_answer(notebook_runs):
    """At the data each notebook uses, no catalogued mistake is (nearly) right by coincidence."""
    report = []
    for name, runs in notebook_runs.items():
        for source, _, _, record in runs:
            if record is None:
                continue
            expected = record["expected"]
            seps = [(abs(v - expected) / abs(expected) if math.isfinite(v) else math.inf, e)
                    for v, e in record["mistakes"]]
            smallest = min(seps)
            report.append((name, record["what"], smallest[0]))
            assert smallest[0] >= 0.01, (name, source, smallest)
    print("\nminimum separation per exercise:")
    for name, what, sep in report:
        print(f"  {name:32s} {what:45s} {sep:8.1%}")


@pytest.mark.slow
def test_every_mistake_at_full_precision_gets_its_explanation(notebook_runs):
    """A learner who makes a catalogued mistake is told about a mistake, not "correct" or "give more figures"."""
    for name, runs in notebook_runs.items():
        for source, namespace, _, record in runs:
            for wrong, _ in (record or {}).get("mistakes", []):
                fb = str(eval(source, namespace | {"answer": wrong}))
                assert fb.startswith("Not quite"), (name, source, wrong, fb)


def test_every_choice_in_the_notebooks_is_in_the_registry(notebook_runs):
    for name, runs in notebook_runs.items():
        for source, *_ in runs:
            if "check_choice" in source:
                assert re.fullmatch(r'exercises\.check_choice\(answer, "(\d\d-ex\d)"\)', source), source


@pytest.mark.slow
def test_precision_sweep_over_every_notebook_check(notebook_runs):
    """Each check's right answer rounded to 1-4 significant figures: 3-4 are accepted; 1-2 are told to
    give more figures (or accepted when the rounding happens to keep 3 figures)."""
    counts = {"accepted": 0, "give more figures": 0}
    for name, runs in notebook_runs.items():
        for source, namespace, _, record in runs:
            if record is None or not math.isfinite(record["expected"]) or record["expected"] == 0:
                continue
            for figures in (1, 2, 3, 4):
                rounded = round_sig(record["expected"], figures)
                fb = eval(source, namespace | {"answer": rounded})
                if figures >= 3 or round_sig(rounded, 3) == round_sig(record["expected"], 3):
                    assert fb.correct, (name, source, figures, rounded, str(fb))
                    counts["accepted"] += 1
                elif float(rounded).is_integer() and round_sig(record["expected"], 2) != rounded:
                    # a whole number shows 2 figures (1.0 for 1.357): right at 1 only, it is not praised
                    assert "right as far as it goes" not in str(fb).lower(), (name, source, figures, str(fb))
                else:   # (a whole number that is also a mistake's value gets both readings)
                    text = str(fb).lower()
                    assert "right as far as it goes" in text, (name, source, figures, rounded, str(fb))
                    assert f"give {record['sig']} significant figures" in text
                    counts["give more figures"] += 1
    print(f"\nprecision sweep: {counts}")
    assert counts["give more figures"] > 0


def test_every_numeric_exercise_prompt_asks_for_significant_figures():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        start = _exercise_section(nb)
        prompts = [c.source for c in nb.cells[start:] if c.cell_type == "markdown"]
        text = "\n".join(prompts)
        for block in re.split(r"\*\*Exercise \d+\.\*\*", text)[1:]:
            if "Answer with a letter" in block:
                continue
            assert re.search(r"[34] significant figures", block), (path.name, block[:200])


@pytest.mark.parametrize("check, submission", [
    # 1: the unit advice followed from an answer first rounded to 3 s.f. (nats -> bits, bits -> nats, log10)
    (ex02_4, sig3(KL_SE) / L2),                                     # 0.121 / np.log(2) -> 0.1746
    (ex02_4, 0.175),                                                # ... then rounded (not truncated)
    (ex03_2, sig3(KL_TP / L2) * L2),                                # 0.123 * np.log(2) -> 0.08526
    (ex01_1, sig3(kl(P_LOADED, Q_FAIR) / L10) * (L10 / L2)),        # 0.128 -> 0.4252
    (ex01_2, sig3(kl(Q_FAIR, P_LOADED) / L10) * L10),               # 0.105 -> 0.2418
    (ex02_3, sig3(CE_SE / L10) * (L10 / L2)),                       # 1.26 -> 4.186
    (ex03_1, sig3(CE_TP / L10) * L10),                              # 0.385 -> 0.8865
    (ex03_2, sig3(KL_TP / L10) * L10),                              # 0.037 -> 0.08520
    # 2: right answers built from rounded numbers (float noise is not 16 significant figures)
    (ex03_2, 0.887 - 0.802),
    (ex02_4, round(CE_SE / L2, 2) - round(H_SP / L2, 2)),          # 4.20 - 4.03
    (ex01_1, 0.5 * (-0.74) + 0.5 * 1.58),
    # 06/07 1, 6, 7: T² (07 Ex1), 'batchmean' / 3 (07 Ex2), log10 PSI (06 Ex1) from rounded values
    (ex07_1, sig3(float(np.mean([kl_by_hand(a, b) for a, b in zip(
        *(np.exp(z / 3) / np.exp(z / 3).sum(axis=1, keepdims=True) for z in (TEACHER, STUDENT)))])))
     * 9),
    (ex07_2, sig3(float(np.sum(P7 * (np.log(P7) - LOG_Q7))) / 3) / 3),   # 0.168 / 3 = 0.056
    (ex06_1, None),                                                 # filled in below: 0.358 * np.log(10)
    (ex06_1, "rounded"),                                            # 0.824
])
def test_advice_followed_from_a_rounded_answer_is_right_as_far_as_it_goes(check, submission):
    if check is ex06_1:
        p = (REF_WEEK + 0.5) / (REF_WEEK + 0.5).sum()
        q = (CUR_WEEK + 0.5) / (CUR_WEEK + 0.5).sum()
        psi10 = float(np.sum((p - q) * np.log10(p / q)))
        submission = sig3(psi10) * L10 if submission is None else sig3(sig3(psi10) * L10)
    fb = check(submission)
    text = str(fb)
    if ex.significant_figures(submission) == 3:
        # rounded at the end too: no longer literally the route's product, so hedged (any other mistake,
        # rounded, could give it), never called wrong
        # 0.824 is also PSI cut off (0.82490): the plain cut-off reading, with no terms route (none gives it)
        assert (text.startswith("Almost") and ("rounded on the way" in text or "cut off after 3" in text)
                or "intermediate result" in text), text
    else:
        assert fb.correct or _route_named(text), (submission, text)
    # an answer that is also the right value cut off (0.824 for 0.82490) gets the plain truncation message,
    # which names rounding on the way as the other reading
    # (the conditional "If your code rounded nothing on the way, ... check each step." is the other reading)
    text = re.sub(r" If your code rounded nothing on the way, [^:]*: check each step(: .*)?\.$", "", text)
    for wrong in ("Not yet", "Round (do not truncate)", "Not quite", "check each step"):
        if wrong == "Round (do not truncate)" and "cut off" in text:
            continue
        assert wrong not in text, (submission, text)


@pytest.mark.slow
def test_unit_advice_followed_from_rounded_wrong_units_in_every_notebook(notebook_runs):
    """Every unit or factor advice, followed literally from the wrong value rounded to 3 or 4 s.f.,
    leads to an accepted answer or to "right as far as it goes" (never a mistake or "Not yet")."""
    followed = 0
    for name, runs in notebook_runs.items():
        for source, namespace, _, record in runs:
            for wrong, _ in (record or {}).get("mistakes", []):
                for figures in (3, 4):
                    rounded = round_sig(wrong, figures)
                    fb = eval(source, namespace | {"answer": rounded})
                    fixed = _follow(str(fb), rounded)
                    if fixed is None:
                        continue
                    after = str(eval(source, namespace | {"answer": fixed}))
                    assert after.startswith(("Correct", "Right as far as it goes")) or _route_named(after), \
                        (name, source, rounded, after)
                    followed += 1
    assert followed > 20


def test_advice_speaks_of_the_unrounded_number():
    assert "unrounded number your code computed" in str(ex01_1(kl(P_LOADED, Q_FAIR)))     # nats for bits
    with ex.recording() as calls:
        ex07_1(...)
    no_t2 = [v for v, e in calls[0]["mistakes"] if "without the factor T²" in e][0]
    assert "unrounded KL" in str(ex07_1(no_t2))


@pytest.mark.parametrize("submission, fixed_length", [(2.0, True), (2.00, True), (np.log2(4), True)])
def test_log2_k_is_named_not_called_huffman_or_asked_for_figures_that_cannot_change(submission, fixed_length):
    entropy_fb, huffman_fb = str(ex02_1(submission)), str(ex02_2(submission))
    assert entropy_fb.startswith("Not quite") and "uniform" in entropy_fb and "Huffman" not in entropy_fb
    assert huffman_fb.startswith("Not quite") and "fixed-length code" in huffman_fb
    assert 1.5 == float(np.dot(P_SENSOR, [1, 2, 3, 3]))               # the Huffman average (lengths 1, 2, 3, 3)


def test_nan_advice_uses_one_mask_and_blames_zeros_only_when_there_are_some():
    with np.errstate(all="ignore"):
        nan_fb = str(ex03_3(np.sum(LABEL * np.log2(LABEL / Q_IMAGE))))
        literal = float(np.sum(LABEL[LABEL > 0] * np.log2(LABEL[LABEL > 0] / Q_IMAGE)))   # mask on one array
    # the right formula takes no log of label
    assert "label went inside a log" in nan_fb and "[m]" not in nan_fb, nan_fb
    m = LABEL > 0
    assert ex03_3(float(np.sum(LABEL[m] * np.log2(LABEL[m] / Q_IMAGE[m])))).correct   # the advice, followed
    assert "mask applied to label only" in str(ex03_3(literal))
    for check in (ex01_1, ex01_2, ex02_1):                              # no zero probabilities there
        fb = str(check(float("nan")))
        assert "NaN" in fb and "0 * log(0)" not in fb and "no zero probabilities" in fb


@pytest.mark.parametrize("check, submission", [
    (ex01_1, kl(P_LOADED, Q_FAIR) * L2),                  # nats * ln 2 instead of / ln 2: 0.2037
    (ex01_2, kl(Q_FAIR, P_LOADED, np.log2) / L2),          # bits / ln 2 instead of * ln 2: 0.5049
    (ex02_1, ce(P_SENSOR, P_SENSOR) * L2),                 # 0.6519
    (ex02_3, CE_SE * L2),                                  # 2.018
    (ex03_3, -math.log(0.6) * L2),                         # 0.3541
])
def test_unit_conversion_the_wrong_way_is_named(check, submission):
    fb = str(check(submission))
    assert fb.startswith("Not quite") and "converted the wrong way" in fb, fb


def test_negative_answers_name_their_real_cause():
    p_train = TRAIN / TRAIN.sum()
    week_raw = str(ex01_3(float(np.sum(p_train * np.log(p_train / WEEK)))))      # -4.387
    assert "Q_week left as counts" in week_raw and "order of the ratio" not in week_raw
    mean_fb = str(ex01_1(float(np.mean(np.log2(P_LOADED / Q_FAIR)))))              # -0.3500
    assert "plain mean" in mean_fb and "order of the ratio" not in mean_fb
    flipped = str(ex01_1(float(np.mean(np.log2(Q_FAIR / P_LOADED)))))               # +0.3500
    # they coincide here: the single mistake is named, not the double one (learner pass 13h)
    assert "plain mean" not in flipped and "swapped" in flipped
    assert "wrong way round" in str(ex03_2(ce(P_TARGET, P_TARGET) - CE_TP))          # H - CE
    assert "wrong way round" in str(ex02_4((H_SP - CE_SE) / L2))
    generic = str(ex01_1(-0.9))                                                       # matches nothing known
    assert "cannot be negative" in generic and "do not sum to 1" in generic


@pytest.mark.slow
def test_messages_speak_the_exercises_names():
    huffman = str(ex.check_huffman_length(ce(P_SENSOR, P_SENSOR, np.log2), P_SENSOR, name="P_sensor"))
    assert "H(P_sensor)" in huffman and "H(P)" not in huffman and "p(x)" not in huffman
    unnamed = str(ex02_2(ce(P_SENSOR, P_SENSOR, np.log2)))
    assert "H(P)" not in unnamed
    raw = str(ex01_3(float(np.sum(TRAIN * np.log(TRAIN / WEEK)))))
    # the step in words, in the exercise's names, not the solution's first line (P_train = train_counts / ...)
    assert "divide train_counts and week_counts each by its own total" in raw and "P_train and Q_week" in raw, raw
    assert ".sum()" not in raw and "P_train =" not in raw, raw
    P_train, Q_week = TRAIN / TRAIN.sum(), WEEK / WEEK.sum()          # the advice, followed
    assert ex01_3(float(np.sum(P_train * np.log(P_train / Q_week)))).correct
    assert "counts.sum()" not in str(ex.check_kl(float(np.sum(TRAIN * np.log(TRAIN / WEEK))), TRAIN, WEEK))
    gain = str(ex.check_information_gain(0.01, 10, 2)) + str(ex.check_information_gain(1.3880, 10, 2))
    assert "heads" in gain and "Beta(a" not in gain and "(s, f)" not in gain


def test_trailing_zeros_one_element_lists_and_float32():
    fb = str(ex01_1(0.420))
    assert "Python drops trailing zeros" in fb and "0.420 is read as 0.42" in fb
    assert ex01_1([0.424]).correct and ex01_1(np.array([0.424])).correct and ex01_1((0.424,)).correct
    assert str(ex01_1(np.float32(0.42))).startswith("Right as far as it goes")
    assert ex01_1(np.float32(0.4240)).correct
    assert ex06_1([0.825]).correct == ex06_1(np.array([0.825])).correct


def test_distillation_data_keep_t_t2_and_batch_apart():
    with ex.recording() as calls:
        ex07_1(...)
    fb = str(ex07_1(calls[0]["expected"] / 4))          # T² x the mean over all 8 elements
    assert "all 8 elements" in fb and "without the factor" not in fb


def test_permutation_p_value_messages():
    at_least = int(np.sum(PERMUTED >= OBSERVED))
    greater = int(np.sum(PERMUTED > OBSERVED))
    assert at_least - greater >= 2                        # two ties: the routes below stay apart
    numerator = str(ex06_2(at_least / 100))               # the numerator's +1 forgotten
    # with two ties, ties counted as half give the same 13/100: both are named
    assert "numerator" in numerator and "ties counted as half" in numerator
    assert "ties count too" in str(ex06_2((1 + greater) / 100))
    for wrong in (1 - (1 + at_least) / 100, float(np.mean(PERMUTED < OBSERVED))):
        assert "at least as large" in str(ex06_2(wrong)) and "np.sum(permuted" not in str(ex06_2(wrong))


def test_torch_row_sums_are_told_to_average_the_pointwise_terms():
    rows = np.sum(P7 * (np.log(P7) - LOG_Q7), axis=1)
    fb = str(ex07_2(rows))
    assert "row sums" in fb and "9 pointwise terms" in fb
    assert ex07_2(float(np.mean(P7 * (np.log(P7) - LOG_Q7)))).correct


def test_named_tuple_answer_points_to_the_field_the_question_asks_for():
    from klteach import drift
    fb = str(ex06_1(drift.drift_measures(REF_WEEK, CUR_WEEK, pseudo_count=0.5)))
    assert "answer = result.psi" in fb and "kl_ref_cur." not in fb


def test_coinciding_mistakes_are_named_together():
    fb = ex.check_number(0.5, 0.3, what="x", mistakes=[(0.5, "first cause."), (0.5001, "second cause."),
                                                        (0.9, "far cause.")])
    assert "first cause." in str(fb) and "second cause." in str(fb) and "far cause" not in str(fb)


@pytest.mark.slow
def test_every_pair_of_mistakes_is_apart_or_named_together(notebook_runs):
    """Catalogued mistakes less than 1% apart at a notebook's data are reported together for an answer of
    4 figures that matches both at those figures (0.845 is not 0.8365); an answer with all its figures is named
    with the mistakes it equals (to 1e-6) only."""
    pairs = 0
    for name, runs in notebook_runs.items():
        for source, namespace, _, record in runs:
            mistakes = [(v, e) for v, e in (record or {}).get("mistakes", []) if math.isfinite(v)]
            for i, (v1, e1) in enumerate(mistakes):
                for v2, e2 in mistakes[i + 1:]:
                    if e1 == e2 or abs(v1 - v2) > 0.01 * min(abs(v1), abs(v2)):
                        continue
                    equal = abs(v1 - v2) <= 1e-6 * min(abs(v1), abs(v2))
                    for v, own, other, w in ((v1, e1, e2, v2), (v2, e2, e1, v1)):
                        shown = round_sig(v, 4)
                        fb = str(eval(source, namespace | {"answer": shown}))
                        # the other is named too when the 4-figure answer matches it at those 4 figures
                        # (at the figures Python keeps: 0.07600 is read as 0.076, 2 figures)
                        figs = min(4, len(Decimal(repr(shown)).normalize().as_tuple().digits))
                        half = 0.5 * 10.0 ** (math.floor(math.log10(abs(shown))) - figs + 1)
                        both = round_sig(w, figs) == shown or abs(w - shown) <= half * (1 + 1e-9)
                        assert own in fb and (other in fb) == both, (name, source, v1, v2, fb)
                        fb = str(eval(source, namespace | {"answer": v}))
                        assert own in fb and (other in fb) == equal, (name, source, v1, v2, fb)
                    pairs += 1
    assert pairs >= 1          # 01 Ex1: D(Q_fair||P_loaded) is the plain mean of log(Q_fair/P_loaded)


def test_the_data_of_these_findings():
    """The reported numbers, recomputed here, so the submissions below mean what the findings say."""
    assert (sig3(KL_04), sig3(JSD_04), sig3(KL_05), sig3(KL_55), sig3(K3_05)) == (0.428, 0.296, 1.54, 0.737, 0.11)
    assert sig3(KL_04 * L2 / L10) == 0.129 and sig3(ce(Q_EX, P_EX, np.log2)) == 2.41
    assert sig3(JSD_04 * math.sqrt(L2)) == 0.246 and sig3(JSD_04 * math.sqrt(L2 / L10)) == 0.162
    assert sig3(KL_05 / L2) == 2.23 and sig3(KL_55 / L2) == 1.06 and sig3(KL_55 + 0.5) == 1.24
    assert round(HELLINGER_04, 3) == 0.25 and sig3(math.sqrt(kl(P_EX, (P_EX + Q_EX) / 2, np.log2))) == 0.314


@pytest.mark.parametrize("check, submission", [
    (ex04_1, 0.429), (ex05_1, 1.55),                       # above the truth: truncation cannot be the cause
])
def test_round_do_not_truncate_only_for_a_truncated_answer(check, submission):
    text = str(check(submission))
    assert not check(submission).correct and "truncate" not in text, text
    generic = str(ex.check_number(0.244, 0.24258, what="x"))           # above the truth, no route explains it
    # 0.244 +- 0.0005 excludes 0.24258: it does not agree to 3 figures, and no rounding route is known
    assert generic.startswith("Almost") and "check each step" in generic and "agrees" not in generic
    assert "truncate" not in generic


@pytest.mark.parametrize("check, submission", [
    (ex04_1, 0.129 * L10 / L2),                      # base-10 answer rounded, then converted: 0.4285
    (ex04_1, 0.429),                                 # ... and rounded
    (ex04_1, 2.41 - H_Q_EX),                         # cross-entropy rounded, then H(Q_ex) subtracted: 0.4245
    (ex04_2, 0.246 / math.sqrt(L2)),                 # scipy's nats distance rounded, then converted: 0.2955
    (ex04_2, 0.295),
    (ex04_2, 0.162 * math.sqrt(L10 / L2)),           # base-10 distance rounded, then converted: 0.2953
    (ex05_1, 2.23 * L2), (ex05_1, 1.55),             # bits rounded, then converted: 1.546
    (ex05_5, 1.06 * L2),                             # 0.7347
    (ex05_5, 1.24 - 0.5),                            # E_P[(x - mu_2)²]/(2 sigma²) rounded, then 1/2 subtracted
])
def test_advice_followed_from_a_rounded_wrong_answer_is_not_called_wrong(check, submission):
    fb = check(submission)
    text = str(fb)
    if ex.significant_figures(submission) == 3:      # rounded after the step: hedged, never called wrong
        # also the right value cut off (0.295 for 0.29596): the plain truncation message, which names
        # rounding on the way as the other reading
        cut = "cut off" in text
        assert text.startswith("Almost") and ("rounded on the way" if cut else "intermediate result") in text, \
            (submission, text)
    else:
        cut = False
        assert _route_named(text), (submission, text)
    # (the conditional "If your code rounded nothing on the way, ... check each step." is the other reading)
    text = re.sub(r" If your code rounded nothing on the way, [^:]*: check each step(: .*)?\.$", "", text)
    for wrong in ("Not yet", "Not quite", "check each step") + (() if cut else ("Round (do not truncate)",)):
        assert wrong not in text, (submission, text)
    assert "unrounded" in text


def test_subtraction_and_factor_advice_acts_on_the_unrounded_number():
    with ex.recording() as calls:
        ex04_1(...)
        ex05_1(...)
        ex05_5(...)
        ex.check_cross_entropy(..., P_EX, Q_EX)
        ex.check_vae_kl(..., [0.3, -1.2], [-0.4, 0.2])
        ex05_3(...)
    explanations = [e for call in calls for _, e in call["mistakes"]]
    for words in ("Subtract H(Q_ex)", "final -1/2", "without the mean term", "alone: subtract",
                  "Add H(P)", "twice the KL", "mean over latent coordinates", "sum over samples"):
        [e] = [e for e in explanations if words in e]
        assert "unrounded" in e, e


def test_hellinger_is_named_and_a_short_answer_names_every_mistake_it_matches():
    both = str(ex04_2(0.250))                         # Python reads 0.250 as 0.25: 2 significant figures
    # 0.250 is the Hellinger distance rounded to the 3 figures asked: named first
    # ... and the distance in nats (0.2462) rounded to the 2 figures it has is listed beside it
    assert both.startswith("Not quite") and "Hellinger" in both and "in nats" in both
    assert "0.250 gives 0.25" in both
    alone = str(ex04_2(HELLINGER_04))
    assert "Hellinger" in alone and "in nats" not in alone
    nats = str(ex04_2(JSD_04 * math.sqrt(L2)))
    assert "in nats" in nats and "Hellinger" not in nats


def test_equal_variance_derivation_speaks_its_own_names():
    forgot = str(ex05_5(KL_55 + 0.5))                                    # E_P[(x - mu_1)²]/(2 sigma²) not subtracted
    assert "E_P[(x - mu_2)²] / (2 sigma²) alone" in forgot and "subtract" in forgot
    zero = str(ex05_5(0))
    assert zero.startswith("Not quite") and "E_P[(x - mu_2)²] = sigma² + (mu_1 - mu_2)²" in zero
    far = str(ex05_5(0.5))
    assert far.startswith("Not yet") and "expectation under P of log(p(x)/q(x))" in far
    with ex.recording() as calls:
        ex05_5(...)
    texts = [e for _, e in calls[0]["mistakes"]] + [zero, far, forgot]
    for general in ("sigma_p", "sigma_q", "mu_p", "mu_q", "final -1/2"):
        assert not any(general in t for t in texts), general
    assert "minus" in str(ex05_5(-KL_55)) and "mu_2 term first" in str(ex05_5(-KL_55))
    assert "halve" in str(ex05_5(2 * KL_55))
    assert ex05_5(KL_55).correct


@pytest.mark.parametrize("check, submission, truncation", [
    (ex04_1, 0.427, True), (ex05_3, 0.109, True), (ex04_2, 0.295, True),
])
def test_truncated_answers_are_told_to_round_and_the_start_page_says_so(check, submission, truncation):
    text = str(check(submission))
    assert not check(submission).correct and "cut off" in text and "truncate" in text, text
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    assert any("One cut off after 3 figures or fewer, whose last digit is then one too small, is told to round"
               in c.source for c in start.cells)


def test_message_wording_findings():
    short = str(ex04_2(0.30))                          # the right value to 2 s.f., read as 0.3 (also exactly TV)
    assert "Python reads your answer as 0.3" in short and "If you meant 0.30" in short
    assert short.startswith("Not quite: 0.3 matches the total variation distance"), short
    assert "to the 1 significant figure it has" not in short
    assert "1 numbers" not in str(ex04_1([True]))
    text = str(ex04_1("0.428"))
    assert "float(" in text and "quotes" in text
    assert "converted the wrong way" in str(ex04_1(kl(Q_EX, P_EX) * L2))       # nats times ln 2
    exact = str(ex05_3(textbook(0, 1, 0.5, 1.2)))                           # the true D, not the k3 estimate
    assert exact.startswith("Not quite") and "exact D(P||Q)" in exact and "k3 estimate" in exact
    assert ex05_3(K3_05).correct
    nb = nbformat.read(ROOT / "notebooks" / "04_asymmetry.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells[_exercise_section(nb):])
    assert "A posterior distribution P has two well-separated modes" in text


def test_js_distance_names_the_square_root_of_one_half():
    text = str(ex04_2(math.sqrt(kl(P_EX, (P_EX + Q_EX) / 2, np.log2))))
    assert "the square root of D(P_ex||M) alone" in text
    assert "matches D(P_ex||M) alone" not in str(ex04_2(0.314))


def test_torch_swapped_arguments_are_described_with_their_reduction():
    swapped = float(np.mean(np.exp(LOG_Q7) * (LOG_Q7 - np.log(P7))))     # 'mean' of the terms of D(Q||P)
    text = str(ex07_2(swapped))
    assert text.startswith("Not quite") and "arguments swapped" in text and "reduced as 'mean'" in text
    assert "matches D(Q||P)" not in text


def test_01_ex2_says_the_order_is_the_role():
    prompt, _ = _solution("01_definition.ipynb", 2)
    assert "The names are labels; the order in $D(\\cdot\\|\\cdot)$ is the role" in prompt.split("<details>")[0]


def test_03_ex2_solution_explains_what_keeps_the_digits():
    _, solution = _solution("03_cross_entropy.ipynb", 2)
    prose = solution.group(2)
    assert "nothing cancels" not in prose and "non-negative" not in prose
    assert "u = (q - p)/p" in prose and "exactly" in prose
    # the claims, checked: near P, scipy's kl_div terms p log(p/q) - p + q lose the digits that
    # kt.kl_divergence keeps, and q - p of two floats within a factor 2 is exact (Sterbenz)
    import mpmath
    from scipy.special import kl_div

    from klteach import kl_divergence
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(10))
    q = p * (1 + 1e-8 * rng.normal(size=10))
    q = q / q.sum()
    with mpmath.workdps(60):
        sp, sq = mpmath.fsum(map(mpmath.mpf, p)), mpmath.fsum(map(mpmath.mpf, q))
        exact = float(mpmath.fsum((mpmath.mpf(a) / sp) * mpmath.log((mpmath.mpf(a) / sp) / (mpmath.mpf(b) / sq))
                                  for a, b in zip(p, q)))
        assert all(mpmath.mpf(b) - mpmath.mpf(a) == mpmath.mpf(b - a) for a, b in zip(p, q))
    assert abs(kl_divergence(p, q) - exact) <= 1e-12 * exact
    assert float(np.sum((q - p) ** 2 / (2 * p))) == pytest.approx(exact, rel=1e-3)   # D ~ sum (q - p)² / 2p
    assert exact < 1e-15 < float(np.max(np.abs(q - p)))                 # below float rounding, unlike q - p
    assert abs(float(np.sum(kl_div(p, q))) - exact) > 0.01 * exact
    assert abs(float(np.sum(p * np.log(p / q))) - exact) > 0.01 * exact


def test_04_ex3_solution_uses_the_bound_of_section_4_and_prints_true():
    prompt, solution = _solution("04_asymmetry.ipynb", 3)
    code = solution.group(1)
    assert "pinsker_bound" not in code and "np.sqrt(kt.kl_divergence(P_ex, Q_ex) / 2)" in code
    import klteach as kt
    scope = {"np": np, "kt": kt, "P_ex": P_EX, "Q_ex": Q_EX}
    lines = code.strip().splitlines()
    exec("\n".join(lines[:-1]), scope)
    shown = eval(lines[-1].split("#")[0], scope)
    assert repr(shown) == "True" and "# True" in lines[-1]
    assert scope["answer"] <= math.sqrt(kl(P_EX, Q_EX) / 2)              # Pinsker, independently


@pytest.mark.slow
def test_06_ex3_solution_claims_hold_by_simulation():
    _, solution = _solution("06_drift.ipynb", 3)
    prose = solution.group(2)
    assert "at most about one time in twenty" in prose and "most of the time its PSI is above 0.25" in prose
    from klteach import drift
    rng = np.random.default_rng(20261201)
    runs = [drift.drift_test(rng.normal(size=30), rng.normal(size=30), measure="psi", n_permutations=199,
                             seed=rng) for _ in range(300)]
    false_alarms = np.mean([r.pvalue <= 0.05 for r in runs])
    assert false_alarms <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 300)          # at most about 1 in 20
    assert np.mean([r.statistic > 0.25 for r in runs]) > 0.5                  # most of the time


def test_a_short_wrong_answer_is_not_explained_by_a_rounded_route():
    """A route's rounding explains an answer of fewer than 3 figures only when it gives that answer exactly:
    0.42 is not D(Q_ex||P_ex) rounded to 2 figures (0.43); it is D cut off, which gets the truncation message,
    with a word that, read as rounded, it may be a mistake."""
    for check, submission in ((ex04_1, 0.42), (ex05_5, 1.0), (ex05_1, 2.0)):
        text = str(check(submission))
        assert "looks like" not in text, (submission, text)
    text = str(ex04_1(0.42))
    # read as rounded it matches the plain mean (0.4206), named without its advice: 2 figures cannot tell
    assert "cut off" in text and "it matches the plain mean of log(Q_ex(x)/P_ex(x)) over outcomes (np.mean) = 0.4" \
        in text and "a known mistake" in text and "weight each" not in text.lower(), text
    assert "typing 1.00 gives 1.0" in str(ex05_5(1.0))


def test_the_data_of_the_final_findings():
    assert (sig3(KL_01), sig3(H_03), sig3(ce(SPANISH, ENGLISH, np.log2))) == (0.424, 0.737, 4.2)
    assert round(H_03 * L2 * L2, 1) == 0.4 and round(H_03 * L2 * L2, 3) == 0.354    # wrong way, 1 figure only
    assert round(KL_01 * L2 * L2, 3) == 0.204 and sig3(0.204 / L2 / L2) == 0.425      # 4: undone on 0.204
    assert round(H_ENGLISH, 2) == 4.19 and round(H_ENGLISH, 3) == 4.193
    assert abs(H_ENGLISH - ce(SPANISH, ENGLISH, np.log2)) < 0.01 * ce(SPANISH, ENGLISH, np.log2)


@pytest.mark.parametrize("check, submission", [
    (ex03_3, 0.5), (ex03_3, 0.2), (ex01_1, 0.2), (ex01_1, 0.3),
])   # 1 - 0.6 (exactly 1 - Q_image[2], a mistake of its own) is named outright: see test_one_minus_...
# (ex01_1, 0.1) matched only D in base-10 units, which a 1-2 figure answer is never read as: see
# test_a_short_answer_is_never_read_as_a_value_in_base_10_units
def test_final_1_a_short_answer_never_gets_one_confident_diagnosis(check, submission):
    text = str(check(submission))
    assert text.startswith("Not quite"), text
    assert "too few to be sure" in text or "more figures would tell apart" in text, text
    assert "unrounded number your code computed" in text, text
    # the advice acts on the unrounded number: followed on the rounded one, it can fail (why it is hedged)
    assert not ex03_3(0.4 / L2).correct
    assert ex03_3((H_03 * L2 * L2) / L2 / L2).correct          # followed on the unrounded number: accepted


@pytest.mark.parametrize("submission", [4.19, 4.18])
def test_final_2_a_rounded_three_figure_answer_is_not_right_as_far_as_it_goes(submission):
    text = str(ex02_3(submission))
    assert text.startswith("Almost") and "intermediate result" in text, text
    assert "Right as far as it goes" not in text and "looks like" not in text, text
    # the route's literal product (more figures than asked) is still named, and its advice works
    literal = round(ce(SPANISH, ENGLISH, np.log10), 2) * (L10 / L2)       # 1.26 * log(10)/log(2) = 4.186
    assert _route_named(str(ex02_3(literal))) and "1.26" in str(ex02_3(literal))
    assert ex02_3(ce(SPANISH, ENGLISH, np.log10) * (L10 / L2)).correct


def test_final_4_undoing_a_rounded_wrong_conversion_is_a_rounded_intermediate():
    assert "converted the wrong way" in str(ex01_1(0.204))
    text = str(ex01_1(0.204 / L2 / L2))                                    # 0.4246
    assert (text.startswith("Almost") and "intermediate result" in text
            and "weight each" not in before_unrounded(text).lower()), text


@pytest.mark.parametrize("check, submission", [(ex01_2, 0.242), (ex02_4, 0.173), (ex03_1, 0.886),
                                               (ex03_3, 0.736), (ex01_1, 0.423)])
def test_final_5_truncated_answers_are_told_to_round_not_to_give_figures_they_have(check, submission):
    text = str(check(submission))
    assert text.startswith("Almost") and "cut off" in text and "truncate" in text, text
    assert "Give 3 significant figures" not in text, text


def test_final_6_the_start_page_says_when_a_rounded_route_is_named():
    start = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4).cells)
    assert "tells you when your number looks like a rounded value converted" not in start
    assert "still accepted when it rounds to the right 3 figures" in start
    assert ex01_1(sig3(KL_01 * L2) / L2).correct == (sig3(sig3(KL_01 * L2) / L2) == sig3(KL_01))


def test_final_8_common_mistakes_are_named():
    mean_terms = float(np.mean(P_LOADED * np.log2(P_LOADED / Q_FAIR)))  # 0.07067
    assert abs(mean_terms - 0.07066640887957916) < 1e-15
    assert "np.mean" in str(ex01_1(mean_terms)) and str(ex01_1(mean_terms)).startswith("Not quite")
    assert ex01_1(mean_terms * 6).correct                               # the advice, followed
    h_p = float(-np.sum(P_LOADED * np.log2(P_LOADED)))                  # 2.161
    assert round(h_p, 3) == 2.161
    assert str(ex01_1e(2.161)).startswith("Not quite: 2.161 matches H(P_loaded)")
    assert str(ex01_1(2.161)).startswith("Not quite: 2.161 matches a sum that leaves Q_fair out")     # notebook 01
    # H(english) is within 1% of H(spanish, english): catalogued, it would be nearly right by coincidence,
    # so it is not a distractor; but given exactly (the full number), it is named as what it is
    text = str(ex02_3(H_ENGLISH))
    assert text.startswith("Not quite: 4.193 is H(english), the entropy of english alone"), text


def test_a_short_decimal_that_is_exactly_a_mistakes_value_names_that_mistake():
    """06 Ex2: count / (B + 1) = 13/100 = 0.13 exactly; 13/99 (no +1s) = 0.1313 is not 0.13."""
    count = int(np.sum(PERMUTED >= OBSERVED))
    assert count == 13 and len(PERMUTED) == 99       # independent of the check: 13 / 100 is the value
    fb = str(ex06_2(np.sum(PERMUTED >= OBSERVED) / (len(PERMUTED) + 1)))
    assert fb.startswith("Not quite: 0.13 is exactly the value of") and "count / (B + 1)" in fb, fb
    # 13/99 = 0.1313 (no +1s) also rounds to 0.13 at its 2 figures: that reading is listed too, and the
    # unrounded number asked for ("more figures would not change it" would be false for that reading)
    assert round_sig(count / len(PERMUTED), 2) == 0.13 and count / len(PERMUTED) != 0.13
    assert "also matches #{T_perm >= T_obs} / B (0.1313)" in fb, fb
    assert "Give the unrounded number your code computed" in fb and "more figures would not change" not in fb, fb


def test_flipped_log_ratio_in_05_ex1_is_named_not_read_as_a_missing_mean_term():
    # with these data 2 sigma_p² + dmu² = 2 sigma_q² (0.5 + 4 = 4.5): the flipped-log value is exactly minus
    # the "no mean term" value, so "without its sign" would send the learner the wrong way
    mu_p, sigma_p, mu_q, sigma_q = 2.0, 0.5, 0.0, 1.5
    assert 2 * sigma_p**2 + (mu_p - mu_q) ** 2 == 2 * sigma_q**2
    flipped = math.log(sigma_p / sigma_q) + (sigma_p**2 + (mu_p - mu_q) ** 2) / (2 * sigma_q**2) - 0.5
    for submission in (flipped, round(flipped, 3)):
        fb = str(ex05_1(submission))
        assert fb.startswith("Not quite") and "upside down" in fb and "mean term" not in fb, fb
        assert "Without its sign" not in fb
    fixed = math.log(sigma_q / sigma_p) + (sigma_p**2 + (mu_p - mu_q) ** 2) / (2 * sigma_q**2) - 0.5
    assert ex05_1(fixed).correct                      # the advice, followed, is accepted


@pytest.mark.parametrize("check, banned", [
    (ex04_3, ("probabilit", "log")), (ex06_2, ("probabilit", "log of")),
    (ex05_1, ("probabilit",)), (ex05_2, ("probabilit",)), (ex05_5, ("probabilit",)),
])
def test_nan_advice_fits_the_check(check, banned):
    fb = str(check(float("nan")))
    assert fb.startswith("Your answer is NaN"), fb
    for word in banned:
        assert word not in fb.lower().replace("no logarithm", ""), (word, fb)


def test_vae_plus_log_var_is_named():
    mu, log_var = np.array([0.3, -1.2, 0.0, 0.8]), np.array([-0.4, 0.2, -1.5, 0.0])
    plus = 0.5 * float(np.sum(np.exp(log_var) + mu**2 - 1 + log_var))      # -0.2076
    for submission in (plus, -0.208):
        fb = str(ex05_2(submission))
        assert fb.startswith("Not quite") and "+ log_var_z_j" in fb, (submission, fb)
    right = 0.5 * float(np.sum(np.exp(log_var) + mu**2 - 1 - log_var))
    assert ex05_2(right).correct


@pytest.mark.parametrize("check, submission", [
    (ex07_1, 0.63), (ex05_5, 0.74), (ex07_2, 0.056),
])
def test_a_short_right_answer_is_not_given_a_route_reading(check, submission):
    """1.26 / 2 = 0.63 (07 Ex1), 0.74 (05 Ex5), 0.168 / 3 = 0.056 (07 Ex2): right as far as they go."""
    fb = str(check(submission))
    assert fb.startswith("Right as far as it goes") and "give 3 significant figures" in fb.lower(), fb
    assert "also exactly" not in fb and "rounded to" not in fb and "check each step" not in fb, fb
    assert "T x the mean KL" not in fb and "alone" not in fb and "batchmean" not in fb, fb


@pytest.mark.slow
def test_a_catalogued_negative_mistake_is_named_not_read_without_its_sign(notebook_runs):
    """A negative wrong route whose size is another mistake's value (05 Ex1: the flipped log ratio is minus
    the formula without its mean term) is named itself, never sent to the other mistake by its size."""
    seen = 0
    for name, runs in notebook_runs.items():
        for source, namespace, _, record in runs:
            if record is None or record["expected"] < 0:
                continue
            for wrong, explanation in record["mistakes"]:
                if math.isfinite(wrong) and wrong < 0:
                    fb = str(eval(source, namespace | {"answer": wrong}))
                    assert "Without its sign" not in fb and explanation in fb, (name, source, wrong, fb)
                    seen += 1
    assert seen >= 2


def test_05_and_07_messages_speak_in_the_exercise_names(notebook_runs):
    """05 Ex2 (mu_z, log_var_z), 05 Ex3 (logp_s, logq_s), 07 Ex2 (log_q, p): no generic names in any message."""
    generic = {"05_continuous_and_gaussian": (r"\blog_var\b(?!_z)", r"\bmu_j", r"\blogp\b", r"\blogq\b"),
               "07_machine_learning": (r"target \*", r"- input\)", r"F\.kl_div\(input", r"D\(Q\|\|P\)")}
    checked = 0
    for name, patterns in generic.items():
        for source, namespace, _, record in notebook_runs[name]:
            if record is None or not any(k in source for k in ("vae", "mc_estimate", "torch")):
                continue
            texts = [str(eval(source, namespace | {"answer": a})) for a in
                     [w for w, _ in record["mistakes"]] + [12345.0, float("nan")]]
            for text in texts:
                for pattern in patterns:
                    assert not re.search(pattern, text), (name, pattern, text)
                checked += 1
    assert checked >= 15


@pytest.mark.parametrize("check, submission, words", [
    (ex04_3, 0.333, "Pinsker's bound"),                  # sqrt(D(P_ex||Q_ex) / 2) = 0.3326
    (ex06_1, 0.669, "pseudo-count of 1"),
    (ex06_1, 0.845, "only ref_week smoothed"),
    (ex06_1, 0.836, "empty bins only"),
    (ex06_1, 82.5, "PSI x 100"),
    (ex06_2, 14.0, "percentage"),
    (ex05_2, 2.15, "in bits"),
    (ex07_1, 0.331, "T = 1"),
])
def test_real_mistakes_of_the_final_pass_are_named(check, submission, words):
    fb = str(check(submission))
    assert fb.startswith("Not quite") and words in fb, fb


def test_the_named_mistakes_of_the_final_pass_reproduce_independently():
    kl = lambda p, q: float(np.sum(p * np.log(p / q)))
    assert round(math.sqrt(kl(P_EX, Q_EX) / 2), 3) == 0.333
    psi = lambda x, y: float(np.sum((x / x.sum() - y / y.sum()) * np.log((x / x.sum()) / (y / y.sum()))))
    r, c = REF_WEEK.astype(float), CUR_WEEK.astype(float)
    assert round(psi(r + 1, c + 1), 3) == 0.669
    assert round(psi(r + 0.5, c), 3) == 0.845
    assert round(psi(np.where(r == 0, 0.5, r), c), 3) == 0.836
    assert round(100 * psi(r + 0.5, c + 0.5), 1) == 82.5
    assert round(100 * (1 + int(np.sum(PERMUTED >= OBSERVED))) / 100, 1) == 14.0
    mu, log_var = np.array([0.3, -1.2, 0.0, 0.8]), np.array([-0.4, 0.2, -1.5, 0.0])
    assert round(0.5 * float(np.sum(np.exp(log_var) + mu**2 - 1 - log_var)) / math.log(2), 2) == 2.15
    soft = lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    plain = float(np.mean(np.sum(soft(TEACHER) * np.log(soft(TEACHER) / soft(STUDENT)), axis=1)))
    assert round(plain, 3) == 0.331


def test_findings_close_misses_truncation_and_whole_numbers():
    """A 3-figure answer whose half-unit interval excludes the truth is not said to agree; a truncation gets
    the plain truncation message; a whole number's trailing zero is not said to be dropped."""
    truth = textbook(2.0, 0.5, 0.0, 1.5)                 # 1.5431 nats, by the closed form written here
    assert abs(1.53 - truth) > 0.005 and abs(1.55 - truth) > 0.005
    # 1.55 is a real rounding route: D in bits rounded to 2.23, converted to nats (1.5457), rounded
    assert sig3(sig3(truth / L2) * L2) == 1.55
    for submission in (1.53, 1.55):
        text = str(ex05_1(submission))
        assert text.startswith("Almost") and "agrees" not in text, text
    assert "check each step" in str(ex05_1(1.53))      # no rounding route gives 1.53
    # 06 Ex1: 0.824 is PSI (0.82490...) cut off
    p, q = (REF_WEEK + 0.5) / (REF_WEEK + 0.5).sum(), (CUR_WEEK + 0.5) / (CUR_WEEK + 0.5).sum()
    assert math.floor(float(np.sum((p - q) * np.log(p / q))) * 1000) == 824
    text = str(ex06_1(0.824))
    assert text.startswith("Almost") and "cut off" in text, text
    assert text.count("round (not truncate)") + text.count("Round (do not truncate)") == 1, text
    # it is also PSI in base-10 units rounded, then converted, but no exercise uses base 10: that route is
    # not named beside the cut-off, and never as a mistake
    assert "Right as far as it goes" not in text and "base-10" not in text, text
    assert "Not quite" not in text and "Not yet" not in text, text
    # 05 Ex3: 110.0 (the sum, 109.68, rounded): typing 110 drops no zero
    text = str(ex05_3(110.0))
    assert text.startswith("Not quite") and "drops trailing zeros" not in text, text
    assert "110 may have 2 or 3 significant figures" in text, text


def test_findings_cross_entropy_mean_wrong_class_and_probability():
    """03 Ex1: np.mean of the terms; 03 Ex3 (one-hot label): -log2 of a wrong class, and q itself."""
    mean = -float(np.mean(P_TARGET * np.log(Q_PRED)))
    assert round(mean, 4) == 0.2956 and abs(mean * 3 - 0.2956) > 0.01
    assert "np.mean" in str(ex03_1(0.2956)) and str(ex03_1(0.2956)).startswith("Not quite")
    assert -math.log2(Q_IMAGE[1]) == 2.0 and -math.log2(Q_IMAGE[2]) != 2.0
    text = str(ex03_3(2.0))
    assert text.startswith("Not quite") and "class 1" in text, text
    text = str(ex03_3(0.6))
    assert text.startswith("Not quite") and "not its log" in text, text


def test_findings_noisy_near_misses_ask_about_rounded_terms_and_name_no_inexact_route():
    """01 Ex1 (truth 0.42400 bits): rounded terms summed give float noise; 0.425 is not the base-10 route."""
    terms = P_LOADED * np.log2(P_LOADED / Q_FAIR)
    rounded_sum = float(np.sum(np.round(terms, 3)))
    assert round(rounded_sum, 3) == 0.422 and rounded_sum != 0.422
    text = str(ex01_1(rounded_sum))
    assert "round the terms before summing" in text, text
    base10 = float(np.sum(P_LOADED * np.log10(P_LOADED / Q_FAIR)))
    assert round(base10, 3) == 0.128 and abs(0.128 * math.log2(10) - 0.425) > 1e-4
    text = str(ex01_1(0.42500000000000004))
    # it is also 2.585 - 2.16, the cross-entropy and H(P_loaded) rounded to different figures: either reading
    # is a rounding on the way
    assert round(2.585 - 2.16, 12) == round(0.42500000000000004, 12) == 0.425        # equal up to float noise
    assert "base-10" not in text and ("round the terms before summing" in text or "(2.16)" in text), text


def test_mutual_information_check_right_answer_and_mistakes():
    px, py = JOINT8.sum(axis=1), JOINT8.sum(axis=0)
    mi = _h2(px) + _h2(py) - _h2(JOINT8)                        # the entropy identity, by hand
    assert ex08_1(mi).correct and ex08_1(round_sig(mi, 3)).correct
    assert "nats" in str(ex08_1(mi * math.log(2)))
    reverse = float(np.sum(np.outer(px, py) * np.log2(np.outer(px, py) / JOINT8)))
    assert "reverse direction" in str(ex08_1(reverse))
    assert "without subtracting" in str(ex08_1(_h2(px) + _h2(py)))
    assert "H(Y|X)" in str(ex08_1(_h2(JOINT8) - _h2(px)))
    assert "joint entropy" in str(ex08_1(_h2(JOINT8)))
    negative = str(ex08_1(-mi))
    assert "upside down" in negative and "joint_ex over the product of the marginals" in negative


def test_channel_check_right_answer_and_mistakes():
    py, qy = P_X8 @ W8, Q_X8 @ W8
    right = float(np.sum(py * np.log2(py / qy)))
    assert ex08_2(right).correct
    inputs = float(np.sum(P_X8 * np.log2(P_X8 / Q_X8)))
    fb = str(ex08_2(inputs))
    assert "D(P_X||Q_X)" in fb and "upper bound" in fb
    assert "reverse direction" in str(ex08_2(float(np.sum(qy * np.log2(qy / py)))))
    assert "nats" in str(ex08_2(right * math.log(2)))
    assert right < inputs                                        # the data processing inequality, on these data


def test_renyi_check_right_answer_and_mistakes():
    s = float(np.sum(P_R8 ** 2 / Q_R8))
    right = math.log(s)
    assert ex08_3(right).correct
    assert ex08_3(math.log1p(float(np.sum((P_R8 - Q_R8) ** 2 / Q_R8)))).correct   # the chi-square route
    assert "chi-square" in str(ex08_3(s - 1))
    assert "without its logarithm" in str(ex08_3(s))
    assert "order 1" in str(ex08_3(float(np.sum(P_R8 * np.log(P_R8 / Q_R8)))))
    assert "reverse direction" in str(ex08_3(math.log(float(np.sum(Q_R8 ** 2 / P_R8)))))
    assert "bits" in str(ex08_3(right / math.log(2)))


def test_mutual_information_from_rounded_entropies_is_a_rounding_route():
    """The submissions 1.54 + 0.934 - 2.22 and 1.539 + 0.9341 - 2.222: the identity on rounded entropies."""
    for submission, shown in ((1.54 + 0.934 - 2.22, "H(X,Y) = 2.22"), (1.539 + 0.9341 - 2.222, "H(X,Y) = 2.222"),
                              (0.254, "H(X) = 1.54")):
        fb = ex08_1(submission)
        assert not fb.correct
        assert "entropies rounded first" in str(fb) and shown in str(fb) and "Compute the marginals" not in str(fb)
    # the unrounded entropies give the right answer, as the advice says
    px, py = JOINT8.sum(axis=1), JOINT8.sum(axis=0)
    assert ex08_1(_h2(px) + _h2(py) - _h2(JOINT8)).correct
    assert "Compute the marginals" in str(ex08_1(0.26))        # a number no rounding of the entropies gives


@pytest.mark.slow
def test_mutual_information_rounding_route_needs_one_rule_for_all_three_entropies():
    """Of 0.200..0.300, only numbers one rounding rule gives (all three entropies to the same figures or
    decimals, 3-5 figures, 2-4 decimals or 2 figures) are read as a rounding route: 0.23 (1.5, 0.93, 2.2) is one,
    0.208 (1.5, 0.93, 2.222) and 0.274 (1.54, 0.934, 2.2) mix rules and are not; 0.251 is I(X;Y) cut off and is
    told so."""
    px, py = JOINT8.sum(axis=1), JOINT8.sum(axis=0)
    hs = [mpmath.mpf(0) - sum(mpmath.mpf(float(v)) * mpmath.log(mpmath.mpf(float(v)), 2) for v in t)
          for t in (px, py, JOINT8.ravel())]
    truth = hs[0] + hs[1] - hs[2]
    single = set()
    for k in (2, 3, 4, 5):
        r = [float(mpmath.nstr(h, k)) for h in hs]
        single.add(round(r[0] + r[1] - r[2], 9))
    for d in (2, 3, 4):
        r = [round(float(h), d) for h in hs]
        single.add(round(r[0] + r[1] - r[2], 9))
    for i in range(200, 301):
        value = i / 1000
        text = str(ex08_1(value))
        routed = "entropies rounded first" in text and "cut off" not in text
        cut = str(mpmath.nstr(truth, 10))[:5] == f"{value:.3f}"
        if "entropies rounded first" in text and "cut off" in text:     # a cut-off that the route gives too
            assert cut and round(value, 9) in single, value
        short = value == round(float(truth), 2)       # 0.25: right to its 2 figures, asked for more
        assert routed == (round(value, 9) in single and not (cut or short) and abs(value - truth) > 0.0005), value
    for wrong in (0.208, 0.274, 0.22, 0.23, 0.24):   # (0.23: the entropies rounded to 2 figures)
        assert "Right as far as it goes" not in str(ex08_1(wrong))
    # 0.251 typed is I(X;Y) cut off, and the entropies rounded to 3 decimals give it too: both named (learner pass 13h)
    assert "cut off" in str(ex08_1(0.251)) and "entropies rounded first" in str(ex08_1(0.251))


def test_channel_check_names_the_conditional_term_and_the_pair():
    py, qy = P_X8 @ W8, Q_X8 @ W8
    d_y = float(np.sum(py * np.log2(py / qy)))
    d_x = float(np.sum(P_X8 * np.log2(P_X8 / Q_X8)))
    for submission in (0.34996031925041526, 0.35, d_x - d_y):
        assert "conditional term" in str(ex08_2(submission))
    for pair in (np.array([d_y, d_x]), np.array([d_x, d_y]), [d_y, d_x]):
        fb = str(ex08_2(pair))
        assert "give that one number" in fb and "Sum the terms" not in fb
    assert ex08_2(d_y).correct                           # following that advice is accepted


def test_channel_check_names_negative_routes_and_says_to_weight():
    """np.sum(np.log2(P_Y / Q_Y)) = -0.4150 and the y = 1 term alone (-0.25) got only "Check the sign."."""
    py, qy = P_X8 @ W8, Q_X8 @ W8
    unweighted = float(np.sum(np.log2(py)) - np.sum(np.log2(qy)))
    assert abs(unweighted - (math.log2(0.75 / 0.5) + math.log2(0.25 / 0.5))) < 1e-12
    for submission in (unweighted, -0.415):
        assert "unweighted sum" in str(ex08_2(submission))
    for submission in (0.25 * math.log2(0.25 / 0.5), -0.25):
        assert "output 1 alone" in str(ex08_2(submission))
    fb = str(ex08_2(-0.7))                               # no route gives it, with either sign
    assert "weight each log ratio by P_Y" in fb and "Check the sign" not in fb


def test_channel_check_tells_an_output_distribution_and_input_terms_apart():
    """P_X @ W = [0.75, 0.25] was told "Sum the terms over the output outcomes" (its sum is 1); the three
    input-side terms got the same "output outcomes" wording."""
    fb = str(ex08_2(P_X8 @ W8))
    assert "output distribution P_Y" in fb and "Sum the terms" not in fb
    assert "output distribution Q_Y" in str(ex08_2([0.5, 0.5]))
    fb = str(ex08_2(P_X8 * np.log2(P_X8 / Q_X8)))
    assert "input-side terms" in fb and "upper bound" in fb and "over the output outcomes" not in fb
    fb = str(ex08_2(np.array([0.1, 0.2, 0.3])))
    assert "Your answer has 3 numbers" in fb and "weight each output's log ratio by P_Y and sum" in fb
    assert "log(P_Y / Q_Y)" not in fb and "P_X @ W" not in fb          # the step in words, not the solution line
    py, qy = P_X8 @ W8, Q_X8 @ W8
    assert "Their sum is it" in str(ex08_2(py * np.log2(py / qy)))   # the output terms: sum them


def test_renyi_check_names_routes_that_give_a_negative_number_with_either_sign():
    s = float(np.sum(P_R8 ** 2 / Q_R8))
    log_mean = math.log(s / 3)                                  # -0.7170415007593816
    assert log_mean == pytest.approx(-0.7170415007593816, rel=1e-15)
    q_power = math.log(float(np.sum(P_R8 ** 2 * Q_R8)))        # Q to the alpha - 1: -1.997
    sum_logs = float(np.sum(np.log(P_R8 ** 2 / Q_R8)))          # -4.264
    for submission, words in ((-0.7170415007593816, "log of the mean"), (0.7170415, "log of the mean"),
                              (-1.997, "alpha - 1"), (1.997, "alpha - 1"), (q_power, "alpha - 1"),
                              (-4.264, "sum of the logs"), (4.264, "sum of the logs"), (sum_logs, "sum of the logs"),
                              (-log_mean, "log of the mean")):
        fb = str(ex08_3(submission))
        assert words in fb and "Check the sign" not in fb, submission
    assert "sign flipped" in str(ex08_3(1.997))
    other = str(ex08_3(-2.5))                                   # a negative number no route gives
    assert "Add the terms over the outcomes first" in other and ">= 0" in other


def test_mutual_information_unweighted_sum_and_mixed_forms_are_named():
    """np.sum(np.log2(joint_ex / np.outer(p_x, p_y))) = -1.7454465453735781 (and -1.75) was told to check the
    order of the ratio, which is right; flipped (1.745) and H(Y) - H(X|Y) = -0.354 got the generic advice."""
    px, py = JOINT8.sum(axis=1), JOINT8.sum(axis=0)
    unweighted = float(np.sum(np.log2(JOINT8 / np.outer(px, py))))
    assert unweighted == pytest.approx(-1.7454465453735781, rel=1e-14)
    for submission in (-1.7454465453735781, -1.75):
        fb = str(ex08_1(submission))
        assert "unweighted sum" in fb and "order of the ratio is right" in fb and "check the order" not in fb
    # flipped, the ratio may be upside down (np.outer(p_x, p_y) / joint_ex): not told the order is right
    fb = str(ex08_1(1.7454465453735781))
    assert "unweighted sum" in fb and "the ratio upside down, or a stray minus" in fb
    assert "order of the ratio is right" not in fb
    mixed = _h2(py) - (_h2(JOINT8) - _h2(py))                    # H(Y) - H(X|Y)
    for submission in (mixed, -0.354):
        assert "two forms mixed" in str(ex08_1(submission))
    mi = _h2(px) + _h2(py) - _h2(JOINT8)
    assert "upside down" in str(ex08_1(-mi))                     # the ratio order advice only for -I
    assert "upside down" not in str(ex08_1(-0.9)) and "order of the ratio" not in str(ex08_1(-0.9))


def test_mutual_information_percentage_mean_and_rounded_entropies():
    """25.16 (percent) and 0.04194 (the mean over the 6 cells) got the generic hint; 0.254 (entropies rounded
    to 3 figures, wrong in its 3rd figure) was opened with "Right as far as it goes"."""
    px, py = JOINT8.sum(axis=1), JOINT8.sum(axis=0)
    mi = _h2(px) + _h2(py) - _h2(JOINT8)
    assert "percentage" in str(ex08_1(25.16)) and "percentage" in str(ex08_1(100 * mi))
    assert "mean over the 6 cells" in str(ex08_1(0.04194)) and "mean over the 6 cells" in str(ex08_1(mi / 6))
    fb = str(ex08_1(0.254))
    assert fb.startswith("Almost") and "rounded on the way" in fb and "entropies rounded first" in fb
    assert round(mi, 3) != 0.254


def test_channel_check_names_the_mean_and_the_percentage():
    """0.09436 (the mean over the 2 outputs) and 18.87 (percent) got the generic hint."""
    py, qy = P_X8 @ W8, Q_X8 @ W8
    d_y = float(np.sum(py * np.log2(py / qy)))
    for submission in (0.09436, d_y / 2):
        assert "mean over the 2 outputs" in str(ex08_2(submission))
    for submission in (18.87, 100 * d_y):
        assert "percentage" in str(ex08_2(submission))


def test_renyi_check_names_more_routes_on_the_earlier_exercise_data():
    """At P = (0.6, 0.25, 0.15), Q = (0.3, 0.3, 0.4): divided by alpha 0.1908, times alpha/(alpha - 1) 0.7631,
    D_inf 0.693, D_1/2 0.117 got the generic hint (Jeffreys 0.462 lies within 1% of chi-square 0.4646 there)."""
    s = float(np.sum(P_R8 ** 2 / Q_R8))
    d2 = math.log(s)
    d_inf = math.log(float(np.max(P_R8 / Q_R8)))
    d_half = -2 * math.log(float(np.sum(np.sqrt(P_R8 * Q_R8))))
    for submission, words in ((0.1908, "divided by alpha"), (d2 / 2, "divided by alpha"),
                              (0.7631, "times alpha"), (2 * d2, "times alpha"),
                              (0.693, "order infinity"), (d_inf, "order infinity"),
                              (0.117, "order 1/2"), (d_half, "order 1/2")):
        fb = str(ex08_3(submission))
        assert words in fb and fb.startswith("Not quite"), (submission, fb)


def test_the_data_of_the_04_07_findings():
    """The learner's numbers, rebuilt by the routes the findings name, so each submission means that route."""
    assert round(GAIN_07, 6) == 1.27344 and sig3(DISTILL_07) == 0.629 and sig3(TORCH_07) == 0.0559
    # finding 5: -D(P||Q) for 05 Ex1
    assert abs(-KL_05 - (-1.5430567331125542)) < 1e-12
    # finding 6: B for ln B; the ln B difference reversed; the mean of r - 1 (log term forgotten)
    assert abs(beta_gain_bits(lambda a1, b1, a2, b2: beta_fn(a2, b2) - beta_fn(a1, b1)) - -7.030379924724484) < 1e-9
    assert round(beta_gain_bits(lambda a1, b1, a2, b2: betaln(a1, b1) - betaln(a2, b2)), 3) == -18.216
    assert abs(float(np.mean(np.exp(LOGQ5 - LOGP5) - 1)) - -0.007896812206195985) < 1e-12
    # finding 9: bits for nats in 05 Ex5; 1 + count (= 14 = 100 p, since B + 1 = 100); H(P_ex, Q_ex) in bits
    assert abs(KL_55 / L2 - 1.0636195582064043) < 1e-12
    assert 1 + int(np.sum(PERMUTED >= OBSERVED)) == 14 and len(PERMUTED) + 1 == 100
    assert sig3(ce(P_EX, Q_EX, np.log2)) == 1.99 and sig3(H_Q_EX) == 1.99
    # finding 10: the k3 estimate in bits
    assert abs(K3_05 / L2 - 0.1582378611548875) < 1e-12


def test_04_07_finding_5_minus_the_gaussian_kl_is_named_and_its_advice_is_right():
    fb = str(ex05_1(-1.5430567331125542))
    assert fb.startswith("Not quite") and "minus D(P||Q)" in fb and "flip the sign of the whole number" in fb, fb
    assert "Check the sign of log" not in fb, fb
    assert ex05_1(1.5430567331125542).correct                     # the advice, followed
    assert str(ex05_1(-1.54)).startswith("Not quite: -1.54 matches minus D(P||Q)")
    # another negative number is not minus D: the message says so, and sends to the terms
    fb = str(ex05_1(-0.9))
    assert "not minus D(P||Q) either" in fb and not ex05_1(0.9).correct, fb


@pytest.mark.parametrize("check, submission, words", [
    (ex07_3, -7.030379924724484, "B itself"),                   # scipy.special.beta for betaln
    (ex07_3, -18.216, "first term the wrong way round"),        # betaln(a1, b1) - betaln(a2, b2)
    (ex05_3, -0.007896812206195985, "r - 1 alone"),             # the mean of r - 1, - log r forgotten
])
def test_04_07_finding_6_negative_routes_are_named_not_sent_to_check_the_sign(check, submission, words):
    fb = str(check(submission))
    assert fb.startswith("Not quite") and words in fb, fb
    assert "Check the sign." not in fb and "Without its sign" not in fb, fb


@pytest.mark.slow
def test_04_07_finding_6_no_check_says_only_check_the_sign(notebook_runs):
    """A negative number that matches nothing is never told just "Check the sign."; a message that says the
    number is not minus the answer tells the truth (its negation is not accepted)."""
    seen = 0
    for name in ("04_asymmetry", "05_continuous_and_gaussian", "06_drift", "07_machine_learning"):
        for source, namespace, _, record in notebook_runs[name]:
            if record is None or record["expected"] <= 0:
                continue
            for factor in (-3.7, -0.37):
                value = factor * record["expected"]
                fb = str(eval(source, namespace | {"answer": value}))
                assert not fb.endswith("Check the sign."), (name, source, fb)
                if "not minus" in fb:
                    assert not eval(source, namespace | {"answer": -value}).correct, (name, source, fb)
                seen += 1
    assert seen >= 24


def test_04_07_finding_7_a_group_of_unequal_mistakes_is_not_called_the_same_number():
    r, c = REF_WEEK.astype(float), CUR_WEEK.astype(float)

    def psi(x, y):
        x, y = x / x.sum(), y / y.sum()
        return float(np.sum((x - y) * np.log(x / y)))

    only_ref, empty_only = psi(r + 0.5, c), psi(np.where(r == 0, 0.5, r), np.where(c == 0, 0.5, c))
    assert abs(only_ref - 0.8448303541026941) < 1e-12 and 0 < abs(only_ref - empty_only) < 0.01 * empty_only
    # 3 figures: only the reading that 0.836 matches at 3 figures (0.8448 is 0.845 there), never "the same number"
    fb = str(ex06_1(0.836))
    assert "empty bins only" in fb and "only ref_week smoothed" not in fb and "the same number" not in fb, fb
    fb = str(ex06_1(0.84))                  # 2 figures: both match, said to be within 1%, not equal
    assert "within 1% of each other" in fb and "the same number" not in fb, fb
    fb = str(ex06_1(0.8448303541026941))    # the full number: only the mistake it equals
    assert "only ref_week smoothed" in fb and "empty bins only" not in fb and "the same number" not in fb, fb
    fb = str(ex06_2(14.0))                                     # 100 p and 1 + count are both exactly 14
    assert "the same number" in fb and "within 1%" not in fb, fb


def test_04_07_finding_8_the_psi_check_speaks_the_exercise_names(notebook_runs):
    (source, namespace, _, record), = [run for run in notebook_runs["06_drift"] if "check_psi" in run[0]]
    assert 'names=("ref_week", "cur_week")' in source
    for submission in (0.8448303541026941, -0.5, 12345.0) + tuple(w for w, _ in record["mistakes"]):
        fb = str(eval(source, namespace | {"answer": submission}))
        assert not re.search(r"\b(ref|cur)\b", fb), fb
    fb = str(eval(source, namespace | {"answer": 0.8448303541026941}))
    assert "only ref_week smoothed" in fb, fb
    one_way = [w for w, e in record["mistakes"] if "alone" in e][0]
    fb = str(eval(source, namespace | {"answer": one_way}))
    assert "p and q the smoothed, normalised ref_week and cur_week" in fb, fb


def test_04_07_finding_9_the_named_reason_is_the_one_that_applies():
    fb = str(ex05_5(1.0636195582064043))                      # the equal-variance formula has no log
    assert fb.startswith("Not quite") and "in bits" in fb and "`np.log(2)`" in fb, fb
    assert "np.log throughout" not in fb and "computed with np.log2" not in fb, fb
    assert ex05_5(1.0636195582064043 * L2).correct
    fb = str(ex06_2(14.0))                                     # 1 + count, the division forgotten
    assert fb.startswith("Not quite") and "1 + count, the numerator alone" in fb and "percentage" in fb, fb
    assert ex06_2(14.0 / 100).correct
    fb = str(ex04_1(1.99))                                     # H(P_ex, Q_ex), the swapped cross-entropy
    assert fb.startswith("Not quite") and "the cross-entropy H(P_ex, Q_ex)" in fb, fb
    assert "H(Q_ex), the entropy of Q_ex alone" in fb and "within 1% of each other" in fb, fb


def test_04_07_finding_10_the_k3_exercise_asks_for_nats_and_names_bits():
    prompt, _ = _solution("05_continuous_and_gaussian.ipynb", 3)
    assert "k3" in prompt.split("**Exercise 4.**")[0] and "in nats" in prompt.split("**Exercise 4.**")[0]
    fb = str(ex05_3(0.1582378611548875))
    assert fb.startswith("Not quite") and "k3 estimate in bits" in fb and "`np.log(2)`" in fb, fb
    assert ex05_3(0.1582378611548875 * L2).correct


@pytest.mark.parametrize("check, full, typed, words, fix", [
    # 04 Ex2: the 1/2 forgotten (with and without the square root), and the JS divergence in nats
    (ex04_2, math.sqrt(JS_SUM_04), 0.418, "without the / 2", lambda v: v / math.sqrt(2)),
    (ex04_2, JS_SUM_04, 0.175, "neither averaged", lambda v: math.sqrt(v / 2)),
    (ex04_2, JS_SUM_04 / 2 * L2, 0.0606, "divergence in nats", lambda v: math.sqrt(v / L2)),
    # 05 Ex1: 2 sigma_q² written sigma_q²
    (ex05_1, math.log(1.5 / 0.5) + (0.5**2 + 2.0**2) / 1.5**2 - 0.5, 2.4875, "the 2 of the denominator", None),
    # 05 Ex2: the - 1 forgotten, the mu_z² term forgotten
    (ex05_2, 0.5 * float(np.sum(np.exp(LOG_VAR_Z) + MU_Z**2 - LOG_VAR_Z)), 3.4924, "without its - 1",
     lambda v: v - 2),
    (ex05_2, 0.5 * float(np.sum(np.exp(LOG_VAR_Z) - 1 - LOG_VAR_Z)), 0.4074, "without its mu_z_j² term",
     lambda v: v + float(np.sum(MU_Z**2)) / 2),
    # 07 Ex1: T² x the cross-entropy
    (ex07_1, 9 * float(np.mean(-np.sum(SOFT_T * np.log(SOFT_S), axis=1))), 11.73, "T² x the cross-entropy",
     lambda v: v - H_TEACHER_T2),
    # 07 Ex2: the cross-entropy terms; bits
    (ex07_2, float(np.mean(-P7 * LOG_Q7)), 0.337, "cross-entropy terms -p * log_q",
     lambda v: v + float(np.mean(P7 * np.log(P7)))),
    (ex07_2, TORCH_07 / L2, 0.0807, "in bits", lambda v: v * L2),
    # 04 Ex3: TV as a percentage
    (ex04_3, 100 * 0.5 * float(np.sum(np.abs(P_EX - Q_EX))), 30.0, "as a percentage", lambda v: v / 100),
])
def test_04_07_finding_11_common_mistakes_are_named(check, full, typed, words, fix):
    assert sig3(full) == sig3(typed) or round_sig(full, 4) == typed           # the learner's number is this route
    for submission in (full, typed):
        fb = str(check(submission))
        assert fb.startswith("Not quite") and words in fb, (submission, fb)
    if fix is not None:
        assert check(fix(full)).correct, fix(full)                         # the advice, followed
        after = str(check(fix(typed)))                                     # ... on the number as typed
        assert after.startswith(("Correct", "Right as far as it goes")) or _route_named(after), after


@pytest.mark.parametrize("check, full", [
    (ex07_1, -DISTILL_07), (ex07_2, -TORCH_07), (ex07_3, -GAIN_07), (ex05_3, -K3_05), (ex05_2, -VAE_05),
    (ex06_1, -float(np.sum((lambda p, q: (p - q) * np.log(p / q))(
        (REF_WEEK + 0.5) / (REF_WEEK + 0.5).sum(), (CUR_WEEK + 0.5) / (CUR_WEEK + 0.5).sum())))),
])
def test_04_07_minus_the_answer_is_named_and_flipping_it_is_right(check, full):
    fb = str(check(full))
    assert fb.startswith("Not quite") and "minus" in fb and "cannot be negative" not in fb, fb
    assert check(-full).correct


def test_the_data_of_the_rounding_findings():
    assert (round(H_TARGET, 3), round(H_TARGET, 2), round(H_SPANISH, 2), round(H_SPANISH, 1)) == (0.802, 0.8, 4.03, 4.0)
    assert (round(H_LOADED, 2), round(H_LOADED, 1)) == (2.16, 2.2)
    assert abs(CE_TP - H_TARGET - KL_TP) < 1e-15 and abs(CE_01 - H_LOADED - KL_01) < 1e-15


@pytest.mark.parametrize("check, submission", [
    (ex03_2, CE_TP - 0.802), (ex03_2, CE_TP - 0.80), (ex02_4, CE_02 - 4.03), (ex02_4, CE_02 - 4.0),
    (ex01_1e, CE_01 - 2.16), (ex01_1e, CE_01 - 2.2),
])
def test_an_entropy_rounded_then_subtracted_is_a_rounding_not_a_formula_mistake(check, submission):
    text = str(check(submission))
    # wrong in a figure it gives (4 significant figures shown): "Almost", not "Right as far as it goes"
    assert text.startswith("Almost: ") and "subtracted from the cross-entropy" in text, text
    assert "with the unrounded H(" in text and "weight each" not in text.lower() and "Not yet" not in text, text


def test_one_minus_the_labelled_probability_is_named_and_short_matches_say_so_if_unrounded():
    submission = 1 - Q_IMAGE[2]                                        # the float 0.4, the learner's full number
    assert submission == 0.4 and abs(H_03 * L2 * L2 - 0.354) < 5e-4    # the wrong-way mistake is 0.354, not 0.4
    text = str(ex03_3(submission))
    assert text.startswith("Not quite") and "1 - Q_image[2]" in text, text
    assert "converted the wrong way" not in text and "too few" not in text, text
    # any short answer matched to a mistake: if it is the full number, it is not that mistake
    for check, short in ((ex03_3, 0.5), (ex01_1, 0.2), (ex01_1, 0.3)):
        text = str(check(short))
        assert f"If your unrounded result is exactly {short}, it is not" in text, text


@pytest.mark.parametrize("check, submission, truth", [
    (ex01_3, 0.21, kl(TRAIN / 100, WEEK / 100)), (ex02_1, 1.3, float(-np.sum(P_SENSOR * np.log2(P_SENSOR)))),
    (ex03_1, 0.88, CE_TP), (ex03_3, 0.73, H_03),
])
def test_a_short_truncated_answer_is_told_to_round_and_give_more_figures(check, submission, truth):
    assert math.floor(truth * 100 if truth < 1 else truth * 10) == round(submission * (100 if truth < 1 else 10))
    assert round_sig(truth, 2) != submission                              # cut off, not rounded
    text = str(check(submission))
    assert text.startswith(f"Almost: {submission} is") and "cut off" in text, text
    assert "Round (do not truncate)" in text and "give 3 significant figures" in text, text
    assert "Not yet" not in text and "weight each" not in text.lower() and "-sum" not in text, text


@pytest.mark.parametrize("check, submission", [(ex01_2, 0.0404 * 6), (ex01_1, 0.071 * 6)])
def test_the_mean_of_the_weighted_terms_multiplied_as_advised_is_a_rounding(check, submission):
    terms = Q_FAIR * np.log(Q_FAIR / P_LOADED)
    assert round(float(np.mean(terms)), 4) == 0.0404
    assert round(float(np.mean(P_LOADED * np.log2(P_LOADED / Q_FAIR))), 3) == 0.071
    assert "multiply the unrounded mean by 6" in str(check(submission / 6))       # the advice the learner followed
    text = str(check(submission))
    if check is ex01_2:     # 0.2424 has 4 figures: only the mean multiplied by 6 gives them
        assert round_sig(0.2424, 4) != round_sig(kl(Q_FAIR, P_LOADED), 4)
        assert text.startswith("Almost: ") and "mean of the weighted terms" in text, text
    else:                   # 0.426 (float noise is no precision) is as well any result rounded on the way
        assert text.startswith("Almost") and "rounded on the way" in text and "mean" not in text, text
    assert "Not yet" not in text and "weight each" not in before_unrounded(text).lower(), text
    assert check(float(np.sum(terms)) if check is ex01_2 else KL_01).correct


@pytest.mark.slow
def test_every_factor_advice_followed_on_a_rounded_wrong_value_is_not_called_wrong(notebook_runs):
    """Every mistake whose advice multiplies, divides or halves the unrounded number: the advice followed on
    that number rounded to 3 figures gives a rounding of the right value, never "Not yet" or "Not quite"."""
    advice = re.compile(r"(multiply|divide|halve)[^.]*unrounded", re.IGNORECASE)
    followed = 0
    for name, runs in notebook_runs.items():
        for source, namespace, _, record in runs:
            for wrong, explanation in (record or {}).get("mistakes", []):
                if not advice.search(explanation) or not math.isfinite(wrong) or wrong == 0:
                    continue
                fixed = round_sig(wrong, 3) * (record["expected"] / wrong)     # the factor the advice names
                text = str(eval(source, namespace | {"answer": fixed}))
                assert not text.startswith(("Not yet", "Not quite")), (name, source, explanation, fixed, text)
                followed += 1
    assert followed >= 10


@pytest.mark.parametrize("check, submission", [
    (ex01_2, 0.2421666666666665), (ex01_2, 0.24166666666666659), (ex01_1, 0.4215), (ex01_1, 0.422),
    (ex01_1, 0.43), (ex02_3, 4.215358515358515), (ex02_4, 0.1722),
])
def test_a_near_miss_opens_with_rounding_on_the_way_and_gives_the_formula_second(check, submission):
    truth = {ex01_1: KL_01, ex01_2: kl(Q_FAIR, P_LOADED), ex02_3: CE_02, ex02_4: kl(SPANISH, ENGLISH, np.log2)}[check]
    assert 0 < abs(submission - truth) <= 0.015 * truth and round_sig(submission, 3) != round_sig(truth, 3)
    text = str(check(submission))
    assert text.startswith("Close, but not"), text
    first, rest = text.split("If your code rounded nothing", 1)
    assert "round" in first and "intermediate" in first, text
    assert "weight each" in rest.lower() or "-sum" in rest, text                  # the formula hint comes second


def test_a_miss_beyond_one_and_a_half_percent_gets_the_formula_first():
    assert str(ex01_1(0.45)).startswith("Not yet")                        # 6% off, no rounded route gives it


@pytest.mark.slow
def test_unrounded_numbers_whose_12th_figure_is_zero_are_not_float_noise():
    sf = ex.significant_figures
    for unrounded in (-np.log(0.5), 0.2608993813498884, 0.5145731728297583):
        assert f"{unrounded:.12g}"[-1] == "0" or len(f"{unrounded:.12g}") < 14     # the old misreading
        assert sf(unrounded) >= 15, unrounded
    # float noise of arithmetic on short decimals is still no precision
    assert [sf(0.887 - 0.802), sf(0.0404 * 6), sf(0.5 * (-0.74) + 0.5 * 1.58), sf(4.20 - 4.03)] == [2, 4, 2, 2]
    # few random doubles are read as noise (the old rule flagged about 10%)
    x = np.random.default_rng(13).uniform(0.1, 1, 20000)
    digits = [len(repr(float(v)).lstrip("0.").rstrip("0").replace(".", "")) for v in x]
    assert np.mean([sf(v) < d for v, d in zip(x, digits)]) < 0.002
    for check, unrounded in ((ex03_1, float(-np.log(0.5))), (ex02_3, 0.2608993813498884),
                             (ex02_1, 0.5145731728297583)):
        text = str(check(unrounded))
        assert "round the terms before summing" not in text and "float noise" not in text, text


def test_a_full_precision_answer_is_matched_only_to_a_mistake_it_equals():
    jeffreys = kl(P_TARGET, Q_PRED) + kl(Q_PRED, P_TARGET)
    assert abs(jeffreys - 0.1771556761910535) < 1e-15
    wrong_way = KL_TP / L2 / L2                                           # bits, converted the wrong way
    assert 1e-5 < abs(wrong_way - jeffreys) / jeffreys < 1e-4             # equal to 4 figures, not to 5
    text = str(ex03_2(0.1771556761910535))
    assert text.startswith("Not quite") and "converted the wrong way" not in text, text
    assert "D(Q_pred||P_target)" in text and "both directions" in text, text
    # any other 16-digit number that agrees with a mistake to 4 figures only is not that mistake
    text = str(ex03_2(wrong_way * (1 + 3e-5)))
    assert "converted the wrong way" not in text, text
    assert "converted the wrong way" in str(ex03_2(wrong_way)) and "converted the wrong way" in str(ex03_2(0.1772))


def test_a_wrong_quantity_rounded_like_a_rounded_route_is_also_told_to_check_each_step():
    assert round(H_ENGLISH, 2) == 4.19                                   # H(english), the wrong quantity
    text = str(ex02_3(4.19))
    assert text.startswith("Almost") and "intermediate result" in text, text
    # ... and that reading gets the formula, which names H(english)
    # one reading first (learner pass 13h): H(english), with its formula; the rounding on a second short line
    first, second = text.split("\n")
    assert "H(english), the entropy of english alone" in first and "weighted by spanish(x)" in first, text
    assert second.startswith("Or, if you computed H(spanish, english)") and len(text.split()) < 90, text
    # followed (the unrounded number), H(english) itself is named
    assert "is H(english), the entropy of english alone" in str(ex02_3(H_ENGLISH))


def test_kl_as_a_percentage_is_named_with_any_mistake_it_coincides_with():
    text = str(ex01_1(42.4))
    assert text.startswith("Not quite") and "percentage" in text and "Divide the unrounded number by 100" in text, text
    assert ex01_1(42.4 / 100).correct and ex01_3(21.8 / 100).correct     # the advice, followed on the typed number
    # 01 Ex3: both count vectors total 100, so the raw-count sum is exactly 100 x D: both readings are given
    d = kl(TRAIN / 100, WEEK / 100)
    raw = float(np.sum(TRAIN * np.log(TRAIN / WEEK)))
    assert TRAIN.sum() == WEEK.sum() == 100 and abs(raw - 100 * d) < 1e-12 and round(raw, 1) == 21.8
    text = str(ex01_3(21.8))
    assert "percentage" in text and "raw counts" in text, text


def test_coinciding_mistakes_are_listed_in_one_order_and_spoken_of_in_the_plural():
    swapped, plain_mean = kl(Q_FAIR, P_LOADED, np.log2), float(np.mean(np.log2(Q_FAIR / P_LOADED)))
    assert abs(swapped - plain_mean) < 1e-15 and round(swapped, 2) == 0.35       # Q_fair uniform: identical
    short, longer = str(ex01_1(0.35)), str(ex01_1(0.34998))
    # with Q_fair uniform the plain mean of the flipped log ratio (two mistakes at once) is the swapped divergence:
    # only the single mistake is named (learner pass 13h), with no hedge for 0.350 read as 0.35
    for text in (short, longer):
        assert "the arguments are swapped" in text and "plain mean of log" not in text, text
    assert "too few" not in short and "rounded to 3 significant figures" in short, short
    assert "it is not that mistake" not in short, short
    # mistakes only near each other (within 1%, not equal) are not said to give the same number
    text = str(ex03_2(0.1772))                          # Jeffreys and bits converted the wrong way: 0.01% apart
    assert "more than one mistake" in text and "the same number" not in text, text


@pytest.mark.parametrize("check, submission, truth", [
    (ex01_1, 0.4239, KL_01), (ex02_4, 0.1739, kl(SPANISH, ENGLISH, np.log2)), (ex03_3, 0.7369, H_03),
    (ex02_1, 1.356, float(-np.sum(P_SENSOR * np.log2(P_SENSOR)))), (ex01_2, 0.2425, kl(Q_FAIR, P_LOADED)),
])
def test_an_answer_cut_off_after_4_figures_is_accepted_as_the_start_page_says(check, submission, truth):
    assert math.floor(truth * 10 ** (4 - math.floor(math.log10(truth)) - 1)) == round(
        submission * 10 ** (4 - math.floor(math.log10(truth)) - 1))           # the right value cut off at 4 figures
    assert check(submission).correct, str(check(submission))


def test_a_tie_in_the_4th_figure_rounds_either_way_and_3_figures_cut_off_are_told_to_round():
    truth = kl(Q_FAIR, P_LOADED)                                            # 0.24259
    assert round(truth, 4) == 0.2426 and math.floor(truth * 1e4) == 2425
    assert ex.check_number(0.2425, truth, what="x").correct                # 0.2425 -> 0.243 (half up)
    assert ex.check_number(0.2415, 0.24159, what="x").correct
    assert not ex.check_number(0.2435, truth, what="x").correct           # rounds to 0.244 either way
    assert "Round (do not truncate)" in str(ex01_2(0.242))                 # cut off after 3 figures
    start = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4).cells)
    assert "correctly rounded (not truncated)" not in start
    assert "accepted when it rounds to the right 3 significant figures" in start
    assert "cut off after 4 or more" in start


@pytest.mark.parametrize("check, ce_value, h_value", [
    (ex03_2, CE_TP, H_TARGET), (ex02_4, CE_02, H_SPANISH), (ex01_1e, CE_01, H_LOADED)])
def test_a_difference_of_two_entropies_rounded_to_any_figures_is_never_a_formula_mistake(check, ce_value, h_value):
    """00: a difference of two rounded entropies keeps only the precision of the rounding (0.887 - 0.80)."""
    for k in (2, 3, 4):
        for j in (2, 3, 4):
            submission = round_sig(ce_value, k) - round_sig(h_value, j)
            text = str(check(submission))
            assert text.startswith(("Correct", "Right as far as it goes", "Almost")), (k, j, submission, text)
            assert "weight each" not in before_unrounded(text).lower(), (k, j, submission, text)


def test_the_data_of_the_second_00_03_pass():
    assert (round_sig(CE_TP, 3), round_sig(H_TARGET, 2), round_sig(CE_TP, 2), round_sig(H_TARGET, 3)) == \
        (0.887, 0.8, 0.89, 0.802)
    assert (round_sig(CE_TRAIN, 3), round_sig(H_TRAIN, 2), round_sig(CE_TRAIN, 2), round_sig(H_TRAIN, 3)) == \
        (1.25, 1.0, 1.2, 1.03)
    assert (round_sig(CE_01, 2), round_sig(H_LOADED, 3), round_sig(CE_01, 3), round_sig(H_LOADED, 2)) == \
        (2.6, 2.16, 2.58, 2.2)
    assert (round_sig(CE_FAIR, 2), round_sig(H_FAIR, 3), round_sig(CE_FAIR, 3), round_sig(H_FAIR, 2)) == \
        (2.0, 1.79, 2.03, 1.8)
    # the right values, by the formulas written here: none of the submissions below is one of them rounded
    assert (round_sig(KL_TP, 2), round_sig(kl(TRAIN / 100, WEEK / 100), 2), round_sig(KL_01, 2),
            round_sig(kl(Q_FAIR, P_LOADED), 2)) == (0.085, 0.22, 0.42, 0.24)


@pytest.mark.parametrize("check, submission, route", [
    (ex03_2, 0.087, round(0.887 - 0.80, 3)),                        # Ex1's cross-entropy minus H(P_target) to 2
    (ex03_2, 0.088, round(0.89 - 0.802, 3)),
    (ex03_2, 0.087, round(_log_ratios_rounded(P_TARGET, Q_PRED, 2), 3)),
    (ex01_3e, 0.25, 1.25 - 1.0), (ex01_3e, 0.17, round(1.2 - 1.03, 3)),
    (ex01_1e, 0.44, round(2.6 - 2.16, 3)), (ex01_1e, 0.38, round(2.58 - 2.2, 3)),
    (ex01_2e, 0.21, round(2.0 - 1.79, 3)), (ex01_2e, 0.23, round(2.03 - 1.8, 3)),
    (ex01_3, 0.225, round(_terms_rounded(TRAIN / 100, WEEK / 100, 2), 3)),
])
def test_00_03_second_pass_finding_1_a_short_rounded_route_is_a_rounding_on_the_way(check, submission, route):
    assert submission == route                      # the learner's number is what that rounded route gives
    text = str(check(submission))
    assert text.startswith("Almost") and "rounded on the way" in text, text
    assert "Not yet" not in text and "weight each" not in before_unrounded(text).lower(), text


def test_00_03_second_pass_finding_1_the_start_page_promises_that_reading():
    start = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4).cells)
    assert "it looks like a result rounded on the way" in start


def test_00_03_second_pass_finding_2_a_decimal_answer_is_read_as_its_number():
    from decimal import Decimal, getcontext
    getcontext().prec = 50
    reference = sum(Decimal(a) * (Decimal(a).ln() - Decimal(b).ln()) for a, b in zip(P_TARGET, Q_PRED))
    assert abs(float(reference) - KL_TP) < 1e-15
    assert ex03_2(reference).correct                                     # 03 section 5's kl_reference
    assert "Right as far as it goes" in str(ex03_2(Decimal("0.085")))
    assert "swapped" in str(ex03_2(Decimal(repr(kl(Q_PRED, P_TARGET)))))


@pytest.mark.parametrize("check, submission, rounded", [
    (ex02_4, round(4.2 - H_SPANISH, 3), "4.20"),                          # Ex3's cross-entropy, accepted as 4.20
    (ex02_4, round(0.12 / L2, 3), None),                                 # D in nats rounded to 0.12, then / ln 2
    (ex03_3, round(0.51 / np.log(2), 3), "0.51"),                        # H in nats rounded to 0.51, then / ln 2
])
def test_00_03_second_pass_finding_3_a_cut_off_number_that_a_rounded_route_gives_names_that_route(
        check, submission, rounded):
    truth = {ex02_4: kl(SPANISH, ENGLISH, np.log2), ex03_3: H_03}[check]
    assert (round_sig(CE_02, 2), round_sig(KL_SE, 2), round_sig(H_03 * L2, 2)) == (4.2, 0.12, 0.51)
    assert math.floor(truth * 1000) == round(submission * 1000)           # the right value cut off, too
    text = str(check(submission))
    assert text.startswith("Almost") and "cut off" in text and "it is also" in text, text
    assert "redo the computation from the unrounded numbers" in text, text
    if rounded:
        assert f"({rounded})" in text, text
    # the advice followed: the route with its intermediate unrounded is accepted
    assert ex02_4(CE_02 - H_SPANISH).correct and ex02_4(KL_SE / L2).correct and ex03_3(H_03 * L2 / L2).correct


def test_00_03_second_pass_finding_4_a_rounded_number_near_another_quantity_gets_the_formula_second():
    assert round(H_ENGLISH, 2) == 4.19 and abs(H_ENGLISH - CE_02) < 0.003 * CE_02
    text = str(ex02_3(4.19))
    assert text.startswith("Almost") and "intermediate result" in text, text
    assert "H(english), the entropy of english alone" in text.split("\nOr, if you computed")[0], text


def test_00_03_second_pass_finding_5_the_start_page_shows_it():
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    [cell] = [c for c in nb.cells if c.cell_type == "code" and c.source.strip() == "exercises.check_kl(0.51, P, Q)"]
    stored = cell.outputs[0]["data"]["text/plain"]
    assert stored.startswith("Right as far as it goes") and "If you got it by a step" not in stored, stored


def test_00_03_second_pass_finding_6_a_noisy_number_names_only_the_route_it_literally_is():
    from_logs = _log_ratios_rounded(P_TARGET, Q_PRED, 2)
    assert from_logs == 0.08699999999999998 and from_logs != 0.887 - 0.80     # close, but not that float
    text = str(ex03_2(from_logs))
    assert text.startswith("Almost") and "rounded on the way" in text, text
    assert "looks like" not in text and "(0.80)" not in text, text
    assert "weight each" not in before_unrounded(text).lower(), text
    # 0.887 - 0.80 is that very float: its route is named
    assert "(0.80)" in str(ex03_2(0.887 - 0.80))
    text = str(ex03_2(0.886 - 0.802))
    assert "mean of the weighted terms" not in text and "multiplied by 3" not in text, text


@pytest.mark.parametrize("check, submission", [
    (ex02_1, 1 - np.sum(P_SENSOR**2)), (ex01_2, float(np.sum((P_LOADED - Q_FAIR) ** 2 / (2 * Q_FAIR)))),
    (ex03_1, np.sum((P_TARGET - Q_PRED) ** 2)),
])
def test_00_03_second_pass_finding_7_float_noise_far_from_the_answer_is_not_called_rounded_terms(check, submission):
    assert ex.significant_figures(submission) <= 2 and float(submission) != _clean(float(submission))
    text = str(check(submission))
    # 01 Ex2's 0.4 (one figure) may be Exercise 1's answer, 0.424 bits, rounded: hedged, never rounded terms
    hedged = check is ex01_2 and text.startswith("Not quite: at the 1 significant figure") and "too few" in text
    assert (text.startswith("Not yet") or hedged) and "round the terms before summing" not in text, text


def test_00_03_second_pass_finding_8_codewords_as_strings_are_called_strings():
    text = str(ex02_2(["0", "10", "110", "111"]))
    assert "a list of 4 strings" in text and "numbers" not in text, text
    assert "huffman_lengths" in text, text


def test_00_03_second_pass_finding_10_a_wrong_class_is_its_negative_log_probability_in_bits():
    assert abs(-math.log2(Q_IMAGE[0]) - 2.737) < 5e-4
    text = str(ex03_3(2.737))
    assert "-np.log2(Q_image[0]), minus the log-probability in bits of class 0" in text, text
    # the step that is wrong (the class) is pointed to, not the finished line handed over (learner pass 13h)
    assert "-np.log2(Q_image[2])" not in text and "labelled class" in text, text


def test_04_07_second_pass_finding_2_a_noisy_number_names_no_route():
    """exp(log_var_z) rounded to 2 figures, then the VAE formula: 1.48 with float noise, no mean taken."""
    rounded_var = np.array([0.67, 1.2, 0.22, 1.0])
    assert np.allclose(rounded_var, [float(f"{v:.1e}") for v in np.exp(LOG_VAR_Z)])
    submission = 0.5 * np.sum(rounded_var + MU_Z**2 - 1 - LOG_VAR_Z)
    assert submission == 1.4799999999999998
    for answer in (submission, 1.48):
        text = str(ex05_2(answer))
        assert text.startswith("Almost") and "rounded on the way" in text, text
        assert "mean over latent" not in text and "looks like" not in text, text
    assert ex05_2(VAE_05).correct                   # the advice (redo from the unrounded values) followed


def test_04_07_second_pass_finding_3_terms_rounded_then_averaged_name_no_reduction():
    terms = P7 * (np.log(P7) - LOG_Q7)
    rounded = np.array([float(f"{t:.1e}") for t in terms.ravel()])
    submission = float(np.mean(rounded))
    assert submission == 0.05666666666666667
    text = str(ex07_2(submission))
    assert text.startswith("Almost") and "round the terms before summing" in text, text
    assert "batchmean" not in text and "looks like" not in text, text
    assert ex07_2(float(np.mean(terms))).correct


@pytest.mark.slow
@pytest.mark.parametrize("submission", [
    ((betaln(1, 1) - betaln(11, 3)) + 10 * 2.35 + 2 * digamma(3) - 12 * digamma(14)) / np.log(2),
    ((betaln(1, 1) - betaln(11, 3)) + 10 * 2.35 + 2 * 0.923 - 12 * 2.60) / np.log(2),
    1.293, 1.324, 1.29,
])
def test_04_07_second_pass_finding_1_digammas_rounded_partway_are_a_rounding(submission):
    terms = _gain_terms_mp()
    assert abs(sum(terms) / L2 - GAIN_07) < 1e-12
    assert [sig3(t) for t in terms] == [6.75, 23.5, 1.85, -31.2] and sig3(sum(terms)) == 0.883
    text = str(ex07_3(submission))
    assert text.startswith("Almost") and "rounded on the way" in text, text
    assert "6.75, 23.5, 1.85 and -31.2 nats, nearly cancel," in text and "carry every digit" in text
    assert "0.883" not in text and "0.88 " not in text, text       # their sum would give the answer away
    assert "Not yet" not in text and "divide by np.log(2)" not in text, text
    assert ex07_3(sum(terms) / L2).correct                   # every digit carried: accepted


def test_04_07_second_pass_finding_1_a_three_figure_digamma_moves_the_third_figure():
    """The claim in the message: one digamma rounded to 3 figures can move the answer's 3rd figure."""
    t = _gain_terms_mp()
    psi11 = t[1] / 10
    moved = (t[0] + 10 * sig3(psi11) + t[2] + t[3]) / L2
    assert sig3(moved) != sig3(GAIN_07)
    assert "nearly cancel" in str(ex07_3(2.0))                # the fallback hint says so too


@pytest.mark.slow
def test_04_07_second_pass_finding_8_nan_and_a_pair_of_units_get_beta_advice():
    text = str(ex07_3(float("nan")))
    assert "probabilit" not in text and "betaln and digamma" in text and "posterior 11, 3" in text, text
    text = str(ex07_3((0.8827, 1.2734)))                     # nats and bits side by side
    assert "Combine the terms" not in text and "Give one number, D(posterior||prior) in bits" in text, text


def test_04_07_second_pass_finding_4_ties_counted_as_half_are_named_with_the_missing_plus_one():
    greater, at_least = int(np.sum(PERMUTED > OBSERVED)), int(np.sum(PERMUTED >= OBSERVED))
    ties = at_least - greater
    assert (greater, ties, len(PERMUTED)) == (11, 2, 99)
    submission = (1 + 11 + 2 / 2) / 100                   # the learner's mid-p, +1 included
    assert submission == (1 + greater + ties / 2) / (len(PERMUTED) + 1) == 0.13
    text = str(ex06_2(submission))
    assert "ties counted as half" in text and "count ties in full, >=" in text, text
    assert "count / (B + 1)" in text and "exactly the value of" in text, text
    assert "that mistake's" not in text, text
    assert ex06_2((1 + at_least) / (len(PERMUTED) + 1)).correct     # ties in full: accepted


def test_04_07_second_pass_finding_6_distillation_names_kl_over_t2_and_softmax_over_axis_0():
    assert abs(DISTILL_07 / 81 - 0.007767860270184074) < 1e-15
    text = str(ex07_1(0.007767860270184074))
    assert text.startswith("Not quite") and "divided by T² = 9 instead of multiplied" in text, text
    assert ex07_1(0.007767860270184074 * 81).correct                    # the advice, followed
    assert not str(ex07_1(0.007768 * 81)).startswith(("Not yet", "Not quite"))
    by_column = [np.exp(z / 3) / np.exp(z / 3).sum(axis=0, keepdims=True) for z in (TEACHER, STUDENT)]
    axis0 = 9 * float(np.mean(np.sum(by_column[0] * np.log(by_column[0] / by_column[1]), axis=1)))
    assert round(axis0, 3) == 1.132
    text = str(ex07_1(1.132))
    assert text.startswith("Not quite") and "softmax taken over axis 0" in text and "axis=-1" in text, text
    hint = str(ex07_1(0.4))                                             # a number no route gives
    assert "teacher_logits / T and student_logits / T (over each row" in hint, hint
    assert "D(teacher_T||student_T)" in hint and "Softmax of teacher/T" not in hint, hint


def test_04_07_second_pass_finding_10_js_distance_percentage_and_divergence_factor_are_named():
    d_bits = float(jensenshannon(P_EX, Q_EX, base=2))                   # scipy: the distance
    d_nats = float(jensenshannon(P_EX, Q_EX))
    assert round(100 * d_bits, 2) == 29.57 and round(d_nats / L2, 4) == 0.3552
    text = str(ex04_2(29.57))
    assert text.startswith("Not quite") and "percentage" in text and "divide" in text, text
    assert ex04_2(29.57 / 100).correct
    text = str(ex04_2(0.3552))
    assert text.startswith("Not quite") and "divided by np.log(2)" in text, text
    assert "`np.sqrt(np.log(2))`" in text
    assert ex04_2(d_nats / L2 * math.sqrt(L2)).correct                  # the advice, followed on the full number
    assert not str(ex04_2(0.3552 * math.sqrt(L2))).startswith(("Not yet", "Not quite"))


def test_04_07_second_pass_finding_7_swapped_torch_terms_get_the_numpy_form():
    q7 = np.exp(LOG_Q7)
    submission = float(np.mean(q7 * (LOG_Q7 - np.log(P7))))             # the learner's numpy
    assert round(submission, 5) == 0.06244
    text = str(ex07_2(submission))
    assert "arguments swapped" in text and "the reference (p) second" in text, text
    assert "p * (np.log(p) - log_q)" not in text, text          # no finished solution line (learner pass 13h)
    assert ex07_2(float(np.mean(P7 * (np.log(P7) - LOG_Q7)))).correct   # that form: accepted


# --- a fresh learner's pass over every exercise (pass 13e): the shared machinery ---


@pytest.mark.parametrize("check, answer, truth", [
    (ex01_2, 0.242, kl(Q_FAIR, P_LOADED)),                  # 0.24259 nats
    (ex03_1, 0.886, CE_TP),                                  # 0.88697 nats
    (ex04_2, 0.295, JSD_04),                                 # 0.29571 bits
    (ex06_1, 0.824, "psi"),                                  # PSI 0.8249 nats
])
def test_a_cut_off_names_no_base_10_route(check, answer, truth):
    if truth == "psi":
        p, q = (REF_WEEK + 0.5) / np.sum(REF_WEEK + 0.5), (CUR_WEEK + 0.5) / np.sum(CUR_WEEK + 0.5)
        truth = float(np.sum((p - q) * np.log(p / q)))
    assert math.floor(truth * 1000) / 1000 == answer            # the right value cut off after 3 figures
    text = str(check(answer))
    assert text.startswith(f"Almost: {answer} is") and "cut off after 3 significant figures" in text, text
    assert "base-10" not in text and "np.log10" not in text, text
    # following the advice (round the unrounded number instead) is accepted
    assert check(round_sig(truth, 3)).correct


def test_the_start_page_promises_what_the_cut_off_message_does():
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "A route through base 10 is never named beside such a cut-off answer" in text, \
        "00 must say a cut-off answer gets no base-10 route"


@pytest.mark.parametrize("check", [ex01_1, ex02_3, ex03_1, ex04_2, ex06_2, ex07_3])
def test_print_returns_none_and_the_message_says_so(check):
    none = str(check(None))
    assert none.startswith("Your answer is None") and "print() shows a value but returns None" in none, none
    assert "answer = <expression>" in none and "replace ..." not in none, none
    assert str(check(...)).startswith("No answer yet: replace ... with your answer")


def test_a_choice_of_none_is_told_about_print():
    none = str(ex.check_choice(None, "01-ex4"))
    assert none.startswith("Your answer is None") and "print()" in none and "'a', 'b', 'c', 'd'" in none, none
    assert str(ex.check_choice(..., "01-ex4")).startswith("No answer yet")


# --- exercise-check messages: rounding routes, other quantities, plausible readings --------------------------

def _psi_by_hand(ref, cur, pseudo=0.5):
    p, q = (ref + pseudo) / np.sum(ref + pseudo), (cur + pseudo) / np.sum(cur + pseudo)
    return float(np.sum((p - q) * np.log(p / q)))


def test_js_distance_answered_with_the_total_variation_names_it():
    """04 Ex2: TV(P_ex, Q_ex) is exactly 0.3, and 0.3 is also the JS distance (0.2957) to 1 figure: "give 3 figures"
    alone, followed (0.300), would give the same wrong number, so TV is named first and the rounding beside it."""
    tv = 0.5 * float(np.sum(np.abs(P_EX - Q_EX)))
    assert tv == 0.3 and round_sig(JSD_04, 1) == 0.3
    for given in (0.3, tv, 0.300):
        text = str(ex04_2(given))
        assert text.startswith("Not quite: 0.3 matches the total variation distance"), text
        assert "right as far as it goes" in text and "give 3 significant figures" in text, text
    # the advice followed: the JS distance in bits (scipy, with base=2, as the message says)
    assert "base=2" in str(ex04_2(JSD_04 * math.sqrt(L2)))
    assert ex04_2(float(jensenshannon(P_EX, Q_EX, base=2))).correct


def test_jensenshannon_advice_names_its_base_argument():
    div = js_bits(P_EX, Q_EX)
    for text in (str(ex04_2(div)), str(ex.check_js(JSD_04, P_EX, Q_EX, base=2, names=("P_ex", "Q_ex")))):
        assert "jensenshannon" in text and "base=2" in text, text
    nats = str(ex04_2(float(jensenshannon(P_EX, Q_EX))))          # scipy's default: nats
    assert "without base=2" in nats and "np.sqrt(np.log(2))" in nats, nats
    assert ex04_2(float(jensenshannon(P_EX, Q_EX)) / math.sqrt(L2)).correct     # the advice, followed


def test_mutual_information_from_entropies_rounded_to_three_decimals_is_a_rounding_route():
    """08 Ex1: 0.2509999 is 1.539 + 0.934 - 2.222 (the float 0.2509999999999999, cut off): the right route on
    entropies rounded to 3 decimal places, not a concept mistake. 0.251 typed is I(X;Y) cut off, read so."""
    px, py = JOINT8.sum(axis=1), JOINT8.sum(axis=0)
    hx, hy, hxy = _h2(px), _h2(py), _h2(JOINT8)
    noisy = round(hx, 3) + round(hy, 3) - round(hxy, 3)
    assert noisy != 0.251 and abs(noisy - 0.251) < 1e-15 and str(noisy).startswith("0.2509999")
    for given in (0.2509999, noisy):
        text = str(ex08_1(given))
        assert text.startswith("Almost") and "entropies rounded first" in text, text
        assert "3 decimal places" in text and "H(X) = 1.539" in text and "H(X,Y) = 2.222" in text, text
    assert ex08_1(hx + hy - hxy).correct                                      # the advice, followed
    # 0.251 typed is I(X;Y) cut off, and the entropies rounded to 3 decimals give it too: both named (learner pass 13h)
    assert "cut off" in str(ex08_1(0.251)) and "entropies rounded first" in str(ex08_1(0.251))


def test_cross_entropy_answered_with_h_english_rounded_names_it_and_its_figures():
    assert round(H_ENGLISH, 2) == 4.19 and round_sig(CE_02, 3) == 4.2
    text = str(ex02_3(4.19))
    assert text.startswith("Almost: 4.19 is, to the 3 significant figures it has, H(english), the entropy of "
                           "english alone"), text
    assert "within 1% of H(spanish, english)" in text and "intermediate result" in text, text
    assert ex02_3(CE_02).correct and not ex02_3(4.18).message.startswith("Almost: 4.18 is, to the")


def test_psi_inf_from_rounded_smoothed_probabilities_says_rounding_gave_the_zero():
    p = (REF_WEEK + 0.5) / np.sum(REF_WEEK + 0.5)
    assert round(p.min(), 2) == 0 and p.min() > 0                               # 0.5 / 102.5 = 0.0049 -> 0.00
    with np.errstate(divide="ignore"):
        pr, qr = np.round(p, 2), np.round((CUR_WEEK + 0.5) / np.sum(CUR_WEEK + 0.5), 2)
        learner = float(np.sum((pr - qr) * np.log(pr / qr)))
    assert learner == math.inf
    text = str(ex06_1(learner))
    assert "0.0049" in text and "rounded to 2 decimal places" in text and "use them unrounded" in text, text
    assert "without smoothing" in text                                           # the other reading, second
    assert text.index("rounded to 2 decimal places") < text.index("without smoothing")
    assert ex06_1(_psi_by_hand(REF_WEEK, CUR_WEEK)).correct                      # unrounded: right


def test_a_three_figure_answer_lists_only_the_mistakes_it_matches_at_three_figures():
    x = (REF_WEEK + 0.5) / np.sum(REF_WEEK + 0.5)
    y = CUR_WEEK / CUR_WEEK.sum()
    ref_only = float(np.sum((x - y) * np.log(x / y)))                          # only ref_week smoothed
    xe = np.where(REF_WEEK == 0, 0.5, REF_WEEK)
    xe = xe / xe.sum()
    empty_only = float(np.sum((xe - y) * np.log(xe / y)))                      # only the empty bins smoothed
    assert round(ref_only, 3) == 0.845 and round(empty_only, 3) == 0.836
    assert abs(ref_only - empty_only) < 0.01 * ref_only                        # within 1% of each other
    text = str(ex06_1(0.845))
    assert text.startswith("Not quite") and "only ref_week smoothed" in text, text
    assert "empty bins only" not in text, text


def test_a_cut_off_answer_names_no_chain_of_a_mistake_and_its_undoing():
    py, qy = P_X8 @ W8, Q_X8 @ W8
    d_y = float(np.sum(py * np.log2(py / qy)))
    assert math.floor(d_y * 1000) == 188 and round_sig(d_y / 2, 2) * 2 == 0.188   # also (mean, rounded) x 2
    text = str(ex08_2(0.188))
    assert text.startswith("Almost: 0.188 is D(P_Y||Q_Y) cut off"), text
    assert "mean over" not in text and "multiplied by 2" not in text, text
    assert ex08_2(round_sig(d_y, 3)).correct                                   # rounded, not cut off: right


def test_another_quantity_of_the_exercise_rounded_as_asked_is_named_by_the_shared_rule():
    """One rule in check_number, for every check: 0.007 is 0.0070021 rounded to 3 figures (0.00700), and also
    0.0078125 cut off. The other quantity is named first, the cut-off beside it."""
    text = str(ex.check_number(0.00700, 0.0078125, what="x", mistakes=[(0.0070021, "the other quantity y.")]))
    assert text.startswith("Not quite: 0.007 matches the other quantity y."), text
    assert "typing 0.00700 gives 0.007" in text and "cut off" in text, text
    # a short answer right as far as it goes is read so, even when a mistake rounds to it at 3 figures
    right = str(ex.check_number(0.058, 0.0578, what="x", mistakes=[(0.05801, "a concept mistake.")]))
    assert right.startswith("Right as far as it goes") and "concept" not in right, right
    # notebook 09's check carries no case of its own for it
    import inspect

    from klteach.course import nb09_where_kl_leads
    assert "_truncated" not in inspect.getsource(nb09_where_kl_leads.check_local_kl)


def test_the_swapped_channel_divergence_cut_off_is_named():
    py, qy = P_X8 @ W8, Q_X8 @ W8
    swapped = float(np.sum(qy * np.log2(qy / py)))
    assert math.floor(swapped * 1000) == 207 and round(swapped, 3) == 0.208
    text = str(ex08_2(0.207))
    assert text.startswith("Not quite: 0.207 may be 0.20752 cut off after 3 significant figures"), text
    assert "0.20752 is D(Q_Y||P_Y), the reverse direction" in text and "round, do not truncate" in text, text
    assert "may be a coincidence" in text, text


def test_the_count_alone_is_named_and_its_advice_followed_is_right():
    count = int(np.sum(PERMUTED >= OBSERVED))
    assert count == 13
    text = str(ex06_2(count))
    assert text.startswith("Not quite") and "count of permuted statistics" in text, text
    assert ex06_2((1 + count) / (len(PERMUTED) + 1)).correct                   # add 1, divide by B + 1


def test_the_inputs_divergence_in_nats_is_named_with_both_changes():
    inputs_nats = float(np.sum(P_X8 * np.log(P_X8 / Q_X8)))
    for given in (inputs_nats, round_sig(inputs_nats, 3)):
        text = str(ex08_2(given))
        assert text.startswith("Not quite") and "divergence of the inputs, in nats" in text, text
        assert "two changes" in text and "in bits" in text, text


def test_pinsker_with_d_in_bits_is_named():
    for p, q, first in ((P_EX, Q_EX, "D(P_ex||Q_ex)"), (Q_EX, P_EX, "D(Q_ex||P_ex)")):
        bits = math.sqrt(float(np.sum(p * np.log2(p / q))) / 2)
        text = str(ex04_3(round_sig(bits, 4)))
        assert text.startswith("Not quite") and f"sqrt({first} / 2) with D in bits" in text, text
        assert "upper bound on TV" in text
    assert ex04_3(0.5 * float(np.sum(np.abs(P_EX - Q_EX)))).correct


def test_a_short_answer_matching_several_mistakes_gets_one_plain_list():
    text = str(ex01_1(0.3))
    assert text.startswith("Not quite: 0.3 has 1 significant figure"), text
    assert "(1) " in text and "(2) " in text, text
    assert "Or it matches" not in text and "more than one mistake, which give" not in text, text
    assert "more figures would tell apart" in text and "unrounded number your code computed" in text


@pytest.mark.parametrize("check, code", [
    (lambda a: ex.check_local_kl(a, 0.2, 0.05), ["0.5 * 0.05**2", "/ (0.2 * (1 - 0.2))"]),
    (lambda a: ex.check_elbo(a, 1.0, 0.3, 1.2, 0.4), ["np.log(2 * np.pi", "gaussian_kl(1.2"]),
    (lambda a: ex.check_stein_exponent(a, 0.5, 0.8), ["np.log2(p/q)", "(1 - p) np.log2"]),
    (ex08_3, ["np.log(np.sum(", "**2 * Q_ex**"]),
    (ex08_1, ["joint_ex.sum(axis=1)", "np.outer(p_x, p_y))"]),
    (ex06_2, ["np.sum(permuted >= observed)"]),
    (ex05_5, ["(E_P[(x - mu_2)²] - E_P[(x - mu_1)²]) / (2 sigma²)"]),
])
def test_hints_name_the_idea_not_the_line_of_code(check, code):
    text = str(check(123.456))                                         # far from everything: the hint
    assert text.startswith("Not yet"), text
    for line in code:
        assert line not in text, (line, text)


# --- learner pass 13h ---------------------------------------------------------------------------------------------

def ex09_2(a):
    return ex.check_elbo(a, 1.0, 0.3, 1.2, 0.4)


def ex09_3(a):
    return ex.check_stein_exponent(a, 0.5, 0.8, base=2)


_ELL_09 = -0.5 * math.log(2 * math.pi * 0.09) - ((1.0 - 1.2) ** 2 + 0.4**2) / (2 * 0.09)
_KL_09 = math.log(1 / 0.4) + (0.4**2 + 1.2**2) / 2 - 0.5                      # D(N(1.2, 0.4^2) || N(0, 1))
_SOFT_KL_07 = float(np.mean(np.sum(SOFT_T * np.log(SOFT_T / SOFT_S), axis=1)))


@pytest.mark.parametrize("check, mistake, words", [
    (ex01_1, kl(Q_FAIR, P_LOADED, np.log2), "D(Q_fair||P_loaded)"),                 # 0.34998 -> 0.350
    (ex07_1, 3 * _SOFT_KL_07, "T x the KL"),                                        # 0.2097 -> 0.210
    (ex03_2, kl(Q_PRED, P_TARGET), "D(Q_pred||P_target)"),                          # 0.09203 -> 0.0920
    (ex05_3, float(np.mean((LOGQ5 - LOGP5) ** 2 / 2)), "k2"),                       # 0.08804 -> 0.0880
    (ex05_3, -K3_05, "minus the k3 estimate"),                                      # -0.1097 -> -0.110
    (ex09_2, _ELL_09 + _KL_09, "D(q||p(z)): the KL is subtracted"),                 # 0.3902 -> 0.390
])
def test_13h_1_a_mistake_rounded_to_the_figures_asked_with_its_zero_dropped_is_named(check, mistake, words):
    typed = float(f"{round_sig(mistake, 3):.3g}")       # 0.350 typed: Python reads 0.35
    assert ex.significant_figures(typed) < 3
    text = str(check(typed))
    assert text.startswith("Not quite") and words in text, text
    assert "too few to be sure" not in text and "rounded to 3 significant figures" in text, text


def test_13h_1_two_stein_readings_rounded_as_asked_are_both_named():
    p, q = np.array([0.5, 0.5]), np.array([0.8, 0.2])
    bhatt = -math.log2(float(np.sum(np.sqrt(p * q))))
    assert round_sig(bhatt, 3) == 0.076 or round_sig(bhatt, 2) == 0.076
    text = str(ex09_3(0.076))
    assert text.startswith("Not quite") and "Bhattacharyya" in text and "too few to be sure" not in text, text


@pytest.mark.parametrize("check, submission, unrounded", [
    (ex03_2, round(CE_TP, 3) - H_TARGET, CE_TP - H_TARGET),                               # 0.08518...
    (ex01_1, 0.4184, KL_01 * L2 / L2),                                                     # D in nats 0.29 -> bits
    (ex09_3, 0.3174, (0.5 * math.log(0.5 / 0.8) + 0.5 * math.log(0.5 / 0.2)) / L2),
])
def test_13h_3_a_rounded_route_with_the_figures_asked_is_told_to_redo_the_step_not_to_give_3_figures(
        check, submission, unrounded):
    assert ex.significant_figures(submission) >= 3
    text = str(check(submission))
    assert "looks like" in text and "Give 3 significant figures" not in text, text
    assert "redo that step" in text and "then round the result to 3 significant figures" in text, text
    # the advice, followed literally: the step redone unrounded, then rounded, is right; the old advice
    # (round the answer given to 3 figures) is not
    assert check(round_sig(unrounded, 3)).correct
    assert not check(round_sig(submission, 3)).correct


@pytest.mark.parametrize("check, submission, mistake, not_named", [
    (ex04_3, float(np.max(np.abs(P_EX - Q_EX))), "largest difference at a single outcome", "Jensen-Shannon"),
])
def test_13h_5_an_answer_exactly_a_mistakes_value_names_that_mistake_alone(check, submission, mistake, not_named):
    assert submission == 0.2                 # 1 figure: another mistake it only rounds to is not listed
    text = str(check(submission))
    assert text.startswith("Not quite") and mistake in text and not_named not in text, text
    assert "also matches" not in text and "Give the unrounded number" not in text, text


@pytest.mark.parametrize("check, submission, line", [
    (ex03_3, -math.log2(Q_IMAGE[0]), "-np.log2(Q_image[2])"),                            # 03 cell 36
    (ex03_3, -math.log2(1 - Q_IMAGE[2]), "-np.log2(Q_image[2])"),
    (ex08_1, 0.9, "np.sum(joint_ex * np.log2(joint_ex / np.outer(p_x, p_y)))"),            # 08 cell 51
    (ex08_1, -0.2, "np.sum(joint_ex * np.log2(joint_ex / np.outer(p_x, p_y)))"),
    (ex06_2, 1 - 0.14, "with count = np.sum(permuted >= observed)"),                       # 06 cell 79
    (ex06_2, 0.5, "with count = np.sum(permuted >= observed)"),
    (ex07_2, 0.5, "p * (np.log(p) - log_q)"),                                              # 07 cell 65
    (ex07_2, -0.5, "p * (log(p) - log_q)"),
])
def test_13h_6_messages_point_to_the_wrong_step_and_do_not_hand_over_the_solution_line(check, submission, line):
    text = str(check(submission))
    assert not text.startswith("Correct") and line not in text, text


@pytest.mark.parametrize("check, submissions", [
    (ex01_1e, (0.38, 0.41, 0.43, 0.44, 0.45)),                   # right 0.4238
    (ex01_1, (0.38, 0.41, 0.43, 0.44, 0.45)),
    (ex03_2, (0.084, 0.086, 0.088)),                             # right 0.0852
])
def test_13h_4_short_answers_are_never_almost_and_a_far_one_names_its_route(check, submissions):
    for given in submissions:
        text = str(check(given))
        assert "as close to" not in text, (given, text)
        if text.startswith("Almost"):        # only with the rounded route named: CE - H, both rounded
            assert "cross-entropy" in text and "rounded to" in text and "unrounded numbers" in text, text
    # 0.38 is the cross-entropy rounded to 2.58 less H(P_loaded) rounded to 2.2, exactly
    assert abs((round_sig(CE_01, 3) - round_sig(H_LOADED, 2)) - 0.38) < 1e-12
    if check is ex01_1e:
        assert "(2.58)" in str(check(0.38)) and "(2.2)" in str(check(0.38))


def test_13h_9_one_reading_first_and_short_messages():
    text = str(ex.check_local_kl(0.007, 0.2, 0.05))                 # 09 cell 49
    first, *rest = text.split("\n")
    assert first.startswith("Not quite: 0.007 matches the exact D(Ber(0.2)||Ber(0.25))"), text
    assert "Fisher information at theta + delta" not in text and "information evaluated at" not in text, text
    assert len(rest) == 1 and "cut off" in rest[0] and len(text.split()) < 80, text
    for check, given in ((ex06_2, 0.13), (ex02_3, 4.19), (ex05_1, 2.1), (ex09_3, 0.076)):
        text = str(check(given))
        assert not text.startswith("Correct") and len(text.split()) <= 100, (given, len(text.split()), text)


def test_13h_7_implausible_double_mistakes_are_not_named_and_a_rounded_elbo_is_a_rounding():
    assert abs(kl(Q_FAIR, P_LOADED, np.log2) - float(np.mean(np.log2(Q_FAIR / P_LOADED)))) < 1e-15
    text = str(ex01_1(0.35))                                           # 01 cell 35
    assert "D(Q_fair||P_loaded)" in text and "plain mean" not in text, text
    # a P that is not uniform against a non-uniform Q keeps the plain-mean reading
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    assert "plain mean of log(Q(x)/P(x))" in str(ex.check_kl(float(np.mean(np.log(q / p))), p, q)) or \
        "plain mean" in str(ex.check_kl(float(np.mean(np.log(q / p))), p, q))
    # 09 cell 52: both ELBO terms rounded to 2 decimals, then subtracted
    ell = -0.5 * math.log(2 * math.pi * 0.09) - ((1.0 - 1.2) ** 2 + 0.4**2) / (2 * 0.09)
    kl_q = math.log(1 / 0.4) + (0.4**2 + 1.2**2) / 2 - 0.5
    given = round(ell, 2) - round(kl_q, 2)
    assert abs(given - (-2.05)) < 1e-12
    text = str(ex09_2(given))
    assert "rounded first" in text and "2 decimal places" in text and "D(q||p(z)) = 1.22" in text, text
    assert ex09_2(ell - kl_q).correct                                 # the advice followed: both unrounded


def test_13h_8_common_mistakes_are_catalogued():
    h = _h2
    # 02 cell 48 and 03 cell 33: the difference of the entropies
    text = str(ex02_4(h(ENGLISH) - h(SPANISH)))
    assert text.startswith("Not quite") and "H(english) - H(spanish)" in text, text
    text = str(ex03_2(float(-np.sum(Q_PRED * np.log(Q_PRED)) + np.sum(P_TARGET * np.log(P_TARGET)))))
    assert text.startswith("Not quite") and "H(Q_pred) - H(P_target)" in text, text
    # 03 cell 36: binary cross-entropy over all classes
    bce = float(-np.sum(LABEL * np.log2(Q_IMAGE) + (1 - LABEL) * np.log2(1 - Q_IMAGE)))
    assert abs(bce - 1.386) < 5e-4
    text = str(ex03_3(bce))
    assert text.startswith("Not quite") and "binary cross-entropy summed over all 3 classes" in text, text
    # 02 cell 42: lengths (1, 2, 2, 2) have Kraft sum 1.25 > 1 and an average below the entropy
    lengths = np.array([1, 2, 2, 2])
    assert np.sum(2.0 ** -lengths) == 1.25 and float(P_SENSOR @ lengths) < h(P_SENSOR)
    for given in (float(P_SENSOR @ lengths), 1.3):
        text = str(ex02_2(given))
        assert text.startswith("Not yet") and "Kraft sum" in text and "above 1" in text, text
    # 06 cell 76: the pseudo-count added to the probabilities
    p, q = REF_WEEK / REF_WEEK.sum() + 0.5, CUR_WEEK / CUR_WEEK.sum() + 0.5
    p, q = p / p.sum(), q / q.sum()
    text = str(ex06_1(float(np.sum((p - q) * np.log(p / q)))))
    assert text.startswith("Not quite") and "added to the probabilities" in text, text


def test_13h_7_mutual_information_from_rounded_entropies_typed_to_3_figures_names_that_route():
    hx, hy, hxy = _h2(JOINT8.sum(axis=1)), _h2(JOINT8.sum(axis=0)), _h2(JOINT8)
    assert (round(hx, 3), round(hy, 3), round(hxy, 3)) == (1.539, 0.934, 2.222)
    assert round_sig(hx + hy - hxy, 3) == 0.252                     # 0.251 is the right value cut off
    text = str(ex08_1(0.251))                                        # 08 cell 51
    assert text.startswith("Almost") and "cut off" in text and "3 decimal places" in text, text
    assert "in nats" not in text and "converted to bits" not in text, text
    assert ex08_1(hx + hy - hxy).correct                            # the advice followed


@pytest.mark.parametrize("check, submission, truth", [
    (ex03_2, 0.08494137850055894, kl(P_TARGET, Q_PRED)),                     # CE - H(P) rounded to 0.802
    (ex03_3, 0.7358, -math.log2(0.6)),                                       # 0.51 nats / ln 2
    (ex09_3, 0.3174, 0.5 * math.log2(0.5 / 0.8) + 0.5 * math.log2(0.5 / 0.2)),   # 0.22 nats / ln 2
    (ex01_1, 0.4184, kl(P_LOADED, Q_FAIR, np.log2)),                         # 0.29 nats / ln 2
    (ex01_2, 0.2424, kl(Q_FAIR, P_LOADED)),                                  # 0.0404 * 6
])
def test_a_rounded_route_wrong_in_a_figure_it_gives_opens_with_almost(check, submission, truth):
    figures = 4
    assert round_sig(submission, figures) != round_sig(truth, figures)     # wrong at the figures it gives
    assert round_sig(submission, 3) != round_sig(truth, 3)                 # and in its 3rd figure
    text = str(check(submission))
    assert text.startswith("Almost: ") and "looks like" in text, text
    assert "Right as far as it goes" not in text, text


def test_a_one_figure_cut_off_that_matches_a_mistake_names_it_beside_the_cut_off():
    h, right = -float(np.sum(P_TARGET * np.log(P_TARGET))), ce(P_TARGET, Q_PRED)
    assert round(h, 1) == 0.8 and round(right, 1) == 0.9 and math.floor(right * 10) / 10 == 0.8
    assert abs(0.8 - h) < abs(0.8 - right)                      # 0.8 matches H(P_target) better
    text = str(ex.check_cross_entropy(0.8, P_TARGET, Q_PRED, names=("P_target", "Q_pred")))   # 03 Ex1, as typed
    assert "cut off after 1 significant figure" in text, text
    assert f"it matches H(P_target) = {h:.4f}, a known mistake" in text, text
    assert "may be a known mistake" not in text, text


_P8_3, _Q8_3 = np.array([0.6, 0.3, 0.1]), np.array([0.3, 0.3, 0.4])          # notebook 08, exercise 3
_PX8_2, _QX8_2 = np.array([0.7, 0.2, 0.1]), np.array([0.3, 0.3, 0.4])        # notebook 08, exercise 2
_W8_2 = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])


def _terms_sums(terms):
    """Sums of the terms rounded to 2-4 significant figures or 2-4 decimal places (a learner's rounded route)."""
    return ([sum(round_sig(t, k) for t in terms) for k in (2, 3, 4)]
            + [sum(round(float(t), d) for t in terms) for d in (2, 3, 4)])


def _psi_terms():
    p = (REF_WEEK + 0.5) / (REF_WEEK + 0.5).sum()
    q = (CUR_WEEK + 0.5) / (CUR_WEEK + 0.5).sum()
    return (p - q) * np.log(p / q)


def _channel_terms():
    py, qy = _PX8_2 @ _W8_2, _QX8_2 @ _W8_2
    return py * np.log2(py / qy)


# 06 ex 1 (0.824: log ratios rounded to 3 figures give 0.82415) and 08 ex 2 (0.188: D in nats rounded to 0.13,
# then converted to bits) are rounded routes too: see test_nb06_drift.py and
# test_a_cut_off_names_a_plausible_route_an_implausible_one_found_first_hid below
@pytest.mark.parametrize("check, submission, terms", [
    (lambda a: ex.check_renyi(a, _P8_3, _Q8_3, 2, names=("P_ex", "Q_ex")), 0.421,
     lambda: _P8_3 ** 2 / _Q8_3),                                                                  # 08 ex 3
])
def test_a_cut_off_names_no_terms_route_that_does_not_give_it(check, submission, terms):
    t = terms()
    # independent: the learner's number is the right value cut off, and no rounded-terms sum gives it
    right = {0.421: math.log(float(np.sum(_P8_3 ** 2 / _Q8_3)))}[submission]
    assert math.floor(right * 1000) / 1000 == submission and round_sig(right, 3) != submission
    sums = _terms_sums(t)
    if submission == 0.421:                                    # the Renyi sum is inside a log
        sums = [math.log(s) for s in sums]
    assert all(round_sig(s, 3) != submission for s in sums), sums
    text = str(check(submission))
    assert text.startswith("Almost") and "cut off after 3 significant figures" in text, text
    assert "terms" not in text and "rounded on the way" not in text, text


def test_a_cut_off_a_rounded_log_route_gives_keeps_that_route_named():
    # 04 ex 1: 0.427 is D(Q_ex||P_ex) = 0.42776 cut off, and also the logs rounded to 3 figures, weighted, summed
    right = kl(Q_EX, P_EX, np.log2)
    assert math.floor(right * 1000) / 1000 == 0.427
    logs3 = float(np.sum(Q_EX * np.array([round_sig(v, 3) for v in np.log2(Q_EX / P_EX)])))
    assert round_sig(logs3, 3) == 0.427
    text = str(ex04_1(0.427))
    assert "cut off after 3 significant figures" in text and "the logs in them" in text, text


def test_04_js_025_names_the_hellinger_distance_and_the_distance_in_nats():
    # 04 cell 39: 0.25 is the Hellinger distance 0.2501 rounded to 3 figures (typed 0.250), and also the JS
    # distance in nats (scipy's default base) 0.2462 rounded to the 2 figures it has
    hellinger = math.sqrt(1 - float(np.sum(np.sqrt(P_EX * Q_EX))))
    in_nats = float(jensenshannon(P_EX, Q_EX))
    assert round_sig(hellinger, 3) == 0.25 and round_sig(in_nats, 2) == 0.25 and round_sig(in_nats, 3) != 0.25
    text = str(ex04_2(0.25))
    assert text.startswith("Not quite: 0.25 matches the Hellinger distance"), text
    assert "also matches the Jensen-Shannon distance in nats" in text, text
    assert "Give the unrounded number your code computed" in text, text


def _solution_lines(text):
    """Code-like snippets of a message that would be a finished solution line (np.<fn>(...) or a sum formula)."""
    return re.findall(r"np\.(?:sum|log1p|log2|log)\([^)]*\)|sum \S+\(x\) np\.log2?\(|\* log\(", text)


@pytest.mark.parametrize("label, call, gone", [
    ("02 cell 42", lambda: ex.check_huffman_length(__import__("klteach").huffman_lengths(P_SENSOR), P_SENSOR,
                                                   name="P_sensor"),
     "np.sum(P_sensor * kt.huffman_lengths(P_sensor))"),
    ("08 cell 57", lambda: ex.check_renyi(0.525, _P8_3, _Q8_3, 2, names=("P_ex", "Q_ex")), "np.log1p(chi2)"),
    ("04 cell 36", lambda: ex04_1(0.2212), "sum Q_ex(x) np.log2(Q_ex(x)/P_ex(x))"),
    ("08 cell 51", lambda: ex08_1(0.3009), "sum joint_ex * log(joint_ex / (p_x p_y))"),
])
def test_hints_name_the_missing_step_in_words_not_the_solution_line(label, call, gone):
    text = str(call())
    assert not text.startswith("Correct"), (label, text)
    assert gone not in text and not _solution_lines(text), (label, text)


def test_the_learners_wrong_answers_above_are_the_mistakes_they_are_read_as():
    # independent values of the four inputs above: chi-square 0.525, swapped KL in nats 0.2212, the reverse
    # mutual-information direction 0.3009 (JOINT8 is notebook 08's joint_ex)
    assert abs(float(np.sum((_P8_3 - _Q8_3) ** 2 / _Q8_3)) - 0.525) < 1e-12
    assert round(kl(P_EX, Q_EX), 4) == 0.2212
    prod = np.outer(JOINT8.sum(1), JOINT8.sum(0))
    assert round(kl(prod.ravel(), JOINT8.ravel(), np.log2), 4) == 0.3009
    assert "chi-square" in str(ex.check_renyi(0.525, _P8_3, _Q8_3, 2, names=("P_ex", "Q_ex")))
    assert "reverse direction" in str(ex08_1(0.3009))


@pytest.mark.parametrize("given, unit", [(0.9404, "in nats"), (0.408, "in base-10 units")])
def test_02_huffman_names_the_entropy_in_other_units(given, unit):
    # 02 cell 42: 0.9404 is exercise 1's entropy in nats, not a Huffman average below the entropy
    h = -float(np.sum(P_SENSOR * np.log(P_SENSOR)))
    assert round(h, 4) == 0.9404 and round(h / math.log(10), 3) == 0.408
    text = str(ex.check_huffman_length(given, P_SENSOR, name="P_sensor"))
    assert text.startswith("Not quite") and f"H(P_sensor) {unit}" in text and "Kraft" not in text, text


def _rounded_sums(weights, logs):
    """A learner's rounded routes through a weighted sum of logs: the terms, or the logs, rounded to 2-4
    significant figures before summing."""
    weights, logs = np.asarray(weights, float), np.asarray(logs, float)
    return ([sum(round_sig(t, k) for t in weights * logs if t) for k in (2, 3, 4)]
            + [float(np.sum(weights * np.array([round_sig(v, k) if v else 0.0 for v in logs]))) for k in (2, 3, 4)])


def test_a_short_number_is_exactly_the_value_only_of_the_mistakes_it_equals():
    """exercises.check_permutation_pvalue(0.13, 1.0, perm), 26 of B = 199 permuted statistics >= 1.0: 0.13 is
    exactly count / (B + 1) = 26/200, but only rounds to #{T_perm >= T_obs} / B = 26/199 = 0.1307. It was
    "is exactly the value of" both, and 26/199 was then listed again as "also matches"."""
    perm = np.concatenate([np.full(26, 2.0), np.full(173, 0.5)])
    assert 26 / 200 == 0.13 and 26 / 199 != 0.13 and round_sig(26 / 199, 2) == 0.13
    assert abs(26 / 199 - 26 / 200) <= 0.01 * (26 / 200)           # within 1%: one group
    text = str(exercises.check_permutation_pvalue(0.13, 1.0, perm))
    assert text.startswith("Not quite: 0.13 matches more than one mistake"), text
    assert "exactly the value of" not in text and "also matches" not in text, text
    assert text.count("#{T_perm >= T_obs} / B, without the +1s") == 1, text
    # the way forward: the unrounded number; if it is 0.13 itself, it is the mistake it equals
    assert "if it is 0.13 itself, it is count / (B + 1); if not, follow the advice on that number" in text, text


def test_a_cut_off_names_a_plausible_route_an_implausible_one_found_first_hid():
    """08 ex 2, exercises.check_channel_kl(0.188, P_X, Q_X, W, base=2, ...): 0.188 is D(P_Y||Q_Y) = 0.18872
    cut off, and also D in nats rounded to 0.13, then converted to bits (0.18755). The re-search after an
    implausible route (the mean over the outputs, rounded, then doubled) looked only at 3 figures and dropped
    it, while 03 ex 3 names the same kind of route for 0.736."""
    right = float(np.sum(_channel_terms()))
    nats = right * math.log(2)
    assert math.floor(right * 1000) / 1000 == 0.188 and round_sig(right, 3) != 0.188
    assert round_sig(nats, 2) == 0.13 and round_sig(0.13 / math.log(2), 3) == 0.188
    py, qy = _PX8_2 @ _W8_2, _QX8_2 @ _W8_2
    assert all(round_sig(s, 3) != 0.188 for s in _rounded_sums(py, np.log2(py / qy)))   # no terms route
    text = str(ex.check_channel_kl(0.188, _PX8_2, _QX8_2, _W8_2, base=2, names=("P_X", "Q_X"), channel_name="W"))
    assert "cut off after 3 significant figures" in text, text
    assert "D(P_Y||Q_Y) in nats, rounded to 2 significant figures (0.13) and then converted to bits" in text, text
    assert "terms" not in text and "the mean over" not in text, text
    # 03 ex 3, the same kind of route: H(label, Q_image) = -log2(0.6) = 0.73697, in nats 0.5108 -> 0.51
    h = -math.log2(0.6)
    assert math.floor(h * 1000) / 1000 == 0.736 and round_sig(round_sig(h * math.log(2), 2) / math.log(2), 3) == 0.736
    text = str(ex03_3(0.736))
    assert "in nats, rounded to 2 significant figures (0.51) and then converted to bits" in text, text


def test_the_terms_aside_beside_a_cut_off_only_when_a_rounded_sum_gives_it():
    """02 ex 4, check_kl(0.173, spanish, english, base=2): no rounded sum gives 0.173, yet "(that one, or terms
    before they were summed)" was printed; 01 ex 2, check_kl(0.242, Q_fair, P_loaded): the logs rounded to 2
    figures give 0.24167, and the terms are named."""
    right = kl(SPANISH, ENGLISH, np.log2)
    assert math.floor(right * 1000) / 1000 == 0.173 and round_sig(right, 3) != 0.173
    m = SPANISH > 0
    assert all(round_sig(s, 3) != 0.173 for s in _rounded_sums(SPANISH[m], np.log2(SPANISH[m] / ENGLISH[m])))
    text = str(ex02_4(0.173))
    assert "cut off after 3 significant figures" in text and "terms" not in text, text
    assert "rounded that number on the way" in text, text
    right = kl(Q, P)
    assert math.floor(right * 1000) / 1000 == 0.242 and round_sig(right, 3) != 0.242
    logs2 = float(np.sum(Q * np.array([round_sig(v, 2) for v in np.log(Q / P)])))
    assert abs(logs2 - 0.24167) < 1e-5 and round_sig(logs2, 3) == 0.242
    text = str(ex01_2e(0.242))
    assert "cut off after 3 significant figures" in text and "rounded before they are summed" in text, text
    assert "(that one, or terms before they were summed)" in text, text
    text = str(ex01_2(0.242))            # notebook 01 names no cross-entropy: the cut-off and the terms only
    assert "cut off after 3 significant figures" in text and "rounded before they were summed" in text, text
    assert "entropy" not in text, text


def test_a_name_that_ends_in_a_parenthesis_takes_its_value_after_an_equals_sign():
    """04 ex 2, check_js(0.25, P_ex, Q_ex, base=2, distance=True): "... without base=2) (0.2462)" doubled the
    parentheses."""
    nats = float(jensenshannon(P_EX, Q_EX))                   # scipy: the distance in nats
    assert round_sig(nats, 2) == 0.25 and abs(nats - 0.2462) < 5e-5
    text = str(ex04_2(0.25))
    assert "without base=2) = 0.2462" in text and ") (" not in text, text
    # a name without a closing parenthesis keeps its value in one
    text = str(ex06_2(0.13))
    assert f"#{{T_perm >= T_obs}} / B ({13 / 99:.4f})" in text, text


@pytest.mark.parametrize("expected, figures", [(1.5, 1), (2.5, 1), (0.25, 1), (0.35, 1), (0.245, 2), (0.0125, 2),
                                               (1.5000000000000002, 1), (12.5, 2)])
def test_an_exact_half_unit_tie_is_right_only_in_a_standard_rounding_direction(expected, figures):
    # exercises.check_huffman_length(1.0, P_sensor, name="P_sensor") read 1.0 as 1.5 rounded to 1 figure: a value
    # halfway between two short numbers is right as far as it goes only as half-up or half-to-even rounding
    # gives it (decimal's own roundings, on the halfway value as written); the other neighbour is a cut-off
    from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP
    d = Decimal(f"{expected:.{figures + 1}g}")
    unit = Decimal(1).scaleb(d.adjusted() - figures + 1)
    standard = {d.quantize(unit, rounding=ROUND_HALF_UP), d.quantize(unit, rounding=ROUND_HALF_EVEN)}
    for neighbour in {d.quantize(unit, rounding=ROUND_DOWN), d.quantize(unit, rounding=ROUND_UP)}:
        msg = str(exercises.check_number(float(neighbour), expected, what="x"))
        if neighbour in standard and float(neighbour).is_integer() and figures == 1:
            # 2 is 1.5 rounded to 1 figure, but not to the 2 that 2.0 shows: said so, not praised (3 for 2.5 too)
            assert msg.startswith(f"Not yet: {float(neighbour)} agrees with x to 1 significant figure"), msg
        elif neighbour in standard:
            assert msg.startswith("Right as far as it goes: "), (neighbour, msg)
        else:
            assert not msg.startswith("Right as far as it goes: "), (neighbour, msg)
            assert " cut off after " in msg, (neighbour, msg)


def test_a_short_answer_is_never_read_as_a_value_in_base_10_units():
    """04 Ex2: check_js(0.2, P_ex, Q_ex, base=2, distance=True, names=("P_ex", "Q_ex")) (right 0.2957) named "the
    Jensen-Shannon distance in base-10 units (computed with np.log10) = 0.1622" beside the cut-off, and 01 Ex1:
    check_kl(0.1, ...) said "0.1 matches D(P_loaded||Q_fair) in base-10 units"; no exercise uses base 10."""
    js10 = float(jensenshannon(P_EX, Q_EX, base=10))
    assert round_sig(js10, 1) == 0.2 and round_sig(float(jensenshannon(P_EX, Q_EX, base=2)), 1) == 0.3
    text = str(ex.check_js(0.2, P_EX, Q_EX, base=2, distance=True, names=("P_ex", "Q_ex")))
    assert text.startswith("Almost: 0.2 is the Jensen-Shannon distance cut off") and "known mistake" in text, text
    assert "base-10" not in text and "np.log10" not in text, text
    d10 = float(np.sum(P_LOADED * np.log10(P_LOADED / Q_FAIR)))
    assert round_sig(d10, 1) == 0.1 and round_sig(d10, 2) == 0.13
    for short in (0.1, 0.13):
        text = str(ex01_1(short))
        assert "base-10" not in text and "np.log10" not in text, (short, text)
    # with 4 figures the base-10 value is still named: the rule leaves out only the short readings
    assert "in base-10 units" in str(ex01_1(round_sig(d10, 4)))


def test_psi_terms_rounded_to_decimal_places_are_asked_about():
    """06 Ex1: the PSI terms printed to 3 decimals (0.028 + 0.039 + 0.028 + 0.006 + 0.725) give
    check_psi(0.826, ref_week, cur_week, pseudo_count=0.5, names=(...)); it was asked only whether it rounded
    an intermediate result, then converted or combined it, never whether it rounded the terms."""
    p = (REF_WEEK + 0.5) / np.sum(REF_WEEK + 0.5)
    q = (CUR_WEEK + 0.5) / np.sum(CUR_WEEK + 0.5)
    terms = (p - q) * np.log(p / q)
    assert [f"{t:.3f}" for t in terms] == ["0.028", "0.039", "0.028", "0.006", "0.725"]
    assert round(float(np.sum(np.round(terms, 3))), 12) == 0.826           # the rounded terms give the answer
    assert round_sig(float(np.sum(terms)), 3) == 0.825                      # and the right PSI rounds otherwise
    text = str(ex.check_psi(0.826, REF_WEEK, CUR_WEEK, pseudo_count=0.5, names=("ref_week", "cur_week")))
    assert text.startswith("Almost") and "round the terms before summing" in text, text
    # a near number that no rounding of the terms gives (2-4 figures or decimals, of the terms or their logs)
    # is not asked about terms in that branch
    logs = np.log(p / q)
    sums = [float(np.sum(np.round(terms, k))) for k in (2, 3, 4)] + [float(np.sum((p - q) * np.round(logs, k)))
                                                                      for k in (2, 3, 4)]
    sums += [sum(round_sig(t, k) for t in terms) for k in (2, 3, 4)]
    sums += [float(np.sum((p - q) * np.array([round_sig(v, k) for v in logs]))) for k in (2, 3, 4)]
    assert all(round_sig(s, 3) != 0.827 for s in sums)
    assert "round the terms" not in str(ex06_1(0.827))


@pytest.mark.parametrize("answer, ce_shown, h_shown, p, q, names, base", [
    (4.20 - 4.027, "4.20", "4.027", "SPANISH", "ENGLISH", ("spanish", "english"), 2),   # 02 Ex4
    (4.2 - 4.027, "4.20", "4.027", "SPANISH", "ENGLISH", ("spanish", "english"), 2),    # 02 Ex4, 4.20 typed 4.2
    (0.887 - 0.8018, "0.887", "0.8018", "P_TARGET", "Q_PRED", ("P_target", "Q_pred"), None),   # 03 Ex2
    (2.41 - 1.985, "2.41", "1.985", "Q_EX", "P_EX", ("Q_ex", "P_ex"), 2),               # 04 Ex1
])
def test_the_float_a_difference_of_two_rounded_numbers_gives_names_that_route(answer, ce_shown, h_shown, p, q,
                                                                               names, base):
    # the cross-entropy to 3 figures minus the entropy to 4 (as printed): the noisy float that subtraction gives
    # is that route, not a cut-off (02 Ex4) nor a mean rounded and multiplied back (03 Ex2)
    p, q = globals()[p], globals()[q]
    log = np.log2 if base == 2 else np.log
    cross, entropy = ce(p, q, log), float(-np.sum(p * log(p)))
    assert round_sig(cross, len(ce_shown.replace(".", "").lstrip("0"))) == float(ce_shown)
    assert round_sig(entropy, len(h_shown.replace(".", "").lstrip("0"))) == float(h_shown)
    assert answer == float(ce_shown) - float(h_shown)                  # the very float of that difference
    message = exercises.check_kl(answer, p, q, base=base, names=names).message
    assert message.startswith("Almost:") and "cut off" not in message, message
    assert f"the cross-entropy H({names[0]}, {names[1]}), rounded to 3 significant figures ({ce_shown})" in message
    assert f"itself rounded to 4 significant figures ({h_shown})" in message
    assert "the mean" not in message


def test_the_clean_float_of_that_difference_keeps_the_cut_off_beside_the_route():
    # 0.173 typed by hand may be D(spanish||english) cut off, or 4.20 - H(spanish) rounded: both readings
    message = exercises.check_kl(0.173, SPANISH, ENGLISH, base=2, names=("spanish", "english")).message
    assert kl(SPANISH, ENGLISH, np.log2) > 0.173 and round_sig(kl(SPANISH, ENGLISH, np.log2), 3) != 0.173
    assert "cut off after 3 significant figures" in message and "(4.20) and then reduced by H(spanish)" in message


def test_a_short_sum_of_rounded_terms_is_asked_about_rounding_the_terms():
    # 01 Ex1: the terms printed to 2 decimals (-0.07 five times, 0.79), then summed: exactly 0.44
    terms = P_LOADED * np.log2(P_LOADED / Q_FAIR)
    assert [round(float(t), 2) for t in terms] == [-0.07] * 5 + [0.79]
    answer = np.sum(np.round(P_LOADED * np.log2(P_LOADED / Q_FAIR), 2))
    assert answer == 0.44 and round_sig(kl(P_LOADED, Q_FAIR, np.log2), 2) != 0.44
    message = exercises.check_kl(answer, P_LOADED, Q_FAIR, base=2, names=("P_loaded", "Q_fair"),
                                 entropy_words=False).message
    assert message.startswith("Not yet:") and "Did you round the terms before summing? Give the unrounded number" \
        in message, message
    # a short number no rounded-term sum gives stays a plain "Not yet"
    other = exercises.check_kl(0.45, P_LOADED, Q_FAIR, base=2, names=("P_loaded", "Q_fair"), entropy_words=False)
    assert other.message.startswith("Not yet") and "round the terms" not in other.message


def _gauss_kl_nats(mu_p, s_p, mu_q, s_q):
    return math.log(s_q / s_p) + (s_p ** 2 + (mu_p - mu_q) ** 2) / (2 * s_q ** 2) - 0.5


@pytest.mark.parametrize("call, base10, answer", [
    # 05 Ex1: D in base-10 units, 0.6701, typed to 3 figures (0.670), read as 0.67
    (lambda a: exercises.check_gaussian_kl(a, 2.0, 0.5, 0.0, 1.5),
     lambda: _gauss_kl_nats(2.0, 0.5, 0.0, 1.5) / math.log(10), 0.67),
    # 05 Ex5: (mu_1 - mu_2)² / (2 sigma²) in base-10 units, 0.3202
    (lambda a: exercises.check_gaussian_kl(a, 1.0, 1.4, -0.7, 1.4, variables=("mu_1", "sigma", "mu_2", "sigma")),
     lambda: _gauss_kl_nats(1.0, 1.4, -0.7, 1.4) / math.log(10), 0.32),
    # 03 Ex2: D(P_target||Q_pred) with np.log10, 0.03697
    (lambda a: exercises.check_kl(a, P_TARGET, Q_PRED, names=("P_target", "Q_pred")),
     lambda: kl(P_TARGET, Q_PRED, np.log10), 0.037),
    # 04 Ex2: the Jensen-Shannon distance in base-10 units converted the wrong way, 0.08902
    (lambda a: exercises.check_js(a, P_EX, Q_EX, base=2, distance=True, names=("P_ex", "Q_ex")),
     lambda: jensenshannon(P_EX, Q_EX, base=10) / math.sqrt(math.log(10) / math.log(2)), 0.089),
])
def test_a_base_10_value_typed_to_3_figures_with_its_trailing_zero_dropped_is_named(call, base10, answer):
    assert round_sig(base10(), 3) == answer                             # 0.670 -> 0.67, 0.0370 -> 0.037, ...
    message = call(answer).message
    assert message.startswith("Not quite:") and "base-10 units" in message, message
    assert "Give the unrounded number your code computed to be sure" in message, message
    assert "variances" not in message, message
    # 1 figure only matches at its own figures: the base-10 value is not named from it
    assert "base-10" not in call(float(f"{answer:.1g}")).message


def test_the_05_hint_names_variances_only_for_the_variance_mistake():
    # check_gaussian_kl(0.67, 2.0, 0.5, 0.0, 1.5) said "sigma_p and sigma_q are standard deviations, not variances"
    # to a learner who made no such mistake; a number matching no mistake gets the closed form, without that remark
    assert "variances" not in exercises.check_gaussian_kl(0.9, 2.0, 0.5, 0.0, 1.5).message
    with_variances = math.log(1.5 ** 2 / 0.5 ** 2) + (0.5 ** 4 + 4.0) / (2 * 1.5 ** 4) - 0.5   # sigma² put for sigma
    assert "in place of standard deviations" in exercises.check_gaussian_kl(with_variances, 2.0, 0.5, 0.0, 1.5).message


@pytest.mark.parametrize("figures", [7, 8, 9, 16])
def test_a_route_printed_to_8_or_9_figures_is_read_to_half_a_unit_in_its_last_figure(figures):
    """A number printed to 8 figures is off by up to 5e-8 relative (9 figures: 5e-9): 01 ex1's 0.294 * ln 2 and
    02 ex3's H(english), typed to 8 or 9 figures, were not named (1e-9 asked), though 7 figures and the full
    float were."""
    d_nats = kl(P_LOADED, Q_FAIR)
    assert round(d_nats, 3) == 0.294                                     # D in nats rounded, then times ln 2
    wrong_way = round_sig(0.294 * L2, figures)
    text = str(ex01_1(wrong_way))
    assert text.startswith("Not quite") and "converted the wrong way" in text and "(0.294)" in text, text
    h_english = round_sig(H_ENGLISH, figures)                            # within 1% of H(spanish, english)
    assert abs(H_ENGLISH - ce(SPANISH, ENGLISH, np.log2)) < 0.01 * ce(SPANISH, ENGLISH, np.log2)
    text = str(ex02_3(h_english))
    assert text.startswith("Not quite") and "is H(english), the entropy of english alone" in text, text
    # the right values printed to as many figures stay accepted
    assert ex01_1(round_sig(bits(d_nats), figures)).correct
    assert ex02_3(round_sig(ce(SPANISH, ENGLISH, np.log2), figures)).correct


def test_a_number_printed_to_8_figures_is_not_read_as_a_route_it_misses_by_more_than_half_a_unit():
    # one unit in the 8th figure away from 0.294 * ln 2 (0.20378527): no longer that route
    text = str(ex01_1(round_sig(0.294 * L2, 8) + 2e-8))
    assert "converted the wrong way" not in text, text
    text = str(ex02_3(round_sig(H_ENGLISH, 8) + 3e-7))
    assert "is H(english)" not in text, text


def test_a_mistake_that_a_rounded_route_gives_is_not_told_it_was_cut_off():
    # 01 ex3: check_kl(0.4537, ...): D in bits (0.3145) divided by ln 2 once more is 0.453763, so 0.4537 is that
    # value cut off; but 0.3145 / ln 2 = 0.453728 rounds to 0.4537: "round, do not truncate" was wrong advice
    d_bits = kl_by_hand(TRAIN / 100, WEEK / 100) / L2
    assert round(d_bits, 4) == 0.3145 and round(0.3145 / L2, 4) == 0.4537 and round(d_bits / L2, 4) == 0.4538
    text = str(ex01_3(0.4537))
    assert text.startswith("Not quite") and "converted the wrong way" in text, text
    assert "cut off" not in text and "truncate" not in text, text
    # a mistake's value cut off with no rounded route to it keeps the note (see the 0.207 test above)


def test_messages_do_not_read_as_accepted_and_rejected_at_once():
    # "Right as far as it goes, but cut off: ... its last digit is one too small" read as accepted; "If this is
    # the full number your code computed, it is not the answer" left a learner who printed 0.42 unsure
    truth = kl(TRAIN / 100, WEEK / 100)                                  # 0.2180 nats
    assert math.floor(truth * 100) == 21 and round(truth, 2) == 0.22
    text = str(ex01_3(0.21))
    assert text.startswith("Almost: 0.21 is D(P_train||Q_week) cut off after 2 significant figures"), text
    assert text.endswith("If your unrounded result is exactly 0.21, it is not D(P_train||Q_week): "
                         "check each step."), text
    assert round(bits(kl(P_LOADED, Q_FAIR)), 2) == 0.42
    text = str(ex01_1(0.42))
    assert text.startswith("Right as far as it goes") and "full number" not in text, text
    assert text.endswith("If your unrounded result is exactly 0.42, your computation is off: check "
                         "each step."), text


def test_a_hint_after_a_colon_starts_in_lower_case():
    # "... is not D(P_loaded||Q_fair): Weight each ..." -> ": weight each ..."
    text = str(ex01_1(0.294 * L2))
    assert ": weight each log(P_loaded(x)/Q_fair(x))" in text and ": Weight" not in text, text
    # a sentence of its own keeps its capital
    text = str(ex01_1(0.45))
    assert text.startswith("Not yet") and ". Weight each log(P_loaded(x)/Q_fair(x))" in text, text


def test_a_lone_a_after_a_colon_is_lower_cased():
    # check_renyi(0.30296..., ...) ended "... is not D_2(P||Q): A Rényi divergence of order alpha ..."
    p, q = np.array([0.36, 0.48, 0.16]), np.full(3, 1 / 3)
    d2_bits = math.log2(float(np.sum(p ** 2 / q)))              # Rényi order 2 by its definition, in bits
    assert round(d2_bits, 2) == 0.21
    submission = 0.21 / math.log(2)                              # the rounded bits divided by ln 2 (wrong way)
    assert submission == 0.3029659585866823
    text = str(ex.check_renyi(submission, list(p), [1 / 3] * 3, 2))
    assert ": a Rényi divergence of order alpha" in text and ": A Rényi" not in text, text


@pytest.mark.parametrize("check, submission", [
    (ex01_1, 0.42),                                                          # the right value to 2 figures
    (ex01_3, 0.21),                                                          # the right value cut off
    (ex03_3, 0.5), (ex01_1, 0.2),                                            # short numbers matching a mistake
    (lambda a: ex.check_elbo(a, 1.0, 0.3, 1.2, 0.4), -2.0),                  # a whole number
    (lambda a: ex.check_sanov_exponent(a, np.full(6, 1 / 6), np.arange(1, 7), 4.5), 0.179),   # close, not it
])
def test_one_wording_for_an_answer_that_may_be_the_unrounded_result(check, submission):
    # three wordings coexisted: "If your code printed exactly 0.42 (no more digits)" (a learner who printed
    # round(x, 2) did print exactly 0.42, with a right computation), "If your code computed exactly -2.0" and
    # "If this is the full number your code computed"; one precise wording says which number is meant
    text = str(check(submission))
    assert f"If your unrounded result is exactly {submission}, " in text, text
    for old in ("printed exactly", "computed exactly", "full number your code"):
        assert old not in text, text


def test_an_object_array_of_one_number_is_that_number():
    # from a tenth learner pass: np.array([x], dtype=object) was "an array of 1 number ... Their sum is it"
    from fractions import Fraction
    assert exercises.check_number(np.array([0.32192809], dtype=object), 0.32192809, what="D").correct
    assert exercises.check_number(np.array([[0.32192809]], dtype=object), 0.32192809, what="D").correct
    assert not exercises.check_number(np.array([Fraction(1, 3)], dtype=object), 0.32192809, what="D").correct
    assert "print() returns None" in exercises.check_number(np.array([None], dtype=object), 0.32, what="D").message
    quoted = np.array(["0.3219"], dtype=object)
    assert "remove the quotes" in exercises.check_number(quoted, 0.32192809, what="D").message


@pytest.mark.parametrize("make, base, said", [
    (lambda p, q: p * np.log(p / q), 2, r"terms P\(x\) log\(P\(x\)/Q\(x\)\), one per outcome, in nats: add them up, "
                                        r"and use np\.log2"),
    (lambda p, q: np.log2(p / q), None, r"log-ratios .* unweighted: weight each by P\(x\) and add them up\. They "
                                        r"are in bits: the question asks for nats, so use np\.log\."),
    (lambda p, q: 10 * p * np.log(p / q), None, r"weighted by a multiple of the probabilities"),
])
def test_arrays_of_terms_or_logs_in_another_base_or_weighted_by_counts_are_named(make, base, said):
    # from a tenth learner pass: such arrays were told "Sum the terms" or "add them up", which gives a wrong number
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.25, 0.25, 0.5])
    fb = exercises.check_kl(make(p, q), p, q, base=base)
    assert not fb.correct and re.search(said, fb.message), fb.message


def test_count_weighted_sums_and_the_plain_mean_of_minus_log_q_are_named():
    p, q, c = np.array([0.5, 0.3, 0.2]), np.array([0.25, 0.25, 0.5]), np.array([5, 3, 2])
    assert "weighted by P's counts (they add up to 10)" in exercises.check_kl(
        float(np.sum(c * np.log(p / q))), c, q).message
    assert "plain mean of -log Q(x)" in exercises.check_cross_entropy(float(np.mean(-np.log(q))), p, q).message
    for check in (exercises.check_entropy(-np.log(p), p, base=2),
                  exercises.check_cross_entropy(-np.log(q), p, q, base=2)):
        assert "They are in nats: the question asks for bits, so use np.log2." in check.message, check.message


def test_round_to_as_many_decimals_as_figures_is_told_and_weighted_one_hot_terms_are_summed():
    # from an eleventh learner pass: round(x, 3) gave 0.085 (2 figures) with no word on decimal places; a one-hot
    # label's weighted terms were called unweighted; np.mean of -log p was unnamed; arrays with a sign missing were
    # told to add up their terms
    p, q = np.array([0.2, 0.5, 0.3]), np.array([0.1, 0.6, 0.3])
    kl = float(np.sum(p * np.log(p / q)))
    assert "round(..., 3) keeps 3 decimal places, here 2 significant figures only" in str(
        exercises.check_kl(round(kl, 3), p, q))
    label, q_image = np.array([0.0, 0.0, 1.0]), np.array([0.15, 0.25, 0.6])
    assert "Their sum is it" in str(exercises.check_cross_entropy(-label * np.log2(q_image), label, q_image, base=2))
    assert "unweighted" in str(exercises.check_cross_entropy(-np.log2(q_image), label, q_image, base=2))
    assert "Sum the terms -P(x) log Q(x) over outcomes" in str(
        exercises.check_cross_entropy(np.log2(q_image), label, q_image, base=2))
    sensor = np.array([0.7, 0.1, 0.1, 0.1])
    assert "plain mean of -log P(x)" in str(exercises.check_entropy(float(np.mean(-np.log2(sensor))), sensor, base=2))


def test_a_short_negative_answer_is_hedged_like_a_short_positive_one():
    # from an eleventh learner pass: -1.1 was matched without its sign to a mistake with no hedge
    p, q = np.array([0.2, 0.5, 0.3]), np.array([0.1, 0.6, 0.3])
    swapped_ce = float(np.sum(q * np.log(1 / p)))
    short, full = str(exercises.check_kl(-round(swapped_ce, 1), p, q)), str(exercises.check_kl(-swapped_ce, p, q))
    assert "Without its sign it would match the cross-entropy H(Q, P)" in short and "too few to be sure" in short
    assert "Without its sign" in full and "too few" not in full


def test_infinite_masked_and_ten_times_answers_are_named():
    # from a twelfth learner pass: inf (a probability rounded to 0 inside a log) got only the formula, -inf in the
    # entropy was blamed on the minus sign, masked arrays were summed without their masked entries, and KL terms
    # weighted by counts out of 10 were unnamed
    p, q = np.array([0.2, 0.5, 0.3]), np.array([0.1, 0.6, 0.3])
    kl = float(np.sum(p * np.log(p / q)))
    assert "your answer is inf, and D(P||Q) is finite here" in str(exercises.check_kl(np.inf, p, q))
    assert "your answer is -inf" in str(exercises.check_entropy(-np.inf, p)) and "minus sign" not in str(
        exercises.check_entropy(-np.inf, p))
    masked = np.ma.masked_array(p * np.log(p / q), mask=[False, True, True])
    said = str(exercises.check_kl(masked, p, q))
    assert "masked array" in said and "np.sum" not in said
    assert "D(P||Q) x 10: the terms weighted by counts out of 10" in str(exercises.check_kl(10 * kl, p, q))


def test_full_arrays_are_read_over_every_outcome_and_nan_arrays_get_the_nan_advice():
    # from a thirteenth learner pass: only the entries of weight > 0 of a full-shape array were compared, so the
    # KL terms of a one-hot label, [nan, nan, 0.737], were called unweighted code lengths, and its weighted terms
    # in nats were called unweighted logs; a number cut off after 7 figures was not told so; a Brier score, 0.245,
    # was read as the mean of the terms cut off, without a hedge
    label, q_image = np.array([0.0, 0.0, 1.0]), np.array([0.15, 0.25, 0.6])
    check = lambda a: str(exercises.check_cross_entropy(a, label, q_image, base=2))  # noqa: E731
    with np.errstate(all="ignore"):
        kl_terms = label * np.log2(label / q_image)
    assert np.isnan(kl_terms[:2]).all()
    said = check(kl_terms)
    assert "2 of them are NaN" in said and "went inside a log" in said and "unweighted" not in said, said
    said = check(-label * np.log(q_image))
    assert "These are the terms" in said and "in nats" in said and "unweighted" not in said, said
    assert "unweighted" in check(-np.log2(q_image))
    truth = -math.log2(0.6)
    cut = math.floor(truth * 1e7) / 1e7
    assert round(truth, 7) != cut
    said = check(cut)
    assert said.startswith("Correct to 3") and "cut off, not rounded" in said and "truncated after 7" in said, said
    assert "cut off" not in check(round(truth, 7))
    brier = float(np.sum((q_image - label) ** 2))
    assert round(brier, 3) == 0.245 and math.floor(truth / 3 * 1000) / 1000 == 0.245
    said = check(0.245)
    assert "may be a coincidence" in said and "it is not H(P, Q)" in said, said
    # KL: numpy's -inf (or a masked 0) where P is 0 is the unweighted log-ratio; NaN terms get the NaN advice
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    with np.errstate(all="ignore"):
        for logs in (np.log(p / q), np.where(p > 0, np.log(p / q), 0)):
            assert "log-ratios log(P(x)/Q(x)), one per outcome, unweighted" in str(exercises.check_kl(logs, p, q))
        said = str(exercises.check_kl(p * np.log(p / q), p, q))
    assert "1 of them is NaN" in said and "0 * log(0)" in said, said
    # the entropy: -P log P in nats with its NaN, the NaN advice first
    with np.errstate(all="ignore"):
        said = str(exercises.check_entropy(-p * np.log(p), p))
    assert "1 of them is NaN" in said, said


def test_equal_entries_and_an_answer_of_one_keep_other_readings_open():
    # from a fourteenth learner pass: Q_fair itself (six equal numbers) was told to be copies from a broadcast, whose
    # "one number" is not the answer; an accuracy of 1.0 was named the sum of Q's probabilities without a hedge
    p, q = np.array([0.5, 0.1, 0.1, 0.1, 0.1, 0.1]), np.full(6, 1 / 6)
    said = str(exercises.check_kl(q, p, q, base=2))
    assert "broadcast" in said and "happen to be equal" in said and "sum the terms P(x) log(P(x)/Q(x))" in said, said
    label, q_image = np.array([0.0, 0.0, 1.0]), np.array([0.15, 0.25, 0.6])
    said = str(exercises.check_cross_entropy(1.0, label, q_image, base=2))
    assert "sum of Q's probabilities" in said and "an accuracy, say" in said, said


def test_a_whole_number_from_np_round_keeps_the_figures_of_its_integer_part():
    # from a fifteenth learner pass: np.round(1.3568) = 1.0 was said to keep "2 significant figures"
    p = np.array([0.7, 0.1, 0.1, 0.1])
    h = float(-np.sum(p * np.log2(p)))
    said = str(exercises.check_entropy(np.round(h), p, base=2))
    assert "rounds to a whole number, here 1 significant figure only" in said, said
    said = str(exercises.check_entropy(np.round(10 * h), 10 * p / np.sum(10 * p), base=2))
    assert "significant figure" in said, said


def test_a_float32_answer_is_not_called_cut_off():
    # from a sixteenth learner pass: np.float32(D) was told "its last figure is cut off, not rounded"; its 7 figures
    # are the nearest float32, which here lies below D's 7-figure rounding
    x = 0.844813852784924
    f = np.float32(x)
    assert str(f) == "0.8448138" and round(x, 7) == 0.8448139
    said = str(exercises.check_number(f, x, what="D"))
    assert said.startswith("Correct to 3") and "cut off" not in said, said
    said = str(exercises.check_number(0.8448138, x, what="D"))          # the same 7 figures typed: cut off
    assert said.startswith("Correct to 3") and "truncated after 7 figures" in said, said
