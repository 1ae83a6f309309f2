"""Row layout: XᵀX and Xᵀy as if samples were rows (X is (p, N) here, so the shapes do not fit)."""


def ols(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def ridge(X, y, lam, *, form="primal"):
    p, N = X.shape
    if form == "primal":
        return np.linalg.solve(X.T @ X + lam * np.eye(N), X.T @ y)
    return X.T @ np.linalg.solve(X @ X.T + lam * np.eye(p), y)
