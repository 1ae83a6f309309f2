# ch04/krr.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Kernel ridge regression via the representer theorem (§4.4.1).

Row convention: training points are the rows of ``X : (n, d)`` and enter only through the Gram
matrix ``K = [k(x_i, x_j)] : (n, n)``. By the representer theorem the minimizer of
``Σ_i (y_i − f(x_i))² + λ‖f‖²_H`` is ``f = Σ_i α_i k(x_i, ·)``; the objective in α is
``‖y − Kα‖² + λαᵀKα`` (eq 4.24), minimized by ``α = (K + λI)⁻¹y``. This is scikit-learn's
``KernelRidge(alpha=λ, kernel='precomputed').dual_coef_`` (same λ, no 1/n). There is no bias
term: predictions are ``f(x) = Σ_i α_i k(x_i, x)``. numpy only.
"""
from __future__ import annotations

import numpy as np

from ch04._validation import check_array, check_dim, check_scalar


def krr_fit(K, y, lam):
    """Kernel ridge coefficients ``α = (K + λI)⁻¹y`` (from eq 4.24).

    Parameters
    ----------
    K : ndarray of shape (n, n), float64
        Training Gram matrix ``K_ij = k(x_i, x_j)`` (symmetric PSD).
    y : ndarray of shape (n,) or (n, t), float64
        Targets; t columns are t independent regressions sharing K.
    lam : float >= 0
        The regularization λ. ``lam=0`` interpolates (``Kα = y``) and needs a nonsingular K.

    Returns
    -------
    alpha : ndarray of the shape of y
        Dual coefficients; they satisfy the stationarity condition ``(K² + λK)α = Ky``.

    Raises
    ------
    ValueError
        If ``K + λI`` is singular (for a PSD K, only possible with ``lam=0``).

    Examples
    --------
    >>> K = np.array([[2., 1.], [1., 2.]])
    >>> krr_fit(K, np.array([4., 4.]), 1.0)     # (K + I)α = y with α = (1, 1)
    array([1., 1.])
    """
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K should be a square (n, n) Gram matrix; got K.shape={K.shape}")
    y = check_array(y, name="y")
    if y.ndim not in (1, 2) or y.shape[0] != K.shape[0]:
        raise ValueError(
            f"y should have shape (n,) or (n, t) with n == K.shape[0] = {K.shape[0]}; "
            f"got y.shape={y.shape}"
        )
    lam = check_scalar(lam, name="lam", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def krr_predict(K_test, alpha):
    """Kernel ridge predictions ``f(x) = Σ_i α_i k(x_i, x)``, i.e. ``K_test α``.

    Parameters
    ----------
    K_test : ndarray of shape (m, n), float64
        ``K_test[j, i] = k(x_test_j, x_i)``: one row per test point, one column per training point.
    alpha : ndarray of shape (n,) or (n, t), float64
        Coefficients from :func:`krr_fit`.

    Returns
    -------
    ndarray of shape (m,) or (m, t)

    Examples
    --------
    >>> krr_predict(np.array([[1., 0.], [0.5, 0.5], [2., 1.]]), np.array([1., 3.]))
    array([1., 2., 5.])
    """
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    alpha = check_array(alpha, name="alpha")
    if alpha.ndim not in (1, 2):
        raise ValueError(f"alpha should have shape (n,) or (n, t); got alpha.shape={alpha.shape}")
    check_dim(alpha.shape[0], K_test.shape[1], what="alpha.shape[0] == K_test.shape[1] (n)")
    # YOUR CODE HERE
    raise NotImplementedError()
