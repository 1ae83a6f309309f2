"""Optimal transport and Wasserstein distances (chapter 13, §13.4), without POT.

* In one dimension the optimal coupling is monotone, so W_p is the L^p distance of the quantile
  functions (eq 13.21): W_p(μ, ν)^p = ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt. For weighted samples both
  quantile functions are step functions; merging their breakpoints makes the integral exact.
* The Monge map of a 1-D distribution μ onto ν is T = G⁻¹ ∘ F (F the CDF of μ, G that of ν).
* Between Gaussians N(m1, S1) and N(m2, S2) the squared distance has a closed form (eq 13.22):
  W2² = ‖m1 − m2‖² + tr(S1 + S2 − 2 (S1^{½} S2 S1^{½})^{½}). The book labels it W2; it is the
  **square** (errata §15, item 13). The optimal map is affine, T(x) = A x + b with the symmetric
  positive-definite A = S1^{−½} (S1^{½} S2 S1^{½})^{½} S1^{−½} (eq 13.28) and b = m2 − A m1.
* Between discrete distributions a (n,) and b (m,) with a cost matrix M (n, m), the Kantorovich
  problem (eq 13.30) is the linear program min ⟨P, M⟩ over P >= 0 with P 1 = a and Pᵀ 1 = b.

Samples are rows (the row convention of chapter 13): a point cloud in ℝ^d is an (N, d) array.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_scalar

__all__ = ["emd_discrete", "gaussian_ot_map", "monge_map_1d", "w2_gaussian_sq", "w_p_1d"]


def _check_weights(w, n: int, name: str) -> np.ndarray | None:
    """None, or ``w`` as an (n,) array of non-negative weights with a positive sum."""
    if w is None:
        return None
    w = check_array(w, name=name, shape=(n,), layout=f"(n,) = ({n},)")
    if w.min() < 0 or w.sum() <= 0:
        raise ValueError(f"{name} should be non-negative with a positive sum; got min={float(w.min())!r}, "
                         f"sum={float(w.sum())!r}")
    return w


def _check_gaussian(m, S, label: str, d: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A mean (d,) and a symmetric covariance (d, d)."""
    m = check_array(m, name=f"m{label}", ndim=1, layout="(d,)") if d is None else \
        check_array(m, name=f"m{label}", shape=(d,), layout=f"(d,) = ({d},)")
    d = m.shape[0]
    S = check_array(S, name=f"S{label}", shape=(d, d), layout=f"(d, d) = ({d}, {d})")
    if not np.allclose(S, S.T, rtol=1e-10, atol=1e-12):
        gap = float(np.abs(S - S.T).max())
        raise ValueError(f"S{label} should be symmetric; got max|S{label} − S{label}ᵀ| = {gap!r}")
    return m, S


### BEGIN SOLUTION
def _sorted_cdf(x: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The sorted support of a weighted sample and its CDF at each support point (ending at 1)."""
    order = np.argsort(x, kind="stable")
    w = np.full(x.shape, 1.0 / x.size) if w is None else w[order] / w.sum()
    cdf = np.cumsum(w)
    cdf[-1] = 1.0                                        # no rounding past the end
    return x[order], cdf


def _quantile(support: np.ndarray, cdf: np.ndarray, t: np.ndarray) -> np.ndarray:
    """F⁻¹(t) = min{x : F(x) >= t}, for t in (0, 1]."""
    return support[np.minimum(np.searchsorted(cdf, t, side="left"), support.size - 1)]


def _psd_sqrt(S: np.ndarray) -> np.ndarray:
    """The symmetric PSD square root of a symmetric PSD matrix (negative rounding clipped)."""
    lam, V = np.linalg.eigh((S + S.T) / 2)
    return (V * np.sqrt(np.clip(lam, 0.0, None))) @ V.T
### END SOLUTION


def w_p_1d(x: np.ndarray, y: np.ndarray, p: float, wx: np.ndarray | None = None,
           wy: np.ndarray | None = None) -> float:
    """The p-Wasserstein distance between two weighted 1-D samples, exactly (eq 13.21).

    W_p(μ, ν) = (∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt)^{1/p}, with μ = Σ wx_i δ_{x_i} and ν = Σ wy_j δ_{y_j}.
    Both quantile functions are steps; between consecutive breakpoints of the merged set
    {F(x_i)} ∪ {G(y_j)} both are constant, so the integral is a finite sum. The sample sizes n
    and m may differ.

    Parameters
    ----------
    x : ndarray of shape (n,), float64
        Support of μ (any order, ties allowed).
    y : ndarray of shape (m,), float64
        Support of ν.
    p : float
        Order p >= 1.
    wx : ndarray of shape (n,), optional
        Non-negative weights of x (normalized here); uniform (1/n) by default.
    wy : ndarray of shape (m,), optional
        Non-negative weights of y; uniform (1/m) by default.

    Returns
    -------
    float
        W_p(μ, ν) (the p-th root, not its p-th power). For p = 1 this is
        ``scipy.stats.wasserstein_distance(x, y, wx, wy)``.

    Examples
    --------
    >>> w_p_1d(np.array([0.0, 1.0]), np.array([0.5]), 1)
    0.5
    >>> round(w_p_1d(np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0]), 2) ** 2, 6)  # (1/3 + 1/6 + 1/3)
    0.833333
    >>> round(w_p_1d(np.array([0.0, 1.0]), np.array([0.0, 1.0]), 1, wx=np.array([3.0, 1.0])), 6)
    0.25
    """
    x = check_array(x, name="x", ndim=1, layout="(n,)")
    y = check_array(y, name="y", ndim=1, layout="(m,)")
    if x.size == 0 or y.size == 0:
        raise ValueError(f"x and y should be non-empty; got x.shape={x.shape}, y.shape={y.shape}")
    p = check_scalar(p, name="p", lo=1)
    wx, wy = _check_weights(wx, x.size, "wx"), _check_weights(wy, y.size, "wy")
    ### BEGIN SOLUTION
    xs, Fx = _sorted_cdf(x, wx)
    ys, Gy = _sorted_cdf(y, wy)
    levels = np.unique(np.concatenate((Fx, Gy)))          # merged breakpoints in (0, 1], ending at 1
    dt = np.diff(levels, prepend=0.0)                     # length of each interval (t_{k−1}, t_k]
    gap = np.abs(_quantile(xs, Fx, levels) - _quantile(ys, Gy, levels))   # both quantiles constant there
    return float(np.sum(dt * gap**p) ** (1.0 / p))        # eq 13.21
    ### END SOLUTION


def monge_map_1d(xs: np.ndarray, ys: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """The 1-D Monge map T = G⁻¹ ∘ F from the empirical distribution of xs onto that of ys.

    F(x) = #{i : xs_i <= x}/n is the empirical CDF of the source (a right-continuous step) and
    G⁻¹(t) = min{y : G(y) >= t} the quantile function of the target, so for t = k/n it is the
    ⌈k m / n⌉-th smallest ys. Points below min(xs) (F = 0) go to min(ys). With n = m the map sends
    the i-th smallest xs to the i-th smallest ys: the sorted matching, optimal for every convex cost.

    Parameters
    ----------
    xs : ndarray of shape (n,), float64
        Source samples (distinct values).
    ys : ndarray of shape (m,), float64
        Target samples; m may differ from n.

    Returns
    -------
    callable
        ``T(x)``: takes an ndarray of any shape (or a float) and returns the float64 ndarray of
        the same shape, T applied elementwise. It is non-decreasing and takes values in ys.

    Examples
    --------
    >>> T = monge_map_1d(np.array([0.3, 0.1, 0.2]), np.array([10.0, 30.0, 20.0]))
    >>> T(np.array([0.1, 0.2, 0.3])).tolist()
    [10.0, 20.0, 30.0]
    >>> T(np.array([-5.0, 0.25, 9.0])).tolist()
    [10.0, 20.0, 30.0]
    """
    xs = check_array(xs, name="xs", ndim=1, layout="(n,)")
    ys = check_array(ys, name="ys", ndim=1, layout="(m,)")
    if xs.size == 0 or ys.size == 0:
        raise ValueError(f"xs and ys should be non-empty; got xs.shape={xs.shape}, ys.shape={ys.shape}")
    ### BEGIN SOLUTION
    n, m = xs.size, ys.size
    x_sorted, y_sorted = np.sort(xs), np.sort(ys)

    def T(x):
        x = np.asarray(x, dtype=np.float64)
        k = np.searchsorted(x_sorted, x, side="right")    # n F(x), an integer in 0..n
        j = (k * m + n - 1) // n                          # ⌈k m / n⌉ = m G(G⁻¹(F(x))), in exact integers
        return y_sorted[np.clip(j - 1, 0, m - 1)]

    return T
    ### END SOLUTION


def w2_gaussian_sq(m1: np.ndarray, S1: np.ndarray, m2: np.ndarray, S2: np.ndarray) -> float:
    """The **squared** 2-Wasserstein distance between two Gaussians (eq 13.22).

    W2²(N(m1, S1), N(m2, S2)) = ‖m1 − m2‖² + tr(S1 + S2 − 2 (S1^{½} S2 S1^{½})^{½}). Eq 13.22 calls
    this W2; it is the square (the trace term is the squared Bures distance of the covariances).

    Parameters
    ----------
    m1, m2 : ndarray of shape (d,), float64
        Means.
    S1, S2 : ndarray of shape (d, d), float64
        Symmetric positive semi-definite covariances.

    Returns
    -------
    float
        W2² >= 0, zero exactly when the Gaussians are equal.

    Examples
    --------
    >>> round(w2_gaussian_sq(np.zeros(2), np.eye(2), np.ones(2), 4 * np.eye(2)), 6)
    4.0
    """
    m1, S1 = _check_gaussian(m1, S1, "1")
    m2, S2 = _check_gaussian(m2, S2, "2", d=m1.shape[0])
    ### BEGIN SOLUTION
    root1 = _psd_sqrt(S1)
    cross = _psd_sqrt(root1 @ S2 @ root1)                 # (S1^½ S2 S1^½)^½
    bures_sq = np.trace(S1) + np.trace(S2) - 2 * np.trace(cross)
    return float(np.sum((m1 - m2) ** 2) + max(bures_sq, 0.0))   # eq 13.22: W2², not W2
    ### END SOLUTION


def gaussian_ot_map(m1: np.ndarray, S1: np.ndarray, m2: np.ndarray,
                    S2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The optimal transport map x ↦ A x + b from N(m1, S1) onto N(m2, S2) (eq 13.28).

    A = S1^{−½} (S1^{½} S2 S1^{½})^{½} S1^{−½} is symmetric positive definite and solves
    A S1 A = S2, and b = m2 − A m1. (Other matrices push N(m1, S1) onto N(m2, S2), e.g.
    S2^{½} S1^{−½}, but only the symmetric PD one is a gradient of a convex function, hence optimal.)
    For samples stored as rows X (N, d) the pushed samples are X Aᵀ + b = X A + b.

    Parameters
    ----------
    m1, m2 : ndarray of shape (d,), float64
        Means.
    S1 : ndarray of shape (d, d), float64
        Symmetric positive-definite covariance of the source.
    S2 : ndarray of shape (d, d), float64
        Symmetric positive-definite covariance of the target.

    Returns
    -------
    A : ndarray of shape (d, d), float64
        Symmetric positive definite.
    b : ndarray of shape (d,), float64

    Examples
    --------
    >>> A, b = gaussian_ot_map(np.zeros(2), np.eye(2), np.array([1.0, 2.0]), 9 * np.eye(2))
    >>> A.round(6).tolist(), b.round(6).tolist()
    ([[3.0, 0.0], [0.0, 3.0]], [1.0, 2.0])
    """
    m1, S1 = _check_gaussian(m1, S1, "1")
    d = m1.shape[0]
    m2, S2 = _check_gaussian(m2, S2, "2", d=d)
    check_dim(S2.shape[0], d, what="S2.shape[0] == m1.shape[0]")
    if np.linalg.eigvalsh(S1).min() <= 0:
        raise ValueError("S1 should be positive definite (A needs S1^{-1/2}); got an eigenvalue <= 0")
    ### BEGIN SOLUTION
    lam, V = np.linalg.eigh(S1)
    root1 = (V * np.sqrt(lam)) @ V.T                      # S1^½
    inv_root1 = (V / np.sqrt(lam)) @ V.T                  # S1^{−½}
    A = inv_root1 @ _psd_sqrt(root1 @ S2 @ root1) @ inv_root1   # eq 13.28
    A = (A + A.T) / 2                                     # symmetric up to rounding; make it exact
    return A, m2 - A @ m1
    ### END SOLUTION


def emd_discrete(a: np.ndarray, b: np.ndarray, M: np.ndarray) -> tuple[np.ndarray, float]:
    """Exact discrete optimal transport (earth mover's distance) by linear programming (eq 13.30).

    Solves min_P ⟨P, M⟩ subject to P >= 0, P 1_m = a, Pᵀ 1_n = b with ``scipy.optimize.linprog``
    (HiGHS) on the n·m entries of P.

    Parameters
    ----------
    a : ndarray of shape (n,), float64
        Source weights, non-negative.
    b : ndarray of shape (m,), float64
        Target weights, non-negative, with the same total mass as a.
    M : ndarray of shape (n, m), float64
        Cost matrix, M[i, j] the cost of moving a unit of mass from i to j.

    Returns
    -------
    P : ndarray of shape (n, m), float64
        An optimal coupling: non-negative, rows summing to a, columns to b; a vertex of the
        transport polytope, so at most n + m − 1 non-zero entries.
    cost : float
        ⟨P, M⟩, the optimal cost.

    Examples
    --------
    >>> P, cost = emd_discrete(np.array([0.5, 0.5]), np.array([0.25, 0.75]),
    ...                        np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> P.round(6).tolist(), round(cost, 6)
    ([[0.25, 0.25], [0.0, 0.5]], 0.25)
    """
    a = check_array(a, name="a", ndim=1, layout="(n,)")
    b = check_array(b, name="b", ndim=1, layout="(m,)")
    M = check_array(M, name="M", shape=(a.size, b.size), layout=f"(n, m) = ({a.size}, {b.size})")
    for label, w in (("a", a), ("b", b)):
        if w.size == 0 or w.min() < 0:
            raise ValueError(f"{label} should be non-empty and non-negative; got {label}={w.tolist()!r}")
    if abs(a.sum() - b.sum()) > 1e-9 * max(a.sum(), b.sum()):
        raise ValueError(f"a and b should have the same total mass; got sum(a)={a.sum()!r}, sum(b)={b.sum()!r}")
    ### BEGIN SOLUTION
    from scipy.optimize import linprog

    n, m = M.shape
    rows = np.kron(np.eye(n), np.ones((1, m)))            # (n, n m): Σ_j P_ij = a_i
    cols = np.kron(np.ones((1, n)), np.eye(m))            # (m, n m): Σ_i P_ij = b_j
    result = linprog(M.ravel(), A_eq=np.vstack((rows, cols)), b_eq=np.concatenate((a, b)),
                     bounds=(0, None), method="highs")
    if result.status != 0:
        raise RuntimeError(f"linprog failed: {result.message}")
    P = np.maximum(result.x.reshape(n, m), 0.0)           # eq 13.30, a vertex of the polytope
    return P, float(np.sum(P * M))
    ### END SOLUTION
