# ch04/kernels.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Positive semidefinite kernels and their closure properties (Def 4.2, ex 4.1–4.6).

Row convention: a point set is ``X`` of shape ``(n, d)``, one point per row.

**Kernel convention.** A kernel is a plain Python callable ``k(X, Z) -> K`` that takes two point
sets ``X : (n, d)`` and ``Z : (m, d)`` and returns the float64 Gram block ``K : (n, m)`` with
``K[i, j] = k(x_i, z_j)``. :func:`gram` evaluates one (``Z=None`` means ``Z = X``); the
combinators :func:`k_sum`, :func:`k_prod` and :func:`k_poly` return new kernels of the same kind.
For example the linear kernel is ``lambda X, Z: X @ Z.T``.

A symmetric K is PSD when ``λ_min(K) >= 0`` (Def 4.2). Numerically, :func:`is_psd` accepts
``λ_min >= −tol·‖K‖₂`` (a tolerance relative to the spectral norm, so the answer does not change
when K is rescaled). numpy only.
"""
from __future__ import annotations

import numpy as np

from ch04._validation import check_array, check_dim, check_scalar


def gram(k, X, Z=None):
    """The Gram block ``K[i, j] = k(x_i, z_j)`` of a kernel callable (Def 4.2).

    Parameters
    ----------
    k : callable
        A kernel ``k(X:(n, d), Z:(m, d)) -> (n, m)`` (see the module docstring).
    X : ndarray of shape (n, d), float64
        Points, one per row.
    Z : ndarray of shape (m, d), float64, optional
        Second point set; default ``Z = X`` (the square Gram matrix of X).

    Returns
    -------
    K : ndarray of shape (n, m), float64

    Raises
    ------
    ValueError
        If ``k`` returns a block of the wrong shape.

    Examples
    --------
    >>> linear = lambda X, Z: X @ Z.T
    >>> gram(linear, np.array([[1., 0.], [1., 1.], [0., 2.]]), np.array([[1., 1.]]))
    array([[1.],
           [2.],
           [2.]])
    """
    _check_kernel(k, name="k")
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    if Z is not None:
        Z = check_array(Z, name="Z", ndim=2, layout="(m, d)")
        check_dim(Z.shape[1], X.shape[1], what="Z.shape[1] == X.shape[1] (d)")
    # YOUR CODE HERE
    raise NotImplementedError()


def is_psd(K, tol=1e-10):
    """Whether K is positive semidefinite, up to a relative tolerance (Def 4.2).

    Tests the quadratic form ``vᵀKv >= 0``, i.e. the symmetric part ``S = (K + Kᵀ)/2``:
    returns ``λ_min(S) >= −tol·‖S‖₂`` with ``‖S‖₂ = max_i |λ_i(S)|`` (so the zero matrix is PSD
    and ``is_psd(c·K) == is_psd(K)`` for c > 0). Eigenvalues come from ``eigvalsh`` of S; the
    eigenvalues of a non-symmetrized K are never used.

    Parameters
    ----------
    K : ndarray of shape (n, n), float64
        A square matrix (normally a symmetric Gram matrix).
    tol : float >= 0, default 1e-10
        Relative tolerance.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_psd(np.array([[2., 1.], [1., 2.]])), is_psd(np.array([[1., 2.], [2., 1.]]))
    (True, False)
    >>> is_psd(1e-20 * np.array([[1., 2.], [2., 1.]]))   # the tolerance scales with ‖K‖
    False
    """
    K = _check_square(K, name="K")
    tol = check_scalar(tol, name="tol", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def normalize_kernel(K):
    """The normalized Gram matrix ``K̃_ij = K_ij / √(K_ii K_jj)`` (ex 4.6).

    Entries whose denominator is 0 (``K_ii = 0`` or ``K_jj = 0``) are set to 0, so a point with
    zero self-similarity gets a zero row and column (and a 0 on the diagonal). Every other
    diagonal entry is 1. If K is PSD, so is K̃ (it is ``D K D`` with ``D = diag(1/√K_ii)``,
    0 where ``K_ii = 0``).

    Parameters
    ----------
    K : ndarray of shape (n, n), float64
        A Gram matrix; its diagonal must be >= 0.

    Returns
    -------
    ndarray of shape (n, n)

    Examples
    --------
    >>> normalize_kernel(np.array([[4., 2., 0.], [2., 9., 0.], [0., 0., 0.]]))
    array([[1.        , 0.33333333, 0.        ],
           [0.33333333, 1.        , 0.        ],
           [0.        , 0.        , 0.        ]])
    """
    K = _check_square(K, name="K")
    if np.any(np.diag(K) < 0):
        raise ValueError(
            f"K should have a nonnegative diagonal (K_ii = k(x_i, x_i)); got min {np.diag(K).min()!r}"
        )
    # YOUR CODE HERE
    raise NotImplementedError()


def k_sum(k1, k2, a=1.0, b=1.0):
    """The kernel ``a·k1 + b·k2``; PSD whenever k1, k2 are and a, b >= 0 (ex 4.2).

    Parameters
    ----------
    k1, k2 : callable
        Kernels ``k(X:(n, d), Z:(m, d)) -> (n, m)``.
    a, b : float >= 0, default 1.0
        Nonnegative coefficients.

    Returns
    -------
    callable
        The kernel ``(X, Z) -> a·k1(X, Z) + b·k2(X, Z)``.

    Examples
    --------
    >>> linear = lambda X, Z: X @ Z.T
    >>> ones = lambda X, Z: np.ones((X.shape[0], Z.shape[0]))
    >>> k = k_sum(linear, ones, 2.0, 3.0)
    >>> k(np.array([[1.], [2.]]), np.array([[1.]]))
    array([[5.],
           [7.]])
    """
    _check_kernel(k1, name="k1")
    _check_kernel(k2, name="k2")
    a = check_scalar(a, name="a", lo=0)
    b = check_scalar(b, name="b", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def k_prod(k1, k2):
    """The kernel ``k1·k2`` (pointwise product); PSD by the Schur product theorem (ex 4.3).

    Parameters
    ----------
    k1, k2 : callable
        Kernels ``k(X:(n, d), Z:(m, d)) -> (n, m)``.

    Returns
    -------
    callable
        The kernel ``(X, Z) -> k1(X, Z) ⊙ k2(X, Z)`` (elementwise, not a matrix product).

    Examples
    --------
    >>> linear = lambda X, Z: X @ Z.T
    >>> k_prod(linear, linear)(np.array([[1., 2.]]), np.array([[3., 1.], [0., 1.]]))
    array([[25.,  4.]])
    """
    _check_kernel(k1, name="k1")
    _check_kernel(k2, name="k2")
    # YOUR CODE HERE
    raise NotImplementedError()


def k_poly(k, coefs):
    """The kernel ``Σ_j c_j k^j`` (pointwise powers), PSD when all ``c_j >= 0`` (ex 4.4).

    Parameters
    ----------
    k : callable
        A kernel ``k(X:(n, d), Z:(m, d)) -> (n, m)``.
    coefs : sequence of float >= 0, length q+1 >= 1
        Coefficients in increasing degree: ``coefs[0]`` is the constant term (``k^0 = 1``),
        ``coefs[1]`` multiplies k, ``coefs[2]`` multiplies ``k ⊙ k``, and so on.

    Returns
    -------
    callable
        The kernel ``(X, Z) -> Σ_j coefs[j]·k(X, Z)^j`` (elementwise powers).

    Examples
    --------
    >>> linear = lambda X, Z: X @ Z.T
    >>> k = k_poly(linear, [1., 2., 1.])      # (1 + xᵀz)², the inhomogeneous polynomial kernel
    >>> k(np.array([[1.], [2.]]), np.array([[3.]]))
    array([[16.],
           [49.]])
    """
    _check_kernel(k, name="k")
    coefs = check_array(coefs, name="coefs", ndim=1, layout="(q+1,)")
    if coefs.size == 0 or np.any(coefs < 0):
        raise ValueError(
            f"coefs should be a non-empty sequence of numbers >= 0; got coefs={coefs.tolist()!r}"
        )
    # YOUR CODE HERE
    raise NotImplementedError()


def sigmoid_counterexample(eta, nu):
    """Points whose sigmoid-kernel Gram matrix ``tanh(η XXᵀ + ν)`` is not PSD.

    Returns two points on a line, ``x1 = 0.1/√η`` and ``x2 = 200/√η`` (so that
    ``η x_i x_j = c_i c_j`` with ``c = (0.1, 200)``). The Gram matrix is
    ``[[tanh(0.01 + ν), tanh(20 + ν)], [tanh(20 + ν), tanh(40000 + ν)]] ≈ [[tanh(0.01 + ν), 1], [1, 1]]``
    (``tanh(20 + ν)`` rounds to 1 for ν >= 0), whose determinant ``≈ tanh(0.01 + ν) − 1 < 0``:
    the kernel saturates off the diagonal faster than on it. For ν < 0 the first diagonal entry is
    even negative. ``λ_min < −1e-6`` for every η > 0 and ν <= 6 (in particular for the pinned
    (η, ν) ∈ {(1, −1), (1, 0), (0.5, −0.2)}).

    Parameters
    ----------
    eta : float > 0
        The slope η of ``k(x, z) = tanh(η xᵀz + ν)``.
    nu : float
        The offset ν.

    Returns
    -------
    X : ndarray of shape (2, 1), float64
        Two points (rows) in R¹.

    Examples
    --------
    >>> X = sigmoid_counterexample(1.0, 0.0)
    >>> bool(np.linalg.eigvalsh(np.tanh(1.0 * X @ X.T + 0.0))[0] < -1e-6)
    True
    """
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    nu = check_scalar(nu, name="nu")
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_kernel(k, *, name):
    """Raise TypeError naming the argument if k is not callable."""
    if not callable(k):
        raise TypeError(
            f"{name} should be a kernel callable k(X:(n, d), Z:(m, d)) -> (n, m); "
            f"got {name}={k!r} (type={type(k).__name__})"
        )


def _check_square(K, *, name):
    """Return K as a float64 (n, n) array, or raise naming it."""
    K = check_array(K, name=name, ndim=2, layout="(n, n)")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"{name} should be a square (n, n) matrix; got {name}.shape={K.shape}")
    return K
