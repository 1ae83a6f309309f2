"""Rows and columns swapped: x = row − c and y = column − c."""


def _rotated(size, theta):
    c = (size - 1) / 2
    x, y = np.mgrid[0:size, 0:size] - c
    return x * math.cos(theta) + y * math.sin(theta), -x * math.sin(theta) + y * math.cos(theta)
