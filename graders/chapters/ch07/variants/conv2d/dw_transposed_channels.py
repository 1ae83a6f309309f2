"""conv2d_backward's dw swaps the roles of the input and output channels (the Ci, Co axes mixed up)."""

_correct_backward = conv2d_backward


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    dx, dw, db = _correct_backward(dout, x, w, stride, padding, dilation)
    return dx, dw.reshape(dw.shape[1], dw.shape[0], *dw.shape[2:]).transpose(1, 0, 2, 3), db
