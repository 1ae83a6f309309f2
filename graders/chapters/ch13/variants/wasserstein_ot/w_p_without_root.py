"""w_p_1d returns W_p^p, the integral without the 1/p-th root."""

_w_p_right = w_p_1d


def w_p_1d(x, y, p, wx=None, wy=None):
    return _w_p_right(x, y, p, wx, wy) ** p
