"""poly_kernel returns the (m, n) matrix (Z Xᵀ + c)^p instead of (n, m)."""


def poly_kernel(X, Z, p, c):
    X, Z = np.asarray(X, dtype=float), np.asarray(Z, dtype=float)
    return (Z @ X.T + c) ** p
