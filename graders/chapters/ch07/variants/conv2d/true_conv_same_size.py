"""convolve2d_true returns the top-left (H, W) crop of the full output (a "same"-size answer)."""

_correct_true = convolve2d_true


def convolve2d_true(x2, h2):
    H, W = np.asarray(x2).shape
    return _correct_true(x2, h2)[:H, :W]
