"""A small ridge (λ = 0.1) in place of the pseudo-inverse: not the least-squares / minimum-norm fit."""


def min_norm_fit(X, y, p):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    beta_hat = np.zeros(X.shape[1])
    XT = X[:, :p]
    beta_hat[:p] = XT.T @ np.linalg.solve(XT @ XT.T + 0.1 * np.eye(X.shape[0]), y)
    return beta_hat
