"""α from the eigendecomposition of K, V diag(1/(μ + λ)) Vᵀ y; predictions by einsum.

α = V diag(1/(μ + λ)) Vᵀ y from the eigendecomposition of K (singular K + λI detected from the spectrum);
predictions by einsum."""


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
    mu, V = np.linalg.eigh((K + K.T) / 2)
    shifted = mu + lam
    if np.any(np.abs(shifted) <= 1e-14 * max(1.0, float(np.abs(mu).max(initial=0.0)))):
        raise ValueError(f"K + lam*I should be nonsingular; got a singular matrix with lam={lam!r}")
    coords = V.T @ y
    return V @ (coords / (shifted[:, None] if y.ndim == 2 else shifted))


def krr_predict(K_test, alpha):
    K_test = check_array(K_test, name="K_test", ndim=2, layout="(m, n)")
    alpha = check_array(alpha, name="alpha")
    if alpha.ndim not in (1, 2):
        raise ValueError(f"alpha should have shape (n,) or (n, t); got alpha.shape={alpha.shape}")
    check_dim(alpha.shape[0], K_test.shape[1], what="alpha.shape[0] == K_test.shape[1] (n)")
    return np.einsum("mn,n...->m...", K_test, alpha)
