"""NaN on zero-mass bins: u log u computed as u * np.log(u), so 0 · log 0 is NaN."""


def _xlogx(u):
    with np.errstate(divide="ignore", invalid="ignore"):
        return u * np.log(u)


def js(P, Q):
    P, Q = _check_distributions(P, Q)
    M = (P + Q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(0.5 * np.sum(P * np.log(P / M)) + 0.5 * np.sum(Q * np.log(Q / M)))
