"""Stops when the change in u is below 1e-3 (a loose, relative-change criterion), not on the marginals."""


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    a, b, M = _check_problem(a, b, M)
    K = np.exp(-M / reg)
    u, v = np.ones(a.size), np.ones(b.size)
    for _ in range(n_iter):
        u_new = a / (K @ v)
        change = np.max(np.abs(u_new - u) / u_new)
        u = u_new
        v = b / (K.T @ u)
        if change < 1e-3:
            break
    return u[:, None] * K * v[None, :], u, v
