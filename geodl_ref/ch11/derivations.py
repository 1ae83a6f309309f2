"""Chapter 11's derivations as symbolic answers: the smoothness of the book's PL example
(§11.2), the Lyapunov derivative of ex 11.3, and the decay of V = ½‖e‖² under the linear
model's gradient flow (11.20–11.21).

Every function returns a sympy expression written with the module-level symbols below (keep
their names: the grader reads your formula with exactly these names and nothing else). You may
also return the formula as a string, e.g. ``"2*x*(a*y**2 - x)"``: write products with ``*`` or
``@``, powers with ``**`` (not ``^``), the transpose as ``X.T``, and functions as ``sin``,
``cos``, ``exp``.

The matrices have a fixed, non-square size in the row layout of chapter 11: ``X`` is
``(N, p) = (5, 3)``, one sample per row, and the residual ``e = Xθ − y`` is ``(N, 1)``, so that
the neural tangent kernel ``XXᵀ`` is N×N and ``XᵀX`` is p×p.
"""
from __future__ import annotations

import sympy as sp

N, p = 5, 3                                    # X is (N, p): N samples, p parameters
X = sp.MatrixSymbol("X", N, p)                 # (N, p)   samples, one per row
e = sp.MatrixSymbol("e", N, 1)                 # (N, 1)   residual e = Xθ − y

x = sp.Symbol("x", real=True)                  # the variable of f, and the first state of ex 11.3
y = sp.Symbol("y", real=True)                  # the second state of ex 11.3
a = sp.Symbol("a", real=True)                  # the parameter of ex 11.3


def pl_second_derivative():
    """``f″(x)`` for the book's PL example ``f(x) = x² + 3 sin²x`` (§11.2).

    Its range [−4, 8] shows both facts Theorem 11.1 and Lemma 11.1 use: f is L-smooth with
    L = max|f″| = 8, and f is not convex (f″ < 0 somewhere). Variables: ``x`` real.

    Returns
    -------
    sympy expression in x

    Examples
    --------
    >>> pl_second_derivative().subs(x, 0)
    8
    """
    ### BEGIN SOLUTION
    return 2 + 6 * sp.cos(2 * x)                          # (x² + 3 sin²x)″ = 2 + 6(cos²x − sin²x)
    ### END SOLUTION


def lyapunov_derivative():
    """``V̇`` for ``V(x, y) = x² + 2y²`` along the system of ex 11.3, ``ẋ = ay² − x``,
    ``ẏ = −y − ax²``.

    By the chain rule, ``V̇ = (∂V/∂x)ẋ + (∂V/∂y)ẏ``. Variables: ``x``, ``y``, ``a`` real.

    Returns
    -------
    sympy expression in x, y, a

    Examples
    --------
    >>> lyapunov_derivative().subs({x: 1, y: 1, a: 0})
    -6
    """
    ### BEGIN SOLUTION
    return 2 * x * (a * y**2 - x) + 4 * y * (-y - a * x**2)   # 2x·ẋ + 4y·ẏ
    ### END SOLUTION


def ntk_lyapunov_rate():
    """``dV/dt`` for ``V = ½‖e‖² = ½eᵀe`` along the gradient flow of least squares, where the
    residual obeys ``ė = −Ke`` with the neural tangent kernel ``K = XXᵀ`` (11.21).

    Variables: ``X`` (N, p) = (5, 3), ``e`` (N, 1). The answer is a 1×1 matrix expression.

    Returns
    -------
    sympy matrix expression of shape (1, 1)

    Examples
    --------
    >>> ntk_lyapunov_rate().shape
    (1, 1)
    """
    ### BEGIN SOLUTION
    return -(e.T * X * X.T * e)                           # eᵀė = −eᵀXXᵀe = −‖Xᵀe‖² ≤ 0
    ### END SOLUTION
