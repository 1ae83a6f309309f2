# ch03/regression.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Least squares and ridge regression in the book's column convention (§3.2–3.3).

Samples are columns: ``X`` has shape ``(p, N)`` (p regressors, N samples) and the model is
``y ≈ Xᵀβ`` (eq 3.3). An intercept is not added for you: put a row of ones in ``X`` (as in book
ex 3.2). Ridge uses the book's λ, with objective ``‖y − Xᵀβ‖² + λ‖β‖²`` (no 1/N, no ½), which
is scikit-learn's ``Ridge(alpha=λ, fit_intercept=False)`` on ``Xᵀ``. numpy only.
"""
from __future__ import annotations

import numpy as np

from ch03._validation import check_array, check_choice, check_scalar


def ols(X, y):
    """Ordinary least squares ``β = (XXᵀ)⁻¹Xy`` (eq 3.7), the solution of the normal equations.

    Parameters
    ----------
    X : ndarray of shape (p, N), float64
        Regressors, one sample per column (book eq 3.3). Must have full row rank p (so N >= p).
    y : ndarray of shape (N,), float64
        Responses.

    Returns
    -------
    beta : ndarray of shape (p,)
        The minimizer of ``‖y − Xᵀβ‖²``; it satisfies ``X(y − Xᵀβ) = 0``.

    Raises
    ------
    ValueError
        If ``X`` does not have full row rank (then ``XXᵀ`` is singular; use :func:`ridge`).

    Examples
    --------
    >>> X = np.array([[1., 1., 1.], [0., 1., 2.]])   # a row of ones for the intercept
    >>> np.round(ols(X, np.array([1., 3., 5.])), 10)  # y = 1 + 2x exactly
    array([1., 2.])
    """
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    _check_full_row_rank(X)
    # YOUR CODE HERE
    raise NotImplementedError()


def ridge(X, y, lam, *, form="primal"):
    """Ridge regression, the minimizer of ``‖y − Xᵀβ‖² + λ‖β‖²``, in primal or dual form.

    Primal (eq 3.14): ``β = (XXᵀ + λI_p)⁻¹Xy`` solves a p×p system.
    Dual (eq 3.16): ``β = X(XᵀX + λI_N)⁻¹y`` solves an N×N system. Both give the same β (the
    push-through identity); the cheaper one has the smaller of p and N.

    Parameters
    ----------
    X : ndarray of shape (p, N), float64
        Regressors, one sample per column. Any rank; p > N is allowed.
    y : ndarray of shape (N,), float64
    lam : float > 0
        The ridge parameter λ (book convention, no 1/N). For λ = 0 use :func:`ols`.
    form : {'primal', 'dual'}, default 'primal'
        Which of the two equivalent formulas to evaluate.

    Returns
    -------
    beta : ndarray of shape (p,)

    Examples
    --------
    >>> X = np.array([[1., 0.], [0., 1.]]); y = np.array([2., 4.])
    >>> ridge(X, y, 1.0)          # (I + I)⁻¹ y
    array([1., 2.])
    >>> ridge(X, y, 1.0, form="dual")
    array([1., 2.])
    """
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    lam = check_scalar(lam, name="lam", lo=0, lo_open=True)
    form = check_choice(form, name="form", choices=("primal", "dual"))
    # YOUR CODE HERE
    raise NotImplementedError()


def ridge_augmented(X, y, lam):
    """The augmented data that turn ridge into ordinary least squares (book ex 3.4, corrected).

    ``X̃ = [X, √λ I_p]`` and ``ỹ = [y; 0_p]``, so that ``‖ỹ − X̃ᵀβ‖² = ‖y − Xᵀβ‖² + λ‖β‖²`` and
    ``ols(X̃, ỹ) == ridge(X, y, λ)``. The book prints ``ỹ = [y; √λ I]``; that is a typo
    (erratum 3): the p appended responses are zeros.

    Parameters
    ----------
    X : ndarray of shape (p, N), float64
        Regressors, one sample per column.
    y : ndarray of shape (N,), float64
    lam : float >= 0
        The ridge parameter λ.

    Returns
    -------
    X_aug : ndarray of shape (p, N + p)
        ``[X, √λ I_p]``: the p pseudo-samples are appended as extra columns.
    y_aug : ndarray of shape (N + p,)
        ``[y; 0_p]``.

    Examples
    --------
    >>> X_aug, y_aug = ridge_augmented(np.array([[1., 2., 3.]]), np.array([1., 1., 1.]), 4.0)
    >>> X_aug, y_aug
    (array([[1., 2., 3., 2.]]), array([1., 1., 1., 0.]))
    """
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    lam = check_scalar(lam, name="lam", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_full_row_rank(X):
    """Raise ValueError naming X if XXᵀ is singular (rank X < p)."""
    p, N = X.shape
    rank = np.linalg.matrix_rank(X)
    if rank < p:
        raise ValueError(
            f"X should have full row rank p={p} so that XXᵀ is invertible (this needs N >= p); "
            f"got rank {rank} with X.shape={X.shape}; use ridge(X, y, lam) instead"
        )
