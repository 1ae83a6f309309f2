"""Dual form without the leading X: the N dual coefficients (XᵀX + λI)⁻¹y, shape (N, 1) instead of (p, 1)."""


def ridge_dual():
    return sp.Inverse(X.T * X + lam * sp.Identity(N)) * y
