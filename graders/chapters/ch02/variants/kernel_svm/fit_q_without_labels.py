"""kernel_svm_fit solves the dual with Q = K, forgetting the labels (Q_ij should be y_i y_j k(x_i, x_j))."""


def kernel_svm_fit(K, y, C):
    K, y = np.asarray(K, dtype=float), np.asarray(y, dtype=float)
    res = minimize(lambda a: 0.5 * a @ K @ a - a.sum(), np.zeros(y.size), jac=lambda a: K @ a - 1.0,
                   bounds=[(0.0, C)] * y.size, constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
                   method="SLSQP", options={"ftol": 1e-12, "maxiter": 500})
    alpha = np.clip(res.x, 0.0, C)
    free = (alpha > 1e-6 * C) & (alpha < (1 - 1e-6) * C)
    return {"alpha": alpha, "b": float(np.mean(y[free] - K[free] @ (alpha * y))) if free.any() else 0.0}
