"""Least squares on the probabilities, Σ w (t − q)² + (λ/2)‖β‖², instead of the log-likelihood."""
from scipy.optimize import minimize as _minimize


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    X, t, w = _check_logistic_data(X, t, weights)
    p, N = X.shape
    Xt = np.vstack([np.ones((1, N)), X])
    pen = np.full(p + 1, lam)
    pen[0] = 0.0

    def fun(theta):
        if not fit_intercept:
            theta = np.concatenate([[0.0], theta[1:]])
        q = _sigmoid(theta @ Xt)
        r = q - t
        f = w @ r**2 + 0.5 * theta @ (pen * theta)
        g = Xt @ (2 * w * r * q * (1 - q)) + pen * theta
        if not fit_intercept:
            g[0] = 0.0
        return f, g

    theta = _minimize(fun, np.zeros(p + 1), jac=True, method="BFGS", options={"gtol": 1e-12, "maxiter": 10000}).x
    return (float(theta[0]) if fit_intercept else 0.0), theta[1:]
