"""a and b swapped in the updates: u ← b/(K v), v ← a/(Kᵀ u)."""


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return _sinkhorn_scaling(b, a, np.exp(-np.asarray(M, dtype=float) / reg), n_iter, tol)
