"""OLS in the row layout, (XᵀX)⁻¹Xᵀy, as a string: the shapes of the column layout do not fit."""


def ols_estimator():
    return "Inverse(X.T*X)*X.T*y"
