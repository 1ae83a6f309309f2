"""Sorting-based 1-D W_p when n ≠ m and no weights: pairs the first min(n, m) sorted samples."""

_w_p_right = w_p_1d


def w_p_1d(x, y, p, wx=None, wy=None):
    if wx is None and wy is None:
        k = min(len(x), len(y))
        xs, ys = np.sort(x)[:k], np.sort(y)[:k]
        return float(np.mean(np.abs(xs - ys) ** p) ** (1.0 / p))
    return _w_p_right(x, y, p, wx, wy)
