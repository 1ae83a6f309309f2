"""Exact enumeration by a loop over bit masks, Monte Carlo signs by rng.choice, norms by hand."""


def empirical_rademacher(H, n_draws=None, rng=None):
    H = np.asarray(H, dtype=float)
    h, N = H.shape
    if n_draws is None:
        total = 0.0
        for mask in range(2**N):
            sigma = np.array([1.0 if (mask >> i) & 1 else -1.0 for i in range(N)])
            total += max(float(sigma @ row) for row in H) / N
        return total / 2**N
    signs = rng.choice([-1.0, 1.0], size=(N, n_draws))
    return float(np.max(H @ signs, axis=0).mean() / N)


def rad_linear_l2(X, W, n_draws, rng):
    X = np.asarray(X, dtype=float)
    signs = rng.choice([-1.0, 1.0], size=(n_draws, X.shape[0]))
    sums = signs @ X
    return float(W * np.sqrt((sums**2).sum(axis=1)).mean() / X.shape[0])


def bound_linear_l2(X, W):
    X = np.asarray(X, dtype=float)
    return float(W * math.sqrt(np.max(np.einsum("ij,ij->i", X, X)) / X.shape[0]))


def massart_bound(H):
    H = np.asarray(H, dtype=float)
    h, N = H.shape
    return float(math.sqrt(2 * math.log(h) * np.max((H**2).sum(axis=1))) / N)
