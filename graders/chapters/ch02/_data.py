"""Data sets for the chapter-2 checks, built in the grader from a seed, and the validation of an
SVM result dict."""
from __future__ import annotations

import numpy as np

from graders.authoring.checks import as_array, as_float, expect
from graders.authoring.checks.numeric import describe
from graders.authoring.checks.strategies import rng

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
    X[:2] = [w, -w] / np.linalg.norm(w)
    return X + gap * y[:, None] * w / np.linalg.norm(w), y


def overlapping(seed: int, n: int = 40, d: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """n points of two overlapping Gaussian classes (alternating labels): not separable."""
    g = rng(seed)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    X = g.normal(size=(n, d)) + 0.8 * y[:, None] * np.ones(d) / np.sqrt(d)
    return X, y


def svm_result(value, *, name: str, n: int, d: int | None = None, keys=("alpha", "w", "b")) -> dict:
    """The student's result dict, validated: alpha (n,), w (d,), b a float, support an int array."""
    expect(isinstance(value, dict), f"{name} should return a dict with keys {list(keys)}; got {describe(value)}")
    missing = [k for k in keys if k not in value]
    expect(not missing, f"{name} should return a dict with keys {list(keys)}; the keys {missing} are missing")
    out = {"alpha": as_array(value["alpha"], name=f"{name}['alpha']", shape=(n,)).astype(float)}
    if "w" in keys:
        out["w"] = as_array(value["w"], name=f"{name}['w']", shape=(d,)).astype(float)
    out["b"] = as_float(value["b"], name=f"{name}['b']")
    if "support" in keys:
        support = as_array(value["support"], name=f"{name}['support']", ndim=1)
        expect(support.dtype.kind in "iu" or support.size == 0,
               f"{name}['support'] should be an array of integer indices; got dtype {support.dtype}")
        out["support"] = support.astype(int)
    return out
