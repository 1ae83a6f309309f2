"""Double descent in least squares with weak features (§12.4, eq 12.32).

The data: x ~ N(0, I_D), y = xᵀβ + ε with ε ~ N(0, σ²). The learner sees only the first p
features T = {1, …, p} and fits the minimum-norm least-squares solution on them,
β̂_T = X_T⁺ y, β̂ = 0 off T: the least-squares fit when p < N, and among the interpolants
(X_T β̂_T = y) the one of least norm, which lies in the row space of X_T, when p > N.

Its risk on a fresh sample, given the fit, is E[(y − xᵀβ̂)²] = σ² + ‖β − β̂‖², and its
expectation over the training set has the closed form of Belkin, Hsu and Xu ("Two models of double
descent for weak features", SIAM J. Math. Data Sci. 2, 2020), the book's eq 12.32:

    p ≤ N − 2:  (‖β_{T^c}‖² + σ²) (1 + p/(N − p − 1))
    p ≥ N + 2:  ‖β_T‖² (1 − N/p) + (‖β_{T^c}‖² + σ²) (1 + N/(p − N − 1))

and +∞ for N − 1 ≤ p ≤ N + 1. The risk first falls (fewer features left out), rises to the
interpolation threshold p = N, then falls again: with enough features the interpolating fit
beats every classical one.
"""
from __future__ import annotations

import math

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int, check_scalar

__all__ = ["dd_mc_risk", "dd_theory_risk", "min_norm_fit"]


def _check_model(p, N, beta, sigma2):
    beta = check_array(beta, name="beta", ndim=1, layout="(D,)")
    D = beta.shape[0]
    if D < 1:
        raise ValueError("beta should have at least one entry; got beta.shape=(0,)")
    p = check_int(p, name="p", lo=0, hi=D)
    N = check_int(N, name="N", lo=1)
    sigma2 = check_scalar(sigma2, name="sigma2", lo=0)
    return p, N, beta, sigma2


def dd_theory_risk(p: int, N: int, beta: np.ndarray, sigma2: float) -> float:
    """Expected risk of the minimum-norm fit on the first p of D features (eq 12.32).

    Parameters
    ----------
    p : int
        Number of features used, 0 ≤ p ≤ D (the first p).
    N : int
        Training-set size, N ≥ 1.
    beta : ndarray of shape (D,), float64
        The true coefficients.
    sigma2 : float
        Noise variance σ² ≥ 0.

    Returns
    -------
    float
        E[σ² + ‖β − β̂‖²] over training sets of size N: (‖β_{T^c}‖² + σ²)(1 + p/(N − p − 1)) for
        p ≤ N − 2, ‖β_T‖²(1 − N/p) + (‖β_{T^c}‖² + σ²)(1 + N/(p − N − 1)) for p ≥ N + 2, and
        ``inf`` for N − 1 ≤ p ≤ N + 1.

    Examples
    --------
    >>> beta = np.full(100, 0.1)                       # ‖β‖ = 1
    >>> round(dd_theory_risk(100, 40, beta, 0.04), 6)   # 0.6 + 0.04 · 99/59
    0.667119
    >>> round(dd_theory_risk(0, 40, beta, 0.04), 12), dd_theory_risk(41, 40, beta, 0.04)
    (1.04, inf)
    """
    p, N, beta, sigma2 = _check_model(p, N, beta, sigma2)
    ### BEGIN SOLUTION
    inside = float(beta[:p] @ beta[:p])  # ‖β_T‖²
    left_out = float(beta[p:] @ beta[p:])  # ‖β_{T^c}‖²: acts as extra noise
    if p <= N - 2:  # classical: E tr (X_TᵀX_T)⁻¹ = p/(N − p − 1)
        return (left_out + sigma2) * (1 + p / (N - p - 1))
    if p >= N + 2:  # interpolating regime: the min-norm fit recovers a fraction N/p of β_T
        return inside * (1 - N / p) + (left_out + sigma2) * (1 + N / (p - N - 1))
    return math.inf  # N − 1 ≤ p ≤ N + 1: the expectation diverges
    ### END SOLUTION


def min_norm_fit(X: np.ndarray, y: np.ndarray, p: int) -> np.ndarray:
    """Minimum-norm least squares on the first p columns: β̂_T = X_T⁺ y, zeros elsewhere.

    Parameters
    ----------
    X : ndarray of shape (N, D), float64
        The design, one sample per row (row convention).
    y : ndarray of shape (N,), float64
        The responses.
    p : int
        Number of features used, 0 ≤ p ≤ D.

    Returns
    -------
    ndarray of shape (D,), float64
        β̂ with β̂[:p] = X[:, :p]⁺ y (the least-squares solution for p < N of full rank, the
        minimum-norm interpolant for p > N) and β̂[p:] = 0.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0, 5.0], [0.0, 2.0, 5.0]])
    >>> min_norm_fit(X, np.array([3.0, 4.0]), 2).tolist()
    [3.0, 2.0, 0.0]
    >>> min_norm_fit(X, np.array([3.0, 4.0]), 1).tolist()
    [3.0, 0.0, 0.0]
    """
    X = check_array(X, name="X", ndim=2, layout="(N, D)")
    N, D = X.shape
    y = check_array(y, name="y", ndim=1, layout="(N,)")
    check_dim(y.shape[0], N, what="y.shape[0] == X.shape[0]")
    p = check_int(p, name="p", lo=0, hi=D)
    ### BEGIN SOLUTION
    beta_hat = np.zeros(D)  # (D,)   0 off T
    beta_hat[:p] = np.linalg.pinv(X[:, :p]) @ y  # (p,)   X_T⁺ y
    return beta_hat
    ### END SOLUTION


def dd_mc_risk(p: int, N: int, beta: np.ndarray, sigma2: float, trials: int,
               rng: np.random.Generator) -> tuple[float, float]:
    """Monte Carlo estimate of :func:`dd_theory_risk`, with its standard error.

    Each trial draws a training set X (N, D) with N(0, 1) entries and y = Xβ + ε, ε ~ N(0, σ² I_N),
    fits :func:`min_norm_fit` on the first p features and records the conditional risk
    σ² + ‖β − β̂‖² (the risk on a fresh x ~ N(0, I_D), given the fit).

    Parameters
    ----------
    p, N, beta, sigma2
        As in :func:`dd_theory_risk`.
    trials : int
        Number of training sets, trials ≥ 2.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    (mean, se) : tuple of float
        The mean conditional risk over the trials and its standard error, the sample standard
        deviation (ddof=1) divided by √trials.

    Examples
    --------
    >>> beta = np.full(100, 0.1)
    >>> mean, se = dd_mc_risk(100, 40, beta, 0.04, 400, np.random.default_rng(0))
    >>> bool(abs(mean - dd_theory_risk(100, 40, beta, 0.04)) < 4 * se), bool(0 < se < 0.01)
    (True, True)
    """
    p, N, beta, sigma2 = _check_model(p, N, beta, sigma2)
    trials = check_int(trials, name="trials", lo=2)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng should be a numpy.random.Generator; got rng={rng!r} (type={type(rng).__name__})")
    ### BEGIN SOLUTION
    D = beta.shape[0]
    risks = np.empty(trials)  # (trials,)
    for t in range(trials):
        X = rng.standard_normal((N, D))  # (N, D)   x ~ N(0, I_D), one sample per row
        y = X @ beta + math.sqrt(sigma2) * rng.standard_normal(N)  # (N,)   y = Xβ + ε
        risks[t] = sigma2 + np.sum((beta - min_norm_fit(X, y, p)) ** 2)  # σ² + ‖β − β̂‖²
    return float(risks.mean()), float(risks.std(ddof=1) / math.sqrt(trials))
    ### END SOLUTION
