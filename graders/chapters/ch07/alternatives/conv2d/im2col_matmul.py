"""im2col: gather every window with fancy indexing into a (N·Ho·Wo, Ci·kh·kw) matrix, one matmul forward, np.add.at scatter backward; the true convolution as a correlation of the zero-padded image with the flipped kernel."""


def _im2col_indices(H, W, kh, kw, stride, padding, dilation):
    Ho = (H + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    Wo = (W + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    r = (stride * np.arange(Ho))[:, None, None, None] + (dilation * np.arange(kh))[None, None, :, None]
    c = (stride * np.arange(Wo))[None, :, None, None] + (dilation * np.arange(kw))[None, None, None, :]
    return Ho, Wo, np.broadcast_to(r, (Ho, Wo, kh, kw)), np.broadcast_to(c, (Ho, Wo, kh, kw))


def conv2d(x, w, b, stride=1, padding=0, dilation=1):
    x, w, b = np.asarray(x, float), np.asarray(w, float), np.asarray(b, float)
    N, Ci, H, W = x.shape
    Co, _, kh, kw = w.shape
    Ho, Wo, r, c = _im2col_indices(H, W, kh, kw, stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = xp[:, :, r, c]                                             # (N, Ci, Ho, Wo, kh, kw)
    cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, Ci * kh * kw)
    y = cols @ w.reshape(Co, -1).T + b                                # (N·Ho·Wo, Co)
    return y.reshape(N, Ho, Wo, Co).transpose(0, 3, 1, 2)


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    dout, x, w = np.asarray(dout, float), np.asarray(x, float), np.asarray(w, float)
    N, Ci, H, W = x.shape
    Co, _, kh, kw = w.shape
    Ho, Wo, r, c = _im2col_indices(H, W, kh, kw, stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = xp[:, :, r, c].transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, Ci * kh * kw)
    g = dout.transpose(0, 2, 3, 1).reshape(N * Ho * Wo, Co)
    dw = (g.T @ cols).reshape(w.shape)
    dcols = (g @ w.reshape(Co, -1)).reshape(N, Ho, Wo, Ci, kh, kw).transpose(0, 3, 1, 2, 4, 5)
    dxp = np.zeros_like(xp)
    n_idx = np.arange(N)[:, None, None, None, None, None]
    c_idx = np.arange(Ci)[None, :, None, None, None, None]
    np.add.at(dxp, (n_idx, c_idx, r[None, None], c[None, None]), dcols)
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, g.sum(axis=0)


def convolve2d_true(x2, h2):
    x2, h2 = np.asarray(x2, float), np.asarray(h2, float)
    kh, kw = h2.shape
    xp = np.pad(x2, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw))   # (H + kh − 1, W + kw − 1, kh, kw)
    return np.einsum("ijkl,kl->ij", windows, h2[::-1, ::-1])
