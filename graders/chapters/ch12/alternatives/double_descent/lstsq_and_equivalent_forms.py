"""lstsq for the fit; the theory written as (b2 + σ²)(N − 1)/(N − p − 1) and with N/p; the Monte Carlo draws
only X_T and folds the left-out features into the noise (same distribution)."""


def dd_theory_risk(p, N, beta, sigma2):
    beta = np.asarray(beta, dtype=float)
    left_out = float(np.sum(beta[p:] ** 2))
    if p < N - 1:
        return (left_out + sigma2) * (N - 1) / (N - p - 1)
    if p > N + 1:
        return float(np.sum(beta[:p] ** 2)) * (p - N) / p + (left_out + sigma2) * (p - 1) / (p - N - 1)
    return float("inf")


def min_norm_fit(X, y, p):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    out = np.zeros(X.shape[1])
    if p > 0:
        out[:p] = np.linalg.lstsq(X[:, :p], y, rcond=None)[0]
    return out


def dd_mc_risk(p, N, beta, sigma2, trials, rng):
    beta = np.asarray(beta, dtype=float)
    extra = math.sqrt(float(np.sum(beta[p:] ** 2)) + sigma2)
    risks = []
    for _ in range(trials):
        XT = rng.standard_normal((N, p))
        y = XT @ beta[:p] + extra * rng.standard_normal(N)
        b = min_norm_fit(XT, y, p)
        risks.append(sigma2 + np.sum((beta[:p] - b) ** 2) + np.sum(beta[p:] ** 2))
    risks = np.array(risks)
    return float(np.mean(risks)), float(np.std(risks, ddof=1) / np.sqrt(trials))
