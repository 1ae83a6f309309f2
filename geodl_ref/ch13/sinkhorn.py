"""Entropic optimal transport by Sinkhorn's algorithm (chapter 13, §13.4.3), without POT.

The entropy-regularized Kantorovich problem, in POT's convention, is

    min_P ⟨P, M⟩ + reg · Σ_ij P_ij log P_ij   subject to   P 1_m = a,  Pᵀ 1_n = b,

the book's eq 13.38 with γ = reg (its extra −1 inside the entropy adds −reg·Σ P_ij = −reg, a
constant under the marginal constraints). The solution has the Gibbs form P = diag(u) K diag(v)
with K = e^{−M/reg} (elementwise), and Sinkhorn's iterations (eqs 13.44–13.45) alternate the two
marginal constraints:

    u ← a / (K v),   v ← b / (Kᵀ u).

For small reg the entries of K underflow to 0; the log-domain version iterates the logarithms
f = log u, g = log v with log-sum-exp instead, which stays finite at any reg > 0.

A certificate of optimality that does not depend on how P was computed: P is optimal iff it has the
marginals a and b and log P + M/reg = log u_i + log v_j is additively separable.
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_int, check_scalar

__all__ = ["sinkhorn", "sinkhorn_cost"]


def _check_problem(a, b, M) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = check_array(a, name="a", ndim=1, layout="(n,)")
    b = check_array(b, name="b", ndim=1, layout="(m,)")
    M = check_array(M, name="M", shape=(a.size, b.size), layout=f"(n, m) = ({a.size}, {b.size})")
    for label, w in (("a", a), ("b", b)):
        if w.size == 0 or w.min() <= 0:
            raise ValueError(f"{label} should be non-empty with positive entries; got {label}={w.tolist()!r}")
    if abs(a.sum() - b.sum()) > 1e-9 * max(a.sum(), b.sum()):
        raise ValueError(f"a and b should have the same total mass; got sum(a)={a.sum()!r}, sum(b)={b.sum()!r}")
    return a, b, M


### BEGIN SOLUTION
def _logsumexp(Z: np.ndarray, axis: int) -> np.ndarray:
    """log Σ exp(Z) along ``axis``, shifted by the maximum (rows of −inf give −inf)."""
    top = np.max(Z, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.log(np.sum(np.exp(Z - top), axis=axis)) + np.squeeze(top, axis=axis)


def _sinkhorn_scaling(a, b, K, n_iter, tol):
    """u ← a/(K v), v ← b/(Kᵀ u) until the row marginal is within tol (the columns are exact)."""
    u, v = np.ones(a.size), np.ones(b.size)
    for _ in range(n_iter):
        u = a / (K @ v)                                   # eq 13.44: rows match a
        v = b / (K.T @ u)                                 # eq 13.45: columns match b
        if np.max(np.abs(u * (K @ v) - a)) <= tol:        # rows, after the column update
            break
    return u[:, None] * K * v[None, :], u, v


def _sinkhorn_log(a, b, M, reg, n_iter, tol):
    """The same iterations on f = log u, g = log v, with log K = −M/reg."""
    log_K = -M / reg
    log_a, log_b = np.log(a), np.log(b)
    f, g = np.zeros(a.size), np.zeros(b.size)
    for _ in range(n_iter):
        f = log_a - _logsumexp(log_K + g[None, :], axis=1)
        g = log_b - _logsumexp(log_K + f[:, None], axis=0)
        row = np.exp(f + _logsumexp(log_K + g[None, :], axis=1))
        if np.max(np.abs(row - a)) <= tol:
            break
    with np.errstate(over="ignore"):
        u, v = np.exp(f), np.exp(g)                       # may overflow for tiny reg; P never does
    return np.exp(f[:, None] + log_K + g[None, :]), u, v
### END SOLUTION


def sinkhorn(a: np.ndarray, b: np.ndarray, M: np.ndarray, reg: float, n_iter: int = 10000,
             tol: float = 1e-12, log_domain: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entropic optimal transport plan by Sinkhorn's iterations (eqs 13.38, 13.44–13.45).

    Starting from v = 1, repeat u ← a/(K v), v ← b/(Kᵀ u) with K = exp(−M/reg), and stop when
    max_i |(P 1)_i − a_i| <= tol (the columns match b exactly after each v update) or after
    ``n_iter`` rounds. With ``log_domain=True`` the same updates run on log u and log v with
    log-sum-exp, so that reg may be tiny (K would underflow).

    Parameters
    ----------
    a : ndarray of shape (n,), float64
        Source weights, positive.
    b : ndarray of shape (m,), float64
        Target weights, positive, with the same total mass as a.
    M : ndarray of shape (n, m), float64
        Cost matrix.
    reg : float
        Entropic regularization reg > 0 (γ in eq 13.38).
    n_iter : int, default 10000
        Maximum number of (u, v) rounds.
    tol : float, default 1e-12
        Stopping threshold on the ∞-norm of the row-marginal error.
    log_domain : bool, default False
        Iterate in the log domain (stable for small reg).

    Returns
    -------
    P : ndarray of shape (n, m), float64
        The entropic plan diag(u) K diag(v): positive, P 1 = a and Pᵀ 1 = b at convergence. It is
        the plan of ``ot.sinkhorn(a, b, M, reg)``.
    u : ndarray of shape (n,), float64
        The row scaling (exp of the log-scaling in the log domain, which may overflow to inf or
        underflow to 0 when reg is tiny; P is computed from the logs and stays finite).
    v : ndarray of shape (m,), float64
        The column scaling. (u, v) is unique up to u·c, v/c.

    Examples
    --------
    >>> a, b = np.array([0.5, 0.5]), np.array([0.2, 0.3, 0.5])
    >>> M = np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    >>> P, u, v = sinkhorn(a, b, M, reg=0.5)
    >>> P.sum(axis=1).round(9).tolist(), P.sum(axis=0).round(9).tolist()
    ([0.5, 0.5], [0.2, 0.3, 0.5])
    >>> bool(np.allclose(P, u[:, None] * np.exp(-M / 0.5) * v[None, :]))
    True
    >>> P_log, _, _ = sinkhorn(a, b, M, reg=0.5, log_domain=True)
    >>> bool(np.allclose(P_log, P, rtol=1e-10, atol=0))
    True
    """
    a, b, M = _check_problem(a, b, M)
    reg = check_scalar(reg, name="reg", lo=0, lo_open=True)
    n_iter = check_int(n_iter, name="n_iter", lo=1)
    tol = check_scalar(tol, name="tol", lo=0)
    ### BEGIN SOLUTION
    if log_domain:
        return _sinkhorn_log(a, b, M, reg, n_iter, tol)
    return _sinkhorn_scaling(a, b, np.exp(-M / reg), n_iter, tol)   # K = e^{−M/reg}
    ### END SOLUTION


def sinkhorn_cost(P: np.ndarray, M: np.ndarray) -> float:
    """The transport cost ⟨P, M⟩ = Σ_ij P_ij M_ij of a plan (without the entropy term).

    Parameters
    ----------
    P : ndarray of shape (n, m), float64
        A transport plan (e.g. from :func:`sinkhorn`).
    M : ndarray of shape (n, m), float64
        The cost matrix.

    Returns
    -------
    float
        ⟨P, M⟩. For the Sinkhorn plan it decreases to the exact optimal transport cost as reg → 0.

    Examples
    --------
    >>> sinkhorn_cost(np.array([[0.5, 0.0], [0.1, 0.4]]), np.array([[0.0, 1.0], [2.0, 0.5]]))
    0.4
    """
    P = check_array(P, name="P", ndim=2, layout="(n, m)")
    M = check_array(M, name="M", shape=P.shape, layout=f"(n, m) = {P.shape}")
    ### BEGIN SOLUTION
    return float(np.sum(P * M))
    ### END SOLUTION
