"""Layer-norm gradient that treats σ as a constant (drops the −y_i y_j/n term)."""


def layer_norm_grad_diag():
    return (1 - 1 / n) / sigma


def layer_norm_grad_offdiag():
    return -1 / (n * sigma)
