"""avgpool2d divides each window's sum by k instead of k²."""

_correct_avgpool2d = avgpool2d


def avgpool2d(x, k, s):
    return _correct_avgpool2d(x, k, s) * k
