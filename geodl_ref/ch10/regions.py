"""How many regions a ReLU network cuts the plane into (chapter 10): counting and the shallow bound.

A region is a set of inputs that share one activation pattern (see ``partition``). A single
hidden layer of m neurons on ℝᵈ cuts space by m hyperplanes; a generic arrangement has
Σ_{i=0}^{d} C(m, i) regions (Zaslavsky), the most any m hyperplanes can make. Depth composes
the cuts: a deep network can exceed that count with the same number of neurons.
"""
from __future__ import annotations

import math

import numpy as np

from geodl_ref._validation import check_int, check_scalar
from geodl_ref.ch10.partition import _check_params

__all__ = ["count_regions_2d", "max_regions_single_layer"]


def count_regions_2d(params: list, lo: float, hi: float, grid: int) -> int:
    """The number of distinct activation patterns of a 2-D input ReLU network on a grid over [lo, hi]².

    Parameters
    ----------
    params : list of (W, b)
        Layer l has W of shape (n_{l+1}, n_l), b of shape (n_{l+1},), float64; n_0 = 2. ReLU
        after every layer, the last included; a neuron is active when its pre-activation is > 0.
    lo, hi : float
        The box [lo, hi]², lo < hi.
    grid : int
        Points per side (grid >= 2), np.linspace(lo, hi, grid) on both axes; all points are
        processed at once (vectorised), not one by one.

    Returns
    -------
    int
        The number of distinct patterns met (regions the grid hits).

    Examples
    --------
    >>> count_regions_2d([(np.eye(2), np.zeros(2))], -1.0, 1.0, 5)
    4
    """
    params = _check_params(params, 2)
    lo, hi = check_scalar(lo, name="lo"), check_scalar(hi, name="hi")
    if not lo < hi:
        raise ValueError(f"lo should be < hi; got lo={lo}, hi={hi}")
    grid = check_int(grid, name="grid", lo=2)
    ### BEGIN SOLUTION
    axis = np.linspace(lo, hi, grid)
    h = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    flags = []
    for W, b in params:
        z = h @ W.T + b
        flags.append(z > 0)
        h = np.maximum(z, 0.0)
    bits = np.hstack(flags)
    weights = 1 << (np.arange(bits.shape[1]) % 62)       # each block of 62 neurons as one int64 code
    codes = np.stack([(bits[:, k:k + 62] * weights[k:k + 62]).sum(axis=1) for k in range(0, bits.shape[1], 62)],
                     axis=1)
    if codes.shape[1] == 1:                              # up to 62 neurons: one code per point
        return int(np.unique(codes[:, 0]).size)
    return int(np.unique(codes, axis=0).shape[0])
    ### END SOLUTION


def max_regions_single_layer(m: int, d: int) -> int:
    """The most regions m hyperplanes (one hidden layer of m neurons) cut ℝᵈ into: Σ_{i=0}^{d} C(m, i).

    Parameters
    ----------
    m : int
        Number of neurons (hyperplanes), m >= 0.
    d : int
        Input dimension, d >= 0.

    Returns
    -------
    int
        Zaslavsky's count for a generic arrangement.

    Examples
    --------
    >>> max_regions_single_layer(6, 2)
    22
    >>> max_regions_single_layer(3, 1)
    4
    """
    m, d = check_int(m, name="m", lo=0), check_int(d, name="d", lo=0)
    ### BEGIN SOLUTION
    return sum(math.comb(m, i) for i in range(d + 1))
    ### END SOLUTION
