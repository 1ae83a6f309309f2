"""Log domain with log K = +M/reg (the sign of the cost flipped): the plan moves mass to costly pairs."""

_sinkhorn_log_right = _sinkhorn_log


def _sinkhorn_log(a, b, M, reg, n_iter, tol):
    return _sinkhorn_log_right(a, b, -M, reg, n_iter, tol)
