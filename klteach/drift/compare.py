r"""Drift tests side by side: an effect size, a verdict that uses it, and rejection-rate tables.

A permutation p-value answers "is there *any* drift?"; with enough data it
says yes to drift too small to matter. An effect size answers "how much?".
This module gives

* :func:`wasserstein_effect`: the Wasserstein (earth mover's) distance
  between the two samples in units of the reference standard deviation, and
  :func:`effect_size`, which uses it for numbers and the total variation of
  the category shares for categories;
* :func:`drift_verdict`: "drift", "negligible drift" (significant but below
  a minimum effect) or "no evidence of drift";
* :func:`rejection_rates`: how often each of several decision rules flags
  drift on the same seeded simulated data (false-alarm rate when nothing
  moved, power otherwise), with :func:`standard_rules` (klteach's
  permutation test, the two-sample Kolmogorov-Smirnov test and fixed
  thresholds on PSI, KL, the JS distance and the normalised Wasserstein
  distance) and :func:`standard_scenarios` (no drift, a 0.25 sd shift, sd
  times 1.5, a bimodal shape with the same mean and sd).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import scipy.stats

from .._validation import DEFAULT_PSEUDO_COUNT, DistributionError
from ..symmetric import total_variation
from ._null import pvalue as _null_pvalue
from ._null import relearned_quantile_test
from .binning import bin_counts, bin_edges, category_counts
from .measures import drift_measures
from .permutation import drift_test

__all__ = ["wasserstein_effect", "effect_size", "drift_verdict", "VERDICTS", "RateTable",
           "rejection_rates", "standard_rules", "standard_scenarios", "kl_permutation_pvalue"]

#: The three verdicts of :func:`drift_verdict`.
VERDICTS = ("drift", "negligible drift", "no evidence of drift")


def _numeric(x, name: str, nan: str = "raise") -> np.ndarray:
    """A 1-D float sample; NaN refused, or left out with ``nan="omit"``; inf refused."""
    if isinstance(x, (str, bytes)):
        raise DistributionError(f"{name} must be a sample of numbers, got the string {x!r}.")
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise DistributionError(f"{name} must hold numbers, got dtype {arr.dtype}; for "
                                f"categories use effect_size(..., categorical=True).")
    if arr.ndim != 1:
        raise DistributionError(f"{name} must be a 1-D sample, got shape {arr.shape}.")
    arr = arr.astype(np.float64)
    if np.isinf(arr).any():
        raise DistributionError(f"{name} has an infinite value at index "
                                f"{int(np.argmax(np.isinf(arr)))}; replace or clip it first.")
    missing = np.isnan(arr)
    if nan == "raise" and missing.any():
        raise DistributionError(
            f"{name} has a missing value (NaN) at index {int(np.argmax(missing))}; klteach never "
            f"drops them silently: pass nan='omit' to measure the other values (and report the "
            f"change in the share of missing values separately, as drift_report(..., nan='bin') "
            f"does), or remove them first.")
    return arr[~missing]


def wasserstein_effect(reference, current, *, nan="raise") -> float:
    r"""Wasserstein distance between two samples, in reference standard deviations.

    .. math:: \frac{W_1(F_{\mathrm{ref}}, F_{\mathrm{cur}})}{s_{\mathrm{ref}}}
              = \frac{1}{s_{\mathrm{ref}}} \int |F_{\mathrm{ref}}(x) - F_{\mathrm{cur}}(x)|\,dx

    with F the empirical distribution functions and s the reference's sample
    standard deviation (ddof = 1). A location shift of d standard deviations
    has effect d; multiplying a normal's sd by c has effect
    :math:`|c - 1| \sqrt{2/\pi}`. Missing values (NaN) are refused unless
    ``nan="omit"``: a distance between values cannot see them, so a change
    in the share of missing values must be measured on its own (as
    :func:`~klteach.drift.drift_report` does with ``nan="bin"``).

    Parameters
    ----------
    reference, current : array_like
        1-D numeric samples.
    nan : {"raise", "omit"}
        Refuse NaN (default) or leave NaN out of both samples.

    Returns
    -------
    float
        >= 0 (unitless). NaN when a side has no values (or the reference
        only one); for a constant reference, 0 if the current sample equals
        it and inf otherwise; inf for an effect beyond the largest float.
        Values anywhere in the float range are handled: the distance and the
        standard deviation are computed on the samples scaled by powers of 2
        (exact), so nothing overflows or underflows on the way.

    Raises
    ------
    DistributionError
        Non-numeric, non-1-D or infinite values; NaN with ``nan="raise"``.
    ValueError
        Unknown ``nan`` policy.

    See Also
    --------
    scipy.stats.wasserstein_distance : the unnormalised distance (same units as the data).

    Examples
    --------
    >>> round(wasserstein_effect([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0]), 4)   # shift 1, sd 1.29
    0.7746
    """
    if nan not in ("raise", "omit"):
        raise ValueError(f"nan must be 'raise' (the default: refuse NaN) or 'omit' (leave NaN "
                         f"out of both samples), got {nan!r}.")
    ref, cur = _numeric(reference, "reference", nan), _numeric(current, "current", nan)
    if ref.size < 2 or cur.size == 0:
        return math.nan
    # Each of W1 and s is computed on its samples scaled by a power of 2 (exact) that brings
    # their largest size to about 2**400: near the largest float the differences, sums and
    # squares would overflow, near the smallest the squares would underflow. The ratio is
    # scaled back by the difference of the two powers.
    pooled_shift = _shift_to_2_400(np.concatenate([ref, cur]))
    ref_shift = _shift_to_2_400(ref)
    distance = float(scipy.stats.wasserstein_distance(np.ldexp(ref, -pooled_shift),
                                                      np.ldexp(cur, -pooled_shift)))
    # A sample value is subtracted first (exact for values within a factor 2 of it, Sterbenz), so
    # a reference spanning a few floats keeps its spread: the mean of [1, 1 + ulp] rounds to a
    # sample value, and np.std of the raw values then lost a third of it.
    scaled = np.ldexp(ref, -ref_shift)
    sd = float(np.std(scaled - np.sort(scaled)[scaled.size // 2], ddof=1))
    if sd == 0:
        return 0.0 if distance == 0 else math.inf
    with np.errstate(over="ignore"):     # inf only for an effect beyond the largest float
        return float(np.ldexp(distance / sd, pooled_shift - ref_shift))


def _shift_to_2_400(x: np.ndarray) -> int:
    """The power of 2 that scales the largest |x| into [2**399, 2**400) (0 for all zeros)."""
    biggest = float(np.max(np.abs(x)))
    return math.frexp(biggest)[1] - 400 if biggest else 0


def effect_size(reference, current, *, categorical=None) -> float:
    r"""How much a feature moved: normalised Wasserstein for numbers, total variation for categories.

    Numbers: :func:`wasserstein_effect`. Categories (strings, labels, or
    ``categorical=True``): the total variation distance between the category
    shares, :math:`\tfrac12 \sum_c |r_c / n - c_c / m|`, the share of the
    data that would have to change category (missing values count as a
    category of their own).

    Parameters
    ----------
    reference, current : array_like
        1-D samples.
    categorical : bool, optional
        Default: True when either sample is not numeric.

    Returns
    -------
    float

    Examples
    --------
    >>> effect_size(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.25
    """
    if categorical is None:
        categorical = any(np.asarray(x).dtype.kind not in "biuf" for x in (reference, current))
    if not categorical:
        return wasserstein_effect(reference, current)
    _, ref, cur = category_counts(reference, current, nan="bin")
    return float(total_variation(ref / ref.sum(), cur / cur.sum()))


def drift_verdict(pvalue, effect, *, alpha=0.05, min_effect=None, noise=0.0) -> str:
    """Verdict from a p-value and an effect size.

    ``"negligible drift"`` when ``pvalue <= alpha`` and ``effect + noise <
    min_effect`` (detected, and too small to matter even allowing for the
    effect's sampling noise); ``"drift"`` when ``pvalue <= alpha``
    otherwise, i.e. when ``effect + noise >= min_effect`` (or no minimum is
    given, or the effect is NaN): this includes an effect below
    ``min_effect`` whose noise reaches it, which means "detected, and its
    size not shown to be small", not "at least min_effect";
    ``"no evidence of drift"`` when ``pvalue > alpha``.

    An estimated effect is not 0 when nothing moved: W/sd between two
    samples of one distribution has a median of about 0.17 at 100 values
    per side and 0.055 at 1,000, and depends mostly on the smaller sample.
    With ``noise=0`` a small sample's effect can fall below ``min_effect``
    only by chance, so pass the effect's no-drift noise level
    (:func:`~klteach.drift.drift_report` uses the 95th percentile of the
    effect between random splits of the pooled data): a feature whose
    effect cannot be told apart from ``min_effect`` at its sample size is
    then called "drift", not "negligible drift". This margin is a heuristic
    with no stated error rate, not an equivalence test: a true effect of
    exactly ``min_effect`` can still be called negligible now and then. Two
    one-sided tests (TOST) against
    ``min_effect`` are the rigorous option when that rate must be bounded.

    Parameters
    ----------
    pvalue : float
        In [0, 1] (e.g. Holm-adjusted, from a drift report).
    effect : float
        >= 0 or NaN, e.g. from :func:`effect_size`.
    alpha : float
        False-alarm level, in (0, 1).
    min_effect : float, optional
        Smallest effect worth reporting as drift (>= 0), e.g. 0.1 reference
        standard deviations.
    noise : float
        The effect's sampling noise (>= 0; ``inf`` when the effect cannot be
        measured at this size, e.g. a reference that is often constant):
        "negligible" needs ``effect + noise < min_effect``. Default 0.

    Returns
    -------
    str
        One of :data:`VERDICTS`.

    Raises
    ------
    ValueError
        p-value outside [0, 1], negative effect, alpha outside (0, 1), bad min_effect or noise.

    Examples
    --------
    >>> drift_verdict(0.001, 0.02, min_effect=0.1)
    'negligible drift'
    >>> drift_verdict(0.001, 0.02, min_effect=0.1, noise=0.3)   # detected, size not shown small
    'drift'
    >>> drift_verdict(0.001, 0.02, min_effect=0.1, noise=float("inf"))   # size unmeasurable
    'drift'
    >>> drift_verdict(0.001, 0.30, min_effect=0.1), drift_verdict(0.4, 0.30, min_effect=0.1)
    ('drift', 'no evidence of drift')
    """
    for name, value in (("pvalue", pvalue), ("effect", effect), ("alpha", alpha)):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"{name} must be a number, got {value!r}.")
    if not 0 <= pvalue <= 1:
        raise ValueError(f"pvalue must be between 0 and 1, got {pvalue!r}.")
    if effect < 0:
        raise ValueError(f"effect must be >= 0 (a distance), got {effect!r}.")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}.")
    if min_effect is not None and (isinstance(min_effect, bool) or not isinstance(min_effect, Real)
                                   or not min_effect >= 0 or math.isinf(min_effect)):
        raise ValueError(f"min_effect must be None or a finite number >= 0 (e.g. 0.1 reference "
                         f"standard deviations), got {min_effect!r}.")
    if isinstance(noise, bool) or not isinstance(noise, Real) or not noise >= 0:
        raise ValueError(f"noise must be a number >= 0 (the effect's no-drift sampling noise; inf "
                         f"when it cannot be measured), got {noise!r}.")
    if pvalue > alpha:
        return "no evidence of drift"
    if min_effect is not None and effect + noise < min_effect:   # False for NaN
        return "negligible drift"
    return "drift"


def kl_permutation_pvalue(reference, current, *, n_permutations=1000, seed=None) -> float:
    """p-value of :func:`klteach.drift.drift_test` with its defaults, by the fast exact null.

    The same test (10 quantile bins re-learned in each shuffle, D(ref||cur)
    with pseudo-count 0.5), drawing the permuted statistics from their exact
    distribution in O(B k log N) instead of sorting every shuffled
    reference; data with ties or NaN go through ``drift_test`` itself.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> kl_permutation_pvalue(rng.normal(0, 1, 500), rng.normal(0.5, 1, 500), seed=1) < 0.01
    True
    """
    rng = np.random.default_rng(seed)
    fast = None
    if not any(isinstance(x, (np.ma.MaskedArray, str, bytes)) for x in (reference, current)):
        ref, cur = np.asarray(reference), np.asarray(current)
        if ref.ndim == cur.ndim == 1 and ref.dtype.kind in "iuf" and cur.dtype.kind in "iuf":
            fast = relearned_quantile_test(
                ref.astype(float), cur.astype(float), 10, "kl", DEFAULT_PSEUDO_COUNT,
                n_permutations, rng, None)
    if fast is None:
        return drift_test(reference, current, n_permutations=n_permutations, seed=rng).pvalue
    return _null_pvalue(*fast)


def _measures_once():
    """drift_measures on 10 quantile bins of the reference, computed once per pair of samples.

    The cache keeps the last pair itself (not its id), so an identity match
    cannot be a new array that reuses a freed one's address.
    """
    last = [None, None, None]

    def measures(ref, cur):
        if last[0] is not ref or last[1] is not cur:
            edges = bin_edges(ref, 10)
            last[:] = ref, cur, drift_measures(bin_counts(ref, edges), bin_counts(cur, edges))
        return last[2]
    return measures


def standard_rules(*, alpha=0.05, n_permutations=199):
    """The decision rules compared in notebook 06: name -> rule(reference, current, rng) -> bool.

    * ``"KL permutation"``: :func:`kl_permutation_pvalue` <= alpha;
    * ``"KS"``: :func:`scipy.stats.ks_2samp` p-value <= alpha;
    * ``"PSI >= 0.1"``, ``"PSI >= 0.25"``, ``"KL >= 0.1"``, ``"JS dist >= 0.1"``:
      fixed thresholds on klteach's measures (10 quantile bins of the
      reference, pseudo-count 0.5, nats; the JS *distance* is the square root
      of the JS divergence, as scipy's ``jensenshannon`` returns it);
    * ``"W/sd >= 0.1"``: :func:`wasserstein_effect` >= 0.1;
    * ``"KS or W/sd"``: KS when the reference has at most 1,000 values,
      ``W/sd >= 0.1`` above (a common default of monitoring tools).
    """
    measures = _measures_once()

    def kl_test(r, c, rng):
        return kl_permutation_pvalue(r, c, n_permutations=n_permutations, seed=rng) <= alpha

    def ks(r, c, rng):
        return scipy.stats.ks_2samp(r, c).pvalue <= alpha

    def threshold(field, level):
        return lambda r, c, rng: getattr(measures(r, c), field) >= level

    def js_distance(r, c, rng):
        return math.sqrt(measures(r, c).js) >= 0.1

    def wasserstein(r, c, rng):
        return wasserstein_effect(r, c) >= 0.1

    def ks_or_wasserstein(r, c, rng):
        return ks(r, c, rng) if len(r) <= 1000 else wasserstein(r, c, rng)

    return {"KL permutation": kl_test, "KS": ks, "PSI >= 0.1": threshold("psi", 0.1),
            "PSI >= 0.25": threshold("psi", 0.25), "KL >= 0.1": threshold("kl_ref_cur", 0.1),
            "JS dist >= 0.1": js_distance, "W/sd >= 0.1": wasserstein,
            "KS or W/sd": ks_or_wasserstein}


def standard_scenarios():
    """Simulated reference and current samples: name -> scenario(rng, n) -> (reference, current).

    The reference is always standard normal, n values each side. Current:
    ``"no drift"`` the same; ``"shift 0.25 sd"`` N(0.25, 1); ``"sd x 1.5"``
    N(0, 1.5**2); ``"bimodal, same mean and sd"`` the mixture
    0.5 N(-0.8, 0.6**2) + 0.5 N(0.8, 0.6**2) (mean 0, variance 0.8**2 + 0.6**2 = 1).
    """
    def bimodal(rng, n):
        return rng.choice([-0.8, 0.8], n) + rng.normal(0, 0.6, n)

    return {"no drift": lambda rng, n: (rng.normal(size=n), rng.normal(size=n)),
            "shift 0.25 sd": lambda rng, n: (rng.normal(size=n), rng.normal(0.25, 1, n)),
            "sd x 1.5": lambda rng, n: (rng.normal(size=n), rng.normal(0, 1.5, n)),
            "bimodal, same mean and sd": lambda rng, n: (rng.normal(size=n), bimodal(rng, n))}


@dataclass(frozen=True, eq=False)
class RateTable:
    """Share of trials in which each rule flagged drift, per scenario and sample size.

    ``hits[s, i, r]`` counts the trials of scenario ``scenarios[s]`` at size
    ``sizes[i]`` flagged by rule ``rules[r]``, out of ``trials``.
    """

    scenarios: tuple
    sizes: tuple
    rules: tuple
    trials: int
    hits: np.ndarray

    @property
    def rates(self) -> np.ndarray:
        return self.hits / self.trials

    def rate(self, scenario: str, size: int, rule: str) -> float:
        """Share of trials flagged by ``rule`` in ``scenario`` at ``size``."""
        s, i, r = self.scenarios.index(scenario), self.sizes.index(size), self.rules.index(rule)
        return float(self.hits[s, i, r] / self.trials)

    def interval(self, scenario: str, size: int, rule: str, level=0.95) -> tuple:
        """Clopper-Pearson (exact binomial) interval for :meth:`rate`."""
        s, i, r = self.scenarios.index(scenario), self.sizes.index(size), self.rules.index(rule)
        ci = scipy.stats.binomtest(int(self.hits[s, i, r]), self.trials).proportion_ci(
            level, method="exact")
        return float(ci.low), float(ci.high)

    def __str__(self):
        width = max(len(r) for r in self.rules)
        lines = [f"Share of {self.trials} trials flagged as drift (first scenario: false alarms; "
                 f"others: power)"]
        for s, scenario in enumerate(self.scenarios):
            lines.append(f"{scenario}:")
            lines.append(f"  {'rule':<{width}}" + "".join(f"{'n=' + str(n):>9}" for n in self.sizes))
            for r, rule in enumerate(self.rules):
                lines.append(f"  {rule:<{width}}"
                             + "".join(f"{self.hits[s, i, r] / self.trials:>9.2f}"
                                       for i in range(len(self.sizes))))
        return "\n".join(lines)

    __repr__ = __str__


def rejection_rates(rules, scenarios, sizes, trials, *, seed=None) -> RateTable:
    """How often each rule flags drift, on the same seeded data for every rule.

    For each scenario, size n (= m) and trial, one pair of samples is drawn
    and every rule judges that same pair, so the rules differ only by their
    decisions. Each (scenario, size) cell gets its own random streams from
    ``seed``, one for the data and one passed to the rules, so the data do not
    depend on how many random numbers a rule consumes.

    Parameters
    ----------
    rules : mapping
        Name -> ``rule(reference, current, rng) -> bool`` (True: drift).
    scenarios : mapping
        Name -> ``scenario(rng, n) -> (reference, current)``.
    sizes : sequence of int
        Sample sizes n (each >= 2).
    trials : int
        Pairs of samples per cell (>= 1).
    seed : int, optional

    Returns
    -------
    RateTable

    Raises
    ------
    ValueError
        Empty rules or scenarios, bad sizes or trials.

    Examples
    --------
    >>> table = rejection_rates({"KS": lambda r, c, rng: scipy.stats.ks_2samp(r, c).pvalue <= 0.05},
    ...                         {"shift 1 sd": lambda rng, n: (rng.normal(size=n), rng.normal(1, 1, n))},
    ...                         sizes=[50], trials=20, seed=0)
    >>> table.rate("shift 1 sd", 50, "KS")
    1.0
    """
    rules, scenarios = dict(rules), dict(scenarios)
    if not rules or not scenarios:
        raise ValueError("rules and scenarios must each hold at least one entry "
                         "(name -> function), e.g. standard_rules() and standard_scenarios().")
    if isinstance(trials, bool) or not isinstance(trials, Integral) or trials < 1:
        raise ValueError(f"trials must be a positive integer, got {trials!r}.")
    sizes = tuple(sizes)
    if not sizes or any(isinstance(n, bool) or not isinstance(n, Integral) or n < 2 for n in sizes):
        raise ValueError(f"sizes must be whole numbers >= 2 (values per sample), got {sizes!r}.")
    sizes = tuple(int(n) for n in sizes)
    streams = np.random.SeedSequence(seed).spawn(len(scenarios) * len(sizes))
    hits = np.zeros((len(scenarios), len(sizes), len(rules)), dtype=np.int64)
    for s, draw in enumerate(scenarios.values()):
        for i, n in enumerate(sizes):
            # Data and rules draw from separate streams: the data do not depend on how many
            # random numbers a rule uses (e.g. on the permutation test's implementation).
            data_stream, rule_stream = streams[s * len(sizes) + i].spawn(2)
            data, rng = np.random.default_rng(data_stream), np.random.default_rng(rule_stream)
            for _ in range(int(trials)):
                ref, cur = draw(data, n)
                hits[s, i] += [bool(rule(ref, cur, rng)) for rule in rules.values()]
    return RateTable(tuple(scenarios), sizes, tuple(rules), int(trials), hits)
