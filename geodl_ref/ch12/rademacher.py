"""Empirical Rademacher complexity (§12.3): how well a class correlates with random signs.

For a sample x_1, …, x_N and a class F, the empirical Rademacher complexity is (eq 12.22)

    R̂_N(F) = E_σ [ sup_{f ∈ F} (1/N) Σ_i σ_i f(x_i) ],

σ_i independent and uniform on {−1, +1}: the expectation is outside the sup (a sup of expectations
is sup_f 0 = 0), and there is no absolute value. On the sample a class is the set of its value
vectors h = (f(x_1), …, f(x_N)); a finite class is a matrix H with one hypothesis per row.

Three ways to evaluate it are here: exact enumeration of the 2ᴺ sign vectors (small N), Monte Carlo
over sign vectors (any N), and for the linear class {x ↦ wᵀx : ‖w‖ ≤ W} the closed-form sup
(W/N)‖Σ_i σ_i x_i‖ (Cauchy–Schwarz). Two bounds are compared with them: W max_i ‖x_i‖/√N for
the linear class, and Massart's lemma max_h ‖h‖ √(2 ln |H|)/N for a finite class.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from geodl_ref._validation import check_array, check_int, check_scalar

__all__ = ["bound_linear_l2", "empirical_rademacher", "massart_bound", "rad_linear_l2"]

#: Exact enumeration is limited to N ≤ 14 (2¹⁴ = 16384 sign vectors).
MAX_EXACT_N = 14


def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng should be a numpy.random.Generator; got rng={rng!r} (type={type(rng).__name__})")
    return rng


### BEGIN SOLUTION
def _all_signs(N: int) -> np.ndarray:
    """Every σ ∈ {−1, +1}ᴺ, one per row: shape (2ᴺ, N)."""
    return np.array(list(itertools.product((-1.0, 1.0), repeat=N)))  # (2^N, N)


def _random_signs(n_draws: int, N: int, rng) -> np.ndarray:
    """n_draws independent Rademacher vectors, one per row: shape (n_draws, N)."""
    return 2.0 * rng.integers(0, 2, size=(n_draws, N)) - 1.0  # (n_draws, N)
### END SOLUTION


def empirical_rademacher(H: np.ndarray, n_draws: int | None = None, rng: np.random.Generator | None = None) -> float:
    """Empirical Rademacher complexity of a finite class (eq 12.22).

    R̂ = E_σ max_h (1/N) Σ_i σ_i H[h, i], exactly (the mean over all 2ᴺ sign vectors) when
    ``n_draws`` is None, or as the mean over ``n_draws`` random sign vectors drawn from ``rng``.

    Parameters
    ----------
    H : ndarray of shape (h, N), float64
        One hypothesis per row: its values on the N sample points.
    n_draws : int, optional
        Number of Monte Carlo sign vectors; None (the default) enumerates all 2ᴺ, which needs
        N ≤ 14.
    rng : numpy.random.Generator, optional
        The only source of randomness; required with ``n_draws``.

    Returns
    -------
    float
        R̂ ≥ 0 (exactly 0 for a single hypothesis). The Monte Carlo standard error is the
        standard deviation of max_h (1/N) σᵀH[h] over σ, divided by √n_draws.

    Examples
    --------
    >>> H = np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])
    >>> round(empirical_rademacher(H), 12), empirical_rademacher(H[:1])
    (0.333333333333, 0.0)
    >>> round(empirical_rademacher(H, 20000, np.random.default_rng(0)), 1)
    0.3
    """
    H = check_array(H, name="H", ndim=2, layout="(h, N)")
    h, N = H.shape
    if h < 1 or N < 1:
        raise ValueError(f"H should have at least one row and one column; got H.shape={H.shape}")
    if n_draws is None:
        if N > MAX_EXACT_N:
            raise ValueError(f"N should be <= {MAX_EXACT_N} for exact enumeration; got N={N} (pass n_draws and rng)")
    else:
        n_draws = check_int(n_draws, name="n_draws", lo=1)
        rng = _check_rng(rng)
    ### BEGIN SOLUTION
    if n_draws is None:
        S = _all_signs(N)  # (2^N, N)   every sign vector, equally likely
    else:
        S = _random_signs(n_draws, N, rng)  # (n_draws, N)
    correlations = S @ H.T / N  # (draws, h)    (1/N) Σ_i σ_i h_i
    return float(np.mean(np.max(correlations, axis=1)))  # E_σ sup_h, no absolute value   (12.22)
    ### END SOLUTION


def rad_linear_l2(X: np.ndarray, W: float, n_draws: int, rng: np.random.Generator) -> float:
    """Monte Carlo Rademacher complexity of the linear class {x ↦ wᵀx : ‖w‖₂ ≤ W}.

    For each sign vector the sup over the ball is attained at w = W u/‖u‖ with u = Σ_i σ_i x_i
    (Cauchy–Schwarz), so sup_w (1/N) Σ_i σ_i wᵀx_i = (W/N) ‖Σ_i σ_i x_i‖₂; the estimate is its
    mean over ``n_draws`` random sign vectors.

    Parameters
    ----------
    X : ndarray of shape (N, d), float64
        One sample per row (row convention).
    W : float
        Radius of the weight ball, W ≥ 0.
    n_draws : int
        Number of sign vectors, n_draws ≥ 1.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    float
        The estimate of R̂_N; it is at most :func:`bound_linear_l2` (X, W) in expectation.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> est = rad_linear_l2(X, 1.0, 4000, np.random.default_rng(0))
    >>> bool(0.5 < est < bound_linear_l2(X, 1.0))
    True
    """
    X = check_array(X, name="X", ndim=2, layout="(N, d)")
    if X.shape[0] < 1:
        raise ValueError(f"X should have at least one row; got X.shape={X.shape}")
    W = check_scalar(W, name="W", lo=0)
    n_draws = check_int(n_draws, name="n_draws", lo=1)
    rng = _check_rng(rng)
    ### BEGIN SOLUTION
    N = X.shape[0]
    S = _random_signs(n_draws, N, rng)  # (n_draws, N)
    sups = W / N * np.linalg.norm(S @ X, axis=1)  # (n_draws,)   (W/N)‖Σ_i σ_i x_i‖
    return float(np.mean(sups))
    ### END SOLUTION


def bound_linear_l2(X: np.ndarray, W: float) -> float:
    """The bound W · max_i ‖x_i‖₂ / √N on the Rademacher complexity of the linear class.

    By Jensen, E‖Σσ_i x_i‖ ≤ √(E‖Σσ_i x_i‖²) = √(Σ‖x_i‖²) ≤ √N max_i ‖x_i‖; with the factor W/N
    this gives R̂_N ≤ W max_i ‖x_i‖ / √N.

    Parameters
    ----------
    X : ndarray of shape (N, d), float64
        One sample per row.
    W : float
        Radius of the weight ball, W ≥ 0.

    Returns
    -------
    float
        W max_i ‖x_i‖ / √N.

    Examples
    --------
    >>> bound_linear_l2(np.array([[3.0, 4.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]), 2.0)
    5.0
    """
    X = check_array(X, name="X", ndim=2, layout="(N, d)")
    if X.shape[0] < 1:
        raise ValueError(f"X should have at least one row; got X.shape={X.shape}")
    W = check_scalar(W, name="W", lo=0)
    ### BEGIN SOLUTION
    N = X.shape[0]
    return float(W * np.max(np.linalg.norm(X, axis=1)) / math.sqrt(N))  # W max‖x_i‖/√N
    ### END SOLUTION


def massart_bound(H: np.ndarray) -> float:
    """Massart's lemma: R̂_N(H) ≤ max_h ‖h‖₂ √(2 ln |H|) / N for a finite class of |H| rows.

    Parameters
    ----------
    H : ndarray of shape (h, N), float64
        One hypothesis per row, as in :func:`empirical_rademacher`.

    Returns
    -------
    float
        max_h ‖H[h]‖₂ · √(2 ln h) / N (0 for a single hypothesis).

    Examples
    --------
    >>> H = np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])
    >>> round(massart_bound(H), 6)
    0.679778
    """
    H = check_array(H, name="H", ndim=2, layout="(h, N)")
    h, N = H.shape
    if h < 1 or N < 1:
        raise ValueError(f"H should have at least one row and one column; got H.shape={H.shape}")
    ### BEGIN SOLUTION
    r = np.max(np.linalg.norm(H, axis=1))  # max_h ‖h‖₂
    return float(r * math.sqrt(2 * math.log(h)) / N)
    ### END SOLUTION
