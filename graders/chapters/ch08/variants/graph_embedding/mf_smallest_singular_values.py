"""mf_embedding keeps the d smallest singular values (svd's order taken as ascending)."""


def mf_embedding(A, d):
    left, sigma, right_t = np.linalg.svd(np.asarray(A, float))
    root = np.sqrt(sigma[-d:])
    return left[:, -d:] * root, right_t[-d:].T * root
