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

from geodl_ref._validation import check_array, check_dim, check_scalar


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
    ### BEGIN SOLUTION
    Q = (y[:, None] * y[None, :]) * K                     # (n, n)   Q = yyᵀ ⊙ K
    Q = 0.5 * (Q + Q.T)                                   # (n, n)   exactly symmetric
    return _box_qp(Q, C)                                  # (n,)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    return K_test @ (y * lam)                             # (m,)   Σ_j y_j λ_j k(x_j, x)   (4.36)
    ### END SOLUTION


def _check_labels(y, *, n):
    """Return y as float64 (n,) with entries in {−1, +1}, or raise naming it."""
    y = check_array(y, name="y", ndim=1, layout="(n,)")
    check_dim(y.shape[0], n, what="y.shape[0] == n (the number of training points)")
    if not np.all((y == 1) | (y == -1)):
        raise ValueError(f"y should contain only -1 and +1; got values {np.unique(y).tolist()!r}")
    return y


### BEGIN SOLUTION
def _kkt_residual(lam, g, C):
    """‖λ − clip(λ + g, 0, C)‖∞: zero exactly at a KKT point of the box QP (g = 1 − Qλ)."""
    return float(np.max(np.abs(lam - np.clip(lam + g, 0.0, C)), initial=0.0))


def _box_qp(Q, C, max_iter=200):
    """max 1ᵀλ − ½λᵀQλ over 0 <= λ <= C, for symmetric PSD Q (possibly singular).

    A primal-dual interior-point method on the KKT system of min ½λᵀQλ − 1ᵀλ:
    ``Qλ − 1 − z + w = 0``, ``λ ⊙ z = τ``, ``(C − λ) ⊙ w = τ`` with multipliers z, w >= 0 and
    τ → 0 (Mehrotra's choice of τ). Each Newton system has the matrix ``Q + diag(z/λ + w/(C−λ))``,
    which is positive definite even when Q is singular. A final face solve on the free set makes
    the KKT conditions hold to rounding.
    """
    n = Q.shape[0]
    scale = 1.0 + C * np.abs(Q).max(initial=0.0) * n      # size of the gradient, for tolerances
    lam = np.full(n, 0.5 * C)                             # (n,)   interior start
    s = np.full(n, 0.5 * C)                               # (n,)   slack C − λ, kept separately
    z = np.ones(n)                                        # (n,)   multiplier of λ >= 0
    w = np.ones(n)                                        # (n,)   multiplier of λ <= C
    for _ in range(max_iter):
        rd = Q @ lam - 1.0 - z + w                        # (n,)   dual residual
        mu = (lam @ z + s @ w) / (2 * n)                  # complementarity gap
        if mu <= 1e-15 * scale and np.abs(rd).max() <= 1e-13 * scale:
            break
        M = Q + np.diag(z / lam + w / s)                  # (n, n)   positive definite

        def direction(tau):
            rhs = -rd + (tau - lam * z) / lam - (tau - s * w) / s
            dl = np.linalg.solve(M, rhs)                  # (n,)
            return dl, (tau - lam * z - z * dl) / lam, (tau - s * w + w * dl) / s

        def step(dl, dz, dw):
            ratios = [1.0]
            for v, dv in ((lam, dl), (s, -dl), (z, dz), (w, dw)):
                neg = dv < 0
                if neg.any():
                    ratios.append(float(np.min(v[neg] / -dv[neg])))
            return min(ratios)

        try:
            dl, dz, dw = direction(0.0)                   # predictor (affine scaling)
            a = step(dl, dz, dw)
            mu_aff = ((lam + a * dl) @ (z + a * dz) + (s - a * dl) @ (w + a * dw)) / (2 * n)
            dl, dz, dw = direction((mu_aff / mu) ** 3 * mu)   # corrector, target τ = σμ
        except np.linalg.LinAlgError:                     # M numerically singular: at the end
            break
        a = min(1.0, 0.995 * step(dl, dz, dw))
        new = (lam + a * dl, s - a * dl, z + a * dz, w + a * dw)
        if not all(np.all(np.isfinite(v)) and np.all(v > 0) for v in new):
            break                                         # rounding level reached: stop here
        lam, s, z, w = new
    lam_f = _face_solve(Q, C, lam, z > lam, w > s)
    lam = np.clip(lam, 0.0, C)                            # (n,)
    if lam_f is not None and _kkt_residual(lam_f, 1.0 - Q @ lam_f, C) <= _kkt_residual(lam, 1.0 - Q @ lam, C):
        lam = lam_f
    return lam


def _face_solve(Q, C, lam, at_lo, at_hi):
    """Fix the bounds, solve Q_FF λ_F = 1 − Q_FB λ_B nearest to λ_F; None if it leaves the box."""
    lam = np.where(at_lo, 0.0, np.where(at_hi, C, lam))   # (n,)
    F = ~(at_lo | at_hi)                                  # (n,) bool
    if F.any():
        g = 1.0 - Q @ lam                                 # (n,)
        lam[F] += np.linalg.lstsq(Q[np.ix_(F, F)], g[F], rcond=None)[0]
    if np.any(lam < -1e-9 * C) or np.any(lam > C * (1 + 1e-9)):
        return None
    return np.clip(lam, 0.0, C)
### END SOLUTION
