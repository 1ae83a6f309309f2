"""Sign error: 2 − 6 cos 2x (the second derivative of x² + 3 cos²x)."""


def pl_second_derivative():
    return 2 - 6 * sp.cos(2 * x)
