"""conv2d_backward's dw keeps only the last sample's contribution (not summed over the batch)."""

_correct_backward = conv2d_backward


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    dout, x = np.asarray(dout, float), np.asarray(x, float)
    dx, _, db = _correct_backward(dout, x, w, stride, padding, dilation)
    _, dw, _ = _correct_backward(dout[-1:], x[-1:], w, stride, padding, dilation)
    return dx, dw, db
