"""The rotation of the wrong sign, x′ = x cos θ − y sin θ (the cell prefers −θ)."""


def _rotated(size, theta):
    c = (size - 1) / 2
    y, x = np.mgrid[0:size, 0:size] - c
    return x * math.cos(theta) - y * math.sin(theta), x * math.sin(theta) + y * math.cos(theta)
