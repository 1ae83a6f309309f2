"""Data sets for the chapter-2 checks, built in the grader from a seed, and what an SVM solver
returns."""
from __future__ import annotations

import numpy as np

from graders.authoring import Array, Float, Record, expect, rng
from graders.grading.returns import Returns

# Book ex 2.3 (hard margin, 6 points in R²): α = (1, 1, 0, 2, 0, 0), w = (2, 0), b = −3. The points
# are reconstructed from the book's answer (see tests/geodl_ref/test_ch02.py); α is unique here.
EX23_X = np.array([[2.0, 1.0], [2.0, -1.0], [3.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
EX23_Y = np.array([1.0, 1.0, 1.0, -1.0, -1.0, -1.0])

# Book ex 2.5 (8 points, k(x, z) = (xᵀz)²): f(x) = (x1² + x2²)/8 − 5/4, b = −1.25, feature-space
# w = (1/8, 1/8, 0); α is not unique (every point is a support vector).
EX25_X = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0],
                   [3.0, 3.0], [-3.0, -3.0], [3.0, -3.0], [-3.0, 3.0]])
EX25_Y = np.array([-1.0, -1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0])


def separable(seed: int, n: int = 30, d: int = 3, gap: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """n linearly separable points in R^d (rows) with labels ±1 and a margin of at least 2·gap."""
    g = rng(seed)
    X = g.normal(size=(n, d))
    w = g.normal(size=d)
    y = np.where(X @ w + 0.1 > 0, 1.0, -1.0)
    y[:2] = [1.0, -1.0]
    X[:2] = np.array([w, -w]) / np.linalg.norm(w)
    return X + gap * y[:, None] * w / np.linalg.norm(w), y


def overlapping(seed: int, n: int = 40, d: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """n points of two overlapping Gaussian classes (alternating labels): not separable."""
    g = rng(seed)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    X = g.normal(size=(n, d)) + 0.8 * y[:, None] * np.ones(d) / np.sqrt(d)
    return X, y


def svm_result(n: int, d: int | None = None, *, support: bool = False) -> Record:
    """What an SVM solver returns: a dict with alpha (n,) and b, w (d,) where d is given (the
    linear SVMs) and support, the indices of the support vectors, where asked."""
    fields: dict[str, Returns] = {"alpha": _Floats((n,))}
    if d is not None:
        fields["w"] = _Floats((d,))
    fields["b"] = Float()
    if support:
        fields["support"] = _Indices()
    return Record(**fields)


class _Floats(Array):
    """An array, as floats (the checks compute with α and w and print them with float formats)."""

    def check(self, value, name: str) -> np.ndarray:
        return super().check(value, name).astype(float, copy=False)


class _Indices(Array):
    """A 1-d array of integer indices (an empty one of any dtype), as ints."""

    def __init__(self):
        super().__init__(ndim=1)

    def check(self, value, name: str) -> np.ndarray:
        indices = super().check(value, name)
        expect(indices.dtype.kind != "b" or indices.size == 0,
               f"{name} should be the sorted integer indices of the support vectors; got a boolean mask of shape "
               f"{indices.shape} (np.flatnonzero(mask) gives its indices)")
        expect(indices.dtype.kind in "iu" or indices.size == 0,
               f"{name} should be an array of integer indices; got dtype {indices.dtype}")
        return indices.astype(int)
