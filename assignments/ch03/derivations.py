# ch03/derivations.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Chapter 3's closed forms as symbolic answers: the OLS and ridge estimators (§3.2–3.3) and the
gradient of the logistic loss (§3.4).

Every function returns a sympy expression written with the module-level symbols below (keep
their names: the grader reads your formula with exactly these names and nothing else). You may
also return the formula as a string, e.g. ``"(X*X.T)**(-1)*X*y"``: write products with ``*`` or
``@``, powers with ``**`` (not ``^``, which binds more loosely than ``*`` and ``/`` in Python),
the transpose as ``X.T``, the inverse as ``(...)**(-1)`` or ``Inverse(...)``, the identity as
``Identity(p)`` or ``Identity(N)``, and functions as ``exp``, ``log``, ``sqrt``.

The matrices have a fixed, non-square size in the book's column layout (eq 3.3): ``X`` is
``(p, N) = (3, 5)``, one sample per column, and ``y`` is ``(N, 1)``, so that ``XXᵀ`` is p×p and
``XᵀX`` is N×N. The logistic model of one sample is ``q = Sig(β0 + β1 x)`` with the loss
``ℓ = −t log q − (1 − t) log(1 − q)`` (eq 3.10); :func:`sigmoid` builds ``Sig``.
"""
from __future__ import annotations

import sympy as sp

p, N = 3, 5                                    # X is (p, N): p regressors, N samples
X = sp.MatrixSymbol("X", p, N)                 # (p, N)   regressors, one sample per column
y = sp.MatrixSymbol("y", N, 1)                 # (N, 1)   responses
lam = sp.Symbol("lam", positive=True)          # λ > 0, the ridge parameter

z = sp.Symbol("z", real=True)                  # the argument of the sigmoid
x = sp.Symbol("x", real=True)                  # one scalar regressor
t = sp.Symbol("t", real=True)                  # its target, in [0, 1]
beta0 = sp.Symbol("beta0", real=True)          # intercept β0
beta1 = sp.Symbol("beta1", real=True)          # slope β1


def sigmoid(u):
    """The logistic sigmoid ``Sig(u) = 1/(1 + e^{−u})`` (eq 3.10), as a sympy expression.

    Examples
    --------
    >>> sigmoid(z)
    1/(1 + exp(-z))
    """
    return 1 / (1 + sp.exp(-u))


def ols_estimator():
    """The ordinary least-squares estimator ``β̂ = (XXᵀ)⁻¹Xy`` (eq 3.7).

    Variables: ``X`` (p, N) = (3, 5) of full row rank, ``y`` (N, 1).

    Returns
    -------
    sympy matrix expression of shape (p, 1)

    Examples
    --------
    >>> ols_estimator().shape
    (3, 1)
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def ridge_primal():
    """The ridge estimator in primal form, ``β̂ = (XXᵀ + λI_p)⁻¹Xy`` (eq 3.14).

    The minimizer of ``‖y − Xᵀβ‖² + λ‖β‖²``. Variables: ``X`` (p, N) = (3, 5), ``y`` (N, 1),
    ``lam`` = λ > 0.

    Returns
    -------
    sympy matrix expression of shape (p, 1)

    Examples
    --------
    >>> ridge_primal().shape
    (3, 1)
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def ridge_dual():
    """The ridge estimator in dual form, ``β̂ = X(XᵀX + λI_N)⁻¹y`` (eq 3.16).

    Equal to :func:`ridge_primal` by the push-through identity; it inverts an N×N matrix
    instead of a p×p one. Variables: ``X`` (p, N) = (3, 5), ``y`` (N, 1), ``lam`` = λ > 0.

    Returns
    -------
    sympy matrix expression of shape (p, 1)

    Examples
    --------
    >>> ridge_dual().shape
    (3, 1)
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def sigmoid_derivative():
    """The derivative of the sigmoid, ``Sig′(z) = Sig(z)(1 − Sig(z))``, as a function of ``z``.

    Variables: ``z`` real.

    Returns
    -------
    sympy expression in z

    Examples
    --------
    >>> bool(sigmoid_derivative().subs(z, 0) == sp.Rational(1, 4))
    True
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def logistic_grad_beta0():
    """``∂ℓ/∂β0`` for one sample: ``Sig(β0 + β1 x) − t``.

    ``ℓ = −t log q − (1 − t) log(1 − q)`` with ``q = Sig(β0 + β1 x)`` (eq 3.10). Variables:
    ``beta0``, ``beta1``, ``x`` real, ``t`` in [0, 1].

    Returns
    -------
    sympy expression in beta0, beta1, x, t

    Examples
    --------
    >>> logistic_grad_beta0().subs({beta0: 0, beta1: 0, t: 1})
    -1/2
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def logistic_grad_beta1():
    """``∂ℓ/∂β1`` for one sample: ``(Sig(β0 + β1 x) − t) x``.

    Together with :func:`logistic_grad_beta0` this is the 2-vector ``∇_β ℓ = (q − t) x̃`` with
    ``x̃ = (1, x)``. Variables: ``beta0``, ``beta1``, ``x`` real, ``t`` in [0, 1].

    Returns
    -------
    sympy expression in beta0, beta1, x, t

    Examples
    --------
    >>> logistic_grad_beta1().subs({beta0: 0, beta1: 0, t: 0, x: 2})
    1
    """
    # YOUR CODE HERE
    raise NotImplementedError()
