"""Chapter 9's derivatives and variances as symbolic answers: the Jacobian of the softmax that
turns attention scores into weights (eqs 9.31–9.37), the Jacobian of layer normalization
(eqs 9.3–9.11), and the variance argument behind the 1/√d scaling of dot-product attention.

Every function returns a sympy expression written with the module-level symbols below (keep
their names: the grader reads your formula with exactly these names and nothing else). You may
also return the formula as a string, e.g. ``"(1 - 1/n)/sigma"``: write products with ``*``,
powers with ``**``, square roots as ``sqrt(...)``, and a matrix as ``Matrix([[..., ...], ...])``.

**Softmax.** a = softmax(z) for z ∈ R³, a_k = e^{z_k} / Σ_l e^{z_l}. The answer is written in
the weights themselves: ``a1``, ``a2`` and ``a3 = 1 − a1 − a2`` (they sum to 1; ``a3`` is an
expression in a1 and a2, and ``a`` is the column (a1, a2, a3)). In a string answer, write a3 as
``(1 - a1 - a2)``: it is not a variable of its own.

**Layer normalization** of one vector x ∈ Rⁿ, with ε = 0 and the **biased** variance:
μ = (1/n) Σ_k x_k, σ² = (1/n) Σ_k (x_k − μ)², y_k = (x_k − μ)/σ. The answers are written in
``n``, ``sigma`` (σ > 0) and the normalized entries ``y_i``, ``y_j``.

**Attention scores.** q, k ∈ R^d independent, with independent entries of mean 0 and variances
``s_q**2`` and ``s_k**2``; the score is qᵀk. ``d`` is the dimension.
"""
from __future__ import annotations

import sympy as sp

a1, a2 = sp.symbols("a1 a2", positive=True)    # two softmax weights, a1 + a2 < 1
a3 = 1 - a1 - a2                                # the third weight: the weights sum to 1
a = sp.ImmutableMatrix([a1, a2, a3])            # (3, 1)   the softmax output as a column

n = sp.Symbol("n", positive=True)               # the length of the normalized vector
sigma = sp.Symbol("sigma", positive=True)       # its (biased) standard deviation σ
y_i = sp.Symbol("y_i", real=True)               # the normalized entry i, (x_i − μ)/σ
y_j = sp.Symbol("y_j", real=True)               # the normalized entry j ≠ i

d = sp.Symbol("d", positive=True)               # the dimension of queries and keys
s_q = sp.Symbol("s_q", positive=True)           # the standard deviation of each entry of q
s_k = sp.Symbol("s_k", positive=True)           # the standard deviation of each entry of k


def softmax_jacobian():
    """The Jacobian ∂a/∂z of a = softmax(z), z ∈ R³: the 3×3 matrix diag(a) − a aᵀ.

    Entry (k, l) is ∂a_l/∂z_k = a_k(δ_kl − a_l); the matrix is symmetric, so the layout (denominator
    or numerator) does not matter. Written in ``a1``, ``a2`` (and ``a3 = 1 − a1 − a2``).

    Returns
    -------
    sympy ImmutableMatrix of shape (3, 3)

    Examples
    --------
    >>> J = softmax_jacobian()
    >>> J.shape, sp.simplify(J * sp.ones(3, 1))     # each row sums to 0: softmax ignores a shift of z
    ((3, 3), Matrix([
    [0],
    [0],
    [0]]))
    """
    ### BEGIN SOLUTION
    return sp.ImmutableMatrix(sp.diag(*a) - a * a.T)              # (3, 3)   diag(a) − a aᵀ
    ### END SOLUTION


def layer_norm_grad_diag():
    """∂y_i/∂x_i for layer normalization y = (x − μ1)/σ of x ∈ Rⁿ (ε = 0, biased σ).

    With ∂μ/∂x_i = 1/n and ∂σ/∂x_i = y_i/n: ∂y_i/∂x_i = (1 − 1/n − y_i²/n)/σ. Variables: ``n``,
    ``sigma``, ``y_i``.

    Returns
    -------
    sympy expression in n, sigma, y_i

    Examples
    --------
    >>> layer_norm_grad_diag().subs({n: 4, sigma: 2, y_i: 1})
    1/4
    """
    ### BEGIN SOLUTION
    return (1 - 1 / n - y_i**2 / n) / sigma                        # (δ_ii − 1/n − y_i y_i/n)/σ
    ### END SOLUTION


def layer_norm_grad_offdiag():
    """∂y_i/∂x_j for j ≠ i, layer normalization of x ∈ Rⁿ (ε = 0, biased σ): −(1 + y_i y_j)/(nσ).

    Variables: ``n``, ``sigma``, ``y_i``, ``y_j``.

    Returns
    -------
    sympy expression in n, sigma, y_i, y_j

    Examples
    --------
    >>> layer_norm_grad_offdiag().subs({n: 4, sigma: 2, y_i: 1, y_j: -1})
    0
    """
    ### BEGIN SOLUTION
    return -(1 + y_i * y_j) / (n * sigma)                          # (δ_ij − 1/n − y_i y_j/n)/σ, δ_ij = 0
    ### END SOLUTION


def score_variance():
    """Var(qᵀk) for independent q, k ∈ R^d with independent zero-mean entries of variances
    s_q² and s_k²: d s_q² s_k².

    Each product q_l k_l has mean 0 and variance E[q_l²] E[k_l²] = s_q² s_k², and the d products
    are uncorrelated. Variables: ``d``, ``s_q``, ``s_k``.

    Returns
    -------
    sympy expression in d, s_q, s_k

    Examples
    --------
    >>> score_variance().subs({d: 64, s_q: 1, s_k: 1})
    64
    """
    ### BEGIN SOLUTION
    return d * s_q**2 * s_k**2                                     # Σ_l Var(q_l k_l)
    ### END SOLUTION


def score_scale():
    """The factor c that gives the scaled score c·qᵀk unit variance when q and k have unit-variance
    entries (s_q = s_k = 1): c = 1/√d, the scaling of dot-product attention. Variable: ``d``.

    Returns
    -------
    sympy expression in d

    Examples
    --------
    >>> score_scale().subs(d, 64)
    1/8
    """
    ### BEGIN SOLUTION
    return 1 / sp.sqrt(d)                                          # Var(c qᵀk) = c² d = 1
    ### END SOLUTION
