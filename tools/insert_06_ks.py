"""Insert the section "Against the usual baselines" into notebooks/06_drift.ipynb.

Usage: python tools/insert_06_ks.py [NOTEBOOK]   (default notebooks/06_drift.ipynb)

The new cells go at the end of section 5, after its subsection "### Detected
is not the same as large" and before "## 6. Explore". They compare the KL
permutation test with the two-sample Kolmogorov-Smirnov test, fixed
thresholds on binned divergences and a Wasserstein effect size on the same
seeded data, and show the verdict that combines a test with a minimum
effect. Existing cells keep their ids; new cells get fresh random ids. The
notebook is written back unexecuted for the new cells: run

    python tools/execute_notebooks.py notebooks/06_drift.ipynb

afterwards. Refuses to insert twice.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

HEADING = "### Against the usual baselines: KS, fixed thresholds, an effect size"
AFTER = "### Detected is not the same as large"
BEFORE = "## 6. Explore"

CELLS = [
    ("markdown", HEADING + """

The permutation test is not the only tool in use. Practitioners often reach for the **two-sample Kolmogorov-Smirnov (KS) test** (`scipy.stats.ks_2samp`), which needs no bins: its statistic is the largest vertical gap between the two samples' empirical distribution functions (the share of values at or below x, as x runs along the axis). Monitoring libraries also flag drift when a distance crosses a fixed threshold (0.1 is a common default for the JS distance and the normalised Wasserstein distance; for PSI, 0.1, 0.2 and 0.25 all appear). The distances: PSI, KL, the JS *distance* (the square root of the JS divergence, which is what scipy's `jensenshannon` returns), or the **Wasserstein distance in reference standard deviations**, W/sd: the average distance values must travel to turn one sample into the other, divided by the reference's sd, so that shifting a whole distribution by 0.25 sd gives W/sd = 0.25.

Which rule keeps its false-alarm rate, and which detects what? Every rule below judges the *same* seeded pairs of samples, 200 pairs per scenario and sample size: no drift, a shift of 0.25 sd, a wider spread (sd times 1.5), and a change of shape that keeps the mean and the sd (a two-humped mixture). `rejection_rates` only runs the loop and counts; the rules are the lines below."""),
    ("code", """from klteach.drift_compare import drift_verdict, rejection_rates, wasserstein_effect

def binned(r, c):                       # klteach's measures on 10 quantile bins of the reference
    e = drift.bin_edges(r, 10)
    return drift.drift_measures(drift.bin_counts(r, e), drift.bin_counts(c, e))

rules = {   # rule(reference, current, rng) -> True when it declares drift
    "KL permutation": lambda r, c, g: drift.drift_test(r, c, n_permutations=199, seed=g).pvalue <= 0.05,
    "KS":             lambda r, c, g: stats.ks_2samp(r, c).pvalue <= 0.05,
    "PSI >= 0.1":     lambda r, c, g: binned(r, c).psi >= 0.1,
    "KL >= 0.1":      lambda r, c, g: binned(r, c).kl_ref_cur >= 0.1,
    "JS dist >= 0.1": lambda r, c, g: np.sqrt(binned(r, c).js) >= 0.1,
    "W/sd >= 0.1":    lambda r, c, g: wasserstein_effect(r, c) >= 0.1,
}
scenarios = {   # scenario(rng, n) -> (reference, current); the reference is always N(0, 1)
    "no drift":      lambda g, n: (g.normal(0, 1, n), g.normal(0, 1, n)),
    "shift 0.25 sd": lambda g, n: (g.normal(0, 1, n), g.normal(0.25, 1, n)),
    "sd x 1.5":      lambda g, n: (g.normal(0, 1, n), g.normal(0, 1.5, n)),
    "bimodal, same mean and sd":   # 0.5 N(-0.8, 0.6^2) + 0.5 N(0.8, 0.6^2): mean 0, sd 1
        lambda g, n: (g.normal(0, 1, n), g.choice([-0.8, 0.8], n) + g.normal(0, 0.6, n)),
}
table = rejection_rates(rules, scenarios, sizes=[100, 1000], trials=200, seed=18)
print(table)"""),
    ("code", """fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
labels = ["no drift", "shift\\n0.25 sd", "sd x 1.5", "bimodal,\\nsame mean, sd"]
tests = ("KL permutation", "KS")
for ax, n in zip(axes, table.sizes):
    rates = {t: [table.rate(s, n, t) for s in table.scenarios] for t in tests}
    intervals = {t: [table.interval(s, n, t) for s in table.scenarios] for t in tests}
    plots.false_alarm_rates(labels, rates, intervals=intervals, ax=ax)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel(f"scenario, n = m = {n} values per side")
    ax.set_ylabel(f"share of {table.trials} trials declared drift")
    ax.set_title(f"n = m = {n}")
axes[1].get_legend().remove()           # one legend, where it hides no bar
fig.suptitle("Same data, two tests: KS is stronger on a shift, the KL test on spread and shape")
plt.show()"""),
    ("markdown", """*Figure: two panels of grouped bars, for 100 (left) and 1,000 (right) values per side, showing the share of 200 trials declared drift by the KL permutation test (plain bars) and the KS test (hatched bars) in four scenarios, with 95% Clopper-Pearson intervals as error bars and a dashed line at 0.05. With no drift both tests stay near or below the dashed line. At 100 values per side the KS bar is the taller for the shift, the KL bar for the wider spread, and both bars stay low for the two-humped shape; at 1,000 both detect the shift and the wider spread almost always, and the KL bar is the taller for the two-humped shape.*

Why do the two tests rank the changes differently? Measured on the distributions themselves (no samples, a fine grid), KS looks at the largest gap between distribution functions and KL compares densities:"""),
    ("code", """from scipy.special import rel_entr
x, dx = np.linspace(-10, 10, 200_001, retstep=True)
two_humps = lambda f: 0.5 * (f(x, -0.8, 0.6) + f(x, 0.8, 0.6))
changes = {"shift 0.25 sd": (stats.norm.cdf(x, 0.25), stats.norm.pdf(x, 0.25)),   # (cdf, pdf) on the grid
           "sd x 1.5": (stats.norm.cdf(x, 0, 1.5), stats.norm.pdf(x, 0, 1.5)),
           "bimodal, same mean and sd": (two_humps(stats.norm.cdf), two_humps(stats.norm.pdf))}
for name, (cdf, pdf) in changes.items():
    gap = np.max(np.abs(stats.norm.cdf(x) - cdf))                # what the KS statistic estimates
    kl = np.sum(rel_entr(stats.norm.pdf(x), pdf)) * dx            # D(ref||cur) in nats, a Riemann sum
    print(f"{name:>25}: largest gap between distribution functions {gap:.3f}, D(ref||cur) = {kl:.3f} nats")"""),
    ("markdown", """**Which wins where.** Both tests keep their promise when nothing drifted (the first block of the table: rates within sampling error of 0.05 for 200 trials). For KS the shift and the wider spread are changes of the same size (a largest gap of 0.099 and 0.097); for KL the wider spread is about four times the larger change (0.128 against 0.031 nats), because a density ratio notices mass moving into the tails, where a distribution function hardly moves. So at 100 values per side KS detects the shift more than twice as often as the KL test (0.26 against 0.10 in the table), and the KL test detects the wider spread more than twice as often as KS (0.62 against 0.27). The two-humped shape is a small change by both yardsticks (0.046 and 0.047 nats): with 100 values per side both tests rarely see it (0.14 and 0.10), with 1,000 the KL test sees it more often (0.94 against 0.73), its bins catching the mass that left the centre for the two humps. With 1,000 values per side both tests detect the shift and the wider spread in (nearly) every trial.

**What fixed thresholds get wrong.** A threshold on a plug-in divergence compares an estimate with a constant, and when nothing drifted the estimate averages about (K − 1)(1/n + 1/m)/2 nats (section 4), not 0. At 100 values per side that bias alone pushes PSI and the JS distance over 0.1 in most no-drift trials (0.89 and 0.94 of them in the table) and KL in 0.46; at 1,000 values per side the bias has shrunk, and the same thresholds miss many of the shifts that both tests detect nearly always (1.00 in the table): of the 0.25 sd shifts, PSI >= 0.1 flags 0.19, KL >= 0.1 0.00 and the JS distance 0.56. How often a threshold fires depends on the sample size more than on the drift."""),
    ("markdown", """An effect size does not answer "could this be chance?", so it cannot replace a test. It answers "how much moved?" in units one can judge, which is what section 5's large samples were missing: there the p-value flagged a shift too small to matter. Below: how noisy W/sd is when nothing drifted, then `drift_verdict`, which combines a p-value with a minimum effect chosen in advance (here 0.1 sd): "drift" when p <= 0.05 and W/sd >= 0.1, "negligible drift" when p <= 0.05 but W/sd < 0.1, else "no evidence of drift". It judges section 5's 0.05 sd shift with 50,000 values per side and section 1's 0.25 sd shift with 1,000."""),
    ("code", """noise = np.random.default_rng(19)
for n in (100, 1000, 10_000):   # no drift: W/sd is pure sampling noise
    w = [wasserstein_effect(noise.normal(0, 1, n), noise.normal(0, 1, n)) for _ in range(200)]
    print(f"no drift, n = m = {n:>6}: median W/sd = {np.median(w):.3f}, 95th percentile = {np.quantile(w, 0.95):.3f}")
for name, p, effect in [("0.05 sd shift, 50,000 per side", r_big.pvalue, wasserstein_effect(big_ref, big_cur)),
                        ("0.25 sd shift,  1,000 per side", result.pvalue, wasserstein_effect(reference, current))]:
    print(f"{name}: p = {p:.3f}, W/sd = {effect:.3f} -> {drift_verdict(p, effect, min_effect=0.1)}")"""),
    ("markdown", """With no drift, W/sd is sampling noise that shrinks as the samples grow: at 100 values per side its median, 0.171, is above 0.1, so "W/sd >= 0.1" fires in most no-drift trials there (0.96 of them in the table); at 1,000 values per side its 95th percentile is 0.102, about the threshold (hence the table's 0.03 false alarms), and at 10,000 it is 0.028. A rule such as "KS for small samples, W/sd >= 0.1 for large ones", a default of some monitoring libraries, behaves well because each half is used where it is reliable; the threshold alone carries no guarantee. The combined verdict keeps the two questions apart: the 0.05 sd shift is real (p = 0.001, the smallest 999 shuffles can give) but negligible at a minimum effect of 0.1 sd (W/sd = 0.049), while the 0.25 sd shift is drift (W/sd = 0.328: the sample's shift plus its noise). The minimum effect is a judgement about the feature and the model, made before looking at the data, not a statistical constant.

**Takeaway:** use a test to decide *whether* anything moved (KS for shifts, the KL permutation test for changes of spread and shape) and an effect size with a minimum chosen in advance to decide whether it *matters*; a fixed threshold on a plug-in divergence does neither reliably across sample sizes."""),
]


def source_lines(text: str) -> list:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def main(argv) -> int:
    path = Path(argv[1] if len(argv) > 1 else "notebooks/06_drift.ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    text = ["".join(c["source"]) for c in cells]
    if any(t.startswith(HEADING) for t in text):
        print(f"{path}: the section {HEADING!r} is already there; nothing to do.", file=sys.stderr)
        return 1
    after = [i for i, t in enumerate(text) if t.startswith(AFTER)]
    before = [i for i, t in enumerate(text) if t.startswith(BEFORE)]
    if len(after) != 1 or len(before) != 1 or not after[0] < before[0]:
        print(f"{path}: expected one {AFTER!r} followed by one {BEFORE!r}; the notebook changed, "
              f"choose the place again.", file=sys.stderr)
        return 1
    ids = {c.get("id") for c in cells}
    new = []
    for kind, body in CELLS:
        cell_id = secrets.token_hex(4)
        while cell_id in ids:
            cell_id = secrets.token_hex(4)
        ids.add(cell_id)
        cell = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": source_lines(body)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        new.append(cell)
    nb["cells"] = cells[:before[0]] + new + cells[before[0]:]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{path}: inserted {len(new)} cells before {BEFORE!r}; now run "
          f"python tools/execute_notebooks.py {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
