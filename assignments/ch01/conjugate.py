# ch01/conjugate.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Convex conjugates (eq 1.52): the numeric sup on a grid, the closed forms of Table 1.3, Fenchel–Young.

``f*(u) = sup_x ⟨u, x⟩ − f(x)`` (1.52). ``FUNCTIONS[name]`` is the primal f and ``CONJUGATES[name]``
its conjugate f*, for these names (f is +inf outside the stated domain, never NaN):

Scalar functions: act elementwise on arrays of any shape, so u of shape (k,) gives (k,), and a
scalar (0-d) input gives a numpy float.

============  ===========================================================
``exp``       f(x) = eˣ
``xlogx``     f(x) = x log x for x ≥ 0 (with 0 log 0 = 0); +inf for x < 0
``neglog``    f(x) = −log x for x > 0; +inf for x ≤ 0
``inv``       f(x) = 1/x for x > 0; +inf for x ≤ 0
``softplus``  f(x) = log(1 + eˣ)
``sqrt1px2``  f(x) = √(1 + x²)
``abs_p``     a factory: ``FUNCTIONS["abs_p"](p)`` is f(x) = |x|ᵖ/p, p > 1, and
              ``CONJUGATES["abs_p"](p)`` is its conjugate (a function of u)
============  ===========================================================

Vector functions: the LAST axis is the vector, so an input of shape (d,) is one point and gives
a numpy float, and an input of shape (k, d) is k points (one per row) and gives shape (k,). For
the one-dimensional case pass shape (k, 1).

=============  ==========================================================
``l1``         f(x) = ‖x‖₁ = Σᵢ|xᵢ|
``quad``       a factory: ``FUNCTIONS["quad"](Q)`` is f(x) = ½xᵀQx for a symmetric positive
               definite Q of shape (d, d), ``CONJUGATES["quad"](Q)`` its conjugate
``logsumexp``  f(x) = log Σᵢ e^{xᵢ}
=============  ==========================================================

Every conjugate returns +inf (not NaN) at points outside dom f*: an indicator function is 0 on
its set and +inf off it. Membership of the probability simplex (the domain of the ``logsumexp``
conjugate) allows ``|Σᵢuᵢ − 1| ≤ 1e-9`` for rounding, with ``uᵢ ≥ 0`` exactly.

Examples
--------
>>> np.round(CONJUGATES["exp"](np.array([-1., 0., 2.])), 6).tolist()
[inf, 0.0, -0.613706]
>>> u = np.array([0.5, 2.])
>>> np.allclose(conj_numeric(FUNCTIONS["exp"], u, np.linspace(-20, 20, 400001)), CONJUGATES["exp"](u))
True
>>> float(CONJUGATES["l1"](np.array([0.5, -1.])))       # indicator of ‖u‖∞ ≤ 1
0.0
>>> float(CONJUGATES["abs_p"](3.0)(2.0)) == 2.0 ** 1.5 / 1.5   # |u|^q/q with 1/p + 1/q = 1
True
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.special import logsumexp as _logsumexp
from scipy.special import xlogy

from ch01._validation import check_array, check_scalar


def conj_numeric(f, u, xgrid):
    """The conjugate ``f*(u) = sup_x ux − f(x)`` (1.52) of a scalar function, by brute force on a grid.

    Parameters
    ----------
    f : callable
        A vectorized scalar function: ``f(xgrid)`` returns shape (g,). It should return +inf
        outside dom f; NaN entries are treated as +inf (points outside the domain).
    u : ndarray of shape (k,), float64
        Where to evaluate f*.
    xgrid : ndarray of shape (g,), float64, g >= 1
        The candidate maximizers x.

    Returns
    -------
    ndarray of shape (k,), float64
        ``max_g u_j·xgrid[g] − f(xgrid[g])``: a lower bound on f*(u), accurate to O(spacing²) when the
        maximizer lies inside the grid. Memory is bounded by working through u in blocks.

    Examples
    --------
    >>> conj_numeric(lambda x: 0.5 * x ** 2, np.array([0., 1., 2.]), np.linspace(-5, 5, 101))
    array([0. , 0.5, 2. ])
    """
    if not callable(f):
        raise TypeError(f"f should be a callable x -> f(x); got f={f!r} (type={type(f).__name__})")
    u = check_array(u, name="u", ndim=1, layout="(k,)")
    xgrid = check_array(xgrid, name="xgrid", ndim=1, layout="(g,)")
    if xgrid.size == 0:
        raise ValueError("xgrid should hold at least one point; got xgrid.shape=(0,)")
    # YOUR CODE HERE
    raise NotImplementedError()


def fenchel_young_gap(f, fstar, x, u):
    """The Fenchel–Young gap ``f(x) + f*(u) − ⟨u, x⟩``, which is ≥ 0, with equality iff ``u ∈ ∂f(x)``.

    Parameters
    ----------
    f, fstar : callable
        A function and its conjugate, in the conventions of this module (e.g. ``FUNCTIONS["exp"]``
        and ``CONJUGATES["exp"]``).
    x, u : ndarray of the same shape, float64
        For a scalar (elementwise) f, the pairs ``(x[i], u[i])`` are taken entry by entry; for a
        vector f (``l1``, ``quad``, ``logsumexp``), the last axis is the vector and
        ``⟨u, x⟩`` is summed over it. Which case applies is read off the shape of ``f(x)``: the
        shape of x (elementwise) or ``x.shape[:-1]`` (vector).

    Returns
    -------
    ndarray of the shape of f(x), float64 (a numpy float for a single pair)
        +inf where ``u ∉ dom f*`` or ``x ∉ dom f``.

    Examples
    --------
    >>> x = np.array([-1., 0., 2.])
    >>> gap = fenchel_young_gap(FUNCTIONS["exp"], CONJUGATES["exp"], x, np.exp(x))   # u = f′(x)
    >>> bool(np.all(np.abs(gap) < 1e-12))
    True
    >>> float(fenchel_young_gap(FUNCTIONS["l1"], CONJUGATES["l1"], np.array([1., -2.]), np.array([1., 0.])))
    2.0
    """
    for fn, name in ((f, "f"), (fstar, "fstar")):
        if not callable(fn):
            raise TypeError(f"{name} should be a callable; got {name}={fn!r} (type={type(fn).__name__})")
    x = check_array(x, name="x")
    u = check_array(u, name="u", shape=x.shape, layout="like x")
    # YOUR CODE HERE
    raise NotImplementedError()


# ---- the primal functions (given: they define the exercise) --------------------------------------

def _f_exp(x):
    """f(x) = eˣ, elementwise."""
    x = check_array(x, name="x")
    with np.errstate(over="ignore"):
        return _out(np.exp(x))


def _f_xlogx(x):
    """f(x) = x log x for x ≥ 0 (0 at 0), +inf for x < 0, elementwise."""
    x = check_array(x, name="x")
    xp = np.maximum(x, 0.0)
    return _out(np.where(x >= 0, xlogy(xp, xp), np.inf))


def _f_neglog(x):
    """f(x) = −log x for x > 0, +inf for x ≤ 0, elementwise."""
    x = check_array(x, name="x")
    return _out(np.where(x > 0, -np.log(np.where(x > 0, x, 1.0)), np.inf))


def _f_inv(x):
    """f(x) = 1/x for x > 0, +inf for x ≤ 0, elementwise."""
    x = check_array(x, name="x")
    return _out(np.where(x > 0, 1.0 / np.where(x > 0, x, 1.0), np.inf))


def _f_softplus(x):
    """f(x) = log(1 + eˣ), elementwise and overflow-free."""
    x = check_array(x, name="x")
    return _out(np.logaddexp(0.0, x))


def _f_sqrt1px2(x):
    """f(x) = √(1 + x²), elementwise."""
    x = check_array(x, name="x")
    return _out(np.hypot(1.0, x))


def _f_abs_p(p):
    """The function x ↦ |x|ᵖ/p (elementwise), for p > 1."""
    p = check_scalar(p, name="p", lo=1, lo_open=True)

    def f(x):
        x = check_array(x, name="x")
        return _out(np.abs(x) ** p / p)

    return f


def _f_l1(x):
    """f(x) = ‖x‖₁ over the last axis."""
    x = _vectors(x, name="x")
    return _out(np.abs(x).sum(axis=-1))


def _f_quad(Q):
    """The function x ↦ ½xᵀQx (last axis), for a symmetric positive definite Q of shape (d, d)."""
    Q = _check_spd(Q)

    def f(x):
        x = _vectors(x, name="x", d=Q.shape[0])
        return _out(0.5 * np.einsum("...i,ij,...j->...", x, Q, x))

    return f


def _f_logsumexp(x):
    """f(x) = log Σᵢ e^{xᵢ} over the last axis, overflow-free."""
    x = _vectors(x, name="x")
    return _out(_logsumexp(x, axis=-1))


# ---- the conjugates (the exercise: closed forms from Table 1.3) ----------------------------------

def _conj_exp(u):
    """Conjugate of f(x) = eˣ, elementwise."""
    u = check_array(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_xlogx(u):
    """Conjugate of f(x) = x log x on x ≥ 0, elementwise."""
    u = check_array(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_neglog(u):
    """Conjugate of f(x) = −log x on x > 0, elementwise."""
    u = check_array(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_inv(u):
    """Conjugate of f(x) = 1/x on x > 0, elementwise."""
    u = check_array(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_softplus(u):
    """Conjugate of f(x) = log(1 + eˣ), elementwise."""
    u = check_array(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_sqrt1px2(u):
    """Conjugate of f(x) = √(1 + x²), elementwise."""
    u = check_array(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_abs_p(p):
    """The conjugate of x ↦ |x|ᵖ/p (p > 1), as a function of u (elementwise)."""
    p = check_scalar(p, name="p", lo=1, lo_open=True)
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_l1(u):
    """Conjugate of f(x) = ‖x‖₁ (last axis)."""
    u = _vectors(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_quad(Q):
    """The conjugate of x ↦ ½xᵀQx (Q symmetric positive definite), as a function of u (last axis)."""
    Q = _check_spd(Q)
    # YOUR CODE HERE
    raise NotImplementedError()


def _conj_logsumexp(u):
    """Conjugate of f(x) = log Σᵢ e^{xᵢ} (last axis)."""
    u = _vectors(u, name="u")
    # YOUR CODE HERE
    raise NotImplementedError()


FUNCTIONS: dict[str, Callable] = {
    "exp": _f_exp,
    "xlogx": _f_xlogx,
    "neglog": _f_neglog,
    "inv": _f_inv,
    "softplus": _f_softplus,
    "sqrt1px2": _f_sqrt1px2,
    "abs_p": _f_abs_p,
    "l1": _f_l1,
    "quad": _f_quad,
    "logsumexp": _f_logsumexp,
}

CONJUGATES: dict[str, Callable] = {
    "exp": _conj_exp,
    "xlogx": _conj_xlogx,
    "neglog": _conj_neglog,
    "inv": _conj_inv,
    "softplus": _conj_softplus,
    "sqrt1px2": _conj_sqrt1px2,
    "abs_p": _conj_abs_p,
    "l1": _conj_l1,
    "quad": _conj_quad,
    "logsumexp": _conj_logsumexp,
}


def _out(a):
    """A 0-d result as a numpy float, anything else unchanged."""
    return a[()] if isinstance(a, np.ndarray) and a.ndim == 0 else a


def _vectors(x, *, name, d=None):
    """A float64 array of points along its last axis (shape (d,) or (k, d)), with length d if given."""
    x = check_array(x, name=name)
    if x.ndim == 0:
        raise ValueError(f"{name} should be a vector (d,) or a batch (k, d) of vectors; got a scalar")
    if d is not None and x.shape[-1] != d:
        raise ValueError(f"{name} should have last axis d == Q.shape[0] == {d}; got {name}.shape={x.shape}")
    return x


def _check_spd(Q):
    """Q as a symmetric positive definite float64 matrix, or raise naming ``Q``."""
    Q = check_array(Q, name="Q", ndim=2, layout="(d, d)")
    if Q.shape[0] != Q.shape[1] or Q.shape[0] == 0:
        raise ValueError(f"Q should be a non-empty square matrix (d, d); got Q.shape={Q.shape}")
    if not np.allclose(Q, Q.T, rtol=0, atol=1e-12 * max(1.0, float(np.abs(Q).max()))):
        raise ValueError("Q should be symmetric; got max|Q − Qᵀ| = " f"{float(np.abs(Q - Q.T).max()):.3g}")
    try:
        np.linalg.cholesky(Q)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"Q should be positive definite (½xᵀQx has a finite conjugate only then); "
            f"got smallest eigenvalue {float(np.linalg.eigvalsh(Q)[0]):.3g}"
        ) from None
    return Q
