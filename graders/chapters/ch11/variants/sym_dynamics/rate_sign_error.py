"""Sign error: +eᵀXXᵀe (V would grow along the flow)."""


def ntk_lyapunov_rate():
    return e.T * X * X.T * e
