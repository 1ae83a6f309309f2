"""The linear bound with the mean norm of the samples instead of the largest."""


def bound_linear_l2(X, W):
    X = np.asarray(X, dtype=float)
    return float(W * np.mean(np.linalg.norm(X, axis=1)) / math.sqrt(X.shape[0]))
