"""The box's upper bound C is dropped: the dual is solved with α ≥ 0 only (the hard-margin dual)."""


def soft_margin_svm(X, y, C):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Q = (y[:, None] * y[None, :]) * (X @ X.T)
    res = minimize(lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(y.size), jac=lambda a: Q @ a - 1.0,
                   bounds=[(0.0, None)] * y.size, constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
                   method="SLSQP", options={"ftol": 1e-12, "maxiter": 500})
    alpha = np.clip(res.x, 0.0, None)
    w = X.T @ (alpha * y)
    sv = alpha > 1e-6 * alpha.max()
    return {"alpha": alpha, "w": w, "b": float(np.mean(y[sv] - X[sv] @ w)), "support": np.flatnonzero(sv)}
