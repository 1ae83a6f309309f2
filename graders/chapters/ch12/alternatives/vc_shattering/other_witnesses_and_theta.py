"""Other witnesses (shifted, scaled, rotated) and θ shifted by a full turn at every point, 2^{m+1}π."""


def witness(hclass):
    sets = {
        "threshold": [[-7.5]],
        "interval": [[3.0], [-2.0]],
        "halfspace": [[1.0, 1.0], [4.0, 2.0], [2.0, 5.0]],
        "axis_rectangle": [[0.0, 2.0], [2.0, 0.0], [4.0, 2.0], [2.0, 4.0]],
        "disk": [[5.0, 5.0], [-1.0, 2.0], [3.0, -4.0]],
    }
    return np.array(sets[hclass])


def sine_theta(labels):
    labels = np.asarray(labels, dtype=float)
    m = len(labels)
    theta = math.pi
    for i, y in enumerate(labels, start=1):
        if y < 0:
            theta += math.pi * 2**i
    return theta + math.pi * 2 ** (m + 1)
