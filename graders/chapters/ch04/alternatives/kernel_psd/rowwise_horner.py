"""Gram row by row, PSD from eigh, k_poly by Horner's scheme, another counterexample.

Gram block assembled row by row, PSD from eigh of the symmetric part, normalization by an outer product of
1/√K_ii, combinators via np.add/np.multiply, the polynomial kernel by Horner's scheme, other counterexample points."""


def gram(k, X, Z=None):
    _check_kernel(k, name="k")
    X = check_array(X, name="X", ndim=2, layout="(n, d)")
    if Z is not None:
        Z = check_array(Z, name="Z", ndim=2, layout="(m, d)")
        check_dim(Z.shape[1], X.shape[1], what="Z.shape[1] == X.shape[1] (d)")
    if Z is None:
        Z = X
    rows = [np.asarray(k(X[i:i + 1], Z), dtype=np.float64) for i in range(X.shape[0])]
    for row in rows:
        if row.shape != (1, Z.shape[0]):
            raise ValueError(f"k(X, Z) should return a (n, m) Gram block; got a row block of shape {row.shape}")
    return np.concatenate(rows, axis=0) if rows else np.zeros((0, Z.shape[0]))


def is_psd(K, tol=1e-10):
    K = _check_square(K, name="K")
    tol = check_scalar(tol, name="tol", lo=0)
    if K.size == 0:
        return True
    eigenvalues = np.linalg.eigh((K + K.T) / 2)[0]
    return bool(eigenvalues.min() >= -tol * np.abs(eigenvalues).max())


def normalize_kernel(K):
    K = _check_square(K, name="K")
    if np.any(np.diag(K) < 0):
        raise ValueError(f"K should have a nonnegative diagonal (K_ii = k(x_i, x_i)); got min {np.diag(K).min()!r}")
    diag = np.diag(K)
    scale = np.zeros_like(diag)
    positive = diag > 0
    scale[positive] = 1.0 / np.sqrt(diag[positive])
    return K * np.outer(scale, scale)


def k_sum(k1, k2, a=1.0, b=1.0):
    _check_kernel(k1, name="k1")
    _check_kernel(k2, name="k2")
    a = check_scalar(a, name="a", lo=0)
    b = check_scalar(b, name="b", lo=0)
    return lambda X, Z: np.add(a * np.asarray(k1(X, Z)), b * np.asarray(k2(X, Z)))


def k_prod(k1, k2):
    _check_kernel(k1, name="k1")
    _check_kernel(k2, name="k2")
    return lambda X, Z: np.multiply(k1(X, Z), k2(X, Z))


def k_poly(k, coefs):
    _check_kernel(k, name="k")
    coefs = check_array(coefs, name="coefs", ndim=1, layout="(q+1,)")
    if coefs.size == 0 or np.any(coefs < 0):
        raise ValueError(f"coefs should be a non-empty sequence of numbers >= 0; got coefs={coefs.tolist()!r}")

    def kernel(X, Z):
        K = np.asarray(k(X, Z), dtype=np.float64)
        out = np.full(K.shape, coefs[-1])
        for c in coefs[-2::-1]:                           # Horner: (…(c_q K + c_{q−1}) K + …) K + c_0
            out = out * K + c
        return out

    return kernel


def sigmoid_counterexample(eta, nu):
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    nu = check_scalar(nu, name="nu")
    return np.array([[0.01], [1000.0]]) / np.sqrt(eta)    # η x1² = 1e-4, η x1x2 = 10: tanh saturates off the diagonal
