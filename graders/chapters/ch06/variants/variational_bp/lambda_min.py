"""Safe step from the smallest eigenvalue of M instead of the largest."""


def max_safe_step(params, x, l):
    layers, x = _check_net(params, x)
    o, _ = relu_forward(layers, x)
    lam = np.linalg.eigvalsh(sensitivity_M(params, x, l))
    positive = lam[lam > 1e-12]
    denom = (o[l - 1] @ o[l - 1]) * (positive[0] if positive.size else 0.0)
    return float(2.0 / denom) if denom > 0 else float("inf")
