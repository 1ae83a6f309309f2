"""The sample weights are ignored (every w_n = 1): book ex 3.3's equal weights cannot tell."""

_reference_fit = logistic_fit


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    return _reference_fit(X, t, None, lam, fit_intercept)
