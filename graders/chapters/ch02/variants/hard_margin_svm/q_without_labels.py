"""The dual with Q = XXᵀ, forgetting the labels: Q_ij should be y_i y_j x_iᵀx_j."""


def hard_margin_svm(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Q = X @ X.T                                           # bug: no y_i y_j
    res = minimize(lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(y.size), jac=lambda a: Q @ a - 1.0,
                   bounds=[(0.0, None)] * y.size, constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
                   method="SLSQP", options={"ftol": 1e-12, "maxiter": 500})
    alpha = np.clip(res.x, 0.0, None)
    w = X.T @ (alpha * y)
    sv = alpha > 1e-6 * alpha.max()
    return {"alpha": alpha, "w": w, "b": float(np.mean(y[sv] - X[sv] @ w))}
