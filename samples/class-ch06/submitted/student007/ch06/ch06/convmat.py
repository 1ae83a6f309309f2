"""Convolution as a matrix, tied filter gradients, and diagonal networks (ex 6.3b, ex 6.7).

Indices are 0-based. A length-p filter ``h`` acts on a length-d signal ``x`` through the
lower-triangular Toeplitz matrix ``W(h)`` with ``W[i, j] = h[i − j]`` for ``0 ≤ i − j < p`` and 0
elsewhere, so ``W(h) x`` is the causal convolution ``(h ∗ x)[i] = Σ_k h[k] x[i − k]`` truncated
to its first d samples, i.e. ``np.convolve(x, h)[:d]``.
"""
from __future__ import annotations

import numpy as np

from ch06._validation import check_array, check_int


def conv1d_matrix(h, d):
    """The d×d matrix of causal convolution with ``h`` (ex 6.7).

    Parameters
    ----------
    h : ndarray of shape (p,), float64
        The filter taps, ``h[0]`` on the main diagonal.
    d : int >= 1
        Signal length.

    Returns
    -------
    W : ndarray of shape (d, d)
        Lower-triangular Toeplitz, ``W[i, j] = h[i − j]`` (0 outside ``0 ≤ i − j < p``).

    Examples
    --------
    >>> conv1d_matrix(np.array([1., 2.]), 3)
    array([[1., 0., 0.],
           [2., 1., 0.],
           [0., 2., 1.]])
    """
    h = check_array(h, name="h", ndim=1, layout="(p,)")
    d = check_int(d, name="d", lo=1)
    W = np.zeros((d, d))                                  # (d, d)
    for k in range(min(h.size, d)):
        W += h[k] * np.eye(d, k=-k)                       # k-th subdiagonal holds h[k]
    return W


def conv1d_forward(h, x):
    """``W(h) x``: the causal convolution of ``x`` with ``h``, truncated to ``len(x)`` samples.

    Parameters
    ----------
    h : ndarray of shape (p,), float64
    x : ndarray of shape (d,), float64

    Returns
    -------
    ndarray of shape (d,)

    Examples
    --------
    >>> conv1d_forward(np.array([1., 2.]), np.array([1., 0., 0.]))
    array([1., 2., 0.])
    """
    h = check_array(h, name="h", ndim=1, layout="(p,)")
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    d, p = x.size, h.size
    y = np.zeros(d)                                       # (d,)
    for k in range(min(p, d)):
        y[k:] += h[k] * x[: d - k]                        # y[i] += h[k] x[i − k]
    return y


def filter_grad(x, delta, p):
    """The gradient of a cost through ``y = W(h) x`` with respect to the tied taps ``h``.

    With ``δ = ∂c/∂y``, the untied gradient ``∂c/∂W = δ xᵀ`` is summed along each diagonal
    ``i − j = k``: ``∂c/∂h[k] = Σ_i δ[i] x[i − k]``.

    Parameters
    ----------
    x : ndarray of shape (d,), float64
        The layer input.
    delta : ndarray of shape (d,), float64
        ``∂c/∂y``, the sensitivity of the cost to the layer output.
    p : int >= 1
        Filter length.

    Returns
    -------
    ndarray of shape (p,)

    Examples
    --------
    >>> filter_grad(np.array([1., 2., 3.]), np.array([1., 1., 1.]), 2)
    array([6., 3.])
    """
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    delta = check_array(delta, name="delta", shape=x.shape, layout="(d,)")
    p = check_int(p, name="p", lo=1)
    d = x.size
    grad = np.zeros(p)                                    # (p,)
    for k in range(min(p, d)):
        grad[k] = delta[k:] @ x[: d - k]                  # Σ_i δ[i] x[i − k]
    return grad


def diag_net_grads(w_diags, x, y):
    """Gradients of a ReLU network with diagonal weights (ex 6.3b) for one sample.

    Layer l computes ``g^(l) = w^(l) ⊙ o^(l−1)`` and ``o^(l) = ReLU(g^(l))`` (no bias, ReLU at
    the output too, ReLU′(0) := 0), with ``o^(0) = x`` and cost ``c = ½‖y − o^(L)‖²``.
    Backpropagation gives ``δ^(L) = Λ^(L)(o^(L) − y)``, ``δ^(l) = Λ^(l)(w^(l+1) ⊙ δ^(l+1))`` and
    ``∂c/∂w^(l) = δ^(l) ⊙ o^(l−1)``.

    Parameters
    ----------
    w_diags : list of ndarray of shape (d,), length L
        The diagonals ``w^(1), ..., w^(L)``.
    x, y : ndarray of shape (d,), float64

    Returns
    -------
    list of ndarray of shape (d,), length L
        ``[∂c/∂w^(1), ..., ∂c/∂w^(L)]``.

    Examples
    --------
    >>> diag_net_grads([np.array([2., 1.]), np.array([1., 2.])], np.array([1., 1.]), np.zeros(2))
    [array([2., 4.]), array([4., 2.])]
    """
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    y = check_array(y, name="y", shape=x.shape, layout="(d,)")
    if not isinstance(w_diags, (list, tuple)) or not w_diags:
        raise TypeError(f"w_diags should be a non-empty list of (d,) arrays; got {type(w_diags).__name__}")
    ws = [check_array(w, name=f"w_diags[{i}]", shape=x.shape, layout="(d,)") for i, w in enumerate(w_diags)]
    o, g = [x], []
    for w in ws:
        g.append(w * o[-1])                               # (d,)  g = w ⊙ o
        o.append(np.maximum(g[-1], 0.0))                  # (d,)  o = ReLU(g)
    delta = np.where(g[-1] > 0, o[-1] - y, 0.0)           # (d,)  δ^(L) = Λ^(L)(o − y)
    grads = []
    for l in range(len(ws), 0, -1):
        grads.append(delta * o[l - 1])                    # (d,)  ∂c/∂w^(l) = δ^(l) ⊙ o^(l−1)
        if l > 1:
            delta = np.where(g[l - 2] > 0, ws[l - 1] * delta, 0.0)  # (d,)  δ^(l−1) = Λ (w ⊙ δ)
    return grads[::-1]


# ---- wrong variant diag_missing_lambda: Diagonal network without the ReLU derivative Λ in the backward pass.
"""Diagonal network without the ReLU derivative Λ in the backward pass."""


def diag_net_grads(w_diags, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ws = [np.asarray(w, dtype=float) for w in w_diags]
    o = [x]
    for w in ws:
        o.append(np.maximum(w * o[-1], 0.0))
    delta = o[-1] - y
    grads = []
    for l in range(len(ws), 0, -1):
        grads.append(delta * o[l - 1])
        delta = ws[l - 1] * delta
    return grads[::-1]
