"""Sign flip: fits the probability of t = 0 (targets 1 − t), so every coefficient has the wrong sign."""

_reference_fit = logistic_fit


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    return _reference_fit(X, 1.0 - np.asarray(t, dtype=float), weights, lam, fit_intercept)
