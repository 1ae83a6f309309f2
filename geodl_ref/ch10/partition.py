"""The partition of the input space by a ReLU network (chapter 10, eqs 10.44–10.45).

A network with parameters [(W⁰, b⁰), ..., (Wᴸ, bᴸ)] maps x to
f(x) = σ(Wᴸ ⋯ σ(W⁰x + b⁰) ⋯ + bᴸ), with σ = ReLU after every layer, the last included. Which
neurons are active (pre-activation > 0) is the *activation pattern* of x; on the set of inputs
that share a pattern every σ is a fixed 0/1 diagonal matrix Dˡ, so f is affine there:
f(x′) = A x′ + c with A = Dᴸ Wᴸ ⋯ D⁰ W⁰ (eq 10.45). The regions of constant pattern partition
the input space, and the rank of A says how many dimensions of the region survive the map.
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_int, check_scalar

__all__ = ["activation_pattern", "enumerate_patterns", "local_affine"]


def _check_params(params: list, d: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Validated [(W, b)] with W of shape (n_out, n_in), chained from the input dimension d."""
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise ValueError("params should be a non-empty list of (W, b) pairs")
    checked = []
    for index, layer in enumerate(params):
        if len(layer) != 2:
            raise ValueError(f"params[{index}] should be a pair (W, b)")
        W = check_array(layer[0], name=f"params[{index}][0]", ndim=2, shape=(None, d), layout="(n_out, n_in)")
        b = check_array(layer[1], name=f"params[{index}][1]", ndim=1, shape=(W.shape[0],), layout="(n_out,)")
        checked.append((W, b))
        d = W.shape[0]
    return checked


def activation_pattern(params: list, x: np.ndarray) -> tuple[int, ...]:
    """Which neurons of the ReLU network are active at x, layer after layer.

    Parameters
    ----------
    params : list of (W, b)
        Layer l has W of shape (n_{l+1}, n_l) and b of shape (n_{l+1},), float64; n_0 = d.
    x : ndarray of shape (d,), float64
        The input.

    Returns
    -------
    tuple of int
        0/1 flags, one per neuron, layer 0 first (length n_1 + ... + n_{L+1}); a neuron is active
        (1) when its pre-activation is > 0. The last layer is a ReLU layer too.

    Examples
    --------
    >>> params = [(np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2)), (np.array([[1.0, -1.0]]), np.zeros(1))]
    >>> activation_pattern(params, np.array([2.0, -1.0]))
    (1, 0, 1)
    """
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    params = _check_params(params, x.shape[0])
    ### BEGIN SOLUTION
    flags: list[int] = []
    h = x
    for W, b in params:
        z = W @ h + b
        flags.extend(int(v) for v in z > 0)
        h = np.maximum(z, 0.0)
    return tuple(flags)
    ### END SOLUTION


def local_affine(params: list, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The affine map the network is on the region of x: f(x′) = A x′ + c for x′ with x's pattern.

    Parameters
    ----------
    params : list of (W, b)
        Layer l has W of shape (n_{l+1}, n_l) and b of shape (n_{l+1},), float64; n_0 = d.
    x : ndarray of shape (d,), float64
        A point of the region.

    Returns
    -------
    A : ndarray of shape (n_out, d), float64
        Dᴸ Wᴸ ⋯ D⁰ W⁰, with Dˡ the 0/1 diagonal of layer l's active neurons at x (eq 10.45).
    c : ndarray of shape (n_out,), float64
        The offset, so that f(x) = A x + c.

    Examples
    --------
    >>> params = [(np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2)), (np.array([[1.0, -1.0]]), np.array([0.5]))]
    >>> A, c = local_affine(params, np.array([2.0, -1.0]))
    >>> A, c
    (array([[1., 0.]]), array([0.5]))
    """
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    params = _check_params(params, x.shape[0])
    ### BEGIN SOLUTION
    A, c, h = np.eye(x.shape[0]), np.zeros(x.shape[0]), x
    for W, b in params:
        z = W @ h + b
        D = (z > 0).astype(float)[:, None]      # the diagonal of Dˡ, as a column
        A, c = D * (W @ A), D[:, 0] * (W @ c + b)  # Dˡ(Wˡ(A x + c) + bˡ)
        h = np.maximum(z, 0.0)
    return A, c
    ### END SOLUTION


def enumerate_patterns(params: list, lo: float, hi: float, grid: int) -> dict[tuple[int, ...], int]:
    """The activation patterns a 2-D input network takes on a grid over [lo, hi]², with the rank of A.

    Parameters
    ----------
    params : list of (W, b)
        A network of input dimension 2 (W⁰ of shape (n_1, 2)).
    lo, hi : float
        The box [lo, hi]², lo < hi.
    grid : int
        Points per side (grid >= 2), np.linspace(lo, hi, grid) on both axes.

    Returns
    -------
    dict
        {pattern: rank of the region's A}, the patterns as activation_pattern gives them.

    Examples
    --------
    >>> params = [(np.eye(2), np.zeros(2))]
    >>> sorted(enumerate_patterns(params, -1.0, 1.0, 4).items())
    [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 2)]
    """
    params = _check_params(params, 2)
    lo, hi = check_scalar(lo, name="lo"), check_scalar(hi, name="hi")
    if not lo < hi:
        raise ValueError(f"lo should be < hi; got lo={lo}, hi={hi}")
    grid = check_int(grid, name="grid", lo=2)
    ### BEGIN SOLUTION
    axis = np.linspace(lo, hi, grid)
    points = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    h, flags = points, []
    for W, b in params:                         # all points at once, one layer at a time
        z = h @ W.T + b
        flags.append(z > 0)
        h = np.maximum(z, 0.0)
    patterns, first = np.unique(np.hstack(flags).astype(int), axis=0, return_index=True)
    return {tuple(int(v) for v in pattern): int(np.linalg.matrix_rank(local_affine(params, points[i])[0]))
            for pattern, i in zip(patterns, first)}
    ### END SOLUTION
