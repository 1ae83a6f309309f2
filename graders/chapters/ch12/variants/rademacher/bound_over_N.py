"""The linear bound divided by N instead of √N."""


def bound_linear_l2(X, W):
    X = np.asarray(X, dtype=float)
    return float(W * np.max(np.linalg.norm(X, axis=1)) / X.shape[0])
