"""The fit by Gram-matrix solves ((X_TᵀX_T)⁻¹X_Tᵀy below N, X_Tᵀ(X_TX_Tᵀ)⁻¹y above), the Monte Carlo batched over trials."""


def min_norm_fit(X, y, p):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    N = X.shape[0]
    out = np.zeros(X.shape[1])
    XT = X[:, :p]
    if 0 < p <= N:
        out[:p] = np.linalg.solve(XT.T @ XT, XT.T @ y)
    elif p > N:
        out[:p] = XT.T @ np.linalg.solve(XT @ XT.T, y)
    return out


def dd_mc_risk(p, N, beta, sigma2, trials, rng):
    beta = np.asarray(beta, dtype=float)
    X = rng.standard_normal((trials, N, beta.size))
    y = X @ beta + np.sqrt(sigma2) * rng.standard_normal((trials, N))
    B = np.zeros((trials, beta.size))
    if p:
        B[:, :p] = (np.linalg.pinv(X[:, :, :p]) @ y[:, :, None])[..., 0]
    risks = sigma2 + np.sum((beta - B) ** 2, axis=1)
    return float(risks.mean()), float(risks.std(ddof=1) / np.sqrt(trials))
