"""log_domain ignored: always iterates the scalings, so K underflows (0/0 = NaN) at small reg."""


def sinkhorn(a, b, M, reg, n_iter=10000, tol=1e-12, log_domain=False):
    a, b, M = _check_problem(a, b, M)
    with np.errstate(all="ignore"):
        return _sinkhorn_scaling(a, b, np.exp(-M / reg), n_iter, tol)
