"""OLS by np.linalg.lstsq, ridge by Cholesky (primal) and an explicit inverse (dual).

OLS by np.linalg.lstsq on Xᵀβ ≈ y, ridge by a Cholesky factor (primal) and an explicit inverse (dual), the
augmented data by concatenate and pad."""


def ols(X, y):
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    _check_full_row_rank(X)
    return np.linalg.lstsq(X.T, y, rcond=None)[0]


def ridge(X, y, lam, *, form="primal"):
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    lam = check_scalar(lam, name="lam", lo=0, lo_open=True)
    form = check_choice(form, name="form", choices=("primal", "dual"))
    p, N = X.shape
    if form == "primal":
        L = np.linalg.cholesky(X @ X.T + lam * np.eye(p))  # XXᵀ + λI = LLᵀ
        return np.linalg.solve(L.T, np.linalg.solve(L, X @ y))
    return X @ (np.linalg.inv(X.T @ X + lam * np.eye(N)) @ y)


def ridge_augmented(X, y, lam):
    X = check_array(X, name="X", ndim=2, layout="(p, N)")
    y = check_array(y, name="y", shape=(X.shape[1],), layout="(N,) with N == X.shape[1]")
    lam = check_scalar(lam, name="lam", lo=0)
    p = X.shape[0]
    return np.concatenate([X, np.diag(np.full(p, np.sqrt(lam)))], axis=1), np.pad(y, (0, p))
