"""The distance itself, √(K_ii + K_jj − 2K_ij), instead of its square (the book's ex 4.7 typo)."""


def kernel_dist2(K):
    K = _check_gram(K)
    d = np.diag(K)
    return np.sqrt(np.maximum(d[:, None] + d[None, :] - 2.0 * K, 0.0))
