"""poly2_features with x1x2 instead of √2 x1x2 (the cross term of (xᵀz + c)² comes out halved)."""


def poly2_features(X, c):
    X = np.asarray(X, dtype=float)
    x1, x2 = X[:, 0], X[:, 1]
    r = np.sqrt(2.0 * c)
    return np.stack([x1**2, x2**2, x1 * x2, r * x1, r * x2, np.full_like(x1, c)], axis=1)
