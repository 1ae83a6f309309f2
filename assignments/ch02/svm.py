# ch02/svm.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
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

from ch02._validation import check_array, check_dim, check_scalar

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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
