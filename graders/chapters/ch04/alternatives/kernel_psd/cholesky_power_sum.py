"""PSD by a shifted Cholesky test, k_poly as Σ c_j K**j, another counterexample.

Gram block by a list comprehension, PSD by a Cholesky test of S + tol·‖S‖₂I (‖S‖₂ from the SVD), normalization
under errstate, k_poly as Σ c_j K**j with np.power, and a counterexample on the negative half-line."""


def gram(k, X, Z=None):
    _check_kernel(k, name="k")
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    if Z is not None:
        Z = check_array(Z, name="Z", ndim=2, layout="(m, d)")
        check_dim(Z.shape[1], X.shape[1], what="Z.shape[1] == X.shape[1] (d)")
    other = X if Z is None else Z
    K = np.array(k(X, other), dtype=float)
    if K.shape != (len(X), len(other)):
        raise ValueError(f"k(X, Z) should return the (n, m) = {(len(X), len(other))} Gram block; got shape {K.shape}")
    return K


def is_psd(K, tol=1e-10):
    K = _check_square(K, name="K")
    tol = check_scalar(tol, name="tol", lo=0)
    S = (K + K.T) / 2
    norm = np.linalg.norm(S, 2) if S.size else 0.0
    if norm == 0:
        return True
    try:
        np.linalg.cholesky(S / norm + tol * np.eye(S.shape[0]))   # λ_min(S) ≥ −tol‖S‖ ⇔ S/‖S‖ + tol·I ⪰ 0
    except np.linalg.LinAlgError:
        return False
    return True


def normalize_kernel(K):
    K = _check_square(K, name="K")
    if np.any(np.diag(K) < 0):
        raise ValueError(f"K should have a nonnegative diagonal (K_ii = k(x_i, x_i)); got min {np.diag(K).min()!r}")
    denom = np.sqrt(np.outer(np.diag(K), np.diag(K)))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, K / denom, 0.0)


def k_sum(k1, k2, a=1.0, b=1.0):
    _check_kernel(k1, name="k1")
    _check_kernel(k2, name="k2")
    a = check_scalar(a, name="a", lo=0)
    b = check_scalar(b, name="b", lo=0)

    def kernel(X, Z):
        return sum(coef * np.asarray(part(X, Z), dtype=float) for coef, part in ((a, k1), (b, k2)))

    return kernel


def k_prod(k1, k2):
    _check_kernel(k1, name="k1")
    _check_kernel(k2, name="k2")

    def kernel(X, Z):
        return np.asarray(k1(X, Z), dtype=float) * np.asarray(k2(X, Z), dtype=float)

    return kernel


def k_poly(k, coefs):
    _check_kernel(k, name="k")
    coefs = check_array(coefs, name="coefs", ndim=1, layout="(q+1,)")
    if coefs.size == 0 or np.any(coefs < 0):
        raise ValueError(f"coefs should be a non-empty sequence of numbers >= 0; got coefs={coefs.tolist()!r}")

    def kernel(X, Z):
        K = np.asarray(k(X, Z), dtype=float)
        return sum(c * np.power(K, j) for j, c in enumerate(coefs)) + np.zeros(K.shape)

    return kernel


def sigmoid_counterexample(eta, nu):
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    nu = check_scalar(nu, name="nu")
    return -np.array([[0.2], [100.0]]) / eta**0.5         # η x_i x_j: 0.04 on the first diagonal, 20 off it
