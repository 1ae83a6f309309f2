"""Bias folded into [W | b], logistic as exp(−softplus(−g)), backpropagation one sample at a time.

Bias folded into an augmented weight [W | b] acting on [o; 1], the logistic as exp(−log(1 + e^{−g})), ReLU′ by
np.heaviside(g, 0), and backpropagation one sample at a time, accumulating outer products."""


def sigma(g, act):
    if act == "relu":
        return np.maximum(g, 0)
    if act == "sigmoid":
        return np.exp(-np.logaddexp(0.0, -g))
    return np.tanh(g)


def sigma_prime(g, act):
    if act == "relu":
        return np.heaviside(g, 0.0)
    if act == "sigmoid":
        return np.exp(-np.logaddexp(0.0, -g) - np.logaddexp(0.0, g))   # σ(g)σ(−g)
    t = np.tanh(g)
    return (1.0 - t) * (1.0 + t)


def mlp_forward(params, X, act="relu", last_linear=False):
    X = check_array(X, name="X", ndim=2, layout="(d_0, N)")
    act = check_choice(act, name="act", choices=ACTIVATIONS)
    layers = _check_params(params, d0=X.shape[0])
    N = X.shape[1]
    cache = {"o": [X], "g": [], "act": act, "last_linear": bool(last_linear)}
    for index, (W, b) in enumerate(layers):
        Wb = np.hstack([W, b[:, None]])
        g_l = Wb @ np.vstack([cache["o"][-1], np.ones((1, N))])
        cache["g"].append(g_l)
        linear = last_linear and index == len(layers) - 1
        cache["o"].append(g_l + 0.0 if linear else sigma(g_l, act))
    return cache


def mlp_backward(params, cache, Y):
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    check_dim(len(g), len(layers), what="len(cache['g']) == len(params)")
    Y = check_array(Y, name="Y", ndim=2, shape=o[-1].shape, layout="(d_L, N)")
    act, L, N = cache["act"], len(layers), Y.shape[1]
    dWs = [np.zeros_like(W) for W, _ in layers]
    dbs = [np.zeros_like(b) for _, b in layers]
    for n in range(N):
        delta = o[L][:, n] - Y[:, n]
        if not cache["last_linear"]:
            delta = sigma_prime(g[L - 1][:, n], act) * delta
        for l in range(L, 0, -1):
            dWs[l - 1] += np.outer(delta, o[l - 1][:, n])
            dbs[l - 1] += delta
            if l > 1:
                delta = sigma_prime(g[l - 2][:, n], act) * (layers[l - 1][0].T @ delta)
    return list(zip(dWs, dbs))
