"""maxunpool2d ignores out_hw's width: it decodes idx with the width 2·Wo of unpooling by 2."""


def maxunpool2d(y, idx, out_hw):
    y, idx = np.asarray(y, float), np.asarray(idx)
    N, C, Ho, Wo = y.shape
    H, W = out_hw
    rows, cols = np.divmod(idx, 2 * Wo)
    x = np.zeros((N, C, H, W))
    for n, c, i, j in np.ndindex(*y.shape):
        if rows[n, c, i, j] < H and cols[n, c, i, j] < W:
            x[n, c, rows[n, c, i, j], cols[n, c, i, j]] = y[n, c, i, j]
    return x
