"""The dual solved without the equality constraint Σ α_i y_i = 0 (only α ≥ 0)."""


def hard_margin_svm(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Q = (y[:, None] * y[None, :]) * (X @ X.T)
    res = minimize(lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(y.size), jac=lambda a: Q @ a - 1.0,
                   bounds=[(0.0, None)] * y.size, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12})
    alpha = np.clip(res.x, 0.0, None)
    w = X.T @ (alpha * y)
    sv = alpha > 1e-6 * alpha.max()
    return {"alpha": alpha, "w": w, "b": float(np.mean(y[sv] - X[sv] @ w))}
