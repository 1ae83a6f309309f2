"""Sign error in ẏ: 4y(y − ax²) instead of 4y(−y − ax²)."""


def vdot(x, y, a):
    out = 2 * x * (a * y**2 - x) + 4 * y * (y - a * x**2)
    return float(out) if np.ndim(out) == 0 else out
