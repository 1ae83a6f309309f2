"""Subdifferentials, the ℓ1 proximal map, and Lagrangian duality (ex 1.13–1.15, ex 1.20).

``solve_l1_denoise`` solves the analysis-ℓ1 denoising problem of ex 1.20,
``P: min_x ‖y − x‖² + ‖Ax‖₁``, through its dual ``D: max_{‖u‖∞≤1} uᵀAy − ¼‖Aᵀu‖²`` with the primal
recovered as ``x = y − Aᵀu/2``. (The dual printed in the book, with ``‖u‖₂ ≤ 1`` and no ¼, is a
misprint: it leaves a duality gap.) ``min_norm_via_dual`` is the book's example QP
``min ½‖x‖² s.t. Ax = b`` with Lagrangian ``L = ½‖x‖² + uᵀ(Ax − b)``, so that ``x* = −Aᵀu*``.
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int, check_scalar

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
    ### BEGIN SOLUTION
    s = np.sign(x)                                        # like x
    lo = np.where(x == 0, -1.0, s)                        # like x   [−1, 1] at the kink
    hi = np.where(x == 0, 1.0, s)                         # like x
    return lo, hi
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    return np.where(np.abs(v) > lam, v - lam * np.sign(v), 0.0)   # like v  soft threshold
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    Ay = A @ y                                            # (m,)
    AAt = A @ A.T                                         # (m, m)
    L = 0.5 * np.linalg.norm(A, 2) ** 2                   # Lipschitz constant of ∇D
    u = np.zeros(A.shape[0])                              # (m,)
    if L == 0.0:
        return y.copy(), u                                # A = 0: x = y, any feasible u
    z, t, Du = u.copy(), 1.0, 0.0                         # extrapolated point, momentum, D(u)
    for k in range(iters):
        u_new = np.clip(z + (Ay - 0.5 * AAt @ z) / L, -1.0, 1.0)    # (m,)  ascent step on D, project
        D_new = _dual_obj(u_new, Ay, A)
        if D_new < Du:                                    # no ascent: restart momentum from u
            z, t = u, 1.0
            u_new = np.clip(u + (Ay - 0.5 * AAt @ u) / L, -1.0, 1.0)  # (m,)  plain (monotone) step
            D_new = _dual_obj(u_new, Ay, A)
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        z = u_new + ((t - 1.0) / t_new) * (u_new - u)    # (m,)  FISTA extrapolation
        u, t, Du = u_new, t_new, D_new
        if k % 10 == 0:
            x = y - 0.5 * A.T @ u                         # (n,)  x = y − Aᵀu/2
            P = _primal_obj(x, y, A)
            if P - Du <= _GAP_RTOL * max(1.0, abs(P)):
                return x, u
            polished = _polish_l1(u, y, A)
            if polished is not None:
                xp, up = polished
                Pp = _primal_obj(xp, y, A)
                if Pp - _dual_obj(up, Ay, A) <= _GAP_RTOL * max(1.0, abs(Pp)):
                    return xp, up
    return y - 0.5 * A.T @ u, u                           # (n,), (m,)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    u = np.linalg.solve(A @ A.T, -b)                      # (m,)  ∇g = −AAᵀu − b = 0
    x = -A.T @ u                                          # (n,)  ∇ₓL = x + Aᵀu = 0
    return x, u
    ### END SOLUTION


### BEGIN SOLUTION
def _primal_obj(x, y, A):
    """P(x) = ‖y − x‖² + ‖Ax‖₁."""
    return float(np.sum((y - x) ** 2) + np.abs(A @ x).sum())


def _dual_obj(u, Ay, A):
    """D(u) = uᵀAy − ¼‖Aᵀu‖² (``Ay`` precomputed)."""
    return float(u @ Ay - 0.25 * np.sum((A.T @ u) ** 2))


def _polish_l1(u, y, A):
    """Exact KKT solve on the sign pattern of u; (x, u) or None if it is not optimal.

    With S = {|u_i| = 1} (where (Ax)_i may be non-zero, of sign u_i) and Z the rest (where
    (Ax)_i = 0), ``A_Z (y − A_Sᵀu_S/2 − A_Zᵀu_Z/2) = 0`` determines u_Z.
    """
    S = np.abs(u) == 1.0                                  # (m,)  bound constraints that are active
    Z = ~S
    u = u.copy()
    if Z.any():
        AZ = A[Z]                                         # (|Z|, n)
        rhs = 2.0 * AZ @ y - AZ @ (A[S].T @ u[S])         # (|Z|,)
        u[Z] = np.linalg.lstsq(AZ @ AZ.T, rhs, rcond=None)[0]   # A_Z x = 0
    if np.abs(u).max() > 1.0 + 1e-12:
        return None                                       # not dual feasible
    u = np.clip(u, -1.0, 1.0)                             # (m,)  remove rounding above 1
    x = y - 0.5 * A.T @ u                                 # (n,)
    Ax = A @ x                                            # (m,)
    if np.any(u[S] * Ax[S] < -1e-12 * max(1.0, float(np.abs(Ax).max()))):
        return None                                       # u_i = ±1 must agree with sign (Ax)_i
    return x, u
### END SOLUTION
