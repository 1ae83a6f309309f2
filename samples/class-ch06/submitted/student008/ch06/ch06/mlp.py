"""Multilayer perceptron: forward pass and backpropagation, in the book's column convention (ch. 6).

Notation follows §6.4: samples are columns, ``X`` has shape ``(d_0, N)``; layer ``l`` computes the
pre-activation ``g^(l) = W^(l) o^(l-1) + b^(l) 1ᵀ`` and the output ``o^(l) = σ(g^(l))``, with σ
applied at the output layer too (eq 6.13) unless ``last_linear=True``. The cost is
``c = Σ_n ½‖y_n − o_n^(L)‖²`` (a sum over samples, not a mean). Gradients are in denominator
layout: ``∂c/∂W`` has the shape of ``W``. numpy only.
"""
from __future__ import annotations

import numpy as np

from ch06._validation import check_array, check_choice, check_dim

ACTIVATIONS = ("relu", "sigmoid", "tanh")


def mlp_forward(params, X, act="relu", last_linear=False):
    """Forward pass of an L-layer perceptron, keeping what backpropagation needs.

    Parameters
    ----------
    params : list of (W, b) pairs, length L
        ``W^(l)`` : ndarray of shape (d_l, d_{l-1}), float64; ``b^(l)`` : ndarray of shape (d_l,).
    X : ndarray of shape (d_0, N), float64
        Inputs, one sample per column (book eq 6.7).
    act : {'relu', 'sigmoid', 'tanh'}, default 'relu'
        The activation σ of every layer.
    last_linear : bool, default False
        If True the output layer is linear, ``o^(L) = g^(L)``; by default σ is applied there too.

    Returns
    -------
    cache : dict
        ``"o"``: list of L+1 arrays ``[o^(0) = X, o^(1), ..., o^(L)]``, ``o^(l)`` of shape (d_l, N);
        ``"g"``: list of L pre-activations ``[g^(1), ..., g^(L)]``, each of shape (d_l, N);
        ``"act"``: the activation name; ``"last_linear"``: the flag. The network output is
        ``cache["o"][-1]``. Use :func:`sigma` and :func:`sigma_prime` (also to be written).

    Examples
    --------
    >>> W = np.array([[1., -1.], [0., 1.]]); b = np.array([1., 0.])
    >>> cache = mlp_forward([(W, b), (W, b)], np.array([[1.], [-1.]]))
    >>> cache["o"][-1].ravel().tolist()   # book ex 6.4, first forward pass
    [4.0, 0.0]
    """
    X = check_array(X, name="X", ndim=2, layout="(d_0, N)")
    act = check_choice(act, name="act", choices=ACTIVATIONS)
    layers = _check_params(params, d0=X.shape[0])
    o, g = [X], []
    for l, (W, b) in enumerate(layers, start=1):
        g_l = W @ o[-1] + b[:, None]                      # (d_l, N)   g = W o + b 1ᵀ  (6.12)
        linear = last_linear and l == len(layers)
        g.append(g_l)
        o.append(g_l.copy() if linear else sigma(g_l, act))  # (d_l, N)  o = σ(g)       (6.13)
    return {"o": o, "g": g, "act": act, "last_linear": bool(last_linear)}


def mlp_backward(params, cache, Y):
    """Backpropagation of ``c = Σ_n ½‖y_n − o_n^(L)‖²`` through the network of ``mlp_forward``.

    Parameters
    ----------
    params : list of (W, b) pairs, length L
        As in :func:`mlp_forward`.
    cache : dict
        What :func:`mlp_forward` returned for these ``params``.
    Y : ndarray of shape (d_L, N), float64
        Targets, one per column.

    Returns
    -------
    grads : list of (dW, db) pairs, length L
        ``dW^(l) = ∂c/∂W^(l)`` of shape (d_l, d_{l-1}) and ``db^(l) = ∂c/∂b^(l)`` of shape (d_l,).
        ReLU′(0) is taken to be 0.

    Examples
    --------
    >>> W = np.array([[1., -1.], [0., 1.]]); b = np.array([1., 0.])
    >>> params = [(W, b), (W, b)]
    >>> cache = mlp_forward(params, np.array([[1.], [-1.]]))
    >>> (dW1, db1), (dW2, db2) = mlp_backward(params, cache, np.array([[1.], [0.]]))
    >>> dW1.tolist(), dW2.tolist()   # book ex 6.4
    ([[3.0, -3.0], [0.0, 0.0]], [[9.0, 0.0], [0.0, 0.0]])
    """
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    check_dim(len(g), len(layers), what="len(cache['g']) == len(params)")
    Y = check_array(Y, name="Y", ndim=2, shape=o[-1].shape, layout="(d_L, N)")
    act = cache["act"]
    L = len(layers)
    grads = []
    delta = o[L] - Y                                      # (d_L, N)   ∂c/∂o^(L)
    if not cache["last_linear"]:
        delta = sigma_prime(g[L - 1], act) * delta        # (d_L, N)   δ^(L) = Λ^(L)(o − y)
    for l in range(L, 0, -1):
        W, _ = layers[l - 1]
        dW = delta @ o[l - 1].T                           # (d_l, d_{l-1})  Σ_n δ_n o_nᵀ  (6.37)
        db = delta.sum(axis=1)                            # (d_l,)          Σ_n δ_n       (ex 6.3a)
        grads.append((dW, db))
        if l > 1:
            delta = sigma_prime(g[l - 2], act) * (W.T @ delta)  # (d_{l-1}, N)  δ = Λ Wᵀ δ  (6.40)
    return grads[::-1]


def _check_params(params, d0=None):
    """Validate a list of (W, b) pairs with chained shapes; return it as a list of float64 arrays."""
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise TypeError(f"params should be a non-empty list of (W, b) pairs; got {type(params).__name__}")
    layers = []
    for l, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"params[{l - 1}] should be a (W, b) pair; got {type(pair).__name__}")
        W = check_array(pair[0], name=f"params[{l - 1}][0]", ndim=2, layout="(d_l, d_{l-1})")
        b = check_array(pair[1], name=f"params[{l - 1}][1]", shape=(W.shape[0],), layout="(d_l,)")
        if d0 is not None:
            check_dim(W.shape[1], d0, what=f"params[{l - 1}][0].shape[1] == input dimension")
        d0 = W.shape[0]
        layers.append((W, b))
    return layers


def sigma(g, act):
    """The activation σ applied elementwise.

    Parameters
    ----------
    g : ndarray, float64
        Pre-activations, any shape.
    act : {'relu', 'sigmoid', 'tanh'}
        ReLU ``max(g, 0)``, the logistic sigmoid ``1/(1 + e^{−g})`` or ``tanh``.

    Returns
    -------
    ndarray of the shape of ``g``

    Examples
    --------
    >>> sigma(np.array([-1.0, 0.0, 2.0]), "relu")
    array([0., 0., 2.])
    """
    if act == "relu":
        return np.maximum(g, 0.0)
    if act == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * g))             # overflow-free form of 1/(1+e^{-g})
    return np.tanh(g)


def sigma_prime(g, act):
    """The derivative σ′ evaluated at the pre-activations ``g`` (not at σ(g)); ReLU′(0) := 0.

    Parameters
    ----------
    g : ndarray, float64
    act : {'relu', 'sigmoid', 'tanh'}

    Returns
    -------
    ndarray of the shape of ``g``

    Examples
    --------
    >>> sigma_prime(np.array([-1.0, 0.0, 2.0]), "relu")
    array([0., 0., 1.])
    >>> sigma_prime(np.array([0.0]), "sigmoid")
    array([0.25])
    """
    if act == "relu":
        return (g > 0).astype(np.float64)
    if act == "sigmoid":
        s = 0.5 * (1.0 + np.tanh(0.5 * g))
        return s * (1.0 - s)
    return 1.0 - np.tanh(g) ** 2


# ---- wrong variant no_output_lambda: No Λ at the output: δ^(L) = o − y even though σ is applied at the output layer (6.13).
"""No Λ at the output: δ^(L) = o − y even though σ is applied at the output layer (6.13)."""


def mlp_backward(params, cache, Y):
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    act = cache["act"]
    L = len(layers)
    grads = []
    delta = o[L] - Y
    for l in range(L, 0, -1):
        W, _ = layers[l - 1]
        grads.append((delta @ o[l - 1].T, delta.sum(axis=1)))
        if l > 1:
            delta = sigma_prime(g[l - 2], act) * (W.T @ delta)
    return grads[::-1]
