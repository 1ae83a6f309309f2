"""b read off the first α_i > 0, which is a numerical zero (1e-16) of a non-support vector."""


def hard_margin_svm(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Q = (y[:, None] * y[None, :]) * (X @ X.T)
    res = minimize(lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(y.size), jac=lambda a: Q @ a - 1.0,
                   bounds=[(0.0, None)] * y.size, constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
                   method="SLSQP", options={"ftol": 1e-12, "maxiter": 500})
    alpha = np.clip(res.x, 0.0, None)
    w = X.T @ (alpha * y)
    i = int(np.flatnonzero(alpha > 0)[0])                 # bug: any α > 0, even 1e-16
    return {"alpha": alpha, "w": w, "b": float(y[i] - X[i] @ w)}
