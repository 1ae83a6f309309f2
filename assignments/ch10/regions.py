# ch10/regions.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""How many regions a ReLU network cuts the plane into (chapter 10): counting and the shallow bound.

A region is a set of inputs that share one activation pattern (see ``partition``). A single
hidden layer of m neurons on ℝᵈ cuts space by m hyperplanes; a generic arrangement has
Σ_{i=0}^{d} C(m, i) regions (Zaslavsky), the most any m hyperplanes can make. Depth composes
the cuts: a deep network can exceed that count with the same number of neurons.
"""
from __future__ import annotations

import math

import numpy as np

from ch10._validation import check_int, check_scalar
from ch10.partition import _check_params

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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()
