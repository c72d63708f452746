"""The course's house plot style and the notebooks' figures: one import for the notebooks.

``from klteach import plots`` then ``plots.use_style()``, ``plots.bar_pair(...)``. The style
lives in :mod:`klteach.course.style`, each figure in the module of the first notebook that
draws it (``klteach.course.nbNN_*``); this module re-exports them.
"""

from __future__ import annotations

from .course.nb01_definition import bar_pair, contributions_bar
from .course.nb02_bits_and_encoding import code_lengths_bar
from .course.nb03_cross_entropy import training_curves
from .course.nb04_asymmetry import fit_scan, gaussian_fits
from .course.nb05_continuous_and_gaussian import density_pair, estimates_vs_n, kl_integrand
from .course.nb06_drift import drift_histograms, false_alarm_rates, kl_vs_bins, plugin_bias
from .course.nb07_machine_learning import estimate_spread, policy_kl_estimates
from .course.nb08_where_kl_comes_from import renyi_orders
from .course.nb09_where_kl_leads import exponent_curve, gradient_paths, posterior_fits
from .course.style import (
    CE_COLOR,
    HATCHES,
    KL_COLOR,
    M_COLOR,
    MARKERS,
    P_COLOR,
    PALETTE,
    Q_COLOR,
    Q_HATCH,
    REVERSE_COLOR,
    use_style,
)

__all__ = ["PALETTE", "P_COLOR", "Q_COLOR", "M_COLOR", "Q_HATCH", "MARKERS", "HATCHES", "use_style",
           "bar_pair", "contributions_bar", "REVERSE_COLOR", "CE_COLOR", "KL_COLOR",
           "code_lengths_bar", "training_curves", "gaussian_fits", "fit_scan", "density_pair",
           "kl_integrand", "estimates_vs_n", "drift_histograms", "kl_vs_bins", "plugin_bias",
           "false_alarm_rates", "estimate_spread", "policy_kl_estimates", "renyi_orders",
           "posterior_fits", "gradient_paths", "exponent_curve"]
