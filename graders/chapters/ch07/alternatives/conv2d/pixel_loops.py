"""Direct loops over every output pixel and tap, with explicit index arithmetic and bounds tests (no padding array)."""


def conv2d(x, w, b, stride=1, padding=0, dilation=1):
    x, w, b = np.asarray(x, float), np.asarray(w, float), np.asarray(b, float)
    N, Ci, H, W = x.shape
    Co, _, kh, kw = w.shape
    Ho = (H + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    Wo = (W + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    y = np.empty((N, Co, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            acc = np.tile(b, (N, 1))
            for k in range(kh):
                r = i * stride + k * dilation - padding
                if not 0 <= r < H:
                    continue
                for l in range(kw):
                    c = j * stride + l * dilation - padding
                    if 0 <= c < W:
                        acc = acc + x[:, :, r, c] @ w[:, :, k, l].T
            y[:, :, i, j] = acc
    return y


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    dout, x, w = np.asarray(dout, float), np.asarray(x, float), np.asarray(w, float)
    _, _, H, W = x.shape
    _, _, kh, kw = w.shape
    Ho, Wo = dout.shape[2:]
    dx, dw = np.zeros_like(x), np.zeros_like(w)
    for i in range(Ho):
        for j in range(Wo):
            g = dout[:, :, i, j]
            for k in range(kh):
                r = i * stride + k * dilation - padding
                if not 0 <= r < H:
                    continue
                for l in range(kw):
                    c = j * stride + l * dilation - padding
                    if 0 <= c < W:
                        dw[:, :, k, l] += g.T @ x[:, :, r, c]
                        dx[:, :, r, c] += g @ w[:, :, k, l]
    return dx, dw, dout.sum(axis=3).sum(axis=2).sum(axis=0)


def convolve2d_true(x2, h2):
    x2, h2 = np.asarray(x2, float), np.asarray(h2, float)
    (H, W), (kh, kw) = x2.shape, h2.shape
    z = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            for k in range(max(0, i - H + 1), min(kh, i + 1)):
                for l in range(max(0, j - W + 1), min(kw, j + 1)):
                    z[i, j] += h2[k, l] * x2[i - k, j - l]
    return z
