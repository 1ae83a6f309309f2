"""Var(qᵀk) growing like √d (the standard deviation's growth) instead of d."""


def score_variance():
    return sp.sqrt(d) * s_q**2 * s_k**2
