"""lp_loss returns the ℓp norm ‖y − ŷ‖_p (the p-th root) instead of Σ|y − ŷ|^p."""


def lp_loss(y, yhat, p):
    return float(np.sum(np.abs(np.asarray(y, float) - np.asarray(yhat, float)) ** p) ** (1.0 / p))
