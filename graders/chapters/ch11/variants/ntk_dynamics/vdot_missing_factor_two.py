"""∂V/∂y taken as 2y (as if V = x² + y²): 2x(ay² − x) + 2y(−y − ax²)."""


def vdot(x, y, a):
    out = 2 * x * (a * y**2 - x) + 2 * y * (-y - a * x**2)
    return float(out) if np.ndim(out) == 0 else out
