"""Equivalent forms: 2 + 6(cos²x − sin²x) as a string, V̇ expanded, −‖Xᵀe‖² as −(Xᵀe)ᵀ(Xᵀe) with @."""


def pl_second_derivative():
    return "2 + 6*(cos(x)**2 - sin(x)**2)"


def lyapunov_derivative():
    return -2 * x**2 - 4 * y**2 + 2 * a * x * y**2 - 4 * a * x**2 * y


def ntk_lyapunov_rate():
    return "-(X.T @ e).T @ (X.T @ e)"
