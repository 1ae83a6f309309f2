"""The untied full-matrix gradient δxᵀ returned instead of the tied one (shape (d, d), not (p,))."""


def filter_grad(x, delta, p):
    return np.outer(np.asarray(delta, dtype=float), np.asarray(x, dtype=float))
