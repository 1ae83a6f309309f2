"""conv2d_backward crops the padding from the end only (dx = dx̃[:H, :W], shifted by p)."""


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    dout, x, w = np.asarray(dout, float), np.asarray(x, float), np.asarray(w, float)
    _, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    Ho, Wo = dout.shape[2:]
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for k in range(kh):
        for l in range(kw):
            rows, cols = _tap_slices(k, l, Ho, Wo, stride, dilation)
            dw[:, :, k, l] = np.einsum("nohw,nchw->oc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nohw,oc->nchw", dout, w[:, :, k, l])
    H, W = x.shape[2:]
    return dxp[:, :, :H, :W], dw, dout.sum(axis=(0, 2, 3))
