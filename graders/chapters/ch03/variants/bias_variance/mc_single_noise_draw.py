"""Monte Carlo that draws one noise vector and reuses it in every trial (variance ≈ 0)."""


def mc_bias_var(X, beta, sigma2, lam, x0, trials, rng):
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    p, N = X.shape
    eps = np.sqrt(sigma2) * rng.standard_normal(N)
    A = X @ X.T + lam * np.eye(p)
    preds = []
    for _ in range(trials):
        y = X.T @ beta + eps
        preds.append(x0 @ np.linalg.solve(A, X @ y))
    preds = np.array(preds)
    return float(x0 @ beta - preds.mean()), float(preds.var(ddof=1))
