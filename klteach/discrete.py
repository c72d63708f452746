"""Entropy, cross-entropy, KL and Jensen-Shannon divergences of discrete distributions.

Conventions, like :func:`scipy.stats.entropy` where scipy is right:
``base=None`` gives nats, ``base=2`` bits; reductions run along ``axis``; a
single distribution gives a Python float, a batch gives an array.

Unlike scipy, inputs are never normalised silently: each distribution must
sum to 1 (within ``1e-9`` for float64, see
:func:`klteach._validation.sum_tolerance`) or a :class:`DistributionError`
says what it sums to. Inputs within that tolerance are treated as the exactly
normalised distributions ``p / sum(p)``.

Inputs are computed in float64: ``float32`` and ``float16`` are converted
exactly, but ``longdouble`` (extended precision) inputs are rounded to
float64 first, so their extra digits are not used.

Accuracy: KL is summed as non-negative terms ``p * (t - log1p(t))`` with
``t = (q - p) / p`` (an atanh series for ``-0.5 <= t <= 1``, ``log(q / p)``
outside it), each within about 12 eps (2.7e-15) of the exact term,
relative (11.4 eps the most measured, at t just below -0.5, where a term
moves 2.7 times as much as t, which carries the rounding of p / sum(p)),
so the KL keeps about 15 significant digits even when P and Q are nearly
identical and it is 1e-17, where ``sum(p * log(p / q))`` loses every
digit. Jensen-Shannon uses ``2 s atanh(s) + log1p(-s**2)`` with
``s = (q - p) / (q + p)`` in the same spirit (from 25 to 70 outcomes,
scipy's ``log1p(u) - u`` at ``u = (q - p) / 2p``, whose terms never cancel). These relative accuracies hold
for inputs that sum to exactly 1; for inputs whose sums are off by up to the
1e-9 tolerance, normalising adds small absolute errors (observed up to about
1e-33 for KL, 1e-43 for JS and 2e-25 for total variation, with sums off by
up to 9e-10), which are visible only for near-identical distributions: a KL
of 1e-30 was 1e-5 off, relative, and a JS of 3.4e-34 2.3e-10 off.
Where an entropy or cross-entropy is below 1 nat, they take the log of each
input's exact total (its float64 sum's rounding recovered), so the entropy of
a nearly deterministic P keeps its digits (``[1e-17, 1]``: 4.0144e-16 nats,
within 1 eps; ``log`` of the rounded total would give 3.9144e-16); inputs
whose sums are off from 1 within the tolerance add an absolute error of about
eps times the offset (3e-10 relative for ``[4.2e-19, 1 - 4.5e-10]``, whose
entropy is 1.8e-17; all of it for ``[1e-30, 1 - 9e-10]``, whose entropy of
7e-29 comes out 0).

Speed: one pass over cache-sized blocks computes the checks' sums and the
terms together, instead of several full-size temporaries.

Masked arrays are refused (numpy would silently use the masked values), and
so are labelled inputs (pandas Series, DataFrames) whose labels differ.
"""

from __future__ import annotations

import math
import operator
import sys

import numpy as np
import scipy.special
from scipy.special import entr, xlogy

from ._numerics import _TINY, _at, _fix_nan, _gap_terms, log_exact_total
from ._validation import (
    DistributionError,
    _as_float_array,
    _check_axis,
    as_distribution,
    as_distribution_pair,
    as_nonnegative,
    as_result,
    broadcast_pair,
    check_base,
    check_same_labels,
    in_units,
    log_base,
    sum_tolerance,
)

__all__ = ["entropy", "cross_entropy", "kl_divergence", "js_divergence",
           "kl_contributions", "normalize", "DistributionError"]

# Elements per block of the one-pass loops: the few block-sized temporaries
# (128 KiB each) stay in the L2 cache instead of streaming full-size arrays.
_BLOCK = 1 << 14

_LN2 = math.log(2.0)
_F64 = np.dtype(np.float64)
# js_divergence's one-pair paths: Python floats up to _PYTHON_MAX outcomes (where a
# loop over them is cheaper than the numpy calls), ones for short sums as dot products,
# and the far form of the terms where s**2 > 0.49 (|s| > 0.7).
_PYTHON_MAX = 24
# Its numpy path up to _JS_ONE_PAIR_MAX outcomes and its blocks beyond: a dozen
# temporaries, each below 128 KiB, where glibc's malloc would map fresh (page-faulting)
# memory for every call; at 16385 outcomes that more than doubled the time.
_JS_ONE_PAIR_MAX, _JS_BLOCK = 15000, 15 * 1024
_DOT_MAX = 2048
_ONES = np.ones(_DOT_MAX)
_ONES.flags.writeable = False
_FAR_S2, _HALF = np.array(0.49), np.array(0.5)   # 0-d arrays: cheaper operands than Python floats
_NEAR_S, _NEAR_S_NEG = np.array(0.7), np.array(-0.7)
_NORMAL = sys.float_info.min      # the smallest normal double: entries below it take the general path
# entries all above it: every s = (q - p) / (q + p) lies at least 2**-40 inside +-1, far beyond its rounding
_NO_POLE = 2.0 ** -40
_ONES_UPTO = [_ONES[:k] for k in range(_DOT_MAX + 1)]   # (a list index costs less than a slice)
# From _PYTHON_MAX + 1 to _FEW_MAX outcomes the terms come from scipy's log1p(x) - x (a series near 0), which
# costs more per outcome than numpy's logs but half their calls; it is scipy's own (its gamma functions use it)
# and not public, so a scipy without it takes the next path.
_FEW_MAX = 70
_log1pmx = getattr(scipy.special._ufuncs, "_log1pmx", None)
# the ufuncs of the one-pair paths, bound once (saves an attribute lookup per call, tens of ns each)
_dot, _copyto, _add_reduce, _min_reduce = np.dot, np.copyto, np.add.reduce, np.minimum.reduce
_subtract, _divide, _negative, _greater, _multiply = np.subtract, np.divide, np.negative, np.greater, np.multiply
_log1p, _log, _arctanh = np.log1p, np.log, np.arctanh
_minimum, _maximum = np.minimum, np.maximum


def _f_norm(u):
    """``u - log1p(u)`` for the ``|u| <= 0.021`` that the sum tolerance allows.

    The atanh series of :func:`_series` with ``|s| <= 0.011``: four terms reach
    double precision. ``u`` is a float or an array.
    """
    s = u / (2.0 + u)
    s2 = s * s
    return s * (u - 2.0 * s2 * (1 / 3 + s2 * (1 / 5 + s2 * (1 / 7 + s2 / 9))))


def _read_pair(p, q, axis):
    """Read ``p`` and ``q`` for the block loops.

    Returns ``(p2, q2, batch_shape, tol_p, tol_q)``: 2-D views (rows, outcomes),
    with one row when an input is a single distribution paired with a batch;
    their dtype is any real one (blocks are converted to float64 as they are used).
    """
    if (type(p) is np.ndarray and type(q) is np.ndarray and p.dtype == np.float64
            and q.dtype == np.float64 and p.shape == q.shape and p.ndim in (1, 2)
            and type(axis) is int and axis in (-1, p.ndim - 1) and p.size and p.shape[-1]):
        # the common case, without the general machinery: 1-D or rows of a 2-D array
        if p.ndim == 1:
            return p.reshape(1, -1), q.reshape(1, -1), (), 1e-9, 1e-9
        return p, q, p.shape[:1], 1e-9, 1e-9
    check_same_labels(p, q, axis=axis)
    pa, tp = _as_float_array(p, "p", convert=False)
    qa, tq = _as_float_array(q, "q", convert=False)
    ax_p = _check_axis(axis, pa.ndim, "p")
    ax_q = _check_axis(axis, qa.ndim, "q")
    try:
        if pa.size == 0 or qa.size == 0:
            raise DistributionError("empty")
        shape = broadcast_pair(pa, qa, axis=axis)
    except DistributionError:
        # A bad p or q is reported first, as as_distribution_pair does.
        as_distribution(p, "p", axis=axis)
        as_distribution(q, "q", axis=axis)
        raise
    batch = shape[:len(shape) - (pa.ndim - ax_p)] + shape[len(shape) - (pa.ndim - ax_p) + 1:]
    return (_as_rows(pa, ax_p, batch), _as_rows(qa, ax_q, batch), batch,
            sum_tolerance(tp), sum_tolerance(tq))


def _as_rows(x, axis, batch):
    if axis != x.ndim - 1:
        x = np.moveaxis(x, axis, -1)
    n = x.shape[-1]
    if x.size == n:
        return x.reshape(1, n)
    if x.shape[:-1] != batch:   # partial broadcasting, e.g. (3, 1, n) with (1, 4, n)
        x = np.broadcast_to(x, batch + (n,))
    return x.reshape(-1, n)


def _blocks(p2, q2, block=_BLOCK):
    """Yield ``(rows, pc, qc)``: float64 blocks of at most about ``block`` entries."""
    m, n = max(p2.shape[0], q2.shape[0]), p2.shape[1]
    if n >= block:
        spans = [(slice(r, r + 1), slice(c, c + block)) for r in range(m) for c in range(0, n, block)]
    else:
        step = max(block // n, 1)
        spans = [(slice(r, r + step), slice(0, n)) for r in range(0, m, step)]
    for rows, cols in spans:
        pc = p2[rows if p2.shape[0] > 1 else slice(None), cols]
        qc = q2[rows if q2.shape[0] > 1 else slice(None), cols]
        yield rows, _float64(pc), _float64(qc)


def _float64(x):
    """``x`` as a C-contiguous float64 array: numpy sums the rows of a strided block (axis=0 input,
    a transpose) left to right, not pairwise, and the rounding of the sums reached the result (39 eps)."""
    return x if x.dtype == np.float64 and x.flags.c_contiguous else np.ascontiguousarray(x, dtype=np.float64)


def _one_block(p2, q2):
    """The whole input as one float64 block; 1-D for a single pair, so that
    reductions give scalars (cheaper than 1-element arrays)."""
    if p2.shape[0] == 1 and q2.shape[0] == 1:
        p2, q2 = p2[0], q2[0]
    return _float64(p2), _float64(q2)


def _is_single_block(p2, q2, block=_BLOCK):
    return max(p2.shape[0], q2.shape[0]) * p2.shape[1] <= block


def _check_sums(p, q, axis, stats, tol_p, tol_q):
    """Raise the detailed DistributionError unless both inputs are distributions.

    ``stats`` holds the sums and minima gathered by the block loops; only when
    they show a problem is the full diagnosis of :func:`as_distribution` run.
    NaN and inf make a sum fail the comparison, so they are caught too.
    """
    sp, sq, _, min_p, min_q = stats
    if sp.size == 1 and sq.size == 1:   # one pair: Python floats are cheaper
        if (abs(sp.item() - 1.0) <= tol_p and abs(sq.item() - 1.0) <= tol_q
                and min_p.item() >= 0 and min_q.item() >= 0):
            return
    elif ((abs(sp - 1.0) <= tol_p).all() and (abs(sq - 1.0) <= tol_q).all()
            and (min_p >= 0).all() and (min_q >= 0).all()):
        return
    as_distribution(p, "p", axis=axis)
    as_distribution(q, "q", axis=axis)


def _block_sums(pc, qc, diff):
    """Row sums of p, q and ``q - p``, and row minima of p and q, for one block.

    The sum of q is formed as ``sum(p) + sum(q - p)``: one reduction fewer,
    and as accurate (``sum(q - p)`` has no cancellation error of its own).
    """
    sp, dsum = np.add.reduce(pc, axis=-1), np.add.reduce(diff, axis=-1)
    low = np.minimum.reduce(np.minimum(pc, qc), axis=-1)   # the smaller of both minima
    return sp, sp + dsum, dsum, low, low


def _accumulate(acc, rows, part):
    for a, b in zip(acc[:3], part[:3]):
        a[rows] += b
    for a, b in zip(acc[3:], part[3:]):
        a[rows] = np.minimum(a[rows], b)


def _new_acc(m, extra=0):
    return [np.zeros(m) for _ in range(3)] + [np.full(m, np.inf) for _ in range(2)] + \
        [np.zeros(m) for _ in range(extra)]


def kl_divergence(p, q, *, base=None, axis=-1):
    r"""Kullback-Leibler divergence D(P||Q) of discrete distributions.

    .. math:: D(P\|Q) = \sum_x p(x) \log \frac{p(x)}{q(x)}

    P is the reference ("true") distribution, Q the model. Terms with
    p(x) = 0 contribute 0; p(x) > 0 where q(x) = 0 makes D(P||Q) infinite
    (returned as ``inf``, without a warning).

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1. A single vector may
        be paired with a batch (for an ``axis`` other than the last, give it
        the batch's number of dimensions, e.g. ``q[:, None]`` for axis 0).
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits; must be > 1.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray
        D(P||Q) in the units of ``base``; a float for one pair. The sum of
        the non-negative terms of :func:`kl_contributions`.

    Raises
    ------
    DistributionError
        If an input is not a distribution (negative, NaN, empty, not summing
        to 1, masked, ...), the shapes or labels do not match, or ``base`` is
        invalid.

    See Also
    --------
    kl_contributions : The per-outcome terms this function sums.
    cross_entropy : H(P, Q) = H(P) + D(P||Q), the average code length with Q's code.
    js_divergence : A symmetric relative of D, always finite.
    scipy.special.rel_entr : The bare terms p log(p/q), element by element: their sum
        is D(P||Q) only if both inputs sum to 1, which it does not check.
    scipy.stats.entropy : ``entropy(p, q)`` is D(P||Q) as well, but reduces along
        ``axis=0`` by default (here ``axis=-1``, each row a distribution) and
        silently normalises ``p`` and ``q``: an input summing to 1.1 gives a number
        where this function raises.

    Notes
    -----
    Each term is computed as :math:`p\,(t - \log(1 + t))` with :math:`t = (q - p)/p`,
    which is never negative (each within about 12 eps of the exact term), and the sum is
    within a few eps of the exact D(P||Q), relative (4 eps on the tests' pairs, 6.5 eps
    measured on 1000 terms), including for nearly identical P and Q, where the terms
    :math:`p \log(p/q)` have opposite signs and cancel (``tests/test_discrete.py``
    checks it against mpmath at 80 digits). The result is never negative, so Gibbs'
    inequality D(P||Q) >= 0 holds for the returned value too.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, section 2.3 (relative entropy) and Theorem 2.6.3 (information
           inequality).

    Examples
    --------
    >>> round(kl_divergence([1, 0], [0.8, 0.2]), 4)   # cat classifier, nats
    0.2231
    >>> round(kl_divergence([1, 0], [0.8, 0.2], base=2), 4)
    0.3219
    >>> kl_divergence([0.5, 0.5], [1, 0])
    inf
    """
    base = check_base(base)
    p2, q2, batch, tol_p, tol_q = _read_pair(p, q, axis)
    # One pass over cache-sized blocks: the checks' sums and minima, sum(q - p)
    # for the normalisation, and the terms.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if _is_single_block(p2, q2):
            pc, qc = _one_block(p2, q2)
            stats = _block_sums(pc, qc, diff := qc - pc)
            total = _kl_block(pc, qc, diff)
        else:
            m = max(p2.shape[0], q2.shape[0])
            stats, total = _new_acc(m), np.zeros(m)
            for rows, pc, qc in _blocks(p2, q2):
                diff = qc - pc
                _accumulate(stats, rows, _block_sums(pc, qc, diff))
                total[rows] += _kl_block(pc, qc, diff)
        _check_sums(p, q, axis, stats, tol_p, tol_q)
        # D(p/sp || q/sq) = total / sp - (u - log1p(u)), u = sum(q) / sum(p) - 1 from
        # the exact differences rather than two rounded sums.
        sp, dsum = stats[0], stats[2]
        if not batch:
            sp, dsum, total = sp.item(), dsum.item(), total.item()
        kl = total / sp - _f_norm(dsum / sp)
        # Where the sums differ (within the tolerance) and D is far below total / sp,
        # both terms are about u^2 / 2 and their difference has lost digits (2e-6
        # relative at D = 1e-28 with sums 1e-9 apart): those rows are redone with the
        # normalisation carried into every term, which are then all >= 0.
        lossy = np.asarray(kl < 1e-6 * (total / sp))
        if lossy.any():
            kl = _kl_normalised_rows(p2, q2, sp, dsum, kl, lossy)
    return in_units(np.maximum(kl, 0.0).reshape(batch), base) if batch else \
        max(kl, 0.0) / log_base(base)


def _kl_normalised_rows(p2, q2, sp, dsum, kl, rows):
    """D(p/sp || q/sq) for the flagged rows as a sum of non-negative terms a (t - log1p t),
    a = p / sp, b = q / sq, t = b / a - 1 = ((q - p) - p u) / (p (1 + u)), u = sum(q - p) / sp."""
    scalar = np.ndim(kl) == 0
    out = np.array(kl, dtype=float).reshape(-1)
    # (one p against a batch of q has one sum of p and one of q - p per row only where q varies: broadcast both)
    sp, dsum = (np.broadcast_to(np.asarray(v, dtype=float).reshape(-1), out.shape) for v in (sp, dsum))
    for r in np.flatnonzero(np.asarray(rows).reshape(-1)):
        pc = _float64(p2[r if p2.shape[0] > 1 else 0])
        qc = _float64(q2[r if q2.shape[0] > 1 else 0])
        u = dsum[r] / sp[r]
        a, b = pc / sp[r], qc / (sp[r] * (1.0 + u))
        t = ((qc - pc) - pc * u) / (pc * (1.0 + u))
        out[r] = math.fsum(_fix_nan(_gap_terms(a, b, t), a, b))
    return out.item() if scalar else out


def _kl_block(pc, qc, diff):
    """Row sums of the KL terms of one block (``diff = qc - pc``, exact when they are close)."""
    d = _gap_terms(pc, qc, diff / pc)
    total = np.add.reduce(d, axis=-1)
    if np.isnan(total).any():
        total = np.add.reduce(_fix_nan(d, pc, qc), axis=-1)
    return total


def js_divergence(p, q, *, base=None, axis=-1):
    r"""Jensen-Shannon divergence of two discrete distributions.

    .. math:: JS(P, Q) = \tfrac12 D(P\|M) + \tfrac12 D(Q\|M),
              \quad M = \tfrac12 (P + Q)

    Symmetric, always finite, and bounded by log 2: at most ``ln 2 = 0.6931``
    nats, or 1 bit with ``base=2``. This is the *divergence*; its square root
    is the Jensen-Shannon *distance* (a metric), which is what
    :func:`scipy.spatial.distance.jensenshannon` returns.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray

    Raises
    ------
    DistributionError
        As for :func:`kl_divergence`.

    See Also
    --------
    klteach.js_distance : Its square root, a metric.
    kl_divergence : The divergence JS averages, from each distribution to M.
    scipy.spatial.distance.jensenshannon : Returns the *distance* (the square root,
        at most sqrt(ln 2) = 0.8326 in nats), reduces along ``axis=0`` by default and
        silently normalises ``p`` and ``q``.

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy", *IEEE
           Transactions on Information Theory* 37(1), 145-151, 1991.

    Examples
    --------
    >>> js_divergence([1, 0], [0, 1], base=2)   # disjoint supports: the maximum
    1.0
    >>> round(js_divergence([0.36, 0.48, 0.16], [1/3, 1/3, 1/3]), 4)
    0.0225
    """
    base = check_base(base)
    if (type(p) is np.ndarray and type(q) is np.ndarray and p.dtype is _F64 and q.dtype is _F64
            and p.ndim == 1 and p.shape == q.shape and type(axis) is int and axis in (-1, 0)):
        # one pair of float64 vectors, the commonest call: paths without the general
        # machinery, which return None for anything they do not handle (bad input included)
        n = p.shape[0]
        if 0 < n <= _JS_ONE_PAIR_MAX:
            js = (_js_python(p, q) if n <= _PYTHON_MAX else
                  _js_few(p, q) if n <= _FEW_MAX and _log1pmx is not None else
                  _js_short(p, q) if n <= _DOT_MAX else _js_one_pair(p, q))
            if js is not None:
                return js if base is None else js / log_base(base)
    p2, q2, batch, tol_p, tol_q = _read_pair(p, q, axis)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if _is_single_block(p2, q2, _JS_BLOCK):
            pc, qc = _one_block(p2, q2)
            stats = _block_sums(pc, qc, diff := qc - pc)
            _check_sums(p, q, axis, stats, tol_p, tol_q)
            sp, sq, dsum = stats[:3]
            if sp.size == 1 and sq.size == 1 and dsum.size == 1:
                sp, sq, dsum = sp.item(), sq.item(), dsum.item()
            total = _js_block(pc, qc, diff, sp, sq, dsum)
        else:   # two passes: the sums first, for the normalised mixture
            m = max(p2.shape[0], q2.shape[0])
            stats, total = _new_acc(m), np.zeros(m)
            for rows, pc, qc in _blocks(p2, q2, _JS_BLOCK):
                _accumulate(stats, rows, _block_sums(pc, qc, qc - pc))
            _check_sums(p, q, axis, stats, tol_p, tol_q)
            sp, sq, dsum = stats[:3]
            one = (sp.item(), sq.item(), dsum.item()) if m == 1 else None
            for rows, pc, qc in _blocks(p2, q2, _JS_BLOCK):
                if one:        # a single pair: 1-D blocks and Python floats (index by position, not mask)
                    total[rows] += _js_block(pc[0], qc[0], qc[0] - pc[0], *one)
                else:
                    total[rows] += _js_block(pc, qc, qc - pc, sp[rows], sq[rows], dsum[rows])
        # 0 <= JS <= ln 2, which rounding could cross by an ulp (disjoint supports)
        if not batch:
            sp, sq = (sp, sq) if isinstance(sp, float) else (sp.item(), sq.item())
            return min(max(total.item() / (4.0 * sp * sq), 0.0), _LN2) / log_base(base)
        js = total / (4.0 * sp * sq)
    return in_units(np.clip(js, 0.0, _LN2).reshape(batch), base)


def _js_python(p, q):
    """JS in nats of two short float64 vectors, in Python floats; None to take another path.

    Up to about 24 outcomes a loop over Python floats (``math.atanh``,
    ``math.log1p``) costs less than the calls of the numpy path. The same
    formulas as :func:`_js_block`. The sums (of p, of q - p and of the terms) are
    :func:`math.fsum` (correctly rounded). None when a quick check fails: a sum off by more than the
    tolerance, NaN or inf (their sums fail the check, or ``fsum`` raises), a
    negative entry; the general path then raises the detailed error.
    """
    pl, ql = p.tolist(), q.tolist()
    try:
        sp = math.fsum(pl)
        dl = list(map(operator.sub, ql, pl))
        dsum = math.fsum(dl)
    except (OverflowError, ValueError):   # huge or infinite entries
        return None
    sq = sp + dsum
    if not (abs(sp - 1.0) <= 1e-9 and abs(sq - 1.0) <= 1e-9 and min(pl) >= 0 and min(ql) >= 0):
        return None
    r, c = sq / sp, dsum / sp
    try:
        total = _js_python_sum(pl, ql, dl, r, c)
    except ZeroDivisionError:         # p(x) = q(x) = 0: such outcomes add nothing
        keep = [i for i, (a, b) in enumerate(zip(pl, ql)) if a or b]
        total = _js_python_sum([pl[i] for i in keep], [ql[i] for i in keep], [dl[i] for i in keep], r, c)
    return min(max(total / (4.0 * sq), 0.0), _LN2)


def _js_python_sum(pl, ql, dl, r, c):
    """``4 sp sq / sp`` times the JS of Python float lists: the sum of ``den * g(s)`` of :func:`_js_block`."""
    atanh, log1p, log = math.atanh, math.log1p, math.log
    terms = []
    for a, b, d in zip(pl, ql, dl):
        pr = a * r
        den = b + pr
        s = (d - a * c) / den
        if -0.7 <= s <= 0.7:
            terms.append(den * (2.0 * s * atanh(s) + log1p(-s * s)))
        else:                         # 1 -+ s formed directly; 0 log 0 = 0
            x, y = 2.0 * pr / den, 2.0 * b / den   # not over den / 2, which underflows to 0 at 5e-324
            terms.append(den * ((x * log(x) if x else 0.0) + (y * log(y) if y else 0.0)))
    return math.fsum(terms)         # (summed left to right, 28 terms lost up to 10.8 eps)


def _checked_pair(p, q):
    """The checks of :func:`_js_few` and :func:`_js_short`, in an order that cannot warn: every entry from the
    smallest normal double up, then the sum of p, ``q - p`` and its sum within the tolerance. Returns
    ``(smallest entry, q - p, sum of p, sum of q - p, sum of q)``, or None."""
    low = float(_min_reduce(_minimum(p, q), 0))
    if not low >= _NORMAL:
        return None
    ones = _ONES_UPTO[p.shape[0]]
    sp = float(_dot(p, ones))
    if not abs(sp - 1.0) <= 1e-9:
        return None
    diff = q - p                       # (p finite, q positive: no overflow)
    dsum = float(_dot(diff, ones))
    sq = sp + dsum
    return None if not abs(sq - 1.0) <= 1e-9 else (low, diff, sp, dsum, sq)


def _js_few(p, q):
    """JS in nats of two float64 vectors of up to :data:`_FEW_MAX` positive entries, or None to take another path.

    Each outcome's term is ``-(p L(u_p) + q L(u_q)) / 2`` for the normalised P and Q, with ``L(u) = log1p(u) - u``
    (scipy's ``_log1pmx``: accurate near 0, where the two cancel) and ``u_p = (q - p) / (2 p)``,
    ``u_q = (p - q) / (2 q)``, both at least -1/2; every term is >= 0, so none cancels another. About 15 numpy
    calls, no ``np.errstate``: the checks come first (entries from the smallest normal double up, sums within
    tolerance), after which no operation can overflow, divide by 0 or leave L's domain. None for a zero, a
    subnormal, a negative, NaN or inf entry, or sums off: the other paths handle zeros, and the general path
    raises the detailed error.
    """
    checked = _checked_pair(p, q)
    if checked is None:
        return None
    _, diff, sp, dsum, sq = checked
    # q sp / sq - p = diff - q dsum / sq: the normalised difference without cancelling the sums
    num = q * (dsum / sq)
    _subtract(diff, num, out=num)
    up = _divide(num * _HALF, p, out=diff)            # (q' - p') / (2 p')
    uq = num * (-0.5 * sq / sp)
    uq /= q                                           # (p' - q') / (2 q')
    total = float(_dot(p, _log1pmx(up, out=up))) / sp + float(_dot(q, _log1pmx(uq, out=uq))) / sq
    return min(max(-0.5 * total, 0.0), _LN2)


def _js_short(p, q):
    """JS in nats of two float64 vectors of up to :data:`_DOT_MAX` positive entries, or None to take another path.

    :func:`_js_block` written out for one pair of vectors, where the cost of each numpy call is most of the time:
    sums as dot products with ones; ``g(s) = 2 s atanh(s) + log1p(-s**2)``, replaced where ``|s| > 0.7`` by the
    far form ``x log x + y log y`` (``x, y = 1 -+ s`` formed from p and q), in the buffers no longer needed. No
    ``np.errstate`` (a microsecond here): the checks come first (entries from the smallest normal double up, sums
    within tolerance), after which no operation can overflow, divide by 0 or leave a log's domain (``s`` is
    clipped first when an entry below 2**-40 could let it round to +-1). None for a zero, a subnormal, a
    negative, NaN or inf entry, or sums off: the general path handles zeros and raises the detailed error.
    """
    checked = _checked_pair(p, q)
    if checked is None:
        return None
    low, diff, sp, dsum, sq = checked
    r, c = sq / sp, dsum / sp
    pr = p * r
    den = q + pr
    s = p * c
    _subtract(diff, s, out=s)
    s /= den                           # (Q - P) / (Q + P) for the normalised P, Q
    s2 = s * s
    far = _greater(s2, _FAR_S2)
    if low < _NO_POLE:
        # an entry below 2**-40, where s may round to +-1, the pole of atanh (and of log1p(-s**2)): s clipped to
        # [-0.7, 0.7], whose g(s) the far form replaces
        _minimum(s, _NEAR_S, out=s)
        _maximum(s, _NEAR_S_NEG, out=s)
        _multiply(s, s, out=s2)
    g = _arctanh(s)
    g *= s
    g += g                             # 2 s atanh(s)
    _negative(s2, out=s2)
    g += _log1p(s2, out=s2)            # + log1p(-s**2)
    half = den * _HALF                 # (exact: den is a normal double)
    x = _divide(pr, half, out=pr)      # 1 - s
    y = _divide(q, half, out=half)     # 1 + s
    lx, ly = _log(x, out=diff), _log(y, out=s)
    lx *= x
    ly *= y
    lx += ly
    _copyto(g, lx, where=far)
    return min(max(float(_dot(g, den)) / (4.0 * sq), 0.0), _LN2)


def _js_one_pair(p, q):
    """JS in nats of two float64 vectors of more than :data:`_DOT_MAX` outcomes (up to
    :data:`_JS_ONE_PAIR_MAX`), or None to take the general path: :func:`_js_block` on the whole vectors, with
    floating-point warnings silenced.

    A ``with`` block inside the call, not ``np.errstate`` as a decorator: under
    numpy 1.x a decorator re-enters one shared ``errstate`` instance, which
    keeps the state to restore on itself, so two threads in the function at
    once could restore each other's error state.
    """
    with np.errstate(all="ignore"):
        diff = q - p
        sp, dsum = float(_add_reduce(p, 0)), float(_add_reduce(diff, 0))   # (BLAS may start threads here)
        sq = sp + dsum
        if not (abs(sp - 1.0) <= 1e-9 and abs(sq - 1.0) <= 1e-9):
            return None
        if not _min_reduce(q + p, 0) >= 0:
            return None                # p(x) < 0 and q(x) < 0 somewhere (one alone makes a log NaN)
        total = float(_js_block(p, q, diff, sp, sq, dsum, zeros=False))
        return None if total != total else min(max(total / (4.0 * sp * sq), 0.0), _LN2)


def _js_near(s, w):
    """``g(s) = 2 s atanh(s) + log1p(-s**2)`` as ``s log1p(w) + log1p(-s**2)``, ``w = 2 s / (1 - s)``.

    ``w = (Q - P) / P`` is formed from p and q, not from ``s``. Each ``log1p(z)``
    is ``log(u) + (z - (u - 1)) / u`` with ``u = 1 + z`` rounded, the first-order
    correction for that rounding (``u - 1`` is exact for ``u`` from 0.5 up, and
    ``u >= 0.15`` here): numpy's ``log`` is vectorised on every x86-64 machine
    and costs about half its ``log1p`` (4.4 against 8.5 ns on an AVX2 machine).
    Returns g, within a few eps for ``|s| <= 0.7``, and ``s**2``, in ``w``'s buffer.
    """
    u = w + 1.0
    g = np.log(u)
    t = u - 1.0
    np.subtract(w, t, out=t)
    t /= u
    g += t                            # log1p(w)
    g *= s
    s2 = np.multiply(s, s, out=w)
    v = np.subtract(1.0, s2, out=u)
    lv = np.log(v)
    np.subtract(v, 1.0, out=t)
    t += s2
    t /= v
    lv -= t                           # log1p(-s**2)
    g += lv
    return g, s2


def _js_block(pc, qc, diff, sp, sq, dsum, *, zeros=True):
    """Row sums of ``4 sp sq`` times the Jensen-Shannon terms of one block.

    ``sp``, ``sq``, ``dsum``: the rows' sums of p, q and q - p, as Python
    floats for a single row (cheaper) or as arrays. With ``s = (Q - P) / (Q + P)``
    for the normalised P and Q, an outcome's term is ``(P + Q) g(s) / 4`` with
    ``g(s) = (1 + s) log(1 + s) + (1 - s) log(1 - s) = 2 s atanh(s) + log1p(-s**2)``;
    the second form cancels by at most a factor 2.24 (its larger term over the result) for ``|s| <= 0.7``, beyond
    which ``1 - s`` and ``1 + s`` are formed directly from p and q. With
    ``zeros=False``, a zero of p or q (or a negative entry) makes the sum NaN.
    """
    one = isinstance(sp, float)
    a, b, gap = (sp, sq, dsum) if one else (sp[:, None], sq[:, None], dsum[:, None])
    # Q - P and Q + P times sp * sq / sp: q - p sq / sp = (q - p) - p (sq - sp) / sp,
    # with no cancellation; the 1 / sp is put back at the end.
    r, c = b / a, gap / a
    num = diff if one and c == 0.0 else diff - pc * c
    pr = pc if one and r == 1.0 else pc * r
    den = qc + pr
    s = num / den
    g, s2 = _js_near(s, np.divide(num, pr, out=num if num is not diff else None))
    # 1 -+ s lose their digits as |s| -> 1: there form them directly and use
    # x log x + y log y, on those entries only (two logs cost more than picking them out)
    far = np.greater(s2, _FAR_S2)
    if far.any():
        far = np.flatnonzero(far) if one else far     # (taking by index is cheaper than by mask)
        dn = _at(den, far) if not one else den[far]
        x = (_at(pr, far) if not one else pr[far]) / dn
        x += x                        # 1 - s = 2 p sq / (q sp + p sq)
        y = (_at(qc, far) if not one else qc[far]) / dn
        y += y                        # 1 + s = 2 q sp / (q sp + p sq)
        lx, ly = np.log(x), np.log(y)   # (xlogy is several times slower than log and multiply)
        lx *= x
        ly *= y
        lx += ly
        g[far] = lx
    g *= den
    total = np.add.reduce(g, axis=-1)
    if zeros and np.isnan(total.item() if total.size == 1 else total.sum()):
        # 0 log 0: g = 2 ln 2 where only one of p, q is 0 (s = +-1); 0 where both are
        bad = np.isnan(g)
        g[bad] = np.where(_at(den, bad) > 0, 2 * np.log(2.0) * _at(den, bad), 0.0)
        total = np.add.reduce(g, axis=-1)
    return total * sp


def entropy(p, *, base=None, axis=-1):
    r"""Shannon entropy H(P) of a discrete distribution.

    .. math:: H(P) = -\sum_x p(x) \log p(x), \qquad 0 \log 0 = 0

    Parameters
    ----------
    p : array_like
        Probabilities along ``axis``; must sum to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray
        Within a few units in the last place of H (at most 4 measured, on
        random, heavy-tailed and nearly deterministic P of 2 to 100 000
        outcomes), plus an absolute error of about eps times the amount by
        which the entries of ``p`` sum to other than 1 (``[1e-30, 1 - 9e-10]``
        gives 0 for 7e-29).

    Raises
    ------
    DistributionError
        If ``p`` is not a distribution or ``base`` is invalid.

    See Also
    --------
    cross_entropy : H(P, Q), equal to H(P) when Q = P.
    scipy.stats.entropy : ``entropy(p)`` is H(P) too, but reduces along ``axis=0``
        by default (here ``axis=-1``) and silently normalises ``p``.
    scipy.special.entr : The bare terms -p log p, element by element.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, section 2.1.

    Examples
    --------
    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> entropy([1, 0])
    0.0
    """
    base = check_base(base)
    p, sp = as_distribution(p, "p", axis=axis)
    h = np.sum(entr(p), axis=axis) / sp + np.log(sp)
    if np.any(h < 1):   # where log(sp)'s 1e-16 would show, the exact total
        h = np.sum(entr(p), axis=axis) / sp + log_exact_total(p, sp, axis)
    # 0 <= H(P) <= log n, which rounding could cross by an ulp (uniform P)
    n = p.shape[axis]
    h = np.clip(h, 0.0, math.log(n))
    if base in (2, 10):   # so that H <= log2(n) (or log10(n)) holds exactly as written
        return as_result(np.minimum(h / log_base(base), math.log2(n) if base == 2 else math.log10(n)))
    return in_units(h, base)


def cross_entropy(p, q, *, base=None, axis=-1):
    r"""Cross-entropy H(P, Q): the average code length, coding P's events with Q.

    .. math:: H(P, Q) = -\sum_x p(x) \log q(x) = H(P) + D(P\|Q)

    Not a divergence: ``H(P, P) = H(P)``, not 0. To get D(P||Q) use
    :func:`kl_divergence`; subtracting ``H(P)`` from ``H(P, Q)`` cancels
    catastrophically when P and Q are close.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1.
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.

    Returns
    -------
    float or ndarray
        ``inf`` where p(x) > 0 and q(x) = 0. Within a few units in the last
        place, plus an absolute error of about eps times the amount by which
        ``p`` or ``q`` sums to other than 1.

    Raises
    ------
    DistributionError
        As for :func:`kl_divergence`.

    See Also
    --------
    kl_divergence : D(P||Q) computed directly, which keeps its digits.
    entropy : H(P).
    scipy.stats.entropy : scipy has no cross-entropy of two distributions;
        ``entropy(p) + entropy(p, q)`` is H(P, Q), with scipy's ``axis=0`` and
        silent normalisation.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, Theorem 5.4.3 (on P's events, the code with lengths
           ceil(log2 1/q(x)) has an expected length between H(P) + D(P||Q) bits and
           one bit more).

    Examples
    --------
    >>> round(cross_entropy([1, 0], [0.1, 0.9], base=2), 2)   # dog/cat, bad model
    3.32
    """
    base = check_base(base)
    p, sp, q, sq = as_distribution_pair(p, q, axis=axis)
    h = -np.sum(xlogy(p, q), axis=axis) / sp
    h = h + (log_exact_total(q, sq, axis) if np.any(h < 1) else np.log(sq))   # as in entropy
    return in_units(h, base)


def kl_contributions(p, q, *, base=None, axis=-1, signed=False):
    r"""Per-outcome terms of D(P||Q): non-negative, and summing to it.

    .. math:: c(x) = p(x) \log \frac{p(x)}{q(x)} + q(x) - p(x) \;\ge 0,
              \qquad \sum_x c(x) = D(P\|Q)

    The added ``q(x) - p(x)`` sums to 0 over the outcomes, so the terms add
    up to D(P||Q); with it each term is ``p (t - log(1 + t)) >= 0``
    (``t = q/p - 1``), zero only where ``p(x) = q(x)``, and large where the
    two disagree, whichever is larger. These are the terms
    :func:`kl_divergence` sums, computed the same way, to about 12 eps
    relative (11.4 measured) even when P and Q are nearly identical, for
    inputs whose exact sums are 1. A sum off from 1 by ``d`` (the rounding
    of decimal inputs, about 1e-16, or up to the 1e-9 tolerance) leaves an
    error in ``t = Q/P - 1`` that grows with ``d`` and dominates a term whose
    ``|t|`` is as small: inputs normalised in floating point (20 outcomes,
    40 draws, each term's error binned by its exact ``|t|``) gave 3.8 eps
    for ``|t| >= 1e-15``, 6.3 eps below that, 35 eps near 1e-17 and 280 eps
    near 1e-19; P and Q 1e-17 apart with sums 3e-10 off gave
    terms of 1e-34 up to 1.4e-8 off relative. (The bare
    ``p log(p / q)`` are negative wherever ``q > p`` and cancel in the sum.)
    ``p(x) = 0`` gives ``q(x)``; ``p(x) > 0 = q(x)`` gives ``inf``.

    With ``signed=True`` the bare terms ``p(x) log(p(x) / q(x))`` are returned
    instead (each to about 12 eps relative, from the same t): they
    show which outcomes pull the sum down, but near-identical distributions
    make them large and of both signs, cancelling to a tiny sum.

    Parameters
    ----------
    p, q : array_like
        Probabilities along ``axis``; each must sum to 1 (within the
        tolerance, they are treated as exactly normalised, as everywhere).
    base : float, optional
        Logarithm base: None for nats (default), 2 for bits.
    axis : int
        Axis that runs over outcomes.
    signed : bool
        Return ``p log(p / q)`` (which can be negative) instead of the
        non-negative terms.

    Returns
    -------
    ndarray
        Same shape as the broadcast inputs; ``sum(axis=axis)`` is D(P||Q)
        (up to rounding, and up to cancellation with ``signed=True``).

    Raises
    ------
    DistributionError
        As for :func:`kl_divergence`.

    See Also
    --------
    kl_divergence : Their sum.
    scipy.special.kl_div : The same non-negative terms p log(p/q) - p + q, element by
        element, for inputs that are already normalised (nothing is checked).
    scipy.special.rel_entr : The bare terms p log(p/q) (``signed=True`` here).

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, section 2.3.

    Examples
    --------
    >>> c = kl_contributions([0.5, 0.5], [0.25, 0.75], base=2)
    >>> c.round(4)   # 0.5 log2(2) - 0.25 / ln 2 and 0.5 log2(2/3) + 0.25 / ln 2
    array([0.1393, 0.0682])
    >>> round(float(c.sum()), 4), round(kl_divergence([0.5, 0.5], [0.25, 0.75], base=2), 4)
    (0.2075, 0.2075)
    >>> kl_contributions([0.5, 0.5], [0.25, 0.75], base=2, signed=True).round(3)
    array([ 0.5  , -0.292])
    """
    base = check_base(base)
    p, _, q, _ = as_distribution_pair(p, q, axis=axis)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        diff = q - p
        # sum(q) - sum(p) correctly rounded (math.fsum of q and -p): rounded sums of inputs that sum to 1
        # (np.sum(q - p) = -3.5e-18 where it is 0) put 3.5e-18 into a t of 1e-6, 7e-12 relative off a term
        # (the sums themselves too: np.sum(q) = 0.9999999999999999 moved t = -0.5 to the log form, 8 eps off)
        pb, qb = np.broadcast_arrays(p, q)
        fsum = lambda x: np.expand_dims(np.apply_along_axis(lambda v: math.fsum(v), axis, x), axis)  # noqa: E731
        sp, sq, gap = fsum(p), fsum(q), fsum(np.concatenate([qb, -pb], axis=axis))
        # Q/P - 1 for the normalised P = p/sp, Q = q/sq, without cancellation:
        # (q sp - p sq) / (p sq), and q sp - p sq = sp (q - p) - p (sq - sp).
        t = (sp * diff - p * gap) / (p * sq)
        a, b = p / sp, q / sq
        terms = _fix_nan(_gap_terms(a, b, t), a, b)
        if signed:
            # p log(p / q) = -p log1p(t), with t = Q/P - 1 accurate to a few eps
            # relative: no cancellation, whether q is close to p or far above it
            # (subtracting P t from the non-negative term would cancel when q >> p).
            # Where q < p / 2 (t rounds to -1 once q < eps p), or t is not
            # finite (p = 0, or p subnormal), the direct form -a log(b / a), and
            # a (log a - log b) only where b / a is subnormal or overflows (two large
            # logs whose difference is small would lose its digits: 65 eps at 1e-100).
            signed_terms = np.array(np.broadcast_to(0.0 - a * np.log1p(t), terms.shape), dtype=float)   # (no -0.0)
            odd = ~(np.isfinite(t) & (t > -0.5))
            if odd.any():
                aa, bb = _at(a, odd), _at(b, odd)
                ratio = bb / aa
                direct = np.where((ratio >= _TINY) & np.isfinite(ratio), 0.0 - np.log(ratio), np.log(aa) - np.log(bb))
                signed_terms[odd] = np.where(aa > 0, aa * direct, 0.0)
            terms = signed_terms
    return np.asarray(terms / log_base(base))


def normalize(x, *, axis=-1):
    """Scale non-negative weights or counts so they sum to 1 along ``axis``.

    Parameters
    ----------
    x : array_like
        Finite, non-negative numbers, not all zero along ``axis``.
    axis : int
        Axis to normalise along.

    Returns
    -------
    ndarray
        ``x / x.sum(axis, keepdims=True)`` as float64.

    Raises
    ------
    DistributionError
        If ``x`` is empty, negative, non-finite, non-numeric or all zeros, or if a
        positive weight's share is below the smallest float (it would become an
        impossible outcome, probability 0).

    Examples
    --------
    >>> normalize([2, 3, 5])
    array([0.2, 0.3, 0.5])
    """
    arr, _ = _as_float_array(x, "x")
    axis = _check_axis(axis, arr.ndim, "x")
    given = arr                 # before any rescaling below, which could already round a weight to 0
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(arr, axis=axis, keepdims=True)
    if np.isinf(total).any() and np.isfinite(arr).all():
        # Finite weights whose sum overflows: scale those slices by their largest entry first.
        arr = arr / np.where(np.isinf(total), np.max(arr, axis=axis, keepdims=True), 1.0)
    arr, total = as_nonnegative(arr, "x", axis=axis)
    out = arr / np.expand_dims(total, axis)
    lost = (out == 0) & (given > 0)
    if lost.any():
        # A positive weight whose share underflows would become an impossible outcome (probability 0),
        # which changes every divergence that involves it (D(P||Q) = inf where q = 0 < p).
        where = tuple(int(i) for i in np.argwhere(lost)[0])
        index = ", ".join(map(str, where))
        raise DistributionError(
            f"x[{index}] = {given[where]:.3g} is positive, but its share of its total is below "
            f"the smallest float, so it would become probability 0, an impossible outcome. "
            f"Set it to 0 yourself if that is what you mean, or keep the weights as logarithms: "
            f"klteach.log_softmax and klteach.kl_from_logits take log weights and keep such shares.")
    return out
