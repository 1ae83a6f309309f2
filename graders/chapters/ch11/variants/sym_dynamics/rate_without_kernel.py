"""ė taken as −e (no kernel): dV/dt = −eᵀe."""


def ntk_lyapunov_rate():
    return -(e.T * e)
