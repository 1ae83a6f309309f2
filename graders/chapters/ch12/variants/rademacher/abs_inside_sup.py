"""An absolute value inside the sup: E_σ sup_h |(1/N) σᵀh| (the other common definition, not eq 12.22)."""


def empirical_rademacher(H, n_draws=None, rng=None):
    H = np.asarray(H, dtype=float)
    N = H.shape[1]
    S = _all_signs(N) if n_draws is None else _random_signs(n_draws, N, rng)
    return float(np.mean(np.max(np.abs(S @ H.T / N), axis=1)))
