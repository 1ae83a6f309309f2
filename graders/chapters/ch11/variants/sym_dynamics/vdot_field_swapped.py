"""The vector field's components swapped: 2x(−y − ax²) + 4y(ay² − x)."""


def lyapunov_derivative():
    return "2*x*(-y - a*x^2) + 4*y*(a*y^2 - x)"
