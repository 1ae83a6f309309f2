"""OLS as the λ = 0 dual X(XᵀX)⁻¹y, as a string: it needs N ≤ p, and XᵀX is singular here (p < N)."""


def ols_estimator():
    return "X*(X.T*X)**(-1)*y"
