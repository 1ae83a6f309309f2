"""conv2d flips the kernel (the true convolution of eq 7.2 instead of PyTorch's cross-correlation)."""

_correct_conv2d = conv2d


def conv2d(x, w, b, stride=1, padding=0, dilation=1):
    return _correct_conv2d(x, np.asarray(w)[:, :, ::-1, ::-1], b, stride, padding, dilation)
