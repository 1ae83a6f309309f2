"""Disk LP with the weight of ‖x‖² free in sign: complements of disks count too (VC 4 in the plane)."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass != "disk":
        return _original(points, labels, hclass)
    n, d = points.shape
    Z = np.hstack([points, np.ones((n, 1)), np.sum(points**2, axis=1, keepdims=True)])
    return _lp_feasible(labels[:, None] * Z, -np.ones(n), [(None, None)] * (d + 2))
