"""∂|x| taken as {sign x} everywhere, so the subdifferential at 0 is {0} instead of [−1, 1]."""


def subdiff_abs(x):
    s = np.sign(np.asarray(x, dtype=float))
    return s, s.copy()
