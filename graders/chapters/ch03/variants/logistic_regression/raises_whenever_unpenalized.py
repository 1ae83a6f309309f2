"""Raises ValueError for every 0/1 target with λ = 0, separable or not (overlapping labels have a minimizer)."""

_logistic_fit_correct = logistic_fit


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    t_arr = np.asarray(t, dtype=float)
    if lam == 0.0 and np.all((t_arr == 0) | (t_arr == 1)):
        raise ValueError("the labels are 0/1 and lam=0: pass lam > 0")
    return _logistic_fit_correct(X, t, weights, lam, fit_intercept)
