"""Tests of klteach/course/nb06_drift.py: notebook 06's figures, explorers and exercise checks.

Expected values come from independent formulas written here or in test_feedback.py (or scipy),
never from the checks themselves.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest
from scipy import stats
from test_feedback import OBSERVED, PERMUTED, ex06_2, kl, round_sig

from klteach import drift, exercises, plots, widgets
from klteach import exercises as ex
from klteach.course import nb06_drift

matplotlib.use("Agg")


REF = np.array([6, 30, 42, 22, 0])        # an empty reference bin: smoothing matters


CUR = np.array([1, 10, 16, 13, 10])


def hist(counts, a):
    c = counts + a
    return c / c.sum()


OBS = 0.05


PERM = np.array([0.01, 0.05, 0.07, 0.02, 0.03, 0.05, 0.04, 0.05, 0.06])   # B = 9


def test_psi_rounded_to_two_figures_is_not_called_unsmoothed():
    ref, cur = np.array([120, 300, 420, 160]), np.array([80, 250, 430, 240])   # all unsmoothed PSIs close
    p, q = (ref + 0.5) / (ref + 0.5).sum(), (cur + 0.5) / (cur + 0.5).sum()
    psi = float(np.sum((p - q) * np.log(p / q)))
    fb = exercises.check_psi(round_sig(psi, 2), ref, cur)
    assert "Right as far as it goes" in str(fb) and "smoothing" not in str(fb)


@pytest.mark.slow
def test_drift_choice_explanations_hold_by_simulation():
    """06-ex3 says: with 10 quantile bins and 30 values per side, PSI often exceeds 0.25 without drift,
    and the upward bias alone is larger than that threshold."""
    from klteach import drift
    rng = np.random.default_rng(2024)
    psi = np.array([drift.drift_test(rng.normal(size=30), rng.normal(size=30), measure="psi", bins=10,
                                     n_permutations=1, seed=0).statistic for _ in range(300)])
    assert np.mean(psi > 0.25) > 0.75          # about 0.93 in this simulation
    assert np.mean(psi) > 0.25                 # the bias: the mean PSI with no drift at all
    right, explanations = exercises.CHOICES["06-ex3"]
    assert right == "b" and "10 bins" in explanations["b"] and "12 bins" not in explanations["b"]


def test_permutation_pvalue_without_permutations_is_an_error():
    with pytest.raises(ValueError, match="permuted is empty"):
        exercises.check_permutation_pvalue(0.5, 1.0, [])


def test_psi_right_answer_and_mistakes():
    p, q = hist(REF, 0.5), hist(CUR, 0.5)
    kl_pq, kl_qp = kl(p, q), kl(q, p)
    assert exercises.check_psi(kl_pq + kl_qp, REF, CUR)
    assert "D(ref||cur) alone" in str(exercises.check_psi(kl_pq, REF, CUR))
    assert "D(cur||ref) alone" in str(exercises.check_psi(kl_qp, REF, CUR))
    assert "bits" in str(exercises.check_psi((kl_pq + kl_qp) / math.log(2), REF, CUR))
    assert "without smoothing" in str(exercises.check_psi(math.inf, REF, CUR))
    p_raw, q_raw = (REF + 0.5) / REF.sum(), (CUR + 0.5) / CUR.sum()
    assert "renormalise" in str(exercises.check_psi(float(np.sum((p_raw - q_raw) * np.log(p_raw / q_raw))),
                                                    REF, CUR))
    m = 0.5 * (p + q)
    assert "Jensen-Shannon" in str(exercises.check_psi(0.5 * kl(p, m) + 0.5 * kl(q, m), REF, CUR))
    assert "pseudo-count" in str(exercises.check_psi(float("nan"), REF, CUR))
    assert "No answer yet" in str(exercises.check_psi(..., REF, CUR))


def test_pvalue_right_answer():
    # 5 values >= 0.05 (0.05, 0.07, 0.05, 0.05, 0.06): p = (1 + 5) / 10
    assert exercises.check_permutation_pvalue(6 / 10, OBS, PERM).correct


@pytest.mark.parametrize("wrong, words", [
    (5 / 9, "without the +1s"),
    ((1 + 2) / 10, "strictly greater"),      # 2 values > 0.05
    (1 - 6 / 10, "one minus"),
    (4 / 9, "below the observed"),
])
def test_pvalue_mistakes_are_recognised(wrong, words):
    fb = exercises.check_permutation_pvalue(wrong, OBS, PERM)
    assert not fb.correct and words in str(fb)


def test_pvalue_without_ties_does_not_offer_the_ties_mistake():
    with ex.recording() as calls:
        exercises.check_permutation_pvalue(..., 0.055, PERM)
    assert not any("strictly greater" in e for _, e in calls[0]["mistakes"])


@pytest.mark.parametrize("written", ["(b) Nothing yet", "Option b", "b) nothing yet", "option (b)"])
def test_choice_reads_a_leading_letter_with_text(written):
    assert ex.check_choice(written, "06-ex3").correct


def test_choice_error_example_is_not_an_option():
    fb = str(ex.check_choice("z", "06-ex3"))
    assert "answer = 'a'" not in fb and "answer = 'b'" not in fb


def test_final_1_a_short_answer_that_is_exactly_a_mistake_is_still_that_mistake():
    text = str(ex.check_permutation_pvalue(0.4, 2.0, [1.0, 3.0, 2.0, 0.5, 0.2]))    # 2/5 exactly
    assert text.startswith("Not quite: 0.4 matches #{T_perm >= T_obs} / B") and "too few" not in text, text
    # the mid-p value (1 + 1 + 1/2) / 6 = 0.4167 only rounds to 0.4: the exact value's mistake is named alone
    assert "ties counted as half" not in text and "more figures would not change it" in text, text


def test_04_07_second_pass_finding_5_whole_counts_are_not_asked_about_rounding():
    at_least = int(np.sum(PERMUTED >= OBSERVED))
    submission = (1 + at_least) / (len(PERMUTED) + 2)
    assert submission == 0.13861386138613863
    text = str(ex06_2(submission))
    assert text.startswith("Close") and "round one" not in text and "rounded on the way" not in text, text
    assert "nothing to round on the way" in text and "in the count and in the total" in text, text
    # where (1 + count) / (B + 2) lies 1% or more from the p-value, it is named
    small = str(ex.check_permutation_pvalue((1 + 2) / (5 + 2), 2.0, [1.0, 3.0, 2.0, 0.5, 0.2]))
    assert "(1 + count) / (B + 2)" in small and "adds one to B, not two" in small, small


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _hatches(ax):
    """The hatch of each bar series (container), in drawing order."""
    return [c.patches[0].get_hatch() or "" for c in ax.containers]


def test_drift_explorer_redraws_with_new_samples(monkeypatch):
    calls = []
    monkeypatch.setattr(nb06_drift, "show_drift", lambda s, n, **kw: calls.append((s, n, kw["seed"])))
    box = widgets.drift_explorer(shift=0.0, n=200)
    shift_slider, n_slider, seed_slider = box.children[0].children
    seed_slider.value = 7
    assert calls[-1] == (0.0, 200, 7)
    n_slider.value = 1000
    assert calls[-1] == (0.0, 1000, 7)


def test_kl_vs_bins_draws_the_given_values_and_refuses_a_wrong_shape():
    estimates = np.array([[0.01, 0.02, 0.03], [0.05, 0.06, 0.10]])
    ax = plots.kl_vs_bins([2, 10], estimates, binned=[0.02, 0.03], continuous=0.03125, single=[0.025, 0.07])
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["mean plug-in estimate"].get_ydata()) == pytest.approx([0.02, 0.07])
    assert list(lines["binned truth (exact, from the CDFs)"].get_ydata()) == pytest.approx([0.02, 0.03])
    assert "0.03125" in lines["continuous truth = 0.03125 nats"].get_label()
    styles = {(line.get_linestyle(), line.get_marker()) for line in lines.values()}
    assert len(styles) == len(lines) == 4              # no two series differ by colour alone
    assert "nats" in ax.get_ylabel() and ax.get_xlabel()
    with pytest.raises(ValueError, match="one row per bin count"):
        plots.kl_vs_bins([2, 5, 10], estimates)


def test_plugin_bias_draws_the_mean_and_the_approximation():
    estimates = np.array([[0.1, 0.2], [0.01, 0.02]])
    ax = plots.plugin_bias([100, 1000], estimates, n_bins_total=12)
    mean_line, approx_line = ax.get_lines()
    assert list(mean_line.get_ydata()) == pytest.approx([0.15, 0.015])
    assert list(approx_line.get_ydata()) == pytest.approx([11 * (2 / 100) / 2, 11 * (2 / 1000) / 2])
    assert mean_line.get_linestyle() != approx_line.get_linestyle()
    with pytest.raises(ValueError, match="one row per sample size"):
        plots.plugin_bias([100], estimates, n_bins_total=12)


@pytest.mark.parametrize("draw, label", [
    (lambda x, e: plots.kl_vs_bins(x, e), "90% of plug-in estimates"),
    (lambda x, e: plots.plugin_bias(x, e, n_bins_total=12), "90% of estimates"),
])
def test_both_estimate_plots_shade_the_5_to_95_percent_range_of_each_row(draw, label):
    # rows of 21 evenly spaced values: the 5% and 95% quantiles (linear interpolation) are the 2nd and 20th values
    estimates = np.array([np.linspace(0.0, 0.2, 21), np.linspace(0.01, 0.03, 21)])
    ax = draw([10, 100], estimates)
    (band,) = ax.collections
    assert band.get_label() == label
    vertices = band.get_paths()[0].vertices
    for x, row in zip([10, 100], estimates):
        ys = vertices[np.isclose(vertices[:, 0], x), 1]
        assert ys.min() == pytest.approx(row[1]) and ys.max() == pytest.approx(row[19])


@pytest.mark.slow
def test_false_alarm_bars_show_the_rates_and_their_intervals():
    counts = {"permutation p <= 0.05": [52, 61], "PSI > 0.1": [990, 0]}
    rates = {rule: np.array(k) / 1000 for rule, k in counts.items()}
    intervals = {rule: [tuple(stats.binomtest(x, 1000).proportion_ci()) for x in k] for rule, k in counts.items()}
    ax = plots.false_alarm_rates([25, 1000], rates, intervals=intervals, n_trials=1000)
    bars = [c for c in ax.containers if isinstance(c, matplotlib.container.BarContainer)]
    assert [b.get_height() for b in bars[0]] == pytest.approx([0.052, 0.061])
    # the error bar of the first rate spans its Clopper-Pearson interval, from the beta quantiles
    low, high = stats.beta.ppf(0.025, 52, 1000 - 52 + 1), stats.beta.ppf(0.975, 52 + 1, 1000 - 52)
    segments = [seg for coll in ax.collections for seg in getattr(coll, "get_segments", lambda: [])()]
    assert any(np.allclose(sorted(seg[:, 1]), [low, high]) for seg in segments)
    assert "1000 trials" in ax.get_ylabel()
    with pytest.raises(ValueError, match="one rate per size"):
        plots.false_alarm_rates([25], rates)


@pytest.mark.slow
def test_drift_explorer_starts_on_the_static_figure_with_the_same_shuffles(monkeypatch):
    from klteach import drift
    monkeypatch.setattr(plt, "show", lambda: None)
    used = []
    real_test = drift.drift_test
    monkeypatch.setattr(drift, "drift_test", lambda *a, **kw: used.append(kw) or real_test(*a, **kw))
    static = widgets.show_drift(0.25, 200, seed=widgets.DRIFT_SEED)
    widgets.drift_explorer(shift=0.25, n=200)         # draws its first view on creation
    assert len(used) == 2 and used[0]["n_permutations"] == used[1]["n_permutations"] == 999
    assert static.n_permutations == 999


@pytest.mark.slow
def test_drift_explorer_first_draw_reads_sensibly(monkeypatch):
    # At shift 0 every "drift" is a false alarm: the first draw shows none at any offered size,
    # and at the default 0.25 sd shift with 200 values per side it detects the drift.
    monkeypatch.setattr(plt, "show", lambda: None)
    box = widgets.drift_explorer()
    sizes = box.children[0].children[1].options
    for n in sizes:
        assert widgets.show_drift(0.0, n, seed=widgets.DRIFT_SEED).pvalue > 0.05, n
        plt.close("all")
    assert widgets.show_drift(0.25, 200, seed=widgets.DRIFT_SEED).pvalue <= 0.05


@pytest.mark.slow
def test_drift_histograms_hatch_the_current_sample():
    from klteach import drift
    rng = np.random.default_rng(0)
    result = drift.drift_test(rng.normal(0, 1, 200), rng.normal(0.5, 1, 200), n_permutations=50, seed=1)
    [ax] = plots.drift_histograms(result)
    assert _hatches(ax) == ["", plots.Q_HATCH]


def test_false_alarm_bars_each_have_their_own_hatch():
    ax = plots.false_alarm_rates([20], {"permutation": [0.05], "PSI > 0.1": [0.9], "PSI > 0.25": [0.5]})
    assert len(set(_hatches(ax))) == len(ax.containers) == 3


def _numeric_and_categorical_report(names, n, current_categories, seed):
    """A two-feature report: a normal shifted by 1 sd, and categories 'u'/'v' against current_categories."""
    rng = np.random.default_rng(seed)
    number, category = names
    return drift.drift_report({number: rng.normal(size=n), category: rng.choice(["u", "v"], n)},
                              {number: rng.normal(1, 1, n), category: rng.choice(current_categories, n)},
                              n_permutations=50, seed=0)


def test_plots_and_widgets_draw():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klteach import plots, widgets
    report = _numeric_and_categorical_report(("a", "b"), 100, ["u", "w"], seed=11)
    axes = plots.drift_histograms(report, top=2)
    bars = axes[0].patches
    assert matplotlib.colors.to_hex(bars[0].get_facecolor()) == plots.P_COLOR.lower()
    assert matplotlib.colors.to_hex(bars[-1].get_facecolor()) == plots.Q_COLOR.lower()
    # plugin_bias, false_alarm_rates and kl_vs_bins only draw what they are given: tested with
    # the notebook-06 figures above
    result = widgets.show_drift(0.5, 50, n_permutations=50)
    assert result.pvalue <= 1
    assert widgets.drift_explorer().children
    plt.close("all")


def test_histograms_skip_untested_features_and_draw_an_all_missing_reference():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klteach import plots
    rng = np.random.default_rng(0)
    report = drift.drift_report(
        {"a": rng.normal(size=100), "b": np.full(100, np.nan), "c": np.r_[rng.normal(size=99), np.inf]},
        {"a": rng.normal(1, 1, 100), "b": rng.normal(size=100), "c": rng.normal(size=100)},
        nan="bin", n_permutations=50, seed=0)
    assert [r.verdict for r in report.rows if r.feature == "c"] == ["error"]
    axes = plots.drift_histograms(report, top=3)
    titles = [ax.get_title() for ax in axes if ax.get_title()]
    assert len(titles) == 2 and not any(t.startswith("c:") for t in titles)
    b_axis = next(ax for ax in axes if ax.get_title().startswith("b:"))
    assert [t.get_text() for t in b_axis.get_xticklabels()] == ["present", "NaN"]
    plt.close("all")


def test_point_13_lists_the_mistake_it_rounds_too():
    at_least = int(np.sum(PERMUTED >= OBSERVED))
    b = len(PERMUTED)
    assert at_least / (b + 1) == 0.13 and round(at_least / b, 2) == 0.13        # exact for one, rounded for another
    text = str(ex06_2(0.13))
    assert text.startswith("Not quite: 0.13 is exactly the value of") and "count / (B + 1)" in text, text
    # exactly 13/100, and 13/99 = 0.1313 (no +1s) rounded to the 2 figures it has: both readings, and the
    # unrounded number asked for ("more figures would not change it" is false for the second reading)
    assert "also matches #{T_perm >= T_obs} / B (0.1313)" in text, text
    assert "Give the unrounded number" in text and "more figures would not change it" not in text, text
    # following it: the unrounded 13/99 is named alone, and its advice gives the p-value
    assert "without the +1s" in str(ex06_2(at_least / b)) and "count / (B + 1)" not in str(ex06_2(at_least / b))
    assert ex06_2((1 + at_least) / (b + 1)).correct


def test_strictly_greater_without_plus_ones_and_the_wrong_direction_are_named():
    b = len(PERMUTED)
    greater = int(np.sum(PERMUTED > OBSERVED))
    at_most = int(np.sum(PERMUTED <= OBSERVED))
    for given, words in ((greater / b, "#{T_perm > T_obs} / B"), (round_sig(greater / b, 3), "#{T_perm > T_obs} / B"),
                         ((1 + at_most) / (b + 1), "(1 + #{T_perm <= T_obs}) / (B + 1)")):
        text = str(ex06_2(given))
        assert text.startswith("Not quite") and words in text and "np.sum(permuted >= observed)" not in text, text
    assert (1 + at_most) / (b + 1) == 0.89


def _ex06_1(a):
    return ex.check_psi(a, [6, 30, 42, 22, 0], [1, 10, 16, 13, 10], pseudo_count=0.5, names=("ref_week", "cur_week"))


def test_the_mean_of_the_psi_terms_is_named_and_not_a_wrong_way_base_10_psi():
    r, c = np.array([6, 30, 42, 22, 0]) + 0.5, np.array([1, 10, 16, 13, 10]) + 0.5
    p, q = r / r.sum(), c / c.sum()
    terms = (p - q) * np.log(p / q)
    psi = float(np.sum(terms))
    mean = float(np.mean(terms))                                         # 0.1650
    text = str(_ex06_1(0.16))
    assert "mean of the 5 PSI terms" in text and "base-10" not in text and "wrong way" not in text, text
    assert "too few to be sure" in text, text
    assert "mean of the 5 PSI terms" in str(_ex06_1(mean))
    assert _ex06_1(mean * 5).correct and _ex06_1(psi).correct            # the advice, followed


def test_drift_histograms_put_each_features_unit_and_title_on_its_panel():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    report = _numeric_and_categorical_report(("rate", "plan"), 80, ["u", "v"], seed=12)
    axes = plots.drift_histograms(report, top=2, labels={"rate": ("interest rate", "% a year")})
    panels = {ax.get_title().split(":")[0]: ax for ax in axes}
    assert panels["interest rate"].get_xlabel() == "bin (lower edge in % a year, from the reference)"
    assert panels["plan"].get_xlabel() == "category"
    plt.close("all")


def test_permutation_messages_name_the_missing_step_in_words_not_the_solution_line():
    # 06 cell 79: every wrong answer got "p = (1 + count) / (B + 1)", the exercise's solution line
    at_least, greater, b = int(np.sum(PERMUTED >= OBSERVED)), int(np.sum(PERMUTED > OBSERVED)), len(PERMUTED)
    for given in (0.13, at_least / b, at_least / (b + 1), (1 + at_least) / b, (1 + greater) / (b + 1),
                  (1 + at_least) / (b + 2), 0.5, 14.0, 13.0, 0.86, -0.14):
        text = str(ex06_2(given))
        assert not text.startswith("Correct"), (given, text)
        assert "(1 + count) / (B + 1)" not in text and "1 + np.sum" not in text, (given, text)


def test_ex2_a_short_number_exactly_a_mistakes_value_is_that_mistake_if_unrounded():
    """06 ex 2, answer = np.sum(permuted >= observed) / (len(permuted) + 1) gives exactly 0.13: the check named
    count / (B + 1) and the mid-p value as exact, listed 13/99 = 0.1313 beside them, and ended "Give the unrounded
    number your code computed to tell which", which is 0.13 again. As the start page says, a short number that
    is exactly a mistake's value (0.13 = 13/100) is that mistake: more figures would not change it."""
    ge, gt = int(np.sum(PERMUTED >= OBSERVED)), int(np.sum(PERMUTED > OBSERVED))
    b = len(PERMUTED)
    assert (ge, gt, b) == (13, 11, 99)
    assert ge / (b + 1) == 0.13 and (1 + gt + (ge - gt) / 2) / (b + 1) == 0.13     # count / (B + 1), mid-p
    assert round_sig(ge / b, 2) == 0.13 and ge / b != 0.13                          # 13/99 only rounds to it
    learner = np.sum(PERMUTED >= OBSERVED) / (len(PERMUTED) + 1)
    assert learner == 0.13
    text = str(ex06_2(learner))
    assert text.startswith("Not quite: 0.13 is exactly the value of more than one mistake"), text
    assert "count / (B + 1)" in text and "mid-p" in text and f"({ge / b:.4f})" in text, text
    assert "if it is 0.13 itself, it is one of the mistakes it equals; if not, follow the advice on that number" \
        in text, text
    assert len(text.split()) <= 100, text
    # exactly the strict-> mistake, (1 + 11) / 100, as before
    assert (1 + gt) / (b + 1) == 0.12 and "more figures would not change it" in str(ex06_2(0.12))


def test_ex1_a_cut_off_that_rounded_log_ratios_give_names_them():
    """06 ex 1, check_psi(0.824, ref_week, cur_week, pseudo_count=0.5): log(p/q) rounded to 3 figures, weighted
    and summed, gives 0.82415, so "round the unrounded number" gave 0.824 again; check_psi passed no rounded
    sums, and the terms route was never named."""
    p = (REF + 0.5) / (REF + 0.5).sum()
    q = (CUR + 0.5) / (CUR + 0.5).sum()
    right = float(np.sum((p - q) * np.log(p / q)))
    assert math.floor(right * 1000) / 1000 == 0.824 and round_sig(right, 3) != 0.824
    logs3 = float(np.sum((p - q) * np.array([round_sig(v, 3) for v in np.log(p / q)])))
    assert abs(logs3 - 0.82415) < 1e-5 and round_sig(logs3, 3) == 0.824
    text = str(exercises.check_psi(0.824, REF, CUR, pseudo_count=0.5, names=("ref_week", "cur_week")))
    assert "cut off after 3 significant figures" in text and "rounded before they were summed" in text, text
    assert "sum the unrounded terms" in text, text
    # the right value, rounded, is still accepted
    assert exercises.check_psi(round_sig(right, 3), REF, CUR, pseudo_count=0.5).correct


def test_06_psi_hints_describe_the_step_in_words_not_the_formula():
    # 06 cell 76: exercises.check_psi(answer, ref_week, cur_week, pseudo_count=0.5, names=("ref_week", "cur_week"))
    # ended its generic hint "...then sum (p - q) * log(p / q)"; the same formula was in the symmetric-sum,
    # minus-PSI, array and negative messages
    ref_week, cur_week = np.array([6, 30, 42, 22, 0]), np.array([1, 10, 16, 13, 10])
    p = (ref_week + 0.5) / (ref_week + 0.5).sum()
    q = (cur_week + 0.5) / (cur_week + 0.5).sum()
    psi = float(sum((a - b) * np.log(a / b) for a, b in zip(p, q)))
    d_ref_cur = float(sum(a * np.log(a / b) for a, b in zip(p, q)))

    def check(answer):
        return str(exercises.check_psi(answer, ref_week, cur_week, pseudo_count=0.5, names=("ref_week", "cur_week")))

    texts = [check(a) for a in (3.3, -psi, d_ref_cur, psi / 5, np.ones(5), -3.3)]
    assert texts[0].startswith("Not yet: 3.3 is not PSI.") and "weight each bin's log ratio" in texts[0], texts[0]
    for text in texts:
        assert "log(p / q)" not in text.replace("(q - p) * log(p / q), or ", ""), text
    assert check(psi).startswith("Correct")


@pytest.mark.parametrize("answer", [0.143, 0.144, 0.145, 0.135, 0.136, 0.137])
def test_06_ex2_a_count_ratio_is_never_asked_about_rounded_terms(answer):
    # check_permutation_pvalue(0.142, observed, permuted) says the p-value "is made of whole-number counts, with
    # nothing to round on the way"; (0.145, ...) said "Not yet ... Or did you round the terms before summing? Sum the
    # unrounded terms."
    count = sum(1 for t in PERMUTED if t >= OBSERVED)
    right = (count + 1) / (len(PERMUTED) + 1)
    assert abs(answer - right) > 0.015 * right      # beyond the "Close" band, which says the same as 0.142 below
    msg = str(ex.check_permutation_pvalue(answer, OBSERVED, PERMUTED))
    assert not msg.startswith("Correct") and "round the terms" not in msg and "unrounded terms" not in msg, msg
    assert "nothing to round on the way" in str(ex.check_permutation_pvalue(0.142, OBSERVED, PERMUTED))


def test_06_ex1_a_two_figure_sum_of_rounded_terms_is_asked_about_the_terms():
    # 06 Ex1: 0.83 (the PSI terms each rounded to 2 decimals, summed; 0.6% from the answer) got only "Did you round
    # one?", though the module says such a near sum "is asked whether it rounded the terms before summing"
    ref, cur = np.array([6, 30, 42, 22, 0]), np.array([1, 10, 16, 13, 10])
    p = [(r + 0.5) / (sum(ref) + 0.5 * len(ref)) for r in ref]
    q = [(c + 0.5) / (sum(cur) + 0.5 * len(cur)) for c in cur]
    terms = [(a - b) * math.log(a / b) for a, b in zip(p, q)]
    right = sum(terms)
    assert sum(round(t, 2) for t in terms) == pytest.approx(0.83, abs=1e-12)
    assert 0 < abs(0.83 - right) <= 0.015 * right and round(right, 2) != 0.83
    msg = str(ex.check_psi(0.83, ref, cur, pseudo_count=0.5, names=("ref_week", "cur_week")))
    assert msg.startswith("Close") and "round the terms before summing" in msg, msg
