"""klteach: Kullback-Leibler divergence, computed carefully, for the course and for use.

The discrete core (nats by default, ``base=2`` for bits; D(P||Q) puts the
reference P first)::

    >>> import klteach as kt
    >>> round(kt.kl_divergence([1, 0], [0.8, 0.2], base=2), 4)
    0.3219

Submodules: :mod:`klteach.discrete` (entropy, cross-entropy, KL, JS),
:mod:`klteach.plots` (house style), :mod:`klteach.widgets` (notebook
explorers), :mod:`klteach.exercises` (checks with feedback).
"""

import importlib

from ._validation import DistributionError
from .discrete import (cross_entropy, entropy, js_divergence, kl_contributions,
                       kl_divergence, normalize)

# --- notebooks 02-04: coding, cross-entropy, symmetric relatives (issue 3) ---

# --- notebook 05: continuous and Gaussian KL, estimators (issue 4) ---


__version__ = "0.1.0"

# Imported on first use, so `import klteach` stays light (no matplotlib or
# ipywidgets) for code that only needs the maths.
_SUBMODULES = {"datasets", "discrete", "drift", "exercises", "plots", "widgets"}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'klteach' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)


__all__ = [
    "DistributionError",
    "cross_entropy",
    "entropy",
    "js_divergence",
    "kl_contributions",
    "kl_divergence",
    "normalize",
    # --- issue 3 ---
    # --- issue 4 ---
]
