"""The textbook formulas with an explicit inverse (bias = f − E f̂); Monte Carlo one trial at a time.

The textbook formulas with an explicit inverse: bias = x0ᵀβ − x0ᵀA⁻¹XXᵀβ (f − E f̂), var = σ²x0ᵀA⁻¹XXᵀA⁻¹x0;
Monte Carlo one trial at a time on the columns of the same noise draw."""


def ridge_bias_var(X, beta, sigma2, lam, x0):
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    S = X @ X.T
    A_inv = np.linalg.inv(S + lam * np.eye(X.shape[0]))
    bias = x0 @ beta - x0 @ A_inv @ S @ beta              # f(x0) − E f̂(x0), E f̂ = x0ᵀA⁻¹XXᵀβ
    var = sigma2 * (x0 @ A_inv @ S @ A_inv @ x0)
    return float(bias), float(var)


def mc_bias_var(X, beta, sigma2, lam, x0, trials, rng):
    X, beta, sigma2, lam, x0 = _check_biasvar_args(X, beta, sigma2, lam, x0)
    trials = check_int(trials, name="trials", lo=2)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng should be a numpy.random.Generator; got rng={rng!r} (type={type(rng).__name__})")
    p, N = X.shape
    noise = rng.standard_normal((N, trials))
    A = X @ X.T + lam * np.eye(p)
    preds = np.empty(trials)
    for j in range(trials):
        y = X.T @ beta + np.sqrt(sigma2) * noise[:, j]
        preds[j] = x0 @ np.linalg.solve(A, X @ y)
    mean = preds.sum() / trials
    return float(x0 @ beta - mean), float(((preds - mean) ** 2).sum() / (trials - 1))
