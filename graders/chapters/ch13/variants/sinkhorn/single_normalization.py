"""Single normalization: the rows are scaled to a once (u = a/(K 1)), the columns never."""


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    K = np.exp(-np.asarray(M, dtype=float) / reg)
    u, v = a / K.sum(axis=1), np.ones(len(b))
    return u[:, None] * K * v[None, :], u, v
