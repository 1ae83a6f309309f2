"""Normalized kernel divided by k(x, x) only: K_ij / K_ii (not symmetric, though its diagonal is 1)."""


def normalize_kernel(K):
    K = np.asarray(K, dtype=float)
    d = np.diag(K)
    inv = np.divide(1.0, d, out=np.zeros_like(d), where=d > 0)
    return inv[:, None] * K
