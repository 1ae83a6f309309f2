"""log(1 + eᶻ) written literally: overflows to inf for z ≈ 800."""


def logistic_nll(X, t, beta0, beta, weights=None, lam=0.0):
    X, t, w = _check_logistic_data(X, t, weights)
    z = beta0 + beta @ X
    q = 1.0 / (1.0 + np.exp(-z))
    data = w @ (-t * np.log(q) - (1 - t) * np.log(1 - q))
    return float(data + 0.5 * lam * (beta @ beta))
