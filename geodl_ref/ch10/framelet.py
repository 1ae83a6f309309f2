"""Deep convolutional framelets (chapter 10, eqs 10.14–10.24): the Hankel matrix of a signal,
circular convolution, and the encoder–decoder pair they make.

A signal f of length N is lifted to its wrap-around Hankel matrix H_r(f) (N × r, eq 10.16), whose
row i is the window f[i], f[i+1], ..., f[i+r−1] read circularly. Multiplying H_r(f) by a filter ψ
correlates f with ψ, i.e. convolves it with the flipped filter: H_r(f)ψ = f ⊛ ψ̄. Given a
*non-local* basis Φ (N × N) and a *local* basis Ψ (r × r) the framelet coefficients are
C = Φᵀ H_r(f) Ψ (eq 10.21): a convolution layer (the filters ψ_j) followed by a pooling (Φᵀ).
When Φ̃Φᵀ = I and ΨΨ̃ᵀ = I (for orthonormal bases, Φ̃ = Φ and Ψ̃ = Ψ), the decoder
f = (1/r) Σ_j (Φ̃ c_j) ⊛ ψ̃_j (eq 10.24) gives f back exactly: unpooling, then convolution
with the dual filters, then the 1/r that undoes the r copies of each sample the Hankel matrix holds.

Conventions (all indices from 0, all arrays float64): a filter v shorter than N is zero-padded to
v⁰ of length N before any circular operation; (u ⊛ v)[n] = Σ_k u[(n − k) mod N] v⁰[k] (eq 10.14);
v̄[n] = v⁰[(−n) mod N] (the flip keeps v[0] in place).
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_int

__all__ = ["circ_conv", "flip", "framelet_decode", "framelet_encode", "hankel"]


def _check_filter(v, N: int, name: str) -> np.ndarray:
    """A filter of length 1 ... N, as a float64 vector."""
    v = check_array(v, name=name, ndim=1, layout="(r,)")
    if not 1 <= v.shape[0] <= N:
        raise ValueError(f"{name} should have between 1 and N = {N} entries; got {name}.shape={v.shape}")
    return v


def hankel(x: np.ndarray, r: int) -> np.ndarray:
    """The wrap-around Hankel matrix H_r(x) of eq 10.16: H[i, k] = x[(i + k) mod N].

    Parameters
    ----------
    x : ndarray of shape (N,), float64
        The signal.
    r : int
        The window length (number of columns), 1 <= r <= N.

    Returns
    -------
    ndarray of shape (N, r), float64
        Row i is the circular window x[i], x[i+1], ..., x[i+r−1]; every antidiagonal
        (i + k constant mod N) holds one sample of x.

    Examples
    --------
    >>> hankel(np.array([1.0, 2.0, 3.0, 4.0]), 2)
    array([[1., 2.],
           [2., 3.],
           [3., 4.],
           [4., 1.]])
    """
    x = check_array(x, name="x", ndim=1, layout="(N,)")
    r = check_int(r, name="r", lo=1, hi=x.shape[0])
    ### BEGIN SOLUTION
    N = x.shape[0]
    index = (np.arange(N)[:, None] + np.arange(r)[None, :]) % N     # (N, r)   i + k mod N
    return x[index]                                                  # (N, r)   H[i, k] = x[(i+k) mod N]  (10.16)
    ### END SOLUTION


def circ_conv(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The circular convolution u ⊛ v of eq 10.14, with v zero-padded to the length of u.

    Parameters
    ----------
    u : ndarray of shape (N,), float64
        The signal.
    v : ndarray of shape (L,), float64
        The filter, 1 <= L <= N; it is zero-padded to v⁰ of length N.

    Returns
    -------
    ndarray of shape (N,), float64
        (u ⊛ v)[n] = Σ_k u[(n − k) mod N] v⁰[k]: what falls off the end wraps to the start
        (a linear convolution, np.convolve, would be N + L − 1 long).

    Examples
    --------
    >>> circ_conv(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 1.0]))
    array([5., 3., 5., 7.])
    """
    u = check_array(u, name="u", ndim=1, layout="(N,)")
    v = _check_filter(v, u.shape[0], "v")
    ### BEGIN SOLUTION
    N, L = u.shape[0], v.shape[0]
    index = (np.arange(N)[:, None] - np.arange(L)[None, :]) % N     # (N, L)   n − k mod N
    return u[index] @ v                                              # (N,)     Σ_k u[(n−k) mod N] v[k]  (10.14)
    ### END SOLUTION


def flip(v: np.ndarray, N: int) -> np.ndarray:
    """The flipped filter v̄[n] = v⁰[(−n) mod N], with v zero-padded to v⁰ of length N.

    Parameters
    ----------
    v : ndarray of shape (L,), float64
        The filter, 1 <= L <= N.
    N : int
        The signal length.

    Returns
    -------
    ndarray of shape (N,), float64
        v̄ = (v[0], 0, ..., 0, v[L−1], ..., v[1]): v[0] stays at index 0 and the rest runs
        backwards from the end (not v reversed, which would move v[0]).

    Examples
    --------
    >>> flip(np.array([1.0, 2.0, 3.0]), 5)
    array([1., 0., 0., 3., 2.])
    """
    N = check_int(N, name="N", lo=1)
    v = _check_filter(v, N, "v")
    ### BEGIN SOLUTION
    padded = np.zeros(N)                                             # (N,)     v⁰
    padded[:v.shape[0]] = v
    return padded[(-np.arange(N)) % N]                               # (N,)     v̄[n] = v⁰[(−n) mod N]
    ### END SOLUTION


def framelet_encode(f: np.ndarray, Phi: np.ndarray, Psi: np.ndarray) -> np.ndarray:
    """The framelet coefficients C = Φᵀ H_r(f) Ψ of eq 10.21 (r = Psi.shape[0]).

    Column j is Φᵀ(f ⊛ ψ̄_j): the signal filtered by the local filter ψ_j (column j of Ψ),
    then pooled by the non-local basis Φ. Entry by entry, c_ij = ⟨f, φ_i ⊛ ψ_j⟩ (eq 10.22).

    Parameters
    ----------
    f : ndarray of shape (N,), float64
        The signal.
    Phi : ndarray of shape (N, N), float64
        The non-local basis, one basis vector φ_i per column (the identity, or the Haar basis).
    Psi : ndarray of shape (r, r), float64
        The local basis, one filter ψ_j per column, 1 <= r <= N.

    Returns
    -------
    ndarray of shape (N, r), float64
        C.

    Examples
    --------
    >>> framelet_encode(np.array([1.0, 2.0, 3.0, 4.0]), np.eye(4), np.eye(2))
    array([[1., 2.],
           [2., 3.],
           [3., 4.],
           [4., 1.]])
    """
    f = check_array(f, name="f", ndim=1, layout="(N,)")
    N = f.shape[0]
    Phi = check_array(Phi, name="Phi", ndim=2, shape=(N, N), layout="(N, N)")
    Psi = check_array(Psi, name="Psi", ndim=2, layout="(r, r)")
    if Psi.shape[0] != Psi.shape[1] or not 1 <= Psi.shape[0] <= N:
        raise ValueError(f"Psi should be square, (r, r) with 1 <= r <= N = {N}; got Psi.shape={Psi.shape}")
    ### BEGIN SOLUTION
    H = hankel(f, Psi.shape[0])                                      # (N, r)   H_r(f)  (10.16)
    return Phi.T @ H @ Psi                                           # (N, r)   C = Φᵀ H_r(f) Ψ  (10.21)
    ### END SOLUTION


def framelet_decode(C: np.ndarray, Phi_t: np.ndarray, Psi_t: np.ndarray) -> np.ndarray:
    """The framelet decoder of eq 10.24: f = (1/r) Σ_j (Φ̃ c_j) ⊛ ψ̃_j.

    c_j is column j of C and ψ̃_j column j of Ψ̃ (zero-padded to length N). The formula is
    applied as it stands, whatever Φ̃ and Ψ̃ are: it returns f exactly only when Φ̃Φᵀ = I and
    ΨΨ̃ᵀ = I for the Φ, Ψ that encoded f (orthonormal bases: Φ̃ = Φ, Ψ̃ = Ψ); with a
    rank-deficient Ψ, part of f is lost.

    Parameters
    ----------
    C : ndarray of shape (N, r), float64
        Framelet coefficients, 1 <= r <= N.
    Phi_t : ndarray of shape (N, N), float64
        The dual non-local basis Φ̃.
    Psi_t : ndarray of shape (r, r), float64
        The dual local basis Ψ̃, one filter per column.

    Returns
    -------
    ndarray of shape (N,), float64
        The decoded signal.

    Examples
    --------
    >>> f = np.array([1.0, 2.0, 3.0, 4.0])
    >>> framelet_decode(framelet_encode(f, np.eye(4), np.eye(2)), np.eye(4), np.eye(2))
    array([1., 2., 3., 4.])
    """
    C = check_array(C, name="C", ndim=2, layout="(N, r)")
    N, r = C.shape
    if r > N:
        raise ValueError(f"C should have shape (N, r) with r <= N; got C.shape={C.shape}")
    Phi_t = check_array(Phi_t, name="Phi_t", ndim=2, shape=(N, N), layout="(N, N)")
    Psi_t = check_array(Psi_t, name="Psi_t", ndim=2, shape=(r, r), layout="(r, r)")
    ### BEGIN SOLUTION
    B = Phi_t @ C                                                    # (N, r)   column j: Φ̃ c_j (unpooling)
    f = np.zeros(N)
    for j in range(r):
        f += circ_conv(B[:, j], Psi_t[:, j])                         # (N,)     (Φ̃ c_j) ⊛ ψ̃_j
    return f / r                                                     # (N,)     the 1/r of (10.24)
    ### END SOLUTION
