"""Interactive explorers for the notebooks (ipywidgets).

Each explorer answers one question and is built on a plain function that
draws the same figure for fixed values, so a notebook can show a static
figure that nbval compares and that renders where widgets do not.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import scipy.stats as stats

from . import drift, plots
from ._validation import unit_name
from .coding import huffman_lengths
from .discrete import cross_entropy, entropy, kl_divergence
from .fits import fit_gaussian
from .gaussian import gaussian_kl
from .logits import kl_from_logits, per_token_kl, softmax
from .plots import (CE_COLOR, KL_COLOR, M_COLOR, P_COLOR, Q_COLOR, Q_HATCH, bar_pair, code_lengths_bar,
                    contributions_bar, density_pair, drift_histograms, estimate_spread, gaussian_fits, kl_integrand)

__all__ = ["show_pair", "coin_explorer"]

_STYLE = {"description_width": "initial"}   # show each control's label in full


def _slider(value, low, high, step, description):
    """A float slider that redraws when released, not at every step of a drag."""
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               style=_STYLE, continuous_update=False)


def _explorer(draw, controls, rows):
    """Rows of controls (lists of widgets) above the output of ``draw(**controls' values)``."""
    out = widgets.interactive_output(draw, controls)
    return widgets.VBox([*(widgets.HBox(row) for row in rows), out])



def show_pair(p, q, *, labels=None, base=2, title=None):
    """Print D(P||Q) and D(Q||P), and plot P, Q and each direction's per-outcome terms.

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
    print(f"D(P||Q) = {forward:.4f} {units}   D(Q||P) = {reverse:.4f} {units}")
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    bar_pair(p, q, labels=labels, ax=left, title=title or "P (reference) and Q (model)")
    contributions_bar(p, q, labels=labels, base=base, ax=right,
                      title="Per-outcome terms: they sum to each direction's KL")
    plt.show()


def coin_explorer(p_heads=0.5, q_heads=0.9, *, base=2):
    """Two coins with sliders: when does D(P||Q) blow up, and is it symmetric?

    Drag Q's probability of heads to 0 or 1 while P's stays strictly between:
    D(P||Q) becomes infinite because Q says an outcome P produces is impossible.

    Returns
    -------
    ipywidgets.VBox
    """
    p_slider = _slider(p_heads, 0, 1, 0.01, "P(heads) of coin P")
    q_slider = _slider(q_heads, 0, 1, 0.01, "Q(heads) of coin Q")

    def draw(ph, qh):
        show_pair([ph, 1 - ph], [qh, 1 - qh], labels=["heads", "tails"], base=base,
                  title=f"P = ({ph:.2f}, {1 - ph:.2f}), Q = ({qh:.2f}, {1 - qh:.2f})")

    return _explorer(draw, {"ph": p_slider, "qh": q_slider}, [[p_slider, q_slider]])


# --- notebooks 02-04: coding, cross-entropy, asymmetry ---


__all__ += ["show_coding_cost", "coding_explorer", "show_cross_entropy", "cross_entropy_explorer",
            "show_gaussian_fits", "mixture_fit_explorer"]


def _blend(p, q, t):
    """The model (1 - t) P + t Q: P itself at t = 0, Q at t = 1."""
    return (1 - t) * np.asarray(p, float) + t * np.asarray(q, float)


def show_coding_cost(p, q, t=1.0, *, symbols=None, names=("P", "Q")):
    """Code P's symbols with a code built for the model (1 - t) P + t Q: print and plot the extra bits.

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

    Returns
    -------
    ipywidgets.VBox
    """
    slider = _slider(t, 0, 1, 0.05, f"t ({names[0]} -> {names[1]})")
    return _explorer(lambda t: show_coding_cost(p, q, t, symbols=symbols, names=names),
                     {"t": slider}, [[slider]])


def show_cross_entropy(p_dog=1.0, q_dog=0.9):
    """Two-class labels: print H(P), H(P, Q) and D(P||Q) in bits; plot them against Q(dog).

    Parameters
    ----------
    p_dog : float
        Target probability of "dog" (1 for a hard label, between for a soft one).
    q_dog : float
        The model's probability of "dog", strictly between 0 and 1.
    """
    P, Q = [p_dog, 1 - p_dog], [q_dog, 1 - q_dog]
    h, ce, kl = entropy(P, base=2), cross_entropy(P, Q, base=2), kl_divergence(P, Q, base=2)
    print(f"P = ({p_dog:.2f}, {1 - p_dog:.2f}), Q = ({q_dog:.2f}, {1 - q_dog:.2f}): "
          f"H(P) = {h:.4f} bits, H(P,Q) = {ce:.4f} bits, D(P||Q) = {kl:.4f} bits")
    grid = np.linspace(0.005, 0.995, 199)
    batch = np.column_stack([grid, 1 - grid])
    _, ax = plt.subplots()
    ax.plot(grid, cross_entropy(P, batch, base=2), color=CE_COLOR, lw=2, label="cross-entropy H(P, Q)")
    ax.plot(grid, kl_divergence(P, batch, base=2), color=KL_COLOR, lw=2, ls="--", label="D(P||Q)")
    ax.axhline(h, color=M_COLOR, lw=1, ls=":", label=f"H(P) = {h:.4f} bits")
    ax.axvline(p_dog, color="grey", lw=0.8, ls="-.", label="Q = P")
    ax.plot([q_dog, q_dog], [kl, ce], "o", color="black", ms=5)
    ax.set_ylim(0, max(4.0, 1.1 * ce))
    ax.set_xlabel("Q(dog), the model's probability")
    ax.set_ylabel("bits")
    ax.set_title("Same minimiser, curves a constant H(P) apart")
    ax.legend()
    plt.show()


def cross_entropy_explorer(p_dog=0.8, q_dog=0.3):
    """Sliders for the label P(dog) and the prediction Q(dog): when does cross-entropy equal KL?

    Returns
    -------
    ipywidgets.VBox
    """
    p_slider = _slider(p_dog, 0, 1, 0.05, "label P(dog)")
    q_slider = _slider(q_dog, 0.01, 0.99, 0.01, "model Q(dog)")
    return _explorer(show_cross_entropy, {"p_dog": p_slider, "q_dog": q_slider}, [[p_slider, q_slider]])


def show_gaussian_fits(separation=4.0, weight=0.6, sd=1.0):
    """Fit one Gaussian to a two-mode mixture both ways; print the fits and plot them.

    The mixture is ``weight * N(-separation/2, sd^2) + (1 - weight) * N(separation/2, sd^2)``.

    Parameters
    ----------
    separation : float
        Distance between the two modes.
    weight : float
        Weight of the left mode, in (0, 1).
    sd : float
        Standard deviation of each mode.

    Returns
    -------
    (GaussianFit, GaussianFit)
        The forward and the reverse fit.
    """
    weights, means, sds = [weight, 1 - weight], [-separation / 2, separation / 2], [sd, sd]
    forward = fit_gaussian(weights, means, sds, direction="forward")
    reverse = fit_gaussian(weights, means, sds, direction="reverse")
    print(f"modes {separation:g} apart, weights ({weight:.2f}, {1 - weight:.2f}):")
    print(f"  forward, min D(P||Q): Q = N({forward.mean:+.3f}, {forward.sd:.3f}^2), "
          f"D(P||Q) = {forward.kl:.4f} nats")
    print(f"  reverse, min D(Q||P): Q = N({reverse.mean:+.3f}, {reverse.sd:.3f}^2), "
          f"D(Q||P) = {reverse.kl:.4f} nats")
    on_a_mode = min(abs(reverse.mean - m) for m in means) < sd / 2 and reverse.sd < 1.5 * sd
    gaussian_fits(weights, means, sds, forward, reverse,
                   title=f"Modes {separation:g} apart: forward covers both, reverse "
                         + ("locks onto one" if on_a_mode else "still spans both"))
    plt.show()
    return forward, reverse


def mixture_fit_explorer(separation=4.0, weight=0.6):
    """Slider for the distance between the modes: when do the forward and reverse fits part ways?

    Returns
    -------
    ipywidgets.VBox
    """
    sep_slider = _slider(separation, 0, 8, 0.25, "distance between modes")
    w_slider = _slider(weight, 0.1, 0.9, 0.05, "weight of left mode")

    def draw(s, w):
        show_gaussian_fits(s, w)   # the returned fits would be displayed too

    return _explorer(draw, {"s": sep_slider, "w": w_slider}, [[sep_slider, w_slider]])


# --- notebook 05: continuous and Gaussian KL ---


__all__ += ["show_gaussians", "gaussian_explorer"]


def show_gaussians(mu_p=0.0, sigma_p=1.0, mu_q=1.0, sigma_q=2.0, *, base=None):
    """Two normal densities and the integrands of D(P||Q) and D(Q||P); print both divergences.

    Parameters
    ----------
    mu_p, sigma_p : float
        Mean and standard deviation of P, the reference.
    mu_q, sigma_q : float
        Mean and standard deviation of Q, the model.
    base : float, optional
        None for nats (default), 2 for bits.
    """
    units = unit_name(base)
    forward = gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, base=base)
    reverse = gaussian_kl(mu_q, sigma_q, mu_p, sigma_p, base=base)
    print(f"D(P||Q) = {forward:.4f} {units}   D(Q||P) = {reverse:.4f} {units}")
    p, q = stats.norm(mu_p, sigma_p), stats.norm(mu_q, sigma_q)
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    density_pair(p, q, ax=left,
                  title=f"P = N({mu_p:g}, {sigma_p:g}²), Q = N({mu_q:g}, {sigma_q:g}²)")
    kl_integrand(p, q, base=base, ax=right, color=P_COLOR,
                  title="Integrands: the shaded areas are the divergences")
    kl_integrand(q, p, names=("Q", "P"), base=base, ax=right, color=Q_COLOR, linestyle="--",
                 hatch=Q_HATCH, legend_loc="upper left")
    low, high = right.get_ylim()
    right.set_ylim(low, high + 0.4 * (high - low))      # headroom: the legend sits above both curves
    right.set_ylabel(f"integrand [{units} / unit of x]")
    plt.show()


def gaussian_explorer(mu_p=0.0, sigma_p=1.0, mu_q=1.0, sigma_q=2.0, *, base=None):
    """Sliders for two normals: which changes of Q make D(P||Q) and D(Q||P) differ most?

    Equal standard deviations give equal divergences in both directions; a
    Q narrower than P makes D(P||Q) grow fastest.

    Returns
    -------
    ipywidgets.VBox
    """
    controls = {"mu_p": _slider(mu_p, -4, 4, 0.05, "mean of P"),
                "sigma_p": _slider(sigma_p, 0.2, 4, 0.05, "sd of P"),
                "mu_q": _slider(mu_q, -4, 4, 0.05, "mean of Q"),
                "sigma_q": _slider(sigma_q, 0.2, 4, 0.05, "sd of Q")}

    def draw(mu_p, sigma_p, mu_q, sigma_q):
        show_gaussians(mu_p, sigma_p, mu_q, sigma_q, base=base)

    return _explorer(draw, controls, [[controls["mu_p"], controls["sigma_p"]],
                                      [controls["mu_q"], controls["sigma_q"]]])


# --- notebook 06: drift ---


__all__ += ["DRIFT_SEED", "show_drift", "drift_explorer"]


#: Seed of the drift explorer's first draw: its samples show no false alarm at shift 0 for any
#: offered sample size, and the default 0.25 sd shift is detected at 200 values per side
#: (tests/test_plots_widgets.py checks both).
DRIFT_SEED = 18


def show_drift(shift=0.25, n=200, *, seed=DRIFT_SEED, bins=10, n_permutations=999):
    """Synthetic drift: reference N(0, 1), current N(shift, 1); print the measures and the test, plot both.

    Also prints what the folklore PSI thresholds (0.1 "moderate",
    0.25 "significant") would say, to compare with the permutation test,
    whose p-value is ``(1 + #{T_perm >= T_obs}) / (B + 1)``.

    Parameters
    ----------
    shift : float
        Mean shift of the current sample, in standard deviations.
    n : int
        Sample size on each side.
    seed : int
        Seed of the samples and of the permutations (the samples for a
        given seed and n differ between shifts only by the shift itself).
    bins, n_permutations
        As in :func:`klteach.drift.drift_test` (B = 999 shuffles by default,
        the same number :func:`drift_explorer` uses).

    Returns
    -------
    klteach.drift.DriftTestResult

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> r = show_drift(0.0, 50, n_permutations=99)   # doctest: +ELLIPSIS
    shift 0.00 sd, n = m = 50: ...
    permutation p-value ... -> no evidence of drift at alpha = 0.05; folklore PSI thresholds say: ...
    """
    rng = np.random.default_rng(seed)
    reference, current = rng.normal(0, 1, n), rng.normal(shift, 1, n)
    result = drift.drift_test(reference, current, bins=bins, n_permutations=n_permutations, seed=rng)
    psi = result.measures.psi
    folklore = "significant" if psi > 0.25 else "moderate" if psi > 0.1 else "none"
    verdict = "drift" if result.pvalue <= 0.05 else "no evidence of drift"
    print(f"shift {shift:.2f} sd, n = m = {n}: {result.measures}")
    print(f"permutation p-value {result.pvalue:.4f} ({n_permutations} shuffles) -> {verdict} at alpha = 0.05; "
          f"folklore PSI thresholds say: {folklore}")
    axes = drift_histograms(result, names=("reference N(0, 1)", f"current N({shift:.2f}, 1)"))
    axes[0].set_title(f"Shift {shift:.2f} sd, n = {n}: p = {result.pvalue:.3f}, PSI = {psi:.3f} nats")
    plt.show()
    return result


def drift_explorer(shift=0.25, n=200, *, seed=DRIFT_SEED):
    """Sliders for the shift and the sample size: when does the test see the drift, and when does PSI cry wolf?

    A third slider draws new samples (it sets the seed): with no shift,
    about one draw in twenty is a false alarm at alpha = 0.05, as promised.
    Each draw is :func:`show_drift` with its defaults (999 shuffles), so the
    explorer's first view is the static figure ``show_drift(shift, n)``.

    Returns
    -------
    ipywidgets.VBox
    """
    shift_slider = _slider(shift, 0, 1, 0.05, "mean shift (sd)")
    n_slider = widgets.SelectionSlider(options=[25, 50, 100, 200, 500, 1000, 2000, 5000], value=n,
                                       description="n per side", style=_STYLE, continuous_update=False)
    seed_slider = widgets.IntSlider(value=seed, min=0, max=99, description="sample draw",
                                    style=_STYLE, continuous_update=False)

    def draw(s, size, draw_seed):
        show_drift(s, size, seed=draw_seed)

    return _explorer(draw, {"s": shift_slider, "size": n_slider, "draw_seed": seed_slider},
                     [[shift_slider, n_slider, seed_slider]])


# --- notebook 07: KL in machine learning ---


__all__ += ["policy_logits", "show_policy_kl", "policy_kl_explorer"]

from .plots import policy_kl_estimates  # noqa: E402  (notebook 07's figure; imported here to keep its edits local)


def policy_logits(drift, *, vocab_size=12, seed=7):
    """Reference logits over a small vocabulary, and a policy moved ``drift`` units away from them.

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

    Repeats notebook 07's experiment (section 3) for any drift: ``n_repeats``
    batches of ``n_tokens`` tokens sampled from the policy (drawn as one
    ``(n_repeats, n_tokens)`` array from ``np.random.default_rng(seed)``, so
    the same seed gives the notebook's tokens), each batch averaged with
    :func:`klteach.per_token_kl`; prints the exact value, each estimator's
    mean and standard deviation across batches, and draws
    :func:`klteach.plots.policy_kl_estimates`.

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

    Near the reference k2 and k3 spread far less than k1 (k2 with a small
    bias); far from it k2's bias grows and k3's spread overtakes k1's.

    Returns
    -------
    ipywidgets.VBox
    """
    slider = _slider(drift, 0.0, 3.0, 0.1, "policy drift")
    return _explorer(lambda d: show_policy_kl(d), {"d": slider}, [[slider]])


# --- notebook 08: where KL comes from ---


__all__ += ["show_renyi", "renyi_explorer"]


def show_renyi(p, q, alpha=0.5, *, names=("P", "Q"), max_alpha=10.0):
    """Print D_alpha(P||Q) at ``alpha`` and at the special orders; plot D_alpha against alpha.

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
    from .fdivergences import renyi_divergence

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
    plots.renyi_orders(alphas, values, special=special, limit=limit, current=(alpha, value),
                       infinite_from=infinite_from, title=title)
    plt.show()
    return value


def renyi_explorer(p, q, alpha=0.5, *, names=("P", "Q")):
    """Slider for the order alpha: where between the special orders does D_alpha(P||Q) sit?

    Returns
    -------
    ipywidgets.VBox
    """
    a_slider = _slider(alpha, 0, 10, 0.05, "order α")

    def draw(alpha):
        show_renyi(p, q, alpha, names=names)   # the returned value would be displayed too

    return _explorer(draw, {"alpha": a_slider}, [[a_slider]])
