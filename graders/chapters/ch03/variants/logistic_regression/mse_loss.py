"""Least squares on the probabilities, Σ w (t − q)² + (λ/2)‖β‖², instead of the log-likelihood."""


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    X, t, w = _check_logistic_data(X, t, weights)
    p, N = X.shape
    Xt = np.vstack([np.ones((1, N)), X]) if fit_intercept else X
    pen = np.full(Xt.shape[0], lam)
    if fit_intercept:
        pen[0] = 0.0

    def fun(theta):                                       # Gauss-Newton on the squared error
        q = _sigmoid(theta @ Xt)
        r = q - t
        J = Xt * (q * (1.0 - q))                          # ∂q/∂θ, (p+1, N)
        f = w @ r**2 + 0.5 * theta @ (pen * theta)
        g = J @ (2.0 * w * r) + pen * theta
        H = 2.0 * (J * w) @ J.T + np.diag(pen)
        return f, g, H

    theta = _newton(fun, np.zeros(Xt.shape[0]))
    return (float(theta[0]) if fit_intercept else 0.0), (theta[1:] if fit_intercept else theta)
