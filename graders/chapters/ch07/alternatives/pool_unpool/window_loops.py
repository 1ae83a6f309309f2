"""Loops over output pixels: argmax of each flattened window (first maximum), mapped back to (row, col)."""


def maxpool2d(x, k, s):
    x = np.asarray(x, float)
    N, C, H, W = x.shape
    Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
    y = np.empty((N, C, Ho, Wo))
    idx = np.empty((N, C, Ho, Wo), dtype=np.int64)
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, s * i:s * i + k, s * j:s * j + k].reshape(N, C, k * k)
            local = win.argmax(axis=2)                           # numpy's argmax: the first maximum
            y[:, :, i, j] = np.take_along_axis(win, local[..., None], axis=2)[..., 0]
            idx[:, :, i, j] = (s * i + local // k) * W + s * j + local % k
    return y, idx


def maxunpool2d(y, idx, out_hw):
    y, idx = np.asarray(y, float), np.asarray(idx, dtype=np.int64)
    N, C, Ho, Wo = y.shape
    H, W = out_hw
    x = np.zeros((N, C, H, W))
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    r, q = divmod(int(idx[n, c, i, j]), W)
                    x[n, c, r, q] = y[n, c, i, j]
    return x


def avgpool2d(x, k, s):
    x = np.asarray(x, float)
    N, C, H, W = x.shape
    Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
    y = np.empty((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            y[:, :, i, j] = x[:, :, s * i:s * i + k, s * j:s * j + k].sum(axis=(2, 3)) / (k * k)
    return y


def avgpool2d_adjoint(y, k, s, in_hw):
    y = np.asarray(y, float)
    N, C, Ho, Wo = y.shape
    x = np.zeros((N, C, *in_hw))
    for i in range(Ho):
        for j in range(Wo):
            x[:, :, s * i:s * i + k, s * j:s * j + k] += y[:, :, i:i + 1, j:j + 1] / (k * k)
    return x
