"""Elementwise exponential np.exp(−Kt) @ e0 instead of the matrix exponential."""


def predicted_error(e0, K, t):
    return np.exp(-K * t) @ e0
