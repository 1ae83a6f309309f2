"""The Monte Carlo risk without σ² (the theory is right): only ‖β − β̂‖² is averaged."""


def dd_mc_risk(p, N, beta, sigma2, trials, rng):
    beta = np.asarray(beta, dtype=float)
    risks = np.empty(trials)
    for t in range(trials):
        X = rng.standard_normal((N, beta.size))
        y = X @ beta + math.sqrt(sigma2) * rng.standard_normal(N)
        risks[t] = np.sum((beta - min_norm_fit(X, y, p)) ** 2)
    return float(risks.mean()), float(risks.std(ddof=1) / math.sqrt(trials))
