"""The linear class's sup scaled by W/√N instead of W/N."""


def rad_linear_l2(X, W, n_draws, rng):
    X = np.asarray(X, dtype=float)
    N = X.shape[0]
    S = _random_signs(n_draws, N, rng)
    return float(np.mean(W / math.sqrt(N) * np.linalg.norm(S @ X, axis=1)))
