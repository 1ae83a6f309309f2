"""∂(½‖Aw − b‖²)/∂w with the residual's sign flipped: Aᵀ(b − Aw)."""


def grad_least_squares():
    return A.T * (b - A * w)
