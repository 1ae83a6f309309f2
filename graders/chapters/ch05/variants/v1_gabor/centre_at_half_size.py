"""The grid centred at size / 2 instead of (size − 1) / 2."""


def _rotated(size, theta):
    c = size / 2
    y, x = np.mgrid[0:size, 0:size] - c
    return x * math.cos(theta) + y * math.sin(theta), -x * math.sin(theta) + y * math.cos(theta)
