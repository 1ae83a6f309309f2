# ch01/frames.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Frames in Rⁿ: frame bounds (eq 1.14), the canonical dual frame, analysis and synthesis.

A frame is stored as the matrix ``Phi`` of shape (n, K) whose K COLUMNS are the frame vectors
``φ_k ∈ Rⁿ`` (K ≥ n for a redundant frame). The frame condition (1.14) reads
``α‖f‖² ≤ Σ_k ⟨f, φ_k⟩² = ‖Φᵀf‖² ≤ β‖f‖²``, so the optimal bounds α, β are the extreme eigenvalues of
the n × n frame operator ``ΦΦᵀ`` (not of the K × K Gram matrix ``ΦᵀΦ``, whose K − n extra zero
eigenvalues say nothing about the frame). The canonical dual frame is ``Φ̃ = (ΦΦᵀ)⁻¹Φ``, with
``Φ̃Φᵀ = I``, so that ``f = Φ̃ (Φᵀ f)`` for every f (perfect reconstruction).
"""
from __future__ import annotations

import numpy as np

from ch01._validation import check_array, check_dim, check_scalar


def frame_bounds(Phi):
    """The optimal frame bounds ``(α, β)``: the smallest and largest eigenvalues of ``ΦΦᵀ`` (eq 1.14).

    Parameters
    ----------
    Phi : ndarray of shape (n, K), float64
        Frame vectors as columns.

    Returns
    -------
    (alpha, beta) : tuple of float
        ``0 ≤ α ≤ β``. ``α`` is clipped at 0 (``ΦΦᵀ`` is PSD; rounding can make its smallest
        eigenvalue ``−1e-16``), and ``α ≈ 0`` means that the columns do not span Rⁿ (not a frame).
        These are eigenvalues, not their square roots.

    Examples
    --------
    >>> Phi = np.array([[1., 0., 1.], [0., 1., 1.]])   # the frame {[1,0], [0,1], [1,1]}
    >>> alpha, beta = frame_bounds(Phi)
    >>> round(alpha, 12), round(beta, 12)
    (1.0, 3.0)
    """
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    # YOUR CODE HERE
    raise NotImplementedError()


def canonical_dual(Phi):
    """The canonical dual frame ``Φ̃ = (ΦΦᵀ)⁻¹Φ``, so that ``Φ̃Φᵀ = I``.

    Parameters
    ----------
    Phi : ndarray of shape (n, K), float64
        A frame: rank n (``K ≥ n`` columns that span Rⁿ).

    Returns
    -------
    Phi_d : ndarray of shape (n, K), float64
        Dual frame vectors as columns. For a tight frame with bound α it is ``Φ/α``; for an
        orthonormal basis it is ``Φ`` itself.

    Raises
    ------
    ValueError
        If ``Phi`` has rank < n (its columns do not span Rⁿ, so ``ΦΦᵀ`` is singular).

    Examples
    --------
    >>> Phi = np.array([[1., 0., 1.], [0., 1., 1.]])
    >>> Phi_d = canonical_dual(Phi)
    >>> np.round(3 * Phi_d, 12)
    array([[ 2., -1.,  1.],
           [-1.,  2.,  1.]])
    >>> np.round(Phi_d @ (Phi.T @ np.array([2., 3.])), 12)   # perfect reconstruction of x = [2, 3]
    array([2., 3.])
    """
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    _check_spans(Phi)
    # YOUR CODE HERE
    raise NotImplementedError()


def analyze(Phi, f):
    """Frame coefficients ``c = Φᵀf``, i.e. ``c_k = ⟨f, φ_k⟩`` (the analysis operator).

    Parameters
    ----------
    Phi : ndarray of shape (n, K), float64
        Frame vectors as columns.
    f : ndarray of shape (n,) or (n, N), float64
        One signal, or N signals as columns.

    Returns
    -------
    c : ndarray of shape (K,) or (K, N), float64

    Examples
    --------
    >>> analyze(np.array([[1., 0., 1.], [0., 1., 1.]]), np.array([2., 3.]))
    array([2., 3., 5.])
    """
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    f = _check_signal(f, name="f", rows=Phi.shape[0], what="f.shape[0] == Phi.shape[0] (n)")
    # YOUR CODE HERE
    raise NotImplementedError()


def synthesize(Phi_d, c):
    """Synthesis ``f = Φ_d c = Σ_k c_k φ̃_k``; with the canonical dual, ``synthesize(Φ̃, analyze(Φ, f)) = f``.

    Parameters
    ----------
    Phi_d : ndarray of shape (n, K), float64
        The synthesis frame (typically the dual frame of :func:`canonical_dual`), vectors as columns.
    c : ndarray of shape (K,) or (K, N), float64
        Coefficients, one column per signal.

    Returns
    -------
    f : ndarray of shape (n,) or (n, N), float64

    Examples
    --------
    >>> synthesize(np.array([[1., 0., 1.], [0., 1., 1.]]), np.array([1., 2., 3.]))
    array([4., 5.])
    """
    Phi_d = check_array(Phi_d, name="Phi_d", ndim=2, layout="(n, K)")
    c = _check_signal(c, name="c", rows=Phi_d.shape[1], what="c.shape[0] == Phi_d.shape[1] (K)")
    # YOUR CODE HERE
    raise NotImplementedError()


def is_tight(Phi, tol=1e-10):
    """Whether ``Phi`` is a tight frame: ``α = β > 0`` up to a relative tolerance.

    Parameters
    ----------
    Phi : ndarray of shape (n, K), float64
        Frame vectors as columns.
    tol : float >= 0, default 1e-10
        Relative tolerance: tight means ``β − α ≤ tol · β`` (equivalently ``ΦΦᵀ = αI``).

    Returns
    -------
    bool
        False when ``α = 0`` (the columns do not span Rⁿ: not a frame at all).

    Examples
    --------
    >>> t = 2 * np.pi * np.arange(3) / 3 + np.pi / 2
    >>> mercedes = np.stack([np.cos(t), np.sin(t)])      # three unit vectors at 120°: α = β = 3/2
    >>> is_tight(mercedes), is_tight(np.array([[1., 0., 1.], [0., 1., 1.]]))
    (True, False)
    """
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    tol = check_scalar(tol, name="tol", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_spans(Phi):
    """Raise ``ValueError`` unless the columns of ``Phi`` span Rⁿ (rank n)."""
    n = Phi.shape[0]
    rank = int(np.linalg.matrix_rank(Phi)) if Phi.size else 0
    if rank < n:
        raise ValueError(
            f"Phi should have rank n = {n} (its columns must span R^{n} to be a frame); got rank {rank}, "
            f"so Phi Phiᵀ is singular and there is no canonical dual"
        )


def _check_signal(f, *, name, rows, what):
    """A 1-d or 2-d float64 array whose first axis has length ``rows``."""
    f = check_array(f, name=name)
    if f.ndim not in (1, 2):
        raise ValueError(
            f"{name} should be a 1-d or 2-d array (columns are signals); got {name}.shape={f.shape}"
        )
    check_dim(f.shape[0], rows, what=what)
    return f
