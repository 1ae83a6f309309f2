"""convolve2d_true correlates (kernel not flipped): the 'full' cross-correlation, not eq 7.2."""

_correct_true = convolve2d_true


def convolve2d_true(x2, h2):
    return _correct_true(x2, np.asarray(h2, float)[::-1, ::-1])
