"""maxpool2d flattens the maximum's (row, col) with the output width Wo instead of the image width W."""

_correct_maxpool2d = maxpool2d


def maxpool2d(x, k, s):
    y, idx = _correct_maxpool2d(x, k, s)
    W, Wo = np.shape(x)[3], y.shape[3]
    return y, (idx // W) * Wo + idx % W
