"""d/ds[−log σ(s)] = σ(s), the −1 forgotten."""


def sgns_grad_positive():
    return 1 / (1 + sp.exp(-s))
