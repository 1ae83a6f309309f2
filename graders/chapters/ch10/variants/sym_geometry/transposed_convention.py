"""The transposed (column-input) convention: A = W0ᵀ D0 W1ᵀ D1, of shape (2, 3)."""


def local_slope():
    return W0.T * D0 * W1.T * D1
