"""Variance without the middle XXᵀ: σ²x0ᵀ(XXᵀ + λI)⁻²x0."""


def ridge_bias_var(X, beta, sigma2, lam, x0):
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    A = X @ X.T + lam * np.eye(X.shape[0])
    u = np.linalg.solve(A, x0)
    return float(lam * (u @ beta)), float(sigma2 * (u @ u))
