"""grad_logdet returns X⁻¹ instead of X⁻ᵀ (the same only for symmetric X)."""


def grad_logdet(X):
    return np.linalg.inv(np.asarray(X, dtype=float))
