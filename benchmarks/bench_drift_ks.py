"""drift_test (the KL permutation test, its exact fast null) against the tools practitioners use.

Run with ``make bench`` (or ``python benchmarks/bench_drift_ks.py``); about 80 s of
CPU time (longer on a busy machine).

1. Calibration: false-alarm rate at alpha = 0.05 of drift_test's default test
   (10 quantile bins re-learned per shuffle, D(ref||cur), pseudo-count 0.5,
   1,000 permutations; the null drawn exactly by klteach/drift/_null.py), at
   n = m = 25, 100, 1,000 and 10,000, with a 95% Clopper-Pearson interval.
   The target is a rate within 0.04-0.06. (bench_drift.py measures power,
   the counts-only test on learned bins, point masses and the speed against
   scipy.stats.permutation_test; this is the one calibration table.)
2. Speed at n = m = 10,000 with those default settings, against
   scipy.stats.ks_2samp on the same data in the same run (target: at most
   10 times its time). The direct path (every shuffled reference sorted and
   binned), which drift_test takes for ties, is timed once too.
3. Side by side on identical seeded data: false-alarm rate and power of the
   KL permutation test, two-sample KS, fixed thresholds (PSI >= 0.1 and
   >= 0.25, KL >= 0.1, JS distance >= 0.1) and the normalised Wasserstein
   distance >= 0.1 sd (klteach.drift.standard_rules and standard_scenarios).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.stats

from klteach import drift
from klteach.drift import permutation


def calibration(trials: int, rng) -> None:
    print(f"1. False-alarm rate of drift_test, defaults (no drift, {trials} trials per size, "
          f"1000 permutations, alpha = 0.05)")
    print(f"{'n = m':>7} {'rate':>7} {'95% Clopper-Pearson':>22}  target 0.04-0.06")
    for n in (25, 100, 1000, 10_000):
        hits = sum(drift.drift_test(rng.normal(size=n), rng.normal(size=n), seed=rng).pvalue <= 0.05
                   for _ in range(trials))
        ci = scipy.stats.binomtest(hits, trials).proportion_ci(0.95, method="exact")
        flag = "ok" if 0.04 <= hits / trials <= 0.06 else "OUT OF 0.04-0.06"
        print(f"{n:>7} {hits / trials:>7.3f}   [{ci.low:.3f}, {ci.high:.3f}]{'':>7}  {flag}")


def speed(rng, repeats: int) -> None:
    ref, cur = rng.normal(size=10_000), rng.normal(0.02, 1, size=10_000)
    fast, ks = [], []
    for i in range(repeats):           # interleaved, so both see the same machine load
        t0 = time.perf_counter()
        p_fast = drift.drift_test(ref, cur, seed=i).pvalue
        fast.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        p_ks = scipy.stats.ks_2samp(ref, cur).pvalue
        ks.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    # The direct path on the same data: what drift_test does when values are tied.
    p_direct = permutation._pvalue(*permutation._relearned_test(
        ref, cur, "quantile", 10, "kl", 0.5, 1000, np.random.default_rng(1), None))
    t_direct = time.perf_counter() - t0
    t_fast, t_ks = np.median(fast), np.median(ks)
    print(f"\n2. Speed at n = m = 10,000, default settings (1000 permutations), median of {repeats}")
    print(f"  drift_test (fast exact null):         {1e3 * t_fast:8.1f} ms   p = {p_fast:.3f}")
    print(f"  scipy.stats.ks_2samp:                 {1e3 * t_ks:8.1f} ms   p = {p_ks:.3f}")
    print(f"  direct permutations (sort each):      {1e3 * t_direct:8.1f} ms   p = {p_direct:.3f}"
          f"   (one run)")
    ratio = t_fast / t_ks
    print(f"  ratio fast / ks_2samp: {ratio:.1f}  ({'ok' if ratio <= 10 else 'ABOVE'} target 10); "
          f"speed-up over the direct path: {t_direct / t_fast:.0f}x")


def comparison(trials: int, seed: int) -> None:
    print(f"\n3. Side by side, identical seeded data, {trials} trials per cell, alpha = 0.05 "
          f"(KL permutation test with 199 permutations)")
    t0, c0 = time.perf_counter(), time.process_time()
    table = drift.rejection_rates(drift.standard_rules(n_permutations=199), drift.standard_scenarios(),
                               (25, 100, 1000, 10_000), trials, seed=seed)
    print(table)
    print(f"  ({time.perf_counter() - t0:.0f} s, {time.process_time() - c0:.0f} s of CPU)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibration-trials", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=300, help="trials per cell of the comparison")
    parser.add_argument("--repeats", type=int, default=30, help="timing repeats")
    args = parser.parse_args()
    rng = np.random.default_rng(18)
    calibration(args.calibration_trials, rng)
    speed(rng, args.repeats)
    comparison(args.trials, seed=18)
