"""Halfspaces through the origin, y_i wᵀx_i ≥ 1 (the bias b forgotten): a point at the origin can never be labelled."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass != "halfspace":
        return _original(points, labels, hclass)
    n, d = points.shape
    return _lp_feasible(-labels[:, None] * points, -np.ones(n), [(None, None)] * d)
