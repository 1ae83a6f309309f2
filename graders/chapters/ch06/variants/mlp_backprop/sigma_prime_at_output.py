"""σ′ evaluated at o = σ(g) instead of at g (invisible for ReLU, wrong for sigmoid and tanh)."""


def mlp_backward(params, cache, Y):
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    act = cache["act"]
    L = len(layers)
    grads = []
    delta = o[L] - Y
    if not cache["last_linear"]:
        delta = sigma_prime(o[L], act) * delta
    for l in range(L, 0, -1):
        W, _ = layers[l - 1]
        grads.append((delta @ o[l - 1].T, delta.sum(axis=1)))
        if l > 1:
            delta = sigma_prime(o[l - 1], act) * (W.T @ delta)
    return grads[::-1]
