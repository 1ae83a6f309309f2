"""conv2d pads 2p zeros at the top and left only (one-sided padding; the output size is unchanged)."""


def conv2d(x, w, b, stride=1, padding=0, dilation=1):
    x, w, b = np.asarray(x, float), np.asarray(w, float), np.asarray(b, float)
    Co, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (2 * padding, 0), (2 * padding, 0)))
    Ho = (xp.shape[2] - dilation * (kh - 1) - 1) // stride + 1
    Wo = (xp.shape[3] - dilation * (kw - 1) - 1) // stride + 1
    y = np.zeros((x.shape[0], Co, Ho, Wo))
    for k in range(kh):
        for l in range(kw):
            y += np.einsum("oc,nchw->nohw", w[:, :, k, l], _tap(xp, k, l, Ho, Wo, stride, dilation))
    return y + b[None, :, None, None]
