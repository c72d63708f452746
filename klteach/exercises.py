"""Exercise checks that explain a wrong answer, not just flag it: one import for the notebooks.

``from klteach import exercises`` then ``exercises.check_kl(...)``. Every check lives in
the module of the first notebook that uses it (``klteach.course.nbNN_*``), built on the
shared machinery and the precision policy of :mod:`klteach.course.feedback`; this module
re-exports them.

Examples
--------
>>> check_kl(0.3219, [1, 0], [0.8, 0.2], base=2)
Correct: D(P||Q) = 0.3219 bits.
"""

from __future__ import annotations

from .course.feedback import ACCEPTED_FIGURES as ACCEPTED_FIGURES  # outside __all__, importable
from .course.feedback import (
    CHOICES,
    Feedback,
    check_choice,
    check_number,
    recording,
    significant_figures,
)
from .course.feedback import RECORD_ENV as RECORD_ENV  # outside __all__, importable
from .course.nb01_definition import check_kl
from .course.nb02_bits_and_encoding import check_cross_entropy, check_entropy, check_huffman_length
from .course.nb04_asymmetry import check_js, check_total_variation
from .course.nb05_continuous_and_gaussian import check_gaussian_kl, check_mc_estimate, check_vae_kl
from .course.nb06_drift import check_permutation_pvalue, check_psi
from .course.nb07_machine_learning import (
    check_distillation_loss,
    check_information_gain,
    check_torch_kl_div,
)
from .course.nb08_where_kl_comes_from import check_channel_kl, check_mutual_information, check_renyi
from .course.nb09_where_kl_leads import (
    check_elbo,
    check_local_kl,
    check_sanov_exponent,
    check_stein_exponent,
)

__all__ = ["Feedback", "check_number", "check_kl", "check_entropy", "check_choice", "CHOICES",
           "recording", "check_cross_entropy", "check_huffman_length", "check_js",
           "check_total_variation", "significant_figures", "check_gaussian_kl", "check_vae_kl",
           "check_mc_estimate", "check_psi", "check_permutation_pvalue", "check_distillation_loss",
           "check_torch_kl_div", "check_information_gain", "check_mutual_information",
           "check_channel_kl", "check_renyi", "check_local_kl", "check_elbo", "check_stein_exponent",
           "check_sanov_exponent"]
# Also importable from here, outside __all__: ACCEPTED_FIGURES, RECORD_ENV.
