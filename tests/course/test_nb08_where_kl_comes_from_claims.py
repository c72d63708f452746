"""Claims made in the prose of notebook 08 (where KL comes from), checked against independent references.

Each test names the notebook section whose sentence it backs. References are mpmath at high
precision, closed forms, brute-force sums written here, or scipy; none calls the function a
claim is about to compute its own expected value.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

import klteach as kt
from klteach import datasets, drift, text


@pytest.fixture(autouse=True)
def forty_digits():
    with mp.workdps(40):
        yield


def mp_kl(p, q):
    return mp.fsum(mp.mpf(float(a)) * mp.log(mp.mpf(float(a)) / mp.mpf(float(b))) for a, b in zip(p, q) if a > 0)


def mp_entropy(p):
    return -mp.fsum(mp.mpf(float(a)) * mp.log(mp.mpf(float(a))) for a in p if a > 0)


# --- section 1: maximum likelihood ------------------------------------------------------------

def notebook_flips():
    return np.random.default_rng(8).binomial(5, 0.35, size=120)     # the notebook's first draw


def test_s1_nll_minus_kl_is_the_empirical_entropy_at_every_theta():
    flips = notebook_flips()
    counts = np.bincount(flips, minlength=6)
    p_emp = [mp.mpf(int(c)) / 120 for c in counts]
    h = -mp.fsum(p * mp.log(p) for p in p_emp if p > 0)
    for theta in ("0.1", "0.3", "0.5", "0.7", "0.9", "0.123"):
        t = mp.mpf(theta)
        pmf = [mp.binomial(5, k) * t**k * (1 - t) ** (5 - k) for k in range(6)]
        nll = -mp.fsum(mp.log(pmf[int(x)]) for x in flips) / 120
        kl = mp.fsum(p * mp.log(p / q) for p, q in zip(p_emp, pmf) if p > 0)
        assert abs(nll - kl - h) < mp.mpf(10) ** -30


def test_s1_both_curves_are_minimised_at_the_mean_over_5():
    flips = notebook_flips()
    theta_hat = mp.mpf(int(flips.sum())) / (5 * 120)

    def nll(t):
        return -mp.fsum(int(x) * mp.log(t) + (5 - int(x)) * mp.log(1 - t) for x in flips) / 120
    assert abs(mp.diff(nll, theta_hat)) < mp.mpf(10) ** -25       # stationary
    assert mp.diff(nll, theta_hat, 2) > 0                           # a minimum


def test_s1_the_maximum_likelihood_gaussian_approaches_the_forward_fit():
    # the forward fit's closed form: the mixture's mean and sd
    mean = 0.6 * -3 + 0.4 * 3
    sd = math.sqrt(0.6 * (1 + 9) + 0.4 * (1 + 9) - mean**2)
    fit = kt.moment_match([0.6, 0.4], [-3.0, 3.0], [1.0, 1.0])
    assert (fit.mean, fit.sd) == pytest.approx((mean, sd), rel=1e-12)
    rng = np.random.default_rng(0)
    comp = rng.choice(2, size=20_000, p=[0.6, 0.4])
    sample = rng.normal(np.array([-3.0, 3.0])[comp], 1.0)
    ml_mean, ml_sd = stats.norm.fit(sample)
    assert (ml_mean, ml_sd) == pytest.approx((sample.mean(), sample.std()), rel=1e-9)   # ML = sample moments
    assert abs(ml_mean - mean) < 0.1 and abs(ml_sd - sd) < 0.05


# --- section 2: chain rule, joint convexity, data processing ----------------------------------

P_XY = np.array([[0.30, 0.25, 0.15], [0.05, 0.10, 0.15]])
Q_XY = np.array([[0.20, 0.20, 0.20], [0.10, 0.10, 0.20]])


def test_s2_chain_rule_on_the_notebooks_table():
    joint = mp_kl(P_XY.ravel(), Q_XY.ravel())
    px, qx = P_XY.sum(axis=1), Q_XY.sum(axis=1)
    marginal = mp_kl(px, qx)
    cond = mp.fsum(mp.mpf(float(px[x])) * mp_kl(P_XY[x] / px[x], Q_XY[x] / qx[x]) for x in range(2))
    assert abs(joint - marginal - cond) < mp.mpf(10) ** -15
    assert marginal > 0.01                          # the example's marginals differ, so both terms show


@pytest.mark.slow
def test_s2_joint_convexity_on_random_quadruples():
    rng = np.random.default_rng(5)
    for _ in range(500):
        p1, q1, p2, q2 = (rng.dirichlet(np.ones(4)) for _ in range(4))
        lam = rng.uniform()
        lhs = mp_kl(lam * p1 + (1 - lam) * p2, lam * q1 + (1 - lam) * q2)
        rhs = lam * mp_kl(p1, q1) + (1 - lam) * mp_kl(p2, q2)
        assert lhs <= rhs + mp.mpf(10) ** -14


def gdp_distributions():
    macro = datasets.us_macro()
    growth = 400 * np.diff(np.log(macro["realgdp"]))
    year = macro["year"][1:]
    before, after = growth[year < 1984], growth[year >= 1984]
    edges = drift.bin_edges(before, 20)
    p = drift.bin_counts(before, edges) + 0.5
    q = drift.bin_counts(after, edges) + 0.5
    return p / p.sum(), q / q.sum(), before, after


def merged(p, groups):
    out = np.zeros(max(groups) + 1)
    np.add.at(out, groups, p)
    return out


def test_s2_merging_the_gdp_bins_never_increases_kl():
    p, q, _, _ = gdp_distributions()
    inner = np.arange(20)
    merges = [np.r_[0, inner + 1, 21], np.r_[0, inner // 2, 9], np.r_[0, inner // 4, 4],
              np.r_[0, np.where(inner // 4 < 2, 0, 1), 1]]
    values = [mp_kl(merged(p, g), merged(q, g)) for g in merges]
    assert all(b < a for a, b in zip(values, values[1:])), values
    # each step merges the bins of the step before: the new group is a function of the old one
    for old, new in zip(merges, merges[1:]):
        assert all(len(set(new[old == g])) == 1 for g in set(old))
    # random groupings: never above the 22-bin value
    rng = np.random.default_rng(3)
    for _ in range(300):
        g = rng.integers(0, int(rng.integers(2, 13)), size=22)
        assert mp_kl(merged(p, g), merged(q, g)) <= values[0] + mp.mpf(10) ** -15


def test_s2_two_bins_barely_differ_while_the_spread_shrank_more_than_the_mean():
    p, q, before, after = gdp_distributions()
    low = np.r_[0, np.where(np.arange(20) // 4 < 2, 0, 1), 1] == 0
    assert abs(p[low].sum() - q[low].sum()) < 0.05
    assert after.std() / before.std() < after.mean() / before.mean() - 0.2


# --- section 3: mutual information ------------------------------------------------------------

@pytest.mark.slow
def test_s3_mutual_information_of_neighbouring_characters_and_its_shuffled_bias():
    novel = text.clean_text(datasets.pride_and_prejudice())
    pairs = text.pair_counts(novel).astype(float)
    n = pairs.sum()
    px, py = pairs.sum(axis=1) / n, pairs.sum(axis=0) / n
    mi = sum(c / n * math.log2((c / n) / (px[i] * py[j])) for (i, j), c in np.ndenumerate(pairs) if c)
    identity = (float(mp_entropy(px)) + float(mp_entropy(py)) - float(mp_entropy((pairs / n).ravel()))) / math.log(2)
    assert mi == pytest.approx(identity, rel=1e-10)
    shuffled = "".join(np.random.default_rng(1).permutation(list(novel)))
    sp = text.pair_counts(shuffled).astype(float)
    spx, spy = sp.sum(axis=1) / n, sp.sum(axis=0) / n
    mi_shuffled = sum(c / n * math.log2((c / n) / (spx[i] * spy[j])) for (i, j), c in np.ndenumerate(sp) if c)
    k = np.count_nonzero(px)
    approx = (k - 1) ** 2 / (2 * n) / math.log(2)
    assert abs(mi_shuffled / approx - 1) < 0.15            # "of the size the approximation predicts"
    assert mi > 100 * mi_shuffled                            # "far below the real text's"


@pytest.mark.slow
def test_s3_expected_information_gain_is_the_mutual_information():
    n = 10
    # E_s D(Beta(1+s, 1+n-s) || Beta(1, 1)) = E_s of the posterior's negative differential entropy, by quadrature
    gain = mp.mpf(0)
    for s in range(n + 1):
        a, b = 1 + s, 1 + n - s
        logc = mp.log(mp.beta(a, b))
        f = lambda t, a=a, b=b, logc=logc: mp.exp((a - 1) * mp.log(t) + (b - 1) * mp.log(1 - t) - logc) * (
            (a - 1) * mp.log(t) + (b - 1) * mp.log(1 - t) - logc)
        gain += mp.quad(f, [0, 0.5, 1]) / (n + 1)
    # I(theta; S) = H(S) - E_theta H(Binomial(n, theta)), by quadrature
    def h_binom(t):
        pm = [mp.binomial(n, k) * t**k * (1 - t) ** (n - k) for k in range(n + 1)]
        return -mp.fsum(x * mp.log(x) for x in pm if x > 0)
    mi = mp.log(n + 1) - mp.quad(h_binom, [0, 0.5, 1])
    assert abs(gain - mi) < mp.mpf(10) ** -12
    assert float(gain / mp.log(2)) == pytest.approx(
        float(np.mean(kt.beta_bernoulli_information_gain(np.arange(n + 1), n - np.arange(n + 1)))), rel=1e-9)


# --- section 4: f-divergences and Rényi -------------------------------------------------------

def letters():
    return datasets.letter_frequencies("english")[1], datasets.letter_frequencies("german")[1]


def test_s4_the_generic_formula_matches_each_divergence_on_the_letters():
    p, q = letters()
    assert np.all(q > 0)
    pm, qm = [mp.mpf(float(x)) for x in p], [mp.mpf(float(x)) for x in q]
    m = [(a + b) / 2 for a, b in zip(pm, qm)]
    references = {
        "kl": mp.fsum(a * mp.log(a / b) for a, b in zip(pm, qm) if a > 0),
        "reverse_kl": mp.fsum(b * mp.log(b / a) for a, b in zip(pm, qm) if b > 0),
        "chi2": mp.fsum((a - b) ** 2 / b for a, b in zip(pm, qm)),
        "squared_hellinger": 1 - mp.fsum(mp.sqrt(a * b) for a, b in zip(pm, qm)),
        "tv": mp.fsum(abs(a - b) for a, b in zip(pm, qm)) / 2,
        "js": (mp.fsum(a * mp.log(a / c) for a, c in zip(pm, m) if a > 0)
               + mp.fsum(b * mp.log(b / c) for b, c in zip(qm, m) if b > 0)) / 2,
        "jeffreys": mp.fsum((a - b) * mp.log(a / b) for a, b in zip(pm, qm)),
    }
    for name, ref in references.items():
        assert kt.f_divergence(p, q, name) == pytest.approx(float(ref), rel=1e-10), name
    unhalved = mp.fsum((mp.sqrt(a) - mp.sqrt(b)) ** 2 for a, b in zip(pm, qm))
    assert float(unhalved) == pytest.approx(2 * float(references["squared_hellinger"]), rel=1e-12)


@pytest.mark.slow
def test_s4_renyi_curve_of_the_letters_as_the_figure_describes_it():
    p, q = letters()

    def d(alpha):
        a = mp.mpf(alpha)
        return mp.log(mp.fsum(mp.mpf(float(x)) ** a * mp.mpf(float(y)) ** (1 - a) for x, y in zip(p, q))) / (a - 1)
    grid = [d(a) for a in np.linspace(0.05, 10, 200) if abs(a - 1) > 1e-9]
    assert all(b >= a for a, b in zip(grid, grid[1:]))                   # non-decreasing
    assert kt.renyi_divergence(p, q, 0) == 0.0          # P (English) positive on every letter: no Q mass outside supp P
    slope_low, slope_mid, slope_high = (d(2) - d("1e-30")) / 2, (d(5) - d(2)) / 3, (d(10) - d(5)) / 5
    assert slope_mid > 2 * slope_low and slope_mid > 2 * slope_high       # "much faster between 2 and 5"
    assert d(10) < math.log(max(p / q))                                  # "still below it at alpha = 10"
    assert abs(d("0.5") + 2 * mp.log(mp.fsum(mp.sqrt(mp.mpf(float(x)) * mp.mpf(float(y)))
                                             for x, y in zip(p, q)))) < mp.mpf(10) ** -30


def test_s4_kl_below_log_one_plus_chi_square_by_jensen():
    rng = np.random.default_rng(2)
    for _ in range(300):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        chi2 = mp.fsum((mp.mpf(float(a)) - mp.mpf(float(b))) ** 2 / mp.mpf(float(b)) for a, b in zip(p, q))
        assert mp_kl(p, q) <= mp.log(1 + chi2)


# --- claims added with the equality case, the continuous case, the bias and the new bounds --------

@pytest.mark.slow
def test_s1_continuous_data_have_infinite_kl_from_the_empirical_distribution_but_the_nll_tends_to_the_cross_entropy():
    """Point masses against a density: D(P_hat||Q) = inf; the average NLL tends to h(P) + D(P||Q) (law of large numbers)."""
    w, mu = [0.6, 0.4], [-3.0, 3.0]

    def density(x):
        return sum(wi * mp.npdf(x, m, 1) for wi, m in zip(w, mu))
    rng = np.random.default_rng(8)
    rng.binomial(5, 0.35, size=120)                                  # the notebook's first draw
    comp = rng.choice(2, size=20_000, p=w)
    sample = rng.normal(np.array(mu)[comp], 1.0)
    m_, s_ = sample.mean(), sample.std()                             # the maximum-likelihood Gaussian
    nll = -np.mean(stats.norm.logpdf(sample, m_, s_))
    cross = mp.quad(lambda x: -density(x) * mp.log(mp.npdf(x, m_, s_)), [-mp.inf, -3, 0, 3, mp.inf])
    h = -mp.quad(lambda x: density(x) * mp.log(density(x)), [-mp.inf, -3, 0, 3, mp.inf])
    kl = mp.quad(lambda x: density(x) * mp.log(density(x) / mp.npdf(x, m_, s_)), [-mp.inf, -3, 0, 3, mp.inf])
    assert abs(cross - (h + kl)) < mp.mpf(10) ** -20
    assert abs(nll - float(cross)) < 0.01                            # "close to the cross-entropy"
    assert f"{float(cross):.4f}" == "2.5519" and f"{nll:.4f}" == "2.5493"


def test_s2_merging_bins_with_the_same_ratio_loses_nothing():
    p, q = [mp.mpf("0.1"), mp.mpf("0.2"), mp.mpf("0.7")], [mp.mpf("0.05"), mp.mpf("0.1"), mp.mpf("0.85")]
    before = mp.fsum(a * mp.log(a / b) for a, b in zip(p, q))
    after = (p[0] + p[1]) * mp.log((p[0] + p[1]) / (q[0] + q[1])) + p[2] * mp.log(p[2] / q[2])
    assert abs(before - after) < mp.mpf(10) ** -35 and mp.nstr(before, 6) == "0.0720349"
    # and a merge of bins with different ratios does lose: bins 2 and 3
    lost = p[0] * mp.log(p[0] / q[0]) + (p[1] + p[2]) * mp.log((p[1] + p[2]) / (q[1] + q[2]))
    assert lost < before


def test_s2_random_groupings_often_leave_groups_empty_so_the_figure_counts_the_used_ones():
    rng = np.random.default_rng(4)
    asked = rng.integers(2, 13, size=4000)
    used = np.array([len(np.unique(rng.integers(0, k, size=22))) for k in asked])
    assert np.all(used <= asked)
    assert 0.25 < np.mean(used < asked) < 0.5               # about a third: "requested" would misplace them


def test_s3_the_text_is_the_first_20_chapters_and_its_first_order_bias_is_small():
    raw = datasets.pride_and_prejudice()
    import re
    chapters = re.findall(r"(?im)^chapter\s+(\d+)", raw)
    assert chapters == [str(i) for i in range(1, 21)]
    novel = text.clean_text(raw)
    pairs = text.pair_counts(novel)
    n = pairs.sum()
    b, kx, ky = np.count_nonzero(pairs), np.count_nonzero(pairs.sum(axis=1)), np.count_nonzero(pairs.sum(axis=0))
    bias = (b - kx - ky + 1) / (2 * n) / math.log(2)
    shuffled_bias = (kx - 1) ** 2 / (2 * n) / math.log(2)
    assert round(bias, 4) == 0.0019 and bias < shuffled_bias                  # "smaller still"
    px, py = pairs.sum(axis=1) / n, pairs.sum(axis=0) / n
    mi = sum(c / n * math.log2((c / n) / (px[i] * py[j])) for (i, j), c in np.ndenumerate(pairs) if c)
    hy = -sum(v * math.log2(v) for v in py if v > 0)
    assert bias < 0.01 * mi                                                      # "nearly all of it is dependence"
    assert 0.18 < mi / hy < 0.22                                                 # "about a fifth"


@pytest.mark.slow
def test_s4_bretagnolle_huber_where_pinsker_says_nothing_and_the_hellinger_bound_of_kl():
    rng = np.random.default_rng(5)
    beyond = 0
    for _ in range(400):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        pm, qm = [mp.mpf(float(x)) for x in p], [mp.mpf(float(x)) for x in q]
        kl = mp_kl(p, q)
        tv = mp.fsum(abs(a - b) for a, b in zip(pm, qm)) / 2
        bc = mp.fsum(mp.sqrt(a * b) for a, b in zip(pm, qm))                # 1 - Hel^2
        assert tv <= mp.sqrt(1 - mp.exp(-kl)) < 1
        assert kl >= -2 * mp.log(bc) >= 2 * (1 - bc)
        assert tv ** 2 <= 1 - bc ** 2 <= 1 - mp.exp(-kl)                     # the two-step derivation
        beyond += kl > 2
    assert beyond > 0                                                         # Pinsker's bound > 1 there


def test_s4_renyi_order_zero_is_q_mass_outside_p_support_not_a_property_of_q_alone():
    """D_0 = -log Q(supp P): positive when Q, though positive everywhere, has mass where P has none."""
    p, q = [0.9, 0.1, 0.0], [0.5, 0.25, 0.25]
    assert kt.renyi_divergence(p, q, 0) == pytest.approx(float(-mp.log(mp.mpf("0.75"))), rel=1e-14)   # 0.2877
    p2, q2 = [0.5, 0.5, 0.0], [0.2, 0.3, 0.5]
    assert kt.renyi_divergence(p2, q2, 0) == pytest.approx(math.log(2), rel=1e-14)


# --- more claims of sections 1-4 -------------------------------------------------

def test_s1_a_classifier_minimises_the_conditional_kl_of_the_labels():
    """Cross-entropy of a classifier Q(y|x) on data = H(Y|X) of the data + E_{P_X} D(P_{Y|X} || Q(.|X))."""
    rng = np.random.default_rng(0)
    joint = [[mp.mpf(float(v)) for v in row] for row in rng.dirichlet(np.ones(12)).reshape(4, 3)]
    model = [[mp.mpf(float(v)) for v in row] for row in rng.dirichlet(np.ones(3), size=4)]
    px = [mp.fsum(row) for row in joint]
    cross = -mp.fsum(joint[x][y] * mp.log(model[x][y]) for x in range(4) for y in range(3))
    h_cond = -mp.fsum(joint[x][y] * mp.log(joint[x][y] / px[x]) for x in range(4) for y in range(3))
    cond_kl = mp.fsum(px[x] * mp.fsum((v / px[x]) * mp.log(v / px[x] / m) for v, m in zip(joint[x], model[x]))
                      for x in range(4))
    assert abs(cross - h_cond - cond_kl) < mp.mpf(10) ** -30


def _reverse_kl_gaussian_mixture(mu, sigma):
    from scipy import integrate
    w, m, s = np.array([0.6, 0.4]), np.array([-3.0, 3.0]), np.array([1.0, 1.0])
    log_p = lambda x: np.log(w @ stats.norm.pdf(x, m, s))                         # noqa: E731
    value, _ = integrate.quad(lambda x: stats.norm.pdf(x, mu, sigma) * (stats.norm.logpdf(x, mu, sigma) - log_p(x)),
                              mu - 14 * sigma, mu + 14 * sigma, limit=200, epsabs=1e-13, epsrel=1e-12)
    return value


@pytest.mark.slow
@pytest.mark.parametrize("mu, sigma, d", [(-2.988, 1.019, 0.5074), (2.980, 1.029, 0.9107)])
def test_s2_reverse_fit_over_gaussians_has_a_local_minimum_on_each_mode(mu, sigma, d):
    """Printed by the notebook: mu = -2.988, sigma = 1.019, D = 0.5074 and mu = +2.980, sigma = 1.029, D = 0.9107.
    Checked by quadrature: each point is (to the printed figures) lower than every neighbour."""
    from scipy import optimize
    fit = optimize.minimize(lambda v: _reverse_kl_gaussian_mixture(v[0], math.exp(v[1])), [mu, math.log(sigma)],
                            method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-12})
    assert round(fit.x[0], 3) == mu and round(math.exp(fit.x[1]), 3) == sigma and round(fit.fun, 4) == d
    for dm, ds in ((0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)):
        assert _reverse_kl_gaussian_mixture(fit.x[0] + dm, math.exp(fit.x[1] + ds)) > fit.fun


def test_s2_log_sum_inequality_gives_joint_convexity_and_the_equality_condition_of_merging():
    rng = np.random.default_rng(3)
    for _ in range(200):
        a = [mp.mpf(float(v)) for v in rng.uniform(0, 1, size=4)]
        b = [mp.mpf(float(v)) for v in rng.uniform(0.01, 1, size=4)]
        lhs = mp.fsum(x * mp.log(x / y) for x, y in zip(a, b))
        rhs = mp.fsum(a) * mp.log(mp.fsum(a) / mp.fsum(b))
        assert lhs > rhs                                                  # unequal ratios: strict
        c = mp.mpf(float(rng.uniform(0.1, 3)))
        same = [c * y for y in b]                                         # equal ratios: equality
        assert abs(mp.fsum(x * mp.log(x / y) for x, y in zip(same, b))
                   - mp.fsum(same) * mp.log(mp.fsum(same) / mp.fsum(b))) < mp.mpf(10) ** -30
    # a grouping with p/q constant within each group (p/q = a function of the group) loses nothing
    q = rng.dirichlet(np.ones(9))
    groups = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    ratio_of_group = np.array([0.5, 1.7, 1.0])
    p = q * ratio_of_group[groups]
    p = p / p.sum()
    pm, qm = [mp.fsum(mp.mpf(float(v)) for v in p[groups == g]) for g in range(3)], \
             [mp.fsum(mp.mpf(float(v)) for v in q[groups == g]) for g in range(3)]
    assert abs(mp_kl(p, q) - mp.fsum(x * mp.log(x / y) for x, y in zip(pm, qm))) < mp.mpf(10) ** -14


def test_s3_mutual_information_is_symmetric_bounded_and_cannot_grow_under_processing():
    novel = text.clean_text(datasets.pride_and_prejudice())
    pairs = text.pair_counts(novel).astype(float)
    joint = pairs / pairs.sum()
    px, py = joint.sum(axis=1), joint.sum(axis=0)

    def mi(j):                                          # brute force, in bits
        a, b = j.sum(axis=1), j.sum(axis=0)
        return sum(v * math.log2(v / (a[i] * b[k])) for (i, k), v in np.ndenumerate(j) if v > 0)
    assert mi(joint) == pytest.approx(mi(joint.T), rel=1e-12)
    assert mi(joint) < min(stats.entropy(px, base=2), stats.entropy(py, base=2))
    cls = np.array([0 if c in "aeiou" else 1 if c.isalpha() else 2 for c in text.ALPHABET])
    jz = np.stack([joint[:, cls == z].sum(axis=1) for z in range(3)], axis=1)
    assert 0 < mi(jz) < mi(joint)
    assert round(mi(jz), 4) == 0.3851 and round(mi(joint), 4) == 0.8555           # printed in the notebook


def test_s3_the_real_text_bias_formula_reduces_to_the_independent_one():
    for k in range(2, 40):
        assert (k * k - k - k + 1) == (k - 1) ** 2         # B = K^2, K_X = K_Y = K


def test_s4_adding_c_times_t_minus_1_to_f_changes_nothing():
    _, english = datasets.letter_frequencies("english")
    _, german = datasets.letter_frequencies("german")
    p, q = [mp.mpf(float(v)) for v in english], [mp.mpf(float(v)) for v in german]
    sp, sq = mp.fsum(p), mp.fsum(q)
    p, q = [v / sp for v in p], [v / sq for v in q]
    kl = mp.fsum(a * mp.log(a / b) for a, b in zip(p, q))
    for c in (-1, 2, mp.mpf("0.3")):
        shifted = mp.fsum(b * ((a / b) * mp.log(a / b) + c * (a / b - 1)) for a, b in zip(p, q))
        assert abs(shifted - kl) < mp.mpf(10) ** -30
    t = np.linspace(1e-6, 50, 2001)
    assert np.all(t * np.log(t) - t + 1 >= 0)


def test_s4_renyi_below_order_one_is_finite_where_kl_is_infinite():
    # p = (1/2, 1/2), q = (1, 0): sum p^a q^(1-a) = (1/2)^a, so D_a = a log 2 / (1 - a) for a < 1, inf for a >= 1
    for a in ("0.1", "0.5", "0.9"):
        a = mp.mpf(a)
        closed = a * mp.log(2) / (1 - a)
        assert kt.renyi_divergence([0.5, 0.5], [1.0, 0.0], float(a)) == pytest.approx(float(closed), rel=1e-13)
    assert float(mp.mpf("0.5") * mp.log(2) / mp.mpf("0.5")) == pytest.approx(math.log(2))      # D_1/2 = log 2
    assert math.isinf(kt.renyi_divergence([0.5, 0.5], [1.0, 0.0], 2))
    assert math.isinf(kt.kl_divergence([0.5, 0.5], [1.0, 0.0]))


# --- sections 2-4: the reverse fit's minima, convexity in natural parameters, more f-divergence facts ---

@pytest.mark.slow
def test_s2_the_reverse_fit_minimum_on_the_minus_3_mode_is_global_and_the_other_local():
    """'the minimum at +2.980 (D = 0.9107) is local only; the one at -2.988 (D = 0.5074) is the global one':
    a brute-force grid over mu in [-8, 8] and sigma in [0.2, 8] (quadrature) finds nothing below 0.5074."""
    mus = np.linspace(-8, 8, 33)
    sigmas = np.exp(np.linspace(math.log(0.2), math.log(8.0), 13))
    best = min(_reverse_kl_gaussian_mixture(m, s) for m in mus for s in sigmas)
    assert best > 0.5074 - 5e-3 and best < 0.9107
    assert 0.9107 > 0.5074


def _forward_kl_natural(eta1, eta2):
    """D(P || N) for P notebook 04's mixture, the Gaussian given by natural parameters (eta1, eta2 < 0):
    mu = -eta1 / (2 eta2), sigma^2 = -1 / (2 eta2); closed form from the mixture's first two moments."""
    w, m, s = np.array([0.6, 0.4]), np.array([-3.0, 3.0]), np.array([1.0, 1.0])
    eta1, eta2 = mp.mpf(eta1), mp.mpf(eta2)
    mu, var = -eta1 / (2 * eta2), -1 / (2 * eta2)
    e_x, e_x2 = mp.mpf(float(w @ m)), mp.mpf(float(w @ (s ** 2 + m ** 2)))
    cross = mp.log(2 * mp.pi * var) / 2 + (e_x2 - 2 * mu * e_x + mu ** 2) / (2 * var)    # -E_P log q
    return cross          # + const (-h(P)): the Hessian is that of D


def _reverse_kl_natural(eta1, eta2):
    return _reverse_kl_gaussian_mixture(-eta1 / (2 * eta2), math.sqrt(-1 / (2 * eta2)))


@pytest.mark.slow
def test_s2_forward_kl_is_convex_in_the_natural_parameters_and_reverse_kl_is_not():
    """'D(P||Q_eta) is convex in the natural parameters (an exponential family); D(Q_eta||P) is not':
    the forward objective's finite-difference Hessian is positive definite on a grid; the reverse objective
    lies above its chord midway between its two local minima."""
    h = mp.mpf("1e-12")
    for eta2 in np.linspace(-2.0, -0.02, 12):
        for eta1 in np.linspace(-3.0, 3.0, 13):
            f = lambda a, b: _forward_kl_natural(eta1 + a, eta2 + b)       # noqa: E731
            f11 = (f(h, 0) - 2 * f(0, 0) + f(-h, 0)) / h ** 2
            f22 = (f(0, h) - 2 * f(0, 0) + f(0, -h)) / h ** 2
            f12 = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h ** 2)
            assert f11 > 0 and f11 * f22 - f12 ** 2 > 0, (eta1, eta2)
    nat = lambda mu, sigma: (mu / sigma ** 2, -1 / (2 * sigma ** 2))      # noqa: E731
    a, b = nat(-2.988, 1.019), nat(2.980, 1.029)
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    assert _reverse_kl_natural(*mid) > (_reverse_kl_natural(*a) + _reverse_kl_natural(*b)) / 2


@pytest.mark.slow
def test_s3_uniform_prior_makes_every_count_of_heads_equally_likely():
    """'P(s heads) = 1/(n + 1) each': the integral of C(n, s) t^s (1 - t)^(n - s) over [0, 1], in mpmath."""
    n = 10
    for s in range(n + 1):
        value = mp.quad(lambda t: mp.binomial(n, s) * t ** s * (1 - t) ** (n - s), [0, 1])
        assert abs(value - mp.mpf(1) / (n + 1)) < mp.mpf(10) ** -30


def test_s4_renyi_is_a_function_of_the_hellinger_divergence_of_its_order():
    """D_alpha = log(1 + (alpha - 1) D_f) / (alpha - 1), f(t) = (t^alpha - 1)/(alpha - 1), convex with f(1) = 0
    for alpha > 0, alpha != 1; the map is increasing in D_f (its derivative 1/s > 0)."""
    p, q = [0.36, 0.48, 0.16], [0.2, 0.3, 0.5]
    for alpha in (0.25, 0.5, 2.0, 3.0, 7.5):
        a = mp.mpf(alpha)
        pm, qm = [mp.mpf(x) for x in p], [mp.mpf(x) for x in q]
        d_f = mp.fsum(y * ((x / y) ** a - 1) / (a - 1) for x, y in zip(pm, qm))
        s = mp.fsum(x ** a * y ** (1 - a) for x, y in zip(pm, qm))
        assert abs(mp.log(1 + (a - 1) * d_f) / (a - 1) - mp.log(s) / (a - 1)) < mp.mpf(10) ** -35
        assert float(mp.log(s) / (a - 1)) == pytest.approx(kt.renyi_divergence(p, q, alpha), rel=1e-12)
        for t in np.linspace(0.05, 5, 50):            # convex: f'' = alpha t^(alpha - 2) > 0
            assert alpha * t ** (alpha - 2) > 0
        assert 1 + (a - 1) * d_f > 0


def test_s4_the_weaker_bound_one_minus_half_exp_is_above_bretagnolle_huber():
    """'some books state the weaker TV <= 1 - e^{-D}/2': sqrt(1 - u) <= 1 - u/2 for u = e^{-D} in (0, 1]."""
    for u in np.linspace(1e-9, 1, 1001):
        assert math.sqrt(1 - u) <= 1 - u / 2 + 1e-15


def test_s4_tv_is_the_largest_event_difference_and_one_minus_tv_the_best_test_errors():
    rng = np.random.default_rng(5)
    for _ in range(50):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        tv = 0.5 * float(np.sum(np.abs(p - q)))
        events = [np.array(bits, dtype=bool) for bits in np.ndindex(*[2] * 6)]
        assert max(abs(p[A].sum() - q[A].sum()) for A in events) == pytest.approx(tv, abs=1e-15)
        assert min(p[A].sum() + 1 - q[A].sum() for A in events) == pytest.approx(1 - tv, abs=1e-15)
        # any test (also randomised, phi in [0, 1]) has error sum >= 1 - TV
        phi = rng.uniform(size=6)
        assert float(p @ phi + 1 - q @ phi) >= 1 - tv - 1e-15


def test_s4_local_equivalence_kl_half_chi2_and_hellinger_an_eighth():
    """For nearby P, Q: D ~ chi2/2 and Hel^2 ~ chi2/8 (D_f ~ f''(1) chi2 / 2), in mpmath."""
    _, english = datasets.letter_frequencies("english")
    _, german = datasets.letter_frequencies("german")
    eps = mp.mpf("1e-6")
    e, g = [mp.mpf(float(x)) for x in english], [mp.mpf(float(x)) for x in german]
    se, sg = mp.fsum(e), mp.fsum(g)
    e, g = [x / se for x in e], [x / sg for x in g]
    near = [y + eps * (x - y) for x, y in zip(e, g)]
    chi2 = mp.fsum((x - y) ** 2 / y for x, y in zip(near, g))
    kl = mp.fsum(x * mp.log(x / y) for x, y in zip(near, g))
    hel2 = mp.fsum((mp.sqrt(x) - mp.sqrt(y)) ** 2 for x, y in zip(near, g)) / 2
    assert abs(kl / chi2 - mp.mpf(1) / 2) < 1e-5 and abs(hel2 / chi2 - mp.mpf(1) / 8) < 1e-5


def test_s4_jensen_shannon_is_at_most_log_2_with_equality_for_disjoint_supports():
    rng = np.random.default_rng(6)
    p, q = rng.dirichlet(np.ones(6), size=5000), rng.dirichlet(np.ones(6), size=5000)
    m = (p + q) / 2
    js = 0.5 * np.sum(p * np.log(p / m), axis=1) + 0.5 * np.sum(q * np.log(q / m), axis=1)
    assert np.all(js <= math.log(2))
    assert kt.js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(math.log(2), rel=1e-15)
