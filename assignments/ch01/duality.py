# ch01/duality.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Subdifferentials, the ℓ1 proximal map, and Lagrangian duality (ex 1.13–1.15, ex 1.20).

``solve_l1_denoise`` solves the analysis-ℓ1 denoising problem of ex 1.20,
``P: min_x ‖y − x‖² + ‖Ax‖₁``, through its dual ``D: max_{‖u‖∞≤1} uᵀAy − ¼‖Aᵀu‖²`` with the primal
recovered as ``x = y − Aᵀu/2``. (The dual printed in the book, with ``‖u‖₂ ≤ 1`` and no ¼, is a
misprint: it leaves a duality gap.) ``min_norm_via_dual`` is the book's example QP
``min ½‖x‖² s.t. Ax = b`` with Lagrangian ``L = ½‖x‖² + uᵀ(Ax − b)``, so that ``x* = −Aᵀu*``.
"""
from __future__ import annotations

import numpy as np

from ch01._validation import check_array, check_dim, check_int, check_scalar

_GAP_RTOL = 1e-12   # solve_l1_denoise stops once P(x) − D(u) ≤ _GAP_RTOL · max(1, |P(x)|)


def subdiff_abs(x):
    """The subdifferential of ``|·|``, elementwise, as intervals ``[lo, hi]`` (ex 1.13).

    ``∂|x| = {sign x}`` for ``x ≠ 0`` and ``[−1, 1]`` at ``x = 0``.

    Parameters
    ----------
    x : ndarray of any shape, float64

    Returns
    -------
    (lo, hi) : tuple of ndarray of the shape of x, float64
        ``∂|x_i| = [lo_i, hi_i]``; ``lo = hi = sign x`` away from 0.

    Examples
    --------
    >>> lo, hi = subdiff_abs(np.array([-2., 0., 3.]))
    >>> lo.tolist(), hi.tolist()
    ([-1.0, -1.0, 1.0], [-1.0, 1.0, 1.0])
    """
    x = check_array(x, name="x")
    # YOUR CODE HERE
    raise NotImplementedError()


def prox_l1(v, lam):
    """The proximal map of ``λ|·|``, soft thresholding: ``argmin_p ½(p − v)² + λ|p|`` elementwise (ex 1.14).

    Parameters
    ----------
    v : ndarray of any shape, float64
    lam : float >= 0
        The threshold λ.

    Returns
    -------
    ndarray of the shape of v, float64
        ``sign(v) max(|v| − λ, 0)``: exactly 0 (never −0.) on ``|v| ≤ λ``. It satisfies
        ``0 ∈ (p − v) + λ∂|p|`` and the Moreau decomposition ``prox_l1(v, λ) + clip(v, −λ, λ) = v``.

    Examples
    --------
    >>> prox_l1(np.array([-3., -0.5, 0., 2.]), 1.0)
    array([-2.,  0.,  0.,  1.])
    """
    v = check_array(v, name="v")
    lam = check_scalar(lam, name="lam", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def solve_l1_denoise(y, A, iters=20000):
    """Solve ``min_x ‖y − x‖² + ‖Ax‖₁`` through its dual (ex 1.20), returning the primal-dual pair.

    The dual is ``max_{‖u‖∞≤1} D(u) = uᵀAy − ¼‖Aᵀu‖²``, and ``x = y − Aᵀu/2`` minimizes the
    Lagrangian for given u. It is solved by accelerated projected gradient ascent (FISTA with
    restarts, step ``1/L`` with ``L = ½‖A‖₂²``); every 10 iterations the signs ``u_i = ±1`` found so
    far are tried as the active set of an exact KKT solve (``A_Z x = 0`` on the rest), kept if it
    is dual feasible and sign consistent. Iteration stops once the duality gap
    ``P(x) − D(u) ≤ 1e-12 · max(1, |P(x)|)``. Deterministic (starts from ``u = 0``).

    Parameters
    ----------
    y : ndarray of shape (n,), float64
        The noisy signal.
    A : ndarray of shape (m, n), float64
        The analysis operator (e.g. finite differences for total variation).
    iters : int >= 1, default 20000
        The maximum number of gradient iterations; if it is reached, the last iterate is returned.

    Returns
    -------
    x : ndarray of shape (n,), float64
        The denoised signal ``y − Aᵀu/2``.
    u : ndarray of shape (m,), float64
        The dual solution, with ``‖u‖∞ ≤ 1`` exactly (it is a projection onto the box).

    Examples
    --------
    >>> A = np.diff(np.eye(4), axis=0)                   # (3, 4) first differences: TV denoising
    >>> x, u = solve_l1_denoise(np.array([0., 0., 3., 3.]), A)
    >>> np.round(x, 10).tolist(), np.round(u, 10).tolist()
    ([0.25, 0.25, 2.75, 2.75], [0.5, 1.0, 0.5])
    """
    y = check_array(y, name="y", ndim=1, layout="(n,)")
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    check_dim(A.shape[1], y.size, what="A.shape[1] == y.shape[0] (n)")
    iters = check_int(iters, name="iters", lo=1)
    # YOUR CODE HERE
    raise NotImplementedError()


def min_norm_via_dual(A, b):
    """``min ½‖x‖² s.t. Ax = b`` through the dual (the book's example QP).

    ``L(x, u) = ½‖x‖² + uᵀ(Ax − b)`` gives ``x = −Aᵀu``; the dual ``g(u) = −½‖Aᵀu‖² − bᵀu`` is
    maximized at ``AAᵀu = −b``. Then ``x = Aᵀ(AAᵀ)⁻¹b = A⁺b`` and ``½‖x‖² = g(u)`` (no duality gap).

    Parameters
    ----------
    A : ndarray of shape (m, n), float64
        Full row rank (m ≤ n and rank m), so that ``Ax = b`` is solvable for every b.
    b : ndarray of shape (m,), float64

    Returns
    -------
    x : ndarray of shape (n,), float64
        The minimum-norm solution of ``Ax = b``.
    u : ndarray of shape (m,), float64
        The Lagrange multiplier, with ``x = −Aᵀu``.

    Examples
    --------
    >>> x, u = min_norm_via_dual(np.array([[1., 1.]]), np.array([2.]))
    >>> x.tolist(), u.tolist()
    ([1.0, 1.0], [-1.0])
    """
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    b = check_array(b, name="b", shape=(A.shape[0],), layout="(m,) with m == A.shape[0]")
    rank = int(np.linalg.matrix_rank(A)) if A.size else 0
    if rank < A.shape[0]:
        raise ValueError(f"A should have full row rank m = {A.shape[0]}; got rank {rank} (A.shape={A.shape})")
    # YOUR CODE HERE
    raise NotImplementedError()
