"""maxpool2d returns the maximum's position inside its window (a·k + b), not flat into H·W."""


def maxpool2d(x, k, s):
    x = np.asarray(x, float)
    N, C, H, W = x.shape
    Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
    y = np.empty((N, C, Ho, Wo))
    idx = np.empty((N, C, Ho, Wo), dtype=np.int64)
    for i in range(Ho):
        for j in range(Wo):
            win = x[:, :, s * i:s * i + k, s * j:s * j + k].reshape(N, C, -1)
            idx[:, :, i, j] = win.argmax(axis=2)
            y[:, :, i, j] = win.max(axis=2)
    return y, idx
