"""Stops after a fixed 10 iterations, whatever n_iter and tol say."""

_sinkhorn_right = sinkhorn


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    return _sinkhorn_right(a, b, M, reg, 10, 0.0, log_domain)
