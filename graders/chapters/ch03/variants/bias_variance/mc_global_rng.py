"""Monte Carlo drawing from numpy's global generator instead of the rng argument (not reproducible)."""

_reference_mc = mc_bias_var


def mc_bias_var(X, beta, sigma2, lam, x0, trials, rng):
    return _reference_mc(X, beta, sigma2, lam, x0, trials, np.random.default_rng(np.random.randint(2**31)))
