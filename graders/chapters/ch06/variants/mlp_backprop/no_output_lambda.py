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
