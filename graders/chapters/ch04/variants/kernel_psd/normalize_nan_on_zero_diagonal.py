"""Normalized kernel with no guard for K_ii = 0: 0/0 gives NaN in that row and column."""


def normalize_kernel(K):
    K = np.asarray(K, dtype=float)
    d = np.sqrt(np.diag(K))
    with np.errstate(divide="ignore", invalid="ignore"):
        return K / np.outer(d, d)
