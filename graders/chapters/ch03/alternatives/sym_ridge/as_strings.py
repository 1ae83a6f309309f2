"""The estimators as formula strings, with ** (-1) and @ for products (both allowed by the module docstring)."""


def ols_estimator():
    return "(X @ X.T)**(-1) @ X @ y"


def ridge_primal():
    return "Inverse(X*X.T + lam*Identity(3))*X*y"


def ridge_dual():
    return "X @ (X.T @ X + lam*Identity(5))**(-1) @ y"
