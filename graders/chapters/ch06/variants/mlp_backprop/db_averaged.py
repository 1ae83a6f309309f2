"""db averaged over the samples instead of summed (the cost is a sum over n)."""


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
        grads.append((delta @ o[l - 1].T, delta.mean(axis=1)))
        if l > 1:
            delta = sigma_prime(g[l - 2], act) * (W.T @ delta)
    return grads[::-1]
