"""b averaged over every support vector, including those at the bound α = C (which are not on the margin)."""


def soft_margin_svm(X, y, C):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    alpha = _svm_dual(X @ X.T, y, C)
    w = X.T @ (alpha * y)
    sv = alpha > 1e-6 * C                                 # bug: includes α = C
    return {"alpha": alpha, "w": w, "b": float(np.mean(y[sv] - X[sv] @ w)), "support": np.flatnonzero(sv)}
