"""Chapter 8's closed forms as symbolic answers: counting triangles with the adjacency matrix
(§8.2), the GIN layer's pre-activation (ex 8.5), and the derivatives of the negative-sampling loss
of word2vec with respect to a score (§8.3).

Every function returns a sympy expression written with the module-level symbols below (keep their
names: the grader reads your formula with exactly these names and nothing else). You may also
return the formula as a string, e.g. ``"A*X*W"``: write matrix products with ``*`` or ``@``, the
identity as ``Identity(n)``, the trace as ``Trace(...)``, and functions as ``exp``, ``log``.

The matrices have fixed, non-square sizes in the book's row convention (one node per row): ``A``
is the (n, n) adjacency matrix, ``X`` the (n, f) node features and ``W`` the (f, g) weight, with
(n, f, g) = (5, 3, 4). A score ``s = uᵀh`` is the inner product of an output vector ``u`` and a
hidden vector ``h``; ``σ(s) = 1/(1 + e^{−s})``.
"""
from __future__ import annotations

import sympy as sp

n, f, g = 5, 3, 4
A = sp.MatrixSymbol("A", n, n)                  # (n, n)  adjacency (symmetric for the triangles)
X = sp.MatrixSymbol("X", n, f)                  # (n, f)  node features, one node per row
W = sp.MatrixSymbol("W", f, g)                  # (f, g)  the layer's weight
eps = sp.Symbol("eps", real=True)               # GIN's ε
s = sp.Symbol("s", real=True)                   # a score uᵀh


def triangle_count():
    """The number of triangles of an undirected simple graph, ``tr(A³)/6``.

    ``(A³)_ii`` counts the closed walks of length 3 from node i; each triangle is walked from each
    of its 3 nodes in 2 directions. Variables: ``A`` (5, 5) symmetric.

    Returns
    -------
    sympy scalar expression in A

    Examples
    --------
    >>> triangle_count()
    Trace(A**3)/6
    """
    ### BEGIN SOLUTION
    return sp.Trace(A**3) / 6                               # 3 starting nodes × 2 directions
    ### END SOLUTION


def gin_preactivation():
    """The GIN layer before its ReLU, ``((1 + ε) I + A) X W`` (ex 8.5, no bias).

    Row i is ``((1 + ε) x_i + Σ_j A[i, j] x_j) W``: the node's own features weigh ``1 + ε``, its
    in-neighbours' are summed. Variables: ``A`` (5, 5), ``X`` (5, 3), ``W`` (3, 4), ``eps``.

    Returns
    -------
    sympy matrix expression of shape (n, g) = (5, 4)

    Examples
    --------
    >>> gin_preactivation().shape
    (5, 4)
    """
    ### BEGIN SOLUTION
    return ((1 + eps) * sp.Identity(n) + A) * X * W        # (n, g)
    ### END SOLUTION


def sgns_grad_positive():
    """``d/ds [−log σ(s)] = σ(s) − 1``: the negative-sampling loss of the true context word.

    Variables: ``s`` real.

    Returns
    -------
    sympy expression in s

    Examples
    --------
    >>> sgns_grad_positive().subs(s, 0)
    -1/2
    """
    ### BEGIN SOLUTION
    return 1 / (1 + sp.exp(-s)) - 1                         # σ(s) − 1 = −σ(−s)
    ### END SOLUTION


def sgns_grad_negative():
    """``d/ds [−log σ(−s)] = σ(s)``: the negative-sampling loss of a sampled negative word.

    Variables: ``s`` real.

    Returns
    -------
    sympy expression in s

    Examples
    --------
    >>> sgns_grad_negative().subs(s, 0)
    1/2
    """
    ### BEGIN SOLUTION
    return 1 / (1 + sp.exp(-s))                             # σ(s)
    ### END SOLUTION
