"""mlp_backward writes ReLU′ inline as (g >= 0), so ReLU′(0) = 1 where the docstring pins 0 (sigma_prime itself is right)."""


def mlp_backward(params, cache, Y):
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    act = cache["act"]

    def derivative(pre):
        return (pre >= 0).astype(np.float64) if act == "relu" else sigma_prime(pre, act)

    L = len(layers)
    grads = []
    delta = o[L] - Y
    if not cache["last_linear"]:
        delta = derivative(g[L - 1]) * delta
    for l in range(L, 0, -1):
        W, _ = layers[l - 1]
        grads.append((delta @ o[l - 1].T, delta.sum(axis=1)))
        if l > 1:
            delta = derivative(g[l - 2]) * (W.T @ delta)
    return grads[::-1]
