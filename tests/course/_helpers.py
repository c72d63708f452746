"""Independent references shared by the course's claims tests (imported as ``from _helpers import ...``)."""

import mpmath as mp
import numpy as np


def mp_kl(p, q):
    """D(P||Q) in nats of the exact values of the floats p, q (assumed to sum to 1), at mpmath's precision."""
    return mp.fsum(mp.mpf(a) * mp.log(mp.mpf(a) / mp.mpf(b)) for a, b in zip(p, q) if a > 0)


def random_pairs(n, seed):
    """``n`` pairs of Dirichlet-drawn distributions on 2 to 7 outcomes, some sparse (concentration 0.1)."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        k = int(rng.integers(2, 8))
        alpha = rng.choice([0.1, 0.5, 1.0, 5.0])
        yield rng.dirichlet(np.full(k, alpha)), rng.dirichlet(np.full(k, alpha))
