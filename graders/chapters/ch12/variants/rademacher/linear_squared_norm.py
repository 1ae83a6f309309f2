"""The linear class's sup taken as (W/N)‖Σσ_i x_i‖² (the norm squared)."""


def rad_linear_l2(X, W, n_draws, rng):
    X = np.asarray(X, dtype=float)
    N = X.shape[0]
    S = _random_signs(n_draws, N, rng)
    return float(np.mean(W / N * np.sum((S @ X) ** 2, axis=1)))
