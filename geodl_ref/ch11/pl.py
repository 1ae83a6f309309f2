"""Gradient descent under the Polyak–Łojasiewicz condition (chapter 11, §11.2).

A differentiable f with minimum value f* satisfies the PL condition with constant μ > 0 when

    ½‖∇f(x)‖² ≥ μ (f(x) − f*)   for every x                          (11.11)

It asks for no convexity: every stationary point is then a global minimizer. If ∇f is also
L-Lipschitz, gradient descent with step 1/L converges linearly (Theorem 11.1):

    f(x_k) − f* ≤ (1 − μ/L)^k (f(x_0) − f*).

The book's example is the non-convex f(x) = x² + 3 sin²x (provided here as :func:`example_f`
and :func:`example_grad`): f″(x) = 2 + 6 cos 2x takes values in [−4, 8], so f is 8-smooth but
not convex, and Lemma 11.1's g(x) = (L/2)x² − f(x) (g″ = 8 − f″ ≥ 0) is convex for L = 8. Its
PL constant is μ = 1/32 (H. Karimi, J. Nutini and M. Schmidt, "Linear convergence of gradient
and proximal-gradient methods under the Polyak–Łojasiewicz condition", ECML-PKDD 2016); the
empirical μ over a grid of [−10, 10] is about 0.1755, larger than that worst-case bound.

Points are rows (row convention): a point is a vector x of shape (d,), a trajectory or a set of
points is an array of shape (n, d), one point per row; a one-dimensional problem uses d = 1.

Examples
--------
>>> xs = gd(example_grad, np.array([3.0]), 1 / 8, 50)
>>> xs.shape
(51, 1)
>>> bool(abs(xs[-1, 0]) < 1e-12)                        # the only stationary point is x* = 0
True
>>> round(pl_constant_estimate(example_f, example_grad, np.linspace(-10, 10, 2001)[:, None], 0.0), 4)
0.1755
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from geodl_ref._validation import check_array, check_int, check_scalar

__all__ = [
    "example_f",
    "example_grad",
    "gd",
    "is_convex_on_grid",
    "pl_constant_estimate",
]


def example_f(x: np.ndarray) -> float:
    """The book's non-convex PL example f(x) = x² + 3 sin²x, with f* = f(0) = 0 (given).

    Parameters
    ----------
    x : ndarray of shape (1,), float64
        One point (d = 1).

    Returns
    -------
    float

    Examples
    --------
    >>> example_f(np.array([0.0])), round(example_f(np.array([1.0])), 6)
    (0.0, 3.12422)
    """
    x = np.asarray(x, dtype=np.float64)
    return float(np.sum(x**2 + 3 * np.sin(x) ** 2))


def example_grad(x: np.ndarray) -> np.ndarray:
    """The gradient f′(x) = 2x + 3 sin 2x of :func:`example_f` (given).

    Parameters
    ----------
    x : ndarray of shape (1,), float64

    Returns
    -------
    ndarray of shape (1,), float64

    Examples
    --------
    >>> example_grad(np.array([0.0]))
    array([0.])
    """
    x = np.asarray(x, dtype=np.float64)
    return 2 * x + 3 * np.sin(2 * x)


def gd(grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, step: float, iters: int) -> np.ndarray:
    """Gradient descent with a constant step: x_{k+1} = x_k − step · ∇f(x_k) (§11.2).

    Parameters
    ----------
    grad : callable
        ``grad(x)`` is ∇f(x) for a point x of shape (d,), and returns shape (d,).
    x0 : ndarray of shape (d,), float64
        The starting point.
    step : float
        The step size, > 0 (1/L in Theorem 11.1).
    iters : int
        The number of steps, >= 0.

    Returns
    -------
    ndarray of shape (iters + 1, d), float64
        The trajectory, one point per row: row 0 is x0, row k is x_k.

    Examples
    --------
    >>> gd(lambda x: 2 * x, np.array([1.0, -2.0]), 0.25, 2)   # f = ‖x‖²: each step halves x
    array([[ 1.  , -2.  ],
           [ 0.5 , -1.  ],
           [ 0.25, -0.5 ]])
    """
    x0 = check_array(x0, name="x0", ndim=1, layout="(d,)")
    step = check_scalar(step, name="step", lo=0, lo_open=True)
    iters = check_int(iters, name="iters", lo=0)
    ### BEGIN SOLUTION
    xs = np.empty((iters + 1, x0.shape[0]))              # (iters + 1, d)
    xs[0] = x0
    for k in range(iters):
        xs[k + 1] = xs[k] - step * np.asarray(grad(xs[k]), dtype=np.float64)   # x_{k+1} = x_k − η∇f(x_k)
    return xs
    ### END SOLUTION


def pl_constant_estimate(f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], np.ndarray],
                         xs: np.ndarray, f_star: float, tiny: float = 1e-12) -> float:
    """The largest μ for which the PL inequality (11.11) holds at the given points.

    μ̂ = min over the rows x of xs of ½‖∇f(x)‖² / (f(x) − f*). Points where the gap
    f(x) − f* is at most ``tiny`` are skipped: at a minimizer both sides of (11.11) vanish and
    the ratio is 0/0, which says nothing about μ.

    Parameters
    ----------
    f : callable
        ``f(x)`` for a point x of shape (d,), a float.
    grad : callable
        ``grad(x)`` = ∇f(x), shape (d,).
    xs : ndarray of shape (n, d), float64
        The points, one per row (a grid of [−10, 10] as shape (n, 1) for the book's example).
    f_star : float
        The minimum value f* of f.
    tiny : float, default 1e-12
        Points with f(x) − f* <= tiny are skipped.

    Returns
    -------
    float
        μ̂ = min ½‖∇f(x)‖² / (f(x) − f*) over the points with f(x) − f* > tiny; +inf if there are
        none (the inequality then holds for every μ).

    Examples
    --------
    >>> A = np.diag([2.0, 0.5])                                  # f = ½xᵀAx: μ = λ_min(A)
    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 3.0]])
    >>> pl_constant_estimate(lambda x: 0.5 * x @ A @ x, lambda x: A @ x, pts, 0.0)
    0.5
    """
    xs = check_array(xs, name="xs", ndim=2, layout="(n, d)")
    f_star = check_scalar(f_star, name="f_star")
    tiny = check_scalar(tiny, name="tiny", lo=0)
    ### BEGIN SOLUTION
    mu = np.inf
    for x in xs:
        gap = float(f(x)) - f_star                 # f(x) − f*
        if gap <= tiny:
            continue                                      # 0/0 at a minimizer: no information on μ
        g = np.asarray(grad(x), dtype=np.float64)          # (d,)
        mu = min(mu, 0.5 * float(g @ g) / gap)            # ½‖∇f‖² / (f − f*)   (11.11)
    return float(mu)
    ### END SOLUTION


def is_convex_on_grid(fpp_values: np.ndarray, tol: float = 1e-12) -> bool:
    """Whether a twice-differentiable function of one variable is convex on a grid, from f″ there.

    f is convex on an interval iff f″ ≥ 0 on it. Values down to −``tol`` count as nonnegative,
    so that the rounding of a second derivative that touches 0 (g″ = 8 − f″ of Lemma 11.1 at
    x = kπ) does not make a convex function look non-convex.

    Parameters
    ----------
    fpp_values : ndarray of shape (n,), float64
        f″ at the grid points.
    tol : float, default 1e-12
        The rounding allowance: convex iff every value is >= −tol.

    Returns
    -------
    bool
        A Python bool.

    Examples
    --------
    >>> x = np.linspace(-10, 10, 2001)
    >>> fpp = 2 + 6 * np.cos(2 * x)                       # f(x) = x² + 3 sin²x: f″ ∈ [−4, 8]
    >>> is_convex_on_grid(fpp), is_convex_on_grid(8 - fpp)  # Lemma 11.1: (L/2)x² − f is convex
    (False, True)
    """
    fpp_values = check_array(fpp_values, name="fpp_values", ndim=1, layout="(n,)")
    tol = check_scalar(tol, name="tol", lo=0)
    ### BEGIN SOLUTION
    return bool(np.all(fpp_values >= -tol))               # f″ ≥ 0 everywhere ⇔ convex
    ### END SOLUTION
