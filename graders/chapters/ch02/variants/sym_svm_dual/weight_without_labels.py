"""w = Σ α_i x_i, forgetting the labels y_i."""


def primal_weight():
    return a1 * x1 + a2 * x2 + a3 * x3
