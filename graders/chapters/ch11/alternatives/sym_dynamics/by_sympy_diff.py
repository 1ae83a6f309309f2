"""The derivatives computed by sympy: diff of f twice, the chain rule ∇V·F, and eᵀė with ė = −XXᵀe."""


def pl_second_derivative():
    return sp.diff(x**2 + 3 * sp.sin(x) ** 2, x, 2)


def lyapunov_derivative():
    V = x**2 + 2 * y**2
    return sp.diff(V, x) * (a * y**2 - x) + sp.diff(V, y) * (-y - a * x**2)


def ntk_lyapunov_rate():
    edot = -X * X.T * e
    return e.T * edot
