"""Layer-norm gradient without the overall 1/σ factor."""


def layer_norm_grad_diag():
    return 1 - 1 / n - y_i**2 / n


def layer_norm_grad_offdiag():
    return -(1 + y_i * y_j) / n
