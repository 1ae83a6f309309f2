"""Returns (P, v, u): the scalings in the wrong order."""

_sinkhorn_right = sinkhorn


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    P, u, v = _sinkhorn_right(a, b, M, reg, n_iter, tol, log_domain)
    return P, v, u
