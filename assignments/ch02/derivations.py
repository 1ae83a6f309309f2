# ch02/derivations.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""The hard-margin SVM of a three-point data set, solved by hand through its dual (2.15)–(2.16),
with the answers returned as sympy expressions.

The data set (row convention, labels ``y_i ∈ {−1, +1}``)::

    x_1 = (2,  1),  y_1 = +1
    x_2 = (0,  1),  y_2 = −1
    x_3 = (1, −1),  y_3 = −1

Each function takes no argument and returns a sympy expression (or the same formula as a string,
e.g. ``"a1 + a2"``) built from the module-level symbols below; the grader parses the text of the
answer and compares it with the expected formula by simplification and at random points.
Write powers as ``**``: in a string, ``^`` keeps Python's precedence, lower than ``-``, so
``"1 - a2^2"`` would be read as ``(1 - a2)**2``.

- ``a1, a2, a3`` — the dual variables ``α_1, α_2, α_3 ≥ 0``;
- ``z1, z2`` — the coordinates of a new point ``z = (z1, z2)``;
- ``x1, x2, x3`` — 2×1 matrix symbols standing for the three training points, for
  :func:`primal_weight`, which asks for ``w`` as a matrix formula.
"""
from __future__ import annotations

import sympy as sp

a1, a2, a3 = sp.symbols("a1 a2 a3", nonnegative=True)
z1, z2 = sp.symbols("z1 z2", real=True)
x1, x2, x3 = (sp.MatrixSymbol(f"x{i}", 2, 1) for i in (1, 2, 3))

#: The data set: points as rows, and their labels.
POINTS = ((2, 1), (0, 1), (1, -1))
LABELS = (1, -1, -1)


def dual_objective():
    """The dual objective (2.16) of the data set: ``Σα_i − ½ Σ_i Σ_j α_i α_j y_i y_j x_iᵀx_j``.

    Write it out for the three points above, without using the constraint ``Σ α_i y_i = 0``.

    Returns
    -------
    sympy expression in ``a1, a2, a3``

    Examples
    --------
    >>> dual_objective().free_symbols == {a1, a2, a3}
    True
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def reduced_dual_objective():
    """The dual objective after eliminating ``α_1`` with the equality constraint ``Σ α_i y_i = 0``.

    Returns
    -------
    sympy expression in ``a2, a3``

    Examples
    --------
    >>> reduced_dual_objective().free_symbols == {a2, a3}
    True
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def primal_weight():
    """The primal weight ``w = Σ_i α_i y_i x_i`` (2.15) as a 2×1 matrix formula.

    Use the labels of the data set and the matrix symbols ``x1, x2, x3`` for the points.

    Returns
    -------
    sympy matrix expression of shape (2, 1) in ``a1, a2, a3`` and ``x1, x2, x3``

    Examples
    --------
    >>> primal_weight().shape
    (2, 1)
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def decision_function():
    """The decision function ``f(z) = wᵀz + b`` of the optimal hard-margin classifier of the data set.

    Returns
    -------
    sympy expression in ``z1, z2``

    Examples
    --------
    >>> decision_function().free_symbols == {z1, z2}
    True
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def margin():
    """The margin ``2/‖w‖`` of the optimal hard-margin classifier of the data set (a number).

    Returns
    -------
    sympy expression without symbols (e.g. built with ``sp.sqrt``)

    Examples
    --------
    >>> margin().free_symbols
    set()
    """
    # YOUR CODE HERE
    raise NotImplementedError()
