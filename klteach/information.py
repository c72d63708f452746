"""Mutual information, conditional KL and merged outcomes: the properties that tie KL together.

* :func:`mutual_information`: I(X;Y) = D(P_XY || P_X P_Y), from a joint table;
* :func:`conditional_kl`: E_{P_X}[D(P_{Y|X} || Q_{Y|X})], the second term of
  the chain rule D(P_XY||Q_XY) = D(P_X||Q_X) + E_{P_X}[D(P_{Y|X}||Q_{Y|X})];
* :func:`merge_outcomes`: the distribution of f(X) when X has distribution
  P and f maps outcomes to groups (merging bins): by the data processing
  inequality D(f(P)||f(Q)) <= D(P||Q).

Conventions as in :mod:`klteach.discrete`: inputs must sum to 1 (never
normalised silently), ``base=None`` nats and ``base=2`` bits. A joint table
``joint[x, y]`` has X along rows (axis 0) and Y along columns (axis 1).
"""

from __future__ import annotations

import numpy as np

from ._numerics import _fix_nan, _gap_terms, _two_product
from ._validation import (
    DistributionError,
    _read_real,
    as_distribution,
    as_result,
    check_base,
    check_same_labels,
    in_units,
)

__all__ = ["mutual_information", "conditional_kl", "merge_outcomes"]


def _joint(table, name, divide=True):
    """``table`` checked as a 2-D joint distribution (all entries sum to 1); float64, exactly normalised.

    With ``divide=False``: the checked table as given, and its sum (dividing by a sum of 1 - 1e-16
    rounds every entry).
    """
    arr = _read_real(table, name, "a probability")
    if arr.ndim != 2:
        raise DistributionError(
            f"{name} must be a 2-D table of joint probabilities, {name}[x, y] = P(X = x, Y = y), "
            f"got {arr.ndim} dimension(s) (shape {arr.shape}); for a sequence of pairs, count them "
            f"into a table first (e.g. np.add.at(table, (xs, ys), 1)), then klteach.normalize(table.ravel())."
        )
    flat, total = as_distribution(arr.ravel(), name)
    if not divide:
        return flat.reshape(arr.shape), float(total)
    return (flat / total).reshape(arr.shape)


def mutual_information(joint, *, base=None):
    r"""Mutual information I(X;Y) of a joint distribution: the KL from the product of its marginals.

    .. math:: I(X;Y) = D(P_{XY} \,\|\, P_X P_Y)
              = \sum_{x,y} p(x,y) \log \frac{p(x,y)}{p(x)\,p(y)}
              = H(X) + H(Y) - H(X,Y)

    How far X and Y are from independent: 0 exactly when they are
    independent, at most ``min(H(X), H(Y))``. Computed as the KL divergence
    (:func:`klteach.kl_divergence`, accurate when X and Y are nearly
    independent), not as a difference of entropies, which cancels. The
    product p(x) p(y) is never rounded (it is carried exactly, in scaled
    form, so it neither underflows nor loses the digits where it agrees with
    p(x, y)): the result is within a few eps relative plus about eps**2
    absolute (the rounding of the marginals p(x), p(y) themselves), e.g.
    6.5e-12 relative at I = 9.9e-24 nats. A table that sums to 1 only within
    the tolerance (1 - 1e-16, say) is divided by its sum first, which rounds
    each entry and costs about eps * sqrt(I) absolute.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        Joint probabilities ``joint[x, y] = P(X = x, Y = y)``; all entries
        together must sum to 1 (counts: ``klteach.normalize`` first).
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.

    Returns
    -------
    float

    Raises
    ------
    DistributionError
        If ``joint`` is not 2-D, not a distribution (negative, NaN, not
        summing to 1, ...), or ``base`` is invalid.

    See Also
    --------
    klteach.entropy : H(X) + H(Y) - H(X,Y) gives the same number, less accurately.
    sklearn.metrics.mutual_info_score : the same from two label sequences (nats).

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, section 2.3.

    Examples
    --------
    >>> round(mutual_information([[0.5, 0], [0, 0.5]], base=2), 4)     # Y = X, a fair bit
    1.0
    >>> mutual_information([[0.25, 0.25], [0.25, 0.25]])     # independent
    0.0
    >>> round(mutual_information([[0.4, 0.1], [0.1, 0.4]], base=2), 4)
    0.2781
    """
    base = check_base(base)
    p = _joint(joint, "joint")
    px, py = p.sum(axis=1), p.sum(axis=0)
    return as_result(in_units(float(np.sum(_mi_terms(p, px, py))), base))


def _mi_terms(p, px, py):
    """The non-negative terms ``p log(p / q) + q - p`` of D(P_XY || P_X P_Y), ``q = p(x) p(y)``.

    ``q`` is never rounded to a float: with ``px = mx 2**ex``, ``py = my 2**ey``,
    ``p = pm 2**pe`` (mantissas in [0.5, 1)), ``mx my = h + l`` exactly and
    ``t = q / p - 1 = ((h - pm 2**-s) + l) 2**s / pm`` with ``s = ex + ey - pe``,
    so no product underflows and ``t`` is accurate to a few eps even when
    ``q`` and ``p`` agree to many digits. Within a row the ``q - p`` sum to
    ``p(x) (sum p(y) - 1) = 0``, so the rounding of the marginals themselves
    cancels to first order.
    """
    mx, ex = np.frexp(px)
    my, ey = np.frexp(py)
    pm, pe = np.frexp(p)
    h, l = _two_product(mx[:, None], my[None, :])
    e = ex[:, None] + ey[None, :]
    s = e - pe
    on = p > 0
    terms = np.ldexp(h, e)                        # cells with p = 0 contribute q (underflow: negligible)
    near = on & (np.abs(s) <= 3)                  # q / p within a factor 16: t from the exact product
    if near.any():
        sn = s[near]
        t = ((np.ldexp(h[near], sn) - pm[near]) + np.ldexp(l[near], sn)) / pm[near]
        ones = np.ones_like(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms[near] = p[near] * _fix_nan(_gap_terms(ones, 1.0 + t, t), ones, 1.0 + t)
    far = on & ~near
    if far.any():
        # q / p beyond 2**-4 .. 2**4: (q - p) - p log(q / p) has no cancellation; log(q / p) in
        # logarithms of the mantissas, so it stays finite when q underflows.
        log_ratio = np.log(h[far] + l[far]) - np.log(pm[far]) + s[far] * np.log(2.0)
        terms[far] = (np.ldexp(h[far], e[far]) - p[far]) - p[far] * log_ratio
    return terms


def conditional_kl(p_joint, q_joint, *, base=None):
    r"""Conditional KL: the average over P_X of D(P_{Y|X=x} || Q_{Y|X=x}).

    .. math:: D(P_{Y|X} \,\|\, Q_{Y|X} \mid P_X)
              = \sum_x p(x)\, D\big(P_{Y|X=x} \,\|\, Q_{Y|X=x}\big)
              = \sum_{x,y} p(x,y) \log \frac{p(y \mid x)}{q(y \mid x)}

    The second term of the chain rule
    ``D(P_XY||Q_XY) = D(P_X||Q_X) + conditional_kl(P_XY, Q_XY)``. Rows
    ``x`` with ``p(x) = 0`` contribute 0; a row with ``p(x) > 0`` and
    ``q(x) = 0`` has no conditional ``Q_{Y|X=x}`` and gives ``inf`` (as
    ``D(P_X||Q_X)`` does).

    Parameters
    ----------
    p_joint, q_joint : array_like, shape (n_x, n_y)
        Joint distributions of (X, Y), X along rows; each sums to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.

    Returns
    -------
    float

    Raises
    ------
    DistributionError
        If an input is not a 2-D distribution, the shapes differ, or ``base``
        is invalid.

    See Also
    --------
    mutual_information : D(P_XY || P_X P_Y).
    klteach.kl_divergence : D of the joint distributions, which the chain rule splits.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, section 2.5 (conditional relative entropy and the chain rule).

    Examples
    --------
    >>> P = [[0.3, 0.2], [0.1, 0.4]]
    >>> Q = [[0.25, 0.25], [0.25, 0.25]]
    >>> round(conditional_kl(P, Q), 4)       # 0.5 D((.6,.4)||(.5,.5)) + 0.5 D((.2,.8)||(.5,.5))
    0.1064
    """
    base = check_base(base)
    check_same_labels(p_joint, q_joint, ("p_joint", "q_joint"))
    (p, sp), (q, _) = _joint(p_joint, "p_joint", divide=False), _joint(q_joint, "q_joint", divide=False)
    if p.shape != q.shape:
        raise DistributionError(
            f"p_joint has shape {p.shape} but q_joint has shape {q.shape}; both must give "
            f"probabilities for the same (x, y) pairs, in the same order."
        )
    px, qx = p.sum(axis=1), q.sum(axis=1)
    if np.any((px > 0) & (qx == 0)):
        return float("inf")
    rows = px > 0
    p, q, a, b = p[rows], q[rows], px[rows, None], qx[rows, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # Q(y|x) / P(y|x) - 1 without rounding each p(x, y) / p(x): (q a - p b) / (p b), with
        # q a - p b = a (q - p) - p (b - a) and b - a = sum_y (q - p) (as klteach.kl_contributions)
        diff = q - p
        gap = np.sum(diff, axis=1, keepdims=True)
        t = (a * diff - p * gap) / (p * b)
        cond_p, cond_q = p / a, q / b
        terms = _fix_nan(_gap_terms(cond_p, cond_q, t), cond_p, cond_q)
    total = float(np.sum(a[:, 0] * np.sum(terms, axis=1))) / sp     # weights p(x) = a / sum(p)
    return as_result(in_units(total, base))


def merge_outcomes(p, groups, *, n_groups=None):
    r"""The distribution of f(X) when X ~ P and ``f(x) = groups[x]``: merge outcomes into groups.

    .. math:: P_{f(X)}(g) = \sum_{x:\, f(x) = g} p(x)

    Merging bins of a histogram is such a function. By the data processing
    inequality, ``kl_divergence(merge_outcomes(p, g), merge_outcomes(q, g))
    <= kl_divergence(p, q)`` for every ``g``: no deterministic function of
    the outcome can make two distributions more different.

    Parameters
    ----------
    p : array_like, shape (n,)
        A distribution over n outcomes; sums to 1.
    groups : array_like of int, shape (n,)
        The group (0, 1, ...) of each outcome.
    n_groups : int, optional
        Number of groups in the result (default ``max(groups) + 1``); groups
        that receive no outcome get probability 0.

    Returns
    -------
    ndarray, shape (n_groups,)

    Raises
    ------
    DistributionError
        If ``p`` is not a distribution, or ``groups`` is not one non-negative
        integer per outcome (below ``n_groups``).

    Examples
    --------
    >>> merge_outcomes([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])
    array([0.3, 0.7])
    >>> merge_outcomes([0.5, 0.5], [1, 1], n_groups=3)
    array([0., 1., 0.])
    """
    arr, total = as_distribution(p, "p")
    if arr.ndim != 1:
        raise DistributionError(f"p must be one distribution (1-D), got shape {arr.shape}.")
    g = np.asarray(groups)
    if g.shape != arr.shape:
        raise DistributionError(
            f"groups must give one group per outcome of p: p has {arr.size} outcomes, groups has "
            f"shape {g.shape}."
        )
    if g.dtype.kind not in "iu":
        if g.dtype.kind == "f" and np.all(np.isfinite(g)) and np.all(g == np.round(g)):
            g = g.astype(np.int64)
        else:
            raise DistributionError(
                f"groups must hold whole numbers (the group of each outcome, 0, 1, ...), got dtype {g.dtype}."
            )
    if g.size and g.min() < 0:
        raise DistributionError(f"groups has a negative group {int(g.min())}; groups are numbered 0, 1, ....")
    needed = int(g.max()) + 1
    if n_groups is None:
        n_groups = needed
    elif isinstance(n_groups, bool) or not isinstance(n_groups, (int, np.integer)) or n_groups < needed:
        raise DistributionError(
            f"n_groups must be an integer at least max(groups) + 1 = {needed}, got {n_groups!r}."
        )
    return np.bincount(g, weights=arr / total, minlength=int(n_groups))
