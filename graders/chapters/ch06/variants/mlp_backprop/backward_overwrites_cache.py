"""mlp_backward computes o^(L) − y in place (delta = o[L]; delta -= Y), overwriting the cache's output."""


def mlp_backward(params, cache, Y):
    layers = _check_params(params)
    o, g = cache["o"], cache["g"]
    act = cache["act"]
    L = len(layers)
    grads = []
    delta = o[L]
    delta -= Y                                            # in place: cache["o"][-1] is now o − y
    if not cache["last_linear"]:
        delta = sigma_prime(g[L - 1], act) * delta
    for l in range(L, 0, -1):
        W, _ = layers[l - 1]
        grads.append((delta @ o[l - 1].T, delta.sum(axis=1)))
        if l > 1:
            delta = sigma_prime(g[l - 2], act) * (W.T @ delta)
    return grads[::-1]
