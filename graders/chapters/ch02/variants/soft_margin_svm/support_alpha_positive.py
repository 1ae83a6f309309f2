"""A plain SLSQP solve with the support set taken as α > 0, which keeps the solver's 1e-16 noise."""


def soft_margin_svm(X, y, C):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Q = (y[:, None] * y[None, :]) * (X @ X.T)
    res = minimize(lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(y.size), jac=lambda a: Q @ a - 1.0,
                   bounds=[(0.0, C)] * y.size, constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
                   method="SLSQP", options={"ftol": 1e-14, "maxiter": 1000})
    alpha = np.clip(res.x, 0.0, C)
    w = X.T @ (alpha * y)
    free = (alpha > 1e-6 * C) & (alpha < (1 - 1e-6) * C)
    return {"alpha": alpha, "w": w, "b": float(np.mean(y[free] - X[free] @ w)), "support": np.flatnonzero(alpha > 0)}
