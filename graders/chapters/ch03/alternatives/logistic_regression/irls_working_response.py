"""IRLS as weighted least squares on the working response, with step halving.

IRLS as textbook weighted least squares on the working response z + (t − q)/(q(1 − q)), with step halving;
the objective written as Σ w[t·log(1 + e^{−z}) + (1 − t)·log(1 + e^{z})]."""


def logistic_nll(X, t, beta0, beta, weights=None, lam=0.0):
    X, t, w = _check_logistic_data(X, t, weights)
    beta0 = check_scalar(beta0, name="beta0")
    beta = check_array(beta, name="beta", shape=(X.shape[0],), layout="(p,) with p == X.shape[0]")
    lam = check_scalar(lam, name="lam", lo=0)
    z = beta0 + X.T @ beta
    return float(np.sum(w * (t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z))) + lam / 2 * np.sum(beta**2))


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    X, t, w = _check_logistic_data(X, t, weights)
    lam = check_scalar(lam, name="lam", lo=0)
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise TypeError(f"fit_intercept should be a bool; got fit_intercept={fit_intercept!r}")
    p, N = X.shape
    D = np.vstack([np.ones(N), X]) if fit_intercept else X.copy()    # rows: (1, x) or x
    P = lam * np.eye(D.shape[0])
    if fit_intercept:
        P[0, 0] = 0.0

    def objective(theta):
        z = theta @ D
        return np.sum(w * (np.logaddexp(0.0, z) - t * z)) + 0.5 * theta @ P @ theta

    theta = np.zeros(D.shape[0])
    for _ in range(500):
        z = theta @ D
        q = 1.0 / (1.0 + np.exp(-z))
        s = np.maximum(q * (1.0 - q), 1e-300)             # IRLS weights (never exactly 0)
        working = z + (t - q) / s                         # working response
        H = (D * (w * s)) @ D.T + P
        try:
            target = np.linalg.solve(H, D @ (w * s * working))
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(target)):
            break
        step = 1.0
        f_old = objective(theta)
        while objective(theta + step * (target - theta)) > f_old + 1e-15 * (1.0 + abs(f_old)) and step > 1e-10:
            step /= 2
        new = theta + step * (target - theta)
        done = np.max(np.abs(new - theta)) <= 1e-15 * (1.0 + np.max(np.abs(new)))
        theta = new
        if done:
            break
    if lam == 0.0 and np.all((t == 0) | (t == 1)):
        correct = (theta @ D > 0) == (t == 1)
        if np.all(correct | (w == 0)):
            raise ValueError("t is linearly separable by X with lam=0: the minimizer does not exist; pass lam > 0")
    if fit_intercept:
        return float(theta[0]), theta[1:]
    return 0.0, theta
