"""Interactive explorers for the notebooks (ipywidgets): one import for the notebooks.

``from klteach import widgets`` then ``widgets.coin_explorer()``. Each explorer and its static
figure live in the module of its notebook (``klteach.course.nbNN_*``), on the machinery of
:mod:`klteach.course.explorer`; this module re-exports them.
"""

from __future__ import annotations

from .course.nb01_definition import coin_explorer, show_pair
from .course.nb02_bits_and_encoding import coding_explorer, show_coding_cost
from .course.nb03_cross_entropy import cross_entropy_explorer, show_cross_entropy
from .course.nb04_asymmetry import mixture_fit_explorer, show_gaussian_fits
from .course.nb05_continuous_and_gaussian import gaussian_explorer, show_gaussians
from .course.nb06_drift import DRIFT_SEED, drift_explorer, show_drift
from .course.nb07_machine_learning import policy_kl_explorer, policy_logits, show_policy_kl
from .course.nb08_where_kl_comes_from import renyi_explorer, show_renyi

__all__ = ["show_pair", "coin_explorer", "show_coding_cost", "coding_explorer",
           "show_cross_entropy", "cross_entropy_explorer", "show_gaussian_fits",
           "mixture_fit_explorer", "show_gaussians", "gaussian_explorer", "DRIFT_SEED",
           "show_drift", "drift_explorer", "policy_logits", "show_policy_kl", "policy_kl_explorer",
           "show_renyi", "renyi_explorer"]
