"""WCT that forgets to add the style mean back."""


def wct(X, S, eps=1e-8):
    X_c, S_c = X - X.mean(axis=0), S - S.mean(axis=0)
    sigma_x = X_c.T @ X_c / X.shape[0] + eps * np.eye(X.shape[1])
    sigma_s = S_c.T @ S_c / S.shape[0]
    return X_c @ _symmetric_power(sigma_x, -0.5) @ _symmetric_power(sigma_s, 0.5)
