"""conv2d_backward's db sums dout over the batch at one pixel only (forgets the spatial sum)."""

_correct_backward = conv2d_backward


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    dx, dw, _ = _correct_backward(dout, x, w, stride, padding, dilation)
    return dx, dw, np.asarray(dout, float)[:, :, 0, 0].sum(axis=0)
