"""Chapter 10's closed forms as symbolic answers: Zaslavsky's count of the regions m lines cut the
plane into, the local linear map of a two-layer ReLU network on one activation region (eq 10.45),
and soft thresholding, the proximal map of λ|·| behind frame shrinkage (eqs 10.12–10.13).

Every function returns a sympy expression written with the module-level symbols below (keep their
names: the grader reads your formula with exactly these names and nothing else). You may also
return the formula as a string, e.g. ``"D1*W1*W0"``: write products with ``*`` or ``@``, powers
with ``**`` (not ``^``, which binds more loosely than ``*`` and ``/`` in Python), the transpose as
``W0.T``, and use the functions ``Abs``, ``sign``, ``Max`` and ``Min``. Binomial coefficients and
sums are not accepted: write them out as polynomials in ``m``.

The network has the layout of ``ch10/partition.py`` (layer l maps h to σ(Wˡh + bˡ), W of shape
(n_out, n_in)) and fixed, all different sizes: 2 inputs, 4 hidden neurons, 3 outputs, so ``W0`` is
(4, 2) and ``W1`` is (3, 4). On the region of one activation pattern the ReLU of layer l is the
0/1 diagonal matrix ``Dl`` (``D0`` is 4×4, ``D1`` is 3×3) that keeps the active neurons.
"""
from __future__ import annotations

import sympy as sp

m = sp.Symbol("m", integer=True, nonnegative=True)   # number of lines (neurons of one layer)

d, n1, n2 = 2, 4, 3                                  # inputs, hidden neurons, outputs
W0 = sp.MatrixSymbol("W0", n1, d)                    # (4, 2)   first layer
W1 = sp.MatrixSymbol("W1", n2, n1)                   # (3, 4)   second layer
D0 = sp.MatrixSymbol("D0", n1, n1)                   # (4, 4)   0/1 diagonal: active neurons of layer 0
D1 = sp.MatrixSymbol("D1", n2, n2)                   # (3, 3)   0/1 diagonal: active neurons of layer 1

v = sp.Symbol("v", real=True)                        # one coefficient
lam = sp.Symbol("lam", positive=True)                # λ > 0, the threshold


def max_regions_plane():
    """The number of regions m lines in general position cut the plane into: Zaslavsky's
    Σ_{i=0}^{d} C(m, i) for d = 2, written as a polynomial in m.

    The most regions one hidden layer of m ReLU neurons on a 2-D input can make (each neuron
    draws a line; "general position": no two parallel, no three through one point).
    Variables: ``m``.

    Returns
    -------
    sympy expression in m

    Examples
    --------
    >>> [max_regions_plane().subs(m, k) for k in range(5)]
    [1, 2, 4, 7, 11]
    """
    ### BEGIN SOLUTION
    return 1 + m + m * (m - 1) / 2                   # C(m, 0) + C(m, 1) + C(m, 2)
    ### END SOLUTION


def local_slope():
    """The matrix A of the affine map f(x) = Ax + c of the two-layer ReLU network
    f(x) = σ(W1 σ(W0 x + b0) + b1) on the region of one activation pattern (eq 10.45).

    There σ of layer l acts as the diagonal 0/1 matrix Dl, and the last layer is a ReLU layer
    too. Variables: ``W0`` (4, 2), ``D0`` (4, 4), ``W1`` (3, 4), ``D1`` (3, 3).

    Returns
    -------
    sympy matrix expression of shape (3, 2)

    Examples
    --------
    >>> local_slope().shape
    (3, 2)
    """
    ### BEGIN SOLUTION
    return D1 * W1 * D0 * W0                         # (3, 2)   A = D¹W¹D⁰W⁰  (10.45)
    ### END SOLUTION


def soft_threshold():
    """The soft threshold of v, the proximal map of λ|·|: argmin_u ½(u − v)² + λ|u|, which is
    sign(v) · max(|v| − λ, 0).

    Applied to the coefficients Φᵀy in an orthonormal basis it solves the frame-shrinkage
    problem (eqs 10.12–10.13). Variables: ``v`` real, ``lam`` = λ > 0.

    Returns
    -------
    sympy expression in v and lam

    Examples
    --------
    >>> [soft_threshold().subs({v: x, lam: 1}) for x in (3, 0.5, -2)]
    [2, 0, -1]
    """
    ### BEGIN SOLUTION
    return sp.sign(v) * sp.Max(sp.Abs(v) - lam, 0)    # shrink |v| by λ, stop at 0
    ### END SOLUTION
