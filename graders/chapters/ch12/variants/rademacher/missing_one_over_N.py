"""The factor 1/N dropped: E_σ sup_h Σσ_i h_i."""


def empirical_rademacher(H, n_draws=None, rng=None):
    H = np.asarray(H, dtype=float)
    N = H.shape[1]
    S = _all_signs(N) if n_draws is None else _random_signs(n_draws, N, rng)
    return float(np.mean(np.max(S @ H.T, axis=1)))
