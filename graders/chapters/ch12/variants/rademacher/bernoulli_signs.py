"""σ drawn from {0, 1} instead of {−1, +1}."""


def _all_signs(N):
    return np.array(list(itertools.product((0.0, 1.0), repeat=N)))


def _random_signs(n_draws, N, rng):
    return rng.integers(0, 2, size=(n_draws, N)).astype(float)
