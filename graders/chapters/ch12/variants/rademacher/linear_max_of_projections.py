"""The linear sup taken over the sample directions only: (W/N) max_j |Σσ_i x_iᵀx_j|/‖x_j‖ (not the whole ball)."""


def rad_linear_l2(X, W, n_draws, rng):
    X = np.asarray(X, dtype=float)
    N = X.shape[0]
    S = _random_signs(n_draws, N, rng)
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    return float(np.mean(W / N * np.max(np.abs(S @ X @ U.T), axis=1)))
