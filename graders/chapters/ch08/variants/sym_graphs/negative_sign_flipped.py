"""σ(−s) for the negative word's derivative (the positive word's rule with its sign kept)."""


def sgns_grad_negative():
    return 1 / (1 + sp.exp(s))
