"""∂log|det X|/∂X written as X⁻¹ instead of X⁻ᵀ (the same only for symmetric X)."""


def grad_logdet():
    return X.inverse()
