"""Checks of notebook 06's exercises: the right answer and each recognised mistake."""

from __future__ import annotations

import math

import numpy as np
import pytest

from klteach import exercises

REF = np.array([120, 300, 420, 160])
CUR = np.array([80, 250, 430, 240])


def hist(counts, a):
    c = counts + a
    return c / c.sum()


P, Q = hist(REF, 0.5), hist(CUR, 0.5)
KL_PQ = float(np.sum(P * np.log(P / Q)))
KL_QP = float(np.sum(Q * np.log(Q / P)))


def test_psi_right_answer():
    fb = exercises.check_psi(KL_PQ + KL_QP, REF, CUR)
    assert fb.correct and "Correct" in str(fb) and "nats" in str(fb)


@pytest.mark.parametrize("wrong, words", [
    (KL_PQ, "D(ref||cur) alone"),
    (KL_QP, "D(cur||ref) alone"),
    ((KL_PQ + KL_QP) / math.log(2), "bits"),
    (float(np.sum((REF / REF.sum() - CUR / CUR.sum()) * np.log((REF / REF.sum()) / (CUR / CUR.sum())))),
     "without smoothing"),
    (float(np.sum(((REF + 0.5) / REF.sum() - (CUR + 0.5) / CUR.sum())
                  * np.log(((REF + 0.5) / REF.sum()) / ((CUR + 0.5) / CUR.sum())))), "renormalise"),
])
def test_psi_mistakes_are_recognised(wrong, words):
    fb = exercises.check_psi(wrong, REF, CUR)
    assert not fb.correct and words in str(fb)


def test_psi_js_and_unknown_answers():
    m = 0.5 * (P + Q)
    js = 0.5 * np.sum(P * np.log(P / m)) + 0.5 * np.sum(Q * np.log(Q / m))
    assert "Jensen-Shannon" in str(exercises.check_psi(js, REF, CUR))
    assert "No answer yet" in str(exercises.check_psi(..., REF, CUR))
    assert "Not yet" in str(exercises.check_psi(1.234, REF, CUR))


OBS = 0.05
PERM = np.array([0.01, 0.05, 0.07, 0.02, 0.03, 0.09, 0.04, 0.05, 0.06, 0.08])   # B = 10


def test_pvalue_right_answer():
    # 6 values >= 0.05 (0.05, 0.07, 0.09, 0.05, 0.06, 0.08): p = (1 + 6) / 11
    fb = exercises.check_permutation_pvalue(7 / 11, OBS, PERM)
    assert fb.correct and "Correct" in str(fb)


@pytest.mark.parametrize("wrong, words", [
    (6 / 10, "without the +1s"),
    ((1 + 4) / 11, "strictly greater"),
    (1 - 7 / 11, "one minus"),
    (4 / 10, "below the observed"),
])
def test_pvalue_mistakes_are_recognised(wrong, words):
    fb = exercises.check_permutation_pvalue(wrong, OBS, PERM)
    assert not fb.correct and words in str(fb)
