"""dW transposed: o^(l−1) δᵀ instead of δ o^(l−1)ᵀ (shape (d_{l−1}, d_l))."""


def mlp_backward(params, cache, Y):
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    act = cache["act"]
    L = len(layers)
    grads = []
    delta = o[L] - Y
    if not cache["last_linear"]:
        delta = sigma_prime(g[L - 1], act) * delta
    for l in range(L, 0, -1):
        W, _ = layers[l - 1]
        grads.append((o[l - 1] @ delta.T, delta.sum(axis=1)))
        if l > 1:
            delta = sigma_prime(g[l - 2], act) * (W.T @ delta)
    return grads[::-1]
