"""Sensitivity matrix with the product in the wrong order: SᵀS (d_l × d_l) instead of SSᵀ."""


def sensitivity_M(params, x, l):
    layers, x = _check_net(params, x)
    _, g = relu_forward(layers, x)
    S = np.diag(relu_prime(g[l - 1]))
    for k in range(l + 1, len(layers) + 1):
        W, _ = layers[k - 1]
        S = relu_prime(g[k - 1])[:, None] * (W @ S)
    return S.T @ S
