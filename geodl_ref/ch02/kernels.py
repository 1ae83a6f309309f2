"""Kernels and explicit feature maps (ex 2.1, eqs 2.35–2.36), in the row convention (samples are rows).

Samples are ROWS: ``X`` has shape (n, d) and ``Z`` has shape (m, d), and every kernel returns the
(n, m) matrix ``K[i, j] = k(x_i, z_j)``. The RBF kernel is in the book's σ-form
``exp(−‖x − z‖²/(2σ²))`` (scikit-learn's ``gamma`` is ``1/(2σ²)``). The feature maps satisfy
``φ(x)ᵀφ(z) = k(x, z)``: ``poly2_features`` for ``(xᵀz + c)²`` (ex 2.1), ``quad_features`` for
``(xᵀz)²`` (2.36), under which the ellipse ``x1² + 2x2² + 2x1x2 ≤ 2`` of (2.35) becomes the
halfspace ``φ1 + 2φ2 + √2 φ3 ≤ 2``.
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int, check_scalar


def poly_kernel(X, Z, p, c):
    """The polynomial kernel ``k(x, z) = (xᵀz + c)ᵖ``.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
        Samples as rows.
    Z : ndarray of shape (m, d), float64
        Samples as rows.
    p : int >= 1
        The degree.
    c : float >= 0
        The offset (``c ≥ 0`` keeps the kernel positive semidefinite).

    Returns
    -------
    K : ndarray of shape (n, m), float64

    Examples
    --------
    >>> poly_kernel(np.array([[1., 2.]]), np.array([[1., 0.], [0., 1.], [1., 1.]]), 2, 1.0)
    array([[ 4.,  9., 16.]])
    """
    X, Z = _check_pair(X, Z)
    p = check_int(p, name="p", lo=1)
    c = check_scalar(c, name="c", lo=0)
    ### BEGIN SOLUTION
    return (X @ Z.T + c) ** p                             # (n, m)  (xᵀz + c)^p
    ### END SOLUTION


def rbf_kernel(X, Z, sigma):
    """The Gaussian (RBF) kernel in σ-form, ``k(x, z) = exp(−‖x − z‖² / (2σ²))``.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    Z : ndarray of shape (m, d), float64
    sigma : float > 0
        The bandwidth σ (scikit-learn's ``rbf_kernel`` with ``gamma = 1/(2σ²)``).

    Returns
    -------
    K : ndarray of shape (n, m), float64
        Entries in (0, 1]; the squared distances are clipped at 0 against rounding.

    Examples
    --------
    >>> K = rbf_kernel(np.array([[0., 0.], [1., 1.]]), np.array([[0., 0.], [1., 0.], [3., 4.]]), 1.0)
    >>> K.shape, bool(np.isclose(K[0, 1], np.exp(-0.5)))
    ((2, 3), True)
    """
    X, Z = _check_pair(X, Z)
    sigma = check_scalar(sigma, name="sigma", lo=0, lo_open=True)
    ### BEGIN SOLUTION
    sq = (X**2).sum(1)[:, None] + (Z**2).sum(1)[None, :] - 2.0 * X @ Z.T   # (n, m)  ‖x − z‖²
    return np.exp(-np.maximum(sq, 0.0) / (2.0 * sigma**2))                  # (n, m)
    ### END SOLUTION


def sigmoid_kernel(X, Z, eta, nu):
    """The sigmoid kernel ``k(x, z) = tanh(η xᵀz + ν)`` (not positive semidefinite in general).

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    Z : ndarray of shape (m, d), float64
    eta : float
        The gain η (scikit-learn's ``gamma``).
    nu : float
        The offset ν (scikit-learn's ``coef0``).

    Returns
    -------
    K : ndarray of shape (n, m), float64

    Examples
    --------
    >>> sigmoid_kernel(np.array([[1., 0.]]), np.array([[0., 1.], [1., 1.]]), 1.0, 0.0)[0, 0]
    np.float64(0.0)
    """
    X, Z = _check_pair(X, Z)
    eta = check_scalar(eta, name="eta")
    nu = check_scalar(nu, name="nu")
    ### BEGIN SOLUTION
    return np.tanh(eta * (X @ Z.T) + nu)                  # (n, m)
    ### END SOLUTION


def poly2_features(X, c):
    """Explicit features of the degree-2 polynomial kernel: ``φ(x)ᵀφ(z) = (xᵀz + c)²`` (ex 2.1).

    ``φ(x) = [x1², x2², √2 x1x2, √(2c) x1, √(2c) x2, c]`` (this order is pinned).

    Parameters
    ----------
    X : ndarray of shape (n, 2), float64
        Samples as rows.
    c : float >= 0

    Returns
    -------
    Phi : ndarray of shape (n, 6), float64
        ``Phi @ Phi.T == poly_kernel(X, X, 2, c)`` up to rounding.

    Examples
    --------
    >>> poly2_features(np.array([[1., 2.]]), 2.0).round(6).tolist()
    [[1.0, 4.0, 2.828427, 2.0, 4.0, 2.0]]
    """
    X = check_array(X, name="X", shape=(None, 2), layout="(n, 2)")
    c = check_scalar(c, name="c", lo=0)
    ### BEGIN SOLUTION
    x1, x2 = X[:, 0], X[:, 1]                             # (n,), (n,)
    r = np.sqrt(2.0 * c)
    return np.stack([x1**2, x2**2, np.sqrt(2.0) * x1 * x2,
                     r * x1, r * x2, np.full_like(x1, c)], axis=1)   # (n, 6)
    ### END SOLUTION


def quad_features(X):
    """Explicit features of the quadratic kernel ``(xᵀz)²``: ``φ(x) = [x1², x2², √2 x1x2]`` (2.36).

    Parameters
    ----------
    X : ndarray of shape (n, 2), float64
        Samples as rows.

    Returns
    -------
    Phi : ndarray of shape (n, 3), float64

    Examples
    --------
    >>> quad_features(np.array([[1., 2.], [3., 0.]]))
    array([[1.        , 4.        , 2.82842712],
           [9.        , 0.        , 0.        ]])
    """
    X = check_array(X, name="X", shape=(None, 2), layout="(n, 2)")
    ### BEGIN SOLUTION
    x1, x2 = X[:, 0], X[:, 1]                             # (n,), (n,)
    return np.stack([x1**2, x2**2, np.sqrt(2.0) * x1 * x2], axis=1)   # (n, 3)  (2.36)
    ### END SOLUTION


def _check_pair(X, Z):
    """X (n, d) and Z (m, d) as float64 with the same number of columns d."""
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    Z = check_array(Z, name="Z", ndim=2, layout="(m, d)")
    check_dim(Z.shape[1], X.shape[1], what="Z.shape[1] == X.shape[1] (d)")
    return X, Z
