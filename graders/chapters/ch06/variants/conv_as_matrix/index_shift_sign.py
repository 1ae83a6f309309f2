"""Tied gradient with the index shift of the wrong sign: Σ_i δ[i] x[i + k]."""


def filter_grad(x, delta, p):
    x, delta = np.asarray(x, dtype=float), np.asarray(delta, dtype=float)
    d = x.size
    grad = np.zeros(p)
    for k in range(min(p, d)):
        grad[k] = delta[: d - k] @ x[k:]
    return grad
