"""Notebook 08, Where KL comes from (notebooks/08_where_kl_comes_from.ipynb):
its figures, explorers and exercise checks.

Imported by the notebook through :mod:`klteach.plots`, :mod:`klteach.widgets` and
:mod:`klteach.exercises`, which re-export everything public here.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from .._validation import DistributionError, as_nonnegative, log_base
from ..discrete import entropy, kl_divergence
from .explorer import _explorer, _slider
from .feedback import (
    _names,
    _probabilities,
    _show,
    check_number,
)
from .style import P_COLOR, Q_COLOR
from .units import _LOG_FN, _computed_with, _unit_mistakes, _unit_words

__all__ = ["renyi_orders", "show_renyi", "renyi_explorer", "check_mutual_information",
           "check_channel_kl", "check_renyi"]


#: Markers of the special orders on a Rényi curve: alpha -> (marker, label).
_RENYI_MARKS = {0.5: ("s", "α = 1/2: −2 log(1 − Hel²)"), 1.0: ("o", "α = 1: KL"),
                2.0: ("^", "α = 2: log(1 + χ²)")}


def renyi_orders(alphas, values, *, special=None, limit=None, current=None, infinite_from=None, units="nats",
                 ax=None, title=None):
    """Draw a Rényi divergence against its order alpha, with the special orders marked.

    Used in: notebooks/08_where_kl_comes_from.ipynb (through show_renyi).

    Draws only; the caller computes the divergences (e.g. with
    :func:`klteach.renyi_divergence`).

    Parameters
    ----------
    alphas, values : array_like
        Orders and D_alpha(P||Q) at those orders (the solid blue curve).
    special : dict, optional
        ``{alpha: value}`` for the orders 1/2, 1 and 2, each drawn with its own
        marker and named in the legend.
    limit : float, optional
        D_inf = log max p/q, drawn as a dotted horizontal line.
    current : (float, float), optional
        ``(alpha, value)`` of an order to highlight (the explorer's slider): a black diamond.
    infinite_from : float, optional
        The order from which D_alpha is infinite (1 when ``q = 0 < p``
        somewhere): a dashed vertical line there, a hatched band beyond it,
        and the vertical axis cut at a finite height (the curve rises
        without bound as alpha approaches it). Infinite special orders and
        an infinite highlighted order get no marker and no legend entry.
    units : str
        Units of the vertical axis.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = renyi_orders([0, 1, 2], [0.0, 0.1, 0.15], special={1.0: 0.1}, limit=0.36)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['$D_\\\\alpha(P\\\\|Q)$', 'α = 1: KL', '$D_\\\\infty$ = log max p/q = 0.3600']
    >>> plt.close("all")
    """
    if ax is None:
        _, ax = plt.subplots()
    alphas, values = np.asarray(alphas, dtype=float), np.asarray(values, dtype=float)
    ax.plot(alphas, values, "-", color=P_COLOR, label=r"$D_\alpha(P\|Q)$")
    for alpha, value in sorted((special or {}).items()):
        if not np.isfinite(value):
            continue                        # infinite: nothing to draw, and no legend entry for it
        marker, label = _RENYI_MARKS.get(float(alpha), ("D", f"α = {alpha:g}"))
        # open markers drawn over the highlighted order: at alpha = 1/2, 1 or 2 the diamond shows inside them
        ax.plot([alpha], [value], marker, ms=11, color=Q_COLOR, mfc="none", mew=2, ls="none", label=label,
                zorder=4)
    if limit is not None and np.isfinite(limit):
        ax.axhline(limit, color="black", ls=":", lw=1.2, label=rf"$D_\infty$ = log max p/q = {limit:.4f}")
    if infinite_from is not None:
        ax.axvline(infinite_from, color="black", ls="--", lw=1.2,
                   label=f"α ≥ {infinite_from:g}: $D_\\alpha = \\infty$")
    if current is not None and np.isfinite(current[1]):
        ax.plot([current[0]], [current[1]], "D", ms=6, color="black", ls="none", zorder=3,
                label=f"α = {current[0]:g}: {current[1]:.4f} {units}")
    ax.set_xlabel("order α (no unit)")
    ax.set_ylabel(rf"Rényi divergence $D_\alpha(P\|Q)$ [{units}]")
    ax.set_ylim(bottom=0)
    if len(alphas):
        ax.set_xlim(min(0.0, float(alphas.min())), float(alphas.max()))   # the whole range, even where D is infinite
    if infinite_from is not None:
        below = values[np.isfinite(values) & (alphas <= 0.9 * infinite_from)]
        top = 1.5 * float(below.max()) if below.size and below.max() > 0 else 1.0
        ax.set_ylim(0, top)
        ax.axvspan(infinite_from, ax.get_xlim()[1], facecolor="none", edgecolor="0.6", hatch="//", lw=0)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def show_renyi(p, q, alpha=0.5, *, names=("P", "Q"), max_alpha=10.0):
    """Print D_alpha(P||Q) at ``alpha`` and at the special orders; plot D_alpha against alpha.

    Used in: notebooks/08_where_kl_comes_from.ipynb (section "Rényi divergences: a dial through
    KL").

    The special orders: 0 (-log Q(supp P), 0 only when Q has no mass
    outside P's support), 1/2 (-2 log(1 - Hel^2), Hel the Hellinger
    distance), 1 (KL), 2 (log(1 + chi^2)) and infinity (log max p/q), each
    computed by :func:`klteach.renyi_divergence`, in nats. The plot's title
    starts from the computed D_0; when ``q = 0 < p`` somewhere, D_alpha is
    infinite from alpha = 1 on: the title says so, the plot marks that
    range, and the orders just below 1, where the curve rises without
    bound, are drawn on a finer grid.

    Parameters
    ----------
    p, q : array_like
        Two distributions over the same outcomes.
    alpha : float
        The order to highlight, ``0 <= alpha <= max_alpha``.
    names : (str, str)
        Names of P and Q for the printout and the title.
    max_alpha : float
        Right end of the curve.

    Returns
    -------
    float
        D_alpha(P||Q) in nats.
    """
    from ..fdivergences import renyi_divergence

    a, b = names
    kl = renyi_divergence(p, q, 1.0)
    # D_alpha is infinite from alpha = 1 on when q = 0 < p somewhere (everywhere when the supports are
    # disjoint); below 1 it rises without bound as alpha -> 1, so the grid gets dense there
    infinite_from = None if np.isfinite(kl) else (0.0 if np.isinf(renyi_divergence(p, q, 0.5)) else 1.0)
    near_one = 1.0 - np.logspace(-3, -0.5, 60)
    alphas = np.unique(np.concatenate([np.linspace(0, max_alpha, 201), near_one[near_one <= max_alpha]]))
    values = [renyi_divergence(p, q, x) for x in alphas]
    special = {x: renyi_divergence(p, q, x) for x in (0.5, 1.0, 2.0)}
    limit = renyi_divergence(p, q, np.inf)
    value = renyi_divergence(p, q, alpha)
    at_zero = renyi_divergence(p, q, 0)      # -log Q(supp P): 0 only when Q has no mass outside P's support
    print(f"D_alpha({a}||{b}) at alpha = {alpha:g}: {value:.4f} nats")
    print(f"  alpha = 0: {at_zero:.4f}, 1/2: {special[0.5]:.4f}, 1 (KL): {special[1.0]:.4f}, "
          f"2: {special[2.0]:.4f}, inf: {limit:.4f} nats")
    start = "0" if at_zero == 0 else f"{at_zero:.4f} nats"
    if infinite_from == 0.0:
        title = rf"$D_\alpha$({a}‖{b}) is infinite at every order: no outcome has p > 0 and q > 0"
    elif infinite_from == 1.0:
        title = (rf"$D_\alpha$({a}‖{b}) rises from {start} at α = 0;" "\n"
                 f"infinite from α = 1 on, since {b} = 0 < {a} somewhere")
    else:
        title = rf"$D_\alpha$({a}‖{b}) rises from {start} at α = 0 towards $D_\infty$"
    renyi_orders(alphas, values, special=special, limit=limit, current=(alpha, value),
                       infinite_from=infinite_from, title=title)
    plt.show()
    return value


def renyi_explorer(p, q, alpha=0.5, *, names=("P", "Q")):
    """Slider for the order alpha: where between the special orders does D_alpha(P||Q) sit?

    Used in: notebooks/08_where_kl_comes_from.ipynb (section "Rényi divergences: a dial through
    KL").

    Returns
    -------
    ipywidgets.VBox
    """
    a_slider = _slider(alpha, 0, 10, 0.05, "order α")

    def draw(alpha):
        show_renyi(p, q, alpha, names=names)   # the returned value would be displayed too

    return _explorer(draw, {"alpha": a_slider}, [[a_slider]])


def _joint_table(joint, name):
    """A 2-D joint distribution from probabilities or counts, normalised; errors name ``name``."""
    arr = np.asarray(joint, dtype=float)
    if arr.ndim != 2:
        raise DistributionError(f"{name} must be a 2-D table (rows x, columns y), got shape {arr.shape}.")
    flat, total = as_nonnegative(arr.ravel(), name)
    return (flat / total).reshape(arr.shape)


def _add_apart(mistakes, expected, extra):
    """Append the (value, why[, step]) entries of ``extra`` that lie 1% or more from ``expected`` and from
    every mistake already listed (a route that nearly coincides with another is already named by it)."""
    for m in extra:
        w = m[0]
        if (w is not None and math.isfinite(w) and abs(w - expected) >= 0.01 * abs(expected)
                and all(abs(w - k[0]) > 0.01 * abs(k[0]) for k in mistakes if k[0] is not None)):
            mistakes.append(m)
    return mistakes


def check_mutual_information(answer, joint, *, base=2, name="joint", variables=("X", "Y"), sig=3):
    """Check an answer for the mutual information I(X;Y) of a joint table, D(P_XY || P_X P_Y).

    Used in: notebooks/08_where_kl_comes_from.ipynb (section "Exercises").

    ``name`` is the exercise's name for the table and ``variables`` the names
    of its row and column variables; the messages speak in them. Recognised
    mistakes: other units, the reverse direction D(P_X P_Y || P_XY),
    H(X) + H(Y) without subtracting H(X,Y), the joint entropy H(X,Y), the
    conditional entropies H(Y|X) and H(X|Y), and the entropy of either variable,
    the unweighted sum of the log ratios, the ratio upside down (-I), the
    two forms mixed (H(Y) - H(X|Y), H(X) - H(Y|X)), I as a percentage and
    the mean over the cells instead of the sum (each when 1% or more from
    the answer and from the others). H(X) + H(Y) - H(X,Y) from entropies
    rounded first is told so (a rounding route, not a wrong formula).

    Examples
    --------
    >>> check_mutual_information(0.2781, [[0.4, 0.1], [0.1, 0.4]])
    Correct: I(X;Y) = 0.2781 bits.
    """
    from ..information import mutual_information

    x, y = _names(variables, ("X", "Y"))
    j = _joint_table(joint, name)
    px, py = j.sum(axis=1), j.sum(axis=0)
    h = lambda v: entropy(v / v.sum(), base=base)   # noqa: E731
    hx, hy, hxy = h(px), h(py), h(j.ravel())
    mistakes = _unit_mistakes(lambda bb: mutual_information(j, base=bb), f"I({x};{y})", base)
    product = np.outer(px, py).ravel()
    mistakes += [
        (kl_divergence(product, j.ravel(), base=base),
         f"D(P_{x} P_{y} || P_{x}{y}), the reverse direction. Mutual information puts the joint table "
         f"first, as the reference that weights the log ratios, and the outer product of the marginals "
         f"second."),
        (hx + hy, f"H({x}) + H({y}), without subtracting the joint entropy H({x},{y}): "
                  f"I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
        (hxy, f"the joint entropy H({x},{y}); I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
        (hxy - hx, f"H({y}|{x}) = H({x},{y}) - H({x}), the uncertainty left about {y} once {x} is known; "
                   f"the information is what is removed: H({y}) - H({y}|{x})."),
        (hxy - hy, f"H({x}|{y}) = H({x},{y}) - H({y}), the uncertainty left about {x} once {y} is known; "
                   f"the information is what is removed: H({x}) - H({x}|{y})."),
        (hx, f"the entropy H({x}) of the row variable alone; I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
        (hy, f"the entropy H({y}) of the column variable alone; I({x};{y}) = H({x}) + H({y}) - H({x},{y})."),
    ]
    expected = mutual_information(j, base=base)
    cells = j.ravel() > 0
    unweighted = (float(np.sum(np.log(j.ravel()[cells]) - np.log(product[cells])) / log_base(base))
                  if np.all(product[cells] > 0) else None)
    _add_apart(mistakes, expected, [
        (unweighted, f"the unweighted sum of the log ratios of {name} to the product of the marginals: the "
                     f"order of the ratio is right; weight each log ratio by its cell's probability in {name}, "
                     f"then sum."),
        (None if unweighted is None else -unweighted,
         f"the unweighted sum of the log ratios of {name} to the product of the marginals, with its sign "
         f"flipped (the ratio upside down, or a stray minus): put {name} over the product of the marginals, "
         f"weight each log ratio by its cell's probability in {name}, then sum."),
        (-expected, f"-I({x};{y}): either the ratio is upside down (put {name} over the product of the "
                    f"marginals) or a subtraction of entropies is the "
                    f"wrong way round (I({x};{y}) = H({x}) + H({y}) - H({x},{y}))."),
        (hy - (hxy - hy), f"H({y}) - H({x}|{y}), two forms mixed: I({x};{y}) = H({y}) - H({y}|{x}) = "
                          f"H({x}) - H({x}|{y}), each entropy minus the conditional entropy of the same variable."),
        (hx - (hxy - hx), f"H({x}) - H({y}|{x}), two forms mixed: I({x};{y}) = H({x}) - H({x}|{y}) = "
                          f"H({y}) - H({y}|{x}), each entropy minus the conditional entropy of the same variable."),
        (100 * expected, f"I({x};{y}) x 100, as a percentage: mutual information is in {_unit_words(base)}, not "
                         f"a percentage.", ("scale", f"I({x};{y}) as a percentage", "divided by 100")),
        (expected / j.size, f"the mean over the {j.size} cells (np.mean) instead of the sum: I({x};{y}) sums "
                            f"the weighted terms over the cells.",
         ("scale", "the mean over the cells", f"multiplied by {j.size}")),
    ])
    return check_number(answer, expected, what=f"I({x};{y})", units=_unit_words(base),
                        mistakes=mistakes, sig=sig,
                        hint=f"Compute the marginals of {name} (sum over each axis), then D(P_{x}{y} || P_{x} P_{y}): "
                             f"the joint table first, the outer product of the marginals second"
                             f"{', with np.log2' if base == 2 else ''}; or use I({x};{y}) = H({x}) + H({y}) - "
                             f"H({x},{y}).",
                        negative="Mutual information is a KL divergence, so it is >= 0: check the order "
                                 "of the ratio (the joint table on top) and that each log ratio is weighted by "
                                 "its cell's probability.",
                        combine="Sum the terms over all cells of the table (both axes).",
                        parts={"numbers": [(f"H({x})", hx, 1), (f"H({y})", hy, 1), (f"H({x},{y})", hxy, -1)],
                               "formula": f"H({x}) + H({y}) - H({x},{y})", "words": "the entropies",
                               "kind": "difference",
                               "compute": f"the three entropies unrounded ({'np.log2' if base == 2 else 'np.log'} "
                                          f"inside each)"})


def check_channel_kl(answer, p_x, q_x, channel, *, base=2, names=("P_X", "Q_X"), channel_name="W", sig=3):
    """Check D(P_Y || Q_Y) for outputs Y of a channel ``channel[x, y] = P(Y = y | X = x)`` fed P_X or Q_X.

    Used in: notebooks/08_where_kl_comes_from.ipynb (section "Exercises").

    ``names`` are the exercise's names for the two input distributions and
    ``channel_name`` its name for the channel matrix. Recognised mistakes:
    D(P_X || Q_X) (the inputs' divergence, an upper bound by data
    processing, not the outputs'), its reverse, other units, the
    reverse direction D(Q_Y || P_Y), the conditional term
    D(P_X || Q_X) - D(P_Y || Q_Y), the unweighted sum of the log ratios
    and one output's term alone (both can be negative), the mean over the
    outputs instead of the sum, the answer as a percentage and the inputs'
    divergence in the other unit (bits and nats); an array of two
    numbers holding the answer is asked for that one number, an array
    equal to P_Y or Q_Y is told it is the output distribution, and the
    input-side terms are told their sum is D(P_X || Q_X).

    Examples
    --------
    >>> check_channel_kl(0.06592, [0.5, 0.5], [0.2, 0.8], [[0.8, 0.2], [0.3, 0.7]])
    Correct: D(P_Y||Q_Y) = 0.06592 bits.
    """
    a, b = _names(names)
    pa, qa = _probabilities(p_x, a), _probabilities(q_x, b)
    w = np.asarray(channel, dtype=float)
    if w.ndim != 2 or w.shape[0] != pa.size or not np.allclose(w.sum(axis=1), 1) or np.any(w < 0):
        raise DistributionError(f"{channel_name} must be a table with one row per input outcome ({pa.size}), "
                                f"each row a distribution over the outputs; got shape {w.shape}.")
    py, qy = pa @ w, qa @ w
    ya, yb = (a[:-1] + "Y", b[:-1] + "Y") if a.endswith("X") and b.endswith("X") else ("P_Y", "Q_Y")
    what = f"D({ya}||{yb})"
    mistakes = _unit_mistakes(lambda bb: kl_divergence(py, qy, base=bb), what, base)
    mistakes += [
        (kl_divergence(pa, qa, base=base),
         f"D({a}||{b}), the divergence of the inputs. The question asks about the outputs {ya} and {yb}, "
         f"the inputs pushed through the channel {channel_name}. By the data processing inequality "
         f"D({a}||{b}) is an upper bound on the answer."),
        (kl_divergence(qa, pa, base=base),
         f"D({b}||{a}), the inputs' divergence in the reverse direction. Push both inputs through the "
         f"channel {channel_name} first, then compare {ya} with {yb}, {ya} first."),
        (kl_divergence(qy, py, base=base),
         f"D({yb}||{ya}), the reverse direction; {ya} is the reference and comes first."),
        (kl_divergence(pa, qa, base=base) - kl_divergence(py, qy, base=base),
         f"D({a}||{b}) - {what}, the conditional term E D(P_X|Y||Q_X|Y) of step 2, what the channel lost. "
         f"The checked step asks for {what} itself, the divergence of the two output distributions."),
    ]
    expected = kl_divergence(py, qy, base=base)
    one = (f"One of your two numbers is {what}: give that one number as the answer (compare it with "
           f"D({a}||{b}) yourself).")
    per = log_base(base)
    log_fn = _LOG_FN.get(base, "np.log")
    terms_x = pa * (np.log(pa) - np.log(qa)) / per if np.all(qa[pa > 0] > 0) else None

    def equal_to(target):
        # an array that is ``target`` (to 3 figures): the reduction "is" the answer, so its advice is given
        def reduce(arr):
            if target is None or arr.shape != target.shape:
                return None
            return expected if np.allclose(arr, target, rtol=5e-3, atol=1e-12) else None
        return reduce

    outputs = py.size
    unit_words = ", in bits (np.log2)" if base == 2 else ""
    routes = [
        (equal_to(py), f"It is the output distribution {ya} = {a} @ {channel_name}, the first step. Next, push "
                       f"{b} through the channel the same way, then compare the two output distributions with "
                       f"the KL divergence, {ya} first{unit_words}."),
        (equal_to(qy), f"It is the output distribution {yb} = {b} @ {channel_name}, one of the two steps. Push "
                       f"{a} through the channel the same way, then compare the two output distributions with "
                       f"the KL divergence, {ya} first{unit_words}."),
    ]
    if terms_x is not None and pa.size != outputs:
        routes.append((equal_to(terms_x),
                       f"They are the input-side terms {a} * {log_fn}({a} / {b}), one per input outcome: their "
                       f"sum is D({a}||{b}), the upper bound, not the answer. Push both inputs through the "
                       f"channel first, then compare the two output distributions over the {outputs} outputs."))
    routes += [(lambda arr, i=i: float(arr.ravel()[i]) if arr.size == 2 else None, one) for i in (0, 1)]
    size = np.size(answer) if isinstance(answer, (list, tuple, np.ndarray)) else outputs
    combine = ("Sum the terms over the output outcomes." if size == outputs else
               f"Your answer has {size} numbers, and the channel has {outputs} outputs: push both inputs through "
               f"{channel_name} first, then weight each output's log ratio by {ya} and sum.")
    unweighted = float(np.sum(np.log(py) - np.log(qy)) / per) if np.all(py > 0) and np.all(qy > 0) else None
    spread = [(unweighted, f"the unweighted sum of {log_fn}({ya} / {yb}): weight each log ratio by {ya}, "
                           f"the first distribution, before summing.")]
    if outputs > 1:
        for k in range(outputs):
            if py[k] > 0 and qy[k] > 0:
                spread.append((float(py[k] * (math.log(py[k]) - math.log(qy[k])) / per),
                               f"the term of output {k} alone ({ya}[{k}] * {log_fn}({ya}[{k}] / {yb}[{k}])); "
                               f"{what} sums the terms over {'both' if outputs == 2 else f'all {outputs}'} outputs."))
    for other in (None, 2):      # the inputs' divergence, and in the other unit too (two slips, often made together)
        if other != base:
            spread.append((kl_divergence(pa, qa, base=other),
                           f"D({a}||{b}), the divergence of the inputs, in {_computed_with(other)}: two changes "
                           f"are needed. The question asks about the outputs ({ya} and {yb}, the inputs "
                           f"pushed through {channel_name}), in {_unit_words(base)}."))
    _add_apart(mistakes, expected, spread + [
        (expected / outputs, f"the mean over the {outputs} outputs (np.mean) instead of the sum: the weights "
                             f"{ya} already average the log ratios, so add the weighted terms up (np.sum).",
         ("scale", "the mean over the outputs", f"multiplied by {outputs}")),
        (100 * expected, f"{what} x 100, as a percentage: a divergence is in {_unit_words(base)}, not a "
                         f"percentage.", ("scale", f"{what} as a percentage", "divided by 100")),
    ])
    return check_number(answer, expected, what=what, units=_unit_words(base),
                        mistakes=mistakes, sig=sig, array_routes=routes,
                        hint=f"Push each input distribution through the channel (a matrix product with "
                             f"{channel_name}) to get {ya} and {yb}, then compute the KL divergence of the outputs, "
                             f"{ya} first{', in bits (np.log2)' if base == 2 else ''}.",
                        negative=f"{what} is >= 0 (Gibbs' inequality): weight each log ratio by {ya}, with "
                                 f"{ya} on top in it, and sum over "
                                 f"{'both' if outputs == 2 else f'all {outputs}'} outputs.",
                        combine=combine)


def check_renyi(answer, p, q, alpha, *, base=None, names=("P", "Q"), sig=3):
    """Check an answer for the Rényi divergence D_alpha(P||Q) = log(sum p^alpha q^(1-alpha)) / (alpha - 1).

    Used in: notebooks/08_where_kl_comes_from.ipynb (section "Exercises").

    Recognised mistakes: other units, the reverse direction D_alpha(Q||P),
    KL (the order 1), the sum without its logarithm (and, for alpha = 2,
    the chi-square divergence, which is that sum minus 1), the
    logarithm without the factor 1/(alpha - 1) (for alpha != 2), the log
    of the mean instead of the sum, Q raised to alpha - 1 instead of
    1 - alpha, and the sum of the logs of the terms (each of these with
    either sign, since the first two are negative for alpha > 1); the
    result divided by alpha or times alpha/(alpha - 1), the orders 1/2 and
    infinity, and the Jeffreys divergence (each when 1% or more from the
    answer and from the others). The log of the sum (or the log1p of the
    chi-square sum) rounded on the way is a rounding step, not a mistake.

    Examples
    --------
    >>> check_renyi(0.1457, [0.36, 0.48, 0.16], [1/3, 1/3, 1/3], 2)
    Correct: D_2(P||Q) = 0.1457 nats.
    """
    from ..fdivergences import renyi_divergence

    a, b = _names(names)
    pn, qn = _probabilities(p, "p"), _probabilities(q, "q")
    order = float(alpha)
    if not (order > 0 and order != 1 and math.isfinite(order)):
        raise ValueError(f"check_renyi needs a finite order alpha > 0 other than 1, got {alpha!r}.")
    what = f"D_{order:g}({a}||{b})"
    mistakes = _unit_mistakes(lambda bb: renyi_divergence(pn, qn, order, base=bb), what, base)
    mistakes.append((renyi_divergence(qn, pn, order, base=base),
                     f"D_{order:g}({b}||{a}), the reverse direction: {a} comes first, and its probabilities "
                     f"are the ones raised to the power alpha."))
    mistakes.append((kl_divergence(pn, qn, base=base),
                     f"D({a}||{b}), the KL divergence, which is the Rényi divergence of order 1 only; "
                     f"the question asks for order {order:g}."))
    with np.errstate(divide="ignore"):
        s = float(np.sum(np.where(pn > 0, pn**order * qn ** (1 - order), 0.0)))
    in_units = "" if base is None else f" / np.log({base:g})"
    mistakes.append((s, f"the sum over the outcomes of the terms ({a} to the power alpha times {b} to the power "
                        f"1 - alpha), without its logarithm: take the log of the "
                        f"unrounded sum your code computed and divide it by alpha - 1{in_units}.",
                     ("log", "the sum of the terms over the outcomes",
                      f"passed through its log and divided by alpha - 1{in_units}")))
    if order == 2:
        mistakes.append((s - 1, f"the chi-square divergence sum ({a} - {b})**2 / {b}; the Rényi divergence "
                                f"of order 2 is the logarithm of one plus it: add 1 to the unrounded chi2 your code "
                                f"computed, then take the log" + (f" (in base {base:g})" if base else "") + ".",
                         ("log1p", f"the chi-square divergence sum ({a} - {b})**2 / {b}",
                          f"passed through log(1 + chi2){in_units}")))
    else:
        mistakes.append((math.log(s) / log_base(base),
                         f"log(sum) without the factor 1/(alpha - 1) = {1 / (order - 1):g}.",
                         ("scale", "log(sum) without the factor 1/(alpha - 1)", f"divided by {order - 1:g}")))
    per = log_base(base) * (order - 1)
    on = pn > 0
    n = int(np.count_nonzero(on))
    with np.errstate(divide="ignore"):
        swapped = float(np.sum(np.where(on, pn**order * qn ** (order - 1), 0.0)))
        logs = float(np.sum(np.log(pn[on] ** order * qn[on] ** (1 - order))))
    routes = []
    if n > 1:
        routes.append((math.log(s / n) / per,
                       f"the log of the mean of the terms (np.mean), which is the log of their sum minus "
                       f"log({n}): {what} takes the log of their sum, not of their mean."))
    if swapped > 0:
        routes.append((math.log(swapped) / per,
                       f"the terms with {b} raised to alpha - 1 = {order - 1:g} instead of 1 - alpha = "
                       f"{1 - order:g}."))
    if n > 1 and math.isfinite(logs):
        routes.append((logs / per,
                       "the sum of the logs of the terms, not the log of their sum: add the terms over the "
                       "outcomes first, then take the log of the total and divide by alpha - 1."))
    expected = renyi_divergence(pn, qn, order, base=base)
    others = [
        (expected / order, f"{what} divided by alpha = {order:g}: the factor is 1/(alpha - 1) = "
                           f"{1 / (order - 1):g}, not 1/alpha.",
         ("scale", f"{what} divided by alpha", f"multiplied by {order:g}")),
        (expected * order, f"{what} times alpha, or log(sum) times alpha/(alpha - 1) = {order / (order - 1):g}: "
                           f"the factor is 1/(alpha - 1) = {1 / (order - 1):g} alone.",
         ("scale", f"{what} times alpha", f"divided by {order:g}")),
    ]
    if order != 0.5:
        others.append((renyi_divergence(pn, qn, 0.5, base=base),
                       f"D_1/2({a}||{b}), the order 1/2; the question asks for order {order:g}: use alpha = "
                       f"{order:g} in the powers and in the divisor alpha - 1."))
    others += [
        (renyi_divergence(pn, qn, math.inf, base=base),
         f"D_inf({a}||{b}) = log max {a}/{b}, the order infinity (the largest log ratio alone); the question "
         f"asks for order {order:g}, which uses every outcome: the log of a sum over all of them, divided by "
         f"alpha - 1."),
        (kl_divergence(pn, qn, base=base) + kl_divergence(qn, pn, base=base),
         f"D({a}||{b}) + D({b}||{a}), the Jeffreys divergence, not a Rényi divergence: {what} takes one log, "
         f"of a sum of powers of {a} and {b}, divided by alpha - 1."),
    ]
    _add_apart(mistakes, expected, others)
    for w, why in routes:
        if math.isfinite(w) and abs(w - expected) > 0.01 * abs(expected):
            mistakes.append((w, why))
            if w < 0 and abs(-w - expected) > 0.01 * abs(expected):
                mistakes.append((-w, f"{why} That route gives {_show(w)}; this is it with the sign flipped."))
    return check_number(answer, expected, what=what,
                        units=_unit_words(base), mistakes=mistakes, sig=sig,
                        hint=f"A Rényi divergence of order alpha (here alpha = {order:g}): each outcome's term is "
                             f"its probability under {a} to the power alpha times its probability under {b} to "
                             f"the power 1 - alpha; add the terms over the outcomes, take the log of the total, "
                             f"and divide by alpha - 1.",
                        negative="Add the terms over the outcomes first, then take the log of the total and "
                                 "divide by alpha - 1: a Rényi divergence of order alpha > 0 is >= 0.")
