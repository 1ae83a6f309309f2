"""ε for 1 + ε: the node's own features weighed ε."""


def gin_preactivation():
    return (eps * sp.Identity(n) + A) * X * W
