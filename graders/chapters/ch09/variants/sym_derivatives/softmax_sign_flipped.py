"""The softmax Jacobian with the wrong sign: aaᵀ − diag(a)."""


def softmax_jacobian():
    return a * a.T - sp.diag(*a)
