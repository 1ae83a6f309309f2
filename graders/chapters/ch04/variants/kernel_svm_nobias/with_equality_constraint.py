"""The biased SVM's dual: adds Σλ_i y_i = 0 (solved with SLSQP), a constraint the no-bias SVM does not have."""
from scipy.optimize import minimize as _minimize


def ksvm_nobias_fit(K, y, C):
    K, y = np.asarray(K, dtype=float), np.asarray(y, dtype=float)
    Q = np.outer(y, y) * K
    n = len(y)
    res = _minimize(lambda lam: 0.5 * lam @ Q @ lam - lam.sum(), np.zeros(n), jac=lambda lam: Q @ lam - 1.0,
                    method="SLSQP", bounds=[(0.0, C)] * n,
                    constraints=[{"type": "eq", "fun": lambda lam: lam @ y, "jac": lambda lam: y}],
                    options={"ftol": 1e-14, "maxiter": 1000})
    return np.clip(res.x, 0.0, C)
