"""Finite differences on the grader side: central differences of a function of an array, and
Jacobians in denominator layout (J[i, j] = ∂F_j/∂x_i), as CURRICULUM.md §0 fixes them.

>>> import numpy as np
>>> g = central_difference(lambda x: float(np.sum(x ** 3)), np.array([1.0, -2.0]))
>>> np.allclose(g, [3.0, 12.0], rtol=1e-8)
True
>>> jacobian(lambda x: np.array([[1., 2.], [3., 4.], [5., 6.]]) @ x, np.zeros(2)).round(6).tolist()
[[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def central_difference(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """``(f(x + h e_i) − f(x − h e_i)) / 2h`` for every entry of ``x``; same shape as ``x``."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        plus = f(x)
        flat[i] = saved - h
        minus = f(x)
        flat[i] = saved
        out[i] = (plus - minus) / (2 * h)
    return grad


def jacobian(F: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """The (n, m) Jacobian of ``F: Rⁿ → Rᵐ`` at ``x`` by central differences (denominator layout)."""
    x = np.array(x, dtype=np.float64).reshape(-1)
    rows = []
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = h
        rows.append((np.asarray(F(x + step)) - np.asarray(F(x - step))).reshape(-1) / (2 * h))
    return np.array(rows)
