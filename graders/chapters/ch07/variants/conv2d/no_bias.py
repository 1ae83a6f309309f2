"""conv2d forgets the bias b."""

_correct_conv2d = conv2d


def conv2d(x, w, b, stride=1, padding=0, dilation=1):
    return _correct_conv2d(x, w, np.zeros_like(np.asarray(b, float)), stride, padding, dilation)
