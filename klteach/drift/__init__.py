r"""Data drift: has a feature's distribution moved away from its reference?

Each feature is binned with edges learned from the **reference** sample only,
plus an overflow bin below and one above the reference range, so current
values outside that range are counted rather than dropped. Quantile bins
give a value repeated more than n / k times (a point mass, such as the zeros
of a zero-inflated feature) a bin of its own, so that the rest of the
feature is still split finely. Both histograms
get the same explicit pseudo-count ``a`` per bin (default 0.5) before they
are normalised; with ``a = 0`` a bin that is empty on one side only makes
D(other side || empty side) and PSI infinite, which is the honest answer. The measures, with P the smoothed
reference histogram and Q the smoothed current one:

* D(P||Q) and D(Q||P), the two Kullback-Leibler divergences;
* PSI, the population stability index, equal to Jeffreys' divergence
  D(P||Q) + D(Q||P) = sum (p - q) log(p / q);
* Jensen-Shannon divergence, at most log 2.

All are in nats (``base=None``) or bits (``base=2``). Plug-in values are
biased upwards on finite samples (about (K - 1)(1/n + 1/m) / 2 nats for
D(P||Q) with K bins when nothing has drifted), so fixed thresholds such as
"PSI > 0.25 means drift" raise false alarms on small samples and miss drift
on large ones. :func:`drift_test` decides instead with a permutation test:
the labels "reference" and "current" are shuffled, the bins are learned
again from each shuffled reference, and the p-value is the share of
shuffles with a statistic at least as large as the observed one. Its
false-alarm rate is at most the chosen alpha at every sample size.

Counting can happen anywhere (a database ``GROUP BY``, a Spark job): only
the counts per bin need to reach klteach. Learn the edges from an earlier
period (not from the reference sample being compared, see below), count in
SQL with the edges passed as query parameters, compare the counts::

    edges = bin_edges(earlier_sample, 10)            # or bins fixed in advance
    query, params = count_query("payments", "amount", edges, by="month")
    rows = connection.execute(query, params).fetchall()   # (month, bin, count) rows
    counts = counts_from_rows(rows, edges)           # {month: counts}, bins as bin_counts gives them
    drift_measures(counts["2024-05"], counts["2024-06"])
    drift_test_counts(counts["2024-05"], counts["2024-06"], seed=0)

:func:`counts_from_rows` also refuses what the query marks but bin counts
cannot hold (``+inf``/``-inf``, SQLite text that is not a number), with the
same advice as :func:`bin_counts`; fill counts by hand only through it.

The permutation test on counts is exact when the bins do not depend on the
samples being compared (edges fixed in advance or learned from an earlier
period); edges learned from the same reference sample make it somewhat
liberal (``drift_test`` on raw samples avoids that by re-learning them).

Tabular data for :func:`drift_report` is a mapping of column name to array,
a numpy structured array, or anything DataFrame-like (``.columns`` and
``data[name]``): pandas works when present without being a dependency.

The package's modules: :mod:`~klteach.drift.binning` (edges, counts per bin or
category), :mod:`~klteach.drift.sql` (the same bins counted in SQLite, DuckDB
and Spark SQL), :mod:`~klteach.drift.measures` (the four divergences between
smoothed histograms), :mod:`~klteach.drift.permutation` (the tests),
:mod:`~klteach.drift.compare` (effect sizes, verdicts, rejection-rate tables
of several tests side by side) and :mod:`~klteach.drift.report` (tables,
Holm's adjustment). Every public name is
importable from ``klteach.drift`` itself.
"""

from .binning import bin_counts, bin_edges, category_counts
from .compare import (
    VERDICTS,
    RateTable,
    drift_verdict,
    effect_size,
    kl_permutation_pvalue,
    rejection_rates,
    standard_rules,
    standard_scenarios,
    wasserstein_effect,
)
from .measures import DEFAULT_PSEUDO_COUNT, MEASURES, DriftMeasures, drift_measures
from .permutation import DriftTestResult, drift_test, drift_test_counts
from .report import DriftReport, FeatureDrift, drift_report
from .sql import (
    DIALECTS,
    bin_case_sql,
    category_count_query,
    category_counts_from_rows,
    count_query,
    counts_from_rows,
    quote_identifier,
    sql_bin_case,
)

__all__ = ["bin_edges", "bin_counts", "category_counts", "drift_measures", "drift_test",
           "drift_test_counts", "drift_report", "sql_bin_case", "DriftMeasures",
           "DriftTestResult", "FeatureDrift", "DriftReport", "MEASURES",
           "DEFAULT_PSEUDO_COUNT",
           # compare.py: effect sizes, verdicts, rejection-rate tables
           "wasserstein_effect", "effect_size", "drift_verdict", "VERDICTS", "RateTable",
           "rejection_rates", "standard_rules", "standard_scenarios", "kl_permutation_pvalue",
           # sql.py: the binning SQL for SQLite, DuckDB and Spark
           "DIALECTS", "quote_identifier", "bin_case_sql", "count_query", "counts_from_rows",
           "category_count_query", "category_counts_from_rows"]
