"""Halfspace LP without a margin, y_i(wᵀx_i + b) ≥ 0: w = 0, b = 0 is feasible, so every labeling "is realized"."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass != "halfspace":
        return _original(points, labels, hclass)
    n, d = points.shape
    Z = np.hstack([points, np.ones((n, 1))])
    return _lp_feasible(-labels[:, None] * Z, np.zeros(n), [(None, None)] * (d + 1))
