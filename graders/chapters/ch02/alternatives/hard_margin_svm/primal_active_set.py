"""The hard-margin PRIMAL by SLSQP, then an exact KKT solve on the active margin constraints.

The hard-margin PRIMAL min ½‖w‖² s.t. y_i(wᵀx_i + b) ≥ 1 by SLSQP, then the KKT system on the active margin
constraints solved exactly for (w, b, α)."""
from scipy.optimize import minimize as _alt_minimize


def hard_margin_svm(X, y):
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    y = _check_labels(y, n=X.shape[0])
    _check_separable(X, y, name="X")
    n, d = X.shape
    Y = y[:, None] * np.hstack([X, np.ones((n, 1))])      # (n, d+1)  row i: y_i [x_iᵀ, 1]
    res = _alt_minimize(lambda v: 0.5 * v[:d] @ v[:d], np.zeros(d + 1), jac=lambda v: np.append(v[:d], 0.0),
                        constraints=[{"type": "ineq", "fun": lambda v: Y @ v - 1.0, "jac": lambda v: Y}],
                        method="SLSQP", options={"ftol": 1e-14, "maxiter": 1000})
    active = np.flatnonzero(Y @ res.x <= 1.0 + 1e-6)
    while True:
        k = active.size
        # stationarity w = Σ_S α_i y_i x_i, Σ_S α_i y_i = 0, and y_i(wᵀx_i + b) = 1 on S
        M = np.zeros((d + 1 + k, d + 1 + k))
        M[:d, :d] = np.eye(d)
        M[:d + 1, d + 1:] = -Y[active].T
        M[d + 1:, :d + 1] = Y[active]
        rhs = np.concatenate([np.zeros(d + 1), np.ones(k)])
        sol = np.linalg.lstsq(M, rhs, rcond=None)[0]
        multipliers = sol[d + 1:]
        if multipliers.min() >= 0 or k == 1:
            break
        active = active[multipliers > multipliers.min()]  # drop the most negative multiplier
    alpha = np.zeros(n)
    alpha[active] = np.maximum(multipliers, 0.0)
    w = X.T @ (alpha * y)
    sv = alpha > 1e-6 * alpha.max()
    return {"alpha": alpha, "w": w, "b": float(np.mean(y[sv] - X[sv] @ w))}
