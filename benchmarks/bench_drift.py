"""Power, point masses, the counts-only test on learned bins, and speed of klteach.drift.drift_test.

Run with ``make bench`` (or ``python benchmarks/bench_drift.py``).

Power: a 0.25-standard-deviation mean shift with 1,000 values per side should
be detected nearly always, and so should a zero-inflated feature whose
positive part moves (point masses get bins of their own). The counts-only
test on bins learned from the same reference is shown to be liberal. The
false-alarm rate of drift_test from n = 25 to 10,000, next to KS and fixed
thresholds, is in bench_drift_ks.py (one calibration table, not two).

Speed: the same test (10 quantile bins re-learned in each shuffle,
D(ref||cur) with pseudo-count 0.5, 999 shuffles) run by
``scipy.stats.permutation_test`` with klteach's statistic, and by drift_test
(its exact fast null), in this same run; the p-values agree within Monte
Carlo error.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.stats

from klteach import drift


def counts_test_with_learned_edges(trials: int, rng) -> None:
    """drift_test_counts on bins learned from the same reference: not re-learned, so liberal."""
    hits = 0
    for _ in range(trials):
        ref, cur = rng.normal(size=100), rng.normal(size=100)
        edges = drift.bin_edges(ref, 10)
        r = drift.drift_test_counts(drift.bin_counts(ref, edges), drift.bin_counts(cur, edges),
                                    n_permutations=199, seed=rng)
        hits += r.pvalue <= 0.05
    print(f"For contrast, drift_test_counts with edges learned from the same reference, n = m = 100, "
          f"{trials} trials: false-alarm rate {hits / trials:.3f} (liberal; drift_test re-learns the bins)")


def power(trials: int, rng) -> None:
    hits = sum(drift.drift_test(rng.normal(0, 1, 1000), rng.normal(0.25, 1, 1000), n_permutations=199,
                                seed=rng).pvalue <= 0.05 for _ in range(trials))
    print(f"Power, 0.25 sd shift, n = m = 1000, {trials} trials: {hits / trials:.3f}")


def zero_inflated(trials: int, rng) -> None:
    """90% zeros; the positive part moves from U(1, 100) to U(60, 100). The zeros get a bin of
    their own and the positive part quantile bins; the KS test is shown for comparison."""
    def sample(n, low):
        x = np.zeros(n)
        positive = rng.random(n) < 0.1
        x[positive] = rng.uniform(low, 100, positive.sum())
        return x

    hits = ks = alarms = 0
    for _ in range(trials):
        ref, cur, same = sample(2000, 1), sample(2000, 60), sample(2000, 1)
        hits += drift.drift_test(ref, cur, n_permutations=199, seed=rng).pvalue <= 0.05
        ks += scipy.stats.ks_2samp(ref, cur).pvalue <= 0.05
        alarms += drift.drift_test(ref, same, n_permutations=199, seed=rng).pvalue <= 0.05
    print(f"Zero-inflated feature (90% zeros), n = m = 2000, {trials} trials: power {hits / trials:.3f} "
          f"(KS test {ks / trials:.3f}), false-alarm rate without drift {alarms / trials:.3f}")


def speed(rng) -> None:
    ref, cur = rng.normal(size=1000), rng.normal(0.1, 1, size=1000)

    def statistic(r, c):
        edges = drift.bin_edges(r, 10)
        return drift.drift_measures(drift.bin_counts(r, edges), drift.bin_counts(c, edges)).kl_ref_cur

    t0 = time.perf_counter()
    sp = scipy.stats.permutation_test((ref, cur), statistic, permutation_type="independent",
                                      n_resamples=999, vectorized=False, alternative="greater",
                                      random_state=1)
    t_scipy = time.perf_counter() - t0
    t0 = time.perf_counter()
    kt = drift.drift_test(ref, cur, n_permutations=999, seed=1)
    t_kt = time.perf_counter() - t0
    print("Speed, n = m = 1000, 999 shuffles, 10 quantile bins re-learned per shuffle")
    print(f"  scipy.stats.permutation_test: {t_scipy:.3f} s, p = {sp.pvalue:.3f}")
    print(f"  klteach.drift.drift_test:     {t_kt:.3f} s, p = {kt.pvalue:.3f}")
    print(f"  ratio klteach / scipy: {t_kt / t_scipy:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=400)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    counts_test_with_learned_edges(args.trials, rng)
    power(200, rng)
    zero_inflated(50, rng)
    speed(rng)
