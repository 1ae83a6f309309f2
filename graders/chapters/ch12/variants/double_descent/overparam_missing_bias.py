"""The interpolating branch without the bias ‖β_T‖²(1 − N/p): only the variance term."""


def dd_theory_risk(p, N, beta, sigma2):
    beta = np.asarray(beta, dtype=float)
    left_out = float(beta[p:] @ beta[p:])
    if p <= N - 2:
        return (left_out + sigma2) * (1 + p / (N - p - 1))
    if p >= N + 2:
        return (left_out + sigma2) * (1 + N / (p - N - 1))
    return math.inf
