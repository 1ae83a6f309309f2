"""Chapter 13's closed forms as symbolic answers: the Gaussian KL term of the VAE (eqs 13.64–13.65),
the optimal GAN discriminator (§13.5.1) and the squared 2-Wasserstein distance between two 1-D
Gaussians (eq 13.22, a square: errata §15, item 13).

Every function returns a sympy expression written with the module-level symbols below (keep
their names: the grader reads your formula with exactly these names and nothing else). You may
also return the formula as a string, e.g. ``"p/(p + q)"``: write products with ``*``, powers with
``**`` (not ``^``), and functions as ``exp``, ``log``, ``sqrt``. Logarithms are natural.
"""
from __future__ import annotations

import sympy as sp

mu = sp.Symbol("mu", real=True)                  # μ, the mean of one latent coordinate
sigma = sp.Symbol("sigma", positive=True)        # σ > 0, its standard deviation (not the variance)
p = sp.Symbol("p", positive=True)                # p(x) > 0, the data density at a point x
q = sp.Symbol("q", positive=True)                # q(x) > 0, the generator's density at x
m1 = sp.Symbol("m1", real=True)                  # mean of the first 1-D Gaussian
m2 = sp.Symbol("m2", real=True)                  # mean of the second
s1 = sp.Symbol("s1", positive=True)              # σ1 > 0, standard deviation of the first
s2 = sp.Symbol("s2", positive=True)              # σ2 > 0, standard deviation of the second


def gaussian_kl_term():
    """KL(N(μ, σ²) ‖ N(0, 1)) for one coordinate: ``½(σ² + μ² − log σ² − 1)`` (eqs 13.64–13.65).

    Summed over the latent coordinates this is the VAE's KL term. Variables: ``mu`` real,
    ``sigma`` = σ > 0 (the standard deviation; the variance is σ²).

    Returns
    -------
    sympy expression in mu and sigma

    Examples
    --------
    >>> gaussian_kl_term().subs({mu: 0, sigma: 1})
    0
    """
    ### BEGIN SOLUTION
    return sp.Rational(1, 2) * (sigma**2 + mu**2 - sp.log(sigma**2) - 1)   # (13.65), per coordinate
    ### END SOLUTION


def optimal_discriminator():
    """The optimal discriminator ``D*(x) = p(x) / (p(x) + q(x))`` (§13.5.1).

    For a fixed generator, D ↦ p log D + q log(1 − D) is maximized pointwise at D*; ``p`` is the
    data density and ``q`` the generator's at the same x. Variables: ``p``, ``q`` > 0.

    Returns
    -------
    sympy expression in p and q

    Examples
    --------
    >>> optimal_discriminator().subs({p: 1, q: 1})
    1/2
    """
    ### BEGIN SOLUTION
    return p / (p + q)                                    # the root of p/D − q/(1 − D) = 0
    ### END SOLUTION


def w2_sq_gaussian_1d():
    """The squared 2-Wasserstein distance ``(m1 − m2)² + (σ1 − σ2)²`` between N(m1, σ1²) and
    N(m2, σ2²) (eq 13.22 in one dimension; it is W2², not W2).

    Variables: ``m1``, ``m2`` real, ``s1`` = σ1 > 0 and ``s2`` = σ2 > 0 (standard deviations).

    Returns
    -------
    sympy expression in m1, m2, s1 and s2

    Examples
    --------
    >>> w2_sq_gaussian_1d().subs({m1: 0, m2: 3, s1: 1, s2: 2})
    10
    """
    ### BEGIN SOLUTION
    return (m1 - m2) ** 2 + (s1 - s2) ** 2                # tr(S1 + S2 − 2(S1^½S2S1^½)^½) = (σ1 − σ2)² in 1-D
    ### END SOLUTION
