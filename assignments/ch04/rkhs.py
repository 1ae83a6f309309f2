# ch04/rkhs.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Computing in an RKHS through the kernel alone (§4.2–4.3, ex 4.7–4.8).

Row convention: point sets are ``(n, d)`` arrays, one point per row. A kernel ``k`` is a callable
``k(X:(n, d), Z:(m, d)) -> (n, m)`` Gram block (see the kernels module, ``ch04/kernels.py``).

A function in the span of the kernel sections is ``f = Σ_i a_i k(x_i, ·)``, stored as its
coefficients ``a : (r,)`` and centres ``Xa : (r, d)``. Its inner products, norm and values need only
kernel evaluations (eq 4.12): ``⟨f, g⟩ = aᵀ K(Xa, Xb) b``, ``f(x) = Σ_i a_i k(x_i, x)``.

For a sample with Gram matrix ``K = [k(x_i, x_j)]`` (n×n) and feature map φ (``k(x, z) = ⟨φ(x), φ(z)⟩``):
the squared norm of the feature mean ``‖(1/n)Σφ(x_i)‖² = 1ᵀK1/n²``, the feature variance
``(1/n)Σ‖φ(x_i) − mean‖² = tr K/n − 1ᵀK1/n²`` (ex 4.8), and the squared feature distances
``‖φ(x_i) − φ(x_j)‖² = K_ii + K_jj − 2K_ij`` (ex 4.7; the book's ``d = 2(1 − k)`` for a normalized
kernel should read ``d² = 2(1 − k)``, erratum 5). numpy only.
"""
from __future__ import annotations

import numpy as np

from ch04._validation import check_array, check_dim


def rkhs_inner(a, Xa, b, Xb, k):
    """The RKHS inner product ``⟨Σ_i a_i k(x_i, ·), Σ_j b_j k(z_j, ·)⟩ = aᵀK(Xa, Xb)b`` (eq 4.12).

    Parameters
    ----------
    a : ndarray of shape (r,), float64
        Coefficients of f.
    Xa : ndarray of shape (r, d), float64
        Centres of f, one per row.
    b : ndarray of shape (s,), float64
        Coefficients of g.
    Xb : ndarray of shape (s, d), float64
        Centres of g, one per row.
    k : callable
        A PSD kernel ``k(X:(n, d), Z:(m, d)) -> (n, m)``.

    Returns
    -------
    float

    Examples
    --------
    >>> linear = lambda X, Z: X @ Z.T           # f = ⟨w, ·⟩ with w = Σ a_i x_i
    >>> rkhs_inner(np.array([1., 1.]), np.array([[1., 0.], [0., 1.]]),
    ...            np.array([2.]), np.array([[3., 1.]]), linear)   # ⟨(1, 1), (6, 2)⟩
    8.0
    """
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    b, Xb = _check_expansion(b, Xb, "b", "Xb")
    check_dim(Xb.shape[1], Xa.shape[1], what="Xb.shape[1] == Xa.shape[1] (d)")
    _check_kernel(k)
    # YOUR CODE HERE
    raise NotImplementedError()


def rkhs_norm(a, Xa, k):
    """The RKHS norm ``‖f‖ = √(aᵀK(Xa, Xa)a)`` of ``f = Σ_i a_i k(x_i, ·)``.

    Rounding can make ``aᵀKa`` slightly negative when f is (numerically) zero; it is clipped at 0
    before the square root, so the result is never NaN.

    Parameters
    ----------
    a : ndarray of shape (r,), float64
    Xa : ndarray of shape (r, d), float64
    k : callable
        A PSD kernel ``k(X:(n, d), Z:(m, d)) -> (n, m)``.

    Returns
    -------
    float >= 0

    Examples
    --------
    >>> linear = lambda X, Z: X @ Z.T
    >>> rkhs_norm(np.array([1., 1.]), np.array([[3., 0.], [0., 4.]]), linear)   # ‖(3, 4)‖
    5.0
    """
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    _check_kernel(k)
    # YOUR CODE HERE
    raise NotImplementedError()


def evaluate(a, Xa, k, X):
    """Evaluate ``f(x) = Σ_i a_i k(x_i, x)`` at the rows of X (the reproducing property).

    Computed as ``K(Xa, X)ᵀ a``, so ``evaluate(a, Xa, k, x[None])`` is exactly
    ``rkhs_inner(a, Xa, [1.], x[None], k)``: ``f(x) = ⟨f, k(x, ·)⟩``.

    Parameters
    ----------
    a : ndarray of shape (r,), float64
    Xa : ndarray of shape (r, d), float64
    k : callable
        A kernel ``k(X:(n, d), Z:(m, d)) -> (n, m)``.
    X : ndarray of shape (m, d), float64
        Evaluation points, one per row.

    Returns
    -------
    ndarray of shape (m,)

    Examples
    --------
    >>> linear = lambda X, Z: X @ Z.T
    >>> evaluate(np.array([1., -1.]), np.array([[1., 0.], [0., 1.]]), linear,
    ...          np.array([[2., 1.], [0., 3.], [1., 1.]]))           # f(x) = x₁ − x₂
    array([ 1., -3.,  0.])
    """
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    _check_kernel(k)
    X = check_array(X, name="X", ndim=2, layout="(m, d)")
    check_dim(X.shape[1], Xa.shape[1], what="X.shape[1] == Xa.shape[1] (d)")
    # YOUR CODE HERE
    raise NotImplementedError()


def feature_mean_norm2(K):
    """Squared norm of the feature mean, ``‖(1/n) Σ_i φ(x_i)‖² = 1ᵀK1/n²``.

    Parameters
    ----------
    K : ndarray of shape (n, n), float64, n >= 1
        The Gram matrix ``K_ij = k(x_i, x_j)`` of the sample.

    Returns
    -------
    float

    Examples
    --------
    >>> feature_mean_norm2(np.array([[1., 0.], [0., 1.]]))   # mean of e₁, e₂ is (½, ½)
    0.5
    """
    K = _check_gram(K)
    # YOUR CODE HERE
    raise NotImplementedError()


def feature_variance(K):
    """Feature-space variance ``(1/n) Σ_i ‖φ(x_i) − φ̄‖² = tr K/n − 1ᵀK1/n²`` (ex 4.8).

    The 1/n (population) normalization, the mean squared distance to the feature mean φ̄.

    Parameters
    ----------
    K : ndarray of shape (n, n), float64, n >= 1
        The Gram matrix of the sample.

    Returns
    -------
    float

    Examples
    --------
    >>> feature_variance(np.array([[1., 0.], [0., 1.]]))     # e₁, e₂: each is √½ from (½, ½)
    0.5
    """
    K = _check_gram(K)
    # YOUR CODE HERE
    raise NotImplementedError()


def kernel_dist2(K):
    """Squared feature-space distances ``D_ij = ‖φ(x_i) − φ(x_j)‖² = K_ii + K_jj − 2K_ij``.

    Squared, not the distance itself (the book's ex 4.7 ``d = 2(1 − k)`` is ``d² = 2(1 − k)``,
    erratum 5). The diagonal is exactly 0. Not clipped: entries can be slightly negative from
    rounding, or truly negative if K is not PSD.

    Parameters
    ----------
    K : ndarray of shape (n, n), float64
        A symmetric Gram matrix.

    Returns
    -------
    D : ndarray of shape (n, n)

    Examples
    --------
    >>> kernel_dist2(np.array([[1., 0.5], [0.5, 1.]]))   # normalized kernel: d² = 2(1 − k)
    array([[0., 1.],
           [1., 0.]])
    """
    K = _check_gram(K)
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_expansion(a, Xa, a_name, X_name):
    """Validate coefficients (r,) and centres (r, d) of a kernel expansion."""
    Xa = check_array(Xa, name=X_name, ndim=2, layout="(r, d)")
    a = check_array(a, name=a_name, shape=(Xa.shape[0],), layout=f"(r,) with r == {X_name}.shape[0]")
    return a, Xa


def _check_kernel(k):
    """Raise TypeError if k is not callable."""
    if not callable(k):
        raise TypeError(
            f"k should be a kernel callable k(X:(n, d), Z:(m, d)) -> (n, m); "
            f"got k={k!r} (type={type(k).__name__})"
        )


def _check_gram(K):
    """Return K as a float64 (n, n) array with n >= 1, or raise naming it."""
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    if K.shape[0] != K.shape[1] or K.shape[0] == 0:
        raise ValueError(f"K should be a non-empty square (n, n) Gram matrix; got K.shape={K.shape}")
    return K
