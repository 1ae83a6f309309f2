"""Disk LP in (c, s) with the scale fixed and no margin: points on the circle count as outside too, so the cocircular square "is shattered"."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass != "disk":
        return _original(points, labels, hclass)
    n, d = points.shape
    q = np.sum(points**2, axis=1)
    # inside: ‖x‖² − 2cᵀx + s ≤ 0; outside: ‖x‖² − 2cᵀx + s ≥ 0; variables (c, s)
    A = labels[:, None] * np.hstack([-2 * points, np.ones((n, 1))])
    return _lp_feasible(A, -labels * q, [(None, None)] * (d + 1))
