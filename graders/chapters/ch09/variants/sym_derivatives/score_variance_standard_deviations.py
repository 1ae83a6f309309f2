"""Var(qᵀk) with the standard deviations instead of the variances: d s_q s_k."""


def score_variance():
    return d * s_q * s_k
