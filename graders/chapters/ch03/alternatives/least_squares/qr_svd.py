"""OLS by a QR of Xᵀ, ridge by the SVD of X (primal) and the eigendecomposition of XᵀX (dual).

OLS through a QR factorization of Xᵀ, ridge through the SVD of X (primal) and the eigendecomposition of XᵀX
(dual), the augmented data filled into preallocated arrays."""


def ols(X, y):
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    _check_full_row_rank(X)
    Q, R = np.linalg.qr(X.T)                              # Xᵀ = QR, R (p, p) invertible
    return np.linalg.solve(R, Q.T @ y)


def ridge(X, y, lam, *, form="primal"):
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    lam = check_scalar(lam, name="lam", lo=0, lo_open=True)
    form = check_choice(form, name="form", choices=("primal", "dual"))
    if form == "primal":
        U, s, Vt = np.linalg.svd(X, full_matrices=False)  # X = U diag(s) Vᵀ
        return U @ (s / (s**2 + lam) * (Vt @ y))
    mu, V = np.linalg.eigh(X.T @ X)                       # XᵀX = V diag(μ) Vᵀ
    return X @ (V @ ((V.T @ y) / (mu + lam)))


def ridge_augmented(X, y, lam):
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    lam = check_scalar(lam, name="lam", lo=0)
    p, N = X.shape
    X_aug = np.zeros((p, N + p))
    X_aug[:, :N] = X
    for i in range(p):
        X_aug[i, N + i] = lam ** 0.5
    y_aug = np.zeros(N + p)
    y_aug[:N] = y
    return X_aug, y_aug
