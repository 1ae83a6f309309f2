"""The kernels of the chapter-4 checks: one source text each, compiled here (grader side) and sent
to the worker as a :class:`~graders.worker.wire.FuncSource`, so both sides evaluate the same function.

>>> import numpy as np
>>> KERNELS["poly2"](np.array([[1.0, 0.0]]), np.array([[2.0, 1.0], [0.0, 1.0]]))
array([[12.25,  2.25]])
>>> phi_poly2(np.array([[1.0, 0.0]])) @ phi_poly2(np.array([[2.0, 1.0]])).T
array([[12.25]])
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from graders.authoring.oracles import oracle

POLY_C = 1.5
RBF_SIGMA = 1.3


@dataclasses.dataclass(frozen=True)
class Kernel:
    """A kernel ``k(X:(n, d), Z:(m, d)) -> (n, m)`` given by the source of a lambda."""

    name: str
    source: str

    def __call__(self, X: np.ndarray, Z: np.ndarray) -> np.ndarray:
        return np.asarray(_compile(self.source)(X, Z), dtype=np.float64)

    def function(self, ctx):
        """The same kernel for the student's code (compiled in the worker)."""
        return ctx.function(self.source)

    def __repr__(self) -> str:
        return self.name


def _compile(source: str):
    # grader-authored constant text only (never student text): the definitions below
    return eval(compile(source, f"<kernel {source[:30]}>", "eval"), {"np": np, "math": math})  # noqa: S307


KERNELS: dict[str, Kernel] = {
    "linear": Kernel("linear", "lambda X, Z: X @ Z.T"),
    "rbf": Kernel("rbf", "lambda X, Z: np.exp(-np.maximum((X**2).sum(1)[:, None] + (Z**2).sum(1)[None, :] "
                         f"- 2 * X @ Z.T, 0.0) / (2 * {RBF_SIGMA}**2))"),
    "poly2": Kernel("poly2", f"lambda X, Z: (X @ Z.T + {POLY_C}) ** 2"),
    "cos": Kernel("cos", "lambda X, Z: np.cos(X[:, :1] - Z[:, :1].T)"),
}


@oracle
def phi_poly2(X: np.ndarray) -> np.ndarray:
    """Explicit features of ``(xᵀz + c)²`` on R² (ex 2.1): ``φ(x)ᵀφ(z) = (xᵀz + c)²``; (n, 6)."""
    x1, x2 = X[:, 0], X[:, 1]
    r = math.sqrt(2 * POLY_C)
    return np.stack([x1**2, x2**2, math.sqrt(2) * x1 * x2, r * x1, r * x2, np.full_like(x1, POLY_C)], axis=1)
