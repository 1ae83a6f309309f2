# ch03/biasvar.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Bias and variance of the ridge prediction at a point, in closed form and by Monte Carlo (§3.5).

Column convention: the design ``X`` has shape ``(p, N)``, one sample per column. The data model is
``y = Xᵀβ + ε`` with ``ε ~ N(0, σ²I_N)``; ridge estimates ``β̂ = (XXᵀ + λI)⁻¹Xy`` (eq 3.14) and
predicts ``f̂(x0) = x0ᵀβ̂`` for the true ``f(x0) = x0ᵀβ``. Writing ``A = XXᵀ + λI``:

* **bias** ``= f(x0) − E[f̂(x0)] = λ x0ᵀA⁻¹β`` (eq 3.29). *Sign convention:* this is the book's
  and the curriculum's sign, the true value minus the mean prediction; it is the negative of the
  statistics convention ``E[f̂] − f``. ``bias**2`` (which enters the MSE) does not depend on it.
* **var** ``= Var[f̂(x0)] = σ² x0ᵀA⁻¹XXᵀA⁻¹x0`` (eq 3.29).

``E[(f̂(x0) − f(x0))²] = bias² + var``. numpy only; randomness only through the ``rng`` argument.
"""
from __future__ import annotations

import numpy as np

from ch03._validation import check_array, check_int, check_scalar


def ridge_bias_var(X, beta, sigma2, lam, x0):
    """Closed-form bias and variance of the ridge prediction ``f̂(x0) = x0ᵀβ̂`` (eq 3.29).

    Parameters
    ----------
    X : ndarray of shape (p, N), float64
        The fixed design, one sample per column.
    beta : ndarray of shape (p,), float64
        The true coefficients β.
    sigma2 : float >= 0
        The noise variance σ².
    lam : float >= 0
        The ridge parameter λ. ``lam=0`` is ordinary least squares and needs rank X = p.
    x0 : ndarray of shape (p,), float64
        The query point.

    Returns
    -------
    (bias, var) : tuple of float
        ``bias = f(x0) − E f̂(x0) = λ x0ᵀ(XXᵀ + λI)⁻¹β`` (book sign, see the module docstring)
        and ``var = σ² x0ᵀ(XXᵀ + λI)⁻¹XXᵀ(XXᵀ + λI)⁻¹x0 >= 0``.

    Examples
    --------
    >>> X = np.eye(2); beta = np.array([1., 2.]); x0 = np.array([1., 0.])
    >>> ridge_bias_var(X, beta, 1.0, 1.0, x0)   # A = 2I: bias = ½β₁, var = σ²/4
    (0.5, 0.25)
    >>> ridge_bias_var(X, beta, 1.0, 0.0, x0)   # λ = 0: unbiased OLS
    (0.0, 1.0)
    """
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    # YOUR CODE HERE
    raise NotImplementedError()


def mc_bias_var(X, beta, sigma2, lam, x0, trials, rng):
    """Monte Carlo estimate of the bias and variance of :func:`ridge_bias_var`.

    Each trial draws a fresh noise vector ``ε ~ N(0, σ²I_N)``, sets ``y = Xᵀβ + ε``, fits ridge
    ``β̂ = (XXᵀ + λI)⁻¹Xy`` and records ``f̂(x0) = x0ᵀβ̂``. The noise of all trials is drawn in one
    call, ``rng.standard_normal((N, trials))`` (column j is trial j), so the same generator state
    gives bit-identical results.

    Parameters
    ----------
    X, beta, sigma2, lam, x0
        As in :func:`ridge_bias_var`.
    trials : int >= 2
        Number of independent noise draws.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    (bias, var) : tuple of float
        ``bias = x0ᵀβ − mean_j f̂_j`` (same sign as :func:`ridge_bias_var`) and the unbiased
        sample variance (``ddof=1``) of the ``f̂_j``. Their standard errors are about
        ``√(var/trials)`` and ``var·√(2/(trials−1))``.

    Examples
    --------
    >>> X = np.eye(2); beta = np.array([1., 2.]); x0 = np.array([1., 0.])
    >>> bias, var = mc_bias_var(X, beta, 1.0, 1.0, x0, 4000, np.random.default_rng(0))
    >>> bool(abs(bias - 0.5) < 4 * np.sqrt(0.25 / 4000)), bool(abs(var - 0.25) < 0.02)
    (True, True)
    """
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    trials = check_int(trials, name="trials", lo=2)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng should be a numpy.random.Generator; got rng={rng!r} (type={type(rng).__name__})"
        )
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_biasvar_args(X, beta, sigma2, lam, x0):
    """Validate the shared arguments of ridge_bias_var and mc_bias_var."""
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    p = X.shape[0]
    beta = check_array(beta, name="beta", shape=(p,), layout="(p,) with p == X.shape[0]")
    sigma2 = check_scalar(sigma2, name="sigma2", lo=0)
    lam = check_scalar(lam, name="lam", lo=0)
    x0 = check_array(x0, name="x0", shape=(p,), layout="(p,) with p == X.shape[0]")
    if lam == 0 and np.linalg.matrix_rank(X) < p:
        raise ValueError(
            f"X should have full row rank p={p} when lam=0 (XXᵀ must be invertible); "
            f"got rank {np.linalg.matrix_rank(X)}; pass lam > 0"
        )
    return X, beta, sigma2, lam, x0
