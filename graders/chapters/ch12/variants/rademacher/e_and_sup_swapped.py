"""E and sup swapped: sup_h E_σ (1/N) σᵀh, which is 0 for every class."""


def empirical_rademacher(H, n_draws=None, rng=None):
    H = np.asarray(H, dtype=float)
    N = H.shape[1]
    S = _all_signs(N) if n_draws is None else _random_signs(n_draws, N, rng)
    return float(np.max(np.mean(S @ H.T / N, axis=0)))
