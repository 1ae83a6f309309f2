"""sinkhorn_cost averages P ⊙ M (np.mean) instead of summing it."""


def sinkhorn_cost(P, M):
    return float(np.mean(np.asarray(P) * np.asarray(M)))
