"""∂V/∂y taken as 2y: 2x(ay² − x) + 2y(−y − ax²)."""


def lyapunov_derivative():
    return 2 * x * (a * y**2 - x) + 2 * y * (-y - a * x**2)
