"""WCT with Cholesky factors instead of symmetric square roots (not rotation-equivariant)."""


def wct(X, S, eps=1e-8):
    X_c, mu_s = X - X.mean(axis=0), S.mean(axis=0)
    S_c = S - mu_s
    sigma_x = X_c.T @ X_c / X.shape[0] + eps * np.eye(X.shape[1])
    sigma_s = S_c.T @ S_c / S.shape[0] + 1e-300 * np.eye(X.shape[1])
    L_x, L_s = np.linalg.cholesky(sigma_x), np.linalg.cholesky(sigma_s)
    return X_c @ np.linalg.inv(L_x).T @ L_s.T + mu_s
