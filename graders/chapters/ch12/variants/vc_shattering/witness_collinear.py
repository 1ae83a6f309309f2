"""A witness of three collinear points for halfspaces and disks (not shattered)."""


def witness(hclass, _original=witness):
    if hclass in ("halfspace", "disk"):
        return np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    return _original(hclass)
