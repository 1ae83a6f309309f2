"""The softmax Jacobian taken entrywise, as for an elementwise sigmoid: diag(a ⊙ (1 − a)), no cross terms."""


def softmax_jacobian():
    return sp.diag(*[w * (1 - w) for w in a])
