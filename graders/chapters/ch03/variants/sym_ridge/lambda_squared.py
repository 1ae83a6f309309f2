"""λ² for λ in both ridge formulas."""


def ridge_primal():
    return sp.Inverse(X * X.T + lam**2 * sp.Identity(p)) * X * y


def ridge_dual():
    return X * sp.Inverse(X.T * X + lam**2 * sp.Identity(N)) * y
