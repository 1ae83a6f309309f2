# ch04/ksvm.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Kernel SVM without a bias term, through its box-constrained dual (§4.4.2).

Row convention: training points are the rows of ``X : (n, d)`` and enter only through the Gram
matrix ``K = [k(x_i, x_j)] : (n, n)``; labels are ``y_i ∈ {−1, +1}``. With no bias, the primal
``min_f ½‖f‖²_H + C Σ_i max(0, 1 − y_i f(x_i))`` has the dual

    ``max_λ  1ᵀλ − ½ λᵀ(yyᵀ ⊙ K)λ   subject to   0 <= λ_i <= C``

with **no** equality constraint ``Σλ_i y_i = 0`` (that constraint comes from the bias, which is
absent). The solution is ``f = Σ_j y_j λ_j k(x_j, ·)`` (eq 4.36), i.e. ``α = λ ⊙ y`` in the
representer form. λ need not be unique when K is singular; f, the objective and the decision
values are. numpy only.
"""
from __future__ import annotations

import numpy as np

from ch04._validation import check_array, check_dim, check_scalar


def ksvm_nobias_fit(K, y, C):
    """Solve the no-bias kernel SVM dual ``max 1ᵀλ − ½λᵀQλ``, ``Q = yyᵀ ⊙ K``, over ``[0, C]ⁿ``.

    Solved by a primal-dual interior-point method (each Newton system ``Q + D`` with D positive
    diagonal is positive definite even for singular K), then one exact solve on the face of the
    free variables. The result satisfies the box exactly and the KKT conditions
    (``λ_i = 0 ⇒ y_i f_i >= 1``, ``0 < λ_i < C ⇒ y_i f_i = 1``, ``λ_i = C ⇒ y_i f_i <= 1`` with
    ``f = K(λ ⊙ y)``) to about 1e-12 relative.

    Parameters
    ----------
    K : ndarray of shape (n, n), float64
        Symmetric PSD training Gram matrix.
    y : ndarray of shape (n,), float64
        Labels, each −1 or +1.
    C : float > 0
        Box bound (the hinge-loss weight).

    Returns
    -------
    lam : ndarray of shape (n,)
        Dual variables with ``0 <= lam <= C`` exactly.

    Examples
    --------
    >>> K = np.array([[1., 0.], [0., 1.]]); y = np.array([1., -1.])
    >>> ksvm_nobias_fit(K, y, 10.0)            # orthogonal points: λ_i = 1/K_ii
    array([1., 1.])
    >>> ksvm_nobias_fit(K, y, 0.5)             # the box binds
    array([0.5, 0.5])
    """
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K should be a square (n, n) Gram matrix; got K.shape={K.shape}")
    y = _check_labels(y, n=K.shape[0])
    C = check_scalar(C, name="C", lo=0, lo_open=True)
    # YOUR CODE HERE
    raise NotImplementedError()


def ksvm_nobias_decision(K_test, lam, y):
    """Decision values ``f(x) = Σ_j y_j λ_j k(x_j, x)`` (eq 4.36), with no bias.

    Parameters
    ----------
    K_test : ndarray of shape (m, n), float64
        ``K_test[i, j] = k(x_test_i, x_j)``: one row per test point, one column per training point.
    lam : ndarray of shape (n,), float64
        Dual variables from :func:`ksvm_nobias_fit`.
    y : ndarray of shape (n,), float64
        Training labels, each −1 or +1.

    Returns
    -------
    ndarray of shape (m,)
        Predict ``sign(f)``.

    Examples
    --------
    >>> ksvm_nobias_decision(np.array([[2., 0.], [1., 3.]]), np.array([1., 0.5]), np.array([1., -1.]))
    array([ 2. , -0.5])
    """
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    n = K_test.shape[1]
    lam = check_array(lam, name="lam", shape=(n,), layout="(n,) with n == K_test.shape[1]")
    y = _check_labels(y, n=n)
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_labels(y, *, n):
    """Return y as float64 (n,) with entries in {−1, +1}, or raise naming it."""
    y = check_array(y, name="y", ndim=1, layout="(n,)")
    check_dim(y.shape[0], n, what="y.shape[0] == n (the number of training points)")
    if not np.all((y == 1) | (y == -1)):
        raise ValueError(f"y should contain only -1 and +1; got values {np.unique(y).tolist()!r}")
    return y
