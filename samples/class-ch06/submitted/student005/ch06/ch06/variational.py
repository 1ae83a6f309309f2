"""Backpropagation as a sequence of local least-squares problems (§6.5, eqs 6.50–6.55).

One sample ``x`` of shape (d_0,), a ReLU network whose every layer (the output included) is
``o^(l) = ReLU(W^(l) o^(l−1) + b^(l))``, and cost ``c = ½‖y − o^(L)‖²``. Layers are numbered
1..L as in the book; ``params[l − 1] = (W^(l), b^(l))`` with ``W^(l)`` of shape (d_l, d_{l−1}).
ReLU′(0) := 0. With the activation pattern frozen, the network output is linear in ``W^(l)``:
a change ``ΔW`` moves the output by ``S ΔW o^(l−1)`` with the sensitivity matrix
``S = Λ^(L) W^(L) Λ^(L−1) ⋯ W^(l+1) Λ^(l)`` of shape (d_L, d_l), ``Λ^(k) = diag(ReLU′(g^(k)))``.
"""
from __future__ import annotations

import numpy as np

from ch06._validation import check_array, check_dim, check_int, check_scalar


def local_ls_update(delta, o_prev):
    """The minimum-norm weight change that cancels the error signal of one layer (6.55).

    Solves ``ΔW o = −δ`` with least Frobenius norm: ``ΔW = −δ oᵀ / ‖o‖²``.

    Parameters
    ----------
    delta : ndarray of shape (d_l,), float64
        The error signal ``δ^(l)`` of the layer.
    o_prev : ndarray of shape (d_{l−1},), float64
        The layer input ``o^(l−1)``; must be non-zero.

    Returns
    -------
    ndarray of shape (d_l, d_{l−1})

    Examples
    --------
    >>> local_ls_update(np.array([1., 2.]), np.array([0., 2., 0.]))
    array([[-0. , -0.5, -0. ],
           [-0. , -1. , -0. ]])
    """
    delta = check_array(delta, name="delta", ndim=1, layout="(d_l,)")
    o_prev = check_array(o_prev, name="o_prev", ndim=1, layout="(d_{l-1},)")
    if not np.any(o_prev):
        raise ValueError("o_prev should be non-zero: the update −δoᵀ/‖o‖² is undefined for o = 0")
    return -np.outer(delta, o_prev) / (o_prev @ o_prev)   # (d_l, d_{l−1})  −δ oᵀ / ‖o‖²   (6.55)


def sensitivity_M(params, x, l):
    """The sensitivity matrix ``M^(l) = S Sᵀ`` of layer l (6.50–6.51).

    Parameters
    ----------
    params : list of (W, b) pairs, length L
        ``W^(k)`` of shape (d_k, d_{k−1}), ``b^(k)`` of shape (d_k,).
    x : ndarray of shape (d_0,), float64
        One input sample.
    l : int in 1..L
        The layer (1-based, as in the book).

    Returns
    -------
    M : ndarray of shape (d_L, d_L)
        Symmetric positive semi-definite.

    Examples
    --------
    >>> I = np.eye(2); params = [(I, np.ones(2)), (2 * I, np.zeros(2))]
    >>> sensitivity_M(params, np.array([1., -3.]), 1)    # unit 2 of layer 1 is off
    array([[4., 0.],
           [0., 0.]])
    """
    layers, x = _check_net(params, x)
    l = check_int(l, name="l", lo=1, hi=len(layers))
    _, g = relu_forward(layers, x)
    S = np.diag(relu_prime(g[l - 1]))                    # (d_l, d_l)   Λ^(l)
    for k in range(l + 1, len(layers) + 1):
        W, _ = layers[k - 1]
        S = relu_prime(g[k - 1])[:, None] * (W @ S)      # (d_k, d_l)   Λ^(k) W^(k) S
    return S @ S.T                                        # (d_L, d_L)   M = S Sᵀ   (6.51)


def max_safe_step(params, x, l):
    """The largest step size that cannot increase the cost when only ``W^(l)`` moves (6.53).

    ``η_max = 2 / (‖o^(l−1)‖² λ_max(M^(l)))``, and ``inf`` when the denominator is 0.

    Parameters
    ----------
    params, x, l
        As in :func:`sensitivity_M`.

    Returns
    -------
    float

    Examples
    --------
    >>> I = np.eye(2); params = [(I, np.ones(2)), (2 * I, np.zeros(2))]
    >>> max_safe_step(params, np.array([1., -3.]), 1)    # 2 / (‖x‖² · 4)
    0.05
    """
    layers, x = _check_net(params, x)
    l = check_int(l, name="l", lo=1, hi=len(layers))
    o, _ = relu_forward(layers, x)
    lam_max = np.linalg.eigvalsh(sensitivity_M(params, x, l))[-1]   # largest eigenvalue
    denom = (o[l - 1] @ o[l - 1]) * lam_max
    return float(2.0 / denom) if denom > 0 else float("inf")


def bp_layer_step(params, x, y, l, eta):
    """One gradient step on ``W^(l)`` alone; report the cost before and after and whether the
    ReLU activation pattern changed.

    The step is ``W^(l) ← W^(l) − η δ^(l) o^(l−1)ᵀ`` (the biases and other layers stay fixed).

    Parameters
    ----------
    params, x, l
        As in :func:`sensitivity_M`.
    y : ndarray of shape (d_L,), float64
        The target.
    eta : float > 0
        Step size.

    Returns
    -------
    (loss_before, loss_after, pattern_changed) : (float, float, bool)
        ``pattern_changed`` is True iff the sign pattern ``g^(k) > 0`` of some layer k changed.

    Examples
    --------
    >>> I = np.eye(2); params = [(I, np.zeros(2))]
    >>> before, after, changed = bp_layer_step(params, np.array([1., 1.]), np.array([2., 1.]), 1, 0.1)
    >>> round(before, 12), round(after, 12), changed
    (0.5, 0.32, False)
    """
    layers, x = _check_net(params, x)
    y = check_array(y, name="y", shape=(layers[-1][0].shape[0],), layout="(d_L,)")
    l = check_int(l, name="l", lo=1, hi=len(layers))
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    o, g = relu_forward(layers, x)
    loss_before = 0.5 * float(np.sum((y - o[-1]) ** 2))
    delta = relu_prime(g[-1]) * (o[-1] - y)              # (d_L,)   δ^(L)
    for k in range(len(layers), l, -1):
        delta = relu_prime(g[k - 2]) * (layers[k - 1][0].T @ delta)   # (d_{k−1},)  δ^(k−1)
    W, b = layers[l - 1]
    stepped = list(layers)
    stepped[l - 1] = (W - eta * np.outer(delta, o[l - 1]), b)          # (d_l, d_{l−1})
    o_new, g_new = relu_forward(stepped, x)
    loss_after = 0.5 * float(np.sum((y - o_new[-1]) ** 2))
    changed = any(np.any((a > 0) != (c > 0)) for a, c in zip(g, g_new))
    return loss_before, loss_after, bool(changed)


def _check_net(params, x):
    """Validate a ReLU network and one input sample; return float64 layers and x."""
    x = check_array(x, name="x", ndim=1, layout="(d_0,)")
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise TypeError(f"params should be a non-empty list of (W, b) pairs; got {type(params).__name__}")
    layers, d_prev = [], x.size
    for k, pair in enumerate(params):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"params[{k}] should be a (W, b) pair; got {type(pair).__name__}")
        W = check_array(pair[0], name=f"params[{k}][0]", ndim=2, layout="(d_l, d_{l-1})")
        check_dim(W.shape[1], d_prev, what=f"params[{k}][0].shape[1] == d_{k}")
        b = check_array(pair[1], name=f"params[{k}][1]", shape=(W.shape[0],), layout="(d_l,)")
        layers.append((W, b))
        d_prev = W.shape[0]
    return layers, x


def relu_forward(layers, x):
    """The ReLU forward pass of one sample, keeping every layer.

    Parameters
    ----------
    layers : list of (W, b) pairs
        Validated layers, ``W^(l)`` of shape (d_l, d_{l−1}).
    x : ndarray of shape (d_0,)

    Returns
    -------
    (o, g) : lists
        ``o = [o^(0) = x, ..., o^(L)]`` and ``g = [g^(1), ..., g^(L)]``.

    Examples
    --------
    >>> o, g = relu_forward([(np.eye(2), np.array([0.0, -5.0]))], np.array([1.0, 2.0]))
    >>> o[-1], g[-1]
    (array([1., 0.]), array([ 1., -3.]))
    """
    o, g = [x], []
    for W, b in layers:
        g.append(W @ o[-1] + b)                           # (d_l,)
        o.append(np.maximum(g[-1], 0.0))                  # (d_l,)
    return o, g


def relu_prime(g):
    """ReLU′ at the pre-activations ``g``, as floats, with ReLU′(0) := 0.

    >>> relu_prime(np.array([-1.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    return (g > 0).astype(np.float64)
