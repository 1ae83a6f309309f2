"""conv2d ignores the dilation (adjacent taps, and the output size of an undilated kernel)."""

_correct_conv2d = conv2d


def conv2d(x, w, b, stride=1, padding=0, dilation=1):
    return _correct_conv2d(x, w, b, stride, padding, 1)
