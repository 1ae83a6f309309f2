# ch09/style.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Style normalizations (chapter 9): AdaIN and the whitening-colouring transform (WCT).

Both transfer the feature statistics of a style S onto a content X. The layout is the book's
row convention (eq 9.1): a feature map of C channels over H·W pixels is a matrix of shape
(H·W, C), one row per pixel. AdaIN matches the per-channel mean and standard deviation
(eq 9.17); WCT matches the mean and the whole C×C covariance (eqs 9.21–9.23) with symmetric
(eigendecomposition) square roots, which makes it equivariant under rotations of the channels.
"""
from __future__ import annotations

import numpy as np

from ch09._validation import check_array, check_dim, check_scalar

__all__ = ["adain", "wct"]


def adain(X: np.ndarray, S: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Adaptive instance normalization of the content X to the style S (eq 9.17).

    Per channel c: Y[:, c] = (X[:, c] − μ_x,c) / √(σ²_x,c + ε) · σ_s,c + μ_s,c, where μ and σ²
    are the mean and the **biased** variance (divide by the number of pixels) over the rows,
    and σ_s,c = √σ²_s,c (ε only stabilizes the division). With ε = 0 each output channel has
    exactly the style's mean and standard deviation.

    Parameters
    ----------
    X : ndarray of shape (Np, C), float64
        Content features, one row per pixel (row convention, eq 9.1).
    S : ndarray of shape (Mp, C), float64
        Style features; the number of pixels Mp may differ from Np, C must agree.
    eps : float, default 1e-5
        ε >= 0 added to the content variance inside the square root.

    Returns
    -------
    ndarray of shape (Np, C), float64
        The stylized features.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [3.0, 2.0]])
    >>> S = np.array([[10.0, 1.0], [20.0, 1.0], [30.0, 4.0]])
    >>> np.round(adain(X, S, eps=0.0), 6)
    array([[11.835034,  0.585786],
           [28.164966,  3.414214]])
    """
    X = check_array(X, name="X", ndim=2, layout="(Np, C)")
    S = check_array(S, name="S", ndim=2, layout="(Mp, C)")
    check_dim(S.shape[1], X.shape[1], what="S.shape[1] == X.shape[1] (channels)")
    eps = check_scalar(eps, name="eps", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()



def wct(X: np.ndarray, S: np.ndarray, eps: float = 1e-8) -> np.ndarray:
    """Whitening-colouring transform of the content X to the style S (eqs 9.21–9.23).

    With centred features X_c = X − 1μ_xᵀ and S_c = S − 1μ_sᵀ, Σ_x = (1/Np) X_cᵀX_c + εI and
    Σ_s = (1/Mp) S_cᵀS_c (biased covariances), the output is
    Y = X_c Σ_x^{−½} Σ_s^{½} + 1μ_sᵀ. The square roots are the symmetric ones (from the
    eigendecomposition), not Cholesky factors, so wct(XR, SR) = wct(X, S) R for every orthogonal
    R. Y has mean μ_s and, up to ε, covariance Σ_s.

    Parameters
    ----------
    X : ndarray of shape (Np, C), float64
        Content features, one row per pixel (row convention, eq 9.1); Σ_x should be
        non-singular (Np > C) unless ε is large enough.
    S : ndarray of shape (Mp, C), float64
        Style features; C must agree with X.
    eps : float, default 1e-8
        ε > 0 added to the diagonal of the content covariance.

    Returns
    -------
    ndarray of shape (Np, C), float64
        The stylized features.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [3.0, 2.0], [2.0, -1.0]])
    >>> S = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 4.0], [2.0, 4.0]])
    >>> Y = wct(X, S, eps=1e-12)
    >>> np.allclose(Y.mean(axis=0), [1.0, 2.0]), np.allclose(np.cov(Y.T, bias=True), [[1.0, 0.0], [0.0, 4.0]])
    (True, True)
    """
    X = check_array(X, name="X", ndim=2, layout="(Np, C)")
    S = check_array(S, name="S", ndim=2, layout="(Mp, C)")
    check_dim(S.shape[1], X.shape[1], what="S.shape[1] == X.shape[1] (channels)")
    eps = check_scalar(eps, name="eps", lo=0, lo_open=True)
    # YOUR CODE HERE
    raise NotImplementedError()
