"""Predictions K_testᵀα, as if K_test were (n, m) (only works when m == n)."""


def krr_predict(K_test, alpha):
    return np.asarray(K_test, dtype=float).T @ np.asarray(alpha, dtype=float)
