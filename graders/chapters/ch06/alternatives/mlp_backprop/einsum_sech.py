"""Layers by einsum, a piecewise-stable logistic, tanh′ as sech², backpropagation by einsum.

Layers by einsum, a piecewise-stable logistic 1/(1 + e^{−g}) | e^{g}/(1 + e^{g}), tanh′ as sech² = 1/cosh²,
and backpropagation by einsum over samples."""


def sigma(g, act):
    if act == "relu":
        return np.where(g > 0, g, 0.0)
    if act == "sigmoid":
        e = np.exp(-np.abs(g))                            # ≤ 1: no overflow
        return np.where(g >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return np.tanh(g)


def sigma_prime(g, act):
    if act == "relu":
        return np.where(g > 0, 1.0, 0.0)
    if act == "sigmoid":
        e = np.exp(-np.abs(g))
        return e / (1.0 + e) ** 2                          # σ(1 − σ), symmetric in g
    with np.errstate(over="ignore"):
        return 1.0 / np.cosh(g) ** 2


def mlp_forward(params, X, act="relu", last_linear=False):
    X = check_array(X, name="X", ndim=2, layout="(d_0, N)")
    act = check_choice(act, name="act", choices=ACTIVATIONS)
    layers = _check_params(params, d0=X.shape[0])
    outputs, pre = [X], []
    for index, (W, b) in enumerate(layers):
        g_l = np.einsum("ij,jn->in", W, outputs[-1]) + b[:, None]
        pre.append(g_l)
        outputs.append(np.array(g_l) if last_linear and index == len(layers) - 1 else sigma(g_l, act))
    return {"o": outputs, "g": pre, "act": act, "last_linear": bool(last_linear)}


def mlp_backward(params, cache, Y):
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    check_dim(len(g), len(layers), what="len(cache['g']) == len(params)")
    Y = check_array(Y, name="Y", ndim=2, shape=o[-1].shape, layout="(d_L, N)")
    act = cache["act"]
    grads = [None] * len(layers)
    delta = o[-1] - Y
    if not cache["last_linear"]:
        delta = delta * sigma_prime(g[-1], act)
    for index in reversed(range(len(layers))):
        grads[index] = (np.einsum("in,jn->ij", delta, o[index]), np.einsum("in->i", delta))
        if index > 0:
            delta = np.einsum("ij,in->jn", layers[index][0], delta) * sigma_prime(g[index - 1], act)
    return grads
