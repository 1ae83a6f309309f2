"""Chapter-12 results derived by hand, returned as sympy expressions: the complexity term of the
finite-class bound (eq 12.9), Massart's bound on the Rademacher complexity, and the risk of the
minimum-norm least-squares fit below the interpolation threshold (eq 12.32).

Each function takes no argument and returns a sympy expression (or the same formula as a string,
e.g. ``"sqrt(log(card_F)/N)"``) built from the module-level symbols below; the grader parses the
text of the answer and compares it with the expected formula at random points of the stated
domain. Keep the names: a formula may use only the symbols its docstring lists (and numbers,
``pi``, ``E``, ``exp``, ``log``, ``sqrt``...). Write powers as ``**``.

Symbols (all positive reals; the counts N, p and card_F are sampled as reals too, which is
harmless for these closed forms):

- ``N`` — the sample size;
- ``delta`` — the confidence parameter δ ∈ (0, 1);
- ``card_F`` — the number of hypotheses of a finite class, |F| ≥ 1;
- ``r`` — the largest Euclidean norm of a hypothesis' value vector, max_f ‖(f(x_1), …, f(x_N))‖;
- ``p`` — the number of features used by the least-squares fit, p ≤ N − 2;
- ``sigma2`` — the noise variance σ²;
- ``b2`` — ‖β_{T^c}‖², the energy of the coefficients of the features left out.
"""
from __future__ import annotations

import sympy as sp

N = sp.Symbol("N", positive=True)              # sample size
delta = sp.Symbol("delta", positive=True)      # confidence δ ∈ (0, 1)
card_F = sp.Symbol("card_F", positive=True)    # |F|, the size of a finite class
r = sp.Symbol("r", positive=True)              # max_f ‖(f(x_i))_i‖₂
p = sp.Symbol("p", positive=True)              # features used, p ≤ N − 2
sigma2 = sp.Symbol("sigma2", positive=True)    # σ², the noise variance
b2 = sp.Symbol("b2", positive=True)            # ‖β_{T^c}‖², the coefficients left out


def finite_class_gap():
    """The complexity term of the uniform bound for a finite class (eq 12.9).

    With probability at least 1 − δ, every f in a finite class F with a loss in [0, 1] has
    R(f) ≤ R̂(f) + ε; Hoeffding's inequality for each f (two-sided: 2e^{−2Nε²}) and a union bound
    over the card_F members give ε by solving 2 card_F e^{−2Nε²} = δ. The square root covers the
    whole fraction (eq 12.9 prints it over the numerator only).

    Variables: ``N``, ``delta``, ``card_F``.

    Returns
    -------
    sympy expression in N, delta, card_F

    Examples
    --------
    >>> finite_class_gap().free_symbols == {N, delta, card_F}
    True
    """
    ### BEGIN SOLUTION
    return sp.sqrt((sp.log(card_F) + sp.log(2 / delta)) / (2 * N))   # solves 2|F|e^{−2Nε²} = δ
    ### END SOLUTION


def massart_rademacher():
    """Massart's bound on the empirical Rademacher complexity of a finite class.

    For a finite set A ⊂ ℝᴺ of card_F value vectors of largest norm r,
    E_σ sup_{a ∈ A} (1/N) Σ_i σ_i a_i ≤ r √(2 ln card_F) / N (from E e^{λ sup} ≤ card_F e^{λ²r²/2}
    and the best λ).

    Variables: ``r``, ``card_F``, ``N``.

    Returns
    -------
    sympy expression in r, card_F, N

    Examples
    --------
    >>> massart_rademacher().subs({r: 3, card_F: 1, N: 5})
    0
    """
    ### BEGIN SOLUTION
    return r * sp.sqrt(2 * sp.log(card_F)) / N
    ### END SOLUTION


def dd_risk_classical():
    """The expected risk of least squares on p of the features, for p ≤ N − 2 (eq 12.32).

    With x ~ N(0, I), y = xᵀβ + ε, ε ~ N(0, σ²), and the fit on the first p features, the left-out
    features act as extra noise of variance b2 = ‖β_{T^c}‖², and the mean of the inverse Wishart
    matrix, E tr (X_TᵀX_T)⁻¹ = p/(N − p − 1), gives E[σ² + ‖β − β̂‖²] = (b2 + σ²)(1 + p/(N − p − 1)).

    Variables: ``b2``, ``sigma2``, ``p``, ``N``.

    Returns
    -------
    sympy expression in b2, sigma2, p, N

    Examples
    --------
    >>> dd_risk_classical().subs({b2: 1, sigma2: 0, p: 0, N: 10})
    1
    """
    ### BEGIN SOLUTION
    return (b2 + sigma2) * (1 + p / (N - p - 1))   # (12.32), p ≤ N − 2
    ### END SOLUTION
