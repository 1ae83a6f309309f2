"""Bias and variance in the eigenbasis of XXᵀ; Monte Carlo through the linear smoother f̂ = hᵀy.

Bias and variance in the eigenbasis of XXᵀ = U diag(d) Uᵀ: λΣ aᵢbᵢ/(dᵢ+λ) and σ²Σ aᵢ²dᵢ/(dᵢ+λ)²; Monte Carlo
through the fixed linear smoother f̂ = hᵀy with h = XᵀA⁻¹x0."""


def ridge_bias_var(X, beta, sigma2, lam, x0):
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    d, U = np.linalg.eigh(X @ X.T)
    d = np.maximum(d, 0.0)
    a, b = U.T @ x0, U.T @ beta
    bias = lam * np.sum(a * b / (d + lam))
    var = sigma2 * np.sum(a**2 * d / (d + lam) ** 2)
    return float(bias), float(var)


def mc_bias_var(X, beta, sigma2, lam, x0, trials, rng):
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    trials = check_int(trials, name="trials", lo=2)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng should be a numpy.random.Generator; got rng={rng!r} (type={type(rng).__name__})")
    p, N = X.shape
    eps = rng.standard_normal((N, trials)) * np.sqrt(sigma2)
    h = X.T @ np.linalg.solve(X @ X.T + lam * np.eye(p), x0)   # f̂(x0) = hᵀy
    preds = h @ (X.T @ beta) + h @ eps
    return float(np.dot(x0, beta) - np.mean(preds)), float(np.var(preds, ddof=1))
