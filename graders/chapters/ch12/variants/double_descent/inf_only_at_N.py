"""inf only at p = N; at p = N ± 1 the formula is evaluated (and divides by zero or goes negative)."""


def dd_theory_risk(p, N, beta, sigma2):
    beta = np.asarray(beta, dtype=float)
    inside, left_out = float(beta[:p] @ beta[:p]), float(beta[p:] @ beta[p:])
    if p == N:
        return math.inf
    if p < N:
        return (left_out + sigma2) * (1 + p / (N - p - 1)) if p != N - 1 else 1e300
    return inside * (1 - N / p) + (left_out + sigma2) * (1 + N / (p - N - 1)) if p != N + 1 else 1e300
