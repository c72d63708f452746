"""Notebook 07, KL in machine learning (notebooks/07_machine_learning.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from .._validation import log_base
from ..discrete import kl_divergence
from ..logits import kl_from_logits, per_token_kl, softmax
from .explorer import _explorer, _slider
from .feedback import _names, _round_sig, _show, check_number
from .nb01_definition import bar_pair
from .style import _ESTIMATOR_COLORS
from .units import _unit_mistakes, _unit_words

__all__ = ["estimate_spread", "policy_kl_estimates", "policy_logits", "show_policy_kl",
           "policy_kl_explorer", "check_distillation_loss", "check_torch_kl_div",
           "check_information_gain"]


_SPREAD_HATCHES = ("", "//", "..")


def estimate_spread(estimates, exact, *, ax=None, title=None, units="nats"):
    """Box plots of repeated estimates, one per estimator, with the exact value as a line.

    Used in: notebooks/07_machine_learning.ipynb (through policy_kl_estimates).

    Parameters
    ----------
    estimates : dict
        Estimator name -> 1-D array of estimates (one per repetition).
    exact : float
        The true divergence, drawn as a dotted horizontal line.

    Returns
    -------
    matplotlib.axes.Axes
        Boxes (distinguished by colour and hatching, and named on the x axis)
        span the middle half of the estimates, whiskers 1.5 times that; the
        diamond is the mean, so its distance from the line is the bias.
    """
    if ax is None:
        _, ax = plt.subplots()
    names = list(estimates)
    values = [np.asarray(estimates[name], float) for name in names]
    boxes = ax.boxplot(values, patch_artist=True, widths=0.5, showfliers=False)
    ax.set_xticks(range(1, len(names) + 1), names)
    for i, box in enumerate(boxes["boxes"]):
        box.set(facecolor=_ESTIMATOR_COLORS[i % len(_ESTIMATOR_COLORS)], alpha=0.6,
                hatch=_SPREAD_HATCHES[i % len(_SPREAD_HATCHES)])
    for median in boxes["medians"]:
        median.set(color="black")
    ax.plot(range(1, len(names) + 1), [v.mean() for v in values], "D", color="black", label="mean")
    ax.axhline(exact, color="black", ls=":", lw=1.2, label=f"exact = {exact:.4f} {units}")
    ax.set_ylabel(f"estimate of D(policy||reference) [{units}]")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def policy_kl_estimates(policy_probs, reference_probs, estimates, exact, *, n_tokens, title=None,
                        units="nats"):
    """Two panels: the policy's and the reference's token probabilities, and the spread of the KL estimates.

    Used in: notebooks/07_machine_learning.ipynb (section "3. KL penalties in reinforcement-learning
    fine-tuning of language models").

    Draws only; the notebook computes the estimates (see notebook 07, section 3).

    Parameters
    ----------
    policy_probs, reference_probs : array_like, shape (K,)
        The policy's and the reference's probabilities over a vocabulary of K tokens.
    estimates : dict
        Estimator name -> 1-D array of estimates, one per batch of sampled tokens.
    exact : float
        The exact D(policy||reference), drawn as a dotted line.
    n_tokens : int
        Tokens per batch (for the right panel's title).
    title : str, optional
        Title of the left panel.

    Returns
    -------
    (matplotlib.axes.Axes, matplotlib.axes.Axes)
        The left (probabilities) and right (estimates) axes.

    Examples
    --------
    >>> left, right = policy_kl_estimates([0.7, 0.3], [0.5, 0.5], {"k1": [0.1, 0.05], "k3": [0.08, 0.09]},
    ...                                   0.0823, n_tokens=10)
    >>> [t.get_text() for t in right.get_xticklabels()]
    ['k1', 'k3']
    >>> plt.close("all")
    """
    policy_probs = np.asarray(policy_probs, float)
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    bar_pair(policy_probs, reference_probs, names=("policy", "reference"), ax=left,
             labels=[str(i) for i in range(policy_probs.size)], title=title)
    left.set_xlabel("token id")
    n_repeats = len(next(iter(estimates.values())))
    estimate_spread(estimates, exact, ax=right, units=units,
                    title=f"Estimates from {n_tokens} sampled tokens, {n_repeats} repetitions")
    return left, right


def policy_logits(drift, *, vocab_size=12, seed=7):
    """Reference logits over a small vocabulary, and a policy moved ``drift`` units away from them.

    Used in: notebooks/07_machine_learning.ipynb (sections "3. KL penalties in
    reinforcement-learning fine-tuning of language models", "Value versus gradient: what each
    estimator pushes down").

    The reference logits are ``1.5 * z`` and the policy's ``1.5 * z + drift * u``
    for two fixed standard-normal vectors ``z`` and ``u`` (from ``seed``),
    so drift 0 is the reference itself.

    Returns
    -------
    policy, reference : ndarray, shape (vocab_size,)
    """
    rng = np.random.default_rng(seed)
    reference = 1.5 * rng.normal(size=vocab_size)
    direction = rng.normal(size=vocab_size)
    return reference + drift * direction, reference


def show_policy_kl(drift=1.0, *, n_tokens=64, n_repeats=400, seed=0):
    """The explorer's figure: exact per-token D(policy||reference) and the spread of its k1, k2, k3 estimates.

    Used in: notebooks/07_machine_learning.ipynb (through policy_kl_explorer).

    Repeats notebook 07's experiment (section 3) for any drift: ``n_repeats``
    batches of ``n_tokens`` tokens sampled from the policy (drawn as one
    ``(n_repeats, n_tokens)`` array from ``np.random.default_rng(seed)``, so
    the same seed gives the notebook's tokens), each batch averaged with
    :func:`klteach.per_token_kl`; prints the exact value, each estimator's
    mean and standard deviation across batches, and draws
    :func:`klteach.policy_kl_estimates`.

    Returns
    -------
    dict
        ``"exact"`` and, per estimator, the array of estimates.
    """
    policy, reference = policy_logits(drift)
    exact = kl_from_logits(policy, reference)
    probs = softmax(policy)
    tokens = np.random.default_rng(seed).choice(policy.size, size=(n_repeats, n_tokens), p=probs)
    estimates = {name: np.array([per_token_kl(policy, reference, batch, estimator=name).estimate
                                 for batch in tokens]) for name in ("k1", "k2", "k3")}
    below = probs[probs < softmax(reference)].sum()
    print(f"drift {drift:.2f}: exact D(policy||reference) = {exact:.4f} nats per token; "
          f"k1 < 0 at a sampled token with probability {below:.0%}")
    for name, values in estimates.items():
        print(f"  {name}: mean {values.mean():.4f}, sd {values.std(ddof=1):.4f} nats "
              f"({n_repeats} batches of {n_tokens} tokens)")
    policy_kl_estimates(probs, softmax(reference), estimates, exact, n_tokens=n_tokens,
                        title=f"Token probabilities, drift {drift:.2f}")
    plt.show()
    return {"exact": exact, **estimates}


def policy_kl_explorer(drift=1.0):
    """A slider moves the policy away from the reference: which estimator of the KL penalty stays reliable?

    Used in: notebooks/07_machine_learning.ipynb (section "Explore: move the policy away from the
    reference").

    Near the reference k2 and k3 spread far less than k1 (k2 with a small
    bias); far from it k2's bias grows and k3's spread overtakes k1's.

    Returns
    -------
    ipywidgets.VBox
    """
    slider = _slider(drift, 0.0, 3.0, 0.1, "policy drift")
    return _explorer(lambda d: show_policy_kl(d), {"d": slider}, [[slider]])


def check_distillation_loss(answer, teacher_logits, student_logits, *, temperature, sig=3):
    """Check a distillation loss T² · D(teacher_T || student_T), in nats, averaged over the batch.

    Used in: notebooks/07_machine_learning.ipynb (section "Exercises").

    Recognised mistakes: the T² factor left out, T instead of T², the
    temperature left out of the softmax, teacher and student swapped, bits
    instead of nats, a sum over the batch instead of a mean (with or
    without T²), a mean over every element (rows x classes), T² times the
    cross-entropy, the KL divided by T² instead of multiplied, the softmax
    taken over axis 0 (across the batch), and minus the loss (the log ratio
    upside down).

    Examples
    --------
    >>> check_distillation_loss(0.0155, [3.0, 1.0, 0.2], [2.0, 1.5, 0.5], temperature=4.0)
    Not quite: 0.0155 matches D(teacher_T||student_T) without the factor T² = 16. Hinton's convention multiplies the softened KL by T² so its gradients keep their size as T changes: multiply the unrounded KL your code computed by T².
    """
    from ..logits import distillation_loss, kl_from_logits, log_softmax, softmax

    t = float(temperature)
    teacher, student = np.asarray(teacher_logits, float), np.asarray(student_logits, float)
    expected = distillation_loss(teacher, student, temperature=t)
    kl_mean = expected / t**2
    n = 1 if teacher.ndim == 1 else teacher.shape[0]
    k = teacher.shape[-1]
    mistakes = [
        (kl_mean, f"D(teacher_T||student_T) without the factor T² = {t**2:g}. Hinton's convention "
                  f"multiplies the softened KL by T² so its gradients keep their size as T changes: multiply "
                  f"the unrounded KL your code computed by T².",
         ("scale", "the mean KL without the factor T²", f"multiplied by T² = {t**2:g}")),
        (t * kl_mean, f"T x the KL; the factor is T² = {t**2:g}: multiply the unrounded KL by T², not T.",
         ("scale", "T x the mean KL", f"multiplied by T = {t:g} once more")),
        (t**2 * float(np.mean(kl_from_logits(teacher, student))),
         "the KL without the temperature: divide both teacher and student logits by T before the softmax."),
        (float(np.mean(kl_from_logits(teacher, student))),
         f"the plain KL of the logits, T = 1: soften both with T = {t:g} (divide the logits by T before the "
         f"softmax), then multiply the KL by T² = {t**2:g}."),
        (distillation_loss(student, teacher, temperature=t),
         "T² D(student||teacher): the arguments are swapped. The teacher's softened distribution is "
         "the reference, so it comes first (in PyTorch it is the target, the second argument of kl_div)."),
    ]
    mistakes += _unit_mistakes(lambda b: expected / log_base(b), "the loss", None)
    if n > 1:
        mistakes += [
            (expected * n, f"T² x the sum over the batch; average over the {n} examples instead (divide the "
                           f"unrounded sum by {n}).", ("scale", "T² x the sum over the batch", f"divided by {n}")),
            (kl_mean * n, f"the sum of the KLs over the batch, without T²: average over the {n} examples "
                          f"and multiply by T² = {t**2:g} (both on the unrounded sum).",
             ("scale", "the sum of the KLs over the batch", f"divided by {n} and multiplied by T²")),
        ]
    if k > 1:
        mistakes.append((expected / k, f"T² x the mean over all {n * k} elements (rows x classes, like "
                                       f"reduction='mean'): sum over the {k} classes of each example first, then "
                                       f"average over the {n} examples: multiply the unrounded number by {k}.",
                        ("scale", f"T² x the mean over all {n * k} elements", f"multiplied by {k}")))
    def apart(w):     # a mistake within 1% of the answer would be nearly right by coincidence
        return math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected)

    if t != 1 and apart(kl_mean / t**2):
        mistakes.append((kl_mean / t**2, f"D(teacher_T||student_T) divided by T² = {t**2:g} instead of "
                                         f"multiplied by it: multiply the unrounded KL by T², or the unrounded "
                                         f"number your code computed by T⁴ = {t**4:g}.",
                         ("scale", "the mean KL divided by T²", f"multiplied by T⁴ = {t**4:g}")))
    if n > 1 and k > 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            col_t = np.exp(teacher / t) / np.exp(teacher / t).sum(axis=0, keepdims=True)
            col_s = np.exp(student / t) / np.exp(student / t).sum(axis=0, keepdims=True)
            by_column = t**2 * float(np.mean(np.sum(col_t * np.log(col_t / col_s), axis=-1)))
        if apart(by_column):
            mistakes.append((by_column, "the loss with the softmax taken over axis 0 (down each column, across "
                                        "the examples): each example's row of logits / T is one distribution, "
                                        "so take the softmax over each row (axis=-1), then the KL of each row, "
                                        "their mean, times T²."))
    p_t = softmax(teacher, temperature=t)
    entropy_t2 = t**2 * float(np.mean(-np.sum(p_t * log_softmax(teacher, temperature=t), axis=-1)))
    if entropy_t2 >= 0.01 * expected:       # closer, it would be nearly right by coincidence
        mistakes.append((expected + entropy_t2,
                         "T² x the cross-entropy H(teacher_T, student_T) = -sum teacher_T log student_T: it also "
                         "counts the teacher's entropy H(teacher_T). Use log(teacher_T / student_T) in the sum, "
                         "or subtract T² x the mean of H(teacher_T) from the unrounded number your code computed.",
                         ("shift", "T² x the cross-entropy", "reduced by T² x the teacher's entropy")))
    if expected > 0:
        mistakes.append((-expected, "minus the distillation loss: the log ratio upside down, "
                                    "log(student_T / teacher_T). D(teacher_T||student_T) weights "
                                    "log(teacher_T / student_T) by teacher_T: flip the sign of the whole number."))
    return check_number(answer, expected, what="the distillation loss", units="nats", mistakes=mistakes,
                        sig=sig, hint="Softmax of teacher_logits / T and student_logits / T (over each row, "
                                      "axis=-1), D(teacher_T||student_T) for each row, their mean over the "
                                      "batch, times T².",
                        negative="A KL divergence is never negative, so neither is T² times it, and your number is "
                                 "not minus the loss either: check each step, the softmax of each row of "
                                 "logits / T (each row sums to 1), then sum teacher_T log(teacher_T / student_T) "
                                 "over the classes, average over the batch, times T².",
                        combine="Sum over classes for each example, then average over the batch (np.mean).")


_REDUCTION_WORDS = {"sum": "adds every element of the pointwise loss",
                    "mean": "divides the sum by the number of elements (rows x classes)",
                    "batchmean": "divides the sum by the number of rows"}


def check_torch_kl_div(answer, input, target, *, reduction="batchmean", names=("input", "target"), sig=3):
    """Check the value of PyTorch's ``F.kl_div(input, target, reduction=...)`` (``log_target=False``).

    Used in: notebooks/07_machine_learning.ipynb (section "Exercises").

    ``input`` holds log-probabilities log Q and ``target`` probabilities P,
    one distribution per row; the pointwise loss is ``target * (log target - input)``
    (0 where the target is 0). As in PyTorch, ``'batchmean'`` divides the sum
    by ``input.shape[0]``. Recognised mistakes: the other reductions
    (``'mean'`` divides by every element, not the batch size), the arguments
    read the other way round (D(Q||P)), probabilities Q passed where
    ``input`` must be log Q, the cross-entropy terms ``-target * input``
    alone, the value in bits or base-10 units, and minus the value (the
    pointwise terms the wrong way round). ``names`` are the exercise's names for
    ``input`` and ``target`` (e.g. ``("log_q", "p")``); the messages speak
    in them.

    Examples
    --------
    >>> check_torch_kl_div(0.1, np.log([[0.5, 0.5]]), [[0.9, 0.1]], reduction="batchmean")
    Not yet: 0.1 is not F.kl_div(input, target, reduction='batchmean'). Check the pointwise terms (target, the reference, weights each; input is already a log) and the reduction: 'batchmean' divides its sum by the number of rows.
    """
    if (isinstance(names, str) or len(names) != 2 or not all(isinstance(v, str) and v for v in names)):
        raise ValueError(f"names must be two non-empty strings, the exercise's names for input and target "
                         f"(e.g. ('log_q', 'p')); got {names!r}.")
    i_, t_ = names
    qn, pn = ("Q", "P") if tuple(names) == ("input", "target") else (f"exp({i_})", t_)
    logq, p = np.asarray(input, float), np.asarray(target, float)
    if logq.shape != p.shape or logq.ndim == 0:
        raise ValueError(f"input and target must be arrays of the same shape, got {logq.shape} and {p.shape}.")
    if reduction not in ("sum", "mean", "batchmean"):
        raise ValueError(f"reduction must be 'sum', 'mean' or 'batchmean', got {reduction!r}.")
    rows = p.shape[0]

    def reduce(pointwise, how=reduction):
        return {"sum": float(np.sum(pointwise)), "mean": float(np.mean(pointwise)),
                "batchmean": float(np.sum(pointwise)) / rows}[how]

    def loss(log_model, reference):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(reference > 0, reference * (np.log(np.where(reference > 0, reference, 1.0))
                                                        - log_model), 0.0)

    pointwise = loss(logq, p)
    expected = reduce(pointwise)
    def explain(other):
        default = " (PyTorch's default)" if reduction == "mean" else ""
        return (f"reduction='{other}', which {_REDUCTION_WORDS[other]}. The question asks for "
                f"reduction='{reduction}'{default}, which {_REDUCTION_WORDS[reduction]}.")

    factor = {"sum": 1.0, "mean": float(p.size), "batchmean": float(rows)}
    mistakes = [(reduce(pointwise, other), explain(other),
                 ("scale", f"the loss with reduction='{other}'",
                  f"multiplied by {factor[other] / factor[reduction]:g}"
                  if factor[other] > factor[reduction] else f"divided by {factor[reduction] / factor[other]:g}"))
                for other in ("sum", "mean", "batchmean") if other != reduction]
    with np.errstate(divide="ignore"):
        mistakes.append((reduce(loss(np.log(p), np.exp(logq))),
                         f"kl_div with the arguments swapped: the pointwise terms of D({qn}||{pn}), "
                         f"reduced as '{reduction}'. kl_div(input, target) computes the terms of "
                         f"D(target||exp(input)), here D({pn}||{qn}): the model's log-probabilities "
                         f"({i_}) go first, the reference ({t_}) second."))
    mistakes.append((reduce(loss(np.exp(logq), p)),
                     f"the loss with probabilities exp({i_}) where kl_div expects log-probabilities: its "
                     f"input must be {i_} itself (log-probabilities, e.g. from log_softmax)."))
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = reduce(np.where(p > 0, -p * logq, 0.0))
    if math.isfinite(cross) and abs(cross - expected) >= 0.01 * abs(expected):   # closer: right by coincidence
        mistakes.append((cross, f"the cross-entropy terms -{t_} * {i_}, reduced as '{reduction}': kl_div's "
                                f"pointwise loss is {t_} * (log({t_}) - {i_}), which also has the terms "
                                f"{t_} * log({t_}). Add those, reduced the same way, to the unrounded number your "
                                f"code computed, or reduce the full pointwise loss.",
                         ("shift", f"the cross-entropy terms -{t_} * {i_}",
                          f"with the terms {t_} * log({t_}) added")))
    what = f"F.kl_div({i_}, {t_}, reduction='{reduction}')"
    for other in (2, 10):
        mistakes.append((expected / math.log(other),
                         f"{what} in {_unit_words(other)} (the value in nats divided by ln {other}, or logs taken "
                         f"with np.log{other}). kl_div works in nats, with natural logs like those in {i_}: "
                         f"multiply the unrounded number your code computed by `np.log({other})`.",
                         ("scale", f"the loss in {_unit_words(other)}", "converted to nats")))
    if expected > 0:
        mistakes.append((-expected, f"minus the loss: the pointwise terms the wrong way round, "
                                    f"{t_} * ({i_} - log({t_})). log({t_}) comes first: {t_} * (log({t_}) - {i_})."))
    elements, classes = p.size, (p.shape[-1] if p.ndim > 1 else p.size)
    routes = []
    if p.ndim == 2 and reduction == "mean":
        routes.append((lambda arr: float(np.sum(arr)) / elements if arr.shape == (rows,) else None,
                       f"These look like the {rows} row sums (the KL of each example). 'mean' averages the "
                       f"{elements} pointwise terms, not the {rows} row sums: take np.mean of the {rows} x "
                       f"{classes} array of pointwise terms."))
    return check_number(answer, expected, what=what, mistakes=mistakes, sig=sig, array_routes=routes,
                        negative=f"Your number is not minus the loss either, so flipping its sign will not fix it: "
                                 f"check the order inside each pointwise term and the reduction ('{reduction}').",
                        hint=f"Check the pointwise terms ({t_}, the reference, weights each; {i_} is already a "
                             f"log) and the reduction: '{reduction}' "
                             + {"batchmean": "divides its sum by the number of rows.",
                                "mean": "averages it over every element.",
                                "sum": "adds it up."}[reduction],
                        combine=f"Reduce the pointwise loss as '{reduction}' does: "
                                + {"batchmean": "its sum divided by the number of rows.",
                                   "mean": "the mean of all rows x classes pointwise terms (np.mean "
                                           "of the 2-D array, not of the row sums).",
                                   "sum": "its sum (np.sum)."}[reduction])


def check_information_gain(answer, successes, failures, *, prior=(1.0, 1.0), base=2,
                           names=("heads", "tails"), sig=3):
    """Check the information gained, D(posterior || prior), for a Beta prior and coin-flip data.

    Used in: notebooks/07_machine_learning.ipynb (section "Exercises").

    ``names`` are the exercise's names for the counts of successes and
    failures; the messages speak in them. Recognised mistakes: nats for
    bits (and vice versa), the reverse direction D(prior || posterior), a
    posterior that forgot the prior's counts (Beta(heads, tails) instead of
    Beta(a + heads, b + tails)), the KL between the Bernoulli
    distributions at the prior and posterior means, the closed form's
    first term ln(B(a2, b2) / B(a1, b1)) written with B for ln B or the
    wrong way round, and minus the gain.

    Examples
    --------
    >>> check_information_gain(0.6366, 7, 3)
    Not quite: 0.6366 matches the gain in nats, what the closed form (betaln, digamma) gives. The question asks for bits: divide the unrounded number your code computed by `np.log(2)`.
    """
    from scipy.special import beta as beta_fn
    from scipy.special import betaln

    from ..bayes import beta_bernoulli_information_gain, beta_kl

    a, b = (float(v) for v in prior)
    s, f = float(successes), float(failures)
    hs, ts = _names(names)
    expected = beta_bernoulli_information_gain(s, f, prior=prior, base=base)
    # the closed form's betaln and digamma are natural logs: a gain in other units comes from converting
    # the nats it gives, and the advice is that conversion (no np.log2 can be used "throughout")
    mistakes = _unit_mistakes(lambda bb: beta_bernoulli_information_gain(s, f, prior=prior, base=bb),
                              "the gain", base, throughout=False,
                              how=lambda other: ("nats, what the closed form (betaln, digamma) gives"
                                                 if other is None else
                                                 f"{_unit_words(other)} (nats divided by np.log({other:g}))"))
    mistakes.append((beta_kl(a, b, a + s, b + f, base=base),
                     "D(prior||posterior), the reverse direction. The information gained is "
                     "D(posterior||prior): the posterior comes first."))
    if s > 0 and f > 0:
        mistakes.append((beta_kl(s, f, a, b, base=base),
                         f"D(Beta({hs}, {ts})||prior): the posterior adds the data to the prior's "
                         f"parameters, Beta({a:g} + {hs}, {b:g} + {ts})."))
    mean_post, mean_prior = (a + s) / (a + b + s + f), a / (a + b)
    mistakes.append((kl_divergence([mean_post, 1 - mean_post], [mean_prior, 1 - mean_prior], base=base),
                     "the KL between two coins with the posterior and prior mean probabilities; the "
                     "question compares the Beta distributions over the coin's bias."))
    # the closed form's first term, ln(B(a2, b2) / B(a1, b1)), written wrongly; the digamma terms as they are
    a1, b1 = a + s, b + f
    rest = expected * log_base(base) - (betaln(a, b) - betaln(a1, b1))
    first = (f"ln(B(a2, b2) / B(a1, b1)) = betaln(a2, b2) - betaln(a1, b1)"
             f" (posterior a1, b1 = {a:g} + {hs}, {b:g} + {ts}; prior a2, b2 = {a:g}, {b:g})")
    for wrong, why in ((beta_fn(a, b) - beta_fn(a1, b1),
                        f"the closed form with B itself where its first term has the log of B: that term is "
                        f"{first}; scipy.special.beta gives B, betaln gives ln B."),
                       (betaln(a1, b1) - betaln(a, b),
                        f"the closed form with its first term the wrong way round: it is {first}, the "
                        f"prior's B on top.")):
        w = (wrong + rest) / log_base(base)
        if math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected):     # closer: right by coincidence
            mistakes.append((w, why))
    # the four terms of the closed form are large and nearly cancel: rounded on the way (a digamma or a
    # term to 2-4 figures), they move the answer's 3rd figure, with the right formula
    from itertools import product

    from scipy.special import digamma
    coefficients = (a1 - a, b1 - b, (a + b) - (a1 + b1))
    psis = (digamma(a1), digamma(b1), digamma(a1 + b1))
    first_term = betaln(a, b) - betaln(a1, b1)
    terms = [first_term] + [c * d for c, d in zip(coefficients, psis)]
    options = [[first_term] + [float(_round_sig(first_term, k)) for k in (2, 3, 4)]]
    for c, d in zip(coefficients, psis):
        options.append([c * d] + [c * float(_round_sig(d, k)) for k in (2, 3, 4)]
                       + [float(_round_sig(c * d, k)) if c * d else 0.0 for k in (2, 3, 4)])
    partway_values = [sum(combo) / log_base(base) for combo in product(*options)]
    partway_values = [v for v in partway_values if abs(v - expected) > 1e-9 * abs(expected)]
    cancel = (f"The four terms of the closed form, {', '.join(_show(t, 3) for t in terms[:-1])} and "
              f"{_show(terms[-1], 3)} nats, nearly cancel, so a digamma or a "
              f"term rounded to 3 figures can move the answer's 3rd figure: carry every digit.")
    if expected > 0:
        mistakes.append((-expected, "minus D(posterior||prior): the whole expression with its sign flipped, "
                                    "as from a subtraction the wrong way round around all of it. The gain is "
                                    "never negative: flip the sign of the whole number."))
    return check_number(answer, expected, what="D(posterior||prior)", units=_unit_words(base),
                        mistakes=mistakes, sig=sig,
                        negative="A KL divergence is never negative, and your number is not minus "
                                 "D(posterior||prior) either: check each of the four terms of the closed "
                                 "form against the formula, with the posterior as (a1, b1) and the prior as "
                                 "(a2, b2), and betaln (ln B) in the first.",
                        hint=f"Posterior Beta({a:g} + {hs}, {b:g} + {ts}) first, prior Beta({a:g}, {b:g}) second, "
                             f"in the closed form for two Beta distributions"
                             + ("; it gives nats, so divide by np.log(2) for bits. " if base == 2 else ". ")
                             + cancel,
                        partway=(partway_values, cancel),
                        nan=f"Your answer is NaN (not a number). The closed form takes betaln and digamma of the "
                            f"Beta parameters, all positive here (posterior {a1:g}, {b1:g}; prior {a:g}, {b:g}), so "
                            f"a NaN comes from a parameter that is 0 or negative, or from inf - inf (B itself "
                            f"overflowing, say): print a1, b1, a2, b2 and the four terms, and find it with "
                            f"np.isnan.",
                        combine=f"Give one number, D(posterior||prior) in {_unit_words(base)}: the four terms of "
                                f"the closed form summed"
                                + (", then divided by np.log(2)." if base == 2 else "."))
