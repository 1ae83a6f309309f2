"""p/(N − p) and N/(p − N) where eq 12.32 has p/(N − p − 1) and N/(p − N − 1) (off by one)."""


def dd_theory_risk(p, N, beta, sigma2):
    beta = np.asarray(beta, dtype=float)
    inside, left_out = float(beta[:p] @ beta[:p]), float(beta[p:] @ beta[p:])
    if p <= N - 2:
        return (left_out + sigma2) * (1 + p / (N - p))
    if p >= N + 2:
        return inside * (1 - N / p) + (left_out + sigma2) * (1 + N / (p - N))
    return math.inf
