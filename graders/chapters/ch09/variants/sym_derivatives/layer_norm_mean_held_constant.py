"""Layer-norm gradient that treats μ as a constant (drops the −1/n term)."""


def layer_norm_grad_diag():
    return (1 - y_i**2 / n) / sigma


def layer_norm_grad_offdiag():
    return -y_i * y_j / (n * sigma)
