"""Chapter-1 results derived by hand, returned as sympy expressions: the convex conjugates of
Table 1.3 and the matrix gradients of Lemma 1.7.

Each function takes no argument and returns a sympy expression (or the same formula as a string,
e.g. ``"u*log(u) - u"``) built from the module-level symbols below; the grader parses the text of
the answer and compares it with the expected formula by simplification and at random points of
the stated domain. Keep the names: a formula may use only the symbols its docstring lists (and
numbers, ``pi``, ``E``, ``exp``, ``log``, ``sqrt``, ``Abs``, ``.T``, ``Inverse``, ``Trace``...).
Write powers as ``**``: in a string, ``^`` keeps Python's precedence, lower than ``-``, so
``"1 - u^2"`` would be read as ``(1 - u)**2``.

Scalar symbols (conjugates, as functions of the dual variable ``u``):

- ``u`` — real; each conjugate states the part of its domain on which it is graded;
- ``a`` — positive, the curvature in ``f(x) = ½ a x²``.

Matrix symbols (gradients, in denominator layout, §1.5.2: the gradient has the shape of the
variable). The sizes are fixed and deliberately non-square where possible, so that a transposed
answer has the wrong shape:

- ``x`` (4×1) and ``B`` (4×4, not symmetric) — the quadratic form ``xᵀBx``;
- ``A`` (4×3) and ``B`` (4×4) — ``tr(A X B)`` for ``X`` of shape 3×4;
- ``X`` (3×3, nonsingular, not symmetric) — ``log|det X|``;
- ``A`` (4×3), ``w`` (3×1), ``b`` (4×1) — least squares ``½‖Aw − b‖²``;
- ``S`` (3×3, symmetric positive definite) and ``c`` (3×1) — the quadratic ``½xᵀSx − cᵀx``.
"""
from __future__ import annotations

import sympy as sp

u = sp.Symbol("u", real=True)
a = sp.Symbol("a", positive=True)

x = sp.MatrixSymbol("x", 4, 1)
B = sp.MatrixSymbol("B", 4, 4)
A = sp.MatrixSymbol("A", 4, 3)
X = sp.MatrixSymbol("X", 3, 3)
w = sp.MatrixSymbol("w", 3, 1)
b = sp.MatrixSymbol("b", 4, 1)
S = sp.MatrixSymbol("S", 3, 3)
c = sp.MatrixSymbol("c", 3, 1)


# ---- convex conjugates f*(u) = sup_x ux − f(x)  (eq 1.52, Table 1.3) -----------------------------

def conj_exp():
    """The convex conjugate of ``f(x) = eˣ``.

    Returns
    -------
    sympy expression in ``u``
        ``f*(u)`` for ``u > 0`` (graded there; ``f*(0) = 0`` and ``f*(u) = +∞`` for ``u < 0``).

    Examples
    --------
    >>> conj_exp().free_symbols == {u}
    True
    """
    ### BEGIN SOLUTION
    return u * sp.log(u) - u                              # x* = log u
    ### END SOLUTION


def conj_xlogx():
    """The convex conjugate of ``f(x) = x log x`` on ``x ≥ 0``.

    Returns
    -------
    sympy expression in ``u``
        ``f*(u)`` for every real ``u``.

    Examples
    --------
    >>> conj_xlogx().free_symbols == {u}
    True
    """
    ### BEGIN SOLUTION
    return sp.exp(u - 1)                                  # x* = e^{u−1}
    ### END SOLUTION


def conj_neglog():
    """The convex conjugate of ``f(x) = −log x`` on ``x > 0``.

    Returns
    -------
    sympy expression in ``u``
        ``f*(u)`` for ``u < 0`` (``+∞`` for ``u ≥ 0``).

    Examples
    --------
    >>> conj_neglog().free_symbols == {u}
    True
    """
    ### BEGIN SOLUTION
    return -1 - sp.log(-u)                                # x* = −1/u
    ### END SOLUTION


def conj_inv():
    """The convex conjugate of ``f(x) = 1/x`` on ``x > 0``.

    Returns
    -------
    sympy expression in ``u``
        ``f*(u)`` for ``u < 0`` (graded there; ``f*(0) = 0`` and ``+∞`` for ``u > 0``).

    Examples
    --------
    >>> conj_inv().free_symbols == {u}
    True
    """
    ### BEGIN SOLUTION
    return -2 * sp.sqrt(-u)                               # x* = 1/√(−u)
    ### END SOLUTION


def conj_softplus():
    """The convex conjugate of the softplus ``f(x) = log(1 + eˣ)``.

    Returns
    -------
    sympy expression in ``u``
        ``f*(u)`` for ``0 < u < 1`` (graded there; ``0`` at ``u ∈ {0, 1}``, ``+∞`` outside ``[0, 1]``).

    Examples
    --------
    >>> conj_softplus().free_symbols == {u}
    True
    """
    ### BEGIN SOLUTION
    return u * sp.log(u) + (1 - u) * sp.log(1 - u)        # x* = log(u/(1−u))
    ### END SOLUTION


def conj_sqrt1px2():
    """The convex conjugate of ``f(x) = √(1 + x²)``.

    Returns
    -------
    sympy expression in ``u``
        ``f*(u)`` for ``|u| < 1`` (graded there; ``0`` at ``u = ±1``, ``+∞`` for ``|u| > 1``).

    Examples
    --------
    >>> conj_sqrt1px2().free_symbols == {u}
    True
    """
    ### BEGIN SOLUTION
    return -sp.sqrt(1 - u**2)                             # x* = u/√(1−u²)
    ### END SOLUTION


def conj_abs_cubed():
    """The convex conjugate of ``f(x) = |x|³/3`` (``|x|ᵖ/p`` with ``p = 3``).

    Returns
    -------
    sympy expression in ``u``
        ``f*(u)`` for every real ``u`` (use ``Abs``).

    Examples
    --------
    >>> conj_abs_cubed().free_symbols == {u}
    True
    """
    ### BEGIN SOLUTION
    q = sp.Rational(3, 2)                                 # 1/p + 1/q = 1
    return sp.Abs(u) ** q / q
    ### END SOLUTION


def conj_quad():
    """The convex conjugate of ``f(x) = ½ a x²`` with ``a > 0``.

    Returns
    -------
    sympy expression in ``u`` and ``a``
        ``f*(u)`` for every real ``u``.

    Examples
    --------
    >>> conj_quad().free_symbols == {u, a}
    True
    """
    ### BEGIN SOLUTION
    return u**2 / (2 * a)                                 # x* = u/a
    ### END SOLUTION


# ---- matrix gradients in denominator layout (Lemma 1.7) -------------------------------------------

def grad_quadratic_form():
    """The gradient ``∂(xᵀBx)/∂x`` for ``x`` (4×1) and a non-symmetric ``B`` (4×4).

    Returns
    -------
    sympy matrix expression of shape (4, 1) in ``x`` and ``B``

    Examples
    --------
    >>> grad_quadratic_form().shape
    (4, 1)
    """
    ### BEGIN SOLUTION
    return (B + B.T) * x
    ### END SOLUTION


def grad_trace_AXB():
    """The gradient ``∂ tr(A X B)/∂X`` for ``A`` (4×3), ``X`` (3×4) and ``B`` (4×4).

    The gradient does not depend on ``X``, so the formula uses ``A`` and ``B`` only.

    Returns
    -------
    sympy matrix expression of shape (3, 4) (the shape of ``X``) in ``A`` and ``B``

    Examples
    --------
    >>> grad_trace_AXB().shape
    (3, 4)
    """
    ### BEGIN SOLUTION
    return A.T * B.T
    ### END SOLUTION


def grad_logdet():
    """The gradient ``∂ log|det X| / ∂X`` for a nonsingular, non-symmetric ``X`` (3×3).

    (This is ``∂ log det X/∂X`` wherever ``det X > 0``.)

    Returns
    -------
    sympy matrix expression of shape (3, 3) in ``X``

    Examples
    --------
    >>> grad_logdet().shape
    (3, 3)
    """
    ### BEGIN SOLUTION
    return X.inverse().T
    ### END SOLUTION


def grad_least_squares():
    """The gradient ``∂(½‖Aw − b‖²)/∂w`` for ``A`` (4×3), ``w`` (3×1) and ``b`` (4×1).

    Returns
    -------
    sympy matrix expression of shape (3, 1) in ``A``, ``w`` and ``b``

    Examples
    --------
    >>> grad_least_squares().shape
    (3, 1)
    """
    ### BEGIN SOLUTION
    return A.T * (A * w - b)                              # chain rule: (∂r/∂w)(∂c/∂r), r = Aw − b
    ### END SOLUTION


def quad_minimizer():
    """The minimizer of ``½xᵀSx − cᵀx`` over ``x`` (3×1), for a symmetric positive definite ``S`` (3×3).

    Set the gradient (Lemma 1.7) to zero.

    Returns
    -------
    sympy matrix expression of shape (3, 1) in ``S`` and ``c``

    Examples
    --------
    >>> quad_minimizer().shape
    (3, 1)
    """
    ### BEGIN SOLUTION
    return S.inverse() * c                                # ∇ = Sx − c = 0
    ### END SOLUTION
