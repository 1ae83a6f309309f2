"""One design X for every trial (only the noise redrawn): the risk given X, not its mean over training sets."""


def dd_mc_risk(p, N, beta, sigma2, trials, rng):
    beta = np.asarray(beta, dtype=float)
    X = rng.standard_normal((N, beta.size))
    risks = np.empty(trials)
    for t in range(trials):
        y = X @ beta + math.sqrt(sigma2) * rng.standard_normal(N)
        risks[t] = sigma2 + np.sum((beta - min_norm_fit(X, y, p)) ** 2)
    return float(risks.mean()), float(risks.std(ddof=1) / math.sqrt(trials))
