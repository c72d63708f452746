"""Notebook 02, Bits and encoding (notebooks/02_bits_and_encoding.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import math
from numbers import Real

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from .._validation import log_base
from ..coding import huffman_lengths, ideal_code_lengths
from ..discrete import cross_entropy, entropy, kl_divergence
from .explorer import _explorer, _slider
from .feedback import (
    Feedback,
    _accepted,
    _as_given,
    _digits,
    _names,
    _nan_for,
    _probabilities,
    _right_at,
    _round_sig,
    _rounded_terms,
    _scalar,
    _truncated,
    _weighted_route,
    check_number,
    significant_figures,
)
from .style import P_COLOR, Q_COLOR, Q_HATCH
from .units import _LOG_FN, _unit_mistakes, _unit_words

__all__ = ["code_lengths_bar", "show_coding_cost", "coding_explorer", "check_entropy",
           "check_cross_entropy", "check_huffman_length"]


def code_lengths_bar(p, q, *, symbols=None, names=("P", "Q"), ax=None, title=None):
    """Huffman codeword lengths (bars; Q's hatched) and ideal lengths -log2 (dots) of P's code and of Q's code.

    Used in: notebooks/02_bits_and_encoding.ipynb (section "4. Real codes have whole bits: Huffman
    codes").

    Parameters
    ----------
    p, q : array_like
        Distributions over the same symbols; each code is built for one of them.
    symbols : sequence of str, optional
        Symbol names (default ``0, 1, ...``).
    names : (str, str)
        Legend names of the two distributions.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.6))
    x = np.arange(len(np.asarray(p)))
    width = 0.4
    for shift, dist, color, hatch, marker, name in ((-width / 2, p, P_COLOR, None, "o", names[0]),
                                                    (width / 2, q, Q_COLOR, Q_HATCH, "D", names[1])):
        ax.bar(x + shift, huffman_lengths(dist), width, color=color, alpha=0.8, hatch=hatch,
               label=f"Huffman code for {name} (whole bits)")
        ax.plot(x + shift, ideal_code_lengths(dist), marker, ms=4, color="black",
                label=f"ideal lengths for {name}, -log2 of its probabilities")
    ax.set_xticks(x, symbols if symbols is not None else [str(i) for i in x])
    ax.set_xlabel("symbol")
    ax.set_ylabel("codeword length [bits]")
    lengths = np.concatenate([huffman_lengths(p), huffman_lengths(q), ideal_code_lengths(p),
                              ideal_code_lengths(q)])
    ax.set_ylim(0, np.max(lengths[np.isfinite(lengths)]) + 0.6)   # the axis fits the data
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if title:
        ax.set_title(title)
    ax.legend(ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))   # below, off the bars
    return ax


def _blend(p, q, t):
    """The model (1 - t) P + t Q: P itself at t = 0, Q at t = 1."""
    return (1 - t) * np.asarray(p, float) + t * np.asarray(q, float)


def show_coding_cost(p, q, t=1.0, *, symbols=None, names=("P", "Q")):
    """Code P's symbols with a code built for the model (1 - t) P + t Q: print and plot the extra bits.

    Used in: notebooks/02_bits_and_encoding.ipynb (section "8. Explore: from the English code to the
    German code").

    Prints, in bits per symbol, the ideal extra length D(P||Q_t) and the
    extra length of Q_t's Huffman code over P's own Huffman code. Left
    panel: the codeword lengths of both codes; right panel: both extra
    lengths as the model moves from P (t = 0) to Q (t = 1).

    Parameters
    ----------
    p, q : array_like
        The source distribution P and the distribution Q the model drifts to.
    t : float
        How far the model has moved from P towards Q, in [0, 1].
    symbols : sequence of str, optional
    names : (str, str)
        Names of P and Q for titles and legends.
    """
    p = np.asarray(p, float)
    model = _blend(p, q, t)
    own = float(p @ huffman_lengths(p))
    ideal_extra = kl_divergence(p, model, base=2)
    huffman_extra = float(p @ huffman_lengths(model)) - own
    print(f"model = {1 - t:.2f} x {names[0]} + {t:.2f} x {names[1]}: coding {names[0]} costs "
          f"{ideal_extra:.4f} extra bits/symbol with ideal lengths (D(P||model)), "
          f"{huffman_extra:.4f} with Huffman codes")
    ts = np.linspace(0, 1, 41)
    ideal = [kl_divergence(p, _blend(p, q, s), base=2) for s in ts]
    huffman = [float(p @ huffman_lengths(_blend(p, q, s))) - own for s in ts]
    _, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), width_ratios=[1.6, 1])
    code_lengths_bar(p, model, symbols=symbols, names=(names[0], "model"), ax=left,
                      title=f"Codeword lengths of the two codes (t = {t:.2f})")
    right.plot(ts, ideal, color=P_COLOR, lw=2, label="ideal: D(P||model)")
    right.step(ts, huffman, where="mid", color=Q_COLOR, lw=2, ls="--", label="Huffman codes")
    right.axvline(t, color="black", lw=0.8, ls=":")
    right.set_xlabel(f"t (model moves from {names[0]} to {names[1]})")
    right.set_ylabel("extra bits per symbol")
    right.set_title("Extra cost grows with the mismatch")
    right.legend()
    plt.show()


def coding_explorer(p, q, *, symbols=None, names=("P", "Q"), t=0.5):
    """Slider for the model (1 - t) P + t Q: how many extra bits does the mismatch cost?

    Used in: notebooks/02_bits_and_encoding.ipynb (section "8. Explore: from the English code to the
    German code").

    Returns
    -------
    ipywidgets.VBox
    """
    slider = _slider(t, 0, 1, 0.05, f"t ({names[0]} -> {names[1]})")
    return _explorer(lambda t: show_coding_cost(p, q, t, symbols=symbols, names=names),
                     {"t": slider}, [[slider]])


def _safe_log(x, base):
    """-log x in the units of ``base``, inf where x is 0 (the unweighted code lengths)."""
    with np.errstate(divide="ignore"):
        return -np.log(np.asarray(x, dtype=float)) / log_base(base)


def check_entropy(answer, p, *, base=None, name="P", sig=3):
    """Check an answer for H(P); ``p`` may be counts (normalised here).

    Used in: notebooks/02_bits_and_encoding.ipynb (section "Exercises").

    Recognised mistakes: another log base, the missing minus sign, the plain mean of -log p, the
    unweighted sum of -log p, the mean (np.mean) of the terms, the entropy
    of a uniform distribution (log K, a fixed-length code in bits) and, in
    bits, the average length of
    a Huffman code, which is at least H(P) and can be above it. An array of
    the unweighted -log p(x) is told to be weighted, not added up.

    Examples
    --------
    >>> check_entropy(1.0, [0.5, 0.5], base=2)
    Correct: H(P) = 1.000 bits.
    >>> check_entropy(-1.0, [0.5, 0.5], base=2)
    Not quite: -1.0 matches the sum without its minus sign: each log P(x) is negative or 0, so H(P) >= 0, and the minus sign in front makes the sum positive.
    """
    pn = _probabilities(p, "p")
    what = f"H({name})"
    expected = entropy(pn, base=base)
    mistakes = _unit_mistakes(lambda b: entropy(pn, base=b), what, base)
    support = pn > 0
    mistakes.append((float(-np.sum(np.log(pn[support]))) / log_base(base),
                     f"the sum of -log {name}(x) without weights: multiply each term by {name}(x)."))
    if expected > 0:
        mistakes.append((-expected, f"the sum without its minus sign: each log {name}(x) is negative or 0, so "
                                    f"{what} >= 0, and the minus sign in front makes the sum positive."))
    k = int(support.sum())
    if k > 1 and not np.allclose(pn[support], pn[support][0]):     # (for a uniform P the plain mean is right)
        plain = float(-np.mean(np.log(pn[support]))) / log_base(base)
        if abs(plain - expected) >= 0.01 * expected:
            mistakes.append((plain, f"the plain mean of -log {name}(x) over outcomes (np.mean), which weights every "
                                    f"outcome equally: weight each -log {name}(x) by {name}(x) and sum."))
    for n in sorted({len(pn), k}):      # np.mean over every term, or over the terms left by a mask
        if expected > 0 and n > 1:
            mistakes.append((expected / n, f"the mean of the {n} terms -{name}(x) log {name}(x) (np.mean), not "
                                           f"their sum: the weights {name}(x) already average, so sum the terms "
                                           f"(np.sum), or multiply the unrounded mean by {n}.",
                             ("scale", f"the mean of the {n} terms", f"multiplied by {n}")))
    if expected > 0:    # percentages or counts out of 10 (7, 1, 1, 1) where probabilities belong
        unit = _LOG_FN.get(base, "np.log")
        for scale in (10, 100):
            log_scale = math.log(scale) / log_base(base)
            mistakes += [
                (expected - log_scale, f"the logs taken of {scale} x {name}(x) (counts or percentages) instead "
                                       f"of the probabilities: {unit}({scale} p) = {unit}(p) + {unit}({scale}), so "
                                       f"the sum comes out {unit}({scale}) = {log_scale:.4g} too low. Divide the "
                                       f"counts by their total first, and take the logs of the probabilities."),
                (scale * expected, f"{what} times {scale}: the terms weighted by counts or percentages "
                                   f"({scale} x {name}(x)) instead of the probabilities. Divide the counts by "
                                   f"their total first."),
                (scale * (expected - log_scale), f"counts or percentages ({scale} x {name}(x)) used for the "
                                                 f"probabilities, both as the weights and inside the log. Divide "
                                                 f"the counts by their total first, then weight each "
                                                 f"-log {name}(x) by {name}(x)."),
            ]
    if base == 2 and k > 1:
        huffman = float(np.dot(pn, huffman_lengths(pn)))
        if not _accepted(huffman, expected):
            mistakes.append((huffman, f"the average length of a Huffman code for {name}, whole bits per symbol. "
                                      f"The entropy is the bound below it, the average of the ideal lengths "
                                      f"-log2 {name}(x) (whole bits or not), weighted by {name}(x)."))
    if k > 1 and not np.allclose(pn[support], 1 / k):
        log_k = math.log(k) / log_base(base)
        fixed = (f" (the length of a fixed-length code: {log_k:g} bits for each of {k} outcomes)"
                 if base == 2 and log_k.is_integer() else "")
        mistakes.append((log_k, f"{_LOG_FN.get(base, 'np.log')}({k}), the entropy of a uniform distribution over "
                                f"{k} outcomes{fixed}. {name} is not uniform: weight each -log {name}(x) by "
                                f"{name}(x) and sum."))
    return check_number(answer, expected, what=what, units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"{what} is the average of the ideal code lengths -log {name}(x), each weighted by "
                             f"its probability {name}(x)"
                             + (", with 0 log 0 = 0." if k < len(pn) else "."),
                        negative=f"Check the minus sign in front: each log {name}(x) is negative or 0, so {what} "
                                 f"is never negative.",
                        combine=f"Sum the terms -{name}(x) log {name}(x) over outcomes.",
                        array_routes=_weighted_route(pn, _safe_log(pn, base), f"These are the ideal code lengths -log {name}(x), one "
                                                          f"per outcome, unweighted: weight each by {name}(x) and "
                                                          f"add them up.", base=base,
                                                     terms=f"-{name}(x) log {name}(x)"),
                        partway=_rounded_terms(pn[support], -np.log(pn[support]) / log_base(base),
                                               f"-{name}(x) log {name}(x)", expected),
                        nan=_nan_for(pn, name, None, base))


def check_cross_entropy(answer, p, q, *, base=None, names=("P", "Q"), sig=3):
    """Check an answer for the cross-entropy H(P, Q); ``p`` and ``q`` may be counts.

    Used in: notebooks/02_bits_and_encoding.ipynb (section "Exercises");
    notebooks/03_cross_entropy.ipynb (section "Exercises").

    Recognised mistakes: another log base, D(P||Q) (the entropy H(P) left
    out), H(P) alone, H(Q) alone, the swapped H(Q, P), the unweighted sum of -log q,
    the sum of Q's probabilities (1 for every distribution), the mean of the
    terms (np.mean) instead of their sum, the terms weighted by counts or
    percentages (x 10, x 100), log K of a uniform code and, for a one-hot P, -log q of a
    class whose label is 0, q of the labelled class without its log, 1 - q
    of the labelled class (an error rate) and -log(1 - q). H(Q) within 1%
    of the answer is named only for an answer that is exactly it. An array of
    the unweighted -log q(x) is told to be weighted, not added up.

    Examples
    --------
    >>> check_cross_entropy(0.152, [1, 0], [0.9, 0.1], base=2)
    Correct: H(P, Q) = 0.1520 bits.
    """
    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    what = f"H({a}, {b})"
    mistakes = _unit_mistakes(lambda bb: cross_entropy(pn, qn, base=bb), what, base)
    h = entropy(pn, base=base)
    if h > 0:      # for a one-hot P, H(P) = 0 and D(P||Q) is the cross-entropy itself
        mistakes += [
            (kl_divergence(pn, qn, base=base),
             f"D({a}||{b}), the extra part only. The cross-entropy also counts H({a}). Add H({a}) to the "
             f"unrounded number your code computed, or weight each -log {b}(x) by {a}(x) and sum directly.",
             ("shift", f"D({a}||{b})", f"increased by H({a})")),
            (h, f"H({a}), the cross-entropy of {a} with itself. Use {b}'s probabilities "
                f"inside the log, with {a}(x) as the weights.",
             ("added", f"H({a})", f"added to D({a}||{b})")),       # the D + H route with H(P) rounded
        ]
    h_q = entropy(qn, base=base)
    expected = cross_entropy(pn, qn, base=base)
    h_q_why = (f"H({b}), the entropy of {b} alone: each -log {b}(x) must be weighted by "
               f"{a}(x), the distribution the events come from.")
    coincident = []
    if abs(h_q - expected) >= 0.01 * abs(expected):
        mistakes.append((h_q, h_q_why))
    else:       # closer, it would be nearly right by coincidence: named only when the answer is exactly it
        coincident.append((h_q, h_q_why))
    mistakes.append((cross_entropy(qn, pn, base=base),
                     f"H({b}, {a}): the arguments are swapped. {a}, the distribution the events come from, "
                     f"weights the sum; {b}'s probabilities go inside the log."))
    with np.errstate(divide="ignore"):
        mistakes.append((float(-np.sum(np.log(qn[qn > 0]))) / log_base(base),
                         f"the sum of -log {b}(x) over all outcomes, without weights: multiply each "
                         f"term by {a}(x)."))
        support = pn > 0
        if support.sum() == 1 and np.all(qn > 0):
            only = pn[support][0]
            mistakes.append((float(only * np.sum(np.log(only / qn))) / log_base(base),
                             f"the zero mask applied to {a} only: {a}[m] then broadcasts against every "
                             f"{b}(x). Use one mask on both arrays: m = {a} > 0, then {a}[m] and {b}[m]."))
    mistakes.append((1.0, f"the sum of {b}'s probabilities, which is 1 for every distribution. The "
                          f"cross-entropy weights the log of each {b}(x) by {a}(x); another quantity that is 1 "
                          f"here (an accuracy, say) is not it either."))
    counts = float(np.sum(np.asarray(p, dtype=float)))
    for scale in sorted({10.0, 100.0} | ({counts} if abs(counts - 1) > 0.01 else set())):
        # the logs weighted by counts or percentages where probabilities belong
        mistakes.append((scale * expected, f"{what} times {scale:g}: the terms weighted by counts or percentages "
                                           f"({scale:g} x {a}(x)) instead of the probabilities. Divide the counts "
                                           f"by their total first."))
    n_out = len(qn)
    if n_out > 1 and not np.allclose(qn, 1 / n_out):
        mistakes.append((math.log(n_out) / log_base(base),
                         f"{_LOG_FN.get(base, 'np.log')}({n_out}), the code length of a uniform code over {n_out} "
                         f"outcomes: {b} is not uniform, so weight each -log {b}(x) by {a}(x) and sum."))

    def apart(w):     # a mistake within 1% of the answer would be nearly right by coincidence
        return math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected)

    n = len(pn)
    with np.errstate(divide="ignore"):
        plain = float(-np.mean(np.log(qn))) / log_base(base)
    if n > 1 and apart(plain) and not np.allclose(qn, 1 / n):      # (uniform Q: log K, named above)
        mistakes.append((plain, f"the plain mean of -log {b}(x) over outcomes (np.mean), which weights every "
                                f"outcome equally: weight each -log {b}(x) by {a}(x) and sum."))
    if n > 1 and apart(expected / n):
        mistakes.append((expected / n, f"the mean of the {n} terms -{a}(x) log {b}(x) (np.mean), not their sum: "
                                       f"the cross-entropy sums over outcomes, np.sum (or multiply the unrounded "
                                       f"mean by {n}).", ("scale", f"the mean of the {n} terms", f"multiplied by {n}")))
    if support.sum() == 1:      # a one-hot label: the cross-entropy is -log q of the labelled class
        k = int(np.flatnonzero(support)[0])
        def log(i):
            return (f"{_LOG_FN[base]}({b}[{i}])" if base in _LOG_FN else f"np.log({b}[{i}]) / np.log({base:g})")
        inunits = "" if base is None else f" in {_unit_words(base)}"
        for j in range(n):
            if j != k and qn[j] > 0 and apart(-math.log(qn[j]) / log_base(base)):
                mistakes.append((-math.log(qn[j]) / log_base(base),
                                 f"-{log(j)}, minus the log-probability{inunits} of class {j}, whose {a}[{j}] is "
                                 f"0. Only the labelled class, the one where {a} is 1, has a term: find which "
                                 f"class that is."))
        if apart(float(qn[k])):
            mistakes.append((float(qn[k]), f"{b}[{k}], the probability of the labelled class itself, not its "
                                           f"log: the cross-entropy takes its log, with a minus sign."))
        if 0 < qn[k] < 1 and apart(-math.log1p(-float(qn[k])) / log_base(base)):
            mistakes.append((-math.log1p(-float(qn[k])) / log_base(base),
                             f"-{log(k).replace(f'{b}[{k}]', f'1 - {b}[{k}]')}, minus the log of the "
                             f"probability the model gives the other classes: the term that counts is the "
                             f"log-probability of the labelled class itself."))
        if np.all((qn > 0) & (qn < 1)):
            # binary cross-entropy summed over every class, each treated as its own yes/no label
            bce = float(-np.sum(pn * np.log(qn) + (1 - pn) * np.log1p(-qn))) / log_base(base)
            if apart(bce):
                mistakes.append((bce, f"the binary cross-entropy summed over all {n} classes, each class a "
                                      f"yes/no label of its own: with one label for the whole example, only the "
                                      f"labelled class has a term, and the other classes add nothing."))
        if apart(1.0 - float(qn[k])):
            mistakes.append((1.0 - float(qn[k]),
                             f"1 - {b}[{k}], the probability the model gives the other classes (an error "
                             f"rate, not a log loss): the cross-entropy is a log loss, made of the labelled class's "
                             f"probability."))
    return check_number(answer, cross_entropy(pn, qn, base=base), what=what, units=_unit_words(base),
                        mistakes=mistakes, sig=sig, coincident=coincident,
                        hint=f"Weight each -log {b}(x) by {a}(x) and sum: {a} weights, {b} inside the log "
                             f"(H({b}) alone weights by {b} itself, and H({a}) puts {a} inside the log).",
                        negative=f"Check the minus sign in front: each log {b}(x) is negative or 0, so {what} "
                                 f"is never negative.",
                        combine=f"Sum the terms -{a}(x) log {b}(x) over outcomes: each -log {b}(x) weighted by {a}(x).",
                        array_routes=_weighted_route(pn, _safe_log(qn, base), f"These are the code lengths -log {b}(x), one per "
                                                          f"outcome, unweighted: weight each by {a}(x) and add "
                                                          f"them up.", base=base,
                                                     terms=f"-{a}(x) log {b}(x)"),
                        partway=(_rounded_terms(pn[pn > 0], -np.log(qn[pn > 0]) / log_base(base),
                                                f"-{a}(x) log {b}(x)", cross_entropy(pn, qn, base=base))
                                if np.all(qn[pn > 0] > 0) else None),
                        nan=_nan_for(pn, a, b, base, cross=True, q=qn))


def check_huffman_length(answer, p, *, name=None, sig=3):
    """Check the average length, in bits per symbol, of a Huffman code for ``p``.

    Used in: notebooks/02_bits_and_encoding.ipynb (section "Exercises").

    ``name`` is the exercise's name for the distribution (e.g. ``"P_sensor"``).
    Recognised mistakes: the entropy (ideal lengths are not whole bits), the
    Shannon code's ``sum p * ceil(-log2 p)``, the unweighted mean length,
    the mean (np.mean) of the weighted terms instead of their sum, the
    redundancy L - H, the average converted to nats, and a fixed-length
    code, ``ceil(log2 K)`` bits for each of K symbols.

    Examples
    --------
    >>> check_huffman_length(1.9, [0.4, 0.3, 0.2, 0.1])
    Correct: the average Huffman code length = 1.900 bits per symbol.
    >>> check_huffman_length(2.0, [0.4, 0.3, 0.2, 0.1], name="P_sensor")
    Not quite: 2.0 matches a fixed-length code, ceil(log2(4)) = 2 bits for each of the 4 symbols. Huffman gives frequent symbols shorter codewords: average the Huffman lengths, weighted by P_sensor(x).
    """
    pn = _probabilities(p, "p")
    lengths = huffman_lengths(pn)
    support = pn > 0
    h, px = (f"H({name})", f"{name}(x)") if name else ("the entropy", "each symbol's probability")
    expected = float(np.dot(pn, lengths))
    mistakes = [
        (entropy(pn, base=2), f"{h}, the average of the ideal lengths -log2 {px if name else 'p(x)'}, a bound "
                              f"no symbol-by-symbol code beats. Huffman codewords have whole bits: average "
                              f"the Huffman lengths, weighted by {px}."),
        (float(np.sum(pn[support] * np.ceil(-np.log2(pn[support])))),
         f"the Shannon code, lengths ceil(-log2 {px if name else 'p(x)'}). Huffman's merging gives shorter "
         "codes: use kt.huffman_lengths (klteach.huffman_lengths)."),
        (float(np.mean(lengths)), f"the plain mean of the codeword lengths. Weight each length by "
                                  f"how often its symbol occurs, {px}."),
    ]
    n = len(pn)
    if n > 1:
        mistakes.append((expected / n, f"the mean of the {n} terms {px if name else 'p(x)'} * length(x) (np.mean), "
                                       f"not their sum: the probabilities already weight the lengths, so sum the "
                                       f"terms (np.sum), or multiply the unrounded mean by {n}.",
                         ("scale", f"the mean of the {n} terms", f"multiplied by {n}")))
    for scale in (10, 100):     # lengths weighted by counts or percentages where probabilities belong
        mistakes.append((scale * expected, f"the average Huffman length times {scale}: the lengths weighted by counts or "
                                           f"percentages ({scale} x {px}) instead of the probabilities. Divide "
                                           f"the counts by their total first."))
    # the entropy in another unit (exercise 1's answer in nats, say): a number from the previous exercise
    for other, unit in ((None, "nats (computed with np.log)"), (10, "base-10 units (computed with np.log10)")):
        mistakes.append((entropy(pn, base=other), f"{h} in {unit}, not the Huffman average: "
                                                  f"average the Huffman codeword lengths, weighted by {px}."))
    # the code's redundancy L - H (how far Huffman is above the entropy), and L converted to nats (x ln 2)
    redundancy = expected - entropy(pn, base=2)
    if redundancy > 1e-3 * expected:
        mistakes.append((redundancy, f"the redundancy L - {h}, how far the Huffman average L lies above the "
                                     f"entropy. The question asks for L itself: do not subtract {h}."))
    mistakes.append((expected * math.log(2), "the Huffman average converted to nats (times ln 2). Codeword "
                                             "lengths count bits, so their weighted average is already in bits "
                                             "per symbol: leave it unconverted."))
    k = int(support.sum())
    fixed = float(math.ceil(math.log2(k))) if k > 1 else 0.0
    if k > 1 and not _accepted(fixed, expected):
        mistakes.append((fixed, f"a fixed-length code, ceil(log2({k})) = {fixed:g} bits for each of the {k} "
                                f"symbols. Huffman gives frequent symbols shorter codewords: average the Huffman "
                                f"lengths, weighted by {px}."))
    # probabilities given as short decimals times whole lengths are short decimals: the weighted sum is exact,
    # with nothing to round on the way (an answer near it is no rounded intermediate)
    terms = pn[support] * lengths[support]
    short = all(significant_figures(float(t)) <= 6 for t in terms) and significant_figures(expected) <= 6
    # (the terms themselves are not listed: they sum to the answer)
    made = "a sum of probabilities times whole codeword lengths, each a short decimal"
    feedback = check_number(answer, expected, what="the average Huffman code length",
                        units="bits per symbol", mistakes=mistakes, sig=sig, rounding=made if short else True,
                        hint=f"Average the Huffman codeword lengths, weighted by {px}.",
                        combine="Weight each codeword length (kt.huffman_lengths gives them) by its symbol's probability"
                                + (f", {px}," if name else "") + " and sum the weighted lengths to one number.",
                        nan="Your answer is NaN (not a number). The Huffman average takes no logarithms: it "
                            "weights whole codeword lengths by probabilities and sums them, so look for a 0/0, "
                            "inf - inf or a mean of an empty array: print the terms and find it with "
                            "np.isnan(terms).")
    # an average below the entropy that is no named mistake, or the right value cut off (1.0 for 1.5), is
    # lengths no prefix code has (1, 2, 2, 2, say): the bound comes first. A named mistake of 3 or more figures
    # (1.03, the average in nats cut off) keeps its own message; one that fewer figures only may be (1.0 for
    # 1.04 in nats) is said after the bound, as notebook 00 promises.
    h_bits = entropy(pn, base=2)
    message = feedback.message
    answer = _scalar(answer)     # [1.3] and np.array(1.3) read as 1.3, as the check above reads them
    if (not feedback.correct and isinstance(answer, Real) and not isinstance(answer, bool)
            and 0 < answer < h_bits * (1 - 1e-3)          # (compared exactly: 10**400 is no float)
            and (message.startswith("Not yet") or message.startswith("Almost")
                 or (" too few to be sure " in message and float(answer).is_integer()))
            and not _right_at(float(answer), expected, significant_figures(answer))):
        value, shown = float(answer), _as_given(answer)       # an int as typed (1), a float as Python shows it
        # cutting 1.5 off after 1 figure gives 1, which Python shows as 1.0 when the code made a float (np.trunc)
        cut = (f" If you cut off a longer number to get {shown}, round it instead (do not truncate), "
               f"to {sig} significant figures, or give that number itself."
               if _truncated(value, expected, _digits(value)) else "")
        figures = significant_figures(answer)
        maybe = [(w, text.split(". ")[0].split(", ")[0]) for w, text, *_ in mistakes
                 if figures < sig and float(_round_sig(w, figures)) == value
                 and " in base-10 units" not in text]     # (1 or 2 figures never name a base-10 value)
        also = (f" At the {figures} significant figure{'s' if figures > 1 else ''} it has, {shown} could also be "
                + " or ".join(what for w, what in maybe) + " rounded"   # (not their values: exercise 1 asks for H)
                + (", known mistakes: the unrounded number your code computed will tell which it is" if len(maybe) > 1
                   else ", a known mistake: the unrounded number your code computed will tell")
                + "." if maybe else "")
        unit = "bit" if shown == "1" else "bits"     # (1.0 bits, as for any decimal)
        below = f"the entropy {h}" if name else "the entropy"      # (its value is exercise 1's answer)
        return Feedback(False, f"Not yet: {shown} {unit} per symbol is below {below}, "
                               f"and no prefix code averages less than the entropy. If you averaged codeword "
                               f"lengths, their Kraft sum, sum 2^-length, is above 1, so no prefix code has them: "
                               f"use the lengths kt.huffman_lengths gives.{cut}{also}")
    return feedback
