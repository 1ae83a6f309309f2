# ch02/kernels.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
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

from ch02._validation import check_array, check_dim, check_int, check_scalar


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_pair(X, Z):
    """X (n, d) and Z (m, d) as float64 with the same number of columns d."""
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    Z = check_array(Z, name="Z", ndim=2, layout="(m, d)")
    check_dim(Z.shape[1], X.shape[1], what="Z.shape[1] == X.shape[1] (d)")
    return X, Z
