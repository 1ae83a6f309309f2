"""Bias computed with (XXᵀ)⁻¹ instead of (XXᵀ + λI)⁻¹: λx0ᵀ(XXᵀ)⁻¹β (wrong, and unusable when p > N)."""


def ridge_bias_var(X, beta, sigma2, lam, x0):
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    p = X.shape[0]
    A = X @ X.T + lam * np.eye(p)
    u = np.linalg.solve(A, x0)
    h = X.T @ u
    bias = lam * x0 @ np.linalg.lstsq(X @ X.T, beta, rcond=None)[0]
    return float(bias), float(sigma2 * (h @ h))
