"""Speed and accuracy of klteach.kl_divergence and js_divergence against scipy.

Run with ``make bench`` (or ``python benchmarks/bench_discrete.py``). Both
libraries are timed in this same run, on the same inputs, so the ratios are
meaningful on any machine (best of several repeats, in CPU time of this
process, which other users of a shared machine disturb less than wall time;
still, run it a few times). klteach's time includes its input validation;
scipy validates nothing and normalises silently. The JS sizes include both
sides of each switch between js_divergence's paths (Python floats up to 30
outcomes, scipy's log1p(x) - x up to 70, numpy with log1p up to 2048, numpy
with log from 2049, the one-pair path up to 15000, one block of the general
path up to 15360, blocks beyond), and sizes between them.

Targets (klteach's time / scipy's):
- kl_divergence vs scipy.stats.entropy(p, q): <= 0.5 at n = 100, <= 1.0 at
  n = 10**6 and on a 1000 x 1000 batch (rows are the distributions);
- js_divergence vs scipy.spatial.distance.jensenshannon(p, q)**2: <= 1.0 at
  every size.
Accuracy: relative error against mpmath (80 digits, exactly normalised
inputs) when P and Q are nearly identical.
"""

from __future__ import annotations

import argparse
import time
import timeit

import mpmath
import numpy as np
import scipy.spatial.distance
import scipy.stats

import klteach


def best_times(fns, number: int, repeat: int) -> list[float]:
    """Best-of-``repeat`` seconds per call of each function, timed in turn.

    Interleaving the repeats exposes all functions to the same changes in the
    machine's load, so their ratio is fair on a shared machine too.
    """
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], timeit.timeit(fn, number=number, timer=time.process_time) / number)
    return best


def speed_table(rng) -> None:
    print("Speed: klteach vs scipy on random p, q (CPU time per call, best of 7 interleaved repeats)")
    print(f"{'function':>14} {'size':>11} {'scipy':>12} {'klteach':>12} {'ratio':>7} {'target':>7}")
    kl_scipy = scipy.stats.entropy
    js_scipy = lambda p, q, axis=-1: scipy.spatial.distance.jensenshannon(p, q, axis=axis) ** 2  # noqa: E731
    cases = [("kl_divergence", kl_scipy, klteach.kl_divergence, (100,), 2000, 0.5),
             ("kl_divergence", kl_scipy, klteach.kl_divergence, (10**6,), 10, 1.0),
             ("kl_divergence", kl_scipy, klteach.kl_divergence, (1000, 1000), 5, 1.0)]
    for shape, number in [((10,), 2000), ((30,), 2000), ((31,), 2000), ((70,), 2000), ((71,), 2000),
                          ((100,), 2000), ((200,), 2000), ((500,), 1000), ((2048,), 500),
                          ((2049,), 500), ((10**4,), 200), ((15000,), 100), ((15001,), 100), ((15360,), 100),
                          ((15361,), 100), ((10**6,), 5),
                          ((1000, 1000), 5)]:
        cases.append(("js_divergence", js_scipy, klteach.js_divergence, shape, number, 1.0))
    for name, theirs, ours, shape, number, target in cases:
        p = klteach.normalize(rng.random(shape))
        q = klteach.normalize(rng.random(shape))
        t_scipy, t_kl = best_times([lambda: theirs(p, q, axis=-1), lambda: ours(p, q)], number, 7)
        ratio = t_kl / t_scipy
        flag = "ok" if ratio <= target else "MISSED"
        size = " x ".join(map(str, shape)) if len(shape) > 1 else f"n = {shape[0]}"
        print(f"{name:>14} {size:>11} {_fmt(t_scipy):>12} {_fmt(t_kl):>12} {ratio:>7.2f} "
              f"{'<=' + str(target):>7} {flag}")


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


def reference_kl(p, q, dps: int = 80) -> float:
    """D(P||Q) in nats with mpmath at ``dps`` digits, on exactly normalised p and q."""
    with mpmath.workdps(dps):
        pm = [mpmath.mpf(float(x)) for x in p]
        qm = [mpmath.mpf(float(x)) for x in q]
        sp, sq = mpmath.fsum(pm), mpmath.fsum(qm)
        return float(mpmath.fsum(a / sp * mpmath.log((a / sp) / (b / sq))
                                 for a, b in zip(pm, qm) if a > 0))


def near_identical_pair(rng, n: int, target_kl: float):
    """p random, q = p perturbed so that D(P||Q) is close to ``target_kl``."""
    p = klteach.normalize(rng.random(n) + 0.1)
    z = rng.standard_normal(n)
    z -= np.dot(p, z)                           # keep sum(p * exp(eps z)) near 1
    scale = np.sqrt(2 * target_kl / np.dot(p, z * z))
    q = klteach.normalize(p * np.exp(scale * z))
    return p, q


def accuracy_table(rng, n: int) -> None:
    print(f"\nAccuracy on nearly identical P and Q (n = {n}), relative error vs mpmath (80 digits)")
    print(f"{'KL (nats)':>10} {'klteach':>10} {'scipy':>10} {'CE - H':>10}")
    for target in [1e-3, 1e-6, 1e-9, 1e-12, 1e-15, 1e-17]:
        p, q = near_identical_pair(rng, n, target)
        ref = reference_kl(p, q)
        ours = klteach.kl_divergence(p, q)
        theirs = float(scipy.stats.entropy(p, q))
        naive = klteach.cross_entropy(p, q) - klteach.entropy(p)
        errs = [abs(v - ref) / ref for v in (ours, theirs, naive)]
        print(f"{ref:>10.2e} " + " ".join(f"{e:>10.1e}" for e in errs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    speed_table(np.random.default_rng(args.seed))
    rng = np.random.default_rng(args.seed)      # the accuracy inputs do not depend on the speed cases
    for n in (10, 1000):
        accuracy_table(rng, n)


if __name__ == "__main__":
    main()
