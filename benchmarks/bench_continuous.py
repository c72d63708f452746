"""Speed and accuracy of klteach's Gaussian, integral and sample-based KL.

Run with ``make bench`` (or ``python benchmarks/bench_continuous.py``). Every
peer is timed in this same run, on the same inputs, so the ratios are
meaningful on any machine; klteach's times include its input validation.

* ``mvn_kl`` at d = 500 against the textbook formula with ``np.linalg.inv``
  and ``np.linalg.det``, and against a careful numpy version
  (``np.linalg.solve`` and ``slogdet``); accuracy against mpmath (60 digits)
  at d = 8 with condition numbers up to 1e8.
* ``knn_kl`` at n = 10**5 in 2-D; its peer, the same estimator from
  brute-force distance matrices (``scipy.spatial.distance.cdist``), is timed
  at n = 10**4, where it still fits in memory. Accuracy: repeated estimates
  against the closed form.
* ``continuous_kl`` against a single ``scipy.integrate.quad`` of
  ``p log(p/q)`` over the real line.
"""

from __future__ import annotations

import os

# Single-threaded BLAS, set before numpy loads: the timings then compare
# algorithms rather than thread scheduling on a busy machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import math  # noqa: E402
import timeit  # noqa: E402
import warnings  # noqa: E402

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import scipy.integrate  # noqa: E402
import scipy.spatial.distance  # noqa: E402
import scipy.stats as st  # noqa: E402

import klteach  # noqa: E402


def best_time(fn, number: int, repeat: int) -> float:
    """Best-of-``repeat`` seconds per call."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def random_covariance(rng, d, condition):
    basis, _ = np.linalg.qr(rng.standard_normal((d, d)))
    cov = (basis * np.logspace(0, -math.log10(condition), d)) @ basis.T
    return (cov + cov.T) / 2


def mvn_kl_inv_det(mean_p, cov_p, mean_q, cov_q):
    """The textbook formula, literally: an explicit inverse and two determinants."""
    inv_q = np.linalg.inv(cov_q)
    diff = mean_q - mean_p
    with np.errstate(divide="ignore", invalid="ignore"):
        return 0.5 * (np.trace(inv_q @ cov_p) + diff @ inv_q @ diff - len(mean_p)
                      + np.log(np.linalg.det(cov_q) / np.linalg.det(cov_p)))


def mvn_kl_slogdet(mean_p, cov_p, mean_q, cov_q):
    """A careful numpy version: linear solves and log-determinants."""
    diff = mean_q - mean_p
    return 0.5 * (np.trace(np.linalg.solve(cov_q, cov_p)) + diff @ np.linalg.solve(cov_q, diff)
                  - len(mean_p) + np.linalg.slogdet(cov_q)[1] - np.linalg.slogdet(cov_p)[1])


def mp_mvn_kl(mean_p, cov_p, mean_q, cov_q, dps=60):
    with mpmath.workdps(dps):
        sp, sq = mpmath.matrix(cov_p.tolist()), mpmath.matrix(cov_q.tolist())
        diff = mpmath.matrix((mean_q - mean_p).tolist())
        inv_q = mpmath.inverse(sq)
        trace = mpmath.fsum((inv_q * sp)[i, i] for i in range(len(mean_p)))
        return float((trace + (diff.T * inv_q * diff)[0, 0] - len(mean_p)
                      + mpmath.log(mpmath.det(sq) / mpmath.det(sp))) / 2)


def nearly_equal(rng, cov_q, mean_q, eps=1e-5):
    """P differs from Q by about ``eps`` in every direction, in Q's own scale."""
    d = len(mean_q)
    chol = np.linalg.cholesky(cov_q)
    b = np.eye(d) + eps * rng.standard_normal((d, d))
    cov_p = chol @ b @ b.T @ chol.T
    return mean_q + eps * chol @ rng.standard_normal(d), (cov_p + cov_p.T) / 2


def mvn_section(rng) -> None:
    d = 500
    cov_q, mean_q = random_covariance(rng, d, 1e4), rng.standard_normal(d)
    cases = {"unrelated": (rng.standard_normal(d), random_covariance(rng, d, 1e4)),
             "nearly equal": nearly_equal(rng, cov_q, mean_q)}
    print(f"mvn_kl, d = {d} (condition numbers 1e4): time per call, and the value")
    for case, (mean_p, cov_p) in cases.items():
        peers = {"klteach.mvn_kl": klteach.mvn_kl, "numpy inv + det": mvn_kl_inv_det,
                 "numpy solve + slogdet": mvn_kl_slogdet}
        times = {name: best_time(lambda f=f: f(mean_p, cov_p, mean_q, cov_q), 3, 5) for name, f in peers.items()}
        print(f"  {case} P and Q:")
        for name, f in peers.items():
            print(f"    {name:<22} {times[name] * 1e3:>8.1f} ms ({times[name] / times['klteach.mvn_kl']:.2f}x klteach)"
                  f"   D = {f(mean_p, cov_p, mean_q, cov_q):.10g}")
    print(f"  (det(cov_q) = {np.linalg.det(cov_q):.3g}: the determinant underflows at this size)")

    print("\nmvn_kl accuracy at d = 8, relative error against mpmath (60 digits), worst of 5 seeds")
    print(f"  {'condition':>9} {'case':>16} {'klteach':>10} {'slogdet':>10} {'inv + det':>10}")
    for condition in [1e2, 1e5, 1e8]:
        for case in ["unrelated", "nearly equal"]:
            worst = np.zeros(3)
            for seed in range(5):
                r = np.random.default_rng(seed)
                cov_q = random_covariance(r, 8, condition)
                mean_q = r.standard_normal(8)
                if case == "unrelated":
                    cov_p, mean_p = random_covariance(r, 8, condition), r.standard_normal(8)
                else:
                    mean_p, cov_p = nearly_equal(r, cov_q, mean_q)
                ref = mp_mvn_kl(mean_p, cov_p, mean_q, cov_q)
                with warnings.catch_warnings():
                    # (mvn_kl warns above correlation condition number 1e8; the table measures it)
                    warnings.simplefilter("ignore", RuntimeWarning)
                    got = [f(mean_p, cov_p, mean_q, cov_q)
                           for f in (klteach.mvn_kl, mvn_kl_slogdet, mvn_kl_inv_det)]
                worst = np.maximum(worst, [abs(g - ref) / ref for g in got])
            print(f"  {condition:>9.0e} {case:>16} " + " ".join(f"{e:>10.1e}" for e in worst))


def knn_brute_force(x, y, k=1, chunk=1000):
    """The same estimator from full distance matrices, in chunks of rows."""
    n, d = x.shape
    rho, nu = np.empty(n), np.empty(n)
    for start in range(0, n, chunk):
        block = x[start:start + chunk]
        dxx = scipy.spatial.distance.cdist(block, x)
        dxx[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf
        rho[start:start + chunk] = np.partition(dxx, k - 1, axis=1)[:, k - 1]
        nu[start:start + chunk] = np.partition(scipy.spatial.distance.cdist(block, y), k - 1, axis=1)[:, k - 1]
    return d * np.mean(np.log(nu / rho)) + math.log(len(y) / (n - 1))


def knn_section(rng) -> None:
    truth = klteach.mvn_kl([0, 0], np.eye(2), [1, 1], 4 * np.eye(2))
    print("\nknn_kl, 2-D, P = N(0, I), Q = N((1, 1), 4I): time per call")
    x, y = rng.normal(0, 1, (10**4, 2)), rng.normal(1, 2, (10**4, 2))
    t_kd = best_time(lambda: klteach.knn_kl(x, y), 3, 3)
    t_bf = best_time(lambda: knn_brute_force(x, y), 1, 3)
    print(f"  n = 10^4: klteach (cKDTree) {t_kd * 1e3:.1f} ms, brute-force cdist {t_bf * 1e3:.0f} ms "
          f"({t_bf / t_kd:.0f}x klteach); same value: {klteach.knn_kl(x, y):.6f} vs {knn_brute_force(x, y):.6f}")
    x, y = rng.normal(0, 1, (10**5, 2)), rng.normal(1, 2, (10**5, 2))
    t_big = best_time(lambda: klteach.knn_kl(x, y), 1, 3)
    print(f"  n = 10^5: klteach {t_big * 1e3:.0f} ms (brute force would need 10^10 distances)")
    print(f"\nknn_kl accuracy: mean and sd of 10 estimates, truth {truth:.4f} nats")
    for n in [2000, 20_000, 100_000]:
        for k in [1, 5]:
            est = [klteach.knn_kl(r.normal(0, 1, (n, 2)), r.normal(1, 2, (n, 2)), k=k)
                   for r in (np.random.default_rng(s) for s in range(10))]
            print(f"  n = {n:>6}, k = {k}: mean {np.mean(est):.4f} (bias {np.mean(est) - truth:+.4f}), "
                  f"sd {np.std(est, ddof=1):.4f}")


def naive_quad_kl(p, q):
    def integrand(x):
        lp = p.logpdf(x)
        return 0.0 if lp == -np.inf else math.exp(lp) * (lp - q.logpdf(x))
    lo, hi = p.support()
    return scipy.integrate.quad(integrand, lo, hi)[0]


def continuous_section() -> None:
    print("\ncontinuous_kl against one scipy.integrate.quad of p log(p/q): relative error, time")
    cases = [
        ("N(0,1) || N(1,2^2)", st.norm(0, 1), st.norm(1, 2), klteach.gaussian_kl(0, 1, 1, 2)),
        ("N(1000,0.01^2) || N(1000.02,0.011^2)", st.norm(1000, 0.01), st.norm(1000.02, 0.011),
         klteach.gaussian_kl(1000, 0.01, 1000.02, 0.011)),
        ("N(0,1) || N(0,1.0001^2)", st.norm(0, 1), st.norm(0, 1.0001), klteach.gaussian_kl(0, 1, 0, 1.0001)),
        ("Gamma(2.5) || Gamma(1.7, scale 1.25)", st.gamma(2.5), st.gamma(1.7, scale=1.25), None),
        # Densities infinite at an endpoint: (a - 1) psi(a) - ln Gamma(a) for Gamma(a) || Exp(1),
        # and the closed form of two Betas (klteach.beta_kl, tested against mpmath).
        ("Gamma(0.1) || Gamma(1)", st.gamma(0.1), st.gamma(1),
         float(-0.9 * mpmath.digamma(0.1) - mpmath.loggamma(0.1))),
        ("Beta(0.05, 0.05) || U(0, 1)", st.beta(0.05, 0.05), st.uniform(), klteach.beta_kl(0.05, 0.05, 1, 1)),
        ("Beta(2, 0.1) || Beta(0.5, 3)", st.beta(2, 0.1), st.beta(0.5, 3), klteach.beta_kl(2, 0.1, 0.5, 3)),
    ]
    for name, p, q, truth in cases:
        if truth is None:   # gamma closed form, shape a and rate b
            a1, b1, a2, b2 = 2.5, 1.0, 1.7, 0.8
            truth = float((a1 - a2) * mpmath.digamma(a1) - mpmath.loggamma(a1) + mpmath.loggamma(a2)
                          + a2 * (mpmath.log(b1) - mpmath.log(b2)) + a1 * (b2 - b1) / b1)
        t_ours = best_time(lambda: klteach.continuous_kl(p, q), 1, 3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_naive = best_time(lambda: naive_quad_kl(p, q), 1, 3)
        err_ours = abs(klteach.continuous_kl(p, q) - truth) / truth
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")     # quad's own convergence warnings
            err_naive = abs(naive_quad_kl(p, q) - truth) / truth
        print(f"  {name:<38} klteach {err_ours:.1e} in {t_ours * 1e3:6.1f} ms; "
              f"one quad {err_naive:.1e} in {t_naive * 1e3:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    mvn_section(rng)
    knn_section(rng)
    continuous_section()


if __name__ == "__main__":
    main()
