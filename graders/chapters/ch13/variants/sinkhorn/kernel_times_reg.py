"""Gibbs kernel K = e^{−M·reg} instead of e^{−M/reg}."""

_sinkhorn_right = sinkhorn


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    return _sinkhorn_right(a, b, np.asarray(M, dtype=float) * reg * reg, reg, n_iter, tol, log_domain)
