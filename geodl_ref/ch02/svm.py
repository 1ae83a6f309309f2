"""Support vector machines solved through their duals: hard margin (2.16), soft margin (2.27), kernel (2.41).

Row convention: ``X`` has shape (n, d), one sample per row, and labels ``y ∈ {−1, +1}ⁿ``. The dual
variables are the book's ``α_i ≥ 0`` (scikit-learn's ``dual_coef_`` holds ``y_i α_i`` instead). All
three duals are the quadratic program

    min_α ½ αᵀQα − 1ᵀα   s.t.  yᵀα = 0,  0 ≤ α_i ≤ C,   Q_ij = y_i y_j k(x_i, x_j),

with ``C = ∞`` for the hard margin. It is solved by ``scipy.optimize.minimize(method="SLSQP")``
and then polished: the index sets ``α = 0``, ``0 < α < C``, ``α = C`` read off the SLSQP solution
are refined by a few primal–dual active-set steps, each solving the KKT equations on the free set
exactly, until every KKT condition holds to 1e-9 (if this fails, the SLSQP solution is kept).
Results are deterministic. The intercept is ``b = mean(y_i − wᵀx_i)`` over the free support vectors
(``1e-6·s < α_i < (1 − 1e-6)·C``, with ``s = C``, or ``s = max α`` when ``C = ∞``); when there
are none (a large C, with every α_i below 1e-6·C), over ``1e-6·max α < α_i < C`` (a threshold,
not ``α_i > 0``: solvers leave 1e-16 where α is 0); and when there are none of those either, b is
the midpoint of the interval of values that the KKT conditions of the other points allow (as
LIBSVM does; b is then not unique). α itself need not be unique (e.g. book ex 2.5); w and the decision values are.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linprog, minimize

from geodl_ref._validation import check_array, check_dim, check_scalar

_BOUND_RTOL = 1e-6   # α_i counts as 0 below 1e-6·s and as C above (1 − 1e-6)·C


def hard_margin_svm(X, y):
    """The hard-margin SVM via its dual (2.16): ``max Σα − ½ΣΣ α_iα_j y_iy_j x_iᵀx_j``, α ≥ 0, yᵀα = 0.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
        Samples as rows; the two classes must be linearly separable.
    y : ndarray of shape (n,), values in {−1, +1}
        Labels; both classes must occur.

    Returns
    -------
    dict
        ``"alpha"``: ndarray of shape (n,), the dual solution (α ≥ 0, ``Σα_iy_i = 0``);
        ``"w"``: ndarray of shape (d,), ``w = Σ α_i y_i x_i`` (2.15);
        ``"b"``: float, the mean of ``y_i − wᵀx_i`` over the support vectors ``α_i > 1e-6·max α``.
        The margin is ``2/‖w‖`` and the dual objective equals ``½‖w‖²``.

    Raises
    ------
    ValueError
        If the classes are not linearly separable (checked by a linear program), so that the dual
        is unbounded; use :func:`soft_margin_svm` then.

    Examples
    --------
    >>> X = np.array([[2., 0.], [0., 0.]]); y = np.array([1., -1.])
    >>> res = hard_margin_svm(X, y)
    >>> np.round(res["alpha"], 8).tolist(), np.round(res["w"], 8).tolist(), round(res["b"], 8)
    ([0.5, 0.5], [1.0, 0.0], -1.0)
    """
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    y = _check_labels(y, n=X.shape[0])
    _check_separable(X, y, name="X")
    ### BEGIN SOLUTION
    K = X @ X.T                                           # (n, n)  Gram matrix x_iᵀx_j
    alpha = _svm_dual(K, y, np.inf)                       # (n,)    dual (2.16)
    w = X.T @ (alpha * y)                                 # (d,)    w = Σ α_i y_i x_i   (2.15)
    sv = alpha > _BOUND_RTOL * alpha.max()                # (n,)    support vectors
    b = float(np.mean(y[sv] - X[sv] @ w))                 # y_i(wᵀx_i + b) = 1 on every SV
    return {"alpha": alpha, "w": w, "b": b}
    ### END SOLUTION


def soft_margin_svm(X, y, C):
    """The soft-margin SVM through its dual (2.27): the dual of (2.16) with the box ``0 ≤ α_i ≤ C``.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
        Samples as rows.
    y : ndarray of shape (n,), values in {−1, +1}
    C : float > 0
        The penalty of the primal ``½‖w‖² + C Σ max(0, 1 − y_i(wᵀx_i + b))`` (2.34); no 1/n scaling.

    Returns
    -------
    dict
        ``"alpha"``: ndarray of shape (n,), ``0 ≤ α ≤ C``, ``Σα_iy_i = 0``;
        ``"w"``: ndarray of shape (d,), ``Σ α_i y_i x_i``;
        ``"b"``: float, the mean of ``y_i − wᵀx_i`` over the free support vectors
        ``1e-6·C < α_i < (1 − 1e-6)·C`` (fallbacks when there are none: see the module docstring);
        ``"support"``: ndarray of shape (k,), int, the sorted indices with ``α_i > 1e-6·C``.

    Examples
    --------
    >>> X = np.array([[2., 0.], [0., 0.]]); y = np.array([1., -1.])
    >>> res = soft_margin_svm(X, y, 0.25)                # the box binds: α = C
    >>> np.round(res["alpha"], 8).tolist(), np.round(res["w"], 8).tolist(), res["support"].tolist()
    ([0.25, 0.25], [0.5, 0.0], [0, 1])
    """
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    y = _check_labels(y, n=X.shape[0])
    C = check_scalar(C, name="C", lo=0, lo_open=True)
    ### BEGIN SOLUTION
    K = X @ X.T                                           # (n, n)
    alpha = _svm_dual(K, y, C)                            # (n,)   dual (2.27)
    w = X.T @ (alpha * y)                                 # (d,)   w = Σ α_i y_i x_i
    b = _intercept(X @ w, y, alpha, C)                    # from the free SVs: y_i f(x_i) = 1
    support = np.flatnonzero(alpha > _BOUND_RTOL * C)     # (k,)
    return {"alpha": alpha, "w": w, "b": b, "support": support}
    ### END SOLUTION


def hinge_primal(w, b, X, y, C):
    """The soft-margin primal objective (2.34): ``½‖w‖² + C Σ_i max(0, 1 − y_i(wᵀx_i + b))``.

    Parameters
    ----------
    w : ndarray of shape (d,), float64
    b : float
    X : ndarray of shape (n, d), float64
        Samples as rows.
    y : ndarray of shape (n,), values in {−1, +1}
    C : float > 0

    Returns
    -------
    float
        At the solution of :func:`soft_margin_svm` it equals the dual objective ``Σα − ½‖w‖²``
        (no duality gap).

    Examples
    --------
    >>> hinge_primal(np.array([1., 0.]), -1.0, np.array([[2., 0.], [0.5, 0.]]), np.array([1., -1.]), 2.0)
    1.5
    """
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    w = check_array(w, name="w", shape=(X.shape[1],), layout="(d,) with d == X.shape[1]")
    b = check_scalar(b, name="b")
    y = _check_labels(y, n=X.shape[0], both=False)
    C = check_scalar(C, name="C", lo=0, lo_open=True)
    ### BEGIN SOLUTION
    margins = y * (X @ w + b)                             # (n,)  y_i f(x_i)
    hinge = np.maximum(0.0, 1.0 - margins)                # (n,)  slack ξ_i
    return float(0.5 * w @ w + C * hinge.sum())           # (2.34)
    ### END SOLUTION


def kernel_svm_fit(K, y, C):
    """The kernel SVM through its dual (2.41): (2.27) with ``x_iᵀx_j`` replaced by ``K_ij = k(x_i, x_j)``.

    Parameters
    ----------
    K : ndarray of shape (n, n), float64
        The training Gram matrix; symmetric positive semidefinite.
    y : ndarray of shape (n,), values in {−1, +1}
    C : float > 0, or ``np.inf``
        The box bound; ``C = np.inf`` gives the hard margin (then the data must be separable in
        feature space, and b is averaged over ``α_i > 1e-6·max α``).

    Returns
    -------
    dict
        ``"alpha"``: ndarray of shape (n,), ``0 ≤ α ≤ C``, ``Σα_iy_i = 0``;
        ``"b"``: float, chosen as in :func:`soft_margin_svm` (or :func:`hard_margin_svm` if C = ∞).
        The decision function is :func:`kernel_svm_decision`.

    Examples
    --------
    >>> X = np.array([[1., 1.], [-1., -1.], [3., 3.], [-3., 3.]]); y = np.array([-1., -1., 1., 1.])
    >>> res = kernel_svm_fit((X @ X.T) ** 2, y, np.inf)  # k(x, z) = (xᵀz)²
    >>> round(res["b"], 8)                               # f(x) = (x1² + x2²)/8 − 5/4 (book ex 2.5)
    -1.25
    """
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    check_dim(K.shape[1], K.shape[0], what="K.shape[0] == K.shape[1] (K square)")
    _check_gram(K)
    y = _check_labels(y, n=K.shape[0])
    if isinstance(C, (float, np.floating)) and C == np.inf:
        C = float("inf")
        _check_separable(K, y, name="K")
    else:
        C = check_scalar(C, name="C", lo=0, lo_open=True)
    ### BEGIN SOLUTION
    alpha = _svm_dual(K, y, C)                            # (n,)  dual (2.41)
    s = K @ (alpha * y)                                   # (n,)  Σ_j α_j y_j k(x_j, x_i)
    b = _intercept(s, y, alpha, C)
    return {"alpha": alpha, "b": b}
    ### END SOLUTION


def kernel_svm_decision(K_test, alpha, y, b):
    """The kernel SVM decision values (2.42): ``f(x) = Σ_i α_i y_i k(x_i, x) + b``.

    Parameters
    ----------
    K_test : ndarray of shape (m, n), float64
        ``K_test[j, i] = k(x_i, x_test_j)``: one row per test point, one column per training point.
    alpha : ndarray of shape (n,), float64
    y : ndarray of shape (n,), values in {−1, +1}
        The training labels.
    b : float

    Returns
    -------
    ndarray of shape (m,), float64
        The predicted class is ``sign f``.

    Examples
    --------
    >>> K_test = np.array([[1., 0.], [0., 2.], [1., 1.]])   # m = 3 test points, n = 2 training points
    >>> kernel_svm_decision(K_test, np.array([1., 0.5]), np.array([1., -1.]), 0.5)
    array([ 1.5, -0.5,  1. ])
    """
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    n = K_test.shape[1]
    alpha = check_array(alpha, name="alpha", shape=(n,), layout="(n,) with n == K_test.shape[1]")
    y = _check_labels(y, n=K_test.shape[1], both=False)
    b = check_scalar(b, name="b")
    ### BEGIN SOLUTION
    return K_test @ (alpha * y) + b                       # (m,)  Σ_i α_i y_i k(x_i, x) + b   (2.42)
    ### END SOLUTION


def _check_labels(y, *, n, both=True):
    """y as a float64 vector of length n with values in {−1, +1} (both present if ``both``)."""
    y = check_array(y, name="y", shape=(n,), layout="(n,) with n the number of samples")
    if not np.all((y == 1.0) | (y == -1.0)):
        bad = np.unique(y[(y != 1.0) & (y != -1.0)])[:5].tolist()
        raise ValueError(f"y should contain only the labels -1 and +1; got values {bad}")
    if both and (np.all(y > 0) or np.all(y < 0)):
        raise ValueError(f"y should contain both classes -1 and +1; got only {y[0]:+.0f}")
    return y


def _check_separable(F, y, *, name):
    """Raise unless some (β, c) has y_i((Fβ)_i + c) ≥ 1 for all i (an LP; F = X or F = K)."""
    n, p = F.shape
    A_ub = -y[:, None] * np.hstack([F, np.ones((n, 1))])  # (n, p+1)  −y_i [f_iᵀ, 1]
    res = linprog(np.zeros(p + 1), A_ub=A_ub, b_ub=-np.ones(n), bounds=[(None, None)] * (p + 1),
                  method="highs")
    if res.status == 2:
        raise ValueError(
            f"{name}, y should be linearly separable{' in feature space' if name == 'K' else ''} for the "
            f"hard-margin SVM (the dual is unbounded otherwise); use a finite C (soft margin)"
        )


def _check_gram(K):
    """Raise unless K is symmetric and positive semidefinite (relative tolerances 1e-10, 1e-9)."""
    scale = max(float(np.abs(K).max()), np.finfo(np.float64).tiny) if K.size else 1.0
    asym = float(np.abs(K - K.T).max()) if K.size else 0.0
    if asym > 1e-10 * scale:
        raise ValueError(f"K should be symmetric; got max|K − Kᵀ| = {asym:.3g}")
    lam_min = float(np.linalg.eigvalsh(0.5 * (K + K.T))[0]) if K.size else 0.0
    if lam_min < -1e-9 * scale * K.shape[0]:
        raise ValueError(f"K should be positive semidefinite; got smallest eigenvalue {lam_min:.3g}")


### BEGIN SOLUTION
def _svm_dual(K, y, C):
    """α minimizing ½αᵀQα − 1ᵀα s.t. yᵀα = 0, 0 ≤ α ≤ C, with Q = (yyᵀ) ⊙ K: SLSQP, then polish.

    A loose SLSQP run usually identifies the active sets already; if polishing it fails, a tight run
    (ftol 1e-16) is polished instead, and if that fails too its clipped solution is returned.
    """
    n = y.size
    Q = (y[:, None] * y[None, :]) * (0.5 * (K + K.T))     # (n, n)  Q_ij = y_i y_j K_ij
    for ftol in (1e-12, 1e-16):
        res = minimize(
            lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(n), jac=lambda a: Q @ a - 1.0,
            bounds=[(0.0, None if np.isinf(C) else C)] * n,
            constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
            method="SLSQP", options={"ftol": ftol, "maxiter": 500},
        )
        alpha = np.clip(res.x, 0.0, C)                    # (n,)
        polished = _polish(Q, y, C, alpha)
        if polished is not None:
            return polished
    return alpha


def _polish(Q, y, C, alpha, tol=1e-9, rounds=25):
    """Exact KKT solution from the active sets of an approximate α (primal–dual active set), or None.

    On the free set F, stationarity and feasibility are linear: Q_FF α_F + b y_F = 1 − Q_FU α_U and
    y_Fᵀα_F = −y_Uᵀα_U (b is the multiplier of yᵀα = 0). Indices that leave [0, C] or violate
    their KKT sign condition move between the sets until none does.
    """
    n = y.size
    scale = alpha.max() if np.isinf(C) else C
    lower = alpha <= 1e-9 * scale                         # (n,)  α = 0
    upper = np.zeros(n, bool) if np.isinf(C) else alpha >= C - 1e-9 * scale   # α = C
    for _ in range(rounds):
        free = ~(lower | upper)
        a = np.where(upper, C, 0.0) if np.isfinite(C) else np.zeros(n)        # (n,)
        if free.any():
            k = int(free.sum())
            M = np.zeros((k + 1, k + 1))                  # KKT matrix [[Q_FF, y_F], [y_Fᵀ, 0]]
            M[:k, :k] = Q[np.ix_(free, free)]
            M[:k, k] = M[k, :k] = y[free]
            rhs = np.append(1.0 - Q[free] @ a, -y @ a)    # (k+1,)
            a[free] = np.linalg.lstsq(M, rhs, rcond=None)[0][:k]
        b = _intercept(y * (Q @ a), y, a, C)
        yf = y * (y * (Q @ a) + b)                        # (n,)  y_i f(x_i)
        out = free & ((a < 0) | (a > C))                  # left the box
        bad_lo = lower & (yf < 1 - tol)                   # α = 0 needs y f ≥ 1
        bad_up = upper & (yf > 1 + tol)                   # α = C needs y f ≤ 1
        if not (out.any() or bad_lo.any() or bad_up.any()):
            a = np.clip(a, 0.0, C)                        # (n,)
            return a if _kkt_holds(Q, y, C, a, tol) else None
        lower = (lower & ~bad_lo) | (free & (a < 0))
        upper = (upper & ~bad_up) | (free & (a > C))
    return None


def _kkt_holds(Q, y, C, a, tol):
    """All KKT conditions at tolerance tol, with α classified as the graders do (1e-6 thresholds)."""
    scale = a.max() if np.isinf(C) else C
    yf = y * (y * (Q @ a) + _intercept(y * (Q @ a), y, a, C))   # (n,)  y_i f(x_i)
    zero = a <= _BOUND_RTOL * scale
    at_c = a >= C * (1 - _BOUND_RTOL)
    free = ~zero & ~at_c
    return bool(abs(y @ a) <= tol * scale and np.all(yf[zero] >= 1 - tol) and np.all(yf[at_c] <= 1 + tol)
                and np.all(np.abs(yf[free] - 1) <= tol))


def _intercept(s, y, alpha, C):
    """b from s_i = wᵀφ(x_i): mean of y_i − s_i on free SVs, else the midpoint of the KKT interval."""
    scale = alpha.max() if np.isinf(C) else C
    g = y - s                                             # (n,)  the b putting x_i on its margin
    free = (alpha > _BOUND_RTOL * scale) & (alpha < C * (1 - _BOUND_RTOL))
    if not free.any():
        free = (alpha > _BOUND_RTOL * alpha.max()) & (alpha < C)   # large C: every α below 1e-6·C
    if free.any():
        return float(g[free].mean())
    at_zero = alpha <= _BOUND_RTOL * scale                # α = 0 ⇒ y f ≥ 1;  α = C ⇒ y f ≤ 1
    lower = (at_zero & (y > 0)) | (~at_zero & (y < 0))    # b ≥ g_i
    upper = (at_zero & (y < 0)) | (~at_zero & (y > 0))    # b ≤ g_i
    lo = g[lower].max() if lower.any() else -np.inf
    hi = g[upper].min() if upper.any() else np.inf
    if np.isfinite(lo) and np.isfinite(hi):
        return float(0.5 * (lo + hi))
    return float(lo if np.isfinite(lo) else hi)
### END SOLUTION
