"""min_norm_fit on all D features instead of the first p."""


def min_norm_fit(X, y, p):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.pinv(X) @ y
