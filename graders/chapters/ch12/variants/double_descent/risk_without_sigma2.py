"""The risk without the irreducible σ²: ‖β − β̂‖² only, in the theory and in the Monte Carlo."""


def dd_theory_risk(p, N, beta, sigma2):
    beta = np.asarray(beta, dtype=float)
    inside, left_out = float(beta[:p] @ beta[:p]), float(beta[p:] @ beta[p:])
    if p <= N - 2:
        return left_out + (left_out + sigma2) * p / (N - p - 1)
    if p >= N + 2:
        return inside * (1 - N / p) + left_out + (left_out + sigma2) * N / (p - N - 1)
    return math.inf


def dd_mc_risk(p, N, beta, sigma2, trials, rng):
    beta = np.asarray(beta, dtype=float)
    risks = np.empty(trials)
    for t in range(trials):
        X = rng.standard_normal((N, beta.size))
        y = X @ beta + math.sqrt(sigma2) * rng.standard_normal(N)
        risks[t] = np.sum((beta - min_norm_fit(X, y, p)) ** 2)
    return float(risks.mean()), float(risks.std(ddof=1) / math.sqrt(trials))
