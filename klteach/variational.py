"""Variational inference: the evidence lower bound (ELBO) of a Gaussian approximation.

* :func:`gaussian_elbo`: ``E_q[log p(x, z)] + H(q)`` for ``q = N(mean, sd^2)``
  and any one-dimensional log joint density, by Gauss–Hermite quadrature.
  Since ``log p(x) = ELBO(q) + D(q || p(z|x))``, maximising it over q
  minimises the reverse KL to the posterior without ever normalising the
  posterior; it needs expectations under q only.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._validation import DistributionError, as_finite

__all__ = ["gaussian_elbo"]

_HALF_LOG_2PIE = 0.5 * math.log(2 * math.pi * math.e)


def _scalar(arr, name):
    if arr.ndim != 0:
        raise DistributionError(
            f"{name} must be a single number (q is one 1-D Gaussian), got an array of shape {arr.shape}; "
            f"for several q call gaussian_elbo once per q.")
    return float(arr)


def gaussian_elbo(log_joint, mean, sd, *, nodes=80):
    r"""Evidence lower bound of :math:`q = N(\mu, \sigma^2)` for a 1-D latent z with log joint ``log_joint(z)``.

    .. math:: \text{ELBO}(q) = \mathbb{E}_{q}[\log p(x, z)] - \mathbb{E}_q[\log q(z)]
              = \mathbb{E}_{q}[\log p(x, z)] + \tfrac12\log(2\pi e\sigma^2)
              = \log p(x) - D(q\,\|\,p(z\mid x)).

    The expectation is a Gauss–Hermite sum with ``nodes`` points,
    :math:`\sum_i w_i \log p(x, \mu + \sigma t_i)` (probabilists' nodes
    :math:`t_i`, weights :math:`w_i` summing to 1), exact when
    :math:`\log p(x, z)` is a polynomial in z of degree below ``2 * nodes``
    (a Gaussian model), and fast to converge for smooth log joints.

    .. warning::
       The quadrature sees ``log_joint`` only at the nodes. If the log joint
       is ``-inf`` somewhere on the real line (a prior with restricted
       support, e.g. a Gamma prior for z > 0) the true ELBO of any Gaussian
       q is ``-inf``, but the result is ``-inf`` only when a node lands
       there: with a Gamma(2, 1) prior and one x = 3 ~ N(z, 1), q = N(3, 0.5^2) gives
       ``-inf`` while q = N(3, 0.1^2) gives a finite -3.71. Likewise an
       integrable singularity is hit or missed depending on the nodes, and
       converges slowly when missed: for ``log N(z; 0, 1) + log|z|`` and
       q = N(0, 1) the true ELBO is -(γ + log 2)/2 = -0.635, but 81 nodes
       (one at 0) give ``-inf``, 80 give -0.538 and 500 give -0.596. Put such latents on an
       unconstrained scale first (e.g. z = log of a positive quantity, with the Jacobian in the
       log joint).

    Parameters
    ----------
    log_joint : callable
        ``log_joint(z)`` returns :math:`\log p(x, z)` (nats) elementwise for
        an array ``z``, the data x held fixed: log prior plus log likelihood.
        It need not be normalised over z.
    mean, sd : float
        Mean and standard deviation (> 0) of the Gaussian q.
    nodes : int
        Number of quadrature nodes, 2 to 500.

    Returns
    -------
    float
        The ELBO in nats (``-inf`` if ``log_joint`` is ``-inf`` at a node).

    Raises
    ------
    DistributionError
        If ``mean`` or ``sd`` is not finite, ``sd <= 0``, ``nodes`` is out of
        range, or ``log_joint`` returns the wrong shape, NaN or ``+inf``.

    See Also
    --------
    klteach.vae_kl : the KL term of the ELBO when the prior is N(0, 1).

    References
    ----------
    Bishop, *Pattern Recognition and Machine Learning* (2006), section 10.1;
    Kingma and Welling, "Auto-Encoding Variational Bayes" (2014).

    Examples
    --------
    Prior z ~ N(0, 1), one observation x = 1 ~ N(z, 1): the posterior is
    N(1/2, 1/2) and log p(x) = log N(1; 0, 2). At the posterior the ELBO
    equals log p(x):

    >>> from scipy import stats
    >>> log_joint = lambda z: stats.norm.logpdf(z) + stats.norm.logpdf(1.0, z, 1.0)
    >>> round(gaussian_elbo(log_joint, 0.5, np.sqrt(0.5)), 10), round(float(stats.norm.logpdf(1.0, 0, np.sqrt(2))), 10)
    (-1.5155121235, -1.5155121235)
    """
    if not callable(log_joint):
        raise DistributionError("log_joint must be a function of z returning log p(x, z), "
                                f"got {type(log_joint).__name__}.")
    mu = _scalar(as_finite(mean, "mean", what="the mean of q"), "mean")
    sigma = _scalar(as_finite(sd, "sd", positive=True, what="the standard deviation of q"), "sd")
    if isinstance(nodes, bool) or not isinstance(nodes, (int, np.integer)) or not 2 <= nodes <= 500:
        raise DistributionError(f"nodes must be an integer from 2 to 500, got {nodes!r}.")
    # numpy's hermegauss overflows to NaN weights above about 370 nodes; scipy's rule does not
    t, w = special.roots_hermitenorm(int(nodes))
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(w)) and np.all(w >= 0)):
        raise DistributionError(f"the {nodes}-point Gauss-Hermite rule has non-finite or negative "
                                "weights in this scipy; use fewer nodes.")
    w = w / w.sum()
    z = mu + sigma * t
    values = np.asarray(log_joint(z), dtype=float)
    if values.shape != z.shape:
        raise DistributionError(
            f"log_joint must return one value per z (shape {z.shape}), got shape {values.shape}; "
            f"write it with numpy operations so that it works elementwise on an array.")
    if np.any(np.isnan(values)) or np.any(values == np.inf):
        bad = z[np.isnan(values) | (values == np.inf)][0]
        raise DistributionError(
            f"log_joint returned {'NaN' if np.any(np.isnan(values)) else '+inf'} at z = {bad!r}; "
            f"a log density must be a number or -inf (zero density) at every z.")
    if np.any(values == -np.inf):
        return -math.inf
    return float(w @ values + _HALF_LOG_2PIE + math.log(sigma))
