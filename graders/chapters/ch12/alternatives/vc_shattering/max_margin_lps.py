"""Halfspaces and disks by a bounded max-margin LP (maximize t, realizable iff t > 0), rectangles and intervals by sorting."""


def _max_margin(A, bounds):
    """max t s.t. A z ≥ t (each row), z within bounds, t ≤ 1; returns t*."""
    from scipy.optimize import linprog

    n, k = A.shape
    res = linprog(np.r_[np.zeros(k), -1.0], A_ub=np.hstack([-A, np.ones((n, 1))]), b_ub=np.zeros(n),
                  bounds=bounds + [(None, 1.0)], method="highs")
    return -res.fun


def _realizable(points, labels, hclass):
    n, d = points.shape
    pos, neg = points[labels > 0], points[labels < 0]
    if len(pos) == 0 or len(neg) == 0:
        return True
    if hclass == "threshold":
        return pos[:, 0].max() < neg[:, 0].min()
    if hclass in ("interval", "axis_rectangle"):
        lo, hi = pos.min(axis=0), pos.max(axis=0)
        return all(np.any((x < lo) | (x > hi)) for x in neg)
    if hclass == "halfspace":
        A = labels[:, None] * np.hstack([points, np.ones((n, 1))])
        return _max_margin(A, [(-1, 1)] * d + [(None, None)]) > 1e-9
    A = -labels[:, None] * np.hstack([points, np.ones((n, 1)), (points**2).sum(axis=1, keepdims=True)])
    return _max_margin(A, [(-1, 1)] * d + [(None, None), (0, 1)]) > 1e-9
