"""poly2_features with √c x_i instead of √(2c) x_i in the linear features."""


def poly2_features(X, c):
    X = np.asarray(X, dtype=float)
    x1, x2 = X[:, 0], X[:, 1]
    r = np.sqrt(c)
    return np.stack([x1**2, x2**2, np.sqrt(2.0) * x1 * x2, r * x1, r * x2, np.full_like(x1, c)], axis=1)
