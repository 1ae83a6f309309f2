# ch10/shrink.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Frame shrinkage (chapter 10, eqs 10.12–10.13): denoising by soft thresholding in an orthonormal basis.

For an orthonormal basis Φ (its columns are the basis vectors, ΦᵀΦ = ΦΦᵀ = I), the problem
min_f ½‖y − f‖² + λ‖Φᵀf‖₁ separates coefficient by coefficient and is solved exactly by
f̂ = Φ · soft(Φᵀy, λ), with soft(v, λ) = sign(v) · max(|v| − λ, 0). The Haar basis is the
book's running example: a piecewise-constant signal has few large Haar coefficients, while white
noise spreads evenly over all of them, so thresholding removes most of the noise.
"""
from __future__ import annotations

import numpy as np

from ch10._validation import check_array, check_int, check_scalar

__all__ = ["frame_denoise", "haar_matrix", "soft"]


def haar_matrix(N: int) -> np.ndarray:
    """The orthonormal Haar matrix of size N (a power of two), one basis vector per row.

    Row 0 is the constant 1/√N. The other rows go from coarse to fine: scale j = 0, 1, ...,
    log₂N − 1 holds 2ʲ rows, and row 2ʲ + k (0 ≤ k < 2ʲ) is √(2ʲ/N) on the first half of the
    block [kN/2ʲ, (k+1)N/2ʲ) and −√(2ʲ/N) on its second half (+ before −), 0 elsewhere.

    Parameters
    ----------
    N : int
        Signal length, a power of two, N >= 1.

    Returns
    -------
    ndarray of shape (N, N), float64
        H with H Hᵀ = I; the Haar coefficients of x are H @ x, so Φ = Hᵀ.

    Raises
    ------
    ValueError
        If N is not a power of two.

    Examples
    --------
    >>> haar_matrix(2) * np.sqrt(2)
    array([[ 1.,  1.],
           [ 1., -1.]])
    >>> np.allclose(haar_matrix(8) @ haar_matrix(8).T, np.eye(8))
    True
    """
    N = check_int(N, name="N", lo=1)
    if N & (N - 1):
        raise ValueError(f"N should be a power of two; got N={N}")
    # YOUR CODE HERE
    raise NotImplementedError()


def soft(v: np.ndarray, lam: float) -> np.ndarray:
    """Soft thresholding, the proximal map of λ‖·‖₁: sign(v) · max(|v| − λ, 0), elementwise.

    Parameters
    ----------
    v : ndarray of shape (N,), float64
        Coefficients.
    lam : float
        Threshold λ >= 0.

    Returns
    -------
    ndarray of shape (N,), float64
        The shrunk coefficients: entries with |v| ≤ λ become 0, the others move λ towards 0.

    Examples
    --------
    >>> soft(np.array([3.0, -0.5, -2.0]), 1.0)
    array([ 2., -0., -1.])
    """
    v = check_array(v, name="v", ndim=1, layout="(N,)")
    lam = check_scalar(lam, name="lam", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def frame_denoise(y: np.ndarray, Phi: np.ndarray, lam: float) -> np.ndarray:
    """Denoise y by soft thresholding its coefficients in the orthonormal basis Φ (eq 10.13).

    Returns f̂ = Φ · soft(Φᵀy, λ), the exact minimiser of ½‖y − f‖² + λ‖Φᵀf‖₁ (eq 10.12) when
    the columns of Φ are orthonormal.

    Parameters
    ----------
    y : ndarray of shape (N,), float64
        The noisy signal.
    Phi : ndarray of shape (N, N), float64
        Orthonormal basis, one basis vector per column (Φ = haar_matrix(N).T for Haar).
    lam : float
        Threshold λ >= 0; λ = 0 returns y, λ ≥ ‖Φᵀy‖∞ returns 0.

    Returns
    -------
    ndarray of shape (N,), float64
        The denoised signal f̂.

    Examples
    --------
    >>> Phi = haar_matrix(4).T
    >>> frame_denoise(np.array([1.0, 1.0, 1.0, 1.2]), Phi, 0.15)
    array([0.975, 0.975, 0.975, 0.975])
    """
    y = check_array(y, name="y", ndim=1, layout="(N,)")
    Phi = check_array(Phi, name="Phi", ndim=2, shape=(y.shape[0], y.shape[0]), layout="(N, N)")
    lam = check_scalar(lam, name="lam", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()
