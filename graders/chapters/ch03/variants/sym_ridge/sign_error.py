"""Sign error: (XXᵀ − λI)⁻¹Xy and X(XᵀX − λI)⁻¹y."""


def ridge_primal():
    return sp.Inverse(X * X.T - lam * sp.Identity(p)) * X * y


def ridge_dual():
    return "X*(X.T*X - lam*Identity(5))**(-1)*y"
