"""hinge_primal with the squared hinge C Σ max(0, 1 − y f)² instead of C Σ max(0, 1 − y f)."""


def hinge_primal(w, b, X, y, C):
    w, X, y = np.asarray(w, dtype=float), np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return float(0.5 * w @ w + C * np.sum(np.maximum(0.0, 1.0 - y * (X @ w + b)) ** 2))
