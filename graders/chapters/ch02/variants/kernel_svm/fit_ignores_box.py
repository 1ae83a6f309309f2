"""kernel_svm_fit drops the upper bound C (solves the hard-margin dual on K)."""


def kernel_svm_fit(K, y, C):
    K, y = np.asarray(K, dtype=float), np.asarray(y, dtype=float)
    Q = (y[:, None] * y[None, :]) * K
    res = minimize(lambda a: 0.5 * a @ Q @ a - a.sum(), np.zeros(y.size), jac=lambda a: Q @ a - 1.0,
                   bounds=[(0.0, None)] * y.size, constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
                   method="SLSQP", options={"ftol": 1e-12, "maxiter": 500})
    alpha = np.clip(res.x, 0.0, None)
    sv = alpha > 1e-6 * alpha.max()
    return {"alpha": alpha, "b": float(np.mean(y[sv] - K[sv] @ (alpha * y)))}
