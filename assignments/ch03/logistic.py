# ch03/logistic.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Logistic and softmax regression in the book's column convention (§3.4).

Samples are columns: ``X`` has shape ``(p, N)``. Binary logistic regression models
``q_n = Sig(β0 + βᵀx_n)`` (eq 3.10) and minimizes the weighted, summed negative log-likelihood

    ``ℓ(β0, β) = Σ_n w_n [−t_n log q_n − (1 − t_n) log(1 − q_n)] + (λ/2)‖β‖²``

with targets ``t_n ∈ [0, 1]`` (fractions are allowed: ``t_n`` = fraction of successes and
``w_n`` = number of trials gives the binomial likelihood of grouped data, book ex 3.3). The data
term is a sum, not a mean, and the intercept β0 is not penalized; this is scikit-learn's
``LogisticRegression(C=1/λ)`` with ``sample_weight=w``.

Multiclass regression pins the softmax model ``P = softmax(Wᵀx + b)`` over c classes (consistent
with eq 7.6), not the book's independent sigmoids of eq 3.12 (erratum 4). Gradients are in
denominator layout (∂ℓ/∂W has the shape of W). Everything is computed stably: log(1 + eᶻ) as
``np.logaddexp(0, z)`` and the softmax after subtracting the column maximum. numpy only.
"""
from __future__ import annotations

import numpy as np

from ch03._validation import check_array, check_dim, check_int, check_scalar


def logistic_nll(X, t, beta0, beta, weights=None, lam=0.0):
    """The penalized logistic objective ``ℓ(β0, β)`` that :func:`logistic_fit` minimizes.

    ``ℓ = Σ_n w_n [log(1 + e^{z_n}) − t_n z_n] + (λ/2)‖β‖²`` with ``z_n = β0 + βᵀx_n``, which
    equals ``Σ_n w_n [−t_n log q_n − (1 − t_n) log(1 − q_n)] + (λ/2)‖β‖²`` for ``q_n = Sig(z_n)``
    (eq 3.10). Finite for any finite ``z`` (no overflow at ``|z| ≈ 800``).

    Parameters
    ----------
    X : ndarray of shape (p, N), float64
        Regressors, one sample per column (no row of ones: the intercept is ``beta0``).
    t : ndarray of shape (N,), float64 in [0, 1]
        Targets (labels in {0, 1}, or fractions of successes).
    beta0 : float
        The intercept β0 (unpenalized).
    beta : ndarray of shape (p,), float64
        The coefficients β.
    weights : ndarray of shape (N,), float64 >= 0, optional
        Sample weights ``w_n`` (e.g. numbers of trials); default all ones.
    lam : float >= 0, default 0.0
        The penalty λ on ``‖β‖²`` (the intercept is not penalized).

    Returns
    -------
    float
        The objective value (a sum over samples).

    Examples
    --------
    >>> X = np.array([[0., 1.]]); t = np.array([0., 1.])
    >>> bool(np.isclose(logistic_nll(X, t, 0.0, np.zeros(1)), 2 * np.log(2)))   # q = ½ everywhere
    True
    >>> bool(np.isfinite(logistic_nll(X, np.array([1., 0.]), 0.0, np.array([800.]))))
    True
    """
    X, t, w = _check_logistic_data(X, t, weights)
    beta0 = check_scalar(beta0, name="beta0")
    beta = check_array(beta, name="beta", shape=(X.shape[0],), layout="(p,) with p == X.shape[0]")
    lam = check_scalar(lam, name="lam", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    """Fit binary logistic regression by damped Newton's method (IRLS) on :func:`logistic_nll`.

    Newton's method on the convex objective: ``θ ← θ − s H⁻¹∇ℓ`` with ``θ = (β0, β)``,
    ``∇ℓ = X̃ (w ⊙ (q − t)) + λ(0, β)`` and ``H = X̃ diag(w ⊙ q ⊙ (1 − q)) X̃ᵀ + λ diag(0, 1, …, 1)``,
    where ``X̃ = [1ᵀ; X]``; the step s is halved until the objective or the gradient decreases.
    Iterates until ``‖∇ℓ‖ <= 1e-8`` (in practice to rounding level).

    Parameters
    ----------
    X : ndarray of shape (p, N), float64
        Regressors, one sample per column (no row of ones: use ``fit_intercept``).
    t : ndarray of shape (N,), float64 in [0, 1]
        Targets (labels in {0, 1}, or fractions of successes with ``weights`` = trials).
    weights : ndarray of shape (N,), float64 >= 0, optional
        Sample weights; default all ones.
    lam : float >= 0, default 0.0
        Penalty λ on ``‖β‖²``; the intercept is never penalized.
    fit_intercept : bool, default True
        If False, β0 is fixed at 0.

    Returns
    -------
    (beta0, beta) : tuple of (float, ndarray of shape (p,))
        The minimizer; ``logit(q_n) = β0 + βᵀx_n``.

    Raises
    ------
    ValueError
        If ``lam == 0``, the targets are 0/1 and the weighted samples are strictly linearly
        separable: then the infimum is not attained (‖β‖ → ∞). Pass ``lam > 0``. (Quasi-separable
        data also have no minimizer with λ = 0; the result is then not meaningful.)

    Examples
    --------
    >>> X = np.array([[-2., -1., 0., 1., 2.]]); t = np.array([0., 1., 0., 1., 1.])
    >>> beta0, beta = logistic_fit(X, t)
    >>> bool(beta[0] > 0)   # larger x, more likely t = 1
    True
    >>> q = 1 / (1 + np.exp(-(beta0 + beta @ X)))
    >>> bool(abs(np.sum(q - t)) < 1e-10)   # ∂ℓ/∂β0 = Σ(q − t) = 0 at the optimum
    True
    """
    X, t, w = _check_logistic_data(X, t, weights)
    lam = check_scalar(lam, name="lam", lo=0)
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise TypeError(f"fit_intercept should be a bool; got fit_intercept={fit_intercept!r}")
    # YOUR CODE HERE
    raise NotImplementedError()


def softmax(Z, axis=0):
    """The softmax along ``axis``: ``exp(Z − max Z) / Σ exp(Z − max Z)``.

    The default ``axis=0`` normalizes each column: in this chapter's layout, logits are ``(c, N)``
    with one sample per column. Subtracting the maximum makes it finite for logits of any size.

    Parameters
    ----------
    Z : ndarray of any shape with at least 1 dimension, float64
        Logits.
    axis : int, default 0
        The class axis, over which the result sums to 1.

    Returns
    -------
    ndarray of the shape of Z
        Probabilities in [0, 1] summing to 1 along ``axis``.

    Examples
    --------
    >>> softmax(np.array([[0., 1000.], [0., 1000.]]))   # columns are samples
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    Z = check_array(Z, name="Z")
    if Z.ndim == 0:
        raise ValueError(f"Z should have at least 1 dimension; got Z.shape={Z.shape}")
    axis = check_int(axis, name="axis", lo=-Z.ndim, hi=Z.ndim - 1)
    # YOUR CODE HERE
    raise NotImplementedError()


def softmax_xent(W, b, X, Y):
    """Summed softmax cross-entropy of a linear classifier, and its gradients.

    Logits ``Z = WᵀX + b1ᵀ`` (c, N); probabilities ``P = softmax(Z)`` per column;
    ``loss = −Σ_n Σ_k Y_kn log P_kn`` (a sum over samples, as torch's
    ``cross_entropy(reduction='sum')``). With ``G = ∂loss/∂Z = P ⊙ (1ᵀY) − Y`` (``= P − Y`` for
    one-hot columns), the denominator-layout gradients are ``∂loss/∂W = X Gᵀ`` (p, c) and
    ``∂loss/∂b = G1`` (c,).

    Parameters
    ----------
    W : ndarray of shape (p, c), float64
        Weights; column k scores class k.
    b : ndarray of shape (c,), float64
        Biases.
    X : ndarray of shape (p, N), float64
        Inputs, one sample per column.
    Y : ndarray of shape (c, N), float64
        One-hot targets, one sample per column (probability columns also work).

    Returns
    -------
    (loss, dW, db) : tuple of (float, ndarray of shape (p, c), ndarray of shape (c,))

    Examples
    --------
    >>> W = np.zeros((2, 3)); b = np.zeros(3); X = np.ones((2, 4)); Y = np.eye(3)[:, [0, 1, 2, 0]]
    >>> loss, dW, db = softmax_xent(W, b, X, Y)
    >>> bool(np.isclose(loss, 4 * np.log(3))), dW.shape, db.shape
    (True, (2, 3), (3,))
    """
    W = check_array(W, name="W", ndim=2, layout="(p, c)")
    p, c = W.shape
    b = check_array(b, name="b", shape=(c,), layout="(c,) with c == W.shape[1]")
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    check_dim(X.shape[0], p, what="X.shape[0] == W.shape[0] (p)")
    Y = check_array(Y, name="Y", shape=(c, X.shape[1]), layout="(c, N)")
    # YOUR CODE HERE
    raise NotImplementedError()


def softmax_fit(X, labels, lam, *, n_classes=None):
    """Fit multinomial (softmax) regression with an L2 penalty on W, by damped Newton's method.

    Minimizes ``Σ_n −log softmax(Wᵀx_n + b)[labels_n] + (λ/2)‖W‖_F²``: the cross-entropy is summed
    over samples and the bias is not penalized. This is scikit-learn's multinomial
    ``LogisticRegression(C=1/λ)``. The objective is invariant under ``b → b + s1``, so the
    returned b is centered (``Σ_k b_k = 0``); W is unique (its columns sum to 0).

    Parameters
    ----------
    X : ndarray of shape (p, N), float64
        Inputs, one sample per column.
    labels : ndarray of shape (N,), int
        Class labels in ``0 .. c−1``.
    lam : float > 0
        The penalty λ on ``‖W‖_F²`` (λ > 0 makes the minimizer exist and W unique).
    n_classes : int >= 2, optional
        The number of classes c; default ``labels.max() + 1``.

    Returns
    -------
    (W, b) : tuple of (ndarray of shape (p, c), ndarray of shape (c,))
        The minimizer, with ``b.sum() == 0``.

    Examples
    --------
    >>> X = np.array([[-2., -1., 0., 1., 2., 3.]]); labels = np.array([0, 0, 1, 1, 2, 2])
    >>> W, b = softmax_fit(X, labels, lam=0.1)
    >>> W.shape, b.shape, bool(abs(b.sum()) < 1e-12)
    ((1, 3), (3,), True)
    >>> softmax(W.T @ X + b[:, None]).argmax(axis=0)
    array([0, 0, 1, 1, 2, 2])
    """
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    labels = check_array(labels, name="labels", shape=(X.shape[1],), dtype=None,
                         layout="(N,) with N == X.shape[1]")
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels should be an integer array; got labels.dtype={labels.dtype}")
    lam = check_scalar(lam, name="lam", lo=0, lo_open=True)
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    c = check_int(n_classes, name="n_classes", lo=2)
    if labels.size and (labels.min() < 0 or labels.max() >= c):
        raise ValueError(f"labels should lie in 0..{c - 1}; got values in {labels.min()}..{labels.max()}")
    # YOUR CODE HERE
    raise NotImplementedError()


def _check_logistic_data(X, t, weights):
    """Validate (X, t, weights) of the binary problem; weights default to ones."""
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    N = X.shape[1]
    t = check_array(t, name="t", shape=(N,), layout="(N,) with N == X.shape[1]")
    if np.any((t < 0) | (t > 1)):
        raise ValueError(f"t should lie in [0, 1]; got values in [{t.min()!r}, {t.max()!r}]")
    if weights is None:
        w = np.ones(N)
    else:
        w = check_array(weights, name="weights", shape=(N,), layout="(N,) with N == X.shape[1]")
        if np.any(w < 0):
            raise ValueError(f"weights should be >= 0; got min(weights)={w.min()!r}")
    return X, t, w
