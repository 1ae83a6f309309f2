# ch01/calculus.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Matrix calculus in denominator layout (§1.5.2): central differences and the closed forms of Lemma 1.7.

Denominator layout: the gradient of a scalar with respect to a matrix ``X`` has the shape of ``X``,
and the Jacobian of ``F: Rⁿ → Rᵐ`` is the ``n × m`` matrix ``J[i, j] = ∂F_j/∂x_i`` (the transpose of
the numerator-layout Jacobian), so that the chain rule reads ``∂c/∂x = (∂u/∂x)(∂g/∂u)(∂c/∂g)``.
All finite differences are central: ``(f(x + h e_i) − f(x − h e_i)) / (2h)``, exact for quadratics
up to rounding, with an O(h²) error otherwise.
"""
from __future__ import annotations

import numpy as np

from ch01._validation import check_array, check_dim, check_scalar


def num_grad(f, X, h=1e-6):
    """Central-difference gradient of a scalar function of an array, in denominator layout.

    Parameters
    ----------
    f : callable
        ``f(X) -> float``: maps an array of the shape of ``X`` to a scalar (a Python float, a numpy
        scalar or an array of size 1). It is called on perturbed copies, never on ``X`` itself.
    X : ndarray of any shape (a scalar, a vector ``(n,)`` or a matrix ``(m, n)``), float64
        The point at which to differentiate.
    h : float > 0, default 1e-6
        The step: entry ``i`` is moved to ``X_i ± h``.

    Returns
    -------
    ndarray of the shape of X, float64
        ``G[i] = (f(X + h e_i) − f(X − h e_i)) / ((X_i + h) − (X_i − h))`` for every entry ``i``
        (the denominator is the step actually taken, which is ``2h`` up to rounding).

    Examples
    --------
    >>> G = num_grad(lambda X: float(np.sum(X ** 2)), np.array([[1., 2., 3.], [4., 5., 6.]]))
    >>> G.shape, np.allclose(G, [[2., 4., 6.], [8., 10., 12.]])
    ((2, 3), True)
    """
    if not callable(f):
        raise TypeError(f"f should be a callable X -> float; got f={f!r} (type={type(f).__name__})")
    X = check_array(X, name="X")
    h = check_scalar(h, name="h", lo=0, lo_open=True)
    # YOUR CODE HERE
    raise NotImplementedError()


def num_jacobian(F, x, h=1e-6):
    """Central-difference Jacobian of ``F: Rⁿ → Rᵐ`` in denominator layout: ``J[i, j] = ∂F_j/∂x_i``.

    Parameters
    ----------
    F : callable
        ``F(x) -> ndarray of shape (m,)``; a scalar output counts as ``m = 1``. Called on perturbed
        copies of ``x``.
    x : ndarray of shape (n,), float64
    h : float > 0, default 1e-6

    Returns
    -------
    J : ndarray of shape (n, m), float64
        Row ``i`` is ``(F(x + h e_i) − F(x − h e_i)) / (2h)``. For ``F(x) = A x`` with ``A`` of
        shape (m, n) this is ``Aᵀ``, not ``A`` (denominator layout, §1.5.2).

    Examples
    --------
    >>> A = np.array([[1., 2., 3.], [4., 5., 6.]])
    >>> J = num_jacobian(lambda x: A @ x, np.ones(3))
    >>> J.shape, np.allclose(J, A.T)
    ((3, 2), True)
    """
    if not callable(F):
        raise TypeError(f"F should be a callable x -> (m,) array; got F={F!r} (type={type(F).__name__})")
    x = check_array(x, name="x", ndim=1, layout="(n,)")
    h = check_scalar(h, name="h", lo=0, lo_open=True)
    # YOUR CODE HERE
    raise NotImplementedError()


def grad_quadratic(B, x):
    """Gradient of ``xᵀBx`` with respect to ``x`` (Lemma 1.7): ``(B + Bᵀ) x``.

    Parameters
    ----------
    B : ndarray of shape (n, n), float64
        Any square matrix; it need not be symmetric (then the answer is not ``2Bx``).
    x : ndarray of shape (n,), float64

    Returns
    -------
    ndarray of shape (n,), float64

    Examples
    --------
    >>> grad_quadratic(np.array([[1., 2.], [0., 1.]]), np.array([1., 1.]))
    array([4., 4.])
    """
    B = check_array(B, name="B", ndim=2, layout="(n, n)")
    check_dim(B.shape[0], B.shape[1], what="B.shape[0] == B.shape[1] (B square)")
    x = check_array(x, name="x", shape=(B.shape[0],), layout="(n,) with n == B.shape[0]")
    # YOUR CODE HERE
    raise NotImplementedError()


def grad_trace_AXB(A, B):
    """Gradient of ``tr(A X B)`` with respect to ``X`` (Lemma 1.7): ``Aᵀ Bᵀ``, of the shape of ``X``.

    ``X`` has shape (m, n), so ``A X B`` is square when ``A`` is (p, m) and ``B`` is (n, p). The
    gradient does not depend on ``X``, which is therefore not an argument.

    Parameters
    ----------
    A : ndarray of shape (p, m), float64
    B : ndarray of shape (n, p), float64

    Returns
    -------
    ndarray of shape (m, n), float64
        ``∂ tr(AXB)/∂X = AᵀBᵀ`` (denominator layout: the shape of ``X``).

    Examples
    --------
    >>> grad_trace_AXB(np.array([[1., 2., 3.]]), np.array([[1.], [2.]]))
    array([[1., 2.],
           [2., 4.],
           [3., 6.]])
    """
    A = check_array(A, name="A", ndim=2, layout="(p, m)")
    B = check_array(B, name="B", ndim=2, layout="(n, p)")
    check_dim(B.shape[1], A.shape[0], what="B.shape[1] == A.shape[0] (A X B must be square)")
    # YOUR CODE HERE
    raise NotImplementedError()


def grad_logdet(X):
    """Gradient of ``log|det X|`` with respect to ``X`` (Lemma 1.7): ``X⁻ᵀ``.

    For ``det X > 0`` this is the gradient of ``log det X``; the same formula holds for
    ``log|det X|`` on any nonsingular ``X``.

    Parameters
    ----------
    X : ndarray of shape (n, n), float64
        Nonsingular (a ``ValueError`` is raised for a numerically singular ``X``).

    Returns
    -------
    ndarray of shape (n, n), float64
        ``(X⁻¹)ᵀ``.

    Examples
    --------
    >>> grad_logdet(np.array([[2., 1.], [0., 4.]]))
    array([[ 0.5  ,  0.   ],
           [-0.125,  0.25 ]])
    """
    X = check_array(X, name="X", ndim=2, layout="(n, n)")
    check_dim(X.shape[0], X.shape[1], what="X.shape[0] == X.shape[1] (X square)")
    if X.size == 0 or np.linalg.cond(X) > 1.0 / np.finfo(np.float64).eps:
        raise ValueError(f"X should be nonsingular; got a numerically singular X of shape {X.shape}")
    # YOUR CODE HERE
    raise NotImplementedError()


def _scalar(value):
    """``f``'s output as a float; refuses arrays of more than one entry."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"f should return a scalar; got an array of shape {arr.shape}")
    return float(arr.reshape(()))
