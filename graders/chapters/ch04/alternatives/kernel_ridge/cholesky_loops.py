"""α from a Cholesky factor of K + λI (LU fallback); predictions summed over training points.

α from a Cholesky factor of K + λI (falling back to an LU solve when K + λI is not positive definite);
predictions as a sum over the training points."""


def krr_fit(K, y, lam):
    K = check_array(K, name="K", ndim=2, layout="(n, n)")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K should be a square (n, n) Gram matrix; got K.shape={K.shape}")
    y = check_array(y, name="y")
    if y.ndim not in (1, 2) or y.shape[0] != K.shape[0]:
        raise ValueError(
            f"y should have shape (n,) or (n, t) with n == K.shape[0] = {K.shape[0]}; "
            f"got y.shape={y.shape}"
        )
    lam = check_scalar(lam, name="lam", lo=0)
    A = K + lam * np.eye(K.shape[0])
    try:
        L = np.linalg.cholesky(A)
        return np.linalg.solve(L.T, np.linalg.solve(L, y))
    except np.linalg.LinAlgError:
        pass
    try:
        return np.linalg.solve(A, y)
    except np.linalg.LinAlgError:
        raise ValueError(f"K + lam*I should be nonsingular; got a singular matrix with lam={lam!r}") from None


def krr_predict(K_test, alpha):
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    alpha = check_array(alpha, name="alpha")
    if alpha.ndim not in (1, 2):
        raise ValueError(f"alpha should have shape (n,) or (n, t); got alpha.shape={alpha.shape}")
    check_dim(alpha.shape[0], K_test.shape[1], what="alpha.shape[0] == K_test.shape[1] (n)")
    out = np.zeros((K_test.shape[0],) + alpha.shape[1:])
    for i in range(K_test.shape[1]):
        out += np.multiply.outer(K_test[:, i], alpha[i])
    return out
