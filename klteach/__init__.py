"""klteach: Kullback-Leibler divergence, computed carefully, for the course and for use.

The discrete core (nats by default, ``base=2`` for bits; D(P||Q) puts the
reference P first)::

    >>> import klteach as kt
    >>> round(kt.kl_divergence([1, 0], [0.8, 0.2], base=2), 4)
    0.3219

The maths, re-exported here:

- :mod:`klteach.discrete`: entropy, cross-entropy, KL and JS of probability vectors;
- :mod:`klteach.symmetric`: Jeffreys (PSI), JS distance, Hellinger, total variation, Pinsker;
- :mod:`klteach.coding`: ideal code lengths and Huffman codes;
- :mod:`klteach.gaussian`: closed forms for normals (1-D, multivariate, the VAE term);
- :mod:`klteach.continuous`: KL between scipy distributions by quadrature;
- :mod:`klteach.estimators`: KL from samples (Monte Carlo k1/k2/k3, k-NN, histograms);
- :mod:`klteach.fits`: fitting a Gaussian to a mixture by forward or reverse KL;
- :mod:`klteach.training`: softmax regression tracking cross-entropy and KL;
- :mod:`klteach.logits`: stable (log-)softmax, KL from logits, distillation, per-token RL KL;
- :mod:`klteach.bayes`: KL between Beta distributions, information gained from data;
- :mod:`klteach.information`: mutual information, conditional KL (the chain rule), merged outcomes;
- :mod:`klteach.fdivergences`: f-divergences from one formula, Rényi divergences;
- :mod:`klteach.variational`: the ELBO of a Gaussian approximation;
- :mod:`klteach.hypothesis_testing`: the best test between two coins (Stein's exponent), Sanov's exponential tilt.

Imported on first use: :mod:`klteach.drift` (binning, PSI, permutation tests,
drift reports), :mod:`klteach.text` (character counts, a bigram model,
temperature sampling), :mod:`klteach.datasets` (small real data shipped offline),
:mod:`klteach.plots` (house style and figures), :mod:`klteach.widgets`
(notebook explorers), :mod:`klteach.exercises` (checks with feedback); these three
re-export the course layer, :mod:`klteach.course` (the house style, the checks' machinery and
one module per notebook).
"""

import importlib

from ._validation import DistributionError
from .bayes import beta_bernoulli_information_gain, beta_kl
from .coding import huffman_code, huffman_lengths, ideal_code_lengths, shannon_lengths
from .continuous import HistogramEdgeWarning, continuous_kl
from .discrete import (
    cross_entropy,
    entropy,
    js_divergence,
    kl_contributions,
    kl_divergence,
    normalize,
)
from .estimators import MCEstimate, histogram_kl, knn_kl, mc_kl
from .fdivergences import f_divergence, renyi_divergence
from .fits import fit_gaussian, mixture_gaussian_kl, moment_match
from .gaussian import gaussian_kl, mvn_kl, vae_kl
from .hypothesis_testing import exponential_tilt, neyman_pearson_binomial
from .information import conditional_kl, merge_outcomes, mutual_information
from .logits import distillation_loss, kl_from_logits, log_softmax, per_token_kl, softmax
from .symmetric import (
    hellinger_distance,
    jeffreys_divergence,
    js_distance,
    pinsker_bound,
    total_variation,
)
from .training import softmax_regression
from .variational import gaussian_elbo

__version__ = "0.1.0"

# Imported on first use, so `import klteach` stays light (no matplotlib or
# ipywidgets) for code that only needs the maths.
_SUBMODULES = {"datasets", "discrete", "drift", "exercises", "plots", "widgets", "text"}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'klteach' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)


__all__ = [
    "DistributionError",
    "HistogramEdgeWarning",
    "cross_entropy",
    "entropy",
    "js_divergence",
    "kl_contributions",
    "kl_divergence",
    "normalize",
    "fit_gaussian",
    "hellinger_distance",
    "huffman_code",
    "huffman_lengths",
    "ideal_code_lengths",
    "shannon_lengths",
    "jeffreys_divergence",
    "js_distance",
    "mixture_gaussian_kl",
    "moment_match",
    "pinsker_bound",
    "softmax_regression",
    "total_variation",
    "MCEstimate",
    "continuous_kl",
    "gaussian_kl",
    "histogram_kl",
    "knn_kl",
    "mc_kl",
    "mvn_kl",
    "vae_kl",
    "distillation_loss",
    "kl_from_logits",
    "log_softmax",
    "per_token_kl",
    "softmax",
    "beta_bernoulli_information_gain",
    "beta_kl",
    "conditional_kl",
    "merge_outcomes",
    "mutual_information",
    "f_divergence",
    "renyi_divergence",
    "gaussian_elbo",
    "exponential_tilt",
    "neyman_pearson_binomial",
]
