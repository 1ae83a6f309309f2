"""WCT with the book-literal uncentred XᵀX and SᵀS."""


def wct(X, S, eps=1e-8):
    sigma_x = X.T @ X / X.shape[0] + eps * np.eye(X.shape[1])
    sigma_s = S.T @ S / S.shape[0]
    return X @ _symmetric_power(sigma_x, -0.5) @ _symmetric_power(sigma_s, 0.5)
