"""Noise drawn with standard deviation σ² instead of σ (sigma2 read as a standard deviation)."""


def dd_mc_risk(p, N, beta, sigma2, trials, rng):
    beta = np.asarray(beta, dtype=float)
    risks = np.empty(trials)
    for t in range(trials):
        X = rng.standard_normal((N, beta.size))
        y = X @ beta + sigma2 * rng.standard_normal(N)
        risks[t] = sigma2 + np.sum((beta - min_norm_fit(X, y, p)) ** 2)
    return float(risks.mean()), float(risks.std(ddof=1) / math.sqrt(trials))
