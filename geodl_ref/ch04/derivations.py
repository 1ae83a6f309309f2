"""Chapter 4's kernel identities as symbolic answers: the normalized kernel (ex 4.6) and squared
distances in feature space (ex 4.7), for kernels on scalars.

Every function returns a sympy expression written with the module-level symbols below (keep
their names: the grader reads your formula with exactly these names and nothing else). You may
also return the formula as a string, e.g. ``"exp(-(x - z)**2/(2*sigma**2))"``: write products with
``*``, powers with ``**`` (not ``^``, which binds more loosely than ``*`` and ``/`` in Python),
and functions as ``exp``, ``sqrt``, ``log``.

The kernels, on scalars ``x, z``:

* the polynomial kernel ``k(x, z) = (xz + c)²`` with ``c > 0`` (ex 2.1 in one dimension);
* the RBF kernel in the book's σ-form ``k(x, z) = exp(−(x − z)²/(2σ²))`` with ``σ > 0``.

For a kernel with feature map φ, ``‖φ(x) − φ(z)‖² = k(x, x) + k(z, z) − 2k(x, z)``; this is the
*squared* distance (the book's ex 4.7 writes ``d = 2(1 − k)`` where ``d² = 2(1 − k)`` is meant,
erratum 5).
"""
from __future__ import annotations

import sympy as sp

x = sp.Symbol("x", real=True)                  # first point
z = sp.Symbol("z", real=True)                  # second point
c = sp.Symbol("c", positive=True)              # offset c > 0 of the polynomial kernel
sigma = sp.Symbol("sigma", positive=True)      # bandwidth σ > 0 of the RBF kernel


def normalized_poly_kernel():
    """The normalized polynomial kernel ``k(x, z)/√(k(x, x) k(z, z))`` for ``k = (xz + c)²`` (ex 4.6).

    It equals ``(xz + c)²/((x² + c)(z² + c))``, has ``k̃(x, x) = 1`` and stays PSD. Variables:
    ``x``, ``z`` real, ``c > 0``.

    Returns
    -------
    sympy expression in x, z, c

    Examples
    --------
    >>> sp.simplify(normalized_poly_kernel().subs(z, x))
    1
    """
    ### BEGIN SOLUTION
    def k(u, v):
        return (u * v + c) ** 2                           # (uv + c)²
    return k(x, z) / sp.sqrt(k(x, x) * k(z, z))           # k/√(k(x,x)k(z,z))   (ex 4.6)
    ### END SOLUTION


def rbf_dist2():
    """The squared feature-space distance of the RBF kernel, ``2 − 2 exp(−(x − z)²/(2σ²))``.

    ``k(x, x) + k(z, z) − 2k(x, z)`` with ``k(x, x) = 1`` (ex 4.7, squared: erratum 5).
    Variables: ``x``, ``z`` real, ``sigma`` = σ > 0.

    Returns
    -------
    sympy expression in x, z, sigma

    Examples
    --------
    >>> rbf_dist2().subs(z, x)
    0
    """
    ### BEGIN SOLUTION
    def k(u, v):
        return sp.exp(-(u - v) ** 2 / (2 * sigma**2))     # σ-form RBF
    return k(x, x) + k(z, z) - 2 * k(x, z)                # ‖φ(x) − φ(z)‖²
    ### END SOLUTION


def poly_dist2():
    """The squared feature-space distance of ``k = (xz + c)²``: ``k(x, x) + k(z, z) − 2k(x, z)``.

    It simplifies to ``(x − z)²((x + z)² + 2c)``. Variables: ``x``, ``z`` real, ``c > 0``.

    Returns
    -------
    sympy expression in x, z, c

    Examples
    --------
    >>> sp.factor(poly_dist2())
    (x - z)**2*(2*c + x**2 + 2*x*z + z**2)
    """
    ### BEGIN SOLUTION
    def k(u, v):
        return (u * v + c) ** 2                           # (uv + c)²
    return k(x, x) + k(z, z) - 2 * k(x, z)                # ‖φ(x) − φ(z)‖²
    ### END SOLUTION
