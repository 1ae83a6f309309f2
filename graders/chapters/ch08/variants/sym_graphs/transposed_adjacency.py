"""Aᵀ for A: the out-neighbours aggregated instead of the in-neighbours."""


def gin_preactivation():
    return ((1 + eps) * sp.Identity(n) + A.T) * X * W
