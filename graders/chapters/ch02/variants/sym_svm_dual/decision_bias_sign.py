"""The decision function with the bias of the wrong sign: wᵀz + 3/2."""


def decision_function():
    return z1 + z2 / 2 + sp.Rational(3, 2)
