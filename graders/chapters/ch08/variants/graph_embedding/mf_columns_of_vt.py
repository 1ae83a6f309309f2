"""mf_embedding takes the first d columns of Vᵀ (not of V) as the right factor."""


def mf_embedding(A, d):
    left, sigma, right_t = np.linalg.svd(np.asarray(A, float))
    root = np.sqrt(sigma[:d])
    return left[:, :d] * root, right_t[:, :d] * root
