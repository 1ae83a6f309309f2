"""Never raises the documented ValueError on separable labels with λ = 0: returns a huge, meaningless β."""


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    X, t, w = _check_logistic_data(X, t, weights)
    p, N = X.shape
    Xt = np.vstack([np.ones((1, N)), X]) if fit_intercept else X
    pen = np.full(Xt.shape[0], lam)
    if fit_intercept:
        pen[0] = 0.0

    def fun(theta):
        z = theta @ Xt
        q = _sigmoid(z)
        f = w @ (np.logaddexp(0.0, z) - t * z) + 0.5 * theta @ (pen * theta)
        g = Xt @ (w * (q - t)) + pen * theta
        H = (Xt * (w * q * (1.0 - q))) @ Xt.T + np.diag(pen)
        return f, g, H

    theta = _newton(fun, np.zeros(Xt.shape[0]))
    return (float(theta[0]) if fit_intercept else 0.0), (theta[1:] if fit_intercept else theta)
