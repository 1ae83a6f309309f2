"""The estimators written another way: (XXᵀ)⁻¹ via .I, λI on the left, the dual as (XᵀX + λI)⁻¹ applied first."""


def ols_estimator():
    return (X * X.T).I * (X * y)


def ridge_primal():
    return (lam * sp.Identity(p) + X * X.T).I * X * y


def ridge_dual():
    return X * ((X.T * X + lam * sp.Identity(N)).I * y)
