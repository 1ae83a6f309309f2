"""POT's order (v first, then u, so the rows are exact and the columns are checked), the error
tested every 10 iterations in the 2-norm, and scipy.special.logsumexp in the log domain."""
from scipy.special import logsumexp as _lse


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    a, b, M = _check_problem(a, b, M)
    if log_domain:
        f, g = np.zeros(a.size), np.zeros(b.size)
        for it in range(n_iter):
            g = np.log(b) - _lse(f[:, None] - M / reg, axis=0)
            f = np.log(a) - _lse(g[None, :] - M / reg, axis=1)
            if it % 10 == 0 or it == n_iter - 1:
                col = np.exp(_lse(f[:, None] - M / reg + g[None, :], axis=0))
                if np.linalg.norm(col - b) <= tol:
                    break
        with np.errstate(over="ignore"):
            return np.exp(f[:, None] - M / reg + g[None, :]), np.exp(f), np.exp(g)
    K = np.exp(-M / reg)
    u, v = np.ones(a.size), np.ones(b.size)
    for it in range(n_iter):
        v = b / (K.T @ u)
        u = a / (K @ v)
        if it % 10 == 0 or it == n_iter - 1:
            if np.linalg.norm(v * (K.T @ u) - b) <= tol:
                break
    return u[:, None] * K * v[None, :], u, v


def sinkhorn_cost(P, M):
    return float(np.einsum("ij,ij->", np.asarray(P, dtype=float), np.asarray(M, dtype=float)))
