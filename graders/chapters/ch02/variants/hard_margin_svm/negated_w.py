"""w = −Σ α_i y_i x_i (a sign slip in 2.15), with b fitted to that w."""


def hard_margin_svm(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    alpha = _svm_dual(X @ X.T, y, np.inf)
    w = -X.T @ (alpha * y)                                # bug: sign
    sv = alpha > 1e-6 * alpha.max()
    return {"alpha": alpha, "w": w, "b": float(np.mean(y[sv] - X[sv] @ w))}
