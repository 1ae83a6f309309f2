"""conv2d_backward averages dw and db over the batch instead of summing."""

_correct_backward = conv2d_backward


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    dx, dw, db = _correct_backward(dout, x, w, stride, padding, dilation)
    n = np.asarray(x).shape[0]
    return dx, dw / n, db / n
