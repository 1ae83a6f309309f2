"""Layer-norm gradient derived for the unbiased variance (y_i y_j/(n − 1) instead of /n)."""


def layer_norm_grad_diag():
    return (1 - 1 / n - y_i**2 / (n - 1)) / sigma


def layer_norm_grad_offdiag():
    return -(1 / n + y_i * y_j / (n - 1)) / sigma
