"""First-order optimizers of §6.3: momentum (6.20–6.21), Adam, and the minibatch gradient (6.19).

All arrays are float64 numpy vectors of the same shape ``(p,)`` (any shape works elementwise).
"""
from __future__ import annotations

import numpy as np

from ch06._validation import check_array, check_int, check_scalar


def momentum_step(theta, V, grad, eta, beta):
    """One heavy-ball step in the book's form (6.21): ``V ← βV − η∇c``, ``θ ← θ + V``.

    Parameters
    ----------
    theta, V, grad : ndarray of shape (p,), float64
        Parameters, velocity and the gradient ``∇c(θ)`` at the current parameters.
    eta : float > 0
        Learning rate η.
    beta : float in [0, 1)
        Momentum coefficient β.

    Returns
    -------
    (theta, V) : tuple of ndarray of shape (p,)
        The new parameters and velocity (new arrays; the inputs are not modified).

    Examples
    --------
    >>> momentum_step(np.zeros(2), np.ones(2), np.array([1., 2.]), eta=0.1, beta=0.5)
    (array([0.4, 0.3]), array([0.4, 0.3]))
    """
    theta = check_array(theta, name="theta")
    V = check_array(V, name="V", shape=theta.shape)
    grad = check_array(grad, name="grad", shape=theta.shape)
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    beta = check_scalar(beta, name="beta", lo=0, hi=1, hi_open=True)
    V = beta * V - eta * grad                             # (p,)  V ← βV − η∇c   (6.21)
    theta = theta + V                                     # (p,)  θ ← θ + V
    return theta, V


def momentum_unrolled(grads, eta, beta):
    """The velocity after t momentum steps from ``V = 0``, in closed form (6.20).

    ``V^(t) = −η Σ_{k=1}^{t} β^{t−k} ∇c_k`` where ``∇c_k = grads[k − 1]``.

    Parameters
    ----------
    grads : ndarray of shape (t, p), float64
        The gradients of steps 1..t, one per row.
    eta : float > 0
    beta : float in [0, 1)

    Returns
    -------
    V : ndarray of shape (p,)

    Examples
    --------
    >>> momentum_unrolled(np.array([[1.], [1.]]), eta=1.0, beta=0.5)
    array([-1.5])
    """
    grads = check_array(grads, name="grads", ndim=2, layout="(t, p)")
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    beta = check_scalar(beta, name="beta", lo=0, hi=1, hi_open=True)
    t = grads.shape[0]
    weights = beta ** np.arange(t - 1, -1, -1, dtype=np.float64)   # (t,)  β^{t−k}, k = 1..t
    return -eta * (weights @ grads)                                # (p,)


def adam_step(theta, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    """One Adam step (Kingma & Ba 2015) with bias correction; ε is added outside the square root.

    ``m ← β₁m + (1−β₁)g``, ``v ← β₂v + (1−β₂)g²``, ``m̂ = m/(1−β₁ᵗ)``, ``v̂ = v/(1−β₂ᵗ)``,
    ``θ ← θ − lr·m̂/(√v̂ + ε)``.

    Parameters
    ----------
    theta, m, v, grad : ndarray of shape (p,), float64
        Parameters, first and second moment estimates, and the gradient.
    t : int >= 1
        The step number (1 for the first step), used for bias correction.
    lr : float > 0
    b1, b2 : float in [0, 1)
    eps : float > 0

    Returns
    -------
    (theta, m, v) : tuple of ndarray of shape (p,)

    Examples
    --------
    >>> theta, m, v = adam_step(np.zeros(2), np.zeros(2), np.zeros(2), np.array([2., -3.]), t=1, lr=0.1)
    >>> np.round(theta, 6)   # the first step has length lr in every coordinate
    array([-0.1,  0.1])
    """
    theta = check_array(theta, name="theta")
    m = check_array(m, name="m", shape=theta.shape)
    v = check_array(v, name="v", shape=theta.shape)
    grad = check_array(grad, name="grad", shape=theta.shape)
    t = check_int(t, name="t", lo=1)
    lr = check_scalar(lr, name="lr", lo=0, lo_open=True)
    b1 = check_scalar(b1, name="b1", lo=0, hi=1, hi_open=True)
    b2 = check_scalar(b2, name="b2", lo=0, hi=1, hi_open=True)
    eps = check_scalar(eps, name="eps", lo=0, lo_open=True)
    m = b1 * m + (1.0 - b1) * grad                        # (p,)  first moment
    v = b2 * v + (1.0 - b2) * grad**2                     # (p,)  second moment
    m_hat = m / (1.0 - b1**t)                             # (p,)  bias corrections
    v_hat = v / (1.0 - b2**t)                             # (p,)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)   # (p,)  ε outside the root
    return theta, m, v


def minibatch_grad(per_sample_grads, idx):
    """The minibatch estimate of the full gradient ``Σ_i ∇ℓ_i`` (6.19): ``(N/|I|) Σ_{i∈I} ∇ℓ_i``.

    Parameters
    ----------
    per_sample_grads : ndarray of shape (N, p), float64
        Row i is ``∇ℓ_i``, the gradient of sample i's loss.
    idx : sequence of int, length |I| >= 1
        The minibatch I (indices into the rows; repeats count as often as they appear).

    Returns
    -------
    ndarray of shape (p,)
        An unbiased estimate of ``per_sample_grads.sum(axis=0)`` when I is drawn uniformly.

    Examples
    --------
    >>> minibatch_grad(np.array([[1., 0.], [3., 2.], [5., 4.]]), [0, 2])
    array([9., 6.])
    """
    G = check_array(per_sample_grads, name="per_sample_grads", ndim=2, layout="(N, p)")
    idx = check_array(idx, name="idx", ndim=1, dtype=None)
    if idx.size == 0 or idx.dtype.kind not in "iu":
        raise ValueError(f"idx should be a non-empty sequence of integer indices; got {idx.tolist()!r}")
    if idx.min() < 0 or idx.max() >= G.shape[0]:
        raise ValueError(f"idx should index rows 0..{G.shape[0] - 1}; got {idx.tolist()!r}")
    N = G.shape[0]
    return (N / idx.size) * G[idx].sum(axis=0)            # (p,)  (N/|I|) Σ_{i∈I} ∇ℓ_i   (6.19)
