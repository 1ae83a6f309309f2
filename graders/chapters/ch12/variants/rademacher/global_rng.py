"""Monte Carlo signs from a fresh unseeded generator instead of the rng argument."""


def _random_signs(n_draws, N, rng):
    return 2.0 * np.random.default_rng().integers(0, 2, size=(n_draws, N)) - 1.0
