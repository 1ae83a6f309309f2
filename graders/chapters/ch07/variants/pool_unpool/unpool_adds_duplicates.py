"""maxunpool2d adds the values that share an index (overlapping windows) instead of placing one."""


def maxunpool2d(y, idx, out_hw):
    y, idx = np.asarray(y, float), np.asarray(idx)
    N, C = y.shape[:2]
    H, W = out_hw
    x = np.zeros((N, C, H * W))
    for n in range(N):
        for c in range(C):
            np.add.at(x[n, c], idx[n, c].ravel(), y[n, c].ravel())
    return x.reshape(N, C, H, W)
