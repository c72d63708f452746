"""Notebook 01, What KL divergence measures (notebooks/01_definition.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import math
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
from scipy.special import rel_entr

from .._validation import log_base, unit_name
from ..discrete import cross_entropy, entropy, kl_contributions, kl_divergence
from .explorer import _explorer, _slider
from .feedback import (
    _names,
    _nan_for,
    _probabilities,
    _rounded_terms,
    _weighted_route,
    check_number,
)
from .style import P_COLOR, Q_COLOR, Q_HATCH
from .units import _LOG_FN, _unit_mistakes, _unit_words

__all__ = ["bar_pair", "contributions_bar", "show_pair", "coin_explorer", "check_kl"]


def bar_pair(p, q, *, labels=None, names=("P", "Q"), ax=None, title=None,
             ylabel="probability"):
    """Side-by-side bars of two distributions over the same outcomes: P plain blue, Q hatched vermillion.

    Used in: notebooks/01_definition.ipynb (section "1. Two distributions over the same outcomes");
    notebooks/02_bits_and_encoding.ipynb (section "2. Real data: letters of English and German").

    Parameters
    ----------
    p, q : array_like
        Probabilities of each outcome.
    labels : sequence of str, optional
        Outcome names (default ``0, 1, ...``).
    names : (str, str)
        Legend names of the two distributions.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure if omitted.
    title, ylabel : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    p, q = np.asarray(p, float), np.asarray(q, float)
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(p))
    width = 0.4
    ax.bar(x - width / 2, p, width, color=P_COLOR, label=names[0])
    ax.bar(x + width / 2, q, width, color=Q_COLOR, hatch=Q_HATCH, label=names[1])
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_xlabel("outcome")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def contributions_bar(p, q, *, labels=None, base=None, ax=None, title=None):
    """Per-outcome terms of D(P||Q) and of D(Q||P), as grouped bars.

    Used in: notebooks/04_asymmetry.ipynb (sections "1. Two directions, two numbers", "3. Support:
    zeros make one direction infinite"); notebooks/01_definition.ipynb (through show_pair).

    Bars above zero add to the divergence, bars below subtract; each
    direction's bars sum to its divergence, shown in the legend. An
    infinite term has no bar but a label naming its direction
    ("D(P||Q) term: inf").

    Returns
    -------
    matplotlib.axes.Axes
    """
    units = unit_name(base)
    forward = kl_contributions(p, q, base=base, signed=True)
    reverse = kl_contributions(q, p, base=base, signed=True)
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(forward))
    width = 0.4
    ax.bar(x - width / 2, np.where(np.isinf(forward), np.nan, forward), width,
           color=P_COLOR, label=f"D(P||Q) terms, sum {forward.sum():.4f} {units}")
    ax.bar(x + width / 2, np.where(np.isinf(reverse), np.nan, reverse), width,
           color=Q_COLOR, hatch=Q_HATCH, label=f"D(Q||P) terms, sum {reverse.sum():.4f} {units}")
    # an infinite term has no bar: a label says so, and which direction's term it is (in words, not by colour)
    for shift, terms, name, colour in ((-width / 2, forward, "D(P||Q)", P_COLOR),
                                       (width / 2, reverse, "D(Q||P)", Q_COLOR)):
        for xi, value in zip(x, terms):
            if np.isinf(value):
                ax.annotate(f"{name}\nterm: inf", (xi + shift, 0), ha="center", va="bottom", color=colour,
                            annotation_clip=False)
    ax.axhline(0, color="black", lw=0.8)
    # fixed x limits: with every term infinite or 0 there is no bar to set them, and the labels would fall outside
    ax.set_xlim(-0.5 - width / 2, len(x) - 0.5 + width / 2)
    finite = np.concatenate([forward[np.isfinite(forward)], reverse[np.isfinite(reverse)]])
    if not np.any(finite != 0):
        # no bar has a height: an empty panel would say nothing, so it says why (every term 0 means P = Q, or
        # every term is infinite), with y ticks at 0 only
        ax.set_ylim(-1, 1)
        ax.set_yticks([0])
        if not (np.any(np.isinf(forward)) or np.any(np.isinf(reverse))):
            ax.text(0.5, 0.75, "every term is 0: P and Q are equal", transform=ax.transAxes, ha="center")
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_xlabel("outcome")
    ax.set_ylabel(f"contribution [{units}]")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
    return ax


def show_pair(p, q, *, labels=None, base=2, title=None):
    """Print D(P||Q) and D(Q||P), and plot P, Q and each direction's per-outcome terms.

    Used in: notebooks/01_definition.ipynb (section "9. Explore: two coins").

    Parameters
    ----------
    p, q : array_like
        Two distributions over the same outcomes.
    labels : sequence of str, optional
        Outcome names.
    base : float, optional
        2 for bits (default), None for nats.
    title : str, optional
        Title of the left panel.
    """
    units = unit_name(base)
    forward = kl_divergence(p, q, base=base)
    reverse = kl_divergence(q, p, base=base)
    def said(d, first, second):   # "inf" read aloud says nothing: say why it is infinite
        return (f"infinite ({second} gives probability 0 to an outcome {first} produces)" if math.isinf(d)
                else f"{d:.4f} {units}")

    print(f"D(P||Q) = {said(forward, 'P', 'Q')}   D(Q||P) = {said(reverse, 'Q', 'P')}")
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    bar_pair(p, q, labels=labels, ax=left, title=title or "P (reference) and Q (model)")
    contributions_bar(p, q, labels=labels, base=base, ax=right,
                      title="Per-outcome terms: they sum to each direction's KL")
    plt.show()


def coin_explorer(p_heads=0.5, q_heads=0.9, *, base=2):
    """Two coins with sliders: when does D(P||Q) blow up, and is it symmetric?

    Used in: notebooks/01_definition.ipynb (section "9. Explore: two coins").

    Drag Q's probability of heads to 0 or 1 while P's stays strictly between:
    D(P||Q) becomes infinite because Q says an outcome P produces is impossible.

    Returns
    -------
    ipywidgets.VBox
    """
    p_slider = _slider(p_heads, 0, 1, 0.01, "P(heads) of coin P")
    q_slider = _slider(q_heads, 0, 1, 0.01, "Q(heads) of coin Q")

    def draw(ph, qh):
        # the settings as text too (a reader who cannot see the figure's title reads them here)
        print(f"P = (heads {ph:.2f}, tails {1 - ph:.2f})   Q = (heads {qh:.2f}, tails {1 - qh:.2f})")
        show_pair([ph, 1 - ph], [qh, 1 - qh], labels=["heads", "tails"], base=base,
                  title=f"P = ({ph:.2f}, {1 - ph:.2f}), Q = ({qh:.2f}, {1 - qh:.2f})")

    return _explorer(draw, {"ph": p_slider, "qh": q_slider}, [[p_slider, q_slider]])


def _normalise_advice(a, b, count_names):
    """How to normalise, in the exercise's names (no variable the learner does not have)."""
    if count_names:
        ca, cb = _names(count_names)
        return f"divide {ca} and {cb} each by its own total to get the probabilities {a} and {b}"
    return "divide each vector of counts by its own total"


def check_kl(answer, p, q, *, base=None, names=("P", "Q"), count_names=None, sig=3, entropy_words=True):
    """Check an answer for D(P||Q); ``p`` and ``q`` may be counts (normalised here).

    Used in: notebooks/00_start_here.ipynb (section "How each notebook works");
    notebooks/01_definition.ipynb (section "Exercises"); notebooks/02_bits_and_encoding.ipynb
    (section "Exercises"); notebooks/03_cross_entropy.ipynb (section "Exercises");
    notebooks/04_asymmetry.ipynb (section "Exercises").

    ``names`` are the exercise's names for P (the reference, first) and Q
    (the model, second); the messages speak in them. When ``p`` and ``q``
    are counts, ``count_names`` names the exercise's count variables, so
    the normalising advice runs as written. Recognised mistakes: another
    log base (either way round), swapped arguments D(Q||P), unnormalised
    counts (both, or one side only), the cross-entropy H(P, Q), the swapped
    cross-entropy H(Q, P), the
    entropy H(P) (which, rounded and then subtracted from the cross-entropy,
    is a rounding on the way), D(P||Q) x 100 (a percentage), the sum of
    both directions D(P||Q) + D(Q||P), the mean (np.mean) instead of the
    sum of the weighted terms, the unweighted sum and the unweighted mean
    of log ratios, -D(P||Q) (the ratio upside down, or H(P) - H(P, Q)),
    a zero mask applied to P only, the largest term alone (when some
    terms are negative), for bits or nats, D(Q||P) in the other of
    the two units (both choices the other way round), P or Q with its
    probabilities rounded to 2 decimals (1/6 as 0.17) and, for counts, both
    divided by their combined total. An array of the unweighted log ratios
    is told to be weighted, not added up.

    ``entropy_words=False`` is for a notebook that has not introduced
    entropy and cross-entropy (notebook 01): the same wrong numbers are
    described in words of the log ratios and their weights, no route
    through a rounded cross-entropy or entropy is read, and the difference
    of two entropies is not a reading.

    Examples
    --------
    >>> check_kl(0.75, [0.5, 0.5], [0.9, 0.1])
    Not yet: 0.75 is not D(P||Q). Weight each log(P(x)/Q(x)) by P(x) and sum over outcomes; P is the reference, the first argument.
    >>> check_kl(0.3681, [0.5, 0.5], [0.9, 0.1], names=("P_fair", "Q_biased"))
    Not quite: 0.3681 matches D(Q_biased||P_fair): the arguments are swapped. P_fair comes first, as the reference: it weights each log ratio and is the numerator inside it.
    >>> check_kl(1.204, [0.5, 0.5], [0.9, 0.1], entropy_words=False)
    Not quite: 1.204 matches the minus log of Q(x) alone, weighted by P(x) and summed: the log needs the ratio of the two, P(x) on top, not Q(x) alone.
    """
    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    what = f"D({a}||{b})"
    per = log_base(base)
    expected = kl_divergence(pn, qn, base=base)
    mistakes = _unit_mistakes(lambda bb: kl_divergence(pn, qn, base=bb), what, base)
    mistakes.append((kl_divergence(qn, pn, base=base),
                     f"D({b}||{a}): the arguments are swapped. {a} comes first, as the reference: it "
                     f"weights each log ratio and is the numerator inside it."))
    raw_p, raw_q = np.asarray(p, float), np.asarray(q, float)
    p_raw, q_raw = not np.isclose(raw_p.sum(), 1), not np.isclose(raw_q.sum(), 1)
    how = _normalise_advice(a, b, count_names)

    if p_raw or q_raw:
        mistakes.append((float(np.sum(rel_entr(raw_p, raw_q))) / per,
                         f"the sum over the raw counts, which are not probabilities. Normalise first: {how}."))
    with np.errstate(divide="ignore", invalid="ignore"):
        if p_raw and q_raw:
            # the raw counts with a second mistake: the direction swapped, or the other unit of bits and nats
            # (both about the total count times a value the learner may know, so named with the normalising)
            swapped_raw = float(np.sum(rel_entr(raw_q, raw_p))) / per
            if math.isfinite(swapped_raw):
                mistakes.append((swapped_raw,
                                 f"the sum over the raw counts, which are not probabilities, with the direction "
                                 f"swapped too ({b} weights the sum and is on top in the log ratio): two "
                                 f"mistakes. Normalise first ({how}), then weight each log({a}(x)/{b}(x)) by "
                                 f"{a}(x), the reference."))
            if base in (None, 2):
                other = 2 if base is None else None
                raw_other = float(np.sum(rel_entr(raw_p, raw_q))) / log_base(other)
                if math.isfinite(raw_other):
                    mistakes.append((raw_other,
                                     f"the sum over the raw counts, which are not probabilities, in "
                                     f"{_unit_words(other)} ({_LOG_FN[other]}): two mistakes. Normalise first "
                                     f"({how}), and use {_LOG_FN[base]}: the question asks for "
                                     f"{_unit_words(base)}."))
        if p_raw and q_raw:
            # both divided by one total, the sum of all the counts: neither is then a distribution
            total = raw_p.sum() + raw_q.sum()
            ca, cb = _names(count_names) if count_names else ("p", "q")
            mistakes.append((float(np.sum(rel_entr(raw_p / total, raw_q / total))) / per,
                             f"the counts divided by their combined total, {ca}.sum() + {cb}.sum(), not each by "
                             f"its own: neither is then a probability distribution. Normalise first: {how}."))
        if q_raw:
            mistakes.append((float(np.sum(rel_entr(pn, raw_q))) / per,
                             f"{a} normalised but {b} left as counts. Normalise both: {how}."))
        if p_raw:
            mistakes.append((float(np.sum(rel_entr(raw_p, qn))) / per,
                             f"{b} normalised but {a} left as counts. Normalise both: {how}."))
    # a distribution typed with its probabilities rounded to 2 decimals (1/6 as 0.17): they no longer sum to 1
    for name, dist, rounded_p in ((a, pn, True), (b, qn, False)):
        short = np.round(dist, 2)
        if np.allclose(short, dist, rtol=0, atol=1e-12) or np.any(short[pn > 0] <= 0):
            continue
        wrong = float(np.sum(rel_entr(short, qn) if rounded_p else rel_entr(pn, short))) / per
        if math.isfinite(wrong) and abs(wrong - expected) > 0.015 * abs(expected):
            values = ", ".join(f"{v:g}" for v in dict.fromkeys(short[dist > 0].tolist()))
            # an example of an exact value, as a fraction where one is short (1 / 6, not 0.17)
            x = float(dist[np.flatnonzero(short != dist)[0]])
            frac = Fraction(x).limit_denominator(100)
            exact = (f" ({frac.numerator} / {frac.denominator}, not {round(x, 2):g})"
                     if abs(float(frac) - x) <= 1e-12 * x else "")
            mistakes.append((wrong, f"{what} with {name}'s probabilities rounded to 2 decimals ({values}), which "
                                    f"then do not sum to 1: use the exact values{exact}, as the exercise defines "
                                    f"{name}."))
    h = entropy(pn, base=base)
    if h > 0 and entropy_words:
        mistakes.append((cross_entropy(pn, qn, base=base),
                         f"the cross-entropy H({a}, {b}) = H({a}) + {what}: it also counts H({a}). "
                         f"Subtract H({a}) from the unrounded cross-entropy your code computed, or weight "
                         f"each log ratio by {a}(x) and sum directly.",
                         ("shift", f"the cross-entropy H({a}, {b})", f"reduced by H({a})")))
        # its step: H(P) rounded, then subtracted from the unrounded cross-entropy (the CE - H route)
        mistakes.append((h, f"H({a}), the entropy of {a} alone: {what} compares {a} with {b}, with {b}'s "
                            f"probabilities in the log ratio.",
                         ("subtracted", f"H({a})", f"subtracted from the cross-entropy H({a}, {b})")))
    elif h > 0:
        mistakes.append((cross_entropy(pn, qn, base=base),
                         f"the minus log of {b}(x) alone, weighted by {a}(x) and summed: the log needs the "
                         f"ratio of the two, {a}(x) on top, not {b}(x) alone."))
        mistakes.append((h, f"a sum that leaves {b} out: {a}'s own log probabilities, weighted by {a}(x), with "
                            f"the sign changed. {what} compares {a} with {b}: {b}'s probabilities belong in "
                            f"the log ratio."))
    if expected > 0 and math.isfinite(expected):
        mistakes.append((100 * expected, f"{what} x 100, as a percentage: a divergence is not a percentage. "
                                         f"Divide the unrounded number by 100.",
                         ("scale", f"{what} x 100", "divided by 100")))
    counts = float(np.sum(np.asarray(p, dtype=float)))
    if expected > 0 and math.isfinite(expected) and abs(counts - 1) > 0.01 and counts not in (100.0,):
        mistakes.append((counts * expected, f"{what} x {counts:g}: the terms weighted by {a}'s counts (they add up "
                                            f"to {counts:g}) instead of its probabilities. Divide the counts by "
                                            f"their total first.", ("scale", f"{what} x {counts:g}",
                                                                    f"divided by {counts:g}")))
    if expected > 0 and math.isfinite(expected) and counts != 10.0:
        mistakes.append((10 * expected, f"{what} x 10: the terms weighted by counts out of 10 (10 x {a}(x)) instead "
                                        f"of the probabilities. Divide the counts by their total first.",
                         ("scale", f"{what} x 10", "divided by 10")))
    jeffreys = expected + kl_divergence(qn, pn, base=base)
    if math.isfinite(jeffreys):
        # named wherever entropy_words is True (notebooks 00, 02, 03, 04); notebook 01 (entropy_words=False)
        # keeps to the words of its own section and leaves the name out
        named = " (the Jeffreys divergence)" if entropy_words else ""
        mistakes.append((jeffreys, f"D({a}||{b}) + D({b}||{a}), both directions added{named}: "
                                   f"{what} is one direction only, its log ratios weighted by {a}."))
    with np.errstate(divide="ignore"):
        swapped_ce = cross_entropy(qn, pn, base=base)
    if math.isfinite(swapped_ce):
        start = (f"the cross-entropy H({b}, {a})" if entropy_words else
                 f"the minus log of {a}(x) alone, weighted by {b}(x) and summed")
        mistakes.append((swapped_ce, f"{start}: {b} weights the sum and {a} is in the log, the roles swapped. "
                                     f"{what} weights by {a}, the reference, and takes the log of the ratio, "
                                     f"{a}(x) on top."))
    k_out = len(pn)
    if expected > 0 and k_out > 1:
        mistakes.append((expected / k_out,
                         f"the mean of the weighted terms {a}(x) log({a}(x)/{b}(x)) (np.mean), which divides "
                         f"their sum by the {k_out} outcomes. The weights {a}(x) already average: sum the "
                         f"terms (np.sum), or multiply the unrounded mean by {k_out}.",
                         ("scale", "the mean of the weighted terms", f"multiplied by {k_out}")))
    # the other direction in the other unit (nats for bits, or bits for nats): the answer of a neighbouring
    # question about the same pair, with both of its choices the other way round
    if base in (None, 2):
        other = 2 if base is None else None
        flip = kl_divergence(qn, pn, base=other)
        if math.isfinite(flip):
            mistakes.append((flip, f"D({b}||{a}) in {_unit_words(other)}: both the direction and the unit are "
                                   f"the other way round. This question asks for {what} in {_unit_words(base)}: "
                                   f"{a} first, as the reference (it weights the log ratios and is on top "
                                   f"in them), and {_LOG_FN[base]} for the logarithm."))
    with np.errstate(divide="ignore", invalid="ignore"):
        weighted = np.where(pn > 0, pn * np.log(np.where(pn > 0, pn, 1.0) / qn), 0.0) / per
    if np.count_nonzero(pn) > 1 and np.all(np.isfinite(weighted)) and np.any(weighted < 0):
        largest = float(np.max(weighted))
        mistakes.append((largest, f"the largest term {a}(x) log({a}(x)/{b}(x)) alone, of one outcome: "
                                  f"{what} sums the terms of all {len(pn)} outcomes, including the negative "
                                  f"ones (where {b}(x) > {a}(x))."))
    # the difference of the two entropies, H(Q) - H(P): a common misreading of "KL = cross-entropy - entropy"
    h_p = float(-np.sum(pn[pn > 0] * np.log(pn[pn > 0]))) / per
    h_q = float(-np.sum(qn[qn > 0] * np.log(qn[qn > 0]))) / per
    if h_q != h_p and entropy_words:
        mistakes.append((h_q - h_p, f"H({b}) - H({a}), a difference of the two entropies: {what} is the "
                                    f"cross-entropy H({a}, {b}) (the log of {b}, weighted by {a}) minus "
                                    f"H({a}), not the entropy of {b} minus that of {a}."))
    if expected > 0:
        mistakes.append((-expected, f"minus {what}: either the ratio inside the log is upside down "
                                    f"({b}(x) on top), or a subtraction is the wrong way round"
                                    + (f" (H({a}) minus the cross-entropy H({a}, {b}): the cross-entropy comes first)."
                                       if entropy_words else f" (log {b}(x) minus log {a}(x)).")))
    support = pn > 0
    with np.errstate(all="ignore"):
        unweighted = np.log(pn / qn) / per       # (-inf where p is 0, NaN where q is 0 too, as numpy gives them)
    with np.errstate(divide="ignore"):
        log_ratio = np.log(pn[support] / qn[support]) / per
        mistakes.append((float(np.sum(log_ratio)),
                         f"the sum of log({a}(x)/{b}(x)) without weights: multiply each term by {a}(x)."))
        if support.all() and not np.allclose(pn, pn[0]):     # for a uniform P the plain mean is right
            by_q = (f" With {b} uniform, that is also the terms weighted by {b}(x) instead of {a}(x)."
                    if np.allclose(qn, qn[0]) else "")
            mistakes.append((float(np.mean(log_ratio)),
                             f"the plain mean of log({a}(x)/{b}(x)) over outcomes (np.mean), which weights "
                             f"every outcome equally.{by_q} Weight each term by {a}(x) and sum instead."))
            flipped = -float(np.mean(log_ratio))
            # two mistakes at once: named only when no single mistake gives the same number (with Q uniform it
            # equals the swapped divergence, which is the reading to give)
            if not any(abs(flipped - m[0]) <= 1e-9 * abs(m[0]) for m in mistakes if m[0] is not None):
                mistakes.append((flipped,
                                 f"the plain mean of log({b}(x)/{a}(x)) (np.mean): the terms need the weights "
                                 f"{a}(x), and the ratio {a}(x) on top; then sum them."))
        elif support.sum() == 1 and np.all(qn > 0):
            only = pn[support][0]
            mistakes.append((float(only * np.sum(np.log(only / qn))) / per,
                             f"the zero mask applied to {a} only: {a}[m] then broadcasts against every "
                             f"{b}(x). Use one mask on both arrays: m = {a} > 0, then {a}[m] and {b}[m]."))
    # one filter for every candidate (raw counts, either direction, two mistakes at once): a mistake within 1% of
    # the answer would be nearly right by coincidence, and an answer that near may be the answer rounded on the way
    apart = [m for m in mistakes if abs(m[0] - expected) >= 0.01 * abs(expected)]
    return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=apart, sig=sig,
                        hint=f"Weight each log({a}(x)/{b}(x)) by {a}(x) and sum over outcomes; "
                             f"{a} is the reference, the first argument.",
                        negative=f"A KL divergence is never negative (Gibbs' inequality). A negative sum "
                                 f"comes from weights that are missing or do not sum to 1 (normalise both "
                                 f"distributions, and weight each log({a}(x)/{b}(x)) by {a}(x)), or from a "
                                 f"ratio or subtraction the wrong way round.",
                        combine=f"Sum the terms {a}(x) log({a}(x)/{b}(x)) over outcomes.",
                        array_routes=_weighted_route(pn, unweighted, f"These are the log-ratios log({a}(x)/{b}(x)), one per "
                                                          f"outcome, unweighted: weight each by {a}(x) and add "
                                                          f"them up.", base=base,
                                                     terms=f"{a}(x) log({a}(x)/{b}(x))"),
                        partway=(_rounded_terms(pn[support], log_ratio, f"{a}(x) log({a}(x)/{b}(x))", expected)
                                 if np.all(qn[support] > 0) else None),
                        nan=_nan_for(pn, a, b, base))
