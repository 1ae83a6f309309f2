"""The neural tangent kernel of a linear model and its training dynamics (chapter 11, §11.3).

Least squares on N samples (rows of X, row convention), ℓ(θ) = ½‖Xθ − y‖², trained by
gradient flow:

    θ̇ = −∇ℓ(θ) = −Xᵀ(Xθ − y)                                       (11.20)

The residual e = Xθ − y then obeys a linear ODE whose matrix is the neural tangent kernel of
the model f(x) = xᵀθ, K = XXᵀ (N×N, one entry per pair of samples, not the p×p XᵀX):

    ė = Xθ̇ = −XXᵀe = −Ke,   so   e(t) = exp(−Kt) e(0)                (11.21)

V(e) = ½‖e‖² is a Lyapunov function: V̇ = eᵀė = −eᵀKe ≤ 0. If N ≤ p and X has full row rank, K
is positive definite and e → 0 (the model interpolates); if N > p, K is singular, and e tends to
the part of e(0) in the null space of K, the least-squares residual Xθ_LS − y.

:func:`gradient_flow_lsq` follows the flow with explicit Euler steps of size dt, which decrease
V at every step when dt < 2/λ_max(K). :func:`vdot` is the Lyapunov derivative of the book's
ex 11.3, for V(x, y) = x² + 2y² along ẋ = ay² − x, ẏ = −y − ax².

Examples
--------
>>> X = np.array([[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]])          # N = 2 samples, p = 3 features
>>> linear_ntk(X)
array([[2., 0.],
       [0., 4.]])
>>> thetas, errors = gradient_flow_lsq(X, np.array([1.0, -1.0]), np.zeros(3), 0.01, 2000)
>>> bool(lyapunov_V(errors[-1]) < 1e-12)                  # N <= p: the residual goes to 0
True
>>> np.allclose(errors[300], predicted_error(errors[0], linear_ntk(X), 3.0), atol=2e-3)
True
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int, check_scalar

__all__ = [
    "gradient_flow_lsq",
    "linear_ntk",
    "lyapunov_V",
    "predicted_error",
    "vdot",
]


def linear_ntk(X: np.ndarray) -> np.ndarray:
    """The neural tangent kernel K = XXᵀ of the linear model f(x) = xᵀθ (11.21).

    K_ij = ⟨∂f(x_i)/∂θ, ∂f(x_j)/∂θ⟩ = x_iᵀx_j: a Gram matrix of the samples.

    Parameters
    ----------
    X : ndarray of shape (N, p), float64
        The samples, one per row.

    Returns
    -------
    ndarray of shape (N, N), float64
        K = XXᵀ, symmetric positive semi-definite.

    Examples
    --------
    >>> linear_ntk(np.array([[1.0, 2.0, 0.0]]))
    array([[5.]])
    """
    X = check_array(X, name="X", ndim=2, layout="(N, p)")
    ### BEGIN SOLUTION
    return X @ X.T                                        # (N, N)   K = XXᵀ
    ### END SOLUTION


def gradient_flow_lsq(X: np.ndarray, y: np.ndarray, theta0: np.ndarray, dt: float,
                      T: int) -> tuple[np.ndarray, np.ndarray]:
    """Explicit Euler steps of the least-squares gradient flow θ̇ = −Xᵀ(Xθ − y) (11.20).

    θ_{k+1} = θ_k − dt · Xᵀ(Xθ_k − y), and e_k = Xθ_k − y (the residual, 11.21).

    Parameters
    ----------
    X : ndarray of shape (N, p), float64
        The samples, one per row.
    y : ndarray of shape (N,), float64
        The targets.
    theta0 : ndarray of shape (p,), float64
        The initial parameters.
    dt : float
        The Euler step, > 0; V decreases at every step when dt < 2/λ_max(XXᵀ).
    T : int
        The number of Euler steps, >= 0: the flow is followed up to time T·dt.

    Returns
    -------
    thetas : ndarray of shape (T + 1, p), float64
        θ_k at time k·dt, one per row; row 0 is theta0.
    errors : ndarray of shape (T + 1, N), float64
        e_k = Xθ_k − y, one per row.

    Examples
    --------
    >>> thetas, errors = gradient_flow_lsq(np.array([[2.0]]), np.array([2.0]), np.zeros(1), 0.125, 2)
    >>> thetas.ravel().tolist(), errors.ravel().tolist()      # e_{k+1} = (1 − dt·K) e_k = e_k / 2
    ([0.0, 0.5, 0.75], [-2.0, -1.0, -0.5])
    """
    X = check_array(X, name="X", ndim=2, layout="(N, p)")
    y = check_array(y, name="y", ndim=1, layout="(N,)")
    theta0 = check_array(theta0, name="theta0", ndim=1, layout="(p,)")
    check_dim(y.shape[0], X.shape[0], what="y.shape[0] == X.shape[0] (N)")
    check_dim(theta0.shape[0], X.shape[1], what="theta0.shape[0] == X.shape[1] (p)")
    dt = check_scalar(dt, name="dt", lo=0, lo_open=True)
    T = check_int(T, name="T", lo=0)
    ### BEGIN SOLUTION
    thetas = np.empty((T + 1, X.shape[1]))                # (T + 1, p)
    thetas[0] = theta0
    for k in range(T):
        e = X @ thetas[k] - y                             # (N,)   e = Xθ − y
        thetas[k + 1] = thetas[k] - dt * (X.T @ e)        # (p,)   θ ← θ − dt·Xᵀe   (11.20)
    errors = thetas @ X.T - y                             # (T + 1, N)
    return thetas, errors
    ### END SOLUTION


def lyapunov_V(e: np.ndarray) -> float:
    """The Lyapunov function V(e) = ½‖e‖² of the residual.

    Along the flow, V̇ = eᵀė = −eᵀKe ≤ 0.

    Parameters
    ----------
    e : ndarray of shape (N,), float64

    Returns
    -------
    float

    Examples
    --------
    >>> lyapunov_V(np.array([3.0, -4.0]))
    12.5
    """
    e = check_array(e, name="e", ndim=1, layout="(N,)")
    ### BEGIN SOLUTION
    return 0.5 * float(e @ e)                             # ½‖e‖²
    ### END SOLUTION


def predicted_error(e0: np.ndarray, K: np.ndarray, t: float) -> np.ndarray:
    """The exact residual of the gradient flow at time t: e(t) = exp(−Kt) e(0) (11.21).

    K is symmetric, so K = QΛQᵀ and exp(−Kt) = Q exp(−Λt) Qᵀ: each eigen-direction of the
    residual decays at its own rate e^{−λ_i t}; the directions with λ_i = 0 never decay.

    Parameters
    ----------
    e0 : ndarray of shape (N,), float64
        The initial residual e(0).
    K : ndarray of shape (N, N), float64
        The (symmetric positive semi-definite) neural tangent kernel.
    t : float
        The time, >= 0.

    Returns
    -------
    ndarray of shape (N,), float64
        exp(−Kt) e0.

    Examples
    --------
    >>> predicted_error(np.array([1.0, 1.0]), np.diag([1.0, 0.0]), 2.0)
    array([0.13533528, 1.        ])
    """
    e0 = check_array(e0, name="e0", ndim=1, layout="(N,)")
    K = check_array(K, name="K", shape=(e0.shape[0], e0.shape[0]), layout="(N, N)")
    if not np.allclose(K, K.T, rtol=1e-10, atol=1e-12 * max(1.0, float(np.max(np.abs(K), initial=0.0)))):
        raise ValueError("K should be symmetric (a neural tangent kernel); got K != K.T")
    t = check_scalar(t, name="t", lo=0)
    ### BEGIN SOLUTION
    lam, Q = np.linalg.eigh(K)                            # K = QΛQᵀ: (N,), (N, N)
    return Q @ (np.exp(-lam * t) * (Q.T @ e0))            # (N,)   Q e^{−Λt} Qᵀ e0   (11.21)
    ### END SOLUTION


def vdot(x: float | np.ndarray, y: float | np.ndarray, a: float) -> float | np.ndarray:
    """The Lyapunov derivative of ex 11.3: V̇ for V(x, y) = x² + 2y² along ẋ = ay² − x, ẏ = −y − ax².

    By the chain rule V̇ = (∂V/∂x)ẋ + (∂V/∂y)ẏ = 2x(ay² − x) + 4y(−y − ax²).

    Parameters
    ----------
    x, y : float or ndarray, float64
        The state; arrays of the same shape are evaluated elementwise.
    a : float
        The parameter of the system.

    Returns
    -------
    float or ndarray
        V̇ at (x, y): a float for scalar x and y, else an array of their shape.

    Examples
    --------
    >>> vdot(1.0, 1.0, 0.0), vdot(np.array([1.0, 0.5]), np.array([2.0, -1.0]), 1.0)
    (-6.0, array([-18. ,  -2.5]))
    """
    x = check_array(x, name="x")
    y = check_array(y, name="y", shape=x.shape)
    a = check_scalar(a, name="a")
    ### BEGIN SOLUTION
    out = 2 * x * (a * y**2 - x) + 4 * y * (-y - a * x**2)   # ∂V/∂x·ẋ + ∂V/∂y·ẏ
    return float(out) if out.ndim == 0 else out
    ### END SOLUTION
