"""Quantile functions sampled on a 20000-point grid of t (midpoint rule) instead of exact breakpoints."""


def w_p_1d(x, y, p, wx=None, wy=None):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xs, Fx = _sorted_cdf(x, None if wx is None else np.asarray(wx, dtype=float))
    ys, Gy = _sorted_cdf(y, None if wy is None else np.asarray(wy, dtype=float))
    t = (np.arange(20000) + 0.5) / 20000
    gap = np.abs(_quantile(xs, Fx, t) - _quantile(ys, Gy, t))
    return float(np.mean(gap**p) ** (1.0 / p))
