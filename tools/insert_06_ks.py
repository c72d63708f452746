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

The permutation test is not the only tool in use. Practitioners often reach for the **two-sample Kolmogorov-Smirnov (KS) test**, which needs no bins: it measures the largest vertical gap between the two samples' empirical distribution functions (the share of values below x, as x runs over the line). Monitoring libraries also commonly flag drift when a distance crosses a **fixed threshold of 0.1**: PSI, KL, the JS *distance* (the square root of the JS divergence, which scipy's `jensenshannon` returns), or the Wasserstein distance measured in reference standard deviations, W/sd (how far, on average, values must be moved to turn one sample into the other).

Which of these keeps its false-alarm rate, and which detects what? Each rule below judges the *same* seeded pairs of samples, 200 pairs per scenario and sample size: no drift, a shift of 0.25 sd, a wider spread (sd times 1.5), and a change of shape that keeps the mean and the sd (a two-humped mixture). `rejection_rates` only runs the loop and counts; the rules are the lines below."""),
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
for ax, n in zip(axes, table.sizes):
    tests = ("KL permutation", "KS")
    rates = {t: [table.rate(s, n, t) for s in table.scenarios] for t in tests}
    intervals = {t: [table.interval(s, n, t) for s in table.scenarios] for t in tests}
    plots.false_alarm_rates(labels, rates, intervals=intervals, ax=ax)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel(f"scenario, n = m = {n} values per side")
    ax.set_ylabel(f"share of {table.trials} trials declared drift")
    ax.set_title(f"n = m = {n}")
fig.suptitle("Same data, two tests: KS is stronger on a shift, the KL test on spread and shape")
plt.show()"""),
    ("markdown", """*Figure: two panels of grouped bars, for 100 and 1,000 values per side, showing the share of 200 trials declared drift by the KL permutation test (plain bars) and the KS test (hatched bars) in four scenarios, with 95% Clopper-Pearson intervals as error bars and a dashed line at 0.05. With no drift both tests stay near the dashed line. For the shift the KS bar is the taller at 100 values per side; for the wider spread the KL bar is the taller at 100; for the two-humped shape the KL bar is the taller at 1,000; where both tests detect the change nearly always the bars are equal.*

**Which wins where.** Both tests keep their promise when nothing drifted (first block of the table). For a *shift* KS is the stronger test: it looks at the whole distribution function and a shift moves all of it, while the binned KL spends its power on 12 separate bins. For a *wider spread* and for a *change of shape* with the same mean and sd, the KL test is the stronger one: its bins see where mass moved (into the tails, out of the middle), while the KS gap stays small because the two distribution functions cross near the centre. With enough data both detect all three changes.

**What fixed thresholds get wrong.** A threshold on a plug-in divergence compares an estimate whose bias is about (K - 1)(1/n + 1/m)/2 nats (section 4) with a constant. At 100 values per side that bias alone crosses 0.1 on PSI and the JS distance in most no-drift trials; at 1,000 the bias has shrunk and the same thresholds miss most of the 0.25 sd shifts that both tests detect nearly always. The rate of a threshold rule depends on the sample size more than on the drift."""),
    ("markdown", """An effect size does not answer "could this be chance?", so it cannot replace the test. What it adds is "how much moved?", in units a practitioner can judge: W/sd is 0.25 for a shift of 0.25 sd. It fixes the problem of section 5's large samples, where the p-value flags a drift too small to matter. Below: W/sd when nothing drifted (its noise), then the verdict that combines the test with a minimum effect of 0.1 sd, for section 5's 0.05 sd shift with 50,000 values per side and for section 1's 0.25 sd shift with 1,000."""),
    ("code", """noise = np.random.default_rng(19)
for n in (100, 1000, 10_000):   # no drift: W/sd is pure noise, shrinking like 1/sqrt(n)
    w = [wasserstein_effect(noise.normal(0, 1, n), noise.normal(0, 1, n)) for _ in range(200)]
    print(f"no drift, n = m = {n:>6}: median W/sd = {np.median(w):.3f}, 95th percentile = {np.quantile(w, 0.95):.3f}")
for name, p, effect in [("0.05 sd shift, 50,000 per side", r_big.pvalue, wasserstein_effect(big_ref, big_cur)),
                        ("0.25 sd shift,  1,000 per side", result.pvalue, wasserstein_effect(reference, current))]:
    print(f"{name}: p = {p:.3f}, W/sd = {effect:.3f} -> {drift_verdict(p, effect, min_effect=0.1)}")"""),
    ("markdown", """With no drift, W/sd at 100 values per side is mostly above 0.1, so "W/sd >= 0.1" fires in most no-drift trials there (the table above); from 1,000 values per side its noise sits below 0.1, and at 10,000 far below. That is why a rule of thumb such as "KS for small samples, W/sd >= 0.1 for large ones" behaves well: each half is used where it is reliable. The combined verdict keeps both questions apart: the 0.05 sd shift is real (p at its smallest) but *negligible* at a minimum effect of 0.1 sd, the 0.25 sd shift is drift. The minimum effect is a judgement about the feature and the model, made before looking at the data, not a statistical constant.

**Takeaway:** use a test to decide *whether* anything moved (KS for shifts, the KL permutation test for changes of spread and shape) and an effect size with a minimum you chose in advance to decide whether it *matters*; a fixed threshold on a plug-in divergence does neither at every sample size."""),
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
