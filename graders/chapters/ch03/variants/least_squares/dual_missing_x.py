"""Dual form without the leading X: returns the (N,) dual coefficients (XᵀX + λI)⁻¹y instead of β."""


def ridge(X, y, lam, *, form="primal"):
    p, N = X.shape
    if form == "primal":
        return np.linalg.solve(X @ X.T + lam * np.eye(p), X @ y)
    return np.linalg.solve(X.T @ X + lam * np.eye(N), y)
