"""grad_quadratic returns 2Bx, right only for a symmetric B."""


def grad_quadratic(B, x):
    return 2.0 * np.asarray(B, dtype=float) @ np.asarray(x, dtype=float)
